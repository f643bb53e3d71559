/**
 * Idempotent POSTs: the `Idempotency-Key` request header.
 *
 * A client that sends `Idempotency-Key: <key>` with a POST may retry it safely: within the
 * store's TTL, the same key from the same actor for the same route and the same body answers
 * with the first response's status (plus `Idempotent-Replayed: true`) without running the
 * command again. The same key with a different route or body is refused with 422
 * ({@link IdempotencyKeyReused}); while the first request is still running, a second one with
 * the key is refused with 409 ({@link IdempotencyKeyInUse}) instead of running twice. Server
 * errors (5xx) and interrupted requests are not remembered, so they can be retried.
 *
 * **No personal data is stored.** A successful response is remembered as its status and the id
 * of the resident it returned ({@link StoredResponse} `Resident`), never as its body. A replay
 * re-reads the resident through the `Residents` service *as the actor of the retry*, so the
 * replayed body is what that actor may see now: after an erasure it is the erased record,
 * after a `health_data` consent was withdrawn it has no health data, after a role change it is
 * the view of the new role; when the read fails (the actor lost the right to read it …) the
 * replay answers with that failure's problem details, still marked `Idempotent-Replayed`. So a
 * replay may differ from the first response: it has the first response's status and the
 * resource's current state. A successful response that is not a resident is not remembered
 * (the key is freed, and a retry runs again). Error responses are remembered verbatim
 * ({@link StoredResponse} `Verbatim`): problem details carry no personal data (the server
 * strips echoed input values from `InvalidInput` messages, see `Middleware.ts`).
 *
 * Keys are scoped by actor (community and subject), so two accounts never see each other's
 * responses. The store is pluggable: {@link IdempotencyStore.memory} keeps entries in the
 * process, which is right for one server instance. **Several server instances behind a load
 * balancer need one shared store** (a table in the database, Redis …) implementing
 * {@link IdempotencyStore} with an atomic `reserve`; otherwise a retry that lands on another
 * instance runs the command again.
 *
 * @module
 */
import { Clock, Context, Duration, Effect, Layer } from "effect"

/** The name of the request header (matched case-insensitively, as all HTTP header names). */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key"
/** The response header set on a replayed response. */
export const IDEMPOTENT_REPLAYED_HEADER = "idempotent-replayed"
/** The longest accepted key. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255

/**
 * A response as remembered for replay. Plain data, so that a shared store can serialise it;
 * never personal data (see the module docs).
 */
export type StoredResponse =
  /** A successful response that returned a resident: replayed by re-reading it as the current actor. */
  | { readonly _tag: "Resident"; readonly status: number; readonly residentId: string }
  /** An error response (problem details) or an empty one, replayed as it was. */
  | {
      readonly _tag: "Verbatim"
      readonly status: number
      readonly contentType: string | undefined
      /** The body as UTF-8 text (problem details); `""` for an empty body. */
      readonly body: string
    }

/** The outcome of {@link IdempotencyStore} `reserve`. */
export type Reservation =
  /** The key was free: the caller now holds it and must `complete` or `release` it. */
  | { readonly _tag: "Acquired" }
  /** Another request with the key and the same fingerprint is running. */
  | { readonly _tag: "InProgress" }
  /** The key was used for the same request: replay this response. */
  | { readonly _tag: "Completed"; readonly response: StoredResponse }
  /** The key was used (or is in use) for a different request. */
  | { readonly _tag: "Mismatch" }

/**
 * Where idempotency keys live. `reserve` must be atomic: of two concurrent reservations of a
 * free key exactly one is `Acquired`.
 */
export class IdempotencyStore extends Context.Service<
  IdempotencyStore,
  {
    /** Claims `key` for a request with `fingerprint`, or tells why not. */
    readonly reserve: (key: string, fingerprint: string) => Effect.Effect<Reservation>
    /** Remembers the response of the request holding `key`, for the store's TTL. */
    readonly complete: (key: string, fingerprint: string, response: StoredResponse) => Effect.Effect<void>
    /** Frees `key` without remembering anything (the request failed with 5xx or was interrupted). */
    readonly release: (key: string, fingerprint: string) => Effect.Effect<void>
  }
>()("@commonweal/http/IdempotencyStore") {
  /**
   * An in-memory store for one server instance. Entries expire `ttl` after they were written
   * (measured with Effect's `Clock`, so `TestClock` drives it in tests); at most `maxEntries`
   * completed entries are kept, the oldest evicted first.
   */
  static readonly memory = (options?: {
    /** How long a response is replayable. Default 24 hours. */
    readonly ttl?: Duration.Input | undefined
    /** The most entries kept. Default 10 000. */
    readonly maxEntries?: number | undefined
  }): Layer.Layer<IdempotencyStore> =>
    Layer.sync(IdempotencyStore, () => makeMemoryStore(options?.ttl ?? "24 hours", options?.maxEntries ?? 10_000))
}

interface Entry {
  readonly fingerprint: string
  readonly response: StoredResponse | undefined
  readonly expiresAt: number
}

const makeMemoryStore = (ttlInput: Duration.Input, maxEntries: number): IdempotencyStore["Service"] => {
  const ttl = Duration.toMillis(ttlInput)
  const max = Math.max(1, Math.floor(maxEntries))
  // Insertion order is write order, and every write sets `expiresAt = now + ttl`, so the
  // oldest entries come first both for expiry and for eviction.
  const entries = new Map<string, Entry>()

  const purge = (now: number) => {
    for (const [key, entry] of entries) {
      if (entry.expiresAt > now) break
      entries.delete(key)
    }
  }
  const evict = () => {
    if (entries.size < max) return
    for (const [key, entry] of entries) {
      if (entries.size < max) break
      // never evict an in-flight entry: that would let a concurrent duplicate run
      if (entry.response !== undefined) entries.delete(key)
    }
  }
  const write = (key: string, entry: Entry) => {
    entries.delete(key)
    entries.set(key, entry)
  }

  return {
    reserve: (key, fingerprint) =>
      Effect.map(Clock.currentTimeMillis, (now): Reservation => {
        purge(now)
        const existing = entries.get(key)
        if (existing !== undefined) {
          if (existing.fingerprint !== fingerprint) return { _tag: "Mismatch" }
          return existing.response === undefined
            ? { _tag: "InProgress" }
            : { _tag: "Completed", response: existing.response }
        }
        evict()
        write(key, { fingerprint, response: undefined, expiresAt: now + ttl })
        return { _tag: "Acquired" }
      }),
    complete: (key, fingerprint, response) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const existing = entries.get(key)
        if (existing !== undefined && existing.fingerprint === fingerprint) {
          write(key, { fingerprint, response, expiresAt: now + ttl })
        }
      }),
    release: (key, fingerprint) =>
      Effect.sync(() => {
        const existing = entries.get(key)
        if (existing !== undefined && existing.fingerprint === fingerprint && existing.response === undefined) {
          entries.delete(key)
        }
      })
  }
}

/** The store key of a request: the idempotency key scoped by community and subject. */
export const scopedKey = (communityId: string, subject: string, key: string): string =>
  JSON.stringify([communityId, subject, key])

/**
 * The fingerprint of a request: method, path with query, and the SHA-256 of the body (Web
 * Crypto, so it runs on any platform). Two requests are "the same" when their fingerprints are.
 */
export const fingerprint = (method: string, url: string, body: string): Effect.Effect<string> =>
  Effect.map(
    Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(body))),
    (digest) => {
      const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")
      return `${method.toUpperCase()} ${url} sha256:${hex}`
    }
  )
