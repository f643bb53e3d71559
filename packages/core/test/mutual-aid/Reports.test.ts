// The coordinator's report: requests by category, fulfilment rate, median time to match,
// services and minutes per volunteer and month, and the load spread.
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import type { CommunityId, ResidentId } from "../../src/index.js"
import type { HelpRequest, Place, VolunteerId } from "../../src/mutual-aid/HelpRequest.js"
import { HelpRequestId } from "../../src/mutual-aid/HelpRequest.js"
import { coordinatorReport, gini, median, monthOf } from "../../src/mutual-aid/Reports.js"

const v = (n: number) => `0190f0a0-0000-7000-8000-0000000008${String(n).padStart(2, "0")}` as VolunteerId
const t0 = Date.UTC(2026, 8, 30, 15, 0, 0) // 2026-09-30 23:00 in Shanghai

const accepted = (volunteer: VolunteerId, since: number): Place => ({
  role: "helper",
  skill: null,
  status: "accepted",
  volunteerId: volunteer,
  declinedBy: [],
  since
})

const req = (n: number, over: Partial<HelpRequest>): HelpRequest => ({
  id: HelpRequestId.make(`0190f0a0-0000-7000-8000-0000000004${String(n).padStart(2, "0")}`),
  communityId: "0190f0a0-0000-7000-8000-000000000001" as CommunityId,
  version: 1,
  status: "open",
  requesterId: "0187d49b-e800-7000-8001-000000000001" as ResidentId,
  recordedBy: { _tag: "Requester" },
  category: "escort",
  description: "x",
  place: { building: "15幢" },
  windows: [{ start: 0, end: 1 }],
  urgency: "normal",
  expiresAt: 1,
  requiredLanguages: [],
  preferSameHomeTown: false,
  preferGender: null,
  places: [{ role: "helper", skill: null, status: "open", volunteerId: null, declinedBy: [], since: null }],
  visibility: "staff",
  services: [],
  closingNote: null,
  createdAt: t0,
  updatedAt: t0,
  ...over
})

describe("coordinator report", () => {
  it("counts by category, rates fulfilment over closed requests, and takes the median time to match", () => {
    const requests = [
      req(1, {
        status: "completed",
        places: [accepted(v(1), t0 + 30 * 60_000)],
        services: [{ volunteerId: v(1), minutes: 90, fromRequester: null, fromVolunteer: null }],
        updatedAt: t0 + 2 * 3_600_000 // 2026-10-01 01:00 in Shanghai
      }),
      req(2, {
        status: "completed",
        category: "smartphone",
        places: [accepted(v(1), t0 + 90 * 60_000)],
        services: [{ volunteerId: v(1), minutes: 45, fromRequester: null, fromVolunteer: null }]
      }),
      req(3, {
        status: "completed",
        places: [accepted(v(2), t0 + 10 * 60_000)],
        services: [{ volunteerId: v(2), minutes: 60, fromRequester: null, fromVolunteer: null }]
      }),
      req(4, { status: "cancelled" }),
      req(5, { status: "open" })
    ]
    const report = coordinatorReport(requests)
    expect(report.byCategory).toEqual([
      { category: "escort", total: 4, completed: 2, cancelled: 1, expired: 0, open: 1 },
      { category: "smartphone", total: 1, completed: 1, cancelled: 0, expired: 0, open: 0 }
    ])
    expect(report.fulfilmentRate).toBe(3 / 4)
    expect(report.medianMinutesToMatch).toBe(30)
    expect(report.perVolunteerMonth).toEqual([
      { volunteerId: v(1), month: "2026-09", services: 1, minutes: 45 },
      { volunteerId: v(2), month: "2026-09", services: 1, minutes: 60 },
      { volunteerId: v(1), month: "2026-10", services: 1, minutes: 90 }
    ])
    expect(report.loadSpread).toMatchObject({ volunteers: 2, min: 1, max: 2, mean: 1.5 })
    expect(report.loadSpread.gini).toBeCloseTo(1 / 6, 10)
    expect(coordinatorReport([]).fulfilmentRate).toBeNull()
  })

  it("months are the community's; the median of an even count is the mean of the middle two", () => {
    expect(monthOf(Date.UTC(2026, 11, 31, 16, 0, 0), 480)).toBe("2027-01")
    expect(monthOf(Date.UTC(2026, 11, 31, 15, 59, 0), 480)).toBe("2026-12")
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNull()
  })

  it("property: Gini is 0 for equal loads and in [0, 1) otherwise; monthOf agrees with the calendar", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 40 }), (xs) => {
        const g = gini(xs)
        expect(g).toBeGreaterThanOrEqual(-1e-12)
        expect(g).toBeLessThan(1)
        if (xs.length > 0 && xs.every((x) => x === xs[0])) expect(g).toBeCloseTo(0, 12)
      })
    )
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const d = new Date(ms + 480 * 60_000)
        expect(monthOf(ms, 480)).toBe(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`)
      })
    )
  })
})
