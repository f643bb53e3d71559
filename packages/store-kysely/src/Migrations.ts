/**
 * The schema of the whole SQL store (the kernel and every registered domain) as code: a Kysely
 * `MigrationProvider` and {@link migrateToLatest}. The runner and its rules are in
 * `kernel/Migrations.ts`; the migrations are files beside what they create
 * (`kernel/migrations/`, `<domain>/migrations/`).
 *
 * @module
 */
import type { Effect } from "effect"
import type { Kysely, Migration, MigrationProvider, Migrator } from "kysely"
import type { Database } from "./Database.js"
import { domainMigrations } from "./domains.js"
import type { Dialect } from "./kernel/Dialect.js"
import { collectMigrations, detectDialect, migrate, migrationProviderOf, migratorOf } from "./kernel/Migrations.js"

export {
  detectDialect,
  LEGACY_MIGRATIONS,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  renameLegacyMigrations
} from "./kernel/Migrations.js"

/**
 * Every migration of the store for a dialect, by name (applied in name order): `0001_outbox`,
 * `0002_communities`, `0003_residents`, `0004_idempotency_keys` …
 */
export const migrations = (dialect: Dialect): Readonly<Record<string, Migration>> =>
  collectMigrations(domainMigrations, dialect)

/** The store's migrations for a dialect as a Kysely `MigrationProvider`. */
export const migrationProvider = (dialect: Dialect): MigrationProvider => migrationProviderOf(domainMigrations, dialect)

/**
 * A Kysely `Migrator` for the store's migrations and tables. It does not convert a database
 * migrated before the domain slices (see `renameLegacyMigrations`); {@link migrateToLatest} does.
 */
export const makeMigrator = (db: Kysely<Database>, dialect: Dialect = detectDialect(db)): Migrator =>
  migratorOf(db, dialect, domainMigrations)

/**
 * Brings the database to the latest schema; returns the names of the migrations it applied
 * (none when it was up to date). A failure is a defect (the store cannot run on a schema it does
 * not know). The dialect is detected from the Kysely adapter unless given. A database migrated by
 * a version before the domain slices (one migration, `0001_residents_and_outbox`) is converted
 * first, keeping its data. Retried a few times, because two processes creating the lock table at
 * the same moment, or two SQLite processes racing for the writer lock, fail once and then find
 * the work done.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { migrateToLatest } from "@commonweal/store-kysely"
 *
 * const applied = await Effect.runPromise(migrateToLatest(db))
 * ```
 */
export const migrateToLatest = (db: Kysely<Database>, dialect?: Dialect): Effect.Effect<ReadonlyArray<string>> =>
  migrate(db, dialect ?? detectDialect(db), domainMigrations)
