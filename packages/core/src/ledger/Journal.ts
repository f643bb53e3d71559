/**
 * The whole ledger as a plain-text double-entry journal that hledger (and ledger-cli) read.
 *
 * **Format.** A header comment, `decimal-mark .`, one `commodity` directive per unit and one
 * `account` directive per account (with its hledger type: `A` asset, `L` liability, `E` equity,
 * `R` income, `X` expense). Then one transaction per transfer that moved or holds an amount, in
 * chain order (`sequence`) per community:
 *
 * ```text
 * 2026-08-20 * (0190f0a0-0000-7000-8000-00000000a001) 幸运君折叠伞 ×1  ; code:1, kind:posted, seq:1, at:2026-08-20T10:00:00.000+08:00
 *     community:cash                          25.00 CNY
 *     community:sales                        -25.00 CNY
 * ```
 *
 * - the **date** is the transfer's day in the community's time zone (default `Asia/Shanghai`);
 *   the exact time is the `at` tag;
 * - the **status** is `*` (cleared) for posted amounts (`posted`, the posted part of a hold, a
 *   reversal) and `!` (pending) for a hold still open at `asOf`; the **code** in parentheses is the
 *   transfer id, the **description** its reason (a `;` in it becomes `；`);
 * - **account names** are `<owner type>:<name>` for the community's own accounts
 *   (`community:fund:general`) and `<owner type>:<owner id>:<name>` for the others
 *   (`household:0190…:timebank`);
 * - the **amount** goes to the debit account as a positive number and to the credit account as a
 *   negative one, with the unit as commodity: `CNY` in yuan with two decimals (fen / 100), `MIN`
 *   and pieces as integers, a piece unit quoted (`"PCS:FAN-01"`);
 * - holds that were posted, voided or expired, and the voids themselves, are kept as comment
 *   lines (`; hold … voided by …`), so that history is visible but counted once.
 *
 * So `hledger -f ledger.journal balance -C` shows the posted balances (debits − credits) of every
 * account, `hledger -f ledger.journal balance -P` the open holds, and `hledger -f ledger.journal
 * balance` both together, as the accounts' totals say; every transaction balances, so each
 * commodity sums to zero.
 *
 * @example
 * ```ts
 * import { DateTime } from "effect"
 * import { Journal } from "@commonweal/core"
 *
 * const text = Journal.toJournal([...state.accounts.values()], [...state.transfers.values()], {
 *   asOf: DateTime.makeUnsafe("2026-08-31T16:00:00Z")
 * })
 * // write it to ledger.journal, then: hledger -f ledger.journal balance -C
 * ```
 *
 * @module
 */
import { DateTime } from "effect"
import type { LedgerAccount, LedgerAccountId, Transfer, TransferId, Unit } from "./Ledger.js"

/** Options of {@link toJournal}. */
export interface JournalOptions {
  /** Which holds are still open: those not resolved and not expired at this time. */
  readonly asOf: DateTime.Utc
  /** The IANA time zone of the dates. Default `Asia/Shanghai`. */
  readonly timeZone?: string
}

const hledgerType: Readonly<Record<LedgerAccount["kind"], string>> = {
  asset: "A",
  liability: "L",
  equity: "E",
  income: "R",
  expense: "X"
}

/** The journal name of an account (see the module notes). */
export const accountName = (a: Pick<LedgerAccount, "owner" | "name">): string =>
  a.owner.type === "community" ? `community:${a.name}` : `${a.owner.type}:${a.owner.id}:${a.name}`

/** The unit as an hledger commodity symbol: `CNY`, `MIN`, `"PCS:FAN-01"`. */
export const commodity = (unit: Unit): string => (/^[A-Z]+$/u.test(unit) ? unit : `"${unit}"`)

/** An amount with its commodity: `25.00 CNY` for 2500 fen, `-30 MIN`, `120 "PCS:CLIP-A3"`. */
export const formatAmount = (amount: number, unit: Unit): string => {
  if (unit !== "CNY") return `${amount} ${commodity(unit)}`
  const sign = amount < 0 ? "-" : ""
  const abs = Math.abs(amount)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} CNY`
}

const zoned = (millis: number, timeZone: string) => DateTime.makeZonedUnsafe(DateTime.makeUnsafe(millis), { timeZone })

const day = (millis: number, timeZone: string): string => {
  const p = DateTime.toParts(zoned(millis, timeZone))
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`
}

