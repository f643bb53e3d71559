/**
 * The fund's allocator: shares a pool among candidates (projects, families in difficulty) by
 * priority tier and weight, exactly to the fen, with a reason for every candidate.
 *
 * A pure function: no I/O, no clock, no randomness. It is what an allocation round proposes
 * before the committee's approvals; the service around it (later) records the round.
 *
 * ## The rules, in order
 *
 * 1. **Reserve.** `reserve = floor(pool × reserveBasisPoints / 10 000)` is kept back (rounded
 *    down: the fen of rounding stay in the distributable pool). The rest, `pool − reserve`, is
 *    distributable.
 * 2. **Limit.** A candidate never gets more than its *limit* `min(request, cap)` (no cap: the
 *    request).
 * 3. **Weight zero** means no need: such a candidate gets nothing (`zero_weight`), in every tier.
 * 4. **Tiers in order.** Tier 1 is served before tier 2, and so on (any positive integers; lower
 *    is served first). When what is left covers the limits of every candidate of a tier, each gets
 *    its limit (`request_met`, or `capped` when the cap is below the request) and the rest goes on
 *    to the next tier. Otherwise the tier is *marginal*: it is shared as in 5 and 6, and when it
 *    uses everything, later tiers get nothing (`pool_exhausted`).
 * 5. **Proportional with caps (water-filling).** In a marginal tier with amount `A`, there is one
 *    level `λ` such that each candidate's share is `min(limit, λ × weight)` and the shares add up
 *    to `A`. A candidate whose `λ × weight` reaches its limit is `capped` at the limit; what it
 *    cannot take is thereby shared among the others of the tier (the level rises until the sum
 *    is `A`; this is the stable point of "cap, redistribute, repeat"). The others get
 *    `proportional` shares.
 * 6. **Minimums.** A candidate whose share in 5 is below its `minimum` gets nothing
 *    (`below_minimum`) and its share is redistributed: the candidates whose share is the
 *    *smallest fraction of their minimum* (equivalently: the highest `minimum / weight`; all
 *    those exactly tied at once) drop out first, the tier is shared again among the rest by 5,
 *    and this repeats until every remaining candidate's share reaches its minimum. (Dropping
 *    never lowers anyone else's share, so the result is the largest such set of the form
 *    "minimum / weight at most t".) When the remaining candidates' limits then add up to less
 *    than `A`, each gets its limit and the rest goes on to the next tier.
 * 7. **Exact fen (largest remainder).** Capped candidates get their limit, an integer. The
 *    amount left for the proportional ones, `S`, is split by their weights: each first gets
 *    `floor(S × weight / W)` (`W` the sum of their weights, computed exactly); the fen left over
 *    go one each, in this order: **larger remainder first, then higher weight, then smaller id**
 *    (ids compared by UTF-16 code units, as `<` does). A proportional share differs from its
 *    exact quota by less than one fen, and is never above the limit nor below the minimum.
 * 8. **Totals.** `allocated + reserve + left = pool`, exactly; `left` is what no tier could use
 *    (every candidate at its limit, or dropped below its minimum).
 *
 * Every comparison (caps, minimums, remainders) is made in exact integer arithmetic (doubles
 * where the products are safe integers, `bigint` where they are not), so the same candidates in
 * any order give the same result. Weights are non-negative **integers** (need points: scale a
 * need score with decimals, e.g. ×100), so that proportions are exact.
 *
 * Cost: `O(n)` for validation, tiers and output, plus a radix sort of the marginal tier by
 * `limit / weight` and a binary search over the minimum groups; a million candidates take about
 * 0.5 to 1 s on a 2-vCPU machine, most of it validating the input and building the result
 * objects (`packages/bench/README.md`, `pnpm --filter @commonweal/bench bench:allocate`).
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { Allocation } from "@commonweal/core"
 *
 * const outcome = Allocation.allocate({
 *   pool: 1_000_000,                 // ¥10,000.00
 *   reserveBasisPoints: 1_000,       // 10 % kept back
 *   candidates: [
 *     { id: "family-zhou", request: 300_000, weight: 90, tier: 1 },
 *     { id: "kite-workshop", request: 800_000, weight: 40, tier: 2, cap: 400_000 },
 *     { id: "dance-class", request: 500_000, weight: 60, tier: 2, minimum: 200_000 }
 *   ]
 * })
 * // Result.getOrThrow(outcome).allocations: family-zhou 300,000 (request_met),
 * //   kite-workshop 240,000 and dance-class 360,000 (proportional: 600,000 shared 40 : 60)
 * ```
 *
 * @module
 */
