/**
 * The resident registry service: the commands and queries a social worker, a grid worker, a
 * volunteer or a resident uses.
 *
 * Every method runs as the {@link CurrentActor}: it checks the actor's authority and community,
 * validates its input (typed or not), calls a pure rule from `ResidentRules`, saves through the
 * {@link ResidentRepo} port and appends a domain event to the {@link Outbox}, all in one
 * transaction. It depends only on ports, `Clock` and `IdGenerator`; adapters provide the ports.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { CurrentActor, IdGenerator, Residents } from "@commonweal/core"
 * import { MemoryStore } from "@commonweal/store-memory"
 *
 * const program = Effect.gen(function* () {
 *   const residents = yield* Residents
 *   const zhou = yield* residents.register({ displayName: "周赛群", birthYear: 1935, tags: ["migrant_elderly"] })
 *   return zhou
 * }).pipe(Effect.provideService(CurrentActor, staffActor))
 *
 * Effect.runPromise(program.pipe(
 *   Effect.provide(Residents.layer.pipe(Layer.provide(Layer.merge(MemoryStore.layer, IdGenerator.Live))))
 * ))
 * ```
 *
 * @module
 */
import { Clock, Context, DateTime, Effect, Layer, Option, Result, Schema } from "effect"

import type { Community } from "../communities/Community.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import type { Actor } from "../kernel/Actor.js"
import { CurrentActor } from "../kernel/Actor.js"
import { makeAggregateCommands } from "../kernel/Command.js"
import type { InvalidTransition } from "../kernel/Errors.js"
import { Conflict, Forbidden, InvalidInput, NotFound } from "../kernel/Errors.js"
import { HouseholdId, IdGenerator, ResidentId } from "../kernel/Ids.js"
import type { Page, PageRequest } from "../kernel/Paging.js"
import * as Paging from "../kernel/Paging.js"
import type { Permission } from "../kernel/Policy.js"
import { authorize, authorizeAny, can } from "../kernel/Policy.js"
import { decodeInput, validateInput } from "../kernel/Validation.js"
import { ResidentPermissions as P } from "./permissions.js"
import type { ConsentPurpose, DeactivationReason, Resident, ResidentView } from "./Resident.js"
import {
  ConsentPurpose as ConsentPurposeSchema,
  DeactivationReason as DeactivationReasonSchema,
  RecordConsentInput,
  RegisterResidentInput,
  ResidentFilter,
  UpdateResidentInput
} from "./Resident.js"
import {
  ConsentRecorded,
  ConsentWithdrawn,
  GuardianLinked,
  GuardianUnlinked,
  HouseholdLinked,
  ResidentDeactivated,
  ResidentErased,
  ResidentEvent,
  ResidentReactivated,
  ResidentRegistered,
  ResidentUpdated
} from "./ResidentEvent.js"
import type { ResidentQuery } from "./ResidentRepo.js"
import { ResidentRepo } from "./ResidentRepo.js"
import * as Rules from "./ResidentRules.js"

/**
 * Inputs are taken in their encoded (plain JSON) form and decoded here, so a program, a
 * transport and an import all go through the same validation: optional lists may be left out,
 * ids are plain strings, and anything malformed is `InvalidInput` naming the field.
 */
export type RegisterResidentRequest = typeof RegisterResidentInput.Encoded

/** The errors a resident command can fail with. */
export type ResidentCommandError = NotFound | Forbidden | InvalidInput | Conflict | InvalidTransition

const ENTITY = "Resident"

const isResidentId = Schema.is(ResidentId)

/**
 * The full view of each resident record, made once: a store may hand out the same immutable
 * record for the same stored data, and then reads share one view object as well, which lets
 * a transport reuse what it derived from it (its encoding). Equal to a fresh spread.
 */
const fullViews = new WeakMap<Resident, ResidentView>()
const fullView = (resident: Resident): ResidentView => {
  let view = fullViews.get(resident)
  if (view === undefined) {
    view = { _tag: "Full" as const, ...resident }
    fullViews.set(resident, view)
  }
  return view
}

/**
 * The resident registry service. `Residents.layer` builds it from the storage ports
 * (`ResidentRepo`, `CommunityRepo`, `Outbox`, `Transactor`) and `IdGenerator`.
 */
