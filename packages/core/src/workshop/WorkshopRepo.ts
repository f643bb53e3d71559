/**
 * The workshop's storage port. The quantities and the money themselves live in the ledger (each
 * movement and each posted pay line is a ledger transfer, written through `LedgerRepo` in the
 * same transaction); this port keeps the workshop's own records beside them.
 *
 * Every call is scoped by community: a record of another community is not found. Versioned
 * records (`update…`) are written only when the stored version is `version - 1`, else `Conflict`
 * (stale). Inserts of an id that exists are `Conflict` (duplicate), as is a second product with
 * the same SKU in a community and a second worker for the same resident.
 *
 * Lists are paged by `Window` and ordered by their key: id for factories, products, orders,
 * workers, periods and invoices (ids are UUIDv7, so that is creation order); {@link timedKey}
 * (time, then id) for movements and pay lines.
 *
 * @module
 */
import { Context, type Effect, type Option } from "effect"
import type { Conflict } from "../kernel/Errors.js"
import type { CommunityId, ResidentId } from "../kernel/Ids.js"
import * as Paging from "../kernel/Paging.js"
import type { Window } from "../kernel/Paging.js"
import type { TransferId } from "../ledger/Ledger.js"
import type {
  Factory,
  FactoryId,
  Invoice,
  InvoiceId,
  Movement,
  MovementQuery,
  MovementTotal,
  PayLine,
  PayLineId,
  PayLineKind,
  PayLineQuery,
  PayPeriod,
  PayPeriodId,
  Worker,
  WorkerId,
  WorkOrder,
  WorkOrderId,
  WorkOrderQuery,
  WorkProduct,
  WorkProductId,
  WorkshopSettings
} from "./Workshop.js"

/** Pay lines summed by worker, order and kind (what payslips are computed from). */
export interface PayLineTotal {
  readonly workerId: WorkerId
  readonly orderId: WorkOrderId | null
  readonly kind: PayLineKind
  /** Sum of `amountFen` (negative for deductions). */
  readonly amountFen: number
  /** Sum of `quantity` (lines without one count 0). */
  readonly quantity: number
  /** Number of lines. */
  readonly lines: number
}

/** Filters for listing invoices. */
export interface InvoiceQuery {
  readonly factoryId?: FactoryId | undefined
  readonly orderId?: WorkOrderId | undefined
}