import { Result, Schema } from "effect"
import { type InputIssue, InvalidInput } from "../kernel/Errors.js"

/** The most basis points a reserve may take: 10 000 (all of the pool). */
export const MAX_BASIS_POINTS = 10_000

/** A candidate of an allocation round: a project or a family in difficulty. */
export const Candidate = Schema.Struct({
  /** Unique within the round; the last tie-break of the largest-remainder step. */
  id: Schema.String,
  /** The amount asked for, in fen (a non-negative safe integer). */
  request: Schema.Int,
  /** Need points or weight: a non-negative safe integer. Zero gets nothing. */
  weight: Schema.Int,
  /** Priority tier, a positive integer; tier 1 is served before tier 2. */
  tier: Schema.Int,
  /** Below this many fen the candidate gets nothing (its share goes to the others). At most the request and the cap. */
  minimum: Schema.optionalKey(Schema.Int),
  /** Never more than this many fen, whatever the request. */
  cap: Schema.optionalKey(Schema.Int)
})
/** A candidate of an allocation round. */
export type Candidate = typeof Candidate.Type

/** What is shared, what is kept back, and among whom. */
export const Input = Schema.Struct({
  /** The pool in fen, a non-negative safe integer. */
  pool: Schema.Int,
  /** The share of the pool kept back, in basis points (0 to 10 000; 1 000 is 10 %). */
  reserveBasisPoints: Schema.Int,
  candidates: Schema.Array(Candidate)
})
/** What is shared, what is kept back, and among whom. */
export type Input = typeof Input.Type

/**
 * Why a candidate got what it got:
 * - `request_met`: the whole request (it was within the cap);
 * - `capped`: the cap, which is below the request;
 * - `proportional`: a share of a marginal tier by weight, below the limit;
 * - `below_minimum`: nothing, its share would have been below its minimum;
 * - `zero_weight`: nothing, its weight is zero;
 * - `pool_exhausted`: nothing, the higher tiers used the whole pool.
 */
export const Reason = Schema.Literals([
  "request_met",
  "capped",
  "proportional",
  "below_minimum",
  "zero_weight",
  "pool_exhausted"
])
/** Why a candidate got what it got. */
export type Reason = typeof Reason.Type

/** One candidate's outcome. */
export const Share = Schema.Struct({
  id: Schema.String,
  tier: Schema.Int,
  /** Fen allocated. */
  amount: Schema.Int,
  reason: Reason,
  /** The reason for people, English / 中文, naming the tier. */
  note: Schema.String
})
/** One candidate's outcome. */
export type Share = typeof Share.Type

/** The outcome of a round: `allocated + reserve + left = pool`. */
export const Outcome = Schema.Struct({
  pool: Schema.Int,
  reserve: Schema.Int,
  /** The sum of the shares. */
  allocated: Schema.Int,
  /** What no candidate could take (all at their limits or below their minimums). */
  left: Schema.Int,
  /** One share per candidate, in the order of the input. */
  shares: Schema.Array(Share)
})
/** The outcome of a round. */
export type Outcome = typeof Outcome.Type

/** The English / 中文 note of a reason in a tier. */
export const note = (reason: Reason, tier: number): string => {
  switch (reason) {
    case "request_met":
      return `tier ${tier}: request met in full / 第${tier}档：按申请金额全额拨付`
    case "capped":
      return `tier ${tier}: capped at its cap / 第${tier}档：按上限额拨付`
    case "proportional":
      return `tier ${tier}: proportional share by weight / 第${tier}档：按权重比例分配`
    case "below_minimum":
      return `tier ${tier}: share below its minimum, so nothing / 第${tier}档：应得份额低于最低额，不予分配`
    case "zero_weight":
      return `tier ${tier}: weight zero, so nothing / 第${tier}档：权重为零，不予分配`
    case "pool_exhausted":
      return `tier ${tier}: nothing left after the higher tiers / 第${tier}档：资金已由优先档位分配完毕`
  }
}

