/**
 * Benchmark: posting transfers into the ledger on SQLite and PostgreSQL, against a raw driver
 * insert of equivalent rows measured in the same run.
 *
 * In one run, for each database (a temporary SQLite file; PostgreSQL at `BENCH_POSTGRES_URL`,
 * in a database the script creates and drops), the script
 *
 * 1. opens the real store (`SqlStore.layerSqlite` / `SqlStore.layerPostgres`, every migration)
 *    and the core `Ledger` service on it, and opens `BENCH_ACCOUNTS` accounts (default 1,000,
 *    CNY, no limits) through `Ledger.openAccount`;
 * 2. posts transfers through the path a user takes, `Ledger.transfer` as a staff actor (permission
 *    check, input decoding, one transaction: `LedgerRepo.load` of the batch's footprint under the
 *    community's lock, `LedgerRules.applyBatch`, `LedgerRepo.write`, one outbox event, commit).
 *    Each transfer is a `Posted` request between two different accounts drawn from a fixed seed,
 *    with a fresh UUIDv7 id (time-ordered, as the ledger's documentation recommends to callers)
 *    and a reason of 17 characters (some Chinese). Two modes:
 *    - **batches**: `BENCH_TRANSFERS` transfers (default 1,000,000) in batches of
 *      `BENCH_BATCH` (default 1,000), one transaction per batch;
 *    - **single**: `BENCH_SINGLE` transfers (default 20,000), one per call (and transaction);
 * 3. measures the **raw** rate: the same number of rows as the batch mode, in multi-row `INSERT`s
 *    of `BENCH_BATCH` rows (one transaction each) through the driver directly (better-sqlite3 with
 *    the store's pragmas and one prepared statement; pg on one client with a named statement, one
 *    parameter per value), into a plain table with the columns and column types of
 *    `ledger_transfers` and no key or index (`raw`: the ratios are to this one); into one with the
 *    keys the store has since migration `0006_ledger_speed` (`raw + keys`: primary key, unique
 *    sequence, and an account postings table filled by one `INSERT … SELECT` each time the
 *    sequence passes a multiple of 16,384, as `LedgerRepo` does), and into one with the keys of
 *    `0005_ledger` (`raw + keys of 0005`: primary key, unique sequence and two account indexes),
 *    which show what the keys alone cost; and on PostgreSQL also with one array parameter per
 *    column, `INSERT … SELECT * FROM unnest(…)`, the way the store writes transfers there
 *    (`raw, unnest arrays`, without and with the keys);
 * 4. after a warm-up that is not counted (6 batches and 20 single transfers through the ledger,
 *    6 batches into each raw table), interleaves the modes in `BENCH_ROUNDS` rounds (default 5):
 *    each round posts a `1 / rounds` share of every mode, starting at another mode each round, so
 *    the tables of every mode grow alike and none always runs first; the request objects and raw
 *    rows of a round are built before its clock starts;
 * 5. prints, per mode, the median transfers (rows) per second of the rounds, the ratio to the raw
 *    rate, and, for the ledger modes, where the time of a call went (from timestamps taken by thin
 *    wrappers of `LedgerRepo` and `Outbox`): before the load (permission check, input decoding,
 *    `BEGIN`), load, engine (from the end of the load to the start of the write:
 *    `LedgerRules.applyBatch`, which hashes every transfer into the community's chain), write,
 *    outbox, and commit (after the outbox append to the end of the call).
 *
 * Environment: `BENCH_TRANSFERS` (default 1,000,000), `BENCH_SINGLE` (default 20,000),
 * `BENCH_BATCH` (default 1,000), `BENCH_ACCOUNTS` (default 1,000), `BENCH_ROUNDS` (default 5),
 * `BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/commonweal_bench`; the
 * database named there is dropped if it exists, created, and dropped at the end),
 * `BENCH_DIALECTS` (default `sqlite,postgres`), `BENCH_SQLITE_CACHE_MB` (SQLite only: adds a
 * `raw + keys` table written with `cache_size` of that many MiB instead of SQLite's default 2 MiB;
 * the store's own connection keeps the default).
 *
 * Run: `pnpm --filter @commonweal/bench bench:ledger` (or `pnpm bench:ledger` in packages/bench).
 *
 * @module
 */
