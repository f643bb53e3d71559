/**
 * Turning schema failures into `InvalidInput`.
 *
 * Services validate every input they are given, even when it is already typed, because a
 * TypeScript type does not stop `"abc"` from being passed as a phone number. A failure names
 * the offending field by its path (`languages.0.language`), and every issue found is listed.
 *
 * @module
 */
import { Effect, ParseResult, Schema } from "effect"
import { InvalidInput } from "./Errors.js"

/** Converts a `ParseError` into an `InvalidInput` with one issue per failing path. */
export const toInvalidInput = (error: ParseResult.ParseError): InvalidInput => {
  const raw = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    field: issue.path.map(String).join(".") || "input",
    message: issue.message
  }))
  // a failed choice among literals reports one issue per literal: say it once, listing them
  const choices = new Map<string, Array<string>>()
  for (const issue of raw) {
    const literal = /^Expected "([^"]*)"(?:, actual\b|$)/.exec(issue.message)
    if (literal) choices.set(issue.field, [...(choices.get(issue.field) ?? []), literal[1]!])
  }
  const issues = raw.flatMap((issue) => {
    const options = choices.get(issue.field)
    if (options === undefined || options.length < 2 || !/^Expected "/.test(issue.message)) {
      return [{ field: issue.field, message: humanMessage(issue.message) }]
    }
    if (options[0] !== /^Expected "([^"]*)"/.exec(issue.message)?.[1]) return []
    return [{ field: issue.field, message: `must be one of ${options.join(", ")} / 须为以下之一：${options.join("、")}` }]
  })
  // an optional or nullable field's schema is `X | undefined` (or `X | null`): when X fails, the
  // union also reports "Expected undefined"/"Expected null"; that says nothing when another issue
  // names the same field or one inside it
  const noise = (issue: { field: string; message: string }) =>
    /^Expected (undefined|null)\b/.test(issue.message) &&
    issues.some((o) => o !== issue && (o.field === issue.field || o.field.startsWith(`${issue.field}.`)))
  const useful = issues.filter((issue) => !noise(issue))
  // one issue per field and message (a failed choice among literals reports once, see the schemas)
  const seen = new Set<string>()
  const unique = useful.filter((issue) => {
    const key = `${issue.field}\u0000${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return InvalidInput.many(unique.length > 0 ? unique : issues)
}

const defaultMessages: ReadonlyArray<readonly [RegExp, string]> = [
  [/^is missing$/, "is required / 必填项"],
  [/^Expected number\b/, "must be a number / 须为数字"],
  [/^Expected string\b/, "must be text / 须为文本"],
  [/^Expected (an )?integer\b/, "must be an integer / 须为整数"],
  [/^Expected (ReadonlyArray|Array|an array)\b/, "must be a list / 须为列表"],
  [/^Expected boolean\b/, "must be true or false / 须为 true 或 false"],
  [/^is unexpected\b/, "is not a known field / 不认识的字段"]
]

/**
 * Makes a schema's message fit for people: never echoes the value (`, actual "…"` is cut,
 * as values may be personal data and errors are logged and stored), and always carries
 * Chinese (the schemas' own messages do; Effect's defaults get a translation).
 */
const humanMessage = (message: string): string => {
  const withoutValue = message.replace(/,\s*actual\b[\s\S]*$/, "").replace(/^Unable to decode [\s\S]*? into /, "cannot be read as ")
  for (const [pattern, text] of defaultMessages) if (pattern.test(withoutValue)) return text
  return /[\u4e00-\u9fff]/.test(withoutValue) ? withoutValue : `${withoutValue} / 输入无效`
}

/** Checks a typed value against the schema's type side (refinements included). */
export const validateInput = <A, I, R>(schema: Schema.Schema<A, I, R>) => (value: A): Effect.Effect<A, InvalidInput, R> =>
  Schema.validate(schema)(value, { errors: "all" }).pipe(Effect.mapError(toInvalidInput))

/** Decodes an unknown value (e.g. a parsed JSON body) with the schema. */
export const decodeInput = <A, I, R>(schema: Schema.Schema<A, I, R>) => (value: unknown): Effect.Effect<A, InvalidInput, R> =>
  Schema.decodeUnknown(schema)(value, { errors: "all" }).pipe(Effect.mapError(toInvalidInput))
