/**
 * The kernel's tables: the outbox and the idempotency keys. Each domain declares its own tables
 * beside its repositories (`src/<domain>/tables.ts`); `src/Database.ts` joins them all.
 *
 * Every table carries `community_id` and leads its primary key with it, so tenancy is in the data
 * and a distributed PostgreSQL (Citus) can shard by community without code changes.
 *
 * @module
 */
import type { ColumnType } from "kysely"

/**
 * `outbox_heads`: the last sequence given to an event of each community. Primary key
 * `(community_id)`. An append increments it in the appending transaction, which keeps the row
 * locked until it commits (see `makeOutbox`).
 */
export interface OutboxHeadsTable {
  readonly community_id: string
  /** The drivers return 64-bit integers as a number (SQLite, MySQL) or a string (PostgreSQL). */
  readonly last_sequence: ColumnType<number | string | bigint, number, number>
}

/**
 * `outbox`: the append-only event log. Primary key `(community_id, sequence)`.
 *
 * `sequence` is the event's position in its community's log (1, 2, 3 … in commit order),
 * taken from `outbox_heads` by the adapter. The drivers return it as a number (SQLite, MySQL
 * with `supportBigNumbers`) or a string (PostgreSQL `int8`); the adapter converts it explicitly.
 */
export interface OutboxTable {
  readonly community_id: string
  readonly sequence: ColumnType<number | string | bigint, number, never>
  readonly id: string
  readonly type: string
  readonly aggregate_type: string
  readonly aggregate_id: string
  readonly aggregate_version: number
  /** ISO-8601 UTC. */
  readonly occurred_at: string
  readonly actor: string
  /** The encoded event, as JSON text. */
  readonly payload: string
}

/**
 * `idempotency_keys`: one row per claimed key. Primary key `(community_id, subject, idem_key)`,
 * index `(expires_at)` for the purge. A row whose `response` is `NULL` is a claim whose
 * transaction has not completed it (while that transaction is open, only it sees the row).
 */
export interface IdempotencyKeysTable {
  readonly community_id: string
  /** The actor's subject, at most 200 characters. */
  readonly subject: string
  /** The client's key, at most 255 characters (`key` is a reserved word in MySQL). */
  readonly idem_key: string
  /** What the transport computed from the request (a hash), at most 128 characters. */
  readonly fingerprint: string
  /** The stored answer, opaque text; `NULL` until the claiming transaction completes it. */
  readonly response: string | null
  /** When the key may be taken over or purged, epoch milliseconds (64-bit; a number or a string from the driver). */
  readonly expires_at: ColumnType<number | string | bigint, number, number>
}

/** The kernel's tables, for `Kysely<KernelDatabase>`. */
export interface KernelDatabase {
  readonly outbox_heads: OutboxHeadsTable
  readonly outbox: OutboxTable
  readonly idempotency_keys: IdempotencyKeysTable
}
