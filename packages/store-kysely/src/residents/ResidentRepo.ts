/**
 * Core's `ResidentRepo` port over SQL.
 *
 * A row keeps the whole resident as `Schema`-encoded JSON (`data`), which is what reads decode;
 * the scalar columns and the child index tables beside it (`resident_tags`, `resident_languages`,
 * `resident_skills`, `resident_guardians`) exist to filter and to check versions, and are
 * rewritten with every write, in the same transaction.
 *
 * - **Inserts never raise on a duplicate key** where that would abort the caller's transaction
 *   (PostgreSQL): a duplicate is `Conflict` (duplicate) and the caller may go on (see `insertNew`).
 * - **Optimistic versions**: `update` changes the row only where `version` is the previous one;
 *   `lock` checks the version with `SELECT … FOR UPDATE` (a plain select on SQLite, whose
 *   transactions run one at a time), so the row cannot change until the transaction ends. Two
 *   transactions that lock and update the same rows in opposite orders deadlock; the database
 *   aborts one, which fails with `Conflict` (stale_version) and may be retried.
 * - **Decoded residents** are remembered per store instance and reused when a row read carries
 *   the very same text (see {@link makeDecodedResidents}).
 *
 * @module
 */
import {
  Conflict,
  Resident,
  type CommunityId,
  type Paging,
  type ResidentId,
  type ResidentQuery,
  type ResidentRepo
} from "@commonweal/core"
import { Effect, Result, Schema } from "effect"
import { sql, type Insertable } from "kysely"
import type { Connection, Executor } from "../kernel/Connection.js"
import { containsLiteral } from "../kernel/Dialect.js"
import { insertNew, parseJson, rowDecoderResult, staleOnDeadlock, toSafeInteger } from "../kernel/Rows.js"
import type { ResidentsDatabase, ResidentsTable } from "./tables.js"

type Window = Paging.Window

const encodeResident = Schema.encodeSync(Resident)
const decodeResident = rowDecoderResult(Resident, "residents")

/** The entity name of conflicts and defects. */
const ENTITY = "Resident"

/** A resident from its `data` column; a failure is the defect. */
const residentFromData = (communityId: string, id: string, data: string): Result.Result<Resident, Error> => {
  const key = `${communityId}/${id}`
  const json = parseJson("residents", key, "data", data)
  return Result.isSuccess(json) ? decodeResident(key, json.success) : Result.fail(json.failure)
}

/**
 * How many decoded residents one store instance keeps (see {@link makeDecodedResidents}).
 * `0` switches the memory off: every read then decodes its row.
 */
export const DECODED_RESIDENTS_CAPACITY = 1_000

/**
 * Decoding a stored resident (`JSON.parse`, then the `Resident` schema with its dates) is the
 * largest cost of a read after the database itself. Decoding is a pure function of the `data`
 * text, so each store instance remembers, per (community, id), the last text it decoded and
 * the immutable resident it gave, and reuses that resident when a row it reads carries the
 * very same text. The row is always read first and compared in full: the memory never answers
 * on its own, so writes, rolled-back writes and other store instances on the same database
 * cannot make it stale. At most `capacity` entries, the least recently used dropped first;
 * with a `capacity` of 0 nothing is kept and every read decodes.
 */
