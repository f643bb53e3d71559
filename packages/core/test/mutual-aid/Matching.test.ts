// Ranking volunteers for a place: hard constraints, the soft score's terms, the reason, and
// relaxation that says what it relaxed.
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import type { CommunityId, ResidentId } from "../../src/index.js"
import type { HelpRequest, Volunteer } from "../../src/mutual-aid/HelpRequest.js"
import { HelpRequestId, VolunteerId } from "../../src/mutual-aid/HelpRequest.js"
import type { MatchCandidate, MatchContext, VolunteerStats } from "../../src/mutual-aid/Matching.js"
import { defaultWeights, rank, walkingKey } from "../../src/mutual-aid/Matching.js"

const junxin = "0190f0a0-0000-7000-8000-000000000001" as CommunityId
const zhou = "0187d49b-e800-7000-8001-000000000001" as ResidentId
const vid = (n: number) => VolunteerId.make(`0190f0a0-0000-7000-8000-0000000008${String(n).padStart(2, "0")}`)
// Wednesday 2026-10-07 09:00 to 11:00 in Shanghai
const wed9 = Date.UTC(2026, 9, 7, 1, 0, 0)

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
  lastServedAt: wed9 - 10 * 86_400_000,
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
  expiresAt: wed9 + 86_400_000,
  requiredLanguages: ["gan"],
  preferSameHomeTown: true,
  preferGender: null,
  places: [
    { role: "fellow_townsperson", skill: "translation", status: "open", volunteerId: null, declinedBy: [], since: null }
  ],
  visibility: "offered",
  services: [],
  closingNote: null,
  createdAt: wed9 - 86_400_000,
  updatedAt: wed9 - 86_400_000,
  ...over
})

const context: MatchContext = {
  utcOffsetMinutes: 480,
  now: wed9 - 86_400_000,
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

/** 刘英 speaks 南昌话 natively and lives next door; a Ganzhou Hakka-Gan speaker; a far one; a paused one. */
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

describe("rank", () => {
  it("ranks the fellow-townsperson who speaks the requester's dialect first, with the terms and a bilingual reason", () => {
    const result = rank(request(), 0, junxinVolunteers, context)
    expect(result.relaxed).toEqual([])
    expect(result.ranked.map((r) => r.volunteerId)).toEqual([vid(1), vid(2)])
    const [liu, second] = result.ranked
    expect(liu!.terms).toMatchObject({ language: 1, homeTown: 1, distance: 0.85 })
    expect(liu!.distance).toBe(120)
    expect(liu!.reason).toContain("会说对方的方言")
    expect(liu!.reason).toContain("speaks the requester's dialect")
    expect(second!.terms.homeTown).toBe(0.6)
    expect(result.excluded).toMatchObject({ active: 1, consent: 1, load: 1, language: 1, distance: 1 })
  })

  it("never proposes a paused, overloaded or non-consenting volunteer, even when relaxing", () => {
    const onlyExcluded = junxinVolunteers.filter((c) => [4, 5, 6].includes(Number(c.volunteer.id.slice(-2))))
    const result = rank(request(), 0, onlyExcluded, context)
    expect(result.ranked).toEqual([])
    expect(result.relaxed).toEqual(["distance", "availability", "language", "skill"])
  })

  it("relaxes distance first when nobody is near, and says so", () => {
    const far = junxinVolunteers.filter((c) => c.volunteer.id === vid(3))
    const result = rank(request(), 0, far, context)
    expect(result.relaxed).toEqual(["distance"])
    expect(result.ranked.map((r) => r.volunteerId)).toEqual([vid(3)])
  })

  it("relaxes availability next, keeping days away", () => {
    const busy = [
      {
        volunteer: volunteer(8, {
          languages: [gan("native")],
          availability: [{ day: 5, start: "09:00", end: "10:00" }]
        }),
        stats: stats()
      }
    ]
    expect(rank(request(), 0, busy, context).relaxed).toEqual(["distance", "availability"])
    const day = Date.UTC(2026, 9, 6, 16, 0, 0) // Wednesday 00:00 in Shanghai
    const away = [{ volunteer: volunteer(9, { languages: [gan("native")], blockedDays: [day] }), stats: stats() }]
    const result = rank(request(), 0, away, context)
    expect(result.ranked).toEqual([])
  })

  it("a team place is filled only by someone who fills that role; weights change the order", () => {
    const medical = request({
      places: [{ role: "medical", skill: null, status: "open", volunteerId: null, declinedBy: [], since: null }]
    })
    expect(rank(medical, 0, junxinVolunteers, context).ranked).toEqual([])
    const onlyFairness = {
      ...context,
      weights: { ...defaultWeights, language: 0, homeTown: 0, distance: 0, continuity: 0, reliability: 0 }
    }
    expect(rank(request(), 0, junxinVolunteers, onlyFairness).ranked[0]?.volunteerId).toBe(vid(2))
  })

  it("property: every ranked volunteer passes what was not relaxed, scores are in [0, 1], sorted, at most k", () => {
    const candidate = fc.record({
      n: fc.integer({ min: 1, max: 99 }),
      prof: fc.constantFrom("native" as const, "fluent" as const, "conversational" as const, "basic" as const, null),
      building: fc.constantFrom("15幢", "16幢", "2幢", "30幢", "99幢"),
      active: fc.boolean(),
      consented: fc.boolean(),
      month: fc.integer({ min: 0, max: 10 }),
      day: fc.integer({ min: 1, max: 7 })
    })
    fc.assert(
      fc.property(
        fc.uniqueArray(candidate, { selector: (c) => c.n, maxLength: 25 }),
        fc.integer({ min: 1, max: 8 }),
        (cs, k) => {
          const candidates = cs.map((c) => ({
            volunteer: volunteer(c.n, {
              languages: c.prof === null ? [] : [gan(c.prof, "南昌话")],
              location: { building: c.building },
              status: c.active ? ("active" as const) : ("paused" as const),
              availability: [{ day: c.day, start: "08:00", end: "12:00" }]
            }),
            stats: stats({ consented: c.consented, thisMonth: c.month })
          }))
          const result = rank(request(), 0, candidates, context, k)
          expect(result.ranked.length).toBeLessThanOrEqual(k)
          for (let i = 0; i < result.ranked.length; i++) {
            const r = result.ranked[i]!
            const c = cs.find((x) => vid(x.n) === r.volunteerId)!
            expect(c.active && c.consented && c.month < 8).toBe(true)
            expect(r.score).toBeGreaterThanOrEqual(0)
            expect(r.score).toBeLessThanOrEqual(1)
            if (i > 0) expect(result.ranked[i - 1]!.score).toBeGreaterThanOrEqual(r.score)
            if (!result.relaxed.includes("language")) expect(["native", "fluent", "conversational"]).toContain(c.prof)
            if (!result.relaxed.includes("availability")) expect(c.day).toBe(3)
          }
        }
      )
    )
  })
})
