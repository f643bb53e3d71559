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
  ResidentFullView,
  ResidentId,
  ResidentReducedView,
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

/**
 * A resident as the API answers it: core's `ResidentView` (same members, same decoding), with
 * each member named and described so that the OpenAPI document shows a `oneOf` discriminated by
 * `_tag` (the discriminator itself is added by {@link documentContract}).
 */
export const ResidentViewResponse = Schema.Union([
  ResidentFullView.annotate({
    identifier: "ResidentFullView",
    title: "Full resident view",
    description:
      '`_tag: "Full"`: the whole record, as staff, grid workers and the resident themself (or their guardian) see it / 完整居民信息'
  }),
  ResidentReducedView.annotate({
    identifier: "ResidentReducedView",
    title: "Reduced resident view",
    description:
      '`_tag: "Reduced"`: what volunteers see for matching: an age band instead of the birth year, no room, no health data, no consents, a masked phone / 精简居民信息（志愿者可见）'
  })
]).annotate({
  identifier: "ResidentView",
  description:
    "A resident, full or reduced by the caller's authority; `_tag` tells which / 居民信息（按权限为完整或精简）"
})

/** A page of residents: `items` and the `nextCursor` to pass back (`null` on the last page). */
export const ResidentPage = Paging.Page(ResidentViewResponse).annotate({ identifier: "ResidentPage" })

/**
 * The wire form of a payload schema: its encoded side (`Schema.toEncoded`), which keeps the
 * checks of every value that is not transformed (patterns, enums, ranges). Defaults
 * (`tags: []` …) and trimming are applied by the service, which decodes the body with the core
 * schema; so typed-client callers pass plain JSON values and may omit what the core schema
 * defaults.
 */
const wire = <S extends Schema.Top>(schema: S, identifier: string) => Schema.toEncoded(schema).annotate({ identifier })

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

/** {@link ResidentViewResponse} answered with 201. */
export const ResidentCreated = ResidentViewResponse.pipe(HttpApiSchema.status(201))

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

/*
 * The errors of each endpoint, so that the OpenAPI document lists only what it can answer
 * (besides 400 and 500 from {@link ApiMiddleware} and 401 from {@link Authentication}).
 */

/** The errors of every `communities` endpoint. */
const communityErrors = [NotFoundProblem, ForbiddenProblem] as const

/** The errors of a read (`GET`) of the registry. */
const readErrors = [ForbiddenProblem, NotFoundProblem] as const

/** The errors of a command without a body (`DELETE`, and `reactivate`/`erase` plus {@link keyErrors}). */
const commandErrors = [...readErrors, ConflictProblem, InvalidTransitionProblem] as const

/** The errors of a request body: over the size limit (413), not JSON (415). */
const bodyErrors = [PayloadTooLargeProblem, UnsupportedMediaTypeProblem] as const

/** The errors of `Idempotency-Key`, which every POST accepts. */
const keyErrors = [IdempotencyKeyReusedProblem, IdempotencyKeyInUseProblem] as const

/** The errors of a command with a body (`PATCH`). */
const bodyCommandErrors = [...commandErrors, ...bodyErrors] as const

/** The errors of a POST without a body. */
const keyedErrors = [...commandErrors, ...keyErrors] as const

/** The errors of a POST with a body. */
const keyedBodyErrors = [...commandErrors, ...bodyErrors, ...keyErrors] as const

/** `GET /health`: liveness, no authentication. */
export class HealthGroup extends HttpApiGroup.make("health")
  .add(
    HttpApiEndpoint.get("check", "/health", { success: Health })
      .annotate(OpenApi.Summary, "Health check")
      .annotate(OpenApi.Description, describe("Liveness and version; needs no token.", "健康检查，无需登录"))
  )
  .annotate(OpenApi.Description, "Service health / 服务状态") {}

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
  .annotate(OpenApi.Description, "Communities (tenants) / 社区") {}

