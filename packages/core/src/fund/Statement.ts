/**
 * The fund's statement for a period, computed from the ledger and reconciled to it, and the
 * public transparency report derived from it (no personal data).
 *
 * A period is `[from, to)` in UTC epoch milliseconds, placed by the time the ledger recorded each
 * transfer (an entry's `occurredAt`, the day of a sale or a receipt, is shown in entry lists but
 * does not move money between periods). For each pool (the general fund and each sub-fund) the
 * statement gives the opening balance, the movements by source, the closing balance, and what
 * approved rounds hold. Movements are netted by transfer code, so a reversal of a donation lowers
 * donations rather than counting as a cost.
 *
 * **Reconciliation.** Every figure comes from the ledger's transfers; the statement checks, and
 * reports in `reconciliation`, that (1) for each pool, opening + movements = closing, where
 * opening and closing are the ledger's balances at the period's ends (`LedgerRules.balanceAt`,
 * holds and voids included); (2) every fund transfer of the period with an entry code has its
 * money entry, with the same amount and code, and every entry's transfer exists; (3) the
 * enterprise's cash does the same as (1); (4) when the period ends after the last change of a
 * cash account, its closing balance equals the running totals the ledger stores on the account
 * (kept by the engine apart from the transfers, so a transfer missing from a store's history is
 * caught here). A statement whose `reconciliation.ok` is false names each failed
 * check and its difference in fen.
 *
 * @module
 */
import { DateTime, Result } from "effect"
import type { InvalidInput } from "../kernel/Errors.js"
import type { CommunityId } from "../kernel/Ids.js"
import type { LedgerAccount, LedgerAccountId, Transfer } from "../ledger/Ledger.js"
import * as LedgerRules from "../ledger/LedgerRules.js"
import type { AllocationRound, FundEntry, Product, SubFund } from "./Fund.js"
import { FundCodes } from "./Fund.js"

/** The movements of one pool in a period, netted by source, in fen (positive: into the pool). */
export interface PoolStatement {
  /** `general`, or a sub-fund's code. */
  readonly pool: string
  readonly name: string
  readonly accountId: LedgerAccountId
  readonly opening: number
  readonly proceeds: number
  readonly donations: number
  readonly otherIncome: number
  /** Money earmarked into this pool (negative for the general fund, which gives it). */
  readonly earmarked: number
  /** The fund's own costs (a positive number is money out). */
  readonly costs: number
  /** Allocations paid (a positive number is money out). */
  readonly allocations: number
  /** Any other movement of the pool's cash (a transfer made outside the fund's commands). */
  readonly other: number
  readonly closing: number
  /** Held for approved rounds not yet paid, at the end of the period. */
  readonly committed: number
  /** `closing - committed`: what a new round may still allocate. */
  readonly available: number
}

/** What Candy Commune sold, spent and passed on in the period. */
export interface EnterpriseStatement {
  readonly opening: number
  readonly sales: number
  readonly designFees: number
  readonly productionCosts: number
  /** Net proceeds moved to the fund's pools. */
  readonly proceedsToFund: number
  readonly other: number
  readonly closing: number
  /** Sales by product (from the sale entries of the period), by SKU. */
  readonly byProduct: ReadonlyArray<{
    readonly productId: string
    readonly sku: string
    readonly name: string
    readonly quantity: number
    readonly amount: number
  }>
}

/** One check of a reconciliation. */
export interface ReconciliationCheck {
  readonly check: string
  readonly expected: number
  readonly actual: number
  readonly ok: boolean
}

/** A fund statement for a period, reconciled to the ledger. */
export interface FundStatement {
  readonly communityId: CommunityId
  readonly from: number
  readonly to: number
  readonly pools: ReadonlyArray<PoolStatement>
  /** The pools summed (earmarks cancel out). */
  readonly total: Omit<PoolStatement, "pool" | "name" | "accountId">
  readonly enterprise: EnterpriseStatement
  readonly reconciliation: { readonly ok: boolean; readonly checks: ReadonlyArray<ReconciliationCheck> }
}

