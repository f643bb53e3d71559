/**
 * `0007_fund`: the fund's tables and indexes (see `../tables.ts`): settings, products, sub-funds,
 * money entries, allocation rounds and the households of each round. Every key and index leads
 * with `community_id`.
 *
 * Amounts, versions and times are `bigint`; ids `varchar(36)`; codes and SKUs `varchar(32)`;
 * single-line texts `varchar(n)` of their schema's limit in code points (PostgreSQL and MySQL
 * count characters, SQLite does not limit). The nested parts of a round and the sign-off rules
 * are JSON text of the dialect's document type (`mediumtext` on MySQL/MariaDB: 1,000
 * candidates outgrow `text`'s 64 KiB), as are subjects, which have no length limit.
 *
 * Sub-fund codes are listed in code-unit order, which PostgreSQL gives only with the `C`
 * collation (see {@link ORDERED_CODE}); ids are UUIDs of one shape, ordered alike by any collation.
 *
 * The SKU of a product is unique per community (`fund_products_sku_uq`): a second product with
 * the same SKU is refused by the database, which the repository reports as `Conflict` duplicate.
 *
 * @module
 */
import { type RawBuilder, sql } from "kysely"
import { type AnyDb, ID, type MigrationFor, withOptions } from "../../kernel/Ddl.js"
import { capabilities, type Dialect } from "../../kernel/Dialect.js"

/** The column type of codes and SKUs (at most 32 characters). */
const CODE = sql`varchar(32)`

/**
 * The column type of the codes a list is ordered by (sub-funds): compared by code unit on every
 * dialect, as the port promises (`-` before digits before letters). SQLite's default collation
 * and MySQL's `utf8mb4_bin` (the table options) already do; PostgreSQL's follows the database's
 * locale (`en_US.UTF-8` ignores `-`), so the column takes the `C` collation there.
 */
const ORDERED_CODE: Readonly<Record<Dialect, RawBuilder<unknown>>> = {
  sqlite: CODE,
  postgres: sql`varchar(32) collate "C"`,
  mysql: CODE
}
/** The column type of kinds and statuses. */
const KIND = sql`varchar(16)`

/** Creates the fund's tables and their indexes. */
export const m0007Fund: MigrationFor = (dialect) => ({
  async up(db: AnyDb) {
    const DOCUMENT = capabilities(dialect).documentType

    await withOptions(
      dialect,
      db.schema
        .createTable("fund_settings")
        .addColumn("community_id", ID, (c) => c.primaryKey())
        .addColumn("notice_days", "integer", (c) => c.notNull())
        .addColumn("sign_off", DOCUMENT, (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("fund_products")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("sku", CODE, (c) => c.notNull())
        .addColumn("name", sql`varchar(60)`, (c) => c.notNull())
        .addColumn("unit_price", "bigint", (c) => c.notNull())
        .addColumn("active", "smallint", (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("fund_products_pk", ["community_id", "id"])
        .addUniqueConstraint("fund_products_sku_uq", ["community_id", "sku"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("fund_sub_funds")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("code", ORDERED_CODE[dialect], (c) => c.notNull())
        .addColumn("name", sql`varchar(60)`, (c) => c.notNull())
        .addColumn("purpose", sql`varchar(200)`, (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("fund_sub_funds_pk", ["community_id", "code"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("fund_entries")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("kind", KIND, (c) => c.notNull())
        .addColumn("amount", "bigint", (c) => c.notNull())
        .addColumn("product_id", ID)
        .addColumn("quantity", "bigint")
        .addColumn("sub_fund", CODE)
        .addColumn("counterparty", sql`varchar(80)`)
        .addColumn("note", sql`varchar(140)`, (c) => c.notNull())
        .addColumn("occurred_at", "bigint", (c) => c.notNull())
        .addColumn("recorded_by", DOCUMENT, (c) => c.notNull())
        .addPrimaryKeyConstraint("fund_entries_pk", ["community_id", "id"])
    ).execute()
    await db.schema
      .createIndex("fund_entries_time_idx")
      .on("fund_entries")
      .columns(["community_id", "occurred_at", "id"])
      .execute()
    await db.schema
      .createIndex("fund_entries_kind_idx")
      .on("fund_entries")
      .columns(["community_id", "kind", "occurred_at", "id"])
      .execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("fund_rounds")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("status", KIND, (c) => c.notNull())
        .addColumn("title", sql`varchar(80)`, (c) => c.notNull())
        .addColumn("purpose", sql`varchar(500)`, (c) => c.notNull())
        .addColumn("pool", "bigint", (c) => c.notNull())
        .addColumn("reserve_basis_points", "integer", (c) => c.notNull())
        .addColumn("sub_fund", CODE)
        .addColumn("candidates", DOCUMENT, (c) => c.notNull())
        .addColumn("outcome", DOCUMENT)
        .addColumn("required_approvals", "integer")
        .addColumn("authored_by", DOCUMENT, (c) => c.notNull())
        .addColumn("notice_starts_at", "bigint")
        .addColumn("notice_ends_at", "bigint")
        .addColumn("objections", DOCUMENT, (c) => c.notNull())
        .addColumn("sign_offs", DOCUMENT, (c) => c.notNull())
        .addColumn("holds", DOCUMENT, (c) => c.notNull())
        .addColumn("scheduled_for", "bigint")
        .addColumn("closing_note", sql`varchar(200)`)
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("fund_rounds_pk", ["community_id", "id"])
    ).execute()
    await db.schema
      .createIndex("fund_rounds_status_idx")
      .on("fund_rounds")
      .columns(["community_id", "status", "id"])
      .execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("fund_round_households")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("household_id", ID, (c) => c.notNull())
        .addColumn("round_id", ID, (c) => c.notNull())
        .addPrimaryKeyConstraint("fund_round_households_pk", ["community_id", "household_id", "round_id"])
        .addForeignKeyConstraint(
          "fund_round_households_round_fk",
          ["community_id", "round_id"],
          "fund_rounds",
          ["community_id", "id"],
          (fk) => fk.onDelete("cascade")
        )
    ).execute()
    await db.schema
      .createIndex("fund_round_households_round_idx")
      .on("fund_round_households")
      .columns(["community_id", "round_id"])
      .execute()
  },
  async down(db: AnyDb) {
    for (const table of [
      "fund_round_households",
      "fund_rounds",
      "fund_entries",
      "fund_sub_funds",
      "fund_products",
      "fund_settings"
    ]) {
      await db.schema.dropTable(table).ifExists().execute()
    }
  }
})
