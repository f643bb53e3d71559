/**
 * Neighbour mutual aid (邻里互助) over HTTP: staff record an escort for a migrant elder without a
 * smartphone, the suggestions name the volunteer who speaks her dialect and say why, the place is
 * offered, the volunteer sees the request masked until accepting, the service is done and credited
 * in the time bank, and the elder gives feedback; refusals as problem details, idempotent replays,
 * a care plan's visits (health readings only with consent) and the OpenAPI document.
 *
 * The server is the real one over the in-memory store, with its own tokens (staff, volunteers who
 * are residents, the elder herself, another community's staff) and a clock the tests move forward,
 * so that a request expires without waiting for it.
 */
import { createServer } from "node:http"
import type { Actor, CommunityId, ResidentId } from "@commonweal/core"
import {
  Communities,
  CurrentActor,
  domainServices,
  GridCode,
  IdGenerator,
  MASKED_DESCRIPTION,
  Residents,
  TimeCredits
} from "@commonweal/core"
import { MemoryStore } from "@commonweal/store-memory"
import { NodeHttpServer } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Clock, type Duration, Effect, Layer, Logger, Option } from "effect"
import { FetchHttpClient } from "effect/http"
import { OpenApi } from "effect/http-api"
import { describe, expect, it as test, vi } from "vitest"
import { CommonwealApi, makeHttpLayer, PROBLEM_CONTENT_TYPE, TokenVerifier } from "../src/index.js"
import { MutualAidGroup } from "../src/groups/mutual-aid.js"
import { GULI, JUNXIN, raw } from "./fixture.js"

// ---------------------------------------------------------------------------------------------
// the server: tokens, residents and a clock of the tests'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** How far the server's clock is ahead of the real one (moved by {@link advance}). */
const shift = { ms: 0 }

/** Moves the server's clock forward. */
const advance = (ms: number) =>
  Effect.sync(() => {
    shift.ms += ms
  })

/** The server's time now. */
const serverNow = () => Date.now() + shift.ms

/** The real clock, `shift.ms` ahead: every fiber of the server reads the time from it. */
const ShiftedClock = Layer.succeed(
  Clock.Clock,
  (() => {
    const real = Clock.Clock.defaultValue()
    const millis = () => real.currentTimeMillisUnsafe() + shift.ms
    const nanos = () => real.currentTimeNanosUnsafe() + BigInt(shift.ms) * 1_000_000n
    return {
      currentTimeMillisUnsafe: millis,
      currentTimeMillis: Effect.sync(millis),
      currentTimeNanosUnsafe: nanos,
      currentTimeNanos: Effect.sync(nanos),
      monotonicTimeNanosUnsafe: () => real.monotonicTimeNanosUnsafe(),
      monotonicTimeNanos: real.monotonicTimeNanos,
      sleep: (duration: Duration.Duration) => real.sleep(duration)
    } satisfies Clock.Clock
  })()
)

const tokens = {
  staff: "tok-ma-staff",
  grid: "tok-ma-grid",
  /** 周赛群, the migrant elder from Nanchang (a resident; she has no smartphone, staff act for her). */
  elder: "tok-ma-elder-zhou",
  /** 李雷, another resident. */
  neighbour: "tok-ma-resident-li",
  /** 刘英, a volunteer who speaks 南昌话. */
  liu: "tok-ma-volunteer-liu",
  /** 王秀兰, another volunteer. */
  wang: "tok-ma-volunteer-wang",
  guliStaff: "tok-ma-guli-staff"
} as const

const actor = (subject: string, communityId: CommunityId, roles: Actor["roles"], residentId?: ResidentId): Actor => ({
  subject,
  communityId,
  roles,
  ...(residentId === undefined ? {} : { residentId })
})

/** The token table; the residents' tokens are added by {@link Seed}, once their ids exist. */
const tokenTable: Record<string, Actor> = {
  [tokens.staff]: actor("social-worker-li", JUNXIN, ["staff"]),
  [tokens.grid]: actor("grid.wang", JUNXIN, ["grid_worker"]),
  [tokens.guliStaff]: actor("staff.gu", GULI, ["staff"])
}

const Verifier = TokenVerifier.make((token) => Effect.sync(() => Option.fromUndefinedOr(tokenTable[token])))

/** The residents' ids (set by {@link Seed}). */
const people = {
  zhou: "" as ResidentId,
  liu: "" as ResidentId,
  wang: "" as ResidentId,
  li: "" as ResidentId,
  /** 张伯: a care plan's resident who gave no health-data consent. */
  zhang: "" as ResidentId
}

/** The two communities, and in 君馨 the elder, two volunteers who are residents, a neighbour and 张伯. */
const Seed = Layer.effectDiscard(
  Effect.gen(function* () {
    const communities = yield* Communities
    yield* communities.provision({
      id: JUNXIN,
      name: "君馨社区",
      nameEn: "Junxin Community",
      timeZone: "Asia/Shanghai",
      grids: [{ code: GridCode.make("JX-01"), name: "一网格" }]
    })
    yield* communities.provision({
      id: GULI,
      name: "顾里小站",
      nameEn: "Gu Li Station",
      timeZone: "Asia/Shanghai",
      grids: [{ code: GridCode.make("GL-01"), name: "顾里一网格" }]
    })
    const residents = yield* Residents
    const staff = actor("staff.seed", JUNXIN, ["staff"])
    const self = { _tag: "Self" as const }
    const register = (input: Parameters<typeof residents.register>[0]) =>
      Effect.map(residents.register(input), (view) => view.id).pipe(Effect.provideService(CurrentActor, staff))
    people.zhou = yield* register({
      displayName: "周赛群",
      homePlace: { province: "jiangxi", city: "南昌" },
      languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
      consents: [
        { purpose: "matching", grantedBy: self },
        { purpose: "health_data", grantedBy: self }
      ]
    })
    people.liu = yield* register({
      displayName: "刘英",
      homePlace: { province: "jiangxi", city: "南昌" },
      languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
      consents: [
        { purpose: "matching", grantedBy: self },
        { purpose: "contact_sharing", grantedBy: self }
      ]
    })
    people.wang = yield* register({
      displayName: "王秀兰",
      homePlace: { province: "anhui", city: "阜阳" },
      consents: [{ purpose: "matching", grantedBy: self }]
    })
    people.li = yield* register({ displayName: "李雷" })
    people.zhang = yield* register({ displayName: "张伯", consents: [{ purpose: "matching", grantedBy: self }] })
    tokenTable[tokens.elder] = actor("resident.zhou", JUNXIN, ["resident"], people.zhou)
    tokenTable[tokens.neighbour] = actor("resident.li", JUNXIN, ["resident"], people.li)
    tokenTable[tokens.liu] = actor("volunteer.liu", JUNXIN, ["volunteer"], people.liu)
    tokenTable[tokens.wang] = actor("volunteer.wang", JUNXIN, ["volunteer"], people.wang)
  })
)

