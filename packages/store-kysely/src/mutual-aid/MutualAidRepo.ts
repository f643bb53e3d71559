/**
 * Core's `MutualAidRepo` port over SQL: volunteers, help requests, care plans, visits and walking
 * distances in their own tables (see `tables.ts`), every key led by `community_id` and every
 * query filtered by it.
 *
 * - **Encoded and decoded with core's schemas.** A record is encoded (`Schema.encode`) before it
 *   is written and kept whole as JSON text (`data`), which is what reads decode (`Volunteer`,
 *   `HelpRequest`, `CarePlan`, `Visit`): a row that does not decode is a defect naming the
 *   table and the key, never the values. The scalar columns beside it (status, resident,
 *   requester, category, creation time, version) exist to filter and to check versions.
 * - **Duplicates never raise** on PostgreSQL and SQLite (`ON CONFLICT DO NOTHING`, which covers
 *   the primary key and, for volunteers, the resident's unique key); MySQL's duplicate-key error
 *   rolls back that statement only. Either way the write is `Conflict` duplicate and the
 *   caller's transaction goes on (see `insertNew`). An update that makes a volunteer a resident
 *   another volunteer already is is `Conflict` duplicate too (on PostgreSQL the refused statement
 *   also ends the caller's transaction, which must then be rolled back).
 * - **Optimistic versions**: volunteers, requests and plans are replaced only where the stored
 *   `version` is `version - 1`, else `Conflict` stale_version (a missing record is stale too).
 *   `lockRequest` reads the version with `SELECT … FOR UPDATE` (a plain select on SQLite, whose
 *   transactions run one at a time), so the request stays as checked until the transaction ends;
 *   a deadlock the database broke is `Conflict` stale_version too.
 * - **Filters on lists** go through side tables written in the record's transaction, with only
 *   the rows that changed: a volunteer's distinct skills (`mutual_aid_volunteer_skills`) and
 *   roles (`mutual_aid_volunteer_roles`), a request's distinct volunteers, offered, holding a
 *   place or with a service record (`mutual_aid_request_volunteers`). A filtered list reads the
 *   side table's key in id order and joins the records, so it is one indexed query, paged by id
 *   like any other list.
 * - **Visits** are upserted by `(community_id, plan_id, due_start)` and listed in that key's
 *   order; **walking distances** are stored once per pair, the two buildings in code-unit order
 *   (as `Matching.walkingKey` orders them), and upserted. Buildings are compared as the
 *   database compares `varchar`: exactly on SQLite and PostgreSQL; on MySQL/MariaDB with the
 *   binary collation, which ignores trailing spaces (`Location.building` is trimmed text, so
 *   core never hands over such a pair). Metres are `double precision` and read back unchanged.
 *
 * @module
 */
import {
  CarePlan,
  Conflict,
  HelpRequest,
  Matching,
  Visit,
  Volunteer,
  type CarePlanId,
  type CommunityId,
  type HelpRequestId,
  type MutualAidRepo,
  type Paging,
  type RequestQuery,
  type ResidentId,
  type VolunteerId,
  type VolunteerQuery
} from "@commonweal/core"
import { Effect, type Option, Result, Schema } from "effect"
import { sql } from "kysely"
import type { Connection, Executor } from "../kernel/Connection.js"
import { insertNew, issuePaths, parseJson, rowDecoderResult, staleOnDeadlock, toSafeInteger } from "../kernel/Rows.js"
import type { MutualAidDatabase } from "./tables.js"

type Window = Paging.Window

/** The entity names of conflicts. */
const VOLUNTEER = "Volunteer"
const REQUEST = "HelpRequest"
const PLAN = "CarePlan"
const VISIT = "Visit"

/**
 * `Schema.encodeResult` as an effect: a record that does not encode (which core's services never
 * hand over) is a defect naming the entity and the failing paths, never the values.
 */
const encoder = <T, E>(schema: Schema.Codec<T, E>, entity: string) => {
  const encode = Schema.encodeResult(schema)
  return (value: T, id: string): Effect.Effect<E> => {
    const result = encode(value)
    return Result.isSuccess(result)
      ? Effect.succeed(result.success)
      : Effect.die(
          new Error(
            `@commonweal/store-kysely: the ${entity} ${id} cannot be stored (${issuePaths(result.failure)}): it is not a valid ${entity} / 记录无效，无法保存`
          )
        )
  }
}

