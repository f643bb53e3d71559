/**
 * Helpers of the migration files (kernel and domains): the id column type and the table options
 * of the dialect. Migrations run against a database whose schema they are creating, so they see
 * it untyped ({@link AnyDb}).
 *
 * @module
 */
import { sql, type CreateTableBuilder, type Kysely, type Migration } from "kysely"
import { capabilities, type Dialect } from "./Dialect.js"

/** The database as a migration sees it: no table types yet. */
export type AnyDb = Kysely<unknown>

/** A migration for a dialect: what each migration file exports. */
export type MigrationFor = (dialect: Dialect) => Migration

/** The column type of ids (UUIDs, 36 characters). */
export const ID = sql`varchar(36)`

/** Adds the dialect's table options (MySQL: utf8mb4, binary collation) to a `CREATE TABLE`. */
export const withOptions = <TB extends string, C extends string>(
  dialect: Dialect,
  builder: CreateTableBuilder<TB, C>
): CreateTableBuilder<TB, C> => {
  const options = capabilities(dialect).tableOptions
  return options === undefined ? builder : builder.modifyEnd(options)
}
