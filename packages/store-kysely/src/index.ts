/**
 * `@commonweal/store-kysely`: the SQL storage adapter of commonweal.
 *
 * Every storage port of `@commonweal/core` (`Transactor`, `Outbox`, `CommunityRepo`,
 * `ResidentRepo`) on SQLite (better-sqlite3, the embedded default), PostgreSQL (pg) or
 * MySQL/MariaDB (mysql2), through one Kysely code path. Migrations are in code and run when a
 * layer starts. The drivers are optional peers: install only the one you use; each layer loads
 * its driver when it starts (a missing one is a {@link MissingDriver} defect).
 *
 * @example
 * ```ts
 * import { SqlStore } from "@commonweal/store-kysely"
 *
 * const StorageLive = SqlStore.layerFromUrl(process.env.DATABASE_URL ?? "./data/commonweal.sqlite")
 * ```
 *
 * @packageDocumentation
 */
export * as SqlStore from "./SqlStore.js"
export { makeSqlStore, layerKysely, parseUrl, MissingDriver } from "./SqlStore.js"
export type {
  SqlStoreOptions,
  SqliteOptions,
  PostgresOptions,
  MysqlOptions,
  ParsedUrl,
  DriverPackage
} from "./SqlStore.js"
export {
  migrateToLatest,
  migrations,
  migrationProvider,
  makeMigrator,
  detectDialect,
  MIGRATION_TABLE,
  MIGRATION_LOCK_TABLE
} from "./Migrations.js"
export { capabilities, escapeLike, containsLiteral, LIKE_ESCAPE } from "./Dialect.js"
export type { Dialect, Capabilities } from "./Dialect.js"
export type { ConnectionOptions } from "./Connection.js"
export type {
  Database,
  CommunitiesTable,
  ResidentsTable,
  ResidentTagsTable,
  ResidentLanguagesTable,
  ResidentSkillsTable,
  ResidentGuardiansTable,
  OutboxHeadsTable,
  OutboxTable
} from "./Database.js"
