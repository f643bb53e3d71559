/**
 * The domains of this package, registered: one line per domain in the list below. Adding a
 * domain adds its folder (`src/<domain>/`, with its contract suite) and its line here; it edits
 * no other domain and no kernel file.
 *
 * @module
 */
import type { StoragePorts } from "@commonweal/core"
import { communitiesContract } from "./communities/CommunitiesContract.js"
import { fundContract } from "./fund/FundContract.js"
import type { ContractTarget } from "./kernel/ContractTarget.js"
import { kernelContract } from "./kernel/KernelContract.js"
import { ledgerContract } from "./ledger/LedgerContract.js"
import { mutualAidContract } from "./mutual-aid/MutualAidContract.js"
import { residentsContract } from "./residents/ResidentsContract.js"
import { workshopContract } from "./workshop/WorkshopContract.js"

/** The contract suite of each domain, in the order {@link storageContract} registers them. */
export const domainContracts: ReadonlyArray<(target: ContractTarget<StoragePorts>) => void> = [
  communitiesContract,
  residentsContract,
  ledgerContract,
  fundContract,
  mutualAidContract,
  workshopContract
]

/**
 * Registers every contract suite for an adapter that supports every domain: the kernel's
 * ({@link kernelContract}), then each domain's, in the order of {@link domainContracts}
 * (`communitiesContract`, `residentsContract`). Each is its own `describe` block over its own
 * build of `target.layer` (for a SQL adapter, one database shared by the blocks, whose tests never
 * assume an empty store: each works in communities it creates with fresh random ids).
 *
 * The tests assert what users rely on: equal round trips, tenancy, duplicate and stale-version
 * conflicts, each search filter, id order and cursor paging, outbox order, idempotency keys, and
 * transactions that commit together or leave no trace (failure, defect, interruption), join when
 * nested and keep concurrent writers apart. They use the live clock, so a driver's own timeouts behave.
 *
 * Call it at the top level of a test file. When `target.skip` is set every suite is skipped with a
 * warning, or fails in CI (see {@link ContractTarget.skip}). An adapter that supports only some
 * domains calls {@link kernelContract} and those domains' suites instead.
 *
 * @example
 * ```ts
 * import { storageContract } from "@commonweal/testing"
 *
 * storageContract({ name: "my-store", layer: MyStore.layer })
 * ```
 */
export const storageContract = (target: ContractTarget<StoragePorts>): void => {
  kernelContract(target)
  for (const contract of domainContracts) contract(target)
}
