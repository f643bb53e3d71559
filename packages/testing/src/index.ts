/**
 * `@commonweal/testing`: the contract suites every commonweal storage adapter must pass, and
 * builders of realistic test data from the two neighbourhoods.
 *
 * An adapter's test file calls {@link storageContract} once per database it supports:
 *
 * @example
 * ```ts
 * import { databaseUrl, storageContract } from "@commonweal/testing"
 * import { MemoryStore } from "@commonweal/store-memory"
 *
 * storageContract({ name: "memory", layer: MemoryStore.layer })
 *
 * const postgres = databaseUrl("COMMONWEAL_TEST_POSTGRES_URL")
 * storageContract("url" in postgres
 *   ? { name: "postgres", layer: makePostgresLayer(postgres.url) }
 *   : { name: "postgres", layer: Layer.effectContext(Effect.die(postgres.skip)), skip: postgres.skip })
 * ```
 *
 * @packageDocumentation
 */
import { describe, it, layer } from "@effect/vitest"
import type { StoragePorts } from "@commonweal/core"
import type { Layer } from "effect"
import { communityRepoContract } from "./contract/CommunityRepoContract.js"
import { outboxContract } from "./contract/OutboxContract.js"
import { residentRepoContract } from "./contract/ResidentRepoContract.js"
import { transactorContract } from "./contract/TransactorContract.js"
import { residentsServiceSuite } from "./ResidentsServiceSuite.js"

export * from "./builders.js"
export { communityRepoContract } from "./contract/CommunityRepoContract.js"
export type { ContractIt } from "./contract/helpers.js"
export { expectConflict, expectResident, freshCommunity } from "./contract/helpers.js"
export { makeResidentEvent, outboxContract } from "./contract/OutboxContract.js"
export { residentRepoContract } from "./contract/ResidentRepoContract.js"
export { transactorContract } from "./contract/TransactorContract.js"
export { residentsServiceSuite } from "./ResidentsServiceSuite.js"

/** A storage adapter (one database of it) to check against the contract. */
export interface ContractTarget {
  /** A short name for the test report, e.g. `memory`, `sqlite`, `postgres`. */
  readonly name: string
  /**
   * Provides every storage port. Built once per suite and shared by all its tests (for a SQL
   * adapter, one real database), so the tests never assume an empty store: each works in
   * communities it creates with fresh random ids.
   */
  readonly layer: Layer.Layer<StoragePorts, unknown>
  /**
   * Why the target is unavailable here (e.g. `COMMONWEAL_TEST_POSTGRES_URL not set`). The
   * suite is then skipped with a warning, except in CI (`CI=true`), where it fails: a database
   * suite that silently does not run is a hole in the checks.
   */
  readonly skip?: string | undefined
}

/** What {@link storageContract} does with a target: run it, skip it, or fail because it cannot run. */
export type ContractMode =
  | { readonly _tag: "Run" }
  | { readonly _tag: "Skip"; readonly reason: string }
  | { readonly _tag: "Fail"; readonly reason: string }

/**
 * Decides how a target runs in an environment: `Run` when it is available, otherwise `Fail`
 * in CI (`CI=true`) and `Skip` elsewhere. Exported so the rule itself is tested.
 */
export const contractMode = (
  target: Pick<ContractTarget, "skip">,
  env: Readonly<Record<string, string | undefined>>
): ContractMode =>
  target.skip === undefined
    ? { _tag: "Run" }
    : env["CI"] === "true"
      ? { _tag: "Fail", reason: target.skip }
      : { _tag: "Skip", reason: target.skip }

const warned = new Set<string>()

/** Registers every port's contract with `it`: the body of {@link storageContract}. */
const allContracts = (it: Parameters<typeof residentRepoContract>[0]): void => {
  communityRepoContract(it)
  residentRepoContract(it)
  outboxContract(it)
  transactorContract(it)
}

/**
 * Registers the storage contract for `target` as vitest `describe` blocks: every port
 * (`CommunityRepo`, `ResidentRepo`, `Outbox`, `Transactor`) against one shared build of
 * `target.layer`, then the resident registry service end to end over those ports
 * ({@link residentsServiceSuite}).
 *
 * The tests assert what users rely on: equal round trips, tenancy, duplicate and stale-version
 * conflicts, each search filter, id order and cursor paging, outbox order, and transactions that
 * commit together or leave no trace (failure, defect, interruption), join when nested and keep
 * concurrent writers apart. They use the live clock, so a driver's own timeouts behave.
 *
 * Call it at the top level of a test file. When `target.skip` is set the suite is skipped with a
 * warning, or fails in CI (see {@link ContractTarget.skip}).
 */
export const storageContract = (target: ContractTarget): void => {
  const title = `storage contract: ${target.name}`
  const mode = contractMode(target, process.env)
  switch (mode._tag) {
    case "Run":
      layer(target.layer, { excludeTestServices: true })(title, allContracts)
      residentsServiceSuite(target)
      return
    case "Fail":
      describe(title, () => {
        it(`runs (CI=true: a skipped database suite is a failure)`, () => {
          throw new Error(`the ${target.name} storage contract cannot run: ${mode.reason}`)
        })
      })
      return
    case "Skip":
      if (!warned.has(target.name)) {
        warned.add(target.name)
        console.warn(`[commonweal] skipping the ${target.name} storage contract: ${mode.reason}`)
      }
      describe.skip(title, () => {
        layer(target.layer, { excludeTestServices: true })(allContracts)
      })
      return
  }
}

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
