/**
 * Ledger holds past their timeout are released by the server's background job (`expireHolds`,
 * run by `expireHoldsLayer` every minute), on real storage (a temporary SQLite file): until then
 * a hold that can no longer be posted still reserves the money of the account that holds it.
 */
import type { LedgerAccount } from "@commonweal/core"
import { CurrentActor, Ledger, systemActor } from "@commonweal/core"
import { JUNXIN_ID } from "@commonweal/testing/demo"
import { Effect, Layer, ManagedRuntime } from "effect"
import { randomUUID } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { coreLayer, expireHolds, findDemoActor, seedLayer, storageLayer } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "commonweal-expiry-test-"))
const runtime = ManagedRuntime.make(
  seedLayer(true).pipe(
    Layer.provideMerge(coreLayer(storageLayer({ _tag: "Sqlite", filename: join(dir, "commonweal.sqlite") })))
  )
)
afterAll(async () => {
  await runtime.dispose()
  rmSync(dir, { recursive: true, force: true })
})

/** A UUIDv7-shaped id (the ledger takes lower-case UUIDs of versions 1 to 8). */
const id = () => {
  const hex = randomUUID().replace(/-/g, "")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

const asStaff = <A, E>(effect: Effect.Effect<A, E, Ledger | CurrentActor>) =>
  runtime.runPromise(Effect.provideService(effect, CurrentActor, findDemoActor("junxin-staff").actor))

describe("the server's job releasing expired ledger holds", () => {
  it("releases a hold once its timeout has passed, and then nothing more", async () => {
    const open = (name: string, limited: boolean) =>
      asStaff(
        Effect.flatMap(Ledger, (ledger) =>
          ledger.openAccount({
            id: id(),
            unit: "MIN",
            kind: "liability",
            owner: { type: "community", id: JUNXIN_ID },
            name,
            ...(limited ? { debitsMustNotExceedCredits: true } : {})
          })
        )
      )
    const pool: LedgerAccount = await open("timebank:pool", false)
    const elder: LedgerAccount = await open("timebank:elder", true)
    // 120 minutes into the elder's account, then a hold of all of them for one second
    await asStaff(
      Effect.flatMap(Ledger, (ledger) =>
        ledger.transfer({
          requests: [
            {
              _tag: "Posted",
              id: id(),
              debitAccountId: pool.id,
              creditAccountId: elder.id,
              amount: 120,
              unit: "MIN",
              code: 1,
              reason: "存入时间 / minutes saved"
            },
            {
              _tag: "Pending",
              id: id(),
              debitAccountId: elder.id,
              creditAccountId: pool.id,
              amount: 120,
              unit: "MIN",
              code: 2,
              reason: "预约陪诊 / escort booked",
              timeoutSeconds: 1
            }
          ]
        })
      )
    )
    const held = await asStaff(Effect.flatMap(Ledger, (ledger) => ledger.account(elder.id)))
    expect(held.debitsPending).toBe(120)
    await new Promise((resolve) => setTimeout(resolve, 1_100))

    // past its timeout, the hold still reserves the minutes until the job runs
    const spend = (n: number) =>
      asStaff(
        Effect.flatMap(Ledger, (ledger) =>
          ledger.transfer({
            requests: [
              {
                _tag: "Posted",
                id: id(),
                debitAccountId: elder.id,
                creditAccountId: pool.id,
                amount: n,
                unit: "MIN",
                code: 3,
                reason: "使用时间 / minutes spent"
              }
            ]
          })
        )
      )
    await expect(spend(30)).rejects.toMatchObject({ _tag: "InsufficientFunds" })

    const released = await runtime.runPromise(expireHolds)
    expect(released).toBeGreaterThanOrEqual(1)
    const after = await asStaff(Effect.flatMap(Ledger, (ledger) => ledger.account(elder.id)))
    expect([after.debitsPending, after.creditsPosted, after.debitsPosted]).toEqual([0, 120, 0])
    await spend(30)
    expect(await runtime.runPromise(expireHolds)).toBe(0)
    // the system actor of the community sees the same account
    const seen = await runtime.runPromise(
      Effect.provideService(
        Effect.flatMap(Ledger, (ledger) => ledger.account(elder.id)),
        CurrentActor,
        systemActor(JUNXIN_ID)
      )
    )
    expect(seen.debitsPosted).toBe(30)
  })
})
