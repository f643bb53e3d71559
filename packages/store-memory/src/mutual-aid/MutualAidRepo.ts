/**
 * The in-memory `MutualAidRepo`: each community's mutual aid (volunteers, help requests, care
 * plans with their visits, walking distances) as one immutable record, in the kernel's
 * transactions.
 *
 * Every write is one pure change of the community's record, checked before anything is kept: a
 * duplicate (id, or a second volunteer for one resident) or a stored version that is not
 * `version - 1` is `Conflict` and changes nothing (in a transaction, the kernel then rolls the
 * rest back). Volunteers, requests and plans are kept in id order and a plan's visits in
 * `dueStart` order, so a page is a binary search and a scan; walking distances are keyed by
 * `Matching.walkingKey`, so either order of a pair is the same entry.
 *
 * @module
 */
import { Conflict, Matching } from "@commonweal/core"
import type {
  CarePlan,
  CarePlanId,
  CommunityId,
  HelpRequest,
  MutualAidRepo,
  ResidentId,
  Visit,
  Volunteer,
  VolunteerId
} from "@commonweal/core"
import { Effect, HashMap, Option, Result } from "effect"
import { type MemoryKernelService, slot } from "../kernel/index.js"

/** One community's mutual aid. */
interface CommunityAid {
  /** Ordered by id. */
  readonly volunteers: ReadonlyArray<Volunteer>
  /** Resident → the volunteer who is that resident. */
  readonly byResident: HashMap.HashMap<ResidentId, VolunteerId>
  /** Ordered by id. */
  readonly requests: ReadonlyArray<HelpRequest>
  /** Ordered by id. */
  readonly plans: ReadonlyArray<CarePlan>
  /** Per plan, its visits ordered by `dueStart` (one per `dueStart`). */
  readonly visits: HashMap.HashMap<CarePlanId, ReadonlyArray<Visit>>
  /** Metres, keyed by `Matching.walkingKey`. */
  readonly walking: HashMap.HashMap<string, number>
}

const emptyAid: CommunityAid = {
  volunteers: [],
  byResident: HashMap.empty(),
  requests: [],
  plans: [],
  visits: HashMap.empty(),
  walking: HashMap.empty()
}

type Aid = HashMap.HashMap<CommunityId, CommunityAid>

/** Every community's mutual aid. */
const mutualAid = slot("mutual-aid", HashMap.empty<CommunityId, CommunityAid>())

const aidOf = (all: Aid, communityId: CommunityId): CommunityAid =>
  Option.getOrElse(HashMap.get(all, communityId), () => emptyAid)

/** The position of the first item whose key is not below `key` (`strict`: above it) in a list ascending by key. */
const positionBy = <A, K extends string | number>(
  list: ReadonlyArray<A>,
  keyOf: (a: A) => K,
  key: K,
  strict = false
): number => {
  let low = 0
  let high = list.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const at = keyOf(list[middle]!)
    if (at < key || (strict && at === key)) low = middle + 1
    else high = middle
  }
  return low
}

const byId = (a: { readonly id: string }): string => a.id
const byDueStart = (v: Visit): number => v.dueStart

/** The item with this key in a list ascending by key, if any. */
const findBy = <A, K extends string | number>(list: ReadonlyArray<A>, keyOf: (a: A) => K, key: K): Option.Option<A> => {
  const found = list[positionBy(list, keyOf, key)]
  return found !== undefined && keyOf(found) === key ? Option.some(found) : Option.none()
}

/** The list with `item` in its place: replacing the one with the same key, or inserted in order. */
const placed = <A, K extends string | number>(
  list: ReadonlyArray<A>,
  keyOf: (a: A) => K,
  item: A
): ReadonlyArray<A> => {
  const key = keyOf(item)
  const i = positionBy(list, keyOf, key)
  const next = list.slice()
  next.splice(i, list[i] !== undefined && keyOf(list[i]!) === key ? 1 : 0, item)
  return next
}

