/**
 * Who is acting: the `Actor`, its roles and the `CurrentActor` service.
 *
 * Every command and query runs as an actor: a subject (a staff account, a volunteer, a
 * resident), the community it belongs to, and its roles. Services read the actor from
 * `CurrentActor` and check it against the permissions their domain declares (see `Policy`)
 * before touching data; the transport only turns a credential into an actor.
 *
 * @module
 */
import { Context, Schema } from "effect"
import { CommunityId, ResidentId } from "./Ids.js"
import * as Text from "./Text.js"

/**
 * The kernel's roles, which every installation has.
 *
 * - `admin`: runs the installation; may act in its own community like staff and manage the community itself.
 * - `staff`: social workers and centre staff (社工、中心工作人员): the full registry.
 * - `grid_worker`: 网格员, registers and updates residents of the community.
 * - `volunteer`: volunteers and community talents: a reduced view, for matching.
 * - `resident`: a resident (or guardian) acting for themself and their wards.
 *
 * A domain may declare more (the fund's `treasurer` and `approver`) with `declareRoles` in its
 * own folder; the kernel never lists them.
 */
export const CoreRole = Schema.Literals(["admin", "staff", "grid_worker", "volunteer", "resident"])
/** The kernel's roles. */
export type CoreRole = typeof CoreRole.Type

/**
 * The name of a role an actor can hold: one of the kernel's ({@link CoreRole}) or one a domain
 * declares (`declareRoles`). Lower-case letters, digits and `_`, 2 to 32 characters, starting
 * with a letter. The set is open so that a domain adds roles without editing the kernel; the
 * installation's declared roles are `domainRoles` (core's `domains.ts`), and its tests check that
 * every permission names only declared roles. An actor holding an undeclared role simply holds no
 * permission through it.
 */
export const Role = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9_]{1,31}$/u, {
    message: "must be a role name: lower-case letters, digits and '_' / 角色名须为小写字母、数字和下划线"
  })
)
/** The name of a role: a {@link CoreRole} (suggested by editors) or a domain's declared role. */
export type Role = CoreRole | (string & {})

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

/** The actor for seeding and maintenance jobs: admin of one community. */
export const systemActor = (communityId: CommunityId): Actor => ({
  subject: "system",
  communityId,
  roles: ["admin"]
})
