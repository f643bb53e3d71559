/**
 * Mutual aid, end to end over a storage adapter: the core `MutualAid` service (with the ledger
 * under it for time credits) on the adapter's ports. What users rely on: a migrant elder's request
 * recorded by staff is matched to the fellow-townsperson who speaks her dialect, offered,
 * accepted, done and credited in the time bank once; a team's places go to different people;
 * volunteers see offered requests masked until they accept; racing moves on one request end with
 * one winner per place and nothing lost; a care plan generates its visits once and keeps health
 * readings to residents who consented; other communities see nothing.
 *
 * @module
 */
import { expect } from "@effect/vitest"
import { CurrentActor, IdGenerator, Ledger, MutualAid, ResidentId, ResidentRepo, TimeCredits } from "@commonweal/core"
import type { Actor, DomainError } from "@commonweal/core"
import { Clock, DateTime, Effect, Layer } from "effect"
import { makeResident } from "../builders.js"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import type { MutualAidContractPorts } from "./helpers.js"

type Services = MutualAid | Ledger | MutualAidContractPorts

const HOUR = 3_600_000
const DAY = 24 * HOUR

const as =
  (actor: Actor) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.provideService(effect, CurrentActor, actor)

const expectError = (error: DomainError, tag: DomainError["_tag"], ...inMessage: ReadonlyArray<string>) => {
  expect(error._tag).toBe(tag)
  for (const text of inMessage) expect(error.message).toContain(text)
}

/** The next Wednesday 09:00 to 11:00 in Shanghai after `now`. */
const nextWednesday = (now: number) => {
  const local = now + 8 * HOUR
  const day = Math.floor(local / DAY)
  const weekday = (((day + 3) % 7) + 7) % 7 // Monday 0
  const ahead = ((2 - weekday + 7) % 7) + 7
  const start = (day + ahead) * DAY + 9 * HOUR - 8 * HOUR
  return { start, end: start + 2 * HOUR }
}

/** A fresh community: 周赛群 (a migrant elder from Nanchang), 刘英 (a 南昌话-speaking volunteer), two more volunteers, staff. */
const setup = Effect.gen(function* () {
  const communityId = yield* freshCommunity
  const residents = yield* ResidentRepo
  const consent = (purpose: "matching" | "health_data" | "contact_sharing") => ({
    purpose,
    grantedAt: DateTime.makeUnsafe("2026-01-01T00:00:00Z"),
    grantedBy: { _tag: "Self" as const },
    recordedBy: "social-worker-li",
    withdrawnAt: null
  })
  const zhou = makeResident({ communityId, consents: [consent("health_data"), consent("matching")] })
  const liuRecord = makeResident({
    communityId,
    displayName: "刘英",
    birthYear: 1972,
    health: null,
    homePlace: { province: "jiangxi", city: "南昌" },
    languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
    consents: [consent("matching"), consent("contact_sharing")]
  })
  const wangRecord = makeResident({
    communityId,
    displayName: "王秀兰",
    birthYear: 1980,
    health: null,
    homePlace: { province: "anhui", city: "阜阳" },
    consents: [consent("matching")]
  })
  const noConsent = makeResident({ communityId, displayName: "赵敏", birthYear: 1990, health: null, consents: [] })
  for (const r of [zhou, liuRecord, wangRecord, noConsent]) yield* residents.insert(r)
  const staff: Actor = { subject: "social-worker-li", communityId, roles: ["staff"] }
  const service = yield* MutualAid
  const wed = { day: 3, start: "08:30", end: "12:00" }
  const liu = yield* service
    .registerVolunteer({
      residentId: liuRecord.id,
      displayName: "刘英",
      membership: "resident",
      skills: ["translation", "escort"],
      roles: ["fellow_townsperson", "helper"],
      languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
      homePlace: { province: "jiangxi", city: "南昌" },
      availability: [wed],
      location: { building: "16幢" }
    })
    .pipe(as(staff))
  const wang = yield* service
    .registerVolunteer({
      residentId: wangRecord.id,
      displayName: "王秀兰",
      membership: "resident",
      skills: ["translation", "escort"],
      roles: ["grid_worker", "helper"],
      languages: [{ language: "gan", proficiency: "conversational" }],
      homePlace: { province: "anhui", city: "阜阳" },
      availability: [wed],
      location: { building: "2幢" }
    })
    .pipe(as(staff))
  const doctor = yield* service
    .registerVolunteer({
      displayName: "社区医院 陈医生",
      membership: "hospital",
      skills: ["health_check"],
      roles: ["medical"],
      languages: [{ language: "cmn", proficiency: "native" }],
      availability: [wed],
      maxDistance: 5_000
    })
    .pipe(as(staff))
  const unconsented = yield* service
    .registerVolunteer({
      residentId: noConsent.id,
      displayName: "赵敏",
      membership: "resident",
      skills: ["translation", "escort"],
      roles: ["helper", "fellow_townsperson"],
      languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
      availability: [wed]
    })
    .pipe(as(staff))
  yield* service.setWalking("15幢", "16幢", 120).pipe(as(staff))
  const volunteerActor = (residentId: ResidentId): Actor => ({
    subject: `volunteer-${residentId}`,
    communityId,
    roles: ["volunteer"],
    residentId
  })
  return {
    communityId,
    zhou,
    staff,
    liu,
    wang,
    doctor,
    unconsented,
    liuActor: volunteerActor(liuRecord.id),
    wangActor: volunteerActor(wangRecord.id),
    zhouActor: { subject: `resident-${zhou.id}`, communityId, roles: ["resident"], residentId: zhou.id } satisfies Actor
  }
})

