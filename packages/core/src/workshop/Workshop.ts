/**
 * The piece-work workshop's records (Xin Workshop 馨工坊): partner factories, the products they
 * send for assembly, work orders with dated piece rates, enrolled workers, every movement of
 * pieces (each one ledger transfer), pay lines, pay periods with their payslips, and invoices.
 *
 * Quantities are counted in **pieces** of the order's product: one piece is one product's worth
 * of parts (its bill of parts says how many of each) before assembly, and one item after it.
 * Money is integer fen. Times are UTC epoch milliseconds.
 *
 * @module
 */
import { Schema } from "effect"
import { CommunityId, ResidentId, Uuid7 } from "../kernel/Ids.js"
import * as Text from "../kernel/Text.js"
import { Amount, Total, TransferId } from "../ledger/Ledger.js"

/** A partner factory's id. */
export const FactoryId = Uuid7.pipe(Schema.brand("FactoryId"))
/** A partner factory's id. */
export type FactoryId = typeof FactoryId.Type

/** A workshop product's id (what a factory sends for assembly). */
export const WorkProductId = Uuid7.pipe(Schema.brand("WorkProductId"))
/** A workshop product's id. */
export type WorkProductId = typeof WorkProductId.Type

/** A work order's id. */
export const WorkOrderId = Uuid7.pipe(Schema.brand("WorkOrderId"))
/** A work order's id. */
export type WorkOrderId = typeof WorkOrderId.Type

/** An enrolled worker's id (not the resident's: a resident may leave and enrol again). */
export const WorkerId = Uuid7.pipe(Schema.brand("WorkerId"))
/** An enrolled worker's id. */
export type WorkerId = typeof WorkerId.Type

/** A pay line's id. */
export const PayLineId = Uuid7.pipe(Schema.brand("PayLineId"))
/** A pay line's id. */
export type PayLineId = typeof PayLineId.Type

/** A pay period's id. */
export const PayPeriodId = Uuid7.pipe(Schema.brand("PayPeriodId"))
/** A pay period's id. */
export type PayPeriodId = typeof PayPeriodId.Type

/** An invoice's id. */
export const InvoiceId = Uuid7.pipe(Schema.brand("InvoiceId"))
/** An invoice's id. */
export type InvoiceId = typeof InvoiceId.Type

/** A product's code within the community, also its ledger unit `PCS:<sku>`: `CLIP-A3`. */
export const WorkSku = Schema.String.check(
  Schema.isPattern(/^[A-Z0-9][A-Z0-9_-]{0,31}$/u, {
    message: "must be upper-case letters, digits, '_' and '-' (CLIP-A3) / 须为大写字母、数字、下划线和连字符"
  })
)
/** A product's code. */
export type WorkSku = typeof WorkSku.Type

/** A non-negative amount of fen (a rate, a price, a wage). */
export const Fen = Total
/** A positive count of pieces. */
export const Pieces = Amount
/** A UTC epoch millisecond, not negative. */
export const Instant = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * The workshop's settings for a community: the part-time hourly minimum wage that piece rates are
 * checked against (fen per hour; Zhejiang's and Shanghai's part-time minimums are set by the
 * provinces and change, so the community configures it), and the time zone day boundaries use.
 */
export const WorkshopSettings = Schema.Struct({
  communityId: CommunityId,
  /** The part-time hourly minimum wage in fen (2,600 is 26 元 an hour). */
  minimumHourlyWageFen: Fen,
  version: Schema.Int,
  updatedAt: Instant
})
/** The workshop's settings. */
export type WorkshopSettings = typeof WorkshopSettings.Type

/** What configuring the workshop takes. */
export const ConfigureWorkshopInput = Schema.Struct({ minimumHourlyWageFen: Fen })
/** What configuring the workshop takes. */
export type ConfigureWorkshopInput = typeof ConfigureWorkshopInput.Type

/**
 * A partner factory. `subjects` are the authenticated subjects (login names, token subjects) of
 * its staff: an actor with the `factory` role sees the factory whose `subjects` hold its subject,
 * and only that factory's orders and invoices.
 */