import type { LedgerAccount, TransferBatchRequest } from "@commonweal/core"
import { CommunityId, CurrentActor, IdGenerator, Ledger, LedgerRepo, Outbox } from "@commonweal/core"
import { SqlStore } from "@commonweal/store-kysely"
import { Context, Effect, Layer, ManagedRuntime } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { fmt, hex, loadAverage, median, positive, seeded, uuid7Clock } from "./common.js"
import { COLUMN_LIST, COLUMNS, createTransfersTable, REASON, UNNEST_TYPES, uuid } from "./ledger-rows.js"
import { freshPostgresDatabase, pg, SQLite } from "./drivers.js"

const BATCH = positive("BENCH_BATCH", 1_000)
const ROUNDS = positive("BENCH_ROUNDS", 5)
const ACCOUNTS = Math.max(2, positive("BENCH_ACCOUNTS", 1_000))
/** Rounded to whole batches per round. */
const PER_ROUND = Math.max(1, Math.round(positive("BENCH_TRANSFERS", 1_000_000) / ROUNDS / BATCH)) * BATCH
const TRANSFERS = PER_ROUND * ROUNDS
const SINGLE_PER_ROUND = Math.max(1, Math.round(positive("BENCH_SINGLE", 20_000) / ROUNDS))
const SINGLE = SINGLE_PER_ROUND * ROUNDS
const POSTGRES_URL = process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/commonweal_bench"
const DIALECTS = (process.env["BENCH_DIALECTS"] ?? "sqlite,postgres").split(",").map((d) => d.trim())
const TARGET = 0.5
/** SQLite only: adds `raw + keys` with a page cache of this many MiB (SQLite's default is 2 MiB). */
const SQLITE_CACHE_MB =
  process.env["BENCH_SQLITE_CACHE_MB"] === undefined ? undefined : positive("BENCH_SQLITE_CACHE_MB", 64)

// ---------------------------------------------------------------------------------------------
// drivers, loaded directly for the raw baseline
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// data
// ---------------------------------------------------------------------------------------------

const RUN = Math.floor(Date.now() / 1000) & 0xffffff

/**
 * Transfer ids: UUIDv7, as the ledger's documentation recommends to callers, stamped with the
 * clock (see `uuid7Clock`). One generator for every mode, so transfer ids come in time order, as a
 * client generating them would send them, and the primary key takes them near its end.
 */
const nextTransferId = uuid7Clock(RUN)

const requestsOf = (
  accounts: ReadonlyArray<LedgerAccount>,
  random: () => number,
  count: number
): TransferBatchRequest["requests"] => {
  const out: Array<TransferBatchRequest["requests"][number]> = []
  for (let i = 0; i < count; i++) {
    const d = Math.floor(random() * accounts.length)
    const c = (d + 1 + Math.floor(random() * (accounts.length - 1))) % accounts.length
    out.push({
      _tag: "Posted",
      id: nextTransferId(),
      debitAccountId: accounts[d]!.id,
      creditAccountId: accounts[c]!.id,
      amount: 1 + Math.floor(random() * 50_000),
      unit: "CNY",
      code: 1 + Math.floor(random() * 8),
      reason: REASON
    })
  }
  return out
}

const sha = (n: number) => `${hex(n, 16)}${"a1b2c3d4e5f60789".repeat(3)}`

/** `count` raw rows continuing `sequence`, flattened into one parameter list (values as the store binds them). */
const rawRows = (communityId: string, from: number, count: number, random: () => number) => {
  const values: Array<unknown> = []
  for (let i = 0; i < count; i++) {
    const s = from + i
    // two different accounts, as a transfer has (the postings' key needs it)
    const d = Math.floor(random() * ACCOUNTS)
    const c = (d + 1 + Math.floor(random() * (ACCOUNTS - 1))) % ACCOUNTS
    values.push(
      communityId,
      nextTransferId(),
      s,
      "posted",
      uuid(0x0a000000, d),
      uuid(0x0a000000, c),
      1 + Math.floor(random() * 50_000),
      "CNY",
      1 + Math.floor(random() * 8),
      REASON,
      null,
      null,
      null,
      null,
      1_787_000_000_000 + s,
      sha(s * 3),
      sha(s - 1),
      sha(s)
    )
  }
  return values
}

