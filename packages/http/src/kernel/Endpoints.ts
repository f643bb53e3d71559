/**
 * What every group of the HTTP contract shares: the API's identity and version, the API-wide
 * middleware, the common error lists, the idempotent-POST declaration
 * ({@link idempotentPost}) and the resource readers idempotent replays use
 * ({@link ResourceReader}).
 *
 * A group file (`groups/<name>.ts`) declares its endpoints with these, implements its handlers
 * over {@link groupApi} (the contract as its handlers see it, without importing the assembled
 * `CommonwealApi`), and exports the readers of its resources; `Api.ts` registers each group in
 * one line per list. This file names no group.
 *
 * @module
 */
import { type CurrentActor, Paging } from "@commonweal/core"
import { Context, Effect, Schema } from "effect"
import type { HttpRouter } from "effect/http"
import { HttpApi, HttpApiEndpoint, HttpApiMiddleware } from "effect/http-api"
import type { HttpApiGroup } from "effect/http-api"
import { DEFAULT_IDEMPOTENCY_TTL, IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from "../Idempotency.js"
import {
  ConflictProblem,
  ForbiddenProblem,
  IdempotencyKeyReusedProblem,
  InsufficientFundsProblem,
  InternalErrorProblem,
  InvalidInputProblem,
  InvalidTransitionProblem,
  NotFoundProblem,
  PayloadTooLargeProblem,
  UnsupportedMediaTypeProblem
} from "../Problem.js"

/** The identifier of the `HttpApi` (every group's handlers are registered under it). */
export const API_ID = "commonweal"

/** The version of this API (and of `@commonweal/http`), reported by `GET /health` and in OpenAPI. */
export const API_VERSION = "0.1.0"

/** A bilingual description: `English / 中文`. */
export const describe = (english: string, chinese: string): string => `${english} / ${chinese}`

/**
 * The wire form of a payload schema: its encoded side (`Schema.toEncoded`), which keeps the
 * checks of every value that is not transformed (patterns, enums, ranges). Defaults
 * (`tags: []` …) and trimming are applied by the service, which decodes the body with the core
 * schema; so typed-client callers pass plain JSON values and may omit what the core schema
 * defaults.
 */
export const wire = <S extends Schema.Top>(schema: S, identifier: string) =>
  Schema.toEncoded(schema).annotate({ identifier })

/**
 * How the server decodes a request's payload and query: an unknown field (a typo such as
 * `lanuage`, at any depth) is an issue naming it, not silently ignored, and every issue is
 * reported, not only the first. Effect 4 takes these per request part as API annotations
 * (`HttpApi.PayloadParseOptions`, `HttpApi.QueryParseOptions`).
 */
export const strictParseOptions = { onExcessProperty: "error", errors: "all" } as const

/**
 * The API-wide middleware of the contract (implemented by `makeApiMiddleware` in
 * `Middleware.ts`): it answers every failure of an endpoint with problem details and handles
 * `Idempotency-Key`. Its errors are what every endpoint may answer besides its own: 400
 * `InvalidInput` (any request decoding failure) and 500 `InternalError`.
 */
export class ApiMiddleware extends HttpApiMiddleware.Service<ApiMiddleware>()("@commonweal/http/ApiMiddleware", {
  error: [InvalidInputProblem, InternalErrorProblem]
}) {}

/*
 * The errors of each kind of endpoint, so that the OpenAPI document lists only what it can
 * answer (besides 400 and 500 from {@link ApiMiddleware} and 401 from `Authentication`).
 */

/** The errors of a read (`GET`) of a domain's records. */
export const readErrors = [ForbiddenProblem, NotFoundProblem] as const

/** The errors of a command without a body (`DELETE`; POSTs add {@link keyErrors}). */
export const commandErrors = [...readErrors, ConflictProblem, InvalidTransitionProblem] as const

/**
 * The errors of a command that moves amounts through the ledger (money, minutes or pieces):
 * {@link commandErrors} and 409 `InsufficientFunds`, when an account would break its limit.
 */
export const ledgerCommandErrors = [...commandErrors, InsufficientFundsProblem] as const

/** The errors of a request body: over the size limit (413), not JSON (415). */
export const bodyErrors = [PayloadTooLargeProblem, UnsupportedMediaTypeProblem] as const

/** The errors of a command with a body (`PATCH`; POSTs add {@link keyErrors}). */
export const bodyCommandErrors = [...commandErrors, ...bodyErrors] as const

/**
 * The errors of `Idempotency-Key`, which every idempotent POST accepts: 422 for a key reused
 * with another request. (A second request with a key in use waits for the first and replays
 * it, so there is no "in use" error.)
 */
export const keyErrors = [IdempotencyKeyReusedProblem] as const

/** The headers every idempotent POST accepts: an optional `Idempotency-Key` (1-255 characters). */
export const IdempotencyHeaders = Schema.Struct({
  [IDEMPOTENCY_KEY_HEADER]: Schema.optional(
    Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(MAX_IDEMPOTENCY_KEY_LENGTH)).annotate({
      description: `Retry-safe POST: the same key with the same request, within the server's TTL (${DEFAULT_IDEMPOTENCY_TTL} by default), does not run the command again, also after a restart or on another server instance; it answers with the first response's status and the resource as the caller may see it now (erased or withdrawn data stays gone). A request that failed left nothing behind and runs again. A second request with a key in use waits for the first. / 幂等键：重试时不重复执行，返回首次状态码与资源当前内容；失败的请求不保留，重试时重新执行`
    })
  )
})

