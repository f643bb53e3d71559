/**
 * The transactional machinery of the in-memory store, which every port of every domain is built on.
 *
 * The store is one immutable value in a `Ref`: a map from {@link Slot} to the slot's immutable
 * state. Domains (and the kernel's own ports) declare their slots and change them only through
 * {@link MemoryKernel}'s `read` and `write`, which give them real transaction semantics:
 *
 * - `withTransaction` takes a single-permit lock (transactions are serialized), runs the effect
 *   on a private working copy carried by a `Context.Reference` of this store only, and publishes
 *   the copy only when the effect succeeds. Failure, defect and interruption discard it: nothing
 *   written inside is kept.
 * - Nested `withTransaction` calls (and fibers forked inside a transaction, which inherit their
 *   parent's context) see the reference and join the outer transaction; only the outermost one
 *   publishes. A transaction of another store is not joined.
 * - A write outside a transaction runs as a one-call transaction, so it is atomic and is never
 *   lost to, or undone by, a concurrent transaction (it waits for the lock).
 * - Reads outside a transaction see the last published state (no dirty reads); reads inside one
 *   see its own writes.
 *
 * Caveat: an effect inside a transaction must not wait for a write made by a fiber that does not
 * inherit the transaction (e.g. a fiber started with `Effect.runFork`): that write waits for the
 * lock, which the transaction holds.
 *
 * @module
 */
import { IdempotencyKeys, Outbox, Transactor } from "@commonweal/core"
import type { KernelStorage } from "@commonweal/core"
import { Context, Effect, Layer, Option, Ref, Result, Semaphore } from "effect"
import { makeIdempotencyKeys } from "./IdempotencyKeys.js"
import { makeOutbox } from "./Outbox.js"
import { type Slot, type SlotChange, slot } from "./Slot.js"
import { makeTransactor } from "./Transactor.js"

/** The whole store: every slot's state (a slot not yet written has its initial value). Replaced as a whole on every write. */
type State = ReadonlyMap<Slot<unknown>, unknown>

/** A slot's value in `state`. */
const slotValue = <S>(state: State, at: Slot<S>): S => (state.has(at) ? (state.get(at) as S) : at.initial)

/** `state` with the slot's value replaced (the same state when the value did not change). */
const withValue = <S>(state: State, at: Slot<S>, value: S): State =>
  state.has(at) && Object.is(state.get(at), value) ? state : new Map(state).set(at, value)

/** Tells one store's transaction reference from another's (each store has its own key). */
let storeCount = 0

/** What the kernel gives the ports built on it; see {@link MemoryKernel}. */
export interface MemoryKernelService {
  /**
   * Runs `effect` in a transaction of this store: commit on success, roll back on failure,
   * defect or interruption; joins the current transaction of this store, if any.
   */
  readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Reads a slot: the current transaction's working copy, or the last published state outside one. */
  readonly read: <S, A>(at: Slot<S>, f: (state: S) => A) => Effect.Effect<A>
  /**
   * Applies a pure change to a slot atomically: in the current transaction, or, outside one, as a
   * one-call transaction (which waits for any transaction in progress). A failed change changes nothing.
   */
  readonly write: <S, A, E>(at: Slot<S>, change: SlotChange<S, A, E>) => Effect.Effect<A, E>
}

/**
 * Makes a fresh, empty store's kernel. Each run is a separate store with its own lock and its own
 * transaction reference.
 */
