/**
 * Core's `WorkshopRepo` port over SQL: settings, factories, products, work orders, workers,
 * movements, pay lines, pay periods and invoices in their own tables (see `tables.ts`), every key
 * led by `community_id` and every query filtered by it.
 *
 * - **Encoded and decoded with core's schemas.** A record is encoded (`Schema.encode`) before it
 *   is written, and read back from its columns and JSON texts through its schema: a row that does
 *   not decode, or a number out of the safe integer range, is a defect naming the table and the
 *   key, never the values.
 * - **Duplicates never raise** on PostgreSQL and SQLite (`ON CONFLICT DO NOTHING`, which covers
 *   the primary key and the unique keys: a product's SKU, a worker's resident, an invoice's
 *   number); MySQL's duplicate-key error rolls back that statement only. Either way the write is
 *   `Conflict` duplicate and the caller's transaction goes on.
 * - **Batches all or nothing.** Movements and pay lines go in with multi-row inserts in the
 *   caller's transaction (or one of their own). Should one of them exist, the rows this call
 *   inserted are deleted again before it fails with `Conflict` duplicate, so a caller that goes on
 *   after the conflict finds none of the batch written.
 * - **Optimistic versions**: settings, factories, orders, workers, pay lines, periods and invoices
 *   are replaced only where the stored `version` is `version - 1`, else `Conflict`
 *   stale_version; a deadlock the database broke is `Conflict` stale_version too.
 * - **Factories' subjects** are kept, beside the JSON of the factory, in
 *   `workshop_factory_subjects`, brought up to date with every write of the factory in the same
 *   transaction (only the rows that changed), so `findFactoryBySubject` is one indexed lookup.
 * - **Movements and pay lines** are listed in `(occurred_at, id)` order from the cursor key of
 *   `timedKey` (`occurredAt` as 15 zero-padded digits, `:`, the id), compared as the pair it spells
 *   (`occurred_at > t OR (occurred_at = t AND id > i)`, the same on every dialect; a cursor that is
 *   not such a key lists nothing).
 * - **Totals** are `GROUP BY` queries (`SUM`, `MAX`, `COUNT`), sorted as the port promises
 *   (`NULL` first) by the adapter, since the dialects place `NULL` differently. The totals of an
 *   order or of a worker read only the covering indexes of `0009_workshop`.
 * - **`assignPeriod`** is one `UPDATE`.
 *
 * @module
 */
import {
  Conflict,
  Factory,
  Invoice,
  Movement,
  MovementTotal,
  PayLine,
  PayLineKind,
  PayPeriod,
  Worker,
  WorkerId,
  WorkOrder,
  WorkOrderId,
  WorkProduct,
  WorkshopSettings,
  type CommunityId,
  type FactoryId,
  type InvoiceId,
  type InvoiceQuery,
  type MovementQuery,
  type PayLineId,
  type PayLineQuery,
  type PayLineTotal,
  type PayPeriodId,
  type ResidentId,
  type TransferId,
  type WorkOrderQuery,
  type WorkProductId,
  type WorkshopRepo
} from "@commonweal/core"
import { Paging } from "@commonweal/core"
import { Effect, type Option, Result, Schema } from "effect"
import { type Insertable, type Selectable, sql } from "kysely"
import type { Connection, Executor } from "../kernel/Connection.js"
import {
  decodeAll,
  decodeFirst,
  guarded,
  insertNew,
  issuePaths,
  nullableInt,
  parseColumns,
  rowDecoderResult,
  staleOnDeadlock,
  toSafeInteger
} from "../kernel/Rows.js"
import type {
  WorkshopDatabase,
  WorkshopFactoriesTable,
  WorkshopInvoicesTable,
  WorkshopMovementsTable,
  WorkshopOrdersTable,
  WorkshopPayLinesTable,
  WorkshopPeriodsTable,
  WorkshopProductsTable,
  WorkshopSettingsTable,
  WorkshopWorkersTable
} from "./tables.js"

type Window = Paging.Window

/** The entity names of conflicts. */
const SETTINGS = "WorkshopSettings"
const FACTORY = "Factory"
const PRODUCT = "WorkProduct"
const ORDER = "WorkOrder"
const WORKER = "Worker"
const MOVEMENT = "Movement"
const PAY_LINE = "PayLine"
const PERIOD = "PayPeriod"
const INVOICE = "Invoice"

/**
 * `Schema.encodeSync` as an effect: a record that does not encode (which core's services never
 * hand over) is a defect naming the entity and the failing paths, never the values.
 */
const encoder = <T, E>(schema: Schema.Codec<T, E>, entity: string) => {
  const encode = Schema.encodeResult(schema)
  return (value: T, id: string): Effect.Effect<E> => {
    const result = encode(value)
    return Result.isSuccess(result)
      ? Effect.succeed(result.success)
      : Effect.die(
          new Error(
            `@commonweal/store-kysely: the ${entity} ${id} cannot be stored (${issuePaths(result.failure)}): it is not a valid ${entity} / 记录无效，无法保存`
          )
        )
  }
}

/** Every record of `values` encoded, or the first defect. */
const encodeAll = <T extends { readonly id: string }, E>(
  encode: (value: T, id: string) => Effect.Effect<E>,
  values: ReadonlyArray<T>
): Effect.Effect<Array<E>> => Effect.forEach(values, (value) => encode(value, value.id))

const encodeSettings = encoder(WorkshopSettings, SETTINGS)
const encodeFactory = encoder(Factory, FACTORY)
const encodeProduct = encoder(WorkProduct, PRODUCT)
const encodeOrder = encoder(WorkOrder, ORDER)
const encodeWorker = encoder(Worker, WORKER)
const encodeMovement = encoder(Movement, MOVEMENT)
const encodePayLine = encoder(PayLine, PAY_LINE)
const encodePeriod = encoder(PayPeriod, PERIOD)
const encodeInvoice = encoder(Invoice, INVOICE)