const REASONS: ReadonlyArray<Reason> = Reason.literals
const R_REQUEST_MET = 0
const R_CAPPED = 1
const R_PROPORTIONAL = 2
const R_BELOW_MINIMUM = 3
const R_ZERO_WEIGHT = 4
const R_POOL_EXHAUSTED = 5

const MAX = Number.MAX_SAFE_INTEGER

// ---------------------------------------------------------------------------------------------
// exact integer arithmetic on non-negative safe integers
// ---------------------------------------------------------------------------------------------

/** The sign of `a·b − c·d`, exactly. */
const compareProducts = (a: number, b: number, c: number, d: number): number => {
  const p = a * b
  const q = c * d
  // a product at most 2^53 - 1 is exact in a double; a larger one rounds to at least 2^53
  if (p <= MAX && q <= MAX) return p < q ? -1 : p > q ? 1 : 0
  // each rounded product is within 2^-53 of the exact one: a larger gap decides
  if (Math.abs(p - q) > (p + q) * 2 ** -50) return p < q ? -1 : 1
  const x = BigInt(a) * BigInt(b)
  const y = BigInt(c) * BigInt(d)
  return x < y ? -1 : x > y ? 1 : 0
}

let quotient = 0
let remainder = 0
/** Sets `quotient = floor(s·w / d)` and `remainder = s·w − quotient·d`, exactly (`d > 0`). */
const divideProduct = (s: number, w: number, d: number): void => {
  const n = s * w
  if (n + d <= MAX) {
    let q = Math.floor(n / d)
    let r = n - q * d
    if (r < 0) {
      q -= 1
      r += d
    } else if (r >= d) {
      q += 1
      r -= d
    }
    quotient = q
    remainder = r
    return
  }
  const big = BigInt(s) * BigInt(w)
  const den = BigInt(d)
  const q = big / den
  quotient = Number(q)
  remainder = Number(big - q * den)
}

// ---------------------------------------------------------------------------------------------
// sorting by a ratio without a comparator
// ---------------------------------------------------------------------------------------------

const packed = new Float64Array(1)
const packedWords = new Uint32Array(packed.buffer)
packed[0] = 1 // 0x3ff00000_00000000: the high word holds 0x3ff00000
const HI = packedWords[1] === 0x3ff00000 ? 1 : 0
const LO = 1 - HI

/** Bits per pass of the radix sort. */
const RADIX_BITS = 11
const RADIX_MASK = (1 << RADIX_BITS) - 1

/** The 11 bits at `shift` of the 64-bit word `hi:lo`. */
const digit = (hi: number, lo: number, shift: number): number =>
  shift >= 32
    ? (hi >>> (shift - 32)) & RADIX_MASK
    : shift + RADIX_BITS <= 32
      ? (lo >>> shift) & RADIX_MASK
      : ((lo >>> shift) | (hi << (32 - shift))) & RADIX_MASK

/**
 * The members in ascending order of the exact ratio `num[i] / den[i]` (non-negative numerators,
 * positive denominators); members with exactly equal ratios in an unspecified order.
 *
 * The doubles of the ratios (whose bit patterns, read as unsigned 64-bit integers, are in the
 * same order as the numbers: they are not negative), with the member's position written into
 * the lowest bits of the mantissa, are sorted without a comparator: by a least-significant-digit
 * radix sort over the bits above the position (natively for a few thousand or fewer). The
 * members whose doubles agree on all those bits (within a relative 2^-52 to 2^-20, depending on
 * the count) are then ordered exactly by cross-multiplication.
 */
