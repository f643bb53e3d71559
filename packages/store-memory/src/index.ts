/**
 * `@commonweal/store-memory`: the reference in-memory adapter for every commonweal storage port.
 *
 * It keeps the whole store as one immutable value in a `Ref` and gives it real transaction
 * semantics, so it behaves like the SQL adapters in every test and example that uses it:
 *
 * - `withTransaction` takes a single-permit lock (writers are serialized), runs the effect on a
 *   private working copy carried by a `FiberRef`, and publishes the copy only when the effect
 *   succeeds. Failure, defect and interruption discard it: nothing written inside is kept.
 * - Nested `withTransaction` calls (and fibers forked inside a transaction) see the `FiberRef`
 *   and join the outer transaction; only the outermost one publishes.
 * - A write outside a transaction runs as a one-call transaction, so it is atomic and is never
 *   lost to, or undone by, a concurrent transaction.
 * - Reads outside a transaction see the last published state (no dirty reads); reads inside one
 *   see its own writes.
 *
 * Its state lives in memory only: every build of {@link MemoryStore.layer} is a fresh, empty store.
 *
 * Caveat: an effect inside a transaction must not wait for a write made by a fiber that does not
 * inherit the transaction (e.g. `Effect.forkDaemon`): that write waits for the lock, which the
 * transaction holds.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ResidentRepo } from "@commonweal/core"
 * import { MemoryStore } from "@commonweal/store-memory"
 *
 * const program = Effect.gen(function* () {
 *   const residents = yield* ResidentRepo
 *   // …
 * }).pipe(Effect.provide(MemoryStore.layer))
 * ```
 *
 * @packageDocumentation
 */
import { CommunityRepo, Conflict, Outbox, ResidentRepo, Transactor } from "@commonweal/core"
import type {
  Community,
  CommunityId,
  DomainEvent,
  Resident,
  ResidentId,
  ResidentQuery,
  StoragePorts,
  StoredEvent
} from "@commonweal/core"
import type { Paging } from "@commonweal/core"
import { Chunk, Context, Effect, Either, FiberRef, HashMap, Layer, Option, Order, RedBlackTree, Ref } from "effect"

/** The residents of one community, ordered by id (the order of search results and cursors). */
type ResidentTree = RedBlackTree.RedBlackTree<string, Resident>

/** The whole store: one immutable value, replaced as a whole on every commit. */
interface State {
  readonly communities: HashMap.HashMap<CommunityId, Community>
  /** Residents by community, each community's ordered by id. */
  readonly residents: HashMap.HashMap<CommunityId, ResidentTree>
  /** Outbox events by community, in sequence order; a community's sequences are 1, 2, 3 … */
  readonly events: HashMap.HashMap<CommunityId, Chunk.Chunk<StoredEvent>>
}

const emptyTree: ResidentTree = RedBlackTree.empty<string, Resident>(Order.string)

const emptyState: State = {
  communities: HashMap.empty(),
  residents: HashMap.empty(),
  events: HashMap.empty()
}

/** The result of a pure state change: a value and the next state, or an error and no change. */
type Change<A, E> = Either.Either<readonly [A, State], E>

/** Whether a resident matches every filter of the query (`ResidentQuery`'s JSDoc is the contract). */
export const matchesQuery = (query: ResidentQuery) => (r: Resident): boolean => {
  if (r.communityId !== query.communityId) return false
  if (r.status === "erased" || !query.statuses.includes(r.status)) return false
  if (query.grid !== undefined && r.grid !== query.grid) return false
  if (query.tag !== undefined && !r.tags.includes(query.tag)) return false
  const { language, dialect } = query
  if (language !== undefined || dialect !== undefined) {
    const spoken = r.languages.some((l) =>
      (language === undefined || l.language === language) && (dialect === undefined || l.dialect === dialect)
    )
    if (!spoken) return false
  }
  if (query.homeProvince !== undefined && r.homePlace?.province !== query.homeProvince) return false
  if (query.skill !== undefined && !r.skills.includes(query.skill)) return false
  if (query.bornFrom !== undefined && (r.birthYear === null || r.birthYear < query.bornFrom)) return false
  if (query.bornTo !== undefined && (r.birthYear === null || r.birthYear > query.bornTo)) return false
  if (
    query.nameContains !== undefined &&
    !r.displayName.toLocaleLowerCase().includes(query.nameContains.toLocaleLowerCase())
  ) return false
  if (query.selfOrWardsOf !== undefined && r.id !== query.selfOrWardsOf && !r.guardianIds.includes(query.selfOrWardsOf)) {
    return false
  }
  return true
}

/**
 * Makes a fresh, empty in-memory store and returns every storage port over it. Each call is a
 * separate store; {@link MemoryStore.layer} calls it once per build.
 */
