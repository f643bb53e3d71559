/**
 * A columnar index of the volunteers for `Matching.rank`: the same ranking, with the same
 * result to the last digit, in a small fraction of the time over a large pool.
 *
 * `rank` reads every candidate object for every request. {@link build} reads them once into
 * typed arrays and bitsets (one bit per volunteer, 32 to a `Uint32Array` word):
 *
 * - what never depends on the request: `active`, `consent` and `load` (the *eligible* bitset and
 *   the counts of who fails which first), a bitset per team role and per skill, per language a
 *   bitset of who speaks it at `basic` or better and one at `conversational` or better, each
 *   volunteer's best proficiency score in it, and per dialect who speaks it fluently or natively
 *   (so the language term is computed from columns);
 * - the weekly slots as minute ranges (flat `Float64Array`s) and, as a **prefilter**, a bitset per
 *   30-minute bucket of the week (7 × 48) of who has a slot touching it: a volunteer whose slots
 *   overlap a request window shares at least one bucket with it, so only those are checked
 *   exactly;
 * - days away by day (only the few volunteers away on a day of the request are checked exactly);
 * - each distinct home location once (so a request computes `Matching.walkingDistance` per
 *   location, not per volunteer), `maxDistance`, and the columns of the soft score (this month's
 *   load and cap, last service, accepted and completed, home province and city).
 *
 * {@link rankIndexed} then follows `rank` step by step: the hard constraints are bitset ANDs in
 * `rank`'s order (so each volunteer's *first* failing constraint, and so `excluded`, is a
 * difference of popcounts), availability and distance are checked exactly on the survivors of
 * the prefilters, relaxation takes the same steps and says the same, and only the survivors are
 * scored (with the same arithmetic in the same order, so every score is bit-identical), the best
 * `k` kept in a small heap ordered as `rank` orders them: score, then the smaller volunteer id.
 * The reason and rounded terms are built only for those `k`.
 *
 * **The index is a snapshot.** It holds the candidates it was built from and reads their objects
 * only for `servedBefore` (when a volunteer has one), days away (of those away on a request's day)
 * and the reason and terms of the `k` returned. When a
 * volunteer's profile or stats change (a pause, a new skill, an accepted or completed request,
 * which changes the load), build the index again — 0.3 to 0.4 s per 100,000 volunteers on a
 * 2-vCPU machine, a few rankings' worth of `rank` — or rank that request with `rank` itself; an
 * index built from stale stats ranks on stale stats (there is no patching of one volunteer yet).
 *
 * @module
 */
import type { HelpRequest } from "./HelpRequest.js"
import type { HomePlace, LanguageSkill, Location, Proficiency } from "../residents/Resident.js"
import {
  defaultWeights,
  type HardConstraint,
  hardConstraints,
  type MatchCandidate,
  type MatchContext,
  type Ranked,
  type RankResult,
  type Relaxable,
  relaxationOrder,
  type ScoreTerm,
  scoreTerms,
  walkingDistance
} from "./Matching.js"

const DAY_MINUTES = 1_440
const WEEK_MINUTES = 7 * DAY_MINUTES
const BUCKET = 30
const BUCKETS = WEEK_MINUTES / BUCKET

const proficiencyRank: Readonly<Record<Proficiency, number>> = { native: 4, fluent: 3, conversational: 2, basic: 1 }
const proficiencyScore: Readonly<Record<Proficiency, number>> = {
  native: 0.9,
  fluent: 0.75,
  conversational: 0.5,
  basic: 0.25
}

/**
 * The index of a pool of volunteers, built by {@link build}. Its fields are the index's columns:
 * read them only through {@link rankIndexed}.
 */
