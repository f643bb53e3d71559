/**
 * The storage port of the ledger, shaped by the pure engine (`LedgerRules`): a command loads a
 * partial {@link LedgerState} (what its batch touches), applies a rule, and writes the changes the
 * rule returned, all in one transaction.
 *
 * **One writer per community at a time.** Every write of a community's ledger starts with
 * {@link LedgerRepo.load} (or `lockCommunity`), which locks the community's chain head until the
 * transaction ends (`SELECT … FOR UPDATE` on its row, created when missing; stores that
 * serialize transactions need nothing more). So two batches of one community never interleave:
 * limits are checked against totals no one else is changing, the hash chain has no forks, and
 * nothing deadlocks. Batches of different communities run in parallel.
 *
 * Scoped by community like every port: an id of another community is never found, and ids are
 * unique per community.
 *
 * Adapters: `@commonweal/store-memory`, `@commonweal/store-kysely`. The contract every adapter
 * must pass is `ledgerContract` in `@commonweal/testing`.
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { Conflict } from "../kernel/Errors.js"
import type { CommunityId } from "../kernel/Ids.js"
import type { Window } from "../kernel/Paging.js"
import type { ChainHead, Hold, LedgerAccount, LedgerAccountId, Transfer, TransferId } from "./Ledger.js"
import type { Footprint, LedgerState } from "./LedgerRules.js"

/** What a successful rule asks a store to write, in one transaction. */
export interface LedgerChanges {
  readonly communityId: CommunityId
  /** New transfers, in chain order (their `sequence` continues the head the state was loaded with). */
  readonly created: ReadonlyArray<Transfer>
  /** Accounts whose totals or flags changed, at their new `version` (stored version + 1 each). */
  readonly accounts: ReadonlyArray<LedgerAccount>
  /** Holds created or resolved (`pending` when created; `posted`, `voided` or `expired` when resolved). */
  readonly holds: ReadonlyArray<readonly [TransferId, Hold]>
  /** New reversal links: original transfer id → the id of the transfer that reversed it. */
  readonly reversals: ReadonlyArray<readonly [TransferId, TransferId]>
  /** The community's chain head after the change (unchanged when nothing was created). */
  readonly head: ChainHead
}

/** The storage port of the ledger. */
export class LedgerRepo extends Context.Service<
  LedgerRepo,
  {
    /**
     * Locks the community's chain head until the transaction ends (see the module notes) and
     * returns it (`{ sequence: 0, hash: GENESIS_HASH }` for a community without transfers).
     */
    readonly lockCommunity: (communityId: CommunityId) => Effect.Effect<ChainHead>
    /**
     * Locks the community (as `lockCommunity`) and loads what a batch with this footprint
     * touches: the named accounts, the named transfers that exist, their holds and reversal links,
     * and the accounts of those transfers too (a post, void or reversal names only a transfer).
     * Ids that do not exist in the community are simply absent. `heads` holds the community's head.
     */
    readonly load: (communityId: CommunityId, footprint: Footprint) => Effect.Effect<LedgerState>
    /**
     * Loads (after locking the community) the holds still `pending` whose `expiresAt` is not after
     * `now`, at most `limit` of them (earliest expiry first), with their transfers and accounts:
     * the state `LedgerRules.expire` needs.
     */
    readonly loadExpiring: (communityId: CommunityId, now: number, limit: number) => Effect.Effect<LedgerState>
    /**
     * Writes what a rule returned. Transfers and reversal links are inserted (a duplicate id is
     * `Conflict` duplicate); accounts are updated only where the stored version is `version - 1`
     * (else `Conflict` stale_version), or inserted when `version` is 1 (a new account; a duplicate
     * is `Conflict` duplicate); holds are upserted; the head is set.
     */
    readonly write: (changes: LedgerChanges) => Effect.Effect<void, Conflict>
    /** The account with this id in this community, if any. */
    readonly findAccount: (communityId: CommunityId, id: LedgerAccountId) => Effect.Effect<Option.Option<LedgerAccount>>
    /** The community's accounts with id greater than `window.after`, ordered by id, at most `window.limit`. */
    readonly listAccounts: (communityId: CommunityId, window: Window) => Effect.Effect<ReadonlyArray<LedgerAccount>>
    /** The transfer with this id in this community, if any. */
    readonly findTransfer: (communityId: CommunityId, id: TransferId) => Effect.Effect<Option.Option<Transfer>>
    /**
     * The community's transfers in chain order (`sequence` ascending) after sequence `after`
     * (exclusive; `0` from the start), at most `limit`: for history, export and chain verification.
     * With `accountId`, only the transfers that debit or credit that account.
     */
    readonly transfers: (
      communityId: CommunityId,
      after: number,
      limit: number,
      accountId?: LedgerAccountId
    ) => Effect.Effect<ReadonlyArray<Transfer>>
    /** The holds of these pending transfers that exist in the community (for balances at a time and reports). */
    readonly holds: (
      communityId: CommunityId,
      ids: ReadonlyArray<TransferId>
    ) => Effect.Effect<ReadonlyMap<TransferId, Hold>>
  }
>()("@commonweal/core/LedgerRepo") {}

/** The storage ports of the ledger, as a bundle an adapter provides. */
export type LedgerStorage = LedgerRepo
