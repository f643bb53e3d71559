/**
 * The workshop domain's contract suite.
 *
 * @module
 */
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import type { WorkshopContractPorts } from "./helpers.js"
import { workshopRepoContract } from "./WorkshopRepoContract.js"
import { workshopServiceSuite } from "./WorkshopServiceSuite.js"

/**
 * Registers the workshop domain's storage contract for `target` as a vitest `describe` block
 * `workshop storage contract: <name>` (`WorkshopRepo`: round trips of settings, factories,
 * products, orders with their dated rate tables, workers, movements, pay lines, periods with
 * their payslips, and invoices; tenancy; duplicate conflicts for ids, a product's SKU and a
 * resident enrolled twice; stale-version conflicts; batches of movements and pay lines kept whole
 * or not at all; lists by id or by `timedKey` with every filter and cursor paging across ties;
 * `movementTotals` and `payLineTotals` grouped and filtered; `assignPeriod`; `countInvoices`;
 * failed transactions that leave no trace; and concurrent writers kept apart), and
 * `workshop service over <name>` (the core `Workshop` service with the ledger and the fund under
 * it, end to end: fair pay acknowledged, rate history, every piece accounted for and reconciled to
 * the ledger, refused over-returns that leave no trace, replays, reject policies and the scrap
 * tolerance, pay periods equal to the ledger to the fen, invoices, contributions to the fund,
 * what workers and factories may see, progress and custody age over a shifted clock, and parallel
 * returns from one custody).
 *
 * The target provides the kernel's ports, the communities' (each test provisions the communities
 * it works in, with fresh random ids), the residents', the ledger's, the fund's and the
 * workshop's own.
 *
 * Call it at the top level of a test file. When `target.skip` is set the suite is skipped with a
 * warning, or fails in CI (see {@link ContractTarget.skip}).
 *
 * @example
 * ```ts
 * import { workshopContract } from "@commonweal/testing"
 *
 * workshopContract({ name: "my-store", layer: MyStore.layer })
 * ```
 */
export const workshopContract = (target: ContractTarget<WorkshopContractPorts>): void => {
  registerContract(`workshop storage contract: ${target.name}`, target, (it) => {
    workshopRepoContract(it)
  })
  workshopServiceSuite(target)
}
