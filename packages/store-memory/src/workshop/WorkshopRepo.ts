/**
 * The in-memory `WorkshopRepo`: each community's workshop (settings, factories, products, work
 * orders, workers, movements, pay lines, pay periods, invoices) as one immutable record, in the
 * kernel's transactions.
 *
 * Every write is one pure change of the community's record, checked before anything is kept: a
 * duplicate (an id, a product's SKU, a worker's resident, an invoice's number) or a stored version
 * that is not `version - 1` is `Conflict` and changes nothing (in a transaction, the kernel then
 * rolls the rest back); a batch of movements or pay lines goes in whole or not at all. Factories,
 * products, orders, workers, periods and invoices are kept in id order; movements and pay lines
 * in `timedKey` order beside their keys, so a page is a binary search and a scan, and a time range
 * (`from`, `to`) is a slice. Movements, which grow to the millions, are also kept per order and
 * per worker (in the same order), so a list or the totals of one order or one worker scan only
 * its own movements.
 *
 * @module
 */
import { Conflict, timedKey } from "@commonweal/core"
import type {
  CommunityId,
  Factory,
  FactoryId,
  Invoice,
  InvoiceId,
  InvoiceQuery,
  Movement,
  MovementQuery,
  MovementTotal,
  PayLine,
  PayLineId,
  PayLineQuery,
  PayLineTotal,
  PayPeriod,
  PayPeriodId,
  ResidentId,
  TransferId,
  Worker,
  WorkerId,
  WorkOrder,
  WorkOrderId,
  WorkOrderQuery,
  WorkProduct,
  WorkProductId,
  WorkshopRepo,
  WorkshopSettings
} from "@commonweal/core"
import { HashMap, Option, Result, type Effect } from "effect"
import { type MemoryKernelService, slot } from "../kernel/index.js"

/** Records in `timedKey` order, beside their keys (same positions). */
interface Sorted<A> {
  readonly order: ReadonlyArray<A>
  readonly keys: ReadonlyArray<string>
}

/** Records kept in `timedKey` order (movements, pay lines), and by id. */
interface Timed<A> extends Sorted<A> {
  readonly byId: HashMap.HashMap<string, A>
}

/** One community's workshop. */
interface CommunityWorkshop {
  readonly settings: WorkshopSettings | undefined
  /** Ordered by id. */
  readonly factories: ReadonlyArray<Factory>
  /** Ordered by id. */
  readonly products: ReadonlyArray<WorkProduct>
  /** SKU → the product with it. */
  readonly skus: HashMap.HashMap<string, WorkProductId>
  /** Ordered by id. */
  readonly orders: ReadonlyArray<WorkOrder>
  /** Ordered by id. */
  readonly workers: ReadonlyArray<Worker>
  /** Resident → the worker who is that resident. */
  readonly byResident: HashMap.HashMap<ResidentId, WorkerId>
  readonly movements: Timed<Movement>
  /** Each order's movements (what most lists and totals of movements ask for). */
  readonly movementsByOrder: HashMap.HashMap<WorkOrderId, Sorted<Movement>>
  /** Each worker's movements. */
  readonly movementsByWorker: HashMap.HashMap<WorkerId, Sorted<Movement>>
  readonly payLines: Timed<PayLine>
  /** Ordered by id. */
  readonly periods: ReadonlyArray<PayPeriod>
  /** Ordered by id. */
  readonly invoices: ReadonlyArray<Invoice>
  /** Invoice number → the invoice with it. */
  readonly numbers: HashMap.HashMap<string, InvoiceId>
}

const emptySorted: Sorted<never> = { order: [], keys: [] }
const emptyTimed: Timed<never> = { ...emptySorted, byId: HashMap.empty() }

const emptyWorkshop: CommunityWorkshop = {
  settings: undefined,
  factories: [],
  products: [],
  skus: HashMap.empty(),
  orders: [],
  workers: [],
  byResident: HashMap.empty(),
  movements: emptyTimed,
  movementsByOrder: HashMap.empty(),
  movementsByWorker: HashMap.empty(),
  payLines: emptyTimed,
  periods: [],
  invoices: [],
  numbers: HashMap.empty()
}

