/**
 * The in-memory `FundRepo`: each community's fund (settings, products, sub-funds, entries,
 * allocation rounds) as one immutable record, in the kernel's transactions.
 *
 * Every write is one pure change of the community's record, checked before anything is kept: a
 * duplicate (id, SKU, code, settings) or a stored version that is not `version - 1` is `Conflict`
 * and changes nothing (in a transaction, the kernel then rolls the rest back). Lists are kept in
 * the order the port promises (products and rounds by id, sub-funds by code, entries by
 * `entryKey`), so a page is a binary search and a slice.
 *
 * @module
 */
import { Conflict, entryKey } from "@commonweal/core"
import type {
  AllocationRound,
  CommunityId,
  FundEntry,
  FundRepo,
  FundSettings,
  Product,
  ProductId,
  RoundId,
  SubFund,
  TransferId
} from "@commonweal/core"
import { Effect, HashMap, Option, Result } from "effect"
import { type MemoryKernelService, slot } from "../kernel/index.js"

/** One community's fund. */
interface CommunityFund {
  readonly settings: FundSettings | undefined
  /** Ordered by id. */
  readonly products: ReadonlyArray<Product>
  /** SKU → product id. */
  readonly skus: HashMap.HashMap<string, ProductId>
  /** Ordered by code. */
  readonly subFunds: ReadonlyArray<SubFund>
  readonly entries: HashMap.HashMap<TransferId, FundEntry>
  /** Ordered by `entryKey`, beside the keys (same positions). */
  readonly entryOrder: ReadonlyArray<FundEntry>
  readonly entryKeys: ReadonlyArray<string>
  /** Ordered by id (ascending; `listRounds` walks it backwards). */
  readonly rounds: ReadonlyArray<AllocationRound>
}

const emptyFund: CommunityFund = {
  settings: undefined,
  products: [],
  skus: HashMap.empty(),
  subFunds: [],
  entries: HashMap.empty(),
  entryOrder: [],
  entryKeys: [],
  rounds: []
}

type Funds = HashMap.HashMap<CommunityId, CommunityFund>

/** Every community's fund. */
const funds = slot("fund", HashMap.empty<CommunityId, CommunityFund>())

const fundOf = (all: Funds, communityId: CommunityId): CommunityFund =>
  Option.getOrElse(HashMap.get(all, communityId), () => emptyFund)

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
const byCode = (s: SubFund): string => s.code
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

/** A change of one community's fund: its next record, or the conflict that refuses it. */
type FundChange<A = undefined> = (fund: CommunityFund) => Result.Result<readonly [A, CommunityFund], Conflict>

