/**
 * Money as integer minor units (fen) with a currency.
 *
 * Amounts are safe integers; every operation is checked and returns a `Result` that is a
 * `Failure(InvalidInput)` on overflow or on mixing currencies, never a wrong number. Splitting
 * never loses or invents a fen: `allocate` uses the largest-remainder method, and ties in the
 * remainder go to the **earlier** share (lower index), so the result is deterministic.
 *
 * @example
 * ```ts
 * import { Money } from "@commonweal/core"
 *
 * const fee = Money.cny(10_000)                          // 100.00 元
 * const parts = Money.allocate(fee, [1, 1, 1])          // Success([3334, 3333, 3333] fen)
 * ```
 *
 * @module
 */
import { Result, Schema } from "effect"
import { InvalidInput } from "./Errors.js"

/** ISO 4217 currency code. The communities here use CNY. */
export const Currency = Schema.Literal("CNY")
/** ISO 4217 currency code. */
export type Currency = typeof Currency.Type

/** A safe integer number of minor units (fen). May be negative (a debit, a correction). */
export const MinorUnits = Schema.Int.check(
  Schema.makeFilter((n: number) => Number.isSafeInteger(n) || "must be a safe integer of fen / 金额超出范围")
)

/** An amount of money: integer minor units plus currency. */
export const Money = Schema.Struct({
  amount: MinorUnits,
  currency: Currency
})
/** An amount of money: integer minor units plus currency. */
export type Money = typeof Money.Type

const overflow = (op: string) => InvalidInput.of("amount", `${op} overflows the safe integer range / 金额计算溢出`)

const checked = (n: number, op: string): Result.Result<number, InvalidInput> =>
  Number.isSafeInteger(n) ? Result.succeed(n) : Result.fail(overflow(op))

/** An amount in yuan-fen: `cny(150)` is 1.50 元. Throws nothing; an unsafe amount is caught by `make`. */
export const cny = (fen: number): Money => ({ amount: fen, currency: "CNY" })

/** Validates an amount: a safe integer in a known currency. */
export const make = (amount: number, currency: Currency = "CNY"): Result.Result<Money, InvalidInput> =>
  Number.isSafeInteger(amount)
    ? Result.succeed({ amount, currency })
    : Result.fail(InvalidInput.of("amount", "must be a safe integer number of fen / 金额必须为整数（分）"))

const sameCurrency = (a: Money, b: Money): Result.Result<Currency, InvalidInput> =>
  a.currency === b.currency
    ? Result.succeed(a.currency)
    : Result.fail(InvalidInput.of("currency", `cannot mix ${a.currency} and ${b.currency} / 币种不一致`))

/** `a + b`, checked. */
export const add = (a: Money, b: Money): Result.Result<Money, InvalidInput> =>
  Result.flatMap(sameCurrency(a, b), (currency) =>
    Result.map(checked(a.amount + b.amount, "add"), (amount) => ({ amount, currency }))
  )

/** `a - b`, checked. */
export const subtract = (a: Money, b: Money): Result.Result<Money, InvalidInput> =>
  Result.flatMap(sameCurrency(a, b), (currency) =>
    Result.map(checked(a.amount - b.amount, "subtract"), (amount) => ({ amount, currency }))
  )

/** `a × n` for an integer factor (e.g. a piece rate times a count), checked. */
export const multiply = (a: Money, factor: number): Result.Result<Money, InvalidInput> =>
  Number.isSafeInteger(factor)
    ? Result.map(checked(a.amount * factor, "multiply"), (amount) => ({ amount, currency: a.currency }))
    : Result.fail(InvalidInput.of("factor", "must be an integer / 倍数必须为整数"))

/** The sum of many amounts of one currency, checked. An empty list sums to zero CNY. */
export const sum = (items: ReadonlyArray<Money>, currency: Currency = "CNY"): Result.Result<Money, InvalidInput> =>
  items.reduce<Result.Result<Money, InvalidInput>>(
    (acc, m) => Result.flatMap(acc, (a) => add(a, m)),
    Result.succeed({ amount: 0, currency })
  )

/**
 * Splits `total` into shares proportional to `weights`, exactly.
 *
 * Largest-remainder method: each share first gets the floor of its exact quota; the fen left
 * over go one each to the shares with the largest fractional remainders; **ties go to the
 * lower index**. The shares sum to the total, each is within one fen of its exact quota, and
 * a non-negative total gives non-negative shares. A negative total is split as its absolute
 * value and negated.
 *
 * Fails with `InvalidInput` when there are no weights, a weight is negative or not a safe
 * integer, or all weights are zero.
 */
export const allocate = (
  total: Money,
  weights: ReadonlyArray<number>
): Result.Result<ReadonlyArray<Money>, InvalidInput> => {
  if (weights.length === 0) return Result.fail(InvalidInput.of("weights", "must not be empty / 权重不能为空"))
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    return Result.fail(InvalidInput.of("weights", "must be non-negative integers / 权重必须为非负整数"))
  }
  const weightSum = weights.reduce((a, b) => a + b, 0)
  if (!Number.isSafeInteger(weightSum)) return Result.fail(overflow("allocate"))
  if (weightSum === 0) return Result.fail(InvalidInput.of("weights", "must not all be zero / 权重不能全为零"))
  const sign = total.amount < 0 ? -1 : 1
  const abs = BigInt(Math.abs(total.amount))
  const W = BigInt(weightSum)
  // exact arithmetic in bigint: quota_i = abs * w_i / W
  const floors = weights.map((w) => (abs * BigInt(w)) / W)
  const remainders = weights.map((w, i) => abs * BigInt(w) - floors[i]! * W)
  let left = abs - floors.reduce((a, b) => a + b, 0n)
  const order = weights
    .map((_, i) => i)
    .sort((i, j) => (remainders[j]! > remainders[i]! ? 1 : remainders[j]! < remainders[i]! ? -1 : i - j))
  const shares = [...floors]
  for (const i of order) {
    if (left <= 0n) break
    shares[i] = shares[i]! + 1n
    left -= 1n
  }
  return Result.succeed(shares.map((s) => ({ amount: sign * Number(s), currency: total.currency })))
}

/** Formats for people: `¥12.34`. */
export const format = (m: Money): string => {
  const sign = m.amount < 0 ? "-" : ""
  const abs = Math.abs(m.amount)
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
}
