import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import fc from "fast-check"
import type { ChartKey } from "../../src/fund/FundAccounts.js"
import * as FundAccounts from "../../src/fund/FundAccounts.js"
import * as Statement from "../../src/fund/Statement.js"
import type {
  EntryKind,
  FundEntry,
  LedgerAccountId,
  LedgerState,
  Product,
  Transfer,
  TransferRequest
} from "../../src/index.js"
import { FundCodes, LedgerRules, ProductId, TransferId } from "../../src/index.js"
import { junxin } from "../ledger/fixtures.js"

// Junxin community's fund: the general fund and one earmarked sub-fund for the migrant elderly's
// meals (长者助餐), fed by Candy Commune (糖果公社) selling mascot goods. Amounts in fen.

const MEALS = "elderly-meals"
const acct = (key: ChartKey): LedgerAccountId => FundAccounts.accountId(junxin, key)
const general = acct("fund:cash")
const meals = FundAccounts.subFundCashId(junxin, MEALS)
const candyCash = acct("enterprise:cash")
const poolCash = (pool: string | null) => FundAccounts.poolCashId(junxin, pool)

const opened: LedgerState = [
  ...(Object.keys(FundAccounts.chart) as Array<ChartKey>).map((k) => FundAccounts.openInput(junxin, k)),
  FundAccounts.subFundOpenInput(junxin, MEALS)
].reduce(
  (s, input) => Result.getOrThrow(LedgerRules.openAccount(s, input, DateTime.makeUnsafe("2026-06-01T00:00:00Z"))).state,
  LedgerRules.empty
)

const umbrella: Product = {
  id: ProductId.make("0190f0a2-0000-7000-8000-000000000001"),
  communityId: junxin,
  sku: "UMB-01",
  name: "幸运君折叠伞",
  unitPrice: 2_500,
  active: true,
  version: 1,
  createdAt: 0
}
const fan: Product = {
  ...umbrella,
  id: ProductId.make("0190f0a2-0000-7000-8000-000000000002"),
  sku: "FAN-01",
  name: "幸运君扇子",
  unitPrice: 800
}
const products = [umbrella, fan]

const tid = (n: number) => TransferId.make(`0190f0a3-0000-7000-8000-${String(n).padStart(12, "0")}`)

/** A ledger request and, for a money movement, the fund's entry that records it. */
interface Move {
  readonly request: TransferRequest
  readonly entry: FundEntry | null
}

const entryOf = (
  n: number,
  kind: EntryKind,
  amount: number,
  extra: Partial<Pick<FundEntry, "productId" | "quantity" | "subFund" | "counterparty">> = {}
): FundEntry => ({
  id: tid(n),
  communityId: junxin,
  kind,
  amount,
  productId: null,
  quantity: null,
  subFund: null,
  counterparty: null,
  note: kind,
  occurredAt: 0,
  recordedBy: "treasurer",
  ...extra
})

const posted = (n: number, debit: LedgerAccountId, credit: LedgerAccountId, amount: number, code: number) =>
  ({
    _tag: "Posted",
    id: tid(n),
    debitAccountId: debit,
    creditAccountId: credit,
    amount,
    unit: "CNY",
    code,
    reason: `transfer ${n}`
  }) as const

