/**
 * The contract of the `ResidentRepo` port.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import { GridCode, ResidentRepo, Transactor } from "@commonweal/core"
import type { CommunityId, Resident, ResidentQuery } from "@commonweal/core"
import { DateTime, Deferred, Effect, Exit, Fiber, Option } from "effect"
import { freshResidentId, makeResident, makeVolunteer } from "../builders.js"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractIt } from "../kernel/helpers.js"
import { expectConflict, sortedIds } from "../kernel/helpers.js"
import type { ResidentsContractPorts } from "./helpers.js"
import { expectResident, insertAll, searchIds } from "./helpers.js"

const at = (iso: string) => DateTime.makeUnsafe(iso)
const grid = (code: string) => GridCode.make(code)

/**
 * The residents the search tests look for, in one community. Each one is there to be found by
 * some filters and missed by others; the comments say which.
 */
const searchFixture = (communityId: CommunityId) => {
  const zhou = makeResident({ communityId, grid: grid("JX-01"), birthYear: 1934 }) // gan + 南昌话 on one entry, 1934, jiangxi
  const liu = makeVolunteer({ communityId, grid: grid("JX-01") }) // hak 赣州客家话, gan without dialect, 1968, jiangxi
  const chen = makeResident({
    communityId,
    displayName: "陈阿婆",
    grid: grid("JX-02"),
    birthYear: 1950,
    tags: ["retiree", "community_talent"],
    homePlace: { province: "zhejiang", city: "宁波" },
    languages: [{ language: "wuu", dialect: "宁波话", proficiency: "native" }],
    skills: ["calligraphy"],
    health: null
  })
  // speaks gan and a 南昌话 dialect, but not on the same entry: language+dialect must miss her
  const huang = makeResident({
    communityId,
    displayName: "黄秀兰",
    grid: grid("JX-02"),
    birthYear: 1945,
    homePlace: { province: "jiangxi", city: "上饶" },
    languages: [
      { language: "gan", dialect: "上饶话", proficiency: "native" },
      { language: "wuu", dialect: "南昌话", proficiency: "basic" }
    ]
  })
  // no birth year, no grid, no home: never matches a bound or those filters
  const li = makeResident({
    communityId,
    displayName: "Li_Na",
    grid: null,
    birthYear: null,
    tags: ["student_volunteer"],
    homePlace: null,
    languages: [{ language: "eng", proficiency: "fluent" }],
    skills: ["smartphone_teaching"],
    location: null,
    phone: null,
    health: null
  })
  const neutral = {
    tags: [],
    homePlace: { province: "shandong" },
    languages: [{ language: "cmn", proficiency: "native" }],
    health: null
  } as const
  // `_` and `%` must be literal in nameContains: these two must not match "li_na" / "0%w"
  const lixna = makeResident({ communityId, displayName: "LIXNA", birthYear: 2001, ...neutral })
  const percent = makeResident({ communityId, displayName: "100%Wang", birthYear: 1980, ...neutral })
  const spaced = makeResident({ communityId, displayName: "100 Wang", birthYear: 1981, ...neutral })
  // a child whose guardians are Liu Ying and Chen
  const child = makeResident({
    communityId,
    displayName: "周乐乐",
    grid: grid("JX-01"),
    birthYear: 2016,
    tags: ["child"],
    homePlace: { province: "jiangxi" },
    languages: [{ language: "cmn", proficiency: "native" }],
    guardianIds: [liu.id, chen.id],
    consents: [
      {
        purpose: "registry",
        grantedAt: at("2024-06-01T08:00:00.000Z"),
        grantedBy: { _tag: "Guardian", guardianId: liu.id },
        recordedBy: "social-worker:wang-li",
        withdrawnAt: null
      }
    ],
    health: null
  })
  const otherChild = makeResident({
    communityId,
    displayName: "陈小雨",
    grid: grid("JX-02"),
    birthYear: 2015,
    tags: ["child"],
    homePlace: { province: "zhejiang" },
    languages: [{ language: "wuu", proficiency: "native" }],
    guardianIds: [chen.id],
    health: null
  })
  // inactive: moved away; matches jiangxi and gan
  const zhao = makeResident({
    communityId,
    displayName: "赵德胜",
    status: "inactive",
    birthYear: 1940,
    grid: grid("JX-01"),
    homePlace: { province: "jiangxi", city: "九江" },
    languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
    skills: ["calligraphy"],
    deactivatedAt: at("2024-09-01T00:00:00.000Z")
  })
  // erased, but with leftovers that match many filters: must never be listed
  const erased = makeResident({
    communityId,
    displayName: "周",
    status: "erased",
    grid: grid("JX-01"),
    birthYear: 1934,
    tags: ["migrant_elderly", "child", "volunteer", "retiree"],
    homePlace: { province: "jiangxi" },
    languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
    skills: ["calligraphy", "translation"],
    guardianIds: [liu.id, chen.id],
    erasedAt: at("2024-11-01T00:00:00.000Z")
  })
  return { zhou, liu, chen, huang, li, lixna, percent, spaced, child, otherChild, zhao, erased }
}

