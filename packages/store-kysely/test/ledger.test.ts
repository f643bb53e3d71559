/**
 * The ledger's `LedgerRepo` over SQL, on every dialect available (SQLite always; PostgreSQL and
 * MariaDB/MySQL from `COMMONWEAL_TEST_POSTGRES_URL` / `COMMONWEAL_TEST_MYSQL_URL`, each on a
 * fresh database of its own, dropped after; in CI a missing URL fails). The store is the kernel
 * and the ledger only (`SqlKernel.layerKysely(…, { domains: [SqlLedger] })` with
 * `SqlLedger.layer`), and the port is driven by core's pure engine the way a service drives it:
 * load a footprint, apply a rule, write the changes, in one transaction.
 *
 * The stress test spends from one account from many fibers at once, each in its own transaction
 * (on PostgreSQL and MariaDB each on a connection of its own: the fixture's pools hold 10), and
 * checks that the account is never overdrawn, that exactly as many spends succeed as the balance
 * allows, that no transfer is lost and that the chain verifies.
 */
import {
  type CommunityId,
  type Conflict,
  LedgerChain,
  LedgerRepo,
  LedgerRules,
  type BatchApplied,
  type LedgerAccount,
  type LedgerAccountId,
  type OpenAccountInput,
  Transactor,
  type Transfer,
  type TransferBatch,
  type TransferId,
  type TransferRejected,
  type TransferRequest
} from "@commonweal/core"
import { freshCommunityId, ledgerContract } from "@commonweal/testing"
import { describe, expect, it, layer } from "@effect/vitest"
import { Cause, DateTime, Effect, Exit, Layer, Option, Result } from "effect"
import { randomUUID } from "node:crypto"
import { SqlCommunities } from "../src/communities/index.js"
import type { Database } from "../src/Database.js"
import { SqlKernel, type SqlDomain } from "../src/kernel/SqlKernel.js"
import { SqlLedger } from "../src/ledger/index.js"
import { runsHere, type Target, targets } from "./fixtures/databases.js"

/** 2026-08-20T02:00:00Z, the engine's "now" unless a test moves it. */
const T0 = Date.UTC(2026, 7, 20, 2, 0, 0)
const at = (seconds: number) => DateTime.makeUnsafe(T0 + seconds * 1000)
const NOW = at(0)

const accountId = () => randomUUID() as LedgerAccountId
const transferId = () => randomUUID() as TransferId

/** An account to open in `communityId` (CNY, owned by the community, no limits unless given). */
const input = (
  communityId: CommunityId,
  name: string,
  kind: OpenAccountInput["kind"],
  extra: Partial<OpenAccountInput> = {}
): OpenAccountInput => ({
  id: accountId(),
  communityId,
  unit: "CNY",
  kind,
  owner: { type: "community", id: "candy" },
  name,
  ...extra
})

const posted = (
  debitAccountId: LedgerAccountId,
  creditAccountId: LedgerAccountId,
  amount: number,
  reason = "幸运君折叠伞 ×1",
  unit = "CNY"
): TransferRequest => ({
  _tag: "Posted",
  id: transferId(),
  debitAccountId,
  creditAccountId,
  amount,
  unit,
  code: 1,
  reason
})

const pending = (
  debitAccountId: LedgerAccountId,
  creditAccountId: LedgerAccountId,
  amount: number,
  timeoutSeconds: number
): TransferRequest => ({
  _tag: "Pending",
  id: transferId(),
  debitAccountId,
  creditAccountId,
  amount,
  unit: "CNY",
  code: 7,
  reason: "approved grant, held / 已批准，冻结中",
  timeoutSeconds
})

/** Runs `effect` in one transaction of the store. */
const inTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Transactor> =>
  Effect.gen(function* () {
    const transactor = yield* Transactor
    return yield* transactor.withTransaction(effect)
  })

