/**
 * The HTTP contract: one `HttpApi`, shared by the server handlers, the typed client and the
 * OpenAPI document.
 *
 * Every error is answered as RFC 9457 problem details (see `Problem.ts`); every endpoint but
 * `GET /health` needs `Authorization: Bearer <token>`; every POST accepts `Idempotency-Key`.
 *
 * @module
 */
import {
  Community,
  CommunityId,
  ConsentPurpose,
  DeactivationReason,
  Paging,
  RecordConsentInput,
  RegisterResidentInput,
  ResidentFilter,
  ResidentId,
  ResidentView,
  UpdateResidentInput
} from "@commonweal/core"
import { Schema } from "effect"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSchema, OpenApi } from "effect/http-api"
import { Authentication } from "./Auth.js"
import { IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from "./Idempotency.js"
import {
  ConflictProblem,
  ForbiddenProblem,
  IdempotencyKeyInUseProblem,
  IdempotencyKeyReusedProblem,
  InternalErrorProblem,
  InvalidInputProblem,
  InvalidTransitionProblem,
  NotFoundProblem,
  PayloadTooLargeProblem,
  PROBLEM_CONTENT_TYPE,
  UnsupportedMediaTypeProblem
} from "./Problem.js"

/** The version of this API (and of `@commonweal/http`), reported by `GET /health` and in OpenAPI. */
export const API_VERSION = "0.1.0"

/** The body of `GET /health`. */
export const Health = Schema.Struct({
  status: Schema.Literal("ok"),
  version: Schema.String
}).annotate({ identifier: "Health" })

/** The headers every POST accepts: an optional `Idempotency-Key` (1-255 characters). */
export const IdempotencyHeaders = Schema.Struct({
  [IDEMPOTENCY_KEY_HEADER]: Schema.optional(
    Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(MAX_IDEMPOTENCY_KEY_LENGTH)).annotate({
      description:
        "Retry-safe POST: the same key with the same request, within the server's TTL (24 h by default), does not run the command again; it answers with the first response's status and the resource as the caller may see it now (erased or withdrawn data stays gone), or the first error / 幂等键：重试时不重复执行，返回首次状态码与资源当前内容"
    })
  )
})

/** A page of residents: `items` and the `nextCursor` to pass back (`null` on the last page). */
export const ResidentPage = Paging.Page(ResidentView).annotate({ identifier: "ResidentPage" })

/**
 * The wire form of a payload schema: its encoded side (`Schema.toEncoded`), which keeps the
 * checks of every value that is not transformed (patterns, enums, ranges). Defaults
 * (`tags: []` …) and trimming are applied by the service, which decodes the body with the core
 * schema; so typed-client callers pass plain JSON values and may omit what the core schema
 * defaults.
 */
const wire = <S extends Schema.Top>(schema: S, identifier: string) =>
  Schema.toEncoded(schema).annotate({ identifier })

/**
 * How the server decodes a request's payload and query: an unknown field (a typo such as
 * `lanuage`, at any depth) is an issue naming it, not silently ignored, and every issue is
 * reported, not only the first. Effect 4 takes these per request part as API annotations
 * (`HttpApi.PayloadParseOptions`, `HttpApi.QueryParseOptions`).
 */
const strictParseOptions = { onExcessProperty: "error", errors: "all" } as const

/** The body of `POST /residents` (wire form of `RegisterResidentInput`). */
export const RegisterResidentBody = wire(RegisterResidentInput, "RegisterResidentInput")
/** The body of `PATCH /residents/:id` (wire form of `UpdateResidentInput`). */
export const UpdateResidentBody = wire(UpdateResidentInput, "UpdateResidentInput")
/** The body of `POST /residents/:id/consents` (wire form of `RecordConsentInput`). */
export const RecordConsentBody = wire(RecordConsentInput, "RecordConsentInput")

/** `ResidentView` answered with 201. */
export const ResidentCreated = ResidentView.pipe(HttpApiSchema.status(201))

const AGE_MESSAGE = { message: "must be a whole number from 0 to 150 / 须为 0 到 150 之间的整数" }
const AgeParam = Schema.NumberFromString.check(
  Schema.isInt(AGE_MESSAGE),
  Schema.isBetween({ minimum: 0, maximum: 150 }, AGE_MESSAGE)
)

const LIMIT_MESSAGE = {
  message: `must be a whole number from 1 to ${Paging.MAX_LIMIT} / 每页条数须为 1 到 ${Paging.MAX_LIMIT} 之间的整数`
}
const LimitParam = Schema.NumberFromString.check(
  Schema.isInt(LIMIT_MESSAGE),
  Schema.isBetween({ minimum: 1, maximum: Paging.MAX_LIMIT }, LIMIT_MESSAGE)
)

/**
 * The query string of `GET /residents`: every `ResidentFilter` field, plus `cursor` and `limit`.
 * Numbers arrive as strings and are decoded here. Any other parameter is refused (400 naming it).
 */