/**
 * How the success of an idempotent POST is remembered: the type of the resource it returns
 * (`Resident`), and how to read the resource's id from the success body (its JSON encoding).
 * The stored record is `{ status, type, id }` (see `StoredSuccess` in `Idempotency.ts`); a replay
 * re-reads the resource with the {@link ResourceReader} registered for `type`.
 */
export interface IdempotentResource<Body = unknown> {
  /** The resource type, e.g. `Resident`: names the {@link ResourceReader} of a replay. */
  readonly type: string
  /** The id of the resource in a success body (the endpoint's success schema, encoded). */
  readonly id: (body: Body) => string
}

/**
 * The endpoint annotation {@link idempotentPost} sets: the endpoint accepts `Idempotency-Key`,
 * and its successes are remembered as this resource. The API middleware reads it; an endpoint
 * without it ignores the header.
 */
export class Idempotent extends Context.Service<Idempotent, IdempotentResource>()("@commonweal/http/Idempotent") {}

/** The JSON (encoded) type of a success schema, or of the members of a list of them. */
type SuccessBody<S> =
  S extends ReadonlyArray<infer M>
    ? M extends Schema.Top
      ? M["Encoded"]
      : never
    : S extends Schema.Top
      ? S["Encoded"]
      : never

/**
 * Declares an idempotent POST: the endpoint takes the `Idempotency-Key` header
 * ({@link IdempotencyHeaders}), may answer its errors ({@link keyErrors}) besides `error`, and
 * tells how its success is remembered (`resource`, required: a success that cannot be
 * remembered would let a retry run the command twice).
 *
 * @example
 * ```ts
 * idempotentPost("register", "/residents", {
 *   payload: RegisterResidentBody,
 *   success: ResidentCreated,
 *   error: [...commandErrors, ...bodyErrors],
 *   resource: { type: "Resident", id: (view) => view.id }
 * })
 * ```
 */
export const idempotentPost = <
  const Name extends string,
  const Path extends HttpRouter.PathInput,
  const Success extends HttpApiEndpoint.SuccessConstraint,
  const Errors extends ReadonlyArray<Schema.Top>,
  Params extends Schema.Top | Schema.Struct.Fields = never,
  Payload extends HttpApiEndpoint.PayloadConstraintCodecs<"POST"> = never
>(
  name: Name,
  path: Path,
  options: {
    readonly params?: Params | undefined
    readonly payload?: Payload | undefined
    readonly success: Success
    readonly error: Errors
    readonly resource: IdempotentResource<SuccessBody<Success>>
  }
) =>
  HttpApiEndpoint.post<
    Name,
    Path,
    Params,
    never,
    Payload,
    typeof IdempotencyHeaders,
    Success,
    readonly [...Errors, ...typeof keyErrors]
  >(name, path, {
    params: options.params,
    payload: options.payload,
    headers: IdempotencyHeaders,
    success: options.success,
    // the platform's check that no error is a stream cannot see through the generic list; none is
    error: [...options.error, ...keyErrors] as never
  }).annotate(Idempotent, options.resource as IdempotentResource)

