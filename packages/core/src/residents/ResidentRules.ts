/**
 * The pure rules of the resident registry: state transitions, consent, erasure, projections.
 *
 * Nothing here does I/O or reads the clock: the service passes `now` and the community in.
 * Each transition returns the new resident (with `version + 1`) or a typed error, so rules can
 * be tested, and property-tested, without any storage.
 *
 * @module
 */
import { DateTime, Result } from "effect"
import type { Actor } from "../kernel/Actor.js"
import { can } from "../kernel/Policy.js"
import { ResidentPermissions } from "./permissions.js"
import type { Community } from "../communities/Community.js"
import { InvalidInput, InvalidTransition } from "../kernel/Errors.js"
import type { CommunityId, HouseholdId, ResidentId } from "../kernel/Ids.js"
import type {
  ConsentPurpose,
  ConsentRecord,
  RecordConsentInput,
  RegisterResidentInput,
  ResidentPatch,
  ResidentReducedView,
  ResidentView
} from "./Resident.js"
import { AGE_OF_CONSENT, maskPhone, Resident } from "./Resident.js"

/** The calendar year of `now` in the community's time zone. */
export const currentYear = (now: DateTime.Utc, community: Community): number =>
  DateTime.getPart(DateTime.makeZonedUnsafe(now, { timeZone: community.timeZone }), "year")

/** Age reached this year: `year - birthYear` (the registry keeps birth years, not dates). */
export const ageIn = (birthYear: number, year: number): number => year - birthYear

/** Whether a consent for `purpose` is in force (granted and not withdrawn). */
export const hasConsent = (resident: Resident, purpose: ConsentPurpose): boolean =>
  resident.consents.some((c) => c.purpose === purpose && c.withdrawnAt === null)

const checkBirthYear = (birthYear: number | null | undefined, year: number): Result.Result<void, InvalidInput> =>
  birthYear !== null && birthYear !== undefined && birthYear > year
    ? Result.fail(InvalidInput.of("birthYear", `must not be in the future (now ${year}) / 出生年份不能晚于今年`))
    : Result.succeed(undefined)

const checkGrid = (grid: string | null | undefined, community: Community): Result.Result<void, InvalidInput> =>
  grid !== null && grid !== undefined && !community.grids.some((g) => g.code === grid)
    ? Result.fail(
        InvalidInput.of(
          "grid",
          `is not a grid of ${community.name}: use one of ${community.grids.map((g) => g.code).join(", ") || "(none)"} / 网格不存在`
        )
      )
    : Result.succeed(undefined)

const checkHealthConsent = (health: unknown, consentInForce: boolean): Result.Result<void, InvalidInput> =>
  health !== null && health !== undefined && !consentInForce
    ? Result.fail(
        InvalidInput.of(
          "health",
          "needs a health_data consent in force first (PIPL sensitive data) / 健康信息须先取得单独同意"
        )
      )
    : Result.succeed(undefined)

/**
 * Whether a resident needs a guardian to consent: younger than {@link AGE_OF_CONSENT} this year,
 * or tagged `child` with no birth year known.
 */
export const needsGuardianConsent = (
  resident: { readonly birthYear?: number | null | undefined; readonly tags: ReadonlyArray<string> },
  year: number
): boolean =>
  resident.birthYear !== null && resident.birthYear !== undefined
    ? ageIn(resident.birthYear, year) < AGE_OF_CONSENT
    : resident.tags.includes("child")

const dedupe = <A>(items: ReadonlyArray<A>): ReadonlyArray<A> => [...new Set(items)]

/** Everything a transition needs from outside: the time and the community. */
export interface Context {
  readonly now: DateTime.Utc
  readonly community: Community
  /** The subject recording the change. */
  readonly actor: Actor
}

const consentRecord = (input: RecordConsentInput, ctx: Context): ConsentRecord => ({
  purpose: input.purpose,
  grantedAt: ctx.now,
  grantedBy: input.grantedBy,
  recordedBy: ctx.actor.subject,
  withdrawnAt: null
})

