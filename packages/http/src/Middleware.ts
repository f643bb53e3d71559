/**
 * The API-wide middleware: problem details for every failure, and idempotent POSTs.
 *
 * It wraps the router of the API (inside `HttpApiBuilder`'s own error encoding), so it sees
 * every failure as a value and turns it into a response:
 *
 * - errors with a problem schema (`Problem.ts`) are encoded with that schema: the same bytes
 *   the OpenAPI document describes and the typed client decodes;
 * - the platform's request-decoding error (`HttpApiDecodeError`) becomes `InvalidInput` (400),
 *   whose `field` is the path of the first failing value, so clients see one kind of 400;
 * - an unknown route becomes a 404 problem; anything unexpected a 500 problem (the cause is
 *   logged, never sent);
 * - `Unauthorized` gets `WWW-Authenticate: Bearer …` (RFC 6750 §3).
 *
 * Because it produces the final response, it is also where `Idempotency-Key` is handled: it can
 * remember and replay a response, error responses included.
 *
 * @module
 */
import { HttpApiBuilder, HttpServerRequest, HttpServerRespondable, HttpServerResponse } from "@effect/platform"
import type { HttpApp } from "@effect/platform"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import * as HttpServerError from "@effect/platform/HttpServerError"
import { InvalidInput } from "@commonweal/core"
import { Cause, Effect, Layer, Option, Schema } from "effect"
import { authenticate, bearerToken, TokenVerifier } from "./Auth.js"
import type { StoredResponse } from "./Idempotency.js"
import {
  fingerprint,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  IdempotencyStore,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  scopedKey
} from "./Idempotency.js"
import type { ProblemError } from "./Problem.js"
import {
  CapacityExceededProblem,
  ConflictProblem,
  ForbiddenProblem,
  IdempotencyKeyInUse,
  IdempotencyKeyInUseProblem,
  IdempotencyKeyReused,
  IdempotencyKeyReusedProblem,
  InsufficientFundsProblem,
  InternalError,
  InternalErrorProblem,
  InvalidInputProblem,
  InvalidTransitionProblem,
  NotFoundProblem,
  PROBLEM_CONTENT_TYPE,
  RouteNotFound,
  RouteNotFoundProblem,
  UnauthorizedProblem
} from "./Problem.js"

/** Every problem schema as one union: encodes any {@link ProblemError} to its document. */
const AnyProblem = Schema.Union(
  InvalidInputProblem,
  UnauthorizedProblem,
  ForbiddenProblem,
  NotFoundProblem,
  ConflictProblem,
  InvalidTransitionProblem,
  InsufficientFundsProblem,
  CapacityExceededProblem,
  IdempotencyKeyReusedProblem,
  IdempotencyKeyInUseProblem,
  RouteNotFoundProblem,
  InternalErrorProblem
)
const isProblemError: (u: unknown) => u is ProblemError = Schema.is(Schema.typeSchema(AnyProblem))
const encodeProblem = Schema.encode(AnyProblem)

const internalError = () => new InternalError({ message: "An unexpected error occurred / 服务器内部错误" })

/** The request path without its query (the query may hold names; `instance` need not). */
const instanceOf = (request: HttpServerRequest.HttpServerRequest): string => request.url.split("?")[0] ?? "/"

/** The RFC 9457 response of a {@link ProblemError}. */
export const problemResponse = (
  error: ProblemError,
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  encodeProblem(error).pipe(
    Effect.map((document) => {
      const headers: Record<string, string> = {}
      if (error._tag === "Unauthorized") {
        headers["www-authenticate"] = error.reason === "invalid_token"
          ? `Bearer realm="commonweal", error="invalid_token"`
          : `Bearer realm="commonweal"`
      }
      return HttpServerResponse.unsafeJson(
        { ...document, instance: instanceOf(request) },
        { status: document.status, contentType: PROBLEM_CONTENT_TYPE, headers }
      )
    }),
    // the union covers every ProblemError, so this cannot happen; still never answer with a stack
    Effect.catchAll(() =>
      Effect.succeed(HttpServerResponse.unsafeJson(
        { type: "about:blank", title: "Internal Server Error", status: 500, detail: "problem encoding failed" },
        { status: 500, contentType: PROBLEM_CONTENT_TYPE }
      ))
    )
  )

/** `HttpApiDecodeError` (the platform's request decoding failure) as `InvalidInput`. */
export const decodeErrorToInvalidInput = (error: HttpApiDecodeError): InvalidInput => {
  const issues = error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "input",
    message: issue.message
  }))
  // An optional field's schema is `X | undefined`, so a bad value also reports "Expected
  // undefined"; keep that only when it is the sole issue on its field.
  const useful = issues.filter((issue) =>
    !issue.message.startsWith("Expected undefined") ||
    !issues.some((other) => other !== issue && other.field === issue.field && !other.message.startsWith("Expected undefined"))
  )
  return InvalidInput.many(useful)
}

