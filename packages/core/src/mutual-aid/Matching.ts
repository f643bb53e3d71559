/**
 * Matching volunteers to one place of a help request: hard constraints, a weighted soft score with
 * a per-term breakdown, a reason people can read, and relaxation that says what it relaxed.
 *
 * ## Hard constraints (a volunteer who fails one is not ranked)
 *
 * | constraint | holds when |
 * | --- | --- |
 * | `active` | the volunteer is not paused |
 * | `consent` | the volunteer agreed to be matched (and a resident volunteer to share contact on acceptance) |
 * | `load` | below each load cap: requests at once, this week, this month |
 * | `role` | the place's team role is one the volunteer fills (`helper` places take anyone) |
 * | `skill` | the volunteer has the place's skill, if it names one |
 * | `language` | the volunteer speaks every required language at `conversational` or better |
 * | `availability` | a request window overlaps a weekly slot of the volunteer, on a day they are not away |
 * | `distance` | the walking distance from their building to the place is within how far they go |
 *
 * Walking distance inside a compound comes from the table the community keeps (building to
 * building, {@link walkingKey}); between places not in the table, from coordinates (straight line
 * × 1.3); with neither, it is unknown, which passes the constraint and scores 0.5.
 *
 * ## Relaxation
 *
 * When nobody passes, the constraints are relaxed **one at a time, in this order, and said**:
 * `distance` (to any distance), then `availability`, then `language` (any proficiency, then none),
 * then `skill`. `active`, `consent`, `load` and `role` are never relaxed: a paused or overloaded
 * volunteer, or one who did not consent, is never proposed, and a team role is never filled by
 * someone who cannot fill it. {@link RankResult.relaxed} lists what was relaxed.
 *
 * ## Soft score
 *
 * Each term is in `[0, 1]`; the score is their weighted mean ({@link defaultWeights}, configurable):
 *
 * - `language`: how well they speak the requester's language, 1 for the requester's own dialect
 *   spoken natively or fluently (老乡 translating 南昌话), else native 0.9, fluent 0.75,
 *   conversational 0.5, basic 0.25; 1 when no language is required;
 * - `homeTown`: same home city 1, same province 0.6, else 0 (counted only when the request prefers
 *   the same home town; otherwise the term is 0.5 for everyone);
 * - `distance`: `1 − d / maxDistance` (0.5 when unknown);
 * - `continuity`: served this requester before: `min(1, times / 3) × average rating / 5`;
 * - `fairness`: the mean of `1 − this month / monthly cap` and days since their last service / 30
 *   (at most 1; never served: 1): long-unmatched volunteers first;
 * - `reliability`: completed / accepted with a prior of 4 of 5 (`(completed + 4) / (accepted + 5)`).
 *
 * Ties in score go to the smaller volunteer id. Pure: no clock (the time is in the context), no
 * randomness.
 *
 * @module
 */
import type { ResidentId } from "../kernel/Ids.js"
import type { HomePlace, LanguageSkill, Location, Proficiency } from "../residents/Resident.js"
import type { HelpRequest, Volunteer, VolunteerId } from "./HelpRequest.js"

/** The hard constraints, in the order they are checked. */
export const hardConstraints = [
  "active",
  "consent",
  "load",
  "role",
  "skill",
  "language",
  "availability",
  "distance"
] as const
/** A hard constraint. */
export type HardConstraint = (typeof hardConstraints)[number]

/** What may be relaxed when nobody passes, in order. */
export const relaxationOrder = ["distance", "availability", "language", "skill"] as const
/** A constraint that may be relaxed. */
export type Relaxable = (typeof relaxationOrder)[number]

/** The soft-score terms. */
export const scoreTerms = ["language", "homeTown", "distance", "continuity", "fairness", "reliability"] as const
/** A soft-score term. */
export type ScoreTerm = (typeof scoreTerms)[number]

