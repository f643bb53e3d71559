/**
 * The ledger over HTTP (issue 7): Candy Commune (糖果公社) opens its accounts, sells a folding
 * umbrella, reads the balance; replays, refusals, authority, tenancy, the journal and the
 * OpenAPI document.
 */
import { layer } from "@effect/vitest"
import { Effect } from "effect"
import { OpenApi } from "effect/http-api"
import { expect } from "vitest"
import { CommonwealApi, MAX_HTTP_BATCH_SIZE, PROBLEM_CONTENT_TYPE } from "../src/index.js"
import { client, raw, storedResponses, TestServer, tokens } from "./fixture.js"

/** A lower-case UUIDv7 whose last 12 hex digits are `n`. */
const uuid = (n: number) => `0190f0a0-0000-7000-8000-${n.toString(16).padStart(12, "0")}`

/** Opens an account as 君馨 staff (a cash account may not go negative). */
const open = (id: string, kind: "asset" | "income", name: string, token: string = tokens.junxinStaff) =>
  raw("/ledger/accounts", {
    method: "POST",
    token,
    body: {
      id,
      unit: "CNY",
      kind,
      owner: { type: "workshop", id: "candy-commune" },
      name,
      ...(kind === "asset" ? { creditsMustNotExceedDebits: true } : {})
    }
  })

/** One posted transfer request. */
const posted = (id: string, debit: string, credit: string, amount: number, reason: string) => ({
  _tag: "Posted",
  id,
  debitAccountId: debit,
  creditAccountId: credit,
  amount,
  unit: "CNY",
  code: 1,
  reason
})

const transfer = (requests: ReadonlyArray<unknown>, key?: string, token: string = tokens.junxinStaff) =>
  raw("/ledger/transfers", {
    method: "POST",
    token,
    body: { requests },
    ...(key === undefined ? {} : { headers: { "idempotency-key": key } })
  })

