/**
 * The rows of `ledger_transfers` as the ledger benchmarks write them raw (`bench:ledger`,
 * `bench:ledger-floor`): its 18 columns in order, their column types (those of migration
 * `0005_ledger`) and element types for `unnest`, and the data every transfer shares.
 *
 * @module
 */
import { hex } from "./common.js"

/** The 18 columns of `ledger_transfers`, in its order. */
export const COLUMNS = [
  "community_id",
  "id",
  "sequence",
  "kind",
  "debit_account_id",
  "credit_account_id",
  "amount",
  "unit",
  "code",
  "reason",
  "pending_id",
  "expires_at",
  "reverses",
  "batch_id",
  "timestamp",
  "fingerprint",
  "previous_hash",
  "hash"
] as const

/** The column types of migration `0005_ledger` (varchar(36) ids, bigint amounts, varchar(64) hashes). */
export const COLUMN_TYPES = [
  "varchar(36) not null",
  "varchar(36) not null",
  "bigint not null",
  "varchar(16) not null",
  "varchar(36) not null",
  "varchar(36) not null",
  "bigint not null",
  "varchar(40) not null",
  "integer not null",
  "varchar(140) not null",
  "varchar(36)",
  "bigint",
  "varchar(36)",
  "varchar(36)",
  "bigint not null",
  "varchar(64) not null",
  "varchar(64) not null",
  "varchar(64) not null"
]

/** The PostgreSQL element types of the columns, for `unnest($1::type[], …)`. */
export const UNNEST_TYPES = COLUMN_TYPES.map((t) =>
  t.startsWith("bigint") ? "int8" : t.startsWith("integer") ? "int4" : "text"
)

/** The column list of an `INSERT`, with `"timestamp"` quoted. */
export const COLUMN_LIST = COLUMNS.map((c) => (c === "timestamp" ? '"timestamp"' : c)).join(", ")

/** `create table` of a transfers table with these columns and types, with or without the keys. */
export const createTransfersTable = (table: string, keys: boolean) =>
  `create table ${table} (${COLUMNS.map((c, i) => `${c === "timestamp" ? '"timestamp"' : c} ${COLUMN_TYPES[i]}`).join(", ")}${
    keys ? ", primary key (community_id, id), unique (community_id, sequence)" : ""
  })`

/** Every transfer's reason: 17 characters, some Chinese. */
export const REASON = "时间银行：陪同就医 2 hours"

/** A lower-case UUIDv7-shaped id: `prefix` (8 hex digits) tells the kind, `n` the number. */
export const uuid = (prefix: number, n: number) =>
  `${hex(prefix, 8)}-${hex(Math.floor(n / 2 ** 48) & 0xfff, 4)}-7000-8000-${hex(n % 2 ** 48, 12)}`