/** The weights of the soft score's terms (non-negative; not all zero). */
export type Weights = Readonly<Record<ScoreTerm, number>>

/** The default weights: language 3, home town 2, distance 2, continuity 1.5, fairness 1.5, reliability 1. */
export const defaultWeights: Weights = {
  language: 3,
  homeTown: 2,
  distance: 2,
  continuity: 1.5,
  fairness: 1.5,
  reliability: 1
}

/** A volunteer's record that matching reads besides the profile. */
export interface VolunteerStats {
  /** Requests accepted and not yet completed or cancelled. */
  readonly openNow: number
  readonly thisWeek: number
  readonly thisMonth: number
  /** When they last completed a service (UTC epoch ms), `null` if never. */
  readonly lastServedAt: number | null
  readonly accepted: number
  readonly completed: number
  /** Whether the volunteer consented to matching (a resident's `matching` consent; an outside member's agreement). */
  readonly consented: boolean
  /** Services to each requester before: times and the sum of the requester's ratings. */
  readonly servedBefore?: ReadonlyMap<ResidentId, { readonly times: number; readonly ratingSum: number }>
}

/** A volunteer with what matching reads. */
export interface MatchCandidate {
  readonly volunteer: Volunteer
  readonly stats: VolunteerStats
}

/** Building-to-building walking distances in metres, keyed by {@link walkingKey}. */
export type WalkingDistances = ReadonlyMap<string, number>

