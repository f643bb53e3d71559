import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { Allocation } from "../../src/index.js"

type Candidate = Allocation.Candidate
type Input = Allocation.Input

const run = (input: Input): Allocation.Outcome => Result.getOrThrow(Allocation.allocate(input))
const limitOf = (c: Candidate): number => (c.cap === undefined ? c.request : Math.min(c.request, c.cap))

/** A candidate drawn from small ranges, so that ties, caps and minimums happen often. */
const candidate = (id: string, maxFen: number, maxWeight: number, tiers: number): fc.Arbitrary<Candidate> =>
  fc
    .record({
      request: fc.integer({ min: 0, max: maxFen }),
      weight: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: maxWeight })),
      tier: fc.integer({ min: 1, max: tiers }),
      cap: fc.option(fc.integer({ min: 0, max: maxFen }), { nil: undefined }),
      minimumShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined })
    })
    .map(({ cap, minimumShare, request, tier, weight }) => {
      const c: Candidate = { id, request, weight, tier, ...(cap === undefined ? {} : { cap }) }
      return minimumShare === undefined ? c : { ...c, minimum: Math.floor(limitOf(c) * minimumShare) }
    })

const candidates = (maxFen: number, maxWeight: number, tiers: number, maxLength = 12) =>
  fc
    .integer({ min: 0, max: maxLength })
    .chain((length) =>
      fc.tuple(
        ...Array.from({ length }, (_, i) => candidate(`c${String(i).padStart(2, "0")}`, maxFen, maxWeight, tiers))
      )
    )

const input = (maxFen = 10_000, maxWeight = 20, tiers = 3): fc.Arbitrary<Input> =>
  fc.record({
    pool: fc.oneof(fc.integer({ min: 0, max: maxFen * 6 }), fc.integer({ min: 0, max: 50 })),
    reserveBasisPoints: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000 })),
    candidates: candidates(maxFen, maxWeight, tiers)
  })

/** Large figures: products beyond 2^53, so that the exact (bigint) paths run. */
const bigInput: fc.Arbitrary<Input> = fc.record({
  pool: fc.integer({ min: 0, max: 2 ** 50 }),
  reserveBasisPoints: fc.integer({ min: 0, max: 10_000 }),
  candidates: candidates(2 ** 45, 2 ** 40, 2, 8)
})

// ---------------------------------------------------------------------------------------------
// A reference: the documented rules, literally, in bigint rationals and without any cleverness
// ---------------------------------------------------------------------------------------------

const reference = (inp: Input): { reserve: number; left: number; shares: Array<[number, Allocation.Reason]> } => {
  const B = BigInt
  const pool = B(inp.pool)
  const reserve = (pool * B(inp.reserveBasisPoints)) / 10_000n
  let rest = pool - reserve
  const out: Array<[number, Allocation.Reason]> = inp.candidates.map(() => [0, "zero_weight"])
  const tiers = [...new Set(inp.candidates.map((c) => c.tier))].sort((a, b) => a - b)
  const grant = (i: number) => {
    const c = inp.candidates[i]!
    out[i] = [limitOf(c), limitOf(c) < c.request ? "capped" : "request_met"]
  }
  for (const t of tiers) {
    const members = inp.candidates.flatMap((c, i) => (c.tier === t && c.weight > 0 ? [i] : []))
    const lim = (i: number) => B(limitOf(inp.candidates[i]!))
    const w = (i: number) => B(inp.candidates[i]!.weight)
    const min = (i: number) => B(inp.candidates[i]!.minimum ?? 0)
    const sumLimits = (is: Array<number>) => is.reduce((s, i) => s + lim(i), 0n)
    if (sumLimits(members) <= rest) {
      members.forEach(grant)
      rest -= sumLimits(members)
      continue
    }
    if (rest === 0n) {
      for (const i of members) out[i] = [0, "pool_exhausted"]
      continue
    }
    const A = rest
    let kept = [...members]
    // water-fill by "cap, redistribute, repeat"; level = num / den
    const fillLevel = (set: Array<number>) => {
      const capped = new Set<number>()
      for (;;) {
        const open = set.filter((i) => !capped.has(i))
        const num = A - [...capped].reduce((s, i) => s + lim(i), 0n)
        const den = open.reduce((s, i) => s + w(i), 0n)
        const more = open.filter((i) => lim(i) * den <= num * w(i))
        if (more.length === 0) return { capped, open, num, den }
        for (const i of more) capped.add(i)
      }
    }
    for (;;) {
      if (sumLimits(kept) <= A) break
      const { den, num, open } = fillLevel(kept)
      const below = open.filter((i) => num * w(i) < min(i) * den)
      if (below.length === 0) break
      // the highest minimum / weight among those below drops (all exactly tied at once)
      const top = below.reduce((a, b) => (min(b) * w(a) > min(a) * w(b) ? b : a))
      const dropping = below.filter((i) => min(i) * w(top) === min(top) * w(i))
      for (const i of dropping) out[i] = [0, "below_minimum"]
      kept = kept.filter((i) => !dropping.includes(i))
    }
    if (sumLimits(kept) <= A) {
      kept.forEach(grant)
      rest -= sumLimits(kept)
      continue
    }
    const { capped, den, num, open } = fillLevel(kept)
    for (const i of capped) grant(i)
    const parts = open.map((i) => ({ i, floor: (num * w(i)) / den, rem: (num * w(i)) % den }))
    let leftover = num - parts.reduce((s, p) => s + p.floor, 0n)
    parts.sort(
      (a, b) =>
        (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : 0) ||
        (w(b.i) > w(a.i) ? 1 : w(b.i) < w(a.i) ? -1 : 0) ||
        (inp.candidates[a.i]!.id < inp.candidates[b.i]!.id ? -1 : 1)
    )
    for (const p of parts) {
      const extra = leftover > 0n ? 1n : 0n
      leftover -= extra
      out[p.i] = [Number(p.floor + extra), "proportional"]
    }
    rest = 0n
  }
  return { reserve: Number(reserve), left: Number(rest), shares: out }
}

