/**
 * A work order's progress: how much is done, how fast the work goes, and whether it will be
 * finished by the deadline at that pace. What the coordinator plans sign-outs with, and what the
 * partner factory sees of its own orders.
 *
 * Everything here is pure: no clock (the caller passes `now`), no I/O.
 *
 * @example
 * ```ts
 * import { Progress } from "@commonweal/core"
 *
 * const p = Progress.orderProgress(order, totals, recentAccepted, now)
 * p.percentDone      // 62
 * p.onTrack          // false: at 40 a day the last 600 take 15 days, the deadline is in 10
 * ```
 *
 * @module
 */
import { DAY } from "./Custody.js"
import type { MovementTotal, WorkOrder, WorkOrderId } from "./Workshop.js"

/** How far a work order is, and whether it will be done in time. */
export interface OrderProgress {
  readonly orderId: WorkOrderId
  /** Pieces ordered. */
  readonly ordered: number
  /** Pieces received from the factory. */
  readonly received: number
  /** Pieces accepted, including those delivered since. */
  readonly accepted: number
  /** Accepted items shipped to the factory. */
  readonly delivered: number
  /** Pieces still to accept: `ordered − accepted`, never below 0. */
  readonly remaining: number
  /** Pieces in workers' custody. */
  readonly inCustody: number
  /** The order's deadline. */
  readonly deadline: number
  /** Accepted pieces a day over the last `windowDays` days (to two decimals). */
  readonly pacePerDay: number
  /**
   * When the order will be done at that pace: `now` when nothing remains; `null` when something
   * remains and nothing was accepted in the window; else `now` + remaining / pace days (rounded up
   * to the millisecond).
   */
  readonly projectedFinish: number | null
  /** Whether the projected finish is known and not after the deadline. */
  readonly onTrack: boolean
  /** `floor(accepted × 100 / ordered)`, 0 to 100. */
  readonly percentDone: number
}

/**
 * The progress of `order` from its movement totals (totals of other orders are ignored) and the
 * pieces accepted in the last `windowDays` days (`[now − windowDays days, now)`, which the service
 * sums with a time-bounded `movementTotals`). Why: a deadline missed is a factory lost; seeing
 * the pace early lets the coordinator sign out more work or ask for more time.
 *
 * `windowDays` is 7 unless given; a window below one day counts as one day.
 *
 * @example
 * ```ts
 * // 1,000 ordered, 620 accepted, 280 accepted in the last 7 days (40 a day), deadline in 10 days
 * const p = orderProgress(order, totals, 280, now)
 * // { remaining: 380, pacePerDay: 40, projectedFinish: now + 9.5 days, onTrack: true, percentDone: 62, … }
 * ```
 */
export const orderProgress = (
  order: WorkOrder,
  totals: ReadonlyArray<MovementTotal>,
  recentAccepted: number,
  now: number,
  windowDays = 7
): OrderProgress => {
  const sum = { receive: 0, issue: 0, accept: 0, reject: 0, unused: 0, scrap: 0, deliver: 0, return_to_factory: 0 }
  for (const t of totals) if (t.orderId === order.id) sum[t.kind] += t.quantity
  const window = Math.max(1, windowDays)
  const recent = Math.max(0, recentAccepted)
  const ordered = order.quantity
  const accepted = sum.accept
  const remaining = Math.max(0, ordered - accepted)
  const projectedFinish =
    remaining === 0 ? now : recent === 0 ? null : now + Math.ceil((remaining * window * DAY) / recent)
  return {
    orderId: order.id,
    ordered,
    received: sum.receive,
    accepted,
    delivered: sum.deliver,
    remaining,
    inCustody: sum.issue - sum.accept - sum.reject - sum.unused - sum.scrap,
    deadline: order.deadline,
    pacePerDay: Math.round((recent * 100) / window) / 100,
    projectedFinish,
    onTrack: projectedFinish !== null && projectedFinish <= order.deadline,
    percentDone: ordered <= 0 ? 100 : Math.min(100, Math.floor((accepted * 100) / ordered))
  }
}