const decodeSettings = rowDecoderResult(WorkshopSettings, "workshop_settings")
const decodeFactory = rowDecoderResult(Factory, "workshop_factories")
const decodeProduct = rowDecoderResult(WorkProduct, "workshop_products")
const decodeOrder = rowDecoderResult(WorkOrder, "workshop_orders")
const decodeWorker = rowDecoderResult(Worker, "workshop_workers")
const decodeMovement = rowDecoderResult(Movement, "workshop_movements")
const decodeMovementTotal = rowDecoderResult(MovementTotal, "workshop_movements")
const decodePayLine = rowDecoderResult(PayLine, "workshop_pay_lines")
/** A group of pay lines as the port returns it (`PayLineTotal`, which core declares as a type only). */
const PayLineTotalSchema = Schema.Struct({
  workerId: WorkerId,
  orderId: Schema.NullOr(WorkOrderId),
  kind: PayLineKind,
  amountFen: Schema.Int,
  quantity: Schema.Int,
  lines: Schema.Int
})
const decodePayLineTotal = rowDecoderResult(PayLineTotalSchema, "workshop_pay_lines")
const decodePeriod = rowDecoderResult(PayPeriod, "workshop_periods")
const decodeInvoice = rowDecoderResult(Invoice, "workshop_invoices")

// rows → records

const settingsFromRow = (row: Selectable<WorkshopSettingsTable>): Result.Result<WorkshopSettings, Error> => {
  const key = row.community_id
  return guarded("workshop_settings", key, () =>
    decodeSettings(key, {
      communityId: row.community_id,
      minimumHourlyWageFen: toSafeInteger(row.minimum_hourly_wage_fen),
      version: toSafeInteger(row.version),
      updatedAt: toSafeInteger(row.updated_at)
    })
  )
}

const factoryFromRow = (row: Selectable<WorkshopFactoriesTable>): Result.Result<Factory, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("workshop_factories", key, () =>
    Result.flatMap(parseColumns("workshop_factories", key, { subjects: row.subjects }), (json) =>
      decodeFactory(key, {
        id: row.id,
        communityId: row.community_id,
        name: row.name,
        contact: row.contact,
        subjects: json.subjects,
        version: toSafeInteger(row.version),
        createdAt: toSafeInteger(row.created_at)
      })
    )
  )
}

const productFromRow = (row: Selectable<WorkshopProductsTable>): Result.Result<WorkProduct, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("workshop_products", key, () =>
    Result.flatMap(parseColumns("workshop_products", key, { parts: row.parts }), (json) =>
      decodeProduct(key, {
        id: row.id,
        communityId: row.community_id,
        factoryId: row.factory_id,
        sku: row.sku,
        name: row.name,
        parts: json.parts,
        standardSeconds: toSafeInteger(row.standard_seconds),
        version: toSafeInteger(row.version),
        createdAt: toSafeInteger(row.created_at)
      })
    )
  )
}

const orderFromRow = (row: Selectable<WorkshopOrdersTable>): Result.Result<WorkOrder, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("workshop_orders", key, () =>
    Result.flatMap(
      parseColumns("workshop_orders", key, {
        rates: row.rates,
        quality: row.quality,
        fair_pay: row.fair_pay,
        low_rate_acknowledgement: row.low_rate_acknowledgement
      }),
      (json) =>
        decodeOrder(key, {
          id: row.id,
          communityId: row.community_id,
          factoryId: row.factory_id,
          productId: row.product_id,
          sku: row.sku,
          title: row.title,
          quantity: toSafeInteger(row.quantity),
          priceFen: toSafeInteger(row.price_fen),
          rates: json.rates,
          deadline: toSafeInteger(row.deadline),
          quality: json.quality,
          fairPay: json.fair_pay,
          lowRateAcknowledgement: json.low_rate_acknowledgement,
          status: row.status,
          createdBy: row.created_by,
          createdAt: toSafeInteger(row.created_at),
          startedAt: nullableInt(row.started_at),
          version: toSafeInteger(row.version)
        })
    )
  )
}

const workerFromRow = (row: Selectable<WorkshopWorkersTable>): Result.Result<Worker, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("workshop_workers", key, () =>
    decodeWorker(key, {
      id: row.id,
      communityId: row.community_id,
      residentId: row.resident_id,
      displayName: row.display_name,
      active: Number(row.active) === 1,
      enrolledAt: toSafeInteger(row.enrolled_at),
      version: toSafeInteger(row.version)
    })
  )
}

const movementFromRow = (row: Selectable<WorkshopMovementsTable>): Result.Result<Movement, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("workshop_movements", key, () =>
    decodeMovement(key, {
      id: row.id,
      communityId: row.community_id,
      orderId: row.order_id,
      kind: row.kind,
      workerId: row.worker_id,
      quantity: toSafeInteger(row.quantity),
      place: row.place,
      note: row.note,
      occurredAt: toSafeInteger(row.occurred_at),
      recordedBy: row.recorded_by
    })
  )
}

const payLineFromRow = (row: Selectable<WorkshopPayLinesTable>): Result.Result<PayLine, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("workshop_pay_lines", key, () =>
    decodePayLine(key, {
      id: row.id,
      communityId: row.community_id,
      workerId: row.worker_id,
      orderId: row.order_id,
      kind: row.kind,
      status: row.status,
      quantity: nullableInt(row.quantity),
      rateFen: nullableInt(row.rate_fen),
      amountFen: toSafeInteger(row.amount_fen),
      movementId: row.movement_id,
      transferId: row.transfer_id,
      periodId: row.period_id,
      note: row.note,
      occurredAt: toSafeInteger(row.occurred_at),
      recordedBy: row.recorded_by,
      version: toSafeInteger(row.version)
    })
  )
}

