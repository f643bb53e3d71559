/**
 * `IdempotencyKeys` across connections, which the generic contract (one store, one pool) cannot
 * see: two stores on two separate pools (PostgreSQL, MariaDB/MySQL) or two processes (SQLite) race
 * for one key. The second claim waits for the first transaction, then replays its answer, or
 * claims the key when the first rolled back; a rollback leaves no row behind; two claimers of an
 * expired key do not deadlock.
 */
import { IdempotencyKeys, Transactor, type IdempotencyClaim, type IdempotencyScope } from "@commonweal/core"
import { freshCommunityId, randomUuid7 } from "@commonweal/testing"
import { describe, expect, it } from "@effect/vitest"
import { type ChildProcess, spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { type Context, Data, Deferred, Effect, Fiber, Ref } from "effect"
import { type Kysely, sql } from "kysely"
import { type Database, makeSqlStore, migrateToLatest, SqlStore } from "../src/index.js"
import { runsHere, targets, tempFile } from "./fixtures/databases.js"

/** What a request needs of a store. */
type Store = Context.Context<Transactor | IdempotencyKeys>

const claimed: IdempotencyClaim = { _tag: "Claimed" }
const completed = (response: string): IdempotencyClaim => ({ _tag: "Completed", response })

const NOW = Date.UTC(2026, 0, 5, 1, 30, 0)
const HOUR = 60 * 60 * 1000

const freshScope = (): IdempotencyScope => ({
  communityId: freshCommunityId(),
  subject: "social-worker:王丽",
  key: randomUuid7()
})

/** A command's own failure, rolling its transaction back. */
class Boom extends Data.TaggedError("Boom")<{ readonly step: string }> {}

/**
 * One request on `store`, in its own transaction: claim; when `Claimed`, run `command`, then
 * complete with `response`; `marks` records when the claim returned (`<label>: <tag>`).
 */
const request = <E>(
  store: Store,
  label: string,
  scope: IdempotencyScope,
  response: string,
  marks: Ref.Ref<ReadonlyArray<string>>,
  command: Effect.Effect<void, E> = Effect.void,
  now = NOW
): Effect.Effect<IdempotencyClaim, E> =>
  Effect.gen(function* () {
    const tx = yield* Transactor
    const keys = yield* IdempotencyKeys
    return yield* tx.withTransaction(
      Effect.gen(function* () {
        const claim = yield* keys.claim({ scope, fingerprint: "fp-周赛群", now, expiresAt: now + HOUR })
        yield* Ref.update(marks, (m) => [...m, `${label}: ${claim._tag}`])
        if (claim._tag === "Claimed") {
          yield* command
          yield* keys.complete(scope, "fp-周赛群", response)
        }
        return claim
      })
    )
  }).pipe(Effect.provide(store))

/** How many rows the key has in the table. */
const rowsOf = (db: Kysely<Database>, scope: IdempotencyScope) =>
  Effect.promise(() =>
    db
      .selectFrom("idempotency_keys")
      .select(sql<number | string>`count(*)`.as("n"))
      .where("community_id", "=", scope.communityId)
      .where("subject", "=", scope.subject)
      .where("idem_key", "=", scope.key)
      .executeTakeFirstOrThrow()
  ).pipe(Effect.map((row) => Number(row.n)))

// ---------------------------------------------------------------------------------------------
// PostgreSQL and MariaDB/MySQL: two stores, two pools, one database

for (const target of targets.filter((t) => t.dialect !== "sqlite")) {
  const run = runsHere(target) ? describe : describe.skip
  run(`IdempotencyKeys on two pools: ${target.dialect}`, () => {
    /** Two stores on separate pools of one fresh, migrated database. */
    const withTwoStores = <A, E>(
      use: (a: Store, b: Store, db: Kysely<Database>) => Effect.Effect<A, E>
    ): Effect.Effect<A, E> =>
      Effect.acquireUseRelease(
        Effect.promise(() => target.fresh()),
        ({ open }) =>
          Effect.acquireUseRelease(
            Effect.sync(() => [open(), open()] as const),
            ([dbA, dbB]) =>
              Effect.andThen(
                migrateToLatest(dbA, target.dialect),
                use(makeSqlStore(dbA, target.dialect), makeSqlStore(dbB, target.dialect), dbA)
              ),
            ([dbA, dbB]) => Effect.promise(() => Promise.all([dbA.destroy(), dbB.destroy()]))
          ),
        ({ drop }) => Effect.promise(drop)
      )

    it.live("the second claim waits for the first transaction, then replays its answer", () =>
      withTwoStores((a, b) =>
        Effect.gen(function* () {
          const scope = freshScope()
          const marks = yield* Ref.make<ReadonlyArray<string>>([])
          const firstClaimed = yield* Deferred.make<void>()
          const first = yield* Effect.forkChild(
            request(
              a,
              "first",
              scope,
              "first's answer",
              marks,
              Effect.gen(function* () {
                yield* Deferred.succeed(firstClaimed, undefined)
                yield* Effect.sleep("300 millis")
                yield* Ref.update(marks, (m) => [...m, "first completes"])
              })
            )
          )
          yield* Deferred.await(firstClaimed)
          const second = yield* Effect.forkChild(request(b, "second", scope, "second's answer", marks))
          expect(yield* Fiber.join(first)).toEqual(claimed)
          expect(yield* Fiber.join(second)).toEqual(completed("first's answer"))
          // the second claim returned only after the first had completed (and committed)
          expect(yield* Ref.get(marks)).toEqual(["first: Claimed", "first completes", "second: Completed"])
        })
      )
    )

    it.live("when the first transaction rolls back, the waiting claim gets the key", () =>
      withTwoStores((a, b) =>
        Effect.gen(function* () {
          const scope = freshScope()
          const marks = yield* Ref.make<ReadonlyArray<string>>([])
          const firstClaimed = yield* Deferred.make<void>()
          const first = yield* Effect.forkChild(
            Effect.flip(
              request(
                a,
                "first",
                scope,
                "first's answer",
                marks,
                Effect.gen(function* () {
                  yield* Deferred.succeed(firstClaimed, undefined)
                  yield* Effect.sleep("300 millis")
                  yield* Ref.update(marks, (m) => [...m, "first fails"])
                  return yield* Effect.fail(new Boom({ step: "the command" }))
                })
              )
            )
          )
          yield* Deferred.await(firstClaimed)
          const second = yield* Effect.forkChild(request(b, "second", scope, "second's answer", marks))
          expect(yield* Fiber.join(first)).toBeInstanceOf(Boom)
          expect(yield* Fiber.join(second)).toEqual(claimed)
          expect(yield* Ref.get(marks)).toEqual(["first: Claimed", "first fails", "second: Claimed"])
          // the key holds the second's answer, seen from either pool
          expect(yield* request(a, "replay", scope, "never stored", marks)).toEqual(completed("second's answer"))
        })
      )
    )

    it.live("a rollback leaves no row behind", () =>
      withTwoStores((a, b, db) =>
        Effect.gen(function* () {
          const scope = freshScope()
          const marks = yield* Ref.make<ReadonlyArray<string>>([])
          const failed = yield* Effect.flip(
            request(a, "first", scope, "rolled back", marks, Effect.fail(new Boom({ step: "the command" })))
          )
          expect(failed).toBeInstanceOf(Boom)
          expect(yield* rowsOf(db, scope)).toBe(0)
          expect(yield* request(b, "second", scope, "second's answer", marks)).toEqual(claimed)
          expect(yield* rowsOf(db, scope)).toBe(1)
        })
      )
    )

    it.live("an expired key: one pool takes it over, the other waits for it and replays the new answer", () =>
      withTwoStores((a, b) =>
        Effect.gen(function* () {
          const scope = freshScope()
          const marks = yield* Ref.make<ReadonlyArray<string>>([])
          expect(yield* request(a, "old", scope, "old answer", marks)).toEqual(claimed)
          const later = NOW + 2 * HOUR
          const runs = yield* Ref.make(0)
          const firstClaimed = yield* Deferred.make<void>()
          const first = yield* Effect.forkChild(
            request(
              a,
              "first",
              scope,
              "first's answer",
              marks,
              Effect.gen(function* () {
                yield* Ref.update(runs, (n) => n + 1)
                yield* Deferred.succeed(firstClaimed, undefined)
                yield* Effect.sleep("300 millis")
                yield* Ref.update(marks, (m) => [...m, "first completes"])
              }),
              later
            )
          )
          yield* Deferred.await(firstClaimed)
          // the stored row is still the expired one for everybody but the first transaction: only
          // a locking read makes the second wait and then see the first's answer
          const second = yield* Effect.forkChild(
            request(
              b,
              "second",
              scope,
              "second's answer",
              marks,
              Ref.update(runs, (n) => n + 1),
              later
            )
          )
          expect(yield* Fiber.join(first)).toEqual(claimed)
          expect(yield* Fiber.join(second)).toEqual(completed("first's answer"))
          expect(yield* Ref.get(runs), "the command ran once").toBe(1)
          expect(yield* Ref.get(marks)).toEqual([
            "old: Claimed",
            "first: Claimed",
            "first completes",
            "second: Completed"
          ])
        })
      )
    )
  })
}

// ---------------------------------------------------------------------------------------------
// SQLite: a second process

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..")

/** Starts `fixtures/claim.ts` in a child process on `file`; resolves once it has opened the store. */
const startClaimer = (file: string, scope: IdempotencyScope, response: string) =>
  Effect.callback<{ readonly child: ChildProcess; readonly result: Promise<string> }>((resume) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@commonweal/source", "--import", "tsx", "test/fixtures/claim.ts"],
      {
        cwd: packageDir,
        env: {
          ...process.env,
          COMMONWEAL_CLAIM_FILE: file,
          COMMONWEAL_CLAIM_SCOPE: JSON.stringify(scope),
          COMMONWEAL_CLAIM_FINGERPRINT: "fp-周赛群",
          COMMONWEAL_CLAIM_RESPONSE: response,
          COMMONWEAL_CLAIM_NOW: String(NOW)
        },
        stdio: ["pipe", "pipe", "inherit"]
      }
    )
    let out = ""
    let started = false
    const result = new Promise<string>((resolve, reject) => {
      child.on("error", reject)
      child.on("exit", (code) =>
        code === 0 ? resolve(out.trim().split("\n").at(-1) ?? "") : reject(new Error(`the claimer exited with ${code}`))
      )
    })
    child.stdout?.setEncoding("utf8")
    child.stdout?.on("data", (chunk: string) => {
      out += chunk
      if (!started && out.split("\n").includes("ready")) {
        started = true
        resume(Effect.succeed({ child, result }))
      }
    })
    return Effect.sync(() => child.kill())
  })