export const ResidentSearchParams = Schema.Struct({
  ...ResidentFilter.fields,
  minAge: Schema.optional(AgeParam),
  maxAge: Schema.optional(AgeParam),
  cursor: Schema.optional(Schema.String.annotate({ description: "The nextCursor of the previous page / 分页游标" })),
  limit: Schema.optional(LimitParam)
})

const ResidentPath = { id: ResidentId }

const describe = (english: string, chinese: string) => `${english} / ${chinese}`

/**
 * The API-wide middleware of the contract (implemented by `makeApiMiddleware` in
 * `Middleware.ts`): it answers every failure of an endpoint with problem details and handles
 * `Idempotency-Key`. Its errors are what every endpoint may answer besides its own: 400
 * `InvalidInput` (any request decoding failure) and 500 `InternalError`.
 */
export class ApiMiddleware extends HttpApiMiddleware.Service<ApiMiddleware>()("@commonweal/http/ApiMiddleware", {
  error: [InvalidInputProblem, InternalErrorProblem]
}) {}

/** The errors of every `communities` endpoint (plus `Unauthorized` from {@link Authentication}). */
const communityErrors = [NotFoundProblem, ForbiddenProblem] as const

/** The errors of every `residents` endpoint (plus `Unauthorized` from {@link Authentication}). */
const residentErrors = [
  ForbiddenProblem,
  NotFoundProblem,
  ConflictProblem,
  InvalidTransitionProblem,
  PayloadTooLargeProblem,
  UnsupportedMediaTypeProblem
] as const

/** The errors of a `residents` POST, which accepts `Idempotency-Key`. */
const keyedErrors = [...residentErrors, IdempotencyKeyReusedProblem, IdempotencyKeyInUseProblem] as const

/** `GET /health`: liveness, no authentication. */
export class HealthGroup extends HttpApiGroup.make("health")
  .add(
    HttpApiEndpoint.get("check", "/health", { success: Health })
      .annotate(OpenApi.Summary, "Health check")
      .annotate(OpenApi.Description, describe("Liveness and version; needs no token.", "健康检查，无需登录"))
  )
  .annotate(OpenApi.Description, "Service health / 服务状态")
{}

