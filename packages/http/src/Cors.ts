/**
 * Cross-origin requests (CORS): off unless the operator lists the origins a browser app may call
 * the API from.
 *
 * With no list (the default) no response carries an `Access-Control-*` header and a preflight
 * (`OPTIONS`) is not answered as allowed (it gets the API's 405 or 404 problem), so a browser
 * refuses every cross-origin call. With `cors: { allowedOrigins: ["https://centre.example"] }`
 * a request whose `Origin` is exactly one of the listed origins gets the CORS headers, and its
 * preflight a `204` that allows the API's methods and the `Authorization`, `Content-Type` and
 * `Idempotency-Key` headers; any other origin gets no CORS header at all.
 *
 * @module
 */
import { Effect, Layer } from "effect"
import type { Types } from "effect"
import { HttpMiddleware, HttpRouter, HttpServerRequest } from "effect/http"
import type { HttpServerResponse } from "effect/http"
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from "./Idempotency.js"

/** Options of the CORS support ({@link makeCors}; `cors` of `makeApiLive` and `makeHttpLayer`). */
export interface CorsOptions {
  /**
   * The origins allowed to call the API from a browser, each exactly as a browser sends it in
   * `Origin`: scheme, host and port if not the default (`https://centre.example`,
   * `http://localhost:5173`), no path, no trailing slash. There is no wildcard: personal data is
   * served, so every origin is named.
   */
  readonly allowedOrigins: ReadonlyArray<string>
  /** How long a browser may cache a preflight's answer, in seconds. Default 600. */
  readonly maxAgeSeconds?: number | undefined
}

/** The methods a preflight allows: every method of the API. */
export const CORS_ALLOWED_METHODS: ReadonlyArray<string> = ["GET", "HEAD", "POST", "PATCH", "DELETE"]

/** The request headers a preflight allows. */
export const CORS_ALLOWED_HEADERS: ReadonlyArray<string> = ["authorization", "content-type", IDEMPOTENCY_KEY_HEADER]

/** The response headers a browser app may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS: ReadonlyArray<string> = [
  "location",
  IDEMPOTENT_REPLAYED_HEADER,
  "www-authenticate",
  "allow"
]

/**
 * The CORS middleware, global on the router; `Layer.empty` when no origin is listed. Built on
 * `HttpMiddleware.cors`, applied only to requests from a listed origin (so another origin gets
 * no `Access-Control-*` header, and its preflight reaches the API, which does not allow it).
 * No credentials: the API authenticates with a bearer token, never a cookie.
 */
export const makeCors = (options: CorsOptions | undefined): Layer.Layer<never, never, HttpRouter.HttpRouter> => {
  const allowed = new Set(options?.allowedOrigins ?? [])
  if (allowed.size === 0) return Layer.empty
  const isAllowed = (origin: string) => allowed.has(origin)
  const cors = HttpMiddleware.cors({
    allowedOrigins: isAllowed,
    allowedMethods: CORS_ALLOWED_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: options?.maxAgeSeconds ?? 600,
    credentials: false
  })
  return HttpRouter.middleware(
    (app: Effect.Effect<HttpServerResponse.HttpServerResponse, Types.unhandled>) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        const origin = request.headers["origin"]
        return origin !== undefined && isAllowed(origin) ? cors(app) : app
      }),
    { global: true }
  )
}