const move = {
  sale: (n: number, product: Product, quantity: number): Move => ({
    request: posted(n, candyCash, acct("enterprise:sales"), product.unitPrice * quantity, FundCodes.sale),
    entry: entryOf(n, "sale", product.unitPrice * quantity, { productId: product.id, quantity })
  }),
  designFee: (n: number, amount: number): Move => ({
    request: posted(n, acct("enterprise:costs:design"), candyCash, amount, FundCodes.design_fee),
    entry: entryOf(n, "design_fee", amount, { counterparty: "儿童设计师" })
  }),
  production: (n: number, amount: number): Move => ({
    request: posted(n, acct("enterprise:costs:production"), candyCash, amount, FundCodes.production_cost),
    entry: entryOf(n, "production_cost", amount, { counterparty: "印刷厂" })
  }),
  proceeds: (n: number, amount: number, pool: string | null = null): Move => ({
    request: posted(n, poolCash(pool), candyCash, amount, FundCodes.proceeds),
    entry: entryOf(n, "proceeds", amount, { subFund: pool })
  }),
  donation: (n: number, amount: number, pool: string | null = null): Move => ({
    request: posted(n, poolCash(pool), acct("fund:income:donations"), amount, FundCodes.donation),
    entry: entryOf(n, "donation", amount, { subFund: pool, counterparty: "宁波银行高桥支行" })
  }),
  otherIncome: (n: number, amount: number, pool: string | null = null): Move => ({
    request: posted(n, poolCash(pool), acct("fund:income:other"), amount, FundCodes.other_income),
    entry: entryOf(n, "other_income", amount, { subFund: pool })
  }),
  cost: (n: number, amount: number, pool: string | null = null): Move => ({
    request: posted(n, acct("fund:costs"), poolCash(pool), amount, FundCodes.cost),
    entry: entryOf(n, "cost", amount, { subFund: pool })
  }),
  earmark: (n: number, amount: number, code: string): Move => ({
    request: posted(n, FundAccounts.subFundCashId(junxin, code), general, amount, FundCodes.earmark),
    entry: entryOf(n, "earmark", amount, { subFund: code })
  }),
  hold: (n: number, amount: number, pool: string | null = null): Move => ({
    request: {
      _tag: "Pending",
      id: tid(n),
      debitAccountId: acct("fund:grants"),
      creditAccountId: poolCash(pool),
      amount,
      unit: "CNY",
      code: FundCodes.grant,
      reason: `hold ${n}`,
      timeoutSeconds: 0
    },
    entry: null
  }),
  post: (n: number, pending: number, amount?: number): Move => ({
    request: {
      _tag: "PostPending",
      id: tid(n),
      pendingId: tid(pending),
      ...(amount === undefined ? {} : { amount }),
      reason: `pay ${pending}`
    },
    entry: null
  }),
  void: (n: number, pending: number): Move => ({
    request: { _tag: "VoidPending", id: tid(n), pendingId: tid(pending), reason: `void ${pending}` },
    entry: null
  }),
  reverse: (n: number, original: number): Move => ({
    request: { _tag: "Reverse", id: tid(n), reverses: tid(original), reason: `correct ${original}` },
    entry: null
  })
}

/** Applies the moves in one batch at `at` (throwing on a refusal: fixtures only). */
const apply = (state: LedgerState, at: number, moves: ReadonlyArray<Move>): LedgerState =>
  Result.getOrThrow(
    LedgerRules.applyBatch(
      state,
      { communityId: junxin, requests: moves.map((m) => m.request) },
      DateTime.makeUnsafe(at)
    )
  ).state

const cashAccounts = (pools: ReadonlyArray<LedgerAccountId>) => new Set<string>([...pools, candyCash])

/** The transfers a store gives the statement: those moving a pool's or the enterprise's cash, in chain order. */
const transfersOf = (state: LedgerState, pools: ReadonlyArray<LedgerAccountId> = [general, meals]): Array<Transfer> => {
  const cash = cashAccounts(pools)
  return [...state.transfers.values()]
    .filter((t) => cash.has(t.debitAccountId) || cash.has(t.creditAccountId))
    .sort((a, b) => a.sequence - b.sequence)
}

const poolsInput = [
  { pool: "general", name: "公益基金", accountId: general },
  { pool: MEALS, name: "长者助餐专项基金", accountId: meals }
]

const shanghai = (iso: string) => DateTime.toEpochMillis(DateTime.makeUnsafe(`${iso}+08:00`))
/** August 2026 in Shanghai. */
const FROM = shanghai("2026-08-01T00:00:00")
const TO = shanghai("2026-09-01T00:00:00")