/**
 * Builds a new resident (version 1) from a validated registration input. Fails with
 * `InvalidInput` for a future birth year, an unknown grid, health data without a health consent,
 * or a guardian consent at registration (there is no guardian link yet).
 */
export const register = (
  id: ResidentId,
  input: RegisterResidentInput,
  ctx: Context
): Result.Result<Resident, InvalidInput> =>
  Result.gen(function* () {
    yield* checkBirthYear(input.birthYear, currentYear(ctx.now, ctx.community))
    yield* checkGrid(input.grid, ctx.community)
    const guardianConsent = input.consents.findIndex((c) => c.grantedBy._tag === "Guardian")
    if (guardianConsent >= 0) {
      return yield* Result.fail(
        InvalidInput.of(
          `consents.${guardianConsent}.grantedBy`,
          "a guardian consent needs a linked guardian: register, link the guardian, then record it / 须先关联监护人"
        )
      )
    }
    if (input.consents.length > 0 && needsGuardianConsent(input, currentYear(ctx.now, ctx.community))) {
      return yield* Result.fail(
        InvalidInput.of(
          "consents",
          `a resident under ${AGE_OF_CONSENT} cannot consent themself: link a guardian, who then consents / 未满 ${AGE_OF_CONSENT} 周岁须由监护人同意`
        )
      )
    }
    const consents = input.consents.map((c) => consentRecord(c, ctx))
    yield* checkHealthConsent(
      input.health,
      consents.some((c) => c.purpose === "health_data")
    )
    return new Resident({
      id,
      communityId: ctx.community.id,
      version: 1,
      status: "active",
      displayName: input.displayName,
      grid: input.grid ?? null,
      householdId: null,
      birthYear: input.birthYear ?? null,
      tags: dedupe(input.tags),
      homePlace: input.homePlace ?? null,
      languages: input.languages,
      skills: dedupe(input.skills),
      availability: input.availability,
      location: input.location ?? null,
      phone: input.phone ?? null,
      guardianIds: [],
      consents,
      health: input.health ?? null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      deactivatedAt: null,
      erasedAt: null
    })
  })

const touch = (resident: Resident, ctx: Context, changes: Partial<Resident>): Resident =>
  new Resident({ ...resident, ...changes, version: resident.version + 1, updatedAt: ctx.now })

const requireNotErased = (resident: Resident, action: string): Result.Result<void, InvalidTransition> =>
  resident.status === "erased"
    ? Result.fail(InvalidTransition.of("Resident", "erased", action))
    : Result.succeed(undefined)

/** The patch fields a resident (or guardian) may change on their own record without staff. */
export const selfServiceFields: ReadonlyArray<keyof ResidentPatch> = [
  "phone",
  "availability",
  "languages",
  "skills",
  "location"
]

/** The names of the fields a patch sets (present keys). */
export const patchedFields = (patch: ResidentPatch): ReadonlyArray<keyof ResidentPatch> =>
  (Object.keys(patch) as Array<keyof ResidentPatch>).filter((k) => patch[k] !== undefined)

/**
 * Applies a patch. Fails with `InvalidTransition` on an erased resident, and with
 * `InvalidInput` as `register` does. An empty patch is `InvalidInput` (nothing to change).
 */
export const update = (
  resident: Resident,
  patch: ResidentPatch,
  ctx: Context
): Result.Result<Resident, InvalidInput | InvalidTransition> =>
  Result.gen(function* () {
    yield* requireNotErased(resident, "update")
    const fields = patchedFields(patch)
    if (fields.length === 0) return yield* Result.fail(InvalidInput.of("patch", "changes nothing / 没有要修改的内容"))
    yield* checkBirthYear(patch.birthYear, currentYear(ctx.now, ctx.community))
    yield* checkGrid(patch.grid, ctx.community)
    yield* checkHealthConsent(patch.health, hasConsent(resident, "health_data"))
    const changes: { -readonly [K in keyof Resident]?: Resident[K] } = {}
    if (patch.displayName !== undefined) changes.displayName = patch.displayName
    if (patch.grid !== undefined) changes.grid = patch.grid
    if (patch.birthYear !== undefined) changes.birthYear = patch.birthYear
    if (patch.tags !== undefined) changes.tags = dedupe(patch.tags)
    if (patch.homePlace !== undefined) changes.homePlace = patch.homePlace
    if (patch.languages !== undefined) changes.languages = patch.languages
    if (patch.skills !== undefined) changes.skills = dedupe(patch.skills)
    if (patch.availability !== undefined) changes.availability = patch.availability
    if (patch.location !== undefined) changes.location = patch.location
    if (patch.phone !== undefined) changes.phone = patch.phone
    if (patch.health !== undefined) changes.health = patch.health
    return touch(resident, ctx, changes)
  })

