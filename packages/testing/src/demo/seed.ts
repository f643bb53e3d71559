/**
 * `seedDemo`: puts the two neighbourhoods into any storage, once.
 *
 * Runs through the core services as the system actor of each community, so every record is
 * validated and every change leaves its domain event, exactly as if staff had entered it.
 *
 * Each community is seeded **atomically** and **only when it does not exist yet**:
 *
 * - The whole seed of one community (provision it, register its residents, make its households
 *   and guardian links, record the guardians' consents) runs in one `Transactor.withTransaction`;
 *   the services' own transactions join it. A seed that fails, dies or is interrupted midway
 *   leaves nothing of that community behind, so the next start simply tries again.
 * - When the community already exists, nothing at all is written for it (its report is zeros).
 *   The demo data is a starting point, not a state to restore: what users changed afterwards
 *   (a withdrawn consent, an unlinked guardian, an erased resident) stays as they left it.
 *
 * Two seeders racing on an empty store are fine too: the loser's provisioning is a duplicate,
 * its transaction rolls back whole, and it reports zeros for that community.
 *
 * @module
 */
import {
  Communities,
  CurrentActor,
  type Fund,
  type MutualAid,
  Residents,
  systemActor,
  Transactor,
  type Workshop
} from "@commonweal/core"
import type { CommunityId, DomainError } from "@commonweal/core"
import { Effect } from "effect"
import type { DemoCommunity } from "./communities.js"
import { demoCommunities, JUNXIN_ID } from "./communities.js"
import type { DemoFundReport } from "./fund.js"
import { seedJunxinFund } from "./fund.js"
import type { DemoMutualAidReport } from "./mutual-aid.js"
import { seedJunxinMutualAid } from "./mutual-aid.js"
import type { DemoGuardianLink, DemoHousehold } from "./links.js"
import { demoGuardianLinks, demoHouseholds } from "./links.js"
import type { DemoResident } from "./residents.js"
import { guliResidents, junxinResidents } from "./residents.js"
import type { DemoWorkshopReport } from "./workshop.js"
import { seedJunxinWorkshop } from "./workshop.js"

/** What one run of {@link seedDemo} wrote. All zero when the communities existed already. */
export interface DemoSeedReport {
  readonly communitiesCreated: number
  readonly residentsRegistered: number
  readonly householdLinks: number
  readonly guardianLinks: number
  readonly consentsRecorded: number
  /** Money entries of the fund (Candy Commune's sales and costs, proceeds, donations). */
  readonly fundEntries: number
  /** Allocation rounds of the fund. */
  readonly fundRounds: number
  /** Volunteers of mutual aid. */
  readonly volunteers: number
  /** Help requests. */
  readonly helpRequests: number
  /** Care plans. */
  readonly carePlans: number
  /** Workers enrolled in the workshop (馨工坊). */
  readonly workshopWorkers: number
  /** Work orders of the workshop. */
  readonly workshopOrders: number
  /** Movements of pieces in the workshop (receipts, sign-outs, returns, shipments). */
  readonly workshopMovements: number
}

/** A report of nothing written. */
export const emptyDemoSeedReport: DemoSeedReport = {
  communitiesCreated: 0,
  residentsRegistered: 0,
  householdLinks: 0,
  guardianLinks: 0,
  consentsRecorded: 0,
  fundEntries: 0,
  fundRounds: 0,
  volunteers: 0,
  helpRequests: 0,
  carePlans: 0,
  workshopWorkers: 0,
  workshopOrders: 0,
  workshopMovements: 0
}

/** Everything seeded into one community, in the order it is written. */
export interface DemoCommunitySeed {
  readonly community: DemoCommunity
  readonly residents: ReadonlyArray<DemoResident>
  readonly households: ReadonlyArray<DemoHousehold>
  readonly guardianLinks: ReadonlyArray<DemoGuardianLink>
  /** The community's fund, seeded after its people (Junxin's: a season of Candy Commune and two rounds). */
  readonly fund?: Effect.Effect<DemoFundReport, DomainError, Fund>
  /** The community's mutual aid, seeded after its people (Junxin's: 老乡团 volunteers, requests, a care plan). */
  readonly mutualAid?: Effect.Effect<DemoMutualAidReport, DomainError, MutualAid>
  /** The community's workshop, seeded last (Junxin's 馨工坊: a 30,000-part order, 25 workers, a fortnight of returns). */
  readonly workshop?: Effect.Effect<DemoWorkshopReport, DomainError, Workshop | Residents>
}

/** The errors a seed can fail with (never, for the demo data itself: it is valid by construction). */
export type DemoSeedError = DomainError

/** The demo residents of each community, keyed by community id. */
export const demoResidentsByCommunity: ReadonlyMap<CommunityId, ReadonlyArray<DemoResident>> = new Map([
  [demoCommunities[0]!.id, junxinResidents],
  [demoCommunities[1]!.id, guliResidents]
])

/** Every demo resident of both communities. */
export const demoResidents: ReadonlyArray<DemoResident> = [...junxinResidents, ...guliResidents]

/** The seed of each demo community, Junxin first. */
export const demoCommunitySeeds: ReadonlyArray<DemoCommunitySeed> = demoCommunities.map((community) => ({
  community,
  residents: demoResidentsByCommunity.get(community.id) ?? [],
  households: demoHouseholds.filter((h) => h.communityId === community.id),
  guardianLinks: demoGuardianLinks.filter((l) => l.communityId === community.id),
  ...(community.id === JUNXIN_ID
    ? { fund: seedJunxinFund, mutualAid: seedJunxinMutualAid, workshop: seedJunxinWorkshop }
    : {})
}))

