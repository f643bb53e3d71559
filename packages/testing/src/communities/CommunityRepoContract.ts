/**
 * The contract of the `CommunityRepo` port.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import { Community, CommunityRepo, GridCode } from "@commonweal/core"
import type { CommunitiesStorage } from "@commonweal/core"
import { DateTime, Effect, Option, Schema } from "effect"
import { freshCommunityId, makeCommunity } from "../builders.js"
import type { ContractIt } from "../kernel/helpers.js"
import { expectConflict, sortedIds } from "../kernel/helpers.js"

const encodeCommunity = Schema.encodeSync(Community)

const expectCommunity = (actual: Option.Option<Community>, expected: Community): void => {
  expect(Option.isSome(actual), `community ${expected.id} should be found`).toBe(true)
  if (Option.isSome(actual)) expect(encodeCommunity(actual.value)).toEqual(encodeCommunity(expected))
}

/** Registers the `CommunityRepo` contract: round trip, unknown ids, duplicates, listing. */
export const communityRepoContract = (it: ContractIt<CommunitiesStorage>): void => {
  describe("CommunityRepo", () => {
    it.effect("insert then findById returns an equal community", () =>
      Effect.gen(function* () {
        const repo = yield* CommunityRepo
        const junxin = makeCommunity()
        const guli = makeCommunity({
          name: "顾里小站",
          nameEn: null,
          grids: [],
          createdAt: DateTime.makeUnsafe("2023-02-10T01:30:00.250Z")
        })
        yield* repo.insert(junxin)
        yield* repo.insert(guli)
        expectCommunity(yield* repo.findById(junxin.id), junxin)
        expectCommunity(yield* repo.findById(guli.id), guli)
      })
    )

    it.effect("findById of an unknown id is None", () =>
      Effect.gen(function* () {
        const repo = yield* CommunityRepo
        expect(Option.isNone(yield* repo.findById(freshCommunityId()))).toBe(true)
      })
    )

    it.effect("refuses a duplicate id with Conflict (duplicate) and keeps the first", () =>
      Effect.gen(function* () {
        const repo = yield* CommunityRepo
        const junxin = makeCommunity()
        yield* repo.insert(junxin)
        const error = yield* Effect.flip(
          repo.insert(
            makeCommunity({ id: junxin.id, name: "顾里小站", grids: [{ code: GridCode.make("GL-1"), name: "一区" }] })
          )
        )
        expectConflict(error, "duplicate")
        expectCommunity(yield* repo.findById(junxin.id), junxin)
      })
    )

    it.effect("list returns every community, ordered by id", () =>
      Effect.gen(function* () {
        const repo = yield* CommunityRepo
        const inserted = [
          makeCommunity(),
          makeCommunity({ name: "顾里小站", nameEn: "Gu Li Station" }),
          makeCommunity()
        ]
        yield* Effect.forEach(inserted, repo.insert, { discard: true })
        const listed = yield* repo.list()
        const ids = listed.map((c) => c.id)
        expect(ids).toEqual(sortedIds(ids))
        expect(new Set(ids).size).toBe(ids.length)
        for (const community of inserted) {
          expectCommunity(Option.fromUndefinedOr(listed.find((c) => c.id === community.id)), community)
        }
      })
    )
  })
}
