/**
 * Idempotent POSTs: the `Idempotency-Key` request header, kept durably by the storage adapter.
 *
 * A client that sends `Idempotency-Key: <key>` with a POST may retry it safely, after a reset
 * connection, a server restart, or against another server instance: within the TTL
 * (`idempotencyTtl`, 24 hours by default) the same key from the same actor for the same route
 * and the same body answers with the first response's status (plus `Idempotent-Replayed: true`)
 * without running the command again. The same key with a different route or body is refused
 * with 422 ({@link IdempotencyKeyReused}).
 *
 * **How.** The keys are core's `IdempotencyKeys` port, stored by the storage adapter beside the
 * data they protect, and claimed **in the command's own transaction** (`Transactor`): the API
 * middleware (`Middleware.ts`) opens the transaction, claims the key, runs the endpoint inside it
 * (the services' own `withTransaction` joins it) and, on success, stores what it answered before
 * the transaction commits. So:
 *
 * - the command committed ⇔ its key committed with it: a retry finds the key and replays;
 * - the command failed (an error response, a defect, an interruption) ⇒ the transaction rolled
 *   back, the key with it: nothing of the first attempt remains, and a retry runs the command
 *   again. **Errors are not remembered**;
 * - two requests with one key at once: the second waits for the first one's transaction, then
 *   replays its answer (never two runs, never a "try later").
 *
 * **No personal data is stored.** A success is remembered as {@link StoredSuccess}: its status,
 * the type of the resource it returned and its id (`{"status":201,"type":"Resident","id":"…"}`),
 * never its body. A replay re-reads the resource through the reader its group registered (see
 * `Api.ts`), *as the actor of the retry*, so the replayed body is what that actor may see now:
 * after an erasure the erased record, after a withdrawn `health_data` consent no health data,
 * after a role change the view of the new role; when the read fails (the actor lost the right to
 * read it …) the replay answers with that failure's problem details, still marked
 * `Idempotent-Replayed`.
 *
 * Keys are scoped by actor (community and subject): one account never sees, replays or displaces
 * another's keys, and nothing is evicted to make room; expired keys are deleted by
 * `IdempotencyKeys.purgeExpired`, which the server should run now and then (the example server
 * does, every 10 minutes).
 *
 * @module
 */
import { MAX_IDEMPOTENCY_KEY_LENGTH as CORE_MAX_KEY_LENGTH } from "@commonweal/core"
import { Effect, Schema } from "effect"

/** The name of the request header (matched case-insensitively, as all HTTP header names). */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key"
/** The response header set on a replayed response. */
export const IDEMPOTENT_REPLAYED_HEADER = "idempotent-replayed"
/** The longest accepted key (core's `MAX_IDEMPOTENCY_KEY_LENGTH`, 255). */
export const MAX_IDEMPOTENCY_KEY_LENGTH: number = CORE_MAX_KEY_LENGTH
/** How long a key is kept when `idempotencyTtl` is not given: 24 hours. */
export const DEFAULT_IDEMPOTENCY_TTL = "24 hours"

/**
 * A success as remembered with its key (the opaque `response` of core's `IdempotencyKeys`), as
 * JSON: plain data, never personal data. `type` names the resource reader that re-reads it.
 */
export const StoredSuccess = Schema.Struct({
  /** The status of the first response (`201` for a registration). */
  status: Schema.Int,
  /** The resource type, as declared by the endpoint (`Resident`). */
  type: Schema.String,
  /** The id of the resource the first response returned. */
  id: Schema.String
}).annotate({ identifier: "StoredSuccess" })

/** A remembered success (see {@link StoredSuccess}). */
export type StoredSuccess = typeof StoredSuccess.Type

const storedSuccessJson = Schema.fromJsonString(StoredSuccess)

/** The text stored with a key for `success`. */
export const encodeStoredSuccess: (success: StoredSuccess) => string = Schema.encodeSync(storedSuccessJson)

/** Reads back a stored success; `undefined` when the text is not one. */
export const decodeStoredSuccess = (text: string): StoredSuccess | undefined => {
  const decoded = Schema.decodeUnknownExit(storedSuccessJson)(text)
  return decoded._tag === "Success" ? decoded.value : undefined
}

const hex = (digest: ArrayBuffer): string =>
  Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")

/**
 * The fingerprint of a request: the SHA-256 (hex, 64 characters) of its method (upper case), its
 * URL (path and query) and its body. Two requests with one key are "the same" when their
 * fingerprints are. Web Crypto, so it runs on any platform.
 */
export const fingerprint = (method: string, url: string, body: string): Effect.Effect<string> =>
  Effect.map(
    Effect.promise(() =>
      globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${method.toUpperCase()} ${url}\n${body}`))
    ),
    hex
  )
