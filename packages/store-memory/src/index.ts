/**
 * `@commonweal/store-memory`: the reference in-memory adapter for every commonweal storage port.
 *
 * It keeps the whole store as one immutable value in a `Ref` and gives it real transaction
 * semantics, so it behaves like the SQL adapters in every test and example that uses it:
 *
 * - `withTransaction` takes a single-permit lock (writers are serialized), runs the effect on a
 *   private working copy carried by a `Context.Reference` (one per store), and publishes the copy only when the effect
 *   succeeds. Failure, defect and interruption discard it: nothing written inside is kept.
 * - Nested `withTransaction` calls (and fibers forked inside a transaction, which inherit their parent's
 *   context) see the reference and join the outer transaction; only the outermost one publishes.
 * - A write outside a transaction runs as a one-call transaction, so it is atomic and is never
 *   lost to, or undone by, a concurrent transaction.
 * - Reads outside a transaction see the last published state (no dirty reads); reads inside one
 *   see its own writes.
 *
 * Its state lives in memory only: every build of {@link MemoryStore.layer} is a fresh, empty store.
 *
 * Caveat: an effect inside a transaction must not wait for a write made by a fiber that does not
 * inherit the transaction (e.g. a fiber started with `Effect.runFork`): that write waits for the lock, which the
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
  ResidentQuery,
  StoragePorts,
  StoredEvent
} from "@commonweal/core"
import type { Paging } from "@commonweal/core"
import { Chunk, Context, Effect, HashMap, Layer, Option, Ref, Result, Semaphore } from "effect"

/**
 * The residents of one community, ordered by id (the order of search results and cursors): an
 * immutable array sorted by id (`<` on the strings, as `Order.string`), replaced on every write.
 * Lookups and cursor positions are binary searches.
 */
type ResidentList = ReadonlyArray<Resident>

/** The whole store: one immutable value, replaced as a whole on every commit. */
interface State {
  readonly communities: HashMap.HashMap<CommunityId, Community>
  /** Residents by community, each community's ordered by id. */
  readonly residents: HashMap.HashMap<CommunityId, ResidentList>
  /** Outbox events by community, in sequence order; a community's sequences are 1, 2, 3 … */
  readonly events: HashMap.HashMap<CommunityId, Chunk.Chunk<StoredEvent>>
}

const emptyList: ResidentList = []

const emptyState: State = {
  communities: HashMap.empty(),
  residents: HashMap.empty(),
  events: HashMap.empty()
}

/** The position of the first resident whose id is not below `id` (`strict`: above `id`). */
const positionOf = (list: ResidentList, id: string, strict = false): number => {
  let low = 0
  let high = list.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const at = list[middle]!.id
    if (at < id || (strict && at === id)) low = middle + 1
    else high = middle
  }
  return low
}

/** The resident with this id in the list, if any. */
const findResident = (list: ResidentList, id: string): Option.Option<Resident> => {
  const found = list[positionOf(list, id)]
  return found !== undefined && found.id === id ? Option.some(found) : Option.none()
}

/** The list with `resident` in its place: replacing the one with the same id, or inserted in order. */
const withResident = (list: ResidentList, resident: Resident): ResidentList => {
  const i = positionOf(list, resident.id)
  const next = list.slice()
  next.splice(i, list[i]?.id === resident.id ? 1 : 0, resident)
  return next
}

/** The result of a pure state change: a value and the next state, or an error and no change. */
type Change<A, E> = Result.Result<readonly [A, State], E>

/** Tells one store's transaction reference from another's (each store has its own key). */
let storeCount = 0

