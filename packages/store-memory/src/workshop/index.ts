/**
 * The workshop of the in-memory store: its repository over the kernel, as a layer.
 *
 * @module
 */
import { WorkshopRepo } from "@commonweal/core"
import type { WorkshopStorage } from "@commonweal/core"
import { Layer } from "effect"
import { MemoryKernel } from "../kernel/index.js"
import { makeWorkshopRepo } from "./WorkshopRepo.js"

/** The workshop of the in-memory store. */
export const MemoryWorkshop: {
  /**
   * The domain's storage ports (`WorkshopRepo`) over the store of the `MemoryKernel` it is
   * given. The workshop's pieces and money move through the ledger, and its workers are
   * residents: a complete workshop store adds `MemoryLedger.layer` and `MemoryResidents.layer`
   * too (and `MemoryFund.layer`, for contributions to the fund).
   *
   * @example
   * ```ts
   * import { Layer } from "effect"
   * import { MemoryKernel, MemoryLedger, MemoryWorkshop } from "@commonweal/store-memory"
   *
   * // KernelStorage | LedgerStorage | WorkshopStorage over one fresh store
   * const store = Layer.provideMerge(Layer.mergeAll(MemoryLedger.layer, MemoryWorkshop.layer), MemoryKernel.layer)
   * ```
   */
  readonly layer: Layer.Layer<WorkshopStorage, never, MemoryKernel>
} = {
  layer: Layer.effect(WorkshopRepo, MemoryKernel.useSync(makeWorkshopRepo))
}
