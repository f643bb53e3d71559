/**
 * The domains of the SQL store, registered: one line per domain in the list below (and its
 * options, if it has any, in {@link DomainOptions}). Adding a domain adds its folder
 * (`src/<domain>/`: tables, numbered migration files, repositories, and an `SqlDomain` in its
 * `index.ts`), its line here and its tables' line in `Database.ts`; it edits no other domain and
 * no kernel file.
 *
 * @module
 */
import { Context, Layer } from "effect"
import { SqlCommunities } from "./communities/index.js"
import { SqlFund } from "./fund/index.js"
import type { MigrationSet } from "./kernel/Migrations.js"
import { SqlKernel, type SqlDomain, type SqlKernelService } from "./kernel/SqlKernel.js"
import { SqlLedger } from "./ledger/index.js"
import { SqlMutualAid } from "./mutual-aid/index.js"
import { SqlWorkshop } from "./workshop/index.js"
import { SqlResidents, type ResidentsOptions } from "./residents/index.js"

/** Every registered domain of the SQL store, one line each. */
export const sqlDomains = [
  SqlCommunities, // communities
  SqlResidents, // residents
  SqlLedger, // ledger
  SqlFund, // fund
  SqlMutualAid, // mutual aid
  SqlWorkshop // workshop
] as const

/** The options of every registered domain (one `&` per domain that has options). */
export type DomainOptions = ResidentsOptions

/** The storage bundle a domain provides. */
type PortsOf<D> = D extends SqlDomain<infer R, infer _O> ? R : never

/** The storage bundles of every registered domain (`CommunitiesStorage | ResidentsStorage` …). */
export type DomainStorage = PortsOf<(typeof sqlDomains)[number]>

/** The migrations of every registered domain (the kernel's come with the kernel). */
export const domainMigrations: ReadonlyArray<MigrationSet> = sqlDomains.map((domain) => domain.migrations)

/** The ports of every registered domain over a kernel. */
export const makeDomains = (kernel: SqlKernelService, options: DomainOptions): Context.Context<DomainStorage> => {
  const contexts: ReadonlyArray<Context.Context<never>> = sqlDomains.map((domain) => domain.make(kernel, options))
  // each listed domain adds its own bundle, so together they provide DomainStorage
  return contexts.reduce(
    (all, context) => Context.merge(all, context),
    Context.empty()
  ) as Context.Context<DomainStorage>
}

/** The ports of every registered domain, with `options`, over the `SqlKernel` they are given. */
export const domainsLayer = (options: DomainOptions = {}): Layer.Layer<DomainStorage, never, SqlKernel> =>
  Layer.effectContext(SqlKernel.useSync((kernel) => makeDomains(kernel, options)))
