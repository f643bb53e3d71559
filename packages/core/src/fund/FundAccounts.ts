/**
 * The fund's chart of accounts in the ledger, and the ids it derives.
 *
 * Every community has the same accounts (CNY, owned by the community), opened by the fund service
 * the first time a movement needs them; each earmarked sub-fund has one cash account of its own.
 * Their ids are derived from the community (and the sub-fund's code), and the transfers of a
 * round's holds from the round and the candidate, so that opening, holding, paying and voiding are
 * idempotent without a lookup table: the same community always gets the same account ids.
 *
 * | key | kind | limit | what it holds |
 * | --- | --- | --- | --- |
 * | `fund:cash` | asset | never below zero | the general fund's money |
 * | `subfund:<code>:cash` | asset | never below zero | an earmarked sub-fund's money |
 * | `fund:income:donations` | income | | donations received |
 * | `fund:income:other` | income | | other income |
 * | `fund:costs` | expense | | the fund's own costs |
 * | `fund:grants` | expense | | allocations: held when approved, posted when paid |
 * | `enterprise:cash` | asset | never below zero | Candy Commune's takings |
 * | `enterprise:sales` | income | | Candy Commune's sales |
 * | `enterprise:costs:design` | expense | | design fees |
 * | `enterprise:costs:production` | expense | | production costs |
 *
 * Net proceeds move from `enterprise:cash` to a pool's cash (code `proceeds`).
 *
 * @module
 */
import { type CommunityId, derivedUuid } from "../kernel/Ids.js"
import type { AccountKind, OpenAccountInput } from "../ledger/Ledger.js"
import { LedgerAccountId, TransferId } from "../ledger/Ledger.js"

/** The community-owned accounts of the fund and the enterprise. */
export const chart = {
  "fund:cash": { kind: "asset", noOverdraft: true },
  "fund:income:donations": { kind: "income", noOverdraft: false },
  "fund:income:other": { kind: "income", noOverdraft: false },
  "fund:costs": { kind: "expense", noOverdraft: false },
  "fund:grants": { kind: "expense", noOverdraft: false },
  "enterprise:cash": { kind: "asset", noOverdraft: true },
  "enterprise:sales": { kind: "income", noOverdraft: false },
  "enterprise:costs:design": { kind: "expense", noOverdraft: false },
  "enterprise:costs:production": { kind: "expense", noOverdraft: false }
} as const satisfies Record<string, { readonly kind: AccountKind; readonly noOverdraft: boolean }>

/** The name of a community-owned fund account. */
export type ChartKey = keyof typeof chart

/** Derived ids: see the kernel's `derivedUuid`. */
export { derivedUuid }

/** The id of a community-owned fund account. */
export const accountId = (communityId: CommunityId, key: ChartKey): LedgerAccountId =>
  LedgerAccountId.make(derivedUuid(`commonweal/fund/account/${communityId}/${key}`))

/** The id of a sub-fund's cash account. */
export const subFundCashId = (communityId: CommunityId, code: string): LedgerAccountId =>
  LedgerAccountId.make(derivedUuid(`commonweal/fund/subfund/${communityId}/${code}/cash`))

/** The cash account of a pool: a sub-fund's, or the general fund's (`null`). */
export const poolCashId = (communityId: CommunityId, subFund: string | null): LedgerAccountId =>
  subFund === null ? accountId(communityId, "fund:cash") : subFundCashId(communityId, subFund)

/** What opening a community-owned fund account takes. */
export const openInput = (communityId: CommunityId, key: ChartKey): OpenAccountInput => ({
  id: accountId(communityId, key),
  communityId,
  unit: "CNY",
  kind: chart[key].kind,
  owner: { type: "community", id: communityId },
  name: key,
  ...(chart[key].noOverdraft ? { creditsMustNotExceedDebits: true } : {})
})

/** What opening a sub-fund's cash account takes. */
export const subFundOpenInput = (communityId: CommunityId, code: string): OpenAccountInput => ({
  id: subFundCashId(communityId, code),
  communityId,
  unit: "CNY",
  kind: "asset",
  owner: { type: "subfund", id: code },
  name: "cash",
  creditsMustNotExceedDebits: true
})

/** What opening a pool's cash account takes. */
export const poolOpenInput = (communityId: CommunityId, subFund: string | null): OpenAccountInput =>
  subFund === null ? openInput(communityId, "fund:cash") : subFundOpenInput(communityId, subFund)

/** The transfer id of a step (`hold`, `pay`, `void`) of one candidate's allocation in a round. */
export const roundTransferId = (roundId: string, key: string, step: "hold" | "pay" | "void"): TransferId =>
  TransferId.make(derivedUuid(`commonweal/fund/round/${roundId}/${key}/${step}`))
