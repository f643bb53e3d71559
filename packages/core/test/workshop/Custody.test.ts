import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import {
  checkReturn,
  custodyAge,
  custodyLines,
  DAY,
  orderBalance,
  returnParts,
  scrapBeyondTolerance
} from "../../src/workshop/Custody.js"
import type { MovementKind, MovementTotal } from "../../src/workshop/Workshop.js"
import { WorkerId, WorkOrderId } from "../../src/workshop/Workshop.js"

const orderId = (n: number) => WorkOrderId.make(`0190f0b0-0000-7000-8000-${String(n).padStart(12, "0")}`)
const workerId = (n: number) => WorkerId.make(`0190f0b1-0000-7000-8000-${String(n).padStart(12, "0")}`)
const o1 = orderId(1)
const o2 = orderId(2)
const w1 = workerId(1)
const w2 = workerId(2)

const total = (
  order: WorkOrderId,
  worker: WorkerId | null,
  kind: MovementKind,
  quantity: number,
  lastAt = 0
): MovementTotal => ({ orderId: order, workerId: worker, kind, quantity, lastAt })

/** Movements summed by order, worker and kind, as `WorkshopRepo.movementTotals` does. */
const sumUp = (
  movements: ReadonlyArray<{
    order: WorkOrderId
    worker: WorkerId | null
    kind: MovementKind
    quantity: number
    at: number
  }>
): Array<MovementTotal> => {
  const byKey = new Map<string, MovementTotal>()
  for (const m of movements) {
    const key = `${m.order}/${m.worker ?? ""}/${m.kind}`
    const t = byKey.get(key)
    byKey.set(
      key,
      t === undefined
        ? total(m.order, m.worker, m.kind, m.quantity, m.at)
        : { ...t, quantity: t.quantity + m.quantity, lastAt: Math.max(t.lastAt, m.at) }
    )
  }
  return [...byKey.values()]
}

describe("custodyLines", () => {
  it("sums issues and returns per order and worker, sorted, leaving non-custody movements out", () => {
    const lines = custodyLines([
      total(o2, w1, "issue", 10),
      total(o1, w2, "issue", 100),
      total(o1, w2, "accept", 80),
      total(o1, w2, "scrap", 2),
      total(o1, w2, "reject", 3),
      total(o1, w2, "unused", 5),
      total(o1, null, "receive", 500),
      total(o1, null, "deliver", 60),
      total(o1, w1, "issue", 7),
      total(o1, w1, "issue", 3)
    ])
    expect(lines).toEqual([
      { orderId: o1, workerId: w1, issued: 10, accepted: 0, rejected: 0, unused: 0, scrapped: 0, held: 10 },
      { orderId: o1, workerId: w2, issued: 100, accepted: 80, rejected: 3, unused: 5, scrapped: 2, held: 10 },
      { orderId: o2, workerId: w1, issued: 10, accepted: 0, rejected: 0, unused: 0, scrapped: 0, held: 10 }
    ])
    expect(custodyLines([])).toEqual([])
  })
})

describe("orderBalance", () => {
  it("says where an order's pieces are", () => {
    const balance = orderBalance(o1, [
      total(o1, null, "receive", 500),
      total(o1, w1, "issue", 100),
      total(o1, w1, "accept", 90),
      total(o1, w1, "unused", 4),
      total(o1, null, "deliver", 60),
      total(o1, null, "return_to_factory", 50),
      total(o2, null, "receive", 1_000)
    ])
    expect(balance).toEqual({
      orderId: o1,
      received: 500,
      stock: 354,
      inCustody: 6,
      accepted: 30,
      rejected: 0,
      scrapped: 0,
      delivered: 60,
      returnedToFactory: 50
    })
  })
})

