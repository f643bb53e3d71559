/**
 * The workshop's pay rules: which pay lines a worker's return earns (accepted pieces at the rate
 * in force, rejected pieces under the order's reject policy, scrap beyond the tolerance as a
 * proposed deduction), and how a pay period's lines add up into payslip totals.
 *
 * Amounts are integer fen; shares are rounded down to the fen (never in the workshop's favour by
 * more than a fen a line). Deductions are never confirmed by a rule: they are `proposed`, and the
 * coordinator confirms or dismisses each.
 *
 * Everything here is pure: no clock (the caller passes `at`), no I/O, no id generator (the
 * caller passes `lineId`, which derives a line's id from a seed so that a replayed return
 * derives the same lines).
 *
 * @example
 * ```ts
 * import { PayRules } from "@commonweal/core"
 *
 * const lines = PayRules.linesForReturn({
 *   order, workerId, movementIds: { accept: id }, accepted: 40, rejected: 0, scrapBeyond: 0,
 *   at: now, recordedBy: actor.subject, lineId: PayRules.derivedPayLineId
 * })
 * // [{ kind: "earning", status: "confirmed", quantity: 40, rateFen: 35, amountFen: 1400, … }]
 * ```
 *
 * @module
 */
import { derivedUuid } from "../kernel/Ids.js"
import type { TransferId } from "../ledger/Ledger.js"
import { rateAt } from "./FairPayRules.js"
import type { PayLineTotal } from "./WorkshopRepo.js"
import type { PayLineKind, PayLineStatus, PayslipTotals, WorkerId, WorkOrder } from "./Workshop.js"
import { type PayLine, PayLineId } from "./Workshop.js"

/**
 * A pay line id derived from a seed (the same seed always gives the same id), for the lines a
 * return derives: `linesForReturn({ …, lineId: derivedPayLineId })`. Why: a replayed return must
 * derive the same lines, without a lookup.
 *
 * `PayLineId` is a UUIDv7 (version digit 7), which `derivedUuid`'s version-8 ids are not; this
 * takes the SHA-256-derived id and sets its version digit to 7, so it passes the schema. Its
 * "timestamp" bits are hash bits: pay lines are listed by time and id, never by id alone, so
 * nothing depends on them.
 *
 * @example
 * ```ts
 * derivedPayLineId(`${movementId}/earning`) // "3f1c…-…-7…-…" (always the same for that seed)
 * ```
 */
export const derivedPayLineId = (seed: string): PayLineId => {
  const uuid = derivedUuid(`commonweal/workshop/payline/${seed}`)
  return PayLineId.make(`${uuid.slice(0, 14)}7${uuid.slice(15)}`)
}

/** `¥12.34` for an integer amount of fen (exact, no floating point). */
const yuan = (fen: number): string => {
  const abs = Math.abs(fen)
  return `${fen < 0 ? "-" : ""}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
}

/** The movements of one return that pay lines may come from (the ids of its accept, reject and scrap movements). */
export interface ReturnMovementIds {
  readonly accept?: TransferId | undefined
  readonly reject?: TransferId | undefined
  readonly scrap?: TransferId | undefined
}

/** What {@link linesForReturn} takes. */
export interface LinesForReturnArgs {
  /** The order returned to (its rates and quality rules apply). */
  readonly order: WorkOrder
  readonly workerId: WorkerId
  /** The ids of the return's movements; the one for each positive count must be present. */
  readonly movementIds: ReturnMovementIds
  /** Pieces accepted. */
  readonly accepted: number
  /** Pieces rejected. */
  readonly rejected: number
  /** Scrapped pieces beyond the worker's tolerance (see `Custody.scrapBeyondTolerance`). */
  readonly scrapBeyond: number
  /** When the return happened: the rate in force then applies, and the lines occur then. */
  readonly at: number
  /** Who recorded the return. */
  readonly recordedBy: string
  /**
   * Derives a line's id from its seed, `<movement id>/<kind>` (the same seed gives the same id);
   * {@link derivedPayLineId} does.
   */
  readonly lineId: (seed: string) => PayLineId
}

const movementOf = (id: TransferId | undefined, what: string): TransferId => {
  if (id === undefined) throw new RangeError(`linesForReturn: the ${what} movement's id is missing`)
  return id
}

