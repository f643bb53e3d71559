/**
 * Shared pieces of the mutual-aid suites: the ports they run on, fresh ids, and builders of valid
 * mutual-aid records from the two neighbourhoods: Junxin's fellow-townsperson team (老乡团), whose
 * volunteers from the same home province go along on visits and translate a migrant elder's
 * dialect; Junxin's "shared children" team (共享子女: a doctor of the nearby hospital + a grid
 * worker + a fellow-townsperson) doing monthly home health checks; and Gu Li Station's (顾里小站)
 * university students teaching elderly residents, one to one, to use a smartphone.
 *
 * Every builder returns a schema-valid record with fresh random ids, placed in the community it
 * is given, so a test only spells out the fields it is about.
 *
 * @module
 */
import { expect } from "@effect/vitest"
import { CarePlanId, HelpRequestId, HouseholdId, ResidentId, VolunteerId } from "@commonweal/core"
import type {
  CarePlan,
  CommunitiesStorage,
  CommunityId,
  HelpRequest,
  KernelStorage,
  LedgerStorage,
  MutualAidStorage,
  Place,
  ResidentsStorage,
  ServiceRecord,
  Visit,
  Volunteer
} from "@commonweal/core"
import { Option, Schema } from "effect"
import { randomUuid7 } from "../builders.js"

/**
 * The ports the mutual-aid suites run on: the kernel's, the communities' (every record belongs to
 * a provisioned community), the residents' (a requester and most volunteers are residents), the
 * ledger's (time credits are minutes in it) and mutual aid's own.
 */
export type MutualAidContractPorts =
  | KernelStorage
  | CommunitiesStorage
  | ResidentsStorage
  | LedgerStorage
  | MutualAidStorage

/** A fresh random volunteer id. */
export const freshVolunteerId = (): VolunteerId => VolunteerId.make(randomUuid7())
/** A fresh random help request id. */
export const freshRequestId = (): HelpRequestId => HelpRequestId.make(randomUuid7())
/** A fresh random care plan id. */
export const freshPlanId = (): CarePlanId => CarePlanId.make(randomUuid7())
/** A fresh random resident id (the mutual-aid port stores residents' ids, never checks them). */
export const freshResidentId = (): ResidentId => ResidentId.make(randomUuid7())
/** A fresh random household id. */
export const freshHouseholdId = (): HouseholdId => HouseholdId.make(randomUuid7())

/** 2026-09-16 09:00 in Shanghai (a Wednesday, UTC epoch ms): a morning of the 共享子女 team's visits. */
export const aidT0 = Date.UTC(2026, 8, 16, 1, 0, 0)

/** {@link aidT0} plus whole days. */
export const aidDays = (days: number): number => aidT0 + days * 86_400_000

/** {@link aidT0} plus whole hours. */
export const aidHours = (hours: number): number => aidT0 + hours * 3_600_000

/**
 * A volunteer at version 1, by default Liu Ying (刘英) of Junxin's fellow-townsperson team (老乡团):
 * a resident from Jiangxi (南昌) who speaks Gan (南昌话) natively and Mandarin fluently, goes along
 * on visits to translate, free on Wednesday mornings and Saturday afternoons, away on two days.
 */
