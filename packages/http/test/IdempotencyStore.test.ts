import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import type { StoredResponse } from "../src/index.js"
import { fingerprint, IdempotencyStore, scopedKey } from "../src/index.js"

const created: StoredResponse = { _tag: "Resident", status: 201, residentId: "01936a1e-7c00-7000-8000-000000000001" }

const withStore = <A, E>(
  effect: Effect.Effect<A, E, IdempotencyStore>,
  options?: Parameters<typeof IdempotencyStore.memory>[0]
) => Effect.provide(effect, IdempotencyStore.memory(options))

describe("IdempotencyStore.memory", () => {
  it.effect("acquires a free key once; a second reservation waits (InProgress) or is a Mismatch", () =>
    withStore(
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        expect(yield* store.reserve("k", "f1")).toEqual({ _tag: "Acquired" })
        expect(yield* store.reserve("k", "f1")).toEqual({ _tag: "InProgress" })
        expect(yield* store.reserve("k", "f2")).toEqual({ _tag: "Mismatch" })
        yield* store.complete("k", "f1", created)
        expect(yield* store.reserve("k", "f1")).toEqual({ _tag: "Completed", response: created })
        expect(yield* store.reserve("k", "f2")).toEqual({ _tag: "Mismatch" })
      })
    )
  )

  it.effect("release frees an in-flight key so the request can be retried", () =>
    withStore(
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        yield* store.reserve("k", "f1")
        yield* store.release("k", "f1")
        expect(yield* store.reserve("k", "f2")).toEqual({ _tag: "Acquired" })
        // releasing with another fingerprint, or a completed key, changes nothing
        yield* store.release("k", "f1")
        expect(yield* store.reserve("k", "f2")).toEqual({ _tag: "InProgress" })
        yield* store.complete("k", "f2", created)
        yield* store.release("k", "f2")
        expect((yield* store.reserve("k", "f2"))._tag).toBe("Completed")
      })
    )
  )

  it.effect("entries expire after the TTL, measured with the Clock", () =>
    withStore(
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        yield* store.reserve("k", "f1")
        yield* store.complete("k", "f1", created)
        yield* TestClock.adjust("59 minutes")
        expect((yield* store.reserve("k", "f1"))._tag).toBe("Completed")
        yield* TestClock.adjust("2 minutes")
        expect(yield* store.reserve("k", "f2")).toEqual({ _tag: "Acquired" })
      }),
      { ttl: "1 hour" }
    )
  )

  it.effect("keeps at most maxEntries, evicting the oldest completed entry, never an in-flight one", () =>
    withStore(
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        yield* store.reserve("inflight", "f")
        for (const key of ["a", "b"]) {
          yield* store.reserve(key, "f")
          yield* store.complete(key, "f", created)
        }
        yield* store.reserve("c", "f") // evicts "a", the oldest completed
        expect((yield* store.reserve("inflight", "f"))._tag).toBe("InProgress")
        expect((yield* store.reserve("b", "f"))._tag).toBe("Completed")
        expect(yield* store.reserve("a", "other")).toEqual({ _tag: "Acquired" })
      }),
      { maxEntries: 3 }
    )
  )
})

describe("fingerprint and scopedKey", () => {
  it.effect("differs by method, path and body; is stable otherwise", () =>
    Effect.gen(function* () {
      const a = yield* fingerprint("POST", "/residents", `{"displayName":"周赛群"}`)
      expect(yield* fingerprint("post", "/residents", `{"displayName":"周赛群"}`)).toBe(a)
      expect(yield* fingerprint("POST", "/residents", `{"displayName":"周赛"}`)).not.toBe(a)
      expect(yield* fingerprint("POST", "/residents/1/erase", `{"displayName":"周赛群"}`)).not.toBe(a)
      expect(a).toMatch(/^POST \/residents sha256:[0-9a-f]{64}$/)
    })
  )

  it("scopes keys by community and subject without ambiguity", () => {
    expect(scopedKey("c1", "s|1", "k")).not.toBe(scopedKey("c1", "s", "1|k"))
    expect(scopedKey("c1", "s", "k")).not.toBe(scopedKey("c2", "s", "k"))
  })
})