/** Whether a resident matches every filter of the query (`ResidentQuery`'s JSDoc is the contract). */
export const matchesQuery =
  (query: ResidentQuery) =>
  (r: Resident): boolean => {
    if (r.communityId !== query.communityId) return false
    if (r.status === "erased" || !query.statuses.includes(r.status)) return false
    if (query.grid !== undefined && r.grid !== query.grid) return false
    if (query.tag !== undefined && !r.tags.includes(query.tag)) return false
    const { language, dialect } = query
    if (language !== undefined || dialect !== undefined) {
      const spoken = r.languages.some(
        (l) => (language === undefined || l.language === language) && (dialect === undefined || l.dialect === dialect)
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
    )
      return false
    if (
      query.selfOrWardsOf !== undefined &&
      r.id !== query.selfOrWardsOf &&
      !r.guardianIds.includes(query.selfOrWardsOf)
    ) {
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

  /** Applies a pure change atomically: in the current transaction, or as a one-call transaction. */
  const write = <A, E>(change: (state: State) => Change<A, E>): Effect.Effect<A, E> =>
    withTransaction(
      Effect.flatMap(current, (tx) =>
        Effect.flatten(
          Ref.modify(
            Option.getOrElse(tx, () => committed),
            (state): readonly [Effect.Effect<A, E>, State] => {
              const result = change(state)
              return Result.isFailure(result)
                ? [Effect.fail(result.failure), state]
                : [Effect.succeed(result.success[0]), result.success[1]]
            }
          )
        )
      )
    )

  /** Reads the current transaction's state, or the last published state outside one. */
  const read = <A>(f: (state: State) => A): Effect.Effect<A> =>
    Effect.flatMap(current, (tx) => Effect.map(Ref.get(Option.getOrElse(tx, () => committed)), f))

  const residentsOf = (state: State, communityId: CommunityId): ResidentList =>
    Option.getOrElse(HashMap.get(state.residents, communityId), () => emptyList)

  const putResident = (state: State, resident: Resident): State => ({
    ...state,
    residents: HashMap.set(
      state.residents,
      resident.communityId,
      withResident(residentsOf(state, resident.communityId), resident)
    )
  })

  const residentRepo: ResidentRepo["Service"] = {
    insert: (resident) =>
      write((state) =>
        Option.isSome(findResident(residentsOf(state, resident.communityId), resident.id))
          ? Result.fail(Conflict.duplicate("Resident", resident.id))
          : Result.succeed([undefined, putResident(state, resident)] as const)
      ),
    update: (resident) =>
      write((state) => {
        const stored = findResident(residentsOf(state, resident.communityId), resident.id)
        return Option.isSome(stored) && stored.value.version === resident.version - 1
          ? Result.succeed([undefined, putResident(state, resident)] as const)
          : Result.fail(Conflict.stale("Resident", resident.id))
      }),
    // transactions are serialized by the store's lock, so a check of the version is enough
    lock: (communityId, id, version) =>
      Effect.flatMap(
        read((state) => findResident(residentsOf(state, communityId), id)),
        (stored) =>
          Option.isSome(stored) && stored.value.version === version
            ? Effect.void
            : Effect.fail(Conflict.stale("Resident", id))
      ),
    findById: (communityId, id) => read((state) => findResident(residentsOf(state, communityId), id)),
    search: (query, window: Paging.Window) =>
      read((state) => {
        const list = residentsOf(state, query.communityId)
        const from = window.after === undefined ? 0 : positionOf(list, window.after, true)
        const matches = matchesQuery(query)
        const found: Array<Resident> = []
        if (window.limit < 1) return found
        for (let i = from; i < list.length; i++) {
          const r = list[i]!
          if (!matches(r)) continue
          found.push(r)
          if (found.length >= window.limit) break
        }
        return found
      })
  }

  const communityRepo: CommunityRepo["Service"] = {
    insert: (community) =>
      write((state) =>
        HashMap.has(state.communities, community.id)
          ? Result.fail(Conflict.duplicate("Community", community.id))
          : Result.succeed([
              undefined,
              { ...state, communities: HashMap.set(state.communities, community.id, community) }
            ] as const)
      ),
    findById: (id) => read((state) => HashMap.get(state.communities, id)),
    list: () =>
      read((state) =>
        Array.from(HashMap.values(state.communities)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      )
  }

  const outbox: Outbox["Service"] = {
    append: (events: ReadonlyArray<DomainEvent>) =>
      events.length === 0
        ? Effect.void
        : write((state) => {
            let byCommunity = state.events
            for (const event of events) {
              const log = Option.getOrElse(HashMap.get(byCommunity, event.communityId), () =>
                Chunk.empty<StoredEvent>()
              )
              // the log holds every sequence from 1, so its length is the last one
              const stored: StoredEvent = { ...event, sequence: Chunk.size(log) + 1 }
              byCommunity = HashMap.set(byCommunity, event.communityId, Chunk.append(log, stored))
            }
            return Result.succeed([undefined, { ...state, events: byCommunity }] as const)
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
