/**
 * The contract of the `MutualAidRepo` port: volunteers, help requests, care plans, visits and
 * walking distances round trip equal and stay in their community; inserts refuse duplicates and
 * updates stale versions (changing nothing when they do); lists keep id order, cursor paging and
 * every filter, as of each record's latest update; visits and walking distances are upserted by
 * their keys; writes of a failed transaction leave no trace; and two volunteers accepting the same
 * request at once end with exactly one winner.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import { CarePlan, Conflict, HelpRequest, Matching, MutualAidRepo, Transactor, Volunteer } from "@commonweal/core"
import type { CommunityId, Paging, RequestQuery, VolunteerQuery } from "@commonweal/core"
import { Data, Effect, Option, Result } from "effect"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractIt } from "../kernel/helpers.js"
import { expectConflict, sortedIds } from "../kernel/helpers.js"
import type { MutualAidContractPorts } from "./helpers.js"
import {
  acceptedPlace,
  aidDays,
  aidHours,
  aidT0,
  expectFound,
  expectNone,
  freshPlanId,
  freshRequestId,
  freshResidentId,
  freshVolunteerId,
  makeDoctor,
  makeGridWorker,
  makeHealthCheck,
  makePlan,
  makeRequest,
  makeStudent,
  makeVisit,
  makeVolunteer,
  makeWeeklyPlan,
  openPlace,
  proposedPlace,
  serviceOf
} from "./helpers.js"

/** A window of a list: after an id, at most `limit`. */
type Window = Paging.Window

/** A caller's own error, failing a transaction after its writes. */
class Boom extends Data.TaggedError("Boom")<{ readonly step: string }> {}

const all: Window = { after: undefined, limit: 1_000 }

/** A cursor above every UUIDv7. */
const pastEveryId = "ffffffff-ffff-7fff-bfff-ffffffffffff"

/** The ids of the volunteers a query lists, in order. */
const volunteerIds = (query: VolunteerQuery, window: Window = all) =>
  MutualAidRepo.use((repo) => Effect.map(repo.listVolunteers(query, window), (vs) => vs.map((v) => v.id)))

/** The ids of the requests a query lists, in order. */
const requestIds = (query: RequestQuery, window: Window = all) =>
  MutualAidRepo.use((repo) => Effect.map(repo.listRequests(query, window), (rs) => rs.map((r) => r.id)))

/** The ids of a community's care plans, in order. */
const planIds = (communityId: CommunityId, window: Window = all) =>
  MutualAidRepo.use((repo) => Effect.map(repo.listPlans(communityId, window), (ps) => ps.map((p) => p.id)))

/** The ids of `items` that `keep` keeps, in id order. */
const idsWhere = <A extends { readonly id: string }>(items: ReadonlyArray<A>, keep: (a: A) => boolean = () => true) =>
  sortedIds(items.filter(keep).map((a) => a.id))

/**
 * Walks a list page by page (pages of `size`, each after the last id of the one before) and
 * checks every page is full but the last; returns the ids in the order walked.
 */
const walk = <R>(list: (window: Window) => Effect.Effect<ReadonlyArray<string>, never, R>, size: number) =>
  Effect.gen(function* () {
    const walked: Array<string> = []
    let after: string | undefined
    for (let page = 0; page < 50; page++) {
      const ids = yield* list({ after, limit: size })
      expect(ids.length).toBeLessThanOrEqual(size)
      walked.push(...ids)
      if (ids.length < size) break
      after = ids[ids.length - 1]!
    }
    return walked
  })

