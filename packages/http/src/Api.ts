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
  GridCode,
  LanguageCode,
  Paging,
  Province,
  RecordConsentInput,
  RegisterResidentInput,
  ResidentId,
  ResidentFullView,
  ResidentReducedView,
  ResidentTag,
  ResidentFilter,
  ResidentView,
  UpdateResidentInput
} from "@commonweal/core"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema, SchemaAST as AST } from "effect"
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
}).annotations({ identifier: "Health" })

/** The headers every POST accepts: an optional `Idempotency-Key` (1-255 characters). */
export const IdempotencyHeaders = Schema.Struct({
  [IDEMPOTENCY_KEY_HEADER]: Schema.optional(
    Schema.String.pipe(Schema.minLength(1), Schema.maxLength(MAX_IDEMPOTENCY_KEY_LENGTH)).annotations({
      description:
        "Retry-safe POST: the same key with the same request, within the server's TTL (24 h by default), does not run the command again; it answers with the first response's status and the resource as the caller may see it now (erased or withdrawn data stays gone), or the first error / 幂等键：重试时不重复执行，返回首次状态码与资源当前内容"
    })
  )
})

/** A page of residents: `items` and the `nextCursor` to pass back (`null` on the last page). */
export const ResidentPage = Paging.Page(ResidentView).annotations({ identifier: "ResidentPage" })

/**
 * The wire form of a payload schema: its encoded side with every refinement up to the first
 * transformation (patterns, enums, ranges). Defaults (`tags: []` …) and trimming are applied by
 * the handler, which decodes the body with the core schema; so typed-client callers pass plain
 * JSON values and may omit what the core schema defaults.
 */
const wire = <A, I, R>(schema: Schema.Schema<A, I, R>, identifier: string) =>
  strict(Schema.encodedBoundSchema(schema).annotations({ identifier }))

/**
 * How the server decodes a request's payload and query: an unknown field (a typo such as
 * `lanuage`, at any depth) is an issue naming it, not silently ignored, and every issue is
 * reported, not only the first. The decode options are a schema annotation because
 * `HttpApiBuilder` (0.97) decodes with `Schema.decodeUnknown(schema)` and no options of its own.
 */
const strictParseOptions: AST.ParseOptions = { onExcessProperty: "error", errors: "all" }
const strict = <S extends Schema.Schema.Any>(schema: S): S =>
  schema.annotations({ parseOptions: strictParseOptions }) as S

/** The body of `POST /residents` (wire form of `RegisterResidentInput`). */
export const RegisterResidentBody = wire(RegisterResidentInput, "RegisterResidentInput")
/** The body of `PATCH /residents/:id` (wire form of `UpdateResidentInput`). */
export const UpdateResidentBody = wire(UpdateResidentInput, "UpdateResidentInput")
/** The body of `POST /residents/:id/consents` (wire form of `RecordConsentInput`). */
export const RecordConsentBody = wire(RecordConsentInput, "RecordConsentInput")

/**
 * `ResidentView` answered with 201. The status is set on each member, not on the union:
 * @effect/platform 0.97.2's client reads a status annotation on a success union only from its
 * members (symbol-keyed annotations on the union itself are dropped), and the server caches
 * union members by AST, so the 201 members must be distinct ASTs from the 200 ones.
 */
export const ResidentCreated = Schema.Union(
  ResidentFullView.annotations(HttpApiSchema.annotations({ status: 201 })),
  ResidentReducedView.annotations(HttpApiSchema.annotations({ status: 201 }))
)

/** A bilingual message that replaces the schema library's (which quotes the value) for every failure. */
const wholeMessage = (message: string) => ({ message: () => ({ message, override: true }) })

const AgeParam = Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 150)).annotations(
  wholeMessage("must be a whole number from 0 to 150 / 须为 0 到 150 之间的整数")
)

const LimitParam = Schema.compose(Schema.NumberFromString, Paging.Limit).annotations(
  wholeMessage(`must be a whole number from 1 to ${Paging.MAX_LIMIT} / 每页条数须为 1 到 ${Paging.MAX_LIMIT} 之间的整数`)
)

/**
 * The query string of `GET /residents`: every `ResidentFilter` field, plus `cursor` and `limit`.
 * Numbers arrive as strings and are decoded here. Any other parameter is refused (400 naming it).
 */
