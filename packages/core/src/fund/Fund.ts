/**
 * The fund's schemas: its settings, Candy Commune's products, earmarked sub-funds, the money
 * entries that move through the ledger, and allocation rounds with their approvals.
 *
 * The community public-welfare fund (社区公益基金) keeps no balances of its own: every fen is a
 * ledger transfer (see {@link FundCodes} and `FundAccounts`), and a fund record (an entry, a
 * round's hold) names the transfer that moved it, so the fund's statement is reconciled to the
 * ledger to the fen. Times are UTC epoch milliseconds, as in the ledger.
 *
 * @module
 */
import { Schema } from "effect"
import { CommunityId, HouseholdId, ResidentId, Uuid7 } from "../kernel/Ids.js"
import * as Text from "../kernel/Text.js"
import { Amount, Total, TransferId } from "../ledger/Ledger.js"
import * as Allocation from "./Allocation.js"

/** Identifies a product of the social enterprise (Candy Commune 糖果公社). */
export const ProductId = Uuid7.pipe(Schema.brand("ProductId"))
/** Identifies a product. */
export type ProductId = typeof ProductId.Type

/** Identifies an allocation round. */
export const RoundId = Uuid7.pipe(Schema.brand("RoundId"))
/** Identifies an allocation round. */
export type RoundId = typeof RoundId.Type

/** Identifies an objection filed during a round's public notice. */
export const ObjectionId = Uuid7.pipe(Schema.brand("ObjectionId"))
/** Identifies an objection. */
export type ObjectionId = typeof ObjectionId.Type

/**
 * A short code: lower-case letters, digits and `-`, starting with a letter or digit, at most 32
 * (`elderly-meals`, `c1`). Sub-funds and round candidates are named by one.
 */
export const Code = Schema.String.check(
  Schema.isPattern(/^[0-9a-z][0-9a-z-]{0,31}$/u, {
    message: "must be lower-case letters, digits and '-', at most 32 / 须为小写字母、数字和连字符，最多 32 个"
  })
)

/** A product's stock-keeping code: upper-case letters, digits, `_` and `-` (`FAN-01`), as in the ledger's `PCS:` units. */
export const Sku = Schema.String.check(
  Schema.isPattern(/^[A-Z0-9][A-Z0-9_-]{0,31}$/u, {
    message: "must be upper-case letters, digits, '_' and '-' (FAN-01) / 须为大写字母、数字、下划线和连字符"
  })
)

/**
 * The transfer codes the fund uses in the ledger (what a transfer is for). A fund statement
 * classifies the fund's cash movements by them.
 */
export const FundCodes = {
  /** A sale of Candy Commune: enterprise cash ← sales income. */
  sale: 2001,
  /** A design fee paid by the enterprise. */
  design_fee: 2002,
  /** A production cost paid by the enterprise. */
  production_cost: 2003,
  /** Net proceeds moved from the enterprise to the fund. */
  proceeds: 2010,
  /** A donation to the fund. */
  donation: 2020,
  /** Other income of the fund (interest, a grant from the street office …). */
  other_income: 2021,
  /** A cost of the fund itself (printing the notice, a bank fee). */
  cost: 2030,
  /** Money earmarked: moved from the general fund to a sub-fund. */
  earmark: 2040,
  /** An approved allocation: held when approved, posted when paid, voided when cancelled. */
  grant: 2050
} as const

/** What a money entry records (see {@link FundCodes}). */
export const EntryKind = Schema.Literals([
  "sale",
  "design_fee",
  "production_cost",
  "proceeds",
  "donation",
  "other_income",
  "cost",
  "earmark"
])
/** What a money entry records. */
export type EntryKind = typeof EntryKind.Type

/** One sign-off rule: a round whose allocated total is at least `fromFen` needs `approvals` approvers. */
export const SignOffRule = Schema.Struct({
  fromFen: Total,
  approvals: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 9 }))
})
/** One sign-off rule. */
export type SignOffRule = typeof SignOffRule.Type

/**
 * How a community runs its fund: how long a round stays in public notice (公示) and how many
 * approvers must sign above which amounts (N of the community's approvers).
 */
export const FundSettings = Schema.Struct({
  communityId: CommunityId,
  /** Days of public notice before approvers may decide (1 to 60; 7 by default). */
  noticeDays: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 60 })),
  /**
   * Sign-off rules, `fromFen` strictly increasing and the first from 0; the rule with the
   * largest `fromFen` not above a round's total applies.
   */
  signOff: Schema.Array(SignOffRule).check(Schema.isMinLength(1), Schema.isMaxLength(10)),
  /** Starts at 1; each change adds 1. */
  version: Schema.Int
})
/** How a community runs its fund. */
export type FundSettings = typeof FundSettings.Type

/** The settings a community has until it sets its own: 7 days of notice; 1 approver, 2 from ¥5,000, 3 from ¥50,000. */
export const defaultSettings = (communityId: CommunityId): FundSettings => ({
  communityId,
  noticeDays: 7,
  signOff: [
    { fromFen: 0, approvals: 1 },
    { fromFen: 500_000, approvals: 2 },
    { fromFen: 5_000_000, approvals: 3 }
  ],
  version: 0
})