const sortByRatio = (members: Uint32Array, num: Float64Array, den: Float64Array): Uint32Array => {
  const n = members.length
  const order = new Uint32Array(n)
  if (n === 0) return order
  const bits = Math.max(1, Math.ceil(Math.log2(n)))
  const low = bits >= 32 ? 0xffffffff : (1 << bits) - 1
  const high = ~low >>> 0
  let his = new Uint32Array(n)
  let los = new Uint32Array(n)
  for (let k = 0; k < n; k++) {
    const i = members[k]!
    packed[0] = num[i]! / den[i]!
    his[k] = packedWords[HI]!
    los[k] = ((packedWords[LO]! & high) | k) >>> 0
  }
  if (n < 4096) {
    const keys = new Float64Array(n)
    const words = new Uint32Array(keys.buffer)
    for (let k = 0; k < n; k++) {
      words[2 * k + HI] = his[k]!
      words[2 * k + LO] = los[k]!
    }
    keys.sort()
    for (let k = 0; k < n; k++) {
      his[k] = words[2 * k + HI]!
      los[k] = words[2 * k + LO]!
    }
  } else {
    let hisB = new Uint32Array(n)
    let losB = new Uint32Array(n)
    const count = new Uint32Array(RADIX_MASK + 1)
    for (let shift = bits; shift < 63; shift += RADIX_BITS) {
      count.fill(0)
      for (let k = 0; k < n; k++) count[digit(his[k]!, los[k]!, shift)]!++
      if (count[digit(his[0]!, los[0]!, shift)] === n) continue // one bucket: nothing moves
      let sum = 0
      for (let d = 0; d <= RADIX_MASK; d++) {
        const c = count[d]!
        count[d] = sum
        sum += c
      }
      for (let k = 0; k < n; k++) {
        const h = his[k]!
        const l = los[k]!
        const at = count[digit(h, l, shift)]!++
        hisB[at] = h
        losB[at] = l
      }
      ;[his, hisB] = [hisB, his]
      ;[los, losB] = [losB, los]
    }
  }
  for (let k = 0; k < n; k++) order[k] = members[los[k]! & low]!
  const exact = (a: number, b: number) => compareProducts(num[a]!, den[b]!, num[b]!, den[a]!)
  let start = 0
  for (let k = 1; k <= n; k++) {
    if (k === n || his[k] !== his[start] || (los[k]! & high) !== (los[start]! & high)) {
      if (k - start > 1) order.set(Array.from(order.subarray(start, k)).sort(exact), start)
      start = k
    }
  }
  return order
}

/** The `k`-th smallest (0-based) of `xs`, which it reorders (quickselect, median of three). */
const select = (xs: Float64Array, k: number): number => {
  let lo = 0
  let hi = xs.length - 1
  let rounds = 0
  while (hi > lo) {
    if (++rounds > 64) {
      // a pathological input: finish by sorting what is left
      xs.subarray(lo, hi + 1).sort()
      return xs[k]!
    }
    const mid = (lo + hi) >>> 1
    const a = xs[lo]!
    const b = xs[mid]!
    const c = xs[hi]!
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c)) // the median of the three
    let i = lo
    let j = hi
    while (i <= j) {
      while (xs[i]! < pivot) i++
      while (xs[j]! > pivot) j--
      if (i <= j) {
        const t = xs[i]!
        xs[i] = xs[j]!
        xs[j] = t
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return xs[k]!
  }
  return xs[k]!
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** FNV-1a of a string's UTF-16 code units. */
const hashId = (id: string): number => {
  let h = 0x811c9dc5
  for (let c = 0; c < id.length; c++) h = Math.imul(h ^ id.charCodeAt(c), 0x01000193)
  return h
}

// ---------------------------------------------------------------------------------------------
// the allocator
// ---------------------------------------------------------------------------------------------

const isFen = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0

/** The candidates' figures in columns, read once. */
interface Columns {
  readonly candidates: ReadonlyArray<Candidate>
  /** `min(request, cap)` */
  readonly limit: Float64Array
  /** 1 when the cap is below the request */
  readonly capBelow: Uint8Array
  readonly weight: Float64Array
  /** 0 when none */
  readonly minimum: Float64Array
}

type AddIssue = (field: string, message: string) => void

/** Checks the pool and the reserve; reports to `add` when given. */
const checkRound = (input: Input, add: AddIssue | undefined): boolean => {
  let ok = true
  if (!isFen(input.pool)) {
    ok = false
    add?.("pool", "must be a non-negative safe integer of fen / 资金池必须为非负整数（分）")
  }
  const bp = input.reserveBasisPoints
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > MAX_BASIS_POINTS) {
    ok = false
    add?.("reserveBasisPoints", "must be an integer from 0 to 10000 / 预留比例必须为 0 至 10000 之间的整数（基点）")
  }
  return ok
}

