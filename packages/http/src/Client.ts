/**
 * The typed client: the same contract, from the caller's side.
 *
 * Errors decode into the same tagged classes the server failed with (`NotFound`, `Conflict`,
 * `InvalidInput` …), read from the problem details documents.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { makeClient } from "@commonweal/http"
 *
 * const program = Effect.gen(function* () {
 *   const client = yield* makeClient("http://127.0.0.1:8080", token)
 *   const page = yield* client.residents.search({ query: { language: "gan" } })
 * }).pipe(Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @module
 */
import type { Effect } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { HttpApiClient } from "effect/http-api"
import { CommonwealApi } from "./Api.js"

/**
 * The typed client of {@link CommonwealApi} at `baseUrl`, sending `Authorization: Bearer
 * <token>` on every request (none when `token` is omitted). Needs an `HttpClient`
 * (`FetchHttpClient.layer`, or the platform's).
 */
export const makeClient = (baseUrl: string | URL, token?: string) =>
  HttpApiClient.make(CommonwealApi, {
    baseUrl,
    transformClient: token === undefined ? undefined : HttpClient.mapRequest(HttpClientRequest.bearerToken(token))
  })

/** The type of the typed client {@link makeClient} returns. */
export type CommonwealClient = Effect.Success<ReturnType<typeof makeClient>>