/**
 * The pay lines a worker's return earns:
 *
 * - accepted pieces: an `earning`, `confirmed`, at the rate in force at `at`
 *   (pieces × rate);
 * - rejected pieces, by the order's reject policy: `paid` — a `reject_pay`, `confirmed`, at the
 *   full rate; `partly_paid` — a `reject_pay`, `confirmed`, of floor(pieces × rate × share / 100)
 *   (none if that is 0); `charged` — a `deduction`, `proposed`, of −(pieces × reject charge)
 *   (none if 0); `unpaid` — nothing;
 * - scrap beyond the tolerance, when the order charges for scrap: a `deduction`, `proposed`, of
 *   −(pieces × scrap charge).
 *
 * Lines are at version 1, unposted (`transferId` `null`: the service sets it when it posts a
 * confirmed line) and in no period. Their ids are `lineId("<movement id>/<kind>")`.
 *
 * The movement id of each positive count must be given; a missing one is a programming error
 * and throws a `RangeError`.
 *
 * @example
 * ```ts
 * // order: rate 35 fen, rejectPolicy "partly_paid" at 50 %, scrap charge 20 fen
 * linesForReturn({ order, workerId, movementIds: { accept: a, reject: r, scrap: s },
 *   accepted: 40, rejected: 3, scrapBeyond: 2, at, recordedBy: "li", lineId })
 * // earning 40 × 35 = 1400 (confirmed), reject_pay floor(3 × 35 × 50 / 100) = 52 (confirmed),
 * // deduction −40 (proposed)
 * ```
 */
export const linesForReturn = (args: LinesForReturnArgs): ReadonlyArray<PayLine> => {
  const { at, order, recordedBy, workerId } = args
  const rate = rateAt(order.rates, at).rateFen
  const quality = order.quality
  const lines: Array<PayLine> = []
  const line = (
    movementId: TransferId,
    kind: PayLineKind,
    status: PayLineStatus,
    quantity: number,
    rateFen: number,
    amountFen: number,
    note: string
  ): PayLine => ({
    id: args.lineId(`${movementId}/${kind}`),
    communityId: order.communityId,
    workerId,
    orderId: order.id,
    kind,
    status,
    quantity,
    rateFen,
    amountFen,
    movementId,
    transferId: null,
    periodId: null,
    note,
    occurredAt: at,
    recordedBy,
    version: 1
  })

  if (args.accepted > 0) {
    const id = movementOf(args.movementIds.accept, "accept")
    lines.push(
      line(
        id,
        "earning",
        "confirmed",
        args.accepted,
        rate,
        args.accepted * rate,
        `${args.accepted} accepted at ${yuan(rate)} / 合格 ${args.accepted} 件，每件 ${yuan(rate)}`
      )
    )
  }

  if (args.rejected > 0) {
    const n = args.rejected
    switch (quality.rejectPolicy) {
      case "paid": {
        const id = movementOf(args.movementIds.reject, "reject")
        lines.push(
          line(
            id,
            "reject_pay",
            "confirmed",
            n,
            rate,
            n * rate,
            `${n} rejected, paid in full at ${yuan(rate)} / 不合格 ${n} 件，按全价每件 ${yuan(rate)} 计酬`
          )
        )
        break
      }
      case "partly_paid": {
        const share = quality.rejectSharePercent
        const amount = Math.floor((n * rate * share) / 100)
        if (amount > 0) {
          const id = movementOf(args.movementIds.reject, "reject")
          lines.push(
            line(
              id,
              "reject_pay",
              "confirmed",
              n,
              rate,
              amount,
              `${n} rejected, paid ${share}% of ${yuan(rate)} / 不合格 ${n} 件，按单价 ${yuan(rate)} 的 ${share}% 计酬`
            )
          )
        }
        break
      }
      case "charged": {
        const charge = quality.rejectChargeFen
        if (n * charge > 0) {
          const id = movementOf(args.movementIds.reject, "reject")
          lines.push(
            line(
              id,
              "deduction",
              "proposed",
              n,
              charge,
              -(n * charge),
              `${n} rejected, charged ${yuan(charge)} each (to confirm) / 不合格 ${n} 件，每件扣 ${yuan(charge)}（待确认）`
            )
          )
        }
        break
      }
      case "unpaid":
        break
    }
  }

  if (args.scrapBeyond > 0 && quality.scrapChargeFen > 0) {
    const id = movementOf(args.movementIds.scrap, "scrap")
    const n = args.scrapBeyond
    const charge = quality.scrapChargeFen
    lines.push(
      line(
        id,
        "deduction",
        "proposed",
        n,
        charge,
        -(n * charge),
        `${n} scrapped beyond tolerance, ${yuan(charge)} each (to confirm) / 超出损耗限额 ${n} 件，每件扣 ${yuan(charge)}（待确认）`
      )
    )
  }
  return lines
}

