/**
 * The ledger, end to end over a storage adapter: the core `Ledger` service running on the
 * adapter's ports. What users rely on: a sale reaches the fund, holds are posted in part, voided
 * or expire, corrections reverse, a replayed batch posts nothing twice, a failed linked batch
 * leaves no trace, closed accounts refuse, other communities see nothing, and many writers
 * spending from one account at once never overdraw it nor lose a transfer.
 *
 * @module
 */
import { expect } from "@effect/vitest"
import { CurrentActor, IdGenerator, Ledger, LedgerRepo, Outbox } from "@commonweal/core"
import type { Actor, CommunityId, DomainError, LedgerAccount, Role } from "@commonweal/core"
import { DateTime, Effect, Layer, Option } from "effect"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import { ahead } from "../kernel/clock.js"
import type { LedgerContractPorts } from "./helpers.js"
import { accountInput, freshTransferId, pending, posted } from "./helpers.js"

type Services = Ledger | LedgerContractPorts

const as =
  (actor: Actor) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.provideService(effect, CurrentActor, actor)

const actorOf = (communityId: CommunityId, role: Role = "staff"): Actor => ({
  subject: `junxin-${role}`,
  communityId,
  roles: [role]
})

/** A fresh community, its staff actor, and Candy Commune's accounts with the fund. */
const setup = Effect.gen(function* () {
  const communityId = yield* freshCommunity
  const staff = actorOf(communityId)
  const ledger = yield* Ledger
  const open = (name: string, kind: LedgerAccount["kind"], flags: Parameters<typeof accountInput>[3] = {}) => {
    const { communityId: _, ...input } = accountInput(communityId, name, kind, flags)
    return ledger.openAccount(input).pipe(as(staff))
  }
  const cash = yield* open("candy:cash", "asset", { creditsMustNotExceedDebits: true })
  const sales = yield* open("candy:sales", "income")
  const costs = yield* open("candy:costs", "expense")
  const fund = yield* open("fund:general", "equity", { debitsMustNotExceedCredits: true })
  return { communityId, staff, ledger, open, cash, sales, costs, fund }
})

const account = (actor: Actor, id: string) => Effect.flatMap(Ledger, (l) => l.account(id).pipe(as(actor)))

const expectError = (error: DomainError, tag: DomainError["_tag"], ...inMessage: ReadonlyArray<string>) => {
  expect(error._tag).toBe(tag)
  for (const text of inMessage) expect(error.message).toContain(text)
}

/**
 * Registers the end-to-end suite of the ledger for an adapter: the core `Ledger` service over
 * `target`'s ports. `ledgerContract` runs it after the port contract; call it alone as
 * `ledgerServiceSuite({ name: "sqlite", layer })`.
 */
