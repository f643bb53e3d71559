/**
 * How the store talks to the database: the current transaction, the SQLite queue, and turning
 * driver failures into defects.
 *
 * - **The current transaction** travels in a `FiberRef` owned by one store instance. Every
 *   query asks it first: inside `withTransaction` a query runs on the transaction, outside on
 *   the pool. A nested `withTransaction` finds a transaction there and joins it. Forked fibers
 *   inherit the reference, so `Effect.all(…, { concurrency })` inside a transaction stays in it.
 * - **Commit or roll back**: `Effect.acquireUseRelease` starts the transaction (uninterruptibly),
 *   runs the effect with the reference set, and in the release commits on success and rolls
 *   back on failure, defect or interruption. If the commit itself fails, the adapter rolls back
 *   (which frees the connection) and dies with the commit's error.
 * - **SQLite** (`singleConnection`): better-sqlite3 is one synchronous connection, and Kysely's
 *   `SqliteDialect` makes every caller wait on a mutex while a transaction holds it, with no time
 *   limit. A fiber outside the transaction that the transaction waits for (directly or not) would
 *   hang both forever. So the adapter keeps its own FIFO gate in front of Kysely: a transaction
 *   holds it from begin to commit; a call outside any transaction takes it for one statement;
 *   calls inside the transaction pass through. A caller that waits longer than `lockTimeout`
 *   (default 30 s) dies with a defect that says why, instead of waiting forever, and, since
 *   it never reached Kysely, its statement is not run later behind its back.
 * - **Errors**: the ports' error channels carry domain errors only, so a driver error (lost
 *   connection, syntax, deadlock) is a defect, with the driver's error as the cause.
 *
 * @module
 */
import { Duration, Effect, Exit, FiberRef, Option } from "effect"
import type { ControlledTransaction, Kysely, Transaction } from "kysely"
import type { Database } from "./Database.js"
import { capabilities, type Capabilities, type Dialect } from "./Dialect.js"

/** A place queries can run: the pool, or the open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>

/** Options of the connection wrapper. */
export interface ConnectionOptions {
  /**
   * SQLite only: how long a caller waits for the single connection before it dies with a
   * defect (default 30 seconds). Other dialects wait for a pool connection as their pool says.
   */
  readonly lockTimeout?: Duration.DurationInput | undefined
}

/** The running parts every repository uses. */
export interface Connection {
  readonly db: Kysely<Database>
  readonly caps: Capabilities
  /** Runs one database call on the current transaction or the pool; its rejection stays in the error channel. */
  readonly attempt: <A>(f: (db: Executor) => Promise<A>) => Effect.Effect<A, unknown>
  /** Runs one database call; a rejection is a defect. */
  readonly run: <A>(f: (db: Executor) => Promise<A>) => Effect.Effect<A>
  /** Runs `effect` in a transaction, or in the current one if there is one. */
  readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Whether the calling fiber is inside a transaction of this store. */
  readonly inTransaction: Effect.Effect<boolean>
}

/** A FIFO gate with one holder; `acquire` resolves `false` when it gave up waiting. */
class Gate {
  private held = false
  private readonly waiters: Array<() => void> = []

  acquire(timeoutMillis: number): Effect.Effect<boolean> {
    return Effect.async<boolean>((resume) => {
      if (!this.held) {
        this.held = true
        resume(Effect.succeed(true))
        return
      }
      // Decided synchronously, so a waiter is either granted or timed out, never both.
      const grant = () => {
        clearTimeout(timer)
        resume(Effect.succeed(true))
      }
      const timer = setTimeout(() => {
        this.remove(grant)
        resume(Effect.succeed(false))
      }, timeoutMillis)
      this.waiters.push(grant)
      return Effect.sync(() => {
        clearTimeout(timer)
        this.remove(grant)
      })
    })
  }

  release(): void {
    const next = this.waiters.shift()
    if (next === undefined) this.held = false
    else next() // ownership passes straight to the next waiter
  }

  private remove(waiter: () => void): void {
    const i = this.waiters.indexOf(waiter)
    if (i >= 0) this.waiters.splice(i, 1)
  }
}

const gateTimeout = (waitedMillis: number) =>
  new Error(
    `@commonweal/store-kysely: waited ${waitedMillis} ms for the SQLite connection, which an open transaction holds. ` +
      "SQLite has one connection: a fiber outside the transaction cannot query while it is open. " +
      "If the transaction waits for this fiber, run this call inside the transaction (keep its FiberRef), " +
      "or raise lockTimeout for long transactions."
  )

/** Builds the connection wrapper of one store instance. */
export const makeConnection = (db: Kysely<Database>, dialect: Dialect, options: ConnectionOptions = {}): Connection => {
  const caps = capabilities(dialect)
  const currentTx = FiberRef.unsafeMake<Option.Option<Transaction<Database>>>(Option.none())
  const gate = caps.singleConnection ? new Gate() : undefined
  const timeoutMillis = Duration.toMillis(options.lockTimeout ?? Duration.seconds(30))

  /** Holds the SQLite gate around `effect` (nothing for pooled dialects). */
  const exclusive = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
    if (gate === undefined) return effect
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(restore(gate.acquire(timeoutMillis)), (granted) =>
        granted
          ? Effect.ensuring(restore(effect), Effect.sync(() => gate.release()))
          : Effect.die(gateTimeout(timeoutMillis))
      )
    )
  }

  const call = <A>(executor: Executor, f: (db: Executor) => Promise<A>): Effect.Effect<A, unknown> =>
    Effect.tryPromise({ try: () => f(executor), catch: (error) => error })

  const attempt = <A>(f: (db: Executor) => Promise<A>): Effect.Effect<A, unknown> =>
    Effect.flatMap(FiberRef.get(currentTx), (tx) =>
      Option.isSome(tx) ? call(tx.value, f) : exclusive(call(db, f))
    )

  const run = <A>(f: (db: Executor) => Promise<A>): Effect.Effect<A> => Effect.orDie(attempt(f))

  const begin: Effect.Effect<ControlledTransaction<Database>> = Effect.orDie(
    Effect.tryPromise({
      try: () => {
        const builder = db.startTransaction()
        return (caps.isolationLevel === undefined ? builder : builder.setIsolationLevel(caps.isolationLevel)).execute()
      },
      catch: (error) => error
    })
  )

  const finish = (trx: ControlledTransaction<Database>, exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
    Exit.isSuccess(exit)
      ? Effect.tryPromise({ try: () => trx.commit().execute(), catch: (error) => error }).pipe(
          Effect.catchAll((commitError) =>
            // a failed commit keeps the connection; a rollback frees it even when it fails too
            Effect.promise(() => trx.rollback().execute().catch(() => undefined)).pipe(
              Effect.zipRight(Effect.die(commitError))
            )
          )
        )
      : Effect.orDie(Effect.tryPromise({ try: () => trx.rollback().execute(), catch: (error) => error }))

  const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(FiberRef.get(currentTx), (tx) =>
      Option.isSome(tx)
        ? effect
        : exclusive(
            Effect.acquireUseRelease(
              begin,
              (trx) => Effect.locally(effect, currentTx, Option.some<Transaction<Database>>(trx)),
              finish
            )
          )
    )

  return {
    db,
    caps,
    attempt,
    run,
    withTransaction,
    inTransaction: Effect.map(FiberRef.get(currentTx), Option.isSome)
  }
}
