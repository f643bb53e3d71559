/**
 * The workshop's accounts in the ledger, with ids derived from what they are for (so opening them
 * is idempotent and nothing has to be looked up), and the transfer codes of its movements.
 *
 * Pieces (unit `PCS:<sku>`), per work order (owner `workshop:<order id>`):
 * `pieces:factory` (the factory's parts and items we hold or gave back: liability, its debits
 * never exceed its credits), `pieces:stock`, `pieces:accepted` (assets that never go below zero),
 * `pieces:rejected` and `pieces:scrap` (sinks); and per worker and order, the worker's custody
 * (owner `resident:<resident id>`, name `workshop:custody:<order id without dashes>`), which
 * never goes below zero: nobody returns more than they hold.
 *
 * Money (unit `CNY`, fen), per community (owner `workshop:<community id>`): `cash` (never below
 * zero), `capital` (advances and start-up money), `sales` (invoiced), `wages` (expense),
 * `fund-contributions` (expense); per factory (owner `workshop:<factory id>`) `receivable`; per
 * worker (owner `resident:<resident id>`) `workshop:wages`, what the workshop owes them (its
 * debits never exceed its credits: a payout never exceeds what was earned).
 *
 * @module
 */
import { type CommunityId, derivedUuid, type ResidentId } from "../kernel/Ids.js"
import type { OpenAccountInput } from "../ledger/Ledger.js"
import { LedgerAccountId, TransferId } from "../ledger/Ledger.js"
import type { FactoryId, MovementKind, WorkOrderId, WorkSku } from "./Workshop.js"

/** The ledger unit of an order's pieces: `PCS:<sku>`. */
export const piecesUnit = (sku: WorkSku): string => `PCS:${sku}`

/** An order's own piece accounts. */
export type OrderAccount = "factory" | "stock" | "accepted" | "rejected" | "scrap"

const orderAccountSpec: Record<
  OrderAccount,
  Pick<OpenAccountInput, "kind" | "debitsMustNotExceedCredits" | "creditsMustNotExceedDebits">
> = {
  factory: { kind: "liability", debitsMustNotExceedCredits: true },
  stock: { kind: "asset", creditsMustNotExceedDebits: true },
  accepted: { kind: "asset", creditsMustNotExceedDebits: true },
  rejected: { kind: "expense" },
  scrap: { kind: "expense" }
}

/** The id of one of an order's piece accounts. */
export const orderAccountId = (orderId: WorkOrderId, account: OrderAccount): LedgerAccountId =>
  LedgerAccountId.make(derivedUuid(`commonweal/workshop/order/${orderId}/${account}`))

/** What opening one of an order's piece accounts takes. */
export const orderAccountInput = (
  communityId: CommunityId,
  orderId: WorkOrderId,
  sku: WorkSku,
  account: OrderAccount
): OpenAccountInput => ({
  id: orderAccountId(orderId, account),
  communityId,
  unit: piecesUnit(sku),
  owner: { type: "workshop", id: orderId },
  name: `pieces:${account}`,
  ...orderAccountSpec[account]
})

/** The id of a worker's custody account for an order. */
export const custodyAccountId = (orderId: WorkOrderId, residentId: ResidentId): LedgerAccountId =>
  LedgerAccountId.make(derivedUuid(`commonweal/workshop/order/${orderId}/custody/${residentId}`))

/** What opening a worker's custody account for an order takes. */
export const custodyAccountInput = (
  communityId: CommunityId,
  orderId: WorkOrderId,
  sku: WorkSku,
  residentId: ResidentId
): OpenAccountInput => ({
  id: custodyAccountId(orderId, residentId),
  communityId,
  unit: piecesUnit(sku),
  kind: "asset",
  owner: { type: "resident", id: residentId },
  name: `workshop:custody:${orderId.replaceAll("-", "")}`,
  creditsMustNotExceedDebits: true
})

/** The community's own money accounts of the workshop. */
export type MoneyAccount = "cash" | "capital" | "sales" | "wages" | "fund-contributions"

const moneyAccountSpec: Record<
  MoneyAccount,
  Pick<OpenAccountInput, "kind" | "debitsMustNotExceedCredits" | "creditsMustNotExceedDebits">
> = {
  cash: { kind: "asset", creditsMustNotExceedDebits: true },
  capital: { kind: "equity" },
  sales: { kind: "income" },
  wages: { kind: "expense" },
  "fund-contributions": { kind: "expense" }
}

/** The id of one of the community's workshop money accounts. */
export const moneyAccountId = (communityId: CommunityId, account: MoneyAccount): LedgerAccountId =>
  LedgerAccountId.make(derivedUuid(`commonweal/workshop/money/${communityId}/${account}`))

/** What opening one of the community's workshop money accounts takes. */
export const moneyAccountInput = (communityId: CommunityId, account: MoneyAccount): OpenAccountInput => ({
  id: moneyAccountId(communityId, account),
  communityId,
  unit: "CNY",
  owner: { type: "workshop", id: communityId },
  name: account,
  ...moneyAccountSpec[account]
})

/** The id of a factory's receivable (what it owes the workshop for invoiced items). */
export const receivableAccountId = (factoryId: FactoryId): LedgerAccountId =>
  LedgerAccountId.make(derivedUuid(`commonweal/workshop/factory/${factoryId}/receivable`))

/** What opening a factory's receivable takes. */
export const receivableAccountInput = (communityId: CommunityId, factoryId: FactoryId): OpenAccountInput => ({
  id: receivableAccountId(factoryId),
  communityId,
  unit: "CNY",
  kind: "asset",
  owner: { type: "workshop", id: factoryId },
  name: "receivable",
  creditsMustNotExceedDebits: true
})

/** The id of what the workshop owes a worker (the resident), across orders. */
export const wagesPayableAccountId = (communityId: CommunityId, residentId: ResidentId): LedgerAccountId =>
  LedgerAccountId.make(derivedUuid(`commonweal/workshop/wages/${communityId}/${residentId}`))

/** What opening a worker's wages payable takes. */
export const wagesPayableAccountInput = (communityId: CommunityId, residentId: ResidentId): OpenAccountInput => ({
  id: wagesPayableAccountId(communityId, residentId),
  communityId,
  unit: "CNY",
  kind: "liability",
  owner: { type: "resident", id: residentId },
  name: "workshop:wages",
  debitsMustNotExceedCredits: true
})

/**
 * The ledger transfer codes of the workshop (4000s; the fund uses the 2000s, mutual aid the
 * 3000s).
 */
export const WorkshopCodes = {
  receive: 4001,
  issue: 4002,
  accept: 4003,
  reject: 4004,
  unused: 4005,
  scrap: 4006,
  deliver: 4007,
  return_to_factory: 4008,
  /** A confirmed pay line: wages expense → the worker's wages payable (or back, for a deduction). */
  payLine: 4101,
  /** A payout: the worker's wages payable ← workshop cash. */
  payout: 4102,
  /** An invoice: factory receivable ← workshop sales. */
  invoice: 4201,
  /** A factory's payment of an invoice: workshop cash ← factory receivable. */
  invoicePayment: 4202,
  /** Money put into the workshop's cash: cash ← capital. */
  cash: 4301,
  /** Margin moved to the public-welfare fund. */
  fundContribution: 4302
} as const satisfies Record<MovementKind | string, number>

/** A transfer id derived from another (a return's parts, a pay line's posting, a payout). */
export const derivedTransferId = (seed: string): TransferId =>
  TransferId.make(derivedUuid(`commonweal/workshop/transfer/${seed}`))
