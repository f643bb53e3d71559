import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import type { LedgerAccount, LedgerState, TransferRequest } from "../../src/index.js"
import { Journal, LedgerRules } from "../../src/index.js"
import { accountId, junxin, later, openAll, pending, posted, t0, transferId } from "./fixtures.js"

const apply = (state: LedgerState, requests: ReadonlyArray<TransferRequest>, now = t0) =>
  Result.getOrThrow(LedgerRules.applyBatch(state, { communityId: junxin, requests }, now)).state

const owner = { type: "community" as const, id: junxin }
const base = openAll([
  { id: accountId(1), communityId: junxin, unit: "CNY", kind: "asset", owner, name: "candy:cash" },
  { id: accountId(2), communityId: junxin, unit: "CNY", kind: "income", owner, name: "candy:sales" },
  { id: accountId(3), communityId: junxin, unit: "CNY", kind: "asset", owner, name: "fund:general" },
  { id: accountId(4), communityId: junxin, unit: "CNY", kind: "expense", owner, name: "fund:grants" },
  { id: accountId(5), communityId: junxin, unit: "PCS:FAN-01", kind: "asset", owner, name: "candy:stock" },
  {
    id: accountId(6),
    communityId: junxin,
    unit: "PCS:FAN-01",
    kind: "asset",
    owner: { type: "workshop", id: "xin-workshop" },
    name: "assembled"
  }
])

// 2026-08-20 18:30 UTC is already 21 August in Shanghai
const evening = DateTime.makeUnsafe("2026-08-20T18:30:00Z")
const state = (() => {
  let s = apply(base, [
    posted(1, 1, 2, 41_000, "幸运君周边; 一季销售"),
    posted(2, 3, 1, 16_000, "净收益转入公益基金", "CNY", 4),
    posted(3, 6, 5, 120, "馨工坊组装扇子", "PCS:FAN-01", 20),
    pending(4, 4, 3, 5_000, 0, "补助：待公示"),
    pending(5, 4, 3, 3_000, 0, "补助：撤回的申请"),
    pending(6, 4, 3, 2_000, 0, "补助：部分发放")
  ])
  s = apply(
    s,
    [
      { _tag: "VoidPending", id: transferId(7), pendingId: transferId(5), reason: "申请撤回" },
      { _tag: "PostPending", id: transferId(8), pendingId: transferId(6), amount: 1_500, reason: "发放" },
      { _tag: "Reverse", id: transferId(9), reverses: transferId(3), reason: "组装数量记错" }
    ],
    evening
  )
  return s
})()

interface Totals {
  cleared: Map<string, number>
  pending: Map<string, number>
}

/** A small reader of the journal as hledger reads it: status, postings, commodities; comments skipped. */
const read = (text: string): Totals => {
  const totals: Totals = { cleared: new Map(), pending: new Map() }
  let bucket: Map<string, number> | undefined
  for (const line of text.split("\n")) {
    const header = /^(\d{4}-\d{2}-\d{2}) ([*!]) \(/u.exec(line)
    if (header !== null) {
      bucket = header[2] === "*" ? totals.cleared : totals.pending
      continue
    }
    const posting = /^ {4}(\S+)\s{2,}\s*(-?\d+(?:\.\d+)?) ("[^"]+"|[A-Z]+)$/u.exec(line)
    if (posting !== null && bucket !== undefined) {
      const [, name, amount, commodity] = posting
      const minor = commodity === "CNY" ? Math.round(Number(amount) * 100) : Number(amount)
      const key = `${name} ${commodity!.replaceAll('"', "")}`
      bucket.set(key, (bucket.get(key) ?? 0) + minor)
      continue
    }
    if (!line.startsWith("    ")) bucket = undefined
  }
  return totals
}

describe("Journal", () => {
  const text = Journal.toJournal([...state.accounts.values()], [...state.transfers.values()], { asOf: evening })

  it("writes posted transfers as cleared transactions with the unit as commodity", () => {
    expect(text).toContain(
      [
        `2026-08-20 * (${transferId(1)}) 幸运君周边； 一季销售  ; code:1, kind:posted, seq:1, at:2026-08-20T10:00:00.000+08:00`,
        `    ${"community:candy:cash".padEnd(48)}  ${"410.00 CNY".padStart(16)}`,
        `    ${"community:candy:sales".padEnd(48)}  ${"-410.00 CNY".padStart(16)}`
      ].join("\n")
    )
    expect(text).toContain(`    ${"workshop:xin-workshop:assembled".padEnd(48)}  ${'120 "PCS:FAN-01"'.padStart(16)}`)
    expect(text).toContain('commodity 1000. "PCS:FAN-01"')
    expect(text).toContain("account community:fund:grants  ; type: X")
  })

  it("dates transfers in the community's time zone and marks open holds pending", () => {
    expect(text).toMatch(new RegExp(`^2026-08-21 \\* \\(${transferId(8)}\\) 发放  ; code:1, kind:post_pending`, "mu"))
    expect(text).toMatch(new RegExp(`^2026-08-20 ! \\(${transferId(4)}\\) 补助：待公示`, "mu"))
    expect(text).toMatch(
      new RegExp(`^; 2026-08-20 hold \\(${transferId(5)}\\) 30.00 CNY .* voided by ${transferId(7)}`, "mu")
    )
    expect(text).toMatch(new RegExp(`^; 2026-08-21 void \\(${transferId(7)}\\)`, "mu"))
  })

  it("reads back to the accounts' posted and pending totals, and every commodity sums to zero", () => {
    const totals = read(text)
    const name = (a: LedgerAccount) => `${Journal.accountName(a)} ${a.unit}`
    for (const a of state.accounts.values()) {
      expect(totals.cleared.get(name(a)) ?? 0).toBe(a.debitsPosted - a.creditsPosted)
      expect(totals.pending.get(name(a)) ?? 0).toBe(a.debitsPending - a.creditsPending)
    }
    expect(totals.pending.get(`community:fund:general CNY`)).toBe(-5_000)
    for (const unit of ["CNY", "PCS:FAN-01"]) {
      const sum = [...totals.cleared].filter(([k]) => k.endsWith(` ${unit}`)).reduce((s, [, v]) => s + v, 0)
      expect(sum).toBe(0)
    }
  })

  it("treats a hold whose timeout passed at asOf as ended", () => {
    const held = apply(base, [pending(10, 4, 3, 100, 60, "一分钟的保留")])
    const journal = (asOf: DateTime.Utc) =>
      Journal.toJournal([...held.accounts.values()], [...held.transfers.values()], { asOf })
    expect(journal(t0)).toMatch(/^2026-08-20 ! /mu)
    expect(journal(later(60))).toMatch(/^; 2026-08-20 hold .* expired: 一分钟的保留$/mu)
  })

  it("formats amounts", () => {
    expect(Journal.formatAmount(5, "CNY")).toBe("0.05 CNY")
    expect(Journal.formatAmount(-123_456, "CNY")).toBe("-1234.56 CNY")
    expect(Journal.formatAmount(-30, "MIN")).toBe("-30 MIN")
  })
})
