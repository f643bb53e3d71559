/**
 * The tables of the communities domain (see `migrations/0002_communities.ts`).
 *
 * @module
 */

/** `communities`: one row per community (the tenant). Primary key `(community_id)`. */
export interface CommunitiesTable {
  readonly community_id: string
  readonly name: string
  readonly name_en: string | null
  readonly time_zone: string
  /** The grids, as the JSON of `Schema.encode(Schema.Array(Grid))`. */
  readonly grids: string
  /** ISO-8601 UTC. */
  readonly created_at: string
}

/** The communities domain's tables, for `Kysely<CommunitiesDatabase>`. */
export interface CommunitiesDatabase {
  readonly communities: CommunitiesTable
}
