/**
 * The repositories and the outbox over one {@link Connection}: the adapter's implementation of
 * core's `CommunityRepo`, `ResidentRepo` and `Outbox` ports.
 *
 * Rows keep the whole aggregate as `Schema`-encoded JSON (`data`), which is what reads decode;
 * the scalar columns and the child index tables beside it exist to filter and to check versions,
 * and are rewritten with every write.
 *
 * @module
 */
import {
  Community,
  Conflict,
  DomainEvent,
  Resident,
  StoredEvent,
  type CommunityRepo,
  type Paging,
  type Outbox,
  type ResidentRepo,
  type CommunityId,
  type ResidentId,
  type ResidentQuery
} from "@commonweal/core"
import { Effect, Schema } from "effect"
import { sql, type Insertable, type Selectable } from "kysely"
import type { Connection, Executor } from "./Connection.js"
import type { Database, ResidentsTable } from "./Database.js"
import { containsLiteral } from "./Dialect.js"

type Window = Paging.Window

const encodeResident = Schema.encodeSync(Resident)
const decodeResident = Schema.decodeUnknown(Resident)
const encodeCommunity = Schema.encodeSync(Community)
const decodeCommunity = Schema.decodeUnknown(Community)
const encodeEvent = Schema.encodeSync(DomainEvent)
const decodeStoredEvent = Schema.decodeUnknown(StoredEvent)

/** Parses JSON text from the database; a bad document is a defect (the data is corrupt). */
const parseJson = (text: string): Effect.Effect<unknown> => Effect.orDie(Effect.try(() => JSON.parse(text) as unknown))

/** A database integer (a number, or a string or bigint for 64-bit columns) as a safe JS number. */
export const toSafeInteger = (value: number | string | bigint): number => {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) throw new Error(`@commonweal/store-kysely: ${String(value)} is not a safe integer`)
  return n
}

// ---------------------------------------------------------------------------------------------
// communities

/** `CommunityRepo` over SQL. */
export const makeCommunityRepo = (conn: Connection): CommunityRepo["Type"] => {
  const fromRow = (row: Selectable<Database["communities"]>) =>
    Effect.flatMap(parseJson(row.grids), (grids) =>
      Effect.orDie(
        decodeCommunity({
          id: row.community_id,
          name: row.name,
          nameEn: row.name_en,
          timeZone: row.time_zone,
          grids,
          createdAt: row.created_at
        })
      )
    )

  return {
    insert: (community) => {
      const encoded = encodeCommunity(community)
      const duplicate = Conflict.duplicate("Community", community.id)
      return conn.withTransaction(
        Effect.gen(function* () {
          const existing = yield* conn.run((db) =>
            db.selectFrom("communities").select("community_id").where("community_id", "=", community.id).executeTakeFirst()
          )
          if (existing !== undefined) return yield* Effect.fail(duplicate)
          yield* conn
            .attempt((db) =>
              db
                .insertInto("communities")
                .values({
                  community_id: encoded.id,
                  name: encoded.name,
                  name_en: encoded.nameEn,
                  time_zone: encoded.timeZone,
                  grids: JSON.stringify(encoded.grids),
                  created_at: encoded.createdAt
                })
                .execute()
            )
            .pipe(Effect.catchAll((e) => (conn.caps.isUniqueViolation(e) ? Effect.fail(duplicate) : Effect.die(e))))
        })
      )
    },
    findById: (id) =>
      conn
        .run((db) => db.selectFrom("communities").selectAll().where("community_id", "=", id).executeTakeFirst())
        .pipe(
          Effect.flatMap((row) => (row === undefined ? Effect.succeedNone : Effect.asSome(fromRow(row))))
        ),
    list: () =>
      conn
        .run((db) => db.selectFrom("communities").selectAll().orderBy("community_id").execute())
        .pipe(Effect.flatMap((rows) => Effect.forEach(rows, fromRow)))
  }
}

// ---------------------------------------------------------------------------------------------
// residents

const residentRow = (resident: Resident): Insertable<ResidentsTable> => {
  const encoded = encodeResident(resident)
  return {
    community_id: resident.communityId,
    id: resident.id,
    version: resident.version,
    status: resident.status,
    display_name: resident.displayName,
    display_name_lower: resident.displayName.toLowerCase(),
    grid: resident.grid,
    birth_year: resident.birthYear,
    home_province: resident.homePlace?.province ?? null,
    data: JSON.stringify(encoded),
    created_at: encoded.createdAt,
    updated_at: encoded.updatedAt
  }
}

/**
 * Writes the child index tables of a resident (inside the caller's transaction); `replace`
 * deletes the old rows first (an update; a new resident has none, and not deleting spares
 * MySQL a gap lock).
 */
