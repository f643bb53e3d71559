// A help request's lifecycle: places offered, accepted and declined, the 共享子女 team's roles held
// by different people, start, completion with minutes, feedback, cancellation and expiry.
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import type { CommunityId, ResidentId } from "../../src/index.js"
import type { HelpRequest, Place, VolunteerId } from "../../src/mutual-aid/HelpRequest.js"
import { HelpRequestId } from "../../src/mutual-aid/HelpRequest.js"
import * as Rules from "../../src/mutual-aid/RequestRules.js"

const junxin = "0190f0a0-0000-7000-8000-000000000001" as CommunityId
const zhou = "0187d49b-e800-7000-8001-000000000001" as ResidentId
const volunteer = (n: number) => `0190f0a0-0000-7000-8000-0000000009${String(n).padStart(2, "0")}` as VolunteerId
const t0 = Date.UTC(2026, 9, 1, 1, 0, 0)

const place = (role: string, skill: string | null = null): Place => ({
  role,
  skill,
  status: "open",
  volunteerId: null,
  declinedBy: [],
  since: null
})

/** The monthly home health check of 周赛群: medical ×1 + grid worker ×1 + fellow-townsperson ×1. */
const healthCheck = (over: Partial<HelpRequest> = {}): HelpRequest => ({
  id: HelpRequestId.make("0190f0a0-0000-7000-8000-000000000400"),
  communityId: junxin,
  version: 1,
  status: "open",
  requesterId: zhou,
  recordedBy: { _tag: "Staff", subject: "social-worker-li", evidence: "签字回执照片 2026-10-01" },
  category: "home_health_check",
  description: "每月上门测血压，需要南昌话翻译",
  place: { building: "15幢", unit: "2单元", room: "301" },
  windows: [{ start: t0, end: t0 + 2 * 3_600_000 }],
  urgency: "normal",
  expiresAt: t0 + 7 * 86_400_000,
  requiredLanguages: ["gan"],
  preferSameHomeTown: true,
  preferGender: null,
  places: [place("medical", "health_check"), place("grid_worker"), place("fellow_townsperson", "translation")],
  visibility: "offered",
  services: [],
  closingNote: null,
  createdAt: t0,
  updatedAt: t0,
  ...over
})

const ok = <A, E>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) throw new Error(`expected success, got ${JSON.stringify(r.failure)}`)
  return r.success
}
const err = <A, E>(r: Result.Result<A, E>): E => {
  if (Result.isSuccess(r)) throw new Error("expected a failure")
  return r.failure
}

/** Offers place i to volunteer i+1 and accepts it, for every place. */
const allAccepted = () => {
  let r = healthCheck()
  for (let i = 0; i < r.places.length; i++) {
    r = ok(Rules.propose(r, i, volunteer(i + 1), t0))
    r = ok(Rules.accept(r, i, volunteer(i + 1), t0))
  }
  return r
}

describe("places", () => {
  it("a request is open until every place is offered, proposed until every place is accepted, then accepted", () => {
    let r = healthCheck()
    r = ok(Rules.propose(r, 0, volunteer(1), t0))
    expect(r.status).toBe("open")
    r = ok(Rules.propose(r, 1, volunteer(2), t0))
    r = ok(Rules.propose(r, 2, volunteer(3), t0))
    expect(r.status).toBe("proposed")
    r = ok(Rules.accept(r, 0, volunteer(1), t0))
    r = ok(Rules.accept(r, 1, volunteer(2), t0))
    expect(r.status).toBe("proposed")
    r = ok(Rules.accept(r, 2, volunteer(3), t0))
    expect(r.status).toBe("accepted")
    expect(r.version).toBe(7)
  })

  it("one volunteer never holds two places of one request", () => {
    const r = ok(Rules.propose(healthCheck(), 0, volunteer(1), t0))
    const e = err(Rules.propose(r, 2, volunteer(1), t0))
    expect(e._tag).toBe("InvalidTransition")
    expect(e.message).toContain("两个岗位")
  })

  it("only the volunteer offered a place accepts it; a taken place is not accepted again", () => {
    const r = ok(Rules.propose(healthCheck(), 0, volunteer(1), t0))
    expect(err(Rules.accept(r, 0, volunteer(2), t0))._tag).toBe("Forbidden")
    const accepted = ok(Rules.accept(r, 0, volunteer(1), t0))
    expect(err(Rules.accept(accepted, 0, volunteer(1), t0)).message).toContain("已被接受")
    expect(err(Rules.accept(healthCheck(), 1, volunteer(1), t0)).message).toContain("尚未派给")
    expect(err(Rules.accept(healthCheck(), 9, volunteer(1), t0))._tag).toBe("InvalidInput")
  })

  it("a declined place is open again and never offered to the same volunteer", () => {
    const offered = ok(Rules.propose(healthCheck(), 2, volunteer(3), t0))
    const declined = ok(Rules.decline(offered, 2, volunteer(3), t0))
    expect(declined.places[2]).toMatchObject({ status: "open", volunteerId: null, declinedBy: [volunteer(3)] })
    expect(err(Rules.propose(declined, 2, volunteer(3), t0)).message).toContain("婉拒")
    expect(Result.isSuccess(Rules.propose(declined, 2, volunteer(4), t0))).toBe(true)
    expect(err(Rules.decline(offered, 2, volunteer(9), t0))._tag).toBe("Forbidden")
  })
})

