/**
 * The database drivers the benchmarks use directly for their raw baselines, loaded once here:
 * better-sqlite3 (a dependency of this package) and pg (one of `@commonweal/store-kysely`'s, a
 * peer it tests with, resolved from there so that this private package needs no second copy),
 * typed by what the scripts use of them.
 *
 * @module
 */
import { createRequire } from "node:module"

/** What the scripts use of a better-sqlite3 prepared statement. */
export interface SqliteStatement {
  run(...values: ReadonlyArray<unknown>): { changes: number }
  all(...values: ReadonlyArray<unknown>): Array<Record<string, unknown>>
}
/** What the scripts use of a better-sqlite3 database. */
export interface SqliteDb {
  pragma(source: string): unknown
  exec(source: string): unknown
  prepare(source: string): SqliteStatement
  transaction(f: () => void): () => void
  close(): unknown
}
/** What the scripts use of a pg query result. */
export interface PgResult {
  rows: Array<Record<string, unknown>>
  rowCount: number | null
}
/** What the scripts use of a pg client. */
export interface PgClient {
  connect(): Promise<unknown>
  query(text: string, values?: ReadonlyArray<unknown>): Promise<PgResult>
  query(config: { name: string; text: string; values: ReadonlyArray<unknown> }): Promise<PgResult>
  end(): Promise<void>
}

const requireHere = createRequire(import.meta.url)
const requireStore = createRequire(new URL("../../store-kysely/package.json", import.meta.url))
/** better-sqlite3's `Database`. */
export const SQLite = requireHere("better-sqlite3") as new (filename: string) => SqliteDb
/** pg, for its `Client`. */
export const pg = requireStore("pg") as { Client: new (config: { connectionString: string }) => PgClient }

/**
 * Makes the database named in the PostgreSQL `url` afresh (dropped if it exists, then created),
 * through the server's `postgres` database, and returns `drop`, which drops it again and closes
 * that connection. The name must be a plain lower-case identifier.
 */
export const freshPostgresDatabase = async (url: string, setting = "BENCH_POSTGRES_URL") => {
  const name = decodeURIComponent(new URL(url).pathname.slice(1))
  if (!/^[a-z_][a-z0-9_]*$/u.test(name)) throw new Error(`${setting}: unusable database name "${name}"`)
  const admin = new URL(url)
  admin.pathname = "/postgres"
  const client = new pg.Client({ connectionString: admin.href })
  await client.connect()
  await client.query(`drop database if exists ${name}`)
  await client.query(`create database ${name}`)
  return {
    drop: async () => {
      await client.query(`drop database if exists ${name}`)
      await client.end()
    }
  }
}
