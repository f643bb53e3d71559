// Care plans: visits falling due on a schedule, flags for overdue and missed visits, and health
// readings only with the health-data consent.
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import type { CommunityId, ResidentId } from "../../src/index.js"
import type { CarePlan, Visit } from "../../src/mutual-aid/CarePlan.js"
import { CarePlanId, dueWindows, flags, recordVisit } from "../../src/mutual-aid/CarePlan.js"

const SH = 480
const local = (y: number, m: number, d: number, hh = 0, mm = 0) => Date.UTC(y, m - 1, d, hh, mm) - SH * 60_000

/** 周赛群's monthly home health check by the 共享子女 team, on the 31st (the month's last day when shorter), 09:00–11:00. */
const plan = (over: Partial<CarePlan> = {}): CarePlan => ({
  id: CarePlanId.make("0190f0a0-0000-7000-8000-000000000500"),
  communityId: "0190f0a0-0000-7000-8000-000000000001" as CommunityId,
  residentId: "0187d49b-e800-7000-8001-000000000001" as ResidentId,
  title: "每月上门健康检查 / monthly home health check",
  category: "home_health_check",
  description: "测血压、血糖，需要南昌话翻译",
  place: { building: "15幢", unit: "2单元", room: "301" },
  roles: ["medical", "grid_worker", "fellow_townsperson"],
  requiredLanguages: ["gan"],
  recurrence: { _tag: "Monthly", day: 31, start: "09:00", end: "11:00" },
  startsAt: local(2026, 1, 1),
  endsAt: null,
  graceDays: 3,
  healthReadings: true,
  status: "active",
  version: 1,
  ...over
})

describe("care plans", () => {
  it("a monthly visit on the 31st falls on the last day of shorter months, 09:00 Shanghai time", () => {
    const windows = dueWindows(plan(), local(2026, 1, 1), local(2026, 6, 1), SH)
    expect(windows.map((w) => w.start)).toEqual([
      local(2026, 1, 31, 9),
      local(2026, 2, 28, 9),
      local(2026, 3, 31, 9),
      local(2026, 4, 30, 9),
      local(2026, 5, 31, 9)
    ])
    expect(windows[0]!.end - windows[0]!.start).toBe(2 * 3_600_000)
    const leap = dueWindows(plan(), local(2028, 2, 1), local(2028, 3, 1), SH)
    expect(leap.map((w) => w.start)).toEqual([local(2028, 2, 29, 9)])
  })

  it("a fortnightly visit on Wednesdays starts from the plan's first week; paused and ended plans fall due never", () => {
    const fortnightly = plan({
      recurrence: { _tag: "Weekly", weeks: 2, weekday: 3, start: "14:00", end: "15:00" },
      startsAt: local(2026, 10, 5)
    })
    const windows = dueWindows(fortnightly, local(2026, 10, 1), local(2026, 11, 1), SH)
    expect(windows.map((w) => w.start)).toEqual([local(2026, 10, 7, 14), local(2026, 10, 21, 14)])
    expect(dueWindows({ ...fortnightly, status: "paused" }, local(2026, 10, 1), local(2026, 11, 1), SH)).toEqual([])
    expect(dueWindows(plan({ endsAt: local(2026, 3, 1) }), local(2026, 1, 1), local(2026, 6, 1), SH)).toHaveLength(2)
  })

  it("flags a visit without a done record as overdue within the grace days and missed after", () => {
    const done: Visit = {
      planId: plan().id,
      dueStart: local(2026, 1, 31, 9),
      dueEnd: local(2026, 1, 31, 11),
      requestId: null,
      outcome: "done",
      readings: null,
      note: null,
      recordedAt: local(2026, 1, 31, 11)
    }
    const now = local(2026, 4, 2, 12)
    const result = flags(plan(), [done], now, SH)
    expect(result.map((f) => [f.dueStart, f.kind])).toEqual([
      [local(2026, 2, 28, 9), "missed"],
      [local(2026, 3, 31, 9), "overdue"]
    ])
    expect(result[1]!.message).toContain("逾期")
  })

  it("health readings only with the health-data consent, and only for a visit that took place", () => {
    const visit: Visit = {
      planId: plan().id,
      dueStart: 0,
      dueEnd: 1,
      requestId: null,
      outcome: null,
      readings: null,
      note: null,
      recordedAt: null
    }
    const bp = { systolic: 148, diastolic: 92 }
    expect(Result.isSuccess(recordVisit(plan(), visit, "done", bp, "血压偏高，提醒服药", true, 5))).toBe(true)
    const refused = recordVisit(plan(), visit, "done", bp, null, false, 5)
    expect(Result.isFailure(refused) && refused.failure.message).toContain("健康")
    expect(Result.isFailure(recordVisit(plan({ healthReadings: false }), visit, "done", bp, null, true, 5))).toBe(true)
    expect(Result.isFailure(recordVisit(plan(), visit, "not_home", bp, null, true, 5))).toBe(true)
    expect(Result.isSuccess(recordVisit(plan(), visit, "not_home", null, "家中无人", false, 5))).toBe(true)
  })

  it("property: monthly windows fall once per month, on min(day, month length), in order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 2020, max: 2035 }), (day, year) => {
        const p = plan({
          recurrence: { _tag: "Monthly", day, start: "09:00", end: "10:00" },
          startsAt: local(year, 1, 1)
        })
        const windows = dueWindows(p, local(year, 1, 1), local(year + 1, 1, 1), SH)
        expect(windows).toHaveLength(12)
        windows.forEach((w, i) => {
          const d = new Date(w.start + SH * 60_000)
          expect(d.getUTCMonth()).toBe(i)
          const last = new Date(Date.UTC(year, i + 1, 0)).getUTCDate()
          expect(d.getUTCDate()).toBe(Math.min(day, last))
          expect(d.getUTCHours()).toBe(9)
        })
      })
    )
  })
})
