import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { addRate, fairPay, rateAt } from "../../src/workshop/FairPayRules.js"
import type { RateEntry } from "../../src/workshop/Workshop.js"

const entry = (effectiveFrom: number, rateFen: number, setAt = effectiveFrom): RateEntry => ({
  effectiveFrom,
  rateFen,
  setBy: "li",
  setAt
})

/** The reference: the latest entry (by effectiveFrom, then position) not after `at`, else the earliest. */
const reference = (rates: ReadonlyArray<RateEntry>, at: number): RateEntry => {
  const indexed = rates.map((r, i) => ({ r, i }))
  const notAfter = indexed.filter(({ r }) => r.effectiveFrom <= at)
  if (notAfter.length === 0) {
    const min = Math.min(...rates.map((r) => r.effectiveFrom))
    return rates.find((r) => r.effectiveFrom === min)!
  }
  const max = Math.max(...notAfter.map(({ r }) => r.effectiveFrom))
  return notAfter.filter(({ r }) => r.effectiveFrom === max).at(-1)!.r
}

/** A sorted rate table (oldest first), ties allowed, each rate tagged by its position. */
const sortedTable = fc
  .array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 12 })
  .map((froms) => [...froms].sort((a, b) => a - b).map((from, i) => entry(from, i + 1)))

describe("fairPay", () => {
  it("computes the hourly pay of a rate, rounded down, and flags it below the minimum", () => {
    expect(fairPay(6, 12, 2_600)).toEqual({
      rateFen: 6,
      standardSeconds: 12,
      effectiveHourlyFen: 1_800,
      minimumHourlyWageFen: 2_600,
      belowMinimum: true
    })
    expect(fairPay(10, 12, 2_600)).toMatchObject({ effectiveHourlyFen: 3_000, belowMinimum: false })
    // 7 fen every 9.7… s: floor(7 × 3600 / 97) = floor(259.79…) = 259
    expect(fairPay(7, 97, 259).effectiveHourlyFen).toBe(259)
    expect(fairPay(7, 97, 259).belowMinimum).toBe(false)
    expect(fairPay(7, 97, 260).belowMinimum).toBe(true)
    expect(fairPay(0, 60, 0)).toMatchObject({ effectiveHourlyFen: 0, belowMinimum: false })
  })

  it("is exact beyond 2^53", () => {
    const rate = 2 ** 50 + 1
    expect(fairPay(rate, 7, 0).effectiveHourlyFen).toBe(Number((BigInt(rate) * 3600n) / 7n))
  })

  it("refuses a standard time that is not a positive whole number of seconds", () => {
    expect(() => fairPay(10, 0, 2_600)).toThrow(RangeError)
    expect(() => fairPay(10, 1.5, 2_600)).toThrow(RangeError)
    expect(() => fairPay(-1, 10, 2_600)).toThrow(RangeError)
  })

  it("is monotonic in the rate (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 86_400 }),
        fc.integer({ min: 0, max: 10_000 }),
        (a, b, seconds, minimum) => {
          const [low, high] = a <= b ? [a, b] : [b, a]
          const pLow = fairPay(low, seconds, minimum)
          const pHigh = fairPay(high, seconds, minimum)
          expect(pLow.effectiveHourlyFen).toBeLessThanOrEqual(pHigh.effectiveHourlyFen)
          // a higher rate is never below the minimum when a lower one is not
          if (!pLow.belowMinimum) expect(pHigh.belowMinimum).toBe(false)
          // and the figure is the floor of the exact quotient
          expect(pHigh.effectiveHourlyFen * seconds).toBeLessThanOrEqual(high * 3600)
          expect((pHigh.effectiveHourlyFen + 1) * seconds).toBeGreaterThan(high * 3600)
          expect(pHigh.belowMinimum).toBe(pHigh.effectiveHourlyFen < minimum)
        }
      )
    )
  })

  it("is antitonic in the standard seconds (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 86_400 }),
        fc.integer({ min: 1, max: 86_400 }),
        (rate, a, b) => {
          const [fast, slow] = a <= b ? [a, b] : [b, a]
          expect(fairPay(rate, slow, 0).effectiveHourlyFen).toBeLessThanOrEqual(
            fairPay(rate, fast, 0).effectiveHourlyFen
          )
        }
      )
    )
  })
})

