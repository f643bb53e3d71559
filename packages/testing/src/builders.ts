/**
 * Builders of valid domain values for tests.
 *
 * Each builder returns a complete, schema-valid value describing a real person or place from
 * the two neighbourhoods (see DOMAIN.md), so a test only spells out the fields it is about.
 * Ids default to fresh random UUIDv7s, so values built in different tests never collide, even
 * in a database shared by many test runs.
 *
 * @module
 */
import { CommunityId, formatUuid7, GridCode, Resident, ResidentId } from "@commonweal/core"
import type { Community } from "@commonweal/core"
import { DateTime } from "effect"

/**
 * A fresh random UUIDv7 string (current time + 74 random bits from Web Crypto).
 *
 * Test-side only: core code gets its ids from `IdGenerator`.
 */
export const randomUuid7 = (): string => {
  const random = new Uint8Array(10)
  globalThis.crypto.getRandomValues(random)
  return formatUuid7(Date.now(), random)
}

/** A fresh random community id. */
export const freshCommunityId = (): CommunityId => CommunityId.make(randomUuid7())

/** A fresh random resident id. */
export const freshResidentId = (): ResidentId => ResidentId.make(randomUuid7())

/** The constructor fields of a {@link Resident}. */
export type ResidentFields = ConstructorParameters<typeof Resident>[0]

/** A `DateTime.Utc` from an ISO string; the builders use whole milliseconds only. */
const at = (iso: string): DateTime.Utc => DateTime.makeUnsafe(iso)

/**
 * A resident, by default Zhou Saiqun (周赛群): 90 years old in 2024, from Jiangxi, speaks Gan
 * (南昌话) and a little Mandarin, a migrant elder (随迁老人) in Junxin community (君馨社区), with
 * a registry consent, a health-data consent and health information.
 *
 * `overrides` replaces whole fields; pass `communityId` to place the resident in your test's
 * community (the default is a fresh random one).
 *
 * @example
 * ```ts
 * const liuYing = makeResident({ communityId, displayName: "刘英", birthYear: 1968, tags: ["volunteer"] })
 * ```
 */
export const makeResident = (overrides: Partial<ResidentFields> = {}): Resident =>
  new Resident({
    id: freshResidentId(),
    communityId: freshCommunityId(),
    version: 1,
    status: "active",
    displayName: "周赛群",
    grid: GridCode.make("JX-03"),
    householdId: null,
    birthYear: 1936,
    tags: ["migrant_elderly"],
    homePlace: { province: "jiangxi", city: "南昌" },
    languages: [
      { language: "gan", dialect: "南昌话", proficiency: "native" },
      { language: "cmn", proficiency: "basic" }
    ],
    skills: [],
    availability: [{ day: 3, start: "09:00", end: "11:30" }],
    location: { building: "7幢", unit: "2单元", room: "301" },
    phone: "13857410023",
    guardianIds: [],
    consents: [
      {
        purpose: "registry",
        grantedAt: at("2024-10-11T02:30:00.000Z"),
        grantedBy: { _tag: "Self" },
        recordedBy: "social-worker:wang-li",
        withdrawnAt: null
      },
      {
        purpose: "health_data",
        grantedAt: at("2024-10-11T02:31:15.250Z"),
        grantedBy: { _tag: "Self" },
        recordedBy: "social-worker:wang-li",
        withdrawnAt: null
      }
    ],
    health: { conditions: ["高血压"], notes: "去医院体检要坐半个多小时公交车" },
    createdAt: at("2024-10-11T02:30:00.000Z"),
    updatedAt: at("2024-10-11T02:31:15.250Z"),
    deactivatedAt: null,
    erasedAt: null,
    ...overrides
  })

/**
 * Liu Ying (刘英): a volunteer of the fellow-townsperson team (老乡团) and a Xin Workshop (馨工坊)
 * member from Jiangxi, who translates for Zhou Saiqun on home visits. No health data.
 */
export const makeVolunteer = (overrides: Partial<ResidentFields> = {}): Resident =>
  makeResident({
    displayName: "刘英",
    birthYear: 1968,
    tags: ["volunteer", "fellow_townsperson", "workshop_member"],
    homePlace: { province: "jiangxi", city: "赣州" },
    languages: [
      { language: "cmn", proficiency: "fluent" },
      { language: "hak", dialect: "赣州客家话", proficiency: "native" },
      { language: "gan", proficiency: "conversational" }
    ],
    skills: ["translation", "assembly"],
    availability: [
      { day: 3, start: "08:30", end: "12:00" },
      { day: 6, start: "14:00", end: "17:00" }
    ],
    location: { building: "12幢", unit: "1单元", room: "502", coordinates: { lat: 29.8683, lng: 121.4912 } },
    phone: "13957420187",
    consents: [
      {
        purpose: "registry",
        grantedAt: at("2024-05-20T01:00:00.000Z"),
        grantedBy: { _tag: "Self" },
        recordedBy: "social-worker:wang-li",
        withdrawnAt: null
      },
      {
        purpose: "contact_sharing",
        grantedAt: at("2024-05-20T01:00:00.000Z"),
        grantedBy: { _tag: "Self" },
        recordedBy: "social-worker:wang-li",
        withdrawnAt: null
      }
    ],
    health: null,
    createdAt: at("2024-05-20T01:00:00.000Z"),
    updatedAt: at("2024-05-20T01:00:00.000Z"),
    ...overrides
  })

/**
 * A community, by default Junxin community (君馨社区, Ningbo) with three grids, in
 * Asia/Shanghai. The id defaults to a fresh random one.
 */
export const makeCommunity = (overrides: Partial<Community> = {}): Community => ({
  id: freshCommunityId(),
  name: "君馨社区",
  nameEn: "Junxin Community",
  timeZone: "Asia/Shanghai",
  grids: [
    { code: GridCode.make("JX-01"), name: "一网格" },
    { code: GridCode.make("JX-02"), name: "二网格" },
    { code: GridCode.make("JX-03"), name: "三网格" }
  ],
  createdAt: at("2023-05-08T00:00:00.000Z"),
  ...overrides
})