const encodeVolunteer = encoder(Volunteer, VOLUNTEER)
const encodeRequest = encoder(HelpRequest, REQUEST)
const encodePlan = encoder(CarePlan, PLAN)
const encodeVisit = encoder(Visit, VISIT)

/** Reads the `data` column of a row of `table` with `schema`; bad JSON or a record that does not decode is a defect. */
const documentReader = <A>(schema: Schema.Decoder<A>, table: string) => {
  const decode = rowDecoderResult(schema, table)
  return (key: string, data: string): Result.Result<A, Error> =>
    Result.flatMap(parseJson(table, key, "data", data), (json) => decode(key, json))
}

const readVolunteer = documentReader(Volunteer, "mutual_aid_volunteers")
const readRequest = documentReader(HelpRequest, "mutual_aid_requests")
const readPlan = documentReader(CarePlan, "mutual_aid_plans")
const readVisit = documentReader(Visit, "mutual_aid_visits")

/** A row with its key and its document. */
interface DocumentRow {
  readonly community_id: string
  readonly id: string
  readonly data: string
}

/** All rows decoded, or the first defect. */
const decodeAll = <A>(
  rows: ReadonlyArray<DocumentRow>,
  read: (key: string, data: string) => Result.Result<A, Error>
): Effect.Effect<Array<A>> =>
  Effect.suspend(() => {
    const out: Array<A> = []
    for (const row of rows) {
      const decoded = read(`${row.community_id}/${row.id}`, row.data)
      if (Result.isFailure(decoded)) return Effect.die(decoded.failure)
      out.push(decoded.success)
    }
    return Effect.succeed(out)
  })

/** The first row decoded, if any. */
const decodeFirst = <A>(
  rows: ReadonlyArray<DocumentRow>,
  read: (key: string, data: string) => Result.Result<A, Error>
): Effect.Effect<Option.Option<A>> => {
  const row = rows[0]
  if (row === undefined) return Effect.succeedNone
  const decoded = read(`${row.community_id}/${row.id}`, row.data)
  return Result.isSuccess(decoded) ? Effect.succeedSome(decoded.success) : Effect.die(decoded.failure)
}

/** The most values one `IN (…)` list of a side-table rewrite carries. */
const IN_LIST_SIZE = 1_000

/** A side table's rows of one owner: which table, which owner column, which value column. */
interface SideTable {
  readonly table: "mutual_aid_volunteer_skills" | "mutual_aid_volunteer_roles" | "mutual_aid_request_volunteers"
  readonly owner: "volunteer_id" | "request_id"
  readonly value: "skill" | "role" | "volunteer_id"
}

const SKILLS: SideTable = { table: "mutual_aid_volunteer_skills", owner: "volunteer_id", value: "skill" }
const ROLES: SideTable = { table: "mutual_aid_volunteer_roles", owner: "volunteer_id", value: "role" }
const REQUEST_VOLUNTEERS: SideTable = {
  table: "mutual_aid_request_volunteers",
  owner: "request_id",
  value: "volunteer_id"
}

/**
 * Writes the side-table rows of one record (inside the caller's transaction): its distinct
 * `values`. A new record inserts them all; an update (`replace`) reads the stored ones and
 * deletes and inserts only the difference, so the many updates that leave them alone write no
 * side row. The tables are typed loosely here (three tables of the same shape).
 */
const writeSide = async (
  executor: Executor<MutualAidDatabase>,
  side: SideTable,
  communityId: string,
  ownerId: string,
  values: ReadonlyArray<string>,
  replace: boolean
): Promise<void> => {
  // the three side tables have the same shape: (community_id, <value>, <owner>)
  const db = executor as unknown as Executor<{
    readonly side: { readonly community_id: string; readonly owner: string; readonly value: string }
  }>
  const table = side.table as unknown as "side"
  const owner = side.owner as unknown as "owner"
  const value = side.value as unknown as "value"
  const wanted = [...new Set(values)]
  let stored = new Set<string>()
  if (replace) {
    const rows = await db
      .selectFrom(table)
      .select(sql<string>`${sql.ref(side.value)}`.as("stored"))
      .where("community_id", "=", communityId)
      .where(owner, "=", ownerId)
      .execute()
    stored = new Set(rows.map((row) => row.stored))
  }
  const kept = new Set(wanted)
  const gone = [...stored].filter((v) => !kept.has(v))
  for (let i = 0; i < gone.length; i += IN_LIST_SIZE) {
    await db
      .deleteFrom(table)
      .where("community_id", "=", communityId)
      .where(owner, "=", ownerId)
      .where(value, "in", gone.slice(i, i + IN_LIST_SIZE))
      .execute()
  }
  const added = wanted.filter((v) => !stored.has(v))
  if (added.length > 0) {
    // a few dozen values at most (30 skills, 10 roles, 6 places and their services): one statement
    await db
      .insertInto(table)
      .values(added.map((v) => ({ community_id: communityId, [side.owner]: ownerId, [side.value]: v }) as never))
      .execute()
  }
}

