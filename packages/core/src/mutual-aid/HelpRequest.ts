/**
 * Mutual aid's schemas (邻里互助): volunteers and their profiles, help requests with their places
 * (one per team role) and time windows, and what completing a service records.
 *
 * A request asks for one or more **places**: a single helper, or a team for a multi-person
 * request (a monthly home health check for a migrant elder: medical ×1 + grid worker ×1 +
 * fellow-townsperson ×1, the 共享子女 team of Junxin). Each place is offered to a volunteer,
 * who accepts or declines it; the request starts once every place is accepted. Times are UTC
 * epoch milliseconds.
 *
 * @module
 */
import { Schema } from "effect"
import { CommunityId, HouseholdId, ResidentId, Uuid7 } from "../kernel/Ids.js"
import * as Text from "../kernel/Text.js"
import { AvailabilitySlot, HomePlace, LanguageSkill, Location, Skill } from "../residents/Resident.js"
import { LanguageCode } from "../residents/Resident.js"

/** Identifies a help request. */
export const HelpRequestId = Uuid7.pipe(Schema.brand("HelpRequestId"))
/** Identifies a help request. */
export type HelpRequestId = typeof HelpRequestId.Type

/** Identifies a volunteer profile. */
export const VolunteerId = Uuid7.pipe(Schema.brand("VolunteerId"))
/** Identifies a volunteer profile. */
export type VolunteerId = typeof VolunteerId.Type

/** A short code: lower-case letters, digits, `_` and `-` (`medical`, `fellow_townsperson`). */
export const RoleCode = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9_-]{0,31}$/u, {
    message: "must be a lower-case code such as medical / 须为小写字母开头的编码"
  })
)

/** A time window, `[start, end)` in UTC epoch milliseconds, `start < end`. */
export const TimeWindow = Schema.Struct({ start: Schema.Int, end: Schema.Int }).check(
  Schema.makeFilter(
    (w: { readonly start: number; readonly end: number }) =>
      w.start < w.end || { path: ["end"], issue: "must be after start / 结束时间须晚于开始时间" }
  )
)
/** A time window. */
export type TimeWindow = typeof TimeWindow.Type

/** How soon help is needed. */
export const Urgency = Schema.Literals(["low", "normal", "high", "urgent"])
/** How soon help is needed. */
export type Urgency = typeof Urgency.Type

/** How many requests a volunteer takes on: at once, per ISO week and per calendar month. */
export const LoadCaps = Schema.Struct({
  atOnce: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 20 })),
  perWeek: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 50 })),
  perMonth: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 200 }))
})
/** How many requests a volunteer takes on. */
export type LoadCaps = typeof LoadCaps.Type

/**
 * A volunteer's profile: a resident of the community, or an outside member (hospital staff, a
 * university student) who has none. What matching reads.
 */
export const Volunteer = Schema.Struct({
  id: VolunteerId,
  communityId: CommunityId,
  /** The resident this volunteer is, `null` for an outside member. */
  residentId: Schema.NullOr(ResidentId),
  /** The household whose time-bank account is credited (a volunteer may save minutes for elderly parents). */
  householdId: Schema.NullOr(HouseholdId),
  displayName: Text.line(40),
  /** `resident`, or where an outside member comes from. */
  membership: Schema.Literals(["resident", "hospital", "student", "employer", "other"]),
  gender: Schema.NullOr(Schema.Literals(["female", "male"])),
  skills: Schema.Array(Skill).check(Schema.isMaxLength(30)),
  /** Team roles this volunteer can fill (`medical`, `grid_worker`, `fellow_townsperson` …). */
  roles: Schema.Array(RoleCode).check(Schema.isMaxLength(10)),
  languages: Schema.Array(LanguageSkill).check(Schema.isMaxLength(10)),
  homePlace: Schema.NullOr(HomePlace),
  availability: Schema.Array(AvailabilitySlot).check(Schema.isMaxLength(28)),
  /** Whole days (UTC epoch ms of the day's start in the community's zone) the volunteer is away. */
  blockedDays: Schema.Array(Schema.Int).check(Schema.isMaxLength(366)),
  location: Schema.NullOr(Location),
  /** How far they go, in metres of walking. */
  maxDistance: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 50_000 })),
  caps: LoadCaps,
  status: Schema.Literals(["active", "paused"]),
  version: Schema.Int,
  createdAt: Schema.Int
})
/** A volunteer's profile. */
export type Volunteer = typeof Volunteer.Type

