/**
 * Idempotent POSTs on real databases (SQLite in a temporary file, PostgreSQL, MariaDB): the key
 * is kept by the database in the command's transaction, so a retry is answered once after a lost
 * response and a restart, when two server instances race, and however many keys another tenant
 * floods the server with.
 *
 * Each server instance is the example's API over its own storage layer (its own connection or
 * pool) on the shared database, served as a web handler (`makeWebHandler`), so a test can lose
 * a response after the server answered it. The databases keep data between runs: every key and
 * name of a run carries the run's id.
 *
 * PostgreSQL and MariaDB come from `COMMONWEAL_TEST_POSTGRES_URL` / `COMMONWEAL_TEST_MYSQL_URL`;
 * without one the suite is skipped with a warning, or fails under `CI=true`.
 */
import type { HttpLayerOptions, WebHandler } from "@commonweal/http"
import { makeWebHandler, TokenVerifier } from "@commonweal/http"
import { contractMode, databaseUrl } from "@commonweal/testing"
import { zhouSaiqun } from "@commonweal/testing/demo"
import { Layer, Logger, ManagedRuntime } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import type { StorageConfig } from "../src/index.js"
import {
  coreLayer,
  demoTokenTable,
  findDemoActor,
  purgeExpiredKeys,
  purgeExpiredKeysLayer,
  seedLayer,
  storageLayer
} from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "commonweal-idempotency-test-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** This run's id: keys and names are unique per run, since the databases keep data between runs. */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

/** One server instance: the example's API, seeded, over its own storage layer on `storage`. */
const instance = (storage: StorageConfig, options?: HttpLayerOptions): WebHandler =>
  makeWebHandler(
    Layer.mergeAll(TokenVerifier.static(demoTokenTable), purgeExpiredKeysLayer).pipe(
      Layer.provideMerge(seedLayer(true).pipe(Layer.provideMerge(coreLayer(storageLayer(storage)))))
    ),
    options
  )

const tokenOf = (account: string) => findDemoActor(account).token

