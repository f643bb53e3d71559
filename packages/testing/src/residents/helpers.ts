/**
 * Shared pieces of the resident suites.
 *
 * @module
 */
import { expect } from "@effect/vitest"
import { EventId, Resident, ResidentRegistered, ResidentRepo, ResidentUpdated } from "@commonweal/core"
import type {
  CommunitiesStorage,
  CommunityId,
  Conflict,
  DomainEvent,
  KernelStorage,
  ResidentQuery,
  ResidentsStorage
} from "@commonweal/core"
import { DateTime, Effect, Option, Schema } from "effect"
import { freshResidentId, randomUuid7 } from "../builders.js"

/**
 * The ports the resident suites run on: the kernel's, the communities' (a resident belongs to a
 * provisioned community, and an adapter may hold it to that with a foreign key), and the residents' own.
 */
export type ResidentsContractPorts = KernelStorage | CommunitiesStorage | ResidentsStorage

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

/** Inserts residents one by one, in order. */
export const insertAll = (residents: ReadonlyArray<Resident>): Effect.Effect<void, Conflict, ResidentRepo> =>
  ResidentRepo.use((repo) => Effect.forEach(residents, repo.insert, { discard: true }))

/** Runs a search in one page large enough for the fixtures and returns the ids found, in order. */
export const searchIds = (query: ResidentQuery): Effect.Effect<ReadonlyArray<string>, never, ResidentRepo> =>
  ResidentRepo.use((repo) =>
    Effect.map(repo.search(query, { after: undefined, limit: 200 }), (found) => found.map((r) => r.id))
  )

const encodeRegistered = Schema.encodeSync(ResidentRegistered)
const encodeUpdated = Schema.encodeSync(ResidentUpdated)

/**
 * A resident event envelope for `communityId`, numbered `n` so a test can tell events apart.
 * The payload is the encoded event, as `makeEvent` makes it.
 */
export const makeResidentEvent = (communityId: CommunityId, n: number): DomainEvent => {
  const residentId = freshResidentId()
  const occurredAt = DateTime.makeUnsafe(Date.UTC(2024, 9, 11, 2, 30, 0, n))
  return n % 2 === 0
    ? {
        id: EventId.make(randomUuid7()),
        communityId,
        type: "ResidentRegistered",
        aggregateType: "Resident",
        aggregateId: residentId,
        aggregateVersion: 1,
        occurredAt,
        actor: "social-worker:王丽",
        payload: encodeRegistered({ _tag: "ResidentRegistered", residentId })
      }
    : {
        id: EventId.make(randomUuid7()),
        communityId,
        type: "ResidentUpdated",
        aggregateType: "Resident",
        aggregateId: residentId,
        aggregateVersion: n + 1,
        occurredAt,
        actor: "grid-worker:刘英",
        payload: encodeUpdated({ _tag: "ResidentUpdated", residentId, fields: ["phone", "languages"] })
      }
}
