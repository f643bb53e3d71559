import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { CommunityId } from "../../src/kernel/Ids.js"
import { DAY } from "../../src/workshop/Custody.js"
import { orderProgress } from "../../src/workshop/Progress.js"
import type { MovementKind, MovementTotal, WorkOrder } from "../../src/workshop/Workshop.js"
import { FactoryId, WorkerId, WorkOrderId, WorkProductId } from "../../src/workshop/Workshop.js"

const o1 = WorkOrderId.make("0190f0b0-0000-7000-8000-000000000001")
const o2 = WorkOrderId.make("0190f0b0-0000-7000-8000-000000000002")
const w1 = WorkerId.make("0190f0b1-0000-7000-8000-000000000001")
const now = Date.UTC(2026, 7, 20, 2)

const order = (quantity: number, deadline: number): WorkOrder => ({
  id: o1,
  communityId: CommunityId.make("0190f0a0-0000-7000-8000-000000000001"),
  factoryId: FactoryId.make("0190f0b3-0000-7000-8000-000000000001"),
  productId: WorkProductId.make("0190f0b4-0000-7000-8000-000000000001"),
  sku: "CLIP-A3",
  title: "文件夹夹子 A3",
  quantity,
  priceFen: 60,
  rates: [{ effectiveFrom: 0, rateFen: 35, setBy: "li", setAt: 0 }],
  deadline,
  quality: {
    rejectPolicy: "unpaid",
    rejectSharePercent: 0,
    rejectChargeFen: 0,
    scrapTolerancePermille: 20,
    scrapChargeFen: 0
  },
  fairPay: {
    rateFen: 35,
    standardSeconds: 45,
    effectiveHourlyFen: 2_800,
    minimumHourlyWageFen: 2_600,
    belowMinimum: false
  },
  lowRateAcknowledgement: null,
  status: "open",
  createdBy: "li",
  createdAt: 0,
  startedAt: 0,
  version: 2
})

const t = (kind: MovementKind, quantity: number, orderId = o1): MovementTotal => ({
  orderId,
  workerId: kind === "receive" || kind === "deliver" || kind === "return_to_factory" ? null : w1,
  kind,
  quantity,
  lastAt: now - 1
})

describe("orderProgress", () => {
  const totals = [
    t("receive", 1_000),
    t("issue", 700),
    t("accept", 620),
    t("reject", 10),
    t("unused", 20),
    t("scrap", 5),
    t("deliver", 300),
    t("accept", 999, o2)
  ]

  it("says how far the order is and whether the pace meets the deadline", () => {
    // 280 accepted in the last 7 days: 40 a day; 380 left: 9.5 days
    expect(orderProgress(order(1_000, now + 10 * DAY), totals, 280, now)).toEqual({
      orderId: o1,
      ordered: 1_000,
      received: 1_000,
      accepted: 620,
      delivered: 300,
      remaining: 380,
      inCustody: 45,
      deadline: now + 10 * DAY,
      pacePerDay: 40,
      projectedFinish: now + 9.5 * DAY,
      onTrack: true,
      percentDone: 62
    })
    const late = orderProgress(order(1_000, now + 9 * DAY), totals, 280, now)
    expect(late.onTrack).toBe(false)
    expect(late.projectedFinish).toBe(now + 9.5 * DAY)
  })

  it("has no projected finish when nothing was accepted lately, and is done when nothing remains", () => {
    const stalled = orderProgress(order(1_000, now + 100 * DAY), totals, 0, now)
    expect(stalled).toMatchObject({ pacePerDay: 0, projectedFinish: null, onTrack: false })
    const done = orderProgress(order(600, now - DAY), totals, 0, now)
    expect(done).toMatchObject({ remaining: 0, projectedFinish: now, onTrack: false, percentDone: 100 })
    expect(orderProgress(order(600, now), totals, 0, now).onTrack).toBe(true)
  })

  it("uses the window it is given", () => {
    const p = orderProgress(order(1_000, now + 10 * DAY), totals, 90, now, 3)
    expect(p.pacePerDay).toBe(30)
    expect(p.projectedFinish).toBe(now + Math.ceil((380 / 30) * DAY))
    expect(orderProgress(order(1_000, now + 10 * DAY), totals, 20, now, 3).pacePerDay).toBe(6.67)
  })

  it("keeps its figures consistent (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: -30, max: 365 }),
        (ordered, accepted, recent, windowDays, deadlineDays) => {
          const p = orderProgress(
            order(ordered, now + deadlineDays * DAY),
            [t("accept", accepted)],
            recent,
            now,
            windowDays
          )
          expect(p.remaining).toBe(Math.max(0, ordered - accepted))
          expect(p.percentDone).toBeGreaterThanOrEqual(0)
          expect(p.percentDone).toBeLessThanOrEqual(100)
          expect(p.percentDone).toBe(Math.min(100, Math.floor((accepted * 100) / ordered)))
          if (p.remaining === 0) expect(p.projectedFinish).toBe(now)
          else if (recent === 0) expect(p.projectedFinish).toBeNull()
          else {
            expect(p.projectedFinish).toBeGreaterThan(now)
            // at the pace, the remaining pieces take (projectedFinish − now) ms, rounded up
            const ms = p.projectedFinish! - now
            expect(ms).toBeGreaterThanOrEqual((p.remaining * windowDays * DAY) / recent)
            expect(ms - 1).toBeLessThan((p.remaining * windowDays * DAY) / recent)
          }
          expect(p.onTrack).toBe(p.projectedFinish !== null && p.projectedFinish <= now + deadlineDays * DAY)
          // more recent work never makes an order less on track
          const faster = orderProgress(
            order(ordered, now + deadlineDays * DAY),
            [t("accept", accepted)],
            recent + 1,
            now,
            windowDays
          )
          if (p.onTrack) expect(faster.onTrack).toBe(true)
        }
      )
    )
  })
})
