/**
 * The fund's domain events, appended to the outbox in the transaction of the change they record.
 * They carry ids, codes and amounts, never personal data (no names, no objection texts).
 *
 * @module
 */
import { Schema } from "effect"
import { TransferId } from "../ledger/Ledger.js"
import { Code, EntryKind, ObjectionId, ProductId, RoundId } from "./Fund.js"

/** The community's fund settings changed. */
export const FundSettingsChanged = Schema.TaggedStruct("FundSettingsChanged", {
  noticeDays: Schema.Int,
  version: Schema.Int
})
/** A product was added. */
export const ProductAdded = Schema.TaggedStruct("ProductAdded", { productId: ProductId, unitPrice: Schema.Int })
/** A product was changed (name, price or whether it is on sale). */
export const ProductUpdated = Schema.TaggedStruct("ProductUpdated", {
  productId: ProductId,
  unitPrice: Schema.Int,
  active: Schema.Boolean
})
/** A sub-fund was created. */
export const SubFundAdded = Schema.TaggedStruct("SubFundAdded", { code: Code })
/** A money entry was recorded (and its ledger transfer posted). */
export const EntryRecorded = Schema.TaggedStruct("EntryRecorded", {
  entryId: TransferId,
  kind: EntryKind,
  amount: Schema.Int
})
/** A round was drafted. */
export const RoundDrafted = Schema.TaggedStruct("RoundDrafted", { roundId: RoundId, pool: Schema.Int })
/** A draft was revised. */
export const RoundRevised = Schema.TaggedStruct("RoundRevised", { roundId: RoundId, pool: Schema.Int })
/** A round was submitted: its outcome frozen. */
export const RoundSubmitted = Schema.TaggedStruct("RoundSubmitted", {
  roundId: RoundId,
  allocated: Schema.Int,
  requiredApprovals: Schema.Int
})
/** A round's public notice (公示) started. */
export const NoticeStarted = Schema.TaggedStruct("NoticeStarted", { roundId: RoundId, endsAt: Schema.Int })
/** Someone objected to a round in notice. */
export const ObjectionFiled = Schema.TaggedStruct("ObjectionFiled", { roundId: RoundId, objectionId: ObjectionId })
/** An objection was answered. */
export const ObjectionAnswered = Schema.TaggedStruct("ObjectionAnswered", {
  roundId: RoundId,
  objectionId: ObjectionId
})
/** An approver signed off a round (approving or rejecting); `decided` when it settled the round. */
export const RoundSignedOff = Schema.TaggedStruct("RoundSignedOff", {
  roundId: RoundId,
  decision: Schema.Literals(["approve", "reject"]),
  decided: Schema.NullOr(Schema.Literals(["approved", "rejected"]))
})
/** An approved round's payment was scheduled. */
export const RoundScheduled = Schema.TaggedStruct("RoundScheduled", { roundId: RoundId, at: Schema.Int })
/** A round was paid: its holds posted. */
export const RoundPaid = Schema.TaggedStruct("RoundPaid", { roundId: RoundId, amount: Schema.Int })
/** A round's payment failed: its holds voided. */
export const RoundFailed = Schema.TaggedStruct("RoundFailed", { roundId: RoundId })
/** A round was cancelled (its holds, if any, voided). */
export const RoundCancelled = Schema.TaggedStruct("RoundCancelled", { roundId: RoundId })

/** Every event of the fund. */
export const FundEvent = Schema.Union([
  FundSettingsChanged,
  ProductAdded,
  ProductUpdated,
  SubFundAdded,
  EntryRecorded,
  RoundDrafted,
  RoundRevised,
  RoundSubmitted,
  NoticeStarted,
  ObjectionFiled,
  ObjectionAnswered,
  RoundSignedOff,
  RoundScheduled,
  RoundPaid,
  RoundFailed,
  RoundCancelled
])
/** Every event of the fund. */
export type FundEvent = typeof FundEvent.Type
