// The columnar index of volunteers ranks exactly as `Matching.rank` does: the same volunteers,
// scores, terms, distances, reasons, relaxation and excluded counts.
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import type { CommunityId, ResidentId } from "../../src/index.js"
import type { HelpRequest, Volunteer } from "../../src/mutual-aid/HelpRequest.js"
import { HelpRequestId, VolunteerId } from "../../src/mutual-aid/HelpRequest.js"
import { build, rankIndexed } from "../../src/mutual-aid/MatchIndex.js"
import type { MatchCandidate, MatchContext, VolunteerStats, Weights } from "../../src/mutual-aid/Matching.js"
import { rank, walkingKey } from "../../src/mutual-aid/Matching.js"
import type { HomePlace, LanguageSkill, Location } from "../../src/residents/Resident.js"

const junxin = "0190f0a0-0000-7000-8000-000000000001" as CommunityId
const zhou = "0187d49b-e800-7000-8001-000000000001" as ResidentId
const vid = (n: number) => VolunteerId.make(`0190f0a0-0000-7000-8000-0000000008${String(n).padStart(2, "0")}`)
// Wednesday 2026-10-07 09:00 to 11:00 in Shanghai
const wed9 = Date.UTC(2026, 9, 7, 1, 0, 0)
// the start of Wednesday 2026-10-07 in Shanghai, as UTC epoch ms (how days away are written)
const wedStart = Date.UTC(2026, 9, 6, 16, 0, 0)
const DAY = 86_400_000

const volunteer = (n: number, over: Partial<Volunteer> = {}): Volunteer => ({
  id: vid(n),
  communityId: junxin,
  residentId: null,
  householdId: null,
  displayName: `志愿者${n}`,
  membership: "resident",
  gender: "female",
  skills: ["translation", "home_visit"],
  roles: ["fellow_townsperson"],
  languages: [{ language: "cmn", proficiency: "native" }],
  homePlace: { province: "anhui", city: "阜阳" },
  availability: [{ day: 3, start: "08:30", end: "12:00" }],
  blockedDays: [],
  location: { building: "16幢" },
  maxDistance: 800,
  caps: { atOnce: 2, perWeek: 3, perMonth: 8 },
  status: "active",
  version: 1,
  createdAt: 0,
  ...over
})

const stats = (over: Partial<VolunteerStats> = {}): VolunteerStats => ({
  openNow: 0,
  thisWeek: 0,
  thisMonth: 2,
  lastServedAt: wed9 - 10 * DAY,
  accepted: 5,
  completed: 5,
  consented: true,
  ...over
})

const request = (over: Partial<HelpRequest> = {}): HelpRequest => ({
  id: HelpRequestId.make("0190f0a0-0000-7000-8000-000000000400"),
  communityId: junxin,
  version: 1,
  status: "open",
  requesterId: zhou,
  recordedBy: { _tag: "Requester" },
  category: "escort",
  description: "陪同去医院体检，需要南昌话翻译",
  place: { building: "15幢", unit: "2单元", room: "301" },
  windows: [{ start: wed9, end: wed9 + 2 * 3_600_000 }],
  urgency: "normal",
  expiresAt: wed9 + DAY,
  requiredLanguages: ["gan"],
  preferSameHomeTown: true,
  preferGender: null,
  places: [
    { role: "fellow_townsperson", skill: "translation", status: "open", volunteerId: null, declinedBy: [], since: null }
  ],
  visibility: "offered",
  services: [],
  closingNote: null,
  createdAt: wed9 - DAY,
  updatedAt: wed9 - DAY,
  ...over
})

const context: MatchContext = {
  utcOffsetMinutes: 480,
  now: wed9 - DAY,
  walking: new Map([
    [walkingKey("15幢", "16幢"), 120],
    [walkingKey("15幢", "2幢"), 650],
    [walkingKey("15幢", "30幢"), 1_400]
  ]),
  requester: {
    homePlace: { province: "jiangxi", city: "南昌" },
    languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }]
  }
}

const gan = (proficiency: "native" | "fluent" | "conversational" | "basic", dialect?: string) =>
  dialect === undefined ? { language: "gan" as const, proficiency } : { language: "gan" as const, dialect, proficiency }

