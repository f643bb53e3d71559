/**
 * `0004_idempotency_keys`: the table of `IdempotencyKeys` (see `makeIdempotencyKeys`).
 *
 * The primary key `(community_id, subject, idem_key)` is what a claim inserts against (a second
 * claimer waits for the first one's transaction on it); `expires_at` (epoch milliseconds) is
 * indexed for the purge, which runs across communities, oldest first.
 *
 * Subjects and keys compare exactly (case, accents, trailing spaces): `varchar(200)` and
 * `varchar(255)`, except on MySQL/MariaDB, whose binary collation ignores trailing spaces, where
 * they are `varbinary(800)` and `varbinary(1020)` (4 bytes a character; see
 * `Capabilities.exactText`). The key then takes at most 36 × 4 + 800 + 1020 = 1,964 bytes,
 * within InnoDB's 3,072-byte limit.
 *
 * @module
 */
import { sql } from "kysely"
import { type AnyDb, ID, type MigrationFor, withOptions } from "../Ddl.js"
import { capabilities } from "../Dialect.js"

/** Creates `idempotency_keys` and its `expires_at` index. */
export const m0004IdempotencyKeys: MigrationFor = (dialect) => ({
  async up(db: AnyDb) {
    await withOptions(
      dialect,
      db.schema
        .createTable("idempotency_keys")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("subject", capabilities(dialect).exactText(200), (c) => c.notNull())
        .addColumn("idem_key", capabilities(dialect).exactText(255), (c) => c.notNull())
        .addColumn("fingerprint", sql`varchar(128)`, (c) => c.notNull())
        .addColumn("response", capabilities(dialect).documentType)
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("idempotency_keys_pk", ["community_id", "subject", "idem_key"])
    ).execute()
    await db.schema.createIndex("idempotency_keys_expires_idx").on("idempotency_keys").column("expires_at").execute()
  },
  async down(db: AnyDb) {
    await db.schema.dropTable("idempotency_keys").ifExists().execute()
  }
})
