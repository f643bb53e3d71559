/**
 * The table interfaces of the SQL store: what Kysely type-checks every query against.
 *
 * Every table carries `community_id` and leads its primary key and its indexes with it, so
 * tenancy is in the data and a distributed PostgreSQL (Citus) can shard by community without
 * code changes. Timestamps are ISO-8601 UTC strings (`2025-01-31T08:00:00.000Z`, always 24
 * characters, so they sort as text). Whole documents (a resident, the grids of a community, an
 * event payload) are JSON text in their `Schema`-encoded form; the scalar columns beside them
 * exist only to filter and to check versions.
 *
 * @module
 */
import type { ColumnType } from "kysely"

/** `communities`: one row per community (the tenant). Primary key `(community_id)`. */
export interface CommunitiesTable {
  readonly community_id: string
  readonly name: string
  readonly name_en: string | null
  readonly time_zone: string
  /** The grids, as the JSON of `Schema.encode(Schema.Array(Grid))`. */
  readonly grids: string
  /** ISO-8601 UTC. */
  readonly created_at: string
}

/** `residents`: one row per resident. Primary key `(community_id, id)`. */
export interface ResidentsTable {
  readonly community_id: string
  readonly id: string
  /** The optimistic version; `update` checks it. */
  readonly version: number
  /** `active`, `inactive` or `erased`. */
  readonly status: string
  readonly display_name: string
  /** `display_name` lower-cased (JavaScript `toLowerCase`), for case-insensitive `LIKE`. */
  readonly display_name_lower: string
  readonly grid: string | null
  readonly birth_year: number | null
  /** The province key of the home place. */
  readonly home_province: string | null
  /** The whole resident, as the JSON of `Schema.encode(Resident)`. The source of truth on reads. */
  readonly data: string
  /** ISO-8601 UTC. */
  readonly created_at: string
  /** ISO-8601 UTC. */
  readonly updated_at: string
}

/** `resident_tags`: index rows for the `tag` filter, rewritten with every write of the resident. */
export interface ResidentTagsTable {
  readonly community_id: string
  readonly resident_id: string
  /** Position in the resident's list; part of the primary key so duplicates are harmless. */
  readonly position: number
  readonly tag: string
}

/** `resident_languages`: index rows for the `language` and `dialect` filters. */
export interface ResidentLanguagesTable {
  readonly community_id: string
  readonly resident_id: string
  readonly position: number
  readonly language: string
  readonly dialect: string | null
}

/** `resident_skills`: index rows for the `skill` filter. */
export interface ResidentSkillsTable {
  readonly community_id: string
  readonly resident_id: string
  readonly position: number
  readonly skill: string
}

/** `resident_guardians`: index rows for the `selfOrWardsOf` filter. */
export interface ResidentGuardiansTable {
  readonly community_id: string
  readonly resident_id: string
  readonly position: number
  readonly guardian_id: string
}

/**
 * `outbox_heads`: the last sequence given to an event of each community. Primary key
 * `(community_id)`. An append increments it in the appending transaction, which keeps the row
 * locked until it commits (see `makeOutbox`).
 */
export interface OutboxHeadsTable {
  readonly community_id: string
  /** The drivers return 64-bit integers as a number (SQLite, MySQL) or a string (PostgreSQL). */
  readonly last_sequence: ColumnType<number | string | bigint, number, number>
}

/**
 * `outbox`: the append-only event log. Primary key `(community_id, sequence)`.
 *
 * `sequence` is the event's position in its community's log (1, 2, 3 … in commit order),
 * taken from `outbox_heads` by the adapter. The drivers return it as a number (SQLite, MySQL
 * with `supportBigNumbers`) or a string (PostgreSQL `int8`); the adapter converts it explicitly.
 */
export interface OutboxTable {
  readonly community_id: string
  readonly sequence: ColumnType<number | string | bigint, number, never>
  readonly id: string
  readonly type: string
  readonly aggregate_type: string
  readonly aggregate_id: string
  readonly aggregate_version: number
  /** ISO-8601 UTC. */
  readonly occurred_at: string
  readonly actor: string
  /** The encoded event, as JSON text. */
  readonly payload: string
}

/** Every table of the SQL store, for `Kysely<Database>`. */
export interface Database {
  readonly communities: CommunitiesTable
  readonly residents: ResidentsTable
  readonly resident_tags: ResidentTagsTable
  readonly resident_languages: ResidentLanguagesTable
  readonly resident_skills: ResidentSkillsTable
  readonly resident_guardians: ResidentGuardiansTable
  readonly outbox_heads: OutboxHeadsTable
  readonly outbox: OutboxTable
}
