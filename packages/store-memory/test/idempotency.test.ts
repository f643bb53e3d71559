/// <reference types="node" />
// The in-memory IdempotencyKeys, beyond the shared contract: what the memory store's serialized
// transactions promise for keys (rollback frees a pending key, a concurrent claim waits), expiry
// and purging, scoping, and the misuses it reports.
import { describe, expect, it } from "@effect/vitest"
import { CommunityId, type IdempotencyScope, IdempotencyKeys, Transactor } from "@commonweal/core"
import { Cause, Data, Deferred, Effect, Exit, Fiber, Option } from "effect"
import { MemoryKernel } from "../src/index.js"

class Boom extends Data.TaggedError("Boom")<Record<never, never>> {}

const junxin = CommunityId.make("0190f1a2-0000-7000-8000-00000000c001")
const heping = CommunityId.make("0190f1a2-0000-7000-8000-00000000c002")

const scope = (overrides: Partial<IdempotencyScope> = {}): IdempotencyScope => ({
  communityId: junxin,
  subject: "social-worker:王丽",
  key: "登记-周赛群-1",
  ...overrides
})

const NOW = Date.UTC(2026, 4, 1, 8, 0)
const DAY = 24 * 60 * 60 * 1000

const claim = (s: IdempotencyScope, fingerprint: string, now = NOW, expiresAt = now + DAY) =>
  IdempotencyKeys.use((keys) => keys.claim({ scope: s, fingerprint, now, expiresAt }))

const complete = (s: IdempotencyScope, fingerprint: string, response: string) =>
  IdempotencyKeys.use((keys) => keys.complete(s, fingerprint, response))

const purge = (now: number, limit: number) => IdempotencyKeys.use((keys) => keys.purgeExpired(now, limit))

const inTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>) => Transactor.use((tx) => tx.withTransaction(effect))

/** A whole request in one transaction: claim, and when claimed, answer with `response`. */
const request = (s: IdempotencyScope, fingerprint: string, response: string, now = NOW, expiresAt = now + DAY) =>
  inTransaction(
    Effect.gen(function* () {
      const found = yield* claim(s, fingerprint, now, expiresAt)
      if (found._tag === "Claimed") yield* complete(s, fingerprint, response)
      return found
    })
  )

const fresh = Effect.provide(MemoryKernel.layer)

