// @commonweal/testing is a Node test kit (it reads `process.env`); the adapter's own sources stay
// free of Node types, so the tests bring them in.
/// <reference types="node" />
// Property tests of the workshop through the real `Workshop` service on the in-memory store:
// for ANY sequence of receipts, sign-outs, returns (of every kind, some asking for more than is
// held), deliveries and confirmations of proposed deductions,
// - a command succeeds exactly when the pieces are there, and a refused one leaves no trace;
// - per order and worker, issued = accepted + rejected + unused + scrapped + held, and the
//   order's movements reconcile with its ledger accounts;
// - what the workshop owes each worker in the ledger equals the sum of their confirmed pay lines,
//   to the fen, and after a period is closed and paid, the payslips' nets equal the payouts.
import {
  Communities,
  CurrentActor,
  Fund,
  IdGenerator,
  LedgerRepo,
  MutualAid,
  Residents,
  TransferId,
  Workshop,
  WorkshopAccounts
} from "@commonweal/core"
import type { Actor, CommunityId, DomainError, LedgerAccountId, RejectPolicy } from "@commonweal/core"
import { demoCommunities, JUNXIN_ID, junxinResidents, seedDemoWith } from "@commonweal/testing/demo"
import { Effect, Layer, Option } from "effect"
import fc from "fast-check"
import { randomUUID } from "node:crypto"
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

const services = () =>
  Layer.provideMerge(
    Workshop.layer,
    Layer.mergeAll(Communities.layer, Residents.layer, Fund.layer, MutualAid.layer)
  ).pipe(
    Layer.provideMerge(
      Layer.merge(
        Layer.provideMerge(
          Layer.mergeAll(
            MemoryCommunities.layer,
            MemoryResidents.layer,
            MemoryLedger.layer,
            MemoryFund.layer,
            MemoryMutualAid.layer,
            MemoryWorkshop.layer
          ),
          MemoryKernel.layer
        ),
        IdGenerator.Live
      )
    )
  )

const junxin = demoCommunities.find((c) => c.id === JUNXIN_ID)!
const coordinator: Actor = { subject: "coordinator-fang", communityId: JUNXIN_ID, roles: ["coordinator"] }
const as = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, CurrentActor, coordinator)
const tid = (): string => TransferId.make(randomUUID())

type Command =
  | { readonly t: "receive"; readonly q: number }
  | { readonly t: "issue"; readonly w: number; readonly q: number }
  | {
      readonly t: "return"
      readonly w: number
      readonly a: number
      readonly r: number
      readonly u: number
      readonly s: number
    }
  | { readonly t: "deliver"; readonly q: number }
  | { readonly t: "confirm" }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ t: fc.constant("receive" as const), q: fc.integer({ min: 1, max: 300 }) }),
  fc.record({
    t: fc.constant("issue" as const),
    w: fc.integer({ min: 0, max: 2 }),
    q: fc.integer({ min: 1, max: 150 })
  }),
  fc.record({
    t: fc.constant("return" as const),
    w: fc.integer({ min: 0, max: 2 }),
    a: fc.integer({ min: 0, max: 80 }),
    r: fc.integer({ min: 0, max: 12 }),
    u: fc.integer({ min: 0, max: 12 }),
    s: fc.integer({ min: 0, max: 12 })
  }),
  fc.record({ t: fc.constant("deliver" as const), q: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ t: fc.constant("confirm" as const) })
)

/** An account's credit balance (posted credits less posted debits), 0 if never opened. */
const creditBalance = (communityId: CommunityId, id: LedgerAccountId) =>
  Effect.map(
    LedgerRepo.use((ledger) => ledger.findAccount(communityId, id)),
    Option.match({ onNone: () => 0, onSome: (a) => a.creditsPosted - a.debitsPosted })
  )

/** The outcome of a command: its error's tag, or `null` when it succeeded. */
const outcome = <A, R>(effect: Effect.Effect<A, DomainError, R>) =>
  Effect.match(effect, { onFailure: (e) => e._tag as string, onSuccess: () => null })

