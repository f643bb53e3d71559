/**
 * The repositories and the outbox over one {@link Connection}: the adapter's implementation of
 * core's `CommunityRepo`, `ResidentRepo` and `Outbox` ports.
 *
 * Rows keep the whole aggregate as `Schema`-encoded JSON (`data`), which is what reads decode;
 * the scalar columns and the child index tables beside it exist to filter and to check versions,
 * and are rewritten with every write.
 *
 * - **Inserts never raise on a duplicate key** where that would abort the caller's transaction
 *   (PostgreSQL): they insert `ON CONFLICT DO NOTHING` and report `Conflict` (duplicate) when no
 *   row went in, so a caller may catch it and go on in the same transaction (see
 *   `Capabilities.upsert` for MySQL).
 * - **Optimistic versions**: `update` changes the row only where `version` is the previous one;
 *   `lock` checks the version with `SELECT … FOR UPDATE` (a plain select on SQLite, whose
 *   transactions run one at a time), so the row cannot change until the transaction ends. Two
 *   transactions that lock and update the same rows in opposite orders deadlock; the database
 *   aborts one, which fails with `Conflict` (stale_version) and may be retried.
 * - **Outbox sequences** come from `outbox_heads`, one row per community: an append increments
 *   it by the number of events, in the appending transaction, and numbers the events from it.
 *   The row stays locked until that transaction ends, so the appends of one community run one
 *   after another and commit in sequence order: a reader that saw sequence n has seen every
 *   event below n. (The cost: two transactions appending to one community wait for each other
 *   from the append to the commit. Services append last.)
 * - **Stored rows that do not decode** are a defect whose message names the table, the key and
 *   the paths that failed, never the values (rows hold personal data; defects reach logs).
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
import { Effect, Result, Schema, type SchemaIssue } from "effect"
import { sql, type InsertResult, type Insertable, type Selectable } from "kysely"
import type { Connection, Executor } from "./Connection.js"
import type { Database, ResidentsTable } from "./Database.js"
import { containsLiteral } from "./Dialect.js"

type Window = Paging.Window

const encodeResident = Schema.encodeSync(Resident)
const encodeCommunity = Schema.encodeSync(Community)
const encodeEvent = Schema.encodeSync(DomainEvent)

/** A database integer (a number, or a string or bigint for 64-bit columns) as a safe JS number. */
export const toSafeInteger = (value: number | string | bigint): number => {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) throw new Error(`@commonweal/store-kysely: ${String(value)} is not a safe integer`)
  return n
}

// ---------------------------------------------------------------------------------------------
// reading stored rows

/**
 * Where a decode failed: the kind of each issue and its path, never the value found there (nor
 * a message, which may quote it). Walks the issue tree itself: pointers add to the path,
 * filters, encodings and composites are looked through to the issues they hold.
 */
const issuePaths = (error: Schema.SchemaError): string => {
  const issues: Array<string> = []
  const walk = (issue: SchemaIssue.Issue, path: ReadonlyArray<PropertyKey>): void => {
    switch (issue._tag) {
      case "Pointer":
        walk(issue.issue, [...path, ...issue.path])
        return
      case "Filter":
      case "Encoding":
        walk(issue.issue, path)
        return
      case "Composite":
      case "AnyOf":
        if (issue.issues.length > 0) {
          for (const inner of issue.issues) walk(inner, path)
          return
        }
    }
    issues.push(`${issue._tag} at ${path.length === 0 ? "(root)" : path.map(String).join(".")}`)
  }
  walk(error.issue, [])
  return [...new Set(issues)].join("; ")
}

const unreadable = (table: string, key: string, what: string) =>
  new Error(
    `@commonweal/store-kysely: the ${table} row ${key} cannot be read (${what}); it is corrupt or was not written by this adapter`
  )

/**
 * A decoder of stored rows for `schema`, compiled once. A failure is a defect that names the
 * table, the row's key and the failing paths only.
 */
const rowDecoder = <A>(schema: Schema.Decoder<A>, table: string) => {
  const decode = rowDecoderResult(schema, table)
  return (key: string, input: unknown): Effect.Effect<A> => {
    const result = decode(key, input)
    return Result.isSuccess(result) ? Effect.succeed(result.success) : Effect.die(result.failure)
  }
}

