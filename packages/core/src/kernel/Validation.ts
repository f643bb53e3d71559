/**
 * Turning schema failures into `InvalidInput`.
 *
 * Services validate every input they are given, even when it is already typed, because a
 * TypeScript type does not stop `"abc"` from being passed as a phone number. A failure names
 * the offending field by its path (`languages.0.language`).
 *
 * @module
 */
import { Effect, ParseResult, Schema } from "effect"
import { InvalidInput } from "./Errors.js"

/** Converts a `ParseError` into an `InvalidInput` with one issue per failing path. */
export const toInvalidInput = (error: ParseResult.ParseError): InvalidInput => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    field: issue.path.map(String).join(".") || "input",
    message: issue.message
  }))
  // an optional field's schema is `X | undefined`: when X fails, the union also reports
  // "Expected undefined"; that says nothing useful when another issue names the same field
  const useful = issues.filter(
    (issue) => !issue.message.startsWith("Expected undefined") || !issues.some((o) => o !== issue && o.field === issue.field)
  )
  return InvalidInput.many(useful.length > 0 ? useful : issues)
}

/** Checks a typed value against the schema's type side (refinements included). */
export const validateInput = <A, I, R>(schema: Schema.Schema<A, I, R>) => (value: A): Effect.Effect<A, InvalidInput, R> =>
  Schema.validate(schema)(value).pipe(Effect.mapError(toInvalidInput))

/** Decodes an unknown value (e.g. a parsed JSON body) with the schema. */
export const decodeInput = <A, I, R>(schema: Schema.Schema<A, I, R>) => (value: unknown): Effect.Effect<A, InvalidInput, R> =>
  Schema.decodeUnknown(schema)(value).pipe(Effect.mapError(toInvalidInput))
