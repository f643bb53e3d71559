/**
 * The storage port of communities: what a storage adapter provides for this domain
 * ({@link CommunitiesStorage}).
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { Conflict } from "../kernel/Errors.js"
import type { CommunityId } from "../kernel/Ids.js"
import type { Community } from "./Community.js"

/** The storage port for communities. */
export class CommunityRepo extends Context.Service<
  CommunityRepo,
  {
    /** Stores a new community; `Conflict` (duplicate) when the id exists. */
    readonly insert: (community: Community) => Effect.Effect<void, Conflict>
    /** The community with this id, if any. */
    readonly findById: (id: CommunityId) => Effect.Effect<Option.Option<Community>>
    /** All communities, ordered by id. */
    readonly list: () => Effect.Effect<ReadonlyArray<Community>>
  }
>()("@commonweal/core/CommunityRepo") {}

/** The storage ports of the communities domain, as a bundle an adapter provides. */
export type CommunitiesStorage = CommunityRepo
