import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { Money } from "../src/index.js"

const amount = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 })
const weights = fc
  .array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 })
  .filter((w) => w.some((x) => x > 0))

describe("Money.allocate (largest remainder)", () => {
  it("parts always sum to the whole", () => {
    fc.assert(
      fc.property(amount, weights, (total, ws) => {
        const parts = Result.getOrThrow(Money.allocate(Money.cny(total), ws))
        expect(parts.reduce((s, p) => s + p.amount, 0)).toBe(total)
        expect(parts).toHaveLength(ws.length)
      })
    )
  })

  it("no part of a non-negative total is negative, and zero weights get nothing", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), weights, (total, ws) => {
        const parts = Result.getOrThrow(Money.allocate(Money.cny(total), ws))
        parts.forEach((p, i) => {
          expect(p.amount).toBeGreaterThanOrEqual(0)
          if (ws[i] === 0) expect(p.amount).toBe(0)
        })
      })
    )
  })

  it("each part is within one fen of its exact share", () => {
    fc.assert(
      fc.property(amount, weights, (total, ws) => {
        const parts = Result.getOrThrow(Money.allocate(Money.cny(total), ws))
        const W = BigInt(ws.reduce((a, b) => a + b, 0))
        parts.forEach((p, i) => {
          // |p - total*w/W| < 1  <=>  |p*W - total*w| < W
          const diff = BigInt(p.amount) * W - BigInt(total) * BigInt(ws[i]!)
          expect(diff < 0n ? -diff : diff).toBeLessThan(W)
        })
      })
    )
  })

  it("ties go to the lower index", () => {
    const parts = Result.getOrThrow(Money.allocate(Money.cny(10_000), [1, 1, 1]))
    expect(parts.map((p) => p.amount)).toEqual([3334, 3333, 3333])
    const two = Result.getOrThrow(Money.allocate(Money.cny(5), [1, 1, 1, 1]))
    expect(two.map((p) => p.amount)).toEqual([2, 1, 1, 1])
  })

  it("rejects empty, negative, fractional and all-zero weights", () => {
    for (const ws of [[], [-1, 2], [0.5, 1], [0, 0]]) {
      const result = Money.allocate(Money.cny(100), ws)
      expect(Result.isFailure(result)).toBe(true)
      if (Result.isFailure(result)) expect(result.failure._tag).toBe("InvalidInput")
    }
  })
})

describe("Money arithmetic", () => {
  it("add and subtract are checked against overflow", () => {
    const big = Money.cny(Number.MAX_SAFE_INTEGER)
    expect(Result.isFailure(Money.add(big, Money.cny(1)))).toBe(true)
    expect(Result.isFailure(Money.subtract(Money.cny(Number.MIN_SAFE_INTEGER), Money.cny(1)))).toBe(true)
    expect(Result.isFailure(Money.multiply(big, 2))).toBe(true)
    expect(Result.isFailure(Money.multiply(Money.cny(3), 1.5))).toBe(true)
  })

  it("add then subtract is the identity on safe values", () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        const sum = Result.getOrThrow(Money.add(Money.cny(a), Money.cny(b)))
        expect(Result.getOrThrow(Money.subtract(sum, Money.cny(b))).amount).toBe(a)
      })
    )
  })

  it("sum of a list equals the fold of add; make rejects unsafe amounts", () => {
    expect(Result.getOrThrow(Money.sum([Money.cny(150), Money.cny(250), Money.cny(-100)])).amount).toBe(300)
    expect(Result.isFailure(Money.make(1.5))).toBe(true)
    expect(Result.isFailure(Money.make(2 ** 53))).toBe(true)
    expect(Money.format(Money.cny(123_456))).toBe("¥1234.56")
    expect(Money.format(Money.cny(-5))).toBe("-¥0.05")
  })
})
