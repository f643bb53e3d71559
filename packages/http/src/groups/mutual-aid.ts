/**
 * The `mutual-aid` group: neighbour mutual aid (邻里互助) over HTTP: volunteers and the walking
 * table, help requests through their lifecycle (a place per team role offered, accepted or
 * declined, started, completed with the minutes each volunteer gave, feedback, cancelled or
 * expired), matching suggestions that explain themselves, care plans with their scheduled visits
 * and flags, and the coordinator's report; its handlers over the core `MutualAid` service, and the
 * readers idempotent replays use.
 *
 * **Who sees what** is core's: staff, admins and grid workers see every request; a resident sees
 * their own; a volunteer sees the requests where they are offered or hold a place, with the room,
 * the coordinates (and, for a request only staff may read, the description) masked until they
 * accept. A request one may not see is 404.
 *
 * **Times.** As in the fund and ledger groups: in JSON (request bodies and the records answered)
 * a time is an integer of UTC epoch milliseconds, as core keeps it (a request's `windows` and
 * `expiresAt`, a plan's `startsAt`, `until`, a visit's `dueStart`); in a query string it is an ISO
 * 8601 date-time (the report's `from` and `to`). A period is `[from, to)`.
 *
 * **Replays.** Every POST accepts `Idempotency-Key`. A volunteer, a request and a care plan answer
 * 201 with `Location`, and a replay re-reads them as the retrying actor (a volunteer replaying an
 * acceptance sees the request in full, as they do now). Three answers have no address of their
 * own: a declined place answers a receipt (`{ requestId, place }`, see
 * {@link MutualAidDeclineReader}: after declining, the volunteer may no longer read the request),
 * the maintenance `expire` answers the ids it expired ({@link MutualAidExpiredReader}), and the
 * visits generated or recorded are re-read from the plan's visits ({@link CareVisitsReader},
 * {@link CareVisitReader}).
 *
 * **Time credits.** Completing a request credits each volunteer's minutes in the ledger in the
 * same transaction (core's `TimeCredits`): the time-bank account is read through the ledger group
 * (`GET /ledger/accounts/:id`, the id from `TimeCredits.accountIdOf`).
 *
 * @module
 */
import {
  CarePlan,
  CarePlanId,
  CreatePlanInput,
  HelpRequest,
  HelpRequestId,
  Matching,
  MutualAid,
  NotFound,
  Paging,
  RecordVisitInput,
  RegisterVolunteerInput,
  RequestHelpInput,
  RequestStatus,
  RoleCode,
  Skill,
  Text,
  UpdateVolunteerInput,
  Visit,
  Volunteer,
  VolunteerId
} from "@commonweal/core"
import { DateTime, Effect, Schema } from "effect"
import type { Layer } from "effect"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { Authentication } from "../Auth.js"
import type { ApiMiddleware, ResourceReader } from "../kernel/Endpoints.js"
import { createdWithLocation, ruledOut } from "../kernel/Responses.js"
import {
  bodyCommandErrors,
  bodyErrors,
  commandErrors,
  describe,
  groupApi,
  idempotentPost,
  ledgerCommandErrors,
  PageParams,
  readErrors,
  resourceReader,
  wire
} from "../kernel/Endpoints.js"
import { copyStringBounds, isRecord, typeSideJsonSchema } from "../kernel/OpenApiDocs.js"
import { InvalidInputProblem } from "../Problem.js"

/** The most places a request has (core's `HelpRequest.places`): a place index is 0 to 5. */
const MAX_PLACE = 5

// ---------------------------------------------------------------------------------------------
// responses

/** A volunteer's profile as the API answers it (core's `Volunteer`). */
export const MutualAidVolunteerResponse = Volunteer.annotate({
  identifier: "MutualAidVolunteer",
  description:
    "A volunteer's profile: a resident of the community or an outside member (hospital, student …), the roles, skills, languages, weekly availability, how far they walk and their load caps; times in UTC epoch ms / 志愿者档案"
})

/** {@link MutualAidVolunteerResponse} answered with 201 (`POST /mutual-aid/volunteers`). */
export const MutualAidVolunteerCreated = MutualAidVolunteerResponse.pipe(HttpApiSchema.status(201))

/** A page of volunteers, by id. */
export const MutualAidVolunteerPage = Paging.Page(MutualAidVolunteerResponse).annotate({
  identifier: "MutualAidVolunteerPage"
})

/**
 * A help request as the API answers it (core's `HelpRequest`, as the caller may see it: a
 * volunteer offered a place sees the room and coordinates only once they accept, and the
 * description of a request only staff may read as `MASKED_DESCRIPTION`).
 */
export const HelpRequestResponse = HelpRequest.annotate({
  identifier: "HelpRequest",
  description:
    "A help request with its places (one per team role), time windows, who recorded it and the services done; as the caller may see it: a volunteer sees the room and coordinates (and a staff-only description) only once they accept; times in UTC epoch ms / 求助（志愿者接受前不显示门牌号、坐标及仅社工可见的内容）"
})

/** {@link HelpRequestResponse} answered with 201 (`POST /mutual-aid/requests`). */
export const HelpRequestCreated = HelpRequestResponse.pipe(HttpApiSchema.status(201))

/** A page of requests, by id. */
export const HelpRequestPage = Paging.Page(HelpRequestResponse).annotate({ identifier: "HelpRequestPage" })

const scoreTermFields = {
  language: Schema.Number,
  homeTown: Schema.Number,
  distance: Schema.Number,
  continuity: Schema.Number,
  fairness: Schema.Number,
  reliability: Schema.Number
} satisfies Record<Matching.ScoreTerm, Schema.Top>

const excludedFields = {
  active: Schema.Int,
  consent: Schema.Int,
  load: Schema.Int,
  role: Schema.Int,
  skill: Schema.Int,
  language: Schema.Int,
  availability: Schema.Int,
  distance: Schema.Int
} satisfies Record<Matching.HardConstraint, Schema.Top>

/** One volunteer ranked for a place (core's `Matching.Ranked`), with the volunteer's name. */
export const MutualAidRankedResponse = Schema.Struct({
  volunteerId: VolunteerId,
  displayName: Schema.String,
  score: Schema.Number,
  terms: Schema.Struct(scoreTermFields),
  distance: Schema.NullOr(Schema.Number),
  reason: Schema.String
}).annotate({
  identifier: "MutualAidRanked",
  description:
    "A suggested volunteer: the score (0 to 1), each term of it (language, homeTown, distance, continuity, fairness, reliability), walking metres (null: unknown) and why, in Chinese and English / 推荐的志愿者及理由"
})

