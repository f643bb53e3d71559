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
 * - `InvalidInput` messages never echo the offending value (the schema library's
 *   `…, actual "<value>"` suffix is dropped): the value may be personal data (a health note),
 *   and problem details are remembered for idempotent replays and end up in client logs;
 * - an unknown path becomes a 404 problem; a known path with a method it does not support a
 *   405 problem with an `Allow` header, both derived from the {@link CommonwealApi} contract;
 * - anything unexpected becomes a 500 problem whose `instance` is a fresh correlation id
 *   (`urn:uuid:…`); the log line carries the same id, the request method and path (never the
 *   query) and the error's name and message only: never the cause's data, the request body or
 *   a decoded record;
 * - `Unauthorized` gets `WWW-Authenticate: Bearer …` (RFC 6750 §3).
 *
 * Because it produces the final response, it is also where `Idempotency-Key` is handled (see
 * `Idempotency.ts`): it authenticates the keyed POST once (the route's `Authentication`
 * middleware reuses the outcome through {@link RequestAuthentication}), remembers the status and
 * the resident id of a success or the problem details of an error, and replays them, re-reading
 * the resident as the current actor.
 *
 * @module
 */
import { CurrentActor, InvalidInput, Residents, ResidentView } from "@commonweal/core"
import type { Actor } from "@commonweal/core"
import { HttpApiBuilder, HttpServerRequest, HttpServerRespondable, HttpServerResponse } from "@effect/platform"
import type { HttpApp } from "@effect/platform"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import * as HttpServerError from "@effect/platform/HttpServerError"
import { Cause, Effect, Exit, Layer, Option, ParseResult, Schema } from "effect"
import { CommonwealApi } from "./Api.js"
import { authenticate, bearerToken, RequestAuthentication, TokenVerifier } from "./Auth.js"
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
  MethodNotAllowed,
  MethodNotAllowedProblem,
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
  MethodNotAllowedProblem,
  InternalErrorProblem
)
const isProblemError: (u: unknown) => u is ProblemError = Schema.is(Schema.typeSchema(AnyProblem))
const encodeProblem = Schema.encode(AnyProblem)

const internalError = () => new InternalError({ message: "An unexpected error occurred / 服务器内部错误" })

/** The request path without its query (the query may hold names; `instance` and logs need not). */
export const requestPath = (request: HttpServerRequest.HttpServerRequest): string => request.url.split("?")[0] ?? "/"
const instanceOf = requestPath

/** Drops the `, actual <value>` the schema library appends to a message: the value may be personal data. */
const withoutActual = (message: string): string => message.replace(/,\s*actual\s[\s\S]*$/, "")

/**
 * `InvalidInput` without echoed input values: every issue message loses its `, actual "…"`
 * suffix, and the summary message is rebuilt from them.
 */
export const redactInvalidInput = (error: InvalidInput): InvalidInput => {
  const issues = error.issues.map((issue) => ({ field: issue.field, message: withoutActual(issue.message) }))
  const joined = error.issues.map((i) => `${i.field}: ${i.message}`).join("; ")
  const message = error.message === joined
    ? issues.map((i) => `${i.field}: ${i.message}`).join("; ")
    : error.issues.length === 1 && error.message === error.issues[0]?.message
    ? issues[0]?.message ?? ""
    : withoutActual(error.message)
  return new InvalidInput({ field: error.field, message, issues })
}

