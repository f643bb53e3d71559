/**
 * `0005_ledger`: the ledger's tables and indexes (see `../tables.ts`): accounts, transfers,
 * holds, reversal links and the chain heads. Every key and index leads with `community_id`.
 *
 * Amounts, totals, sequences and times are `bigint`; ids `varchar(36)`; hashes and fingerprints
 * `varchar(64)` (lower-case hex); a reason is at most 140 code points, which `varchar(140)`
 * holds on every dialect (PostgreSQL and MySQL count characters, SQLite does not limit).
 *
 * @module
 */
import { sql } from "kysely"
import { type AnyDb, ID, type MigrationFor, withOptions } from "../../kernel/Ddl.js"

/** The column type of units (`PCS:` and a SKU of at most 32 characters). */
const UNIT = sql`varchar(40)`
/** The column type of SHA-256 digests in hex. */
const SHA256 = sql`varchar(64)`
/** The column type of short codes (kinds, statuses, owner types). */
const CODE = sql`varchar(16)`

/** Creates the ledger's tables and their indexes. */
export const m0005Ledger: MigrationFor = (dialect) => ({
  async up(db: AnyDb) {
    await withOptions(
      dialect,
      db.schema
        .createTable("ledger_accounts")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("unit", UNIT, (c) => c.notNull())
        .addColumn("kind", CODE, (c) => c.notNull())
        .addColumn("owner_type", CODE, (c) => c.notNull())
        .addColumn("owner_id", sql`varchar(64)`, (c) => c.notNull())
        .addColumn("name", sql`varchar(140)`, (c) => c.notNull())
        .addColumn("debits_must_not_exceed_credits", "smallint", (c) => c.notNull())
        .addColumn("credits_must_not_exceed_debits", "smallint", (c) => c.notNull())
        .addColumn("upper_bound", "bigint")
        .addColumn("closed", "smallint", (c) => c.notNull())
        .addColumn("debits_posted", "bigint", (c) => c.notNull())
        .addColumn("debits_pending", "bigint", (c) => c.notNull())
        .addColumn("credits_posted", "bigint", (c) => c.notNull())
        .addColumn("credits_pending", "bigint", (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("opened_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("ledger_accounts_pk", ["community_id", "id"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("ledger_transfers")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("id", ID, (c) => c.notNull())
        .addColumn("sequence", "bigint", (c) => c.notNull())
        .addColumn("kind", CODE, (c) => c.notNull())
        .addColumn("debit_account_id", ID, (c) => c.notNull())
        .addColumn("credit_account_id", ID, (c) => c.notNull())
        .addColumn("amount", "bigint", (c) => c.notNull())
        .addColumn("unit", UNIT, (c) => c.notNull())
        .addColumn("code", "integer", (c) => c.notNull())
        .addColumn("reason", sql`varchar(140)`, (c) => c.notNull())
        .addColumn("pending_id", ID)
        .addColumn("expires_at", "bigint")
        .addColumn("reverses", ID)
        .addColumn("batch_id", ID)
        .addColumn("timestamp", "bigint", (c) => c.notNull())
        .addColumn("fingerprint", SHA256, (c) => c.notNull())
        .addColumn("previous_hash", SHA256, (c) => c.notNull())
        .addColumn("hash", SHA256, (c) => c.notNull())
        .addPrimaryKeyConstraint("ledger_transfers_pk", ["community_id", "id"])
        .addUniqueConstraint("ledger_transfers_sequence_uq", ["community_id", "sequence"])
    ).execute()
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

    await withOptions(
      dialect,
      db.schema
        .createTable("ledger_holds")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("transfer_id", ID, (c) => c.notNull())
        .addColumn("status", CODE, (c) => c.notNull())
        .addColumn("resolved_by", ID)
        .addColumn("expires_at", "bigint")
        .addPrimaryKeyConstraint("ledger_holds_pk", ["community_id", "transfer_id"])
    ).execute()
    await db.schema
      .createIndex("ledger_holds_expiry_idx")
      .on("ledger_holds")
      .columns(["community_id", "status", "expires_at"])
      .execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("ledger_reversals")
        .addColumn("community_id", ID, (c) => c.notNull())
        .addColumn("original_id", ID, (c) => c.notNull())
        .addColumn("reversal_id", ID, (c) => c.notNull())
        .addPrimaryKeyConstraint("ledger_reversals_pk", ["community_id", "original_id"])
    ).execute()

    await withOptions(
      dialect,
      db.schema
        .createTable("ledger_heads")
        .addColumn("community_id", ID, (c) => c.primaryKey())
        .addColumn("sequence", "bigint", (c) => c.notNull())
        .addColumn("hash", SHA256, (c) => c.notNull())
    ).execute()
  },
  async down(db: AnyDb) {
    for (const table of ["ledger_heads", "ledger_reversals", "ledger_holds", "ledger_transfers", "ledger_accounts"]) {
      await db.schema.dropTable(table).ifExists().execute()
    }
  }
})
