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
 *   `…, actual "<value>"` suffix and any other quoted text are dropped): the value may be
 *   personal data (a health note), and problem details are remembered for idempotent replays
 *   and end up in client logs; and every message carries Chinese (see {@link wireMessage});
 * - a body that is not JSON is 415, one over the size limit 413, before any route runs (see
 *   {@link makeApiMiddleware});
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
import { Headers, HttpApiBuilder, HttpServerRequest, HttpServerRespondable, HttpServerResponse } from "@effect/platform"
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
  PayloadTooLargeProblem,
  UnsupportedMediaTypeProblem,
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

const CJK = /[\u4e00-\u9fff]/

/** The schema library's default messages, made bilingual. */
const defaultMessages: ReadonlyArray<readonly [RegExp, string]> = [
  [/^is missing$/, "is required / 必填项"],
  [/^is unexpected\b/, "is not a known field / 不认识的字段"],
  [/^Unable to decode [\s\S]* into a number$/, "must be a number / 须为数字"],
  [/^Expected number$/, "must be a number / 须为数字"],
  [/^Expected string$/, "must be text / 须为文本"],
  [/^Expected (an )?integer$/, "must be an integer / 须为整数"],
  [/^Expected (ReadonlyArray|Array|an array)\b/, "must be a list / 须为列表"],
  [/^Expected (ReadonlyArray|Array)<[\s\S]*>$/, "must be a list / 须为列表"],
  [/^Expected boolean\b/, "must be true or false / 须为 true 或 false"],
  [/^Expected \{[\s\S]*\}$/, "must be an object / 须为对象"],
  [/^Expected object\b/, "must be an object / 须为对象"]
]

/**
 * A message fit for the wire: never the offending value (the `, actual …` suffix is cut and
 * any other quoted text, `Unable to decode "周赛群" into a number`, is dropped) and always with
 * Chinese (the schemas' own messages have it; the library's defaults get a translation, and
 * anything else a generic one).
 */
export const wireMessage = (message: string): string => {
  const cut = withoutActual(message)
  for (const [pattern, text] of defaultMessages) if (pattern.test(cut)) return text
  const length = /^Expected a string at (most|least) (\d+) character\(s\) long$/.exec(cut)
  if (length) {
    return length[1] === "most"
      ? `must be at most ${length[2]} characters / 不得超过 ${length[2]} 个字符`
      : `must be at least ${length[2]} characters / 不得少于 ${length[2]} 个字符`
  }
  const unquoted = cut.replace(/"(?:[^"\\]|\\.)*"/g, "…").replace(/\s+…(?=\s|$)/g, "").trim()
  return CJK.test(unquoted) ? unquoted : `${unquoted} / 输入无效`
}

/**
 * `InvalidInput` without echoed input values and with Chinese in every message (see
 * {@link wireMessage}); the summary message is rebuilt from the issues.
 */
export const redactInvalidInput = (error: InvalidInput): InvalidInput => {
  const issues = error.issues.map((issue) => ({ field: issue.field, message: wireMessage(issue.message) }))
  const joined = error.issues.map((i) => `${i.field}: ${i.message}`).join("; ")
  const message = error.message === joined
    ? issues.map((i) => `${i.field}: ${i.message}`).join("; ")
    : error.issues.length === 1 && error.message === error.issues[0]?.message
    ? issues[0]?.message ?? ""
    : wireMessage(error.message)
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

const LITERAL = /^Expected "((?:[^"\\]|\\.)*)"$/

/**
 * `HttpApiDecodeError` (the platform's request decoding failure) as `InvalidInput`, one issue
 * per field and message:
 *
 * - a failed choice among literals (`?tag=nope` fails every member of the union) becomes one
 *   issue "must be one of a, b, c / 须为以下之一：a、b、c" (the literals are the schema's, not input);
 * - an optional or nullable field's schema is `X | undefined` (or `X | null`), so a bad value
 *   also reports "Expected undefined"/"Expected null": dropped when another issue names the
 *   same field or one inside it;
 * - every message goes through {@link wireMessage}: no echoed value, always Chinese.
 */
