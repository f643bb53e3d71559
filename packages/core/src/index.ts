/**
 * `@commonweal/core`: the pure domain of commonweal.
 *
 * Schemas, rules, services and ports for community services. Depends on `effect` only; storage
 * and transport come from adapters (`@commonweal/store-memory`, `@commonweal/store-kysely`,
 * `@commonweal/http`).
 *
 * @packageDocumentation
 */
export * from "./kernel/Errors.js"
export * from "./kernel/Ids.js"
export * as Money from "./kernel/Money.js"
export * from "./kernel/Actor.js"
export * as Paging from "./kernel/Paging.js"
export type { Page } from "./kernel/Paging.js"
export * from "./kernel/Event.js"
export * from "./kernel/Transactor.js"
export * from "./kernel/Community.js"
export * from "./kernel/Validation.js"
export * as Text from "./kernel/Text.js"
export * from "./communities/Communities.js"
export * from "./communities/CommunityEvent.js"
export * from "./residents/Resident.js"
export * from "./residents/ResidentEvent.js"
export * from "./residents/ResidentRepo.js"
export * as ResidentRules from "./residents/ResidentRules.js"
export * from "./residents/Residents.js"

import type { CommunityRepo } from "./kernel/Community.js"
import type { Outbox } from "./kernel/Event.js"
import type { Transactor } from "./kernel/Transactor.js"
import type { ResidentRepo } from "./residents/ResidentRepo.js"

/**
 * Every port a storage adapter provides. A complete adapter is a `Layer<StoragePorts>`;
 * `@commonweal/testing`'s contract suites check it.
 */
export type StoragePorts = Transactor | Outbox | CommunityRepo | ResidentRepo
