/**
 * `@commonweal/store-memory`: the reference in-memory adapter for every commonweal storage port.
 *
 * It keeps the whole store as one immutable value and gives it real transaction semantics, so it
 * behaves like the SQL adapters in every test and example that uses it: transactions are
 * serialized, run on a private working copy and publish it only on success (failure, defect and
 * interruption leave no trace); nested transactions join the outer one; a write outside a
 * transaction is a one-call transaction; reads outside a transaction never see uncommitted writes.
 * {@link MemoryKernel} documents the details.
 *
 * Its state lives in memory only: every build of {@link MemoryStore.layer} is a fresh, empty store.
 *
 * ## Shape
 *
 * Like `@commonweal/core`, the adapter is a kernel and one folder per domain:
 *
 * - `src/kernel/`: {@link MemoryKernel}, the transactional machinery, which hands out typed
 *   slots of state (`MemoryKernel.slot`, `read`, `write`), and the kernel's ports over it, one
 *   file each: `Transactor`, `Outbox`, `IdempotencyKeys`. `MemoryKernel.layer` provides them
 *   (`KernelStorage`) and the kernel itself over one fresh store.
 * - `src/<domain>/`: one file per port of the domain, each declaring its slots, and an `index.ts`
 *   with a layer of the domain's storage bundle that needs only the kernel
 *   ({@link MemoryCommunities}, {@link MemoryResidents}).
 * - `src/domains.ts`: the registration, one line per domain ({@link MemoryDomains}).
 *
 * A new domain adds its folder and one line in `domains.ts`; it edits no other domain and no
 * kernel file. A store of some domains only is the kernel layer with their layers, which is how a
 * domain's contract suite in `@commonweal/testing` can check it alone.
 *
 * Caveat: an effect inside a transaction must not wait for a write made by a fiber that does not
 * inherit the transaction (e.g. a fiber started with `Effect.runFork`): that write waits for the
 * lock, which the transaction holds.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { ResidentRepo } from "@commonweal/core"
 * import { MemoryKernel, MemoryResidents, MemoryStore } from "@commonweal/store-memory"
 *
 * const program = Effect.gen(function* () {
 *   const residents = yield* ResidentRepo
 *   // …
 * })
 *
 * // every port of every domain over a fresh store
 * program.pipe(Effect.provide(MemoryStore.layer))
 *
 * // the kernel's ports and the resident registry only: KernelStorage | ResidentsStorage
 * program.pipe(Effect.provide(Layer.provideMerge(MemoryResidents.layer, MemoryKernel.layer)))
 * ```
 *
 * @packageDocumentation
 */
import type { StoragePorts } from "@commonweal/core"
import { type Context, Effect, Layer } from "effect"
import { MemoryDomains } from "./domains.js"
import { MemoryKernel } from "./kernel/index.js"

export { MemoryCommunities } from "./communities/index.js"
export { MemoryDomains } from "./domains.js"
export { MemoryLedger } from "./ledger/index.js"
export { MemoryFund } from "./fund/index.js"
export { MemoryMutualAid } from "./mutual-aid/index.js"
export { MemoryWorkshop } from "./workshop/index.js"
export { MemoryKernel, type MemoryKernelService, type Slot, type SlotChange } from "./kernel/index.js"
export { MemoryResidents, matchesQuery } from "./residents/index.js"

/** The in-memory store. */
export const MemoryStore: {
  /** Every storage port over a fresh, empty in-memory store (one per build of the layer). */
  readonly layer: Layer.Layer<StoragePorts>
} = {
  layer: Layer.provideMerge(MemoryDomains.layer, MemoryKernel.layer)
}

/** Every storage port over a fresh, empty in-memory store; the same as {@link MemoryStore.layer}. */
export const layer: Layer.Layer<StoragePorts> = MemoryStore.layer

/**
 * Makes a fresh, empty in-memory store and returns every storage port over it. Each run is a
 * separate store; {@link MemoryStore.layer} makes one per build.
 */
export const makeMemoryStore: Effect.Effect<Context.Context<StoragePorts>> = Effect.scoped(
  Layer.build(MemoryStore.layer)
)
