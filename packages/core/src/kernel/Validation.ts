/**
 * Turning schema failures into `InvalidInput`: the one error-message formatter.
 *
 * Services validate every input they are given, even when it is already typed, because a
 * TypeScript type does not stop `"abc"` from being passed as a phone number. A failure names
 * the offending field by its path (`languages.0.language`), and every issue found is listed.
 *
 * Messages are for people, in English and Chinese. {@link formatIssues} writes them from what
 * the schema says, never from the schema library's English:
 *
 * - a schema's or a check's own `message` annotation (bilingual in commonweal's schemas) is used
 *   as it is;
 * - a built-in check without one is described from its metadata (its representation id and
 *   payload, e.g. `effect/schema/isMaxLength` with `{ maxLength: 10 }`), and a length check says
 *   items for a list and characters for a text, told apart by the schema it is attached to;
 * - a value of the wrong type is described from the expected schema (text, a number, a list, one
 *   of the literals of a choice …);
 * - a missing or unknown field, an ambiguous choice say so.
 *
 * A message never repeats the value that was given, because values may be personal data and
 * errors are logged and stored; decoding here does not even keep the value in the issue tree.
 *
 * @module
 */
import { Effect, Schema } from "effect"
import type { SchemaAST, SchemaIssue } from "effect"
import type { InputIssue } from "./Errors.js"
import { InvalidInput } from "./Errors.js"

const INVALID = "is invalid / 输入无效"
const CJK = /[\u4e00-\u9fff]/

/** A message with Chinese: a foreign schema's English-only `message` gets the generic Chinese. */
const bilingual = (message: string): string => (CJK.test(message) ? message : `${message} / 输入无效`)

/** The `representation` annotation (id and payload) of an AST node or a check, if it has one. */
const representationOf = (
  annotations: { readonly [key: string]: unknown } | undefined
): { readonly id: string; readonly payload: Readonly<Record<string, unknown>> } | undefined => {
  const representation = annotations?.["representation"] as { readonly id?: unknown; readonly payload?: unknown }
  if (typeof representation?.id !== "string") return undefined
  const payload = typeof representation.payload === "object" && representation.payload !== null
  return { id: representation.id, payload: payload ? (representation.payload as Record<string, unknown>) : {} }
}

/** Declarations described by their representation id: Effect's date-time types. */
const DATE_TIME_IDS: ReadonlySet<string> = new Set(["effect/schema/DateTimeUtc", "effect/schema/DateTimeZoned"])
const DATE_TIME = "must be an ISO 8601 date-time / 须为 ISO 8601 日期时间"

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
    case "BigInt":
      return "must be an integer / 须为整数"
    case "Arrays":
      return "must be a list / 须为列表"
    case "Objects":
    case "ObjectKeyword":
      return "must be an object / 须为对象"
    case "Null":
      return "must be null / 须为 null"
    case "Undefined":
    case "Void":
      return "must be absent / 须省略"
    case "Never":
      return "is not allowed / 不允许填写"
    case "Literal":
      return `must be ${String(ast.literal)} / 须为 ${String(ast.literal)}`
    case "Enum":
      return choice(ast.enums.map(([, value]) => String(value)))
    case "Suspend":
      return expected(ast.thunk())
    case "Union": {
      const literals = literalsOf(ast)
      if (literals !== undefined) return choice(literals)
      const tags = tagsOf(ast)
      if (tags !== undefined) return `must have _tag ${tags.join(" or ")} / _tag 须为 ${tags.join(" 或 ")}`
      // `X | null` or `X | undefined` says what X expects
      const meaningful = ast.types.filter((t) => !isAbsence(t))
      return meaningful.length === 1 ? expected(meaningful[0]!) : INVALID
    }
    case "Declaration": {
      const representation = representationOf(ast.annotations)
      return representation !== undefined && DATE_TIME_IDS.has(representation.id) ? DATE_TIME : INVALID
    }
    default:
      return INVALID
  }
}

