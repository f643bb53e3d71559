/**
 * Schema failures as the API answers them: `InvalidInput` issues fit for the wire (no echoed
 * value, always Chinese, capped), from the platform's request decoding and from the services.
 *
 * The messages of a schema failure are written by core's one formatter, `formatIssues` (from
 * the schemas' own bilingual messages, the checks' metadata and the issue kinds); this module
 * only adds what the transport knows: which request part failed, and that a body was not JSON.
 *
 * @module
 */
import { capIssues, formatIssues, InvalidInput, shortField } from "@commonweal/core"
import type { SchemaIssue } from "effect"
import type { HttpApiError } from "effect/http-api"

const CJK = /[\u4e00-\u9fff]/

/**
 * A safety net for the messages of errors built by services (not for schema failures, which
 * core's `formatIssues` words): never the offending value, and always with Chinese.
 *
 * - a `, got …` or `, actual …` tail (how a schema library appends the value it was given) is cut;
 * - any quoted text (`"周赛群"`) is dropped, since it may be a value that was sent;
 * - a message without Chinese gets the generic "/ 输入无效".
 *
 * A bilingual message of commonweal's own passes unchanged.
 *
 * @example
 * ```ts
 * wireMessage("must be 1900 or later / 出生年份须不早于 1900") // unchanged
 * wireMessage('unknown grid "周赛群"') // "unknown grid / 输入无效"
 * ```
 */
export const wireMessage = (message: string): string => {
  const cut = message.replace(/,\s*(?:actual|got)\s[\s\S]*$/, "")
  const unquoted = cut
    .replace(/"(?:[^"\\]|\\.)*"/g, "…")
    .replace(/\s+…(?=\s|$)/g, "")
    .trim()
  return CJK.test(unquoted) ? unquoted : `${unquoted} / 输入无效`
}

/**
 * `InvalidInput` without echoed input values and with Chinese in every message (see
 * {@link wireMessage}), listing at most 20 issues (then one on `input` that counts the rest)
 * with field names cut to 100 characters; the summary message is rebuilt from the issues.
 */
export const redactInvalidInput = (error: InvalidInput): InvalidInput => {
  const issues = capIssues(
    error.issues.map((issue) => ({ field: issue.field, message: wireMessage(issue.message) })),
    "input"
  )
  const joined = error.issues.map((i) => `${i.field}: ${i.message}`).join("; ")
  const message =
    error.message === joined
      ? issues.map((i) => `${i.field}: ${i.message}`).join("; ")
      : error.issues.length === 1 && error.message === error.issues[0]?.message
        ? (issues[0]?.message ?? "")
        : wireMessage(error.message)
  return new InvalidInput({ field: shortField(error.field), message, issues })
}

/** The issue of a body that is not JSON. */
export const notJson = (): InvalidInput => InvalidInput.of("body", "is not valid JSON / 请求体不是有效的 JSON")

/**
 * `HttpApiSchemaError` (the platform's request decoding failure) as `InvalidInput`, one issue
 * per field and message, worded by core's `formatIssues`:
 *
 * - a body that is not JSON at all is the issue "body: is not valid JSON" (the platform reports
 *   it as a value issue at the root of the payload, where a schema's own failures are always
 *   inside a check, a transformation or a field);
 * - a failed choice among literals (`?tag=nope`) is one issue "must be one of a, b, c /
 *   须为以下之一：a、b、c" (the literals are the schema's, not input);
 * - an optional or nullable field does not add "expected null/undefined" next to its real issue;
 * - no message echoes a value, every message has Chinese;
 * - at most 20 issues are listed, then one on the request part (`query`, `body`, …) that says
 *   how many more there are, and every field name is cut to 100 characters: a query of 600
 *   unknown parameters must not be answered with a 72 KB error.
 */
export const decodeErrorToInvalidInput = (error: HttpApiError.HttpApiSchemaError): InvalidInput => {
  const issue = error.cause.issue
  if (error.kind === "Payload" && issue._tag === "InvalidValue") return notJson()
  const issues = formatIssues(issue, "input")
  // the count of what is not listed names the request part (`query`, `body` …)
  return InvalidInput.many(
    issues.length > 0 ? issues : [{ field: "input", message: "invalid input / 输入无效" }],
    rootOf[error.kind] ?? "input"
  )
}

/** The name of the request part a decoding failure concerns, for the issue that counts what is not listed. */
const rootOf: Partial<Record<HttpApiError.HttpApiSchemaError["kind"], string>> = {
  Payload: "body",
  Query: "query",
  Params: "path",
  Headers: "headers"
}

/** The failing paths of a schema issue, comma-separated, each once (no values, no messages): for defect logs. */
export const schemaFailurePaths = (issue: SchemaIssue.Issue): string =>
  [...new Set(formatIssues(issue, "(root)").map((i) => i.field))].join(", ")
