/**
 * Helpers for the OpenAPI document's post-processing (`OpenApi.Transform`), shared by the groups:
 * each group documents what Effect's generator cannot say about its own endpoints, and `Api.ts`
 * applies every group's step after {@link documentBadRequestAsProblem}.
 *
 * @module
 */
import { Schema } from "effect"
import { InvalidInputProblem, PROBLEM_CONTENT_TYPE } from "../Problem.js"

/** A JSON object (not an array). */
export const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Post-processes the generated OpenAPI document: the server answers every request-decoding
 * failure with `InvalidInput` problem details (see `Middleware.ts`), so each 400 response is
 * documented as exactly that, and any schema of the platform's own decoding error
 * (`HttpApiSchemaError`, Effect 3's `HttpApiDecodeError`) is dropped.
 */
export const documentBadRequestAsProblem = (spec: Record<string, unknown>): Record<string, unknown> => {
  const paths = isRecord(spec.paths) ? spec.paths : {}
  const description = InvalidInputProblem.ast.annotations?.description
  for (const operations of Object.values(paths)) {
    if (!isRecord(operations)) continue
    for (const operation of Object.values(operations)) {
      if (!isRecord(operation) || !isRecord(operation.responses) || operation.responses["400"] === undefined) continue
      operation.responses["400"] = {
        description: typeof description === "string" ? description : "Invalid input",
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/InvalidInputProblem" } } }
      }
    }
  }
  const components = spec.components
  if (isRecord(components) && isRecord(components.schemas)) {
    delete components.schemas.HttpApiDecodeError
    delete components.schemas.HttpApiSchemaError
    delete components.schemas.Issue
  }
  return spec
}

/** The JSON Schema keywords of a value's own bounds, copied from its decoded side. */
export const BOUND_KEYWORDS = [
  "type",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength"
] as const

/** The member of a `T | null` schema that is not `null` (an optional field is documented so). */
export const nonNull = (node: unknown, resolve: (node: unknown) => unknown): unknown =>
  isRecord(node) && Array.isArray(node.anyOf)
    ? resolve(node.anyOf.find((member) => !isRecord(member) || member.type !== "null"))
    : node

/** Type-side JSON Schema of `schema`, its `$ref`s resolved against its own definitions. */
export const typeSideJsonSchema = (schema: Schema.Top) => {
  const document = Schema.toJsonSchemaDocument(Schema.toType(schema))
  const resolve = (node: unknown): unknown => {
    if (!isRecord(node) || typeof node.$ref !== "string") return node
    return document.definitions[node.$ref.replace(/^#\/(\$defs|definitions|components\/schemas)\//, "")] ?? node
  }
  return { root: document.schema as unknown, resolve }
}

/**
 * Copies `minLength`/`maxLength` from the decoded side (`typed`) onto the wire side (`wire`) of
 * a JSON Schema, walking both in parallel (properties, items, and `anyOf` members of the same
 * `type`). Text fields trim on decoding (`Text.line`), so their wire schema is a plain string
 * and the code-point bound lives on the decoded side: the server checks it after trimming, so
 * it is documentation here, not a new check.
 */
export const copyStringBounds = (
  wire: unknown,
  typed: unknown,
  resolve: (node: unknown) => unknown,
  depth = 0
): void => {
  typed = resolve(typed)
  if (!isRecord(wire) || !isRecord(typed) || depth > 20) return
  if (!Array.isArray(wire.anyOf) && Array.isArray(typed.anyOf)) {
    const type = wire.type
    typed = resolve(
      typed.anyOf.find(
        (member) => isRecord(resolve(member)) && (resolve(member) as Record<string, unknown>).type === type
      )
    )
    if (!isRecord(typed)) return
  }
  if (wire.type === "string" && typed.type === "string") {
    for (const key of ["minLength", "maxLength"] as const) {
      if (wire[key] === undefined && typeof typed[key] === "number") wire[key] = typed[key]
    }
  }
  if (isRecord(wire.properties) && isRecord(typed.properties)) {
    for (const [key, value] of Object.entries(wire.properties)) {
      copyStringBounds(value, typed.properties[key], resolve, depth + 1)
    }
  }
  if (wire.items !== undefined) copyStringBounds(wire.items, typed.items, resolve, depth + 1)
  if (Array.isArray(wire.anyOf)) {
    const members: ReadonlyArray<unknown> = Array.isArray(typed.anyOf) ? typed.anyOf.map(resolve) : [typed]
    for (const member of wire.anyOf) {
      if (!isRecord(member)) continue
      copyStringBounds(
        member,
        members.find((m) => isRecord(m) && m.type === member.type),
        resolve,
        depth + 1
      )
    }
  }
}
