/**
 * The workshop service (Xin Workshop 馨工坊): partner factories and their products, work orders
 * with dated piece rates checked against the minimum wage, enrolled workers, every movement of
 * pieces from the factory through stock and workers' custody to accepted, rejected, scrap and
 * back, pay lines, pay periods and their payouts, invoices, and the workshop's cash.
 *
 * Every method runs as the {@link CurrentActor} in the actor's community and checks a permission
 * of {@link WorkshopPermissions} first. Pieces and money move only through the ledger: a command
 * that moves them posts its transfers with `postWithin` in the **same transaction** as the
 * workshop records that name them and the outbox event, so all of it commits or none of it does.
 * The ledger's limits (stock, custody and accepted never below zero; a worker is never paid more
 * than they are owed; cash never overdrawn) hold for the workshop too; the service checks them
 * first to say, in words, how many pieces (or how much money) there are.
 *
 * - Every write whose input carries an `id` is idempotent: the same id with the same content
 *   returns the first result and writes nothing; with other content it is `Conflict`
 *   (duplicate).
 * - Who sees what: `workshop:read` sees everything; a worker (`workshop:read:own`, matched by the
 *   actor's `residentId`) sees their own worker record, custody, movements, pay lines and
 *   payslips; a factory's contact (`workshop:read:factory`, matched by subject) sees that factory,
 *   its orders, their progress and its invoices. A record the actor may not see is `NotFound`
 *   (its existence is not leaked); a list the actor may not have is `Forbidden`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { CurrentActor, Workshop } from "@commonweal/core"
 *
 * const back = Effect.gen(function* () {
 *   const workshop = yield* Workshop
 *   // 40 accepted, 1 scrapped: one linked batch; the earning line is posted to the worker's wages
 *   return yield* workshop.returnPieces({
 *     id: "0190f0a0-0000-7000-8000-00000000b001", // chosen by the caller: retrying is safe
 *     orderId,
 *     workerId,
 *     accepted: 40,
 *     scrapped: 1
 *   })
 * }).pipe(Effect.provideService(CurrentActor, coordinator))
 * ```
 *
 * @module
 */
import { Clock, Context, DateTime, Effect, Layer, Option, type Result, Schema } from "effect"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { Fund } from "../fund/FundService.js"
import { FundPermissions } from "../fund/permissions.js"
import type { Actor } from "../kernel/Actor.js"
import { CurrentActor } from "../kernel/Actor.js"
import type { DomainError } from "../kernel/Errors.js"
import { Conflict, Forbidden, InsufficientFunds, InvalidInput, InvalidTransition, NotFound } from "../kernel/Errors.js"
import { makeEvent, Outbox } from "../kernel/Event.js"
import { IdGenerator } from "../kernel/Ids.js"
import type { Page, PageRequest, Window } from "../kernel/Paging.js"
import * as Paging from "../kernel/Paging.js"
import { authorize, authorizeAny, can } from "../kernel/Policy.js"
import { Transactor } from "../kernel/Transactor.js"
import { decodeInput } from "../kernel/Validation.js"
import type { LedgerAccountId, OpenAccountInput, TransferRequest } from "../ledger/Ledger.js"
import { TransferId } from "../ledger/Ledger.js"
import { LedgerRepo } from "../ledger/LedgerRepo.js"
import { balanceOf } from "../ledger/LedgerRules.js"
import { postWithin } from "../ledger/Posting.js"
import { ResidentRepo } from "../residents/ResidentRepo.js"
import * as Custody from "./Custody.js"
import * as FairPayRules from "./FairPayRules.js"
import * as PayRules from "./PayRules.js"
import type { Payslip } from "./Payslip.js"
import * as Progress from "./Progress.js"
import {
  AddCashInput,
  AddFactoryInput,
  AddPayLineInput,
  AddWorkProductInput,
  ChangeRateInput,
  ClosePayPeriodInput,
  ConfigureWorkshopInput,
  ContributeToFundInput,
  CreateWorkOrderInput,
  EnrollWorkerInput,
  type Factory,
  FactoryId,
  type Invoice,
  InvoiceId,
  IssueInput,
  IssueInvoiceInput,
  type Movement,
  type MovementKind,
  MovementQuery,
  type PayLine,
  PayLineId,
  PayLineQuery,
  type PayPeriod,
  PayPeriodId,
  ReceiveInput,
  ReturnInput,
  ShipInput,
  StartWorkOrderInput,
  type Worker,
  WorkerId,
  type WorkOrder,
  WorkOrderId,
  WorkOrderQuery,
  type WorkOrderStatus,
  type WorkProduct,
  WorkProductId,
  type WorkshopSettings
} from "./Workshop.js"
import * as Accounts from "./WorkshopAccounts.js"
import {
  CashAdded,
  FactoryAdded,
  FundContributed,
  InvoiceIssued,
  InvoicePaid,
  PayLineAdded,
  PayLineConfirmed,
  PayLineDismissed,
  PayPeriodClosed,
  PayPeriodPaid,
  PiecesMoved,
  RateChanged,
  WorkerEnrolled,
  WorkerLeft,
  WorkOrderCancelled,
  WorkOrderClosed,
  WorkOrderCreated,
  WorkOrderStarted,
  WorkProductAdded,
  WorkshopConfigured,
  WorkshopEvent
} from "./WorkshopEvent.js"
import type { InvoiceQuery, WorkshopStorage } from "./WorkshopRepo.js"
import { timedKey, WorkshopRepo } from "./WorkshopRepo.js"
import { WorkshopPermissions as P } from "./permissions.js"

/** The errors a workshop command can fail with. */
export type WorkshopCommandError = DomainError

/** What a worker's return recorded: its movements (one per positive count) and the pay lines they earned. */
export interface ReturnRecorded {
  readonly movements: ReadonlyArray<Movement>
  readonly payLines: ReadonlyArray<PayLine>
}

/** A worker's custody of one order, with how long the oldest pieces still held have been out. */
export interface WorkerCustody extends Custody.CustodyLine {
  /** Whole days since `oldestAt`. */
  readonly days: number
  /** When the oldest issue still (partly) held was made; `null` when nothing is held. */
  readonly oldestAt: number | null
}

/** The piece balances of an order as the workshop's ledger accounts hold them. */
export interface OrderLedgerPieces {
  /** Pieces in the order's stock account. */
  readonly stock: number
  /** Accepted pieces not yet delivered, in the order's accepted account. */
  readonly accepted: number
  /** Pieces in all workers' custody accounts of the order. */
  readonly custody: number
}

/** An order's movements reconciled to its ledger accounts. */
export interface OrderReconciliation {
  /** The order's balance from its movements. */
  readonly balance: Custody.OrderBalance
  /** Each worker's custody of the order, from the movements. */
  readonly workers: ReadonlyArray<Custody.CustodyLine>
  /** What the ledger accounts hold. */
  readonly ledger: OrderLedgerPieces
  /**
   * Whether the movements and the ledger agree: stock, accepted, custody (in total and per
   * worker), rejected, scrap and the factory's account.
   */
  readonly balanced: boolean
}

/** What a money command returns: the ledger transfer it posted. */
export interface CashPosted {
  readonly transferId: TransferId
}

/** What a contribution to the fund returns: the workshop's transfer and the fund's entry. */
export interface FundContribution {
  readonly transferId: TransferId
  readonly fundEntryId: TransferId
}

/** How many records the service reads per call when it walks a whole list. */
const WALK = 1_000

/** A day in milliseconds. */
const DAY = 86_400_000

/** Days of accepted pieces the pace of an order's progress is measured over. */
const PACE_WINDOW_DAYS = 7

/** China Standard Time (Asia/Shanghai) is UTC+8 all year, without daylight saving. */
const SHANGHAI_OFFSET = 8 * 3_600_000

const isFactoryId = Schema.is(FactoryId)
const isProductId = Schema.is(WorkProductId)
const isOrderId = Schema.is(WorkOrderId)
const isWorkerId = Schema.is(WorkerId)
const isPayLineId = Schema.is(PayLineId)
const isPeriodId = Schema.is(PayPeriodId)
const isInvoiceId = Schema.is(InvoiceId)
const isTransferId = Schema.is(TransferId)

/** Fails with `InvalidInput` on `field` unless `value` is a well-formed id. */
const checkId = <A extends string>(is: (u: unknown) => u is A, field: string, value: string) =>
  is(value) ? Effect.succeed(value) : Effect.fail(InvalidInput.of(field, "is not a valid id / 编号格式无效"))

