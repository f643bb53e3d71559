/**
 * The mutual-aid service (邻里互助): volunteers, help requests through their lifecycle, matching
 * suggestions, care plans and their visits, time credits, and the coordinator's report.
 *
 * Every method runs as the {@link CurrentActor} in the actor's community and checks a permission
 * of {@link MutualAidPermissions}. Each change is one transaction: load, a pure rule
 * (`RequestRules`, `CarePlans`), save with an optimistic version, one event. Of two volunteers
 * accepting the same place at once, exactly one wins: the other's save finds the version moved
 * (`Conflict`), on every store.
 *
 * - **Who sees what.** Staff, admins and grid workers see every request. A resident sees their
 *   own. A volunteer sees the requests where they are offered or hold a place; until they accept,
 *   the room number and coordinates of the place are masked, and so is the description of a
 *   request whose visibility is `staff`.
 * - **Time credits.** Completing a request credits each volunteer's minutes (or their
 *   household's, when they save for the family) in the ledger, in the same transaction, once:
 *   the transfer ids are derived from the request and the volunteer (`TimeCredits`).
 * - **Health readings** of a care-plan visit are recorded only with the resident's `health_data`
 *   consent.
 *
 * @module
 */
import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import type { Actor } from "../kernel/Actor.js"
import { CurrentActor } from "../kernel/Actor.js"
import { makeAggregateCommands } from "../kernel/Command.js"
import type { DomainError } from "../kernel/Errors.js"
import { Conflict, Forbidden, InvalidInput, NotFound } from "../kernel/Errors.js"
import { IdGenerator, type ResidentId } from "../kernel/Ids.js"
import type { Page, PageRequest } from "../kernel/Paging.js"
import * as Paging from "../kernel/Paging.js"
import { authorize, authorizeAny, can } from "../kernel/Policy.js"
import { Transactor } from "../kernel/Transactor.js"
import { decodeInput } from "../kernel/Validation.js"
import { LedgerRepo } from "../ledger/LedgerRepo.js"
import { Outbox } from "../kernel/Event.js"
import { postWithin } from "../ledger/Posting.js"
import { ResidentRepo } from "../residents/ResidentRepo.js"
import { hasConsent } from "../residents/ResidentRules.js"
import type { CarePlan, Visit, VisitFlag } from "./CarePlan.js"
import * as CarePlans from "./CarePlan.js"
import { CarePlanId } from "./CarePlan.js"
import type { HelpRequest, Place, Volunteer } from "./HelpRequest.js"
import { Feedback, HelpRequestId, RequestStatus, VolunteerId } from "./HelpRequest.js"
import {
  CreatePlanInput,
  RecordVisitInput,
  RegisterVolunteerInput,
  RequestHelpInput,
  UpdateVolunteerInput
} from "./Inputs.js"
import type { MatchCandidate, RankResult, VolunteerStats } from "./Matching.js"
import * as Batch from "./Batch.js"
import * as Matching from "./Matching.js"
import {
  CarePlanCreated,
  FeedbackGiven,
  HelpRequested,
  MutualAidEvent,
  PlaceAccepted,
  PlaceDeclined,
  PlaceOffered,
  RequestCancelled,
  RequestCompleted,
  RequestExpired,
  RequestStarted,
  VisitRecorded,
  VisitsGenerated,
  VolunteerRegistered,
  VolunteerUpdated
} from "./MutualAidEvent.js"
import type { MutualAidStorage, RequestQuery } from "./MutualAidRepo.js"
import { MutualAidRepo } from "./MutualAidRepo.js"
import { MutualAidPermissions as P } from "./permissions.js"
import * as Reports from "./Reports.js"
import * as Rules from "./RequestRules.js"
import * as TimeCredits from "./TimeCredits.js"

const isRequestId = Schema.is(HelpRequestId)
const isVolunteerId = Schema.is(VolunteerId)
const isPlanId = Schema.is(CarePlanId)
const isStatus = Schema.is(RequestStatus)

/** How many records the service reads per call when it walks a whole list. */
const WALK = 500

/** The most visits one `generateVisits` call creates. */
export const MAX_GENERATED = 60

/** The offset of the communities' schedules from UTC, in minutes (Asia/Shanghai). */
const OFFSET = 480

/** What a volunteer reads instead of a staff-only description until they accept. */
export const MASKED_DESCRIPTION = "（接受后可见）/ (shown once you accept)"

/** A request as a volunteer sees it before accepting: the room and coordinates masked, and the description when only staff may read it. */
const masked = (request: HelpRequest): HelpRequest => ({
  ...request,
  description: request.visibility === "staff" ? MASKED_DESCRIPTION : request.description,
  place: { building: request.place.building, ...(request.place.unit === undefined ? {} : { unit: request.place.unit }) }
})

/** The errors a mutual-aid command can fail with. */
export type MutualAidCommandError = DomainError

/**
 * The mutual-aid service. `MutualAid.layer` builds it from the storage ports (`MutualAidRepo`,
 * `ResidentRepo`, the ledger's `LedgerRepo` for time credits, `Outbox`, `Transactor`) and
 * `IdGenerator`.
 */