/** The history: July (before), August (the period), September (after). */
const timeline: ReadonlyArray<readonly [at: number, moves: ReadonlyArray<Move>]> = [
  // July: a donation, a sale, and a grant approved (held) but not yet paid
  [shanghai("2026-07-20T10:00:00"), [move.donation(1, 50_000), move.sale(2, umbrella, 4), move.hold(3, 20_000)]],
  // the first millisecond of August: ¥1 in the donation box
  [FROM, [move.donation(10, 100)]],
  [shanghai("2026-08-05T10:00:00"), [move.sale(11, umbrella, 10), move.sale(12, fan, 20)]],
  [shanghai("2026-08-06T10:00:00"), [move.designFee(13, 5_000), move.production(14, 20_000)]],
  [shanghai("2026-08-10T10:00:00"), [move.proceeds(15, 16_000)]],
  [shanghai("2026-08-12T10:00:00"), [move.donation(16, 125_000), move.donation(17, 3_000), move.otherIncome(18, 800)]],
  // the 30.00 donation was recorded twice by mistake: reversed
  [shanghai("2026-08-15T10:00:00"), [move.reverse(19, 17)]],
  [shanghai("2026-08-16T10:00:00"), [move.earmark(20, 30_000, MEALS)]],
  [shanghai("2026-08-18T10:00:00"), [move.cost(21, 1_200)]],
  // July's grant is paid; a meals grant is held and later voided; two more are held at month end
  [shanghai("2026-08-20T10:00:00"), [move.post(22, 3), move.hold(23, 8_000, MEALS)]],
  [shanghai("2026-08-25T10:00:00"), [move.void(24, 23)]],
  [shanghai("2026-08-26T10:00:00"), [move.hold(25, 5_000), move.hold(26, 6_000, MEALS)]],
  // the last millisecond of August
  [TO - 1, [move.otherIncome(27, 1, MEALS)]],
  // September: the first millisecond, and later
  [TO, [move.donation(30, 999)]],
  [shanghai("2026-09-03T10:00:00"), [move.donation(31, 9_999), move.post(32, 25), move.sale(33, fan, 5)]]
]

const ledger = timeline.reduce((s, [at, moves]) => apply(s, at, moves), opened)
const entries = timeline.flatMap(([, moves]) => moves.flatMap((m) => (m.entry === null ? [] : [m.entry])))

const input = (patch: Partial<Statement.StatementInput> = {}): Statement.StatementInput => ({
  communityId: junxin,
  from: FROM,
  to: TO,
  pools: poolsInput,
  enterpriseCash: candyCash,
  transfers: transfersOf(ledger),
  entries,
  products,
  ...patch
})

const runRaw = (i: Statement.StatementInput) => Result.getOrThrow(Statement.statement(i))
/**
 * The statement with every `-0` made `0` (a JSON round trip: every field is plain data).
 * `statement` writes an outflow with no movement (`costs`, `allocations`, `designFees` …) as `-0`
 * today, which `toEqual` tells from `0`; the test "writes no -0" below shows it.
 */
const run = (i: Statement.StatementInput): Statement.FundStatement => JSON.parse(JSON.stringify(runRaw(i)))

const movements = (p: Omit<Statement.PoolStatement, "pool" | "name" | "accountId">) =>
  p.proceeds + p.donations + p.otherIncome + p.earmarked - p.costs - p.allocations + p.other