export interface MatchIndex {
  /** The candidates it was built from, in their order. */
  readonly candidates: ReadonlyArray<MatchCandidate>
  /** How many volunteers. */
  readonly size: number
  /** @internal bitset words per bitset */
  readonly words: number
  /** @internal active, consented and under every load cap */
  readonly eligible: Uint32Array
  /** @internal how many fail `active`, `consent` and `load` first */
  readonly staticExcluded: { readonly active: number; readonly consent: number; readonly load: number }
  /** @internal who fills each role */
  readonly roles: ReadonlyMap<string, Uint32Array>
  /** @internal who has each skill */
  readonly skills: ReadonlyMap<string, Uint32Array>
  /** @internal per language: who speaks it at basic or better [0], at conversational or better [1] */
  readonly languages: ReadonlyMap<string, readonly [Uint32Array, Uint32Array]>
  /** @internal per language: each volunteer's best proficiency score (0: none; NaN: an unknown proficiency) */
  readonly languageScore: ReadonlyMap<string, Float64Array>
  /** @internal per language and dialect: who speaks that dialect fluently or natively */
  readonly ownDialect: ReadonlyMap<string, ReadonlyMap<string, Uint32Array>>
  /** @internal per 30-minute bucket of the week: who has a slot touching it */
  readonly buckets: ReadonlyArray<Uint32Array>
  /** @internal who has a slot the buckets cannot describe (always checked exactly) */
  readonly oddSlots: Uint32Array
  /** @internal slots of volunteer i: slotFrom/slotTo[slotStart[i] .. slotStart[i + 1]) */
  readonly slotStart: Uint32Array
  readonly slotFrom: Float64Array
  readonly slotTo: Float64Array
  /** @internal who is away on each day (UTC epoch ms of the local day's start) */
  readonly away: ReadonlyMap<number, ReadonlyArray<number>>
  /** @internal whether volunteer i has any day away */
  readonly hasAway: Uint8Array
  /** @internal distinct home locations (index 0: none) and each volunteer's */
  readonly locations: ReadonlyArray<Location | null>
  readonly location: Uint32Array
  readonly maxDistance: Float64Array
  readonly thisMonth: Float64Array
  readonly perMonth: Float64Array
  /** @internal last service (UTC epoch ms); `hasServed[i]` 0 when never */
  readonly lastServedAt: Float64Array
  readonly hasServed: Uint8Array
  readonly reliability: Float64Array
  /** @internal whether volunteer i has a `servedBefore` map */
  readonly hasHistory: Uint8Array
  /** @internal interned home province and city (-1: no home place) */
  readonly province: Int32Array
  readonly city: Int32Array
  readonly provinceIds: ReadonlyMap<unknown, number>
  readonly cityIds: ReadonlyMap<unknown, number>
  /** @internal position of volunteer i in the order of volunteer ids (ties: the candidates' order) */
  readonly idOrder: Uint32Array
}

const setBit = (b: Uint32Array, i: number): void => {
  b[i >>> 5]! |= 1 << (i & 31)
}

const popcount = (b: Uint32Array): number => {
  let n = 0
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!
    x -= (x >>> 1) & 0x55555555
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
    n += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number
  }
  return n
}

const and = (a: Uint32Array, b: Uint32Array | undefined): Uint32Array => {
  const out = new Uint32Array(a.length)
  if (b === undefined) return out
  for (let w = 0; w < a.length; w++) out[w] = a[w]! & b[w]!
  return out
}

const andNot = (a: Uint32Array, b: Uint32Array): Uint32Array => {
  const out = new Uint32Array(a.length)
  for (let w = 0; w < a.length; w++) out[w] = a[w]! & ~b[w]!
  return out
}

/** Calls `f` with each set bit's index, in increasing order. */
const eachBit = (b: Uint32Array, f: (i: number) => void): void => {
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!
    while (x !== 0) {
      const low = x & -x
      f((w << 5) + 31 - Math.clz32(low))
      x ^= low
    }
  }
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** As in `Matching`: the request's windows as minute ranges of the local week, split at days. */
const weeklyRanges = (request: HelpRequest, offset: number): Array<readonly [number, number, number]> => {
  const out: Array<readonly [number, number, number]> = []
  for (const w of request.windows) {
    const start = Math.floor(w.start / 60_000) + offset
    const end = Math.ceil(w.end / 60_000) + offset
    for (let m = start; m < end; ) {
      const dayStart = Math.floor(m / DAY_MINUTES) * DAY_MINUTES
      const weekday = (((Math.floor(m / DAY_MINUTES) + 3) % 7) + 7) % 7
      const to = Math.min(end, dayStart + DAY_MINUTES)
      out.push([
        weekday * DAY_MINUTES + (m - dayStart),
        weekday * DAY_MINUTES + (to - dayStart),
        (dayStart - offset) * 60_000
      ])
      m = to
    }
  }
  return out
}

const intern = (ids: Map<unknown, number>, value: unknown): number => {
  let id = ids.get(value)
  if (id === undefined) {
    id = ids.size
    ids.set(value, id)
  }
  return id
}