type Fixture = ReturnType<typeof searchFixture>
type Name = keyof Fixture

/** Inserts the fixture in a fresh community, and a look-alike of Zhou Saiqun in another one. */
const setupSearch = Effect.gen(function* () {
  const communityId = yield* freshCommunity
  const otherCommunityId = yield* freshCommunity
  const fixture = searchFixture(communityId)
  const otherFixture = searchFixture(otherCommunityId)
  yield* insertAll(Object.values(fixture))
  yield* insertAll(Object.values(otherFixture))
  const idsOf = (names: ReadonlyArray<Name>) => sortedIds(names.map((n) => fixture[n].id))
  const base: ResidentQuery = { communityId, statuses: ["active"] }
  return { communityId, fixture, idsOf, base }
})

/**
 * Registers the `ResidentRepo` contract: round trips, tenancy, duplicates, optimistic
 * versions and every search filter, ordering and paging.
 */
export const residentRepoContract = (it: ContractIt<ResidentsContractPorts>): void => {
  describe("ResidentRepo", () => {
    describe("insert and findById", () => {
      it.effect("returns an equal resident: unicode names, consents by a guardian, health, DateTimes", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const liu = makeVolunteer({ communityId })
          const zhou = makeResident({
            communityId,
            householdId: null,
            guardianIds: [liu.id],
            consents: [
              {
                purpose: "registry",
                grantedAt: at("2024-10-11T02:30:00.001Z"),
                grantedBy: { _tag: "Guardian", guardianId: liu.id },
                recordedBy: "social-worker:王丽",
                withdrawnAt: null
              },
              {
                purpose: "photos",
                grantedAt: at("2024-10-11T02:30:00.999Z"),
                grantedBy: { _tag: "Self" },
                recordedBy: "social-worker:王丽",
                withdrawnAt: at("2024-12-31T15:59:59.123Z")
              }
            ],
            health: {
              conditions: ["高血压", "糖尿病"],
              notes: "行动不便 — needs a lift; 'quotes' \"and\" \\ back-slash"
            }
          })
          yield* repo.insert(liu)
          yield* repo.insert(zhou)
          expectResident(yield* repo.findById(communityId, zhou.id), zhou)
          expectResident(yield* repo.findById(communityId, liu.id), liu)
        })
      )

      it.effect("returns an equal resident when every optional field is null or empty", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const sparse = makeResident({
            communityId,
            displayName: "𠮷野 Ａｙａ 😊",
            grid: null,
            householdId: null,
            birthYear: null,
            tags: [],
            homePlace: null,
            languages: [],
            skills: [],
            availability: [],
            location: null,
            phone: null,
            guardianIds: [],
            consents: [],
            health: null
          })
          yield* repo.insert(sparse)
          expectResident(yield* repo.findById(communityId, sparse.id), sparse)
        })
      )

      it.effect("returns inactive and erased residents too", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const inactive = makeResident({
            communityId,
            status: "inactive",
            deactivatedAt: at("2024-09-01T00:00:00.000Z")
          })
          const erased = makeResident({
            communityId,
            version: 1,
            status: "erased",
            displayName: "",
            grid: null,
            birthYear: null,
            tags: [],
            homePlace: null,
            languages: [],
            availability: [],
            location: null,
            phone: null,
            consents: [],
            health: null,
            erasedAt: at("2024-11-01T00:00:00.000Z")
          })
          yield* insertAll([inactive, erased])
          expectResident(yield* repo.findById(communityId, inactive.id), inactive)
          expectResident(yield* repo.findById(communityId, erased.id), erased)
        })
      )

      it.effect("finds nothing for an unknown id", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          yield* repo.insert(makeResident({ communityId }))
          expect(Option.isNone(yield* repo.findById(communityId, freshResidentId()))).toBe(true)
        })
      )

      it.effect("finds nothing when asked in another community (tenancy)", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const otherCommunityId = yield* freshCommunity
          const zhou = makeResident({ communityId })
          yield* repo.insert(zhou)
          expect(Option.isNone(yield* repo.findById(otherCommunityId, zhou.id))).toBe(true)
          expectResident(yield* repo.findById(communityId, zhou.id), zhou)
        })
      )

      it.effect("refuses a duplicate id with Conflict (duplicate) and keeps the first", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const zhou = makeResident({ communityId })
          yield* repo.insert(zhou)
          const error = yield* Effect.flip(repo.insert(makeVolunteer({ communityId, id: zhou.id })))
          expectConflict(error, "duplicate")
          expectResident(yield* repo.findById(communityId, zhou.id), zhou)
        })
      )

      it.effect("keeps ids per community: the same id in another community is a separate record", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const otherCommunityId = yield* freshCommunity
          const zhou = makeResident({ communityId })
          yield* repo.insert(zhou)
          const other = makeVolunteer({ communityId: otherCommunityId, id: zhou.id })
          yield* repo.insert(other)
          expectResident(yield* repo.findById(otherCommunityId, zhou.id), other)
          expectResident(yield* repo.findById(communityId, zhou.id), zhou)
        })
      )
    })

    describe("insert inside a transaction", () => {
      it.effect("a caller may catch the duplicate Conflict and go on: the rest of the transaction commits", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const tx = yield* Transactor
          const communityId = yield* freshCommunity
          const zhou = makeResident({ communityId })
          const liu = makeVolunteer({ communityId })
          yield* repo.insert(zhou)
          yield* tx.withTransaction(
            Effect.gen(function* () {
              const error = yield* Effect.flip(repo.insert(makeVolunteer({ communityId, id: zhou.id })))
              expectConflict(error, "duplicate")
              yield* repo.insert(liu)
            })
          )
          expectResident(yield* repo.findById(communityId, liu.id), liu)
          expectResident(yield* repo.findById(communityId, zhou.id), zhou)
        })
      )
    })

    describe("lock", () => {
      it.effect("succeeds on the stored version; Conflict (stale) on another version, community or id", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const tx = yield* Transactor
          const communityId = yield* freshCommunity
          const otherCommunityId = yield* freshCommunity
          const zhou = makeResident({ communityId })
          yield* repo.insert(zhou)
          yield* repo.lock(communityId, zhou.id, 1)
          yield* tx.withTransaction(repo.lock(communityId, zhou.id, 1))
          yield* repo.update(makeResident({ ...zhou, version: 2 }))
          yield* tx.withTransaction(repo.lock(communityId, zhou.id, 2))
          expectConflict(yield* Effect.flip(repo.lock(communityId, zhou.id, 1)), "stale_version")
          expectConflict(yield* Effect.flip(tx.withTransaction(repo.lock(communityId, zhou.id, 3))), "stale_version")
          expectConflict(yield* Effect.flip(repo.lock(otherCommunityId, zhou.id, 2)), "stale_version")
          expectConflict(yield* Effect.flip(repo.lock(communityId, freshResidentId(), 1)), "stale_version")
        })
      )

      it.effect(
        "two transactions that each lock what the other updates: at most one commits, the other is a Conflict",
        () =>
          Effect.gen(function* () {
            const repo = yield* ResidentRepo
            const tx = yield* Transactor
            const communityId = yield* freshCommunity
            const a = makeResident({ communityId })
            const b = makeVolunteer({ communityId })
            yield* insertAll([a, b])
            const locked1 = yield* Deferred.make<void>()
            const locked2 = yield* Deferred.make<void>()
            // Each waits (briefly) for the other to have locked, so that where transactions run side
            // by side both locks are held before either update; where they run one at a time, the
            // first goes on alone after the wait and the second then finds a stale version.
            const meet = (mine: Deferred.Deferred<void>, theirs: Deferred.Deferred<void>) =>
              Effect.andThen(
                Deferred.succeed(mine, undefined),
                Effect.option(Effect.timeout(Deferred.await(theirs), "300 millis"))
              )
            const t1 = tx.withTransaction(
              Effect.gen(function* () {
                yield* repo.lock(communityId, b.id, 1)
                yield* meet(locked1, locked2)
                yield* repo.update(makeResident({ ...a, version: 2, displayName: "T1" }))
              })
            )
            const t2 = tx.withTransaction(
              Effect.gen(function* () {
                yield* repo.lock(communityId, a.id, 1)
                yield* meet(locked2, locked1)
                yield* repo.update(makeVolunteer({ ...b, version: 2, displayName: "T2" }))
              })
            )
            const fiber1 = yield* Effect.forkChild(Effect.exit(t1))
            const fiber2 = yield* Effect.forkChild(Effect.exit(t2))
            const exits = [yield* Fiber.join(fiber1), yield* Fiber.join(fiber2)]
            for (const exit of exits) {
              // a failure, never a defect (a deadlock the database broke is a Conflict too; a defect
              // makes Effect.flip die here)
              if (Exit.isFailure(exit)) expectConflict(yield* Effect.flip(exit), "stale_version")
            }
            const committed = exits.filter(Exit.isSuccess).length
            expect(committed).toBeLessThanOrEqual(1)
            const storedA = Option.getOrThrow(yield* repo.findById(communityId, a.id))
            const storedB = Option.getOrThrow(yield* repo.findById(communityId, b.id))
            expect(storedA.version).toBe(Exit.isSuccess(exits[0]!) ? 2 : 1)
            expect(storedB.version).toBe(Exit.isSuccess(exits[1]!) ? 2 : 1)
          })
      )
    })

    describe("update", () => {
      it.effect("replaces the resident when its version is the stored one + 1, again and again", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const zhou = makeResident({ communityId })
          yield* repo.insert(zhou)
          const v2 = makeResident({
            ...zhou,
            version: 2,
            grid: null,
            phone: null,
            health: null,
            tags: ["migrant_elderly", "fellow_townsperson"],
            languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
            consents: zhou.consents.map((c) =>
              c.purpose === "health_data" ? { ...c, withdrawnAt: at("2024-12-02T03:04:05.678Z") } : c
            ),
            updatedAt: at("2024-12-02T03:04:05.678Z")
          })
          yield* repo.update(v2)
          expectResident(yield* repo.findById(communityId, zhou.id), v2)
          const v3 = makeResident({
            ...v2,
            version: 3,
            status: "inactive",
            deactivatedAt: at("2025-01-05T00:00:00.000Z"),
            updatedAt: at("2025-01-05T00:00:00.000Z")
          })
          yield* repo.update(v3)
          expectResident(yield* repo.findById(communityId, zhou.id), v3)
        })
      )

      it.effect("refuses a stale version with Conflict (stale_version) and changes nothing", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const zhou = makeResident({ communityId })
          yield* repo.insert(zhou)
          const v2 = makeResident({ ...zhou, version: 2, displayName: "周赛群（已更新）" })
          yield* repo.update(v2)
          for (const version of [1, 2, 4]) {
            const error = yield* Effect.flip(
              repo.update(makeResident({ ...zhou, version, displayName: `stale ${version}` }))
            )
            expectConflict(error, "stale_version")
          }
          expectResident(yield* repo.findById(communityId, zhou.id), v2)
        })
      )

      it.effect("refuses to update a resident that does not exist with Conflict", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const ghost = makeResident({ communityId, version: 2 })
          const error = yield* Effect.flip(repo.update(ghost))
          expectConflict(error, "stale_version")
          expect(Option.isNone(yield* repo.findById(communityId, ghost.id))).toBe(true)
        })
      )

      it.effect("refuses to update a resident of another community and changes nothing", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const otherCommunityId = yield* freshCommunity
          const zhou = makeResident({ communityId })
          yield* repo.insert(zhou)
          const hijack = makeResident({ ...zhou, communityId: otherCommunityId, version: 2, displayName: "冒名" })
          const error = yield* Effect.flip(repo.update(hijack))
          expect(error._tag).toBe("Conflict")
          expectResident(yield* repo.findById(communityId, zhou.id), zhou)
          expect(Option.isNone(yield* repo.findById(otherCommunityId, zhou.id))).toBe(true)
        })
      )
    })

    describe("search", () => {
      it.effect("lists the community's active residents by default query, ordered by id", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          const found = yield* searchIds(base)
          expect(found).toEqual(
            idsOf(["zhou", "liu", "chen", "huang", "li", "lixna", "percent", "spaced", "child", "otherChild"])
          )
        })
      )

      it.effect("filters by statuses and never lists erased residents", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, statuses: ["inactive"] })).toEqual(idsOf(["zhao"]))
          expect(yield* searchIds({ ...base, statuses: ["active", "inactive"] })).toEqual(
            idsOf(["zhou", "liu", "chen", "huang", "li", "lixna", "percent", "spaced", "child", "otherChild", "zhao"])
          )
          expect(yield* searchIds({ ...base, statuses: [] })).toEqual([])
          expect(yield* searchIds({ ...base, statuses: ["active", "inactive"], grid: grid("JX-01") })).toEqual(
            idsOf(["zhou", "liu", "child", "zhao"])
          )
        })
      )

      it.effect("filters by grid", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, grid: grid("JX-01") })).toEqual(idsOf(["zhou", "liu", "child"]))
          expect(yield* searchIds({ ...base, grid: grid("JX-02") })).toEqual(idsOf(["chen", "huang", "otherChild"]))
          expect(yield* searchIds({ ...base, grid: grid("JX-09") })).toEqual([])
        })
      )

      it.effect("filters by tag", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, tag: "child" })).toEqual(idsOf(["child", "otherChild"]))
          expect(yield* searchIds({ ...base, tag: "volunteer" })).toEqual(idsOf(["liu"]))
          expect(yield* searchIds({ ...base, tag: "migrant_elderly" })).toEqual(idsOf(["zhou", "huang"]))
          expect(yield* searchIds({ ...base, tag: "grid_worker" })).toEqual([])
        })
      )

      it.effect("filters by language, and by language and dialect on the same entry", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, language: "gan" })).toEqual(idsOf(["zhou", "liu", "huang"]))
          expect(yield* searchIds({ ...base, language: "gan", dialect: "南昌话" })).toEqual(idsOf(["zhou"]))
          expect(yield* searchIds({ ...base, language: "hak", dialect: "赣州客家话" })).toEqual(idsOf(["liu"]))
          expect(yield* searchIds({ ...base, language: "hak", dialect: "南昌话" })).toEqual([])
        })
      )

      it.effect("filters by dialect alone, matched exactly", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, dialect: "南昌话" })).toEqual(idsOf(["zhou", "huang"]))
          expect(yield* searchIds({ ...base, dialect: "宁波话" })).toEqual(idsOf(["chen"]))
          expect(yield* searchIds({ ...base, dialect: "南昌" })).toEqual([])
        })
      )

      it.effect("filters by home province", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, homeProvince: "jiangxi" })).toEqual(
            idsOf(["zhou", "liu", "huang", "child"])
          )
          expect(yield* searchIds({ ...base, homeProvince: "zhejiang" })).toEqual(idsOf(["chen", "otherChild"]))
          expect(yield* searchIds({ ...base, homeProvince: "xizang" })).toEqual([])
        })
      )

      it.effect("filters by skill", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, skill: "translation" })).toEqual(idsOf(["liu"]))
          expect(yield* searchIds({ ...base, skill: "calligraphy" })).toEqual(idsOf(["chen"]))
          expect(yield* searchIds({ ...base, skill: "translat" })).toEqual([])
        })
      )

      it.effect("filters by inclusive birth-year bounds; no birth year never matches a bound", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, bornFrom: 1934, bornTo: 1950 })).toEqual(idsOf(["zhou", "chen", "huang"]))
          expect(yield* searchIds({ ...base, bornFrom: 1935, bornTo: 1949 })).toEqual(idsOf(["huang"]))
          expect(yield* searchIds({ ...base, bornTo: 1934 })).toEqual(idsOf(["zhou"]))
          expect(yield* searchIds({ ...base, bornFrom: 2001 })).toEqual(idsOf(["lixna", "child", "otherChild"]))
          expect(yield* searchIds({ ...base, bornFrom: 1900, bornTo: 2100 })).toEqual(
            idsOf(["zhou", "liu", "chen", "huang", "lixna", "percent", "spaced", "child", "otherChild"])
          )
          expect(yield* searchIds({ ...base, bornFrom: 1951, bornTo: 1967 })).toEqual([])
        })
      )

      it.effect("filters by a case-insensitive name substring with literal % and _", () =>
        Effect.gen(function* () {
          const { base, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, nameContains: "赛群" })).toEqual(idsOf(["zhou"]))
          expect(yield* searchIds({ ...base, nameContains: "周" })).toEqual(idsOf(["zhou", "child"]))
          expect(yield* searchIds({ ...base, nameContains: "li_na" })).toEqual(idsOf(["li"]))
          expect(yield* searchIds({ ...base, nameContains: "LI_NA" })).toEqual(idsOf(["li"]))
          expect(yield* searchIds({ ...base, nameContains: "lixna" })).toEqual(idsOf(["lixna"]))
          expect(yield* searchIds({ ...base, nameContains: "0%w" })).toEqual(idsOf(["percent"]))
          expect(yield* searchIds({ ...base, nameContains: "wang" })).toEqual(idsOf(["percent", "spaced"]))
          expect(yield* searchIds({ ...base, nameContains: "%" })).toEqual(idsOf(["percent"]))
          expect(yield* searchIds({ ...base, nameContains: "_" })).toEqual(idsOf(["li"]))
        })
      )

      it.effect("selfOrWardsOf lists the resident and those whose guardians include them", () =>
        Effect.gen(function* () {
          const { base, fixture, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, selfOrWardsOf: fixture.liu.id })).toEqual(idsOf(["liu", "child"]))
          expect(yield* searchIds({ ...base, selfOrWardsOf: fixture.chen.id })).toEqual(
            idsOf(["chen", "child", "otherChild"])
          )
          expect(yield* searchIds({ ...base, selfOrWardsOf: fixture.zhou.id })).toEqual(idsOf(["zhou"]))
          expect(yield* searchIds({ ...base, selfOrWardsOf: freshResidentId() })).toEqual([])
        })
      )

      it.effect("combines filters with AND", () =>
        Effect.gen(function* () {
          const { base, fixture, idsOf } = yield* setupSearch
          expect(yield* searchIds({ ...base, homeProvince: "jiangxi", language: "gan", bornTo: 1950 })).toEqual(
            idsOf(["zhou", "huang"])
          )
          expect(yield* searchIds({ ...base, homeProvince: "jiangxi", grid: grid("JX-01"), tag: "child" })).toEqual(
            idsOf(["child"])
          )
          expect(
            yield* searchIds({ ...base, selfOrWardsOf: fixture.chen.id, tag: "child", grid: grid("JX-02") })
          ).toEqual(idsOf(["otherChild"]))
          expect(
            yield* searchIds({ ...base, statuses: ["active", "inactive"], dialect: "南昌话", skill: "calligraphy" })
          ).toEqual(idsOf(["zhao"]))
          expect(yield* searchIds({ ...base, nameContains: "刘", skill: "calligraphy" })).toEqual([])
        })
      )

      it.effect("returns whole residents equal to the stored ones", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const { base, fixture } = yield* setupSearch
          const found = yield* repo.search({ ...base, tag: "child" }, { after: undefined, limit: 10 })
          const byId = new Map<string, Resident>(found.map((r) => [r.id, r]))
          expectResident(Option.fromUndefinedOr(byId.get(fixture.child.id)), fixture.child)
          expectResident(Option.fromUndefinedOr(byId.get(fixture.otherChild.id)), fixture.otherChild)
        })
      )

      it.effect("never returns another community's residents", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const { communityId } = yield* setupSearch
          const found = yield* repo.search(
            { communityId, statuses: ["active", "inactive"] },
            { after: undefined, limit: 200 }
          )
          expect(found.length).toBe(11)
          for (const r of found) expect(r.communityId).toBe(communityId)
          const empty = yield* freshCommunity
          expect(yield* searchIds({ communityId: empty, statuses: ["active", "inactive"] })).toEqual([])
        })
      )

      it.effect("pages by window.after and window.limit without gaps or repeats", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const communityId = yield* freshCommunity
          const residents = Array.from({ length: 23 }, (_, i) =>
            makeResident({ communityId, displayName: `居民${i}`, status: i % 5 === 4 ? "inactive" : "active" })
          )
          yield* insertAll(residents)
          const query: ResidentQuery = { communityId, statuses: ["active"] }
          const expected = sortedIds(residents.filter((r) => r.status === "active").map((r) => r.id))
          const seen: Array<string> = []
          const sizes: Array<number> = []
          let after: string | undefined
          for (let page = 0; page < 10; page++) {
            const found: ReadonlyArray<Resident> = yield* repo.search(query, { after, limit: 5 })
            sizes.push(found.length)
            seen.push(...found.map((r) => r.id))
            const last = found[found.length - 1]
            if (found.length < 5 || last === undefined) break
            after = last.id
          }
          expect(expected.length).toBe(19)
          expect(seen).toEqual(expected)
          expect(sizes).toEqual([5, 5, 5, 4])
          // after a key: strictly greater ids only
          const pivot = expected[9]!
          const fromPivot = yield* repo.search(query, { after: pivot, limit: 200 })
          expect(fromPivot.map((r) => r.id)).toEqual(expected.slice(10))
          const limited = yield* repo.search(query, { after: undefined, limit: 1 })
          expect(limited.map((r) => r.id)).toEqual(expected.slice(0, 1))
          const beyond = yield* repo.search(query, { after: expected[expected.length - 1], limit: 5 })
          expect(beyond).toEqual([])
        })
      )

      it.effect("pages a filtered search", () =>
        Effect.gen(function* () {
          const repo = yield* ResidentRepo
          const { base, idsOf } = yield* setupSearch
          const all = idsOf(["zhou", "liu", "huang", "child"])
          const first = yield* repo.search({ ...base, homeProvince: "jiangxi" }, { after: undefined, limit: 3 })
          expect(first.map((r) => r.id)).toEqual(all.slice(0, 3))
          const second = yield* repo.search({ ...base, homeProvince: "jiangxi" }, { after: first[2]!.id, limit: 3 })
          expect(second.map((r) => r.id)).toEqual(all.slice(3))
        })
      )
    })
  })
}
