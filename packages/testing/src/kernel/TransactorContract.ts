/**
 * The contract of the `Transactor` port, over the kernel's own writes: outbox appends and
 * idempotency keys. (Each domain's suite checks that its repositories join the transaction too,
 * e.g. `residentTransactionsContract`.)
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import { IdempotencyKeys, Outbox, Transactor } from "@commonweal/core"
import type { CommunityId, IdempotencyScope, KernelStorage } from "@commonweal/core"
import { Cause, Data, Deferred, Effect, Exit, Fiber, Result } from "effect"
import { freshCommunityId } from "../builders.js"
import type { ContractIt } from "./helpers.js"
import { freshScope, IDEMPOTENCY_NOW, probeKey } from "./IdempotencyKeysContract.js"
import { makeProbeEvent } from "./OutboxContract.js"

/** A caller's own error, to check that it passes through `withTransaction` unchanged. */
class Boom extends Data.TaggedError("Boom")<{ readonly step: string }> {}

const PRINT = "a1".repeat(32)
const ANSWER = JSON.stringify({ status: 201, id: "probe" })

/** A fresh community and a key in it, nothing written yet. */
const setup = () => {
  const communityId = freshCommunityId()
  return { communityId, scope: freshScope(communityId) }
}

/** Appends two events and claims and completes a key: three writes. */
const threeWrites = (communityId: CommunityId, scope: IdempotencyScope) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    const keys = yield* IdempotencyKeys
    yield* outbox.append([makeProbeEvent(communityId, 0)])
    const claim = yield* keys.claim({
      scope,
      fingerprint: PRINT,
      now: IDEMPOTENCY_NOW,
      expiresAt: IDEMPOTENCY_NOW + 60_000
    })
    expect(claim._tag).toBe("Claimed")
    yield* keys.complete(scope, PRINT, ANSWER)
    yield* outbox.append([makeProbeEvent(communityId, 1)])
  })

/** Asserts that all of {@link threeWrites} is visible. */
const expectWritten = (communityId: CommunityId, scope: IdempotencyScope) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    expect((yield* outbox.list(communityId, 0, 100)).map((e) => e.type)).toEqual(["ProbeRecorded", "ProbeChanged"])
    expect(yield* probeKey(scope, PRINT)).toEqual({ _tag: "Completed", response: ANSWER })
  })

/** Asserts that none of {@link threeWrites} is visible. */
const expectNoTrace = (communityId: CommunityId, scope: IdempotencyScope) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    expect(yield* outbox.list(communityId, 0, 100), "the appends were rolled back").toEqual([])
    expect(yield* probeKey(scope, PRINT), "the key was rolled back").toEqual({ _tag: "Claimed" })
  })

/**
 * Registers the `Transactor` contract over the kernel's ports: commit, rollback on failure,
 * defect and interruption, nesting, isolation, and concurrent writers.
 */
