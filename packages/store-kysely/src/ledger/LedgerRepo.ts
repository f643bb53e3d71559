/**
 * Core's `LedgerRepo` port over SQL: accounts, transfers, holds, reversal links and chain heads
 * in their own tables (see `tables.ts`), every key led by `community_id`.
 *
 * - **One writer per community.** `lockCommunity` (and with it `load` and `loadExpiring`) reads
 *   the community's row of `ledger_heads` with `SELECT … FOR UPDATE` (a plain select on SQLite,
 *   whose transactions the adapter runs one at a time), so the row stays locked until the
 *   transaction ends. A community without a row gets one first, inserted without ever raising
 *   (`INSERT … ON CONFLICT DO NOTHING` on PostgreSQL and SQLite, a no-op `ON DUPLICATE KEY
 *   UPDATE` on MySQL/MariaDB, which locks an existing row exclusively at once): a duplicate key
 *   would abort the caller's PostgreSQL transaction. The common case, a row that exists, costs
 *   the one locking read.
 * - **Loads are batched**: the accounts a footprint names in `IN (…)` lists of at most
 *   {@link IN_LIST_SIZE} ids, the transfers it names with their hold and reversal link (one
 *   query, two left joins), then the accounts of those transfers that were not loaded yet. On
 *   PostgreSQL the ids go in as one array, each looked up through the primary key in a lateral
 *   subquery: `id = any(…)` or a long `IN (…)` let the planner scan all of the community's rows
 *   when the table had no statistics yet, and the load then grew with the table.
 * - **Writes are multi-row**: new transfers, new accounts, holds (an upsert) and reversal links
 *   go in one `INSERT` per table per chunk of rows (the chunk keeps a statement under
 *   {@link MAX_PARAMETERS} bound values, which every driver accepts: a batch of 1,000 transfers is
 *   one statement), never one per row. The transfers' statement is compiled once per row count
 *   and run with the values flattened, not rebuilt by Kysely for every batch. On PostgreSQL,
 *   transfers and holds go in as one array parameter per column, `INSERT … SELECT * FROM
 *   unnest($1::text[], $2::int8[], …)`: 18 parameters instead of 18,000, which PostgreSQL parses
 *   and plans several times faster (measured here: 1,000 transfer rows in about 15 ms instead of
 *   100 to 150 ms).
 * - **An account's history** is read through `ledger_postings` (one row per side of a
 *   transfer), written in arrears: each time the head passes a multiple of
 *   {@link POSTING_INTERVAL}, one `INSERT … SELECT` writes the postings of every transfer since
 *   the last time, in the key's order, so an account's page of the index is written once for many
 *   postings instead of once per batch (the two account indexes of `0005_ledger` cost a plain
 *   SQLite insert of the rows most of its speed). The transfers after
 *   `ledger_heads.indexed_sequence` are read by sequence.
 * - **Optimistic versions**: changed accounts are updated only where the stored `version` is
 *   `version - 1` (the engine moves a changed account one version per batch), else `Conflict`
 *   stale_version: on PostgreSQL in one `UPDATE … FROM unnest(…)` for the whole batch, on SQLite
 *   in one `UPDATE … FROM (VALUES …)`, on MySQL one compiled statement per account, run back to
 *   back.
 * - **The head** is advanced only from the sequence the new transfers continue (else `Conflict`
 *   stale_version), so a writer that did not lock cannot fork the chain.
 * - **Duplicates never raise** on PostgreSQL and SQLite (`ON CONFLICT DO NOTHING`, the count of
 *   rows inserted tells); MySQL's duplicate-key error rolls back that statement only. Either way
 *   the id that existed is looked up and reported as `Conflict` duplicate.
 * - **Rows are decoded** with core's schemas (`LedgerAccount`, `Transfer`, `Hold`); a row that
 *   does not decode is a defect naming the table, the key and the failing paths, never the values.
 *   An account row whose fields plainly pass the schema's rules (its patterns, literals and
 *   integer ranges, tested directly) is taken without running the schema: a batch loads hundreds.
 *
 * @module
 */
import {
  Conflict,
  GENESIS_HASH,
  Hold,
  LedgerAccount,
  Transfer,
  type ChainHead,
  type CommunityId,
  type Footprint,
  type LedgerAccountId,
  type LedgerChanges,
  type LedgerRepo,
  type LedgerState,
  type Paging,
  type TransferId
} from "@commonweal/core"
import { Effect, Option, Result } from "effect"
import {
  CompiledQuery,
  sql,
  type Compilable,
  type Insertable,
  type InsertQueryBuilder,
  type InsertResult,
  type Kysely,
  type RawBuilder,
  type Selectable
} from "kysely"
import type { Connection, Executor } from "../kernel/Connection.js"
import type { Capabilities } from "../kernel/Dialect.js"
import { decodeAll, guarded, nullableInt, rowDecoderResult, staleOnDeadlock, toSafeInteger } from "../kernel/Rows.js"
import type {
  LedgerAccountsTable,
  LedgerDatabase,
  LedgerHoldsTable,
  LedgerReversalsTable,
  LedgerTransfersTable
} from "./tables.js"

type Window = Paging.Window

/** The most ids one `IN (…)` list carries; longer lists are split. */
export const IN_LIST_SIZE = 1_000

/**
 * The most values one multi-row `INSERT` binds (SQLite allows 32,766, PostgreSQL 65,535): rows
 * are inserted in chunks of `MAX_PARAMETERS / columns`, which for transfers (18 columns) is 1,666.
 */
export const MAX_PARAMETERS = 30_000

/**
 * How often an account's history index catches up: each time a community's head passes a
 * multiple of this many transfers, the postings (`ledger_postings`) of every transfer since the
 * last time are written in one `INSERT … SELECT`. A history reads at most this many transfers
 * (plus one batch) by sequence beyond the postings.
 *
 * The trade: each catch-up dirties about one index page per account it touches, so with A active
 * accounts it costs about A / interval pages per transfer. At 4,096 (until December 2026) and
 * 1,000 accounts that was a quarter of a page per transfer, more than the transfer's own row: a
 * keyed SQLite insert of 100,000 transfer rows with postings cost about 21 µs per row at 4,096
 * and 15 to 17 µs at 16,384 (without postings 6 to 9). A history read in exchange scans up to
 * about 17,400 recent transfers by sequence instead of 5,100 (`packages/bench/README.md`, section
 * `ledger`).
 */
export const POSTING_INTERVAL = 16_384

