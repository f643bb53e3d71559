/**
 * The tables of mutual aid (see `migrations/0008_mutual_aid.ts`).
 *
 * A volunteer, request or care plan row keeps the whole record as `Schema`-encoded JSON
 * (`data`), which is what reads decode with core's schemas (`Volunteer`, `HelpRequest`,
 * `CarePlan`, `Visit`); the scalar columns and the side tables beside it exist only to filter,
 * to page, to check versions and to keep keys unique, and are written with every write of the
 * record, in the same transaction. Versions and times (UTC epoch milliseconds) are 64-bit
 * integers, which the drivers return as a number or a string (PostgreSQL `int8`): the adapter
 * converts them with `toSafeInteger`.
 *
 * @module
 */
import type { ColumnType } from "kysely"

/** A 64-bit integer column: a number when written, a number, string or bigint when read. */
type Int64 = ColumnType<number | string | bigint, number, number>

/**
 * `mutual_aid_volunteers`: one row per volunteer. Primary key `(community_id, id)`; unique
 * `(community_id, resident_id)` (a resident is one volunteer of a community; outside members,
 * whose `resident_id` is `NULL`, are never equal to one another, on every dialect); index
 * `(community_id, status, id)` for the status filter.
 */
export interface MutualAidVolunteersTable {
  readonly community_id: string
  readonly id: string
  /** Starts at 1; replaced only where the stored version is the previous one. */
  readonly version: Int64
  /** `active` or `paused`. */
  readonly status: string
  /** The resident this volunteer is, `NULL` for an outside member. */
  readonly resident_id: string | null
  /** The whole volunteer, the JSON of `Schema.encode(Volunteer)`. The source of truth on reads. */
  readonly data: string
  readonly created_at: Int64
}

/**
 * `mutual_aid_volunteer_skills`: the distinct skills of each volunteer, one row each (the `skill`
 * filter). Primary key `(community_id, skill, volunteer_id)`, which is the filter's order; index
 * `(community_id, volunteer_id)` to rewrite a volunteer's rows; deleted with their volunteer.
 */
export interface MutualAidVolunteerSkillsTable {
  readonly community_id: string
  readonly skill: string
  readonly volunteer_id: string
}

/**
 * `mutual_aid_volunteer_roles`: the distinct team roles of each volunteer, one row each (the
 * `role` filter). Primary key `(community_id, role, volunteer_id)`; index `(community_id,
 * volunteer_id)`; deleted with their volunteer.
 */
export interface MutualAidVolunteerRolesTable {
  readonly community_id: string
  readonly role: string
  readonly volunteer_id: string
}

/**
 * `mutual_aid_requests`: help requests. Primary key `(community_id, id)`; indexes
 * `(community_id, status, id)`, `(community_id, requester_id, id)`, `(community_id, category,
 * id)` and `(community_id, created_at)` for the filters.
 */
export interface MutualAidRequestsTable {
  readonly community_id: string
  readonly id: string
  readonly version: Int64
  readonly status: string
  readonly requester_id: string
  readonly category: string
  readonly created_at: Int64
  /** The whole request, the JSON of `Schema.encode(HelpRequest)`. */
  readonly data: string
}

/**
 * `mutual_aid_request_volunteers`: the volunteers of each request (offered or holding a place,
 * or with a service record), one row per distinct volunteer, kept up to date with every write of
 * the request (the `volunteerId` filter of `listRequests`). Primary key `(community_id,
 * volunteer_id, request_id)`, which is the filter's order; index `(community_id, request_id)` to
 * rewrite a request's rows; deleted with their request.
 */
export interface MutualAidRequestVolunteersTable {
  readonly community_id: string
  readonly request_id: string
  readonly volunteer_id: string
}

/** `mutual_aid_plans`: care plans. Primary key `(community_id, id)`. */
export interface MutualAidPlansTable {
  readonly community_id: string
  readonly id: string
  readonly version: Int64
  readonly status: string
  readonly resident_id: string
  /** The whole plan, the JSON of `Schema.encode(CarePlan)`. */
  readonly data: string
}

/**
 * `mutual_aid_visits`: the visits of care plans, upserted by their key. Primary key
 * `(community_id, plan_id, due_start)`, which is the list's order.
 */
export interface MutualAidVisitsTable {
  readonly community_id: string
  readonly plan_id: string
  readonly due_start: Int64
  /** The whole visit, the JSON of `Schema.encode(Visit)`. */
  readonly data: string
}

/**
 * `mutual_aid_walking`: walking distances between two buildings of a community, the pair stored
 * once in code-unit order (`building_a < building_b`, as `Matching.walkingKey` orders it).
 * Primary key `(community_id, building_a, building_b)`.
 */
export interface MutualAidWalkingTable {
  readonly community_id: string
  readonly building_a: string
  readonly building_b: string
  /** Metres (`double precision`: whatever number was given reads back unchanged). */
  readonly metres: ColumnType<number | string, number, number>
}

/** Mutual aid's tables, for `Kysely<MutualAidDatabase>`. */
export interface MutualAidDatabase {
  readonly mutual_aid_volunteers: MutualAidVolunteersTable
  readonly mutual_aid_volunteer_skills: MutualAidVolunteerSkillsTable
  readonly mutual_aid_volunteer_roles: MutualAidVolunteerRolesTable
  readonly mutual_aid_requests: MutualAidRequestsTable
  readonly mutual_aid_request_volunteers: MutualAidRequestVolunteersTable
  readonly mutual_aid_plans: MutualAidPlansTable
  readonly mutual_aid_visits: MutualAidVisitsTable
  readonly mutual_aid_walking: MutualAidWalkingTable
}
