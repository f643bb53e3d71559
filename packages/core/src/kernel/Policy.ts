/**
 * Permissions, declared by each domain, and the checks services make with them.
 *
 * A domain declares its permissions in its own folder with {@link permissions}: each one is a
 * value that carries its name (`domain:action`) and the roles that hold it. Services check an
 * actor against those values with {@link can}, {@link authorize} and {@link authorizeAny}; no
 * central list of permissions exists, so adding a domain edits no kernel file. The role map of
 * the whole installation ({@link rolePermissions}, for documentation and admin screens) is
 * composed from the domains' declarations with {@link composePolicy}.
 *
 * Tenancy is part of the check: an actor of one community asking for a record of another gets
 * `NotFound`, exactly as if the record did not exist, so ids of other communities leak nothing.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { CurrentActor, authorize, permissions } from "@commonweal/core"
 *
 * // in the domain's own folder
 * export const LibraryPermissions = permissions("library", {
 *   lend: ["admin", "staff"],
 *   read: ["admin", "staff", "volunteer", "resident"]
 * })
 *
 * const lend = Effect.gen(function* () {
 *   const actor = yield* CurrentActor
 *   yield* authorize(actor, LibraryPermissions.lend) // Forbidden for a resident
 * })
 * ```
 *
 * @module
 */
import { Effect } from "effect"
import { type Actor, Role } from "./Actor.js"
import { Forbidden, NotFound } from "./Errors.js"
import type { CommunityId } from "./Ids.js"

/** A permission: its name, `domain:action`, and the roles that hold it. */
export interface Permission<Name extends string = string> {
  /** `domain:action`, e.g. `residents:register`: what a `Forbidden` names. */
  readonly name: Name
  /** The roles that hold it. */
  readonly roles: ReadonlyArray<Role>
}

/** The permissions of one domain, by action, as {@link permissions} returns them. */
export type PermissionSet<Domain extends string, Actions extends string> = {
  readonly [A in Actions]: Permission<`${Domain}:${A}`>
}

/**
 * Declares the permissions of a domain: for each action, the roles that hold it. Returns one
 * {@link Permission} per action, named `domain:action`.
 *
 * @example
 * ```ts
 * import { permissions } from "@commonweal/core"
 *
 * export const ResidentPermissions = permissions("residents", {
 *   register: ["admin", "staff", "grid_worker"],
 *   "read:own": ["volunteer", "resident"]
 * })
 * ResidentPermissions.register.name // "residents:register"
 * ```
 */
export const permissions = <const Domain extends string, const Spec extends Record<string, ReadonlyArray<Role>>>(
  domain: Domain,
  spec: Spec
): PermissionSet<Domain, Extract<keyof Spec, string>> => {
  const out: Record<string, Permission> = {}
  for (const [action, roles] of Object.entries(spec)) {
    out[action] = Object.freeze({ name: `${domain}:${action}`, roles: Object.freeze([...roles]) })
  }
  return Object.freeze(out) as PermissionSet<Domain, Extract<keyof Spec, string>>
}

/**
 * The role map of the domains given: for each role, the names of the permissions it holds, in
 * the order declared. Pure; for documentation, admin screens and tests of a policy.
 */
export const composePolicy = (
  sets: ReadonlyArray<Readonly<Record<string, Permission>>>
): Readonly<Record<Role, ReadonlyArray<string>>> => {
  const map = Object.fromEntries(Role.literals.map((role) => [role, [] as Array<string>])) as Record<
    Role,
    Array<string>
  >
  for (const set of sets) {
    for (const permission of Object.values(set)) {
      for (const role of permission.roles) if (!map[role].includes(permission.name)) map[role].push(permission.name)
    }
  }
  return map
}

/** Whether any of the actor's roles holds the permission. Pure. */
export const can = (actor: Actor, permission: Permission): boolean =>
  actor.roles.some((role) => permission.roles.includes(role))

/**
 * Fails with `Forbidden` unless the actor holds the permission.
 * When `target` is given and its community is not the actor's, fails with `NotFound` for
 * `entity`/`id` instead: other communities' records do not exist for this actor.
 */
export function authorize(actor: Actor, permission: Permission): Effect.Effect<void, Forbidden>
export function authorize(
  actor: Actor,
  permission: Permission,
  target: { readonly communityId: CommunityId; readonly entity: string; readonly id: string } | undefined
): Effect.Effect<void, Forbidden | NotFound>
export function authorize(
  actor: Actor,
  permission: Permission,
  target?: { readonly communityId: CommunityId; readonly entity: string; readonly id: string }
): Effect.Effect<void, Forbidden | NotFound> {
  if (target && target.communityId !== actor.communityId) return Effect.fail(NotFound.of(target.entity, target.id))
  return can(actor, permission) ? Effect.void : Effect.fail(Forbidden.of(permission.name))
}

/** Fails with `Forbidden` unless the actor holds at least one of the permissions. */
export const authorizeAny = (actor: Actor, permissions: ReadonlyArray<Permission>): Effect.Effect<void, Forbidden> =>
  permissions.some((p) => can(actor, p))
    ? Effect.void
    : Effect.fail(Forbidden.of(permissions.map((p) => p.name).join(" | ")))
