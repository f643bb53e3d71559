// The ledger service's checks that come before any storage: permissions, the community of the
// input, and validation. The storage ports here die when touched, so each test also proves that a
// refused call reads and writes nothing. The service end to end over real adapters is the
// `ledgerContract` suite of @commonweal/testing (run by store-memory and store-kysely).
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import type { Actor, Role } from "../../src/index.js"
import {
  CurrentActor,
  IdGenerator,
  Ledger,
  LedgerEvent,
  LedgerPermissions,
  LedgerRepo,
  Outbox,
  Transactor,
  TransfersApplied
} from "../../src/index.js"
import { accountId, guli, junxin, transferId } from "./fixtures.js"

const untouched = (port: string) =>
  new Proxy(
    {},
    {
      get: (_, method) => () => Effect.die(new Error(`${port}.${String(method)} must not be called`))
    }
  )

const services = Ledger.layer.pipe(
  Layer.provide(
    Layer.mergeAll(
      Layer.succeed(LedgerRepo, untouched("LedgerRepo") as LedgerRepo["Service"]),
      Layer.succeed(Outbox, untouched("Outbox") as Outbox["Service"]),
      Layer.succeed(Transactor, { withTransaction: () => Effect.die(new Error("no transaction expected")) }),
      IdGenerator.Live
    )
  )
)

/** A sale of Candy Commune (糖果公社): cash (1) debited, sales (2) credited. */
const sale1 = {
  _tag: "Posted" as const,
  id: transferId(1),
  debitAccountId: accountId(1),
  creditAccountId: accountId(2),
  amount: 2_500,
  unit: "CNY",
  code: 1,
  reason: "幸运君折叠伞 ×1"
}

const actor = (role: Role, communityId = junxin): Actor => ({ subject: `t-${role}`, communityId, roles: [role] })

const run = <A, E>(role: Role, f: (ledger: Ledger["Service"]) => Effect.Effect<A, E, CurrentActor>) =>
  Effect.flatMap(Ledger, f).pipe(Effect.provideService(CurrentActor, actor(role)), Effect.provide(services))

describe("Ledger service", () => {
  it("declares its permissions for staff and admins only, and they reach the role map", () => {
    expect(Object.values(LedgerPermissions).map((p) => p.name)).toEqual([
      "ledger:accounts:open",
      "ledger:accounts:close",
      "ledger:transfer",
      "ledger:read",
      "ledger:verify"
    ])
    for (const p of Object.values(LedgerPermissions)) expect(p.roles).toEqual(["admin", "staff"])
  })

  it("encodes TransfersApplied with ids, count and per-unit totals only", () => {
    const event = TransfersApplied.make({
      batchId: null,
      transferIds: [transferId(1)],
      count: 1,
      totals: [{ unit: "CNY", amount: 2_500 }]
    })
    expect(Schema.encodeSync(LedgerEvent)(event)).toEqual({
      _tag: "TransfersApplied",
      batchId: null,
      transferIds: [transferId(1)],
      count: 1,
      totals: [{ unit: "CNY", amount: 2_500 }]
    })
  })

  for (const role of ["resident", "volunteer", "grid_worker"] as const) {
    it.effect(`a ${role} is Forbidden every command and query, before any storage is touched`, () =>
      Effect.gen(function* () {
        const sale = sale1
        const calls: ReadonlyArray<Effect.Effect<unknown, { readonly _tag: string }, never>> = [
          run(role, (l) => l.transfer({ requests: [sale] })),
          run(role, (l) =>
            l.openAccount({
              id: accountId(1),
              unit: "CNY",
              kind: "asset",
              owner: { type: "community", id: "junxin" },
              name: "cash"
            })
          ),
          run(role, (l) => l.closeAccount(accountId(1))),
          run(role, (l) => l.reopenAccount(accountId(1))),
          run(role, (l) => l.expire(10)),
          run(role, (l) => l.account(accountId(1))),
          run(role, (l) => l.accounts()),
          run(role, (l) => l.history(accountId(1))),
          run(role, (l) => l.verifyChain()),
          run(role, (l) => l.exportJournal())
        ]
        for (const call of calls) expect((yield* Effect.flip(call))._tag).toBe("Forbidden")
      })
    )
  }

  it.effect(
    "staff naming another community is NotFound; malformed input is InvalidInput; neither touches storage",
    () =>
      Effect.gen(function* () {
        const sale = sale1
        const foreign = yield* Effect.flip(run("staff", (l) => l.transfer({ communityId: guli, requests: [sale] })))
        expect(foreign._tag).toBe("NotFound")
        const zero = yield* Effect.flip(run("staff", (l) => l.transfer({ requests: [{ ...sale, amount: 0 }] })))
        expect(zero._tag).toBe("InvalidInput")
        const expire = yield* Effect.flip(run("staff", (l) => l.expire(0)))
        expect(expire._tag).toBe("InvalidInput")
        const zone = yield* Effect.flip(run("staff", (l) => l.exportJournal({ timeZone: "Mars/Olympus" })))
        expect(zone._tag).toBe("InvalidInput")
        const badId = yield* Effect.flip(run("staff", (l) => l.closeAccount("not-an-id")))
        expect(badId._tag).toBe("NotFound")
      })
  )
})
