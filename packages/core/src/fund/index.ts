/**
 * The community public-welfare fund (公益基金) domain: Candy Commune's products and money entries,
 * earmarked sub-funds, allocation rounds decided the way a residents' committee works (public
 * notice, objections, N-of-M sign-off), holds in the ledger, and statements reconciled to it; and
 * the pure allocator that shares a round's pool by tier and weight, exactly to the fen.
 *
 * @module
 */
export * as Allocation from "./Allocation.js"
export * from "./Fund.js"
export * from "./FundRepo.js"
export * as FundAccounts from "./FundAccounts.js"
export * as FundRules from "./FundRules.js"
export * from "./FundEvent.js"
export * from "./permissions.js"
export * from "./FundService.js"
export * as Statement from "./Statement.js"
export * as FundReport from "./Report.js"
export type { FundStatement, PublicReport, PublicRound, PoolStatement, EnterpriseStatement } from "./Statement.js"
