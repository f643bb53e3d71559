/**
 * Custody of pieces: who holds how many of an order's pieces, where an order's pieces are, how a
 * worker's return splits into movements, and the rules that guard returns and scrap.
 *
 * Everything is computed from {@link MovementTotal}s (pieces moved, summed by order, worker and
 * kind), so the same figures come out whether the totals were summed over ten movements or a
 * million. Two identities always hold, and the property tests check them:
 *
 * - per order and worker: issued = accepted + rejected + unused + scrapped + held;
 * - per order: received = stock + in custody + accepted (not yet delivered) + rejected + scrapped
 *   + delivered + returned to the factory.
 *
 * Everything here is pure: no clock (the caller passes `now`), no I/O.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { Custody } from "@commonweal/core"
 *
 * const lines = Custody.custodyLines(totals)                 // per order and worker
 * const balance = Custody.orderBalance(order.id, totals)     // where the order's pieces are
 * Custody.checkReturn(12, 15, "CLIP-A3")                      // Result.fail(InsufficientFunds)
 * Custody.scrapBeyondTolerance(500, 0, 14, 20)                // 4: 2 % of 500 is 10
 * ```
 *
 * @module
 */
import { Result } from "effect"
import { InsufficientFunds, InvalidInput } from "../kernel/Errors.js"
import type { MovementTotal, WorkerId, WorkOrderId } from "./Workshop.js"

/** A day in milliseconds. */
export const DAY = 86_400_000

/**
 * What one worker did with one order's pieces: how many were issued to them, and of those how
 * many came back accepted, rejected, unused and scrapped, and how many they still hold.
 * `held = issued − accepted − rejected − unused − scrapped`.
 */
