import { Conflict, InvalidInput, InvalidTransition, NotFound } from "@commonweal/core"
import { HttpApiSchema, HttpServerRequest } from "@effect/platform"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Schema } from "effect"
import {
  causeResponse,
  ConflictProblem,
  decodeErrorToInvalidInput,
  InvalidInputProblem,
  InvalidTransitionProblem,
  NotFoundProblem,
  PROBLEM_CONTENT_TYPE,
  problemSchemas,
  Unauthorized,
  UnauthorizedProblem
} from "../src/index.js"

describe("problem schemas", () => {
  it.effect("encode a tagged error to RFC 9457 members plus its own fields, and decode it back", () =>
    Effect.gen(function*() {
      const error = Conflict.stale("Resident", "r1")
      const document = yield* Schema.encode(ConflictProblem)(error)
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
      const decoded = yield* Schema.decodeUnknown(ConflictProblem)({ ...document, instance: "/residents/r1" })
      expect(decoded).toBeInstanceOf(Conflict)
      expect(decoded).toEqual(error)
    }))

  it.effect("keep InvalidInput's field and issues", () =>
    Effect.gen(function*() {
      const error = InvalidInput.many([{ field: "phone", message: "bad" }, { field: "birthYear", message: "future" }])
      const document = yield* Schema.encode(InvalidInputProblem)(error)
      expect(document).toMatchObject({ status: 400, field: "phone", issues: error.issues })
      expect(yield* Schema.decodeUnknown(InvalidInputProblem)(document)).toEqual(error)
    }))

  it.effect("refuse a document of another problem type", () =>
    Effect.gen(function*() {
      const document = yield* Schema.encode(NotFoundProblem)(NotFound.of("Resident", "r1"))
      const result = yield* Effect.either(Schema.decodeUnknown(InvalidTransitionProblem)(document))
      expect(result._tag).toBe("Left")
    }))

  it("carry the status and the problem media type for HttpApi", () => {
    const statuses = Object.fromEntries(
      Object.entries(problemSchemas).map(([tag, schema]) => [tag, HttpApiSchema.getStatusError(schema)])
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
      IdempotencyKeyInUse: 409,
      PayloadTooLarge: 413,
      UnsupportedMediaType: 415,
      RouteNotFound: 404,
      MethodNotAllowed: 405,
      InternalError: 500
    })
    for (const schema of Object.values(problemSchemas)) {
      expect(HttpApiSchema.getEncoding(schema.ast).contentType).toBe(PROBLEM_CONTENT_TYPE)
    }
    expect(Schema.is(Schema.typeSchema(UnauthorizedProblem))(Unauthorized.missing())).toBe(true)
    expect(Schema.is(Schema.typeSchema(InvalidTransitionProblem))(InvalidTransition.of("Resident", "erased", "erase"))).toBe(true)
  })

  it("turn a request decoding failure into InvalidInput naming the field, without union noise", () => {
    const error = new HttpApiDecodeError({
      message: "…",
      issues: [
        { _tag: "Type", path: ["phone"], message: "must be an 11-digit mobile number" },
        { _tag: "Type", path: ["phone"], message: "Expected undefined, actual \"1\"" },
        { _tag: "Missing", path: ["displayName"], message: "is missing" }
      ]
    })
    const invalid = decodeErrorToInvalidInput(error)
    expect(invalid.field).toBe("phone")
    expect(invalid.issues).toEqual([
      { field: "phone", message: "must be an 11-digit mobile number / 输入无效" },
      { field: "displayName", message: "is required / 必填项" }
    ])
  })

  it("collapse a failed choice among literals, drop null/undefined noise under a field, never echo a value", () => {
    const error = new HttpApiDecodeError({
      message: "…",
      issues: [
        { _tag: "Type", path: ["tag"], message: "Expected \"elderly\", actual \"nope\"" },
        { _tag: "Type", path: ["tag"], message: "Expected \"disabled\", actual \"nope\"" },
        { _tag: "Type", path: ["tag"], message: "Expected undefined, actual \"nope\"" },
        { _tag: "Type", path: ["health", "conditions"], message: "Expected ReadonlyArray<string>, actual 1" },
        { _tag: "Type", path: ["health"], message: "Expected null, actual {}" },
        { _tag: "Type", path: ["minAge"], message: "Unable to decode \"周赛群\" into a number" },
        { _tag: "Type", path: ["nickname"], message: "Expected \"秘密\" to match something" }
      ]
    })
    const invalid = decodeErrorToInvalidInput(error)
    expect(invalid.issues).toEqual([
      { field: "tag", message: "must be one of elderly, disabled / 须为以下之一：elderly、disabled" },
      { field: "health.conditions", message: "must be a list / 须为列表" },
      { field: "minAge", message: "must be a number / 须为数字" },
      { field: "nickname", message: "Expected to match something / 输入无效" }
    ])
    expect(invalid.message).not.toContain("周赛群")
  })
})

describe("causeResponse", () => {
  const request = HttpServerRequest.fromWeb(new Request("http://localhost/residents?name=secret"))

  it.effect("answers a defect with a 500 problem that leaks nothing", () =>
    Effect.gen(function*() {
      const response = yield* causeResponse(Cause.die(new Error("db password is hunter2")), request)
      expect(response.status).toBe(500)
      const body = response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : ""
      expect(JSON.parse(body)).toMatchObject({ code: "InternalError", status: 500 })
      expect(JSON.parse(body).instance).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
      expect(body).not.toContain("hunter2")
    }))

  it.effect("answers an unknown failure with a 500 problem, and a known one with its status", () =>
    Effect.gen(function*() {
      expect((yield* causeResponse(Cause.fail("surprise"), request)).status).toBe(500)
      expect((yield* causeResponse(Cause.fail(NotFound.of("Resident", "r")), request)).status).toBe(404)
      const unauthorized = yield* causeResponse(Cause.fail(Unauthorized.invalid()), request)
      expect(unauthorized.status).toBe(401)
      expect(unauthorized.headers["www-authenticate"]).toContain("invalid_token")
    }))
})