/** "must be one of a, b, c / 须为以下之一：a、b、c" (or "must be a" for a single value); the values are the schema's. */
const choice = (values: ReadonlyArray<string>): string =>
  values.length === 1
    ? `must be ${values[0]} / 须为 ${values[0]}`
    : `must be one of ${values.join(", ")} / 须为以下之一：${values.join("、")}`

/** `null`, `undefined` or `void`: the members an optional or nullable field adds to its schema. */
const isAbsence = (ast: SchemaAST.AST): boolean =>
  ast._tag === "Null" || ast._tag === "Undefined" || ast._tag === "Void"

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

/**
 * A maximum number of items for a list (`Schema.Array(X).check(isMaxItems(10))`): "must have at
 * most 10 items / 最多 10 项". A bare `Schema.isMaxLength` on a list says the same (see
 * {@link formatIssues}); this spells the intent out where the schema is declared.
 */
export const isMaxItems = (max: number) =>
  Schema.isMaxLength(max, { message: `must have at most ${max} items / 最多 ${max} 项` })

/** A minimum number of items for a list: "must have at least 1 item / 至少 1 项". */
export const isMinItems = (min: number) =>
  Schema.isMinLength(min, { message: `must have at least ${min} ${min === 1 ? "item" : "items"} / 至少 ${min} 项` })

/** What a length check counts: the items of a list, the characters of a text, or (unknown schema) a length. */
type Counted = "items" | "characters" | "length"

/**
 * What the schema a check is attached to counts: the `Composite` issue that holds a check's
 * failure names that schema (an `Arrays` node is a list, a `String` a text), so no value is
 * needed to tell a list from a text.
 */
const countedBy = (ast: SchemaAST.AST | undefined): Counted => {
  switch (ast?._tag) {
    case "Arrays":
      return "items"
    case "String":
    case "TemplateLiteral":
      return "characters"
    case "Suspend":
      return countedBy(ast.thunk())
    default:
      return "length"
  }
}

const atMost = (n: unknown, counted: Counted): string =>
  counted === "items"
    ? `must have at most ${n} ${n === 1 ? "item" : "items"} / 最多 ${n} 项`
    : counted === "characters"
      ? `must be at most ${n} characters / 最多 ${n} 个字符`
      : `must have a length of at most ${n} / 长度最多为 ${n}`

const atLeast = (n: unknown, counted: Counted): string =>
  n === 1
    ? counted === "items"
      ? "must not be an empty list / 列表不能为空"
      : "must not be empty / 不能为空"
    : counted === "items"
      ? `must have at least ${n} items / 至少 ${n} 项`
      : counted === "characters"
        ? `must be at least ${n} characters / 至少 ${n} 个字符`
        : `must have a length of at least ${n} / 长度至少为 ${n}`

const lengthBetween = (min: unknown, max: unknown, counted: Counted): string => {
  if (min === max)
    return counted === "items"
      ? `must have exactly ${min} items / 须为 ${min} 项`
      : counted === "characters"
        ? `must be exactly ${min} characters / 须为 ${min} 个字符`
        : `must have a length of ${min} / 长度须为 ${min}`
  return counted === "items"
    ? `must have ${min} to ${max} items / 须为 ${min} 到 ${max} 项`
    : counted === "characters"
      ? `must be ${min} to ${max} characters / 须为 ${min} 到 ${max} 个字符`
      : `must have a length from ${min} to ${max} / 长度须在 ${min} 到 ${max} 之间`
}

/** A bound of a number: its value (from the check's payload) and whether it is exclusive. */
interface Bound {
  readonly value: unknown
  readonly exclusive: boolean
}

