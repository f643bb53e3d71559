/**
 * The tables of the workshop (see `migrations/0009_workshop.ts`).
 *
 * Scalars are columns; the nested parts of a record (a factory's subjects, a product's bill of
 * parts, an order's rates, quality rules, fair-pay check and low-rate acknowledgement, a period's
 * slips) are JSON text in their `Schema`-encoded form, read back and decoded with core's schemas
 * together with the columns (`WorkshopSettings`, `Factory`, `WorkProduct`, `WorkOrder`, `Worker`,
 * `Movement`, `PayLine`, `PayPeriod`, `Invoice`), so a row that does not decode is a defect, never
 * a record. Amounts, quantities, versions and times (UTC epoch milliseconds) are 64-bit integers,
 * which the drivers return as a number or a string (PostgreSQL `int8`): the adapter converts them
 * with `toSafeInteger`. Booleans are `smallint` 0 or 1.
 *
 * @module
 */
import type { ColumnType } from "kysely"

/** A 64-bit integer column: a number when written, a number, string or bigint when read. */
type Int64 = ColumnType<number | string | bigint, number, number>
/** A nullable 64-bit integer column. */
type NullableInt64 = ColumnType<number | string | bigint | null, number | null, number | null>

/** `workshop_settings`: one row per community that configured its workshop. Primary key `(community_id)`. */
export interface WorkshopSettingsTable {
  readonly community_id: string
  readonly minimum_hourly_wage_fen: Int64
  /** Starts at 1; replaced only where the stored version is the previous one. */
  readonly version: Int64
  readonly updated_at: Int64
}

/** `workshop_factories`: partner factories. Primary key `(community_id, id)`. */
export interface WorkshopFactoriesTable {
  readonly community_id: string
  readonly id: string
  readonly name: string
  readonly contact: string
  /** JSON: the subjects of the factory's staff (also one row each in `workshop_factory_subjects`). */
  readonly subjects: string
  readonly version: Int64
  readonly created_at: Int64
}

/**
 * `workshop_factory_subjects`: the subjects of each factory, one row each, kept up to date with
 * every write of the factory (what `findFactoryBySubject` looks up). Primary key `(community_id,
 * subject, factory_id)`, which is the lookup's order; index `(community_id, factory_id)` to
 * rewrite a factory's rows.
 */
export interface WorkshopFactorySubjectsTable {
  readonly community_id: string
  readonly subject: string
  readonly factory_id: string
}

/**
 * `workshop_products`: the products factories send for assembly. Primary key `(community_id,
 * id)`, unique `(community_id, sku)` (a SKU once per community).
 */
export interface WorkshopProductsTable {
  readonly community_id: string
  readonly id: string
  readonly factory_id: string
  readonly sku: string
  readonly name: string
  /** JSON: the encoded bill of parts. */
  readonly parts: string
  readonly standard_seconds: ColumnType<number | string, number, number>
  readonly version: Int64
  readonly created_at: Int64
}

/**
 * `workshop_orders`: work orders. Primary key `(community_id, id)`; indexes `(community_id,
 * factory_id, id)` and `(community_id, status, id)` for the filters of the list. Replaced only
 * where the stored version is the previous one.
 */
export interface WorkshopOrdersTable {
  readonly community_id: string
  readonly id: string
  readonly factory_id: string
  readonly product_id: string
  readonly sku: string
  readonly title: string
  readonly quantity: Int64
  readonly price_fen: Int64
  /** JSON: the encoded rate table. */
  readonly rates: string
  readonly deadline: Int64
  /** JSON: the encoded quality rules. */
  readonly quality: string
  /** JSON: the encoded fair-pay check. */
  readonly fair_pay: string
  /** JSON: the encoded acknowledgement of a low rate, or `NULL`. */
  readonly low_rate_acknowledgement: string | null
  readonly status: string
  readonly created_by: string
  readonly created_at: Int64
  readonly started_at: NullableInt64
  readonly version: Int64
}

