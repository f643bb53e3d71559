/**
 * The `Transactor` contract again, with the resident registry's repository in the transaction:
 * `ResidentRepo` writes commit and roll back with the outbox, and concurrent writers are kept
 * apart (stale versions). The kernel's own `transactorContract` checks the port over the outbox
 * and idempotency keys alone.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import { Outbox, ResidentRepo, Transactor } from "@commonweal/core"
import type { CommunityId, Resident } from "@commonweal/core"
import { Cause, Data, Deferred, Effect, Exit, Fiber, Option, Result } from "effect"
import { makeResident, makeVolunteer } from "../builders.js"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractIt } from "../kernel/helpers.js"
import type { ResidentsContractPorts } from "./helpers.js"
import { expectConflict } from "../kernel/helpers.js"
import { expectResident, makeResidentEvent } from "./helpers.js"

/** A caller's own error, to check that it passes through `withTransaction` unchanged. */
class Boom extends Data.TaggedError("Boom")<{ readonly step: string }> {}

/** Zhou Saiqun stored at version 1 in a fresh community, ready to be changed in a transaction. */
const setup = Effect.gen(function* () {
  const communityId = yield* freshCommunity
  const zhou = makeResident({ communityId })
  yield* (yield* ResidentRepo).insert(zhou)
  return { communityId, zhou }
})

/** Inserts `newcomer`, updates `zhou` to version 2 and appends an event: three writes. */
const threeWrites = (communityId: CommunityId, zhou: Resident, newcomer: Resident) =>
  Effect.gen(function* () {
    const repo = yield* ResidentRepo
    const outbox = yield* Outbox
    yield* repo.insert(newcomer)
    yield* repo.update(makeResident({ ...zhou, version: 2, displayName: "周赛群（改）" }))
    yield* outbox.append([makeResidentEvent(communityId, 0)])
  })

/** Asserts that none of {@link threeWrites} is visible. */
const expectNoTrace = (communityId: CommunityId, zhou: Resident, newcomer: Resident) =>
  Effect.gen(function* () {
    const repo = yield* ResidentRepo
    const outbox = yield* Outbox
    expect(Option.isNone(yield* repo.findById(communityId, newcomer.id)), "the insert was rolled back").toBe(true)
    expectResident(yield* repo.findById(communityId, zhou.id), zhou)
    expect(yield* outbox.list(communityId, 0, 100), "the append was rolled back").toEqual([])
    const found = yield* repo.search({ communityId, statuses: ["active", "inactive"] }, { after: undefined, limit: 10 })
    expect(found.map((r) => r.id)).toEqual([zhou.id])
  })

/**
 * Registers the `Transactor` contract with `ResidentRepo` in the transactions: commit, rollback on
 * failure, defect and interruption, nesting, isolation, and concurrent writers.
 */