type Workshops = HashMap.HashMap<CommunityId, CommunityWorkshop>

/** Every community's workshop. */
const workshops = slot("workshop", HashMap.empty<CommunityId, CommunityWorkshop>())

const workshopOf = (all: Workshops, communityId: CommunityId): CommunityWorkshop =>
  Option.getOrElse(HashMap.get(all, communityId), () => emptyWorkshop)

/** The position of the first item whose key is not below `key` (`strict`: above it) in a list ascending by key. */
const positionBy = <A>(list: ReadonlyArray<A>, keyOf: (a: A) => string, key: string, strict = false): number => {
  let low = 0
  let high = list.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const at = keyOf(list[middle]!)
    if (at < key || (strict && at === key)) low = middle + 1
    else high = middle
  }
  return low
}

const byId = (a: { readonly id: string }): string => a.id
const itself = (s: string): string => s

/** The item with this key in a list ascending by key, if any. */
const findBy = <A>(list: ReadonlyArray<A>, keyOf: (a: A) => string, key: string): Option.Option<A> => {
  const found = list[positionBy(list, keyOf, key)]
  return found !== undefined && keyOf(found) === key ? Option.some(found) : Option.none()
}

/** The list with `item` in its place: replacing the one with the same key, or inserted in order. */
const placed = <A>(list: ReadonlyArray<A>, keyOf: (a: A) => string, item: A): ReadonlyArray<A> => {
  const key = keyOf(item)
  const i = positionBy(list, keyOf, key)
  const next = list.slice()
  next.splice(i, list[i] !== undefined && keyOf(list[i]!) === key ? 1 : 0, item)
  return next
}

/** The items of a list ascending by id after `window.after` that `keep` keeps, at most `window.limit` of them. */
const page = <A extends { readonly id: string }>(
  list: ReadonlyArray<A>,
  window: { readonly after: string | undefined; readonly limit: number },
  keep: (a: A) => boolean = () => true
): ReadonlyArray<A> => {
  const found: Array<A> = []
  if (!(window.limit >= 1)) return found
  const start = window.after === undefined ? 0 : positionBy(list, byId, window.after, true)
  for (let i = start; i < list.length && found.length < window.limit; i++) {
    const item = list[i]!
    if (keep(item)) found.push(item)
  }
  return found
}

/** `sorted` with `items` added. */
const addSorted = <A extends { readonly id: string; readonly occurredAt: number }>(
  sorted: Sorted<A>,
  items: ReadonlyArray<A>
): Sorted<A> => {
  const order = sorted.order.slice()
  const keys = sorted.keys.slice()
  for (const item of items) {
    const key = timedKey(item)
    const last = keys[keys.length - 1]
    // records mostly arrive in time order: appending is the common case
    const i = last === undefined || last < key ? keys.length : positionBy(keys, itself, key)
    order.splice(i, 0, item)
    keys.splice(i, 0, key)
  }
  return { order, keys }
}

/** `timed` with `items` added (their ids are new: the caller checked). */
const addTimed = <A extends { readonly id: string; readonly occurredAt: number }>(
  timed: Timed<A>,
  items: ReadonlyArray<A>
): Timed<A> => {
  let byId = timed.byId
  for (const item of items) byId = HashMap.set(byId, item.id, item)
  return { ...addSorted(timed, items), byId }
}