// ---------------------------------------------------------------------------------------------
// the raw baseline
// ---------------------------------------------------------------------------------------------

/** A raw inserter: `insert(values)` writes one batch in one transaction. */
interface Raw {
  /** Its row in the output. */
  readonly name: string
  /** The next `sequence` of its rows. */
  sequence: number
  readonly insert: (values: ReadonlyArray<unknown>) => Promise<void>
  readonly close: () => Promise<void>
}

/**
 * The keys of a raw table: none; those of `ledger_transfers` since `0006_ledger_speed` (primary
 * key, unique sequence, and the account postings table written every {@link POSTING_INTERVAL}
 * rows); or those of `0005_ledger` (primary key, unique sequence and two account indexes).
 */
type Keys = "none" | "0006" | "0005"

/** `POSTING_INTERVAL` of the store's `LedgerRepo`: postings are written each time the head passes a multiple. */
const POSTING_INTERVAL = 16_384

const createRawTable = (table: string, keys: Keys, dialect: "sqlite" | "postgres") => [
  createTransfersTable(table, keys !== "none"),
  ...(keys === "0005"
    ? [
        `create index ${table}_debit_idx on ${table} (community_id, debit_account_id, sequence)`,
        `create index ${table}_credit_idx on ${table} (community_id, credit_account_id, sequence)`
      ]
    : []),
  ...(keys === "0006"
    ? [
        `create table ${table}_postings (community_id varchar(36) not null, account_id varchar(36) not null, ` +
          `sequence bigint not null, primary key (community_id, account_id, sequence))${dialect === "sqlite" ? " without rowid" : ""}`
      ]
    : [])
]

/**
 * The statement that writes the postings of a `0006` table's rows of community `$1` with
 * `sequence` in `($2, $3]` (SQLite `?` placeholders: the three, then the same again), or
 * undefined.
 */
const postingsSql = (table: string, keys: Keys, placeholder: (i: number) => string) => {
  if (keys !== "0006") return undefined
  const rows = (from: number) =>
    `from ${table} where community_id = ${placeholder(from)} and sequence > ${placeholder(from + 1)} and sequence <= ${placeholder(from + 2)}`
  return (
    `insert into ${table}_postings (community_id, account_id, sequence) ` +
    `select community_id, debit_account_id, sequence ${rows(1)} union all select community_id, credit_account_id, sequence ${rows(4)}`
  )
}

/** The `(indexed, upTo]` range of postings a batch whose sequences run from `first` to `last` writes, if any. */
const postingsDue = (first: number, last: number): number | undefined =>
  Math.floor((first - 1) / POSTING_INTERVAL) !== Math.floor(last / POSTING_INTERVAL) ? last : undefined

const insertSql = (table: string, rows: number, placeholder: (i: number) => string) => {
  const tuples: Array<string> = []
  for (let r = 0; r < rows; r++) {
    tuples.push(`(${COLUMNS.map((_, c) => placeholder(r * COLUMNS.length + c)).join(", ")})`)
  }
  return `insert into ${table} (${COLUMN_LIST}) values ${tuples.join(", ")}`
}

const rawSqlite = (name: string, filename: string, table: string, keys: Keys, cacheMb?: number): Raw => {
  const db = new SQLite(filename)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  if (cacheMb !== undefined) db.pragma(`cache_size = -${cacheMb * 1024}`)
  for (const statement of createRawTable(table, keys, "sqlite")) db.exec(statement)
  const statement = db.prepare(insertSql(table, BATCH, () => "?"))
  const postingsText = postingsSql(table, keys, () => "?")
  const postings = postingsText === undefined ? undefined : db.prepare(postingsText)
  let indexed = 0
  return {
    name,
    sequence: 1,
    insert: async (values) => {
      db.transaction(() => {
        statement.run(...values)
        const upTo = postingsDue(values[2] as number, values[values.length - COLUMNS.length + 2] as number)
        if (postings !== undefined && upTo !== undefined) {
          postings.run(values[0], indexed, upTo, values[0], indexed, upTo)
          indexed = upTo
        }
      })()
    },
    close: async () => {
      db.close()
    }
  }
}