const writeChildren = (db: Executor, resident: Resident, replace: boolean): Promise<void> => {
  const key = { community_id: resident.communityId, resident_id: resident.id }
  const tables = ["resident_tags", "resident_languages", "resident_skills", "resident_guardians"] as const
  const run = async () => {
    for (const table of replace ? tables : []) {
      await db
        .deleteFrom(table)
        .where("community_id", "=", key.community_id)
        .where("resident_id", "=", key.resident_id)
        .execute()
    }
    if (resident.tags.length > 0) {
      await db.insertInto("resident_tags").values(resident.tags.map((tag, position) => ({ ...key, position, tag }))).execute()
    }
    if (resident.languages.length > 0) {
      await db
        .insertInto("resident_languages")
        .values(
          resident.languages.map((l, position) => ({ ...key, position, language: l.language, dialect: l.dialect ?? null }))
        )
        .execute()
    }
    if (resident.skills.length > 0) {
      await db
        .insertInto("resident_skills")
        .values(resident.skills.map((skill, position) => ({ ...key, position, skill })))
        .execute()
    }
    if (resident.guardianIds.length > 0) {
      await db
        .insertInto("resident_guardians")
        .values(resident.guardianIds.map((guardian_id, position) => ({ ...key, position, guardian_id })))
        .execute()
    }
  }
  return run()
}

/** `ResidentRepo` over SQL. */
export const makeResidentRepo = (conn: Connection): ResidentRepo["Type"] => {
  const fromData = (data: string) => Effect.flatMap(parseJson(data), (json) => Effect.orDie(decodeResident(json)))

  const insert = (resident: Resident) => {
    const duplicate = Conflict.duplicate("Resident", resident.id)
    const row = residentRow(resident)
    return conn.withTransaction(
      Effect.gen(function* () {
        // Ids are unique per community (the key is (community_id, id)). Looking first, by the
        // key, keeps the common duplicate from aborting a PostgreSQL transaction; the key's
        // unique violation still catches a race.
        const existing = yield* conn.run((db) =>
          db
            .selectFrom("residents")
            .select("id")
            .where("community_id", "=", resident.communityId)
            .where("id", "=", resident.id)
            .executeTakeFirst()
        )
        if (existing !== undefined) return yield* Effect.fail(duplicate)
        yield* conn
          .attempt(async (db) => {
            await db.insertInto("residents").values(row).execute()
            await writeChildren(db, resident, false)
          })
          .pipe(Effect.catchAll((e) => (conn.caps.isUniqueViolation(e) ? Effect.fail(duplicate) : Effect.die(e))))
      })
    )
  }

  const update = (resident: Resident) => {
    const row = residentRow(resident)
    return conn.withTransaction(
      Effect.gen(function* () {
        const result = yield* conn.run((db) =>
          db
            .updateTable("residents")
            .set({
              version: row.version,
              status: row.status,
              display_name: row.display_name,
              display_name_lower: row.display_name_lower,
              grid: row.grid,
              birth_year: row.birth_year,
              home_province: row.home_province,
              data: row.data,
              created_at: row.created_at,
              updated_at: row.updated_at
            })
            .where("community_id", "=", resident.communityId)
            .where("id", "=", resident.id)
            .where("version", "=", resident.version - 1)
            .executeTakeFirst()
        )
        if (result.numUpdatedRows === 0n) return yield* Effect.fail(Conflict.stale("Resident", resident.id))
        yield* conn.run((db) => writeChildren(db, resident, true))
      })
    )
  }

  const findById = (communityId: CommunityId, id: ResidentId) =>
    conn
      .run((db) =>
        db
          .selectFrom("residents")
          .select("data")
          .where("community_id", "=", communityId)
          .where("id", "=", id)
          .executeTakeFirst()
      )
      .pipe(Effect.flatMap((row) => (row === undefined ? Effect.succeedNone : Effect.asSome(fromData(row.data)))))

  const search = (query: ResidentQuery, window: Window) => {
    // erased residents are never listed, whatever the caller passes
    const statuses = query.statuses.filter((s) => s === "active" || s === "inactive")
    if (statuses.length === 0 || window.limit <= 0) return Effect.succeed<ReadonlyArray<Resident>>([])
    return conn
      .run((db) => {
        let q = db
          .selectFrom("residents as r")
          .select("r.data")
          .where("r.community_id", "=", query.communityId)
          .where("r.status", "in", statuses)
        if (window.after !== undefined) q = q.where("r.id", ">", window.after)
        if (query.grid !== undefined) q = q.where("r.grid", "=", query.grid)
        if (query.homeProvince !== undefined) q = q.where("r.home_province", "=", query.homeProvince)
        if (query.bornFrom !== undefined) q = q.where("r.birth_year", ">=", query.bornFrom)
        if (query.bornTo !== undefined) q = q.where("r.birth_year", "<=", query.bornTo)
        if (query.nameContains !== undefined) {
          q = q.where(containsLiteral(sql.ref<string>("r.display_name_lower"), query.nameContains.toLowerCase()))
        }
        const { tag, skill, language, dialect, selfOrWardsOf } = query
        if (tag !== undefined) {
          q = q.where(({ exists, selectFrom }) =>
            exists(
              selectFrom("resident_tags as c")
                .select("c.resident_id")
                .whereRef("c.community_id", "=", "r.community_id")
                .whereRef("c.resident_id", "=", "r.id")
                .where("c.tag", "=", tag)
            )
          )
        }
        if (skill !== undefined) {
          q = q.where(({ exists, selectFrom }) =>
            exists(
              selectFrom("resident_skills as c")
                .select("c.resident_id")
                .whereRef("c.community_id", "=", "r.community_id")
                .whereRef("c.resident_id", "=", "r.id")
                .where("c.skill", "=", skill)
            )
          )
        }
        if (language !== undefined || dialect !== undefined) {
          // with both, they must hold for the same language entry
          q = q.where(({ exists, selectFrom }) => {
            let sub = selectFrom("resident_languages as c")
              .select("c.resident_id")
              .whereRef("c.community_id", "=", "r.community_id")
              .whereRef("c.resident_id", "=", "r.id")
            if (language !== undefined) sub = sub.where("c.language", "=", language)
            if (dialect !== undefined) sub = sub.where("c.dialect", "=", dialect)
            return exists(sub)
          })
        }
        if (selfOrWardsOf !== undefined) {
          q = q.where(({ or, eb, exists, selectFrom }) =>
            or([
              eb("r.id", "=", selfOrWardsOf),
              exists(
                selectFrom("resident_guardians as c")
                  .select("c.resident_id")
                  .whereRef("c.community_id", "=", "r.community_id")
                  .whereRef("c.resident_id", "=", "r.id")
                  .where("c.guardian_id", "=", selfOrWardsOf)
              )
            ])
          )
        }
        return q.orderBy("r.id").limit(window.limit).execute()
      })
      .pipe(Effect.flatMap((rows) => Effect.forEach(rows, (row) => fromData(row.data))))
  }

  return { insert, update, findById, search }
}