/**
 * Records a consent. A guardian consent must name one of the resident's guardians, who must be
 * given (`guardian`, as loaded) and active. A resident under {@link AGE_OF_CONSENT} cannot
 * consent themself. Granting a purpose already in force is `InvalidInput` (nothing would change).
 */
export const recordConsent = (
  resident: Resident,
  input: RecordConsentInput,
  ctx: Context,
  guardian?: Resident
): Result.Result<Resident, InvalidInput | InvalidTransition> =>
  Result.gen(function* () {
    yield* requireNotErased(resident, "record a consent for")
    if (input.grantedBy._tag === "Guardian") {
      const guardianId = input.grantedBy.guardianId
      if (!resident.guardianIds.includes(guardianId) || guardian === undefined || guardian.id !== guardianId) {
        return yield* Result.fail(
          InvalidInput.of("grantedBy.guardianId", "is not a guardian of this resident / 不是该居民的监护人")
        )
      }
      if (guardian.status !== "active") {
        return yield* Result.fail(
          InvalidInput.of("grantedBy.guardianId", "is not an active resident / 监护人不是在册居民")
        )
      }
    } else if (needsGuardianConsent(resident, currentYear(ctx.now, ctx.community))) {
      return yield* Result.fail(
        InvalidInput.of(
          "grantedBy",
          `a resident under ${AGE_OF_CONSENT} needs a guardian's consent / 未满 ${AGE_OF_CONSENT} 周岁须由监护人同意`
        )
      )
    }
    if (hasConsent(resident, input.purpose)) {
      return yield* Result.fail(
        InvalidInput.of("purpose", `${input.purpose} consent is already in force / 该同意已生效`)
      )
    }
    return touch(resident, ctx, { consents: [...resident.consents, consentRecord(input, ctx)] })
  })

/**
 * Withdraws the consent in force for `purpose`. Withdrawing `health_data` also deletes the
 * health information: it may not be kept without consent.
 */
export const withdrawConsent = (
  resident: Resident,
  purpose: ConsentPurpose,
  ctx: Context
): Result.Result<Resident, InvalidInput | InvalidTransition> =>
  Result.gen(function* () {
    yield* requireNotErased(resident, "withdraw a consent of")
    if (!hasConsent(resident, purpose)) {
      return yield* Result.fail(InvalidInput.of("purpose", `no ${purpose} consent is in force / 没有生效中的该项同意`))
    }
    const consents = resident.consents.map((c) =>
      c.purpose === purpose && c.withdrawnAt === null ? { ...c, withdrawnAt: ctx.now } : c
    )
    return touch(resident, ctx, { consents, ...(purpose === "health_data" ? { health: null } : {}) })
  })

/** Puts the resident in a household. */
export const joinHousehold = (
  resident: Resident,
  householdId: HouseholdId,
  ctx: Context
): Result.Result<Resident, InvalidTransition> =>
  Result.map(requireNotErased(resident, "link a household of"), () => touch(resident, ctx, { householdId }))

/**
 * Links `guardian` as a guardian of `ward`. Both must be active residents of the same community;
 * a resident cannot be their own guardian, nor the guardian of their own guardian; the guardian
 * must be an adult (18 or older this year) when their birth year is known. Linking twice is
 * `InvalidInput`.
 */
