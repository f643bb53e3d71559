/// <reference types="node" />
// The transaction machinery that every port of the adapter is built on, through a slot of its own:
// what a new domain relies on when it declares its state.
import { describe, expect, it } from "@effect/vitest"
import { CommunityId, type DomainEvent, EventId, Outbox, ResidentId, ResidentRepo } from "@commonweal/core"
import type { KernelStorage, ResidentsStorage } from "@commonweal/core"
import { Data, DateTime, Deferred, Effect, Exit, Fiber, HashMap, Layer, Option, Result } from "effect"
import { MemoryKernel, MemoryResidents, makeMemoryStore } from "../src/index.js"

class Boom extends Data.TaggedError("Boom")<Record<never, never>> {}

/** A domain's slot: a tally per name. */
const tallies = MemoryKernel.slot("test/tallies", HashMap.empty<string, number>())

const tally = (name: string) =>
  MemoryKernel.use((kernel) => kernel.read(tallies, (all) => Option.getOrElse(HashMap.get(all, name), () => 0)))

/** Adds one to `name`'s tally and returns the new count. */
const bump = (name: string) =>
  MemoryKernel.use((kernel) =>
    kernel.write(tallies, (all) => {
      const next = Option.getOrElse(HashMap.get(all, name), () => 0) + 1
      return Result.succeed([next, HashMap.set(all, name, next)] as const)
    })
  )

/** A change that refuses. */
const refuse = MemoryKernel.use((kernel) =>
  kernel.write(
    tallies,
    (): Result.Result<readonly [number, HashMap.HashMap<string, number>], Boom> => Result.fail(new Boom())
  )
)

const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  MemoryKernel.use((kernel) => kernel.withTransaction(effect))