export const ledgerServiceSuite = (target: ContractTarget<LedgerContractPorts>): void => {
  const services: Layer.Layer<Services, unknown> = Ledger.layer.pipe(
    Layer.provideMerge(Layer.merge(target.layer, IdGenerator.Live))
  )

  registerContract(
    `ledger service over ${target.name}`,
    { name: target.name, layer: services, skip: target.skip },
    (it) => {
      it.effect(
        "a Candy Commune (糖果公社) sale reaches the fund, with one event, a journal and a verified chain",
        () =>
          Effect.gen(function* () {
            const { staff, ledger, cash, sales, costs, fund } = yield* setup
            const sale = posted(cash.id, sales.id, 2_500, "幸运君折叠伞 ×1 (糖果公社)")
            const fee = posted(costs.id, cash.id, 300, "设计费", 2)
            const closeCosts = posted(sales.id, costs.id, 300, "结转成本", 3)
            const net = posted(sales.id, fund.id, 2_200, "净收入转入公益金", 4)
            const results = yield* ledger.transfer({ requests: [sale, fee, closeCosts, net] }).pipe(as(staff))
            expect(results.map((r) => [r.transfer.id, r.replayed])).toEqual([
              [sale.id, false],
              [fee.id, false],
              [closeCosts.id, false],
              [net.id, false]
            ])
            expect(results.map((r) => r.transfer.sequence)).toEqual([1, 2, 3, 4])
            const [c, s, k, f] = yield* Effect.all([cash, sales, costs, fund].map((a) => account(staff, a.id)))
            expect([c!.debitsPosted - c!.creditsPosted, s!.creditsPosted - s!.debitsPosted]).toEqual([2_200, 0])
            expect([k!.debitsPosted - k!.creditsPosted, f!.creditsPosted - f!.debitsPosted]).toEqual([0, 2_200])
            const events = yield* (yield* Outbox).list(staff.communityId, 0, 100)
            const applied = events.filter((e) => e.type === "TransfersApplied")
            expect(applied).toHaveLength(1)
            expect(applied[0]!.payload).toEqual({
              _tag: "TransfersApplied",
              batchId: null,
              transferIds: [sale.id, fee.id, closeCosts.id, net.id],
              count: 4,
              totals: [{ unit: "CNY", amount: 5_300 }]
            })
            expect(events.filter((e) => e.type === "LedgerAccountOpened")).toHaveLength(4)
            const history = yield* ledger.history(fund.id, { limit: 10 }).pipe(as(staff))
            expect(history.items.map((t) => t.id)).toEqual([net.id])
            expect(yield* ledger.verifyChain().pipe(as(staff))).toEqual({
              transfers: 4,
              head: { sequence: 4, hash: results[3]!.transfer.hash }
            })
            const journal = yield* ledger.exportJournal().pipe(as(staff))
            expect(journal).toContain("幸运君折叠伞 ×1 (糖果公社)")
            expect(journal).toContain("community:fund:general")
            expect(journal).toContain("-22.00 CNY")
          })
      )

      it.effect("a hold is posted in part; the rest is released; balances at earlier times stay true", () =>
        Effect.gen(function* () {
          const { staff, ledger, cash, sales, fund } = yield* setup
          yield* ledger.transfer({ requests: [posted(cash.id, sales.id, 5_000, "销售")] }).pipe(as(staff))
          yield* ledger.transfer({ requests: [posted(sales.id, fund.id, 5_000, "转入公益金")] }).pipe(as(staff))
          // an approved grant of 30 元 is held on the fund, then 18 元 is paid out
          const hold = pending(fund.id, cash.id, 3_000, 3_600, "困难家庭补助（待付）")
          const [held] = yield* ledger.transfer({ requests: [hold] }).pipe(as(staff))
          const during = yield* account(staff, fund.id)
          expect([during.debitsPending, during.creditsPending]).toEqual([3_000, 0])
          const post = {
            _tag: "PostPending" as const,
            id: freshTransferId(),
            pendingId: hold.id,
            amount: 1_800,
            reason: "实付"
          }
          yield* ahead(1_000)(ledger.transfer({ requests: [post] }).pipe(as(staff)))
          const after = yield* account(staff, fund.id)
          expect([after.debitsPosted, after.debitsPending, after.creditsPosted]).toEqual([1_800, 0, 5_000])
          const holds = yield* (yield* LedgerRepo).holds(staff.communityId, [hold.id])
          expect(holds.get(hold.id)).toEqual({ status: "posted", resolvedBy: post.id })
          const then = DateTime.makeUnsafe(held!.transfer.timestamp)
          expect(yield* ledger.balanceAt(fund.id, then).pipe(as(staff))).toEqual({
            debitsPosted: 0,
            debitsPending: 3_000,
            creditsPosted: 5_000,
            creditsPending: 0
          })
          // posting it again is refused, naming the transfer and why
          const again = { ...post, id: freshTransferId() }
          const error = yield* Effect.flip(ledger.transfer({ requests: [again] }).pipe(as(staff)))
          expectError(error, "InvalidTransition", again.id, "pending_already_posted")
        })
      )

      it.effect("a void releases the whole hold, and a voided hold cannot be posted", () =>
        Effect.gen(function* () {
          const { staff, ledger, cash, sales } = yield* setup
          yield* ledger.transfer({ requests: [posted(cash.id, sales.id, 1_000, "销售")] }).pipe(as(staff))
          const hold = pending(sales.id, cash.id, 600, 0, "退款（待定）")
          yield* ledger.transfer({ requests: [hold] }).pipe(as(staff))
          const voided = { _tag: "VoidPending" as const, id: freshTransferId(), pendingId: hold.id, reason: "取消" }
          yield* ledger.transfer({ requests: [voided] }).pipe(as(staff))
          const c = yield* account(staff, cash.id)
          expect([c.debitsPosted, c.creditsPosted, c.creditsPending]).toEqual([1_000, 0, 0])
          const post = { _tag: "PostPending" as const, id: freshTransferId(), pendingId: hold.id, reason: "入账" }
          const error = yield* Effect.flip(ledger.transfer({ requests: [post] }).pipe(as(staff)))
          expectError(error, "InvalidTransition", "pending_already_voided")
        })
      )

      it.effect("an expired hold is released by expire, with one event, and cannot be posted", () =>
        Effect.gen(function* () {
          const { staff, ledger, cash, sales } = yield* setup
          yield* ledger.transfer({ requests: [posted(cash.id, sales.id, 1_000, "销售")] }).pipe(as(staff))
          const hold = pending(sales.id, cash.id, 400, 1, "一秒后过期")
          const keep = pending(sales.id, cash.id, 100, 3_600, "一小时后过期")
          yield* ledger.transfer({ requests: [hold, keep] }).pipe(as(staff))
          expect(yield* ledger.expire(10).pipe(as(staff))).toEqual([])
          expect(yield* ahead(5_000)(ledger.expire(10).pipe(as(staff)))).toEqual([hold.id])
          expect(yield* ahead(5_000)(ledger.expire(10).pipe(as(staff)))).toEqual([])
          const c = yield* account(staff, cash.id)
          expect(c.creditsPending).toBe(100)
          const events = yield* (yield* Outbox).list(staff.communityId, 0, 100)
          expect(events.filter((e) => e.type === "HoldsExpired").map((e) => e.payload)).toEqual([
            { _tag: "HoldsExpired", transferIds: [hold.id] }
          ])
          const post = { _tag: "PostPending" as const, id: freshTransferId(), pendingId: hold.id, reason: "入账" }
          const error = yield* Effect.flip(ledger.transfer({ requests: [post] }).pipe(as(staff)))
          expectError(error, "InvalidTransition", "pending_expired")
          const bad = yield* Effect.flip(ledger.expire(0).pipe(as(staff)))
          expect(bad._tag).toBe("InvalidInput")
        })
      )

      it.effect("a reversal moves the amount back once; the balance before it stays in history", () =>
        Effect.gen(function* () {
          const { staff, ledger, cash, sales } = yield* setup
          const sale = posted(cash.id, sales.id, 800, "扇子 ×2")
          const [made] = yield* ledger.transfer({ requests: [sale] }).pipe(as(staff))
          const reverse = { _tag: "Reverse" as const, id: freshTransferId(), reverses: sale.id, reason: "退货" }
          const [reversal] = yield* ahead(2_000)(ledger.transfer({ requests: [reverse] }).pipe(as(staff)))
          expect(reversal!.transfer.reverses).toBe(sale.id)
          const c = yield* account(staff, cash.id)
          expect([c.debitsPosted, c.creditsPosted]).toEqual([800, 800])
          const before = yield* ledger.balanceAt(cash.id, DateTime.makeUnsafe(made!.transfer.timestamp)).pipe(as(staff))
          expect([before.debitsPosted, before.creditsPosted]).toEqual([800, 0])
          const twice = { ...reverse, id: freshTransferId() }
          const error = yield* Effect.flip(ledger.transfer({ requests: [twice] }).pipe(as(staff)))
          expectError(error, "InvalidTransition", "already_reversed")
        })
      )

      it.effect("a replayed batch (same ids) posts nothing twice; the same id with other content is Conflict", () =>
        Effect.gen(function* () {
          const { staff, ledger, cash, sales, fund } = yield* setup
          const batch = {
            batchId: freshTransferId() as string,
            requests: [posted(cash.id, sales.id, 1_200, "销售"), posted(sales.id, fund.id, 1_200, "转入公益金")]
          }
          const first = yield* ledger.transfer(batch).pipe(as(staff))
          const fundAfter = yield* account(staff, fund.id)
          const replay = yield* ledger.transfer(batch).pipe(as(staff))
          expect(replay.map((r) => r.replayed)).toEqual([true, true])
          expect(replay.map((r) => r.transfer)).toEqual(first.map((r) => r.transfer))
          expect(yield* account(staff, fund.id)).toEqual(fundAfter)
          expect((yield* ledger.verifyChain().pipe(as(staff))).transfers).toBe(2)
          const events = yield* (yield* Outbox).list(staff.communityId, 0, 100)
          expect(events.filter((e) => e.type === "TransfersApplied")).toHaveLength(1)
          const changed = { requests: [{ ...batch.requests[0]!, amount: 1_300 }] }
          const error = yield* Effect.flip(ledger.transfer(changed).pipe(as(staff)))
          expectError(error, "Conflict", batch.requests[0]!.id)
        })
      )

      it.effect("a failed linked batch leaves no trace, and the error names the request and why", () =>
        Effect.gen(function* () {
          const { staff, ledger, cash, sales, fund } = yield* setup
          yield* ledger.transfer({ requests: [posted(cash.id, sales.id, 1_000, "销售")] }).pipe(as(staff))
          yield* ledger.transfer({ requests: [posted(sales.id, fund.id, 1_000, "转入公益金")] }).pipe(as(staff))
          const before = yield* Effect.all([cash, sales, fund].map((a) => account(staff, a.id)))
          const chain = yield* ledger.verifyChain().pipe(as(staff))
          const events = (yield* (yield* Outbox).list(staff.communityId, 0, 1_000)).length
          const ok = posted(fund.id, cash.id, 400, "补助")
          const over = posted(fund.id, cash.id, 700, "超支")
          const error = yield* Effect.flip(ledger.transfer({ requests: [ok, over] }).pipe(as(staff)))
          expectError(error, "InsufficientFunds", "#1", over.id, "exceeds_credits")
          expect(yield* Effect.all([cash, sales, fund].map((a) => account(staff, a.id)))).toEqual(before)
          expect(yield* ledger.verifyChain().pipe(as(staff))).toEqual(chain)
          expect(Option.isNone(yield* (yield* LedgerRepo).findTransfer(staff.communityId, ok.id))).toBe(true)
          expect((yield* (yield* Outbox).list(staff.communityId, 0, 1_000)).length).toBe(events)
          // malformed input is InvalidInput naming the request, and writes nothing either
          const bad = yield* Effect.flip(ledger.transfer({ requests: [{ ...ok, amount: 0 }] }).pipe(as(staff)))
          expect(bad._tag).toBe("InvalidInput")
          expect(yield* ledger.verifyChain().pipe(as(staff))).toEqual(chain)
        })
      )

      it.effect("a closed account refuses transfers until reopened; an unsettled one does not close", () =>
        Effect.gen(function* () {
          const { staff, ledger, cash, sales, open } = yield* setup
          const fans = yield* open("candy:fans", "income")
          const closed = yield* ledger.closeAccount(fans.id).pipe(as(staff))
          expect([closed.flags.closed, closed.version]).toEqual([true, 2])
          const sale = posted(cash.id, fans.id, 500, "扇子")
          expectError(
            yield* Effect.flip(ledger.transfer({ requests: [sale] }).pipe(as(staff))),
            "InvalidTransition",
            "account_closed"
          )
          expectError(yield* Effect.flip(ledger.closeAccount(fans.id).pipe(as(staff))), "InvalidTransition")
          yield* ledger.reopenAccount(fans.id).pipe(as(staff))
          yield* ledger.transfer({ requests: [sale] }).pipe(as(staff))
          expectError(yield* Effect.flip(ledger.closeAccount(fans.id).pipe(as(staff))), "InvalidTransition")
          expect((yield* account(staff, fans.id)).flags.closed).toBe(false)
          expect((yield* account(staff, sales.id)).flags.closed).toBe(false)
          const events = yield* (yield* Outbox).list(staff.communityId, 0, 100)
          expect(events.filter((e) => e.aggregateId === fans.id).map((e) => [e.type, e.aggregateVersion])).toEqual([
            ["LedgerAccountOpened", 1],
            ["LedgerAccountClosed", 2],
            ["LedgerAccountReopened", 3]
          ])
        })
      )

      it.effect(
        "another community sees nothing and may not write here; roles without ledger permissions are Forbidden",
        () =>
          Effect.gen(function* () {
            const { staff, ledger, cash, sales, costs, fund } = yield* setup
            const other = actorOf(yield* freshCommunity)
            expect((yield* Effect.flip(ledger.account(cash.id).pipe(as(other))))._tag).toBe("NotFound")
            expect((yield* Effect.flip(ledger.history(cash.id).pipe(as(other))))._tag).toBe("NotFound")
            expect((yield* ledger.accounts().pipe(as(other))).items).toEqual([])
            const sale = posted(cash.id, sales.id, 100, "销售")
            // naming this community from the other one is NotFound; acting in its own, the accounts do not exist
            expect(
              (yield* Effect.flip(
                ledger.transfer({ communityId: staff.communityId, requests: [sale] }).pipe(as(other))
              ))._tag
            ).toBe("NotFound")
            expect((yield* Effect.flip(ledger.transfer({ requests: [sale] }).pipe(as(other))))._tag).toBe("NotFound")
            for (const role of ["resident", "volunteer", "grid_worker"] as const) {
              const outsider = actorOf(staff.communityId, role)
              expect((yield* Effect.flip(ledger.account(cash.id).pipe(as(outsider))))._tag).toBe("Forbidden")
              expect((yield* Effect.flip(ledger.transfer({ requests: [sale] }).pipe(as(outsider))))._tag).toBe(
                "Forbidden"
              )
            }
            const page = yield* ledger.accounts({ limit: 2 }).pipe(as(staff))
            expect(page.items).toHaveLength(2)
            const next = yield* ledger
              .accounts({ limit: 2, ...(page.nextCursor === null ? {} : { cursor: page.nextCursor }) })
              .pipe(as(staff))
            expect([...page.items, ...next.items].map((a) => a.id)).toEqual(
              [cash.id, sales.id, costs.id, fund.id].sort()
            )
            expect(next.nextCursor).toBeNull()
          })
      )

      it.effect(
        "20 fibers spending 10 fen each from 100 fen at once: exactly 10 succeed, nothing overdrawn or lost",
        () =>
          Effect.gen(function* () {
            const { staff, ledger, open } = yield* setup
            const wallet = yield* open("timebank:wallet", "equity", { debitsMustNotExceedCredits: true })
            const source = yield* open("timebank:source", "equity")
            const sink = yield* open("timebank:sink", "expense")
            yield* ledger.transfer({ requests: [posted(source.id, wallet.id, 100, "存入")] }).pipe(as(staff))
            const spends = Array.from({ length: 20 }, (_, i) => posted(wallet.id, sink.id, 10, `支出 ${i + 1}`))
            const outcomes = yield* Effect.forEach(
              spends,
              (spend) => Effect.result(ledger.transfer({ requests: [spend] }).pipe(as(staff))),
              { concurrency: "unbounded" }
            )
            const succeeded = outcomes.filter((o) => o._tag === "Success")
            const failed = outcomes.flatMap((o) => (o._tag === "Failure" ? [o.failure._tag] : []))
            expect(succeeded).toHaveLength(10)
            expect(failed).toEqual(Array.from({ length: 10 }, () => "InsufficientFunds"))
            const w = yield* account(staff, wallet.id)
            expect([w.creditsPosted, w.debitsPosted, w.debitsPending]).toEqual([100, 100, 0])
            const history = yield* ledger.history(wallet.id, { limit: 50 }).pipe(as(staff))
            expect(history.items).toHaveLength(11)
            let balance = 0
            for (const t of history.items) {
              balance += t.creditAccountId === wallet.id ? t.amount : -t.amount
              expect(balance).toBeGreaterThanOrEqual(0)
            }
            expect(balance).toBe(0)
            expect((yield* account(staff, sink.id)).creditsPosted).toBe(100)
            expect((yield* ledger.verifyChain().pipe(as(staff))).transfers).toBe(11)
          })
      )
    }
  )
}
