/**
 * The demo workshop's people and its fortnight, as data: the new members are as realistic as the
 * other demo residents, and the plan the seed plays through the service never breaks the
 * workshop's rules (stock and custody never below zero, scrap within the tolerance but for one
 * lost box, a deduction the worker can afford), tells the story the seed promises (30,000 parts,
 * 25 workers, parts still out at the end), and is the same on every run. The seed itself runs
 * against a store in `packages/store-memory/test/workshop-seed.test.ts`.
 */
import { describe, expect, it } from "vitest"
import { junxinResidents } from "../src/demo/residents.js"
import type { DemoWorkshopStep } from "../src/demo/workshop.js"
import { junxinWorkshopMembers, junxinWorkshopPlan, tangJing } from "../src/demo/workshop.js"

const YEAR = 2026
const plan = junxinWorkshopPlan()
const WORKERS = 25
/** The six workshop members among the demo residents come first, then the new ones: 唐静 is the 12th new. */
const TANG_JING = 6 + junxinWorkshopMembers.indexOf(tangJing)

describe("the workshop's new members", () => {
  it("are 19 made-up residents with fixed ids of their own, no name or phone of another demo resident", () => {
    expect(junxinWorkshopMembers).toHaveLength(19)
    const ids = new Set(junxinWorkshopMembers.map((r) => r.id))
    expect(ids.size).toBe(19)
    for (const r of junxinWorkshopMembers) expect(r.id).toMatch(/^0187d49b-e800-7000-8003-0000000000\d\d$/)
    const others = new Set(junxinResidents.flatMap((r) => [r.id, r.displayName, r.phone ?? ""]))
    for (const r of junxinWorkshopMembers) {
      expect(others.has(r.id), r.displayName).toBe(false)
      expect(others.has(r.displayName), r.displayName).toBe(false)
      expect(others.has(r.phone!), r.displayName).toBe(false)
    }
    expect(new Set(junxinWorkshopMembers.map((r) => r.phone)).size).toBe(19)
  })

  it("are workshop members, mothers of working age or retirees, living in a building of their grid", () => {
    const junxinGrid = (building: string) =>
      /^安置房|^沿街/.test(building)
        ? "JX-04"
        : (() => {
            const n = Number(/^(\d+)幢$/.exec(building)?.[1])
            return n <= 6 ? "JX-01" : n <= 12 ? "JX-02" : "JX-03"
          })()
    for (const r of junxinWorkshopMembers) {
      expect(r.tags, r.displayName).toContain("workshop_member")
      expect(r.phone, r.displayName).toMatch(/^1[3-9]\d{9}$/)
      const age = YEAR - r.birthYear!
      if (r.tags.includes("parent")) expect(age, r.displayName).toBeGreaterThanOrEqual(25)
      if (r.tags.includes("parent")) expect(age, r.displayName).toBeLessThanOrEqual(45)
      if (r.tags.includes("retiree") || r.tags.includes("migrant_elderly"))
        expect(age, r.displayName).toBeGreaterThanOrEqual(60)
      expect(r.grid, r.displayName).toBe(junxinGrid(r.location!.building))
      expect(r.consents.map((c) => c.purpose)).toEqual(["registry", "matching"])
    }
  })
})

/** Plays the plan, checking every step against the rules as the service would. */
const replay = (steps: ReadonlyArray<DemoWorkshopStep>) => {
  let stock = 0
  let acceptedOnHand = 0
  let received = 0
  let delivered = 0
  const held = Array.from({ length: WORKERS }, () => 0)
  const issued = Array.from({ length: WORKERS }, () => 0)
  const scrapped = Array.from({ length: WORKERS }, () => 0)
  const accepted = Array.from({ length: WORKERS }, () => 0)
  /** What each worker earned (fen: 10 a piece accepted, half for a reject), by the time of each step. */
  const earned = Array.from({ length: WORKERS }, () => 0)
  const beyond: Array<{ step: DemoWorkshopStep; worker: number; pieces: number }> = []
  let earnedByTangJingAtConfirm = -1
  for (const step of steps) {
    const { op } = step
    switch (op._tag) {
      case "receive":
        stock += op.quantity
        received += op.quantity
        break
      case "issue":
        expect(op.quantity).toBeGreaterThan(0)
        stock -= op.quantity
        held[op.worker]! += op.quantity
        issued[op.worker]! += op.quantity
        break
      case "return": {
        const back = op.accepted + op.rejected + op.unused + op.scrapped
        expect(back).toBeGreaterThan(0)
        expect(Math.min(op.accepted, op.rejected, op.unused, op.scrapped)).toBeGreaterThanOrEqual(0)
        held[op.worker]! -= back
        stock += op.unused
        acceptedOnHand += op.accepted
        accepted[op.worker]! += op.accepted
        earned[op.worker]! += op.accepted * 10 + Math.floor((op.rejected * 10 * 50) / 100)
        // the tolerance rule: floor(issued × 20 ‰), scrap before counted first
        const tolerance = Math.floor((issued[op.worker]! * 20) / 1000)
        const pieces = Math.max(0, op.scrapped - Math.max(0, tolerance - scrapped[op.worker]!))
        expect(op.scrapBeyond).toBe(pieces)
        if (pieces > 0) beyond.push({ step, worker: op.worker, pieces })
        scrapped[op.worker]! += op.scrapped
        break
      }
      case "deliver":
        acceptedOnHand -= op.quantity
        delivered += op.quantity
        break
      case "confirmLostBoxDeduction":
        earnedByTangJingAtConfirm = earned[TANG_JING]!
        break
      default:
        break
    }
    expect(stock, `stock after ${JSON.stringify(step)}`).toBeGreaterThanOrEqual(0)
    expect(acceptedOnHand).toBeGreaterThanOrEqual(0)
    for (const h of held) expect(h).toBeGreaterThanOrEqual(0)
  }
  return { stock, acceptedOnHand, received, delivered, held, accepted, beyond, earnedByTangJingAtConfirm }
}