/** {@link rowDecoder} as a `Result` whose failure is the defect. */
const rowDecoderResult = <A>(schema: Schema.Decoder<A>, table: string) => {
  const decode = Schema.decodeUnknownResult(schema)
  return (key: string, input: unknown): Result.Result<A, Error> =>
    Result.mapError(decode(input), (error) => unreadable(table, key, issuePaths(error)))
}

/** Parses a JSON column; bad JSON is a defect naming the table, key and column (not the text). */
const parseJson = (table: string, key: string, column: string, text: string): Result.Result<unknown, Error> => {
  try {
    return Result.succeed(JSON.parse(text) as unknown)
  } catch {
    return Result.fail(unreadable(table, key, `${column} is not valid JSON`))
  }
}

const decodeCommunity = rowDecoder(Community, "communities")
const decodeResident = rowDecoderResult(Resident, "residents")
const decodeStoredEvent = rowDecoder(StoredEvent, "outbox")

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
const DECODED_RESIDENTS_CAPACITY = 1_000

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

// ---------------------------------------------------------------------------------------------
// writing

/**
 * Runs an insert of a new record and tells whether a row went in: `false` when the key exists
 * (`ON CONFLICT DO NOTHING` inserted nothing, or MySQL's duplicate-key error, which rolls back
 * that statement only). `onConflict` adds the dialect's clause to the insert.
 */
const insertNew = (
  conn: Connection,
  insert: (db: Executor, ignoreDuplicate: boolean) => Promise<InsertResult>
): Effect.Effect<boolean> =>
  conn
    .attempt((db) => insert(db, conn.caps.upsert === "on conflict"))
    .pipe(
      Effect.map((result) => result.numInsertedOrUpdatedRows !== 0n),
      Effect.catch((error) => (conn.caps.isUniqueViolation(error) ? Effect.succeed(false) : Effect.die(error)))
    )

/** A deadlock the database broke by aborting this transaction is `Conflict` (stale); other errors are defects. */
const staleOnDeadlock =
  (conn: Connection, id: string) =>
  (error: unknown): Effect.Effect<never, Conflict> =>
    conn.caps.isDeadlock(error) ? Effect.fail(Conflict.stale("Resident", id)) : Effect.die(error)

// ---------------------------------------------------------------------------------------------
// communities

