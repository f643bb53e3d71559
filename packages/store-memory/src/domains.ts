/**
 * The domains of the in-memory store, registered: one line per domain. Adding a domain adds its
 * folder (`src/<domain>/`, its ports over `MemoryKernel` and a layer of its storage bundle) and
 * one line here; it edits no other domain and no kernel file.
 *
 * @module
 */
import type { KernelStorage, StoragePorts } from "@commonweal/core"
import { Layer } from "effect"
import { MemoryCommunities } from "./communities/index.js"
import type { MemoryKernel } from "./kernel/index.js"
import { MemoryFund } from "./fund/index.js"
import { MemoryLedger } from "./ledger/index.js"
import { MemoryMutualAid } from "./mutual-aid/index.js"
import { MemoryWorkshop } from "./workshop/index.js"
import { MemoryResidents } from "./residents/index.js"

/** Every registered domain of the in-memory store. */
export const MemoryDomains: {
  /**
   * The storage bundles of every domain, over the store of the `MemoryKernel` they are given.
   * With `MemoryKernel.layer` it is a complete store (`MemoryStore.layer`). Its type is every
   * domain bundle core registers, so a domain core has and this list lacks does not compile.
   */
  readonly layer: Layer.Layer<Exclude<StoragePorts, KernelStorage>, never, MemoryKernel>
} = {
  layer: Layer.mergeAll(
    MemoryCommunities.layer, // communities
    MemoryResidents.layer, // residents
    MemoryLedger.layer, // ledger
    MemoryFund.layer, // fund
    MemoryMutualAid.layer, // mutual aid
    MemoryWorkshop.layer // workshop
  )
}
