/**
 * Core's `FundRepo` port over SQL: settings, products, sub-funds, money entries and allocation
 * rounds in their own tables (see `tables.ts`), every key led by `community_id` and every query
 * filtered by it.
 *
 * - **Encoded and decoded with core's schemas.** A record is encoded (`Schema.encode`) before it
 *   is written, and read back from its columns and JSON texts through its schema
 *   (`FundSettings`, `Product`, `SubFund`, `FundEntry`, `AllocationRound`): a row that does not
 *   decode, or a number out of the safe integer range, is a defect naming the table and the key,
 *   never the values.
 * - **Duplicates never raise** on PostgreSQL and SQLite (`ON CONFLICT DO NOTHING`, which covers
 *   the primary key and, for products, the SKU's unique key); MySQL's duplicate-key error rolls
 *   back that statement only. Either way the write is `Conflict` duplicate and the caller's
 *   transaction goes on (see `insertNew`).
 * - **Optimistic versions**: settings, products and rounds are replaced only where the stored
 *   `version` is `version - 1`, else `Conflict` stale_version. `lockRound` reads the version
 *   with `SELECT … FOR UPDATE` (a plain select on SQLite, whose transactions run one at a
 *   time), so the round stays as checked until the transaction ends; a deadlock the database
 *   broke is `Conflict` stale_version too. An update that changes a product's SKU to one another
 *   product has is `Conflict` duplicate (core's services never change a SKU; on PostgreSQL the
 *   refused statement also ends the caller's transaction, which must then be rolled back).
 * - **Rounds** keep their nested parts (candidates, outcome, objections, sign-offs, holds) as
 *   JSON text in the round's row, and the households of their candidates in
 *   `fund_round_households`, brought up to date with every write of the round in the same
 *   transaction (only the rows that changed), so a household's rounds are one indexed query,
 *   paged like any other list.
 * - **Entries** are listed in `(occurred_at, id)` order from the cursor key of `entryKey`
 *   (`occurredAt` as 15 zero-padded digits, `:`, the id), compared as the pair it spells (a
 *   cursor that is not such a key lists nothing).
 *
 * @module
 */
import {
  AllocationRound,
  Conflict,
  FundEntry,
  FundSettings,
  Product,
  SubFund,
  type CommunityId,
  type EntryQuery,
  type FundRepo,
  type ProductId,
  type RoundId,
  type RoundQuery,
  type TransferId
} from "@commonweal/core"
import { Paging } from "@commonweal/core"
import { Effect, Result, Schema } from "effect"
import type { Insertable, Selectable } from "kysely"
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
  FundDatabase,
  FundEntriesTable,
  FundProductsTable,
  FundRoundsTable,
  FundSettingsTable,
  FundSubFundsTable
} from "./tables.js"

type Window = Paging.Window

/** The entity names of conflicts. */
const SETTINGS = "FundSettings"
const PRODUCT = "Product"
const SUB_FUND = "SubFund"
const ENTRY = "FundEntry"
const ROUND = "AllocationRound"

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

const encodeSettings = encoder(FundSettings, SETTINGS)
const encodeProduct = encoder(Product, PRODUCT)
const encodeSubFund = encoder(SubFund, SUB_FUND)
const encodeEntry = encoder(FundEntry, ENTRY)
const encodeRound = encoder(AllocationRound, ROUND)

const decodeSettings = rowDecoderResult(FundSettings, "fund_settings")
const decodeProduct = rowDecoderResult(Product, "fund_products")
const decodeSubFund = rowDecoderResult(SubFund, "fund_sub_funds")
const decodeEntry = rowDecoderResult(FundEntry, "fund_entries")
const decodeRound = rowDecoderResult(AllocationRound, "fund_rounds")

const settingsFromRow = (row: Selectable<FundSettingsTable>): Result.Result<FundSettings, Error> => {
  const key = row.community_id
  return guarded("fund_settings", key, () =>
    Result.flatMap(parseColumns("fund_settings", key, { sign_off: row.sign_off }), (json) =>
      decodeSettings(key, {
        communityId: row.community_id,
        noticeDays: Number(row.notice_days),
        signOff: json.sign_off,
        version: toSafeInteger(row.version)
      })
    )
  )
}

const productFromRow = (row: Selectable<FundProductsTable>): Result.Result<Product, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("fund_products", key, () =>
    decodeProduct(key, {
      id: row.id,
      communityId: row.community_id,
      sku: row.sku,
      name: row.name,
      unitPrice: toSafeInteger(row.unit_price),
      active: Number(row.active) === 1,
      version: toSafeInteger(row.version),
      createdAt: toSafeInteger(row.created_at)
    })
  )
}

