/**
 * The contract of the `WorkshopRepo` port: every record type round trips equal and stays in its
 * community; inserts refuse duplicates (ids, a product's SKU in a community, a second worker for
 * one resident) and updates stale versions, changing nothing when they do; a batch of movements
 * or pay lines goes in whole or not at all; lists keep their promised order (ids, or `timedKey`
 * with ties at one instant broken by id), filters and cursor paging; the totals group by order,
 * worker and kind with every filter; `assignPeriod` takes only confirmed lines of no period in
 * its range; writes of a failed transaction leave no trace; and concurrent writers are kept apart.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import {
  Factory,
  Invoice,
  Movement,
  PayLine,
  PayPeriod,
  timedKey,
  Transactor,
  Worker,
  WorkOrder,
  WorkProduct,
  WorkshopRepo,
  WorkshopSettings
} from "@commonweal/core"
import type {
  CommunityId,
  InvoiceQuery,
  MovementQuery,
  MovementTotal,
  PayLineQuery,
  PayLineTotal,
  WorkOrderQuery
} from "@commonweal/core"
import { Data, Effect, Result } from "effect"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractIt } from "../kernel/helpers.js"
import { expectConflict, sortedIds } from "../kernel/helpers.js"
import type { WorkshopContractPorts } from "./helpers.js"
import {
  byCodeUnit,
  expectFound,
  expectNone,
  freshFactoryId,
  freshInvoiceId,
  freshMovementId,
  freshOrderId,
  freshPayLineId,
  freshPeriodId,
  freshWorkerId,
  makeFactory,
  makeInvoice,
  makeIssue,
  makeMovement,
  makePayLine,
  makePeriod,
  makeSlip,
  makeWorker,
  makeWorkOrder,
  makeWorkProduct,
  makeWorkshopSettings,
  workshopDay
} from "./helpers.js"

/** A caller's own error, failing a transaction after its writes. */
class Boom extends Data.TaggedError("Boom")<{ readonly step: string }> {}

type Win = { readonly after: string | undefined; readonly limit: number }
const all: Win = { after: undefined, limit: 1_000 }

const ids = (records: ReadonlyArray<{ readonly id: string }>): ReadonlyArray<string> => records.map((r) => r.id)

const byTimedKey = <A extends { readonly occurredAt: number; readonly id: string }>(
  records: ReadonlyArray<A>
): ReadonlyArray<A> => [...records].sort((a, b) => byCodeUnit(timedKey(a), timedKey(b)))

const movementIds = (communityId: CommunityId, query: MovementQuery, window: Win = all) =>
  WorkshopRepo.use((repo) => Effect.map(repo.listMovements(communityId, query, window), ids))

const payLineIds = (communityId: CommunityId, query: PayLineQuery, window: Win = all) =>
  WorkshopRepo.use((repo) => Effect.map(repo.listPayLines(communityId, query, window), ids))

const orderIds = (communityId: CommunityId, query: WorkOrderQuery, window: Win = all) =>
  WorkshopRepo.use((repo) => Effect.map(repo.listOrders(communityId, query, window), ids))

const invoiceIds = (communityId: CommunityId, query: InvoiceQuery, window: Win = all) =>
  WorkshopRepo.use((repo) => Effect.map(repo.listInvoices(communityId, query, window), ids))

/** A movement total's identity, for comparing totals whatever the order of `null` workers. */
const totalKey = (t: { readonly orderId: string; readonly workerId: string | null; readonly kind: string }) =>
  `${t.orderId}/${t.workerId ?? ""}/${t.kind}`

const sortTotals = <
  A extends { readonly orderId: string | null; readonly workerId: string | null; readonly kind: string }
>(
  totals: ReadonlyArray<A>
): ReadonlyArray<A> =>
  [...totals].sort((a, b) =>
    byCodeUnit(`${a.orderId ?? ""}/${a.workerId ?? ""}/${a.kind}`, `${b.orderId ?? ""}/${b.workerId ?? ""}/${b.kind}`)
  )

/** Walks a list by cursor in pages of `limit`, returning every id seen. */
const walk = <A extends { readonly id: string }>(
  page: (window: Win) => Effect.Effect<ReadonlyArray<A>>,
  cursor: (last: A) => string,
  limit: number
) =>
  Effect.gen(function* () {
    const seen: Array<string> = []
    let after: string | undefined
    for (let i = 0; i < 100; i++) {
      const found = yield* page({ after, limit })
      expect(found.length).toBeLessThanOrEqual(limit)
      if (found.length === 0) break
      seen.push(...ids(found))
      after = cursor(found[found.length - 1]!)
    }
    return seen
  })

/** A community with a factory, its product and an open order, stored. */
const withOrder = Effect.gen(function* () {
  const repo = yield* WorkshopRepo
  const communityId = yield* freshCommunity
  const factory = makeFactory(communityId)
  const product = makeWorkProduct(communityId, factory.id)
  const order = makeWorkOrder(product)
  yield* repo.insertFactory(factory)
  yield* repo.insertProduct(product)
  yield* repo.insertOrder(order)
  return { communityId, factory, product, order }
})

