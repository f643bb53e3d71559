/**
 * The workshop, end to end over a storage adapter: the core `Workshop` service (with the ledger
 * and the fund under it) running on the adapter's ports. What users rely on: a rate below the
 * minimum wage is not started without a reason on record; a rate change never rewrites what was
 * earned; every piece signed out is accounted for (issued = accepted + rejected + unused +
 * scrapped + held) and the ledger agrees; nobody returns more than they hold; a movement sent
 * twice counts once; reject policies and the scrap tolerance pay and deduct what the order says;
 * payslips equal the ledger to the fen and are paid only from cash that is there; invoices
 * charge each delivered piece once; the margin reaches the public-welfare fund; workers and
 * factories see only their own; the order's progress and the custody's age follow the clock; and
 * parallel returns from one custody never exceed what is held.
 *
 * @module
 */
import { expect } from "@effect/vitest"
import {
  CurrentActor,
  Fund,
  IdGenerator,
  Ledger,
  LedgerRepo,
  Movement,
  Outbox,
  PayLine,
  Payslips,
  ResidentRepo,
  TransferId,
  Workshop,
  WorkshopAccounts
} from "@commonweal/core"
import type {
  Actor,
  CommunityId,
  DomainError,
  LedgerAccountId,
  QualityRules,
  ResidentId,
  Worker,
  WorkOrder,
  WorkProduct
} from "@commonweal/core"
import { Clock, Effect, Layer, Option, Schema } from "effect"
import { makeResident, randomUuid7 } from "../builders.js"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import { ahead } from "../kernel/clock.js"
import { DAY_MS as DAY } from "./helpers.js"
import type { WorkshopContractPorts } from "./helpers.js"

type Services = Workshop | Fund | Ledger | WorkshopContractPorts

const as =
  (actor: Actor) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.provideService(effect, CurrentActor, actor)

/** A fresh movement (transfer) id, as a caller sends it. */
const tid = (): string => TransferId.make(randomUuid7())
/** A fresh UUIDv7 for any other id a caller chooses (pay lines, periods, invoices). */
const uid = (): string => randomUuid7()

const expectError = (error: DomainError, tag: DomainError["_tag"], ...inMessage: ReadonlyArray<string>) => {
  expect(error._tag, error.message).toBe(tag)
  for (const text of inMessage) expect(error.message).toContain(text)
}

const expectOneOf = (error: DomainError, tags: ReadonlyArray<DomainError["_tag"]>) => {
  expect(tags, `${error._tag}: ${error.message}`).toContain(error._tag)
}

/** An account's debit balance (posted debits less posted credits), 0 if it was never opened. */
const debitBalance = (communityId: CommunityId, id: LedgerAccountId) =>
  Effect.map(
    LedgerRepo.use((ledger) => ledger.findAccount(communityId, id)),
    Option.match({ onNone: () => 0, onSome: (a) => a.debitsPosted - a.creditsPosted })
  )

/** An account's credit balance (posted credits less posted debits), 0 if it was never opened. */
const creditBalance = (communityId: CommunityId, id: LedgerAccountId) =>
  Effect.map(
    LedgerRepo.use((ledger) => ledger.findAccount(communityId, id)),
    Option.match({ onNone: () => 0, onSome: (a) => a.creditsPosted - a.debitsPosted })
  )

/** What the workshop owes a worker (the resident's wages payable). */
const owed = (communityId: CommunityId, residentId: ResidentId) =>
  creditBalance(communityId, WorkshopAccounts.wagesPayableAccountId(communityId, residentId))

/** The workshop's cash. */
const cash = (communityId: CommunityId) =>
  debitBalance(communityId, WorkshopAccounts.moneyAccountId(communityId, "cash"))

/** `[kind, status, amountFen, quantity]` of pay lines, sorted by kind: what a return produced. */
const lineSummary = (lines: ReadonlyArray<PayLine>) =>
  lines
    .map((l) => [l.kind, l.status, l.amountFen, l.quantity] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))

/** The year of `at` in Asia/Shanghai (an invoice number's prefix). */
const shanghaiYear = (at: number): string =>
  new Intl.DateTimeFormat("en", { timeZone: "Asia/Shanghai", year: "numeric" }).format(at)

/** Rejects paid at half the rate, 2 % scrap tolerated, then ¥0.50 a piece. */
const halfPaidRejects: QualityRules = {
  rejectPolicy: "partly_paid",
  rejectSharePercent: 50,
  rejectChargeFen: 0,
  scrapTolerancePermille: 20,
  scrapChargeFen: 50
}

/**
 * A fresh community with its people: the workshop's coordinator, a member of staff, a coordinator
 * who is also the fund's treasurer, the fund's treasurer, three residents (two to enrol as
 * workers, one not) and the contact of a partner factory.
 */
const setup = Effect.gen(function* () {
  const communityId = yield* freshCommunity
  const residents = yield* ResidentRepo
  const chenR = makeResident({ communityId, displayName: "陈秀兰", birthYear: 1984, tags: [] })
  const wangR = makeResident({ communityId, displayName: "王阿姨", birthYear: 1961, tags: [] })
  const liR = makeResident({ communityId, displayName: "李红", birthYear: 1990, tags: [] })
  for (const r of [chenR, wangR, liR]) yield* residents.insert(r)
  const person = (subject: string, roles: ReadonlyArray<string>, residentId?: ResidentId): Actor => ({
    subject,
    communityId,
    roles: [...roles],
    ...(residentId === undefined ? {} : { residentId })
  })
  return {
    communityId,
    chenR,
    wangR,
    liR,
    coordinator: person("coordinator-zhang", ["coordinator"]),
    staff: person("social-worker-li", ["staff"]),
    bursar: person("coordinator-treasurer-xu", ["coordinator", "treasurer"]),
    treasurer: person("treasurer-xu", ["treasurer"]),
    chen: person(`resident-${chenR.id}`, ["resident"], chenR.id),
    wang: person(`resident-${wangR.id}`, ["resident"], wangR.id),
    li: person(`resident-${liR.id}`, ["resident"], liR.id),
    factory: person(`factory-gaoqiao-${randomUuid7()}`, ["factory"]),
    toyFactory: person(`factory-toys-${randomUuid7()}`, ["factory"])
  }
})

type People = Effect.Success<typeof setup>

interface OrderOptions {
  readonly rateFen?: number
  readonly quantity?: number
  readonly deadlineDays?: number
  readonly quality?: QualityRules
  readonly priceFen?: number
}

/** Creates (as the coordinator) and starts an order of `product`. */
const newOrder = (p: People, product: WorkProduct, options: OrderOptions = {}) =>
  Effect.gen(function* () {
    const ws = yield* Workshop
    const now = yield* Clock.currentTimeMillis
    const draft = yield* ws
      .createOrder({
        productId: product.id,
        title: "九月长尾夹 / September binder clips",
        quantity: options.quantity ?? 1_000,
        priceFen: options.priceFen ?? 15,
        rateFen: options.rateFen ?? 10,
        deadline: now + (options.deadlineDays ?? 30) * DAY,
        quality: options.quality ?? halfPaidRejects
      })
      .pipe(as(p.coordinator))
    return yield* ws.startOrder(draft.id, {}).pipe(as(p.coordinator))
  })

/**
 * Opens the workshop of `p`'s community: a ¥26.00 minimum, the stationery factory (its contact is
 * `p.factory`), binder clips at 12 s a piece, an open order (¥0.10 a piece, ¥30.00 an hour), and
 * Chen and Wang enrolled.
 */
const openShop = (p: People, options: OrderOptions = {}) =>
  Effect.gen(function* () {
    const ws = yield* Workshop
    yield* ws.configure({ minimumHourlyWageFen: 2_600 }).pipe(as(p.coordinator))
    const factory = yield* ws
      .addFactory({ name: "宁波高桥文具厂", contact: "李经理 0574-8800 1234", subjects: [p.factory.subject] })
      .pipe(as(p.coordinator))
    const product = yield* ws
      .addProduct({
        factoryId: factory.id,
        sku: "CLIP-A3",
        name: "A3 长尾夹组装 / binder clip assembly",
        parts: [
          { name: "夹身 / clip body", perPiece: 1 },
          { name: "钢丝把手 / wire handle", perPiece: 2 }
        ],
        standardSeconds: 12
      })
      .pipe(as(p.coordinator))
    const order = yield* newOrder(p, product, options)
    const chen = yield* ws.enroll({ residentId: p.chenR.id, displayName: "陈秀兰" }).pipe(as(p.coordinator))
    const wang = yield* ws.enroll({ residentId: p.wangR.id, displayName: "王阿姨" }).pipe(as(p.coordinator))
    return { factory, product, order, chen, wang }
  })

/** Receives `quantity` parts of `order` (as staff). */
const receive = (p: People, order: WorkOrder, quantity: number) =>
  Effect.flatMap(Workshop, (ws) =>
    ws.receive({ id: tid(), orderId: order.id, quantity, note: "收到零件 / parts received" }).pipe(as(p.staff))
  )