/** Turns any failure of the API's HTTP app into a response (see the module docs). */
export const causeResponse = (
  cause: Cause.Cause<unknown>,
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  if (Cause.isInterruptedOnly(cause)) return Effect.interrupt
  const failure = Cause.failureOption(cause)
  const error: unknown = Option.isSome(failure) ? failure.value : Cause.squash(cause)
  if (isProblemError(error)) return problemResponse(error, request)
  if (error instanceof HttpApiDecodeError) return problemResponse(decodeErrorToInvalidInput(error), request)
  if (HttpServerError.isServerError(error) && error._tag === "RouteNotFound") {
    return problemResponse(
      new RouteNotFound({
        method: request.method,
        path: instanceOf(request),
        message: `No route for ${request.method} ${instanceOf(request)} / 接口不存在`
      }),
      request
    )
  }
  if (HttpServerError.isServerError(error) && error._tag === "RequestError" && error.reason === "Decode") {
    return problemResponse(InvalidInput.of("body", "is not valid JSON / 请求体不是有效的 JSON"), request)
  }
  if (HttpServerRespondable.isRespondable(error)) {
    return Effect.flatMap(problemResponse(internalError(), request), (fallback) =>
      HttpServerRespondable.toResponseOrElse(error, fallback))
  }
  return Effect.zipRight(
    Effect.logError("unexpected failure in the HTTP API", cause),
    problemResponse(internalError(), request)
  )
}

const decoder = new TextDecoder()

/** The response as plain data for the store, or `undefined` when it should not be remembered. */
const capture = (response: HttpServerResponse.HttpServerResponse): StoredResponse | undefined => {
  if (response.status >= 500) return undefined
  switch (response.body._tag) {
    case "Empty":
      return { status: response.status, contentType: undefined, body: "" }
    case "Uint8Array":
      return { status: response.status, contentType: response.body.contentType, body: decoder.decode(response.body.body) }
    default:
      return undefined
  }
}

const replay = (stored: StoredResponse): HttpServerResponse.HttpServerResponse => {
  const headers = { [IDEMPOTENT_REPLAYED_HEADER]: "true" }
  return stored.body === "" && stored.contentType === undefined
    ? HttpServerResponse.empty({ status: stored.status, headers })
    : HttpServerResponse.text(stored.body, { status: stored.status, contentType: stored.contentType, headers })
}

const header = (request: HttpServerRequest.HttpServerRequest, name: string): string | undefined => {
  const value = request.headers[name]
  return value === undefined ? undefined : value.trim()
}

/**
 * The API middleware as a `Layer`. Part of `ApiLive`; needs the {@link TokenVerifier} (to scope
 * idempotency keys by actor) and the {@link IdempotencyStore}.
 */
export const ApiMiddlewareLive: Layer.Layer<never, never, TokenVerifier | IdempotencyStore> = HttpApiBuilder.middleware(
  Effect.gen(function*() {
    const verifier = yield* TokenVerifier
    const store = yield* IdempotencyStore

    return (app: HttpApp.Default) =>
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const widened: Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, HttpServerRequest.HttpServerRequest> =
          app
        const handled = Effect.catchAllCause(widened, (cause) => causeResponse(cause, request))

        const key = request.method === "POST" ? header(request, IDEMPOTENCY_KEY_HEADER) : undefined
        if (key === undefined) return yield* handled
        // No actor: the route's authentication answers 401; nothing to remember.
        const actor = yield* Effect.option(authenticate(verifier, bearerToken(request.headers.authorization)))
        if (Option.isNone(actor)) return yield* handled
        if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
          return yield* problemResponse(
            InvalidInput.of(IDEMPOTENCY_KEY_HEADER, `must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters / 幂等键长度须为 1 到 ${MAX_IDEMPOTENCY_KEY_LENGTH} 个字符`),
            request
          )
        }
        const body = yield* Effect.option(request.text)
        if (Option.isNone(body)) return yield* handled

        const storeKey = scopedKey(actor.value.communityId, actor.value.subject, key)
        const print = yield* fingerprint(request.method, request.url, body.value)
        // reserve and run under one mask: an interruption in between must not leave the key held
        return yield* Effect.uninterruptibleMask((restore) =>
          Effect.flatMap(store.reserve(storeKey, print), (reservation) => {
            switch (reservation._tag) {
              case "Completed":
                return Effect.succeed(replay(reservation.response))
              case "Mismatch":
                return problemResponse(IdempotencyKeyReused.of(key), request)
              case "InProgress":
                return problemResponse(IdempotencyKeyInUse.of(key), request)
              case "Acquired":
                return restore(handled).pipe(
                  Effect.onExit((exit) => {
                    const stored = exit._tag === "Success" ? capture(exit.value) : undefined
                    return stored === undefined
                      ? store.release(storeKey, print)
                      : store.complete(storeKey, print, stored)
                  })
                )
            }
          })
        )
      })
  })
)
