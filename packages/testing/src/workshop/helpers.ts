/**
 * Shared pieces of the workshop suites: the ports they run on, fresh ids, and builders of valid
 * workshop records from Xin Workshop (馨工坊) of Junxin community (君馨社区): partner factories
 * short of hands, the parts they send for assembly (clips, cable ties, gift boxes), work orders
 * with dated piece rates, the stay-at-home mothers and retirees enrolled as workers, movements of
 * pieces, pay lines, pay periods and invoices.
 *
 * Every builder returns a schema-valid record with fresh random ids, placed in the community it
 * is given, so a test only spells out the fields it is about.
 *
 * @module
 */
import {
  FactoryId,
  InvoiceId,
  PayLineId,
  PayPeriodId,
  ResidentId,
  TransferId,
  WorkerId,
  WorkOrderId,
  WorkProductId
} from "@commonweal/core"
import type {
  CommunitiesStorage,
  CommunityId,
  Factory,
  FundStorage,
  Invoice,
  KernelStorage,
  LedgerStorage,
  Movement,
  PayLine,
  PayPeriod,
  PayslipTotals,
  ResidentsStorage,
  Worker,
  WorkOrder,
  WorkProduct,
  WorkshopSettings,
  WorkshopStorage
} from "@commonweal/core"
import { expect } from "@effect/vitest"
import { Option, Schema } from "effect"
import { randomUuid7 } from "../builders.js"

/**
 * The ports the workshop suites run on: the kernel's, the communities' (workshop records belong
 * to a provisioned community), the residents' (a worker is an enrolled resident), the ledger's
 * (every movement of pieces and every posted pay line is a ledger transfer), the fund's (the
 * workshop's margin goes to the public-welfare fund) and the workshop's own.
 */
export type WorkshopContractPorts =
  | KernelStorage
  | CommunitiesStorage
  | ResidentsStorage
  | LedgerStorage
  | FundStorage
  | WorkshopStorage

/** A fresh random factory id. */
export const freshFactoryId = (): FactoryId => FactoryId.make(randomUuid7())
/** A fresh random product id. */
export const freshWorkProductId = (): WorkProductId => WorkProductId.make(randomUuid7())
/** A fresh random work order id. */
export const freshOrderId = (): WorkOrderId => WorkOrderId.make(randomUuid7())
/** A fresh random worker id. */
export const freshWorkerId = (): WorkerId => WorkerId.make(randomUuid7())
/** A fresh random pay line id. */
export const freshPayLineId = (): PayLineId => PayLineId.make(randomUuid7())
/** A fresh random pay period id. */
export const freshPeriodId = (): PayPeriodId => PayPeriodId.make(randomUuid7())
/** A fresh random invoice id. */
export const freshInvoiceId = (): InvoiceId => InvoiceId.make(randomUuid7())
/** A fresh random movement id (a movement shares its id with the ledger transfer that moved the pieces). */
export const freshMovementId = (): TransferId => TransferId.make(randomUuid7())

/** 2026-09-01 08:00 in Ningbo (UTC epoch ms): the morning the first order of clips arrived. */
export const workshopT0 = Date.UTC(2026, 8, 1, 0, 0, 0)

/** A day in milliseconds. */
export const DAY_MS = 86_400_000

/** {@link workshopT0} plus whole days (and optionally milliseconds). */
export const workshopDay = (days: number, ms = 0): number => workshopT0 + days * DAY_MS + ms

/** The workshop's settings at version 1: a part-time minimum of ¥26.00 an hour (Ningbo's). */
export const makeWorkshopSettings = (
  communityId: CommunityId,
  overrides: Partial<WorkshopSettings> = {}
): WorkshopSettings => ({
  communityId,
  minimumHourlyWageFen: 2_600,
  version: 1,
  updatedAt: workshopT0,
  ...overrides
})

/** A partner factory at version 1, by default the stationery factory in the town's industrial park. */
export const makeFactory = (communityId: CommunityId, overrides: Partial<Factory> = {}): Factory => ({
  id: freshFactoryId(),
  communityId,
  name: "宁波高桥文具厂 / Gaoqiao Stationery",
  contact: "李经理 0574-8800 1234",
  subjects: ["factory-gaoqiao-li"],
  version: 1,
  createdAt: workshopT0,
  ...overrides
})

/** A product at version 1, by default binder clips (CLIP-A3): 3 parts a piece, 12 standard seconds. */
export const makeWorkProduct = (
  communityId: CommunityId,
  factoryId: FactoryId,
  overrides: Partial<WorkProduct> = {}
): WorkProduct => ({
  id: freshWorkProductId(),
  communityId,
  factoryId,
  sku: "CLIP-A3",
  name: "A3 长尾夹组装 / binder clip assembly",
  parts: [
    { name: "夹身 / clip body", perPiece: 1 },
    { name: "钢丝把手 / wire handle", perPiece: 2 }
  ],
  standardSeconds: 12,
  version: 1,
  createdAt: workshopT0,
  ...overrides
})

/**
 * A work order at version 1 for `product`, by default open: 10,000 clips at ¥0.15 each to the
 * factory, paid ¥0.10 a piece (¥30.00 an hour at 12 s), due in 30 days; rejects paid half, 2 ‰
 * scrap tolerated, then ¥0.50 a piece.
 */
