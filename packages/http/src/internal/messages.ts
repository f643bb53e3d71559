/**
 * Schema failures as wire messages: one `{ field, message }` per failing path, never the
 * offending value, always with Chinese. Shared by the request decoding (`Middleware.ts`) and the
 * actor check of the token verifiers (`Auth.ts`).
 *
 * @internal
 */
import type { SchemaIssue } from "effect"
import { SchemaIssue as Issue } from "effect"

/** One failing path and its message. */
export interface FieldIssue {
  readonly field: string
  readonly message: string
}

/**
 * Drops the `, actual <value>` (Effect 3) or `, got <value>` (Effect 4, when a schema reports its
 * input) the schema library appends to a message: the value may be personal data.
 */
export const withoutActual = (message: string): string => message.replace(/,\s*(?:actual|got)\s[\s\S]*$/, "")

const CJK = /[\u4e00-\u9fff]/

/** The schema library's default messages (Effect 4's, and Effect 3's for messages built elsewhere), made bilingual. */
const defaultMessages: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(is missing|Missing key)$/, "is required / 必填项"],
  [/^(is unexpected\b|Expected no excess property$|Unexpected key\b)/, "is not a known field / 不认识的字段"],
  [/^Unable to decode [\s\S]* into a number$/, "must be a number / 须为数字"],
  [/^Expected (a )?(finite )?number$/, "must be a number / 须为数字"],
  [/^Expected string$/, "must be text / 须为文本"],
  [/^Expected (an )?integer$/, "must be an integer / 须为整数"],
  [/^Expected (ReadonlyArray|Array|an array|array)\b/, "must be a list / 须为列表"],
  [/^Expected boolean\b/, "must be true or false / 须为 true 或 false"],
  [/^Expected \{[\s\S]*\}$/, "must be an object / 须为对象"],
  [/^Expected object\b/, "must be an object / 须为对象"]
]

const LENGTH = [
  /^Expected a string at (most|least) (\d+) character\(s\) long$/,
  /^Expected a value with a length of at (most|least) (\d+)$/
]

/**
 * A message fit for the wire: never the offending value (the `, actual …`/`, got …` suffix is
 * cut and any other quoted text, `Unable to decode "周赛群" into a number`, is dropped) and always
 * with Chinese (the schemas' own messages have it; the library's defaults get a translation, and
 * anything else a generic one).
 */
export const wireMessage = (message: string): string => {
  const cut = withoutActual(message)
  for (const [pattern, text] of defaultMessages) if (pattern.test(cut)) return text
  for (const pattern of LENGTH) {
    const length = pattern.exec(cut)
    if (length) {
      return length[1] === "most"
        ? `must be at most ${length[2]} characters / 不得超过 ${length[2]} 个字符`
        : `must be at least ${length[2]} characters / 不得少于 ${length[2]} 个字符`
    }
  }
  const unquoted = cut
    .replace(/"(?:[^"\\]|\\.)*"/g, "…")
    .replace(/\s+…(?=\s|$)/g, "")
    .trim()
  return CJK.test(unquoted) ? unquoted : `${unquoted} / 输入无效`
}

const formatter = Issue.makeFormatterStandardSchemaV1()

const fieldOf = (path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined): string =>
  (path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".")

/** Effect 4's default message of a failed length check, the same for a string and a list. */
const GENERIC_LENGTH = /^Expected a value with a length of at (most|least) (\d+)$/

/**
 * The paths (as `fieldOf` spells them) where a length check failed on a list rather than on a
 * string: Effect 4 words both alike ("a value with a length of at most N"), and the wire
 * message should say "items" for a list, "characters" for a text.
 */
const listLengthFields = (issue: SchemaIssue.Issue): ReadonlySet<string> => {
  const fields = new Set<string>()
  const walk = (node: SchemaIssue.Issue, path: ReadonlyArray<PropertyKey>, inList: boolean): void => {
    switch (node._tag) {
      case "Pointer":
        walk(node.issue, [...path, ...node.path], inList)
        return
      case "Composite":
        for (const child of node.issues) walk(child, path, node.ast._tag === "Arrays")
        return
      case "Filter":
        if (inList) fields.add(fieldOf(path))
        walk(node.issue, path, inList)
        return
      case "AnyOf":
        for (const child of node.issues) walk(child, path, false)
        return
      case "Encoding":
        walk(node.issue, path, inList)
        return
      default:
        return
    }
  }
  walk(issue, [], false)
  return fields
}

