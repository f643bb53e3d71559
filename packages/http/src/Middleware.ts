/**
 * The API's own middleware: problem details for every failure, idempotent POSTs, and the
 * checks every request body passes before any route runs.
 *
 * Effect 4 encodes an endpoint's declared errors inside the endpoint, so the work is split in
 * two, with one shared rule book ({@link causeResponse}):
 *
 * - {@link ApiMiddleware} (an `HttpApiMiddleware` on the whole {@link CommonwealApi}, implemented
 *   by {@link makeApiMiddleware}) wraps each endpoint, its request decoding and its
 *   `Authentication`, so it sees every failure as a value and turns it into a response; it is
 *   also where `Idempotency-Key` is handled (see `Idempotency.ts`);
 * - the request middleware ({@link makeRequestMiddleware}, global on the router) checks the body
 *   before routing, answers unknown paths and methods, and is the last safety net.
 *
 * The rules:
 *
 * - errors with a problem schema (`Problem.ts`) are encoded with that schema: the same bytes
 *   the OpenAPI document describes and the typed client decodes;
 * - the platform's request-decoding error (`HttpApiSchemaError`) becomes `InvalidInput` (400),
 *   whose `field` is the path of the first failing value, so clients see one kind of 400
 *   (Effect 4 alone would answer an empty 400);
 * - `InvalidInput` messages never echo the offending value (the schema library's
 *   `…, actual "<value>"`/`…, got <value>` suffix and any other quoted text are dropped): the
 *   value may be personal data (a health note), and problem details end up in client logs;
 *   and every message carries Chinese (see {@link wireMessage});
 * - a body that is not JSON is 415, one over the size limit 413, before any route runs (see
 *   {@link makeRequestMiddleware}); Effect 4's own answers (a plain-text 415 for a media type no
 *   payload declares, an empty 400 for malformed JSON) never reach the client;
 * - an endpoint without a payload (`erase`, `reactivate`, every GET and DELETE) refuses any
 *   non-empty body with 400 `InvalidInput` on `body` ("is not valid JSON", or "takes no request
 *   body"), before authentication and before anything runs;
 * - an `InvalidInput` lists at most 20 issues, then one that counts the rest;
 * - every response carries `Cache-Control: no-store` (unless it sets its own policy, as only the
 *   docs page and the OpenAPI document do) and `X-Content-Type-Options: nosniff`;
 * - an unknown path becomes a 404 problem; a known path with a method it does not support a
 *   405 problem with an `Allow` header, both derived from the {@link CommonwealApi} contract;
 * - anything unexpected becomes a 500 problem whose `instance` is a fresh correlation id
 *   (`urn:uuid:…`); the log line carries the same id, the request method and path (never the
 *   query) and the error's name and message only: never the cause's data, the request body or
 *   a decoded record;
 * - `Unauthorized` gets `WWW-Authenticate: Bearer …` (RFC 6750 §3).
 *
 * For an `Idempotency-Key` POST to an endpoint declared with `idempotentPost`,
 * {@link ApiMiddleware} authenticates once (the route's `Authentication` middleware reuses the
 * outcome through {@link RequestAuthentication}), then, in one transaction of the storage
 * adapter (`Transactor`), claims the key (`IdempotencyKeys`), runs the endpoint, and stores the
 * status, resource type and id of a success before the transaction commits. A failure (an error
 * response, a defect, an interruption) rolls the transaction back, key included, and is answered
 * as any other. A retry of a committed request replays it, re-reading the resource as the
 * retrying actor (see `Idempotency.ts`).
 *
 * @module
 */
