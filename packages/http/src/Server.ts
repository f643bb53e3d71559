/**
 * The server side: the layers that serve the API (each group's handlers live with the group,
 * in `groups/<name>.ts`, and are assembled by `makeGroupsLive` in `Api.ts`).
 *
 * `@commonweal/http` does not depend on a platform at runtime: the caller supplies the
 * `HttpServer` (e.g. `NodeHttpServer.layer(createServer, { port })` from
 * `@effect/platform-node`, which also provides the platform services), the core services and
 * the storage layer (its `Transactor` and `IdempotencyKeys` keep the idempotency keys).
 *
 * @example
 * ```ts
 * import { createServer } from "node:http"
 * import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
 * import { domainServices, IdGenerator } from "@commonweal/core"
 * import { makeHttpLayer, TokenVerifier } from "@commonweal/http"
 * import { SqlStore } from "@commonweal/store-kysely"
 * import { Layer } from "effect"
 *
 * const storage = SqlStore.layerFromUrl(process.env.DATABASE_URL ?? "./data/commonweal.sqlite")
 * // every domain's service, with the storage ports (Transactor, IdempotencyKeys …) kept visible
 * const Services = domainServices.pipe(Layer.provideMerge(Layer.merge(storage, IdGenerator.Live)))
 *
 * makeHttpLayer({ idempotencyTtl: "24 hours" }).pipe(
 *   Layer.provide(Services),
 *   Layer.provide(TokenVerifier.static(tokens)),
 *   Layer.provide(NodeHttpServer.layer(createServer, { port: 8080 })),
 *   Layer.launch,
 *   NodeRuntime.runMain)
 * ```
 *
 * @module
 */
import type { DomainServices, IdempotencyKeys, Transactor } from "@commonweal/core"
import type { Context } from "effect"
import { Layer } from "effect"
import type { Etag, HttpPlatform } from "effect/http"
import { HttpMiddleware, HttpRouter, HttpServer } from "effect/http"
import { HttpApiBuilder, HttpApiSwagger } from "effect/http-api"
import type { FileSystem, Path } from "effect"
import { CommonwealApi, makeGroupsLive } from "./Api.js"
import type { GroupsLiveOptions } from "./Api.js"
import { AuthenticationLive } from "./Auth.js"
import type { TokenVerifier } from "./Auth.js"
import type { CorsOptions } from "./Cors.js"
import { makeCors } from "./Cors.js"
import { cacheableAssets } from "./internal/assets.js"
import type { ApiMiddlewareOptions } from "./Middleware.js"
import { makeApiMiddleware, makeRequestMiddleware } from "./Middleware.js"

/** Options of {@link makeApiLive}. */
export interface ApiLayerOptions extends ApiMiddlewareOptions, GroupsLiveOptions {
  /**
   * Where the Swagger UI is served (bundled assets, no CDN). Default `/docs`. The page and the
   * OpenAPI document are served with an `ETag`, `Cache-Control: public, max-age=3600`, and
   * gzip-compressed to clients that accept it (no personal data in either).
   */
  readonly docsPath?: `/${string}` | undefined
  /** Where the OpenAPI document is served. Default `/openapi.json`. */
  readonly openApiPath?: `/${string}` | undefined
  /** Log every request with `requestLogger` (method, path without query, status, duration). Default `false`. */
  readonly logRequests?: boolean | undefined
  /**
   * Cross-origin requests from browser apps. Default: off (no `Access-Control-*` header, no
   * preflight allowed). `{ allowedOrigins: ["https://centre.example"] }` allows exactly those
   * origins (see {@link CorsOptions}).
   */
  readonly cors?: CorsOptions | undefined
}

/** What the routes of {@link makeApiLive} need from the platform besides the router (`HttpServer.layerServices`, or a platform's server layer). */
export type PlatformServices = Etag.Generator | FileSystem.FileSystem | HttpPlatform.HttpPlatform | Path.Path

/**
 * The services the API runs on: the core services of every domain (`DomainServices`: `Residents`, `Communities` …), the
 * `TokenVerifier`, and the storage adapter's `Transactor` and `IdempotencyKeys` (idempotent POSTs
 * claim their keys in the command's transaction).
 */
export type ApiServices = DomainServices | TokenVerifier | Transactor | IdempotencyKeys

/**
 * The whole API as routes on an `HttpRouter`: every handler, the authentication middleware,
 * the API middleware (problem details, idempotency), the request middleware (body checks,
 * 404/405, `no-store` and `nosniff` headers), CORS when origins are listed, the OpenAPI document (`/openapi.json`) and the Swagger UI (`/docs`).
 *
 * Serve it with `HttpRouter.serve` (as {@link makeHttpLayer} does), or turn it into a web
 * handler with `HttpRouter.toWebHandler` (as {@link makeWebHandler} does).
 */
