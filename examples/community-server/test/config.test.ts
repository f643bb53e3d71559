/**
 * The server's configuration from the environment: PORT, HOST, COMMONWEAL_DB_FILE and friends,
 * with their defaults, read through Effect's `ConfigProvider`.
 */
import { ConfigProvider, Effect, Exit } from "effect"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { defaultDbFile, describeStorage, exampleRoot, loadConfig } from "../src/index.js"

const load = (env: Record<string, string>) =>
  Effect.runPromiseExit(
    loadConfig.pipe(Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env })))
  )

const loaded = async (env: Record<string, string>) => {
  const exit = await load(env)
  if (Exit.isFailure(exit)) throw new Error(`config failed: ${String(exit.cause)}`)
  return exit.value
}

describe("loadConfig", () => {
  it("defaults: port 3000 on 127.0.0.1, the example's SQLite file, seeding on, tracing off", async () => {
    expect(await loaded({})).toEqual({
      port: 3000,
      host: "127.0.0.1",
      storage: { _tag: "Sqlite", filename: defaultDbFile },
      seed: true,
      tracing: false
    })
    expect(defaultDbFile).toBe(join(exampleRoot, ".data", "commonweal.sqlite"))
  })

  it("reads PORT, HOST and COMMONWEAL_DB_FILE; a relative file is relative to the example folder", async () => {
    const config = await loaded({ PORT: "8787", HOST: "0.0.0.0", COMMONWEAL_DB_FILE: "tmp/smoke.sqlite" })
    expect(config).toMatchObject({
      port: 8787,
      host: "0.0.0.0",
      storage: { _tag: "Sqlite", filename: join(exampleRoot, "tmp/smoke.sqlite") }
    })
    const absolute = await loaded({ COMMONWEAL_DB_FILE: "/tmp/cw-smoke.sqlite" })
    expect(absolute.storage).toEqual({ _tag: "Sqlite", filename: "/tmp/cw-smoke.sqlite" })
    expect(describeStorage(absolute.storage)).toBe("SQLite /tmp/cw-smoke.sqlite")
  })

  it("uses DATABASE_URL instead of SQLite, and never shows its password", async () => {
    const config = await loaded({
      DATABASE_URL: "postgres://app:secret@127.0.0.1:5432/commonweal",
      COMMONWEAL_DB_FILE: "ignored.sqlite"
    })
    expect(config.storage).toEqual({ _tag: "Url", url: "postgres://app:secret@127.0.0.1:5432/commonweal" })
    expect(describeStorage(config.storage)).toBe("postgres://app:***@127.0.0.1:5432/commonweal")
  })

  it("reads COMMONWEAL_SEED and COMMONWEAL_HTTP_TRACING", async () => {
    expect(await loaded({ COMMONWEAL_SEED: "false", COMMONWEAL_HTTP_TRACING: "true" })).toMatchObject({
      seed: false,
      tracing: true
    })
  })

  it("takes PORT=0: the system picks a free port, as the docs say", async () => {
    expect((await loaded({ PORT: "0" })).port).toBe(0)
  })

  it("refuses a port that is not one", async () => {
    expect(Exit.isFailure(await load({ PORT: "http" }))).toBe(true)
    expect(Exit.isFailure(await load({ PORT: "70000" }))).toBe(true)
    expect(Exit.isFailure(await load({ PORT: "-1" }))).toBe(true)
    expect(Exit.isFailure(await load({ PORT: "80.5" }))).toBe(true)
  })
})