export const makeWorkOrder = (product: WorkProduct, overrides: Partial<WorkOrder> = {}): WorkOrder => ({
  id: freshOrderId(),
  communityId: product.communityId,
  factoryId: product.factoryId,
  productId: product.id,
  sku: product.sku,
  title: "九月长尾夹 / September binder clips",
  quantity: 10_000,
  priceFen: 15,
  rates: [{ effectiveFrom: workshopT0, rateFen: 10, setBy: "coordinator:张敏", setAt: workshopT0 }],
  deadline: workshopDay(30),
  quality: {
    rejectPolicy: "partly_paid",
    rejectSharePercent: 50,
    rejectChargeFen: 0,
    scrapTolerancePermille: 2,
    scrapChargeFen: 50
  },
  fairPay: {
    rateFen: 10,
    standardSeconds: product.standardSeconds,
    effectiveHourlyFen: Math.floor((10 * 3_600) / product.standardSeconds),
    minimumHourlyWageFen: 2_600,
    belowMinimum: Math.floor((10 * 3_600) / product.standardSeconds) < 2_600
  },
  lowRateAcknowledgement: null,
  status: "open",
  createdBy: "coordinator:张敏",
  createdAt: workshopT0,
  startedAt: workshopT0,
  version: 1,
  ...overrides
})

/** An enrolled worker at version 1, by default a stay-at-home mother (a fresh resident id). */
export const makeWorker = (communityId: CommunityId, overrides: Partial<Worker> = {}): Worker => ({
  id: freshWorkerId(),
  communityId,
  residentId: ResidentId.make(randomUuid7()),
  displayName: "陈秀兰",
  active: true,
  enrolledAt: workshopT0,
  version: 1,
  ...overrides
})

/**
 * A movement of `order`'s pieces with a fresh id, by default 500 pieces received from the factory.
 * Pass `kind`, `workerId` and `place` for the others.
 */
export const makeMovement = (order: WorkOrder, overrides: Partial<Movement> = {}): Movement => ({
  id: freshMovementId(),
  communityId: order.communityId,
  orderId: order.id,
  kind: "receive",
  workerId: null,
  quantity: 500,
  place: null,
  note: "收到零件 / parts received",
  occurredAt: workshopT0,
  recordedBy: "coordinator:张敏",
  ...overrides
})

/** An issue (sign-out) of `quantity` pieces of `order` to `worker`, taken home. */
export const makeIssue = (
  order: WorkOrder,
  workerId: WorkerId,
  quantity: number,
  overrides: Partial<Movement> = {}
): Movement => makeMovement(order, { kind: "issue", workerId, quantity, place: "home", note: "领料回家", ...overrides })

/**
 * A pay line at version 1 with a fresh id, by default a confirmed earning of 100 accepted pieces
 * at ¥0.10 for `workerId` (no period yet, not from a movement, not posted).
 */
export const makePayLine = (
  communityId: CommunityId,
  workerId: WorkerId,
  overrides: Partial<PayLine> = {}
): PayLine => ({
  id: freshPayLineId(),
  communityId,
  workerId,
  orderId: null,
  kind: "earning",
  status: "confirmed",
  quantity: 100,
  rateFen: 10,
  amountFen: 1_000,
  movementId: null,
  transferId: null,
  periodId: null,
  note: "计件工资 / piece earnings",
  occurredAt: workshopT0,
  recordedBy: "coordinator:张敏",
  version: 1,
  ...overrides
})

/** One worker's payslip totals, by default 100 pieces earning ¥10.00, nothing else, not paid. */
export const makeSlip = (workerId: WorkerId, overrides: Partial<PayslipTotals> = {}): PayslipTotals => ({
  workerId,
  earnedFen: 1_000,
  bonusFen: 0,
  deductedFen: 0,
  netFen: 1_000,
  pieces: 100,
  standardHours: 0.33,
  transferId: null,
  ...overrides
})

/** A closed pay period at version 1 over the first half of September, with the given slips. */
export const makePeriod = (
  communityId: CommunityId,
  slips: ReadonlyArray<PayslipTotals>,
  overrides: Partial<PayPeriod> = {}
): PayPeriod => ({
  id: freshPeriodId(),
  communityId,
  from: workshopT0,
  to: workshopDay(15),
  status: "closed",
  slips: [...slips],
  closedBy: "coordinator:张敏",
  closedAt: workshopDay(15, 3_600_000),
  paidAt: null,
  version: 1,
  ...overrides
})

/** An issued invoice at version 1 for `order`: 2,000 pieces at its price. */
export const makeInvoice = (order: WorkOrder, overrides: Partial<Invoice> = {}): Invoice => ({
  id: freshInvoiceId(),
  communityId: order.communityId,
  factoryId: order.factoryId,
  orderId: order.id,
  number: "2026-0001",
  pieces: 2_000,
  priceFen: order.priceFen,
  amountFen: 2_000 * order.priceFen,
  status: "issued",
  issuedAt: workshopDay(10),
  paidAt: null,
  version: 1,
  ...overrides
})

/** Code-unit order of two strings (the order of ids and paging keys). */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Asserts that `actual` holds a record equal to `expected`: found, valid under `schema` (decoding
 * it succeeds, so the adapter returned a real record of the schema and no look-alike) and equal
 * in every field.
 */
export const expectFound = <A>(
  schema: Schema.ConstraintDecoder<A>,
  actual: Option.Option<A>,
  expected: A,
  what = "record"
): void => {
  expect(Option.isSome(actual), `${what} should be found`).toBe(true)
  if (Option.isSome(actual)) {
    expect(Schema.decodeUnknownSync(schema)(actual.value), `${what} should decode`).toEqual(expected)
    expect(actual.value).toEqual(expected)
  }
}

/** Asserts that nothing was found. */
export const expectNone = (actual: Option.Option<unknown>, what = "record"): void => {
  expect(Option.isNone(actual), `${what} should not be found`).toBe(true)
}