/** The rows one `unnest` insert carries at most (PostgreSQL; see {@link arrayParameters}). */
export const UNNEST_ROWS = 5_000

/**
 * Whether the dialect's driver binds a JavaScript array as one array parameter, so that rows can
 * go in as `unnest($1::text[], …)` (PostgreSQL, through pg). Derived here from the dialect, in
 * this one place, until the kernel's `Capabilities` carries such a flag.
 */
const arrayParameters = (caps: Capabilities): boolean => caps.dialect === "postgres"

/**
 * Whether the dialect takes `UPDATE … FROM (VALUES …)` with the table's columns named by the
 * values' position (`column1`, … : SQLite, since 3.33), so a batch's accounts are updated in one
 * statement. Derived here from the dialect, like {@link arrayParameters}.
 */
const updateFromValues = (caps: Capabilities): boolean => caps.dialect === "sqlite"

/** A column of an `unnest` insert: its name and its PostgreSQL element type. */
type UnnestColumn<Row> = readonly [keyof Row & string, "text" | "int4" | "int8"]

/**
 * `INSERT INTO table (columns) SELECT * FROM unnest($1::type[], …)` for `rows`, one array
 * parameter per column, followed by `onConflict` (PostgreSQL).
 */
const unnestInsert = <Row>(
  table: string,
  columns: ReadonlyArray<UnnestColumn<Row>>,
  rows: ReadonlyArray<Row>,
  onConflict: RawBuilder<unknown>
) =>
  sql`insert into ${sql.table(table)} (${sql.join(columns.map(([name]) => sql.ref(name)))}) select * from unnest(${sql.join(
    columns.map(([name, type]) => sql`${rows.map((row) => row[name] ?? null)}::${sql.raw(type)}[]`)
  )}) ${onConflict}`

const TRANSFER_UNNEST: ReadonlyArray<UnnestColumn<Insertable<LedgerTransfersTable>>> = [
  ["community_id", "text"],
  ["id", "text"],
  ["sequence", "int8"],
  ["kind", "text"],
  ["debit_account_id", "text"],
  ["credit_account_id", "text"],
  ["amount", "int8"],
  ["unit", "text"],
  ["code", "int4"],
  ["reason", "text"],
  ["pending_id", "text"],
  ["expires_at", "int8"],
  ["reverses", "text"],
  ["batch_id", "text"],
  ["timestamp", "int8"],
  ["fingerprint", "text"],
  ["previous_hash", "text"],
  ["hash", "text"]
]

const HOLD_UNNEST: ReadonlyArray<UnnestColumn<Insertable<LedgerHoldsTable>>> = [
  ["community_id", "text"],
  ["transfer_id", "text"],
  ["status", "text"],
  ["resolved_by", "text"],
  ["expires_at", "int8"]
]

/**
 * A multi-row `INSERT` of one table, compiled by Kysely once per row count (the text names the
 * columns in the dialect's quoting) and then run with the rows' values flattened into one
 * parameter list: a batch of 1,000 transfers is built without the 18,000 value nodes Kysely would
 * otherwise create, visit and compile for every call. `finish` adds the conflict clause.
 */
const compiledInserts = <T extends keyof LedgerDatabase & string, Row extends object>(
  db: Kysely<LedgerDatabase>,
  table: T,
  columns: ReadonlyArray<keyof Row & string>,
  finish: (insert: InsertQueryBuilder<LedgerDatabase, T, InsertResult>) => Compilable<unknown>
) => {
  const texts = new Map<number, string>()
  const textFor = (count: number): string => {
    let text = texts.get(count)
    if (text === undefined) {
      // every value a parameter (a non-null placeholder), in the order of `columns`, row by row
      const row = Object.fromEntries(columns.map((c) => [c, 0]))
      const compiled = finish(db.insertInto(table).values(Array.from({ length: count }, () => row) as never)).compile()
      if (compiled.parameters.length !== count * columns.length) {
        throw new Error(`@commonweal/store-kysely: unexpected parameters in the compiled insert into ${table}`)
      }
      text = compiled.sql
      if (texts.size >= 32) texts.delete(texts.keys().next().value as number)
      texts.set(count, text)
    }
    return text
  }
  return (rows: ReadonlyArray<Row>): CompiledQuery => {
    const values: Array<unknown> = new Array(rows.length * columns.length)
    let k = 0
    for (const row of rows) for (const c of columns) values[k++] = row[c] ?? null
    return CompiledQuery.raw(textFor(rows.length), values)
  }
}

const decodeAccount = rowDecoderResult(LedgerAccount, "ledger_accounts")
const decodeTransfer = rowDecoderResult(Transfer, "ledger_transfers")
const decodeHold = rowDecoderResult(Hold, "ledger_holds")

/** Splits `items` into arrays of at most `size`. */
const chunksOf = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** The rows of a multi-row insert of rows with `columns` columns, chunked under {@link MAX_PARAMETERS}. */
const insertChunks = <A>(rows: ReadonlyArray<A>, columns: number) =>
  chunksOf(rows, Math.max(1, Math.floor(MAX_PARAMETERS / columns)))

const flag = (value: number | string): boolean => Number(value) === 1

// The fast path of decoding an account. Loading a batch's footprint decodes hundreds of accounts
// (about 865 for 1,000 transfers between 1,000 accounts), and core's schema took some 10 to 25 µs
// for each, most of the load. A candidate whose every field passes the plain tests below (the
// schema's own rules: `Ledger.ts`'s patterns, literals and integer ranges) is one the schema
// accepts unchanged, so it is taken as it is; anything else goes through the schema, which gives
// the defect.

/** `LedgerUuid` (an account id) and the kernel's `Uuid7` (a community id). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u
/** `Unit`, `AccountOwner.id` and `AccountName` of `Ledger.ts`. */
const UNIT = /^(?:CNY|MIN|PCS:[A-Z0-9][A-Z0-9_-]{0,31})$/u
const OWNER_ID = /^[0-9a-z][0-9a-z-]{0,63}$/u
const ACCOUNT_NAME = /^[a-z0-9][a-z0-9_-]{0,31}(?::[a-z0-9][a-z0-9_-]{0,31}){0,3}$/u
const ACCOUNT_KINDS: ReadonlySet<unknown> = new Set(["asset", "liability", "equity", "income", "expense"])
const OWNER_TYPES: ReadonlySet<unknown> = new Set(["community", "resident", "household", "workshop", "subfund"])

