/**
 * Migrations as domain slices, on every dialect available: one file per step in the folder of
 * what it creates, named in order; a database migrated by the version before the slices (one
 * migration, `0001_residents_and_outbox`) is taken over with its data; a database of a store with
 * some domains can later be opened with more, and a store refuses a database with migrations it
 * does not know.
 */
import { CommunityRepo, IdempotencyKeys, Outbox, ResidentRepo, Transactor } from "@commonweal/core"
import { freshCommunityId, makeCommunity, makeResident, makeResidentEvent } from "@commonweal/testing"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Layer, Option } from "effect"
import { type Kysely, Migrator, sql } from "kysely"
import {
  type Database,
  type Dialect,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  makeSqlStore,
  migrateToLatest,
  migrations,
  SqlCommunities,
  SqlKernel,
  SqlResidents
} from "../src/index.js"
import { ALL_MIGRATIONS, FIRST_MIGRATIONS, runsHere, type Target, targets } from "./fixtures/databases.js"
import { legacy0001 } from "./fixtures/legacy-0001.js"

describe("migration files", () => {
  for (const dialect of ["sqlite", "postgres", "mysql"] as const) {
    it(`${dialect}: 0001_outbox, 0002_communities, 0003_residents, 0004_idempotency_keys first, then each domain's, in name order`, () => {
      const names = Object.keys(migrations(dialect))
      expect(names.slice(0, FIRST_MIGRATIONS.length)).toEqual(FIRST_MIGRATIONS)
      expect(names).toEqual(ALL_MIGRATIONS)
      // Kysely runs them in name order: the names alone must give the order, and no two share a number
      expect([...names].sort()).toEqual(names)
      expect(new Set(names.map((n) => n.slice(0, 4))).size).toBe(names.length)
    })
  }

  it("each domain brings its own migration, the kernel the rest", () => {
    expect(Object.keys(SqlCommunities.migrations("sqlite"))).toEqual(["0002_communities"])
    expect(Object.keys(SqlResidents.migrations("sqlite"))).toEqual(["0003_residents"])
  })
})

/** The recorded migrations, in the order the migrator reads them (timestamp, then name). */
const recorded = (db: Kysely<Database>) =>
  Effect.promise(() =>
    sql<{
      readonly name: string
      readonly timestamp: string
    }>`select ${sql.ref("name")}, ${sql.ref("timestamp")} from ${sql.table(MIGRATION_TABLE)}`.execute(db)
  ).pipe(
    Effect.map(({ rows }) =>
      [...rows].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.name.localeCompare(b.name))
    )
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

/** Migrates `db` as the version before the domain slices did: one migration, the same tables. */
const migrateAsLegacy = (db: Kysely<Database>, dialect: Dialect) =>
  Effect.promise(async () => {
    const { error, results } = await new Migrator({
      db,
      provider: { getMigrations: async () => ({ "0001_residents_and_outbox": legacy0001(dialect) }) },
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: MIGRATION_LOCK_TABLE
    }).migrateToLatest()
    if (error !== undefined) throw error
    return (results ?? []).map((r) => r.migrationName)
  })