describe("IdempotencyKeys (memory)", () => {
  it.effect("a completed key replays its answer for the same request and refuses another", () =>
    Effect.gen(function* () {
      expect(yield* request(scope(), "fp-a", '{"status":201,"id":"r-1"}')).toEqual({ _tag: "Claimed" })
      expect(yield* request(scope(), "fp-a", "never stored")).toEqual({
        _tag: "Completed",
        response: '{"status":201,"id":"r-1"}'
      })
      expect(yield* request(scope(), "fp-b", "never stored")).toEqual({ _tag: "Mismatch" })
    }).pipe(fresh)
  )

  it.effect("a rolled-back transaction frees its pending key (failure, defect, interruption)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(inTransaction(Effect.andThen(claim(scope(), "fp-a"), Effect.fail(new Boom()))))
      expect(error).toBeInstanceOf(Boom)
      expect(yield* inTransaction(claim(scope(), "fp-b")), "free again, for any request").toEqual({ _tag: "Claimed" })

      const other = scope({ key: "登记-周赛群-2" })
      const exit = yield* Effect.exit(inTransaction(Effect.andThen(claim(other, "fp-a"), Effect.die("断电"))))
      expect(Exit.isFailure(exit)).toBe(true)
      const claimed = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkChild(
        inTransaction(
          Effect.andThen(claim(other, "fp-a"), Effect.andThen(Deferred.succeed(claimed, undefined), Effect.never))
        )
      )
      yield* Deferred.await(claimed)
      yield* Fiber.interrupt(fiber)
      expect(yield* request(other, "fp-b", "second")).toEqual({ _tag: "Claimed" })
    }).pipe(fresh)
  )

  it.effect("a concurrent claim waits for the transaction holding the key, then replays its answer", () =>
    Effect.gen(function* () {
      const claimed = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const first = yield* Effect.forkChild(
        inTransaction(
          Effect.gen(function* () {
            const found = yield* claim(scope(), "fp-a")
            yield* Deferred.succeed(claimed, undefined)
            yield* Deferred.await(release) // the command runs
            yield* complete(scope(), "fp-a", '{"status":201,"id":"r-1"}')
            return found
          })
        )
      )
      yield* Deferred.await(claimed)
      const second = yield* Effect.forkChild(inTransaction(claim(scope(), "fp-a")))
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow
      expect(Option.isNone(yield* Fiber.await(second).pipe(Effect.timeoutOption(0))), "the second claim waits").toBe(
        true
      )
      yield* Deferred.succeed(release, undefined)
      expect(yield* Fiber.join(first)).toEqual({ _tag: "Claimed" })
      expect(yield* Fiber.join(second)).toEqual({ _tag: "Completed", response: '{"status":201,"id":"r-1"}' })
    }).pipe(fresh)
  )

  it.effect("a concurrent claim waits for the transaction holding the key and takes it when that one rolls back", () =>
    Effect.gen(function* () {
      const claimed = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const first = yield* Effect.forkChild(
        inTransaction(
          Effect.gen(function* () {
            yield* claim(scope(), "fp-a")
            yield* Deferred.succeed(claimed, undefined)
            yield* Deferred.await(release)
            return yield* Effect.fail(new Boom())
          })
        )
      )
      yield* Deferred.await(claimed)
      const second = yield* Effect.forkChild(request(scope(), "fp-a", "second"))
      yield* Deferred.succeed(release, undefined)
      expect(yield* Effect.flip(Fiber.join(first))).toBeInstanceOf(Boom)
      expect(yield* Fiber.join(second)).toEqual({ _tag: "Claimed" })
      expect(yield* request(scope(), "fp-a", "third")).toEqual({ _tag: "Completed", response: "second" })
    }).pipe(fresh)
  )

  it.effect("keys are scoped by community and subject", () =>
    Effect.gen(function* () {
      yield* request(scope(), "fp-a", "王丽's answer")
      expect(yield* request(scope({ subject: "volunteer:刘强" }), "fp-b", "刘强's answer")).toEqual({ _tag: "Claimed" })
      expect(yield* request(scope({ communityId: heping }), "fp-c", "和平's answer")).toEqual({ _tag: "Claimed" })
      // parts that would run together if the key were a plain concatenation stay apart
      expect(yield* request(scope({ subject: "social-worker:王", key: "丽登记-周赛群-1" }), "fp-d", "other")).toEqual({
        _tag: "Claimed"
      })
      expect(yield* request(scope(), "fp-a", "never stored")).toEqual({ _tag: "Completed", response: "王丽's answer" })
      expect(yield* request(scope({ subject: "volunteer:刘强" }), "fp-b", "never stored")).toEqual({
        _tag: "Completed",
        response: "刘强's answer"
      })
    }).pipe(fresh)
  )

  it.effect("an expired key (expiresAt not after now) is taken over; one that has not expired is kept", () =>
    Effect.gen(function* () {
      yield* request(scope(), "fp-a", "first", NOW, NOW + 1000)
      expect(yield* request(scope(), "fp-b", "never stored", NOW + 999)).toEqual({ _tag: "Mismatch" })
      expect(yield* request(scope(), "fp-a", "never stored", NOW + 999)).toEqual({
        _tag: "Completed",
        response: "first"
      })
      expect(yield* request(scope(), "fp-b", "second", NOW + 1000, NOW + 5000)).toEqual({ _tag: "Claimed" })
      expect(yield* request(scope(), "fp-b", "never stored", NOW + 4999)).toEqual({
        _tag: "Completed",
        response: "second"
      })
    }).pipe(fresh)
  )

  it.effect("purgeExpired deletes expired keys, oldest first, at most limit, and keeps the rest", () =>
    Effect.gen(function* () {
      // expiring at NOW+3, NOW+1, NOW+2 (claimed in that order), and one that has not expired
      yield* request(scope({ key: "k3" }), "fp", "3", NOW, NOW + 3)
      yield* request(scope({ key: "k1" }), "fp", "1", NOW, NOW + 1)
      yield* request(scope({ key: "k2" }), "fp", "2", NOW, NOW + 2)
      yield* request(scope({ key: "k9" }), "fp", "9", NOW, NOW + DAY)
      expect(yield* purge(NOW + 10, 0)).toBe(0)
      expect(yield* purge(NOW, 10), "nothing has expired yet").toBe(0)
      expect(yield* purge(NOW + 10, 2)).toBe(2)
      // k1 and k2 are gone (a claim of them with another fingerprint is free); k3 and k9 are kept
      // (read at NOW, before anything expired, so only the purge can have freed a key)
      expect(yield* request(scope({ key: "k1" }), "other", "x", NOW)).toEqual({ _tag: "Claimed" })
      expect(yield* request(scope({ key: "k2" }), "other", "x", NOW)).toEqual({ _tag: "Claimed" })
      expect(yield* request(scope({ key: "k3" }), "fp", "never stored", NOW)).toEqual({
        _tag: "Completed",
        response: "3"
      })
      expect(yield* purge(NOW + 10, 10), "k3 only: the keys claimed again expire a day later").toBe(1)
      expect(yield* request(scope({ key: "k9" }), "fp", "never stored", NOW)).toEqual({
        _tag: "Completed",
        response: "9"
      })
    }).pipe(fresh)
  )

  it.effect("a purge never deletes a key that has not expired, whatever the limit", () =>
    Effect.gen(function* () {
      for (let i = 0; i < 5; i++) yield* request(scope({ key: `k${i}` }), "fp", `${i}`, NOW, NOW + DAY)
      expect(yield* purge(NOW + DAY - 1, 1000)).toBe(0)
      for (let i = 0; i < 5; i++) {
        expect(yield* request(scope({ key: `k${i}` }), "fp", "never stored", NOW)).toEqual({
          _tag: "Completed",
          response: `${i}`
        })
      }
      expect(yield* purge(NOW + DAY, 1000)).toBe(5)
    }).pipe(fresh)
  )

  it.effect("a claim outside a transaction commits on its own and protects nothing: hold a transaction", () =>
    Effect.gen(function* () {
      expect(yield* claim(scope(), "fp-a")).toEqual({ _tag: "Claimed" })
      // the key was committed without an answer by its one-call transaction: the next request takes it over
      expect(yield* request(scope(), "fp-b", "answer b")).toEqual({ _tag: "Claimed" })
      expect(yield* request(scope(), "fp-b", "never stored")).toEqual({ _tag: "Completed", response: "answer b" })
    }).pipe(fresh)
  )

  it.effect("completing a key that was not claimed for the request is a defect", () =>
    Effect.gen(function* () {
      const unclaimed = yield* Effect.exit(inTransaction(complete(scope(), "fp-a", "answer")))
      expect(Exit.isFailure(unclaimed) && Cause.hasDies(unclaimed.cause)).toBe(true)
      const wrongRequest = yield* Effect.exit(
        inTransaction(Effect.andThen(claim(scope(), "fp-a"), complete(scope(), "fp-b", "answer")))
      )
      expect(Exit.isFailure(wrongRequest) && Cause.hasDies(wrongRequest.cause)).toBe(true)
      // and the failed transaction left no key behind
      expect(yield* request(scope(), "fp-b", "answer")).toEqual({ _tag: "Claimed" })
    }).pipe(fresh)
  )
})
