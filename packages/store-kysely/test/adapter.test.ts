/**
 * What the storage contract cannot see: migrations, SQLite settings, URL routing, the SQLite
 * connection queue, and index tables kept in step with rolled-back writes.
 */
import { ResidentRepo, Transactor } from "@commonweal/core"
import { freshCommunityId, makeResident } from "@commonweal/testing"
import { describe, expect, it } from "@effect/vitest"
import SQLite from "better-sqlite3"
import { Cause, Deferred, Effect, Exit, Option } from "effect"
import { Kysely, SqliteDialect, sql } from "kysely"
import { makeConnection } from "../src/kernel/Connection.js"
import { existsSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ALL_MIGRATIONS, runsHere, targets, tempFile } from "./fixtures/databases.js"
import { MIGRATION_TABLE, SqlStore, escapeLike, migrateToLatest, parseUrl, type Database } from "../src/index.js"

describe("parseUrl", () => {
  it("routes URLs to dialects", () => {
    expect(parseUrl("./data/app.sqlite")).toEqual({ dialect: "sqlite", filename: "./data/app.sqlite" })
    expect(parseUrl("/var/lib/app.db")).toEqual({ dialect: "sqlite", filename: "/var/lib/app.db" })
    expect(parseUrl("C:\\data\\app.db")).toEqual({ dialect: "sqlite", filename: "C:\\data\\app.db" })
    expect(parseUrl("sqlite:/tmp/a.db")).toEqual({ dialect: "sqlite", filename: "/tmp/a.db" })
    expect(parseUrl("sqlite://relative/a.db")).toEqual({ dialect: "sqlite", filename: "relative/a.db" })
    expect(parseUrl("file:///tmp/b.db")).toEqual({ dialect: "sqlite", filename: "/tmp/b.db" })
    expect(parseUrl("postgres://u@h/db")).toEqual({ dialect: "postgres", connectionString: "postgres://u@h/db" })
    expect(parseUrl("postgresql://u@h/db")).toEqual({ dialect: "postgres", connectionString: "postgresql://u@h/db" })
    expect(parseUrl("mysql://root@h:3306/db")).toEqual({ dialect: "mysql", uri: "mysql://root@h:3306/db" })
    expect(parseUrl("mariadb://root@h/db")).toEqual({ dialect: "mysql", uri: "mariadb://root@h/db" })
    expect(parseUrl("mongodb://h/db")).toBeUndefined()
  })

  it("escapes LIKE wildcards and the escape character", () => {
    expect(escapeLike("50%_off!")).toBe("50!%!_off!!")
  })
})

describe("layerFromUrl", () => {
  it.effect("opens an SQLite file for a sqlite: URL and stores in it", () => {
    const file = tempFile("from-url.sqlite")
    const resident = makeResident({ communityId: freshCommunityId() })
    return Effect.gen(function* () {
      const repo = yield* ResidentRepo
      yield* repo.insert(resident)
      const found = yield* repo.findById(resident.communityId, resident.id)
      expect(Option.isSome(found)).toBe(true)
      expect(existsSync(file)).toBe(true)
    }).pipe(Effect.provide(SqlStore.layerFromUrl(`sqlite:${file}`)))
  })

  it.effect("dies with a clear message for an unknown scheme", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Effect.provide(ResidentRepo, SqlStore.layerFromUrl("mongodb://localhost/x")))
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
      const message = String(Exit.isFailure(exit) ? Cause.squash(exit.cause) : "")
      expect(message).toContain("unsupported database URL")
      expect(message).toContain("不支持的数据库 URL")
    })
  )
})

describe("SQLite settings", () => {
  it.effect("opens in WAL mode with foreign keys on", () => {
    const file = tempFile("wal.sqlite")
    return Effect.gen(function* () {
      const repo = yield* ResidentRepo
      const resident = makeResident({ communityId: freshCommunityId(), tags: ["volunteer"] })
      yield* repo.insert(resident)
      // journal_mode is a property of the file: a second connection sees it
      const other = new SQLite(file)
      try {
        expect(other.pragma("journal_mode", { simple: true })).toBe("wal")
        other.pragma("foreign_keys = ON")
        // the index tables reference their resident: an orphan row is refused
        expect(() =>
          other
            .prepare("insert into resident_tags (community_id, resident_id, position, tag) values (?, ?, 0, 'child')")
            .run(resident.communityId, "0193aaaa-0000-7000-8000-000000000000")
        ).toThrow(/FOREIGN KEY/)
      } finally {
        other.close()
      }
    }).pipe(Effect.provide(SqlStore.layerSqlite({ filename: file })))
  })
})