describe("IdempotencyKeys on SQLite, from a second process", () => {
  /**
   * This process claims the key in a transaction, lets the other process claim it, holds the
   * transaction half a second, then ends it with `end`; returns what the other process found and
   * whether its claim returned after this process completed.
   */
  const race = <E>(file: string, scope: IdempotencyScope, end: Effect.Effect<void, E>) =>
    Effect.gen(function* () {
      const tx = yield* Transactor
      const keys = yield* IdempotencyKeys
      const { child, result } = yield* startClaimer(file, scope, "second's answer")
      let endedAt = 0
      const exit = yield* Effect.exit(
        tx.withTransaction(
          Effect.gen(function* () {
            expect(yield* keys.claim({ scope, fingerprint: "fp-周赛群", now: NOW, expiresAt: NOW + HOUR })).toEqual(
              claimed
            )
            yield* Effect.sync(() => child.stdin?.write("go\n"))
            yield* Effect.sleep("500 millis")
            endedAt = Date.now()
            yield* end
          })
        )
      )
      const line = yield* Effect.promise(() => result)
      const second = JSON.parse(line) as { readonly claim: IdempotencyClaim; readonly claimedAt: number }
      return { exit, second, waited: second.claimedAt >= endedAt }
    })

  it.live(
    "the other process's claim waits for this transaction, then replays its answer",
    () => {
      const file = tempFile("idempotency-race.sqlite")
      const scope = freshScope()
      return Effect.gen(function* () {
        const keys = yield* IdempotencyKeys
        const { exit, second, waited } = yield* race(file, scope, keys.complete(scope, "fp-周赛群", "first's answer"))
        expect(exit._tag).toBe("Success")
        expect(second.claim).toEqual(completed("first's answer"))
        expect(waited).toBe(true)
      }).pipe(Effect.provide(SqlStore.layerSqlite({ filename: file })))
    },
    60_000
  )

  it.live(
    "when this transaction rolls back, the other process's waiting claim gets the key",
    () => {
      const file = tempFile("idempotency-rollback.sqlite")
      const scope = freshScope()
      return Effect.gen(function* () {
        const { exit, second, waited } = yield* race(file, scope, Effect.fail(new Boom({ step: "the command" })))
        expect(exit._tag).toBe("Failure")
        expect(second.claim).toEqual(claimed)
        expect(waited).toBe(true)
        // the other process completed it: its answer replays here
        const marks = yield* Ref.make<ReadonlyArray<string>>([])
        const store = yield* Effect.context<Transactor | IdempotencyKeys>()
        expect(yield* request(store, "replay", scope, "never stored", marks)).toEqual(completed("second's answer"))
      }).pipe(Effect.provide(SqlStore.layerSqlite({ filename: file })))
    },
    60_000
  )

  it.effect("a rollback leaves no row behind", () => {
    const file = tempFile("idempotency-norow.sqlite")
    const scope = freshScope()
    return Effect.gen(function* () {
      const store = yield* Effect.context<Transactor | IdempotencyKeys>()
      const marks = yield* Ref.make<ReadonlyArray<string>>([])
      const failed = yield* Effect.flip(
        request(store, "first", scope, "rolled back", marks, Effect.fail(new Boom({ step: "the command" })))
      )
      expect(failed).toBeInstanceOf(Boom)
      const SQLite = (yield* Effect.promise(() => import("better-sqlite3"))).default
      const other = new SQLite(file)
      try {
        const count = other
          .prepare("select count(*) from idempotency_keys where community_id = ? and idem_key = ?")
          .pluck()
          .get(scope.communityId, scope.key)
        expect(count).toBe(0)
      } finally {
        other.close()
      }
      expect(yield* request(store, "second", scope, "second's answer", marks)).toEqual(claimed)
    }).pipe(Effect.provide(SqlStore.layerSqlite({ filename: file })))
  })
})
