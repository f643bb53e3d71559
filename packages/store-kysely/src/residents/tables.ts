/**
 * The tables of the resident registry (see `migrations/0003_residents.ts`).
 *
 * A resident row keeps the whole resident as `Schema`-encoded JSON (`data`), which is what reads
 * decode; the scalar columns and the index tables beside it exist only to filter and to check
 * versions, and are rewritten with every write. Timestamps are ISO-8601 UTC strings (always 24
 * characters, so they sort as text).
 *
 * @module
 */

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

/** The resident registry's tables, for `Kysely<ResidentsDatabase>`. */
export interface ResidentsDatabase {
  readonly residents: ResidentsTable
  readonly resident_tags: ResidentTagsTable
  readonly resident_languages: ResidentLanguagesTable
  readonly resident_skills: ResidentSkillsTable
  readonly resident_guardians: ResidentGuardiansTable
}