export class Residents extends Context.Service<Residents>()("@commonweal/core/Residents", {
  make: Effect.gen(function* () {
    const repo = yield* ResidentRepo
    const communities = yield* CommunityRepo
    const ids = yield* IdGenerator
    // load, save with the event, lock and the command shape: the kernel's plumbing over this repo
    const kit = yield* makeAggregateCommands({ entity: ENTITY, events: ResidentEvent, repo, isId: isResidentId })
    const { load, save, lockAll, transaction } = kit

    const now = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.makeUnsafe(ms))

    const loadCommunity = (actor: Actor): Effect.Effect<Community, NotFound> =>
      Effect.flatMap(communities.findById(actor.communityId), (found) =>
        Option.match(found, {
          onNone: () => Effect.fail(NotFound.of("Community", actor.communityId)),
          onSome: Effect.succeed
        })
      )

    const context = (actor: Actor): Effect.Effect<Rules.Context, NotFound> =>
      Effect.all({ now, community: loadCommunity(actor) }).pipe(
        Effect.map(({ community, now }) => ({ now, community, actor }))
      )

    // a command's actor passed its authorization; should the projection still find nothing to
    // show, fail safe with the reduced view rather than the full record
    const view = (actor: Actor, community: Community, resident: Resident, at: DateTime.Utc): ResidentView => {
      const year = Rules.currentYear(at, community)
      return Rules.project(actor, resident, year) ?? Rules.reduce(resident, year)
    }

    /**
     * Saves the changes of a guardian removal in order, each with its event (`GuardianUnlinked`,
     * then `ConsentWithdrawn` per consent the guardian gave), and returns the ward's final state.
     */
    const saveGuardianRemoval = (
      actor: Actor,
      changes: readonly [Rules.GuardianRemoval, ...Array<Rules.GuardianRemoval>]
    ) =>
      Effect.gen(function* () {
        for (const change of changes) {
          yield* save(
            actor,
            change.resident,
            change._tag === "Unlinked"
              ? GuardianUnlinked.make({ residentId: change.resident.id, guardianId: change.guardianId })
              : ConsentWithdrawn.make({ residentId: change.resident.id, purpose: change.purpose })
          )
        }
        return changes[changes.length - 1]!.resident
      })

    /**
     * The common shape of a command on one existing resident (load it, check authority, apply a
     * pure transition, save with the event, project the result, all in one transaction).
     */
    const command = <E>(
      id: string,
      authorizeFor: (actor: Actor, resident: Resident) => Effect.Effect<void, Forbidden | NotFound | InvalidInput>,
      transition: (resident: Resident, ctx: Rules.Context) => Result.Result<Resident, E>,
      event: (resident: Resident) => ResidentEvent
    ) =>
      kit.run({
        id,
        context,
        authorize: authorizeFor,
        transition,
        event,
        view: (actor, next, ctx) => view(actor, ctx.community, next, ctx.now)
      })

    /**
     * Staff permission, or (when `selfService`) the resident themself or their guardian. An actor
     * who may not even see the resident gets `NotFound`, not `Forbidden`: nothing is revealed.
     */
    const staffOrSelf = (permission: Permission, selfService: boolean) => (actor: Actor, resident: Resident) =>
      can(actor, permission) || (selfService && Rules.isSelfOrGuardian(actor, resident))
        ? Effect.void
        : Rules.visibility(actor, resident) === "none"
          ? Effect.fail(NotFound.of(ENTITY, resident.id))
          : Effect.fail(Forbidden.of(permission.name))

    /** Staff permission only. */
    const staff = (permission: Permission) => staffOrSelf(permission, false)

    const validId = (id: string) =>
      validateInput(ResidentId)(id as ResidentId).pipe(
        Effect.mapError(() => InvalidInput.of("id", "must be a resident id (UUIDv7) / 居民编号格式无效"))
      )

    return {
      /**
       * Registers a resident in the actor's community. Needs `residents:register` (staff, grid
       * workers). With `id`, registering the same id again is `Conflict` (duplicate).
       */
      register: (
        input: typeof RegisterResidentInput.Encoded
      ): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.register)
          const valid = yield* decodeInput(RegisterResidentInput)(input)
          const ctx = yield* context(actor)
          const id = valid.id ?? ResidentId.make(yield* ids.next)
          const resident = yield* Effect.fromResult(Rules.register(id, valid, ctx))
          return yield* transaction(
            Effect.as(
              save(actor, resident, ResidentRegistered.make({ residentId: id }), { isNew: true }),
              view(actor, ctx.community, resident, ctx.now)
            )
          )
        }),

      /**
       * Changes fields of a resident. `expectedVersion` must be the version you read, else
       * `Conflict` (stale_version). Staff and grid workers may change everything; a resident (or
       * guardian) only the self-service fields (phone, availability, languages, skills, location).
       */
      update: (
        id: string,
        input: typeof UpdateResidentInput.Encoded
      ): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.gen(function* () {
          yield* validId(id)
          const valid = yield* decodeInput(UpdateResidentInput)(input)
          return yield* command(
            id,
            (actor, resident) =>
              Effect.gen(function* () {
                yield* staffOrSelf(P.update, true)(actor, resident)
                if (!can(actor, P.update)) {
                  const outside = Rules.patchedFields(valid.patch).filter((f) => !Rules.selfServiceFields.includes(f))
                  if (outside.length > 0)
                    return yield* Effect.fail(
                      Forbidden.of(P.update.name, `only staff may change ${outside.join(", ")}`)
                    )
                }
              }),
            (resident, ctx): Result.Result<Resident, InvalidInput | InvalidTransition | Conflict> =>
              resident.version !== valid.expectedVersion
                ? Result.fail(Conflict.stale(ENTITY, resident.id))
                : Rules.update(resident, valid.patch, ctx),
            (r) => ResidentUpdated.make({ residentId: r.id, fields: Rules.patchedFields(valid.patch) })
          )
        }),

      /**
       * Records a consent. Staff with `residents:consent` record any; a resident records their
       * own (`grantedBy: Self`), a guardian their ward's (`grantedBy: Guardian` naming themself).
       */
      recordConsent: (
        id: string,
        input: typeof RecordConsentInput.Encoded
      ): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.gen(function* () {
          yield* validId(id)
          const valid = yield* decodeInput(RecordConsentInput)(input)
          const actor = yield* CurrentActor
          const ctx = yield* context(actor)
          return yield* transaction(
            Effect.gen(function* () {
              const resident = yield* load(actor, id)
              yield* staffOrSelf(P.consent, true)(actor, resident)
              if (!can(actor, P.consent)) {
                const ok =
                  valid.grantedBy._tag === "Self"
                    ? actor.residentId === resident.id
                    : actor.residentId === valid.grantedBy.guardianId
                if (!ok)
                  return yield* Effect.fail(
                    Forbidden.of(P.consent.name, "a consent is given by the resident or their own guardian")
                  )
              }
              // the guardian is read inside the transaction and held, so that a concurrent erase
              // or deactivation of the guardian cannot slip in between
              const guardian =
                valid.grantedBy._tag === "Guardian"
                  ? yield* repo
                      .findById(actor.communityId, valid.grantedBy.guardianId)
                      .pipe(Effect.map(Option.getOrUndefined))
                  : undefined
              const next = yield* Effect.fromResult(Rules.recordConsent(resident, valid, ctx, guardian))
              if (guardian !== undefined) yield* repo.lock(actor.communityId, guardian.id, guardian.version)
              yield* save(
                actor,
                next,
                ConsentRecorded.make({
                  residentId: next.id,
                  purpose: valid.purpose,
                  byGuardian: valid.grantedBy._tag === "Guardian" ? valid.grantedBy.guardianId : null
                })
              )
              return view(actor, ctx.community, next, ctx.now)
            })
          )
        }),

      /** Withdraws a consent in force. Withdrawing `health_data` deletes the health information. */
      withdrawConsent: (
        id: string,
        purpose: ConsentPurpose
      ): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.gen(function* () {
          yield* validId(id)
          const valid = yield* validateInput(ConsentPurposeSchema)(purpose).pipe(
            Effect.mapError(() => InvalidInput.of("purpose", "unknown consent purpose / 未知的同意事项"))
          )
          return yield* command(
            id,
            staffOrSelf(P.consent, true),
            (resident, ctx) => Rules.withdrawConsent(resident, valid, ctx),
            (r) => ConsentWithdrawn.make({ residentId: r.id, purpose: valid })
          )
        }),

      /**
       * Puts resident `id` in the household of `withResidentId`; when that resident has none, a
       * new household is created for both.
       */
      linkHousehold: (
        id: string,
        withResidentId: string
      ): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.gen(function* () {
          yield* validId(id)
          yield* validId(withResidentId)
          if (id === withResidentId)
            return yield* Effect.fail(InvalidInput.of("withResidentId", "must be another resident / 须为另一位居民"))
          const actor = yield* CurrentActor
          yield* authorize(actor, P.link)
          const ctx = yield* context(actor)
          return yield* transaction(
            Effect.gen(function* () {
              const resident = yield* load(actor, id)
              const other = yield* load(actor, withResidentId)
              let householdId = other.householdId
              if (householdId === null) {
                householdId = HouseholdId.make(yield* ids.next)
                const joined = yield* Effect.fromResult(Rules.joinHousehold(other, householdId, ctx))
                yield* save(actor, joined, HouseholdLinked.make({ residentId: other.id, householdId }))
              }
              const next = yield* Effect.fromResult(Rules.joinHousehold(resident, householdId, ctx))
              yield* save(actor, next, HouseholdLinked.make({ residentId: next.id, householdId }))
              return view(actor, ctx.community, next, ctx.now)
            })
          )
        }),

      /**
       * Links `guardianId` as a guardian of resident `id` (a child, or an adult who needs one).
       * Both are read and held in the transaction, so two concurrent links cannot make two
       * residents each other's guardian.
       */
      linkGuardian: (id: string, guardianId: string): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.gen(function* () {
          yield* validId(id)
          yield* validateInput(ResidentId)(guardianId as ResidentId).pipe(
            Effect.mapError(() => InvalidInput.of("guardianId", "must be a resident id (UUIDv7) / 监护人编号格式无效"))
          )
          const actor = yield* CurrentActor
          yield* authorize(actor, P.link)
          const ctx = yield* context(actor)
          return yield* transaction(
            Effect.gen(function* () {
              const ward = yield* load(actor, id)
              const guardian = yield* load(actor, guardianId).pipe(
                Effect.catchTag("NotFound", () =>
                  Effect.fail(
                    InvalidInput.of("guardianId", "is not a resident of this community / 监护人不是本社区居民")
                  )
                )
              )
              const next = yield* Effect.fromResult(Rules.linkGuardian(ward, guardian, ctx))
              yield* lockAll(actor, [ward, guardian])
              yield* save(actor, next, GuardianLinked.make({ residentId: next.id, guardianId: guardian.id }))
              return view(actor, ctx.community, next, ctx.now)
            })
          )
        }),

      /**
       * Removes a guardian link. The consents in force that this guardian gave for the ward are
       * withdrawn with it (a `ConsentWithdrawn` event each, after `GuardianUnlinked`, in the same
       * transaction; see `ResidentRules.unlinkGuardian`): a former guardian's consent does not
       * stay in force.
       */
      unlinkGuardian: (
        id: string,
        guardianId: string
      ): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.gen(function* () {
          yield* validId(id)
          const gid = yield* validateInput(ResidentId)(guardianId as ResidentId).pipe(
            Effect.mapError(() => InvalidInput.of("guardianId", "must be a resident id (UUIDv7) / 监护人编号格式无效"))
          )
          const actor = yield* CurrentActor
          const ctx = yield* context(actor)
          return yield* transaction(
            Effect.gen(function* () {
              const ward = yield* load(actor, id)
              yield* staff(P.link)(actor, ward)
              const changes = yield* Effect.fromResult(Rules.unlinkGuardian(ward, gid, ctx))
              const last = yield* saveGuardianRemoval(actor, changes)
              return view(actor, ctx.community, last, ctx.now)
            })
          )
        }),

      /** Deactivates a resident (moved away, deceased …). The record stays and can be reactivated. */
      deactivate: (
        id: string,
        reason: DeactivationReason
      ): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.gen(function* () {
          yield* validId(id)
          const why = yield* decodeInput(DeactivationReasonSchema)(reason).pipe(
            Effect.mapError(() =>
              InvalidInput.of("reason", "must be moved_away, deceased, duplicate_record or other / 原因代码无效")
            )
          )
          return yield* command(id, staff(P.deactivate), Rules.deactivate, (r) =>
            ResidentDeactivated.make({ residentId: r.id, reason: why })
          )
        }),

      /** Makes an inactive resident active again. */
      reactivate: (id: string): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.andThen(
          validId(id),
          command(id, staff(P.deactivate), Rules.reactivate, (r) => ResidentReactivated.make({ residentId: r.id }))
        ),

      /**
       * Erases a resident's personal data (PIPL deletion). The id stays; every personal field is
       * cleared, and the resident stops being the guardian of anyone: each ward is unlinked, and
       * the consents in force the erased resident gave for it are withdrawn, each with its event,
       * in the same transaction (as `unlinkGuardian` does). Final: a second erase is
       * `InvalidTransition`.
       */
      erase: (id: string): Effect.Effect<ResidentView, ResidentCommandError, CurrentActor> =>
        Effect.gen(function* () {
          yield* validId(id)
          const actor = yield* CurrentActor
          const ctx = yield* context(actor)
          return yield* transaction(
            Effect.gen(function* () {
              const resident = yield* load(actor, id)
              yield* staff(P.erase)(actor, resident)
              const erased = yield* Effect.fromResult(Rules.erase(resident, ctx))
              const wards = yield* repo.search(
                { communityId: actor.communityId, statuses: ["active", "inactive"], selfOrWardsOf: resident.id },
                { after: undefined, limit: Paging.MAX_LIMIT * 10 }
              )
              for (const ward of wards) {
                if (ward.id === resident.id) continue
                yield* saveGuardianRemoval(
                  actor,
                  yield* Effect.fromResult(Rules.unlinkGuardian(ward, resident.id, ctx))
                )
              }
              yield* save(actor, erased, ResidentErased.make({ residentId: erased.id }))
              return view(actor, ctx.community, erased, ctx.now)
            })
          )
        }),

      /**
       * One resident, projected for the actor: staff see the full record, volunteers a reduced
       * one, a resident themself and their wards. Anything else, including residents of other
       * communities, is `NotFound`.
       */
      get: (id: string): Effect.Effect<ResidentView, NotFound | Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorizeAny(actor, [P["read:full"], P["read:reduced"], P["read:own"]])
          const resident = yield* load(actor, id)
          switch (Rules.visibility(actor, resident)) {
            case "full":
              return fullView(resident)
            case "reduced": {
              // only the reduced view needs the community (its time zone gives the age band)
              const community = yield* loadCommunity(actor)
              return Rules.reduce(resident, Rules.currentYear(yield* now, community))
            }
            case "none":
              return yield* Effect.fail(NotFound.of(ENTITY, id))
          }
        }),

      /**
       * Searches the actor's community with filters and cursor paging, ordered by id (oldest
       * first). Staff see all active (or, with `status`, inactive) residents in full; volunteers
       * see active residents reduced; a resident only themself and their wards.
       */
      search: (
        filter: typeof ResidentFilter.Encoded = {},
        page?: PageRequest
      ): Effect.Effect<Page<ResidentView>, Forbidden | InvalidInput | NotFound, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorizeAny(actor, [P["read:full"], P["read:reduced"], P["read:own"]])
          const valid = yield* decodeInput(ResidentFilter)(filter)
          if (valid.minAge !== undefined && valid.maxAge !== undefined && valid.minAge > valid.maxAge) {
            return yield* Effect.fail(
              InvalidInput.of("maxAge", "must not be less than minAge / 最大年龄不能小于最小年龄")
            )
          }
          const full = can(actor, P["read:full"])
          const reduced = can(actor, P["read:reduced"])
          if (!full && reduced) {
            // the reduced view shows ten-year age bands: finer age filters would reveal more
            if (valid.minAge !== undefined && valid.minAge % 10 !== 0) {
              return yield* Effect.fail(
                InvalidInput.of(
                  "minAge",
                  "volunteers filter by ten-year bands: use a multiple of 10 / 志愿者只能按十岁年龄段筛选"
                )
              )
            }
            if (valid.maxAge !== undefined && valid.maxAge % 10 !== 9) {
              return yield* Effect.fail(
                InvalidInput.of(
                  "maxAge",
                  "volunteers filter by ten-year bands: use 9, 19, 29 … / 志愿者只能按十岁年龄段筛选"
                )
              )
            }
          }
          const window = yield* Effect.fromResult(Paging.window(page))
          const community = yield* loadCommunity(actor)
          const at = yield* now
          const year = Rules.currentYear(at, community)
          if (!full && !reduced && actor.residentId === undefined) {
            return yield* Effect.fail(Forbidden.of("residents:read", "the account is not linked to a resident"))
          }
          const query: ResidentQuery = {
            communityId: actor.communityId,
            statuses: full ? [valid.status ?? "active"] : reduced ? ["active"] : [valid.status ?? "active"],
            grid: valid.grid,
            tag: valid.tag,
            language: valid.language,
            dialect: valid.dialect,
            homeProvince: valid.homeProvince,
            skill: valid.skill,
            bornFrom: valid.maxAge === undefined ? undefined : year - valid.maxAge,
            bornTo: valid.minAge === undefined ? undefined : year - valid.minAge,
            nameContains: valid.nameContains,
            selfOrWardsOf: full || reduced ? undefined : actor.residentId
          }
          const fetched = yield* repo.search(query, { after: window.after, limit: window.limit + 1 })
          const result = Paging.fromItems(fetched, window.limit, (r) => r.id)
          return {
            items: result.items.flatMap((r) => {
              const v = Rules.project(actor, r, year)
              return v === undefined ? [] : [v]
            }),
            nextCursor: result.nextCursor
          }
        })
    }
  })
}) {
  /** The service, built from the storage ports and `IdGenerator`. */
  static readonly layer = Layer.effect(this, this.make)
}
