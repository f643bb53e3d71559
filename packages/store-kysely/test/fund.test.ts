/**
 * The fund's `FundRepo` over SQL, on every dialect available (SQLite always; PostgreSQL and
 * MariaDB/MySQL from `COMMONWEAL_TEST_POSTGRES_URL` / `COMMONWEAL_TEST_MYSQL_URL`, each on fresh
 * databases of its own, dropped after; in CI a missing URL fails).
 *
 * - The fund's contract suite of `@commonweal/testing` (the port, and the core `Fund` service on
 *   it) against a partial store composed here: the kernel, communities, residents, the ledger and
 *   the fund (`SqlKernel.layerKysely(…, { domains })`
 *   with the domains' layers), so the fund's own migration `0007_fund` runs.
 * - What only the SQL adapter can get wrong: a round of 1,000 candidates (JSON beyond 64 KiB),
 *   64-bit amounts and times, a duplicate that must not abort the caller's PostgreSQL
 *   transaction, rows that do not decode, `lockRound` holding the row, and a database already at
 *   the current migrations, with data, taking the fund's tables on.
 */
import {
  AllocationRound,
  CommunityRepo,
  entryKey,
  FundEntry,
  FundRepo,
  type LedgerRepo,
  MAX_CANDIDATES,
  Outbox,
  Product,
  ResidentRepo,
  Transactor
} from "@commonweal/core"
import {
  expectConflict,
  freshCommunityId,
  fundContract,
  makeCommunity,
  makeResident,
  makeResidentEvent
} from "@commonweal/testing"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Fiber, Layer, Option } from "effect"
import { type Kysely, sql } from "kysely"
import { SqlCommunities } from "../src/communities/index.js"
import type { Database } from "../src/Database.js"
import { sqlDomains } from "../src/domains.js"
import { type FundDatabase, SqlFund } from "../src/fund/index.js"
import type { Dialect } from "../src/kernel/Dialect.js"
import { SqlKernel, type SqlDomain } from "../src/kernel/SqlKernel.js"
import { SqlLedger } from "../src/ledger/index.js"
import { MIGRATION_TABLE } from "../src/Migrations.js"
import { SqlResidents } from "../src/residents/index.js"
import {
  candyGoods,
  expectFound,
  familyCandidate,
  freshHouseholdId,
  makeEntry,
  makeProduct,
  makeRound,
  makeSale,
  scheduledRound
} from "../../testing/src/fund/helpers.js"
import { runsHere, type Target, targets } from "./fixtures/databases.js"

/**
 * The domains of the fund's store: the fund's records belong to communities, its candidates are
 * residents, its money moves in the ledger.
 */
const FUND_DOMAINS = [SqlCommunities, SqlResidents, SqlLedger, SqlFund]

/** The layers of {@link FUND_DOMAINS} over the kernel of `db`, whose migrations they run. */
const fundStoreOn = (db: Kysely<Database>, dialect: Dialect) =>
  Layer.provideMerge(
    Layer.mergeAll(SqlCommunities.layer, SqlResidents.layer, SqlLedger.layer, SqlFund.layer),
    SqlKernel.layerKysely(db, dialect, { domains: FUND_DOMAINS })
  )