const makeDecodedResidents = (capacity = DECODED_RESIDENTS_CAPACITY) => {
  if (capacity <= 0) {
    return {
      decoded: (communityId: string, id: string, data: string): Effect.Effect<Resident> => {
        const fresh = residentFromData(communityId, id, data)
        return Result.isSuccess(fresh) ? Effect.succeed(fresh.success) : Effect.die(fresh.failure)
      },
      forget: (_communityId: string, _id: string): void => {}
    }
  }
  const entries = new Map<string, { readonly data: string; readonly resident: Resident }>()
  /** Drops what is kept of a resident: on every write, so that an erased record's old data is not kept in memory. */
  const forget = (communityId: string, id: string): void => {
    entries.delete(`${communityId}\u0000${id}`)
  }
  const decoded = (communityId: string, id: string, data: string): Effect.Effect<Resident> => {
    const key = `${communityId}\u0000${id}`
    const hit = entries.get(key)
    if (hit !== undefined) {
      entries.delete(key) // re-inserted below: most recently used last
      if (hit.data === data) {
        entries.set(key, hit)
        return Effect.succeed(hit.resident)
      }
    }
    const fresh = residentFromData(communityId, id, data)
    if (Result.isFailure(fresh)) return Effect.die(fresh.failure)
    if (entries.size >= capacity) entries.delete(entries.keys().next().value as string)
    entries.set(key, { data, resident: fresh.success })
    return Effect.succeed(fresh.success)
  }
  return { decoded, forget }
}

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
const writeChildren = (db: Executor<ResidentsDatabase>, resident: Resident, replace: boolean): Promise<void> => {
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
      await db
        .insertInto("resident_tags")
        .values(resident.tags.map((tag, position) => ({ ...key, position, tag })))
        .execute()
    }
    if (resident.languages.length > 0) {
      await db
        .insertInto("resident_languages")
        .values(
          resident.languages.map((l, position) => ({
            ...key,
            position,
            language: l.language,
            dialect: l.dialect ?? null
          }))
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

/**
 * `ResidentRepo` over SQL. `decodedResidents`: how many decoded residents the repository keeps
 * (see {@link makeDecodedResidents}); `0` switches that memory off.
 */
export const makeResidentRepo = (
  conn: Connection<ResidentsDatabase>,
  decodedResidents: number = DECODED_RESIDENTS_CAPACITY
): ResidentRepo["Service"] => {
  const { decoded: fromData, forget } = makeDecodedResidents(decodedResidents)
  const byId = conn.prepare((db, param) =>
    db.selectFrom("residents").select("data").where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const versionOf = conn.prepare((db, param) => {
    const query = db
      .selectFrom("residents")
      .select("version")
      .where("community_id", "=", param(0))
      .where("id", "=", param(1))
    return conn.caps.lockForUpdate ? query.forUpdate() : query
  })

  const insert = (resident: Resident) => {
    const row = residentRow(resident)
    return conn.withTransaction(
      Effect.gen(function* () {
        // Ids are unique per community (the key is (community_id, id)).
        const inserted = yield* insertNew(conn, (db, ignoreDuplicate) => {
          const insert = db.insertInto("residents").values(row)
          return (
            ignoreDuplicate ? insert.onConflict((oc) => oc.columns(["community_id", "id"]).doNothing()) : insert
          ).executeTakeFirstOrThrow()
        })
        if (!inserted) return yield* Effect.fail(Conflict.duplicate(ENTITY, resident.id))
        yield* conn.run((db) => writeChildren(db, resident, false))
      })
    )
  }

  const update = (resident: Resident) => {
    const row = residentRow(resident)
    // drop what is kept of the old record before the write and again once its transaction has
    // ended, so that no decoded copy of the replaced data (e.g. before an erasure) stays in
    // memory, even one a concurrent read on another connection cached meanwhile
    const forgetIt = Effect.sync(() => forget(resident.communityId, resident.id))
    return forgetIt.pipe(
      Effect.andThen(
        conn.withTransaction(
          conn
            .attempt(async (db) => {
              const result = await db
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
              if (result.numUpdatedRows === 0n) return false
              await writeChildren(db, resident, true)
              return true
            })
            .pipe(
              Effect.catch(staleOnDeadlock(conn, ENTITY, resident.id)),
              Effect.flatMap((updated) => (updated ? Effect.void : Effect.fail(Conflict.stale(ENTITY, resident.id))))
            )
        )
      ),
      Effect.ensuring(conn.afterTransaction(() => forget(resident.communityId, resident.id)))
    )
  }

  const lock = (communityId: CommunityId, id: ResidentId, version: number) =>
    versionOf(communityId, id).pipe(
      Effect.catch(staleOnDeadlock(conn, ENTITY, id)),
      Effect.flatMap((rows) => {
        const stored = rows[0]
        return stored !== undefined && toSafeInteger(stored.version) === version
          ? Effect.void
          : Effect.fail(Conflict.stale(ENTITY, id))
      })
    )

  const findById = (communityId: CommunityId, id: ResidentId) =>
    Effect.flatMap(Effect.orDie(byId(communityId, id)), (rows) => {
      const row = rows[0]
      return row === undefined ? Effect.succeedNone : Effect.asSome(fromData(communityId, id, row.data))
    })

  const search = (query: ResidentQuery, window: Window) => {
    // erased residents are never listed, whatever the caller passes
    const statuses = query.statuses.filter((s) => s === "active" || s === "inactive")
    if (statuses.length === 0 || window.limit <= 0) return Effect.succeed<ReadonlyArray<Resident>>([])
    return conn
      .run((db) => {
        let q = db
          .selectFrom("residents as r")
          .select(["r.id", "r.data"])
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
      .pipe(Effect.flatMap((rows) => Effect.forEach(rows, (row) => fromData(query.communityId, row.id, row.data))))
  }

  return { insert, update, lock, findById, search }
}