const isTotal = (n: number): boolean => Number.isSafeInteger(n) && n >= 0

/** Whether core's `LedgerAccount` schema surely accepts the candidate as it is (see above). */
const surelyAccount = (a: LedgerAccount): boolean =>
  typeof a.id === "string" &&
  UUID.test(a.id) &&
  typeof a.communityId === "string" &&
  UUID_V7.test(a.communityId) &&
  typeof a.unit === "string" &&
  UNIT.test(a.unit) &&
  ACCOUNT_KINDS.has(a.kind) &&
  OWNER_TYPES.has(a.owner.type) &&
  typeof a.owner.id === "string" &&
  OWNER_ID.test(a.owner.id) &&
  typeof a.name === "string" &&
  ACCOUNT_NAME.test(a.name) &&
  (a.flags.upperBound === null || isTotal(a.flags.upperBound)) &&
  isTotal(a.debitsPosted) &&
  isTotal(a.debitsPending) &&
  isTotal(a.creditsPosted) &&
  isTotal(a.creditsPending) &&
  Number.isSafeInteger(a.version) &&
  Number.isSafeInteger(a.openedAt)

/** An account from its row. */
const accountFromRow = (row: Selectable<LedgerAccountsTable>): Result.Result<LedgerAccount, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("ledger_accounts", key, () => {
    // the row's text columns typed as core's (checked by `surelyAccount`, or by the schema)
    const candidate = {
      id: row.id,
      communityId: row.community_id,
      unit: row.unit,
      kind: row.kind,
      owner: { type: row.owner_type, id: row.owner_id },
      name: row.name,
      flags: {
        debitsMustNotExceedCredits: flag(row.debits_must_not_exceed_credits),
        creditsMustNotExceedDebits: flag(row.credits_must_not_exceed_debits),
        upperBound: nullableInt(row.upper_bound),
        closed: flag(row.closed)
      },
      debitsPosted: toSafeInteger(row.debits_posted),
      debitsPending: toSafeInteger(row.debits_pending),
      creditsPosted: toSafeInteger(row.credits_posted),
      creditsPending: toSafeInteger(row.credits_pending),
      version: toSafeInteger(row.version),
      openedAt: toSafeInteger(row.opened_at)
    } as LedgerAccount
    return surelyAccount(candidate) ? Result.succeed(candidate) : decodeAccount(key, candidate)
  })
}

/** A transfer from its row. */
const transferFromRow = (row: Selectable<LedgerTransfersTable>): Result.Result<Transfer, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("ledger_transfers", key, () =>
    decodeTransfer(key, {
      id: row.id,
      communityId: row.community_id,
      kind: row.kind,
      debitAccountId: row.debit_account_id,
      creditAccountId: row.credit_account_id,
      amount: toSafeInteger(row.amount),
      unit: row.unit,
      code: Number(row.code),
      reason: row.reason,
      pendingId: row.pending_id,
      expiresAt: nullableInt(row.expires_at),
      reverses: row.reverses,
      batchId: row.batch_id,
      timestamp: toSafeInteger(row.timestamp),
      fingerprint: row.fingerprint,
      sequence: toSafeInteger(row.sequence),
      previousHash: row.previous_hash,
      hash: row.hash
    })
  )
}

const accountRow = (a: LedgerAccount): Insertable<LedgerAccountsTable> => ({
  community_id: a.communityId,
  id: a.id,
  unit: a.unit,
  kind: a.kind,
  owner_type: a.owner.type,
  owner_id: a.owner.id,
  name: a.name,
  debits_must_not_exceed_credits: a.flags.debitsMustNotExceedCredits ? 1 : 0,
  credits_must_not_exceed_debits: a.flags.creditsMustNotExceedDebits ? 1 : 0,
  upper_bound: a.flags.upperBound,
  closed: a.flags.closed ? 1 : 0,
  debits_posted: a.debitsPosted,
  debits_pending: a.debitsPending,
  credits_posted: a.creditsPosted,
  credits_pending: a.creditsPending,
  version: a.version,
  opened_at: a.openedAt
})

/** The columns of an account row. */
const ACCOUNT_COLUMNS = 17

const transferRow = (t: Transfer): Insertable<LedgerTransfersTable> => ({
  community_id: t.communityId,
  id: t.id,
  sequence: t.sequence,
  kind: t.kind,
  debit_account_id: t.debitAccountId,
  credit_account_id: t.creditAccountId,
  amount: t.amount,
  unit: t.unit,
  code: t.code,
  reason: t.reason,
  pending_id: t.pendingId,
  expires_at: t.expiresAt,
  reverses: t.reverses,
  batch_id: t.batchId,
  timestamp: t.timestamp,
  fingerprint: t.fingerprint,
  previous_hash: t.previousHash,
  hash: t.hash
})

/** The columns of a transfer row. */
const TRANSFER_COLUMNS = 18

/** The entity names of conflicts. */
const ACCOUNT = "LedgerAccount"
const TRANSFER = "Transfer"
const CHAIN = "LedgerChain"

/** A transfer row with its hold's status and its reversal link, as `transfersByIds` reads them. */
type LoadedTransferRow = Selectable<LedgerTransfersTable> & {
  readonly hold_status: string | null
  readonly hold_resolved_by: string | null
  readonly reversal_id: string | null
}

/** What a load of transfers gives: the transfers, their holds and their reversal links. */
interface LoadedTransfers {
  readonly transfers: Map<TransferId, Transfer>
  readonly holds: Map<TransferId, Hold>
  readonly reversedBy: Map<TransferId, TransferId>
}

