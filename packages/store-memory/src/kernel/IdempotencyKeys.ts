/**
 * The in-memory `IdempotencyKeys`: keys by (community, subject, key), in the kernel's transactions.
 *
 * A claim writes a pending entry into the current transaction's working copy, so it is published
 * with the command's writes and vanishes when the transaction rolls back. Transactions are
 * serialized by the store's lock, so a claim of a key another transaction holds waits for that
 * transaction to end, then sees what it left: the completed answer, or (after a rollback) nothing.
 * Nothing is evicted: entries leave only through `purgeExpired`.
 *
 * @module
 */
import type { IdempotencyClaim, IdempotencyKeys, IdempotencyScope } from "@commonweal/core"
import { Effect, HashMap, Option, Result } from "effect"
import type { MemoryKernelService } from "./MemoryKernel.js"
import { slot } from "./Slot.js"

/** One stored key. */
interface Entry {
  readonly fingerprint: string
  /** Epoch millis; the entry is free to take over when this is not after the claim's `now`. */
  readonly expiresAt: number
  /** The stored answer; `undefined` while the claiming transaction has not completed it. */
  readonly response: string | undefined
}

/** The stored keys, by their scope (see `keyOf`). */
type Keys = HashMap.HashMap<string, Entry>

/** Keys by their scope (see `keyOf`). */
const keys = slot<Keys>("idempotency-keys", HashMap.empty())

/** The map key of a scope: unambiguous whatever characters its parts hold. */
const keyOf = (scope: IdempotencyScope): string => JSON.stringify([scope.communityId, scope.subject, scope.key])

const claimed: IdempotencyClaim = { _tag: "Claimed" }
const mismatch: IdempotencyClaim = { _tag: "Mismatch" }

/**
 * The `IdempotencyKeys` port over a store's kernel.
 *
 * - `claim` must run inside `Transactor.withTransaction`. Called outside one it runs as a
 *   one-call transaction like any other write: the claim then commits on its own and protects
 *   nothing (a failing command cannot take it back), so the caller must hold a transaction.
 * - A key without an answer (claimed earlier in this transaction, or by a committed one that never
 *   completed it) is `Claimed` again, whatever the fingerprint: there is nothing to replay or protect.
 * - `complete` without a claim of that key with that fingerprint is a defect (a bug in the caller).
 */
export const makeIdempotencyKeys = (kernel: MemoryKernelService): IdempotencyKeys["Service"] => ({
  claim: ({ scope, fingerprint, now, expiresAt }) =>
    kernel.write(keys, (all): Result.Result<readonly [IdempotencyClaim, Keys]> => {
      const id = keyOf(scope)
      const stored = Option.getOrUndefined(HashMap.get(all, id))
      const response = stored?.response
      // free, expired, or claimed by a transaction that committed without an answer: nothing to protect
      if (stored === undefined || stored.expiresAt <= now || response === undefined) {
        return Result.succeed([claimed, HashMap.set(all, id, { fingerprint, expiresAt, response: undefined })] as const)
      }
      if (stored.fingerprint !== fingerprint) return Result.succeed([mismatch, all] as const)
      return Result.succeed([{ _tag: "Completed", response }, all] as const)
    }),
  complete: (scope, fingerprint, response) =>
    Effect.orDie(
      kernel.write(keys, (all) => {
        const id = keyOf(scope)
        const stored = HashMap.get(all, id)
        return Option.isSome(stored) && stored.value.fingerprint === fingerprint
          ? Result.succeed([undefined, HashMap.set(all, id, { ...stored.value, response })] as const)
          : Result.fail(
              new Error(
                `IdempotencyKeys.complete: the key was not claimed for this request in this transaction / 此幂等键未在本事务中为该请求认领`
              )
            )
      })
    ),
  purgeExpired: (now, limit) =>
    kernel.write(keys, (all) => {
      if (!(limit >= 1)) return Result.succeed([0, all] as const)
      const expired: Array<readonly [string, number]> = []
      for (const [id, entry] of all) if (entry.expiresAt <= now) expired.push([id, entry.expiresAt])
      // oldest first; ties in key order, so the choice does not depend on the map's layout
      expired.sort(([a, at], [b, bt]) => at - bt || (a < b ? -1 : a > b ? 1 : 0))
      const purged = expired.slice(0, Math.floor(limit))
      let next = all
      for (const [id] of purged) next = HashMap.remove(next, id)
      return Result.succeed([purged.length, next] as const)
    })
})
