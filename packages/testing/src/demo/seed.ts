/**
 * `seedDemo`: puts the two neighbourhoods into any storage, idempotently.
 *
 * Runs through the core services as the system actor of each community, so every record is
 * validated and every change leaves its domain event, exactly as if staff had entered it.
 * Each step first reads what is there and only writes what is missing: seeding twice writes
 * nothing the second time (no record, no event).
 *
 * @module
 */
import { Communities, CurrentActor, NotFound, Residents, systemActor } from "@commonweal/core"
import type { CommunityId, ResidentCommandError, ResidentFullView, ResidentId } from "@commonweal/core"
import { Effect } from "effect"
import type { DemoCommunity } from "./communities.js"
import { demoCommunities } from "./communities.js"
import type { DemoGuardianLink, DemoHousehold } from "./links.js"
import { demoGuardianLinks, demoHouseholds } from "./links.js"
import type { DemoResident } from "./residents.js"
import { guliResidents, junxinResidents } from "./residents.js"

/** What one run of {@link seedDemo} wrote. All zero on a second run. */
export interface DemoSeedReport {
  readonly communitiesCreated: number
  readonly residentsRegistered: number
  readonly householdLinks: number
  readonly guardianLinks: number
  readonly consentsRecorded: number
}

/** The demo residents of each community, keyed by community id. */
export const demoResidentsByCommunity: ReadonlyMap<CommunityId, ReadonlyArray<DemoResident>> = new Map([
  [demoCommunities[0]!.id, junxinResidents],
  [demoCommunities[1]!.id, guliResidents]
])

/** Every demo resident of both communities. */
export const demoResidents: ReadonlyArray<DemoResident> = [...junxinResidents, ...guliResidents]

/** The full view of a resident, as the system actor (an admin) sees it. */
const fullView = (residents: Residents, id: ResidentId): Effect.Effect<ResidentFullView, ResidentCommandError, CurrentActor> =>
  Effect.flatMap(residents.get(id), (view) =>
    view._tag === "Full" ? Effect.succeed(view) : Effect.fail(NotFound.of("Resident", id)))

const seedCommunity = (
  community: DemoCommunity,
  people: ReadonlyArray<DemoResident>,
  households: ReadonlyArray<DemoHousehold>,
  guardians: ReadonlyArray<DemoGuardianLink>
): Effect.Effect<DemoSeedReport, ResidentCommandError, Communities | Residents> =>
  Effect.gen(function* () {
    const communities = yield* Communities
    const residents = yield* Residents

    const existed = yield* communities.get(community.id).pipe(
      Effect.as(true),
      Effect.catchTag("NotFound", () => Effect.succeed(false))
    )
    if (!existed) yield* communities.ensure(community)

    let residentsRegistered = 0
    for (const person of people) {
      const present = yield* residents.get(person.id).pipe(
        Effect.as(true),
        Effect.catchTag("NotFound", () => Effect.succeed(false))
      )
      if (present) continue
      // a concurrent seeder may have won the race: a duplicate is as good as our own insert
      const inserted = yield* residents.register(person).pipe(
        Effect.as(true),
        Effect.catchIf((e) => e._tag === "Conflict" && e.reason === "duplicate", () => Effect.succeed(false))
      )
      if (inserted) residentsRegistered++
    }

    let householdLinks = 0
    for (const household of households) {
      const [head, ...others] = household.memberIds
      for (const other of others) {
        const [h, o] = [yield* fullView(residents, head), yield* fullView(residents, other)]
        if (h.householdId !== null && h.householdId === o.householdId) continue
        yield* residents.linkHousehold(other, head)
        householdLinks++
      }
    }

    let guardianLinks = 0
    let consentsRecorded = 0
    for (const link of guardians) {
      let ward = yield* fullView(residents, link.wardId)
      if (!ward.guardianIds.includes(link.guardianId)) {
        yield* residents.linkGuardian(link.wardId, link.guardianId)
        guardianLinks++
        ward = yield* fullView(residents, link.wardId)
      }
      for (const purpose of link.consents) {
        if (ward.consents.some((c) => c.purpose === purpose && c.withdrawnAt === null)) continue
        yield* residents.recordConsent(link.wardId, { purpose, grantedBy: { _tag: "Guardian", guardianId: link.guardianId } })
        consentsRecorded++
      }
    }

    return {
      communitiesCreated: existed ? 0 : 1,
      residentsRegistered,
      householdLinks,
      guardianLinks,
      consentsRecorded
    }
  }).pipe(Effect.provideService(CurrentActor, systemActor(community.id)))

/**
 * Seeds 君馨社区 and 顾里小站 with their demo residents, households, guardians and guardian
 * consents. Idempotent: run it on every start; the second run writes nothing and reports zeros.
 *
 * @example
 * ```ts
 * import { seedDemo } from "@commonweal/testing/demo"
 *
 * const report = yield* seedDemo   // needs Communities | Residents
 * ```
 */
export const seedDemo: Effect.Effect<DemoSeedReport, ResidentCommandError, Communities | Residents> = Effect.gen(function* () {
  const reports: Array<DemoSeedReport> = []
  for (const community of demoCommunities) {
    reports.push(
      yield* seedCommunity(
        community,
        demoResidentsByCommunity.get(community.id) ?? [],
        demoHouseholds.filter((h) => h.communityId === community.id),
        demoGuardianLinks.filter((l) => l.communityId === community.id)
      )
    )
  }
  return reports.reduce((a, b) => ({
    communitiesCreated: a.communitiesCreated + b.communitiesCreated,
    residentsRegistered: a.residentsRegistered + b.residentsRegistered,
    householdLinks: a.householdLinks + b.householdLinks,
    guardianLinks: a.guardianLinks + b.guardianLinks,
    consentsRecorded: a.consentsRecorded + b.consentsRecorded
  }))
})
