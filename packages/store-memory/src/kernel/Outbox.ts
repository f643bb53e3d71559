/**
 * The in-memory `Outbox`: each community's events in sequence order, in the kernel's transactions.
 *
 * @module
 */
import type { CommunityId, DomainEvent, Outbox, StoredEvent } from "@commonweal/core"
import { Chunk, Effect, HashMap, Option, Result } from "effect"
import type { MemoryKernelService } from "./MemoryKernel.js"
import { slot } from "./Slot.js"

/** Outbox events by community, in sequence order; a community's sequences are 1, 2, 3 … */
const events = slot("outbox", HashMap.empty<CommunityId, Chunk.Chunk<StoredEvent>>())

/** The `Outbox` port over a store's kernel. */
export const makeOutbox = (kernel: MemoryKernelService): Outbox["Service"] => ({
  append: (appended: ReadonlyArray<DomainEvent>) =>
    appended.length === 0
      ? Effect.void
      : kernel.write(events, (byCommunity) => {
          let next = byCommunity
          for (const event of appended) {
            const log = Option.getOrElse(HashMap.get(next, event.communityId), () => Chunk.empty<StoredEvent>())
            // the log holds every sequence from 1, so its length is the last one
            const stored: StoredEvent = { ...event, sequence: Chunk.size(log) + 1 }
            next = HashMap.set(next, event.communityId, Chunk.append(log, stored))
          }
          return Result.succeed([undefined, next] as const)
        }),
  list: (communityId, afterSequence, limit) =>
    kernel.read(events, (byCommunity) => {
      const log = Option.getOrElse(HashMap.get(byCommunity, communityId), () => Chunk.empty<StoredEvent>())
      const found: Array<StoredEvent> = []
      if (limit < 1) return found
      for (const event of log) {
        if (event.sequence <= afterSequence) continue
        found.push(event)
        if (found.length >= limit) break
      }
      return found
    })
})
