/**
 * The community public-welfare fund (社区公益基金) over HTTP: Candy Commune's (糖果公社) sales
 * fill the fund, a round goes from draft through public notice (公示), a resident's objection and
 * its answer, to two approvers' sign-off, payment, the statement and the public report (JSON,
 * printable HTML, CSV); refusals as problem details, idempotent replays and the OpenAPI document.
 *
 * The server is the real one over the in-memory store, with its own tokens (the fund's treasurer
 * and approvers, and residents in one household) and a clock the tests move forward, so that a
 * round's public notice ends without waiting a day.
 */
import { createServer } from "node:http"
import type { Actor, CommunityId, ResidentId } from "@commonweal/core"
import { Communities, CurrentActor, domainServices, GridCode, IdGenerator, Residents } from "@commonweal/core"
import { MemoryStore } from "@commonweal/store-memory"
import { NodeHttpServer } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Clock, type Duration, Effect, Layer, Logger, Option } from "effect"
import { FetchHttpClient } from "effect/http"
import { OpenApi } from "effect/http-api"
import { describe, expect, it as test, vi } from "vitest"
import { CommonwealApi, makeHttpLayer, PROBLEM_CONTENT_TYPE, TokenVerifier } from "../src/index.js"
import { FundGroup } from "../src/groups/fund.js"
import { baseUrl, GULI, JUNXIN, raw } from "./fixture.js"

// ---------------------------------------------------------------------------------------------
// the server: tokens, residents and a clock of the tests'

/** A lower-case UUIDv7 whose last 12 hex digits are `n`. */
const uuid = (n: number) => `0190f0a0-0000-7000-8000-${n.toString(16).padStart(12, "0")}`

const DAY = 86_400_000

/** How far the server's clock is ahead of the real one (moved by {@link advance}). */
const shift = { ms: 0 }

/** Moves the server's clock forward. */
const advance = (ms: number) =>
  Effect.sync(() => {
    shift.ms += ms
  })

/** The real clock, `shift.ms` ahead: every fiber of the server reads the time from it. */
const ShiftedClock = Layer.succeed(
  Clock.Clock,
  (() => {
    const real = Clock.Clock.defaultValue()
    const millis = () => real.currentTimeMillisUnsafe() + shift.ms
    const nanos = () => real.currentTimeNanosUnsafe() + BigInt(shift.ms) * 1_000_000n
    return {
      currentTimeMillisUnsafe: millis,
      currentTimeMillis: Effect.sync(millis),
      currentTimeNanosUnsafe: nanos,
      currentTimeNanos: Effect.sync(nanos),
      monotonicTimeNanosUnsafe: () => real.monotonicTimeNanosUnsafe(),
      monotonicTimeNanos: real.monotonicTimeNanos,
      sleep: (duration: Duration.Duration) => real.sleep(duration)
    } satisfies Clock.Clock
  })()
)

const tokens = {
  treasurer: "tok-fund-treasurer",
  staff: "tok-fund-staff",
  approverA: "tok-fund-approver-a",
  approverB: "tok-fund-approver-b",
  /** An approver who lives in the applying family's household: steps aside. */
  approverNeighbour: "tok-fund-approver-household",
  /** The resident who applied for her family (李梅). */
  applicant: "tok-fund-resident-li",
  /** Another resident, of another household (objects). */
  resident: "tok-fund-resident-zhou",
  volunteer: "tok-fund-volunteer",
  guliTreasurer: "tok-fund-guli-treasurer"
} as const

const actor = (subject: string, communityId: CommunityId, roles: Actor["roles"], residentId?: ResidentId): Actor => ({
  subject,
  communityId,
  roles,
  ...(residentId === undefined ? {} : { residentId })
})

/** The token table; the residents' tokens are added by {@link Seed}, once their ids exist. */
const tokenTable: Record<string, Actor> = {
  [tokens.treasurer]: actor("treasurer.wu", JUNXIN, ["treasurer"]),
  [tokens.staff]: actor("staff.chen", JUNXIN, ["staff"]),
  [tokens.approverA]: actor("approver.he", JUNXIN, ["approver"]),
  [tokens.approverB]: actor("approver.ma", JUNXIN, ["approver"]),
  [tokens.volunteer]: actor("volunteer.zhao", JUNXIN, ["volunteer"]),
  [tokens.guliTreasurer]: actor("treasurer.gu", GULI, ["treasurer"])
}

const Verifier = TokenVerifier.make((token) => Effect.sync(() => Option.fromUndefinedOr(tokenTable[token])))

/** The applicant's resident id (set by {@link Seed}). */
const applicant = { id: "" as ResidentId }

