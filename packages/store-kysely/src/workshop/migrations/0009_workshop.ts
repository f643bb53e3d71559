/**
 * `0009_workshop`: the workshop's tables and indexes (see `../tables.ts`): settings, factories
 * and their subjects, products, work orders, workers, movements of pieces, pay lines, pay periods
 * and invoices. Every key and index leads with `community_id`.
 *
 * Amounts, quantities, versions and times are `bigint`; ids `varchar(36)`; SKUs `varchar(32)`;
 * kinds and statuses `varchar(24)`; single-line texts `varchar(n)` of their schema's limit in
 * code points (PostgreSQL and MySQL count characters, SQLite does not limit). The nested parts of
 * a record (subjects, parts, rates, quality rules, fair pay, acknowledgement, slips) and actor
 * subjects, which have no length limit, are JSON or text of the dialect's document type
 * (`mediumtext` on MySQL/MariaDB). A factory's subjects are also rows of
 * `workshop_factory_subjects`, compared exactly (`Capabilities.exactText`).
 *
 * Movements are what grows (a million and more): besides the list's indexes they have two that
 * hold every column their totals read, grouped as the totals group them (by order, and by worker),
 * so `movementTotals` of an order or a worker reads one index range and no table row.
 *
 * A product's SKU and a worker's resident are unique per community (`workshop_products_sku_uq`,
 * `workshop_workers_resident_uq`), as is an invoice's number (`workshop_invoices_number_uq`: two
 * invoices issued at once cannot take the same number): a second is refused by the database,
 * which the repository reports as `Conflict` duplicate.
 *
 * @module
 */
import { sql } from "kysely"
import { type AnyDb, ID, type MigrationFor, withOptions } from "../../kernel/Ddl.js"
import { capabilities } from "../../kernel/Dialect.js"

/** The column type of SKUs and invoice numbers (at most 32 characters). */
const CODE = sql`varchar(32)`
/** The column type of kinds, statuses and places (`return_to_factory` is the longest). */
const KIND = sql`varchar(24)`