describe("SQLite connection queue", () => {
  it.live("a transaction that waits for a caller outside it: the caller dies after lockTimeout, nothing hangs", () => {
    const file = tempFile("queue.sqlite")
    const communityId = freshCommunityId()
    const outsider = makeResident({ communityId })
    const insider = makeResident({ communityId })
    return Effect.gen(function* () {
      const repo = yield* ResidentRepo
      const tx = yield* Transactor
      const outsiderDone = yield* Deferred.make<Exit.Exit<void, unknown>>()
      // a fresh root fiber (Effect.runFork) has an empty context: no current transaction
      const outside = Effect.exit(repo.insert(outsider)).pipe(
        Effect.flatMap((exit) => Deferred.succeed(outsiderDone, exit))
      )
      const result = yield* tx.withTransaction(
        Effect.gen(function* () {
          yield* repo.insert(insider)
          // start a caller that is NOT in this transaction (a fresh root fiber), then wait for it
          yield* Effect.sync(() => Effect.runFork(Effect.provideService(outside, ResidentRepo, repo)))
          return yield* Deferred.await(outsiderDone)
        })
      )
      expect(Exit.isFailure(result) && Cause.hasDies(result.cause)).toBe(true)
      expect(String(Exit.isFailure(result) ? Cause.squash(result.cause) : "")).toContain("waited 300 ms")
      // the transaction committed; the outsider's insert never ran, not even later
      yield* Effect.sleep("50 millis")
      expect(Option.isSome(yield* repo.findById(communityId, insider.id))).toBe(true)
      expect(Option.isNone(yield* repo.findById(communityId, outsider.id))).toBe(true)
    }).pipe(Effect.provide(SqlStore.layerSqlite({ filename: file, lockTimeout: "300 millis" })))
  })

  it.live("concurrent transactions and plain calls queue and all complete", () => {
    const file = tempFile("queue2.sqlite")
    const communityId = freshCommunityId()
    const residents = Array.from({ length: 20 }, () => makeResident({ communityId }))
    return Effect.gen(function* () {
      const repo = yield* ResidentRepo
      const tx = yield* Transactor
      yield* Effect.forEach(
        residents,
        (r, i) =>
          i % 2 === 0 ? tx.withTransaction(Effect.andThen(Effect.sleep("2 millis"), repo.insert(r))) : repo.insert(r),
        { concurrency: "unbounded" }
      )
      const found = yield* repo.search(
        { communityId, statuses: ["active", "inactive"] },
        { after: undefined, limit: 100 }
      )
      expect(found.length).toBe(20)
    }).pipe(Effect.provide(SqlStore.layerSqlite({ filename: file })))
  })
})

describe("index tables follow the transaction", () => {
  it.effect("an update rolled back after its index rows were rewritten leaves the old index rows", () => {
    const file = tempFile("rollback.sqlite")
    const communityId = freshCommunityId()
    const resident = makeResident({ communityId, tags: ["volunteer"], skills: ["translation"] })
    return Effect.gen(function* () {
      const repo = yield* ResidentRepo
      const tx = yield* Transactor
      yield* repo.insert(resident)
      const changed = makeResident({
        ...resident,
        version: resident.version + 1,
        tags: ["child"],
        skills: ["calligraphy"]
      })
      const exit = yield* Effect.exit(
        tx.withTransaction(Effect.andThen(repo.update(changed), Effect.fail("boom" as const)))
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const window = { after: undefined, limit: 10 }
      const byOldTag = yield* repo.search({ communityId, statuses: ["active"], tag: "volunteer" }, window)
      const byNewTag = yield* repo.search({ communityId, statuses: ["active"], tag: "child" }, window)
      const byOldSkill = yield* repo.search({ communityId, statuses: ["active"], skill: "translation" }, window)
      expect(byOldTag.map((r) => r.id)).toEqual([resident.id])
      expect(byNewTag).toEqual([])
      expect(byOldSkill.map((r) => r.id)).toEqual([resident.id])
      expect(Option.getOrThrow(yield* repo.findById(communityId, resident.id)).version).toBe(resident.version)
    }).pipe(Effect.provide(SqlStore.layerSqlite({ filename: file })))
  })
})

describe("rows that do not decode", () => {
  it.effect("die with the table, the key and the failing path, never the stored values", () => {
    const file = tempFile("corrupt.sqlite")
    const communityId = freshCommunityId()
    const resident = makeResident({ communityId, displayName: "周赛群" })
    return Effect.gen(function* () {
      const repo = yield* ResidentRepo
      yield* repo.insert(resident)
      const other = new SQLite(file)
      try {
        const data = JSON.parse(
          other.prepare("select data from residents where id = ?").pluck().get(resident.id) as string
        )
        other
          .prepare("update residents set data = ? where id = ?")
          .run(JSON.stringify({ ...data, birthYear: "secret-1934", phone: 13800138000 }), resident.id)
      } finally {
        other.close()
      }
      const exit = yield* Effect.exit(repo.findById(communityId, resident.id))
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
      const message = String(Exit.isFailure(exit) ? Cause.squash(exit.cause) : "")
      expect(message).toContain(`residents row ${communityId}/${resident.id}`)
      expect(message).toContain("birthYear")
      expect(message).not.toContain("secret-1934")
      expect(message).not.toContain("13800138000")
      expect(message).not.toContain("周赛群")
      expect(Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty)).not.toContain("secret-1934")
    }).pipe(Effect.provide(SqlStore.layerSqlite({ filename: file })))
  })
})