/**
 * How a replay re-reads one type of resource, registered per group in `Api.ts`: `make` builds
 * the reader once, when the API middleware is built (so it may take services, e.g. `Residents`);
 * the reader runs as the retrying actor (`CurrentActor`) and answers the resource encoded as the
 * endpoint's success body (JSON). `location` is the `Location` of a created one (a 201).
 */
export interface ResourceReader<R = never> {
  /** The resource type, as in {@link IdempotentResource.type}. */
  readonly type: string
  /** Builds the reader: `(id) =>` the resource's JSON as the current actor may see it now. */
  readonly make: Effect.Effect<(id: string) => Effect.Effect<unknown, unknown, CurrentActor>, never, R>
  /** The path of the resource, for `Location`: `/residents/<id>`. */
  readonly location: (id: string) => string
}

/**
 * A {@link ResourceReader} of the usual shape: the replay reads the resource by its id through a
 * domain service (`read`, run as the retrying actor, so they see it as they may see it now) and
 * answers it encoded as the endpoint's success body (`response`, as JSON). Readers of another
 * shape (a resource id that encodes several records, a receipt) are written out.
 *
 * @example
 * ```ts
 * export const LedgerAccountReader = resourceReader({
 *   type: "LedgerAccount",
 *   service: Ledger,
 *   read: (ledger, id) => ledger.account(id),
 *   response: LedgerAccountResponse,
 *   location: (id) => `/ledger/accounts/${id}`
 * })
 * ```
 */
export const resourceReader = <I, S, Response extends Schema.Top & { readonly EncodingServices: never }>(options: {
  /** The resource type, as in {@link IdempotentResource.type}. */
  readonly type: string
  /** The domain service the reader reads through (`Ledger`, `Fund` …). */
  readonly service: Context.Key<I, S>
  /** Reads the resource by id, as the current actor. */
  readonly read: (service: S, id: string) => Effect.Effect<Response["Type"], unknown, CurrentActor>
  /** The endpoint's success schema, which the answer is encoded with. */
  readonly response: Response
  /** The path of the resource, for `Location`. */
  readonly location: (id: string) => string
}): ResourceReader<I> => {
  const encode = Schema.encodeEffect(Schema.toCodecJson(options.response))
  return {
    type: options.type,
    make: Effect.map(options.service, (service) => (id: string) => Effect.flatMap(options.read(service, id), encode)),
    location: options.location
  }
}

/** The services the readers in a list need to be built. */
export type ReaderServices<Readers extends ReadonlyArray<ResourceReader<unknown>>> =
  Readers[number] extends infer Reader ? (Reader extends ResourceReader<infer R> ? R : never) : never

/**
 * The contract as one group's handlers see it: an API of that group alone, with the same
 * identifier, API-wide middleware and request decoding options as the assembled
 * `CommonwealApi`. `HttpApiBuilder.group(groupApi(SomeGroup), "some", …)` then provides the
 * same service the assembled API routes, without the group file importing the assembly.
 */
export const groupApi = <const Group extends HttpApiGroup.Constraint>(group: Group) =>
  HttpApi.make(API_ID)
    .add(group)
    .middleware(ApiMiddleware)
    .annotate(HttpApi.PayloadParseOptions, strictParseOptions)
    .annotate(HttpApi.QueryParseOptions, strictParseOptions)

const LIMIT_MESSAGE = {
  message: `must be a whole number from 1 to ${Paging.MAX_LIMIT} / 每页条数须为 1 到 ${Paging.MAX_LIMIT} 之间的整数`
}

/**
 * The query fields of every cursor-paged list: `cursor` (the `nextCursor` of the previous page)
 * and `limit` (1 to `Paging.MAX_LIMIT`, decoded from its string). Spread them into a list's
 * query schema: `Schema.Struct({ ...filters, ...PageParams })`.
 */
export const PageParams = {
  cursor: Schema.optional(Schema.String.annotate({ description: "The nextCursor of the previous page / 分页游标" })),
  limit: Schema.optional(
    Schema.NumberFromString.check(
      Schema.isInt(LIMIT_MESSAGE),
      Schema.isBetween({ minimum: 1, maximum: Paging.MAX_LIMIT }, LIMIT_MESSAGE)
    )
  )
} as const