const locationKey = (l: Location): string =>
  l.coordinates === undefined ? `${l.building}\u0000` : `${l.building}\u0000${l.coordinates.lat},${l.coordinates.lng}`

/**
 * Builds the index of a pool of volunteers (linear in the pool: 0.3 to 0.4 s per 100,000
 * volunteers on a 2-vCPU machine). The index keeps the candidates; rebuild it when a volunteer's
 * profile or stats change.
 */
export const build = (candidates: ReadonlyArray<MatchCandidate>): MatchIndex => {
  const n = candidates.length
  const words = (n + 31) >>> 5
  const bits = () => new Uint32Array(words)
  const eligible = bits()
  const staticExcluded = { active: 0, consent: 0, load: 0 }
  const roles = new Map<string, Uint32Array>()
  const skills = new Map<string, Uint32Array>()
  const languages = new Map<string, readonly [Uint32Array, Uint32Array]>()
  const languageScore = new Map<string, Float64Array>()
  const ownDialect = new Map<string, Map<string, Uint32Array>>()
  const buckets = Array.from({ length: BUCKETS }, bits)
  const oddSlots = bits()
  const slotStart = new Uint32Array(n + 1)
  const from: Array<number> = []
  const to: Array<number> = []
  const away = new Map<number, Array<number>>()
  const hasAway = new Uint8Array(n)
  const locations: Array<Location | null> = [null]
  const locationIds = new Map<string, number>()
  const location = new Uint32Array(n)
  const maxDistance = new Float64Array(n)
  const thisMonth = new Float64Array(n)
  const perMonth = new Float64Array(n)
  const lastServedAt = new Float64Array(n)
  const hasServed = new Uint8Array(n)
  const reliability = new Float64Array(n)
  const hasHistory = new Uint8Array(n)
  const province = new Int32Array(n)
  const city = new Int32Array(n)
  const provinceIds = new Map<unknown, number>()
  const cityIds = new Map<unknown, number>()

  for (let i = 0; i < n; i++) {
    const { volunteer: v, stats } = candidates[i]!
    if (v.status !== "active") staticExcluded.active += 1
    else if (!stats.consented) staticExcluded.consent += 1
    else if (stats.openNow >= v.caps.atOnce || stats.thisWeek >= v.caps.perWeek || stats.thisMonth >= v.caps.perMonth) {
      staticExcluded.load += 1
    } else setBit(eligible, i)

    for (const role of v.roles) {
      let b = roles.get(role)
      if (b === undefined) {
        b = bits()
        roles.set(role, b)
      }
      setBit(b, i)
    }
    for (const skill of v.skills) {
      let b = skills.get(skill)
      if (b === undefined) {
        b = bits()
        skills.set(skill, b)
      }
      setBit(b, i)
    }
    for (const l of v.languages) {
      let b = languages.get(l.language)
      if (b === undefined) {
        b = [bits(), bits()]
        languages.set(l.language, b)
      }
      const level = proficiencyRank[l.proficiency]
      // an unknown proficiency makes `rank`'s best level NaN, which passes every floor
      if (level === undefined || level >= 1) setBit(b[0], i)
      if (level === undefined || level >= 2) setBit(b[1], i)
      let scores = languageScore.get(l.language)
      if (scores === undefined) {
        scores = new Float64Array(n)
        languageScore.set(l.language, scores)
      }
      scores[i] = Math.max(scores[i]!, proficiencyScore[l.proficiency])
      if (l.dialect !== undefined && level !== undefined && level >= 3) {
        let byDialect = ownDialect.get(l.language)
        if (byDialect === undefined) {
          byDialect = new Map()
          ownDialect.set(l.language, byDialect)
        }
        let d = byDialect.get(l.dialect)
        if (d === undefined) {
          d = bits()
          byDialect.set(l.dialect, d)
        }
        setBit(d, i)
      }
    }

    slotStart[i] = from.length
    for (const s of v.availability) {
      const day = (s.day - 1) * DAY_MINUTES
      const a = day + minutesOf(s.start)
      const z = day + minutesOf(s.end)
      from.push(a)
      to.push(z)
      if (Number.isFinite(a) && Number.isFinite(z) && 0 <= a && a < z && z <= WEEK_MINUTES) {
        const last = Math.ceil(z / BUCKET) - 1
        for (let k = Math.floor(a / BUCKET); k <= last; k++) setBit(buckets[k]!, i)
      } else setBit(oddSlots, i)
    }
    if (v.blockedDays.length > 0) {
      hasAway[i] = 1
      for (const day of new Set(v.blockedDays)) {
        let list = away.get(day)
        if (list === undefined) {
          list = []
          away.set(day, list)
        }
        list.push(i)
      }
    }

    if (v.location !== null) {
      const key = locationKey(v.location)
      let id = locationIds.get(key)
      if (id === undefined) {
        id = locations.length
        locations.push(v.location)
        locationIds.set(key, id)
      }
      location[i] = id
    }
    maxDistance[i] = v.maxDistance
    thisMonth[i] = stats.thisMonth
    perMonth[i] = v.caps.perMonth
    if (stats.lastServedAt !== null) {
      hasServed[i] = 1
      lastServedAt[i] = stats.lastServedAt
    }
    reliability[i] = (stats.completed + 4) / (stats.accepted + 5)
    if (stats.servedBefore !== undefined) hasHistory[i] = 1
    if (v.homePlace === null) {
      province[i] = -1
      city[i] = -1
    } else {
      province[i] = intern(provinceIds, v.homePlace.province)
      city[i] = intern(cityIds, v.homePlace.city)
    }
  }
  slotStart[n] = from.length

  const byId = Array.from({ length: n }, (_, i) => i)
  const ids = candidates.map((c) => c.volunteer.id)
  byId.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b))
  const idOrder = new Uint32Array(n)
  for (let r = 0; r < n; r++) idOrder[byId[r]!] = r

  return {
    candidates,
    size: n,
    words,
    eligible,
    staticExcluded,
    roles,
    skills,
    languages,
    languageScore,
    ownDialect,
    buckets,
    oddSlots,
    slotStart,
    slotFrom: Float64Array.from(from),
    slotTo: Float64Array.from(to),
    away,
    hasAway,
    locations,
    location,
    maxDistance,
    thisMonth,
    perMonth,
    lastServedAt,
    hasServed,
    reliability,
    hasHistory,
    province,
    city,
    provinceIds,
    cityIds,
    idOrder
  }
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

