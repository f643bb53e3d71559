/**
 * The kernel of the SQL store: the connection every domain shares, the kernel's ports
 * (`Transactor`, `Outbox`, `IdempotencyKeys`), and what a domain slice is ({@link SqlDomain}).
 *
 * A store is the kernel plus the domains it includes. The kernel's layers open the database,
 * run the migrations of the kernel and of those domains, and provide {@link SqlKernel} with the
 * kernel's ports; each domain's layer (`SqlCommunities.layer`, `SqlResidents.layer` …) needs
 * `SqlKernel` and provides the domain's ports over the same connection, so they share its
 * transactions. `SqlStore`'s layers are the kernel with every registered domain (`domains.ts`).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { SqlCommunities, SqlKernel, SqlResidents } from "@commonweal/store-kysely"
 *
 * // KernelStorage | CommunitiesStorage | ResidentsStorage on one SQLite file
 * const domains = [SqlCommunities, SqlResidents]
 * const store = Layer.provideMerge(
 *   Layer.mergeAll(SqlCommunities.layer, SqlResidents.layer),
 *   SqlKernel.layerSqlite({ filename: "centre.sqlite", domains })
 * )
 * ```
 *
 * @module
 */
import { IdempotencyKeys, Outbox, Transactor, type KernelStorage } from "@commonweal/core"
import { Context, Effect, Layer, type Scope } from "effect"
import type { Kysely } from "kysely"
import { makeConnection, type Connection, type ConnectionOptions } from "./Connection.js"
import type { Dialect } from "./Dialect.js"
import {
  openMysql,
  openPostgres,
  openSqlite,
  type MysqlConnectOptions,
  type Opened,
  type PostgresConnectOptions,
  type SqliteConnectOptions
} from "./Drivers.js"
import { makeIdempotencyKeys } from "./IdempotencyKeys.js"
import { migrate, type MigrationSet } from "./Migrations.js"
import { makeOutbox } from "./Outbox.js"
import type { KernelDatabase } from "./tables.js"

/** What the kernel gives the domains: the connection (typed with the kernel's tables) and its dialect. */
export interface SqlKernelService {
  /** The store's connection. A domain takes its own view of it: `connection.view<MyTables>()`. */
  readonly connection: Connection<KernelDatabase>
  readonly dialect: Dialect
}

/**
 * A domain of the SQL store: its migrations, and its ports over the kernel. Each domain folder
 * exports one (`SqlCommunities`, `SqlResidents` …); `domains.ts` lists them.
 *
 * `R`: the domain's storage bundle (`ResidentsStorage` …). `O`: its options (`object` when it has none).
 */
export interface SqlDomain<R, O = object> {
  /** The domain's name, as core names it (`residents`). */
  readonly name: string
  /** The domain's migrations by name (numbers unique across the store; see `kernel/Migrations.ts`). */
  readonly migrations: MigrationSet
  /** The domain's ports over a kernel. */
  readonly make: (kernel: SqlKernelService, options: O) => Context.Context<R>
  /** The domain's ports with `options`, over the {@link SqlKernel} they are given. */
  readonly layerWith: (options: O) => Layer.Layer<R, never, SqlKernel>
  /** The domain's ports with default options, over the {@link SqlKernel} they are given. */
  readonly layer: Layer.Layer<R, never, SqlKernel>
}

/** Declares a domain of the SQL store from its name, migrations and port factory (see {@link SqlDomain}). */
export const sqlDomain = <R, O = object>(domain: {
  readonly name: string
  readonly migrations: MigrationSet
  readonly make: (kernel: SqlKernelService, options: O) => Context.Context<R>
  readonly defaults: O
}): SqlDomain<R, O> => {
  const layerWith = (options: O): Layer.Layer<R, never, SqlKernel> =>
    Layer.effectContext(SqlKernel.useSync((kernel) => domain.make(kernel, options)))
  return {
    name: domain.name,
    migrations: domain.migrations,
    make: domain.make,
    layerWith,
    layer: layerWith(domain.defaults)
  }
}

/** The kernel and its ports over a connection. */
export const makeKernelContext = (
  connection: Connection<KernelDatabase>,
  dialect: Dialect
): Context.Context<SqlKernel | KernelStorage> =>
  Context.empty().pipe(
    Context.add(SqlKernel, { connection, dialect }),
    Context.add(Transactor, { withTransaction: connection.withTransaction }),
    Context.add(Outbox, makeOutbox(connection)),
    Context.add(IdempotencyKeys, makeIdempotencyKeys(connection))
  )