/** What setting a community's fund rules takes (`expectedVersion`: the version read, 0 for the defaults). */
export const UpdateSettingsInput = Schema.Struct({
  noticeDays: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 60 })),
  signOff: Schema.Array(SignOffRule).check(Schema.isMinLength(1), Schema.isMaxLength(10)),
  expectedVersion: Schema.Int
})

/** A product Candy Commune sells (mascot goods: 幸运君折叠伞, 风扇 …). */
export const Product = Schema.Struct({
  id: ProductId,
  communityId: CommunityId,
  sku: Sku,
  name: Text.line(60),
  /** The list price in fen. */
  unitPrice: Amount,
  active: Schema.Boolean,
  version: Schema.Int,
  createdAt: Schema.Int
})
/** A product Candy Commune sells. */
export type Product = typeof Product.Type

/** What adding a product takes. */
export const AddProductInput = Schema.Struct({ sku: Sku, name: Text.line(60), unitPrice: Amount })

/** What changing a product takes: any of its name, price and whether it is on sale. */
export const UpdateProductInput = Schema.Struct({
  name: Schema.optionalKey(Text.line(60)),
  unitPrice: Schema.optionalKey(Amount),
  active: Schema.optionalKey(Schema.Boolean),
  expectedVersion: Schema.Int
})

/** An earmarked sub-fund (专项基金): money kept for one purpose, with its own cash account. */
export const SubFund = Schema.Struct({
  communityId: CommunityId,
  code: Code,
  name: Text.line(60),
  purpose: Text.line(200),
  createdAt: Schema.Int
})
/** An earmarked sub-fund. */
export type SubFund = typeof SubFund.Type

/** What creating a sub-fund takes. */
export const AddSubFundInput = Schema.Struct({ code: Code, name: Text.line(60), purpose: Text.line(200) })

/**
 * A money entry: one movement of the enterprise or the fund, recorded with the ledger transfer
 * that moved it (same id; the id is chosen by the caller and is the idempotency key).
 */
export const FundEntry = Schema.Struct({
  id: TransferId,
  communityId: CommunityId,
  kind: EntryKind,
  /** Fen moved. */
  amount: Amount,
  /** The product sold (a sale) or produced / designed (a cost, optional). */
  productId: Schema.NullOr(ProductId),
  /** Pieces sold (a sale), else `null`. */
  quantity: Schema.NullOr(Schema.Int),
  /** The sub-fund the money went to or came from (`null`: the general fund). */
  subFund: Schema.NullOr(Code),
  /**
   * Who paid or was paid, as it may be shown: a donor who wishes to be named, a supplier;
   * `null` for an anonymous donor. Never shown in the public report.
   */
  counterparty: Schema.NullOr(Text.line(80)),
  note: Text.line(140),
  /** When it happened (UTC epoch ms, not negative; a sale's day, a donation's receipt). */
  occurredAt: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** The subject who recorded it. */
  recordedBy: Schema.String
})
/** A money entry. */
export type FundEntry = typeof FundEntry.Type

/** What recording a money entry takes; `amount` of a sale defaults to quantity × the product's price. */
export const RecordEntryInput = Schema.Struct({
  id: TransferId,
  kind: EntryKind,
  amount: Schema.optionalKey(Amount),
  productId: Schema.optionalKey(ProductId),
  quantity: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1_000_000 }))),
  subFund: Schema.optionalKey(Code),
  counterparty: Schema.optionalKey(Text.line(80)),
  note: Text.line(140),
  occurredAt: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)))
})

/** Whether a candidate is a community project or a family in difficulty (whose details are private). */
export const CandidateKind = Schema.Literals(["project", "family"])
/** Whether a candidate is a project or a family. */
export type CandidateKind = typeof CandidateKind.Type

/**
 * A candidate of a round. A family is named by the resident who applied (`residentId`); the
 * service records their household, so that an approver of the same household steps aside and the
 * family sees its own application. `label` is for the committee; the public report never shows
 * a family's label.
 */
export const RoundCandidate = Schema.Struct({
  key: Code,
  kind: CandidateKind,
  label: Text.line(80),
  residentId: Schema.NullOr(ResidentId),
  householdId: Schema.NullOr(HouseholdId),
  /** The amount asked for, in fen. */
  request: Total,
  /** Need points (a non-negative integer; zero gets nothing). */
  weight: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1_000_000 })),
  /** Priority tier, 1 first. */
  tier: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 })),
  minimum: Schema.NullOr(Total),
  cap: Schema.NullOr(Total)
})
/** A candidate of a round. */
export type RoundCandidate = typeof RoundCandidate.Type

/** A candidate as a drafter gives it; the household is looked up from the resident. */
export const CandidateInput = Schema.Struct({
  key: Code,
  kind: CandidateKind,
  label: Text.line(80),
  residentId: Schema.optionalKey(ResidentId),
  request: Total,
  weight: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1_000_000 })),
  tier: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 }))),
  minimum: Schema.optionalKey(Total),
  cap: Schema.optionalKey(Total)
})
/** A candidate as a drafter gives it. */
export type CandidateInput = typeof CandidateInput.Type

