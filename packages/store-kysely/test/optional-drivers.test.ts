/**
 * The drivers are optional peers: a consumer installs only the one it uses. Each case runs
 * `fixtures/probe.ts` in a child process where `fixtures/hide-drivers.mjs` makes the other
 * drivers unresolvable, exactly as when they are not installed.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..")

interface Probe {
  readonly imported: boolean
  readonly error?: string
  readonly opened?: boolean
  readonly missingDriver?: { readonly driver: string; readonly dialect: string; readonly message: string }
}

const probe = async (hide: ReadonlyArray<string>, dialect?: string): Promise<Probe> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "--conditions=@commonweal/source",
      "--import",
      "tsx",
      "--import",
      "./test/fixtures/hide-drivers.mjs",
      "test/fixtures/probe.ts"
    ],
    {
      cwd: packageDir,
      encoding: "utf8",
      env: { ...process.env, COMMONWEAL_HIDE_DRIVERS: hide.join(","), COMMONWEAL_PROBE_DIALECT: dialect ?? "" },
      timeout: 60_000
    }
  )
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Probe
}

describe.concurrent("optional drivers", () => {
  it("the hook really hides a driver (the probe would notice a top-level import)", async () => {
    // better-sqlite3 is there, and the sqlite layer opens; hidden, it is missing
    expect(await probe([], "sqlite")).toEqual({ imported: true, opened: true })
    expect((await probe(["better-sqlite3"], "sqlite")).missingDriver?.driver).toBe("better-sqlite3")
  }, 90_000) // two child processes in turn, each compiling the package with tsx: slow on a loaded machine

  it.each([
    ["pg", ["better-sqlite3", "mysql2"]],
    ["mysql2", ["better-sqlite3", "pg"]],
    ["better-sqlite3", ["pg", "mysql2"]]
  ])("imports with only %s installed", async (_only, hide) => {
    expect(await probe(hide)).toEqual({ imported: true })
  })

  it("opens SQLite with only better-sqlite3 installed", async () => {
    expect(await probe(["pg", "mysql2"], "sqlite")).toEqual({ imported: true, opened: true })
  })

  it.each([
    ["sqlite", "better-sqlite3"],
    ["postgres", "pg"],
    ["mysql", "mysql2"]
  ])(
    "the %s layer without its driver dies with MissingDriver naming %s, in English and Chinese",
    async (dialect, driver) => {
      const result = await probe(["better-sqlite3", "pg", "mysql2"], dialect)
      expect(result.imported).toBe(true)
      expect(result.opened).toBe(false)
      expect(result.missingDriver?.driver).toBe(driver)
      expect(result.missingDriver?.dialect).toBe(dialect)
      expect(result.missingDriver?.message).toContain(`pnpm add ${driver}`)
      expect(result.missingDriver?.message).toContain("is not installed")
      expect(result.missingDriver?.message).toContain("未安装")
    }
  )
})