export interface CustodyLine {
  readonly orderId: WorkOrderId
  readonly workerId: WorkerId
  readonly issued: number
  readonly accepted: number
  readonly rejected: number
  readonly unused: number
  readonly scrapped: number
  /** Pieces still in the worker's custody. */
  readonly held: number
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The custody lines of movement totals: one per order and worker that has any worker movement
 * (`issue`, `accept`, `reject`, `unused`, `scrap`), sorted by order id and then worker id.
 * Movements without a worker (`receive`, `deliver`, `return_to_factory`) are not custody and
 * are left out. Why: custody is what a worker is answerable for, and what `leave`, `cancel`
 * and the reconciliation check.
 *
 * @example
 * ```ts
 * custodyLines([
 *   { orderId, workerId, kind: "issue", quantity: 100, lastAt: 1 },
 *   { orderId, workerId, kind: "accept", quantity: 80, lastAt: 2 },
 *   { orderId, workerId, kind: "scrap", quantity: 2, lastAt: 2 }
 * ])
 * // [{ orderId, workerId, issued: 100, accepted: 80, rejected: 0, unused: 0, scrapped: 2, held: 18 }]
 * ```
 */
export const custodyLines = (totals: ReadonlyArray<MovementTotal>): ReadonlyArray<CustodyLine> => {
  type Mutable = { -readonly [K in keyof CustodyLine]: CustodyLine[K] }
  const byKey = new Map<string, Mutable>()
  for (const t of totals) {
    if (t.workerId === null) continue
    if (t.kind !== "issue" && t.kind !== "accept" && t.kind !== "reject" && t.kind !== "unused" && t.kind !== "scrap") {
      continue
    }
    const key = `${t.orderId}\u0000${t.workerId}`
    let line = byKey.get(key)
    if (line === undefined) {
      line = {
        orderId: t.orderId,
        workerId: t.workerId,
        issued: 0,
        accepted: 0,
        rejected: 0,
        unused: 0,
        scrapped: 0,
        held: 0
      }
      byKey.set(key, line)
    }
    switch (t.kind) {
      case "issue":
        line.issued += t.quantity
        break
      case "accept":
        line.accepted += t.quantity
        break
      case "reject":
        line.rejected += t.quantity
        break
      case "unused":
        line.unused += t.quantity
        break
      case "scrap":
        line.scrapped += t.quantity
        break
    }
  }
  const lines: Array<CustodyLine> = []
  for (const line of byKey.values()) {
    lines.push({ ...line, held: line.issued - line.accepted - line.rejected - line.unused - line.scrapped })
  }
  return lines.sort((a, b) => compare(a.orderId, b.orderId) || compare(a.workerId, b.workerId))
}

/**
 * Where an order's pieces are. `received = stock + inCustody + accepted + rejected + scrapped +
 * delivered + returnedToFactory`, always.
 */
export interface OrderBalance {
  readonly orderId: WorkOrderId
  /** Pieces received from the factory. */
  readonly received: number
  /** In the workshop's stock: received and handed back unused, less issued and returned to the factory. */
  readonly stock: number
  /** In workers' custody. */
  readonly inCustody: number
  /** Accepted and still held by the workshop (not delivered yet). */
  readonly accepted: number
  readonly rejected: number
  readonly scrapped: number
  /** Accepted items shipped to the factory. */
  readonly delivered: number
  /** Unused parts sent back to the factory. */
  readonly returnedToFactory: number
}

/**
 * Where the pieces of order `orderId` are, from movement totals (totals of other orders are
 * ignored). Why: the reconciliation compares it with the ledger's piece accounts, and the
 * coordinator sees at a glance what is in stock, out with workers, and ready to ship.
 *
 * @example
 * ```ts
 * orderBalance(orderId, [
 *   { orderId, workerId: null, kind: "receive", quantity: 500, lastAt: 1 },
 *   { orderId, workerId, kind: "issue", quantity: 100, lastAt: 2 },
 *   { orderId, workerId, kind: "accept", quantity: 90, lastAt: 3 },
 *   { orderId, workerId: null, kind: "deliver", quantity: 60, lastAt: 4 }
 * ])
 * // { orderId, received: 500, stock: 400, inCustody: 10, accepted: 30, rejected: 0, scrapped: 0, delivered: 60, returnedToFactory: 0 }
 * ```
 */
export const orderBalance = (orderId: WorkOrderId, totals: ReadonlyArray<MovementTotal>): OrderBalance => {
  const sum = { receive: 0, issue: 0, accept: 0, reject: 0, unused: 0, scrap: 0, deliver: 0, return_to_factory: 0 }
  for (const t of totals) if (t.orderId === orderId) sum[t.kind] += t.quantity
  return {
    orderId,
    received: sum.receive,
    stock: sum.receive + sum.unused - sum.issue - sum.return_to_factory,
    inCustody: sum.issue - sum.accept - sum.reject - sum.unused - sum.scrap,
    accepted: sum.accept - sum.deliver,
    rejected: sum.reject,
    scrapped: sum.scrap,
    delivered: sum.deliver,
    returnedToFactory: sum.return_to_factory
  }
}

/** The kinds of movement a worker's return is made of, in the order a return lists them. */
export type ReturnKind = "accept" | "reject" | "unused" | "scrap"

/** One movement of a worker's return: its kind and how many pieces. */
export interface ReturnPart {
  readonly kind: ReturnKind
  readonly quantity: number
}

/** The counts of a worker's return (each optional, absent meaning 0), as `ReturnInput` has them. */
export interface ReturnCounts {
  readonly accepted?: number | undefined
  readonly rejected?: number | undefined
  readonly unused?: number | undefined
  readonly scrapped?: number | undefined
}

/**
 * The movements a worker's return is made of: one per positive count, in the order accept,
 * reject, unused, scrap. `InvalidInput` when no count is positive (a return of nothing), or when
 * a count is negative or not a whole number.
 *
 * @example
 * ```ts
 * returnParts({ accepted: 40, scrapped: 1 })
 * // Result.succeed([{ kind: "accept", quantity: 40 }, { kind: "scrap", quantity: 1 }])
 * returnParts({ accepted: 0 }) // Result.fail(InvalidInput on "accepted")
 * ```
 */
export const returnParts = (counts: ReturnCounts): Result.Result<ReadonlyArray<ReturnPart>, InvalidInput> => {
  const fields = [
    ["accepted", "accept"],
    ["rejected", "reject"],
    ["unused", "unused"],
    ["scrapped", "scrap"]
  ] as const
  const parts: Array<ReturnPart> = []
  for (const [field, kind] of fields) {
    const quantity = counts[field] ?? 0
    if (!Number.isSafeInteger(quantity) || quantity < 0) {
      return Result.fail(InvalidInput.of(field, "must be a whole number of pieces, not negative / 件数须为非负整数"))
    }
    if (quantity > 0) parts.push({ kind, quantity })
  }
  if (parts.length === 0) {
    return Result.fail(
      InvalidInput.of(
        "accepted",
        "a return must bring back at least one piece (accepted, rejected, unused or scrapped) / 交回件数至少须有一件（合格、不合格、未用或报废）"
      )
    )
  }
  return Result.succeed(parts)
}

/**
 * Checks that a worker returns no more than they hold: `InsufficientFunds` saying how many they
 * hold when `requested > held`. Why: the ledger would refuse it too (custody never goes below
 * zero), but with an account id; this says it in words the coordinator can act on.
 *
 * @example
 * ```ts
 * checkReturn(12, 15, "CLIP-A3")
 * // Result.fail(InsufficientFunds: "worker holds 12 pieces of CLIP-A3 on this order; cannot return 15 / 该工人此工单只持有 12 件，不能交回 15 件")
 * checkReturn(12, 12, "CLIP-A3") // Result.void
 * ```
 */
export const checkReturn = (held: number, requested: number, sku: string): Result.Result<void, InsufficientFunds> =>
  requested > held
    ? Result.fail(
        new InsufficientFunds({
          account: `custody:PCS:${sku}`,
          message: `worker holds ${held} piece${held === 1 ? "" : "s"} of ${sku} on this order; cannot return ${requested} / 该工人此工单只持有 ${held} 件，不能交回 ${requested} 件`
        })
      )
    : Result.void

/**
 * How many of the pieces scrapped now go beyond the worker's scrap tolerance on an order:
 * the tolerance is `floor(issued × permille / 1000)` pieces, used up first by what was
 * scrapped before. The result is never more than `scrappedNow` and never negative; it is 0
 * while the total scrapped stays within the tolerance. Why: a little damage is part of the
 * work; only scrap beyond it proposes a deduction, and only for the pieces beyond.
 *
 * @example
 * ```ts
 * scrapBeyondTolerance(500, 0, 14, 20) // 4  (2 % of 500 is 10)
 * scrapBeyondTolerance(500, 8, 5, 20)  // 3  (2 left of the 10)
 * scrapBeyondTolerance(500, 12, 1, 20) // 1  (tolerance used up)
 * scrapBeyondTolerance(500, 0, 10, 20) // 0
 * ```
 */
export const scrapBeyondTolerance = (
  issued: number,
  scrappedBefore: number,
  scrappedNow: number,
  permille: number
): number => {
  if (scrappedNow <= 0) return 0
  const tolerance = Math.floor((Math.max(0, issued) * Math.max(0, permille)) / 1000)
  const left = Math.max(0, tolerance - Math.max(0, scrappedBefore))
  return Math.max(0, scrappedNow - left)
}

/** How long a worker has held pieces: how many, since when (the oldest issue not yet returned), and how many whole days. */
export interface CustodyAge {
  /** Pieces still held: issued less returned (never below 0). */
  readonly held: number
  /** When the oldest issue still (partly) held was made; `null` when nothing is held. */
  readonly oldestAt: number | null
  /** Whole days from `oldestAt` to `now` (0 when nothing is held or `oldestAt` is after `now`). */
  readonly days: number
}

/**
 * How long a worker has held pieces of an order, first in first out: returns use up the oldest
 * issues first, and the oldest issue not fully used up is when the pieces still held were
 * signed out. Why: home workers keep parts for days; the coordinator follows up on old custody
 * (and a worker sees what they still hold).
 *
 * @example
 * ```ts
 * const day = 86_400_000
 * custodyAge([{ quantity: 50, occurredAt: 0 }, { quantity: 50, occurredAt: 2 * day }], 60, 5 * day)
 * // { held: 40, oldestAt: 2 * day, days: 3 }  (the first 50 are all back)
 * ```
 */
export const custodyAge = (
  issues: ReadonlyArray<{ readonly quantity: number; readonly occurredAt: number }>,
  returnedTotal: number,
  now: number
): CustodyAge => {
  const sorted = issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => a.issue.occurredAt - b.issue.occurredAt || a.index - b.index)
  let toConsume = Math.max(0, returnedTotal)
  let issued = 0
  let oldestAt: number | null = null
  for (const { issue } of sorted) {
    issued += issue.quantity
    if (oldestAt !== null || issue.quantity <= 0) continue
    if (toConsume >= issue.quantity) {
      toConsume -= issue.quantity
    } else {
      oldestAt = issue.occurredAt
    }
  }
  const held = Math.max(0, issued - Math.max(0, returnedTotal))
  const days = oldestAt === null ? 0 : Math.max(0, Math.floor((now - oldestAt) / DAY))
  return { held, oldestAt, days }
}
