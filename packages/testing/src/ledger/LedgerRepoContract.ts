/**
 * The contract of the `LedgerRepo` port: round trips and tenancy, optimistic versions and
 * duplicates on write, what `load` and `loadExpiring` return, and transfers paged by chain
 * sequence, for the whole community and per account.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import { LedgerChain, LedgerRepo, LedgerRules, Transactor } from "@commonweal/core"
import type { CommunityId, LedgerAccount } from "@commonweal/core"
import { DateTime, Effect, Option, Result } from "effect"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractIt } from "../kernel/helpers.js"
import { expectConflict, sortedIds } from "../kernel/helpers.js"
import type { LedgerContractPorts } from "./helpers.js"
import {
  accountInput,
  applyBatch,
  freshAccountId,
  freshTransferId,
  later,
  oneVersionOn,
  openAccounts,
  pending,
  posted
} from "./helpers.js"

/** Candy Commune's cash (may not go below zero), its sales, and the community fund (may not be overdrawn). */
const candyAccounts = (communityId: CommunityId) =>
  openAccounts(communityId, [
    accountInput(communityId, "candy:cash", "asset", { creditsMustNotExceedDebits: true }),
    accountInput(communityId, "candy:sales", "income"),
    accountInput(communityId, "fund:general", "equity", { debitsMustNotExceedCredits: true })
  ]).pipe(Effect.map(([cash, sales, fund]) => ({ cash: cash!, sales: sales!, fund: fund! })))

const found = <A>(o: Option.Option<A>, what: string): A => {
  expect(Option.isSome(o), `${what} should be found`).toBe(true)
  return Option.getOrThrow(o)
}