/** Opens accounts (one community) the way a service does: load, open, write, in one transaction. */
const openAccounts = (inputs: ReadonlyArray<OpenAccountInput>) =>
  inTransaction(
    Effect.gen(function* () {
      const repo = yield* LedgerRepo
      const communityId = inputs[0]!.communityId
      let state = yield* repo.load(communityId, { accountIds: inputs.map((i) => i.id), transferIds: [] })
      const opened: Array<LedgerAccount> = []
      for (const i of inputs) {
        const result = LedgerRules.openAccount(state, i, NOW)
        if (Result.isFailure(result)) return yield* Effect.die(result.failure)
        state = result.success.state
        opened.push(result.success.account)
      }
      yield* repo.write({
        communityId,
        created: [],
        accounts: opened,
        holds: [],
        reversals: [],
        head: state.heads.get(communityId)!
      })
      return opened
    })
  )

/** Applies a linked batch the way a service does: load its footprint, apply it, write the changes. */
const apply = (
  communityId: CommunityId,
  requests: ReadonlyArray<TransferRequest>,
  now: DateTime.Utc = NOW,
  batchId?: string
): Effect.Effect<BatchApplied, TransferRejected | Conflict, LedgerRepo | Transactor> =>
  inTransaction(
    Effect.gen(function* () {
      const repo = yield* LedgerRepo
      const batch = { communityId, requests, ...(batchId === undefined ? {} : { batchId }) } as TransferBatch
      const state = yield* repo.load(communityId, LedgerRules.footprint(batch))
      const applied = LedgerRules.applyBatch(state, batch, now)
      if (Result.isFailure(applied)) return yield* Effect.fail(applied.failure)
      const { created, accounts, holds, reversals, head } = applied.success
      yield* repo.write({ communityId, created, accounts, holds, reversals, head })
      return applied.success
    })
  )

/** Every transfer of a community, in chain order. */
const allTransfers = (communityId: CommunityId) =>
  Effect.gen(function* () {
    const repo = yield* LedgerRepo
    return yield* repo.transfers(communityId, 0, 100_000)
  })

/** The stored account, which must exist. */
const account = (communityId: CommunityId, id: LedgerAccountId) =>
  Effect.gen(function* () {
    const repo = yield* LedgerRepo
    return Option.getOrThrow(yield* repo.findAccount(communityId, id))
  })

/** The failure of an exit that must have failed. */
const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.findErrorOption(exit.cause)
  if (Option.isNone(error)) throw new Error(`expected a failure, got ${String(Cause.squash(exit.cause))}`)
  return error.value
}

/**
 * A store on a fresh database of `target` (closed and dropped with the layer): the kernel with
 * the domains the layer `domains` provides, whose migrations `migrated` are run.
 */
const freshStore = <R>(
  target: Target,
  migrated: ReadonlyArray<Pick<SqlDomain<unknown, never>, "migrations">>,
  domains: Layer.Layer<R, never, SqlKernel>
) =>
  Layer.unwrap(
    Effect.gen(function* () {
      const { open } = yield* Effect.acquireRelease(
        Effect.promise(() => target.fresh()),
        ({ drop }) => Effect.promise(drop)
      )
      const db = yield* Effect.acquireRelease(Effect.sync(open), (db) => Effect.promise(() => db.destroy()))
      return Layer.provideMerge(domains, SqlKernel.layerKysely(db, target.dialect, { domains: migrated }))
    })
  )

/** The kernel and the ledger only, on a fresh database of `target`. */
const storeOf = (target: Target) => freshStore(target, [SqlLedger], SqlLedger.layer)

describe("SqlLedger's migration", () => {
  it("is 0005_ledger and 0006_ledger_speed, the ledger's own", () => {
    expect(Object.keys(SqlLedger.migrations("sqlite"))).toEqual(["0005_ledger", "0006_ledger_speed"])
    expect(SqlLedger.name).toBe("ledger")
  })
})