/**
 * Two decimals of `seconds / 3600`, rounded half up, computed on integers (`Math.round(s / 36) / 100`).
 */
const standardHoursOf = (seconds: number): number => Math.round(seconds / 36) / 100

/**
 * The payslip totals of a pay period's lines, one per worker, sorted by worker id:
 *
 * - `earnedFen`: earnings and reject pay;
 * - `bonusFen`: bonuses;
 * - `deductedFen`: deductions, as a positive number;
 * - `netFen = earned + bonus − deducted` (so Σ net over the workers is Σ of the lines' amounts,
 *   to the fen; it may be negative: the service refuses to close a period with such a slip);
 * - `pieces`: the accepted pieces (the quantity of earning lines);
 * - `standardHours`: the standard time those pieces represent, Σ pieces × the order's standard
 *   seconds (`secondsByOrder`, keyed by order id; an order not in it counts 0) / 3600, to two
 *   decimals;
 * - `transferId`: `null` (the payout sets it).
 *
 * The totals are taken as given: the caller sums only the lines that count (a period's
 * confirmed lines).
 *
 * @example
 * ```ts
 * payslipTotals(
 *   [
 *     { workerId, orderId, kind: "earning", amountFen: 1400, quantity: 40, lines: 1 },
 *     { workerId, orderId: null, kind: "deduction", amountFen: -200, quantity: 0, lines: 1 }
 *   ],
 *   new Map([[orderId, 90]])
 * )
 * // [{ workerId, earnedFen: 1400, bonusFen: 0, deductedFen: 200, netFen: 1200, pieces: 40, standardHours: 1, transferId: null }]
 * ```
 */
export const payslipTotals = (
  totals: ReadonlyArray<PayLineTotal>,
  secondsByOrder: ReadonlyMap<string, number>
): ReadonlyArray<PayslipTotals> => {
  const byWorker = new Map<
    WorkerId,
    { earned: number; bonus: number; deducted: number; pieces: number; seconds: number }
  >()
  for (const t of totals) {
    let w = byWorker.get(t.workerId)
    if (w === undefined) {
      w = { earned: 0, bonus: 0, deducted: 0, pieces: 0, seconds: 0 }
      byWorker.set(t.workerId, w)
    }
    switch (t.kind) {
      case "earning":
        w.earned += t.amountFen
        w.pieces += t.quantity
        w.seconds += t.quantity * (t.orderId === null ? 0 : (secondsByOrder.get(t.orderId) ?? 0))
        break
      case "reject_pay":
        w.earned += t.amountFen
        break
      case "bonus":
        w.bonus += t.amountFen
        break
      case "deduction":
        w.deducted -= t.amountFen
        break
    }
  }
  return [...byWorker.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([workerId, w]) => ({
      workerId,
      earnedFen: w.earned,
      bonusFen: w.bonus,
      deductedFen: w.deducted,
      netFen: w.earned + w.bonus - w.deducted,
      pieces: w.pieces,
      standardHours: standardHoursOf(w.seconds),
      transferId: null
    }))
}