/** Checks one candidate's figures (not the uniqueness of its id); reports to `add` when given. */
const checkCandidate = (c: Candidate, i: number, add: AddIssue | undefined): boolean => {
  let ok = true
  const fail = (field: string, message: string) => {
    ok = false
    add?.(`candidates[${i}].${field}`, message)
  }
  if (typeof c.id !== "string" || c.id.length === 0) fail("id", "must not be empty / 编号不能为空")
  const requestOk = isFen(c.request)
  if (!requestOk) fail("request", "must be a non-negative safe integer of fen / 申请金额必须为非负整数（分）")
  const w = c.weight
  if (typeof w !== "number" || !Number.isFinite(w)) fail("weight", "must be a finite number / 权重必须为有限数")
  else if (w < 0) fail("weight", "must not be negative / 权重不能为负")
  else if (!Number.isSafeInteger(w)) {
    fail(
      "weight",
      "must be a whole number of points (scale decimals, e.g. ×100) / 权重必须为整数（小数请先放大，如 ×100）"
    )
  }
  if (!Number.isSafeInteger(c.tier) || c.tier < 1) fail("tier", "must be a positive integer / 优先档位必须为正整数")
  const cap = c.cap
  const capOk = cap === undefined || isFen(cap)
  if (!capOk) fail("cap", "must be a non-negative safe integer of fen / 上限必须为非负整数（分）")
  const min = c.minimum
  if (min !== undefined) {
    if (!isFen(min)) fail("minimum", "must be a non-negative safe integer of fen / 最低额必须为非负整数（分）")
    else if (cap !== undefined && capOk && min > cap) fail("minimum", "must not exceed the cap / 最低额不能高于上限")
    else if (requestOk && min > c.request) fail("minimum", "must not exceed the request / 最低额不能高于申请金额")
  }
  return ok
}

const WEIGHTS_TOO_LARGE = "the weights add up beyond a safe integer / 权重之和超出范围"
const LIMITS_TOO_LARGE = "the requests (after caps) add up beyond a safe integer / 申请金额之和超出范围"

/** Every issue of an invalid input, in input order (the slow path, taken only when there is one). */
const issuesOf = (input: Input): Array<InputIssue> => {
  const issues: Array<InputIssue> = []
  const add: AddIssue = (field, message) => issues.push({ field, message })
  checkRound(input, add)
  const seen = new Set<string>()
  let weights = 0
  let limits = 0
  input.candidates.forEach((c, i) => {
    if (typeof c.id === "string" && c.id.length > 0) {
      if (seen.has(c.id)) add(`candidates[${i}].id`, `duplicate id ${c.id} / 编号重复`)
      else seen.add(c.id)
    }
    if (checkCandidate(c, i, add)) {
      weights += c.weight
      limits += c.cap === undefined ? c.request : Math.min(c.request, c.cap)
    }
  })
  if (!Number.isSafeInteger(weights)) add("candidates", WEIGHTS_TOO_LARGE)
  if (!Number.isSafeInteger(limits)) add("candidates", LIMITS_TOO_LARGE)
  return issues
}

/**
 * Whether two candidates share an id: the ids' hashes are sorted with their positions (radix
 * sort, no comparator), and only ids of equal hashes are compared.
 */
