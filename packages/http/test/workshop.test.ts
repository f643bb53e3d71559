/**
 * The piece-work workshop (馨工坊 Xin Workshop) over HTTP: a factory's order from its parts'
 * arrival through a worker's sign-out and return, the pay lines the return earns, a proposed
 * deduction confirmed, the delivery and its invoice, to a closed and paid pay period and the
 * worker's payslip (JSON, printable HTML, CSV); who sees what (a worker only their own, a factory
 * only its own, a resident nothing); refusals as problem details; idempotent replays; and the
 * group in the OpenAPI document.
 *
 * The server is the real one over the in-memory store, with its own tokens (the coordinator,
 * staff, a coordinator who is also the fund's treasurer, two enrolled workers, a resident who is
 * not, a factory's contact, another community's coordinator) and a clock the tests move forward,
 * so that a pay period can end after the work it pays.
 */
import { createServer } from "node:http"
import type { Actor, CommunityId, ResidentId } from "@commonweal/core"
import {
  Communities,
  CurrentActor,
  domainServices,
  GridCode,
  IdGenerator,
  PayPeriodId,
  Residents
} from "@commonweal/core"
import { MemoryStore } from "@commonweal/store-memory"
import { NodeHttpServer } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Clock, type Duration, Effect, Layer, Logger, Option } from "effect"
import { FetchHttpClient } from "effect/http"
import { OpenApi } from "effect/http-api"
import { describe, expect, it as test, vi } from "vitest"
import { CommonwealApi, makeClient, makeHttpLayer, PROBLEM_CONTENT_TYPE, TokenVerifier } from "../src/index.js"
import { WorkshopGroup } from "../src/groups/workshop.js"
import { baseUrl, GULI, JUNXIN, raw } from "./fixture.js"

// ---------------------------------------------------------------------------------------------
// the server: tokens, residents and a clock of the tests'

/** A lower-case UUIDv7 whose last 12 hex digits are `n`. */
const uuid = (n: number) => `0190f0a0-0000-7000-8000-${n.toString(16).padStart(12, "0")}`

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** How far the server's clock is ahead of the real one (moved by {@link advance}). */
const shift = { ms: 0 }

/** Moves the server's clock forward. */
const advance = (ms: number) =>
  Effect.sync(() => {
    shift.ms += ms
  })

/** The server's now. */
const serverNow = () => Date.now() + shift.ms

/** The real clock, `shift.ms` ahead: every fiber of the server reads the time from it. */
const ShiftedClock = Layer.succeed(
  Clock.Clock,
  (() => {
    const real = Clock.Clock.defaultValue()
    const millis = () => real.currentTimeMillisUnsafe() + shift.ms
    const nanos = () => real.currentTimeNanosUnsafe() + BigInt(shift.ms) * 1_000_000n
    return {
      currentTimeMillisUnsafe: millis,
      currentTimeMillis: Effect.sync(millis),
      currentTimeNanosUnsafe: nanos,
      currentTimeNanos: Effect.sync(nanos),
      monotonicTimeNanosUnsafe: () => real.monotonicTimeNanosUnsafe(),
      monotonicTimeNanos: real.monotonicTimeNanos,
      sleep: (duration: Duration.Duration) => real.sleep(duration)
    } satisfies Clock.Clock
  })()
)

const tokens = {
  coordinator: "tok-ws-coordinator",
  staff: "tok-ws-staff",
  /** A coordinator who is also the fund's treasurer: may contribute to the fund. */
  coordinatorTreasurer: "tok-ws-coordinator-treasurer",
  treasurer: "tok-ws-treasurer",
  /** 王芳, enrolled as a worker by the tests. */
  workerA: "tok-ws-worker-wang",
  /** 李娟, enrolled as a worker by the tests. */
  workerB: "tok-ws-worker-li",
  /** 周芳, a resident who is not enrolled. */
  resident: "tok-ws-resident-zhou",
  /** The contact of the factory whose subjects hold `factory.ningbo`. */
  factory: "tok-ws-factory",
  /** Another factory's contact (no factory lists this subject). */
  otherFactory: "tok-ws-factory-other",
  guliCoordinator: "tok-ws-guli-coordinator"
} as const

const actor = (subject: string, communityId: CommunityId, roles: Actor["roles"], residentId?: ResidentId): Actor => ({
  subject,
  communityId,
  roles,
  ...(residentId === undefined ? {} : { residentId })
})

/** The token table; the residents' tokens are added by {@link Seed}, once their ids exist. */
const tokenTable: Record<string, Actor> = {
  [tokens.coordinator]: actor("coord.xu", JUNXIN, ["coordinator"]),
  [tokens.staff]: actor("staff.chen", JUNXIN, ["staff"]),
  [tokens.coordinatorTreasurer]: actor("coord.wu", JUNXIN, ["coordinator", "treasurer"]),
  [tokens.treasurer]: actor("treasurer.he", JUNXIN, ["treasurer"]),
  [tokens.factory]: actor("factory.ningbo", JUNXIN, ["factory"]),
  [tokens.otherFactory]: actor("factory.elsewhere", JUNXIN, ["factory"]),
  [tokens.guliCoordinator]: actor("coord.gu", GULI, ["coordinator"])
}

const Verifier = TokenVerifier.make((token) => Effect.sync(() => Option.fromUndefinedOr(tokenTable[token])))

/** The residents' ids (set by {@link Seed}). */
const residents = {
  wang: "" as ResidentId,
  li: "" as ResidentId,
  zhou: "" as ResidentId,
  chen: "" as ResidentId,
  /** 顾兰, of 顾里小站. */
  gu: "" as ResidentId
}

/** The two communities; in 君馨, four residents: 王芳, 李娟 and 陈敏 (who will work) and 周芳. */
const Seed = Layer.effectDiscard(
  Effect.gen(function* () {
    const communities = yield* Communities
    yield* communities.provision({
      id: JUNXIN,
      name: "君馨社区",
      nameEn: "Junxin Community",
      timeZone: "Asia/Shanghai",
      grids: [{ code: GridCode.make("JX-01"), name: "一网格" }]
    })
    yield* communities.provision({
      id: GULI,
      name: "顾里小站",
      nameEn: "Gu Li Station",
      timeZone: "Asia/Shanghai",
      grids: [{ code: GridCode.make("GL-01"), name: "顾里一网格" }]
    })
    const registry = yield* Residents
    const staff = actor("staff.seed", JUNXIN, ["staff"])
    const register = (displayName: string) =>
      Effect.map(registry.register({ displayName }), (view) => view.id).pipe(Effect.provideService(CurrentActor, staff))
    residents.wang = yield* register("王芳")
    residents.li = yield* register("李娟")
    residents.zhou = yield* register("周芳")
    residents.chen = yield* register("陈敏")
    residents.gu = yield* Effect.map(registry.register({ displayName: "顾兰" }), (view) => view.id).pipe(
      Effect.provideService(CurrentActor, actor("staff.gu", GULI, ["staff"]))
    )
    tokenTable[tokens.workerA] = actor("resident.wang", JUNXIN, ["resident"], residents.wang)
    tokenTable[tokens.workerB] = actor("resident.li", JUNXIN, ["resident"], residents.li)
    tokenTable[tokens.resident] = actor("resident.zhou", JUNXIN, ["resident"], residents.zhou)
  })
)