/** The suggestions for one place of a request (core's `Matching.RankResult`). */
export const MutualAidSuggestionsResponse = Schema.Struct({
  requestId: HelpRequestId,
  place: Schema.Int,
  ranked: Schema.Array(MutualAidRankedResponse),
  relaxed: Schema.Array(Schema.Literals(Matching.relaxationOrder)),
  excluded: Schema.Struct(excludedFields)
}).annotate({
  identifier: "MutualAidSuggestions",
  description:
    "The best volunteers for one place, best first; `relaxed` lists the hard constraints relaxed to find anyone (distance, then availability, then language, then skill; empty: none), `excluded` how many volunteers each constraint excluded first / 匹配建议（含放宽了哪些条件）"
})

/** A walking distance between two buildings of the community, in metres. */
const WalkingFields = Schema.Struct({
  a: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(40)),
  b: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(40)),
  metres: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 50_000 }))
})

/** The answer of `PUT /mutual-aid/walking`: the distance as set. */
export const MutualAidWalkingResponse = WalkingFields.annotate({
  identifier: "MutualAidWalkingDistance",
  description:
    "The walking distance between two buildings (order does not matter), in metres, as matching reads it / 楼栋间步行距离（米）"
})

/** The answer of declining a place: which place of which request was declined. */
export const MutualAidDeclinedResponse = Schema.Struct({
  requestId: HelpRequestId,
  place: Schema.Int
}).annotate({
  identifier: "MutualAidDeclined",
  description:
    "The place declined: it is open again and never offered to this volunteer again; the volunteer no longer sees the request / 已婉拒的岗位"
})

/** The answer of `POST /mutual-aid/requests/expire`: the requests it expired. */
export const MutualAidExpiredResponse = Schema.Struct({ expired: Schema.Array(HelpRequestId) }).annotate({
  identifier: "MutualAidExpired",
  description: "The ids of the open or offered requests past their expiry that were expired now / 本次过期处理的求助"
})

/** A care plan as the API answers it (core's `CarePlan`). */
export const CarePlanResponse = CarePlan.annotate({
  identifier: "CarePlan",
  description:
    "A care plan: a resident's recurring need (weekly or monthly), the team each visit needs, and whether visits take health readings; times in UTC epoch ms / 关爱计划"
})

/** {@link CarePlanResponse} answered with 201 (`POST /mutual-aid/care-plans`). */
export const CarePlanCreated = CarePlanResponse.pipe(HttpApiSchema.status(201))

/** A visit of a care plan as the API answers it (core's `Visit`). */
export const CareVisitResponse = Visit.annotate({
  identifier: "CareVisit",
  description:
    "A visit: its window (dueStart, dueEnd: UTC epoch ms), the request made for it, how it went, and health readings (only with the resident's health-data consent) / 探访记录"
})

/** The answer of generating visits: the visits created now (none when run again). */
export const CareVisitsGeneratedResponse = Schema.Struct({
  planId: CarePlanId,
  visits: Schema.Array(CareVisitResponse)
}).annotate({
  identifier: "CareVisitsGenerated",
  description:
    "The visits created by this call, each with its help request (empty when every visit due already has one) / 本次生成的探访"
})

/** A plan's visits and the flags of visits overdue or missed. */
export const CareVisitsResponse = Schema.Struct({
  planId: CarePlanId,
  visits: Schema.Array(CareVisitResponse),
  flags: Schema.Array(
    Schema.Struct({
      dueStart: Schema.Int,
      kind: Schema.Literals(["missed", "overdue"]),
      daysLate: Schema.Int,
      message: Schema.String
    })
  )
}).annotate({
  identifier: "CareVisits",
  description:
    "A plan's visits, and a flag for each visit due whose window passed without a visit done: overdue within the plan's grace days, missed after / 探访记录及逾期、错过提示"
})

/** The coordinator's report of a period (core's `CoordinatorReport`). */
export const MutualAidReportResponse = Schema.Struct({
  from: Schema.Int,
  to: Schema.Int,
  byCategory: Schema.Array(
    Schema.Struct({
      category: Schema.String,
      total: Schema.Int,
      completed: Schema.Int,
      cancelled: Schema.Int,
      expired: Schema.Int,
      open: Schema.Int
    })
  ),
  fulfilmentRate: Schema.NullOr(Schema.Number),
  medianMinutesToMatch: Schema.NullOr(Schema.Number),
  perVolunteerMonth: Schema.Array(
    Schema.Struct({ volunteerId: VolunteerId, month: Schema.String, services: Schema.Int, minutes: Schema.Int })
  ),
  loadSpread: Schema.Struct({
    volunteers: Schema.Int,
    min: Schema.Int,
    max: Schema.Int,
    mean: Schema.Number,
    gini: Schema.Number
  })
}).annotate({
  identifier: "MutualAidReport",
  description:
    "The coordinator's report over the requests created in [from, to) (UTC epoch ms): requests by category, the fulfilment rate (completed / closed), the median minutes to match, services and minutes per volunteer and month (YYYY-MM, Asia/Shanghai), and how evenly the load is spread (Gini) / 互助统计报表"
})

// ---------------------------------------------------------------------------------------------
// bodies