export const makeVolunteer = (communityId: CommunityId, overrides: Partial<Volunteer> = {}): Volunteer => ({
  id: freshVolunteerId(),
  communityId,
  residentId: freshResidentId(),
  householdId: freshHouseholdId(),
  displayName: "刘英",
  membership: "resident",
  gender: "female",
  skills: ["translation", "escort"],
  roles: ["fellow_townsperson", "helper"],
  languages: [
    { language: "gan", dialect: "南昌话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ],
  homePlace: { province: "jiangxi", city: "南昌" },
  availability: [
    { day: 3, start: "09:00", end: "11:30" },
    { day: 6, start: "14:00", end: "17:00" }
  ],
  blockedDays: [Date.UTC(2026, 8, 30, 16, 0, 0), Date.UTC(2026, 9, 1, 16, 0, 0)],
  location: { building: "5幢", unit: "1单元", room: "502" },
  maxDistance: 1_500,
  caps: { atOnce: 2, perWeek: 3, perMonth: 10 },
  status: "active",
  version: 1,
  createdAt: Date.UTC(2026, 4, 20, 2, 0, 0),
  ...overrides
})

/**
 * The doctor of the nearby hospital on the 共享子女 team: an outside member (no resident, no
 * household, no home town or address on record), filling the `medical` place of health checks.
 */
export const makeDoctor = (communityId: CommunityId, overrides: Partial<Volunteer> = {}): Volunteer =>
  makeVolunteer(communityId, {
    residentId: null,
    householdId: null,
    displayName: "高桥卫生院 陈医生",
    membership: "hospital",
    gender: null,
    skills: ["health_check", "blood_pressure"],
    roles: ["medical"],
    languages: [],
    homePlace: null,
    availability: [{ day: 3, start: "08:30", end: "12:00" }],
    blockedDays: [],
    location: null,
    maxDistance: 5_000,
    caps: { atOnce: 4, perWeek: 8, perMonth: 30 },
    ...overrides
  })

/** Junxin's grid worker (网格员) of grid JX-03 on the 共享子女 team, a resident who speaks Ningbo Wu. */
export const makeGridWorker = (communityId: CommunityId, overrides: Partial<Volunteer> = {}): Volunteer =>
  makeVolunteer(communityId, {
    displayName: "网格员 王海",
    gender: "male",
    skills: ["registry", "escort"],
    roles: ["grid_worker"],
    languages: [
      { language: "wuu", dialect: "宁波话", proficiency: "native" },
      { language: "cmn", proficiency: "fluent" }
    ],
    homePlace: { province: "zhejiang", city: "宁波" },
    availability: [
      { day: 1, start: "09:00", end: "17:00" },
      { day: 3, start: "09:00", end: "17:00" }
    ],
    blockedDays: [],
    location: { building: "社区服务中心" },
    maxDistance: 3_000,
    ...overrides
  })

/**
 * A university student of Gu Li Station (顾里小站) who comes at weekends to teach elderly residents
 * to use a smartphone, one to one: an outside member with map coordinates of the station.
 */
export const makeStudent = (communityId: CommunityId, overrides: Partial<Volunteer> = {}): Volunteer =>
  makeVolunteer(communityId, {
    residentId: null,
    householdId: null,
    displayName: "上海大学 李同学",
    membership: "student",
    gender: "male",
    skills: ["smartphone_teaching"],
    roles: ["helper"],
    languages: [
      { language: "cmn", proficiency: "native" },
      { language: "eng", proficiency: "conversational" }
    ],
    homePlace: { province: "anhui" },
    availability: [
      { day: 6, start: "13:30", end: "16:30" },
      { day: 7, start: "09:30", end: "11:30" }
    ],
    blockedDays: [],
    location: { building: "顾里小站", coordinates: { lat: 31.3571, lng: 121.4052 } },
    maxDistance: 2_000,
    caps: { atOnce: 1, perWeek: 2, perMonth: 8 },
    ...overrides
  })

/** An open place of a request: nobody offered it yet. */
export const openPlace = (role: string, skill: string | null = null): Place => ({
  role,
  skill,
  status: "open",
  volunteerId: null,
  declinedBy: [],
  since: null
})

/**
 * A help request at version 1, open, by default Zhou Saiqun (周赛群, 90, from Jiangxi, speaks only
 * Gan) asking for a fellow-townsperson to go with her to a check-up, a 30-minute bus ride away, and
 * translate: one `helper` place needing `translation`, Gan required, same home town preferred.
 */
export const makeRequest = (communityId: CommunityId, overrides: Partial<HelpRequest> = {}): HelpRequest => ({
  id: freshRequestId(),
  communityId,
  version: 1,
  status: "open",
  requesterId: freshResidentId(),
  recordedBy: { _tag: "Requester" },
  category: "translation",
  description: "陪同去高桥卫生院体检，帮忙翻译南昌话 / go with me to the check-up and translate Nanchang Gan",
  place: { building: "7幢", unit: "2单元", room: "301" },
  windows: [{ start: aidDays(2), end: aidDays(2) + 3 * 3_600_000 }],
  urgency: "normal",
  expiresAt: aidDays(2),
  requiredLanguages: ["gan"],
  preferSameHomeTown: true,
  preferGender: null,
  places: [openPlace("helper", "translation")],
  visibility: "offered",
  services: [],
  closingNote: null,
  createdAt: aidT0,
  updatedAt: aidT0,
  ...overrides
})

/** The volunteers of one 共享子女 team: the doctor, the grid worker and the fellow-townsperson. */
export interface HealthCheckTeam {
  readonly medical: Volunteer
  readonly gridWorker: Volunteer
  readonly fellow: Volunteer
}

/**
 * A monthly home health check of a migrant elder by the 共享子女 team, recorded by staff (the
 * elder has no smartphone) with the evidence of a signed slip: three open places (medical, grid
 * worker, fellow-townsperson), Gan required, visible to staff only, at the elder's home (with map
 * coordinates), in one of two morning windows.
 */
export const makeHealthCheck = (communityId: CommunityId, overrides: Partial<HelpRequest> = {}): HelpRequest =>
  makeRequest(communityId, {
    recordedBy: { _tag: "Staff", subject: "social-worker:王丽", evidence: "签字单照片 slip-2026-09-16-07.jpg" },
    category: "home_health_check",
    description: "随迁老人每月上门健康检查：血压、血糖，老乡翻译 / monthly home health check of a migrant elder",
    place: { building: "7幢", unit: "2单元", room: "301", coordinates: { lat: 29.8895, lng: 121.4718 } },
    windows: [
      { start: aidDays(1), end: aidDays(1) + 2 * 3_600_000 },
      { start: aidDays(8), end: aidDays(8) + 2 * 3_600_000 }
    ],
    urgency: "high",
    expiresAt: aidDays(8),
    requiredLanguages: ["gan", "cmn"],
    preferGender: "female",
    places: [
      openPlace("medical", "health_check"),
      openPlace("grid_worker"),
      openPlace("fellow_townsperson", "translation")
    ],
    visibility: "staff",
    ...overrides
  })

/** A place offered to `volunteer` (`proposed`) at `since`. */
export const proposedPlace = (place: Place, volunteer: Volunteer, since: number = aidHours(1)): Place => ({
  ...place,
  status: "proposed",
  volunteerId: volunteer.id,
  since
})

/** A place accepted by `volunteer` at `since`. */
export const acceptedPlace = (place: Place, volunteer: Volunteer, since: number = aidHours(2)): Place => ({
  ...place,
  status: "accepted",
  volunteerId: volunteer.id,
  since
})

/** A service record of `volunteer`: the minutes given, with or without both sides' feedback. */
export const serviceOf = (volunteer: Volunteer, minutes: number, feedback = true): ServiceRecord => ({
  volunteerId: volunteer.id,
  minutes,
  fromRequester: feedback ? { rating: 5, comment: "老乡说话听得懂，很贴心 / she understood me", at: aidDays(2) } : null,
  fromVolunteer: feedback
    ? { rating: 4, comment: "老人血压偏高，已提醒复查 / advised a re-check", at: aidDays(2) }
    : null
})

/**
 * A care plan at version 1, by default the 共享子女 team's monthly home health check of a migrant
 * elder at her home: every month on the 16th, 09:00 to 11:00, medical + grid worker +
 * fellow-townsperson speaking Gan, with health readings, 3 days of grace, open-ended.
 */
export const makePlan = (communityId: CommunityId, overrides: Partial<CarePlan> = {}): CarePlan => ({
  id: freshPlanId(),
  communityId,
  residentId: freshResidentId(),
  title: "周赛群每月上门健康检查（共享子女）",
  category: "home_health_check",
  description: "随迁老人每月上门健康检查：血压、血糖，老乡翻译南昌话 / monthly home health check, Gan translated",
  place: { building: "7幢", unit: "2单元", room: "301", coordinates: { lat: 29.8895, lng: 121.4718 } },
  roles: ["medical", "grid_worker", "fellow_townsperson"],
  requiredLanguages: ["gan", "cmn"],
  recurrence: { _tag: "Monthly", day: 16, start: "09:00", end: "11:00" },
  startsAt: Date.UTC(2026, 6, 1, 0, 0, 0),
  endsAt: null,
  graceDays: 3,
  healthReadings: true,
  status: "active",
  version: 1,
  ...overrides
})

/**
 * A weekly plan: every two weeks on Saturday afternoon a student of Gu Li Station teaches an
 * elderly resident to use a smartphone, at the station; no health readings, ending with the term.
 */
export const makeWeeklyPlan = (communityId: CommunityId, overrides: Partial<CarePlan> = {}): CarePlan =>
  makePlan(communityId, {
    title: "智能手机一对一教学（顾里小站）",
    category: "smartphone",
    description: "大学生志愿者一对一教老人用智能手机：微信视频、扫码、挂号 / one-to-one smartphone lessons",
    place: { building: "顾里小站" },
    roles: ["helper"],
    requiredLanguages: [],
    recurrence: { _tag: "Weekly", weeks: 2, weekday: 6, start: "14:00", end: "15:30" },
    startsAt: Date.UTC(2026, 8, 1, 0, 0, 0),
    endsAt: Date.UTC(2027, 0, 15, 16, 0, 0),
    graceDays: 0,
    healthReadings: false,
    ...overrides
  })

/** A visit of `plan` due in `[dueStart, dueStart + 2 h)`, not yet made (no request, outcome or record). */
export const makeVisit = (plan: CarePlan, dueStart: number, overrides: Partial<Visit> = {}): Visit => ({
  planId: plan.id,
  dueStart,
  dueEnd: dueStart + 2 * 3_600_000,
  requestId: null,
  outcome: null,
  readings: null,
  note: null,
  recordedAt: null,
  ...overrides
})

/**
 * Asserts that `actual` holds a record equal to `expected`: found, valid under `schema` (decoding
 * it succeeds, so the adapter returned a real record of the schema and no look-alike) and equal
 * in every field.
 */
export const expectFound = <A>(
  schema: Schema.ConstraintDecoder<A>,
  actual: Option.Option<A>,
  expected: A,
  what = "record"
): void => {
  expect(Option.isSome(actual), `${what} should be found`).toBe(true)
  if (Option.isSome(actual)) {
    expect(Schema.decodeUnknownSync(schema)(actual.value), `${what} should decode`).toEqual(expected)
    expect(actual.value).toEqual(expected)
  }
}

/** Asserts that nothing was found. */
export const expectNone = (actual: Option.Option<unknown>, what = "record"): void => {
  expect(Option.isNone(actual), `${what} should not be found`).toBe(true)
}