const Services = domainServices.pipe(Layer.provideMerge(Layer.merge(MemoryStore.layer, IdGenerator.Live)))

/** The server: the whole API over the memory store, on a loopback port, on the shifted clock. */
const WorkshopServer = makeHttpLayer().pipe(
  Layer.provide(Seed),
  Layer.provide(Verifier),
  Layer.provideMerge(Services),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(FetchHttpClient.layer),
  Layer.provide(Logger.layer([])),
  Layer.provide(ShiftedClock)
)

// ---------------------------------------------------------------------------------------------
// helpers

const post = (path: string, token: string, body?: unknown, key?: string) =>
  raw(path, {
    method: "POST",
    token,
    ...(body === undefined ? {} : { body }),
    ...(key === undefined ? {} : { headers: { "idempotency-key": key } })
  })

const get = (path: string, token: string) => raw(path, { token })

/** The typed client, as the holder of `token`. */
const typed = (token: string) => Effect.flatMap(baseUrl, (url) => makeClient(url, token))

/** The quality rules of the tests' orders: rejects half paid, 2 % scrap tolerated, then 5 fen a piece. */
const quality = {
  rejectPolicy: "partly_paid",
  rejectSharePercent: 50,
  rejectChargeFen: 0,
  scrapTolerancePermille: 20,
  scrapChargeFen: 5
} as const

/** The workers enrolled so far, by resident (the tests may run alone, in any order). */
const enrolled = new Map<string, string>()

/** The worker of a resident, enrolling them first if needed. */
const workerOf = (residentId: ResidentId, displayName: string) =>
  Effect.gen(function* () {
    const known = enrolled.get(residentId)
    if (known !== undefined) return known
    const created = yield* post("/workshop/workers", tokens.coordinator, { residentId, displayName })
    expect(created.status, created.text).toBe(201)
    const id = created.json.id as string
    enrolled.set(residentId, id)
    return id
  })

/**
 * The factory whose contact is `factory.ningbo` (added once: a subject names one factory, the
 * first by id when several list it, so the tests share one).
 */
const ningbo = { id: undefined as string | undefined }

/**
 * A started order of a new product `sku` (12 s a piece) for the factory whose contact is
 * `factory.ningbo`, at `rateFen` a piece; the minimum wage is ¥26.00 an hour.
 */
const openOrder = (sku: string, rateFen: number) =>
  Effect.gen(function* () {
    const settings = yield* raw("/workshop/settings", {
      method: "PUT",
      token: tokens.coordinator,
      body: { minimumHourlyWageFen: 2_600 }
    })
    expect(settings.status, settings.text).toBe(200)
    let factoryId = ningbo.id
    if (factoryId === undefined) {
      const factory = yield* post("/workshop/factories", tokens.coordinator, {
        name: "宁波文具厂",
        contact: "李经理 / Manager Li",
        subjects: ["factory.ningbo"]
      })
      expect(factory.status, factory.text).toBe(201)
      factoryId = factory.json.id as string
      ningbo.id = factoryId
    }
    const product = yield* post("/workshop/products", tokens.coordinator, {
      factoryId,
      sku,
      name: "文件夹夹子 folder clip",
      parts: [
        { name: "夹片 clip plate", perPiece: 2 },
        { name: "弹簧 spring", perPiece: 1 }
      ],
      standardSeconds: 12
    })
    expect(product.status, product.text).toBe(201)
    const order = yield* post("/workshop/orders", tokens.coordinator, {
      productId: product.json.id,
      title: `${sku} 八月单 / August order`,
      quantity: 1_000,
      priceFen: 15,
      rateFen,
      deadline: serverNow() + 30 * DAY,
      quality
    })
    expect(order.status, order.text).toBe(201)
    const orderId = order.json.id as string
    const started = yield* post(`/workshop/orders/${orderId}/start`, tokens.coordinator, {})
    expect(started.status, started.text).toBe(200)
    return { factoryId, productId: product.json.id as string, orderId }
  })

interface PayLineJson {
  readonly id: string
  readonly kind: string
  readonly status: string
  readonly amountFen: number
  readonly quantity: number | null
  readonly transferId: string | null
}

// ---------------------------------------------------------------------------------------------
// the tests

