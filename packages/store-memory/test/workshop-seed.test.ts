// @commonweal/testing is a Node test kit (it reads `process.env`); the adapter's own sources stay
// free of Node types, so the tests bring them in.
/// <reference types="node" />
// The demo workshop of 君馨社区 (`seedJunxinWorkshop`) played through the services on the in-memory
// store, as the demo seed runs it: inside the community's transaction, after its residents. What
// it reports is what is stored, the order reconciles with the ledger, the first week is paid, the
// invoice is paid, parts are still out, and the factory's contact sees its factory.
import {
  Communities,
  CurrentActor,
  Fund,
  IdGenerator,
  MutualAid,
  Residents,
  systemActor,
  Transactor,
  Workshop
} from "@commonweal/core"
import type { Page, Paging } from "@commonweal/core"
import {
  demoCommunities,
  JUNXIN_ID,
  junxinResidents,
  junxinWorkshopActors,
  junxinWorkshopPlan,
  seedDemoWith,
  seedJunxinWorkshop,
  tangJing
} from "@commonweal/testing/demo"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import {
  MemoryCommunities,
  MemoryFund,
  MemoryKernel,
  MemoryLedger,
  MemoryMutualAid,
  MemoryResidents,
  MemoryWorkshop
} from "../src/index.js"

const store = Layer.provideMerge(
  Layer.mergeAll(
    MemoryCommunities.layer,
    MemoryResidents.layer,
    MemoryLedger.layer,
    MemoryFund.layer,
    MemoryMutualAid.layer,
    MemoryWorkshop.layer
  ),
  MemoryKernel.layer
)
const services = Layer.provideMerge(
  Workshop.layer,
  Layer.mergeAll(Communities.layer, Residents.layer, Fund.layer, MutualAid.layer)
).pipe(Layer.provideMerge(Layer.merge(store, IdGenerator.Live)))

const junxin = demoCommunities.find((c) => c.id === JUNXIN_ID)!
const coordinator = junxinWorkshopActors.coordinator

/** Every item of a paged list. */
const all = <A, E, R>(list: (page: Paging.PageRequest) => Effect.Effect<Page<A>, E, R>) =>
  Effect.gen(function* () {
    const items: Array<A> = []
    let cursor: string | null = null
    do {
      const page: Page<A> = yield* list(cursor === null ? { limit: 200 } : { limit: 200, cursor })
      items.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== null)
    return items
  })

/** Junxin with its residents (no fund, no mutual aid), then the workshop, in one transaction. */
const seeded = Effect.gen(function* () {
  yield* seedDemoWith([{ community: junxin, residents: junxinResidents, households: [], guardianLinks: [] }])
  const transactor = yield* Transactor
  const started = performance.now()
  const report = yield* transactor
    .withTransaction(seedJunxinWorkshop)
    .pipe(Effect.provideService(CurrentActor, systemActor(JUNXIN_ID)))
  return { report, ms: performance.now() - started }
})