/** The resident registry. */
export class ResidentsGroup extends HttpApiGroup.make("residents")
  .add(
    HttpApiEndpoint.post("register", "/residents", {
      payload: RegisterResidentBody,
      headers: IdempotencyHeaders,
      success: ResidentCreated,
      error: keyedBodyErrors
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
      error: readErrors
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
    HttpApiEndpoint.get("get", "/residents/:id", {
      params: ResidentPath,
      success: ResidentViewResponse,
      error: readErrors
    })
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
      success: ResidentViewResponse,
      error: bodyCommandErrors
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
      success: ResidentViewResponse,
      error: keyedBodyErrors
    })
      .annotate(OpenApi.Summary, "Record a consent")
      .annotate(OpenApi.Description, describe("Records a consent given by the resident or a guardian.", "登记知情同意"))
  )
  .add(
    HttpApiEndpoint.delete("withdrawConsent", "/residents/:id/consents/:purpose", {
      params: { id: ResidentId, purpose: ConsentPurpose },
      success: ResidentViewResponse,
      error: commandErrors
    })
      .annotate(OpenApi.Summary, "Withdraw a consent")
      .annotate(
        OpenApi.Description,
        describe(
          "Withdraws a consent; withdrawing health_data deletes the health information.",
          "撤回同意（撤回健康信息同意将删除健康信息）"
        )
      )
  )
  .add(
    HttpApiEndpoint.post("linkHousehold", "/residents/:id/household", {
      params: ResidentPath,
      payload: Schema.Struct({ withResidentId: ResidentId }),
      headers: IdempotencyHeaders,
      success: ResidentViewResponse,
      error: keyedBodyErrors
    })
      .annotate(OpenApi.Summary, "Join a household")
      .annotate(
        OpenApi.Description,
        describe(
          "Puts the resident in the household of another (creating one if needed).",
          "将居民加入另一居民所在的家庭户"
        )
      )
  )
  .add(
    HttpApiEndpoint.post("linkGuardian", "/residents/:id/guardians", {
      params: ResidentPath,
      payload: Schema.Struct({ guardianId: ResidentId }),
      headers: IdempotencyHeaders,
      success: ResidentViewResponse,
      error: keyedBodyErrors
    })
      .annotate(OpenApi.Summary, "Link a guardian")
      .annotate(OpenApi.Description, describe("Links a guardian to a child or an adult who needs one.", "关联监护人"))
  )
  .add(
    HttpApiEndpoint.delete("unlinkGuardian", "/residents/:id/guardians/:guardianId", {
      params: { id: ResidentId, guardianId: ResidentId },
      success: ResidentViewResponse,
      error: commandErrors
    })
      .annotate(OpenApi.Summary, "Unlink a guardian")
      .annotate(OpenApi.Description, describe("Removes a guardian link.", "解除监护关系"))
  )
  .add(
    HttpApiEndpoint.post("deactivate", "/residents/:id/deactivate", {
      params: ResidentPath,
      payload: Schema.Struct({ reason: DeactivationReason }),
      headers: IdempotencyHeaders,
      success: ResidentViewResponse,
      error: keyedBodyErrors
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
      success: ResidentViewResponse,
      error: keyedErrors
    })
      .annotate(OpenApi.Summary, "Reactivate a resident")
      .annotate(OpenApi.Description, describe("Makes an inactive resident active again.", "恢复居民档案"))
  )
  .add(
    HttpApiEndpoint.post("erase", "/residents/:id/erase", {
      params: ResidentPath,
      headers: IdempotencyHeaders,
      success: ResidentViewResponse,
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
  .annotate(OpenApi.Description, "The resident registry / 居民档案") {}

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

/** The JSON Schema keywords of a value's own bounds, copied from its decoded side. */
const BOUND_KEYWORDS = [
  "type",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength"
] as const

/** The member of a `T | null` schema that is not `null` (an optional field is documented so). */
const nonNull = (node: unknown, resolve: (node: unknown) => unknown): unknown =>
  isRecord(node) && Array.isArray(node.anyOf)
    ? resolve(node.anyOf.find((member) => !isRecord(member) || member.type !== "null"))
    : node

/** Type-side JSON Schema of `schema`, its `$ref`s resolved against its own definitions. */
const typeSideJsonSchema = (schema: Schema.Top) => {
  const document = Schema.toJsonSchemaDocument(Schema.toType(schema))
  const resolve = (node: unknown): unknown => {
    if (!isRecord(node) || typeof node.$ref !== "string") return node
    return document.definitions[node.$ref.replace(/^#\/(\$defs|definitions|components\/schemas)\//, "")] ?? node
  }
  return { root: document.schema as unknown, resolve }
}

/**
 * Copies `minLength`/`maxLength` from the decoded side (`typed`) onto the wire side (`wire`) of
 * a JSON Schema, walking both in parallel (properties, items, and `anyOf` members of the same
 * `type`). Text fields trim on decoding (`Text.line`), so their wire schema is a plain string
 * and the code-point bound lives on the decoded side: the server checks it after trimming, so
 * it is documentation here, not a new check.
 */
const copyStringBounds = (wire: unknown, typed: unknown, resolve: (node: unknown) => unknown, depth = 0): void => {
  typed = resolve(typed)
  if (!isRecord(wire) || !isRecord(typed) || depth > 20) return
  if (!Array.isArray(wire.anyOf) && Array.isArray(typed.anyOf)) {
    const type = wire.type
    typed = resolve(
      typed.anyOf.find(
        (member) => isRecord(resolve(member)) && (resolve(member) as Record<string, unknown>).type === type
      )
    )
    if (!isRecord(typed)) return
  }
  if (wire.type === "string" && typed.type === "string") {
    for (const key of ["minLength", "maxLength"] as const) {
      if (wire[key] === undefined && typeof typed[key] === "number") wire[key] = typed[key]
    }
  }
  if (isRecord(wire.properties) && isRecord(typed.properties)) {
    for (const [key, value] of Object.entries(wire.properties)) {
      copyStringBounds(value, typed.properties[key], resolve, depth + 1)
    }
  }
  if (wire.items !== undefined) copyStringBounds(wire.items, typed.items, resolve, depth + 1)
  if (Array.isArray(wire.anyOf)) {
    const members: ReadonlyArray<unknown> = Array.isArray(typed.anyOf) ? typed.anyOf.map(resolve) : [typed]
    for (const member of wire.anyOf) {
      if (!isRecord(member)) continue
      copyStringBounds(
        member,
        members.find((m) => isRecord(m) && m.type === member.type),
        resolve,
        depth + 1
      )
    }
  }
}

/** The descriptions of the `GET /residents` query parameters. */
export const SEARCH_PARAMETER_DESCRIPTIONS: Readonly<Record<keyof typeof ResidentSearchParams.fields, string>> = {
  grid: describe("Grid code, exact match (e.g. JX-01).", "网格编号，精确匹配"),
  tag: describe("A resident tag, exact match.", "居民标签，精确匹配"),
  language: describe("A language code the resident speaks, exact match.", "会说的语言，精确匹配"),
  dialect: describe("A dialect name, exact match after trimming (e.g. 南昌话); 1-40 characters.", "方言名称，精确匹配"),
  homeProvince: describe("Home province (籍贯), exact match.", "籍贯省份，精确匹配"),
  skill: describe("A skill slug, exact match (e.g. translation).", "技能，精确匹配"),
  minAge: describe(
    "Minimum age in whole years (0-150), computed from the birth year in the community's time zone; volunteers may only use multiples of 10.",
    "最小年龄（整岁，按社区时区计算）"
  ),
  maxAge: describe(
    "Maximum age in whole years (0-150), computed from the birth year in the community's time zone; not less than minAge; volunteers may only use 9, 19, 29 ….",
    "最大年龄（整岁，按社区时区计算）"
  ),
  nameContains: describe(
    "A case-insensitive substring of the display name; 1-40 characters.",
    "姓名包含（不区分大小写）"
  ),
  status: describe(
    "`active` (default) or `inactive`; erased residents are never listed; volunteers see active ones only.",
    "状态，默认在册"
  ),
  cursor: describe(
    "Opaque: the `nextCursor` of the previous page, passed back unchanged.",
    "分页游标（原样传回上一页的 nextCursor）"
  ),
  limit: describe(
    `Page size: a whole number from 1 to ${Paging.MAX_LIMIT}; default ${Paging.DEFAULT_LIMIT}.`,
    `每页条数，1 到 ${Paging.MAX_LIMIT}，默认 ${Paging.DEFAULT_LIMIT}`
  )
}

/**
 * Post-processes the generated OpenAPI document where Effect's generator documents the wire
 * side only or cannot say what the contract means (the server's behaviour is unchanged):
 *
 * - the `GET /residents` query parameters get the type and bounds of their decoded side
 *   (`limit`, `minAge`, `maxAge` are integers with ranges, `limit` has its default; text
 *   filters their `maxLength`) and a description each;
 * - the request bodies get the `minLength`/`maxLength` of their text fields (see
 *   `copyStringBounds`);
 * - `ResidentView` is a `oneOf` with a `discriminator` on `_tag`;
 * - every 400 is the `InvalidInput` problem ({@link documentBadRequestAsProblem}).
 */
export const documentContract = (spec: Record<string, unknown>): Record<string, unknown> => {
  documentBadRequestAsProblem(spec)
  const paths = isRecord(spec.paths) ? spec.paths : {}
  const search = isRecord(paths["/residents"]) ? paths["/residents"].get : undefined
  if (isRecord(search) && Array.isArray(search.parameters)) {
    const typed = typeSideJsonSchema(ResidentSearchParams)
    const typedProperties = isRecord(typed.root) && isRecord(typed.root.properties) ? typed.root.properties : {}
    for (const parameter of search.parameters) {
      if (!isRecord(parameter) || parameter.in !== "query" || typeof parameter.name !== "string") continue
      const name = parameter.name
      const own = nonNull(typed.resolve(typedProperties[name]), typed.resolve)
      const schema: Record<string, unknown> = isRecord(parameter.schema) ? { ...parameter.schema } : {}
      if (isRecord(own)) {
        for (const key of BOUND_KEYWORDS) if (own[key] !== undefined) schema[key] = own[key]
      }
      if (name === "limit") schema.default = Paging.DEFAULT_LIMIT
      if (name === "status") schema.default = "active"
      delete schema.description
      parameter.schema = schema
      const description = (SEARCH_PARAMETER_DESCRIPTIONS as Record<string, string | undefined>)[name]
      if (description !== undefined) parameter.description = description
    }
  }
  const components = isRecord(spec.components) && isRecord(spec.components.schemas) ? spec.components.schemas : {}
  for (const [identifier, schema] of [
    ["RegisterResidentInput", RegisterResidentInput],
    ["UpdateResidentInput", UpdateResidentInput],
    ["RecordConsentInput", RecordConsentInput]
  ] as const) {
    const typed = typeSideJsonSchema(schema)
    copyStringBounds(components[identifier], typed.root, typed.resolve)
  }
  const view = components.ResidentView
  if (isRecord(view)) {
    // the members are disjoint (each has its own `_tag`), so `anyOf` and `oneOf` are the same
    if (Array.isArray(view.anyOf)) {
      view.oneOf = view.anyOf
      delete view.anyOf
    }
    view.discriminator = {
      propertyName: "_tag",
      mapping: { Full: "#/components/schemas/ResidentFullView", Reduced: "#/components/schemas/ResidentReducedView" }
    }
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
  .annotate(OpenApi.Transform, documentContract)
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
  ) {}
