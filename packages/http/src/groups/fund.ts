/**
 * The `fund` group: the community public-welfare fund (社区公益基金) over HTTP: its settings,
 * Candy Commune's (糖果公社) products, earmarked sub-funds, money entries, allocation rounds from
 * draft through public notice (公示), objections and N-of-M sign-off to payment, a family's own
 * applications, the committee's statement (JSON and CSV) and the public transparency report
 * (JSON, printable HTML and CSV); its handlers over the core `Fund` service, and the readers
 * idempotent replays use.
 *
 * **Times.** As in the ledger group: in JSON (request bodies and the records answered) a time is
 * an integer of UTC epoch milliseconds, as core keeps it (`occurredAt`, `noticeEndsAt`, a
 * schedule's `at`, a statement's `from` and `to`); in a query string it is an ISO 8601 date-time
 * (`from`, `to`), as the ledger's `?at=`. A period is `[from, to)`: `from` inclusive, `to`
 * exclusive. Give the offset for a community's local day (`2026-08-01T00:00:00+08:00`, written
 * `%2B08:00` in a URL); a bare date is midnight UTC. The statement and the report default to the
 * current calendar month in `timeZone` (default Asia/Shanghai), which also dates the rendered
 * documents.
 *
 * **Replays.** Every POST accepts `Idempotency-Key`. A product, a sub-fund and a round answer
 * 201 with `Location`, and a replay re-reads them. A money entry answers 200 (its id is the
 * caller's, and core answers the recorded entry when the same entry comes again, as the ledger's
 * transfers do); its replay re-reads it by the key core orders entries by (`occurredAt` and id,
 * see {@link FundEntryReader}). An objection has no address of its own: it answers its id with
 * the round's public view, which its replay re-reads as the objector
 * ({@link FundObjectionReader}).
 *
 * @module
 */
