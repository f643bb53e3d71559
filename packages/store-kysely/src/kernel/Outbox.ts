/**
 * Core's `Outbox` port over SQL: the append-only event log, one sequence per community.
 *
 * **Sequences** come from `outbox_heads`, one row per community: an append increments it by the
 * number of events, in the appending transaction, and numbers the events from it. The row stays
 * locked until that transaction ends, so the appends of one community run one after another and
 * commit in sequence order: a reader that saw sequence n has seen every event below n. (The
 * cost: two transactions appending to one community wait for each other from the append to the
 * commit. Services append last.)
 *
 * @module
 */
import { DomainEvent, StoredEvent, type Outbox } from "@commonweal/core"
import { Effect, Result, Schema } from "effect"
import { sql } from "kysely"
import type { Connection, Executor } from "./Connection.js"
import { parseJson, rowDecoder, toSafeInteger } from "./Rows.js"
import type { KernelDatabase } from "./tables.js"

const encodeEvent = Schema.encodeSync(DomainEvent)
const decodeStoredEvent = rowDecoder(StoredEvent, "outbox")

/** `Outbox` over SQL. Sequences come from `outbox_heads` (see the module documentation). */
export const makeOutbox = (conn: Connection<KernelDatabase>): Outbox["Service"] => {
  /**
   * Adds `count` to the community's head (creating it at `count`), which locks the head row
   * until the transaction ends; returns the new last sequence.
   */
  const advanceHead = (
    db: Executor<KernelDatabase>,
    communityId: string,
    count: number
  ): Promise<number | string | bigint> => {
    const insert = db.insertInto("outbox_heads").values({ community_id: communityId, last_sequence: count })
    if (conn.caps.upsert === "on conflict") {
      return insert
        .onConflict((oc) =>
          oc.column("community_id").doUpdateSet({ last_sequence: sql<number>`outbox_heads.last_sequence + ${count}` })
        )
        .returning("last_sequence")
        .executeTakeFirstOrThrow()
        .then((row) => row.last_sequence)
    }
    return insert
      .onDuplicateKeyUpdate({ last_sequence: sql<number>`last_sequence + ${count}` })
      .execute()
      .then(() =>
        db
          .selectFrom("outbox_heads")
          .select("last_sequence")
          .where("community_id", "=", communityId)
          .executeTakeFirstOrThrow()
      )
      .then((row) => row.last_sequence)
  }

  return {
    append: (events) => {
      if (events.length === 0) return Effect.void
      const byCommunity = new Map<string, Array<DomainEvent>>()
      for (const event of events) {
        const log = byCommunity.get(event.communityId)
        if (log === undefined) byCommunity.set(event.communityId, [event])
        else log.push(event)
      }
      // heads in a fixed order, so two appends to the same communities never wait for each other in a cycle
      const communities = [...byCommunity.keys()].sort()
      return conn.withTransaction(
        conn.run(async (db) => {
          const rows = []
          for (const communityId of communities) {
            const log = byCommunity.get(communityId)!
            const last = toSafeInteger(await advanceHead(db, communityId, log.length))
            let sequence = last - log.length
            for (const event of log) {
              const encoded = encodeEvent(event)
              rows.push({
                community_id: encoded.communityId,
                sequence: ++sequence,
                id: encoded.id,
                type: encoded.type,
                aggregate_type: encoded.aggregateType,
                aggregate_id: encoded.aggregateId,
                aggregate_version: encoded.aggregateVersion,
                occurred_at: encoded.occurredAt,
                actor: encoded.actor,
                payload: JSON.stringify(encoded.payload ?? null)
              })
            }
          }
          await db.insertInto("outbox").values(rows).execute()
        })
      )
    },
    list: (communityId, afterSequence, limit) => {
      if (limit <= 0) return Effect.succeed<ReadonlyArray<StoredEvent>>([])
      return conn
        .run((db) =>
          db
            .selectFrom("outbox")
            .selectAll()
            .where("community_id", "=", communityId)
            .where("sequence", ">", afterSequence)
            .orderBy("sequence")
            .limit(limit)
            .execute()
        )
        .pipe(
          Effect.flatMap((rows) =>
            Effect.forEach(rows, (row) => {
              const sequence = toSafeInteger(row.sequence)
              const key = `${row.community_id}/${sequence}`
              const payload = parseJson("outbox", key, "payload", row.payload)
              if (Result.isFailure(payload)) return Effect.die(payload.failure)
              return decodeStoredEvent(key, {
                id: row.id,
                communityId: row.community_id,
                type: row.type,
                aggregateType: row.aggregate_type,
                aggregateId: row.aggregate_id,
                aggregateVersion: toSafeInteger(row.aggregate_version),
                occurredAt: row.occurred_at,
                actor: row.actor,
                payload: payload.success,
                sequence
              })
            })
          )
        )
    }
  }
}
