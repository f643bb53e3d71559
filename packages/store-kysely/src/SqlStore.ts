/**
 * The SQL store: every storage port of `@commonweal/core` on SQLite, PostgreSQL or
 * MySQL/MariaDB, through Kysely.
 *
 * The layers open the database, bring its schema to the latest migration, provide
 * `Transactor`, `Outbox`, `CommunityRepo` and `ResidentRepo`, and close the database when their
 * scope closes. {@link makeSqlStore} builds the same ports on a Kysely instance you own.
 *
 * The drivers (`better-sqlite3`, `pg`, `mysql2`) are optional peer dependencies: each layer
 * loads its own driver when it starts, so importing this module needs none of them, and a
 * layer whose driver is not installed dies with a {@link MissingDriver} defect that names the
 * package to install.
 *
 * @module
 */
import { CommunityRepo, Outbox, ResidentRepo, Transactor, type StoragePorts } from "@commonweal/core"
import { Context, Effect, Layer } from "effect"
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from "kysely"
import { fileURLToPath } from "node:url"
import { makeConnection, makeStatementCache, type ConnectionOptions, type StatementCache } from "./Connection.js"
import type { Database } from "./Database.js"
import type { Dialect } from "./Dialect.js"
import { migrateToLatest } from "./Migrations.js"
import { makeCommunityRepo, makeOutbox, makeResidentRepo } from "./Repositories.js"

/** Options of {@link makeSqlStore}. */
export interface SqlStoreOptions extends ConnectionOptions {
  /**
   * How many decoded residents the store keeps to skip decoding a row whose stored text it has
   * decoded before (least recently used dropped; a read still runs its query and reuses the
   * decoded record only when the row's text is the same). Default 1,000; `0` turns it off.
   */
  readonly decodedResidentCache?: number | undefined
}

/**
 * Builds every storage port on a Kysely instance you own. It neither migrates (run
 * {@link migrateToLatest} first, or use {@link layerKysely}) nor destroys the instance.
 *
 * Each call makes an independent store: its own current-transaction reference and, on SQLite,
 * its own connection queue, so build one store per Kysely instance and share it.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { makeSqlStore, migrateToLatest } from "@commonweal/store-kysely"
 *
 * await Effect.runPromise(migrateToLatest(db))
 * const StorageLive = Layer.succeedContext(makeSqlStore(db, "postgres"))
 * ```
 */
export const makeSqlStore = (
  db: Kysely<Database>,
  dialect: Dialect,
  options: SqlStoreOptions = {}
): Context.Context<StoragePorts> => makeStore(db, dialect, options)

/** {@link makeSqlStore}, with the statement cache the store's own SQLite instance was opened on. */
const makeStore = (
  db: Kysely<Database>,
  dialect: Dialect,
  options: SqlStoreOptions,
  statements?: StatementCache
): Context.Context<StoragePorts> => {
  const conn = makeConnection(db, dialect, options, statements)
  return Context.empty().pipe(
    Context.add(Transactor, { withTransaction: conn.withTransaction }),
    Context.add(Outbox, makeOutbox(conn)),
    Context.add(CommunityRepo, makeCommunityRepo(conn)),
    Context.add(ResidentRepo, makeResidentRepo(conn, options.decodedResidentCache))
  )
}

/**
 * The store on a Kysely instance you own: migrates it (unless `migrate: false`), then provides
 * every port. The instance is not destroyed with the layer.
 *
 * @example
 * ```ts
 * import { SqlStore } from "@commonweal/store-kysely"
 *
 * const StorageLive = SqlStore.layerKysely(db, "mysql")
 * ```
 */
export const layerKysely = (
  db: Kysely<Database>,
  dialect: Dialect,
  options: SqlStoreOptions & { readonly migrate?: boolean } = {}
): Layer.Layer<StoragePorts> =>
  Layer.effectContext(
    Effect.as(
      options.migrate === false ? Effect.void : migrateToLatest(db, dialect),
      makeSqlStore(db, dialect, options)
    )
  )

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

/** Opens a Kysely instance for the scope (destroyed when it closes), migrates it and builds the store. */
const scoped = (
  open: Effect.Effect<{ readonly db: Kysely<Database>; readonly statements?: StatementCache }>,
  dialect: Dialect,
  options: SqlStoreOptions
): Layer.Layer<StoragePorts> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const { db, statements } = yield* Effect.acquireRelease(open, ({ db }) =>
        Effect.promise(() => db.destroy().catch(() => undefined))
      )
      yield* migrateToLatest(db, dialect)
      return makeStore(db, dialect, options, statements)
    })
  )

/** Options of {@link layerSqlite}. */
export interface SqliteOptions extends SqlStoreOptions {
  /** The database file; created when missing. `:memory:` works for throwaway stores (no WAL then). */
  readonly filename: string
  /** How long SQLite itself waits for another process's write lock (`busy_timeout`), default 5000 ms. */
  readonly busyTimeoutMillis?: number | undefined
}

/**
 * The store on an SQLite file (better-sqlite3): the embedded default, no server.
 *
 * Opens the file with `journal_mode = WAL`, `synchronous = NORMAL`, `foreign_keys = ON`,
 * `secure_delete = ON` (deleted and overwritten content is zeroed, so an erased resident's data
 * leaves the file at the next checkpoint instead of lingering in free pages) and a
 * `busy_timeout`. SQLite has one connection per process: transactions run one at a time, and
 * a caller outside a transaction waits for the open one at most `lockTimeout` (30 s) before it
 * dies, rather than forever. Statements are prepared once and cached, and reads by id run
 * synchronously on them.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ResidentRepo } from "@commonweal/core"
 * import { SqlStore } from "@commonweal/store-kysely"
 *
 * const program = Effect.gen(function* () {
 *   const residents = yield* ResidentRepo
 *   // …
 * }).pipe(Effect.provide(SqlStore.layerSqlite({ filename: "./data/commonweal.sqlite" })))
 * ```
 */
