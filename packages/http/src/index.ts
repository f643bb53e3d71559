/**
 * `@commonweal/http`: the HTTP transport of commonweal.
 *
 * One `HttpApi` contract ({@link CommonwealApi}), assembled from one group per domain and shared
 * by the server ({@link HttpLive}, {@link ApiLive}) and the typed client ({@link makeClient});
 * errors as RFC 9457 problem details; bearer authentication through a pluggable
 * {@link TokenVerifier}; idempotent POSTs whose keys the storage adapter keeps in the command's
 * own transaction (core's `IdempotencyKeys` and `Transactor`); OpenAPI at `/openapi.json` and
 * Swagger UI at `/docs` from bundled assets. Platform-neutral: the caller provides the
 * `HttpServer`.
 *
 * @packageDocumentation
 */
export * from "./Api.js"
export * from "./Auth.js"
export * from "./Client.js"
export * from "./Cors.js"
export * from "./groups/communities.js"
export * from "./groups/health.js"
export * from "./groups/ledger.js"
export * from "./groups/fund.js"
export * from "./groups/mutual-aid.js"
export * from "./groups/workshop.js"
export * from "./groups/residents.js"
export * from "./Idempotency.js"
export {
  API_ID,
  API_VERSION,
  ApiMiddleware,
  bodyCommandErrors,
  bodyErrors,
  commandErrors,
  groupApi,
  IdempotencyHeaders,
  Idempotent,
  idempotentPost,
  keyErrors,
  readErrors
} from "./kernel/Endpoints.js"
export type { IdempotentResource, ReaderServices, ResourceReader } from "./kernel/Endpoints.js"
export { documentBadRequestAsProblem } from "./kernel/OpenApiDocs.js"
export * from "./Middleware.js"
export * from "./Problem.js"
export * from "./SchemaErrors.js"
export * from "./Server.js"
