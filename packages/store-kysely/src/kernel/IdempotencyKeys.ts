/**
 * Core's `IdempotencyKeys` port over SQL: one row of `idempotency_keys` per key, written in the
 * transaction of the command it protects.
 *
 * **Claim** (inside the command's transaction):
 *
 * 1. insert the key if it is absent, with this request's fingerprint, no response and its
 *    expiry: PostgreSQL and SQLite `INSERT … ON CONFLICT DO NOTHING`; MySQL/MariaDB a no-op
 *    `INSERT … ON DUPLICATE KEY UPDATE` (see `Capabilities.upsert`). A key inserted by another
 *    transaction that has not ended makes the insert wait for it: PostgreSQL and InnoDB wait on
 *    the uncommitted row, SQLite runs one transaction at a time. Nothing raises, so the caller's
 *    PostgreSQL transaction is never aborted by a duplicate key. A row that went in is `Claimed`.
 * 2. otherwise (and always on MySQL, whose upsert does not say whether it inserted), read the row
 *    with a locking read (`SELECT … FOR UPDATE` on PostgreSQL and MySQL: it waits for the row's
 *    lock and sees the latest committed version, not the transaction's snapshot) and decide:
 *    - expired (`expires_at` ≤ now) or without a response (a claim whose transaction committed
 *      without completing it, or this transaction's own): the row becomes this claim (fingerprint,
 *      expiry, no response): `Claimed`;
 *    - another fingerprint: `Mismatch`;
 *    - otherwise `Completed` with the stored response.
 *
 *    A row gone between the two steps (purged meanwhile) sends the claim back to step 1.
 *
 * A rollback removes the inserted row, or undoes the take-over, so the key is free again.
 * **Complete** stores the response on the row this transaction claimed. **Purge** deletes expired
 * rows, oldest first, at most `limit`: `DELETE … ORDER BY expires_at LIMIT n` on MySQL, a keyed
 * subquery elsewhere (PostgreSQL has no `DELETE … LIMIT`); the outer delete repeats the expiry
 * test, so a row a claim took over meanwhile (and whose lock the purge waited for) is kept.
 *
 * @module
 */
import type { IdempotencyClaim, IdempotencyKeys, IdempotencyScope } from "@commonweal/core"
import { Effect } from "effect"
import { sql, type Insertable, type WhereInterface } from "kysely"
import type { Connection } from "./Connection.js"
import { toSafeInteger } from "./Rows.js"
import type { IdempotencyKeysTable, KernelDatabase } from "./tables.js"

const claimed: IdempotencyClaim = { _tag: "Claimed" }
const mismatch: IdempotencyClaim = { _tag: "Mismatch" }

/** How often a claim goes back to the insert when the row vanished between insert and read. */
const MAX_CLAIM_ATTEMPTS = 5

/** Restricts a query to the row of `scope`. */
const ofScope = <Q extends WhereInterface<KernelDatabase, "idempotency_keys">>(query: Q, scope: IdempotencyScope): Q =>
  query
    .where("community_id", "=", scope.communityId)
    .where("subject", "=", scope.subject)
    .where("idem_key", "=", scope.key) as Q

const notClaimed = () =>
  new Error(
    "@commonweal/store-kysely: IdempotencyKeys.complete: the key was not claimed for this request in this transaction / " +
      "此幂等键未在本事务中为该请求认领"
  )

