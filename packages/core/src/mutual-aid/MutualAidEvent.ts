/**
 * Mutual aid's domain events: one for every change of a volunteer, a request (every transition of
 * its lifecycle) and a care plan. They carry ids, codes and counts, never descriptions, places or
 * health readings.
 *
 * @module
 */
import { Schema } from "effect"
import { CarePlanId } from "./CarePlan.js"
import { HelpRequestId, VolunteerId } from "./HelpRequest.js"

/** A volunteer was registered. */
export const VolunteerRegistered = Schema.TaggedStruct("VolunteerRegistered", { volunteerId: VolunteerId })
/** A volunteer's profile changed (or they paused or resumed). */
export const VolunteerUpdated = Schema.TaggedStruct("VolunteerUpdated", {
  volunteerId: VolunteerId,
  status: Schema.Literals(["active", "paused"])
})
/** Someone asked for help (or staff recorded it for them). */
export const HelpRequested = Schema.TaggedStruct("HelpRequested", {
  requestId: HelpRequestId,
  category: Schema.String,
  places: Schema.Int,
  recordedByStaff: Schema.Boolean
})
/** A place was offered to a volunteer. */
export const PlaceOffered = Schema.TaggedStruct("PlaceOffered", {
  requestId: HelpRequestId,
  place: Schema.Int,
  volunteerId: VolunteerId
})
/** A volunteer accepted a place. */
export const PlaceAccepted = Schema.TaggedStruct("PlaceAccepted", {
  requestId: HelpRequestId,
  place: Schema.Int,
  volunteerId: VolunteerId
})
/** A volunteer declined a place (it is open again). */
export const PlaceDeclined = Schema.TaggedStruct("PlaceDeclined", {
  requestId: HelpRequestId,
  place: Schema.Int,
  volunteerId: VolunteerId
})
/** A request started. */
export const RequestStarted = Schema.TaggedStruct("RequestStarted", { requestId: HelpRequestId })
/** A request was completed; its minutes credited. */
export const RequestCompleted = Schema.TaggedStruct("RequestCompleted", {
  requestId: HelpRequestId,
  minutes: Schema.Int
})
/** Feedback was left on a service. */
export const FeedbackGiven = Schema.TaggedStruct("FeedbackGiven", {
  requestId: HelpRequestId,
  volunteerId: VolunteerId,
  side: Schema.Literals(["requester", "volunteer"]),
  rating: Schema.Int
})
/** A request was cancelled. */
export const RequestCancelled = Schema.TaggedStruct("RequestCancelled", { requestId: HelpRequestId })
/** A request expired. */
export const RequestExpired = Schema.TaggedStruct("RequestExpired", { requestId: HelpRequestId })
/** A care plan was created. */
export const CarePlanCreated = Schema.TaggedStruct("CarePlanCreated", { planId: CarePlanId })
/** A care plan's visits up to a time were generated as requests. */
export const VisitsGenerated = Schema.TaggedStruct("VisitsGenerated", { planId: CarePlanId, count: Schema.Int })
/** A visit was recorded (its outcome; readings, if any, are not in the event). */
export const VisitRecorded = Schema.TaggedStruct("VisitRecorded", {
  planId: CarePlanId,
  dueStart: Schema.Int,
  outcome: Schema.Literals(["done", "refused", "not_home"])
})

/** Every event of mutual aid. */
export const MutualAidEvent = Schema.Union([
  VolunteerRegistered,
  VolunteerUpdated,
  HelpRequested,
  PlaceOffered,
  PlaceAccepted,
  PlaceDeclined,
  RequestStarted,
  RequestCompleted,
  FeedbackGiven,
  RequestCancelled,
  RequestExpired,
  CarePlanCreated,
  VisitsGenerated,
  VisitRecorded
])
/** Every event of mutual aid. */
export type MutualAidEvent = typeof MutualAidEvent.Type
