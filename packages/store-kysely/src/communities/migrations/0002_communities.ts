/**
 * `0002_communities`: the communities table (split out of the single migration
 * `0001_residents_and_outbox` of earlier versions; the same table, columns and key).
 *
 * @module
 */
import { sql } from "kysely"
import { type AnyDb, ID, type MigrationFor, withOptions } from "../../kernel/Ddl.js"
import { capabilities } from "../../kernel/Dialect.js"

/** Creates `communities`. */
export const m0002Communities: MigrationFor = (dialect) => ({
  async up(db: AnyDb) {
    await withOptions(
      dialect,
      db.schema
        .createTable("communities")
        .addColumn("community_id", ID, (c) => c.primaryKey())
        .addColumn("name", sql`varchar(200)`, (c) => c.notNull())
        .addColumn("name_en", sql`varchar(200)`)
        .addColumn("time_zone", sql`varchar(64)`, (c) => c.notNull())
        .addColumn("grids", capabilities(dialect).documentType, (c) => c.notNull())
        .addColumn("created_at", sql`varchar(32)`, (c) => c.notNull())
    ).execute()
  },
  async down(db: AnyDb) {
    await db.schema.dropTable("communities").ifExists().execute()
  }
})