/** One place of a request: a role (for teams) or the single helper, and who holds it. */
export const Place = Schema.Struct({
  /** The team role (`medical` …), or `helper` for a single-person request. */
  role: RoleCode,
  /** The skill the place needs, if any. */
  skill: Schema.NullOr(Skill),
  status: Schema.Literals(["open", "proposed", "accepted"]),
  /** The volunteer offered the place (`proposed`) or holding it (`accepted`). */
  volunteerId: Schema.NullOr(VolunteerId),
  /** Volunteers who declined this place: never offered it again. */
  declinedBy: Schema.Array(VolunteerId),
  /** When the place was last offered or accepted. */
  since: Schema.NullOr(Schema.Int)
})
/** One place of a request. */
export type Place = typeof Place.Type

/** How a completed service went, from one side: 1 to 5 and a short comment. */
export const Feedback = Schema.Struct({
  rating: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 5 })),
  comment: Text.line(200),
  at: Schema.Int
})
/** How a completed service went, from one side. */
export type Feedback = typeof Feedback.Type

/** What a completed service records per volunteer: the minutes actually given, and both sides' feedback. */
export const ServiceRecord = Schema.Struct({
  volunteerId: VolunteerId,
  minutes: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 24 * 60 })),
  fromRequester: Schema.NullOr(Feedback),
  fromVolunteer: Schema.NullOr(Feedback)
})
/** What a completed service records per volunteer. */
export type ServiceRecord = typeof ServiceRecord.Type

/**
 * Where a request stands: `open` (some place has nobody), `proposed` (every place is offered or
 * held, some not yet accepted), `accepted` (every place accepted), `in_progress`, `completed`,
 * `cancelled`, `expired`.
 */
export const RequestStatus = Schema.Literals([
  "open",
  "proposed",
  "accepted",
  "in_progress",
  "completed",
  "cancelled",
  "expired"
])
/** Where a request stands. */
export type RequestStatus = typeof RequestStatus.Type

/**
 * Who recorded a request: the requester themself, or staff for someone without a smartphone,
 * with a reference to the evidence (a photo of a signed slip).
 */
export const RecordedBy = Schema.Union([
  Schema.TaggedStruct("Requester", {}),
  Schema.TaggedStruct("Staff", { subject: Schema.String, evidence: Text.line(200) })
])
/** Who recorded a request. */
export type RecordedBy = typeof RecordedBy.Type

/** A help request. */
export const HelpRequest = Schema.Struct({
  id: HelpRequestId,
  communityId: CommunityId,
  version: Schema.Int,
  status: RequestStatus,
  requesterId: ResidentId,
  recordedBy: RecordedBy,
  category: RoleCode,
  description: Text.line(500),
  /** Where help is needed (the requester's home, a clinic). */
  place: Location,
  windows: Schema.Array(TimeWindow).check(Schema.isMinLength(1), Schema.isMaxLength(10)),
  urgency: Urgency,
  expiresAt: Schema.Int,
  requiredLanguages: Schema.Array(LanguageCode).check(Schema.isMaxLength(5)),
  /** Preferences that matching scores (never hard limits): same home town, a helper's gender. */
  preferSameHomeTown: Schema.Boolean,
  preferGender: Schema.NullOr(Schema.Literals(["female", "male"])),
  places: Schema.Array(Place).check(Schema.isMinLength(1), Schema.isMaxLength(6)),
  /** Who may see the description and place: `staff` only, or also the `offered` volunteers once they accept. */
  visibility: Schema.Literals(["staff", "offered"]),
  services: Schema.Array(ServiceRecord),
  closingNote: Schema.NullOr(Text.line(200)),
  createdAt: Schema.Int,
  updatedAt: Schema.Int
})
/** A help request. */
export type HelpRequest = typeof HelpRequest.Type