/** `LedgerRepo` over SQL (see the module documentation). */
export const makeLedgerRepo = (conn: Connection<LedgerDatabase>): LedgerRepo["Service"] => {
  const { caps } = conn
  /** Transfers and holds go in as arrays (see the module notes). */
  const bulk = arrayParameters(caps)

  const headRow = conn.prepare((db, param) => {
    const query = db.selectFrom("ledger_heads").select(["sequence", "hash"]).where("community_id", "=", param(0))
    return caps.lockForUpdate ? query.forUpdate() : query
  })
  const accountById = conn.prepare((db, param) =>
    db.selectFrom("ledger_accounts").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const transferById = conn.prepare((db, param) =>
    db.selectFrom("ledger_transfers").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )

  const transferColumns = TRANSFER_UNNEST.map(([name]) => name)
  const transferInsert = compiledInserts<"ledger_transfers", Insertable<LedgerTransfersTable>>(
    conn.db,
    "ledger_transfers",
    transferColumns,
    (insert) => insert
  )
  const transferInsertIgnoring = compiledInserts<"ledger_transfers", Insertable<LedgerTransfersTable>>(
    conn.db,
    "ledger_transfers",
    transferColumns,
    (insert) => insert.onConflict((oc) => oc.columns(["community_id", "id"]).doNothing())
  )

  /** Inserts the community's head row if it is absent, never raising (see the module notes). */
  const insertHeadIfAbsent = (communityId: CommunityId) =>
    conn.run((db) => {
      const insert = db
        .insertInto("ledger_heads")
        .values({ community_id: communityId, sequence: 0, hash: GENESIS_HASH })
      return caps.upsert === "on conflict"
        ? insert.onConflict((oc) => oc.column("community_id").doNothing()).execute()
        : insert.onDuplicateKeyUpdate({ community_id: sql.ref("community_id") }).execute()
    })

  const readHead = (communityId: CommunityId): Effect.Effect<ChainHead | undefined> =>
    Effect.map(Effect.orDie(headRow(communityId)), (rows) => {
      const row = rows[0]
      return row === undefined ? undefined : { sequence: toSafeInteger(row.sequence), hash: row.hash }
    })

  const lockCommunity = (communityId: CommunityId): Effect.Effect<ChainHead> =>
    conn.withTransaction(
      Effect.gen(function* () {
        const found = yield* readHead(communityId)
        if (found !== undefined) return found
        yield* insertHeadIfAbsent(communityId)
        const head = yield* readHead(communityId)
        if (head === undefined) {
          return yield* Effect.die(
            new Error(`@commonweal/store-kysely: the ledger head of ${communityId} vanished / 账本链头记录消失`)
          )
        }
        return head
      })
    )

  // Lookups by id: an `IN (…)` list, or on PostgreSQL one array parameter, `unnest($2::text[])`,
  // each id looked up through the primary key in a lateral subquery (`LIMIT 1` keeps the planner
  // from flattening it). Planned in a fraction of the time of a list of 1,000 parameters, and
  // never as a scan of the community's rows, which PostgreSQL chose for `id = any(…)` and for
  // `IN (…)` on a table without statistics yet (measured: 2 s instead of 28 ms for 1,000 ids
  // among 300,000 transfers).

  /** Adds the accounts with these ids in the community to `into`, by id. */
  const accountsByIds = (
    communityId: CommunityId,
    ids: ReadonlyArray<string>,
    into: Map<LedgerAccountId, LedgerAccount>
  ): Effect.Effect<void> =>
    Effect.gen(function* () {
      for (const chunk of chunksOf([...new Set(ids)], IN_LIST_SIZE)) {
        const rows = yield* conn.run(async (db) =>
          bulk
            ? (
                await sql<Selectable<LedgerAccountsTable>>`select a.* from unnest(${chunk}::text[]) as k(id)
                  cross join lateral (select * from ledger_accounts
                    where community_id = ${communityId} and id = k.id limit 1) as a`.execute(db)
              ).rows
            : db
                .selectFrom("ledger_accounts")
                .selectAll()
                .where("community_id", "=", communityId)
                .where("id", "in", chunk)
                .execute()
        )
        for (const a of yield* decodeAll(rows, accountFromRow)) into.set(a.id, a)
      }
    })

  /** The transfers with these ids in the community, with their holds and reversal links. */
  const transfersByIds = (communityId: CommunityId, ids: ReadonlyArray<string>): Effect.Effect<LoadedTransfers> =>
    Effect.gen(function* () {
      const loaded: LoadedTransfers = { transfers: new Map(), holds: new Map(), reversedBy: new Map() }
      for (const chunk of chunksOf([...new Set(ids)], IN_LIST_SIZE)) {
        const rows = yield* conn.run(async (db) =>
          bulk
            ? (
                await sql<LoadedTransferRow>`select t.*, h.status as hold_status, h.resolved_by as hold_resolved_by, r.reversal_id
                  from unnest(${chunk}::text[]) as k(id)
                  cross join lateral (select * from ledger_transfers
                    where community_id = ${communityId} and id = k.id limit 1) as t
                  left join ledger_holds as h on h.community_id = t.community_id and h.transfer_id = t.id
                  left join ledger_reversals as r on r.community_id = t.community_id and r.original_id = t.id`.execute(
                  db
                )
              ).rows
            : db
                .selectFrom("ledger_transfers as t")
                .leftJoin("ledger_holds as h", (join) =>
                  join.onRef("h.community_id", "=", "t.community_id").onRef("h.transfer_id", "=", "t.id")
                )
                .leftJoin("ledger_reversals as r", (join) =>
                  join.onRef("r.community_id", "=", "t.community_id").onRef("r.original_id", "=", "t.id")
                )
                .selectAll("t")
                .select(["h.status as hold_status", "h.resolved_by as hold_resolved_by", "r.reversal_id"])
                .where("t.community_id", "=", communityId)
                .where("t.id", "in", chunk)
                .execute()
        )
        const transfers = yield* decodeAll(rows, transferFromRow)
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]!
          const t = transfers[i]!
          loaded.transfers.set(t.id, t)
          if (row.hold_status !== null) {
            const hold = decodeHold(`${row.community_id}/${row.id}`, {
              status: row.hold_status,
              resolvedBy: row.hold_resolved_by
            })
            if (Result.isFailure(hold)) return yield* Effect.die(hold.failure)
            loaded.holds.set(t.id, hold.success)
          }
          if (row.reversal_id !== null) loaded.reversedBy.set(t.id, row.reversal_id as TransferId)
        }
      }
      return loaded
    })

  /** The state of these transfers, their accounts and those named, with the community's head. */
  const stateOf = (
    communityId: CommunityId,
    head: ChainHead,
    accountIds: ReadonlyArray<string>,
    transferIds: ReadonlyArray<string>
  ): Effect.Effect<LedgerState> =>
    Effect.gen(function* () {
      const accounts = new Map<LedgerAccountId, LedgerAccount>()
      if (accountIds.length > 0) yield* accountsByIds(communityId, accountIds, accounts)
      const loaded =
        transferIds.length > 0
          ? yield* transfersByIds(communityId, transferIds)
          : { transfers: new Map(), holds: new Map(), reversedBy: new Map() }
      const more: Array<string> = []
      for (const t of loaded.transfers.values()) {
        if (!accounts.has(t.debitAccountId)) more.push(t.debitAccountId)
        if (!accounts.has(t.creditAccountId)) more.push(t.creditAccountId)
      }
      if (more.length > 0) yield* accountsByIds(communityId, more, accounts)
      return {
        accounts,
        transfers: loaded.transfers,
        holds: loaded.holds,
        reversedBy: loaded.reversedBy,
        heads: new Map([[communityId, head]])
      }
    })

  const load = (communityId: CommunityId, footprint: Footprint): Effect.Effect<LedgerState> =>
    conn.withTransaction(
      Effect.flatMap(lockCommunity(communityId), (head) =>
        stateOf(communityId, head, footprint.accountIds, footprint.transferIds)
      )
    )

  const loadExpiring = (communityId: CommunityId, now: number, limit: number): Effect.Effect<LedgerState> =>
    conn.withTransaction(
      Effect.gen(function* () {
        const head = yield* lockCommunity(communityId)
        const count = Math.floor(limit)
        if (!(count >= 1)) return yield* stateOf(communityId, head, [], [])
        const rows = yield* conn.run((db) =>
          db
            .selectFrom("ledger_holds")
            .select("transfer_id")
            .where("community_id", "=", communityId)
            .where("status", "=", "pending")
            .where("expires_at", "is not", null)
            .where("expires_at", "<=", now)
            .orderBy("expires_at")
            .orderBy("transfer_id")
            .limit(count)
            .execute()
        )
        return yield* stateOf(
          communityId,
          head,
          [],
          rows.map((r) => r.transfer_id)
        )
      })
    )

  /**
   * Advances the head from `from` (the sequence the new transfers continue) to `head`; a head
   * elsewhere is `Conflict` stale_version. A community without a head row gets one (from 0 only).
   */
  const advanceHead = (communityId: CommunityId, from: number, head: ChainHead): Effect.Effect<void, Conflict> =>
    Effect.gen(function* () {
      const updated = yield* conn.run((db) =>
        db
          .updateTable("ledger_heads")
          .set({ sequence: head.sequence, hash: head.hash })
          .where("community_id", "=", communityId)
          .where("sequence", "=", from)
          .executeTakeFirst()
      )
      if (updated.numUpdatedRows !== 0n) return
      if (from === 0) {
        // no row yet (a write without a load): insert it, unless one appeared meanwhile
        const inserted = yield* conn
          .attempt((db) => {
            const insert = db
              .insertInto("ledger_heads")
              .values({ community_id: communityId, sequence: head.sequence, hash: head.hash })
            return (
              caps.upsert === "on conflict" ? insert.onConflict((oc) => oc.column("community_id").doNothing()) : insert
            ).executeTakeFirst()
          })
          .pipe(
            Effect.map((result) => result.numInsertedOrUpdatedRows !== 0n),
            Effect.catch((error) => (caps.isUniqueViolation(error) ? Effect.succeed(false) : Effect.die(error)))
          )
        if (inserted) return
      }
      return yield* Effect.fail(Conflict.stale(CHAIN, communityId))
    })

  /**
   * Inserts rows that must all be new, in chunks. `insert` runs one chunk and says whether every
   * row went in (`true`), or names the row that did not (its id), or cannot tell (`false`: then
   * `existing` looks the id up). A key that existed is `Conflict` duplicate for that id (the first
   * row of the chunk if none is found).
   */
  const insertAll = <Row>(
    chunks: ReadonlyArray<ReadonlyArray<Row>>,
    entity: string,
    idOf: (row: Row) => string,
    insert: (
      db: Executor<LedgerDatabase>,
      chunk: ReadonlyArray<Row>,
      ignoreDuplicate: boolean
    ) => Promise<boolean | string>,
    existing: (db: Executor<LedgerDatabase>, chunk: ReadonlyArray<Row>) => Promise<string | undefined>
  ): Effect.Effect<void, Conflict> =>
    Effect.forEach(
      chunks,
      (chunk) =>
        conn
          .attempt((db) => insert(db, chunk, caps.upsert === "on conflict"))
          .pipe(
            Effect.catch((error) =>
              caps.isUniqueViolation(error) ? Effect.succeed<boolean | string>(false) : Effect.die(error)
            ),
            Effect.flatMap((outcome) => {
              if (outcome === true) return Effect.void
              const id = typeof outcome === "string" ? Effect.succeed(outcome) : conn.run((db) => existing(db, chunk))
              return Effect.flatMap(id, (found) => Effect.fail(Conflict.duplicate(entity, found ?? idOf(chunk[0]!))))
            })
          ),
      { discard: true }
    )

  const insertTransfers = (communityId: CommunityId, transfers: ReadonlyArray<Transfer>) =>
    insertAll(
      bulk
        ? chunksOf(transfers.map(transferRow), UNNEST_ROWS)
        : insertChunks(transfers.map(transferRow), TRANSFER_COLUMNS),
      TRANSFER,
      (row) => row.id,
      async (db, chunk, ignoreDuplicate) => {
        if (bulk) {
          const result = await unnestInsert(
            "ledger_transfers",
            TRANSFER_UNNEST,
            chunk,
            sql`on conflict (community_id, id) do nothing`
          ).execute(db)
          return result.numAffectedRows === BigInt(chunk.length)
        }
        const result = await db.executeQuery((ignoreDuplicate ? transferInsertIgnoring : transferInsert)(chunk))
        return result.numAffectedRows === BigInt(chunk.length)
      },
      // a row with one of the chunk's ids but another hash was there before (ours were not inserted
      // or are told apart by their hash, which includes their place in the chain)
      async (db, chunk) => {
        const ours = new Map(chunk.map((row) => [row.id, row.hash]))
        const found = await db
          .selectFrom("ledger_transfers")
          .select(["id", "hash"])
          .where("community_id", "=", communityId)
          .where(
            "id",
            "in",
            chunk.map((row) => row.id)
          )
          .execute()
        const other = new Set(found.filter((row) => ours.get(row.id) !== row.hash).map((row) => row.id))
        return chunk.find((row) => other.has(row.id))?.id
      }
    )

  const insertAccounts = (communityId: CommunityId, accounts: ReadonlyArray<LedgerAccount>) =>
    insertAll(
      insertChunks(accounts.map(accountRow), ACCOUNT_COLUMNS),
      ACCOUNT,
      (row) => row.id,
      async (db, chunk, ignoreDuplicate) => {
        const insert = db.insertInto("ledger_accounts").values([...chunk])
        if (!ignoreDuplicate) {
          const result = await insert.executeTakeFirst()
          return result.numInsertedOrUpdatedRows === BigInt(chunk.length)
        }
        // RETURNING tells which rows went in (PostgreSQL and SQLite, the dialects that ignore duplicates)
        const inserted = await insert
          .onConflict((oc) => oc.columns(["community_id", "id"]).doNothing())
          .returning("id")
          .execute()
        if (inserted.length === chunk.length) return true
        const ids = new Set(inserted.map((r) => r.id))
        return chunk.find((row) => !ids.has(row.id))?.id ?? false
      },
      async (db, chunk) => {
        // MySQL: the statement was rolled back, so every id found was there before
        const found = await db
          .selectFrom("ledger_accounts")
          .select("id")
          .where("community_id", "=", communityId)
          .where(
            "id",
            "in",
            chunk.map((row) => row.id)
          )
          .execute()
        const existing = new Set(found.map((row) => row.id))
        return chunk.find((row) => existing.has(row.id))?.id
      }
    )

  /** The versioned update of one account, compiled once (see {@link updateAccounts}). */
  const accountUpdate = (() => {
    const P = "\u0000p"
    const compiled = conn.db
      .updateTable("ledger_accounts")
      .set({
        debits_must_not_exceed_credits: sql<number>`${P}`,
        credits_must_not_exceed_debits: sql<number>`${P}`,
        upper_bound: sql<number>`${P}`,
        closed: sql<number>`${P}`,
        debits_posted: sql<number>`${P}`,
        debits_pending: sql<number>`${P}`,
        credits_posted: sql<number>`${P}`,
        credits_pending: sql<number>`${P}`,
        version: sql<number>`${P}`
      })
      .where("community_id", "=", sql<string>`${P}`)
      .where("id", "=", sql<string>`${P}`)
      .where("version", "=", sql<number>`${P}`)
      .compile()
    if (compiled.parameters.length !== 12) {
      throw new Error("@commonweal/store-kysely: unexpected parameters in the compiled account update")
    }
    return (a: LedgerAccount): CompiledQuery =>
      CompiledQuery.raw(compiled.sql, [
        a.flags.debitsMustNotExceedCredits ? 1 : 0,
        a.flags.creditsMustNotExceedDebits ? 1 : 0,
        a.flags.upperBound,
        a.flags.closed ? 1 : 0,
        a.debitsPosted,
        a.debitsPending,
        a.creditsPosted,
        a.creditsPending,
        a.version,
        a.communityId,
        a.id,
        a.version - 1
      ])
  })()

  /**
   * `UPDATE ledger_accounts … FROM (VALUES (…), …)` of `count` accounts (SQLite), its text kept
   * per count: ten values per account (the id, the nine columns set, the new version last) and
   * the community id at the end.
   */
  const accountsUpdateText = (() => {
    const texts = new Map<number, string>()
    return (count: number): string => {
      let text = texts.get(count)
      if (text === undefined) {
        const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        text = `update "ledger_accounts" set "debits_must_not_exceed_credits" = v.column2,
            "credits_must_not_exceed_debits" = v.column3, "upper_bound" = v.column4, "closed" = v.column5,
            "debits_posted" = v.column6, "debits_pending" = v.column7, "credits_posted" = v.column8,
            "credits_pending" = v.column9, "version" = v.column10
          from (values ${Array.from({ length: count }, () => row).join(", ")}) as v
          where "ledger_accounts"."community_id" = ? and "ledger_accounts"."id" = v.column1
            and "ledger_accounts"."version" = v.column10 - 1`
        if (texts.size >= 32) texts.delete(texts.keys().next().value as number)
        texts.set(count, text)
      }
      return text
    }
  })()

  /** The first of `accounts` whose stored version is not its new one (after an update that missed some). */
  const firstStale = async (
    db: Executor<LedgerDatabase>,
    communityId: CommunityId,
    accounts: ReadonlyArray<LedgerAccount>
  ): Promise<string> => {
    const versions = new Map<string, number>()
    for (const chunk of chunksOf(
      accounts.map((a) => a.id),
      IN_LIST_SIZE
    )) {
      const found = await db
        .selectFrom("ledger_accounts")
        .select(["id", "version"])
        .where("community_id", "=", communityId)
        .where("id", "in", chunk)
        .execute()
      for (const row of found) versions.set(row.id, toSafeInteger(row.version))
    }
    return accounts.find((a) => versions.get(a.id) !== a.version)?.id ?? accounts[0]!.id
  }

  /**
   * Updates changed accounts where the stored version is the one before (else `Conflict`
   * stale_version naming the first account that was not): on PostgreSQL all in one `UPDATE … FROM
   * unnest(…)` (one round trip for a batch's hundreds of accounts), on SQLite in one `UPDATE …
   * FROM (VALUES …)` per chunk of {@link MAX_PARAMETERS} values (one statement instead of one per
   * account, each of which went through Kysely's driver), elsewhere (MySQL, which has no
   * `UPDATE … FROM`) one compiled statement per account, run back to back in one call. When a
   * statement updated fewer rows than it named, the others are rolled back with the transaction.
   */
  const updateAccounts = (
    communityId: CommunityId,
    accounts: ReadonlyArray<LedgerAccount>
  ): Effect.Effect<void, Conflict> => {
    if (accounts.length === 0) return Effect.void
    const stale: Effect.Effect<string | undefined, unknown> = bulk
      ? conn.attempt(async (db) => {
          const column = <A>(f: (a: LedgerAccount) => A) => accounts.map(f)
          const result = await sql`update ledger_accounts as a set
              debits_must_not_exceed_credits = v.dnec, credits_must_not_exceed_debits = v.cned,
              upper_bound = v.upper_bound, closed = v.closed,
              debits_posted = v.debits_posted, debits_pending = v.debits_pending,
              credits_posted = v.credits_posted, credits_pending = v.credits_pending, version = v.version
            from unnest(${column((a) => a.id)}::text[], ${column((a) => (a.flags.debitsMustNotExceedCredits ? 1 : 0))}::int2[],
              ${column((a) => (a.flags.creditsMustNotExceedDebits ? 1 : 0))}::int2[], ${column((a) => a.flags.upperBound)}::int8[],
              ${column((a) => (a.flags.closed ? 1 : 0))}::int2[], ${column((a) => a.debitsPosted)}::int8[],
              ${column((a) => a.debitsPending)}::int8[], ${column((a) => a.creditsPosted)}::int8[],
              ${column((a) => a.creditsPending)}::int8[], ${column((a) => a.version)}::int8[])
              as v(id, dnec, cned, upper_bound, closed, debits_posted, debits_pending, credits_posted, credits_pending, version)
            where a.community_id = ${communityId} and a.id = v.id and a.version = v.version - 1`.execute(db)
          if (result.numAffectedRows === BigInt(accounts.length)) return undefined
          // the statement updated the others (rolled back with the transaction): name the first
          // account whose stored version is not the new one
          const found = await sql<{ id: string; version: number | string }>`select id, version from ledger_accounts
            where community_id = ${communityId} and id = any(${column((a) => a.id)}::text[])`.execute(db)
          const versions = new Map(found.rows.map((row) => [row.id, toSafeInteger(row.version)]))
          return accounts.find((a) => versions.get(a.id) !== a.version)?.id ?? accounts[0]!.id
        })
      : updateFromValues(caps)
        ? conn.attempt(async (db) => {
            for (const chunk of chunksOf(accounts, Math.floor(MAX_PARAMETERS / 10))) {
              const values: Array<unknown> = new Array(chunk.length * 10 + 1)
              let k = 0
              for (const a of chunk) {
                values[k++] = a.id
                values[k++] = a.flags.debitsMustNotExceedCredits ? 1 : 0
                values[k++] = a.flags.creditsMustNotExceedDebits ? 1 : 0
                values[k++] = a.flags.upperBound
                values[k++] = a.flags.closed ? 1 : 0
                values[k++] = a.debitsPosted
                values[k++] = a.debitsPending
                values[k++] = a.creditsPosted
                values[k++] = a.creditsPending
                values[k++] = a.version
              }
              values[k] = communityId
              const result = await db.executeQuery(CompiledQuery.raw(accountsUpdateText(chunk.length), values))
              if (result.numAffectedRows !== BigInt(chunk.length)) return firstStale(db, communityId, chunk)
            }
            return undefined
          })
        : conn.attempt(async (db) => {
            for (const a of accounts) {
              const result = await db.executeQuery(accountUpdate(a))
              if (result.numAffectedRows === 0n) return a.id
            }
            return undefined
          })
    return stale.pipe(
      Effect.catch(staleOnDeadlock(conn, ACCOUNT, accounts[0]!.id)),
      Effect.flatMap((id) => (id === undefined ? Effect.void : Effect.fail(Conflict.stale(ACCOUNT, id))))
    )
  }

  const upsertHolds = (
    communityId: CommunityId,
    holds: ReadonlyArray<readonly [TransferId, Hold]>,
    created: ReadonlyArray<Transfer>
  ): Effect.Effect<void> => {
    if (holds.length === 0) return Effect.void
    const expiresAt = new Map<string, number | null>()
    for (const t of created) if (t.kind === "pending") expiresAt.set(t.id, t.expiresAt)
    // one row per hold (the last change wins): a statement may not upsert a row twice
    const rows: Array<Insertable<LedgerHoldsTable>> = [...new Map(holds)].map(([id, hold]) => ({
      community_id: communityId,
      transfer_id: id,
      status: hold.status,
      resolved_by: hold.resolvedBy,
      expires_at: expiresAt.get(id) ?? null
    }))
    return Effect.forEach(
      bulk ? chunksOf(rows, UNNEST_ROWS) : insertChunks(rows, 5),
      (chunk) =>
        conn.run(async (db): Promise<void> => {
          if (bulk) {
            await unnestInsert(
              "ledger_holds",
              HOLD_UNNEST,
              chunk,
              sql`on conflict (community_id, transfer_id) do update set status = excluded.status, resolved_by = excluded.resolved_by`
            ).execute(db)
            return
          }
          const insert = db.insertInto("ledger_holds").values([...chunk])
          await (caps.upsert === "on conflict"
            ? insert
                .onConflict((oc) =>
                  oc.columns(["community_id", "transfer_id"]).doUpdateSet((eb) => ({
                    status: eb.ref("excluded.status"),
                    resolved_by: eb.ref("excluded.resolved_by")
                  }))
                )
                .execute()
            : // VALUES(col): MariaDB's spelling, still accepted (deprecated) by MySQL 8
              insert
                .onDuplicateKeyUpdate({
                  status: sql<string>`values(${sql.ref("status")})`,
                  resolved_by: sql<string | null>`values(${sql.ref("resolved_by")})`
                })
                .execute())
        }),
      { discard: true }
    )
  }

  const insertReversals = (communityId: CommunityId, reversals: ReadonlyArray<readonly [TransferId, TransferId]>) =>
    insertAll<Insertable<LedgerReversalsTable>>(
      insertChunks(
        reversals.map(([original, reversal]) => ({
          community_id: communityId,
          original_id: original,
          reversal_id: reversal
        })),
        3
      ),
      TRANSFER,
      (row) => row.original_id,
      async (db, chunk, ignoreDuplicate) => {
        const insert = db.insertInto("ledger_reversals").values([...chunk])
        const result = await (ignoreDuplicate
          ? insert.onConflict((oc) => oc.columns(["community_id", "original_id"]).doNothing())
          : insert
        ).executeTakeFirst()
        return result.numInsertedOrUpdatedRows === BigInt(chunk.length)
      },
      // an original already reversed by another transfer
      async (db, chunk) => {
        const ours = new Map(chunk.map((row) => [row.original_id, row.reversal_id]))
        const found = await db
          .selectFrom("ledger_reversals")
          .select(["original_id", "reversal_id"])
          .where("community_id", "=", communityId)
          .where(
            "original_id",
            "in",
            chunk.map((row) => row.original_id)
          )
          .execute()
        return found.find((row) => ours.get(row.original_id) !== row.reversal_id)?.original_id
      }
    )

  /**
   * Writes the postings of the community's transfers after `indexed_sequence` up to `upTo` and
   * moves `indexed_sequence` there (under the community's lock, in the write's transaction).
   */
  const writePostings = (communityId: CommunityId, upTo: number): Effect.Effect<void> =>
    conn.run(async (db) => {
      const indexed = db.selectFrom("ledger_heads").select("indexed_sequence").where("community_id", "=", communityId)
      const side = (column: "debit_account_id" | "credit_account_id") =>
        db
          .selectFrom("ledger_transfers")
          .select(["community_id", `${column} as account_id`, "sequence"])
          .where("community_id", "=", communityId)
          .where("sequence", ">", indexed)
          .where("sequence", "<=", upTo)
      await db
        .insertInto("ledger_postings")
        .columns(["community_id", "account_id", "sequence"])
        // in the key's order: each account's leaf page of the index is visited once, in one pass
        .expression(
          side("debit_account_id").unionAll(side("credit_account_id")).orderBy("account_id").orderBy("sequence")
        )
        .execute()
      await db
        .updateTable("ledger_heads")
        .set({ indexed_sequence: upTo })
        .where("community_id", "=", communityId)
        .execute()
    })

  const write = (changes: LedgerChanges): Effect.Effect<void, Conflict> => {
    const { communityId, created } = changes
    const opened = changes.accounts.filter((a) => a.version === 1)
    const changed = changes.accounts.filter((a) => a.version !== 1)
    return conn.withTransaction(
      Effect.gen(function* () {
        if (created.length > 0) yield* advanceHead(communityId, created[0]!.sequence - 1, changes.head)
        if (opened.length > 0) yield* insertAccounts(communityId, opened)
        if (changed.length > 0) yield* updateAccounts(communityId, changed)
        if (created.length > 0) {
          yield* insertTransfers(communityId, created)
          const from = created[0]!.sequence - 1
          if (Math.floor(from / POSTING_INTERVAL) !== Math.floor(changes.head.sequence / POSTING_INTERVAL)) {
            yield* writePostings(communityId, changes.head.sequence)
          }
        }
        yield* upsertHolds(communityId, changes.holds, created)
        if (changes.reversals.length > 0) yield* insertReversals(communityId, changes.reversals)
      })
    )
  }

  const findAccount = (communityId: CommunityId, id: LedgerAccountId): Effect.Effect<Option.Option<LedgerAccount>> =>
    Effect.flatMap(Effect.orDie(accountById(communityId, id)), (rows) =>
      rows.length === 0
        ? Effect.succeedNone
        : Effect.map(decodeAll(rows.slice(0, 1), accountFromRow), (a) => Option.some(a[0]!))
    )

  const listAccounts = (communityId: CommunityId, window: Window): Effect.Effect<ReadonlyArray<LedgerAccount>> => {
    if (window.limit <= 0) return Effect.succeed([])
    return conn
      .run((db) => {
        let q = db.selectFrom("ledger_accounts").selectAll().where("community_id", "=", communityId)
        if (window.after !== undefined) q = q.where("id", ">", window.after)
        return q.orderBy("id").limit(window.limit).execute()
      })
      .pipe(Effect.flatMap((rows) => decodeAll(rows, accountFromRow)))
  }

  const findTransfer = (communityId: CommunityId, id: TransferId): Effect.Effect<Option.Option<Transfer>> =>
    Effect.flatMap(Effect.orDie(transferById(communityId, id)), (rows) =>
      rows.length === 0
        ? Effect.succeedNone
        : Effect.map(decodeAll(rows.slice(0, 1), transferFromRow), (t) => Option.some(t[0]!))
    )

  const transfers = (
    communityId: CommunityId,
    after: number,
    limit: number,
    accountId?: LedgerAccountId
  ): Effect.Effect<ReadonlyArray<Transfer>> => {
    const count = Math.floor(limit)
    if (!(count >= 1)) return Effect.succeed([])
    if (accountId === undefined) {
      const all = conn.run((db) =>
        db
          .selectFrom("ledger_transfers")
          .selectAll()
          .where("community_id", "=", communityId)
          .where("sequence", ">", after)
          .orderBy("sequence")
          .limit(count)
          .execute()
      )
      return Effect.flatMap(all, (r) => decodeAll(r, transferFromRow))
    }
    // an account's history: through its postings up to the indexed sequence (read first: the
    // postings up to it were committed with it), then the transfers after it, by sequence
    const rows = Effect.gen(function* () {
      const heads = yield* conn.run((db) =>
        db.selectFrom("ledger_heads").select("indexed_sequence").where("community_id", "=", communityId).execute()
      )
      const indexed = heads[0] === undefined ? 0 : toSafeInteger(heads[0].indexed_sequence)
      const found =
        after < indexed
          ? yield* conn.run((db) =>
              db
                .selectFrom("ledger_postings as p")
                .innerJoin("ledger_transfers as t", (join) =>
                  join.onRef("t.community_id", "=", "p.community_id").onRef("t.sequence", "=", "p.sequence")
                )
                .selectAll("t")
                .where("p.community_id", "=", communityId)
                .where("p.account_id", "=", accountId)
                .where("p.sequence", ">", after)
                .where("p.sequence", "<=", indexed)
                .orderBy("p.sequence")
                .limit(count)
                .execute()
            )
          : []
      if (found.length >= count) return found
      const recent = yield* conn.run((db) =>
        db
          .selectFrom("ledger_transfers")
          .selectAll()
          .where("community_id", "=", communityId)
          .where("sequence", ">", Math.max(after, indexed))
          .where((eb) => eb.or([eb("debit_account_id", "=", accountId), eb("credit_account_id", "=", accountId)]))
          .orderBy("sequence")
          .limit(count - found.length)
          .execute()
      )
      return [...found, ...recent]
    })
    return Effect.flatMap(rows, (r) => decodeAll(r, transferFromRow))
  }

  const holds = (
    communityId: CommunityId,
    ids: ReadonlyArray<TransferId>
  ): Effect.Effect<ReadonlyMap<TransferId, Hold>> => {
    const out = new Map<TransferId, Hold>()
    return Effect.as(
      Effect.forEach(
        chunksOf([...new Set(ids)], IN_LIST_SIZE),
        (chunk) =>
          conn
            .run((db) =>
              db
                .selectFrom("ledger_holds")
                .select(["community_id", "transfer_id", "status", "resolved_by"])
                .where("community_id", "=", communityId)
                .where("transfer_id", "in", chunk)
                .execute()
            )
            .pipe(
              Effect.flatMap((rows) =>
                decodeAll(rows, (row) =>
                  Result.map(
                    decodeHold(`${row.community_id}/${row.transfer_id}`, {
                      status: row.status,
                      resolvedBy: row.resolved_by
                    }),
                    (hold) => {
                      out.set(row.transfer_id as TransferId, hold)
                      return hold
                    }
                  )
                )
              )
            ),
        { discard: true }
      ),
      out
    )
  }

  return {
    lockCommunity,
    load,
    loadExpiring,
    write,
    findAccount,
    listAccounts,
    findTransfer,
    transfers,
    holds
  }
}
