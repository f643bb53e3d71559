/**
 * Benchmark: the floor under any SQL ledger that keeps issue 7's promises, against the raw insert
 * that `bench:ledger` divides by, measured in the same run.
 *
 * `bench:ledger` measures the real `Ledger` service. This script asks a different question: how
 * fast can a batch of transfers go into SQLite or PostgreSQL if nothing is done but the least
 * that the ledger's promises require, written by hand straight on the driver, with no Effect, no
 * Kysely, no schema, no permission check, no outbox, no history index? Per batch of `BENCH_BATCH`
 * transfers between pairs of `BENCH_ACCOUNTS` accounts, one transaction:
 *
 * - **raw**: the multi-row insert of `bench:ledger`'s raw baseline (the same 18 columns and
 *   column types as `ledger_transfers`, no key, no index). The ratios are to this one;
 * - **floor: id key + chain**: the same rows into a table with the two keys a ledger cannot do
 *   without: the caller's id unique per community (idempotency: a replay must be found, a second
 *   row with the id refused) and the chain's sequence unique per community (the order a hash
 *   chain verifies), and each row's hash computed in the clock: one SHA-256 per transfer with
 *   Node's native `createHash` over the previous hash and the transfer's fields (the ledger
 *   hashes twice: a fingerprint for replays, then the chain link);
 * - **floor: + balances**: the same, plus the account totals that make "never overdrawn" and
 *   limits checkable: the batch's accounts read by id (one statement) and written back with
 *   their new totals and version (one statement: `UPDATE … FROM (VALUES …)` on SQLite,
 *   `UPDATE … FROM unnest(…)` on PostgreSQL), the sums made in JavaScript.
 *
 * Transfer rows are inserted as `bench:ledger` does per dialect: one prepared multi-row `INSERT`
 * on SQLite (better-sqlite3, WAL, `synchronous = NORMAL`, the store's pragmas), and on PostgreSQL
 * both as a multi-row `INSERT` with one parameter per value (`raw`, as `bench:ledger`'s ratio
 * base) and as `INSERT … SELECT * FROM unnest(…)` with one array per column (the floors, the
 * faster way, which the store uses). What is left out (and the real ledger does) is listed in
 * `packages/bench/README.md`: what the floors show is an upper bound on the ratio any design on
 * these keys can reach, not a design.
 *
 * After a warm-up that is not counted, the modes run in `BENCH_ROUNDS` interleaved rounds, each
 * starting at another mode; the script prints the median rows per second of each mode, its share
 * of raw, and each round's rate and per-round share.
 *
 * Environment: `BENCH_TRANSFERS` (default 300,000), `BENCH_BATCH` (1,000), `BENCH_ACCOUNTS`
 * (1,000), `BENCH_ROUNDS` (5), `BENCH_DIALECTS` (`sqlite,postgres`), `BENCH_POSTGRES_URL`
 * (default `postgres://postgres@127.0.0.1:5432/commonweal_bench_floor`; the database named there
 * is dropped if it exists, created, and dropped at the end).
 *
 * Run: `pnpm --filter @commonweal/bench bench:ledger-floor`.
 *
 * @module
 */
import { createHash } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { fmt, loadAverage, median, positive, seeded, uuid7Clock } from "./common.js"
import { COLUMN_LIST, COLUMNS, createTransfersTable, REASON, UNNEST_TYPES, uuid } from "./ledger-rows.js"
import { freshPostgresDatabase, pg, SQLite, type SqliteStatement } from "./drivers.js"

const BATCH = positive("BENCH_BATCH", 1_000)
const ROUNDS = positive("BENCH_ROUNDS", 5)
const ACCOUNTS = Math.max(2, positive("BENCH_ACCOUNTS", 1_000))
const PER_ROUND = Math.max(1, Math.round(positive("BENCH_TRANSFERS", 300_000) / ROUNDS / BATCH)) * BATCH
const POSTGRES_URL = process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/commonweal_bench_floor"
const DIALECTS = (process.env["BENCH_DIALECTS"] ?? "sqlite,postgres").split(",").map((d) => d.trim())

// ---------------------------------------------------------------------------------------------
// data: the rows of bench:ledger
// ---------------------------------------------------------------------------------------------

const COMMUNITY = uuid(0x01900000, 1)
const ACCOUNT_IDS = Array.from({ length: ACCOUNTS }, (_, i) => uuid(0x0a000000, i))
/** UUIDv7 transfer ids in time order, as `bench:ledger` makes them. */
const nextTransferId = uuid7Clock(7)

const W = COLUMNS.length