/**
 * The failing paths of a schema issue with the library's messages (not yet made fit for the
 * wire), `root` naming the value itself. Effect 4's default messages carry no input unless the
 * schema was told to report it; {@link wireMessage} cuts it anyway. A failed length check on a
 * list gets its bilingual message here, where it is known to concern a list.
 */
export const issueList = (issue: SchemaIssue.Issue, root: string): Array<FieldIssue> => {
  const issues = formatter(issue).issues
  const lists = issues.some((i) => GENERIC_LENGTH.test(i.message)) ? listLengthFields(issue) : undefined
  return issues.map((i) => {
    const field = fieldOf(i.path)
    const length = lists?.has(field) ? GENERIC_LENGTH.exec(i.message) : null
    const message =
      length === null
        ? withoutActual(i.message)
        : length[1] === "most"
          ? `must have at most ${length[2]} items / 不得超过 ${length[2]} 项`
          : `must have at least ${length[2]} items / 不得少于 ${length[2]} 项`
    return { field: field || root, message }
  })
}

const QUOTED = /"((?:[^"\\]|\\.)*)"/g
/** `Expected "a"` (Effect 3, one issue per literal) or `Expected "a" | "b"` (Effect 4, one issue for the choice). */
const CHOICE = /^Expected ("(?:[^"\\]|\\.)*"(?: \| "(?:[^"\\]|\\.)*")*)$/
const NOISE = /^Expected (undefined|null)$/

/**
 * Issues as they go on the wire, one per field and message:
 *
 * - a failed choice among literals (`?tag=nope`) becomes one issue "must be one of a, b, c /
 *   须为以下之一：a、b、c" (the literals are the schema's, not input), whether the library
 *   reported it as one issue (Effect 4) or one per literal (Effect 3);
 * - an optional or nullable field's schema may be `X | undefined` (or `X | null`), so a bad value
 *   may also report "Expected undefined"/"Expected null": dropped when another issue names the
 *   same field or one inside it;
 * - every message goes through {@link wireMessage}: no echoed value, always Chinese.
 */
export const wireIssues = (raw: ReadonlyArray<FieldIssue>): Array<FieldIssue> => {
  const literalsOf = (message: string): Array<string> | undefined => {
    const choice = CHOICE.exec(message)
    return choice ? Array.from(choice[1]!.matchAll(QUOTED), (m) => m[1] ?? "") : undefined
  }
  const choices = new Map<string, Array<string>>()
  for (const issue of raw) {
    const literals = literalsOf(issue.message)
    if (literals) choices.set(issue.field, [...(choices.get(issue.field) ?? []), ...literals])
  }
  const emitted = new Set<string>()
  const collapsed = raw.flatMap((issue): Array<FieldIssue> => {
    const options = choices.get(issue.field)
    if (options === undefined || literalsOf(issue.message) === undefined) return [issue]
    if (emitted.has(issue.field)) return []
    emitted.add(issue.field)
    return [
      {
        field: issue.field,
        message:
          options.length === 1
            ? `must be ${options[0]} / 须为 ${options[0]}`
            : `must be one of ${options.join(", ")} / 须为以下之一：${options.join("、")}`
      }
    ]
  })
  const noise = (issue: FieldIssue) =>
    NOISE.test(issue.message) &&
    collapsed.some(
      (other) =>
        other !== issue &&
        !NOISE.test(other.message) &&
        (other.field === issue.field || other.field.startsWith(`${issue.field}.`))
    )
  const seen = new Set<string>()
  return collapsed
    .filter((issue) => !noise(issue))
    .map((issue) => ({
      field: issue.field,
      message: wireMessage(issue.message)
    }))
    .filter((issue) => {
      const key = `${issue.field}\u0000${issue.message}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
}
