/**
 * The communities domain's contract suite.
 *
 * @module
 */
import type { CommunitiesStorage, KernelStorage } from "@commonweal/core"
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import { communityRepoContract } from "./CommunityRepoContract.js"

/**
 * Registers the communities domain's storage contract for `target` as a vitest `describe` block
 * (`communities storage contract: <name>`): `CommunityRepo` (round trip, unknown ids, duplicates,
 * listing) against one shared build of `target.layer`. The kernel's ports are part of the
 * target, as in every domain's suite, though `CommunityRepo`'s tests use none of them today;
 * run {@link kernelContract} beside it.
 *
 * Call it at the top level of a test file. When `target.skip` is set the suite is skipped with a
 * warning, or fails in CI (see {@link ContractTarget.skip}).
 *
 * @example
 * ```ts
 * import { communitiesContract, kernelContract } from "@commonweal/testing"
 *
 * kernelContract({ name: "my-store", layer: MyStore.layer })
 * communitiesContract({ name: "my-store", layer: MyStore.layer })
 * ```
 */
export const communitiesContract = (target: ContractTarget<KernelStorage | CommunitiesStorage>): void =>
  registerContract(`communities storage contract: ${target.name}`, target, (it) => {
    communityRepoContract(it)
  })
