/**
 * The domains of this package, registered: one line per domain in each list below. Adding a
 * domain adds its folder and its lines here; it edits no other domain and no kernel file
 * (see `docs/architecture.md`, "Adding a domain").
 *
 * @module
 */
import { Layer } from "effect"
import { Communities } from "./communities/Communities.js"
import { CommunityPermissions } from "./communities/permissions.js"
import type { CommunitiesStorage } from "./communities/CommunityRepo.js"
import { EventPermissions } from "./kernel/Event.js"
import { CoreRoles, composePolicy } from "./kernel/Policy.js"
import type { FundStorage } from "./fund/FundRepo.js"
import { Fund } from "./fund/FundService.js"
import { FundPermissions, FundRoles } from "./fund/permissions.js"
import type { KernelStorage } from "./kernel/Storage.js"
import type { LedgerStorage } from "./ledger/LedgerRepo.js"
import type { MutualAidStorage } from "./mutual-aid/MutualAidRepo.js"
import { MutualAid } from "./mutual-aid/MutualAidService.js"
import { MutualAidPermissions } from "./mutual-aid/permissions.js"
import { Ledger } from "./ledger/LedgerService.js"
import { LedgerPermissions } from "./ledger/permissions.js"
import { ResidentPermissions } from "./residents/permissions.js"
import { WorkshopPermissions, WorkshopRoles } from "./workshop/permissions.js"
import type { WorkshopStorage } from "./workshop/WorkshopRepo.js"
import { Workshop } from "./workshop/WorkshopService.js"
import type { ResidentsStorage } from "./residents/ResidentRepo.js"
import { Residents } from "./residents/Residents.js"

/** The permissions of every domain (and the kernel's event log). */
export const domainPermissions = [
  EventPermissions,
  CommunityPermissions,
  ResidentPermissions,
  LedgerPermissions,
  FundPermissions,
  MutualAidPermissions,
  WorkshopPermissions
] as const

/**
 * Every role of the installation: the kernel's and those the domains declare (the fund's
 * `treasurer` and `approver`), with what each is for.
 */
export const domainRoles = [
  ...Object.values(CoreRoles),
  ...Object.values(FundRoles),
  ...Object.values(WorkshopRoles)
] as const

/**
 * The default policy, composed from the domains' declarations: for each role, the names of the
 * permissions it holds.
 */
export const rolePermissions = composePolicy(domainPermissions, domainRoles)

/**
 * Every storage port of every domain. A complete adapter is a `Layer<StoragePorts>`; one that
 * supports some domains provides `KernelStorage` and their bundles (`ResidentsStorage` …).
 * `@commonweal/testing`'s contract suites check either.
 */
export type StoragePorts =
  | KernelStorage
  | CommunitiesStorage
  | ResidentsStorage
  | LedgerStorage
  | FundStorage
  | MutualAidStorage
  | WorkshopStorage

/**
 * The service of every domain (`Communities`, `Residents` …), one line each, built from the
 * storage ports and `IdGenerator`. Transports and programs provide this one layer instead of
 * listing the services, so a new domain's service reaches them through its line here.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { domainServices, IdGenerator } from "@commonweal/core"
 * import { MemoryStore } from "@commonweal/store-memory"
 *
 * const services = domainServices.pipe(Layer.provideMerge(Layer.merge(MemoryStore.layer, IdGenerator.Live)))
 * ```
 */
export const domainServices = Layer.mergeAll(
  Communities.layer, // communities
  Residents.layer, // residents
  Ledger.layer, // ledger
  Fund.layer, // fund
  MutualAid.layer, // mutual aid
  Workshop.layer.pipe(Layer.provide(Fund.layer)) // workshop (it records its contributions through the fund)
)

/** The services of every domain, as {@link domainServices} provides them. */
export type DomainServices = Layer.Success<typeof domainServices>