describe("the workshop's fortnight", () => {
  it("is the same on every run", () => {
    expect(junxinWorkshopPlan()).toEqual(plan)
  })

  it("runs in order, day 0 to 13, in working hours", () => {
    for (const [i, step] of plan.entries()) {
      expect(step.day).toBeGreaterThanOrEqual(0)
      expect(step.day).toBeLessThan(14)
      expect(step.minutes).toBeGreaterThanOrEqual(7 * 60)
      expect(step.minutes).toBeLessThanOrEqual(19 * 60)
      const previous = plan[i - 1]
      if (previous !== undefined)
        expect(previous.day * 1440 + previous.minutes).toBeLessThanOrEqual(step.day * 1440 + step.minutes)
    }
  })

  it("never takes more than is held, and ends with parts in stock and at workers' homes", () => {
    const end = replay(plan)
    // 15,000 pieces of a two-part kit: the 30,000 parts of the issue
    expect(end.received).toBe(15_000)
    expect(end.stock).toBeGreaterThan(0)
    const out = end.held.reduce((a, b) => a + b, 0)
    expect(out).toBeGreaterThan(0)
    const done = end.accepted.reduce((a, b) => a + b, 0)
    expect(done).toBeGreaterThan(15_000 / 2)
    expect(done).toBeLessThan(15_000)
    expect(end.delivered).toBeGreaterThan(0)
    expect(end.delivered % 500).toBe(0)
    // all 25 worked
    for (const [w, n] of end.accepted.entries()) expect(n, `worker ${w}`).toBeGreaterThan(0)
  })

  it("has one return beyond the scrap tolerance, 唐静's lost box, whose deduction she can afford when confirmed", () => {
    const end = replay(plan)
    expect(end.beyond).toHaveLength(1)
    const [lost] = end.beyond
    expect(lost!.worker).toBe(TANG_JING)
    expect(lost!.pieces).toBe(30)
    const confirm = plan.findIndex((s) => s.op._tag === "confirmLostBoxDeduction")
    expect(confirm).toBeGreaterThan(plan.indexOf(lost!.step))
    // 30 pieces at 20 fen are deducted from what she earned until then
    expect(end.earnedByTangJingAtConfirm).toBeGreaterThanOrEqual(30 * 20)
  })

  it("closes and pays the first week on the eighth day, then invoices what was shipped, paid four days later", () => {
    const index = (tag: DemoWorkshopStep["op"]["_tag"]) => plan.findIndex((s) => s.op._tag === tag)
    const days = (tag: DemoWorkshopStep["op"]["_tag"]) => plan.filter((s) => s.op._tag === tag).map((s) => s.day)
    expect(days("closeFirstWeek")).toEqual([7])
    expect(days("payFirstWeek")).toEqual([7])
    expect(days("invoice")).toEqual([7])
    expect(days("invoicePaid")).toEqual([11])
    expect(days("bonus")).toEqual([6])
    expect(index("closeFirstWeek")).toBeLessThan(index("payFirstWeek"))
    // something was shipped before the invoice, and more after it (the second week is not invoiced)
    const shipped = plan.filter((s) => s.op._tag === "deliver")
    expect(shipped.filter((s) => s.day < 7).length).toBeGreaterThan(0)
    expect(shipped.filter((s) => s.day > 7).length).toBeGreaterThan(0)
  })

  it("signs parts out on site and to take home", () => {
    const places = new Set(plan.flatMap((s) => (s.op._tag === "issue" ? [s.op.place] : [])))
    expect([...places].sort()).toEqual(["home", "onsite"])
    const returns = plan.filter((s) => s.op._tag === "return")
    expect(returns.some((s) => s.op._tag === "return" && s.op.rejected > 0)).toBe(true)
    expect(returns.some((s) => s.op._tag === "return" && s.op.unused > 0)).toBe(true)
    // a few hundred service calls, not thousands
    expect(plan.length).toBeGreaterThan(150)
    expect(plan.length).toBeLessThan(1_000)
  })
})
