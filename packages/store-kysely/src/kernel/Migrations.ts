/**
 * The migration runner of the SQL store: the schema as code, run by Kysely's `Migrator`.
 *
 * - **Migrations are files**, one per step, in the folder of what they create: the kernel's in
 *   `src/kernel/migrations/` (`0001_outbox`, `0004_idempotency_keys`), each domain's in
 *   `src/<domain>/migrations/` (`0002_communities`, `0003_residents` …). The runner collects the
 *   kernel's and those of the domains a store includes into one `MigrationProvider`, by name;
 *   names carry a number unique across the whole store, and run in name order.
 * - **Recorded** in `commonweal_migration` (so re-running is a no-op), under the lock row of
 *   `commonweal_migration_lock` (PostgreSQL and MySQL lock the row, so two processes starting at
 *   once run the migrations once; SQLite's single writer plays that role there). The table names
 *   are our own, so an integrator's Kysely migrations in the same database do not mix with ours.
 * - **Domains are independent**: a migration depends only on the kernel's and on the domains its
 *   domain builds on, so the runner allows a pending migration whose name sorts before one
 *   already applied (Kysely's `allowUnorderedMigrations`): a database first used by a store with
 *   some domains can later be opened by a store with more. The reverse fails, on purpose: a store
 *   refuses a database recording migrations it does not know (Kysely's "previously executed
 *   migration … is missing").
 * - **History**: versions before the domain slices created everything in one migration,
 *   `0001_residents_and_outbox`. Before migrating, a database that records it has that row
 *   replaced, in one transaction, by the rows of the migrations it was split into (same tables,
 *   same timestamp; see {@link LEGACY_MIGRATIONS}), so nothing is re-run and nothing is missing.
 *
 * @module
 */
import { Effect, Schedule } from "effect"
import { sql, type Kysely, type Migration, type MigrationProvider } from "kysely"
import { Migrator, MysqlAdapter, PostgresAdapter, SqliteAdapter } from "kysely"
import { capabilities, type Dialect } from "./Dialect.js"
import { m0001Outbox } from "./migrations/0001_outbox.js"
import { m0004IdempotencyKeys } from "./migrations/0004_idempotency_keys.js"

/** The table in which applied migrations are recorded. */
export const MIGRATION_TABLE = "commonweal_migration"
/** The table Kysely's migration lock lives in. */
export const MIGRATION_LOCK_TABLE = "commonweal_migration_lock"

/** Migrations by name for a dialect: the kernel's, or one domain's. */
export type MigrationSet = (dialect: Dialect) => Readonly<Record<string, Migration>>

/** The kernel's migrations: the outbox and the idempotency keys. */
export const kernelMigrations: MigrationSet = (dialect) => ({
  "0001_outbox": m0001Outbox(dialect),
  "0004_idempotency_keys": m0004IdempotencyKeys(dialect)
})

/**
 * Migrations of earlier versions and the migrations they were split into, applied in the same
 * transaction with the same timestamp. History, fixed once written: a new migration never goes
 * here.
 */
export const LEGACY_MIGRATIONS: Readonly<Record<string, ReadonlyArray<string>>> = {
  "0001_residents_and_outbox": ["0001_outbox", "0002_communities", "0003_residents"]
}

/**
 * The dialect of a Kysely instance, from its adapter (Kysely's own `SqliteAdapter`,
 * `PostgresAdapter`, `MysqlAdapter` or subclasses of them).
 */
export const detectDialect = (db: { getExecutor(): { readonly adapter: unknown } }): Dialect => {
  const adapter = db.getExecutor().adapter
  if (adapter instanceof SqliteAdapter) return "sqlite"
  if (adapter instanceof PostgresAdapter) return "postgres"
  if (adapter instanceof MysqlAdapter) return "mysql"
  throw new Error(
    "@commonweal/store-kysely: the Kysely instance uses an unsupported dialect; pass the dialect explicitly / " +
      "该 Kysely 实例使用了不支持的方言，请显式传入 dialect"
  )
}

