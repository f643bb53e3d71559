/**
 * The demo seed against real storage (a temporary SQLite file): it writes a community whole or
 * not at all, and once a community exists it never writes to it again, whatever users did to
 * the demo data in between.
 */
import {
  CommunityRepo,
  CurrentActor,
  Fund,
  Ledger,
  Outbox,
  ResidentId,
  ResidentRepo,
  Residents,
  systemActor
} from "@commonweal/core"
import type { CommunityId, ResidentView } from "@commonweal/core"
import {
  demoCommunitySeeds,
  emptyDemoSeedReport,
  GULI_ID,
  guliResidents,
  junxinWorkshopMembers,
  JUNXIN_ID,
  junxinResidents,
  seedDemo,
  seedDemoWith,
  songHaoran,
  taoGuifang,
  tianYiyi,
  wanZixuan,
  wuHaixia,
  xiongLiping,
  zhouSaiqun
} from "@commonweal/testing/demo"
import type { DemoCommunitySeed } from "@commonweal/testing/demo"
import { HttpServer } from "effect/http"
import { Effect, Exit, Layer, ManagedRuntime, Option } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { banner, coreLayer, findDemoActor, makeServer, SeedReport, storageLayer } from "../src/index.js"
import type { ServerConfig } from "../src/index.js"

const dirs: Array<string> = []
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), "commonweal-seed-test-"))
  dirs.push(dir)
  return join(dir, "commonweal.sqlite")
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const start = async (config: ServerConfig) => {
  const runtime = ManagedRuntime.make(makeServer(config))
  const { address, report } = await runtime.runPromise(
    Effect.all({ address: Effect.map(HttpServer.HttpServer, (s) => s.address), report: SeedReport })
  )
  return { runtime, address, report }
}

/** Everything a community holds, as its admin sees it: every demo resident's full view, and its events. */
const snapshot = (communityId: CommunityId, ids: ReadonlyArray<ResidentId>) =>
  Effect.gen(function* () {
    const residents = yield* Residents
    const outbox = yield* Outbox
    const views: Record<string, ResidentView> = {}
    for (const id of ids) views[id] = yield* residents.get(id)
    const page = yield* residents.search({}, { limit: 200 })
    const events = yield* outbox.list(communityId, 0, 10_000)
    return { views, residents: page.items.length, events: events.length }
  }).pipe(Effect.provideService(CurrentActor, systemActor(communityId)))

const everything = Effect.all({
  junxin: snapshot(
    JUNXIN_ID,
    junxinResidents.map((r) => r.id)
  ),
  guli: snapshot(
    GULI_ID,
    guliResidents.map((r) => r.id)
  )
})

const full = (view: ResidentView | undefined) => {
  if (view?._tag !== "Full") throw new Error("expected the full view")
  return view
}

describe("the demo seed never touches what users changed", () => {
  it("restarts after a withdrawn consent, an unlinked guardian and two erasures, and changes nothing", async () => {
    const config: ServerConfig = {
      port: 0,
      host: "127.0.0.1",
      seed: true,
      storage: { _tag: "Sqlite", filename: tempDb() }
    }
    const one = await start(config)
    expect(one.report.communitiesCreated).toBe(2)

    // a social worker withdraws 田依依's photos consent, unlinks 吴海霞 as 宋浩然's guardian,
    // and erases 熊丽萍 and 周赛群 (PIPL deletion), through the services
    await one.runtime.runPromise(
      Effect.gen(function* () {
        const residents = yield* Residents
        yield* residents.withdrawConsent(tianYiyi.id, "photos")
        yield* residents.unlinkGuardian(songHaoran.id, wuHaixia.id)
        yield* residents.erase(xiongLiping.id)
        yield* residents.erase(zhouSaiqun.id)
      }).pipe(Effect.provideService(CurrentActor, findDemoActor("junxin-staff").actor))
    )
    const before = await one.runtime.runPromise(everything)

    // seeding again in process writes nothing
    expect(await one.runtime.runPromise(seedDemo)).toEqual(emptyDemoSeedReport)
    await one.runtime.dispose()

    // and so does a restart, which no longer dies on the erased residents
    const two = await start(config)
    try {
      expect(two.report).toEqual(emptyDemoSeedReport)
      expect(banner(two.address, two.report)).toContain("nothing written")
      const after = await two.runtime.runPromise(everything)
      expect(after.junxin.residents).toBe(before.junxin.residents)
      expect(after.junxin.events).toBe(before.junxin.events)
      expect(after.guli.events).toBe(before.guli.events)
      expect(after).toEqual(before)

      // the withdrawn consent is still withdrawn, and not granted again in the guardian's name
      const yiyi = full(after.junxin.views[tianYiyi.id])
      const photos = yiyi.consents.filter((c) => c.purpose === "photos")
      expect(photos.length).toBeGreaterThan(0)
      expect(photos.every((c) => c.withdrawnAt !== null)).toBe(true)
      // the unlinked guardian stays unlinked; the erased mother is no guardian any more
      expect(full(after.junxin.views[songHaoran.id]).guardianIds).not.toContain(wuHaixia.id)
      expect(full(after.junxin.views[wanZixuan.id]).guardianIds).not.toContain(xiongLiping.id)
      // the erased stay erased
      for (const id of [xiongLiping.id, zhouSaiqun.id]) {
        expect(after.junxin.views[id]).toMatchObject({ status: "erased" })
      }
    } finally {
      await two.runtime.dispose()
    }
  })
})

