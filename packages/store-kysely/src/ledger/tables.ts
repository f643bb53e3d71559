/**
 * The tables of the ledger (see `migrations/0005_ledger.ts` and `migrations/0006_ledger_speed.ts`).
 *
 * Every column is a scalar: an account or a transfer is read back from its columns and decoded
 * with core's schema (no JSON document beside them), so nothing is stored twice. Amounts, totals,
 * sequences and times (UTC epoch milliseconds) are 64-bit integers, which the drivers return as a
 * number (SQLite, MySQL with `supportBigNumbers`) or a string (PostgreSQL `int8`): the adapter
 * converts them with `toSafeInteger`. Booleans are `smallint` 0 or 1 (better-sqlite3 binds no
 * booleans, and the three databases return them differently).
 *
 * There are no foreign keys between the ledger's tables: the engine (`LedgerRules`) decides what
 * may be written, under the community's lock, and a foreign key would cost every insert of a
 * 1,000-transfer batch a lookup per row and per key.
 *
 * @module
 */
import type { ColumnType } from "kysely"

/**
 * `ledger_accounts`: one row per account. Primary key `(community_id, id)`. Updated only where
 * `version` is the previous one (optimistic versions).
 */
export interface LedgerAccountsTable {
  readonly community_id: string
  readonly id: string
  /** `CNY`, `MIN` or `PCS:<SKU>`. */
  readonly unit: string
  /** `asset`, `liability`, `equity`, `income` or `expense`. */
  readonly kind: string
  /** `community`, `resident`, `household`, `workshop` or `subfund`. */
  readonly owner_type: string
  readonly owner_id: string
  /** Colon-separated lower-case segments (`fund:general`). */
  readonly name: string
  readonly debits_must_not_exceed_credits: ColumnType<number | string, number, number>
  readonly credits_must_not_exceed_debits: ColumnType<number | string, number, number>
  /** The upper bound of the balance on the account's normal side, or `NULL` for none. */
  readonly upper_bound: ColumnType<number | string | bigint | null, number | null, number | null>
  readonly closed: ColumnType<number | string, number, number>
  readonly debits_posted: ColumnType<number | string | bigint, number, number>
  readonly debits_pending: ColumnType<number | string | bigint, number, number>
  readonly credits_posted: ColumnType<number | string | bigint, number, number>
  readonly credits_pending: ColumnType<number | string | bigint, number, number>
  /** Starts at 1; each write that changes totals or flags adds 1. */
  readonly version: ColumnType<number | string | bigint, number, number>
  /** UTC epoch milliseconds. */
  readonly opened_at: ColumnType<number | string | bigint, number, number>
}

/**
 * `ledger_transfers`: the immutable transfers. Primary key `(community_id, id)`, unique
 * `(community_id, sequence)` (the hash chain). An account's history is found through
 * {@link LedgerPostingsTable} (since `0006_ledger_speed`; `0005_ledger` had two account indexes
 * here).
 */
export interface LedgerTransfersTable {
  readonly community_id: string
  readonly id: string
  /** Position in the community's hash chain, from 1. */
  readonly sequence: ColumnType<number | string | bigint, number, number>
  /** `posted`, `pending`, `post_pending` or `void_pending`. */
  readonly kind: string
  readonly debit_account_id: string
  readonly credit_account_id: string
  readonly amount: ColumnType<number | string | bigint, number, number>
  readonly unit: string
  readonly code: number
  readonly reason: string
  /** The hold a `post_pending` or `void_pending` resolves. */
  readonly pending_id: string | null
  /** When a `pending` hold expires (UTC epoch ms). */
  readonly expires_at: ColumnType<number | string | bigint | null, number | null, number | null>
  /** The transfer this one reverses. */
  readonly reverses: string | null
  readonly batch_id: string | null
  /** When the engine applied it (UTC epoch ms). */
  readonly timestamp: ColumnType<number | string | bigint, number, number>
  /** SHA-256 (hex) of the request's canonical encoding. */
  readonly fingerprint: string
  readonly previous_hash: string
  readonly hash: string
}

/**
 * `ledger_holds`: the mutable side of each pending transfer. Primary key `(community_id,
 * transfer_id)`, index `(community_id, status, expires_at)` to find the holds that expire.
 */
export interface LedgerHoldsTable {
  readonly community_id: string
  /** The pending transfer. */
  readonly transfer_id: string
  /** `pending`, `posted`, `voided` or `expired`. */
  readonly status: string
  /** The `post_pending` or `void_pending` transfer that resolved it. */
  readonly resolved_by: string | null
  /** The pending transfer's `expires_at`, copied here for the expiry index. */
  readonly expires_at: ColumnType<number | string | bigint | null, number | null, number | null>
}

/**
 * `ledger_postings`: one row per side of a transfer, for an account's history. Primary key
 * `(community_id, account_id, sequence)` (SQLite: `WITHOUT ROWID`). Written in arrears: every
 * transfer up to `ledger_heads.indexed_sequence` has its two rows; later ones are read from
 * `ledger_transfers` by sequence.
 */
export interface LedgerPostingsTable {
  readonly community_id: string
  /** The debited or the credited account. */
  readonly account_id: string
  /** The transfer's `sequence`. */
  readonly sequence: ColumnType<number | string | bigint, number, number>
}

/** `ledger_reversals`: which transfer reversed which. Primary key `(community_id, original_id)`: once each. */
export interface LedgerReversalsTable {
  readonly community_id: string
  readonly original_id: string
  readonly reversal_id: string
}

/**
 * `ledger_heads`: the head of each community's hash chain. Primary key `(community_id)`. Every
 * write of a community's ledger locks its row first (`SELECT … FOR UPDATE`), so one writer per
 * community runs at a time.
 */
export interface LedgerHeadsTable {
  readonly community_id: string
  /** The last sequence (`0` for none). */
  readonly sequence: ColumnType<number | string | bigint, number, number>
  /** The last transfer's hash (64 zeros for none). */
  readonly hash: string
  /** The sequence up to which `ledger_postings` holds the community's transfers (`0` for none). */
  readonly indexed_sequence: ColumnType<number | string | bigint, number | undefined, number>
}

/** The ledger's tables, for `Kysely<LedgerDatabase>`. */
export interface LedgerDatabase {
  readonly ledger_accounts: LedgerAccountsTable
  readonly ledger_transfers: LedgerTransfersTable
  readonly ledger_holds: LedgerHoldsTable
  readonly ledger_reversals: LedgerReversalsTable
  readonly ledger_heads: LedgerHeadsTable
  readonly ledger_postings: LedgerPostingsTable
}
