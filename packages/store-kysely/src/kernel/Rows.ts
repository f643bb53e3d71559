/**
 * What every repository of the SQL store shares: reading stored rows (decoding, with defects
 * that name the table, the key and the failing paths, never the values), 64-bit integers,
 * inserts that report a duplicate instead of raising it, deadlocks reported as conflicts, and the
 * small row helpers the repositories share (`guarded`, `decodeAll`, `decodeFirst`, `parseColumns`).
 *
 * - **Stored rows that do not decode** are a defect whose message names the table, the key and
 *   the paths that failed, never the values (rows hold personal data; defects reach logs).
 * - **Inserts never raise on a duplicate key** where that would abort the caller's transaction
 *   (PostgreSQL): {@link insertNew} inserts `ON CONFLICT DO NOTHING` and tells whether a row
 *   went in, so a repository reports `Conflict` (duplicate) and the caller may go on in the same
 *   transaction (see `Capabilities.upsert` for MySQL).
 * - **Deadlocks** the database broke by aborting the transaction are `Conflict` (stale) for the
 *   entity the caller names ({@link staleOnDeadlock}); other driver errors are defects.
 *
 * @module
 */
import { Conflict } from "@commonweal/core"
import { Effect, type Option, Result, Schema, type SchemaIssue } from "effect"
import type { InsertResult } from "kysely"
import type { Connection, Executor } from "./Connection.js"

/** A database integer (a number, or a string or bigint for 64-bit columns) as a safe JS number. */
export const toSafeInteger = (value: number | string | bigint): number => {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) throw new Error(`@commonweal/store-kysely: ${String(value)} is not a safe integer`)
  return n
}

/**
 * Where a decode failed: the kind of each issue and its path, never the value found there (nor
 * a message, which may quote it). Walks the issue tree itself: pointers add to the path,
 * filters, encodings and composites are looked through to the issues they hold.
 */
export const issuePaths = (error: Schema.SchemaError): string => {
  const issues: Array<string> = []
  const walk = (issue: SchemaIssue.Issue, path: ReadonlyArray<PropertyKey>): void => {
    switch (issue._tag) {
      case "Pointer":
        walk(issue.issue, [...path, ...issue.path])
        return
      case "Filter":
      case "Encoding":
        walk(issue.issue, path)
        return
      case "Composite":
      case "AnyOf":
        if (issue.issues.length > 0) {
          for (const inner of issue.issues) walk(inner, path)
          return
        }
    }
    issues.push(`${issue._tag} at ${path.length === 0 ? "(root)" : path.map(String).join(".")}`)
  }
  walk(error.issue, [])
  return [...new Set(issues)].join("; ")
}

/** The defect of a stored row that cannot be read: names the table, the key and what failed, never the values. */
export const unreadable = (table: string, key: string, what: string): Error =>
  new Error(
    `@commonweal/store-kysely: the ${table} row ${key} cannot be read (${what}); it is corrupt or was not written by this adapter`
  )

/** {@link rowDecoder} as a `Result` whose failure is the defect. */
export const rowDecoderResult = <A>(schema: Schema.Decoder<A>, table: string) => {
  const decode = Schema.decodeUnknownResult(schema)
  return (key: string, input: unknown): Result.Result<A, Error> =>
    Result.mapError(decode(input), (error) => unreadable(table, key, issuePaths(error)))
}

/**
 * A decoder of stored rows for `schema`, compiled once. A failure is a defect that names the
 * table, the row's key and the failing paths only.
 */
export const rowDecoder = <A>(schema: Schema.Decoder<A>, table: string) => {
  const decode = rowDecoderResult(schema, table)
  return (key: string, input: unknown): Effect.Effect<A> => {
    const result = decode(key, input)
    return Result.isSuccess(result) ? Effect.succeed(result.success) : Effect.die(result.failure)
  }
}

