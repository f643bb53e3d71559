/**
 * Mutual aid's `MutualAidRepo` over SQL, on every dialect available (SQLite always; PostgreSQL
 * and MariaDB/MySQL from `COMMONWEAL_TEST_POSTGRES_URL` / `COMMONWEAL_TEST_MYSQL_URL`, each on
 * fresh databases of its own, dropped after; in CI a missing URL fails).
 *
 * - What only the SQL adapter can get wrong: the side tables behind the `volunteerId`, `skill`
 *   and `role` filters (rewritten with every write, paged by id), a resident being one volunteer
 *   per community while outside members (no resident) are many, duplicates that must not abort
 *   the caller's PostgreSQL transaction, upserted visits and walking distances, 64-bit times,
 *   rows that do not decode, `lockRequest` holding the row, and a database already at the
 *   current migrations, with data, taking mutual aid's tables on.
 * - Mutual aid's contract suite of `@commonweal/testing` against a partial store composed here:
 *   the kernel, communities, residents, the ledger and mutual aid
 *   (`SqlKernel.layerKysely(…, { domains })` with the domains' layers), so the domain's own
 *   migration `0008_mutual_aid` runs.
 */
import {
  CarePlan,
  CommunityRepo,
  HelpRequest,
  Matching,
  MutualAidRepo,
  Outbox,
  ResidentRepo,
  Transactor,
  Volunteer,
  type VolunteerId
} from "@commonweal/core"
import {
  expectConflict,
  freshCommunityId,
  makeCommunity,
  makeResident,
  makeResidentEvent,
  mutualAidContract
} from "@commonweal/testing"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Fiber, Layer, Option } from "effect"
import { type Kysely, sql } from "kysely"
import { SqlCommunities } from "../src/communities/index.js"
import type { Database } from "../src/Database.js"
import { sqlDomains } from "../src/domains.js"
import type { Dialect } from "../src/kernel/Dialect.js"
import { SqlKernel, type SqlDomain } from "../src/kernel/SqlKernel.js"
import { SqlLedger } from "../src/ledger/index.js"
import { MIGRATION_TABLE } from "../src/Migrations.js"
import { type MutualAidDatabase, SqlMutualAid } from "../src/mutual-aid/index.js"
import { SqlResidents } from "../src/residents/index.js"
import {
  acceptedPlace,
  aidDays,
  expectFound,
  makeDoctor,
  makeHealthCheck,
  makePlan,
  makeRequest,
  makeStudent,
  makeVisit,
  makeVolunteer,
  openPlace,
  proposedPlace,
  serviceOf
} from "../../testing/src/mutual-aid/helpers.js"
import { runsHere, type Target, targets } from "./fixtures/databases.js"

/**
 * The domains of mutual aid's store: its records belong to communities, its requesters and most
 * volunteers are residents, its time credits move in the ledger.
 */
const MUTUAL_AID_DOMAINS = [SqlCommunities, SqlResidents, SqlLedger, SqlMutualAid]

/** The layers of {@link MUTUAL_AID_DOMAINS} over the kernel of `db`, whose migrations they run. */
const mutualAidStoreOn = (db: Kysely<Database>, dialect: Dialect) =>
  Layer.provideMerge(
    Layer.mergeAll(SqlCommunities.layer, SqlResidents.layer, SqlLedger.layer, SqlMutualAid.layer),
    SqlKernel.layerKysely(db, dialect, { domains: MUTUAL_AID_DOMAINS })
  )