for (const target of targets) {
  const run = runsHere(target) ? describe : describe.skip
  run(`migrations as slices: ${target.dialect}`, () => {
    it.live("a database of the version before the slices is taken over: 0004 runs, the data survives", () =>
      withFreshDatabase(target, (db) =>
        Effect.gen(function* () {
          expect(yield* migrateAsLegacy(db, target.dialect)).toEqual(["0001_residents_and_outbox"])
          const [legacyRow] = yield* recorded(db)

          // data written by the old schema (the repositories only touch the tables it created)
          const old = makeSqlStore(db, target.dialect)
          const community = makeCommunity()
          const resident = makeResident({ communityId: community.id, tags: ["volunteer"] })
          const event = makeResidentEvent(community.id, 2)
          yield* Effect.gen(function* () {
            yield* (yield* CommunityRepo).insert(community)
            yield* (yield* ResidentRepo).insert(resident)
            yield* (yield* Outbox).append([event])
          }).pipe(Effect.provide(old))

          // the current store converts the record and runs only what is new
          expect(yield* migrateToLatest(db, target.dialect)).toEqual(
            ALL_MIGRATIONS.filter((name) => !FIRST_MIGRATIONS.slice(0, 3).includes(name))
          )
          const rows = yield* recorded(db)
          expect(rows.map((r) => r.name)).toEqual(ALL_MIGRATIONS)
          // the split rows keep the old migration's timestamp
          expect(rows.slice(0, 3).map((r) => r.timestamp)).toEqual([1, 2, 3].map(() => legacyRow?.timestamp))
          expect(yield* migrateToLatest(db, target.dialect)).toEqual([])

          const store = makeSqlStore(db, target.dialect)
          yield* Effect.gen(function* () {
            const found = yield* (yield* ResidentRepo).findById(community.id, resident.id)
            expect(Option.map(found, (r) => r.id)).toEqual(Option.some(resident.id))
            const byTag = yield* (yield* ResidentRepo).search(
              { communityId: community.id, statuses: ["active"], tag: "volunteer" },
              { after: undefined, limit: 10 }
            )
            expect(byTag.map((r) => r.id)).toEqual([resident.id])
            expect(Option.isSome(yield* (yield* CommunityRepo).findById(community.id))).toBe(true)
            expect((yield* (yield* Outbox).list(community.id, 0, 10)).map((e) => e.id)).toEqual([event.id])
            // and the new table is there
            const keys = yield* IdempotencyKeys
            const scope = { communityId: community.id, subject: "staff:王丽", key: "first-key" }
            const claim = yield* (yield* Transactor).withTransaction(
              keys.claim({ scope, fingerprint: "f1", now: 1_000, expiresAt: 2_000 })
            )
            expect(claim).toEqual({ _tag: "Claimed" })
          }).pipe(Effect.provide(store))
        })
      )
    )

    it.live("a store with some domains first, then all of them: the missing migration runs later", () =>
      withFreshDatabase(target, (db) =>
        Effect.gen(function* () {
          // kernel and residents only: no communities table
          const partial = Layer.provideMerge(
            SqlResidents.layer,
            SqlKernel.layerKysely(db, target.dialect, { domains: [SqlResidents] })
          )
          const resident = makeResident({ communityId: freshCommunityId() })
          yield* Effect.gen(function* () {
            yield* (yield* ResidentRepo).insert(resident)
          }).pipe(Effect.provide(partial))
          expect((yield* recorded(db)).map((r) => r.name)).toEqual([
            "0001_outbox",
            "0003_residents",
            "0004_idempotency_keys"
          ])
          const tables = yield* Effect.promise(() => db.introspection.getTables())
          expect(tables.map((t) => t.name)).not.toContain("communities")

          // the whole store adds 0002, although it sorts before migrations already run
          expect(yield* migrateToLatest(db, target.dialect)).toEqual(
            ALL_MIGRATIONS.filter((name) => !["0001_outbox", "0003_residents", "0004_idempotency_keys"].includes(name))
          )
          const found = yield* ResidentRepo.use((repo) => repo.findById(resident.communityId, resident.id)).pipe(
            Effect.provide(makeSqlStore(db, target.dialect))
          )
          expect(Option.isSome(found)).toBe(true)

          // and now a store without communities refuses the database: it records what that store does not know
          const refused = yield* Effect.exit(
            Layer.build(SqlKernel.layerKysely(db, target.dialect, { domains: [SqlResidents] })).pipe(
              Effect.scoped,
              Effect.map(Context.get(Transactor))
            )
          )
          expect(Exit.isFailure(refused) && Cause.hasDies(refused.cause)).toBe(true)
          expect(String(Exit.isFailure(refused) ? Cause.squash(refused.cause) : "")).toContain(
            "previously executed migration 0002_communities is missing"
          )
        })
      )
    )
  })
}
