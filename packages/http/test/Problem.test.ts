import { Conflict, InvalidInput, InvalidTransition, NotFound } from "@commonweal/core"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Schema, SchemaIssue } from "effect"
import { HttpServerRequest } from "effect/http"
import { HttpApi, HttpApiEndpoint, HttpApiError, HttpApiGroup, OpenApi } from "effect/http-api"
import {
  causeResponse,
  ConflictProblem,
  decodeErrorToInvalidInput,
  InvalidInputProblem,
  InvalidTransitionProblem,
  NotFoundProblem,
  PROBLEM_CONTENT_TYPE,
  problemSchemas,
  schemaFailurePaths,
  Unauthorized,
  UnauthorizedProblem
} from "../src/index.js"

/** The `HttpApiSchemaError` the platform raises when a request part does not decode. */
const requestDecodeError = <S extends Schema.Decoder<unknown>>(schema: S, input: unknown) =>
  Effect.flip(
    HttpApiError.HttpApiSchemaError.wrap(
      "Payload",
      Schema.decodeUnknownEffect(schema)(input, { errors: "all", onExcessProperty: "error" })
    )
  )

/** The status and media types an error schema gets in the OpenAPI document of an endpoint declaring it. */
const documented = (schema: Schema.Top) => {
  const api = HttpApi.make("probe").add(
    HttpApiGroup.make("probe").add(HttpApiEndpoint.get("probe", "/probe", { error: schema }))
  )
  const responses = (OpenApi.fromApi(api).paths["/probe"]?.get?.responses ?? {}) as Record<
    string,
    { readonly content?: Record<string, unknown> }
  >
  const errors = Object.entries(responses).filter(([status]) => Number(status) >= 400)
  return errors.map(([status, response]) => [Number(status), Object.keys(response.content ?? {})] as const)
}

