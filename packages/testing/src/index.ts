/**
 * `@commonweal/testing`: the contract suites every commonweal storage adapter must pass, and
 * builders of realistic test data from the two neighbourhoods.
 *
 * The suites follow the slices of core: {@link kernelContract} checks the ports every adapter
 * provides (`Transactor`, `Outbox`, `IdempotencyKeys`), and each domain has its own suite
 * ({@link communitiesContract}, {@link residentsContract}) that needs only the kernel's ports and
 * that domain's (and those of the domains it builds on). {@link storageContract} runs them all.
 * An adapter's test file calls it once per database it supports:
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

export * from "./builders.js"
export { communitiesContract } from "./communities/CommunitiesContract.js"
export { communityRepoContract } from "./communities/CommunityRepoContract.js"
export { freshCommunity } from "./communities/helpers.js"
export { domainContracts, storageContract } from "./domains.js"
export type { ContractMode, ContractTarget } from "./kernel/ContractTarget.js"
export { contractMode, databaseUrl } from "./kernel/ContractTarget.js"
export type { ContractIt } from "./kernel/helpers.js"
export { expectConflict } from "./kernel/helpers.js"
export { idempotencyKeysContract } from "./kernel/IdempotencyKeysContract.js"
export { kernelContract } from "./kernel/KernelContract.js"
export type { LedgerContractPorts } from "./ledger/helpers.js"
export { ledgerContract } from "./ledger/LedgerContract.js"
export { ledgerRepoContract } from "./ledger/LedgerRepoContract.js"
export { ledgerServiceSuite } from "./ledger/LedgerServiceSuite.js"
export type { FundContractPorts } from "./fund/helpers.js"
export { fundContract } from "./fund/FundContract.js"
export { fundRepoContract } from "./fund/FundRepoContract.js"
export { fundServiceSuite } from "./fund/FundServiceSuite.js"
export type { MutualAidContractPorts } from "./mutual-aid/helpers.js"
export { mutualAidContract } from "./mutual-aid/MutualAidContract.js"
export { mutualAidRepoContract } from "./mutual-aid/MutualAidRepoContract.js"
export { mutualAidServiceSuite } from "./mutual-aid/MutualAidServiceSuite.js"
export type { WorkshopContractPorts } from "./workshop/helpers.js"
export { workshopContract } from "./workshop/WorkshopContract.js"
export { workshopRepoContract } from "./workshop/WorkshopRepoContract.js"
export { workshopServiceSuite } from "./workshop/WorkshopServiceSuite.js"
export { makeProbeEvent, outboxContract } from "./kernel/OutboxContract.js"
export { transactorContract } from "./kernel/TransactorContract.js"
export type { ResidentsContractPorts } from "./residents/helpers.js"
export { expectResident, makeResidentEvent } from "./residents/helpers.js"
export { residentRepoContract } from "./residents/ResidentRepoContract.js"
export { residentsContract } from "./residents/ResidentsContract.js"
export { residentsServiceSuite } from "./residents/ResidentsServiceSuite.js"
export { residentTransactionsContract } from "./residents/ResidentTransactionsContract.js"