/** `workshop_workers`: enrolled workers. Primary key `(community_id, id)`, unique `(community_id, resident_id)`. */
export interface WorkshopWorkersTable {
  readonly community_id: string
  readonly id: string
  readonly resident_id: string
  readonly display_name: string
  readonly active: ColumnType<number | string, number, number>
  readonly enrolled_at: Int64
  readonly version: Int64
}

/**
 * `workshop_movements`: movements of pieces, written once. Primary key `(community_id, id)`;
 * indexes `(community_id, occurred_at, id)`, `(community_id, order_id, occurred_at, id)` and
 * `(community_id, worker_id, occurred_at, id)` (the list's order, unfiltered and by order or
 * worker), and `(community_id, order_id, worker_id, kind, occurred_at, quantity)` and
 * `(community_id, worker_id, order_id, kind, occurred_at, quantity)`, which hold every column the
 * totals read, in their groups' order, so the totals of an order or a worker are an index-only
 * scan.
 */
export interface WorkshopMovementsTable {
  readonly community_id: string
  /** The ledger transfer's id. */
  readonly id: string
  readonly order_id: string
  readonly kind: string
  readonly worker_id: string | null
  readonly quantity: Int64
  readonly place: string | null
  readonly note: string
  readonly occurred_at: Int64
  readonly recorded_by: string
}

/**
 * `workshop_pay_lines`: pay lines. Primary key `(community_id, id)`; indexes `(community_id,
 * occurred_at, id)`, `(community_id, worker_id, occurred_at, id)`, `(community_id, status,
 * occurred_at, id)` and `(community_id, period_id, occurred_at, id)` (the list's order:
 * unfiltered, by worker, by status — the proposed deductions waiting for the coordinator — and by
 * period or not yet in one, which `assignPeriod` updates).
 * Replaced only where the stored version is the previous one.
 */
export interface WorkshopPayLinesTable {
  readonly community_id: string
  readonly id: string
  readonly worker_id: string
  readonly order_id: string | null
  readonly kind: string
  readonly status: string
  readonly quantity: NullableInt64
  readonly rate_fen: NullableInt64
  readonly amount_fen: Int64
  readonly movement_id: string | null
  readonly transfer_id: string | null
  readonly period_id: string | null
  readonly note: string
  readonly occurred_at: Int64
  readonly recorded_by: string
  readonly version: Int64
}

/** `workshop_periods`: pay periods. Primary key `(community_id, id)`. */
export interface WorkshopPeriodsTable {
  readonly community_id: string
  readonly id: string
  /** The period's `from` (inclusive). */
  readonly starts_at: Int64
  /** The period's `to` (exclusive). */
  readonly ends_at: Int64
  readonly status: string
  /** JSON: the encoded payslip totals. */
  readonly slips: string
  readonly closed_by: string
  readonly closed_at: Int64
  readonly paid_at: NullableInt64
  readonly version: Int64
}

/**
 * `workshop_invoices`: invoices to factories. Primary key `(community_id, id)`, unique
 * `(community_id, invoice_number)`; indexes `(community_id, factory_id, id)` and `(community_id,
 * order_id, id)` for the filters of the list.
 */
export interface WorkshopInvoicesTable {
  readonly community_id: string
  readonly id: string
  readonly factory_id: string
  readonly order_id: string
  readonly invoice_number: string
  readonly pieces: Int64
  readonly price_fen: Int64
  readonly amount_fen: Int64
  readonly status: string
  readonly issued_at: Int64
  readonly paid_at: NullableInt64
  readonly version: Int64
}

/** The workshop's tables, for `Kysely<WorkshopDatabase>`. */
export interface WorkshopDatabase {
  readonly workshop_settings: WorkshopSettingsTable
  readonly workshop_factories: WorkshopFactoriesTable
  readonly workshop_factory_subjects: WorkshopFactorySubjectsTable
  readonly workshop_products: WorkshopProductsTable
  readonly workshop_orders: WorkshopOrdersTable
  readonly workshop_workers: WorkshopWorkersTable
  readonly workshop_movements: WorkshopMovementsTable
  readonly workshop_pay_lines: WorkshopPayLinesTable
  readonly workshop_periods: WorkshopPeriodsTable
  readonly workshop_invoices: WorkshopInvoicesTable
}