// ---------------------------------------------------------------------------------------------
// outbox

/** `Outbox` over SQL. `sequence` comes from the database's auto-increment column. */
export const makeOutbox = (conn: Connection): Outbox["Type"] => ({
  append: (events) => {
    if (events.length === 0) return Effect.void
    const rows = events.map((event) => {
      const encoded = encodeEvent(event)
      return {
        community_id: encoded.communityId,
        id: encoded.id,
        type: encoded.type,
        aggregate_type: encoded.aggregateType,
        aggregate_id: encoded.aggregateId,
        aggregate_version: encoded.aggregateVersion,
        occurred_at: encoded.occurredAt,
        actor: encoded.actor,
        payload: JSON.stringify(encoded.payload ?? null)
      }
    })
    // one multi-row INSERT: atomic on its own, and the rows get increasing sequences in order
    return conn.run((db) => db.insertInto("outbox").values(rows).execute()).pipe(Effect.asVoid)
  },
  list: (communityId, afterSequence, limit) => {
    if (limit <= 0) return Effect.succeed<ReadonlyArray<StoredEvent>>([])
    return conn
      .run((db) =>
        db
          .selectFrom("outbox")
          .selectAll()
          .where("community_id", "=", communityId)
          .where("sequence", ">", afterSequence)
          .orderBy("sequence")
          .limit(limit)
          .execute()
      )
      .pipe(
        Effect.flatMap((rows) =>
          Effect.forEach(rows, (row) =>
            Effect.flatMap(parseJson(row.payload), (payload) =>
              Effect.orDie(
                Effect.suspend(() =>
                  decodeStoredEvent({
                    id: row.id,
                    communityId: row.community_id,
                    type: row.type,
                    aggregateType: row.aggregate_type,
                    aggregateId: row.aggregate_id,
                    aggregateVersion: toSafeInteger(row.aggregate_version),
                    occurredAt: row.occurred_at,
                    actor: row.actor,
                    payload,
                    sequence: toSafeInteger(row.sequence)
                  })
                )
              )
            )
          )
        )
      )
  }
})
