/**
 * Regression tests of the HTTP findings of issue 6 (section 3): bodies on commands that take
 * none, headers on responses with personal data, CORS, the docs page, capped error lists and a
 * chunked body over the limit.
 */
import { request as httpRequest } from "node:http"
import { gunzipSync } from "node:zlib"
import { layer } from "@effect/vitest"
import { Effect } from "effect"
import { InvalidInput } from "@commonweal/core"
import { describe, expect, it as test } from "vitest"
import { PROBLEM_CONTENT_TYPE, redactInvalidInput } from "../src/index.js"
import { baseUrl, makeTestServer, raw, TestServer, tokens } from "./fixture.js"

/** A request through node:http (fetch cannot send a body with GET); a connection reset is `status: 0`. */
const nodeRequest = (
  path: string,
  options: {
    readonly method: string
    readonly headers?: Record<string, string>
    readonly chunks?: ReadonlyArray<string>
  }
) =>
  Effect.flatMap(baseUrl, (url) =>
    Effect.callback<{ status: number; headers: Record<string, unknown>; text: string; bytes: Buffer }>((resume) => {
      const req = httpRequest(
        `${url}${path}`,
        {
          method: options.method,
          headers: { authorization: `Bearer ${tokens.junxinStaff}`, ...options.headers }
        },
        (res) => {
          const chunks: Array<Buffer> = []
          res.on("data", (chunk: Buffer) => chunks.push(chunk))
          res.on("end", () => {
            const bytes = Buffer.concat(chunks)
            resume(
              Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, text: bytes.toString("utf8"), bytes })
            )
          })
          res.on("error", () => resume(Effect.succeed({ status: 0, headers: {}, text: "", bytes: Buffer.alloc(0) })))
        }
      )
      req.on("error", () => resume(Effect.succeed({ status: 0, headers: {}, text: "", bytes: Buffer.alloc(0) })))
      for (const chunk of options.chunks ?? []) req.write(chunk)
      req.end()
    })
  )

const register = (displayName: string) =>
  raw("/residents", { method: "POST", token: tokens.junxinStaff, body: { displayName } })

