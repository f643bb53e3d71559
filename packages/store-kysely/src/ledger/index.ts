/**
 * The ledger of the SQL store: its tables, its migration and `LedgerRepo` over the kernel's
 * connection.
 *
 * @module
 */
import { LedgerRepo, type LedgerStorage } from "@commonweal/core"
import { Context } from "effect"
import { sqlDomain, type SqlDomain } from "../kernel/SqlKernel.js"
import { makeLedgerRepo } from "./LedgerRepo.js"
import { m0005Ledger } from "./migrations/0005_ledger.js"
import { m0006LedgerSpeed } from "./migrations/0006_ledger_speed.js"
import type { LedgerDatabase } from "./tables.js"

export { IN_LIST_SIZE, MAX_PARAMETERS, POSTING_INTERVAL, makeLedgerRepo } from "./LedgerRepo.js"
export type {
  LedgerAccountsTable,
  LedgerDatabase,
  LedgerHeadsTable,
  LedgerHoldsTable,
  LedgerPostingsTable,
  LedgerReversalsTable,
  LedgerTransfersTable
} from "./tables.js"

/**
 * The ledger: migrations `0005_ledger` and `0006_ledger_speed`, and `LedgerRepo` over the `SqlKernel` it is given
 * (`SqlLedger.layer`).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { SqlKernel, SqlLedger } from "@commonweal/store-kysely"
 *
 * // KernelStorage | LedgerStorage on PostgreSQL
 * const store = Layer.provideMerge(
 *   SqlLedger.layer,
 *   SqlKernel.layerPostgres({ connectionString: process.env.DATABASE_URL!, domains: [SqlLedger] })
 * )
 * ```
 */
export const SqlLedger: SqlDomain<LedgerStorage> = sqlDomain({
  name: "ledger",
  migrations: (dialect) => ({
    "0005_ledger": m0005Ledger(dialect),
    "0006_ledger_speed": m0006LedgerSpeed(dialect)
  }),
  make: (kernel) => Context.make(LedgerRepo, makeLedgerRepo(kernel.connection.view<LedgerDatabase>())),
  defaults: {}
})
