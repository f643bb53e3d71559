/**
 * The domain events of the resident registry.
 *
 * Payloads carry ids, purposes and field names, never personal data, so the event log can be
 * kept after a resident is erased without keeping what the erasure removed.
 *
 * @module
 */
import { Schema } from "effect"
import { HouseholdId, ResidentId } from "../kernel/Ids.js"
import { ConsentPurpose, DeactivationReason } from "./Resident.js"

/** A resident was registered. */
export const ResidentRegistered = Schema.TaggedStruct("ResidentRegistered", { residentId: ResidentId })
/** A resident's record was changed; `fields` names what changed. */
export const ResidentUpdated = Schema.TaggedStruct("ResidentUpdated", {
  residentId: ResidentId,
  fields: Schema.Array(Schema.String)
})
/** A consent was granted. */
export const ConsentRecorded = Schema.TaggedStruct("ConsentRecorded", {
  residentId: ResidentId,
  purpose: ConsentPurpose,
  byGuardian: Schema.NullOr(ResidentId)
})
/** A consent was withdrawn (health data is removed with a `health_data` withdrawal). */
export const ConsentWithdrawn = Schema.TaggedStruct("ConsentWithdrawn", {
  residentId: ResidentId,
  purpose: ConsentPurpose
})
/** A resident joined a household. */
export const HouseholdLinked = Schema.TaggedStruct("HouseholdLinked", {
  residentId: ResidentId,
  householdId: HouseholdId
})
/** A guardian was linked to a resident (a child). */
export const GuardianLinked = Schema.TaggedStruct("GuardianLinked", {
  residentId: ResidentId,
  guardianId: ResidentId
})
/** A guardian link was removed. */
export const GuardianUnlinked = Schema.TaggedStruct("GuardianUnlinked", {
  residentId: ResidentId,
  guardianId: ResidentId
})
/** A resident was deactivated (moved away, passed away …); the record stays. */
export const ResidentDeactivated = Schema.TaggedStruct("ResidentDeactivated", {
  residentId: ResidentId,
  reason: DeactivationReason
})
/** A deactivated resident was made active again. */
export const ResidentReactivated = Schema.TaggedStruct("ResidentReactivated", { residentId: ResidentId })
/** A resident's personal data was erased; the id stays so other records remain consistent. */
export const ResidentErased = Schema.TaggedStruct("ResidentErased", { residentId: ResidentId })

/** Every event of the registry. */
export const ResidentEvent = Schema.Union([
  ResidentRegistered,
  ResidentUpdated,
  ConsentRecorded,
  ConsentWithdrawn,
  HouseholdLinked,
  GuardianLinked,
  GuardianUnlinked,
  ResidentDeactivated,
  ResidentReactivated,
  ResidentErased
])
/** Every event of the registry. */
export type ResidentEvent = typeof ResidentEvent.Type