const hasDuplicateId = (candidates: ReadonlyArray<Candidate>, hashes: Uint32Array): boolean => {
  const n = candidates.length
  if (n < 4096) {
    const seen = new Set<string>()
    for (const c of candidates) {
      if (seen.has(c.id)) return true
      seen.add(c.id)
    }
    return false
  }
  let keys: Uint32Array = hashes
  let positions = new Uint32Array(n)
  for (let k = 0; k < n; k++) positions[k] = k
  let keysB: Uint32Array = new Uint32Array(n)
  let positionsB = new Uint32Array(n)
  const count = new Uint32Array(RADIX_MASK + 1)
  for (let shift = 0; shift < 32; shift += RADIX_BITS) {
    count.fill(0)
    for (let k = 0; k < n; k++) count[(keys[k]! >>> shift) & RADIX_MASK]!++
    let sum = 0
    for (let d = 0; d <= RADIX_MASK; d++) {
      const c = count[d]!
      count[d] = sum
      sum += c
    }
    for (let k = 0; k < n; k++) {
      const key = keys[k]!
      const at = count[(key >>> shift) & RADIX_MASK]!++
      keysB[at] = key
      positionsB[at] = positions[k]!
    }
    ;[keys, keysB] = [keysB, keys]
    ;[positions, positionsB] = [positionsB, positions]
  }
  for (let k = 1; k < n; k++) {
    if (keys[k] !== keys[k - 1]) continue
    // a run of equal hashes (rare): compare its ids
    let end = k + 1
    while (end < n && keys[end] === keys[k]) end++
    const ids = new Set<string>()
    for (let j = k - 1; j < end; j++) ids.add(candidates[positions[j]!]!.id)
    if (ids.size < end - k + 1) return true
    k = end - 1
  }
  return false
}

/** The columns of a valid input, or `undefined` when it has an issue (then {@link issuesOf} lists them). */
const readColumns = (input: Input): Columns | undefined => {
  const candidates = input.candidates
  const n = candidates.length
  const limit = new Float64Array(n)
  const capBelow = new Uint8Array(n)
  const weight = new Float64Array(n)
  const minimum = new Float64Array(n)
  const hashes = new Uint32Array(n)
  let ok = checkRound(input, undefined)
  let weights = 0
  let limits = 0
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!
    if (!checkCandidate(c, i, undefined)) {
      ok = false
      continue
    }
    const r = c.request
    const cap = c.cap
    const l = cap === undefined || cap > r ? r : cap
    limits += l
    weights += c.weight
    limit[i] = l
    capBelow[i] = l < r ? 1 : 0
    weight[i] = c.weight
    minimum[i] = c.minimum ?? 0
    hashes[i] = hashId(c.id)
  }
  if (!ok || !Number.isSafeInteger(weights) || !Number.isSafeInteger(limits)) return undefined
  if (hasDuplicateId(candidates, hashes)) return undefined
  return { candidates, limit, capBelow, weight, minimum }
}

/**
 * Shares `input.pool` among `input.candidates` by the rules of this module (see the module
 * documentation: reserve, tiers in order, proportional to weight with caps redistributed,
 * minimums, exact fen by largest remainder with the tie-break larger remainder, then higher
 * weight, then smaller id).
 *
 * Fails with `InvalidInput` (the issues listed, bilingual) when the pool or a request, cap or
 * minimum is not a non-negative safe integer of fen, the reserve is not 0 to 10 000 basis
 * points, an id is empty or repeated, a weight is not finite, negative or not an integer, a
 * tier is not a positive integer, a minimum exceeds the cap or the request, or the weights or
 * the limits add up beyond a safe integer.
 */