describe("returnParts", () => {
  it("lists the positive counts in the order accept, reject, unused, scrap", () => {
    expect(Result.getOrThrow(returnParts({ scrapped: 1, accepted: 40 }))).toEqual([
      { kind: "accept", quantity: 40 },
      { kind: "scrap", quantity: 1 }
    ])
    expect(Result.getOrThrow(returnParts({ accepted: 0, rejected: 2, unused: 3, scrapped: 0 }))).toEqual([
      { kind: "reject", quantity: 2 },
      { kind: "unused", quantity: 3 }
    ])
  })

  it("refuses a return of nothing, and negative or fractional counts", () => {
    for (const counts of [{}, { accepted: 0, rejected: 0, unused: 0, scrapped: 0 }]) {
      const r = returnParts(counts)
      expect(Result.isFailure(r)).toBe(true)
      if (Result.isFailure(r)) {
        expect(r.failure._tag).toBe("InvalidInput")
        expect(r.failure.message).toMatch(/at least one piece/u)
        expect(r.failure.message).toMatch(/至少/u)
      }
    }
    const negative = returnParts({ accepted: 5, unused: -1 })
    expect(Result.isFailure(negative) && negative.failure.field).toBe("unused")
    const fraction = returnParts({ rejected: 1.5 })
    expect(Result.isFailure(fraction) && fraction.failure.field).toBe("rejected")
  })
})

describe("checkReturn", () => {
  it("refuses returning more than held, saying how many are held, in both languages", () => {
    const r = checkReturn(12, 15, "CLIP-A3")
    expect(Result.isFailure(r)).toBe(true)
    if (Result.isFailure(r)) {
      expect(r.failure._tag).toBe("InsufficientFunds")
      expect(r.failure.message).toBe(
        "worker holds 12 pieces of CLIP-A3 on this order; cannot return 15 / 该工人此工单只持有 12 件，不能交回 15 件"
      )
    }
    expect(Result.isSuccess(checkReturn(12, 12, "CLIP-A3"))).toBe(true)
    expect(Result.isSuccess(checkReturn(12, 1, "CLIP-A3"))).toBe(true)
    const one = checkReturn(1, 2, "X")
    expect(Result.isFailure(one) && one.failure.message).toMatch(/^worker holds 1 piece of X/u)
  })
})

// ---------------------------------------------------------------------------------------------
// property (1): random issues and returns keep both identities

type Op =
  | { readonly op: "receive"; readonly order: number; readonly quantity: number }
  | { readonly op: "issue"; readonly order: number; readonly worker: number; readonly quantity: number }
  | {
      readonly op: "return"
      readonly order: number
      readonly worker: number
      readonly accepted: number
      readonly rejected: number
      readonly unused: number
      readonly scrapped: number
    }
  | { readonly op: "deliver" | "return_to_factory"; readonly order: number; readonly quantity: number }

const small = fc.integer({ min: 0, max: 20 })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("receive" as const), order: fc.nat(1), quantity: fc.integer({ min: 1, max: 60 }) }),
  fc.record({
    op: fc.constant("issue" as const),
    order: fc.nat(1),
    worker: fc.nat(2),
    quantity: fc.integer({ min: 1, max: 30 })
  }),
  fc.record({
    op: fc.constant("return" as const),
    order: fc.nat(1),
    worker: fc.nat(2),
    accepted: small,
    rejected: fc.integer({ min: 0, max: 5 }),
    unused: fc.integer({ min: 0, max: 8 }),
    scrapped: fc.integer({ min: 0, max: 3 })
  }),
  fc.record({
    op: fc.constantFrom("deliver" as const, "return_to_factory" as const),
    order: fc.nat(1),
    quantity: fc.integer({ min: 1, max: 40 })
  })
)

