/** What the server logs: no query strings, no request bodies, no decoded records. */
import { layer } from "@effect/vitest"
import { Effect, Layer, Logger } from "effect"
import { expect } from "vitest"
import { DEFECT_NAME_PREFIX, makeTestServer, raw, tokens } from "./fixture.js"

const lines: Array<string> = []
const Capture = Logger.layer([
  Logger.make((options) => {
    lines.push(Logger.formatLogFmt.log(options))
  })
])

const LoggingServer = makeTestServer({ logRequests: true }).pipe(Layer.provide(Capture))

layer(LoggingServer, { excludeTestServices: true })("logging", (it) => {
  it.effect("the request log has the path without the query string", () =>
    Effect.gen(function* () {
      lines.length = 0
      const response = yield* raw(`/residents?nameContains=${encodeURIComponent("周赛群")}&limit=5`, {
        token: tokens.junxinStaff
      })
      expect(response.status).toBe(200)
      const log = lines.join("\n")
      expect(log).toContain("Sent HTTP response")
      expect(log).toContain("/residents")
      expect(log).not.toContain("nameContains")
      expect(log).not.toContain("周赛群")
      expect(log).not.toContain(encodeURIComponent("周赛群"))
    })
  )

  it.effect("a defect is logged as name/message with the correlation id of the 500's instance, without its data", () =>
    Effect.gen(function* () {
      lines.length = 0
      const name = `${DEFECT_NAME_PREFIX}周赛群`
      const response = yield* raw(`/residents?nameContains=${encodeURIComponent("周赛群")}`, {
        method: "POST",
        token: tokens.junxinStaff,
        body: { displayName: name, phone: "13812345678", health: { conditions: ["高血压"] } }
      })
      expect(response.status).toBe(500)
      expect(response.json.code).toBe("InternalError")
      const instance = String(response.json.instance)
      expect(instance).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
      const log = lines.join("\n")
      expect(log).toContain("unexpected failure in the HTTP API")
      expect(log).toContain(instance.slice("urn:uuid:".length))
      for (const secret of ["周赛群", "13812345678", "高血压", "storage exploded", "nameContains"]) {
        expect(log).not.toContain(secret)
      }
      expect(response.text).not.toContain("周赛群")
    })
  )
})