export const linkGuardian = (
  ward: Resident,
  guardian: Resident,
  ctx: Context
): Result.Result<Resident, InvalidInput | InvalidTransition> =>
  Result.gen(function* () {
    yield* requireNotErased(ward, "link a guardian to")
    if (guardian.status !== "active") {
      return yield* Result.fail(InvalidInput.of("guardianId", "must be an active resident / 监护人须为在册居民"))
    }
    if (ward.id === guardian.id) {
      return yield* Result.fail(InvalidInput.of("guardianId", "cannot be the resident themself / 不能是本人"))
    }
    if (guardian.guardianIds.includes(ward.id)) {
      return yield* Result.fail(InvalidInput.of("guardianId", "is this resident's ward / 不能互为监护人"))
    }
    if (guardian.birthYear !== null && ageIn(guardian.birthYear, currentYear(ctx.now, ctx.community)) < 18) {
      return yield* Result.fail(InvalidInput.of("guardianId", "must be an adult / 监护人须已成年"))
    }
    if (ward.guardianIds.includes(guardian.id)) {
      return yield* Result.fail(InvalidInput.of("guardianId", "is already linked / 已是该居民的监护人"))
    }
    return touch(ward, ctx, { guardianIds: [...ward.guardianIds, guardian.id] })
  })

/** The purposes of the consents in force that `guardianId` gave for the resident, in the order given. */
export const consentsInForceGivenBy = (resident: Resident, guardianId: ResidentId): ReadonlyArray<ConsentPurpose> =>
  resident.consents
    .filter((c) => c.withdrawnAt === null && c.grantedBy._tag === "Guardian" && c.grantedBy.guardianId === guardianId)
    .map((c) => c.purpose)

/**
 * One change made by {@link unlinkGuardian}: the ward after it, and what it was. Each change is
 * one version of the ward and one event (`GuardianUnlinked`, `ConsentWithdrawn`).
 */
export type GuardianRemoval =
  | { readonly _tag: "Unlinked"; readonly resident: Resident; readonly guardianId: ResidentId }
  | { readonly _tag: "ConsentWithdrawn"; readonly resident: Resident; readonly purpose: ConsentPurpose }

/**
 * Removes a guardian link, and with it the guardian's authority over the ward's consents.
 *
 * **Rule**: a consent given by a guardian lasts only as long as that person is the ward's
 * guardian. When the link is removed (by staff, or because the guardian's record is erased),
 * every consent in force that this guardian gave for the ward is withdrawn, as
 * {@link withdrawConsent} withdraws it (a `health_data` withdrawal deletes the health
 * information). Consents the ward gave themself, or another guardian still linked gave, stay.
 * Whoever now speaks for the ward (the ward, or another guardian) consents again if they agree.
 * The records of the withdrawn consents stay, as evidence.
 *
 * Returns the changes in order, the link removal first, then one per withdrawn consent; the
 * service saves each with its event, in one transaction. The last change's `resident` is the
 * ward's final state. Fails with `InvalidTransition` on an erased ward and `InvalidInput` when
 * `guardianId` is not a guardian of the ward.
 */
export const unlinkGuardian = (
  ward: Resident,
  guardianId: ResidentId,
  ctx: Context
): Result.Result<readonly [GuardianRemoval, ...Array<GuardianRemoval>], InvalidInput | InvalidTransition> =>
  Result.gen(function* () {
    yield* requireNotErased(ward, "unlink a guardian of")
    if (!ward.guardianIds.includes(guardianId)) {
      return yield* Result.fail(
        InvalidInput.of("guardianId", "is not a guardian of this resident / 不是该居民的监护人")
      )
    }
    const unlinked = touch(ward, ctx, { guardianIds: ward.guardianIds.filter((g) => g !== guardianId) })
    const changes: [GuardianRemoval, ...Array<GuardianRemoval>] = [{ _tag: "Unlinked", resident: unlinked, guardianId }]
    let current = unlinked
    for (const purpose of consentsInForceGivenBy(ward, guardianId)) {
      current = yield* withdrawConsent(current, purpose, ctx)
      changes.push({ _tag: "ConsentWithdrawn", resident: current, purpose })
    }
    return changes
  })

