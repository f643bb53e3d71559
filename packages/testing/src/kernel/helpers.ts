/**
 * Shared pieces of the contract suites, domain-free.
 *
 * @module
 */
import type { Vitest } from "@effect/vitest"
import { expect } from "@effect/vitest"
import { Conflict } from "@commonweal/core"
import type { ConflictReason, StoragePorts } from "@commonweal/core"

/**
 * The `it` a contract suite registers its tests with: `@effect/vitest`'s methods with the ports
 * `R` in context (every storage port by default). The suites use the live clock (no
 * `TestClock`), because a real database driver may time out or retry on it.
 */
export type ContractIt<R = StoragePorts> = Vitest.MethodsNonLive<R>

/** Asserts that an error is a `Conflict` with the given reason. */
export const expectConflict = (error: unknown, reason: ConflictReason): void => {
  expect(error).toBeInstanceOf(Conflict)
  expect(error instanceof Conflict ? error.reason : undefined).toBe(reason)
}

/** Ids sorted ascending by code unit, the order the ports promise. */
export const sortedIds = (ids: ReadonlyArray<string>): ReadonlyArray<string> =>
  [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