/** Registers the `LedgerRepo` contract. */
export const ledgerRepoContract = (it: ContractIt<LedgerContractPorts>): void => {
  describe("LedgerRepo", () => {
    it.effect("accounts and transfers round trip, and are invisible from another community", () =>
      Effect.gen(function* () {
        const repo = yield* LedgerRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const { cash, sales } = yield* candyAccounts(junxin)
        expect(found(yield* repo.findAccount(junxin, cash.id), "cash")).toEqual(cash)
        const sale = posted(cash.id, sales.id, 2_500, "幸运君折叠伞 ×1")
        const applied = yield* applyBatch({ communityId: junxin, requests: [sale] })
        const transfer = applied.created[0]!
        expect(found(yield* repo.findTransfer(junxin, sale.id), "transfer")).toEqual(transfer)
        const storedCash = found(yield* repo.findAccount(junxin, cash.id), "cash")
        expect(storedCash).toEqual({ ...cash, debitsPosted: 2_500, version: 2 })
        expect(yield* repo.lockCommunity(junxin)).toEqual({ sequence: 1, hash: transfer.hash })
        // another community sees none of it
        expect(Option.isNone(yield* repo.findAccount(guli, cash.id))).toBe(true)
        expect(Option.isNone(yield* repo.findTransfer(guli, sale.id))).toBe(true)
        expect(yield* repo.listAccounts(guli, { after: undefined, limit: 10 })).toEqual([])
        expect(yield* repo.transfers(guli, 0, 10)).toEqual([])
        expect(yield* repo.transfers(guli, 0, 10, cash.id)).toEqual([])
        expect((yield* repo.holds(guli, [sale.id])).size).toBe(0)
        const foreign = yield* repo.load(guli, { accountIds: [cash.id], transferIds: [sale.id] })
        expect(foreign.accounts.size).toBe(0)
        expect(foreign.transfers.size).toBe(0)
        expect(foreign.heads.get(guli)).toEqual({ sequence: 0, hash: "0".repeat(64) })
        // and its own ledger starts at the genesis
        expect(yield* repo.lockCommunity(guli)).toEqual({ sequence: 0, hash: "0".repeat(64) })
      })
    )

    it.effect("listAccounts pages by id", () =>
      Effect.gen(function* () {
        const repo = yield* LedgerRepo
        const junxin = yield* freshCommunity
        const inputs = Array.from({ length: 5 }, (_, i) => accountInput(junxin, `stock:${i}`, "asset"))
        yield* openAccounts(junxin, inputs)
        const ids = sortedIds(inputs.map((i) => i.id))
        const first = yield* repo.listAccounts(junxin, { after: undefined, limit: 3 })
        expect(first.map((a) => a.id)).toEqual(ids.slice(0, 3))
        const rest = yield* repo.listAccounts(junxin, { after: first[2]!.id, limit: 3 })
        expect(rest.map((a) => a.id)).toEqual(ids.slice(3))
      })
    )

    it.effect(
      "write refuses stale account versions, duplicate accounts and duplicate transfer ids, and keeps nothing",
      () =>
        Effect.gen(function* () {
          const repo = yield* LedgerRepo
          const tx = yield* Transactor
          const junxin = yield* freshCommunity
          const { cash, sales } = yield* candyAccounts(junxin)
          const applied = yield* applyBatch({ communityId: junxin, requests: [posted(cash.id, sales.id, 100, "糖果")] })
          const head = applied.head
          const write = (changes: Partial<Parameters<typeof repo.write>[0]>) =>
            Effect.flip(
              tx.withTransaction(
                repo.write({
                  communityId: junxin,
                  created: [],
                  accounts: [],
                  holds: [],
                  reversals: [],
                  head,
                  ...changes
                })
              )
            )
          const storedCash: LedgerAccount = found(yield* repo.findAccount(junxin, cash.id), "cash")
          // the stored version is 2: a write at version 2 (expects 1 stored) is stale, as is one at 4
          expectConflict(yield* write({ accounts: [{ ...storedCash, debitsPosted: 1 }] }), "stale_version")
          expectConflict(yield* write({ accounts: [{ ...storedCash, version: 4 }] }), "stale_version")
          // a new account (version 1) whose id exists is a duplicate
          expectConflict(yield* write({ accounts: [{ ...cash }] }), "duplicate")
          // a transfer whose id exists is a duplicate, even placed right after the head
          const again = { ...applied.created[0]!, sequence: head.sequence + 1, previousHash: head.hash }
          expectConflict(
            yield* write({ created: [again], head: { sequence: again.sequence, hash: again.hash } }),
            "duplicate"
          )
          // nothing of the refused writes is kept
          expect(found(yield* repo.findAccount(junxin, cash.id), "cash")).toEqual(storedCash)
          expect(yield* repo.lockCommunity(junxin)).toEqual(head)
          expect((yield* repo.transfers(junxin, 0, 10)).map((t) => t.id)).toEqual([applied.created[0]!.id])
          // a write at the next version goes through
          yield* tx.withTransaction(
            repo.write({
              communityId: junxin,
              created: [],
              accounts: [{ ...storedCash, flags: { ...storedCash.flags, upperBound: 1_000_000 }, version: 3 }],
              holds: [],
              reversals: [],
              head
            })
          )
          expect(found(yield* repo.findAccount(junxin, cash.id), "cash").version).toBe(3)
        })
    )

    it.effect(
      "load returns the named accounts and transfers, the accounts of those transfers, holds and reversal links",
      () =>
        Effect.gen(function* () {
          const repo = yield* LedgerRepo
          const junxin = yield* freshCommunity
          const { cash, sales, fund } = yield* candyAccounts(junxin)
          const sale = posted(cash.id, sales.id, 2_500, "幸运君折叠伞 ×1")
          const hold = pending(sales.id, fund.id, 500, 3_600, "转入公益金（待定）")
          yield* applyBatch({ communityId: junxin, requests: [sale, hold] })
          const reversal = { _tag: "Reverse" as const, id: freshTransferId(), reverses: sale.id, reason: "退货" }
          const applied = yield* applyBatch({ communityId: junxin, requests: [reversal] })
          const missing = freshTransferId()
          const state = yield* repo.load(junxin, { accountIds: [], transferIds: [sale.id, hold.id, missing] })
          expect(sortedIds([...state.accounts.keys()])).toEqual(sortedIds([cash.id, sales.id, fund.id]))
          expect(sortedIds([...state.transfers.keys()])).toEqual(sortedIds([sale.id, hold.id]))
          expect(state.holds.get(hold.id)).toEqual({ status: "pending", resolvedBy: null })
          expect(state.reversedBy.get(sale.id)).toBe(reversal.id)
          expect(state.heads.get(junxin)).toEqual(applied.head)
          const named = yield* repo.load(junxin, { accountIds: [fund.id, freshAccountId()], transferIds: [] })
          expect([...named.accounts.keys()]).toEqual([fund.id])
          expect(named.transfers.size).toBe(0)
          const holds = yield* repo.holds(junxin, [hold.id, sale.id, missing])
          expect([...holds.entries()]).toEqual([[hold.id, { status: "pending", resolvedBy: null }]])
        })
    )

    it.effect("loadExpiring returns the due pending holds, earliest first, at most limit, with their accounts", () =>
      Effect.gen(function* () {
        const repo = yield* LedgerRepo
        const junxin = yield* freshCommunity
        const { cash, sales, fund } = yield* candyAccounts(junxin)
        const soon = pending(sales.id, fund.id, 100, 60, "一分钟")
        const sooner = pending(sales.id, fund.id, 200, 30, "半分钟")
        const late = pending(sales.id, fund.id, 300, 3_600, "一小时")
        const never = pending(sales.id, fund.id, 400, 0, "不过期")
        const posted1 = pending(cash.id, sales.id, 50, 10, "已入账")
        yield* applyBatch({ communityId: junxin, requests: [posted(cash.id, sales.id, 5_000, "销售")] })
        yield* applyBatch({ communityId: junxin, requests: [soon, sooner, late, never, posted1] })
        yield* applyBatch({
          communityId: junxin,
          requests: [{ _tag: "PostPending", id: freshTransferId(), pendingId: posted1.id, reason: "入账" }]
        })
        const at = (seconds: number) => DateTime.toEpochMillis(later(seconds))
        const due = yield* repo.loadExpiring(junxin, at(120), 10)
        expect(sortedIds([...due.holds.keys()])).toEqual(sortedIds([soon.id, sooner.id]))
        expect(sortedIds([...due.transfers.keys()])).toEqual(sortedIds([soon.id, sooner.id]))
        expect(sortedIds([...due.accounts.keys()])).toEqual(sortedIds([sales.id, fund.id]))
        const first = yield* repo.loadExpiring(junxin, at(120), 1)
        expect([...first.holds.keys()]).toEqual([sooner.id])
        const none = yield* repo.loadExpiring(junxin, at(29), 10)
        expect(none.holds.size).toBe(0)
        const expired = LedgerRules.expire(due, later(120))
        yield* (yield* Transactor).withTransaction(
          repo.write({
            communityId: junxin,
            created: [],
            accounts: oneVersionOn(due, expired.accounts),
            holds: expired.expired.map((id) => [id, { status: "expired", resolvedBy: null }] as const),
            reversals: [],
            head: due.heads.get(junxin)!
          })
        )
        expect((yield* repo.loadExpiring(junxin, at(120), 10)).holds.size).toBe(0)
        expect(found(yield* repo.findAccount(junxin, fund.id), "fund").creditsPending).toBe(700)
      })
    )

    it.effect("transfers are paged by chain sequence, for the community and per account", () =>
      Effect.gen(function* () {
        const repo = yield* LedgerRepo
        const junxin = yield* freshCommunity
        const { cash, sales, fund } = yield* candyAccounts(junxin)
        const requests = [
          posted(cash.id, sales.id, 1_000, "扇子 ×4"),
          posted(sales.id, fund.id, 300, "转入公益金"),
          posted(cash.id, sales.id, 2_500, "折叠伞 ×1"),
          posted(sales.id, fund.id, 700, "转入公益金")
        ]
        yield* applyBatch({ communityId: junxin, requests: requests.slice(0, 2) })
        yield* applyBatch({ communityId: junxin, requests: requests.slice(2) }, later(60))
        const all = yield* repo.transfers(junxin, 0, 10)
        expect(all.map((t) => [t.sequence, t.id])).toEqual(requests.map((r, i) => [i + 1, r.id]))
        expect((yield* repo.transfers(junxin, 0, 3)).map((t) => t.sequence)).toEqual([1, 2, 3])
        expect((yield* repo.transfers(junxin, 3, 3)).map((t) => t.sequence)).toEqual([4])
        expect(yield* repo.transfers(junxin, 4, 3)).toEqual([])
        const ofFund = (after: number, limit: number) =>
          Effect.map(repo.transfers(junxin, after, limit, fund.id), (ts) => ts.map((t) => t.sequence))
        expect(yield* ofFund(0, 10)).toEqual([2, 4])
        expect(yield* ofFund(0, 1)).toEqual([2])
        expect(yield* ofFund(2, 10)).toEqual([4])
        expect((yield* repo.transfers(junxin, 1, 10, cash.id)).map((t) => t.sequence)).toEqual([3])
        expect(Result.isSuccess(LedgerChain.verifyChain(all))).toBe(true)
      })
    )
  })
}