/** The body of `POST /mutual-aid/volunteers` (wire form of `RegisterVolunteerInput`). */
export const RegisterVolunteerBody = wire(RegisterVolunteerInput, "RegisterVolunteerInput")
/** The body of `PATCH /mutual-aid/volunteers/:id` (wire form of `UpdateVolunteerInput`). */
export const UpdateVolunteerBody = wire(UpdateVolunteerInput, "UpdateVolunteerInput")
/** The body of `PUT /mutual-aid/walking`: two buildings and the metres between them. */
export const WalkingBody = wire(WalkingFields, "MutualAidWalkingInput")
/** The body of `POST /mutual-aid/requests` (wire form of `RequestHelpInput`). */
export const RequestHelpBody = wire(RequestHelpInput, "RequestHelpInput")
const OfferInput = Schema.Struct({ volunteerId: VolunteerId })
/** The body of `POST /mutual-aid/requests/:id/places/:place/offer`: the volunteer offered the place. */
export const OfferPlaceBody = wire(OfferInput, "MutualAidOfferInput")
const CompleteInput = Schema.Struct({
  minutes: Schema.Array(
    Schema.Struct({
      volunteerId: VolunteerId,
      minutes: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 24 * 60 }))
    })
  ).check(Schema.isMinLength(1), Schema.isMaxLength(6))
})
/** The body of `POST /mutual-aid/requests/:id/complete`: the minutes each volunteer gave (1 to 1440). */
export const CompleteRequestBody = wire(CompleteInput, "MutualAidCompleteInput")
const FeedbackInput = Schema.Struct({
  volunteerId: VolunteerId,
  rating: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 5 })),
  comment: Text.line(200)
})
/** The body of `POST /mutual-aid/requests/:id/feedback`: on which volunteer's service, 1 to 5 and a comment. */
export const FeedbackBody = wire(FeedbackInput, "MutualAidFeedbackInput")
const CancelInput = Schema.Struct({ note: Text.line(200) })
/** The body of `POST /mutual-aid/requests/:id/cancel`: why, one line, at most 200 characters. */
export const CancelRequestBody = wire(CancelInput, "MutualAidCancelInput")
/** The body of `POST /mutual-aid/requests/expire`: at most how many to expire (1 to 500, default 100). */
export const ExpireBody = wire(
  Schema.Struct({ limit: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 500 }))) }),
  "MutualAidExpireInput"
)
/** The body of `POST /mutual-aid/care-plans` (wire form of `CreatePlanInput`). */
export const CreateCarePlanBody = wire(CreatePlanInput, "CreateCarePlanInput")
/** The body of `POST /mutual-aid/care-plans/:id/generate`: `until`, UTC epoch ms. */
export const GenerateVisitsBody = wire(
  Schema.Struct({
    until: Schema.Int.annotate({
      description: "Create the visits falling due from now until this time, UTC epoch milliseconds / 生成截至此时的探访"
    })
  }),
  "CareVisitsGenerateInput"
)
/** The body of `POST /mutual-aid/care-plans/:id/visits` (wire form of `RecordVisitInput`). */
export const RecordVisitBody = wire(RecordVisitInput, "RecordCareVisitInput")

// ---------------------------------------------------------------------------------------------
// query strings and paths

// the parameters' descriptions are in MUTUAL_AID_PARAMETER_DESCRIPTIONS (the generator documents
// the wire side of a query, a string, so `documentMutualAid` writes them onto the document)

/** The query string of `GET /mutual-aid/volunteers`: `status`, `skill`, `role`, `cursor`, `limit`. */
export const VolunteerListParams = Schema.Struct({
  status: Schema.optional(Schema.Literals(["active", "paused"])),
  skill: Schema.optional(Skill),
  role: Schema.optional(RoleCode),
  ...PageParams
})

/** The query string of `GET /mutual-aid/requests`: `status`, `category`, `cursor`, `limit`. */
export const RequestListParams = Schema.Struct({
  status: Schema.optional(RequestStatus),
  category: Schema.optional(RoleCode),
  ...PageParams
})

const K_MESSAGE = { message: "must be a whole number from 1 to 50 / 建议人数须为 1 到 50 之间的整数" }

/** The query string of the suggestions: `k`, how many (1 to 50, default 5). */
export const SuggestionParams = Schema.Struct({
  k: Schema.optional(
    Schema.NumberFromString.check(Schema.isInt(K_MESSAGE), Schema.isBetween({ minimum: 1, maximum: 50 }, K_MESSAGE))
  )
})

const PER_PLACE_MESSAGE = { message: "must be a whole number from 1 to 1000 / 每个岗位的候选人数须为 1 到 1000" }

/** The query string of `GET /mutual-aid/assignments`: `perPlace`, the most candidates considered per place (default 200). */
export const AssignmentParams = Schema.Struct({
  perPlace: Schema.optional(
    Schema.NumberFromString.check(
      Schema.isInt(PER_PLACE_MESSAGE),
      Schema.isBetween({ minimum: 1, maximum: 1_000 }, PER_PLACE_MESSAGE)
    )
  )
})

/** One place of the batch assignment, explained. */
export const AssignedPairResponse = Schema.Struct({
  requestId: Schema.String,
  place: Schema.Int,
  role: Schema.String,
  volunteerId: Schema.String,
  score: Schema.Number,
  terms: Schema.Struct(scoreTermFields),
  distance: Schema.NullOr(Schema.Number),
  reason: Schema.String,
  relaxed: Schema.Array(Schema.Literals(Matching.relaxationOrder))
}).annotate({ identifier: "MutualAidAssignedPair" })

/** The batch assignment: the pairs, the places left unmatched and why, and the total cost. */
export const AssignmentResponse = Schema.Struct({
  pairs: Schema.Array(AssignedPairResponse),
  unmatched: Schema.Array(
    Schema.Struct({
      requestId: Schema.String,
      place: Schema.Int,
      role: Schema.String,
      reason: Schema.String,
      relaxed: Schema.Array(Schema.Literals(Matching.relaxationOrder))
    })
  ),
  cost: Schema.Number
}).annotate({
  identifier: "MutualAidAssignment",
  description:
    "The minimum-cost assignment of every open place of the community's open requests: each pair with its score, terms, walking metres, reason and what was relaxed; each unmatched place with why; `cost` is Σ (1 − score) × 10 000 / 批量匹配结果（附理由）"
})

/** The query string of `GET /mutual-aid/report`: the period `[from, to)`, default the current month (Asia/Shanghai). */
export const MutualAidReportParams = Schema.Struct({
  from: Schema.optional(Schema.DateTimeUtcFromString),
  to: Schema.optional(Schema.DateTimeUtcFromString)
})

const PLACE_MESSAGE = { message: `must be a place index from 0 to ${MAX_PLACE} / 岗位编号须为 0 到 ${MAX_PLACE}` }
const PlaceIndex = Schema.NumberFromString.check(
  Schema.isInt(PLACE_MESSAGE),
  Schema.isBetween({ minimum: 0, maximum: MAX_PLACE }, PLACE_MESSAGE)
)

const VolunteerPath = { id: VolunteerId }
const RequestPath = { id: HelpRequestId }
const PlacePath = { id: HelpRequestId, place: PlaceIndex }
const PlanPath = { id: CarePlanId }

// ---------------------------------------------------------------------------------------------
// resources

/** The `Location` of a volunteer registered with 201: `/mutual-aid/volunteers/<id>`. */
export const volunteerLocation = (id: string): string => `/mutual-aid/volunteers/${encodeURIComponent(id)}`
/** The `Location` of a request created with 201: `/mutual-aid/requests/<id>`. */
export const helpRequestLocation = (id: string): string => `/mutual-aid/requests/${encodeURIComponent(id)}`
/** The `Location` of a care plan created with 201: `/mutual-aid/care-plans/<id>`. */
export const carePlanLocation = (id: string): string => `/mutual-aid/care-plans/${encodeURIComponent(id)}`

