/**
 * The idempotency-key port: a retried command runs once, across crashes, restarts and servers.
 *
 * A client that may retry a command (a POST whose answer it never saw) sends a key with it. The
 * transport claims the key **in the same transaction as the command**, runs the command, and
 * stores what it answered with the key before the transaction commits:
 *
 * - the command committed ⇒ the key and its answer committed with it, so a retry (after a reset
 *   connection, a restart, or on another server instance) finds the answer and replays it;
 * - the command failed, died or was interrupted ⇒ the transaction rolled back and the key with
 *   it, so a retry runs the command again (which is safe: nothing of the first attempt remains);
 * - two requests with the same key at once ⇒ the second claim waits for the first transaction to
 *   end (the key's row is locked by it, or the store serializes transactions), then finds the
 *   answer: never two runs.
 *
 * Keys are scoped by community and subject: one actor can never read, replay or displace
 * another actor's keys, and nothing is evicted to make room: keys leave only when they expire
 * (`IdempotencyKeys.purgeExpired`).
 *
 * The answer is an opaque string the transport chooses (`@commonweal/http` stores the status
 * and the id of the resource, never personal data). Adapters: `@commonweal/store-memory`,
 * `@commonweal/store-kysely`; the contract is `idempotencyKeysContract` in `@commonweal/testing`.
 *
 * @module
 */
import { Context, type Effect } from "effect"
import type { CommunityId } from "./Ids.js"

/** Whose key it is: the community and subject of the actor, and the key the client chose. */
export interface IdempotencyScope {
  readonly communityId: CommunityId
  /** The actor's subject (`Actor.subject`, at most 200 code points). */
  readonly subject: string
  /** The client's key, 1 to {@link MAX_IDEMPOTENCY_KEY_LENGTH} characters. */
  readonly key: string
}

/** The longest idempotency key, in UTF-16 code units (what `string.length` counts). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255

/** What `IdempotencyKeys.claim` found. */
export type IdempotencyClaim =
  /** The key was free (or had expired): the current transaction holds it and must `complete` it before it commits. */
  | { readonly _tag: "Claimed" }
  /** The key was used for the same request, which committed: replay `response`. */
  | { readonly _tag: "Completed"; readonly response: string }
  /** The key was used for a different request (another fingerprint): refuse. */
  | { readonly _tag: "Mismatch" }

/** The idempotency keys, stored by the storage adapter beside the data they protect. */
export class IdempotencyKeys extends Context.Service<
  IdempotencyKeys,
  {
    /**
     * Claims `scope`'s key for a request with `fingerprint`; must run inside
     * `Transactor.withTransaction`, before the command. A key held by another transaction that
     * has not ended makes this wait for it (then it is `Completed`, `Mismatch`, or, when that
     * transaction rolled back, `Claimed`). A stored key whose `expiresAt` is not after `now` is
     * treated as free and taken over, and so is a stored key without an answer (its transaction
     * committed without `complete`, which a transport never does): there is nothing to replay or
     * protect. The claimed key expires at `expiresAt` (epoch millis).
     */
    readonly claim: (request: {
      readonly scope: IdempotencyScope
      readonly fingerprint: string
      readonly now: number
      readonly expiresAt: number
    }) => Effect.Effect<IdempotencyClaim>
    /** Stores the answer of the key this transaction claimed (same scope and fingerprint). */
    readonly complete: (scope: IdempotencyScope, fingerprint: string, response: string) => Effect.Effect<void>
    /**
     * Deletes keys whose `expiresAt` is not after `now`, at most `limit` of them (oldest first);
     * returns how many it deleted. Run it now and then (the example server does, every few minutes).
     */
    readonly purgeExpired: (now: number, limit: number) => Effect.Effect<number>
  }
>()("@commonweal/core/IdempotencyKeys") {}
