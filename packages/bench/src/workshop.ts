/**
 * Benchmark: a year of a 60-worker piece-work workshop (Xin Workshop 馨工坊) through the real
 * `Workshop` service on SQLite and PostgreSQL, against a raw driver insert of as many movement
 * rows in the same run; then the time to close a month's pay period and render its payslips.
 *
 * In one run, for each database (a temporary SQLite file; PostgreSQL at `BENCH_POSTGRES_URL`, in
 * a database the script creates and drops), the script
 *
 * 1. generates, from a fixed seed and before any clock starts, a year of the workshop (2025,
 *    Asia/Shanghai, Monday to Saturday, without the Spring Festival and National Day weeks):
 *    `BENCH_WORKERS` workers (default 60); four products of two partner factories; work orders
 *    through the year, three open at a time (a finished order returns its spare parts to the
 *    factory and is closed, and the next one is created and started), each with one rate change
 *    half-way; parts received when the stock runs short for the day; every working day the
 *    workers, in turn, sign out trays of about half an hour's work (`issue`, on site or at home)
 *    and return each tray later the same day (`returnPieces`: accepted, and sometimes rejected, unused and
 *    scrapped parts, one movement for each positive count, whose accepted and paid rejected part
 *    creates confirmed pay lines posted to the money ledger, and whose charged rejects and scrap
 *    beyond the tolerance propose deductions); and the day's accepted items are delivered to the
 *    factory in the evening. The number of trays is scaled so that the year has about
 *    `BENCH_MOVEMENTS` movements (default 1,000,000);
 * 2. opens the real store (`SqlStore.layerSqlite` / `SqlStore.layerPostgres`, every migration),
 *    provisions a community, registers the workers as residents, configures the workshop
 *    (minimum ¥26.00 an hour), adds the factories and products and enrols the workers (not timed);
 * 3. ingests the year through the path a user takes: every call is a method of the core
 *    `Workshop` service as the coordinator (`receive`, `issue`, `returnPieces`, `deliver`,
 *    `returnToFactory`, and the orders' `createOrder`, `startOrder`, `changeRate`, `closeOrder`),
 *    each its own transaction with its ledger transfers, records and outbox events. Effect's
 *    `Clock` is the simulated time of the call, so every record is dated in the year;
 * 4. measures the **raw** rate: as many rows as the movements ingested, in multi-row `INSERT`s of
 *    `BENCH_BATCH` rows (default 1,000; one transaction each) straight through the driver
 *    (better-sqlite3 with the store's WAL pragmas and one prepared statement; pg on one client
 *    with a named statement) into a plain table with the columns and column types of
 *    `workshop_movements` and no key or index (`raw`: the ratios are to this one), and into one
 *    with the primary key and the indexes `workshop_movements` has (`raw + keys`);
 * 5. after a warm-up that is not counted (the year's first working day through the service, 6
 *    batches into each raw table), interleaves the modes in `BENCH_ROUNDS` rounds (default 5):
 *    round `r` ingests the `r`-th share of the rest of the year and inserts as many raw rows into
 *    each table, starting at another mode each round;
 * 6. prints the movements per second of each mode (median of the rounds), the ratio to raw, and
 *    where the time of the service's calls went (from timestamps taken by thin wrappers of the
 *    ports): `BEGIN`, the workshop repository's reads and writes, the ledger's community lock,
 *    its loads (accounts, balances) and its write, the outbox, `COMMIT`, and the rest (decoding,
 *    authorization, the pure rules, the ledger engine with its hashing);
 * 7. at the end of the year, closes the pay period of each month in turn (`closePeriod`), and
 *    for each slip fetches the worker's payslip (`payslip`) and renders it (`Payslips.toHtml`),
 *    and prints the milliseconds of each step per month and the median month.
 *
 * Environment: `BENCH_MOVEMENTS` (default 1,000,000; `BENCH_MOVEMENTS=50000` is a quick look),
 * `BENCH_WORKERS` (default 60), `BENCH_ROUNDS` (default 5), `BENCH_BATCH` (default 1,000),
 * `BENCH_DIALECTS` (default `sqlite,postgres`), `BENCH_POSTGRES_URL` (default
 * `postgres://postgres@127.0.0.1:5432/commonweal_bench_workshop`; the database named there is
 * dropped if it exists, created, and dropped at the end), `BENCH_MONTHS` (how many months'
 * periods to close at the end, default 12).
 *
 * Run: `pnpm --filter @commonweal/bench bench:workshop` (or `pnpm bench:workshop` in packages/bench).
 *
 * @module
 */
import type { Actor, PayPeriod } from "@commonweal/core"
import {
  CommunityId,
  Communities,
  CurrentActor,
  domainServices,
  IdGenerator,
  LedgerRepo,
  Outbox,
  Payslips,
  Residents,
  Transactor,
  Workshop,
  WorkshopRepo
} from "@commonweal/core"
import { SqlStore } from "@commonweal/store-kysely"
import { Clock, Context, Effect, Layer, ManagedRuntime } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { fmt, hex, median, positive, seeded } from "./common.js"
import { freshPostgresDatabase, pg, SQLite } from "./drivers.js"

const MOVEMENTS = positive("BENCH_MOVEMENTS", 1_000_000)
const WORKERS = positive("BENCH_WORKERS", 60)
const ROUNDS = positive("BENCH_ROUNDS", 5)
const BATCH = positive("BENCH_BATCH", 1_000)
const MONTHS = Math.min(12, positive("BENCH_MONTHS", 12))
const POSTGRES_URL = process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/commonweal_bench_workshop"
const DIALECTS = (process.env["BENCH_DIALECTS"] ?? "sqlite,postgres").split(",").map((d) => d.trim())