/** "must be between 1 and 7 / 须在 1 到 7 之间", "must be at least 1900 / 须不小于 1900" … */
const bounds = (lower: Bound | undefined, upper: Bound | undefined): string => {
  if (lower !== undefined && upper !== undefined && !lower.exclusive && !upper.exclusive)
    return `must be between ${lower.value} and ${upper.value} / 须在 ${lower.value} 到 ${upper.value} 之间`
  const parts: Array<readonly [string, string]> = []
  if (lower !== undefined)
    parts.push(
      lower.exclusive
        ? [`greater than ${lower.value}`, `大于 ${lower.value}`]
        : [`at least ${lower.value}`, `不小于 ${lower.value}`]
    )
  if (upper !== undefined)
    parts.push(
      upper.exclusive
        ? [`less than ${upper.value}`, `小于 ${upper.value}`]
        : [`at most ${upper.value}`, `不大于 ${upper.value}`]
    )
  return `must be ${parts.map((p) => p[0]).join(" and ")} / 须${parts.map((p) => p[1]).join("且")}`
}

/**
 * The built-in checks of `effect/Schema` by representation id: the message from the check's
 * payload (its bounds, its pattern), and for a length from what the checked schema counts.
 */
const CHECKS: Readonly<Record<string, (p: Readonly<Record<string, unknown>>, counted: Counted) => string>> = {
  "effect/schema/isMaxLength": (p, counted) => atMost(p["maxLength"], counted),
  "effect/schema/isMinLength": (p, counted) => atLeast(p["minLength"], counted),
  "effect/schema/isBetweenLength": (p, counted) => lengthBetween(p["minimum"], p["maximum"], counted),
  "effect/schema/isMaxCodePoints": (p) => atMost(p["maxCodePoints"], "characters"),
  "effect/schema/isMinCodePoints": (p) => atLeast(p["minCodePoints"], "characters"),
  "effect/schema/isBetweenCodePoints": (p) => lengthBetween(p["minimum"], p["maximum"], "characters"),
  "effect/schema/isInt": () => "must be an integer / 须为整数",
  "effect/schema/isFinite": () => "must be a finite number / 须为有限数值",
  "effect/schema/isBetween": (p) =>
    bounds(
      { value: p["minimum"], exclusive: p["exclusiveMinimum"] === true },
      { value: p["maximum"], exclusive: p["exclusiveMaximum"] === true }
    ),
  "effect/schema/isGreaterThan": (p) => bounds({ value: p["exclusiveMinimum"], exclusive: true }, undefined),
  "effect/schema/isGreaterThanOrEqualTo": (p) => bounds({ value: p["minimum"], exclusive: false }, undefined),
  "effect/schema/isLessThan": (p) => bounds(undefined, { value: p["exclusiveMaximum"], exclusive: true }),
  "effect/schema/isLessThanOrEqualTo": (p) => bounds(undefined, { value: p["maximum"], exclusive: false }),
  "effect/schema/isMultipleOf": (p) => `must be a multiple of ${p["divisor"]} / 须为 ${p["divisor"]} 的倍数`,
  "effect/schema/isPattern": (p) => `must match the pattern ${p["source"]} / 须符合格式 ${p["source"]}`,
  "effect/schema/isTrimmed": () => "must not begin or end with white space / 首尾不能有空白字符",
  "effect/schema/isUUID": (p) =>
    typeof p["version"] === "number"
      ? `must be a UUID (version ${p["version"]}) / 须为第 ${p["version"]} 版 UUID`
      : "must be a UUID / 须为 UUID",
  "effect/schema/isULID": () => "must be a ULID / 须为 ULID",
  "effect/schema/isUnique": () => "must not contain duplicates / 不能包含重复项",
  "effect/schema/isLowercased": () => "must be lower case / 须为小写",
  "effect/schema/isUppercased": () => "must be upper case / 须为大写"
}

/**
 * A failed check: its own message, else the message of the issue it reported, else the message
 * its representation gives (see {@link CHECKS}), else a generic one. `checked` is the schema the
 * check is attached to.
 */