export const Factory = Schema.Struct({
  id: FactoryId,
  communityId: CommunityId,
  name: Text.line(80),
  contact: Text.line(120),
  subjects: Schema.Array(Text.trimmedLine(200)),
  version: Schema.Int,
  createdAt: Instant
})
/** A partner factory. */
export type Factory = typeof Factory.Type

/** What adding a partner factory takes. */
export const AddFactoryInput = Schema.Struct({
  name: Text.line(80),
  contact: Text.line(120),
  subjects: Schema.optionalKey(Schema.Array(Text.trimmedLine(200)))
})
/** What adding a partner factory takes. */
export type AddFactoryInput = typeof AddFactoryInput.Type

/** One line of a product's bill of parts: a part and how many of it one piece takes. */
export const PartLine = Schema.Struct({
  name: Text.line(60),
  perPiece: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1000 }))
})
/** One line of a bill of parts. */
export type PartLine = typeof PartLine.Type

/**
 * A product a factory sends for assembly: its bill of parts, and the standard seconds one piece
 * takes a practised worker (what fair pay is checked with: a rate of `r` fen a piece at `s`
 * seconds a piece pays `r × 3600 / s` fen an hour).
 */
export const WorkProduct = Schema.Struct({
  id: WorkProductId,
  communityId: CommunityId,
  factoryId: FactoryId,
  sku: WorkSku,
  name: Text.line(80),
  parts: Schema.Array(PartLine),
  standardSeconds: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 86_400 })),
  version: Schema.Int,
  createdAt: Instant
})
/** A product a factory sends for assembly. */
export type WorkProduct = typeof WorkProduct.Type

/** What adding a product takes. */
export const AddWorkProductInput = Schema.Struct({
  factoryId: FactoryId,
  sku: WorkSku,
  name: Text.line(80),
  parts: Schema.Array(PartLine),
  standardSeconds: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 86_400 }))
})
/** What adding a product takes. */
export type AddWorkProductInput = typeof AddWorkProductInput.Type

/**
 * What a rejected piece earns the worker:
 * - `unpaid`: nothing;
 * - `paid`: the full rate (the fault was the parts');
 * - `partly_paid`: `rejectSharePercent` % of the rate, rounded down to the fen;
 * - `charged`: nothing, and a deduction of `rejectChargeFen` a piece (proposed, confirmed by the
 *   coordinator like every deduction).
 */
export const RejectPolicy = Schema.Literals(["unpaid", "paid", "partly_paid", "charged"])
/** What a rejected piece earns. */
export type RejectPolicy = typeof RejectPolicy.Type

/**
 * An order's quality rules: what a reject earns, and how much scrap (parts damaged or lost) is
 * tolerated before a deduction is proposed: `scrapTolerancePermille` ‰ of the pieces issued to the
 * worker for the order (20 is 2 %). Scrap beyond it proposes a deduction of `scrapChargeFen` a
 * piece, which the coordinator confirms or dismisses.
 */
export const QualityRules = Schema.Struct({
  rejectPolicy: RejectPolicy,
  rejectSharePercent: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 100 })),
  rejectChargeFen: Fen,
  scrapTolerancePermille: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1000 })),
  scrapChargeFen: Fen
})
/** An order's quality rules. */
export type QualityRules = typeof QualityRules.Type

/**
 * One entry of an order's dated rate table: from `effectiveFrom` on, an accepted piece earns
 * `rateFen`. Entries are only ever added, with `effectiveFrom` not before the time they are
 * added, so a rate change never rewrites what was already earned.
 */
export const RateEntry = Schema.Struct({
  effectiveFrom: Instant,
  rateFen: Fen,
  setBy: Schema.String,
  setAt: Instant
})
/** One entry of an order's rate table. */
export type RateEntry = typeof RateEntry.Type

/**
 * The fair-pay check of a rate: the hourly pay it gives at the product's standard seconds
 * (rounded down to the fen), the community's minimum, and whether it falls below.
 */
export const FairPay = Schema.Struct({
  rateFen: Fen,
  standardSeconds: Schema.Int,
  effectiveHourlyFen: Fen,
  minimumHourlyWageFen: Fen,
  belowMinimum: Schema.Boolean
})
/** The fair-pay check of a rate. */
export type FairPay = typeof FairPay.Type

