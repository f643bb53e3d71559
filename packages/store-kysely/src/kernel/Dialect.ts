/**
 * What differs between SQLite, PostgreSQL and MySQL/MariaDB, in one place.
 *
 * The rest of the adapter is one code path; wherever the databases disagree it reads a flag
 * or a small function from the {@link Capabilities} of its dialect, never `if (dialect === …)`.
 *
 * @module
 */
import { sql, type Expression, type RawBuilder } from "kysely"

/** The SQL databases the store runs on. MariaDB is `mysql`. */
export type Dialect = "sqlite" | "postgres" | "mysql"

/** The differences between the dialects the adapter cares about. */
export interface Capabilities {
  readonly dialect: Dialect
  /** `INSERT … RETURNING` is available (SQLite ≥ 3.35, PostgreSQL; not MySQL). */
  readonly supportsReturning: boolean
  /**
   * `SELECT … FOR UPDATE` is available (not SQLite, whose transactions the adapter runs one at
   * a time anyway): `ResidentRepo.lock` and `IdempotencyKeys.claim` use it to hold a row until
   * the transaction ends, and to read its latest committed version rather than a snapshot.
   */
  readonly lockForUpdate: boolean
  /**
   * `DELETE … ORDER BY … LIMIT n` is available (MySQL/MariaDB). Elsewhere a bounded delete
   * names its rows by key in a subquery (`WHERE (key) IN (SELECT key … LIMIT n)`), which MySQL
   * in turn refuses (no `LIMIT` in an `IN` subquery, no subquery on the table being deleted from).
   */
  readonly deleteWithLimit: boolean
  /**
   * One connection serves everything (better-sqlite3): the adapter queues callers itself, with
   * a time limit, instead of letting them wait in the driver's queue forever.
   */
  readonly singleConnection: boolean
  /**
   * The column type of unbounded text: whole JSON documents, actor subjects (MySQL's `text`
   * stops at 64 KiB, so it gets `mediumtext`).
   */
  readonly documentType: RawBuilder<unknown>
  /**
   * The column type of short text that must compare exactly, trailing spaces included
   * (idempotency keys and subjects), for at most `characters` characters: `varchar` elsewhere;
   * on MySQL/MariaDB `varbinary` of 4 bytes a character, because their `utf8mb4_bin` collation
   * is PAD SPACE (`'a' = 'a '`). Strings compared with it are compared as UTF-8 bytes there.
   */
  readonly exactText: (characters: number) => RawBuilder<unknown>
  /** Extra text after `CREATE TABLE (…)`: MySQL tables use utf8mb4 with binary collation, like the others compare. */
  readonly tableOptions: RawBuilder<unknown> | undefined
  /**
   * How an insert meets an existing key.
   *
   * - `on conflict` (PostgreSQL, SQLite): `INSERT … ON CONFLICT (key) DO NOTHING` for a new
   *   record or an idempotency key, so a duplicate inserts no row instead of raising (a raised
   *   unique violation aborts the whole PostgreSQL transaction); `ON CONFLICT (key) DO UPDATE`
   *   for the outbox head.
   * - `on duplicate key` (MySQL/MariaDB): a plain `INSERT` whose duplicate-key error is caught
   *   (InnoDB rolls back that statement only, and the transaction goes on), because mysql2's
   *   default `FOUND_ROWS` flag makes `ON DUPLICATE KEY UPDATE id = id` report one affected row
   *   whether it inserted or not; `ON DUPLICATE KEY UPDATE` for the outbox head, and a no-op
   *   `ON DUPLICATE KEY UPDATE` for an idempotency key (it locks an existing row exclusively at
   *   once, where a caught duplicate would take a shared lock that two claimers then both try
   *   to upgrade: a deadlock).
   */
  readonly upsert: "on conflict" | "on duplicate key"
  /**
   * The isolation level transactions start with, when the database's default is not READ
   * COMMITTED. MySQL's REPEATABLE READ takes gap locks on every locking read and delete, which
   * deadlocks concurrent inserts of unrelated residents; READ COMMITTED is PostgreSQL's default,
   * so all dialects behave alike.
   */
  readonly isolationLevel: "read committed" | undefined
  /** Whether a driver error is a unique or primary-key violation. */
  readonly isUniqueViolation: (error: unknown) => boolean
  /**
   * Whether a driver error says the database broke a deadlock by aborting this transaction
   * (PostgreSQL 40P01, MySQL 1213 `ER_LOCK_DEADLOCK`; never on SQLite, whose transactions run
   * one at a time). The transaction is lost, but a retry can succeed, so writes report it as a
   * `Conflict` rather than a defect.
   */
  readonly isDeadlock: (error: unknown) => boolean
}

const errorCode = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "code" in error ? error.code : undefined

const errorNumber = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "errno" in error ? error.errno : undefined

const capabilityTable: Readonly<Record<Dialect, Capabilities>> = {
  sqlite: {
    dialect: "sqlite",
    supportsReturning: true,
    lockForUpdate: false,
    deleteWithLimit: false,
    singleConnection: true,
    documentType: sql`text`,
    exactText: (n) => sql`varchar(${sql.lit(n)})`,
    tableOptions: undefined,
    upsert: "on conflict",
    isolationLevel: undefined,
    isUniqueViolation: (e) => {
      const code = errorCode(e)
      return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE"
    },
    isDeadlock: () => false
  },
  postgres: {
    dialect: "postgres",
    supportsReturning: true,
    lockForUpdate: true,
    deleteWithLimit: false,
    singleConnection: false,
    documentType: sql`text`,
    exactText: (n) => sql`varchar(${sql.lit(n)})`,
    tableOptions: undefined,
    upsert: "on conflict",
    isolationLevel: undefined,
    isUniqueViolation: (e) => errorCode(e) === "23505",
    isDeadlock: (e) => errorCode(e) === "40P01"
  },
  mysql: {
    dialect: "mysql",
    supportsReturning: false,
    lockForUpdate: true,
    deleteWithLimit: true,
    singleConnection: false,
    documentType: sql`mediumtext`,
    exactText: (n) => sql`varbinary(${sql.lit(4 * n)})`,
    tableOptions: sql`default charset = utf8mb4 collate = utf8mb4_bin`,
    upsert: "on duplicate key",
    isolationLevel: "read committed",
    isUniqueViolation: (e) => errorCode(e) === "ER_DUP_ENTRY" || errorNumber(e) === 1062,
    isDeadlock: (e) => errorCode(e) === "ER_LOCK_DEADLOCK" || errorNumber(e) === 1213
  }
}

/** The capabilities of a dialect. */
export const capabilities = (dialect: Dialect): Capabilities => capabilityTable[dialect]

/**
 * The escape character of `LIKE` patterns. Not a backslash: MySQL treats backslashes in string
 * literals specially, `!` means nothing anywhere.
 */
export const LIKE_ESCAPE = "!"

/** Escapes `%`, `_` and the escape character itself so `text` matches literally in a `LIKE`. */
export const escapeLike = (text: string): string => text.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`)

/**
 * `column LIKE '%text%' ESCAPE '!'`, a literal substring match that works the same on all three
 * dialects (compare lower-cased text on both sides for case-insensitivity).
 */
export const containsLiteral = (column: Expression<string>, text: string): RawBuilder<boolean> =>
  sql<boolean>`${column} like ${`%${escapeLike(text)}%`} escape ${sql.lit(LIKE_ESCAPE)}`