const scenario = (policy: RejectPolicy, commands: ReadonlyArray<Command>) =>
  Effect.gen(function* () {
    yield* seedDemoWith([{ community: junxin, residents: junxinResidents, households: [], guardianLinks: [] }])
    const ws = yield* Workshop
    yield* as(ws.configure({ minimumHourlyWageFen: 2_600 }))
    yield* as(ws.addCash({ id: tid(), amountFen: 10_000_000, note: "周转金 / working cash" }))
    const factory = yield* as(ws.addFactory({ name: "宁波高桥文具厂（虚构）", contact: "李经理" }))
    const product = yield* as(
      ws.addProduct({
        factoryId: factory.id,
        sku: "CLIP-A3",
        name: "长尾夹组装 / binder clips",
        parts: [{ name: "夹身 / body", perPiece: 1 }],
        standardSeconds: 12
      })
    )
    const now = Date.now()
    const draft = yield* as(
      ws.createOrder({
        productId: product.id,
        title: "长尾夹 / binder clips",
        quantity: 100_000,
        priceFen: 14,
        rateFen: 10,
        deadline: now + 30 * 86_400_000,
        quality: {
          rejectPolicy: policy,
          rejectSharePercent: 50,
          rejectChargeFen: 3,
          scrapTolerancePermille: 20,
          scrapChargeFen: 5
        }
      })
    )
    const order = yield* as(ws.startOrder(draft.id, {}))
    const people = junxinResidents.filter((r) => (r.birthYear ?? 2000) < 2000).slice(0, 3)
    const workers = yield* Effect.forEach(people, (r) =>
      as(ws.enroll({ residentId: r.id, displayName: r.displayName }))
    )

    let stock = 0
    let acceptedInHand = 0
    const held = [0, 0, 0]
    for (const [step, c] of commands.entries()) {
      const label = `step ${step}: ${JSON.stringify(c)}`
      switch (c.t) {
        case "receive": {
          expect(yield* outcome(as(ws.receive({ id: tid(), orderId: order.id, quantity: c.q }))), label).toBe(null)
          stock += c.q
          break
        }
        case "issue": {
          const w = workers[c.w]!
          const got = yield* outcome(
            as(ws.issue({ id: tid(), orderId: order.id, workerId: w.id, quantity: c.q, place: "home" }))
          )
          if (c.q <= stock) {
            expect(got, label).toBe(null)
            stock -= c.q
            held[c.w]! += c.q
          } else expect(got, label).toBe("InsufficientFunds")
          break
        }
        case "return": {
          const w = workers[c.w]!
          const total = c.a + c.r + c.u + c.s
          const got = yield* outcome(
            as(
              ws.returnPieces({
                id: tid(),
                orderId: order.id,
                workerId: w.id,
                accepted: c.a,
                rejected: c.r,
                unused: c.u,
                scrapped: c.s
              })
            )
          )
          if (total === 0) expect(got, label).toBe("InvalidInput")
          else if (total > held[c.w]!) expect(got, label).toBe("InsufficientFunds")
          else {
            expect(got, label).toBe(null)
            held[c.w]! -= total
            stock += c.u
            acceptedInHand += c.a
          }
          break
        }
        case "deliver": {
          const got = yield* outcome(as(ws.deliver({ id: tid(), orderId: order.id, quantity: c.q })))
          if (c.q <= acceptedInHand) {
            expect(got, label).toBe(null)
            acceptedInHand -= c.q
          } else expect(got, label).toBe("InsufficientFunds")
          break
        }
        case "confirm": {
          const proposed = yield* as(ws.payLines({ status: "proposed" }, { limit: 200 }))
          for (const line of proposed.items) {
            const got = yield* outcome(as(ws.confirmPayLine(line.id)))
            // a deduction larger than what the worker is owed is refused, and stays proposed
            expect([null, "InsufficientFunds"], label).toContain(got)
          }
          break
        }
      }

      const rec = yield* as(ws.reconcile(order.id))
      expect(rec.balanced, label).toBe(true)
      expect(rec.balance.stock, label).toBe(stock)
      expect(rec.balance.accepted, label).toBe(acceptedInHand)
      for (const line of rec.workers) {
        expect(line.accepted + line.rejected + line.unused + line.scrapped + line.held, label).toBe(line.issued)
        expect(line.held, label).toBe(held[workers.findIndex((w) => w.id === line.workerId)])
      }
      for (const [i, w] of workers.entries()) {
        const lines = yield* as(ws.payLines({ workerId: w.id, status: "confirmed" }, { limit: 200 }))
        const confirmed = lines.items.reduce((sum, l) => sum + l.amountFen, 0)
        const owed = yield* creditBalance(JUNXIN_ID, WorkshopAccounts.wagesPayableAccountId(JUNXIN_ID, people[i]!.id))
        expect(owed, label).toBe(confirmed)
      }
    }

    // close and pay everything confirmed so far: the payslips' nets are exactly the payouts
    yield* Effect.sleep("2 millis")
    const to = Date.now()
    const closing = yield* Effect.result(as(ws.closePeriod({ id: randomUUID7(), from: 0, to })))
    if (closing._tag === "Success") {
      const period = closing.success
      const paid = yield* as(ws.payPeriod(period.id))
      const nets = paid.slips.reduce((sum, s) => sum + s.netFen, 0)
      const cashCredit = yield* creditBalance(JUNXIN_ID, WorkshopAccounts.moneyAccountId(JUNXIN_ID, "cash"))
      // cash was credited by each payout: 10,000,000 in, the nets out
      expect(-cashCredit).toBe(10_000_000 - nets)
      for (const person of people) {
        expect(yield* creditBalance(JUNXIN_ID, WorkshopAccounts.wagesPayableAccountId(JUNXIN_ID, person.id))).toBe(0)
      }
    } else {
      // nothing confirmed to pay: no line at all
      expect(closing.failure._tag).toBe("InvalidInput")
      const lines = yield* as(ws.payLines({ status: "confirmed" }, { limit: 10 }))
      expect(lines.items).toEqual([])
    }
  })

/** A UUIDv7-shaped id for a pay period (the schema wants version 7). */
const randomUUID7 = (): string => {
  const u = randomUUID()
  return `${u.slice(0, 14)}7${u.slice(15)}`
}

describe("workshop properties (the Workshop service on the in-memory store)", () => {
  it("any sequence of sign-outs and returns keeps custody and the ledger in step, and pay equals the ledger to the fen", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<RejectPolicy>("unpaid", "paid", "partly_paid", "charged"),
        fc.array(command, { minLength: 1, maxLength: 25 }),
        (policy, commands) => Effect.runPromise(scenario(policy, commands).pipe(Effect.provide(services())))
      ),
      { numRuns: 40 }
    )
  }, 120_000)
})