export const transactorContract = (it: ContractIt<KernelStorage>): void => {
  describe("Transactor", () => {
    it.effect("commits outbox appends and idempotency keys together", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const { communityId, scope } = setup()
        const result = yield* tx.withTransaction(Effect.as(threeWrites(communityId, scope), "done"))
        expect(result).toBe("done")
        yield* expectWritten(communityId, scope)
      })
    )

    it.effect("sees its own writes inside the transaction", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const outbox = yield* Outbox
        const keys = yield* IdempotencyKeys
        const { communityId, scope } = setup()
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* threeWrites(communityId, scope)
            expect(yield* outbox.list(communityId, 0, 100)).toHaveLength(2)
            // the same transaction claiming its own completed key finds the answer
            expect(
              yield* keys.claim({
                scope,
                fingerprint: PRINT,
                now: IDEMPOTENCY_NOW,
                expiresAt: IDEMPOTENCY_NOW + 60_000
              })
            ).toEqual({ _tag: "Completed", response: ANSWER })
          })
        )
      })
    )

    it.effect("a failure rolls back every write and passes the error through unchanged", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const { communityId, scope } = setup()
        const boom = new Boom({ step: "after three writes" })
        const error = yield* Effect.flip(
          tx.withTransaction(Effect.andThen(threeWrites(communityId, scope), Effect.fail(boom)))
        )
        expect(error).toBe(boom)
        yield* expectNoTrace(communityId, scope)
      })
    )

    it.effect("a defect rolls back every write and the defect passes through", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const { communityId, scope } = setup()
        const defect = new Error("斷電 / power cut")
        const exit = yield* Effect.exit(
          tx.withTransaction(Effect.andThen(threeWrites(communityId, scope), Effect.die(defect)))
        )
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) expect(Result.getOrUndefined(Cause.findDefect(exit.cause))).toBe(defect)
        yield* expectNoTrace(communityId, scope)
      })
    )

    it.effect("an interruption rolls back every write", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const { communityId, scope } = setup()
        const written = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(
          tx.withTransaction(
            Effect.andThen(
              threeWrites(communityId, scope),
              Effect.andThen(Deferred.succeed(written, undefined), Effect.never)
            )
          )
        )
        yield* Deferred.await(written)
        yield* Fiber.interrupt(fiber)
        yield* expectNoTrace(communityId, scope)
      })
    )

    it.effect("a nested transaction joins the outer one: the outer failure undoes the inner success", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const outbox = yield* Outbox
        const { communityId, scope } = setup()
        const boom = new Boom({ step: "after the inner transaction" })
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* tx.withTransaction(threeWrites(communityId, scope))
              // the inner writes are visible to the outer transaction
              expect(yield* outbox.list(communityId, 0, 100)).toHaveLength(2)
              return yield* Effect.fail(boom)
            })
          )
        )
        expect(error).toBe(boom)
        yield* expectNoTrace(communityId, scope)
      })
    )

    it.effect("a nested transaction commits with the outer one", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const outbox = yield* Outbox
        const { communityId, scope } = setup()
        yield* tx.withTransaction(
          Effect.andThen(
            tx.withTransaction(threeWrites(communityId, scope)),
            outbox.append([makeProbeEvent(communityId, 2)])
          )
        )
        expect((yield* outbox.list(communityId, 0, 100)).map((e) => e.type)).toEqual([
          "ProbeRecorded",
          "ProbeChanged",
          "ProbeRecorded"
        ])
        expect(yield* probeKey(scope, PRINT)).toEqual({ _tag: "Completed", response: ANSWER })
      })
    )

    it.effect("other callers never see the writes of a transaction that rolls back", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const outbox = yield* Outbox
        const { communityId, scope } = setup()
        const written = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const boom = new Boom({ step: "after a concurrent read" })
        const txFiber = yield* Effect.forkChild(
          Effect.flip(
            tx.withTransaction(
              Effect.all([
                threeWrites(communityId, scope),
                Deferred.succeed(written, undefined),
                Deferred.await(release),
                Effect.fail(boom)
              ])
            )
          )
        )
        yield* Deferred.await(written)
        // a reader may run at once (snapshot) or wait for the writer (locks); it must never see a write that is undone
        const reader = yield* Effect.forkChild(outbox.list(communityId, 0, 100))
        yield* Effect.sleep("30 millis")
        yield* Deferred.succeed(release, undefined)
        expect(yield* Fiber.join(txFiber)).toBe(boom)
        expect(yield* Fiber.join(reader), "no dirty read of the outbox").toEqual([])
        yield* expectNoTrace(communityId, scope)
      })
    )

    it.effect("a write outside a transaction is kept whether a concurrent transaction commits or rolls back", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const outbox = yield* Outbox
        for (const outcome of ["commit", "rollback"] as const) {
          const { communityId, scope } = setup()
          const outsider = makeProbeEvent(communityId, 7)
          const written = yield* Deferred.make<void>()
          const release = yield* Deferred.make<void>()
          const boom = new Boom({ step: "after the outside write" })
          const txFiber = yield* Effect.forkChild(
            Effect.exit(
              tx.withTransaction(
                Effect.all([
                  threeWrites(communityId, scope),
                  Deferred.succeed(written, undefined),
                  Deferred.await(release),
                  outcome === "commit" ? Effect.void : Effect.fail(boom)
                ])
              )
            )
          )
          yield* Deferred.await(written)
          const outside = yield* Effect.forkChild(outbox.append([outsider]))
          yield* Effect.sleep("30 millis")
          yield* Deferred.succeed(release, undefined)
          expect(Exit.isSuccess(yield* Fiber.join(txFiber))).toBe(outcome === "commit")
          yield* Fiber.join(outside)
          const ids = (yield* outbox.list(communityId, 0, 100)).map((e) => e.id)
          expect(ids, outcome).toContain(outsider.id)
          expect(ids, outcome).toHaveLength(outcome === "commit" ? 3 : 1)
          expect(yield* probeKey(scope, PRINT), outcome).toEqual(
            outcome === "commit" ? { _tag: "Completed", response: ANSWER } : { _tag: "Claimed" }
          )
        }
      })
    )

    it.effect("many concurrent transactions each appending and claiming all persist", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const outbox = yield* Outbox
        const { communityId } = setup()
        const scopes = Array.from({ length: 12 }, () => freshScope(communityId))
        yield* Effect.all(
          scopes.map((scope, i) =>
            tx.withTransaction(
              Effect.gen(function* () {
                const keys = yield* IdempotencyKeys
                yield* keys.claim({
                  scope,
                  fingerprint: PRINT,
                  now: IDEMPOTENCY_NOW,
                  expiresAt: IDEMPOTENCY_NOW + 60_000
                })
                yield* outbox.append([makeProbeEvent(communityId, i)])
                yield* keys.complete(scope, PRINT, `${ANSWER}#${i}`)
              })
            )
          ),
          { concurrency: "unbounded", discard: true }
        )
        const events = yield* outbox.list(communityId, 0, 100)
        expect(events).toHaveLength(scopes.length)
        expect(new Set(events.map((e) => e.sequence)).size).toBe(scopes.length)
        for (const [i, scope] of scopes.entries()) {
          expect(yield* probeKey(scope, PRINT)).toEqual({ _tag: "Completed", response: `${ANSWER}#${i}` })
        }
      })
    )
  })
}
