/**
 * What mutual aid's commands take, as schemas: registering and changing a volunteer, asking for
 * help, and creating a care plan. The service decodes these from plain JSON, so a program, a
 * transport and an import all go through the same validation.
 *
 * @module
 */
import { Schema } from "effect"
import { ResidentId } from "../kernel/Ids.js"
import * as Text from "../kernel/Text.js"
import { AvailabilitySlot, HomePlace, LanguageCode, LanguageSkill, Location, Skill } from "../residents/Resident.js"
import { HealthReadings, Recurrence } from "./CarePlan.js"
import { LoadCaps, RoleCode, TimeWindow, Urgency } from "./HelpRequest.js"

/** What registering a volunteer takes. A resident volunteer names their resident record. */
export const RegisterVolunteerInput = Schema.Struct({
  residentId: Schema.optionalKey(ResidentId),
  displayName: Text.line(40),
  membership: Schema.Literals(["resident", "hospital", "student", "employer", "other"]),
  gender: Schema.optionalKey(Schema.Literals(["female", "male"])),
  skills: Schema.optionalKey(Schema.Array(Skill).check(Schema.isMaxLength(30))),
  roles: Schema.optionalKey(Schema.Array(RoleCode).check(Schema.isMaxLength(10))),
  languages: Schema.optionalKey(Schema.Array(LanguageSkill).check(Schema.isMaxLength(10))),
  homePlace: Schema.optionalKey(HomePlace),
  availability: Schema.optionalKey(Schema.Array(AvailabilitySlot).check(Schema.isMaxLength(28))),
  location: Schema.optionalKey(Location),
  maxDistance: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 50_000 }))),
  caps: Schema.optionalKey(LoadCaps),
  /** Credit this volunteer's minutes to their household's account (saving for elderly parents). */
  saveToHousehold: Schema.optionalKey(Schema.Boolean)
})
/** What registering a volunteer takes. */
export type RegisterVolunteerInput = typeof RegisterVolunteerInput.Type

/** What changing a volunteer takes: any field, and the version read. */
export const UpdateVolunteerInput = Schema.Struct({
  skills: Schema.optionalKey(Schema.Array(Skill).check(Schema.isMaxLength(30))),
  roles: Schema.optionalKey(Schema.Array(RoleCode).check(Schema.isMaxLength(10))),
  languages: Schema.optionalKey(Schema.Array(LanguageSkill).check(Schema.isMaxLength(10))),
  availability: Schema.optionalKey(Schema.Array(AvailabilitySlot).check(Schema.isMaxLength(28))),
  blockedDays: Schema.optionalKey(Schema.Array(Schema.Int).check(Schema.isMaxLength(366))),
  location: Schema.optionalKey(Location),
  maxDistance: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 50_000 }))),
  caps: Schema.optionalKey(LoadCaps),
  status: Schema.optionalKey(Schema.Literals(["active", "paused"])),
  expectedVersion: Schema.Int
})
/** What changing a volunteer takes. */
export type UpdateVolunteerInput = typeof UpdateVolunteerInput.Type

/** One place a request asks for: a team role and the skill it needs. */
export const PlaceInput = Schema.Struct({ role: RoleCode, skill: Schema.optionalKey(Skill) })

/**
 * What asking for help takes. A resident asks for themself (`requesterId` is theirs); staff and
 * grid workers record a request for a resident without a smartphone, naming the evidence
 * (`evidence`: a photo of a signed slip).
 */
export const RequestHelpInput = Schema.Struct({
  requesterId: Schema.optionalKey(ResidentId),
  evidence: Schema.optionalKey(Text.line(200)),
  category: RoleCode,
  description: Text.line(500),
  place: Location,
  windows: Schema.Array(TimeWindow).check(Schema.isMinLength(1), Schema.isMaxLength(10)),
  urgency: Schema.optionalKey(Urgency),
  expiresAt: Schema.Int,
  requiredLanguages: Schema.optionalKey(Schema.Array(LanguageCode).check(Schema.isMaxLength(5))),
  preferSameHomeTown: Schema.optionalKey(Schema.Boolean),
  preferGender: Schema.optionalKey(Schema.Literals(["female", "male"])),
  /** The places: one helper by default; a team for a multi-person request. */
  places: Schema.optionalKey(Schema.Array(PlaceInput).check(Schema.isMinLength(1), Schema.isMaxLength(6))),
  visibility: Schema.optionalKey(Schema.Literals(["staff", "offered"]))
})
/** What asking for help takes. */
export type RequestHelpInput = typeof RequestHelpInput.Type

/** What creating a care plan takes. */
export const CreatePlanInput = Schema.Struct({
  residentId: ResidentId,
  title: Text.line(80),
  category: RoleCode,
  description: Text.line(500),
  place: Location,
  roles: Schema.Array(RoleCode).check(Schema.isMinLength(1), Schema.isMaxLength(6)),
  requiredLanguages: Schema.optionalKey(Schema.Array(LanguageCode).check(Schema.isMaxLength(5))),
  recurrence: Recurrence,
  startsAt: Schema.Int,
  endsAt: Schema.optionalKey(Schema.Int),
  graceDays: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 30 }))),
  healthReadings: Schema.optionalKey(Schema.Boolean)
})
/** What creating a care plan takes. */
export type CreatePlanInput = typeof CreatePlanInput.Type

/** What recording a visit takes. */
export const RecordVisitInput = Schema.Struct({
  dueStart: Schema.Int,
  outcome: Schema.Literals(["done", "refused", "not_home"]),
  readings: Schema.optionalKey(HealthReadings),
  note: Schema.optionalKey(Text.line(200))
})
/** What recording a visit takes. */
export type RecordVisitInput = typeof RecordVisitInput.Type