const posting = (name: string, amount: string): string => `    ${name.padEnd(48)}  ${amount.padStart(16)}`

/**
 * Renders the accounts and transfers as an hledger journal (see the module notes). Transfers are
 * written in chain order per community; an account a transfer names but the list lacks is
 * written by its id (`unknown:<id>`).
 */
export const toJournal = (
  accounts: ReadonlyArray<LedgerAccount>,
  transfers: ReadonlyArray<Transfer>,
  options: JournalOptions
): string => {
  const timeZone = options.timeZone ?? "Asia/Shanghai"
  const asOf = DateTime.toEpochMillis(options.asOf)
  const byId = new Map<LedgerAccountId, LedgerAccount>(accounts.map((a) => [a.id, a]))
  const nameOf = (id: LedgerAccountId): string => {
    const a = byId.get(id)
    return a === undefined ? `unknown:${id}` : accountName(a)
  }
  const resolvedBy = new Map<TransferId, Transfer>()
  for (const t of transfers) if (t.pendingId !== null) resolvedBy.set(t.pendingId, t)
  const lines: Array<string> = [
    "; commonweal ledger journal (hledger format)",
    "; posted balances: hledger -f ledger.journal balance -C",
    "; open holds:      hledger -f ledger.journal balance -P",
    "",
    "decimal-mark .",
    ""
  ]
  const units = [...new Set([...accounts.map((a) => a.unit), ...transfers.map((t) => t.unit)])].sort()
  for (const u of units) lines.push(`commodity ${u === "CNY" ? "1000.00 CNY" : `1000. ${commodity(u)}`}`)
  lines.push("")
  for (const a of [...accounts].sort((x, y) => accountName(x).localeCompare(accountName(y)))) {
    lines.push(`account ${accountName(a)}  ; type: ${hledgerType[a.kind]}`)
  }
  const ordered = [...transfers].sort((a, b) =>
    a.communityId === b.communityId ? a.sequence - b.sequence : a.communityId < b.communityId ? -1 : 1
  )
  for (const t of ordered) {
    const at = DateTime.formatIsoOffset(zoned(t.timestamp, timeZone))
    const description = t.reason.replace(/;/gu, "；")
    lines.push("")
    if (t.kind === "void_pending") {
      lines.push(`; ${day(t.timestamp, timeZone)} void (${t.id}) of hold ${t.pendingId}: ${description}`)
      continue
    }
    if (t.kind === "pending") {
      const resolver = resolvedBy.get(t.id)
      const expired = t.expiresAt !== null && t.expiresAt <= asOf
      if ((resolver !== undefined && resolver.timestamp <= asOf) || expired) {
        const how =
          resolver !== undefined && resolver.timestamp <= asOf
            ? `${resolver.kind === "post_pending" ? "posted" : "voided"} by ${resolver.id}`
            : "expired"
        lines.push(
          `; ${day(t.timestamp, timeZone)} hold (${t.id}) ${formatAmount(t.amount, t.unit)} ${nameOf(t.debitAccountId)} <- ${nameOf(t.creditAccountId)}, ${how}: ${description}`
        )
        continue
      }
    }
    const status = t.kind === "pending" ? "!" : "*"
    const tags = [`code:${t.code}`, `kind:${t.kind}`, `seq:${t.sequence}`, `at:${at}`]
    if (t.reverses !== null) tags.push(`reverses:${t.reverses}`)
    if (t.pendingId !== null) tags.push(`hold:${t.pendingId}`)
    lines.push(`${day(t.timestamp, timeZone)} ${status} (${t.id}) ${description}  ; ${tags.join(", ")}`)
    lines.push(posting(nameOf(t.debitAccountId), formatAmount(t.amount, t.unit)))
    lines.push(posting(nameOf(t.creditAccountId), formatAmount(-t.amount, t.unit)))
  }
  return `${lines.join("\n")}\n`
}