const subFundFromRow = (row: Selectable<FundSubFundsTable>): Result.Result<SubFund, Error> => {
  const key = `${row.community_id}/${row.code}`
  return guarded("fund_sub_funds", key, () =>
    decodeSubFund(key, {
      communityId: row.community_id,
      code: row.code,
      name: row.name,
      purpose: row.purpose,
      createdAt: toSafeInteger(row.created_at)
    })
  )
}

const entryFromRow = (row: Selectable<FundEntriesTable>): Result.Result<FundEntry, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("fund_entries", key, () =>
    decodeEntry(key, {
      id: row.id,
      communityId: row.community_id,
      kind: row.kind,
      amount: toSafeInteger(row.amount),
      productId: row.product_id,
      quantity: nullableInt(row.quantity),
      subFund: row.sub_fund,
      counterparty: row.counterparty,
      note: row.note,
      occurredAt: toSafeInteger(row.occurred_at),
      recordedBy: row.recorded_by
    })
  )
}

const roundFromRow = (row: Selectable<FundRoundsTable>): Result.Result<AllocationRound, Error> => {
  const key = `${row.community_id}/${row.id}`
  return guarded("fund_rounds", key, () =>
    Result.flatMap(
      parseColumns("fund_rounds", key, {
        candidates: row.candidates,
        outcome: row.outcome,
        objections: row.objections,
        sign_offs: row.sign_offs,
        holds: row.holds
      }),
      (json) =>
        decodeRound(key, {
          id: row.id,
          communityId: row.community_id,
          version: toSafeInteger(row.version),
          status: row.status,
          title: row.title,
          purpose: row.purpose,
          pool: toSafeInteger(row.pool),
          reserveBasisPoints: Number(row.reserve_basis_points),
          subFund: row.sub_fund,
          candidates: json.candidates,
          outcome: json.outcome,
          requiredApprovals: row.required_approvals === null ? null : Number(row.required_approvals),
          authoredBy: row.authored_by,
          noticeStartsAt: nullableInt(row.notice_starts_at),
          noticeEndsAt: nullableInt(row.notice_ends_at),
          objections: json.objections,
          signOffs: json.sign_offs,
          holds: json.holds,
          scheduledFor: nullableInt(row.scheduled_for),
          closingNote: row.closing_note,
          createdAt: toSafeInteger(row.created_at),
          updatedAt: toSafeInteger(row.updated_at)
        })
    )
  )
}

const productRow = (p: typeof Product.Encoded): Insertable<FundProductsTable> => ({
  community_id: p.communityId,
  id: p.id,
  sku: p.sku,
  name: p.name,
  unit_price: p.unitPrice,
  active: p.active ? 1 : 0,
  version: p.version,
  created_at: p.createdAt
})

const entryRow = (e: typeof FundEntry.Encoded): Insertable<FundEntriesTable> => ({
  community_id: e.communityId,
  id: e.id,
  kind: e.kind,
  amount: e.amount,
  product_id: e.productId,
  quantity: e.quantity,
  sub_fund: e.subFund,
  counterparty: e.counterparty,
  note: e.note,
  occurred_at: e.occurredAt,
  recorded_by: e.recordedBy
})

const roundRow = (r: typeof AllocationRound.Encoded): Insertable<FundRoundsTable> => ({
  community_id: r.communityId,
  id: r.id,
  version: r.version,
  status: r.status,
  title: r.title,
  purpose: r.purpose,
  pool: r.pool,
  reserve_basis_points: r.reserveBasisPoints,
  sub_fund: r.subFund,
  candidates: JSON.stringify(r.candidates),
  outcome: r.outcome === null ? null : JSON.stringify(r.outcome),
  required_approvals: r.requiredApprovals,
  authored_by: r.authoredBy,
  notice_starts_at: r.noticeStartsAt,
  notice_ends_at: r.noticeEndsAt,
  objections: JSON.stringify(r.objections),
  sign_offs: JSON.stringify(r.signOffs),
  holds: JSON.stringify(r.holds),
  scheduled_for: r.scheduledFor,
  closing_note: r.closingNote,
  created_at: r.createdAt,
  updated_at: r.updatedAt
})

/** The distinct households with a candidate in a round. */
const householdsOf = (round: typeof AllocationRound.Encoded): ReadonlyArray<string> => [
  ...new Set(round.candidates.flatMap((c) => (c.householdId === null ? [] : [c.householdId])))
]

