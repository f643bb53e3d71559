/**
 * The fund domain's contract suite.
 *
 * @module
 */
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import { fundRepoContract } from "./FundRepoContract.js"
import { fundServiceSuite } from "./FundServiceSuite.js"
import type { FundContractPorts } from "./helpers.js"

/**
 * Registers the fund domain's storage contract for `target` as a vitest `describe` block
 * `fund storage contract: <name>` (`FundRepo`: round trips of settings, products, sub-funds,
 * entries and allocation rounds in every state, tenancy, duplicate and stale-version conflicts,
 * `lockRound`, products paged by id, sub-funds in code order, entries by `(occurredAt, id)` with
 * time and kind filters and `entryKey` cursors, rounds newest first with status and household
 * filters, failed transactions that leave no trace, and concurrent writers kept apart) against
 * one shared build of `target.layer`, and `fund service over <name>` (the core `Fund` service with
 * the ledger under it, end to end: a season of Candy Commune reconciled to the ledger, replays,
 * refused overdrafts that leave no trace, a round through public notice and N-of-M sign-off with
 * the author and the beneficiary's household stepping aside, holds paid or released, a family's
 * own applications, the public report without personal data, tenancy, concurrent payments).
 *
 * The target provides the kernel's ports, the communities' (each test provisions the communities
 * it works in, with fresh random ids), the residents', the ledger's and the fund's own.
 *
 * Call it at the top level of a test file. When `target.skip` is set the suite is skipped with a
 * warning, or fails in CI (see {@link ContractTarget.skip}).
 *
 * @example
 * ```ts
 * import { fundContract } from "@commonweal/testing"
 *
 * fundContract({ name: "my-store", layer: MyStore.layer })
 * ```
 */
export const fundContract = (target: ContractTarget<FundContractPorts>): void => {
  registerContract(`fund storage contract: ${target.name}`, target, (it) => {
    fundRepoContract(it)
  })
  fundServiceSuite(target)
}
