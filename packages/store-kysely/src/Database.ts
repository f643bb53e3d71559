/**
 * The table interfaces of the SQL store: what Kysely type-checks every query against. The kernel
 * and each domain declare their own tables beside their code (`kernel/tables.ts`,
 * `<domain>/tables.ts`); {@link Database} joins them, one line per domain.
 *
 * Every table carries `community_id` and leads its primary key and its indexes with it (the
 * purge index of `idempotency_keys`, on `expires_at`, is the one exception: the purge runs across
 * communities), so tenancy is in the data and a distributed PostgreSQL (Citus) can shard by
 * community without code changes. Timestamps are ISO-8601 UTC strings (`2025-01-31T08:00:00.000Z`,
 * always 24 characters, so they sort as text). Whole documents (a resident, the grids of a
 * community, an event payload) are JSON text in their `Schema`-encoded form; the scalar columns
 * beside them exist only to filter and to check versions.
 *
 * @module
 */
import type { CommunitiesDatabase } from "./communities/tables.js"
import type { FundDatabase } from "./fund/tables.js"
import type { KernelDatabase } from "./kernel/tables.js"
import type { LedgerDatabase } from "./ledger/tables.js"
import type { MutualAidDatabase } from "./mutual-aid/tables.js"
import type { ResidentsDatabase } from "./residents/tables.js"
import type { WorkshopDatabase } from "./workshop/tables.js"

export type { CommunitiesDatabase, CommunitiesTable } from "./communities/tables.js"
export type { IdempotencyKeysTable, KernelDatabase, OutboxHeadsTable, OutboxTable } from "./kernel/tables.js"
export type {
  LedgerAccountsTable,
  LedgerDatabase,
  LedgerHeadsTable,
  LedgerHoldsTable,
  LedgerReversalsTable,
  LedgerTransfersTable
} from "./ledger/tables.js"
export type {
  FundDatabase,
  FundEntriesTable,
  FundProductsTable,
  FundRoundHouseholdsTable,
  FundRoundsTable,
  FundSettingsTable,
  FundSubFundsTable
} from "./fund/tables.js"
export type {
  MutualAidDatabase,
  MutualAidPlansTable,
  MutualAidRequestsTable,
  MutualAidRequestVolunteersTable,
  MutualAidVisitsTable,
  MutualAidVolunteerRolesTable,
  MutualAidVolunteerSkillsTable,
  MutualAidVolunteersTable,
  MutualAidWalkingTable
} from "./mutual-aid/tables.js"
export type {
  ResidentGuardiansTable,
  ResidentLanguagesTable,
  ResidentSkillsTable,
  ResidentsDatabase,
  ResidentTagsTable,
  ResidentsTable
} from "./residents/tables.js"
export type {
  WorkshopDatabase,
  WorkshopFactoriesTable,
  WorkshopFactorySubjectsTable,
  WorkshopInvoicesTable,
  WorkshopMovementsTable,
  WorkshopOrdersTable,
  WorkshopPayLinesTable,
  WorkshopPeriodsTable,
  WorkshopProductsTable,
  WorkshopSettingsTable,
  WorkshopWorkersTable
} from "./workshop/tables.js"

/** Every table of the SQL store, for `Kysely<Database>`. */
export interface Database
  extends KernelDatabase,
    CommunitiesDatabase, // communities
    ResidentsDatabase, // residents
    LedgerDatabase, // ledger
    FundDatabase, // fund
    MutualAidDatabase, // mutual aid
    WorkshopDatabase {} // workshop