const periodFromRow = (row: Selectable<WorkshopPeriodsTable>): Result.Result<PayPeriod, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("workshop_periods", key, () =>
    Result.flatMap(parseColumns("workshop_periods", key, { slips: row.slips }), (json) =>
      decodePeriod(key, {
        id: row.id,
        communityId: row.community_id,
        from: toSafeInteger(row.starts_at),
        to: toSafeInteger(row.ends_at),
        status: row.status,
        slips: json.slips,
        closedBy: row.closed_by,
        closedAt: toSafeInteger(row.closed_at),
        paidAt: nullableInt(row.paid_at),
        version: toSafeInteger(row.version)
      })
    )
  )
}

const invoiceFromRow = (row: Selectable<WorkshopInvoicesTable>): Result.Result<Invoice, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("workshop_invoices", key, () =>
    decodeInvoice(key, {
      id: row.id,
      communityId: row.community_id,
      factoryId: row.factory_id,
      orderId: row.order_id,
      number: row.invoice_number,
      pieces: toSafeInteger(row.pieces),
      priceFen: toSafeInteger(row.price_fen),
      amountFen: toSafeInteger(row.amount_fen),
      status: row.status,
      issuedAt: toSafeInteger(row.issued_at),
      paidAt: nullableInt(row.paid_at),
      version: toSafeInteger(row.version)
    })
  )
}

// records → rows

const factoryRow = (f: typeof Factory.Encoded): Insertable<WorkshopFactoriesTable> => ({
  community_id: f.communityId,
  id: f.id,
  name: f.name,
  contact: f.contact,
  subjects: JSON.stringify(f.subjects),
  version: f.version,
  created_at: f.createdAt
})

const productRow = (p: typeof WorkProduct.Encoded): Insertable<WorkshopProductsTable> => ({
  community_id: p.communityId,
  id: p.id,
  factory_id: p.factoryId,
  sku: p.sku,
  name: p.name,
  parts: JSON.stringify(p.parts),
  standard_seconds: p.standardSeconds,
  version: p.version,
  created_at: p.createdAt
})

const orderRow = (o: typeof WorkOrder.Encoded): Insertable<WorkshopOrdersTable> => ({
  community_id: o.communityId,
  id: o.id,
  factory_id: o.factoryId,
  product_id: o.productId,
  sku: o.sku,
  title: o.title,
  quantity: o.quantity,
  price_fen: o.priceFen,
  rates: JSON.stringify(o.rates),
  deadline: o.deadline,
  quality: JSON.stringify(o.quality),
  fair_pay: JSON.stringify(o.fairPay),
  low_rate_acknowledgement: o.lowRateAcknowledgement === null ? null : JSON.stringify(o.lowRateAcknowledgement),
  status: o.status,
  created_by: o.createdBy,
  created_at: o.createdAt,
  started_at: o.startedAt,
  version: o.version
})

const workerRow = (w: typeof Worker.Encoded): Insertable<WorkshopWorkersTable> => ({
  community_id: w.communityId,
  id: w.id,
  resident_id: w.residentId,
  display_name: w.displayName,
  active: w.active ? 1 : 0,
  enrolled_at: w.enrolledAt,
  version: w.version
})

const movementRow = (m: typeof Movement.Encoded): Insertable<WorkshopMovementsTable> => ({
  community_id: m.communityId,
  id: m.id,
  order_id: m.orderId,
  kind: m.kind,
  worker_id: m.workerId,
  quantity: m.quantity,
  place: m.place,
  note: m.note,
  occurred_at: m.occurredAt,
  recorded_by: m.recordedBy
})

const payLineRow = (l: typeof PayLine.Encoded): Insertable<WorkshopPayLinesTable> => ({
  community_id: l.communityId,
  id: l.id,
  worker_id: l.workerId,
  order_id: l.orderId,
  kind: l.kind,
  status: l.status,
  quantity: l.quantity,
  rate_fen: l.rateFen,
  amount_fen: l.amountFen,
  movement_id: l.movementId,
  transfer_id: l.transferId,
  period_id: l.periodId,
  note: l.note,
  occurred_at: l.occurredAt,
  recorded_by: l.recordedBy,
  version: l.version
})

const periodRow = (p: typeof PayPeriod.Encoded): Insertable<WorkshopPeriodsTable> => ({
  community_id: p.communityId,
  id: p.id,
  starts_at: p.from,
  ends_at: p.to,
  status: p.status,
  slips: JSON.stringify(p.slips),
  closed_by: p.closedBy,
  closed_at: p.closedAt,
  paid_at: p.paidAt,
  version: p.version
})

const invoiceRow = (i: typeof Invoice.Encoded): Insertable<WorkshopInvoicesTable> => ({
  community_id: i.communityId,
  id: i.id,
  factory_id: i.factoryId,
  order_id: i.orderId,
  invoice_number: i.number,
  pieces: i.pieces,
  price_fen: i.priceFen,
  amount_fen: i.amountFen,
  status: i.status,
  issued_at: i.issuedAt,
  paid_at: i.paidAt,
  version: i.version
})

/** The most ids one `IN (…)` list carries. */
const IN_LIST_SIZE = 1_000

/**
 * The most rows one multi-row insert carries: 16 columns a pay line, well below the parameter
 * limits of every dialect (SQLite 32,766, PostgreSQL and MySQL 65,535).
 */
const INSERT_BATCH = 500

/** The distinct subjects of a factory. */
const subjectsOf = (factory: typeof Factory.Encoded): ReadonlyArray<string> => [...new Set(factory.subjects)]

/**
 * Writes the subject rows of a factory (inside the caller's transaction). A new factory inserts
 * them all; an update (`replace`) reads the stored ones and deletes and inserts only the
 * difference.
 */
