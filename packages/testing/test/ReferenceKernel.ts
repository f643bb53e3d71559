/**
 * A small in-memory store of the kernel's ports (`Transactor`, `Outbox`, `IdempotencyKeys`), for
 * this package's own tests: it shows that `kernelContract` can be passed by a store that provides
 * the kernel's ports and nothing else, without any adapter package.
 *
 * Same design as `@commonweal/store-memory`: one immutable state in a `Ref`; a transaction takes
 * a single-permit lock, works on a private copy carried by a `Context.Reference`, and publishes
 * it only on success; a write outside a transaction is a one-call transaction.
 *
 * `faults` switch single rules off, so the tests can check that the contract notices.
 */
import { IdempotencyKeys, Outbox, Transactor } from "@commonweal/core"
import type { CommunityId, IdempotencyClaim, IdempotencyScope, KernelStorage, StoredEvent } from "@commonweal/core"
import { Context, Effect, Layer, Option, Ref, Semaphore } from "effect"

interface KeyEntry {
  readonly fingerprint: string
  readonly response: string | undefined
  readonly expiresAt: number
}

interface State {
  readonly events: ReadonlyMap<CommunityId, ReadonlyArray<StoredEvent>>
  readonly keys: ReadonlyMap<string, KeyEntry>
}

/** Rules the store can be told to break. */
export interface Faults {
  /** Key entries by `key` alone, not by community and subject. */
  readonly keyOnly?: boolean
  /** Keep at most this many keys, evicting the oldest. */
  readonly evictAbove?: number
  /** Treat a key expiring exactly at `now` as still valid. */
  readonly expiryExclusive?: boolean
  /** Compare keys case-insensitively. */
  readonly caseInsensitive?: boolean
  /** Purge newest first. */
  readonly purgeNewestFirst?: boolean
}

let stores = 0

const scopeId = (scope: IdempotencyScope, faults: Faults): string => {
  const key = faults.caseInsensitive === true ? scope.key.toLowerCase() : scope.key
  return faults.keyOnly === true ? JSON.stringify([key]) : JSON.stringify([scope.communityId, scope.subject, key])
}

/** A fresh, empty kernel store. */
export const makeReferenceKernel = (faults: Faults = {}): Effect.Effect<Context.Context<KernelStorage>> =>
  Effect.gen(function* () {
    const committed = yield* Ref.make<State>({ events: new Map(), keys: new Map() })
    const current = Context.Reference<Option.Option<Ref.Ref<State>>>(
      `@commonweal/testing/ReferenceKernel/${++stores}`,
      { defaultValue: () => Option.none() }
    )
    const lock = yield* Semaphore.make(1)

    const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.flatMap(current, (tx) =>
        Option.isSome(tx)
          ? effect
          : lock.withPermits(1)(
              Effect.gen(function* () {
                const working = yield* Ref.make(yield* Ref.get(committed))
                const result = yield* Effect.provideService(effect, current, Option.some(working))
                yield* Effect.uninterruptible(Effect.flatMap(Ref.get(working), (next) => Ref.set(committed, next)))
                return result
              })
            )
      )

    const write = <A>(change: (state: State) => readonly [A, State]): Effect.Effect<A> =>
      withTransaction(
        Effect.flatMap(current, (tx) =>
          Ref.modify(
            Option.getOrElse(tx, () => committed),
            change
          )
        )
      )

    const read = <A>(f: (state: State) => A): Effect.Effect<A> =>
      Effect.flatMap(current, (tx) => Effect.map(Ref.get(Option.getOrElse(tx, () => committed)), f))

    const outbox: Outbox["Service"] = {
      append: (events) =>
        events.length === 0
          ? Effect.void
          : write((state) => {
              const next = new Map(state.events)
              for (const event of events) {
                const log = next.get(event.communityId) ?? []
                next.set(event.communityId, [...log, { ...event, sequence: log.length + 1 }])
              }
              return [undefined, { ...state, events: next }] as const
            }),
      list: (communityId, afterSequence, limit) =>
        read((state) =>
          (state.events.get(communityId) ?? []).filter((e) => e.sequence > afterSequence).slice(0, Math.max(limit, 0))
        )
    }

    const keys: IdempotencyKeys["Service"] = {
      claim: ({ scope, fingerprint, now, expiresAt }) =>
        write((state): readonly [IdempotencyClaim, State] => {
          const id = scopeId(scope, faults)
          const found = state.keys.get(id)
          const live =
            found !== undefined && (faults.expiryExclusive === true ? found.expiresAt >= now : found.expiresAt > now)
          // a live key with an answer is replayed or refused; one without an answer is free again
          if (found !== undefined && live && found.response !== undefined) {
            if (found.fingerprint !== fingerprint) return [{ _tag: "Mismatch" }, state]
            return [{ _tag: "Completed", response: found.response }, state]
          }
          const next = new Map(state.keys)
          next.delete(id)
          next.set(id, { fingerprint, response: undefined, expiresAt })
          if (faults.evictAbove !== undefined) {
            for (const old of next.keys()) {
              if (next.size <= faults.evictAbove) break
              next.delete(old)
            }
          }
          return [{ _tag: "Claimed" }, { ...state, keys: next }]
        }),
      complete: (scope, fingerprint, response) =>
        write((state) => {
          const id = scopeId(scope, faults)
          const found = state.keys.get(id)
          if (found === undefined || found.fingerprint !== fingerprint) return [undefined, state] as const
          const next = new Map(state.keys)
          next.set(id, { ...found, response })
          return [undefined, { ...state, keys: next }] as const
        }),
      purgeExpired: (now, limit) =>
        write((state) => {
          const expired = [...state.keys.entries()]
            .filter(([, entry]) => entry.expiresAt <= now)
            .sort(([, a], [, b]) =>
              faults.purgeNewestFirst === true ? b.expiresAt - a.expiresAt : a.expiresAt - b.expiresAt
            )
            .slice(0, Math.max(limit, 0))
          const next = new Map(state.keys)
          for (const [id] of expired) next.delete(id)
          return [expired.length, { ...state, keys: next }] as const
        })
    }

    return Context.make(Transactor, { withTransaction }).pipe(
      Context.add(Outbox, outbox),
      Context.add(IdempotencyKeys, keys)
    )
  })

/** The kernel's ports over a fresh reference store, one per build. */
export const referenceKernelLayer = (faults: Faults = {}): Layer.Layer<KernelStorage> =>
  Layer.effectContext(makeReferenceKernel(faults))