const volunteerResource = { type: "MutualAidVolunteer", id: (body: { readonly id: string }) => body.id } as const
const requestResource = { type: "HelpRequest", id: (body: { readonly id: string }) => body.id } as const
const planResource = { type: "CarePlan", id: (body: { readonly id: string }) => body.id } as const

/** The id under which a decline's answer is remembered: `<request id>/<place>`. */
export const declineResourceId = (body: { readonly requestId: string; readonly place: number }): string =>
  `${body.requestId}/${body.place}`

/** The id under which an `expire` answer is remembered: `expired:` and the ids, comma-separated. */
export const expiredResourceId = (body: { readonly expired: ReadonlyArray<string> }): string =>
  `expired:${body.expired.join(",")}`

/** The id under which a recorded visit is remembered: `<plan id>/<dueStart>`. */
export const careVisitResourceId = (body: { readonly planId: string; readonly dueStart: number }): string =>
  `${body.planId}/${body.dueStart}`

/** The id under which generated visits are remembered: `<plan id>:` and their `dueStart`s, comma-separated. */
export const careVisitsResourceId = (body: {
  readonly planId: string
  readonly visits: ReadonlyArray<{ readonly dueStart: number }>
}): string => `${body.planId}:${body.visits.map((v) => v.dueStart).join(",")}`

const declineResource = { type: "MutualAidDeclined", id: declineResourceId } as const
const expiredResource = { type: "MutualAidExpired", id: expiredResourceId } as const
const visitResource = { type: "CareVisit", id: careVisitResourceId } as const
const visitsResource = { type: "CareVisitsGenerated", id: careVisitsResourceId } as const

const DECLINE_KEY = /^([^/]+)\/(\d)$/u
const VISIT_KEY = /^([^/]+)\/(-?\d{1,16})$/u
const VISITS_KEY = /^([^:]+):((?:-?\d{1,16})(?:,-?\d{1,16})*)?$/u

// ---------------------------------------------------------------------------------------------
// the group

