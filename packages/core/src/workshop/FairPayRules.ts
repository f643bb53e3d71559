/**
 * The workshop's fair-pay rules: what a piece rate pays by the hour, and the dated rate table
 * of a work order (which rate was in force at a moment, and how a new rate is added without
 * rewriting what was already earned).
 *
 * A piece rate is fair when a practised worker, assembling at the product's standard seconds a
 * piece, earns at least the community's part-time hourly minimum wage: a rate of `r` fen a piece
 * at `s` seconds a piece pays `floor(r × 3600 / s)` fen an hour.
 *
 * Rates are only ever appended, never edited: an entry takes effect from its `effectiveFrom`,
 * which is never before the time it is added nor before the entry before it, so pieces accepted
 * before a change keep the rate they were accepted at.
 *
 * Everything here is pure: no clock (the caller passes `now`), no I/O.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { FairPayRules } from "@commonweal/core"
 *
 * FairPayRules.fairPay(6, 12, 2_600)      // 6 fen at 12 s a piece: ¥18.00/h, below ¥26.00/h
 * // { rateFen: 6, standardSeconds: 12, effectiveHourlyFen: 1800, minimumHourlyWageFen: 2600, belowMinimum: true }
 *
 * const rates = Result.getOrThrow(FairPayRules.addRate(order.rates, { effectiveFrom: now, rateFen: 9, setBy: "li", setAt: now }, now))
 * FairPayRules.rateAt(rates, now).rateFen // 9
 * ```
 *
 * @module
 */
import { Result } from "effect"
import { InvalidInput } from "../kernel/Errors.js"
import type { FairPay, RateEntry } from "./Workshop.js"

/** Seconds in an hour. */
const HOUR_SECONDS = 3600

/**
 * `floor(a × b / c)` for non-negative integers, exactly: in floating point while the product is
 * a safe integer, in bigint beyond.
 */
const mulDivFloor = (a: number, b: number, c: number): number => {
  const product = a * b
  if (Number.isSafeInteger(product)) return Math.floor(product / c)
  return Number((BigInt(a) * BigInt(b)) / BigInt(c))
}

/**
 * The fair-pay check of a piece rate: the hourly pay it gives a worker who takes the product's
 * standard seconds a piece, rounded down to the fen, and whether that is below the community's
 * hourly minimum wage. Why: piece rates hide low pay; an order is not started at a rate below
 * the minimum unless someone acknowledges it with a reason.
 *
 * `rateFen` and `minimumHourlyWageFen` are non-negative integers (fen); `standardSeconds` is a
 * positive integer (a product's always is) — anything else is a programming error and throws a
 * `RangeError`.
 *
 * @example
 * ```ts
 * fairPay(10, 12, 2_600)
 * // { rateFen: 10, standardSeconds: 12, effectiveHourlyFen: 3000, minimumHourlyWageFen: 2600, belowMinimum: false }
 * fairPay(6, 12, 2_600).belowMinimum // true: 6 fen every 12 s is ¥18.00 an hour
 * ```
 */
export const fairPay = (rateFen: number, standardSeconds: number, minimumHourlyWageFen: number): FairPay => {
  if (!Number.isSafeInteger(standardSeconds) || standardSeconds < 1) {
    throw new RangeError(`standardSeconds must be a positive integer, not ${String(standardSeconds)}`)
  }
  if (!Number.isSafeInteger(rateFen) || rateFen < 0) {
    throw new RangeError(`rateFen must be a non-negative integer, not ${String(rateFen)}`)
  }
  const effectiveHourlyFen = mulDivFloor(rateFen, HOUR_SECONDS, standardSeconds)
  return {
    rateFen,
    standardSeconds,
    effectiveHourlyFen,
    minimumHourlyWageFen,
    belowMinimum: effectiveHourlyFen < minimumHourlyWageFen
  }
}

/**
 * The rate entry in force at `at`: the entry with the greatest `effectiveFrom` not after `at`
 * (of several with that same `effectiveFrom`, the later in the table, i.e. the one added last).
 * Before the first entry takes effect, the first entry (the earliest `effectiveFrom`) applies:
 * an order always has a rate. Why: an accepted piece earns the rate in force when it was
 * accepted, however the rate changed later.
 *
 * The table must not be empty (an order's never is); an empty one is a programming error and
 * throws a `RangeError`.
 *
 * @example
 * ```ts
 * const rates = [
 *   { effectiveFrom: 1_000, rateFen: 8, setBy: "li", setAt: 1_000 },
 *   { effectiveFrom: 5_000, rateFen: 10, setBy: "li", setAt: 2_000 }
 * ]
 * rateAt(rates, 4_999).rateFen // 8
 * rateAt(rates, 5_000).rateFen // 10
 * rateAt(rates, 0).rateFen     // 8 (before the first entry: the first)
 * ```
 */
export const rateAt = (rates: ReadonlyArray<RateEntry>, at: number): RateEntry => {
  let inForce: RateEntry | undefined
  let earliest: RateEntry | undefined
  for (const entry of rates) {
    if (earliest === undefined || entry.effectiveFrom < earliest.effectiveFrom) earliest = entry
    if (entry.effectiveFrom <= at && (inForce === undefined || entry.effectiveFrom >= inForce.effectiveFrom)) {
      inForce = entry
    }
  }
  const found = inForce ?? earliest
  if (found === undefined) throw new RangeError("a work order's rate table is never empty")
  return found
}

/**
 * Adds an entry to a rate table: refused (`InvalidInput` on `effectiveFrom`) when it would take
 * effect before `now` (that would rewrite pay already earned) or before the table's last entry
 * (the table stays sorted oldest first). An entry taking effect at the same moment as the last
 * one supersedes it from then on. Why: rates change during an order, but history never does.
 *
 * @example
 * ```ts
 * const next = addRate(order.rates, { effectiveFrom: now, rateFen: 12, setBy: actor.subject, setAt: now }, now)
 * // Result.succeed([...order.rates, entry])
 * addRate(order.rates, { effectiveFrom: now - 1, rateFen: 12, setBy: "li", setAt: now }, now)
 * // Result.fail(InvalidInput: "a rate cannot take effect in the past …")
 * ```
 */
export const addRate = (
  rates: ReadonlyArray<RateEntry>,
  entry: RateEntry,
  now: number
): Result.Result<ReadonlyArray<RateEntry>, InvalidInput> => {
  if (entry.effectiveFrom < now) {
    return Result.fail(
      InvalidInput.of(
        "effectiveFrom",
        "a rate cannot take effect in the past: that would change pay already earned / 新单价不能追溯生效，已计的工资不可更改"
      )
    )
  }
  const last = rates[rates.length - 1]
  if (last !== undefined && entry.effectiveFrom < last.effectiveFrom) {
    return Result.fail(
      InvalidInput.of(
        "effectiveFrom",
        "a rate cannot take effect before the latest rate change already scheduled / 新单价的生效时间不能早于已定的最近一次调价"
      )
    )
  }
  return Result.succeed([...rates, entry])
}