export const layerSqlite = (options: SqliteOptions): Layer.Layer<StoragePorts> =>
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
        return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) }), statements }
      }
    ),
    "sqlite",
    options
  )

/** Options of {@link layerPostgres}. */
export interface PostgresOptions extends SqlStoreOptions {
  /** `postgres://user:password@host:5432/database`. */
  readonly connectionString: string
  /** Pool size (default 10). */
  readonly max?: number | undefined
  /** How long a caller waits for a pooled connection before failing (default 30 000 ms; a defect). */
  readonly connectionTimeoutMillis?: number | undefined
}

/**
 * The store on PostgreSQL (pg pool): the production and scale-out target. Tables lead every
 * key with `community_id`, so Citus can distribute them by community.
 *
 * @example
 * ```ts
 * import { SqlStore } from "@commonweal/store-kysely"
 *
 * const StorageLive = SqlStore.layerPostgres({ connectionString: "postgres://postgres@127.0.0.1:5432/commonweal" })
 * ```
 */
export const layerPostgres = (options: PostgresOptions): Layer.Layer<StoragePorts> =>
  scoped(
    Effect.map(
      loadDriver("pg", "postgres", () => import("pg")),
      ({ default: pg }) => ({
        db: new Kysely<Database>({
          dialect: new PostgresDialect({
            pool: new pg.Pool({
              connectionString: options.connectionString,
              max: options.max ?? 10,
              connectionTimeoutMillis: options.connectionTimeoutMillis ?? 30_000
            })
          })
        })
      })
    ),
    "postgres",
    options
  )

/** Options of {@link layerMysql}. */
export interface MysqlOptions extends SqlStoreOptions {
  /** `mysql://user:password@host:3306/database` (MariaDB too). */
  readonly uri: string
  /** Pool size (default 10). */
  readonly connectionLimit?: number | undefined
}

/**
 * The store on MySQL 8 or MariaDB (mysql2 pool). Tables are utf8mb4 with binary collation, so
 * comparisons and ordering agree with SQLite and PostgreSQL.
 *
 * @example
 * ```ts
 * import { SqlStore } from "@commonweal/store-kysely"
 *
 * const StorageLive = SqlStore.layerMysql({ uri: "mysql://root@127.0.0.1:3306/commonweal" })
 * ```
 */
export const layerMysql = (options: MysqlOptions): Layer.Layer<StoragePorts> =>
  scoped(
    Effect.map(
      loadDriver("mysql2", "mysql", () => import("mysql2")),
      ({ createPool }) => ({
        db: new Kysely<Database>({
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
    ),
    "mysql",
    options
  )

/** Where a URL points: the dialect and what its layer needs. */
export type ParsedUrl =
  | { readonly dialect: "sqlite"; readonly filename: string }
  | { readonly dialect: "postgres"; readonly connectionString: string }
  | { readonly dialect: "mysql"; readonly uri: string }

/**
 * Reads a database URL: `postgres://` or `postgresql://` is PostgreSQL; `mysql://` or
 * `mariadb://` is MySQL/MariaDB; `sqlite:<path>`, `sqlite://<path>`, `file:` URLs and plain
 * paths (no scheme) are SQLite files. Any other scheme is `undefined`.
 */
export const parseUrl = (url: string): ParsedUrl | undefined => {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase()
  // no scheme, or a one-letter Windows drive (C:\data\db.sqlite)
  if (scheme === undefined) return { dialect: "sqlite", filename: url }
  switch (scheme) {
    case "postgres":
    case "postgresql":
      return { dialect: "postgres", connectionString: url }
    case "mysql":
    case "mariadb":
      return { dialect: "mysql", uri: url }
    case "sqlite":
    case "sqlite3":
      return { dialect: "sqlite", filename: url.replace(/^[a-z0-9]+:(\/\/)?/i, "") }
    case "file":
      return { dialect: "sqlite", filename: fileURLToPath(url) }
    default:
      return undefined
  }
}

/**
 * The store for a database URL (see {@link parseUrl}): SQLite for a path, PostgreSQL or
 * MySQL/MariaDB for their URLs. An unknown scheme makes the layer die with a message.
 *
 * @example
 * ```ts
 * import { SqlStore } from "@commonweal/store-kysely"
 *
 * const StorageLive = SqlStore.layerFromUrl(process.env.DATABASE_URL ?? "./data/commonweal.sqlite")
 * ```
 */
export const layerFromUrl = (url: string, options: SqlStoreOptions = {}): Layer.Layer<StoragePorts> => {
  const parsed = parseUrl(url)
  if (parsed === undefined) {
    return Layer.effectContext<StoragePorts, never, never>(
      Effect.die(
        new Error(
          `@commonweal/store-kysely: unsupported database URL scheme in ${url.replace(/\/\/[^@/]*@/, "//…@")}; ` +
            "use a file path, sqlite:, postgres://, postgresql://, mysql:// or mariadb://"
        )
      )
    )
  }
  switch (parsed.dialect) {
    case "sqlite":
      return layerSqlite({ ...options, filename: parsed.filename })
    case "postgres":
      return layerPostgres({ ...options, connectionString: parsed.connectionString })
    case "mysql":
      return layerMysql({ ...options, uri: parsed.uri })
  }
}

export { migrateToLatest }