/** The two communities; in 君馨, 李梅 and 李雷 share a household, 周芳 lives elsewhere. */
const Seed = Layer.effectDiscard(
  Effect.gen(function* () {
    const communities = yield* Communities
    yield* communities.provision({
      id: JUNXIN,
      name: "君馨社区",
      nameEn: "Junxin Community",
      timeZone: "Asia/Shanghai",
      grids: [{ code: GridCode.make("JX-01"), name: "一网格" }]
    })
    yield* communities.provision({
      id: GULI,
      name: "顾里小站",
      nameEn: "Gu Li Station",
      timeZone: "Asia/Shanghai",
      grids: [{ code: GridCode.make("GL-01"), name: "顾里一网格" }]
    })
    const residents = yield* Residents
    const staff = actor("staff.seed", JUNXIN, ["staff"])
    const register = (displayName: string) =>
      Effect.map(residents.register({ displayName }), (view) => view.id).pipe(
        Effect.provideService(CurrentActor, staff)
      )
    const li = yield* register("李梅")
    const lei = yield* register("李雷")
    const zhou = yield* register("周芳")
    yield* residents.linkHousehold(lei, li).pipe(Effect.provideService(CurrentActor, staff))
    applicant.id = li
    tokenTable[tokens.applicant] = actor("resident.li", JUNXIN, ["resident"], li)
    tokenTable[tokens.resident] = actor("resident.zhou", JUNXIN, ["resident"], zhou)
    tokenTable[tokens.approverNeighbour] = actor("approver.lei", JUNXIN, ["approver", "resident"], lei)
  })
)

const Services = domainServices.pipe(Layer.provideMerge(Layer.merge(MemoryStore.layer, IdGenerator.Live)))

/** The server: the whole API over the memory store, on a loopback port, on the shifted clock. */
const FundServer = makeHttpLayer().pipe(
  Layer.provide(Seed),
  Layer.provide(Verifier),
  Layer.provideMerge(Services),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(FetchHttpClient.layer),
  Layer.provide(Logger.layer([])),
  Layer.provide(ShiftedClock)
)

// ---------------------------------------------------------------------------------------------
// helpers

const post = (path: string, token: string, body?: unknown, key?: string) =>
  raw(path, {
    method: "POST",
    token,
    ...(body === undefined ? {} : { body }),
    ...(key === undefined ? {} : { headers: { "idempotency-key": key } })
  })

const get = (path: string, token: string) => raw(path, { token })

/** A period around now on the server's clock, as the query string takes it (ISO 8601). */
const periodQuery = () => {
  const now = Date.now() + shift.ms
  return `from=${encodeURIComponent(new Date(now - 3 * DAY).toISOString())}&to=${encodeURIComponent(
    new Date(now + 30 * DAY).toISOString()
  )}`
}

/** Adds a product as the treasurer; returns its id. */
const addProduct = (sku: string, name: string, unitPrice: number) =>
  Effect.map(post("/fund/products", tokens.treasurer, { sku, name, unitPrice }), (r) => {
    expect(r.status, r.text).toBe(201)
    return r.json.id as string
  })

interface RoundJson {
  readonly id: string
  readonly version: number
  readonly status: string
  readonly noticeEndsAt: number | null
  readonly outcome: { readonly allocated: number; readonly shares: ReadonlyArray<{ id: string; amount: number }> }
  readonly signOffs: ReadonlyArray<{ by: string; decision: string }>
  readonly holds: ReadonlyArray<{ key: string; amount: number; status: string }>
  readonly objections: ReadonlyArray<{ id: string; answer: unknown }>
}

