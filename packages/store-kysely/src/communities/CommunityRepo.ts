/**
 * Core's `CommunityRepo` port over SQL: one row of `communities` per community, the grids as
 * JSON. An insert of an existing id inserts nothing and is `Conflict` (duplicate), without
 * aborting the caller's transaction (see `insertNew`).
 *
 * @module
 */
import { Community, Conflict, type CommunityRepo } from "@commonweal/core"
import { Effect, Result, Schema } from "effect"
import type { Selectable } from "kysely"
import type { Connection } from "../kernel/Connection.js"
import { insertNew, parseJson, rowDecoder } from "../kernel/Rows.js"
import type { CommunitiesDatabase } from "./tables.js"

const encodeCommunity = Schema.encodeSync(Community)
const decodeCommunity = rowDecoder(Community, "communities")

/** `CommunityRepo` over SQL. */
export const makeCommunityRepo = (conn: Connection<CommunitiesDatabase>): CommunityRepo["Service"] => {
  const fromRow = (row: Selectable<CommunitiesDatabase["communities"]>): Effect.Effect<Community> => {
    const grids = parseJson("communities", row.community_id, "grids", row.grids)
    if (Result.isFailure(grids)) return Effect.die(grids.failure)
    return decodeCommunity(row.community_id, {
      id: row.community_id,
      name: row.name,
      nameEn: row.name_en,
      timeZone: row.time_zone,
      grids: grids.success,
      createdAt: row.created_at
    })
  }

  const byId = conn.prepare((db, param) =>
    db.selectFrom("communities").selectAll().where("community_id", "=", param(0))
  )

  return {
    insert: (community) => {
      const encoded = encodeCommunity(community)
      const row = {
        community_id: encoded.id,
        name: encoded.name,
        name_en: encoded.nameEn,
        time_zone: encoded.timeZone,
        grids: JSON.stringify(encoded.grids),
        created_at: encoded.createdAt
      }
      return Effect.flatMap(
        insertNew(conn, (db, ignoreDuplicate) => {
          const insert = db.insertInto("communities").values(row)
          return (
            ignoreDuplicate ? insert.onConflict((oc) => oc.column("community_id").doNothing()) : insert
          ).executeTakeFirstOrThrow()
        }),
        (inserted) => (inserted ? Effect.void : Effect.fail(Conflict.duplicate("Community", community.id)))
      )
    },
    findById: (id) =>
      Effect.flatMap(Effect.orDie(byId(id)), (rows) => {
        const row = rows[0]
        return row === undefined ? Effect.succeedNone : Effect.asSome(fromRow(row))
      }),
    list: () =>
      conn
        .run((db) => db.selectFrom("communities").selectAll().orderBy("community_id").execute())
        .pipe(Effect.flatMap((rows) => Effect.forEach(rows, fromRow)))
  }
}
