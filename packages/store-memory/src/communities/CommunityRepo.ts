/**
 * The in-memory `CommunityRepo`: communities by id, in the kernel's transactions.
 *
 * @module
 */
import { Conflict } from "@commonweal/core"
import type { Community, CommunityId, CommunityRepo } from "@commonweal/core"
import { HashMap, Result } from "effect"
import { type MemoryKernelService, slot } from "../kernel/index.js"

/** Communities by id. */
const communities = slot("communities", HashMap.empty<CommunityId, Community>())

/** The `CommunityRepo` port over a store's kernel. */
export const makeCommunityRepo = (kernel: MemoryKernelService): CommunityRepo["Service"] => ({
  insert: (community) =>
    kernel.write(communities, (all) =>
      HashMap.has(all, community.id)
        ? Result.fail(Conflict.duplicate("Community", community.id))
        : Result.succeed([undefined, HashMap.set(all, community.id, community)] as const)
    ),
  findById: (id) => kernel.read(communities, (all) => HashMap.get(all, id)),
  list: () =>
    kernel.read(communities, (all) =>
      Array.from(HashMap.values(all)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    )
})
