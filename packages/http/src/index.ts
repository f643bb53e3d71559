/**
 * `@commonweal/http`: the HTTP transport of commonweal.
 *
 * One `HttpApi` contract ({@link CommonwealApi}) shared by the server ({@link HttpLive},
 * {@link ApiLive}) and the typed client ({@link makeClient}); errors as RFC 9457 problem
 * details; bearer authentication through a pluggable {@link TokenVerifier}; idempotent POSTs
 * through a pluggable {@link IdempotencyStore}; OpenAPI at `/openapi.json` and Swagger UI at
 * `/docs` from bundled assets. Platform-neutral: the caller provides the `HttpServer`.
 *
 * @packageDocumentation
 */
export * from "./Api.js"
export * from "./Auth.js"
export * from "./Client.js"
export * from "./Cors.js"
export * from "./Idempotency.js"
export * from "./Middleware.js"
export * from "./Problem.js"
export * from "./SchemaErrors.js"
export * from "./Server.js"