describe("statement of August 2026 (Junxin community fund)", () => {
  const s = run(input())
  const [g, m] = s.pools

  it("gives the general fund's figures, each from its own transfers, with the reversed donation netted", () => {
    expect(g).toEqual({
      pool: "general",
      name: "公益基金",
      accountId: general,
      opening: 50_000,
      proceeds: 16_000,
      // 1.00 on the first millisecond + 1,250.00 + 30.00 − 30.00 reversed; not September's
      donations: 125_100,
      otherIncome: 800,
      earmarked: -30_000,
      costs: 1_200,
      // July's hold paid in August
      allocations: 20_000,
      other: 0,
      closing: 140_700,
      committed: 5_000,
      available: 135_700
    })
    expect(g!.opening + movements(g!)).toBe(g!.closing)
  })

  it("gives the sub-fund's figures: earmarked money in, a voided hold counting for nothing, an open hold committed", () => {
    expect(m).toEqual({
      pool: MEALS,
      name: "长者助餐专项基金",
      accountId: meals,
      opening: 0,
      proceeds: 0,
      donations: 0,
      // the last millisecond of the period counts
      otherIncome: 1,
      earmarked: 30_000,
      costs: 0,
      allocations: 0,
      other: 0,
      closing: 30_001,
      committed: 6_000,
      available: 24_001
    })
    expect(m!.opening + movements(m!)).toBe(m!.closing)
  })

  it("sums the pools, the earmark cancelling out", () => {
    expect(s.total).toEqual({
      opening: 50_000,
      proceeds: 16_000,
      donations: 125_100,
      otherIncome: 801,
      earmarked: 0,
      costs: 1_200,
      allocations: 20_000,
      other: 0,
      closing: 170_701,
      committed: 11_000,
      available: 159_701
    })
    expect(s.total.opening + movements(s.total)).toBe(s.total.closing)
  })

  it("gives Candy Commune's sales, costs and proceeds, and its sales by product of the period only", () => {
    expect(s.enterprise).toEqual({
      opening: 10_000,
      sales: 41_000,
      designFees: 5_000,
      productionCosts: 20_000,
      proceedsToFund: 16_000,
      other: 0,
      closing: 10_000,
      byProduct: [
        { productId: fan.id, sku: "FAN-01", name: "幸运君扇子", quantity: 20, amount: 16_000 },
        { productId: umbrella.id, sku: "UMB-01", name: "幸运君折叠伞", quantity: 10, amount: 25_000 }
      ]
    })
    const e = s.enterprise
    expect(e.opening + e.sales - e.designFees - e.productionCosts - e.proceedsToFund + e.other).toBe(e.closing)
  })

  it("reconciles: every check holds, and the closing balances are the ledger accounts' own at the period's end", () => {
    expect(s.reconciliation.ok).toBe(true)
    expect(s.reconciliation.checks.map((c) => [c.check.split(" / ")[0], c.ok, c.expected, c.actual])).toEqual([
      ["pool general: opening + movements = closing", true, 140_700, 140_700],
      [`pool ${MEALS}: opening + movements = closing`, true, 30_001, 30_001],
      ["enterprise cash: opening + movements = closing", true, 10_000, 10_000],
      // every entry-coded transfer of August except the reversal: 1.00 + 250.00 + 160.00 + 50.00 + 200.00
      // + 160.00 + 1,250.00 + 30.00 + 8.00 + 300.00 + 12.00 + 0.01
      ["money entries = the ledger's fund transfers of the period", true, 242_101, 242_101]
    ])
    // the ledger as it stood at the end of August: the accounts' totals of a ledger cut there
    const august = timeline.filter(([at]) => at < TO).reduce((st, [at, moves]) => apply(st, at, moves), opened)
    const account = (id: LedgerAccountId) => august.accounts.get(id)!
    expect(LedgerRules.balanceOf(account(general))).toBe(g!.closing)
    expect(account(general).creditsPending).toBe(g!.committed)
    expect(LedgerRules.availableOf(account(meals))).toBe(m!.available)
    expect(LedgerRules.balanceOf(account(candyCash))).toBe(s.enterprise.closing)
  })

  it("fails the entries check, by the missing amount, when a money entry is missing", () => {
    const r = run(input({ entries: entries.filter((e) => e.id !== tid(16)) }))
    expect(r.reconciliation.ok).toBe(false)
    const failed = r.reconciliation.checks.filter((c) => !c.ok)
    expect(failed.map((c) => c.check)).toEqual([
      "money entries = the ledger's fund transfers of the period / 收支记录与账本转账一致"
    ])
    expect(failed[0]!.expected - failed[0]!.actual).toBe(125_000)
    // the figures themselves still come from the ledger
    expect(r.pools[0]!.donations).toBe(125_100)
  })

  it("fails the entries check when an entry has another amount than its transfer", () => {
    const r = run(input({ entries: entries.map((e) => (e.id === tid(16) ? { ...e, amount: 12_500 } : e)) }))
    expect(r.reconciliation.ok).toBe(false)
    const failed = r.reconciliation.checks.filter((c) => !c.ok)
    expect(failed.map((c) => c.check.split(" / ")[0])).toEqual([
      "money entries = the ledger's fund transfers of the period"
    ])
    expect(failed[0]).toMatchObject({ expected: 242_101, actual: 242_101 - 112_500 })
  })

  it("fails the entries check even when two wrong amounts cancel out", () => {
    const r = run(
      input({
        entries: entries.map((e) =>
          e.id === tid(16) ? { ...e, amount: 125_100 } : e.id === tid(18) ? { ...e, amount: 700 } : e
        )
      })
    )
    const check = r.reconciliation.checks.find((c) => c.check.startsWith("money entries"))!
    expect(check).toMatchObject({ expected: 242_101, actual: 242_101, ok: false })
    expect(r.reconciliation.ok).toBe(false)
  })

  it("fails the entries check when an entry's transfer is missing from the ledger, or an entry names no transfer", () => {
    const lost = run(input({ transfers: transfersOf(ledger).filter((t) => t.id !== tid(16)) }))
    expect(lost.reconciliation.ok).toBe(false)
    expect(lost.reconciliation.checks.filter((c) => !c.ok).map((c) => c.check.split(" / ")[0])).toEqual([
      "money entries = the ledger's fund transfers of the period"
    ])
    const stray = run(input({ entries: [...entries, entryOf(99, "donation", 500)] }))
    expect(stray.reconciliation.ok).toBe(false)
  })

  it("counts a transfer at `from` in the period and one at `to` in the next", () => {
    const september = run(input({ from: TO, to: shanghai("2026-10-01T00:00:00") }))
    expect(september.pools[0]).toMatchObject({
      opening: 140_700,
      donations: 999 + 9_999,
      allocations: 5_000,
      closing: 140_700 + 999 + 9_999 - 5_000,
      committed: 0
    })
    expect(september.enterprise).toMatchObject({ opening: 10_000, sales: 4_000, closing: 14_000 })
    expect(september.enterprise.byProduct).toEqual([
      { productId: fan.id, sku: "FAN-01", name: "幸运君扇子", quantity: 5, amount: 4_000 }
    ])
    expect(september.reconciliation.ok).toBe(true)
  })

  it("gives an empty period its balances and no movements", () => {
    const at = shanghai("2026-08-17T00:00:00")
    const r = run(input({ from: at, to: at }))
    expect(r.pools[0]).toMatchObject({ opening: 161_900, closing: 161_900, donations: 0, committed: 20_000 })
    expect(movements(r.total)).toBe(0)
    expect(r.reconciliation.ok).toBe(true)
  })

  it("shows a reversed donation of an earlier period as a negative donation of the period that reverses it", () => {
    const corrected = apply(ledger, shanghai("2026-10-08T10:00:00"), [move.reverse(40, 16)])
    const october = run(
      input({
        from: shanghai("2026-10-01T00:00:00"),
        to: shanghai("2026-11-01T00:00:00"),
        transfers: transfersOf(corrected)
      })
    )
    expect(october.pools[0]).toMatchObject({
      opening: 146_698,
      donations: -125_000,
      costs: 0,
      closing: 146_698 - 125_000
    })
    expect(october.reconciliation.ok).toBe(true)
  })

  // Statement.ts lists sales by product from the sale entries whose transfer falls in the period,
  // and never looks at reversals: a sale reversed in the period still shows in `byProduct`.
  it("nets a reversed sale out of the sales by product", () => {
    const sold = apply(ledger, shanghai("2026-10-05T10:00:00"), [move.sale(42, fan, 3)])
    const corrected = apply(sold, shanghai("2026-10-06T10:00:00"), [move.reverse(43, 42)])
    const october = run(
      input({
        from: shanghai("2026-10-01T00:00:00"),
        to: shanghai("2026-11-01T00:00:00"),
        transfers: transfersOf(corrected),
        entries: [...entries, move.sale(42, fan, 3).entry!]
      })
    )
    expect(october.enterprise.sales).toBe(0)
    expect(october.reconciliation.ok).toBe(true)
    // today: [{ sku: "FAN-01", quantity: 3, amount: 2_400 }] beside sales of 0
    expect(october.enterprise.byProduct.reduce((x, p) => x + p.amount, 0)).toBe(october.enterprise.sales)
  })

  // Statement.ts negates the net of an outflow code (`-take(FundCodes.cost)`), which is -0 when
  // nothing moved; JSON shows 0, but `Object.is`, `toEqual` and `Intl.NumberFormat` ("-¥0.00") do not.
  it("writes no -0 for an outflow that did not happen", () => {
    const r = runRaw(input())
    expect(r.pools[1]!.costs).toBe(0)
    expect(r.pools[1]!.allocations).toBe(0)
  })

  // Statement.ts computes the opening balance at `Math.max(from - 1, 0)`: with `from = 0` a
  // transfer at the epoch's first millisecond counts in both the opening and the movements.
  it("counts a transfer at from = 0 once", () => {
    const state = apply(opened, 0, [move.donation(50, 700)])
    const r = run(
      input({ from: 0, to: 1_000, transfers: transfersOf(state), entries: [move.donation(50, 700).entry!] })
    )
    expect(r.pools[0]).toMatchObject({ opening: 0, donations: 700, closing: 700 })
    expect(r.reconciliation.ok).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------
// property: random histories of valid fund movements, random periods

const pools: ReadonlyArray<string | null> = [null, MEALS, "school-kids"]
const propertyState = FundAccounts.subFundOpenInput(junxin, "school-kids")
const propertyOpened = Result.getOrThrow(
  LedgerRules.openAccount(opened, propertyState, DateTime.makeUnsafe("2026-06-01T00:00:00Z"))
).state

type Op =
  | { readonly t: "sale"; readonly product: number; readonly quantity: number }
  | { readonly t: "designFee" | "production"; readonly amount: number }
  | {
      readonly t: "proceeds" | "donation" | "otherIncome" | "cost" | "hold"
      readonly pool: number
      readonly amount: number
    }
  | { readonly t: "earmark"; readonly pool: number; readonly amount: number }
  | { readonly t: "post"; readonly pick: number; readonly part: number | null }
  | { readonly t: "void" | "reverse"; readonly pick: number }

const amount = fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 200_000 }))
/** Money out is drawn smaller than money in, so that most movements find the money they need. */
const smaller = fc.oneof(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 30_000 }))
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("sale" as const),
      product: fc.nat(1),
      quantity: fc.integer({ min: 1, max: 30 })
    })
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constantFrom("designFee" as const, "production" as const), amount: smaller })
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constantFrom("proceeds" as const, "donation" as const, "otherIncome" as const),
      pool: fc.nat(2),
      amount
    })
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constantFrom("cost" as const, "hold" as const, "hold" as const),
      pool: fc.nat(2),
      amount: smaller
    })
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant("earmark" as const), pool: fc.integer({ min: 1, max: 2 }), amount: smaller })
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("post" as const),
      pick: fc.nat(),
      part: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null })
    })
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom("void" as const, "reverse" as const), pick: fc.nat() }) }
)
/** A step: an operation, after this many milliseconds (0: the same instant as the step before). */
const step = fc.record({
  op,
  after: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 86_400_000 }))
})