export const decodeErrorToInvalidInput = (error: HttpApiDecodeError): InvalidInput => {
  const raw = error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "input",
    message: withoutActual(issue.message)
  }))
  const choices = new Map<string, Array<string>>()
  for (const issue of raw) {
    const literal = LITERAL.exec(issue.message)
    if (literal) choices.set(issue.field, [...(choices.get(issue.field) ?? []), literal[1] ?? ""])
  }
  const collapsed = raw.flatMap((issue) => {
    const options = choices.get(issue.field)
    const literal = LITERAL.exec(issue.message)
    if (options === undefined || literal === null) return [issue]
    if (literal[1] !== options[0]) return []
    return [{
      field: issue.field,
      message: options.length === 1
        ? `must be ${options[0]} / 须为 ${options[0]}`
        : `must be one of ${options.join(", ")} / 须为以下之一：${options.join("、")}`
    }]
  })
  const noise = (issue: { readonly field: string; readonly message: string }) =>
    /^Expected (undefined|null)$/.test(issue.message) &&
    collapsed.some((other) =>
      other !== issue && !/^Expected (undefined|null)$/.test(other.message) &&
      (other.field === issue.field || other.field.startsWith(`${issue.field}.`))
    )
  const seen = new Set<string>()
  const issues = collapsed.filter((issue) => !noise(issue)).map((issue) => ({
    field: issue.field,
    message: wireMessage(issue.message)
  })).filter((issue) => {
    const key = `${issue.field}\u0000${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return InvalidInput.many(issues)
}

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
      if (c === 92) i++ // backslash: skip the escaped character
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

const notJson = () => InvalidInput.of("body", "is not valid JSON / 请求体不是有效的 JSON")

/** The platform's body reading failed because the body exceeded the `MaxBodySize`. */
const isBodyTooLarge = (error: unknown): boolean =>
  HttpServerError.isServerError(error) && error._tag === "RequestError" && error.reason === "Decode" &&
  error.cause instanceof Error && error.cause.message === "maxBytes exceeded"

/** The request carries a body (`Content-Length` other than 0, or `Transfer-Encoding`). */
const hasBody = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const length = request.headers["content-length"]
  return (length !== undefined && length.trim() !== "0") || request.headers["transfer-encoding"] !== undefined
}

/** `application/json` (any parameters, e.g. `charset=utf-8`) or an `application/*+json` type; `undefined` if not JSON. */
const jsonMediaType = (contentType: string | undefined): "json" | "suffix" | undefined => {
  const media = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? ""
  if (media === "application/json") return "json"
  return /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(media) ? "suffix" : undefined
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
  request: HttpServerRequest.HttpServerRequest,
  maxBodySize: number = DEFAULT_MAX_BODY_SIZE
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
  if (isBodyTooLarge(error)) return problemResponse(PayloadTooLarge.of(maxBodySize), request)
  // any failure to read or parse the body (`JSON.parse` throwing a SyntaxError or a RangeError)
  if (HttpServerError.isServerError(error) && error._tag === "RequestError" && error.reason === "Decode") {
    return problemResponse(notJson(), request)
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
  request: HttpServerRequest.HttpServerRequest,
  maxBodySize: number
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
        Effect.catchAllCause((cause) => causeResponse(cause, request, maxBodySize)),
        Effect.map(markReplayed)
      )
  }
}

const header = (request: HttpServerRequest.HttpServerRequest, name: string): string | undefined => {
  const value = request.headers[name]
  return value === undefined ? undefined : value.trim()
}

/** Options of {@link makeApiMiddleware}. */
export interface ApiMiddlewareOptions {
  /** The largest request body accepted, in bytes; a larger one is answered with 413. Default {@link DEFAULT_MAX_BODY_SIZE} (1 MB). */
  readonly maxBodySize?: number | undefined
}

/**
 * The API middleware as a `Layer`. Part of `ApiLive`; needs the {@link TokenVerifier} (to scope
 * idempotency keys by actor), the {@link IdempotencyStore}, and `Residents` (to re-read a
 * resident on replay).
 *
 * Before any route runs, a request with a body is checked: a body that is not JSON is 415
 * ({@link UnsupportedMediaType}); one over `maxBodySize` is 413 ({@link PayloadTooLarge}),
 * refused by its `Content-Length` without being read, or while being read when it has none;
 * one nested deeper than {@link MAX_JSON_DEPTH} is the 400 "not valid JSON". An
 * `application/*+json` body is parsed as `application/json`.
 */
export const makeApiMiddleware = (
  options?: ApiMiddlewareOptions
): Layer.Layer<never, never, TokenVerifier | IdempotencyStore | Residents> =>
  HttpApiBuilder.middleware(
    Effect.gen(function*() {
      const verifier = yield* TokenVerifier
      const store = yield* IdempotencyStore
      const residents = yield* Residents
      const maxBodySize = options?.maxBodySize ?? DEFAULT_MAX_BODY_SIZE

      return (app: HttpApp.Default) =>
        Effect.gen(function*() {
          const original = yield* HttpServerRequest.HttpServerRequest
          let request = original
          if (hasBody(original)) {
            const media = jsonMediaType(original.headers["content-type"])
            if (media === undefined) return yield* problemResponse(UnsupportedMediaType.of(), original)
            const length = Number(original.headers["content-length"] ?? "0")
            if (Number.isFinite(length) && length > maxBodySize) {
              return yield* problemResponse(PayloadTooLarge.of(maxBodySize), original)
            }
            // the platform parses a body as JSON only when its content type says application/json
            if (media === "suffix") {
              request = original.modify({ headers: Headers.set(original.headers, "content-type", "application/json") })
            }
            // read once (the request caches it; the route and the idempotency fingerprint reuse it)
            const text = yield* Effect.either(HttpServerRequest.withMaxBodySize(request.text, Option.some(maxBodySize)))
            if (text._tag === "Left" && isBodyTooLarge(text.left)) {
              return yield* problemResponse(PayloadTooLarge.of(maxBodySize), original)
            }
            if (text._tag === "Right" && jsonDepth(text.right) > MAX_JSON_DEPTH) {
              return yield* problemResponse(notJson(), original)
            }
          }
          const widened: Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, HttpServerRequest.HttpServerRequest> =
            HttpServerRequest.withMaxBodySize(
              Effect.provideService(app, HttpServerRequest.HttpServerRequest, request),
              Option.some(maxBodySize)
            )
          const handle = (app: typeof widened) =>
            Effect.catchAllCause(app, (cause) => causeResponse(cause, request, maxBodySize))

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
                  return restore(replay(reservation.response, actor, residents, request, maxBodySize))
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

/** {@link makeApiMiddleware} with the defaults (1 MB body limit). */
export const ApiMiddlewareLive: Layer.Layer<never, never, TokenVerifier | IdempotencyStore | Residents> =
  makeApiMiddleware()