describe("problem schemas", () => {
  it.effect("encode a tagged error to RFC 9457 members plus its own fields, and decode it back", () =>
    Effect.gen(function* () {
      const error = Conflict.stale("Resident", "r1")
      const document = yield* Schema.encodeEffect(ConflictProblem)(error)
      expect(document).toEqual({
        type: "urn:commonweal:problem:conflict",
        title: "Conflict",
        status: 409,
        detail: error.message,
        code: "Conflict",
        entity: "Resident",
        id: "r1",
        reason: "stale_version"
      })
      const decoded = yield* Schema.decodeUnknownEffect(ConflictProblem)({ ...document, instance: "/residents/r1" })
      expect(decoded).toBeInstanceOf(Conflict)
      expect(decoded).toEqual(error)
    })
  )

  it.effect("keep InvalidInput's field and issues", () =>
    Effect.gen(function* () {
      const error = InvalidInput.many([
        { field: "phone", message: "bad" },
        { field: "birthYear", message: "future" }
      ])
      const document = yield* Schema.encodeEffect(InvalidInputProblem)(error)
      expect(document).toMatchObject({ status: 400, field: "phone", issues: error.issues })
      expect(yield* Schema.decodeUnknownEffect(InvalidInputProblem)(document)).toEqual(error)
    })
  )

  it.effect("refuse a document of another problem type", () =>
    Effect.gen(function* () {
      const document = yield* Schema.encodeEffect(NotFoundProblem)(NotFound.of("Resident", "r1"))
      const result = yield* Effect.result(Schema.decodeUnknownEffect(InvalidTransitionProblem)(document))
      expect(result._tag).toBe("Failure")
    })
  )

  it("carry the status and the problem media type for HttpApi", () => {
    const statuses = Object.fromEntries(
      Object.entries(problemSchemas).map(([tag, schema]) => {
        const responses = documented(schema)
        expect(responses).toHaveLength(1)
        expect(responses[0]?.[1]).toEqual([PROBLEM_CONTENT_TYPE])
        return [tag, responses[0]?.[0]]
      })
    )
    expect(statuses).toEqual({
      InvalidInput: 400,
      Unauthorized: 401,
      Forbidden: 403,
      NotFound: 404,
      Conflict: 409,
      InvalidTransition: 409,
      InsufficientFunds: 409,
      CapacityExceeded: 409,
      IdempotencyKeyReused: 422,
      PayloadTooLarge: 413,
      UnsupportedMediaType: 415,
      RouteNotFound: 404,
      MethodNotAllowed: 405,
      InternalError: 500
    })
    expect(Schema.is(Schema.toType(UnauthorizedProblem))(Unauthorized.missing())).toBe(true)
    expect(
      Schema.is(Schema.toType(InvalidTransitionProblem))(InvalidTransition.of("Resident", "erased", "erase"))
    ).toBe(true)
  })

  it.effect("turn a request decoding failure into InvalidInput naming the field, without union noise", () =>
    Effect.gen(function* () {
      const error = yield* requestDecodeError(
        Schema.Struct({
          phone: Schema.optionalKey(
            Schema.NullOr(
              Schema.String.check(Schema.isPattern(/^1\d{10}$/, { message: "must be an 11-digit mobile number" }))
            )
          ),
          displayName: Schema.String
        }),
        { phone: "1" }
      )
      const invalid = decodeErrorToInvalidInput(error)
      expect(invalid.field).toBe("phone")
      expect(invalid.issues).toEqual([
        { field: "phone", message: "must be an 11-digit mobile number / 输入无效" },
        { field: "displayName", message: "is required / 必填项" }
      ])
    })
  )

  it.effect(
    "collapse a failed choice among literals, drop null/undefined noise under a field, never echo a value",
    () =>
      Effect.gen(function* () {
        const error = yield* requestDecodeError(
          Schema.Struct({
            tag: Schema.optional(Schema.Literals(["elderly", "disabled"])),
            health: Schema.optionalKey(Schema.NullOr(Schema.Struct({ conditions: Schema.Array(Schema.String) }))),
            minAge: Schema.optionalKey(Schema.FiniteFromString),
            nickname: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(4))),
            skills: Schema.optionalKey(Schema.Array(Schema.String).check(Schema.isMaxLength(2))),
            count: Schema.optionalKey(Schema.Number)
          }),
          {
            tag: "nope",
            health: { conditions: 1 },
            minAge: "周赛群",
            nickname: "秘密秘密秘密",
            skills: ["剪纸", "书法", "太极"],
            count: "七",
            extra: "隐私"
          }
        )
        const invalid = decodeErrorToInvalidInput(error)
        expect(invalid.issues).toEqual([
          { field: "extra", message: "is not a known field / 不认识的字段" },
          { field: "tag", message: "must be one of elderly, disabled / 须为以下之一：elderly、disabled" },
          { field: "health.conditions", message: "must be a list / 须为列表" },
          { field: "minAge", message: "must be a finite number / 须为有限数值" },
          { field: "nickname", message: "must be at most 4 characters / 最多 4 个字符" },
          { field: "skills", message: "must have at most 2 items / 最多 2 项" },
          { field: "count", message: "must be a number / 须为数字" }
        ])
        for (const secret of ["nope", "周赛群", "秘密", "剪纸", "七", "隐私"])
          expect(invalid.message).not.toContain(secret)
      })
  )

  it("a body that is not JSON is the InvalidInput of field body", () => {
    // what the platform fails with when `JSON.parse` throws on the payload
    const cause = new Schema.SchemaError(new SchemaIssue.InvalidValue({ message: "Expected a valid JSON body" }))
    const invalid = decodeErrorToInvalidInput(new HttpApiError.HttpApiSchemaError({ kind: "Payload", cause }))
    expect(invalid.field).toBe("body")
    expect(invalid.issues).toEqual([{ field: "body", message: "is not valid JSON / 请求体不是有效的 JSON" }])
  })

  it.effect("a length check says items for a list and characters for a text, however deep the field", () =>
    Effect.gen(function* () {
      // the platform decodes without reported input: the schema tells a list from a text
      const error = yield* requestDecodeError(
        Schema.Struct({
          tags: Schema.optional(Schema.NullOr(Schema.Array(Schema.String).check(Schema.isMaxLength(3)))),
          words: Schema.Array(Schema.String.check(Schema.isMaxLength(2))),
          names: Schema.Array(Schema.String).check(Schema.isMinLength(2)),
          note: Schema.optionalKey(Schema.String.check(Schema.isMinLength(5)))
        }),
        { tags: ["周赛群", "周赛群", "周赛群", "周赛群"], words: ["周赛群"], names: ["周赛群"], note: "周赛群" }
      )
      const invalid = decodeErrorToInvalidInput(error)
      expect(invalid.issues).toEqual([
        { field: "tags", message: "must have at most 3 items / 最多 3 项" },
        { field: "words.0", message: "must be at most 2 characters / 最多 2 个字符" },
        { field: "names", message: "must have at least 2 items / 至少 2 项" },
        { field: "note", message: "must be at least 5 characters / 至少 5 个字符" }
      ])
      expect(JSON.stringify(invalid)).not.toContain("周赛群")
    })
  )

  it.effect(
    "an unknown literal lists the allowed ones; no message echoes the value, even when the input was reported",
    () =>
      Effect.gen(function* () {
        const schema = Schema.Struct({
          status: Schema.Literals(["active", "inactive"]),
          kind: Schema.Literal("resident"),
          grid: Schema.String.check(Schema.isPattern(/^[a-z]+$/)),
          age: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 150 }))
        })
        const input = { status: "周赛群", kind: "周赛群", grid: "周赛群", age: 1.5, 周赛群: "周赛群" }
        const reported = yield* Effect.flip(
          Schema.decodeUnknownEffect(schema)(input, { errors: "all", onExcessProperty: "error", reportInput: true })
        )
        for (const cause of [reported, (yield* requestDecodeError(schema, input)).cause]) {
          const invalid = decodeErrorToInvalidInput(new HttpApiError.HttpApiSchemaError({ kind: "Query", cause }))
          expect(invalid.issues).toEqual([
            { field: "周赛群", message: "is not a known field / 不认识的字段" },
            { field: "status", message: "must be one of active, inactive / 须为以下之一：active、inactive" },
            { field: "kind", message: "must be resident / 须为 resident" },
            { field: "grid", message: "must match the pattern ^[a-z]+$ / 须符合格式 ^[a-z]+$" },
            { field: "age", message: "must be an integer / 须为整数" }
          ])
          // the unknown key is named (it is the field), its value never
          expect(invalid.message.split("周赛群").length - 1).toBe(1)
          expect(schemaFailurePaths(cause.issue)).toBe("周赛群, status, kind, grid, age")
        }
      })
  )
})

describe("causeResponse", () => {
  const request = HttpServerRequest.fromWeb(new Request("http://localhost/residents?name=secret"))

  it.effect("answers a defect with a 500 problem that leaks nothing", () =>
    Effect.gen(function* () {
      const response = yield* causeResponse(Cause.die(new Error("db password is hunter2")), request)
      expect(response.status).toBe(500)
      const body = response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : ""
      expect(JSON.parse(body)).toMatchObject({ code: "InternalError", status: 500 })
      expect(JSON.parse(body).instance).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
      expect(body).not.toContain("hunter2")
    })
  )

  it.effect("answers an unknown failure with a 500 problem, and a known one with its status", () =>
    Effect.gen(function* () {
      expect((yield* causeResponse(Cause.fail("surprise"), request)).status).toBe(500)
      expect((yield* causeResponse(Cause.fail(NotFound.of("Resident", "r")), request)).status).toBe(404)
      const unauthorized = yield* causeResponse(Cause.fail(Unauthorized.invalid()), request)
      expect(unauthorized.status).toBe(401)
      expect(unauthorized.headers["www-authenticate"]).toContain("invalid_token")
    })
  )
})
