/**
 * `0006_ledger_speed`: an account's history is found through `ledger_postings`, written in
 * arrears, instead of two indexes on `ledger_transfers` written with every transfer.
 *
 * The two account indexes of `0005_ledger` (`(community_id, debit_account_id, sequence)` and
 * `(community_id, credit_account_id, sequence)`) took each batch's transfers at as many places as
 * the batch had accounts, so a batch of 1,000 transfers between 1,000 accounts dirtied about one
 * index page per account and per index: measured on SQLite, a plain insert of the rows ran 10 to
 * 15 times faster than the same insert with those indexes (see `packages/bench/README.md`).
 *
 * - `ledger_postings (community_id, account_id, sequence)`, primary key all three (on SQLite a
 *   `WITHOUT ROWID` table: the key is the table): one row per side of each transfer, written by
 *   `LedgerRepo` for every transfer up to the head each time the head passes a multiple of
 *   `POSTING_INTERVAL` (4,096 when this was written, 16,384 since) transfers, in one
 *   `INSERT … SELECT`. Each account then gets many rows at once, so a page is written once for
 *   many postings.
 * - `ledger_heads.indexed_sequence`: the sequence up to which the community's postings are
 *   written (`0` for none). A history reads the postings up to it, and the few transfers after it
 *   (fewer than the interval plus one batch) from `ledger_transfers` by sequence.
 *
 * On a database with transfers, the postings of every transfer are written here and
 * `indexed_sequence` set to the head, then the two indexes are dropped. `down` restores them.
 *
 * On PostgreSQL, `ledger_accounts` gets `fillfactor = 50` (pages filled to half on insert), so
 * that the updates of an account's totals, one per batch that touches it, find room for the new
 * row version in the same page (a HOT update: no new index entry).
 *
 * @module
 */
import { sql } from "kysely"
import { type AnyDb, ID, type MigrationFor, withOptions } from "../../kernel/Ddl.js"

/** Creates `ledger_postings`, fills it, adds `ledger_heads.indexed_sequence` and drops the account indexes. */
export const m0006LedgerSpeed: MigrationFor = (dialect) => ({
  async up(db: AnyDb) {
    const table = db.schema
      .createTable("ledger_postings")
      .addColumn("community_id", ID, (c) => c.notNull())
      .addColumn("account_id", ID, (c) => c.notNull())
      .addColumn("sequence", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("ledger_postings_pk", ["community_id", "account_id", "sequence"])
    await withOptions(dialect, dialect === "sqlite" ? table.modifyEnd(sql`without rowid`) : table).execute()

    await db.schema
      .alterTable("ledger_heads")
      .addColumn("indexed_sequence", "bigint", (c) => c.notNull().defaultTo(0))
      .execute()

    await sql`insert into ledger_postings (community_id, account_id, sequence)
      select community_id, debit_account_id, sequence from ledger_transfers
      union all
      select community_id, credit_account_id, sequence from ledger_transfers`.execute(db)
    await sql`update ledger_heads set indexed_sequence = sequence`.execute(db)

    for (const index of ["ledger_transfers_debit_idx", "ledger_transfers_credit_idx"]) {
      const drop = db.schema.dropIndex(index)
      await (dialect === "mysql" ? drop.on("ledger_transfers") : drop).execute()
    }

    // PostgreSQL writes a new version of a row on every update; with room left in each page it
    // can keep the new version there without a new index entry (a HOT update), so the accounts,
    // updated by every batch, keep their primary key lean between vacuums
    if (dialect === "postgres") await sql`alter table ledger_accounts set (fillfactor = 50)`.execute(db)
  },
  async down(db: AnyDb) {
    if (dialect === "postgres") await sql`alter table ledger_accounts reset (fillfactor)`.execute(db)
    await db.schema
      .createIndex("ledger_transfers_debit_idx")
      .on("ledger_transfers")
      .columns(["community_id", "debit_account_id", "sequence"])
      .execute()
    await db.schema
      .createIndex("ledger_transfers_credit_idx")
      .on("ledger_transfers")
      .columns(["community_id", "credit_account_id", "sequence"])
      .execute()
    await db.schema.alterTable("ledger_heads").dropColumn("indexed_sequence").execute()
    await db.schema.dropTable("ledger_postings").ifExists().execute()
  }
})
