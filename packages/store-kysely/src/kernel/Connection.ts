/**
 * How the store talks to the database: the current transaction, the SQLite queue, prepared
 * reads, and turning driver failures into defects.
 *
 * - **The current transaction** travels in a `Context.Reference` owned by one store instance
 *   (its key is unique to the instance), set with `Effect.provideService` for the transaction's
 *   effect. Every query asks it first: inside `withTransaction` a query runs on the transaction,
 *   outside on the pool. A nested `withTransaction` finds a transaction there and joins it.
 *   Forked fibers inherit their parent's context and with it the reference, so
 *   `Effect.all(…, { concurrency })` inside a transaction stays in it.
 * - **Commit or roll back**: `Effect.acquireUseRelease` starts the transaction (uninterruptibly),
 *   runs the effect with the reference set, and in the release commits on success and rolls
 *   back on failure, defect or interruption. If the commit itself fails, the adapter rolls back
 *   (which frees the connection) and dies with the commit's error.
 * - **SQLite** (`singleConnection`): better-sqlite3 is one synchronous connection, and Kysely's
 *   `SqliteDialect` makes every caller wait on a mutex while a transaction holds it, with no time
 *   limit. A fiber outside the transaction that the transaction waits for (directly or not) would
 *   hang both forever. So the adapter keeps its own FIFO gate in front of Kysely: a transaction
 *   holds it from begin to commit; a call outside any transaction takes it for one statement;
 *   calls inside the transaction pass through. A free gate is taken synchronously; a caller that
 *   has to wait longer than `lockTimeout` (default 30 s) dies with a defect that says why,
 *   instead of waiting forever, and, since it never reached Kysely, its statement is not run
 *   later behind its back.
 * - **Prepared reads** ({@link Connection.prepare}): the hot reads (find by id) are built and
 *   compiled by Kysely once, when the store is made, and run with new parameters each time.
 *   When the store opened the SQLite file itself ({@link makeStatementCache}), they run
 *   synchronously on a cached better-sqlite3 statement: no query building, no promise. The
 *   cache also serves every statement Kysely prepares. Other dialects run the compiled query
 *   through Kysely.
 * - **Errors**: the ports' error channels carry domain errors only, so a driver error (lost
 *   connection, syntax) is a defect, with the driver's error as the cause. The exceptions are
 *   the repositories' own: a duplicate key (`Conflict` duplicate) and a deadlock the database
 *   broke by aborting the transaction (`Conflict` stale_version, see `Capabilities.isDeadlock`).
 *
 * @module
 */
import { Context, Duration, Effect, Exit, Option } from "effect"
import type {
  Compilable,
  CompiledQuery,
  ControlledTransaction,
  Kysely,
  SqliteDatabase,
  SqliteStatement,
  Transaction
} from "kysely"
import { capabilities, type Capabilities, type Dialect } from "./Dialect.js"

/** A place queries can run: the pool, or the open transaction. */
export type Executor<DB> = Kysely<DB> | Transaction<DB>

/** Options of the connection wrapper. */
export interface ConnectionOptions {
  /**
   * SQLite only: how long a caller waits for the single connection before it dies with a
   * defect (default 30 seconds). Other dialects wait for a pool connection as their pool says.
   */
  readonly lockTimeout?: Duration.Input | undefined
}

/**
 * A better-sqlite3 database seen through a statement cache: `prepare(sql)` returns the same
 * statement for the same text. Hand it to Kysely's `SqliteDialect` in place of the database, and
 * to {@link makeConnection} so prepared reads run synchronously on it.
 */
export interface StatementCache extends SqliteDatabase {
  /** Runs a reading statement synchronously. */
  readonly all: (sql: string, parameters: ReadonlyArray<unknown>) => Array<unknown>
}

/**
 * Wraps a better-sqlite3 database in a statement cache of at most `capacity` statements (the
 * least recently used one is finalized by the garbage collector when it falls out). Kysely's
 * SQLite driver calls only `prepare` (then `all`, `run` or `iterate` on the statement) and
 * `close`; the store never streams, so a cached statement is never busy when it is reused.
 */
export const makeStatementCache = (database: SqliteDatabase, capacity = 256): StatementCache => {
  const cache = new Map<string, SqliteStatement>()
  const prepare = (sql: string): SqliteStatement => {
    let statement = cache.get(sql)
    if (statement === undefined) {
      statement = database.prepare(sql)
      if (cache.size >= capacity) cache.delete(cache.keys().next().value as string)
    } else {
      cache.delete(sql) // re-inserted below: most recently used last
    }
    cache.set(sql, statement)
    return statement
  }
  return {
    prepare,
    all: (sql, parameters) => prepare(sql).all(parameters),
    close: () => {
      cache.clear()
      database.close()
    }
  }
}

