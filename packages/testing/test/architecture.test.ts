/**
 * The one-way arrows of the design, checked on the source: core imports nothing but `effect`
 * (not even Effect's `effect/http`, `effect/http-api` or `effect/sql`); the HTTP package imports
 * core and Effect's HTTP modules; an adapter imports core and its own drivers, never another adapter; testing imports core only.
 *
 * And the slices: core's `kernel/` names no domain; a domain of core imports only the kernel,
 * itself and the domains it builds on; an adapter's `kernel/` imports none of its domain folders.
 */
import { describe, expect, it } from "@effect/vitest"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve, sep } from "node:path"

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

/**
 * Every module specifier in a piece of code: `import … from`, `export … from`, a bare `import "…"`
 * and a dynamic `import("…")`. Comments are dropped first, so an example in JSDoc is not an import.
 */
const specifiersIn = (code: string): Array<string> =>
  Array.from(
    code
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/(^|[^:"'`])\/\/.*$/gm, "$1")
      .matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g),
    (m) => m[1]!
  )

/** The path of a module under a package's `src`, in segments, file extensions dropped: `["residents", "ResidentRepo"]`. */
const segmentsOf = (srcDir: string, path: string): Array<string> =>
  relative(srcDir, path)
    .split(sep)
    .map((segment) => segment.replace(/\.[cm]?[jt]sx?$/, ""))

/**
 * Where a module of a package's `src` sits in the slices: the first folder of its path under
 * `src` (`kernel`, `residents` …), or `/<name>` for a file directly in `src` (`/domains`, `/index`).
 */
const sliceOf = (srcDir: string, path: string): string => {
  const segments = segmentsOf(srcDir, path)
  return segments.length > 1 ? segments[0]! : `/${segments[0]!}`
}

/**
 * The domain a module belongs to, if any: the first segment of its path named after one of
 * `domains`, at any depth (`residents/ResidentRepo.ts`, and also `groups/residents.ts`).
 */
const domainOf = (srcDir: string, path: string, domains: ReadonlyArray<string>): string | undefined =>
  segmentsOf(srcDir, path).find((segment) => domains.includes(segment))

/** A source folder's relative imports: the importing file, and the path of the module it imports. */
const relativeImports = (srcDir: string): Array<{ readonly file: string; readonly target: string }> =>
  sourceFiles(srcDir).flatMap((file) =>
    specifiersIn(readFileSync(file, "utf8"))
      .filter((spec) => spec.startsWith("."))
      .map((spec) => ({ file, target: resolve(dirname(file), spec) }))
  )

/** A source folder's relative imports as slices: from the importer's slice to the imported one's. */
const sliceImports = (srcDir: string): Array<{ readonly file: string; readonly from: string; readonly to: string }> =>
  relativeImports(srcDir).map(({ file, target }) => ({
    file: relative(root, file),
    from: sliceOf(srcDir, file),
    to: sliceOf(srcDir, target)
  }))

const coreSrc = join(root, "packages/core/src")

/** Core's domains: its folders other than the kernel. */
const coreDomains = (): Array<string> =>
  readdirSync(coreSrc).filter((name) => name !== "kernel" && statSync(join(coreSrc, name)).isDirectory())

/**
 * The domains each domain of core builds on, and so may import. A domain not listed builds on
 * none. Adding an arrow between two domains is a design decision: make it here, on purpose.
 */
const domainDependencies: Record<string, ReadonlyArray<string>> = {
  communities: [],
  residents: ["communities"],
  ledger: [],
  // the fund moves money through the ledger, names families by resident (their household
  // decides who steps aside) and prints the community's name on its public report
  fund: ["communities", "residents", "ledger"],
  // volunteers and requests reuse the residents' schemas (languages, home places, locations);
  // time credits are minutes in the ledger
  "mutual-aid": ["residents", "ledger"],
  // parts and pay move through the ledger; workers are residents; the invoice prints the
  // community's name; the margin goes to the public-welfare fund through the fund's service
  workshop: ["communities", "residents", "ledger", "fund"]
}

/** `domains.ts` and `index.ts` import every domain: a kernel or a domain importing them imports them all. */
const registrations = ["/domains", "/index"]

/** The adapters whose `src/kernel/` must not reach into a domain. */
const adapters = ["packages/store-memory", "packages/store-kysely", "packages/http"]

describe("architecture: domains are slices", () => {
  it("core's kernel imports nothing from a domain folder, domains.ts or index.ts", () => {
    const found = sliceImports(coreSrc).filter((i) => i.from === "kernel")
    expect(found.length, "the kernel's own imports are seen").toBeGreaterThan(0)
    const strays = found.filter((i) => i.to !== "kernel")
    expect(strays).toEqual([])
  })

  it("a domain of core imports only the kernel, itself and the domains it builds on", () => {
    const domains = coreDomains()
    expect(domains).toEqual(expect.arrayContaining(["communities", "residents"]))
    const found = sliceImports(coreSrc).filter((i) => domains.includes(i.from))
    const strays = found.filter(
      (i) => i.to !== "kernel" && i.to !== i.from && !(domainDependencies[i.from] ?? []).includes(i.to)
    )
    expect(strays).toEqual([])
    // the one arrow declared today is real, so the rule above is looking at the right imports
    expect(found.some((i) => i.from === "residents" && i.to === "communities")).toBe(true)
  })

  for (const adapter of adapters) {
    const srcDir = join(root, adapter, "src")
    // until the adapter has a `src/kernel/` folder there is nothing to hold; from then on, it holds
    it.skipIf(!existsSync(join(srcDir, "kernel")))(
      `${adapter}: files under src/kernel/ import no domain's module, domains.ts or index.ts`,
      () => {
        const domains = coreDomains()
        const strays = relativeImports(srcDir)
          .filter(({ file }) => sliceOf(srcDir, file) === "kernel")
          .filter(
            ({ target }) =>
              domainOf(srcDir, target, domains) !== undefined || registrations.includes(sliceOf(srcDir, target))
          )
          .map(({ file, target }) => `${relative(root, file)} -> ${relative(root, target)}`)
        expect(strays).toEqual([])
      }
    )
  }

  it("the slice rules read imports the way TypeScript does", () => {
    expect(
      specifiersIn(
        [
          `import { a } from "./kernel/A.js"`,
          `import type { B } from '../residents/B.js'`,
          `export * from "./communities/index.js"`,
          `import "./side-effect.js"`,
          `const lazy = () => import("./lazy.js")`,
          `/** @example import { c } from "./in-a-comment.js" */`,
          `// import { d } from "./commented-out.js"`,
          `const url = "https://example.org/x" // not an import`
        ].join("\n")
      )
    ).toEqual(["./kernel/A.js", "../residents/B.js", "./communities/index.js", "./side-effect.js", "./lazy.js"])
    const src = join(root, "packages/x/src")
    expect(sliceOf(src, join(src, "kernel/Ids.ts"))).toBe("kernel")
    expect(sliceOf(src, join(src, "residents/sql/Tables.ts"))).toBe("residents")
    expect(sliceOf(src, join(src, "domains.js"))).toBe("/domains")
    expect(sliceOf(src, resolve(join(src, "kernel"), "../index.js"))).toBe("/index")
    expect(domainOf(src, join(src, "groups/residents.js"), ["residents"])).toBe("residents")
    expect(domainOf(src, join(src, "residents/ResidentRepo.js"), ["residents"])).toBe("residents")
    expect(domainOf(src, join(src, "kernel/Outbox.js"), ["residents"])).toBeUndefined()
  })
})
