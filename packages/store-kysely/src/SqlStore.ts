/**
 * The SQL store: every storage port of `@commonweal/core` on SQLite, PostgreSQL or
 * MySQL/MariaDB, through Kysely.
 *
 * The layers open the database, bring its schema to the latest migration, provide the kernel's
 * ports (`Transactor`, `Outbox`, `IdempotencyKeys`) and those of every registered domain
 * (`CommunityRepo`, `ResidentRepo` …; see `domains.ts`), and close the database when their scope
 * closes. {@link makeSqlStore} builds the same ports on a Kysely instance you own. A store with
 * some domains only is `SqlKernel`'s layer with their layers (see `SqlKernel`).
 *
 * The drivers (`better-sqlite3`, `pg`, `mysql2`) are optional peer dependencies: each layer
 * loads its own driver when it starts, so importing this module needs none of them, and a
 * layer whose driver is not installed dies with a {@link MissingDriver} defect that names the
 * package to install.
 *
 * @module
 */
import type { KernelStorage, StoragePorts } from "@commonweal/core"
import { Context, Effect, Layer, type Scope } from "effect"
import type { Kysely } from "kysely"
import { fileURLToPath } from "node:url"
import type { Database } from "./Database.js"
import { domainsLayer, makeDomains, sqlDomains, type DomainOptions } from "./domains.js"
import { makeConnection, type ConnectionOptions } from "./kernel/Connection.js"
import type { Dialect } from "./kernel/Dialect.js"
import {
  openMysql,
  openPostgres,
  openSqlite,
  type MysqlConnectOptions,
  type Opened,
  type PostgresConnectOptions,
  type SqliteConnectOptions
} from "./kernel/Drivers.js"
import { makeKernelContext, SqlKernel } from "./kernel/SqlKernel.js"
import type { KernelDatabase } from "./kernel/tables.js"
import { migrateToLatest } from "./Migrations.js"

export { MissingDriver, type DriverPackage } from "./kernel/Drivers.js"

/**
 * Options of {@link makeSqlStore} and of every layer: the connection's, and those of each domain
 * (`decodedResidentCache` of the resident registry …).
 */
export interface SqlStoreOptions extends ConnectionOptions, DomainOptions {}

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
): Context.Context<StoragePorts> => {
  const kernel = makeKernelContext(makeConnection(db, dialect, options).view<KernelDatabase>(), dialect)
  return Context.merge(kernel, makeDomains(Context.get(kernel, SqlKernel), options))
}

/** The store over a kernel layer: every registered domain's ports, with `options`, over it. */
const withDomains = <E>(
  kernel: Layer.Layer<SqlKernel | KernelStorage, E>,
  options: SqlStoreOptions
): Layer.Layer<StoragePorts, E> => Layer.provideMerge(domainsLayer(options), kernel)

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
  withDomains(SqlKernel.layerKysely(db, dialect, { ...options, domains: sqlDomains }), options)

/** Opens a database for the layer's scope, migrates it and builds the store (closed with the scope). */
const scoped = <DB>(
  open: Effect.Effect<Opened<DB>, never, Scope.Scope>,
  dialect: Dialect,
  options: SqlStoreOptions
): Layer.Layer<StoragePorts> =>
  withDomains(SqlKernel.layerOpened(open, dialect, { ...options, domains: sqlDomains }), options)

/** Options of {@link layerSqlite}. */
export interface SqliteOptions extends SqlStoreOptions, SqliteConnectOptions {}

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
  scoped(openSqlite<Database>(options), "sqlite", options)

/** Options of {@link layerPostgres}. */
export interface PostgresOptions extends SqlStoreOptions, PostgresConnectOptions {}

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
  scoped(openPostgres<Database>(options), "postgres", options)

/** Options of {@link layerMysql}. */
export interface MysqlOptions extends SqlStoreOptions, MysqlConnectOptions {}

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
  scoped(openMysql<Database>(options), "mysql", options)

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
    // credentials are not repeated in the message
    const safe = url.replace(/\/\/[^@/]*@/, "//…@")
    return Layer.effectContext<StoragePorts, never, never>(
      Effect.die(
        new Error(
          `@commonweal/store-kysely: unsupported database URL scheme in ${safe}; ` +
            "use a file path, sqlite:, postgres://, postgresql://, mysql:// or mariadb:// / " +
            `不支持的数据库 URL 协议（${safe}）；请使用文件路径、sqlite:、postgres://、postgresql://、mysql:// 或 mariadb://`
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
