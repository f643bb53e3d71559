/**
 * The storage port of the fund: settings, products, sub-funds, money entries and allocation
 * rounds of each community. Money itself lives in the ledger (`LedgerRepo`); these records name
 * the transfers that moved it.
 *
 * Scoped by community like every port: a record of another community is never found or changed,
 * whatever id is given. Products, settings and rounds are written with optimistic versions
 * (`update` succeeds only when the stored version is `version - 1`); sub-funds and entries are
 * written once.
 *
 * Adapters: `@commonweal/store-memory`, `@commonweal/store-kysely`. The contract every adapter
 * must pass is `fundContract` in `@commonweal/testing`.
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { Conflict } from "../kernel/Errors.js"
import type { CommunityId } from "../kernel/Ids.js"
import { timedKey, type Window } from "../kernel/Paging.js"
import type { TransferId } from "../ledger/Ledger.js"
import type {
  AllocationRound,
  EntryKind,
  FundEntry,
  FundSettings,
  Product,
  ProductId,
  RoundId,
  RoundQuery,
  SubFund
} from "./Fund.js"

/** Filters of an entry list; times are UTC epoch ms, `from` inclusive and `to` exclusive. */
export interface EntryQuery {
  readonly communityId: CommunityId
  readonly from?: number | undefined
  readonly to?: number | undefined
  readonly kind?: EntryKind | undefined
}

/** The storage port of the fund. */
export class FundRepo extends Context.Service<
  FundRepo,
  {
    /** The community's settings, if it ever set them. */
    readonly settings: (communityId: CommunityId) => Effect.Effect<Option.Option<FundSettings>>
    /**
     * Stores settings: inserted when `version` is 1 (`Conflict` duplicate when some exist),
     * else replaced where the stored version is `version - 1` (else `Conflict` stale_version).
     */
    readonly putSettings: (settings: FundSettings) => Effect.Effect<void, Conflict>

    /** Stores a new product (version 1); `Conflict` duplicate when its id or its SKU exists in the community. */
    readonly insertProduct: (product: Product) => Effect.Effect<void, Conflict>
    /** Replaces a product whose stored version is `version - 1`, else `Conflict` stale_version. */
    readonly updateProduct: (product: Product) => Effect.Effect<void, Conflict>
    /** The product with this id in this community, if any. */
    readonly findProduct: (communityId: CommunityId, id: ProductId) => Effect.Effect<Option.Option<Product>>
    /** The community's products with id greater than `window.after`, ordered by id, at most `window.limit`. */
    readonly listProducts: (communityId: CommunityId, window: Window) => Effect.Effect<ReadonlyArray<Product>>

    /** Stores a new sub-fund; `Conflict` duplicate when its code exists in the community. */
    readonly insertSubFund: (subFund: SubFund) => Effect.Effect<void, Conflict>
    /** The sub-fund with this code in this community, if any. */
    readonly findSubFund: (communityId: CommunityId, code: string) => Effect.Effect<Option.Option<SubFund>>
    /** Every sub-fund of the community, ordered by code (a community has a handful). */
    readonly listSubFunds: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<SubFund>>

    /** Stores a new entry; `Conflict` duplicate when its id exists in the community. */
    readonly insertEntry: (entry: FundEntry) => Effect.Effect<void, Conflict>
    /** The entry with this id in this community, if any. */
    readonly findEntry: (communityId: CommunityId, id: TransferId) => Effect.Effect<Option.Option<FundEntry>>
    /**
     * The entries matching the query, ordered by `(occurredAt, id)`, after the cursor key
     * `window.after` (the key of an entry is `occurredAt` as 15 zero-padded digits, `:`, and its
     * id, so keys sort as entries do), at most `window.limit`.
     */
    readonly listEntries: (query: EntryQuery, window: Window) => Effect.Effect<ReadonlyArray<FundEntry>>

    /** Stores a new round (version 1); `Conflict` duplicate when its id exists in the community. */
    readonly insertRound: (round: AllocationRound) => Effect.Effect<void, Conflict>
    /** Replaces a round whose stored version is `version - 1`, else `Conflict` stale_version. */
    readonly updateRound: (round: AllocationRound) => Effect.Effect<void, Conflict>
    /** Checks a round's stored version and holds it until the transaction ends, else `Conflict` stale_version. */
    readonly lockRound: (communityId: CommunityId, id: RoundId, version: number) => Effect.Effect<void, Conflict>
    /** The round with this id in this community, if any. */
    readonly findRound: (communityId: CommunityId, id: RoundId) => Effect.Effect<Option.Option<AllocationRound>>
    /**
     * The rounds matching the query, newest first: ordered by id **descending** (ids are
     * UUIDv7, so by creation), with id less than `window.after` when given, at most `window.limit`.
     */
    readonly listRounds: (query: RoundQuery, window: Window) => Effect.Effect<ReadonlyArray<AllocationRound>>
  }
>()("@commonweal/core/FundRepo") {}

/** The key of an entry in the order of {@link FundRepo}'s `listEntries`: `occurredAt` padded to 15 digits, `:`, id. */
export const entryKey: (entry: Pick<FundEntry, "occurredAt" | "id">) => string = timedKey

/** The storage ports of the fund, as a bundle an adapter provides (the fund also needs the ledger's). */
export type FundStorage = FundRepo