layer(WorkshopServer, { excludeTestServices: true })("the workshop over HTTP", (it) => {
  it.effect(
    "an order from its parts' arrival through a worker's return, a delivery and its invoice, to a paid period and the payslip",
    () =>
      Effect.gen(function* () {
        const coordinator = yield* typed(tokens.coordinator)

        // the community's minimum wage: ¥26.00 an hour
        const settings = yield* coordinator.workshop.configure({ payload: { minimumHourlyWageFen: 2_600 } })
        expect(settings.minimumHourlyWageFen).toBe(2_600)
        expect((yield* coordinator.workshop.settings()).minimumHourlyWageFen).toBe(2_600)

        // a factory, its product, an order at 10 fen a piece of 12 s (¥30.00 an hour)
        const [factory, factoryResponse] = yield* coordinator.workshop.addFactory({
          payload: { name: "宁波文具厂", contact: "李经理 / Manager Li", subjects: ["factory.ningbo"] },
          headers: {},
          responseMode: "decoded-and-response"
        })
        expect(factoryResponse.status).toBe(201)
        expect(factoryResponse.headers.location).toBe(`/workshop/factories/${factory.id}`)
        ningbo.id ??= factory.id
        const product = yield* coordinator.workshop.addProduct({
          payload: {
            factoryId: factory.id,
            sku: "CLIP-A3",
            name: "文件夹夹子 folder clip",
            parts: [
              { name: "夹片 clip plate", perPiece: 2 },
              { name: "弹簧 spring", perPiece: 1 }
            ],
            standardSeconds: 12
          },
          headers: {}
        })
        expect(product.sku).toBe("CLIP-A3")
        const order = yield* coordinator.workshop.createOrder({
          payload: {
            productId: product.id,
            title: "CLIP-A3 八月单 / August order",
            quantity: 1_000,
            priceFen: 15,
            rateFen: 10,
            deadline: serverNow() + 30 * DAY,
            quality
          },
          headers: {}
        })
        expect(order).toMatchObject({ status: "draft", sku: "CLIP-A3", factoryId: factory.id })
        expect(order.fairPay).toMatchObject({
          effectiveHourlyFen: 3_000,
          minimumHourlyWageFen: 2_600,
          belowMinimum: false
        })
        const started = yield* coordinator.workshop.startOrder({ params: { id: order.id }, payload: {}, headers: {} })
        expect(started.status).toBe("open")

        // 王芳 enrols; 500 pieces' worth of parts arrive; 200 go home with her
        const [worker, workerResponse] = yield* coordinator.workshop.enroll({
          payload: { residentId: residents.wang, displayName: "王芳" },
          headers: {},
          responseMode: "decoded-and-response"
        })
        expect(workerResponse.status).toBe(201)
        enrolled.set(residents.wang, worker.id)
        const staff = yield* typed(tokens.staff)
        const received = yield* staff.workshop.receive({
          payload: { id: uuid(0x101), orderId: order.id, quantity: 500, note: "第一批 / first batch" },
          headers: {}
        })
        expect(received).toMatchObject({ id: uuid(0x101), kind: "receive", quantity: 500, workerId: null })
        const issued = yield* staff.workshop.issue({
          payload: { id: uuid(0x102), orderId: order.id, workerId: worker.id, quantity: 200, place: "home" },
          headers: {}
        })
        expect(issued).toMatchObject({ kind: "issue", workerId: worker.id, quantity: 200, place: "home" })

        // she holds 200
        const holding = yield* get(`/workshop/workers/${worker.id}/custody`, tokens.workerA)
        expect(holding.status, holding.text).toBe(200)
        expect(holding.json).toMatchObject({
          workerId: worker.id,
          items: [{ orderId: order.id, issued: 200, held: 200 }]
        })

        // she brings back 150 good, 10 rejected, 30 unused, 10 scrapped (4 tolerated: 2 % of 200)
        const returned = yield* staff.workshop.returnPieces({
          payload: {
            id: uuid(0x103),
            orderId: order.id,
            workerId: worker.id,
            accepted: 150,
            rejected: 10,
            unused: 30,
            scrapped: 10
          },
          headers: {}
        })
        expect(returned.movements.map((m) => [m.kind, m.quantity])).toEqual([
          ["accept", 150],
          ["reject", 10],
          ["unused", 30],
          ["scrap", 10]
        ])
        expect(returned.movements[0]?.id).toBe(uuid(0x103))
        const lines = returned.payLines.map((l) => [l.kind, l.status, l.amountFen])
        expect(lines).toEqual([
          ["earning", "confirmed", 1_500],
          ["reject_pay", "confirmed", 50],
          ["deduction", "proposed", -30]
        ])
        const deduction = returned.payLines.find((l) => l.kind === "deduction")
        expect(deduction?.transferId).toBeNull()

        // what she holds now, and her movements (hers only)
        const after = yield* get(`/workshop/workers/${worker.id}/custody`, tokens.workerA)
        expect(after.json).toMatchObject({
          items: [{ issued: 200, accepted: 150, rejected: 10, unused: 30, scrapped: 10, held: 0, oldestAt: null }]
        })
        const mine = yield* get("/workshop/movements", tokens.workerA)
        expect(mine.status, mine.text).toBe(200)
        const mineItems = mine.json.items as ReadonlyArray<{ workerId: string | null; kind: string }>
        // ordered by time, then id (the return's movements share a time)
        expect(mineItems[0]?.kind).toBe("issue")
        expect(mineItems.map((m) => m.kind).sort()).toEqual(["accept", "issue", "reject", "scrap", "unused"])
        expect(mineItems.every((m) => m.workerId === worker.id)).toBe(true)
        const accepts = yield* get(`/workshop/movements?orderId=${order.id}&kind=accept`, tokens.staff)
        expect((accepts.json.items as ReadonlyArray<{ id: string }>).map((m) => m.id)).toEqual([uuid(0x103)])

        // the coordinator confirms the proposed deduction: it is posted
        const confirmed = yield* post(`/workshop/pay-lines/${deduction?.id}/confirm`, tokens.coordinator)
        expect(confirmed.status, confirmed.text).toBe(200)
        expect(confirmed.json).toMatchObject({ status: "confirmed", amountFen: -30 })
        expect(confirmed.json.transferId).toEqual(expect.any(String))
        const again = yield* post(`/workshop/pay-lines/${deduction?.id}/dismiss`, tokens.coordinator)
        expect(again.status).toBe(409)
        expect(again.json.code).toBe("InvalidTransition")
        const unpaid = yield* get(`/workshop/pay-lines?workerId=${worker.id}&unpaid=true`, tokens.workerA)
        expect(unpaid.status, unpaid.text).toBe(200)
        expect((unpaid.json.items as ReadonlyArray<PayLineJson>).map((l) => l.amountFen).sort((x, y) => x - y)).toEqual(
          [-30, 50, 1_500]
        )

        // 150 items go to the factory; where every piece is, and the ledger agrees
        const delivered = yield* staff.workshop.deliver({
          payload: { id: uuid(0x104), orderId: order.id, quantity: 150 },
          headers: {}
        })
        expect(delivered).toMatchObject({ kind: "deliver", quantity: 150 })
        const progress = yield* coordinator.workshop.progress({ params: { id: order.id } })
        expect(progress).toMatchObject({
          orderId: order.id,
          ordered: 1_000,
          received: 500,
          accepted: 150,
          delivered: 150,
          remaining: 850,
          inCustody: 0,
          percentDone: 15
        })
        const reconciled = yield* get(`/workshop/orders/${order.id}/reconcile`, tokens.staff)
        expect(reconciled.status, reconciled.text).toBe(200)
        expect(reconciled.json).toMatchObject({
          balance: { received: 500, stock: 330, inCustody: 0, accepted: 0, rejected: 10, scrapped: 10, delivered: 150 },
          ledger: { stock: 330, accepted: 0, custody: 0 },
          balanced: true
        })

        // the factory's invoice: 150 × 15 fen; its contact sees it, its order and its progress
        const invoice = yield* post("/workshop/invoices", tokens.coordinator, { id: uuid(0x105), orderId: order.id })
        expect(invoice.status, invoice.text).toBe(200)
        expect(invoice.json).toMatchObject({ pieces: 150, priceFen: 15, amountFen: 2_250, status: "issued" })
        expect(invoice.json.number).toMatch(/^\d{4}-\d{4}$/u)
        const factoryView = yield* get("/workshop/invoices", tokens.factory)
        expect(factoryView.status, factoryView.text).toBe(200)
        expect((factoryView.json.items as ReadonlyArray<{ id: string }>).map((i) => i.id)).toContain(uuid(0x105))
        expect((yield* get(`/workshop/orders/${order.id}/progress`, tokens.factory)).status).toBe(200)
        expect((yield* get(`/workshop/orders/${order.id}`, tokens.otherFactory)).status).toBe(404)
        const invoicePage = yield* get(`/workshop/invoices/${uuid(0x105)}/html`, tokens.factory)
        expect(invoicePage.status, invoicePage.text).toBe(200)
        expect(invoicePage.headers.get("content-type")).toBe("text/html; charset=utf-8")
        expect(invoicePage.text).toContain(invoice.json.number as string)
        expect(invoicePage.text).toContain("宁波文具厂")
        // the factory's contact cannot read the community, yet its invoice names it
        expect(invoicePage.text).toContain("君馨社区")
        const paid = yield* post(`/workshop/invoices/${uuid(0x105)}/paid`, tokens.coordinator)
        expect(paid.status, paid.text).toBe(200)
        expect(paid.json).toMatchObject({ status: "paid", paidAt: expect.any(Number) })

        // cash for the wages; an hour later the period closes and is paid
        const cash = yield* coordinator.workshop.addCash({
          payload: { id: uuid(0x106), amountFen: 100_000, note: "启动资金 / start-up capital" },
          headers: {}
        })
        expect(cash.transferId).toBe(uuid(0x106))
        yield* advance(HOUR)
        const closed = yield* post("/workshop/periods", tokens.coordinator, {
          id: uuid(0x107),
          from: serverNow() - DAY,
          to: serverNow() - 1_000
        })
        expect(closed.status, closed.text).toBe(200)
        expect(closed.json).toMatchObject({
          status: "closed",
          slips: [
            {
              workerId: worker.id,
              earnedFen: 1_550,
              bonusFen: 0,
              deductedFen: 30,
              netFen: 1_520,
              pieces: 150,
              standardHours: 0.5,
              transferId: null
            }
          ]
        })
        const paidPeriod = yield* coordinator.workshop.payPeriod({
          params: { id: PayPeriodId.make(uuid(0x107)) },
          headers: {}
        })
        expect(paidPeriod.status).toBe("paid")
        expect(paidPeriod.slips[0]?.transferId).toEqual(expect.any(String))

        // her payslip: JSON, a printable page, CSV; the period's slips as CSV for the books
        const slip = yield* get(`/workshop/periods/${uuid(0x107)}/payslips/${worker.id}`, tokens.workerA)
        expect(slip.status, slip.text).toBe(200)
        expect(slip.json).toMatchObject({
          communityName: "君馨社区",
          period: { id: uuid(0x107), status: "paid" },
          worker: { id: worker.id, displayName: "王芳" },
          totals: { netFen: 1_520, earnedFen: 1_550, deductedFen: 30 },
          orders: [{ id: order.id, sku: "CLIP-A3" }]
        })
        expect((slip.json.lines as ReadonlyArray<unknown>).length).toBe(3)
        const html = yield* get(`/workshop/periods/${uuid(0x107)}/payslips/${worker.id}.html`, tokens.workerA)
        expect(html.status, html.text).toBe(200)
        expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8")
        expect(html.text).toMatch(/^<!doctype html>/iu)
        for (const text of ["王芳", "工资单", "¥15.20", "CLIP-A3"]) expect(html.text).toContain(text)
        // the typed client reaches the documents too (the path's `.html` after the worker's id)
        const workerClient = yield* typed(tokens.workerA)
        const page = yield* workerClient.workshop.payslipHtml({
          params: { id: PayPeriodId.make(uuid(0x107)), workerId: worker.id },
          query: {}
        })
        expect(page).toBe(html.text)
        const csv = yield* get(`/workshop/periods/${uuid(0x107)}/payslips/${worker.id}.csv`, tokens.workerA)
        expect(csv.status, csv.text).toBe(200)
        expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8")
        expect(csv.headers.get("content-disposition")).toBe(
          `attachment; filename="payslip-${uuid(0x107)}-${worker.id}.csv"`
        )
        expect(csv.text.split("\r\n")[0]).toBe(
          "worker,date,order,sku,kind,status,quantity,rate_fen,amount_fen,amount_yuan,note"
        )
        expect(csv.text).toContain("total_net")
        const periodCsv = yield* get(`/workshop/periods/${uuid(0x107)}/payslips.csv`, tokens.coordinator)
        expect(periodCsv.status, periodCsv.text).toBe(200)
        expect(periodCsv.text.split("\r\n")[1]).toContain("王芳")
        // a resident who is no worker reads no pay at all (404: not even that the period exists)
        expect((yield* get(`/workshop/periods/${uuid(0x107)}/payslips.csv`, tokens.resident)).status).toBe(404)
        expect((yield* get(`/workshop/periods/${uuid(0x107)}/payslips/${worker.id}`, tokens.resident)).status).toBe(404)

        // part of the margin goes to the public-welfare fund: out of the workshop's cash, into the fund
        const noTreasurer = yield* post("/workshop/fund-contributions", tokens.coordinator, {
          id: uuid(0x108),
          amountFen: 500,
          note: "盈余捐入 / margin"
        })
        expect(noTreasurer.status).toBe(403)
        const contributed = yield* post("/workshop/fund-contributions", tokens.coordinatorTreasurer, {
          id: uuid(0x108),
          amountFen: 500,
          note: "盈余捐入 / margin"
        })
        expect(contributed.status, contributed.text).toBe(200)
        expect(contributed.json).toMatchObject({ transferId: uuid(0x108), fundEntryId: expect.any(String) })
        const fundEntries = yield* get("/fund/entries?kind=other_income", tokens.treasurer)
        expect(fundEntries.status, fundEntries.text).toBe(200)
        expect(fundEntries.json.items).toMatchObject([
          { id: contributed.json.fundEntryId, amount: 500, counterparty: "馨工坊 Xin Workshop" }
        ])
      }),
    30_000
  )

  it.effect("who sees what: a worker their own, a factory its own, a resident nothing, another community nothing", () =>
    Effect.gen(function* () {
      const { orderId } = yield* openOrder("HOOK-B1", 10)
      const wang = yield* workerOf(residents.wang, "王芳")
      const li = yield* workerOf(residents.li, "李娟")
      expect(
        (yield* post("/workshop/receipts", tokens.staff, { id: uuid(0x201), orderId, quantity: 100 })).status
      ).toBe(200)
      for (const [id, workerId] of [
        [uuid(0x202), wang],
        [uuid(0x203), li]
      ] as const) {
        const issued = yield* post("/workshop/issues", tokens.staff, {
          id,
          orderId,
          workerId,
          quantity: 20,
          place: "onsite"
        })
        expect(issued.status, issued.text).toBe(200)
      }

      // a worker reads her own custody and record; another worker's is 404, not 403
      expect((yield* get(`/workshop/workers/${wang}/custody`, tokens.workerA)).status).toBe(200)
      const foreign = yield* get(`/workshop/workers/${li}/custody`, tokens.workerA)
      expect(foreign.status).toBe(404)
      expect(foreign.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
      expect(foreign.json.code).toBe("NotFound")
      expect((yield* get(`/workshop/workers/${li}`, tokens.workerA)).status).toBe(404)
      const me = yield* (yield* typed(tokens.workerA)).workshop.me()
      expect(me).toMatchObject({ id: wang, displayName: "王芳" })
      const lisMovements = yield* get("/workshop/movements", tokens.workerB)
      expect((lisMovements.json.items as ReadonlyArray<{ workerId: string }>).map((m) => m.workerId)).toEqual([li])

      // a resident who is not enrolled is no worker; residents create no orders
      expect((yield* get("/workshop/workers/me", tokens.resident)).status).toBe(404)
      const residentClient = yield* typed(tokens.resident)
      const refused = yield* Effect.flip(
        residentClient.workshop.createOrder({
          payload: {
            productId: uuid(0x2ff),
            title: "我的订单",
            quantity: 10,
            priceFen: 15,
            rateFen: 10,
            deadline: serverNow() + DAY,
            quality
          },
          headers: {}
        })
      )
      expect(refused._tag).toBe("Forbidden")
      const refusedRaw = yield* post("/workshop/orders", tokens.resident, {
        productId: uuid(0x2ff),
        title: "我的订单",
        quantity: 10,
        priceFen: 15,
        rateFen: 10,
        deadline: serverNow() + DAY,
        quality
      })
      expect(refusedRaw.status).toBe(403)
      expect(refusedRaw.json).toMatchObject({ code: "Forbidden", status: 403 })
      expect(
        (yield* post("/workshop/receipts", tokens.workerA, { id: uuid(0x2fe), orderId, quantity: 1 })).status
      ).toBe(403)
      expect((yield* get("/workshop/workers", tokens.resident)).status).toBe(403)

      // a factory's contact: its orders only; another factory's contact nothing
      const ordersSeen = yield* get("/workshop/orders", tokens.factory)
      expect(ordersSeen.status, ordersSeen.text).toBe(200)
      expect((ordersSeen.json.items as ReadonlyArray<{ id: string }>).map((o) => o.id)).toContain(orderId)
      expect((yield* get(`/workshop/orders/${orderId}/progress`, tokens.otherFactory)).status).toBe(404)
      // a factory's contact has no permission on workers at all: 403
      expect((yield* get(`/workshop/workers/${wang}/custody`, tokens.factory)).status).toBe(403)

      // another community sees nothing of 君馨's
      expect((yield* get(`/workshop/orders/${orderId}`, tokens.guliCoordinator)).status).toBe(404)
      expect((yield* get(`/workshop/movements/${uuid(0x201)}`, tokens.guliCoordinator)).status).toBe(404)
      expect((yield* raw("/workshop/settings")).status).toBe(401)
    })
  )

  it.effect(
    "refusals are problem details: 400 bad input, 409 Conflict, InsufficientFunds and InvalidTransition, 422 a key reused",
    () =>
      Effect.gen(function* () {
        const { factoryId, orderId } = yield* openOrder("PEN-C2", 10)
        const wang = yield* workerOf(residents.wang, "王芳")

        // bad input: refused by the contract (400) or by core (400), never written
        const badSku = yield* post("/workshop/products", tokens.coordinator, {
          factoryId,
          sku: "pen-lower",
          name: "笔",
          parts: [{ name: "笔芯", perPiece: 1 }],
          standardSeconds: 10
        })
        expect(badSku.status).toBe(400)
        expect(badSku.json.code).toBe("InvalidInput")
        const typo = yield* post("/workshop/receipts", tokens.staff, { id: uuid(0x301), orderId, quantity: 5, qty: 5 })
        expect(typo.status).toBe(400)
        const nothing = yield* post("/workshop/returns", tokens.staff, { id: uuid(0x302), orderId, workerId: wang })
        expect(nothing.status).toBe(400)
        expect(nothing.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
        expect(nothing.json.code).toBe("InvalidInput")
        expect((yield* get("/workshop/movements?kind=teleport", tokens.staff)).status).toBe(400)
        expect((yield* get("/workshop/orders/not-an-id", tokens.staff)).status).toBe(400)
        const past = yield* post(`/workshop/orders/${orderId}/rate`, tokens.coordinator, {
          rateFen: 12,
          effectiveFrom: 1_000
        })
        expect(past.status).toBe(400)

        // a rate below the minimum wage: starting needs a reason, which the order keeps
        const product = yield* post("/workshop/products", tokens.coordinator, {
          factoryId,
          sku: "PEN-LOW",
          name: "低价笔",
          parts: [{ name: "笔芯", perPiece: 1 }],
          standardSeconds: 12
        })
        const low = yield* post("/workshop/orders", tokens.coordinator, {
          productId: product.json.id,
          title: "低价单 / low rate",
          quantity: 100,
          priceFen: 10,
          rateFen: 8,
          deadline: serverNow() + 10 * DAY,
          quality
        })
        expect(low.status, low.text).toBe(201)
        expect(low.json.fairPay).toMatchObject({ effectiveHourlyFen: 2_400, belowMinimum: true })
        const lowId = low.json.id as string
        const unacknowledged = yield* post(`/workshop/orders/${lowId}/start`, tokens.coordinator, {})
        expect(unacknowledged.status).toBe(400)
        expect(String(unacknowledged.json.detail)).toContain("26.00")
        // closing a draft is no transition; a draft starts with the reason given
        const closeDraft = yield* post(`/workshop/orders/${lowId}/close`, tokens.coordinator)
        expect(closeDraft.status).toBe(409)
        expect(closeDraft.json.code).toBe("InvalidTransition")
        const acknowledged = yield* post(`/workshop/orders/${lowId}/start`, tokens.coordinator, {
          acknowledgeLowRate: "工厂承诺下月调价 / the factory raises it next month"
        })
        expect(acknowledged.status, acknowledged.text).toBe(200)
        expect(acknowledged.json).toMatchObject({ status: "open", lowRateAcknowledgement: { by: "coord.xu" } })

        // the id is the idempotency key: the same receipt answers again, other content is 409
        const receipt = { id: uuid(0x303), orderId, quantity: 40 }
        const first = yield* post("/workshop/receipts", tokens.staff, receipt)
        expect(first.status, first.text).toBe(200)
        const same = yield* post("/workshop/receipts", tokens.staff, receipt)
        expect(same.status).toBe(200)
        expect(same.json).toEqual(first.json)
        const changed = yield* post("/workshop/receipts", tokens.staff, { ...receipt, quantity: 41 })
        expect(changed.status).toBe(409)
        expect(changed.json).toMatchObject({ code: "Conflict" })

        // more than the stock, more than she holds, more than accepted: 409 InsufficientFunds, saying how many
        const tooMany = yield* post("/workshop/issues", tokens.staff, {
          id: uuid(0x304),
          orderId,
          workerId: wang,
          quantity: 41,
          place: "home"
        })
        expect(tooMany.status).toBe(409)
        expect(tooMany.json.code).toBe("InsufficientFunds")
        expect(String(tooMany.json.detail)).toContain("40")
        const issued = yield* post("/workshop/issues", tokens.staff, {
          id: uuid(0x305),
          orderId,
          workerId: wang,
          quantity: 12,
          place: "home"
        })
        expect(issued.status, issued.text).toBe(200)
        const overReturn = yield* post("/workshop/returns", tokens.staff, {
          id: uuid(0x306),
          orderId,
          workerId: wang,
          accepted: 10,
          rejected: 5
        })
        expect(overReturn.status).toBe(409)
        expect(overReturn.json.code).toBe("InsufficientFunds")
        expect(String(overReturn.json.detail)).toContain("12")
        expect(String(overReturn.json.detail)).toContain("PEN-C2")
        expect((yield* get(`/workshop/movements/${uuid(0x306)}`, tokens.staff)).status).toBe(404)
        const overDeliver = yield* post("/workshop/deliveries", tokens.staff, { id: uuid(0x307), orderId, quantity: 1 })
        expect(overDeliver.status).toBe(409)
        expect(overDeliver.json.code).toBe("InsufficientFunds")

        // an order is not cancelled while a worker holds its pieces; a worker does not leave then either
        const cancel = yield* post(`/workshop/orders/${orderId}/cancel`, tokens.coordinator)
        expect([400, 409]).toContain(cancel.status)
        expect((yield* get(`/workshop/orders/${orderId}`, tokens.staff)).json.status).toBe("open")
        const leave = yield* post(`/workshop/workers/${wang}/leave`, tokens.coordinator)
        expect([400, 409]).toContain(leave.status)

        // a return with Idempotency-Key: the replay answers the same movements and pay lines
        const back = { id: uuid(0x308), orderId, workerId: wang, accepted: 10, unused: 2 }
        const returned = yield* post("/workshop/returns", tokens.staff, back, "return-308")
        expect(returned.status, returned.text).toBe(200)
        expect(returned.headers.get("idempotent-replayed")).toBeNull()
        const replayed = yield* post("/workshop/returns", tokens.staff, back, "return-308")
        expect(replayed.status).toBe(200)
        expect(replayed.headers.get("idempotent-replayed")).toBe("true")
        expect(replayed.json).toEqual(returned.json)
        // the same key with another body is refused
        const reused = yield* post("/workshop/returns", tokens.staff, { ...back, accepted: 9 }, "return-308")
        expect(reused.status).toBe(422)
        expect(reused.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)

        // an order with Idempotency-Key: 201 with Location, the same again, replayed
        const draft = {
          productId: product.json.id,
          title: "重试单 / retried",
          quantity: 10,
          priceFen: 10,
          rateFen: 10,
          deadline: serverNow() + 10 * DAY,
          quality
        }
        const created = yield* post("/workshop/orders", tokens.coordinator, draft, "order-retry")
        expect(created.status, created.text).toBe(201)
        const recreated = yield* post("/workshop/orders", tokens.coordinator, draft, "order-retry")
        expect(recreated.status).toBe(201)
        expect(recreated.headers.get("idempotent-replayed")).toBe("true")
        expect(recreated.headers.get("location")).toBe(`/workshop/orders/${created.json.id}`)
        expect(recreated.json).toEqual(created.json)

        // documents: an unknown time zone is 400; a period one may not see is 404
        expect(
          (yield* get(`/workshop/periods/${uuid(0x3ff)}/payslips/${wang}.html?timeZone=Mars/Base`, tokens.coordinator))
            .status
        ).toBe(400)
        expect((yield* get(`/workshop/periods/${uuid(0x3ff)}/payslips/${wang}`, tokens.coordinator)).status).toBe(404)
        expect((yield* get(`/workshop/invoices/${uuid(0x3ff)}/html`, tokens.coordinator)).status).toBe(404)
      })
  )

  it.effect("every POST replays with Idempotency-Key: the same answer, re-read, without running again", () =>
    Effect.gen(function* () {
      /** Posts twice with the key; the second is a replay with the same status, body and Location. */
      const twice = (path: string, token: string, body: unknown, key: string, status = 200) =>
        Effect.gen(function* () {
          const first = yield* post(path, token, body, key)
          expect(first.status, `${path}: ${first.text}`).toBe(status)
          expect(first.headers.get("idempotent-replayed")).toBeNull()
          const second = yield* post(path, token, body, key)
          expect(second.status, `${path} replayed: ${second.text}`).toBe(status)
          expect(second.headers.get("idempotent-replayed")).toBe("true")
          expect(second.json).toEqual(first.json)
          expect(second.headers.get("location")).toBe(first.headers.get("location"))
          return first.json
        })

      // records the server names: 201 with Location
      const factory = yield* twice(
        "/workshop/factories",
        tokens.coordinator,
        { name: "余姚塑料厂", contact: "王经理", subjects: ["factory.yuyao"] },
        "k-factory",
        201
      )
      const product = yield* twice(
        "/workshop/products",
        tokens.coordinator,
        {
          factoryId: factory.id,
          sku: "TAPE-D4",
          name: "胶带座",
          parts: [{ name: "底座", perPiece: 1 }],
          standardSeconds: 20
        },
        "k-product",
        201
      )
      const draft = {
        productId: product.id,
        title: "胶带座 / tape dispenser",
        quantity: 100,
        priceFen: 30,
        rateFen: 20,
        deadline: serverNow() + 20 * DAY,
        quality: { ...quality, rejectPolicy: "charged", rejectChargeFen: 3 }
      }
      const order = yield* twice("/workshop/orders", tokens.coordinator, draft, "k-order", 201)
      const orderId = order.id as string
      const chen = yield* twice(
        "/workshop/workers",
        tokens.coordinator,
        { residentId: residents.chen, displayName: "陈敏" },
        "k-enrol",
        201
      )
      const chenId = chen.id as string
      enrolled.set(residents.chen, chenId)

      // an order's commands: start, a new rate from now
      expect(yield* twice(`/workshop/orders/${orderId}/start`, tokens.coordinator, {}, "k-start")).toMatchObject({
        status: "open"
      })
      const rated = yield* twice(`/workshop/orders/${orderId}/rate`, tokens.coordinator, { rateFen: 22 }, "k-rate")
      expect((rated.rates as ReadonlyArray<{ rateFen: number }>).map((r) => r.rateFen)).toEqual([20, 22])

      // movements: receipt, sign-out, parts sent back, a return, a delivery
      yield* twice("/workshop/receipts", tokens.staff, { id: uuid(0x401), orderId, quantity: 60 }, "k-receipt")
      yield* twice(
        "/workshop/issues",
        tokens.staff,
        { id: uuid(0x402), orderId, workerId: chenId, quantity: 40, place: "onsite" },
        "k-issue"
      )
      const sentBack = yield* twice(
        "/workshop/factory-returns",
        tokens.staff,
        { id: uuid(0x403), orderId, quantity: 10, note: "多余的底座 / spare bases" },
        "k-factory-return"
      )
      expect(sentBack).toMatchObject({ kind: "return_to_factory", quantity: 10 })
      const returned = yield* twice(
        "/workshop/returns",
        tokens.staff,
        { id: uuid(0x404), orderId, workerId: chenId, accepted: 36, rejected: 4 },
        "k-return"
      )
      const charged = (returned.payLines as ReadonlyArray<PayLineJson>).find((l) => l.kind === "deduction")
      expect(charged).toMatchObject({ status: "proposed", amountFen: -12 })
      yield* twice("/workshop/deliveries", tokens.staff, { id: uuid(0x405), orderId, quantity: 36 }, "k-deliver")
      const balance = yield* get(`/workshop/orders/${orderId}/reconcile`, tokens.coordinator)
      expect(balance.json).toMatchObject({
        balance: { received: 60, stock: 10, delivered: 36, rejected: 4, returnedToFactory: 10 },
        workers: [{ workerId: chenId, issued: 40, accepted: 36, rejected: 4, held: 0 }],
        balanced: true
      })

      // pay lines: the charged reject dismissed, a bonus added
      expect(
        yield* twice(`/workshop/pay-lines/${charged?.id}/dismiss`, tokens.coordinator, undefined, "k-dismiss")
      ).toMatchObject({ status: "dismissed" })
      const bonus = yield* twice(
        "/workshop/pay-lines",
        tokens.coordinator,
        { id: uuid(0x406), workerId: chenId, kind: "bonus", amountFen: 200, note: "按时完成 / on time" },
        "k-bonus"
      )
      expect(bonus).toMatchObject({ kind: "bonus", status: "confirmed", amountFen: 200 })

      // an invoice, its payment; cash; a pay period, its payment; a contribution to the fund
      const invoice = yield* twice("/workshop/invoices", tokens.coordinator, { id: uuid(0x407), orderId }, "k-invoice")
      expect(invoice).toMatchObject({ pieces: 36, amountFen: 1_080 })
      expect(
        yield* twice(`/workshop/invoices/${uuid(0x407)}/paid`, tokens.coordinator, undefined, "k-paid")
      ).toMatchObject({ status: "paid" })
      // nothing more to invoice: 400
      expect((yield* post("/workshop/invoices", tokens.coordinator, { id: uuid(0x408), orderId })).status).toBe(400)
      expect(
        yield* twice(
          "/workshop/cash",
          tokens.coordinator,
          { id: uuid(0x409), amountFen: 50_000, note: "预付 / advance" },
          "k-cash"
        )
      ).toEqual({ transferId: uuid(0x409) })
      yield* advance(HOUR)
      const period = yield* twice(
        "/workshop/periods",
        tokens.coordinator,
        { id: uuid(0x40a), from: serverNow() - 30 * DAY, to: serverNow() - 1_000 },
        "k-close"
      )
      const slip = (period.slips as ReadonlyArray<{ workerId: string; netFen: number }>).find(
        (x) => x.workerId === chenId
      )
      // 36 accepted at 22 fen (the rate in force when they came back) and the bonus
      expect(slip?.netFen).toBe(36 * 22 + 200)
      expect(
        yield* twice(`/workshop/periods/${uuid(0x40a)}/pay`, tokens.coordinator, undefined, "k-pay")
      ).toMatchObject({ status: "paid" })
      const contribution = yield* twice(
        "/workshop/fund-contributions",
        tokens.coordinatorTreasurer,
        { id: uuid(0x40b), amountFen: 100, note: "捐入基金 / to the fund" },
        "k-fund"
      )
      expect(contribution.transferId).toBe(uuid(0x40b))

      // a worker leaves (she holds nothing); a draft order is cancelled; a closed order stays closed
      expect(yield* twice(`/workshop/workers/${chenId}/leave`, tokens.coordinator, undefined, "k-leave")).toMatchObject(
        { active: false }
      )
      const spare = yield* post("/workshop/orders", tokens.coordinator, { ...draft, title: "备用单 / spare" })
      expect(
        yield* twice(`/workshop/orders/${spare.json.id}/cancel`, tokens.coordinator, undefined, "k-cancel")
      ).toMatchObject({ status: "cancelled" })
      expect(
        yield* twice(`/workshop/orders/${orderId}/close`, tokens.coordinator, undefined, "k-closeorder")
      ).toMatchObject({ status: "closed" })
      const signOut = yield* post("/workshop/issues", tokens.staff, {
        id: uuid(0x40c),
        orderId,
        workerId: chenId,
        quantity: 1,
        place: "onsite"
      })
      expect(signOut.status).toBe(409)

      // another community's workshop: no pay lines, so no period to close; no cash to pay with
      const empty = yield* post("/workshop/periods", tokens.guliCoordinator, {
        id: uuid(0x40d),
        from: serverNow() - DAY,
        to: serverNow() - 1_000
      })
      expect(empty.status).toBe(400)
      expect(empty.json.code).toBe("InvalidInput")
    })
  )

  it.effect("a period is paid all or nothing: without the cash, 409 and it stays closed; with it, paid", () =>
    Effect.gen(function* () {
      // 顾里小站 runs its own workshop, with no cash yet
      const gu = tokens.guliCoordinator
      expect(
        (yield* raw("/workshop/settings", { method: "PUT", token: gu, body: { minimumHourlyWageFen: 2_500 } })).status
      ).toBe(200)
      const factory = yield* post("/workshop/factories", gu, { name: "顾里纸品厂", contact: "周经理" })
      expect(factory.status, factory.text).toBe(201)
      const product = yield* post("/workshop/products", gu, {
        factoryId: factory.json.id,
        sku: "BAG-E5",
        name: "纸袋",
        parts: [{ name: "纸板", perPiece: 1 }],
        standardSeconds: 30
      })
      expect(product.status, product.text).toBe(201)
      const order = yield* post("/workshop/orders", gu, {
        productId: product.json.id,
        title: "纸袋 / paper bags",
        quantity: 50,
        priceFen: 40,
        rateFen: 25,
        deadline: serverNow() + 5 * DAY,
        quality
      })
      expect(order.status, order.text).toBe(201)
      const orderId = order.json.id as string
      expect((yield* post(`/workshop/orders/${orderId}/start`, gu, {})).status).toBe(200)
      const worker = yield* post("/workshop/workers", gu, { residentId: residents.gu, displayName: "顾兰" })
      expect(worker.status, worker.text).toBe(201)
      const workerId = worker.json.id as string
      expect((yield* post("/workshop/receipts", gu, { id: uuid(0x501), orderId, quantity: 20 })).status).toBe(200)
      expect(
        (yield* post("/workshop/issues", gu, { id: uuid(0x502), orderId, workerId, quantity: 20, place: "home" }))
          .status
      ).toBe(200)
      expect((yield* post("/workshop/returns", gu, { id: uuid(0x503), orderId, workerId, accepted: 20 })).status).toBe(
        200
      )
      // a deduction larger than she is owed (500 fen) is refused
      const tooMuch = yield* post("/workshop/pay-lines", gu, {
        id: uuid(0x504),
        workerId,
        kind: "deduction",
        amountFen: 501,
        note: "超额扣款 / too much"
      })
      expect(tooMuch.status).toBe(409)
      expect(tooMuch.json.code).toBe("InsufficientFunds")

      yield* advance(HOUR)
      const closed = yield* post("/workshop/periods", gu, {
        id: uuid(0x505),
        from: serverNow() - DAY,
        to: serverNow() - 1_000
      })
      expect(closed.status, closed.text).toBe(200)
      expect(closed.json.slips).toMatchObject([{ workerId, netFen: 500 }])
      const broke = yield* post(`/workshop/periods/${uuid(0x505)}/pay`, gu)
      expect(broke.status).toBe(409)
      expect(broke.json.code).toBe("InsufficientFunds")
      expect((yield* get(`/workshop/periods/${uuid(0x505)}`, gu)).json).toMatchObject({
        status: "closed",
        slips: [{ transferId: null }]
      })
      // a contribution to the fund is refused too (and needs fund:record first)
      expect(
        (yield* post("/workshop/fund-contributions", gu, { id: uuid(0x506), amountFen: 1, note: "x" })).status
      ).toBe(403)

      expect(
        (yield* post("/workshop/cash", gu, { id: uuid(0x507), amountFen: 400, note: "不够 / not enough" })).status
      ).toBe(200)
      expect((yield* post(`/workshop/periods/${uuid(0x505)}/pay`, gu)).status).toBe(409)
      expect(
        (yield* post("/workshop/cash", gu, { id: uuid(0x508), amountFen: 100, note: "补足 / topped up" })).status
      ).toBe(200)
      const paid = yield* post(`/workshop/periods/${uuid(0x505)}/pay`, gu)
      expect(paid.status, paid.text).toBe(200)
      expect(paid.json).toMatchObject({
        status: "paid",
        slips: [{ workerId, netFen: 500, transferId: expect.any(String) }]
      })
      // paid once only
      const twice = yield* post(`/workshop/periods/${uuid(0x505)}/pay`, gu)
      expect(twice.status).toBe(409)
      expect(twice.json.code).toBe("InvalidTransition")
      // and 君馨 sees nothing of it
      expect((yield* get(`/workshop/periods/${uuid(0x505)}`, tokens.coordinator)).status).toBe(404)
    })
  )
})

// ---------------------------------------------------------------------------------------------
// the OpenAPI document

describe("the workshop in the OpenAPI document", () => {
  test("lists every workshop path, bilingual, the documents as text/html and text/csv, and warns of nothing", () => {
    const warn = vi.spyOn(console, "warn")
    const error = vi.spyOn(console, "error")
    const spec = OpenApi.fromApi(CommonwealApi) as unknown as {
      readonly paths: Record<
        string,
        Record<
          string,
          {
            readonly summary?: string
            readonly description?: string
            readonly parameters: ReadonlyArray<{
              readonly name: string
              readonly in: string
              readonly description?: string
            }>
            readonly responses: Record<string, { readonly content?: Record<string, unknown> }>
          }
        >
      >
      readonly components: { readonly schemas: Record<string, unknown> }
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
    warn.mockRestore()
    error.mockRestore()

    const expected = [
      ["/workshop/settings", "get"],
      ["/workshop/settings", "put"],
      ["/workshop/factories", "get"],
      ["/workshop/factories", "post"],
      ["/workshop/factories/{id}", "get"],
      ["/workshop/products", "get"],
      ["/workshop/products", "post"],
      ["/workshop/products/{id}", "get"],
      ["/workshop/orders", "get"],
      ["/workshop/orders", "post"],
      ["/workshop/orders/{id}", "get"],
      ["/workshop/orders/{id}/start", "post"],
      ["/workshop/orders/{id}/rate", "post"],
      ["/workshop/orders/{id}/close", "post"],
      ["/workshop/orders/{id}/cancel", "post"],
      ["/workshop/orders/{id}/progress", "get"],
      ["/workshop/orders/{id}/reconcile", "get"],
      ["/workshop/workers", "get"],
      ["/workshop/workers", "post"],
      ["/workshop/workers/me", "get"],
      ["/workshop/workers/{id}", "get"],
      ["/workshop/workers/{id}/leave", "post"],
      ["/workshop/workers/{id}/custody", "get"],
      ["/workshop/receipts", "post"],
      ["/workshop/issues", "post"],
      ["/workshop/returns", "post"],
      ["/workshop/deliveries", "post"],
      ["/workshop/factory-returns", "post"],
      ["/workshop/movements", "get"],
      ["/workshop/movements/{id}", "get"],
      ["/workshop/pay-lines", "get"],
      ["/workshop/pay-lines", "post"],
      ["/workshop/pay-lines/{id}", "get"],
      ["/workshop/pay-lines/{id}/confirm", "post"],
      ["/workshop/pay-lines/{id}/dismiss", "post"],
      ["/workshop/periods", "get"],
      ["/workshop/periods", "post"],
      ["/workshop/periods/{id}", "get"],
      ["/workshop/periods/{id}/pay", "post"],
      ["/workshop/periods/{id}/payslips.csv", "get"],
      ["/workshop/periods/{id}/payslips/{workerId}", "get"],
      ["/workshop/periods/{id}/payslips/{workerId}.html", "get"],
      ["/workshop/periods/{id}/payslips/{workerId}.csv", "get"],
      ["/workshop/invoices", "get"],
      ["/workshop/invoices", "post"],
      ["/workshop/invoices/{id}", "get"],
      ["/workshop/invoices/{id}/paid", "post"],
      ["/workshop/invoices/{id}/html", "get"],
      ["/workshop/cash", "post"],
      ["/workshop/fund-contributions", "post"]
    ] as const
    for (const [path, method] of expected) {
      const operation = spec.paths[path]?.[method]
      expect(operation, `${method} ${path}`).toBeDefined()
      expect(operation?.summary, `${method} ${path}`).toEqual(expect.any(String))
      expect(operation?.description, `${method} ${path}`).toMatch(/ \/ .*[\u4e00-\u9fff]/u)
    }
    const workshopPaths = Object.entries(spec.paths).filter(([path]) => path.startsWith("/workshop"))
    expect(workshopPaths.flatMap(([, ops]) => Object.keys(ops))).toHaveLength(expected.length)
    expect(Object.keys(WorkshopGroup.endpoints)).toHaveLength(expected.length)

    const content = (path: string) => Object.keys(spec.paths[path]?.get?.responses["200"]?.content ?? {})
    expect(content("/workshop/periods/{id}/payslips/{workerId}.html")).toEqual(["text/html"])
    expect(content("/workshop/invoices/{id}/html")).toEqual(["text/html"])
    expect(content("/workshop/periods/{id}/payslips/{workerId}.csv")).toEqual(["text/csv"])
    expect(content("/workshop/periods/{id}/payslips.csv")).toEqual(["text/csv"])
    expect(content("/workshop/periods/{id}/payslips/{workerId}")).toEqual(["application/json"])

    // pieces and money moves answer 409 InsufficientFunds; reads list no 409
    const returns = JSON.stringify(spec.paths["/workshop/returns"]?.post?.responses)
    expect(returns).toContain("InsufficientFundsProblem")
    expect(returns).toContain("ConflictProblem")
    expect(Object.keys(spec.paths["/workshop/orders/{id}/progress"]?.get?.responses ?? {})).not.toContain("409")
    // query parameters are described; from and to are ISO 8601 date-times; limit an integer with its range
    for (const [path, ops] of workshopPaths) {
      for (const [method, op] of Object.entries(ops)) {
        for (const parameter of op.parameters.filter((p) => p.in === "query")) {
          expect(parameter.description, `${method} ${path} ${parameter.name}`).toEqual(expect.any(String))
        }
      }
    }
    expect(
      spec.paths["/workshop/movements"]?.get?.parameters.find((p) => p.name === "from") as unknown as { schema: object }
    ).toMatchObject({ schema: { type: "string", format: "date-time" } })
    expect(
      spec.paths["/workshop/orders"]?.get?.parameters.find((p) => p.name === "limit") as unknown as { schema: object }
    ).toMatchObject({ schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } })

    // no free-text string of a workshop request body goes without maxLength
    const unbounded: Array<string> = []
    const walk = (node: unknown, at: string): void => {
      if (typeof node !== "object" || node === null) return
      const n = node as Record<string, unknown>
      if (n.type === "string" && n.enum === undefined && n.pattern === undefined && n.maxLength === undefined)
        unbounded.push(at)
      for (const [key, value] of Object.entries(n)) walk(value, `${at}/${key}`)
    }
    for (const name of [
      "ConfigureWorkshopInput",
      "AddWorkshopFactoryInput",
      "AddWorkProductInput",
      "CreateWorkOrderInput",
      "StartWorkOrderInput",
      "ChangeWorkRateInput",
      "EnrollWorkerInput",
      "WorkshopReceiveInput",
      "WorkshopIssueInput",
      "WorkshopReturnInput",
      "WorkshopShipInput",
      "AddWorkshopPayLineInput",
      "CloseWorkshopPeriodInput",
      "IssueWorkshopInvoiceInput",
      "AddWorkshopCashInput",
      "WorkshopContributeInput"
    ]) {
      expect(spec.components.schemas[name], name).toBeDefined()
      walk(spec.components.schemas[name], name)
    }
    expect(unbounded).toEqual([])
  })
})