const checkMessage = (issue: SchemaIssue.Filter, checked: SchemaAST.AST | undefined): string => {
  const own = issue.filter.annotations?.message
  if (typeof own === "string") return own
  const inner = issue.issue._tag === "InvalidValue" ? issue.issue.annotations?.message : undefined
  if (typeof inner === "string") return inner
  const representation = representationOf(issue.filter.annotations)
  const describe = representation === undefined ? undefined : CHECKS[representation.id]
  return representation === undefined || describe === undefined
    ? INVALID
    : describe(representation.payload, countedBy(checked))
}

/**
 * The documented `expected` annotation of the issue `SchemaGetter.parseJson` (behind
 * `Schema.fromJsonString`) fails with: an identifier of that failure, never shown.
 */
const PARSE_JSON = "a valid JSON string"

/**
 * A value issue: inside a check (a filter that reported its own issues, with paths and
 * messages), its message is the check's and is used as it is. Elsewhere it comes from the schema
 * library (a transformation that threw, a declaration that refused its input) and carries the
 * message of the error it caught, in English and possibly quoting the input, so it is never
 * shown: inside a failed transformation (`decoded` is the schema it decodes to) the failure is
 * described from that schema (a string that is not JSON "is not valid JSON", one that is not a
 * date-time "must be an ISO 8601 date-time" …; give the schema a `message` annotation to say
 * more), elsewhere it "is invalid".
 */
const valueMessage = (issue: SchemaIssue.InvalidValue, at: At): string => {
  const own = issue.annotations?.message
  if (at.inCheck === true && typeof own === "string") return own
  if (at.decoded === undefined) return INVALID
  if (issue.annotations?.expected === PARSE_JSON) return "is not valid JSON / 不是有效的 JSON"
  return expected(at.decoded)
}

/** One issue found by the walk; `absence` marks an "expected null / undefined" of an optional or nullable field. */
interface Found {
  readonly field: string
  readonly message: string
  readonly absence: boolean
}

/**
 * Where the walk is: the path, the schema of the enclosing `Composite` (what a check is attached
 * to), the target of the failed transformation, and whether it is inside a check's own issues.
 */
interface At {
  readonly path: ReadonlyArray<PropertyKey>
  readonly checked?: SchemaAST.AST | undefined
  readonly decoded?: SchemaAST.AST | undefined
  readonly inCheck?: boolean | undefined
}

/** Flattens an issue tree into one `{ field, message }` per failure. */
const walk = (issue: SchemaIssue.Issue, at: At, root: string, out: Array<Found>): void => {
  const field = at.path.map(String).join(".") || root
  const push = (message: string, absence = false) => out.push({ field, message, absence })
  switch (issue._tag) {
    case "Pointer":
      walk(issue.issue, { path: [...at.path, ...issue.path], inCheck: at.inCheck }, root, out)
      return
    case "Encoding":
      // a failed transformation (a string that is not a date-time, say): report the inner issue
      walk(issue.issue, { path: at.path, checked: issue.ast, decoded: issue.ast }, root, out)
      return
    case "Composite":
      // the checks of a schema fail inside a `Composite` naming that schema
      for (const inner of issue.issues)
        walk(inner, { path: at.path, checked: issue.ast, inCheck: at.inCheck }, root, out)
      return
    case "Filter":
      // a check that reports issues of its own (with paths and messages) is flattened
      if (typeof issue.filter.annotations?.message !== "string" && issue.issue._tag !== "InvalidValue") {
        walk(issue.issue, { ...at, inCheck: true }, root, out)
        return
      }
      push(checkMessage(issue, at.checked))
      return
    case "AnyOf":
      if (issue.issues.length > 0) {
        for (const inner of issue.issues) walk(inner, { path: at.path }, root, out)
        return
      }
      push(expected(issue.ast))
      return
    case "InvalidType":
      push(expected(issue.ast), isAbsence(issue.ast))
      return
    case "InvalidValue":
      push(valueMessage(issue, at))
      return
    case "MissingKey": {
      const own = issue.annotations?.messageMissingKey
      push(typeof own === "string" ? own : "is required / 必填项")
      return
    }
    case "UnexpectedKey": {
      const own = issue.ast.annotations?.["messageUnexpectedKey"]
      push(typeof own === "string" ? own : "is not a known field / 不认识的字段")
      return
    }
    case "OneOf":
      push("matches more than one form / 输入有歧义")
      return
    case "Forbidden":
      // the library's (an effect where none may run): its message is not for people
      push(INVALID)
      return
  }
}

