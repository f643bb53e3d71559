/**
 * Turning schema failures into `InvalidInput`.
 *
 * Services validate every input they are given, even when it is already typed, because a
 * TypeScript type does not stop `"abc"` from being passed as a phone number. A failure names
 * the offending field by its path (`languages.0.language`), and every issue found is listed.
 *
 * Messages are for people: a schema's own `message` annotation (bilingual in commonweal's
 * schemas) is used as it is; where a schema has none, the message says what was expected in
 * English and Chinese. A message never repeats the value that was given, because values may be
 * personal data and errors are logged and stored.
 *
 * @module
 */
import { Effect, Schema } from "effect"
import type { SchemaAST, SchemaIssue } from "effect"
import type { InputIssue } from "./Errors.js"
import { InvalidInput } from "./Errors.js"

const INVALID = "is invalid / 输入无效"

/** A bilingual message for "expected a value of this schema", without the value. */
const expected = (ast: SchemaAST.AST): string => {
  const own = ast.annotations?.["message"]
  if (typeof own === "string") return own
  switch (ast._tag) {
    case "String":
    case "TemplateLiteral":
      return "must be text / 须为文本"
    case "Number":
      return "must be a number / 须为数字"
    case "Boolean":
      return "must be true or false / 须为 true 或 false"
    case "Arrays":
      return "must be a list / 须为列表"
    case "Objects":
      return "must be an object / 须为对象"
    case "Null":
      return "must be null / 须为 null"
    case "Literal":
      return `must be ${String(ast.literal)} / 须为 ${String(ast.literal)}`
    case "Union": {
      const literals = literalsOf(ast)
      if (literals !== undefined) return `must be one of ${literals.join(", ")} / 须为以下之一：${literals.join("、")}`
      const tags = tagsOf(ast)
      if (tags !== undefined) return `must have _tag ${tags.join(" or ")} / _tag 须为 ${tags.join(" 或 ")}`
      // `X | null` or `X | undefined` says what X expects
      const meaningful = ast.types.filter((t) => t._tag !== "Null" && t._tag !== "Undefined")
      return meaningful.length === 1 ? expected(meaningful[0]!) : INVALID
    }
    case "Declaration":
      return /DateTime/i.test(String(ast.annotations?.["expected"] ?? ast.annotations?.["identifier"] ?? ""))
        ? "must be an ISO 8601 date-time / 须为 ISO 8601 日期时间"
        : INVALID
    default:
      return INVALID
  }
}

/** The values of a union of literals, or `undefined` when it is another kind of union. */
const literalsOf = (ast: SchemaAST.Union): ReadonlyArray<string> | undefined => {
  const values: Array<string> = []
  for (const member of ast.types) {
    if (member._tag === "Literal") values.push(String(member.literal))
    else if (member._tag === "Union") {
      const nested = literalsOf(member)
      if (nested === undefined) return undefined
      values.push(...nested)
    } else return undefined
  }
  return values
}

/** The `_tag`s of a union of tagged structs, or `undefined` when it is another kind of union. */
const tagsOf = (ast: SchemaAST.Union): ReadonlyArray<string> | undefined => {
  const tags: Array<string> = []
  for (const member of ast.types) {
    const tag = member._tag === "Objects" ? member.propertySignatures.find((p) => p.name === "_tag") : undefined
    if (tag === undefined || tag.type._tag !== "Literal") return undefined
    tags.push(String(tag.type.literal))
  }
  return tags
}

/** Chinese for the `expected` texts of Effect's built-in checks. */
const expectedInChinese: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => string]> = [
  [/^a value between (\S+) and (\S+)$/, (m) => `须在 ${m[1]} 到 ${m[2]} 之间`],
  [/^a value greater than or equal to (\S+)$/, (m) => `须不小于 ${m[1]}`],
  [/^a value less than or equal to (\S+)$/, (m) => `须不大于 ${m[1]}`],
  [/^a value with a length of at least (\d+)$/, (m) => (m[1] === "1" ? "不能为空" : `长度须至少为 ${m[1]}`)],
  [/^a value with a length of at most (\d+)$/, (m) => `长度最多为 ${m[1]}`],
  [/^an integer$/, () => "须为整数"],
  [/^a finite number$/, () => "须为有限数值"]
]

/**
 * A maximum number of items for a list (`Schema.Array(X).check(isMaxItems(10))`), whose message
 * says items, not characters: "must have at most 10 items / 最多 10 项". Declare list bounds with
 * it (or {@link isMinItems}); a bare `Schema.isMaxLength` on a list is told apart by the value it
 * failed on, see {@link toInvalidInput}.
 */
export const isMaxItems = (max: number) =>
  Schema.isMaxLength(max, { message: `must have at most ${max} items / 最多 ${max} 项` })

/** A minimum number of items for a list: "must have at least 1 item / 至少 1 项". */
export const isMinItems = (min: number) =>
  Schema.isMinLength(min, { message: `must have at least ${min} ${min === 1 ? "item" : "items"} / 至少 ${min} 项` })

const LENGTH_CHECKS: Readonly<Record<string, (payload: Record<string, unknown>, list: boolean) => string | undefined>> =
  {
    "effect/schema/isMaxLength": (p, list) =>
      list
        ? `must have at most ${p["maxLength"]} items / 最多 ${p["maxLength"]} 项`
        : `must be at most ${p["maxLength"]} characters / 最多 ${p["maxLength"]} 个字符`,
    "effect/schema/isMinLength": (p, list) =>
      p["minLength"] === 1
        ? list
          ? "must not be an empty list / 列表不能为空"
          : "must not be empty / 不能为空"
        : list
          ? `must have at least ${p["minLength"]} items / 至少 ${p["minLength"]} 项`
          : `must be at least ${p["minLength"]} characters / 至少 ${p["minLength"]} 个字符`,
    "effect/schema/isBetweenLength": (p, list) =>
      list
        ? `must have ${p["minimum"]} to ${p["maximum"]} items / 须为 ${p["minimum"]} 到 ${p["maximum"]} 项`
        : `must be ${p["minimum"]} to ${p["maximum"]} characters / 须为 ${p["minimum"]} 到 ${p["maximum"]} 个字符`
  }