for (const target of targets) {
  const run = runsHere(target) ? describe : describe.skip
  run(`ledger on ${target.dialect}`, () => {
    layer(storeOf(target), { excludeTestServices: true, timeout: 120_000 })((it) => {
      it.effect(
        "an account row the fast path does not surely accept goes through the schema: a bad one is a defect naming the table, not its values",
        () =>
          Effect.gen(function* () {
            const repo = yield* LedgerRepo
            const kernel = yield* SqlKernel
            const db = kernel.connection.view<Database>().db
            const c = freshCommunityId()
            const [cash, stock] = yield* openAccounts([
              input(c, "cash", "asset"),
              input(c, "stock", "asset", { unit: "PCS:FAN-01", owner: { type: "workshop", id: "xin-workshop" } })
            ])
            // valid rows read back exactly (the fast path)
            expect(yield* repo.findAccount(c, cash!.id)).toEqual(Option.some(cash))
            const corrupt = (set: Record<string, unknown>, id: string) =>
              Effect.promise(() =>
                db.updateTable("ledger_accounts").set(set).where("community_id", "=", c).where("id", "=", id).execute()
              )
            const defect = (id: LedgerAccountId) =>
              Effect.map(Effect.exit(repo.findAccount(c, id)), (exit) => {
                expect(Exit.isFailure(exit)).toBe(true)
                return Exit.isFailure(exit) ? String(Cause.squash(exit.cause)) : ""
              })
            yield* corrupt({ unit: "SECRET-usd" }, cash!.id)
            const badUnit = yield* defect(cash!.id)
            expect(badUnit).toContain("ledger_accounts")
            expect(badUnit).toContain("unit")
            expect(badUnit).not.toContain("SECRET")
            yield* corrupt({ name: "SECRET Name With Spaces" }, stock!.id)
            const badName = yield* defect(stock!.id)
            expect(badName).toContain("ledger_accounts")
            expect(badName).not.toContain("SECRET")
            // a footprint load meets the row the same way
            expect(Exit.isFailure(yield* Effect.exit(repo.load(c, { accountIds: [stock!.id], transferIds: [] })))).toBe(
              true
            )
          })
      )

      it.effect(
        "round trip: accounts, transfers of every kind, holds and reversal links read back field for field",
        () =>
          Effect.gen(function* () {
            const repo = yield* LedgerRepo
            const c = freshCommunityId()
            const [cash, sales, fund, fans, closing] = yield* openAccounts([
              input(c, "cash", "asset", { creditsMustNotExceedDebits: true }),
              input(c, "candy:sales", "income"),
              input(c, "fund:general", "equity", {
                debitsMustNotExceedCredits: true,
                upperBound: 9_007_199_254_740_991,
                owner: { type: "subfund", id: "general" }
              }),
              input(c, "stock", "asset", { unit: "PCS:FAN-01", owner: { type: "workshop", id: "xin-workshop" } }),
              input(c, "old", "asset", { owner: { type: "household", id: "h-12-3-401" } })
            ])
            for (const a of [cash!, sales!, fund!, fans!, closing!]) {
              expect(yield* repo.findAccount(c, a.id)).toEqual(Option.some(a))
            }

            const sale = posted(cash!.id, sales!.id, 10_000, "幸运君折叠伞 ×4 🎉")
            // quotes, braces, commas and a backslash survive PostgreSQL's array parameters
            const toFund = posted(cash!.id, fund!.id, 5_000, '净收益转入 "公益基金" {a,b} C:\\x NULL')
            const held = pending(fund!.id, cash!.id, 2_000, 3_600)
            const open = pending(fund!.id, cash!.id, 1_000, 0)
            const batchId = randomUUID()
            const first = yield* apply(c, [sale, toFund, held, open], NOW, batchId)
            const postHeld: TransferRequest = {
              _tag: "PostPending",
              id: transferId(),
              pendingId: held.id,
              amount: 1_500,
              reason: "paid in part"
            }
            const voidOpen: TransferRequest = {
              _tag: "VoidPending",
              id: transferId(),
              pendingId: open.id,
              reason: "cancelled"
            }
            const undo: TransferRequest = {
              _tag: "Reverse",
              id: transferId(),
              reverses: sale.id,
              reason: "wrong price"
            }
            const second = yield* apply(c, [postHeld, voidOpen, undo], at(60))

            const created = [...first.created, ...second.created]
            expect(created.map((t) => t.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7])
            expect(first.created[0]!.batchId).toBe(batchId)
            expect(first.created[2]!.expiresAt).toBe(T0 + 3_600_000)
            for (const t of created) expect(yield* repo.findTransfer(c, t.id)).toEqual(Option.some(t))
            expect(yield* repo.transfers(c, 0, 100)).toEqual(created)

            // accounts as the engine left them, versions included (one version per batch: cash at 3)
            for (const a of second.state.accounts.values()) {
              expect(yield* repo.findAccount(c, a.id)).toEqual(Option.some(a))
            }
            expect((yield* account(c, cash!.id)).version).toBe(3)

            const holds = yield* repo.holds(c, [held.id, open.id, sale.id])
            expect(holds).toEqual(
              new Map([
                [held.id, { status: "posted", resolvedBy: postHeld.id }],
                [open.id, { status: "voided", resolvedBy: voidOpen.id }]
              ])
            )

            // load: the named transfers with holds and reversal links, and their accounts too
            const state = yield* repo.load(c, {
              accountIds: [],
              transferIds: [sale.id, held.id, open.id, transferId()]
            })
            expect([...state.transfers.keys()].sort()).toEqual([sale.id, held.id, open.id].sort())
            expect(state.transfers.get(sale.id)).toEqual(first.created[0])
            expect(state.holds).toEqual(holds)
            expect(state.reversedBy).toEqual(new Map([[sale.id, undo.id]]))
            expect([...state.accounts.keys()].sort()).toEqual([cash!.id, sales!.id, fund!.id].sort())
            expect(state.accounts.get(fund!.id)).toEqual(second.state.accounts.get(fund!.id))
            expect(state.heads.get(c)).toEqual(second.head)
            expect(yield* repo.lockCommunity(c)).toEqual(second.head)

            // a flag change (closing a settled account) reads back
            const closed = yield* inTransaction(
              Effect.gen(function* () {
                const loaded = yield* repo.load(c, { accountIds: [closing!.id], transferIds: [] })
                const result = LedgerRules.closeAccount(loaded, c, closing!.id)
                if (Result.isFailure(result)) return yield* Effect.die(result.failure)
                yield* repo.write({
                  communityId: c,
                  created: [],
                  accounts: [result.success.account],
                  holds: [],
                  reversals: [],
                  head: loaded.heads.get(c)!
                })
                return result.success.account
              })
            )
            expect(closed.flags.closed).toBe(true)
            expect(yield* repo.findAccount(c, closing!.id)).toEqual(Option.some(closed))
            expect(yield* repo.lockCommunity(c)).toEqual(second.head)

            // the same batch again is a replay: nothing new is written
            const replay = yield* apply(c, [postHeld, voidOpen, undo], at(120))
            expect(replay.results.map((r) => r.replayed)).toEqual([true, true, true])
            expect(replay.created).toEqual([])
            expect(yield* repo.transfers(c, 0, 100)).toEqual(created)
            expect(LedgerChain.verifyChain(created)._tag).toBe("Success")
          }),
        60_000
      )

      it.effect(
        "tenancy: ids are unique per community, and another community's records are never found",
        () =>
          Effect.gen(function* () {
            const repo = yield* LedgerRepo
            const c1 = freshCommunityId()
            const c2 = freshCommunityId()
            const [a1, b1] = yield* openAccounts([input(c1, "cash", "asset"), input(c1, "sales", "income")])
            // the same account id in another community is another account
            const [a2] = yield* openAccounts([{ ...input(c2, "elsewhere", "asset"), id: a1!.id }])
            const moved = yield* apply(c1, [posted(a1!.id, b1!.id, 300)])
            const t = moved.created[0]!

            expect((yield* account(c1, a1!.id)).name).toBe("cash")
            expect((yield* account(c2, a1!.id)).name).toBe("elsewhere")
            expect(yield* repo.findAccount(c2, b1!.id)).toEqual(Option.none())
            expect(yield* repo.findTransfer(c2, t.id)).toEqual(Option.none())
            expect(yield* repo.transfers(c2, 0, 100)).toEqual([])
            expect(yield* repo.transfers(c2, 0, 100, a1!.id)).toEqual([])
            expect(yield* repo.holds(c2, [t.id])).toEqual(new Map())
            expect((yield* repo.listAccounts(c2, { after: undefined, limit: 100 })).map((a) => a.id)).toEqual([a2!.id])
            const foreign = yield* repo.load(c2, { accountIds: [b1!.id], transferIds: [t.id] })
            expect(foreign.accounts.size).toBe(0)
            expect(foreign.transfers.size).toBe(0)
            // each community has its own chain
            expect(yield* repo.lockCommunity(c2)).toEqual({ sequence: 0, hash: "0".repeat(64) })
            expect(yield* repo.lockCommunity(c1)).toEqual(moved.head)
            // c2 can use the transfer id c1 used
            const [b2] = yield* openAccounts([input(c2, "sales", "income")])
            const reused = yield* apply(c2, [{ ...posted(a2!.id, b2!.id, 300), id: t.id }])
            expect(reused.created[0]!.sequence).toBe(1)
            expect(Option.getOrThrow(yield* repo.findTransfer(c1, t.id))).toEqual(t)
          }),
        60_000
      )

      it.effect(
        "conflicts: a stale account version, a duplicate account, transfer or reversal, a head moved on; each rolls back",
        () =>
          Effect.gen(function* () {
            const repo = yield* LedgerRepo
            const c = freshCommunityId()
            const [cash, sales] = yield* openAccounts([input(c, "cash", "asset"), input(c, "sales", "income")])
            const first = yield* apply(c, [posted(cash!.id, sales!.id, 500)])
            const sale = first.created[0]!
            const head = first.head
            const stored = yield* account(c, cash!.id)
            const write = (changes: Partial<Parameters<typeof repo.write>[0]>) =>
              Effect.exit(
                repo.write({ communityId: c, created: [], accounts: [], holds: [], reversals: [], head, ...changes })
              )

            // stale: the stored version is not the one before
            const stale = failureOf(
              yield* write({ accounts: [{ ...stored, debitsPosted: 1, version: stored.version + 2 }] })
            )
            expect(stale).toMatchObject({
              _tag: "Conflict",
              reason: "stale_version",
              entity: "LedgerAccount",
              id: cash!.id
            })
            // two writers of the same version: the second is stale
            const next = { ...stored, debitsPosted: stored.debitsPosted + 1, version: stored.version + 1 }
            const ok = yield* write({ accounts: [next] })
            expect(Exit.isSuccess(ok)).toBe(true)
            const again = failureOf(yield* write({ accounts: [{ ...next, debitsPosted: 9 }] }))
            expect(again).toMatchObject({ _tag: "Conflict", reason: "stale_version" })
            expect(yield* account(c, cash!.id)).toEqual(next)

            // a new account (version 1) whose id exists
            const dupAccount = failureOf(yield* write({ accounts: [{ ...cash!, name: "other" }] }))
            expect(dupAccount).toMatchObject({
              _tag: "Conflict",
              reason: "duplicate",
              entity: "LedgerAccount",
              id: cash!.id
            })

            // a transfer whose id exists, after a new one in the same chunk: nothing of the write stays
            const rehash = (t: Transfer): Transfer => ({ ...t, hash: LedgerChain.hashTransfer(t) })
            const fresh = rehash({ ...sale, id: transferId(), sequence: head.sequence + 1, previousHash: head.hash })
            const dup = rehash({ ...sale, sequence: head.sequence + 2, previousHash: fresh.hash })
            const dupTransfer = failureOf(
              yield* Effect.exit(
                inTransaction(
                  repo.write({
                    communityId: c,
                    created: [fresh, dup],
                    accounts: [],
                    holds: [],
                    reversals: [],
                    head: { sequence: dup.sequence, hash: dup.hash }
                  })
                )
              )
            )
            expect(dupTransfer).toMatchObject({
              _tag: "Conflict",
              reason: "duplicate",
              entity: "Transfer",
              id: sale.id
            })
            expect(yield* repo.lockCommunity(c)).toEqual(head)
            expect(yield* repo.findTransfer(c, fresh.id)).toEqual(Option.none())

            // new transfers that do not continue the stored head
            const forked = failureOf(
              yield* write({
                created: [{ ...fresh, sequence: head.sequence + 5 }],
                head: { sequence: 99, hash: "e".repeat(64) }
              })
            )
            expect(forked).toMatchObject({ _tag: "Conflict", reason: "stale_version", entity: "LedgerChain" })

            // a reversal link for a transfer reversed already
            const undo = yield* apply(c, [{ _tag: "Reverse", id: transferId(), reverses: sale.id, reason: "undo" }])
            const dupReversal = failureOf(yield* write({ reversals: [[sale.id, transferId()]], head: undo.head }))
            expect(dupReversal).toMatchObject({ _tag: "Conflict", reason: "duplicate", id: sale.id })
            expect((yield* repo.load(c, { accountIds: [], transferIds: [sale.id] })).reversedBy.get(sale.id)).toBe(
              undo.created[0]!.id
            )
            // the engine sees the stored transfer: its id with other content is refused
            const clash = failureOf(yield* Effect.exit(apply(c, [{ ...posted(cash!.id, sales!.id, 1), id: sale.id }])))
            expect(clash).toMatchObject({ _tag: "TransferRejected", reason: "id_conflict" })
          }),
        60_000
      )

      it.effect(
        "paging: transfers by sequence and by account, accounts by id",
        () =>
          Effect.gen(function* () {
            const repo = yield* LedgerRepo
            const c = freshCommunityId()
            const [a, b, d] = yield* openAccounts([
              input(c, "a", "asset"),
              input(c, "b", "asset"),
              input(c, "d", "asset")
            ])
            const pairs: ReadonlyArray<readonly [LedgerAccount, LedgerAccount]> = [
              [a!, b!],
              [b!, d!],
              [d!, a!],
              [b!, d!],
              [a!, d!],
              [d!, b!],
              [b!, a!],
              [d!, b!],
              [b!, d!],
              [a!, b!]
            ]
            const applied = yield* apply(
              c,
              pairs.map(([x, y], i) => posted(x.id, y.id, i + 1))
            )
            const all = applied.created
            expect((yield* repo.transfers(c, 0, 4)).map((t) => t.sequence)).toEqual([1, 2, 3, 4])
            expect((yield* repo.transfers(c, 4, 4)).map((t) => t.sequence)).toEqual([5, 6, 7, 8])
            expect((yield* repo.transfers(c, 8, 4)).map((t) => t.sequence)).toEqual([9, 10])
            expect(yield* repo.transfers(c, 10, 4)).toEqual([])
            expect(yield* repo.transfers(c, 0, 0)).toEqual([])

            const ofA = all.filter((t) => t.debitAccountId === a!.id || t.creditAccountId === a!.id)
            expect(ofA.map((t) => t.sequence)).toEqual([1, 3, 5, 7, 10])
            const pages: Array<Transfer> = []
            let after = 0
            for (;;) {
              const page = yield* repo.transfers(c, after, 2, a!.id)
              if (page.length === 0) break
              expect(page.length).toBeLessThanOrEqual(2)
              pages.push(...page)
              after = page[page.length - 1]!.sequence
            }
            expect(pages).toEqual(ofA)

            const ids = [a!.id, b!.id, d!.id].sort()
            const first = yield* repo.listAccounts(c, { after: undefined, limit: 2 })
            expect(first.map((x) => x.id)).toEqual(ids.slice(0, 2))
            const rest = yield* repo.listAccounts(c, { after: first[1]!.id, limit: 2 })
            expect(rest.map((x) => x.id)).toEqual(ids.slice(2))
            expect(rest[0]).toEqual(applied.state.accounts.get(ids[2]! as LedgerAccountId))
          }),
        60_000
      )

      it.effect(
        "loadExpiring: the pending holds due by now, earliest first, with their transfers and accounts",
        () =>
          Effect.gen(function* () {
            const repo = yield* LedgerRepo
            const c = freshCommunityId()
            const [fund, grants] = yield* openAccounts([
              input(c, "fund", "equity", { debitsMustNotExceedCredits: true }),
              input(c, "grants", "expense")
            ])
            const [income] = yield* openAccounts([input(c, "donations", "income")])
            const later = pending(fund!.id, grants!.id, 200, 120)
            const soon = pending(fund!.id, grants!.id, 100, 60)
            const never = pending(fund!.id, grants!.id, 50, 0)
            yield* apply(c, [posted(income!.id, fund!.id, 1_000), later, soon, never])
            const ms = (seconds: number) => T0 + seconds * 1000

            const none = yield* repo.loadExpiring(c, ms(30), 10)
            expect(none.holds.size).toBe(0)
            expect(none.transfers.size).toBe(0)
            expect(none.heads.get(c)?.sequence).toBe(4)

            const one = yield* repo.loadExpiring(c, ms(90), 10)
            expect([...one.holds.keys()]).toEqual([soon.id])
            expect([...one.transfers.keys()]).toEqual([soon.id])
            expect([...one.accounts.keys()].sort()).toEqual([fund!.id, grants!.id].sort())
            const earliest = yield* repo.loadExpiring(c, ms(200), 1)
            expect([...earliest.holds.keys()]).toEqual([soon.id])
            const both = yield* repo.loadExpiring(c, ms(200), 10)
            expect([...both.holds.keys()].sort()).toEqual([soon.id, later.id].sort())
            expect((yield* repo.loadExpiring(c, ms(200), 0)).holds.size).toBe(0)

            // release them as a service would, then nothing is due any more
            yield* inTransaction(
              Effect.gen(function* () {
                const state = yield* repo.loadExpiring(c, ms(200), 10)
                const expired = LedgerRules.expire(state, at(200))
                expect([...expired.expired].sort()).toEqual([soon.id, later.id].sort())
                yield* repo.write({
                  communityId: c,
                  created: [],
                  accounts: expired.accounts,
                  holds: expired.expired.map((id) => [id, { status: "expired", resolvedBy: null }] as const),
                  reversals: [],
                  head: state.heads.get(c)!
                })
              })
            )
            expect((yield* repo.loadExpiring(c, ms(10_000), 10)).holds.size).toBe(0)
            expect(yield* repo.holds(c, [soon.id, later.id, never.id])).toEqual(
              new Map([
                [soon.id, { status: "expired", resolvedBy: null }],
                [later.id, { status: "expired", resolvedBy: null }],
                [never.id, { status: "pending", resolvedBy: null }]
              ])
            )
            const f = yield* account(c, fund!.id)
            expect(f.debitsPending).toBe(50)
            expect(f.debitsPosted).toBe(0)
            expect((yield* account(c, grants!.id)).creditsPending).toBe(50)
          }),
        60_000
      )

      it.effect(
        "batches of 2,500 transfers between two accounts: written in chunks, every transfer kept, the chain verifies",
        () =>
          Effect.gen(function* () {
            const repo = yield* LedgerRepo
            const c = freshCommunityId()
            const [cash, sales] = yield* openAccounts([input(c, "cash", "asset"), input(c, "sales", "income")])
            const size = 2_500
            for (let round = 0; round < 2; round++) {
              const applied = yield* apply(
                c,
                Array.from({ length: size }, (_, i) => posted(cash!.id, sales!.id, i + 1, `sale ${round}-${i}`)),
                at(round)
              )
              expect(applied.created.length).toBe(size)
            }
            const all = yield* allTransfers(c)
            expect(all.length).toBe(2 * size)
            expect(all.map((t) => t.sequence)).toEqual(Array.from({ length: 2 * size }, (_, i) => i + 1))
            expect(LedgerChain.verifyChain(all)._tag).toBe("Success")
            const total = 2 * ((size * (size + 1)) / 2)
            const c1 = yield* account(c, cash!.id)
            expect(c1.debitsPosted).toBe(total)
            expect(c1.version).toBe(3)
            expect((yield* account(c, sales!.id)).creditsPosted).toBe(total)
            expect((yield* repo.transfers(c, 0, 10_000, cash!.id)).length).toBe(2 * size)
          }),
        120_000
      )

      it.effect(
        "stress: many connections spending from one account at once never overdraw it nor lose a transfer",
        () =>
          Effect.gen(function* () {
            const repo = yield* LedgerRepo
            const c = freshCommunityId()
            // a resident's time-bank account: a liability that may not be overdrawn
            const [wallet, services, community] = yield* openAccounts([
              input(c, "timebank", "liability", {
                unit: "MIN",
                debitsMustNotExceedCredits: true,
                owner: { type: "resident", id: "r-0001" }
              }),
              input(c, "timebank:services", "expense", { unit: "MIN" }),
              input(c, "timebank:issued", "equity", { unit: "MIN" })
            ])
            const balance = 100
            const price = 3
            const attempts = 60
            yield* apply(c, [posted(community!.id, wallet!.id, balance, "credited minutes", "MIN")])

            const spends = Array.from({ length: attempts }, (_, i) =>
              posted(wallet!.id, services!.id, price, `help with shopping #${i}`, "MIN")
            )
            const exits = yield* Effect.forEach(spends, (spend) => Effect.exit(apply(c, [spend])), {
              concurrency: "unbounded"
            })

            const succeeded = spends.filter((_, i) => Exit.isSuccess(exits[i]!))
            const failures = exits.filter(Exit.isFailure).map(failureOf)
            // exactly what the balance allowed; every refusal is the limit, never a conflict
            expect(succeeded.length).toBe(Math.floor(balance / price))
            expect(failures.length).toBe(attempts - succeeded.length)
            for (const f of failures) expect(f).toMatchObject({ _tag: "TransferRejected", reason: "exceeds_credits" })

            const w = yield* account(c, wallet!.id)
            expect(w.debitsPosted).toBe(succeeded.length * price)
            expect(w.creditsPosted).toBe(balance)
            expect(w.debitsPosted).toBeLessThanOrEqual(w.creditsPosted)
            expect(w.version).toBe(2 + succeeded.length)
            expect((yield* account(c, services!.id)).debitsPosted).toBe(0)
            expect((yield* account(c, services!.id)).creditsPosted).toBe(succeeded.length * price)

            // no transfer lost: each success is stored, in one gap-free chain that verifies
            const all = yield* allTransfers(c)
            expect(all.length).toBe(1 + succeeded.length)
            expect(all.map((t) => t.sequence)).toEqual(all.map((_, i) => i + 1))
            expect(new Set(all.slice(1).map((t) => t.id))).toEqual(new Set(succeeded.map((s) => s.id)))
            expect(LedgerChain.verifyChain(all)._tag).toBe("Success")
            expect(yield* repo.lockCommunity(c)).toEqual({
              sequence: all.length,
              hash: all[all.length - 1]!.hash
            })
          }),
        120_000
      )
    })
  })
}

// The ledger's contract suite of `@commonweal/testing` (the port, and the core `Ledger` service on
// it) against a partial store: the kernel, communities and the ledger, on a fresh database each.
for (const target of targets) {
  ledgerContract({
    name: `${target.dialect}, kernel, communities and ledger`,
    layer: freshStore(target, [SqlCommunities, SqlLedger], Layer.mergeAll(SqlCommunities.layer, SqlLedger.layer)),
    skip: target.skip
  })
}