import { CurrentActor, IdempotencyKeys, InvalidInput, Transactor } from "@commonweal/core"
import type { Actor, IdempotencyScope } from "@commonweal/core"
import { ByteSize, Cause, Clock, Context, Duration, Effect, Exit, Layer, Option, Schema } from "effect"
import type { Types } from "effect"
import {
  Headers,
  HttpIncomingMessage,
  HttpRouter,
  HttpServerError,
  HttpServerRequest,
  HttpServerRespondable,
  HttpServerResponse
} from "effect/http"
import { HttpApiError } from "effect/http-api"
import { CommonwealApi, resourceReaders } from "./Api.js"
import type { ResourceReaderServices } from "./Api.js"
import { authenticate, bearerToken, RequestAuthentication, TokenVerifier } from "./Auth.js"
import {
  DEFAULT_IDEMPOTENCY_TTL,
  decodeStoredSuccess,
  encodeStoredSuccess,
  fingerprint,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  MAX_IDEMPOTENCY_KEY_LENGTH
} from "./Idempotency.js"
import type { StoredSuccess } from "./Idempotency.js"
import { ApiMiddleware, Idempotent } from "./kernel/Endpoints.js"
import type { IdempotentResource } from "./kernel/Endpoints.js"
import { decodeErrorToInvalidInput, notJson, redactInvalidInput, schemaFailurePaths } from "./SchemaErrors.js"
import type { ProblemError } from "./Problem.js"
import {
  CapacityExceededProblem,
  ConflictProblem,
  ForbiddenProblem,
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
  PayloadTooLarge,
  PayloadTooLargeProblem,
  PROBLEM_CONTENT_TYPE,
  RouteNotFound,
  RouteNotFoundProblem,
  UnauthorizedProblem,
  UnsupportedMediaType,
  UnsupportedMediaTypeProblem
} from "./Problem.js"

/** Every problem schema as one union: encodes any {@link ProblemError} to its document. */
const AnyProblem = Schema.Union([
  InvalidInputProblem,
  UnauthorizedProblem,
  ForbiddenProblem,
  NotFoundProblem,
  ConflictProblem,
  InvalidTransitionProblem,
  InsufficientFundsProblem,
  CapacityExceededProblem,
  IdempotencyKeyReusedProblem,
  PayloadTooLargeProblem,
  UnsupportedMediaTypeProblem,
  RouteNotFoundProblem,
  MethodNotAllowedProblem,
  InternalErrorProblem
])
const isProblemError: (u: unknown) => u is ProblemError = Schema.is(Schema.toType(AnyProblem))
const encodeProblem = Schema.encodeExit(Schema.toCodecJson(AnyProblem))

const internalError = () => new InternalError({ message: "An unexpected error occurred / 服务器内部错误" })

/** The request path without its query (the query may hold names; `instance` and logs need not). */
export const requestPath = (request: HttpServerRequest.HttpServerRequest): string => {
  const url = request.url
  const query = url.indexOf("?")
  return query === -1 ? url : url.slice(0, query) || "/"
}
const instanceOf = requestPath

/** The response when the problem union cannot encode an error (it covers every `ProblemError`, so never). */
const encodingFailed = HttpServerResponse.jsonUnsafe(
  { type: "about:blank", title: "Internal Server Error", status: 500, detail: "problem encoding failed" },
  { status: 500, contentType: PROBLEM_CONTENT_TYPE }
)

/** The RFC 9457 response of a {@link ProblemError}; `instance` defaults to the request path. */
export const problemResponse = (
  error: ProblemError,
  request: HttpServerRequest.HttpServerRequest,
  instance?: string
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  const encoded = encodeProblem(error._tag === "InvalidInput" ? redactInvalidInput(error) : error)
  // still never answer with a stack
  if (encoded._tag === "Failure") return Effect.succeed(encodingFailed)
  const document = encoded.value as { readonly status: number }
  const headers: Record<string, string> = {}
  if (error._tag === "Unauthorized") {
    headers["www-authenticate"] =
      error.reason === "invalid_token"
        ? `Bearer realm="commonweal", error="invalid_token"`
        : `Bearer realm="commonweal"`
  }
  if (error._tag === "MethodNotAllowed") headers["allow"] = error.allow.join(", ")
  return Effect.succeed(
    HttpServerResponse.jsonUnsafe(
      { ...document, instance: instance ?? instanceOf(request) },
      { status: document.status, contentType: PROBLEM_CONTENT_TYPE, headers }
    )
  )
}

