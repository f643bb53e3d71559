/**
 * The kernel's contract suite: the ports every storage adapter provides, whatever domains it supports.
 *
 * @module
 */
import type { KernelStorage } from "@commonweal/core"
import type { ContractTarget } from "./ContractTarget.js"
import { registerContract } from "./ContractTarget.js"
import { idempotencyKeysContract } from "./IdempotencyKeysContract.js"
import { outboxContract } from "./OutboxContract.js"
import { transactorContract } from "./TransactorContract.js"

/**
 * Registers the kernel's storage contract for `target` as a vitest `describe` block
 * (`kernel storage contract: <name>`): `Outbox`, `Transactor` and `IdempotencyKeys` against one
 * shared build of `target.layer`, which needs to provide only the kernel's ports. Nothing in it
 * names a domain: its communities are random ids, never provisioned, and its events are about a
 * made-up aggregate.
 *
 * The tests assert what users rely on: outbox order, sequences without gaps and tenancy;
 * transactions that commit together or leave no trace (failure, defect, interruption), join when
 * nested and keep concurrent writers apart; idempotency keys that replay a committed answer,
 * vanish with a rolled-back transaction, stay within their scope, expire and are purged, are
 * never evicted, and let one of two simultaneous requests run. They use the live clock.
 *
 * Call it at the top level of a test file. When `target.skip` is set the suite is skipped with a
 * warning, or fails in CI (see {@link ContractTarget.skip}).
 *
 * @example
 * ```ts
 * import { kernelContract } from "@commonweal/testing"
 *
 * kernelContract({ name: "my-store", layer: MyStore.kernelLayer })
 * ```
 */
export const kernelContract = (target: ContractTarget<KernelStorage>): void =>
  registerContract(`kernel storage contract: ${target.name}`, target, (it) => {
    outboxContract(it)
    transactorContract(it)
    idempotencyKeysContract(it)
  })
