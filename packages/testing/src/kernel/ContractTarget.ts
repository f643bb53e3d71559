/**
 * What a contract suite runs against ({@link ContractTarget}), and the one rule every suite
 * follows when the target cannot run here ({@link contractMode}): skip with a warning, or fail in CI.
 *
 * @module
 */
import type { StoragePorts } from "@commonweal/core"
import type { Vitest } from "@effect/vitest"
import { describe, it, layer } from "@effect/vitest"
import type { Layer } from "effect"

/**
 * A storage adapter (one database of it) to check against a contract suite.
 *
 * `R` is what the layer provides: `KernelStorage` for `kernelContract`, the kernel and a
 * domain's bundles for a domain's suite (`communitiesContract`, `residentsContract`), every
 * port (`StoragePorts`, the default) for `storageContract`. A layer that provides more than a
 * suite needs is accepted by it.
 */
export interface ContractTarget<R = StoragePorts> {
  /** A short name for the test report, e.g. `memory`, `sqlite`, `postgres`. */
  readonly name: string
  /**
   * Provides the ports the suite checks. Built once per suite and shared by all its tests (for a
   * SQL adapter, one real database), so the tests never assume an empty store: each works in
   * communities it makes up with fresh random ids.
   */
  readonly layer: Layer.Layer<R, unknown>
  /**
   * Why the target is unavailable here (e.g. `COMMONWEAL_TEST_POSTGRES_URL not set`). The
   * suite is then skipped with a warning, except in CI (`CI=true`), where it fails: a database
   * suite that silently does not run is a hole in the checks.
   */
  readonly skip?: string | undefined
}

/** What a contract suite does with a target: run it, skip it, or fail because it cannot run. */
export type ContractMode =
  | { readonly _tag: "Run" }
  | { readonly _tag: "Skip"; readonly reason: string }
  | { readonly _tag: "Fail"; readonly reason: string }

/**
 * Decides how a target runs in an environment: `Run` when it is available, otherwise `Fail`
 * in CI (`CI=true`) and `Skip` elsewhere. Exported so the rule itself is tested.
 */
export const contractMode = (
  target: Pick<ContractTarget<unknown>, "skip">,
  env: Readonly<Record<string, string | undefined>>
): ContractMode =>
  target.skip === undefined
    ? { _tag: "Run" }
    : env["CI"] === "true"
      ? { _tag: "Fail", reason: target.skip }
      : { _tag: "Skip", reason: target.skip }

/**
 * Reads a database URL for a contract target from the environment variable `envVar`:
 * `{ url }` when it is set and not blank, otherwise `{ skip }` with the reason, ready for
 * {@link ContractTarget.skip}.
 */
export const databaseUrl = (
  envVar: string,
  env: Readonly<Record<string, string | undefined>> = process.env
): { readonly url: string } | { readonly skip: string } => {
  const value = env[envVar]?.trim()
  return value === undefined || value === "" ? { skip: `${envVar} not set` } : { url: value }
}

const warned = new Set<string>()

/**
 * Registers one contract suite for `target` as a vitest `describe` block titled `title`:
 * `body` registers the tests with an `it` whose context is one shared build of `target.layer`
 * (the live clock: no `TestClock`, a real driver may time out on it). When the target is
 * unavailable the block is skipped with a warning (once per target name), or, in CI, holds one
 * failing test that says why. Every suite of this package goes through it, so an adapter author
 * can call any one of them alone and get the same Run / Skip / Fail behaviour.
 *
 * @internal
 */
export const registerContract = <R>(
  title: string,
  target: ContractTarget<R>,
  body: (it: Vitest.MethodsNonLive<R>) => void,
  options: { readonly timeout?: number } = {}
): void => {
  const mode = contractMode(target, process.env)
  const layerOptions = {
    excludeTestServices: true,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout })
  }
  switch (mode._tag) {
    case "Run":
      layer(target.layer, layerOptions)(title, body)
      return
    case "Fail":
      describe(title, () => {
        it(`runs (CI=true: a skipped database suite is a failure)`, () => {
          throw new Error(`${title} cannot run: ${mode.reason}`)
        })
      })
      return
    case "Skip":
      if (!warned.has(target.name)) {
        warned.add(target.name)
        console.warn(`[commonweal] skipping the ${target.name} storage contract: ${mode.reason}`)
      }
      describe.skip(title, () => {
        layer(target.layer, layerOptions)(body)
      })
      return
  }
}
