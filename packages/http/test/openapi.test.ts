/**
 * The OpenAPI document describes the contract precisely (issue 6, section 4): numbers are
 * numbers with their ranges, bounded strings carry `maxLength`, each operation lists only the
 * responses it can give, the full and reduced resident views are a documented discriminated
 * union, and the search parameters are described.
 */
import { OpenApi } from "effect/http-api"
import { describe, expect, it } from "vitest"
import { CommonwealApi } from "../src/index.js"

interface JsonSchemaNode {
  readonly [key: string]: unknown
}
interface Parameter {
  readonly name: string
  readonly in: string
  readonly description?: string
  readonly schema: JsonSchemaNode
}
interface Operation {
  readonly parameters: ReadonlyArray<Parameter>
  readonly requestBody?: unknown
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: JsonSchemaNode }> }>
}

const spec = OpenApi.fromApi(CommonwealApi) as unknown as {
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: { readonly schemas: Record<string, JsonSchemaNode> }
}
const schemas = spec.components.schemas
const operation = (path: string, method: string): Operation => {
  const op = spec.paths[path]?.[method]
  if (op === undefined) throw new Error(`no operation ${method} ${path}`)
  return op
}
const operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ path, method, op }))
)
const searchParam = (name: string): Parameter => {
  const found = operation("/residents", "get").parameters.find((p) => p.name === name)
  if (found === undefined) throw new Error(`no parameter ${name}`)
  return found
}
/** The schema at `#/components/schemas/<name>`, following one `$ref`. */
const resolve = (node: JsonSchemaNode): JsonSchemaNode => {
  const ref = node.$ref
  return typeof ref === "string" ? (schemas[ref.replace("#/components/schemas/", "")] ?? {}) : node
}
/** The string member of a property (`T` or `T | null`). */
const stringOf = (node: JsonSchemaNode | undefined): JsonSchemaNode | undefined => {
  if (node === undefined) return undefined
  if (node.type === "string") return node
  const anyOf = node.anyOf
  return Array.isArray(anyOf) ? (anyOf as Array<JsonSchemaNode>).find((n) => n.type === "string") : undefined
}
const objectOf = (node: JsonSchemaNode | undefined): JsonSchemaNode => {
  if (node === undefined) return {}
  const resolved = resolve(node)
  if (resolved.type === "object") return resolved
  const anyOf = resolved.anyOf
  return Array.isArray(anyOf)
    ? resolve((anyOf as Array<JsonSchemaNode>).find((n) => resolve(n).type === "object") ?? {})
    : {}
}
const props = (node: JsonSchemaNode | undefined): Record<string, JsonSchemaNode> =>
  (objectOf(node).properties ?? {}) as Record<string, JsonSchemaNode>

describe("OpenAPI: numbers and bounds", () => {
  it("documents limit, minAge and maxAge as integers with their ranges, limit with its default", () => {
    expect(searchParam("limit").schema).toMatchObject({ type: "integer", minimum: 1, maximum: 200, default: 50 })
    expect(searchParam("minAge").schema).toMatchObject({ type: "integer", minimum: 0, maximum: 150 })
    expect(searchParam("maxAge").schema).toMatchObject({ type: "integer", minimum: 0, maximum: 150 })
  })

  it("documents the bounded text search parameters with maxLength", () => {
    expect(searchParam("dialect").schema).toMatchObject({ type: "string", minLength: 1, maxLength: 40 })
    expect(searchParam("nameContains").schema).toMatchObject({ type: "string", minLength: 1, maxLength: 40 })
  })

  it("documents maxLength on every bounded text of the request bodies", () => {
    const register = schemas.RegisterResidentInput ?? {}
    const fields = props(register)
    expect(stringOf(fields.displayName)).toMatchObject({ maxLength: expect.any(Number) })
    expect(stringOf(props(fields.homePlace).city)).toMatchObject({ maxLength: expect.any(Number) })
    expect(stringOf(props(fields.location).building)).toMatchObject({ maxLength: expect.any(Number) })
    expect(stringOf(props(fields.location).room)).toMatchObject({ maxLength: expect.any(Number) })
    const language = (fields.languages?.anyOf as Array<JsonSchemaNode> | undefined)?.find((n) => n.type === "array")
      ?.items as JsonSchemaNode | undefined
    expect(stringOf(props(language).dialect)).toMatchObject({ maxLength: expect.any(Number) })
    const patch = props(props(schemas.UpdateResidentInput).patch)
    expect(stringOf(patch.displayName)).toMatchObject({ maxLength: expect.any(Number) })
    expect(stringOf(props(patch.location).building)).toMatchObject({ maxLength: expect.any(Number) })
  })

  it("leaves no free-text string of a request body without maxLength", () => {
    const unbounded: Array<string> = []
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== "object" || node === null) return
      const n = node as JsonSchemaNode
      if (n.type === "string" && n.enum === undefined && n.pattern === undefined && n.maxLength === undefined)
        unbounded.push(path)
      for (const [key, value] of Object.entries(n)) walk(value, `${path}/${key}`)
    }
    for (const name of ["RegisterResidentInput", "UpdateResidentInput", "RecordConsentInput"]) walk(schemas[name], name)
    expect(unbounded).toEqual([])
  })
})

