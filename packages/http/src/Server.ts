/**
 * The server side: handlers for every endpoint, and the layers that serve them.
 *
 * `@commonweal/http` does not depend on a platform at runtime: the caller supplies the
 * `HttpServer` (e.g. `NodeHttpServer.layer(createServer, { port })` from
 * `@effect/platform-node`, which also provides the platform services) and the core services.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http"
 * import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
 * import { Communities, IdGenerator, Residents } from "@commonweal/core"
 * import { IdempotencyStore, makeHttpLayer, TokenVerifier } from "@commonweal/http"
 * import { Layer } from "effect"
 *
 * const Services = Layer.mergeAll(Residents.layer, Communities.layer).pipe(
 *   Layer.provide(Layer.merge(storage, IdGenerator.Live)))
 *
 * makeHttpLayer().pipe(
 *   Layer.provide(Services),
 *   Layer.provide(TokenVerifier.static(tokens)),
 *   Layer.provide(IdempotencyStore.memory()),
 *   Layer.provide(NodeHttpServer.layer(createServer, { port: 8080 })),
 *   Layer.launch,
 *   NodeRuntime.runMain)
 * ```
 *
 * @module
 */
import { Communities, Residents, ResidentView } from "@commonweal/core"
import type { Context } from "effect"
import { Effect, Layer, Schema } from "effect"
import type { Etag, HttpPlatform } from "effect/http"
import { HttpMiddleware, HttpRouter, HttpServer, HttpServerResponse } from "effect/http"
import type { HttpApiGroup } from "effect/http-api"
import { HttpApiBuilder, HttpApiSwagger } from "effect/http-api"
import type { FileSystem, Path } from "effect"
import { API_VERSION, CommonwealApi } from "./Api.js"
import type { ApiMiddleware } from "./Api.js"
import { AuthenticationLive } from "./Auth.js"
import type { Authentication, TokenVerifier } from "./Auth.js"
import type { CorsOptions } from "./Cors.js"
import { makeCors } from "./Cors.js"
import { cacheableAssets } from "./internal/assets.js"
import type { IdempotencyStore } from "./Idempotency.js"
import type { ApiMiddlewareOptions } from "./Middleware.js"
import { makeApiMiddleware, makeRequestMiddleware, residentLocation } from "./Middleware.js"

/** Handlers of the `health` group. */
export const HealthLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "health">,
  never,
  ApiMiddleware
> = HttpApiBuilder.group(CommonwealApi, "health", (handlers) =>
  handlers.handle("check", () => Effect.succeed({ status: "ok" as const, version: API_VERSION }))
)

/** Handlers of the `communities` group, over the core `Communities` service. */
export const CommunitiesLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "communities">,
  never,
  Communities | Authentication | ApiMiddleware
> = HttpApiBuilder.group(CommonwealApi, "communities", (handlers) =>
  Effect.map(Communities, (communities) =>
    handlers.handle("current", () => communities.current).handle("get", ({ params }) => communities.get(params.id))
  )
)

const encodeResidentView = Schema.encodeExit(Schema.toCodecJson(ResidentView))
const encodedFullViews = new WeakMap<ResidentView, string>()

/**
 * The response of `GET /residents/:id`: what the platform would write for the view (its JSON
 * encoding, `200`, `application/json`). Encoding a full record costs tens of microseconds, and
 * `Residents.get` hands out the same view object for an unchanged record, so the JSON of a full
 * view is kept with the view (a view is immutable) and reused. A view that does not encode goes
 * back to the platform, which reports it as before.
 */
const residentResponse =
  (reuse: boolean, status: 200 | 201 = 200) =>
  (view: ResidentView): ResidentView | HttpServerResponse.HttpServerResponse => {
    let body = reuse && view._tag === "Full" ? encodedFullViews.get(view) : undefined
    if (body === undefined) {
      const encoded = encodeResidentView(view)
      if (encoded._tag === "Failure") return view
      body = JSON.stringify(encoded.value)
      if (reuse && view._tag === "Full") encodedFullViews.set(view, body)
    }
    return HttpServerResponse.text(body, {
      status,
      contentType: "application/json",
      headers: status === 201 ? { location: residentLocation(view.id) } : undefined
    })
  }

/** Options of {@link makeResidentsLive}. */
export interface ResidentsLiveOptions {
  /**
   * Keep the JSON of each full resident view with the view and answer `GET /residents/:id`
   * with it while the record is unchanged. Default `true`; `false` encodes every response.
   */
  readonly encodedViewCache?: boolean | undefined
}

/** Handlers of the `residents` group, over the core `Residents` service. */
export const makeResidentsLive = (
  options?: ResidentsLiveOptions
): Layer.Layer<HttpApiGroup.Service<"commonweal", "residents">, never, Residents | Authentication | ApiMiddleware> => {
  const respond = residentResponse(options?.encodedViewCache !== false)
  // a registration answers 201 with `Location: /residents/<id>`; its view is new, so never cached
  const created = residentResponse(false, 201)
  return HttpApiBuilder.group(CommonwealApi, "residents", (handlers) =>
    Effect.map(Residents, (residents) =>
      handlers
        .handle("register", ({ payload }) => Effect.map(residents.register(payload), created))
        .handle("search", ({ query: { cursor, limit, ...filter } }) => residents.search(filter, { cursor, limit }))
        .handle("get", ({ params }) => Effect.map(residents.get(params.id), respond))
        .handle("update", ({ params, payload }) => residents.update(params.id, payload))
        .handle("recordConsent", ({ params, payload }) => residents.recordConsent(params.id, payload))
        .handle("withdrawConsent", ({ params }) => residents.withdrawConsent(params.id, params.purpose))
        .handle("linkHousehold", ({ params, payload }) => residents.linkHousehold(params.id, payload.withResidentId))
        .handle("linkGuardian", ({ params, payload }) => residents.linkGuardian(params.id, payload.guardianId))
        .handle("unlinkGuardian", ({ params }) => residents.unlinkGuardian(params.id, params.guardianId))
        .handle("deactivate", ({ params, payload }) => residents.deactivate(params.id, payload.reason))
        .handle("reactivate", ({ params }) => residents.reactivate(params.id))
        .handle("erase", ({ params }) => residents.erase(params.id))
    )
  )
}

/** {@link makeResidentsLive} with the defaults. */
export const ResidentsLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "residents">,
  never,
  Residents | Authentication | ApiMiddleware
> = makeResidentsLive()

/** Options of {@link makeApiLive}. */
export interface ApiLayerOptions extends ApiMiddlewareOptions, ResidentsLiveOptions {
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

/** The core and transport services the API runs on. */
export type ApiServices = Residents | Communities | TokenVerifier | IdempotencyStore

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
      Layer.provide([HealthLive, CommunitiesLive, makeResidentsLive(options)]),
      Layer.provide([AuthenticationLive, makeApiMiddleware({ maxBodySize: options?.maxBodySize })])
    ),
    HttpApiSwagger.layer(CommonwealApi, { path: options?.docsPath ?? "/docs" }),
    makeRequestMiddleware({ maxBodySize: options?.maxBodySize, logRequests: options?.logRequests }),
    makeCors(options?.cors),
    cacheableAssets([options?.docsPath ?? "/docs", options?.openApiPath ?? "/openapi.json"])
  )

/** {@link makeApiLive} with the defaults: 1 MB body limit, `/docs`, `/openapi.json`, no request log. */
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