layer(TestServer, { excludeTestServices: true })("the ledger over HTTP", (it) => {
  it.effect("opens Candy Commune's accounts (201 + Location), posts a sale, reads balance and history", () =>
    Effect.gen(function* () {
      const cash = uuid(0xc1)
      const sales = uuid(0xc2)
      const opened = yield* open(cash, "asset", "cash")
      expect(opened.status).toBe(201)
      expect(opened.headers.get("location")).toBe(`/ledger/accounts/${cash}`)
      expect(opened.json).toMatchObject({ id: cash, unit: "CNY", kind: "asset", version: 1, debitsPosted: 0 })
      expect((yield* open(sales, "income", "sales")).status).toBe(201)

      const sale = yield* transfer([posted(uuid(0xa001), cash, sales, 2_500, "幸运君折叠伞 ×1")])
      expect(sale.status).toBe(200)
      const results = sale.json.results as ReadonlyArray<{
        transfer: { id: string; amount: number }
        replayed: boolean
      }>
      expect(results).toHaveLength(1)
      expect(results[0]).toMatchObject({ replayed: false, transfer: { id: uuid(0xa001), amount: 2_500 } })

      const balance = yield* raw(`/ledger/accounts/${cash}/balance`, { token: tokens.junxinStaff })
      expect(balance.status).toBe(200)
      expect(balance.json).toMatchObject({ accountId: cash, debitsPosted: 2_500, creditsPosted: 0 })
      // before the sale, nothing
      const before = yield* raw(`/ledger/accounts/${cash}/balance?at=2020-01-01T00:00:00Z`, {
        token: tokens.junxinStaff
      })
      expect(before.json).toMatchObject({ debitsPosted: 0, at: "2020-01-01T00:00:00.000Z" })
      const badAt = yield* raw(`/ledger/accounts/${cash}/balance?at=yesterday`, { token: tokens.junxinStaff })
      expect(badAt.status).toBe(400)

      // the typed client reads the same account and its history
      const staff = yield* client(tokens.junxinStaff)
      const read = yield* staff.ledger.getAccount({ params: { id: cash as never } })
      expect(read.debitsPosted).toBe(2_500)
      const history = yield* staff.ledger.history({ params: { id: sales as never }, query: {} })
      expect(history.items.map((t) => t.id)).toEqual([uuid(0xa001)])
      const list = yield* staff.ledger.listAccounts({ query: { limit: 1 } })
      expect(list.items).toHaveLength(1)
      expect(list.nextCursor).not.toBeNull()

      const verified = yield* raw("/ledger/verify", { token: tokens.junxinStaff })
      expect(verified.json).toMatchObject({ _tag: "Intact", transfers: 1, head: { sequence: 1 } })
    })
  )

  it.effect("a replay with the same Idempotency-Key answers the same and posts nothing twice", () =>
    Effect.gen(function* () {
      const cash = uuid(0xd1)
      const sales = uuid(0xd2)
      yield* open(cash, "asset", "cash2")
      yield* open(sales, "income", "sales2")
      const batch = [
        posted(uuid(0xb001), cash, sales, 1_200, "吉祥物扇子 ×2"),
        posted(uuid(0xb002), cash, sales, 2_500, "幸运君折叠伞 ×1")
      ]
      const first = yield* transfer(batch, "candy-sale-1")
      expect(first.status).toBe(200)
      expect(first.headers.get("idempotent-replayed")).toBeNull()
      const stored = storedResponses.at(-1) ?? ""
      expect(stored).toContain('"type":"LedgerBatch"')
      expect(stored.length).toBeLessThan(300)

      const second = yield* transfer(batch, "candy-sale-1")
      expect(second.status).toBe(200)
      expect(second.headers.get("idempotent-replayed")).toBe("true")
      expect(second.json).toEqual(first.json)

      const account = yield* raw(`/ledger/accounts/${cash}`, { token: tokens.junxinStaff })
      expect(account.json).toMatchObject({ debitsPosted: 3_700 })
      const history = yield* raw(`/ledger/accounts/${cash}/history`, { token: tokens.junxinStaff })
      expect((history.json.items as ReadonlyArray<unknown>).length).toBe(2)

      // a batch that repeats a recorded transfer (a core replay) and adds one: its HTTP replay keeps both flags
      const mixed = [
        posted(uuid(0xb002), cash, sales, 2_500, "幸运君折叠伞 ×1"),
        posted(uuid(0xb004), cash, sales, 300, "贴纸")
      ]
      const third = yield* transfer(mixed, "candy-sale-2")
      const flags = (third.json.results as ReadonlyArray<{ replayed: boolean }>).map((r) => r.replayed)
      expect(flags).toEqual([true, false])
      const fourth = yield* transfer(mixed, "candy-sale-2")
      expect(fourth.headers.get("idempotent-replayed")).toBe("true")
      expect(fourth.json).toEqual(third.json)
      expect((yield* raw(`/ledger/accounts/${cash}`, { token: tokens.junxinStaff })).json).toMatchObject({
        debitsPosted: 4_000
      })

      // the same key with another body is refused
      const other = yield* transfer([posted(uuid(0xb003), cash, sales, 100, "x")], "candy-sale-1")
      expect(other.status).toBe(422)

      // close an account whose balance is not zero: 409; a replayed close of a settled one answers the account
      const unsettled = yield* raw(`/ledger/accounts/${cash}/close`, { method: "POST", token: tokens.junxinStaff })
      expect(unsettled.status).toBe(409)
      const idle = uuid(0xd3)
      yield* open(idle, "asset", "idle")
      const closed = yield* raw(`/ledger/accounts/${idle}/close`, {
        method: "POST",
        token: tokens.junxinStaff,
        headers: { "idempotency-key": "close-idle" }
      })
      expect(closed.status).toBe(200)
      expect(closed.json).toMatchObject({ flags: { closed: true } })
      const again = yield* raw(`/ledger/accounts/${idle}/close`, {
        method: "POST",
        token: tokens.junxinStaff,
        headers: { "idempotency-key": "close-idle" }
      })
      expect(again.headers.get("idempotent-replayed")).toBe("true")
      expect(again.json).toEqual(closed.json)
      const reopened = yield* raw(`/ledger/accounts/${idle}/reopen`, { method: "POST", token: tokens.junxinStaff })
      expect(reopened.json).toMatchObject({ flags: { closed: false } })
    })
  )

  it.effect("an overdraft is a 409 problem naming the request and why; nothing of the batch is posted", () =>
    Effect.gen(function* () {
      const cash = uuid(0xe1)
      const sales = uuid(0xe2)
      yield* open(cash, "asset", "cash3")
      yield* open(sales, "income", "sales3")
      yield* transfer([posted(uuid(0xe001), cash, sales, 1_000, "sale")])
      // a refund of more than the cash holds: request #1 overdraws the cash account
      const refused = yield* transfer([
        posted(uuid(0xe002), cash, sales, 500, "sale"),
        posted(uuid(0xe003), sales, cash, 5_000, "refund")
      ])
      expect(refused.status).toBe(409)
      expect(refused.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
      expect(refused.json.code).toBe("InsufficientFunds")
      expect(refused.json.detail).toContain("#1")
      expect(refused.json.detail).toContain(uuid(0xe003))
      expect(refused.json.detail).toContain("[exceeds_debits]")
      const account = yield* raw(`/ledger/accounts/${cash}`, { token: tokens.junxinStaff })
      expect(account.json).toMatchObject({ debitsPosted: 1_000, creditsPosted: 0 })
      // an HTTP batch carries at most MAX_HTTP_BATCH_SIZE requests (its replay record stays small)
      const tooMany = Array.from({ length: MAX_HTTP_BATCH_SIZE + 1 }, (_, i) =>
        posted(uuid(0xe100 + i), cash, sales, 1, "x")
      )
      const refusedBig = yield* transfer(tooMany)
      expect(refusedBig.status).toBe(400)
      expect(refusedBig.json.code).toBe("InvalidInput")
    })
  )

  it.effect("authority and tenancy: a non-staff token is 403, another community's account 404", () =>
    Effect.gen(function* () {
      const cash = uuid(0xf1)
      yield* open(cash, "asset", "cash4")
      for (const token of [tokens.junxinVolunteer, tokens.junxinGrid]) {
        const read = yield* raw(`/ledger/accounts/${cash}`, { token })
        expect(read.status).toBe(403)
        expect(read.json.code).toBe("Forbidden")
        expect((yield* open(uuid(0xf2), "asset", "nope", token)).status).toBe(403)
        expect((yield* raw("/ledger/journal", { token })).status).toBe(403)
      }
      const other = yield* raw(`/ledger/accounts/${cash}`, { token: tokens.guliStaff })
      expect(other.status).toBe(404)
      expect(other.json.code).toBe("NotFound")
      const spend = yield* transfer([posted(uuid(0xf003), cash, uuid(0xf4), 1, "x")], undefined, tokens.guliStaff)
      expect(spend.status).toBe(404)
      expect((yield* raw("/ledger/accounts", { token: tokens.guliStaff })).json).toMatchObject({ items: [] })
      expect((yield* raw("/ledger/accounts")).status).toBe(401)
    })
  )

  it.effect("the journal is text/plain and lists the transfer", () =>
    Effect.gen(function* () {
      const cash = uuid(0x101)
      const sales = uuid(0x102)
      yield* open(cash, "asset", "cash5")
      yield* open(sales, "income", "sales5")
      yield* transfer([posted(uuid(0x1001), cash, sales, 2_500, "幸运君折叠伞 ×1")])
      const journal = yield* raw("/ledger/journal", { token: tokens.junxinStaff })
      expect(journal.status).toBe(200)
      expect(journal.headers.get("content-type")).toContain("text/plain")
      expect(journal.text).toContain("幸运君折叠伞 ×1")
      expect(journal.text).toContain("workshop:candy-commune:cash5")
      expect((yield* raw("/ledger/journal?timeZone=Mars/Base", { token: tokens.junxinStaff })).status).toBe(400)
    })
  )

  it("the OpenAPI document has the ledger paths", () => {
    const spec = OpenApi.fromApi(CommonwealApi) as unknown as {
      readonly paths: Record<string, Record<string, { readonly summary?: string; readonly responses: object }>>
    }
    for (const [path, method] of [
      ["/ledger/accounts", "post"],
      ["/ledger/accounts", "get"],
      ["/ledger/accounts/{id}", "get"],
      ["/ledger/accounts/{id}/close", "post"],
      ["/ledger/accounts/{id}/reopen", "post"],
      ["/ledger/transfers", "post"],
      ["/ledger/accounts/{id}/balance", "get"],
      ["/ledger/accounts/{id}/history", "get"],
      ["/ledger/verify", "get"],
      ["/ledger/journal", "get"]
    ] as const) {
      expect(spec.paths[path]?.[method], `${method} ${path}`).toBeDefined()
    }
    expect(Object.keys(spec.paths["/ledger/transfers"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "400", "403", "404", "409", "422"])
    )
    const journal = spec.paths["/ledger/journal"]?.get?.responses as Record<string, { content?: object }>
    expect(Object.keys(journal["200"]?.content ?? {})).toEqual(["text/plain"])
  })
})
