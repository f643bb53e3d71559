// assign: a whole batch of open places, optimally, with team roles, capacities and reasons.
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import type { CommunityId, ResidentId } from "../../src/index.js"
import { assign } from "../../src/mutual-aid/Batch.js"
import type { HelpRequest, Place, Volunteer } from "../../src/mutual-aid/HelpRequest.js"
import { HelpRequestId, VolunteerId } from "../../src/mutual-aid/HelpRequest.js"
import type { MatchCandidate, MatchContext } from "../../src/mutual-aid/Matching.js"

const junxin = "0190f0a0-0000-7000-8000-000000000001" as CommunityId
const vid = (n: number) => VolunteerId.make(`0190f0a0-0000-7000-8000-0000000008${String(n).padStart(2, "0")}`)
const rid = (n: number) => HelpRequestId.make(`0190f0a0-0000-7000-8000-0000000004${String(n).padStart(2, "0")}`)
const wed9 = Date.UTC(2026, 9, 7, 1, 0, 0)

const volunteer = (n: number, over: Partial<Volunteer> = {}): Volunteer => ({
  id: vid(n),
  communityId: junxin,
  residentId: null,
  householdId: null,
  displayName: `志愿者${n}`,
  membership: "resident",
  gender: null,
  skills: ["translation"],
  roles: ["helper"],
  languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
  homePlace: null,
  availability: [{ day: 3, start: "08:00", end: "12:00" }],
  blockedDays: [],
  location: null,
  maxDistance: 1_000,
  caps: { atOnce: 1, perWeek: 3, perMonth: 8 },
  status: "active",
  version: 1,
  createdAt: 0,
  ...over
})

const candidate = (v: Volunteer): MatchCandidate => ({
  volunteer: v,
  stats: { openNow: 0, thisWeek: 0, thisMonth: 0, lastServedAt: null, accepted: 0, completed: 0, consented: true }
})

const open = (role: string): Place => ({
  role,
  skill: null,
  status: "open",
  volunteerId: null,
  declinedBy: [],
  since: null
})

const request = (n: number, over: Partial<HelpRequest> = {}): HelpRequest => ({
  id: rid(n),
  communityId: junxin,
  version: 1,
  status: "open",
  requesterId: "0187d49b-e800-7000-8001-000000000001" as ResidentId,
  recordedBy: { _tag: "Requester" },
  category: "escort",
  description: "x",
  place: { building: "15幢" },
  windows: [{ start: wed9, end: wed9 + 3_600_000 }],
  urgency: "normal",
  expiresAt: wed9,
  requiredLanguages: ["gan"],
  preferSameHomeTown: false,
  preferGender: null,
  places: [open("helper")],
  visibility: "offered",
  services: [],
  closingNote: null,
  createdAt: 0,
  updatedAt: 0,
  ...over
})

const context: MatchContext = {
  utcOffsetMinutes: 480,
  now: wed9 - 86_400_000,
  walking: new Map(),
  requester: { homePlace: null, languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }] }
}

const ok = <A, E>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) throw new Error(JSON.stringify(r.failure))
  return r.success
}