describe("MemoryKernel", () => {
  it.effect("a slot starts at its initial value; a write is read back; a refused change changes nothing", () =>
    Effect.gen(function* () {
      expect(yield* tally("张")).toBe(0)
      expect(yield* bump("张")).toBe(1)
      expect(yield* bump("张")).toBe(2)
      expect(yield* tally("张")).toBe(2)
      expect(yield* Effect.flip(refuse)).toBeInstanceOf(Boom)
      expect(yield* tally("张")).toBe(2)
    }).pipe(Effect.provide(MemoryKernel.layer))
  )

  it.effect("two slots with the same name are separate state", () =>
    Effect.gen(function* () {
      const kernel = yield* MemoryKernel
      const other = MemoryKernel.slot("test/tallies", HashMap.empty<string, number>())
      yield* bump("张")
      expect(yield* kernel.read(other, HashMap.size)).toBe(0)
      expect(yield* kernel.read(tallies, HashMap.size)).toBe(1)
    }).pipe(Effect.provide(MemoryKernel.layer))
  )

  it.effect("a transaction commits its writes together and rolls them all back on failure", () =>
    Effect.gen(function* () {
      yield* withTransaction(Effect.andThen(bump("张"), bump("李")))
      expect([yield* tally("张"), yield* tally("李")]).toEqual([1, 1])
      const error = yield* Effect.flip(
        withTransaction(
          Effect.gen(function* () {
            yield* bump("张")
            yield* bump("李")
            expect(yield* tally("张"), "a transaction reads its own writes").toBe(2)
            return yield* Effect.fail(new Boom())
          })
        )
      )
      expect(error).toBeInstanceOf(Boom)
      expect([yield* tally("张"), yield* tally("李")]).toEqual([1, 1])
    }).pipe(Effect.provide(MemoryKernel.layer))
  )

  it.effect("a defect or an interruption rolls the transaction back", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(withTransaction(Effect.andThen(bump("张"), Effect.die("断电 / power cut"))))
      expect(Exit.isFailure(exit)).toBe(true)
      const written = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkChild(
        withTransaction(Effect.andThen(bump("张"), Effect.andThen(Deferred.succeed(written, undefined), Effect.never)))
      )
      yield* Deferred.await(written)
      yield* Fiber.interrupt(fiber)
      expect(yield* tally("张")).toBe(0)
    }).pipe(Effect.provide(MemoryKernel.layer))
  )

  it.effect("no dirty reads: others see a transaction's writes only once it commits, and wait to write", () =>
    Effect.gen(function* () {
      const written = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const tx = yield* Effect.forkChild(
        withTransaction(
          Effect.andThen(bump("张"), Effect.andThen(Deferred.succeed(written, undefined), Deferred.await(release)))
        )
      )
      yield* Deferred.await(written)
      expect(yield* tally("张"), "an uncommitted write is not visible outside").toBe(0)
      // a write outside the transaction is a one-call transaction: it waits for the lock
      const outside = yield* Effect.forkChild(bump("张"))
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow
      expect(Option.isNone(yield* Fiber.await(outside).pipe(Effect.timeoutOption(0))), "the outside write waits").toBe(
        true
      )
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(tx)
      expect(yield* Fiber.join(outside), "the outside write comes after the commit, and is not lost").toBe(2)
      expect(yield* tally("张")).toBe(2)
    }).pipe(Effect.provide(MemoryKernel.layer))
  )

  it.effect("a nested transaction joins the outer one: the outer failure undoes the inner writes", () =>
    Effect.gen(function* () {
      yield* Effect.flip(withTransaction(Effect.andThen(withTransaction(bump("张")), Effect.fail(new Boom()))))
      expect(yield* tally("张")).toBe(0)
    }).pipe(Effect.provide(MemoryKernel.layer))
  )

  it.effect("each build of the layer is a fresh store, and a transaction of one store does not join another's", () =>
    Effect.gen(function* () {
      const first = yield* Layer.build(MemoryKernel.layer)
      const second = yield* Layer.build(MemoryKernel.layer)
      const inFirst = <A, E>(effect: Effect.Effect<A, E, MemoryKernel>) => Effect.provide(effect, first)
      const inSecond = <A, E>(effect: Effect.Effect<A, E, MemoryKernel>) => Effect.provide(effect, second)
      yield* inFirst(bump("张"))
      expect(yield* inSecond(tally("张"))).toBe(0)
      // the second store's write inside the first store's transaction is its own one-call transaction
      yield* Effect.flip(inFirst(withTransaction(Effect.andThen(inSecond(bump("李")), Effect.fail(new Boom())))))
      expect(yield* inSecond(tally("李"))).toBe(1)
    }).pipe(Effect.scoped)
  )

  it.effect("makeMemoryStore makes a separate store on every run", () =>
    Effect.gen(function* () {
      const communityId = CommunityId.make("0190f1a2-0000-7000-8000-00000000c001")
      const event: DomainEvent = {
        id: EventId.make("0190f1a2-0000-7000-8000-00000000e001"),
        communityId,
        type: "ProbeRecorded",
        aggregateType: "Probe",
        aggregateId: "probe-1",
        aggregateVersion: 1,
        occurredAt: DateTime.makeUnsafe(Date.UTC(2024, 9, 11, 2, 30)),
        actor: "social-worker:王丽",
        payload: { note: "君馨社区" }
      }
      const first = yield* makeMemoryStore
      const second = yield* makeMemoryStore
      const list = (store: typeof first) =>
        Effect.provide(
          Outbox.use((outbox) => outbox.list(communityId, 0, 10)),
          store
        )
      yield* Effect.provide(
        Outbox.use((outbox) => outbox.append([event])),
        first
      )
      expect((yield* list(first)).map((e) => e.sequence)).toEqual([1])
      expect(yield* list(second)).toEqual([])
    })
  )

  it.effect("the kernel with one domain is a store of that domain: no other domain needed", () => {
    const residentsOnly: Layer.Layer<KernelStorage | ResidentsStorage> = Layer.provideMerge(
      MemoryResidents.layer,
      MemoryKernel.layer
    )
    return Effect.gen(function* () {
      const communityId = CommunityId.make("0190f1a2-0000-7000-8000-00000000c001")
      const repo = yield* ResidentRepo
      expect(yield* repo.search({ communityId, statuses: ["active"] }, { after: undefined, limit: 10 })).toEqual([])
      const id = ResidentId.make("0190f1a2-0000-7000-8000-00000000a001")
      expect((yield* Effect.flip(repo.lock(communityId, id, 1)))._tag).toBe("Conflict")
      expect(yield* Outbox.use((outbox) => outbox.list(communityId, 0, 10))).toEqual([])
    }).pipe(Effect.provide(residentsOnly))
  })
})