/**
 * A work order's status: `draft` (created, rates checked) → `open` (pieces may move) → `closed`
 * (finished: no more sign-outs; returns, deliveries and invoices still allowed) ; `draft` or
 * `open` → `cancelled` only while nothing is in workers' custody.
 */
export const WorkOrderStatus = Schema.Literals(["draft", "open", "closed", "cancelled"])
/** A work order's status. */
export type WorkOrderStatus = typeof WorkOrderStatus.Type

/** A work order: what a factory asked for, at what price, paid at which rates, by when. */
export const WorkOrder = Schema.Struct({
  id: WorkOrderId,
  communityId: CommunityId,
  factoryId: FactoryId,
  productId: WorkProductId,
  /** The product's SKU, copied: the order's ledger unit is `PCS:<sku>`. */
  sku: WorkSku,
  title: Text.line(80),
  /** Pieces ordered. */
  quantity: Pieces,
  /** Fen charged to the factory per accepted piece delivered. */
  priceFen: Fen,
  /** The dated rate table, oldest first; never empty. */
  rates: Schema.Array(RateEntry),
  deadline: Instant,
  quality: QualityRules,
  /** The fair-pay check of the latest rate, at the time it was set. */
  fairPay: FairPay,
  /** Set when the order was started although its rate was below the minimum (who and why). */
  lowRateAcknowledgement: Schema.NullOr(Schema.Struct({ by: Schema.String, reason: Text.line(200), at: Instant })),
  status: WorkOrderStatus,
  createdBy: Schema.String,
  createdAt: Instant,
  startedAt: Schema.NullOr(Instant),
  version: Schema.Int
})
/** A work order. */
export type WorkOrder = typeof WorkOrder.Type

/** What creating a work order takes (it starts as a `draft`). */
export const CreateWorkOrderInput = Schema.Struct({
  productId: WorkProductId,
  title: Text.line(80),
  quantity: Pieces,
  priceFen: Fen,
  rateFen: Fen,
  deadline: Instant,
  quality: QualityRules
})
/** What creating a work order takes. */
export type CreateWorkOrderInput = typeof CreateWorkOrderInput.Type

/**
 * What starting an order takes: a rate below the minimum wage is refused (`InvalidInput`, with
 * the hourly figures) unless acknowledged with a reason, which the order keeps.
 */
export const StartWorkOrderInput = Schema.Struct({
  acknowledgeLowRate: Schema.optionalKey(Text.line(200))
})
/** What starting an order takes. */
export type StartWorkOrderInput = typeof StartWorkOrderInput.Type

/** What a rate change takes: the new rate and when it takes effect (not in the past). */
export const ChangeRateInput = Schema.Struct({
  rateFen: Fen,
  effectiveFrom: Schema.optionalKey(Instant)
})
/** What a rate change takes. */
export type ChangeRateInput = typeof ChangeRateInput.Type

/** An enrolled worker: a resident of the community who takes piece-work. */
export const Worker = Schema.Struct({
  id: WorkerId,
  communityId: CommunityId,
  residentId: ResidentId,
  /** The name printed on payslips (as the worker wishes it). */
  displayName: Text.line(60),
  active: Schema.Boolean,
  enrolledAt: Instant,
  version: Schema.Int
})
/** An enrolled worker. */
export type Worker = typeof Worker.Type

/** What enrolling a worker takes (the resident must exist in the community). */
export const EnrollWorkerInput = Schema.Struct({ residentId: ResidentId, displayName: Text.line(60) })
/** What enrolling a worker takes. */
export type EnrollWorkerInput = typeof EnrollWorkerInput.Type