/** A transfer before it is written: what the caller sends. */
interface Request {
  readonly id: string
  readonly debit: number
  readonly credit: number
  readonly amount: number
  readonly code: number
}

const random = seeded(20_261_203)
const requests = (count: number): Array<Request> => {
  const out: Array<Request> = []
  for (let i = 0; i < count; i++) {
    const d = Math.floor(random() * ACCOUNTS)
    const c = (d + 1 + Math.floor(random() * (ACCOUNTS - 1))) % ACCOUNTS
    out.push({
      id: nextTransferId(),
      debit: d,
      credit: c,
      amount: 1 + Math.floor(random() * 50_000),
      code: 1 + Math.floor(random() * 8)
    })
  }
  return out
}

const FAKE_HASH = "a1b2c3d4e5f60789".repeat(4)

/**
 * The flattened row values of `batch` from `sequence` on; with `chain`, each row's hash is
 * SHA-256 over the previous hash and the transfer's fields (native `createHash`), and `chain.hash`
 * moves along.
 */
const rowValues = (batch: ReadonlyArray<Request>, sequence: number, at: number, chain?: { hash: string }) => {
  const values: Array<unknown> = new Array(batch.length * W)
  let k = 0
  for (let i = 0; i < batch.length; i++) {
    const r = batch[i]!
    const debit = ACCOUNT_IDS[r.debit]!
    const credit = ACCOUNT_IDS[r.credit]!
    let previous = FAKE_HASH
    let hash = FAKE_HASH
    if (chain !== undefined) {
      previous = chain.hash
      hash = createHash("sha256")
        .update(
          `${previous}|${COMMUNITY}|${r.id}|${sequence + i}|posted|${debit}|${credit}|${r.amount}|CNY|${r.code}|${REASON}|${at}`
        )
        .digest("hex")
      chain.hash = hash
    }
    values[k++] = COMMUNITY
    values[k++] = r.id
    values[k++] = sequence + i
    values[k++] = "posted"
    values[k++] = debit
    values[k++] = credit
    values[k++] = r.amount
    values[k++] = "CNY"
    values[k++] = r.code
    values[k++] = REASON
    values[k++] = null
    values[k++] = null
    values[k++] = null
    values[k++] = null
    values[k++] = at
    values[k++] = FAKE_HASH
    values[k++] = previous
    values[k++] = hash
  }
  return values
}

/** An account's totals as the floor keeps them. */
interface Totals {
  debits: number
  credits: number
  version: number
}

/** The batch's accounts (their indexes) with the sums the batch adds to each. */
const deltas = (batch: ReadonlyArray<Request>) => {
  const byAccount = new Map<number, { debits: number; credits: number }>()
  for (const r of batch) {
    const d = byAccount.get(r.debit) ?? { debits: 0, credits: 0 }
    d.debits += r.amount
    byAccount.set(r.debit, d)
    const c = byAccount.get(r.credit) ?? { debits: 0, credits: 0 }
    c.credits += r.amount
    byAccount.set(r.credit, c)
  }
  return byAccount
}

const CREATE_ACCOUNTS = `create table floor_accounts (community_id varchar(36) not null, id varchar(36) not null,
  unit varchar(40) not null, kind varchar(16) not null, owner_type varchar(16) not null, owner_id varchar(64) not null,
  name varchar(140) not null, debits_must_not_exceed_credits smallint not null, credits_must_not_exceed_debits smallint not null,
  upper_bound bigint, closed smallint not null, debits_posted bigint not null, debits_pending bigint not null,
  credits_posted bigint not null, credits_pending bigint not null, version bigint not null, opened_at bigint not null,
  primary key (community_id, id))`

/** One mode: `run(batch)` posts one batch in one transaction. */
interface Mode {
  readonly name: string
  readonly run: (batch: ReadonlyArray<Request>) => Promise<void>
}

/** Checks that the totals written add up: every balance summed is zero (debits = credits). */
const checkTotals = (rows: ReadonlyArray<Record<string, unknown>>, name: string) => {
  let debits = 0
  let credits = 0
  for (const row of rows) {
    debits += Number(row["debits_posted"])
    credits += Number(row["credits_posted"])
  }
  if (debits !== credits) throw new Error(`${name}: debits ${debits} ≠ credits ${credits}`)
  return debits
}

// ---------------------------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------------------------

