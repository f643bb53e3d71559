/**
 * Opening a database: the drivers (`better-sqlite3`, `pg`, `mysql2`), loaded when a layer starts.
 *
 * The drivers are optional peer dependencies: importing the store needs none of them, and a layer
 * whose driver is not installed dies with a {@link MissingDriver} defect that names the package to
 * install. Each opener gives a Kysely instance (and, for SQLite, the statement cache it was
 * opened on) for the scope, destroyed when the scope closes.
 *
 * @module
 */
import { Effect, type Scope } from "effect"
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from "kysely"
import { makeStatementCache, type StatementCache } from "./Connection.js"
import type { Dialect } from "./Dialect.js"

/** The database drivers, optional peer dependencies loaded by the layer that needs them. */
export type DriverPackage = "better-sqlite3" | "pg" | "mysql2"

/**
 * The defect of a layer whose driver is not installed: `driver` names the package to add
 * (`pnpm add pg`, `npm install pg`). The original resolution error is the `cause`.
 */
export class MissingDriver extends Error {
  readonly _tag = "MissingDriver"
  override readonly name = "MissingDriver"
  constructor(
    /** The package to install. */
    readonly driver: DriverPackage,
    /** The dialect whose layer needed it. */
    readonly dialect: Dialect,
    options?: { readonly cause?: unknown }
  ) {
    super(
      `@commonweal/store-kysely: the ${dialect} store needs the "${driver}" package, which is not installed; ` +
        `add it to your dependencies (pnpm add ${driver} / npm install ${driver}). ` +
        `${dialect} 存储需要 "${driver}" 包，但它未安装；请将其加入依赖（pnpm add ${driver} 或 npm install ${driver}）。`,
      options
    )
  }
}

/** Whether `error` says that `driver` itself (not something it imports) cannot be found. */
const isDriverMissing = (error: unknown, driver: DriverPackage): boolean => {
  if (typeof error !== "object" || error === null) return false
  const { code, message } = error as { readonly code?: unknown; readonly message?: unknown }
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    (message.includes(`'${driver}'`) || message.includes(`"${driver}"`))
  )
}

/**
 * Loads a driver with `load` (a literal `import("…")`, so bundlers still see the specifier). A
 * driver that is not installed is a {@link MissingDriver} defect; any other failure to load it
 * (a native binding built for another Node, say) is a defect with the original error.
 */
const loadDriver = <A>(driver: DriverPackage, dialect: Dialect, load: () => Promise<A>): Effect.Effect<A> =>
  Effect.tryPromise({ try: load, catch: (error) => error }).pipe(
    Effect.catch((error) =>
      Effect.die(isDriverMissing(error, driver) ? new MissingDriver(driver, dialect, { cause: error }) : error)
    )
  )

/** A database opened for a scope: the Kysely instance, and the SQLite statement cache it runs on. */
export interface Opened<DB> {
  readonly db: Kysely<DB>
  readonly statements?: StatementCache
}

/** Keeps an opened database for the scope: destroyed (pool closed, file closed) when the scope closes. */
const scoped = <DB>(open: Effect.Effect<Opened<DB>>): Effect.Effect<Opened<DB>, never, Scope.Scope> =>
  Effect.acquireRelease(open, ({ db }) => Effect.promise(() => db.destroy().catch(() => undefined)))

/** Where and how to open an SQLite file. */
export interface SqliteConnectOptions {
  /** The database file; created when missing. `:memory:` works for throwaway stores (no WAL then). */
  readonly filename: string
  /** How long SQLite itself waits for another process's write lock (`busy_timeout`), default 5000 ms. */
  readonly busyTimeoutMillis?: number | undefined
}

/**
 * Opens an SQLite file (better-sqlite3) with `journal_mode = WAL`, `synchronous = NORMAL`,
 * `foreign_keys = ON`, `secure_delete = ON` (deleted and overwritten content is zeroed, so an
 * erased record leaves the file at the next checkpoint instead of lingering in free pages) and a
 * `busy_timeout`, behind a statement cache.
 */
export const openSqlite = <DB>(options: SqliteConnectOptions): Effect.Effect<Opened<DB>, never, Scope.Scope> =>
  scoped(
    Effect.map(
      loadDriver("better-sqlite3", "sqlite", () => import("better-sqlite3")),
      ({ default: SQLite }) => {
        const database = new SQLite(options.filename)
        database.pragma("journal_mode = WAL")
        database.pragma("synchronous = NORMAL")
        database.pragma("foreign_keys = ON")
        // deleted content is overwritten with zeros, not left in free pages and freed cells: an
        // erased resident's data is gone from the file once the WAL is checkpointed
        database.pragma("secure_delete = ON")
        database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMillis ?? 5000))}`)
        const statements = makeStatementCache(database)
        return { db: new Kysely<DB>({ dialect: new SqliteDialect({ database: statements }) }), statements }
      }
    )
  )

/** Where and how to open a PostgreSQL pool. */
export interface PostgresConnectOptions {
  /** `postgres://user:password@host:5432/database`. */
  readonly connectionString: string
  /** Pool size (default 10). */
  readonly max?: number | undefined
  /** How long a caller waits for a pooled connection before failing (default 30 000 ms; a defect). */
  readonly connectionTimeoutMillis?: number | undefined
}

/** Opens a PostgreSQL pool (pg). */
export const openPostgres = <DB>(options: PostgresConnectOptions): Effect.Effect<Opened<DB>, never, Scope.Scope> =>
  scoped(
    Effect.map(
      loadDriver("pg", "postgres", () => import("pg")),
      ({ default: pg }) => ({
        db: new Kysely<DB>({
          dialect: new PostgresDialect({
            pool: new pg.Pool({
              connectionString: options.connectionString,
              max: options.max ?? 10,
              connectionTimeoutMillis: options.connectionTimeoutMillis ?? 30_000
            })
          })
        })
      })
    )
  )

/** Where and how to open a MySQL/MariaDB pool. */
export interface MysqlConnectOptions {
  /** `mysql://user:password@host:3306/database` (MariaDB too). */
  readonly uri: string
  /** Pool size (default 10). */
  readonly connectionLimit?: number | undefined
}

/**
 * Opens a MySQL 8 or MariaDB pool (mysql2): utf8mb4, UTC, 64-bit integers as numbers (exact up to
 * 2^53, checked where they are read).
 */
export const openMysql = <DB>(options: MysqlConnectOptions): Effect.Effect<Opened<DB>, never, Scope.Scope> =>
  scoped(
    Effect.map(
      loadDriver("mysql2", "mysql", () => import("mysql2")),
      ({ createPool }) => ({
        db: new Kysely<DB>({
          dialect: new MysqlDialect({
            pool: createPool({
              uri: options.uri.replace(/^mariadb:/i, "mysql:"),
              connectionLimit: options.connectionLimit ?? 10,
              charset: "utf8mb4",
              timezone: "Z",
              dateStrings: true,
              supportBigNumbers: true,
              bigNumberStrings: false
            })
          })
        })
      })
    )
  )
