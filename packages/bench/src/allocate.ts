/**
 * Benchmark: the fund's allocator (`Allocation.allocate` of `@commonweal/core`) sharing a pool
 * among 1,000,000 candidates exactly, against a plain proportional split measured in the same run.
 *
 * In one run the script
 *
 * 1. builds, from a fixed seed, 1,000,000 candidates: weights 1 to 1,000 need points, requests
 *    ¥10 to ¥5,000, 30 % with a cap (30 % to 90 % of the request), 10 % with a minimum (10 % to
 *    50 % of the limit); once in four tiers (10 / 20 / 30 / 40 % of the candidates) with a pool
 *    that serves tiers 1 and 2 in full and half of tier 3 (so 300,000 candidates are shared by
 *    water-filling, minimums and largest remainder), and once all in one tier with a pool of half
 *    the limits (the whole million is marginal: the worst case), and once more the four tiers with
 *    a zero pool (no sharing: the fixed cost of validating, grouping and building the output);
 * 2. times, in interleaved rounds after warm-up rounds (no outcome is kept from one run to the next): the baseline, `floor(pool × weight / W)`
 *    over the same array of candidates (one tier, no caps, no minimums, no validation, no exact
 *    fen: what a spreadsheet does), then the allocator on each scenario (input validation
 *    included, output objects with reasons included);
 * 3. checks that every outcome is exact (`allocated + reserve + left = pool`, no share above its
 *    limit) and prints the median and p95 milliseconds of each, the ratio to the baseline, and
 *    the fen the baseline loses to rounding.
 *
 * Environment: `BENCH_CANDIDATES` (default 1,000,000), `BENCH_ROUNDS` (default 9),
 * `BENCH_WARMUP` (rounds, default 2).
 *
 * Run: `pnpm --filter @commonweal/bench bench:allocate` (or `pnpm bench:allocate` in packages/bench).
 *
 * @module
 */
import { Allocation } from "@commonweal/core"
import { Result } from "effect"
import { seeded } from "./common.js"

const N = Number(process.env["BENCH_CANDIDATES"] ?? 1_000_000)
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 9)
const WARMUP = Number(process.env["BENCH_WARMUP"] ?? 2)

const limitOf = (c: Allocation.Candidate) => (c.cap === undefined ? c.request : Math.min(c.request, c.cap))

const makeCandidates = (n: number, tiers: (u: number) => number): Array<Allocation.Candidate> => {
  const random = seeded(20_260_810)
  const out: Array<Allocation.Candidate> = new Array(n)
  for (let i = 0; i < n; i++) {
    const request = 1_000 + Math.floor(random() * 499_001)
    const weight = 1 + Math.floor(random() * 1_000)
    const tier = tiers(random())
    const base: Allocation.Candidate = { id: `c${i.toString(36).padStart(5, "0")}`, request, weight, tier }
    const withCap: Allocation.Candidate =
      random() < 0.3 ? { ...base, cap: Math.floor(request * (0.3 + random() * 0.6)) } : base
    out[i] = random() < 0.1 ? { ...withCap, minimum: Math.floor(limitOf(withCap) * (0.1 + random() * 0.4)) } : withCap
  }
  return out
}

const fourTiers = makeCandidates(N, (u) => (u < 0.1 ? 1 : u < 0.3 ? 2 : u < 0.6 ? 3 : 4))
const oneTier = fourTiers.map((c) => ({ ...c, tier: 1 }))

const limitsOfTier = (cs: ReadonlyArray<Allocation.Candidate>, tier: number) =>
  cs.reduce((s, c) => (c.tier === tier ? s + limitOf(c) : s), 0)
const scenarios: Array<{ name: string; input: Allocation.Input }> = [
  {
    name: "four tiers, tier 3 marginal",
    input: {
      // 5 % reserve on top of what tiers 1, 2 and half of 3 ask
      pool: Math.floor(
        (limitsOfTier(fourTiers, 1) + limitsOfTier(fourTiers, 2) + limitsOfTier(fourTiers, 3) / 2) / 0.95
      ),
      reserveBasisPoints: 500,
      candidates: fourTiers
    }
  },
  {
    name: "one tier, all marginal",
    input: { pool: Math.floor(limitsOfTier(oneTier, 1) / 2), reserveBasisPoints: 0, candidates: oneTier }
  },
  {
    // nothing to share: what is left is the fixed cost (validation, grouping by tier, output objects)
    name: "four tiers, zero pool (fixed cost)",
    input: { pool: 0, reserveBasisPoints: 0, candidates: fourTiers }
  }
]

/** The baseline: a plain proportional split with Math.floor over the same array (not exact: fen are lost). */
const baseline = (pool: number, candidates: ReadonlyArray<Allocation.Candidate>): Float64Array => {
  const out = new Float64Array(candidates.length)
  let weights = 0
  for (const c of candidates) weights += c.weight
  for (let i = 0; i < candidates.length; i++) out[i] = Math.floor((pool * candidates[i]!.weight) / weights)
  return out
}

const check = (name: string, input: Allocation.Input, outcome: Allocation.Outcome) => {
  let sum = 0
  outcome.shares.forEach((s, i) => {
    sum += s.amount
    if (s.amount > limitOf(input.candidates[i]!)) throw new Error(`${name}: ${s.id} above its limit`)
  })
  if (sum !== outcome.allocated || outcome.allocated + outcome.reserve + outcome.left !== input.pool) {
    throw new Error(`${name}: totals do not add up`)
  }
}

const quantile = (xs: ReadonlyArray<number>, q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!
}

const timings = new Map<string, Array<number>>()
const record = (name: string, ms: number) => timings.set(name, [...(timings.get(name) ?? []), ms])
const BASELINE = "baseline: floor(pool × w / W), one tier"

console.log(`Node ${process.version}, ${N.toLocaleString("en")} candidates, ${WARMUP} warm-up + ${ROUNDS} rounds`)
let sink = 0
const summary = new Map<string, string>()
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  const measured = round >= WARMUP
  let t = performance.now()
  sink += baseline(scenarios[1]!.input.pool, oneTier)[0]!
  if (measured) record(BASELINE, performance.now() - t)
  for (const { input, name } of scenarios) {
    t = performance.now()
    const outcome = Result.getOrThrow(Allocation.allocate(input))
    if (measured) record(name, performance.now() - t)
    check(name, input, outcome)
    const counts = new Map<string, number>()
    for (const s of outcome.shares) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1)
    summary.set(
      name,
      `${name}: pool ${input.pool} fen, reserve ${outcome.reserve}, allocated ${outcome.allocated}, left ${outcome.left} (exact); ` +
        [...counts].map(([r, k]) => `${r} ${k}`).join(", ")
    )
  }
}

const base = quantile(timings.get(BASELINE)!, 0.5)
console.log("")
console.log("| run | median ms | p95 ms | × baseline |")
console.log("| --- | ---: | ---: | ---: |")
for (const [name, xs] of timings) {
  const median = quantile(xs, 0.5)
  console.log(`| ${name} | ${median.toFixed(1)} | ${quantile(xs, 0.95).toFixed(1)} | ${(median / base).toFixed(1)} |`)
}
console.log("")
for (const line of summary.values()) console.log(line)
{
  const pool = scenarios[1]!.input.pool
  const split = baseline(pool, oneTier)
  let sum = 0
  for (const x of split) sum += x
  console.log(`baseline: of ${pool} fen it hands out ${sum}: ${pool - sum} fen lost to rounding`)
}
if (sink < 0) console.log(sink)
