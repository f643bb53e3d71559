import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { CommunityId } from "../../src/kernel/Ids.js"
import { TransferId } from "../../src/ledger/Ledger.js"
import { derivedPayLineId, linesForReturn, payslipTotals } from "../../src/workshop/PayRules.js"
import type { PayLineKind, QualityRules, RateEntry, WorkOrder } from "../../src/workshop/Workshop.js"
import { FactoryId, PayLineId, WorkerId, WorkOrderId, WorkProductId } from "../../src/workshop/Workshop.js"
import type { PayLineTotal } from "../../src/workshop/WorkshopRepo.js"

const junxin = CommunityId.make("0190f0a0-0000-7000-8000-000000000001")
const orderId = (n: number) => WorkOrderId.make(`0190f0b0-0000-7000-8000-${String(n).padStart(12, "0")}`)
const workerId = (n: number) => WorkerId.make(`0190f0b1-0000-7000-8000-${String(n).padStart(12, "0")}`)
const movement = (n: number) => TransferId.make(`0190f0b2-0000-7000-8000-${String(n).padStart(12, "0")}`)
const w1 = workerId(1)

const HOUR = 3_600_000
const t0 = Date.UTC(2026, 7, 3, 2) // 2026-08-03 10:00 in Shanghai

const quality = (patch: Partial<QualityRules> = {}): QualityRules => ({
  rejectPolicy: "unpaid",
  rejectSharePercent: 0,
  rejectChargeFen: 0,
  scrapTolerancePermille: 20,
  scrapChargeFen: 0,
  ...patch
})

const rate = (effectiveFrom: number, rateFen: number): RateEntry => ({
  effectiveFrom,
  rateFen,
  setBy: "li",
  setAt: effectiveFrom
})

const order = (q: Partial<QualityRules> = {}, rates: ReadonlyArray<RateEntry> = [rate(t0, 35)]): WorkOrder => ({
  id: orderId(1),
  communityId: junxin,
  factoryId: FactoryId.make("0190f0b3-0000-7000-8000-000000000001"),
  productId: WorkProductId.make("0190f0b4-0000-7000-8000-000000000001"),
  sku: "CLIP-A3",
  title: "文件夹夹子 A3",
  quantity: 1_000,
  priceFen: 60,
  rates,
  deadline: t0 + 30 * 24 * HOUR,
  quality: quality(q),
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
  createdAt: t0,
  startedAt: t0,
  version: 2
})

const ids = { accept: movement(1), reject: movement(2), scrap: movement(3) }
const base = {
  workerId: w1,
  movementIds: ids,
  at: t0 + HOUR,
  recordedBy: "li",
  lineId: derivedPayLineId
}

describe("derivedPayLineId", () => {
  it("derives the same valid PayLineId from the same seed, and different ones from different seeds", () => {
    const a = derivedPayLineId("x/earning")
    expect(PayLineId.make(a)).toBe(a) // passes the schema (UUIDv7 shape)
    expect(derivedPayLineId("x/earning")).toBe(a)
    expect(derivedPayLineId("x/reject_pay")).not.toBe(a)
  })
})