/** Runs `use` on a fresh database of `target`, opened once, closed and dropped after. */
const withFreshDatabase = <A, E>(
  target: Target,
  use: (db: Kysely<Database>) => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.acquireUseRelease(
    Effect.promise(() => target.fresh()),
    ({ open }) => Effect.acquireUseRelease(Effect.sync(open), use, (db) => Effect.promise(() => db.destroy())),
    ({ drop }) => Effect.promise(drop)
  )

/** Runs `use` with mutual aid's store on a fresh database of `target`, and the database itself for raw SQL. */
const withMutualAidStore = <A, E>(
  target: Target,
  use: (db: Kysely<MutualAidDatabase>) => Effect.Effect<A, E, MutualAidRepo | Transactor>
): Effect.Effect<A, E> =>
  withFreshDatabase(target, (db) =>
    Effect.provide(use(db as unknown as Kysely<MutualAidDatabase>), mutualAidStoreOn(db, target.dialect))
  )

/** The recorded migration names. */
const recorded = (db: Kysely<Database>) =>
  Effect.promise(() =>
    sql<{ readonly name: string }>`select ${sql.ref("name")} from ${sql.table(MIGRATION_TABLE)}`.execute(db)
  ).pipe(Effect.map(({ rows }) => rows.map((r) => r.name).sort()))

/** The defect of an exit that must have died. */
const defectOf = <A, E>(exit: Exit.Exit<A, E>): string => {
  if (Exit.isSuccess(exit) || !Cause.hasDies(exit.cause)) throw new Error("expected a defect")
  return String(Cause.squash(exit.cause))
}

/** Ids in code-unit order, the order lists promise. */
const sorted = <A extends string>(ids: ReadonlyArray<A>): Array<A> =>
  [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

/** Every page of a list, `size` at a time, following the last id as the cursor. */
const allPages = <A extends { readonly id: string }>(
  list: (window: { readonly after: string | undefined; readonly limit: number }) => Effect.Effect<ReadonlyArray<A>>,
  size: number
) =>
  Effect.gen(function* () {
    const out: Array<A> = []
    let after: string | undefined
    for (;;) {
      const page = yield* list({ after, limit: size })
      expect(page.length).toBeLessThanOrEqual(size)
      out.push(...page)
      if (page.length < size) return out
      after = page[page.length - 1]!.id
    }
  })

describe("SqlMutualAid", () => {
  it("is mutual aid's domain, with its own migration 0008_mutual_aid", () => {
    expect(SqlMutualAid.name).toBe("mutual-aid")
    for (const dialect of ["sqlite", "postgres", "mysql"] as const) {
      expect(Object.keys(SqlMutualAid.migrations(dialect))).toEqual(["0008_mutual_aid"])
    }
  })
})

// Mutual aid's contract suite of `@commonweal/testing` against a partial store: the kernel,
// communities, residents, the ledger and mutual aid, on a fresh database each.
for (const target of targets) {
  mutualAidContract({
    name: `${target.dialect}, kernel, communities, residents, ledger and mutual aid`,
    layer: Layer.unwrap(
      Effect.gen(function* () {
        const { open } = yield* Effect.acquireRelease(
          Effect.promise(() => target.fresh()),
          ({ drop }) => Effect.promise(drop)
        )
        const db = yield* Effect.acquireRelease(Effect.sync(open), (db) => Effect.promise(() => db.destroy()))
        return mutualAidStoreOn(db, target.dialect)
      })
    ),
    skip: target.skip
  })
}

for (const target of targets) {
  const run = runsHere(target) ? describe : describe.skip
  run(`mutual aid on ${target.dialect}`, () => {
    it.live("records round trip, are scoped by community, and are replaced only from the previous version", () =>
      withMutualAidStore(target, () =>
        Effect.gen(function* () {
          const repo = yield* MutualAidRepo
          const c = freshCommunityId()
          const other = freshCommunityId()
          const liu = makeVolunteer(c)
          const request = makeHealthCheck(c)
          const plan = makePlan(c)
          yield* repo.insertVolunteer(liu)
          yield* repo.insertRequest(request)
          yield* repo.insertPlan(plan)
          expectFound(Volunteer, yield* repo.findVolunteer(c, liu.id), liu, "volunteer")
          expectFound(Volunteer, yield* repo.findVolunteerByResident(c, liu.residentId!), liu, "volunteer by resident")
          expectFound(HelpRequest, yield* repo.findRequest(c, request.id), request, "request")
          expectFound(CarePlan, yield* repo.findPlan(c, plan.id), plan, "plan")
          // another community finds, lists and changes nothing of them
          expect(Option.isNone(yield* repo.findVolunteer(other, liu.id))).toBe(true)
          expect(Option.isNone(yield* repo.findVolunteerByResident(other, liu.residentId!))).toBe(true)
          expect(Option.isNone(yield* repo.findRequest(other, request.id))).toBe(true)
          expect(Option.isNone(yield* repo.findPlan(other, plan.id))).toBe(true)
          const window = { after: undefined, limit: 10 }
          expect(yield* repo.listVolunteers({ communityId: other }, window)).toEqual([])
          expect(yield* repo.listRequests({ communityId: other }, window)).toEqual([])
          expect(yield* repo.listPlans(other, window)).toEqual([])
          expectConflict(
            yield* Effect.flip(repo.updateVolunteer({ ...liu, communityId: other, version: 2 })),
            "stale_version"
          )
          expectConflict(yield* Effect.flip(repo.lockRequest(other, request.id, request.version)), "stale_version")
          // versions: only from version - 1
          const paused = { ...liu, status: "paused" as const, version: 2 }
          yield* repo.updateVolunteer(paused)
          expectConflict(yield* Effect.flip(repo.updateVolunteer({ ...liu, version: 2 })), "stale_version")
          expectFound(Volunteer, yield* repo.findVolunteer(c, liu.id), paused, "paused volunteer")
          const cancelled = { ...request, status: "cancelled" as const, version: 2 }
          yield* repo.updateRequest(cancelled)
          expectConflict(yield* Effect.flip(repo.updateRequest({ ...request, version: 2 })), "stale_version")
          expectConflict(yield* Effect.flip(repo.lockRequest(c, request.id, 1)), "stale_version")
          yield* repo.lockRequest(c, request.id, 2)
          const ended = { ...plan, status: "ended" as const, version: 2 }
          yield* repo.updatePlan(ended)
          expectConflict(yield* Effect.flip(repo.updatePlan({ ...plan, version: 2 })), "stale_version")
          expectFound(CarePlan, yield* repo.findPlan(c, plan.id), ended, "ended plan")
          // a record that was never stored is stale too
          expectConflict(yield* Effect.flip(repo.updatePlan({ ...makePlan(c), version: 2 })), "stale_version")
          expectConflict(yield* Effect.flip(repo.updateRequest({ ...makeRequest(c), version: 2 })), "stale_version")
        })
      )
    )

    it.live(
      "a resident is one volunteer per community, outside members are many; duplicates are Conflict and the transaction goes on",
      () =>
        withMutualAidStore(target, () =>
          Effect.gen(function* () {
            const repo = yield* MutualAidRepo
            const tx = yield* Transactor
            const c = freshCommunityId()
            const liu = makeVolunteer(c)
            const doctor = makeDoctor(c)
            yield* repo.insertVolunteer(liu)
            yield* repo.insertVolunteer(doctor)
            const student = makeStudent(c)
            const request = makeRequest(c)
            yield* tx.withTransaction(
              Effect.gen(function* () {
                // the same resident again, under another id
                expectConflict(
                  yield* Effect.flip(repo.insertVolunteer(makeVolunteer(c, { residentId: liu.residentId }))),
                  "duplicate"
                )
                // the same id again
                expectConflict(yield* Effect.flip(repo.insertVolunteer(liu)), "duplicate")
                expectConflict(
                  yield* Effect.flip(repo.insertVolunteer({ ...doctor, displayName: "另一位医生" })),
                  "duplicate"
                )
                // on PostgreSQL a raised unique violation would have aborted the transaction here:
                // a second outside member (no resident) goes in
                yield* repo.insertVolunteer(student)
                yield* repo.insertRequest(request)
                expectConflict(yield* Effect.flip(repo.insertRequest(request)), "duplicate")
                const plan = makePlan(c)
                yield* repo.insertPlan(plan)
                expectConflict(yield* Effect.flip(repo.insertPlan(plan)), "duplicate")
              })
            )
            expectFound(Volunteer, yield* repo.findVolunteer(c, student.id), student, "student")
            expectFound(HelpRequest, yield* repo.findRequest(c, request.id), request, "request")
            expectFound(Volunteer, yield* repo.findVolunteerByResident(c, liu.residentId!), liu, "Liu Ying")
            // the same resident may volunteer in another community
            const elsewhere = makeVolunteer(freshCommunityId(), { residentId: liu.residentId })
            yield* repo.insertVolunteer(elsewhere)
            // becoming a resident another volunteer already is: a duplicate, and nothing changes
            const grid = makeVolunteer(c, { displayName: "网格员 王海" })
            yield* repo.insertVolunteer(grid)
            expectConflict(
              yield* Effect.flip(repo.updateVolunteer({ ...grid, residentId: liu.residentId, version: 2 })),
              "duplicate"
            )
            expectFound(Volunteer, yield* repo.findVolunteer(c, grid.id), grid, "grid worker")
            // giving up the resident frees it
            yield* repo.updateVolunteer({ ...liu, residentId: null, version: 2 })
            expect(Option.isNone(yield* repo.findVolunteerByResident(c, liu.residentId!))).toBe(true)
            yield* repo.updateVolunteer({ ...grid, residentId: liu.residentId, version: 2 })
            expect(Option.map(yield* repo.findVolunteerByResident(c, liu.residentId!), (v) => v.id)).toEqual(
              Option.some(grid.id)
            )
          })
        )
    )

    it.live("the skill, role and status filters page by id through the side tables, rewritten with each write", () =>
      withMutualAidStore(target, () =>
        Effect.gen(function* () {
          const repo = yield* MutualAidRepo
          const c = freshCommunityId()
          // 13 volunteers: every third is a medic, every second speaks for the fellow townspeople
          const volunteers = Array.from({ length: 13 }, (_, i) =>
            makeVolunteer(c, {
              residentId: i % 4 === 0 ? null : makeVolunteer(c).residentId,
              skills: i % 3 === 0 ? ["health_check", "escort", "health_check"] : ["escort"],
              roles: i % 2 === 0 ? ["fellow_townsperson", "helper"] : ["helper"],
              status: i % 5 === 0 ? "paused" : "active"
            })
          )
          for (const v of volunteers) yield* repo.insertVolunteer(v)
          const ids = (pick: (v: Volunteer) => boolean) => sorted(volunteers.filter(pick).map((v) => v.id))
          const listed = (query: Omit<Parameters<typeof repo.listVolunteers>[0], "communityId">, size: number) =>
            allPages((w) => repo.listVolunteers({ communityId: c, ...query }, w), size).pipe(
              Effect.map((vs) => vs.map((v) => v.id))
            )
          expect(yield* listed({}, 4)).toEqual(ids(() => true))
          expect(yield* listed({ skill: "health_check" }, 2)).toEqual(ids((v) => v.skills.includes("health_check")))
          expect(yield* listed({ role: "fellow_townsperson" }, 3)).toEqual(
            ids((v) => v.roles.includes("fellow_townsperson"))
          )
          expect(yield* listed({ skill: "health_check", role: "fellow_townsperson", status: "active" }, 1)).toEqual(
            ids(
              (v) =>
                v.skills.includes("health_check") && v.roles.includes("fellow_townsperson") && v.status === "active"
            )
          )
          expect(yield* listed({ skill: "calligraphy" }, 5)).toEqual([])
          expect(yield* listed({ status: "paused" }, 2)).toEqual(ids((v) => v.status === "paused"))
          // a listed volunteer is the whole record
          const [first] = yield* repo.listVolunteers(
            { communityId: c, skill: "escort" },
            { after: undefined, limit: 1 }
          )
          expect(first).toEqual(volunteers.find((v) => v.id === ids(() => true)[0]))
          // an update rewrites the skills and roles: the old ones no longer find it, the new ones do
          const medic = volunteers[0]!
          yield* repo.updateVolunteer({ ...medic, skills: ["translation"], roles: ["medical"], version: 2 })
          expect(yield* listed({ skill: "health_check" }, 10)).not.toContain(medic.id)
          expect(yield* listed({ role: "fellow_townsperson" }, 10)).not.toContain(medic.id)
          expect(yield* listed({ skill: "translation", role: "medical" }, 10)).toEqual([medic.id])
          // a list with a cursor past every id is empty, and a limit of 0 lists nothing
          expect(yield* repo.listVolunteers({ communityId: c }, { after: "ffffffff", limit: 5 })).toEqual([])
          expect(yield* repo.listVolunteers({ communityId: c }, { after: undefined, limit: 0 })).toEqual([])
        })
      )
    )

    it.live(
      "the volunteerId filter finds requests where the volunteer is offered, holds a place or served, and follows updates",
      () =>
        withMutualAidStore(target, () =>
          Effect.gen(function* () {
            const repo = yield* MutualAidRepo
            const c = freshCommunityId()
            const liu = makeVolunteer(c)
            const doctor = makeDoctor(c)
            const grid = makeVolunteer(c, { displayName: "网格员 王海", roles: ["grid_worker"] })
            for (const v of [liu, doctor, grid]) yield* repo.insertVolunteer(v)
            const template = makeHealthCheck(c)
            const [medical, gridPlace, fellow] = template.places as [
              (typeof template.places)[number],
              (typeof template.places)[number],
              (typeof template.places)[number]
            ]
            // offered: liu proposed; holding: liu accepted with the doctor; served: a completed one
            const offered = makeHealthCheck(c, {
              status: "proposed",
              places: [proposedPlace(medical, doctor), openPlace("grid_worker"), proposedPlace(fellow, liu)]
            })
            const holding = makeHealthCheck(c, {
              status: "accepted",
              places: [acceptedPlace(medical, doctor), acceptedPlace(gridPlace, grid), acceptedPlace(fellow, liu)]
            })
            const served = makeRequest(c, {
              status: "completed",
              category: "escort",
              places: [acceptedPlace(openPlace("helper", "translation"), doctor)],
              services: [serviceOf(doctor, 90), serviceOf(liu, 45)]
            })
            const declined = makeRequest(c, {
              places: [{ ...openPlace("helper"), declinedBy: [liu.id] }]
            })
            const none = makeRequest(c)
            for (const r of [offered, holding, served, declined, none]) yield* repo.insertRequest(r)
            const byVolunteer = (volunteerId: VolunteerId, size = 1, extra: object = {}) =>
              allPages((w) => repo.listRequests({ communityId: c, volunteerId, ...extra }, w), size).pipe(
                Effect.map((rs) => rs.map((r) => r.id))
              )
            expect(yield* byVolunteer(liu.id)).toEqual(sorted([offered.id, holding.id, served.id]))
            expect(yield* byVolunteer(doctor.id, 2)).toEqual(sorted([offered.id, holding.id, served.id]))
            expect(yield* byVolunteer(grid.id)).toEqual([holding.id])
            // combined with the other filters
            expect(yield* byVolunteer(liu.id, 5, { status: "completed" })).toEqual([served.id])
            expect(yield* byVolunteer(liu.id, 5, { category: template.category })).toEqual(
              sorted([offered.id, holding.id])
            )
            expect(yield* byVolunteer(liu.id, 5, { requesterId: holding.requesterId })).toEqual([holding.id])
            // in another community, nothing
            expect(
              yield* repo.listRequests(
                { communityId: freshCommunityId(), volunteerId: liu.id },
                { after: undefined, limit: 9 }
              )
            ).toEqual([])
            // liu declines her offered place: she is no longer listed there; the grid worker now is
            yield* repo.updateRequest({
              ...offered,
              version: 2,
              places: [
                proposedPlace(medical, doctor),
                proposedPlace(gridPlace, grid),
                { ...openPlace("fellow_townsperson", "translation"), declinedBy: [liu.id] }
              ]
            })
            expect(yield* byVolunteer(liu.id)).toEqual(sorted([holding.id, served.id]))
            expect(yield* byVolunteer(grid.id)).toEqual(sorted([offered.id, holding.id]))
            expect(yield* byVolunteer(doctor.id)).toEqual(sorted([offered.id, holding.id, served.id]))
            // a listed request is the whole record
            const [listed] = yield* repo.listRequests(
              { communityId: c, volunteerId: grid.id },
              { after: undefined, limit: 1 }
            )
            const expected = sorted([offered.id, holding.id])[0] === offered.id ? { ...offered, version: 2 } : holding
            expect(listed?.id).toEqual(expected.id)
            expect(listed?.version).toEqual(expected.version)
          })
        )
    )

    it.live("times up to the largest safe integer are stored and filtered as numbers", () =>
      withMutualAidStore(target, () =>
        Effect.gen(function* () {
          const repo = yield* MutualAidRepo
          const c = freshCommunityId()
          const max = Number.MAX_SAFE_INTEGER
          const early = makeRequest(c, { createdAt: 1_000 })
          const late = makeRequest(c, { createdAt: max, updatedAt: max, expiresAt: max })
          yield* repo.insertRequest(early)
          yield* repo.insertRequest(late)
          expectFound(HelpRequest, yield* repo.findRequest(c, late.id), late, "late request")
          const window = { after: undefined, limit: 10 }
          expect(yield* repo.listRequests({ communityId: c, createdFrom: max }, window)).toEqual([late])
          expect(yield* repo.listRequests({ communityId: c, createdTo: max }, window)).toEqual([early])
          expect(yield* repo.listRequests({ communityId: c, createdFrom: 1_000, createdTo: 1_001 }, window)).toEqual([
            early
          ])
          const volunteer = makeVolunteer(c, { createdAt: max, version: 1 })
          yield* repo.insertVolunteer(volunteer)
          expectFound(Volunteer, yield* repo.findVolunteer(c, volunteer.id), volunteer, "volunteer")
          // a lock reads the 64-bit version back as the number it is
          yield* repo.lockRequest(c, late.id, 1)
        })
      )
    )

    it.live("visits are upserted by (plan, dueStart) and listed in that order; walking distances once per pair", () =>
      withMutualAidStore(target, () =>
        Effect.gen(function* () {
          const repo = yield* MutualAidRepo
          const c = freshCommunityId()
          const plan = makePlan(c)
          yield* repo.insertPlan(plan)
          const later = makeVisit(plan, aidDays(30))
          const sooner = makeVisit(plan, aidDays(0))
          yield* repo.putVisit(c, later)
          yield* repo.putVisit(c, sooner)
          expect(yield* repo.listVisits(c, plan.id)).toEqual([sooner, later])
          const done = {
            ...sooner,
            outcome: "done" as const,
            readings: { systolic: 150, diastolic: 90, glucose: 62 },
            note: "血压偏高，建议复查 / blood pressure high, re-check advised",
            recordedAt: aidDays(0) + 3_600_000
          }
          yield* repo.putVisit(c, done)
          expect(yield* repo.listVisits(c, plan.id)).toEqual([done, later])
          // scoped: another community and another plan see none
          expect(yield* repo.listVisits(freshCommunityId(), plan.id)).toEqual([])
          expect(yield* repo.listVisits(c, makePlan(c).id)).toEqual([])

          yield* repo.putWalking(c, "7幢", "5幢", 320)
          yield* repo.putWalking(c, "社区服务中心", "7幢", 150)
          expect(yield* repo.walking(c)).toEqual(
            new Map([
              [Matching.walkingKey("5幢", "7幢"), 320],
              [Matching.walkingKey("7幢", "社区服务中心"), 150]
            ])
          )
          // the same pair in the other order replaces it
          yield* repo.putWalking(c, "5幢", "7幢", 280)
          const table = yield* repo.walking(c)
          expect(table.size).toBe(2)
          expect(table.get(Matching.walkingKey("7幢", "5幢"))).toBe(280)
          expect((yield* repo.walking(freshCommunityId())).size).toBe(0)
        })
      )
    )

    it.live("a stored row that does not decode is a defect naming the table and key, never the values", () =>
      withMutualAidStore(target, (db) =>
        Effect.gen(function* () {
          const repo = yield* MutualAidRepo
          const c = freshCommunityId()
          const request = makeRequest(c)
          const volunteer = makeVolunteer(c)
          yield* repo.insertRequest(request)
          yield* repo.insertVolunteer(volunteer)
          const corrupt = (f: () => Promise<unknown>) => Effect.promise(f)
          yield* corrupt(() =>
            db
              .updateTable("mutual_aid_requests")
              .set({ data: JSON.stringify({ ...request, status: "SECRET-status" }) })
              .where("community_id", "=", c)
              .where("id", "=", request.id)
              .execute()
          )
          const bad = defectOf(yield* Effect.exit(repo.findRequest(c, request.id)))
          expect(bad).toContain("mutual_aid_requests")
          expect(bad).toContain(`${c}/${request.id}`)
          expect(bad).toContain("status")
          expect(bad).not.toContain("SECRET")
          // a list that meets the row fails the same way, rather than skipping it
          expect(
            defectOf(yield* Effect.exit(repo.listRequests({ communityId: c }, { after: undefined, limit: 5 })))
          ).toContain("mutual_aid_requests")
          yield* corrupt(() =>
            db
              .updateTable("mutual_aid_volunteers")
              .set({ data: "SECRET not json" })
              .where("community_id", "=", c)
              .where("id", "=", volunteer.id)
              .execute()
          )
          const notJson = defectOf(yield* Effect.exit(repo.findVolunteer(c, volunteer.id)))
          expect(notJson).toContain("mutual_aid_volunteers")
          expect(notJson).toContain("is not valid JSON")
          expect(notJson).not.toContain("SECRET")
        })
      )
    )

    it.live("lockRequest holds the request until its transaction ends: a write meanwhile finds it changed", () =>
      withMutualAidStore(target, () =>
        Effect.gen(function* () {
          const repo = yield* MutualAidRepo
          const tx = yield* Transactor
          const c = freshCommunityId()
          const liu = makeVolunteer(c)
          const doctor = makeDoctor(c)
          const request = makeRequest(c)
          yield* repo.insertRequest(request)
          const [place] = request.places as [(typeof request.places)[number]]
          const winner = { ...request, version: 2, status: "accepted" as const, places: [acceptedPlace(place, liu)] }
          const loser = { ...request, version: 2, status: "accepted" as const, places: [acceptedPlace(place, doctor)] }
          // another writer, outside the transaction below (forked before it, so it does not
          // inherit it): it writes once the request is locked, and waits for the lock (on SQLite,
          // for the one connection), so it can only run once that transaction has committed
          const locked = yield* Deferred.make<void>()
          const other = yield* Effect.forkChild(
            Effect.exit(Effect.andThen(Deferred.await(locked), repo.updateRequest(loser)))
          )
          yield* tx.withTransaction(
            Effect.gen(function* () {
              yield* repo.lockRequest(c, request.id, 1)
              yield* Deferred.succeed(locked, undefined)
              yield* Effect.sleep("300 millis")
              yield* repo.updateRequest(winner)
            })
          )
          const exit = yield* Fiber.join(other)
          expect(Exit.isFailure(exit)).toBe(true)
          if (Exit.isFailure(exit)) expectConflict(Cause.squash(exit.cause), "stale_version")
          expectFound(HelpRequest, yield* repo.findRequest(c, request.id), winner, "request")
          // and the index rows are the winner's
          const mine = yield* repo.listRequests({ communityId: c, volunteerId: liu.id }, { after: undefined, limit: 5 })
          expect(mine.map((r) => r.id)).toEqual([request.id])
          expect(
            yield* repo.listRequests({ communityId: c, volunteerId: doctor.id }, { after: undefined, limit: 5 })
          ).toEqual([])
        })
      )
    )

    it.live("a database at the current migrations, with data, takes mutual aid's migration on alone", () =>
      withFreshDatabase(target, (db) =>
        Effect.gen(function* () {
          // the store as it is without mutual aid: every other registered domain's migrations
          const current = sqlDomains.filter((d) => d.name !== SqlMutualAid.name) as ReadonlyArray<
            Pick<SqlDomain<unknown, never>, "migrations">
          >
          const old = Layer.provideMerge(
            Layer.mergeAll(SqlCommunities.layer, SqlResidents.layer),
            SqlKernel.layerKysely(db, target.dialect, { domains: current })
          )
          const community = makeCommunity()
          const resident = makeResident({ communityId: community.id, tags: ["volunteer"] })
          const event = makeResidentEvent(community.id, 2)
          yield* Effect.gen(function* () {
            yield* (yield* CommunityRepo).insert(community)
            yield* (yield* ResidentRepo).insert(resident)
            yield* (yield* Outbox).append([event])
          }).pipe(Effect.provide(old))
          const before = yield* recorded(db)
          expect(before).not.toContain("0008_mutual_aid")

          // the same database opened with mutual aid as well: only 0008_mutual_aid runs
          const withMutualAid = Layer.provideMerge(
            Layer.mergeAll(SqlCommunities.layer, SqlResidents.layer, SqlMutualAid.layer),
            SqlKernel.layerKysely(db, target.dialect, { domains: [...current, SqlMutualAid] })
          )
          yield* Effect.gen(function* () {
            expect(yield* recorded(db)).toEqual([...before, "0008_mutual_aid"].sort())
            expect(Option.isSome(yield* (yield* CommunityRepo).findById(community.id))).toBe(true)
            expect(Option.map(yield* (yield* ResidentRepo).findById(community.id, resident.id), (r) => r.id)).toEqual(
              Option.some(resident.id)
            )
            expect((yield* (yield* Outbox).list(community.id, 0, 10)).map((e) => e.id)).toEqual([event.id])
            const repo = yield* MutualAidRepo
            const volunteer = makeVolunteer(community.id, { residentId: resident.id })
            const request = makeRequest(community.id, { requesterId: resident.id })
            yield* repo.insertVolunteer(volunteer)
            yield* repo.insertRequest(request)
            expectFound(
              Volunteer,
              yield* repo.findVolunteerByResident(community.id, resident.id),
              volunteer,
              "volunteer"
            )
            expectFound(HelpRequest, yield* repo.findRequest(community.id, request.id), request, "request")
          }).pipe(Effect.provide(withMutualAid))
          // and opening it again runs nothing
          yield* Layer.build(SqlKernel.layerKysely(db, target.dialect, { domains: [...current, SqlMutualAid] })).pipe(
            Effect.scoped
          )
          expect(yield* recorded(db)).toEqual([...before, "0008_mutual_aid"].sort())
        })
      )
    )
  })
}
