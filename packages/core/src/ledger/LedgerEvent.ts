/**
 * The domain events of the ledger.
 *
 * Payloads carry ids, units, kinds, counts and amounts, never personal data (no owner ids, no
 * reasons: a reason may name a person), so the event log can be kept and streamed as it is. What
 * a transfer was for stays in the transfer itself.
 *
 * Envelopes (see `makeEvent`): account events have `aggregateType` `LedgerAccount`, the account's
 * id and its version after the change; batch events (`TransfersApplied`, `HoldsExpired`) have
 * `aggregateType` `LedgerBatch`, the batch id (or the first transfer's id when the batch has none)
 * and the community's chain sequence after the change.
 *
 * @module
 */
import { Schema } from "effect"
import { AccountKind, BatchId, LedgerAccountId, OwnerType, TransferId, Unit } from "./Ledger.js"

/** An account was opened (with zero totals). */
export const LedgerAccountOpened = Schema.TaggedStruct("LedgerAccountOpened", {
  accountId: LedgerAccountId,
  unit: Unit,
  kind: AccountKind,
  ownerType: OwnerType
})

/** An account was closed: it refuses new transfers. */
export const LedgerAccountClosed = Schema.TaggedStruct("LedgerAccountClosed", { accountId: LedgerAccountId })

/** A closed account was reopened. */
export const LedgerAccountReopened = Schema.TaggedStruct("LedgerAccountReopened", { accountId: LedgerAccountId })

/** How much of one unit the transfers of a batch moved (the sum of their amounts). */
export const UnitTotal = Schema.Struct({ unit: Unit, amount: Schema.Int })
/** How much of one unit a batch moved. */
export type UnitTotal = typeof UnitTotal.Type

/**
 * A linked batch was applied: the transfers it created (replayed requests are not listed), how
 * many, and the total amount per unit, units in code order. One event per batch; a batch that
 * only replayed earlier transfers records none.
 */
export const TransfersApplied = Schema.TaggedStruct("TransfersApplied", {
  batchId: Schema.NullOr(BatchId),
  transferIds: Schema.Array(TransferId),
  count: Schema.Int,
  totals: Schema.Array(UnitTotal)
})

/** Holds passed their timeout and were released (the pending transfers' ids). */
export const HoldsExpired = Schema.TaggedStruct("HoldsExpired", { transferIds: Schema.Array(TransferId) })

/** Every event of the ledger. */
export const LedgerEvent = Schema.Union([
  LedgerAccountOpened,
  LedgerAccountClosed,
  LedgerAccountReopened,
  TransfersApplied,
  HoldsExpired
])
/** Every event of the ledger. */
export type LedgerEvent = typeof LedgerEvent.Type