import {
  AddProductInput,
  AddSubFundInput,
  Allocation,
  AllocationRound,
  Code,
  CommunityId,
  DraftRoundInput,
  EntryKind,
  Fund,
  FundEntry,
  FundReport,
  FundRules,
  FundSettings,
  InvalidInput,
  LedgerAccountId,
  NotFound,
  ObjectionId,
  Paging,
  Product,
  ProductId,
  RecordEntryInput,
  ReviseRoundInput,
  RoundCandidate,
  RoundId,
  RoundStatus,
  SubFund,
  UpdateProductInput,
  UpdateSettingsInput
} from "@commonweal/core"
import { DateTime, Effect, Option, Schema } from "effect"
import type { Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { Authentication } from "../Auth.js"
import type { ApiMiddleware, ResourceReader } from "../kernel/Endpoints.js"
import { createdWithLocation, ruledOut } from "../kernel/Responses.js"
import {
  bodyCommandErrors,
  bodyErrors,
  commandErrors,
  describe,
  groupApi,
  idempotentPost,
  ledgerCommandErrors,
  PageParams,
  readErrors,
  resourceReader,
  wire
} from "../kernel/Endpoints.js"
import { copyStringBounds, isRecord, typeSideJsonSchema } from "../kernel/OpenApiDocs.js"
import { InvalidInputProblem } from "../Problem.js"

/** An amount of fen (an integer). */
const Fen = Schema.Int

// ---------------------------------------------------------------------------------------------
// responses

/** The fund's settings as the API answers them (core's `FundSettings`). */
export const FundSettingsResponse = FundSettings.annotate({
  identifier: "FundSettings",
  description:
    "How the community runs its fund: days of public notice, and how many approvers sign above which amounts (fen); version 0 is the defaults / 基金规则：公示天数与审批人数"
})

/** A product of Candy Commune as the API answers it (core's `Product`). */
export const FundProductResponse = Product.annotate({
  identifier: "FundProduct",
  description: "A product Candy Commune sells, its list price in fen / 糖果公社的商品（单价以分计）"
})

/** {@link FundProductResponse} answered with 201 (`POST /fund/products`). */
export const FundProductCreated = FundProductResponse.pipe(HttpApiSchema.status(201))

/** A page of products, by id. */
export const FundProductPage = Paging.Page(FundProductResponse).annotate({ identifier: "FundProductPage" })

/** An earmarked sub-fund as the API answers it (core's `SubFund`). */
export const SubFundResponse = SubFund.annotate({
  identifier: "SubFund",
  description: "An earmarked sub-fund: money kept for one purpose, with its own cash account / 专项基金"
})

/** {@link SubFundResponse} answered with 201 (`POST /fund/sub-funds`). */
export const SubFundCreated = SubFundResponse.pipe(HttpApiSchema.status(201))

/** The community's sub-funds, by code (a community has a handful, so the list is not paged). */
export const SubFundList = Schema.Struct({ items: Schema.Array(SubFundResponse) }).annotate({
  identifier: "SubFundList"
})

/** A money entry as the API answers it (core's `FundEntry`). */
export const FundEntryResponse = FundEntry.annotate({
  identifier: "FundEntry",
  description:
    "A money entry of the enterprise or the fund, with the ledger transfer of the same id that moved it; occurredAt in UTC epoch ms / 收支记录（与同编号的账本转账一一对应）"
})

/** A page of entries, ordered by when they happened. */
export const FundEntryPage = Paging.Page(FundEntryResponse).annotate({ identifier: "FundEntryPage" })

/** An allocation round in full, as the committee sees it (core's `AllocationRound`). */
export const AllocationRoundResponse = AllocationRound.annotate({
  identifier: "AllocationRound",
  description:
    "An allocation round in full: candidates, the frozen outcome, objections, sign-offs and ledger holds; times in UTC epoch ms / 分配轮次（完整信息）"
})

/** {@link AllocationRoundResponse} answered with 201 (`POST /fund/rounds`). */
export const AllocationRoundCreated = AllocationRoundResponse.pipe(HttpApiSchema.status(201))

/** A page of rounds, newest first. */
export const AllocationRoundPage = Paging.Page(AllocationRoundResponse).annotate({ identifier: "AllocationRoundPage" })

/** A round without personal data (core's `PublicRound`): projects by name, families only counted. */
export const FundPublicRoundResponse = Schema.Struct({
  title: Schema.String,
  status: RoundStatus,
  noticeEndsAt: Schema.NullOr(Schema.Int),
  allocated: Fen,
  projects: Schema.Array(Schema.Struct({ label: Schema.String, amount: Fen })),
  families: Schema.Struct({ count: Schema.Int, amount: Fen }),
  objections: Schema.Struct({ filed: Schema.Int, answered: Schema.Int })
}).annotate({
  identifier: "FundPublicRound",
  description:
    "A round from its public notice on, without personal data: projects by name, families only counted / 公示中的分配（不含个人信息，受助家庭仅计户数）"
})

/** A family's view of its own application (core's `OwnApplication`). */
export const FundApplicationResponse = Schema.Struct({
  roundId: RoundId,
  title: Schema.String,
  status: RoundStatus,
  candidate: RoundCandidate,
  share: Schema.NullOr(Allocation.Share),
  noticeEndsAt: Schema.NullOr(Schema.Int),
  scheduledFor: Schema.NullOr(Schema.Int)
}).annotate({
  identifier: "FundApplication",
  description:
    "A family's own application: its candidate line, its share once the round is submitted, and where the round stands / 本户的申请及进展"
})

/** A page of the caller's own applications, newest round first. */
export const FundApplicationPage = Paging.Page(FundApplicationResponse).annotate({ identifier: "FundApplicationPage" })

/** The answer of `POST /fund/rounds/:id/objections`: the objection's id and the round as the public sees it. */
export const FundObjectionFiledResponse = Schema.Struct({
  roundId: RoundId,
  objectionId: ObjectionId,
  round: FundPublicRoundResponse
}).annotate({
  identifier: "FundObjectionFiled",
  description: "The objection filed, and the round's public view / 已提交的异议及公示信息"
})

const poolFigures = {
  opening: Fen,
  proceeds: Fen,
  donations: Fen,
  otherIncome: Fen,
  earmarked: Fen,
  costs: Fen,
  allocations: Fen,
  other: Fen,
  closing: Fen,
  committed: Fen,
  available: Fen
}

/** One pool's movements in a statement (core's `PoolStatement`), in fen. */
export const FundPoolStatementResponse = Schema.Struct({
  pool: Schema.String,
  name: Schema.String,
  accountId: LedgerAccountId,
  ...poolFigures
}).annotate({
  identifier: "FundPoolStatement",
  description:
    "One pool (general or a sub-fund): opening, movements by source, closing, committed and available, in fen / 资金池收支"
})

/** The fund statement of a period, reconciled to the ledger (core's `FundStatement`). */
export const FundStatementResponse = Schema.Struct({
  communityId: CommunityId,
  from: Schema.Int,
  to: Schema.Int,
  pools: Schema.Array(FundPoolStatementResponse),
  total: Schema.Struct(poolFigures),
  enterprise: Schema.Struct({
    opening: Fen,
    sales: Fen,
    designFees: Fen,
    productionCosts: Fen,
    proceedsToFund: Fen,
    other: Fen,
    closing: Fen,
    byProduct: Schema.Array(
      Schema.Struct({
        productId: Schema.String,
        sku: Schema.String,
        name: Schema.String,
        quantity: Schema.Int,
        amount: Fen
      })
    )
  }),
  reconciliation: Schema.Struct({
    ok: Schema.Boolean,
    checks: Schema.Array(Schema.Struct({ check: Schema.String, expected: Fen, actual: Fen, ok: Schema.Boolean }))
  })
}).annotate({
  identifier: "FundStatement",
  description:
    "The fund's statement of [from, to) (UTC epoch ms), every figure from the ledger's transfers, with the reconciliation checks / 基金收支报表（与账本核对）"
})

/** The public transparency report of a period (core's `PublicReport`): no personal data. */
export const FundPublicReportResponse = Schema.Struct({
  communityName: Schema.String,
  from: Schema.Int,
  to: Schema.Int,
  generatedAt: Schema.Int,
  opening: Fen,
  income: Schema.Struct({ proceeds: Fen, donations: Fen, other: Fen }),
  costs: Fen,
  allocations: Fen,
  other: Fen,
  closing: Fen,
  committed: Fen,
  subFunds: Schema.Array(Schema.Struct({ name: Schema.String, purpose: Schema.String, closing: Fen })),
  enterprise: Schema.Struct({ sales: Fen, costs: Fen, proceedsToFund: Fen }),
  rounds: Schema.Array(FundPublicRoundResponse),
  reconciled: Schema.Boolean
}).annotate({
  identifier: "FundPublicReport",
  description:
    "The public report of [from, to) (UTC epoch ms): totals, sub-funds, Candy Commune's figures and the rounds from notice on; no names of families, donors or objectors / 公益基金收支公示（不含个人信息）"
})

/** The printable public report: one self-contained HTML page (`text/html`). */
export const FundReportHtml = Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/html" }))

/** A CSV document (`text/csv`, RFC 4180: CRLF line ends, a header row). */
export const FundCsvText = Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/csv" }))

// ---------------------------------------------------------------------------------------------
// bodies

/** The body of `PUT /fund/settings` (wire form of `UpdateSettingsInput`). */
export const UpdateFundSettingsBody = wire(UpdateSettingsInput, "UpdateFundSettingsInput")
/** The body of `POST /fund/products` (wire form of `AddProductInput`). */
export const AddFundProductBody = wire(AddProductInput, "AddFundProductInput")
/** The body of `PATCH /fund/products/:id` (wire form of `UpdateProductInput`). */
export const UpdateFundProductBody = wire(UpdateProductInput, "UpdateFundProductInput")
/** The body of `POST /fund/sub-funds` (wire form of `AddSubFundInput`). */
export const AddSubFundBody = wire(AddSubFundInput, "AddSubFundInput")
/** The body of `POST /fund/entries` (wire form of `RecordEntryInput`). */
export const RecordEntryBody = wire(RecordEntryInput, "RecordFundEntryInput")
/** The body of `POST /fund/rounds` (wire form of `DraftRoundInput`). */
export const DraftRoundBody = wire(DraftRoundInput, "DraftRoundInput")
/** The body of `PATCH /fund/rounds/:id` (wire form of `ReviseRoundInput`). */
export const ReviseRoundBody = wire(ReviseRoundInput, "ReviseRoundInput")
const ObjectionTextInput = Schema.Struct({ text: FundRules.ObjectionText })
const SignOffInput = Schema.Struct({ decision: Schema.Literals(["approve", "reject"]), note: FundRules.SignOffNote })
const ClosingNoteInput = Schema.Struct({ note: FundRules.SignOffNote })

/** The body of `POST /fund/rounds/:id/objections` and of an answer: one line, at most 500 characters. */
export const FundObjectionTextBody = wire(ObjectionTextInput, "FundObjectionText")
/** The body of `POST /fund/rounds/:id/sign-offs`: `approve` or `reject`, and a note (one line, at most 200 characters). */
export const FundSignOffBody = wire(SignOffInput, "FundSignOffInput")
/** The body of `POST /fund/rounds/:id/schedule`: `at`, the planned payment time in UTC epoch ms. */
export const FundScheduleBody = wire(
  Schema.Struct({
    at: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)).annotate({
      description: "Planned payment time, UTC epoch milliseconds / 计划拨付时间（UTC 毫秒）"
    })
  }),
  "FundScheduleInput"
)
/** The body of `POST /fund/rounds/:id/fail` and `/cancel`: why, one line, at most 200 characters. */
export const FundClosingNoteBody = wire(ClosingNoteInput, "FundClosingNote")

