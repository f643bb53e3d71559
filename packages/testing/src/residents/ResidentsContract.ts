/**
 * The residents domain's contract suite.
 *
 * @module
 */
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import type { ResidentsContractPorts } from "./helpers.js"
import { residentRepoContract } from "./ResidentRepoContract.js"
import { residentsServiceSuite } from "./ResidentsServiceSuite.js"
import { residentTransactionsContract } from "./ResidentTransactionsContract.js"

/**
 * Registers the residents domain's storage contract for `target` as two vitest `describe` blocks:
 * `residents storage contract: <name>` (`ResidentRepo`: round trips, tenancy, duplicates,
 * optimistic versions and locks, every search filter, ordering and paging; then `Transactor` with
 * `ResidentRepo` in the transactions) against one shared build of `target.layer`, and
 * `residents service over <name>` ({@link residentsServiceSuite}: the core services end to end).
 *
 * The target provides the kernel's ports, the communities' and the residents' own. The repository
 * tests need `CommunityRepo` too: each provisions the communities it works in, as a real caller
 * does (a resident belongs to a community, and an adapter may enforce it with a foreign key); the
 * service suite provisions them through the `Communities` service.
 *
 * Call it at the top level of a test file. When `target.skip` is set the suite is skipped with a
 * warning, or fails in CI (see {@link ContractTarget.skip}).
 *
 * @example
 * ```ts
 * import { residentsContract } from "@commonweal/testing"
 *
 * residentsContract({ name: "my-store", layer: MyStore.layer })
 * ```
 */
export const residentsContract = (target: ContractTarget<ResidentsContractPorts>): void => {
  registerContract(`residents storage contract: ${target.name}`, target, (it) => {
    residentRepoContract(it)
    residentTransactionsContract(it)
  })
  residentsServiceSuite(target)
}
