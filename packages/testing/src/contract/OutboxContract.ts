/**
 * The contract of the `Outbox` port.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import { DomainEvent, EventId, Outbox, ResidentRegistered, ResidentUpdated, StoredEvent } from "@commonweal/core"
import type { CommunityId } from "@commonweal/core"
import { DateTime, Effect, Schema } from "effect"
import { freshResidentId, randomUuid7 } from "../builders.js"
import type { ContractIt } from "./helpers.js"
import { freshCommunity } from "./helpers.js"

const encodeEvent = Schema.encodeSync(DomainEvent)
const encodeStored = Schema.encodeSync(StoredEvent)
const encodeRegistered = Schema.encodeSync(ResidentRegistered)
const encodeUpdated = Schema.encodeSync(ResidentUpdated)

/**
 * A resident event envelope for `communityId`, numbered `n` so a test can tell events apart.
 * The payload is the encoded event, as `makeEvent` makes it.
 */
export const makeResidentEvent = (communityId: CommunityId, n: number): DomainEvent => {
  const residentId = freshResidentId()
  const occurredAt = DateTime.unsafeMake(Date.UTC(2024, 9, 11, 2, 30, 0, n))
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

/** The envelope of a stored event, without its sequence, encoded for comparison. */
const envelope = (event: StoredEvent) => {
  const { sequence: _sequence, ...rest } = encodeStored(event)
  return rest
}

/** Registers the `Outbox` contract: append order, paging by sequence, tenancy. */
export const outboxContract = (it: ContractIt): void => {
  describe("Outbox", () => {
    it.effect("lists appended events in append order with increasing sequences, envelopes intact", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox
        const communityId = yield* freshCommunity
        const events = [0, 1, 2, 3, 4].map((n) => makeResidentEvent(communityId, n))
        yield* outbox.append(events.slice(0, 3))
        yield* outbox.append([])
        yield* outbox.append(events.slice(3))
        const stored = yield* outbox.list(communityId, 0, 100)
        expect(stored.map(envelope)).toEqual(events.map((e) => encodeEvent(e)))
        for (let i = 1; i < stored.length; i++) {
          expect(stored[i]!.sequence).toBeGreaterThan(stored[i - 1]!.sequence)
        }
        for (const e of stored) expect(Number.isSafeInteger(e.sequence) && e.sequence > 0).toBe(true)
      }))

    it.effect("lists after a sequence (exclusive) with a limit", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox
        const communityId = yield* freshCommunity
        const events = Array.from({ length: 7 }, (_, n) => makeResidentEvent(communityId, n))
        yield* outbox.append(events)
        const all = yield* outbox.list(communityId, 0, 100)
        expect(all.map((e) => e.id)).toEqual(events.map((e) => e.id))
        const first = yield* outbox.list(communityId, 0, 3)
        expect(first.map((e) => e.id)).toEqual(events.slice(0, 3).map((e) => e.id))
        const second = yield* outbox.list(communityId, first[2]!.sequence, 3)
        expect(second.map((e) => e.id)).toEqual(events.slice(3, 6).map((e) => e.id))
        const third = yield* outbox.list(communityId, second[2]!.sequence, 3)
        expect(third.map((e) => e.id)).toEqual(events.slice(6).map((e) => e.id))
        expect(yield* outbox.list(communityId, third[0]!.sequence, 3)).toEqual([])
        expect(yield* outbox.list(communityId, all[4]!.sequence, 100)).toEqual(all.slice(5))
      }))

    it.effect("sequences keep increasing across appends and communities", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox
        const a = yield* freshCommunity
        const b = yield* freshCommunity
        yield* outbox.append([makeResidentEvent(a, 0)])
        yield* outbox.append([makeResidentEvent(b, 1)])
        yield* outbox.append([makeResidentEvent(a, 2), makeResidentEvent(a, 3)])
        const inA = yield* outbox.list(a, 0, 100)
        const inB = yield* outbox.list(b, 0, 100)
        expect(inA).toHaveLength(3)
        expect(inB).toHaveLength(1)
        expect(inB[0]!.sequence).toBeGreaterThan(inA[0]!.sequence)
        expect(inA[1]!.sequence).toBeGreaterThan(inB[0]!.sequence)
      }))

    it.effect("never lists another community's events", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox
        const a = yield* freshCommunity
        const b = yield* freshCommunity
        const inA = [makeResidentEvent(a, 0), makeResidentEvent(a, 1)]
        const inB = [makeResidentEvent(b, 2), makeResidentEvent(b, 3)]
        yield* outbox.append([inA[0]!, inB[0]!, inA[1]!, inB[1]!])
        const listedA = yield* outbox.list(a, 0, 100)
        const listedB = yield* outbox.list(b, 0, 100)
        expect(listedA.map((e) => e.id)).toEqual(inA.map((e) => e.id))
        expect(listedB.map((e) => e.id)).toEqual(inB.map((e) => e.id))
        const c = yield* freshCommunity
        expect(yield* outbox.list(c, 0, 100)).toEqual([])
      }))
  })
}