/** Signs `quantity` parts of `order` out to `worker`, to take home (as staff). */
const issue = (p: People, order: WorkOrder, worker: Worker, quantity: number) =>
  Effect.flatMap(Workshop, (ws) =>
    ws
      .issue({ id: tid(), orderId: order.id, workerId: worker.id, quantity, place: "home", note: "领料回家 / home" })
      .pipe(as(p.staff))
  )

type Counts = {
  readonly accepted?: number
  readonly rejected?: number
  readonly unused?: number
  readonly scrapped?: number
}

/** Records `worker`'s return of `order`'s pieces (as staff). */
const giveBack = (p: People, order: WorkOrder, worker: Worker, counts: Counts) =>
  Effect.flatMap(Workshop, (ws) =>
    ws
      .returnPieces({ id: tid(), orderId: order.id, workerId: worker.id, note: "交货验收 / returned", ...counts })
      .pipe(as(p.staff))
  )

/** Every movement of a query, all pages (as the coordinator unless `actor` is given). */
const allMovements = (
  p: People,
  query: { readonly orderId?: string; readonly workerId?: string } = {},
  actor?: Actor
) =>
  Effect.flatMap(Workshop, (ws) =>
    Effect.map(ws.movements(query, { limit: 200 }).pipe(as(actor ?? p.coordinator)), (page) => page.items)
  )

/** Lets the clock move on so that what was just recorded lies strictly before "now". */
const tick = Effect.sleep("3 millis")

/**
 * Registers the end-to-end suite of the workshop for an adapter: the core `Workshop`, `Fund` and
 * `Ledger` services over `target`'s ports. `workshopContract` runs it after the port contract.
 */