/** `¥12.34` for an amount of fen. */
const yuan = (fen: number): string => {
  const abs = Math.abs(fen)
  return `${fen < 0 ? "-" : ""}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
}

/** `n piece` / `n pieces`. */
const pieces = (n: number): string => `${n} piece${n === 1 ? "" : "s"}`

/** A pay line's id derived from a seed (see `PayRules.derivedPayLineId`). */
const derivedPayLineId = PayRules.derivedPayLineId

/** The money transfer that posts a confirmed pay line. */
export const payLineTransferId = (lineId: PayLineId): TransferId => Accounts.derivedTransferId(`payline/${lineId}`)

/** The money transfer that pays one worker's slip of a period. */
export const payoutTransferId = (periodId: PayPeriodId, workerId: WorkerId): TransferId =>
  Accounts.derivedTransferId(`payout/${periodId}/${workerId}`)

/** The money transfer that posts an invoice. */
export const invoiceTransferId = (invoiceId: InvoiceId): TransferId =>
  Accounts.derivedTransferId(`invoice/${invoiceId}`)

/** The money transfer that records an invoice's payment. */
export const invoicePaymentTransferId = (invoiceId: InvoiceId): TransferId =>
  Accounts.derivedTransferId(`invoice/${invoiceId}/paid`)

/** The fund entry a contribution records. */
export const fundEntryIdOf = (contributionId: TransferId): TransferId =>
  Accounts.derivedTransferId(`fund/${contributionId}`)

/** The movement ids of a return: the first positive kind takes the return's id, the others derive theirs. */
const returnMovementId = (returnId: TransferId, index: number, kind: MovementKind): TransferId =>
  index === 0 ? returnId : Accounts.derivedTransferId(`${returnId}/${kind}`)

/** Whether a recorded movement is the one asked for again (an idempotent replay). */
const sameMovement = (recorded: Movement, asked: Movement, occurredAtGiven: boolean): boolean =>
  recorded.kind === asked.kind &&
  recorded.orderId === asked.orderId &&
  recorded.workerId === asked.workerId &&
  recorded.quantity === asked.quantity &&
  recorded.place === asked.place &&
  (!occurredAtGiven || recorded.occurredAt === asked.occurredAt)

/**
 * The note a movement gets when its input has none (a movement's note may not be blank): what
 * happened, in English and Chinese.
 */
export const defaultMovementNote = (kind: MovementKind, place: "onsite" | "home" | null = null): string => {
  switch (kind) {
    case "receive":
      return "parts received from the factory / 收到工厂零件"
    case "issue":
      return place === "home" ? "signed out to take home / 领料带回家" : "signed out on site / 现场领料"
    case "accept":
      return "returned, accepted / 交回合格品"
    case "reject":
      return "returned, rejected / 交回不合格品"
    case "unused":
      return "returned unused / 退回未用零件"
    case "scrap":
      return "damaged or lost / 损坏或遗失"
    case "deliver":
      return "delivered to the factory / 交付工厂"
    case "return_to_factory":
      return "sent back to the factory / 退回工厂"
  }
}

/** The order statuses in which each kind of movement may be recorded. */
const movableIn: Record<MovementKind, ReadonlyArray<WorkOrderStatus>> = {
  receive: ["open"],
  issue: ["open"],
  accept: ["open", "closed"],
  reject: ["open", "closed"],
  unused: ["open", "closed"],
  scrap: ["open", "closed"],
  deliver: ["open", "closed"],
  return_to_factory: ["open", "closed", "cancelled"]
}

/** The kinds of pay line a return's movement of each kind may have earned (`PayRules.linesForReturn`). */
const lineKindsOf: Partial<Record<MovementKind, ReadonlyArray<PayLine["kind"]>>> = {
  accept: ["earning"],
  reject: ["reject_pay", "deduction"],
  scrap: ["deduction"]
}

/** What the actor may read: everything, or their own worker's records, or their factory's. */
interface Access {
  readonly all: boolean
  readonly worker: Worker | null
  readonly factory: Factory | null
}

/** An invoice with what printing it takes: see `Workshop.invoiceDocument` and `Payslips.invoiceHtml`. */
export interface InvoiceDocument {
  readonly invoice: Invoice
  readonly factory: Factory
  readonly order: WorkOrder
  readonly communityName: string
}

/**
 * The workshop service. `Workshop.layer` builds it from the storage ports (`WorkshopRepo`, the
 * ledger's `LedgerRepo`, `ResidentRepo` to check enrolments, `CommunityRepo` for payslips'
 * community name, `Outbox`, `Transactor`), `IdGenerator` and the `Fund` service (contributions).
 */
export class Workshop extends Context.Service<Workshop>()("@commonweal/core/Workshop", {
  make: Effect.gen(function* () {
    const repo = yield* WorkshopRepo
    const ledger = yield* LedgerRepo
    const residents = yield* ResidentRepo
    const communities = yield* CommunityRepo
    const outbox = yield* Outbox
    const transactor = yield* Transactor
    const ids = yield* IdGenerator
    const fund = yield* Fund
    const transaction = transactor.withTransaction
    const nowMs = Clock.currentTimeMillis
    const rule = <A, E>(result: Result.Result<A, E>) => Effect.fromResult(result)

    /** Opens the accounts and posts one linked batch, in the current transaction. */
    const post = (actor: Actor, open: ReadonlyArray<OpenAccountInput>, requests: ReadonlyArray<TransferRequest>) =>
      postWithin(actor, { open, requests }).pipe(
        Effect.provideService(LedgerRepo, ledger),
        Effect.provideService(Outbox, outbox),
        Effect.provideService(IdGenerator, ids)
      )

    /** Appends an event about a workshop record. */
    const append = (actor: Actor, aggregateType: string, aggregateId: string, version: number, event: WorkshopEvent) =>
      makeEvent(WorkshopEvent, { actor, aggregateType, aggregateId, aggregateVersion: version, event }).pipe(
        Effect.provideService(IdGenerator, ids),
        Effect.flatMap((e) => outbox.append([e]))
      )

    /** Appends several events in one outbox call (one insert instead of one per event). */
    const appendAll = (
      actor: Actor,
      items: ReadonlyArray<{
        readonly aggregateType: string
        readonly aggregateId: string
        readonly version: number
        readonly event: WorkshopEvent
      }>
    ) =>
      Effect.forEach(items, (item) =>
        makeEvent(WorkshopEvent, {
          actor,
          aggregateType: item.aggregateType,
          aggregateId: item.aggregateId,
          aggregateVersion: item.version,
          event: item.event
        })
      ).pipe(
        Effect.provideService(IdGenerator, ids),
        Effect.flatMap((events) => outbox.append(events))
      )

    const orFail =
      <A>(entity: string, id: string) =>
      (found: Option.Option<A>): Effect.Effect<A, NotFound> =>
        Option.match(found, { onNone: () => Effect.fail(NotFound.of(entity, id)), onSome: Effect.succeed })

    const settingsOf = (actor: Actor): Effect.Effect<WorkshopSettings> =>
      Effect.map(
        repo.settings(actor.communityId),
        Option.getOrElse(
          (): WorkshopSettings => ({
            communityId: actor.communityId,
            minimumHourlyWageFen: 0,
            version: 0,
            updatedAt: 0
          })
        )
      )

    const factoryOf = (actor: Actor, id: FactoryId) =>
      Effect.flatMap(repo.findFactory(actor.communityId, id), orFail("Factory", id))
    const productOf = (actor: Actor, id: WorkProductId) =>
      Effect.flatMap(repo.findProduct(actor.communityId, id), orFail("WorkProduct", id))
    const orderOf = (actor: Actor, id: WorkOrderId) =>
      Effect.flatMap(repo.findOrder(actor.communityId, id), orFail("WorkOrder", id))
    const workerOf = (actor: Actor, id: WorkerId) =>
      Effect.flatMap(repo.findWorker(actor.communityId, id), orFail("Worker", id))
    const payLineOf = (actor: Actor, id: PayLineId) =>
      Effect.flatMap(repo.findPayLine(actor.communityId, id), orFail("PayLine", id))
    const periodOf = (actor: Actor, id: PayPeriodId) =>
      Effect.flatMap(repo.findPeriod(actor.communityId, id), orFail("PayPeriod", id))
    const invoiceOf = (actor: Actor, id: InvoiceId) =>
      Effect.flatMap(repo.findInvoice(actor.communityId, id), orFail("Invoice", id))

    /** The posted balance of a ledger account (0 when it was never opened). */
    const balance = (actor: Actor, id: LedgerAccountId): Effect.Effect<number> =>
      Effect.map(ledger.findAccount(actor.communityId, id), Option.match({ onNone: () => 0, onSome: balanceOf }))

    /** Every record of a keyed list, walking it a thousand at a time. */
    const walk = <A>(
      fetch: (window: Window) => Effect.Effect<ReadonlyArray<A>>,
      key: (a: A) => string
    ): Effect.Effect<Array<A>> =>
      Effect.gen(function* () {
        const out: Array<A> = []
        let after: string | undefined
        for (;;) {
          const page = yield* fetch({ after, limit: WALK })
          out.push(...page)
          const last = page[page.length - 1]
          if (page.length < WALK || last === undefined) return out
          after = key(last)
        }
      })

    /**
     * What the actor may read. `read` sees all; otherwise the actor needs one of the narrower
     * permissions the call allows (else `Forbidden`), and sees what it matches (maybe nothing).
     */
    const accessOf = (
      actor: Actor,
      allow: { readonly own?: boolean; readonly factory?: boolean }
    ): Effect.Effect<Access, Forbidden> =>
      Effect.gen(function* () {
        if (can(actor, P.read)) return { all: true, worker: null, factory: null }
        yield* authorizeAny(actor, [
          P.read,
          ...(allow.own === true ? [P["read:own"]] : []),
          ...(allow.factory === true ? [P["read:factory"]] : [])
        ])
        const worker =
          allow.own === true && can(actor, P["read:own"]) && actor.residentId !== undefined
            ? Option.getOrNull(yield* repo.findWorkerByResident(actor.communityId, actor.residentId))
            : null
        const factory =
          allow.factory === true && can(actor, P["read:factory"])
            ? Option.getOrNull(yield* repo.findFactoryBySubject(actor.communityId, actor.subject))
            : null
        return { all: false, worker, factory }
      })

    /** Whether the access covers a worker's own records. */
    const seesWorker = (access: Access, workerId: WorkerId | null): boolean =>
      access.all || (access.worker !== null && access.worker.id === workerId)
    /** Whether the access covers a factory's records. */
    const seesFactory = (access: Access, factoryId: FactoryId): boolean =>
      access.all || (access.factory !== null && access.factory.id === factoryId)

    const notEnrolled = (action: string) =>
      Forbidden.of(action, "the actor is not enrolled as a worker / 当前用户未登记为工坊工人")
    const notFactory = (action: string) =>
      Forbidden.of(action, "the actor is no partner factory's contact / 当前用户不是合作工厂联系人")

    /** A one-page list of at most one record (what a worker or a factory sees of a list). */
    const single = <A>(item: A | null): Page<A> => ({ items: item === null ? [] : [item], nextCursor: null })

    /** The order's piece accounts (and the worker's custody) a movement may need opened. */
    const pieceAccounts = (
      actor: Actor,
      order: WorkOrder,
      residentId: Worker["residentId"] | null
    ): ReadonlyArray<OpenAccountInput> => [
      ...(["factory", "stock", "accepted", "rejected", "scrap"] as const).map((a) =>
        Accounts.orderAccountInput(actor.communityId, order.id, order.sku, a)
      ),
      ...(residentId === null ? [] : [Accounts.custodyAccountInput(actor.communityId, order.id, order.sku, residentId)])
    ]

    /** The ledger transfer of a movement: which account it debits and which it credits. */
    const pieceTransfer = (
      order: WorkOrder,
      movement: Movement,
      residentId: Worker["residentId"] | null
    ): TransferRequest => {
      const acct = (a: Accounts.OrderAccount) => Accounts.orderAccountId(order.id, a)
      const custody = () => {
        if (residentId === null) throw new Error("a worker's movement needs the worker")
        return Accounts.custodyAccountId(order.id, residentId)
      }
      const route: { debit: LedgerAccountId; credit: LedgerAccountId } = (() => {
        switch (movement.kind) {
          case "receive":
            return { debit: acct("stock"), credit: acct("factory") }
          case "issue":
            return { debit: custody(), credit: acct("stock") }
          case "accept":
            return { debit: acct("accepted"), credit: custody() }
          case "reject":
            return { debit: acct("rejected"), credit: custody() }
          case "unused":
            return { debit: acct("stock"), credit: custody() }
          case "scrap":
            return { debit: acct("scrap"), credit: custody() }
          case "deliver":
            return { debit: acct("factory"), credit: acct("accepted") }
          case "return_to_factory":
            return { debit: acct("factory"), credit: acct("stock") }
        }
      })()
      return {
        _tag: "Posted",
        id: movement.id,
        debitAccountId: route.debit,
        creditAccountId: route.credit,
        amount: movement.quantity,
        unit: Accounts.piecesUnit(order.sku),
        code: Accounts.WorkshopCodes[movement.kind],
        reason: `${movement.kind}: ${order.title}`
      }
    }

    /** The money transfer of a confirmed pay line (wages ↔ the worker's wages payable); none for 0 fen. */
    const payLineTransfer = (
      actor: Actor,
      line: PayLine,
      residentId: Worker["residentId"]
    ): ReadonlyArray<TransferRequest> => {
      if (line.amountFen === 0) return []
      const wages = Accounts.moneyAccountId(actor.communityId, "wages")
      const payable = Accounts.wagesPayableAccountId(actor.communityId, residentId)
      const earning = line.amountFen > 0
      return [
        {
          _tag: "Posted",
          id: payLineTransferId(line.id),
          debitAccountId: earning ? wages : payable,
          creditAccountId: earning ? payable : wages,
          amount: Math.abs(line.amountFen),
          unit: "CNY",
          code: Accounts.WorkshopCodes.payLine,
          reason: `workshop pay: ${line.kind} / 工坊工资`
        }
      ]
    }

    const payAccounts = (actor: Actor, residentId: Worker["residentId"]): ReadonlyArray<OpenAccountInput> => [
      Accounts.moneyAccountInput(actor.communityId, "wages"),
      Accounts.wagesPayableAccountInput(actor.communityId, residentId)
    ]

    /** Fails unless an order is in one of the statuses. */
    const checkStatus = (order: WorkOrder, allowed: ReadonlyArray<WorkOrderStatus>, action: string) =>
      allowed.includes(order.status)
        ? Effect.void
        : Effect.fail(InvalidTransition.of("WorkOrder", order.status, action))

    /** What closed, unpaid pay periods have frozen for a worker (their slips' net pay, still owed). */
    const frozenFor = (actor: Actor, workerId: WorkerId): Effect.Effect<number> =>
      Effect.map(
        walk(
          (window) => repo.listPeriods(actor.communityId, window),
          (p) => p.id
        ),
        (periods) =>
          periods
            .filter((p) => p.status === "closed")
            .flatMap((p) => p.slips)
            .filter((s) => s.workerId === workerId)
            .reduce((n, s) => n + Math.max(0, s.netFen), 0)
      )

    /**
     * The refusal of a deduction larger than what the workshop owes the worker beyond the pay of
     * closed periods not paid yet (that pay is frozen in their payslips; a deduction may not eat
     * into it, or the payout would fail).
     */
    const checkOwed = (actor: Actor, worker: Worker, deduction: number) =>
      Effect.gen(function* () {
        if (deduction <= 0) return
        const accountId = Accounts.wagesPayableAccountId(actor.communityId, worker.residentId)
        const owed = (yield* balance(actor, accountId)) - (yield* frozenFor(actor, worker.id))
        if (deduction > owed) {
          const available = Math.max(0, owed)
          return yield* Effect.fail(
            new InsufficientFunds({
              account: accountId,
              message: `the workshop owes this worker ${yuan(available)} beyond pay periods already closed; cannot deduct ${yuan(deduction)} / 除已结算的工资外，工坊只欠该工人 ${yuan(available)}，不能扣除 ${yuan(deduction)}`
            })
          )
        }
      })

    /** The refusal of a payment larger than the workshop's cash. */
    const checkCash = (actor: Actor, amount: number, what: string, whatZh: string) =>
      Effect.gen(function* () {
        const accountId = Accounts.moneyAccountId(actor.communityId, "cash")
        const cash = yield* balance(actor, accountId)
        if (amount > cash) {
          return yield* Effect.fail(
            new InsufficientFunds({
              account: accountId,
              message: `the workshop's cash holds ${yuan(cash)}; ${what} needs ${yuan(amount)} / 工坊现金只有 ${yuan(cash)}，${whatZh}需要 ${yuan(amount)}`
            })
          )
        }
      })

    /**
     * Records a single movement (receive, issue, deliver, return to factory): replay check,
     * order state, the source account's count, the ledger transfer, the record and the event.
     */
    const moveOne = (
      kind: "receive" | "issue" | "deliver" | "return_to_factory",
      input: {
        readonly id: TransferId
        readonly orderId: WorkOrderId
        readonly quantity: number
        readonly note?: string | undefined
        readonly occurredAt?: number | undefined
        readonly workerId?: WorkerId | undefined
        readonly place?: "onsite" | "home" | undefined
      }
    ): Effect.Effect<Movement, DomainError, CurrentActor> =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        return yield* transaction(
          Effect.gen(function* () {
            yield* ledger.lockCommunity(actor.communityId)
            const now = yield* nowMs
            const movement: Movement = {
              id: input.id,
              communityId: actor.communityId,
              orderId: input.orderId,
              kind,
              workerId: input.workerId ?? null,
              quantity: input.quantity,
              place: input.place ?? null,
              note: input.note ?? defaultMovementNote(kind, input.place ?? null),
              occurredAt: input.occurredAt ?? now,
              recordedBy: actor.subject
            }
            const existing = yield* repo.findMovement(actor.communityId, input.id)
            if (Option.isSome(existing)) {
              if (sameMovement(existing.value, movement, input.occurredAt !== undefined)) return existing.value
              return yield* Effect.fail(Conflict.duplicate("Movement", input.id))
            }
            const order = yield* orderOf(actor, input.orderId)
            yield* checkStatus(order, movableIn[kind], kind === "issue" ? "issue pieces of" : `record a ${kind} on`)
            let residentId: Worker["residentId"] | null = null
            if (input.workerId !== undefined) {
              const worker = yield* workerOf(actor, input.workerId)
              if (!worker.active) {
                return yield* Effect.fail(
                  new InvalidTransition({
                    entity: "Worker",
                    from: "left",
                    action: "issue pieces to",
                    message:
                      "this worker has left the workshop; pieces cannot be issued to them / 该工人已离开工坊，不能再领料"
                  })
                )
              }
              residentId = worker.residentId
            }
            const source =
              kind === "issue" || kind === "return_to_factory" ? "stock" : kind === "deliver" ? "accepted" : null
            if (source !== null) {
              const sourceId = Accounts.orderAccountId(order.id, source)
              const held = yield* balance(actor, sourceId)
              if (held < input.quantity) {
                const verb =
                  kind === "issue"
                    ? ["issue", "领出"]
                    : kind === "deliver"
                      ? ["deliver", "交付"]
                      : ["return to the factory", "退回工厂"]
                const where =
                  source === "stock" ? ["stock holds", "库存只有"] : ["accepted items waiting hold", "待交合格品只有"]
                return yield* Effect.fail(
                  new InsufficientFunds({
                    account: sourceId,
                    message: `${where[0]} ${pieces(held)} of ${order.sku} on this order; cannot ${verb[0]} ${input.quantity} / 此工单${where[1]} ${held} 件，不能${verb[1]} ${input.quantity} 件`
                  })
                )
              }
            }
            yield* post(actor, pieceAccounts(actor, order, residentId), [pieceTransfer(order, movement, residentId)])
            yield* repo.insertMovements([movement])
            yield* append(
              actor,
              "WorkOrder",
              order.id,
              order.version,
              PiecesMoved.make({
                orderId: order.id,
                workerId: movement.workerId,
                movements: [{ id: movement.id, kind, quantity: movement.quantity }]
              })
            )
            return movement
          })
        )
      })

    /** A state change of an order (close, cancel): load, check, save, event. */
    const orderCommand = (
      id: string,
      step: (
        actor: Actor,
        order: WorkOrder,
        now: number
      ) => Effect.Effect<{ order: WorkOrder; event: WorkshopEvent }, DomainError>
    ): Effect.Effect<WorkOrder, DomainError, CurrentActor> =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        yield* authorize(actor, P.manage)
        const orderId = yield* checkId(isOrderId, "id", id)
        return yield* transaction(
          Effect.gen(function* () {
            const current = yield* orderOf(actor, orderId)
            const changed = yield* step(actor, current, yield* nowMs)
            yield* repo.updateOrder(changed.order)
            yield* append(actor, "WorkOrder", changed.order.id, changed.order.version, changed.event)
            return changed.order
          })
        )
      })

    /** Pieces in workers' custody, summed from the movements of the query. */
    const custodyOf = (actor: Actor, query: typeof MovementQuery.Type) =>
      Effect.map(repo.movementTotals(actor.communityId, query), (totals) => Custody.custodyLines(totals))

    /** The movements and pay lines a return recorded, for a replay. */
    const replayReturn = (actor: Actor, input: typeof ReturnInput.Type, parts: ReadonlyArray<Custody.ReturnPart>) =>
      Effect.gen(function* () {
        const movements: Array<Movement> = []
        for (const [i, part] of parts.entries()) {
          const id = returnMovementId(input.id, i, part.kind)
          const found = yield* repo.findMovement(actor.communityId, id)
          const m = Option.getOrNull(found)
          if (
            m === null ||
            m.kind !== part.kind ||
            m.orderId !== input.orderId ||
            m.workerId !== input.workerId ||
            m.quantity !== part.quantity ||
            (input.occurredAt !== undefined && m.occurredAt !== input.occurredAt)
          ) {
            return yield* Effect.fail(Conflict.duplicate("Movement", input.id))
          }
          movements.push(m)
        }
        if (movements.length === 0) return yield* Effect.fail(Conflict.duplicate("Movement", input.id))
        const payLines: Array<PayLine> = []
        for (const m of movements) {
          for (const kind of lineKindsOf[m.kind] ?? []) {
            const line = yield* repo.findPayLine(actor.communityId, derivedPayLineId(`${m.id}/${kind}`))
            if (Option.isSome(line)) payLines.push(line.value)
          }
        }
        return {
          movements,
          payLines
        } satisfies ReturnRecorded
      })

    return {
      /** The community's workshop settings (`minimumHourlyWageFen` 0, version 0 until configured). Needs `workshop:read`. */
      settings: (): Effect.Effect<WorkshopSettings, Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          return yield* settingsOf(actor)
        }),

      /**
       * Sets the part-time hourly minimum wage that piece rates are checked against. Needs
       * `workshop:manage`; the version goes up by one. Existing orders keep their fair-pay check
       * until started or re-rated.
       */
      configure: (
        input: typeof ConfigureWorkshopInput.Encoded
      ): Effect.Effect<WorkshopSettings, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(ConfigureWorkshopInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              const current = yield* settingsOf(actor)
              const next: WorkshopSettings = {
                communityId: actor.communityId,
                minimumHourlyWageFen: valid.minimumHourlyWageFen,
                version: current.version + 1,
                updatedAt: yield* nowMs
              }
              yield* repo.putSettings(next)
              yield* append(
                actor,
                "WorkshopSettings",
                actor.communityId,
                next.version,
                WorkshopConfigured.make({ minimumHourlyWageFen: next.minimumHourlyWageFen, version: next.version })
              )
              return next
            })
          )
        }),

      /** Adds a partner factory (its staff's subjects see its orders and invoices). Needs `workshop:manage`. */
      addFactory: (input: typeof AddFactoryInput.Encoded): Effect.Effect<Factory, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(AddFactoryInput)(input)
          const factory: Factory = {
            id: FactoryId.make(yield* ids.next),
            communityId: actor.communityId,
            name: valid.name,
            contact: valid.contact,
            subjects: valid.subjects ?? [],
            version: 1,
            createdAt: yield* nowMs
          }
          return yield* transaction(
            Effect.gen(function* () {
              yield* repo.insertFactory(factory)
              yield* append(actor, "Factory", factory.id, 1, FactoryAdded.make({ factoryId: factory.id }))
              return factory
            })
          )
        }),

      /**
       * One factory. Needs `workshop:read`, or `workshop:read:factory` for the actor's own factory
       * (another is `NotFound`). A malformed id is `InvalidInput`.
       */
      factory: (id: string): Effect.Effect<Factory, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { factory: true })
          const factoryId = yield* checkId(isFactoryId, "id", id)
          const factory = yield* factoryOf(actor, factoryId)
          if (!seesFactory(access, factory.id)) return yield* Effect.fail(NotFound.of("Factory", id))
          return factory
        }),

      /**
       * The factories, by id, cursor-paged. Needs `workshop:read`; a factory's contact
       * (`workshop:read:factory`) gets a page with only their own factory.
       */
      factories: (page?: PageRequest): Effect.Effect<Page<Factory>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { factory: true })
          const window = yield* Effect.fromResult(Paging.window(page))
          if (!access.all) {
            if (access.factory === null) return yield* Effect.fail(notFactory(P.read.name))
            return single(access.factory)
          }
          const fetched = yield* repo.listFactories(actor.communityId, { after: window.after, limit: window.limit + 1 })
          return Paging.fromItems(fetched, window.limit, (f) => f.id)
        }),

      /**
       * Adds a product a factory sends for assembly. Needs `workshop:manage`. The factory must
       * exist (`NotFound`), the bill of parts must not be empty (`InvalidInput`), and an SKU the
       * community already uses is `Conflict`.
       */
      addProduct: (input: typeof AddWorkProductInput.Encoded): Effect.Effect<WorkProduct, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(AddWorkProductInput)(input)
          if (valid.parts.length === 0) {
            return yield* Effect.fail(
              InvalidInput.of("parts", "a product lists at least one part / 产品至少须列出一种零件")
            )
          }
          const id = WorkProductId.make(yield* ids.next)
          const now = yield* nowMs
          return yield* transaction(
            Effect.gen(function* () {
              yield* factoryOf(actor, valid.factoryId)
              const product: WorkProduct = {
                id,
                communityId: actor.communityId,
                factoryId: valid.factoryId,
                sku: valid.sku,
                name: valid.name,
                parts: valid.parts,
                standardSeconds: valid.standardSeconds,
                version: 1,
                createdAt: now
              }
              yield* repo.insertProduct(product).pipe(
                Effect.mapError(
                  (e): Conflict =>
                    e.reason === "duplicate"
                      ? new Conflict({
                          entity: "WorkProduct",
                          id: product.sku,
                          reason: "duplicate",
                          message: `the SKU ${product.sku} is already used in this community / 本社区已有此产品编码 ${product.sku}`
                        })
                      : e
                )
              )
              yield* append(
                actor,
                "WorkProduct",
                product.id,
                1,
                WorkProductAdded.make({ productId: product.id, factoryId: product.factoryId, sku: product.sku })
              )
              return product
            })
          )
        }),

      /** One product. Needs `workshop:read`. */
      product: (id: string): Effect.Effect<WorkProduct, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          return yield* productOf(actor, yield* checkId(isProductId, "id", id))
        }),

      /** The products, by id, cursor-paged. Needs `workshop:read`. */
      products: (page?: PageRequest): Effect.Effect<Page<WorkProduct>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const window = yield* Effect.fromResult(Paging.window(page))
          const fetched = yield* repo.listProducts(actor.communityId, { after: window.after, limit: window.limit + 1 })
          return Paging.fromItems(fetched, window.limit, (p) => p.id)
        }),

      /**
       * Creates a work order as a `draft`: its first rate takes effect now, and its fair-pay check
       * uses the product's standard seconds and the configured minimum wage. Needs
       * `workshop:manage`. The product must exist; the deadline must be after now (`InvalidInput`).
       */
      createOrder: (input: typeof CreateWorkOrderInput.Encoded): Effect.Effect<WorkOrder, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(CreateWorkOrderInput)(input)
          const id = WorkOrderId.make(yield* ids.next)
          const now = yield* nowMs
          if (valid.deadline <= now) {
            return yield* Effect.fail(InvalidInput.of("deadline", "must be in the future / 交期须晚于现在"))
          }
          return yield* transaction(
            Effect.gen(function* () {
              const product = yield* productOf(actor, valid.productId)
              const settings = yield* settingsOf(actor)
              const order: WorkOrder = {
                id,
                communityId: actor.communityId,
                factoryId: product.factoryId,
                productId: product.id,
                sku: product.sku,
                title: valid.title,
                quantity: valid.quantity,
                priceFen: valid.priceFen,
                rates: [{ effectiveFrom: now, rateFen: valid.rateFen, setBy: actor.subject, setAt: now }],
                deadline: valid.deadline,
                quality: valid.quality,
                fairPay: FairPayRules.fairPay(valid.rateFen, product.standardSeconds, settings.minimumHourlyWageFen),
                lowRateAcknowledgement: null,
                status: "draft",
                createdBy: actor.subject,
                createdAt: now,
                startedAt: null,
                version: 1
              }
              yield* repo.insertOrder(order)
              yield* append(
                actor,
                "WorkOrder",
                order.id,
                1,
                WorkOrderCreated.make({
                  orderId: order.id,
                  productId: order.productId,
                  quantity: order.quantity,
                  rateFen: valid.rateFen,
                  belowMinimum: order.fairPay.belowMinimum
                })
              )
              return order
            })
          )
        }),

      /**
       * Starts a draft order (`draft` → `open`) and opens its piece accounts. Needs
       * `workshop:manage`. Its latest rate is checked again against the current minimum wage: a
       * rate below it is `InvalidInput` naming both hourly figures, unless `acknowledgeLowRate`
       * gives a reason, which the order keeps with who gave it.
       */
      startOrder: (
        id: string,
        input: typeof StartWorkOrderInput.Encoded = {}
      ): Effect.Effect<WorkOrder, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const orderId = yield* checkId(isOrderId, "id", id)
          const valid = yield* decodeInput(StartWorkOrderInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              const order = yield* orderOf(actor, orderId)
              yield* checkStatus(order, ["draft"], "start")
              const now = yield* nowMs
              const settings = yield* settingsOf(actor)
              const latest = order.rates[order.rates.length - 1] ?? FairPayRules.rateAt(order.rates, now)
              const fair = FairPayRules.fairPay(
                latest.rateFen,
                order.fairPay.standardSeconds,
                settings.minimumHourlyWageFen
              )
              const reason = valid.acknowledgeLowRate
              if (fair.belowMinimum && (reason === undefined || reason === "")) {
                return yield* Effect.fail(
                  InvalidInput.of(
                    "acknowledgeLowRate",
                    `rate pays ${yuan(fair.effectiveHourlyFen)}/h at ${fair.standardSeconds} s a piece, below the minimum ${yuan(fair.minimumHourlyWageFen)}/h; start it only with a reason / 计件单价折合时薪 ${yuan(fair.effectiveHourlyFen)}/小时，低于最低工资 ${yuan(fair.minimumHourlyWageFen)}/小时，须说明理由方可开工`
                  )
                )
              }
              const next: WorkOrder = {
                ...order,
                fairPay: fair,
                lowRateAcknowledgement:
                  fair.belowMinimum && reason !== undefined ? { by: actor.subject, reason, at: now } : null,
                status: "open",
                startedAt: now,
                version: order.version + 1
              }
              yield* post(actor, pieceAccounts(actor, order, null), [])
              yield* repo.updateOrder(next)
              yield* append(
                actor,
                "WorkOrder",
                next.id,
                next.version,
                WorkOrderStarted.make({ orderId: next.id, acknowledgedLowRate: next.lowRateAcknowledgement !== null })
              )
              return next
            })
          )
        }),

      /**
       * Adds a rate to a draft or open order's rate table, effective from `effectiveFrom` (default
       * now; never in the past nor before the latest entry: `InvalidInput`). What was earned
       * before keeps its rate. The order's fair-pay check is redone for the new rate; a low new
       * rate on an open order is flagged there, not refused. Needs `workshop:manage`.
       */
      changeRate: (
        id: string,
        input: typeof ChangeRateInput.Encoded
      ): Effect.Effect<WorkOrder, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const orderId = yield* checkId(isOrderId, "id", id)
          const valid = yield* decodeInput(ChangeRateInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              const order = yield* orderOf(actor, orderId)
              yield* checkStatus(order, ["draft", "open"], "change the rate of")
              const now = yield* nowMs
              const settings = yield* settingsOf(actor)
              const entry = {
                effectiveFrom: valid.effectiveFrom ?? now,
                rateFen: valid.rateFen,
                setBy: actor.subject,
                setAt: now
              }
              const rates = yield* rule(FairPayRules.addRate(order.rates, entry, now))
              const next: WorkOrder = {
                ...order,
                rates,
                fairPay: FairPayRules.fairPay(
                  valid.rateFen,
                  order.fairPay.standardSeconds,
                  settings.minimumHourlyWageFen
                ),
                version: order.version + 1
              }
              yield* repo.updateOrder(next)
              yield* append(
                actor,
                "WorkOrder",
                next.id,
                next.version,
                RateChanged.make({
                  orderId: next.id,
                  rateFen: entry.rateFen,
                  effectiveFrom: entry.effectiveFrom,
                  belowMinimum: next.fairPay.belowMinimum
                })
              )
              return next
            })
          )
        }),

      /**
       * Closes an open order (`open` → `closed`): no more receipts or sign-outs; returns,
       * deliveries and invoices still go on. Needs `workshop:manage`; other states are
       * `InvalidTransition`.
       */
      closeOrder: (id: string): Effect.Effect<WorkOrder, DomainError, CurrentActor> =>
        orderCommand(id, (_actor, order) =>
          Effect.gen(function* () {
            yield* checkStatus(order, ["open"], "close")
            const next: WorkOrder = { ...order, status: "closed", version: order.version + 1 }
            return { order: next, event: WorkOrderClosed.make({ orderId: next.id }) }
          })
        ),

      /**
       * Cancels a draft or open order. Needs `workshop:manage`. Refused (`InvalidTransition`)
       * while any piece is in a worker's custody; parts left in stock can still be sent back to the
       * factory afterwards.
       */
      cancelOrder: (id: string): Effect.Effect<WorkOrder, DomainError, CurrentActor> =>
        orderCommand(id, (actor, order) =>
          Effect.gen(function* () {
            yield* checkStatus(order, ["draft", "open"], "cancel")
            yield* ledger.lockCommunity(actor.communityId)
            const held = (yield* custodyOf(actor, { orderId: order.id })).reduce((n, l) => n + l.held, 0)
            if (held > 0) {
              return yield* Effect.fail(
                new InvalidTransition({
                  entity: "WorkOrder",
                  from: order.status,
                  action: "cancel",
                  message: `${pieces(held)} of ${order.sku} are still in workers' custody; they must be returned before the order is cancelled / 工人手中仍有 ${held} 件，须先交回才能取消工单`
                })
              )
            }
            const next: WorkOrder = { ...order, status: "cancelled", version: order.version + 1 }
            return { order: next, event: WorkOrderCancelled.make({ orderId: next.id }) }
          })
        ),

      /**
       * One work order. Needs `workshop:read`, or `workshop:read:factory` for an order of the
       * actor's own factory (another is `NotFound`).
       */
      order: (id: string): Effect.Effect<WorkOrder, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { factory: true })
          const order = yield* orderOf(actor, yield* checkId(isOrderId, "id", id))
          if (!seesFactory(access, order.factoryId)) return yield* Effect.fail(NotFound.of("WorkOrder", id))
          return order
        }),

      /**
       * The work orders, by id, cursor-paged, optionally of one factory and status. Needs
       * `workshop:read`; a factory's contact gets only their own factory's orders.
       */
      orders: (
        query: typeof WorkOrderQuery.Encoded = {},
        page?: PageRequest
      ): Effect.Effect<Page<WorkOrder>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { factory: true })
          const valid = yield* decodeInput(WorkOrderQuery)(query)
          const window = yield* Effect.fromResult(Paging.window(page))
          let effective = valid
          if (!access.all) {
            if (access.factory === null) return yield* Effect.fail(notFactory(P.read.name))
            if (valid.factoryId !== undefined && valid.factoryId !== access.factory.id) return single<WorkOrder>(null)
            effective = { ...valid, factoryId: access.factory.id }
          }
          const fetched = yield* repo.listOrders(actor.communityId, effective, {
            after: window.after,
            limit: window.limit + 1
          })
          return Paging.fromItems(fetched, window.limit, (o) => o.id)
        }),

      /**
       * Enrols a resident as a worker. Needs `workshop:manage`. The resident must exist in the
       * community (`NotFound`); a resident already enrolled is `Conflict`. A resident who left
       * before is enrolled again under their earlier worker record (made active, with the new
       * display name), so their pay history stays in one place.
       */
      enroll: (input: typeof EnrollWorkerInput.Encoded): Effect.Effect<Worker, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(EnrollWorkerInput)(input)
          const id = WorkerId.make(yield* ids.next)
          const now = yield* nowMs
          return yield* transaction(
            Effect.gen(function* () {
              const resident = yield* residents.findById(actor.communityId, valid.residentId)
              if (Option.isNone(resident) || resident.value.status === "erased") {
                return yield* Effect.fail(NotFound.of("Resident", valid.residentId))
              }
              const existing = yield* repo.findWorkerByResident(actor.communityId, valid.residentId)
              if (Option.isSome(existing)) {
                if (existing.value.active) {
                  return yield* Effect.fail(
                    new Conflict({
                      entity: "Worker",
                      id: valid.residentId,
                      reason: "duplicate",
                      message: `this resident is already enrolled (worker ${existing.value.id}) / 该居民已登记为工人`
                    })
                  )
                }
                const again: Worker = {
                  ...existing.value,
                  displayName: valid.displayName,
                  active: true,
                  version: existing.value.version + 1
                }
                yield* repo.updateWorker(again)
                yield* append(
                  actor,
                  "Worker",
                  again.id,
                  again.version,
                  WorkerEnrolled.make({ workerId: again.id, residentId: again.residentId })
                )
                return again
              }
              const worker: Worker = {
                id,
                communityId: actor.communityId,
                residentId: valid.residentId,
                displayName: valid.displayName,
                active: true,
                enrolledAt: now,
                version: 1
              }
              yield* repo.insertWorker(worker)
              yield* append(
                actor,
                "Worker",
                worker.id,
                1,
                WorkerEnrolled.make({ workerId: worker.id, residentId: worker.residentId })
              )
              return worker
            })
          )
        }),

      /**
       * A worker leaves the workshop (made inactive; their records stay). Needs
       * `workshop:manage`. Refused (`InvalidTransition`) while they hold pieces of any order, or
       * if they already left.
       */
      leave: (workerId: string): Effect.Effect<Worker, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const id = yield* checkId(isWorkerId, "workerId", workerId)
          return yield* transaction(
            Effect.gen(function* () {
              yield* ledger.lockCommunity(actor.communityId)
              const worker = yield* workerOf(actor, id)
              if (!worker.active) return yield* Effect.fail(InvalidTransition.of("Worker", "left", "leave"))
              const held = (yield* custodyOf(actor, { workerId: id })).reduce((n, l) => n + l.held, 0)
              if (held > 0) {
                return yield* Effect.fail(
                  new InvalidTransition({
                    entity: "Worker",
                    from: "active",
                    action: "leave",
                    message: `the worker still holds ${pieces(held)}; they must be returned first / 该工人手中仍有 ${held} 件，须先交回`
                  })
                )
              }
              const next: Worker = { ...worker, active: false, version: worker.version + 1 }
              yield* repo.updateWorker(next)
              yield* append(actor, "Worker", next.id, next.version, WorkerLeft.make({ workerId: next.id }))
              return next
            })
          )
        }),

      /** One worker. Needs `workshop:read`, or `workshop:read:own` for the actor's own record (another is `NotFound`). */
      worker: (id: string): Effect.Effect<Worker, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true })
          const worker = yield* workerOf(actor, yield* checkId(isWorkerId, "id", id))
          if (!seesWorker(access, worker.id)) return yield* Effect.fail(NotFound.of("Worker", id))
          return worker
        }),

      /** The workers, by id, cursor-paged. Needs `workshop:read`; a worker gets a page with only their own record. */
      workers: (page?: PageRequest): Effect.Effect<Page<Worker>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true })
          const window = yield* Effect.fromResult(Paging.window(page))
          if (!access.all) {
            if (access.worker === null) return yield* Effect.fail(notEnrolled(P.read.name))
            return single(access.worker)
          }
          const fetched = yield* repo.listWorkers(actor.communityId, { after: window.after, limit: window.limit + 1 })
          return Paging.fromItems(fetched, window.limit, (w) => w.id)
        }),

      /**
       * The actor's own worker record (a resident enrolled in the workshop). Needs
       * `workshop:read:own` or `workshop:read`; `NotFound` if the actor is not enrolled.
       */
      me: (): Effect.Effect<Worker, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorizeAny(actor, [P.read, P["read:own"]])
          const found =
            actor.residentId === undefined
              ? Option.none<Worker>()
              : yield* repo.findWorkerByResident(actor.communityId, actor.residentId)
          return yield* orFail<Worker>("Worker", actor.residentId ?? actor.subject)(found)
        }),

      /**
       * Records parts received from the factory into the order's stock (factory → stock). Needs
       * `workshop:record`; the order must be `open`. The id is the transfer's and the
       * idempotency key.
       */
      receive: (input: typeof ReceiveInput.Encoded): Effect.Effect<Movement, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.record)
          const valid = yield* decodeInput(ReceiveInput)(input)
          return yield* moveOne("receive", valid)
        }),

      /**
       * Signs parts out to a worker, on site or to take home (stock → the worker's custody).
       * Needs `workshop:record`; the order must be `open` and the worker active; the stock must
       * hold enough (`InsufficientFunds`, saying how many it holds).
       */
      issue: (input: typeof IssueInput.Encoded): Effect.Effect<Movement, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.record)
          const valid = yield* decodeInput(IssueInput)(input)
          return yield* moveOne("issue", valid)
        }),

      /**
       * Records a worker's return: pieces accepted, rejected, unused and scrapped (at least one
       * positive), as one linked batch of movements out of the worker's custody, with the pay
       * lines they earn (`PayRules.linesForReturn`: accepted pieces at the rate in force, rejects
       * by the order's policy, scrap beyond the tolerance as a proposed deduction); confirmed
       * lines are posted to the worker's wages in the same batch. Needs `workshop:record`; the
       * order must be `open` or `closed`. Returning more than the worker holds is
       * `InsufficientFunds` saying how many they hold; nothing is written. The first movement's
       * id is the input's id (the idempotency key), the others derive theirs from it.
       */
      returnPieces: (input: typeof ReturnInput.Encoded): Effect.Effect<ReturnRecorded, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.record)
          const valid = yield* decodeInput(ReturnInput)(input)
          const parts = yield* rule(Custody.returnParts(valid))
          return yield* transaction(
            Effect.gen(function* () {
              yield* ledger.lockCommunity(actor.communityId)
              if (Option.isSome(yield* repo.findMovement(actor.communityId, valid.id))) {
                return yield* replayReturn(actor, valid, parts)
              }
              const order = yield* orderOf(actor, valid.orderId)
              yield* checkStatus(order, movableIn.accept, "record a return on")
              const worker = yield* workerOf(actor, valid.workerId)
              const custodyId = Accounts.custodyAccountId(order.id, worker.residentId)
              const held = yield* balance(actor, custodyId)
              const requested = parts.reduce((n, p) => n + p.quantity, 0)
              yield* rule(Custody.checkReturn(held, requested, order.sku))
              const now = yield* nowMs
              const at = valid.occurredAt ?? now
              const movements: Array<Movement> = parts.map((part, i) => ({
                id: returnMovementId(valid.id, i, part.kind),
                communityId: actor.communityId,
                orderId: order.id,
                kind: part.kind,
                workerId: worker.id,
                quantity: part.quantity,
                place: null,
                note: valid.note ?? defaultMovementNote(part.kind),
                occurredAt: at,
                recordedBy: actor.subject
              }))
              for (const m of movements.slice(1)) {
                if (Option.isSome(yield* repo.findMovement(actor.communityId, m.id))) {
                  return yield* Effect.fail(Conflict.duplicate("Movement", m.id))
                }
              }
              const idOf = (kind: MovementKind) => movements.find((m) => m.kind === kind)?.id
              const count = (kind: MovementKind) => parts.find((p) => p.kind === kind)?.quantity ?? 0
              const scrappedNow = count("scrap")
              let scrapBeyond = 0
              if (scrappedNow > 0) {
                const line = (yield* custodyOf(actor, { orderId: order.id, workerId: worker.id })).find(
                  (l) => l.orderId === order.id && l.workerId === worker.id
                )
                scrapBeyond = Custody.scrapBeyondTolerance(
                  line?.issued ?? 0,
                  line?.scrapped ?? 0,
                  scrappedNow,
                  order.quality.scrapTolerancePermille
                )
              }
              const drafted = PayRules.linesForReturn({
                order,
                workerId: worker.id,
                movementIds: { accept: idOf("accept"), reject: idOf("reject"), scrap: idOf("scrap") },
                accepted: count("accept"),
                rejected: count("reject"),
                scrapBeyond,
                at,
                recordedBy: actor.subject,
                lineId: derivedPayLineId
              })
              const lines = drafted.map(
                (l): PayLine =>
                  l.status === "confirmed" && l.amountFen !== 0 ? { ...l, transferId: payLineTransferId(l.id) } : l
              )
              const confirmed = lines.filter((l) => l.status === "confirmed")
              yield* post(
                actor,
                [
                  ...pieceAccounts(actor, order, worker.residentId),
                  ...(confirmed.length > 0 ? payAccounts(actor, worker.residentId) : [])
                ],
                [
                  ...movements.map((m) => pieceTransfer(order, m, worker.residentId)),
                  ...confirmed.flatMap((l) => payLineTransfer(actor, l, worker.residentId))
                ]
              )
              yield* repo.insertMovements(movements)
              if (lines.length > 0) yield* repo.insertPayLines(lines)
              yield* appendAll(actor, [
                {
                  aggregateType: "WorkOrder",
                  aggregateId: order.id,
                  version: order.version,
                  event: PiecesMoved.make({
                    orderId: order.id,
                    workerId: worker.id,
                    movements: movements.map((m) => ({ id: m.id, kind: m.kind, quantity: m.quantity }))
                  })
                },
                ...lines.map((l) => ({
                  aggregateType: "PayLine",
                  aggregateId: l.id,
                  version: l.version,
                  event: PayLineAdded.make({
                    lineId: l.id,
                    workerId: l.workerId,
                    kind: l.kind,
                    amountFen: l.amountFen,
                    confirmed: l.status === "confirmed"
                  })
                }))
              ])
              return { movements, payLines: lines } satisfies ReturnRecorded
            })
          )
        }),

      /**
       * Ships accepted items to the factory (accepted → factory): what invoices bill. Needs
       * `workshop:record`; the order must be `open` or `closed`, and hold that many accepted items
       * not yet delivered (`InsufficientFunds`, saying how many).
       */
      deliver: (input: typeof ShipInput.Encoded): Effect.Effect<Movement, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.record)
          const valid = yield* decodeInput(ShipInput)(input)
          return yield* moveOne("deliver", valid)
        }),

      /**
       * Sends unused parts back to the factory (stock → factory). Needs `workshop:record`; the
       * order must be `open`, `closed` or `cancelled`, and its stock hold enough
       * (`InsufficientFunds`, saying how many).
       */
      returnToFactory: (input: typeof ShipInput.Encoded): Effect.Effect<Movement, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.record)
          const valid = yield* decodeInput(ShipInput)(input)
          return yield* moveOne("return_to_factory", valid)
        }),

      /**
       * One movement, by its id (the transfer's). Needs `workshop:read`; a worker
       * (`workshop:read:own`) sees their own movements, a factory's contact
       * (`workshop:read:factory`) those of their factory's orders; others are `NotFound`.
       */
      movement: (id: string): Effect.Effect<Movement, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true, factory: true })
          const movementId = yield* checkId(isTransferId, "id", id)
          const movement = yield* Effect.flatMap(
            repo.findMovement(actor.communityId, movementId),
            orFail("Movement", id)
          )
          if (access.all || seesWorker(access, movement.workerId)) return movement
          if (access.factory !== null) {
            const order = yield* orderOf(actor, movement.orderId)
            if (order.factoryId === access.factory.id) return movement
          }
          return yield* Effect.fail(NotFound.of("Movement", id))
        }),

      /**
       * The movements matching the query, by time then id, cursor-paged (`to` exclusive). Needs
       * `workshop:read`. A worker gets only their own (the query's `workerId` is theirs); a
       * factory's contact must name an `orderId` of their factory (else `Forbidden`).
       */
      movements: (
        query: typeof MovementQuery.Encoded = {},
        page?: PageRequest
      ): Effect.Effect<Page<Movement>, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true, factory: true })
          const valid = yield* decodeInput(MovementQuery)(query)
          const window = yield* Effect.fromResult(Paging.window(page))
          let effective = valid
          if (!access.all) {
            if (access.worker !== null) {
              effective = { ...valid, workerId: access.worker.id }
            } else if (access.factory !== null) {
              const order =
                valid.orderId === undefined
                  ? null
                  : Option.getOrNull(yield* repo.findOrder(actor.communityId, valid.orderId))
              if (order === null || order.factoryId !== access.factory.id) {
                return yield* Effect.fail(
                  Forbidden.of(P["read:factory"].name, "name an order of your own factory / 须指定本厂的工单")
                )
              }
            } else {
              return yield* Effect.fail(notEnrolled(P["read:own"].name))
            }
          }
          const fetched = yield* repo.listMovements(actor.communityId, effective, {
            after: window.after,
            limit: window.limit + 1
          })
          return Paging.fromItems(fetched, window.limit, timedKey)
        }),

      /**
       * Adds a bonus or a deduction for a worker, confirmed at once and posted to their wages.
       * Needs `workshop:pay`. A deduction larger than what the workshop owes the worker (beyond
       * the pay frozen in closed, unpaid periods) is `InsufficientFunds` and nothing is written.
       * The worker (and the order, if named) must exist (`NotFound`). The id is the idempotency
       * key.
       */
      addPayLine: (input: typeof AddPayLineInput.Encoded): Effect.Effect<PayLine, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.pay)
          const valid = yield* decodeInput(AddPayLineInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              yield* ledger.lockCommunity(actor.communityId)
              const now = yield* nowMs
              const amountFen = valid.kind === "deduction" ? -valid.amountFen : valid.amountFen
              const existing = yield* repo.findPayLine(actor.communityId, valid.id)
              if (Option.isSome(existing)) {
                const e = existing.value
                const same =
                  e.workerId === valid.workerId &&
                  e.kind === valid.kind &&
                  e.amountFen === amountFen &&
                  e.orderId === (valid.orderId ?? null) &&
                  e.note === valid.note &&
                  (valid.occurredAt === undefined || e.occurredAt === valid.occurredAt)
                if (same) return e
                return yield* Effect.fail(Conflict.duplicate("PayLine", valid.id))
              }
              const worker = yield* workerOf(actor, valid.workerId)
              if (valid.orderId !== undefined) yield* orderOf(actor, valid.orderId)
              const line: PayLine = {
                id: valid.id,
                communityId: actor.communityId,
                workerId: worker.id,
                orderId: valid.orderId ?? null,
                kind: valid.kind,
                status: "confirmed",
                quantity: null,
                rateFen: null,
                amountFen,
                movementId: null,
                transferId: payLineTransferId(valid.id),
                periodId: null,
                note: valid.note,
                occurredAt: valid.occurredAt ?? now,
                recordedBy: actor.subject,
                version: 1
              }
              yield* checkOwed(actor, worker, -amountFen)
              yield* post(actor, payAccounts(actor, worker.residentId), payLineTransfer(actor, line, worker.residentId))
              yield* repo.insertPayLines([line])
              yield* append(
                actor,
                "PayLine",
                line.id,
                1,
                PayLineAdded.make({
                  lineId: line.id,
                  workerId: line.workerId,
                  kind: line.kind,
                  amountFen: line.amountFen,
                  confirmed: true
                })
              )
              return line
            })
          )
        }),

      /**
       * Confirms a proposed line (a deduction for scrap beyond the tolerance or a charged reject)
       * and posts it. Needs `workshop:pay`; only `proposed` lines (else `InvalidTransition`). A
       * deduction larger than what the worker is owed beyond closed, unpaid periods is
       * `InsufficientFunds`, and the line stays proposed.
       */
      confirmPayLine: (id: string): Effect.Effect<PayLine, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.pay)
          const lineId = yield* checkId(isPayLineId, "id", id)
          return yield* transaction(
            Effect.gen(function* () {
              yield* ledger.lockCommunity(actor.communityId)
              const line = yield* payLineOf(actor, lineId)
              if (line.status !== "proposed")
                return yield* Effect.fail(InvalidTransition.of("PayLine", line.status, "confirm"))
              const worker = yield* workerOf(actor, line.workerId)
              const next: PayLine = {
                ...line,
                status: "confirmed",
                transferId: line.amountFen === 0 ? null : payLineTransferId(line.id),
                version: line.version + 1
              }
              yield* checkOwed(actor, worker, -next.amountFen)
              yield* post(actor, payAccounts(actor, worker.residentId), payLineTransfer(actor, next, worker.residentId))
              yield* repo.updatePayLine(next)
              yield* append(
                actor,
                "PayLine",
                next.id,
                next.version,
                PayLineConfirmed.make({
                  lineId: next.id,
                  amountFen: next.amountFen,
                  transferId: next.transferId ?? payLineTransferId(next.id)
                })
              )
              return next
            })
          )
        }),

      /** Dismisses a proposed line: it never counts. Needs `workshop:pay`; only `proposed` lines (else `InvalidTransition`). */
      dismissPayLine: (id: string): Effect.Effect<PayLine, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.pay)
          const lineId = yield* checkId(isPayLineId, "id", id)
          return yield* transaction(
            Effect.gen(function* () {
              const line = yield* payLineOf(actor, lineId)
              if (line.status !== "proposed")
                return yield* Effect.fail(InvalidTransition.of("PayLine", line.status, "dismiss"))
              const next: PayLine = { ...line, status: "dismissed", version: line.version + 1 }
              yield* repo.updatePayLine(next)
              yield* append(actor, "PayLine", next.id, next.version, PayLineDismissed.make({ lineId: next.id }))
              return next
            })
          )
        }),

      /** One pay line. Needs `workshop:read`, or `workshop:read:own` for the actor's own (another is `NotFound`). */
      payLine: (id: string): Effect.Effect<PayLine, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true })
          const line = yield* payLineOf(actor, yield* checkId(isPayLineId, "id", id))
          if (!seesWorker(access, line.workerId)) return yield* Effect.fail(NotFound.of("PayLine", id))
          return line
        }),

      /**
       * The pay lines matching the query, by time then id, cursor-paged (`to` exclusive). Needs
       * `workshop:read`; a worker (`workshop:read:own`) gets only their own.
       */
      payLines: (
        query: typeof PayLineQuery.Encoded = {},
        page?: PageRequest
      ): Effect.Effect<Page<PayLine>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true })
          const valid = yield* decodeInput(PayLineQuery)(query)
          const window = yield* Effect.fromResult(Paging.window(page))
          let effective = valid
          if (!access.all) {
            if (access.worker === null) return yield* Effect.fail(notEnrolled(P["read:own"].name))
            effective = { ...valid, workerId: access.worker.id }
          }
          const fetched = yield* repo.listPayLines(actor.communityId, effective, {
            after: window.after,
            limit: window.limit + 1
          })
          return Paging.fromItems(fetched, window.limit, timedKey)
        }),

      /**
       * Closes a pay period `[from, to)` (`to` not in the future): every confirmed line before
       * `to` not in a period yet is put in it, and frozen into one payslip per worker. Needs
       * `workshop:pay`. No such line is `InvalidInput`; a worker whose deductions exceed their
       * earnings is `InvalidInput` naming them (dismiss or move a deduction first), and nothing is
       * written. The id is the idempotency key.
       */
      closePeriod: (input: typeof ClosePayPeriodInput.Encoded): Effect.Effect<PayPeriod, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.pay)
          const valid = yield* decodeInput(ClosePayPeriodInput)(input)
          const now = yield* nowMs
          if (!(valid.from < valid.to && valid.to <= now)) {
            return yield* Effect.fail(
              InvalidInput.of(
                "to",
                "from must be before to, and to not in the future / 起始时间须早于结束时间，结束时间不能晚于现在"
              )
            )
          }
          return yield* transaction(
            Effect.gen(function* () {
              yield* ledger.lockCommunity(actor.communityId)
              const existing = yield* repo.findPeriod(actor.communityId, valid.id)
              if (Option.isSome(existing)) {
                if (existing.value.from === valid.from && existing.value.to === valid.to) return existing.value
                return yield* Effect.fail(Conflict.duplicate("PayPeriod", valid.id))
              }
              const totals = yield* repo.payLineTotals(actor.communityId, {
                status: "confirmed",
                unpaid: true,
                to: valid.to
              })
              const lineCount = totals.reduce((n, t) => n + t.lines, 0)
              if (lineCount === 0) {
                return yield* Effect.fail(
                  InvalidInput.of(
                    "to",
                    "no confirmed pay line before this time is left to pay / 此时间之前没有待发的已确认工资条目"
                  )
                )
              }
              const seconds = new Map<string, number>()
              for (const t of totals) {
                if (t.orderId !== null && !seconds.has(t.orderId)) {
                  const order = yield* repo.findOrder(actor.communityId, t.orderId)
                  if (Option.isSome(order)) seconds.set(t.orderId, order.value.fairPay.standardSeconds)
                }
              }
              const slips = PayRules.payslipTotals(totals, seconds)
              for (const slip of slips) {
                if (slip.netFen < 0) {
                  const worker = Option.getOrNull(yield* repo.findWorker(actor.communityId, slip.workerId))
                  const name = worker?.displayName ?? slip.workerId
                  return yield* Effect.fail(
                    InvalidInput.of(
                      "to",
                      `deductions for ${name} exceed their pay by ${yuan(-slip.netFen)}; dismiss or defer a deduction first / ${name} 的扣款超出应发工资 ${yuan(-slip.netFen)}，请先撤销或推迟扣款`
                    )
                  )
                }
              }
              const period: PayPeriod = {
                id: valid.id,
                communityId: actor.communityId,
                from: valid.from,
                to: valid.to,
                status: "closed",
                slips,
                closedBy: actor.subject,
                closedAt: now,
                paidAt: null,
                version: 1
              }
              yield* repo.insertPeriod(period)
              const assigned = yield* repo.assignPeriod(actor.communityId, period.id, 0, valid.to)
              if (assigned !== lineCount) return yield* Effect.fail(Conflict.stale("PayPeriod", period.id))
              yield* append(
                actor,
                "PayPeriod",
                period.id,
                1,
                PayPeriodClosed.make({
                  periodId: period.id,
                  workers: slips.length,
                  netFen: slips.reduce((n, s) => n + s.netFen, 0)
                })
              )
              return period
            })
          )
        }),

      /**
       * Pays a closed period (`closed` → `paid`): each slip's net amount moves from the
       * workshop's cash to the worker's wages payable, all in one linked batch. Needs
       * `workshop:pay`. Not enough cash is `InsufficientFunds` (saying how much there is) and
       * the period stays `closed`; another state is `InvalidTransition`.
       */
      payPeriod: (id: string): Effect.Effect<PayPeriod, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.pay)
          const periodId = yield* checkId(isPeriodId, "id", id)
          return yield* transaction(
            Effect.gen(function* () {
              yield* ledger.lockCommunity(actor.communityId)
              const period = yield* periodOf(actor, periodId)
              if (period.status !== "closed")
                return yield* Effect.fail(InvalidTransition.of("PayPeriod", period.status, "pay"))
              const open: Array<OpenAccountInput> = [Accounts.moneyAccountInput(actor.communityId, "cash")]
              const requests: Array<TransferRequest> = []
              const slips = []
              for (const slip of period.slips) {
                if (slip.netFen <= 0) {
                  slips.push(slip)
                  continue
                }
                const worker = yield* workerOf(actor, slip.workerId)
                const payableId = Accounts.wagesPayableAccountId(actor.communityId, worker.residentId)
                const owed = yield* balance(actor, payableId)
                if (owed < slip.netFen) {
                  return yield* Effect.fail(
                    new InsufficientFunds({
                      account: payableId,
                      message: `the workshop owes ${worker.displayName} ${yuan(owed)}, less than their slip's ${yuan(slip.netFen)} / 工坊欠 ${worker.displayName} ${yuan(owed)}，少于工资单的 ${yuan(slip.netFen)}`
                    })
                  )
                }
                const transferId = payoutTransferId(period.id, slip.workerId)
                open.push(Accounts.wagesPayableAccountInput(actor.communityId, worker.residentId))
                requests.push({
                  _tag: "Posted",
                  id: transferId,
                  debitAccountId: Accounts.wagesPayableAccountId(actor.communityId, worker.residentId),
                  creditAccountId: Accounts.moneyAccountId(actor.communityId, "cash"),
                  amount: slip.netFen,
                  unit: "CNY",
                  code: Accounts.WorkshopCodes.payout,
                  reason: "workshop wages paid / 工坊工资发放"
                })
                slips.push({ ...slip, transferId })
              }
              const total = requests.reduce((n, r) => n + (r._tag === "Posted" ? r.amount : 0), 0)
              yield* checkCash(actor, total, "paying the period", "发放本期工资")
              if (requests.length > 0) yield* post(actor, open, requests)
              const next: PayPeriod = {
                ...period,
                status: "paid",
                slips,
                paidAt: yield* nowMs,
                version: period.version + 1
              }
              yield* repo.updatePeriod(next)
              yield* append(
                actor,
                "PayPeriod",
                next.id,
                next.version,
                PayPeriodPaid.make({ periodId: next.id, payouts: requests.length, amountFen: total })
              )
              return next
            })
          )
        }),

      /**
       * One pay period. Needs `workshop:read`; a worker (`workshop:read:own`) sees it with only
       * their own slip.
       */
      period: (id: string): Effect.Effect<PayPeriod, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true })
          const period = yield* periodOf(actor, yield* checkId(isPeriodId, "id", id))
          if (access.all) return period
          if (access.worker === null) return yield* Effect.fail(NotFound.of("PayPeriod", id))
          const mine = access.worker.id
          return { ...period, slips: period.slips.filter((s) => s.workerId === mine) }
        }),

      /**
       * The pay periods, by id, cursor-paged. Needs `workshop:read`; a worker
       * (`workshop:read:own`) sees each with only their own slip.
       */
      periods: (page?: PageRequest): Effect.Effect<Page<PayPeriod>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true })
          const window = yield* Effect.fromResult(Paging.window(page))
          if (!access.all && access.worker === null) return yield* Effect.fail(notEnrolled(P["read:own"].name))
          const fetched = yield* repo.listPeriods(actor.communityId, { after: window.after, limit: window.limit + 1 })
          const result = Paging.fromItems(fetched, window.limit, (p) => p.id)
          if (access.all || access.worker === null) return result
          const mine = access.worker.id
          return {
            ...result,
            items: result.items.map((p) => ({ ...p, slips: p.slips.filter((s) => s.workerId === mine) }))
          }
        }),

      /**
       * A worker's payslip for a period, ready for `Payslips.toHtml` / `toCsv`: the period, the
       * worker, every line of theirs in it, their totals and the orders the lines name. Needs
       * `workshop:read`, or `workshop:read:own` for the actor's own; a worker without a slip in
       * the period is `NotFound`.
       */
      payslip: (periodId: string, workerId: string): Effect.Effect<Payslip, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true })
          const pid = yield* checkId(isPeriodId, "periodId", periodId)
          const wid = yield* checkId(isWorkerId, "workerId", workerId)
          if (!seesWorker(access, wid)) return yield* Effect.fail(NotFound.of("Payslip", `${periodId}/${workerId}`))
          const period = yield* periodOf(actor, pid)
          const totals = period.slips.find((s) => s.workerId === wid)
          if (totals === undefined) return yield* Effect.fail(NotFound.of("Payslip", `${periodId}/${workerId}`))
          const worker = yield* workerOf(actor, wid)
          const lines = yield* walk(
            (window) => repo.listPayLines(actor.communityId, { periodId: pid, workerId: wid }, window),
            timedKey
          )
          const orders: Array<{ id: WorkOrderId; title: string; sku: string }> = []
          for (const orderId of new Set(lines.flatMap((l) => (l.orderId === null ? [] : [l.orderId])))) {
            const order = yield* repo.findOrder(actor.communityId, orderId)
            if (Option.isSome(order))
              orders.push({ id: order.value.id, title: order.value.title, sku: order.value.sku })
          }
          const community = yield* communities.findById(actor.communityId)
          return {
            communityName: Option.match(community, { onNone: () => "", onSome: (c) => c.name }),
            period: { id: period.id, from: period.from, to: period.to, status: period.status },
            worker: { id: worker.id, displayName: worker.displayName },
            lines,
            totals,
            orders
          }
        }),

      /**
       * Invoices an order's delivered items not invoiced before, at the order's price, and posts
       * the factory's receivable. Needs `workshop:manage`. Nothing left to invoice (or a zero
       * price) is `InvalidInput`. The number is `<year in Shanghai>-<sequence>`. The id is the
       * idempotency key.
       */
      issueInvoice: (input: typeof IssueInvoiceInput.Encoded): Effect.Effect<Invoice, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(IssueInvoiceInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              yield* ledger.lockCommunity(actor.communityId)
              const existing = yield* repo.findInvoice(actor.communityId, valid.id)
              if (Option.isSome(existing)) {
                if (existing.value.orderId === valid.orderId) return existing.value
                return yield* Effect.fail(Conflict.duplicate("Invoice", valid.id))
              }
              const order = yield* orderOf(actor, valid.orderId)
              const delivered = (yield* repo.movementTotals(actor.communityId, { orderId: order.id, kind: "deliver" }))
                .filter((t) => t.orderId === order.id && t.kind === "deliver")
                .reduce((n, t) => n + t.quantity, 0)
              const invoiced = (yield* walk(
                (window) => repo.listInvoices(actor.communityId, { orderId: order.id }, window),
                (i) => i.id
              )).reduce((n, i) => n + i.pieces, 0)
              const count = delivered - invoiced
              if (count <= 0) {
                return yield* Effect.fail(
                  InvalidInput.of("orderId", "no delivered item is left to invoice / 没有未开票的已交付货品")
                )
              }
              if (order.priceFen <= 0) {
                return yield* Effect.fail(
                  InvalidInput.of(
                    "orderId",
                    "the order's price is zero: there is nothing to bill / 工单单价为零，无需开票"
                  )
                )
              }
              const now = yield* nowMs
              const year = DateTime.getPartUtc(DateTime.makeUnsafe(now + SHANGHAI_OFFSET), "year")
              const sequence = (yield* repo.countInvoices(actor.communityId)) + 1
              const invoice: Invoice = {
                id: valid.id,
                communityId: actor.communityId,
                factoryId: order.factoryId,
                orderId: order.id,
                number: `${year}-${String(sequence).padStart(4, "0")}`,
                pieces: count,
                priceFen: order.priceFen,
                amountFen: count * order.priceFen,
                status: "issued",
                issuedAt: now,
                paidAt: null,
                version: 1
              }
              yield* post(
                actor,
                [
                  Accounts.receivableAccountInput(actor.communityId, order.factoryId),
                  Accounts.moneyAccountInput(actor.communityId, "sales")
                ],
                [
                  {
                    _tag: "Posted",
                    id: invoiceTransferId(invoice.id),
                    debitAccountId: Accounts.receivableAccountId(order.factoryId),
                    creditAccountId: Accounts.moneyAccountId(actor.communityId, "sales"),
                    amount: invoice.amountFen,
                    unit: "CNY",
                    code: Accounts.WorkshopCodes.invoice,
                    reason: `invoice ${invoice.number} / 发票 ${invoice.number}`
                  }
                ]
              )
              yield* repo.insertInvoice(invoice)
              yield* append(
                actor,
                "Invoice",
                invoice.id,
                1,
                InvoiceIssued.make({
                  invoiceId: invoice.id,
                  orderId: invoice.orderId,
                  pieces: invoice.pieces,
                  amountFen: invoice.amountFen
                })
              )
              return invoice
            })
          )
        }),

      /**
       * Records that the factory paid an invoice (`issued` → `paid`): the money moves from the
       * factory's receivable into the workshop's cash. Needs `workshop:pay`; a paid invoice is
       * `InvalidTransition`.
       */
      markInvoicePaid: (id: string): Effect.Effect<Invoice, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.pay)
          const invoiceId = yield* checkId(isInvoiceId, "id", id)
          return yield* transaction(
            Effect.gen(function* () {
              const invoice = yield* invoiceOf(actor, invoiceId)
              if (invoice.status !== "issued")
                return yield* Effect.fail(InvalidTransition.of("Invoice", invoice.status, "mark paid"))
              yield* post(
                actor,
                [
                  Accounts.moneyAccountInput(actor.communityId, "cash"),
                  Accounts.receivableAccountInput(actor.communityId, invoice.factoryId)
                ],
                [
                  {
                    _tag: "Posted",
                    id: invoicePaymentTransferId(invoice.id),
                    debitAccountId: Accounts.moneyAccountId(actor.communityId, "cash"),
                    creditAccountId: Accounts.receivableAccountId(invoice.factoryId),
                    amount: invoice.amountFen,
                    unit: "CNY",
                    code: Accounts.WorkshopCodes.invoicePayment,
                    reason: `invoice ${invoice.number} paid / 发票 ${invoice.number} 已收款`
                  }
                ]
              )
              const next: Invoice = { ...invoice, status: "paid", paidAt: yield* nowMs, version: invoice.version + 1 }
              yield* repo.updateInvoice(next)
              yield* append(
                actor,
                "Invoice",
                next.id,
                next.version,
                InvoicePaid.make({ invoiceId: next.id, amountFen: next.amountFen })
              )
              return next
            })
          )
        }),

      /** One invoice. Needs `workshop:read`, or `workshop:read:factory` for the actor's own factory's (another is `NotFound`). */
      invoice: (id: string): Effect.Effect<Invoice, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { factory: true })
          const invoice = yield* invoiceOf(actor, yield* checkId(isInvoiceId, "id", id))
          if (!seesFactory(access, invoice.factoryId)) return yield* Effect.fail(NotFound.of("Invoice", id))
          return invoice
        }),

      /**
       * An invoice with what printing it takes (`Payslips.invoiceHtml`): its factory, its order and
       * the community's name. The same access as {@link invoice}: `workshop:read`, or the
       * factory's own contact; another's is `NotFound`.
       */
      invoiceDocument: (id: string): Effect.Effect<InvoiceDocument, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { factory: true })
          const invoice = yield* invoiceOf(actor, yield* checkId(isInvoiceId, "id", id))
          if (!seesFactory(access, invoice.factoryId)) return yield* Effect.fail(NotFound.of("Invoice", id))
          const factory = yield* repo.findFactory(actor.communityId, invoice.factoryId)
          const order = yield* repo.findOrder(actor.communityId, invoice.orderId)
          if (Option.isNone(factory)) return yield* Effect.fail(NotFound.of("Factory", invoice.factoryId))
          if (Option.isNone(order)) return yield* Effect.fail(NotFound.of("WorkOrder", invoice.orderId))
          const community = yield* communities.findById(actor.communityId)
          return {
            invoice,
            factory: factory.value,
            order: order.value,
            communityName: Option.match(community, { onNone: () => "", onSome: (c) => c.name })
          }
        }),

      /**
       * The invoices, by id, cursor-paged, optionally of one factory or order. Needs
       * `workshop:read`; a factory's contact gets only their own factory's.
       */
      invoices: (
        query: InvoiceQuery = {},
        page?: PageRequest
      ): Effect.Effect<Page<Invoice>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { factory: true })
          const valid = yield* decodeInput(
            Schema.Struct({ factoryId: Schema.optional(FactoryId), orderId: Schema.optional(WorkOrderId) })
          )(query)
          const window = yield* Effect.fromResult(Paging.window(page))
          let effective: InvoiceQuery = valid
          if (!access.all) {
            if (access.factory === null) return yield* Effect.fail(notFactory(P.read.name))
            if (valid.factoryId !== undefined && valid.factoryId !== access.factory.id) return single<Invoice>(null)
            effective = { ...valid, factoryId: access.factory.id }
          }
          const fetched = yield* repo.listInvoices(actor.communityId, effective, {
            after: window.after,
            limit: window.limit + 1
          })
          return Paging.fromItems(fetched, window.limit, (i) => i.id)
        }),

      /**
       * Puts money into the workshop's cash (an advance, start-up capital): cash ← capital. Needs
       * `workshop:pay`. The id is the transfer's and the idempotency key.
       */
      addCash: (input: typeof AddCashInput.Encoded): Effect.Effect<CashPosted, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.pay)
          const valid = yield* decodeInput(AddCashInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              const results = yield* post(
                actor,
                [
                  Accounts.moneyAccountInput(actor.communityId, "cash"),
                  Accounts.moneyAccountInput(actor.communityId, "capital")
                ],
                [
                  {
                    _tag: "Posted",
                    id: valid.id,
                    debitAccountId: Accounts.moneyAccountId(actor.communityId, "cash"),
                    creditAccountId: Accounts.moneyAccountId(actor.communityId, "capital"),
                    amount: valid.amountFen,
                    unit: "CNY",
                    code: Accounts.WorkshopCodes.cash,
                    reason: valid.note === "" ? "workshop cash / 工坊资金" : valid.note
                  }
                ]
              )
              if (results[0]?.replayed !== true) {
                yield* append(
                  actor,
                  "WorkshopCash",
                  valid.id,
                  1,
                  CashAdded.make({ transferId: valid.id, amountFen: valid.amountFen })
                )
              }
              return { transferId: valid.id }
            })
          )
        }),

      /**
       * Moves part of the workshop's margin into the public-welfare fund, in one transaction:
       * workshop cash → fund contributions, and the fund's `other_income` entry (recorded through
       * `Fund.record` as the same actor). Needs `workshop:pay` and `fund:record` (else
       * `Forbidden`, nothing written); not enough cash is `InsufficientFunds`. The id is the
       * idempotency key.
       */
      contributeToFund: (
        input: typeof ContributeToFundInput.Encoded
      ): Effect.Effect<FundContribution, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.pay)
          yield* authorize(actor, FundPermissions.record)
          const valid = yield* decodeInput(ContributeToFundInput)(input)
          const fundEntryId = fundEntryIdOf(valid.id)
          return yield* transaction(
            Effect.gen(function* () {
              yield* ledger.lockCommunity(actor.communityId)
              const existing = yield* ledger.findTransfer(actor.communityId, valid.id)
              if (Option.isNone(existing)) {
                yield* checkCash(actor, valid.amountFen, "the contribution", "本次捐入")
              }
              const results = yield* post(
                actor,
                [
                  Accounts.moneyAccountInput(actor.communityId, "cash"),
                  Accounts.moneyAccountInput(actor.communityId, "fund-contributions")
                ],
                [
                  {
                    _tag: "Posted",
                    id: valid.id,
                    debitAccountId: Accounts.moneyAccountId(actor.communityId, "fund-contributions"),
                    creditAccountId: Accounts.moneyAccountId(actor.communityId, "cash"),
                    amount: valid.amountFen,
                    unit: "CNY",
                    code: Accounts.WorkshopCodes.fundContribution,
                    reason: valid.note === "" ? "to the public-welfare fund / 捐入公益基金" : valid.note
                  }
                ]
              )
              const entry = yield* fund.record({
                id: fundEntryId,
                kind: "other_income",
                amount: valid.amountFen,
                counterparty: "馨工坊 Xin Workshop",
                note: valid.note === "" ? "馨工坊盈余 / Xin Workshop margin" : valid.note
              })
              if (results[0]?.replayed !== true) {
                yield* append(
                  actor,
                  "WorkshopCash",
                  valid.id,
                  1,
                  FundContributed.make({ transferId: valid.id, fundEntryId: entry.id, amountFen: valid.amountFen })
                )
              }
              return { transferId: valid.id, fundEntryId: entry.id }
            })
          )
        }),

      /**
       * An order's progress: done, remaining, the pace of the last seven days and the projected
       * finish against the deadline. Needs `workshop:read`, or `workshop:read:factory` for an
       * order of the actor's own factory (another is `NotFound`).
       */
      progress: (orderId: string): Effect.Effect<Progress.OrderProgress, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { factory: true })
          const order = yield* orderOf(actor, yield* checkId(isOrderId, "orderId", orderId))
          if (!seesFactory(access, order.factoryId)) return yield* Effect.fail(NotFound.of("WorkOrder", orderId))
          const now = yield* nowMs
          const totals = yield* repo.movementTotals(actor.communityId, { orderId: order.id })
          const recent = (yield* repo.movementTotals(actor.communityId, {
            orderId: order.id,
            kind: "accept",
            from: Math.max(0, now - PACE_WINDOW_DAYS * DAY),
            to: now
          }))
            .filter((t) => t.kind === "accept")
            .reduce((n, t) => n + t.quantity, 0)
          return Progress.orderProgress(order, totals, recent, now, PACE_WINDOW_DAYS)
        }),

      /**
       * A worker's custody: per order they were ever issued pieces of, what they took, brought
       * back and still hold, and for how many days the oldest pieces still held have been out.
       * Needs `workshop:read`, or `workshop:read:own` for the actor's own (another is `NotFound`).
       */
      custody: (workerId: string): Effect.Effect<ReadonlyArray<WorkerCustody>, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const access = yield* accessOf(actor, { own: true })
          const worker = yield* workerOf(actor, yield* checkId(isWorkerId, "workerId", workerId))
          if (!seesWorker(access, worker.id)) return yield* Effect.fail(NotFound.of("Worker", workerId))
          const now = yield* nowMs
          const lines = (yield* custodyOf(actor, { workerId: worker.id })).filter(
            (l) => l.issued > 0 && l.workerId === worker.id
          )
          const out: Array<WorkerCustody> = []
          for (const line of lines) {
            if (line.held <= 0) {
              out.push({ ...line, days: 0, oldestAt: null })
              continue
            }
            const issues = yield* walk(
              (window) =>
                repo.listMovements(
                  actor.communityId,
                  { orderId: line.orderId, workerId: worker.id, kind: "issue" },
                  window
                ),
              timedKey
            )
            const age = Custody.custodyAge(issues, line.issued - line.held, now)
            out.push({ ...line, days: age.days, oldestAt: age.oldestAt })
          }
          return out
        }),

      /**
       * An order's movements reconciled to its ledger accounts, read in one transaction holding
       * the community's ledger lock: the balance from the movements, each worker's custody, what
       * the accounts hold, and whether they agree. Needs `workshop:read`.
       */
      reconcile: (orderId: string): Effect.Effect<OrderReconciliation, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const id = yield* checkId(isOrderId, "orderId", orderId)
          return yield* transaction(
            Effect.gen(function* () {
              yield* ledger.lockCommunity(actor.communityId)
              const order = yield* orderOf(actor, id)
              const totals = yield* repo.movementTotals(actor.communityId, { orderId: order.id })
              const balanceFromMovements = Custody.orderBalance(order.id, totals)
              const workers = Custody.custodyLines(totals).filter((l) => l.orderId === order.id)
              const acct = (a: Accounts.OrderAccount) => balance(actor, Accounts.orderAccountId(order.id, a))
              const stock = yield* acct("stock")
              const accepted = yield* acct("accepted")
              const rejected = yield* acct("rejected")
              const scrap = yield* acct("scrap")
              const factory = yield* acct("factory")
              let custody = 0
              let workersAgree = true
              for (const line of workers) {
                const worker = yield* workerOf(actor, line.workerId)
                const held = yield* balance(actor, Accounts.custodyAccountId(order.id, worker.residentId))
                custody += held
                if (held !== line.held) workersAgree = false
              }
              const b = balanceFromMovements
              const balanced =
                workersAgree &&
                stock === b.stock &&
                accepted === b.accepted &&
                custody === b.inCustody &&
                rejected === b.rejected &&
                scrap === b.scrapped &&
                factory === b.received - b.delivered - b.returnedToFactory
              return { balance: b, workers, ledger: { stock, accepted, custody }, balanced }
            })
          )
        }),

      /** Whether the actor may see the whole workshop (`workshop:read`): for transports choosing a view. */
      canRead: (actor: Actor): boolean => can(actor, P.read)
    }
  })
}) {
  /** The service, built from the storage ports, `IdGenerator` and the fund service. */
  static readonly layer: Layer.Layer<
    Workshop,
    never,
    WorkshopStorage | LedgerRepo | ResidentRepo | CommunityRepo | Outbox | Transactor | IdGenerator | Fund
  > = Layer.effect(this, this.make)
}
