/**
 * Benchmark: `Matching.rank` of `@commonweal/core` ranking the volunteers for one place of a
 * help request over 100,000 volunteers, against a bare scan of the same volunteers measured in
 * the same run.
 *
 * In one run the script
 *
 * 1. builds, from a fixed seed, 100,000 volunteers (`BENCH_VOLUNTEERS`) of a large compound: 1 to
 *    4 skills of 12, 1 or 2 of 17 languages with a dialect and a proficiency, a home province
 *    and city, 1 to 4 weekly slots, 200 buildings with a walking table among 40 of them, load
 *    caps and this month's load, 5 % paused, 3 % without matching consent; and 200 requests
 *    (`BENCH_REQUESTS`) from the same distributions (a skill, 0 to 2 required languages, one
 *    window, a building);
 * 2. after a warm-up, times `rank(request, 0, volunteers, context, 10)` for every request, in
 *    `BENCH_ROUNDS` rounds (default 3), and the baseline: one pass over the volunteers reading the
 *    fields the first three hard constraints read (what a plain filter costs);
 * 3. prints p50, p99 and max milliseconds of a ranking over all rounds, the baseline's median,
 *    and how many volunteers passed the hard constraints (and how often relaxation was needed);
 * 4. builds a `MatchIndex` of the same volunteers (timed, once), and times
 *    `MatchIndex.rankIndexed(index, request, 0, context, 10)` for every request in the same rounds
 *    (interleaved with `rank`: in each round, per request, `rank` then the indexed ranking), and
 *    checks per request that the indexed result deep-equals `rank`'s (the script exits 1 if any
 *    differs); prints the index's build time and the indexed p50, p99 and max.
 *
 * Run: `pnpm --filter @commonweal/bench bench:rank`.
 *
 * @module
 */
import { Matching, MatchIndex } from "@commonweal/core"
import type { HelpRequest, Volunteer } from "@commonweal/core"
import { isDeepStrictEqual } from "node:util"
import { seeded } from "./common.js"

type MatchCandidate = Matching.MatchCandidate

const N = Number(process.env["BENCH_VOLUNTEERS"] ?? 100_000)
const REQUESTS = Number(process.env["BENCH_REQUESTS"] ?? 200)
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3)

const random = seeded(20_260_820)
const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)] as A
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))

