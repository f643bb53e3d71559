/**
 * The contract of the `IdempotencyKeys` port. Its JSDoc in core (`kernel/Idempotency.ts`) is the
 * specification; each test here is one sentence of it, run the way the transport runs it: every
 * claim inside `Transactor.withTransaction`, before the command, and `complete` before the commit.
 *
 * The store is shared by every test (and, for a SQL adapter, by earlier runs), so each test works
 * in fresh random communities; the purge test works in a window of expiry times of its own.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import { IdempotencyKeys, MAX_IDEMPOTENCY_KEY_LENGTH, Transactor } from "@commonweal/core"
import type { CommunityId, IdempotencyClaim, IdempotencyScope, KernelStorage } from "@commonweal/core"
import { Data, Deferred, Effect, Fiber, Ref } from "effect"
import { freshCommunityId, randomUuid7 } from "../builders.js"
import type { ContractIt } from "./helpers.js"

/** The time the tests' requests arrive at (epoch millis); stores never read a clock of their own. */
export const IDEMPOTENCY_NOW = Date.UTC(2026, 0, 5, 1, 30, 0)
/** How long the tests' keys live: one day. */
const TTL = 24 * 60 * 60 * 1000

/** The subject most tests act as. */
const WANG_LI = "social-worker:王丽"