/**
 * What a movement of pieces is; each is one ledger transfer of `PCS:<sku>` between the order's
 * accounts:
 *
 * | kind | from → to |
 * | --- | --- |
 * | `receive` | factory → workshop stock (parts arrive) |
 * | `issue` | stock → the worker's custody (sign-out, on site or home) |
 * | `accept` | custody → accepted (assembled, passed inspection: earns the rate) |
 * | `reject` | custody → rejected (assembled, failed: the reject policy applies) |
 * | `unused` | custody → stock (parts handed back unused) |
 * | `scrap` | custody → scrap (parts damaged or lost: the tolerance applies) |
 * | `deliver` | accepted → factory (items shipped: invoiced) |
 * | `return_to_factory` | stock → factory (unused parts sent back) |
 *
 * So at every moment, per order and worker: issued = accepted + rejected + scrap + unused +
 * still in custody; and per order: received = stock + custody + accepted + rejected + scrap +
 * delivered + returned to factory.
 */
export const MovementKind = Schema.Literals([
  "receive",
  "issue",
  "accept",
  "reject",
  "unused",
  "scrap",
  "deliver",
  "return_to_factory"
])
/** What a movement of pieces is. */
export type MovementKind = typeof MovementKind.Type

/** Where signed-out parts are assembled. */
export const WorkPlace = Schema.Literals(["onsite", "home"])
/** Where signed-out parts are assembled. */
export type WorkPlace = typeof WorkPlace.Type

/**
 * One movement of pieces, recorded with the ledger transfer that moved them (same id; the caller
 * chooses it and it is the idempotency key).
 */
export const Movement = Schema.Struct({
  id: TransferId,
  communityId: CommunityId,
  orderId: WorkOrderId,
  kind: MovementKind,
  /** The worker, for `issue`, `accept`, `reject`, `unused` and `scrap`; else `null`. */
  workerId: Schema.NullOr(WorkerId),
  quantity: Pieces,
  /** Where an `issue` goes; else `null`. */
  place: Schema.NullOr(WorkPlace),
  note: Text.line(140),
  occurredAt: Instant,
  recordedBy: Schema.String
})
/** One movement of pieces. */
export type Movement = typeof Movement.Type

/** What receiving parts from the factory takes. */
export const ReceiveInput = Schema.Struct({
  id: TransferId,
  orderId: WorkOrderId,
  quantity: Pieces,
  note: Schema.optionalKey(Text.line(140)),
  occurredAt: Schema.optionalKey(Instant)
})
/** What receiving parts takes. */
export type ReceiveInput = typeof ReceiveInput.Type

/** What signing parts out to a worker takes. */
export const IssueInput = Schema.Struct({
  id: TransferId,
  orderId: WorkOrderId,
  workerId: WorkerId,
  quantity: Pieces,
  place: WorkPlace,
  note: Schema.optionalKey(Text.line(140)),
  occurredAt: Schema.optionalKey(Instant)
})
/** What signing parts out takes. */
export type IssueInput = typeof IssueInput.Type

/**
 * What a worker's return takes: how many pieces come back accepted, rejected, unused and
 * scrapped (damaged or lost), at least one of them positive. The return is one linked batch: each
 * positive count is one movement, with id `derivedTransferId("<id>/<kind>")` (WorkshopAccounts) except the first
 * positive kind in the order accept, reject, unused, scrap, which takes `id` itself; it all
 * happens or none of it.
 */
export const ReturnInput = Schema.Struct({
  id: TransferId,
  orderId: WorkOrderId,
  workerId: WorkerId,
  accepted: Schema.optionalKey(Total),
  rejected: Schema.optionalKey(Total),
  unused: Schema.optionalKey(Total),
  scrapped: Schema.optionalKey(Total),
  note: Schema.optionalKey(Text.line(140)),
  occurredAt: Schema.optionalKey(Instant)
})
/** What a worker's return takes. */
export type ReturnInput = typeof ReturnInput.Type

/** What shipping accepted items to the factory, or sending unused parts back, takes. */
export const ShipInput = Schema.Struct({
  id: TransferId,
  orderId: WorkOrderId,
  quantity: Pieces,
  note: Schema.optionalKey(Text.line(140)),
  occurredAt: Schema.optionalKey(Instant)
})
/** What shipping takes. */
export type ShipInput = typeof ShipInput.Type

/**
 * What a pay line is:
 * - `earning`: accepted pieces at the rate in force when they were accepted;
 * - `reject_pay`: rejected pieces paid in full or in part under the order's reject policy;
 * - `bonus`: an explicit addition;
 * - `deduction`: an explicit subtraction (scrap beyond the tolerance, a charged reject, or one the
 *   coordinator adds).
 */