type People = Effect.Success<typeof setup>

/** Staff record an escort to hospital for 周赛群 (she has no smartphone). */
const escort = (p: People, places?: ReadonlyArray<{ role: string; skill?: string }>) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    return yield* (yield* MutualAid)
      .requestHelp({
        requesterId: p.zhou.id,
        evidence: "签字回执照片 / photo of the signed slip",
        category: "escort",
        description: "陪同去医院体检，需要南昌话翻译",
        place: { building: "15幢", unit: "2单元", room: "301" },
        windows: [nextWednesday(now)],
        expiresAt: now + 30 * DAY,
        requiredLanguages: ["gan"],
        preferSameHomeTown: true,
        ...(places === undefined ? { places: [{ role: "helper", skill: "translation" }] } : { places })
      })
      .pipe(as(p.staff))
  })

/**
 * Registers the end-to-end suite of mutual aid for an adapter: the core `MutualAid` and `Ledger`
 * services over `target`'s ports. `mutualAidContract` runs it after the port contract.
 */
export const mutualAidServiceSuite = (target: ContractTarget<MutualAidContractPorts>): void => {
  const services: Layer.Layer<Services, unknown> = Layer.merge(MutualAid.layer, Ledger.layer).pipe(
    Layer.provideMerge(Layer.merge(target.layer, IdGenerator.Live))
  )

  registerContract(
    `mutual-aid service over ${target.name}`,
    { name: target.name, layer: services, skip: target.skip },
    (it) => {
      it.effect(
        "an escort recorded by staff goes to the volunteer who speaks her dialect, and credits minutes once",
        () =>
          Effect.gen(function* () {
            const p = yield* setup
            const service = yield* MutualAid
            const request = yield* escort(p)
            expect(request.recordedBy).toEqual({
              _tag: "Staff",
              subject: "social-worker-li",
              evidence: "签字回执照片 / photo of the signed slip"
            })
            const suggested = yield* service.suggest(request.id, 0).pipe(as(p.staff))
            expect(suggested.relaxed).toEqual([])
            expect(suggested.ranked[0]?.volunteerId).toBe(p.liu.id)
            expect(suggested.ranked[0]?.reason).toContain("方言")
            // 赵敏 speaks the dialect too but never consented to matching
            expect(suggested.ranked.map((r) => r.volunteerId)).not.toContain(p.unconsented.id)
            expect(suggested.excluded.consent).toBeGreaterThanOrEqual(1)

            yield* service.propose(request.id, 0, p.liu.id).pipe(as(p.staff))
            // offered, not yet accepted: the room is masked for the volunteer
            const offered = yield* service.request(request.id).pipe(as(p.liuActor))
            expect(offered.place).toEqual({ building: "15幢", unit: "2单元" })
            expectError(yield* Effect.flip(service.request(request.id).pipe(as(p.wangActor))), "NotFound")
            expectError(yield* Effect.flip(service.accept(request.id, 0).pipe(as(p.wangActor))), "Forbidden")
            const accepted = yield* service.accept(request.id, 0).pipe(as(p.liuActor))
            expect(accepted.status).toBe("accepted")
            expect((yield* service.request(request.id).pipe(as(p.liuActor))).place.room).toBe("301")

            yield* service.start(request.id).pipe(as(p.staff))
            const done = yield* service
              .complete(request.id, [{ volunteerId: p.liu.id, minutes: 150 }])
              .pipe(as(p.staff))
            expect(done.status).toBe("completed")
            expectError(
              yield* Effect.flip(
                service.complete(request.id, [{ volunteerId: p.liu.id, minutes: 150 }]).pipe(as(p.staff))
              ),
              "InvalidTransition"
            )
            const ledger = yield* Ledger
            const admin: Actor = { subject: "admin", communityId: p.communityId, roles: ["admin"] }
            const account = yield* ledger
              .account(TimeCredits.accountIdOf(p.communityId, { type: "volunteer", id: p.liu.id }))
              .pipe(as(admin))
            expect(account.creditsPosted - account.debitsPosted).toBe(150)
            expect(account.unit).toBe("MIN")

            const rated = yield* service
              .feedback(request.id, p.liu.id, { rating: 5, comment: "说家乡话，很安心" })
              .pipe(as(p.zhouActor))
            expect(rated.services[0]?.fromRequester?.rating).toBe(5)
            expectError(
              yield* Effect.flip(
                service.feedback(request.id, p.liu.id, { rating: 1, comment: "x" }).pipe(as(p.wangActor))
              ),
              "Forbidden"
            )
            const own = yield* service.requests().pipe(as(p.zhouActor))
            expect(own.items.map((r) => r.id)).toEqual([request.id])
            const report = yield* service.report(0, (yield* Clock.currentTimeMillis) + DAY).pipe(as(p.staff))
            expect(report.fulfilmentRate).toBe(1)
            expect(report.perVolunteerMonth.map((m) => [m.volunteerId, m.minutes])).toEqual([[p.liu.id, 150]])
          })
      )

      it.effect("a team's places go to different people; accepting two places at once both succeed", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const service = yield* MutualAid
          const team = yield* escort(p, [{ role: "medical" }, { role: "grid_worker" }, { role: "fellow_townsperson" }])
          yield* service.propose(team.id, 2, p.liu.id).pipe(as(p.staff))
          expectError(
            yield* Effect.flip(service.propose(team.id, 1, p.liu.id).pipe(as(p.staff))),
            "InvalidTransition",
            "两个岗位"
          )
          const medical = yield* service.suggest(team.id, 0).pipe(as(p.staff))
          expect(medical.ranked.map((r) => r.volunteerId)).toEqual([p.doctor.id])
          yield* service.propose(team.id, 0, p.doctor.id).pipe(as(p.staff))
          yield* service.propose(team.id, 1, p.wang.id).pipe(as(p.staff))
          const both = yield* Effect.all(
            [service.accept(team.id, 2).pipe(as(p.liuActor)), service.accept(team.id, 1).pipe(as(p.wangActor))],
            { concurrency: "unbounded" }
          )
          expect(both).toHaveLength(2)
          const after = yield* service.request(team.id).pipe(as(p.staff))
          expect(after.places.map((x) => x.status)).toEqual(["proposed", "accepted", "accepted"])
        })
      )

      it.effect("racing offers of one place end with one winner; racing acceptances too", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const service = yield* MutualAid
          const request = yield* escort(p)
          const offers = yield* Effect.all(
            [p.liu.id, p.wang.id].map((v) => Effect.result(service.propose(request.id, 0, v).pipe(as(p.staff)))),
            { concurrency: "unbounded" }
          )
          expect(offers.filter((r) => r._tag === "Success")).toHaveLength(1)
          const holder = (yield* service.request(request.id).pipe(as(p.staff))).places[0]?.volunteerId
          const actor = holder === p.liu.id ? p.liuActor : p.wangActor
          const accepts = yield* Effect.all(
            [1, 2, 3].map(() => Effect.result(service.accept(request.id, 0).pipe(as(actor)))),
            { concurrency: "unbounded" }
          )
          expect(accepts.filter((r) => r._tag === "Success")).toHaveLength(1)
          const final = yield* service.request(request.id).pipe(as(p.staff))
          expect([final.status, final.version]).toEqual(["accepted", 3])
        })
      )

      it.effect("a batch assignment explains each pair and each unmatched place, and offers the pairs when asked", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const service = yield* MutualAid
          const single = yield* escort(p)
          const team = yield* escort(p, [{ role: "medical" }, { role: "grid_worker" }, { role: "fellow_townsperson" }])
          const dry = yield* service.assignBatch().pipe(as(p.staff))
          const byPlace = new Map(dry.pairs.map((x) => [`${x.requestId}:${x.place}`, x]))
          expect(byPlace.get(`${team.id}:0`)?.volunteerId).toBe(p.doctor.id)
          const teamPeople = [0, 1, 2]
            .map((i) => byPlace.get(`${team.id}:${i}`)?.volunteerId)
            .filter((v) => v !== undefined)
          expect(new Set(teamPeople).size).toBe(teamPeople.length)
          expect(dry.pairs.length + dry.unmatched.length).toBe(4)
          for (const u of dry.unmatched) expect(u.reason).toContain(" / ")
          expect((yield* service.request(single.id).pipe(as(p.staff))).status).toBe("open")
          const offered = yield* service.assignBatch({ offer: true }).pipe(as(p.staff))
          expect(offered.pairs).toEqual(dry.pairs)
          const after = yield* service.request(team.id).pipe(as(p.staff))
          expect(after.places[0]).toMatchObject({ status: "proposed", volunteerId: p.doctor.id })
        })
      )

      it.effect("a care plan generates its visits once; readings only with the health-data consent", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const service = yield* MutualAid
          const now = yield* Clock.currentTimeMillis
          const plan = yield* service
            .createPlan({
              residentId: p.zhou.id,
              title: "每月上门健康检查 / monthly home health check",
              category: "home_health_check",
              description: "测血压，南昌话翻译",
              place: { building: "15幢", unit: "2单元", room: "301" },
              roles: ["medical", "grid_worker", "fellow_townsperson"],
              requiredLanguages: ["gan"],
              recurrence: { _tag: "Weekly", weeks: 1, weekday: 3, start: "09:00", end: "11:00" },
              startsAt: now - DAY,
              healthReadings: true
            })
            .pipe(as(p.staff))
          const visits = yield* service.generateVisits(plan.id, now + 21 * DAY).pipe(as(p.staff))
          expect(visits.length).toBeGreaterThanOrEqual(2)
          expect(yield* service.generateVisits(plan.id, now + 21 * DAY).pipe(as(p.staff))).toEqual([])
          const first = visits[0]!
          const generated = yield* service.request(first.requestId!).pipe(as(p.staff))
          expect(generated.places.map((x) => x.role)).toEqual(["medical", "grid_worker", "fellow_townsperson"])
          const recorded = yield* service
            .recordVisit(plan.id, {
              dueStart: first.dueStart,
              outcome: "done",
              readings: { systolic: 146, diastolic: 90 }
            })
            .pipe(as(p.staff))
          expect(recorded.readings).toEqual({ systolic: 146, diastolic: 90 })
          const other = yield* service
            .createPlan({
              residentId: p.unconsented.residentId!,
              title: "探访",
              category: "home_visit",
              description: "探访",
              place: { building: "3幢" },
              roles: ["grid_worker"],
              recurrence: { _tag: "Monthly", day: 1, start: "10:00", end: "11:00" },
              startsAt: now,
              healthReadings: true
            })
            .pipe(as(p.staff))
          expectError(
            yield* Effect.flip(
              service
                .recordVisit(other.id, { dueStart: now, outcome: "done", readings: { systolic: 120 } })
                .pipe(as(p.staff))
            ),
            "InvalidInput",
            "健康"
          )
        })
      )

      it.effect("who may do what, and other communities see nothing", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const q = yield* setup
          const service = yield* MutualAid
          const request = yield* escort(p)
          expectError(yield* Effect.flip(service.request(request.id).pipe(as(q.staff))), "NotFound")
          expectError(yield* Effect.flip(service.propose(request.id, 0, p.liu.id).pipe(as(q.staff))), "NotFound")
          expectError(yield* Effect.flip(service.propose(request.id, 0, p.liu.id).pipe(as(p.zhouActor))), "Forbidden")
          expectError(yield* Effect.flip(service.propose(request.id, 0, q.liu.id).pipe(as(p.staff))), "NotFound")
          expectError(
            yield* Effect.flip(
              service
                .requestHelp({
                  requesterId: p.zhou.id,
                  category: "escort",
                  description: "x",
                  place: { building: "15幢" },
                  windows: [{ start: 1, end: 2 }],
                  expiresAt: Date.UTC(2100, 0, 1)
                })
                .pipe(as(p.staff))
            ),
            "InvalidInput",
            "evidence"
          )
          const mine = yield* service
            .requestHelp({
              category: "smartphone",
              description: "教我用手机挂号",
              place: { building: "15幢" },
              windows: [{ start: Date.UTC(2100, 0, 1), end: Date.UTC(2100, 0, 1, 1) }],
              expiresAt: Date.UTC(2100, 0, 2)
            })
            .pipe(as(p.zhouActor))
          expect(mine.recordedBy).toEqual({ _tag: "Requester" })
          expectError(yield* Effect.flip(service.report(0, 1).pipe(as(p.zhouActor))), "Forbidden")
          expect(ResidentId.make(p.zhou.id)).toBe(p.zhou.id)
        })
      )
    }
  )
}
