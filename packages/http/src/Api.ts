/**
 * The HTTP contract: one `HttpApi`, shared by the server handlers, the typed client and the
 * OpenAPI document, assembled from one group per domain (`groups/<name>.ts`, each with its
 * endpoints, schemas and handlers). Each list below has one line per group.
 *
 * Every error is answered as RFC 9457 problem details (see `Problem.ts`); every endpoint but
 * `GET /health` needs `Authorization: Bearer <token>`; every POST accepts `Idempotency-Key`
 * (see `Idempotency.ts`).
 *
 * @module
 */
import { Layer } from "effect"
import { HttpApi, OpenApi } from "effect/http-api"
import { CommunitiesGroup, CommunitiesLive } from "./groups/communities.js"
import { documentFund, FundGroup, FundLive, FundReaders } from "./groups/fund.js"
import { HealthGroup, HealthLive } from "./groups/health.js"
import { LedgerAccountReader, LedgerBatchReader, LedgerGroup, LedgerLive } from "./groups/ledger.js"
import { documentMutualAid, MutualAidGroup, MutualAidLive, MutualAidReaders } from "./groups/mutual-aid.js"
import { documentWorkshop, WorkshopGroup, WorkshopLive, WorkshopReaders } from "./groups/workshop.js"
import { documentResidents, makeResidentsLive, ResidentReader, ResidentsGroup } from "./groups/residents.js"
import type { ResidentsLiveOptions } from "./groups/residents.js"
import type { ReaderServices } from "./kernel/Endpoints.js"
import { API_ID, API_VERSION, ApiMiddleware, strictParseOptions } from "./kernel/Endpoints.js"
import { documentBadRequestAsProblem } from "./kernel/OpenApiDocs.js"

/**
 * Post-processes the generated OpenAPI document where Effect's generator documents the wire
 * side only or cannot say what the contract means (the server's behaviour is unchanged): every
 * 400 is the `InvalidInput` problem ({@link documentBadRequestAsProblem}), then each group's own
 * step (the residents' search parameters, text bounds and the `ResidentView` discriminator:
 * `documentResidents`; the fund's query parameters and text bounds: `documentFund`).
 */
export const documentContract = (spec: Record<string, unknown>): Record<string, unknown> =>
  [
    documentBadRequestAsProblem,
    // one line per group that documents more than Effect's generator does
    documentResidents,
    documentFund,
    documentMutualAid,
    documentWorkshop
  ].reduce((document, step) => step(document), spec)

/** The commonweal HTTP API. */
export class CommonwealApi extends HttpApi.make(API_ID)
  .add(HealthGroup)
  .add(CommunitiesGroup)
  .add(ResidentsGroup)
  .add(LedgerGroup)
  .add(FundGroup)
  .add(MutualAidGroup)
  .add(WorkshopGroup)
  .middleware(ApiMiddleware)
  .annotate(HttpApi.PayloadParseOptions, strictParseOptions)
  .annotate(HttpApi.QueryParseOptions, strictParseOptions)
  .annotate(OpenApi.Title, "commonweal")
  .annotate(OpenApi.Transform, documentContract)
  .annotate(OpenApi.Version, API_VERSION)
  .annotate(
    OpenApi.Description,
    [
      "The HTTP API of commonweal, the open-source toolkit for community service centres (社区服务中心开源工具包).",
      "",
      "Authenticate with `Authorization: Bearer <token>`. Errors are RFC 9457 problem details (`application/problem+json`) whose `code` is the stable error tag.",
      "POSTs accept `Idempotency-Key`. Lists are cursor-paged: pass `nextCursor` back as `cursor`.",
      "",
      "认证方式：Bearer 令牌。错误以 RFC 9457 problem details 返回。POST 请求支持幂等键。列表使用游标分页。"
    ].join("\n")
  ) {}

/**
 * How idempotent replays re-read each resource type the groups' POSTs return (one line per
 * group that has idempotent POSTs). The API middleware builds them once and refuses to start
 * when an endpoint declares a resource type that has no reader here.
 */
export const resourceReaders = [
  ResidentReader,
  LedgerAccountReader,
  LedgerBatchReader,
  ...FundReaders,
  ...MutualAidReaders,
  ...WorkshopReaders
] as const

/** The services the {@link resourceReaders} need (the residents' `Residents`, the ledger's `Ledger`, the fund's `Fund`). */
export type ResourceReaderServices = ReaderServices<typeof resourceReaders>

/** Options of {@link makeGroupsLive}. */
export interface GroupsLiveOptions extends ResidentsLiveOptions {}

/** The handlers of every group of {@link CommonwealApi}, one line per group. */
export const makeGroupsLive = (options?: GroupsLiveOptions) =>
  Layer.mergeAll(
    HealthLive,
    CommunitiesLive,
    makeResidentsLive(options),
    LedgerLive,
    FundLive,
    MutualAidLive,
    WorkshopLive
  )