/** The actor's community (tenant). */
export class CommunitiesGroup extends HttpApiGroup.make("communities")
  .add(
    HttpApiEndpoint.get("current", "/communities/current", { success: Community, error: communityErrors })
      .annotate(OpenApi.Summary, "Current community")
      .annotate(OpenApi.Description, describe("The community the caller acts in.", "当前登录账号所属的社区"))
  )
  .add(
    HttpApiEndpoint.get("get", "/communities/:id", {
      params: { id: CommunityId },
      success: Community,
      error: communityErrors
    })
      .annotate(OpenApi.Summary, "Get a community")
      .annotate(
        OpenApi.Description,
        describe("A community by id: only the caller's own; any other id is 404.", "按编号查询社区（仅限本社区）")
      )
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Communities (tenants) / 社区")
{}

/** The resident registry. */
export class ResidentsGroup extends HttpApiGroup.make("residents")
  .add(
    HttpApiEndpoint.post("register", "/residents", {
      payload: RegisterResidentBody,
      headers: IdempotencyHeaders,
      success: ResidentCreated,
      error: keyedErrors
    })
      .annotate(OpenApi.Summary, "Register a resident")
      .annotate(
        OpenApi.Description,
        describe(
          "Registers a resident in the caller's community (staff, grid workers). Only the display name is required.",
          "登记居民（社工、网格员），仅姓名必填"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("search", "/residents", {
      query: ResidentSearchParams,
      success: ResidentPage,
      error: residentErrors
    })
      .annotate(OpenApi.Summary, "Search residents")
      .annotate(
        OpenApi.Description,
        describe(
          "Searches the caller's community; filters combine with AND; cursor-paged, oldest first. Volunteers get the reduced view.",
          "按网格、标签、语言、方言、籍贯、技能、年龄等条件查询居民，游标分页"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("get", "/residents/:id", { params: ResidentPath, success: ResidentView, error: residentErrors })
      .annotate(OpenApi.Summary, "Get a resident")
      .annotate(
        OpenApi.Description,
        describe(
          "One resident, full or reduced by the caller's authority; other communities' residents are 404.",
          "查询居民详情（按权限返回完整或精简信息）"
        )
      )
  )
  .add(
    HttpApiEndpoint.patch("update", "/residents/:id", {
      params: ResidentPath,
      payload: UpdateResidentBody,
      success: ResidentView,
      error: residentErrors
    })
      .annotate(OpenApi.Summary, "Update a resident")
      .annotate(
        OpenApi.Description,
        describe(
          "Changes fields; `expectedVersion` must be the version read, else 409 (stale_version). `null` clears a field.",
          "修改居民信息（需提供读取时的版本号）"
        )
      )
  )
  .add(
    HttpApiEndpoint.post("recordConsent", "/residents/:id/consents", {
      params: ResidentPath,
      payload: RecordConsentBody,
      headers: IdempotencyHeaders,
      success: ResidentView,
      error: keyedErrors
    })
      .annotate(OpenApi.Summary, "Record a consent")
      .annotate(OpenApi.Description, describe("Records a consent given by the resident or a guardian.", "登记知情同意"))
  )
  .add(
    HttpApiEndpoint.delete("withdrawConsent", "/residents/:id/consents/:purpose", {
      params: { id: ResidentId, purpose: ConsentPurpose },
      success: ResidentView,
      error: residentErrors
    })
      .annotate(OpenApi.Summary, "Withdraw a consent")
      .annotate(
        OpenApi.Description,
        describe("Withdraws a consent; withdrawing health_data deletes the health information.", "撤回同意（撤回健康信息同意将删除健康信息）")
      )
  )
  .add(
    HttpApiEndpoint.post("linkHousehold", "/residents/:id/household", {
      params: ResidentPath,
      payload: Schema.Struct({ withResidentId: ResidentId }),
      headers: IdempotencyHeaders,
      success: ResidentView,
      error: keyedErrors
    })
      .annotate(OpenApi.Summary, "Join a household")
      .annotate(
        OpenApi.Description,
        describe("Puts the resident in the household of another (creating one if needed).", "将居民加入另一居民所在的家庭户")
      )
  )
  .add(
    HttpApiEndpoint.post("linkGuardian", "/residents/:id/guardians", {
      params: ResidentPath,
      payload: Schema.Struct({ guardianId: ResidentId }),
      headers: IdempotencyHeaders,
      success: ResidentView,
      error: keyedErrors
    })
      .annotate(OpenApi.Summary, "Link a guardian")
      .annotate(OpenApi.Description, describe("Links a guardian to a child or an adult who needs one.", "关联监护人"))
  )
  .add(
    HttpApiEndpoint.delete("unlinkGuardian", "/residents/:id/guardians/:guardianId", {
      params: { id: ResidentId, guardianId: ResidentId },
      success: ResidentView,
      error: residentErrors
    })
      .annotate(OpenApi.Summary, "Unlink a guardian")
      .annotate(OpenApi.Description, describe("Removes a guardian link.", "解除监护关系"))
  )
  .add(
    HttpApiEndpoint.post("deactivate", "/residents/:id/deactivate", {
      params: ResidentPath,
      payload: Schema.Struct({ reason: DeactivationReason }),
      headers: IdempotencyHeaders,
      success: ResidentView,
      error: keyedErrors
    })
      .annotate(OpenApi.Summary, "Deactivate a resident")
      .annotate(
        OpenApi.Description,
        describe(
          "Deactivates a resident; `reason` is a code (moved_away, deceased, duplicate_record, other), never free text. The record stays and can be reactivated.",
          "停用居民档案（原因为代码，可恢复）"
        )
      )
  )
  .add(
    HttpApiEndpoint.post("reactivate", "/residents/:id/reactivate", {
      params: ResidentPath,
      headers: IdempotencyHeaders,
      success: ResidentView,
      error: keyedErrors
    })
      .annotate(OpenApi.Summary, "Reactivate a resident")
      .annotate(OpenApi.Description, describe("Makes an inactive resident active again.", "恢复居民档案"))
  )
  .add(
    HttpApiEndpoint.post("erase", "/residents/:id/erase", {
      params: ResidentPath,
      headers: IdempotencyHeaders,
      success: ResidentView,
      error: keyedErrors
    })
      .annotate(OpenApi.Summary, "Erase a resident")
      .annotate(
        OpenApi.Description,
        describe(
          "Erases the resident's personal data (PIPL deletion); the id stays. Final: a second erase is 409.",
          "删除居民个人信息（个人信息保护法），不可恢复"
        )
      )
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "The resident registry / 居民档案")
{}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

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

/** The commonweal HTTP API. */
export class CommonwealApi extends HttpApi.make("commonweal")
  .add(HealthGroup, CommunitiesGroup, ResidentsGroup)
  .middleware(ApiMiddleware)
  .annotate(HttpApi.PayloadParseOptions, strictParseOptions)
  .annotate(HttpApi.QueryParseOptions, strictParseOptions)
  .annotate(OpenApi.Title, "commonweal")
  .annotate(OpenApi.Transform, documentBadRequestAsProblem)
  .annotate(OpenApi.Version, API_VERSION)
  .annotate(
    OpenApi.Description,
    [
      "The HTTP API of commonweal, the open-source toolkit for community service centres (社区服务中心开源工具包).",
      "",
      "Authenticate with `Authorization: Bearer <token>`. Errors are RFC 9457 problem details (`application/problem+json`) whose `code` is the stable error tag.",
      "POSTs accept `Idempotency-Key`. Lists are cursor-paged: pass `nextCursor` back as `cursor`.",
      "",
      "认证方式：Bearer 令牌。错误以 RFC 9457 problem details 返回。POST 请求支持幂等键。列表使用游标分页。"
    ].join("\n")
  )
{}