/** The RFC 9457 response of a {@link ProblemError}; `instance` defaults to the request path. */
export const problemResponse = (
  error: ProblemError,
  request: HttpServerRequest.HttpServerRequest,
  instance?: string
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  encodeProblem(error._tag === "InvalidInput" ? redactInvalidInput(error) : error).pipe(
    Effect.map((document) => {
      const headers: Record<string, string> = {}
      if (error._tag === "Unauthorized") {
        headers["www-authenticate"] = error.reason === "invalid_token"
          ? `Bearer realm="commonweal", error="invalid_token"`
          : `Bearer realm="commonweal"`
      }
      if (error._tag === "MethodNotAllowed") headers["allow"] = error.allow.join(", ")
      return HttpServerResponse.unsafeJson(
        { ...document, instance: instance ?? instanceOf(request) },
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
    message: withoutActual(issue.message)
  }))
  // An optional field's schema is `X | undefined`, so a bad value also reports "Expected
  // undefined"; keep that only when it is the sole issue on its field.
  const useful = issues.filter((issue) =>
    !issue.message.startsWith("Expected undefined") ||
    !issues.some((other) => other !== issue && other.field === issue.field && !other.message.startsWith("Expected undefined"))
  )
  return InvalidInput.many(useful)
}

/** The methods of the contract, by path pattern segments (`:id` matches any one segment). */
const contractRoutes: ReadonlyArray<{ readonly method: string; readonly segments: ReadonlyArray<string> }> = Object
  .values(CommonwealApi.groups)
  .flatMap((group) => Object.values(group.endpoints))
  .map((endpoint) => ({ method: endpoint.method, segments: endpoint.path.split("/") }))

const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

/**
 * The methods the {@link CommonwealApi} contract supports on `path` (a request path without
 * query), in a canonical order; `HEAD` wherever `GET` is (the router answers it). Empty when
 * the contract has no such path.
 */
export const allowedMethods = (path: string): ReadonlyArray<string> => {
  const segments = path.split("/")
  const methods = new Set<string>()
  for (const route of contractRoutes) {
    if (
      route.segments.length === segments.length &&
      route.segments.every((s, i) => s.startsWith(":") ? (segments[i] ?? "") !== "" : s === segments[i])
    ) {
      methods.add(route.method)
      if (route.method === "GET") methods.add("HEAD")
    }
  }
  return [...methods].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b))
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/**
 * What the log may say about an unexpected error: its name and message, never its data (a
 * cause, a decoded record, a request body). A schema failure's message quotes the value, so
 * only its failing paths are kept; the request's query is cut out of any message.
 */
