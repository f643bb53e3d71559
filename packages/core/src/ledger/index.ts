/**
 * The ledger domain (first step: the pure engine). One double-entry ledger for money (CNY fen),
 * time-bank minutes and workshop parts: accounts, immutable transfers with caller-chosen ids,
 * linked batches, holds, reversals, balances at any time, an hledger journal export and a
 * per-community hash chain; its events, permissions, storage port and the {@link Ledger} service.
 *
 * @module
 */
export * from "./Ledger.js"
export * as LedgerRules from "./LedgerRules.js"
export { TransferRejected, RejectReason } from "./LedgerRules.js"
export type { LedgerState, BatchApplied, TransferResult, AccountBalance, Footprint } from "./LedgerRules.js"
export * from "./LedgerRepo.js"
export * as LedgerChain from "./LedgerChain.js"
export { ChainBroken } from "./LedgerChain.js"
export * as Journal from "./Journal.js"
export * from "./LedgerEvent.js"
export * from "./permissions.js"
export * from "./LedgerService.js"
export * from "./Posting.js"