// ---------------------------------------------------------------------------------------------
// query strings

// the parameters' descriptions are in FUND_PARAMETER_DESCRIPTIONS (the generator documents the
// wire side of a query, a string, so `documentFund` writes them onto the document)

const periodFields = {
  from: Schema.optional(Schema.DateTimeUtcFromString),
  to: Schema.optional(Schema.DateTimeUtcFromString),
  timeZone: Schema.optional(Schema.String)
}

/**
 * The query string of `GET /fund/statement`, `/fund/report` and `/fund/report.html`: the period
 * `[from, to)` and the `timeZone` of its default (the current calendar month) and of the dates shown.
 */
export const FundPeriodParams = Schema.Struct(periodFields)

/** The query string of the CSV documents: the period, its `timeZone` and `bom` (for Excel). */
export const FundCsvParams = Schema.Struct({
  ...periodFields,
  bom: Schema.optional(Schema.Literals(["true", "false"]))
})

/** The query string of `GET /fund/entries`: `kind`, `from`, `to` (on `occurredAt`), `cursor`, `limit`. */
export const FundEntryParams = Schema.Struct({
  kind: Schema.optional(EntryKind),
  from: Schema.optional(Schema.DateTimeUtcFromString),
  to: Schema.optional(Schema.DateTimeUtcFromString),
  ...PageParams
})

/** The query string of `GET /fund/rounds`: `status`, `cursor`, `limit`. */
export const FundRoundParams = Schema.Struct({ status: Schema.optional(RoundStatus), ...PageParams })

/** The query string of the other paged lists: `cursor` and `limit`. */
export const FundPageParams = Schema.Struct(PageParams)

const ProductPath = { id: ProductId }
const SubFundPath = { code: Code }
const RoundPath = { id: RoundId }

// ---------------------------------------------------------------------------------------------
// resources

/** The `Location` of a product created with 201: `/fund/products/<id>`. */
export const fundProductLocation = (id: string): string => `/fund/products/${encodeURIComponent(id)}`
/** The `Location` of a sub-fund created with 201: `/fund/sub-funds/<code>`. */
export const subFundLocation = (code: string): string => `/fund/sub-funds/${encodeURIComponent(code)}`
/** The `Location` of a round drafted with 201: `/fund/rounds/<id>`. */
export const allocationRoundLocation = (id: string): string => `/fund/rounds/${encodeURIComponent(id)}`

const product = { type: "FundProduct", id: (body: { readonly id: string }) => body.id } as const
const subFund = { type: "FundSubFund", id: (body: { readonly code: string }) => body.code } as const
const round = { type: "AllocationRound", id: (body: { readonly id: string }) => body.id } as const

/**
 * The id under which an entry's answer is remembered: the key core orders entries by,
 * `occurredAt` as 15 zero-padded digits, `:`, and the entry's id (core's `entryKey`).
 */
export const fundEntryResourceId = (body: { readonly occurredAt: number; readonly id: string }): string =>
  `${String(body.occurredAt).padStart(15, "0")}:${body.id}`

const entry = { type: "FundEntry", id: fundEntryResourceId } as const

/** The id under which an objection's answer is remembered: `<round id>/<objection id>`. */
export const fundObjectionResourceId = (body: { readonly roundId: string; readonly objectionId: string }): string =>
  `${body.roundId}/${body.objectionId}`

const objection = { type: "FundObjection", id: fundObjectionResourceId } as const

const ENTRY_KEY = /^(\d{15,16}):(.+)$/u
const OBJECTION_KEY = /^([^/]+)\/([^/]+)$/u

// ---------------------------------------------------------------------------------------------
// the group

