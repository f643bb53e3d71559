/**
 * The in-memory `LedgerRepo`: each community's ledger (accounts, transfers in chain order, holds,
 * reversal links, chain head) as one immutable record, in the kernel's transactions.
 *
 * The store serializes transactions, so the community lock `load` promises is the store's own
 * lock: `lockCommunity` only reads the head. A `write` is one pure change of the community's
 * record, checked whole before anything is kept: a duplicate transfer, reversal link or new
 * account, or an account whose stored version is not `version - 1`, is `Conflict` and changes
 * nothing (in a transaction, the kernel then rolls the rest back). It also refuses, as
 * `Conflict` (stale_version on `LedgerChain`), new transfers that do not continue the stored
 * head: a writer that did not load under the lock cannot fork the chain.
 *
 * @module
 */
import { Conflict } from "@commonweal/core"
import type {
  ChainHead,
  CommunityId,
  Hold,
  LedgerAccount,
  LedgerAccountId,
  LedgerChanges,
  LedgerRepo,
  LedgerState,
  Transfer,
  TransferId
} from "@commonweal/core"
import { GENESIS_HASH } from "@commonweal/core"
import { HashMap, Option, Result } from "effect"
import { type MemoryKernelService, slot } from "../kernel/index.js"

/**
 * An append-only list that shares its backing array between versions: a version sees the first
 * `length` items. Appending to the newest version pushes in place (older versions do not see the
 * new items); appending to an older one (after a rolled-back write pushed past it) copies first.
 * Writers are serialized by the store, so this is safe, and appends are amortized O(1).
 */
interface AppendList<A> {
  readonly items: Array<A>
  readonly length: number
}

const emptyList = <A>(): AppendList<A> => ({ items: [], length: 0 })

const appendAll = <A>(list: AppendList<A>, added: ReadonlyArray<A>): AppendList<A> => {
  if (added.length === 0) return list
  const items = list.items.length === list.length ? list.items : list.items.slice(0, list.length)
  items.push(...added)
  return { items, length: items.length }
}

/** One community's ledger. */
interface CommunityLedger {
  readonly accounts: HashMap.HashMap<LedgerAccountId, LedgerAccount>
  /** Account ids in ascending order (the order of `listAccounts`). */
  readonly accountOrder: ReadonlyArray<LedgerAccountId>
  readonly transfers: HashMap.HashMap<TransferId, Transfer>
  /** Transfers in chain order: the one with sequence `s` is at index `s - 1`. */
  readonly chain: AppendList<Transfer>
  /** Each account's transfers in chain order. */
  readonly byAccount: HashMap.HashMap<LedgerAccountId, AppendList<Transfer>>
  readonly holds: HashMap.HashMap<TransferId, Hold>
  /** Original transfer id → the id of the transfer that reversed it. */
  readonly reversedBy: HashMap.HashMap<TransferId, TransferId>
  readonly head: ChainHead
}

const GENESIS: ChainHead = { sequence: 0, hash: GENESIS_HASH }

const emptyLedger: CommunityLedger = {
  accounts: HashMap.empty(),
  accountOrder: [],
  transfers: HashMap.empty(),
  chain: emptyList(),
  byAccount: HashMap.empty(),
  holds: HashMap.empty(),
  reversedBy: HashMap.empty(),
  head: GENESIS
}

/** Every community's ledger. */
const ledgers = slot("ledger", HashMap.empty<CommunityId, CommunityLedger>())

type Ledgers = HashMap.HashMap<CommunityId, CommunityLedger>

const ledgerOf = (all: Ledgers, communityId: CommunityId): CommunityLedger =>
  Option.getOrElse(HashMap.get(all, communityId), () => emptyLedger)

/** The position of the first id not below `id` (`strict`: above it) in an ascending list. */
const positionOf = (ids: ReadonlyArray<string>, id: string, strict = false): number => {
  let low = 0
  let high = ids.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const at = ids[middle]!
    if (at < id || (strict && at === id)) low = middle + 1
    else high = middle
  }
  return low
}

/** The position of the first transfer with a sequence above `after` in a list in chain order. */
const afterSequence = (list: AppendList<Transfer>, after: number): number => {
  let low = 0
  let high = list.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (list.items[middle]!.sequence <= after) low = middle + 1
    else high = middle
  }
  return low
}

const get = <K, V>(map: HashMap.HashMap<K, V>, key: K): V | undefined => Option.getOrUndefined(HashMap.get(map, key))

/** The state a batch with these account and transfer ids needs (see `LedgerRepo.load`). */
const stateOf = (
  communityId: CommunityId,
  ledger: CommunityLedger,
  accountIds: Iterable<LedgerAccountId>,
  transferIds: Iterable<TransferId>
): LedgerState => {
  const accounts = new Map<LedgerAccountId, LedgerAccount>()
  const transfers = new Map<TransferId, Transfer>()
  const holds = new Map<TransferId, Hold>()
  const reversedBy = new Map<TransferId, TransferId>()
  const addAccount = (id: LedgerAccountId) => {
    const a = get(ledger.accounts, id)
    if (a !== undefined) accounts.set(id, a)
  }
  for (const id of accountIds) addAccount(id)
  for (const id of transferIds) {
    const t = get(ledger.transfers, id)
    if (t === undefined) continue
    transfers.set(id, t)
    const hold = get(ledger.holds, id)
    if (hold !== undefined) holds.set(id, hold)
    const reversal = get(ledger.reversedBy, id)
    if (reversal !== undefined) reversedBy.set(id, reversal)
    addAccount(t.debitAccountId)
    addAccount(t.creditAccountId)
  }
  return { accounts, transfers, holds, reversedBy, heads: new Map([[communityId, ledger.head]]) }
}

