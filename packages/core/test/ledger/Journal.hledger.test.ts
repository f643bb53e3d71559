// This test runs the real hledger on the journal export; the core package's sources stay free of
// Node types (tsconfig `types: []`), so the test brings them in itself.
/// <reference types="node" />
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { LedgerState, TransferRequest } from "../../src/index.js"
import { Journal, LedgerRules } from "../../src/index.js"
import { accountId, junxin, openAll, pending, posted, t0, transferId } from "./fixtures.js"

/** Whether hledger is on PATH; CI installs it (`.ci/run`), so there a missing hledger fails the test. */
const hledgerVersion = (() => {
  try {
    return execFileSync("hledger", ["--version"], { encoding: "utf8" }).trim()
  } catch {
    return undefined
  }
})()
const inCi = process.env["CI"] === "true"
if (hledgerVersion === undefined && !inCi) {
  console.warn("[commonweal] hledger is not installed: skipping the journal check with the real hledger")
}

const apply = (state: LedgerState, requests: ReadonlyArray<TransferRequest>, now = t0) =>
  Result.getOrThrow(LedgerRules.applyBatch(state, { communityId: junxin, requests }, now)).state

const owner = { type: "community" as const, id: junxin }
const household = { type: "household" as const, id: "0190f0a0-0000-7000-8000-0000000000a1" }

// a season of Candy Commune (糖果公社) sales, the fund's share, a grant on hold, time-bank minutes
const evening = DateTime.makeUnsafe("2026-08-20T18:30:00Z")
const state = (() => {
  let s = openAll([
    { id: accountId(1), communityId: junxin, unit: "CNY", kind: "asset", owner, name: "candy:cash" },
    { id: accountId(2), communityId: junxin, unit: "CNY", kind: "income", owner, name: "candy:sales" },
    { id: accountId(3), communityId: junxin, unit: "CNY", kind: "asset", owner, name: "fund:general" },
    { id: accountId(4), communityId: junxin, unit: "CNY", kind: "expense", owner, name: "fund:grants" },
    { id: accountId(5), communityId: junxin, unit: "CNY", kind: "expense", owner, name: "candy:design" },
    { id: accountId(6), communityId: junxin, unit: "MIN", kind: "liability", owner, name: "timebank:issued" },
    { id: accountId(7), communityId: junxin, unit: "MIN", kind: "asset", owner: household, name: "timebank" }
  ])
  s = apply(s, [
    posted(1, 1, 2, 41_000, "幸运君周边; 一季销售"),
    posted(2, 5, 1, 9_000, "设计费"),
    posted(3, 3, 1, 16_000, "净收益转入公益基金", "CNY", 4),
    posted(4, 7, 6, 90, "刘英 上门翻译 90 分钟", "MIN", 7),
    pending(5, 4, 3, 5_000, 0, "补助：待公示"),
    pending(6, 4, 3, 2_000, 0, "补助：部分发放")
  ])
  return apply(
    s,
    [
      { _tag: "PostPending", id: transferId(7), pendingId: transferId(6), amount: 1_500, reason: "发放" },
      { _tag: "Reverse", id: transferId(8), reverses: transferId(2), reason: "设计费记错" }
    ],
    evening
  )
})()

/** `hledger balance` as a map "account commodity" → minor units, from its CSV. */
const balances = (file: string, flags: ReadonlyArray<string>): Map<string, number> => {
  const csv = execFileSync("hledger", ["-f", file, "balance", "--flat", "--no-total", "-O", "csv", ...flags], {
    encoding: "utf8"
  })
  const out = new Map<string, number>()
  for (const line of csv.trim().split("\n").slice(1)) {
    const cells = Array.from(line.matchAll(/"((?:[^"]|"")*)"/gu), (m) => m[1]!.replaceAll('""', '"'))
    const [account, amounts] = cells
    if (account === undefined || amounts === undefined) continue
    for (const part of amounts.split(",").map((p) => p.trim())) {
      const m = /^(-?[\d.]+) (.+)$/u.exec(part) ?? /^(.+?) ?(-?[\d.]+)$/u.exec(part)
      if (m === null) continue
      const [amount, commodity] = /^-?[\d.]+$/u.test(m[1]!) ? [m[1]!, m[2]!] : [m[2]!, m[1]!]
      const unit = commodity.replaceAll('"', "")
      out.set(`${account} ${unit}`, unit === "CNY" ? Math.round(Number(amount) * 100) : Number(amount))
    }
  }
  return out
}

describe.skipIf(hledgerVersion === undefined && !inCi)("Journal, read by the real hledger", () => {
  it("hledger is installed (CI installs it)", () => {
    expect(hledgerVersion).toMatch(/^hledger \d/u)
  })

  it("hledger's cleared and pending balances are the accounts' posted and pending totals, to the fen", () => {
    const file = join(mkdtempSync(join(tmpdir(), "commonweal-journal-")), "ledger.journal")
    writeFileSync(
      file,
      Journal.toJournal([...state.accounts.values()], [...state.transfers.values()], { asOf: evening })
    )
    const cleared = balances(file, ["-C"])
    const held = balances(file, ["-P"])
    let checked = 0
    for (const account of state.accounts.values()) {
      const key = `${Journal.accountName(account)} ${account.unit}`
      const posted = account.debitsPosted - account.creditsPosted
      const pendingBalance = account.debitsPending - account.creditsPending
      expect(cleared.get(key) ?? 0, key).toBe(posted)
      expect(held.get(key) ?? 0, key).toBe(pendingBalance)
      checked++
    }
    expect(checked).toBe(7)
    // the fund holds the sales' net share; the grant on hold is pending, the posted part cleared
    expect(cleared.get("community:fund:general CNY")).toBe(16_000 - 1_500)
    expect(held.get("community:fund:general CNY")).toBe(-5_000)
    // hledger checks that every transaction balances; a journal it rejects throws above
  })
})
