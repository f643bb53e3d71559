/**
 * `0001_outbox`: the outbox and its heads (split out of the single migration
 * `0001_residents_and_outbox` of earlier versions; the same tables, columns and keys).
 *
 * `sequence` is an ordinary column the adapter fills from the community's row in
 * `outbox_heads` (see `makeOutbox`), not an auto-increment: a database counter is taken at
 * insert time, so a transaction that commits late would publish a sequence below one a reader
 * has already passed.
 *
 * @module
 */
import { sql } from "kysely"
import { type AnyDb, ID, type MigrationFor, withOptions } from "../Ddl.js"
import { capabilities } from "../Dialect.js"

/** Creates `outbox_heads` and `outbox`. */
export const m0001Outbox: MigrationFor = (dialect) => ({
  async up(db: AnyDb) {
    await withOptions(
      dialect,
      db.schema
        .createTable("outbox_heads")
        .addColumn("community_id", ID, (c) => c.primaryKey())
        .addColumn("last_sequence", "bigint", (c) => c.notNull())
    ).execute()
    await withOptions(
      dialect,
      db.schema
        .createTable("outbox")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("sequence", "bigint", (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("type", sql`varchar(100)`, (c) => c.notNull())
        .addColumn("aggregate_type", sql`varchar(100)`, (c) => c.notNull())
        .addColumn("aggregate_id", sql`varchar(100)`, (c) => c.notNull())
        .addColumn("aggregate_version", "integer", (c) => c.notNull())
        .addColumn("occurred_at", sql`varchar(32)`, (c) => c.notNull())
        // Actor.subject has no length limit
        .addColumn("actor", capabilities(dialect).documentType, (c) => c.notNull())
        .addColumn("payload", capabilities(dialect).documentType, (c) => c.notNull())
        .addPrimaryKeyConstraint("outbox_pk", ["community_id", "sequence"])
    ).execute()
  },
  async down(db: AnyDb) {
    for (const table of ["outbox", "outbox_heads"]) {
      await db.schema.dropTable(table).ifExists().execute()
    }
  }
})
