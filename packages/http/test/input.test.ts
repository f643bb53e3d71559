/**
 * Regression tests of the request-input findings: body size limit (413), content types (415),
 * unknown query parameters and body fields (400), and bilingual, value-free decode messages.
 */
import { request as httpRequest } from "node:http"
import { layer } from "@effect/vitest"
import { Effect } from "effect"
import { expect } from "vitest"
import { PROBLEM_CONTENT_TYPE } from "../src/index.js"
import type { RawResponse } from "./fixture.js"
import { baseUrl, makeTestServer, raw, TestServer, tokens } from "./fixture.js"

const CJK = /[\u4e00-\u9fff]/

/** A valid JSON body of `bytes` bytes (padded with whitespace) that registers a resident if it is read. */
const bigBody = (bytes: number) => {
  const json = JSON.stringify({ displayName: "大" })
  return json + " ".repeat(Math.max(0, bytes - Buffer.byteLength(json)))
}

const post = (
  path: string,
  rawBody: string,
  headers: Record<string, string> = { "content-type": "application/json" }
) => raw(path, { method: "POST", token: tokens.junxinStaff, rawBody, headers })

/** A POST with a chunked body (no Content-Length), through node:http; a connection reset is `status: 0`. */
const postChunked = (path: string, chunks: ReadonlyArray<string>) =>
  Effect.flatMap(baseUrl, (url) =>
    Effect.callback<{ status: number; json: Record<string, unknown> }>((resume) => {
      const req = httpRequest(
        `${url}${path}`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.junxinStaff}`, "content-type": "application/json" }
        },
        (res) => {
          let text = ""
          res.setEncoding("utf8")
          res.on("data", (chunk: string) => (text += chunk))
          res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, json: JSON.parse(text) })))
        }
      )
      req.on("error", () => resume(Effect.succeed({ status: 0, json: {} })))
      for (const chunk of chunks) req.write(chunk)
      req.end()
    })
  )

const expectProblem = (response: RawResponse, status: number, code: string) => {
  expect(response.status).toBe(status)
  expect(response.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
  expect(response.json).toMatchObject({ status, code })
  expect(String(response.json.detail)).toMatch(CJK)
}

const issuesOf = (response: RawResponse) => response.json.issues as ReadonlyArray<{ field: string; message: string }>

layer(TestServer, { excludeTestServices: true })("@commonweal/http request input", (it) => {
  it.effect("413: a body over the default 1 MB limit is refused, also with an Idempotency-Key", () =>
    Effect.gen(function* () {
      const body = bigBody(2 * 1024 * 1024)
      expectProblem(yield* post("/residents", body), 413, "PayloadTooLarge")
      const keyed = yield* post("/residents", body, { "content-type": "application/json", "idempotency-key": "big-1" })
      expectProblem(keyed, 413, "PayloadTooLarge")
      // under the limit is fine
      const small = yield* post("/residents", bigBody(512 * 1024))
      expect(small.status).toBe(201)
    })
  )

  it.effect("a chunked body (no Content-Length) is read no further than the limit", () =>
    Effect.gen(function* () {
      const chunk = " ".repeat(64 * 1024)
      const over = yield* postChunked("/residents", [
        `{"displayName":"大"}`,
        ...Array.from({ length: 24 }, () => chunk)
      ])
      // The server stops reading at the limit and answers 413 before it closes the connection
      // (see README); never a connection reset, a 201 or a 5xx.
      expect(over.status).toBe(413)
      expect(over.json.code).toBe("PayloadTooLarge")
      const under = yield* postChunked("/residents", [`{"displayName":"大"}`, chunk])
      expect(under.status).toBe(201)
    })
  )

  it.effect("400, never 500: deeply nested JSON, anywhere in the body", () =>
    Effect.gen(function* () {
      const open = yield* post("/residents", "[".repeat(100_000))
      expectProblem(open, 400, "InvalidInput")
      expect(open.json.field).toBe("body")
      const nested = yield* post("/residents", `[${"[".repeat(100_000)}${"]".repeat(100_000)}]`)
      expect(nested.status).toBe(400)
      const inField = yield* post(
        "/residents",
        `{"displayName":"深","tags":${"[".repeat(50_000)}${"]".repeat(50_000)}}`
      )
      expect(inField.status).toBe(400)
      const keyed = yield* post("/residents", "[".repeat(100_000), {
        "content-type": "application/json",
        "idempotency-key": "deep-1"
      })
      expect(keyed.status).toBe(400)
    })
  )

  it.effect("415: a body that is not JSON (a form, text) is refused before any handler runs", () =>
    Effect.gen(function* () {
      const form = yield* post("/residents", "displayName=x", { "content-type": "application/x-www-form-urlencoded" })
      expectProblem(form, 415, "UnsupportedMediaType")
      const text = yield* post("/residents", `{"displayName":"x"}`, { "content-type": "text/plain" })
      expectProblem(text, 415, "UnsupportedMediaType")
      const none = yield* raw("/residents/00000000-0000-7000-8000-000000000000/erase", {
        method: "POST",
        token: tokens.junxinStaff,
        rawBody: "x=1",
        headers: { "content-type": "application/x-www-form-urlencoded" }
      })
      expect(none.status).toBe(415)
      const keyed = yield* post("/residents", "displayName=x", {
        "content-type": "application/x-www-form-urlencoded",
        "idempotency-key": "form-1"
      })
      expect(keyed.status).toBe(415)
      // JSON with a charset, and a +json type, are JSON
      const charset = yield* post("/residents", `{"displayName":"字符集"}`, {
        "content-type": "application/json; charset=utf-8"
      })
      expect(charset.status).toBe(201)
      const plus = yield* post("/residents", `{"displayName":"加号"}`, {
        "content-type": "application/vnd.commonweal+json"
      })
      expect(plus.status).toBe(201)
      // no body, no content type needed
      const search = yield* raw("/residents", { token: tokens.junxinStaff })
      expect(search.status).toBe(200)
    })
  )

  it.effect("400: an unknown query parameter on search is named, not ignored", () =>
    Effect.gen(function* () {
      const typo = yield* raw("/residents?lanuage=gan", { token: tokens.junxinStaff })
      expectProblem(typo, 400, "InvalidInput")
      expect(typo.json.field).toBe("lanuage")
      expect(issuesOf(typo)[0]?.message).toMatch(CJK)
      const paged = yield* raw("/residents?language=gan&limit=5&cursor=", { token: tokens.junxinStaff })
      expect(paged.status).not.toBe(500)
      const ok = yield* raw("/residents?language=gan&limit=5", { token: tokens.junxinStaff })
      expect(ok.status).toBe(200)
    })
  )

  it.effect("400: an unknown body field is named, on every payload", () =>
    Effect.gen(function* () {
      const register = yield* post("/residents", JSON.stringify({ displayName: "多余", displayNam: "typo" }))
      expectProblem(register, 400, "InvalidInput")
      expect(issuesOf(register).map((i) => i.field)).toContain("displayNam")
      const created = yield* post("/residents", JSON.stringify({ displayName: "多余乙" }))
      expect(created.status).toBe(201)
      const id = String(created.json.id)
      const update = yield* raw(`/residents/${id}`, {
        method: "PATCH",
        token: tokens.junxinStaff,
        body: { expectedVersion: created.json.version, patch: { phonee: "13800001111" } }
      })
      expect(update.status).toBe(400)
      expect(update.json.field).toBe("patch.phonee")
      const deactivate = yield* post(`/residents/${id}/deactivate`, JSON.stringify({ reason: "moved_away", note: "x" }))
      expect(deactivate.status).toBe(400)
      expect(deactivate.json.field).toBe("note")
      const nested = yield* post(
        "/residents",
        JSON.stringify({ displayName: "嵌套", languages: [{ language: "gan", proficiency: "native", level: 3 }] })
      )
      expect(nested.status).toBe(400)
      expect(nested.json.field).toBe("languages.0.level")
    })
  )

  it.effect("400 messages: no echoed values, one issue per failed choice, no null/undefined noise, Chinese", () =>
    Effect.gen(function* () {
      const age = yield* raw(`/residents?minAge=${encodeURIComponent("周赛群")}`, { token: tokens.junxinStaff })
      expectProblem(age, 400, "InvalidInput")
      expect(age.text).not.toContain("周赛群")
      expect(age.json.field).toBe("minAge")
      expect(issuesOf(age)).toHaveLength(1)
      expect(issuesOf(age)[0]?.message).toMatch(CJK)

      const limit = yield* raw("/residents?limit=abc", { token: tokens.junxinStaff })
      expect(limit.status).toBe(400)
      expect(limit.text).not.toContain("abc")
      expect(String(limit.json.detail)).toMatch(CJK)

      const tag = yield* raw("/residents?tag=nope", { token: tokens.junxinStaff })
      expect(tag.status).toBe(400)
      expect(issuesOf(tag)).toHaveLength(1)
      expect(issuesOf(tag)[0]).toEqual({ field: "tag", message: expect.stringContaining("须为以下之一") })
      expect(tag.text).not.toContain("nope")

      const long = yield* raw(`/residents?nameContains=${"周".repeat(50)}`, { token: tokens.junxinStaff })
      expect(long.status).toBe(400)
      expect(issuesOf(long)[0]?.message).toMatch(/40/)
      expect(long.text).not.toContain("周".repeat(50))

      const created = yield* post("/residents", JSON.stringify({ displayName: "空值" }))
      const nullable = yield* raw(`/residents/${String(created.json.id)}`, {
        method: "PATCH",
        token: tokens.junxinStaff,
        body: {
          expectedVersion: created.json.version,
          patch: {
            phone: 13800001111,
            birthYear: "一九五零",
            health: { conditions: 1 },
            languages: [{ language: "zz" }]
          }
        }
      })
      expect(nullable.status).toBe(400)
      expect(issuesOf(nullable).map((i) => i.field)).toEqual(
        expect.arrayContaining(["patch.phone", "patch.birthYear", "patch.health.conditions"])
      )
      const messages = issuesOf(nullable).map((i) => i.message)
      expect(messages.some((m) => /Expected (null|undefined)/.test(m))).toBe(false)
      for (const message of messages) expect(message).toMatch(CJK)
      expect(String(nullable.json.detail)).toMatch(CJK)
      expect(nullable.text).not.toContain("一九五零")
    })
  )

  it.effect("400 messages over HTTP: a list too long says items, a text too long characters, a choice its values", () =>
    Effect.gen(function* () {
      const SECRET = "周赛群"
      // checked while the request is decoded
      const decoded = yield* post(
        "/residents",
        JSON.stringify({
          displayName: "多项",
          skills: Array.from({ length: 31 }, (_, i) => `skill${i}`),
          tags: [SECRET],
          homePlace: { province: SECRET },
          location: { building: "3", coordinates: { lat: 91, lng: 0 } },
          birthYear: 2201
        })
      )
      expectProblem(decoded, 400, "InvalidInput")
      expect(issuesOf(decoded)).toEqual(
        expect.arrayContaining([
          { field: "skills", message: "must have at most 30 items / 最多 30 项" },
          {
            field: "tags.0",
            message: expect.stringMatching(
              /^must be one of migrant_elderly, child, .* \/ 须为以下之一：migrant_elderly、child、/
            )
          },
          { field: "homePlace.province", message: "must be a province key such as jiangxi / 省份无效" },
          {
            field: "location.coordinates.lat",
            message: "must be a latitude from -90 to 90 / 纬度须在 -90 到 90 之间"
          },
          { field: "birthYear", message: "must be 2200 or earlier / 出生年份须不晚于 2200" }
        ])
      )
      expect(issuesOf(decoded)).toHaveLength(5)
      expect(decoded.text).not.toContain(SECRET)
      // a text too long: in the body (checked by the service) and in the query
      const name = yield* post("/residents", JSON.stringify({ displayName: SECRET.repeat(14) }))
      expectProblem(name, 400, "InvalidInput")
      expect(issuesOf(name)).toEqual([
        { field: "displayName", message: "must be at most 40 characters / 最多 40 个字符" }
      ])
      expect(name.text).not.toContain(SECRET)
      const search = yield* raw(`/residents?nameContains=${encodeURIComponent(SECRET.repeat(14))}`, {
        token: tokens.junxinStaff
      })
      expectProblem(search, 400, "InvalidInput")
      expect(issuesOf(search)).toEqual([
        { field: "nameContains", message: "must be at most 40 characters / 最多 40 个字符" }
      ])
      expect(search.text).not.toContain(SECRET)
    })
  )
})

layer(makeTestServer({ maxBodySize: 1024 }), { excludeTestServices: true })(
  "@commonweal/http body limit option",
  (it) => {
    it.effect("makeHttpLayer({ maxBodySize }) sets the limit", () =>
      Effect.gen(function* () {
        expectProblem(yield* post("/residents", bigBody(2048)), 413, "PayloadTooLarge")
        expect((yield* post("/residents", bigBody(100))).status).toBe(201)
      })
    )
  }
)