/** A fingerprint as the transport makes one: a hex hash, here of a made-up request `label`. */
const fingerprintOf = (label: string): string =>
  Array.from(new TextEncoder().encode(`POST /residents ${label}`), (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .padEnd(64, "0")
    .slice(0, 64)

/** What the transport stores as the answer: a small JSON document (status and the id it made). */
const answer = (id: string, status = 201): string => JSON.stringify({ status, id, note: "已登记 / registered" })

/** A scope in `communityId` with a fresh random key (a UUID, as clients send). */
export const freshScope = (
  communityId: CommunityId = freshCommunityId(),
  subject: string = WANG_LI,
  key: string = randomUuid7()
): IdempotencyScope => ({ communityId, subject, key })

/** The claim a probe saw, carried out of the transaction it rolls back. */
class Probed extends Data.TaggedError("Probed")<{ readonly claim: IdempotencyClaim }> {}

/**
 * Claims `scope`'s key for `fingerprint` in a transaction and rolls the transaction back: what a
 * request would find, leaving no trace (a `Claimed` key is freed again by the rollback).
 */
export const probeKey = (
  scope: IdempotencyScope,
  fingerprint: string,
  now: number = IDEMPOTENCY_NOW
): Effect.Effect<IdempotencyClaim, never, Transactor | IdempotencyKeys> =>
  Effect.gen(function* () {
    const tx = yield* Transactor
    const keys = yield* IdempotencyKeys
    const probed = yield* Effect.flip(
      tx.withTransaction(
        Effect.flatMap(keys.claim({ scope, fingerprint, now, expiresAt: now + TTL }), (claim) =>
          Effect.fail(new Probed({ claim }))
        )
      )
    )
    return probed.claim
  })

/**
 * One request as the transport runs it, in its own transaction: claim the key; when `Claimed`,
 * run `command` and store `response` with the key, then commit. Returns what the claim found.
 */
export const runIdempotent = <E = never, R = never>(
  scope: IdempotencyScope,
  fingerprint: string,
  response: string,
  options: {
    readonly now?: number
    readonly expiresAt?: number
    readonly command?: Effect.Effect<void, E, R>
  } = {}
): Effect.Effect<IdempotencyClaim, E, R | Transactor | IdempotencyKeys> =>
  Effect.gen(function* () {
    const tx = yield* Transactor
    const keys = yield* IdempotencyKeys
    const now = options.now ?? IDEMPOTENCY_NOW
    const expiresAt = options.expiresAt ?? now + TTL
    return yield* tx.withTransaction(
      Effect.gen(function* () {
        const claim = yield* keys.claim({ scope, fingerprint, now, expiresAt })
        if (claim._tag === "Claimed") {
          if (options.command !== undefined) yield* options.command
          yield* keys.complete(scope, fingerprint, response)
        }
        return claim
      })
    )
  })

/** A caller's own error, failing a transaction after its claim. */
class Boom extends Data.TaggedError("Boom")<{ readonly step: string }> {}

const claimed: IdempotencyClaim = { _tag: "Claimed" }
const mismatch: IdempotencyClaim = { _tag: "Mismatch" }
const completed = (response: string): IdempotencyClaim => ({ _tag: "Completed", response })

/** A string of `length` UTF-8 bytes: JSON with CJK text (3 bytes a character) and ASCII padding. */
const responseOfBytes = (length: number): string => {
  const head = `{"status":201,"note":"`
  const tail = `"}`
  const cjk = "君馨社区顾里小站".repeat(4096)
  let body = ""
  let bytes = head.length + tail.length
  for (const ch of cjk) {
    if (bytes + 3 > length) break
    body += ch
    bytes += 3
  }
  return head + body + "x".repeat(length - bytes) + tail
}

/**
 * Registers the `IdempotencyKeys` contract: claim, complete and replay; mismatched requests;
 * rollback frees the key; scopes never meet; expiry and purging; no eviction; two requests with
 * one key at once run the command once; long keys and subjects, and keys that differ only in
 * case, accents or a trailing space, are kept apart.
 */
export const idempotencyKeysContract = (it: ContractIt<KernelStorage>): void => {
  describe("IdempotencyKeys", () => {
    it.effect("a free key is Claimed; once completed and committed, the same request replays the answer", () =>
      Effect.gen(function* () {
        const scope = freshScope()
        const print = fingerprintOf("周赛群")
        expect(yield* probeKey(scope, print)).toEqual(claimed)
        const response = answer(randomUuid7())
        expect(yield* runIdempotent(scope, print, response)).toEqual(claimed)
        expect(yield* probeKey(scope, print)).toEqual(completed(response))
        // a replay is a read: it changes nothing, so it can happen again
        expect(yield* runIdempotent(scope, print, answer("never stored"))).toEqual(completed(response))
        expect(yield* probeKey(scope, print)).toEqual(completed(response))
      })
    )

    it.effect("another request with the key is a Mismatch, and the key keeps its first answer", () =>
      Effect.gen(function* () {
        const scope = freshScope()
        const response = answer(randomUuid7())
        yield* runIdempotent(scope, fingerprintOf("周赛群"), response)
        expect(yield* runIdempotent(scope, fingerprintOf("刘英"), answer("other"))).toEqual(mismatch)
        expect(yield* probeKey(scope, fingerprintOf("刘英"))).toEqual(mismatch)
        expect(yield* probeKey(scope, fingerprintOf("周赛群"))).toEqual(completed(response))
      })
    )

    it.effect("a key whose transaction committed without an answer is free again, for any request", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const keys = yield* IdempotencyKeys
        const scope = freshScope()
        // a caller that claims and commits without complete (a transport never does): nothing to replay
        const first = yield* tx.withTransaction(
          keys.claim({
            scope,
            fingerprint: fingerprintOf("周赛群"),
            now: IDEMPOTENCY_NOW,
            expiresAt: IDEMPOTENCY_NOW + TTL
          })
        )
        expect(first).toEqual(claimed)
        const response = answer(randomUuid7())
        expect(yield* runIdempotent(scope, fingerprintOf("刘英"), response)).toEqual(claimed)
        expect(yield* probeKey(scope, fingerprintOf("刘英"))).toEqual(completed(response))
      })
    )

    it.effect("a transaction that fails after its claim leaves the key free, answer and all", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const keys = yield* IdempotencyKeys
        const scope = freshScope()
        const print = fingerprintOf("周赛群")
        const boom = new Boom({ step: "after complete" })
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.gen(function* () {
              const claim = yield* keys.claim({
                scope,
                fingerprint: print,
                now: IDEMPOTENCY_NOW,
                expiresAt: IDEMPOTENCY_NOW + TTL
              })
              expect(claim).toEqual(claimed)
              yield* keys.complete(scope, print, answer("rolled back"))
              return yield* Effect.fail(boom)
            })
          )
        )
        expect(error).toBe(boom)
        // free for the same request (the retry runs the command again) and for another one
        expect(yield* probeKey(scope, fingerprintOf("刘英"))).toEqual(claimed)
        const response = answer(randomUuid7())
        expect(yield* runIdempotent(scope, print, response)).toEqual(claimed)
        expect(yield* probeKey(scope, print)).toEqual(completed(response))
      })
    )

    it.effect("a transaction that dies after its claim leaves the key free", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const keys = yield* IdempotencyKeys
        const scope = freshScope()
        const print = fingerprintOf("周赛群")
        yield* Effect.exit(
          tx.withTransaction(
            Effect.andThen(
              keys.claim({ scope, fingerprint: print, now: IDEMPOTENCY_NOW, expiresAt: IDEMPOTENCY_NOW + TTL }),
              Effect.die(new Error("斷電 / power cut"))
            )
          )
        )
        expect(yield* probeKey(scope, print)).toEqual(claimed)
      })
    )

    it.effect("scopes are independent: the same key of another subject or community is its own", () =>
      Effect.gen(function* () {
        const key = randomUuid7()
        const print = fingerprintOf("周赛群")
        const junxin = freshCommunityId()
        const guli = freshCommunityId()
        const mine = freshScope(junxin, WANG_LI, key)
        const colleague = freshScope(junxin, "grid-worker:刘英", key)
        const elsewhere = freshScope(guli, WANG_LI, key)
        const response = answer(randomUuid7())
        yield* runIdempotent(mine, print, response)
        // the same fingerprint too: a store keyed by the key alone would replay 王丽's answer here
        expect(yield* probeKey(colleague, print)).toEqual(claimed)
        expect(yield* probeKey(elsewhere, print)).toEqual(claimed)
        expect(yield* probeKey(colleague, fingerprintOf("刘英"))).toEqual(claimed)
        const colleagues = answer(randomUuid7())
        const elsewheres = answer(randomUuid7(), 200)
        expect(yield* runIdempotent(colleague, print, colleagues)).toEqual(claimed)
        expect(yield* runIdempotent(elsewhere, fingerprintOf("顾里"), elsewheres)).toEqual(claimed)
        expect(yield* probeKey(mine, print)).toEqual(completed(response))
        expect(yield* probeKey(colleague, print)).toEqual(completed(colleagues))
        expect(yield* probeKey(elsewhere, fingerprintOf("顾里"))).toEqual(completed(elsewheres))
        expect(yield* probeKey(elsewhere, print)).toEqual(mismatch)
      })
    )

    it.effect("an expired key (expiresAt not after now) is taken over, even by another request", () =>
      Effect.gen(function* () {
        const scope = freshScope()
        const first = answer(randomUuid7())
        const expiresAt = IDEMPOTENCY_NOW + 1000
        yield* runIdempotent(scope, fingerprintOf("周赛群"), first, { expiresAt })
        // one millisecond before it expires, the key still holds
        expect(yield* probeKey(scope, fingerprintOf("刘英"), expiresAt - 1)).toEqual(mismatch)
        expect(yield* probeKey(scope, fingerprintOf("周赛群"), expiresAt - 1)).toEqual(completed(first))
        // at expiresAt it is free: the same request runs again, another one takes the key
        expect(yield* probeKey(scope, fingerprintOf("周赛群"), expiresAt)).toEqual(claimed)
        const second = answer(randomUuid7())
        expect(
          yield* runIdempotent(scope, fingerprintOf("刘英"), second, { now: expiresAt, expiresAt: expiresAt + TTL })
        ).toEqual(claimed)
        // the new claim lives by its own expiry, with its own answer
        expect(yield* probeKey(scope, fingerprintOf("刘英"), expiresAt + 5000)).toEqual(completed(second))
        expect(yield* probeKey(scope, fingerprintOf("周赛群"), expiresAt + 5000)).toEqual(mismatch)
      })
    )

    it.effect(
      "purgeExpired deletes only expired keys, oldest first, at most limit, returns the count, and spares the rest",
      () =>
        Effect.gen(function* () {
          const keys = yield* IdempotencyKeys
          // a window of expiry times of this run's own, long before any real key: purging up to its
          // end touches no other test's keys; first clear whatever an earlier run left in it
          const base = 1_000_000_000 + Math.floor(Math.random() * 800_000) * 1_000_000
          const end = base + 100_000
          while ((yield* keys.purgeExpired(end, 1000)) > 0) {}
          const communityId = freshCommunityId()
          const print = fingerprintOf("周赛群")
          const expiring = Array.from({ length: 5 }, (_, i) => ({
            scope: freshScope(communityId),
            expiresAt: base + 10 + i,
            response: answer(`expiring-${i}`)
          }))
          const lasting = Array.from({ length: 2 }, (_, i) => ({
            scope: freshScope(i === 0 ? communityId : freshCommunityId()),
            expiresAt: base + 50_000 + i,
            response: answer(`lasting-${i}`)
          }))
          // written in an order that is not the order of expiry
          for (const k of [
            expiring[3]!,
            lasting[0]!,
            expiring[0]!,
            expiring[4]!,
            lasting[1]!,
            expiring[2]!,
            expiring[1]!
          ]) {
            expect(yield* runIdempotent(k.scope, print, k.response, { now: base, expiresAt: k.expiresAt })).toEqual(
              claimed
            )
          }
          expect(yield* keys.purgeExpired(base + 9, 100), "nothing has expired yet").toBe(0)
          expect(yield* keys.purgeExpired(base + 14, 3), "the limit").toBe(3)
          // the three oldest are gone (another request claims them), the other two are still there
          for (const k of expiring.slice(0, 3))
            expect(yield* probeKey(k.scope, fingerprintOf("刘英"), base)).toEqual(claimed)
          for (const k of expiring.slice(3))
            expect(yield* probeKey(k.scope, print, base)).toEqual(completed(k.response))
          expect(yield* keys.purgeExpired(base + 14, 100)).toBe(2)
          expect(yield* keys.purgeExpired(base + 14, 100), "purging again finds nothing").toBe(0)
          for (const k of expiring) expect(yield* probeKey(k.scope, fingerprintOf("刘英"), base)).toEqual(claimed)
          // keys that expire after `now` stay, and replay
          for (const k of lasting) expect(yield* probeKey(k.scope, print, base + 14)).toEqual(completed(k.response))
          // leave the window empty for the next run
          expect(yield* keys.purgeExpired(end, 100)).toBe(2)
        }),
      60_000
    )

    it.effect(
      "nothing is evicted: after 2,000 keys of one tenant, another tenant's key and the first key still replay",
      () =>
        Effect.gen(function* () {
          const tx = yield* Transactor
          const keys = yield* IdempotencyKeys
          const print = fingerprintOf("周赛群")
          const guli = freshScope(freshCommunityId(), "staff:顾里")
          const guliAnswer = answer(randomUuid7())
          yield* runIdempotent(guli, print, guliAnswer)
          const junxin = freshCommunityId()
          const scopes = Array.from({ length: 2000 }, () => freshScope(junxin))
          // written 100 to a transaction, four transactions at a time, to keep the test quick on a real database
          const batches = Array.from({ length: scopes.length / 100 }, (_, b) => b * 100)
          yield* Effect.forEach(
            batches,
            (start) =>
              tx.withTransaction(
                Effect.forEach(
                  scopes.slice(start, start + 100),
                  (scope, i) =>
                    Effect.gen(function* () {
                      const claim = yield* keys.claim({
                        scope,
                        fingerprint: print,
                        now: IDEMPOTENCY_NOW,
                        expiresAt: IDEMPOTENCY_NOW + TTL
                      })
                      expect(claim).toEqual(claimed)
                      yield* keys.complete(scope, print, answer(`junxin-${start + i}`))
                    }),
                  { discard: true }
                )
              ),
            { concurrency: 4, discard: true }
          )
          expect(yield* probeKey(guli, print)).toEqual(completed(guliAnswer))
          expect(yield* probeKey(scopes[0]!, print)).toEqual(completed(answer("junxin-0")))
          expect(yield* probeKey(scopes[1999]!, print)).toEqual(completed(answer("junxin-1999")))
        }),
      120_000
    )

    it.effect("two requests with one key at once: the command runs once, the second replays the first's answer", () =>
      Effect.gen(function* () {
        const scope = freshScope()
        const print = fingerprintOf("周赛群")
        const runs = yield* Ref.make(0)
        const firstClaimed = yield* Deferred.make<void>()
        const command = (signal: boolean) =>
          Effect.gen(function* () {
            yield* Ref.update(runs, (n) => n + 1)
            if (signal) yield* Deferred.succeed(firstClaimed, undefined)
            // the command takes a while: the second request arrives while it runs
            yield* Effect.sleep("50 millis")
          })
        const first = yield* Effect.forkChild(runIdempotent(scope, print, answer("first"), { command: command(true) }))
        yield* Deferred.await(firstClaimed)
        const second = yield* Effect.forkChild(
          runIdempotent(scope, print, answer("second"), { command: command(false) })
        )
        expect(yield* Fiber.join(first)).toEqual(claimed)
        expect(yield* Fiber.join(second)).toEqual(completed(answer("first")))
        expect(yield* Ref.get(runs), "the command ran once").toBe(1)
        expect(yield* probeKey(scope, print)).toEqual(completed(answer("first")))
      })
    )

    it.effect("a request waiting for a key whose holder rolls back gets the key and runs", () =>
      Effect.gen(function* () {
        const scope = freshScope()
        const print = fingerprintOf("周赛群")
        const runs = yield* Ref.make(0)
        const firstClaimed = yield* Deferred.make<void>()
        const boom = new Boom({ step: "the first command" })
        const first = yield* Effect.forkChild(
          Effect.flip(
            runIdempotent(scope, print, answer("first"), {
              command: Effect.gen(function* () {
                yield* Ref.update(runs, (n) => n + 1)
                yield* Deferred.succeed(firstClaimed, undefined)
                yield* Effect.sleep("50 millis")
                return yield* Effect.fail(boom)
              })
            })
          )
        )
        yield* Deferred.await(firstClaimed)
        const second = yield* Effect.forkChild(
          runIdempotent(scope, print, answer("second"), { command: Ref.update(runs, (n) => n + 1) })
        )
        expect(yield* Fiber.join(first)).toBe(boom)
        expect(yield* Fiber.join(second)).toEqual(claimed)
        expect(yield* Ref.get(runs), "the first run was undone, so the second one ran").toBe(2)
        expect(yield* probeKey(scope, print)).toEqual(completed(answer("second")))
      })
    )

    it.effect("many requests with one key at once: still one run, and every other one replays", () =>
      Effect.gen(function* () {
        const scope = freshScope()
        const print = fingerprintOf("周赛群")
        const runs = yield* Ref.make<ReadonlyArray<number>>([])
        const claims = yield* Effect.all(
          Array.from({ length: 6 }, (_, i) =>
            runIdempotent(scope, print, answer(`request-${i}`), {
              command: Effect.andThen(
                Ref.update(runs, (r) => [...r, i]),
                Effect.sleep("20 millis")
              )
            })
          ),
          { concurrency: "unbounded" }
        )
        const ran = yield* Ref.get(runs)
        expect(ran).toHaveLength(1)
        expect(claims.filter((c) => c._tag === "Claimed")).toHaveLength(1)
        expect(claims.filter((c) => c._tag !== "Claimed")).toEqual(
          Array.from({ length: 5 }, () => completed(answer(`request-${ran[0]}`)))
        )
      })
    )

    it.effect(
      "long keys, long CJK subjects, 128-character fingerprints and 64 KiB answers are kept whole and apart",
      () =>
        Effect.gen(function* () {
          const communityId = freshCommunityId()
          const longKey = "k".repeat(MAX_IDEMPOTENCY_KEY_LENGTH - 1)
          expect(MAX_IDEMPOTENCY_KEY_LENGTH).toBe(255)
          const subject = "王".repeat(199)
          const print = "f".repeat(127)
          const scopes = [
            freshScope(communityId, `${subject}丽`, `${longKey}1`),
            // differs only in the last character of the key
            freshScope(communityId, `${subject}丽`, `${longKey}2`),
            // differs only in the last character of the subject
            freshScope(communityId, `${subject}英`, `${longKey}1`)
          ]
          expect(scopes[0]!.key).toHaveLength(255)
          expect([...scopes[0]!.subject]).toHaveLength(200)
          const responses = [answer("a"), answer("b"), responseOfBytes(64 * 1024)]
          expect(new TextEncoder().encode(responses[2]!).length).toBe(64 * 1024)
          for (const [i, scope] of scopes.entries()) {
            expect(yield* probeKey(scope, `${print}${i}`)).toEqual(claimed)
            expect(yield* runIdempotent(scope, `${print}${i}`, responses[i]!)).toEqual(claimed)
          }
          for (const [i, scope] of scopes.entries()) {
            expect(yield* probeKey(scope, `${print}${i}`)).toEqual(completed(responses[i]!))
            // a fingerprint differing only in its last character is another request
            expect(yield* probeKey(scope, `${print}${(i + 1) % 3}`)).toEqual(mismatch)
          }
        }),
      60_000
    )

    it.effect("keys that differ only in case, accents or a trailing space are different keys", () =>
      Effect.gen(function* () {
        const communityId = freshCommunityId()
        const print = fingerprintOf("周赛群")
        const variants = ["Order-7f3a", "order-7F3A", "ORDER-7F3A", "Café-1", "Cafe-1", "Cafe-1 ", "ｏｒｄｅｒ-7f3a"]
        for (const key of variants) {
          expect(yield* runIdempotent(freshScope(communityId, WANG_LI, key), print, answer(key)), key).toEqual(claimed)
        }
        for (const key of variants) {
          expect(yield* probeKey(freshScope(communityId, WANG_LI, key), print), key).toEqual(completed(answer(key)))
        }
        // subjects too
        const subjects = ["staff:Wang", "staff:wang", "staff:wang "]
        for (const subject of subjects) {
          expect(yield* runIdempotent(freshScope(communityId, subject, "same"), print, answer(subject))).toEqual(
            claimed
          )
        }
        for (const subject of subjects) {
          expect(yield* probeKey(freshScope(communityId, subject, "same"), print)).toEqual(completed(answer(subject)))
        }
      })
    )
  })
}
