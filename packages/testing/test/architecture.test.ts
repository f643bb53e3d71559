/**
 * The one-way arrows of the design, checked on the source: core imports nothing but `effect`
 * (not even Effect's `effect/http`, `effect/http-api` or `effect/sql`); the HTTP package imports
 * core and Effect's HTTP modules; an adapter imports core and its own drivers, never another adapter; testing imports core only.
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
  Array.from(
    readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*(?:import|export)[^"'`]*?from\s+["']([^"']+)["']/g),
    (m) => m[1]!
  )

/**
 * The name an import specifier counts as. Effect 4 ships its platform-level modules as
 * lower-case subpaths of the `effect` package (`effect/http`, `effect/http-api`, `effect/sql`,
 * `effect/testing` …): each of those counts as a package of its own, so that an arrow to HTTP or
 * SQL is visible. `effect` and its capitalised modules (`effect/Schema`) count as `effect`.
 */
const packageName = (spec: string): string => {
  const [first = spec, second] = spec.split("/")
  if (spec.startsWith("@")) return `${first}/${second}`
  if (first === "effect" && second !== undefined && /^[a-z]/.test(second)) return `effect/${second}`
  return first
}

/** The packages a folder's sources import (relative imports left out). */
const packagesImported = (pkg: string): Map<string, Array<string>> => {
  const found = new Map<string, Array<string>>()
  for (const file of sourceFiles(join(root, pkg, "src"))) {
    for (const spec of importsOf(file)) {
      if (spec.startsWith(".")) continue
      const name = packageName(spec)
      found.set(name, [...(found.get(name) ?? []), file.slice(root.length + 1)])
    }
  }
  return found
}

const allowed: Record<string, ReadonlyArray<string>> = {
  "packages/core": ["effect"],
  "packages/store-memory": ["effect", "@commonweal/core"],
  "packages/store-kysely": [
    "effect",
    "@commonweal/core",
    "kysely",
    "better-sqlite3",
    "pg",
    "mysql2",
    "node:fs",
    "node:path",
    "node:url"
  ],
  "packages/http": ["effect", "effect/http", "effect/http-api", "@commonweal/core", "node:crypto"],
  "packages/testing": ["effect", "@commonweal/core", "vitest", "@effect/vitest"]
}

/** What the domain core must never import: transports, SQL, a platform, Node, or an adapter. */
const forbiddenInCore = (name: string): boolean =>
  ["effect/http", "effect/http-api", "effect/sql", "@effect/platform", "@effect/platform-node"].includes(name) ||
  name.startsWith("node:") ||
  name.startsWith("@effect/sql") ||
  (name.startsWith("@commonweal/") && name !== "@commonweal/core")

describe("architecture: the arrows point one way", () => {
  for (const [pkg, permitted] of Object.entries(allowed)) {
    it(`${pkg} imports only ${permitted.join(", ")}`, () => {
      const imported = packagesImported(pkg)
      expect(imported.size).toBeGreaterThan(0)
      const strays = [...imported.entries()].filter(([name]) => !permitted.includes(name))
      expect(strays).toEqual([])
    })
  }

  it("core imports no HTTP, SQL, platform, Node API or adapter", () => {
    const strays = [...packagesImported("packages/core").entries()].filter(([name]) => forbiddenInCore(name))
    expect(strays).toEqual([])
  })

  it("import names: Effect 4's platform modules count apart from effect itself", () => {
    expect(packageName("effect")).toBe("effect")
    expect(packageName("effect/Schema")).toBe("effect")
    expect(packageName("effect/http")).toBe("effect/http")
    expect(packageName("effect/http-api")).toBe("effect/http-api")
    expect(packageName("effect/sql")).toBe("effect/sql")
    expect(packageName("@effect/platform-node")).toBe("@effect/platform-node")
    expect(packageName("@effect/platform-node/NodeHttpServer")).toBe("@effect/platform-node")
    expect(packageName("node:fs")).toBe("node:fs")
    expect(
      [packageName("effect/http"), packageName("node:http"), packageName("@commonweal/http")].filter(forbiddenInCore)
    ).toHaveLength(3)
  })

  it("core uses no clock or randomness of its own", () => {
    const offenders = sourceFiles(join(root, "packages/core/src")).filter((file) =>
      /Date\.now\(|new Date\(|Math\.random\(/.test(readFileSync(file, "utf8"))
    )
    expect(offenders).toEqual([])
  })
})
