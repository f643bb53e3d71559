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
import { type Actor, CoreRole, type Role } from "./Actor.js"
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

/** A role a domain declares, with what it is for (English / 中文), for documentation and admin screens. */
export interface RoleDeclaration<Name extends string = string> {
  /** The role's name, as actors carry it. */
  readonly name: Name
  /** The domain that declared it (`kernel` for the {@link CoreRole}s). */
  readonly domain: string
  /** What the role is for, English / 中文. */
  readonly description: string
}

/**
 * Declares the roles a domain adds to the kernel's ({@link CoreRole}): for each, what it is for.
 * Register the result in `domainRoles` (core's `domains.ts`).
 *
 * @example
 * ```ts
 * import { declareRoles, permissions } from "@commonweal/core"
 *
 * export const LibraryRoles = declareRoles("library", { librarian: "lends books / 图书管理员" })
 * export const LibraryPermissions = permissions("library", { lend: [LibraryRoles.librarian.name, "staff"] })
 * ```
 */
export const declareRoles = <const Domain extends string, const Spec extends Record<string, string>>(
  domain: Domain,
  spec: Spec
): { readonly [R in Extract<keyof Spec, string>]: RoleDeclaration<R> } => {
  const out: Record<string, RoleDeclaration> = {}
  for (const [name, description] of Object.entries(spec)) out[name] = Object.freeze({ name, domain, description })
  return Object.freeze(out) as { readonly [R in Extract<keyof Spec, string>]: RoleDeclaration<R> }
}

/** The kernel's roles, declared. */
export const CoreRoles = declareRoles("kernel", {
  admin: "runs the installation and manages its community / 系统管理员",
  staff: "social workers and centre staff / 社工、中心工作人员",
  grid_worker: "registers and updates the community's residents / 网格员",
  volunteer: "volunteers and community talents / 志愿者、社区达人",
  resident: "a resident or guardian acting for themself and their wards / 居民（或监护人）"
})

/**
 * The role map of the domains given: for each role, the names of the permissions it holds, in
 * the order declared. Lists every kernel role and every role in `roles` (empty when it holds
 * nothing), and any other role a permission names. Pure; for documentation, admin screens and
 * tests of a policy.
 */
export const composePolicy = (
  sets: ReadonlyArray<Readonly<Record<string, Permission>>>,
  roles: ReadonlyArray<RoleDeclaration> = []
): Readonly<Record<Role, ReadonlyArray<string>>> => {
  const map: Record<string, Array<string>> = {}
  for (const role of [...CoreRole.literals, ...roles.map((r) => r.name)]) map[role] ??= []
  for (const set of sets) {
    for (const permission of Object.values(set)) {
      for (const role of permission.roles) {
        const held = map[role] ?? []
        map[role] = held
        if (!held.includes(permission.name)) held.push(permission.name)
      }
    }
  }
  return map as Record<Role, ReadonlyArray<string>>
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
