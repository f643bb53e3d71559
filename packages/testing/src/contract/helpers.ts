/**
 * Shared pieces of the contract suites.
 *
 * @module
 */
import type { Vitest } from "@effect/vitest"
import { expect } from "@effect/vitest"
import { CommunityRepo, Conflict, Resident, ResidentRepo } from "@commonweal/core"
import type { CommunityId, ConflictReason, ResidentQuery, StoragePorts } from "@commonweal/core"
import { Effect, Option, Schema } from "effect"
import { makeCommunity } from "../builders.js"

/**
 * The `it` a contract suite registers its tests with: `@effect/vitest`'s methods with every
 * storage port in context. The suites use the live clock (no `TestClock`), because a real
 * database driver may time out or retry on it.
 */
export type ContractIt = Vitest.MethodsNonLive<StoragePorts>

const encodeResident = Schema.encodeSync(Resident)

/**
 * Asserts that `actual` holds a resident equal to `expected` in every field, `DateTime`
 * values to the millisecond. Compares the encoded (JSON) forms, which also checks that the
 * adapter returned real `Resident` and `DateTime` values, not look-alikes.
 */
export const expectResident = (actual: Option.Option<Resident>, expected: Resident): void => {
  expect(Option.isSome(actual), `resident ${expected.id} should be found`).toBe(true)
  if (Option.isSome(actual)) expect(encodeResident(actual.value)).toEqual(encodeResident(expected))
}

/** Asserts that an error is a `Conflict` with the given reason. */
export const expectConflict = (error: unknown, reason: ConflictReason): void => {
  expect(error).toBeInstanceOf(Conflict)
  expect(error instanceof Conflict ? error.reason : undefined).toBe(reason)
}

/** Provisions a fresh community (a random id, so a shared database never interferes) and returns its id. */
export const freshCommunity: Effect.Effect<CommunityId, Conflict, CommunityRepo> = Effect.gen(function* () {
  const communities = yield* CommunityRepo
  const community = makeCommunity()
  yield* communities.insert(community)
  return community.id
})

/** Inserts residents one by one, in order. */
export const insertAll = (residents: ReadonlyArray<Resident>): Effect.Effect<void, Conflict, ResidentRepo> =>
  ResidentRepo.use((repo) => Effect.forEach(residents, repo.insert, { discard: true }))

/** Runs a search in one page large enough for the fixtures and returns the ids found, in order. */
export const searchIds = (query: ResidentQuery): Effect.Effect<ReadonlyArray<string>, never, ResidentRepo> =>
  ResidentRepo.use((repo) =>
    Effect.map(repo.search(query, { after: undefined, limit: 200 }), (found) => found.map((r) => r.id))
  )

/** Ids sorted ascending by code unit, the order the ports promise. */
export const sortedIds = (ids: ReadonlyArray<string>): ReadonlyArray<string> =>
  [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
