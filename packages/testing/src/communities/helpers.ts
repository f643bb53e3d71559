/**
 * Shared pieces of the suites that need communities.
 *
 * @module
 */
import { CommunityRepo } from "@commonweal/core"
import type { CommunityId, Conflict } from "@commonweal/core"
import { Effect } from "effect"
import { makeCommunity } from "../builders.js"

/** Provisions a fresh community (a random id, so a shared database never interferes) and returns its id. */
export const freshCommunity: Effect.Effect<CommunityId, Conflict, CommunityRepo> = Effect.gen(function* () {
  const communities = yield* CommunityRepo
  const community = makeCommunity()
  yield* communities.insert(community)
  return community.id
})