/** The community's ledger with the changes applied, or the conflict that refuses them (nothing applied). */
const applyChanges = (ledger: CommunityLedger, changes: LedgerChanges): Result.Result<CommunityLedger, Conflict> => {
  let transfers = ledger.transfers
  let expected = ledger.head
  for (const t of changes.created) {
    if (HashMap.has(transfers, t.id)) return Result.fail(Conflict.duplicate("Transfer", t.id))
    if (t.sequence !== expected.sequence + 1 || t.previousHash !== expected.hash) {
      return Result.fail(Conflict.stale("LedgerChain", changes.communityId))
    }
    transfers = HashMap.set(transfers, t.id, t)
    expected = { sequence: t.sequence, hash: t.hash }
  }
  let accounts = ledger.accounts
  let accountOrder = ledger.accountOrder
  for (const a of changes.accounts) {
    const stored = get(accounts, a.id)
    if (a.version === 1) {
      if (stored !== undefined) return Result.fail(Conflict.duplicate("LedgerAccount", a.id))
      const at = positionOf(accountOrder, a.id)
      accountOrder = [...accountOrder.slice(0, at), a.id, ...accountOrder.slice(at)]
    } else if (stored === undefined || stored.version !== a.version - 1) {
      return Result.fail(Conflict.stale("LedgerAccount", a.id))
    }
    accounts = HashMap.set(accounts, a.id, a)
  }
  let reversedBy = ledger.reversedBy
  for (const [original, by] of changes.reversals) {
    if (HashMap.has(reversedBy, original)) return Result.fail(Conflict.duplicate("Reversal", original))
    reversedBy = HashMap.set(reversedBy, original, by)
  }
  let holds = ledger.holds
  for (const [id, hold] of changes.holds) holds = HashMap.set(holds, id, hold)
  // all checks passed: only now touch the shared append-only lists
  let byAccount = ledger.byAccount
  const perAccount = new Map<LedgerAccountId, Array<Transfer>>()
  for (const t of changes.created) {
    for (const id of t.debitAccountId === t.creditAccountId
      ? [t.debitAccountId]
      : [t.debitAccountId, t.creditAccountId]) {
      const list = perAccount.get(id)
      if (list === undefined) perAccount.set(id, [t])
      else list.push(t)
    }
  }
  for (const [id, added] of perAccount) {
    byAccount = HashMap.set(byAccount, id, appendAll(get(byAccount, id) ?? emptyList<Transfer>(), added))
  }
  return Result.succeed({
    accounts,
    accountOrder,
    transfers,
    chain: appendAll(ledger.chain, changes.created),
    byAccount,
    holds,
    reversedBy,
    head: changes.created.length === 0 ? ledger.head : changes.head
  })
}

/** The `LedgerRepo` port over a store's kernel. */
export const makeLedgerRepo = (kernel: MemoryKernelService): LedgerRepo["Service"] => ({
  // transactions are serialized by the store's lock: the head needs no lock of its own
  lockCommunity: (communityId) => kernel.read(ledgers, (all) => ledgerOf(all, communityId).head),
  load: (communityId, footprint) =>
    kernel.read(ledgers, (all) =>
      stateOf(communityId, ledgerOf(all, communityId), footprint.accountIds, footprint.transferIds)
    ),
  loadExpiring: (communityId, now, limit) =>
    kernel.read(ledgers, (all) => {
      const ledger = ledgerOf(all, communityId)
      const due: Array<Transfer> = []
      if (limit >= 1) {
        for (const [id, hold] of ledger.holds) {
          if (hold.status !== "pending") continue
          const t = get(ledger.transfers, id)
          if (t !== undefined && t.expiresAt !== null && t.expiresAt <= now) due.push(t)
        }
      }
      due.sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      return stateOf(
        communityId,
        ledger,
        [],
        due.slice(0, Math.max(0, Math.floor(limit))).map((t) => t.id)
      )
    }),
  write: (changes) =>
    kernel.write(ledgers, (all) =>
      Result.map(
        applyChanges(ledgerOf(all, changes.communityId), changes),
        (next) => [undefined, HashMap.set(all, changes.communityId, next)] as const
      )
    ),
  findAccount: (communityId, id) => kernel.read(ledgers, (all) => HashMap.get(ledgerOf(all, communityId).accounts, id)),
  listAccounts: (communityId, window) =>
    kernel.read(ledgers, (all) => {
      const ledger = ledgerOf(all, communityId)
      const from = window.after === undefined ? 0 : positionOf(ledger.accountOrder, window.after, true)
      const found: Array<LedgerAccount> = []
      for (let i = from; i < ledger.accountOrder.length && found.length < window.limit; i++) {
        const a = get(ledger.accounts, ledger.accountOrder[i]!)
        if (a !== undefined) found.push(a)
      }
      return found
    }),
  findTransfer: (communityId, id) =>
    kernel.read(ledgers, (all) => HashMap.get(ledgerOf(all, communityId).transfers, id)),
  transfers: (communityId, after, limit, accountId) =>
    kernel.read(ledgers, (all) => {
      const ledger = ledgerOf(all, communityId)
      const list = accountId === undefined ? ledger.chain : (get(ledger.byAccount, accountId) ?? emptyList<Transfer>())
      if (!(limit >= 1)) return []
      const from = afterSequence(list, after)
      return list.items.slice(from, Math.min(list.length, from + Math.floor(limit)))
    }),
  holds: (communityId, ids) =>
    kernel.read(ledgers, (all) => {
      const ledger = ledgerOf(all, communityId)
      const found = new Map<TransferId, Hold>()
      for (const id of ids) {
        const hold = get(ledger.holds, id)
        if (hold !== undefined) found.set(id, hold)
      }
      return found
    })
})
