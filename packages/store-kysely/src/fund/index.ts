/**
 * The fund of the SQL store: its tables, its migration and `FundRepo` over the kernel's
 * connection.
 *
 * @module
 */
import { FundRepo, type FundStorage } from "@commonweal/core"
import { Context } from "effect"
import { sqlDomain, type SqlDomain } from "../kernel/SqlKernel.js"
import { makeFundRepo } from "./FundRepo.js"
import { m0007Fund } from "./migrations/0007_fund.js"
import type { FundDatabase } from "./tables.js"

export { makeFundRepo } from "./FundRepo.js"
export type {
  FundDatabase,
  FundEntriesTable,
  FundProductsTable,
  FundRoundHouseholdsTable,
  FundRoundsTable,
  FundSettingsTable,
  FundSubFundsTable
} from "./tables.js"

/**
 * The fund: migration `0007_fund`, and `FundRepo` over the `SqlKernel` it is given
 * (`SqlFund.layer`). The fund's money moves through the ledger, so a store with the fund
 * includes `SqlLedger` too.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { SqlCommunities, SqlFund, SqlKernel, SqlLedger } from "@commonweal/store-kysely"
 *
 * // KernelStorage | CommunitiesStorage | LedgerStorage | FundStorage on PostgreSQL
 * const domains = [SqlCommunities, SqlLedger, SqlFund]
 * const store = Layer.provideMerge(
 *   Layer.mergeAll(SqlCommunities.layer, SqlLedger.layer, SqlFund.layer),
 *   SqlKernel.layerPostgres({ connectionString: process.env.DATABASE_URL!, domains })
 * )
 * ```
 */
export const SqlFund: SqlDomain<FundStorage> = sqlDomain({
  name: "fund",
  migrations: (dialect) => ({ "0007_fund": m0007Fund(dialect) }),
  make: (kernel) => Context.make(FundRepo, makeFundRepo(kernel.connection.view<FundDatabase>())),
  defaults: {}
})