describe("custody identities (property)", () => {
  it("issued = accepted + rejected + unused + scrapped + held, held ≥ 0, and received = stock + custody + … always", () => {
    let refusals = 0
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const movements: Array<{
          order: WorkOrderId
          worker: WorkerId | null
          kind: MovementKind
          quantity: number
          at: number
        }> = []
        // the model: what the service and the ledger keep
        const stock = [0, 0]
        const accepted = [0, 0]
        const held = new Map<string, number>()
        const heldOf = (o: number, w: number) => held.get(`${o}/${w}`) ?? 0
        ops.forEach((op, at) => {
          const order = orderId(op.order + 1)
          switch (op.op) {
            case "receive":
              stock[op.order]! += op.quantity
              movements.push({ order, worker: null, kind: "receive", quantity: op.quantity, at })
              break
            case "issue":
              if (stock[op.order]! < op.quantity) return
              stock[op.order]! -= op.quantity
              held.set(`${op.order}/${op.worker}`, heldOf(op.order, op.worker) + op.quantity)
              movements.push({ order, worker: workerId(op.worker + 1), kind: "issue", quantity: op.quantity, at })
              break
            case "return": {
              const parts = returnParts(op)
              const requested = op.accepted + op.rejected + op.unused + op.scrapped
              if (requested === 0) {
                expect(Result.isFailure(parts)).toBe(true)
                return
              }
              const check = checkReturn(heldOf(op.order, op.worker), requested, "CLIP-A3")
              if (requested > heldOf(op.order, op.worker)) {
                expect(Result.isFailure(check)).toBe(true)
                refusals += 1
                return
              }
              expect(Result.isSuccess(check)).toBe(true)
              const list = Result.getOrThrow(parts)
              expect(list.reduce((s, p) => s + p.quantity, 0)).toBe(requested)
              for (const p of list) {
                movements.push({ order, worker: workerId(op.worker + 1), kind: p.kind, quantity: p.quantity, at })
                if (p.kind === "unused") stock[op.order]! += p.quantity
                if (p.kind === "accept") accepted[op.order]! += p.quantity
              }
              held.set(`${op.order}/${op.worker}`, heldOf(op.order, op.worker) - requested)
              break
            }
            case "deliver":
              if (accepted[op.order]! < op.quantity) return
              accepted[op.order]! -= op.quantity
              movements.push({ order, worker: null, kind: "deliver", quantity: op.quantity, at })
              break
            case "return_to_factory":
              if (stock[op.order]! < op.quantity) return
              stock[op.order]! -= op.quantity
              movements.push({ order, worker: null, kind: "return_to_factory", quantity: op.quantity, at })
              break
          }
        })
        const totals = sumUp(movements)
        const lines = custodyLines(totals)
        for (const line of lines) {
          expect(line.issued).toBe(line.accepted + line.rejected + line.unused + line.scrapped + line.held)
          expect(line.held).toBeGreaterThanOrEqual(0)
          const o = Number(line.orderId.slice(-12)) - 1
          const w = Number(line.workerId.slice(-12)) - 1
          expect(line.held).toBe(heldOf(o, w))
        }
        // every worker who holds pieces has a line
        for (const [key, n] of held)
          if (n > 0)
            expect(
              lines.some((l) => `${Number(l.orderId.slice(-12)) - 1}/${Number(l.workerId.slice(-12)) - 1}` === key)
            ).toBe(true)
        // sorted by order, then worker
        const keys = lines.map((l) => `${l.orderId}/${l.workerId}`)
        expect(keys).toEqual([...keys].sort())
        for (const o of [0, 1]) {
          const b = orderBalance(orderId(o + 1), totals)
          expect(b.received).toBe(
            b.stock + b.inCustody + b.accepted + b.rejected + b.scrapped + b.delivered + b.returnedToFactory
          )
          expect(b.stock).toBe(stock[o])
          expect(b.accepted).toBe(accepted[o])
          expect(b.inCustody).toBe(lines.filter((l) => l.orderId === orderId(o + 1)).reduce((s, l) => s + l.held, 0))
          for (const v of [
            b.stock,
            b.inCustody,
            b.accepted,
            b.rejected,
            b.scrapped,
            b.delivered,
            b.returnedToFactory
          ]) {
            expect(v).toBeGreaterThanOrEqual(0)
          }
        }
      }),
      { numRuns: 300 }
    )
    // the runs did try returning more than held, and were refused
    expect(refusals).toBeGreaterThan(0)
  })
})

// ---------------------------------------------------------------------------------------------
// scrap tolerance

