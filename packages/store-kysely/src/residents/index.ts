/**
 * The resident registry of the SQL store: its tables, its migration and `ResidentRepo` over the
 * kernel's connection.
 *
 * @module
 */
import { ResidentRepo, type ResidentsStorage } from "@commonweal/core"
import { Context } from "effect"
import { sqlDomain, type SqlDomain } from "../kernel/SqlKernel.js"
import { m0003Residents } from "./migrations/0003_residents.js"
import { DECODED_RESIDENTS_CAPACITY, makeResidentRepo } from "./ResidentRepo.js"
import type { ResidentsDatabase } from "./tables.js"

export { makeResidentRepo } from "./ResidentRepo.js"
export type {
  ResidentGuardiansTable,
  ResidentLanguagesTable,
  ResidentSkillsTable,
  ResidentsDatabase,
  ResidentTagsTable,
  ResidentsTable
} from "./tables.js"

/** Options of the resident registry's store. */
export interface ResidentsOptions {
  /**
   * How many decoded residents the store keeps to skip decoding a row whose stored text it has
   * decoded before (least recently used dropped; a read still runs its query and reuses the
   * decoded record only when the row's text is the same). Default 1,000; `0` turns it off.
   */
  readonly decodedResidentCache?: number | undefined
}

/**
 * The resident registry: migration `0003_residents`, and `ResidentRepo` over the `SqlKernel` it
 * is given (`SqlResidents.layer`, or `SqlResidents.layerWith({ decodedResidentCache })`).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { SqlKernel, SqlResidents } from "@commonweal/store-kysely"
 *
 * // KernelStorage | ResidentsStorage on PostgreSQL
 * const store = Layer.provideMerge(
 *   SqlResidents.layer,
 *   SqlKernel.layerPostgres({ connectionString: process.env.DATABASE_URL!, domains: [SqlResidents] })
 * )
 * ```
 */
export const SqlResidents: SqlDomain<ResidentsStorage, ResidentsOptions> = sqlDomain<
  ResidentsStorage,
  ResidentsOptions
>({
  name: "residents",
  migrations: (dialect) => ({ "0003_residents": m0003Residents(dialect) }),
  make: (kernel, options) =>
    Context.make(
      ResidentRepo,
      makeResidentRepo(
        kernel.connection.view<ResidentsDatabase>(),
        options.decodedResidentCache ?? DECODED_RESIDENTS_CAPACITY
      )
    ),
  defaults: {}
})