/** As in `Matching`: the reason, in Chinese and English. */
const reasonOf = (
  terms: Record<ScoreTerm, number>,
  homePlace: HomePlace | null,
  distance: number | null,
  home: HomePlace | null
): string => {
  const zh: Array<string> = []
  const en: Array<string> = []
  if (terms.language >= 1) {
    zh.push("会说对方的方言")
    en.push("speaks the requester's dialect")
  } else if (terms.language >= 0.5) {
    zh.push("语言可沟通")
    en.push("shares a language")
  }
  if (terms.homeTown >= 1) {
    zh.push(`同乡（${homePlace?.city ?? ""}）`)
    en.push("same home town")
  } else if (terms.homeTown >= 0.6 && home !== null) {
    zh.push("同省老乡")
    en.push("same home province")
  }
  if (distance !== null) {
    zh.push(`步行约 ${distance} 米`)
    en.push(`${distance} m walk`)
  }
  if (terms.continuity > 0) {
    zh.push("曾为其服务且评价良好")
    en.push("served this requester well before")
  }
  if (terms.fairness >= 0.75) {
    zh.push("近期任务少，优先安排")
    en.push("little recent load")
  }
  return `${zh.join("，") || "符合条件"} / ${en.join(", ") || "meets the requirements"}`
}

/**
 * Ranks the volunteers of an index for place `placeIndex` of a request: the same {@link RankResult}
 * as `Matching.rank(request, placeIndex, index.candidates, context, k)` — the same volunteers,
 * scores, terms, distances, reasons, relaxation and `excluded` counts — computed from the index.
 */
