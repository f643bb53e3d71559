/**
 * The ledger of the in-memory store: its repository over the kernel, as a layer.
 *
 * @module
 */
import { LedgerRepo } from "@commonweal/core"
import type { LedgerStorage } from "@commonweal/core"
import { Layer } from "effect"
import { MemoryKernel } from "../kernel/index.js"
import { makeLedgerRepo } from "./LedgerRepo.js"

/** The ledger of the in-memory store. */
export const MemoryLedger: {
  /**
   * The domain's storage ports (`LedgerRepo`) over the store of the `MemoryKernel` it is given.
   *
   * @example
   * ```ts
   * import { Layer } from "effect"
   * import { MemoryKernel, MemoryLedger } from "@commonweal/store-memory"
   *
   * // KernelStorage | LedgerStorage over one fresh store
   * const store = Layer.provideMerge(MemoryLedger.layer, MemoryKernel.layer)
   * ```
   */
  readonly layer: Layer.Layer<LedgerStorage, never, MemoryKernel>
} = {
  layer: Layer.effect(LedgerRepo, MemoryKernel.useSync(makeLedgerRepo))
}
