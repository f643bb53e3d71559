/**
 * Branded identifiers and the `IdGenerator` service.
 *
 * Every id is a UUIDv7 string: time-ordered (so ids sort roughly by creation, which makes
 * them good primary keys and cursor keys) and unique without coordination. The brand keeps a
 * `ResidentId` from being passed where a `CommunityId` is wanted.
 *
 * Ids are made only by `IdGenerator`, never by a bare random call: the live layer uses the Web
 * Crypto random source and Effect's `Clock`, the test layer is deterministic from a seed.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { IdGenerator, ResidentId } from "@commonweal/core"
 *
 * const program = Effect.gen(function* () {
 *   const ids = yield* IdGenerator
 *   const id: ResidentId = ResidentId.make(yield* ids.next)
 * })
 * ```
 *
 * @module
 */
import * as Sha256 from "./Sha256.js"
import { Clock, Context, Effect, Layer, Ref, Schema } from "effect"

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u

/** A lower-case UUIDv7 string. */
export const Uuid7 = Schema.String.check(
  Schema.isPattern(UUID_V7, { message: "must be a UUIDv7 string / 必须是 UUIDv7 格式的编号" })
)

/**
 * A UUID (version 8, RFC 9562 section 5.8) derived from a SHA-256 of `seed`: the same seed always
 * gives the same id. For ids that must be the same on every retry without a lookup (a ledger
 * account a domain opens for each community, the transfers of one step of one record).
 */
export const derivedUuid = (seed: string): string => {
  const h = Sha256.hex(seed)
  const variant = ((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** Identifies a community (the tenant: 君馨社区, 顾里小站 …). */
export const CommunityId = Uuid7.pipe(Schema.brand("CommunityId"))
/** Identifies a community (the tenant). */
export type CommunityId = typeof CommunityId.Type

/** Identifies a resident of a community. */
export const ResidentId = Uuid7.pipe(Schema.brand("ResidentId"))
/** Identifies a resident of a community. */
export type ResidentId = typeof ResidentId.Type

/** Identifies a household: residents who live together. */
export const HouseholdId = Uuid7.pipe(Schema.brand("HouseholdId"))
/** Identifies a household: residents who live together. */
export type HouseholdId = typeof HouseholdId.Type

/** Identifies one domain event in the outbox. */
export const EventId = Uuid7.pipe(Schema.brand("EventId"))
/** Identifies one domain event in the outbox. */
export type EventId = typeof EventId.Type

/** Formats 16 bytes as a UUIDv7 string, setting the version and variant bits. */
export const formatUuid7 = (millis: number, random: Uint8Array): string => {
  const bytes = new Uint8Array(16)
  let ms = Math.max(0, Math.floor(millis))
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256
    ms = Math.floor(ms / 256)
  }
  for (let i = 6; i < 16; i++) bytes[i] = random[i - 6] ?? 0
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The state of a monotonic generator: the last millisecond used and its counter. */
export interface MonotonicState {
  readonly millis: number
  readonly counter: number
}

/**
 * Advances a monotonic generator: a new millisecond starts the 12-bit counter at a random value
 * below 2048 (room to count up); the same or an earlier millisecond (the clock went back)
 * increments it; an overflowing counter borrows the next millisecond. Pure.
 */
export const nextMonotonic = (previous: MonotonicState, now: number, random: Uint8Array): MonotonicState => {
  if (now > previous.millis) return { millis: now, counter: (((random[0] ?? 0) & 0x07) << 8) | (random[1] ?? 0) }
  if (previous.counter < 0xfff) return { millis: previous.millis, counter: previous.counter + 1 }
  return { millis: previous.millis + 1, counter: 0 }
}

const formatMonotonic = (state: MonotonicState, random: Uint8Array): string => {
  const bytes = new Uint8Array(10)
  bytes.set(random)
  bytes[0] = (state.counter >>> 8) & 0x0f // formatUuid7 puts the version 7 in the high nibble
  bytes[1] = state.counter & 0xff
  return formatUuid7(state.millis, bytes)
}

/**
 * Makes new ids. Services depend on this rather than on a random source so that tests are
 * deterministic.
 */
export class IdGenerator extends Context.Service<
  IdGenerator,
  {
    /** A fresh UUIDv7 string; brand it with the id schema you need (`ResidentId.make(id)`). */
    readonly next: Effect.Effect<string>
  }
>()("@commonweal/core/IdGenerator") {
  /**
   * Random ids from the Web Crypto source (`globalThis.crypto`), timed by Effect's `Clock`, and
   * strictly increasing within one generator (RFC 9562 method 1: a 12-bit counter in `rand_a`
   * orders ids made in the same millisecond), so ids sort in creation order.
   */
  static readonly Live: Layer.Layer<IdGenerator> = Layer.effect(
    IdGenerator,
    Effect.map(Ref.make<MonotonicState>({ millis: -1, counter: 0 }), (state) => ({
      next: Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const random = new Uint8Array(10)
        globalThis.crypto.getRandomValues(random)
        return Ref.modify(state, (previous) => {
          const next = nextMonotonic(previous, now, random)
          return [formatMonotonic(next, random), next] as const
        })
      })
    }))
  )

  /**
   * Deterministic ids for tests: the time part comes from `Clock` (use `TestClock`), the
   * rest from a counter mixed with `seed`. The same seed and calls give the same ids.
   */
  static readonly Deterministic = (seed = 1): Layer.Layer<IdGenerator> =>
    Layer.effect(
      IdGenerator,
      Effect.map(Ref.make(0), (counter) => ({
        next: Effect.gen(function* () {
          const n = yield* Ref.getAndUpdate(counter, (c) => c + 1)
          const now = yield* Clock.currentTimeMillis
          const random = new Uint8Array(10)
          let x = (seed * 2654435761 + n) >>> 0
          for (let i = 0; i < 6; i++) {
            x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i) >>> 0
            random[i] = x & 0xff
          }
          // the counter, in the last four bytes, keeps ids unique for the same millisecond
          random[6] = (n >>> 24) & 0xff
          random[7] = (n >>> 16) & 0xff
          random[8] = (n >>> 8) & 0xff
          random[9] = n & 0xff
          return formatUuid7(now, random)
        })
      }))
    )
}
