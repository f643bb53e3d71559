/**
 * The contract of the `Outbox` port.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import { DomainEvent, EventId, Outbox, StoredEvent, Transactor } from "@commonweal/core"
import type { CommunityId, KernelStorage } from "@commonweal/core"
import { DateTime, Deferred, Effect, Fiber, Schema } from "effect"
import { freshCommunityId, randomUuid7 } from "../builders.js"
import type { ContractIt } from "./helpers.js"

const encodeEvent = Schema.encodeSync(DomainEvent)
const encodeStored = Schema.encodeSync(StoredEvent)
/**
 * A domain-free event envelope for `communityId`, numbered `n` so a test can tell events apart:
 * the kernel's suites need no domain, so their events are about a made-up `Probe` aggregate.
 * The payload is JSON, as `makeEvent` makes it: nested, with CJK text and numbers.
 */
export const makeProbeEvent = (communityId: CommunityId, n: number): DomainEvent => {
  const aggregateId = randomUuid7()
  const occurredAt = DateTime.makeUnsafe(Date.UTC(2024, 9, 11, 2, 30, 0, n))
  return n % 2 === 0
    ? {
        id: EventId.make(randomUuid7()),
        communityId,
        type: "ProbeRecorded",
        aggregateType: "Probe",
        aggregateId,
        aggregateVersion: 1,
        occurredAt,
        actor: "social-worker:王丽",
        payload: { _tag: "ProbeRecorded", probeId: aggregateId, note: `君馨社区 第${n}号`, n }
      }
    : {
        id: EventId.make(randomUuid7()),
        communityId,
        type: "ProbeChanged",
        aggregateType: "Probe",
        aggregateId,
        aggregateVersion: n + 1,
        occurredAt,
        actor: "grid-worker:刘英",
        payload: { _tag: "ProbeChanged", probeId: aggregateId, fields: ["phone", "languages"], at: { n } }
      }
}

/** The envelope of a stored event, without its sequence, encoded for comparison. */
const envelope = (event: StoredEvent) => {
  const { sequence: _sequence, ...rest } = encodeStored(event)
  return rest
}

/**
 * Registers the `Outbox` contract: append order, sequences 1, 2, 3 … per community in commit
 * order, paging by sequence, tenancy. Needs the kernel's ports only: its communities are random
 * ids, never provisioned (an outbox must not depend on a domain's tables).
 */
export const outboxContract = (it: ContractIt<KernelStorage>): void => {
  describe("Outbox", () => {
    it.effect("lists appended events in append order with increasing sequences, envelopes intact", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox
        const communityId = freshCommunityId()
        const events = [0, 1, 2, 3, 4].map((n) => makeProbeEvent(communityId, n))
        yield* outbox.append(events.slice(0, 3))
        yield* outbox.append([])
        yield* outbox.append(events.slice(3))
        const stored = yield* outbox.list(communityId, 0, 100)
        expect(stored.map(envelope)).toEqual(events.map((e) => encodeEvent(e)))
        for (let i = 1; i < stored.length; i++) {
          expect(stored[i]!.sequence).toBeGreaterThan(stored[i - 1]!.sequence)
        }
        for (const e of stored) expect(Number.isSafeInteger(e.sequence) && e.sequence > 0).toBe(true)
      })
    )

    it.effect("lists after a sequence (exclusive) with a limit", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox
        const communityId = freshCommunityId()
        const events = Array.from({ length: 7 }, (_, n) => makeProbeEvent(communityId, n))
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
      })
    )

    it.effect("numbers each community's events 1, 2, 3 … across appends, whatever other communities append", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox
        const a = freshCommunityId()
        const b = freshCommunityId()
        yield* outbox.append([makeProbeEvent(a, 0)])
        yield* outbox.append([makeProbeEvent(b, 1)])
        yield* outbox.append([makeProbeEvent(a, 2), makeProbeEvent(b, 3), makeProbeEvent(a, 4)])
        yield* outbox.append([makeProbeEvent(a, 5)])
        expect((yield* outbox.list(a, 0, 100)).map((e) => e.sequence)).toEqual([1, 2, 3, 4])
        expect((yield* outbox.list(b, 0, 100)).map((e) => e.sequence)).toEqual([1, 2])
      })
    )

    it.effect(
      "a reader that continues from the last sequence it saw never misses a transaction that commits late",
      () =>
        Effect.gen(function* () {
          const outbox = yield* Outbox
          const tx = yield* Transactor
          const communityId = freshCommunityId()
          const early = makeProbeEvent(communityId, 0) // appended first, committed late
          const late = makeProbeEvent(communityId, 1) // appended second, by a transaction of its own
          const appended = yield* Deferred.make<void>()
          const release = yield* Deferred.make<void>()
          const t1 = yield* Effect.forkChild(
            tx.withTransaction(
              outbox
                .append([early])
                .pipe(Effect.andThen(Deferred.succeed(appended, undefined)), Effect.andThen(Deferred.await(release)))
            )
          )
          yield* Deferred.await(appended)
          // an append outside a transaction; an adapter may make it wait for T1 (serialized appends)
          const t2 = yield* Effect.forkChild(outbox.append([late]))
          // give T2 the time to commit, if the adapter lets it commit before T1
          yield* Effect.option(Effect.timeout(Fiber.await(t2), "200 millis"))
          // a store that runs transactions one at a time may make the reader wait for T1 too: let T1
          // go after a while, so the read below never waits for itself
          yield* Effect.forkChild(Effect.andThen(Effect.sleep("300 millis"), Deferred.succeed(release, undefined)))
          const first = yield* outbox.list(communityId, 0, 100)
          const lastSeen = first.length === 0 ? 0 : first[first.length - 1]!.sequence
          yield* Deferred.succeed(release, undefined)
          yield* Fiber.join(t1)
          yield* Fiber.join(t2)
          const rest = yield* outbox.list(communityId, lastSeen, 100)
          expect([...first, ...rest].map((e) => e.id)).toEqual([early.id, late.id])
          const [s1, s2] = (yield* outbox.list(communityId, 0, 100)).map((e) => e.sequence)
          expect(s2).toBe(s1! + 1)
        })
    )

    it.effect("a rolled-back append leaves no gap in the sequence", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox
        const tx = yield* Transactor
        const communityId = freshCommunityId()
        yield* outbox.append([makeProbeEvent(communityId, 0)])
        yield* Effect.exit(
          tx.withTransaction(Effect.andThen(outbox.append([makeProbeEvent(communityId, 1)]), Effect.fail("undo")))
        )
        yield* outbox.append([makeProbeEvent(communityId, 2)])
        const [s1, s2, ...more] = (yield* outbox.list(communityId, 0, 100)).map((e) => e.sequence)
        expect(more).toEqual([])
        expect(s2).toBe(s1! + 1)
      })
    )

    it.effect("never lists another community's events", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox
        const a = freshCommunityId()
        const b = freshCommunityId()
        const inA = [makeProbeEvent(a, 0), makeProbeEvent(a, 1)]
        const inB = [makeProbeEvent(b, 2), makeProbeEvent(b, 3)]
        yield* outbox.append([inA[0]!, inB[0]!, inA[1]!, inB[1]!])
        const listedA = yield* outbox.list(a, 0, 100)
        const listedB = yield* outbox.list(b, 0, 100)
        expect(listedA.map((e) => e.id)).toEqual(inA.map((e) => e.id))
        expect(listedB.map((e) => e.id)).toEqual(inB.map((e) => e.id))
        const c = freshCommunityId()
        expect(yield* outbox.list(c, 0, 100)).toEqual([])
      })
    )
  })
}
