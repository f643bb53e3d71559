/**
 * `0008_mutual_aid`: mutual aid's tables and indexes (see `../tables.ts`): volunteers with their
 * skills and roles, help requests with their volunteers, care plans, visits and walking
 * distances. Every key and index leads with `community_id`.
 *
 * Versions and times are `bigint`; ids `varchar(36)`; statuses `varchar(16)`; skills, roles and
 * categories `varchar(40)` / `varchar(32)` (their schemas' patterns); buildings `varchar(40)`
 * (`Location.building`). Records are JSON text of the dialect's document type (`mediumtext` on
 * MySQL/MariaDB).
 *
 * **A resident is one volunteer per community**: `mutual_aid_volunteers_resident_uq` is a plain
 * unique key on `(community_id, resident_id)`. Outside members have no resident (`NULL`), and
 * every dialect treats `NULL`s as distinct in a unique key (PostgreSQL's default `NULLS
 * DISTINCT`, SQLite, and InnoDB on MySQL/MariaDB), so any number of them may share a community
 * while a second volunteer of the same resident is refused by the database, which the repository
 * reports as `Conflict` duplicate. No partial index is needed, which MySQL/MariaDB do not have.
 *
 * The side tables (skills, roles, request volunteers) reference their record and are deleted with
 * it; visits and walking distances stand alone (they are upserted, and core never deletes a plan).
 *
 * @module
 */
import { type CreateTableBuilder, sql } from "kysely"
import { type AnyDb, ID, type MigrationFor, withOptions } from "../../kernel/Ddl.js"
import { capabilities, type Dialect } from "../../kernel/Dialect.js"

/** The column type of statuses. */
const KIND = sql`varchar(16)`
/** The column type of team roles and categories (`RoleCode`: at most 32 characters). */
const ROLE = sql`varchar(32)`
/** The column type of skills (`Skill`: at most 40 characters). */
const SKILL = sql`varchar(40)`
/** The column type of buildings (`Location.building`: at most 40 characters). */
const BUILDING = sql`varchar(40)`

/**
 * A side table keyed by `(community_id, <value>, <owner>)`, with an index `(community_id,
 * <owner>)` to rewrite an owner's rows, and deleted with its owner.
 */
const sideTable = async (
  db: AnyDb,
  dialect: Dialect,
  spec: {
    readonly name: string
    readonly value: string
    readonly valueType: ReturnType<typeof sql>
    readonly owner: string
    readonly ownerTable: string
  }
) => {
  const table: CreateTableBuilder<string, string> = db.schema
    .createTable(spec.name)
    .addColumn("community_id", ID, (c) => c.notNull())
    .addColumn(spec.value, spec.valueType, (c) => c.notNull())
    .addColumn(spec.owner, ID, (c) => c.notNull())
    .addPrimaryKeyConstraint(`${spec.name}_pk`, ["community_id", spec.value, spec.owner])
    .addForeignKeyConstraint(
      `${spec.name}_owner_fk`,
      ["community_id", spec.owner],
      spec.ownerTable,
      ["community_id", "id"],
      (fk) => fk.onDelete("cascade")
    )
  await withOptions(dialect, table).execute()
  await db.schema.createIndex(`${spec.name}_owner_idx`).on(spec.name).columns(["community_id", spec.owner]).execute()
}

/** Creates mutual aid's tables and their indexes. */
export const m0008MutualAid: MigrationFor = (dialect) => ({
  async up(db: AnyDb) {
    const DOCUMENT = capabilities(dialect).documentType

    await withOptions(
      dialect,
      db.schema
        .createTable("mutual_aid_volunteers")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("status", KIND, (c) => c.notNull())
        .addColumn("resident_id", ID)
        .addColumn("data", DOCUMENT, (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("mutual_aid_volunteers_pk", ["community_id", "id"])
        .addUniqueConstraint("mutual_aid_volunteers_resident_uq", ["community_id", "resident_id"])
    ).execute()
    await db.schema
      .createIndex("mutual_aid_volunteers_status_idx")
      .on("mutual_aid_volunteers")
      .columns(["community_id", "status", "id"])
      .execute()
    await sideTable(db, dialect, {
      name: "mutual_aid_volunteer_skills",
      value: "skill",
      valueType: SKILL,
      owner: "volunteer_id",
      ownerTable: "mutual_aid_volunteers"
    })
    await sideTable(db, dialect, {
      name: "mutual_aid_volunteer_roles",
      value: "role",
      valueType: ROLE,
      owner: "volunteer_id",
      ownerTable: "mutual_aid_volunteers"
    })

    await withOptions(
      dialect,
      db.schema
        .createTable("mutual_aid_requests")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("status", KIND, (c) => c.notNull())
        .addColumn("requester_id", ID, (c) => c.notNull())
        .addColumn("category", ROLE, (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("data", DOCUMENT, (c) => c.notNull())
        .addPrimaryKeyConstraint("mutual_aid_requests_pk", ["community_id", "id"])
    ).execute()
    for (const [suffix, column] of [
      ["status", "status"],
      ["requester", "requester_id"],
      ["category", "category"]
    ] as const) {
      await db.schema
        .createIndex(`mutual_aid_requests_${suffix}_idx`)
        .on("mutual_aid_requests")
        .columns(["community_id", column, "id"])
        .execute()
    }
    await db.schema
      .createIndex("mutual_aid_requests_created_idx")
      .on("mutual_aid_requests")
      .columns(["community_id", "created_at"])
      .execute()
    await sideTable(db, dialect, {
      name: "mutual_aid_request_volunteers",
      value: "volunteer_id",
      valueType: ID,
      owner: "request_id",
      ownerTable: "mutual_aid_requests"
    })

    await withOptions(
      dialect,
      db.schema
        .createTable("mutual_aid_plans")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("status", KIND, (c) => c.notNull())
        .addColumn("resident_id", ID, (c) => c.notNull())
        .addColumn("data", DOCUMENT, (c) => c.notNull())
        .addPrimaryKeyConstraint("mutual_aid_plans_pk", ["community_id", "id"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("mutual_aid_visits")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("plan_id", ID, (c) => c.notNull())
        .addColumn("due_start", "bigint", (c) => c.notNull())
        .addColumn("data", DOCUMENT, (c) => c.notNull())
        .addPrimaryKeyConstraint("mutual_aid_visits_pk", ["community_id", "plan_id", "due_start"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("mutual_aid_walking")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("building_a", BUILDING, (c) => c.notNull())
        .addColumn("building_b", BUILDING, (c) => c.notNull())
        .addColumn("metres", "double precision", (c) => c.notNull())
        .addPrimaryKeyConstraint("mutual_aid_walking_pk", ["community_id", "building_a", "building_b"])
    ).execute()
  },
  async down(db: AnyDb) {
    for (const table of [
      "mutual_aid_walking",
      "mutual_aid_visits",
      "mutual_aid_plans",
      "mutual_aid_request_volunteers",
      "mutual_aid_requests",
      "mutual_aid_volunteer_roles",
      "mutual_aid_volunteer_skills",
      "mutual_aid_volunteers"
    ]) {
      await db.schema.dropTable(table).ifExists().execute()
    }
  }
})
