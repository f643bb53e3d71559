/**
 * `@commonweal/core`: the pure domain of commonweal.
 *
 * Schemas, rules, services and ports for community services. Depends on `effect` only; storage
 * and transport come from adapters (`@commonweal/store-memory`, `@commonweal/store-kysely`,
 * `@commonweal/http`).
 *
 * The kernel (`kernel/`) is what every domain builds on; each domain is a folder of its own
 * (`communities/`, `residents/` …) with its schemas, rules, events, ports, permissions and
 * service, registered in `domains.ts`.
 *
 * @packageDocumentation
 */
export * from "./kernel/index.js"
export * from "./communities/index.js"
export * from "./residents/index.js"
export * from "./ledger/index.js"
export * from "./fund/index.js"
export * from "./mutual-aid/index.js"
export * from "./workshop/index.js"
export * from "./domains.js"
