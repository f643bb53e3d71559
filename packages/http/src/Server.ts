/**
 * The server side: handlers for every endpoint, and the layers that serve them.
 *
 * `@commonweal/http` does not depend on a platform at runtime: the caller supplies the
 * `HttpServer` (e.g. `NodeHttpServer.layer(createServer, { port })` from
 * `@effect/platform-node`) and the core services.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http"
 * import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
 * import { Communities, IdGenerator, Residents } from "@commonweal/core"
 * import { HttpLive, IdempotencyStore, TokenVerifier } from "@commonweal/http"
 * import { Layer } from "effect"
 *
 * const Services = Layer.mergeAll(Residents.Default, Communities.Default).pipe(
 *   Layer.provide(Layer.merge(storage, IdGenerator.Live)))
 *
 * HttpLive.pipe(
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
import {
  HttpApiBuilder,
  HttpApiSwagger,
  HttpMiddleware,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import type { HttpApi, HttpApp, HttpRouter, HttpServer } from "@effect/platform"
import { Effect, Either, FiberRef, Layer, Schema } from "effect"
import { API_VERSION, CommonwealApi } from "./Api.js"
import { AuthenticationLive } from "./Auth.js"
import type { TokenVerifier } from "./Auth.js"
import type { IdempotencyStore } from "./Idempotency.js"
import type { ApiMiddlewareOptions } from "./Middleware.js"
import { makeApiMiddleware, requestPath } from "./Middleware.js"

/** Handlers of the `health` group. */
export const HealthLive = HttpApiBuilder.group(CommonwealApi, "health", (handlers) =>
  handlers.handle("check", () => Effect.succeed({ status: "ok" as const, version: API_VERSION })))

/** Handlers of the `communities` group, over the core `Communities` service. */
export const CommunitiesLive = HttpApiBuilder.group(CommonwealApi, "communities", (handlers) =>
  Effect.map(Communities, (communities) =>
    handlers
      .handle("current", () => communities.current)
      .handle("get", ({ path }) => communities.get(path.id))))

const encodeResidentView = Schema.encodeEither(ResidentView)
const utf8 = new TextEncoder()
const encodedFullViews = new WeakMap<ResidentView, Uint8Array>()

/**
 * The response of `GET /residents/:id`: the bytes the platform would write for the view (its
 * JSON encoding, `200`, `application/json`). Encoding a full record costs tens of
 * microseconds, and `Residents.get` hands out the same view object for an unchanged record,
 * so the bytes of a full view are kept with the view (a view is immutable) and reused. A view
 * that does not encode goes back to the platform, which reports it as before.
 */
const residentResponse = (view: ResidentView): ResidentView | HttpServerResponse.HttpServerResponse => {
  let body = view._tag === "Full" ? encodedFullViews.get(view) : undefined
  if (body === undefined) {
    const encoded = encodeResidentView(view)
    if (Either.isLeft(encoded)) return view
    body = utf8.encode(JSON.stringify(encoded.right))
    if (view._tag === "Full") encodedFullViews.set(view, body)
  }
  return HttpServerResponse.uint8Array(body, { status: 200, contentType: "application/json" })
}

/** Handlers of the `residents` group, over the core `Residents` service. */
export const ResidentsLive = HttpApiBuilder.group(CommonwealApi, "residents", (handlers) =>
  Effect.map(Residents, (residents) =>
    handlers
      .handle("register", ({ payload }) => residents.register(payload))
      .handle("search", ({ urlParams: { cursor, limit, ...filter } }) => residents.search(filter, { cursor, limit }))
      .handle("get", ({ path }) => Effect.map(residents.get(path.id), residentResponse))
      .handle("update", ({ path, payload }) => residents.update(path.id, payload))
      .handle("recordConsent", ({ path, payload }) => residents.recordConsent(path.id, payload))
      .handle("withdrawConsent", ({ path }) => residents.withdrawConsent(path.id, path.purpose))
      .handle("linkHousehold", ({ path, payload }) => residents.linkHousehold(path.id, payload.withResidentId))
      .handle("linkGuardian", ({ path, payload }) => residents.linkGuardian(path.id, payload.guardianId))
      .handle("unlinkGuardian", ({ path }) => residents.unlinkGuardian(path.id, path.guardianId))
      .handle("deactivate", ({ path, payload }) => residents.deactivate(path.id, payload.reason))
      .handle("reactivate", ({ path }) => residents.reactivate(path.id))
      .handle("erase", ({ path }) => residents.erase(path.id))))