export const ResidentSearchParams = strict(Schema.Struct({
  ...ResidentFilter.fields,
  minAge: Schema.optional(AgeParam),
  maxAge: Schema.optional(AgeParam),
  cursor: Schema.optional(Schema.String).annotations({ description: "The nextCursor of the previous page / 分页游标" }),
  limit: Schema.optional(LimitParam)
}))

const ResidentPath = Schema.Struct({ id: ResidentId })

const describe = (english: string, chinese: string) => `${english} / ${chinese}`

/** `GET /health`: liveness, no authentication. */
export class HealthGroup extends HttpApiGroup.make("health")
  .add(
    HttpApiEndpoint.get("check", "/health")
      .addSuccess(Health)
      .annotate(OpenApi.Summary, "Health check")
      .annotate(OpenApi.Description, describe("Liveness and version; needs no token.", "健康检查，无需登录"))
  )
  .annotate(OpenApi.Description, "Service health / 服务状态")
{}

/** The actor's community (tenant). */
export class CommunitiesGroup extends HttpApiGroup.make("communities")
  .add(
    HttpApiEndpoint.get("current", "/communities/current")
      .addSuccess(Community)
      .annotate(OpenApi.Summary, "Current community")
      .annotate(OpenApi.Description, describe("The community the caller acts in.", "当前登录账号所属的社区"))
  )
  .add(
    HttpApiEndpoint.get("get", "/communities/:id")
      .setPath(Schema.Struct({ id: CommunityId }))
      .addSuccess(Community)
      .annotate(OpenApi.Summary, "Get a community")
      .annotate(
        OpenApi.Description,
        describe("A community by id: only the caller's own; any other id is 404.", "按编号查询社区（仅限本社区）")
      )
  )
  .addError(NotFoundProblem)
  .addError(ForbiddenProblem)
  .addError(InvalidInputProblem)
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Communities (tenants) / 社区")
{}

