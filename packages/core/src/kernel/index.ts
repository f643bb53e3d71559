/**
 * The kernel: what every domain builds on (errors, ids, actors and permissions, events and the
 * outbox, transactions, command plumbing, idempotency keys, validation, text, money, paging).
 * It imports no domain.
 *
 * @module
 */
export * from "./Errors.js"
export * from "./Ids.js"
export * as Money from "./Money.js"
export * from "./Actor.js"
export * from "./Policy.js"
export * as Paging from "./Paging.js"
export type { Page } from "./Paging.js"
export * from "./Event.js"
export * from "./Transactor.js"
export * from "./Command.js"
export * from "./Idempotency.js"
export * from "./Storage.js"
export * from "./Validation.js"
export * as Text from "./Text.js"
export * as Sha256 from "./Sha256.js"
