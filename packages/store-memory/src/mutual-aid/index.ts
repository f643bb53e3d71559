/**
 * Mutual aid of the in-memory store: its repository over the kernel, as a layer.
 *
 * @module
 */
import { MutualAidRepo } from "@commonweal/core"
import type { MutualAidStorage } from "@commonweal/core"
import { Layer } from "effect"
import { MemoryKernel } from "../kernel/index.js"
import { makeMutualAidRepo } from "./MutualAidRepo.js"

/** Mutual aid (邻里互助) of the in-memory store. */
export const MemoryMutualAid: {
  /**
   * The domain's storage ports (`MutualAidRepo`: volunteers, help requests, care plans and their
   * visits, walking distances) over the store of the `MemoryKernel` it is given. Time credits
   * move through the ledger: a complete mutual-aid store adds `MemoryLedger.layer` too (and the
   * communities' and residents' layers the service reads).
   *
   * @example
   * ```ts
   * import { Layer } from "effect"
   * import { MemoryKernel, MemoryLedger, MemoryMutualAid } from "@commonweal/store-memory"
   *
   * // KernelStorage | LedgerStorage | MutualAidStorage over one fresh store
   * const store = Layer.provideMerge(Layer.mergeAll(MemoryLedger.layer, MemoryMutualAid.layer), MemoryKernel.layer)
   * ```
   */
  readonly layer: Layer.Layer<MutualAidStorage, never, MemoryKernel>
} = {
  layer: Layer.effect(MutualAidRepo, MemoryKernel.useSync(makeMutualAidRepo))
}