const shuffled = <A>(xs: ReadonlyArray<A>, seed: number): Array<A> => {
  const a = [...xs]
  let s = seed >>> 0 || 1
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0
    const j = s % (i + 1)
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

describe("Allocation.allocate: properties", () => {
  it("follows the documented rules exactly (a literal bigint reference)", () => {
    fc.assert(
      fc.property(input(), (inp) => {
        const got = run(inp)
        const want = reference(inp)
        expect(got.reserve).toBe(want.reserve)
        expect(got.left).toBe(want.left)
        expect(got.shares.map((s) => [s.amount, s.reason])).toEqual(want.shares)
      }),
      { numRuns: 2_000 }
    )
    fc.assert(
      fc.property(bigInput, (inp) => {
        const got = run(inp)
        const want = reference(inp)
        expect(got.reserve).toBe(want.reserve)
        expect(got.left).toBe(want.left)
        expect(got.shares.map((s) => [s.amount, s.reason])).toEqual(want.shares)
      }),
      { numRuns: 500 }
    )
  })

  it("totals are exact: allocated + reserve + left = pool, and allocated is the sum of the shares", () => {
    fc.assert(
      fc.property(fc.oneof(input(), bigInput), (inp) => {
        const out = run(inp)
        expect(out.allocated + out.reserve + out.left).toBe(inp.pool)
        expect(out.shares.reduce((s, x) => s + x.amount, 0)).toBe(out.allocated)
        expect(out.reserve).toBe(Number((BigInt(inp.pool) * BigInt(inp.reserveBasisPoints)) / 10_000n))
        for (const s of out.shares) {
          expect(Number.isSafeInteger(s.amount)).toBe(true)
          expect(s.amount).toBeGreaterThanOrEqual(0)
        }
      }),
      { numRuns: 1_000 }
    )
  })

  it("nobody gets more than min(request, cap), and whoever gets money gets at least the minimum", () => {
    fc.assert(
      fc.property(fc.oneof(input(), bigInput), (inp) => {
        run(inp).shares.forEach((s, i) => {
          const c = inp.candidates[i]!
          expect(s.id).toBe(c.id)
          expect(s.amount).toBeLessThanOrEqual(limitOf(c))
          if (s.amount > 0) expect(s.amount).toBeGreaterThanOrEqual(c.minimum ?? 0)
          if (c.weight === 0) expect([s.amount, s.reason]).toEqual([0, "zero_weight"])
          if (s.reason === "below_minimum" || s.reason === "pool_exhausted") expect(s.amount).toBe(0)
          if (s.reason === "request_met") expect(s.amount).toBe(c.request)
          if (s.reason === "capped") expect(s.amount).toBe(c.cap)
        })
      }),
      { numRuns: 1_000 }
    )
  })

  it("more weight never means less money (same tier, everything else equal)", () => {
    fc.assert(
      fc.property(
        input(10_000, 20, 2).filter((i) => i.candidates.length > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 30 }),
        (inp, pick, more) => {
          const j = pick % inp.candidates.length
          const heavier = inp.candidates.map((c, i) => (i === j ? { ...c, weight: c.weight + more } : c))
          const before = run(inp).shares[j]!.amount
          const after = run({ ...inp, candidates: heavier }).shares[j]!.amount
          expect(after).toBeGreaterThanOrEqual(before)
        }
      ),
      { numRuns: 3_000 }
    )
  })

  it("a higher tier is fully served (up to limits, minimums aside) before a lower tier gets anything", () => {
    fc.assert(
      fc.property(input(), (inp) => {
        const out = run(inp)
        const served = (i: number) => {
          const c = inp.candidates[i]!
          const s = out.shares[i]!
          return c.weight === 0 || s.reason === "below_minimum" || s.amount === limitOf(c)
        }
        out.shares.forEach((s, i) => {
          if (s.amount === 0) return
          inp.candidates.forEach((c, k) => {
            if (c.tier < inp.candidates[i]!.tier) expect(served(k)).toBe(true)
          })
        })
        // money is left over only when every candidate is served or out
        if (out.left > 0) {
          inp.candidates.forEach((_, k) => {
            expect(served(k)).toBe(true)
          })
        }
      }),
      { numRuns: 1_000 }
    )
  })

  it("is deterministic: the same candidates in any order get the same shares", () => {
    fc.assert(
      fc.property(fc.oneof(input(), bigInput), fc.integer(), (inp, seed) => {
        const out = run(inp)
        const again = run({ ...inp, candidates: shuffled(inp.candidates, seed) })
        expect(again.reserve).toBe(out.reserve)
        expect(again.left).toBe(out.left)
        const byId = new Map(again.shares.map((s) => [s.id, s]))
        for (const s of out.shares) expect(byId.get(s.id)).toEqual(s)
        expect(run(inp)).toEqual(out)
      }),
      { numRuns: 1_000 }
    )
  })

  it("a zero pool gives zeros", () => {
    fc.assert(
      fc.property(input(), (inp) => {
        const out = run({ ...inp, pool: 0 })
        expect([out.reserve, out.allocated, out.left]).toEqual([0, 0, 0])
        for (const s of out.shares) expect(s.amount).toBe(0)
      })
    )
  })
})

