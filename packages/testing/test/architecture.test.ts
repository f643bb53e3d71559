/**
 * The one-way arrows of the design, checked on the source: core imports nothing but `effect`;
 * an adapter imports core and its own drivers, never another adapter; testing imports core only.
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, resolve } from "node:path"

const root = resolve(__dirname, "../../..")

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : []
  })

const importsOf = (file: string): Array<string> =>
  Array.from(readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*(?:import|export)[^"'`]*?from\s+["']([^"']+)["']/g), (m) => m[1]!)

/** The packages a folder's sources import (relative imports left out). */
const packagesImported = (pkg: string): Map<string, Array<string>> => {
  const found = new Map<string, Array<string>>()
  for (const file of sourceFiles(join(root, pkg, "src"))) {
    for (const spec of importsOf(file)) {
      if (spec.startsWith(".")) continue
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!
      found.set(name, [...(found.get(name) ?? []), file.slice(root.length + 1)])
    }
  }
  return found
}

const allowed: Record<string, ReadonlyArray<string>> = {
  "packages/core": ["effect"],
  "packages/store-memory": ["effect", "@commonweal/core"],
  "packages/store-kysely": ["effect", "@commonweal/core", "kysely", "better-sqlite3", "pg", "mysql2", "node:fs", "node:path", "node:url"],
  "packages/http": ["effect", "@commonweal/core", "@effect/platform", "node:crypto"],
  "packages/testing": ["effect", "@commonweal/core", "vitest", "@effect/vitest"]
}

describe("architecture: the arrows point one way", () => {
  for (const [pkg, permitted] of Object.entries(allowed)) {
    it(`${pkg} imports only ${permitted.join(", ")}`, () => {
      const imported = packagesImported(pkg)
      expect(imported.size).toBeGreaterThan(0)
      const strays = [...imported.entries()].filter(([name]) => !permitted.includes(name))
      expect(strays).toEqual([])
    })
  }

  it("core uses no clock or randomness of its own", () => {
    const offenders = sourceFiles(join(root, "packages/core/src")).filter((file) =>
      /Date\.now\(|new Date\(|Math\.random\(/.test(readFileSync(file, "utf8"))
    )
    expect(offenders).toEqual([])
  })
})