/**
 * A read compiled once: give it the values of its parameters (`param(0)`, `param(1)` …). Its
 * driver error stays in the error channel, as with {@link Connection.attempt}.
 */
export type PreparedRead<R> = (...values: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<R>, unknown>

/**
 * The running parts every repository uses, typed with the tables `DB` its user reads and writes
 * (the kernel sees its own tables, each domain its own: see {@link Connection.view}).
 */
export interface Connection<DB> {
  readonly db: Kysely<DB>
  readonly caps: Capabilities
  /** Runs one database call on the current transaction or the pool; its rejection stays in the error channel. */
  readonly attempt: <A>(f: (db: Executor<DB>) => Promise<A>) => Effect.Effect<A, unknown>
  /** Runs one database call; a rejection is a defect. */
  readonly run: <A>(f: (db: Executor<DB>) => Promise<A>) => Effect.Effect<A>
  /**
   * Compiles a read once. Build it with `param(0)`, `param(1)` … where the values go; the
   * returned function runs it with the values given, on the current transaction or the pool.
   */
  readonly prepare: <R>(build: (db: Kysely<DB>, param: (index: number) => string) => Compilable<R>) => PreparedRead<R>
  /** Runs `effect` in a transaction, or in the current one if there is one. */
  readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Whether the calling fiber is inside a transaction of this store. */
  readonly inTransaction: Effect.Effect<boolean>
  /**
   * Runs `f` once the current transaction has ended, committed or rolled back (at once when
   * there is none): for in-process caches that must drop what a write replaced only when the
   * write's outcome is visible to every connection.
   */
  readonly afterTransaction: (f: () => void) => Effect.Effect<void>
  /**
   * The same connection (same pool, same current transaction, same SQLite queue) typed with the
   * tables `T`: how a domain gets a connection that knows its own tables only. The view changes
   * types only, like Kysely's own `withTables`; the migrations of the store are what make the
   * tables exist.
   */
  readonly view: <T>() => Connection<T>
}

/** A FIFO gate with one holder. */
class Gate {
  private held = false
  private readonly waiters: Array<() => void> = []

  /** Takes the gate if it is free, synchronously. */
  tryAcquire(): boolean {
    if (this.held) return false
    this.held = true
    return true
  }

  /** Waits for the gate; `false` when it gave up waiting after `timeoutMillis`. */
  acquire(timeoutMillis: number): Effect.Effect<boolean> {
    return Effect.suspend(() =>
      this.tryAcquire()
        ? Effect.succeed(true)
        : Effect.callback<boolean>((resume) => {
            if (this.tryAcquire()) {
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
    )
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
      "If the transaction waits for this fiber, run this call inside the transaction (keep its context), " +
      "or raise lockTimeout for long transactions."
  )

const PARAM = "\u0000commonweal-param:"

/** Tells one store's transaction reference from another's (each connection wrapper has its own key). */
let connectionCount = 0

/**
 * Builds the connection wrapper of one store instance. `statements`: the statement cache the
 * SQLite Kysely instance was opened on, if the store opened it (prepared reads then run
 * synchronously on it).
 */
export const makeConnection = <DB>(
  db: Kysely<DB>,
  dialect: Dialect,
  options: ConnectionOptions = {},
  statements?: StatementCache
): Connection<DB> => {
  const caps = capabilities(dialect)
  const currentTx = Context.Reference<Option.Option<Transaction<DB>>>(
    `@commonweal/store-kysely/CurrentTransaction/${++connectionCount}/${Math.random().toString(36).slice(2)}`,
    { defaultValue: () => Option.none() }
  )
  const gate = caps.singleConnection ? new Gate() : undefined
  const timeoutMillis = Duration.toMillis(options.lockTimeout ?? Duration.seconds(30))

  /** Holds the SQLite gate around `effect` (nothing for pooled dialects). */
  const exclusive = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
    if (gate === undefined) return effect
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(restore(gate.acquire(timeoutMillis)), (granted) =>
        granted
          ? Effect.ensuring(
              restore(effect),
              Effect.sync(() => gate.release())
            )
          : Effect.die(gateTimeout(timeoutMillis))
      )
    )
  }

  const call = <A>(executor: Executor<DB>, f: (db: Executor<DB>) => Promise<A>): Effect.Effect<A, unknown> =>
    Effect.tryPromise({ try: () => f(executor), catch: (error) => error })

  const attempt = <A>(f: (db: Executor<DB>) => Promise<A>): Effect.Effect<A, unknown> =>
    Effect.flatMap(currentTx, (tx) => (Option.isSome(tx) ? call(tx.value, f) : exclusive(call(db, f))))

  const run = <A>(f: (db: Executor<DB>) => Promise<A>): Effect.Effect<A> => Effect.orDie(attempt(f))

  const prepare = <R>(build: (db: Kysely<DB>, param: (index: number) => string) => Compilable<R>): PreparedRead<R> => {
    const compiled = build(db, (index) => `${PARAM}${index}`).compile()
    const positions = compiled.parameters.map((p) => {
      if (typeof p !== "string" || !p.startsWith(PARAM)) {
        throw new Error(`@commonweal/store-kysely: a prepared read has a literal parameter: ${compiled.sql}`)
      }
      return Number(p.slice(PARAM.length))
    })
    const parameters = (values: ReadonlyArray<unknown>) => positions.map((i) => values[i])
    if (statements !== undefined && gate !== undefined) {
      // SQLite, opened by the store: run the cached statement synchronously. Inside a transaction
      // it runs on the transaction (the one connection); outside, under the gate, taken without
      // waiting when it is free.
      const sqlText = compiled.sql
      const direct = (values: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<R>, unknown> => {
        try {
          return Effect.succeed(statements.all(sqlText, parameters(values)) as Array<R>)
        } catch (error) {
          return Effect.fail(error)
        }
      }
      return (...values) =>
        Effect.flatMap(currentTx, (tx) => {
          if (Option.isSome(tx)) return direct(values)
          if (!gate.tryAcquire()) return exclusive(Effect.suspend(() => direct(values)))
          try {
            return direct(values)
          } finally {
            gate.release()
          }
        })
    }
    return (...values) => {
      const query: CompiledQuery<R> = { ...compiled, parameters: parameters(values) }
      return Effect.map(
        attempt((executor) => executor.executeQuery(query)),
        (result) => result.rows
      )
    }
  }

  const begin: Effect.Effect<ControlledTransaction<DB>> = Effect.orDie(
    Effect.tryPromise({
      try: () => {
        const builder = db.startTransaction()
        return (caps.isolationLevel === undefined ? builder : builder.setIsolationLevel(caps.isolationLevel)).execute()
      },
      catch: (error) => error
    })
  )

  const finish = (trx: ControlledTransaction<DB>, exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
    Exit.isSuccess(exit)
      ? Effect.tryPromise({ try: () => trx.commit().execute(), catch: (error) => error }).pipe(
          Effect.catch((commitError) =>
            // a failed commit keeps the connection; a rollback frees it even when it fails too
            Effect.promise(() =>
              trx
                .rollback()
                .execute()
                .catch(() => undefined)
            ).pipe(Effect.andThen(Effect.die(commitError)))
          )
        )
      : Effect.orDie(Effect.tryPromise({ try: () => trx.rollback().execute(), catch: (error) => error }))

  /** Callbacks to run when a transaction ends, by transaction. */
  const endHooks = new WeakMap<Transaction<DB>, Array<() => void>>()

  const afterTransaction = (f: () => void): Effect.Effect<void> =>
    Effect.flatMap(currentTx, (tx) =>
      Effect.sync(() => {
        if (Option.isNone(tx)) return f()
        const hooks = endHooks.get(tx.value) ?? []
        hooks.push(f)
        endHooks.set(tx.value, hooks)
      })
    )

  const runEndHooks = (trx: Transaction<DB>) =>
    Effect.sync(() => {
      const hooks = endHooks.get(trx) ?? []
      endHooks.delete(trx)
      for (const hook of hooks) hook()
    })

  const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(currentTx, (tx) =>
      Option.isSome(tx)
        ? effect
        : exclusive(
            Effect.acquireUseRelease(
              begin,
              (trx) => Effect.provideService(effect, currentTx, Option.some<Transaction<DB>>(trx)),
              (trx, exit) => Effect.ensuring(finish(trx, exit), runEndHooks(trx))
            )
          )
    )

  const connection: Connection<DB> = {
    db,
    caps,
    attempt,
    run,
    prepare,
    withTransaction,
    inTransaction: Effect.map(currentTx, Option.isSome),
    afterTransaction,
    // types only: every query still runs on this connection's pool or transaction
    view: <T>() => connection as unknown as Connection<T>
  }
  return connection
}