const junxinVolunteers: ReadonlyArray<MatchCandidate> = [
  {
    volunteer: volunteer(1, {
      displayName: "刘英",
      languages: [gan("native", "南昌话"), { language: "cmn", proficiency: "fluent" }],
      homePlace: { province: "jiangxi", city: "南昌" }
    }),
    stats: stats()
  },
  {
    volunteer: volunteer(2, {
      languages: [gan("conversational", "赣州话")],
      homePlace: { province: "jiangxi", city: "赣州" },
      location: { building: "2幢" }
    }),
    stats: stats({ thisMonth: 0, lastServedAt: null })
  },
  { volunteer: volunteer(3, { languages: [gan("native", "南昌话")], location: { building: "30幢" } }), stats: stats() },
  { volunteer: volunteer(4, { languages: [gan("native", "南昌话")], status: "paused" }), stats: stats() },
  { volunteer: volunteer(5, { languages: [gan("native", "南昌话")] }), stats: stats({ consented: false }) },
  { volunteer: volunteer(6, { languages: [gan("native", "南昌话")] }), stats: stats({ thisWeek: 3 }) },
  { volunteer: volunteer(7, { languages: [{ language: "cmn", proficiency: "native" }] }), stats: stats() }
]

describe("MatchIndex", () => {
  it("ranks as rank does: 刘英 first with the terms, the reason and the excluded counts", () => {
    const index = build(junxinVolunteers)
    const result = rankIndexed(index, request(), 0, context)
    expect(result).toStrictEqual(rank(request(), 0, junxinVolunteers, context))
    expect(result.ranked.map((r) => r.volunteerId)).toEqual([vid(1), vid(2)])
    expect(result.ranked[0]!.distance).toBe(120)
    expect(result.ranked[0]!.reason).toContain("会说对方的方言")
    expect(result.excluded).toMatchObject({ active: 1, consent: 1, load: 1, language: 1, distance: 1 })
  })

  it("serves many requests from one index, each as rank would", () => {
    const index = build(junxinVolunteers)
    const requests = [
      request(),
      request({ requiredLanguages: [] }),
      request({ place: { building: "30幢" } }),
      request({ windows: [{ start: wed9 + DAY, end: wed9 + DAY + 3_600_000 }] }),
      request({
        places: [{ role: "helper", skill: null, status: "open", volunteerId: null, declinedBy: [], since: null }]
      })
    ]
    for (const r of requests)
      expect(rankIndexed(index, r, 0, context, 3)).toStrictEqual(rank(r, 0, junxinVolunteers, context, 3))
  })

  it("relaxes the same constraints in the same order, and says so", () => {
    // nobody speaks Hakka: language is relaxed after distance and availability
    const r = request({ requiredLanguages: ["hak"] })
    const result = rankIndexed(build(junxinVolunteers), r, 0, context)
    expect(result.relaxed).toEqual(["distance", "availability", "language"])
    expect(result).toStrictEqual(rank(r, 0, junxinVolunteers, context))
    // only the paused, the overloaded and the one without consent: never proposed
    const onlyExcluded = junxinVolunteers.slice(3, 6)
    const none = rankIndexed(build(onlyExcluded), request(), 0, context)
    expect(none.ranked).toEqual([])
    expect(none.relaxed).toEqual(["distance", "availability", "language", "skill"])
    expect(none).toStrictEqual(rank(request(), 0, onlyExcluded, context))
  })

  it("gives a tie in score to the smaller volunteer id, whatever the order of the pool", () => {
    const twins = [9, 8, 7].map((n) => ({
      volunteer: volunteer(n, { languages: [gan("native", "南昌话")] }),
      stats: stats()
    }))
    const result = rankIndexed(build(twins), request(), 0, context)
    expect(result.ranked.map((r) => r.volunteerId)).toEqual([vid(7), vid(8), vid(9)])
    expect(new Set(result.ranked.map((r) => r.score)).size).toBe(1)
    expect(result).toStrictEqual(rank(request(), 0, twins, context))
  })

  it("never proposes a volunteer on a day away, even with availability relaxed", () => {
    const away = [{ volunteer: volunteer(1, { languages: [gan("native")], blockedDays: [wedStart] }), stats: stats() }]
    const result = rankIndexed(build(away), request(), 0, context)
    expect(result.ranked).toEqual([])
    expect(result.excluded.availability).toBe(1)
    expect(result).toStrictEqual(rank(request(), 0, away, context))
  })

  it("takes k as rank does: none, a fraction, more than the pool, every one", () => {
    const index = build(junxinVolunteers)
    const r = request({ requiredLanguages: [] })
    for (const k of [0, -1, 1.5, 100, Number.POSITIVE_INFINITY]) {
      expect(rankIndexed(index, r, 0, context, k)).toStrictEqual(rank(r, 0, junxinVolunteers, context, k))
    }
    expect(rankIndexed(index, r, 0, context, 1.5).ranked).toHaveLength(1)
  })

  it("an empty pool ranks nobody and excludes nobody", () => {
    const result = rankIndexed(build([]), request(), 0, context)
    expect(result.ranked).toEqual([])
    expect(result).toStrictEqual(rank(request(), 0, [], context))
  })

  // ---- the property: random pools, requests and contexts, including relaxation, unknown and
  // coordinate distances, days away, duplicate ids and ties

  const buildings = ["15幢", "16幢", "2幢", "30幢", "7幢"] as const
  const coordinates = [
    { lat: 28.68, lng: 115.89 },
    { lat: 28.681, lng: 115.891 },
    { lat: 28.69, lng: 115.9 }
  ] as const
  const skills = ["translation", "escort", "repair"] as const
  const roles = ["helper", "fellow_townsperson", "driver"] as const
  const codes = ["cmn", "gan", "wuu"] as const
  const dialects = ["南昌话", "赣州话", "上海话"] as const
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`

  const location: fc.Arbitrary<Location | null> = fc.option(
    fc.record(
      { building: fc.constantFrom(...buildings), coordinates: fc.constantFrom(...coordinates) },
      { requiredKeys: ["building"] }
    ),
    { freq: 6 }
  )
  const language: fc.Arbitrary<LanguageSkill> = fc.record(
    {
      language: fc.constantFrom(...codes),
      dialect: fc.constantFrom(...dialects),
      proficiency: fc.constantFrom("native", "fluent", "conversational", "basic")
    },
    { requiredKeys: ["language", "proficiency"] }
  )
  const homePlace: fc.Arbitrary<HomePlace | null> = fc.option(
    fc.record(
      { province: fc.constantFrom("jiangxi", "anhui"), city: fc.constantFrom("南昌", "赣州") },
      { requiredKeys: ["province"] }
    ),
    { freq: 5 }
  )
  const slot = fc
    .record({
      day: fc.integer({ min: 1, max: 7 }),
      start: fc.integer({ min: 0, max: 1_439 }),
      length: fc.integer({ min: 1, max: 720 })
    })
    .map(({ day, start, length }) => ({ day, start: hhmm(start), end: hhmm(Math.min(1_440, start + length)) }))
  const candidate: fc.Arbitrary<MatchCandidate> = fc
    .record({
      id: fc.integer({ min: 0, max: 40 }),
      skills: fc.uniqueArray(fc.constantFrom(...skills), { maxLength: 3 }),
      roles: fc.uniqueArray(fc.constantFrom(...roles), { maxLength: 2 }),
      languages: fc.array(language, { maxLength: 3 }),
      homePlace,
      availability: fc.array(slot, { maxLength: 3 }),
      blockedDays: fc.uniqueArray(
        fc.integer({ min: -1, max: 8 }).map((d) => wedStart + d * DAY),
        { maxLength: 3 }
      ),
      location,
      maxDistance: fc.oneof(fc.constantFrom(0, 100, 500, 1_000), fc.integer({ min: 0, max: 2_000 })),
      paused: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
      openNow: fc.integer({ min: 0, max: 2 }),
      thisWeek: fc.integer({ min: 0, max: 3 }),
      thisMonth: fc.integer({ min: 0, max: 8 }),
      lastServedAt: fc.option(fc.integer({ min: 0, max: 60 }).map((d) => wed9 - d * DAY)),
      accepted: fc.integer({ min: 0, max: 6 }),
      completed: fc.integer({ min: 0, max: 6 }),
      consented: fc.integer({ min: 0, max: 9 }).map((x) => x !== 0),
      servedBefore: fc.option(
        fc.record({ times: fc.integer({ min: 0, max: 4 }), rating: fc.integer({ min: 1, max: 5 }) }),
        { freq: 3 }
      )
    })
    .map((r) => ({
      volunteer: volunteer(r.id, {
        skills: r.skills,
        roles: r.roles,
        languages: r.languages,
        homePlace: r.homePlace,
        availability: r.availability,
        blockedDays: r.blockedDays,
        location: r.location,
        maxDistance: r.maxDistance,
        caps: { atOnce: 2, perWeek: 3, perMonth: 8 },
        status: r.paused ? "paused" : "active"
      }),
      stats: stats({
        openNow: r.openNow,
        thisWeek: r.thisWeek,
        thisMonth: r.thisMonth,
        lastServedAt: r.lastServedAt,
        accepted: r.accepted,
        completed: Math.min(r.completed, r.accepted),
        consented: r.consented,
        ...(r.servedBefore === null
          ? {}
          : {
              servedBefore: new Map([
                [zhou, { times: r.servedBefore.times, ratingSum: r.servedBefore.times * r.servedBefore.rating }]
              ])
            })
      })
    }))
  const pool = fc.array(candidate, { maxLength: 30 })

  const window = fc
    .record({ halfHour: fc.integer({ min: -48, max: 300 }), minutes: fc.integer({ min: 0, max: 1_800 }) })
    .map(({ halfHour, minutes }) => ({
      start: wed9 + halfHour * 1_800_000,
      end: wed9 + halfHour * 1_800_000 + minutes * 60_000
    }))
  const place = fc.record({
    role: fc.constantFrom(...roles),
    skill: fc.option(fc.constantFrom(...skills)),
    status: fc.constant("open" as const),
    volunteerId: fc.constant(null),
    declinedBy: fc.constant([]),
    since: fc.constant(null)
  })
  const helpRequest = fc
    .record({
      place: location.map((l) => l ?? { building: "15幢" }),
      windows: fc.array(window, { maxLength: 2 }),
      requiredLanguages: fc.array(fc.constantFrom(...codes), { maxLength: 2 }),
      preferSameHomeTown: fc.boolean(),
      places: fc.array(place, { minLength: 0, maxLength: 2 })
    })
    .map((r) => request(r as Partial<HelpRequest>))
  const matchContext: fc.Arbitrary<MatchContext> = fc
    .record({
      utcOffsetMinutes: fc.constantFrom(480, 0, -300, 330),
      now: fc.constant(wed9 - DAY),
      walking: fc
        .array(
          fc.tuple(
            fc.constantFrom(...buildings),
            fc.constantFrom(...buildings),
            fc.oneof(fc.constantFrom(100, 500, 1_000), fc.integer({ min: 0, max: 2_500 }))
          ),
          { maxLength: 6 }
        )
        .map((pairs) => new Map(pairs.map(([a, b, d]) => [walkingKey(a, b), d]))),
      requester: fc.record({
        homePlace,
        languages: fc.array(language, { maxLength: 3 })
      }),
      weights: fc.option(
        fc.record({
          language: fc.integer({ min: 0, max: 3 }),
          homeTown: fc.integer({ min: 0, max: 3 }),
          distance: fc.integer({ min: 0, max: 3 }),
          continuity: fc.integer({ min: 0, max: 3 }),
          fairness: fc.integer({ min: 0, max: 3 }),
          reliability: fc.integer({ min: 0, max: 3 })
        }) as fc.Arbitrary<Weights>
      )
    })
    .map(({ weights, ...rest }): MatchContext => (weights === null ? rest : { ...rest, weights }))

  it("returns exactly what rank returns, for any pool, request, place, context and k", () => {
    let relaxed = 0
    fc.assert(
      fc.property(
        pool,
        fc.array(helpRequest, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 2 }),
        matchContext,
        fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 12 })),
        (candidates, requests, placeIndex, ctx, k) => {
          // one index serves every request
          const index = build(candidates)
          for (const r of requests) {
            const expected = rank(r, placeIndex, candidates, ctx, k)
            if (expected.relaxed.length > 0) relaxed += 1
            expect(rankIndexed(index, r, placeIndex, ctx, k)).toStrictEqual(expected)
          }
        }
      ),
      { numRuns: 400 }
    )
    // the property went through relaxation too, not only the strict step
    expect(relaxed).toBeGreaterThan(0)
  })

  // most volunteers pass: the top k is chosen among many, by the score's every term
  const allWeek = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: "00:00", end: "24:00" }))
  const willing = candidate.map(
    (c): MatchCandidate => ({
      volunteer: {
        ...c.volunteer,
        roles: ["helper"],
        availability: allWeek,
        blockedDays: [],
        maxDistance: 50_000,
        status: "active",
        languages: [
          ...c.volunteer.languages,
          {
            language: "gan",
            dialect: "南昌话",
            proficiency: c.volunteer.maxDistance % 2 === 0 ? "fluent" : "conversational"
          }
        ]
      },
      stats: { ...c.stats, openNow: 0, thisWeek: 0, thisMonth: Math.min(7, c.stats.thisMonth), consented: true }
    })
  )
  const broadRequest = helpRequest.map((r) => ({
    ...r,
    requiredLanguages: r.requiredLanguages.length === 0 ? ["gan"] : ["gan", "gan"],
    places: [{ role: "helper", skill: null, status: "open", volunteerId: null, declinedBy: [], since: null }],
    windows: [{ start: wed9, end: wed9 + 3_600_000 }]
  })) as fc.Arbitrary<HelpRequest>
  const dialectRequester = matchContext.map(
    (ctx): MatchContext => ({
      ...ctx,
      requester: {
        ...ctx.requester,
        languages: [
          ...ctx.requester.languages,
          { language: "gan" as const, dialect: "南昌话", proficiency: "native" as const }
        ]
      }
    })
  )

  it("keeps the same top k as rank when many volunteers pass", () => {
    fc.assert(
      fc.property(
        fc.array(willing, { minLength: 5, maxLength: 40 }),
        broadRequest,
        dialectRequester,
        fc.integer({ min: 1, max: 4 }),
        (candidates, r, ctx, k) => {
          const expected = rank(r, 0, candidates, ctx, k)
          expect(expected.relaxed).toEqual([])
          expect(rankIndexed(build(candidates), r, 0, ctx, k)).toStrictEqual(expected)
        }
      ),
      { numRuns: 300 }
    )
  })
})