/** Parses a JSON column; bad JSON is a defect naming the table, key and column (not the text). */
export const parseJson = (table: string, key: string, column: string, text: string): Result.Result<unknown, Error> => {
  try {
    return Result.succeed(JSON.parse(text) as unknown)
  } catch {
    return Result.fail(unreadable(table, key, `${column} is not valid JSON`))
  }
}

/**
 * Runs an insert of a new record and tells whether a row went in: `false` when the key exists
 * (`ON CONFLICT DO NOTHING` inserted nothing, or MySQL's duplicate-key error, which rolls back
 * that statement only). `insert` adds the dialect's clause when `ignoreDuplicate` is true.
 */
export const insertNew = <DB>(
  conn: Connection<DB>,
  insert: (db: Executor<DB>, ignoreDuplicate: boolean) => Promise<InsertResult>
): Effect.Effect<boolean> =>
  conn
    .attempt((db) => insert(db, conn.caps.upsert === "on conflict"))
    .pipe(
      Effect.map((result) => result.numInsertedOrUpdatedRows !== 0n),
      Effect.catch((error) => (conn.caps.isUniqueViolation(error) ? Effect.succeed(false) : Effect.die(error)))
    )

/**
 * A deadlock the database broke by aborting this transaction is `Conflict` (stale) for `entity`
 * `id` (the caller's entity: `"Resident"`, `"Community"` …); other errors are defects.
 */
export const staleOnDeadlock =
  <DB>(conn: Connection<DB>, entity: string, id: string) =>
  (error: unknown): Effect.Effect<never, Conflict> =>
    conn.caps.isDeadlock(error) ? Effect.fail(Conflict.stale(entity, id)) : Effect.die(error)

/** Runs `f`, turning a thrown error (an unsafe integer) into a failed `Result`. */
export const guarded = <A>(table: string, key: string, f: () => Result.Result<A, Error>): Result.Result<A, Error> => {
  try {
    return f()
  } catch {
    return Result.fail(unreadable(table, key, "a number is out of the safe integer range"))
  }
}

/** A nullable database integer as a safe JS number or `null`. */
export const nullableInt = (value: number | string | bigint | null): number | null =>
  value === null ? null : toSafeInteger(value)

/** A `Result` as an effect whose failure is the defect. */
export const orDefect = <A>(result: Result.Result<A, Error>): Effect.Effect<A> =>
  Result.isSuccess(result) ? Effect.succeed(result.success) : Effect.die(result.failure)

/** All rows decoded, or the first defect. */
export const decodeAll = <R, A>(
  rows: ReadonlyArray<R>,
  decode: (row: R) => Result.Result<A, Error>
): Effect.Effect<Array<A>> =>
  Effect.suspend(() => {
    const out: Array<A> = []
    for (const row of rows) {
      const decoded = decode(row)
      if (Result.isFailure(decoded)) return Effect.die(decoded.failure)
      out.push(decoded.success)
    }
    return Effect.succeed(out)
  })

/** The first row decoded, if any. */
export const decodeFirst = <R, A>(
  rows: ReadonlyArray<R>,
  decode: (row: R) => Result.Result<A, Error>
): Effect.Effect<Option.Option<A>> => {
  const row = rows[0]
  return row === undefined ? Effect.succeedNone : Effect.asSome(orDefect(decode(row)))
}

/** Parses the JSON columns `columns` of a row, in order; the first that is not JSON is the defect. */
export const parseColumns = <K extends string>(
  table: string,
  key: string,
  columns: Readonly<Record<K, string | null>>
): Result.Result<Record<K, unknown>, Error> => {
  const out = {} as Record<K, unknown>
  for (const name of Object.keys(columns) as Array<K>) {
    const text = columns[name]
    if (text === null) {
      out[name] = null
      continue
    }
    const parsed = parseJson(table, key, name, text)
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
    out[name] = parsed.success
  }
  return Result.succeed(out)
}