/**
 * The whole API as a layer: every handler, the authentication middleware and the API
 * middleware (problem details, idempotency, request body checks). Provide it to
 * `HttpApiBuilder.serve()`, or use {@link makeHttpLayer} / {@link HttpLive}, which do.
 */
export const makeApiLive = (options?: ApiMiddlewareOptions): Layer.Layer<
  HttpApi.Api,
  never,
  Residents | Communities | TokenVerifier | IdempotencyStore
> =>
  Layer.mergeAll(
    HttpApiBuilder.api(CommonwealApi).pipe(
      Layer.provide([HealthLive, CommunitiesLive, ResidentsLive]),
      Layer.provide(AuthenticationLive)
    ),
    makeApiMiddleware(options)
  )

/** {@link makeApiLive} with the defaults (1 MB body limit). */
export const ApiLive: Layer.Layer<
  HttpApi.Api,
  never,
  Residents | Communities | TokenVerifier | IdempotencyStore
> = makeApiLive()

/**
 * Logs one line per request: method, path **without the query string** (a query may hold names,
 * `nameContains=周…`), status and duration. Unlike `HttpMiddleware.logger` it never logs the
 * URL's query or a failure's cause (the API middleware logs unexpected failures itself, without
 * their data). Honours `HttpMiddleware.withLoggerDisabled`.
 */
export const requestLogger = <E, R>(
  app: HttpApp.Default<E, R>
): HttpApp.Default<E, R | HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.withLogSpan(
      Effect.onExit(app, (exit) =>
        Effect.flatMap(FiberRef.get(HttpMiddleware.loggerDisabled), (disabled) =>
          disabled ? Effect.void : Effect.annotateLogs(Effect.log("Sent HTTP response"), {
            "http.method": request.method,
            "http.path": requestPath(request),
            "http.status": exit._tag === "Success"
              ? exit.value.status
              : HttpServerError.causeResponseStripped(exit.cause)[0].status
          }))),
      "http.span"
    ))

/** Options of {@link makeHttpLayer}. */
export interface HttpLayerOptions {
  /** Where the Swagger UI is served (bundled assets, no CDN). Default `/docs`. */
  readonly docsPath?: `/${string}` | undefined
  /** Where the OpenAPI document is served. Default `/openapi.json`. */
  readonly openApiPath?: `/${string}` | undefined
  /** Log every request with {@link requestLogger} (path without query). Default `false`. */
  readonly logRequests?: boolean | undefined
  /**
   * The largest request body accepted, in bytes; a larger one is answered with 413 problem
   * details (`PayloadTooLarge`) without being parsed. Default 1 MB (`DEFAULT_MAX_BODY_SIZE`).
   */
  readonly maxBodySize?: number | undefined
}

/**
 * Serves the API, the OpenAPI document and the docs UI on the `HttpServer` the caller
 * provides (with the platform services `HttpRouter.DefaultServices`, which the platform's
 * server layer, e.g. `NodeHttpServer.layer`, also provides).
 */
export const makeHttpLayer = (
  options?: HttpLayerOptions
): Layer.Layer<
  never,
  never,
  | HttpServer.HttpServer
  | HttpRouter.HttpRouter.DefaultServices
  | Residents
  | Communities
  | TokenVerifier
  | IdempotencyStore
> =>
  (options?.logRequests === true ? HttpApiBuilder.serve(requestLogger) : HttpApiBuilder.serve()).pipe(
    Layer.provide(HttpApiSwagger.layer({ path: options?.docsPath ?? "/docs" })),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: options?.openApiPath ?? "/openapi.json" })),
    Layer.provide(makeApiLive({ maxBodySize: options?.maxBodySize }))
  )

/** {@link makeHttpLayer} with the defaults: `/docs`, `/openapi.json`, no request log. */
export const HttpLive = makeHttpLayer()