/** Whether this error says the community was provisioned by someone else meanwhile. */
const isCommunityDuplicate =
  (community: DemoCommunity) =>
  (e: DemoSeedError): boolean =>
    e._tag === "Conflict" && e.reason === "duplicate" && e.entity === "Community" && e.id === community.id

/**
 * Seeds one community, atomically, if it does not exist yet; writes nothing (and reports
 * zeros) if it does. Exposed so that a test can seed its own variant of the data.
 */
export const seedDemoCommunity = (
  seed: DemoCommunitySeed
): Effect.Effect<DemoSeedReport, DemoSeedError, Communities | Residents | Fund | MutualAid | Workshop | Transactor> =>
  Effect.gen(function* () {
    const communities = yield* Communities
    const residents = yield* Residents
    const transactor = yield* Transactor
    const { community } = seed

    const write = Effect.gen(function* () {
      // read inside the transaction: a community that exists is never touched again
      const exists = yield* communities.get(community.id).pipe(
        Effect.as(true),
        Effect.catchTag("NotFound", () => Effect.succeed(false))
      )
      if (exists) return emptyDemoSeedReport

      yield* communities.provision(community)
      for (const person of seed.residents) yield* residents.register(person)

      let householdLinks = 0
      for (const household of seed.households) {
        const [head, ...others] = household.memberIds
        for (const other of others) {
          yield* residents.linkHousehold(other, head)
          householdLinks++
        }
      }

      let consentsRecorded = 0
      for (const link of seed.guardianLinks) {
        yield* residents.linkGuardian(link.wardId, link.guardianId)
        for (const purpose of link.consents) {
          yield* residents.recordConsent(link.wardId, {
            purpose,
            grantedBy: { _tag: "Guardian", guardianId: link.guardianId }
          })
          consentsRecorded++
        }
      }

      const fund = seed.fund === undefined ? { entries: 0, rounds: 0 } : yield* seed.fund
      const aid = seed.mutualAid === undefined ? { volunteers: 0, requests: 0, carePlans: 0 } : yield* seed.mutualAid
      const shop = seed.workshop === undefined ? undefined : yield* seed.workshop

      return {
        communitiesCreated: 1,
        residentsRegistered: seed.residents.length + (shop?.residentsRegistered ?? 0),
        householdLinks,
        guardianLinks: seed.guardianLinks.length,
        consentsRecorded,
        fundEntries: fund.entries,
        fundRounds: fund.rounds,
        volunteers: aid.volunteers,
        helpRequests: aid.requests,
        carePlans: aid.carePlans,
        workshopWorkers: shop?.workers ?? 0,
        workshopOrders: shop?.orders ?? 0,
        workshopMovements: shop?.movements ?? 0
      } satisfies DemoSeedReport
    })

    return yield* transactor.withTransaction(write).pipe(
      // a concurrent seeder provisioned it first: our transaction rolled back whole, theirs stands
      Effect.catchIf(isCommunityDuplicate(community), () => Effect.succeed(emptyDemoSeedReport))
    )
  }).pipe(Effect.provideService(CurrentActor, systemActor(seed.community.id)))

/** Adds two reports. */
const add = (a: DemoSeedReport, b: DemoSeedReport): DemoSeedReport => ({
  communitiesCreated: a.communitiesCreated + b.communitiesCreated,
  residentsRegistered: a.residentsRegistered + b.residentsRegistered,
  householdLinks: a.householdLinks + b.householdLinks,
  guardianLinks: a.guardianLinks + b.guardianLinks,
  consentsRecorded: a.consentsRecorded + b.consentsRecorded,
  fundEntries: a.fundEntries + b.fundEntries,
  fundRounds: a.fundRounds + b.fundRounds,
  volunteers: a.volunteers + b.volunteers,
  helpRequests: a.helpRequests + b.helpRequests,
  carePlans: a.carePlans + b.carePlans,
  workshopWorkers: a.workshopWorkers + b.workshopWorkers,
  workshopOrders: a.workshopOrders + b.workshopOrders,
  workshopMovements: a.workshopMovements + b.workshopMovements
})

/** Seeds the given communities one after the other (each atomically) and adds up the reports. */
export const seedDemoWith = (
  seeds: ReadonlyArray<DemoCommunitySeed>
): Effect.Effect<DemoSeedReport, DemoSeedError, Communities | Residents | Fund | MutualAid | Workshop | Transactor> =>
  Effect.reduce(
    seeds,
    () => emptyDemoSeedReport,
    (total, seed) => Effect.map(seedDemoCommunity(seed), (report) => add(total, report))
  )

/**
 * Seeds 君馨社区 and 顾里小站 with their demo residents, households, guardians and guardian
 * consents, and 君馨社区's fund (a season of Candy Commune, one round paid, one in public notice)
 * mutual aid (老乡团 volunteers, an escort done and credited, an open request, a care plan)
 * and Xin Workshop 馨工坊 (a 30,000-part order, 25 workers, a fortnight of sign-outs and returns, a
 * week paid). Each community is written whole, in one transaction, or not at all; a community
 * that exists already is left exactly as it is. Run it on every start: once both exist, it
 * writes nothing and reports zeros.
 *
 * @example
 * ```ts
 * import { seedDemo } from "@commonweal/testing/demo"
 *
 * const report = yield* seedDemo   // needs Communities | Residents | Fund | MutualAid | Workshop | Transactor
 * ```
 */
export const seedDemo: Effect.Effect<
  DemoSeedReport,
  DemoSeedError,
  Communities | Residents | Fund | MutualAid | Workshop | Transactor
> = seedDemoWith(demoCommunitySeeds)