/**
 * The one formatter of schema failures: one `{ field, message }` per failing field and message,
 * in the order of the issue tree, duplicates dropped, the field a dotted path (`languages.0.language`)
 * or `root` (default `input`) for the value itself.
 *
 * Every message is bilingual and none repeats the input: the text comes from the issue kinds, the
 * metadata of the checks (their representation ids and payloads) and the schemas' own `message`
 * annotations, never from the schema library's English, and no reported input is needed (the
 * HTTP layer decodes without it). In particular:
 *
 * - a length check says items for a list and characters for a text ("must have at most 10 items /
 *   最多 10 项", "must be at most 40 characters / 最多 40 个字符"), told apart by the schema the
 *   check is attached to;
 * - a failed choice among literals is one issue, "must be one of a, b, c / 须为以下之一：a、b、c"
 *   (the literals are the schema's, not input);
 * - the "expected null" or "expected undefined" of an optional or nullable field is dropped when
 *   another issue names the same field or one inside it;
 * - a string that is not JSON "is not valid JSON", one that is not a date-time "must be an ISO
 *   8601 date-time": what the library reports in its own words (a transformation that threw, a
 *   declaration that refused its input) is described from the schema instead, since those words
 *   may quote the input;
 * - a foreign schema's message without Chinese gets the generic Chinese "输入无效".
 *
 * @example
 * ```ts
 * import { Result, Schema } from "effect"
 * import { formatIssues } from "@commonweal/core"
 *
 * const Tags = Schema.Struct({ tags: Schema.Array(Schema.String).check(Schema.isMaxLength(2)) })
 * const result = Schema.decodeUnknownResult(Tags)({ tags: ["a", "b", "c"] })
 * if (Result.isFailure(result)) formatIssues(result.failure)
 * // [{ field: "tags", message: "must have at most 2 items / 最多 2 项" }]
 * ```
 */
export const formatIssues = (failure: Schema.SchemaError | SchemaIssue.Issue, root = "input"): Array<InputIssue> => {
  const found: Array<Found> = []
  walk(failure._tag === "SchemaError" ? failure.issue : failure, { path: [] }, root, found)
  const real = found.filter((f) => !f.absence)
  const meaningful = found.filter(
    (f) => !f.absence || !real.some((r) => r.field === f.field || r.field.startsWith(`${f.field}.`))
  )
  const seen = new Set<string>()
  const issues: Array<InputIssue> = []
  for (const f of meaningful) {
    const message = bilingual(f.message)
    const key = `${f.field}\u0000${message}`
    if (seen.has(key)) continue
    seen.add(key)
    issues.push({ field: f.field, message })
  }
  return issues
}

/**
 * Converts a schema failure into an `InvalidInput` with one issue per failing field and message
 * (see {@link formatIssues}). At most `MAX_LISTED_ISSUES` (20) are listed, then one issue counts
 * the rest (see `InvalidInput.many`).
 */
export const toInvalidInput = (error: Schema.SchemaError | SchemaIssue.Issue): InvalidInput =>
  InvalidInput.many(formatIssues(error))

/** Every issue is collected; the input is not kept in the issues ({@link formatIssues} needs none). */
const OPTIONS = { errors: "all" } as const

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