/** Deactivates an active resident (moved away, passed away): kept, but not listed by default. */
export const deactivate = (resident: Resident, ctx: Context): Result.Result<Resident, InvalidTransition> =>
  resident.status === "active"
    ? Result.succeed(touch(resident, ctx, { status: "inactive", deactivatedAt: ctx.now }))
    : Result.fail(InvalidTransition.of("Resident", resident.status, "deactivate"))

/** Makes an inactive resident active again. */
export const reactivate = (resident: Resident, ctx: Context): Result.Result<Resident, InvalidTransition> =>
  resident.status === "inactive"
    ? Result.succeed(touch(resident, ctx, { status: "active", deactivatedAt: null }))
    : Result.fail(InvalidTransition.of("Resident", resident.status, "reactivate"))

/** The name an erased resident is shown with. */
export const ERASED_NAME = "已注销居民 (erased)"

/**
 * Erases the resident's personal data (PIPL right to deletion): every personal field becomes
 * `null` or empty, the name becomes {@link ERASED_NAME}, consents are withdrawn (their
 * purposes and times are kept as evidence). The id, community and timestamps stay, so other
 * records that point at the resident (ledger entries, events) remain consistent. Final.
 */
export const erase = (resident: Resident, ctx: Context): Result.Result<Resident, InvalidTransition> =>
  Result.map(requireNotErased(resident, "erase"), () =>
    touch(resident, ctx, {
      status: "erased",
      displayName: ERASED_NAME,
      grid: null,
      householdId: null,
      birthYear: null,
      tags: [],
      homePlace: null,
      languages: [],
      skills: [],
      availability: [],
      location: null,
      phone: null,
      guardianIds: [],
      consents: resident.consents.map((c) => ({
        ...c,
        grantedBy: c.grantedBy._tag === "Guardian" ? { _tag: "Self" as const } : c.grantedBy,
        withdrawnAt: c.withdrawnAt ?? ctx.now
      })),
      health: null,
      erasedAt: ctx.now
    })
  )

/** A ten-year age band: `70-79`. */
export const ageBand = (birthYear: number | null, year: number): string | null => {
  if (birthYear === null) return null
  const low = Math.floor(ageIn(birthYear, year) / 10) * 10
  return `${low}-${low + 9}`
}

/** Whether `actor` is the resident or one of their guardians. */
export const isSelfOrGuardian = (actor: Actor, resident: Resident): boolean =>
  actor.residentId !== undefined &&
  (actor.residentId === resident.id || resident.guardianIds.includes(actor.residentId))

/** How `actor` may see `resident`: fully, reduced, or not at all. Assumes the same community. */
export const visibility = (actor: Actor, resident: Resident): "full" | "reduced" | "none" => {
  if (can(actor, ResidentPermissions["read:full"])) return "full"
  if (isSelfOrGuardian(actor, resident) && resident.status !== "erased") return "full"
  if (can(actor, ResidentPermissions["read:reduced"]) && resident.status === "active") return "reduced"
  return "none"
}

/** The reduced view volunteers get: masked phone only with a contact-sharing consent. */
export const reduce = (resident: Resident, year: number): ResidentReducedView => ({
  _tag: "Reduced",
  id: resident.id,
  communityId: resident.communityId,
  status: resident.status,
  displayName: resident.displayName,
  grid: resident.grid,
  ageBand: ageBand(resident.birthYear, year),
  tags: resident.tags,
  homePlace: resident.homePlace,
  languages: resident.languages,
  skills: resident.skills,
  availability: resident.availability,
  building: resident.location?.building ?? null,
  maskedPhone: resident.phone !== null && hasConsent(resident, "contact_sharing") ? maskPhone(resident.phone) : null
})

/** Projects a resident for `actor`, or `undefined` when the actor may not see it. */
export const project = (actor: Actor, resident: Resident, year: number): ResidentView | undefined => {
  switch (visibility(actor, resident)) {
    case "full":
      return { _tag: "Full", ...resident }
    case "reduced":
      return reduce(resident, year)
    case "none":
      return undefined
  }
}

/** Whether the resident belongs to the community. */
export const inCommunity = (resident: Resident, communityId: CommunityId): boolean =>
  resident.communityId === communityId