/** Neighbour mutual aid. */
export class MutualAidGroup extends HttpApiGroup.make("mutual-aid")
  .add(
    HttpApiEndpoint.get("volunteers", "/mutual-aid/volunteers", {
      query: VolunteerListParams,
      success: MutualAidVolunteerPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List volunteers")
      .annotate(
        OpenApi.Description,
        describe(
          "The community's volunteers by id, optionally active or paused only, with a skill or able to fill a role; cursor-paged. Admins, staff and grid workers.",
          "志愿者列表，可按状态、技能、岗位筛选，游标分页"
        )
      )
  )
  .add(
    idempotentPost("registerVolunteer", "/mutual-aid/volunteers", {
      payload: RegisterVolunteerBody,
      success: MutualAidVolunteerCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: volunteerResource
    })
      .annotate(OpenApi.Summary, "Register a volunteer")
      .annotate(
        OpenApi.Description,
        describe(
          "Registers a volunteer: a resident of the community (residentId; `saveToHousehold` credits their minutes to their household) or an outside member without one (hospital, student …). Admins and staff. 201 with Location.",
          "登记志愿者（本社区居民或外部成员，管理员、社工）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("volunteer", "/mutual-aid/volunteers/:id", {
      params: VolunteerPath,
      success: MutualAidVolunteerResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a volunteer")
      .annotate(
        OpenApi.Description,
        describe(
          "One volunteer: admins, staff and grid workers any; a volunteer their own profile. Another community's is 404.",
          "查询志愿者档案（志愿者可查本人）"
        )
      )
  )
  .add(
    HttpApiEndpoint.patch("updateVolunteer", "/mutual-aid/volunteers/:id", {
      params: VolunteerPath,
      payload: UpdateVolunteerBody,
      success: MutualAidVolunteerResponse,
      error: bodyCommandErrors
    })
      .annotate(OpenApi.Summary, "Change a volunteer")
      .annotate(
        OpenApi.Description,
        describe(
          "Changes a volunteer's skills, roles, languages, availability, days away, location, walking range or load caps, or pauses or resumes them (admins, staff); `expectedVersion` must be the version read, else 409 (stale_version).",
          "修改志愿者档案或暂停、恢复服务（需提供读取时的版本号）"
        )
      )
  )
  .add(
    HttpApiEndpoint.put("setWalking", "/mutual-aid/walking", {
      payload: WalkingBody,
      success: MutualAidWalkingResponse,
      error: [...readErrors, ...bodyErrors]
    })
      .annotate(OpenApi.Summary, "Set a walking distance")
      .annotate(
        OpenApi.Description,
        describe(
          "Sets the walking distance in metres between two buildings of the compound (order does not matter), which matching prefers to straight lines. Admins and staff.",
          "设置楼栋间步行距离（米），匹配时优先采用"
        )
      )
  )
  .add(
    idempotentPost("requestHelp", "/mutual-aid/requests", {
      payload: RequestHelpBody,
      success: HelpRequestCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: requestResource
    })
      .annotate(OpenApi.Summary, "Ask for help")
      .annotate(
        OpenApi.Description,
        describe(
          "A resident asks for themself; staff and grid workers record a request for a resident without a smartphone (`requesterId`), naming the evidence (`evidence`: a photo of the signed slip). One helper by default, or a team (`places`, one per role). Windows and expiresAt in UTC epoch ms. 201 with Location.",
          "求助：居民为本人求助；社工、网格员可为无智能手机的居民代为登记（须注明凭证）"
        )
      )
  )
  .add(
    idempotentPost("expire", "/mutual-aid/requests/expire", {
      payload: ExpireBody,
      success: MutualAidExpiredResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: expiredResource
    })
      .annotate(OpenApi.Summary, "Expire overdue requests")
      .annotate(
        OpenApi.Description,
        describe(
          "Maintenance: expires the community's open or offered requests past their expiresAt, at most `limit` (1 to 500, default 100), and answers their ids. Admins and staff (or a scheduled job).",
          "维护：将已过截止时间的待匹配求助标记为过期"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("requests", "/mutual-aid/requests", {
      query: RequestListParams,
      success: HelpRequestPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List help requests")
      .annotate(
        OpenApi.Description,
        describe(
          "Requests by id, cursor-paged: every request of the community for admins, staff and grid workers (optionally by status and category); a resident's own; a volunteer's offered (masked until accepted) and held ones.",
          "求助列表：社工可见全部，居民可见本人，志愿者可见派给自己的（接受前隐去门牌号）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("request", "/mutual-aid/requests/:id", {
      params: RequestPath,
      success: HelpRequestResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a help request")
      .annotate(
        OpenApi.Description,
        describe(
          "One request as the caller may see it; one they may not see at all (another community's, another resident's, not offered to this volunteer) is 404.",
          "查询求助（无权查看的返回 404）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("assignments", "/mutual-aid/assignments", {
      query: AssignmentParams,
      success: AssignmentResponse,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "Run a batch assignment")
      .annotate(
        OpenApi.Description,
        describe(
          "Runs the batch assignment of every open place of the community's open requests and answers it explained, without changing anything: the exact minimum-cost assignment (volunteers' remaining caps, one volunteer never in two places of one request), with a reason per pair and per unmatched place. Offer the pairs with the offer endpoint. Admins and staff.",
          "批量匹配（只计算不修改）：全局最优分配，附每一对的理由和未匹配原因"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("suggestions", "/mutual-aid/requests/:id/places/:place/suggestions", {
      params: PlacePath,
      query: SuggestionParams,
      success: MutualAidSuggestionsResponse,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "Suggest volunteers for a place")
      .annotate(
        OpenApi.Description,
        describe(
          "Ranks the community's volunteers for one place (0-based) of a request: hard constraints (active, consent, load, role, skill, language, availability, distance), relaxed one at a time when nobody passes and said so, then a weighted score whose terms and reason are given. Volunteers already holding a place of the request or who declined this one are left out. Admins and staff.",
          "为某一岗位推荐志愿者：硬性条件、必要时逐项放宽并说明，附评分明细与理由"
        )
      )
  )
  .add(
    idempotentPost("offer", "/mutual-aid/requests/:id/places/:place/offer", {
      params: PlacePath,
      payload: OfferPlaceBody,
      success: HelpRequestResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: requestResource
    })
      .annotate(OpenApi.Summary, "Offer a place to a volunteer")
      .annotate(
        OpenApi.Description,
        describe(
          "Offers one place of a request to a volunteer, who then sees the request (masked until they accept). A paused volunteer is 400; a place already taken, or a volunteer already on another place of the request, is 409. Admins and staff.",
          "将岗位派给志愿者"
        )
      )
  )
  .add(
    idempotentPost("accept", "/mutual-aid/requests/:id/places/:place/accept", {
      params: PlacePath,
      success: HelpRequestResponse,
      error: commandErrors,
      resource: requestResource
    })
      .annotate(OpenApi.Summary, "Accept a place offered to me")
      .annotate(
        OpenApi.Description,
        describe(
          "The volunteer offered a place accepts it, and from now sees the request in full; a place offered to someone else is 403, one already taken 409. Of two acceptances of the same place at once exactly one wins.",
          "志愿者接受派给自己的岗位，之后可见完整地址"
        )
      )
  )
  .add(
    idempotentPost("decline", "/mutual-aid/requests/:id/places/:place/decline", {
      params: PlacePath,
      success: MutualAidDeclinedResponse,
      error: commandErrors,
      resource: declineResource
    })
      .annotate(OpenApi.Summary, "Decline a place offered to me")
      .annotate(
        OpenApi.Description,
        describe(
          "The volunteer offered a place declines it: the place is open again and is never offered to them again, and they no longer see the request. Only the volunteer offered it (else 403).",
          "志愿者婉拒派给自己的岗位"
        )
      )
  )
  .add(
    idempotentPost("start", "/mutual-aid/requests/:id/start", {
      params: RequestPath,
      success: HelpRequestResponse,
      error: commandErrors,
      resource: requestResource
    })
      .annotate(OpenApi.Summary, "Start a request")
      .annotate(
        OpenApi.Description,
        describe(
          "Starts a request whose places are all accepted (else 409 InvalidTransition). Admins and staff.",
          "开始服务（全部岗位已接受）"
        )
      )
  )
  .add(
    idempotentPost("complete", "/mutual-aid/requests/:id/complete", {
      params: RequestPath,
      payload: CompleteRequestBody,
      success: HelpRequestResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: requestResource
    })
      .annotate(OpenApi.Summary, "Complete a request")
      .annotate(
        OpenApi.Description,
        describe(
          "Completes a request in progress with the minutes each volunteer holding a place gave (1 to 1440 each), and credits them in the time bank (each volunteer's ledger account, or their household's) in the same transaction, once. Admins and staff.",
          "完成服务，记录每位志愿者的服务时长并计入时间银行"
        )
      )
  )
  .add(
    idempotentPost("feedback", "/mutual-aid/requests/:id/feedback", {
      params: RequestPath,
      payload: FeedbackBody,
      success: HelpRequestResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: requestResource
    })
      .annotate(OpenApi.Summary, "Give feedback on a service")
      .annotate(
        OpenApi.Description,
        describe(
          "Feedback (1 to 5 and a comment) on one volunteer's service of a completed request, by the requester or by that volunteer; anyone else is 403.",
          "对已完成服务的评价（求助人或该志愿者）"
        )
      )
  )
  .add(
    idempotentPost("cancel", "/mutual-aid/requests/:id/cancel", {
      params: RequestPath,
      payload: CancelRequestBody,
      success: HelpRequestResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: requestResource
    })
      .annotate(OpenApi.Summary, "Cancel a request")
      .annotate(
        OpenApi.Description,
        describe(
          "Cancels a request not yet completed, with why: admins and staff any, a resident their own.",
          "取消求助（社工可取消任何求助，居民可取消本人的）"
        )
      )
  )
  .add(
    idempotentPost("createPlan", "/mutual-aid/care-plans", {
      payload: CreateCarePlanBody,
      success: CarePlanCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: planResource
    })
      .annotate(OpenApi.Summary, "Create a care plan")
      .annotate(
        OpenApi.Description,
        describe(
          "Creates a care plan for a resident: a weekly or monthly visit by a team (one place per role), in the resident's languages, from startsAt (UTC epoch ms); `healthReadings` only ever recorded with the resident's health-data consent. Admins, staff and grid workers. 201 with Location.",
          "为居民建立关爱计划（定期上门探访）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("plan", "/mutual-aid/care-plans/:id", {
      params: PlanPath,
      success: CarePlanResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a care plan")
      .annotate(
        OpenApi.Description,
        describe("One care plan (admins, staff and grid workers); another community's is 404.", "查询关爱计划")
      )
  )
  .add(
    idempotentPost("generateVisits", "/mutual-aid/care-plans/:id/generate", {
      params: PlanPath,
      payload: GenerateVisitsBody,
      success: CareVisitsGeneratedResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: visitsResource
    })
      .annotate(OpenApi.Summary, "Generate a plan's visits")
      .annotate(
        OpenApi.Description,
        describe(
          "Creates the help requests of the plan's visits falling due from now until `until` (UTC epoch ms) that have none yet, at most 60, one place per team role, recorded by staff with the plan as evidence; running it again creates nothing new.",
          "生成计划内到期的探访及其求助（重复执行不会重复生成）"
        )
      )
  )
  .add(
    idempotentPost("recordVisit", "/mutual-aid/care-plans/:id/visits", {
      params: PlanPath,
      payload: RecordVisitBody,
      success: CareVisitResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: visitResource
    })
      .annotate(OpenApi.Summary, "Record a visit")
      .annotate(
        OpenApi.Description,
        describe(
          "Records how the visit due at dueStart went (done, refused, not_home) with a note; health readings only on a plan that takes them and with the resident's health-data consent, else 400.",
          "记录探访结果；仅在居民同意采集健康信息时可记录健康数据"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("visits", "/mutual-aid/care-plans/:id/visits", {
      params: PlanPath,
      success: CareVisitsResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "A plan's visits and flags")
      .annotate(
        OpenApi.Description,
        describe(
          "The plan's visits, and a flag for each visit whose window passed without a visit done: overdue within the grace days, missed after.",
          "探访记录及逾期、错过提示"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("report", "/mutual-aid/report", {
      query: MutualAidReportParams,
      success: MutualAidReportResponse,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "The coordinator's report")
      .annotate(
        OpenApi.Description,
        describe(
          "Over the requests created in [from, to): requests by category, the fulfilment rate, the median time to match, services and minutes per volunteer and month, the load spread across volunteers. Admins and staff.",
          "互助统计报表（按类别统计、完成率、匹配时长中位数、志愿者服务时长、负担均衡度）"
        )
      )
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Neighbour mutual aid / 邻里互助") {}

// ---------------------------------------------------------------------------------------------
// handlers

const encodeVolunteerExit = Schema.encodeExit(Schema.toCodecJson(MutualAidVolunteerResponse))
const encodeRequestExit = Schema.encodeExit(Schema.toCodecJson(HelpRequestResponse))
const encodePlanExit = Schema.encodeExit(Schema.toCodecJson(CarePlanResponse))

const volunteerCreated = createdWithLocation<Volunteer>(encodeVolunteerExit, (v) => volunteerLocation(v.id))
const requestCreated = createdWithLocation<HelpRequest>(encodeRequestExit, (r) => helpRequestLocation(r.id))
const planCreated = createdWithLocation<CarePlan>(encodePlanExit, (p) => carePlanLocation(p.id))

/** The core mutual-aid service's shape. */
type MutualAidService = MutualAid["Service"]

/**
 * A command that moves no minutes: the service's error type is the kernel's `DomainError`, but it
 * never fails with `InsufficientFunds` or `CapacityExceeded` here; a defect (500) if it did.
 */
const noLedger = ruledOut("InsufficientFunds", "CapacityExceeded")

/** Completing credits minutes: it may fail with `InsufficientFunds` (409), never with `CapacityExceeded`. */
const noCapacity = ruledOut("CapacityExceeded")

/** The default period of the report: the current calendar month in Asia/Shanghai. */
const REPORT_ZONE = "Asia/Shanghai"

/** The report's period `[from, to)` in UTC epoch ms: as asked, each else a bound of the current month. */
const reportPeriod = (query: { readonly from?: DateTime.Utc | undefined; readonly to?: DateTime.Utc | undefined }) =>
  Effect.map(DateTime.now, (now) => {
    const zone = DateTime.zoneMakeNamedUnsafe(REPORT_ZONE)
    const month = DateTime.startOf(DateTime.setZone(now, zone), "month")
    return {
      from: DateTime.toEpochMillis(query.from ?? month),
      to: DateTime.toEpochMillis(query.to ?? DateTime.add(month, { months: 1 }))
    }
  })

/**
 * A read the service types with the kernel's `DomainError` (suggestions): it changes nothing, so it
 * never fails with `Conflict`, `InvalidTransition` or a ledger error; a defect (500) if it did.
 */
const readOnly = ruledOut("Conflict", "InvalidTransition", "InsufficientFunds", "CapacityExceeded")

/** The suggestions for a place, each ranked volunteer with their name (read as the same actor). */
const suggestionsOf = (mutualAid: MutualAidService, id: HelpRequestId, place: number, k: number | undefined) =>
  Effect.gen(function* () {
    const result = yield* readOnly(mutualAid.suggest(id, place, k))
    const ranked = yield* Effect.forEach(result.ranked, (r) =>
      Effect.map(mutualAid.volunteer(r.volunteerId), (v) => ({ ...r, displayName: v.displayName }))
    )
    return { requestId: id, place, ranked, relaxed: result.relaxed, excluded: result.excluded }
  })

/** The visits a `generateVisits` answered, re-read from the plan: those of the `dueStart`s remembered, in order. */
const visitsAt = (mutualAid: MutualAidService, planId: CarePlanId, dueStarts: ReadonlyArray<number>) =>
  Effect.map(mutualAid.visits(planId), ({ visits }) => ({
    planId,
    visits: dueStarts.flatMap((at) => visits.filter((v) => v.dueStart === at))
  }))

/** Handlers of the `mutual-aid` group, over the core `MutualAid` service. */
export const MutualAidLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "mutual-aid">,
  never,
  MutualAid | Authentication | ApiMiddleware
> = HttpApiBuilder.group(groupApi(MutualAidGroup), "mutual-aid", (handlers) =>
  Effect.map(MutualAid, (mutualAid) =>
    handlers
      .handle("volunteers", ({ query: { cursor, limit, status, skill, role } }) =>
        mutualAid.volunteers(
          {
            ...(status === undefined ? {} : { status }),
            ...(skill === undefined ? {} : { skill }),
            ...(role === undefined ? {} : { role })
          },
          { cursor, limit }
        )
      )
      .handle("registerVolunteer", ({ payload }) =>
        Effect.map(noLedger(mutualAid.registerVolunteer(payload)), volunteerCreated)
      )
      .handle("volunteer", ({ params }) => mutualAid.volunteer(params.id))
      .handle("updateVolunteer", ({ params, payload }) => noLedger(mutualAid.updateVolunteer(params.id, payload)))
      .handle("setWalking", ({ payload }) =>
        Effect.as(mutualAid.setWalking(payload.a, payload.b, payload.metres), payload)
      )
      .handle("requestHelp", ({ payload }) => Effect.map(noLedger(mutualAid.requestHelp(payload)), requestCreated))
      .handle("expire", ({ payload }) =>
        Effect.map(noLedger(mutualAid.expire(payload.limit)), (expired) => ({ expired }))
      )
      .handle("requests", ({ query: { cursor, limit, status, category } }) =>
        mutualAid.requests(
          { ...(status === undefined ? {} : { status }), ...(category === undefined ? {} : { category }) },
          { cursor, limit }
        )
      )
      .handle("request", ({ params }) => mutualAid.request(params.id))
      .handle("assignments", ({ query }) =>
        readOnly(mutualAid.assignBatch(query.perPlace === undefined ? {} : { perPlace: query.perPlace }))
      )
      .handle("suggestions", ({ params, query }) => suggestionsOf(mutualAid, params.id, params.place, query.k))
      .handle("offer", ({ params, payload }) =>
        noLedger(mutualAid.propose(params.id, params.place, payload.volunteerId))
      )
      .handle("accept", ({ params }) => noLedger(mutualAid.accept(params.id, params.place)))
      .handle("decline", ({ params }) =>
        Effect.as(noLedger(mutualAid.decline(params.id, params.place)), {
          requestId: params.id,
          place: params.place
        })
      )
      .handle("start", ({ params }) => noLedger(mutualAid.start(params.id)))
      .handle("complete", ({ params, payload }) => noCapacity(mutualAid.complete(params.id, payload.minutes)))
      .handle("feedback", ({ params, payload }) =>
        noLedger(
          mutualAid.feedback(params.id, payload.volunteerId, { rating: payload.rating, comment: payload.comment })
        )
      )
      .handle("cancel", ({ params, payload }) => noLedger(mutualAid.cancel(params.id, payload.note)))
      .handle("createPlan", ({ payload }) => Effect.map(noLedger(mutualAid.createPlan(payload)), planCreated))
      .handle("plan", ({ params }) => mutualAid.plan(params.id))
      .handle("generateVisits", ({ params, payload }) =>
        Effect.map(noLedger(mutualAid.generateVisits(params.id, payload.until)), (visits) => ({
          planId: params.id,
          visits
        }))
      )
      .handle("recordVisit", ({ params, payload }) => noLedger(mutualAid.recordVisit(params.id, payload)))
      .handle("visits", ({ params }) =>
        Effect.map(mutualAid.visits(params.id), ({ visits, flags }) => ({ planId: params.id, visits, flags }))
      )
      .handle("report", ({ query }) =>
        Effect.flatMap(reportPeriod(query), ({ from, to }) =>
          Effect.map(mutualAid.report(from, to), (report) => ({ from, to, ...report }))
        )
      )
  )
)

// ---------------------------------------------------------------------------------------------
// readers

const encodeDeclined = Schema.encodeEffect(Schema.toCodecJson(MutualAidDeclinedResponse))
const encodeExpired = Schema.encodeEffect(Schema.toCodecJson(MutualAidExpiredResponse))
const encodeVisit = Schema.encodeEffect(Schema.toCodecJson(CareVisitResponse))
const encodeVisits = Schema.encodeEffect(Schema.toCodecJson(CareVisitsGeneratedResponse))
const isRequestId = Schema.is(HelpRequestId)
const isPlanId = Schema.is(CarePlanId)

/**
 * How an idempotent replay re-reads a `MutualAidVolunteer`: `MutualAid.volunteer(id)` as the
 * retrying actor, encoded as {@link MutualAidVolunteerResponse}; `Location` `/mutual-aid/volunteers/<id>`.
 */
export const MutualAidVolunteerReader: ResourceReader<MutualAid> = resourceReader({
  type: volunteerResource.type,
  service: MutualAid,
  read: (mutualAid, id) => mutualAid.volunteer(id),
  response: MutualAidVolunteerResponse,
  location: volunteerLocation
})

/**
 * How an idempotent replay re-reads a `HelpRequest`: `MutualAid.request(id)` as the retrying actor
 * (so as they may see it now), encoded as {@link HelpRequestResponse}; `Location` `/mutual-aid/requests/<id>`.
 */
export const HelpRequestReader: ResourceReader<MutualAid> = resourceReader({
  type: requestResource.type,
  service: MutualAid,
  read: (mutualAid, id) => mutualAid.request(id),
  response: HelpRequestResponse,
  location: helpRequestLocation
})

/**
 * How an idempotent replay answers a `MutualAidDeclined` (see {@link declineResourceId}): the
 * receipt again, from the remembered key (the key is the decliner's own, and after declining they
 * may no longer read the request). It answers 200, so `location` is not used.
 */
export const MutualAidDeclineReader: ResourceReader<never> = {
  type: declineResource.type,
  make: Effect.succeed((key: string) => {
    const match = DECLINE_KEY.exec(key)
    const requestId = match?.[1]
    return match === null || !isRequestId(requestId)
      ? Effect.fail(NotFound.of("MutualAidDeclined", key))
      : encodeDeclined({ requestId, place: Number(match[2]) })
  }),
  location: (key: string) => helpRequestLocation(key.split("/")[0] ?? "")
}

/**
 * How an idempotent replay answers a `MutualAidExpired` (see {@link expiredResourceId}): the ids
 * the first call expired, from the remembered key. It answers 200, so `location` is not used.
 */
export const MutualAidExpiredReader: ResourceReader<never> = {
  type: expiredResource.type,
  make: Effect.succeed((key: string) => {
    const list = key.startsWith("expired:") ? key.slice("expired:".length) : undefined
    const ids = list === undefined || list === "" ? [] : list.split(",")
    return list === undefined || !ids.every(isRequestId)
      ? Effect.fail(NotFound.of("MutualAidExpired", key))
      : encodeExpired({ expired: ids })
  }),
  location: () => "/mutual-aid/requests"
}

/**
 * How an idempotent replay re-reads a `CarePlan`: `MutualAid.plan(id)` as the retrying actor,
 * encoded as {@link CarePlanResponse}; `Location` `/mutual-aid/care-plans/<id>`.
 */
export const CarePlanReader: ResourceReader<MutualAid> = resourceReader({
  type: planResource.type,
  service: MutualAid,
  read: (mutualAid, id) => mutualAid.plan(id),
  response: CarePlanResponse,
  location: carePlanLocation
})

/**
 * How an idempotent replay re-reads a `CareVisit` (see {@link careVisitResourceId}): from
 * `MutualAid.visits` of its plan as the retrying actor, encoded as {@link CareVisitResponse}. It
 * answers 200, so `location` is not used.
 */
export const CareVisitReader: ResourceReader<MutualAid> = {
  type: visitResource.type,
  make: Effect.map(
    MutualAid,
    (mutualAid) => (key: string) =>
      Effect.gen(function* () {
        const match = VISIT_KEY.exec(key)
        const planId = match?.[1]
        if (match === null || !isPlanId(planId)) return yield* Effect.fail(NotFound.of("CareVisit", key))
        const dueStart = Number(match[2])
        const { visits } = yield* mutualAid.visits(planId)
        const visit = visits.find((v) => v.dueStart === dueStart)
        if (visit === undefined) return yield* Effect.fail(NotFound.of("CareVisit", key))
        return yield* encodeVisit(visit)
      })
  ),
  location: (key: string) => `${carePlanLocation(key.split("/")[0] ?? "")}/visits`
}

/**
 * How an idempotent replay re-reads a `CareVisitsGenerated` (see {@link careVisitsResourceId}):
 * the visits of those `dueStart`s from `MutualAid.visits` of the plan, as the retrying actor,
 * encoded as {@link CareVisitsGeneratedResponse}. It answers 200, so `location` is not used.
 */
export const CareVisitsReader: ResourceReader<MutualAid> = {
  type: visitsResource.type,
  make: Effect.map(
    MutualAid,
    (mutualAid) => (key: string) =>
      Effect.gen(function* () {
        const match = VISITS_KEY.exec(key)
        const planId = match?.[1]
        if (match === null || !isPlanId(planId)) return yield* Effect.fail(NotFound.of("CareVisits", key))
        const dueStarts = match[2] === undefined ? [] : match[2].split(",").map(Number)
        return yield* Effect.flatMap(visitsAt(mutualAid, planId, dueStarts), encodeVisits)
      })
  ),
  location: (key: string) => `${carePlanLocation(key.split(":")[0] ?? "")}/visits`
}

/** The readers of mutual aid's resources, for `resourceReaders` in `Api.ts`. */
export const MutualAidReaders = [
  MutualAidVolunteerReader,
  HelpRequestReader,
  MutualAidDeclineReader,
  MutualAidExpiredReader,
  CarePlanReader,
  CareVisitReader,
  CareVisitsReader
] as const

// ---------------------------------------------------------------------------------------------
// the OpenAPI document

/** The descriptions of mutual aid's query parameters. */
export const MUTUAL_AID_PARAMETER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  from: describe(
    "Start of the period, inclusive (requests created at or after): an ISO 8601 date-time such as 2026-08-01T00:00:00+08:00 (a bare date is midnight UTC). Default: the first of the current month in Asia/Shanghai.",
    "起始时间（含，ISO 8601），默认本月一日"
  ),
  to: describe(
    "End of the period, exclusive: an ISO 8601 date-time. Default: the first of next month in Asia/Shanghai.",
    "结束时间（不含，ISO 8601），默认下月一日"
  ),
  status: describe("Only records in this status.", "按状态筛选"),
  skill: describe("Only volunteers with this skill (a slug such as translation).", "按技能筛选"),
  role: describe("Only volunteers who can fill this team role (such as medical).", "按可担任的岗位筛选"),
  category: describe("Only requests of this category (such as escort).", "按求助类别筛选"),
  k: describe("How many volunteers to suggest: 1 to 50; default 5.", "推荐人数，1 到 50，默认 5"),
  perPlace: describe(
    "The most candidates considered per place (the best by score): 1 to 1000; default 200.",
    "每个岗位考虑的候选人数上限，1 到 1000，默认 200"
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
 * Mutual aid's part of the OpenAPI post-processing (the server's behaviour is unchanged):
 *
 * - the query parameters of `/mutual-aid/…` get a description each, `from` and `to` the
 *   `date-time` format, `limit` and `k` their integer range and default (Effect's generator
 *   documents the wire side: strings), and the `place` path parameter its integer range;
 * - the request bodies get the `minLength`/`maxLength` of their text fields (see
 *   `copyStringBounds`: text is trimmed on decoding, so the bounds live on the decoded side).
 */
export const documentMutualAid = (spec: Record<string, unknown>): Record<string, unknown> => {
  const paths = isRecord(spec.paths) ? spec.paths : {}
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.startsWith("/mutual-aid/") || !isRecord(operations)) continue
    for (const operation of Object.values(operations)) {
      if (!isRecord(operation) || !Array.isArray(operation.parameters)) continue
      for (const parameter of operation.parameters) {
        if (!isRecord(parameter) || typeof parameter.name !== "string") continue
        const name = parameter.name
        if (parameter.in === "path" && name === "place") {
          parameter.schema = { type: "integer", minimum: 0, maximum: MAX_PLACE }
          parameter.description = describe("The place's index in the request's places, from 0.", "岗位序号（从 0 起）")
          continue
        }
        if (parameter.in !== "query") continue
        const schema: Record<string, unknown> = isRecord(parameter.schema) ? { ...parameter.schema } : {}
        delete schema.description
        if (name === "from" || name === "to") schema.format = "date-time"
        if (name === "limit") {
          schema.type = "integer"
          schema.minimum = 1
          schema.maximum = Paging.MAX_LIMIT
          schema.default = Paging.DEFAULT_LIMIT
        }
        if (name === "k") {
          schema.type = "integer"
          schema.minimum = 1
          schema.maximum = 50
          schema.default = 5
        }
        if (name === "perPlace") {
          schema.type = "integer"
          schema.minimum = 1
          schema.maximum = 1_000
          schema.default = 200
        }
        parameter.schema = schema
        const description = MUTUAL_AID_PARAMETER_DESCRIPTIONS[name]
        if (description !== undefined) parameter.description = description
      }
    }
  }
  const components = isRecord(spec.components) && isRecord(spec.components.schemas) ? spec.components.schemas : {}
  for (const [identifier, schema] of [
    ["RegisterVolunteerInput", RegisterVolunteerInput],
    ["UpdateVolunteerInput", UpdateVolunteerInput],
    ["RequestHelpInput", RequestHelpInput],
    ["MutualAidFeedbackInput", FeedbackInput],
    ["MutualAidCancelInput", CancelInput],
    ["CreateCarePlanInput", CreatePlanInput],
    ["RecordCareVisitInput", RecordVisitInput]
  ] as const) {
    const typed = typeSideJsonSchema(schema)
    copyStringBounds(components[identifier], typed.root, typed.resolve)
  }
  return spec
}