export const workshopServiceSuite = (target: ContractTarget<WorkshopContractPorts>): void => {
  const services: Layer.Layer<Services, unknown> = Workshop.layer.pipe(
    Layer.provideMerge(Layer.merge(Fund.layer, Ledger.layer)),
    Layer.provideMerge(Layer.merge(target.layer, IdGenerator.Live))
  )

  registerContract(
    `workshop service over ${target.name}`,
    { name: target.name, layer: services, skip: target.skip },
    (it) => {
      it.effect("settings default to no minimum; configuring bumps the version", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const before = yield* ws.settings().pipe(as(p.staff))
          expect([before.minimumHourlyWageFen, before.version, before.updatedAt]).toEqual([0, 0, 0])
          const first = yield* ws.configure({ minimumHourlyWageFen: 2_600 }).pipe(as(p.coordinator))
          expect([first.minimumHourlyWageFen, first.version]).toEqual([2_600, 1])
          const second = yield* ws.configure({ minimumHourlyWageFen: 2_800 }).pipe(as(p.coordinator))
          expect([second.minimumHourlyWageFen, second.version]).toEqual([2_800, 2])
          expect(yield* ws.settings().pipe(as(p.staff))).toEqual(second)
          expectError(
            yield* Effect.flip(ws.configure({ minimumHourlyWageFen: 1 }).pipe(as(p.staff))),
            "Forbidden",
            "workshop:manage"
          )
        })
      )

      it.effect("a rate below the minimum wage is not started without a reason, which the order then keeps", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { product } = yield* openShop(p)
          const now = yield* Clock.currentTimeMillis
          // 6 fen a piece at 12 s a piece is 18.00 an hour, below 26.00
          const low = yield* ws
            .createOrder({
              productId: product.id,
              title: "低价试单 / low-rate trial",
              quantity: 500,
              priceFen: 9,
              rateFen: 6,
              deadline: now + 10 * DAY,
              quality: halfPaidRejects
            })
            .pipe(as(p.coordinator))
          expect(low.status).toBe("draft")
          expect(low.fairPay).toEqual({
            rateFen: 6,
            standardSeconds: 12,
            effectiveHourlyFen: 1_800,
            minimumHourlyWageFen: 2_600,
            belowMinimum: true
          })
          expect(low.rates.map((r) => r.rateFen)).toEqual([6])
          const refused = yield* Effect.flip(ws.startOrder(low.id, {}).pipe(as(p.coordinator)))
          expectError(refused, "InvalidInput", "18.00", "26.00")
          expect((yield* ws.order(low.id).pipe(as(p.staff))).status).toBe("draft")
          const started = yield* ws
            .startOrder(low.id, { acknowledgeLowRate: "工厂答应下批提价 / the factory raises the price next batch" })
            .pipe(as(p.coordinator))
          expect(started.status).toBe("open")
          expect(started.startedAt).not.toBeNull()
          expect(started.lowRateAcknowledgement).toMatchObject({
            by: p.coordinator.subject,
            reason: "工厂答应下批提价 / the factory raises the price next batch"
          })
          expectError(yield* Effect.flip(ws.startOrder(low.id, {}).pipe(as(p.coordinator))), "InvalidTransition")
          // a fair rate starts without a word
          const fair = yield* newOrder(p, product, { rateFen: 10 })
          expect([fair.status, fair.lowRateAcknowledgement, fair.fairPay.effectiveHourlyFen]).toEqual([
            "open",
            null,
            3_000
          ])
          expect(fair.fairPay.belowMinimum).toBe(false)
          // a new low rate on an open order is allowed, and flagged
          const lowered = yield* ws.changeRate(fair.id, { rateFen: 7 }).pipe(as(p.coordinator))
          expect([lowered.status, lowered.fairPay.rateFen, lowered.fairPay.belowMinimum]).toEqual(["open", 7, true])
        })
      )

      it.effect(
        "products and orders: one SKU per community, parts required, a factory that exists, a deadline ahead",
        () =>
          Effect.gen(function* () {
            const p = yield* setup
            const ws = yield* Workshop
            const { factory, product } = yield* openShop(p)
            const clip = {
              factoryId: factory.id,
              sku: "CLIP-A3",
              name: "又一个长尾夹",
              parts: [{ name: "夹身", perPiece: 1 }],
              standardSeconds: 10
            }
            expectError(yield* Effect.flip(ws.addProduct(clip).pipe(as(p.coordinator))), "Conflict")
            expectError(
              yield* Effect.flip(ws.addProduct({ ...clip, sku: "CLIP-B5", parts: [] }).pipe(as(p.coordinator))),
              "InvalidInput"
            )
            expectError(
              yield* Effect.flip(ws.addProduct({ ...clip, sku: "CLIP-B5", factoryId: uid() }).pipe(as(p.coordinator))),
              "NotFound"
            )
            expectError(
              yield* Effect.flip(ws.addProduct({ ...clip, sku: "clip b5" }).pipe(as(p.coordinator))),
              "InvalidInput"
            )
            const now = yield* Clock.currentTimeMillis
            const order = {
              productId: product.id,
              title: "过期工单",
              quantity: 100,
              priceFen: 15,
              rateFen: 10,
              deadline: now - DAY,
              quality: halfPaidRejects
            }
            expectError(yield* Effect.flip(ws.createOrder(order).pipe(as(p.coordinator))), "InvalidInput")
            expectError(
              yield* Effect.flip(
                ws.createOrder({ ...order, productId: uid(), deadline: now + DAY }).pipe(as(p.coordinator))
              ),
              "NotFound"
            )
            expectError(yield* Effect.flip(ws.order("not-an-id").pipe(as(p.staff))), "InvalidInput")
            expectError(yield* Effect.flip(ws.order(uid()).pipe(as(p.staff))), "NotFound")
            const made = yield* ws.createOrder({ ...order, deadline: now + 5 * DAY }).pipe(as(p.coordinator))
            expect([made.factoryId, made.sku, made.status, made.rates.length]).toEqual([
              factory.id,
              "CLIP-A3",
              "draft",
              1
            ])
            expect((yield* ws.products().pipe(as(p.staff))).items.map((x) => x.sku)).toEqual(["CLIP-A3"])
          })
      )

      it.effect("a rate change keeps what was earned at the old rate; a dated change applies from its date", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen } = yield* openShop(p)
          yield* receive(p, order, 1_000)
          yield* issue(p, order, chen, 300)
          const first = yield* giveBack(p, order, chen, { accepted: 100 })
          expect(lineSummary(first.payLines)).toEqual([["earning", "confirmed", 1_000, 100]])
          expect(first.payLines[0]!.rateFen).toBe(10)
          yield* tick
          const changed = yield* ws.changeRate(order.id, { rateFen: 12 }).pipe(as(p.coordinator))
          expect(changed.rates.map((r) => r.rateFen)).toEqual([10, 12])
          expect(changed.fairPay.rateFen).toBe(12)
          yield* tick
          const second = yield* giveBack(p, order, chen, { accepted: 50 })
          expect(lineSummary(second.payLines)).toEqual([["earning", "confirmed", 600, 50]])
          // the earlier line is as it was
          const kept = yield* ws.payLine(first.payLines[0]!.id).pipe(as(p.coordinator))
          expect([kept.amountFen, kept.rateFen, kept.quantity]).toEqual([1_000, 10, 100])
          // a change from the day after tomorrow: today's pieces still earn 12, then 15
          const now = yield* Clock.currentTimeMillis
          const dated = yield* ws
            .changeRate(order.id, { rateFen: 15, effectiveFrom: now + 2 * DAY })
            .pipe(as(p.coordinator))
          expect(dated.rates.map((r) => r.rateFen)).toEqual([10, 12, 15])
          const today = yield* giveBack(p, order, chen, { accepted: 10 })
          expect(lineSummary(today.payLines)).toEqual([["earning", "confirmed", 120, 10]])
          const later = yield* giveBack(p, order, chen, { accepted: 10 }).pipe(ahead(3 * DAY))
          expect(lineSummary(later.payLines)).toEqual([["earning", "confirmed", 150, 10]])
          // a rate may not start in the past
          expectError(
            yield* Effect.flip(
              ws.changeRate(order.id, { rateFen: 20, effectiveFrom: now - DAY }).pipe(as(p.coordinator), ahead(3 * DAY))
            ),
            "InvalidInput"
          )
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(1_000 + 600 + 120 + 150)
        })
      )

      it.effect(
        "receive, issue and return keep issued = accepted + rejected + unused + scrapped + held; the ledger agrees",
        () =>
          Effect.gen(function* () {
            const p = yield* setup
            const ws = yield* Workshop
            const { order, chen, wang } = yield* openShop(p)
            const received = yield* receive(p, order, 1_000)
            expect([received.kind, received.quantity, received.workerId, received.recordedBy]).toEqual([
              "receive",
              1_000,
              null,
              p.staff.subject
            ])
            const out = yield* issue(p, order, chen, 300)
            expect([out.kind, out.workerId, out.place]).toEqual(["issue", chen.id, "home"])
            yield* issue(p, order, wang, 200)
            const id = tid()
            const back = yield* ws
              .returnPieces({
                id,
                orderId: order.id,
                workerId: chen.id,
                accepted: 250,
                rejected: 10,
                unused: 20,
                scrapped: 5,
                note: "第一次交回 / first return"
              })
              .pipe(as(p.staff))
            expect(back.movements.map((m) => [m.id, m.kind, m.quantity, m.workerId])).toEqual([
              [id, "accept", 250, chen.id],
              [WorkshopAccounts.derivedTransferId(`${id}/reject`), "reject", 10, chen.id],
              [WorkshopAccounts.derivedTransferId(`${id}/unused`), "unused", 20, chen.id],
              [WorkshopAccounts.derivedTransferId(`${id}/scrap`), "scrap", 5, chen.id]
            ])
            yield* giveBack(p, order, wang, { accepted: 100 })
            const custody = yield* ws.custody(chen.id).pipe(as(p.coordinator))
            expect(custody).toHaveLength(1)
            expect(custody[0]).toMatchObject({
              orderId: order.id,
              workerId: chen.id,
              issued: 300,
              accepted: 250,
              rejected: 10,
              unused: 20,
              scrapped: 5,
              held: 15,
              days: 0
            })
            const c = custody[0]!
            expect(c.accepted + c.rejected + c.unused + c.scrapped + c.held).toBe(c.issued)
            const r = yield* ws.reconcile(order.id).pipe(as(p.coordinator))
            expect(r.balanced).toBe(true)
            expect(r.balance).toEqual({
              orderId: order.id,
              received: 1_000,
              stock: 520,
              inCustody: 115,
              accepted: 350,
              rejected: 10,
              scrapped: 5,
              delivered: 0,
              returnedToFactory: 0
            })
            expect(r.ledger).toMatchObject({ stock: 520, accepted: 350, custody: 115 })
            expect(r.workers.map((w) => [w.workerId, w.held]).sort()).toEqual(
              [
                [chen.id, 15],
                [wang.id, 100]
              ].sort()
            )
            // straight from the ledger's accounts
            const acc = (a: WorkshopAccounts.OrderAccount) => WorkshopAccounts.orderAccountId(order.id, a)
            expect(yield* debitBalance(p.communityId, acc("stock"))).toBe(520)
            expect(yield* debitBalance(p.communityId, acc("accepted"))).toBe(350)
            expect(yield* creditBalance(p.communityId, acc("factory"))).toBe(1_000)
            expect(yield* debitBalance(p.communityId, WorkshopAccounts.custodyAccountId(order.id, p.chenR.id))).toBe(15)
            expect(yield* debitBalance(p.communityId, WorkshopAccounts.custodyAccountId(order.id, p.wangR.id))).toBe(
              100
            )
            // unused parts go back to the factory; no more than the stock holds
            yield* ws
              .returnToFactory({ id: tid(), orderId: order.id, quantity: 20, note: "退回工厂 / back to the factory" })
              .pipe(as(p.staff))
            expectError(
              yield* Effect.flip(
                ws
                  .returnToFactory({
                    id: tid(),
                    orderId: order.id,
                    quantity: 600,
                    note: "退回工厂 / back to the factory"
                  })
                  .pipe(as(p.staff))
              ),
              "InsufficientFunds",
              "500"
            )
            expectError(yield* Effect.flip(issue(p, order, chen, 501)), "InsufficientFunds", "500")
            const after = yield* ws.reconcile(order.id).pipe(as(p.coordinator))
            expect([after.balanced, after.balance.stock, after.balance.returnedToFactory, after.ledger.stock]).toEqual([
              true,
              500,
              20,
              500
            ])
            const b = after.balance
            expect(
              b.stock + b.inCustody + b.accepted + b.rejected + b.scrapped + b.delivered + b.returnedToFactory
            ).toBe(b.received)
          })
      )

      it.effect("returning more than is held is InsufficientFunds naming what is held, and writes nothing", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen } = yield* openShop(p)
          yield* receive(p, order, 100)
          yield* issue(p, order, chen, 15)
          const before = yield* allMovements(p)
          const id = tid()
          const refused = yield* Effect.flip(
            ws
              .returnPieces({ id, orderId: order.id, workerId: chen.id, accepted: 10, unused: 6, note: "交回" })
              .pipe(as(p.staff))
          )
          expectError(refused, "InsufficientFunds", "15", "16")
          expect(yield* allMovements(p)).toEqual(before)
          expect((yield* ws.payLines({ workerId: chen.id }).pipe(as(p.coordinator))).items).toEqual([])
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(0)
          expect(yield* debitBalance(p.communityId, WorkshopAccounts.custodyAccountId(order.id, p.chenR.id))).toBe(15)
          expectError(
            yield* Effect.flip(
              ws.returnPieces({ id: tid(), orderId: order.id, workerId: chen.id, note: "空" }).pipe(as(p.staff))
            ),
            "InvalidInput"
          )
          // a worker who never had any holds none
          const wang = yield* ws.workers().pipe(
            as(p.coordinator),
            Effect.map((page) => page.items.find((w) => w.id !== chen.id)!)
          )
          expectError(yield* Effect.flip(giveBack(p, order, wang, { accepted: 1 })), "InsufficientFunds", "0")
          // the same id, within what is held, goes through: nothing of the refusal is in the way
          const ok = yield* ws
            .returnPieces({ id, orderId: order.id, workerId: chen.id, accepted: 10, unused: 5, note: "交回" })
            .pipe(as(p.staff))
          expect(ok.movements.map((m) => m.quantity)).toEqual([10, 5])
          expect((yield* ws.reconcile(order.id).pipe(as(p.coordinator))).balanced).toBe(true)
        })
      )

      it.effect("a movement sent twice is recorded once; the same id with other content is Conflict", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen } = yield* openShop(p)
          const receipt = { id: tid(), orderId: order.id, quantity: 500, note: "第一批 / first batch" }
          const first = yield* ws.receive(receipt).pipe(as(p.staff))
          expect(yield* ws.receive(receipt).pipe(as(p.staff))).toEqual(first)
          expectError(yield* Effect.flip(ws.receive({ ...receipt, quantity: 501 }).pipe(as(p.staff))), "Conflict")
          const signOut = {
            id: tid(),
            orderId: order.id,
            workerId: chen.id,
            quantity: 100,
            place: "onsite",
            note: "现场 / on site"
          } as const
          const issued = yield* ws.issue(signOut).pipe(as(p.staff))
          expect(yield* ws.issue(signOut).pipe(as(p.staff))).toEqual(issued)
          expectError(yield* Effect.flip(ws.issue({ ...signOut, place: "home" }).pipe(as(p.staff))), "Conflict")
          const giveBackInput = {
            id: tid(),
            orderId: order.id,
            workerId: chen.id,
            accepted: 60,
            rejected: 2,
            note: "交回"
          }
          const returned = yield* ws.returnPieces(giveBackInput).pipe(as(p.staff))
          const again = yield* ws.returnPieces(giveBackInput).pipe(as(p.staff))
          expect(again.movements).toEqual(returned.movements)
          expect(again.payLines.map((l) => l.id).sort()).toEqual(returned.payLines.map((l) => l.id).sort())
          expectError(
            yield* Effect.flip(ws.returnPieces({ ...giveBackInput, accepted: 61 }).pipe(as(p.staff))),
            "Conflict"
          )
          const movements = yield* allMovements(p)
          expect(movements.map((m) => m.kind).sort()).toEqual(["accept", "issue", "receive", "reject"])
          expect((yield* ws.payLines({ workerId: chen.id }).pipe(as(p.coordinator))).items).toHaveLength(2)
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(600 + 10)
          const r = yield* ws.reconcile(order.id).pipe(as(p.coordinator))
          expect([r.balanced, r.balance.received, r.balance.inCustody]).toEqual([true, 500, 38])
        })
      )

      it.effect("reject policies: paid in full, partly paid, charged (a proposed deduction), unpaid", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const { product, chen } = yield* openShop(p)
          const policy = (rejectPolicy: QualityRules["rejectPolicy"], extra: Partial<QualityRules> = {}) => ({
            ...halfPaidRejects,
            rejectPolicy,
            ...extra
          })
          const cases = [
            [
              policy("paid"),
              [
                ["earning", "confirmed", 800, 80],
                ["reject_pay", "confirmed", 100, 10]
              ]
            ],
            [
              policy("partly_paid", { rejectSharePercent: 30 }),
              [
                ["earning", "confirmed", 800, 80],
                ["reject_pay", "confirmed", 30, 10]
              ]
            ],
            [
              policy("charged", { rejectChargeFen: 20 }),
              [
                ["deduction", "proposed", -200, 10],
                ["earning", "confirmed", 800, 80]
              ]
            ],
            [policy("unpaid"), [["earning", "confirmed", 800, 80]]]
          ] as const
          for (const [quality, expected] of cases) {
            const order = yield* newOrder(p, product, { quality })
            yield* receive(p, order, 100)
            yield* issue(p, order, chen, 100)
            const back = yield* giveBack(p, order, chen, { accepted: 80, rejected: 10 })
            expect(lineSummary(back.payLines), quality.rejectPolicy).toEqual(expected)
            for (const line of back.payLines) {
              expect([line.orderId, line.workerId, line.periodId]).toEqual([order.id, chen.id, null])
              expect(line.transferId === null).toBe(line.status !== "confirmed")
            }
          }
          // confirmed lines are owed at once; the proposed deduction is not (yet)
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(4 * 800 + 100 + 30)
        })
      )

      it.effect("scrap beyond the tolerance proposes a deduction; confirming posts it, dismissing does not", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen } = yield* openShop(p) // 2 % tolerated, then 50 fen a piece
          yield* receive(p, order, 1_000)
          yield* issue(p, order, chen, 500) // 10 pieces of scrap tolerated
          const within = yield* giveBack(p, order, chen, { accepted: 100, scrapped: 4 })
          expect(lineSummary(within.payLines)).toEqual([["earning", "confirmed", 1_000, 100]])
          const beyond = yield* giveBack(p, order, chen, { accepted: 100, scrapped: 8 }) // 12 in all: 2 beyond
          const d1 = beyond.payLines.find((l) => l.kind === "deduction")!
          expect([d1.status, d1.amountFen, d1.transferId]).toEqual(["proposed", -100, null])
          const more = yield* giveBack(p, order, chen, { scrapped: 3 }) // all 3 beyond
          expect(lineSummary(more.payLines)).toEqual([["deduction", "proposed", -150, 3]])
          const d2 = more.payLines[0]!
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(2_000)
          expectError(yield* Effect.flip(ws.confirmPayLine(d1.id).pipe(as(p.staff))), "Forbidden", "workshop:pay")
          const confirmed = yield* ws.confirmPayLine(d1.id).pipe(as(p.coordinator))
          expect(confirmed.status).toBe("confirmed")
          expect(confirmed.transferId).not.toBeNull()
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(1_900)
          const transfer = yield* LedgerRepo.use((l) => l.findTransfer(p.communityId, confirmed.transferId!))
          expect(Option.map(transfer, (t) => t.amount)).toEqual(Option.some(100))
          const dismissed = yield* ws.dismissPayLine(d2.id).pipe(as(p.coordinator))
          expect([dismissed.status, dismissed.transferId]).toEqual(["dismissed", null])
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(1_900)
          expectError(yield* Effect.flip(ws.confirmPayLine(d2.id).pipe(as(p.coordinator))), "InvalidTransition")
          expectError(yield* Effect.flip(ws.dismissPayLine(d1.id).pipe(as(p.coordinator))), "InvalidTransition")
          expectError(yield* Effect.flip(ws.confirmPayLine(d1.id).pipe(as(p.coordinator))), "InvalidTransition")
          expect((yield* ws.payLines({ status: "proposed" }).pipe(as(p.coordinator))).items).toEqual([])
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(1_900)
        })
      )

      it.effect(
        "a bonus or a deduction the coordinator adds is posted at once; one beyond what is owed is refused",
        () =>
          Effect.gen(function* () {
            const p = yield* setup
            const ws = yield* Workshop
            const { order, chen } = yield* openShop(p)
            yield* receive(p, order, 100)
            yield* issue(p, order, chen, 100)
            yield* giveBack(p, order, chen, { accepted: 100 }) // 1,000 owed
            const bonus = {
              id: uid(),
              workerId: chen.id,
              kind: "bonus",
              amountFen: 500,
              note: "中秋奖励 / Mid-Autumn bonus"
            } as const
            const added = yield* ws.addPayLine(bonus).pipe(as(p.coordinator))
            expect([added.kind, added.status, added.amountFen]).toEqual(["bonus", "confirmed", 500])
            expect(yield* ws.addPayLine(bonus).pipe(as(p.coordinator))).toEqual(added)
            expectError(
              yield* Effect.flip(ws.addPayLine({ ...bonus, amountFen: 501 }).pipe(as(p.coordinator))),
              "Conflict"
            )
            const fine = yield* ws
              .addPayLine({
                id: uid(),
                workerId: chen.id,
                kind: "deduction",
                amountFen: 300,
                note: "工具损坏 / broken tool"
              })
              .pipe(as(p.coordinator))
            expect([fine.status, fine.amountFen]).toEqual(["confirmed", -300])
            expect(yield* owed(p.communityId, p.chenR.id)).toBe(1_200)
            const tooMuch = yield* Effect.flip(
              ws
                .addPayLine({ id: uid(), workerId: chen.id, kind: "deduction", amountFen: 1_201, note: "超额扣款" })
                .pipe(as(p.coordinator))
            )
            expectError(tooMuch, "InsufficientFunds")
            expect((yield* ws.payLines({ workerId: chen.id }).pipe(as(p.coordinator))).items).toHaveLength(3)
            expect(yield* owed(p.communityId, p.chenR.id)).toBe(1_200)
            expectError(
              yield* Effect.flip(
                ws
                  .addPayLine({ id: uid(), workerId: chen.id, kind: "bonus", amountFen: 1, note: "x" })
                  .pipe(as(p.staff))
              ),
              "Forbidden"
            )
          })
      )

      it.effect("a pay period: payslips equal the ledger to the fen; paid only from cash that is there", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen, wang } = yield* openShop(p)
          yield* receive(p, order, 1_000)
          yield* issue(p, order, chen, 300)
          yield* issue(p, order, wang, 200)
          // chen: 250 × 10 + 10 rejects at half (50); 5 scrapped within 2 % of 300; a bonus of 500
          yield* giveBack(p, order, chen, { accepted: 250, rejected: 10, scrapped: 5 })
          yield* ws
            .addPayLine({ id: uid(), workerId: chen.id, kind: "bonus", amountFen: 500, note: "全勤奖 / attendance" })
            .pipe(as(p.coordinator))
          // wang: 100 × 10, less a deduction of 200; 6 scrapped where 4 are tolerated: a proposed deduction
          const wangBack = yield* giveBack(p, order, wang, { accepted: 100, scrapped: 6 })
          const proposed = wangBack.payLines.find((l) => l.status === "proposed")!
          expect([proposed.kind, proposed.amountFen]).toEqual(["deduction", -100])
          yield* ws
            .addPayLine({ id: uid(), workerId: wang.id, kind: "deduction", amountFen: 200, note: "预支 / advance" })
            .pipe(as(p.coordinator))
          yield* tick
          const to = yield* Clock.currentTimeMillis
          expectError(
            yield* Effect.flip(ws.closePeriod({ id: uid(), from: 0, to: to + DAY }).pipe(as(p.coordinator))),
            "InvalidInput"
          )
          expectError(
            yield* Effect.flip(ws.closePeriod({ id: uid(), from: to, to }).pipe(as(p.coordinator))),
            "InvalidInput"
          )
          const periodId = uid()
          const closed = yield* ws.closePeriod({ id: periodId, from: 0, to }).pipe(as(p.coordinator))
          expect([closed.status, closed.from, closed.to, closed.paidAt]).toEqual(["closed", 0, to, null])
          const expected = [
            {
              workerId: chen.id,
              earnedFen: 2_550,
              bonusFen: 500,
              deductedFen: 0,
              netFen: 3_050,
              pieces: 250,
              standardHours: 0.83,
              transferId: null
            },
            {
              workerId: wang.id,
              earnedFen: 1_000,
              bonusFen: 0,
              deductedFen: 200,
              netFen: 800,
              pieces: 100,
              standardHours: 0.33,
              transferId: null
            }
          ].sort((a, b) => (a.workerId < b.workerId ? -1 : 1))
          expect(closed.slips).toEqual(expected)
          // each slip's net is what the ledger says the workshop owes the worker
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(3_050)
          expect(yield* owed(p.communityId, p.wangR.id)).toBe(800)
          const inPeriod = yield* ws.payLines({ periodId }).pipe(as(p.coordinator))
          expect(inPeriod.items).toHaveLength(5)
          expect(inPeriod.items.every((l) => l.periodId === periodId && l.status === "confirmed")).toBe(true)
          // a deduction still proposed is in no period: it waits for the coordinator
          expect((yield* ws.payLine(proposed.id).pipe(as(p.coordinator))).periodId).toBeNull()
          // nothing is left for another period over the same time
          expectError(
            yield* Effect.flip(ws.closePeriod({ id: uid(), from: 0, to }).pipe(as(p.coordinator))),
            "InvalidInput"
          )
          // no cash yet: refused, and the period stays closed with nothing paid
          expectError(yield* Effect.flip(ws.payPeriod(periodId).pipe(as(p.coordinator))), "InsufficientFunds")
          const still = yield* ws.period(periodId).pipe(as(p.coordinator))
          expect([still.status, still.slips.map((s) => s.transferId)]).toEqual(["closed", [null, null]])
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(3_050)
          yield* ws
            .addCash({ id: tid(), amountFen: 5_000, note: "街道启动资金 / start-up grant" })
            .pipe(as(p.coordinator))
          const paid = yield* ws.payPeriod(periodId).pipe(as(p.coordinator))
          expect(paid.status).toBe("paid")
          expect(paid.paidAt).not.toBeNull()
          for (const slip of paid.slips) {
            expect(slip.transferId).not.toBeNull()
            const t = yield* LedgerRepo.use((l) => l.findTransfer(p.communityId, slip.transferId!))
            expect(Option.map(t, (x) => x.amount)).toEqual(Option.some(slip.netFen))
          }
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(0)
          expect(yield* owed(p.communityId, p.wangR.id)).toBe(0)
          expect(yield* cash(p.communityId)).toBe(5_000 - 3_050 - 800)
          expectError(yield* Effect.flip(ws.payPeriod(periodId).pipe(as(p.coordinator))), "InvalidTransition")
          // the payslip: lines, totals and the order they came from
          const slip = yield* ws.payslip(periodId, chen.id).pipe(as(p.coordinator))
          expect(slip.worker).toMatchObject({ id: chen.id, displayName: "陈秀兰" })
          expect(slip.totals).toEqual(paid.slips.find((s) => s.workerId === chen.id))
          expect(slip.lines.map((l) => l.amountFen).sort((a, b) => a - b)).toEqual([50, 500, 2_500])
          expect(slip.lines.reduce((sum, l) => sum + l.amountFen, 0)).toBe(slip.totals.netFen)
          expect(slip.orders.map((o) => o.id)).toEqual([order.id])
          // later lines wait for the next period
          yield* giveBack(p, order, wang, { accepted: 50 })
          yield* tick
          const next = yield* ws
            .closePeriod({ id: uid(), from: to, to: yield* Clock.currentTimeMillis })
            .pipe(as(p.coordinator))
          expect(next.slips.map((s) => [s.workerId, s.netFen])).toEqual([[wang.id, 500]])
        })
      )

      it.effect("invoices charge delivered pieces × price, each piece once; payment moves the money to cash", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { factory, order, chen } = yield* openShop(p)
          yield* receive(p, order, 1_000)
          yield* issue(p, order, chen, 300)
          yield* giveBack(p, order, chen, { accepted: 250 })
          expectError(
            yield* Effect.flip(ws.issueInvoice({ id: uid(), orderId: order.id }).pipe(as(p.coordinator))),
            "InvalidInput"
          )
          yield* ws.deliver({ id: tid(), orderId: order.id, quantity: 200, note: "交货 / delivered" }).pipe(as(p.staff))
          expectError(
            yield* Effect.flip(
              ws.deliver({ id: tid(), orderId: order.id, quantity: 100, note: "交货 / delivered" }).pipe(as(p.staff))
            ),
            "InsufficientFunds",
            "50"
          )
          const year = shanghaiYear(yield* Clock.currentTimeMillis)
          const firstInput = { id: uid(), orderId: order.id }
          const first = yield* ws.issueInvoice(firstInput).pipe(as(p.coordinator))
          expect(first).toMatchObject({
            factoryId: factory.id,
            orderId: order.id,
            number: `${year}-0001`,
            pieces: 200,
            priceFen: 15,
            amountFen: 3_000,
            status: "issued",
            paidAt: null
          })
          expect(yield* ws.issueInvoice(firstInput).pipe(as(p.coordinator))).toEqual(first)
          expectError(
            yield* Effect.flip(ws.issueInvoice({ id: uid(), orderId: order.id }).pipe(as(p.coordinator))),
            "InvalidInput"
          )
          yield* ws.deliver({ id: tid(), orderId: order.id, quantity: 50, note: "交货 / delivered" }).pipe(as(p.staff))
          const second = yield* ws.issueInvoice({ id: uid(), orderId: order.id }).pipe(as(p.coordinator))
          expect([second.number, second.pieces, second.amountFen]).toEqual([`${year}-0002`, 50, 750])
          const receivable = WorkshopAccounts.receivableAccountId(factory.id)
          expect(yield* debitBalance(p.communityId, receivable)).toBe(3_750)
          expect(yield* creditBalance(p.communityId, WorkshopAccounts.moneyAccountId(p.communityId, "sales"))).toBe(
            3_750
          )
          expectError(yield* Effect.flip(ws.markInvoicePaid(first.id).pipe(as(p.staff))), "Forbidden")
          const paid = yield* ws.markInvoicePaid(first.id).pipe(as(p.coordinator))
          expect([paid.status, paid.paidAt === null]).toEqual(["paid", false])
          expect(yield* cash(p.communityId)).toBe(3_000)
          expect(yield* debitBalance(p.communityId, receivable)).toBe(750)
          expectError(yield* Effect.flip(ws.markInvoicePaid(first.id).pipe(as(p.coordinator))), "InvalidTransition")
          expect(yield* cash(p.communityId)).toBe(3_000)
          const listed = yield* ws.invoices({ orderId: order.id }).pipe(as(p.coordinator))
          expect(listed.items.map((i) => [i.number, i.status])).toEqual([
            [`${year}-0001`, "paid"],
            [`${year}-0002`, "issued"]
          ])
          const r = yield* ws.reconcile(order.id).pipe(as(p.coordinator))
          expect([r.balanced, r.balance.delivered, r.balance.accepted, r.ledger.accepted]).toEqual([true, 250, 0, 0])
        })
      )

      it.effect("a contribution moves cash into the fund in one transaction, and needs the fund's permission too", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const fund = yield* Fund
          yield* ws.configure({ minimumHourlyWageFen: 2_600 }).pipe(as(p.coordinator))
          yield* ws.addCash({ id: tid(), amountFen: 50_000, note: "九月毛利 / September margin" }).pipe(as(p.bursar))
          const input = { id: tid(), amountFen: 20_000, note: "工坊收益捐入公益基金 / margin to the fund" }
          // workshop:pay without fund:record
          expectError(yield* Effect.flip(ws.contributeToFund(input).pipe(as(p.coordinator))), "Forbidden")
          expect(yield* cash(p.communityId)).toBe(50_000)
          expect((yield* fund.entries().pipe(as(p.treasurer))).items).toEqual([])
          // fund:record without workshop:pay
          expectError(yield* Effect.flip(ws.contributeToFund(input).pipe(as(p.treasurer))), "Forbidden")
          const done = yield* ws.contributeToFund(input).pipe(as(p.bursar))
          expect(done.fundEntryId).toBe(WorkshopAccounts.derivedTransferId(`fund/${input.id}`))
          expect(yield* cash(p.communityId)).toBe(30_000)
          expect(
            yield* debitBalance(p.communityId, WorkshopAccounts.moneyAccountId(p.communityId, "fund-contributions"))
          ).toBe(20_000)
          const entries = yield* fund.entries({ kind: "other_income" }).pipe(as(p.treasurer))
          expect(entries.items.map((e) => [e.id, e.amount, e.counterparty])).toEqual([
            [done.fundEntryId, 20_000, "馨工坊 Xin Workshop"]
          ])
          const until = (yield* Clock.currentTimeMillis) + DAY
          const statement = yield* fund.statement({ from: 0, to: until }).pipe(as(p.treasurer))
          expect([statement.total.otherIncome, statement.total.closing, statement.reconciliation.ok]).toEqual([
            20_000,
            20_000,
            true
          ])
          // replayed, it moves nothing again
          expect(yield* ws.contributeToFund(input).pipe(as(p.bursar))).toEqual(done)
          expect(yield* cash(p.communityId)).toBe(30_000)
          // more than the cash holds: refused, in the workshop and in the fund
          expectError(
            yield* Effect.flip(
              ws.contributeToFund({ id: tid(), amountFen: 30_001, note: "超出现金" }).pipe(as(p.bursar))
            ),
            "InsufficientFunds"
          )
          expect((yield* fund.entries().pipe(as(p.treasurer))).items).toHaveLength(1)
          expect(yield* cash(p.communityId)).toBe(30_000)
        })
      )

      it.effect("a worker sees their own custody, movements and pay, and nothing of anyone else's", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen, wang } = yield* openShop(p)
          yield* receive(p, order, 500)
          const chenOut = yield* issue(p, order, chen, 100)
          const wangOut = yield* issue(p, order, wang, 100)
          yield* giveBack(p, order, chen, { accepted: 60 })
          const wangBack = yield* giveBack(p, order, wang, { accepted: 40 })
          expect((yield* ws.me().pipe(as(p.chen))).id).toBe(chen.id)
          expect((yield* ws.worker(chen.id).pipe(as(p.chen))).id).toBe(chen.id)
          expectError(yield* Effect.flip(ws.worker(wang.id).pipe(as(p.chen))), "NotFound")
          const mine = yield* ws.custody(chen.id).pipe(as(p.chen))
          expect(mine.map((c) => [c.workerId, c.held])).toEqual([[chen.id, 40]])
          expectError(yield* Effect.flip(ws.custody(wang.id).pipe(as(p.chen))), "NotFound")
          const lines = yield* ws.payLines().pipe(as(p.chen))
          expect(lines.items.length).toBeGreaterThan(0)
          expect(lines.items.every((l) => l.workerId === chen.id)).toBe(true)
          expectError(yield* Effect.flip(ws.payLine(wangBack.payLines[0]!.id).pipe(as(p.chen))), "NotFound")
          const moves = yield* allMovements(p, {}, p.chen)
          expect(moves.map((m: Movement) => m.workerId)).toEqual([chen.id, chen.id])
          expect((yield* ws.movement(chenOut.id).pipe(as(p.chen))).id).toBe(chenOut.id)
          expectError(yield* Effect.flip(ws.movement(wangOut.id).pipe(as(p.chen))), "NotFound")
          // a period shows each worker only their own slip
          yield* tick
          const periodId = uid()
          yield* ws.closePeriod({ id: periodId, from: 0, to: yield* Clock.currentTimeMillis }).pipe(as(p.coordinator))
          const seen = yield* ws.period(periodId).pipe(as(p.chen))
          expect(seen.slips.map((s) => s.workerId)).toEqual([chen.id])
          expect((yield* ws.payslip(periodId, chen.id).pipe(as(p.chen))).totals.netFen).toBe(600)
          expectError(yield* Effect.flip(ws.payslip(periodId, wang.id).pipe(as(p.chen))), "NotFound")
          // a worker records nothing and lists no orders
          expectError(yield* Effect.flip(receive({ ...p, staff: p.chen }, order, 1)), "Forbidden")
          expectError(yield* Effect.flip(ws.orders().pipe(as(p.chen))), "Forbidden")
          // a resident who is not enrolled is no worker
          expectError(yield* Effect.flip(ws.me().pipe(as(p.li))), "NotFound")
          expectOneOf(yield* Effect.flip(ws.custody(chen.id).pipe(as(p.li))), ["NotFound", "Forbidden"])
        })
      )

      it.effect("a factory sees its own factory, orders, progress and invoices, and nothing of another's", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { factory, order, chen } = yield* openShop(p)
          const toys = yield* ws
            .addFactory({ name: "宁波玩具厂", contact: "王主管", subjects: [p.toyFactory.subject] })
            .pipe(as(p.coordinator))
          const bear = yield* ws
            .addProduct({
              factoryId: toys.id,
              sku: "TOY-BEAR",
              name: "小熊缝制",
              parts: [{ name: "布片", perPiece: 6 }],
              standardSeconds: 90
            })
            .pipe(as(p.coordinator))
          const toyOrder = yield* newOrder(p, bear, { rateFen: 80, priceFen: 120 })
          for (const o of [order, toyOrder]) {
            yield* receive(p, o, 100)
            yield* issue(p, o, chen, 50)
            yield* giveBack(p, o, chen, { accepted: 50 })
            yield* ws.deliver({ id: tid(), orderId: o.id, quantity: 50, note: "交货 / delivered" }).pipe(as(p.staff))
          }
          const ours = yield* ws.issueInvoice({ id: uid(), orderId: order.id }).pipe(as(p.coordinator))
          const theirs = yield* ws.issueInvoice({ id: uid(), orderId: toyOrder.id }).pipe(as(p.coordinator))
          const f = p.factory
          expect((yield* ws.factories().pipe(as(f))).items.map((x) => x.id)).toEqual([factory.id])
          expect((yield* ws.factory(factory.id).pipe(as(f))).id).toBe(factory.id)
          expectError(yield* Effect.flip(ws.factory(toys.id).pipe(as(f))), "NotFound")
          expect((yield* ws.orders().pipe(as(f))).items.map((o) => o.id)).toEqual([order.id])
          expect((yield* ws.order(order.id).pipe(as(f))).id).toBe(order.id)
          expectError(yield* Effect.flip(ws.order(toyOrder.id).pipe(as(f))), "NotFound")
          const progress = yield* ws.progress(order.id).pipe(as(f))
          expect([progress.accepted, progress.delivered]).toEqual([50, 50])
          expectError(yield* Effect.flip(ws.progress(toyOrder.id).pipe(as(f))), "NotFound")
          expect((yield* ws.invoices().pipe(as(f))).items.map((i) => i.id)).toEqual([ours.id])
          expect((yield* ws.invoice(ours.id).pipe(as(f))).amountFen).toBe(50 * 15)
          expectError(yield* Effect.flip(ws.invoice(theirs.id).pipe(as(f))), "NotFound")
          // the other factory sees the other half
          expect((yield* ws.orders().pipe(as(p.toyFactory))).items.map((o) => o.id)).toEqual([toyOrder.id])
          expect((yield* ws.invoices().pipe(as(p.toyFactory))).items.map((i) => i.amountFen)).toEqual([50 * 120])
          // and no worker's business
          expectError(yield* Effect.flip(ws.workers().pipe(as(f))), "Forbidden")
          expectError(yield* Effect.flip(ws.payLines().pipe(as(f))), "Forbidden")
          expectOneOf(yield* Effect.flip(ws.custody(chen.id).pipe(as(f))), ["NotFound", "Forbidden"])
          expectError(
            yield* Effect.flip(
              ws.issue({ id: tid(), orderId: order.id, workerId: chen.id, quantity: 1, place: "home" }).pipe(as(f))
            ),
            "Forbidden"
          )
          // a factory login that matches no factory sees none
          const stranger: Actor = { ...f, subject: "factory-unknown" }
          expectOneOf(yield* Effect.flip(ws.order(order.id).pipe(as(stranger))), ["NotFound", "Forbidden"])
        })
      )

      it.effect("another community's workshop does not exist", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const q = yield* setup
          const ws = yield* Workshop
          const { factory, order, chen } = yield* openShop(p)
          yield* receive(p, order, 10)
          expectError(yield* Effect.flip(ws.order(order.id).pipe(as(q.coordinator))), "NotFound")
          expectError(yield* Effect.flip(ws.factory(factory.id).pipe(as(q.coordinator))), "NotFound")
          expectError(yield* Effect.flip(ws.worker(chen.id).pipe(as(q.coordinator))), "NotFound")
          expectError(yield* Effect.flip(ws.reconcile(order.id).pipe(as(q.coordinator))), "NotFound")
          expectError(yield* Effect.flip(receive(q, order, 1)), "NotFound")
          expectError(yield* Effect.flip(ws.closeOrder(order.id).pipe(as(q.coordinator))), "NotFound")
          expect((yield* ws.orders().pipe(as(q.coordinator))).items).toEqual([])
          expect((yield* ws.factories().pipe(as(q.coordinator))).items).toEqual([])
          expect((yield* ws.movements().pipe(as(q.coordinator))).items).toEqual([])
          // a resident of another community cannot be enrolled here
          expectError(
            yield* Effect.flip(ws.enroll({ residentId: p.liR.id, displayName: "李红" }).pipe(as(q.coordinator))),
            "NotFound"
          )
        })
      )

      it.effect("progress: remaining, percent done, and the projected finish as the days pass", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen, product } = yield* openShop(p, { quantity: 1_000, deadlineDays: 25 })
          yield* receive(p, order, 1_000)
          yield* issue(p, order, chen, 500)
          yield* giveBack(p, order, chen, { accepted: 250 })
          yield* tick
          const t0 = yield* Clock.currentTimeMillis
          const now = yield* ws.progress(order.id).pipe(as(p.staff))
          const t1 = yield* Clock.currentTimeMillis
          // 250 accepted in the last 7 days: 750 to go at 250 a week is 21 days, within 25
          expect(now).toMatchObject({
            orderId: order.id,
            ordered: 1_000,
            received: 1_000,
            accepted: 250,
            delivered: 0,
            remaining: 750,
            inCustody: 250,
            deadline: order.deadline,
            percentDone: 25,
            pacePerDay: 35.71,
            onTrack: true
          })
          expect(now.projectedFinish).toBeGreaterThanOrEqual(t0 + 21 * DAY)
          expect(now.projectedFinish).toBeLessThanOrEqual(t1 + 21 * DAY)
          // five days on, nothing more accepted: the same pace finishes after the deadline
          const later = yield* ws.progress(order.id).pipe(as(p.staff), ahead(5 * DAY))
          expect(later.projectedFinish).toBeGreaterThanOrEqual(t0 + 26 * DAY)
          expect(later.onTrack).toBe(false)
          // eight days on, the week's pace is nothing: no finish in sight
          const stalled = yield* ws.progress(order.id).pipe(as(p.staff), ahead(8 * DAY))
          expect([stalled.pacePerDay, stalled.projectedFinish, stalled.onTrack, stalled.remaining]).toEqual([
            0,
            null,
            false,
            750
          ])
          // delivering keeps what was accepted
          yield* ws.deliver({ id: tid(), orderId: order.id, quantity: 250, note: "交货 / delivered" }).pipe(as(p.staff))
          const delivered = yield* ws.progress(order.id).pipe(as(p.staff))
          expect([delivered.accepted, delivered.delivered, delivered.percentDone]).toEqual([250, 250, 25])
          // an order done is done now, and on track
          const small = yield* newOrder(p, product, { quantity: 100, deadlineDays: 3 })
          yield* receive(p, small, 100)
          yield* issue(p, small, chen, 100)
          yield* giveBack(p, small, chen, { accepted: 100 })
          const s0 = yield* Clock.currentTimeMillis
          const done = yield* ws.progress(small.id).pipe(as(p.staff))
          const s1 = yield* Clock.currentTimeMillis
          expect([done.remaining, done.percentDone, done.onTrack]).toEqual([0, 100, true])
          expect(done.projectedFinish).toBeGreaterThanOrEqual(s0)
          expect(done.projectedFinish).toBeLessThanOrEqual(s1)
        })
      )

      it.effect("custody days count from the oldest issue still held; returns take the oldest first", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen, wang } = yield* openShop(p)
          yield* receive(p, order, 1_000)
          yield* issue(p, order, chen, 300)
          const day1 = yield* ws.custody(chen.id).pipe(as(p.coordinator), ahead(DAY + 3_600_000))
          expect(day1.map((c) => [c.held, c.days])).toEqual([[300, 1]])
          const t0 = yield* Clock.currentTimeMillis
          yield* issue(p, order, chen, 100).pipe(ahead(2 * DAY))
          const t1 = yield* Clock.currentTimeMillis
          // 300 back: the first sign-out is settled, the second one is what is held
          yield* giveBack(p, order, chen, { accepted: 280, unused: 20 }).pipe(ahead(2 * DAY))
          const day5 = yield* ws.custody(chen.id).pipe(as(p.coordinator), ahead(5 * DAY))
          expect(day5).toHaveLength(1)
          expect([day5[0]!.held, day5[0]!.days]).toEqual([100, 3])
          expect(day5[0]!.oldestAt).toBeGreaterThanOrEqual(t0 + 2 * DAY)
          expect(day5[0]!.oldestAt).toBeLessThanOrEqual(t1 + 2 * DAY)
          // everything back: nothing held, no age
          yield* giveBack(p, order, chen, { accepted: 100 }).pipe(ahead(5 * DAY))
          const clear = yield* ws.custody(chen.id).pipe(as(p.coordinator), ahead(5 * DAY))
          expect(clear.map((c) => [c.issued, c.held, c.days, c.oldestAt])).toEqual([[400, 0, 0, null]])
          // a worker never issued anything has no custody lines
          expect(yield* ws.custody(wang.id).pipe(as(p.coordinator))).toEqual([])
        })
      )

      it.effect(
        "an order's life: closed takes returns and deliveries but no sign-outs; cancel and leave wait for custody",
        () =>
          Effect.gen(function* () {
            const p = yield* setup
            const ws = yield* Workshop
            const { order, chen, product } = yield* openShop(p)
            yield* receive(p, order, 100)
            yield* issue(p, order, chen, 50)
            expectOneOf(yield* Effect.flip(ws.cancelOrder(order.id).pipe(as(p.coordinator))), [
              "InvalidTransition",
              "InvalidInput"
            ])
            expectOneOf(yield* Effect.flip(ws.leave(chen.id).pipe(as(p.coordinator))), [
              "InvalidTransition",
              "InvalidInput",
              "Conflict"
            ])
            const closed = yield* ws.closeOrder(order.id).pipe(as(p.coordinator))
            expect(closed.status).toBe("closed")
            expectOneOf(yield* Effect.flip(issue(p, order, chen, 1)), ["InvalidTransition", "InvalidInput"])
            expectOneOf(yield* Effect.flip(receive(p, order, 1)), ["InvalidTransition", "InvalidInput"])
            yield* giveBack(p, order, chen, { accepted: 50 })
            yield* ws
              .deliver({ id: tid(), orderId: order.id, quantity: 50, note: "交货 / delivered" })
              .pipe(as(p.staff))
            yield* ws
              .returnToFactory({ id: tid(), orderId: order.id, quantity: 50, note: "退回工厂 / back to the factory" })
              .pipe(as(p.staff))
            expectError(yield* Effect.flip(ws.closeOrder(order.id).pipe(as(p.coordinator))), "InvalidTransition")
            expectError(yield* Effect.flip(ws.cancelOrder(order.id).pipe(as(p.coordinator))), "InvalidTransition")
            const left = yield* ws.leave(chen.id).pipe(as(p.coordinator))
            expect(left.active).toBe(false)
            // a draft is cancelled and cannot start
            const now = yield* Clock.currentTimeMillis
            const draft = yield* ws
              .createOrder({
                productId: product.id,
                title: "取消的工单",
                quantity: 10,
                priceFen: 15,
                rateFen: 10,
                deadline: now + DAY,
                quality: halfPaidRejects
              })
              .pipe(as(p.coordinator))
            expect((yield* ws.cancelOrder(draft.id).pipe(as(p.coordinator))).status).toBe("cancelled")
            expectError(yield* Effect.flip(ws.startOrder(draft.id, {}).pipe(as(p.coordinator))), "InvalidTransition")
            // an open order that took nothing can be cancelled; a worker who left takes nothing
            const spare = yield* newOrder(p, product)
            yield* receive(p, spare, 10)
            expectOneOf(yield* Effect.flip(issue(p, spare, left, 1)), ["InvalidTransition", "InvalidInput", "NotFound"])
            expect((yield* ws.cancelOrder(spare.id).pipe(as(p.coordinator))).status).toBe("cancelled")
            // enrolment: once per resident, and only of a resident who exists
            expectError(
              yield* Effect.flip(ws.enroll({ residentId: p.wangR.id, displayName: "王阿姨" }).pipe(as(p.coordinator))),
              "Conflict"
            )
            expectError(
              yield* Effect.flip(ws.enroll({ residentId: uid(), displayName: "无此人" }).pipe(as(p.coordinator))),
              "NotFound"
            )
            expectError(
              yield* Effect.flip(ws.enroll({ residentId: p.liR.id, displayName: "李红" }).pipe(as(p.staff))),
              "Forbidden"
            )
          })
      )

      it.effect("movements recorded without a note are valid records, stored and read back", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen } = yield* openShop(p)
          // every note is optional in the inputs
          const r = yield* ws.receive({ id: tid(), orderId: order.id, quantity: 100 }).pipe(as(p.staff))
          const i = yield* ws
            .issue({ id: tid(), orderId: order.id, workerId: chen.id, quantity: 50, place: "onsite" })
            .pipe(as(p.staff))
          const back = yield* ws
            .returnPieces({ id: tid(), orderId: order.id, workerId: chen.id, accepted: 40, unused: 10 })
            .pipe(as(p.staff))
          const d = yield* ws.deliver({ id: tid(), orderId: order.id, quantity: 40 }).pipe(as(p.staff))
          const x = yield* ws.returnToFactory({ id: tid(), orderId: order.id, quantity: 60 }).pipe(as(p.staff))
          const recorded = [r, i, ...back.movements, d, x]
          for (const m of recorded) expect(Schema.decodeUnknownSync(Movement)(m)).toEqual(m)
          for (const m of recorded) expect(yield* ws.movement(m.id).pipe(as(p.coordinator))).toEqual(m)
          for (const l of back.payLines) expect(Schema.decodeUnknownSync(PayLine)(l)).toEqual(l)
          expect((yield* allMovements(p)).map((m) => m.id).sort()).toEqual(recorded.map((m) => m.id).sort())
        })
      )

      it.effect("each write leaves its event in the outbox; a refused or replayed one leaves none", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const outbox = yield* Outbox
          const { order, chen } = yield* openShop(p)
          yield* receive(p, order, 100)
          yield* issue(p, order, chen, 30)
          const events = () => Effect.map(outbox.list(p.communityId, 0, 1_000), (es) => es)
          const before = (yield* events()).length
          const input = { id: tid(), orderId: order.id, workerId: chen.id, accepted: 20, rejected: 2, note: "交回" }
          const back = yield* ws.returnPieces(input).pipe(as(p.staff))
          const after = yield* events()
          const added = after.slice(before)
          const moved = added.filter((e) => e.type === "PiecesMoved")
          expect(moved).toHaveLength(1)
          expect(moved[0]!.actor).toBe(p.staff.subject)
          expect(moved[0]!.payload).toMatchObject({
            orderId: order.id,
            workerId: chen.id,
            movements: back.movements.map((m) => ({ id: m.id, kind: m.kind, quantity: m.quantity }))
          })
          // replayed: nothing new
          yield* ws.returnPieces(input).pipe(as(p.staff))
          expect((yield* events()).length).toBe(after.length)
          // refused: nothing new
          yield* Effect.flip(giveBack(p, order, chen, { accepted: 9 }))
          expect((yield* events()).length).toBe(after.length)
          // the sequence only grows
          const sequences = after.map((e) => e.sequence)
          expect(sequences).toEqual([...sequences].sort((a, b) => a - b))
        })
      )

      it.effect("a season of sign-outs and returns by three workers stays reconciled to the ledger at every step", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen, wang } = yield* openShop(p, { quantity: 5_000 })
          const li = yield* ws.enroll({ residentId: p.liR.id, displayName: "李红" }).pipe(as(p.coordinator))
          const workers = [chen, wang, li]
          yield* receive(p, order, 3_000)
          // a small deterministic generator: the same season on every run and every store
          let seed = 20_260_901
          const next = (n: number) => {
            seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
            return seed % n
          }
          const held = new Map<string, number>(workers.map((w) => [w.id, 0]))
          let accepted = 0
          let earned = 0
          for (let step = 0; step < 24; step++) {
            const w = workers[next(3)]!
            const h = held.get(w.id)!
            if (h < 20 || next(3) === 0) {
              const q = 20 + next(80)
              yield* issue(p, order, w, q)
              held.set(w.id, h + q)
            } else {
              const a = next(h + 1)
              const r = next(h - a + 1)
              const u = next(Math.min(5, h - a - r) + 1)
              const counts =
                a + r + u === 0 ? { accepted: 1, rejected: 0, unused: 0 } : { accepted: a, rejected: r, unused: u }
              const back = yield* giveBack(p, order, w, counts)
              const total = counts.accepted + counts.rejected + counts.unused
              held.set(w.id, h - total)
              accepted += counts.accepted
              earned += back.payLines.filter((l) => l.status === "confirmed").reduce((sum, l) => sum + l.amountFen, 0)
            }
            const rec = yield* ws.reconcile(order.id).pipe(as(p.coordinator))
            expect(rec.balanced, `step ${step}`).toBe(true)
            for (const line of rec.workers) {
              expect(line.held, `step ${step}`).toBe(held.get(line.workerId))
              expect(line.accepted + line.rejected + line.unused + line.scrapped + line.held).toBe(line.issued)
            }
            expect(rec.ledger.custody).toBe([...held.values()].reduce((a, b) => a + b, 0))
            expect(rec.balance.accepted).toBe(accepted)
          }
          const owedAll = [p.chenR.id, p.wangR.id, p.liR.id].map((r) => owed(p.communityId, r))
          const sums = yield* Effect.all(owedAll)
          expect(sums.reduce((a, b) => a + b, 0)).toBe(earned)
        })
      )

      it.effect("a payslip prints with the worker, the lines and the net pay", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen } = yield* openShop(p)
          yield* receive(p, order, 500)
          yield* issue(p, order, chen, 300)
          yield* giveBack(p, order, chen, { accepted: 300 })
          yield* ws
            .addPayLine({ id: uid(), workerId: chen.id, kind: "bonus", amountFen: 50, note: "中秋奖励" })
            .pipe(as(p.coordinator))
          yield* tick
          const periodId = uid()
          yield* ws.closePeriod({ id: periodId, from: 0, to: yield* Clock.currentTimeMillis }).pipe(as(p.coordinator))
          const slip = yield* ws.payslip(periodId, chen.id).pipe(as(p.chen))
          expect([slip.totals.earnedFen, slip.totals.bonusFen, slip.totals.netFen, slip.totals.pieces]).toEqual([
            3_000, 50, 3_050, 300
          ])
          expect(slip.period).toMatchObject({ id: periodId, status: "closed" })
          const html = Payslips.toHtml(slip, { timeZone: "Asia/Shanghai" })
          for (const text of ["工资单", "陈秀兰", "¥30.50", "¥30.00", "¥0.50"]) expect(html).toContain(text)
          const csv = Payslips.toCsv(slip)
          expect(csv.split(/\r?\n/u).filter((l) => l.length > 0).length).toBeGreaterThanOrEqual(3)
        })
      )

      it.effect("movements list by time with filters and cursor pages", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen, wang } = yield* openShop(p)
          yield* receive(p, order, 500)
          for (const w of [chen, wang, chen]) yield* issue(p, order, w, 50)
          yield* giveBack(p, order, chen, { accepted: 30, rejected: 5 })
          const every = yield* allMovements(p)
          expect(every).toHaveLength(6)
          const times = every.map((m) => m.occurredAt)
          expect(times).toEqual([...times].sort((a, b) => a - b))
          const walked: Array<string> = []
          let cursor: string | undefined
          for (let i = 0; i < 10; i++) {
            const page = yield* ws
              .movements({}, cursor === undefined ? { limit: 4 } : { cursor, limit: 4 })
              .pipe(as(p.coordinator))
            walked.push(...page.items.map((m) => m.id))
            if (page.nextCursor === null) break
            cursor = page.nextCursor
          }
          expect(walked).toEqual(every.map((m) => m.id))
          const issues = yield* ws.movements({ kind: "issue", workerId: chen.id }).pipe(as(p.coordinator))
          expect(issues.items.map((m) => [m.kind, m.workerId, m.quantity])).toEqual([
            ["issue", chen.id, 50],
            ["issue", chen.id, 50]
          ])
          expect((yield* ws.movements({ orderId: uid() }).pipe(as(p.coordinator))).items).toEqual([])
        })
      )

      it.effect("four returns at once from one custody never return more than is held", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const ws = yield* Workshop
          const { order, chen } = yield* openShop(p)
          yield* receive(p, order, 500)
          yield* issue(p, order, chen, 100)
          const results = yield* Effect.all(
            [1, 2, 3, 4].map(() => Effect.result(giveBack(p, order, chen, { accepted: 40 }))),
            { concurrency: "unbounded" }
          )
          const done = results.filter((r) => r._tag === "Success").length
          expect(done).toBeGreaterThanOrEqual(1)
          expect(done).toBeLessThanOrEqual(2)
          for (const r of results) if (r._tag === "Failure") expectOneOf(r.failure, ["InsufficientFunds", "Conflict"])
          const custody = yield* ws.custody(chen.id).pipe(as(p.coordinator))
          expect(custody.map((c) => [c.accepted, c.held])).toEqual([[40 * done, 100 - 40 * done]])
          const r = yield* ws.reconcile(order.id).pipe(as(p.coordinator))
          expect([r.balanced, r.ledger.custody, r.ledger.accepted]).toEqual([true, 100 - 40 * done, 40 * done])
          expect((yield* ws.payLines({ workerId: chen.id }).pipe(as(p.coordinator))).items).toHaveLength(done)
          expect(yield* owed(p.communityId, p.chenR.id)).toBe(400 * done)
        })
      )
    }
  )
}