/** The most ids one `IN (…)` list of a household rewrite carries. */
const IN_LIST_SIZE = 1_000

/**
 * Writes the household rows of a round (inside the caller's transaction). A new round inserts
 * them all; an update (`replace`) reads the stored ones and deletes and inserts only the
 * difference, so the many updates that leave the candidates alone (notice, sign-offs, holds,
 * payment) write no household row.
 */
const writeHouseholds = async (
  db: Executor<FundDatabase>,
  round: typeof AllocationRound.Encoded,
  replace: boolean
): Promise<void> => {
  const key = { community_id: round.communityId, round_id: round.id }
  const wanted = householdsOf(round)
  let stored = new Set<string>()
  if (replace) {
    const rows = await db
      .selectFrom("fund_round_households")
      .select("household_id")
      .where("community_id", "=", key.community_id)
      .where("round_id", "=", key.round_id)
      .execute()
    stored = new Set(rows.map((row) => row.household_id))
  }
  const kept = new Set(wanted)
  const gone = [...stored].filter((household) => !kept.has(household))
  for (let i = 0; i < gone.length; i += IN_LIST_SIZE) {
    await db
      .deleteFrom("fund_round_households")
      .where("community_id", "=", key.community_id)
      .where("round_id", "=", key.round_id)
      .where("household_id", "in", gone.slice(i, i + IN_LIST_SIZE))
      .execute()
  }
  const added = wanted.filter((household) => !stored.has(household))
  if (added.length > 0) {
    // at most 1,000 candidates, three values each: one statement on every dialect
    await db
      .insertInto("fund_round_households")
      .values(added.map((household_id) => ({ ...key, household_id })))
      .execute()
  }
}

/**
 * Where a list of entries starts: after `(occurredAt, id)` spelled by a cursor key (see
 * `entryKey`), or nowhere when the cursor is not such a key (a list after it is empty).
 */
const entryCursor = (after: string): { readonly occurredAt: number; readonly id: string } | undefined =>
  Paging.parseTimedKey(after)

