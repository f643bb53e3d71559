/**
 * The pieces of idempotent POSTs that are pure (the fingerprint, the stored record, capturing a
 * success), and the key's TTL on a real server.
 */
import { layer } from "@effect/vitest"
import { domainServices, IdGenerator } from "@commonweal/core"
import { MemoryStore } from "@commonweal/store-memory"
import { Cause, Duration, Effect, Exit, Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import { describe, expect, it } from "vitest"
import {
  captureSuccess,
  decodeStoredSuccess,
  encodeStoredSuccess,
  fingerprint,
  IDEMPOTENT_REPLAYED_HEADER,
  makeApiMiddleware,
  TokenVerifier
} from "../src/index.js"
import type { IdempotentResource } from "../src/index.js"
import { makeTestServer, raw, tokens } from "./fixture.js"

const ID = "01936a1e-7c00-7000-8000-000000000001"
/** As the residents' POSTs declare it (their bodies are resident views). */
const resident: IdempotentResource = { type: "Resident", id: (body) => (body as { readonly id: string }).id }

describe("fingerprint", () => {
  it("is the SHA-256 hex of method, URL and body: 64 characters, the method's case aside", async () => {
    const print = (method: string, url: string, body: string) => Effect.runPromise(fingerprint(method, url, body))
    const a = await print("POST", "/residents", `{"displayName":"周赛群"}`)
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(await print("post", "/residents", `{"displayName":"周赛群"}`)).toBe(a)
    expect(await print("POST", "/residents", `{"displayName":"周赛"}`)).not.toBe(a)
    expect(await print("POST", "/residents/1/erase", `{"displayName":"周赛群"}`)).not.toBe(a)
    expect(await print("POST", "/residents?x=1", `{"displayName":"周赛群"}`)).not.toBe(a)
    // the parts cannot run into each other
    expect(await print("POST", "/a", "b")).not.toBe(await print("POST", "/a\nb", ""))
    // a body of a megabyte still gives 64 characters
    expect(await print("POST", "/residents", "x".repeat(1024 * 1024))).toHaveLength(64)
  })
})

describe("the stored record of a success", () => {
  it("round-trips as JSON with status, type and id, and refuses anything else", () => {
    const text = encodeStoredSuccess({ status: 201, type: "Resident", id: ID })
    expect(JSON.parse(text)).toEqual({ status: 201, type: "Resident", id: ID })
    expect(decodeStoredSuccess(text)).toEqual({ status: 201, type: "Resident", id: ID })
    for (const bad of ["", "{", "null", `{"status":201,"type":"Resident"}`, `{"status":"201","type":"R","id":"x"}`]) {
      expect(decodeStoredSuccess(bad)).toBeUndefined()
    }
  })

  it("is captured from a success body with the endpoint's resource declaration, never its other fields", () => {
    const body = { _tag: "Full", id: ID, displayName: "周赛群", phone: "13812345678" }
    const created = HttpServerResponse.jsonUnsafe(body, { status: 201 })
    const stored = captureSuccess(created, resident)
    expect(stored).toEqual({ status: 201, type: "Resident", id: ID })
    expect(encodeStoredSuccess(stored!)).not.toContain("周赛群")
    expect(captureSuccess(HttpServerResponse.text(JSON.stringify(body), { status: 200 }), resident)?.status).toBe(200)
  })

  it("cannot be captured from a body without the resource (so the command is rolled back, not run twice later)", () => {
    expect(captureSuccess(HttpServerResponse.empty({ status: 204 }), resident)).toBeUndefined()
    expect(captureSuccess(HttpServerResponse.text("not json"), resident)).toBeUndefined()
    expect(captureSuccess(HttpServerResponse.jsonUnsafe({ name: "x" }), resident)).toBeUndefined()
    expect(captureSuccess(HttpServerResponse.jsonUnsafe({ id: "" }), resident)).toBeUndefined()
    const throwing: IdempotentResource = {
      type: "Resident",
      id: (): string => {
        throw new Error("no id")
      }
    }
    expect(captureSuccess(HttpServerResponse.jsonUnsafe({ id: ID }), throwing)).toBeUndefined()
  })
})

describe("idempotencyTtl", () => {
  /** Builds the API middleware with `idempotencyTtl` over the in-memory store: its exit. */
  const build = (idempotencyTtl: Duration.Input) =>
    Effect.runPromiseExit(
      Effect.scoped(
        Layer.build(
          makeApiMiddleware({ idempotencyTtl }).pipe(
            Layer.provide([TokenVerifier.static({}), domainServices]),
            Layer.provide(Layer.merge(MemoryStore.layer, IdGenerator.Live))
          )
        )
      )
    )

  it("must be a positive, finite duration: the middleware does not build otherwise", async () => {
    for (const ttl of [Duration.zero, Duration.millis(-5), Duration.infinity]) {
      const exit = await build(ttl)
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause), String(ttl)).toBe(true)
    }
    expect(Exit.isSuccess(await build("1 hour"))).toBe(true)
  })
})

layer(makeTestServer({ idempotencyTtl: "400 millis" }), { excludeTestServices: true })(
  "@commonweal/http with idempotencyTtl",
  (it) => {
    it.effect("a key is replayed within its TTL and taken over after it: the retry then runs again", () =>
      Effect.gen(function* () {
        const post = () =>
          raw("/residents", {
            method: "POST",
            token: tokens.junxinStaff,
            body: { displayName: "过期测试" },
            headers: { "idempotency-key": "ttl-1" }
          })
        const first = yield* post()
        expect(first.status).toBe(201)
        const within = yield* post()
        expect(within.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBe("true")
        expect(within.json.id).toBe(first.json.id)
        yield* Effect.sleep("500 millis")
        const after = yield* post()
        expect(after.status).toBe(201)
        expect(after.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBeNull()
        expect(after.json.id).not.toBe(first.json.id)
      })
    )
  }
)