describe("linesForReturn", () => {
  it("earns the rate in force for accepted pieces, confirmed and unposted", () => {
    const rates = [rate(t0, 35), rate(t0 + 2 * HOUR, 40)]
    const before = linesForReturn({ ...base, order: order({}, rates), accepted: 40, rejected: 0, scrapBeyond: 0 })
    expect(before).toEqual([
      {
        id: derivedPayLineId(`${ids.accept}/earning`),
        communityId: junxin,
        workerId: w1,
        orderId: orderId(1),
        kind: "earning",
        status: "confirmed",
        quantity: 40,
        rateFen: 35,
        amountFen: 1_400,
        movementId: ids.accept,
        transferId: null,
        periodId: null,
        note: "40 accepted at ¥0.35 / 合格 40 件，每件 ¥0.35",
        occurredAt: t0 + HOUR,
        recordedBy: "li",
        version: 1
      }
    ])
    const after = linesForReturn({
      ...base,
      at: t0 + 2 * HOUR,
      order: order({}, rates),
      accepted: 40,
      rejected: 0,
      scrapBeyond: 0
    })
    expect(after[0]).toMatchObject({ rateFen: 40, amountFen: 1_600 })
  })

  it("pays rejects by the order's policy", () => {
    const pieces = { accepted: 0, rejected: 3, scrapBeyond: 0 }
    expect(linesForReturn({ ...base, ...pieces, order: order({ rejectPolicy: "unpaid" }) })).toEqual([])
    expect(linesForReturn({ ...base, ...pieces, order: order({ rejectPolicy: "paid" }) })).toMatchObject([
      { kind: "reject_pay", status: "confirmed", quantity: 3, rateFen: 35, amountFen: 105, movementId: ids.reject }
    ])
    // floor(3 × 35 × 50 / 100) = floor(52.5) = 52
    const partly = linesForReturn({
      ...base,
      ...pieces,
      order: order({ rejectPolicy: "partly_paid", rejectSharePercent: 50 })
    })
    expect(partly).toMatchObject([{ kind: "reject_pay", status: "confirmed", amountFen: 52 }])
    expect(partly[0]!.id).toBe(derivedPayLineId(`${ids.reject}/reject_pay`))
    // a share that rounds to nothing makes no line
    expect(
      linesForReturn({
        ...base,
        ...pieces,
        rejected: 1,
        order: order({ rejectPolicy: "partly_paid", rejectSharePercent: 2 })
      })
    ).toEqual([])
    const charged = linesForReturn({
      ...base,
      ...pieces,
      order: order({ rejectPolicy: "charged", rejectChargeFen: 20 })
    })
    expect(charged).toMatchObject([
      { kind: "deduction", status: "proposed", quantity: 3, rateFen: 20, amountFen: -60, movementId: ids.reject }
    ])
    expect(charged[0]!.id).toBe(derivedPayLineId(`${ids.reject}/deduction`))
    expect(
      linesForReturn({ ...base, ...pieces, order: order({ rejectPolicy: "charged", rejectChargeFen: 0 }) })
    ).toEqual([])
  })

  it("proposes a deduction for scrap beyond the tolerance only when scrap is charged", () => {
    expect(
      linesForReturn({ ...base, order: order({ scrapChargeFen: 0 }), accepted: 0, rejected: 0, scrapBeyond: 4 })
    ).toEqual([])
    const lines = linesForReturn({
      ...base,
      order: order({ scrapChargeFen: 50 }),
      accepted: 0,
      rejected: 0,
      scrapBeyond: 4
    })
    expect(lines).toMatchObject([
      { kind: "deduction", status: "proposed", quantity: 4, rateFen: 50, amountFen: -200, movementId: ids.scrap }
    ])
    expect(lines[0]!.note).toMatch(/超出损耗限额/u)
    expect(lines[0]!.note).toMatch(/beyond tolerance/u)
  })

  it("makes every line of a mixed return, in order, with distinct ids", () => {
    const lines = linesForReturn({
      ...base,
      order: order({ rejectPolicy: "charged", rejectChargeFen: 10, scrapChargeFen: 30 }),
      accepted: 40,
      rejected: 2,
      scrapBeyond: 1
    })
    expect(lines.map((l) => [l.kind, l.status, l.amountFen])).toEqual([
      ["earning", "confirmed", 1_400],
      ["deduction", "proposed", -20],
      ["deduction", "proposed", -30]
    ])
    expect(new Set(lines.map((l) => l.id)).size).toBe(3)
    for (const l of lines) expect([...l.note].length).toBeLessThanOrEqual(140)
  })

  it("refuses to make a line without its movement", () => {
    expect(() =>
      linesForReturn({ ...base, movementIds: {}, order: order(), accepted: 1, rejected: 0, scrapBeyond: 0 })
    ).toThrow(RangeError)
  })

  it("keeps notes on one line of at most 140 characters even for large figures (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom("unpaid", "paid", "partly_paid", "charged"),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (accepted, rejected, scrapBeyond, rejectPolicy, rejectSharePercent, rateFen, chargeFen) => {
          const lines = linesForReturn({
            ...base,
            order: order({ rejectPolicy, rejectSharePercent, rejectChargeFen: chargeFen, scrapChargeFen: chargeFen }, [
              rate(t0, rateFen)
            ]),
            accepted,
            rejected,
            scrapBeyond
          })
          for (const l of lines) {
            expect([...l.note].length).toBeLessThanOrEqual(140)
            expect(l.note).not.toMatch(/[\r\n]/u)
            expect(Number.isSafeInteger(l.amountFen)).toBe(true)
            expect(l.quantity! * l.rateFen!).toBeGreaterThanOrEqual(Math.abs(l.amountFen))
            if (l.status === "proposed") expect(l.amountFen).toBeLessThan(0)
            else expect(l.amountFen).toBeGreaterThanOrEqual(0)
          }
          const earned = lines.filter((l) => l.kind === "earning").reduce((s, l) => s + l.amountFen, 0)
          expect(earned).toBe(accepted * rateFen)
        }
      )
    )
  })
})

// ---------------------------------------------------------------------------------------------
// payslip totals

const kinds: ReadonlyArray<PayLineKind> = ["earning", "reject_pay", "bonus", "deduction"]