/** `IdempotencyKeys` over SQL (see the module documentation). */
export const makeIdempotencyKeys = (conn: Connection<KernelDatabase>): IdempotencyKeys["Service"] => {
  const { caps } = conn
  const keyColumns = ["community_id", "subject", "idem_key"] as const

  /** Step 1: inserts the key if absent; `true` when this call inserted it (never on MySQL, which cannot tell). */
  const insertIfAbsent = (row: Insertable<IdempotencyKeysTable>) =>
    conn.run((db) => {
      const insert = db.insertInto("idempotency_keys").values(row)
      return caps.upsert === "on conflict"
        ? insert
            .onConflict((oc) => oc.columns(keyColumns).doNothing())
            .executeTakeFirstOrThrow()
            .then((result) => result.numInsertedOrUpdatedRows !== 0n)
        : // a no-op update: an existing row is locked exclusively at once (see Capabilities.upsert)
          insert
            .onDuplicateKeyUpdate({ community_id: sql.ref("community_id") })
            .execute()
            .then(() => false)
    })

  /** Step 2: the row, locked until the transaction ends (PostgreSQL, MySQL). */
  const lockedRow = (scope: IdempotencyScope) =>
    conn.run((db) => {
      const query = ofScope(db.selectFrom("idempotency_keys").select(["fingerprint", "response", "expires_at"]), scope)
      return (caps.lockForUpdate ? query.forUpdate() : query).executeTakeFirst()
    })

  const takeOver = (scope: IdempotencyScope, fingerprint: string, expiresAt: number) =>
    conn.run((db) =>
      ofScope(
        db.updateTable("idempotency_keys").set({ fingerprint, expires_at: expiresAt, response: null }),
        scope
      ).execute()
    )

  const claim: IdempotencyKeys["Service"]["claim"] = ({ scope, fingerprint, now, expiresAt }) => {
    const row: Insertable<IdempotencyKeysTable> = {
      community_id: scope.communityId,
      subject: scope.subject,
      idem_key: scope.key,
      fingerprint,
      response: null,
      expires_at: expiresAt
    }
    const attempt = (n: number): Effect.Effect<IdempotencyClaim> =>
      Effect.gen(function* () {
        if (yield* insertIfAbsent(row)) return claimed
        const stored = yield* lockedRow(scope)
        if (stored === undefined) {
          if (n >= MAX_CLAIM_ATTEMPTS) {
            return yield* Effect.die(
              new Error(
                `@commonweal/store-kysely: IdempotencyKeys.claim: the key vanished ${n} times between insert and read / 幂等键反复消失`
              )
            )
          }
          return yield* attempt(n + 1)
        }
        if (toSafeInteger(stored.expires_at) <= now || stored.response === null) {
          yield* takeOver(scope, fingerprint, expiresAt)
          return claimed
        }
        if (stored.fingerprint !== fingerprint) return mismatch
        return { _tag: "Completed", response: stored.response } satisfies IdempotencyClaim
      })
    // inside the caller's transaction (joined); alone, its own, so the steps at least agree
    return conn.withTransaction(attempt(1))
  }

  const complete: IdempotencyKeys["Service"]["complete"] = (scope, fingerprint, response) =>
    conn
      .run((db) =>
        ofScope(db.updateTable("idempotency_keys").set({ response }), scope)
          .where("fingerprint", "=", fingerprint)
          .executeTakeFirst()
      )
      .pipe(Effect.flatMap((result) => (result.numUpdatedRows === 0n ? Effect.die(notClaimed()) : Effect.void)))

  const purgeExpired: IdempotencyKeys["Service"]["purgeExpired"] = (now, limit) => {
    const count = Math.floor(limit)
    if (!(count >= 1)) return Effect.succeed(0)
    return conn
      .run((db) => {
        if (caps.deleteWithLimit) {
          return db
            .deleteFrom("idempotency_keys")
            .where("expires_at", "<=", now)
            .orderBy("expires_at")
            .limit(count)
            .executeTakeFirst()
        }
        return db
          .deleteFrom("idempotency_keys")
          .where("expires_at", "<=", now)
          .where(({ eb, refTuple, selectFrom }) =>
            eb(
              refTuple("community_id", "subject", "idem_key"),
              "in",
              selectFrom("idempotency_keys as oldest")
                .select(["oldest.community_id", "oldest.subject", "oldest.idem_key"])
                .where("oldest.expires_at", "<=", now)
                .orderBy("oldest.expires_at")
                .orderBy("oldest.community_id")
                .orderBy("oldest.subject")
                .orderBy("oldest.idem_key")
                .limit(count)
                .$asTuple("community_id", "subject", "idem_key")
            )
          )
          .executeTakeFirst()
      })
      .pipe(Effect.map((result) => toSafeInteger(result.numDeletedRows)))
  }

  return { claim, complete, purgeExpired }
}