describe("start, completion and feedback", () => {
  it("starts only with every place accepted, and completes with each volunteer's minutes", () => {
    expect(err(Rules.start(healthCheck(), t0))._tag).toBe("InvalidTransition")
    const started = ok(Rules.start(allAccepted(), t0))
    expect(started.status).toBe("in_progress")
    const missing = err(
      Rules.complete(
        started,
        [
          { volunteerId: volunteer(1), minutes: 60 },
          { volunteerId: volunteer(2), minutes: 45 }
        ],
        t0
      )
    )
    expect(missing._tag).toBe("InvalidInput")
    const minutes = [
      { volunteerId: volunteer(1), minutes: 60 },
      { volunteerId: volunteer(2), minutes: 45 },
      { volunteerId: volunteer(3), minutes: 90 }
    ]
    expect(
      err(Rules.complete(started, [...minutes.slice(0, 2), { volunteerId: volunteer(3), minutes: 0 }], t0))._tag
    ).toBe("InvalidInput")
    const done = ok(Rules.complete(started, minutes, t0))
    expect(done.status).toBe("completed")
    expect(done.services.map((s) => [s.volunteerId, s.minutes])).toEqual(minutes.map((m) => [m.volunteerId, m.minutes]))
    const rated = ok(
      Rules.feedback(done, volunteer(3), "requester", { rating: 5, comment: "老乡说话听得懂", at: t0 }, t0)
    )
    expect(rated.services[2]?.fromRequester?.rating).toBe(5)
    expect(err(Rules.feedback(rated, volunteer(3), "requester", { rating: 1, comment: "x", at: t0 }, t0))._tag).toBe(
      "InvalidTransition"
    )
    expect(
      Result.isSuccess(Rules.feedback(rated, volunteer(3), "volunteer", { rating: 5, comment: "顺利", at: t0 }, t0))
    ).toBe(true)
    expect(err(Rules.feedback(rated, volunteer(9), "volunteer", { rating: 5, comment: "", at: t0 }, t0))._tag).toBe(
      "InvalidInput"
    )
    expect(err(Rules.cancel(done, "x", t0))._tag).toBe("InvalidTransition")
  })

  it("expires at its expiry only while nobody holds every place; cancels until completed", () => {
    const r = healthCheck()
    expect(err(Rules.expire(r, r.expiresAt - 1)).message).toContain("尚未到期")
    expect(ok(Rules.expire(r, r.expiresAt)).status).toBe("expired")
    expect(err(Rules.expire(allAccepted(), r.expiresAt))._tag).toBe("InvalidTransition")
    const cancelled = ok(Rules.cancel(ok(Rules.start(allAccepted(), t0)), "老人住院", t0))
    expect([cancelled.status, cancelled.closingNote]).toEqual(["cancelled", "老人住院"])
    expect(err(Rules.propose(cancelled, 0, volunteer(1), t0))._tag).toBe("InvalidTransition")
  })
})

describe("property", () => {
  const move = fc.record({
    kind: fc.constantFrom("propose", "accept", "decline", "start", "cancel", "expire"),
    place: fc.integer({ min: 0, max: 3 }),
    volunteer: fc.integer({ min: 1, max: 4 })
  })

  it("any sequence of moves keeps the rules: one place per volunteer, status from places, one version per change, declined never re-offered", () => {
    fc.assert(
      fc.property(fc.array(move, { maxLength: 30 }), (moves) => {
        let r = healthCheck()
        const declined = new Set<string>()
        for (const m of moves) {
          const v = volunteer(m.volunteer)
          const result =
            m.kind === "propose"
              ? Rules.propose(r, m.place, v, t0)
              : m.kind === "accept"
                ? Rules.accept(r, m.place, v, t0)
                : m.kind === "decline"
                  ? Rules.decline(r, m.place, v, t0)
                  : m.kind === "start"
                    ? Rules.start(r, t0)
                    : m.kind === "cancel"
                      ? Rules.cancel(r, "x", t0)
                      : Rules.expire(r, r.expiresAt)
          if (Result.isFailure(result)) continue
          const next = result.success
          expect(next.version).toBe(r.version + 1)
          if (m.kind === "decline") declined.add(`${m.place}:${v}`)
          if (m.kind === "propose") expect(declined.has(`${m.place}:${v}`)).toBe(false)
          r = next
          const holders = r.places.flatMap((p) => (p.volunteerId === null ? [] : [p.volunteerId]))
          expect(new Set(holders).size).toBe(holders.length)
          for (const p of r.places) expect(p.status === "open").toBe(p.volunteerId === null)
          if (r.status === "open" || r.status === "proposed" || r.status === "accepted") {
            expect(r.status).toBe(Rules.statusOf(r.places))
          }
        }
      })
    )
  })
})