describe("assign", () => {
  it("fills a team's roles with different people and explains every pair", () => {
    const team = request(1, { places: [open("medical"), open("grid_worker"), open("fellow_townsperson")] })
    const people = [
      volunteer(1, {
        roles: ["medical", "grid_worker", "fellow_townsperson"],
        caps: { atOnce: 3, perWeek: 5, perMonth: 9 }
      }),
      volunteer(2, { roles: ["grid_worker"] }),
      volunteer(3, { roles: ["fellow_townsperson"] })
    ].map(candidate)
    const result = ok(assign([team], people, context))
    expect(result.pairs.map((p) => [p.role, p.volunteerId])).toEqual([
      ["medical", vid(1)],
      ["grid_worker", vid(2)],
      ["fellow_townsperson", vid(3)]
    ])
    expect(result.unmatched).toEqual([])
    expect(result.pairs.every((p) => p.reason.includes(" / "))).toBe(true)
  })

  it("a volunteer's caps bound how many places they take; the rest are unmatched with a reason", () => {
    const requests = [request(1), request(2)]
    const result = ok(assign(requests, [candidate(volunteer(1))], context))
    expect(result.pairs).toHaveLength(1)
    expect(result.unmatched).toHaveLength(1)
    expect(result.unmatched[0]?.reason).toContain("fit better")
    const nobody = ok(assign([request(3, { places: [open("medical")] })], [candidate(volunteer(1))], context))
    expect(nobody.unmatched[0]?.reason).toContain("nobody passes")
  })

  it("a place already held or declined is not given to that volunteer again", () => {
    const held: Place = { ...open("helper"), status: "accepted", volunteerId: vid(1), since: 0 }
    const declined: Place = { ...open("helper"), declinedBy: [vid(2)] }
    const result = ok(
      assign(
        [request(1, { places: [held, open("helper"), declined] })],
        [1, 2, 3].map((n) => candidate(volunteer(n))),
        context
      )
    )
    expect(result.pairs.map((p) => [p.place, p.volunteerId])).toEqual([
      [1, vid(2)],
      [2, vid(3)]
    ])
  })

  /** The most places that can be filled: a max flow source → request (size) → volunteer (1 each) → sink (room). */
  const maxFilled = (sizes: ReadonlyArray<number>, rooms: ReadonlyArray<number>): number => {
    const R = sizes.length
    const V = rooms.length
    const n = 2 + R + V
    const cap = Array.from({ length: n }, () => new Array<number>(n).fill(0))
    sizes.forEach((k, r) => {
      cap[0]![1 + r] = k
      for (let v = 0; v < V; v++) cap[1 + r]![1 + R + v] = 1
    })
    rooms.forEach((room, v) => {
      cap[1 + R + v]![n - 1] = room
    })
    let flow = 0
    for (;;) {
      const prev = new Array<number>(n).fill(-1)
      prev[0] = 0
      const queue = [0]
      while (queue.length > 0 && prev[n - 1] === -1) {
        const u = queue.shift()!
        for (let w = 0; w < n; w++) {
          if (prev[w] === -1 && cap[u]![w]! > 0) {
            prev[w] = u
            queue.push(w)
          }
        }
      }
      if (prev[n - 1] === -1) return flow
      for (let w = n - 1; w !== 0; w = prev[w]!) {
        cap[prev[w]!]![w]! -= 1
        cap[w]![prev[w]!]! += 1
      }
      flow += 1
    }
  }

  it("property: every pair respects capacity and the team rule, and as many places are filled as possible", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ cap: fc.integer({ min: 1, max: 2 }), month: fc.integer({ min: 0, max: 8 }) }), {
          minLength: 1,
          maxLength: 6
        }),
        (sizes, vs) => {
          const requests = sizes.map((k, i) =>
            request(i + 1, { places: Array.from({ length: k }, () => open("helper")) })
          )
          const people = vs.map((x, j) => ({
            ...candidate(volunteer(j + 1, { caps: { atOnce: x.cap, perWeek: 5, perMonth: 8 } })),
            stats: { ...candidate(volunteer(j + 1)).stats, thisMonth: x.month }
          }))
          const result = ok(assign(requests, people, context))
          const load = new Map<string, number>()
          for (const p of result.pairs) load.set(p.volunteerId, (load.get(p.volunteerId) ?? 0) + 1)
          vs.forEach((x, j) => {
            expect(load.get(vid(j + 1)) ?? 0).toBeLessThanOrEqual(Math.max(0, Math.min(x.cap, 8 - x.month)))
          })
          const seen = new Set(result.pairs.map((p) => `${p.requestId}|${p.volunteerId}`))
          expect(seen.size).toBe(result.pairs.length)
          const places = sizes.reduce((a, b) => a + b, 0)
          expect(result.pairs.length + result.unmatched.length).toBe(places)
          const rooms = vs.map((x) => Math.max(0, Math.min(x.cap, 8 - x.month)))
          expect(result.pairs.length).toBe(maxFilled(sizes, rooms))
        }
      )
    )
  })
})