/** What {@link statement} reads: the accounts' histories and the fund's records. */
export interface StatementInput {
  readonly communityId: CommunityId
  readonly from: number
  readonly to: number
  /** The pools: the general fund's cash account, then each sub-fund's. */
  readonly pools: ReadonlyArray<{ readonly pool: string; readonly name: string; readonly accountId: LedgerAccountId }>
  readonly enterpriseCash: LedgerAccountId
  /** Every transfer (any time) that moves one of the pools' or the enterprise's cash accounts, in chain order. */
  readonly transfers: ReadonlyArray<Transfer>
  /** Every money entry of the community (any time). */
  readonly entries: ReadonlyArray<FundEntry>
  readonly products: ReadonlyArray<Product>
  /**
   * The pools' and the enterprise's cash accounts as the ledger stores them now (optional): when
   * the period ends after their last change, each closing balance is checked against the
   * account's own running totals, which the ledger keeps apart from its transfers.
   */
  readonly accounts?: ReadonlyArray<LedgerAccount>
}

const entryCodes: ReadonlySet<number> = new Set([
  FundCodes.sale,
  FundCodes.design_fee,
  FundCodes.production_cost,
  FundCodes.proceeds,
  FundCodes.donation,
  FundCodes.other_income,
  FundCodes.cost,
  FundCodes.earmark
])

/** Net posted movement into a debit-normal account in `[from, to)`, by transfer code. */
const netByCode = (
  transfers: ReadonlyArray<Transfer>,
  accountId: LedgerAccountId,
  from: number,
  to: number
): Map<number, number> => {
  const out = new Map<number, number>()
  for (const t of transfers) {
    if (t.timestamp < from || t.timestamp >= to) continue
    if (t.kind !== "posted" && t.kind !== "post_pending") continue
    const sign = t.debitAccountId === accountId ? 1 : t.creditAccountId === accountId ? -1 : 0
    if (sign !== 0) out.set(t.code, (out.get(t.code) ?? 0) + sign * t.amount)
  }
  return out
}

/** The posted balance (debits − credits) and the pending credits of an asset account at `at` (inclusive). */
const balance = (
  transfers: ReadonlyArray<Transfer>,
  accountId: LedgerAccountId,
  at: number
): Result.Result<{ posted: number; pendingOut: number }, InvalidInput> =>
  Result.map(LedgerRules.balanceAt(transfers, accountId, DateTime.makeUnsafe(at)), (b) => ({
    posted: b.debitsPosted - b.creditsPosted,
    pendingOut: b.creditsPending
  }))

