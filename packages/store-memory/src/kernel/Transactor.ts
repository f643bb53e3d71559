/**
 * The in-memory `Transactor`: the kernel's transactions (see `MemoryKernel` for their semantics).
 *
 * @module
 */
import type { Transactor } from "@commonweal/core"
import type { MemoryKernelService } from "./MemoryKernel.js"

/** The `Transactor` port over a store's kernel. */
export const makeTransactor = (kernel: MemoryKernelService): Transactor["Service"] => ({
  withTransaction: kernel.withTransaction
})
