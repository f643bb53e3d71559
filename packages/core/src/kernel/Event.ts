/**
 * Domain events and the outbox port.
 *
 * Every state change appends a typed domain event **in the same transaction** as the change
 * (the transactional outbox pattern), so the event log never disagrees with the data.
 * Transports can stream or deliver the events; reports can be rebuilt from them.
 *
 * A domain declares its events as `Schema.TaggedStruct`s (see `ResidentEvent`); services wrap
 * them in a {@link DomainEvent} envelope with {@link makeEvent} and append them through the
 * {@link Outbox} port, which every storage adapter implements.
 *
 * @module
 */
import { Clock, Context, DateTime, Effect, Schema } from "effect"
import type { Actor } from "./Actor.js"
import { CommunityId, EventId, IdGenerator } from "./Ids.js"
import { permissions } from "./Policy.js"

/** `events:read`: read a community's event log (staff and admins). */
export const EventPermissions = permissions("events", { read: ["admin", "staff"] })

/** The envelope every domain event travels in. `payload` is the event in its encoded (JSON) form. */
export const DomainEvent = Schema.Struct({
  id: EventId,
  communityId: CommunityId,
  /** The event's tag, e.g. `ResidentRegistered`. */
  type: Schema.String,
  /** The kind of aggregate that changed, e.g. `Resident`. */
  aggregateType: Schema.String,
  aggregateId: Schema.String,
  /** The aggregate's version after the change. */
  aggregateVersion: Schema.Int,
  occurredAt: Schema.DateTimeUtcFromString,
  /** The subject of the actor who caused it. */
  actor: Schema.String,
  payload: Schema.Unknown
})
/** The envelope every domain event travels in. */
export type DomainEvent = typeof DomainEvent.Type

/** An event as stored: the envelope plus its position in the outbox. */
export const StoredEvent = Schema.Struct({
  ...DomainEvent.fields,
  /**
   * Position in the community's outbox: starts at 1 and increases by one per event, in commit
   * order, so a reader that remembers the last sequence it saw never misses an event.
   */
  sequence: Schema.Int
})
/** An event as stored: the envelope plus its position in the outbox. */
export type StoredEvent = typeof StoredEvent.Type

/**
 * The outbox port: an append-only log of domain events. Adapters write it in the caller's
 * transaction (see `Transactor`).
 */
export class Outbox extends Context.Service<
  Outbox,
  {
    /** Appends events in order, in the current transaction. */
    readonly append: (events: ReadonlyArray<DomainEvent>) => Effect.Effect<void>
    /**
     * Events of one community after `afterSequence` (exclusive; `0` reads from the start),
     * oldest first, at most `limit`.
     */
    readonly list: (
      communityId: CommunityId,
      afterSequence: number,
      limit: number
    ) => Effect.Effect<ReadonlyArray<StoredEvent>>
  }
>()("@commonweal/core/Outbox") {}

/**
 * Wraps a domain event (a tagged struct) in an envelope: a fresh id, the time from `Clock`,
 * and the acting subject. `schema` encodes the payload to its JSON form.
 */
export const makeEvent = <A extends { readonly _tag: string }, I>(
  schema: Schema.Codec<A, I>,
  params: {
    readonly actor: Actor
    readonly aggregateType: string
    readonly aggregateId: string
    readonly aggregateVersion: number
    readonly event: A
  }
): Effect.Effect<DomainEvent, never, IdGenerator> =>
  Effect.gen(function* () {
    const ids = yield* IdGenerator
    const id = EventId.make(yield* ids.next)
    const now = yield* Clock.currentTimeMillis
    const payload = yield* Schema.encodeEffect(schema)(params.event).pipe(Effect.orDie)
    return {
      id,
      communityId: params.actor.communityId,
      type: params.event._tag,
      aggregateType: params.aggregateType,
      aggregateId: params.aggregateId,
      aggregateVersion: params.aggregateVersion,
      occurredAt: DateTime.makeUnsafe(now),
      actor: params.actor.subject,
      payload
    }
  })