const writeSubjects = async (
  db: Executor<WorkshopDatabase>,
  factory: typeof Factory.Encoded,
  replace: boolean
): Promise<void> => {
  const key = { community_id: factory.communityId, factory_id: factory.id }
  const wanted = subjectsOf(factory)
  let stored = new Set<string>()
  if (replace) {
    const rows = await db
      .selectFrom("workshop_factory_subjects")
      .select("subject")
      .where("community_id", "=", key.community_id)
      .where("factory_id", "=", key.factory_id)
      .execute()
    stored = new Set(rows.map((row) => row.subject))
  }
  const kept = new Set(wanted)
  const gone = [...stored].filter((subject) => !kept.has(subject))
  for (let i = 0; i < gone.length; i += IN_LIST_SIZE) {
    await db
      .deleteFrom("workshop_factory_subjects")
      .where("community_id", "=", key.community_id)
      .where("factory_id", "=", key.factory_id)
      .where("subject", "in", gone.slice(i, i + IN_LIST_SIZE))
      .execute()
  }
  const added = wanted.filter((subject) => !stored.has(subject))
  for (let i = 0; i < added.length; i += INSERT_BATCH) {
    await db
      .insertInto("workshop_factory_subjects")
      .values(added.slice(i, i + INSERT_BATCH).map((subject) => ({ ...key, subject })))
      .execute()
  }
}

/** A point of the `(occurred_at, id)` order. */
interface TimedPoint {
  readonly occurredAt: number
  readonly id: string
}

/**
 * Where a list of movements or pay lines starts: after `(occurredAt, id)` spelled by a cursor
 * key (see `timedKey`), or nowhere when the cursor is not such a key (a list after it is empty).
 */
const timedCursor = (after: string): TimedPoint | undefined => Paging.parseTimedKey(after)

/** Compares nullable texts, `null` first, then by code unit. */
const compareText = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1

/** The port's order of movement totals: by order, worker (`null` first), kind. */
const compareMovementTotals = (a: MovementTotal, b: MovementTotal): number =>
  compareText(a.orderId, b.orderId) || compareText(a.workerId, b.workerId) || compareText(a.kind, b.kind)

/** The port's order of pay-line totals: by worker, order (`null` first), kind. */
const comparePayLineTotals = (a: PayLineTotal, b: PayLineTotal): number =>
  compareText(a.workerId, b.workerId) || compareText(a.orderId, b.orderId) || compareText(a.kind, b.kind)

/** A group of `movementTotals` as the database returns it (sums as numbers or strings). */
interface MovementTotalRow {
  readonly order_id: string
  readonly worker_id: string | null
  readonly kind: string
  readonly quantity: number | string | bigint | null
  readonly last_at: number | string | bigint | null
}

/** A group of `payLineTotals` as the database returns it. */
interface PayLineTotalRow {
  readonly worker_id: string
  readonly order_id: string | null
  readonly kind: string
  readonly amount_fen: number | string | bigint | null
  readonly quantity: number | string | bigint | null
  readonly lines: number | string | bigint
}

const movementTotalFromRow = (row: MovementTotalRow): Result.Result<MovementTotal, Error> => {
  const key = `${row.order_id}/${row.worker_id ?? "-"}/${row.kind}`
  return guarded("workshop_movements", key, () =>
    decodeMovementTotal(key, {
      orderId: row.order_id,
      workerId: row.worker_id,
      kind: row.kind,
      quantity: row.quantity === null ? 0 : toSafeInteger(row.quantity),
      lastAt: row.last_at === null ? 0 : toSafeInteger(row.last_at)
    })
  )
}

const payLineTotalFromRow = (row: PayLineTotalRow): Result.Result<PayLineTotal, Error> => {
  const key = `${row.worker_id}/${row.order_id ?? "-"}/${row.kind}`
  return guarded("workshop_pay_lines", key, () =>
    decodePayLineTotal(key, {
      workerId: row.worker_id,
      orderId: row.order_id,
      kind: row.kind,
      amountFen: row.amount_fen === null ? 0 : toSafeInteger(row.amount_fen),
      quantity: row.quantity === null ? 0 : toSafeInteger(row.quantity),
      lines: toSafeInteger(row.lines)
    })
  )
}