export const residentTransactionsContract = (it: ContractIt<ResidentsContractPorts>): void => {
  describe("Transactor with ResidentRepo", () => {
    it.effect("commits the writes of repositories and outbox together", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const outbox = yield* Outbox
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const result = yield* tx.withTransaction(Effect.as(threeWrites(communityId, zhou, liu), "done"))
        expect(result).toBe("done")
        expectResident(yield* repo.findById(communityId, liu.id), liu)
        expect(
          (yield* repo.findById(communityId, zhou.id)).pipe(
            Option.map((r) => r.version),
            Option.getOrNull
          )
        ).toBe(2)
        expect(yield* outbox.list(communityId, 0, 100)).toHaveLength(1)
      })
    )

    it.effect("sees its own writes inside the transaction", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const outbox = yield* Outbox
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* threeWrites(communityId, zhou, liu)
            expectResident(yield* repo.findById(communityId, liu.id), liu)
            const found = yield* repo.search(
              { communityId, statuses: ["active"], tag: "volunteer" },
              { after: undefined, limit: 10 }
            )
            expect(found.map((r) => r.id)).toEqual([liu.id])
            expect(yield* outbox.list(communityId, 0, 100)).toHaveLength(1)
          })
        )
      })
    )

    it.effect("a failure rolls back every write and passes the error through unchanged", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const boom = new Boom({ step: "after three writes" })
        const error = yield* Effect.flip(
          tx.withTransaction(Effect.andThen(threeWrites(communityId, zhou, liu), Effect.fail(boom)))
        )
        expect(error).toBe(boom)
        yield* expectNoTrace(communityId, zhou, liu)
      })
    )

    it.effect("a defect rolls back every write and the defect passes through", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const defect = new Error("斷電 / power cut")
        const exit = yield* Effect.exit(
          tx.withTransaction(Effect.andThen(threeWrites(communityId, zhou, liu), Effect.die(defect)))
        )
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) expect(Result.getOrUndefined(Cause.findDefect(exit.cause))).toBe(defect)
        yield* expectNoTrace(communityId, zhou, liu)
      })
    )

    it.effect("an interruption rolls back every write", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const written = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(
          tx.withTransaction(
            Effect.andThen(
              threeWrites(communityId, zhou, liu),
              Effect.andThen(Deferred.succeed(written, undefined), Effect.never)
            )
          )
        )
        yield* Deferred.await(written)
        yield* Fiber.interrupt(fiber)
        yield* expectNoTrace(communityId, zhou, liu)
      })
    )

    it.effect("a failed write inside the transaction fails it and rolls back the others", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.andThen(threeWrites(communityId, zhou, liu), repo.insert(makeResident({ communityId, id: zhou.id })))
          )
        )
        expectConflict(error, "duplicate")
        yield* expectNoTrace(communityId, zhou, liu)
      })
    )

    it.effect("a nested transaction joins the outer one: the outer failure undoes the inner success", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const boom = new Boom({ step: "after the inner transaction" })
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* tx.withTransaction(threeWrites(communityId, zhou, liu))
              // the inner writes are visible to the outer transaction
              expectResident(yield* repo.findById(communityId, liu.id), liu)
              return yield* Effect.fail(boom)
            })
          )
        )
        expect(error).toBe(boom)
        yield* expectNoTrace(communityId, zhou, liu)
      })
    )

    it.effect("a nested transaction commits with the outer one", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const chen = makeResident({ communityId, displayName: "陈阿婆" })
        yield* tx.withTransaction(
          Effect.andThen(tx.withTransaction(threeWrites(communityId, zhou, liu)), repo.insert(chen))
        )
        expectResident(yield* repo.findById(communityId, liu.id), liu)
        expectResident(yield* repo.findById(communityId, chen.id), chen)
      })
    )

    it.effect("other callers never see the writes of a transaction that rolls back", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const outbox = yield* Outbox
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const written = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const boom = new Boom({ step: "after a concurrent read" })
        const txFiber = yield* Effect.forkChild(
          Effect.flip(
            tx.withTransaction(
              Effect.all([
                threeWrites(communityId, zhou, liu),
                Deferred.succeed(written, undefined),
                Deferred.await(release),
                Effect.fail(boom)
              ])
            )
          )
        )
        yield* Deferred.await(written)
        // a reader may run at once (snapshot) or wait for the writer (locks); it must never see a write that is undone
        const reader = yield* Effect.forkChild(
          Effect.all([
            repo.findById(communityId, liu.id),
            repo.findById(communityId, zhou.id),
            outbox.list(communityId, 0, 100)
          ])
        )
        yield* Effect.sleep("30 millis")
        yield* Deferred.succeed(release, undefined)
        expect(yield* Fiber.join(txFiber)).toBe(boom)
        const [newcomer, stored, events] = yield* Fiber.join(reader)
        expect(Option.isNone(newcomer), "no dirty read of the insert").toBe(true)
        expectResident(stored, zhou)
        expect(events, "no dirty read of the outbox").toEqual([])
      })
    )

    it.effect("a write outside a transaction is not lost when a concurrent transaction commits", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const chen = makeResident({ communityId, displayName: "陈阿婆" })
        const written = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const txFiber = yield* Effect.forkChild(
          tx.withTransaction(
            Effect.all([
              threeWrites(communityId, zhou, liu),
              Deferred.succeed(written, undefined),
              Deferred.await(release)
            ])
          )
        )
        yield* Deferred.await(written)
        const outside = yield* Effect.forkChild(repo.insert(chen))
        yield* Effect.sleep("30 millis")
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(txFiber)
        yield* Fiber.join(outside)
        expectResident(yield* repo.findById(communityId, liu.id), liu)
        expectResident(yield* repo.findById(communityId, chen.id), chen)
      })
    )

    it.effect("a write outside a transaction is not undone when a concurrent transaction rolls back", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const { communityId, zhou } = yield* setup
        const liu = makeVolunteer({ communityId })
        const chen = makeResident({ communityId, displayName: "陈阿婆" })
        const written = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const boom = new Boom({ step: "after the outside write" })
        const txFiber = yield* Effect.forkChild(
          Effect.flip(
            tx.withTransaction(
              Effect.all([
                threeWrites(communityId, zhou, liu),
                Deferred.succeed(written, undefined),
                Deferred.await(release),
                Effect.fail(boom)
              ])
            )
          )
        )
        yield* Deferred.await(written)
        const outside = yield* Effect.forkChild(repo.insert(chen))
        yield* Effect.sleep("30 millis")
        yield* Deferred.succeed(release, undefined)
        expect(yield* Fiber.join(txFiber)).toBe(boom)
        yield* Fiber.join(outside)
        expect(Option.isNone(yield* repo.findById(communityId, liu.id))).toBe(true)
        expectResident(yield* repo.findById(communityId, chen.id), chen)
      })
    )

    it.effect("two concurrent updates from the same version: exactly one wins, the other is stale", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const { communityId, zhou } = yield* setup
        const edits = ["周赛群（刘英改）", "周赛群（网格员改）"].map((displayName) =>
          makeResident({ ...zhou, version: 2, displayName })
        )
        const results = yield* Effect.all(
          edits.map((edit) =>
            Effect.result(
              tx.withTransaction(
                Effect.gen(function* () {
                  const current = yield* repo.findById(communityId, zhou.id)
                  expect(Option.isSome(current)).toBe(true)
                  yield* Effect.yieldNow
                  yield* repo.update(edit)
                })
              )
            )
          ),
          { concurrency: "unbounded" }
        )
        const winners = results.flatMap((r, i) => (Result.isSuccess(r) ? [edits[i]!] : []))
        const losers = results.flatMap((r) => (Result.isFailure(r) ? [r.failure] : []))
        expect(winners).toHaveLength(1)
        expect(losers).toHaveLength(1)
        expectConflict(losers[0], "stale_version")
        expectResident(yield* repo.findById(communityId, zhou.id), winners[0]!)
      })
    )

    it.effect("many concurrent transactions each inserting a resident all persist", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const repo = yield* ResidentRepo
        const outbox = yield* Outbox
        const communityId = yield* freshCommunity
        const residents = Array.from({ length: 12 }, (_, i) =>
          makeResident({ communityId, displayName: `馨工坊成员${i}` })
        )
        yield* Effect.all(
          residents.map((r, i) =>
            tx.withTransaction(Effect.andThen(repo.insert(r), outbox.append([makeResidentEvent(communityId, i)])))
          ),
          { concurrency: "unbounded", discard: true }
        )
        for (const r of residents) expectResident(yield* repo.findById(communityId, r.id), r)
        const events = yield* outbox.list(communityId, 0, 100)
        expect(events).toHaveLength(residents.length)
        expect(new Set(events.map((e) => e.sequence)).size).toBe(residents.length)
      })
    )
  })
}