describe("the demo seed is atomic per community", () => {
  const junxinSeed: DemoCommunitySeed = demoCommunitySeeds.find((s) => s.community.id === JUNXIN_ID)!
  /** A resident id nobody registered. */
  const stranger = ResidentId.make("0187d49b-e800-7000-8001-0000000000ff")

  const storage = () => {
    const runtime = ManagedRuntime.make(coreLayer(storageLayer({ _tag: "Sqlite", filename: tempDb() })))
    const nothingOfJunxin = Effect.gen(function* () {
      const communities = yield* CommunityRepo
      const residents = yield* ResidentRepo
      const outbox = yield* Outbox
      return {
        community: Option.isSome(yield* communities.findById(JUNXIN_ID)),
        residents: (yield* Effect.forEach(junxinResidents, (r) => residents.findById(JUNXIN_ID, r.id))).filter(
          Option.isSome
        ).length,
        events: (yield* outbox.list(JUNXIN_ID, 0, 10_000)).length
      }
    })
    return { runtime, nothingOfJunxin }
  }

  /** After a failed seed: nothing of Junxin is stored, and the real seed then writes it whole. */
  const expectNothingThenReseed = async ({ runtime, nothingOfJunxin }: ReturnType<typeof storage>) => {
    expect(await runtime.runPromise(nothingOfJunxin)).toEqual({ community: false, residents: 0, events: 0 })
    const report = await runtime.runPromise(seedDemo)
    expect(report.communitiesCreated).toBe(2)
    expect(report.residentsRegistered).toBe(
      junxinResidents.length + guliResidents.length + junxinWorkshopMembers.length
    )
    expect(await runtime.runPromise(nothingOfJunxin)).toMatchObject({
      community: true,
      residents: junxinResidents.length
    })
    await runtime.dispose()
  }

  it("leaves no partial community when the last step fails (a guardian who is no resident)", async () => {
    const store = storage()
    const broken: DemoCommunitySeed = {
      ...junxinSeed,
      guardianLinks: [
        ...junxinSeed.guardianLinks,
        { communityId: JUNXIN_ID, wardId: wanZixuan.id, guardianId: stranger, consents: ["registry"] }
      ]
    }
    const exit = await store.runtime.runPromiseExit(seedDemoWith([broken]))
    expect(Exit.isFailure(exit)).toBe(true)
    expect(String(Exit.isFailure(exit) ? exit.cause : "")).toContain("InvalidInput")
    await expectNothingThenReseed(store)
  })

  it("leaves no partial community when a resident midway is invalid", async () => {
    const store = storage()
    const invalid = { ...taoGuifang, id: stranger, birthYear: 1800 }
    const half = Math.floor(junxinSeed.residents.length / 2)
    const broken: DemoCommunitySeed = {
      ...junxinSeed,
      residents: [...junxinSeed.residents.slice(0, half), invalid, ...junxinSeed.residents.slice(half)]
    }
    const exit = await store.runtime.runPromiseExit(seedDemoWith([broken]))
    expect(Exit.isFailure(exit)).toBe(true)
    await expectNothingThenReseed(store)
  })

  it("leaves no partial community when the seed is interrupted midway", async () => {
    const store = storage()
    // a Residents that is interrupted when it gets to the second half of the residents
    const interruptAt = junxinSeed.residents[Math.floor(junxinSeed.residents.length / 2)]!.id
    const interrupting = Layer.effect(
      Residents,
      Effect.map(Residents, (real) =>
        Residents.of({
          ...real,
          register: (input) => (input.id === interruptAt ? Effect.interrupt : real.register(input))
        })
      )
    )
    const exit = await store.runtime.runPromiseExit(seedDemoWith([junxinSeed]).pipe(Effect.provide(interrupting)))
    expect(Exit.hasInterrupts(exit)).toBe(true)
    await expectNothingThenReseed(store)
  })
})

describe("the demo fund of 君馨社区", () => {
  it("holds a season of Candy Commune, one round paid and one in public notice, reconciled to the ledger", async () => {
    const one = await start({ port: 0, host: "127.0.0.1", seed: true, storage: { _tag: "Sqlite", filename: tempDb() } })
    expect([one.report.fundEntries, one.report.fundRounds]).toEqual([11, 2])
    const treasurer = findDemoActor("junxin-treasurer").actor
    const resident = findDemoActor("junxin-resident").actor
    const seen = await one.runtime.runPromise(
      Effect.gen(function* () {
        const fund = yield* Fund
        const rounds = yield* fund.rounds().pipe(Effect.provideService(CurrentActor, treasurer))
        const to = Date.now() + 86_400_000
        const statement = yield* fund.statement({ from: 0, to }).pipe(Effect.provideService(CurrentActor, treasurer))
        const report = yield* fund.publicReport({ from: 0, to }).pipe(Effect.provideService(CurrentActor, resident))
        // 熊丽萍 lives with 周赛群, whose family is a candidate of both rounds
        const mine = yield* fund.myApplications().pipe(Effect.provideService(CurrentActor, resident))
        const ledger = yield* Ledger
        const chain = yield* ledger.verifyChain().pipe(Effect.provideService(CurrentActor, systemActor(JUNXIN_ID)))
        return { rounds: rounds.items, statement, report, mine: mine.items, chain }
      })
    )
    expect(seen.rounds.map((r) => r.status)).toEqual(["notice", "paid"])
    expect(seen.statement.reconciliation.ok).toBe(true)
    expect(seen.statement.enterprise.sales).toBe(604_500)
    expect(seen.statement.enterprise.proceedsToFund).toBe(304_500)
    const paid = seen.rounds[1]!
    expect(seen.statement.total.allocations).toBe(paid.outcome!.allocated)
    expect(seen.report.reconciled).toBe(true)
    expect(JSON.stringify(seen.report)).not.toContain("family A")
    expect(seen.mine.map((a) => a.candidate.key)).toEqual(["zhou", "zhou"])
    expect(seen.chain.transfers).toBeGreaterThan(11)
    await one.runtime.dispose()
  })
})