const skills = [
  "translation",
  "escort",
  "home_visit",
  "health_check",
  "smartphone",
  "repair",
  "calligraphy",
  "cooking",
  "shopping",
  "reading",
  "legal",
  "tcm"
]
const languages = [
  "cmn",
  "wuu",
  "gan",
  "hak",
  "yue",
  "nan",
  "cdo",
  "hsn",
  "cjy",
  "czh",
  "cpx",
  "zha",
  "bo",
  "ug",
  "mn",
  "eng",
  "csl"
] as const
const proficiencies = ["native", "fluent", "conversational", "basic"] as const
const provinces = [
  "jiangxi",
  "anhui",
  "henan",
  "sichuan",
  "hunan",
  "guizhou",
  "zhejiang",
  "jiangsu",
  "hubei",
  "shandong"
] as const
const buildings = Array.from({ length: 200 }, (_, i) => `${i + 1}幢`)
const hh = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`

const id = (prefix: string, n: number) => `0190f0a0-0000-7000-8${prefix}-${String(n).padStart(12, "0")}`

const volunteers: Array<MatchCandidate> = []
for (let i = 0; i < N; i++) {
  const start = int(14, 36) * 30
  const v = {
    id: id("001", i),
    communityId: id("000", 1),
    residentId: null,
    householdId: null,
    displayName: `志愿者${i}`,
    membership: "resident",
    gender: null,
    skills: Array.from(new Set(Array.from({ length: int(1, 4) }, () => pick(skills)))),
    roles: ["helper"],
    languages: Array.from({ length: int(1, 2) }, (_, k) => ({
      language: k === 0 ? "cmn" : pick(languages),
      dialect: `方言${int(1, 5)}`,
      proficiency: pick(proficiencies)
    })),
    homePlace: { province: pick(provinces), city: `城${int(1, 4)}` },
    availability: Array.from({ length: int(1, 4) }, () => ({
      day: int(1, 7),
      start: hh(start),
      end: hh(start + int(2, 8) * 30)
    })),
    blockedDays: [],
    location: { building: pick(buildings) },
    maxDistance: int(3, 30) * 100,
    caps: { atOnce: 2, perWeek: 4, perMonth: 10 },
    status: random() < 0.05 ? "paused" : "active",
    version: 1,
    createdAt: 0
  } as unknown as Volunteer
  volunteers.push({
    volunteer: v,
    stats: {
      openNow: int(0, 2),
      thisWeek: int(0, 3),
      thisMonth: int(0, 9),
      lastServedAt: random() < 0.3 ? null : Date.UTC(2026, 8, int(1, 30)),
      accepted: int(0, 20),
      completed: int(0, 20),
      consented: random() > 0.03
    }
  })
}
const walking = new Map<string, number>()
for (let a = 0; a < 40; a++)
  for (let b = a + 1; b < 40; b++) walking.set(Matching.walkingKey(buildings[a]!, buildings[b]!), int(50, 2_500))

const wednesday = Date.UTC(2026, 9, 7, 1, 0, 0)
const requests: Array<HelpRequest> = Array.from({ length: REQUESTS }, (_, i) => {
  const day = wednesday + int(0, 6) * 86_400_000 + int(0, 8) * 3_600_000
  return {
    id: id("002", i),
    communityId: id("000", 1),
    version: 1,
    status: "open",
    requesterId: id("003", i),
    recordedBy: { _tag: "Requester" },
    category: "escort",
    description: "x",
    place: { building: pick(buildings.slice(0, 40)) },
    windows: [{ start: day, end: day + 2 * 3_600_000 }],
    urgency: "normal",
    expiresAt: day,
    requiredLanguages: Array.from({ length: int(0, 2) }, () => pick(languages.slice(1, 9))),
    preferSameHomeTown: random() < 0.5,
    preferGender: null,
    places: [{ role: "helper", skill: pick(skills), status: "open", volunteerId: null, declinedBy: [], since: null }],
    visibility: "offered",
    services: [],
    closingNote: null,
    createdAt: 0,
    updatedAt: 0
  } as unknown as HelpRequest
})

const context = (r: HelpRequest): Matching.MatchContext => ({
  utcOffsetMinutes: 480,
  now: wednesday - 86_400_000,
  walking,
  requester: {
    homePlace: { province: "jiangxi", city: "城1" },
    languages: r.requiredLanguages.map((language) => ({ language, dialect: "方言1", proficiency: "native" as const }))
  }
})

const quantile = (xs: ReadonlyArray<number>, q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0
}

// warm-up
for (const r of requests.slice(0, 20)) Matching.rank(r, 0, volunteers, context(r), 10)

const i0 = performance.now()
const index = MatchIndex.build(volunteers)
const buildMs = performance.now() - i0
for (const r of requests.slice(0, 20)) MatchIndex.rankIndexed(index, r, 0, context(r), 10)

const times: Array<number> = []
const indexedTimes: Array<number> = []
let mismatches = 0
const baseline: Array<number> = []
let passed = 0
let relaxedCount = 0
let sink = 0
for (let round = 0; round < ROUNDS; round++) {
  for (const r of requests) {
    const t0 = performance.now()
    const result = Matching.rank(r, 0, volunteers, context(r), 10)
    times.push(performance.now() - t0)
    const ctx = context(r)
    const x0 = performance.now()
    const indexed = MatchIndex.rankIndexed(index, r, 0, ctx, 10)
    indexedTimes.push(performance.now() - x0)
    if (!isDeepStrictEqual(indexed, result)) {
      mismatches += 1
      if (mismatches <= 3) console.error(`request ${r.id}: indexed result differs`, { indexed, result })
    }
    passed += result.ranked.length
    if (result.relaxed.length > 0) relaxedCount += 1
  }
  const b0 = performance.now()
  for (const c of volunteers) {
    if (c.volunteer.status === "active" && c.stats.consented && c.stats.openNow < c.volunteer.caps.atOnce) sink += 1
  }
  baseline.push(performance.now() - b0)
}

console.log(`rank over ${N.toLocaleString("en")} volunteers, ${REQUESTS} requests × ${ROUNDS} rounds (k = 10)`)
console.log(
  `  p50 ${quantile(times, 0.5).toFixed(2)} ms   p99 ${quantile(times, 0.99).toFixed(2)} ms   max ${Math.max(...times).toFixed(2)} ms`
)
console.log(`  baseline (one pass reading three fields): median ${quantile(baseline, 0.5).toFixed(2)} ms`)
console.log(
  `  relaxation needed for ${((100 * relaxedCount) / (REQUESTS * ROUNDS)).toFixed(1)} % of the rankings; ${(passed / (REQUESTS * ROUNDS)).toFixed(1)} ranked per request; ${sink} eligible in the baseline passes`
)
console.log(`MatchIndex over the same volunteers: build ${buildMs.toFixed(1)} ms (once)`)
console.log(
  `  rankIndexed p50 ${quantile(indexedTimes, 0.5).toFixed(2)} ms   p99 ${quantile(indexedTimes, 0.99).toFixed(2)} ms   max ${Math.max(...indexedTimes).toFixed(2)} ms`
)
console.log(
  `  identical to rank: ${REQUESTS * ROUNDS - mismatches} of ${REQUESTS * ROUNDS} rankings${mismatches > 0 ? "  ← MISMATCH" : ""}`
)
if (mismatches > 0) process.exitCode = 1