/** The volunteers of a request: offered or holding a place, or with a service record. */
const volunteersOf = (request: HelpRequest): ReadonlyArray<string> => [
  ...request.places.flatMap((p) => (p.volunteerId === null ? [] : [p.volunteerId])),
  ...request.services.map((s) => s.volunteerId)
]

/** `MutualAidRepo` over SQL (see the module documentation). */
export const makeMutualAidRepo = (conn: Connection<MutualAidDatabase>): MutualAidRepo["Service"] => {
  const { caps } = conn

  const volunteerById = conn.prepare((db, param) =>
    db
      .selectFrom("mutual_aid_volunteers")
      .select(["community_id", "id", "data"])
      .where("community_id", "=", param(0))
      .where("id", "=", param(1))
  )
  const volunteerByResident = conn.prepare((db, param) =>
    db
      .selectFrom("mutual_aid_volunteers")
      .select(["community_id", "id", "data"])
      .where("community_id", "=", param(0))
      .where("resident_id", "=", param(1))
  )
  const requestById = conn.prepare((db, param) =>
    db
      .selectFrom("mutual_aid_requests")
      .select(["community_id", "id", "data"])
      .where("community_id", "=", param(0))
      .where("id", "=", param(1))
  )
  const requestVersion = conn.prepare((db, param) => {
    const query = db
      .selectFrom("mutual_aid_requests")
      .select("version")
      .where("community_id", "=", param(0))
      .where("id", "=", param(1))
    return caps.lockForUpdate ? query.forUpdate() : query
  })
  const planById = conn.prepare((db, param) =>
    db
      .selectFrom("mutual_aid_plans")
      .select(["community_id", "id", "data"])
      .where("community_id", "=", param(0))
      .where("id", "=", param(1))
  )

  /** Fails with `Conflict` stale_version unless a row was updated. */
  const updatedOrStale = (entity: string, id: string) => (updated: boolean) =>
    updated ? Effect.void : Effect.fail(Conflict.stale(entity, id))

  /** The first row of a prepared read, decoded. */
  const first = <A>(
    read: Effect.Effect<ReadonlyArray<DocumentRow>, unknown>,
    decode: (key: string, data: string) => Result.Result<A, Error>
  ): Effect.Effect<Option.Option<A>> => Effect.flatMap(Effect.orDie(read), (rows) => decodeFirst(rows, decode))

  // volunteers

  const insertVolunteer = (volunteer: Volunteer) =>
    Effect.flatMap(encodeVolunteer(volunteer, volunteer.id), (encoded) =>
      conn.withTransaction(
        Effect.gen(function* () {
          // any unique key: the id, or the resident in the community
          const inserted = yield* insertNew(conn, (db, ignoreDuplicate) => {
            const insert = db.insertInto("mutual_aid_volunteers").values({
              community_id: encoded.communityId,
              id: encoded.id,
              version: encoded.version,
              status: encoded.status,
              resident_id: encoded.residentId,
              data: JSON.stringify(encoded),
              created_at: encoded.createdAt
            })
            return (ignoreDuplicate ? insert.onConflict((oc) => oc.doNothing()) : insert).executeTakeFirstOrThrow()
          })
          if (!inserted) return yield* Effect.fail(Conflict.duplicate(VOLUNTEER, volunteer.id))
          yield* conn.run(async (db) => {
            await writeSide(db, SKILLS, encoded.communityId, encoded.id, encoded.skills, false)
            await writeSide(db, ROLES, encoded.communityId, encoded.id, encoded.roles, false)
          })
        })
      )
    )

  const updateVolunteer = (volunteer: Volunteer) =>
    Effect.flatMap(encodeVolunteer(volunteer, volunteer.id), (encoded) =>
      conn.withTransaction(
        conn
          .attempt(async (db) => {
            const result = await db
              .updateTable("mutual_aid_volunteers")
              .set({
                version: encoded.version,
                status: encoded.status,
                resident_id: encoded.residentId,
                data: JSON.stringify(encoded),
                created_at: encoded.createdAt
              })
              .where("community_id", "=", volunteer.communityId)
              .where("id", "=", volunteer.id)
              .where("version", "=", volunteer.version - 1)
              .executeTakeFirst()
            if (result.numUpdatedRows === 0n) return false
            await writeSide(db, SKILLS, encoded.communityId, encoded.id, encoded.skills, true)
            await writeSide(db, ROLES, encoded.communityId, encoded.id, encoded.roles, true)
            return true
          })
          .pipe(
            Effect.catch((error) =>
              // a resident another volunteer already is
              caps.isUniqueViolation(error)
                ? Effect.fail(Conflict.duplicate(VOLUNTEER, volunteer.id))
                : staleOnDeadlock(conn, VOLUNTEER, volunteer.id)(error)
            ),
            Effect.flatMap(updatedOrStale(VOLUNTEER, volunteer.id))
          )
      )
    )

  const findVolunteer = (communityId: CommunityId, id: VolunteerId) =>
    first(volunteerById(communityId, id), readVolunteer)

  const findVolunteerByResident = (communityId: CommunityId, residentId: ResidentId) =>
    first(volunteerByResident(communityId, residentId), readVolunteer)

  const listVolunteers = (query: VolunteerQuery, window: Window) => {
    if (window.limit <= 0) return Effect.succeed<ReadonlyArray<Volunteer>>([])
    const { communityId, status, skill, role } = query
    return conn
      .run((db) => {
        let q = db
          .selectFrom("mutual_aid_volunteers as v")
          .select(["v.community_id", "v.id", "v.data"])
          .where("v.community_id", "=", communityId)
        if (skill !== undefined) {
          // from the skill's index rows, in their key order
          q = q
            .innerJoin("mutual_aid_volunteer_skills as s", (join) =>
              join.onRef("s.community_id", "=", "v.community_id").onRef("s.volunteer_id", "=", "v.id")
            )
            .where("s.skill", "=", skill)
        }
        if (role !== undefined) {
          q = q
            .innerJoin("mutual_aid_volunteer_roles as r", (join) =>
              join.onRef("r.community_id", "=", "v.community_id").onRef("r.volunteer_id", "=", "v.id")
            )
            .where("r.role", "=", role)
        }
        if (status !== undefined) q = q.where("v.status", "=", status)
        if (window.after !== undefined) q = q.where("v.id", ">", window.after)
        return q.orderBy("v.id").limit(window.limit).execute()
      })
      .pipe(Effect.flatMap((rows) => decodeAll(rows, readVolunteer)))
  }

  // requests

  const requestColumns = (encoded: typeof HelpRequest.Encoded) => ({
    version: encoded.version,
    status: encoded.status,
    requester_id: encoded.requesterId,
    category: encoded.category,
    created_at: encoded.createdAt,
    data: JSON.stringify(encoded)
  })

  const insertRequest = (request: HelpRequest) =>
    Effect.flatMap(encodeRequest(request, request.id), (encoded) =>
      conn.withTransaction(
        Effect.gen(function* () {
          const inserted = yield* insertNew(conn, (db, ignoreDuplicate) => {
            const insert = db
              .insertInto("mutual_aid_requests")
              .values({ community_id: encoded.communityId, id: encoded.id, ...requestColumns(encoded) })
            return (
              ignoreDuplicate ? insert.onConflict((oc) => oc.columns(["community_id", "id"]).doNothing()) : insert
            ).executeTakeFirstOrThrow()
          })
          if (!inserted) return yield* Effect.fail(Conflict.duplicate(REQUEST, request.id))
          yield* conn.run((db) =>
            writeSide(db, REQUEST_VOLUNTEERS, request.communityId, request.id, volunteersOf(request), false)
          )
        })
      )
    )

  const updateRequest = (request: HelpRequest) =>
    Effect.flatMap(encodeRequest(request, request.id), (encoded) =>
      conn.withTransaction(
        conn
          .attempt(async (db) => {
            const result = await db
              .updateTable("mutual_aid_requests")
              .set(requestColumns(encoded))
              .where("community_id", "=", request.communityId)
              .where("id", "=", request.id)
              .where("version", "=", request.version - 1)
              .executeTakeFirst()
            if (result.numUpdatedRows === 0n) return false
            await writeSide(db, REQUEST_VOLUNTEERS, request.communityId, request.id, volunteersOf(request), true)
            return true
          })
          .pipe(
            Effect.catch(staleOnDeadlock(conn, REQUEST, request.id)),
            Effect.flatMap(updatedOrStale(REQUEST, request.id))
          )
      )
    )

  const lockRequest = (communityId: CommunityId, id: HelpRequestId, version: number) =>
    requestVersion(communityId, id).pipe(
      Effect.catch(staleOnDeadlock(conn, REQUEST, id)),
      Effect.flatMap((rows) => {
        const stored = rows[0]
        return stored !== undefined && toSafeInteger(stored.version) === version
          ? Effect.void
          : Effect.fail(Conflict.stale(REQUEST, id))
      })
    )

  const findRequest = (communityId: CommunityId, id: HelpRequestId) => first(requestById(communityId, id), readRequest)

  const listRequests = (query: RequestQuery, window: Window) => {
    if (window.limit <= 0) return Effect.succeed<ReadonlyArray<HelpRequest>>([])
    const { communityId, status, requesterId, volunteerId, category, createdFrom, createdTo } = query
    return conn
      .run((db) => {
        if (volunteerId !== undefined) {
          // from the volunteer's index rows, in their key order
          let q = db
            .selectFrom("mutual_aid_request_volunteers as rv")
            .innerJoin("mutual_aid_requests as r", (join) =>
              join.onRef("r.community_id", "=", "rv.community_id").onRef("r.id", "=", "rv.request_id")
            )
            .select(["r.community_id", "r.id", "r.data"])
            .where("rv.community_id", "=", communityId)
            .where("rv.volunteer_id", "=", volunteerId)
          if (status !== undefined) q = q.where("r.status", "=", status)
          if (requesterId !== undefined) q = q.where("r.requester_id", "=", requesterId)
          if (category !== undefined) q = q.where("r.category", "=", category)
          if (createdFrom !== undefined) q = q.where("r.created_at", ">=", createdFrom)
          if (createdTo !== undefined) q = q.where("r.created_at", "<", createdTo)
          if (window.after !== undefined) q = q.where("rv.request_id", ">", window.after)
          return q.orderBy("rv.request_id").limit(window.limit).execute()
        }
        let q = db
          .selectFrom("mutual_aid_requests")
          .select(["community_id", "id", "data"])
          .where("community_id", "=", communityId)
        if (status !== undefined) q = q.where("status", "=", status)
        if (requesterId !== undefined) q = q.where("requester_id", "=", requesterId)
        if (category !== undefined) q = q.where("category", "=", category)
        if (createdFrom !== undefined) q = q.where("created_at", ">=", createdFrom)
        if (createdTo !== undefined) q = q.where("created_at", "<", createdTo)
        if (window.after !== undefined) q = q.where("id", ">", window.after)
        return q.orderBy("id").limit(window.limit).execute()
      })
      .pipe(Effect.flatMap((rows) => decodeAll(rows, readRequest)))
  }

  // care plans

  const insertPlan = (plan: CarePlan) =>
    Effect.flatMap(encodePlan(plan, plan.id), (encoded) =>
      Effect.flatMap(
        insertNew(conn, (db, ignoreDuplicate) => {
          const insert = db.insertInto("mutual_aid_plans").values({
            community_id: encoded.communityId,
            id: encoded.id,
            version: encoded.version,
            status: encoded.status,
            resident_id: encoded.residentId,
            data: JSON.stringify(encoded)
          })
          return (
            ignoreDuplicate ? insert.onConflict((oc) => oc.columns(["community_id", "id"]).doNothing()) : insert
          ).executeTakeFirstOrThrow()
        }),
        (inserted) => (inserted ? Effect.void : Effect.fail(Conflict.duplicate(PLAN, plan.id)))
      )
    )

  const updatePlan = (plan: CarePlan) =>
    Effect.flatMap(encodePlan(plan, plan.id), (encoded) =>
      conn
        .attempt((db) =>
          db
            .updateTable("mutual_aid_plans")
            .set({
              version: encoded.version,
              status: encoded.status,
              resident_id: encoded.residentId,
              data: JSON.stringify(encoded)
            })
            .where("community_id", "=", plan.communityId)
            .where("id", "=", plan.id)
            .where("version", "=", plan.version - 1)
            .executeTakeFirst()
        )
        .pipe(
          Effect.map((result) => result.numUpdatedRows > 0n),
          Effect.catch(staleOnDeadlock(conn, PLAN, plan.id)),
          Effect.flatMap(updatedOrStale(PLAN, plan.id))
        )
    )

  const findPlan = (communityId: CommunityId, id: CarePlanId) => first(planById(communityId, id), readPlan)

  const listPlans = (communityId: CommunityId, window: Window) =>
    window.limit <= 0
      ? Effect.succeed<ReadonlyArray<CarePlan>>([])
      : conn
          .run((db) => {
            let q = db
              .selectFrom("mutual_aid_plans")
              .select(["community_id", "id", "data"])
              .where("community_id", "=", communityId)
            if (window.after !== undefined) q = q.where("id", ">", window.after)
            return q.orderBy("id").limit(window.limit).execute()
          })
          .pipe(Effect.flatMap((rows) => decodeAll(rows, readPlan)))

  // visits

  const putVisit = (communityId: CommunityId, visit: Visit) =>
    Effect.flatMap(encodeVisit(visit, `${visit.planId}/${visit.dueStart}`), (encoded) => {
      const data = JSON.stringify(encoded)
      return conn.run((db) => {
        const insert = db
          .insertInto("mutual_aid_visits")
          .values({ community_id: communityId, plan_id: encoded.planId, due_start: encoded.dueStart, data })
        return (
          caps.upsert === "on conflict"
            ? insert.onConflict((oc) => oc.columns(["community_id", "plan_id", "due_start"]).doUpdateSet({ data }))
            : insert.onDuplicateKeyUpdate({ data })
        ).execute()
      })
    }).pipe(Effect.asVoid)

  const listVisits = (communityId: CommunityId, planId: CarePlanId) =>
    conn
      .run((db) =>
        db
          .selectFrom("mutual_aid_visits")
          .select(["community_id", "plan_id", "due_start", "data"])
          .where("community_id", "=", communityId)
          .where("plan_id", "=", planId)
          .orderBy("due_start")
          .execute()
      )
      .pipe(
        Effect.flatMap((rows) =>
          decodeAll(
            rows.map((row) => ({
              community_id: row.community_id,
              id: `${row.plan_id}/${String(row.due_start)}`,
              data: row.data
            })),
            readVisit
          )
        )
      )

  // walking distances

  const putWalking = (communityId: CommunityId, a: string, b: string, metres: number) => {
    const [building_a, building_b] = a < b ? [a, b] : [b, a]
    return conn
      .run((db) => {
        const insert = db
          .insertInto("mutual_aid_walking")
          .values({ community_id: communityId, building_a, building_b, metres })
        return (
          caps.upsert === "on conflict"
            ? insert.onConflict((oc) =>
                oc.columns(["community_id", "building_a", "building_b"]).doUpdateSet({ metres })
              )
            : insert.onDuplicateKeyUpdate({ metres })
        ).execute()
      })
      .pipe(Effect.asVoid)
  }

  const walking = (communityId: CommunityId) =>
    conn
      .run((db) =>
        db
          .selectFrom("mutual_aid_walking")
          .select(["building_a", "building_b", "metres"])
          .where("community_id", "=", communityId)
          .execute()
      )
      .pipe(
        Effect.map(
          (rows): ReadonlyMap<string, number> =>
            new Map(rows.map((row) => [Matching.walkingKey(row.building_a, row.building_b), Number(row.metres)]))
        )
      )

  return {
    insertVolunteer,
    updateVolunteer,
    findVolunteer,
    findVolunteerByResident,
    listVolunteers,
    insertRequest,
    updateRequest,
    lockRequest,
    findRequest,
    listRequests,
    insertPlan,
    updatePlan,
    findPlan,
    listPlans,
    putVisit,
    listVisits,
    putWalking,
    walking
  }
}
