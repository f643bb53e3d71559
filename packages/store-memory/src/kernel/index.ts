/**
 * The kernel of the in-memory store, as the domains see it: the transactional machinery
 * ({@link MemoryKernel}) and its slots of state. The kernel's own ports (`Transactor`, `Outbox`,
 * `IdempotencyKeys`, one file each beside it) come with `MemoryKernel.layer`. It names no domain.
 *
 * @module
 */
export { MemoryKernel, type MemoryKernelService } from "./MemoryKernel.js"
export { type Slot, type SlotChange, slot } from "./Slot.js"
