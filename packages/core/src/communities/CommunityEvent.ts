/**
 * The domain events of communities.
 *
 * @module
 */
import { Schema } from "effect"

/** A community was provisioned. */
export const CommunityProvisioned = Schema.TaggedStruct("CommunityProvisioned", {
  name: Schema.String,
  timeZone: Schema.String,
  grids: Schema.Array(Schema.String)
})

/** Every event of communities (one so far; a union as more come). */
export const CommunityEvent = CommunityProvisioned
/** Every event of communities. */
export type CommunityEvent = typeof CommunityEvent.Type