/** Creates the workshop's tables and their indexes. */
export const m0009Workshop: MigrationFor = (dialect) => ({
  async up(db: AnyDb) {
    const caps = capabilities(dialect)
    const DOCUMENT = caps.documentType

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_settings")
        .addColumn("community_id", ID, (c) => c.primaryKey())
        .addColumn("minimum_hourly_wage_fen", "bigint", (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_factories")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("name", sql`varchar(80)`, (c) => c.notNull())
        .addColumn("contact", sql`varchar(120)`, (c) => c.notNull())
        .addColumn("subjects", DOCUMENT, (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("workshop_factories_pk", ["community_id", "id"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_factory_subjects")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("subject", caps.exactText(200), (c) => c.notNull())
        .addColumn("factory_id", ID, (c) => c.notNull())
        .addPrimaryKeyConstraint("workshop_factory_subjects_pk", ["community_id", "subject", "factory_id"])
        .addForeignKeyConstraint(
          "workshop_factory_subjects_factory_fk",
          ["community_id", "factory_id"],
          "workshop_factories",
          ["community_id", "id"],
          (fk) => fk.onDelete("cascade")
        )
    ).execute()
    await db.schema
      .createIndex("workshop_factory_subjects_factory_idx")
      .on("workshop_factory_subjects")
      .columns(["community_id", "factory_id"])
      .execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_products")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("factory_id", ID, (c) => c.notNull())
        .addColumn("sku", CODE, (c) => c.notNull())
        .addColumn("name", sql`varchar(80)`, (c) => c.notNull())
        .addColumn("parts", DOCUMENT, (c) => c.notNull())
        .addColumn("standard_seconds", "integer", (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("workshop_products_pk", ["community_id", "id"])
        .addUniqueConstraint("workshop_products_sku_uq", ["community_id", "sku"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_orders")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("factory_id", ID, (c) => c.notNull())
        .addColumn("product_id", ID, (c) => c.notNull())
        .addColumn("sku", CODE, (c) => c.notNull())
        .addColumn("title", sql`varchar(80)`, (c) => c.notNull())
        .addColumn("quantity", "bigint", (c) => c.notNull())
        .addColumn("price_fen", "bigint", (c) => c.notNull())
        .addColumn("rates", DOCUMENT, (c) => c.notNull())
        .addColumn("deadline", "bigint", (c) => c.notNull())
        .addColumn("quality", DOCUMENT, (c) => c.notNull())
        .addColumn("fair_pay", DOCUMENT, (c) => c.notNull())
        .addColumn("low_rate_acknowledgement", DOCUMENT)
        .addColumn("status", KIND, (c) => c.notNull())
        .addColumn("created_by", DOCUMENT, (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("started_at", "bigint")
        .addColumn("version", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("workshop_orders_pk", ["community_id", "id"])
    ).execute()
    await db.schema
      .createIndex("workshop_orders_factory_idx")
      .on("workshop_orders")
      .columns(["community_id", "factory_id", "id"])
      .execute()
    await db.schema
      .createIndex("workshop_orders_status_idx")
      .on("workshop_orders")
      .columns(["community_id", "status", "id"])
      .execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_workers")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("resident_id", ID, (c) => c.notNull())
        .addColumn("display_name", sql`varchar(60)`, (c) => c.notNull())
        .addColumn("active", "smallint", (c) => c.notNull())
        .addColumn("enrolled_at", "bigint", (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("workshop_workers_pk", ["community_id", "id"])
        .addUniqueConstraint("workshop_workers_resident_uq", ["community_id", "resident_id"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_movements")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("order_id", ID, (c) => c.notNull())
        .addColumn("kind", KIND, (c) => c.notNull())
        .addColumn("worker_id", ID)
        .addColumn("quantity", "bigint", (c) => c.notNull())
        .addColumn("place", KIND)
        .addColumn("note", sql`varchar(140)`, (c) => c.notNull())
        .addColumn("occurred_at", "bigint", (c) => c.notNull())
        .addColumn("recorded_by", DOCUMENT, (c) => c.notNull())
        .addPrimaryKeyConstraint("workshop_movements_pk", ["community_id", "id"])
    ).execute()
    await db.schema
      .createIndex("workshop_movements_time_idx")
      .on("workshop_movements")
      .columns(["community_id", "occurred_at", "id"])
      .execute()
    await db.schema
      .createIndex("workshop_movements_order_idx")
      .on("workshop_movements")
      .columns(["community_id", "order_id", "occurred_at", "id"])
      .execute()
    await db.schema
      .createIndex("workshop_movements_worker_idx")
      .on("workshop_movements")
      .columns(["community_id", "worker_id", "occurred_at", "id"])
      .execute()
    await db.schema
      .createIndex("workshop_movements_order_totals_idx")
      .on("workshop_movements")
      .columns(["community_id", "order_id", "worker_id", "kind", "occurred_at", "quantity"])
      .execute()
    await db.schema
      .createIndex("workshop_movements_worker_totals_idx")
      .on("workshop_movements")
      .columns(["community_id", "worker_id", "order_id", "kind", "occurred_at", "quantity"])
      .execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_pay_lines")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("worker_id", ID, (c) => c.notNull())
        .addColumn("order_id", ID)
        .addColumn("kind", KIND, (c) => c.notNull())
        .addColumn("status", KIND, (c) => c.notNull())
        .addColumn("quantity", "bigint")
        .addColumn("rate_fen", "bigint")
        .addColumn("amount_fen", "bigint", (c) => c.notNull())
        .addColumn("movement_id", ID)
        .addColumn("transfer_id", ID)
        .addColumn("period_id", ID)
        .addColumn("note", sql`varchar(140)`, (c) => c.notNull())
        .addColumn("occurred_at", "bigint", (c) => c.notNull())
        .addColumn("recorded_by", DOCUMENT, (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("workshop_pay_lines_pk", ["community_id", "id"])
    ).execute()
    await db.schema
      .createIndex("workshop_pay_lines_time_idx")
      .on("workshop_pay_lines")
      .columns(["community_id", "occurred_at", "id"])
      .execute()
    await db.schema
      .createIndex("workshop_pay_lines_worker_idx")
      .on("workshop_pay_lines")
      .columns(["community_id", "worker_id", "occurred_at", "id"])
      .execute()
    await db.schema
      .createIndex("workshop_pay_lines_status_idx")
      .on("workshop_pay_lines")
      .columns(["community_id", "status", "occurred_at", "id"])
      .execute()
    await db.schema
      .createIndex("workshop_pay_lines_period_idx")
      .on("workshop_pay_lines")
      .columns(["community_id", "period_id", "occurred_at", "id"])
      .execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_periods")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("starts_at", "bigint", (c) => c.notNull())
        .addColumn("ends_at", "bigint", (c) => c.notNull())
        .addColumn("status", KIND, (c) => c.notNull())
        .addColumn("slips", DOCUMENT, (c) => c.notNull())
        .addColumn("closed_by", DOCUMENT, (c) => c.notNull())
        .addColumn("closed_at", "bigint", (c) => c.notNull())
        .addColumn("paid_at", "bigint")
        .addColumn("version", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("workshop_periods_pk", ["community_id", "id"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("workshop_invoices")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("factory_id", ID, (c) => c.notNull())
        .addColumn("order_id", ID, (c) => c.notNull())
        .addColumn("invoice_number", CODE, (c) => c.notNull())
        .addColumn("pieces", "bigint", (c) => c.notNull())
        .addColumn("price_fen", "bigint", (c) => c.notNull())
        .addColumn("amount_fen", "bigint", (c) => c.notNull())
        .addColumn("status", KIND, (c) => c.notNull())
        .addColumn("issued_at", "bigint", (c) => c.notNull())
        .addColumn("paid_at", "bigint")
        .addColumn("version", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("workshop_invoices_pk", ["community_id", "id"])
        .addUniqueConstraint("workshop_invoices_number_uq", ["community_id", "invoice_number"])
    ).execute()
    await db.schema
      .createIndex("workshop_invoices_factory_idx")
      .on("workshop_invoices")
      .columns(["community_id", "factory_id", "id"])
      .execute()
    await db.schema
      .createIndex("workshop_invoices_order_idx")
      .on("workshop_invoices")
      .columns(["community_id", "order_id", "id"])
      .execute()
  },
  async down(db: AnyDb) {
    for (const table of [
      "workshop_invoices",
      "workshop_periods",
      "workshop_pay_lines",
      "workshop_movements",
      "workshop_workers",
      "workshop_orders",
      "workshop_products",
      "workshop_factory_subjects",
      "workshop_factories",
      "workshop_settings"
    ]) {
      await db.schema.dropTable(table).ifExists().execute()
    }
  }
})
