/**
 * The resident registry of the in-memory store: its repository over the kernel, as a layer.
 *
 * @module
 */
import { ResidentRepo } from "@commonweal/core"
import type { ResidentsStorage } from "@commonweal/core"
import { Layer } from "effect"
import { MemoryKernel } from "../kernel/index.js"
import { makeResidentRepo } from "./ResidentRepo.js"

export { matchesQuery } from "./ResidentRepo.js"

/** The resident registry of the in-memory store. */
export const MemoryResidents: {
  /**
   * The domain's storage ports (`ResidentRepo`) over the store of the `MemoryKernel` it is given.
   *
   * @example
   * ```ts
   * import { Layer } from "effect"
   * import { MemoryKernel, MemoryResidents } from "@commonweal/store-memory"
   *
   * // KernelStorage | ResidentsStorage over one fresh store
   * const store = Layer.provideMerge(MemoryResidents.layer, MemoryKernel.layer)
   * ```
   */
  readonly layer: Layer.Layer<ResidentsStorage, never, MemoryKernel>
} = {
  layer: Layer.effect(ResidentRepo, MemoryKernel.useSync(makeResidentRepo))
}
