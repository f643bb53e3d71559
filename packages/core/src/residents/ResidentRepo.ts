/**
 * The storage port of the resident registry.
 *
 * Every method is scoped by community: an adapter must never return or change a resident of
 * another community, whatever id it is given. Writes are optimistic: `update` succeeds only
 * when the stored version is `resident.version - 1`.
 *
 * Adapters: `@commonweal/store-memory`, `@commonweal/store-kysely`. The contract every adapter
 * must pass is `residentRepoContract` in `@commonweal/testing`.
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { GridCode } from "../communities/Community.js"
import type { Conflict } from "../kernel/Errors.js"
import type { CommunityId, ResidentId } from "../kernel/Ids.js"
import type { Window } from "../kernel/Paging.js"
import type { LanguageCode, Province, Resident, ResidentTag } from "./Resident.js"

/** A resolved search, as the service hands it to the repository. All fields combine with AND. */
export interface ResidentQuery {
  readonly communityId: CommunityId
  /** Which statuses to include (never `erased`). */
  readonly statuses: ReadonlyArray<"active" | "inactive">
  readonly grid?: GridCode | undefined
  readonly tag?: ResidentTag | undefined
  readonly language?: LanguageCode | undefined
  /** Exact dialect name; with `language`, both must hold for the same language entry. */
  readonly dialect?: string | undefined
  readonly homeProvince?: Province | undefined
  readonly skill?: string | undefined
  /** Inclusive birth-year bounds; residents without a birth year never match a bound. */
  readonly bornFrom?: number | undefined
  readonly bornTo?: number | undefined
  /** Case-insensitive substring of the display name (`%` and `_` are literal). */
  readonly nameContains?: string | undefined
  /** Only this resident and the residents whose guardians include them. */
  readonly selfOrWardsOf?: ResidentId | undefined
}

/** The storage port of the resident registry. */
export class ResidentRepo extends Context.Service<
  ResidentRepo,
  {
    /**
     * Stores a new resident as given (the service always inserts version 1); `Conflict`
     * (duplicate) when the id exists in the resident's community. Ids are unique per community,
     * not globally, so that the key can lead with the community (sharding by community); UUIDv7
     * ids made by `IdGenerator` do not collide in practice.
     */
    readonly insert: (resident: Resident) => Effect.Effect<void, Conflict>
    /**
     * Replaces a stored resident with `resident`, whose `version` must be the stored version + 1;
     * otherwise (or when it does not exist in that community) `Conflict` (stale_version).
     */
    readonly update: (resident: Resident) => Effect.Effect<void, Conflict>
    /**
     * Checks that the stored version of a resident is `version` and, inside a transaction, keeps
     * the row from changing until the transaction ends (`SELECT … FOR UPDATE` where the database
     * has it; stores that serialize transactions need nothing more). `Conflict` (stale_version)
     * when the version differs or the resident does not exist in that community.
     *
     * For a record a command reads to decide but does not change: linking a guardian reads the
     * guardian (is it active? is it the ward's own ward?), so a concurrent change to the guardian
     * must make one of the two commands fail instead of both succeeding.
     */
    readonly lock: (communityId: CommunityId, id: ResidentId, version: number) => Effect.Effect<void, Conflict>
    /** The resident with this id in this community, if any (erased ones included). */
    readonly findById: (communityId: CommunityId, id: ResidentId) => Effect.Effect<Option.Option<Resident>>
    /** Residents matching the query with id greater than `window.after`, ordered by id, at most `window.limit`. */
    readonly search: (query: ResidentQuery, window: Window) => Effect.Effect<ReadonlyArray<Resident>>
  }
>()("@commonweal/core/ResidentRepo") {}

/** The storage ports of the resident registry, as a bundle an adapter provides. */
export type ResidentsStorage = ResidentRepo
