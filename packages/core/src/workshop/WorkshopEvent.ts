/**
 * The workshop's domain events, appended to the outbox in the transaction of the change they
 * record. They carry ids, counts and amounts, never personal data (no names, no notes).
 *
 * @module
 */
import { Schema } from "effect"
import { ResidentId } from "../kernel/Ids.js"
import { TransferId } from "../ledger/Ledger.js"
import {
  FactoryId,
  InvoiceId,
  MovementKind,
  PayLineId,
  PayLineKind,
  PayPeriodId,
  WorkerId,
  WorkOrderId,
  WorkProductId,
  WorkSku
} from "./Workshop.js"

/** The community's workshop settings changed (the minimum hourly wage). */
export const WorkshopConfigured = Schema.TaggedStruct("WorkshopConfigured", {
  minimumHourlyWageFen: Schema.Int,
  version: Schema.Int
})
/** A partner factory was added. */
export const FactoryAdded = Schema.TaggedStruct("FactoryAdded", { factoryId: FactoryId })
/** A product was added for a factory. */
export const WorkProductAdded = Schema.TaggedStruct("WorkProductAdded", {
  productId: WorkProductId,
  factoryId: FactoryId,
  sku: WorkSku
})
/** A work order was created (as a draft). */
export const WorkOrderCreated = Schema.TaggedStruct("WorkOrderCreated", {
  orderId: WorkOrderId,
  productId: WorkProductId,
  quantity: Schema.Int,
  rateFen: Schema.Int,
  belowMinimum: Schema.Boolean
})
/** A work order was started (its piece accounts opened); `acknowledgedLowRate` when its rate was below the minimum. */
export const WorkOrderStarted = Schema.TaggedStruct("WorkOrderStarted", {
  orderId: WorkOrderId,
  acknowledgedLowRate: Schema.Boolean
})
/** A rate was added to an order's rate table. */
export const RateChanged = Schema.TaggedStruct("RateChanged", {
  orderId: WorkOrderId,
  rateFen: Schema.Int,
  effectiveFrom: Schema.Int,
  belowMinimum: Schema.Boolean
})
/** A work order was closed. */
export const WorkOrderClosed = Schema.TaggedStruct("WorkOrderClosed", { orderId: WorkOrderId })
/** A work order was cancelled. */
export const WorkOrderCancelled = Schema.TaggedStruct("WorkOrderCancelled", { orderId: WorkOrderId })
/** A resident was enrolled as a worker. */
export const WorkerEnrolled = Schema.TaggedStruct("WorkerEnrolled", { workerId: WorkerId, residentId: ResidentId })
/** A worker left the workshop. */
export const WorkerLeft = Schema.TaggedStruct("WorkerLeft", { workerId: WorkerId })
/** Pieces moved (one movement, or the parts of one return), each a ledger transfer. */
export const PiecesMoved = Schema.TaggedStruct("PiecesMoved", {
  orderId: WorkOrderId,
  workerId: Schema.NullOr(WorkerId),
  movements: Schema.Array(Schema.Struct({ id: TransferId, kind: MovementKind, quantity: Schema.Int }))
})
/** A pay line was added (confirmed lines are posted at once). */
export const PayLineAdded = Schema.TaggedStruct("PayLineAdded", {
  lineId: PayLineId,
  workerId: WorkerId,
  kind: PayLineKind,
  amountFen: Schema.Int,
  confirmed: Schema.Boolean
})
/** A proposed pay line was confirmed and posted. */
export const PayLineConfirmed = Schema.TaggedStruct("PayLineConfirmed", {
  lineId: PayLineId,
  amountFen: Schema.Int,
  transferId: TransferId
})
/** A proposed pay line was dismissed. */
export const PayLineDismissed = Schema.TaggedStruct("PayLineDismissed", { lineId: PayLineId })
/** A pay period was closed: its lines frozen into payslips. */
export const PayPeriodClosed = Schema.TaggedStruct("PayPeriodClosed", {
  periodId: PayPeriodId,
  workers: Schema.Int,
  netFen: Schema.Int
})
/** A pay period was paid out. */
export const PayPeriodPaid = Schema.TaggedStruct("PayPeriodPaid", {
  periodId: PayPeriodId,
  payouts: Schema.Int,
  amountFen: Schema.Int
})
/** An invoice was issued to a factory. */
export const InvoiceIssued = Schema.TaggedStruct("InvoiceIssued", {
  invoiceId: InvoiceId,
  orderId: WorkOrderId,
  pieces: Schema.Int,
  amountFen: Schema.Int
})
/** An invoice was paid by its factory. */
export const InvoicePaid = Schema.TaggedStruct("InvoicePaid", { invoiceId: InvoiceId, amountFen: Schema.Int })
/** Money was put into the workshop's cash. */
export const CashAdded = Schema.TaggedStruct("CashAdded", { transferId: TransferId, amountFen: Schema.Int })
/** Part of the workshop's margin went to the public-welfare fund. */
export const FundContributed = Schema.TaggedStruct("FundContributed", {
  transferId: TransferId,
  fundEntryId: TransferId,
  amountFen: Schema.Int
})

/** Every event of the workshop. */
export const WorkshopEvent = Schema.Union([
  WorkshopConfigured,
  FactoryAdded,
  WorkProductAdded,
  WorkOrderCreated,
  WorkOrderStarted,
  RateChanged,
  WorkOrderClosed,
  WorkOrderCancelled,
  WorkerEnrolled,
  WorkerLeft,
  PiecesMoved,
  PayLineAdded,
  PayLineConfirmed,
  PayLineDismissed,
  PayPeriodClosed,
  PayPeriodPaid,
  InvoiceIssued,
  InvoicePaid,
  CashAdded,
  FundContributed
])
/** Every event of the workshop. */
export type WorkshopEvent = typeof WorkshopEvent.Type