/**
 * A raw PostgreSQL inserter on its own client: a multi-row `INSERT … VALUES` with one parameter
 * per value (a named statement, parsed and planned once per connection, as SQLite's prepared
 * one), or, with `unnest`, one array parameter per column (`INSERT … SELECT * FROM unnest(…)`,
 * the way the store writes transfers on PostgreSQL).
 */
const rawPostgres = async (name: string, url: string, table: string, keys: Keys, unnest = false): Promise<Raw> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  for (const statement of createRawTable(table, keys, "postgres")) await client.query(statement)
  const postingsText = postingsSql(table, keys, (i) => `$${i <= 3 ? i : i - 3}`)
  let indexed = 0
  /** Writes the postings a batch makes due, in its transaction (`BEGIN` … `COMMIT` around both). */
  const withPostings = async (values: ReadonlyArray<unknown>, insert: () => Promise<unknown>) => {
    const upTo = postingsDue(values[2] as number, values[values.length - COLUMNS.length + 2] as number)
    if (postingsText === undefined || upTo === undefined) {
      await insert()
      return
    }
    await client.query("begin")
    await insert()
    await client.query({ name: `${table}_postings`, text: postingsText, values: [values[0], indexed, upTo] })
    await client.query("commit")
    indexed = upTo
  }
  const text = unnest
    ? `insert into ${table} (${COLUMN_LIST}) select * from unnest(${UNNEST_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")})`
    : insertSql(table, BATCH, (i) => `$${i + 1}`)
  return {
    name,
    sequence: 1,
    insert: (values) =>
      withPostings(values, () => {
        if (!unnest) return client.query({ name: table, text, values })
        const arrays: Array<Array<unknown>> = COLUMNS.map(() => [])
        for (let i = 0; i < values.length; i++) arrays[i % COLUMNS.length]!.push(values[i])
        return client.query({ name: table, text, values: arrays })
      }),
    close: () => client.end()
  }
}

/** The rows of the raw tables with keys. */
const RAW_KEYS = "raw + keys"
const RAW_KEYS_0005 = "raw + keys of 0005"

// ---------------------------------------------------------------------------------------------
// the ledger, with timestamps at the ports
// ---------------------------------------------------------------------------------------------

const PHASES = ["before load", "load", "engine", "write", "outbox", "commit"] as const
type Phase = (typeof PHASES)[number]

/** Timestamps of the call in flight (calls run one at a time). */
const marks = { loadStart: 0, loadEnd: 0, writeStart: 0, writeEnd: 0, outboxStart: 0, outboxEnd: 0 }

const stamp = <A, E, R>(effect: Effect.Effect<A, E, R>, start: (t: number) => void, end: (t: number) => void) =>
  Effect.suspend(() => {
    start(performance.now())
    return Effect.tap(effect, () => Effect.sync(() => end(performance.now())))
  })

/** `LedgerRepo` and `Outbox` of the store, with timestamps around `load`, `write` and `append`. */
const Stamped = Layer.effectContext(
  Effect.gen(function* () {
    const repo = yield* LedgerRepo
    const outbox = yield* Outbox
    return Context.merge(
      Context.make(LedgerRepo, {
        ...repo,
        load: (communityId, footprint) =>
          stamp(
            repo.load(communityId, footprint),
            (t) => (marks.loadStart = t),
            (t) => (marks.loadEnd = t)
          ),
        write: (changes) =>
          stamp(
            repo.write(changes),
            (t) => (marks.writeStart = t),
            (t) => (marks.writeEnd = t)
          )
      }),
      Context.make(Outbox, {
        ...outbox,
        append: (events) =>
          stamp(
            outbox.append(events),
            (t) => (marks.outboxStart = t),
            (t) => (marks.outboxEnd = t)
          )
      })
    )
  })
)

type Store = ReturnType<typeof SqlStore.layerSqlite>

const ledgerRuntime = (store: Store) => {
  const ports = Layer.provideMerge(Stamped, store)
  return ManagedRuntime.make(Ledger.layer.pipe(Layer.provideMerge(Layer.merge(ports, IdGenerator.Live))))
}

// ---------------------------------------------------------------------------------------------
// measuring
// ---------------------------------------------------------------------------------------------

interface ModeResult {
  readonly rates: Array<number>
  readonly phases: Map<Phase, number>
  readonly rows: number
}

