/**
 * The workshop of the SQL store: its tables, its migration and `WorkshopRepo` over the kernel's
 * connection.
 *
 * @module
 */
import { WorkshopRepo, type WorkshopStorage } from "@commonweal/core"
import { Context } from "effect"
import { sqlDomain, type SqlDomain } from "../kernel/SqlKernel.js"
import { m0009Workshop } from "./migrations/0009_workshop.js"
import type { WorkshopDatabase } from "./tables.js"
import { makeWorkshopRepo } from "./WorkshopRepo.js"

export { makeWorkshopRepo } from "./WorkshopRepo.js"
export type {
  WorkshopDatabase,
  WorkshopFactoriesTable,
  WorkshopFactorySubjectsTable,
  WorkshopInvoicesTable,
  WorkshopMovementsTable,
  WorkshopOrdersTable,
  WorkshopPayLinesTable,
  WorkshopPeriodsTable,
  WorkshopProductsTable,
  WorkshopSettingsTable,
  WorkshopWorkersTable
} from "./tables.js"

/**
 * The workshop: migration `0009_workshop`, and `WorkshopRepo` over the `SqlKernel` it is given
 * (`SqlWorkshop.layer`). The workshop's pieces and money move through the ledger and its
 * workers are residents, so a store with the workshop includes `SqlLedger` and `SqlResidents`
 * too (and `SqlFund`, for contributions to the fund).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { SqlCommunities, SqlKernel, SqlLedger, SqlResidents, SqlWorkshop } from "@commonweal/store-kysely"
 *
 * // KernelStorage | CommunitiesStorage | ResidentsStorage | LedgerStorage | WorkshopStorage on PostgreSQL
 * const domains = [SqlCommunities, SqlResidents, SqlLedger, SqlWorkshop]
 * const store = Layer.provideMerge(
 *   Layer.mergeAll(SqlCommunities.layer, SqlResidents.layer, SqlLedger.layer, SqlWorkshop.layer),
 *   SqlKernel.layerPostgres({ connectionString: process.env.DATABASE_URL!, domains })
 * )
 * ```
 */
export const SqlWorkshop: SqlDomain<WorkshopStorage> = sqlDomain({
  name: "workshop",
  migrations: (dialect) => ({ "0009_workshop": m0009Workshop(dialect) }),
  make: (kernel) => Context.make(WorkshopRepo, makeWorkshopRepo(kernel.connection.view<WorkshopDatabase>())),
  defaults: {}
})
