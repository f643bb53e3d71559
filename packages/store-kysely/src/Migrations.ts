/**
 * The schema of the SQL store as code: a Kysely `MigrationProvider` and {@link migrateToLatest}.
 *
 * Migrations are run by Kysely's `Migrator`, which records applied ones in
 * `commonweal_migration` (so re-running is a no-op) and holds `commonweal_migration_lock`
 * while it works (PostgreSQL and MySQL lock the row, so two processes starting at once run the
 * migrations once; SQLite's single writer plays that role there). The table names are our own so
 * an integrator's Kysely migrations in the same database do not mix with ours.
 *
 * @module
 */
import { Effect, Schedule } from "effect"
import { sql, type Kysely, type Migration, type MigrationProvider, type CreateTableBuilder } from "kysely"
import { Migrator, MysqlAdapter, PostgresAdapter, SqliteAdapter } from "kysely"
import type { Database } from "./Database.js"
import { capabilities, type Dialect } from "./Dialect.js"

/** The table in which applied migrations are recorded. */
export const MIGRATION_TABLE = "commonweal_migration"
/** The table Kysely's migration lock lives in. */
export const MIGRATION_LOCK_TABLE = "commonweal_migration_lock"

// Migrations run against a database whose schema they are creating: no table types yet.
type AnyDb = Kysely<unknown>

const ID = sql`varchar(36)`

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
    "@commonweal/store-kysely: the Kysely instance uses an unsupported dialect; pass the dialect explicitly"
  )
}

const withOptions = <TB extends string, C extends string>(
  dialect: Dialect,
  builder: CreateTableBuilder<TB, C>
): CreateTableBuilder<TB, C> => {
  const options = capabilities(dialect).tableOptions
  return options === undefined ? builder : builder.modifyEnd(options)
}

/**
 * The outbox and its heads. `sequence` is an ordinary column the adapter fills from the
 * community's row in `outbox_heads` (see `makeOutbox`), not an auto-increment: a database
 * counter is taken at insert time, so a transaction that commits late would publish a sequence
 * below one a reader has already passed.
 */
const createOutbox = async (db: AnyDb, dialect: Dialect) => {
  await withOptions(
    dialect,
    db.schema
      .createTable("outbox_heads")
      .addColumn("community_id", ID, (c) => c.primaryKey())
      .addColumn("last_sequence", "bigint", (c) => c.notNull())
  ).execute()
  await withOptions(
    dialect,
    db.schema
      .createTable("outbox")
      .addColumn("community_id", ID, (c) => c.notNull())
      .addColumn("sequence", "bigint", (c) => c.notNull())
      .addColumn("id", ID, (c) => c.notNull())
      .addColumn("type", sql`varchar(100)`, (c) => c.notNull())
      .addColumn("aggregate_type", sql`varchar(100)`, (c) => c.notNull())
      .addColumn("aggregate_id", sql`varchar(100)`, (c) => c.notNull())
      .addColumn("aggregate_version", "integer", (c) => c.notNull())
      .addColumn("occurred_at", sql`varchar(32)`, (c) => c.notNull())
      // Actor.subject has no length limit
      .addColumn("actor", capabilities(dialect).documentType, (c) => c.notNull())
      .addColumn("payload", capabilities(dialect).documentType, (c) => c.notNull())
      .addPrimaryKeyConstraint("outbox_pk", ["community_id", "sequence"])
  ).execute()
}

type ChildBase = CreateTableBuilder<string, "community_id" | "resident_id" | "position">