layer(FundServer, { excludeTestServices: true })("the fund over HTTP", (it) => {
  it.effect(
    "a round from draft through notice, a resident's objection and its answer, two approvers after the notice, to payment and the reports",
    () =>
      Effect.gen(function* () {
        // the community's rules: one day of notice, two approvers for every round
        const settings0 = yield* get("/fund/settings", tokens.treasurer)
        expect(settings0.json).toMatchObject({ noticeDays: 7, version: 0 })
        const settings = yield* raw("/fund/settings", {
          method: "PUT",
          token: tokens.treasurer,
          body: { noticeDays: 1, signOff: [{ fromFen: 0, approvals: 2 }], expectedVersion: 0 }
        })
        expect(settings.status, settings.text).toBe(200)
        expect(settings.json).toMatchObject({ noticeDays: 1, version: 1 })
        const stale = yield* raw("/fund/settings", {
          method: "PUT",
          token: tokens.treasurer,
          body: { noticeDays: 3, signOff: [{ fromFen: 0, approvals: 1 }], expectedVersion: 0 }
        })
        expect(stale.status).toBe(409)
        expect(stale.json.code).toBe("Conflict")

        // Candy Commune sells four umbrellas and passes the takings on; a donor gives ¥500
        const umbrella = yield* addProduct("UMB-01", "幸运君折叠伞", 2_500)
        const read = yield* get(`/fund/products/${umbrella}`, tokens.staff)
        expect(read.json).toMatchObject({ id: umbrella, sku: "UMB-01", unitPrice: 2_500, version: 1 })
        const sale = yield* post("/fund/entries", tokens.treasurer, {
          id: uuid(0x5a1e),
          kind: "sale",
          productId: umbrella,
          quantity: 4,
          note: "义卖摊位 / charity stall"
        })
        expect(sale.status, sale.text).toBe(200)
        expect(sale.json).toMatchObject({ id: uuid(0x5a1e), kind: "sale", amount: 10_000, quantity: 4 })
        expect(
          (yield* post("/fund/entries", tokens.treasurer, {
            id: uuid(0x5a1f),
            kind: "proceeds",
            amount: 10_000,
            note: "净收益转入 / proceeds"
          })).status
        ).toBe(200)
        expect(
          (yield* post("/fund/entries", tokens.staff, {
            id: uuid(0xd0),
            kind: "donation",
            amount: 50_000,
            counterparty: "王先生",
            note: "捐赠 / donation"
          })).status
        ).toBe(200)
        const donations = yield* get("/fund/entries?kind=donation", tokens.approverA)
        expect((donations.json.items as ReadonlyArray<{ id: string }>).map((e) => e.id)).toEqual([uuid(0xd0)])

        // a round: a project and a family (named by the resident who applied), from the general fund
        const drafted = yield* post("/fund/rounds", tokens.treasurer, {
          title: "2026 秋季 <分配> & 公示",
          purpose: "楼道花园与困难家庭 / garden and a family in need",
          pool: 30_000,
          candidates: [
            { key: "garden", kind: "project", label: "楼道花园 Garden", request: 20_000, weight: 1 },
            {
              key: "f1",
              kind: "family",
              label: "李家（低保） Li family",
              residentId: applicant.id,
              request: 10_000,
              weight: 1
            }
          ]
        })
        expect(drafted.status, drafted.text).toBe(201)
        const round = drafted.json as unknown as RoundJson
        expect(drafted.headers.get("location")).toBe(`/fund/rounds/${round.id}`)
        expect(round.status).toBe("draft")
        const revised = yield* raw(`/fund/rounds/${round.id}`, {
          method: "PATCH",
          token: tokens.treasurer,
          body: { purpose: "楼道花园与一户困难家庭 / garden and one family", expectedVersion: round.version }
        })
        expect(revised.status, revised.text).toBe(200)

        // not public before its notice
        expect((yield* get(`/fund/rounds/${round.id}/public`, tokens.resident)).status).toBe(404)

        const submitted = yield* post(`/fund/rounds/${round.id}/submit`, tokens.treasurer)
        expect(submitted.status, submitted.text).toBe(200)
        expect(submitted.json).toMatchObject({ status: "submitted", requiredApprovals: 2 })
        const noticed = yield* post(`/fund/rounds/${round.id}/notice`, tokens.treasurer)
        expect(noticed.status, noticed.text).toBe(200)
        const inNotice = noticed.json as unknown as RoundJson
        expect(inNotice.status).toBe("notice")
        expect(inNotice.noticeEndsAt).toEqual(expect.any(Number))

        // a resident objects; the answer carries the public view, without the family's label
        const objected = yield* post(`/fund/rounds/${round.id}/objections`, tokens.resident, {
          text: "花园预算是否过高？ / Is the garden's budget too high?"
        })
        expect(objected.status, objected.text).toBe(200)
        expect(objected.json).toMatchObject({
          roundId: round.id,
          round: { status: "notice", families: { count: 1 }, objections: { filed: 1, answered: 0 } }
        })
        expect(objected.text).not.toContain("李家")
        const objectionId = objected.json.objectionId as string

        // approvers wait for the notice to end, and for every objection to be answered
        const early = yield* post(`/fund/rounds/${round.id}/sign-offs`, tokens.approverA, {
          decision: "approve",
          note: "同意 / agreed"
        })
        expect(early.status).toBe(409)
        expect(early.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
        expect(early.json.code).toBe("InvalidTransition")
        expect(String(early.json.detail)).toContain("公示期未满")

        const answered = yield* post(`/fund/rounds/${round.id}/objections/${objectionId}/answer`, tokens.staff, {
          text: "花园预算经居民议事会讨论 / discussed by the residents' council"
        })
        expect(answered.status, answered.text).toBe(200)
        expect((answered.json as unknown as RoundJson).objections[0]?.answer).not.toBeNull()

        // the notice ends (the server's clock moves two days on)
        yield* advance(2 * DAY)
        const late = yield* post(`/fund/rounds/${round.id}/objections`, tokens.resident, { text: "太晚了 / too late" })
        expect(late.status).toBe(409)
        expect(late.json.code).toBe("InvalidTransition")

        // an approver of the family's household steps aside; the treasurer is no approver
        const neighbour = yield* post(`/fund/rounds/${round.id}/sign-offs`, tokens.approverNeighbour, {
          decision: "approve",
          note: "同意"
        })
        expect(neighbour.status).toBe(403)
        expect(neighbour.json.code).toBe("Forbidden")
        expect(
          (yield* post(`/fund/rounds/${round.id}/sign-offs`, tokens.treasurer, { decision: "approve", note: "同意" }))
            .status
        ).toBe(403)

        const first = yield* post(`/fund/rounds/${round.id}/sign-offs`, tokens.approverA, {
          decision: "approve",
          note: "同意 / agreed"
        })
        expect(first.status, first.text).toBe(200)
        expect(first.json).toMatchObject({ status: "notice", signOffs: [{ by: "approver.he", decision: "approve" }] })
        const twice = yield* post(`/fund/rounds/${round.id}/sign-offs`, tokens.approverA, {
          decision: "approve",
          note: "再次同意"
        })
        expect(twice.status).toBe(403)
        const second = yield* post(`/fund/rounds/${round.id}/sign-offs`, tokens.approverB, {
          decision: "approve",
          note: "同意 / agreed"
        })
        expect(second.status, second.text).toBe(200)
        const approved = second.json as unknown as RoundJson
        expect(approved.status).toBe("approved")
        expect(approved.outcome.allocated).toBe(30_000)
        expect(approved.holds.map((h) => [h.key, h.amount, h.status])).toEqual([
          ["garden", 20_000, "pending"],
          ["f1", 10_000, "pending"]
        ])

        // the family sees its own application; another resident sees none; staff may not use it
        const mine = yield* get("/fund/my-applications", tokens.applicant)
        expect(mine.status, mine.text).toBe(200)
        expect(mine.json.items).toMatchObject([
          { roundId: round.id, status: "approved", candidate: { key: "f1" }, share: { amount: 10_000 } }
        ])
        expect((yield* get("/fund/my-applications", tokens.resident)).json).toMatchObject({ items: [] })
        expect((yield* get("/fund/my-applications", tokens.staff)).status).toBe(403)

        // the treasurer schedules and pays
        const at = Date.now() + shift.ms + DAY
        const scheduled = yield* post(`/fund/rounds/${round.id}/schedule`, tokens.treasurer, { at })
        expect(scheduled.status, scheduled.text).toBe(200)
        expect(scheduled.json).toMatchObject({ status: "scheduled", scheduledFor: at })
        const paid = yield* post(`/fund/rounds/${round.id}/pay`, tokens.treasurer)
        expect(paid.status, paid.text).toBe(200)
        expect((paid.json as unknown as RoundJson).holds.every((h) => h.status === "posted")).toBe(true)
        const listed = yield* get("/fund/rounds?status=paid", tokens.approverB)
        expect((listed.json.items as ReadonlyArray<{ id: string }>).map((r) => r.id)).toEqual([round.id])

        // the committee's statement reconciles to the ledger
        const statement = yield* get(`/fund/statement?${periodQuery()}`, tokens.approverA)
        expect(statement.status, statement.text).toBe(200)
        expect(statement.json).toMatchObject({
          total: { proceeds: 10_000, donations: 50_000, allocations: 30_000, closing: 30_000, committed: 0 },
          enterprise: { sales: 10_000, proceedsToFund: 10_000, byProduct: [{ sku: "UMB-01", quantity: 4 }] },
          reconciliation: { ok: true }
        })
        const statementCsv = yield* get(`/fund/statement.csv?${periodQuery()}`, tokens.treasurer)
        expect(statementCsv.status, statementCsv.text).toBe(200)
        expect(statementCsv.headers.get("content-type")).toContain("text/csv")
        expect(statementCsv.headers.get("content-disposition")).toMatch(
          /^attachment; filename="fund-statement-.*\.csv"$/
        )
        expect(statementCsv.text.split("\r\n")[0]).toBe("section,item,amount_fen,amount_yuan")
        // the books are not the public's
        expect((yield* get(`/fund/statement?${periodQuery()}`, tokens.resident)).status).toBe(403)

        // the public report, for anyone in the community: JSON, a printable page and CSV
        const report = yield* get(`/fund/report?${periodQuery()}`, tokens.resident)
        expect(report.status, report.text).toBe(200)
        expect(report.json).toMatchObject({
          communityName: "君馨社区",
          income: { proceeds: 10_000, donations: 50_000 },
          allocations: 30_000,
          reconciled: true,
          rounds: [
            {
              title: "2026 秋季 <分配> & 公示",
              status: "paid",
              projects: [{ label: "楼道花园 Garden", amount: 20_000 }],
              families: { count: 1, amount: 10_000 },
              objections: { filed: 1, answered: 1 }
            }
          ]
        })
        for (const personal of ["李家", "Li family", "王先生", "resident.zhou", applicant.id]) {
          expect(report.text).not.toContain(personal)
        }

        const html = yield* get(`/fund/report.html?${periodQuery()}`, tokens.resident)
        expect(html.status, html.text).toBe(200)
        expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8")
        expect(html.text).toMatch(/^<!doctype html>/i)
        expect(html.text).toContain("君馨社区")
        expect(html.text).toContain("2026 秋季 &lt;分配&gt; &amp; 公示")
        expect(html.text).not.toContain("<分配>")
        expect(html.text).toContain("楼道花园 Garden")
        for (const personal of ["李家", "Li family", "王先生", "resident.zhou", applicant.id]) {
          expect(html.text).not.toContain(personal)
        }

        const csv = yield* get(`/fund/report.csv?${periodQuery()}`, tokens.resident)
        expect(csv.status, csv.text).toBe(200)
        expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8")
        expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="fund-report-.*\.csv"$/)
        expect(csv.text.split("\r\n")[0]).toBe("section,item,amount_fen,amount_yuan")
        expect(csv.text).toContain("楼道花园 Garden")
        expect(csv.text).not.toContain("李家")
        // for Excel, a byte order mark on request (fetch's text() would drop it: read the bytes)
        const bom = (query: string) =>
          Effect.flatMap(baseUrl, (url) =>
            Effect.promise(async () => {
              const response = await fetch(`${url}/fund/report.csv?${periodQuery()}${query}`, {
                headers: { authorization: `Bearer ${tokens.resident}` }
              })
              return [...new Uint8Array(await response.arrayBuffer()).slice(0, 3)]
            })
          )
        expect(yield* bom("&bom=true")).toEqual([0xef, 0xbb, 0xbf])
        expect(yield* bom("")).not.toEqual([0xef, 0xbb, 0xbf])

        // a month in Shanghai is named by its days; without a period, the current month in Asia/Shanghai
        const august = yield* get(
          "/fund/report.csv?from=2026-08-01T00:00:00%2B08:00&to=2026-09-01T00:00:00%2B08:00",
          tokens.resident
        )
        expect(august.headers.get("content-disposition")).toBe(
          'attachment; filename="fund-report-2026-08-01-2026-08-31.csv"'
        )
        const current = yield* get("/fund/report", tokens.resident)
        expect(current.status, current.text).toBe(200)
        const { from, to } = current.json as { from: number; to: number }
        const now = Date.now() + shift.ms
        expect(from <= now && now < to).toBe(true)
        const shanghai = (ms: number) => new Date(ms + 8 * 3_600_000)
        expect([shanghai(from).getUTCDate(), shanghai(from).getUTCHours(), shanghai(to).getUTCDate()]).toEqual([
          1, 0, 1
        ])
        expect((current.json.rounds as ReadonlyArray<unknown>).length).toBe(1)
        const page = yield* get("/fund/report.html", tokens.resident)
        expect(page.status).toBe(200)
        expect(page.text).toContain("楼道花园 Garden")
      }),
    20_000
  )

  it.effect("refusals are problem details: Forbidden, InvalidInput, Conflict, InsufficientFunds, NotFound", () =>
    Effect.gen(function* () {
      const donation = { id: uuid(0xe1), kind: "donation", amount: 1_000, note: "捐赠" }

      // a resident, a volunteer or an approver records no money
      for (const token of [tokens.resident, tokens.volunteer, tokens.approverA]) {
        const refused = yield* post("/fund/entries", token, donation)
        expect(refused.status).toBe(403)
        expect(refused.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
        expect(refused.json).toMatchObject({ code: "Forbidden", status: 403 })
      }
      expect((yield* get("/fund/entries", tokens.resident)).status).toBe(403)
      expect(
        (yield* post("/fund/products", tokens.staff, { sku: "FAN-01", name: "扇子", unitPrice: 600 })).status
      ).toBe(403)

      // a bad entry: an unknown kind (refused by the contract), a sale without its product (by core)
      const badKind = yield* post("/fund/entries", tokens.treasurer, { ...donation, kind: "bribe" })
      expect(badKind.status).toBe(400)
      expect(badKind.json.code).toBe("InvalidInput")
      const noProduct = yield* post("/fund/entries", tokens.treasurer, {
        id: uuid(0xe2),
        kind: "sale",
        quantity: 2,
        note: "义卖"
      })
      expect(noProduct.status).toBe(400)
      expect(noProduct.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
      expect(noProduct.json).toMatchObject({ code: "InvalidInput", field: "productId" })
      expect((yield* post("/fund/entries", tokens.treasurer, { ...donation, amount: -5 })).status).toBe(400)
      expect((yield* post("/fund/entries", tokens.treasurer, { ...donation, typo: 1 })).status).toBe(400)

      // the entry id is the idempotency key: the same entry answers again, other content is 409
      const recorded = yield* post("/fund/entries", tokens.treasurer, donation)
      expect(recorded.status, recorded.text).toBe(200)
      const again = yield* post("/fund/entries", tokens.treasurer, donation)
      expect(again.status).toBe(200)
      expect(again.json).toEqual(recorded.json)
      const reused = yield* post("/fund/entries", tokens.treasurer, { ...donation, amount: 2_000 })
      expect(reused.status).toBe(409)
      expect(reused.json).toMatchObject({ code: "Conflict" })

      // a cost above the pool's cash
      const overdraft = yield* post("/fund/entries", tokens.treasurer, {
        id: uuid(0xe3),
        kind: "cost",
        amount: 100_000_000,
        note: "打印公示 / printing"
      })
      expect(overdraft.status).toBe(409)
      expect(overdraft.json.code).toBe("InsufficientFunds")

      // another community's round, and one that does not exist, are 404
      const drafted = yield* post("/fund/rounds", tokens.staff, {
        title: "小额分配",
        purpose: "测试 / test",
        pool: 100,
        candidates: [{ key: "p1", kind: "project", label: "读书角", request: 100, weight: 1 }]
      })
      expect(drafted.status, drafted.text).toBe(201)
      const id = drafted.json.id as string
      const foreign = yield* get(`/fund/rounds/${id}`, tokens.guliTreasurer)
      expect(foreign.status).toBe(404)
      expect(foreign.json.code).toBe("NotFound")
      expect((yield* get(`/fund/rounds/${uuid(0xabc)}`, tokens.staff)).status).toBe(404)
      expect((yield* get(`/fund/products/${uuid(0xabc)}`, tokens.staff)).status).toBe(404)
      expect((yield* get("/fund/sub-funds/no-such", tokens.staff)).status).toBe(404)
      // a draft cannot be paid
      const unpaid = yield* post(`/fund/rounds/${id}/pay`, tokens.treasurer)
      expect(unpaid.status).toBe(409)
      expect(unpaid.json.code).toBe("InvalidTransition")

      // periods and time zones
      expect(
        (yield* get("/fund/report?from=2026-09-01T00:00:00Z&to=2026-08-01T00:00:00Z", tokens.resident)).json
      ).toMatchObject({ code: "InvalidInput", status: 400 })
      expect((yield* get("/fund/report?from=yesterday&to=2026-08-01T00:00:00Z", tokens.resident)).status).toBe(400)
      expect((yield* get(`/fund/report.html?${periodQuery()}&timeZone=Mars/Base`, tokens.resident)).status).toBe(400)
      expect((yield* get("/fund/rounds?status=dreaming", tokens.staff)).status).toBe(400)
      expect((yield* raw("/fund/settings")).status).toBe(401)
    })
  )

  it.effect("a POST with Idempotency-Key replays its answer without running again", () =>
    Effect.gen(function* () {
      // a product: 201 with Location, the same again
      const body = { sku: "FAN-02", name: "吉祥物扇子", unitPrice: 600 }
      const first = yield* post("/fund/products", tokens.treasurer, body, "fan-2")
      expect(first.status, first.text).toBe(201)
      expect(first.headers.get("idempotent-replayed")).toBeNull()
      const second = yield* post("/fund/products", tokens.treasurer, body, "fan-2")
      expect(second.status).toBe(201)
      expect(second.headers.get("idempotent-replayed")).toBe("true")
      expect(second.headers.get("location")).toBe(first.headers.get("location"))
      expect(second.json).toEqual(first.json)
      // without the key, the same SKU is a second product: 409
      expect((yield* post("/fund/products", tokens.treasurer, body)).status).toBe(409)
      // the same key with another body is refused
      expect((yield* post("/fund/products", tokens.treasurer, { ...body, unitPrice: 700 }, "fan-2")).status).toBe(422)

      // a sub-fund
      const subFund = { code: "elderly-meals", name: "长者助餐", purpose: "长者食堂补贴 / meals for the elderly" }
      const created = yield* post("/fund/sub-funds", tokens.treasurer, subFund, "meals")
      expect(created.status, created.text).toBe(201)
      expect(created.headers.get("location")).toBe("/fund/sub-funds/elderly-meals")
      const replayed = yield* post("/fund/sub-funds", tokens.treasurer, subFund, "meals")
      expect(replayed.headers.get("idempotent-replayed")).toBe("true")
      expect(replayed.json).toEqual(created.json)
      expect((yield* get("/fund/sub-funds", tokens.approverA)).json).toMatchObject({
        items: [{ code: "elderly-meals" }]
      })

      // an entry, remembered by its key and re-read from the list
      const earmark = { id: uuid(0xf1), kind: "donation", amount: 3_000, subFund: "elderly-meals", note: "定向捐赠" }
      const recorded = yield* post("/fund/entries", tokens.treasurer, earmark, "gift-1")
      expect(recorded.status, recorded.text).toBe(200)
      const again = yield* post("/fund/entries", tokens.treasurer, earmark, "gift-1")
      expect(again.status).toBe(200)
      expect(again.headers.get("idempotent-replayed")).toBe("true")
      expect(again.json).toEqual(recorded.json)

      // a round's command, and a resident's objection (re-read as the resident, who may not read the round)
      const drafted = yield* post(
        "/fund/rounds",
        tokens.treasurer,
        {
          title: "助餐补贴",
          purpose: "长者助餐 / meals",
          pool: 1_000,
          subFund: "elderly-meals",
          candidates: [{ key: "canteen", kind: "project", label: "长者食堂", request: 1_000, weight: 1 }]
        },
        "draft-meals"
      )
      expect(drafted.status, drafted.text).toBe(201)
      const id = drafted.json.id as string
      const redrafted = yield* post(
        "/fund/rounds",
        tokens.treasurer,
        {
          title: "助餐补贴",
          purpose: "长者助餐 / meals",
          pool: 1_000,
          subFund: "elderly-meals",
          candidates: [{ key: "canteen", kind: "project", label: "长者食堂", request: 1_000, weight: 1 }]
        },
        "draft-meals"
      )
      expect(redrafted.headers.get("idempotent-replayed")).toBe("true")
      expect(redrafted.headers.get("location")).toBe(`/fund/rounds/${id}`)
      expect(redrafted.json.id).toBe(id)

      const submitted = yield* post(`/fund/rounds/${id}/submit`, tokens.treasurer, undefined, "submit-meals")
      expect(submitted.status, submitted.text).toBe(200)
      const resubmitted = yield* post(`/fund/rounds/${id}/submit`, tokens.treasurer, undefined, "submit-meals")
      expect(resubmitted.status).toBe(200)
      expect(resubmitted.headers.get("idempotent-replayed")).toBe("true")
      expect(resubmitted.json).toEqual(submitted.json)
      // without the key, a second submit is refused
      expect((yield* post(`/fund/rounds/${id}/submit`, tokens.treasurer)).status).toBe(409)

      expect((yield* post(`/fund/rounds/${id}/notice`, tokens.treasurer)).status).toBe(200)
      const objection = { text: "请公开食堂账目 / please publish the canteen's accounts" }
      const objected = yield* post(`/fund/rounds/${id}/objections`, tokens.resident, objection, "obj-1")
      expect(objected.status, objected.text).toBe(200)
      const reobjected = yield* post(`/fund/rounds/${id}/objections`, tokens.resident, objection, "obj-1")
      expect(reobjected.status).toBe(200)
      expect(reobjected.headers.get("idempotent-replayed")).toBe("true")
      expect(reobjected.json).toEqual(objected.json)
      const round = yield* get(`/fund/rounds/${id}`, tokens.staff)
      expect((round.json as unknown as RoundJson).objections).toHaveLength(1)
      // the resident may not read the round in full
      expect((yield* get(`/fund/rounds/${id}`, tokens.resident)).status).toBe(403)
    })
  )

  it.effect("cancelling an approved round or failing its payment releases its holds", () =>
    Effect.gen(function* () {
      expect(
        (yield* post("/fund/entries", tokens.treasurer, {
          id: uuid(0xc0),
          kind: "donation",
          amount: 2_000,
          note: "捐赠 / donation"
        })).status
      ).toBe(200)
      /** A round of one project for `amount`, through notice and two approvals. */
      const approvedRound = (title: string, amount: number) =>
        Effect.gen(function* () {
          const drafted = yield* post("/fund/rounds", tokens.treasurer, {
            title,
            purpose: "测试 / test",
            pool: amount,
            candidates: [{ key: "p1", kind: "project", label: "图书角", request: amount, weight: 1 }]
          })
          expect(drafted.status, drafted.text).toBe(201)
          const id = drafted.json.id as string
          expect((yield* post(`/fund/rounds/${id}/submit`, tokens.treasurer)).status).toBe(200)
          expect((yield* post(`/fund/rounds/${id}/notice`, tokens.treasurer)).status).toBe(200)
          return id
        })
      const signOff = (id: string) =>
        Effect.gen(function* () {
          for (const token of [tokens.approverA, tokens.approverB]) {
            const signed = yield* post(`/fund/rounds/${id}/sign-offs`, token, { decision: "approve", note: "同意" })
            expect(signed.status, signed.text).toBe(200)
          }
        })
      // one day of notice, two approvers (as the first test sets them; this test may run alone)
      const rules = yield* get("/fund/settings", tokens.treasurer)
      if (rules.json.noticeDays !== 1) {
        const set = yield* raw("/fund/settings", {
          method: "PUT",
          token: tokens.treasurer,
          body: { noticeDays: 1, signOff: [{ fromFen: 0, approvals: 2 }], expectedVersion: rules.json.version }
        })
        expect(set.status, set.text).toBe(200)
      }
      const toCancel = yield* approvedRound("取消的分配", 500)
      const toFail = yield* approvedRound("拨付失败的分配", 700)
      yield* advance(2 * DAY)
      yield* signOff(toCancel)
      yield* signOff(toFail)

      expect((yield* post(`/fund/rounds/${toCancel}/cancel`, tokens.resident, { note: "x" })).status).toBe(403)
      expect((yield* post(`/fund/rounds/${toCancel}/cancel`, tokens.staff, { note: "" })).status).toBe(400)
      const cancelled = yield* post(`/fund/rounds/${toCancel}/cancel`, tokens.staff, {
        note: "预算调整 / budget changed"
      })
      expect(cancelled.status, cancelled.text).toBe(200)
      expect(cancelled.json).toMatchObject({ status: "cancelled", closingNote: "预算调整 / budget changed" })
      expect((cancelled.json as unknown as RoundJson).holds.map((h) => h.status)).toEqual(["voided"])

      // failing needs a scheduled payment
      expect((yield* post(`/fund/rounds/${toFail}/fail`, tokens.treasurer, { note: "账户有误" })).status).toBe(409)
      const at = Date.now() + shift.ms + DAY
      expect((yield* post(`/fund/rounds/${toFail}/schedule`, tokens.treasurer, { at })).status).toBe(200)
      expect((yield* post(`/fund/rounds/${toFail}/schedule`, tokens.treasurer, { at: "tomorrow" })).status).toBe(400)
      const failed = yield* post(`/fund/rounds/${toFail}/fail`, tokens.treasurer, {
        note: "收款账户有误 / wrong account"
      })
      expect(failed.status, failed.text).toBe(200)
      expect(failed.json).toMatchObject({ status: "failed" })
      expect((failed.json as unknown as RoundJson).holds.map((h) => h.status)).toEqual(["voided"])

      // nothing stays committed, and the books still reconcile
      const statement = yield* get(`/fund/statement?${periodQuery()}`, tokens.treasurer)
      expect(statement.json).toMatchObject({ total: { committed: 0 }, reconciliation: { ok: true } })
    })
  )
})

// ---------------------------------------------------------------------------------------------
// the OpenAPI document

describe("the fund in the OpenAPI document", () => {
  test("lists every fund path, the documents as text/html and text/csv, and warns of nothing", () => {
    const warn = vi.spyOn(console, "warn")
    const error = vi.spyOn(console, "error")
    const spec = OpenApi.fromApi(CommonwealApi) as unknown as {
      readonly paths: Record<
        string,
        Record<
          string,
          {
            readonly summary?: string
            readonly description?: string
            readonly parameters: ReadonlyArray<{ readonly name: string; readonly in: string }>
            readonly responses: Record<string, { readonly content?: Record<string, unknown> }>
          }
        >
      >
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
    warn.mockRestore()
    error.mockRestore()

    const expected = [
      ["/fund/settings", "get"],
      ["/fund/settings", "put"],
      ["/fund/products", "get"],
      ["/fund/products", "post"],
      ["/fund/products/{id}", "get"],
      ["/fund/products/{id}", "patch"],
      ["/fund/sub-funds", "get"],
      ["/fund/sub-funds", "post"],
      ["/fund/sub-funds/{code}", "get"],
      ["/fund/entries", "get"],
      ["/fund/entries", "post"],
      ["/fund/rounds", "get"],
      ["/fund/rounds", "post"],
      ["/fund/rounds/{id}", "get"],
      ["/fund/rounds/{id}", "patch"],
      ["/fund/rounds/{id}/submit", "post"],
      ["/fund/rounds/{id}/notice", "post"],
      ["/fund/rounds/{id}/objections", "post"],
      ["/fund/rounds/{id}/objections/{objectionId}/answer", "post"],
      ["/fund/rounds/{id}/sign-offs", "post"],
      ["/fund/rounds/{id}/schedule", "post"],
      ["/fund/rounds/{id}/pay", "post"],
      ["/fund/rounds/{id}/fail", "post"],
      ["/fund/rounds/{id}/cancel", "post"],
      ["/fund/rounds/{id}/public", "get"],
      ["/fund/my-applications", "get"],
      ["/fund/statement", "get"],
      ["/fund/statement.csv", "get"],
      ["/fund/report", "get"],
      ["/fund/report.html", "get"],
      ["/fund/report.csv", "get"]
    ] as const
    for (const [path, method] of expected) {
      const operation = spec.paths[path]?.[method]
      expect(operation, `${method} ${path}`).toBeDefined()
      // every operation is summarised and described in both languages
      expect(operation?.summary, `${method} ${path}`).toEqual(expect.any(String))
      expect(operation?.description, `${method} ${path}`).toMatch(/ \/ .*[\u4e00-\u9fff]/u)
    }
    const fundPaths = Object.entries(spec.paths).filter(([path]) => path.startsWith("/fund"))
    expect(fundPaths.flatMap(([, ops]) => Object.keys(ops))).toHaveLength(expected.length)
    expect(Object.keys(FundGroup.endpoints)).toHaveLength(expected.length)

    const content = (path: string) => Object.keys(spec.paths[path]?.get?.responses["200"]?.content ?? {})
    expect(content("/fund/report.html")).toEqual(["text/html"])
    expect(content("/fund/report.csv")).toEqual(["text/csv"])
    expect(content("/fund/statement.csv")).toEqual(["text/csv"])
    expect(content("/fund/report")).toEqual(["application/json"])

    // money moves answer 409 InsufficientFunds; reads list no 409
    const record = JSON.stringify(spec.paths["/fund/entries"]?.post?.responses)
    expect(record).toContain("InsufficientFundsProblem")
    expect(record).toContain("ConflictProblem")
    expect(Object.keys(spec.paths["/fund/report"]?.get?.responses ?? {})).not.toContain("409")
    // the period is in the query string: ISO 8601 date-times, described; limit is an integer with its range
    const statementParameters = spec.paths["/fund/statement"]?.get?.parameters ?? []
    for (const name of ["from", "to"]) {
      expect(statementParameters.find((p) => p.in === "query" && p.name === name)).toMatchObject({
        schema: { type: "string", format: "date-time" },
        description: expect.stringMatching(/ISO 8601.*current calendar month/u)
      })
    }
    for (const [path, ops] of fundPaths) {
      for (const [method, op] of Object.entries(ops)) {
        for (const parameter of op.parameters.filter((p) => p.in === "query")) {
          expect((parameter as { description?: string }).description, `${method} ${path} ${parameter.name}`).toEqual(
            expect.any(String)
          )
        }
      }
    }
    expect(
      spec.paths["/fund/rounds"]?.get?.parameters.find((p) => p.name === "limit") as unknown as { schema: object }
    ).toMatchObject({ schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } })

    // no free-text string of a fund request body goes without maxLength
    const schemas = (spec as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas
    const unbounded: Array<string> = []
    const walk = (node: unknown, at: string): void => {
      if (typeof node !== "object" || node === null) return
      const n = node as Record<string, unknown>
      if (n.type === "string" && n.enum === undefined && n.pattern === undefined && n.maxLength === undefined)
        unbounded.push(at)
      for (const [key, value] of Object.entries(n)) walk(value, `${at}/${key}`)
    }
    const bodies = [
      "UpdateFundSettingsInput",
      "AddFundProductInput",
      "UpdateFundProductInput",
      "AddSubFundInput",
      "RecordFundEntryInput",
      "DraftRoundInput",
      "ReviseRoundInput",
      "FundObjectionText",
      "FundSignOffInput",
      "FundScheduleInput",
      "FundClosingNote"
    ]
    for (const name of bodies) {
      expect(schemas[name], name).toBeDefined()
      walk(schemas[name], name)
    }
    expect(unbounded).toEqual([])
    expect(schemas.RecordFundEntryInput).toMatchObject({ properties: { note: { minLength: 1, maxLength: 140 } } })
  })
})
