/**
 * Time credits (时间银行): the minutes a completed service earns, as ledger postings.
 *
 * The community issues minutes: a completed service moves its minutes from the community's
 * `timebank:issued` account (equity, so it may grow without limit on its debit side) to the
 * volunteer's time-bank account, or to their household's when the volunteer saves for the family
 * (an adult child banking minutes for elderly parents). Both accounts are `liability` accounts
 * of the community in unit `MIN`: minutes it owes. A volunteer or a household spends or shares
 * minutes with ordinary transfers between these accounts; the accounts' limit
 * (`debitsMustNotExceedCredits`) means nobody gives away minutes they do not have.
 *
 * Every id is derived (the request and the volunteer for a credit), so crediting a service twice
 * posts nothing the second time: the ledger sees the same transfer id with the same content and
 * replays it. The posting goes through `postWithin` in the mutual-aid command's transaction.
 *
 * @module
 */
import { type CommunityId, derivedUuid } from "../kernel/Ids.js"
import type { OpenAccountInput, TransferRequest } from "../ledger/Ledger.js"
import { LedgerAccountId, TransferId } from "../ledger/Ledger.js"
import type { HelpRequest, VolunteerId } from "./HelpRequest.js"

/** The transfer code of a service credit. */
export const CREDIT_CODE = 3001
/** The transfer code of minutes shared or spent between time-bank accounts. */
export const SHARE_CODE = 3002

/** Whose time-bank account: a resident's (or an outside volunteer's profile) or a household's. */
export type Holder =
  | { readonly type: "volunteer"; readonly id: VolunteerId }
  | { readonly type: "household"; readonly id: string }

/** The id of a holder's time-bank account. */
export const accountIdOf = (communityId: CommunityId, holder: Holder): LedgerAccountId =>
  LedgerAccountId.make(derivedUuid(`commonweal/timebank/${communityId}/${holder.type}/${holder.id}`))

/** The id of the community's issuing account. */
export const issuedAccountId = (communityId: CommunityId): LedgerAccountId =>
  LedgerAccountId.make(derivedUuid(`commonweal/timebank/${communityId}/issued`))

/** What opening a holder's account takes: a liability in minutes that never goes below zero. */
export const openHolder = (communityId: CommunityId, holder: Holder): OpenAccountInput => ({
  id: accountIdOf(communityId, holder),
  communityId,
  unit: "MIN",
  kind: "liability",
  owner: { type: holder.type === "household" ? "household" : "resident", id: holder.id },
  name: "timebank",
  debitsMustNotExceedCredits: true
})

/** What opening the community's issuing account takes. */
export const openIssued = (communityId: CommunityId): OpenAccountInput => ({
  id: issuedAccountId(communityId),
  communityId,
  unit: "MIN",
  kind: "equity",
  owner: { type: "community", id: communityId },
  name: "timebank:issued"
})

/**
 * The postings that credit a completed request's services: one transfer per service record, to
 * the volunteer's account or (when `saveFor` names one) to a household's, with ids derived from
 * the request and the volunteer. Empty for a request that is not completed.
 */
export const creditsFor = (
  request: HelpRequest,
  saveFor: (volunteerId: VolunteerId) => string | null = () => null
): { readonly open: ReadonlyArray<OpenAccountInput>; readonly requests: ReadonlyArray<TransferRequest> } => {
  if (request.status !== "completed") return { open: [], requests: [] }
  const c = request.communityId
  const open: Array<OpenAccountInput> = [openIssued(c)]
  const requests: Array<TransferRequest> = []
  for (const service of request.services) {
    const household = saveFor(service.volunteerId)
    const holder: Holder =
      household === null ? { type: "volunteer", id: service.volunteerId } : { type: "household", id: household }
    open.push(openHolder(c, holder))
    requests.push({
      _tag: "Posted",
      id: TransferId.make(derivedUuid(`commonweal/timebank/credit/${request.id}/${service.volunteerId}`)),
      debitAccountId: issuedAccountId(c),
      creditAccountId: accountIdOf(c, holder),
      amount: service.minutes,
      unit: "MIN",
      code: CREDIT_CODE,
      reason: `服务时长 / service minutes: ${request.category}`
    })
  }
  return { open, requests }
}

/**
 * Shares minutes from one holder to another (a volunteer to their household, a household to an
 * elderly parent's own account), under the caller's id (the idempotency key).
 */
export const share = (
  communityId: CommunityId,
  id: TransferId,
  from: Holder,
  to: Holder,
  minutes: number,
  reason: string
): { readonly open: ReadonlyArray<OpenAccountInput>; readonly requests: ReadonlyArray<TransferRequest> } => ({
  open: [openHolder(communityId, from), openHolder(communityId, to)],
  requests: [
    {
      _tag: "Posted",
      id,
      debitAccountId: accountIdOf(communityId, from),
      creditAccountId: accountIdOf(communityId, to),
      amount: minutes,
      unit: "MIN",
      code: SHARE_CODE,
      reason
    }
  ]
})