// ---------------------------------------------------------------------------------------------
// drivers, loaded directly for the raw baseline (as in ledger.ts)
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// ids and randomness
// ---------------------------------------------------------------------------------------------

/**
 * UUIDv7 ids made from a time and a seeded generator: 48 bits of the time's milliseconds, a
 * 12-bit counter that keeps the ids of one millisecond in order, and 62 random bits.
 */
const uuid7s = (seed: number) => {
  const random = seeded(seed)
  let lastMillis = -1
  let counter = 0
  return (millis: number): string => {
    if (millis === lastMillis) counter = (counter + 1) & 0xfff
    else {
      lastMillis = millis
      counter = 0
    }
    const time = hex(millis, 12)
    const r1 = Math.floor(random() * 0x4000) | 0x8000
    const r2 = Math.floor(random() * 2 ** 24)
    const r3 = Math.floor(random() * 2 ** 24)
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(counter, 3)}-${hex(r1, 4)}-${hex(r2, 6)}${hex(r3, 6)}`
  }
}

// ---------------------------------------------------------------------------------------------
// the year
// ---------------------------------------------------------------------------------------------

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** 2025-01-01 00:00 in Asia/Shanghai (UTC+8, no daylight saving). */
const YEAR_START = Date.UTC(2024, 11, 31, 16)
/** Local time of day → UTC offset within a Shanghai day. */
const at = (day: number, hours: number) => day + hours * HOUR
/** The start of each month of 2025 in Shanghai, and of January 2026. */
const MONTH_STARTS = Array.from({ length: 13 }, (_, m) => Date.UTC(2025, m, 1) - 8 * HOUR)

/** Working days: Monday to Saturday, without the Spring Festival (28 Jan to 4 Feb) and National Day (1 to 7 Oct) weeks. */
const workingDays = (): ReadonlyArray<number> => {
  const days: Array<number> = []
  for (let d = YEAR_START; d < MONTH_STARTS[12]!; d += DAY) {
    const local = new Date(d + 8 * HOUR)
    const weekday = local.getUTCDay()
    const month = local.getUTCMonth()
    const date = local.getUTCDate()
    if (weekday === 0) continue
    if ((month === 0 && date >= 28) || (month === 1 && date <= 4)) continue
    if (month === 9 && date <= 7) continue
    days.push(d)
  }
  return days
}

/** The products, with their factories, standard seconds, first rates and quality rules. */
const PRODUCTS = [
  {
    factory: 0,
    sku: "CLIP-A3",
    name: "A3 文件夹夹子 binder clip",
    parts: [
      { name: "夹身 clip body", perPiece: 1 },
      { name: "弹簧 spring", perPiece: 1 }
    ],
    standardSeconds: 12,
    rateFen: 9,
    priceFen: 14,
    quality: {
      rejectPolicy: "partly_paid",
      rejectSharePercent: 50,
      rejectChargeFen: 0,
      scrapTolerancePermille: 20,
      scrapChargeFen: 2
    }
  },
  {
    factory: 0,
    sku: "PEN-GEL-5",
    name: "中性笔 gel pen",
    parts: [
      { name: "笔杆 barrel", perPiece: 1 },
      { name: "笔芯 refill", perPiece: 1 },
      { name: "笔帽 cap", perPiece: 1 }
    ],
    standardSeconds: 20,
    rateFen: 15,
    priceFen: 22,
    quality: {
      rejectPolicy: "unpaid",
      rejectSharePercent: 0,
      rejectChargeFen: 0,
      scrapTolerancePermille: 20,
      scrapChargeFen: 3
    }
  },
  {
    factory: 1,
    sku: "TOY-KEY",
    name: "幸运君钥匙扣 keychain",
    parts: [
      { name: "公仔 figure", perPiece: 1 },
      { name: "钥匙环 ring", perPiece: 1 },
      { name: "吊牌 tag", perPiece: 1 }
    ],
    standardSeconds: 45,
    rateFen: 34,
    priceFen: 48,
    quality: {
      rejectPolicy: "charged",
      rejectSharePercent: 0,
      rejectChargeFen: 5,
      scrapTolerancePermille: 10,
      scrapChargeFen: 10
    }
  },
  {
    factory: 1,
    sku: "BOX-GIFT",
    name: "礼盒折叠 gift box",
    parts: [{ name: "纸板 board", perPiece: 1 }],
    standardSeconds: 30,
    rateFen: 23,
    priceFen: 32,
    quality: {
      rejectPolicy: "paid",
      rejectSharePercent: 100,
      rejectChargeFen: 0,
      scrapTolerancePermille: 30,
      scrapChargeFen: 4
    }
  }
] as const

const FACTORIES = [
  { name: "宁波鄞州文具厂 Yinzhou Stationery", contact: "王经理 0574-8800-1234" },
  { name: "北仑玩具礼品厂 Beilun Toys & Gifts", contact: "陈主管 0574-8611-5678" }
] as const

/** Orders open at a time. */
const OPEN_ORDERS = 3

/** One service call of the year. `order` and `worker` are indexes, resolved to ids when run. */
type Op =
  | {
      readonly op: "createOrder"
      readonly t: number
      readonly order: number
      readonly product: number
      readonly quantity: number
    }
  | { readonly op: "startOrder"; readonly t: number; readonly order: number }
  | { readonly op: "changeRate"; readonly t: number; readonly order: number; readonly rateFen: number }
  | { readonly op: "closeOrder"; readonly t: number; readonly order: number }
  | {
      readonly op: "receive" | "deliver" | "returnToFactory"
      readonly t: number
      readonly id: string
      readonly order: number
      readonly quantity: number
    }
  | {
      readonly op: "issue"
      readonly t: number
      readonly id: string
      readonly order: number
      readonly worker: number
      readonly quantity: number
      readonly place: "onsite" | "home"
    }
  | {
      readonly op: "returnPieces"
      readonly t: number
      readonly id: string
      readonly order: number
      readonly worker: number
      readonly accepted: number
      readonly rejected: number
      readonly unused: number
      readonly scrapped: number
    }

/** The note the coordinator writes on each kind of call (the raw rows carry the same). */
const NOTES = {
  receive: "来料 parts from the factory",
  issue: "领料 tray signed out",
  returnPieces: "交回 tray returned",
  deliver: "发货 delivered to the factory",
  returnToFactory: "退料 spare parts sent back"
} as const

/** How many movements an op makes. */
const movementsOf = (op: Op): number => {
  switch (op.op) {
    case "receive":
    case "deliver":
    case "returnToFactory":
    case "issue":
      return 1
    case "returnPieces":
      return (op.accepted > 0 ? 1 : 0) + (op.rejected > 0 ? 1 : 0) + (op.unused > 0 ? 1 : 0) + (op.scrapped > 0 ? 1 : 0)
    default:
      return 0
  }
}

/** A generated year: its calls, in time order, and what they add up to. */
interface Year {
  readonly ops: ReadonlyArray<Op>
  readonly movements: number
  readonly orders: ReadonlyArray<{ readonly product: number; readonly quantity: number }>
  readonly trays: number
  readonly days: ReadonlyArray<number>
  /** Index of the first op after the first working day (the warm-up ends there). */
  readonly firstDayEnd: number
}

/**
 * Generates the year with `trays` sign-outs in all (spread evenly over the working days, the
 * workers taking turns), deterministic from the seed.
 */
const generateYear = (trays: number, workers: number): Year => {
  const random = seeded(20_250_101)
  const ids = uuid7s(9_090_909)
  const days = workingDays()
  const ops: Array<Op> = []
  let firstDayEnd = 0
  // expected accepted pieces of the year: a tray is about half an hour's work, 94 % accepted
  const meanSeconds = PRODUCTS.reduce((s, p) => s + p.standardSeconds, 0) / PRODUCTS.length
  const expectedAccepted = trays * (1_800 / meanSeconds) * 0.94
  // three orders open at a time, each lasting about six weeks: about 26 orders a year
  const meanOrder = Math.max(50, Math.round(expectedAccepted / (OPEN_ORDERS * (days.length / 36))))

  interface OpenOrder {
    readonly index: number
    readonly product: number
    readonly quantity: number
    stock: number
    inCustody: number
    /** Accepted pieces not yet delivered. */
    acceptedHeld: number
    acceptedTotal: number
    rateFen: number
    rateChanged: boolean
  }
  const orders: Array<{ product: number; quantity: number }> = []
  const open: Array<OpenOrder> = []
  const newOrder = (t: number, scale: number) => {
    const index = orders.length
    const product = index % PRODUCTS.length
    const quantity = Math.max(20, Math.round(meanOrder * scale * (0.7 + 0.6 * random())))
    orders.push({ product, quantity })
    ops.push({ op: "createOrder", t, order: index, product, quantity })
    ops.push({ op: "startOrder", t: t + MINUTE, order: index })
    open.push({
      index,
      product,
      quantity,
      stock: 0,
      inCustody: 0,
      acceptedHeld: 0,
      acceptedTotal: 0,
      rateFen: PRODUCTS[product]!.rateFen,
      rateChanged: false
    })
  }
  const needed = (o: OpenOrder) => o.quantity - o.acceptedTotal - o.inCustody

  // the first orders, staggered so they do not finish together
  for (let i = 0; i < OPEN_ORDERS; i++) newOrder(at(days[0]!, 7) + i * 2 * MINUTE, 0.5 + i * 0.5)

  let traysDone = 0
  let rotation = 0
  for (let d = 0; d < days.length; d++) {
    const day = days[d]!
    const traysToday = Math.floor(((d + 1) * trays) / days.length) - Math.floor((d * trays) / days.length)
    const slots = Math.max(1, Math.ceil(traysToday / workers))
    const slotLength = (10 * HOUR) / slots
    // parts: each order's stock should last the day (its share of the trays, 1.2 times over)
    const dayNeed = (o: OpenOrder) =>
      Math.ceil(((traysToday / Math.max(1, open.length)) * 1.2 * 1_800) / PRODUCTS[o.product]!.standardSeconds)
    let k = 0
    for (const o of open) {
      const want = Math.min(dayNeed(o), Math.ceil(needed(o) * 1.1) + 5)
      if (o.stock < want) {
        const quantity = Math.max(want - o.stock, Math.ceil(o.quantity * 0.25))
        ops.push({ op: "receive", t: at(day, 7.5) + k++ * MINUTE, id: ids(at(day, 7.5)), order: o.index, quantity })
        o.stock += quantity
      }
    }
    let remaining = traysToday
    for (let s = 0; s < slots; s++) {
      const slotStart = at(day, 8) + s * slotLength
      const inSlot = Math.min(workers, remaining)
      remaining -= inSlot
      const issued: Array<{ o: OpenOrder; worker: number; quantity: number; t: number }> = []
      for (let i = 0; i < inSlot; i++) {
        const worker = (rotation + i) % workers
        const candidates = open.filter((o) => needed(o) > 0 && o.stock > 0)
        if (candidates.length === 0) break
        const o = candidates[(worker + s) % candidates.length]!
        const product = PRODUCTS[o.product]!
        const tray = Math.max(5, Math.round(((0.6 + 0.8 * random()) * 1_800) / product.standardSeconds))
        const quantity = Math.min(tray, needed(o), o.stock)
        const t = Math.round(slotStart + (i * slotLength * 0.3) / workers)
        o.stock -= quantity
        o.inCustody += quantity
        ops.push({
          op: "issue",
          t,
          id: ids(t),
          order: o.index,
          worker,
          quantity,
          place: random() < 0.3 ? "home" : "onsite"
        })
        issued.push({ o, worker, quantity, t })
        traysDone++
      }
      rotation = (rotation + inSlot) % workers
      for (const tray of issued) {
        const n = tray.quantity
        const rejected = Math.min(n, Math.floor(n * 0.06 * random()))
        const scrapped = random() < 0.3 ? Math.min(n - rejected, Math.floor(n * 0.03 * random())) : 0
        const unused = random() < 0.25 ? Math.min(n - rejected - scrapped, Math.floor(n * 0.1 * random())) : 0
        const accepted = n - rejected - scrapped - unused
        const t = Math.round(tray.t + slotLength * 0.6)
        ops.push({
          op: "returnPieces",
          t,
          id: ids(t),
          order: tray.o.index,
          worker: tray.worker,
          accepted,
          rejected,
          unused,
          scrapped
        })
        const o = tray.o
        o.inCustody -= n
        o.stock += unused
        o.acceptedHeld += accepted
        o.acceptedTotal += accepted
        if (!o.rateChanged && o.acceptedTotal * 2 >= o.quantity) {
          // half-way, the factory and the coordinator agree on one more fen a piece from the next hour
          o.rateChanged = true
          o.rateFen += 1
          ops.push({ op: "changeRate", t: t + 1, order: o.index, rateFen: o.rateFen })
        }
      }
    }
    // the evening: deliveries, and finished orders closed and replaced
    let e = 0
    for (const o of open) {
      if (o.acceptedHeld > 0) {
        const t = at(day, 18.5) + e++ * MINUTE
        ops.push({ op: "deliver", t, id: ids(t), order: o.index, quantity: o.acceptedHeld })
        o.acceptedHeld = 0
      }
    }
    const finished = open.filter((o) => o.acceptedTotal >= o.quantity)
    for (const o of finished) {
      if (o.stock > 0) {
        const t = at(day, 18.75) + e++ * MINUTE
        ops.push({ op: "returnToFactory", t, id: ids(t), order: o.index, quantity: o.stock })
        o.stock = 0
      }
    }
    for (const o of finished) {
      ops.push({ op: "closeOrder", t: at(day, 19) + e++ * MINUTE, order: o.index })
      open.splice(open.indexOf(o), 1)
    }
    while (open.length < OPEN_ORDERS && d < days.length - 1) newOrder(at(day, 19.5) + open.length * 2 * MINUTE, 1)
    if (d === 0) firstDayEnd = ops.length
  }
  return {
    ops,
    movements: ops.reduce((s, op) => s + movementsOf(op), 0),
    orders,
    trays: traysDone,
    days,
    firstDayEnd
  }
}

/** A year with about `target` movements: generated once to learn the movements a tray makes, then scaled. */
const yearOf = (target: number, workers: number): Year => {
  const trial = generateYear(Math.max(1, Math.round(target / 3)), workers)
  const perTray = trial.movements / Math.max(1, trial.trays)
  return generateYear(Math.max(1, Math.round(target / perTray)), workers)
}

// ---------------------------------------------------------------------------------------------
// the raw baseline
// ---------------------------------------------------------------------------------------------

/** The columns of `workshop_movements` (store-kysely/src/workshop/tables.ts), in its order. */
const COLUMNS = [
  "community_id",
  "id",
  "order_id",
  "kind",
  "worker_id",
  "quantity",
  "place",
  "note",
  "occurred_at",
  "recorded_by"
] as const

/** Their types in migration `0009_workshop` (`text` is PostgreSQL's and SQLite's document type). */
const COLUMN_TYPES = [
  "varchar(36) not null",
  "varchar(36) not null",
  "varchar(36) not null",
  "varchar(24) not null",
  "varchar(36)",
  "bigint not null",
  "varchar(24)",
  "varchar(140) not null",
  "bigint not null",
  "text not null"
]

/**
 * The indexes of `workshop_movements` in `0009_workshop` (beside its primary key): the list's
 * order unfiltered, by order and by worker, and the two that cover the totals.
 */
const KEYS = [
  (table: string) => `create index ${table}_time_idx on ${table} (community_id, occurred_at, id)`,
  (table: string) => `create index ${table}_order_idx on ${table} (community_id, order_id, occurred_at, id)`,
  (table: string) => `create index ${table}_worker_idx on ${table} (community_id, worker_id, occurred_at, id)`,
  (table: string) =>
    `create index ${table}_order_totals_idx on ${table} (community_id, order_id, worker_id, kind, occurred_at, quantity)`,
  (table: string) =>
    `create index ${table}_worker_totals_idx on ${table} (community_id, worker_id, order_id, kind, occurred_at, quantity)`
]

const createRawTable = (table: string, keyed: boolean) => [
  `create table ${table} (${COLUMNS.map((c, i) => `${c} ${COLUMN_TYPES[i]}`).join(", ")}${
    keyed ? ", primary key (community_id, id)" : ""
  })`,
  ...(keyed ? KEYS.map((k) => k(table)) : [])
]

const insertSql = (table: string, rows: number, placeholder: (i: number) => string) => {
  const tuples: Array<string> = []
  for (let r = 0; r < rows; r++)
    tuples.push(`(${COLUMNS.map((_, c) => placeholder(r * COLUMNS.length + c)).join(", ")})`)
  return `insert into ${table} (${COLUMNS.join(", ")}) values ${tuples.join(", ")}`
}

/** A raw inserter: `insert(values)` writes one batch of `BATCH` rows in one transaction. */
interface Raw {
  readonly name: string
  readonly insert: (values: ReadonlyArray<unknown>) => Promise<void>
  readonly close: () => Promise<void>
}

const rawSqlite = (name: string, filename: string, table: string, keyed: boolean): Raw => {
  const db = new SQLite(filename)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  for (const statement of createRawTable(table, keyed)) db.exec(statement)
  const statement = db.prepare(insertSql(table, BATCH, () => "?"))
  return {
    name,
    insert: async (values) => {
      db.transaction(() => {
        statement.run(...values)
      })()
    },
    close: async () => {
      db.close()
    }
  }
}

const rawPostgres = async (name: string, url: string, table: string, keyed: boolean): Promise<Raw> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  for (const statement of createRawTable(table, keyed)) await client.query(statement)
  const text = insertSql(table, BATCH, (i) => `$${i + 1}`)
  return {
    name,
    insert: async (values) => {
      await client.query({ name: table, text, values })
    },
    close: () => client.end()
  }
}

const rawIds = uuid7s(31_337)

/**
 * `count` raw movement rows (whole batches), flattened: the year's movements from `from` on, in
 * its order, with the shapes the store writes (a return's movements each a row) and fresh ids.
 */
const rawBatches = (
  communityId: string,
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  from: number,
  count: number
): Array<Array<unknown>> => {
  const batches: Array<Array<unknown>> = []
  for (let i = 0; i < count; i += BATCH) {
    const values: Array<unknown> = []
    for (let j = 0; j < BATCH; j++) {
      // the year's rows in order, wrapping round if the rounds ask for more, each with a fresh id
      const row = rows[(from + i + j) % rows.length]!
      values.push(communityId, rawIds(row[6] as number), ...row)
    }
    batches.push(values)
  }
  return batches
}

// ---------------------------------------------------------------------------------------------
// the service, with timestamps at the ports
// ---------------------------------------------------------------------------------------------

const BUCKETS = [
  "begin",
  "workshop reads",
  "workshop writes",
  "ledger lock",
  "ledger load",
  "ledger write",
  "outbox",
  "commit",
  "rest"
] as const
type Bucket = (typeof BUCKETS)[number]
const spent = new Map<Bucket, number>(BUCKETS.map((b) => [b, 0]))
const add = (bucket: Bucket, ms: number) => spent.set(bucket, spent.get(bucket)! + ms)

/** Every method of `service` that returns an effect, timed into the bucket `bucketOf(name)` picks. */
const timed = <S extends object>(service: S, bucketOf: (name: string) => Bucket): S => {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(service)) {
    if (typeof value !== "function") {
      out[name] = value
      continue
    }
    const bucket = bucketOf(name)
    out[name] = (...args: Array<unknown>) => {
      const result: unknown = Reflect.apply(value, service, args)
      if (!Effect.isEffect(result)) return result
      return Effect.suspend(() => {
        const start = performance.now()
        return Effect.ensuring(
          result,
          Effect.sync(() => add(bucket, performance.now() - start))
        )
      })
    }
  }
  return out as S
}

/** The store's `WorkshopRepo`, `LedgerRepo`, `Outbox` and `Transactor`, timed. */
const Timed = Layer.effectContext(
  Effect.gen(function* () {
    const workshop = yield* WorkshopRepo
    const ledger = yield* LedgerRepo
    const outbox = yield* Outbox
    const transactor = yield* Transactor
    let depth = 0
    return Context.mergeAll(
      Context.make(
        WorkshopRepo,
        timed(workshop, (name) => (/^(insert|update|put|assign)/u.test(name) ? "workshop writes" : "workshop reads"))
      ),
      Context.make(
        LedgerRepo,
        timed(ledger, (name) =>
          name === "write" ? "ledger write" : name === "lockCommunity" ? "ledger lock" : "ledger load"
        )
      ),
      Context.make(
        Outbox,
        timed(outbox, () => "outbox")
      ),
      Context.make(Transactor, {
        withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
          Effect.suspend(() => {
            if (depth > 0) return transactor.withTransaction(effect)
            const t0 = performance.now()
            let innerEnd = t0
            return transactor
              .withTransaction(
                Effect.suspend(() => {
                  depth++
                  add("begin", performance.now() - t0)
                  return Effect.ensuring(
                    effect,
                    Effect.sync(() => {
                      depth--
                      innerEnd = performance.now()
                    })
                  )
                })
              )
              .pipe(Effect.ensuring(Effect.sync(() => add("commit", performance.now() - innerEnd))))
          })
      })
    )
  })
)

type Store = ReturnType<typeof SqlStore.layerSqlite>

/** The simulated time of the call in flight; Effect's `Clock` reads it. */
let simNow = YEAR_START
const realClock = Effect.runSync(Clock.clockWith(Effect.succeed))
const simClock: Clock.Clock = {
  ...realClock,
  currentTimeMillisUnsafe: () => simNow,
  currentTimeMillis: Effect.sync(() => simNow),
  currentTimeNanosUnsafe: () => BigInt(simNow) * 1_000_000n,
  currentTimeNanos: Effect.sync(() => BigInt(simNow) * 1_000_000n)
}

const runtimeOf = (store: Store) => {
  const ports = Layer.merge(Layer.provideMerge(Timed, store), IdGenerator.Live)
  return ManagedRuntime.make(Layer.provideMerge(domainServices, ports))
}

// ---------------------------------------------------------------------------------------------
// measuring
// ---------------------------------------------------------------------------------------------

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")

const SERVICE = "Workshop service (one call per sign-out, return …)"

const runDialect = async (dialect: "sqlite" | "postgres", year: Year) => {
  let store: Store
  let raws: Array<Raw>
  let cleanup: () => Promise<void>
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "commonweal-bench-workshop-"))
    store = SqlStore.layerSqlite({ filename: join(dir, "workshop.sqlite") })
    raws = [
      rawSqlite("raw", join(dir, "raw.sqlite"), "raw_movements", false),
      rawSqlite("raw + keys", join(dir, "raw-keyed.sqlite"), "raw_movements_keyed", true)
    ]
    cleanup = async () => rmSync(dir, { recursive: true, force: true })
  } else {
    const database = await freshPostgresDatabase(POSTGRES_URL)
    store = SqlStore.layerPostgres({ connectionString: POSTGRES_URL })
    raws = [
      await rawPostgres("raw", POSTGRES_URL, "raw_movements", false),
      await rawPostgres("raw + keys", POSTGRES_URL, "raw_movements_keyed", true)
    ]
    cleanup = async () => {
      await database.drop()
    }
  }

  const runtime = runtimeOf(store)
  try {
    const ids = uuid7s(4_242)
    simNow = YEAR_START - 30 * DAY
    const communityId = CommunityId.make(ids(simNow))
    const staff: Actor = { subject: "bench-staff", communityId, roles: ["staff"] }
    const coordinator: Actor = { subject: "coordinator:许丽", communityId, roles: ["coordinator"] }
    const as = <A, E>(actor: Actor, effect: Effect.Effect<A, E, CurrentActor | Workshop | Residents | Communities>) =>
      runtime.runPromise(
        effect.pipe(Effect.provideService(CurrentActor, actor), Effect.provideService(Clock.Clock, simClock))
      )
    const workshopCall = <A, E>(f: (w: Workshop["Service"]) => Effect.Effect<A, E, CurrentActor>) =>
      as(coordinator, Effect.flatMap(Workshop, f))

    // -- setup, not timed ---------------------------------------------------------------------
    await as(
      staff,
      Effect.flatMap(Communities, (c) =>
        c.provision({
          id: communityId,
          name: "君馨社区",
          nameEn: "Junxin Community",
          timeZone: "Asia/Shanghai",
          grids: [{ code: "JX-01", name: "一网格" }]
        })
      )
    )
    const workerIds: Array<string> = []
    for (let w = 0; w < WORKERS; w++) {
      simNow += MINUTE
      const resident = await as(
        staff,
        Effect.flatMap(Residents, (r) =>
          r.register({ displayName: `工人${String(w + 1).padStart(3, "0")}`, tags: ["workshop_member"] })
        )
      )
      const worker = await workshopCall((ws) =>
        ws.enroll({ residentId: resident.id, displayName: `工人${String(w + 1).padStart(3, "0")}` })
      )
      workerIds.push(worker.id)
    }
    await workshopCall((ws) => ws.configure({ minimumHourlyWageFen: 2_600 }))
    const factoryIds: Array<string> = []
    for (const f of FACTORIES) factoryIds.push((await workshopCall((ws) => ws.addFactory({ ...f, subjects: [] }))).id)
    const productIds: Array<string> = []
    for (const p of PRODUCTS) {
      const product = await workshopCall((ws) =>
        ws.addProduct({
          factoryId: factoryIds[p.factory]!,
          sku: p.sku,
          name: p.name,
          parts: p.parts,
          standardSeconds: p.standardSeconds
        })
      )
      productIds.push(product.id)
    }

    // -- the calls ------------------------------------------------------------------------------
    const orderIds: Array<string> = []
    let calls = 0
    const run = async (op: Op): Promise<void> => {
      simNow = op.t
      calls++
      switch (op.op) {
        case "createOrder": {
          const p = PRODUCTS[op.product]!
          const order = await workshopCall((ws) =>
            ws.createOrder({
              productId: productIds[op.product]!,
              title: `${p.name} #${op.order + 1}`,
              quantity: op.quantity,
              priceFen: p.priceFen,
              rateFen: p.rateFen,
              deadline: op.t + 90 * DAY,
              quality: p.quality
            })
          )
          orderIds[op.order] = order.id
          return
        }
        case "startOrder":
          await workshopCall((ws) => ws.startOrder(orderIds[op.order]!, {}))
          return
        case "changeRate":
          await workshopCall((ws) => ws.changeRate(orderIds[op.order]!, { rateFen: op.rateFen }))
          return
        case "closeOrder":
          await workshopCall((ws) => ws.closeOrder(orderIds[op.order]!))
          return
        case "receive":
        case "deliver":
        case "returnToFactory": {
          const input = {
            id: op.id,
            orderId: orderIds[op.order]!,
            quantity: op.quantity,
            note: NOTES[op.op],
            occurredAt: op.t
          }
          await workshopCall((ws) => ws[op.op](input))
          return
        }
        case "issue":
          await workshopCall((ws) =>
            ws.issue({
              id: op.id,
              orderId: orderIds[op.order]!,
              workerId: workerIds[op.worker]!,
              quantity: op.quantity,
              place: op.place,
              note: NOTES.issue,
              occurredAt: op.t
            })
          )
          return
        case "returnPieces": {
          const result = await workshopCall((ws) =>
            ws.returnPieces({
              id: op.id,
              orderId: orderIds[op.order]!,
              workerId: workerIds[op.worker]!,
              accepted: op.accepted,
              rejected: op.rejected,
              unused: op.unused,
              scrapped: op.scrapped,
              note: NOTES.returnPieces,
              occurredAt: op.t
            })
          )
          if (result.movements.length !== movementsOf(op)) {
            throw new Error(`a return made ${result.movements.length} movements, expected ${movementsOf(op)}`)
          }
          return
        }
      }
    }

    // the raw rows of the year's movements without their ids (order and worker ids as the
    // generator numbers them): order_id, kind, worker_id, quantity, place, note, occurred_at, recorded_by
    const rawRows: Array<ReadonlyArray<unknown>> = []
    for (const op of year.ops) {
      const order = `order-${op.order}`
      switch (op.op) {
        case "receive":
        case "deliver":
        case "returnToFactory":
          rawRows.push([
            order,
            op.op === "returnToFactory" ? "return_to_factory" : op.op,
            null,
            op.quantity,
            null,
            NOTES[op.op],
            op.t,
            coordinator.subject
          ])
          break
        case "issue":
          rawRows.push([
            order,
            "issue",
            `worker-${op.worker}`,
            op.quantity,
            op.place,
            NOTES.issue,
            op.t,
            coordinator.subject
          ])
          break
        case "returnPieces":
          for (const [kind, quantity] of [
            ["accept", op.accepted],
            ["reject", op.rejected],
            ["unused", op.unused],
            ["scrap", op.scrapped]
          ] as const) {
            if (quantity > 0) {
              rawRows.push([
                order,
                kind,
                `worker-${op.worker}`,
                quantity,
                null,
                NOTES.returnPieces,
                op.t,
                coordinator.subject
              ])
            }
          }
          break
        default:
          break
      }
    }

    // -- warm-up: the first working day, and 6 batches into each raw table ----------------------
    for (let i = 0; i < year.firstDayEnd; i++) await run(year.ops[i]!)
    for (const target of raws)
      for (const values of rawBatches(communityId, rawRows, 0, 6 * BATCH)) await target.insert(values)
    for (const b of BUCKETS) spent.set(b, 0)

    // -- rounds: the rest of the year in ROUNDS shares of (about) equal movements --------------
    const measured = year.ops.slice(year.firstDayEnd)
    const measuredMovements = measured.reduce((s, op) => s + movementsOf(op), 0)
    const shares: Array<ReadonlyArray<Op>> = []
    {
      let start = 0
      let sum = 0
      let r = 1
      for (let i = 0; i < measured.length; i++) {
        sum += movementsOf(measured[i]!)
        if (r < ROUNDS && sum >= (measuredMovements * r) / ROUNDS) {
          shares.push(measured.slice(start, i + 1))
          start = i + 1
          r++
        }
      }
      shares.push(measured.slice(start))
    }
    const rates = new Map<string, Array<number>>([
      [SERVICE, []],
      ...raws.map((t) => [t.name, []] as [string, Array<number>])
    ])
    let serviceMs = 0
    let serviceCpuMs = 0
    const roundNotes: Array<string> = []
    let serviceMovements = 0
    let serviceCalls = 0
    let rawFrom = 6 * BATCH
    for (let round = 0; round < shares.length; round++) {
      const share = shares[round]!
      const movements = share.reduce((s, op) => s + movementsOf(op), 0)
      const rawCount = Math.max(BATCH, Math.round(movements / BATCH) * BATCH)
      const modes: Array<() => Promise<void>> = [
        async () => {
          const before = calls
          const buckets = new Map(spent)
          const cpu = process.cpuUsage()
          const start = performance.now()
          for (const op of share) await run(op)
          const ms = performance.now() - start
          const used = process.cpuUsage(cpu)
          serviceCpuMs += (used.user + used.system) / 1000
          const top = BUCKETS.filter((b) => b !== "rest")
            .map((b) => [b, spent.get(b)! - buckets.get(b)!] as const)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 3)
          roundNotes.push(
            `service ${fmt((1000 * ms) / movements)} µs/movement (this process's CPU ${fmt((used.user + used.system) / movements)} µs), ` +
              `most in ${top.map(([b, t]) => `${b} ${((100 * t) / ms).toFixed(0)} %`).join(", ")}`
          )
          serviceMs += ms
          serviceMovements += movements
          serviceCalls += calls - before
          rates.get(SERVICE)!.push((movements * 1000) / ms)
        },
        ...raws.map((target) => async () => {
          const batches = rawBatches(communityId, rawRows, rawFrom, rawCount)
          const start = performance.now()
          for (const values of batches) await target.insert(values)
          rates.get(target.name)!.push((rawCount * 1000) / (performance.now() - start))
        })
      ]
      const t = performance.now()
      for (let k = 0; k < modes.length; k++) await modes[(round + k) % modes.length]!()
      rawFrom += rawCount
      console.log(
        `  ${dialect} round ${round + 1}/${shares.length}: ${fmt(movements)} movements, ${((performance.now() - t) / 1000).toFixed(1)} s, ` +
          `load ${load()}; ${roundNotes[roundNotes.length - 1]}`
      )
    }

    const rawRate = median(rates.get("raw")!)
    console.log("")
    console.log(`### ${dialect}`)
    console.log("")
    console.log(
      `${fmt(year.movements)} movements in ${fmt(year.ops.length)} calls; measured ${fmt(serviceMovements)} movements in ${fmt(serviceCalls)} calls ` +
        `(${(serviceMovements / Math.max(1, serviceCalls)).toFixed(2)} movements a call), ${(serviceMs / 1000).toFixed(1)} s, ` +
        `of which this process's CPU ${(serviceCpuMs / 1000).toFixed(1)} s (${fmt((1000 * serviceCpuMs) / serviceMovements)} µs a movement)`
    )
    console.log("")
    console.log("| mode | median movements/s | of raw | rounds (movements/s) |")
    console.log("| --- | ---: | ---: | --- |")
    for (const [name, r] of rates) {
      const m = median(r)
      console.log(`| ${name} | ${fmt(m)} | ${((100 * m) / rawRate).toFixed(1)} % | ${r.map(fmt).join(", ")} |`)
    }
    const totalSpent = [...spent.values()].reduce((a, b) => a + b, 0)
    add("rest", serviceMs - totalSpent)
    console.log("")
    console.log(`| where the service's time went | ${BUCKETS.join(" | ")} | µs per movement | µs per call |`)
    console.log(`| --- |${BUCKETS.map(() => " ---: |").join("")} ---: | ---: |`)
    console.log(
      `| ${dialect} | ${BUCKETS.map((b) => `${((100 * spent.get(b)!) / serviceMs).toFixed(1)} %`).join(" | ")} | ${(
        (1000 * serviceMs) / serviceMovements
      ).toFixed(0)} | ${((1000 * serviceMs) / serviceCalls).toFixed(0)} |`
    )

    // -- pay periods at the end of the year ------------------------------------------------------
    simNow = MONTH_STARTS[12]! + 2 * DAY
    const periodIds = uuid7s(1_231)
    const months: Array<{
      month: number
      lines: number
      slips: number
      close: number
      payslips: number
      html: number
      bytes: number
    }> = []
    for (let m = 0; m < MONTHS; m++) {
      const t0 = performance.now()
      const period: PayPeriod = await workshopCall((ws) =>
        ws.closePeriod({ id: periodIds(simNow), from: MONTH_STARTS[m]!, to: MONTH_STARTS[m + 1]! })
      )
      const t1 = performance.now()
      const slips = []
      for (const slip of period.slips) slips.push(await workshopCall((ws) => ws.payslip(period.id, slip.workerId)))
      const t2 = performance.now()
      let bytes = 0
      for (const slip of slips) bytes += Payslips.toHtml(slip, { timeZone: "Asia/Shanghai" }).length
      const t3 = performance.now()
      months.push({
        month: m + 1,
        lines: slips.reduce((s, slip) => s + slip.lines.length, 0),
        slips: slips.length,
        close: t1 - t0,
        payslips: t2 - t1,
        html: t3 - t2,
        bytes
      })
    }
    console.log("")
    console.log(
      "| month (2025) | pay lines | slips | closePeriod ms | payslip × slips ms | toHtml × slips ms | total ms | HTML KiB |"
    )
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (const r of months) {
      console.log(
        `| ${r.month} | ${fmt(r.lines)} | ${r.slips} | ${fmt(r.close)} | ${fmt(r.payslips)} | ${fmt(r.html)} | ${fmt(
          r.close + r.payslips + r.html
        )} | ${fmt(r.bytes / 1024)} |`
      )
    }
    console.log(
      `| **median month** | ${fmt(median(months.map((r) => r.lines)))} | ${median(months.map((r) => r.slips))} | ${fmt(
        median(months.map((r) => r.close))
      )} | ${fmt(median(months.map((r) => r.payslips)))} | ${fmt(median(months.map((r) => r.html)))} | **${fmt(
        median(months.map((r) => r.close + r.payslips + r.html))
      )}** | |`
    )
    console.log("")
  } finally {
    await runtime.dispose()
    for (const target of raws) await target.close()
    await cleanup()
  }
}

const year = yearOf(MOVEMENTS, WORKERS)
console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${load()}`)
console.log(
  `A year of ${WORKERS} workers: ${fmt(year.movements)} movements (target ${fmt(MOVEMENTS)}) in ${fmt(year.ops.length)} calls, ` +
    `${fmt(year.trays)} trays signed out over ${year.days.length} working days, ${year.orders.length} orders; ` +
    `${ROUNDS} interleaved rounds, raw batches of ${fmt(BATCH)}; dialects: ${DIALECTS.join(", ")}`
)
for (const dialect of DIALECTS) {
  if (dialect !== "sqlite" && dialect !== "postgres") throw new Error(`BENCH_DIALECTS: unknown dialect ${dialect}`)
  await runDialect(dialect, year)
}
console.log(`load average at the end: ${load()}`)
