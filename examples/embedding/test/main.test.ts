/**
 * The embedding example runs as written: `src/main.ts`, started the way `pnpm start` starts it,
 * prints what the README says it prints and exits 0.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), "..")

describe("the embedding example", () => {
  it("is started by `pnpm start` with tsx and the source condition", () => {
    const manifest = JSON.parse(readFileSync(join(exampleDir, "package.json"), "utf8")) as {
      scripts: Record<string, string>
    }
    expect(manifest.scripts["start"]).toBe("tsx --conditions=@commonweal/source src/main.ts")
  })

  it("registers 周赛群 and 刘英, finds 刘英 as translator and shows 周赛群 reduced to her", async () => {
    // what `tsx --conditions=@commonweal/source src/main.ts` does, without the pnpm wrapper
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--conditions=@commonweal/source", "--import", "tsx", "src/main.ts"],
      { cwd: exampleDir, encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } }
    )
    // born 1936: 90 in 2026, shown to a volunteer as a ten-year band
    const band = Math.floor((new Date().getUTCFullYear() - 1936) / 10) * 10
    expect(stderr).toBe("")
    expect(stdout.trim().split("\n")).toEqual([
      "registered 周赛群 and 刘英 in 君馨社区",
      "volunteers who speak 南昌话: 刘英",
      `刘英 sees 周赛群 reduced: age ${band}-${band + 9}, phone hidden, no health data`
    ])
  })
})