/** A figure a step moved, for the independent model: which account, which column, how much, when. */
interface Fact {
  readonly at: number
  readonly account: string
  readonly column: string
  readonly amount: number
}

const START = shanghai("2026-08-01T09:00:00")

/** Every history starts with money in each pool and in Candy Commune's till, so that most movements can happen. */
const seed: ReadonlyArray<{ readonly op: Op; readonly after: number }> = [
  { op: { t: "donation", pool: 0, amount: 100_000 }, after: 0 },
  { op: { t: "donation", pool: 1, amount: 40_000 }, after: 1 },
  { op: { t: "donation", pool: 2, amount: 40_000 }, after: 0 },
  { op: { t: "sale", product: 0, quantity: 30 }, after: 0 }
]

/** Runs the steps through `applyBatch`, keeping those it accepts, and records what each moved. */
const simulate = (steps: ReadonlyArray<{ readonly op: Op; readonly after: number }>) => {
  let state = propertyOpened
  let at = START
  let n = 1_000
  const facts: Array<Fact> = []
  const entries: Array<FundEntry> = []
  const times: Array<number> = []
  /** Posted transfers that may be reversed, with the facts they produced. */
  const reversible: Array<{ readonly id: number; readonly facts: ReadonlyArray<Omit<Fact, "at">> }> = []
  /** Open holds: transfer number, pool cash, amount. */
  const holds: Array<{ readonly id: number; readonly cash: string; readonly amount: number }> = []
  /** Every hold: its pool cash, amount, when it was made and when it was posted or voided. */
  const holdFacts = new Map<
    number,
    { readonly cash: string; readonly amount: number; readonly from: number; until: number }
  >()
  for (const { op, after } of steps) {
    at += after
    n += 1
    let m: Move
    let produced: ReadonlyArray<Omit<Fact, "at">> = []
    let reversed: number | null = null
    let held: { readonly cash: string; readonly amount: number } | null = null
    let resolved: number | null = null
    switch (op.t) {
      case "sale": {
        const p = products[op.product]!
        m = move.sale(n, p, op.quantity)
        produced = [{ account: candyCash, column: "sales", amount: p.unitPrice * op.quantity }]
        break
      }
      case "designFee":
        m = move.designFee(n, op.amount)
        produced = [{ account: candyCash, column: "designFees", amount: op.amount }]
        break
      case "production":
        m = move.production(n, op.amount)
        produced = [{ account: candyCash, column: "productionCosts", amount: op.amount }]
        break
      case "proceeds":
        m = move.proceeds(n, op.amount, pools[op.pool]!)
        produced = [
          { account: candyCash, column: "proceedsToFund", amount: op.amount },
          { account: poolCash(pools[op.pool]!), column: "proceeds", amount: op.amount }
        ]
        break
      case "donation":
        m = move.donation(n, op.amount, pools[op.pool]!)
        produced = [{ account: poolCash(pools[op.pool]!), column: "donations", amount: op.amount }]
        break
      case "otherIncome":
        m = move.otherIncome(n, op.amount, pools[op.pool]!)
        produced = [{ account: poolCash(pools[op.pool]!), column: "otherIncome", amount: op.amount }]
        break
      case "cost":
        m = move.cost(n, op.amount, pools[op.pool]!)
        produced = [{ account: poolCash(pools[op.pool]!), column: "costs", amount: op.amount }]
        break
      case "earmark":
        m = move.earmark(n, op.amount, pools[op.pool]!)
        produced = [
          { account: general, column: "earmarked", amount: -op.amount },
          { account: poolCash(pools[op.pool]!), column: "earmarked", amount: op.amount }
        ]
        break
      case "hold":
        m = move.hold(n, op.amount, pools[op.pool]!)
        held = { cash: poolCash(pools[op.pool]!), amount: op.amount }
        break
      case "post": {
        if (holds.length === 0) continue
        const h = holds[op.pick % holds.length]!
        resolved = h.id
        // all of the hold, or a part of it (the rest is released)
        const paid = op.part === null ? h.amount : Math.max(1, Math.floor(h.amount * op.part))
        m = move.post(n, h.id, op.part === null ? undefined : paid)
        produced = [{ account: h.cash, column: "allocations", amount: paid }]
        break
      }
      case "void": {
        if (holds.length === 0) continue
        const h = holds[op.pick % holds.length]!
        resolved = h.id
        m = move.void(n, h.id)
        break
      }
      case "reverse": {
        if (reversible.length === 0) continue
        const r = reversible[op.pick % reversible.length]!
        reversed = r.id
        m = move.reverse(n, r.id)
        produced = r.facts.map((f) => ({ ...f, amount: -f.amount }))
        break
      }
    }
    const applied = LedgerRules.applyBatch(
      state,
      { communityId: junxin, requests: [m.request] },
      DateTime.makeUnsafe(at)
    )
    // a refused movement (an overdraft, a hold beyond what is available) changes nothing: drop it
    if (Result.isFailure(applied)) continue
    state = applied.success.state
    times.push(at)
    for (const f of produced) facts.push({ ...f, at })
    if (m.entry !== null) entries.push(m.entry)
    if (reversed !== null)
      reversible.splice(
        reversible.findIndex((r) => r.id === reversed),
        1
      )
    else if (produced.length > 0) reversible.push({ id: n, facts: produced })
    if (held !== null) {
      holds.push({ id: n, ...held })
      holdFacts.set(n, { ...held, from: at, until: Number.POSITIVE_INFINITY })
    }
    if (resolved !== null) {
      holds.splice(
        holds.findIndex((h) => h.id === resolved),
        1
      )
      holdFacts.get(resolved)!.until = at
    }
  }
  return { state, facts, entries, times, holdFacts, end: at }
}