describe("Allocation.allocate: large rounds (the radix sort path)", () => {
  /** A seeded round of `n` candidates in two tiers; the second is marginal. */
  const largeRound = (n: number, seed: number): Input => {
    let s = seed
    const random = () => {
      s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0
      return s / 4_294_967_296
    }
    const cs: Array<Candidate> = []
    for (let i = 0; i < n; i++) {
      const request = 1 + Math.floor(random() * 50_000)
      const c: Candidate = { id: `r${i}`, request, weight: 1 + Math.floor(random() * 40), tier: random() < 0.2 ? 1 : 2 }
      const capped: Candidate = random() < 0.3 ? { ...c, cap: Math.floor(request * random()) } : c
      cs.push(random() < 0.02 ? { ...capped, minimum: Math.floor(limitOf(capped) * random()) } : capped)
    }
    const limits = cs.reduce((sum, c) => sum + limitOf(c), 0)
    return { pool: Math.floor(limits * 0.6), reserveBasisPoints: 250, candidates: cs }
  }

  it("agrees with the reference on 6,000 candidates", () => {
    for (const seed of [1, 2]) {
      const inp = largeRound(6_000, seed)
      const got = run(inp)
      const want = reference(inp)
      expect(got.left).toBe(want.left)
      expect(got.shares.map((x) => [x.amount, x.reason])).toEqual(want.shares)
      expect(got.shares.some((x) => x.reason === "proportional")).toBe(true)
      expect(got.shares.some((x) => x.reason === "capped")).toBe(true)
    }
  })

  it("is deterministic under shuffling on 20,000 candidates", () => {
    const inp = largeRound(20_000, 7)
    const out = run(inp)
    const again = run({ ...inp, candidates: shuffled(inp.candidates, 99) })
    const byId = new Map(again.shares.map((x) => [x.id, x.amount]))
    expect(out.shares.every((x) => byId.get(x.id) === x.amount)).toBe(true)
    expect(out.allocated + out.reserve + out.left).toBe(inp.pool)
  })
})

