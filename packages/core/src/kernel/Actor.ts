/**
 * Who is acting: the `Actor`, the `CurrentActor` service, and the policy helper.
 *
 * Every command and query runs as an actor: a subject (a staff account, a volunteer, a
 * resident), the community it belongs to, and its roles. Services read the actor from
 * `CurrentActor` and check it with {@link authorize} before touching data; the transport only
 * turns a credential into an actor.
 *
 * Tenancy is part of the check: an actor of one community asking for a record of another gets
 * `NotFound`, exactly as if the record did not exist, so ids of other communities leak nothing.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { CurrentActor, authorize } from "@commonweal/core"
 *
 * const program = Effect.gen(function* () {
 *   const actor = yield* CurrentActor
 *   yield* authorize(actor, "residents:register")
 * })
 * ```
 *
 * @module
 */
import { Context, Effect, Schema } from "effect"
import { Forbidden, NotFound } from "./Errors.js"
import { CommunityId, ResidentId } from "./Ids.js"
import * as Text from "./Text.js"

/**
 * The roles an actor can hold.
 *
 * - `admin`: runs the installation; may act in its own community like staff and manage the community itself.
 * - `staff`: social workers and centre staff (社工、中心工作人员): the full registry.
 * - `grid_worker`: 网格员, registers and updates residents of the community.
 * - `volunteer`: volunteers and community talents: a reduced view, for matching.
 * - `resident`: a resident (or guardian) acting for themself and their wards.
 */
export const Role = Schema.Literals(["admin", "staff", "grid_worker", "volunteer", "resident"])
/** The roles an actor can hold. */
export type Role = typeof Role.Type

/** An authenticated subject acting in one community. */
export const Actor = Schema.Struct({
  /** Stable subject id of the account (a staff account name, or the resident id). */
  subject: Text.trimmedLine(200),
  /** The community the actor acts in. */
  communityId: CommunityId,
  /** The roles held in that community. */
  roles: Schema.Array(Role),
  /** The resident record this actor is, when the actor is a resident (or a volunteer who is one). */
  residentId: Schema.optional(ResidentId)
})
/** An authenticated subject acting in one community. */
export type Actor = typeof Actor.Type

/** The actor of the current command or query. Transports provide it per request. */
export class CurrentActor extends Context.Service<CurrentActor, Actor>()("@commonweal/core/CurrentActor") {}

/**
 * The permissions services check. Named `domain:action`.
 */
export type Permission =
  | "communities:create"
  | "communities:read"
  | "residents:register"
  | "residents:update"
  | "residents:consent"
  | "residents:link"
  | "residents:deactivate"
  | "residents:erase"
  | "residents:read:full"
  | "residents:read:reduced"
  | "residents:read:own"
  | "events:read"

/** The default policy: which role grants which permission. */
export const rolePermissions: Readonly<Record<Role, ReadonlyArray<Permission>>> = {
  admin: [
    "communities:create",
    "communities:read",
    "residents:register",
    "residents:update",
    "residents:consent",
    "residents:link",
    "residents:deactivate",
    "residents:erase",
    "residents:read:full",
    "events:read"
  ],
  staff: [
    "communities:read",
    "residents:register",
    "residents:update",
    "residents:consent",
    "residents:link",
    "residents:deactivate",
    "residents:erase",
    "residents:read:full",
    "events:read"
  ],
  grid_worker: [
    "communities:read",
    "residents:register",
    "residents:update",
    "residents:consent",
    "residents:link",
    "residents:read:full"
  ],
  volunteer: ["communities:read", "residents:read:reduced", "residents:read:own"],
  resident: ["communities:read", "residents:read:own"]
}

/** Whether any of the actor's roles grants the permission. Pure. */
export const can = (actor: Actor, permission: Permission): boolean =>
  actor.roles.some((role) => rolePermissions[role].includes(permission))

/**
 * Fails with `Forbidden` unless the actor holds the permission.
 * When `communityId` is given and is not the actor's, fails with `NotFound` for `entity`/`id`
 * instead: other communities' records do not exist for this actor.
 */
export const authorize = (
  actor: Actor,
  permission: Permission,
  target?: { readonly communityId: CommunityId; readonly entity: string; readonly id: string }
): Effect.Effect<void, Forbidden | NotFound> => {
  if (target && target.communityId !== actor.communityId) return Effect.fail(NotFound.of(target.entity, target.id))
  return can(actor, permission) ? Effect.void : Effect.fail(Forbidden.of(permission))
}

/** Fails with `Forbidden` unless the actor holds at least one of the permissions. */
export const authorizeAny = (actor: Actor, permissions: ReadonlyArray<Permission>): Effect.Effect<void, Forbidden> =>
  permissions.some((p) => can(actor, p)) ? Effect.void : Effect.fail(Forbidden.of(permissions.join(" | ")))

/** The actor for seeding and maintenance jobs: admin of one community. */
export const systemActor = (communityId: CommunityId): Actor => ({
  subject: "system",
  communityId,
  roles: ["admin"]
})