/** Runs `use` on a fresh database of `target`, opened once, closed and dropped after. */
const withFreshDatabase = <A, E>(
  target: Target,
  use: (db: Kysely<Database>) => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.acquireUseRelease(
    Effect.promise(() => target.fresh()),
    ({ open }) => Effect.acquireUseRelease(Effect.sync(open), use, (db) => Effect.promise(() => db.destroy())),
    ({ drop }) => Effect.promise(drop)
  )

/** Runs `use` with the fund's store on a fresh database of `target`, and the database itself for raw SQL. */
const withFundStore = <A, E>(
  target: Target,
  use: (db: Kysely<FundDatabase>) => Effect.Effect<A, E, FundRepo | Transactor | CommunityRepo | LedgerRepo>
): Effect.Effect<A, E> =>
  withFreshDatabase(target, (db) =>
    Effect.provide(use(db as unknown as Kysely<FundDatabase>), fundStoreOn(db, target.dialect))
  )

/** The recorded migration names. */
const recorded = (db: Kysely<Database>) =>
  Effect.promise(() =>
    sql<{ readonly name: string }>`select ${sql.ref("name")} from ${sql.table(MIGRATION_TABLE)}`.execute(db)
  ).pipe(Effect.map(({ rows }) => rows.map((r) => r.name).sort()))

/** The defect of an exit that must have died. */
const defectOf = <A, E>(exit: Exit.Exit<A, E>): string => {
  if (Exit.isSuccess(exit) || !Cause.hasDies(exit.cause)) throw new Error("expected a defect")
  return String(Cause.squash(exit.cause))
}

describe("SqlFund", () => {
  it("is the fund's domain, with its own migration 0007_fund", () => {
    expect(SqlFund.name).toBe("fund")
    for (const dialect of ["sqlite", "postgres", "mysql"] as const) {
      expect(Object.keys(SqlFund.migrations(dialect))).toEqual(["0007_fund"])
    }
  })
})

// The fund's contract suite of `@commonweal/testing` against a partial store: the kernel,
// communities, the ledger and the fund, on a fresh database each.
for (const target of targets) {
  fundContract({
    name: `${target.dialect}, kernel, communities, residents, ledger and fund`,
    layer: Layer.unwrap(
      Effect.gen(function* () {
        const { open } = yield* Effect.acquireRelease(
          Effect.promise(() => target.fresh()),
          ({ drop }) => Effect.promise(drop)
        )
        const db = yield* Effect.acquireRelease(Effect.sync(open), (db) => Effect.promise(() => db.destroy()))
        return fundStoreOn(db, target.dialect)
      })
    ),
    skip: target.skip
  })
}

for (const target of targets) {
  const run = runsHere(target) ? describe : describe.skip
  run(`fund on ${target.dialect}`, () => {
    it.live(
      "a round of 1,000 candidates round trips (its JSON outgrows 64 KiB), and its households list it",
      () =>
        withFundStore(target, () =>
          Effect.gen(function* () {
            const repo = yield* FundRepo
            const c = freshCommunityId()
            // 80-character labels of three UTF-8 bytes each: about 400 KB of candidates
            const label = "幸运君".repeat(26).slice(0, 79)
            const candidates = Array.from({ length: MAX_CANDIDATES }, (_, i) =>
              familyCandidate(`family-${i}`, `${label}${i % 10}`, 100_000 + i, 1 + (i % 7))
            )
            const round = makeRound(c, { pool: 50_000_000, candidates })
            yield* repo.insertRound(round)
            expectFound(AllocationRound, yield* repo.findRound(c, round.id), round, "round of 1,000")
            const last = candidates[MAX_CANDIDATES - 1]!.householdId!
            const listed = yield* repo.listRounds(
              { communityId: c, householdId: last },
              { after: undefined, limit: 10 }
            )
            expect(listed.map((r) => r.id)).toEqual([round.id])
            expect(listed[0]).toEqual(round)
            // scheduled: outcome, objections, sign-offs and holds of 1,000 candidates
            const scheduled = { ...scheduledRound(round), version: 2 }
            expect(scheduled.holds.length).toBeGreaterThan(100)
            yield* repo.updateRound(scheduled)
            expectFound(AllocationRound, yield* repo.findRound(c, round.id), scheduled, "scheduled round of 1,000")
            // its households were rewritten with it: dropping the candidates drops them
            yield* repo.updateRound({ ...scheduled, version: 3, candidates: candidates.slice(0, 1) })
            const after = (householdId: (typeof candidates)[number]["householdId"]) =>
              repo.listRounds({ communityId: c, householdId: householdId! }, { after: undefined, limit: 10 })
            expect(yield* after(last)).toEqual([])
            expect((yield* after(candidates[0]!.householdId)).map((r) => r.id)).toEqual([round.id])
          })
        ),
      120_000
    )

    it.live("amounts, quantities and times up to the largest safe integer read back as numbers", () =>
      withFundStore(target, () =>
        Effect.gen(function* () {
          const repo = yield* FundRepo
          const c = freshCommunityId()
          const max = Number.MAX_SAFE_INTEGER
          const product = makeProduct(c, { unitPrice: max, createdAt: max })
          yield* repo.insertProduct(product)
          expectFound(Product, yield* repo.findProduct(c, product.id), product, "product")
          const early = makeSale(product, 1, { amount: max, quantity: 1_000_000, occurredAt: max - 1 })
          // 16 digits of time: the key is longer than the usual 15, and still orders after `early`
          const late = makeEntry(c, { amount: max, occurredAt: max })
          yield* repo.insertEntry(late)
          yield* repo.insertEntry(early)
          const listed = yield* repo.listEntries({ communityId: c }, { after: undefined, limit: 10 })
          expect(listed).toEqual([early, late])
          expect(typeof listed[0]!.amount).toBe("number")
          expect(yield* repo.listEntries({ communityId: c }, { after: entryKey(early), limit: 10 })).toEqual([late])
          expect(yield* repo.listEntries({ communityId: c, from: max }, { after: undefined, limit: 10 })).toEqual([
            late
          ])
          const round = makeRound(c, { pool: max, createdAt: max, updatedAt: max, candidates: [] })
          yield* repo.insertRound(round)
          expectFound(AllocationRound, yield* repo.findRound(c, round.id), round, "round")
          // a cursor that is not an entry key lists nothing, and does not fail
          expect(yield* repo.listEntries({ communityId: c }, { after: "not-a-key", limit: 10 })).toEqual([])
        })
      )
    )

    it.live("a duplicate id or SKU inside a transaction is Conflict, and the transaction goes on to commit", () =>
      withFundStore(target, () =>
        Effect.gen(function* () {
          const repo = yield* FundRepo
          const tx = yield* Transactor
          const c = freshCommunityId()
          const fan = makeProduct(c, candyGoods.fan)
          const gift = makeEntry(c)
          yield* repo.insertProduct(fan)
          yield* repo.insertEntry(gift)
          const umbrella = makeProduct(c, candyGoods.umbrella)
          const round = makeRound(c)
          const sale = makeSale(fan, 2)
          yield* tx.withTransaction(
            Effect.gen(function* () {
              expectConflict(yield* Effect.flip(repo.insertProduct(makeProduct(c, candyGoods.fan))), "duplicate")
              expectConflict(yield* Effect.flip(repo.insertProduct({ ...fan, sku: "FAN-02" })), "duplicate")
              expectConflict(yield* Effect.flip(repo.insertEntry(gift)), "duplicate")
              // on PostgreSQL a raised unique violation would have aborted the transaction here
              yield* repo.insertProduct(umbrella)
              yield* repo.insertRound(round)
              expectConflict(yield* Effect.flip(repo.insertRound(round)), "duplicate")
              yield* repo.insertEntry(sale)
            })
          )
          expectFound(Product, yield* repo.findProduct(c, umbrella.id), umbrella, "umbrella")
          expectFound(FundEntry, yield* repo.findEntry(c, sale.id), sale, "sale")
          expectFound(AllocationRound, yield* repo.findRound(c, round.id), round, "round")
          // changing a product's SKU to another product's is a duplicate too, and changes nothing
          expectConflict(yield* Effect.flip(repo.updateProduct({ ...umbrella, sku: fan.sku, version: 2 })), "duplicate")
          expectFound(Product, yield* repo.findProduct(c, umbrella.id), umbrella, "umbrella")
        })
      )
    )

    it.live("a stored row that does not decode is a defect naming the table and key, never the values", () =>
      withFundStore(target, (db) =>
        Effect.gen(function* () {
          const repo = yield* FundRepo
          const c = freshCommunityId()
          const round = makeRound(c)
          const entry = makeEntry(c)
          yield* repo.insertRound(round)
          yield* repo.insertEntry(entry)
          const corrupt = (f: () => Promise<unknown>) => Effect.promise(f)
          yield* corrupt(() =>
            db
              .updateTable("fund_rounds")
              .set({ candidates: '[{"key":"SECRET-家庭","kind":"family"}]' })
              .where("community_id", "=", c)
              .where("id", "=", round.id)
              .execute()
          )
          const bad = defectOf(yield* Effect.exit(repo.findRound(c, round.id)))
          expect(bad).toContain("fund_rounds")
          expect(bad).toContain(`${c}/${round.id}`)
          expect(bad).toContain("candidates")
          expect(bad).not.toContain("SECRET")
          // a list that meets the row fails the same way, rather than skipping it
          expect(
            defectOf(yield* Effect.exit(repo.listRounds({ communityId: c }, { after: undefined, limit: 5 })))
          ).toContain("fund_rounds")
          yield* corrupt(() =>
            db
              .updateTable("fund_rounds")
              .set({ holds: "SECRET not json" })
              .where("community_id", "=", c)
              .where("id", "=", round.id)
              .execute()
          )
          const notJson = defectOf(yield* Effect.exit(repo.findRound(c, round.id)))
          expect(notJson).toContain("is not valid JSON")
          expect(notJson).not.toContain("SECRET")
          yield* corrupt(() =>
            db
              .updateTable("fund_entries")
              .set({ kind: "SECRET-kind" })
              .where("community_id", "=", c)
              .where("id", "=", entry.id)
              .execute()
          )
          const badEntry = defectOf(yield* Effect.exit(repo.findEntry(c, entry.id)))
          expect(badEntry).toContain("fund_entries")
          expect(badEntry).toContain("kind")
          expect(badEntry).not.toContain("SECRET")
        })
      )
    )

    it.live("lockRound holds the round until its transaction ends: a write meanwhile finds it changed", () =>
      withFundStore(target, () =>
        Effect.gen(function* () {
          const repo = yield* FundRepo
          const tx = yield* Transactor
          const c = freshCommunityId()
          const round = makeRound(c)
          yield* repo.insertRound(round)
          const winner = { ...round, version: 2, status: "submitted" as const }
          const loser = { ...round, version: 2, title: "并发修改" }
          // another writer, outside the transaction below (forked before it, so it does not
          // inherit it): it writes once the round is locked, and waits for the lock (on SQLite,
          // for the one connection), so it can only run once that transaction has committed
          const locked = yield* Deferred.make<void>()
          const other = yield* Effect.forkChild(
            Effect.exit(Effect.andThen(Deferred.await(locked), repo.updateRound(loser)))
          )
          yield* tx.withTransaction(
            Effect.gen(function* () {
              yield* repo.lockRound(c, round.id, 1)
              yield* Deferred.succeed(locked, undefined)
              yield* Effect.sleep("300 millis")
              yield* repo.updateRound(winner)
            })
          )
          const exit = yield* Fiber.join(other)
          expect(Exit.isFailure(exit)).toBe(true)
          if (Exit.isFailure(exit)) expectConflict(Cause.squash(exit.cause), "stale_version")
          expectFound(AllocationRound, yield* repo.findRound(c, round.id), winner, "round")
        })
      )
    )

    it.live("a database at the current migrations, with data, takes the fund's migration on alone", () =>
      withFreshDatabase(target, (db) =>
        Effect.gen(function* () {
          // the store as it is without the fund: every other registered domain's migrations
          const current = sqlDomains.filter((d) => d.name !== "fund") as ReadonlyArray<
            Pick<SqlDomain<unknown, never>, "migrations">
          >
          const old = Layer.provideMerge(
            Layer.mergeAll(SqlCommunities.layer, SqlResidents.layer),
            SqlKernel.layerKysely(db, target.dialect, { domains: current })
          )
          const community = makeCommunity()
          const resident = makeResident({ communityId: community.id, tags: ["volunteer"] })
          const event = makeResidentEvent(community.id, 2)
          yield* Effect.gen(function* () {
            yield* (yield* CommunityRepo).insert(community)
            yield* (yield* ResidentRepo).insert(resident)
            yield* (yield* Outbox).append([event])
          }).pipe(Effect.provide(old))
          const before = yield* recorded(db)
          expect(before).not.toContain("0007_fund")

          // the same database opened with the fund as well: only 0007_fund runs
          const withFund = Layer.provideMerge(
            Layer.mergeAll(SqlCommunities.layer, SqlResidents.layer, SqlFund.layer),
            SqlKernel.layerKysely(db, target.dialect, { domains: [...current, SqlFund] })
          )
          yield* Effect.gen(function* () {
            expect(yield* recorded(db)).toEqual([...before, "0007_fund"].sort())
            expect(Option.isSome(yield* (yield* CommunityRepo).findById(community.id))).toBe(true)
            expect(Option.map(yield* (yield* ResidentRepo).findById(community.id, resident.id), (r) => r.id)).toEqual(
              Option.some(resident.id)
            )
            expect((yield* (yield* Outbox).list(community.id, 0, 10)).map((e) => e.id)).toEqual([event.id])
            const repo = yield* FundRepo
            const product = makeProduct(community.id)
            const round = makeRound(community.id, {
              candidates: [familyCandidate("family-1", "周家", 100_000, 2, freshHouseholdId())]
            })
            yield* repo.insertProduct(product)
            yield* repo.insertRound(round)
            expectFound(Product, yield* repo.findProduct(community.id, product.id), product, "product")
            expectFound(AllocationRound, yield* repo.findRound(community.id, round.id), round, "round")
          }).pipe(Effect.provide(withFund))
          // and opening it again runs nothing
          yield* Layer.build(SqlKernel.layerKysely(db, target.dialect, { domains: [...current, SqlFund] })).pipe(
            Effect.scoped
          )
          expect(yield* recorded(db)).toEqual([...before, "0007_fund"].sort())
        })
      )
    )
  })
}