const Services = domainServices.pipe(Layer.provideMerge(Layer.merge(MemoryStore.layer, IdGenerator.Live)))

/** The server: the whole API over the memory store, on a loopback port, on the shifted clock. */
const MutualAidServer = makeHttpLayer().pipe(
  Layer.provide(Seed),
  Layer.provide(Verifier),
  Layer.provideMerge(Services),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(FetchHttpClient.layer),
  Layer.provide(Logger.layer([])),
  Layer.provide(ShiftedClock)
)

// ---------------------------------------------------------------------------------------------
// helpers

const post = (path: string, token: string, body?: unknown, key?: string) =>
  raw(path, {
    method: "POST",
    token,
    ...(body === undefined ? {} : { body }),
    ...(key === undefined ? {} : { headers: { "idempotency-key": key } })
  })

const get = (path: string, token: string) => raw(path, { token })

/** The next-but-one Wednesday 09:00 to 11:00 in Shanghai on the server's clock (UTC epoch ms). */
const wednesday = () => {
  const local = serverNow() + 8 * HOUR
  const day = Math.floor(local / DAY)
  const weekday = (((day + 3) % 7) + 7) % 7 // Monday 0
  const ahead = ((2 - weekday + 7) % 7) + 7
  const start = (day + ahead) * DAY + 9 * HOUR - 8 * HOUR
  return { start, end: start + 2 * HOUR }
}

/** The volunteers' profile ids, registered once over HTTP by {@link volunteers}. */
const registered = { liu: "", wang: "", doctor: "" }

/** Registers 刘英, 王秀兰 and a hospital doctor once (tests may run alone), and the walking table. */
const volunteers = Effect.gen(function* () {
  if (registered.liu !== "") return registered
  const wed = { day: 3, start: "08:30", end: "12:00" }
  const caps = { atOnce: 5, perWeek: 10, perMonth: 30 }
  const register = (body: Record<string, unknown>) =>
    Effect.map(post("/mutual-aid/volunteers", tokens.staff, body), (r) => {
      expect(r.status, r.text).toBe(201)
      expect(r.headers.get("location")).toBe(`/mutual-aid/volunteers/${r.json.id}`)
      return r.json.id as string
    })
  registered.liu = yield* register({
    residentId: people.liu,
    displayName: "刘英",
    membership: "resident",
    skills: ["translation", "escort"],
    roles: ["fellow_townsperson", "helper"],
    languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
    homePlace: { province: "jiangxi", city: "南昌" },
    availability: [wed],
    location: { building: "16幢" },
    caps
  })
  registered.wang = yield* register({
    residentId: people.wang,
    displayName: "王秀兰",
    membership: "resident",
    skills: ["translation", "escort"],
    roles: ["grid_worker", "helper"],
    languages: [{ language: "gan", proficiency: "conversational" }],
    homePlace: { province: "anhui", city: "阜阳" },
    availability: [wed],
    location: { building: "2幢" },
    caps
  })
  registered.doctor = yield* register({
    displayName: "社区医院 陈医生",
    membership: "hospital",
    skills: ["health_check"],
    roles: ["medical"],
    languages: [{ language: "cmn", proficiency: "native" }],
    availability: [wed],
    maxDistance: 5_000,
    caps
  })
  const walking = yield* raw("/mutual-aid/walking", {
    method: "PUT",
    token: tokens.staff,
    body: { a: "15幢", b: "16幢", metres: 120 }
  })
  expect(walking.status, walking.text).toBe(200)
  expect(walking.json).toEqual({ a: "15幢", b: "16幢", metres: 120 })
  return registered
})

/** Staff record an escort to hospital for 周赛群, with the signed slip as evidence. */
const escortBody = (extra: Record<string, unknown> = {}) => ({
  requesterId: people.zhou,
  evidence: "签字回执照片 / photo of the signed slip",
  category: "escort",
  description: "陪同去医院体检，需要南昌话翻译",
  place: { building: "15幢", unit: "2单元", room: "301" },
  windows: [wednesday()],
  expiresAt: serverNow() + 30 * DAY,
  requiredLanguages: ["gan"],
  preferSameHomeTown: true,
  places: [{ role: "helper", skill: "translation" }],
  ...extra
})

const recordEscort = (extra: Record<string, unknown> = {}) =>
  Effect.map(post("/mutual-aid/requests", tokens.staff, escortBody(extra)), (r) => {
    expect(r.status, r.text).toBe(201)
    return r.json as unknown as RequestJson
  })

interface RequestJson {
  readonly id: string
  readonly version: number
  readonly status: string
  readonly description: string
  readonly place: Record<string, unknown>
  readonly recordedBy: Record<string, unknown>
  readonly places: ReadonlyArray<{ role: string; status: string; volunteerId: string | null }>
  readonly services: ReadonlyArray<{
    volunteerId: string
    minutes: number
    fromRequester: { rating: number } | null
  }>
}

