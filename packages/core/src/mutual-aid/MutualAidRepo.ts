/**
 * The storage port of mutual aid: volunteers, help requests, care plans with their visits, and
 * the walking distances between a community's buildings.
 *
 * Scoped by community like every port: a record of another community is never found, listed or
 * changed, whatever id is given. Volunteers, requests and care plans are written with optimistic
 * versions (`update…` succeeds only when the stored version is `version - 1`, else `Conflict`
 * stale_version; a missing record is stale too), which is what makes two volunteers accepting the
 * same place at once end with exactly one winner. Visits and walking distances are upserted.
 *
 * Adapters: `@commonweal/store-memory`, `@commonweal/store-kysely`. The contract every adapter
 * must pass is `mutualAidContract` in `@commonweal/testing`.
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { Conflict } from "../kernel/Errors.js"
import type { CommunityId, ResidentId } from "../kernel/Ids.js"
import type { Window } from "../kernel/Paging.js"
import type { CarePlan, CarePlanId, Visit } from "./CarePlan.js"
import type { HelpRequest, HelpRequestId, RequestStatus, Volunteer, VolunteerId } from "./HelpRequest.js"

/** Filters of a volunteer list; all combine with AND. */
export interface VolunteerQuery {
  readonly communityId: CommunityId
  readonly status?: Volunteer["status"] | undefined
  /** Only volunteers with this skill. */
  readonly skill?: string | undefined
  /** Only volunteers who fill this team role. */
  readonly role?: string | undefined
}

/** Filters of a request list; all combine with AND. Times are UTC epoch ms, `from` inclusive, `to` exclusive. */
export interface RequestQuery {
  readonly communityId: CommunityId
  readonly status?: RequestStatus | undefined
  readonly requesterId?: ResidentId | undefined
  /** Only requests where this volunteer is offered or holds a place, or served (a service record). */
  readonly volunteerId?: VolunteerId | undefined
  readonly category?: string | undefined
  /** On `createdAt`. */
  readonly createdFrom?: number | undefined
  readonly createdTo?: number | undefined
}

/** The storage port of mutual aid. */
export class MutualAidRepo extends Context.Service<
  MutualAidRepo,
  {
    /**
     * Stores a new volunteer (version 1); `Conflict` duplicate when the id exists in the
     * community, or when another volunteer of the community is the same resident.
     */
    readonly insertVolunteer: (volunteer: Volunteer) => Effect.Effect<void, Conflict>
    /** Replaces a volunteer whose stored version is `version - 1`, else `Conflict` stale_version. */
    readonly updateVolunteer: (volunteer: Volunteer) => Effect.Effect<void, Conflict>
    /** The volunteer with this id in this community, if any. */
    readonly findVolunteer: (communityId: CommunityId, id: VolunteerId) => Effect.Effect<Option.Option<Volunteer>>
    /** The volunteer who is this resident, if any. */
    readonly findVolunteerByResident: (
      communityId: CommunityId,
      residentId: ResidentId
    ) => Effect.Effect<Option.Option<Volunteer>>
    /** The volunteers matching the query with id greater than `window.after`, by id, at most `window.limit`. */
    readonly listVolunteers: (query: VolunteerQuery, window: Window) => Effect.Effect<ReadonlyArray<Volunteer>>

    /** Stores a new request (version 1); `Conflict` duplicate when its id exists in the community. */
    readonly insertRequest: (request: HelpRequest) => Effect.Effect<void, Conflict>
    /** Replaces a request whose stored version is `version - 1`, else `Conflict` stale_version. */
    readonly updateRequest: (request: HelpRequest) => Effect.Effect<void, Conflict>
    /** Checks a request's stored version and holds it until the transaction ends, else `Conflict` stale_version. */
    readonly lockRequest: (
      communityId: CommunityId,
      id: HelpRequestId,
      version: number
    ) => Effect.Effect<void, Conflict>
    /** The request with this id in this community, if any. */
    readonly findRequest: (communityId: CommunityId, id: HelpRequestId) => Effect.Effect<Option.Option<HelpRequest>>
    /** The requests matching the query with id greater than `window.after`, by id, at most `window.limit`. */
    readonly listRequests: (query: RequestQuery, window: Window) => Effect.Effect<ReadonlyArray<HelpRequest>>

    /** Stores a new care plan (version 1); `Conflict` duplicate when its id exists in the community. */
    readonly insertPlan: (plan: CarePlan) => Effect.Effect<void, Conflict>
    /** Replaces a care plan whose stored version is `version - 1`, else `Conflict` stale_version. */
    readonly updatePlan: (plan: CarePlan) => Effect.Effect<void, Conflict>
    /** The care plan with this id in this community, if any. */
    readonly findPlan: (communityId: CommunityId, id: CarePlanId) => Effect.Effect<Option.Option<CarePlan>>
    /** The community's care plans with id greater than `window.after`, by id, at most `window.limit`. */
    readonly listPlans: (communityId: CommunityId, window: Window) => Effect.Effect<ReadonlyArray<CarePlan>>
    /**
     * Stores a visit of a plan of the community, keyed by `(planId, dueStart)`: inserted, or
     * replacing the visit with that key.
     */
    readonly putVisit: (communityId: CommunityId, visit: Visit) => Effect.Effect<void>
    /** The visits of a plan of the community, by `dueStart`. */
    readonly listVisits: (communityId: CommunityId, planId: CarePlanId) => Effect.Effect<ReadonlyArray<Visit>>

    /** Sets the walking distance between two buildings of the community (either order; the same pair once). */
    readonly putWalking: (communityId: CommunityId, a: string, b: string, metres: number) => Effect.Effect<void>
    /** The community's walking distances, keyed by `Matching.walkingKey`. */
    readonly walking: (communityId: CommunityId) => Effect.Effect<ReadonlyMap<string, number>>
  }
>()("@commonweal/core/MutualAidRepo") {}

/** The storage ports of mutual aid, as a bundle an adapter provides (time credits also need the ledger's). */
export type MutualAidStorage = MutualAidRepo
