/**
 * The typed client: the same contract, from the caller's side.
 *
 * Errors decode into the same tagged classes the server failed with (`NotFound`, `Conflict`,
 * `InvalidInput` …), read from the problem details documents.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { makeClient } from "@commonweal/http"
 *
 * const program = Effect.gen(function* () {
 *   const client = yield* makeClient("http://127.0.0.1:8080", token)
 *   const page = yield* client.residents.search({ urlParams: { language: "gan" } })
 * }).pipe(Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @module
 */
import { HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import type { Effect } from "effect"
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
export type CommonwealClient = Effect.Effect.Success<ReturnType<typeof makeClient>>