/** The `FundRepo` port over a store's kernel. */
export const makeFundRepo = (kernel: MemoryKernelService): FundRepo["Service"] => {
  const read = <A>(communityId: CommunityId, f: (fund: CommunityFund) => A): Effect.Effect<A> =>
    kernel.read(funds, (all) => f(fundOf(all, communityId)))
  const write = <A>(communityId: CommunityId, change: FundChange<A>): Effect.Effect<A, Conflict> =>
    kernel.write(funds, (all) =>
      Result.map(change(fundOf(all, communityId)), ([a, next]) => [a, HashMap.set(all, communityId, next)] as const)
    )
  const done = (fund: CommunityFund): Result.Result<readonly [undefined, CommunityFund], Conflict> =>
    Result.succeed([undefined, fund] as const)

  return {
    settings: (communityId) => read(communityId, (fund) => Option.fromUndefinedOr(fund.settings)),
    putSettings: (settings) =>
      write(settings.communityId, (fund) => {
        if (settings.version === 1) {
          return fund.settings !== undefined
            ? Result.fail(Conflict.duplicate("FundSettings", settings.communityId))
            : done({ ...fund, settings })
        }
        return fund.settings !== undefined && fund.settings.version === settings.version - 1
          ? done({ ...fund, settings })
          : Result.fail(Conflict.stale("FundSettings", settings.communityId))
      }),

    insertProduct: (product) =>
      write(product.communityId, (fund) =>
        Option.isSome(findBy(fund.products, byId, product.id)) || HashMap.has(fund.skus, product.sku)
          ? Result.fail(Conflict.duplicate("Product", product.id))
          : done({
              ...fund,
              products: placed(fund.products, byId, product),
              skus: HashMap.set(fund.skus, product.sku, product.id)
            })
      ),
    updateProduct: (product) =>
      write(product.communityId, (fund) => {
        const stored = findBy(fund.products, byId, product.id)
        if (Option.isNone(stored) || stored.value.version !== product.version - 1) {
          return Result.fail(Conflict.stale("Product", product.id))
        }
        // the SKU is the product's for good (no input changes it); should one change, it moves
        const owner = HashMap.get(fund.skus, product.sku)
        if (Option.isSome(owner) && owner.value !== product.id) {
          return Result.fail(Conflict.duplicate("Product", product.id))
        }
        return done({
          ...fund,
          products: placed(fund.products, byId, product),
          skus: HashMap.set(HashMap.remove(fund.skus, stored.value.sku), product.sku, product.id)
        })
      }),
    findProduct: (communityId, id) => read(communityId, (fund) => findBy(fund.products, byId, id)),
    listProducts: (communityId, window) =>
      read(communityId, (fund) => {
        if (!(window.limit >= 1)) return []
        const from = window.after === undefined ? 0 : positionBy(fund.products, byId, window.after, true)
        return fund.products.slice(from, from + Math.floor(window.limit))
      }),

    insertSubFund: (subFund) =>
      write(subFund.communityId, (fund) =>
        Option.isSome(findBy(fund.subFunds, byCode, subFund.code))
          ? Result.fail(Conflict.duplicate("SubFund", subFund.code))
          : done({ ...fund, subFunds: placed(fund.subFunds, byCode, subFund) })
      ),
    findSubFund: (communityId, code) => read(communityId, (fund) => findBy(fund.subFunds, byCode, code)),
    listSubFunds: (communityId) => read(communityId, (fund) => fund.subFunds),

    insertEntry: (entry) =>
      write(entry.communityId, (fund) => {
        if (HashMap.has(fund.entries, entry.id)) return Result.fail(Conflict.duplicate("FundEntry", entry.id))
        const key = entryKey(entry)
        const i = positionBy(fund.entryKeys, itself, key)
        const entryOrder = fund.entryOrder.slice()
        const entryKeys = fund.entryKeys.slice()
        entryOrder.splice(i, 0, entry)
        entryKeys.splice(i, 0, key)
        return done({ ...fund, entries: HashMap.set(fund.entries, entry.id, entry), entryOrder, entryKeys })
      }),
    findEntry: (communityId, id) => read(communityId, (fund) => HashMap.get(fund.entries, id)),
    listEntries: (query, window) =>
      read(query.communityId, (fund) => {
        const found: Array<FundEntry> = []
        if (!(window.limit >= 1)) return found
        // the first position past the cursor and not before `from`
        let start = window.after === undefined ? 0 : positionBy(fund.entryKeys, itself, window.after, true)
        if (query.from !== undefined) {
          start = Math.max(
            start,
            positionBy(fund.entryKeys, itself, entryKey({ occurredAt: query.from, id: "" as TransferId }))
          )
        }
        for (let i = start; i < fund.entryOrder.length && found.length < window.limit; i++) {
          const e = fund.entryOrder[i]!
          if (query.to !== undefined && e.occurredAt >= query.to) break
          if (query.kind !== undefined && e.kind !== query.kind) continue
          if (query.from !== undefined && e.occurredAt < query.from) continue
          found.push(e)
        }
        return found
      }),

    insertRound: (round) =>
      write(round.communityId, (fund) =>
        Option.isSome(findBy(fund.rounds, byId, round.id))
          ? Result.fail(Conflict.duplicate("AllocationRound", round.id))
          : done({ ...fund, rounds: placed(fund.rounds, byId, round) })
      ),
    updateRound: (round) =>
      write(round.communityId, (fund) => {
        const stored = findBy(fund.rounds, byId, round.id)
        return Option.isSome(stored) && stored.value.version === round.version - 1
          ? done({ ...fund, rounds: placed(fund.rounds, byId, round) })
          : Result.fail(Conflict.stale("AllocationRound", round.id))
      }),
    // transactions are serialized by the store's lock, so a check of the version is enough
    lockRound: (communityId, id, version) =>
      Effect.flatMap(
        read(communityId, (fund) => findBy(fund.rounds, byId, id)),
        (stored) =>
          Option.isSome(stored) && stored.value.version === version
            ? Effect.void
            : Effect.fail(Conflict.stale("AllocationRound", id))
      ),
    findRound: (communityId, id: RoundId) => read(communityId, (fund) => findBy(fund.rounds, byId, id)),
    listRounds: (query, window) =>
      read(query.communityId, (fund) => {
        const found: Array<AllocationRound> = []
        if (!(window.limit >= 1)) return found
        // newest first: from the last id below the cursor, downwards
        const end = window.after === undefined ? fund.rounds.length : positionBy(fund.rounds, byId, window.after)
        for (let i = end - 1; i >= 0 && found.length < window.limit; i--) {
          const r = fund.rounds[i]!
          if (query.status !== undefined && r.status !== query.status) continue
          if (query.householdId !== undefined && !r.candidates.some((c) => c.householdId === query.householdId)) {
            continue
          }
          found.push(r)
        }
        return found
      })
  }
}
