/**
 * `0003_residents`: the resident registry's tables and indexes (split out of the single
 * migration `0001_residents_and_outbox` of earlier versions; the same tables, columns, keys and
 * indexes). The index tables reference their resident and are deleted with it.
 *
 * @module
 */
import { type CreateTableBuilder, sql } from "kysely"
import { type AnyDb, ID, type MigrationFor, withOptions } from "../../kernel/Ddl.js"
import { capabilities, type Dialect } from "../../kernel/Dialect.js"

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

/** Creates `residents`, its index tables and their indexes. */
export const m0003Residents: MigrationFor = (dialect) => ({
  async up(db: AnyDb) {
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
  },
  async down(db: AnyDb) {
    for (const table of ["resident_guardians", "resident_skills", "resident_languages", "resident_tags", "residents"]) {
      await db.schema.dropTable(table).ifExists().execute()
    }
  }
})