const sqliteModes = (dir: string): { modes: Array<Mode>; check: () => void; close: () => void } => {
  const open = (file: string) => {
    const db = new SQLite(join(dir, file))
    db.pragma("journal_mode = WAL")
    db.pragma("synchronous = NORMAL")
    return db
  }
  const insertText = (table: string, rows: number) =>
    `insert into ${table} (${COLUMN_LIST}) values ${Array.from({ length: rows }, () => `(${COLUMNS.map(() => "?").join(", ")})`).join(", ")}`

  const raw = open("raw.sqlite")
  raw.exec(createTransfersTable("raw_transfers", false))
  const rawInsert = raw.prepare(insertText("raw_transfers", BATCH))
  let rawSequence = 1

  const keyed = open("keyed.sqlite")
  keyed.exec(createTransfersTable("floor_transfers", true))
  const keyedInsert = keyed.prepare(insertText("floor_transfers", BATCH))
  const keyedChain = { hash: "0".repeat(64), sequence: 1 }

  const full = open("balances.sqlite")
  full.exec(createTransfersTable("floor_transfers", true))
  full.exec(CREATE_ACCOUNTS)
  const fullInsert = full.prepare(insertText("floor_transfers", BATCH))
  const fullChain = { hash: "0".repeat(64), sequence: 1 }
  const addAccount = full.prepare(
    "insert into floor_accounts values (?, ?, 'CNY', 'liability', 'resident', ?, 'timebank', 0, 0, null, 0, 0, 0, 0, 0, 1, 0)"
  )
  full.transaction(() => {
    for (let i = 0; i < ACCOUNTS; i++) addAccount.run(COMMUNITY, ACCOUNT_IDS[i], `r${i}`)
  })()
  const selects = new Map<number, SqliteStatement>()
  const updates = new Map<number, SqliteStatement>()
  const select = (n: number) => {
    let s = selects.get(n)
    if (s === undefined) {
      s = full.prepare(
        `select * from floor_accounts where community_id = ? and id in (${Array(n).fill("?").join(", ")})`
      )
      selects.set(n, s)
    }
    return s
  }
  const update = (n: number) => {
    let s = updates.get(n)
    if (s === undefined) {
      s = full.prepare(
        `update floor_accounts set debits_posted = v.column2, credits_posted = v.column3, version = v.column4
         from (values ${Array(n).fill("(?, ?, ?, ?)").join(", ")}) as v
         where floor_accounts.community_id = ? and floor_accounts.id = v.column1 and floor_accounts.version = v.column4 - 1`
      )
      updates.set(n, s)
    }
    return s
  }

  const deltaStatements = new Map<number, SqliteStatement>()
  const deltaUpdate = (n: number) => {
    let s = deltaStatements.get(n)
    if (s === undefined) {
      s = full.prepare(
        `update floor_accounts set debits_posted = debits_posted + v.column2, credits_posted = credits_posted + v.column3,
           version = version + 1
         from (values ${Array(n).fill("(?, ?, ?)").join(", ")}) as v
         where floor_accounts.community_id = ? and floor_accounts.id = v.column1`
      )
      deltaStatements.set(n, s)
    }
    return s
  }

  const modes: Array<Mode> = [
    {
      name: "raw",
      run: async (batch) => {
        const values = rowValues(batch, rawSequence, Date.now())
        rawSequence += batch.length
        raw.transaction(() => {
          rawInsert.run(...values)
        })()
      }
    },
    {
      name: "floor: id key + chain",
      run: async (batch) => {
        keyed.transaction(() => {
          const values = rowValues(batch, keyedChain.sequence, Date.now(), keyedChain)
          keyedChain.sequence += batch.length
          keyedInsert.run(...values)
        })()
      }
    },
    {
      name: "floor: + balances",
      run: async (batch) => {
        full.transaction(() => {
          const sums = deltas(batch)
          const ids = [...sums.keys()]
          const rows = select(ids.length).all(COMMUNITY, ...ids.map((i) => ACCOUNT_IDS[i]))
          const totals = new Map<string, Totals>()
          for (const row of rows) {
            totals.set(row["id"] as string, {
              debits: Number(row["debits_posted"]),
              credits: Number(row["credits_posted"]),
              version: Number(row["version"])
            })
          }
          const params: Array<unknown> = []
          for (const [i, d] of sums) {
            const t = totals.get(ACCOUNT_IDS[i]!)
            if (t === undefined) throw new Error(`account ${i} not found`)
            params.push(ACCOUNT_IDS[i], t.debits + d.debits, t.credits + d.credits, t.version + 1)
          }
          const values = rowValues(batch, fullChain.sequence, Date.now(), fullChain)
          fullChain.sequence += batch.length
          fullInsert.run(...values)
          const changed = update(ids.length).run(...params, COMMUNITY).changes
          if (changed !== ids.length) throw new Error(`updated ${changed} of ${ids.length} accounts`)
        })()
      }
    },
    {
      name: "floor: + balances as deltas, not read",
      run: async (batch) => {
        full.transaction(() => {
          const sums = deltas(batch)
          const params: Array<unknown> = []
          for (const [i, d] of sums) params.push(ACCOUNT_IDS[i], d.debits, d.credits)
          const values = rowValues(batch, fullChain.sequence, Date.now(), fullChain)
          fullChain.sequence += batch.length
          fullInsert.run(...values)
          const changed = deltaUpdate(sums.size).run(...params, COMMUNITY).changes
          if (changed !== sums.size) throw new Error(`updated ${changed} of ${sums.size} accounts`)
        })()
      }
    }
  ]
  return {
    modes,
    check: () => {
      checkTotals(full.prepare("select debits_posted, credits_posted from floor_accounts").all(), "sqlite")
    },
    close: () => {
      for (const db of [raw, keyed, full]) db.close()
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

const postgresModes = async (
  url: string
): Promise<{ modes: Array<Mode>; check: () => Promise<void>; close: () => Promise<void> }> => {
  const client = async () => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    return c
  }
  const raw = await client()
  await raw.query(createTransfersTable("raw_transfers", false))
  const rawText = `insert into raw_transfers (${COLUMN_LIST}) values ${Array.from(
    { length: BATCH },
    (_, r) => `(${COLUMNS.map((_, c) => `$${r * W + c + 1}`).join(", ")})`
  ).join(", ")}`
  let rawSequence = 1

  const unnestText = (table: string) =>
    `insert into ${table} (${COLUMN_LIST}) select * from unnest(${UNNEST_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")})`
  const columns = (values: ReadonlyArray<unknown>) => {
    const arrays: Array<Array<unknown>> = COLUMNS.map(() => [])
    for (let i = 0; i < values.length; i++) arrays[i % W]!.push(values[i])
    return arrays
  }

  const keyed = await client()
  await keyed.query(createTransfersTable("keyed_transfers", true))
  const keyedChain = { hash: "0".repeat(64), sequence: 1 }

  const full = await client()
  await full.query(createTransfersTable("floor_transfers", true))
  await full.query(CREATE_ACCOUNTS)
  await full.query(
    `insert into floor_accounts select $1, k.id, 'CNY', 'liability', 'resident', 'r', 'timebank', 0, 0, null, 0, 0, 0, 0, 0, 1, 0
     from unnest($2::text[]) as k(id)`,
    [COMMUNITY, ACCOUNT_IDS]
  )
  const fullChain = { hash: "0".repeat(64), sequence: 1 }

  const modes: Array<Mode> = [
    {
      name: "raw",
      run: async (batch) => {
        const values = rowValues(batch, rawSequence, Date.now())
        rawSequence += batch.length
        await raw.query({ name: "raw", text: rawText, values })
      }
    },
    {
      name: "floor: id key + chain",
      run: async (batch) => {
        await keyed.query("begin")
        const values = rowValues(batch, keyedChain.sequence, Date.now(), keyedChain)
        keyedChain.sequence += batch.length
        await keyed.query({ name: "keyed", text: unnestText("keyed_transfers"), values: columns(values) })
        await keyed.query("commit")
      }
    },
    {
      name: "floor: + balances",
      run: async (batch) => {
        await full.query("begin")
        const sums = deltas(batch)
        const ids = [...sums.keys()].map((i) => ACCOUNT_IDS[i]!)
        const found = await full.query({
          name: "select",
          text: `select a.* from unnest($2::text[]) as k(id)
            cross join lateral (select * from floor_accounts where community_id = $1 and id = k.id limit 1) as a`,
          values: [COMMUNITY, ids]
        })
        const totals = new Map<string, Totals>()
        for (const row of found.rows) {
          totals.set(row["id"] as string, {
            debits: Number(row["debits_posted"]),
            credits: Number(row["credits_posted"]),
            version: Number(row["version"])
          })
        }
        const debits: Array<number> = []
        const credits: Array<number> = []
        const versions: Array<number> = []
        for (const [i, d] of sums) {
          const t = totals.get(ACCOUNT_IDS[i]!)
          if (t === undefined) throw new Error(`account ${i} not found`)
          debits.push(t.debits + d.debits)
          credits.push(t.credits + d.credits)
          versions.push(t.version + 1)
        }
        const values = rowValues(batch, fullChain.sequence, Date.now(), fullChain)
        fullChain.sequence += batch.length
        await full.query({ name: "full", text: unnestText("floor_transfers"), values: columns(values) })
        const updated = await full.query({
          name: "update",
          text: `update floor_accounts as a set debits_posted = v.d, credits_posted = v.c, version = v.v
            from unnest($2::text[], $3::int8[], $4::int8[], $5::int8[]) as v(id, d, c, v)
            where a.community_id = $1 and a.id = v.id and a.version = v.v - 1`,
          values: [COMMUNITY, ids, debits, credits, versions]
        })
        if (updated.rowCount !== ids.length) throw new Error(`updated ${updated.rowCount} of ${ids.length} accounts`)
        await full.query("commit")
      }
    },
    {
      name: "floor: + balances as deltas, not read",
      run: async (batch) => {
        await full.query("begin")
        const sums = deltas(batch)
        const ids: Array<string> = []
        const debits: Array<number> = []
        const credits: Array<number> = []
        for (const [i, d] of sums) {
          ids.push(ACCOUNT_IDS[i]!)
          debits.push(d.debits)
          credits.push(d.credits)
        }
        const values = rowValues(batch, fullChain.sequence, Date.now(), fullChain)
        fullChain.sequence += batch.length
        await full.query({ name: "full", text: unnestText("floor_transfers"), values: columns(values) })
        const updated = await full.query({
          name: "delta",
          text: `update floor_accounts as a set debits_posted = a.debits_posted + v.d, credits_posted = a.credits_posted + v.c,
              version = a.version + 1
            from unnest($2::text[], $3::int8[], $4::int8[]) as v(id, d, c)
            where a.community_id = $1 and a.id = v.id`,
          values: [COMMUNITY, ids, debits, credits]
        })
        if (updated.rowCount !== ids.length) throw new Error(`updated ${updated.rowCount} of ${ids.length} accounts`)
        await full.query("commit")
      }
    }
  ]
  return {
    modes,
    check: async () => {
      checkTotals((await full.query("select debits_posted, credits_posted from floor_accounts")).rows, "postgres")
    },
    close: async () => {
      for (const c of [raw, keyed, full]) await c.end()
    }
  }
}

// ---------------------------------------------------------------------------------------------
// measuring
// ---------------------------------------------------------------------------------------------

const measure = async (dialect: string, modes: ReadonlyArray<Mode>) => {
  const rates = new Map<string, Array<number>>(modes.map((m) => [m.name, []]))
  for (const mode of modes) for (let i = 0; i < 6; i++) await mode.run(requests(BATCH))
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < modes.length; k++) {
      const mode = modes[(round + k) % modes.length]!
      const batches: Array<Array<Request>> = []
      for (let i = 0; i < PER_ROUND; i += BATCH) batches.push(requests(BATCH))
      const start = performance.now()
      for (const batch of batches) await mode.run(batch)
      rates.get(mode.name)!.push((PER_ROUND * 1000) / (performance.now() - start))
    }
  }
  const raw = rates.get("raw")!
  console.log("")
  console.log(`### ${dialect}`)
  console.log("")
  console.log("| mode | median rows/s | of raw | µs per row | rounds (rows/s) | per-round share of raw |")
  console.log("| --- | ---: | ---: | ---: | --- | --- |")
  for (const [name, r] of rates) {
    const m = median(r)
    console.log(
      `| ${name} | ${fmt(m)} | ${((100 * m) / median(raw)).toFixed(1)} % | ${(1e6 / m).toFixed(1)} | ${r.map(fmt).join(", ")} | ${r
        .map((x, i) => `${((100 * x) / raw[i]!).toFixed(1)} %`)
        .join(", ")} |`
    )
  }
}

console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${loadAverage()}`)
console.log(
  `${fmt(PER_ROUND * ROUNDS)} rows per mode in batches of ${fmt(BATCH)}, ${fmt(ACCOUNTS)} accounts, ${ROUNDS} interleaved rounds`
)
for (const dialect of DIALECTS) {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "commonweal-bench-floor-"))
    const { modes, check, close } = sqliteModes(dir)
    try {
      await measure(dialect, modes)
      check()
    } finally {
      close()
      rmSync(dir, { recursive: true, force: true })
    }
  } else if (dialect === "postgres") {
    const database = await freshPostgresDatabase(POSTGRES_URL)
    const { modes, check, close } = await postgresModes(POSTGRES_URL)
    try {
      await measure(dialect, modes)
      await check()
    } finally {
      await close()
      await database.drop()
    }
  } else {
    throw new Error(`BENCH_DIALECTS: unknown dialect ${dialect}`)
  }
}
console.log(`load average at the end: ${loadAverage()}`)