export const PayLineKind = Schema.Literals(["earning", "reject_pay", "bonus", "deduction"])
/** What a pay line is. */
export type PayLineKind = typeof PayLineKind.Type

/**
 * A pay line's status: `confirmed` lines count; a `proposed` deduction (from scrap beyond the
 * tolerance or a charged reject) counts only once the coordinator confirms it, or never if
 * dismissed.
 */
export const PayLineStatus = Schema.Literals(["confirmed", "proposed", "dismissed"])
/** A pay line's status. */
export type PayLineStatus = typeof PayLineStatus.Type

/**
 * One line of a worker's pay, in fen. `amountFen` is positive for earnings and bonuses and
 * negative for deductions. A confirmed line is posted to the money ledger (wages expense ↔ the
 * worker's wages payable) when it is confirmed, with `transferId`.
 */
export const PayLine = Schema.Struct({
  id: PayLineId,
  communityId: CommunityId,
  workerId: WorkerId,
  orderId: Schema.NullOr(WorkOrderId),
  kind: PayLineKind,
  status: PayLineStatus,
  /** Pieces, for lines that come from a movement; else `null`. */
  quantity: Schema.NullOr(Schema.Int),
  /** Fen a piece, for lines that come from a movement; else `null`. */
  rateFen: Schema.NullOr(Schema.Int),
  amountFen: Schema.Int,
  /** The movement the line comes from, if any. */
  movementId: Schema.NullOr(TransferId),
  /** The money transfer that posted the line (confirmed lines), else `null`. */
  transferId: Schema.NullOr(TransferId),
  /** The pay period that paid it, once paid; else `null`. */
  periodId: Schema.NullOr(PayPeriodId),
  note: Text.line(140),
  occurredAt: Instant,
  recordedBy: Schema.String,
  version: Schema.Int
})
/** One line of a worker's pay. */
export type PayLine = typeof PayLine.Type

/** What adding a bonus or a deduction takes (confirmed at once: the coordinator adds it). */
export const AddPayLineInput = Schema.Struct({
  id: PayLineId,
  workerId: WorkerId,
  kind: Schema.Literals(["bonus", "deduction"]),
  /** Positive fen: added for a bonus, subtracted for a deduction. */
  amountFen: Amount,
  orderId: Schema.optionalKey(WorkOrderId),
  note: Text.line(140),
  occurredAt: Schema.optionalKey(Instant)
})
/** What adding a bonus or a deduction takes. */
export type AddPayLineInput = typeof AddPayLineInput.Type

/** One worker's totals in a pay period: what was earned, added, deducted, and paid out. */
export const PayslipTotals = Schema.Struct({
  workerId: WorkerId,
  /** Earnings and reject pay. */
  earnedFen: Schema.Int,
  bonusFen: Schema.Int,
  /** Deductions, as a positive number. */
  deductedFen: Schema.Int,
  /** earned + bonus − deducted. Closing a period refuses a slip whose net would be below zero. */
  netFen: Schema.Int,
  /** Accepted pieces in the period. */
  pieces: Schema.Int,
  /** Standard hours those pieces represent (seconds / 3600, to two decimals). */
  standardHours: Schema.Number,
  /** The payout transfer once paid, else `null`. */
  transferId: Schema.NullOr(TransferId)
})
/** One worker's totals in a pay period. */
export type PayslipTotals = typeof PayslipTotals.Type

/**
 * A pay period's status: `closed` (its lines frozen into payslips) → `paid` (every net amount
 * posted from the workshop's cash to the worker).
 */
export const PayPeriodStatus = Schema.Literals(["closed", "paid"])
/** A pay period's status. */
export type PayPeriodStatus = typeof PayPeriodStatus.Type

/** A pay period: the confirmed pay lines of `[from, to)` not paid before, frozen per worker. */
export const PayPeriod = Schema.Struct({
  id: PayPeriodId,
  communityId: CommunityId,
  from: Instant,
  to: Instant,
  status: PayPeriodStatus,
  slips: Schema.Array(PayslipTotals),
  closedBy: Schema.String,
  closedAt: Instant,
  paidAt: Schema.NullOr(Instant),
  version: Schema.Int
})
/** A pay period. */
export type PayPeriod = typeof PayPeriod.Type