/**
 * The message of a length check without a message of its own. A length check on a list and on a
 * text is the same filter: the value it failed on (kept in the issue because decoding runs with
 * `reportInput`; never put in the message) tells which, so a list is said to have too many items,
 * a text too many characters.
 */
const lengthMessage = (issue: SchemaIssue.Filter): string | undefined => {
  const representation = issue.filter.annotations?.representation as
    | { readonly id?: unknown; readonly payload?: unknown }
    | undefined
  const describe = typeof representation?.id === "string" ? LENGTH_CHECKS[representation.id] : undefined
  if (describe === undefined || typeof representation?.payload !== "object" || representation.payload === null)
    return undefined
  const value = issue.input
  if (!Array.isArray(value) && typeof value !== "string") return undefined
  return describe(representation.payload as Record<string, unknown>, Array.isArray(value))
}

/** A filter's failure: its own message, else what its `expected` annotation says, else generic. */
const filterMessage = (issue: SchemaIssue.Filter): string => {
  const own = issue.filter.annotations?.message
  if (typeof own === "string") return own
  const inner = issue.issue._tag === "InvalidValue" ? issue.issue.annotations?.message : undefined
  if (typeof inner === "string") return inner
  const length = lengthMessage(issue)
  if (length !== undefined) return length
  const what = issue.filter.annotations?.expected
  if (typeof what !== "string") return INVALID
  for (const [pattern, chinese] of expectedInChinese) {
    const m = pattern.exec(what)
    if (m !== null) return `must be ${what} / ${chinese(m)}`
  }
  return `must be ${what} / 输入无效`
}

/** Flattens an issue tree into one `{ field, message }` per failure. */
const flatten = (issue: SchemaIssue.Issue, path: ReadonlyArray<PropertyKey>, out: Array<InputIssue>): void => {
  const field = path.map(String).join(".") || "input"
  switch (issue._tag) {
    case "Pointer":
      flatten(issue.issue, [...path, ...issue.path], out)
      return
    case "Encoding":
      // a failed transformation (a string that is not a date-time, say): report the inner issue
      flatten(issue.issue, path, out)
      return
    case "Composite":
      for (const inner of issue.issues) flatten(inner, path, out)
      return
    case "Filter":
      // a filter that reports its own issue (with a path and a message) is flattened
      if (typeof issue.filter.annotations?.message !== "string" && issue.issue._tag !== "InvalidValue") {
        flatten(issue.issue, path, out)
        return
      }
      out.push({ field, message: filterMessage(issue) })
      return
    case "AnyOf":
      if (issue.issues.length > 0) {
        for (const inner of issue.issues) flatten(inner, path, out)
        return
      }
      out.push({ field, message: expected(issue.ast) })
      return
    case "InvalidType":
      out.push({ field, message: expected(issue.ast) })
      return
    case "InvalidValue": {
      const own = issue.annotations?.message
      out.push({ field, message: typeof own === "string" ? own : INVALID })
      return
    }
    case "MissingKey": {
      const own = issue.annotations?.messageMissingKey
      out.push({ field, message: typeof own === "string" ? own : "is required / 必填项" })
      return
    }
    case "UnexpectedKey":
      out.push({ field, message: "is not a known field / 不认识的字段" })
      return
    case "OneOf":
      out.push({ field, message: "matches more than one form / 输入有歧义" })
      return
    case "Forbidden":
      out.push({ field, message: INVALID })
      return
  }
}

/**
 * Converts a schema failure into an `InvalidInput` with one issue per failing field and message
 * (duplicates dropped). At most `MAX_LISTED_ISSUES` (20) are listed, then one issue counts the
 * rest (see `InvalidInput.many`).
 */
export const toInvalidInput = (error: Schema.SchemaError | SchemaIssue.Issue): InvalidInput => {
  const all: Array<InputIssue> = []
  flatten("issue" in error && error._tag === "SchemaError" ? error.issue : (error as SchemaIssue.Issue), [], all)
  const seen = new Set<string>()
  const unique = all.filter((issue) => {
    const key = `${issue.field}\u0000${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return InvalidInput.many(unique)
}

/**
 * Every issue is collected; the failing value is kept in each issue (`reportInput`) so that a
 * length check can tell a list from a text. It never reaches a message: the issue tree is
 * dropped once it is turned into an `InvalidInput`.
 */
const OPTIONS = { errors: "all", reportInput: true } as const

/** Checks a typed value against the schema's type side (refinements included). */
export const validateInput = <S extends Schema.Top>(schema: S) => {
  const decode = Schema.decodeUnknownEffect(Schema.toType(schema))
  return (value: S["Type"]): Effect.Effect<S["Type"], InvalidInput, S["DecodingServices"]> =>
    decode(value, OPTIONS).pipe(Effect.mapError(toInvalidInput)) as Effect.Effect<
      S["Type"],
      InvalidInput,
      S["DecodingServices"]
    >
}

/** Decodes an unknown value (e.g. a parsed JSON body) with the schema. */
export const decodeInput = <S extends Schema.Top>(schema: S) => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (value: unknown): Effect.Effect<S["Type"], InvalidInput, S["DecodingServices"]> =>
    decode(value, OPTIONS).pipe(Effect.mapError(toInvalidInput))
}