export const makeMemoryStore: Effect.Effect<Context.Context<StoragePorts>> = Effect.gen(function* () {
  const committed = yield* Ref.make(emptyState)
  /** The working state of the transaction the current fiber is in, if any. */
  const current = FiberRef.unsafeMake<Option.Option<Ref.Ref<State>>>(Option.none())
  const lock = yield* Effect.makeSemaphore(1)

  const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(FiberRef.get(current), (tx) =>
      Option.isSome(tx)
        ? effect // join the outer transaction
        : lock.withPermits(1)(
          Effect.gen(function* () {
            const working = yield* Ref.make(yield* Ref.get(committed))
            const result = yield* Effect.locally(effect, current, Option.some(working))
            // publish only on success; failure, defect and interruption never get here
            yield* Effect.uninterruptible(Effect.flatMap(Ref.get(working), (next) => Ref.set(committed, next)))
            return result
          })
        ))

  /** Applies a pure change atomically: in the current transaction, or as a one-call transaction. */
  const write = <A, E>(change: (state: State) => Change<A, E>): Effect.Effect<A, E> =>
    withTransaction(
      Effect.flatMap(FiberRef.get(current), (tx) =>
        Effect.flatten(
          Ref.modify(Option.getOrElse(tx, () => committed), (state): readonly [Either.Either<A, E>, State] => {
            const result = change(state)
            return Either.isLeft(result) ? [Either.left(result.left), state] : [Either.right(result.right[0]), result.right[1]]
          })
        )
      )
    )

  /** Reads the current transaction's state, or the last published state outside one. */
  const read = <A>(f: (state: State) => A): Effect.Effect<A> =>
    Effect.flatMap(FiberRef.get(current), (tx) => Effect.map(Ref.get(Option.getOrElse(tx, () => committed)), f))

  const residentsOf = (state: State, communityId: CommunityId): ResidentTree =>
    Option.getOrElse(HashMap.get(state.residents, communityId), () => emptyTree)

  const putResident = (state: State, resident: Resident): State => {
    const tree = residentsOf(state, resident.communityId)
    const without = RedBlackTree.has(tree, resident.id) ? RedBlackTree.removeFirst(tree, resident.id) : tree
    return {
      ...state,
      residents: HashMap.set(state.residents, resident.communityId, RedBlackTree.insert(without, resident.id, resident))
    }
  }

  const residentRepo: Context.Tag.Service<ResidentRepo> = {
    insert: (resident) =>
      write((state) =>
        Option.isSome(RedBlackTree.findFirst(residentsOf(state, resident.communityId), resident.id))
          ? Either.left(Conflict.duplicate("Resident", resident.id))
          : Either.right([undefined, putResident(state, resident)] as const)
      ),
    update: (resident) =>
      write((state) => {
        const stored = RedBlackTree.findFirst(residentsOf(state, resident.communityId), resident.id)
        return Option.isSome(stored) && stored.value.version === resident.version - 1
          ? Either.right([undefined, putResident(state, resident)] as const)
          : Either.left(Conflict.stale("Resident", resident.id))
      }),
    // transactions are serialized by the store's lock, so a check of the version is enough
    lock: (communityId, id, version) =>
      Effect.flatMap(
        read((state) => RedBlackTree.findFirst(residentsOf(state, communityId), id)),
        (stored) =>
          Option.isSome(stored) && stored.value.version === version ? Effect.void : Effect.fail(Conflict.stale("Resident", id))
      ),
    findById: (communityId, id) => read((state) => RedBlackTree.findFirst(residentsOf(state, communityId), id)),
    search: (query, window: Paging.Window) =>
      read((state) => {
        const tree = residentsOf(state, query.communityId)
        const candidates = window.after === undefined
          ? RedBlackTree.values(tree)
          : Array.from(RedBlackTree.greaterThan(tree, window.after), ([, r]) => r)
        const matches = matchesQuery(query)
        const found: Array<Resident> = []
        if (window.limit < 1) return found
        for (const r of candidates) {
          if (!matches(r)) continue
          found.push(r)
          if (found.length >= window.limit) break
        }
        return found
      })
  }

  const communityRepo: Context.Tag.Service<CommunityRepo> = {
    insert: (community) =>
      write((state) =>
        HashMap.has(state.communities, community.id)
          ? Either.left(Conflict.duplicate("Community", community.id))
          : Either.right([undefined, { ...state, communities: HashMap.set(state.communities, community.id, community) }] as const)
      ),
    findById: (id) => read((state) => HashMap.get(state.communities, id)),
    list: () =>
      read((state) =>
        Array.from(HashMap.values(state.communities)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      )
  }

  const outbox: Context.Tag.Service<Outbox> = {
    append: (events: ReadonlyArray<DomainEvent>) =>
      events.length === 0 ? Effect.void : write((state) => {
        let byCommunity = state.events
        for (const event of events) {
          const log = Option.getOrElse(HashMap.get(byCommunity, event.communityId), () => Chunk.empty<StoredEvent>())
          // the log holds every sequence from 1, so its length is the last one
          const stored: StoredEvent = { ...event, sequence: Chunk.size(log) + 1 }
          byCommunity = HashMap.set(byCommunity, event.communityId, Chunk.append(log, stored))
        }
        return Either.right([undefined, { ...state, events: byCommunity }] as const)
      }),
    list: (communityId, afterSequence, limit) =>
      read((state) => {
        const log = Option.getOrElse(HashMap.get(state.events, communityId), () => Chunk.empty<StoredEvent>())
        const found: Array<StoredEvent> = []
        if (limit < 1) return found
        for (const event of log) {
          if (event.sequence <= afterSequence) continue
          found.push(event)
          if (found.length >= limit) break
        }
        return found
      })
  }

  return Context.make(Transactor, { withTransaction }).pipe(
    Context.add(ResidentRepo, residentRepo),
    Context.add(CommunityRepo, communityRepo),
    Context.add(Outbox, outbox)
  )
})

/** The in-memory store. */
export const MemoryStore: {
  /** Every storage port over a fresh, empty in-memory store (one per build of the layer). */
  readonly layer: Layer.Layer<StoragePorts>
} = {
  layer: Layer.effectContext(makeMemoryStore)
}

/** Every storage port over a fresh, empty in-memory store; the same as {@link MemoryStore.layer}. */
export const layer: Layer.Layer<StoragePorts> = MemoryStore.layer
