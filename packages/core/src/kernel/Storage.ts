/**
 * The kernel's storage ports, as the bundle every storage adapter provides first.
 *
 * Each domain declares its own bundle beside its ports (`CommunitiesStorage`,
 * `ResidentsStorage` …); an adapter provides the kernel bundle and the bundles of the domains it
 * supports, and a domain's contract suite (`@commonweal/testing`) needs only the kernel bundle
 * and its own. `StoragePorts` (in `domains.ts`) is the union of all of them.
 *
 * @module
 */
import type { Outbox } from "./Event.js"
import type { IdempotencyKeys } from "./Idempotency.js"
import type { Transactor } from "./Transactor.js"

/** The ports every storage adapter provides whatever domains it supports: transactions, the outbox, idempotency keys. */
export type KernelStorage = Transactor | Outbox | IdempotencyKeys