/**
 * Why a body sent to an endpoint that takes none is refused, or `undefined` when it is empty:
 * "is not valid JSON" when it does not parse, else "takes no request body". Such a body is
 * never ignored: a client that sends one believes it says something, and the command must not
 * run on a request it did not understand. The request middleware has read the body already
 * (under the size limit); an unreadable body is "is not valid JSON".
 */
const unexpectedBody = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<InvalidInput | undefined> =>
  Effect.map(Effect.result(request.text), (text) => {
    if (text._tag === "Failure") return notJson()
    if (text.success.length === 0) return undefined
    return parseJson(text.success) === undefined
      ? notJson()
      : InvalidInput.of("body", "must be empty: this endpoint takes no request body / 此接口不接受请求体")
  })

/** The body limit when `makeHttpLayer` is given none: 1 MB. */
export const DEFAULT_MAX_BODY_SIZE = 1024 * 1024

/**
 * How deeply a JSON body may nest (objects and arrays). commonweal's payloads nest a few levels;
 * a deeper body is refused before it is parsed or decoded, whose recursion it could exhaust.
 */
export const MAX_JSON_DEPTH = 64

/** The deepest nesting of objects and arrays in a JSON text, counting no further than `limit + 1`. */
export const jsonDepth = (text: string, limit: number = MAX_JSON_DEPTH): number => {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92)
        i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > limit) return deepest
      }
    } else if (c === 93 || c === 125) depth--
  }
  return deepest
}

/** The platform's body reading failed because the body exceeded the `MaxBodySize`. */
const isBodyTooLarge = (error: unknown): boolean =>
  HttpServerError.isHttpServerError(error) &&
  error.reason._tag === "RequestParseError" &&
  error.reason.reason === "BodyTooLarge"

/** The platform failed to read or parse the request body. */
const isBodyUnreadable = (error: unknown): boolean =>
  HttpServerError.isHttpServerError(error) && error.reason._tag === "RequestParseError"

/** The request carries a body (`Content-Length` other than 0, or `Transfer-Encoding`). */
const hasBody = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const headers = request.headers
  const length = headers["content-length"]
  return (length !== undefined && length.trim() !== "0") || headers["transfer-encoding"] !== undefined
}

/** `application/json` (any parameters, e.g. `charset=utf-8`) or an `application/*+json` type; `undefined` if not JSON. */
const jsonMediaType = (contentType: string | undefined): "json" | "suffix" | undefined => {
  const media = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? ""
  if (media === "application/json") return "json"
  return /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(media) ? "suffix" : undefined
}

/** The methods of the contract, by path pattern segments (`:id` matches any one segment). */
const contractRoutes: ReadonlyArray<{ readonly method: string; readonly segments: ReadonlyArray<string> }> =
  Object.values(CommonwealApi.groups)
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
      route.segments.every((s, i) => (s.startsWith(":") ? (segments[i] ?? "") !== "" : s === segments[i]))
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
  const schemaError = Schema.isSchemaError(error)
    ? error
    : HttpApiError.HttpApiSchemaError.is(error)
      ? error.cause
      : undefined
  if (schemaError !== undefined) {
    name = HttpApiError.HttpApiSchemaError.is(error) ? `HttpApiSchemaError(${error.kind})` : "SchemaError"
    message = `schema failure at ${schemaFailurePaths(schemaError.issue)}`
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
  if (request?.url.includes("?")) message = message.split(request.url).join(instanceOf(request))
  return { name, message: message.length > 500 ? `${message.slice(0, 500)}…` : message }
}