const totalArb: fc.Arbitrary<PayLineTotal> = fc
  .record({
    worker: fc.integer({ min: 1, max: 4 }),
    order: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    kind: fc.constantFrom(...kinds),
    amount: fc.integer({ min: 0, max: 1_000_000 }),
    quantity: fc.integer({ min: 0, max: 5_000 }),
    lines: fc.integer({ min: 1, max: 30 })
  })
  .map(({ amount, kind, lines, order: o, quantity, worker }) => ({
    workerId: workerId(worker),
    orderId: o === null ? null : orderId(o),
    kind,
    amountFen: kind === "deduction" ? 0 - amount : amount,
    quantity,
    lines
  }))

describe("payslipTotals", () => {
  it("adds up a worker's lines by kind", () => {
    const seconds = new Map<string, number>([[orderId(1), 45]])
    const slips = payslipTotals(
      [
        { workerId: workerId(2), orderId: orderId(1), kind: "earning", amountFen: 700, quantity: 20, lines: 1 },
        { workerId: w1, orderId: orderId(1), kind: "earning", amountFen: 1_400, quantity: 40, lines: 2 },
        { workerId: w1, orderId: orderId(1), kind: "reject_pay", amountFen: 52, quantity: 3, lines: 1 },
        { workerId: w1, orderId: null, kind: "bonus", amountFen: 500, quantity: 0, lines: 1 },
        { workerId: w1, orderId: orderId(1), kind: "deduction", amountFen: -200, quantity: 4, lines: 1 }
      ],
      seconds
    )
    expect(slips).toEqual([
      {
        workerId: w1,
        earnedFen: 1_452,
        bonusFen: 500,
        deductedFen: 200,
        netFen: 1_752,
        pieces: 40,
        standardHours: 0.5, // 40 × 45 s
        transferId: null
      },
      {
        workerId: workerId(2),
        earnedFen: 700,
        bonusFen: 0,
        deductedFen: 0,
        netFen: 700,
        pieces: 20,
        standardHours: 0.25,
        transferId: null
      }
    ])
    // two decimals, rounded: 7 × 45 s = 315 s = 0.0875 h → 0.09
    expect(
      payslipTotals(
        [{ workerId: w1, orderId: orderId(1), kind: "earning", amountFen: 1, quantity: 7, lines: 1 }],
        seconds
      )[0]!.standardHours
    ).toBe(0.09)
    expect(payslipTotals([], seconds)).toEqual([])
  })

  it("nets to the fen what the lines add up to, and splits earned, bonus and deducted correctly (property)", () => {
    fc.assert(
      fc.property(
        fc.array(totalArb, { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 86_400 }), { minLength: 3, maxLength: 3 }),
        (totals, secs) => {
          const seconds = new Map<string, number>(secs.map((s, i) => [orderId(i + 1), s]))
          const slips = payslipTotals(totals, seconds)
          // Σ net over the workers = Σ of the amounts given
          expect(slips.reduce((s, x) => s + x.netFen, 0)).toBe(totals.reduce((s, t) => s + t.amountFen, 0))
          // one slip per worker, sorted by worker id
          const workers = [...new Set(totals.map((t) => t.workerId))].sort()
          expect(slips.map((s) => s.workerId)).toEqual(workers)
          for (const slip of slips) {
            const mine = totals.filter((t) => t.workerId === slip.workerId)
            const sum = (ks: ReadonlyArray<PayLineKind>) =>
              mine.filter((t) => ks.includes(t.kind)).reduce((s, t) => s + t.amountFen, 0)
            expect(slip.earnedFen).toBe(sum(["earning", "reject_pay"]))
            expect(slip.bonusFen).toBe(sum(["bonus"]))
            expect(slip.deductedFen).toBe(0 - sum(["deduction"]))
            expect(slip.deductedFen).toBeGreaterThanOrEqual(0)
            expect(slip.netFen).toBe(slip.earnedFen + slip.bonusFen - slip.deductedFen)
            const earning = mine.filter((t) => t.kind === "earning")
            expect(slip.pieces).toBe(earning.reduce((s, t) => s + t.quantity, 0))
            const totalSeconds = earning.reduce(
              (s, t) => s + t.quantity * (t.orderId === null ? 0 : seconds.get(t.orderId)!),
              0
            )
            expect(Math.abs(slip.standardHours - totalSeconds / 3600)).toBeLessThanOrEqual(0.005 + 1e-9)
            expect(Math.round(slip.standardHours * 100)).toBeCloseTo(slip.standardHours * 100, 6)
            expect(slip.transferId).toBeNull()
          }
        }
      )
    )
  })
})
