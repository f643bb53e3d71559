/**
 * The ledger domain's contract suite.
 *
 * @module
 */
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import type { LedgerContractPorts } from "./helpers.js"
import { ledgerRepoContract } from "./LedgerRepoContract.js"
import { ledgerServiceSuite } from "./LedgerServiceSuite.js"

/**
 * Registers the ledger domain's storage contract for `target` as two vitest `describe` blocks:
 * `ledger storage contract: <name>` (`LedgerRepo`: round trips and tenancy, write conflicts and
 * duplicates, `load`, `loadExpiring`, transfers paged by sequence and by account) against one
 * shared build of `target.layer`, and `ledger service over <name>` (the core `Ledger` service end
 * to end: sales into the fund, holds, voids, expiry, reversals, replays, failed batches, closed
 * accounts, tenancy, and 20 concurrent writers spending from one account).
 *
 * The target provides the kernel's ports, the communities' (each test provisions the
 * communities it works in, with fresh random ids) and the ledger's own.
 *
 * Call it at the top level of a test file. When `target.skip` is set the suite is skipped with a
 * warning, or fails in CI (see {@link ContractTarget.skip}).
 *
 * @example
 * ```ts
 * import { ledgerContract } from "@commonweal/testing"
 *
 * ledgerContract({ name: "my-store", layer: MyStore.layer })
 * ```
 */
export const ledgerContract = (target: ContractTarget<LedgerContractPorts>): void => {
  registerContract(`ledger storage contract: ${target.name}`, target, (it) => {
    ledgerRepoContract(it)
  })
  ledgerServiceSuite(target)
}