export const makeApiLive = (
  options?: ApiLayerOptions
): Layer.Layer<never, never, HttpRouter.HttpRouter | PlatformServices | ApiServices> =>
  Layer.mergeAll(
    HttpApiBuilder.layer(CommonwealApi, { openapiPath: options?.openApiPath ?? "/openapi.json" }).pipe(
      Layer.provide(makeGroupsLive(options)),
      Layer.provide([
        AuthenticationLive,
        makeApiMiddleware({ maxBodySize: options?.maxBodySize, idempotencyTtl: options?.idempotencyTtl })
      ])
    ),
    HttpApiSwagger.layer(CommonwealApi, { path: options?.docsPath ?? "/docs" }),
    makeRequestMiddleware({ maxBodySize: options?.maxBodySize, logRequests: options?.logRequests }),
    makeCors(options?.cors),
    cacheableAssets([options?.docsPath ?? "/docs", options?.openApiPath ?? "/openapi.json"])
  )

/** {@link makeApiLive} with the defaults: 1 MB body limit, keys kept 24 hours, `/docs`, `/openapi.json`, no request log. */
export const ApiLive: Layer.Layer<never, never, HttpRouter.HttpRouter | PlatformServices | ApiServices> = makeApiLive()

/** Options of {@link makeHttpLayer} and {@link makeWebHandler}. */
export interface HttpLayerOptions extends ApiLayerOptions {
  /**
   * The largest request body accepted, in bytes; a larger one is answered with 413 problem
   * details (`PayloadTooLarge`) without being parsed. Default 1 MB (`DEFAULT_MAX_BODY_SIZE`).
   */
  readonly maxBodySize?: number | undefined
  /**
   * Make a server span per request when a tracer is installed. Default `false`.
   *
   * Off by default for two reasons: a span records the request's URL with its query string
   * (`url.full`, `url.query`), and commonweal's queries hold personal data (`nameContains=周…`),
   * which must not leave the process through a trace exporter any more than through the log;
   * and a span per request costs a noticeable share of a short request's time. Turning it on
   * sets nothing else: redact query parameters with `UrlParams.CurrentRedactedNames` first.
   * (With Effect's default native tracer no span is made either way.)
   *
   * Implemented with `HttpMiddleware.TracerDisabledWhen`, which an application can also
   * provide itself to trace some requests only.
   */
  readonly tracing?: boolean | undefined
}

/** Disables the per-request server spans (see {@link HttpLayerOptions.tracing}). */
export const TracingDisabled: Layer.Layer<never> = Layer.succeed(HttpMiddleware.TracerDisabledWhen)(() => true)

/**
 * Serves the API, the OpenAPI document and the docs UI on the `HttpServer` the caller
 * provides, with the platform services that a platform's server layer (e.g.
 * `NodeHttpServer.layer`) also provides.
 *
 * Effect's own per-request log line is off (`disableLogger`): it would log every request
 * whether asked or not; `logRequests: true` logs them without their query instead. Per-request
 * tracing spans are off unless `tracing: true` (see {@link HttpLayerOptions.tracing}).
 */
export const makeHttpLayer = (
  options?: HttpLayerOptions
): Layer.Layer<never, never, HttpServer.HttpServer | PlatformServices | ApiServices> => {
  const served = HttpRouter.serve(makeApiLive(options), { disableLogger: true, disableListenLog: true })
  return options?.tracing === true ? served : served.pipe(Layer.provide(TracingDisabled))
}

/** {@link makeHttpLayer} with the defaults: `/docs`, `/openapi.json`, 1 MB bodies, no request log, no spans. */
export const HttpLive: Layer.Layer<never, never, HttpServer.HttpServer | PlatformServices | ApiServices> =
  makeHttpLayer()

/** A web-standard handler of the whole API (see {@link makeWebHandler}). */
export interface WebHandler {
  /** Answers one request. */
  readonly handler: (request: Request, context?: Context.Context<never> | undefined) => Promise<Response>
  /** Releases the layers the handler was built from. */
  readonly dispose: () => Promise<void>
}

/**
 * The API as a web-standard handler (`Request => Promise<Response>`), over the services in
 * `services` and Effect's platform-neutral HTTP services (`HttpServer.layerServices`): for a
 * server that is not an Effect `HttpServer`, for tests, and for benchmarks. Same defaults as
 * {@link makeHttpLayer} (no Effect request log, no spans unless `tracing: true`).
 */
export const makeWebHandler = <E>(services: Layer.Layer<ApiServices, E>, options?: HttpLayerOptions): WebHandler => {
  const app = makeApiLive(options).pipe(
    Layer.provide(Layer.merge(services, HttpServer.layerServices)),
    Layer.provideMerge(options?.tracing === true ? Layer.empty : TracingDisabled)
  )
  return HttpRouter.toWebHandler(app, { disableLogger: true })
}
