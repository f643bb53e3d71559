/**
 * Schema failures as the API answers them: `InvalidInput` issues fit for the wire (no echoed
 * value, always Chinese, capped), from the platform's request decoding and from the services.
 *
 * @module
 */
import { capIssues, InvalidInput, shortField } from "@commonweal/core"
import type { SchemaIssue } from "effect"
import type { HttpApiError } from "effect/http-api"
import { issueList, wireIssues, wireMessage as wireMessage_ } from "./internal/messages.js"

/**
 * A message fit for the wire: never the offending value (the `, actual …`/`, got …` suffix is
 * cut and any other quoted text, `Unable to decode "周赛群" into a number`, is dropped) and always
 * with Chinese (the schemas' own messages have it; the library's defaults get a translation, and
 * anything else a generic one).
 */
export const wireMessage: (message: string) => string = wireMessage_

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
 * per field and message:
 *
 * - a body that is not JSON at all is the issue "body: is not valid JSON";
 * - a failed choice among literals (`?tag=nope`) becomes one issue "must be one of a, b, c /
 *   须为以下之一：a、b、c" (the literals are the schema's, not input);
 * - an optional or nullable field's schema may be `X | undefined` (or `X | null`), so a bad
 *   value may also report "Expected undefined"/"Expected null": dropped when another issue
 *   names the same field or one inside it;
 * - every message goes through {@link wireMessage}: no echoed value, always Chinese;
 * - at most 20 issues are listed, then one on the request part (`query`, `body`, …) that says
 *   how many more there are, and every field name is cut to 100 characters: a query of 600
 *   unknown parameters must not be answered with a 72 KB error.
 */
export const decodeErrorToInvalidInput = (error: HttpApiError.HttpApiSchemaError): InvalidInput => {
  const raw = issueList(error.cause.issue, "input")
  if (error.kind === "Payload" && raw.length === 1 && raw[0]?.field === "input" && /valid JSON/.test(raw[0].message)) {
    return notJson()
  }
  const issues = wireIssues(raw)
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

/** The failing paths of a schema issue, comma-separated (no values, no messages): for defect logs. */
export const schemaFailurePaths = (issue: SchemaIssue.Issue): string =>
  issueList(issue, "(root)")
    .map((i) => i.field)
    .join(", ")
