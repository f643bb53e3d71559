/**
 * The communities domain of the SQL store: its table, its migration and `CommunityRepo` over the
 * kernel's connection.
 *
 * @module
 */
import { CommunityRepo, type CommunitiesStorage } from "@commonweal/core"
import { Context } from "effect"
import { sqlDomain, type SqlDomain } from "../kernel/SqlKernel.js"
import { makeCommunityRepo } from "./CommunityRepo.js"
import { m0002Communities } from "./migrations/0002_communities.js"
import type { CommunitiesDatabase } from "./tables.js"

export { makeCommunityRepo } from "./CommunityRepo.js"
export type { CommunitiesDatabase, CommunitiesTable } from "./tables.js"

/**
 * The communities domain: migration `0002_communities`, and `CommunityRepo` over the
 * `SqlKernel` it is given (`SqlCommunities.layer`).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { SqlCommunities, SqlKernel } from "@commonweal/store-kysely"
 *
 * // KernelStorage | CommunitiesStorage on one SQLite file
 * const store = Layer.provideMerge(
 *   SqlCommunities.layer,
 *   SqlKernel.layerSqlite({ filename: "communities.sqlite", domains: [SqlCommunities] })
 * )
 * ```
 */
export const SqlCommunities: SqlDomain<CommunitiesStorage> = sqlDomain({
  name: "communities",
  migrations: (dialect) => ({ "0002_communities": m0002Communities(dialect) }),
  make: (kernel) => Context.make(CommunityRepo, makeCommunityRepo(kernel.connection.view<CommunitiesDatabase>())),
  defaults: {}
})
