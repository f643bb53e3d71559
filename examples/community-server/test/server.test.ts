/**
 * The example server, for real: Node HTTP on a free port, a temporary SQLite file, the demo
 * seed, and requests with the demo tokens.
 */
import { CurrentActor, Outbox, Residents, systemActor } from "@commonweal/core"
import type { CommunityId } from "@commonweal/core"
import {
  emptyDemoSeedReport,
  GULI_ID,
  guliResidents,
  junxinWorkshopMembers,
  JUNXIN_ID,
  junxinResidents,
  seedDemo,
  zhouSaiqun
} from "@commonweal/testing/demo"
import { HttpServer } from "effect/http"
import { Effect, ManagedRuntime } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { banner, findDemoActor, makeServer, SeedReport, serverUrl } from "../src/index.js"
import type { ServerConfig } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "commonweal-server-test-"))
const config: ServerConfig = {
  port: 0,
  host: "127.0.0.1",
  seed: true,
  storage: { _tag: "Sqlite", filename: join(dir, "nested", "commonweal.sqlite") }
}

const start = async () => {
  const runtime = ManagedRuntime.make(makeServer(config))
  const { address, report } = await runtime.runPromise(
    Effect.all({ address: Effect.map(HttpServer.HttpServer, (s) => s.address), report: SeedReport })
  )
  return { runtime, address, base: serverUrl(address), report }
}

/** Counts what is stored: active residents per community (as its admin) and outbox events. */
const counts = Effect.gen(function* () {
  const residents = yield* Residents
  const outbox = yield* Outbox
  const count = (communityId: CommunityId) =>
    Effect.gen(function* () {
      const page = yield* residents
        .search({}, { limit: 200 })
        .pipe(Effect.provideService(CurrentActor, systemActor(communityId)))
      const events = yield* outbox.list(communityId, 0, 10_000)
      return { residents: page.items.length, events: events.length }
    })
  return { junxin: yield* count(JUNXIN_ID), guli: yield* count(GULI_ID) }
})

const auth = (key: string) => ({ authorization: `Bearer ${findDemoActor(key).token}` })

describe("community-server", () => {
  let first: Awaited<ReturnType<typeof start>>

  beforeAll(async () => {
    first = await start()
  })

  afterAll(async () => {
    await first?.runtime.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it("seeds both communities on first start", async () => {
    expect(first.report).toEqual({
      communitiesCreated: 2,
      residentsRegistered: junxinResidents.length + guliResidents.length + junxinWorkshopMembers.length,
      householdLinks: 5,
      guardianLinks: 4,
      consentsRecorded: 7,
      fundEntries: 11,
      fundRounds: 2,
      volunteers: 7,
      helpRequests: 2,
      carePlans: 1,
      workshopWorkers: 25,
      workshopOrders: 1,
      workshopMovements: 283
    })
    expect(banner(first.address, first.report)).toContain("seeded: 2 个社区 communities")
    const stored = await first.runtime.runPromise(counts)
    expect(stored.junxin.residents).toBe(junxinResidents.length + junxinWorkshopMembers.length)
    expect(stored.guli.residents).toBe(guliResidents.length)
  })

  it("answers GET /health without a token", async () => {
    const response = await fetch(`${first.base}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ status: "ok" })
  })

  it("serves the OpenAPI document and the docs UI", async () => {
    const response = await fetch(`${first.base}/openapi.json`)
    expect(response.status).toBe(200)
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.paths)).toContain("/residents/{id}")
    const docs = await fetch(`${first.base}/docs`)
    expect(docs.status).toBe(200)
    expect(docs.headers.get("content-type")).toContain("text/html")
  })

  it("reads 周赛群 in full with the Junxin staff token, reduced with the volunteer token", async () => {
    const staff = await fetch(`${first.base}/residents/${zhouSaiqun.id}`, { headers: auth("junxin-staff") })
    expect(staff.status).toBe(200)
    const full = (await staff.json()) as Record<string, unknown>
    expect(full).toMatchObject({
      _tag: "Full",
      displayName: "周赛群",
      birthYear: 1936,
      health: { conditions: ["高血压"] }
    })

    const volunteer = await fetch(`${first.base}/residents/${zhouSaiqun.id}`, { headers: auth("junxin-volunteer") })
    expect(volunteer.status).toBe(200)
    const reduced = (await volunteer.json()) as Record<string, unknown>
    expect(reduced).toMatchObject({
      _tag: "Reduced",
      displayName: "周赛群",
      ageBand: expect.stringMatching(/^9\d-9\d$/)
    })
    expect(reduced).not.toHaveProperty("health")
  })

  it("refuses a missing token (401) and hides Junxin from Gu Li staff (404)", async () => {
    const anonymous = await fetch(`${first.base}/residents/${zhouSaiqun.id}`)
    expect(anonymous.status).toBe(401)
    const other = await fetch(`${first.base}/residents/${zhouSaiqun.id}`, { headers: auth("guli-staff") })
    expect(other.status).toBe(404)
    expect(await other.json()).toMatchObject({ code: "NotFound" })
  })

  it("seeds once: seeding again, in process and after a restart, writes nothing", async () => {
    const before = await first.runtime.runPromise(counts)
    const again = await first.runtime.runPromise(seedDemo)
    expect(again).toEqual({
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
    })
    const stopped = first.base
    await first.runtime.dispose()
    // closing the layer stops the server: nothing listens there any more
    await expect(fetch(`${stopped}/health`)).rejects.toThrow()

    first = await start()
    expect(first.report).toEqual(emptyDemoSeedReport)
    expect(banner(first.address, first.report)).toContain("nothing written")
    const after = await first.runtime.runPromise(counts)
    expect(after).toEqual(before)
    const response = await fetch(`${first.base}/residents/${zhouSaiqun.id}`, { headers: auth("junxin-staff") })
    expect(response.status).toBe(200)
  })
})