/** `CommunityRepo` over SQL. */
export const makeCommunityRepo = (conn: Connection): CommunityRepo["Service"] => {
  const fromRow = (row: Selectable<Database["communities"]>): Effect.Effect<Community> => {
    const grids = parseJson("communities", row.community_id, "grids", row.grids)
    if (Result.isFailure(grids)) return Effect.die(grids.failure)
    return decodeCommunity(row.community_id, {
      id: row.community_id,
      name: row.name,
      nameEn: row.name_en,
      timeZone: row.time_zone,
      grids: grids.success,
      createdAt: row.created_at
    })
  }

  const byId = conn.prepare((db, param) =>
    db.selectFrom("communities").selectAll().where("community_id", "=", param(0))
  )

  return {
    insert: (community) => {
      const encoded = encodeCommunity(community)
      const row = {
        community_id: encoded.id,
        name: encoded.name,
        name_en: encoded.nameEn,
        time_zone: encoded.timeZone,
        grids: JSON.stringify(encoded.grids),
        created_at: encoded.createdAt
      }
      return Effect.flatMap(
        insertNew(conn, (db, ignoreDuplicate) => {
          const insert = db.insertInto("communities").values(row)
          return (
            ignoreDuplicate ? insert.onConflict((oc) => oc.column("community_id").doNothing()) : insert
          ).executeTakeFirstOrThrow()
        }),
        (inserted) => (inserted ? Effect.void : Effect.fail(Conflict.duplicate("Community", community.id)))
      )
    },
    findById: (id) =>
      Effect.flatMap(Effect.orDie(byId(id)), (rows) => {
        const row = rows[0]
        return row === undefined ? Effect.succeedNone : Effect.asSome(fromRow(row))
      }),
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
  conn: Connection,
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
        if (!inserted) return yield* Effect.fail(Conflict.duplicate("Resident", resident.id))
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
              Effect.catch(staleOnDeadlock(conn, resident.id)),
              Effect.flatMap((updated) =>
                updated ? Effect.void : Effect.fail(Conflict.stale("Resident", resident.id))
              )
            )
        )
      ),
      Effect.ensuring(conn.afterTransaction(() => forget(resident.communityId, resident.id)))
    )
  }

  const lock = (communityId: CommunityId, id: ResidentId, version: number) =>
    versionOf(communityId, id).pipe(
      Effect.catch(staleOnDeadlock(conn, id)),
      Effect.flatMap((rows) => {
        const stored = rows[0]
        return stored !== undefined && toSafeInteger(stored.version) === version
          ? Effect.void
          : Effect.fail(Conflict.stale("Resident", id))
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

// ---------------------------------------------------------------------------------------------
// outbox

/** `Outbox` over SQL. Sequences come from `outbox_heads` (see the module documentation). */
export const makeOutbox = (conn: Connection): Outbox["Service"] => {
  /**
   * Adds `count` to the community's head (creating it at `count`), which locks the head row
   * until the transaction ends; returns the new last sequence.
   */
  const advanceHead = (db: Executor, communityId: string, count: number): Promise<number | string | bigint> => {
    const insert = db.insertInto("outbox_heads").values({ community_id: communityId, last_sequence: count })
    if (conn.caps.upsert === "on conflict") {
      return insert
        .onConflict((oc) =>
          oc.column("community_id").doUpdateSet({ last_sequence: sql<number>`outbox_heads.last_sequence + ${count}` })
        )
        .returning("last_sequence")
        .executeTakeFirstOrThrow()
        .then((row) => row.last_sequence)
    }
    return insert
      .onDuplicateKeyUpdate({ last_sequence: sql<number>`last_sequence + ${count}` })
      .execute()
      .then(() =>
        db
          .selectFrom("outbox_heads")
          .select("last_sequence")
          .where("community_id", "=", communityId)
          .executeTakeFirstOrThrow()
      )
      .then((row) => row.last_sequence)
  }

  return {
    append: (events) => {
      if (events.length === 0) return Effect.void
      const byCommunity = new Map<string, Array<DomainEvent>>()
      for (const event of events) {
        const log = byCommunity.get(event.communityId)
        if (log === undefined) byCommunity.set(event.communityId, [event])
        else log.push(event)
      }
      // heads in a fixed order, so two appends to the same communities never wait for each other in a cycle
      const communities = [...byCommunity.keys()].sort()
      return conn.withTransaction(
        conn.run(async (db) => {
          const rows = []
          for (const communityId of communities) {
            const log = byCommunity.get(communityId)!
            const last = toSafeInteger(await advanceHead(db, communityId, log.length))
            let sequence = last - log.length
            for (const event of log) {
              const encoded = encodeEvent(event)
              rows.push({
                community_id: encoded.communityId,
                sequence: ++sequence,
                id: encoded.id,
                type: encoded.type,
                aggregate_type: encoded.aggregateType,
                aggregate_id: encoded.aggregateId,
                aggregate_version: encoded.aggregateVersion,
                occurred_at: encoded.occurredAt,
                actor: encoded.actor,
                payload: JSON.stringify(encoded.payload ?? null)
              })
            }
          }
          await db.insertInto("outbox").values(rows).execute()
        })
      )
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
            Effect.forEach(rows, (row) => {
              const sequence = toSafeInteger(row.sequence)
              const key = `${row.community_id}/${sequence}`
              const payload = parseJson("outbox", key, "payload", row.payload)
              if (Result.isFailure(payload)) return Effect.die(payload.failure)
              return decodeStoredEvent(key, {
                id: row.id,
                communityId: row.community_id,
                type: row.type,
                aggregateType: row.aggregate_type,
                aggregateId: row.aggregate_id,
                aggregateVersion: toSafeInteger(row.aggregate_version),
                occurredAt: row.occurred_at,
                actor: row.actor,
                payload: payload.success,
                sequence
              })
            })
          )
        )
    }
  }
}
