/**
 * The docs page and the OpenAPI document as cacheable, compressed responses.
 *
 * Both are the same bytes for the life of the server (Effect builds each once, from the
 * contract), and neither holds personal data: the Swagger page is 2.1 MB of HTML with the
 * bundled assets inline. So each is prepared once, on its first request: a strong `ETag` (the
 * SHA-256 of the bytes) and a gzip copy, made with the web-standard `CompressionStream` (no
 * platform import: the package runs on any runtime that has it, Node >= 18 included). Then:
 *
 * - `Cache-Control: public, max-age=3600` ({@link ASSET_CACHE_CONTROL}): a browser reuses the
 *   page for an hour and then revalidates, so a server upgrade shows within the hour;
 * - `If-None-Match` with the current tag answers `304` without a body;
 * - a client that accepts gzip (`Accept-Encoding`, q > 0) gets the gzip copy
 *   (`Content-Encoding: gzip`, its own tag), any other the bytes as they are; both with
 *   `Vary: Accept-Encoding`.
 *
 * @internal
 */
import { Effect } from "effect"
import type { Types } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import type { Layer } from "effect"

/** The cache policy of the docs page and the OpenAPI document. */
export const ASSET_CACHE_CONTROL = "public, max-age=3600"

interface Prepared {
  readonly contentType: string | undefined
  readonly identity: { readonly body: Uint8Array; readonly etag: string }
  readonly gzip: { readonly body: Uint8Array; readonly etag: string }
}

const base64url = (bytes: ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")

const gzip = async (body: Uint8Array): Promise<Uint8Array> => {
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

const prepare = async (body: Uint8Array, contentType: string | undefined): Promise<Prepared> => {
  const tag = base64url(await globalThis.crypto.subtle.digest("SHA-256", body as Uint8Array<ArrayBuffer>))
  return {
    contentType,
    identity: { body, etag: `"${tag}"` },
    gzip: { body: await gzip(body), etag: `"${tag}-gzip"` }
  }
}

/** Whether an `Accept-Encoding` header accepts gzip (by name or `*`, with a q-value above 0). */
export const acceptsGzip = (header: string | undefined): boolean => {
  if (header === undefined) return false
  let gzipQ: number | undefined
  let anyQ: number | undefined
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase())
    const qParam = params.find((p) => p.startsWith("q="))
    const q = qParam === undefined ? 1 : Number(qParam.slice(2))
    const weight = Number.isFinite(q) ? q : 0
    if (name === "gzip" || name === "x-gzip") gzipQ = weight
    else if (name === "*") anyQ = weight
  }
  return (gzipQ ?? anyQ ?? 0) > 0
}

/** Whether `If-None-Match` names `etag` (weak comparison, RFC 9110 §13.1.2), or is `*`. */
const matches = (ifNoneMatch: string | undefined, etag: string): boolean =>
  ifNoneMatch?.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "")
    return tag === "*" || tag === etag
  }) === true

/**
 * A global router middleware that serves `GET`/`HEAD` of the given paths (the docs page, the
 * OpenAPI document) cacheable and compressed, as described in the module comment. A response
 * that is not a `200` with a byte body goes out as it is.
 */
export const cacheableAssets = (paths: ReadonlyArray<string>): Layer.Layer<never, never, HttpRouter.HttpRouter> => {
  const served = new Set(paths)
  // keyed by the body: the platform hands out the same response (and bytes) for every request
  const prepared = new WeakMap<Uint8Array, Promise<Prepared>>()
  const prepareOnce = (body: Uint8Array, contentType: string | undefined) => {
    let promise = prepared.get(body)
    if (promise === undefined) {
      promise = prepare(body, contentType)
      prepared.set(body, promise)
    }
    return promise
  }
  return HttpRouter.middleware(
    (app: Effect.Effect<HttpServerResponse.HttpServerResponse, Types.unhandled>) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        if (request.method !== "GET" && request.method !== "HEAD") return app
        const query = request.url.indexOf("?")
        if (!served.has(query === -1 ? request.url : request.url.slice(0, query))) return app
        return Effect.flatMap(app, (response) => {
          const body = response.body
          if (response.status !== 200 || body._tag !== "Uint8Array") return Effect.succeed(response)
          return Effect.map(
            Effect.promise(() => prepareOnce(body.body, body.contentType)),
            (assets) => {
              const chosen = acceptsGzip(request.headers["accept-encoding"]) ? assets.gzip : assets.identity
              const headers: Record<string, string> = {
                etag: chosen.etag,
                "cache-control": ASSET_CACHE_CONTROL,
                vary: "Accept-Encoding"
              }
              if (chosen === assets.gzip) headers["content-encoding"] = "gzip"
              if (matches(request.headers["if-none-match"], chosen.etag)) {
                return HttpServerResponse.empty({ status: 304, headers })
              }
              return HttpServerResponse.uint8Array(chosen.body, {
                status: 200,
                contentType: assets.contentType,
                headers
              })
            }
          )
        })
      }),
    { global: true }
  )
}