export const allocate = (input: Input): Result.Result<Outcome, InvalidInput> => {
  const columns = readColumns(input)
  if (columns === undefined) return Result.fail(InvalidInput.many(issuesOf(input)))
  const { candidates, capBelow, limit, weight } = columns

  const n = candidates.length
  const pool = input.pool
  const bp = input.reserveBasisPoints
  const whole = Math.floor(pool / MAX_BASIS_POINTS)
  const reserve = whole * bp + Math.floor(((pool - whole * MAX_BASIS_POINTS) * bp) / MAX_BASIS_POINTS)

  const amount = new Float64Array(n)
  const reason = new Uint8Array(n)

  // group by tier: a counting sort over the distinct tiers
  const rankOf = new Map<number, number>()
  let lastTier = Number.NaN
  for (let i = 0; i < n; i++) {
    const t = candidates[i]!.tier
    if (t !== lastTier && !rankOf.has(t)) rankOf.set(t, 0)
    lastTier = t
  }
  const tiers = [...rankOf.keys()].sort((a, b) => a - b)
  tiers.forEach((t, r) => {
    rankOf.set(t, r)
  })
  const rank = new Uint32Array(n)
  const count = new Uint32Array(tiers.length + 1)
  let lastRank = 0
  lastTier = Number.NaN
  for (let i = 0; i < n; i++) {
    const t = candidates[i]!.tier
    if (t !== lastTier) {
      lastTier = t
      lastRank = rankOf.get(t)!
    }
    rank[i] = lastRank
    count[lastRank + 1]!++
  }
  for (let r = 1; r <= tiers.length; r++) count[r]! += count[r - 1]!
  const start = count.slice()
  const byTier = new Uint32Array(n)
  for (let i = 0; i < n; i++) byTier[start[rank[i]!]!++] = i

  const grantLimit = (i: number) => {
    amount[i] = limit[i]!
    reason[i] = capBelow[i] === 1 ? R_CAPPED : R_REQUEST_MET
  }

  let rest = pool - reserve
  for (let r = 0; r < tiers.length; r++) {
    const from = count[r]!
    const to = count[r + 1]!
    let positives = 0
    let tierLimits = 0
    for (let k = from; k < to; k++) {
      const i = byTier[k]!
      if (weight[i] === 0) reason[i] = R_ZERO_WEIGHT
      else {
        positives++
        tierLimits += limit[i]!
      }
    }
    if (tierLimits <= rest) {
      for (let k = from; k < to; k++) if (weight[byTier[k]!]! > 0) grantLimit(byTier[k]!)
      rest -= tierLimits
    } else if (rest === 0) {
      for (let k = from; k < to; k++) if (weight[byTier[k]!]! > 0) reason[byTier[k]!] = R_POOL_EXHAUSTED
    } else {
      const members = new Uint32Array(positives)
      let m = 0
      for (let k = from; k < to; k++) if (weight[byTier[k]!]! > 0) members[m++] = byTier[k]!
      rest -= shareMarginal(members, rest, columns, amount, reason, grantLimit)
    }
  }

  const notes: Array<string | undefined> = new Array(tiers.length * REASONS.length)
  const shares: Array<Share> = new Array(n)
  let allocated = 0
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!
    const r = reason[i]!
    const t = c.tier
    const key = rank[i]! * REASONS.length + r
    let text = notes[key]
    if (text === undefined) {
      text = note(REASONS[r]!, t)
      notes[key] = text
    }
    allocated += amount[i]!
    shares[i] = { id: c.id, tier: t, amount: amount[i]!, reason: REASONS[r]!, note: text }
  }
  return Result.succeed({ pool, reserve, allocated, left: pool - reserve - allocated, shares })
}

/**
 * Shares `available` (less than the members' limits) among a marginal tier's members (all of
 * positive weight). Returns what it used: `available`, or less when candidates dropped below
 * their minimums and the others' limits add up to less.
 */