export const defectSummary = (
  error: unknown,
  request?: HttpServerRequest.HttpServerRequest
): { readonly name: string; readonly message: string } => {
  let name: string
  let message: string
  if (ParseResult.isParseError(error)) {
    name = "ParseError"
    message = `schema failure at ${
      ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => i.path.map(String).join(".") || "(root)").join(", ")
    }`
  } else if (error instanceof Error) {
    name = error.name
    message = error.message
  } else if (isRecord(error) && typeof error._tag === "string") {
    name = error._tag
    message = typeof error.message === "string" ? error.message : ""
  } else {
    name = typeof error
    message = ""
  }
  if (request !== undefined && request.url.includes("?")) message = message.split(request.url).join(instanceOf(request))
  return { name, message: message.length > 500 ? `${message.slice(0, 500)}…` : message }
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
    const path = instanceOf(request)
    const allow = allowedMethods(path)
    return allow.length > 0 && !allow.includes(request.method)
      ? problemResponse(MethodNotAllowed.of(request.method, path, allow), request)
      : problemResponse(
        new RouteNotFound({ method: request.method, path, message: `No route for ${request.method} ${path} / 接口不存在` }),
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
  const correlationId = globalThis.crypto.randomUUID()
  const summary = defectSummary(error, request)
  return Effect.zipRight(
    Effect.logError("unexpected failure in the HTTP API").pipe(
      Effect.annotateLogs({
        "correlation.id": correlationId,
        "error.name": summary.name,
        "error.message": summary.message,
        "http.method": request.method,
        "http.path": instanceOf(request)
      })
    ),
    problemResponse(internalError(), request, `urn:uuid:${correlationId}`)
  )
}

const decoder = new TextDecoder()

/** A resident view, as far as a replay needs it: the id to re-read. */
const isResidentBody = Schema.is(Schema.Struct({ _tag: Schema.Literal("Full", "Reduced"), id: Schema.String }))

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * The response as plain data for the store, or `undefined` when it should not be remembered:
 * a server error, or a success that is not a resident. Never personal data: a success is
 * remembered as its status and the resident id only.
 */
const capture = (response: HttpServerResponse.HttpServerResponse): StoredResponse | undefined => {
  if (response.status >= 500) return undefined
  const body = response.body
  if (body._tag === "Empty") return { _tag: "Verbatim", status: response.status, contentType: undefined, body: "" }
  if (body._tag !== "Uint8Array") return undefined
  if (response.status >= 400) {
    return { _tag: "Verbatim", status: response.status, contentType: body.contentType, body: decoder.decode(body.body) }
  }
  const json = parseJson(decoder.decode(body.body))
  return isResidentBody(json) ? { _tag: "Resident", status: response.status, residentId: json.id } : undefined
}

const encodeResidentView = Schema.encode(ResidentView)

const markReplayed = (response: HttpServerResponse.HttpServerResponse) =>
  HttpServerResponse.setHeader(response, IDEMPOTENT_REPLAYED_HEADER, "true")

/** Rebuilds a remembered response; a resident is re-read as `actor`, now. */
const replay = (
  stored: StoredResponse,
  actor: Actor,
  residents: Residents,
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  switch (stored._tag) {
    case "Verbatim":
      return Effect.succeed(markReplayed(
        stored.body === "" && stored.contentType === undefined
          ? HttpServerResponse.empty({ status: stored.status })
          : HttpServerResponse.text(stored.body, { status: stored.status, contentType: stored.contentType })
      ))
    case "Resident":
      return residents.get(stored.residentId).pipe(
        Effect.flatMap(encodeResidentView),
        Effect.map((json) => HttpServerResponse.unsafeJson(json, { status: stored.status })),
        Effect.provideService(CurrentActor, actor),
        Effect.catchAllCause((cause) => causeResponse(cause, request)),
        Effect.map(markReplayed)
      )
  }
}

const header = (request: HttpServerRequest.HttpServerRequest, name: string): string | undefined => {
  const value = request.headers[name]
  return value === undefined ? undefined : value.trim()
}

/**
 * The API middleware as a `Layer`. Part of `ApiLive`; needs the {@link TokenVerifier} (to scope
 * idempotency keys by actor), the {@link IdempotencyStore}, and `Residents` (to re-read a
 * resident on replay).
 */
export const ApiMiddlewareLive: Layer.Layer<never, never, TokenVerifier | IdempotencyStore | Residents> =
  HttpApiBuilder.middleware(
    Effect.gen(function*() {
      const verifier = yield* TokenVerifier
      const store = yield* IdempotencyStore
      const residents = yield* Residents

      return (app: HttpApp.Default) =>
        Effect.gen(function*() {
          const request = yield* HttpServerRequest.HttpServerRequest
          const widened: Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, HttpServerRequest.HttpServerRequest> =
            app
          const handle = (app: typeof widened) => Effect.catchAllCause(app, (cause) => causeResponse(cause, request))

          const key = request.method === "POST" ? header(request, IDEMPOTENCY_KEY_HEADER) : undefined
          if (key === undefined) return yield* handle(widened)
          // Authenticate once; the route's Authentication middleware reuses the outcome.
          const authenticated = yield* Effect.exit(authenticate(verifier, bearerToken(request.headers.authorization)))
          const handled = handle(Effect.provideService(widened, RequestAuthentication, authenticated))
          // No actor: the route's authentication answers 401 (or 500 for a broken verifier); nothing to remember.
          if (Exit.isFailure(authenticated)) return yield* handled
          const actor = authenticated.value
          if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
            return yield* problemResponse(
              InvalidInput.of(
                IDEMPOTENCY_KEY_HEADER,
                `must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters / 幂等键长度须为 1 到 ${MAX_IDEMPOTENCY_KEY_LENGTH} 个字符`
              ),
              request
            )
          }
          const body = yield* Effect.option(request.text)
          if (Option.isNone(body)) return yield* handled

          const storeKey = scopedKey(actor.communityId, actor.subject, key)
          const print = yield* fingerprint(request.method, request.url, body.value)
          // reserve and run under one mask: an interruption in between must not leave the key held
          return yield* Effect.uninterruptibleMask((restore) =>
            Effect.flatMap(store.reserve(storeKey, print), (reservation) => {
              switch (reservation._tag) {
                case "Completed":
                  return restore(replay(reservation.response, actor, residents, request))
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