export const rankIndexed = (
  index: MatchIndex,
  request: HelpRequest,
  placeIndex: number,
  context: MatchContext,
  k = 5
): RankResult => {
  const ix = index
  const n = ix.size
  const candidates = ix.candidates
  const weights = context.weights ?? defaultWeights
  const weightSum = scoreTerms.reduce((a, t) => a + Math.max(0, weights[t]), 0) || 1
  const ranges = weeklyRanges(request, context.utcOffsetMinutes)
  const place = request.places[placeIndex]

  // walking distance once per distinct home location
  const locDistance = new Float64Array(ix.locations.length)
  const locKnown = new Uint8Array(ix.locations.length)
  for (let j = 0; j < ix.locations.length; j++) {
    const d = walkingDistance(ix.locations[j]!, request.place, context.walking)
    if (d !== null) {
      locKnown[j] = 1
      locDistance[j] = d
    }
  }
  const distanceOf = (i: number): number | null => {
    const j = ix.location[i]!
    return locKnown[j] === 1 ? locDistance[j]! : null
  }

  // the request-independent constraints, then role and skill, as bitsets
  const er = place !== undefined && place.role !== "helper" ? and(ix.eligible, ix.roles.get(place.role)) : ix.eligible
  const erk = place?.skill != null ? and(er, ix.skills.get(place.skill)) : er
  const withLanguage = (floor: 1 | 2): Uint32Array => {
    let out = erk
    for (const code of request.requiredLanguages) out = and(out, ix.languages.get(code)?.[floor - 1])
    return out
  }
  const base = withLanguage(2)

  // days away: who is away on every day of the request (never relaxed)
  const onDuty = (i: number): ReadonlyArray<readonly [number, number, number]> => {
    if (ix.hasAway[i] === 0) return ranges
    const blocked = candidates[i]!.volunteer.blockedDays
    return ranges.filter(([, , day]) => !blocked.includes(day))
  }
  let noDutyCache: Uint32Array | undefined
  const noDuty = (): Uint32Array => {
    if (noDutyCache !== undefined) return noDutyCache
    const out = new Uint32Array(ix.words)
    if (ranges.length === 0) {
      for (let i = 0; i < n; i++) setBit(out, i)
    } else {
      const seen = new Set<number>()
      for (const [, , day] of ranges) {
        for (const i of ix.away.get(day) ?? []) {
          if (seen.has(i)) continue
          seen.add(i)
          if (onDuty(i).length === 0) setBit(out, i)
        }
      }
    }
    noDutyCache = out
    return out
  }

  // availability: the bucket prefilter, then the exact check
  const touched = new Uint8Array(BUCKETS)
  for (const [from, to] of ranges) {
    const first = Math.max(0, Math.floor(from / BUCKET))
    const last = Math.min(BUCKETS - 1, Math.ceil(to / BUCKET) - 1)
    for (let b = first; b <= last; b++) touched[b] = 1
  }
  const maybe = Uint32Array.from(ix.oddSlots)
  for (let b = 0; b < BUCKETS; b++) {
    if (touched[b] === 0) continue
    const bucket = ix.buckets[b]!
    for (let w = 0; w < maybe.length; w++) maybe[w]! |= bucket[w]!
  }
  const available = and(base, maybe)
  for (let w = 0; w < available.length; w++) {
    let x = available[w]!
    while (x !== 0) {
      const low = x & -x
      x ^= low
      const i = (w << 5) + 31 - Math.clz32(low)
      const duty = onDuty(i)
      let fits = false
      const s0 = ix.slotStart[i]!
      const s1 = ix.slotStart[i + 1]!
      for (let r = 0; r < duty.length && !fits; r++) {
        const [from, to] = duty[r]!
        for (let s = s0; s < s1; s++) {
          if (from < ix.slotTo[s]! && ix.slotFrom[s]! < to) {
            fits = true
            break
          }
        }
      }
      if (!fits) available[w]! &= ~low
    }
  }
  // distance
  const near = Uint32Array.from(available)
  eachBit(available, (i) => {
    const j = ix.location[i]!
    if (locKnown[j] === 1 && locDistance[j]! > ix.maxDistance[i]!) near[i >>> 5]! &= ~(1 << (i & 31))
  })

  const excluded = Object.fromEntries(hardConstraints.map((h) => [h, 0])) as Record<HardConstraint, number>
  const eligibleCount = popcount(ix.eligible)
  const erCount = er === ix.eligible ? eligibleCount : popcount(er)
  const erkCount = erk === er ? erCount : popcount(erk)
  const baseCount = base === erk ? erkCount : popcount(base)
  const availableCount = popcount(available)
  excluded.active = ix.staticExcluded.active
  excluded.consent = ix.staticExcluded.consent
  excluded.load = ix.staticExcluded.load
  excluded.role = eligibleCount - erCount
  excluded.skill = erCount - erkCount
  excluded.language = erkCount - baseCount
  excluded.availability = baseCount - availableCount
  excluded.distance = availableCount - popcount(near)

  const steps: ReadonlyArray<readonly [() => Uint32Array, ReadonlyArray<Relaxable>]> = [
    [() => near, []],
    [() => available, ["distance"]],
    [() => andNot(base, noDuty()), ["distance", "availability"]],
    [() => andNot(withLanguage(1), noDuty()), ["distance", "availability", "language"]],
    [() => andNot(erk, noDuty()), ["distance", "availability", "language"]],
    [() => andNot(er, noDuty()), relaxationOrder]
  ]
  for (const [passingOf, relaxed] of steps) {
    const passing = passingOf()
    const count = popcount(passing)
    if (count === 0) continue
    const ranked = top(ix, passing, count, request, context, weights, weightSum, distanceOf, locKnown, locDistance, k)
    return { ranked, relaxed: [...relaxed], excluded }
  }
  return { ranked: [], relaxed: [...relaxationOrder], excluded }
}

