/** Shared builders for the ledger tests: ids, accounts, requests. */
import { DateTime, Result } from "effect"
import type { LedgerAccount, LedgerState, OpenAccountInput, TransferRequest } from "../../src/index.js"
import { CommunityId, LedgerAccountId, LedgerRules, TransferId } from "../../src/index.js"

export const junxin = CommunityId.make("0190f0a0-0000-7000-8000-000000000001")
export const guli = CommunityId.make("0190f0a0-0000-7000-8000-000000000002")

/** 2026-08-20 10:00 in Shanghai. */
export const t0 = DateTime.makeUnsafe("2026-08-20T02:00:00Z")
export const later = (seconds: number, from: DateTime.Utc = t0): DateTime.Utc =>
  DateTime.makeUnsafe(DateTime.toEpochMillis(from) + seconds * 1000)

export const accountId = (n: number) => LedgerAccountId.make(`0190f0a0-0000-7000-8000-${String(n).padStart(12, "0")}`)
export const transferId = (n: number) => TransferId.make(`0190f0a1-0000-7000-8000-${String(n).padStart(12, "0")}`)

/** Opens the accounts (throwing on failure: fixtures only). */
export const openAll = (inputs: ReadonlyArray<OpenAccountInput>, state: LedgerState = LedgerRules.empty) =>
  inputs.reduce((s, input) => Result.getOrThrow(LedgerRules.openAccount(s, input, t0)).state, state)

export const account = (state: LedgerState, n: number): LedgerAccount => {
  const a = state.accounts.get(accountId(n))
  if (a === undefined) throw new Error(`no account ${n}`)
  return a
}

export const posted = (
  id: number,
  debit: number,
  credit: number,
  amount: number,
  reason: string,
  unit = "CNY",
  code = 1
): TransferRequest => ({
  _tag: "Posted",
  id: transferId(id),
  debitAccountId: accountId(debit),
  creditAccountId: accountId(credit),
  amount,
  unit,
  code,
  reason
})

export const pending = (
  id: number,
  debit: number,
  credit: number,
  amount: number,
  timeoutSeconds: number,
  reason: string,
  unit = "CNY",
  code = 1
): TransferRequest => ({
  _tag: "Pending",
  id: transferId(id),
  debitAccountId: accountId(debit),
  creditAccountId: accountId(credit),
  amount,
  unit,
  code,
  reason,
  timeoutSeconds
})
