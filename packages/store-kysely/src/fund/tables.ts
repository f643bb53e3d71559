/**
 * The tables of the fund (see `migrations/0007_fund.ts`).
 *
 * Scalars are columns; the nested parts of a round (its candidates, outcome, objections,
 * sign-offs and holds) and a community's sign-off rules are JSON text in their
 * `Schema`-encoded form, read back and decoded with core's schemas together with the columns
 * (`FundSettings`, `Product`, `SubFund`, `FundEntry`, `AllocationRound`), so a row that does not
 * decode is a defect, never a record. Amounts, versions and times (UTC epoch milliseconds) are
 * 64-bit integers, which the drivers return as a number or a string (PostgreSQL `int8`): the
 * adapter converts them with `toSafeInteger`. Booleans are `smallint` 0 or 1, as in the ledger.
 *
 * @module
 */
import type { ColumnType } from "kysely"

/** A 64-bit integer column: a number when written, a number, string or bigint when read. */
type Int64 = ColumnType<number | string | bigint, number, number>
/** A nullable 64-bit integer column. */
type NullableInt64 = ColumnType<number | string | bigint | null, number | null, number | null>

/** `fund_settings`: one row per community that set its fund rules. Primary key `(community_id)`. */
export interface FundSettingsTable {
  readonly community_id: string
  readonly notice_days: number
  /** The sign-off rules, the JSON of `Schema.encode(Schema.Array(SignOffRule))`. */
  readonly sign_off: string
  /** Starts at 1; replaced only where the stored version is the previous one. */
  readonly version: Int64
}

/**
 * `fund_products`: Candy Commune's products. Primary key `(community_id, id)`, unique
 * `(community_id, sku)` (a SKU once per community).
 */
export interface FundProductsTable {
  readonly community_id: string
  readonly id: string
  readonly sku: string
  readonly name: string
  /** The list price in fen. */
  readonly unit_price: Int64
  readonly active: ColumnType<number | string, number, number>
  readonly version: Int64
  readonly created_at: Int64
}

/** `fund_sub_funds`: earmarked sub-funds, written once. Primary key `(community_id, code)`. */
export interface FundSubFundsTable {
  readonly community_id: string
  readonly code: string
  readonly name: string
  readonly purpose: string
  readonly created_at: Int64
}

/**
 * `fund_entries`: money entries, written once. Primary key `(community_id, id)`; indexes
 * `(community_id, occurred_at, id)` (the list's order) and `(community_id, kind, occurred_at,
 * id)` (the kind filter in that order).
 */
export interface FundEntriesTable {
  readonly community_id: string
  /** The ledger transfer's id. */
  readonly id: string
  readonly kind: string
  readonly amount: Int64
  readonly product_id: string | null
  readonly quantity: NullableInt64
  readonly sub_fund: string | null
  readonly counterparty: string | null
  readonly note: string
  readonly occurred_at: Int64
  readonly recorded_by: string
}

/**
 * `fund_rounds`: allocation rounds. Primary key `(community_id, id)`; index `(community_id,
 * status, id)` for the status filter. Replaced only where the stored version is the previous one.
 */
export interface FundRoundsTable {
  readonly community_id: string
  readonly id: string
  readonly version: Int64
  readonly status: string
  readonly title: string
  readonly purpose: string
  readonly pool: Int64
  readonly reserve_basis_points: number
  readonly sub_fund: string | null
  /** JSON: the encoded candidates (up to 1,000). */
  readonly candidates: string
  /** JSON: the encoded outcome, or `NULL` before submission. */
  readonly outcome: string | null
  readonly required_approvals: number | null
  readonly authored_by: string
  readonly notice_starts_at: NullableInt64
  readonly notice_ends_at: NullableInt64
  /** JSON: the encoded objections. */
  readonly objections: string
  /** JSON: the encoded sign-offs. */
  readonly sign_offs: string
  /** JSON: the encoded holds. */
  readonly holds: string
  readonly scheduled_for: NullableInt64
  readonly closing_note: string | null
  readonly created_at: Int64
  readonly updated_at: Int64
}

/**
 * `fund_round_households`: the households with a candidate in a round, one row each, kept up to
 * date with every write of the round (the `householdId` filter of `listRounds`). Primary key
 * `(community_id, household_id, round_id)`, which is the filter's order; index `(community_id,
 * round_id)` to rewrite a round's rows; deleted with their round.
 */
export interface FundRoundHouseholdsTable {
  readonly community_id: string
  readonly round_id: string
  readonly household_id: string
}

/** The fund's tables, for `Kysely<FundDatabase>`. */
export interface FundDatabase {
  readonly fund_settings: FundSettingsTable
  readonly fund_products: FundProductsTable
  readonly fund_sub_funds: FundSubFundsTable
  readonly fund_entries: FundEntriesTable
  readonly fund_rounds: FundRoundsTable
  readonly fund_round_households: FundRoundHouseholdsTable
}