/** `FundRepo` over SQL (see the module documentation). */
export const makeFundRepo = (conn: Connection<FundDatabase>): FundRepo["Service"] => {
  const { caps } = conn

  const settingsRow = conn.prepare((db, param) =>
    db.selectFrom("fund_settings").selectAll().where("community_id", "=", param(0))
  )
  const productById = conn.prepare((db, param) =>
    db.selectFrom("fund_products").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const subFundByCode = conn.prepare((db, param) =>
    db.selectFrom("fund_sub_funds").selectAll().where("community_id", "=", param(0)).where("code", "=", param(1))
  )
  const entryById = conn.prepare((db, param) =>
    db.selectFrom("fund_entries").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const roundById = conn.prepare((db, param) =>
    db.selectFrom("fund_rounds").selectAll().where("community_id", "=", param(0)).where("id", "=", param(1))
  )
  const roundVersion = conn.prepare((db, param) => {
    const query = db
      .selectFrom("fund_rounds")
      .select("version")
      .where("community_id", "=", param(0))
      .where("id", "=", param(1))
    return caps.lockForUpdate ? query.forUpdate() : query
  })

  /** Fails with `Conflict` stale_version unless exactly a row was updated. */
  const updatedOrStale = (entity: string, id: string) => (updated: boolean) =>
    updated ? Effect.void : Effect.fail(Conflict.stale(entity, id))

  // settings

  const settings = (communityId: CommunityId) =>
    Effect.flatMap(Effect.orDie(settingsRow(communityId)), (rows) => decodeFirst(rows, settingsFromRow))

  const putSettings = (s: FundSettings) =>
    Effect.flatMap(encodeSettings(s, s.communityId), (encoded) => {
      const row = {
        community_id: encoded.communityId,
        notice_days: encoded.noticeDays,
        sign_off: JSON.stringify(encoded.signOff),
        version: encoded.version
      }
      if (s.version === 1) {
        return Effect.flatMap(
          insertNew(conn, (db, ignoreDuplicate) => {
            const insert = db.insertInto("fund_settings").values(row)
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
            .updateTable("fund_settings")
            .set({ notice_days: row.notice_days, sign_off: row.sign_off, version: row.version })
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

  // products

  const insertProduct = (product: Product) =>
    Effect.flatMap(encodeProduct(product, product.id), (encoded) =>
      Effect.flatMap(
        // any unique key: the id, or the SKU in the community
        insertNew(conn, (db, ignoreDuplicate) => {
          const insert = db.insertInto("fund_products").values(productRow(encoded))
          return (ignoreDuplicate ? insert.onConflict((oc) => oc.doNothing()) : insert).executeTakeFirstOrThrow()
        }),
        (inserted) => (inserted ? Effect.void : Effect.fail(Conflict.duplicate(PRODUCT, product.id)))
      )
    )

  const updateProduct = (product: Product) =>
    Effect.flatMap(encodeProduct(product, product.id), (encoded) => {
      const row = productRow(encoded)
      return conn
        .attempt((db) =>
          db
            .updateTable("fund_products")
            .set({
              sku: row.sku,
              name: row.name,
              unit_price: row.unit_price,
              active: row.active,
              version: row.version,
              created_at: row.created_at
            })
            .where("community_id", "=", product.communityId)
            .where("id", "=", product.id)
            .where("version", "=", product.version - 1)
            .executeTakeFirst()
        )
        .pipe(
          Effect.map((result) => result.numUpdatedRows > 0n),
          Effect.catch((error) =>
            // a changed SKU that another product has
            caps.isUniqueViolation(error)
              ? Effect.fail(Conflict.duplicate(PRODUCT, product.id))
              : staleOnDeadlock(conn, PRODUCT, product.id)(error)
          ),
          Effect.flatMap(updatedOrStale(PRODUCT, product.id))
        )
    })

  const findProduct = (communityId: CommunityId, id: ProductId) =>
    Effect.flatMap(Effect.orDie(productById(communityId, id)), (rows) => decodeFirst(rows, productFromRow))

  const listProducts = (communityId: CommunityId, window: Window) =>
    window.limit <= 0
      ? Effect.succeed<ReadonlyArray<Product>>([])
      : conn
          .run((db) => {
            let q = db.selectFrom("fund_products").selectAll().where("community_id", "=", communityId)
            if (window.after !== undefined) q = q.where("id", ">", window.after)
            return q.orderBy("id").limit(window.limit).execute()
          })
          .pipe(Effect.flatMap((rows) => decodeAll(rows, productFromRow)))

  // sub-funds

  const insertSubFund = (subFund: SubFund) =>
    Effect.flatMap(encodeSubFund(subFund, subFund.code), (s) =>
      Effect.flatMap(
        insertNew(conn, (db, ignoreDuplicate) => {
          const insert = db.insertInto("fund_sub_funds").values({
            community_id: s.communityId,
            code: s.code,
            name: s.name,
            purpose: s.purpose,
            created_at: s.createdAt
          })
          return (
            ignoreDuplicate ? insert.onConflict((oc) => oc.columns(["community_id", "code"]).doNothing()) : insert
          ).executeTakeFirstOrThrow()
        }),
        (inserted) => (inserted ? Effect.void : Effect.fail(Conflict.duplicate(SUB_FUND, subFund.code)))
      )
    )

  const findSubFund = (communityId: CommunityId, code: string) =>
    Effect.flatMap(Effect.orDie(subFundByCode(communityId, code)), (rows) => decodeFirst(rows, subFundFromRow))

  const listSubFunds = (communityId: CommunityId) =>
    conn
      .run((db) =>
        db.selectFrom("fund_sub_funds").selectAll().where("community_id", "=", communityId).orderBy("code").execute()
      )
      .pipe(Effect.flatMap((rows) => decodeAll(rows, subFundFromRow)))

  // entries

  const insertEntry = (entry: FundEntry) =>
    Effect.flatMap(encodeEntry(entry, entry.id), (encoded) =>
      Effect.flatMap(
        insertNew(conn, (db, ignoreDuplicate) => {
          const insert = db.insertInto("fund_entries").values(entryRow(encoded))
          return (
            ignoreDuplicate ? insert.onConflict((oc) => oc.columns(["community_id", "id"]).doNothing()) : insert
          ).executeTakeFirstOrThrow()
        }),
        (inserted) => (inserted ? Effect.void : Effect.fail(Conflict.duplicate(ENTRY, entry.id)))
      )
    )

  const findEntry = (communityId: CommunityId, id: TransferId) =>
    Effect.flatMap(Effect.orDie(entryById(communityId, id)), (rows) => decodeFirst(rows, entryFromRow))

  const listEntries = (query: EntryQuery, window: Window) => {
    const cursor = window.after === undefined ? undefined : entryCursor(window.after)
    if (window.limit <= 0 || (window.after !== undefined && cursor === undefined)) {
      return Effect.succeed<ReadonlyArray<FundEntry>>([])
    }
    return conn
      .run((db) => {
        let q = db.selectFrom("fund_entries").selectAll().where("community_id", "=", query.communityId)
        if (query.kind !== undefined) q = q.where("kind", "=", query.kind)
        if (query.from !== undefined) q = q.where("occurred_at", ">=", query.from)
        if (query.to !== undefined) q = q.where("occurred_at", "<", query.to)
        if (cursor !== undefined) {
          q = q.where(({ or, and, eb }) =>
            or([
              eb("occurred_at", ">", cursor.occurredAt),
              and([eb("occurred_at", "=", cursor.occurredAt), eb("id", ">", cursor.id)])
            ])
          )
        }
        return q.orderBy("occurred_at").orderBy("id").limit(window.limit).execute()
      })
      .pipe(Effect.flatMap((rows) => decodeAll(rows, entryFromRow)))
  }

  // rounds

  const insertRound = (round: AllocationRound) =>
    Effect.flatMap(encodeRound(round, round.id), (encoded) =>
      conn.withTransaction(
        Effect.gen(function* () {
          const inserted = yield* insertNew(conn, (db, ignoreDuplicate) => {
            const insert = db.insertInto("fund_rounds").values(roundRow(encoded))
            return (
              ignoreDuplicate ? insert.onConflict((oc) => oc.columns(["community_id", "id"]).doNothing()) : insert
            ).executeTakeFirstOrThrow()
          })
          if (!inserted) return yield* Effect.fail(Conflict.duplicate(ROUND, round.id))
          yield* conn.run((db) => writeHouseholds(db, encoded, false))
        })
      )
    )

  const updateRound = (round: AllocationRound) =>
    Effect.flatMap(encodeRound(round, round.id), (encoded) => {
      const { community_id: _c, id: _i, ...changes } = roundRow(encoded)
      return conn.withTransaction(
        conn
          .attempt(async (db) => {
            const result = await db
              .updateTable("fund_rounds")
              .set(changes)
              .where("community_id", "=", round.communityId)
              .where("id", "=", round.id)
              .where("version", "=", round.version - 1)
              .executeTakeFirst()
            if (result.numUpdatedRows === 0n) return false
            await writeHouseholds(db, encoded, true)
            return true
          })
          .pipe(Effect.catch(staleOnDeadlock(conn, ROUND, round.id)), Effect.flatMap(updatedOrStale(ROUND, round.id)))
      )
    })

  const lockRound = (communityId: CommunityId, id: RoundId, version: number) =>
    roundVersion(communityId, id).pipe(
      Effect.catch(staleOnDeadlock(conn, ROUND, id)),
      Effect.flatMap((rows) => {
        const stored = rows[0]
        return stored !== undefined && toSafeInteger(stored.version) === version
          ? Effect.void
          : Effect.fail(Conflict.stale(ROUND, id))
      })
    )

  const findRound = (communityId: CommunityId, id: RoundId) =>
    Effect.flatMap(Effect.orDie(roundById(communityId, id)), (rows) => decodeFirst(rows, roundFromRow))

  const listRounds = (query: RoundQuery, window: Window) => {
    if (window.limit <= 0) return Effect.succeed<ReadonlyArray<AllocationRound>>([])
    const { communityId, status, householdId } = query
    return conn
      .run((db) => {
        if (householdId !== undefined) {
          // from the household's index rows, in their key order
          let q = db
            .selectFrom("fund_round_households as h")
            .innerJoin("fund_rounds as r", (join) =>
              join.onRef("r.community_id", "=", "h.community_id").onRef("r.id", "=", "h.round_id")
            )
            .selectAll("r")
            .where("h.community_id", "=", communityId)
            .where("h.household_id", "=", householdId)
          if (status !== undefined) q = q.where("r.status", "=", status)
          if (window.after !== undefined) q = q.where("h.round_id", "<", window.after)
          return q.orderBy("h.round_id", "desc").limit(window.limit).execute()
        }
        let q = db.selectFrom("fund_rounds").selectAll().where("community_id", "=", communityId)
        if (status !== undefined) q = q.where("status", "=", status)
        if (window.after !== undefined) q = q.where("id", "<", window.after)
        return q.orderBy("id", "desc").limit(window.limit).execute()
      })
      .pipe(Effect.flatMap((rows) => decodeAll(rows, roundFromRow)))
  }

  return {
    settings,
    putSettings,
    insertProduct,
    updateProduct,
    findProduct,
    listProducts,
    insertSubFund,
    findSubFund,
    listSubFunds,
    insertEntry,
    findEntry,
    listEntries,
    insertRound,
    updateRound,
    lockRound,
    findRound,
    listRounds
  }
}