/** The workshop's storage port (see the module's documentation for the rules every call keeps). */
export class WorkshopRepo extends Context.Service<
  WorkshopRepo,
  {
    readonly settings: (communityId: CommunityId) => Effect.Effect<Option.Option<WorkshopSettings>>
    /** Inserts at version 1, else updates where the stored version is `version - 1`. */
    readonly putSettings: (settings: WorkshopSettings) => Effect.Effect<void, Conflict>

    readonly insertFactory: (factory: Factory) => Effect.Effect<void, Conflict>
    readonly updateFactory: (factory: Factory) => Effect.Effect<void, Conflict>
    readonly findFactory: (communityId: CommunityId, id: FactoryId) => Effect.Effect<Option.Option<Factory>>
    /** The factory whose `subjects` hold `subject` (the first by id if several do). */
    readonly findFactoryBySubject: (communityId: CommunityId, subject: string) => Effect.Effect<Option.Option<Factory>>
    readonly listFactories: (communityId: CommunityId, window: Window) => Effect.Effect<ReadonlyArray<Factory>>

    /** `Conflict` (duplicate) for an existing id or an SKU the community already uses. */
    readonly insertProduct: (product: WorkProduct) => Effect.Effect<void, Conflict>
    readonly findProduct: (communityId: CommunityId, id: WorkProductId) => Effect.Effect<Option.Option<WorkProduct>>
    readonly listProducts: (communityId: CommunityId, window: Window) => Effect.Effect<ReadonlyArray<WorkProduct>>

    readonly insertOrder: (order: WorkOrder) => Effect.Effect<void, Conflict>
    readonly updateOrder: (order: WorkOrder) => Effect.Effect<void, Conflict>
    readonly findOrder: (communityId: CommunityId, id: WorkOrderId) => Effect.Effect<Option.Option<WorkOrder>>
    readonly listOrders: (
      communityId: CommunityId,
      query: WorkOrderQuery,
      window: Window
    ) => Effect.Effect<ReadonlyArray<WorkOrder>>

    /** `Conflict` (duplicate) for an existing id or a resident who is already enrolled. */
    readonly insertWorker: (worker: Worker) => Effect.Effect<void, Conflict>
    readonly updateWorker: (worker: Worker) => Effect.Effect<void, Conflict>
    readonly findWorker: (communityId: CommunityId, id: WorkerId) => Effect.Effect<Option.Option<Worker>>
    readonly findWorkerByResident: (
      communityId: CommunityId,
      residentId: ResidentId
    ) => Effect.Effect<Option.Option<Worker>>
    readonly listWorkers: (communityId: CommunityId, window: Window) => Effect.Effect<ReadonlyArray<Worker>>

    /** Inserts movements (all of one community); `Conflict` (duplicate) if any id exists, writing none. */
    readonly insertMovements: (movements: ReadonlyArray<Movement>) => Effect.Effect<void, Conflict>
    readonly findMovement: (communityId: CommunityId, id: TransferId) => Effect.Effect<Option.Option<Movement>>
    /** Movements matching the query, by {@link timedKey} of `occurredAt`. `to` is exclusive. */
    readonly listMovements: (
      communityId: CommunityId,
      query: MovementQuery,
      window: Window
    ) => Effect.Effect<ReadonlyArray<Movement>>
    /** Movements matching the query summed by order, worker and kind, in that order. */
    readonly movementTotals: (
      communityId: CommunityId,
      query: MovementQuery
    ) => Effect.Effect<ReadonlyArray<MovementTotal>>

    /** Inserts pay lines (all of one community); `Conflict` (duplicate) if any id exists, writing none. */
    readonly insertPayLines: (lines: ReadonlyArray<PayLine>) => Effect.Effect<void, Conflict>
    readonly updatePayLine: (line: PayLine) => Effect.Effect<void, Conflict>
    readonly findPayLine: (communityId: CommunityId, id: PayLineId) => Effect.Effect<Option.Option<PayLine>>
    /** Pay lines matching the query, by {@link timedKey} of `occurredAt`. `to` is exclusive. */
    readonly listPayLines: (
      communityId: CommunityId,
      query: PayLineQuery,
      window: Window
    ) => Effect.Effect<ReadonlyArray<PayLine>>
    /** Pay lines matching the query summed by worker, order and kind, in that order (`null` order first). */
    readonly payLineTotals: (
      communityId: CommunityId,
      query: PayLineQuery
    ) => Effect.Effect<ReadonlyArray<PayLineTotal>>
    /**
     * Puts every `confirmed` line of `[from, to)` that is in no period into `periodId` (bumping
     * each line's version); returns how many. Run inside the transaction that inserts the period.
     */
    readonly assignPeriod: (
      communityId: CommunityId,
      periodId: PayPeriodId,
      from: number,
      to: number
    ) => Effect.Effect<number>

    readonly insertPeriod: (period: PayPeriod) => Effect.Effect<void, Conflict>
    readonly updatePeriod: (period: PayPeriod) => Effect.Effect<void, Conflict>
    readonly findPeriod: (communityId: CommunityId, id: PayPeriodId) => Effect.Effect<Option.Option<PayPeriod>>
    readonly listPeriods: (communityId: CommunityId, window: Window) => Effect.Effect<ReadonlyArray<PayPeriod>>

    readonly insertInvoice: (invoice: Invoice) => Effect.Effect<void, Conflict>
    readonly updateInvoice: (invoice: Invoice) => Effect.Effect<void, Conflict>
    readonly findInvoice: (communityId: CommunityId, id: InvoiceId) => Effect.Effect<Option.Option<Invoice>>
    readonly listInvoices: (
      communityId: CommunityId,
      query: InvoiceQuery,
      window: Window
    ) => Effect.Effect<ReadonlyArray<Invoice>>
    /** How many invoices the community has (the next invoice's sequence is this plus one). */
    readonly countInvoices: (communityId: CommunityId) => Effect.Effect<number>
  }
>()("@commonweal/core/WorkshopRepo") {}

/**
 * The paging key of a timed record: its time zero-padded to 15 digits, a colon and its id, so
 * that keys sort as (time, id). `Window.after` of movements and pay lines is such a key.
 */
export const timedKey: (record: { readonly occurredAt: number; readonly id: string }) => string = Paging.timedKey

/** The storage ports the workshop needs from an adapter (beside the ledger's and the kernel's). */
export type WorkshopStorage = WorkshopRepo
