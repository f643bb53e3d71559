/**
 * The fund of the in-memory store: its repository over the kernel, as a layer.
 *
 * @module
 */
import { FundRepo } from "@commonweal/core"
import type { FundStorage } from "@commonweal/core"
import { Layer } from "effect"
import { MemoryKernel } from "../kernel/index.js"
import { makeFundRepo } from "./FundRepo.js"

/** The fund of the in-memory store. */
export const MemoryFund: {
  /**
   * The domain's storage ports (`FundRepo`) over the store of the `MemoryKernel` it is given. The
   * fund's money moves through the ledger: a complete fund store adds `MemoryLedger.layer` too.
   *
   * @example
   * ```ts
   * import { Layer } from "effect"
   * import { MemoryFund, MemoryKernel, MemoryLedger } from "@commonweal/store-memory"
   *
   * // KernelStorage | LedgerStorage | FundStorage over one fresh store
   * const store = Layer.provideMerge(Layer.mergeAll(MemoryLedger.layer, MemoryFund.layer), MemoryKernel.layer)
   * ```
   */
  readonly layer: Layer.Layer<FundStorage, never, MemoryKernel>
} = {
  layer: Layer.effect(FundRepo, MemoryKernel.useSync(makeFundRepo))
}