/** The key of a pair of buildings in a {@link WalkingDistances} table (order does not matter). */
export const walkingKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`)

/** What a ranking needs to know besides the request and the volunteers. */
export interface MatchContext {
  /** The community's offset from UTC in minutes (Asia/Shanghai: 480), for weekly slots. */
  readonly utcOffsetMinutes: number
  readonly now: number
  readonly walking: WalkingDistances
  /** The requester's home place and languages (for dialect and fellow-townsperson matching). */
  readonly requester: { readonly homePlace: HomePlace | null; readonly languages: ReadonlyArray<LanguageSkill> }
  readonly weights?: Weights
}

/** One ranked volunteer: the score, its terms and a reason. */
export interface Ranked {
  readonly volunteerId: VolunteerId
  /** The weighted mean of the terms, in `[0, 1]`. */
  readonly score: number
  readonly terms: Readonly<Record<ScoreTerm, number>>
  /** Walking metres, `null` when unknown. */
  readonly distance: number | null
  /** Why, in Chinese and English. */
  readonly reason: string
}

/** The result of {@link rank}. */
export interface RankResult {
  readonly ranked: ReadonlyArray<Ranked>
  /** The constraints relaxed to find anyone, in the order relaxed (empty: none). */
  readonly relaxed: ReadonlyArray<Relaxable>
  /** How many volunteers each constraint excluded first (before any relaxation). */
  readonly excluded: Readonly<Record<HardConstraint, number>>
}

const proficiencyRank: Readonly<Record<Proficiency, number>> = { native: 4, fluent: 3, conversational: 2, basic: 1 }
const proficiencyScore: Readonly<Record<Proficiency, number>> = {
  native: 0.9,
  fluent: 0.75,
  conversational: 0.5,
  basic: 0.25
}

const DAY_MINUTES = 1_440

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** The request's windows as minute ranges of the local week (Monday 00:00 = 0), split at the week's end. */
const weeklyRanges = (request: HelpRequest, offset: number): Array<readonly [number, number, number]> => {
  const out: Array<readonly [number, number, number]> = []
  for (const w of request.windows) {
    const start = Math.floor(w.start / 60_000) + offset
    const end = Math.ceil(w.end / 60_000) + offset
    // 1970-01-01 was a Thursday: day index (Monday = 0) of local minute m is (floor(m / 1440) + 3) mod 7
    for (let m = start; m < end; ) {
      const dayStart = Math.floor(m / DAY_MINUTES) * DAY_MINUTES
      const weekday = (((Math.floor(m / DAY_MINUTES) + 3) % 7) + 7) % 7
      const to = Math.min(end, dayStart + DAY_MINUTES)
      // [weekday minute from, to, the day's start as UTC epoch ms]
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

const haversine = (a: { lat: number; lng: number }, b: { lat: number; lng: number }): number => {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Walking metres between two places: the community's table, else coordinates × 1.3, else `null`. */
export const walkingDistance = (from: Location | null, to: Location, walking: WalkingDistances): number | null => {
  if (from === null) return null
  if (from.building === to.building) return 0
  const tabled = walking.get(walkingKey(from.building, to.building))
  if (tabled !== undefined) return tabled
  if (from.coordinates !== undefined && to.coordinates !== undefined) {
    return Math.round(haversine(from.coordinates, to.coordinates) * 1.3)
  }
  return null
}

/** The first hard constraint a volunteer fails, given what is relaxed; `null` when it passes them all. */
const firstFailure = (
  c: MatchCandidate,
  request: HelpRequest,
  placeIndex: number,
  ranges: ReadonlyArray<readonly [number, number, number]>,
  distance: number | null,
  relaxed: ReadonlySet<Relaxable>,
  languageFloor: number
): HardConstraint | null => {
  const v = c.volunteer
  const place = request.places[placeIndex]
  if (v.status !== "active") return "active"
  if (!c.stats.consented) return "consent"
  if (c.stats.openNow >= v.caps.atOnce || c.stats.thisWeek >= v.caps.perWeek || c.stats.thisMonth >= v.caps.perMonth) {
    return "load"
  }
  if (place !== undefined && place.role !== "helper" && !v.roles.includes(place.role)) return "role"
  if (!relaxed.has("skill") && place?.skill != null && !v.skills.includes(place.skill)) return "skill"
  if (languageFloor > 0) {
    for (const code of request.requiredLanguages) {
      const best = Math.max(
        0,
        ...v.languages.filter((l) => l.language === code).map((l) => proficiencyRank[l.proficiency])
      )
      if (best < languageFloor) return "language"
    }
  }
  // days away are never relaxed: only the weekly slots are
  const onDuty = ranges.filter(([, , day]) => !v.blockedDays.includes(day))
  if (onDuty.length === 0) return "availability"
  if (!relaxed.has("availability")) {
    const fits = onDuty.some(([from, to]) =>
      v.availability.some((s) => {
        const day = (s.day - 1) * DAY_MINUTES
        return from < day + minutesOf(s.end) && day + minutesOf(s.start) < to
      })
    )
    if (!fits) return "availability"
  }
  if (!relaxed.has("distance") && distance !== null && distance > v.maxDistance) return "distance"
  return null
}

const languageTerm = (v: Volunteer, request: HelpRequest, requester: MatchContext["requester"]): number => {
  if (request.requiredLanguages.length === 0) return 1
  let total = 0
  for (const code of request.requiredLanguages) {
    const dialects = new Set(requester.languages.filter((l) => l.language === code).map((l) => l.dialect))
    let best = 0
    for (const l of v.languages) {
      if (l.language !== code) continue
      const own = l.dialect !== undefined && dialects.has(l.dialect) && proficiencyRank[l.proficiency] >= 3
      best = Math.max(best, own ? 1 : proficiencyScore[l.proficiency])
    }
    total += best
  }
  return total / request.requiredLanguages.length
}

const homeTownTerm = (v: Volunteer, request: HelpRequest, home: HomePlace | null): number => {
  if (!request.preferSameHomeTown) return 0.5
  if (home === null || v.homePlace === null || v.homePlace.province !== home.province) return 0
  return home.city !== undefined && v.homePlace.city === home.city ? 1 : 0.6
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

const reasonOf = (terms: Record<ScoreTerm, number>, v: Volunteer, distance: number | null, home: HomePlace | null) => {
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
    zh.push(`同乡（${v.homePlace?.city ?? ""}）`)
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
 * Ranks the volunteers for place `placeIndex` of a request: those who pass the hard constraints
 * (relaxed one at a time in {@link relaxationOrder} when nobody passes), by soft score, the top `k`
 * with each term, the walking distance and a reason. See the module notes for every rule.
 */
export const rank = (
  request: HelpRequest,
  placeIndex: number,
  candidates: ReadonlyArray<MatchCandidate>,
  context: MatchContext,
  k = 5
): RankResult => {
  const weights = context.weights ?? defaultWeights
  const weightSum = scoreTerms.reduce((a, t) => a + Math.max(0, weights[t]), 0) || 1
  const ranges = weeklyRanges(request, context.utcOffsetMinutes)
  const distances = candidates.map((c) => walkingDistance(c.volunteer.location, request.place, context.walking))
  const excluded = Object.fromEntries(hardConstraints.map((h) => [h, 0])) as Record<HardConstraint, number>

  const steps: Array<{ readonly relaxed: ReadonlySet<Relaxable>; readonly floor: number }> = [
    { relaxed: new Set(), floor: 2 },
    { relaxed: new Set(["distance"]), floor: 2 },
    { relaxed: new Set(["distance", "availability"]), floor: 2 },
    { relaxed: new Set(["distance", "availability", "language"]), floor: 1 },
    { relaxed: new Set(["distance", "availability", "language"]), floor: 0 },
    { relaxed: new Set(["distance", "availability", "language", "skill"]), floor: 0 }
  ]
  const relaxedAt = [[], ["distance"], ["distance", "availability"], ["distance", "availability", "language"]] as const
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s]!
    const passing: Array<number> = []
    for (let i = 0; i < candidates.length; i++) {
      const failed = firstFailure(candidates[i]!, request, placeIndex, ranges, distances[i]!, step.relaxed, step.floor)
      if (failed === null) passing.push(i)
      else if (s === 0) excluded[failed] += 1
    }
    if (passing.length === 0) continue
    const ranked = passing.map((i): Ranked => {
      const { volunteer: v, stats } = candidates[i]!
      const distance = distances[i]!
      const before = stats.servedBefore?.get(request.requesterId)
      const terms: Record<ScoreTerm, number> = {
        language: languageTerm(v, request, context.requester),
        homeTown: homeTownTerm(v, request, context.requester.homePlace),
        distance: distance === null ? 0.5 : Math.max(0, 1 - distance / Math.max(1, v.maxDistance)),
        continuity:
          before === undefined || before.times === 0
            ? 0
            : Math.min(1, before.times / 3) * (before.ratingSum / before.times / 5),
        fairness:
          (1 -
            Math.min(1, stats.thisMonth / v.caps.perMonth) +
            (stats.lastServedAt === null ? 1 : Math.min(1, (context.now - stats.lastServedAt) / (30 * 86_400_000)))) /
          2,
        reliability: (stats.completed + 4) / (stats.accepted + 5)
      }
      const score = scoreTerms.reduce((a, t) => a + Math.max(0, weights[t]) * terms[t], 0) / weightSum
      const rounded = Object.fromEntries(scoreTerms.map((t) => [t, round4(terms[t])])) as Record<ScoreTerm, number>
      return {
        volunteerId: v.id,
        score: round4(score),
        terms: rounded,
        distance,
        reason: reasonOf(terms, v, distance, context.requester.homePlace)
      }
    })
    ranked.sort(
      (a, b) => b.score - a.score || (a.volunteerId < b.volunteerId ? -1 : a.volunteerId > b.volunteerId ? 1 : 0)
    )
    const relaxed: Array<Relaxable> =
      s < 4 ? [...relaxedAt[s]!] : s === 4 ? ["distance", "availability", "language"] : [...relaxationOrder]
    return { ranked: ranked.slice(0, Math.max(0, k)), relaxed, excluded }
  }
  return { ranked: [], relaxed: [...relaxationOrder], excluded }
}
