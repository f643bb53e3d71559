/**
 * Clocks moved in time, for suites and seeds that act at another moment than now (after a public
 * notice has run its days, a season of sales in the past) while time keeps running.
 *
 * @module
 */
import { Clock, Effect } from "effect"

/** A clock `ms` milliseconds off `live` (negative: in the past), still running. */
export const shiftedClock = (live: Clock.Clock, ms: number): Clock.Clock => ({
  currentTimeMillisUnsafe: () => live.currentTimeMillisUnsafe() + ms,
  currentTimeMillis: Effect.map(live.currentTimeMillis, (t) => t + ms),
  currentTimeNanosUnsafe: () => live.currentTimeNanosUnsafe() + BigInt(ms) * 1_000_000n,
  currentTimeNanos: Effect.map(live.currentTimeNanos, (t) => t + BigInt(ms) * 1_000_000n),
  monotonicTimeNanosUnsafe: () => live.monotonicTimeNanosUnsafe(),
  monotonicTimeNanos: live.monotonicTimeNanos,
  sleep: (d) => live.sleep(d)
})

/** Runs `effect` with the clock `ms` milliseconds ahead of the live one. */
export const ahead =
  (ms: number) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(Clock.clockWith(Effect.succeed), (live) =>
      Effect.provideService(effect, Clock.Clock, shiftedClock(live, ms))
    )