/** Computes the statement of a period and reconciles it (see the module notes). */
export const statement = (input: StatementInput): Result.Result<FundStatement, InvalidInput> =>
  Result.gen(function* () {
    const { from, to, transfers } = input
    const checks: Array<ReconciliationCheck> = []
    const pools: Array<PoolStatement> = []
    for (const p of input.pools) {
      const opening = yield* balance(transfers, p.accountId, from - 1)
      const closing = yield* balance(transfers, p.accountId, to - 1)
      const net = netByCode(transfers, p.accountId, from, to)
      const take = (code: number) => {
        const v = net.get(code) ?? 0
        net.delete(code)
        return v
      }
      const proceeds = take(FundCodes.proceeds)
      const donations = take(FundCodes.donation)
      const otherIncome = take(FundCodes.other_income)
      const earmarked = take(FundCodes.earmark)
      const costs = 0 - take(FundCodes.cost)
      const allocations = 0 - take(FundCodes.grant)
      const other = [...net.values()].reduce((a, b) => a + b, 0)
      const moved = proceeds + donations + otherIncome + earmarked - costs - allocations + other
      checks.push({
        check: `pool ${p.pool}: opening + movements = closing / 期初 + 本期变动 = 期末`,
        expected: opening.posted + moved,
        actual: closing.posted,
        ok: opening.posted + moved === closing.posted
      })
      pools.push({
        pool: p.pool,
        name: p.name,
        accountId: p.accountId,
        opening: opening.posted,
        proceeds,
        donations,
        otherIncome,
        earmarked,
        costs,
        allocations,
        other,
        closing: closing.posted,
        committed: closing.pendingOut,
        available: closing.posted - closing.pendingOut
      })
    }
    const sum = (f: (p: PoolStatement) => number) => pools.reduce((a, p) => a + f(p), 0)
    const total = {
      opening: sum((p) => p.opening),
      proceeds: sum((p) => p.proceeds),
      donations: sum((p) => p.donations),
      otherIncome: sum((p) => p.otherIncome),
      earmarked: sum((p) => p.earmarked),
      costs: sum((p) => p.costs),
      allocations: sum((p) => p.allocations),
      other: sum((p) => p.other),
      closing: sum((p) => p.closing),
      committed: sum((p) => p.committed),
      available: sum((p) => p.available)
    }

    // the enterprise
    const eOpening = yield* balance(transfers, input.enterpriseCash, from - 1)
    const eClosing = yield* balance(transfers, input.enterpriseCash, to - 1)
    const eNet = netByCode(transfers, input.enterpriseCash, from, to)
    const eTake = (code: number) => {
      const v = eNet.get(code) ?? 0
      eNet.delete(code)
      return v
    }
    const sales = eTake(FundCodes.sale)
    const designFees = 0 - eTake(FundCodes.design_fee)
    const productionCosts = 0 - eTake(FundCodes.production_cost)
    const proceedsToFund = 0 - eTake(FundCodes.proceeds)
    const eOther = [...eNet.values()].reduce((a, b) => a + b, 0)
    const eMoved = sales - designFees - productionCosts - proceedsToFund + eOther
    checks.push({
      check: "enterprise cash: opening + movements = closing / 企业现金：期初 + 本期变动 = 期末",
      expected: eOpening.posted + eMoved,
      actual: eClosing.posted,
      ok: eOpening.posted + eMoved === eClosing.posted
    })

    // entries against the ledger
    const byId = new Map(transfers.map((t) => [t.id as string, t]))
    const lastChange = new Map<string, number>()
    for (const t of transfers) {
      for (const id of [t.debitAccountId, t.creditAccountId]) {
        lastChange.set(id, Math.max(lastChange.get(id) ?? 0, t.timestamp, t.expiresAt ?? 0))
      }
    }
    const entryById = new Map(input.entries.map((e) => [e.id as string, e]))
    let ledgerTotal = 0
    let entryTotal = 0
    let unmatched = 0
    for (const t of transfers) {
      if (t.timestamp < from || t.timestamp >= to || t.kind !== "posted" || !entryCodes.has(t.code)) continue
      if (t.reverses !== null) continue
      ledgerTotal += t.amount
      const e = entryById.get(t.id)
      if (e === undefined || e.amount !== t.amount || FundCodes[e.kind] !== t.code) unmatched += 1
      if (e !== undefined) entryTotal += e.amount
    }
    for (const e of input.entries) if (!byId.has(e.id)) unmatched += 1
    // the closing balances against the totals the ledger keeps on its accounts (independent of
    // the transfers read here), when the period ends after the accounts' last change
    for (const account of input.accounts ?? []) {
      if (to <= (lastChange.get(account.id) ?? 0)) continue
      const closing = yield* balance(transfers, account.id, to - 1)
      const stored = account.debitsPosted - account.creditsPosted
      checks.push({
        check: `${account.name}${account.owner.type === "subfund" ? ` (${account.owner.id})` : ""}: closing = the ledger account's balance / 期末余额与账户余额一致`,
        expected: stored,
        actual: closing.posted,
        ok: stored === closing.posted && account.creditsPending === closing.pendingOut
      })
    }

    checks.push({
      check: "money entries = the ledger's fund transfers of the period / 收支记录与账本转账一致",
      expected: ledgerTotal,
      actual: entryTotal,
      ok: ledgerTotal === entryTotal && unmatched === 0
    })

    // sales by product, from the sale entries whose transfer falls in the period, less the
    // reversals of sales made in the period (a reversal takes back the whole sale)
    const products = new Map(input.products.map((p) => [p.id as string, p]))
    const byProduct = new Map<
      string,
      { productId: string; sku: string; name: string; quantity: number; amount: number }
    >()
    const addSale = (e: FundEntry, sign: 1 | -1) => {
      if (e.productId === null) return
      const p = products.get(e.productId)
      const row = byProduct.get(e.productId) ?? {
        productId: e.productId,
        sku: p?.sku ?? "?",
        name: p?.name ?? "?",
        quantity: 0,
        amount: 0
      }
      byProduct.set(e.productId, {
        ...row,
        quantity: row.quantity + sign * (e.quantity ?? 0),
        amount: row.amount + sign * e.amount
      })
    }
    for (const t of transfers) {
      if (t.timestamp < from || t.timestamp >= to || t.code !== FundCodes.sale) continue
      const e = entryById.get(t.reverses ?? t.id)
      if (e !== undefined && e.kind === "sale") addSale(e, t.reverses === null ? 1 : -1)
    }
    for (const [id, row] of byProduct) if (row.quantity === 0 && row.amount === 0) byProduct.delete(id)

    return {
      communityId: input.communityId,
      from,
      to,
      pools,
      total,
      enterprise: {
        opening: eOpening.posted,
        sales,
        designFees,
        productionCosts,
        proceedsToFund,
        other: eOther,
        closing: eClosing.posted,
        byProduct: [...byProduct.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
      },
      reconciliation: { ok: checks.every((c) => c.ok), checks }
    }
  })

/** A round as the public report shows it: projects by name, families only counted. */
export interface PublicRound {
  readonly title: string
  readonly status: AllocationRound["status"]
  readonly noticeEndsAt: number | null
  /** Fen allocated by the frozen outcome (0 before submission). */
  readonly allocated: number
  readonly projects: ReadonlyArray<{ readonly label: string; readonly amount: number }>
  readonly families: { readonly count: number; readonly amount: number }
  readonly objections: { readonly filed: number; readonly answered: number }
}

/**
 * The public transparency report (公益基金公示): the statement's totals and the rounds from public
 * notice on, with no personal data: no names of families, donors or objectors, no resident ids,
 * no entry notes.
 */
export interface PublicReport {
  readonly communityName: string
  readonly from: number
  readonly to: number
  readonly generatedAt: number
  readonly opening: number
  readonly income: { readonly proceeds: number; readonly donations: number; readonly other: number }
  readonly costs: number
  readonly allocations: number
  readonly other: number
  readonly closing: number
  readonly committed: number
  readonly subFunds: ReadonlyArray<{ readonly name: string; readonly purpose: string; readonly closing: number }>
  readonly enterprise: { readonly sales: number; readonly costs: number; readonly proceedsToFund: number }
  readonly rounds: ReadonlyArray<PublicRound>
  readonly reconciled: boolean
}

/** The statuses a public report lists rounds in: from public notice on (never drafts or submissions). */
export const publicStatuses: ReadonlyArray<AllocationRound["status"]> = [
  "notice",
  "approved",
  "scheduled",
  "paid",
  "failed",
  "cancelled",
  "rejected"
]

/** A round without personal data. */
export const publicRound = (round: AllocationRound): PublicRound => {
  const amounts = new Map((round.outcome?.shares ?? []).map((s) => [s.id, s.amount]))
  const families = round.candidates.filter((c) => c.kind === "family")
  return {
    title: round.title,
    status: round.status,
    noticeEndsAt: round.noticeEndsAt,
    allocated: round.outcome?.allocated ?? 0,
    projects: round.candidates
      .filter((c) => c.kind === "project")
      .map((c) => ({ label: c.label, amount: amounts.get(c.key) ?? 0 })),
    families: { count: families.length, amount: families.reduce((a, c) => a + (amounts.get(c.key) ?? 0), 0) },
    objections: {
      filed: round.objections.length,
      answered: round.objections.filter((o) => o.answer !== null).length
    }
  }
}

/** The public report of a statement and the period's rounds (those in {@link publicStatuses}). */
export const publicReport = (
  communityName: string,
  s: FundStatement,
  subFunds: ReadonlyArray<SubFund>,
  rounds: ReadonlyArray<AllocationRound>,
  generatedAt: number
): PublicReport => ({
  communityName,
  from: s.from,
  to: s.to,
  generatedAt,
  opening: s.total.opening,
  income: { proceeds: s.total.proceeds, donations: s.total.donations, other: s.total.otherIncome },
  costs: s.total.costs,
  allocations: s.total.allocations,
  other: s.total.other,
  closing: s.total.closing,
  committed: s.total.committed,
  subFunds: subFunds.map((f) => ({
    name: f.name,
    purpose: f.purpose,
    closing: s.pools.find((p) => p.pool === f.code)?.closing ?? 0
  })),
  enterprise: {
    sales: s.enterprise.sales,
    costs: s.enterprise.designFees + s.enterprise.productionCosts,
    proceedsToFund: s.enterprise.proceedsToFund
  },
  rounds: rounds.filter((r) => publicStatuses.includes(r.status)).map(publicRound),
  reconciled: s.reconciliation.ok
})