/** Registers the `WorkshopRepo` contract. */
export const workshopRepoContract = (it: ContractIt<WorkshopContractPorts>): void => {
  describe("WorkshopRepo settings", () => {
    it.effect("settings: none at first, inserted at version 1, replaced one version at a time, per community", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        expectNone(yield* repo.settings(junxin), "settings of a fresh community")
        // replacing settings never stored is stale
        expectConflict(
          yield* Effect.flip(repo.putSettings(makeWorkshopSettings(junxin, { version: 2 }))),
          "stale_version"
        )
        expectNone(yield* repo.settings(junxin), "settings after a refused replace")
        const first = makeWorkshopSettings(junxin)
        yield* repo.putSettings(first)
        expectFound(WorkshopSettings, yield* repo.settings(junxin), first, "settings")
        expectConflict(
          yield* Effect.flip(repo.putSettings(makeWorkshopSettings(junxin, { minimumHourlyWageFen: 1 }))),
          "duplicate"
        )
        expectConflict(yield* Effect.flip(repo.putSettings({ ...first, version: 3 })), "stale_version")
        const second = { ...first, minimumHourlyWageFen: 2_800, version: 2, updatedAt: workshopDay(40) }
        yield* repo.putSettings(second)
        expectFound(WorkshopSettings, yield* repo.settings(junxin), second, "settings at version 2")
        expectConflict(yield* Effect.flip(repo.putSettings({ ...second, minimumHourlyWageFen: 1 })), "stale_version")
        expectNone(yield* repo.settings(guli), "settings of another community")
        const theirs = makeWorkshopSettings(guli, { minimumHourlyWageFen: 2_500 })
        yield* repo.putSettings(theirs)
        expectFound(WorkshopSettings, yield* repo.settings(guli), theirs, "Gu Li's settings")
        expectFound(WorkshopSettings, yield* repo.settings(junxin), second, "Junxin's settings")
      })
    )
  })

  describe("WorkshopRepo factories and products", () => {
    it.effect("factories round trip, are found by subject, update one version at a time, stay in their community", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const gaoqiao = makeFactory(junxin)
        const toys = makeFactory(junxin, {
          name: "宁波玩具厂 / Ningbo Toys",
          contact: "王主管",
          subjects: ["toys-wang", "toys-zhou"]
        })
        const none = makeFactory(junxin, { name: "无账号工厂", subjects: [] })
        for (const f of [gaoqiao, toys, none]) yield* repo.insertFactory(f)
        expectFound(Factory, yield* repo.findFactory(junxin, gaoqiao.id), gaoqiao, "factory")
        expectFound(Factory, yield* repo.findFactory(junxin, none.id), none, "factory without subjects")
        expectNone(yield* repo.findFactory(junxin, freshFactoryId()), "an unknown factory")
        expectNone(yield* repo.findFactory(guli, gaoqiao.id), "Junxin's factory from Gu Li")
        expectFound(Factory, yield* repo.findFactoryBySubject(junxin, "toys-zhou"), toys, "factory by its 2nd subject")
        expectFound(Factory, yield* repo.findFactoryBySubject(junxin, "factory-gaoqiao-li"), gaoqiao, "by subject")
        expectNone(yield* repo.findFactoryBySubject(junxin, "toys"), "a prefix of a subject")
        expectNone(yield* repo.findFactoryBySubject(guli, "toys-zhou"), "a subject of another community's factory")
        expectConflict(yield* Effect.flip(repo.insertFactory({ ...gaoqiao, name: "又一个" })), "duplicate")
        // versions
        expectConflict(yield* Effect.flip(repo.updateFactory({ ...gaoqiao, contact: "x" })), "stale_version")
        expectConflict(
          yield* Effect.flip(repo.updateFactory({ ...gaoqiao, communityId: guli, version: 2 })),
          "stale_version"
        )
        const moved = { ...gaoqiao, contact: "李经理 138 0000 0000", subjects: ["gaoqiao-new"], version: 2 }
        yield* repo.updateFactory(moved)
        expectFound(Factory, yield* repo.findFactory(junxin, gaoqiao.id), moved, "factory at version 2")
        expectNone(yield* repo.findFactoryBySubject(junxin, "factory-gaoqiao-li"), "a subject no longer held")
        expectFound(Factory, yield* repo.findFactoryBySubject(junxin, "gaoqiao-new"), moved, "by the new subject")
        // paged by id
        const sorted = sortedIds([gaoqiao.id, toys.id, none.id])
        expect(ids(yield* repo.listFactories(junxin, all))).toEqual(sorted)
        expect(ids(yield* repo.listFactories(junxin, { after: sorted[0], limit: 1 }))).toEqual([sorted[1]])
        expect(ids(yield* repo.listFactories(junxin, { after: sorted[2], limit: 5 }))).toEqual([])
        expect(yield* repo.listFactories(guli, all)).toEqual([])
      })
    )

    it.effect("two factories holding one subject: findFactoryBySubject returns the first by id", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const junxin = yield* freshCommunity
        const a = makeFactory(junxin, { subjects: ["shared-login"] })
        const b = makeFactory(junxin, { subjects: ["shared-login"] })
        yield* repo.insertFactory(b.id < a.id ? a : b)
        yield* repo.insertFactory(b.id < a.id ? b : a)
        const first = a.id < b.id ? a : b
        expectFound(Factory, yield* repo.findFactoryBySubject(junxin, "shared-login"), first, "the first by id")
      })
    )

    it.effect("products round trip; an existing id or an SKU the community uses is a duplicate; paged by id", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const factory = makeFactory(junxin)
        yield* repo.insertFactory(factory)
        const clip = makeWorkProduct(junxin, factory.id)
        const tie = makeWorkProduct(junxin, factory.id, {
          sku: "TIE-200",
          name: "扎带打包 / cable tie bundles",
          parts: [{ name: "扎带 / tie", perPiece: 50 }],
          standardSeconds: 20
        })
        const box = makeWorkProduct(junxin, factory.id, { sku: "BOX_GIFT-1", name: "礼盒折叠", standardSeconds: 45 })
        for (const p of [clip, tie, box]) yield* repo.insertProduct(p)
        expectFound(WorkProduct, yield* repo.findProduct(junxin, clip.id), clip, "clip")
        expectFound(WorkProduct, yield* repo.findProduct(junxin, tie.id), tie, "cable ties")
        expectNone(yield* repo.findProduct(guli, clip.id), "Junxin's product from Gu Li")
        expectConflict(yield* Effect.flip(repo.insertProduct({ ...clip, sku: "CLIP-B5" })), "duplicate")
        expectConflict(
          yield* Effect.flip(repo.insertProduct(makeWorkProduct(junxin, factory.id, { name: "另一个长尾夹" }))),
          "duplicate"
        )
        // the same SKU in another community is theirs to use
        const theirs = makeWorkProduct(guli, freshFactoryId())
        yield* repo.insertProduct(theirs)
        expectFound(WorkProduct, yield* repo.findProduct(guli, theirs.id), theirs, "Gu Li's clip")
        const sorted = sortedIds([clip.id, tie.id, box.id])
        expect(ids(yield* repo.listProducts(junxin, all))).toEqual(sorted)
        const first = yield* repo.listProducts(junxin, { after: undefined, limit: 2 })
        expect(ids(first)).toEqual(sorted.slice(0, 2))
        expect(ids(yield* repo.listProducts(junxin, { after: first[1]!.id, limit: 2 }))).toEqual(sorted.slice(2))
        expect(ids(yield* repo.listProducts(guli, all))).toEqual([theirs.id])
      })
    )
  })

  describe("WorkshopRepo orders and workers", () => {
    it.effect("orders round trip with their rate tables; updates follow the version; foreign ones are not found", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const { communityId: junxin, product, order } = yield* withOrder
        const guli = yield* freshCommunity
        expectFound(WorkOrder, yield* repo.findOrder(junxin, order.id), order, "order")
        const draft = makeWorkOrder(product, {
          status: "draft",
          startedAt: null,
          quality: {
            rejectPolicy: "charged",
            rejectSharePercent: 0,
            rejectChargeFen: 20,
            scrapTolerancePermille: 0,
            scrapChargeFen: 0
          }
        })
        yield* repo.insertOrder(draft)
        expectFound(WorkOrder, yield* repo.findOrder(junxin, draft.id), draft, "draft order")
        expectNone(yield* repo.findOrder(guli, order.id), "Junxin's order from Gu Li")
        expectNone(yield* repo.findOrder(junxin, freshOrderId()), "an unknown order")
        expectConflict(yield* Effect.flip(repo.insertOrder({ ...order, title: "重复" })), "duplicate")
        expectConflict(yield* Effect.flip(repo.updateOrder({ ...order, status: "closed" })), "stale_version")
        const acknowledged: WorkOrder = {
          ...order,
          rates: [
            ...order.rates,
            { effectiveFrom: workshopDay(10), rateFen: 8, setBy: "coordinator:张敏", setAt: workshopDay(9) }
          ],
          fairPay: { ...order.fairPay, rateFen: 8, effectiveHourlyFen: 2_400, belowMinimum: true },
          lowRateAcknowledgement: { by: "coordinator:张敏", reason: "工厂同意下月补差价", at: workshopDay(9) },
          version: 2
        }
        yield* repo.updateOrder(acknowledged)
        expectFound(WorkOrder, yield* repo.findOrder(junxin, order.id), acknowledged, "order at version 2")
        expectConflict(
          yield* Effect.flip(repo.updateOrder({ ...acknowledged, communityId: guli, version: 3 })),
          "stale_version"
        )
        expectFound(WorkOrder, yield* repo.findOrder(junxin, order.id), acknowledged, "order at version 2")
      })
    )

    it.effect("listOrders pages by id and filters by factory and status as last updated", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const { communityId: junxin, factory, product, order } = yield* withOrder
        const other = makeFactory(junxin, { name: "宁波玩具厂", subjects: [] })
        yield* repo.insertFactory(other)
        const toy = makeWorkProduct(junxin, other.id, { sku: "TOY-1" })
        yield* repo.insertProduct(toy)
        const draft = makeWorkOrder(product, { status: "draft", startedAt: null })
        const toyOrder = makeWorkOrder(toy)
        const closed = makeWorkOrder(toy, { status: "closed" })
        for (const o of [draft, toyOrder, closed]) yield* repo.insertOrder(o)
        const every = sortedIds([order.id, draft.id, toyOrder.id, closed.id])
        expect(yield* orderIds(junxin, {})).toEqual(every)
        expect(yield* orderIds(junxin, { factoryId: factory.id })).toEqual(sortedIds([order.id, draft.id]))
        expect(yield* orderIds(junxin, { status: "open" })).toEqual(sortedIds([order.id, toyOrder.id]))
        expect(yield* orderIds(junxin, { factoryId: other.id, status: "closed" })).toEqual([closed.id])
        expect(yield* orderIds(junxin, { factoryId: freshFactoryId() })).toEqual([])
        expect(yield* orderIds(junxin, {}, { after: every[1], limit: 2 })).toEqual(every.slice(2, 4))
        yield* repo.updateOrder({ ...draft, status: "open", startedAt: workshopDay(1), version: 2 })
        expect(yield* orderIds(junxin, { status: "draft" })).toEqual([])
        expect(yield* orderIds(junxin, { status: "open" })).toEqual(sortedIds([order.id, toyOrder.id, draft.id]))
        expect(yield* orderIds(yield* freshCommunity, {})).toEqual([])
      })
    )

    it.effect("workers: one per resident and community; found by resident; versions; paged by id", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const chen = makeWorker(junxin)
        const wang = makeWorker(junxin, { displayName: "王阿姨" })
        yield* repo.insertWorker(chen)
        yield* repo.insertWorker(wang)
        expectFound(Worker, yield* repo.findWorker(junxin, chen.id), chen, "worker")
        expectFound(Worker, yield* repo.findWorkerByResident(junxin, wang.residentId), wang, "worker by resident")
        expectNone(yield* repo.findWorker(guli, chen.id), "Junxin's worker from Gu Li")
        expectNone(yield* repo.findWorkerByResident(guli, chen.residentId), "by resident in another community")
        expectNone(yield* repo.findWorker(junxin, freshWorkerId()), "an unknown worker")
        expectConflict(yield* Effect.flip(repo.insertWorker({ ...chen, displayName: "陈" })), "duplicate")
        // the same resident again under a new worker id
        const again = makeWorker(junxin, { residentId: chen.residentId, displayName: "陈秀兰（二）" })
        expectConflict(yield* Effect.flip(repo.insertWorker(again)), "duplicate")
        expectNone(yield* repo.findWorker(junxin, again.id), "the refused second enrolment")
        // the same resident id in another community is not the same enrolment
        const elsewhere = makeWorker(guli, { residentId: chen.residentId })
        yield* repo.insertWorker(elsewhere)
        expectFound(Worker, yield* repo.findWorkerByResident(guli, chen.residentId), elsewhere, "Gu Li's enrolment")
        expectFound(Worker, yield* repo.findWorkerByResident(junxin, chen.residentId), chen, "Junxin's enrolment")
        expectConflict(yield* Effect.flip(repo.updateWorker({ ...chen, active: false })), "stale_version")
        const left = { ...chen, active: false, version: 2 }
        yield* repo.updateWorker(left)
        expectFound(Worker, yield* repo.findWorker(junxin, chen.id), left, "worker who left")
        const sorted = sortedIds([chen.id, wang.id])
        expect(ids(yield* repo.listWorkers(junxin, all))).toEqual(sorted)
        expect(ids(yield* repo.listWorkers(junxin, { after: sorted[0], limit: 10 }))).toEqual([sorted[1]])
        expect(ids(yield* repo.listWorkers(guli, all))).toEqual([elsewhere.id])
      })
    )
  })

  describe("WorkshopRepo movements", () => {
    it.effect("movements round trip; a batch with any existing id is refused whole", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const { communityId: junxin, order } = yield* withOrder
        const guli = yield* freshCommunity
        const worker = makeWorker(junxin)
        yield* repo.insertWorker(worker)
        const received = makeMovement(order, { note: "第一批零件 / first parts" })
        const issued = makeIssue(order, worker.id, 200, { occurredAt: workshopDay(1), place: "onsite" })
        yield* repo.insertMovements([received, issued])
        expectFound(Movement, yield* repo.findMovement(junxin, received.id), received, "receipt")
        expectFound(Movement, yield* repo.findMovement(junxin, issued.id), issued, "issue")
        expectNone(yield* repo.findMovement(guli, received.id), "Junxin's movement from Gu Li")
        expectNone(yield* repo.findMovement(junxin, freshMovementId()), "an unknown movement")
        // a return of three parts where the last repeats the issue's id: nothing of it is kept
        const accept = makeMovement(order, { kind: "accept", workerId: worker.id, quantity: 150 })
        const reject = makeMovement(order, { kind: "reject", workerId: worker.id, quantity: 3 })
        expectConflict(
          yield* Effect.flip(repo.insertMovements([accept, reject, { ...issued, quantity: 1 }])),
          "duplicate"
        )
        expectNone(yield* repo.findMovement(junxin, accept.id), "the refused batch's accept")
        expectNone(yield* repo.findMovement(junxin, reject.id), "the refused batch's reject")
        expectFound(Movement, yield* repo.findMovement(junxin, issued.id), issued, "the issue, unchanged")
        // the same batch without the repeat goes in; an empty batch is nothing
        yield* repo.insertMovements([accept, reject])
        yield* repo.insertMovements([])
        expect(yield* movementIds(junxin, {})).toEqual(ids(byTimedKey([received, issued, accept, reject])))
      })
    )

    it.effect(
      "listMovements orders by (occurredAt, id), filters by order, worker, kind and [from, to), pages by timedKey",
      () =>
        Effect.gen(function* () {
          const repo = yield* WorkshopRepo
          const { communityId: junxin, product, order } = yield* withOrder
          const second = makeWorkOrder(product, { title: "十月长尾夹" })
          yield* repo.insertOrder(second)
          const chen = makeWorker(junxin)
          const wang = makeWorker(junxin, { displayName: "王阿姨" })
          yield* repo.insertWorker(chen)
          yield* repo.insertWorker(wang)
          const d = workshopDay
          const ms = [
            makeMovement(order, { quantity: 1_000, occurredAt: d(0) }),
            makeIssue(order, chen.id, 300, { occurredAt: d(1) }),
            makeIssue(order, wang.id, 200, { occurredAt: d(1) }), // ties with the one before: by id
            makeMovement(second, { quantity: 400, occurredAt: d(1) }),
            makeMovement(order, { kind: "accept", workerId: chen.id, quantity: 250, occurredAt: d(2) }),
            makeMovement(order, { kind: "scrap", workerId: chen.id, quantity: 2, occurredAt: d(2) }),
            makeIssue(second, chen.id, 100, { occurredAt: d(3) }),
            makeMovement(order, { kind: "deliver", quantity: 250, occurredAt: d(4) })
          ]
          // inserted out of order, one or two at a time, beside another community's at the same times
          yield* repo.insertMovements([ms[5]!, ms[2]!])
          for (const i of [7, 0, 3, 6, 1, 4]) yield* repo.insertMovements([ms[i]!])
          const guliOrder = (yield* withOrder).order
          yield* repo.insertMovements([makeMovement(guliOrder, { occurredAt: d(1) })])
          const ordered = byTimedKey(ms)
          expect(yield* repo.listMovements(junxin, {}, all)).toEqual(ordered)
          const pick = (p: (m: Movement) => boolean) => ids(ordered.filter(p))
          expect(yield* movementIds(junxin, { orderId: order.id })).toEqual(pick((m) => m.orderId === order.id))
          expect(yield* movementIds(junxin, { workerId: chen.id })).toEqual(pick((m) => m.workerId === chen.id))
          expect(yield* movementIds(junxin, { kind: "issue" })).toEqual(pick((m) => m.kind === "issue"))
          expect(yield* movementIds(junxin, { orderId: order.id, workerId: chen.id, kind: "issue" })).toEqual([
            ms[1]!.id
          ])
          expect(yield* movementIds(junxin, { from: d(1), to: d(3) })).toEqual(
            pick((m) => m.occurredAt >= d(1) && m.occurredAt < d(3))
          )
          expect(yield* movementIds(junxin, { to: d(1) })).toEqual([ms[0]!.id])
          expect(yield* movementIds(junxin, { from: d(4) })).toEqual([ms[7]!.id])
          expect(yield* movementIds(junxin, { from: d(2), to: d(2) })).toEqual([])
          expect(yield* movementIds(junxin, { orderId: freshOrderId() })).toEqual([])
          // pages of 2 walk the whole list once, across the tie at day 1
          const walked = yield* walk((w) => repo.listMovements(junxin, {}, w), timedKey, 2)
          expect(walked).toEqual(ids(ordered))
          // a cursor inside the tie continues after it, in id order
          const tied = ordered.filter((m) => m.occurredAt === d(1))
          expect(tied).toHaveLength(3)
          expect(
            yield* movementIds(junxin, { from: d(1), to: d(2) }, { after: timedKey(tied[0]!), limit: 10 })
          ).toEqual(ids(tied.slice(1)))
          // a cursor with a filter
          const chens = ordered.filter((m) => m.workerId === chen.id)
          expect(yield* movementIds(junxin, { workerId: chen.id }, { after: timedKey(chens[0]!), limit: 2 })).toEqual(
            ids(chens.slice(1, 3))
          )
          expect(yield* movementIds(junxin, {}, { after: timedKey(ordered[ordered.length - 1]!), limit: 5 })).toEqual(
            []
          )
        })
    )

    it.effect(
      "movementTotals sums quantities by order, worker and kind, with the latest time, under every filter",
      () =>
        Effect.gen(function* () {
          const repo = yield* WorkshopRepo
          const { communityId: junxin, product, order } = yield* withOrder
          const second = makeWorkOrder(product, { title: "十月长尾夹" })
          yield* repo.insertOrder(second)
          const chen = makeWorker(junxin)
          const wang = makeWorker(junxin, { displayName: "王阿姨" })
          yield* repo.insertWorker(chen)
          yield* repo.insertWorker(wang)
          const d = workshopDay
          yield* repo.insertMovements([
            makeMovement(order, { quantity: 1_000, occurredAt: d(0) }),
            makeMovement(order, { quantity: 500, occurredAt: d(2) }),
            makeIssue(order, chen.id, 300, { occurredAt: d(1) }),
            makeIssue(order, chen.id, 100, { occurredAt: d(3) }),
            makeIssue(order, wang.id, 200, { occurredAt: d(1) }),
            makeMovement(order, { kind: "accept", workerId: chen.id, quantity: 250, occurredAt: d(2) }),
            makeMovement(order, { kind: "accept", workerId: chen.id, quantity: 90, occurredAt: d(4) }),
            makeMovement(order, { kind: "accept", workerId: wang.id, quantity: 150, occurredAt: d(3) }),
            makeMovement(second, { quantity: 400, occurredAt: d(1) }),
            makeIssue(second, chen.id, 100, { occurredAt: d(2) })
          ])
          const guliOrder = (yield* withOrder).order
          yield* repo.insertMovements([makeMovement(guliOrder, { quantity: 7, occurredAt: d(1) })])
          const t = (
            o: typeof order,
            workerId: MovementTotal["workerId"],
            kind: MovementTotal["kind"],
            quantity: number,
            lastAt: number
          ): MovementTotal => ({ orderId: o.id, workerId, kind, quantity, lastAt })
          const totals = yield* repo.movementTotals(junxin, {})
          expect(sortTotals(totals)).toEqual(
            sortTotals([
              t(order, null, "receive", 1_500, d(2)),
              t(order, chen.id, "issue", 400, d(3)),
              t(order, wang.id, "issue", 200, d(1)),
              t(order, chen.id, "accept", 340, d(4)),
              t(order, wang.id, "accept", 150, d(3)),
              t(second, null, "receive", 400, d(1)),
              t(second, chen.id, "issue", 100, d(2))
            ])
          )
          // ordered by order first
          const orderSequence = totals.map((x) => x.orderId)
          expect(orderSequence).toEqual([...orderSequence].sort(byCodeUnit))
          // worker totals of one order are ordered by worker within a kind
          const issuesOfOrder = totals
            .filter((x) => x.orderId === order.id && x.kind === "issue")
            .map((x) => x.workerId!)
          expect(issuesOfOrder).toEqual(sortedIds([chen.id, wang.id]))
          // filters
          expect(sortTotals(yield* repo.movementTotals(junxin, { orderId: order.id, workerId: chen.id }))).toEqual(
            sortTotals([t(order, chen.id, "issue", 400, d(3)), t(order, chen.id, "accept", 340, d(4))])
          )
          expect(
            yield* repo.movementTotals(junxin, { orderId: order.id, kind: "accept", from: d(3), to: d(4) })
          ).toEqual([t(order, wang.id, "accept", 150, d(3))])
          expect(sortTotals(yield* repo.movementTotals(junxin, { kind: "receive", to: d(2) }))).toEqual(
            sortTotals([t(order, null, "receive", 1_000, d(0)), t(second, null, "receive", 400, d(1))])
          )
          expect(yield* repo.movementTotals(junxin, { workerId: wang.id, from: d(2) })).toEqual([
            t(order, wang.id, "accept", 150, d(3))
          ])
          expect(yield* repo.movementTotals(junxin, { from: d(5) })).toEqual([])
          expect(yield* repo.movementTotals(yield* freshCommunity, {})).toEqual([])
          expect(totals.map(totalKey)).not.toContain(totalKey(t(guliOrder, null, "receive", 7, d(1))))
        })
    )
  })

  describe("WorkshopRepo pay lines and periods", () => {
    it.effect("pay lines round trip; a batch with any existing id is refused whole; updates follow the version", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const { communityId: junxin, order } = yield* withOrder
        const guli = yield* freshCommunity
        const chen = makeWorker(junxin)
        yield* repo.insertWorker(chen)
        const accept = makeMovement(order, { kind: "accept", workerId: chen.id, quantity: 100 })
        const earning = makePayLine(junxin, chen.id, { orderId: order.id, movementId: accept.id })
        const scrap = makePayLine(junxin, chen.id, {
          orderId: order.id,
          kind: "deduction",
          status: "proposed",
          quantity: 3,
          rateFen: 50,
          amountFen: -150,
          note: "超出损耗 / scrap beyond tolerance"
        })
        const bonus = makePayLine(junxin, chen.id, {
          kind: "bonus",
          quantity: null,
          rateFen: null,
          amountFen: 2_000,
          note: "中秋奖励"
        })
        yield* repo.insertPayLines([earning, scrap])
        expectFound(PayLine, yield* repo.findPayLine(junxin, earning.id), earning, "earning")
        expectFound(PayLine, yield* repo.findPayLine(junxin, scrap.id), scrap, "proposed deduction")
        expectNone(yield* repo.findPayLine(guli, earning.id), "Junxin's pay line from Gu Li")
        expectNone(yield* repo.findPayLine(junxin, freshPayLineId()), "an unknown pay line")
        expectConflict(yield* Effect.flip(repo.insertPayLines([bonus, { ...earning, amountFen: 1 }])), "duplicate")
        expectNone(yield* repo.findPayLine(junxin, bonus.id), "the refused batch's bonus")
        yield* repo.insertPayLines([bonus])
        expectFound(PayLine, yield* repo.findPayLine(junxin, bonus.id), bonus, "bonus")
        expectConflict(yield* Effect.flip(repo.updatePayLine({ ...scrap, status: "confirmed" })), "stale_version")
        const confirmed = { ...scrap, status: "confirmed" as const, transferId: freshMovementId(), version: 2 }
        yield* repo.updatePayLine(confirmed)
        expectFound(PayLine, yield* repo.findPayLine(junxin, scrap.id), confirmed, "confirmed deduction")
        expectConflict(
          yield* Effect.flip(repo.updatePayLine({ ...confirmed, communityId: guli, version: 3 })),
          "stale_version"
        )
      })
    )

    it.effect(
      "listPayLines orders by (occurredAt, id), filters by worker, status, period, unpaid and time, pages",
      () =>
        Effect.gen(function* () {
          const repo = yield* WorkshopRepo
          const junxin = yield* freshCommunity
          const chen = freshWorkerId()
          const wang = freshWorkerId()
          const period = freshPeriodId()
          const d = workshopDay
          const lines = [
            makePayLine(junxin, chen, { occurredAt: d(0) }),
            makePayLine(junxin, chen, { occurredAt: d(1), periodId: period }),
            makePayLine(junxin, wang, { occurredAt: d(1) }), // tie
            makePayLine(junxin, wang, { occurredAt: d(1), kind: "deduction", status: "proposed", amountFen: -50 }),
            makePayLine(junxin, chen, { occurredAt: d(2), kind: "deduction", status: "dismissed", amountFen: -100 }),
            makePayLine(junxin, wang, { occurredAt: d(3), periodId: period }),
            makePayLine(junxin, chen, { occurredAt: d(4), kind: "bonus", quantity: null, rateFen: null })
          ]
          yield* repo.insertPayLines([lines[4]!, lines[2]!, lines[6]!])
          yield* repo.insertPayLines([lines[0]!, lines[5]!, lines[3]!, lines[1]!])
          yield* repo.insertPayLines([makePayLine(yield* freshCommunity, chen, { occurredAt: d(1) })])
          const ordered = byTimedKey(lines)
          expect(yield* repo.listPayLines(junxin, {}, all)).toEqual(ordered)
          const pick = (p: (l: PayLine) => boolean) => ids(ordered.filter(p))
          expect(yield* payLineIds(junxin, { workerId: chen })).toEqual(pick((l) => l.workerId === chen))
          expect(yield* payLineIds(junxin, { status: "confirmed" })).toEqual(pick((l) => l.status === "confirmed"))
          expect(yield* payLineIds(junxin, { periodId: period })).toEqual(pick((l) => l.periodId === period))
          expect(yield* payLineIds(junxin, { unpaid: true })).toEqual(pick((l) => l.periodId === null))
          expect(yield* payLineIds(junxin, { workerId: wang, status: "confirmed", unpaid: true })).toEqual([
            lines[2]!.id
          ])
          expect(yield* payLineIds(junxin, { from: d(1), to: d(3) })).toEqual(
            pick((l) => l.occurredAt >= d(1) && l.occurredAt < d(3))
          )
          expect(yield* payLineIds(junxin, { periodId: freshPeriodId() })).toEqual([])
          const walked = yield* walk((w) => repo.listPayLines(junxin, {}, w), timedKey, 3)
          expect(walked).toEqual(ids(ordered))
          const tied = ordered.filter((l) => l.occurredAt === d(1))
          expect(yield* payLineIds(junxin, {}, { after: timedKey(tied[1]!), limit: 2 })).toEqual(
            ids(ordered.slice(ordered.indexOf(tied[1]!) + 1, ordered.indexOf(tied[1]!) + 3))
          )
        })
    )

    it.effect(
      "payLineTotals sums by worker, order and kind (no order first), with status, period and time filters",
      () =>
        Effect.gen(function* () {
          const repo = yield* WorkshopRepo
          const junxin = yield* freshCommunity
          const chen = freshWorkerId()
          const wang = freshWorkerId()
          const o1 = freshOrderId()
          const o2 = freshOrderId()
          const period = freshPeriodId()
          const d = workshopDay
          yield* repo.insertPayLines([
            makePayLine(junxin, chen, { orderId: o1, quantity: 100, amountFen: 1_000, occurredAt: d(0) }),
            makePayLine(junxin, chen, { orderId: o1, quantity: 50, amountFen: 500, occurredAt: d(2) }),
            makePayLine(junxin, chen, { orderId: o2, quantity: 10, rateFen: 20, amountFen: 200, occurredAt: d(1) }),
            makePayLine(junxin, chen, {
              orderId: o1,
              kind: "reject_pay",
              quantity: 4,
              rateFen: 5,
              amountFen: 20,
              occurredAt: d(1)
            }),
            makePayLine(junxin, chen, {
              kind: "bonus",
              quantity: null,
              rateFen: null,
              amountFen: 800,
              occurredAt: d(1)
            }),
            makePayLine(junxin, chen, {
              orderId: o1,
              kind: "deduction",
              status: "proposed",
              quantity: 2,
              rateFen: 50,
              amountFen: -100,
              occurredAt: d(1)
            }),
            makePayLine(junxin, wang, {
              orderId: o1,
              quantity: 30,
              amountFen: 300,
              occurredAt: d(1),
              periodId: period
            }),
            makePayLine(junxin, wang, {
              orderId: o1,
              kind: "deduction",
              quantity: null,
              rateFen: null,
              amountFen: -40,
              occurredAt: d(3),
              periodId: period
            })
          ])
          const pt = (
            workerId: PayLineTotal["workerId"],
            orderId: PayLineTotal["orderId"],
            kind: PayLineTotal["kind"],
            amountFen: number,
            quantity: number,
            lines: number
          ): PayLineTotal => ({ workerId, orderId, kind, amountFen, quantity, lines })
          const confirmed = yield* repo.payLineTotals(junxin, { status: "confirmed" })
          expect(sortTotals(confirmed)).toEqual(
            sortTotals([
              pt(chen, o1, "earning", 1_500, 150, 2),
              pt(chen, o2, "earning", 200, 10, 1),
              pt(chen, o1, "reject_pay", 20, 4, 1),
              pt(chen, null, "bonus", 800, 0, 1),
              pt(wang, o1, "earning", 300, 30, 1),
              pt(wang, o1, "deduction", -40, 0, 1)
            ])
          )
          // by worker, and within a worker the line without an order comes first
          const workers = confirmed.map((x) => x.workerId)
          expect(workers).toEqual([...workers].sort(byCodeUnit))
          expect(confirmed.find((x) => x.workerId === chen)).toEqual(pt(chen, null, "bonus", 800, 0, 1))
          const chenOrders = confirmed.filter((x) => x.workerId === chen && x.orderId !== null).map((x) => x.orderId!)
          expect(chenOrders).toEqual([...chenOrders].sort(byCodeUnit))
          // the proposed deduction only without the status filter
          expect((yield* repo.payLineTotals(junxin, { workerId: chen })).find((x) => x.kind === "deduction")).toEqual(
            pt(chen, o1, "deduction", -100, 2, 1)
          )
          expect(sortTotals(yield* repo.payLineTotals(junxin, { periodId: period }))).toEqual(
            sortTotals([pt(wang, o1, "earning", 300, 30, 1), pt(wang, o1, "deduction", -40, 0, 1)])
          )
          expect(
            sortTotals(yield* repo.payLineTotals(junxin, { unpaid: true, status: "confirmed", from: d(1), to: d(2) }))
          ).toEqual(
            sortTotals([
              pt(chen, o2, "earning", 200, 10, 1),
              pt(chen, o1, "reject_pay", 20, 4, 1),
              pt(chen, null, "bonus", 800, 0, 1)
            ])
          )
          expect(yield* repo.payLineTotals(yield* freshCommunity, {})).toEqual([])
        })
    )

    it.effect(
      "assignPeriod takes only confirmed lines of no period in [from, to), bumps their versions, counts them",
      () =>
        Effect.gen(function* () {
          const repo = yield* WorkshopRepo
          const junxin = yield* freshCommunity
          const guli = yield* freshCommunity
          const chen = freshWorkerId()
          const earlier = freshPeriodId()
          const period = freshPeriodId()
          const d = workshopDay
          const inRange = makePayLine(junxin, chen, { occurredAt: d(1) })
          const atFrom = makePayLine(junxin, chen, { occurredAt: d(0), kind: "bonus", quantity: null, rateFen: null })
          const atTo = makePayLine(junxin, chen, { occurredAt: d(15) })
          const proposed = makePayLine(junxin, chen, {
            occurredAt: d(2),
            kind: "deduction",
            status: "proposed",
            amountFen: -50
          })
          const dismissed = makePayLine(junxin, chen, {
            occurredAt: d(2),
            kind: "deduction",
            status: "dismissed",
            amountFen: -50
          })
          const paidBefore = makePayLine(junxin, chen, { occurredAt: d(3), periodId: earlier, version: 2 })
          const before = makePayLine(junxin, chen, { occurredAt: d(0) - 1 })
          const theirs = makePayLine(guli, chen, { occurredAt: d(1) })
          yield* repo.insertPayLines([inRange, atFrom, atTo, proposed, dismissed, paidBefore, before])
          yield* repo.insertPayLines([theirs])
          expect(yield* repo.assignPeriod(junxin, period, d(0), d(15))).toBe(2)
          expectFound(PayLine, yield* repo.findPayLine(junxin, inRange.id), {
            ...inRange,
            periodId: period,
            version: 2
          })
          expectFound(PayLine, yield* repo.findPayLine(junxin, atFrom.id), { ...atFrom, periodId: period, version: 2 })
          for (const untouched of [atTo, proposed, dismissed, paidBefore, before])
            expectFound(PayLine, yield* repo.findPayLine(junxin, untouched.id), untouched, `line ${untouched.note}`)
          expectFound(PayLine, yield* repo.findPayLine(guli, theirs.id), theirs, "another community's line")
          expect(yield* payLineIds(junxin, { periodId: period })).toEqual(ids(byTimedKey([inRange, atFrom])))
          // nothing is left to assign a second time
          expect(yield* repo.assignPeriod(junxin, freshPeriodId(), d(0), d(15))).toBe(0)
          // from 0 takes the line before
          expect(yield* repo.assignPeriod(junxin, period, 0, d(15))).toBe(1)
          expectFound(PayLine, yield* repo.findPayLine(junxin, before.id), { ...before, periodId: period, version: 2 })
        })
    )

    it.effect("periods round trip with their slips, are paid one version at a time, paged by id", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const chen = freshWorkerId()
        const wang = freshWorkerId()
        const september = makePeriod(junxin, [
          makeSlip(chen, {
            earnedFen: 3_400,
            bonusFen: 800,
            deductedFen: 150,
            netFen: 4_050,
            pieces: 340,
            standardHours: 1.13
          }),
          makeSlip(wang)
        ])
        const empty = makePeriod(junxin, [], { from: workshopDay(15), to: workshopDay(30) })
        yield* repo.insertPeriod(september)
        yield* repo.insertPeriod(empty)
        expectFound(PayPeriod, yield* repo.findPeriod(junxin, september.id), september, "period")
        expectFound(PayPeriod, yield* repo.findPeriod(junxin, empty.id), empty, "period without slips")
        expectNone(yield* repo.findPeriod(guli, september.id), "Junxin's period from Gu Li")
        expectNone(yield* repo.findPeriod(junxin, freshPeriodId()), "an unknown period")
        expectConflict(yield* Effect.flip(repo.insertPeriod({ ...september, slips: [] })), "duplicate")
        expectConflict(yield* Effect.flip(repo.updatePeriod({ ...september, status: "paid" })), "stale_version")
        const paid: PayPeriod = {
          ...september,
          status: "paid",
          slips: september.slips.map((s) => ({ ...s, transferId: freshMovementId() })),
          paidAt: workshopDay(16),
          version: 2
        }
        yield* repo.updatePeriod(paid)
        expectFound(PayPeriod, yield* repo.findPeriod(junxin, september.id), paid, "paid period")
        expectConflict(
          yield* Effect.flip(repo.updatePeriod({ ...paid, communityId: guli, version: 3 })),
          "stale_version"
        )
        const sorted = sortedIds([september.id, empty.id])
        expect(ids(yield* repo.listPeriods(junxin, all))).toEqual(sorted)
        expect(ids(yield* repo.listPeriods(junxin, { after: sorted[0], limit: 1 }))).toEqual([sorted[1]])
        expect(yield* repo.listPeriods(guli, all)).toEqual([])
      })
    )
  })

  describe("WorkshopRepo invoices", () => {
    it.effect("invoices round trip, are paid one version at a time, filter by factory and order, and are counted", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const { communityId: junxin, factory, product, order } = yield* withOrder
        const guli = yield* freshCommunity
        const second = makeWorkOrder(product, { title: "十月长尾夹" })
        yield* repo.insertOrder(second)
        const other = makeFactory(junxin, { subjects: [] })
        yield* repo.insertFactory(other)
        const toy = makeWorkProduct(junxin, other.id, { sku: "TOY-1" })
        yield* repo.insertProduct(toy)
        const toyOrder = makeWorkOrder(toy, { priceFen: 30 })
        yield* repo.insertOrder(toyOrder)
        expect(yield* repo.countInvoices(junxin)).toBe(0)
        const first = makeInvoice(order)
        const againFirst = makeInvoice(order, { number: "2026-0002", pieces: 500, amountFen: 500 * order.priceFen })
        const ofSecond = makeInvoice(second, { number: "2026-0003" })
        const ofToys = makeInvoice(toyOrder, { number: "2026-0004", amountFen: 2_000 * 30 })
        for (const i of [first, againFirst, ofSecond, ofToys]) yield* repo.insertInvoice(i)
        expectFound(Invoice, yield* repo.findInvoice(junxin, first.id), first, "invoice")
        expectNone(yield* repo.findInvoice(guli, first.id), "Junxin's invoice from Gu Li")
        expectNone(yield* repo.findInvoice(junxin, freshInvoiceId()), "an unknown invoice")
        expectConflict(yield* Effect.flip(repo.insertInvoice({ ...first, number: "2026-0099" })), "duplicate")
        expect(yield* repo.countInvoices(junxin)).toBe(4)
        expect(yield* repo.countInvoices(guli)).toBe(0)
        expectConflict(yield* Effect.flip(repo.updateInvoice({ ...first, status: "paid" })), "stale_version")
        const paid = { ...first, status: "paid" as const, paidAt: workshopDay(20), version: 2 }
        yield* repo.updateInvoice(paid)
        expectFound(Invoice, yield* repo.findInvoice(junxin, first.id), paid, "paid invoice")
        expect(yield* repo.countInvoices(junxin)).toBe(4)
        const every = sortedIds([first.id, againFirst.id, ofSecond.id, ofToys.id])
        expect(yield* invoiceIds(junxin, {})).toEqual(every)
        expect(yield* invoiceIds(junxin, { factoryId: factory.id })).toEqual(
          sortedIds([first.id, againFirst.id, ofSecond.id])
        )
        expect(yield* invoiceIds(junxin, { orderId: order.id })).toEqual(sortedIds([first.id, againFirst.id]))
        expect(yield* invoiceIds(junxin, { factoryId: other.id, orderId: order.id })).toEqual([])
        expect(yield* invoiceIds(junxin, {}, { after: every[1], limit: 1 })).toEqual([every[2]])
        expect(yield* invoiceIds(guli, {})).toEqual([])
      })
    )
  })

  describe("WorkshopRepo in transactions", () => {
    it.effect("a failed transaction leaves no trace of any workshop write", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const tx = yield* Transactor
        const { communityId: junxin, factory, product, order } = yield* withOrder
        const settings = makeWorkshopSettings(junxin)
        yield* repo.putSettings(settings)
        const chen = makeWorker(junxin)
        yield* repo.insertWorker(chen)
        const line = makePayLine(junxin, chen.id, { occurredAt: workshopDay(1) })
        yield* repo.insertPayLines([line])
        const newFactory = makeFactory(junxin, { subjects: ["rolled-back"] })
        const newProduct = makeWorkProduct(junxin, factory.id, { sku: "ROLLBACK-1" })
        const newWorker = makeWorker(junxin)
        const moves = [makeMovement(order), makeIssue(order, chen.id, 10)]
        const newLine = makePayLine(junxin, chen.id, { occurredAt: workshopDay(2) })
        const period = makePeriod(junxin, [makeSlip(chen.id)])
        const invoice = makeInvoice(order)
        const boom = new Boom({ step: "after every workshop write" })
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* repo.putSettings({ ...settings, minimumHourlyWageFen: 9_999, version: 2 })
              yield* repo.insertFactory(newFactory)
              yield* repo.updateFactory({ ...factory, name: "改名", version: 2 })
              yield* repo.insertProduct(newProduct)
              yield* repo.updateOrder({ ...order, status: "closed", version: 2 })
              yield* repo.insertWorker(newWorker)
              yield* repo.updateWorker({ ...chen, active: false, version: 2 })
              yield* repo.insertMovements(moves)
              yield* repo.insertPayLines([newLine])
              expect(yield* repo.assignPeriod(junxin, period.id, 0, workshopDay(30))).toBe(2)
              yield* repo.insertPeriod(period)
              yield* repo.insertInvoice(invoice)
              // the transaction sees its own writes
              expect(yield* repo.countInvoices(junxin)).toBe(1)
              expect((yield* repo.movementTotals(junxin, {})).length).toBe(2)
              return yield* Effect.fail(boom)
            })
          )
        )
        expect(error).toBe(boom)
        expectFound(WorkshopSettings, yield* repo.settings(junxin), settings, "settings")
        expectNone(yield* repo.findFactory(junxin, newFactory.id), "the rolled-back factory")
        expectNone(yield* repo.findFactoryBySubject(junxin, "rolled-back"), "the rolled-back factory by subject")
        expectFound(Factory, yield* repo.findFactory(junxin, factory.id), factory, "factory")
        expectNone(yield* repo.findProduct(junxin, newProduct.id), "the rolled-back product")
        expectFound(WorkOrder, yield* repo.findOrder(junxin, order.id), order, "order")
        expectNone(yield* repo.findWorker(junxin, newWorker.id), "the rolled-back worker")
        expectNone(yield* repo.findWorkerByResident(junxin, newWorker.residentId), "its resident")
        expectFound(Worker, yield* repo.findWorker(junxin, chen.id), chen, "worker")
        expect(yield* repo.listMovements(junxin, {}, all)).toEqual([])
        expect(yield* repo.movementTotals(junxin, {})).toEqual([])
        expect(yield* repo.listPayLines(junxin, {}, all)).toEqual([line])
        expectNone(yield* repo.findPeriod(junxin, period.id), "the rolled-back period")
        expectNone(yield* repo.findInvoice(junxin, invoice.id), "the rolled-back invoice")
        expect(yield* repo.countInvoices(junxin)).toBe(0)
        // the same writes go through afterwards
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* repo.insertProduct(newProduct)
            yield* repo.insertMovements(moves)
            yield* repo.insertPayLines([newLine])
            yield* repo.insertInvoice(invoice)
          })
        )
        expectFound(WorkProduct, yield* repo.findProduct(junxin, newProduct.id), newProduct, "product")
        expect(yield* movementIds(junxin, {})).toEqual(ids(byTimedKey(moves)))
        expect(yield* repo.countInvoices(junxin)).toBe(1)
        expect(product.sku).toBe("CLIP-A3")
      })
    )

    it.effect("a refused batch inside a transaction fails it and keeps nothing of it", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const tx = yield* Transactor
        const { communityId: junxin, order } = yield* withOrder
        const chen = makeWorker(junxin)
        yield* repo.insertWorker(chen)
        const first = makeMovement(order)
        yield* repo.insertMovements([first])
        const issued = makeIssue(order, chen.id, 20)
        const line = makePayLine(junxin, chen.id)
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* repo.insertPayLines([line])
              yield* repo.insertMovements([issued])
              // the receipt again, in a batch of its own
              yield* repo.insertMovements([makeMovement(order), first])
            })
          )
        )
        expectConflict(error, "duplicate")
        expectNone(yield* repo.findPayLine(junxin, line.id), "the rolled-back pay line")
        expectNone(yield* repo.findMovement(junxin, issued.id), "the rolled-back issue")
        expect(yield* movementIds(junxin, {})).toEqual([first.id])
        expect(yield* repo.movementTotals(junxin, { kind: "issue" })).toEqual([])
      })
    )

    it.effect("one resident enrolled twice at once: exactly one worker is kept", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const first = makeWorker(junxin)
        const twins = [first, makeWorker(junxin, { residentId: first.residentId, displayName: "陈秀兰" })]
        const results = yield* Effect.all(
          twins.map((w) => Effect.result(tx.withTransaction(Effect.andThen(Effect.yieldNow, repo.insertWorker(w))))),
          { concurrency: "unbounded" }
        )
        const kept = results.flatMap((r, i) => (Result.isSuccess(r) ? [twins[i]!] : []))
        const refused = results.flatMap((r) => (Result.isFailure(r) ? [r.failure] : []))
        expect(kept).toHaveLength(1)
        expect(refused).toHaveLength(1)
        expectConflict(refused[0], "duplicate")
        expect(yield* repo.listWorkers(junxin, all)).toEqual(kept)
      })
    )

    it.effect("two coordinators changing one order at once: exactly one wins, the other is stale", () =>
      Effect.gen(function* () {
        const repo = yield* WorkshopRepo
        const tx = yield* Transactor
        const { communityId: junxin, order } = yield* withOrder
        const changes: ReadonlyArray<WorkOrder> = [
          { ...order, status: "closed", version: 2 },
          { ...order, title: "九月长尾夹（加急）", version: 2 }
        ]
        const results = yield* Effect.all(
          changes.map((next) =>
            Effect.result(
              tx.withTransaction(
                Effect.gen(function* () {
                  const found = yield* repo.findOrder(junxin, order.id)
                  expect(found._tag).toBe("Some")
                  yield* Effect.yieldNow
                  yield* repo.updateOrder(next)
                })
              )
            )
          ),
          { concurrency: "unbounded" }
        )
        const winners = results.flatMap((r, i) => (Result.isSuccess(r) ? [changes[i]!] : []))
        const losers = results.flatMap((r) => (Result.isFailure(r) ? [r.failure] : []))
        expect(winners).toHaveLength(1)
        expect(losers).toHaveLength(1)
        expectConflict(losers[0], "stale_version")
        expectFound(WorkOrder, yield* repo.findOrder(junxin, order.id), winners[0]!, "the winner's order")
      })
    )
  })
}
