/**
 * The `workshop` group: the piece-work workshop (馨工坊 Xin Workshop) over HTTP: its settings (the
 * minimum hourly wage piece rates are checked against), partner factories, the products they send
 * for assembly, work orders with dated piece rates from draft to closed, enrolled workers and what
 * they hold, every movement of pieces (receipts from the factory, sign-outs to workers, returns,
 * deliveries, parts sent back), pay lines, pay periods with their payslips (JSON, printable HTML
 * and CSV), the factories' invoices, the workshop's cash and its contributions to the
 * public-welfare fund; its handlers over the core `Workshop` service, and the readers idempotent
 * replays use.
 *
 * **Who sees what** is core's: coordinators, admins and staff read everything; a resident enrolled
 * as a worker reads only their own worker, custody, movements, pay lines and payslips; a partner
 * factory's contact (the `factory` role) only that factory, its orders, their progress and its
 * invoices. A record one may not see is 404; a list one may not have is 403.
 *
 * **Times.** As in the fund and ledger groups: in JSON (request bodies and the records answered) a
 * time is an integer of UTC epoch milliseconds, as core keeps it (`occurredAt`, `deadline`,
 * `effectiveFrom`, a period's `from` and `to`); in a query string it is an ISO 8601 date-time
 * (`from`, `to` of the movement and pay-line lists). A period is `[from, to)`.
 *
 * **Replays.** Every POST accepts `Idempotency-Key`. A factory, a product, an order and a worker
 * get their ids from the server and answer 201 with `Location`; a replay re-reads them. Movements,
 * pay lines, pay periods, invoices, cash and fund contributions carry the caller's id, which core
 * also keeps as an idempotency key (the same id with the same content answers the first result;
 * with other content 409 `Conflict`), so they answer 200, as the fund's entries do. A worker's
 * return answers its movements and the pay lines it earned, re-read by their ids
 * ({@link WorkshopReturnReader}).
 *
 * @module
 */
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
  Factory,
  FactoryId,
  InvalidInput,
  Invoice,
  InvoiceId,
  IssueInput,
  IssueInvoiceInput,
  Movement,
  MovementKind,
  NotFound,
  Paging,
  PayLine,
  PayLineId,
  PayLineStatus,
  PayPeriod,
  PayPeriodId,
  PayPeriodStatus,
  Payslips,
  PayslipTotals,
  ReceiveInput,
  ReturnInput,
  ShipInput,
  StartWorkOrderInput,
  TransferId,
  WorkOrder,
  WorkOrderId,
  WorkOrderStatus,
  WorkProduct,
  WorkProductId,
  Worker,
  WorkerId,
  Workshop,
  WorkshopSettings,
  WorkSku
} from "@commonweal/core"
import { DateTime, Effect, Option, Schema } from "effect"
import type { Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { Authentication } from "../Auth.js"
import type { ApiMiddleware, ResourceReader } from "../kernel/Endpoints.js"
import {
  resourceReader,
  bodyCommandErrors,
  bodyErrors,
  commandErrors,
  describe,
  groupApi,
  idempotentPost,
  ledgerCommandErrors,
  PageParams,
  readErrors,
  wire
} from "../kernel/Endpoints.js"
import { copyStringBounds, isRecord, typeSideJsonSchema } from "../kernel/OpenApiDocs.js"
import { createdWithLocation, ruledOut } from "../kernel/Responses.js"
import { InvalidInputProblem } from "../Problem.js"

/** An amount of fen, or a count of pieces (an integer). */
const Count = Schema.Int

// ---------------------------------------------------------------------------------------------
// responses

/** The workshop's settings as the API answers them (core's `WorkshopSettings`). */
export const WorkshopSettingsResponse = WorkshopSettings.annotate({
  identifier: "WorkshopSettings",
  description:
    "The part-time hourly minimum wage (fen an hour) piece rates are checked against; version 0 means not configured yet (minimum 0) / 工坊设置：计件单价所对照的非全日制小时最低工资（分/小时）"
})

/** A partner factory as the API answers it (core's `Factory`). */
export const WorkshopFactoryResponse = Factory.annotate({
  identifier: "WorkshopFactory",
  description:
    "A partner factory: its name, contact and the login subjects of its staff (who read only its orders and invoices) / 合作工厂"
})

/** {@link WorkshopFactoryResponse} answered with 201 (`POST /workshop/factories`). */
export const WorkshopFactoryCreated = WorkshopFactoryResponse.pipe(HttpApiSchema.status(201))

/** A page of factories, by id. */
export const WorkshopFactoryPage = Paging.Page(WorkshopFactoryResponse).annotate({ identifier: "WorkshopFactoryPage" })

/** A product a factory sends for assembly as the API answers it (core's `WorkProduct`). */
export const WorkProductResponse = WorkProduct.annotate({
  identifier: "WorkProduct",
  description:
    "A product a factory sends for assembly: its SKU (also the ledger unit PCS:<sku>), bill of parts and the standard seconds a piece takes / 外发加工产品（SKU、物料清单、标准工时）"
})

/** {@link WorkProductResponse} answered with 201 (`POST /workshop/products`). */
export const WorkProductCreated = WorkProductResponse.pipe(HttpApiSchema.status(201))

/** A page of products, by id. */
export const WorkProductPage = Paging.Page(WorkProductResponse).annotate({ identifier: "WorkProductPage" })

/** A work order as the API answers it (core's `WorkOrder`). */
export const WorkOrderResponse = WorkOrder.annotate({
  identifier: "WorkOrder",
  description:
    "A work order: pieces ordered, the price charged a piece (fen), the dated rate table (what a worker earns a piece, oldest first), deadline, quality rules, the fair-pay check of the latest rate and its status; times in UTC epoch ms / 工单（含计件单价表、质量规则与最低工资核对）"
})

/** {@link WorkOrderResponse} answered with 201 (`POST /workshop/orders`). */
export const WorkOrderCreated = WorkOrderResponse.pipe(HttpApiSchema.status(201))

/** A page of orders, by id. */
export const WorkOrderPage = Paging.Page(WorkOrderResponse).annotate({ identifier: "WorkOrderPage" })

/** An enrolled worker as the API answers it (core's `Worker`). */
export const WorkshopWorkerResponse = Worker.annotate({
  identifier: "WorkshopWorker",
  description: "A resident enrolled as a worker of the workshop, with the name printed on payslips / 登记的工坊工人"
})

/** {@link WorkshopWorkerResponse} answered with 201 (`POST /workshop/workers`). */
export const WorkshopWorkerCreated = WorkshopWorkerResponse.pipe(HttpApiSchema.status(201))

/** A page of workers, by id. */
export const WorkshopWorkerPage = Paging.Page(WorkshopWorkerResponse).annotate({ identifier: "WorkshopWorkerPage" })

/** A movement of pieces as the API answers it (core's `Movement`). */
export const WorkshopMovementResponse = Movement.annotate({
  identifier: "WorkshopMovement",
  description:
    "A movement of pieces, recorded with the ledger transfer of the same id: receive, issue, accept, reject, unused, scrap, deliver or return_to_factory; occurredAt in UTC epoch ms / 物料流转记录（与同编号的账本转账一一对应）"
})

/** A page of movements, ordered by when they happened. */
export const WorkshopMovementPage = Paging.Page(WorkshopMovementResponse).annotate({
  identifier: "WorkshopMovementPage"
})

/** A pay line as the API answers it (core's `PayLine`). */
export const WorkshopPayLineResponse = PayLine.annotate({
  identifier: "WorkshopPayLine",
  description:
    "One line of a worker's pay in fen: an earning, reject pay, a bonus or a deduction (negative), proposed, confirmed or dismissed, with the movement it comes from and the money transfer that posted it / 工资明细"
})

/** A page of pay lines, ordered by when they happened. */
export const WorkshopPayLinePage = Paging.Page(WorkshopPayLineResponse).annotate({
  identifier: "WorkshopPayLinePage"
})

/** The answer of a worker's return: its movements and the pay lines they earned. */
export const WorkshopReturnResponse = Schema.Struct({
  movements: Schema.Array(WorkshopMovementResponse),
  payLines: Schema.Array(WorkshopPayLineResponse)
}).annotate({
  identifier: "WorkshopReturn",
  description:
    "A worker's return, recorded as one linked batch: a movement per kind returned (accept, reject, unused, scrap) and the pay lines they earned (confirmed earnings and reject pay; proposed deductions for charged rejects and scrap beyond the tolerance) / 交货结果：流转记录与相应工资明细"
})

/** A pay period as the API answers it (core's `PayPeriod`). */
export const WorkshopPayPeriodResponse = PayPeriod.annotate({
  identifier: "WorkshopPayPeriod",
  description:
    "A pay period [from, to) (UTC epoch ms): its confirmed pay lines frozen into one payslip per worker, closed and then paid; a worker sees only their own slip / 工资结算期（每人一张工资单）"
})

/** A page of pay periods, by id. */
export const WorkshopPayPeriodPage = Paging.Page(WorkshopPayPeriodResponse).annotate({
  identifier: "WorkshopPayPeriodPage"
})

/** One worker's payslip of a period (core's `Payslip`). */
export const WorkshopPayslipResponse = Schema.Struct({
  communityName: Schema.String,
  period: Schema.Struct({ id: PayPeriodId, from: Count, to: Count, status: PayPeriodStatus }),
  worker: Schema.Struct({ id: WorkerId, displayName: Schema.String }),
  lines: Schema.Array(WorkshopPayLineResponse),
  totals: PayslipTotals,
  orders: Schema.Array(Schema.Struct({ id: WorkOrderId, title: Schema.String, sku: WorkSku }))
}).annotate({
  identifier: "WorkshopPayslip",
  description:
    "One worker's payslip of a period: their pay lines, the totals (earned, bonus, deducted, net, pieces, standard hours) and the orders the lines name / 工资单"
})

/** An invoice as the API answers it (core's `Invoice`). */
export const WorkshopInvoiceResponse = Invoice.annotate({
  identifier: "WorkshopInvoice",
  description:
    "A factory's invoice for items delivered and not invoiced before: pieces × the order's price, issued then paid / 对账单（发票）"
})

/** A page of invoices, by id. */
export const WorkshopInvoicePage = Paging.Page(WorkshopInvoiceResponse).annotate({
  identifier: "WorkshopInvoicePage"
})

/** An order's progress (core's `OrderProgress`). */
export const WorkOrderProgressResponse = Schema.Struct({
  orderId: WorkOrderId,
  ordered: Count,
  received: Count,
  accepted: Count,
  delivered: Count,
  remaining: Count,
  inCustody: Count,
  deadline: Count,
  pacePerDay: Schema.Number,
  projectedFinish: Schema.NullOr(Schema.Number),
  onTrack: Schema.Boolean,
  percentDone: Count
}).annotate({
  identifier: "WorkOrderProgress",
  description:
    "Where an order stands: pieces ordered, received, accepted (delivered included), delivered, remaining and in workers' hands; the pace of accepted pieces a day over the last 7 days, the projected finish at that pace (UTC epoch ms; null when nothing is being accepted), whether it meets the deadline, and the percentage done / 工单进度（含按近期速度预计完成时间）"
})

const custodyFields = {
  orderId: WorkOrderId,
  workerId: WorkerId,
  issued: Count,
  accepted: Count,
  rejected: Count,
  unused: Count,
  scrapped: Count,
  held: Count
}

/** One line of what a worker did with one order's pieces (core's `CustodyLine`). */
export const WorkshopCustodyLineResponse = Schema.Struct(custodyFields).annotate({
  identifier: "WorkshopCustodyLine",
  description:
    "What one worker did with one order's pieces: issued, and of those accepted, rejected, unused, scrapped and still held / 工人某工单的领料与交回"
})

/** What a worker holds: a custody line per order, with how long the oldest pieces have been out. */
export const WorkshopCustodyResponse = Schema.Struct({
  workerId: WorkerId,
  items: Schema.Array(
    Schema.Struct({ ...custodyFields, days: Count, oldestAt: Schema.NullOr(Count) }).annotate({
      identifier: "WorkshopCustodyItem"
    })
  )
}).annotate({
  identifier: "WorkshopCustody",
  description:
    "A worker's custody, one line per order they were issued pieces of: issued, returned by kind and held, with the time of the oldest piece still held (first issued, first returned; UTC epoch ms) and its age in days / 工人在手物料及最久未交天数"
})

/** An order's reconciliation: the movement totals against the ledger's balances. */
export const WorkOrderReconciliationResponse = Schema.Struct({
  balance: Schema.Struct({
    orderId: WorkOrderId,
    received: Count,
    stock: Count,
    inCustody: Count,
    accepted: Count,
    rejected: Count,
    scrapped: Count,
    delivered: Count,
    returnedToFactory: Count
  }),
  workers: Schema.Array(WorkshopCustodyLineResponse),
  ledger: Schema.Struct({ stock: Count, accepted: Count, custody: Count }),
  balanced: Schema.Boolean
}).annotate({
  identifier: "WorkOrderReconciliation",
  description:
    "Where an order's pieces are (received = stock + in custody + accepted + rejected + scrapped + delivered + returned to the factory), per worker, and the ledger's balances of the stock, accepted and custody accounts; balanced when they agree / 工单物料对账（流转合计与账本余额核对）"
})

/** The answer of `POST /workshop/cash`: the ledger transfer that moved the money. */
export const WorkshopCashAddedResponse = Schema.Struct({ transferId: TransferId }).annotate({
  identifier: "WorkshopCashAdded",
  description: "The ledger transfer that put the money into the workshop's cash / 入账的转账编号"
})

/** The answer of `POST /workshop/fund-contributions`: the ledger transfer and the fund's entry. */
export const WorkshopFundContributionResponse = Schema.Struct({
  transferId: TransferId,
  fundEntryId: TransferId
}).annotate({
  identifier: "WorkshopFundContribution",
  description:
    "The workshop's transfer out of its cash, and the public-welfare fund's entry (other income) that received it / 转入公益基金的转账与基金收支记录"
})

/** A printable page: one self-contained HTML document (`text/html`). */
export const WorkshopHtml = Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/html" }))

/** A CSV document (`text/csv`, RFC 4180: CRLF line ends, a header row). */
export const WorkshopCsv = Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/csv" }))

// ---------------------------------------------------------------------------------------------
// bodies

/** The body of `PUT /workshop/settings` (wire form of `ConfigureWorkshopInput`). */
export const ConfigureWorkshopBody = wire(ConfigureWorkshopInput, "ConfigureWorkshopInput")
/** The body of `POST /workshop/factories` (wire form of `AddFactoryInput`). */
export const AddWorkshopFactoryBody = wire(AddFactoryInput, "AddWorkshopFactoryInput")
/** The body of `POST /workshop/products` (wire form of `AddWorkProductInput`). */
export const AddWorkProductBody = wire(AddWorkProductInput, "AddWorkProductInput")
/** The body of `POST /workshop/orders` (wire form of `CreateWorkOrderInput`). */
export const CreateWorkOrderBody = wire(CreateWorkOrderInput, "CreateWorkOrderInput")
/** The body of `POST /workshop/orders/:id/start` (wire form of `StartWorkOrderInput`; `{}` when the rate is fair). */
export const StartWorkOrderBody = wire(StartWorkOrderInput, "StartWorkOrderInput")
/** The body of `POST /workshop/orders/:id/rate` (wire form of `ChangeRateInput`). */
export const ChangeWorkRateBody = wire(ChangeRateInput, "ChangeWorkRateInput")
/** The body of `POST /workshop/workers` (wire form of `EnrollWorkerInput`). */
export const EnrollWorkerBody = wire(EnrollWorkerInput, "EnrollWorkerInput")
/** The body of `POST /workshop/receipts` (wire form of `ReceiveInput`). */
export const WorkshopReceiveBody = wire(ReceiveInput, "WorkshopReceiveInput")
/** The body of `POST /workshop/issues` (wire form of `IssueInput`). */
export const WorkshopIssueBody = wire(IssueInput, "WorkshopIssueInput")
/** The body of `POST /workshop/returns` (wire form of `ReturnInput`). */
export const WorkshopReturnBody = wire(ReturnInput, "WorkshopReturnInput")
/** The body of `POST /workshop/deliveries` and `/workshop/factory-returns` (wire form of `ShipInput`). */
export const WorkshopShipBody = wire(ShipInput, "WorkshopShipInput")
/** The body of `POST /workshop/pay-lines` (wire form of `AddPayLineInput`). */
export const AddWorkshopPayLineBody = wire(AddPayLineInput, "AddWorkshopPayLineInput")
/** The body of `POST /workshop/periods` (wire form of `ClosePayPeriodInput`). */
export const CloseWorkshopPeriodBody = wire(ClosePayPeriodInput, "CloseWorkshopPeriodInput")
/** The body of `POST /workshop/invoices` (wire form of `IssueInvoiceInput`). */
export const IssueWorkshopInvoiceBody = wire(IssueInvoiceInput, "IssueWorkshopInvoiceInput")
/** The body of `POST /workshop/cash` (wire form of `AddCashInput`). */
export const AddWorkshopCashBody = wire(AddCashInput, "AddWorkshopCashInput")
/** The body of `POST /workshop/fund-contributions` (wire form of `ContributeToFundInput`). */
export const WorkshopContributeBody = wire(ContributeToFundInput, "WorkshopContributeInput")

// ---------------------------------------------------------------------------------------------
// query strings and paths

// the parameters' descriptions are in WORKSHOP_PARAMETER_DESCRIPTIONS (the generator documents
// the wire side of a query, a string, so `documentWorkshop` writes them onto the document)

/** The query string of the lists without filters: `cursor` and `limit`. */
export const WorkshopPageParams = Schema.Struct(PageParams)

/** The query string of `GET /workshop/orders`: `factoryId`, `status`, `cursor`, `limit`. */
export const WorkOrderListParams = Schema.Struct({
  factoryId: Schema.optional(FactoryId),
  status: Schema.optional(WorkOrderStatus),
  ...PageParams
})

/** The query string of `GET /workshop/movements`: `orderId`, `workerId`, `kind`, `from`, `to` (on `occurredAt`), `cursor`, `limit`. */
export const WorkshopMovementParams = Schema.Struct({
  orderId: Schema.optional(WorkOrderId),
  workerId: Schema.optional(WorkerId),
  kind: Schema.optional(MovementKind),
  from: Schema.optional(Schema.DateTimeUtcFromString),
  to: Schema.optional(Schema.DateTimeUtcFromString),
  ...PageParams
})

/** The query string of `GET /workshop/pay-lines`: `workerId`, `status`, `periodId`, `unpaid`, `from`, `to`, `cursor`, `limit`. */
export const WorkshopPayLineParams = Schema.Struct({
  workerId: Schema.optional(WorkerId),
  status: Schema.optional(PayLineStatus),
  periodId: Schema.optional(PayPeriodId),
  unpaid: Schema.optional(Schema.Literals(["true", "false"])),
  from: Schema.optional(Schema.DateTimeUtcFromString),
  to: Schema.optional(Schema.DateTimeUtcFromString),
  ...PageParams
})

/** The query string of `GET /workshop/invoices`: `factoryId`, `orderId`, `cursor`, `limit`. */
export const WorkshopInvoiceParams = Schema.Struct({
  factoryId: Schema.optional(FactoryId),
  orderId: Schema.optional(WorkOrderId),
  ...PageParams
})

/** The query string of the printable pages: `timeZone`, of the dates shown (default Asia/Shanghai). */
export const WorkshopHtmlParams = Schema.Struct({ timeZone: Schema.optional(Schema.String) })

/**
 * The query string of the CSV documents: `timeZone`, of the dates written (default
 * Asia/Shanghai), and `bom`, `true` to start with a UTF-8 byte order mark (for Excel).
 */
export const WorkshopCsvParams = Schema.Struct({
  timeZone: Schema.optional(Schema.String),
  bom: Schema.optional(Schema.Literals(["true", "false"]))
})

const FactoryPath = { id: FactoryId }
const ProductPath = { id: WorkProductId }
const OrderPath = { id: WorkOrderId }
const WorkerPath = { id: WorkerId }
const MovementPath = { id: TransferId }
const PayLinePath = { id: PayLineId }
const PeriodPath = { id: PayPeriodId }
const PayslipPath = { id: PayPeriodId, workerId: WorkerId }
const InvoicePath = { id: InvoiceId }

// ---------------------------------------------------------------------------------------------
// resources

/** The `Location` of a factory added with 201: `/workshop/factories/<id>`. */
export const workshopFactoryLocation = (id: string): string => `/workshop/factories/${encodeURIComponent(id)}`
/** The `Location` of a product added with 201: `/workshop/products/<id>`. */
export const workProductLocation = (id: string): string => `/workshop/products/${encodeURIComponent(id)}`
/** The `Location` of an order created with 201: `/workshop/orders/<id>`. */
export const workOrderLocation = (id: string): string => `/workshop/orders/${encodeURIComponent(id)}`
/** The `Location` of a worker enrolled with 201: `/workshop/workers/<id>`. */
export const workshopWorkerLocation = (id: string): string => `/workshop/workers/${encodeURIComponent(id)}`
/** The path of a movement: `/workshop/movements/<id>`. */
export const workshopMovementLocation = (id: string): string => `/workshop/movements/${encodeURIComponent(id)}`
/** The path of a pay line: `/workshop/pay-lines/<id>`. */
export const workshopPayLineLocation = (id: string): string => `/workshop/pay-lines/${encodeURIComponent(id)}`
/** The path of a pay period: `/workshop/periods/<id>`. */
export const workshopPeriodLocation = (id: string): string => `/workshop/periods/${encodeURIComponent(id)}`
/** The path of an invoice: `/workshop/invoices/<id>`. */
export const workshopInvoiceLocation = (id: string): string => `/workshop/invoices/${encodeURIComponent(id)}`

const byId = (body: { readonly id: string }) => body.id
const factoryResource = { type: "WorkshopFactory", id: byId } as const
const productResource = { type: "WorkProduct", id: byId } as const
const orderResource = { type: "WorkOrder", id: byId } as const
const workerResource = { type: "WorkshopWorker", id: byId } as const
const movementResource = { type: "WorkshopMovement", id: byId } as const
const payLineResource = { type: "WorkshopPayLine", id: byId } as const
const periodResource = { type: "WorkshopPayPeriod", id: byId } as const
const invoiceResource = { type: "WorkshopInvoice", id: byId } as const

/**
 * The id under which a return's answer is remembered: its movements' ids, `|`, its pay lines'
 * ids, each list comma-separated (`m1,m2|l1`), so that a replay re-reads exactly those records.
 */
export const workshopReturnResourceId = (body: {
  readonly movements: ReadonlyArray<{ readonly id: string }>
  readonly payLines: ReadonlyArray<{ readonly id: string }>
}): string => `${body.movements.map((m) => m.id).join(",")}|${body.payLines.map((l) => l.id).join(",")}`

/** The id under which a cash deposit's answer is remembered: its transfer's id. */
export const workshopCashResourceId = (body: { readonly transferId: string }): string => body.transferId

/** The id under which a fund contribution's answer is remembered: `<transfer id>/<fund entry id>`. */
export const workshopContributionResourceId = (body: {
  readonly transferId: string
  readonly fundEntryId: string
}): string => `${body.transferId}/${body.fundEntryId}`

const returnResource = { type: "WorkshopReturn", id: workshopReturnResourceId } as const
const cashResource = { type: "WorkshopCashAdded", id: workshopCashResourceId } as const
const contributionResource = { type: "WorkshopFundContribution", id: workshopContributionResourceId } as const

const RETURN_KEY = /^([^|]+)\|([^|]*)$/u
const CONTRIBUTION_KEY = /^([^/]+)\/([^/]+)$/u

// ---------------------------------------------------------------------------------------------
// the group

/** The piece-work workshop (馨工坊). */
export class WorkshopGroup extends HttpApiGroup.make("workshop")
  // settings ----------------------------------------------------------------------------------
  .add(
    HttpApiEndpoint.get("settings", "/workshop/settings", {
      success: WorkshopSettingsResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get the workshop's settings")
      .annotate(
        OpenApi.Description,
        describe(
          "The part-time hourly minimum wage (fen an hour) piece rates are checked against; version 0 and a minimum of 0 until configured. Coordinators, admins, staff.",
          "查询工坊设置（小时最低工资）"
        )
      )
  )
  .add(
    HttpApiEndpoint.put("configure", "/workshop/settings", {
      payload: ConfigureWorkshopBody,
      success: WorkshopSettingsResponse,
      error: bodyCommandErrors
    })
      .annotate(OpenApi.Summary, "Set the workshop's settings")
      .annotate(
        OpenApi.Description,
        describe(
          "Sets the part-time hourly minimum wage in fen (2600 is ¥26.00 an hour), as the province sets it; the version goes up by one. Coordinators and admins.",
          "设置小时最低工资（分/小时，协调员、管理员）"
        )
      )
  )
  // factories ---------------------------------------------------------------------------------
  .add(
    idempotentPost("addFactory", "/workshop/factories", {
      payload: AddWorkshopFactoryBody,
      success: WorkshopFactoryCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: factoryResource
    })
      .annotate(OpenApi.Summary, "Add a partner factory")
      .annotate(
        OpenApi.Description,
        describe(
          "Adds a partner factory with its contact and the login subjects of its staff (who then read only its orders, their progress and its invoices). Coordinators and admins. 201 with Location.",
          "新增合作工厂（协调员、管理员）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("factories", "/workshop/factories", {
      query: WorkshopPageParams,
      success: WorkshopFactoryPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List partner factories")
      .annotate(
        OpenApi.Description,
        describe(
          "The factories by id, cursor-paged; a factory's contact sees only their own.",
          "合作工厂列表（工厂联系人仅见本厂）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("factory", "/workshop/factories/:id", {
      params: FactoryPath,
      success: WorkshopFactoryResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a partner factory")
      .annotate(
        OpenApi.Description,
        describe("One factory; another factory's (for a factory's contact) or community's is 404.", "查询合作工厂")
      )
  )
  // products ----------------------------------------------------------------------------------
  .add(
    idempotentPost("addProduct", "/workshop/products", {
      payload: AddWorkProductBody,
      success: WorkProductCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: productResource
    })
      .annotate(OpenApi.Summary, "Add a product")
      .annotate(
        OpenApi.Description,
        describe(
          "Adds a product a factory sends for assembly: its SKU (upper case, unique in the community, else 409), bill of parts (at least one line) and the standard seconds a piece takes. Coordinators and admins. 201 with Location.",
          "新增外发加工产品（SKU 不可重复，须有物料清单）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("products", "/workshop/products", {
      query: WorkshopPageParams,
      success: WorkProductPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List products")
      .annotate(OpenApi.Description, describe("The products by id, cursor-paged.", "产品列表，游标分页"))
  )
  .add(
    HttpApiEndpoint.get("product", "/workshop/products/:id", {
      params: ProductPath,
      success: WorkProductResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a product")
      .annotate(OpenApi.Description, describe("One product; another community's is 404.", "查询产品"))
  )
  // orders ------------------------------------------------------------------------------------
  .add(
    idempotentPost("createOrder", "/workshop/orders", {
      payload: CreateWorkOrderBody,
      success: WorkOrderCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: orderResource
    })
      .annotate(OpenApi.Summary, "Create a work order")
      .annotate(
        OpenApi.Description,
        describe(
          "Creates a draft order of a product: pieces, the price charged to the factory a piece and the rate a worker earns a piece (fen), the deadline (UTC epoch ms, in the future) and the quality rules (reject policy, scrap tolerance). The rate's fair-pay check against the minimum wage is computed and kept. Coordinators and admins. 201 with Location.",
          "创建工单草稿（计件单价、交期、质量规则），并核对是否低于最低工资"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("orders", "/workshop/orders", {
      query: WorkOrderListParams,
      success: WorkOrderPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List work orders")
      .annotate(
        OpenApi.Description,
        describe(
          "The orders by id, optionally of one factory and in one status; cursor-paged. A factory's contact sees only their factory's.",
          "工单列表，可按工厂、状态筛选（工厂联系人仅见本厂）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("order", "/workshop/orders/:id", {
      params: OrderPath,
      success: WorkOrderResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a work order")
      .annotate(
        OpenApi.Description,
        describe("One order; another factory's (for a factory's contact) or community's is 404.", "查询工单")
      )
  )
  .add(
    idempotentPost("startOrder", "/workshop/orders/:id/start", {
      params: OrderPath,
      payload: StartWorkOrderBody,
      success: WorkOrderResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: orderResource
    })
      .annotate(OpenApi.Summary, "Start a work order")
      .annotate(
        OpenApi.Description,
        describe(
          "Opens a draft order (pieces may then move) and its piece accounts in the ledger. A rate below the minimum wage at the product's standard seconds is refused (400, naming both hourly figures) unless `acknowledgeLowRate` gives the reason, which the order keeps. Send `{}` otherwise. Not a draft: 409 InvalidTransition.",
          "开始工单；计件单价折合时薪低于最低工资时须说明理由"
        )
      )
  )
  .add(
    idempotentPost("changeRate", "/workshop/orders/:id/rate", {
      params: OrderPath,
      payload: ChangeWorkRateBody,
      success: WorkOrderResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: orderResource
    })
      .annotate(OpenApi.Summary, "Change an order's piece rate")
      .annotate(
        OpenApi.Description,
        describe(
          "Adds an entry to a draft or open order's dated rate table: the new rate (fen a piece) from `effectiveFrom` (UTC epoch ms, default now; not in the past, not before the last entry). What was earned before keeps its rate. The fair-pay check of the new rate is recomputed.",
          "调整计件单价（自生效时间起，不影响已计工资）"
        )
      )
  )
  .add(
    idempotentPost("closeOrder", "/workshop/orders/:id/close", {
      params: OrderPath,
      success: WorkOrderResponse,
      error: commandErrors,
      resource: orderResource
    })
      .annotate(OpenApi.Summary, "Close a work order")
      .annotate(
        OpenApi.Description,
        describe(
          "Closes an open order: no more sign-outs; returns, deliveries and invoices are still allowed. From another status: 409 InvalidTransition.",
          "结束工单（不再领料，仍可交货、发货、开票）"
        )
      )
  )
  .add(
    idempotentPost("cancelOrder", "/workshop/orders/:id/cancel", {
      params: OrderPath,
      success: WorkOrderResponse,
      error: commandErrors,
      resource: orderResource
    })
      .annotate(OpenApi.Summary, "Cancel a work order")
      .annotate(
        OpenApi.Description,
        describe(
          "Cancels a draft or open order, refused while any worker still holds its pieces.",
          "取消工单（仍有工人持有物料时不可取消）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("progress", "/workshop/orders/:id/progress", {
      params: OrderPath,
      success: WorkOrderProgressResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "An order's progress")
      .annotate(
        OpenApi.Description,
        describe(
          "Pieces received, accepted, delivered, remaining and in workers' hands; the pace over the last 7 days and whether the deadline will be met. Staff, coordinators and the order's factory.",
          "工单进度与预计完成时间（工厂可查本厂工单）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("reconcile", "/workshop/orders/:id/reconcile", {
      params: OrderPath,
      success: WorkOrderReconciliationResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Reconcile an order's pieces")
      .annotate(
        OpenApi.Description,
        describe(
          "Where every piece of the order is, per worker, checked against the ledger's balances of its stock, accepted and custody accounts. Coordinators, admins, staff.",
          "工单物料对账（与账本余额核对）"
        )
      )
  )
  // workers -----------------------------------------------------------------------------------
  .add(
    idempotentPost("enroll", "/workshop/workers", {
      payload: EnrollWorkerBody,
      success: WorkshopWorkerCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: workerResource
    })
      .annotate(OpenApi.Summary, "Enrol a worker")
      .annotate(
        OpenApi.Description,
        describe(
          "Enrols a resident of the community as a worker, with the name printed on payslips; a resident already enrolled is 409, one not in the community 404. Coordinators and admins. 201 with Location.",
          "登记工人（须为本社区居民）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("workers", "/workshop/workers", {
      query: WorkshopPageParams,
      success: WorkshopWorkerPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List workers")
      .annotate(
        OpenApi.Description,
        describe("The workers by id, cursor-paged. Coordinators, admins, staff.", "工人列表")
      )
  )
  .add(
    HttpApiEndpoint.get("me", "/workshop/workers/me", {
      success: WorkshopWorkerResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "My worker record")
      .annotate(
        OpenApi.Description,
        describe("The caller's own worker record; 404 when they are not enrolled.", "查询本人的工人信息")
      )
  )
  .add(
    HttpApiEndpoint.get("worker", "/workshop/workers/:id", {
      params: WorkerPath,
      success: WorkshopWorkerResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a worker")
      .annotate(
        OpenApi.Description,
        describe("One worker; a worker sees only themself (another is 404).", "查询工人（工人仅可查本人）")
      )
  )
  .add(
    idempotentPost("leave", "/workshop/workers/:id/leave", {
      params: WorkerPath,
      success: WorkshopWorkerResponse,
      error: commandErrors,
      resource: workerResource
    })
      .annotate(OpenApi.Summary, "A worker leaves")
      .annotate(
        OpenApi.Description,
        describe(
          "Marks a worker inactive; refused while they still hold pieces. Coordinators and admins.",
          "工人退出（仍持有物料时不可退出）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("custody", "/workshop/workers/:id/custody", {
      params: WorkerPath,
      success: WorkshopCustodyResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "What a worker holds")
      .annotate(
        OpenApi.Description,
        describe(
          "Per order: pieces issued to the worker, returned by kind and still held, and how many days the oldest held piece has been out. A worker sees only their own (another's is 404).",
          "工人在手物料（工人仅可查本人）"
        )
      )
  )
  // movements ---------------------------------------------------------------------------------
  .add(
    idempotentPost("receive", "/workshop/receipts", {
      payload: WorkshopReceiveBody,
      success: WorkshopMovementResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: movementResource
    })
      .annotate(OpenApi.Summary, "Receive parts from the factory")
      .annotate(
        OpenApi.Description,
        describe(
          "Records pieces' worth of parts received for an open order (factory → stock). The id is the caller's and the ledger transfer's: the same receipt again answers the recorded one, the same id with other content is 409. Staff and coordinators.",
          "收料入库（工单须已开始）；编号由调用方指定"
        )
      )
  )
  .add(
    idempotentPost("issue", "/workshop/issues", {
      payload: WorkshopIssueBody,
      success: WorkshopMovementResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: movementResource
    })
      .annotate(OpenApi.Summary, "Sign parts out to a worker")
      .annotate(
        OpenApi.Description,
        describe(
          "Signs pieces out of stock to an active worker, on site or at home (stock → the worker's custody), for an open order; more than the stock holds is 409 InsufficientFunds, saying how many it holds.",
          "领料（库存 → 工人），库存不足时返回 409"
        )
      )
  )
  .add(
    idempotentPost("returnPieces", "/workshop/returns", {
      payload: WorkshopReturnBody,
      success: WorkshopReturnResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: returnResource
    })
      .annotate(OpenApi.Summary, "A worker returns pieces")
      .annotate(
        OpenApi.Description,
        describe(
          "Records what a worker brings back of an open or closed order: accepted, rejected, unused and scrapped pieces (at least one positive), as one linked batch, with the pay lines they earn (accepted pieces at the rate in force; rejects under the order's policy; scrap beyond the tolerance proposes a deduction). More than the worker holds is 409 InsufficientFunds, saying how many they hold, and nothing is recorded.",
          "交货（合格、不合格、未用、报废），同时生成工资明细；超过在手数量时返回 409"
        )
      )
  )
  .add(
    idempotentPost("deliver", "/workshop/deliveries", {
      payload: WorkshopShipBody,
      success: WorkshopMovementResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: movementResource
    })
      .annotate(OpenApi.Summary, "Deliver items to the factory")
      .annotate(
        OpenApi.Description,
        describe(
          "Ships accepted items to the factory (accepted → factory), which invoices then bill; more than accepted is 409 InsufficientFunds.",
          "向工厂发货（合格品），超过合格品数量时返回 409"
        )
      )
  )
  .add(
    idempotentPost("returnToFactory", "/workshop/factory-returns", {
      payload: WorkshopShipBody,
      success: WorkshopMovementResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: movementResource
    })
      .annotate(OpenApi.Summary, "Send unused parts back to the factory")
      .annotate(
        OpenApi.Description,
        describe(
          "Sends unused parts from stock back to the factory (stock → factory); more than the stock holds is 409 InsufficientFunds.",
          "退回工厂未用物料，超过库存时返回 409"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("movements", "/workshop/movements", {
      query: WorkshopMovementParams,
      success: WorkshopMovementPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List movements of pieces")
      .annotate(
        OpenApi.Description,
        describe(
          "The movements ordered by when they happened, optionally of one order, worker and kind, with occurredAt in [from, to); cursor-paged. A worker sees only their own; a factory's contact names one of its orders (orderId).",
          "物料流转记录，可按工单、工人、类型、时间筛选（工人仅见本人）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("movement", "/workshop/movements/:id", {
      params: MovementPath,
      success: WorkshopMovementResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a movement")
      .annotate(OpenApi.Description, describe("One movement of pieces by its id.", "查询流转记录"))
  )
  // pay lines ---------------------------------------------------------------------------------
  .add(
    idempotentPost("addPayLine", "/workshop/pay-lines", {
      payload: AddWorkshopPayLineBody,
      success: WorkshopPayLineResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: payLineResource
    })
      .annotate(OpenApi.Summary, "Add a bonus or a deduction")
      .annotate(
        OpenApi.Description,
        describe(
          "Adds a worker's bonus or deduction (amountFen positive either way), confirmed at once and posted to the money ledger; a deduction above what the worker is owed is 409 InsufficientFunds. The id is the caller's. Coordinators and admins.",
          "新增奖励或扣款（立即确认并入账）"
        )
      )
  )
  .add(
    idempotentPost("confirmPayLine", "/workshop/pay-lines/:id/confirm", {
      params: PayLinePath,
      success: WorkshopPayLineResponse,
      error: ledgerCommandErrors,
      resource: payLineResource
    })
      .annotate(OpenApi.Summary, "Confirm a proposed pay line")
      .annotate(
        OpenApi.Description,
        describe(
          "Confirms a proposed deduction (a charged reject, scrap beyond the tolerance) and posts it; a line not proposed is 409 InvalidTransition.",
          "确认建议扣款并入账"
        )
      )
  )
  .add(
    idempotentPost("dismissPayLine", "/workshop/pay-lines/:id/dismiss", {
      params: PayLinePath,
      success: WorkshopPayLineResponse,
      error: commandErrors,
      resource: payLineResource
    })
      .annotate(OpenApi.Summary, "Dismiss a proposed pay line")
      .annotate(
        OpenApi.Description,
        describe(
          "Dismisses a proposed deduction: it never counts. A line not proposed is 409 InvalidTransition.",
          "驳回建议扣款"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("payLines", "/workshop/pay-lines", {
      query: WorkshopPayLineParams,
      success: WorkshopPayLinePage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List pay lines")
      .annotate(
        OpenApi.Description,
        describe(
          "The pay lines ordered by when they happened, optionally of one worker, status or period, only those not yet in a period (unpaid=true), with occurredAt in [from, to); cursor-paged. A worker sees only their own.",
          "工资明细列表（工人仅见本人）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("payLine", "/workshop/pay-lines/:id", {
      params: PayLinePath,
      success: WorkshopPayLineResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a pay line")
      .annotate(OpenApi.Description, describe("One pay line; another worker's is 404 for a worker.", "查询工资明细"))
  )
  // pay periods -------------------------------------------------------------------------------
  .add(
    idempotentPost("closePeriod", "/workshop/periods", {
      payload: CloseWorkshopPeriodBody,
      success: WorkshopPayPeriodResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: periodResource
    })
      .annotate(OpenApi.Summary, "Close a pay period")
      .annotate(
        OpenApi.Description,
        describe(
          "Closes [from, to) (UTC epoch ms, to not in the future): every confirmed line not paid before and dated before `to` is frozen into one payslip per worker. No lines, or a worker whose net would be negative, is 400 and nothing is written. The id is the caller's. Coordinators and admins.",
          "结算工资期：冻结确认的工资明细，生成工资单"
        )
      )
  )
  .add(
    idempotentPost("payPeriod", "/workshop/periods/:id/pay", {
      params: PeriodPath,
      success: WorkshopPayPeriodResponse,
      error: ledgerCommandErrors,
      resource: periodResource
    })
      .annotate(OpenApi.Summary, "Pay a pay period")
      .annotate(
        OpenApi.Description,
        describe(
          "Pays every net amount of a closed period from the workshop's cash in one linked batch (all or nothing): not enough cash is 409 InsufficientFunds and the period stays closed. Coordinators and admins.",
          "发放工资（一次性全部入账，现金不足时全部不发）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("periods", "/workshop/periods", {
      query: WorkshopPageParams,
      success: WorkshopPayPeriodPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List pay periods")
      .annotate(
        OpenApi.Description,
        describe("The pay periods by id, cursor-paged; a worker sees only their own slip in each.", "工资期列表")
      )
  )
  .add(
    HttpApiEndpoint.get("period", "/workshop/periods/:id", {
      params: PeriodPath,
      success: WorkshopPayPeriodResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a pay period")
      .annotate(
        OpenApi.Description,
        describe("One pay period with its slips; a worker sees only their own slip.", "查询工资期")
      )
  )
  .add(
    HttpApiEndpoint.get("periodCsv", "/workshop/periods/:id/payslips.csv", {
      params: PeriodPath,
      query: WorkshopCsvParams,
      success: WorkshopCsv,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "A pay period's payslips as CSV")
      .annotate(
        OpenApi.Description,
        describe(
          "One row per worker's slip of the period (text/csv), for the books. Coordinators, admins, staff.",
          "工资期汇总（CSV）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("payslip", "/workshop/periods/:id/payslips/:workerId", {
      params: PayslipPath,
      success: WorkshopPayslipResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "A worker's payslip")
      .annotate(
        OpenApi.Description,
        describe(
          "One worker's payslip of a period: the lines, the totals and the orders. A worker reads only their own (another's is 404).",
          "工资单（工人仅可查本人）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("payslipHtml", "/workshop/periods/:id/payslips/:workerId.html", {
      params: PayslipPath,
      query: WorkshopHtmlParams,
      success: WorkshopHtml,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "A worker's payslip as a printable page")
      .annotate(
        OpenApi.Description,
        describe(
          "The payslip as one self-contained, bilingual HTML page (text/html) that prints on A4 and loads nothing; dates in timeZone (default Asia/Shanghai).",
          "工资单（可打印网页）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("payslipCsv", "/workshop/periods/:id/payslips/:workerId.csv", {
      params: PayslipPath,
      query: WorkshopCsvParams,
      success: WorkshopCsv,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "A worker's payslip as CSV")
      .annotate(
        OpenApi.Description,
        describe("The payslip as CSV (text/csv): one row per line and a totals row.", "工资单（CSV）")
      )
  )
  // invoices ----------------------------------------------------------------------------------
  .add(
    idempotentPost("issueInvoice", "/workshop/invoices", {
      payload: IssueWorkshopInvoiceBody,
      success: WorkshopInvoiceResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: invoiceResource
    })
      .annotate(OpenApi.Summary, "Invoice an order's deliveries")
      .annotate(
        OpenApi.Description,
        describe(
          "Invoices the factory for the order's items delivered and not invoiced before (pieces × the order's price), posting the receivable; nothing to invoice is 400. Numbered <year>-<sequence>. The id is the caller's. Coordinators and admins.",
          "按已发货未开票数量开具对账单"
        )
      )
  )
  .add(
    idempotentPost("markInvoicePaid", "/workshop/invoices/:id/paid", {
      params: InvoicePath,
      success: WorkshopInvoiceResponse,
      error: ledgerCommandErrors,
      resource: invoiceResource
    })
      .annotate(OpenApi.Summary, "Mark an invoice paid")
      .annotate(
        OpenApi.Description,
        describe(
          "Records the factory's payment of an issued invoice into the workshop's cash; an invoice paid already is 409 InvalidTransition.",
          "确认工厂付款（入工坊现金）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("invoices", "/workshop/invoices", {
      query: WorkshopInvoiceParams,
      success: WorkshopInvoicePage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List invoices")
      .annotate(
        OpenApi.Description,
        describe(
          "The invoices by id, optionally of one factory or order; cursor-paged. A factory's contact sees only their factory's.",
          "对账单列表（工厂联系人仅见本厂）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("invoice", "/workshop/invoices/:id", {
      params: InvoicePath,
      success: WorkshopInvoiceResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get an invoice")
      .annotate(OpenApi.Description, describe("One invoice; another factory's is 404.", "查询对账单"))
  )
  .add(
    HttpApiEndpoint.get("invoiceHtml", "/workshop/invoices/:id/html", {
      params: InvoicePath,
      query: WorkshopHtmlParams,
      success: WorkshopHtml,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "An invoice as a printable page")
      .annotate(
        OpenApi.Description,
        describe(
          "The invoice as one self-contained, bilingual HTML page (text/html) that prints on A4 and loads nothing.",
          "对账单（可打印网页）"
        )
      )
  )
  // money -------------------------------------------------------------------------------------
  .add(
    idempotentPost("addCash", "/workshop/cash", {
      payload: AddWorkshopCashBody,
      success: WorkshopCashAddedResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: cashResource
    })
      .annotate(OpenApi.Summary, "Put money into the workshop's cash")
      .annotate(
        OpenApi.Description,
        describe(
          "Records money put into the workshop's cash (start-up capital, an advance) as a ledger transfer whose id is the caller's. Coordinators and admins.",
          "工坊现金入账（启动资金、预付款）"
        )
      )
  )
  .add(
    idempotentPost("contributeToFund", "/workshop/fund-contributions", {
      payload: WorkshopContributeBody,
      success: WorkshopFundContributionResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: contributionResource
    })
      .annotate(OpenApi.Summary, "Contribute to the public-welfare fund")
      .annotate(
        OpenApi.Description,
        describe(
          "Moves part of the workshop's margin into the community public-welfare fund in one transaction: out of the workshop's cash (not enough: 409 InsufficientFunds) and into the fund as other income. The caller needs fund:record as well (treasurer or coordinator who is one), else 403 and nothing is written.",
          "将工坊盈余转入社区公益基金（需同时具有基金记账权限）"
        )
      )
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "The piece-work workshop / 馨工坊（计件外发加工）") {}

// ---------------------------------------------------------------------------------------------
// handlers

const encodeFactoryExit = Schema.encodeExit(Schema.toCodecJson(WorkshopFactoryResponse))
const encodeProductExit = Schema.encodeExit(Schema.toCodecJson(WorkProductResponse))
const encodeOrderExit = Schema.encodeExit(Schema.toCodecJson(WorkOrderResponse))
const encodeWorkerExit = Schema.encodeExit(Schema.toCodecJson(WorkshopWorkerResponse))

const factoryCreated = createdWithLocation<Factory>(encodeFactoryExit, (f) => workshopFactoryLocation(f.id))
const productCreated = createdWithLocation<WorkProduct>(encodeProductExit, (p) => workProductLocation(p.id))
const orderCreated = createdWithLocation<WorkOrder>(encodeOrderExit, (o) => workOrderLocation(o.id))
const workerCreated = createdWithLocation<Worker>(encodeWorkerExit, (w) => workshopWorkerLocation(w.id))

/** The core workshop service's shape. */
type WorkshopService = Workshop["Service"]

/**
 * A command that posts nothing to the ledger: the service's error type is the kernel's
 * `DomainError`, but it never fails with `InsufficientFunds` or `CapacityExceeded` here; a defect
 * (500) if it did.
 */
const noLedger = ruledOut("InsufficientFunds", "CapacityExceeded")

/** A command that posts to the ledger: it may fail with `InsufficientFunds` (409), never with `CapacityExceeded`. */
const noCapacity = ruledOut("CapacityExceeded")

/** A read: it changes nothing, so it never fails with `Conflict`, `InvalidTransition` or a ledger error. */
const readOnly = ruledOut("Conflict", "InvalidTransition", "InsufficientFunds", "CapacityExceeded")

/** The default time zone of the dates of a printed document. */
const DEFAULT_TIME_ZONE = "Asia/Shanghai"

/** The time zone asked for (an IANA name, default Asia/Shanghai); another is `InvalidInput`. */
const timeZoneOf = (timeZone: string | undefined): Effect.Effect<string, InvalidInput> => {
  const name = timeZone ?? DEFAULT_TIME_ZONE
  return Option.isSome(DateTime.zoneMakeNamed(name))
    ? Effect.succeed(name)
    : Effect.fail(InvalidInput.of("timeZone", "is not an IANA time zone / 不是有效的时区名称"))
}

/** UTC epoch milliseconds of an optional date-time of a query string. */
const millisOf = (at: DateTime.Utc | undefined): number | undefined =>
  at === undefined ? undefined : DateTime.toEpochMillis(at)

/** An object without its `undefined` fields (core's queries have optional keys, not `undefined` values). */
const defined = <A extends Record<string, unknown>>(fields: A): { [K in keyof A]?: Exclude<A[K], undefined> } => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value
  return out as { [K in keyof A]?: Exclude<A[K], undefined> }
}

/** A rendered document: its text with its media type, shown inline or offered as a file. */
const document = (body: string, contentType: string, filename?: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(body, {
    contentType,
    headers: filename === undefined ? undefined : { "content-disposition": `attachment; filename="${filename}"` }
  })

/** A CSV document, offered as a file. */
const csvDocument = (text: string, filename: string) => document(text, "text/csv; charset=utf-8", filename)

/** The options of a CSV document asked for: its dates' time zone (checked) and the byte order mark. */
const csvOptions = (query: { readonly timeZone?: string | undefined; readonly bom?: "true" | "false" | undefined }) =>
  Effect.map(timeZoneOf(query.timeZone), (timeZone) => ({ timeZone, bom: query.bom === "true" }))

/** The custody answer: the worker and their lines. */
const custodyOf = (workshop: WorkshopService, workerId: WorkerId) =>
  Effect.map(readOnly(workshop.custody(workerId)), (items) => ({ workerId, items }))

/**
 * The printable invoice: the invoice as the caller may read it, with its factory, order and the
 * community's name (`Workshop.invoiceDocument`), so a factory's contact gets their own.
 */
const invoicePage = (workshop: WorkshopService, id: InvoiceId, timeZone: string | undefined) =>
  Effect.gen(function* () {
    const zone = yield* timeZoneOf(timeZone)
    const document = yield* readOnly(workshop.invoiceDocument(id))
    return Payslips.invoiceHtml(document.invoice, document.factory, document.order, document.communityName, {
      timeZone: zone
    })
  })

/** Handlers of the `workshop` group, over the core `Workshop` service. */
export const WorkshopLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "workshop">,
  never,
  Workshop | Authentication | ApiMiddleware
> = HttpApiBuilder.group(groupApi(WorkshopGroup), "workshop", (handlers) =>
  Effect.map(Workshop, (workshop) =>
    handlers
      .handle("settings", () => readOnly(workshop.settings()))
      .handle("configure", ({ payload }) => noLedger(workshop.configure(payload)))
      .handle("addFactory", ({ payload }) => Effect.map(noLedger(workshop.addFactory(payload)), factoryCreated))
      .handle("factories", ({ query }) => readOnly(workshop.factories(query)))
      .handle("factory", ({ params }) => readOnly(workshop.factory(params.id)))
      .handle("addProduct", ({ payload }) => Effect.map(noLedger(workshop.addProduct(payload)), productCreated))
      .handle("products", ({ query }) => readOnly(workshop.products(query)))
      .handle("product", ({ params }) => readOnly(workshop.product(params.id)))
      .handle("createOrder", ({ payload }) => Effect.map(noLedger(workshop.createOrder(payload)), orderCreated))
      .handle("orders", ({ query: { cursor, limit, factoryId, status } }) =>
        readOnly(workshop.orders(defined({ factoryId, status }), { cursor, limit }))
      )
      .handle("order", ({ params }) => readOnly(workshop.order(params.id)))
      .handle("startOrder", ({ params, payload }) => noCapacity(workshop.startOrder(params.id, payload)))
      .handle("changeRate", ({ params, payload }) => noLedger(workshop.changeRate(params.id, payload)))
      .handle("closeOrder", ({ params }) => noLedger(workshop.closeOrder(params.id)))
      .handle("cancelOrder", ({ params }) => noLedger(workshop.cancelOrder(params.id)))
      .handle("progress", ({ params }) => readOnly(workshop.progress(params.id)))
      .handle("reconcile", ({ params }) => readOnly(workshop.reconcile(params.id)))
      .handle("enroll", ({ payload }) => Effect.map(noLedger(workshop.enroll(payload)), workerCreated))
      .handle("workers", ({ query }) => readOnly(workshop.workers(query)))
      .handle("me", () => readOnly(workshop.me()))
      .handle("worker", ({ params }) => readOnly(workshop.worker(params.id)))
      .handle("leave", ({ params }) => noLedger(workshop.leave(params.id)))
      .handle("custody", ({ params }) => custodyOf(workshop, params.id))
      .handle("receive", ({ payload }) => noCapacity(workshop.receive(payload)))
      .handle("issue", ({ payload }) => noCapacity(workshop.issue(payload)))
      .handle("returnPieces", ({ payload }) => noCapacity(workshop.returnPieces(payload)))
      .handle("deliver", ({ payload }) => noCapacity(workshop.deliver(payload)))
      .handle("returnToFactory", ({ payload }) => noCapacity(workshop.returnToFactory(payload)))
      .handle("movements", ({ query: { cursor, limit, orderId, workerId, kind, from, to } }) =>
        readOnly(
          workshop.movements(defined({ orderId, workerId, kind, from: millisOf(from), to: millisOf(to) }), {
            cursor,
            limit
          })
        )
      )
      .handle("movement", ({ params }) => readOnly(workshop.movement(params.id)))
      .handle("addPayLine", ({ payload }) => noCapacity(workshop.addPayLine(payload)))
      .handle("confirmPayLine", ({ params }) => noCapacity(workshop.confirmPayLine(params.id)))
      .handle("dismissPayLine", ({ params }) => noLedger(workshop.dismissPayLine(params.id)))
      .handle("payLines", ({ query: { cursor, limit, workerId, status, periodId, unpaid, from, to } }) =>
        readOnly(
          workshop.payLines(
            defined({
              workerId,
              status,
              periodId,
              unpaid: unpaid === undefined ? undefined : unpaid === "true",
              from: millisOf(from),
              to: millisOf(to)
            }),
            { cursor, limit }
          )
        )
      )
      .handle("payLine", ({ params }) => readOnly(workshop.payLine(params.id)))
      .handle("closePeriod", ({ payload }) => noLedger(workshop.closePeriod(payload)))
      .handle("payPeriod", ({ params }) => noCapacity(workshop.payPeriod(params.id)))
      .handle("periods", ({ query }) => readOnly(workshop.periods(query)))
      .handle("period", ({ params }) => readOnly(workshop.period(params.id)))
      .handle("periodCsv", ({ params, query }) =>
        Effect.gen(function* () {
          const options = yield* csvOptions(query)
          const period = yield* readOnly(workshop.period(params.id))
          const names = new Map<string, string>()
          for (const slip of period.slips) {
            const worker = yield* Effect.option(readOnly(workshop.worker(slip.workerId)))
            if (Option.isSome(worker)) names.set(slip.workerId, worker.value.displayName)
          }
          return csvDocument(Payslips.periodCsv(period, names, options), `workshop-period-${period.id}.csv`)
        })
      )
      .handle("payslip", ({ params }) => readOnly(workshop.payslip(params.id, params.workerId)))
      .handle("payslipHtml", ({ params, query }) =>
        Effect.gen(function* () {
          const timeZone = yield* timeZoneOf(query.timeZone)
          const slip = yield* readOnly(workshop.payslip(params.id, params.workerId))
          return document(Payslips.toHtml(slip, { timeZone }), "text/html; charset=utf-8")
        })
      )
      .handle("payslipCsv", ({ params, query }) =>
        Effect.gen(function* () {
          const options = yield* csvOptions(query)
          const slip = yield* readOnly(workshop.payslip(params.id, params.workerId))
          return csvDocument(Payslips.toCsv(slip, options), `payslip-${slip.period.id}-${slip.worker.id}.csv`)
        })
      )
      .handle("issueInvoice", ({ payload }) => noCapacity(workshop.issueInvoice(payload)))
      .handle("markInvoicePaid", ({ params }) => noCapacity(workshop.markInvoicePaid(params.id)))
      .handle("invoices", ({ query: { cursor, limit, factoryId, orderId } }) =>
        readOnly(workshop.invoices(defined({ factoryId, orderId }), { cursor, limit }))
      )
      .handle("invoice", ({ params }) => readOnly(workshop.invoice(params.id)))
      .handle("invoiceHtml", ({ params, query }) =>
        Effect.map(invoicePage(workshop, params.id, query.timeZone), (html) =>
          document(html, "text/html; charset=utf-8")
        )
      )
      .handle("addCash", ({ payload }) => noCapacity(workshop.addCash(payload)))
      .handle("contributeToFund", ({ payload }) => noCapacity(workshop.contributeToFund(payload)))
  )
)

// ---------------------------------------------------------------------------------------------
// readers

const encodeReturn = Schema.encodeEffect(Schema.toCodecJson(WorkshopReturnResponse))
const encodeCash = Schema.encodeEffect(Schema.toCodecJson(WorkshopCashAddedResponse))
const encodeContribution = Schema.encodeEffect(Schema.toCodecJson(WorkshopFundContributionResponse))
const isTransferId = Schema.is(TransferId)

/**
 * How an idempotent replay re-reads a `WorkshopFactory`: `Workshop.factory(id)` as the retrying
 * actor, encoded as {@link WorkshopFactoryResponse}; `Location` `/workshop/factories/<id>`.
 */
export const WorkshopFactoryReader: ResourceReader<Workshop> = resourceReader({
  type: factoryResource.type,
  service: Workshop,
  read: (workshop, id) => workshop.factory(id),
  response: WorkshopFactoryResponse,
  location: workshopFactoryLocation
})

/**
 * How an idempotent replay re-reads a `WorkProduct`: `Workshop.product(id)` as the retrying actor,
 * encoded as {@link WorkProductResponse}; `Location` `/workshop/products/<id>`.
 */
export const WorkProductReader: ResourceReader<Workshop> = resourceReader({
  type: productResource.type,
  service: Workshop,
  read: (workshop, id) => workshop.product(id),
  response: WorkProductResponse,
  location: workProductLocation
})

/**
 * How an idempotent replay re-reads a `WorkOrder` (created, started, re-rated, closed or
 * cancelled): `Workshop.order(id)` as the retrying actor, encoded as {@link WorkOrderResponse};
 * `Location` `/workshop/orders/<id>`.
 */
export const WorkOrderReader: ResourceReader<Workshop> = resourceReader({
  type: orderResource.type,
  service: Workshop,
  read: (workshop, id) => workshop.order(id),
  response: WorkOrderResponse,
  location: workOrderLocation
})

/**
 * How an idempotent replay re-reads a `WorkshopWorker` (enrolled or left): `Workshop.worker(id)`
 * as the retrying actor, encoded as {@link WorkshopWorkerResponse}; `Location` `/workshop/workers/<id>`.
 */
export const WorkshopWorkerReader: ResourceReader<Workshop> = resourceReader({
  type: workerResource.type,
  service: Workshop,
  read: (workshop, id) => workshop.worker(id),
  response: WorkshopWorkerResponse,
  location: workshopWorkerLocation
})

/**
 * How an idempotent replay re-reads a `WorkshopMovement` (a receipt, sign-out, delivery or parts
 * sent back): `Workshop.movement(id)` as the retrying actor, encoded as
 * {@link WorkshopMovementResponse}. It answers 200; `location` is the movement's path.
 */
export const WorkshopMovementReader: ResourceReader<Workshop> = resourceReader({
  type: movementResource.type,
  service: Workshop,
  read: (workshop, id) => workshop.movement(id),
  response: WorkshopMovementResponse,
  location: workshopMovementLocation
})

/**
 * How an idempotent replay re-reads a `WorkshopReturn` (see {@link workshopReturnResourceId}): each
 * movement and pay line the first answer named, by id, as the retrying actor, encoded as
 * {@link WorkshopReturnResponse}. It answers 200; `location` is the first movement's path.
 */
export const WorkshopReturnReader: ResourceReader<Workshop> = {
  type: returnResource.type,
  make: Effect.map(
    Workshop,
    (workshop) => (key: string) =>
      Effect.gen(function* () {
        const match = RETURN_KEY.exec(key)
        if (match === null) return yield* Effect.fail(NotFound.of("WorkshopReturn", key))
        const split = (list: string | undefined) => (list === undefined || list === "" ? [] : list.split(","))
        const movements = yield* Effect.forEach(split(match[1]), (id) => workshop.movement(id))
        const payLines = yield* Effect.forEach(split(match[2]), (id) => workshop.payLine(id))
        return yield* encodeReturn({ movements, payLines })
      })
  ),
  location: (key: string) => workshopMovementLocation(key.split(/[,|]/u)[0] ?? "")
}

/**
 * How an idempotent replay re-reads a `WorkshopPayLine` (added, confirmed or dismissed):
 * `Workshop.payLine(id)` as the retrying actor, encoded as {@link WorkshopPayLineResponse}.
 */
export const WorkshopPayLineReader: ResourceReader<Workshop> = resourceReader({
  type: payLineResource.type,
  service: Workshop,
  read: (workshop, id) => workshop.payLine(id),
  response: WorkshopPayLineResponse,
  location: workshopPayLineLocation
})

/**
 * How an idempotent replay re-reads a `WorkshopPayPeriod` (closed or paid): `Workshop.period(id)`
 * as the retrying actor, encoded as {@link WorkshopPayPeriodResponse}.
 */
export const WorkshopPayPeriodReader: ResourceReader<Workshop> = resourceReader({
  type: periodResource.type,
  service: Workshop,
  read: (workshop, id) => workshop.period(id),
  response: WorkshopPayPeriodResponse,
  location: workshopPeriodLocation
})

/**
 * How an idempotent replay re-reads a `WorkshopInvoice` (issued or paid): `Workshop.invoice(id)`
 * as the retrying actor, encoded as {@link WorkshopInvoiceResponse}.
 */
export const WorkshopInvoiceReader: ResourceReader<Workshop> = resourceReader({
  type: invoiceResource.type,
  service: Workshop,
  read: (workshop, id) => workshop.invoice(id),
  response: WorkshopInvoiceResponse,
  location: workshopInvoiceLocation
})

/**
 * How an idempotent replay answers a `WorkshopCashAdded` (see {@link workshopCashResourceId}): the
 * transfer's id again, from the remembered key (the money is in the ledger, read through the
 * ledger group). It answers 200, so `location` is not used.
 */
export const WorkshopCashReader: ResourceReader<never> = {
  type: cashResource.type,
  make: Effect.succeed((key: string) =>
    isTransferId(key) ? encodeCash({ transferId: key }) : Effect.fail(NotFound.of("WorkshopCashAdded", key))
  ),
  location: () => "/workshop/cash"
}

/**
 * How an idempotent replay answers a `WorkshopFundContribution` (see
 * {@link workshopContributionResourceId}): the transfer's and the fund entry's ids again, from the
 * remembered key. It answers 200, so `location` is not used.
 */
export const WorkshopFundContributionReader: ResourceReader<never> = {
  type: contributionResource.type,
  make: Effect.succeed((key: string) => {
    const match = CONTRIBUTION_KEY.exec(key)
    const transferId = match?.[1]
    const fundEntryId = match?.[2]
    return isTransferId(transferId) && isTransferId(fundEntryId)
      ? encodeContribution({ transferId, fundEntryId })
      : Effect.fail(NotFound.of("WorkshopFundContribution", key))
  }),
  location: () => "/workshop/fund-contributions"
}

/** The readers of the workshop's resources, for `resourceReaders` in `Api.ts`. */
export const WorkshopReaders = [
  WorkshopFactoryReader,
  WorkProductReader,
  WorkOrderReader,
  WorkshopWorkerReader,
  WorkshopMovementReader,
  WorkshopReturnReader,
  WorkshopPayLineReader,
  WorkshopPayPeriodReader,
  WorkshopInvoiceReader,
  WorkshopCashReader,
  WorkshopFundContributionReader
] as const

// ---------------------------------------------------------------------------------------------
// the OpenAPI document

/** The descriptions of the workshop's query parameters. */
export const WORKSHOP_PARAMETER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  factoryId: describe("Only records of this factory.", "按工厂筛选"),
  orderId: describe("Only records of this work order.", "按工单筛选"),
  workerId: describe("Only records of this worker.", "按工人筛选"),
  periodId: describe("Only lines of this pay period.", "按工资期筛选"),
  kind: describe("Only movements of this kind.", "按流转类型筛选"),
  status: describe("Only records in this status.", "按状态筛选"),
  unpaid: describe("`true`: only lines not yet in a pay period.", "仅未结算的明细"),
  from: describe(
    "Records that happened (occurredAt) at or after this ISO 8601 date-time, such as 2026-08-01T00:00:00+08:00 (a bare date is midnight UTC).",
    "发生时间不早于（ISO 8601）"
  ),
  to: describe("Records that happened (occurredAt) before this ISO 8601 date-time.", "发生时间早于（ISO 8601）"),
  timeZone: describe(
    "IANA time zone of the dates shown or written; default Asia/Shanghai.",
    "日期所用时区，默认 Asia/Shanghai"
  ),
  bom: describe(
    "`true`: start with a UTF-8 byte order mark, so that Excel opens the Chinese intact.",
    "添加 BOM（便于 Excel 打开）"
  ),
  cursor: describe(
    "Opaque: the `nextCursor` of the previous page, passed back unchanged.",
    "分页游标（原样传回上一页的 nextCursor）"
  ),
  limit: describe(
    `Page size: a whole number from 1 to ${Paging.MAX_LIMIT}; default ${Paging.DEFAULT_LIMIT}.`,
    `每页条数，1 到 ${Paging.MAX_LIMIT}，默认 ${Paging.DEFAULT_LIMIT}`
  )
}

/**
 * The workshop's part of the OpenAPI post-processing (the server's behaviour is unchanged):
 *
 * - the query parameters of `/workshop/…` get a description each, `from` and `to` the `date-time`
 *   format, `limit` its integer range and default (Effect's generator documents the wire side:
 *   strings);
 * - the request bodies get the `minLength`/`maxLength` of their text fields (see
 *   `copyStringBounds`: text is trimmed on decoding, so the bounds live on the decoded side).
 */
export const documentWorkshop = (spec: Record<string, unknown>): Record<string, unknown> => {
  const paths = isRecord(spec.paths) ? spec.paths : {}
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.startsWith("/workshop/") || !isRecord(operations)) continue
    for (const operation of Object.values(operations)) {
      if (!isRecord(operation) || !Array.isArray(operation.parameters)) continue
      for (const parameter of operation.parameters) {
        if (!isRecord(parameter) || parameter.in !== "query" || typeof parameter.name !== "string") continue
        const name = parameter.name
        const schema: Record<string, unknown> = isRecord(parameter.schema) ? { ...parameter.schema } : {}
        delete schema.description
        if (name === "from" || name === "to") schema.format = "date-time"
        if (name === "limit") {
          schema.type = "integer"
          schema.minimum = 1
          schema.maximum = Paging.MAX_LIMIT
          schema.default = Paging.DEFAULT_LIMIT
        }
        parameter.schema = schema
        const description = WORKSHOP_PARAMETER_DESCRIPTIONS[name]
        if (description !== undefined) parameter.description = description
      }
    }
  }
  const components = isRecord(spec.components) && isRecord(spec.components.schemas) ? spec.components.schemas : {}
  for (const [identifier, schema] of [
    ["AddWorkshopFactoryInput", AddFactoryInput],
    ["AddWorkProductInput", AddWorkProductInput],
    ["CreateWorkOrderInput", CreateWorkOrderInput],
    ["StartWorkOrderInput", StartWorkOrderInput],
    ["EnrollWorkerInput", EnrollWorkerInput],
    ["WorkshopReceiveInput", ReceiveInput],
    ["WorkshopIssueInput", IssueInput],
    ["WorkshopReturnInput", ReturnInput],
    ["WorkshopShipInput", ShipInput],
    ["AddWorkshopPayLineInput", AddPayLineInput],
    ["AddWorkshopCashInput", AddCashInput],
    ["WorkshopContributeInput", ContributeToFundInput]
  ] as const) {
    const typed = typeSideJsonSchema(schema)
    copyStringBounds(components[identifier], typed.root, typed.resolve)
  }
  return spec
}