/** A request to the API (the host is never contacted: the handler answers it in process). */
const request = (
  path: string,
  account: string,
  init: { readonly method?: string; readonly body?: unknown; readonly key?: string } = {}
): Request =>
  new Request(`http://commonweal.test${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${tokenOf(account)}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.key === undefined ? {} : { "idempotency-key": init.key })
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) })
  })

/** `POST /residents` registering `displayName` with `key`. */
const register = (account: string, displayName: string, key: string) =>
  request("/residents", account, { method: "POST", body: { displayName }, key })

interface Answer {
  readonly status: number
  readonly replayed: boolean
  readonly json: Record<string, unknown>
}

/** Sends `req` to `server` and reads the answer. */
const send = async (server: WebHandler, req: Request): Promise<Answer> => {
  const response = await server.handler(req)
  const text = await response.text()
  return {
    status: response.status,
    replayed: response.headers.get("idempotent-replayed") === "true",
    json: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>)
  }
}

/** The ids of the residents of the staff's community whose name contains `name`. */
const residentsNamed = async (server: WebHandler, account: string, name: string): Promise<Array<string>> => {
  const found = await send(server, request(`/residents?nameContains=${encodeURIComponent(name)}`, account))
  expect(found.status).toBe(200)
  return (found.json.items as Array<{ readonly id: string }>).map((item) => item.id)
}

/** Waits until `server` answers (its layer, the seed included, is built), so that two instances never seed at once. */
const ready = async (server: WebHandler): Promise<WebHandler> => {
  expect((await send(server, request("/health", "junxin-staff"))).status).toBe(200)
  return server
}

/** The idempotency scenarios, on `storage`. */
const scenarios = (name: string, storage: StorageConfig) =>
  describe(`idempotent POSTs on ${name}`, () => {
    const open: Array<WebHandler> = []
    const start = async (options?: HttpLayerOptions) => {
      const server = instance(storage, options)
      open.push(server)
      return ready(server)
    }
    afterAll(async () => {
      for (const server of open) await server.dispose()
    })

    it("a command that committed but whose response was lost is replayed after a restart, not run again", async () => {
      const displayName = `丢失回应${run}`
      const key = `lost-${run}`
      const first = await start()
      // the client never sees the answer: the connection drops after the server answered
      let lostId: string | undefined
      const lossy = async (req: Request): Promise<Response> => {
        const response = await first.handler(req)
        lostId = ((await response.json()) as { readonly id: string }).id
        throw new Error("connection reset by peer")
      }
      await expect(lossy(register("junxin-staff", displayName, key))).rejects.toThrow("connection reset")
      expect(lostId).toEqual(expect.any(String))
      await first.dispose()
      open.splice(open.indexOf(first), 1)

      // a restart: a new instance over the same database, and the client retries
      const second = await start()
      const retried = await send(second, register("junxin-staff", displayName, key))
      expect(retried.status).toBe(201)
      expect(retried.replayed).toBe(true)
      expect(retried.json.id).toBe(lostId)
      expect(await residentsNamed(second, "junxin-staff", displayName)).toEqual([lostId])
    })

    it("two instances racing with one key run the command once; both answer its resident", async () => {
      const [a, b] = [await start(), await start()]
      for (let round = 0; round < 10; round++) {
        const displayName = `竞争${round}-${run}`
        const key = `race-${round}-${run}`
        const [fromA, fromB] = await Promise.all([
          send(a, register("junxin-staff", displayName, key)),
          send(b, register("junxin-staff", displayName, key))
        ])
        expect([fromA.status, fromB.status]).toEqual([201, 201])
        expect(fromA.json.id).toBe(fromB.json.id)
        expect([fromA.replayed, fromB.replayed].filter(Boolean)).toHaveLength(1)
        expect(await residentsNamed(a, "junxin-staff", displayName)).toEqual([fromA.json.id])
      }
    })

    it("one tenant's flood of 2,000 keyed POSTs displaces no other tenant's key, and its refusals leave no key", async () => {
      const server = await start()
      const guliName = `顾里先登记${run}`
      const guliKey = `guli-first-${run}`
      const guli = await send(server, register("guli-staff", guliName, guliKey))
      expect(guli.status).toBe(201)

      // a Junxin grid worker: every 20th request a registration (allowed), the others an erasure (forbidden)
      const flood = Array.from({ length: 2000 }, (_, i) => {
        const key = `flood-${i}-${run}`
        return i % 20 === 0
          ? { key, allowed: true, req: () => register("junxin-grid-worker", `洪${i}-${run}`, key) }
          : {
              key,
              allowed: false,
              req: () => request(`/residents/${zhouSaiqun.id}/erase`, "junxin-grid-worker", { method: "POST", key })
            }
      })
      for (let i = 0; i < flood.length; i += 50) {
        const answers = await Promise.all(flood.slice(i, i + 50).map((entry) => send(server, entry.req())))
        answers.forEach((answer, j) => {
          expect(answer.status).toBe(flood[i + j]?.allowed === true ? 201 : 403)
        })
      }

      // the other tenant's key is still there
      const replay = await send(server, register("guli-staff", guliName, guliKey))
      expect(replay.status).toBe(201)
      expect(replay.replayed).toBe(true)
      expect(replay.json.id).toBe(guli.json.id)
      expect(await residentsNamed(server, "guli-staff", guliName)).toEqual([guli.json.id])

      // the flood's successes were kept: their retry is a replay
      const kept = flood[0]!
      const again = await send(server, kept.req())
      expect(again.replayed).toBe(true)
      // its refusals were not: the same request runs again, and another request may take the key
      // (a stored key would replay the 403, or refuse the other request with 422)
      for (const refused of [flood[1]!, flood[999]!, flood[1999]!]) {
        const same = await send(server, refused.req())
        expect(same.status).toBe(403)
        expect(same.replayed).toBe(false)
        const other = await send(server, register("junxin-grid-worker", `键复用${refused.key}`, refused.key))
        expect(other.status).toBe(201)
        expect(other.replayed).toBe(false)
      }
      // zhou was never erased
      const zhou = await send(server, request(`/residents/${zhouSaiqun.id}`, "junxin-staff"))
      expect(zhou.json.status).toBe("active")
    })

    it("expired keys are purged (and the count logged); a purged key's retry runs again", async () => {
      const server = await start({ idempotencyTtl: "200 millis" })
      const displayName = `过期清理${run}`
      const key = `purge-${run}`
      const first = await send(server, register("junxin-staff", displayName, key))
      expect(first.status).toBe(201)
      await new Promise((resolve) => setTimeout(resolve, 300))
      const lines: Array<string> = []
      const runtime = ManagedRuntime.make(
        Layer.merge(
          storageLayer(storage),
          Logger.layer([Logger.make((options) => void lines.push(Logger.formatLogFmt.log(options)))])
        )
      )
      try {
        const purged = await runtime.runPromise(purgeExpiredKeys)
        expect(purged).toBeGreaterThanOrEqual(1)
        expect(lines.join("\n")).toContain(`purged expired idempotency keys: ${purged}`)
        lines.length = 0
        expect(await runtime.runPromise(purgeExpiredKeys)).toBe(0)
        expect(lines).toEqual([])
      } finally {
        await runtime.dispose()
      }
      const again = await send(server, register("junxin-staff", displayName, key))
      expect(again.status).toBe(201)
      expect(again.replayed).toBe(false)
      expect(again.json.id).not.toBe(first.json.id)
    })
  })

/** Registers the scenarios for a database from `envVar`: run, skipped with a warning, or failing under CI=true. */
const onDatabase = (name: string, envVar: string) => {
  const url = databaseUrl(envVar)
  const mode = contractMode("url" in url ? {} : { skip: url.skip }, process.env)
  switch (mode._tag) {
    case "Run":
      if ("url" in url) scenarios(name, { _tag: "Url", url: url.url })
      return
    case "Fail":
      describe(`idempotent POSTs on ${name}`, () => {
        it("runs (CI=true: a skipped database suite is a failure)", () => {
          throw new Error(`the ${name} idempotency tests cannot run: ${mode.reason}`)
        })
      })
      return
    case "Skip":
      console.warn(`[commonweal] skipping the ${name} idempotency tests: ${mode.reason}`)
      describe.skip(`idempotent POSTs on ${name}`, () => {
        it("runs", () => undefined)
      })
      return
  }
}

scenarios("sqlite", { _tag: "Sqlite", filename: join(dir, "idempotency.sqlite") })
onDatabase("postgres", "COMMONWEAL_TEST_POSTGRES_URL")
onDatabase("mysql", "COMMONWEAL_TEST_MYSQL_URL")