/** Scores the passing volunteers and returns the best `k`, as `rank` orders and reports them. */
const top = (
  ix: MatchIndex,
  passing: Uint32Array,
  count: number,
  request: HelpRequest,
  context: MatchContext,
  weights: Readonly<Record<ScoreTerm, number>>,
  weightSum: number,
  distanceOf: (i: number) => number | null,
  locKnown: Uint8Array,
  locDistance: Float64Array,
  k: number
): Array<Ranked> => {
  const kk = Math.max(0, k)
  const limit = Number.isNaN(kk) ? 0 : Math.min(count, Math.trunc(kk))
  if (limit === 0) return []
  const w = scoreTerms.map((t) => Math.max(0, weights[t]))
  const [wLanguage, wHome, wDistance, wContinuity, wFairness, wReliability] = w as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const required = request.requiredLanguages
  const dialects = required.map(
    (code) => new Set(context.requester.languages.filter((l) => l.language === code).map((l) => l.dialect))
  )
  const languageTerm = (languages: ReadonlyArray<LanguageSkill>): number => {
    if (required.length === 0) return 1
    let total = 0
    for (let c = 0; c < required.length; c++) {
      const code = required[c]!
      let best = 0
      for (const l of languages) {
        if (l.language !== code) continue
        const own = l.dialect !== undefined && dialects[c]!.has(l.dialect) && proficiencyRank[l.proficiency] >= 3
        best = Math.max(best, own ? 1 : proficiencyScore[l.proficiency])
      }
      total += best
    }
    return total / required.length
  }
  // the same term from the columns: per required language, 1 if they speak one of the
  // requester's dialects of it fluently or natively, else their best proficiency's score
  const bestScore = required.map((code) => ix.languageScore.get(code))
  const own = required.map((code, c) => {
    const byDialect = ix.ownDialect.get(code)
    const out = new Uint32Array(ix.words)
    if (byDialect === undefined) return out
    for (const d of dialects[c]!) {
      const b = d === undefined ? undefined : byDialect.get(d)
      if (b !== undefined) for (let w = 0; w < out.length; w++) out[w]! |= b[w]!
    }
    return out
  })
  const languageColumn = (i: number): number => {
    let total = 0
    for (let c = 0; c < required.length; c++) {
      const column = bestScore[c]
      const score = column === undefined ? 0 : column[i]!
      total += Number.isNaN(score) ? score : (own[c]![i >>> 5]! >>> (i & 31)) & 1 ? 1 : score
    }
    return total / required.length
  }
  const home = context.requester.homePlace
  const homeProvince = home === null ? -2 : (ix.provinceIds.get(home.province) ?? -2)
  const homeCity = home === null || home.city === undefined ? -2 : (ix.cityIds.get(home.city) ?? -2)
  const homeTownTerm = (i: number): number => {
    if (!request.preferSameHomeTown) return 0.5
    const p = ix.province[i]!
    if (p === -1 || p !== homeProvince) return 0
    return ix.city[i] === homeCity ? 1 : 0.6
  }
  const month = 30 * 86_400_000
  const now = context.now
  const terms = (i: number): Record<ScoreTerm, number> => {
    const c = ix.candidates[i]!
    const distance = distanceOf(i)
    const before = c.stats.servedBefore?.get(request.requesterId)
    return {
      language: languageTerm(c.volunteer.languages),
      homeTown: homeTownTerm(i),
      distance: distance === null ? 0.5 : Math.max(0, 1 - distance / Math.max(1, ix.maxDistance[i]!)),
      continuity:
        before === undefined || before.times === 0
          ? 0
          : Math.min(1, before.times / 3) * (before.ratingSum / before.times / 5),
      fairness:
        (1 -
          Math.min(1, ix.thisMonth[i]! / ix.perMonth[i]!) +
          (ix.hasServed[i] === 0 ? 1 : Math.min(1, (now - ix.lastServedAt[i]!) / month))) /
        2,
      reliability: ix.reliability[i]!
    }
  }
  const scoreOf = (t: Record<ScoreTerm, number>): number =>
    (0 +
      wLanguage * t.language +
      wHome * t.homeTown +
      wDistance * t.distance +
      wContinuity * t.continuity +
      wFairness * t.fairness +
      wReliability * t.reliability) /
    weightSum

  // a heap of the best `limit`, the worst at the root
  const heapIndex = new Int32Array(limit)
  const heapScore = new Float64Array(limit)
  let size = 0
  const order = ix.idOrder
  const worse = (sa: number, ia: number, sb: number, ib: number) => sa < sb || (sa === sb && order[ia]! > order[ib]!)
  const noLanguages = required.length === 0
  const requester = request.requesterId
  for (let word = 0; word < passing.length; word++) {
    let bitsLeft = passing[word]!
    while (bitsLeft !== 0) {
      const low = bitsLeft & -bitsLeft
      bitsLeft ^= low
      const i = (word << 5) + 31 - Math.clz32(low)
      const j = ix.location[i]!
      const distance = locKnown[j] === 1 ? locDistance[j]! : null
      const before = ix.hasHistory[i] === 0 ? undefined : ix.candidates[i]!.stats.servedBefore?.get(requester)
      const homeTown = homeTownTerm(i)
      const distanceTerm = distance === null ? 0.5 : Math.max(0, 1 - distance / Math.max(1, ix.maxDistance[i]!))
      const continuity =
        before === undefined || before.times === 0
          ? 0
          : Math.min(1, before.times / 3) * (before.ratingSum / before.times / 5)
      const fairness =
        (1 -
          Math.min(1, ix.thisMonth[i]! / ix.perMonth[i]!) +
          (ix.hasServed[i] === 0 ? 1 : Math.min(1, (now - ix.lastServedAt[i]!) / month))) /
        2
      const reliability = ix.reliability[i]!
      const score = round4(
        (0 +
          wLanguage * (noLanguages ? 1 : languageColumn(i)) +
          wHome * homeTown +
          wDistance * distanceTerm +
          wContinuity * continuity +
          wFairness * fairness +
          wReliability * reliability) /
          weightSum
      )
      if (size < limit) {
        let at = size++
        while (at > 0) {
          const parent = (at - 1) >> 1
          if (!worse(score, i, heapScore[parent]!, heapIndex[parent]!)) break
          heapScore[at] = heapScore[parent]!
          heapIndex[at] = heapIndex[parent]!
          at = parent
        }
        heapScore[at] = score
        heapIndex[at] = i
      } else if (worse(heapScore[0]!, heapIndex[0]!, score, i)) {
        let at = 0
        for (;;) {
          const l = 2 * at + 1
          if (l >= size) break
          const r = l + 1
          const child = r < size && worse(heapScore[r]!, heapIndex[r]!, heapScore[l]!, heapIndex[l]!) ? r : l
          if (!worse(heapScore[child]!, heapIndex[child]!, score, i)) break
          heapScore[at] = heapScore[child]!
          heapIndex[at] = heapIndex[child]!
          at = child
        }
        heapScore[at] = score
        heapIndex[at] = i
      }
    }
  }
  const best = Array.from({ length: size }, (_, h) => h).sort((a, b) =>
    worse(heapScore[b]!, heapIndex[b]!, heapScore[a]!, heapIndex[a]!) ? -1 : 1
  )
  return best.map((h): Ranked => {
    const i = heapIndex[h]!
    const v = ix.candidates[i]!.volunteer
    const t = terms(i)
    const distance = distanceOf(i)
    return {
      volunteerId: v.id,
      score: round4(scoreOf(t)),
      terms: Object.fromEntries(scoreTerms.map((s) => [s, round4(t[s])])) as Record<ScoreTerm, number>,
      distance,
      reason: reasonOf(t, v.homePlace, distance, context.requester.homePlace)
    }
  })
}
