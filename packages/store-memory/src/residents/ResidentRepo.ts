/**
 * The in-memory `ResidentRepo`: each community's residents ordered by id, in the kernel's transactions.
 *
 * @module
 */
import { Conflict } from "@commonweal/core"
import type { CommunityId, Paging, Resident, ResidentQuery, ResidentRepo } from "@commonweal/core"
import { Effect, HashMap, Option, Result } from "effect"
import { type MemoryKernelService, slot } from "../kernel/index.js"

/**
 * The residents of one community, ordered by id (the order of search results and cursors): an
 * immutable array sorted by id (`<` on the strings, as `Order.string`), replaced on every write.
 * Lookups and cursor positions are binary searches.
 */
type ResidentList = ReadonlyArray<Resident>

/** Residents by community, each community's ordered by id. */
const residents = slot("residents", HashMap.empty<CommunityId, ResidentList>())

const emptyList: ResidentList = []

/** The position of the first resident whose id is not below `id` (`strict`: above `id`). */
const positionOf = (list: ResidentList, id: string, strict = false): number => {
  let low = 0
  let high = list.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const at = list[middle]!.id
    if (at < id || (strict && at === id)) low = middle + 1
    else high = middle
  }
  return low
}

/** The resident with this id in the list, if any. */
const findResident = (list: ResidentList, id: string): Option.Option<Resident> => {
  const found = list[positionOf(list, id)]
  return found !== undefined && found.id === id ? Option.some(found) : Option.none()
}

/** The list with `resident` in its place: replacing the one with the same id, or inserted in order. */
const withResident = (list: ResidentList, resident: Resident): ResidentList => {
  const i = positionOf(list, resident.id)
  const next = list.slice()
  next.splice(i, list[i]?.id === resident.id ? 1 : 0, resident)
  return next
}

type ByCommunity = HashMap.HashMap<CommunityId, ResidentList>

const residentsOf = (all: ByCommunity, communityId: CommunityId): ResidentList =>
  Option.getOrElse(HashMap.get(all, communityId), () => emptyList)

const putResident = (all: ByCommunity, resident: Resident): ByCommunity =>
  HashMap.set(all, resident.communityId, withResident(residentsOf(all, resident.communityId), resident))

/** Whether a resident matches every filter of the query (`ResidentQuery`'s JSDoc is the contract). */
export const matchesQuery =
  (query: ResidentQuery) =>
  (r: Resident): boolean => {
    if (r.communityId !== query.communityId) return false
    if (r.status === "erased" || !query.statuses.includes(r.status)) return false
    if (query.grid !== undefined && r.grid !== query.grid) return false
    if (query.tag !== undefined && !r.tags.includes(query.tag)) return false
    const { language, dialect } = query
    if (language !== undefined || dialect !== undefined) {
      const spoken = r.languages.some(
        (l) => (language === undefined || l.language === language) && (dialect === undefined || l.dialect === dialect)
      )
      if (!spoken) return false
    }
    if (query.homeProvince !== undefined && r.homePlace?.province !== query.homeProvince) return false
    if (query.skill !== undefined && !r.skills.includes(query.skill)) return false
    if (query.bornFrom !== undefined && (r.birthYear === null || r.birthYear < query.bornFrom)) return false
    if (query.bornTo !== undefined && (r.birthYear === null || r.birthYear > query.bornTo)) return false
    if (
      query.nameContains !== undefined &&
      !r.displayName.toLocaleLowerCase().includes(query.nameContains.toLocaleLowerCase())
    )
      return false
    if (
      query.selfOrWardsOf !== undefined &&
      r.id !== query.selfOrWardsOf &&
      !r.guardianIds.includes(query.selfOrWardsOf)
    ) {
      return false
    }
    return true
  }

/** The `ResidentRepo` port over a store's kernel. */
export const makeResidentRepo = (kernel: MemoryKernelService): ResidentRepo["Service"] => ({
  insert: (resident) =>
    kernel.write(residents, (all) =>
      Option.isSome(findResident(residentsOf(all, resident.communityId), resident.id))
        ? Result.fail(Conflict.duplicate("Resident", resident.id))
        : Result.succeed([undefined, putResident(all, resident)] as const)
    ),
  update: (resident) =>
    kernel.write(residents, (all) => {
      const stored = findResident(residentsOf(all, resident.communityId), resident.id)
      return Option.isSome(stored) && stored.value.version === resident.version - 1
        ? Result.succeed([undefined, putResident(all, resident)] as const)
        : Result.fail(Conflict.stale("Resident", resident.id))
    }),
  // transactions are serialized by the store's lock, so a check of the version is enough
  lock: (communityId, id, version) =>
    Effect.flatMap(
      kernel.read(residents, (all) => findResident(residentsOf(all, communityId), id)),
      (stored) =>
        Option.isSome(stored) && stored.value.version === version
          ? Effect.void
          : Effect.fail(Conflict.stale("Resident", id))
    ),
  findById: (communityId, id) => kernel.read(residents, (all) => findResident(residentsOf(all, communityId), id)),
  search: (query, window: Paging.Window) =>
    kernel.read(residents, (all) => {
      const list = residentsOf(all, query.communityId)
      const from = window.after === undefined ? 0 : positionOf(list, window.after, true)
      const matches = matchesQuery(query)
      const found: Array<Resident> = []
      if (window.limit < 1) return found
      for (let i = from; i < list.length; i++) {
        const r = list[i]!
        if (!matches(r)) continue
        found.push(r)
        if (found.length >= window.limit) break
      }
      return found
    })
})