/** Options of the kernel's layers. */
export interface SqlKernelOptions extends ConnectionOptions {
  /**
   * The domains the store includes: their migrations run with the kernel's when the layer starts.
   * Provide their layers over this one (see the module example).
   */
  readonly domains: ReadonlyArray<Pick<SqlDomain<unknown, never>, "migrations">>
}

/**
 * The kernel over a database opened for the layer's scope: migrates it (kernel and `domains`),
 * then provides {@link SqlKernel} and the kernel's ports. The database is closed with the scope.
 */
const layerOpened = <DB>(
  open: Effect.Effect<Opened<DB>, never, Scope.Scope>,
  dialect: Dialect,
  options: SqlKernelOptions
): Layer.Layer<SqlKernel | KernelStorage> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const { db, statements } = yield* open
      yield* migrate(
        db,
        dialect,
        options.domains.map((d) => d.migrations)
      )
      return makeKernelContext(makeConnection(db, dialect, options, statements).view<KernelDatabase>(), dialect)
    })
  )

/**
 * The kernel on a Kysely instance you own: migrates it (kernel and `domains`, unless
 * `migrate: false`), then provides {@link SqlKernel} and the kernel's ports. The instance is not
 * destroyed with the layer.
 */
const layerKysely = <DB>(
  db: Kysely<DB>,
  dialect: Dialect,
  options: SqlKernelOptions & { readonly migrate?: boolean }
): Layer.Layer<SqlKernel | KernelStorage> =>
  Layer.effectContext(
    Effect.as(
      options.migrate === false
        ? Effect.void
        : migrate(
            db,
            dialect,
            options.domains.map((d) => d.migrations)
          ),
      makeKernelContext(makeConnection(db, dialect, options).view<KernelDatabase>(), dialect)
    )
  )

/** The kernel on an SQLite file (see `SqlStore.layerSqlite` for what the file is opened with). */
const layerSqlite = (options: SqlKernelOptions & SqliteConnectOptions): Layer.Layer<SqlKernel | KernelStorage> =>
  layerOpened(openSqlite(options), "sqlite", options)

/** The kernel on PostgreSQL (pg pool). */
const layerPostgres = (options: SqlKernelOptions & PostgresConnectOptions): Layer.Layer<SqlKernel | KernelStorage> =>
  layerOpened(openPostgres(options), "postgres", options)

/** The kernel on MySQL 8 or MariaDB (mysql2 pool). */
const layerMysql = (options: SqlKernelOptions & MysqlConnectOptions): Layer.Layer<SqlKernel | KernelStorage> =>
  layerOpened(openMysql(options), "mysql", options)

/**
 * The kernel of one SQL store: the connection its domains share (the service), and the layers
 * that open a database with the domains a store includes (`SqlKernel.layerSqlite` …).
 */
export class SqlKernel extends Context.Service<SqlKernel, SqlKernelService>()("@commonweal/store-kysely/SqlKernel") {
  /**
   * The kernel on an SQLite file: opens it (WAL, foreign keys, `secure_delete`; see
   * `SqlStore.layerSqlite`), runs the migrations of the kernel and of `domains`, provides the
   * kernel and its ports; closes the file with the layer's scope.
   */
  static readonly layerSqlite: (
    options: SqlKernelOptions & SqliteConnectOptions
  ) => Layer.Layer<SqlKernel | KernelStorage> = layerSqlite

  /** The kernel on PostgreSQL (pg pool), as {@link SqlKernel.layerSqlite}. */
  static readonly layerPostgres: (
    options: SqlKernelOptions & PostgresConnectOptions
  ) => Layer.Layer<SqlKernel | KernelStorage> = layerPostgres

  /** The kernel on MySQL 8 or MariaDB (mysql2 pool), as {@link SqlKernel.layerSqlite}. */
  static readonly layerMysql: (
    options: SqlKernelOptions & MysqlConnectOptions
  ) => Layer.Layer<SqlKernel | KernelStorage> = layerMysql

  /**
   * The kernel on a Kysely instance you own (not destroyed with the layer): migrates it (kernel
   * and `domains`, unless `migrate: false`), then provides the kernel and its ports.
   */
  static readonly layerKysely: <DB>(
    db: Kysely<DB>,
    dialect: Dialect,
    options: SqlKernelOptions & { readonly migrate?: boolean }
  ) => Layer.Layer<SqlKernel | KernelStorage> = layerKysely

  /**
   * The kernel over a database a scoped effect opens (closed with the layer's scope): for a driver
   * setup of your own. Migrates it (kernel and `domains`), then provides the kernel and its ports.
   */
  static readonly layerOpened: <DB>(
    open: Effect.Effect<Opened<DB>, never, Scope.Scope>,
    dialect: Dialect,
    options: SqlKernelOptions
  ) => Layer.Layer<SqlKernel | KernelStorage> = layerOpened
}