/** The community public-welfare fund. */
export class FundGroup extends HttpApiGroup.make("fund")
  .add(
    HttpApiEndpoint.get("settings", "/fund/settings", {
      success: FundSettingsResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get the fund's settings")
      .annotate(
        OpenApi.Description,
        describe(
          "The community's notice days and sign-off rules; the defaults (version 0: 7 days; 1 approver, 2 from ¥5,000, 3 from ¥50,000) until it sets its own. Admins, staff, treasurers, approvers.",
          "查询基金规则（公示天数、审批人数）"
        )
      )
  )
  .add(
    HttpApiEndpoint.put("updateSettings", "/fund/settings", {
      payload: UpdateFundSettingsBody,
      success: FundSettingsResponse,
      error: bodyCommandErrors
    })
      .annotate(OpenApi.Summary, "Set the fund's settings")
      .annotate(
        OpenApi.Description,
        describe(
          "Replaces the notice days (1-60) and the sign-off rules (`fromFen` strictly increasing from 0). Admins and treasurers. `expectedVersion` is the version read (0 for the defaults), else 409 (stale_version).",
          "设置基金规则（管理员、出纳），须提供读取时的版本号"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("products", "/fund/products", {
      query: FundPageParams,
      success: FundProductPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List Candy Commune's products")
      .annotate(OpenApi.Description, describe("The products, by id, cursor-paged.", "糖果公社商品列表，游标分页"))
  )
  .add(
    idempotentPost("addProduct", "/fund/products", {
      payload: AddFundProductBody,
      success: FundProductCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: product
    })
      .annotate(OpenApi.Summary, "Add a product")
      .annotate(
        OpenApi.Description,
        describe(
          "Adds a product of Candy Commune with its SKU and list price in fen (admins, treasurers); a SKU already used is 409. 201 with Location.",
          "新增糖果公社商品（管理员、出纳），SKU 不可重复"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("product", "/fund/products/:id", {
      params: ProductPath,
      success: FundProductResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a product")
      .annotate(OpenApi.Description, describe("One product; other communities' products are 404.", "查询商品"))
  )
  .add(
    HttpApiEndpoint.patch("updateProduct", "/fund/products/:id", {
      params: ProductPath,
      payload: UpdateFundProductBody,
      success: FundProductResponse,
      error: bodyCommandErrors
    })
      .annotate(OpenApi.Summary, "Change a product")
      .annotate(
        OpenApi.Description,
        describe(
          "Changes a product's name, price or whether it is on sale (admins, treasurers); `expectedVersion` must be the version read, else 409 (stale_version).",
          "修改商品名称、价格或上下架（需提供读取时的版本号）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("subFunds", "/fund/sub-funds", {
      success: SubFundList,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List the sub-funds")
      .annotate(OpenApi.Description, describe("The earmarked sub-funds, by code.", "专项基金列表"))
  )
  .add(
    idempotentPost("addSubFund", "/fund/sub-funds", {
      payload: AddSubFundBody,
      success: SubFundCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: subFund
    })
      .annotate(OpenApi.Summary, "Create a sub-fund")
      .annotate(
        OpenApi.Description,
        describe(
          "Creates an earmarked sub-fund and opens its cash account (admins, treasurers); a code already used is 409. 201 with Location.",
          "设立专项基金并开设其资金账户（管理员、出纳）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("subFund", "/fund/sub-funds/:code", {
      params: SubFundPath,
      success: SubFundResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a sub-fund")
      .annotate(OpenApi.Description, describe("One sub-fund by its code.", "查询专项基金"))
  )
  .add(
    idempotentPost("record", "/fund/entries", {
      payload: RecordEntryBody,
      success: FundEntryResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: entry
    })
      .annotate(OpenApi.Summary, "Record a money entry")
      .annotate(
        OpenApi.Description,
        describe(
          "Records a sale, a design fee, a production cost, proceeds, a donation, other income, a cost or an earmark, and posts its ledger transfer in the same transaction (staff, treasurers). The id is chosen by the caller and is the transfer's id: the same entry again answers the recorded one (200), the same id with other content is 409 (duplicate). A sale names its product and quantity (the amount defaults to quantity × price). Money that is not there (a cost above a pool's cash) is 409 InsufficientFunds. occurredAt in UTC epoch ms (default now).",
          "记录收支（销售、设计费、生产成本、净收益转入、捐赠、其他收入、支出、专项划拨），同时记账；编号由调用方指定，重复提交返回原记录"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("entries", "/fund/entries", {
      query: FundEntryParams,
      success: FundEntryPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List money entries")
      .annotate(
        OpenApi.Description,
        describe(
          "The entries ordered by when they happened, optionally of one kind and with occurredAt in [from, to); cursor-paged. Admins, staff, treasurers, approvers.",
          "收支记录，按发生时间排序，可按类型和时间筛选，游标分页"
        )
      )
  )
  .add(
    idempotentPost("draftRound", "/fund/rounds", {
      payload: DraftRoundBody,
      success: AllocationRoundCreated,
      error: [...commandErrors, ...bodyErrors],
      resource: round
    })
      .annotate(OpenApi.Summary, "Draft an allocation round")
      .annotate(
        OpenApi.Description,
        describe(
          "Drafts a round: a pool (fen) from the general fund or a sub-fund, shared among candidates (projects, or families named by the resident who applied) by tier and weight (staff, treasurers). 201 with Location.",
          "起草分配轮次（社工、出纳）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("rounds", "/fund/rounds", {
      query: FundRoundParams,
      success: AllocationRoundPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List allocation rounds")
      .annotate(
        OpenApi.Description,
        describe(
          "The rounds, newest first, optionally of one status; cursor-paged. Admins, staff, treasurers, approvers.",
          "分配轮次列表，最新在前，可按状态筛选"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("round", "/fund/rounds/:id", {
      params: RoundPath,
      success: AllocationRoundResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get an allocation round")
      .annotate(
        OpenApi.Description,
        describe(
          "One round in full (admins, staff, treasurers, approvers); other communities' rounds are 404.",
          "查询分配轮次完整信息"
        )
      )
  )
  .add(
    HttpApiEndpoint.patch("reviseRound", "/fund/rounds/:id", {
      params: RoundPath,
      payload: ReviseRoundBody,
      success: AllocationRoundResponse,
      error: bodyCommandErrors
    })
      .annotate(OpenApi.Summary, "Revise a draft round")
      .annotate(
        OpenApi.Description,
        describe(
          "Changes a draft's fields (staff, treasurers); `expectedVersion` must be the version read, else 409 (stale_version); a round no longer in draft is 409 InvalidTransition.",
          "修改草稿（需提供读取时的版本号）"
        )
      )
  )
  .add(
    idempotentPost("submitRound", "/fund/rounds/:id/submit", {
      params: RoundPath,
      success: AllocationRoundResponse,
      error: commandErrors,
      resource: round
    })
      .annotate(OpenApi.Summary, "Submit a draft round")
      .annotate(
        OpenApi.Description,
        describe(
          "Submits a draft: the allocation is computed and frozen, and the approvals needed are fixed from the settings.",
          "提交草稿：计算并冻结分配结果"
        )
      )
  )
  .add(
    idempotentPost("startNotice", "/fund/rounds/:id/notice", {
      params: RoundPath,
      success: AllocationRoundResponse,
      error: commandErrors,
      resource: round
    })
      .annotate(OpenApi.Summary, "Start the public notice")
      .annotate(
        OpenApi.Description,
        describe(
          "Starts a submitted round's public notice (公示) for the configured days; residents may object until noticeEndsAt.",
          "开始公示，公示期内居民可提出异议"
        )
      )
  )
  .add(
    idempotentPost("object", "/fund/rounds/:id/objections", {
      params: RoundPath,
      payload: FundObjectionTextBody,
      success: FundObjectionFiledResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: objection
    })
      .annotate(OpenApi.Summary, "Object to a round in public notice")
      .annotate(
        OpenApi.Description,
        describe(
          "Anyone in the community may object while the notice runs (after it, 409). Answers the objection's id and the round's public view; the objector is recorded but never shown publicly.",
          "公示期内提出异议（本社区任何人），异议人不公开"
        )
      )
  )
  .add(
    idempotentPost("answerObjection", "/fund/rounds/:id/objections/:objectionId/answer", {
      params: { id: RoundId, objectionId: ObjectionId },
      payload: FundObjectionTextBody,
      success: AllocationRoundResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: round
    })
      .annotate(OpenApi.Summary, "Answer an objection")
      .annotate(
        OpenApi.Description,
        describe(
          "Answers an objection (staff, treasurers); every objection must be answered before sign-off.",
          "答复异议（审批前须答复全部异议）"
        )
      )
  )
  .add(
    idempotentPost("signOff", "/fund/rounds/:id/sign-offs", {
      params: RoundPath,
      payload: FundSignOffBody,
      success: AllocationRoundResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: round
    })
      .annotate(OpenApi.Summary, "Approve or reject a round")
      .annotate(
        OpenApi.Description,
        describe(
          "An approver approves or rejects a round whose notice has ended and whose objections are answered (before: 409 InvalidTransition). Never the round's author, nor an approver whose household is a candidate's (403). The approval that completes the N needed holds every allocation in the ledger; if the pool lacks the money, 409 InsufficientFunds and nothing is recorded.",
          "审批人审批或否决（公示期满且异议均已答复）；起草人与受助家庭同户者须回避；批准时冻结拨款"
        )
      )
  )
  .add(
    idempotentPost("schedule", "/fund/rounds/:id/schedule", {
      params: RoundPath,
      payload: FundScheduleBody,
      success: AllocationRoundResponse,
      error: [...commandErrors, ...bodyErrors],
      resource: round
    })
      .annotate(OpenApi.Summary, "Schedule the payment")
      .annotate(
        OpenApi.Description,
        describe(
          "Schedules the payment of an approved round, or moves its date (treasurers); `at` in UTC epoch ms.",
          "安排拨付时间（出纳）"
        )
      )
  )
  .add(
    idempotentPost("pay", "/fund/rounds/:id/pay", {
      params: RoundPath,
      success: AllocationRoundResponse,
      error: ledgerCommandErrors,
      resource: round
    })
      .annotate(OpenApi.Summary, "Pay a scheduled round")
      .annotate(
        OpenApi.Description,
        describe(
          "Pays a scheduled round: its holds are posted in the ledger (treasurers).",
          "拨付（出纳），冻结款项入账"
        )
      )
  )
  .add(
    idempotentPost("fail", "/fund/rounds/:id/fail", {
      params: RoundPath,
      payload: FundClosingNoteBody,
      success: AllocationRoundResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: round
    })
      .annotate(OpenApi.Summary, "Mark a payment failed")
      .annotate(
        OpenApi.Description,
        describe(
          "Marks a scheduled round's payment failed, with why: its holds are released (treasurers).",
          "标记拨付失败并释放冻结款项（出纳）"
        )
      )
  )
  .add(
    idempotentPost("cancel", "/fund/rounds/:id/cancel", {
      params: RoundPath,
      payload: FundClosingNoteBody,
      success: AllocationRoundResponse,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: round
    })
      .annotate(OpenApi.Summary, "Cancel a round")
      .annotate(
        OpenApi.Description,
        describe(
          "Cancels a round not yet paid, with why; its holds, if any, are released (admins, staff, treasurers).",
          "取消未拨付的轮次并释放冻结款项"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("publicRound", "/fund/rounds/:id/public", {
      params: RoundPath,
      success: FundPublicRoundResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "A round as the public sees it")
      .annotate(
        OpenApi.Description,
        describe(
          "A round from its public notice on, without personal data (projects by name, families only counted); anyone in the community. A draft or submitted round is 404 here.",
          "公示信息（不含个人信息，本社区任何人可查）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("myApplications", "/fund/my-applications", {
      query: FundPageParams,
      success: FundApplicationPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "My family's applications")
      .annotate(
        OpenApi.Description,
        describe(
          "For a resident: each round with a candidate of their household, reduced to that candidate, newest first; cursor-paged.",
          "本户的申请及进展（居民）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("statement", "/fund/statement", {
      query: FundPeriodParams,
      success: FundStatementResponse,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "The fund statement of a period")
      .annotate(
        OpenApi.Description,
        describe(
          "The statement of [from, to), reconciled to the ledger: each pool's opening, movements by source, closing, committed and available; Candy Commune's figures; the reconciliation checks. Admins, staff, treasurers, approvers.",
          "基金收支报表（与账本核对）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("statementCsv", "/fund/statement.csv", {
      query: FundCsvParams,
      success: FundCsvText,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "The fund statement as CSV")
      .annotate(
        OpenApi.Description,
        describe(
          "The statement of [from, to) as CSV (text/csv, columns section,item,amount_fen,amount_yuan), for the committee's books.",
          "基金收支报表（CSV）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("report", "/fund/report", {
      query: FundPeriodParams,
      success: FundPublicReportResponse,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "The public report of a period")
      .annotate(
        OpenApi.Description,
        describe(
          "The public transparency report of [from, to): totals, sub-funds, Candy Commune's figures, the rounds from notice on; no personal data. Anyone in the community.",
          "公益基金收支公示（JSON）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("reportHtml", "/fund/report.html", {
      query: FundPeriodParams,
      success: FundReportHtml,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "The public report as a printable page")
      .annotate(
        OpenApi.Description,
        describe(
          "The public report as one self-contained HTML page (text/html) for the notice board: prints on A4, loads and runs nothing.",
          "公益基金收支公示（可打印网页）"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("reportCsv", "/fund/report.csv", {
      query: FundCsvParams,
      success: FundCsvText,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "The public report as CSV")
      .annotate(
        OpenApi.Description,
        describe(
          "The public report as CSV (text/csv, columns section,item,amount_fen,amount_yuan).",
          "公益基金收支公示（CSV）"
        )
      )
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "The community public-welfare fund / 社区公益基金") {}

// ---------------------------------------------------------------------------------------------
// handlers

const encodeProductExit = Schema.encodeExit(Schema.toCodecJson(FundProductResponse))
const encodeSubFundExit = Schema.encodeExit(Schema.toCodecJson(SubFundResponse))
const encodeRoundExit = Schema.encodeExit(Schema.toCodecJson(AllocationRoundResponse))

const productCreated = createdWithLocation<Product>(encodeProductExit, (p) => fundProductLocation(p.id))
const subFundCreated = createdWithLocation<SubFund>(encodeSubFundExit, (f) => subFundLocation(f.code))
const roundCreated = createdWithLocation<AllocationRound>(encodeRoundExit, (r) => allocationRoundLocation(r.id))

/** The default time zone of a period and of the dates of a document. */
const DEFAULT_TIME_ZONE = "Asia/Shanghai"

/** A period asked for: `[from, to)` in UTC epoch milliseconds, and the zone of its dates. */
interface AskedPeriod {
  readonly from: number
  readonly to: number
  readonly timeZone: string
  /** The days it covers in `timeZone`, its last day inclusive: `2026-08-01`, `2026-08-31`. */
  readonly days: readonly [first: string, last: string]
}

/**
 * The period of a query: `from` and `to` as given, each else the bound of the current calendar
 * month in `timeZone` (an IANA name, default Asia/Shanghai; another is `InvalidInput`).
 */
const periodOf = (query: {
  readonly from?: DateTime.Utc | undefined
  readonly to?: DateTime.Utc | undefined
  readonly timeZone?: string | undefined
}): Effect.Effect<AskedPeriod, InvalidInput> =>
  Effect.gen(function* () {
    const timeZone = query.timeZone ?? DEFAULT_TIME_ZONE
    const zone = DateTime.zoneMakeNamed(timeZone)
    if (Option.isNone(zone)) {
      return yield* Effect.fail(InvalidInput.of("timeZone", "is not an IANA time zone / 不是有效的时区名称"))
    }
    const month = DateTime.startOf(DateTime.setZone(yield* DateTime.now, zone.value), "month")
    const from = DateTime.setZone(query.from ?? month, zone.value)
    const to = DateTime.setZone(query.to ?? DateTime.add(month, { months: 1 }), zone.value)
    return {
      from: DateTime.toEpochMillis(from),
      to: DateTime.toEpochMillis(to),
      timeZone,
      days: [DateTime.formatIsoDate(from), DateTime.formatIsoDate(DateTime.subtract(to, { milliseconds: 1 }))]
    }
  })

/** A rendered document: its text with its media type, shown inline or offered as a file. */
const document = (body: string, contentType: string, filename?: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(body, {
    contentType,
    headers: filename === undefined ? undefined : { "content-disposition": `attachment; filename="${filename}"` }
  })

/** The file name of a period's CSV document: `<name>-<first day>-<last day>.csv`, days in the period's zone. */
const fileName = (name: string, period: AskedPeriod): string => `${name}-${period.days[0]}-${period.days[1]}.csv`

/** The core fund service's shape. */
type FundService = Fund["Service"]

/**
 * A command that moves no money: the service's error type is the kernel's `DomainError`, but it
 * never fails with `InsufficientFunds` or `CapacityExceeded` here; a defect (500) if it did.
 */
const noMoney = ruledOut("InsufficientFunds", "CapacityExceeded")

/** A command that moves money: it may fail with `InsufficientFunds` (409), never with `CapacityExceeded`. */
const noCapacity = ruledOut("CapacityExceeded")

/** A product by id. */
const productById = (fund: FundService, id: string) => fund.product(id)

/** A sub-fund by code. */
const subFundByCode = (fund: FundService, code: string) => fund.subFund(code)

/** An entry by the key {@link fundEntryResourceId} remembers (its id is the part after the millisecond). */
const entryByKey = (fund: FundService, key: string) => {
  const match = ENTRY_KEY.exec(key)
  return match === null ? Effect.fail(NotFound.of("FundEntry", key)) : fund.entry(match[2] ?? "")
}

/** The answer of an objection: its id and the round's public view. */
const objectionFiled = (fund: FundService, roundId: RoundId, objectionId: ObjectionId) =>
  Effect.map(fund.publicRound(roundId), (publicView) => ({ roundId, objectionId, round: publicView }))

/** Handlers of the `fund` group, over the core `Fund` service. */
export const FundLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "fund">,
  never,
  Fund | Authentication | ApiMiddleware
> = HttpApiBuilder.group(groupApi(FundGroup), "fund", (handlers) =>
  Effect.map(Fund, (fund) =>
    handlers
      .handle("settings", () => fund.settings())
      .handle("updateSettings", ({ payload }) => noMoney(fund.updateSettings(payload)))
      .handle("products", ({ query }) => fund.products(query))
      .handle("addProduct", ({ payload }) => Effect.map(noMoney(fund.addProduct(payload)), productCreated))
      .handle("product", ({ params }) => productById(fund, params.id))
      .handle("updateProduct", ({ params, payload }) => noMoney(fund.updateProduct(params.id, payload)))
      .handle("subFunds", () => Effect.map(fund.subFunds(), (items) => ({ items })))
      .handle("addSubFund", ({ payload }) => Effect.map(noMoney(fund.addSubFund(payload)), subFundCreated))
      .handle("subFund", ({ params }) => subFundByCode(fund, params.code))
      .handle("record", ({ payload }) => noCapacity(fund.record(payload)))
      .handle("entries", ({ query: { cursor, limit, kind, from, to } }) =>
        fund.entries(
          {
            ...(kind === undefined ? {} : { kind }),
            ...(from === undefined ? {} : { from: DateTime.toEpochMillis(from) }),
            ...(to === undefined ? {} : { to: DateTime.toEpochMillis(to) })
          },
          { cursor, limit }
        )
      )
      .handle("draftRound", ({ payload }) => Effect.map(noMoney(fund.draftRound(payload)), roundCreated))
      .handle("rounds", ({ query: { cursor, limit, status } }) =>
        fund.rounds(status === undefined ? {} : { status }, { cursor, limit })
      )
      .handle("round", ({ params }) => fund.round(params.id))
      .handle("reviseRound", ({ params, payload }) => noMoney(fund.reviseRound(params.id, payload)))
      .handle("submitRound", ({ params }) => noMoney(fund.submitRound(params.id)))
      .handle("startNotice", ({ params }) => noMoney(fund.startNotice(params.id)))
      .handle("object", ({ params, payload }) =>
        Effect.flatMap(noMoney(fund.object(params.id, payload.text)), (objectionId) =>
          objectionFiled(fund, params.id, objectionId)
        )
      )
      .handle("answerObjection", ({ params, payload }) =>
        noMoney(fund.answerObjection(params.id, params.objectionId, payload.text))
      )
      .handle("signOff", ({ params, payload }) => noCapacity(fund.signOff(params.id, payload.decision, payload.note)))
      .handle("schedule", ({ params, payload }) => noMoney(fund.schedule(params.id, payload.at)))
      .handle("pay", ({ params }) => noCapacity(fund.pay(params.id)))
      .handle("fail", ({ params, payload }) => noCapacity(fund.fail(params.id, payload.note)))
      .handle("cancel", ({ params, payload }) => noCapacity(fund.cancel(params.id, payload.note)))
      .handle("publicRound", ({ params }) => fund.publicRound(params.id))
      .handle("myApplications", ({ query }) => fund.myApplications(query))
      .handle("statement", ({ query }) =>
        Effect.flatMap(periodOf(query), ({ from, to }) => fund.statement({ from, to }))
      )
      .handle("statementCsv", ({ query }) =>
        Effect.gen(function* () {
          const period = yield* periodOf(query)
          const statement = yield* fund.statement({ from: period.from, to: period.to })
          return document(
            FundReport.statementCsv(statement, { timeZone: period.timeZone, bom: query.bom === "true" }),
            "text/csv; charset=utf-8",
            fileName("fund-statement", period)
          )
        })
      )
      .handle("report", ({ query }) =>
        Effect.flatMap(periodOf(query), ({ from, to }) => fund.publicReport({ from, to }))
      )
      .handle("reportHtml", ({ query }) =>
        Effect.gen(function* () {
          const period = yield* periodOf(query)
          const report = yield* fund.publicReport({ from: period.from, to: period.to })
          return document(FundReport.toHtml(report, { timeZone: period.timeZone }), "text/html; charset=utf-8")
        })
      )
      .handle("reportCsv", ({ query }) =>
        Effect.gen(function* () {
          const period = yield* periodOf(query)
          const report = yield* fund.publicReport({ from: period.from, to: period.to })
          return document(
            FundReport.toCsv(report, { timeZone: period.timeZone, bom: query.bom === "true" }),
            "text/csv; charset=utf-8",
            fileName("fund-report", period)
          )
        })
      )
  )
)

// ---------------------------------------------------------------------------------------------
// readers

const encodeObjection = Schema.encodeEffect(Schema.toCodecJson(FundObjectionFiledResponse))
const isRoundId = Schema.is(RoundId)
const isObjectionId = Schema.is(ObjectionId)

/**
 * How an idempotent replay re-reads a `FundProduct`: from `Fund.products` as the retrying actor,
 * encoded as {@link FundProductResponse}; `Location` `/fund/products/<id>`.
 */
export const FundProductReader: ResourceReader<Fund> = resourceReader({
  type: product.type,
  service: Fund,
  read: (fund, id) => productById(fund, id),
  response: FundProductResponse,
  location: fundProductLocation
})

/**
 * How an idempotent replay re-reads a `FundSubFund`: from `Fund.subFunds` as the retrying actor,
 * encoded as {@link SubFundResponse}; `Location` `/fund/sub-funds/<code>`.
 */
export const FundSubFundReader: ResourceReader<Fund> = resourceReader({
  type: subFund.type,
  service: Fund,
  read: (fund, code) => subFundByCode(fund, code),
  response: SubFundResponse,
  location: subFundLocation
})

/**
 * How an idempotent replay re-reads a `FundEntry` (see {@link fundEntryResourceId}): from
 * `Fund.entries` of its `occurredAt` millisecond, as the retrying actor (who needs `fund:read`),
 * encoded as {@link FundEntryResponse}. An entry answers 200, so `location` is not used.
 */
export const FundEntryReader: ResourceReader<Fund> = resourceReader({
  type: entry.type,
  service: Fund,
  read: (fund, key) => entryByKey(fund, key),
  response: FundEntryResponse,
  location: () => "/fund/entries"
})

/**
 * How an idempotent replay re-reads an `AllocationRound`: `Fund.round(id)` as the retrying
 * actor, encoded as {@link AllocationRoundResponse}; `Location` `/fund/rounds/<id>`.
 */
export const AllocationRoundReader: ResourceReader<Fund> = resourceReader({
  type: round.type,
  service: Fund,
  read: (fund, id) => fund.round(id),
  response: AllocationRoundResponse,
  location: allocationRoundLocation
})

/**
 * How an idempotent replay re-reads a `FundObjection` (see {@link fundObjectionResourceId}): the
 * round's public view (`Fund.publicRound`, which the objector may read) with the objection's id,
 * encoded as {@link FundObjectionFiledResponse}. It answers 200, so `location` is not used.
 */
export const FundObjectionReader: ResourceReader<Fund> = {
  type: objection.type,
  make: Effect.map(
    Fund,
    (fund) => (key: string) =>
      Effect.gen(function* () {
        const match = OBJECTION_KEY.exec(key)
        const roundId = match?.[1]
        const objectionId = match?.[2]
        if (!isRoundId(roundId) || !isObjectionId(objectionId)) {
          return yield* Effect.fail(NotFound.of("Objection", key))
        }
        return yield* Effect.flatMap(objectionFiled(fund, roundId, objectionId), encodeObjection)
      })
  ),
  location: (key: string) => allocationRoundLocation(key.split("/")[0] ?? "")
}

/** The readers of the fund's resources, for `resourceReaders` in `Api.ts`. */
export const FundReaders = [
  FundProductReader,
  FundSubFundReader,
  FundEntryReader,
  AllocationRoundReader,
  FundObjectionReader
] as const

// ---------------------------------------------------------------------------------------------
// the OpenAPI document

const PERIOD_DEFAULT = "The statement and the report default to the current calendar month in timeZone."

/** The descriptions of the fund's query parameters (`/fund/entries` has its own `from` and `to`). */
export const FUND_PARAMETER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  from: describe(
    `Start of the period, inclusive: an ISO 8601 date-time such as 2026-08-01T00:00:00+08:00 (a bare date is midnight UTC). ${PERIOD_DEFAULT}`,
    "起始时间（含，ISO 8601），默认本月一日"
  ),
  to: describe(
    `End of the period, exclusive, at most 5 years after from: an ISO 8601 date-time. ${PERIOD_DEFAULT}`,
    "结束时间（不含，ISO 8601），默认下月一日"
  ),
  timeZone: describe(
    "IANA time zone of the default period and of the dates shown; default Asia/Shanghai.",
    "默认期间与日期所用时区，默认 Asia/Shanghai"
  ),
  bom: describe(
    "`true`: start with a UTF-8 byte order mark, so that Excel opens the Chinese intact.",
    "添加 BOM（便于 Excel 打开）"
  ),
  kind: describe("Only entries of this kind.", "按收支类型筛选"),
  status: describe("Only rounds in this status.", "按状态筛选"),
  cursor: describe(
    "Opaque: the `nextCursor` of the previous page, passed back unchanged.",
    "分页游标（原样传回上一页的 nextCursor）"
  ),
  limit: describe(
    `Page size: a whole number from 1 to ${Paging.MAX_LIMIT}; default ${Paging.DEFAULT_LIMIT}.`,
    `每页条数，1 到 ${Paging.MAX_LIMIT}，默认 ${Paging.DEFAULT_LIMIT}`
  )
}

const ENTRY_PARAMETER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  from: describe(
    "Entries that happened (occurredAt) at or after this ISO 8601 date-time.",
    "发生时间不早于（ISO 8601）"
  ),
  to: describe("Entries that happened (occurredAt) before this ISO 8601 date-time.", "发生时间早于（ISO 8601）")
}

/**
 * The fund's part of the OpenAPI post-processing (the server's behaviour is unchanged):
 *
 * - the query parameters of `/fund/…` get a description each, `from` and `to` the `date-time`
 *   format, `limit` its integer range and default (Effect's generator documents the wire side:
 *   strings);
 * - the request bodies get the `minLength`/`maxLength` of their text fields (see
 *   `copyStringBounds`: text is trimmed on decoding, so the bounds live on the decoded side).
 */
export const documentFund = (spec: Record<string, unknown>): Record<string, unknown> => {
  const paths = isRecord(spec.paths) ? spec.paths : {}
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.startsWith("/fund/") || !isRecord(operations)) continue
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
        const description =
          (path === "/fund/entries" ? ENTRY_PARAMETER_DESCRIPTIONS[name] : undefined) ??
          FUND_PARAMETER_DESCRIPTIONS[name]
        if (description !== undefined) parameter.description = description
      }
    }
  }
  const components = isRecord(spec.components) && isRecord(spec.components.schemas) ? spec.components.schemas : {}
  for (const [identifier, schema] of [
    ["AddFundProductInput", AddProductInput],
    ["UpdateFundProductInput", UpdateProductInput],
    ["AddSubFundInput", AddSubFundInput],
    ["RecordFundEntryInput", RecordEntryInput],
    ["DraftRoundInput", DraftRoundInput],
    ["ReviseRoundInput", ReviseRoundInput],
    ["FundObjectionText", ObjectionTextInput],
    ["FundSignOffInput", SignOffInput],
    ["FundClosingNote", ClosingNoteInput]
  ] as const) {
    const typed = typeSideJsonSchema(schema)
    copyStringBounds(components[identifier], typed.root, typed.resolve)
  }
  return spec
}