/** `index` with each group of `items` (by `keyOf`, skipping `null`) added to its list. */
const addGrouped = <K extends string, A extends { readonly id: string; readonly occurredAt: number }>(
  index: HashMap.HashMap<K, Sorted<A>>,
  items: ReadonlyArray<A>,
  keyOf: (a: A) => K | null
): HashMap.HashMap<K, Sorted<A>> => {
  const groups = new Map<K, Array<A>>()
  for (const item of items) {
    const key = keyOf(item)
    if (key === null) continue
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  let next = index
  for (const [key, group] of groups) {
    const sorted = Option.getOrElse(HashMap.get(next, key), () => emptySorted as Sorted<A>)
    next = HashMap.set(next, key, addSorted(sorted, group))
  }
  return next
}

/** `timed` with `item` replacing the stored record of its id (moved if its time changed). */
const replaceTimed = <A extends { readonly id: string; readonly occurredAt: number }>(
  timed: Timed<A>,
  stored: A,
  item: A
): Timed<A> => {
  const order = timed.order.slice()
  const keys = timed.keys.slice()
  const oldKey = timedKey(stored)
  const newKey = timedKey(item)
  const at = positionBy(keys, itself, oldKey)
  if (oldKey === newKey) {
    order[at] = item
  } else {
    order.splice(at, 1)
    keys.splice(at, 1)
    const i = positionBy(keys, itself, newKey)
    order.splice(i, 0, item)
    keys.splice(i, 0, newKey)
  }
  return { byId: HashMap.set(timed.byId, item.id, item), order, keys }
}

/** Where a time range `[from, to)` starts and ends in `keys` (after the cursor `after`, if any). */
const timedRange = (
  keys: ReadonlyArray<string>,
  after: string | undefined,
  from: number | undefined,
  to: number | undefined
): readonly [number, number] => {
  let start = after === undefined ? 0 : positionBy(keys, itself, after, true)
  // the empty id sorts before every id of the same time
  if (from !== undefined) start = Math.max(start, positionBy(keys, itself, timedKey({ occurredAt: from, id: "" })))
  const end = to === undefined ? keys.length : positionBy(keys, itself, timedKey({ occurredAt: to, id: "" }))
  return [start, end]
}

/** Compares nullable texts, `null` first, then by code unit. */
const compareText = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1

const movementMatches = (query: MovementQuery) => (m: Movement) =>
  (query.orderId === undefined || m.orderId === query.orderId) &&
  (query.workerId === undefined || m.workerId === query.workerId) &&
  (query.kind === undefined || m.kind === query.kind)

const payLineMatches = (query: PayLineQuery) => (l: PayLine) =>
  (query.workerId === undefined || l.workerId === query.workerId) &&
  (query.status === undefined || l.status === query.status) &&
  (query.periodId === undefined || l.periodId === query.periodId) &&
  (query.unpaid !== true || l.periodId === null)

/** The port's order of movement totals: by order, worker (`null` first), kind. */
const compareMovementTotals = (a: MovementTotal, b: MovementTotal): number =>
  compareText(a.orderId, b.orderId) || compareText(a.workerId, b.workerId) || compareText(a.kind, b.kind)

/** The port's order of pay-line totals: by worker, order (`null` first), kind. */
const comparePayLineTotals = (a: PayLineTotal, b: PayLineTotal): number =>
  compareText(a.workerId, b.workerId) || compareText(a.orderId, b.orderId) || compareText(a.kind, b.kind)

/**
 * The narrowest list that holds every movement of `query`: the order's, else the worker's, else
 * all of them (the caller still filters by the rest of the query).
 */
const movementsOf = (w: CommunityWorkshop, query: MovementQuery): Sorted<Movement> => {
  const byOrder = query.orderId === undefined ? undefined : HashMap.get(w.movementsByOrder, query.orderId)
  const byWorker = query.workerId === undefined ? undefined : HashMap.get(w.movementsByWorker, query.workerId)
  if ((byOrder !== undefined && Option.isNone(byOrder)) || (byWorker !== undefined && Option.isNone(byWorker))) {
    return emptySorted
  }
  const candidates = [byOrder, byWorker].flatMap((o) => (o !== undefined && Option.isSome(o) ? [o.value] : []))
  return candidates.reduce<Sorted<Movement>>(
    (narrowest, list) => (list.order.length < narrowest.order.length ? list : narrowest),
    w.movements
  )
}

/** A change of one community's workshop: its next record, or the conflict that refuses it. */
type WorkshopChange<A = undefined> = (
  workshop: CommunityWorkshop
) => Result.Result<readonly [A, CommunityWorkshop], Conflict>

const done = (workshop: CommunityWorkshop): Result.Result<readonly [undefined, CommunityWorkshop], Conflict> =>
  Result.succeed([undefined, workshop] as const)

/** Replaces the record in `list` (by id) whose stored version is `version - 1`, else stale. */
const replaced = <A extends { readonly id: string; readonly version: number }>(
  list: ReadonlyArray<A>,
  item: A,
  entity: string
): Result.Result<ReadonlyArray<A>, Conflict> => {
  const stored = findBy(list, byId, item.id)
  return Option.isSome(stored) && stored.value.version === item.version - 1
    ? Result.succeed(placed(list, byId, item))
    : Result.fail(Conflict.stale(entity, item.id))
}

/** The ids of `items` that are repeated within them or already in `existing`: the first such id, if any. */
const firstDuplicate = <A extends { readonly id: string }>(
  items: ReadonlyArray<A>,
  existing: HashMap.HashMap<string, unknown>
): string | undefined => {
  const seen = new Set<string>()
  for (const item of items) {
    if (seen.has(item.id) || HashMap.has(existing, item.id)) return item.id
    seen.add(item.id)
  }
  return undefined
}

/** The `WorkshopRepo` port over a store's kernel. */
export const makeWorkshopRepo = (kernel: MemoryKernelService): WorkshopRepo["Service"] => {
  const read = <A>(communityId: CommunityId, f: (workshop: CommunityWorkshop) => A): Effect.Effect<A> =>
    kernel.read(workshops, (all) => f(workshopOf(all, communityId)))
  const write = <A>(communityId: CommunityId, change: WorkshopChange<A>): Effect.Effect<A, Conflict> =>
    kernel.write(workshops, (all) =>
      Result.map(change(workshopOf(all, communityId)), ([a, next]) => [a, HashMap.set(all, communityId, next)] as const)
    )
  /** A write that changes one list of the record (kept by id) and nothing else. */
  const update = <A extends { readonly id: string; readonly version: number; readonly communityId: CommunityId }>(
    item: A,
    entity: string,
    get: (w: CommunityWorkshop) => ReadonlyArray<A>,
    set: (w: CommunityWorkshop, list: ReadonlyArray<A>) => CommunityWorkshop
  ): Effect.Effect<void, Conflict> =>
    write(item.communityId, (w) => Result.flatMap(replaced(get(w), item, entity), (list) => done(set(w, list))))
  /** A write that inserts into one list of the record (kept by id), refusing an id it has. */
  const insert = <A extends { readonly id: string; readonly communityId: CommunityId }>(
    item: A,
    entity: string,
    get: (w: CommunityWorkshop) => ReadonlyArray<A>,
    set: (w: CommunityWorkshop, list: ReadonlyArray<A>) => CommunityWorkshop
  ): Effect.Effect<void, Conflict> =>
    write(item.communityId, (w) =>
      Option.isSome(findBy(get(w), byId, item.id))
        ? Result.fail(Conflict.duplicate(entity, item.id))
        : done(set(w, placed(get(w), byId, item)))
    )

  /** Inserts timed records, all or none, into each of their communities. */
  const insertTimed = <
    A extends { readonly id: string; readonly communityId: CommunityId; readonly occurredAt: number }
  >(
    items: ReadonlyArray<A>,
    entity: string,
    get: (w: CommunityWorkshop) => Timed<A>,
    set: (w: CommunityWorkshop, timed: Timed<A>, batch: ReadonlyArray<A>) => CommunityWorkshop
  ): Effect.Effect<void, Conflict> =>
    kernel.write(workshops, (all) => {
      // the port has a batch of one community; should it mix some, each gets its own
      const byCommunity = new Map<CommunityId, Array<A>>()
      for (const item of items) {
        const list = byCommunity.get(item.communityId)
        if (list === undefined) byCommunity.set(item.communityId, [item])
        else list.push(item)
      }
      let next = all
      for (const [communityId, batch] of byCommunity) {
        const w = workshopOf(next, communityId)
        const duplicate = firstDuplicate(batch, get(w).byId)
        if (duplicate !== undefined) return Result.fail(Conflict.duplicate(entity, duplicate))
        next = HashMap.set(next, communityId, set(w, addTimed(get(w), batch), batch))
      }
      return Result.succeed([undefined, next] as const)
    })

  return {
    settings: (communityId) => read(communityId, (w) => Option.fromUndefinedOr(w.settings)),
    putSettings: (settings) =>
      write(settings.communityId, (w) => {
        if (settings.version === 1) {
          return w.settings !== undefined
            ? Result.fail(Conflict.duplicate("WorkshopSettings", settings.communityId))
            : done({ ...w, settings })
        }
        return w.settings !== undefined && w.settings.version === settings.version - 1
          ? done({ ...w, settings })
          : Result.fail(Conflict.stale("WorkshopSettings", settings.communityId))
      }),

    insertFactory: (factory) =>
      insert(
        factory,
        "Factory",
        (w) => w.factories,
        (w, factories) => ({ ...w, factories })
      ),
    updateFactory: (factory) =>
      update(
        factory,
        "Factory",
        (w) => w.factories,
        (w, factories) => ({ ...w, factories })
      ),
    findFactory: (communityId, id: FactoryId) => read(communityId, (w) => findBy(w.factories, byId, id)),
    findFactoryBySubject: (communityId, subject) =>
      read(communityId, (w) => Option.fromUndefinedOr(w.factories.find((f) => f.subjects.includes(subject)))),
    listFactories: (communityId, window) => read(communityId, (w) => page(w.factories, window)),

    insertProduct: (product) =>
      write(product.communityId, (w) =>
        Option.isSome(findBy(w.products, byId, product.id)) || HashMap.has(w.skus, product.sku)
          ? Result.fail(Conflict.duplicate("WorkProduct", product.id))
          : done({
              ...w,
              products: placed(w.products, byId, product),
              skus: HashMap.set(w.skus, product.sku, product.id)
            })
      ),
    findProduct: (communityId, id: WorkProductId) => read(communityId, (w) => findBy(w.products, byId, id)),
    listProducts: (communityId, window) => read(communityId, (w) => page(w.products, window)),

    insertOrder: (order) =>
      insert(
        order,
        "WorkOrder",
        (w) => w.orders,
        (w, orders) => ({ ...w, orders })
      ),
    updateOrder: (order) =>
      update(
        order,
        "WorkOrder",
        (w) => w.orders,
        (w, orders) => ({ ...w, orders })
      ),
    findOrder: (communityId, id: WorkOrderId) => read(communityId, (w) => findBy(w.orders, byId, id)),
    listOrders: (communityId, query: WorkOrderQuery, window) =>
      read(communityId, (w) =>
        page(
          w.orders,
          window,
          (o) =>
            (query.factoryId === undefined || o.factoryId === query.factoryId) &&
            (query.status === undefined || o.status === query.status)
        )
      ),

    insertWorker: (worker) =>
      write(worker.communityId, (w) =>
        Option.isSome(findBy(w.workers, byId, worker.id)) || HashMap.has(w.byResident, worker.residentId)
          ? Result.fail(Conflict.duplicate("Worker", worker.id))
          : done({
              ...w,
              workers: placed(w.workers, byId, worker),
              byResident: HashMap.set(w.byResident, worker.residentId, worker.id)
            })
      ),
    updateWorker: (worker) =>
      write(worker.communityId, (w) => {
        const stored = findBy(w.workers, byId, worker.id)
        if (Option.isNone(stored) || stored.value.version !== worker.version - 1) {
          return Result.fail(Conflict.stale("Worker", worker.id))
        }
        // the resident is the worker's for good (no input changes it); should one change, it moves
        const owner = HashMap.get(w.byResident, worker.residentId)
        if (Option.isSome(owner) && owner.value !== worker.id) {
          return Result.fail(Conflict.duplicate("Worker", worker.id))
        }
        return done({
          ...w,
          workers: placed(w.workers, byId, worker),
          byResident: HashMap.set(HashMap.remove(w.byResident, stored.value.residentId), worker.residentId, worker.id)
        })
      }),
    findWorker: (communityId, id: WorkerId) => read(communityId, (w) => findBy(w.workers, byId, id)),
    findWorkerByResident: (communityId, residentId) =>
      read(communityId, (w) =>
        Option.flatMap(HashMap.get(w.byResident, residentId), (id) => findBy(w.workers, byId, id))
      ),
    listWorkers: (communityId, window) => read(communityId, (w) => page(w.workers, window)),

    insertMovements: (movements) =>
      insertTimed(
        movements,
        "Movement",
        (w) => w.movements,
        (w, movements, batch) => ({
          ...w,
          movements,
          movementsByOrder: addGrouped(w.movementsByOrder, batch, (m) => m.orderId),
          movementsByWorker: addGrouped(w.movementsByWorker, batch, (m) => m.workerId)
        })
      ),
    findMovement: (communityId, id: TransferId) => read(communityId, (w) => HashMap.get(w.movements.byId, id)),
    listMovements: (communityId, query, window) =>
      read(communityId, (w) => {
        const found: Array<Movement> = []
        if (!(window.limit >= 1)) return found
        const { order, keys } = movementsOf(w, query)
        const [start, end] = timedRange(keys, window.after, query.from, query.to)
        const keep = movementMatches(query)
        for (let i = start; i < end && found.length < window.limit; i++) {
          const m = order[i]!
          if (keep(m)) found.push(m)
        }
        return found
      }),
    movementTotals: (communityId, query) =>
      read(communityId, (w) => {
        const { order, keys } = movementsOf(w, query)
        const [start, end] = timedRange(keys, undefined, query.from, query.to)
        const keep = movementMatches(query)
        const groups = new Map<string, { -readonly [K in keyof MovementTotal]: MovementTotal[K] }>()
        for (let i = start; i < end; i++) {
          const m = order[i]!
          if (!keep(m)) continue
          const key = `${m.orderId}/${m.workerId ?? ""}/${m.kind}`
          const group = groups.get(key)
          if (group === undefined) {
            groups.set(key, {
              orderId: m.orderId,
              workerId: m.workerId,
              kind: m.kind,
              quantity: m.quantity,
              lastAt: m.occurredAt
            })
          } else {
            group.quantity += m.quantity
            group.lastAt = Math.max(group.lastAt, m.occurredAt)
          }
        }
        return [...groups.values()].sort(compareMovementTotals)
      }),

    insertPayLines: (lines) =>
      insertTimed(
        lines,
        "PayLine",
        (w) => w.payLines,
        (w, payLines) => ({ ...w, payLines })
      ),
    updatePayLine: (line) =>
      write(line.communityId, (w) => {
        const stored = HashMap.get(w.payLines.byId, line.id)
        return Option.isSome(stored) && stored.value.version === line.version - 1
          ? done({ ...w, payLines: replaceTimed(w.payLines, stored.value, line) })
          : Result.fail(Conflict.stale("PayLine", line.id))
      }),
    findPayLine: (communityId, id: PayLineId) => read(communityId, (w) => HashMap.get(w.payLines.byId, id)),
    listPayLines: (communityId, query, window) =>
      read(communityId, (w) => {
        const found: Array<PayLine> = []
        if (!(window.limit >= 1)) return found
        const { order, keys } = w.payLines
        const [start, end] = timedRange(keys, window.after, query.from, query.to)
        const keep = payLineMatches(query)
        for (let i = start; i < end && found.length < window.limit; i++) {
          const l = order[i]!
          if (keep(l)) found.push(l)
        }
        return found
      }),
    payLineTotals: (communityId, query) =>
      read(communityId, (w) => {
        const { order, keys } = w.payLines
        const [start, end] = timedRange(keys, undefined, query.from, query.to)
        const keep = payLineMatches(query)
        const groups = new Map<string, { -readonly [K in keyof PayLineTotal]: PayLineTotal[K] }>()
        for (let i = start; i < end; i++) {
          const l = order[i]!
          if (!keep(l)) continue
          const key = `${l.workerId}/${l.orderId ?? ""}/${l.kind}`
          const group = groups.get(key)
          if (group === undefined) {
            groups.set(key, {
              workerId: l.workerId,
              orderId: l.orderId,
              kind: l.kind,
              amountFen: l.amountFen,
              quantity: l.quantity ?? 0,
              lines: 1
            })
          } else {
            group.amountFen += l.amountFen
            group.quantity += l.quantity ?? 0
            group.lines += 1
          }
        }
        return [...groups.values()].sort(comparePayLineTotals)
      }),
    assignPeriod: (communityId, periodId: PayPeriodId, from, to) =>
      kernel.write(workshops, (all): Result.Result<readonly [number, Workshops]> => {
        const w = workshopOf(all, communityId)
        const { order, keys } = w.payLines
        const [start, end] = timedRange(keys, undefined, from, to)
        const next = order.slice()
        let byId = w.payLines.byId
        let count = 0
        for (let i = start; i < end; i++) {
          const l = order[i]!
          if (l.status !== "confirmed" || l.periodId !== null) continue
          const assigned: PayLine = { ...l, periodId, version: l.version + 1 }
          next[i] = assigned
          byId = HashMap.set(byId, l.id, assigned)
          count += 1
        }
        if (count === 0) return Result.succeed([0, all] as const)
        const payLines: Timed<PayLine> = { byId, order: next, keys }
        return Result.succeed([count, HashMap.set(all, communityId, { ...w, payLines })] as const)
      }),

    insertPeriod: (period) =>
      insert(
        period,
        "PayPeriod",
        (w) => w.periods,
        (w, periods) => ({ ...w, periods })
      ),
    updatePeriod: (period) =>
      update(
        period,
        "PayPeriod",
        (w) => w.periods,
        (w, periods) => ({ ...w, periods })
      ),
    findPeriod: (communityId, id) => read(communityId, (w) => findBy(w.periods, byId, id)),
    listPeriods: (communityId, window) => read(communityId, (w) => page(w.periods, window)),

    insertInvoice: (invoice) =>
      write(invoice.communityId, (w) =>
        Option.isSome(findBy(w.invoices, byId, invoice.id)) || HashMap.has(w.numbers, invoice.number)
          ? Result.fail(Conflict.duplicate("Invoice", invoice.id))
          : done({
              ...w,
              invoices: placed(w.invoices, byId, invoice),
              numbers: HashMap.set(w.numbers, invoice.number, invoice.id)
            })
      ),
    updateInvoice: (invoice) =>
      write(invoice.communityId, (w) => {
        const stored = findBy(w.invoices, byId, invoice.id)
        if (Option.isNone(stored) || stored.value.version !== invoice.version - 1) {
          return Result.fail(Conflict.stale("Invoice", invoice.id))
        }
        const owner = HashMap.get(w.numbers, invoice.number)
        if (Option.isSome(owner) && owner.value !== invoice.id) {
          return Result.fail(Conflict.duplicate("Invoice", invoice.id))
        }
        return done({
          ...w,
          invoices: placed(w.invoices, byId, invoice),
          numbers: HashMap.set(HashMap.remove(w.numbers, stored.value.number), invoice.number, invoice.id)
        })
      }),
    findInvoice: (communityId, id: InvoiceId) => read(communityId, (w) => findBy(w.invoices, byId, id)),
    listInvoices: (communityId, query: InvoiceQuery, window) =>
      read(communityId, (w) =>
        page(
          w.invoices,
          window,
          (i) =>
            (query.factoryId === undefined || i.factoryId === query.factoryId) &&
            (query.orderId === undefined || i.orderId === query.orderId)
        )
      ),
    countInvoices: (communityId) => read(communityId, (w) => w.invoices.length)
  }
}