/**
 * The kernel's migrations and those of `domains`, by name, listed in name order (the order they
 * run). Two sets naming the same migration are a programming error (thrown when the store starts).
 */
export const collectMigrations = (
  domains: ReadonlyArray<MigrationSet>,
  dialect: Dialect
): Readonly<Record<string, Migration>> => {
  const all: Record<string, Migration> = {}
  for (const set of [kernelMigrations, ...domains]) {
    for (const [name, migration] of Object.entries(set(dialect))) {
      if (name in all) throw new Error(`@commonweal/store-kysely: two migrations are named ${name}`)
      all[name] = migration
    }
  }
  // listed in the order they run
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** The kernel's migrations and those of `domains` as a Kysely `MigrationProvider`. */
export const migrationProviderOf = (domains: ReadonlyArray<MigrationSet>, dialect: Dialect): MigrationProvider => ({
  getMigrations: () => Promise.resolve({ ...collectMigrations(domains, dialect) })
})

/** A Kysely `Migrator` for the kernel's migrations and those of `domains`, on the store's migration tables. */
export const migratorOf = <DB>(db: Kysely<DB>, dialect: Dialect, domains: ReadonlyArray<MigrationSet>): Migrator =>
  new Migrator({
    db,
    provider: migrationProviderOf(domains, dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    allowUnorderedMigrations: true
  })

/**
 * Replaces each recorded legacy migration by the migrations it was split into (see
 * {@link LEGACY_MIGRATIONS}), in one transaction, keeping its timestamp. Does nothing on a new
 * database or one already converted. Two processes doing it at once: the second finds the row
 * gone (PostgreSQL and MySQL lock it with `FOR UPDATE`; SQLite has one writer) and does nothing.
 */
export const renameLegacyMigrations = async <DB>(db: Kysely<DB>, dialect: Dialect): Promise<void> => {
  const tables = await db.introspection.getTables()
  if (!tables.some((t) => t.name === MIGRATION_TABLE)) return
  const table = sql.table(MIGRATION_TABLE)
  const forUpdate = capabilities(dialect).lockForUpdate ? sql` for update` : sql``
  await db.transaction().execute(async (trx) => {
    for (const [legacy, parts] of Object.entries(LEGACY_MIGRATIONS)) {
      const found = await sql<{
        readonly timestamp: string
      }>`select ${sql.ref("timestamp")} from ${table} where ${sql.ref("name")} = ${legacy}${forUpdate}`.execute(trx)
      const timestamp = found.rows[0]?.timestamp
      if (timestamp === undefined) continue
      await sql`delete from ${table} where ${sql.ref("name")} = ${legacy}`.execute(trx)
      for (const name of parts) {
        await sql`insert into ${table} (${sql.ref("name")}, ${sql.ref("timestamp")}) values (${name}, ${timestamp})`.execute(
          trx
        )
      }
    }
  })
}

/**
 * Brings the database to the latest schema of the kernel and `domains`; returns the names of the
 * migrations it applied (none when it was up to date). A failure is a defect (the store cannot
 * run on a schema it does not know). Renames legacy migrations first
 * ({@link renameLegacyMigrations}). Retried a few times, because two processes creating the lock
 * table at the same moment, or two SQLite processes racing for the writer lock, fail once and
 * then find the work done.
 */
export const migrate = <DB>(
  db: Kysely<DB>,
  dialect: Dialect,
  domains: ReadonlyArray<MigrationSet>
): Effect.Effect<ReadonlyArray<string>> =>
  Effect.tryPromise({
    try: async () => {
      await renameLegacyMigrations(db, dialect)
      const { error, results } = await migratorOf(db, dialect, domains).migrateToLatest()
      if (error !== undefined) throw error
      return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName)
    },
    catch: (error) => error
  }).pipe(Effect.retry(Schedule.max([Schedule.recurs(3), Schedule.spaced("200 millis")])), Effect.orDie)