/** Registers the `MutualAidRepo` contract. */
export const mutualAidRepoContract = (it: ContractIt<MutualAidContractPorts>): void => {
  describe("MutualAidRepo volunteers", () => {
    it.effect("volunteers round trip with and without a resident, and are invisible from another community", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const liuYing = makeVolunteer(junxin)
        const doctor = makeDoctor(junxin)
        const gridWorker = makeGridWorker(junxin, { status: "paused", version: 1 })
        const student = makeStudent(guli)
        // a volunteer saving minutes for her parents' household, with nothing optional set
        const bare = makeVolunteer(junxin, {
          displayName: "黄阿姨",
          gender: null,
          skills: [],
          roles: [],
          languages: [{ language: "hak", proficiency: "basic" }],
          homePlace: { province: "guangdong" },
          availability: [],
          blockedDays: [],
          location: { building: "9幢" },
          maxDistance: 0,
          caps: { atOnce: 1, perWeek: 1, perMonth: 1 }
        })
        for (const v of [liuYing, doctor, gridWorker, bare, student]) yield* repo.insertVolunteer(v)

        for (const v of [liuYing, doctor, gridWorker, bare]) {
          expectFound(Volunteer, yield* repo.findVolunteer(junxin, v.id), v, v.displayName)
        }
        expectFound(Volunteer, yield* repo.findVolunteer(guli, student.id), student, "Gu Li's student")
        // by resident: the volunteer who is that resident
        expectFound(
          Volunteer,
          yield* repo.findVolunteerByResident(junxin, liuYing.residentId!),
          liuYing,
          "Liu Ying by resident"
        )
        expectFound(Volunteer, yield* repo.findVolunteerByResident(junxin, bare.residentId!), bare, "by resident")
        expectNone(yield* repo.findVolunteerByResident(junxin, freshResidentId()), "an unknown resident")
        expectNone(yield* repo.findVolunteer(junxin, freshVolunteerId()), "an unknown volunteer")
        // tenancy: Junxin's records are never found from Gu Li, nor Gu Li's from Junxin
        expectNone(yield* repo.findVolunteer(guli, liuYing.id), "Junxin's volunteer from Gu Li")
        expectNone(yield* repo.findVolunteer(junxin, student.id), "Gu Li's volunteer from Junxin")
        expectNone(yield* repo.findVolunteerByResident(guli, liuYing.residentId!), "Junxin's resident from Gu Li")
        expect(yield* volunteerIds({ communityId: guli })).toEqual([student.id])
        const listed = yield* repo.listVolunteers({ communityId: junxin }, all)
        expect(listed.map((v) => v.id)).toEqual(idsWhere([liuYing, doctor, gridWorker, bare]))
        for (const v of listed) expect(v).toEqual([liuYing, doctor, gridWorker, bare].find((w) => w.id === v.id))
      })
    )

    it.effect(
      "insertVolunteer refuses an existing id or a second volunteer for the same resident, in the community only",
      () =>
        Effect.gen(function* () {
          const repo = yield* MutualAidRepo
          const junxin = yield* freshCommunity
          const guli = yield* freshCommunity
          const liuYing = makeVolunteer(junxin)
          yield* repo.insertVolunteer(liuYing)
          // the same id again, even for another resident
          expectConflict(
            yield* Effect.flip(
              repo.insertVolunteer({ ...liuYing, residentId: freshResidentId(), displayName: "另一位志愿者" })
            ),
            "duplicate"
          )
          // a second profile for the same resident
          expectConflict(
            yield* Effect.flip(
              repo.insertVolunteer(makeVolunteer(junxin, { residentId: liuYing.residentId, displayName: "刘英（新）" }))
            ),
            "duplicate"
          )
          expectFound(Volunteer, yield* repo.findVolunteer(junxin, liuYing.id), liuYing, "Liu Ying")
          expectFound(
            Volunteer,
            yield* repo.findVolunteerByResident(junxin, liuYing.residentId!),
            liuYing,
            "Liu Ying by resident"
          )
          expect(yield* volunteerIds({ communityId: junxin })).toEqual([liuYing.id])
          // outside members have no resident: any number of them
          const doctors = [makeDoctor(junxin), makeDoctor(junxin, { displayName: "高桥卫生院 张护士" })]
          for (const d of doctors) yield* repo.insertVolunteer(d)
          expect(yield* volunteerIds({ communityId: junxin })).toEqual(idsWhere([liuYing, ...doctors]))
          // the same resident id and the same volunteer id are free in another community
          const elsewhere = makeVolunteer(guli, { residentId: liuYing.residentId })
          yield* repo.insertVolunteer(elsewhere)
          const sameId = makeVolunteer(guli, { id: liuYing.id, displayName: "顾里小站 刘英" })
          yield* repo.insertVolunteer(sameId)
          expectFound(
            Volunteer,
            yield* repo.findVolunteerByResident(guli, liuYing.residentId!),
            elsewhere,
            "Gu Li's volunteer for the resident"
          )
          expectFound(Volunteer, yield* repo.findVolunteer(guli, liuYing.id), sameId, "Gu Li's volunteer by the id")
          expectFound(Volunteer, yield* repo.findVolunteer(junxin, liuYing.id), liuYing, "Junxin's Liu Ying")
        })
    )

    it.effect("updateVolunteer replaces one version at a time and refuses stale, missing or foreign ones", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const liuYing = makeVolunteer(junxin)
        yield* repo.insertVolunteer(liuYing)
        // version 1 again (expects 0 stored) and version 3 (expects 2) are stale
        expectConflict(yield* Effect.flip(repo.updateVolunteer({ ...liuYing, maxDistance: 800 })), "stale_version")
        expectConflict(
          yield* Effect.flip(repo.updateVolunteer({ ...liuYing, maxDistance: 800, version: 3 })),
          "stale_version"
        )
        expectFound(Volunteer, yield* repo.findVolunteer(junxin, liuYing.id), liuYing, "Liu Ying")
        const moved = {
          ...liuYing,
          version: 2,
          skills: ["translation", "escort", "health_check"],
          languages: [
            ...liuYing.languages,
            { language: "wuu" as const, dialect: "宁波话", proficiency: "basic" as const }
          ],
          location: { building: "12幢", unit: "3单元", room: "1101", coordinates: { lat: 29.8891, lng: 121.4722 } },
          availability: [{ day: 5, start: "18:30", end: "20:00" }],
          blockedDays: [],
          status: "paused" as const
        }
        yield* repo.updateVolunteer(moved)
        expectFound(Volunteer, yield* repo.findVolunteer(junxin, liuYing.id), moved, "Liu Ying at version 2")
        expectFound(
          Volunteer,
          yield* repo.findVolunteerByResident(junxin, liuYing.residentId!),
          moved,
          "Liu Ying by resident at version 2"
        )
        expectConflict(yield* Effect.flip(repo.updateVolunteer({ ...moved, maxDistance: 1 })), "stale_version")
        // a volunteer never stored has no version to follow
        expectConflict(yield* Effect.flip(repo.updateVolunteer(makeDoctor(junxin, { version: 2 }))), "stale_version")
        // nor has this one in another community
        expectConflict(
          yield* Effect.flip(repo.updateVolunteer({ ...moved, communityId: guli, displayName: "冒名", version: 3 })),
          "stale_version"
        )
        expectNone(yield* repo.findVolunteer(guli, liuYing.id), "Junxin's volunteer from Gu Li")
        expectFound(Volunteer, yield* repo.findVolunteer(junxin, liuYing.id), moved, "Liu Ying at version 2")
      })
    )

    it.effect("listVolunteers pages by id: ascending, after the cursor, at most limit", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const volunteers = [
          makeVolunteer(junxin),
          makeDoctor(junxin),
          makeGridWorker(junxin),
          makeVolunteer(junxin, { displayName: "邓师傅", homePlace: { province: "sichuan", city: "达州" } }),
          makeDoctor(junxin, { displayName: "高桥卫生院 张护士" })
        ]
        for (const i of [3, 0, 4, 2, 1]) yield* repo.insertVolunteer(volunteers[i]!)
        yield* repo.insertVolunteer(makeStudent(guli))
        const ids = idsWhere(volunteers)
        const base = { communityId: junxin }
        expect(yield* volunteerIds(base)).toEqual(ids)
        const first = yield* volunteerIds(base, { after: undefined, limit: 2 })
        expect(first).toEqual(ids.slice(0, 2))
        const second = yield* volunteerIds(base, { after: first[1]!, limit: 2 })
        expect(second).toEqual(ids.slice(2, 4))
        const third = yield* volunteerIds(base, { after: second[1]!, limit: 2 })
        expect(third).toEqual(ids.slice(4))
        expect(yield* volunteerIds(base, { after: third[0]!, limit: 2 })).toEqual([])
        expect(yield* volunteerIds(base, { after: pastEveryId, limit: 10 })).toEqual([])
        expect(yield* volunteerIds(base, { after: ids[0]!, limit: 1 })).toEqual([ids[1]!])
        expect(yield* walk((w) => volunteerIds(base, w), 3)).toEqual(ids)
      })
    )

    it.effect("listVolunteers filters by status, skill and team role, alone and together", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const volunteers = [
          makeVolunteer(junxin), // fellow_townsperson + helper, translation + escort
          makeVolunteer(junxin, { displayName: "邓师傅", status: "paused", homePlace: { province: "sichuan" } }),
          makeDoctor(junxin), // medical, health_check + blood_pressure
          makeDoctor(junxin, { displayName: "高桥卫生院 张护士", status: "paused", skills: ["blood_pressure"] }),
          makeGridWorker(junxin), // grid_worker, registry + escort
          makeStudent(junxin, { roles: ["helper", "tutor"] }) // helper, smartphone_teaching
        ]
        for (const v of volunteers) yield* repo.insertVolunteer(v)
        // Gu Li's volunteers match every filter below, and are never listed for Junxin
        yield* repo.insertVolunteer(makeVolunteer(guli))
        yield* repo.insertVolunteer(makeDoctor(guli, { status: "paused" }))
        const base = { communityId: junxin }
        const where = (keep: (v: (typeof volunteers)[number]) => boolean) => idsWhere(volunteers, keep)

        expect(yield* volunteerIds({ ...base, status: "active" })).toEqual(where((v) => v.status === "active"))
        expect(yield* volunteerIds({ ...base, status: "paused" })).toEqual(where((v) => v.status === "paused"))
        for (const skill of ["translation", "escort", "blood_pressure", "health_check", "smartphone_teaching"]) {
          const expected = where((v) => v.skills.includes(skill))
          expect(expected.length).toBeGreaterThan(0)
          expect(yield* volunteerIds({ ...base, skill })).toEqual(expected)
        }
        expect(yield* volunteerIds({ ...base, skill: "calligraphy" })).toEqual([])
        for (const role of ["fellow_townsperson", "helper", "medical", "grid_worker", "tutor"]) {
          const expected = where((v) => v.roles.includes(role))
          expect(expected.length).toBeGreaterThan(0)
          expect(yield* volunteerIds({ ...base, role })).toEqual(expected)
        }
        expect(yield* volunteerIds({ ...base, role: "driver" })).toEqual([])
        // a skill is not a role, nor a role a skill
        expect(yield* volunteerIds({ ...base, role: "translation" })).toEqual([])
        expect(yield* volunteerIds({ ...base, skill: "medical" })).toEqual([])
        // together
        expect(yield* volunteerIds({ ...base, status: "active", skill: "escort" })).toEqual(
          where((v) => v.status === "active" && v.skills.includes("escort"))
        )
        expect(yield* volunteerIds({ ...base, status: "paused", role: "medical" })).toEqual(
          where((v) => v.status === "paused" && v.roles.includes("medical"))
        )
        expect(yield* volunteerIds({ ...base, skill: "blood_pressure", role: "medical" })).toEqual(
          where((v) => v.skills.includes("blood_pressure") && v.roles.includes("medical"))
        )
        expect(yield* volunteerIds({ ...base, status: "active", skill: "blood_pressure", role: "medical" })).toEqual(
          where((v) => v.status === "active" && v.skills.includes("blood_pressure") && v.roles.includes("medical"))
        )
        expect(yield* volunteerIds({ ...base, skill: "escort", role: "medical" })).toEqual([])
        // paging within a filter
        const helpers = where((v) => v.roles.includes("helper"))
        expect(helpers).toHaveLength(3)
        const first = yield* volunteerIds({ ...base, role: "helper" }, { after: undefined, limit: 2 })
        expect(first).toEqual(helpers.slice(0, 2))
        expect(yield* volunteerIds({ ...base, role: "helper" }, { after: first[1]!, limit: 2 })).toEqual(
          helpers.slice(2)
        )
      })
    )

    it.effect("listVolunteers sees a volunteer's status, skills and roles as last updated", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const base = { communityId: junxin }
        const liuYing = makeVolunteer(junxin)
        yield* repo.insertVolunteer(liuYing)
        expect(yield* volunteerIds({ ...base, skill: "health_check" })).toEqual([])
        const trained = {
          ...liuYing,
          version: 2,
          skills: ["health_check"],
          roles: ["medical"],
          status: "paused" as const
        }
        yield* repo.updateVolunteer(trained)
        expect(yield* volunteerIds({ ...base, skill: "health_check" })).toEqual([liuYing.id])
        expect(yield* volunteerIds({ ...base, skill: "translation" })).toEqual([])
        expect(yield* volunteerIds({ ...base, role: "medical" })).toEqual([liuYing.id])
        expect(yield* volunteerIds({ ...base, role: "fellow_townsperson" })).toEqual([])
        expect(yield* volunteerIds({ ...base, status: "active" })).toEqual([])
        expect(yield* volunteerIds({ ...base, status: "paused" })).toEqual([liuYing.id])
        yield* repo.updateVolunteer({ ...trained, version: 3, skills: [], roles: [], status: "active" })
        expect(yield* volunteerIds({ ...base, skill: "health_check" })).toEqual([])
        expect(yield* volunteerIds({ ...base, role: "medical" })).toEqual([])
        expect(yield* volunteerIds({ ...base, status: "active" })).toEqual([liuYing.id])
      })
    )
  })

  describe("MutualAidRepo requests", () => {
    it.effect("requests round trip in every status, with places, services and feedback, in their community", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const liuYing = makeVolunteer(junxin)
        const doctor = makeDoctor(junxin)
        const gridWorker = makeGridWorker(junxin)
        const deng = makeVolunteer(junxin, { displayName: "邓师傅" })
        const [medical, grid, fellow] = makeHealthCheck(junxin).places as [
          HelpRequest["places"][number],
          HelpRequest["places"][number],
          HelpRequest["places"][number]
        ]
        const team = [acceptedPlace(medical, doctor), acceptedPlace(grid, gridWorker), acceptedPlace(fellow, liuYing)]
        const open = makeRequest(junxin)
        const proposed = makeRequest(junxin, {
          status: "proposed",
          version: 3,
          places: [{ ...proposedPlace(openPlace("helper", "translation"), liuYing), declinedBy: [deng.id] }],
          updatedAt: aidHours(1)
        })
        // the team half filled: open while a place has nobody
        const halfTeam = makeHealthCheck(junxin, {
          version: 2,
          places: [acceptedPlace(medical, doctor), proposedPlace(grid, gridWorker), fellow],
          updatedAt: aidHours(2)
        })
        const accepted = makeHealthCheck(junxin, { status: "accepted", version: 4, places: team })
        const inProgress = makeHealthCheck(junxin, { status: "in_progress", version: 5, places: team })
        const completed = makeHealthCheck(junxin, {
          status: "completed",
          version: 6,
          places: team,
          services: [serviceOf(doctor, 40), serviceOf(gridWorker, 45, false), serviceOf(liuYing, 50)],
          closingNote: "血压 150/90，已建议复查 / blood pressure high, re-check advised",
          updatedAt: aidDays(2)
        })
        const cancelled = makeRequest(junxin, {
          status: "cancelled",
          version: 2,
          closingNote: "女儿请假陪同 / her daughter takes her",
          preferSameHomeTown: false,
          urgency: "low"
        })
        const expired = makeRequest(junxin, {
          status: "expired",
          version: 2,
          category: "smartphone",
          description: "学用微信视频通话 / learn WeChat video calls",
          requiredLanguages: [],
          urgency: "urgent",
          place: { building: "顾里小站" },
          preferGender: "male"
        })
        const theirs = makeRequest(guli, { category: "smartphone", requiredLanguages: ["cmn"] })
        const requests = [open, proposed, halfTeam, accepted, inProgress, completed, cancelled, expired]
        for (const r of [...requests, theirs]) yield* repo.insertRequest(r)

        for (const r of requests)
          expectFound(HelpRequest, yield* repo.findRequest(junxin, r.id), r, `${r.status} request`)
        expectFound(HelpRequest, yield* repo.findRequest(guli, theirs.id), theirs, "Gu Li's request")
        expectNone(yield* repo.findRequest(junxin, freshRequestId()), "an unknown request")
        expectNone(yield* repo.findRequest(guli, completed.id), "Junxin's request from Gu Li")
        expectNone(yield* repo.findRequest(junxin, theirs.id), "Gu Li's request from Junxin")
        const listed = yield* repo.listRequests({ communityId: junxin }, all)
        expect(listed.map((r) => r.id)).toEqual(idsWhere(requests))
        for (const r of listed) expect(r).toEqual(requests.find((q) => q.id === r.id))
        expect(yield* requestIds({ communityId: guli })).toEqual([theirs.id])
      })
    )

    it.effect("insertRequest refuses an existing id in the community and keeps the first", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const request = makeRequest(junxin)
        yield* repo.insertRequest(request)
        expectConflict(
          yield* Effect.flip(repo.insertRequest({ ...request, description: "重复提交 / submitted twice" })),
          "duplicate"
        )
        expectConflict(yield* Effect.flip(repo.insertRequest(makeHealthCheck(junxin, { id: request.id }))), "duplicate")
        expectFound(HelpRequest, yield* repo.findRequest(junxin, request.id), request, "the first request")
        expect(yield* requestIds({ communityId: junxin })).toEqual([request.id])
        // the id is free in another community
        const theirs = makeRequest(guli, { id: request.id, category: "smartphone" })
        yield* repo.insertRequest(theirs)
        expectFound(HelpRequest, yield* repo.findRequest(guli, request.id), theirs, "Gu Li's request")
        expectFound(HelpRequest, yield* repo.findRequest(junxin, request.id), request, "Junxin's request")
      })
    )

    it.effect("updateRequest replaces one version at a time and refuses stale, missing or foreign ones", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const liuYing = makeVolunteer(junxin)
        const request = makeRequest(junxin)
        yield* repo.insertRequest(request)
        const offered = {
          ...request,
          version: 2,
          status: "proposed" as const,
          places: [proposedPlace(request.places[0]!, liuYing)],
          updatedAt: aidHours(1)
        }
        expectConflict(yield* Effect.flip(repo.updateRequest({ ...offered, version: 1 })), "stale_version")
        expectConflict(yield* Effect.flip(repo.updateRequest({ ...offered, version: 3 })), "stale_version")
        expectFound(HelpRequest, yield* repo.findRequest(junxin, request.id), request, "the open request")
        yield* repo.updateRequest(offered)
        expectFound(HelpRequest, yield* repo.findRequest(junxin, request.id), offered, "the offered request")
        // the same version 2 again is stale now
        expectConflict(
          yield* Effect.flip(repo.updateRequest({ ...offered, status: "cancelled" as const })),
          "stale_version"
        )
        const taken = {
          ...offered,
          version: 3,
          status: "accepted" as const,
          places: [acceptedPlace(request.places[0]!, liuYing)]
        }
        yield* repo.updateRequest(taken)
        expectFound(HelpRequest, yield* repo.findRequest(junxin, request.id), taken, "the accepted request")
        // never stored
        expectConflict(yield* Effect.flip(repo.updateRequest(makeRequest(junxin, { version: 2 }))), "stale_version")
        // in another community
        expectConflict(
          yield* Effect.flip(repo.updateRequest({ ...taken, communityId: guli, version: 4, status: "cancelled" })),
          "stale_version"
        )
        expectNone(yield* repo.findRequest(guli, request.id), "Junxin's request from Gu Li")
        expectFound(HelpRequest, yield* repo.findRequest(junxin, request.id), taken, "the accepted request")
      })
    )

    it.effect("lockRequest checks the stored version, in the request's own community", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const request = makeHealthCheck(junxin)
        yield* repo.insertRequest(request)
        yield* repo.updateRequest({ ...request, version: 2, urgency: "urgent" })
        // at the stored version it holds, and the transaction may go on to update the request
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* repo.lockRequest(junxin, request.id, 2)
            yield* repo.updateRequest({ ...request, version: 3, urgency: "urgent", status: "cancelled" })
          })
        )
        const lock = (communityId: CommunityId, id: typeof request.id, version: number) =>
          Effect.flip(tx.withTransaction(repo.lockRequest(communityId, id, version)))
        expectConflict(yield* lock(junxin, request.id, 2), "stale_version")
        expectConflict(yield* lock(junxin, request.id, 4), "stale_version")
        expectConflict(yield* lock(junxin, freshRequestId(), 1), "stale_version")
        expectConflict(yield* lock(guli, request.id, 3), "stale_version")
        yield* tx.withTransaction(repo.lockRequest(junxin, request.id, 3))
        // outside a transaction too: a check of the version
        yield* repo.lockRequest(junxin, request.id, 3)
        expectConflict(yield* Effect.flip(repo.lockRequest(junxin, request.id, 1)), "stale_version")
        expect(Option.map(yield* repo.findRequest(junxin, request.id), (r) => [r.version, r.status])).toEqual(
          Option.some([3, "cancelled"])
        )
      })
    )

    it.effect("listRequests pages by id: ascending, after the cursor, at most limit", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const requests = [
          makeRequest(junxin),
          makeHealthCheck(junxin),
          makeRequest(junxin, { status: "cancelled", version: 2 }),
          makeHealthCheck(junxin, { status: "expired", version: 2 }),
          makeRequest(junxin, { category: "smartphone" }),
          makeRequest(junxin, { category: "escort" }),
          makeRequest(junxin, { category: "shopping" })
        ]
        for (const i of [6, 2, 0, 5, 3, 1, 4]) yield* repo.insertRequest(requests[i]!)
        yield* repo.insertRequest(makeRequest(guli))
        const ids = idsWhere(requests)
        const base = { communityId: junxin }
        expect(yield* requestIds(base)).toEqual(ids)
        const first = yield* requestIds(base, { after: undefined, limit: 3 })
        expect(first).toEqual(ids.slice(0, 3))
        const second = yield* requestIds(base, { after: first[2]!, limit: 3 })
        expect(second).toEqual(ids.slice(3, 6))
        const third = yield* requestIds(base, { after: second[2]!, limit: 3 })
        expect(third).toEqual(ids.slice(6))
        expect(yield* requestIds(base, { after: third[0]!, limit: 3 })).toEqual([])
        expect(yield* requestIds(base, { after: pastEveryId, limit: 10 })).toEqual([])
        expect(yield* walk((w) => requestIds(base, w), 2)).toEqual(ids)
      })
    )

    it.effect(
      "listRequests filters by status, requester, volunteer (offered, holding or served), category and creation time",
      () =>
        Effect.gen(function* () {
          const repo = yield* MutualAidRepo
          const junxin = yield* freshCommunity
          const guli = yield* freshCommunity
          const liuYing = makeVolunteer(junxin)
          const doctor = makeDoctor(junxin)
          const gridWorker = makeGridWorker(junxin)
          const deng = makeVolunteer(junxin, { displayName: "邓师傅" })
          const zhouSaiqun = freshResidentId()
          const grandpaHuang = freshResidentId()
          const hour = (n: number) => aidHours(n)
          const check = makeHealthCheck(junxin)
          const [medical, grid, fellow] = check.places as [
            HelpRequest["places"][number],
            HelpRequest["places"][number],
            HelpRequest["places"][number]
          ]
          const team = [acceptedPlace(medical, doctor), acceptedPlace(grid, gridWorker), acceptedPlace(fellow, liuYing)]
          const requests = [
            // 0: Zhou's open request, nobody offered; Deng declined it
            makeRequest(junxin, {
              requesterId: zhouSaiqun,
              places: [{ ...openPlace("helper", "translation"), declinedBy: [deng.id] }],
              createdAt: hour(0)
            }),
            // 1: offered to Liu Ying
            makeRequest(junxin, {
              requesterId: grandpaHuang,
              status: "proposed",
              places: [proposedPlace(openPlace("helper", "translation"), liuYing)],
              createdAt: hour(1)
            }),
            // 2: Zhou's health check, half filled: the doctor holds, the grid worker is offered
            makeHealthCheck(junxin, {
              requesterId: zhouSaiqun,
              places: [acceptedPlace(medical, doctor), proposedPlace(grid, gridWorker), fellow],
              createdAt: hour(1)
            }),
            // 3: completed by the whole team: held and served (listed once for each of them)
            makeHealthCheck(junxin, {
              requesterId: zhouSaiqun,
              status: "completed",
              places: team,
              services: [serviceOf(doctor, 40), serviceOf(gridWorker, 45), serviceOf(liuYing, 50)],
              createdAt: hour(2)
            }),
            // 4: completed: Liu Ying held the place, Deng stood in and served
            makeRequest(junxin, {
              requesterId: grandpaHuang,
              status: "completed",
              category: "escort",
              places: [acceptedPlace(openPlace("helper"), liuYing)],
              services: [serviceOf(deng, 30, false)],
              createdAt: hour(3)
            }),
            // 5: accepted by the doctor
            makeRequest(junxin, {
              requesterId: grandpaHuang,
              status: "accepted",
              category: "home_health_check",
              places: [acceptedPlace(openPlace("medical", "blood_pressure"), doctor)],
              createdAt: hour(5)
            }),
            // 6: cancelled, nobody
            makeRequest(junxin, { requesterId: zhouSaiqun, status: "cancelled", createdAt: hour(5) + 1 })
          ]
          for (const i of [4, 1, 6, 0, 3, 5, 2]) yield* repo.insertRequest(requests[i]!)
          // Gu Li's request by the same ids of people, at the same times: never listed for Junxin
          yield* repo.insertRequest(
            makeRequest(guli, {
              requesterId: zhouSaiqun,
              status: "proposed",
              places: [proposedPlace(openPlace("helper"), liuYing)],
              services: [serviceOf(deng, 20)],
              createdAt: hour(1)
            })
          )
          const base = { communityId: junxin }
          type Request = (typeof requests)[number]
          const where = (keep: (r: Request) => boolean) => idsWhere(requests, keep)
          const involves = (volunteerId: string) => (r: Request) =>
            r.places.some((p) => p.volunteerId === volunteerId) || r.services.some((s) => s.volunteerId === volunteerId)

          // status
          for (const status of ["open", "proposed", "completed", "accepted", "cancelled"] as const) {
            const expected = where((r) => r.status === status)
            expect(expected.length).toBeGreaterThan(0)
            expect(yield* requestIds({ ...base, status })).toEqual(expected)
          }
          expect(yield* requestIds({ ...base, status: "in_progress" })).toEqual([])
          // requester
          expect(yield* requestIds({ ...base, requesterId: zhouSaiqun })).toEqual(
            where((r) => r.requesterId === zhouSaiqun)
          )
          expect(yield* requestIds({ ...base, requesterId: grandpaHuang })).toEqual(
            where((r) => r.requesterId === grandpaHuang)
          )
          expect(yield* requestIds({ ...base, requesterId: freshResidentId() })).toEqual([])
          // volunteer: offered (1: Liu Ying; 2: the grid worker), holding (2, 5: the doctor), served (4: Deng)
          expect(yield* requestIds({ ...base, volunteerId: liuYing.id })).toEqual(
            idsWhere([requests[1]!, requests[3]!, requests[4]!])
          )
          expect(yield* requestIds({ ...base, volunteerId: doctor.id })).toEqual(
            idsWhere([requests[2]!, requests[3]!, requests[5]!])
          )
          expect(yield* requestIds({ ...base, volunteerId: gridWorker.id })).toEqual(
            idsWhere([requests[2]!, requests[3]!])
          )
          // Deng served request 4; declining request 0 does not count
          expect(yield* requestIds({ ...base, volunteerId: deng.id })).toEqual([requests[4]!.id])
          for (const v of [liuYing, doctor, gridWorker, deng]) {
            expect(yield* requestIds({ ...base, volunteerId: v.id })).toEqual(where(involves(v.id)))
          }
          expect(yield* requestIds({ ...base, volunteerId: freshVolunteerId() })).toEqual([])
          // category
          expect(yield* requestIds({ ...base, category: "home_health_check" })).toEqual(
            where((r) => r.category === "home_health_check")
          )
          expect(yield* requestIds({ ...base, category: "escort" })).toEqual([requests[4]!.id])
          expect(yield* requestIds({ ...base, category: "smartphone" })).toEqual([])
          // creation time: from inclusive, to exclusive
          expect(yield* requestIds({ ...base, createdFrom: hour(1) })).toEqual(where((r) => r.createdAt >= hour(1)))
          expect(yield* requestIds({ ...base, createdTo: hour(1) })).toEqual([requests[0]!.id])
          expect(yield* requestIds({ ...base, createdFrom: hour(1), createdTo: hour(5) })).toEqual(
            where((r) => r.createdAt >= hour(1) && r.createdAt < hour(5))
          )
          expect(yield* requestIds({ ...base, createdFrom: hour(5), createdTo: hour(5) + 1 })).toEqual([
            requests[5]!.id
          ])
          expect(yield* requestIds({ ...base, createdFrom: hour(5), createdTo: hour(5) })).toEqual([])
          expect(yield* requestIds({ ...base, createdFrom: hour(6) })).toEqual([])
          // together
          expect(yield* requestIds({ ...base, requesterId: zhouSaiqun, status: "completed" })).toEqual([
            requests[3]!.id
          ])
          expect(yield* requestIds({ ...base, volunteerId: doctor.id, category: "home_health_check" })).toEqual(
            idsWhere([requests[2]!, requests[3]!, requests[5]!])
          )
          expect(
            yield* requestIds({ ...base, volunteerId: doctor.id, requesterId: zhouSaiqun, createdFrom: hour(2) })
          ).toEqual([requests[3]!.id])
          expect(
            yield* requestIds({ ...base, volunteerId: liuYing.id, status: "completed", createdTo: hour(3) })
          ).toEqual([requests[3]!.id])
          expect(
            yield* requestIds({
              ...base,
              status: "completed",
              requesterId: grandpaHuang,
              volunteerId: deng.id,
              category: "escort",
              createdFrom: hour(3),
              createdTo: hour(4)
            })
          ).toEqual([requests[4]!.id])
          expect(yield* requestIds({ ...base, volunteerId: deng.id, status: "open" })).toEqual([])
          expect(yield* requestIds({ ...base, requesterId: grandpaHuang, category: "translation" })).toEqual([
            requests[1]!.id
          ])
          // paging within a filter: Liu Ying's requests one at a time
          const hers = where(involves(liuYing.id))
          expect(yield* walk((w) => requestIds({ ...base, volunteerId: liuYing.id }, w), 1)).toEqual(hers)
          expect(yield* requestIds({ ...base, volunteerId: liuYing.id }, { after: hers[0]!, limit: 10 })).toEqual(
            hers.slice(1)
          )
          const zhous = where((r) => r.requesterId === zhouSaiqun && r.createdAt >= hour(1))
          expect(
            yield* walk((w) => requestIds({ ...base, requesterId: zhouSaiqun, createdFrom: hour(1) }, w), 1)
          ).toEqual(zhous)
        })
    )

    it.effect("listRequests sees a request's status, places and services as last updated", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const base = { communityId: junxin }
        const liuYing = makeVolunteer(junxin)
        const deng = makeVolunteer(junxin, { displayName: "邓师傅" })
        const doctor = makeDoctor(junxin)
        const request = makeRequest(junxin)
        yield* repo.insertRequest(request)
        const byVolunteer = (v: { readonly id: (typeof liuYing)["id"] }) => requestIds({ ...base, volunteerId: v.id })
        expect(yield* byVolunteer(deng)).toEqual([])
        // offered to Deng
        const toDeng = {
          ...request,
          version: 2,
          status: "proposed" as const,
          places: [proposedPlace(request.places[0]!, deng)]
        }
        yield* repo.updateRequest(toDeng)
        expect(yield* byVolunteer(deng)).toEqual([request.id])
        expect(yield* requestIds({ ...base, status: "open" })).toEqual([])
        expect(yield* requestIds({ ...base, status: "proposed" })).toEqual([request.id])
        // Deng declines; offered to Liu Ying
        const toLiu = {
          ...toDeng,
          version: 3,
          places: [{ ...proposedPlace(request.places[0]!, liuYing), declinedBy: [deng.id] }]
        }
        yield* repo.updateRequest(toLiu)
        expect(yield* byVolunteer(deng)).toEqual([])
        expect(yield* byVolunteer(liuYing)).toEqual([request.id])
        // Liu Ying accepts, and it is done; the doctor's check-up is recorded as a service too
        const done = {
          ...toLiu,
          version: 4,
          status: "completed" as const,
          places: [{ ...acceptedPlace(request.places[0]!, liuYing), declinedBy: [deng.id] }],
          services: [serviceOf(liuYing, 60), serviceOf(doctor, 15, false)]
        }
        yield* repo.updateRequest(done)
        expect(yield* byVolunteer(liuYing)).toEqual([request.id])
        expect(yield* byVolunteer(doctor)).toEqual([request.id])
        expect(yield* byVolunteer(deng)).toEqual([])
        expect(yield* requestIds({ ...base, status: "proposed" })).toEqual([])
        expect(yield* requestIds({ ...base, status: "completed" })).toEqual([request.id])
        // a correction drops the doctor's service
        yield* repo.updateRequest({ ...done, version: 5, services: [serviceOf(liuYing, 60)] })
        expect(yield* byVolunteer(doctor)).toEqual([])
        expect(yield* byVolunteer(liuYing)).toEqual([request.id])
      })
    )
  })

  describe("MutualAidRepo care plans and visits", () => {
    it.effect("care plans round trip, weekly and monthly, and are invisible from another community", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const monthly = makePlan(junxin)
        const lastDay = makePlan(junxin, {
          title: "黄爷爷月末探访",
          roles: ["grid_worker"],
          recurrence: { _tag: "Monthly", day: 31, start: "15:00", end: "16:00" },
          endsAt: Date.UTC(2026, 11, 31, 16, 0, 0),
          graceDays: 0,
          healthReadings: false,
          status: "paused"
        })
        const weekly = makeWeeklyPlan(guli)
        const ended = makeWeeklyPlan(guli, {
          recurrence: { _tag: "Weekly", weeks: 1, weekday: 7, start: "09:30", end: "11:00" },
          status: "ended",
          version: 1
        })
        for (const p of [monthly, lastDay, weekly, ended]) yield* repo.insertPlan(p)
        expectFound(CarePlan, yield* repo.findPlan(junxin, monthly.id), monthly, "the monthly plan")
        expectFound(CarePlan, yield* repo.findPlan(junxin, lastDay.id), lastDay, "the month-end plan")
        expectFound(CarePlan, yield* repo.findPlan(guli, weekly.id), weekly, "the weekly plan")
        expectFound(CarePlan, yield* repo.findPlan(guli, ended.id), ended, "the ended plan")
        expectNone(yield* repo.findPlan(junxin, freshPlanId()), "an unknown plan")
        expectNone(yield* repo.findPlan(guli, monthly.id), "Junxin's plan from Gu Li")
        expectNone(yield* repo.findPlan(junxin, weekly.id), "Gu Li's plan from Junxin")
        const listed = yield* repo.listPlans(junxin, all)
        expect(listed.map((p) => p.id)).toEqual(idsWhere([monthly, lastDay]))
        for (const p of listed) expect(p).toEqual([monthly, lastDay].find((q) => q.id === p.id))
        expect(yield* planIds(guli)).toEqual(idsWhere([weekly, ended]))
      })
    )

    it.effect("insertPlan refuses an existing id; updatePlan replaces one version at a time", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const plan = makePlan(junxin)
        yield* repo.insertPlan(plan)
        expectConflict(yield* Effect.flip(repo.insertPlan({ ...plan, title: "重复的计划" })), "duplicate")
        expectFound(CarePlan, yield* repo.findPlan(junxin, plan.id), plan, "the plan")
        // the id is free in another community
        const theirs = makeWeeklyPlan(guli, { id: plan.id })
        yield* repo.insertPlan(theirs)
        expectFound(CarePlan, yield* repo.findPlan(guli, plan.id), theirs, "Gu Li's plan")

        expectConflict(yield* Effect.flip(repo.updatePlan({ ...plan, graceDays: 5 })), "stale_version")
        expectConflict(yield* Effect.flip(repo.updatePlan({ ...plan, graceDays: 5, version: 3 })), "stale_version")
        const weekly = {
          ...plan,
          version: 2,
          recurrence: { _tag: "Weekly" as const, weeks: 4, weekday: 3, start: "09:00", end: "11:00" },
          endsAt: Date.UTC(2027, 5, 30, 16, 0, 0),
          // she moved in with her son's family in another building
          place: { building: "12幢", unit: "3单元", room: "1101" },
          requiredLanguages: ["gan" as const],
          status: "paused" as const
        }
        yield* repo.updatePlan(weekly)
        expectFound(CarePlan, yield* repo.findPlan(junxin, plan.id), weekly, "the plan at version 2")
        expectConflict(yield* Effect.flip(repo.updatePlan({ ...weekly, status: "ended" })), "stale_version")
        expectConflict(yield* Effect.flip(repo.updatePlan(makePlan(junxin, { version: 2 }))), "stale_version")
        // Gu Li's plan under the same id is at version 1: Junxin's version 3 does not fit it
        expectConflict(
          yield* Effect.flip(repo.updatePlan({ ...weekly, communityId: guli, version: 3 })),
          "stale_version"
        )
        expectFound(CarePlan, yield* repo.findPlan(guli, plan.id), theirs, "Gu Li's plan")
        expectFound(CarePlan, yield* repo.findPlan(junxin, plan.id), weekly, "the plan at version 2")
        expect(yield* planIds(junxin)).toEqual([plan.id])
      })
    )

    it.effect("listPlans pages by id: ascending, after the cursor, at most limit", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const plans = [
          makePlan(junxin),
          makeWeeklyPlan(junxin),
          makePlan(junxin),
          makeWeeklyPlan(junxin),
          makePlan(junxin)
        ]
        for (const i of [2, 4, 0, 3, 1]) yield* repo.insertPlan(plans[i]!)
        yield* repo.insertPlan(makePlan(guli))
        const ids = idsWhere(plans)
        expect(yield* planIds(junxin)).toEqual(ids)
        const first = yield* planIds(junxin, { after: undefined, limit: 2 })
        expect(first).toEqual(ids.slice(0, 2))
        expect(yield* planIds(junxin, { after: first[1]!, limit: 2 })).toEqual(ids.slice(2, 4))
        expect(yield* planIds(junxin, { after: ids[3]!, limit: 2 })).toEqual(ids.slice(4))
        expect(yield* planIds(junxin, { after: ids[4]!, limit: 2 })).toEqual([])
        expect(yield* planIds(junxin, { after: pastEveryId, limit: 2 })).toEqual([])
        expect(yield* walk((w) => planIds(junxin, w), 2)).toEqual(ids)
      })
    )

    it.effect("putVisit inserts or replaces by (plan, dueStart); listVisits lists a plan's visits by dueStart", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const plan = makePlan(junxin)
        const other = makeWeeklyPlan(junxin)
        yield* repo.insertPlan(plan)
        yield* repo.insertPlan(other)
        const september = Date.UTC(2026, 8, 16, 1, 0, 0)
        const october = Date.UTC(2026, 9, 16, 1, 0, 0)
        const august = Date.UTC(2026, 7, 16, 1, 0, 0)
        expect(yield* repo.listVisits(junxin, plan.id)).toEqual([])
        // inserted out of order
        const due = [makeVisit(plan, october), makeVisit(plan, august), makeVisit(plan, september)]
        for (const v of due) yield* repo.putVisit(junxin, v)
        // another plan's visit at the same time is its own
        const theirs = makeVisit(other, september, {
          outcome: "not_home",
          note: "家中无人 / nobody home",
          recordedAt: aidDays(1)
        })
        yield* repo.putVisit(junxin, theirs)
        expect(yield* repo.listVisits(junxin, plan.id)).toEqual([due[1], due[2], due[0]])
        expect(yield* repo.listVisits(junxin, other.id)).toEqual([theirs])
        // the September visit is made: a request, the outcome and readings (some of them)
        const request = freshRequestId()
        const made = makeVisit(plan, september, {
          requestId: request,
          outcome: "done",
          readings: { systolic: 150, diastolic: 90, glucose: 62 },
          note: "血压偏高，建议复查 / blood pressure high, re-check advised",
          recordedAt: aidHours(2)
        })
        yield* repo.putVisit(junxin, made)
        expect(yield* repo.listVisits(junxin, plan.id)).toEqual([due[1], made, due[0]])
        // replaced again: every reading, and a changed window end
        const full = {
          ...made,
          dueEnd: september + 3 * 3_600_000,
          readings: { systolic: 138, diastolic: 85, pulse: 72, glucose: 58 }
        }
        yield* repo.putVisit(junxin, full)
        // and August refused, without readings
        const refused = makeVisit(plan, august, {
          outcome: "refused",
          note: "老人说不需要 / she said no need",
          recordedAt: aidDays(-30)
        })
        yield* repo.putVisit(junxin, refused)
        const visits = yield* repo.listVisits(junxin, plan.id)
        expect(visits).toEqual([refused, full, due[0]])
        expect(visits.map((v) => v.dueStart)).toEqual([august, september, october])
        expect(yield* repo.listVisits(junxin, other.id)).toEqual([theirs])
        // tenancy: another community lists none of them, and its own visit under the id is apart
        expect(yield* repo.listVisits(guli, plan.id)).toEqual([])
        expect(yield* repo.listVisits(junxin, freshPlanId())).toEqual([])
        const guliPlan = makePlan(guli, { id: plan.id })
        yield* repo.insertPlan(guliPlan)
        const guliVisit = makeVisit(guliPlan, september, { outcome: "done", recordedAt: aidHours(3) })
        yield* repo.putVisit(guli, guliVisit)
        expect(yield* repo.listVisits(guli, plan.id)).toEqual([guliVisit])
        expect(yield* repo.listVisits(junxin, plan.id)).toEqual([refused, full, due[0]])
      })
    )
  })

  describe("MutualAidRepo walking distances", () => {
    it.effect("putWalking sets a pair in either order once; walking() keys them by Matching.walkingKey", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        expect([...(yield* repo.walking(junxin)).entries()]).toEqual([])
        yield* repo.putWalking(junxin, "7幢", "5幢", 220)
        yield* repo.putWalking(junxin, "社区服务中心", "7幢", 350)
        yield* repo.putWalking(guli, "顾里小站", "3号楼", 180)
        const sorted = (m: ReadonlyMap<string, number>) =>
          [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        const expected = (pairs: ReadonlyArray<readonly [string, string, number]>) =>
          [...pairs.map(([a, b, m]) => [Matching.walkingKey(a, b), m] as const)].sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0
          )
        expect(sorted(yield* repo.walking(junxin))).toEqual(
          expected([
            ["5幢", "7幢", 220],
            ["7幢", "社区服务中心", 350]
          ])
        )
        // the other order is the same pair: overwritten, never a second entry
        yield* repo.putWalking(junxin, "5幢", "7幢", 240)
        yield* repo.putWalking(junxin, "7幢", "社区服务中心", 330)
        const walking = yield* repo.walking(junxin)
        expect(walking.size).toBe(2)
        expect(walking.get(Matching.walkingKey("7幢", "5幢"))).toBe(240)
        expect(walking.get(Matching.walkingKey("社区服务中心", "7幢"))).toBe(330)
        yield* repo.putWalking(junxin, "社区服务中心", "7幢", 310)
        expect(sorted(yield* repo.walking(junxin))).toEqual(
          expected([
            ["5幢", "7幢", 240],
            ["7幢", "社区服务中心", 310]
          ])
        )
        // another community's table is its own, even for the same buildings
        yield* repo.putWalking(guli, "5幢", "7幢", 999)
        expect(sorted(yield* repo.walking(guli))).toEqual(
          expected([
            ["顾里小站", "3号楼", 180],
            ["5幢", "7幢", 999]
          ])
        )
        expect((yield* repo.walking(junxin)).get(Matching.walkingKey("5幢", "7幢"))).toBe(240)
        expect((yield* repo.walking(yield* freshCommunity)).size).toBe(0)
      })
    )
  })

  describe("MutualAidRepo in transactions", () => {
    it.effect("a failed transaction leaves no trace of any mutual-aid write", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const liuYing = makeVolunteer(junxin)
        const request = makeRequest(junxin)
        const plan = makePlan(junxin)
        const visit = makeVisit(plan, aidT0)
        yield* repo.insertVolunteer(liuYing)
        yield* repo.insertRequest(request)
        yield* repo.insertPlan(plan)
        yield* repo.putVisit(junxin, visit)
        yield* repo.putWalking(junxin, "5幢", "7幢", 220)
        const doctor = makeDoctor(junxin)
        const check = makeHealthCheck(junxin)
        const weekly = makeWeeklyPlan(junxin)
        const later = makeVisit(plan, aidDays(30))
        const boom = new Boom({ step: "after every mutual-aid write" })
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* repo.insertVolunteer(doctor)
              yield* repo.updateVolunteer({ ...liuYing, version: 2, status: "paused" })
              yield* repo.insertRequest(check)
              yield* repo.lockRequest(junxin, request.id, 1)
              yield* repo.updateRequest({
                ...request,
                version: 2,
                status: "proposed",
                places: [proposedPlace(request.places[0]!, liuYing)]
              })
              yield* repo.insertPlan(weekly)
              yield* repo.updatePlan({ ...plan, version: 2, status: "ended" })
              yield* repo.putVisit(junxin, { ...visit, outcome: "done", recordedAt: aidHours(1) })
              yield* repo.putVisit(junxin, later)
              yield* repo.putWalking(junxin, "7幢", "5幢", 999)
              yield* repo.putWalking(junxin, "社区服务中心", "5幢", 100)
              // the transaction sees its own writes
              expectFound(Volunteer, yield* repo.findVolunteer(junxin, doctor.id), doctor, "doctor inside")
              expect(yield* requestIds({ communityId: junxin, volunteerId: liuYing.id })).toEqual([request.id])
              expect((yield* repo.walking(junxin)).size).toBe(2)
              return yield* Effect.fail(boom)
            })
          )
        )
        expect(error).toBe(boom)
        expectNone(yield* repo.findVolunteer(junxin, doctor.id), "the rolled-back doctor")
        expectFound(Volunteer, yield* repo.findVolunteer(junxin, liuYing.id), liuYing, "Liu Ying")
        expect(yield* volunteerIds({ communityId: junxin })).toEqual([liuYing.id])
        expect(yield* volunteerIds({ communityId: junxin, status: "paused" })).toEqual([])
        expectNone(yield* repo.findRequest(junxin, check.id), "the rolled-back request")
        expectFound(HelpRequest, yield* repo.findRequest(junxin, request.id), request, "the open request")
        expect(yield* requestIds({ communityId: junxin })).toEqual([request.id])
        expect(yield* requestIds({ communityId: junxin, volunteerId: liuYing.id })).toEqual([])
        expectNone(yield* repo.findPlan(junxin, weekly.id), "the rolled-back plan")
        expectFound(CarePlan, yield* repo.findPlan(junxin, plan.id), plan, "the plan")
        expect(yield* planIds(junxin)).toEqual([plan.id])
        expect(yield* repo.listVisits(junxin, plan.id)).toEqual([visit])
        expect([...(yield* repo.walking(junxin)).entries()]).toEqual([[Matching.walkingKey("5幢", "7幢"), 220]])
        // and the same writes go through afterwards: nothing of the failed attempt is in the way
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* repo.insertVolunteer(doctor)
            yield* repo.insertRequest(check)
            yield* repo.insertPlan(weekly)
            yield* repo.updateVolunteer({ ...liuYing, version: 2, status: "paused" })
            yield* repo.putVisit(junxin, later)
          })
        )
        expectFound(Volunteer, yield* repo.findVolunteer(junxin, doctor.id), doctor, "the doctor")
        expectFound(HelpRequest, yield* repo.findRequest(junxin, check.id), check, "the health check")
        expect(yield* planIds(junxin)).toEqual(idsWhere([plan, weekly]))
        expect(yield* repo.listVisits(junxin, plan.id)).toEqual([visit, later])
      })
    )

    it.effect("a refused write inside a transaction fails it and keeps nothing of it", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const liuYing = makeVolunteer(junxin)
        yield* repo.insertVolunteer(liuYing)
        const request = makeRequest(junxin)
        const doctor = makeDoctor(junxin)
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* repo.insertRequest(request)
              yield* repo.insertVolunteer(doctor)
              // a second profile for Liu Ying
              yield* repo.insertVolunteer(makeVolunteer(junxin, { residentId: liuYing.residentId }))
            })
          )
        )
        expectConflict(error, "duplicate")
        expectNone(yield* repo.findRequest(junxin, request.id), "the rolled-back request")
        expectNone(yield* repo.findVolunteer(junxin, doctor.id), "the rolled-back doctor")
        expect(yield* volunteerIds({ communityId: junxin })).toEqual([liuYing.id])
      })
    )

    it.effect("two volunteers accepting the same request at once: exactly one wins, the other is stale", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const request = makeRequest(junxin)
        yield* repo.insertRequest(request)
        const takers = [makeVolunteer(junxin), makeVolunteer(junxin, { displayName: "邓师傅" })]
        const taken = takers.map((v) => ({
          ...request,
          version: 2,
          status: "accepted" as const,
          places: [acceptedPlace(request.places[0]!, v)],
          updatedAt: aidHours(1)
        }))
        const results = yield* Effect.all(
          taken.map((next) =>
            Effect.result(
              tx.withTransaction(
                Effect.gen(function* () {
                  yield* repo.lockRequest(junxin, request.id, 1)
                  yield* Effect.yieldNow
                  yield* repo.updateRequest(next)
                })
              )
            )
          ),
          { concurrency: "unbounded" }
        )
        const winners = results.flatMap((r, i) => (Result.isSuccess(r) ? [taken[i]!] : []))
        const losers = results.flatMap((r) => (Result.isFailure(r) ? [r.failure] : []))
        expect(winners).toHaveLength(1)
        expect(losers).toHaveLength(1)
        expectConflict(losers[0], "stale_version")
        expectFound(HelpRequest, yield* repo.findRequest(junxin, request.id), winners[0]!, "the winner's request")
        expect(yield* requestIds({ communityId: junxin, volunteerId: winners[0]!.places[0]!.volunteerId! })).toEqual([
          request.id
        ])
      })
    )

    it.effect("two updates of the same request version at once, without a lock: exactly one wins", () =>
      Effect.gen(function* () {
        const repo = yield* MutualAidRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const request = makeHealthCheck(junxin)
        yield* repo.insertRequest(request)
        const next = [
          { ...request, version: 2, status: "cancelled" as const, closingNote: "老人住院 / in hospital" },
          { ...request, version: 2, urgency: "urgent" as const, updatedAt: aidHours(1) }
        ]
        const results = yield* Effect.all(
          next.map((r) => Effect.result(tx.withTransaction(Effect.andThen(Effect.yieldNow, repo.updateRequest(r))))),
          { concurrency: "unbounded" }
        )
        const winners = results.flatMap((r, i) => (Result.isSuccess(r) ? [next[i]!] : []))
        const losers = results.flatMap((r) => (Result.isFailure(r) ? [r.failure] : []))
        expect(winners).toHaveLength(1)
        expect(losers).toHaveLength(1)
        expect(losers[0]).toBeInstanceOf(Conflict)
        expectConflict(losers[0], "stale_version")
        expectFound(HelpRequest, yield* repo.findRequest(junxin, request.id), winners[0]!, "the winner's request")
      })
    )
  })
}