/** Turns any failure of the API's HTTP app into a response (see the module docs). */
export const causeResponse = (
  cause: Cause.Cause<unknown>,
  request: HttpServerRequest.HttpServerRequest,
  maxBodySize: number = DEFAULT_MAX_BODY_SIZE
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  if (Cause.hasInterruptsOnly(cause)) return Effect.interrupt
  const failure = Cause.findErrorOption(cause)
  const error: unknown = Option.isSome(failure) ? failure.value : Cause.squash(cause)
  if (isProblemError(error)) return problemResponse(error, request)
  if (HttpApiError.HttpApiSchemaError.is(error) && error.kind !== "Body" && error.kind !== "ResponseHeaders") {
    return problemResponse(decodeErrorToInvalidInput(error), request)
  }
  if (HttpServerError.isHttpServerError(error) && error.reason._tag === "RouteNotFound") {
    const path = instanceOf(request)
    const allow = allowedMethods(path)
    return allow.length > 0 && !allow.includes(request.method)
      ? problemResponse(MethodNotAllowed.of(request.method, path, allow), request)
      : problemResponse(
          new RouteNotFound({
            method: request.method,
            path,
            message: `No route for ${request.method} ${path} / 接口不存在`
          }),
          request
        )
  }
  if (isBodyTooLarge(error) || HttpApiError.HttpApiPayloadTooLarge.is(error)) {
    return problemResponse(PayloadTooLarge.of(maxBodySize), request)
  }
  // any other failure to read or parse the body
  if (isBodyUnreadable(error)) return problemResponse(notJson(), request)
  if (HttpServerResponse.isHttpServerResponse(error)) return Effect.succeed(error)
  if (
    HttpServerRespondable.isRespondable(error) &&
    !HttpServerError.isHttpServerError(error) &&
    !HttpApiError.HttpApiSchemaError.is(error)
  ) {
    return Effect.flatMap(problemResponse(internalError(), request), (fallback) =>
      HttpServerRespondable.toResponseOrElse(error, fallback)
    )
  }
  const correlationId = globalThis.crypto.randomUUID()
  const summary = defectSummary(error, request)
  return Effect.andThen(
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

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The body of a response as text, when it is held in memory (as handlers and the platform's JSON encoding answer). */
const bodyText = (response: HttpServerResponse.HttpServerResponse): string | undefined => {
  const body = response.body
  return body._tag === "Uint8Array" ? (body.text ?? decoder.decode(body.body)) : undefined
}

/**
 * A success of an idempotent endpoint as the plain record stored with its key: its status, and
 * the type and id of the resource it returned (read from the JSON body with the endpoint's
 * {@link IdempotentResource} declaration). Never personal data. `undefined` when the body does
 * not hold such a resource (a wrong declaration: a defect, see {@link UncapturableSuccess}).
 */
export const captureSuccess = (
  response: HttpServerResponse.HttpServerResponse,
  resource: IdempotentResource
): StoredSuccess | undefined => {
  const text = bodyText(response)
  const json = text === undefined ? undefined : parseJson(text)
  if (json === undefined) return undefined
  let id: unknown
  try {
    id = resource.id(json)
  } catch {
    return undefined
  }
  return typeof id === "string" && id !== "" ? { status: response.status, type: resource.type, id } : undefined
}

/**
 * The defect when an idempotent endpoint answered a success that its resource declaration cannot
 * read: the command is rolled back (a success that cannot be remembered would run twice on a
 * retry) and the client gets a 500. The message names the resource type and status only.
 */
export class UncapturableSuccess extends Error {
  override readonly name = "UncapturableSuccess"
}

/** The defect when a stored answer cannot be replayed (not a stored success, or a resource type without a reader). */
export class UnreplayableAnswer extends Error {
  override readonly name = "UnreplayableAnswer"
}

/** A built {@link ResourceReader}: reads a resource's JSON as the current actor; its `Location`. */
interface Reader {
  readonly read: (id: string) => Effect.Effect<unknown, unknown, CurrentActor>
  readonly location: (id: string) => string
}

const markReplayed = (response: HttpServerResponse.HttpServerResponse) =>
  HttpServerResponse.setHeader(response, IDEMPOTENT_REPLAYED_HEADER, "true")

/** Rebuilds a remembered success: the resource is re-read as `actor`, now; a failed read is answered as problem details. */
const replay = (
  stored: StoredSuccess,
  reader: Reader,
  actor: Actor,
  request: HttpServerRequest.HttpServerRequest,
  maxBodySize: number
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  reader.read(stored.id).pipe(
    Effect.map((json) =>
      HttpServerResponse.jsonUnsafe(json, {
        status: stored.status,
        headers: stored.status === 201 ? { location: reader.location(stored.id) } : undefined
      })
    ),
    Effect.provideService(CurrentActor, actor),
    Effect.catchCause((cause) => causeResponse(cause, request, maxBodySize)),
    Effect.map(markReplayed)
  )

const header = (request: HttpServerRequest.HttpServerRequest, name: string): string | undefined => {
  const value = request.headers[name]
  return value === undefined ? undefined : value.trim()
}

/** Options of {@link makeApiMiddleware} and {@link makeRequestMiddleware}. */
export interface ApiMiddlewareOptions {
  /** The largest request body accepted, in bytes; a larger one is answered with 413. Default {@link DEFAULT_MAX_BODY_SIZE} (1 MB). */
  readonly maxBodySize?: number | undefined
  /**
   * How long an `Idempotency-Key` is kept after its request, i.e. how long a retry is answered
   * with the first response: a positive, finite duration. Default 24 hours. Expired keys are
   * deleted by `IdempotencyKeys.purgeExpired` (run it now and then; the example server does).
   */
  readonly idempotencyTtl?: Duration.Input | undefined
}

const currentRequest = HttpServerRequest.HttpServerRequest

/** What the transaction of an idempotent request ended with. */
type Outcome =
  /** The command ran and committed with its key: answer its response. */
  | { readonly _tag: "Ran"; readonly response: HttpServerResponse.HttpServerResponse }
  /** The key was completed by an earlier request: replay it. */
  | { readonly _tag: "Replay"; readonly stored: string }
  /** The key was used for another request. */
  | { readonly _tag: "Mismatch" }

/**
 * How the command of an idempotent request failed: the transaction is failed with it (so it rolls
 * back, the key with it), then the failure is answered: an error response as it is, any other
 * failure (typed error, defect, interruption) by {@link causeResponse}.
 */
class RolledBack {
  constructor(readonly answer: Exit.Exit<HttpServerResponse.HttpServerResponse, unknown>) {}
}

/** The endpoints of {@link CommonwealApi} declared with `idempotentPost`, and their resource declarations. */
const idempotentEndpoints: ReadonlyArray<{ readonly name: string; readonly resource: IdempotentResource }> =
  Object.values(CommonwealApi.groups).flatMap((group) =>
    Object.values(group.endpoints).flatMap((endpoint) => {
      const resource = Context.getOption(endpoint.annotations, Idempotent)
      return Option.isSome(resource)
        ? [{ name: `${group.identifier}.${endpoint.identifier}`, resource: resource.value }]
        : []
    })
  )

/**
 * The implementation of {@link ApiMiddleware}: every failure of an endpoint (its request
 * decoding, its `Authentication`, its handler) as problem details, and `Idempotency-Key` on the
 * POSTs declared with `idempotentPost` (see the module docs and `Idempotency.ts`). Needs the
 * {@link TokenVerifier} (to scope keys by actor), the storage adapter's `Transactor` and
 * `IdempotencyKeys`, and what the resource readers of `Api.ts` need (`Residents`, to re-read a
 * resident on replay).
 *
 * Building it fails (a defect) when an idempotent endpoint declares a resource type that has no
 * reader, or `idempotencyTtl` is not a positive, finite duration.
 *
 * Part of `makeApiLive`; provide it to the groups' handler layers when composing by hand.
 */
export const makeApiMiddleware = (
  options?: ApiMiddlewareOptions
): Layer.Layer<ApiMiddleware, never, TokenVerifier | Transactor | IdempotencyKeys | ResourceReaderServices> =>
  Layer.effect(
    ApiMiddleware,
    Effect.gen(function* () {
      const verifier = yield* TokenVerifier
      const transactor = yield* Transactor
      const keys = yield* IdempotencyKeys
      const readers = new Map<string, Reader>()
      for (const reader of resourceReaders)
        readers.set(reader.type, { read: yield* reader.make, location: reader.location })
      for (const { name, resource } of idempotentEndpoints) {
        if (!readers.has(resource.type)) {
          return yield* Effect.die(
            new Error(`@commonweal/http: ${name} remembers a ${resource.type}, which has no resource reader in Api.ts`)
          )
        }
      }
      const ttl = Duration.toMillis(options?.idempotencyTtl ?? DEFAULT_IDEMPOTENCY_TTL)
      if (!(ttl > 0 && Number.isFinite(ttl))) {
        return yield* Effect.die(new Error("@commonweal/http: idempotencyTtl must be a positive, finite duration"))
      }
      const maxBodySize = options?.maxBodySize ?? DEFAULT_MAX_BODY_SIZE

      /**
       * Runs `app` once for `scope`'s key: claims the key, runs the command and stores its answer
       * in one transaction; or replays, or refuses a reused key.
       */
      const once = <E, R>(
        app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
        scope: IdempotencyScope,
        print: string,
        resource: IdempotentResource,
        actor: Actor,
        request: HttpServerRequest.HttpServerRequest
      ): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const outcome = yield* transactor
            .withTransaction(
              Effect.flatMap(
                keys.claim({ scope, fingerprint: print, now, expiresAt: now + ttl }),
                (claim): Effect.Effect<Outcome, RolledBack, R> => {
                  switch (claim._tag) {
                    case "Completed":
                      return Effect.succeed({ _tag: "Replay", stored: claim.response })
                    case "Mismatch":
                      return Effect.succeed({ _tag: "Mismatch" })
                    case "Claimed":
                      return Effect.flatMap(Effect.exit(app), (exit) => {
                        if (Exit.isFailure(exit) || exit.value.status >= 400) {
                          return Effect.fail(new RolledBack(exit))
                        }
                        const response = exit.value
                        const stored = captureSuccess(response, resource)
                        if (stored === undefined) {
                          return Effect.fail(
                            new RolledBack(
                              Exit.die(
                                new UncapturableSuccess(
                                  `a ${response.status} answer does not hold the ${resource.type} it declares`
                                )
                              )
                            )
                          )
                        }
                        return Effect.as(keys.complete(scope, print, encodeStoredSuccess(stored)), {
                          _tag: "Ran",
                          response
                        } as const)
                      })
                  }
                }
              )
            )
            .pipe(
              Effect.catch((rolledBack) =>
                Exit.isSuccess(rolledBack.answer)
                  ? Effect.succeed<Outcome>({ _tag: "Ran", response: rolledBack.answer.value })
                  : Effect.flatMap(causeResponse(rolledBack.answer.cause, request, maxBodySize), (response) =>
                      Effect.succeed<Outcome>({ _tag: "Ran", response })
                    )
              )
            )
          switch (outcome._tag) {
            case "Ran":
              return outcome.response
            case "Mismatch":
              return yield* problemResponse(IdempotencyKeyReused.of(scope.key), request)
            case "Replay": {
              const stored = decodeStoredSuccess(outcome.stored)
              const reader = stored === undefined ? undefined : readers.get(stored.type)
              if (stored === undefined || reader === undefined) {
                return yield* causeResponse(
                  Cause.die(new UnreplayableAnswer("a stored idempotent answer cannot be replayed")),
                  request,
                  maxBodySize
                )
              }
              return yield* replay(stored, reader, actor, request, maxBodySize)
            }
          }
        }).pipe(Effect.catchCause((cause) => causeResponse(cause, request, maxBodySize)))

      return ApiMiddleware.of((app, { endpoint }) => {
        // the common case: no idempotency, nothing to do unless the endpoint fails
        const plain = Effect.catchCause(app, (cause) =>
          Effect.flatMap(currentRequest, (request) => causeResponse(cause, request, maxBodySize))
        )
        const resource = Context.getOption(endpoint.annotations, Idempotent)
        const run = Option.isNone(resource)
          ? plain
          : Effect.flatMap(currentRequest, (request) => {
              const key = header(request, IDEMPOTENCY_KEY_HEADER)
              if (key === undefined) return plain
              return Effect.gen(function* () {
                // Authenticate once; the route's Authentication middleware reuses the outcome.
                const authenticated = yield* Effect.exit(
                  authenticate(verifier, bearerToken(request.headers.authorization))
                )
                const authed = Effect.provideService(app, RequestAuthentication, authenticated)
                // No actor: the route's authentication answers 401 (or 500 for a broken verifier); no key to claim.
                if (Exit.isFailure(authenticated)) {
                  return yield* Effect.catchCause(authed, (cause) => causeResponse(cause, request, maxBodySize))
                }
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
                // the request middleware read the body already (the request caches it)
                const body = yield* Effect.option(request.text)
                if (Option.isNone(body)) {
                  return yield* Effect.catchCause(authed, (cause) => causeResponse(cause, request, maxBodySize))
                }
                const scope: IdempotencyScope = { communityId: actor.communityId, subject: actor.subject, key }
                const print = yield* fingerprint(request.method, request.url, body.value)
                return yield* once(authed, scope, print, resource.value, actor, request)
              })
            })
        // an endpoint without a payload never ignores a body: it is refused before anything runs
        if (endpoint.payload.size > 0) return run
        return Effect.flatMap(currentRequest, (request) =>
          hasBody(request)
            ? Effect.flatMap(unexpectedBody(request), (refusal) =>
                refusal === undefined ? run : problemResponse(refusal, request)
              )
            : run
        )
      })
    })
  )

/** {@link makeApiMiddleware} with the defaults (1 MB body limit, keys kept 24 hours). */
export const ApiMiddlewareLive: Layer.Layer<
  ApiMiddleware,
  never,
  TokenVerifier | Transactor | IdempotencyKeys | ResourceReaderServices
> = makeApiMiddleware()

/**
 * The request state Effect's server keeps per request. Its `loggerDisabled` flag is what
 * `HttpMiddleware.withLoggerDisabled` sets; Effect 4.1 keeps the service internal, so it is
 * looked up by its key.
 */
const CurrentRequestState = Context.Service<{ readonly loggerDisabled?: boolean }>(
  "effect/http/HttpEffect/CurrentRequestState"
)
const loggerDisabled = (context: Context.Context<never>): boolean =>
  Context.getOrUndefined(context, CurrentRequestState)?.loggerDisabled === true

/**
 * Logs one line per request: method, path **without the query string** (a query may hold names,
 * `nameContains=周…`), status and duration (the `http.span` log span). Unlike
 * `HttpMiddleware.logger` it never logs a failure's cause (the API middleware logs unexpected
 * failures itself, without their data). Honours `HttpMiddleware.withLoggerDisabled`.
 */
export const requestLogger = <E, R>(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest> =>
  Effect.withFiber((fiber) => {
    const request = Context.getUnsafe(fiber.context, HttpServerRequest.HttpServerRequest)
    return Effect.withLogSpan(
      Effect.onExit(app, (exit) =>
        Effect.withFiber((fiber) =>
          loggerDisabled(fiber.context)
            ? Effect.void
            : Effect.annotateLogs(Effect.log("Sent HTTP response"), {
                "http.method": request.method,
                "http.path": requestPath(request),
                "http.status":
                  exit._tag === "Success"
                    ? exit.value.status
                    : HttpServerError.causeResponseStripped(exit.cause)[0].status
              })
        )
      ),
      "http.span"
    )
  })

/** Options of {@link makeRequestMiddleware}. */
export interface RequestMiddlewareOptions extends ApiMiddlewareOptions {
  /** Log every request with {@link requestLogger} (path without query). Default `false`. */
  readonly logRequests?: boolean | undefined
}

/**
 * The request middleware, global on the router (a layer that needs the `HttpRouter`):
 *
 * - before any route runs, a request with a body is checked: a body that is not JSON is 415
 *   ({@link UnsupportedMediaType}); one over `maxBodySize` is 413 ({@link PayloadTooLarge}),
 *   refused by its `Content-Length` without being read, or while being read when it has none;
 *   one nested deeper than {@link MAX_JSON_DEPTH} is the 400 "not valid JSON". An
 *   `application/*+json` body is parsed as `application/json`. The body is read once, under
 *   the limit, and the request keeps it for the route;
 * - an unknown path is a 404 problem, an unsupported method on a known path a 405 problem with
 *   `Allow`; any other failure that reaches it (none does from the API's own routes) is
 *   answered by {@link causeResponse};
 * - every response gets {@link withSecurityHeaders} (`no-store`, `nosniff`);
 * - with `logRequests`, every request is logged by {@link requestLogger}.
 *
 * A request without a body costs one header check and one failure handler.
 */
export const makeRequestMiddleware = (
  options?: RequestMiddlewareOptions
): Layer.Layer<never, never, HttpRouter.HttpRouter> => {
  const maxBodySize = options?.maxBodySize ?? DEFAULT_MAX_BODY_SIZE
  const limit = ByteSize.bytes(maxBodySize)
  // every failure is answered here; `unhandled` is how the router's types spell "nothing escapes"
  const middleware = (
    app: Effect.Effect<HttpServerResponse.HttpServerResponse, Types.unhandled>
  ): Effect.Effect<HttpServerResponse.HttpServerResponse, Types.unhandled, HttpServerRequest.HttpServerRequest> =>
    Effect.withFiber((fiber) => {
      const original = Context.getUnsafe(fiber.context, HttpServerRequest.HttpServerRequest)
      if (!hasBody(original)) return Effect.catchCause(app, (cause) => causeResponse(cause, original, maxBodySize))
      const media = jsonMediaType(original.headers["content-type"])
      if (media === undefined) return problemResponse(UnsupportedMediaType.of(), original)
      const length = Number(original.headers["content-length"] ?? "0")
      if (Number.isFinite(length) && length > maxBodySize) {
        return problemResponse(PayloadTooLarge.of(maxBodySize), original)
      }
      // the platform parses a body as JSON only when its content type says application/json
      const request =
        media === "suffix"
          ? original.modify({ headers: Headers.set(original.headers, "content-type", "application/json") })
          : original
      // read once, under the limit (the request caches it; the route and the idempotency fingerprint reuse it)
      return Effect.flatMap(
        Effect.result(Effect.provideService(request.text, HttpIncomingMessage.MaxBodySize, limit)),
        (text) => {
          if (text._tag === "Failure" && isBodyTooLarge(text.failure)) {
            return problemResponse(PayloadTooLarge.of(maxBodySize), original)
          }
          if (text._tag === "Success" && jsonDepth(text.success) > MAX_JSON_DEPTH) {
            return problemResponse(notJson(), original)
          }
          const routed =
            request === original ? app : Effect.provideService(app, HttpServerRequest.HttpServerRequest, request)
          return Effect.catchCause(Effect.provideService(routed, HttpIncomingMessage.MaxBodySize, limit), (cause) =>
            causeResponse(cause, request, maxBodySize)
          )
        }
      )
    })
  const secured = (app: Effect.Effect<HttpServerResponse.HttpServerResponse, Types.unhandled>) =>
    Effect.map(middleware(app), withSecurityHeaders)
  return HttpRouter.middleware(options?.logRequests === true ? (app) => requestLogger(secured(app)) : secured, {
    global: true
  })
}

/**
 * The headers every response of the API carries (set by the request middleware, so problem
 * details, 404s and 405s have them too):
 *
 * - `X-Content-Type-Options: nosniff`: a browser never reads a JSON answer as anything else;
 * - `Cache-Control: no-store`, unless the response sets its own cache policy (only the docs
 *   page and the OpenAPI document do): answers carry personal data, which no browser or proxy
 *   cache may keep.
 */
export const withSecurityHeaders = (
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.setHeaders(response, {
    "x-content-type-options": "nosniff",
    "cache-control": response.headers["cache-control"] ?? "no-store"
  })
