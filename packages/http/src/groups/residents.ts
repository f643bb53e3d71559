/**
 * The `residents` group: the resident registry (register, search, read, update, consents,
 * household and guardian links, deactivation, erasure), its handlers over the core `Residents`
 * service, the reader idempotent replays use to re-read a resident, and its part of the OpenAPI
 * post-processing.
 *
 * @module
 */
import {
  Paging,
  RecordConsentInput,
  RegisterResidentInput,
  ResidentFilter,
  ResidentFullView,
  ResidentId,
  ResidentReducedView,
  Residents,
  ResidentView,
  UpdateResidentInput,
  ConsentPurpose,
  DeactivationReason
} from "@commonweal/core"
import { Effect, Schema } from "effect"
import type { Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { Authentication } from "../Auth.js"
import type { ApiMiddleware, ResourceReader } from "../kernel/Endpoints.js"
import {
  bodyCommandErrors,
  bodyErrors,
  commandErrors,
  describe,
  groupApi,
  idempotentPost,
  PageParams,
  readErrors,
  wire
} from "../kernel/Endpoints.js"
import { BOUND_KEYWORDS, copyStringBounds, isRecord, nonNull, typeSideJsonSchema } from "../kernel/OpenApiDocs.js"

/**
 * A resident as the API answers it: core's `ResidentView` (same members, same decoding), with
 * each member named and described so that the OpenAPI document shows a `oneOf` discriminated by
 * `_tag` (the discriminator itself is added by {@link documentResidents}).
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

/**
 * The query string of `GET /residents`: every `ResidentFilter` field, plus `cursor` and `limit`.
 * Numbers arrive as strings and are decoded here. Any other parameter is refused (400 naming it).
 */
export const ResidentSearchParams = Schema.Struct({
  ...ResidentFilter.fields,
  minAge: Schema.optional(AgeParam),
  maxAge: Schema.optional(AgeParam),
  ...PageParams
})

const ResidentPath = { id: ResidentId }

/** The `Location` of a resident created with 201: its path, `/residents/<id>`. */
export const residentLocation = (id: string): string => `/residents/${encodeURIComponent(id)}`

/** How an idempotent POST of this group remembers its success: the resident it returned. */
const resident = { type: "Resident", id: (view: { readonly id: string }) => view.id } as const

/** The resident registry. */
export class ResidentsGroup extends HttpApiGroup.make("residents")
  .add(
    idempotentPost("register", "/residents", {
      payload: RegisterResidentBody,
      success: ResidentCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: resident
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
    idempotentPost("recordConsent", "/residents/:id/consents", {
      params: ResidentPath,
      payload: RecordConsentBody,
      success: ResidentViewResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: resident
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
    idempotentPost("linkHousehold", "/residents/:id/household", {
      params: ResidentPath,
      payload: Schema.Struct({ withResidentId: ResidentId }),
      success: ResidentViewResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: resident
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
    idempotentPost("linkGuardian", "/residents/:id/guardians", {
      params: ResidentPath,
      payload: Schema.Struct({ guardianId: ResidentId }),
      success: ResidentViewResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: resident
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
    idempotentPost("deactivate", "/residents/:id/deactivate", {
      params: ResidentPath,
      payload: Schema.Struct({ reason: DeactivationReason }),
      success: ResidentViewResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: resident
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
    idempotentPost("reactivate", "/residents/:id/reactivate", {
      params: ResidentPath,
      success: ResidentViewResponse,
      error: commandErrors,
      resource: resident
    })
      .annotate(OpenApi.Summary, "Reactivate a resident")
      .annotate(OpenApi.Description, describe("Makes an inactive resident active again.", "恢复居民档案"))
  )
  .add(
    idempotentPost("erase", "/residents/:id/erase", {
      params: ResidentPath,
      success: ResidentViewResponse,
      error: commandErrors,
      resource: resident
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

const encodeResidentView = Schema.encodeExit(Schema.toCodecJson(ResidentView))
const encodedFullViews = new WeakMap<ResidentView, string>()

/**
 * The response of `GET /residents/:id`: what the platform would write for the view (its JSON
 * encoding, `200`, `application/json`). Encoding a full record costs tens of microseconds, and
 * `Residents.get` hands out the same view object for an unchanged record, so the JSON of a full
 * view is kept with the view (a view is immutable) and reused. A view that does not encode goes
 * back to the platform, which reports it as before.
 */
const residentResponse =
  (reuse: boolean, status: 200 | 201 = 200) =>
  (view: ResidentView): ResidentView | HttpServerResponse.HttpServerResponse => {
    let body = reuse && view._tag === "Full" ? encodedFullViews.get(view) : undefined
    if (body === undefined) {
      const encoded = encodeResidentView(view)
      if (encoded._tag === "Failure") return view
      body = JSON.stringify(encoded.value)
      if (reuse && view._tag === "Full") encodedFullViews.set(view, body)
    }
    return HttpServerResponse.text(body, {
      status,
      contentType: "application/json",
      headers: status === 201 ? { location: residentLocation(view.id) } : undefined
    })
  }

/** Options of {@link makeResidentsLive}. */
export interface ResidentsLiveOptions {
  /**
   * Keep the JSON of each full resident view with the view and answer `GET /residents/:id`
   * with it while the record is unchanged. Default `true`; `false` encodes every response.
   */
  readonly encodedViewCache?: boolean | undefined
}

/** Handlers of the `residents` group, over the core `Residents` service. */
export const makeResidentsLive = (
  options?: ResidentsLiveOptions
): Layer.Layer<HttpApiGroup.Service<"commonweal", "residents">, never, Residents | Authentication | ApiMiddleware> => {
  const respond = residentResponse(options?.encodedViewCache !== false)
  // a registration answers 201 with `Location: /residents/<id>`; its view is new, so never cached
  const created = residentResponse(false, 201)
  return HttpApiBuilder.group(groupApi(ResidentsGroup), "residents", (handlers) =>
    Effect.map(Residents, (residents) =>
      handlers
        .handle("register", ({ payload }) => Effect.map(residents.register(payload), created))
        .handle("search", ({ query: { cursor, limit, ...filter } }) => residents.search(filter, { cursor, limit }))
        .handle("get", ({ params }) => Effect.map(residents.get(params.id), respond))
        .handle("update", ({ params, payload }) => residents.update(params.id, payload))
        .handle("recordConsent", ({ params, payload }) => residents.recordConsent(params.id, payload))
        .handle("withdrawConsent", ({ params }) => residents.withdrawConsent(params.id, params.purpose))
        .handle("linkHousehold", ({ params, payload }) => residents.linkHousehold(params.id, payload.withResidentId))
        .handle("linkGuardian", ({ params, payload }) => residents.linkGuardian(params.id, payload.guardianId))
        .handle("unlinkGuardian", ({ params }) => residents.unlinkGuardian(params.id, params.guardianId))
        .handle("deactivate", ({ params, payload }) => residents.deactivate(params.id, payload.reason))
        .handle("reactivate", ({ params }) => residents.reactivate(params.id))
        .handle("erase", ({ params }) => residents.erase(params.id))
    )
  )
}

/** {@link makeResidentsLive} with the defaults. */
export const ResidentsLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "residents">,
  never,
  Residents | Authentication | ApiMiddleware
> = makeResidentsLive()

const encodeResidentResponse = Schema.encodeEffect(Schema.toCodecJson(ResidentViewResponse))

/**
 * How an idempotent replay re-reads a `Resident`: `Residents.get(id)` as the retrying actor,
 * encoded as the endpoints' success schema ({@link ResidentViewResponse}); `Location`
 * `/residents/<id>`.
 */
export const ResidentReader: ResourceReader<Residents> = {
  type: resident.type,
  make: Effect.map(
    Residents,
    (residents) => (id: string) => Effect.flatMap(residents.get(id), (view) => encodeResidentResponse(view))
  ),
  location: residentLocation
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
 * The residents' part of the OpenAPI post-processing (the server's behaviour is unchanged):
 *
 * - the `GET /residents` query parameters get the type and bounds of their decoded side
 *   (`limit`, `minAge`, `maxAge` are integers with ranges, `limit` has its default; text
 *   filters their `maxLength`) and a description each;
 * - the request bodies get the `minLength`/`maxLength` of their text fields (see
 *   `copyStringBounds`);
 * - `ResidentView` is a `oneOf` with a `discriminator` on `_tag`.
 */
export const documentResidents = (spec: Record<string, unknown>): Record<string, unknown> => {
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