/**
 * The items of a list ascending by id after `window.after` that `keep` keeps, at most
 * `window.limit` of them.
 */
const page = <A extends { readonly id: string }>(
  list: ReadonlyArray<A>,
  window: { readonly after: string | undefined; readonly limit: number },
  keep: (a: A) => boolean = () => true
): ReadonlyArray<A> => {
  const found: Array<A> = []
  if (!(window.limit >= 1)) return found
  const start = window.after === undefined ? 0 : positionBy(list, byId, window.after, true)
  for (let i = start; i < list.length && found.length < window.limit; i++) {
    const item = list[i]!
    if (keep(item)) found.push(item)
  }
  return found
}

/** A change of one community's mutual aid: its next record, or the error (a conflict) that refuses it. */
type AidChange<E> = (aid: CommunityAid) => Result.Result<CommunityAid, E>

/** The `MutualAidRepo` port over a store's kernel. */
export const makeMutualAidRepo = (kernel: MemoryKernelService): MutualAidRepo["Service"] => {
  const read = <A>(communityId: CommunityId, f: (aid: CommunityAid) => A): Effect.Effect<A> =>
    kernel.read(mutualAid, (all) => f(aidOf(all, communityId)))
  const write = <E>(communityId: CommunityId, change: AidChange<E>): Effect.Effect<void, E> =>
    kernel.write(mutualAid, (all) =>
      Result.map(change(aidOf(all, communityId)), (next) => [undefined, HashMap.set(all, communityId, next)] as const)
    )
  /** Replaces the record in `list` (by id) whose stored version is `version - 1`, else stale. */
  const replaced = <A extends { readonly id: string; readonly version: number }>(
    list: ReadonlyArray<A>,
    item: A,
    entity: string
  ): Result.Result<ReadonlyArray<A>, Conflict> => {
    const stored = findBy(list, byId, item.id)
    return Option.isSome(stored) && stored.value.version === item.version - 1
      ? Result.succeed(placed(list, byId, item))
      : Result.fail(Conflict.stale(entity, item.id))
  }

  return {
    insertVolunteer: (volunteer) =>
      write(volunteer.communityId, (aid) => {
        if (
          Option.isSome(findBy(aid.volunteers, byId, volunteer.id)) ||
          (volunteer.residentId !== null && HashMap.has(aid.byResident, volunteer.residentId))
        ) {
          return Result.fail(Conflict.duplicate("Volunteer", volunteer.id))
        }
        return Result.succeed({
          ...aid,
          volunteers: placed(aid.volunteers, byId, volunteer),
          byResident:
            volunteer.residentId === null
              ? aid.byResident
              : HashMap.set(aid.byResident, volunteer.residentId, volunteer.id)
        })
      }),
    updateVolunteer: (volunteer) =>
      write(volunteer.communityId, (aid) => {
        const stored = findBy(aid.volunteers, byId, volunteer.id)
        if (Option.isNone(stored) || stored.value.version !== volunteer.version - 1) {
          return Result.fail(Conflict.stale("Volunteer", volunteer.id))
        }
        // a volunteer's resident is theirs for good (no input changes it); should it change, it
        // moves, and never onto a resident another volunteer is
        const owner = volunteer.residentId === null ? Option.none() : HashMap.get(aid.byResident, volunteer.residentId)
        if (Option.isSome(owner) && owner.value !== volunteer.id) {
          return Result.fail(Conflict.duplicate("Volunteer", volunteer.id))
        }
        const without =
          stored.value.residentId === null ? aid.byResident : HashMap.remove(aid.byResident, stored.value.residentId)
        return Result.succeed({
          ...aid,
          volunteers: placed(aid.volunteers, byId, volunteer),
          byResident: volunteer.residentId === null ? without : HashMap.set(without, volunteer.residentId, volunteer.id)
        })
      }),
    findVolunteer: (communityId, id) => read(communityId, (aid) => findBy(aid.volunteers, byId, id)),
    findVolunteerByResident: (communityId, residentId) =>
      read(communityId, (aid) =>
        Option.flatMap(HashMap.get(aid.byResident, residentId), (id) => findBy(aid.volunteers, byId, id))
      ),
    listVolunteers: (query, window) =>
      read(query.communityId, (aid) =>
        page(
          aid.volunteers,
          window,
          (v) =>
            (query.status === undefined || v.status === query.status) &&
            (query.skill === undefined || v.skills.includes(query.skill)) &&
            (query.role === undefined || v.roles.includes(query.role))
        )
      ),

    insertRequest: (request) =>
      write(request.communityId, (aid) =>
        Option.isSome(findBy(aid.requests, byId, request.id))
          ? Result.fail(Conflict.duplicate("HelpRequest", request.id))
          : Result.succeed({ ...aid, requests: placed(aid.requests, byId, request) })
      ),
    updateRequest: (request) =>
      write(request.communityId, (aid) =>
        Result.map(replaced(aid.requests, request, "HelpRequest"), (requests) => ({ ...aid, requests }))
      ),
    // transactions are serialized by the store's lock, so a check of the version is enough
    lockRequest: (communityId, id, version) =>
      Effect.flatMap(
        read(communityId, (aid) => findBy(aid.requests, byId, id)),
        (stored) =>
          Option.isSome(stored) && stored.value.version === version
            ? Effect.void
            : Effect.fail(Conflict.stale("HelpRequest", id))
      ),
    findRequest: (communityId, id) => read(communityId, (aid) => findBy(aid.requests, byId, id)),
    listRequests: (query, window) =>
      read(query.communityId, (aid) =>
        page(
          aid.requests,
          window,
          (r) =>
            (query.status === undefined || r.status === query.status) &&
            (query.requesterId === undefined || r.requesterId === query.requesterId) &&
            (query.category === undefined || r.category === query.category) &&
            (query.createdFrom === undefined || r.createdAt >= query.createdFrom) &&
            (query.createdTo === undefined || r.createdAt < query.createdTo) &&
            (query.volunteerId === undefined ||
              r.places.some((p) => p.volunteerId === query.volunteerId) ||
              r.services.some((s) => s.volunteerId === query.volunteerId))
        )
      ),

    insertPlan: (plan) =>
      write(plan.communityId, (aid) =>
        Option.isSome(findBy(aid.plans, byId, plan.id))
          ? Result.fail(Conflict.duplicate("CarePlan", plan.id))
          : Result.succeed({ ...aid, plans: placed(aid.plans, byId, plan) })
      ),
    updatePlan: (plan) =>
      write(plan.communityId, (aid) =>
        Result.map(replaced(aid.plans, plan, "CarePlan"), (plans) => ({ ...aid, plans }))
      ),
    findPlan: (communityId, id) => read(communityId, (aid) => findBy(aid.plans, byId, id)),
    listPlans: (communityId, window) => read(communityId, (aid) => page(aid.plans, window)),
    putVisit: (communityId, visit) =>
      write(communityId, (aid) => {
        const visits = Option.getOrElse(HashMap.get(aid.visits, visit.planId), (): ReadonlyArray<Visit> => [])
        return Result.succeed({
          ...aid,
          visits: HashMap.set(aid.visits, visit.planId, placed(visits, byDueStart, visit))
        })
      }),
    listVisits: (communityId, planId) =>
      read(communityId, (aid) => Option.getOrElse(HashMap.get(aid.visits, planId), () => [])),

    putWalking: (communityId, a, b, metres) =>
      write(communityId, (aid) =>
        Result.succeed({ ...aid, walking: HashMap.set(aid.walking, Matching.walkingKey(a, b), metres) })
      ),
    walking: (communityId) => read(communityId, (aid) => new Map(aid.walking))
  }
}