/** The most candidates one round may hold. */
export const MAX_CANDIDATES = 1_000

/**
 * Where a round stands:
 * `draft` → `submitted` → `notice` (公示: residents may object) → `approved` | `rejected`;
 * `approved` → `scheduled` → `paid` | `failed`; `cancelled` from any state before `paid`
 * (except `rejected` and `failed`).
 */
export const RoundStatus = Schema.Literals([
  "draft",
  "submitted",
  "notice",
  "approved",
  "rejected",
  "scheduled",
  "paid",
  "failed",
  "cancelled"
])
/** Where a round stands. */
export type RoundStatus = typeof RoundStatus.Type

/** An objection filed during public notice, and its answer. */
export const Objection = Schema.Struct({
  id: ObjectionId,
  /** The subject who objected (a resident's id for a resident); never shown publicly. */
  by: Schema.String,
  text: Text.line(500),
  at: Schema.Int,
  answer: Schema.NullOr(Schema.Struct({ text: Text.line(500), by: Schema.String, at: Schema.Int }))
})
/** An objection and its answer. */
export type Objection = typeof Objection.Type

/** An approver's decision on a round. */
export const SignOff = Schema.Struct({
  by: Schema.String,
  decision: Schema.Literals(["approve", "reject"]),
  note: Text.line(200),
  at: Schema.Int
})
/** An approver's decision. */
export type SignOff = typeof SignOff.Type

/** The hold of one candidate's allocation: the pending ledger transfer, and how it ended. */
export const RoundHold = Schema.Struct({
  key: Code,
  amount: Amount,
  transferId: TransferId,
  status: Schema.Literals(["pending", "posted", "voided"])
})
/** The hold of one candidate's allocation. */
export type RoundHold = typeof RoundHold.Type

/** An allocation round: a pool shared among candidates, decided the way a residents' committee works. */
export const AllocationRound = Schema.Struct({
  id: RoundId,
  communityId: CommunityId,
  version: Schema.Int,
  status: RoundStatus,
  title: Text.line(80),
  purpose: Text.line(500),
  /** The pool in fen. */
  pool: Total,
  reserveBasisPoints: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: Allocation.MAX_BASIS_POINTS })),
  /** The sub-fund the money comes from, `null` for the general fund. */
  subFund: Schema.NullOr(Code),
  candidates: Schema.Array(RoundCandidate).check(Schema.isMaxLength(MAX_CANDIDATES)),
  /** The allocator's outcome, frozen when the round is submitted. */
  outcome: Schema.NullOr(Allocation.Outcome),
  /** Approvals needed, fixed from the settings when the round is submitted. */
  requiredApprovals: Schema.NullOr(Schema.Int),
  /** The subject who drafted it, who never approves it. */
  authoredBy: Schema.String,
  /** When the public notice (公示) started and ends (UTC epoch ms), once it started. */
  noticeStartsAt: Schema.NullOr(Schema.Int),
  noticeEndsAt: Schema.NullOr(Schema.Int),
  objections: Schema.Array(Objection),
  signOffs: Schema.Array(SignOff),
  holds: Schema.Array(RoundHold),
  /** When payment is planned (UTC epoch ms), once scheduled. */
  scheduledFor: Schema.NullOr(Schema.Int),
  /** Why it was rejected, failed or cancelled. */
  closingNote: Schema.NullOr(Text.line(200)),
  createdAt: Schema.Int,
  updatedAt: Schema.Int
})
/** An allocation round. */
export type AllocationRound = typeof AllocationRound.Type

/** What drafting a round takes. */
export const DraftRoundInput = Schema.Struct({
  title: Text.line(80),
  purpose: Text.line(500),
  pool: Total,
  reserveBasisPoints: Schema.optionalKey(
    Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: Allocation.MAX_BASIS_POINTS }))
  ),
  subFund: Schema.optionalKey(Code),
  candidates: Schema.Array(CandidateInput).check(Schema.isMaxLength(MAX_CANDIDATES))
})
/** What drafting a round takes. */
export type DraftRoundInput = typeof DraftRoundInput.Type

/** What revising a draft takes: any field of the draft, and the version read. */
export const ReviseRoundInput = Schema.Struct({
  title: Schema.optionalKey(Text.line(80)),
  purpose: Schema.optionalKey(Text.line(500)),
  pool: Schema.optionalKey(Total),
  reserveBasisPoints: Schema.optionalKey(
    Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: Allocation.MAX_BASIS_POINTS }))
  ),
  candidates: Schema.optionalKey(Schema.Array(CandidateInput).check(Schema.isMaxLength(MAX_CANDIDATES))),
  expectedVersion: Schema.Int
})

/** Filters of a round list. */
export interface RoundQuery {
  readonly communityId: CommunityId
  readonly status?: RoundStatus | undefined
  /** Only rounds with a candidate of this household (a family's own applications). */
  readonly householdId?: HouseholdId | undefined
}