describe("OpenAPI: each operation lists only the responses it can give", () => {
  it("GET /health needs no token and cannot be forbidden or conflict", () => {
    const codes = Object.keys(operation("/health", "get").responses)
    for (const code of ["401", "403", "404", "409", "413", "415", "422"]) expect(codes).not.toContain(code)
  })

  it("no GET or DELETE lists 409 Conflict-by-key, 413, 415 or the idempotency errors", () => {
    for (const { path, method, op } of operations) {
      if (method !== "get") continue
      const codes = Object.keys(op.responses)
      for (const code of ["409", "413", "415", "422"]) expect(codes, `${method} ${path}`).not.toContain(code)
    }
    for (const path of ["/residents/{id}/consents/{purpose}", "/residents/{id}/guardians/{guardianId}"]) {
      const codes = Object.keys(operation(path, "delete").responses)
      for (const code of ["413", "415", "422"]) expect(codes, `delete ${path}`).not.toContain(code)
    }
  })

  it("only POSTs with Idempotency-Key list the idempotency errors, and all of them do", () => {
    for (const { path, method, op } of operations) {
      const keyed = op.parameters.some((p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key")
      const refs = JSON.stringify(op.responses)
      const lists = refs.includes("IdempotencyKeyReusedProblem")
      expect(lists, `${method} ${path}`).toBe(keyed)
      if (keyed) expect(method).toBe("post")
    }
  })

  it("documents no 'key in use' error: a second request with a key waits for the first and replays it", () => {
    expect(JSON.stringify(spec)).not.toContain("IdempotencyKeyInUse")
    expect(schemas.IdempotencyKeyInUseProblem).toBeUndefined()
  })

  it("every POST accepts Idempotency-Key", () => {
    for (const { path, method, op } of operations) {
      if (method !== "post") continue
      const keyed = op.parameters.some((p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key")
      expect(keyed, `${method} ${path}`).toBe(true)
    }
  })

  it("only operations with a request body list 413 and 415", () => {
    for (const { path, method, op } of operations) {
      const codes = Object.keys(op.responses)
      const hasBody = op.requestBody !== undefined
      expect(codes.includes("413"), `${method} ${path}`).toBe(hasBody)
      expect(codes.includes("415"), `${method} ${path}`).toBe(hasBody)
    }
  })

  it("commands keep their Conflict and InvalidTransition responses", () => {
    const erase = JSON.stringify(operation("/residents/{id}/erase", "post").responses)
    expect(erase).toContain("ConflictProblem")
    expect(erase).toContain("InvalidTransitionProblem")
    const get = JSON.stringify(operation("/residents/{id}", "get").responses)
    expect(get).not.toContain("ConflictProblem")
    expect(get).not.toContain("InvalidTransitionProblem")
  })
})

describe("OpenAPI: the resident views and the search parameters are described", () => {
  it("documents a resident as oneOf the full and the reduced view, discriminated by _tag", () => {
    const schema = operation("/residents/{id}", "get").responses["200"]?.content?.["application/json"]?.schema ?? {}
    const view = resolve(schema)
    expect(view.oneOf).toHaveLength(2)
    expect(view.discriminator).toEqual({
      propertyName: "_tag",
      mapping: { Full: "#/components/schemas/ResidentFullView", Reduced: "#/components/schemas/ResidentReducedView" }
    })
    for (const name of ["ResidentFullView", "ResidentReducedView"]) {
      expect(schemas[name]).toMatchObject({ title: expect.any(String), description: expect.any(String) })
    }
    const page = props(schemas.ResidentPage).items as JsonSchemaNode
    expect(page.items).toEqual(schema)
  })

  it("describes every search parameter, with the match rules", () => {
    for (const parameter of operation("/residents", "get").parameters) {
      expect(parameter.description, parameter.name).toEqual(expect.any(String))
    }
    expect(searchParam("dialect").description).toMatch(/exact/i)
    expect(searchParam("nameContains").description).toMatch(/case-insensitive substring/i)
    expect(searchParam("minAge").description).toMatch(/whole years.*time zone/i)
    expect(searchParam("limit").description).toMatch(/1.*200.*50/)
    expect(searchParam("cursor").description).toMatch(/opaque/i)
  })
})