const shareMarginal = (
  members: Uint32Array,
  available: number,
  columns: Columns,
  amount: Float64Array,
  reason: Uint8Array,
  grantLimit: (i: number) => void
): number => {
  const { candidates, limit, minimum, weight } = columns
  const n = members.length
  // water-filling order: by limit / weight ascending (the level at which each is capped)
  const order = sortByRatio(members, limit, weight)

  // minimum groups: by minimum / weight, highest first (group 0); group g drops before g + 1
  let withMinimum = 0
  for (let k = 0; k < n; k++) if (minimum[members[k]!]! > 0) withMinimum++
  const mins = new Uint32Array(withMinimum)
  for (let k = 0, j = 0; k < n; k++) if (minimum[members[k]!]! > 0) mins[j++] = members[k]!
  const byThreshold = sortByRatio(mins, minimum, weight)
  const NEVER = 0x7fffffff
  const group = new Int32Array(limit.length).fill(NEVER)
  const groupWeight: Array<number> = [0]
  const groupLimits: Array<number> = [0]
  const representative: Array<number> = []
  let groups = 0
  for (let j = withMinimum - 1; j >= 0; j--) {
    const i = byThreshold[j]!
    if (j < withMinimum - 1) {
      const previous = byThreshold[j + 1]!
      if (compareProducts(minimum[i]!, weight[previous]!, minimum[previous]!, weight[i]!) !== 0) groups++
    }
    if (representative.length === groups) {
      representative.push(i)
      groupWeight.push(groupWeight[groups]!)
      groupLimits.push(groupLimits[groups]!)
    }
    group[i] = groups
    groupWeight[groups + 1]! += weight[i]!
    groupLimits[groups + 1]! += limit[i]!
  }
  if (withMinimum > 0) groups++
  // groupWeight[d], groupLimits[d]: what the first d groups hold (prefix sums)
  let totalWeight = 0
  let totalLimits = 0
  for (let k = 0; k < n; k++) {
    totalWeight += weight[members[k]!]!
    totalLimits += limit[members[k]!]!
  }

  // the level when the first `dropped` groups are out: capped members take their limits,
  // `open` fen are shared among `openWeight` points
  // the members' figures in water-filling order, so that the scans below read memory in sequence
  const orderLimit = new Float64Array(n)
  const orderWeight = new Float64Array(n)
  const orderGroup = new Int32Array(n)
  for (let k = 0; k < n; k++) {
    const i = order[k]!
    orderLimit[k] = limit[i]!
    orderWeight[k] = weight[i]!
    orderGroup[k] = group[i]!
  }
  const isCapped = new Uint8Array(limit.length)
  let open = 0
  let openWeight = 0
  let keptLimits = 0
  const fillLevel = (dropped: number, mark: boolean): void => {
    openWeight = totalWeight - groupWeight[dropped]!
    keptLimits = totalLimits - groupLimits[dropped]!
    open = available
    if (keptLimits <= available) return
    for (let k = 0; k < n; k++) {
      if (orderGroup[k]! < dropped) continue
      // capped when limit ≤ level × weight, level = open / openWeight (the level only rises)
      const l = orderLimit[k]!
      const w = orderWeight[k]!
      if (compareProducts(l, openWeight, open, w) > 0) return
      open -= l
      openWeight -= w
      if (mark) isCapped[order[k]!] = 1
    }
  }
  // every kept member reaches its minimum when the highest kept threshold (group `dropped`) is
  // at most the level: min · openWeight ≤ open · weight (a capped member passes too)
  const feasible = (dropped: number): boolean => {
    fillLevel(dropped, false)
    if (keptLimits <= available || dropped >= groups) return true
    const i = representative[dropped]!
    return compareProducts(minimum[i]!, openWeight, open, weight[i]!) <= 0
  }
  // the fewest groups dropped (dropping never lowers the level, so feasibility only grows)
  let lo = 0
  let hi = groups
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (feasible(mid)) hi = mid
    else lo = mid + 1
  }
  const dropped = lo
  fillLevel(dropped, true)

  if (keptLimits <= available) {
    for (let k = 0; k < n; k++) {
      const i = members[k]!
      if (group[i]! < dropped) reason[i] = R_BELOW_MINIMUM
      else grantLimit(i)
    }
    return keptLimits
  }

  // largest remainder among the open (proportional) members
  let openCount = 0
  for (let k = 0; k < n; k++) {
    const i = members[k]!
    if (group[i]! >= dropped && isCapped[i] === 0) openCount++
  }
  const openMembers = new Uint32Array(openCount)
  const rems = new Float64Array(openCount)
  let floors = 0
  for (let k = 0, j = 0; k < n; k++) {
    const i = members[k]!
    if (group[i]! < dropped) reason[i] = R_BELOW_MINIMUM
    else if (isCapped[i] === 1) grantLimit(i)
    else {
      divideProduct(open, weight[i]!, openWeight)
      amount[i] = quotient
      reason[i] = R_PROPORTIONAL
      floors += quotient
      openMembers[j] = i
      rems[j] = remainder
      j++
    }
  }
  const leftover = open - floors // 0 ≤ leftover < openCount
  if (leftover > 0) {
    const cut = select(rems.slice(), openCount - leftover)
    let given = 0
    const tied: Array<number> = []
    for (let j = 0; j < openCount; j++) {
      const r = rems[j]!
      if (r > cut) {
        amount[openMembers[j]!]! += 1
        given++
      } else if (r === cut) tied.push(openMembers[j]!)
    }
    tied.sort((a, b) => weight[b]! - weight[a]! || compareIds(candidates[a]!.id, candidates[b]!.id))
    for (let j = 0; j < leftover - given; j++) amount[tied[j]!]! += 1
  }
  return available
}
