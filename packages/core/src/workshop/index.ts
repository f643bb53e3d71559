/**
 * The piece-work workshop domain (Xin Workshop 馨工坊): partner factories, products and work
 * orders with dated piece rates checked against the minimum wage, workers' custody of parts,
 * every movement of pieces and every wage through the ledger, pay periods and payslips, invoices,
 * progress against the deadline, and the pure rules behind them.
 *
 * @module
 */
export * from "./Workshop.js"
export * from "./WorkshopRepo.js"
export * from "./WorkshopEvent.js"
export * from "./permissions.js"
export * from "./WorkshopService.js"
export * as WorkshopAccounts from "./WorkshopAccounts.js"
export * as FairPayRules from "./FairPayRules.js"
export * as Custody from "./Custody.js"
export * as PayRules from "./PayRules.js"
export * as Progress from "./Progress.js"
export * from "./Payslip.js"
export type { CustodyAge, CustodyLine, OrderBalance, ReturnCounts, ReturnKind, ReturnPart } from "./Custody.js"
export type { LinesForReturnArgs, ReturnMovementIds } from "./PayRules.js"
export type { OrderProgress } from "./Progress.js"
export type { OrderAccount, MoneyAccount } from "./WorkshopAccounts.js"
