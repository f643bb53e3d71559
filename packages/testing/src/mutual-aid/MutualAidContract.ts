/**
 * The mutual-aid domain's contract suite.
 *
 * @module
 */
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import { mutualAidServiceSuite } from "./MutualAidServiceSuite.js"
import type { MutualAidContractPorts } from "./helpers.js"
import { mutualAidRepoContract } from "./MutualAidRepoContract.js"

/**
 * Registers the mutual-aid domain's storage contract for `target` as a vitest `describe` block
 * `mutual-aid storage contract: <name>` (`MutualAidRepo`: round trips of volunteers with and
 * without a resident, requests in every status with their places, services and feedback, weekly
 * and monthly care plans, visits with and without health readings; tenancy; duplicate and
 * stale-version conflicts, one volunteer per resident and community; `lockRequest`; lists by id
 * with cursor paging and every filter, as of each record's latest update; visits upserted by
 * `(planId, dueStart)` and listed by `dueStart`; walking distances set in either order and keyed
 * by `Matching.walkingKey`; failed transactions that leave no trace; and two volunteers accepting
 * one request at once, of whom exactly one wins) against one shared build of `target.layer`; and
 * `mutual-aid service over <name>`: the core `MutualAid` service end to end (matching by dialect,
 * offers masked until accepted, time credits once, team roles, racing moves, batch assignment,
 * care plans with consent-guarded readings, tenancy).
 *
 * The target provides the kernel's ports, the communities' (each test provisions the communities
 * it works in, with fresh random ids), the residents', the ledger's and mutual aid's own.
 *
 * Call it at the top level of a test file. When `target.skip` is set the suite is skipped with a
 * warning, or fails in CI (see {@link ContractTarget.skip}).
 *
 * @example
 * ```ts
 * import { mutualAidContract } from "@commonweal/testing"
 *
 * mutualAidContract({ name: "my-store", layer: MyStore.layer })
 * ```
 */
export const mutualAidContract = (target: ContractTarget<MutualAidContractPorts>): void => {
  registerContract(`mutual-aid storage contract: ${target.name}`, target, (it) => {
    mutualAidRepoContract(it)
  })
  mutualAidServiceSuite(target)
}
