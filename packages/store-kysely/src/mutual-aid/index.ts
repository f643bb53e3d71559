/**
 * Mutual aid of the SQL store: its tables, its migration and `MutualAidRepo` over the kernel's
 * connection.
 *
 * @module
 */
import { MutualAidRepo, type MutualAidStorage } from "@commonweal/core"
import { Context } from "effect"
import { sqlDomain, type SqlDomain } from "../kernel/SqlKernel.js"
import { m0008MutualAid } from "./migrations/0008_mutual_aid.js"
import { makeMutualAidRepo } from "./MutualAidRepo.js"
import type { MutualAidDatabase } from "./tables.js"

export { makeMutualAidRepo } from "./MutualAidRepo.js"
export type {
  MutualAidDatabase,
  MutualAidPlansTable,
  MutualAidRequestsTable,
  MutualAidRequestVolunteersTable,
  MutualAidVisitsTable,
  MutualAidVolunteerRolesTable,
  MutualAidVolunteerSkillsTable,
  MutualAidVolunteersTable,
  MutualAidWalkingTable
} from "./tables.js"

/**
 * Mutual aid: migration `0008_mutual_aid`, and `MutualAidRepo` over the `SqlKernel` it is given
 * (`SqlMutualAid.layer`). Volunteers and requests name residents, and time credits move through
 * the ledger, so a store with mutual aid includes `SqlResidents` and `SqlLedger` too.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { SqlCommunities, SqlKernel, SqlLedger, SqlMutualAid, SqlResidents } from "@commonweal/store-kysely"
 *
 * // KernelStorage | CommunitiesStorage | ResidentsStorage | LedgerStorage | MutualAidStorage on PostgreSQL
 * const domains = [SqlCommunities, SqlResidents, SqlLedger, SqlMutualAid]
 * const store = Layer.provideMerge(
 *   Layer.mergeAll(SqlCommunities.layer, SqlResidents.layer, SqlLedger.layer, SqlMutualAid.layer),
 *   SqlKernel.layerPostgres({ connectionString: process.env.DATABASE_URL!, domains })
 * )
 * ```
 */
export const SqlMutualAid: SqlDomain<MutualAidStorage> = sqlDomain({
  name: "mutual-aid",
  migrations: (dialect) => ({ "0008_mutual_aid": m0008MutualAid(dialect) }),
  make: (kernel) => Context.make(MutualAidRepo, makeMutualAidRepo(kernel.connection.view<MutualAidDatabase>())),
  defaults: {}
})