const runDialect = async (dialect: "sqlite" | "postgres") => {
  let store: Store
  let raws: Array<Raw>
  let cleanup: () => Promise<void>
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "commonweal-bench-ledger-"))
    store = SqlStore.layerSqlite({ filename: join(dir, "ledger.sqlite") })
    raws = [
      rawSqlite("raw", join(dir, "raw.sqlite"), "raw_transfers", "none"),
      rawSqlite(RAW_KEYS, join(dir, "raw-keyed.sqlite"), "raw_transfers_keyed", "0006"),
      rawSqlite(RAW_KEYS_0005, join(dir, "raw-keyed-0005.sqlite"), "raw_transfers_keyed_0005", "0005"),
      ...(SQLITE_CACHE_MB === undefined
        ? []
        : [
            rawSqlite(
              `${RAW_KEYS_0005}, cache_size ${SQLITE_CACHE_MB} MB`,
              join(dir, "raw-keyed-cache.sqlite"),
              "raw_transfers_keyed_0005",
              "0005",
              SQLITE_CACHE_MB
            )
          ])
    ]
    cleanup = async () => rmSync(dir, { recursive: true, force: true })
  } else {
    const database = await freshPostgresDatabase(POSTGRES_URL)
    store = SqlStore.layerPostgres({ connectionString: POSTGRES_URL })
    raws = [
      await rawPostgres("raw", POSTGRES_URL, "raw_transfers", "none"),
      await rawPostgres(RAW_KEYS, POSTGRES_URL, "raw_transfers_keyed", "0006"),
      await rawPostgres(RAW_KEYS_0005, POSTGRES_URL, "raw_transfers_keyed_0005", "0005"),
      await rawPostgres("raw, unnest arrays", POSTGRES_URL, "raw_transfers_unnest", "none", true),
      await rawPostgres(`${RAW_KEYS}, unnest arrays`, POSTGRES_URL, "raw_transfers_keyed_unnest", "0006", true)
    ]
    cleanup = async () => {
      await database.drop()
    }
  }

  const runtime = ledgerRuntime(store)
  try {
    const communityId = CommunityId.make(uuid(0x01900000 + (RUN & 0xffff), 1))
    const actor = { subject: "bench-staff", communityId, roles: ["staff" as const] }
    const as = <A, E>(effect: Effect.Effect<A, E, CurrentActor | Ledger>) =>
      runtime.runPromise(Effect.provideService(effect, CurrentActor, actor))
    const accounts: Array<LedgerAccount> = []
    for (let i = 0; i < ACCOUNTS; i++) {
      accounts.push(
        await as(
          Effect.flatMap(Ledger, (ledger) =>
            ledger.openAccount({
              id: uuid(0x0a000000 + (RUN & 0xffff), i),
              unit: "CNY",
              kind: "liability",
              owner: { type: "resident", id: `r${i}` },
              name: "timebank"
            })
          )
        )
      )
    }
    const transfer = (requests: TransferBatchRequest["requests"]) =>
      as(Effect.flatMap(Ledger, (ledger) => ledger.transfer({ requests })))

    const results = new Map<string, ModeResult>()
    const result = (name: string, rows: number) => {
      let r = results.get(name)
      if (r === undefined) {
        r = { rates: [], phases: new Map(PHASES.map((p) => [p, 0])), rows: 0 }
        results.set(name, r)
      }
      return { r, rows }
    }
    const random = seeded(20_260_907)

    /** Posts `requests` in calls of `size`, adding each call's phases. */
    const ledgerMode = async (name: string, count: number, size: number) => {
      const calls: Array<TransferBatchRequest["requests"]> = []
      for (let i = 0; i < count; i += size) calls.push(requestsOf(accounts, random, Math.min(size, count - i)))
      const { r } = result(name, count)
      const add = (p: Phase, ms: number) => r.phases.set(p, r.phases.get(p)! + ms)
      const start = performance.now()
      for (const requests of calls) {
        const t0 = performance.now()
        await transfer(requests)
        const t1 = performance.now()
        add("before load", marks.loadStart - t0)
        add("load", marks.loadEnd - marks.loadStart)
        add("engine", marks.writeStart - marks.loadEnd)
        add("write", marks.writeEnd - marks.writeStart)
        add("outbox", marks.outboxEnd - marks.outboxStart)
        add("commit", t1 - marks.outboxEnd)
      }
      const ms = performance.now() - start
      r.rates.push((count * 1000) / ms)
      ;(r as { rows: number }).rows += count
    }

    /** One round of a raw inserter (`count` rows), counted when `measured`. */
    const rawMode = async (target: Raw, count: number, measured: boolean) => {
      const batches: Array<ReadonlyArray<unknown>> = []
      for (let i = 0; i < count; i += BATCH) {
        batches.push(rawRows(communityId, target.sequence, BATCH, random))
        target.sequence += BATCH
      }
      const start = performance.now()
      for (const values of batches) await target.insert(values)
      if (!measured) return
      const { r } = result(target.name, count)
      r.rates.push((count * 1000) / (performance.now() - start))
      ;(r as { rows: number }).rows += count
    }

    const modes: Array<() => Promise<void>> = [
      () => ledgerMode(`ledger, batches of ${BATCH.toLocaleString("en")}`, PER_ROUND, BATCH),
      () => ledgerMode("ledger, one per transaction", SINGLE_PER_ROUND, 1),
      ...raws.map((target) => () => rawMode(target, PER_ROUND, true))
    ]
    // warm-up, not counted: 6 batches each way (PostgreSQL plans a named statement generically
    // from its sixth execution on), and 20 single transfers
    for (let i = 0; i < 6; i++) await transfer(requestsOf(accounts, random, BATCH))
    for (let i = 0; i < 20; i++) await transfer(requestsOf(accounts, random, 1))
    for (const target of raws) await rawMode(target, 6 * BATCH, false)
    for (let round = 0; round < ROUNDS; round++) {
      const t = performance.now()
      for (let k = 0; k < modes.length; k++) await modes[(round + k) % modes.length]!()
      console.log(`  ${dialect} round ${round + 1}/${ROUNDS}: ${((performance.now() - t) / 1000).toFixed(1)} s`)
    }

    const rawRate = median(results.get("raw")!.rates)
    console.log("")
    console.log(`### ${dialect}`)
    console.log("")
    console.log("| mode | rows | median transfers/s | of raw | rounds (transfers/s) |")
    console.log("| --- | ---: | ---: | ---: | --- |")
    for (const [name, r] of results) {
      const m = median(r.rates)
      console.log(
        `| ${name} | ${fmt(r.rows)} | ${fmt(m)} | ${((100 * m) / rawRate).toFixed(1)} % | ${r.rates.map(fmt).join(", ")} |`
      )
    }
    console.log("")
    console.log(`| where a ledger call's time went | ${PHASES.join(" | ")} | µs per transfer |`)
    console.log(`| --- |${PHASES.map(() => " ---: |").join("")} ---: |`)
    for (const [name, r] of results) {
      if (!name.startsWith("ledger")) continue
      const total = [...r.phases.values()].reduce((a, b) => a + b, 0)
      console.log(
        `| ${name} | ${PHASES.map((p) => `${((100 * r.phases.get(p)!) / total).toFixed(1)} %`).join(" | ")} | ${(
          (1000 * total) / r.rows
        ).toFixed(1)} |`
      )
    }
    const batchRate = median(results.get(`ledger, batches of ${BATCH.toLocaleString("en")}`)!.rates)
    console.log("")
    console.log(
      `Target (batches ≥ ${TARGET * 100} % of raw): ${batchRate >= TARGET * rawRate ? "met" : "NOT met"} ` +
        `(${((100 * batchRate) / rawRate).toFixed(1)} %).`
    )
    console.log("")
  } finally {
    await runtime.dispose()
    for (const target of raws) await target.close()
    await cleanup()
  }
}

console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${loadAverage()}`)
console.log(
  `${fmt(TRANSFERS)} transfers in batches of ${fmt(BATCH)}, ${fmt(SINGLE)} one per transaction, ` +
    `${fmt(ACCOUNTS)} accounts, ${ROUNDS} interleaved rounds; dialects: ${DIALECTS.join(", ")}`
)
for (const dialect of DIALECTS) {
  if (dialect !== "sqlite" && dialect !== "postgres") throw new Error(`BENCH_DIALECTS: unknown dialect ${dialect}`)
  await runDialect(dialect)
}
console.log(`load average at the end: ${loadAverage()}`)