/** `WorkshopRepo` over SQL (see the module documentation). */
export const makeWorkshopRepo = (conn: Connection<WorkshopDatabase>): WorkshopRepo["Service"] => {
  const { caps } = conn

  const settingsRow = conn.prepare((db, param) =>
    db.selectFrom("workshop_settings").selectAll().where("community_id", "=", param(0))
  )
  const factoryById = conn.prepare((db, param) =>
    db.selectFrom("workshop_factories").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const productById = conn.prepare((db, param) =>
    db.selectFrom("workshop_products").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const orderById = conn.prepare((db, param) =>
    db.selectFrom("workshop_orders").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const workerById = conn.prepare((db, param) =>
    db.selectFrom("workshop_workers").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const movementById = conn.prepare((db, param) =>
    db.selectFrom("workshop_movements").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const payLineById = conn.prepare((db, param) =>
    db.selectFrom("workshop_pay_lines").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const periodById = conn.prepare((db, param) =>
    db.selectFrom("workshop_periods").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const invoiceById = conn.prepare((db, param) =>
    db.selectFrom("workshop_invoices").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const workerByResident = conn.prepare((db, param) =>
    db
      .selectFrom("workshop_workers")
      .selectAll()
      .where("community_id", "=", param(0))
      .where("resident_id", "=", param(1))
  )
  const factoryBySubject = conn.prepare((db, param) =>
    db
      .selectFrom("workshop_factory_subjects as s")
      .innerJoin("workshop_factories as f", (join) =>
        join.onRef("f.community_id", "=", "s.community_id").onRef("f.id", "=", "s.factory_id")
      )
      .selectAll("f")
      .where("s.community_id", "=", param(0))
      .where("s.subject", "=", param(1))
      .orderBy("s.factory_id")
      // a literal: a prepared read takes its values as parameters only
      .limit(sql.lit(1))
  )
  const invoiceCount = conn.prepare((db, param) =>
    db
      .selectFrom("workshop_invoices")
      .select((eb) => eb.fn.countAll<number | string | bigint>().as("count"))
      .where("community_id", "=", param(0))
  )

  /** Fails with `Conflict` stale_version unless a row was updated. */
  const updatedOrStale = (entity: string, id: string) => (updated: boolean) =>
    updated ? Effect.void : Effect.fail(Conflict.stale(entity, id))

  /** Finds one record by its key and decodes it. */
  const find =
    <R, A>(
      read: (communityId: string, id: string) => Effect.Effect<ReadonlyArray<R>, unknown>,
      decode: (row: R) => Result.Result<A, Error>
    ) =>
    (communityId: CommunityId, id: string): Effect.Effect<Option.Option<A>> =>
      Effect.flatMap(Effect.orDie(read(communityId, id)), (rows) => decodeFirst(rows, decode))

  /** Inserts one new record; an existing key (the id or a unique key) is `Conflict` duplicate. */
  const insertOne = <T extends keyof WorkshopDatabase>(
    table: T,
    row: Insertable<WorkshopDatabase[T]>,
    entity: string,
    id: string
  ): Effect.Effect<void, Conflict> =>
    Effect.flatMap(
      insertNew(conn, (db, ignoreDuplicate) => {
        const insert = db.insertInto(table as keyof WorkshopDatabase).values(row as never)
        return (ignoreDuplicate ? insert.onConflict((oc) => oc.doNothing()) : insert).executeTakeFirstOrThrow()
      }),
      (inserted) => (inserted ? Effect.void : Effect.fail(Conflict.duplicate(entity, id)))
    )

  /**
   * Replaces the record of `row`'s key where the stored version is `version - 1`: `Conflict`
   * stale_version when no row was, or the database broke a deadlock; `Conflict` duplicate when
   * the row takes a unique key another record has.
   */
  const updateOne = <T extends keyof WorkshopDatabase>(
    table: T,
    row: Insertable<WorkshopDatabase[T]> & { readonly community_id: string; readonly id: string },
    version: number,
    entity: string
  ): Effect.Effect<void, Conflict> => {
    const { community_id, id, ...changes } = row
    return conn
      .attempt((db) =>
        db
          .updateTable(table as "workshop_orders")
          .set(changes as never)
          .where("community_id", "=", community_id)
          .where("id", "=", id)
          .where("version", "=", version - 1)
          .executeTakeFirst()
      )
      .pipe(
        Effect.map((result) => result.numUpdatedRows > 0n),
        Effect.catch((error) =>
          caps.isUniqueViolation(error)
            ? Effect.fail(Conflict.duplicate(entity, id))
            : staleOnDeadlock(conn, entity, id)(error)
        ),
        Effect.flatMap(updatedOrStale(entity, id))
      )
  }

  /**
   * Inserts rows of a batch all or nothing (see the module documentation): each chunk with
   * `ON CONFLICT DO NOTHING … RETURNING id` (PostgreSQL, SQLite) or a plain insert whose
   * duplicate-key error rolls the chunk back (MySQL). On a duplicate, the rows this call inserted
   * are deleted again and the first duplicate id is the `Conflict`.
   */
  const insertBatch = <T extends "workshop_movements" | "workshop_pay_lines">(
    table: T,
    rows: ReadonlyArray<Insertable<WorkshopDatabase[T]> & { readonly community_id: string; readonly id: string }>,
    entity: string
  ): Effect.Effect<void, Conflict> => {
    if (rows.length === 0) return Effect.void
    const seen = new Set<string>()
    for (const row of rows) {
      const key = `${row.community_id}/${row.id}`
      if (seen.has(key)) return Effect.fail(Conflict.duplicate(entity, row.id))
      seen.add(key)
    }
    const target = table as "workshop_movements"
    /** Deletes rows this call inserted. */
    const undo = (db: Executor<WorkshopDatabase>, inserted: ReadonlyArray<{ community_id: string; id: string }>) =>
      (async () => {
        const byCommunity = new Map<string, Array<string>>()
        for (const { community_id, id } of inserted) {
          const ids = byCommunity.get(community_id)
          if (ids === undefined) byCommunity.set(community_id, [id])
          else ids.push(id)
        }
        for (const [communityId, ids] of byCommunity) {
          for (let i = 0; i < ids.length; i += IN_LIST_SIZE) {
            await db
              .deleteFrom(target)
              .where("community_id", "=", communityId)
              .where("id", "in", ids.slice(i, i + IN_LIST_SIZE))
              .execute()
          }
        }
      })()
    /** The first of `chunk`'s ids that is stored (for the conflict's message). */
    const firstStored = async (
      db: Executor<WorkshopDatabase>,
      chunk: ReadonlyArray<{ community_id: string; id: string }>
    ): Promise<string> => {
      for (const row of chunk) {
        const found = await db
          .selectFrom(target)
          .select("id")
          .where("community_id", "=", row.community_id)
          .where("id", "=", row.id)
          .executeTakeFirst()
        if (found !== undefined) return row.id
      }
      return chunk[0]?.id ?? ""
    }
    return conn.withTransaction(
      conn
        .attempt(async (db): Promise<string | undefined> => {
          const inserted: Array<{ community_id: string; id: string }> = []
          for (let i = 0; i < rows.length; i += INSERT_BATCH) {
            const chunk = rows.slice(i, i + INSERT_BATCH)
            if (caps.upsert === "on conflict") {
              const back = await db
                .insertInto(target)
                .values(chunk as never)
                .onConflict((oc) => oc.doNothing())
                .returning(["community_id", "id"])
                .execute()
              inserted.push(...back)
              if (back.length < chunk.length) {
                const went = new Set(back.map((row) => `${row.community_id}/${row.id}`))
                const duplicate = chunk.find((row) => !went.has(`${row.community_id}/${row.id}`))
                await undo(db, inserted)
                return duplicate?.id ?? chunk[0]!.id
              }
            } else {
              try {
                await db
                  .insertInto(target)
                  .values(chunk as never)
                  .execute()
              } catch (error) {
                if (!caps.isUniqueViolation(error)) throw error
                // the failed statement inserted nothing; the chunks before it did
                await undo(db, inserted)
                return await firstStored(db, chunk)
              }
              inserted.push(...chunk.map(({ community_id, id }) => ({ community_id, id })))
            }
          }
          return undefined
        })
        .pipe(
          Effect.catch(staleOnDeadlock(conn, entity, rows[0]!.id)),
          Effect.flatMap((duplicate) =>
            duplicate === undefined ? Effect.void : Effect.fail(Conflict.duplicate(entity, duplicate))
          )
        )
    )
  }

  /** Pages a table by id after the window's cursor (`run` filters, orders by id and limits). */
  const pageById = <R, A>(
    run: (db: Executor<WorkshopDatabase>, after: string | undefined, limit: number) => Promise<ReadonlyArray<R>>,
    decode: (row: R) => Result.Result<A, Error>,
    window: Window
  ): Effect.Effect<ReadonlyArray<A>> =>
    window.limit <= 0
      ? Effect.succeed([])
      : conn.run((db) => run(db, window.after, window.limit)).pipe(Effect.flatMap((rows) => decodeAll(rows, decode)))

  // settings

  const settings = (communityId: CommunityId) =>
    Effect.flatMap(Effect.orDie(settingsRow(communityId)), (rows) => decodeFirst(rows, settingsFromRow))

  const putSettings = (s: WorkshopSettings) =>
    Effect.flatMap(encodeSettings(s, s.communityId), (encoded) => {
      const row = {
        community_id: encoded.communityId,
        minimum_hourly_wage_fen: encoded.minimumHourlyWageFen,
        version: encoded.version,
        updated_at: encoded.updatedAt
      }
      if (s.version === 1) {
        return Effect.flatMap(
          insertNew(conn, (db, ignoreDuplicate) => {
            const insert = db.insertInto("workshop_settings").values(row)
            return (
              ignoreDuplicate ? insert.onConflict((oc) => oc.column("community_id").doNothing()) : insert
            ).executeTakeFirstOrThrow()
          }),
          (inserted) => (inserted ? Effect.void : Effect.fail(Conflict.duplicate(SETTINGS, s.communityId)))
        )
      }
      return conn
        .attempt((db) =>
          db
            .updateTable("workshop_settings")
            .set({
              minimum_hourly_wage_fen: row.minimum_hourly_wage_fen,
              version: row.version,
              updated_at: row.updated_at
            })
            .where("community_id", "=", row.community_id)
            .where("version", "=", s.version - 1)
            .executeTakeFirst()
        )
        .pipe(
          Effect.map((result) => result.numUpdatedRows > 0n),
          Effect.catch(staleOnDeadlock(conn, SETTINGS, s.communityId)),
          Effect.flatMap(updatedOrStale(SETTINGS, s.communityId))
        )
    })

  // factories

  const insertFactory = (factory: Factory) =>
    Effect.flatMap(encodeFactory(factory, factory.id), (encoded) =>
      conn.withTransaction(
        Effect.gen(function* () {
          yield* insertOne("workshop_factories", factoryRow(encoded), FACTORY, factory.id)
          yield* conn.run((db) => writeSubjects(db, encoded, false))
        })
      )
    )

  const updateFactory = (factory: Factory) =>
    Effect.flatMap(encodeFactory(factory, factory.id), (encoded) =>
      conn.withTransaction(
        Effect.gen(function* () {
          yield* updateOne("workshop_factories", factoryRow(encoded), factory.version, FACTORY)
          yield* conn.run((db) => writeSubjects(db, encoded, true))
        })
      )
    )

  const findFactoryBySubject = (communityId: CommunityId, subject: string) =>
    Effect.flatMap(Effect.orDie(factoryBySubject(communityId, subject)), (rows) => decodeFirst(rows, factoryFromRow))

  const listFactories = (communityId: CommunityId, window: Window) =>
    pageById(
      (db, after, limit) => {
        let q = db.selectFrom("workshop_factories").selectAll().where("community_id", "=", communityId)
        if (after !== undefined) q = q.where("id", ">", after)
        return q.orderBy("id").limit(limit).execute()
      },
      factoryFromRow,
      window
    )

  // products

  const insertProduct = (product: WorkProduct) =>
    Effect.flatMap(encodeProduct(product, product.id), (encoded) =>
      // any unique key: the id, or the SKU in the community
      insertOne("workshop_products", productRow(encoded), PRODUCT, product.id)
    )

  // orders

  const insertOrder = (order: WorkOrder) =>
    Effect.flatMap(encodeOrder(order, order.id), (encoded) =>
      insertOne("workshop_orders", orderRow(encoded), ORDER, order.id)
    )

  const updateOrder = (order: WorkOrder) =>
    Effect.flatMap(encodeOrder(order, order.id), (encoded) =>
      updateOne("workshop_orders", orderRow(encoded), order.version, ORDER)
    )

  // workers

  const insertWorker = (worker: Worker) =>
    Effect.flatMap(encodeWorker(worker, worker.id), (encoded) =>
      // any unique key: the id, or the resident in the community
      insertOne("workshop_workers", workerRow(encoded), WORKER, worker.id)
    )

  const updateWorker = (worker: Worker) =>
    Effect.flatMap(encodeWorker(worker, worker.id), (encoded) =>
      updateOne("workshop_workers", workerRow(encoded), worker.version, WORKER)
    )

  const findWorkerByResident = (communityId: CommunityId, residentId: ResidentId) =>
    Effect.flatMap(Effect.orDie(workerByResident(communityId, residentId)), (rows) => decodeFirst(rows, workerFromRow))

  // movements

  const insertMovements = (movements: ReadonlyArray<Movement>) =>
    Effect.flatMap(encodeAll(encodeMovement, movements), (encoded) =>
      insertBatch("workshop_movements", encoded.map(movementRow), MOVEMENT)
    )

  const listMovements = (communityId: CommunityId, query: MovementQuery, window: Window) => {
    const cursor = window.after === undefined ? undefined : timedCursor(window.after)
    if (window.limit <= 0 || (window.after !== undefined && cursor === undefined)) {
      return Effect.succeed<ReadonlyArray<Movement>>([])
    }
    return conn
      .run((db) => {
        let q = db.selectFrom("workshop_movements").selectAll().where("community_id", "=", communityId)
        if (query.orderId !== undefined) q = q.where("order_id", "=", query.orderId)
        if (query.workerId !== undefined) q = q.where("worker_id", "=", query.workerId)
        if (query.kind !== undefined) q = q.where("kind", "=", query.kind)
        if (query.from !== undefined) q = q.where("occurred_at", ">=", query.from)
        if (query.to !== undefined) q = q.where("occurred_at", "<", query.to)
        if (cursor !== undefined) {
          // the first conjunct is implied by the second; it gives the planner the index range's start
          q = q
            .where("occurred_at", ">=", cursor.occurredAt)
            .where(({ or, eb }) => or([eb("occurred_at", ">", cursor.occurredAt), eb("id", ">", cursor.id)]))
        }
        return q.orderBy("occurred_at").orderBy("id").limit(window.limit).execute()
      })
      .pipe(Effect.flatMap((rows) => decodeAll(rows, movementFromRow)))
  }

  const movementTotals = (communityId: CommunityId, query: MovementQuery) =>
    conn
      .run((db) => {
        let q = db
          .selectFrom("workshop_movements")
          .select((eb) => [
            "order_id",
            "worker_id",
            "kind",
            eb.fn.sum<number | string | bigint | null>("quantity").as("quantity"),
            eb.fn.max<number | string | bigint | null>("occurred_at").as("last_at")
          ])
          .where("community_id", "=", communityId)
        if (query.orderId !== undefined) q = q.where("order_id", "=", query.orderId)
        if (query.workerId !== undefined) q = q.where("worker_id", "=", query.workerId)
        if (query.kind !== undefined) q = q.where("kind", "=", query.kind)
        if (query.from !== undefined) q = q.where("occurred_at", ">=", query.from)
        if (query.to !== undefined) q = q.where("occurred_at", "<", query.to)
        // grouped in the covering indexes' order: by order first, or by worker first when filtered by one
        return (
          query.workerId !== undefined && query.orderId === undefined
            ? q.groupBy(["worker_id", "order_id", "kind"])
            : q.groupBy(["order_id", "worker_id", "kind"])
        ).execute()
      })
      .pipe(
        Effect.flatMap((rows) => decodeAll(rows, movementTotalFromRow)),
        Effect.map((totals) => totals.sort(compareMovementTotals))
      )

  // pay lines

  const insertPayLines = (lines: ReadonlyArray<PayLine>) =>
    Effect.flatMap(encodeAll(encodePayLine, lines), (encoded) =>
      insertBatch("workshop_pay_lines", encoded.map(payLineRow), PAY_LINE)
    )

  const updatePayLine = (line: PayLine) =>
    Effect.flatMap(encodePayLine(line, line.id), (encoded) =>
      updateOne("workshop_pay_lines", payLineRow(encoded), line.version, PAY_LINE)
    )

  const listPayLines = (communityId: CommunityId, query: PayLineQuery, window: Window) => {
    const cursor = window.after === undefined ? undefined : timedCursor(window.after)
    if (window.limit <= 0 || (window.after !== undefined && cursor === undefined)) {
      return Effect.succeed<ReadonlyArray<PayLine>>([])
    }
    return conn
      .run((db) => {
        let q = db.selectFrom("workshop_pay_lines").selectAll().where("community_id", "=", communityId)
        if (query.workerId !== undefined) q = q.where("worker_id", "=", query.workerId)
        if (query.status !== undefined) q = q.where("status", "=", query.status)
        if (query.periodId !== undefined) q = q.where("period_id", "=", query.periodId)
        if (query.unpaid === true) q = q.where("period_id", "is", null)
        if (query.from !== undefined) q = q.where("occurred_at", ">=", query.from)
        if (query.to !== undefined) q = q.where("occurred_at", "<", query.to)
        if (cursor !== undefined) {
          // the first conjunct is implied by the second; it gives the planner the index range's start
          q = q
            .where("occurred_at", ">=", cursor.occurredAt)
            .where(({ or, eb }) => or([eb("occurred_at", ">", cursor.occurredAt), eb("id", ">", cursor.id)]))
        }
        return q.orderBy("occurred_at").orderBy("id").limit(window.limit).execute()
      })
      .pipe(Effect.flatMap((rows) => decodeAll(rows, payLineFromRow)))
  }

  const payLineTotals = (communityId: CommunityId, query: PayLineQuery) =>
    conn
      .run((db) => {
        let q = db
          .selectFrom("workshop_pay_lines")
          .select((eb) => [
            "worker_id",
            "order_id",
            "kind",
            eb.fn.sum<number | string | bigint | null>("amount_fen").as("amount_fen"),
            eb.fn.sum<number | string | bigint | null>(eb.fn.coalesce("quantity", sql.lit(0))).as("quantity"),
            eb.fn.countAll<number | string | bigint>().as("lines")
          ])
          .where("community_id", "=", communityId)
        if (query.workerId !== undefined) q = q.where("worker_id", "=", query.workerId)
        if (query.status !== undefined) q = q.where("status", "=", query.status)
        if (query.periodId !== undefined) q = q.where("period_id", "=", query.periodId)
        if (query.unpaid === true) q = q.where("period_id", "is", null)
        if (query.from !== undefined) q = q.where("occurred_at", ">=", query.from)
        if (query.to !== undefined) q = q.where("occurred_at", "<", query.to)
        return q.groupBy(["worker_id", "order_id", "kind"]).execute()
      })
      .pipe(
        Effect.flatMap((rows) => decodeAll(rows, payLineTotalFromRow)),
        Effect.map((totals) => totals.sort(comparePayLineTotals))
      )

  const assignPeriod = (communityId: CommunityId, periodId: PayPeriodId, from: number, to: number) =>
    conn
      .run((db) =>
        db
          .updateTable("workshop_pay_lines")
          .set({ period_id: periodId, version: sql<number>`version + 1` })
          .where("community_id", "=", communityId)
          .where("period_id", "is", null)
          .where("status", "=", "confirmed")
          .where("occurred_at", ">=", from)
          .where("occurred_at", "<", to)
          .executeTakeFirst()
      )
      .pipe(Effect.map((result) => Number(result.numUpdatedRows)))

  // periods

  const insertPeriod = (period: PayPeriod) =>
    Effect.flatMap(encodePeriod(period, period.id), (encoded) =>
      insertOne("workshop_periods", periodRow(encoded), PERIOD, period.id)
    )

  const updatePeriod = (period: PayPeriod) =>
    Effect.flatMap(encodePeriod(period, period.id), (encoded) =>
      updateOne("workshop_periods", periodRow(encoded), period.version, PERIOD)
    )

  // invoices

  const insertInvoice = (invoice: Invoice) =>
    Effect.flatMap(encodeInvoice(invoice, invoice.id), (encoded) =>
      // any unique key: the id, or the number in the community
      insertOne("workshop_invoices", invoiceRow(encoded), INVOICE, invoice.id)
    )

  const updateInvoice = (invoice: Invoice) =>
    Effect.flatMap(encodeInvoice(invoice, invoice.id), (encoded) =>
      updateOne("workshop_invoices", invoiceRow(encoded), invoice.version, INVOICE)
    )

  const listInvoices = (communityId: CommunityId, query: InvoiceQuery, window: Window) =>
    pageById(
      (db, after, limit) => {
        let q = db.selectFrom("workshop_invoices").selectAll().where("community_id", "=", communityId)
        if (query.factoryId !== undefined) q = q.where("factory_id", "=", query.factoryId)
        if (query.orderId !== undefined) q = q.where("order_id", "=", query.orderId)
        if (after !== undefined) q = q.where("id", ">", after)
        return q.orderBy("id").limit(limit).execute()
      },
      invoiceFromRow,
      window
    )

  const countInvoices = (communityId: CommunityId) =>
    Effect.map(Effect.orDie(invoiceCount(communityId)), (rows) => toSafeInteger(rows[0]?.count ?? 0))

  return {
    settings,
    putSettings,
    insertFactory,
    updateFactory,
    findFactory: (communityId, id: FactoryId) => find(factoryById, factoryFromRow)(communityId, id),
    findFactoryBySubject,
    listFactories,
    insertProduct,
    findProduct: (communityId, id: WorkProductId) => find(productById, productFromRow)(communityId, id),
    listProducts: (communityId, window) =>
      pageById(
        (db, after, limit) => {
          let q = db.selectFrom("workshop_products").selectAll().where("community_id", "=", communityId)
          if (after !== undefined) q = q.where("id", ">", after)
          return q.orderBy("id").limit(limit).execute()
        },
        productFromRow,
        window
      ),
    insertOrder,
    updateOrder,
    findOrder: (communityId, id: WorkOrderId) => find(orderById, orderFromRow)(communityId, id),
    listOrders: (communityId, query: WorkOrderQuery, window) =>
      pageById(
        (db, after, limit) => {
          let q = db.selectFrom("workshop_orders").selectAll().where("community_id", "=", communityId)
          if (query.factoryId !== undefined) q = q.where("factory_id", "=", query.factoryId)
          if (query.status !== undefined) q = q.where("status", "=", query.status)
          if (after !== undefined) q = q.where("id", ">", after)
          return q.orderBy("id").limit(limit).execute()
        },
        orderFromRow,
        window
      ),
    insertWorker,
    updateWorker,
    findWorker: (communityId, id: WorkerId) => find(workerById, workerFromRow)(communityId, id),
    findWorkerByResident,
    listWorkers: (communityId, window) =>
      pageById(
        (db, after, limit) => {
          let q = db.selectFrom("workshop_workers").selectAll().where("community_id", "=", communityId)
          if (after !== undefined) q = q.where("id", ">", after)
          return q.orderBy("id").limit(limit).execute()
        },
        workerFromRow,
        window
      ),
    insertMovements,
    findMovement: (communityId, id: TransferId) => find(movementById, movementFromRow)(communityId, id),
    listMovements,
    movementTotals,
    insertPayLines,
    updatePayLine,
    findPayLine: (communityId, id: PayLineId) => find(payLineById, payLineFromRow)(communityId, id),
    listPayLines,
    payLineTotals,
    assignPeriod,
    insertPeriod,
    updatePeriod,
    findPeriod: (communityId, id: PayPeriodId) => find(periodById, periodFromRow)(communityId, id),
    listPeriods: (communityId, window) =>
      pageById(
        (db, after, limit) => {
          let q = db.selectFrom("workshop_periods").selectAll().where("community_id", "=", communityId)
          if (after !== undefined) q = q.where("id", ">", after)
          return q.orderBy("id").limit(limit).execute()
        },
        periodFromRow,
        window
      ),
    insertInvoice,
    updateInvoice,
    findInvoice: (communityId, id: InvoiceId) => find(invoiceById, invoiceFromRow)(communityId, id),
    listInvoices,
    countInvoices
  }
}