describe("statement property: any valid history, any period", () => {
  it("reconciles, and every figure is the sum of what was moved in the period", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 0, maxLength: 40 }), fc.nat(), fc.nat(), (steps, i, j) => {
        const { end, entries: recorded, facts, holdFacts, state, times } = simulate([...seed, ...steps])
        // the period's ends: before anything, after everything, and each movement's instant ±1 ms
        const candidates = [START - 3_600_000, ...times.flatMap((t) => [t - 1, t, t + 1]), end + 3_600_000]
        const a = candidates[i % candidates.length]!
        const b = candidates[j % candidates.length]!
        const [from, to] = a <= b ? [a, b] : [b, a]
        const poolAccounts = pools.map(poolCash)
        const s = run({
          communityId: junxin,
          from,
          to,
          pools: pools.map((p, k) => ({ pool: p ?? "general", name: p ?? "公益基金", accountId: poolAccounts[k]! })),
          enterpriseCash: candyCash,
          transfers: transfersOf(state, poolAccounts),
          entries: recorded,
          products
        })
        expect(s.reconciliation.ok).toBe(true)
        expect(s.reconciliation.checks.every((c) => c.ok && c.expected === c.actual)).toBe(true)

        const sum = (account: string, column: string, lo: number, hi: number) =>
          facts
            .filter((f) => f.account === account && f.column === column && f.at >= lo && f.at < hi)
            .reduce((x, f) => x + f.amount, 0)
        const income = ["proceeds", "donations", "otherIncome", "earmarked"]
        const spent = ["costs", "allocations"]
        const balance = (account: string, before: number) =>
          income.reduce((x, c) => x + sum(account, c, -Infinity, before), 0) -
          spent.reduce((x, c) => x + sum(account, c, -Infinity, before), 0)
        for (const [k, p] of s.pools.entries()) {
          const cash = poolAccounts[k]!
          expect(p.opening + movements(p)).toBe(p.closing)
          expect(p.opening).toBe(balance(cash, from))
          expect(p.closing).toBe(balance(cash, to))
          for (const c of [...income, ...spent]) {
            expect(p[c as "proceeds"]).toBe(sum(cash, c, from, to))
          }
          expect(p.other).toBe(0)
          const committed = [...holdFacts.values()]
            .filter((h) => h.cash === cash && h.from < to && h.until >= to)
            .reduce((x, h) => x + h.amount, 0)
          expect(p.committed).toBe(committed)
          expect(p.available).toBe(p.closing - p.committed)
          // the pool's limit: what is held never exceeds what is there
          expect(p.available).toBeGreaterThanOrEqual(0)
        }
        const columns = ["opening", ...income, ...spent, "other", "closing", "committed", "available"] as const
        for (const c of columns) {
          expect(s.total[c as "opening"]).toBe(s.pools.reduce((x, p) => x + p[c as "opening"], 0))
        }
        expect(s.total.earmarked).toBe(0)
        expect(s.total.opening + movements(s.total)).toBe(s.total.closing)

        const e = s.enterprise
        expect(e.sales).toBe(sum(candyCash, "sales", from, to))
        expect(e.designFees).toBe(sum(candyCash, "designFees", from, to))
        expect(e.productionCosts).toBe(sum(candyCash, "productionCosts", from, to))
        expect(e.proceedsToFund).toBe(sum(candyCash, "proceedsToFund", from, to))
        expect(e.proceedsToFund).toBe(s.total.proceeds)
        expect(e.other).toBe(0)
        expect(e.opening + e.sales - e.designFees - e.productionCosts - e.proceedsToFund).toBe(e.closing)
        expect(e.closing).toBeGreaterThanOrEqual(0)

        // a period that runs past the last movement closes on the ledger's own account totals
        if (to > end) {
          for (const [k, p] of s.pools.entries()) {
            const account = state.accounts.get(poolAccounts[k]!)!
            expect(p.closing).toBe(LedgerRules.balanceOf(account))
            expect(p.committed).toBe(account.creditsPending)
          }
          expect(e.closing).toBe(LedgerRules.balanceOf(state.accounts.get(candyCash)!))
        }
      }),
      { numRuns: 150 }
    )
  })
})
