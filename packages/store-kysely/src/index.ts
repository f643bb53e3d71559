/**
 * `@commonweal/store-kysely`: the SQL storage adapter of commonweal.
 *
 * Every storage port of `@commonweal/core` (the kernel's `Transactor`, `Outbox` and
 * `IdempotencyKeys`; `CommunityRepo`, `ResidentRepo` …) on SQLite (better-sqlite3, the embedded
 * default), PostgreSQL (pg) or MySQL/MariaDB (mysql2), through one Kysely code path. Migrations
 * are in code, one file per step, and run when a layer starts. The drivers are optional peers:
 * install only the one you use; each layer loads its driver when it starts (a missing one is a
 * {@link MissingDriver} defect).
 *
 * The package is shaped like core: `kernel/` (connection, dialects, migration runner, the kernel's
 * ports), one folder per domain (`communities/`, `residents/`: tables, migrations, repositories,
 * and an `SqlDomain`), and `domains.ts`, which registers the domains. {@link SqlStore}'s layers are
 * the kernel with every domain; {@link SqlKernel} with some domains' layers is a partial store.
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
  renameLegacyMigrations,
  LEGACY_MIGRATIONS,
  MIGRATION_TABLE,
  MIGRATION_LOCK_TABLE
} from "./Migrations.js"
export type { MigrationSet } from "./kernel/Migrations.js"
export { capabilities, escapeLike, containsLiteral, LIKE_ESCAPE } from "./kernel/Dialect.js"
export type { Dialect, Capabilities } from "./kernel/Dialect.js"
export type { Connection, ConnectionOptions, Executor, PreparedRead } from "./kernel/Connection.js"
export type {
  MysqlConnectOptions,
  Opened,
  PostgresConnectOptions,
  SqliteConnectOptions
} from "./kernel/Drivers.js"
export { SqlKernel, sqlDomain } from "./kernel/SqlKernel.js"
export type { SqlDomain, SqlKernelOptions, SqlKernelService } from "./kernel/SqlKernel.js"
export { SqlCommunities } from "./communities/index.js"
export { SqlResidents } from "./residents/index.js"
export type { ResidentsOptions } from "./residents/index.js"
export { SqlLedger } from "./ledger/index.js"
export { SqlFund } from "./fund/index.js"
export { SqlMutualAid } from "./mutual-aid/index.js"
export { SqlWorkshop } from "./workshop/index.js"
export type {
  WorkshopDatabase,
  WorkshopFactoriesTable,
  WorkshopFactorySubjectsTable,
  WorkshopInvoicesTable,
  WorkshopMovementsTable,
  WorkshopOrdersTable,
  WorkshopPayLinesTable,
  WorkshopPeriodsTable,
  WorkshopProductsTable,
  WorkshopSettingsTable,
  WorkshopWorkersTable
} from "./workshop/index.js"
export type {
  MutualAidDatabase,
  MutualAidPlansTable,
  MutualAidRequestsTable,
  MutualAidRequestVolunteersTable,
  MutualAidVisitsTable,
  MutualAidVolunteerRolesTable,
  MutualAidVolunteerSkillsTable,
  MutualAidVolunteersTable,
  MutualAidWalkingTable
} from "./mutual-aid/index.js"
export type {
  FundDatabase,
  FundEntriesTable,
  FundProductsTable,
  FundRoundHouseholdsTable,
  FundRoundsTable,
  FundSettingsTable,
  FundSubFundsTable
} from "./fund/index.js"
export type {
  LedgerAccountsTable,
  LedgerDatabase,
  LedgerHeadsTable,
  LedgerHoldsTable,
  LedgerPostingsTable,
  LedgerReversalsTable,
  LedgerTransfersTable
} from "./ledger/index.js"
export { sqlDomains, domainsLayer } from "./domains.js"
export type { DomainOptions, DomainStorage } from "./domains.js"
export type {
  Database,
  KernelDatabase,
  CommunitiesDatabase,
  ResidentsDatabase,
  CommunitiesTable,
  ResidentsTable,
  ResidentTagsTable,
  ResidentLanguagesTable,
  ResidentSkillsTable,
  ResidentGuardiansTable,
  OutboxHeadsTable,
  OutboxTable,
  IdempotencyKeysTable
} from "./Database.js"