describe("Allocation.allocate: examples", () => {
  it("a Junxin fund round: families in difficulty first, then community projects", () => {
    // ¥18,000.00 from a season of 幸运君 goods (after Candy Commune's design fees and production
    // costs), 10 % kept back: ¥16,200.00 to share
    const out = run({
      pool: 1_800_000,
      reserveBasisPoints: 1_000,
      candidates: [
        // tier 1: families in difficulty, each asks a fixed sum
        { id: "family-a", request: 300_000, weight: 80, tier: 1 },
        { id: "family-b", request: 200_000, weight: 60, tier: 1 },
        // tier 2: projects, shared by need points
        { id: "xinanjun-health-checks", request: 800_000, weight: 50, tier: 2 }, // 馨安君 check-ups
        { id: "holiday-activities", request: 600_000, weight: 30, tier: 2, cap: 250_000 },
        { id: "kite-workshop", request: 300_000, weight: 10, tier: 2, minimum: 150_000 },
        { id: "dialect-volunteers", request: 200_000, weight: 10, tier: 2 }, // 老乡团 travel
        // tier 3: nice to have
        { id: "blind-box-stands", request: 100_000, weight: 5, tier: 3 }
      ]
    })
    expect(out.reserve).toBe(180_000)
    const got = Object.fromEntries(out.shares.map((s) => [s.id, [s.amount, s.reason]]))
    // tier 1 is met in full (5,000 of 16,200), 11,200 remain for tier 2 (asks 13,500 after the cap)
    expect(got["family-a"]).toEqual([300_000, "request_met"])
    expect(got["family-b"]).toEqual([200_000, "request_met"])
    // by weight 50 : 30 : 10 : 10 the level is 11,200 / 100 = 112 yuan a point: the holiday
    // activities would get 3,360 but are capped at 2,500; the other 8,700 go 50 : 10 : 10, i.e.
    // 124.2857… a point: check-ups 6,214.28…, kite 1,242.85… (below its minimum of 1,500: out),
    // and again without the kite: 8,700 / 60 = 145 a point: check-ups 7,250, volunteers 1,450
    expect(got["holiday-activities"]).toEqual([250_000, "capped"])
    expect(got["kite-workshop"]).toEqual([0, "below_minimum"])
    expect(got["xinanjun-health-checks"]).toEqual([725_000, "proportional"])
    expect(got["dialect-volunteers"]).toEqual([145_000, "proportional"])
    expect(got["blind-box-stands"]).toEqual([0, "pool_exhausted"])
    expect(out.left).toBe(0)
    expect(out.allocated).toBe(1_620_000)
    const kite = out.shares.find((s) => s.id === "kite-workshop")!
    expect(kite.note).toBe("tier 2: share below its minimum, so nothing / 第2档：应得份额低于最低额，不予分配")
  })

  it("leaves money over when every candidate is at its limit", () => {
    const out = run({
      pool: 1_000_000,
      reserveBasisPoints: 500,
      candidates: [
        { id: "a", request: 100_000, weight: 1, tier: 1 },
        { id: "b", request: 900_000, weight: 1, tier: 2, cap: 300_000 }
      ]
    })
    expect(out.reserve).toBe(50_000)
    expect(out.shares.map((s) => [s.amount, s.reason])).toEqual([
      [100_000, "request_met"],
      [300_000, "capped"]
    ])
    expect(out.left).toBe(550_000)
  })

  it("ties of the remainder go to the higher weight, then to the smaller id", () => {
    // 10 fen among weights 1, 1, 1: 3 each and one fen left, to the smallest id
    const equal = run({
      pool: 10,
      reserveBasisPoints: 0,
      candidates: [
        { id: "m", request: 100, weight: 1, tier: 1 },
        { id: "b", request: 100, weight: 1, tier: 1 },
        { id: "x", request: 100, weight: 1, tier: 1 }
      ]
    })
    expect(equal.shares.map((s) => s.amount)).toEqual([3, 4, 3])
    // 3 fen among weights 2 and 2: 1.5 each, the fen to the smaller id "a"
    const byId = run({
      pool: 3,
      reserveBasisPoints: 0,
      candidates: [
        { id: "z", request: 100, weight: 2, tier: 1 },
        { id: "a", request: 100, weight: 2, tier: 1 }
      ]
    })
    expect(byId.shares.map((s) => s.amount)).toEqual([1, 2])
    // 3 fen among weights 1, 4, 4: quotas 3/9, 12/9, 12/9, floors 0, 1, 1 and equal remainders
    // (3/9 each): the fen goes to a weight 4 (not to "a"), and of those to the smaller id "b"
    const byWeight = run({
      pool: 3,
      reserveBasisPoints: 0,
      candidates: [
        { id: "a", request: 100, weight: 1, tier: 1 },
        { id: "c", request: 100, weight: 4, tier: 1 },
        { id: "b", request: 100, weight: 4, tier: 1 }
      ]
    })
    expect(byWeight.shares.map((s) => s.amount)).toEqual([0, 1, 2])
  })
})