describe("scrapBeyondTolerance", () => {
  it("counts the scrap beyond the tolerance, used up by earlier scrap first", () => {
    expect(scrapBeyondTolerance(500, 0, 14, 20)).toBe(4)
    expect(scrapBeyondTolerance(500, 8, 5, 20)).toBe(3)
    expect(scrapBeyondTolerance(500, 12, 1, 20)).toBe(1)
    expect(scrapBeyondTolerance(500, 0, 10, 20)).toBe(0)
    expect(scrapBeyondTolerance(49, 0, 1, 20)).toBe(1) // floor(0.98) = 0 tolerated
    expect(scrapBeyondTolerance(100, 0, 0, 0)).toBe(0)
    expect(scrapBeyondTolerance(100, 0, 3, 1000)).toBe(0)
  })

  it("never exceeds the scrap now, is 0 within the tolerance, and splits additively (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        (issued, permille, before, now, more) => {
          const tolerance = Math.floor((issued * permille) / 1000)
          const beyond = scrapBeyondTolerance(issued, before, now, permille)
          expect(beyond).toBeGreaterThanOrEqual(0)
          expect(beyond).toBeLessThanOrEqual(now)
          if (before + now <= tolerance) expect(beyond).toBe(0)
          expect(beyond).toBe(Math.max(0, before + now - tolerance) - Math.max(0, before - tolerance))
          // scrapping `now` then `more` charges what scrapping both at once does
          const split = beyond + scrapBeyondTolerance(issued, before + now, more, permille)
          expect(split).toBe(scrapBeyondTolerance(issued, before, now + more, permille))
        }
      )
    )
  })
})

// ---------------------------------------------------------------------------------------------
// custody age

describe("custodyAge", () => {
  it("uses returns against the oldest issues first", () => {
    const issues = [
      { quantity: 50, occurredAt: 2 * DAY },
      { quantity: 50, occurredAt: 0 }
    ]
    expect(custodyAge(issues, 0, 5 * DAY + 1)).toEqual({ held: 100, oldestAt: 0, days: 5 })
    expect(custodyAge(issues, 49, 5 * DAY)).toEqual({ held: 51, oldestAt: 0, days: 5 })
    expect(custodyAge(issues, 60, 5 * DAY)).toEqual({ held: 40, oldestAt: 2 * DAY, days: 3 })
    expect(custodyAge(issues, 100, 5 * DAY)).toEqual({ held: 0, oldestAt: null, days: 0 })
    expect(custodyAge([], 0, 5 * DAY)).toEqual({ held: 0, oldestAt: null, days: 0 })
    expect(custodyAge([{ quantity: 1, occurredAt: 10 * DAY }], 0, 5 * DAY).days).toBe(0)
  })

  it("held = Σ issues − returned, and oldestAt is the first issue not fully used up (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ quantity: fc.integer({ min: 1, max: 50 }), occurredAt: fc.integer({ min: 0, max: 30 * DAY }) }),
          {
            maxLength: 20
          }
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 40 * DAY }),
        (issues, share, later) => {
          const sum = issues.reduce((s, i) => s + i.quantity, 0)
          const returned = Math.floor(sum * share)
          const now = 30 * DAY + later
          const age = custodyAge(issues, returned, now)
          expect(age.held).toBe(sum - returned)
          // the reference: walk the issues oldest first, accumulating
          const fifo = [...issues].sort((a, b) => a.occurredAt - b.occurredAt)
          let cumulative = 0
          let expected: number | null = null
          for (const issue of fifo) {
            cumulative += issue.quantity
            if (cumulative > returned) {
              expected = issue.occurredAt
              break
            }
          }
          expect(age.oldestAt).toBe(expected)
          expect(age.oldestAt === null).toBe(age.held === 0)
          expect(age.days).toBe(expected === null ? 0 : Math.floor((now - expected) / DAY))
          // every issue before the oldest one held is fully returned
          if (expected !== null) {
            const before = fifo.filter((i) => i.occurredAt < expected!).reduce((s, i) => s + i.quantity, 0)
            expect(before).toBeLessThanOrEqual(returned)
          }
        }
      )
    )
  })
})
