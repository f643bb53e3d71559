/**
 * The communities domain of the in-memory store: its repository over the kernel, as a layer.
 *
 * @module
 */
import { CommunityRepo } from "@commonweal/core"
import type { CommunitiesStorage } from "@commonweal/core"
import { Layer } from "effect"
import { MemoryKernel } from "../kernel/index.js"
import { makeCommunityRepo } from "./CommunityRepo.js"

/** The communities domain of the in-memory store. */
export const MemoryCommunities: {
  /**
   * The domain's storage ports (`CommunityRepo`) over the store of the `MemoryKernel` it is given.
   *
   * @example
   * ```ts
   * import { Layer } from "effect"
   * import { MemoryCommunities, MemoryKernel } from "@commonweal/store-memory"
   *
   * // KernelStorage | CommunitiesStorage over one fresh store
   * const store = Layer.provideMerge(MemoryCommunities.layer, MemoryKernel.layer)
   * ```
   */
  readonly layer: Layer.Layer<CommunitiesStorage, never, MemoryKernel>
} = {
  layer: Layer.effect(CommunityRepo, MemoryKernel.useSync(makeCommunityRepo))
}