describe("the demo workshop seed (in-memory store)", () => {
  it("writes what it reports, reconciled with the ledger, in a few seconds", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const { report, ms } = yield* seeded
        const workshop = yield* Workshop
        const asCoordinator = Effect.provideService(CurrentActor, coordinator)

        const workers = yield* all((p) => workshop.workers(p)).pipe(asCoordinator)
        const orders = yield* all((p) => workshop.orders({}, p)).pipe(asCoordinator)
        const order = orders[0]!
        const movements = yield* all((p) => workshop.movements({ orderId: order.id }, p)).pipe(asCoordinator)
        const reconciliation = yield* workshop.reconcile(order.id).pipe(asCoordinator)
        const progress = yield* workshop.progress(order.id).pipe(asCoordinator)
        const periods = yield* all((p) => workshop.periods(p)).pipe(asCoordinator)
        const invoices = yield* all((p) => workshop.invoices({}, p)).pipe(asCoordinator)
        const proposed = yield* all((p) => workshop.payLines({ status: "proposed" }, p)).pipe(asCoordinator)
        const tang = workers.find((w) => w.residentId === tangJing.id)!
        const tangLines = yield* all((p) => workshop.payLines({ workerId: tang.id }, p)).pipe(asCoordinator)
        const custody = yield* Effect.forEach(workers, (w) => workshop.custody(w.id)).pipe(asCoordinator)
        const asFactory = Effect.provideService(CurrentActor, junxinWorkshopActors.factory)
        const factoryView = {
          factories: yield* all((p) => workshop.factories(p)).pipe(asFactory),
          orders: yield* all((p) => workshop.orders({}, p)).pipe(asFactory),
          invoices: yield* all((p) => workshop.invoices({}, p)).pipe(asFactory)
        }
        return {
          report,
          ms,
          workers,
          orders,
          movements,
          reconciliation,
          progress,
          periods,
          invoices,
          proposed,
          tangLines,
          custody,
          factoryView
        }
      }).pipe(Effect.provide(services))
    )
    const { report, workers, orders, movements, reconciliation, progress, periods, invoices } = result

    expect(report).toEqual({
      factories: 1,
      workers: 25,
      orders: 1,
      movements: movements.length,
      payPeriods: 1,
      invoices: 1,
      residentsRegistered: 19
    })
    expect(result.ms).toBeLessThan(10_000)
    expect(workers).toHaveLength(25)
    expect(orders).toHaveLength(1)

    // the order: 15,000 kits of two parts (30,000 parts), its rate fair, open
    const [order] = orders
    expect(order).toMatchObject({ quantity: 15_000, priceFen: 14, status: "open", sku: "RKS-2" })
    expect(order!.fairPay).toMatchObject({
      effectiveHourlyFen: 3_000,
      minimumHourlyWageFen: 2_600,
      belowMinimum: false
    })

    // every piece accounted for, in the records and in the ledger alike
    expect(reconciliation.balanced).toBe(true)
    const { balance } = reconciliation
    expect(balance.received).toBe(15_000)
    expect(balance.stock).toBeGreaterThan(0)
    expect(balance.inCustody).toBeGreaterThan(0)
    expect(balance.delivered).toBeGreaterThan(0)
    expect(reconciliation.ledger).toEqual({
      stock: balance.stock,
      accepted: balance.accepted,
      custody: balance.inCustody
    })
    // the plan's counts are what was stored
    const plan = junxinWorkshopPlan()
    const planned = (kind: "issue" | "receive" | "deliver") => plan.filter((s) => s.op._tag === kind).length
    expect(movements.filter((m) => m.kind === "issue")).toHaveLength(planned("issue"))
    expect(movements.filter((m) => m.kind === "receive")).toHaveLength(planned("receive"))
    expect(movements.filter((m) => m.kind === "deliver")).toHaveLength(planned("deliver"))

    // progress: more than half done, some still at workers' homes
    expect(progress.ordered).toBe(15_000)
    expect(progress.percentDone).toBeGreaterThan(50)
    expect(progress.percentDone).toBeLessThan(100)
    expect(progress.inCustody).toBe(balance.inCustody)
    expect(progress.pacePerDay).toBeGreaterThan(0)

    // the first week closed and paid to everyone owed, 唐静's confirmed deduction on her slip
    expect(periods).toHaveLength(1)
    const [week] = periods
    expect(week!.status).toBe("paid")
    expect(week!.slips.length).toBeGreaterThan(10)
    for (const slip of week!.slips) if (slip.netFen > 0) expect(slip.transferId).not.toBeNull()
    const tangSlip = week!.slips.find((s) => s.workerId === result.tangLines[0]!.workerId)!
    expect(tangSlip.deductedFen).toBe(30 * 20)
    expect(result.proposed).toEqual([])
    expect(result.tangLines.filter((l) => l.kind === "deduction")).toMatchObject([
      { status: "confirmed", amountFen: -600, periodId: week!.id }
    ])
    // the bonus
    expect(week!.slips.some((s) => s.bonusFen === 2_000)).toBe(true)

    // one invoice, paid, for what was shipped in the first week (more was shipped since)
    expect(invoices).toHaveLength(1)
    expect(invoices[0]).toMatchObject({ status: "paid", priceFen: 14 })
    expect(invoices[0]!.pieces).toBeLessThan(balance.delivered)
    expect(invoices[0]!.amountFen).toBe(invoices[0]!.pieces * 14)

    // parts out at home for a day or more
    const out = result.custody.flat().filter((line) => line.held > 0)
    expect(out.length).toBeGreaterThan(0)
    expect(out.some((line) => line.days >= 1)).toBe(true)

    // the factory's contact sees its own factory, order and invoice
    expect(result.factoryView.factories.map((f) => f.subjects)).toEqual([[junxinWorkshopActors.factory.subject]])
    expect(result.factoryView.orders.map((o) => o.id)).toEqual([order!.id])
    expect(result.factoryView.invoices).toHaveLength(1)
  })
})
