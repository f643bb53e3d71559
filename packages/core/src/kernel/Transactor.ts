/**
 * The `Transactor` port: run an effect atomically.
 *
 * Services wrap each command in `withTransaction`: every repository write and outbox append
 * made inside it commits together, or, if the effect fails, dies or is interrupted, none of
 * them does. Adapters decide how (a SQL transaction, a snapshot of in-memory state).
 *
 * Nested calls join the outer transaction: only the outermost one commits.
 *
 * Isolation: no other fiber ever sees a write of a transaction before it commits (no dirty
 * reads), and a write made outside a transaction is never captured by, or undone with, a
 * concurrent one. Adapters may serialize writers to get this.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Transactor } from "@commonweal/core"
 *
 * const atomically = Effect.gen(function* () {
 *   const tx = yield* Transactor
 *   yield* tx.withTransaction(Effect.all([writeA, writeB]))
 * })
 * ```
 *
 * @module
 */
import { Context, type Effect } from "effect"

/** Runs effects atomically. */
export class Transactor extends Context.Service<
  Transactor,
  {
    /** Runs `effect` in a transaction: commit on success, roll back on failure, defect or interruption. */
    readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  }
>()("@commonweal/core/Transactor") {}