layer(TestServer, { excludeTestServices: true })("@commonweal/http issue 6 (default options)", (it) => {
  it.effect("a malformed JSON body on erase or reactivate is a 400 and changes nothing", () =>
    Effect.gen(function* () {
      const created = yield* register("无体甲")
      expect(created.status).toBe(201)
      const id = String(created.json.id)
      for (const action of ["erase", "reactivate"]) {
        const response = yield* raw(`/residents/${id}/${action}`, {
          method: "POST",
          token: tokens.junxinStaff,
          rawBody: "{not json",
          headers: { "content-type": "application/json" }
        })
        expect(response.status).toBe(400)
        expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE)
        expect(response.json).toMatchObject({ code: "InvalidInput", field: "body" })
        expect(String(response.json.detail)).toContain("is not valid JSON")
      }
      const after = yield* raw(`/residents/${id}`, { token: tokens.junxinStaff })
      expect(after.json.status).toBe("active")
      expect(after.json.displayName).toBe("无体甲")
      expect(after.json.version).toBe(created.json.version)
    })
  )

  it.effect("any non-empty body on an endpoint without a payload is a 400, also with an Idempotency-Key", () =>
    Effect.gen(function* () {
      const created = yield* register("无体乙")
      const id = String(created.json.id)
      const erase = yield* raw(`/residents/${id}/erase`, { method: "POST", token: tokens.junxinStaff, body: {} })
      expect(erase.status).toBe(400)
      expect(erase.json).toMatchObject({ code: "InvalidInput", field: "body" })
      expect(String(erase.json.detail)).toContain("takes no request body")
      const keyed = yield* raw(`/residents/${id}/erase`, {
        method: "POST",
        token: tokens.junxinStaff,
        body: { reason: "x" },
        headers: { "idempotency-key": "erase-with-body-1" }
      })
      expect(keyed.status).toBe(400)
      const get = yield* nodeRequest(`/residents/${id}`, {
        method: "GET",
        headers: { "content-type": "application/json", "content-length": "2" },
        chunks: ["{}"]
      })
      expect(get.status).toBe(400)
      const del = yield* raw(`/residents/${id}/consents/registry`, {
        method: "DELETE",
        token: tokens.junxinStaff,
        body: {}
      })
      expect(del.status).toBe(400)
      // nothing ran
      const after = yield* raw(`/residents/${id}`, { token: tokens.junxinStaff })
      expect(after.json.status).toBe("active")
      expect(after.json.version).toBe(created.json.version)
      // without a body (or with an empty one) the command runs; the same key was not remembered
      const empty = yield* raw(`/residents/${id}/erase`, {
        method: "POST",
        token: tokens.junxinStaff,
        headers: { "idempotency-key": "erase-with-body-1", "content-length": "0" }
      })
      expect(empty.status).toBe(200)
      expect(empty.json.status).toBe("erased")
    })
  )

  it.effect(
    "every /residents and /communities answer, problem details too, is no-store and nosniff; 201 has Location",
    () =>
      Effect.gen(function* () {
        const created = yield* raw("/residents", {
          method: "POST",
          token: tokens.junxinStaff,
          body: { displayName: "头部甲" },
          headers: { "idempotency-key": "location-1" }
        })
        expect(created.status).toBe(201)
        expect(created.headers.get("location")).toBe(`/residents/${String(created.json.id)}`)
        const replayed = yield* raw("/residents", {
          method: "POST",
          token: tokens.junxinStaff,
          body: { displayName: "头部甲" },
          headers: { "idempotency-key": "location-1" }
        })
        expect(replayed.status).toBe(201)
        expect(replayed.headers.get("location")).toBe(`/residents/${String(created.json.id)}`)
        const id = String(created.json.id)
        const answers = [
          created,
          replayed,
          yield* raw(`/residents/${id}`, { token: tokens.junxinStaff }),
          yield* raw("/residents?grid=JX-01", { token: tokens.junxinStaff }),
          yield* raw("/residents?nope=1", { token: tokens.junxinStaff }), // 400
          yield* raw(`/residents/${id}`, { token: tokens.junxinVolunteer }), // reduced
          yield* raw(`/residents/${id}`), // 401
          yield* raw("/residents/01936a1e-7c00-7000-8000-0000000fffff", { token: tokens.junxinStaff }), // 404
          yield* raw(`/residents/${id}`, { method: "PUT", token: tokens.junxinStaff }), // 405
          yield* raw("/residents", {
            method: "POST",
            token: tokens.junxinStaff,
            rawBody: "x",
            headers: { "content-type": "text/plain" }
          }), // 415
          yield* raw("/communities/current", { token: tokens.junxinStaff }),
          yield* raw("/communities/01936a1e-7c00-7000-8000-00000000b002", { token: tokens.junxinStaff }), // 404
          yield* raw("/nowhere", { token: tokens.junxinStaff })
        ]
        expect(answers.map((a) => a.status)).toEqual([201, 201, 200, 200, 400, 200, 401, 404, 405, 415, 200, 404, 404])
        for (const answer of answers) {
          expect(answer.headers.get("cache-control")).toBe("no-store")
          expect(answer.headers.get("x-content-type-options")).toBe("nosniff")
        }
        // only a creation has a Location
        expect(answers[2]?.headers.get("location")).toBeNull()
      })
  )

  it.effect("CORS is off by default: no Access-Control-* header, no preflight allowed", () =>
    Effect.gen(function* () {
      const origin = { origin: "https://centre.example" }
      const get = yield* raw("/communities/current", { token: tokens.junxinStaff, headers: origin })
      expect(get.status).toBe(200)
      expect([...get.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([])
      const preflight = yield* raw("/residents", {
        method: "OPTIONS",
        headers: {
          ...origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization"
        }
      })
      expect(preflight.status).toBeGreaterThanOrEqual(400)
      expect([...preflight.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([])
    })
  )

  it.effect("/docs and /openapi.json are gzip-compressed when accepted, with an ETag and a max-age", () =>
    Effect.gen(function* () {
      for (const path of ["/docs", "/openapi.json"]) {
        const plain = yield* nodeRequest(path, { method: "GET" })
        expect(plain.status).toBe(200)
        expect(plain.headers["content-encoding"]).toBeUndefined()
        const etag = String(plain.headers["etag"])
        expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/)
        expect(String(plain.headers["cache-control"])).toMatch(/max-age=\d+/)
        expect(String(plain.headers["vary"])).toContain("Accept-Encoding")

        const gzipped = yield* nodeRequest(path, { method: "GET", headers: { "accept-encoding": "gzip, deflate, br" } })
        expect(gzipped.status).toBe(200)
        expect(gzipped.headers["content-encoding"]).toBe("gzip")
        expect(gzipped.headers["content-type"]).toBe(plain.headers["content-type"])
        expect(String(gzipped.headers["cache-control"])).toMatch(/max-age=\d+/)
        expect(gzipped.bytes.length).toBeLessThan(plain.bytes.length / 2)
        expect(gunzipSync(gzipped.bytes).equals(plain.bytes)).toBe(true)
        expect(gzipped.headers["etag"]).not.toBe(etag)

        const refused = yield* nodeRequest(path, {
          method: "GET",
          headers: { "accept-encoding": "gzip;q=0, identity" }
        })
        expect(refused.headers["content-encoding"]).toBeUndefined()

        const revalidated = yield* nodeRequest(path, { method: "GET", headers: { "if-none-match": etag } })
        expect(revalidated.status).toBe(304)
        expect(revalidated.bytes.length).toBe(0)
        const revalidatedGzip = yield* nodeRequest(path, {
          method: "GET",
          headers: { "if-none-match": String(gzipped.headers["etag"]), "accept-encoding": "gzip" }
        })
        expect(revalidatedGzip.status).toBe(304)
        const stale = yield* nodeRequest(path, { method: "GET", headers: { "if-none-match": `"stale"` } })
        expect(stale.status).toBe(200)
      }
      // the docs page is the big one
      const docs = yield* nodeRequest("/docs", { method: "GET", headers: { "accept-encoding": "gzip" } })
      expect(docs.bytes.length).toBeLessThan(1024 * 1024)
    })
  )

  it.effect("an error lists at most 20 unknown parameters or fields, then says how many more", () =>
    Effect.gen(function* () {
      const names = Array.from({ length: 600 }, (_, i) => `p${i}`)
      const query = yield* raw(`/residents?${names.map((n) => `${n}=1`).join("&")}`, { token: tokens.junxinStaff })
      expect(query.status).toBe(400)
      expect(query.json.code).toBe("InvalidInput")
      const queryIssues = query.json.issues as ReadonlyArray<{ field: string; message: string }>
      expect(queryIssues).toHaveLength(21)
      expect(queryIssues.slice(0, 20).map((i) => i.field)).toEqual(names.slice(0, 20))
      expect(queryIssues[20]).toEqual({
        field: "query",
        message: "and 580 more issues not listed / 另有 580 个问题未列出"
      })
      expect(query.text.length).toBeLessThan(4096)
      expect(query.text).not.toContain('p20"')

      const fields = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}${"x".repeat(200)}`, 1]))
      const body = yield* raw("/residents", {
        method: "POST",
        token: tokens.junxinStaff,
        body: { displayName: "多字段", ...fields }
      })
      expect(body.status).toBe(400)
      const bodyIssues = body.json.issues as ReadonlyArray<{ field: string; message: string }>
      expect(bodyIssues).toHaveLength(21)
      expect(bodyIssues[20]).toEqual({
        field: "body",
        message: "and 280 more issues not listed / 另有 280 个问题未列出"
      })
      // a long unknown name is cut
      expect(Array.from(bodyIssues[0]?.field ?? "")).toHaveLength(101)
      expect(bodyIssues[0]?.field.endsWith("…")).toBe(true)
      expect(body.text.length).toBeLessThan(8192)
      // 20 or fewer are all listed, with no count
      const few = yield* raw(
        `/residents?${names
          .slice(0, 20)
          .map((n) => `${n}=1`)
          .join("&")}`,
        { token: tokens.junxinStaff }
      )
      expect(few.json.issues as ReadonlyArray<unknown>).toHaveLength(20)
    })
  )

  it.effect("a chunked body far over the limit, still being sent, is answered 413 (not a reset) and runs nothing", () =>
    Effect.gen(function* () {
      const url = yield* baseUrl
      const name = "超限分块"
      const response = yield* Effect.callback<{ status: number; text: string; error?: string }>((resume) => {
        const req = httpRequest(
          `${url}/residents`,
          {
            method: "POST",
            headers: { authorization: `Bearer ${tokens.junxinStaff}`, "content-type": "application/json" }
          },
          (res) => {
            let text = ""
            res.setEncoding("utf8")
            res.on("data", (chunk: string) => (text += chunk))
            res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, text })))
            res.on("error", (error) => resume(Effect.succeed({ status: 0, text, error: String(error) })))
          }
        )
        req.on("error", (error) => resume(Effect.succeed({ status: 0, text: "", error: String(error) })))
        // 6 MB in 64 KB chunks, one per millisecond: the upload is still going when the server answers
        req.write(`{"displayName":"${name}"`)
        const chunk = " ".repeat(64 * 1024)
        let sent = 0
        const next = () => {
          if (req.destroyed) return
          if (sent++ < 96) {
            req.write(chunk)
            setTimeout(next, 1)
          } else req.end("}")
        }
        next()
      })
      expect(response.error).toBeUndefined()
      expect(response.status).toBe(413)
      expect(JSON.parse(response.text)).toMatchObject({ code: "PayloadTooLarge", status: 413 })
      const search = yield* raw(`/residents?nameContains=${encodeURIComponent(name)}`, { token: tokens.junxinStaff })
      expect(search.json.items).toEqual([])
    })
  )
})

const ALLOWED = "https://centre.example"

layer(makeTestServer({ cors: { allowedOrigins: [ALLOWED] } }), { excludeTestServices: true })(
  "@commonweal/http issue 6 (CORS on)",
  (it) => {
    it.effect("an allowed origin gets the CORS headers and a working preflight; another origin gets none", () =>
      Effect.gen(function* () {
        const preflight = yield* raw("/residents", {
          method: "OPTIONS",
          headers: {
            origin: ALLOWED,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type, idempotency-key"
          }
        })
        expect(preflight.status).toBe(204)
        expect(preflight.headers.get("access-control-allow-origin")).toBe(ALLOWED)
        expect(preflight.headers.get("access-control-allow-methods")).toContain("POST")
        expect(preflight.headers.get("access-control-allow-methods")).toContain("PATCH")
        const allowedHeaders = (preflight.headers.get("access-control-allow-headers") ?? "")
          .toLowerCase()
          .split(/\s*,\s*/)
        expect(allowedHeaders).toEqual(expect.arrayContaining(["authorization", "content-type", "idempotency-key"]))
        expect(preflight.headers.get("access-control-allow-credentials")).toBeNull()

        const get = yield* raw("/communities/current", { token: tokens.junxinStaff, headers: { origin: ALLOWED } })
        expect(get.status).toBe(200)
        expect(get.headers.get("access-control-allow-origin")).toBe(ALLOWED)
        expect(get.headers.get("access-control-expose-headers")).toContain("location")
        expect(get.headers.get("vary")).toContain("Origin")
        // problem details too
        const denied = yield* raw("/communities/current", { headers: { origin: ALLOWED } })
        expect(denied.status).toBe(401)
        expect(denied.headers.get("access-control-allow-origin")).toBe(ALLOWED)

        for (const other of ["https://evil.example", "https://centre.example.evil.example", "null"]) {
          const response = yield* raw("/communities/current", { token: tokens.junxinStaff, headers: { origin: other } })
          expect(response.status).toBe(200)
          expect([...response.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([])
          const otherPreflight = yield* raw("/residents", {
            method: "OPTIONS",
            headers: { origin: other, "access-control-request-method": "POST" }
          })
          expect(otherPreflight.status).toBeGreaterThanOrEqual(400)
          expect([...otherPreflight.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([])
        }
      })
    )
  }
)

describe("redactInvalidInput", () => {
  test("caps any InvalidInput on the wire at 20 issues plus a count, and cuts long field names", () => {
    const issues = Array.from({ length: 45 }, (_, i) => ({
      field: `f${i}${"名".repeat(i === 0 ? 300 : 0)}`,
      message: "is required / 必填项"
    }))
    const error = new InvalidInput({ field: issues[0]!.field, message: "bad / 输入无效", issues })
    const redacted = redactInvalidInput(error)
    expect(redacted.issues).toHaveLength(21)
    expect(redacted.issues[20]).toEqual({
      field: "input",
      message: "and 25 more issues not listed / 另有 25 个问题未列出"
    })
    expect(Array.from(redacted.field)).toHaveLength(101)
    expect(Array.from(redacted.issues[0]!.field)).toHaveLength(101)
    // capping twice changes nothing
    expect(redactInvalidInput(redacted).issues).toEqual(redacted.issues)
    // 20 issues are all listed
    expect(
      redactInvalidInput(new InvalidInput({ field: "f0", message: "x", issues: issues.slice(1, 21) })).issues
    ).toHaveLength(20)
  })
})