const make: Effect.Effect<MemoryKernelService> = Effect.gen(function* () {
  const committed = yield* Ref.make<State>(new Map())
  /**
   * The working state of the transaction the current fiber is in, if any. A reference of this
   * store only (its key is unique), so a transaction of another store is not joined.
   */
  const current = Context.Reference<Option.Option<Ref.Ref<State>>>(
    `@commonweal/store-memory/CurrentTransaction/${++storeCount}/${Math.random().toString(36).slice(2)}`,
    { defaultValue: () => Option.none() }
  )
  const lock = yield* Semaphore.make(1)

  const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(current, (tx) =>
      Option.isSome(tx)
        ? effect // join the outer transaction
        : lock.withPermits(1)(
            Effect.gen(function* () {
              const working = yield* Ref.make(yield* Ref.get(committed))
              const result = yield* Effect.provideService(effect, current, Option.some(working))
              // publish only on success; failure, defect and interruption never get here
              yield* Effect.uninterruptible(Effect.flatMap(Ref.get(working), (next) => Ref.set(committed, next)))
              return result
            })
          )
    )

  const write = <S, A, E>(at: Slot<S>, change: SlotChange<S, A, E>): Effect.Effect<A, E> =>
    withTransaction(
      Effect.flatMap(current, (tx) =>
        Effect.flatten(
          Ref.modify(
            Option.getOrElse(tx, () => committed),
            (state): readonly [Effect.Effect<A, E>, State] => {
              const result = change(slotValue(state, at))
              return Result.isFailure(result)
                ? [Effect.fail(result.failure), state]
                : [Effect.succeed(result.success[0]), withValue(state, at, result.success[1])]
            }
          )
        )
      )
    )

  const read = <S, A>(at: Slot<S>, f: (state: S) => A): Effect.Effect<A> =>
    Effect.flatMap(current, (tx) =>
      Effect.map(Ref.get(Option.getOrElse(tx, () => committed)), (s) => f(slotValue(s, at)))
    )

  return { withTransaction, read, write }
})

/**
 * The in-memory store's kernel: transactions over named {@link Slot}s of immutable state. Every
 * port of the adapter (the kernel's `Transactor`, `Outbox` and `IdempotencyKeys`, and each
 * domain's repositories) is built on it; a domain declares its slots and needs nothing else.
 *
 * A domain's port is a function of the kernel, and its layer needs only the kernel:
 * `Layer.effect(BookRepo, MemoryKernel.useSync(makeBookRepo))` (the package README shows one).
 *
 * @example
 * ```ts
 * import { Effect, HashMap, Option, Result } from "effect"
 * import type { CommunityId } from "@commonweal/core"
 * import { MemoryKernel } from "@commonweal/store-memory"
 *
 * // a domain's state: visits counted per community
 * const visits = MemoryKernel.slot("visits", HashMap.empty<CommunityId, number>())
 *
 * const countBoth = (a: CommunityId, b: CommunityId) =>
 *   Effect.gen(function* () {
 *     const kernel = yield* MemoryKernel
 *     const count = (communityId: CommunityId) =>
 *       kernel.write(visits, (all) => {
 *         const next = Option.getOrElse(HashMap.get(all, communityId), () => 0) + 1
 *         return Result.succeed([next, HashMap.set(all, communityId, next)] as const)
 *       })
 *     // both count, or (when the transaction fails) neither does
 *     yield* kernel.withTransaction(Effect.andThen(count(a), count(b)))
 *     return yield* kernel.read(visits, (all) => HashMap.get(all, a))
 *   }).pipe(Effect.provide(MemoryKernel.layer))
 * ```
 */
export class MemoryKernel extends Context.Service<MemoryKernel, MemoryKernelService>()(
  "@commonweal/store-memory/MemoryKernel"
) {
  /**
   * Declares a slot of state: its name (for diagnostics) and its value in a fresh store. Call it
   * once per slot, at the top level of the module that owns it: the slot object is the key, so
   * each call makes a distinct slot, even with the same name.
   */
  static readonly slot: <S>(name: string, initial: S) => Slot<S> = slot

  /** A fresh, empty store's kernel (each run is a separate store). */
  static readonly make: Effect.Effect<MemoryKernelService> = make

  /**
   * A fresh, empty store (one per build of the layer): the kernel itself, for the domains' layers
   * to build on, and the kernel's storage ports over it (`Transactor`, `Outbox`, `IdempotencyKeys`).
   */
  static readonly layer: Layer.Layer<MemoryKernel | KernelStorage> = Layer.effectContext(
    Effect.map(make, (kernel) =>
      Context.make(MemoryKernel, kernel).pipe(
        Context.add(Transactor, makeTransactor(kernel)),
        Context.add(Outbox, makeOutbox(kernel)),
        Context.add(IdempotencyKeys, makeIdempotencyKeys(kernel))
      )
    )
  )
}
