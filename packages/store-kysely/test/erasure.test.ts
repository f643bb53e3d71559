/**
 * Erasure on disk: once a resident is erased and the WAL checkpointed, nothing of what the
 * erasure removed is left in the SQLite file, not even in free pages or freed cells (the store
 * opens SQLite with `secure_delete = ON`).
 */
import { Communities, CurrentActor, GridCode, IdGenerator, Residents } from "@commonweal/core"
import { describe, expect, it } from "@effect/vitest"
import SQLite from "better-sqlite3"
import { Effect, Layer } from "effect"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SqlStore } from "../src/index.js"

/** The bytes of the database file and of its WAL, if there is one. */
const fileBytes = (file: string): Buffer =>
  Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)])

const checkpoint = (file: string): void => {
  const other = new SQLite(file)
  try {
    const [result] = other.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>
    expect(result?.busy).toBe(0)
  } finally {
    other.close()
  }
}

describe("SQLite erasure", () => {
  it.effect("leaves no trace of the erased name, phone and health notes in the file after a checkpoint", () => {
    const file = join(mkdtempSync(join(tmpdir(), "commonweal-kysely-")), "erasure.sqlite")
    // distinctive, so a match can only be this resident's data
    const name = "抹除测试居民Qzxv"
    const phone = "13987651234"
    // long notes, as a home-visit record is: the row outgrows its cell and is moved on erase
    const notes = `心脏起搏器 pacemaker-note-Kq7Zr${"。".repeat(400)}`
    const secrets = [name, phone, "pacemaker-note-Kq7Zr", "高血压-Kq7Zr"]
    const present = (bytes: Buffer) => secrets.filter((secret) => bytes.includes(Buffer.from(secret, "utf8")))
    const Live = Layer.mergeAll(Residents.layer, Communities.layer).pipe(
      Layer.provideMerge(Layer.merge(SqlStore.layerSqlite({ filename: file }), IdGenerator.Live))
    )
    return Effect.gen(function* () {
      const community = yield* (yield* Communities).provision({
        name: "君馨社区",
        timeZone: "Asia/Shanghai",
        grids: [{ code: GridCode.make("JX-01"), name: "一网格" }]
      })
      const staff = { subject: "social-worker-wang", communityId: community.id, roles: ["staff" as const] }
      const residents = yield* Residents
      // neighbours on the same pages, so the erased row's page is changed in place, not rebuilt
      const neighbour = (i: number) =>
        residents
          .register({
            displayName: `邻居${i}`,
            phone: `1380000${String(1000 + i)}`,
            consents: [
              { purpose: "registry", grantedBy: { _tag: "Self" } },
              { purpose: "health_data", grantedBy: { _tag: "Self" } }
            ],
            health: { conditions: ["糖尿病"], notes: "每周一次上门随访。".repeat(20) }
          })
          .pipe(Effect.provideService(CurrentActor, staff))
      yield* Effect.forEach([1, 2, 3, 4, 5, 6], neighbour)
      const resident = yield* residents
        .register({
          displayName: name,
          birthYear: 1936,
          tags: ["migrant_elderly"],
          phone,
          consents: [
            { purpose: "registry", grantedBy: { _tag: "Self" } },
            { purpose: "health_data", grantedBy: { _tag: "Self" } }
          ],
          health: { conditions: ["高血压-Kq7Zr"], notes }
        })
        .pipe(Effect.provideService(CurrentActor, staff))
      yield* Effect.forEach([7, 8, 9, 10, 11, 12], neighbour)
      // a later change leaves an old row version behind in a freed cell, as real use does
      expect(resident._tag).toBe("Full")
      yield* residents
        .update(resident.id, { expectedVersion: 1, patch: { skills: ["translation"] } })
        .pipe(Effect.provideService(CurrentActor, staff))
      checkpoint(file)
      // the search is sound: before the erasure, the file holds every one of them
      expect(present(fileBytes(file))).toEqual(secrets)

      yield* residents.erase(resident.id).pipe(Effect.provideService(CurrentActor, staff))
      checkpoint(file)
      expect(present(fileBytes(file))).toEqual([])
    }).pipe(Effect.provide(Live))
  })
})
