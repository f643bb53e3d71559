/**
 * The `ledger` group: the double-entry ledger over HTTP (open, list, read, close and reopen
 * accounts; apply linked batches of transfers; balances at a time; an account's history; the
 * hash-chain check; the hledger journal), its handlers over the core `Ledger` service, and the
 * readers idempotent replays use to re-read an account or a batch's transfers.
 *
 * **Replays of `POST /ledger/transfers`.** A batch has no address of its own, and the core
 * service reads transfers only through an account's history, so the remembered resource is a
 * `LedgerBatch` whose id lists the results of the first answer, in request order, as
 * `<sequence>@<debit account id>` (prefixed with `~` when that result was itself a replay),
 * comma-separated (see {@link batchResourceId}). The {@link LedgerBatchReader} re-reads each
 * transfer from its debit account's history, as the retrying actor (who needs `ledger:read`),
 * and answers the same {@link TransferResults} as the first time. To keep that id under the
 * 64 KiB an idempotency record may hold, an HTTP batch carries at most
 * {@link MAX_HTTP_BATCH_SIZE} requests (core accepts `MAX_BATCH_SIZE` from code).
 *
 * @module
 */
import {
  AccountKind,
  AccountName,
  AccountOwner,
  BatchId,
  Ledger,
  LedgerAccount,
  LedgerAccountId,
  LedgerChain,
  NotFound,
  Paging,
  Total,
  Transfer,
  TransferRequest,
  Unit
} from "@commonweal/core"
import { DateTime, Effect, Schema } from "effect"
import type { Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { Authentication } from "../Auth.js"
import type { ApiMiddleware, ResourceReader } from "../kernel/Endpoints.js"
import {
  resourceReader,
  bodyErrors,
  describe,
  groupApi,
  idempotentPost,
  ledgerCommandErrors,
  PageParams,
  readErrors,
  wire
} from "../kernel/Endpoints.js"
import { InvalidInputProblem } from "../Problem.js"

/** The most requests one `POST /ledger/transfers` carries (its replay record stays under 64 KiB). */
export const MAX_HTTP_BATCH_SIZE = 1_000

/** A ledger account as the API answers it (core's `LedgerAccount`). */
export const LedgerAccountResponse = LedgerAccount.annotate({
  identifier: "LedgerAccount",
  description:
    "A ledger account: its unit, kind, owner, limits and four running totals (integer minor units) / 账户：单位、类型、所有者、限额与四项累计数"
})

/** {@link LedgerAccountResponse} answered with 201 (`POST /ledger/accounts`). */
export const LedgerAccountCreated = LedgerAccountResponse.pipe(HttpApiSchema.status(201))

/** A transfer as the API answers it (core's `Transfer`). */
export const TransferResponse = Transfer.annotate({
  identifier: "Transfer",
  description: "An immutable transfer, with its place in the community's hash chain / 不可变的转账记录"
})

/** A page of accounts. */
export const LedgerAccountPage = Paging.Page(LedgerAccountResponse).annotate({ identifier: "LedgerAccountPage" })

/** A page of an account's transfers, oldest first. */
export const TransferPage = Paging.Page(TransferResponse).annotate({ identifier: "TransferPage" })

/**
 * The body of `POST /ledger/accounts`: core's `OpenAccountInput` without `communityId` (the
 * account opens in the caller's community).
 */
export const OpenAccountBody = wire(
  Schema.Struct({
    id: LedgerAccountId,
    unit: Unit,
    kind: AccountKind,
    owner: AccountOwner,
    name: AccountName,
    debitsMustNotExceedCredits: Schema.optional(Schema.Boolean),
    creditsMustNotExceedDebits: Schema.optional(Schema.Boolean),
    upperBound: Schema.optional(Schema.NullOr(Total))
  }),
  "OpenAccountInput"
)

/**
 * The body of `POST /ledger/transfers`: a linked batch in the caller's community (all its
 * requests succeed together or none does), at most {@link MAX_HTTP_BATCH_SIZE} requests.
 */
export const TransferBatchBody = wire(
  Schema.Struct({
    batchId: Schema.optional(BatchId),
    requests: Schema.Array(TransferRequest).check(
      Schema.isMaxLength(MAX_HTTP_BATCH_SIZE, {
        message: `at most ${MAX_HTTP_BATCH_SIZE} requests per batch / 每批最多 ${MAX_HTTP_BATCH_SIZE} 条`
      })
    )
  }),
  "TransferBatchInput"
)

/** One result of a batch: the transfer, and whether it had been recorded before (a replay). */
export const TransferResultResponse = Schema.Struct({
  transfer: TransferResponse,
  replayed: Schema.Boolean
}).annotate({ identifier: "TransferResult" })

/** The answer of `POST /ledger/transfers`: one result per request, in request order. */
export const TransferResults = Schema.Struct({ results: Schema.Array(TransferResultResponse) }).annotate({
  identifier: "TransferResults"
})

/** The answer of `GET /ledger/accounts/:id/balance`: the account's four totals at `at`. */
export const LedgerBalance = Schema.Struct({
  accountId: LedgerAccountId,
  at: Schema.String.annotate({ description: "The moment of the balance (ISO 8601, UTC) / 余额时点" }),
  debitsPosted: Total,
  debitsPending: Total,
  creditsPosted: Total,
  creditsPending: Total
}).annotate({ identifier: "LedgerBalance" })

/**
 * The answer of `GET /ledger/verify`: `Intact` with the number of transfers walked and the
 * chain head, or `Broken` naming the first break (the check itself succeeded either way).
 */
export const ChainCheck = Schema.Union([
  Schema.TaggedStruct("Intact", {
    transfers: Schema.Int,
    head: Schema.Struct({ sequence: Schema.Int, hash: Schema.String })
  }),
  Schema.TaggedStruct("Broken", {
    sequence: Schema.Int,
    transferId: Schema.String,
    reason: LedgerChain.ChainBreakReason,
    message: Schema.String
  })
]).annotate({ identifier: "ChainCheck" })

/** The answer of `GET /ledger/journal`: the hledger journal as `text/plain`. */
export const JournalText = Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/plain" }))

/** The query string of the paged ledger lists: `cursor` and `limit`. */
export const LedgerPageParams = Schema.Struct(PageParams)

/** The query string of `GET /ledger/accounts/:id/balance`: `at`, an ISO 8601 date-time (default: now). */
export const BalanceParams = Schema.Struct({
  at: Schema.optional(
    Schema.DateTimeUtcFromString.annotate({
      description: "ISO 8601 date-time, inclusive; default now / 时点（ISO 8601），默认当前"
    })
  )
})

/** The query string of `GET /ledger/journal`: `timeZone`, the IANA zone of the dates (default `Asia/Shanghai`). */
export const JournalParams = Schema.Struct({
  timeZone: Schema.optional(
    Schema.String.annotate({ description: "IANA time zone of the dates; default Asia/Shanghai / 日期所用时区" })
  )
})

const AccountPath = { id: LedgerAccountId }

/** The `Location` of an account opened with 201: `/ledger/accounts/<id>`. */
export const ledgerAccountLocation = (id: string): string => `/ledger/accounts/${encodeURIComponent(id)}`

/** How an idempotent account POST remembers its success: the account it returned. */
const account = { type: "LedgerAccount", id: (body: { readonly id: string }) => body.id } as const

/** The result of a batch, as {@link batchResourceId} encodes it. */
interface EncodedResult {
  readonly transfer: { readonly sequence: number; readonly debitAccountId: string }
  readonly replayed: boolean
}

/**
 * The id under which a batch's answer is remembered: each result, in request order, as
 * `<sequence>@<debit account id>`, `~`-prefixed when it was a replay, joined by `,`.
 */
export const batchResourceId = (body: { readonly results: ReadonlyArray<EncodedResult> }): string =>
  body.results.map((r) => `${r.replayed ? "~" : ""}${r.transfer.sequence}@${r.transfer.debitAccountId}`).join(",")

const BATCH_TOKEN = /^(~?)([1-9]\d{0,15})@(.+)$/u

/** The ledger. */
export class LedgerGroup extends HttpApiGroup.make("ledger")
  .add(
    idempotentPost("openAccount", "/ledger/accounts", {
      payload: OpenAccountBody,
      success: LedgerAccountCreated,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: account
    })
      .annotate(OpenApi.Summary, "Open a ledger account")
      .annotate(
        OpenApi.Description,
        describe(
          "Opens an account in the caller's community (staff, admins), with zero totals; the id is chosen by the caller, and the same id with the same content answers the account again. 201 with Location.",
          "开设账户（社工、管理员），编号由调用方指定"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("listAccounts", "/ledger/accounts", {
      query: LedgerPageParams,
      success: LedgerAccountPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "List ledger accounts")
      .annotate(
        OpenApi.Description,
        describe("The community's accounts, ordered by id, cursor-paged.", "本社区账户列表，按编号排序，游标分页")
      )
  )
  .add(
    HttpApiEndpoint.get("getAccount", "/ledger/accounts/:id", {
      params: AccountPath,
      success: LedgerAccountResponse,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Get a ledger account")
      .annotate(
        OpenApi.Description,
        describe("One account with its totals; other communities' accounts are 404.", "查询账户及其累计数")
      )
  )
  .add(
    idempotentPost("closeAccount", "/ledger/accounts/:id/close", {
      params: AccountPath,
      success: LedgerAccountResponse,
      error: ledgerCommandErrors,
      resource: account
    })
      .annotate(OpenApi.Summary, "Close a ledger account")
      .annotate(
        OpenApi.Description,
        describe(
          "Closes a settled account (zero balance, nothing pending): it refuses new transfers. Otherwise 409.",
          "关闭已结清的账户（余额为零且无挂账）"
        )
      )
  )
  .add(
    idempotentPost("reopenAccount", "/ledger/accounts/:id/reopen", {
      params: AccountPath,
      success: LedgerAccountResponse,
      error: ledgerCommandErrors,
      resource: account
    })
      .annotate(OpenApi.Summary, "Reopen a ledger account")
      .annotate(OpenApi.Description, describe("Reopens a closed account.", "重新开启已关闭的账户"))
  )
  .add(
    idempotentPost("transfer", "/ledger/transfers", {
      payload: TransferBatchBody,
      success: TransferResults,
      error: [...ledgerCommandErrors, ...bodyErrors],
      resource: { type: "LedgerBatch", id: batchResourceId }
    })
      .annotate(OpenApi.Summary, "Apply a batch of transfers")
      .annotate(
        OpenApi.Description,
        describe(
          `Applies a linked batch (at most ${MAX_HTTP_BATCH_SIZE} requests: Posted, Pending, PostPending, VoidPending, Reverse): all succeed in order or none does. A transfer id recorded before with the same content is a replay. A refused request fails the batch; the problem's detail names the request's index, its transfer id and the reason (409 for funds, state or duplicates, 404 for unknown accounts or transfers, 400 for invalid requests).`,
          "批量转账：全部成功或全部不执行；被拒绝时问题详情注明请求序号、转账编号和原因"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("balance", "/ledger/accounts/:id/balance", {
      params: AccountPath,
      query: BalanceParams,
      success: LedgerBalance,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "An account's balance at a time")
      .annotate(
        OpenApi.Description,
        describe(
          "The account's four totals at `at` (inclusive; default now), computed from its history.",
          "账户在某一时点的累计数"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("history", "/ledger/accounts/:id/history", {
      params: AccountPath,
      query: LedgerPageParams,
      success: TransferPage,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "An account's history")
      .annotate(
        OpenApi.Description,
        describe("The transfers that debit or credit the account, oldest first, cursor-paged.", "账户流水，游标分页")
      )
  )
  .add(
    HttpApiEndpoint.get("verify", "/ledger/verify", {
      success: ChainCheck,
      error: readErrors
    })
      .annotate(OpenApi.Summary, "Verify the hash chain")
      .annotate(
        OpenApi.Description,
        describe(
          "Walks the community's hash chain: `Intact` with the count and head, or `Broken` naming the first break.",
          "校验本社区转账哈希链"
        )
      )
  )
  .add(
    HttpApiEndpoint.get("journal", "/ledger/journal", {
      query: JournalParams,
      success: JournalText,
      error: [...readErrors, InvalidInputProblem]
    })
      .annotate(OpenApi.Summary, "Export the hledger journal")
      .annotate(
        OpenApi.Description,
        describe(
          "The community's accounts and transfers as an hledger journal (text/plain), holds open as of now.",
          "导出 hledger 账簿（纯文本）"
        )
      )
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "The ledger / 账本") {}

const encodeAccountExit = Schema.encodeExit(Schema.toCodecJson(LedgerAccountResponse))
const encodeResults = Schema.encodeEffect(Schema.toCodecJson(TransferResults))

/** Handlers of the `ledger` group, over the core `Ledger` service. */
export const LedgerLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "ledger">,
  never,
  Ledger | Authentication | ApiMiddleware
> = HttpApiBuilder.group(groupApi(LedgerGroup), "ledger", (handlers) =>
  Effect.map(Ledger, (ledger) =>
    handlers
      .handle("openAccount", ({ payload }) =>
        Effect.map(ledger.openAccount(payload), (opened) => {
          const encoded = encodeAccountExit(opened)
          // a value that does not encode goes back to the platform, which reports it
          return encoded._tag === "Failure"
            ? opened
            : HttpServerResponse.jsonUnsafe(encoded.value, {
                status: 201,
                headers: { location: ledgerAccountLocation(opened.id) }
              })
        })
      )
      .handle("listAccounts", ({ query }) => ledger.accounts(query))
      .handle("getAccount", ({ params }) => ledger.account(params.id))
      .handle("closeAccount", ({ params }) => ledger.closeAccount(params.id))
      .handle("reopenAccount", ({ params }) => ledger.reopenAccount(params.id))
      .handle("transfer", ({ payload }) =>
        ledger.transfer(payload).pipe(
          Effect.map((results) => ({ results })),
          // the service never fails with CapacityExceeded (its type is the kernel's DomainError)
          Effect.catchTag("CapacityExceeded", Effect.die)
        )
      )
      .handle("balance", ({ params, query }) =>
        Effect.gen(function* () {
          const at = query.at ?? (yield* DateTime.now)
          const totals = yield* ledger.balanceAt(params.id, at)
          return { accountId: params.id, at: DateTime.formatIso(at), ...totals }
        })
      )
      .handle("history", ({ params, query }) => ledger.history(params.id, query))
      .handle("verify", () =>
        ledger.verifyChain().pipe(
          Effect.map((verified) => ({ _tag: "Intact" as const, transfers: verified.transfers, head: verified.head })),
          Effect.catchTag("ChainBroken", (broken) =>
            Effect.succeed({
              _tag: "Broken" as const,
              sequence: broken.sequence,
              transferId: broken.transferId,
              reason: broken.reason,
              message: broken.message
            })
          )
        )
      )
      .handle("journal", ({ query }) =>
        ledger.exportJournal(query.timeZone === undefined ? undefined : { timeZone: query.timeZone })
      )
  )
)

/**
 * How an idempotent replay re-reads a `LedgerAccount`: `Ledger.account(id)` as the retrying
 * actor, encoded as {@link LedgerAccountResponse}; `Location` `/ledger/accounts/<id>`.
 */
export const LedgerAccountReader: ResourceReader<Ledger> = resourceReader({
  type: account.type,
  service: Ledger,
  read: (ledger, id) => ledger.account(id),
  response: LedgerAccountResponse,
  location: ledgerAccountLocation
})

/**
 * How an idempotent replay re-reads a `LedgerBatch` (see {@link batchResourceId}): each
 * transfer from its debit account's history (`Ledger.history`, as the retrying actor, who needs
 * `ledger:read`), answered as {@link TransferResults} with the first answer's `replayed` flags.
 * A batch answers 200, so `location` (`/ledger/transfers`) is not used.
 */
export const LedgerBatchReader: ResourceReader<Ledger> = {
  type: "LedgerBatch",
  make: Effect.map(
    Ledger,
    (ledger) => (id: string) =>
      Effect.forEach(id === "" ? [] : id.split(","), (token) => {
        const match = BATCH_TOKEN.exec(token)
        if (match === null) return Effect.fail(NotFound.of("LedgerBatch", id))
        const sequence = Number(match[2])
        const accountId = match[3] ?? ""
        return Effect.flatMap(
          ledger.history(accountId, { cursor: Paging.encodeCursor(String(sequence - 1)), limit: 1 }),
          (page) => {
            const transfer = page.items[0]
            return transfer === undefined || transfer.sequence !== sequence
              ? Effect.fail(NotFound.of("Transfer", `#${sequence}`))
              : Effect.succeed({ transfer, replayed: match[1] === "~" })
          }
        )
      }).pipe(Effect.flatMap((results) => encodeResults({ results })))
  ),
  location: () => "/ledger/transfers"
}