/** What closing a pay period takes: `[from, to)`, `to` not in the future. */
export const ClosePayPeriodInput = Schema.Struct({ id: PayPeriodId, from: Instant, to: Instant })
/** What closing a pay period takes. */
export type ClosePayPeriodInput = typeof ClosePayPeriodInput.Type

/** An invoice's status: `issued` → `paid` (the factory's money reached the workshop's cash). */
export const InvoiceStatus = Schema.Literals(["issued", "paid"])
/** An invoice's status. */
export type InvoiceStatus = typeof InvoiceStatus.Type

/**
 * The factory's invoice for items delivered and not invoiced before: pieces × the order's price.
 * Issuing it posts factory receivable ← workshop sales; its payment posts workshop cash ←
 * factory receivable.
 */
export const Invoice = Schema.Struct({
  id: InvoiceId,
  communityId: CommunityId,
  factoryId: FactoryId,
  orderId: WorkOrderId,
  /** A readable number, `<year>-<sequence within the community>`: `2026-0007`. */
  number: Schema.String,
  pieces: Pieces,
  priceFen: Fen,
  amountFen: Amount,
  status: InvoiceStatus,
  issuedAt: Instant,
  paidAt: Schema.NullOr(Instant),
  version: Schema.Int
})
/** An invoice. */
export type Invoice = typeof Invoice.Type

/** What invoicing an order's delivered items takes. */
export const IssueInvoiceInput = Schema.Struct({ id: InvoiceId, orderId: WorkOrderId })
/** What invoicing takes. */
export type IssueInvoiceInput = typeof IssueInvoiceInput.Type

/** What putting money into the workshop's cash takes (an advance, start-up capital). */
export const AddCashInput = Schema.Struct({
  id: TransferId,
  amountFen: Amount,
  note: Text.line(140)
})
/** What putting money into the workshop's cash takes. */
export type AddCashInput = typeof AddCashInput.Type

/** What moving part of the workshop's margin into the public-welfare fund takes. */
export const ContributeToFundInput = Schema.Struct({
  id: TransferId,
  amountFen: Amount,
  note: Text.line(140)
})
/** What a contribution to the fund takes. */
export type ContributeToFundInput = typeof ContributeToFundInput.Type

/** Filters for listing movements. */
export const MovementQuery = Schema.Struct({
  orderId: Schema.optionalKey(WorkOrderId),
  workerId: Schema.optionalKey(WorkerId),
  kind: Schema.optionalKey(MovementKind),
  from: Schema.optionalKey(Instant),
  to: Schema.optionalKey(Instant)
})
/** Filters for listing movements. */
export type MovementQuery = typeof MovementQuery.Type

/** Filters for listing pay lines. */
export const PayLineQuery = Schema.Struct({
  workerId: Schema.optionalKey(WorkerId),
  status: Schema.optionalKey(PayLineStatus),
  periodId: Schema.optionalKey(PayPeriodId),
  /** Only lines not yet in a pay period. */
  unpaid: Schema.optionalKey(Schema.Boolean),
  from: Schema.optionalKey(Instant),
  to: Schema.optionalKey(Instant)
})
/** Filters for listing pay lines. */
export type PayLineQuery = typeof PayLineQuery.Type

/** Filters for listing orders. */
export const WorkOrderQuery = Schema.Struct({
  factoryId: Schema.optionalKey(FactoryId),
  status: Schema.optionalKey(WorkOrderStatus)
})
/** Filters for listing orders. */
export type WorkOrderQuery = typeof WorkOrderQuery.Type

/** Pieces moved, summed by order, worker and kind (what custody and progress are computed from). */
export const MovementTotal = Schema.Struct({
  orderId: WorkOrderId,
  workerId: Schema.NullOr(WorkerId),
  kind: MovementKind,
  quantity: Schema.Int,
  /** The latest movement's time in the group. */
  lastAt: Instant
})
/** Pieces moved, summed by order, worker and kind. */
export type MovementTotal = typeof MovementTotal.Type