describe("rateAt", () => {
  const rates = [entry(1_000, 8), entry(5_000, 10, 2_000), entry(5_000, 11, 3_000), entry(9_000, 12)]

  it("picks the latest entry in force, the later one of a tie, and the first before any", () => {
    expect(rateAt(rates, 0).rateFen).toBe(8)
    expect(rateAt(rates, 999).rateFen).toBe(8)
    expect(rateAt(rates, 1_000).rateFen).toBe(8)
    expect(rateAt(rates, 4_999).rateFen).toBe(8)
    expect(rateAt(rates, 5_000).rateFen).toBe(11)
    expect(rateAt(rates, 8_999).rateFen).toBe(11)
    expect(rateAt(rates, 9_000).rateFen).toBe(12)
    expect(rateAt(rates, Number.MAX_SAFE_INTEGER).rateFen).toBe(12)
  })

  it("refuses an empty table", () => {
    expect(() => rateAt([], 0)).toThrow(RangeError)
  })

  it("returns the latest entry not after `at` whenever there is one (property)", () => {
    fc.assert(
      fc.property(sortedTable, fc.integer({ min: -10, max: 1_010 }), (table, at) => {
        const found = rateAt(table, at)
        expect(found).toBe(reference(table, at))
        const inForce = table.filter((r) => r.effectiveFrom <= at)
        if (inForce.length > 0) {
          expect(found.effectiveFrom).toBeLessThanOrEqual(at)
          for (const r of inForce) expect(r.effectiveFrom).toBeLessThanOrEqual(found.effectiveFrom)
        } else {
          expect(found).toBe(table[0])
        }
      })
    )
  })

  it("agrees with the reference on unsorted tables too (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: -5, max: 105 }),
        (froms, at) => {
          const table = froms.map((from, i) => entry(from, i + 1))
          expect(rateAt(table, at)).toBe(reference(table, at))
        }
      )
    )
  })
})

describe("addRate", () => {
  const rates = [entry(1_000, 8)]

  it("appends an entry taking effect now or later", () => {
    const added = Result.getOrThrow(addRate(rates, entry(2_000, 9), 2_000))
    expect(added).toEqual([entry(1_000, 8), entry(2_000, 9)])
    const later = Result.getOrThrow(addRate(added, entry(7_000, 10, 3_000), 3_000))
    expect(later.map((r) => r.rateFen)).toEqual([8, 9, 10])
    expect(rates).toHaveLength(1) // the input is not changed
  })

  it("accepts an entry at the same moment as the last one, which supersedes it", () => {
    const added = Result.getOrThrow(addRate(rates, entry(1_000, 9, 1_000), 1_000))
    expect(rateAt(added, 1_000).rateFen).toBe(9)
  })

  it("refuses an entry in the past, or before the last one", () => {
    const past = addRate(rates, entry(1_999, 9, 2_000), 2_000)
    expect(Result.isFailure(past)).toBe(true)
    if (Result.isFailure(past)) {
      expect(past.failure._tag).toBe("InvalidInput")
      expect(past.failure.field).toBe("effectiveFrom")
      expect(past.failure.message).toMatch(/past/u)
      expect(past.failure.message).toMatch(/追溯/u)
    }
    const scheduled = [entry(1_000, 8), entry(9_000, 10, 1_500)]
    const before = addRate(scheduled, entry(5_000, 9, 2_000), 2_000)
    expect(Result.isFailure(before)).toBe(true)
    if (Result.isFailure(before)) expect(before.failure.message).toMatch(/最近一次调价/u)
  })

  it("never changes the rate of a moment before the new entry (property)", () => {
    const step = fc.record({ wait: fc.integer({ min: 0, max: 50 }), delay: fc.integer({ min: -20, max: 50 }) })
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 15 }),
        fc.array(fc.integer({ min: -10, max: 2_000 })),
        (steps, probes) => {
          let table: ReadonlyArray<RateEntry> = [entry(0, 1)]
          let now = 0
          steps.forEach(({ delay, wait }, i) => {
            now += wait
            const candidate = entry(now + delay, i + 2, now)
            const result = addRate(table, candidate, now)
            const last = table[table.length - 1]!
            if (candidate.effectiveFrom < now || candidate.effectiveFrom < last.effectiveFrom) {
              expect(Result.isFailure(result)).toBe(true)
              return
            }
            const next = Result.getOrThrow(result)
            // sorted stays sorted, and the table only grows at its end
            expect(next.slice(0, table.length)).toEqual(table)
            for (let k = 1; k < next.length; k++) {
              expect(next[k]!.effectiveFrom).toBeGreaterThanOrEqual(next[k - 1]!.effectiveFrom)
            }
            // history is not rewritten
            for (const at of probes) {
              if (at < candidate.effectiveFrom) expect(rateAt(next, at)).toBe(rateAt(table, at))
              else expect(rateAt(next, at)).toBe(candidate)
            }
            table = next
          })
        }
      )
    )
  })
})