describe("Allocation.allocate: input errors", () => {
  const base: Input = {
    pool: 1_000,
    reserveBasisPoints: 0,
    candidates: [{ id: "a", request: 100, weight: 1, tier: 1 }]
  }
  const fails = (inp: Input, field: string, text: string) => {
    const result = Allocation.allocate(inp)
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure._tag).toBe("InvalidInput")
      const issue = result.failure.issues.find((i) => i.field === field)
      expect(issue?.message).toContain(text)
      expect(issue?.message).toContain(" / ")
    }
  }
  const withCandidate = (c: Partial<Candidate>): Input => ({
    ...base,
    candidates: [{ id: "a", request: 100, weight: 1, tier: 1, ...c }]
  })

  it("rejects bad pools, reserves and amounts", () => {
    fails({ ...base, pool: -1 }, "pool", "non-negative")
    fails({ ...base, pool: 1.5 }, "pool", "non-negative")
    fails({ ...base, reserveBasisPoints: 10_001 }, "reserveBasisPoints", "0 to 10000")
    fails({ ...base, reserveBasisPoints: -5 }, "reserveBasisPoints", "0 to 10000")
    fails(withCandidate({ request: -100 }), "candidates[0].request", "non-negative")
    fails(withCandidate({ cap: -1 }), "candidates[0].cap", "non-negative")
    fails(withCandidate({ minimum: -1 }), "candidates[0].minimum", "non-negative")
    fails(withCandidate({ tier: 0 }), "candidates[0].tier", "positive integer")
  })

  it("rejects weights that are not finite, negative or fractional", () => {
    fails(withCandidate({ weight: Number.NaN }), "candidates[0].weight", "finite")
    fails(withCandidate({ weight: Number.POSITIVE_INFINITY }), "candidates[0].weight", "finite")
    fails(withCandidate({ weight: -1 }), "candidates[0].weight", "negative")
    fails(withCandidate({ weight: 0.5 }), "candidates[0].weight", "whole number")
  })

  it("rejects a minimum above the cap or the request", () => {
    fails(withCandidate({ minimum: 60, cap: 50 }), "candidates[0].minimum", "exceed the cap")
    fails(withCandidate({ minimum: 101 }), "candidates[0].minimum", "exceed the request")
  })

  it("rejects duplicate and empty ids, and lists every issue", () => {
    const result = Allocation.allocate({
      pool: 1_000,
      reserveBasisPoints: 0,
      candidates: [
        { id: "a", request: 100, weight: 1, tier: 1 },
        { id: "a", request: 100, weight: -1, tier: 1 },
        { id: "", request: 100, weight: 1, tier: 1 }
      ]
    })
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure.issues.map((i) => i.field)).toEqual([
        "candidates[1].id",
        "candidates[1].weight",
        "candidates[2].id"
      ])
      expect(result.failure.issues[0]!.message).toBe("duplicate id a / 编号重复")
    }
  })

  it("finds a repeated id among many, and tells ids with equal hashes apart", () => {
    const many: Array<Candidate> = Array.from({ length: 5_000 }, (_, i) => ({
      id: `id${i}`,
      request: 100,
      weight: 1,
      tier: 1
    }))
    const pair: Array<Candidate> = [
      { id: "a", request: 1, weight: 1, tier: 1 },
      { id: "a", request: 1, weight: 1, tier: 2 }
    ]
    fails({ ...base, candidates: pair }, "candidates[1].id", "duplicate id a")
    // "id522789" and "id739192" have the same 32-bit FNV-1a hash: distinct ids, not duplicates
    const colliding = [...many, { id: "id522789", request: 100, weight: 1, tier: 1 }]
    colliding.push({ id: "id739192", request: 100, weight: 1, tier: 1 })
    expect(run({ ...base, candidates: colliding }).shares).toHaveLength(5_002)
    fails(
      { ...base, candidates: [...many, { id: "id4321", request: 1, weight: 1, tier: 2 }] },
      "candidates[5000].id",
      "duplicate id id4321"
    )
    fails(
      { ...base, candidates: [...colliding, { id: "id739192", request: 1, weight: 1, tier: 1 }] },
      "candidates[5002].id",
      "duplicate"
    )
  })

  it("rejects sums beyond a safe integer", () => {
    const huge = Number.MAX_SAFE_INTEGER
    fails(
      {
        ...base,
        candidates: [
          { id: "a", request: huge, weight: 1, tier: 1 },
          { id: "b", request: huge, weight: 1, tier: 1 }
        ]
      },
      "candidates",
      "requests"
    )
    fails(
      {
        ...base,
        candidates: [
          { id: "a", request: 1, weight: huge, tier: 1 },
          { id: "b", request: 1, weight: huge, tier: 1 }
        ]
      },
      "candidates",
      "weights"
    )
  })
})