/** An index table of a resident: keyed by `(community_id, resident_id, position)`, cascading on delete. */
const childTable = (
  db: AnyDb,
  dialect: Dialect,
  name: string,
  columns: (t: ChildBase) => CreateTableBuilder<string, string>
) =>
  withOptions(
    dialect,
    columns(
      db.schema
        .createTable(name)
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("resident_id", ID, (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
    )
      .addPrimaryKeyConstraint(`${name}_pk`, ["community_id", "resident_id", "position"])
      .addForeignKeyConstraint(
        `${name}_resident_fk`,
        ["community_id", "resident_id"],
        "residents",
        ["community_id", "id"],
        (fk) => fk.onDelete("cascade")
      )
  )

const m0001 = (dialect: Dialect): Migration => ({
  async up(db: AnyDb) {
    await withOptions(
      dialect,
      db.schema
        .createTable("communities")
        .addColumn("community_id", ID, (c) => c.primaryKey())
        .addColumn("name", sql`varchar(200)`, (c) => c.notNull())
        .addColumn("name_en", sql`varchar(200)`)
        .addColumn("time_zone", sql`varchar(64)`, (c) => c.notNull())
        .addColumn("grids", capabilities(dialect).documentType, (c) => c.notNull())
        .addColumn("created_at", sql`varchar(32)`, (c) => c.notNull())
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("residents")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("status", sql`varchar(16)`, (c) => c.notNull())
        .addColumn("display_name", sql`varchar(200)`, (c) => c.notNull())
        .addColumn("display_name_lower", sql`varchar(200)`, (c) => c.notNull())
        .addColumn("grid", sql`varchar(32)`)
        .addColumn("birth_year", "integer")
        .addColumn("home_province", sql`varchar(32)`)
        .addColumn("data", capabilities(dialect).documentType, (c) => c.notNull())
        .addColumn("created_at", sql`varchar(32)`, (c) => c.notNull())
        .addColumn("updated_at", sql`varchar(32)`, (c) => c.notNull())
        .addPrimaryKeyConstraint("residents_pk", ["community_id", "id"])
    ).execute()
    await db.schema
      .createIndex("residents_status_idx")
      .on("residents")
      .columns(["community_id", "status", "id"])
      .execute()
    await db.schema.createIndex("residents_grid_idx").on("residents").columns(["community_id", "grid", "id"]).execute()
    await db.schema
      .createIndex("residents_province_idx")
      .on("residents")
      .columns(["community_id", "home_province", "id"])
      .execute()

    await childTable(db, dialect, "resident_tags", (t) =>
      t.addColumn("tag", sql`varchar(40)`, (c) => c.notNull())
    ).execute()
    await db.schema
      .createIndex("resident_tags_tag_idx")
      .on("resident_tags")
      .columns(["community_id", "tag", "resident_id"])
      .execute()

    await childTable(db, dialect, "resident_languages", (t) =>
      t.addColumn("language", sql`varchar(8)`, (c) => c.notNull()).addColumn("dialect", sql`varchar(64)`)
    ).execute()
    await db.schema
      .createIndex("resident_languages_language_idx")
      .on("resident_languages")
      .columns(["community_id", "language", "resident_id"])
      .execute()
    await db.schema
      .createIndex("resident_languages_dialect_idx")
      .on("resident_languages")
      .columns(["community_id", "dialect", "resident_id"])
      .execute()

    await childTable(db, dialect, "resident_skills", (t) =>
      t.addColumn("skill", sql`varchar(64)`, (c) => c.notNull())
    ).execute()
    await db.schema
      .createIndex("resident_skills_skill_idx")
      .on("resident_skills")
      .columns(["community_id", "skill", "resident_id"])
      .execute()

    await childTable(db, dialect, "resident_guardians", (t) =>
      t.addColumn("guardian_id", ID, (c) => c.notNull())
    ).execute()
    await db.schema
      .createIndex("resident_guardians_guardian_idx")
      .on("resident_guardians")
      .columns(["community_id", "guardian_id", "resident_id"])
      .execute()

    await createOutbox(db, dialect)
  },
  async down(db: AnyDb) {
    for (const table of [
      "outbox",
      "outbox_heads",
      "resident_guardians",
      "resident_skills",
      "resident_languages",
      "resident_tags",
      "residents",
      "communities"
    ]) {
      await db.schema.dropTable(table).ifExists().execute()
    }
  }
})

/** Every migration of the store for a dialect, by name (applied in name order). */
export const migrations = (dialect: Dialect): Readonly<Record<string, Migration>> => ({
  "0001_residents_and_outbox": m0001(dialect)
})

/** The store's migrations for a dialect as a Kysely `MigrationProvider`. */
export const migrationProvider = (dialect: Dialect): MigrationProvider => ({
  getMigrations: () => Promise.resolve({ ...migrations(dialect) })
})

/** A Kysely `Migrator` for the store's migrations and tables. */
export const makeMigrator = (db: Kysely<Database>, dialect: Dialect = detectDialect(db)): Migrator =>
  new Migrator({
    db,
    provider: migrationProvider(dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE
  })

/**
 * Brings the database to the latest schema; returns the names of the migrations it applied
 * (none when it was up to date). A failure is a defect (the store cannot run on a schema it does
 * not know). The dialect is detected from the Kysely adapter unless given. Retried a few times,
 * because two processes creating the lock table at the same
 * moment, or two SQLite processes racing for the writer lock, fail once and then find the work
 * done.
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
  Effect.tryPromise({
    try: async () => {
      const { error, results } = await makeMigrator(db, dialect ?? detectDialect(db)).migrateToLatest()
      if (error !== undefined) throw error
      return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName)
    },
    catch: (error) => error
  }).pipe(Effect.retry(Schedule.max([Schedule.recurs(3), Schedule.spaced("200 millis")])), Effect.orDie)