/** The resident registry. */
export class ResidentsGroup extends HttpApiGroup.make("residents")
  .add(
    HttpApiEndpoint.post("register", "/residents")
      .setPayload(RegisterResidentBody)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(ResidentCreated)
      .addError(IdempotencyKeyReusedProblem)
      .addError(IdempotencyKeyInUseProblem)
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
    HttpApiEndpoint.get("search", "/residents")
      .setUrlParams(ResidentSearchParams)
      .addSuccess(ResidentPage)
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
    HttpApiEndpoint.get("get", "/residents/:id")
      .setPath(ResidentPath)
      .addSuccess(ResidentView)
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
    HttpApiEndpoint.patch("update", "/residents/:id")
      .setPath(ResidentPath)
      .setPayload(UpdateResidentBody)
      .addSuccess(ResidentView)
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
    HttpApiEndpoint.post("recordConsent", "/residents/:id/consents")
      .setPath(ResidentPath)
      .setPayload(RecordConsentBody)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(ResidentView)
      .addError(IdempotencyKeyReusedProblem)
      .addError(IdempotencyKeyInUseProblem)
      .annotate(OpenApi.Summary, "Record a consent")
      .annotate(OpenApi.Description, describe("Records a consent given by the resident or a guardian.", "登记知情同意"))
  )
  .add(
    HttpApiEndpoint.del("withdrawConsent", "/residents/:id/consents/:purpose")
      .setPath(Schema.Struct({ id: ResidentId, purpose: ConsentPurpose }))
      .addSuccess(ResidentView)
      .annotate(OpenApi.Summary, "Withdraw a consent")
      .annotate(
        OpenApi.Description,
        describe("Withdraws a consent; withdrawing health_data deletes the health information.", "撤回同意（撤回健康信息同意将删除健康信息）")
      )
  )
  .add(
    HttpApiEndpoint.post("linkHousehold", "/residents/:id/household")
      .setPath(ResidentPath)
      .setPayload(strict(Schema.Struct({ withResidentId: ResidentId })))
      .setHeaders(IdempotencyHeaders)
      .addSuccess(ResidentView)
      .addError(IdempotencyKeyReusedProblem)
      .addError(IdempotencyKeyInUseProblem)
      .annotate(OpenApi.Summary, "Join a household")
      .annotate(
        OpenApi.Description,
        describe("Puts the resident in the household of another (creating one if needed).", "将居民加入另一居民所在的家庭户")
      )
  )
  .add(
    HttpApiEndpoint.post("linkGuardian", "/residents/:id/guardians")
      .setPath(ResidentPath)
      .setPayload(strict(Schema.Struct({ guardianId: ResidentId })))
      .setHeaders(IdempotencyHeaders)
      .addSuccess(ResidentView)
      .addError(IdempotencyKeyReusedProblem)
      .addError(IdempotencyKeyInUseProblem)
      .annotate(OpenApi.Summary, "Link a guardian")
      .annotate(OpenApi.Description, describe("Links a guardian to a child or an adult who needs one.", "关联监护人"))
  )
  .add(
    HttpApiEndpoint.del("unlinkGuardian", "/residents/:id/guardians/:guardianId")
      .setPath(Schema.Struct({ id: ResidentId, guardianId: ResidentId }))
      .addSuccess(ResidentView)
      .annotate(OpenApi.Summary, "Unlink a guardian")
      .annotate(OpenApi.Description, describe("Removes a guardian link.", "解除监护关系"))
  )
  .add(
    HttpApiEndpoint.post("deactivate", "/residents/:id/deactivate")
      .setPath(ResidentPath)
      .setPayload(strict(Schema.Struct({ reason: DeactivationReason })))
      .setHeaders(IdempotencyHeaders)
      .addSuccess(ResidentView)
      .addError(IdempotencyKeyReusedProblem)
      .addError(IdempotencyKeyInUseProblem)
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
    HttpApiEndpoint.post("reactivate", "/residents/:id/reactivate")
      .setPath(ResidentPath)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(ResidentView)
      .addError(IdempotencyKeyReusedProblem)
      .addError(IdempotencyKeyInUseProblem)
      .annotate(OpenApi.Summary, "Reactivate a resident")
      .annotate(OpenApi.Description, describe("Makes an inactive resident active again.", "恢复居民档案"))
  )
  .add(
    HttpApiEndpoint.post("erase", "/residents/:id/erase")
      .setPath(ResidentPath)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(ResidentView)
      .addError(IdempotencyKeyReusedProblem)
      .addError(IdempotencyKeyInUseProblem)
      .annotate(OpenApi.Summary, "Erase a resident")
      .annotate(
        OpenApi.Description,
        describe(
          "Erases the resident's personal data (PIPL deletion); the id stays. Final: a second erase is 409.",
          "删除居民个人信息（个人信息保护法），不可恢复"
        )
      )
  )
  .addError(InvalidInputProblem)
  .addError(ForbiddenProblem)
  .addError(NotFoundProblem)
  .addError(ConflictProblem)
  .addError(InvalidTransitionProblem)
  .addError(PayloadTooLargeProblem)
  .addError(UnsupportedMediaTypeProblem)
  .middleware(Authentication)
  .annotate(OpenApi.Description, "The resident registry / 居民档案")
{}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Post-processes the generated OpenAPI document: the server answers every request-decoding
 * failure with `InvalidInput` problem details (see `Middleware.ts`), so each 400 response is
 * documented as exactly that, and the platform's own `HttpApiDecodeError` schema is dropped.
 */
export const documentBadRequestAsProblem = (spec: Record<string, unknown>): Record<string, unknown> => {
  const paths = isRecord(spec.paths) ? spec.paths : {}
  for (const operations of Object.values(paths)) {
    if (!isRecord(operations)) continue
    for (const operation of Object.values(operations)) {
      if (!isRecord(operation) || !isRecord(operation.responses) || operation.responses["400"] === undefined) continue
      operation.responses["400"] = {
        description: InvalidInputProblem.ast.annotations[AST.DescriptionAnnotationId] ?? "Invalid input",
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/InvalidInputProblem" } } }
      }
    }
  }
  const components = spec.components
  if (isRecord(components) && isRecord(components.schemas)) {
    delete components.schemas.HttpApiDecodeError
    delete components.schemas.Issue
  }
  return spec
}

/** The commonweal HTTP API. */
export class CommonwealApi extends HttpApi.make("commonweal")
  .add(HealthGroup)
  .add(CommunitiesGroup)
  .add(ResidentsGroup)
  .addError(InternalErrorProblem)
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