export class MutualAid extends Context.Service<MutualAid>()("@commonweal/core/MutualAid", {
  make: Effect.gen(function* () {
    const repo = yield* MutualAidRepo
    const residents = yield* ResidentRepo
    const ledger = yield* LedgerRepo
    const outbox = yield* Outbox
    const transactor = yield* Transactor
    const ids = yield* IdGenerator
    const transaction = transactor.withTransaction
    const nowMs = Clock.currentTimeMillis

    const requests = yield* makeAggregateCommands({
      entity: "HelpRequest",
      events: MutualAidEvent,
      repo: {
        insert: repo.insertRequest,
        update: repo.updateRequest,
        lock: repo.lockRequest,
        findById: repo.findRequest
      },
      isId: isRequestId
    })
    const volunteers = yield* makeAggregateCommands({
      entity: "Volunteer",
      events: MutualAidEvent,
      repo: {
        insert: repo.insertVolunteer,
        update: repo.updateVolunteer,
        lock: () => Effect.void,
        findById: repo.findVolunteer
      },
      isId: isVolunteerId
    })
    const plans = yield* makeAggregateCommands({
      entity: "CarePlan",
      events: MutualAidEvent,
      repo: {
        insert: repo.insertPlan,
        update: repo.updatePlan,
        lock: () => Effect.void,
        findById: repo.findPlan
      },
      isId: isPlanId
    })

    /** The volunteer the actor is (by their resident record), else `Forbidden`. */
    const selfVolunteer = (actor: Actor): Effect.Effect<Volunteer, Forbidden> =>
      Effect.flatMap(
        actor.residentId === undefined
          ? Effect.succeedNone
          : repo.findVolunteerByResident(actor.communityId, actor.residentId),
        Option.match({
          onNone: () =>
            Effect.fail(Forbidden.of("mutual-aid:accept", "you have no volunteer profile / 您尚未登记为志愿者")),
          onSome: Effect.succeed
        })
      )

    /** The request as this actor may see it, or `NotFound` when they may not see it at all. */
    const viewFor = (
      actor: Actor,
      request: HelpRequest,
      self: Volunteer | null
    ): Effect.Effect<HelpRequest, NotFound> => {
      if (can(actor, P["read:all"])) return Effect.succeed(request)
      if (can(actor, P["read:own"]) && actor.residentId === request.requesterId) return Effect.succeed(request)
      if (self !== null && can(actor, P["read:offered"])) {
        const placeOf = request.places.find((p) => p.volunteerId === self.id)
        const served = request.services.some((s) => s.volunteerId === self.id)
        if (placeOf?.status === "accepted" || served) return Effect.succeed(request)
        if (placeOf?.status === "proposed") return Effect.succeed(masked(request))
      }
      return Effect.fail(NotFound.of("HelpRequest", request.id))
    }

    const selfOrNull = (actor: Actor) =>
      can(actor, P["read:offered"])
        ? Effect.map(Effect.option(selfVolunteer(actor)), Option.getOrNull)
        : Effect.succeed(null)

    /** What matching reads about each volunteer, from the community's requests. */
    const statsOf = (actor: Actor, now: number) =>
      Effect.gen(function* () {
        const all: Array<HelpRequest> = []
        let after: string | undefined
        for (;;) {
          const page = yield* repo.listRequests({ communityId: actor.communityId }, { after, limit: WALK })
          all.push(...page)
          const last = page[page.length - 1]
          if (page.length < WALK || last === undefined) break
          after = last.id
        }
        const weekAgo = now - 7 * 86_400_000
        const monthAgo = now - 30 * 86_400_000
        type Mutable = {
          openNow: number
          thisWeek: number
          thisMonth: number
          lastServedAt: number | null
          accepted: number
          completed: number
          servedBefore: Map<ResidentId, { times: number; ratingSum: number }>
        }
        const stats = new Map<string, Mutable>()
        const get = (id: string): Mutable => {
          let s = stats.get(id)
          if (s === undefined) {
            s = {
              openNow: 0,
              thisWeek: 0,
              thisMonth: 0,
              lastServedAt: null,
              accepted: 0,
              completed: 0,
              servedBefore: new Map()
            }
            stats.set(id, s)
          }
          return s
        }
        for (const r of all) {
          for (const p of r.places) {
            if (p.volunteerId === null || p.status !== "accepted") continue
            const s = get(p.volunteerId)
            s.accepted += 1
            if (r.status === "accepted" || r.status === "in_progress") s.openNow += 1
            if ((p.since ?? 0) >= weekAgo) s.thisWeek += 1
            if ((p.since ?? 0) >= monthAgo) s.thisMonth += 1
          }
          if (r.status !== "completed") continue
          for (const service of r.services) {
            const s = get(service.volunteerId)
            s.completed += 1
            s.lastServedAt = Math.max(s.lastServedAt ?? 0, r.updatedAt)
            const before = s.servedBefore.get(r.requesterId)
            s.servedBefore.set(r.requesterId, {
              times: (before?.times ?? 0) + 1,
              ratingSum: (before?.ratingSum ?? 0) + (service.fromRequester?.rating ?? 4)
            })
          }
        }
        return stats
      })

    /** The community's volunteers with their stats and consent, as matching reads them. */
    const candidatesOf = (actor: Actor, now: number) =>
      Effect.gen(function* () {
        const stats = yield* statsOf(actor, now)
        const out: Array<MatchCandidate> = []
        let after: string | undefined
        for (;;) {
          const page = yield* repo.listVolunteers({ communityId: actor.communityId }, { after, limit: WALK })
          for (const v of page) {
            let consented = true
            if (v.residentId !== null) {
              const r = yield* residents.findById(actor.communityId, v.residentId)
              consented = Option.isSome(r) && r.value.status === "active" && hasConsent(r.value, "matching")
            }
            const s = stats.get(v.id)
            const base: VolunteerStats =
              s === undefined
                ? { openNow: 0, thisWeek: 0, thisMonth: 0, lastServedAt: null, accepted: 0, completed: 0, consented }
                : { ...s, consented }
            out.push({ volunteer: v, stats: base })
          }
          const last = page[page.length - 1]
          if (page.length < WALK || last === undefined) break
          after = last.id
        }
        return out
      })

    /** Runs a rule on a request in one transaction and saves it with its event. */
    const step = (
      id: string,
      check: (actor: Actor, request: HelpRequest) => Effect.Effect<void, DomainError>,
      change: (
        actor: Actor,
        request: HelpRequest,
        now: number
      ) => Effect.Effect<{ readonly next: HelpRequest; readonly event: MutualAidEvent }, DomainError>
    ): Effect.Effect<HelpRequest, DomainError, CurrentActor> =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const attempt = transaction(
          Effect.gen(function* () {
            const current = yield* requests.load(actor, id)
            yield* check(actor, current)
            const { next, event } = yield* change(actor, current, yield* nowMs)
            return yield* requests.save(actor, next, event)
          })
        )
        // another change of the same request won the race: read it again and re-apply the rule
        // (twice at most), so two volunteers accepting two places of one team both succeed,
        // while two moves on the same place still end with one winner (the rule refuses the second)
        return yield* attempt.pipe(
          Effect.catchIf(
            (e): e is Conflict => e._tag === "Conflict" && e.reason === "stale_version",
            () => attempt
          ),
          Effect.catchIf(
            (e): e is Conflict => e._tag === "Conflict" && e.reason === "stale_version",
            () => attempt
          )
        )
      })

    const rule = Effect.fromResult

    const requireVolunteer = (actor: Actor, id: string) =>
      Effect.flatMap(isVolunteerId(id) ? repo.findVolunteer(actor.communityId, id) : Effect.succeedNone, (found) =>
        Option.match(found, {
          onNone: () => Effect.fail(NotFound.of("Volunteer", id)),
          onSome: Effect.succeed
        })
      )

    return {
      /** Registers a volunteer (a resident, or an outside member). Needs `mutual-aid:volunteers:manage`. */
      registerVolunteer: (
        input: typeof RegisterVolunteerInput.Encoded
      ): Effect.Effect<Volunteer, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P["volunteers:manage"])
          const valid = yield* decodeInput(RegisterVolunteerInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              let householdId = null
              if (valid.residentId !== undefined) {
                const found = yield* residents.findById(actor.communityId, valid.residentId)
                if (Option.isNone(found) || found.value.status !== "active") {
                  return yield* Effect.fail(
                    InvalidInput.of(
                      "residentId",
                      "no active resident with this id in the community / 本社区无此在册居民"
                    )
                  )
                }
                if (valid.saveToHousehold === true) householdId = found.value.householdId
              }
              const volunteer: Volunteer = {
                id: VolunteerId.make(yield* ids.next),
                communityId: actor.communityId,
                residentId: valid.residentId ?? null,
                householdId,
                displayName: valid.displayName,
                membership: valid.membership,
                gender: valid.gender ?? null,
                skills: valid.skills ?? [],
                roles: valid.roles ?? [],
                languages: valid.languages ?? [],
                homePlace: valid.homePlace ?? null,
                availability: valid.availability ?? [],
                blockedDays: [],
                location: valid.location ?? null,
                maxDistance: valid.maxDistance ?? 1_000,
                caps: valid.caps ?? { atOnce: 2, perWeek: 3, perMonth: 10 },
                status: "active",
                version: 1,
                createdAt: yield* nowMs
              }
              return yield* volunteers.save(actor, volunteer, VolunteerRegistered.make({ volunteerId: volunteer.id }), {
                isNew: true
              })
            })
          )
        }),

      /** Changes a volunteer's profile, or pauses or resumes them. Needs `mutual-aid:volunteers:manage`. */
      updateVolunteer: (
        id: string,
        input: typeof UpdateVolunteerInput.Encoded
      ): Effect.Effect<Volunteer, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P["volunteers:manage"])
          const valid = yield* decodeInput(UpdateVolunteerInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              const current = yield* volunteers.load(actor, id)
              if (current.version !== valid.expectedVersion) return yield* Effect.fail(Conflict.stale("Volunteer", id))
              const { expectedVersion: _, ...patch } = valid
              const next: Volunteer = { ...current, ...patch, version: current.version + 1 }
              return yield* volunteers.save(
                actor,
                next,
                VolunteerUpdated.make({ volunteerId: next.id, status: next.status })
              )
            })
          )
        }),

      /** One volunteer. Needs `mutual-aid:read:all` (or to be that volunteer). */
      volunteer: (id: string): Effect.Effect<Volunteer, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          if (!can(actor, P["read:all"])) {
            const self = yield* selfVolunteer(actor)
            if (self.id !== id) return yield* Effect.fail(NotFound.of("Volunteer", id))
            return self
          }
          return yield* requireVolunteer(actor, id)
        }),

      /** The community's volunteers by id, cursor-paged, optionally active or paused only. Needs `mutual-aid:read:all`. */
      volunteers: (
        filter: { readonly status?: "active" | "paused"; readonly skill?: string; readonly role?: string } = {},
        page?: PageRequest
      ): Effect.Effect<Page<Volunteer>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P["read:all"])
          const window = yield* Effect.fromResult(Paging.window(page))
          const fetched = yield* repo.listVolunteers(
            { communityId: actor.communityId, status: filter.status, skill: filter.skill, role: filter.role },
            { after: window.after, limit: window.limit + 1 }
          )
          return Paging.fromItems(fetched, window.limit, (v) => v.id)
        }),

      /** Sets the walking distance between two buildings of the community. Needs `mutual-aid:volunteers:manage`. */
      setWalking: (a: string, b: string, metres: number): Effect.Effect<void, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P["volunteers:manage"])
          const valid = yield* decodeInput(
            Schema.Struct({
              a: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(40)),
              b: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(40)),
              metres: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 50_000 }))
            })
          )({ a, b, metres })
          yield* transaction(repo.putWalking(actor.communityId, valid.a, valid.b, valid.metres))
        }),

      /**
       * Asks for help. A resident asks for themself; staff and grid workers record a request for a
       * resident (`requesterId`) without a smartphone, naming the evidence. Needs `mutual-aid:request`.
       */
      requestHelp: (input: typeof RequestHelpInput.Encoded): Effect.Effect<HelpRequest, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.request)
          const valid = yield* decodeInput(RequestHelpInput)(input)
          const forOther = can(actor, P["read:all"])
          if (!forOther && valid.requesterId !== undefined && valid.requesterId !== actor.residentId) {
            return yield* Effect.fail(
              Forbidden.of("mutual-aid:request", "a resident asks for themself / 居民只能为本人求助")
            )
          }
          const requesterId = forOther ? valid.requesterId : actor.residentId
          if (requesterId === undefined) {
            return yield* Effect.fail(
              InvalidInput.of("requesterId", "name the resident who needs help / 须注明求助居民")
            )
          }
          if (forOther && valid.evidence === undefined && requesterId !== actor.residentId) {
            return yield* Effect.fail(
              InvalidInput.of(
                "evidence",
                "staff recording a request name the evidence (a signed slip) / 代为登记须注明凭证"
              )
            )
          }
          const now = yield* nowMs
          if (valid.expiresAt <= now) {
            return yield* Effect.fail(InvalidInput.of("expiresAt", "must be in the future / 截止时间须晚于现在"))
          }
          return yield* transaction(
            Effect.gen(function* () {
              const requester = yield* residents.findById(actor.communityId, requesterId)
              if (Option.isNone(requester) || requester.value.status !== "active") {
                return yield* Effect.fail(
                  InvalidInput.of(
                    "requesterId",
                    "no active resident with this id in the community / 本社区无此在册居民"
                  )
                )
              }
              const places: Array<Place> = (valid.places ?? [{ role: "helper" }]).map((p) => ({
                role: p.role,
                skill: p.skill ?? null,
                status: "open",
                volunteerId: null,
                declinedBy: [],
                since: null
              }))
              const request: HelpRequest = {
                id: HelpRequestId.make(yield* ids.next),
                communityId: actor.communityId,
                version: 1,
                status: "open",
                requesterId,
                recordedBy:
                  requesterId === actor.residentId
                    ? { _tag: "Requester" }
                    : { _tag: "Staff", subject: actor.subject, evidence: valid.evidence ?? "" },
                category: valid.category,
                description: valid.description,
                place: valid.place,
                windows: valid.windows,
                urgency: valid.urgency ?? "normal",
                expiresAt: valid.expiresAt,
                requiredLanguages: valid.requiredLanguages ?? [],
                preferSameHomeTown: valid.preferSameHomeTown ?? false,
                preferGender: valid.preferGender ?? null,
                places,
                visibility: valid.visibility ?? "offered",
                services: [],
                closingNote: null,
                createdAt: now,
                updatedAt: now
              }
              return yield* requests.save(
                actor,
                request,
                HelpRequested.make({
                  requestId: request.id,
                  category: request.category,
                  places: places.length,
                  recordedByStaff: request.recordedBy._tag === "Staff"
                }),
                { isNew: true }
              )
            })
          )
        }),

      /** One request, as the actor may see it (see the module notes); one they may not see is `NotFound`. */
      request: (id: string): Effect.Effect<HelpRequest, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorizeAny(actor, [P["read:all"], P["read:own"], P["read:offered"]])
          const request = yield* requests.load(actor, id)
          return yield* viewFor(actor, request, yield* selfOrNull(actor))
        }),

      /**
       * Requests by id, cursor-paged: every request of the community for staff (optionally by
       * status and category), a resident's own, or those offered to or held by a volunteer (masked
       * until accepted).
       */
      requests: (
        filter: { readonly status?: string; readonly category?: string } = {},
        page?: PageRequest
      ): Effect.Effect<Page<HelpRequest>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorizeAny(actor, [P["read:all"], P["read:own"], P["read:offered"]])
          if (filter.status !== undefined && !isStatus(filter.status)) {
            return yield* Effect.fail(
              InvalidInput.of("status", `is not a request status / 状态无效: ${RequestStatus.literals.join(", ")}`)
            )
          }
          const window = yield* Effect.fromResult(Paging.window(page))
          const self = yield* selfOrNull(actor)
          const scope = can(actor, P["read:all"])
            ? {}
            : self !== null
              ? { volunteerId: self.id }
              : can(actor, P["read:own"]) && actor.residentId !== undefined
                ? { requesterId: actor.residentId }
                : undefined
          if (scope === undefined) return { items: [], nextCursor: null }
          const query: RequestQuery = {
            communityId: actor.communityId,
            status: filter.status as RequestStatus | undefined,
            category: filter.category,
            ...scope
          }
          const fetched = yield* repo.listRequests(query, { after: window.after, limit: window.limit + 1 })
          const visible = yield* Effect.forEach(fetched, (r) => Effect.option(viewFor(actor, r, self)))
          const paged = Paging.fromItems(fetched, window.limit, (r) => r.id)
          const shown = new Map(visible.flatMap((v) => (Option.isSome(v) ? [[v.value.id, v.value] as const] : [])))
          return {
            ...paged,
            items: paged.items.flatMap((r) => {
              const v = shown.get(r.id)
              return v === undefined ? [] : [v]
            })
          }
        }),

      /**
       * Ranks the community's volunteers for place `place` of a request (`Matching.rank`: hard
       * constraints, relaxed in a documented order when nobody passes, and the score's terms and
       * reason). Needs `mutual-aid:dispatch`.
       */
      suggest: (id: string, place: number, k = 5): Effect.Effect<RankResult, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.dispatch)
          const request = yield* requests.load(actor, id)
          if (!Number.isInteger(place) || place < 0 || place >= request.places.length) {
            return yield* Effect.fail(
              InvalidInput.of("place", `must be 0 to ${request.places.length - 1} / 岗位编号无效`)
            )
          }
          const now = yield* nowMs
          const candidates = yield* candidatesOf(actor, now)
          const requester = yield* residents.findById(actor.communityId, request.requesterId)
          const taken = new Set(request.places.map((p) => p.volunteerId).filter((v) => v !== null))
          const declined = new Set(request.places[place]?.declinedBy ?? [])
          const walking = yield* repo.walking(actor.communityId)
          return Matching.rank(
            request,
            place,
            candidates.filter((c) => !taken.has(c.volunteer.id) && !declined.has(c.volunteer.id)),
            {
              utcOffsetMinutes: OFFSET,
              now,
              walking,
              requester: Option.match(requester, {
                onNone: () => ({ homePlace: null, languages: [] }),
                onSome: (r) => ({ homePlace: r.homePlace, languages: r.languages })
              })
            },
            Math.max(1, Math.min(50, Math.floor(k)))
          )
        }),

      /**
       * Assigns every open place of the community's open requests at once (`Batch.assign`: the
       * minimum-cost assignment with volunteers' remaining caps and team roles), and returns it
       * explained: a reason per pair and per unmatched place. With `offer: true` each pair is also
       * offered (as `propose` would, one transaction per request); otherwise nothing changes.
       * Needs `mutual-aid:dispatch`.
       */
      assignBatch: (options: { readonly offer?: boolean; readonly perPlace?: number } = {}) =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.dispatch)
          const now = yield* nowMs
          const open: Array<HelpRequest> = []
          for (const status of ["open", "proposed"] as const) {
            let after: string | undefined
            for (;;) {
              const page = yield* repo.listRequests({ communityId: actor.communityId, status }, { after, limit: WALK })
              open.push(...page.filter((r) => r.expiresAt > now))
              const last = page[page.length - 1]
              if (page.length < WALK || last === undefined) break
              after = last.id
            }
          }
          open.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          const candidates = yield* candidatesOf(actor, now)
          const walking = yield* repo.walking(actor.communityId)
          const requesters = new Map<
            string,
            {
              homePlace: Matching.MatchContext["requester"]["homePlace"]
              languages: Matching.MatchContext["requester"]["languages"]
            }
          >()
          for (const r of open) {
            if (requesters.has(r.requesterId)) continue
            const found = yield* residents.findById(actor.communityId, r.requesterId)
            requesters.set(
              r.requesterId,
              Option.match(found, {
                onNone: () => ({ homePlace: null, languages: [] }),
                onSome: (x) => ({ homePlace: x.homePlace, languages: x.languages })
              })
            )
          }
          const result = yield* Effect.fromResult(
            Batch.assign(
              open,
              candidates,
              (r) => ({
                utcOffsetMinutes: OFFSET,
                now,
                walking,
                requester: requesters.get(r.requesterId) ?? { homePlace: null, languages: [] }
              }),
              options.perPlace === undefined ? {} : { perPlace: options.perPlace }
            )
          )
          if (options.offer === true) {
            for (const pair of result.pairs) {
              yield* transaction(
                Effect.gen(function* () {
                  const current = yield* requests.load(actor, pair.requestId)
                  const next = yield* rule(Rules.propose(current, pair.place, pair.volunteerId, yield* nowMs))
                  yield* requests.save(
                    actor,
                    next,
                    PlaceOffered.make({ requestId: current.id, place: pair.place, volunteerId: pair.volunteerId })
                  )
                })
              )
            }
          }
          return result
        }),

      /** Offers place `place` of a request to a volunteer. Needs `mutual-aid:dispatch`. */
      propose: (
        id: string,
        place: number,
        volunteerId: string
      ): Effect.Effect<HelpRequest, DomainError, CurrentActor> =>
        step(
          id,
          (actor) => authorize(actor, P.dispatch),
          (actor, request, now) =>
            Effect.gen(function* () {
              const volunteer = yield* requireVolunteer(actor, volunteerId)
              if (volunteer.status !== "active") {
                return yield* Effect.fail(
                  InvalidInput.of("volunteerId", "this volunteer is paused / 该志愿者已暂停服务")
                )
              }
              const next = yield* rule(Rules.propose(request, place, volunteer.id, now))
              return { next, event: PlaceOffered.make({ requestId: request.id, place, volunteerId: volunteer.id }) }
            })
        ),

      /** The volunteer offered place `place` accepts it. Needs `mutual-aid:accept`. */
      accept: (id: string, place: number): Effect.Effect<HelpRequest, DomainError, CurrentActor> =>
        step(
          id,
          (actor) => authorize(actor, P.accept),
          (actor, request, now) =>
            Effect.gen(function* () {
              const self = yield* selfVolunteer(actor)
              const next = yield* rule(Rules.accept(request, place, self.id, now))
              return { next, event: PlaceAccepted.make({ requestId: request.id, place, volunteerId: self.id }) }
            })
        ),

      /** The volunteer offered place `place` declines it. Needs `mutual-aid:accept`. */
      decline: (id: string, place: number): Effect.Effect<HelpRequest, DomainError, CurrentActor> =>
        step(
          id,
          (actor) => authorize(actor, P.accept),
          (actor, request, now) =>
            Effect.gen(function* () {
              const self = yield* selfVolunteer(actor)
              const next = yield* rule(Rules.decline(request, place, self.id, now))
              return { next, event: PlaceDeclined.make({ requestId: request.id, place, volunteerId: self.id }) }
            })
        ),

      /** Starts a request whose places are all accepted. Needs `mutual-aid:dispatch`. */
      start: (id: string): Effect.Effect<HelpRequest, DomainError, CurrentActor> =>
        step(
          id,
          (actor) => authorize(actor, P.dispatch),
          (_actor, request, now) =>
            Effect.map(rule(Rules.start(request, now)), (next) => ({
              next,
              event: RequestStarted.make({ requestId: request.id })
            }))
        ),

      /**
       * Completes a request in progress with the minutes each volunteer gave, and credits them in
       * the ledger (each volunteer's time-bank account, or their household's) in the same
       * transaction, once. Needs `mutual-aid:dispatch`.
       */
      complete: (
        id: string,
        minutes: ReadonlyArray<{ readonly volunteerId: string; readonly minutes: number }>
      ): Effect.Effect<HelpRequest, DomainError, CurrentActor> =>
        step(
          id,
          (actor) => authorize(actor, P.dispatch),
          (actor, request, now) =>
            Effect.gen(function* () {
              const next = yield* rule(
                Rules.complete(
                  request,
                  minutes.map((m) => ({ volunteerId: m.volunteerId as VolunteerId, minutes: m.minutes })),
                  now
                )
              )
              const households = new Map<string, string | null>()
              for (const s of next.services) {
                const v = yield* repo.findVolunteer(actor.communityId, s.volunteerId)
                households.set(s.volunteerId, Option.match(v, { onNone: () => null, onSome: (x) => x.householdId }))
              }
              const posting = TimeCredits.creditsFor(next, (v) => households.get(v) ?? null)
              yield* postWithin(actor, posting).pipe(
                Effect.provideService(LedgerRepo, ledger),
                Effect.provideService(Outbox, outbox),
                Effect.provideService(IdGenerator, ids)
              )
              return {
                next,
                event: RequestCompleted.make({
                  requestId: request.id,
                  minutes: next.services.reduce((a, s) => a + s.minutes, 0)
                })
              }
            })
        ),

      /**
       * Feedback on one volunteer's service of a completed request: by the requester (a resident
       * acting for themself) or by that volunteer. Needs `mutual-aid:feedback`.
       */
      feedback: (
        id: string,
        volunteerId: string,
        given: { readonly rating: number; readonly comment: string }
      ): Effect.Effect<HelpRequest, DomainError, CurrentActor> =>
        step(
          id,
          (actor) => authorize(actor, P.feedback),
          (actor, request, now) =>
            Effect.gen(function* () {
              const valid = yield* decodeInput(Feedback)({ ...given, at: now })
              const self = yield* Effect.option(selfVolunteer(actor))
              const side =
                actor.residentId === request.requesterId
                  ? ("requester" as const)
                  : Option.isSome(self) && self.value.id === volunteerId
                    ? ("volunteer" as const)
                    : null
              if (side === null) {
                return yield* Effect.fail(
                  Forbidden.of(
                    "mutual-aid:feedback",
                    "only the requester or that volunteer gives feedback / 仅求助人或该志愿者可评价"
                  )
                )
              }
              const next = yield* rule(Rules.feedback(request, volunteerId as VolunteerId, side, valid, now))
              return {
                next,
                event: FeedbackGiven.make({
                  requestId: request.id,
                  volunteerId: volunteerId as VolunteerId,
                  side,
                  rating: valid.rating
                })
              }
            })
        ),

      /** Cancels a request: staff any, a resident their own. */
      cancel: (id: string, note: string): Effect.Effect<HelpRequest, DomainError, CurrentActor> =>
        step(
          id,
          (actor, request) =>
            can(actor, P.dispatch) || (can(actor, P.request) && actor.residentId === request.requesterId)
              ? Effect.void
              : Effect.fail(Forbidden.of("mutual-aid:dispatch")),
          (_actor, request, now) =>
            Effect.gen(function* () {
              const valid = yield* decodeInput(Schema.Struct({ note: Feedback.fields.comment }))({ note })
              const next = yield* rule(Rules.cancel(request, valid.note, now))
              return { next, event: RequestCancelled.make({ requestId: request.id }) }
            })
        ),

      /**
       * Maintenance: expires the community's open or proposed requests past their expiry, at most
       * `limit` (1 to 500), and returns their ids. Needs `mutual-aid:dispatch` (a job runs it as
       * `systemActor`).
       */
      expire: (limit = 100): Effect.Effect<ReadonlyArray<HelpRequestId>, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.dispatch)
          if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
            return yield* Effect.fail(InvalidInput.of("limit", "must be an integer from 1 to 500 / 数量须为 1 到 500"))
          }
          const now = yield* nowMs
          const out: Array<HelpRequestId> = []
          for (const status of ["open", "proposed"] as const) {
            let after: string | undefined
            while (out.length < limit) {
              const page = yield* repo.listRequests({ communityId: actor.communityId, status }, { after, limit: WALK })
              for (const r of page) {
                if (out.length >= limit || r.expiresAt > now) continue
                const expired = yield* transaction(
                  Effect.gen(function* () {
                    const next = yield* rule(Rules.expire(r, now))
                    yield* requests.save(actor, next, RequestExpired.make({ requestId: r.id }))
                    return true
                  })
                ).pipe(
                  Effect.catchTag("Conflict", () => Effect.succeed(false)),
                  Effect.catchTag("InvalidTransition", () => Effect.succeed(false))
                )
                if (expired) out.push(r.id)
              }
              const last = page[page.length - 1]
              if (page.length < WALK || last === undefined) break
              after = last.id
            }
          }
          return out
        }),

      /** Creates a care plan for a resident. Needs `mutual-aid:care`. */
      createPlan: (input: typeof CreatePlanInput.Encoded): Effect.Effect<CarePlan, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.care)
          const valid = yield* decodeInput(CreatePlanInput)(input)
          if (valid.endsAt !== undefined && valid.endsAt <= valid.startsAt) {
            return yield* Effect.fail(InvalidInput.of("endsAt", "must be after startsAt / 结束须晚于开始"))
          }
          return yield* transaction(
            Effect.gen(function* () {
              const resident = yield* residents.findById(actor.communityId, valid.residentId)
              if (Option.isNone(resident) || resident.value.status !== "active") {
                return yield* Effect.fail(
                  InvalidInput.of("residentId", "no active resident with this id in the community / 本社区无此在册居民")
                )
              }
              const plan: CarePlan = {
                id: CarePlanId.make(yield* ids.next),
                communityId: actor.communityId,
                residentId: valid.residentId,
                title: valid.title,
                category: valid.category,
                description: valid.description,
                place: valid.place,
                roles: valid.roles,
                requiredLanguages: valid.requiredLanguages ?? [],
                recurrence: valid.recurrence,
                startsAt: valid.startsAt,
                endsAt: valid.endsAt ?? null,
                graceDays: valid.graceDays ?? 3,
                healthReadings: valid.healthReadings ?? false,
                status: "active",
                version: 1
              }
              return yield* plans.save(actor, plan, CarePlanCreated.make({ planId: plan.id }), { isNew: true })
            })
          )
        }),

      /** One care plan. Needs `mutual-aid:care`. */
      plan: (id: string): Effect.Effect<CarePlan, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.care)
          return yield* plans.load(actor, id)
        }),

      /**
       * Creates the requests of the plan's visits falling due from now until `until` that have
       * none yet (at most {@link MAX_GENERATED}), one place per team role, recorded by staff with
       * the plan as evidence. Running it again creates nothing new. Needs `mutual-aid:care`.
       */
      generateVisits: (id: string, until: number): Effect.Effect<ReadonlyArray<Visit>, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.care)
          return yield* transaction(
            Effect.gen(function* () {
              const plan = yield* plans.load(actor, id)
              const now = yield* nowMs
              const existing = new Set((yield* repo.listVisits(actor.communityId, plan.id)).map((v) => v.dueStart))
              const due = CarePlans.dueWindows(plan, now, until, OFFSET).filter((w) => !existing.has(w.start))
              const created: Array<Visit> = []
              for (const w of due.slice(0, MAX_GENERATED)) {
                const request: HelpRequest = {
                  id: HelpRequestId.make(yield* ids.next),
                  communityId: actor.communityId,
                  version: 1,
                  status: "open",
                  requesterId: plan.residentId,
                  recordedBy: { _tag: "Staff", subject: actor.subject, evidence: `care plan ${plan.id}` },
                  category: plan.category,
                  description: plan.description,
                  place: plan.place,
                  windows: [w],
                  urgency: "normal",
                  expiresAt: w.end,
                  requiredLanguages: plan.requiredLanguages,
                  preferSameHomeTown: true,
                  preferGender: null,
                  places: plan.roles.map((role) => ({
                    role,
                    skill: null,
                    status: "open" as const,
                    volunteerId: null,
                    declinedBy: [],
                    since: null
                  })),
                  visibility: "offered",
                  services: [],
                  closingNote: null,
                  createdAt: now,
                  updatedAt: now
                }
                yield* requests.save(
                  actor,
                  request,
                  HelpRequested.make({
                    requestId: request.id,
                    category: request.category,
                    places: request.places.length,
                    recordedByStaff: true
                  }),
                  { isNew: true }
                )
                const visit: Visit = {
                  planId: plan.id,
                  dueStart: w.start,
                  dueEnd: w.end,
                  requestId: request.id,
                  outcome: null,
                  readings: null,
                  note: null,
                  recordedAt: null
                }
                yield* repo.putVisit(actor.communityId, visit)
                created.push(visit)
              }
              if (created.length > 0) {
                yield* plans.append(actor, plan, VisitsGenerated.make({ planId: plan.id, count: created.length }))
              }
              return created
            })
          )
        }),

      /** Records how a visit went; health readings only with the resident's `health_data` consent. Needs `mutual-aid:care`. */
      recordVisit: (
        id: string,
        input: typeof RecordVisitInput.Encoded
      ): Effect.Effect<Visit, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.care)
          const valid = yield* decodeInput(RecordVisitInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              const plan = yield* plans.load(actor, id)
              const visits = yield* repo.listVisits(actor.communityId, plan.id)
              const visit = visits.find((v) => v.dueStart === valid.dueStart) ?? {
                planId: plan.id,
                dueStart: valid.dueStart,
                dueEnd: valid.dueStart,
                requestId: null,
                outcome: null,
                readings: null,
                note: null,
                recordedAt: null
              }
              const resident = yield* residents.findById(actor.communityId, plan.residentId)
              const consent = Option.isSome(resident) && hasConsent(resident.value, "health_data")
              const recorded = yield* rule(
                CarePlans.recordVisit(
                  plan,
                  visit,
                  valid.outcome,
                  valid.readings ?? null,
                  valid.note ?? null,
                  consent,
                  yield* nowMs
                )
              )
              yield* repo.putVisit(actor.communityId, recorded)
              yield* plans.append(
                actor,
                plan,
                VisitRecorded.make({ planId: plan.id, dueStart: recorded.dueStart, outcome: valid.outcome })
              )
              return recorded
            })
          )
        }),

      /** The plan's visits and its flags for visits overdue or missed. Needs `mutual-aid:care`. */
      visits: (
        id: string
      ): Effect.Effect<
        { readonly visits: ReadonlyArray<Visit>; readonly flags: ReadonlyArray<VisitFlag> },
        NotFound | Forbidden,
        CurrentActor
      > =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.care)
          const plan = yield* plans.load(actor, id)
          const visits = yield* repo.listVisits(actor.communityId, plan.id)
          return { visits, flags: CarePlans.flags(plan, visits, yield* nowMs, OFFSET) }
        }),

      /** The coordinator's report over the requests created in `[from, to)`. Needs `mutual-aid:reports`. */
      report: (
        from: number,
        to: number
      ): Effect.Effect<Reports.CoordinatorReport, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.reports)
          if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from >= to) {
            return yield* Effect.fail(InvalidInput.of("period", "from must be before to / 起止时间无效"))
          }
          const all: Array<HelpRequest> = []
          let after: string | undefined
          for (;;) {
            const page = yield* repo.listRequests(
              { communityId: actor.communityId, createdFrom: from, createdTo: to },
              { after, limit: WALK }
            )
            all.push(...page)
            const last = page[page.length - 1]
            if (page.length < WALK || last === undefined) break
            after = last.id
          }
          return Reports.coordinatorReport(all, OFFSET)
        })
    }
  })
}) {
  /** The service, built from the storage ports and `IdGenerator`. */
  static readonly layer: Layer.Layer<
    MutualAid,
    never,
    MutualAidStorage | ResidentRepo | LedgerRepo | Outbox | Transactor | IdGenerator
  > = Layer.effect(this, this.make)
}