// ---------------------------------------------------------------------------------------------
// migrations, on every dialect available

for (const target of targets) {
  const run = runsHere(target) ? describe : describe.skip
  run(`migrations: ${target.dialect}`, () => {
    it.live("run once; running them again is a no-op", () =>
      Effect.acquireUseRelease(
        Effect.promise(() => target.fresh()),
        ({ open }) =>
          Effect.acquireUseRelease(
            Effect.sync(open),
            (db) =>
              Effect.gen(function* () {
                const first = yield* migrateToLatest(db, target.dialect)
                expect(first).toEqual(ALL_MIGRATIONS)
                const second = yield* migrateToLatest(db)
                expect(second).toEqual([])
                const rows = yield* Effect.promise(() =>
                  sql<{ n: number | string }>`select count(*) as n from ${sql.table(MIGRATION_TABLE)}`.execute(db)
                )
                expect(Number(rows.rows[0]?.n)).toBe(ALL_MIGRATIONS.length)
              }),
            (db) => Effect.promise(() => db.destroy())
          ),
        ({ drop }) => Effect.promise(drop)
      )
    )

    it.live("two processes migrating at once apply each migration once", () =>
      Effect.acquireUseRelease(
        Effect.promise(() => target.fresh()),
        ({ open }) =>
          Effect.acquireUseRelease(
            Effect.sync(() => [open(), open()] as const),
            ([a, b]) =>
              Effect.gen(function* () {
                const [ra, rb] = yield* Effect.all(
                  [migrateToLatest(a, target.dialect), migrateToLatest(b, target.dialect)],
                  {
                    concurrency: 2
                  }
                )
                expect([...ra, ...rb]).toEqual(ALL_MIGRATIONS)
              }),
            ([a, b]) => Effect.promise(() => Promise.all([a.destroy(), b.destroy()]))
          ),
        ({ drop }) => Effect.promise(drop)
      )
    )
  })
}

describe("Connection.afterTransaction", () => {
  const connectionOf = () => {
    const dir = mkdtempSync(join(tmpdir(), "commonweal-after-"))
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(join(dir, "a.sqlite")) }) })
    return { db, conn: makeConnection(db, "sqlite") }
  }

  it.effect("runs a hook at once outside a transaction, and only after the end of one inside it", () =>
    Effect.gen(function* () {
      const { db, conn } = connectionOf()
      const ran: Array<string> = []
      yield* conn.afterTransaction(() => ran.push("outside"))
      expect(ran).toEqual(["outside"])
      yield* conn.withTransaction(
        Effect.gen(function* () {
          yield* conn.afterTransaction(() => ran.push("committed"))
          // nested calls join the outer transaction: their hooks wait for it too
          yield* conn.withTransaction(conn.afterTransaction(() => ran.push("nested")))
          expect(ran).toEqual(["outside"])
        })
      )
      expect(ran).toEqual(["outside", "committed", "nested"])
      const failed = yield* Effect.exit(
        conn.withTransaction(
          Effect.andThen(
            conn.afterTransaction(() => ran.push("rolled back")),
            Effect.fail("boom")
          )
        )
      )
      expect(Exit.isFailure(failed)).toBe(true)
      expect(ran).toEqual(["outside", "committed", "nested", "rolled back"])
      yield* Effect.promise(() => db.destroy())
    })
  )
})