interface RankedJson {
  readonly volunteerId: string
  readonly displayName: string
  readonly score: number
  readonly terms: Record<string, number>
  readonly reason: string
}

const expectProblem = (
  response: { status: number; headers: Headers; json: Record<string, unknown>; text: string },
  status: number,
  code: string
) => {
  expect(response.status, response.text).toBe(status)
  expect(response.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
  expect(response.json.code).toBe(code)
}

layer(MutualAidServer, { excludeTestServices: true })("mutual aid over HTTP", (it) => {
  it.effect(
    "an escort recorded by staff goes to the volunteer who speaks her dialect, masked until accepted, credited once, rated by the elder",
    () =>
      Effect.gen(function* () {
        const v = yield* volunteers

        // staff record the request for 周赛群 (no smartphone), naming the signed slip
        const request = yield* recordEscort()
        expect(request.status).toBe("open")
        expect(request.recordedBy).toEqual({
          _tag: "Staff",
          subject: "social-worker-li",
          evidence: "签字回执照片 / photo of the signed slip"
        })
        const read = yield* get(`/mutual-aid/requests/${request.id}`, tokens.grid)
        expect(read.status, read.text).toBe(200)
        expect(read.json).toMatchObject({ id: request.id, place: { room: "301" } })

        // the suggestions name 刘英 first, and say why (her dialect, her home town)
        const suggested = yield* get(`/mutual-aid/requests/${request.id}/places/0/suggestions?k=3`, tokens.staff)
        expect(suggested.status, suggested.text).toBe(200)
        expect(suggested.json).toMatchObject({ requestId: request.id, place: 0, relaxed: [] })
        const ranked = suggested.json.ranked as ReadonlyArray<RankedJson>
        expect(ranked[0]).toMatchObject({ volunteerId: v.liu, displayName: "刘英" })
        expect(ranked[0]?.reason).toContain("方言")
        expect(ranked[0]?.terms.language).toBe(1)
        expect(ranked[0]?.terms.homeTown).toBe(1)
        expect(ranked.map((r) => r.volunteerId)).toContain(v.wang)
        expect(ranked.map((r) => r.volunteerId)).not.toContain(v.doctor)
        expect(ranked[0]?.score).toBeGreaterThan(ranked[1]?.score ?? 1)
        // the doctor fills no helper place with translation: excluded by skill
        expect((suggested.json.excluded as Record<string, number>).skill).toBeGreaterThanOrEqual(1)

        // offered to 刘英: she sees the request without the room; 王秀兰 does not see it
        const offered = yield* post(`/mutual-aid/requests/${request.id}/places/0/offer`, tokens.staff, {
          volunteerId: v.liu
        })
        expect(offered.status, offered.text).toBe(200)
        expect(offered.json).toMatchObject({ status: "proposed", places: [{ status: "proposed", volunteerId: v.liu }] })
        const masked = yield* get(`/mutual-aid/requests/${request.id}`, tokens.liu)
        expect(masked.status, masked.text).toBe(200)
        expect(masked.json.place).toEqual({ building: "15幢", unit: "2单元" })
        expect(JSON.stringify(masked.json.place)).not.toContain("301")
        expect(masked.text).not.toContain('"room"')
        expect(masked.json.description).toBe("陪同去医院体检，需要南昌话翻译")
        const list = yield* get("/mutual-aid/requests", tokens.liu)
        expect((list.json.items as ReadonlyArray<RequestJson>).find((r) => r.id === request.id)?.place).toEqual({
          building: "15幢",
          unit: "2单元"
        })
        expectProblem(yield* get(`/mutual-aid/requests/${request.id}`, tokens.wang), 404, "NotFound")

        // she accepts, and sees the room
        const accepted = yield* post(`/mutual-aid/requests/${request.id}/places/0/accept`, tokens.liu)
        expect(accepted.status, accepted.text).toBe(200)
        expect(accepted.json).toMatchObject({ status: "accepted", place: { room: "301" } })
        expect((yield* get(`/mutual-aid/requests/${request.id}`, tokens.liu)).json.place).toMatchObject({
          room: "301"
        })

        // started, done in 150 minutes, credited in her time bank
        const started = yield* post(`/mutual-aid/requests/${request.id}/start`, tokens.staff)
        expect(started.status, started.text).toBe(200)
        expect(started.json.status).toBe("in_progress")
        const minutes = { minutes: [{ volunteerId: v.liu, minutes: 150 }] }
        const done = yield* post(`/mutual-aid/requests/${request.id}/complete`, tokens.staff, minutes)
        expect(done.status, done.text).toBe(200)
        expect(done.json).toMatchObject({ status: "completed", services: [{ volunteerId: v.liu, minutes: 150 }] })
        // completing twice credits nothing more
        expectProblem(
          yield* post(`/mutual-aid/requests/${request.id}/complete`, tokens.staff, minutes),
          409,
          "InvalidTransition"
        )
        const account = yield* get(
          `/ledger/accounts/${TimeCredits.accountIdOf(JUNXIN, { type: "volunteer", id: v.liu as never })}`,
          tokens.staff
        )
        expect(account.status, account.text).toBe(200)
        expect(account.json).toMatchObject({ unit: "MIN", creditsPosted: 150, debitsPosted: 0 })

        // the elder rates the service; a volunteer who did not serve may not
        const rated = yield* post(`/mutual-aid/requests/${request.id}/feedback`, tokens.elder, {
          volunteerId: v.liu,
          rating: 5,
          comment: "说家乡话，很安心 / she spoke my dialect"
        })
        expect(rated.status, rated.text).toBe(200)
        expect((rated.json as unknown as RequestJson).services[0]?.fromRequester?.rating).toBe(5)
        expectProblem(
          yield* post(`/mutual-aid/requests/${request.id}/feedback`, tokens.wang, {
            volunteerId: v.liu,
            rating: 1,
            comment: "x"
          }),
          403,
          "Forbidden"
        )

        // the elder sees her own request; the coordinator's report counts the service
        const own = yield* get("/mutual-aid/requests", tokens.elder)
        expect((own.json.items as ReadonlyArray<RequestJson>).map((r) => r.id)).toContain(request.id)
        const from = encodeURIComponent(new Date(serverNow() - DAY).toISOString())
        const to = encodeURIComponent(new Date(serverNow() + DAY).toISOString())
        const report = yield* get(`/mutual-aid/report?from=${from}&to=${to}`, tokens.staff)
        expect(report.status, report.text).toBe(200)
        expect(report.json.fulfilmentRate).toBe(1)
        expect(report.json.perVolunteerMonth).toContainEqual(
          expect.objectContaining({ volunteerId: v.liu, minutes: 150 })
        )
        expect(report.json.byCategory).toContainEqual(expect.objectContaining({ category: "escort", completed: 1 }))
        // without a period: the current month
        const month = yield* get("/mutual-aid/report", tokens.staff)
        expect(month.status, month.text).toBe(200)
        const period = month.json as { from: number; to: number }
        expect(period.from <= serverNow() && serverNow() < period.to).toBe(true)
      })
  )

  it.effect("a batch assignment is computed without changing anything, every pair and unmatched place explained", () =>
    Effect.gen(function* () {
      const request = yield* recordEscort()
      const answer = yield* get("/mutual-aid/assignments?perPlace=50", tokens.staff)
      expect(answer.status, answer.text).toBe(200)
      const result = answer.json as unknown as {
        pairs: ReadonlyArray<{ requestId: string; place: number; reason: string; score: number }>
        unmatched: ReadonlyArray<{ requestId: string; reason: string }>
        cost: number
      }
      const mine = result.pairs.find((x) => x.requestId === request.id)
      expect(mine?.reason).toContain(" / ")
      for (const u of result.unmatched) expect(u.reason).toContain(" / ")
      const after = yield* get(`/mutual-aid/requests/${request.id}`, tokens.staff)
      expect((after.json as { status: string }).status).toBe("open")
      expectProblem(yield* get("/mutual-aid/assignments", tokens.neighbour), 403, "Forbidden")
      expectProblem(yield* get("/mutual-aid/assignments?perPlace=0", tokens.staff), 400, "InvalidInput")
    })
  )

  it.effect("a request only staff may read is shown to the offered volunteer without its description", () =>
    Effect.gen(function* () {
      const v = yield* volunteers
      const request = yield* recordEscort({ visibility: "staff", description: "家中情况复杂，请先联系社工" })
      expect(
        (yield* post(`/mutual-aid/requests/${request.id}/places/0/offer`, tokens.staff, { volunteerId: v.wang })).status
      ).toBe(200)
      const masked = yield* get(`/mutual-aid/requests/${request.id}`, tokens.wang)
      expect(masked.status, masked.text).toBe(200)
      expect(masked.json.description).toBe(MASKED_DESCRIPTION)
      expect(masked.text).not.toContain("家中情况")
      expect(masked.json.place).toEqual({ building: "15幢", unit: "2单元" })
    })
  )

  it.effect("refusals are problem details: 401, 403, 404, 409 and 400", () =>
    Effect.gen(function* () {
      const v = yield* volunteers
      const request = yield* recordEscort()

      // 401: no token
      expectProblem(yield* raw(`/mutual-aid/requests/${request.id}`), 401, "Unauthorized")
      // 403: a resident may not offer places, nor register volunteers, nor read the report
      expectProblem(
        yield* post(`/mutual-aid/requests/${request.id}/places/0/offer`, tokens.neighbour, { volunteerId: v.liu }),
        403,
        "Forbidden"
      )
      expectProblem(
        yield* post("/mutual-aid/volunteers", tokens.neighbour, { displayName: "某人", membership: "other" }),
        403,
        "Forbidden"
      )
      expectProblem(yield* get("/mutual-aid/report", tokens.elder), 403, "Forbidden")
      // a resident asks for herself only
      expectProblem(
        yield* post("/mutual-aid/requests", tokens.neighbour, escortBody({ evidence: undefined })),
        403,
        "Forbidden"
      )
      // 404: another community sees nothing, and another resident's request is not there for her
      expectProblem(yield* get(`/mutual-aid/requests/${request.id}`, tokens.guliStaff), 404, "NotFound")
      expectProblem(
        yield* post(`/mutual-aid/requests/${request.id}/places/0/offer`, tokens.guliStaff, { volunteerId: v.liu }),
        404,
        "NotFound"
      )
      expectProblem(yield* get(`/mutual-aid/volunteers/${v.liu}`, tokens.guliStaff), 404, "NotFound")
      expectProblem(yield* get(`/mutual-aid/requests/${request.id}`, tokens.neighbour), 404, "NotFound")

      // offered to 刘英: 王秀兰 accepting it is refused by the rule (403), as is her declining it
      expect(
        (yield* post(`/mutual-aid/requests/${request.id}/places/0/offer`, tokens.staff, { volunteerId: v.liu })).status
      ).toBe(200)
      const notHers = yield* post(`/mutual-aid/requests/${request.id}/places/0/accept`, tokens.wang)
      expectProblem(notHers, 403, "Forbidden")
      expect(String(notHers.json.detail)).toContain("其他志愿者")
      expectProblem(yield* post(`/mutual-aid/requests/${request.id}/places/0/decline`, tokens.wang), 403, "Forbidden")
      // staff hold no volunteer profile: accepting is refused
      expectProblem(yield* post(`/mutual-aid/requests/${request.id}/places/0/accept`, tokens.staff), 403, "Forbidden")

      // 409: starting before every place is accepted; accepting a place taken; a stale version
      expectProblem(yield* post(`/mutual-aid/requests/${request.id}/start`, tokens.staff), 409, "InvalidTransition")
      expect((yield* post(`/mutual-aid/requests/${request.id}/places/0/accept`, tokens.liu)).status).toBe(200)
      expectProblem(
        yield* post(`/mutual-aid/requests/${request.id}/places/0/accept`, tokens.liu),
        409,
        "InvalidTransition"
      )
      const profile = yield* get(`/mutual-aid/volunteers/${v.wang}`, tokens.staff)
      expect(profile.status, profile.text).toBe(200)
      const patch = (body: Record<string, unknown>) =>
        raw(`/mutual-aid/volunteers/${v.wang}`, { method: "PATCH", token: tokens.staff, body })
      const changed = yield* patch({ maxDistance: 2_000, expectedVersion: profile.json.version })
      expect(changed.status, changed.text).toBe(200)
      expect(changed.json).toMatchObject({ maxDistance: 2_000, version: (profile.json.version as number) + 1 })
      expectProblem(yield* patch({ maxDistance: 3_000, expectedVersion: profile.json.version }), 409, "Conflict")

      // 400: staff recording for someone must name the evidence
      const noEvidence = yield* post("/mutual-aid/requests", tokens.staff, escortBody({ evidence: undefined }))
      expectProblem(noEvidence, 400, "InvalidInput")
      expect(noEvidence.text).toContain("evidence")
      // 400: a place index out of range, a request status that does not exist, k out of range,
      // an unknown field, a window that ends before it starts, a paused volunteer offered a place
      expectProblem(
        yield* get(`/mutual-aid/requests/${request.id}/places/9/suggestions`, tokens.staff),
        400,
        "InvalidInput"
      )
      expectProblem(
        yield* get(`/mutual-aid/requests/${request.id}/places/0/suggestions?k=0`, tokens.staff),
        400,
        "InvalidInput"
      )
      expectProblem(yield* get("/mutual-aid/requests?status=dreaming", tokens.staff), 400, "InvalidInput")
      expectProblem(
        yield* post("/mutual-aid/requests", tokens.staff, { ...escortBody(), lanuage: "gan" }),
        400,
        "InvalidInput"
      )
      const backwards = yield* post(
        "/mutual-aid/requests",
        tokens.staff,
        escortBody({ windows: [{ start: serverNow() + 2 * HOUR, end: serverNow() + HOUR }] })
      )
      expectProblem(backwards, 400, "InvalidInput")
      expectProblem(
        yield* post(`/mutual-aid/requests/${request.id}/complete`, tokens.staff, { minutes: [] }),
        400,
        "InvalidInput"
      )
      expectProblem(yield* get("/mutual-aid/report?from=yesterday", tokens.staff), 400, "InvalidInput")
    })
  )

  it.effect("volunteers are listed by status, skill and role; a paused one is not offered a place", () =>
    Effect.gen(function* () {
      const v = yield* volunteers
      const student = yield* post("/mutual-aid/volunteers", tokens.staff, {
        displayName: "大学生 小林",
        membership: "student",
        skills: ["smartphone_help"],
        roles: ["helper"]
      })
      expect(student.status, student.text).toBe(201)
      const id = student.json.id as string
      const ids = (r: { json: Record<string, unknown> }) =>
        (r.json.items as ReadonlyArray<{ id: string }>).map((x) => x.id)

      const translators = yield* get("/mutual-aid/volunteers?skill=translation", tokens.staff)
      expect(translators.status, translators.text).toBe(200)
      expect(ids(translators).sort()).toEqual([v.liu, v.wang].sort())
      expect(ids(yield* get("/mutual-aid/volunteers?role=medical", tokens.grid))).toEqual([v.doctor])

      const paused = yield* raw(`/mutual-aid/volunteers/${id}`, {
        method: "PATCH",
        token: tokens.staff,
        body: { status: "paused", expectedVersion: 1 }
      })
      expect(paused.status, paused.text).toBe(200)
      expect(ids(yield* get("/mutual-aid/volunteers?status=paused", tokens.staff))).toEqual([id])
      expect(ids(yield* get("/mutual-aid/volunteers?status=active", tokens.staff))).not.toContain(id)
      const page = yield* get("/mutual-aid/volunteers?limit=2", tokens.staff)
      expect(ids(page)).toHaveLength(2)
      expect(page.json.nextCursor).toEqual(expect.any(String))
      expectProblem(yield* get("/mutual-aid/volunteers?limit=0", tokens.staff), 400, "InvalidInput")
      // a volunteer reads their own profile only; residents read none
      expect((yield* get(`/mutual-aid/volunteers/${v.liu}`, tokens.liu)).status).toBe(200)
      expectProblem(yield* get(`/mutual-aid/volunteers/${v.wang}`, tokens.liu), 404, "NotFound")
      expectProblem(yield* get("/mutual-aid/volunteers", tokens.liu), 403, "Forbidden")

      const request = yield* recordEscort({ places: [{ role: "helper" }] })
      const refused = yield* post(`/mutual-aid/requests/${request.id}/places/0/offer`, tokens.staff, {
        volunteerId: id
      })
      expectProblem(refused, 400, "InvalidInput")
      expect(refused.text).toContain("暂停")
    })
  )

  it.effect("a POST with Idempotency-Key replays its answer without running again", () =>
    Effect.gen(function* () {
      const v = yield* volunteers
      // a request: 201 with Location, the same again
      const body = escortBody()
      const first = yield* post("/mutual-aid/requests", tokens.staff, body, "escort-1")
      expect(first.status, first.text).toBe(201)
      expect(first.headers.get("idempotent-replayed")).toBeNull()
      const id = first.json.id as string
      expect(first.headers.get("location")).toBe(`/mutual-aid/requests/${id}`)
      const second = yield* post("/mutual-aid/requests", tokens.staff, body, "escort-1")
      expect(second.status).toBe(201)
      expect(second.headers.get("idempotent-replayed")).toBe("true")
      expect(second.headers.get("location")).toBe(first.headers.get("location"))
      expect(second.json).toEqual(first.json)
      const listed = yield* get("/mutual-aid/requests?category=escort&status=open&limit=200", tokens.staff)
      expect((listed.json.items as ReadonlyArray<RequestJson>).filter((r) => r.id === id)).toHaveLength(1)
      // the same key with another body is refused
      expect((yield* post("/mutual-aid/requests", tokens.staff, { ...body, urgency: "high" }, "escort-1")).status).toBe(
        422
      )

      // an offer, replayed without a second version
      const offer = { volunteerId: v.wang }
      const offered = yield* post(`/mutual-aid/requests/${id}/places/0/offer`, tokens.staff, offer, "offer-1")
      expect(offered.status, offered.text).toBe(200)
      const reoffered = yield* post(`/mutual-aid/requests/${id}/places/0/offer`, tokens.staff, offer, "offer-1")
      expect(reoffered.headers.get("idempotent-replayed")).toBe("true")
      expect(reoffered.json).toEqual(offered.json)
      expect(reoffered.json.version).toBe(2)

      // a decline: the receipt again, though the volunteer no longer sees the request
      const declined = yield* post(`/mutual-aid/requests/${id}/places/0/decline`, tokens.wang, undefined, "no-1")
      expect(declined.status, declined.text).toBe(200)
      expect(declined.json).toEqual({ requestId: id, place: 0 })
      const redeclined = yield* post(`/mutual-aid/requests/${id}/places/0/decline`, tokens.wang, undefined, "no-1")
      expect(redeclined.status).toBe(200)
      expect(redeclined.headers.get("idempotent-replayed")).toBe("true")
      expect(redeclined.json).toEqual(declined.json)
      expectProblem(yield* get(`/mutual-aid/requests/${id}`, tokens.wang), 404, "NotFound")
      const after = yield* get(`/mutual-aid/requests/${id}`, tokens.staff)
      expect(after.json).toMatchObject({ status: "open", version: 3, places: [{ status: "open", volunteerId: null }] })
      // she is never suggested for it again
      const suggested = yield* get(`/mutual-aid/requests/${id}/places/0/suggestions`, tokens.staff)
      expect((suggested.json.ranked as ReadonlyArray<RankedJson>).map((r) => r.volunteerId)).not.toContain(v.wang)

      // an acceptance, replayed as the volunteer sees the request now (in full)
      expect(
        (yield* post(`/mutual-aid/requests/${id}/places/0/offer`, tokens.staff, { volunteerId: v.liu })).status
      ).toBe(200)
      const accepted = yield* post(`/mutual-aid/requests/${id}/places/0/accept`, tokens.liu, undefined, "yes-1")
      expect(accepted.status, accepted.text).toBe(200)
      const reaccepted = yield* post(`/mutual-aid/requests/${id}/places/0/accept`, tokens.liu, undefined, "yes-1")
      expect(reaccepted.headers.get("idempotent-replayed")).toBe("true")
      expect(reaccepted.json).toEqual(accepted.json)
      expect(reaccepted.json.place).toMatchObject({ room: "301" })

      // a volunteer registration
      const student = { displayName: "大学生 小周", membership: "student", roles: ["helper"] }
      const registeredOnce = yield* post("/mutual-aid/volunteers", tokens.staff, student, "student-1")
      expect(registeredOnce.status, registeredOnce.text).toBe(201)
      const registeredAgain = yield* post("/mutual-aid/volunteers", tokens.staff, student, "student-1")
      expect(registeredAgain.headers.get("idempotent-replayed")).toBe("true")
      expect(registeredAgain.headers.get("location")).toBe(registeredOnce.headers.get("location"))
      expect(registeredAgain.json).toEqual(registeredOnce.json)

      // the maintenance expiry: a request due in an hour, two hours later
      const shortLived = yield* recordEscort({ expiresAt: serverNow() + HOUR })
      yield* advance(2 * HOUR)
      const expired = yield* post("/mutual-aid/requests/expire", tokens.staff, {}, "expire-1")
      expect(expired.status, expired.text).toBe(200)
      expect(expired.json.expired).toContain(shortLived.id)
      const reexpired = yield* post("/mutual-aid/requests/expire", tokens.staff, {}, "expire-1")
      expect(reexpired.headers.get("idempotent-replayed")).toBe("true")
      expect(reexpired.json).toEqual(expired.json)
      expect((yield* get(`/mutual-aid/requests/${shortLived.id}`, tokens.staff)).json.status).toBe("expired")
      expect((yield* post("/mutual-aid/requests/expire", tokens.staff, {})).json).toEqual({ expired: [] })
      expectProblem(yield* post("/mutual-aid/requests/expire", tokens.elder, {}), 403, "Forbidden")
      expectProblem(yield* post("/mutual-aid/requests/expire", tokens.staff, { limit: 0 }), 400, "InvalidInput")
    })
  )

  it.effect(
    "a care plan generates its visits once; readings only with the health-data consent; missed visits are flagged",
    () =>
      Effect.gen(function* () {
        const now = serverNow()
        const planBody = {
          residentId: people.zhou,
          title: "每月上门健康检查 / monthly home health check",
          category: "home_health_check",
          description: "测血压，南昌话翻译",
          place: { building: "15幢", unit: "2单元", room: "301" },
          roles: ["medical", "grid_worker", "fellow_townsperson"],
          requiredLanguages: ["gan"],
          recurrence: { _tag: "Weekly", weeks: 1, weekday: 3, start: "09:00", end: "11:00" },
          startsAt: now - DAY,
          healthReadings: true
        }
        const created = yield* post("/mutual-aid/care-plans", tokens.grid, planBody)
        expect(created.status, created.text).toBe(201)
        const planId = created.json.id as string
        expect(created.headers.get("location")).toBe(`/mutual-aid/care-plans/${planId}`)
        expect((yield* get(`/mutual-aid/care-plans/${planId}`, tokens.staff)).json).toMatchObject({
          id: planId,
          status: "active",
          graceDays: 3
        })
        expectProblem(yield* get(`/mutual-aid/care-plans/${planId}`, tokens.elder), 403, "Forbidden")
        expectProblem(yield* get(`/mutual-aid/care-plans/${planId}`, tokens.guliStaff), 404, "NotFound")

        // three weeks of visits, each with its team's request; again with the key: the same answer
        const until = { until: now + 21 * DAY }
        const generated = yield* post(`/mutual-aid/care-plans/${planId}/generate`, tokens.staff, until, "gen-1")
        expect(generated.status, generated.text).toBe(200)
        const visits = generated.json.visits as ReadonlyArray<{ dueStart: number; requestId: string }>
        expect(visits.length).toBeGreaterThanOrEqual(2)
        const replayed = yield* post(`/mutual-aid/care-plans/${planId}/generate`, tokens.staff, until, "gen-1")
        expect(replayed.headers.get("idempotent-replayed")).toBe("true")
        expect(replayed.json).toEqual(generated.json)
        // without the key, nothing new
        expect((yield* post(`/mutual-aid/care-plans/${planId}/generate`, tokens.staff, until)).json).toEqual({
          planId,
          visits: []
        })
        const first = visits[0]!
        const visitRequest = yield* get(`/mutual-aid/requests/${first.requestId}`, tokens.staff)
        expect(visitRequest.json).toMatchObject({
          requesterId: people.zhou,
          category: "home_health_check",
          recordedBy: { _tag: "Staff" },
          places: [{ role: "medical" }, { role: "grid_worker" }, { role: "fellow_townsperson" }]
        })

        // 周赛群 consented to health data: readings are kept
        const recorded = yield* post(
          `/mutual-aid/care-plans/${planId}/visits`,
          tokens.staff,
          { dueStart: first.dueStart, outcome: "done", readings: { systolic: 146, diastolic: 90 }, note: "血压偏高" },
          "visit-1"
        )
        expect(recorded.status, recorded.text).toBe(200)
        expect(recorded.json).toMatchObject({ planId, dueStart: first.dueStart, outcome: "done" })
        expect(recorded.json.readings).toEqual({ systolic: 146, diastolic: 90 })
        const rerecorded = yield* post(
          `/mutual-aid/care-plans/${planId}/visits`,
          tokens.staff,
          { dueStart: first.dueStart, outcome: "done", readings: { systolic: 146, diastolic: 90 }, note: "血压偏高" },
          "visit-1"
        )
        expect(rerecorded.headers.get("idempotent-replayed")).toBe("true")
        expect(rerecorded.json).toEqual(recorded.json)

        // 张伯 gave no health-data consent: readings are refused, a visit without them is kept;
        // his plan began two weeks ago, so the visits that passed are flagged missed
        const zhang = yield* post("/mutual-aid/care-plans", tokens.staff, {
          ...planBody,
          residentId: people.zhang,
          title: "每周探访 / weekly visit",
          requiredLanguages: [],
          startsAt: now - 15 * DAY
        })
        expect(zhang.status, zhang.text).toBe(201)
        const zhangPlan = zhang.json.id as string
        const flagged = yield* get(`/mutual-aid/care-plans/${zhangPlan}/visits`, tokens.grid)
        expect(flagged.status, flagged.text).toBe(200)
        const flags = flagged.json.flags as ReadonlyArray<{ dueStart: number; kind: string; message: string }>
        expect(flags.length).toBeGreaterThanOrEqual(2)
        const missed = flags.find((f) => f.kind === "missed")
        expect(missed?.message).toContain("错过")
        const refused = yield* post(`/mutual-aid/care-plans/${zhangPlan}/visits`, tokens.staff, {
          dueStart: missed?.dueStart,
          outcome: "done",
          readings: { systolic: 120 }
        })
        expectProblem(refused, 400, "InvalidInput")
        expect(String(refused.json.detail)).toContain("健康")
        const kept = yield* post(`/mutual-aid/care-plans/${zhangPlan}/visits`, tokens.staff, {
          dueStart: missed?.dueStart,
          outcome: "done",
          note: "补访 / visited late"
        })
        expect(kept.status, kept.text).toBe(200)
        expect(kept.json.readings).toBeNull()
        const after = yield* get(`/mutual-aid/care-plans/${zhangPlan}/visits`, tokens.staff)
        expect((after.json.flags as ReadonlyArray<{ dueStart: number }>).map((f) => f.dueStart)).not.toContain(
          missed?.dueStart
        )
        expect(after.json.visits).toContainEqual(
          expect.objectContaining({ dueStart: missed?.dueStart, outcome: "done" })
        )
        expectProblem(yield* get(`/mutual-aid/care-plans/${zhangPlan}/visits`, tokens.liu), 403, "Forbidden")
        expectProblem(
          yield* post(`/mutual-aid/care-plans/${zhangPlan}/visits`, tokens.staff, { dueStart: 0, outcome: "maybe" }),
          400,
          "InvalidInput"
        )
      })
  )
})

// ---------------------------------------------------------------------------------------------
// the OpenAPI document

describe("mutual aid in the OpenAPI document", () => {
  test("lists every mutual-aid path, described in both languages, and warns of nothing", () => {
    const warn = vi.spyOn(console, "warn")
    const error = vi.spyOn(console, "error")
    const spec = OpenApi.fromApi(CommonwealApi) as unknown as {
      readonly paths: Record<
        string,
        Record<
          string,
          {
            readonly summary?: string
            readonly description?: string
            readonly parameters: ReadonlyArray<{
              readonly name: string
              readonly in: string
              readonly description?: string
              readonly schema?: unknown
            }>
            readonly responses: Record<string, unknown>
          }
        >
      >
      readonly components: { readonly schemas: Record<string, unknown> }
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
    warn.mockRestore()
    error.mockRestore()

    const expected = [
      ["/mutual-aid/volunteers", "get"],
      ["/mutual-aid/volunteers", "post"],
      ["/mutual-aid/volunteers/{id}", "get"],
      ["/mutual-aid/volunteers/{id}", "patch"],
      ["/mutual-aid/walking", "put"],
      ["/mutual-aid/requests", "get"],
      ["/mutual-aid/requests", "post"],
      ["/mutual-aid/requests/expire", "post"],
      ["/mutual-aid/requests/{id}", "get"],
      ["/mutual-aid/requests/{id}/places/{place}/suggestions", "get"],
      ["/mutual-aid/requests/{id}/places/{place}/offer", "post"],
      ["/mutual-aid/requests/{id}/places/{place}/accept", "post"],
      ["/mutual-aid/requests/{id}/places/{place}/decline", "post"],
      ["/mutual-aid/requests/{id}/start", "post"],
      ["/mutual-aid/requests/{id}/complete", "post"],
      ["/mutual-aid/requests/{id}/feedback", "post"],
      ["/mutual-aid/requests/{id}/cancel", "post"],
      ["/mutual-aid/care-plans", "post"],
      ["/mutual-aid/care-plans/{id}", "get"],
      ["/mutual-aid/care-plans/{id}/generate", "post"],
      ["/mutual-aid/care-plans/{id}/visits", "get"],
      ["/mutual-aid/care-plans/{id}/visits", "post"],
      ["/mutual-aid/report", "get"],
      ["/mutual-aid/assignments", "get"]
    ] as const
    for (const [path, method] of expected) {
      const operation = spec.paths[path]?.[method]
      expect(operation, `${method} ${path}`).toBeDefined()
      expect(operation?.summary, `${method} ${path}`).toEqual(expect.any(String))
      expect(operation?.description, `${method} ${path}`).toMatch(/ \/ .*[\u4e00-\u9fff]/u)
    }
    const paths = Object.entries(spec.paths).filter(([path]) => path.startsWith("/mutual-aid"))
    expect(paths.flatMap(([, ops]) => Object.keys(ops))).toHaveLength(expected.length)
    expect(Object.keys(MutualAidGroup.endpoints)).toHaveLength(expected.length)

    // completing credits minutes: it may answer 409 InsufficientFunds; reads list no 409
    expect(JSON.stringify(spec.paths["/mutual-aid/requests/{id}/complete"]?.post?.responses)).toContain(
      "InsufficientFundsProblem"
    )
    expect(JSON.stringify(spec.paths["/mutual-aid/requests/{id}/start"]?.post?.responses)).not.toContain(
      "InsufficientFundsProblem"
    )
    expect(Object.keys(spec.paths["/mutual-aid/requests/{id}"]?.get?.responses ?? {})).not.toContain("409")
    // every POST takes Idempotency-Key
    for (const [path, ops] of paths) {
      if (ops.post === undefined) continue
      expect(
        ops.post.parameters.some((p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key"),
        path
      ).toBe(true)
    }
    // query parameters are described; times are date-times; limit, k and place are integers with their ranges
    for (const [path, ops] of paths) {
      for (const [method, op] of Object.entries(ops)) {
        for (const parameter of op.parameters.filter((p) => p.in === "query")) {
          expect(parameter.description, `${method} ${path} ${parameter.name}`).toEqual(expect.any(String))
        }
      }
    }
    const reportParameters = spec.paths["/mutual-aid/report"]?.get?.parameters ?? []
    for (const name of ["from", "to"]) {
      expect(reportParameters.find((p) => p.name === name)).toMatchObject({
        schema: { type: "string", format: "date-time" },
        description: expect.stringMatching(/ISO 8601/u)
      })
    }
    const suggestions = spec.paths["/mutual-aid/requests/{id}/places/{place}/suggestions"]?.get?.parameters ?? []
    expect(suggestions.find((p) => p.name === "k")).toMatchObject({
      schema: { type: "integer", minimum: 1, maximum: 50, default: 5 }
    })
    expect(suggestions.find((p) => p.name === "place")).toMatchObject({
      in: "path",
      schema: { type: "integer", minimum: 0, maximum: 5 }
    })
    expect(spec.paths["/mutual-aid/requests"]?.get?.parameters.find((p) => p.name === "limit")).toMatchObject({
      schema: { type: "integer", minimum: 1, maximum: 200, default: 50 }
    })

    // no free-text string of a mutual-aid request body goes without maxLength
    const schemas = spec.components.schemas
    const unbounded: Array<string> = []
    const walk = (node: unknown, at: string): void => {
      if (typeof node !== "object" || node === null) return
      const n = node as Record<string, unknown>
      if (n.type === "string" && n.enum === undefined && n.pattern === undefined && n.maxLength === undefined)
        unbounded.push(at)
      for (const [key, value] of Object.entries(n)) walk(value, `${at}/${key}`)
    }
    const bodies = [
      "RegisterVolunteerInput",
      "UpdateVolunteerInput",
      "MutualAidWalkingInput",
      "RequestHelpInput",
      "MutualAidOfferInput",
      "MutualAidCompleteInput",
      "MutualAidFeedbackInput",
      "MutualAidCancelInput",
      "MutualAidExpireInput",
      "CreateCarePlanInput",
      "CareVisitsGenerateInput",
      "RecordCareVisitInput"
    ]
    for (const name of bodies) {
      expect(schemas[name], name).toBeDefined()
      walk(schemas[name], name)
    }
    expect(unbounded).toEqual([])
    expect(schemas.RequestHelpInput).toMatchObject({
      properties: { description: { minLength: 1, maxLength: 500 }, evidence: { maxLength: 200 } }
    })
  })
})
