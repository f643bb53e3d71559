import type { ResidentFullView, ResidentView } from "@commonweal/core"
import { GridCode, ResidentId } from "@commonweal/core"
import { layer } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { expect } from "vitest"
import { PROBLEM_CONTENT_TYPE } from "../src/index.js"
import { client, currentYear, GULI, JUNXIN, raw, SLOW_NAME_PREFIX, TestServer, tokens } from "./fixture.js"

const full = (view: ResidentView): ResidentFullView => {
  if (view._tag !== "Full") throw new Error(`expected the full view, got ${view._tag}`)
  return view
}

/** An id that is a valid UUIDv7 but names no resident. */
const unknownId = ResidentId.make("01936a1e-7c00-7000-8000-0000000fffff")

/** 周赛群: 90, from Jiangxi, speaks Gan (南昌话). */
const zhouSaiqun = () => ({
  displayName: "周赛群",
  birthYear: currentYear() - 90,
  grid: "JX-01",
  tags: ["migrant_elderly" as const],
  homePlace: { province: "jiangxi" as const, city: "南昌" },
  languages: [
    { language: "gan" as const, dialect: "南昌话", proficiency: "native" as const },
    { language: "cmn" as const, proficiency: "basic" as const }
  ],
  phone: "13812345678",
  consents: [{ purpose: "registry" as const, grantedBy: { _tag: "Self" as const } }]
})

layer(TestServer, { excludeTestServices: true })("@commonweal/http over a real server", (it) => {
  it.effect("GET /health needs no token", () =>
    Effect.gen(function* () {
      const anonymous = yield* client()
      expect(yield* anonymous.health.check()).toEqual({ status: "ok", version: "0.1.0" })
    })
  )

  it.effect("communities: the actor's own, and 404 for another community", () =>
    Effect.gen(function* () {
      const staff = yield* client(tokens.junxinStaff)
      const current = yield* staff.communities.current()
      expect(current.name).toBe("君馨社区")
      expect(current.timeZone).toBe("Asia/Shanghai")
      expect(current.grids.map((g) => g.code)).toContain("JX-01")
      expect((yield* staff.communities.get({ params: { id: JUNXIN } })).id).toBe(JUNXIN)
      const other = yield* Effect.flip(staff.communities.get({ params: { id: GULI } }))
      expect(other._tag).toBe("NotFound")
      const guli = yield* client(tokens.guliStaff)
      expect((yield* guli.communities.current()).name).toBe("顾里小站")
    })
  )

  it.effect("registers 周赛群 (201), reads her back, updates her, and refuses a stale version (409)", () =>
    Effect.gen(function* () {
      const staff = yield* client(tokens.junxinStaff)
      const [created, response] = yield* staff.residents.register({
        payload: zhouSaiqun(),
        headers: {},
        responseMode: "decoded-and-response"
      })
      expect(response.status).toBe(201)
      const zhou = full(created)
      expect(zhou.communityId).toBe(JUNXIN)
      expect(zhou.version).toBe(1)
      expect(zhou.homePlace).toEqual({ province: "jiangxi", city: "南昌" })
      expect(zhou.languages[0]).toEqual({ language: "gan", dialect: "南昌话", proficiency: "native" })
      expect(zhou.birthYear).toBe(currentYear() - 90)

      const [read, readResponse] = yield* staff.residents.get({
        params: { id: zhou.id },
        responseMode: "decoded-and-response"
      })
      expect(readResponse.status).toBe(200)
      expect(full(read).displayName).toBe("周赛群")

      const updated = full(
        yield* staff.residents.update({
          params: { id: zhou.id },
          payload: { expectedVersion: 1, patch: { skills: ["paper_cutting"], phone: "13912345678" } }
        })
      )
      expect(updated.version).toBe(2)
      expect(updated.skills).toEqual(["paper_cutting"])
      expect(updated.phone).toBe("13912345678")

      const stale = yield* Effect.flip(
        staff.residents.update({
          params: { id: zhou.id },
          payload: { expectedVersion: 1, patch: { skills: [] } }
        })
      )
      expect(stale._tag).toBe("Conflict")
      if (stale._tag === "Conflict") expect(stale.reason).toBe("stale_version")
    })
  )

  it.effect("consents, guardian and household links, deactivation and erasure", () =>
    Effect.gen(function* () {
      const staff = yield* client(tokens.junxinStaff)
      const mother = full(
        yield* staff.residents.register({
          payload: { displayName: "陈静", birthYear: 1990, tags: ["parent"], grid: "JX-02" },
          headers: {}
        })
      )
      const child = full(
        yield* staff.residents.register({
          payload: { displayName: "乐乐", birthYear: 2017, tags: ["child"], grid: "JX-02" },
          headers: {}
        })
      )

      const linked = full(
        yield* staff.residents.linkGuardian({
          params: { id: child.id },
          payload: { guardianId: mother.id },
          headers: {}
        })
      )
      expect(linked.guardianIds).toEqual([mother.id])

      // under 14: the consent comes from the guardian
      const consented = full(
        yield* staff.residents.recordConsent({
          params: { id: child.id },
          payload: { purpose: "photos", grantedBy: { _tag: "Guardian", guardianId: mother.id } },
          headers: {}
        })
      )
      expect(consented.consents.map((c) => c.purpose)).toContain("photos")
      const withdrawn = full(yield* staff.residents.withdrawConsent({ params: { id: child.id, purpose: "photos" } }))
      expect(withdrawn.consents.find((c) => c.purpose === "photos")?.withdrawnAt).not.toBeNull()
      const household = full(
        yield* staff.residents.linkHousehold({
          params: { id: child.id },
          payload: { withResidentId: mother.id },
          headers: {}
        })
      )
      expect(household.householdId).not.toBeNull()
      expect(full(yield* staff.residents.get({ params: { id: mother.id } })).householdId).toBe(household.householdId)
      const unlinked = full(yield* staff.residents.unlinkGuardian({ params: { id: child.id, guardianId: mother.id } }))
      expect(unlinked.guardianIds).toEqual([])

      const inactive = full(
        yield* staff.residents.deactivate({
          params: { id: mother.id },
          payload: { reason: "moved_away" },
          headers: {}
        })
      )
      expect(inactive.status).toBe("inactive")
      expect(full(yield* staff.residents.reactivate({ params: { id: mother.id }, headers: {} })).status).toBe("active")

      const erased = full(yield* staff.residents.erase({ params: { id: child.id }, headers: {} }))
      expect(erased.status).toBe("erased")
      expect(erased.displayName).not.toBe("乐乐")
      expect(erased.phone).toBeNull()
      const again = yield* Effect.flip(staff.residents.erase({ params: { id: child.id }, headers: {} }))
      expect(again._tag).toBe("InvalidTransition")
    })
  )

  it.effect("searches by language, province and tag, cursor-paged over several pages", () =>
    Effect.gen(function* () {
      const staff = yield* client(tokens.junxinGrid)
      const names = ["赣一", "赣二", "赣三", "赣四", "赣五", "赣六", "赣七"]
      const ids = new Set<string>()
      for (const displayName of names) {
        const view = yield* staff.residents.register({
          payload: {
            displayName,
            birthYear: 1950,
            grid: "JX-05",
            tags: ["migrant_elderly"],
            homePlace: { province: "jiangxi" },
            languages: [{ language: "gan", dialect: "赣州话", proficiency: "native" }]
          },
          headers: {}
        })
        ids.add(view.id)
      }
      // in the same grid, but not matching: another language, another province, another tag
      yield* staff.residents.register({
        payload: {
          displayName: "沪一",
          grid: "JX-05",
          tags: ["migrant_elderly"],
          homePlace: { province: "shanghai" },
          languages: [{ language: "wuu", proficiency: "native" }]
        },
        headers: {}
      })
      yield* staff.residents.register({
        payload: {
          displayName: "赣八",
          grid: "JX-05",
          tags: ["retiree"],
          homePlace: { province: "jiangxi" },
          languages: [{ language: "gan", proficiency: "native" }]
        },
        headers: {}
      })

      const seen: Array<string> = []
      let cursor: string | undefined
      let pages = 0
      do {
        const page: { readonly items: ReadonlyArray<ResidentView>; readonly nextCursor: string | null } =
          yield* staff.residents.search({
            query: {
              grid: GridCode.make("JX-05"),
              language: "gan",
              homeProvince: "jiangxi",
              tag: "migrant_elderly",
              limit: 3,
              cursor
            }
          })
        pages++
        expect(page.items.length).toBeLessThanOrEqual(3)
        seen.push(...page.items.map((r) => r.id))
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined && pages < 10)
      expect(pages).toBe(3)
      expect(seen.length).toBe(7)
      expect(new Set(seen)).toEqual(ids)

      const byDialect = yield* staff.residents.search({ query: { dialect: "赣州话", grid: GridCode.make("JX-05") } })
      expect(byDialect.items.length).toBe(7)
      const older = yield* staff.residents.search({
        query: { grid: GridCode.make("JX-05"), minAge: currentYear() - 1950 }
      })
      expect(older.items.map((r) => r.displayName).sort()).toEqual([...names].sort())
    })
  )

  it.effect("400: a bad cursor, a future birth year, a bad query parameter", () =>
    Effect.gen(function* () {
      const staff = yield* client(tokens.junxinStaff)
      const badCursor = yield* Effect.flip(staff.residents.search({ query: { cursor: "not-a-cursor" } }))
      expect(badCursor._tag).toBe("InvalidInput")
      if (badCursor._tag === "InvalidInput") expect(badCursor.field).toBe("cursor")

      const future = yield* Effect.flip(
        staff.residents.register({
          payload: { displayName: "未来人", birthYear: currentYear() + 1 },
          headers: {}
        })
      )
      expect(future._tag).toBe("InvalidInput")
      if (future._tag === "InvalidInput") expect(future.field).toBe("birthYear")

      const empty = yield* Effect.flip(staff.residents.register({ payload: { displayName: "   " }, headers: {} }))
      expect(empty._tag).toBe("InvalidInput")
      if (empty._tag === "InvalidInput") expect(empty.field).toBe("displayName")

      const minAge = yield* raw("/residents?minAge=old", { token: tokens.junxinStaff })
      expect(minAge.status).toBe(400)
      expect(minAge.json.field).toBe("minAge")
      const badId = yield* raw("/residents/not-an-id", { token: tokens.junxinStaff })
      expect(badId.status).toBe(400)
      expect(badId.json.field).toBe("id")
    })
  )

  it.effect("400 problem details name the field: bad phone, unknown language, empty name (raw HTTP)", () =>
    Effect.gen(function* () {
      const post = (body: unknown) => raw("/residents", { method: "POST", token: tokens.junxinStaff, body })

      const phone = yield* post({ displayName: "李四", phone: "12345" })
      expect(phone.status).toBe(400)
      expect(phone.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
      expect(phone.json).toMatchObject({
        type: "urn:commonweal:problem:invalid-input",
        title: "Invalid Input",
        status: 400,
        code: "InvalidInput",
        field: "phone",
        instance: "/residents"
      })
      expect(phone.json.detail).toContain("手机号码")
      expect(phone.json.issues).toEqual([{ field: "phone", message: expect.stringContaining("11-digit") }])

      const language = yield* post({ displayName: "李四", languages: [{ language: "klingon", proficiency: "native" }] })
      expect(language.status).toBe(400)
      expect(language.json.field).toBe("languages.0.language")

      const name = yield* post({ displayName: "  " })
      expect(name.status).toBe(400)
      expect(name.json.field).toBe("displayName")
      expect(name.json.code).toBe("InvalidInput")

      const notObject = yield* raw("/residents", { method: "POST", token: tokens.junxinStaff, body: [] })
      expect(notObject.status).toBe(400)
      const malformed = yield* raw("/residents", {
        method: "POST",
        token: tokens.junxinStaff,
        headers: { "content-type": "application/json" },
        rawBody: `{"displayName": "李`
      })
      expect(malformed.status).toBe(400)
      expect(malformed.json).toMatchObject({ code: "InvalidInput", field: "body" })
    })
  )

  it.effect("401: no token, an unknown token, another scheme; with WWW-Authenticate", () =>
    Effect.gen(function* () {
      const anonymous = yield* client()
      const missing = yield* Effect.flip(anonymous.residents.search({ query: {} }))
      expect(missing._tag).toBe("Unauthorized")
      if (missing._tag === "Unauthorized") expect(missing.reason).toBe("missing_token")
      const forged = yield* client("tok-forged")
      const invalid = yield* Effect.flip(forged.communities.current())
      expect(invalid._tag).toBe("Unauthorized")
      if (invalid._tag === "Unauthorized") expect(invalid.reason).toBe("invalid_token")

      const none = yield* raw("/residents")
      expect(none.status).toBe(401)
      expect(none.headers.get("www-authenticate")).toBe(`Bearer realm="commonweal"`)
      expect(none.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
      const bad = yield* raw("/residents", { token: "tok-forged" })
      expect(bad.headers.get("www-authenticate")).toContain(`error="invalid_token"`)
      const basic = yield* raw("/residents", { headers: { authorization: `Basic ${tokens.junxinStaff}` } })
      expect(basic.status).toBe(401)
    })
  )

  it.effect("403: a volunteer may not register; sees the reduced view", () =>
    Effect.gen(function* () {
      const volunteer = yield* client(tokens.junxinVolunteer)
      const refused = yield* Effect.flip(
        volunteer.residents.register({ payload: { displayName: "志愿者登记" }, headers: {} })
      )
      expect(refused._tag).toBe("Forbidden")
      const raw403 = yield* raw("/residents", {
        method: "POST",
        token: tokens.junxinVolunteer,
        body: { displayName: "x" }
      })
      expect(raw403.status).toBe(403)
      expect(raw403.json.code).toBe("Forbidden")

      const staff = yield* client(tokens.junxinStaff)
      const someone = yield* staff.residents.register({
        payload: { displayName: "王五", phone: "13700001111" },
        headers: {}
      })
      const seen = yield* volunteer.residents.get({ params: { id: someone.id } })
      expect(seen._tag).toBe("Reduced")
    })
  )

  it.effect("404: an unknown resident, an unknown route", () =>
    Effect.gen(function* () {
      const staff = yield* client(tokens.junxinStaff)
      const missing = yield* Effect.flip(staff.residents.get({ params: { id: unknownId } }))
      expect(missing._tag).toBe("NotFound")
      if (missing._tag === "NotFound") expect(missing.entity).toBe("Resident")
      const route = yield* raw("/nowhere", { token: tokens.junxinStaff })
      expect(route.status).toBe(404)
      expect(route.headers.get("content-type")).toContain(PROBLEM_CONTENT_TYPE)
      expect(route.json.code).toBe("RouteNotFound")
    })
  )

  it.effect("tenancy: Gu Li staff cannot read, update or erase a Junxin resident, and never find one", () =>
    Effect.gen(function* () {
      const junxin = yield* client(tokens.junxinStaff)
      const guli = yield* client(tokens.guliStaff)
      const local = full(
        yield* junxin.residents.register({ payload: { displayName: "君馨居民", tags: ["retiree"] }, headers: {} })
      )
      yield* guli.residents.register({ payload: { displayName: "顾里居民", tags: ["retiree"] }, headers: {} })

      const read = yield* Effect.flip(guli.residents.get({ params: { id: local.id } }))
      expect(read._tag).toBe("NotFound")
      const update = yield* Effect.flip(
        guli.residents.update({
          params: { id: local.id },
          payload: { expectedVersion: local.version, patch: { displayName: "改名" } }
        })
      )
      expect(update._tag).toBe("NotFound")
      const erase = yield* Effect.flip(guli.residents.erase({ params: { id: local.id }, headers: {} }))
      expect(erase._tag).toBe("NotFound")
      expect(full(yield* junxin.residents.get({ params: { id: local.id } })).displayName).toBe("君馨居民")

      const found = yield* guli.residents.search({ query: { tag: "retiree", limit: 200 } })
      expect(found.items.length).toBeGreaterThan(0)
      expect(found.items.every((r) => r.communityId === GULI)).toBe(true)
      expect(found.items.some((r) => r.id === local.id)).toBe(false)
      const all = yield* guli.residents.search({ query: { limit: 200 } })
      expect(all.items.every((r) => r.communityId === GULI)).toBe(true)
    })
  )

  it.effect("Idempotency-Key: a retried POST replays the first response and creates one resident", () =>
    Effect.gen(function* () {
      const staff = yield* client(tokens.junxinStaff)
      const payload = { displayName: "幂等测试", grid: "JX-02", tags: ["volunteer" as const] }
      const headers = { "idempotency-key": "reg-7f3a" }
      const [first, firstResponse] = yield* staff.residents.register({
        payload,
        headers,
        responseMode: "decoded-and-response"
      })
      const [second, secondResponse] = yield* staff.residents.register({
        payload,
        headers,
        responseMode: "decoded-and-response"
      })
      expect(firstResponse.status).toBe(201)
      expect(secondResponse.status).toBe(201)
      expect(secondResponse.headers["idempotent-replayed"]).toBe("true")
      expect(firstResponse.headers["idempotent-replayed"]).toBeUndefined()
      expect(second).toEqual(first)
      const named = yield* staff.residents.search({ query: { nameContains: "幂等测试" } })
      expect(named.items.length).toBe(1)

      // the same key with another body is refused, and runs nothing
      const reused = yield* Effect.flip(
        staff.residents.register({ payload: { ...payload, displayName: "幂等测试二" }, headers })
      )
      expect(reused._tag).toBe("IdempotencyKeyReused")
      const raw422 = yield* raw("/residents", {
        method: "POST",
        token: tokens.junxinStaff,
        body: { displayName: "幂等测试三" },
        headers
      })
      expect(raw422.status).toBe(422)
      expect(raw422.json.code).toBe("IdempotencyKeyReused")
      expect((yield* staff.residents.search({ query: { nameContains: "幂等测试" } })).items.length).toBe(1)

      // keys are per actor: the same key from another account is a new request
      const grid = yield* client(tokens.junxinGrid)
      const other = yield* grid.residents.register({ payload, headers })
      expect(other.id).not.toBe(first.id)

      // a success of a command on an existing resident is replayed too (and the command is not run again)
      const eraseKey = { "idempotency-key": "upd-erase-1" }
      const target = yield* staff.residents.register({ payload: { displayName: "删除测试" }, headers: {} })
      const erased = yield* staff.residents.erase({ params: { id: target.id }, headers: eraseKey })
      expect(erased.status).toBe("erased")
      const [replayed, replayedResponse] = yield* staff.residents.erase({
        params: { id: target.id },
        headers: eraseKey,
        responseMode: "decoded-and-response"
      })
      expect(replayedResponse.status).toBe(200)
      expect(replayedResponse.headers["idempotent-replayed"]).toBe("true")
      expect(replayed).toEqual(erased)

      // an error is not remembered: the failed command left nothing, and its retry runs again
      const againKey = { "idempotency-key": "upd-erase-2" }
      for (let attempt = 0; attempt < 2; attempt++) {
        const again = yield* raw(`/residents/${target.id}/erase`, {
          method: "POST",
          token: tokens.junxinStaff,
          headers: againKey
        })
        expect(again.status).toBe(409)
        expect(again.json.code).toBe("InvalidTransition")
        expect(again.headers.get("idempotent-replayed")).toBeNull()
      }
    })
  )

  it.effect("Idempotency-Key: concurrent requests with one key run once; the others wait and replay it", () =>
    Effect.gen(function* () {
      const staff = yield* client(tokens.junxinStaff)
      const payload = { displayName: "并发测试" }
      const headers = { "idempotency-key": "concurrent-1" }
      const results = yield* Effect.all(
        Array.from({ length: 5 }, () =>
          staff.residents.register({ payload, headers, responseMode: "decoded-and-response" })
        ),
        { concurrency: "unbounded" }
      )
      expect(new Set(results.map(([view]) => view.id)).size).toBe(1)
      expect(results.map(([, response]) => response.status)).toEqual([201, 201, 201, 201, 201])
      const replayed = results.filter(([, response]) => response.headers["idempotent-replayed"] === "true")
      expect(replayed.length).toBe(4)
      expect((yield* staff.residents.search({ query: { nameContains: "并发测试" } })).items.length).toBe(1)
    })
  )

  it.effect("Idempotency-Key: while the first request runs, a second one with the key waits and replays it", () =>
    Effect.gen(function* () {
      const staff = yield* client(tokens.junxinStaff)
      const payload = { displayName: `${SLOW_NAME_PREFIX}请求` }
      const headers = { "idempotency-key": "slow-1" }
      const first = yield* Effect.forkChild(staff.residents.register({ payload, headers }))
      yield* Effect.sleep("100 millis")
      const [second, secondResponse] = yield* staff.residents.register({
        payload,
        headers,
        responseMode: "decoded-and-response"
      })
      const created = yield* Fiber.join(first)
      expect(second.id).toBe(created.id)
      expect(secondResponse.status).toBe(201)
      expect(secondResponse.headers["idempotent-replayed"]).toBe("true")
      expect((yield* staff.residents.search({ query: { nameContains: payload.displayName } })).items.length).toBe(1)
    })
  )

  it.effect("problem details over raw HTTP: RFC 9457 members and the media type", () =>
    Effect.gen(function* () {
      const response = yield* raw(`/residents/${unknownId}`, { token: tokens.junxinStaff })
      expect(response.status).toBe(404)
      expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE)
      expect(response.json).toEqual({
        type: "urn:commonweal:problem:not-found",
        title: "Not Found",
        status: 404,
        detail: `Resident ${unknownId} not found / 未找到该记录`,
        code: "NotFound",
        instance: `/residents/${unknownId}`,
        entity: "Resident",
        id: unknownId
      })
    })
  )

  it.effect("/openapi.json documents the paths, security and problem responses", () =>
    Effect.gen(function* () {
      const response = yield* raw("/openapi.json")
      expect(response.status).toBe(200)
      const spec = response.json as {
        info: { title: string; version: string }
        paths: Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, unknown> }>; security?: unknown }>
        >
        components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }
      }
      expect(spec.info).toMatchObject({ title: "commonweal", version: "0.1.0" })
      for (const path of [
        "/health",
        "/communities/current",
        "/communities/{id}",
        "/residents",
        "/residents/{id}",
        "/residents/{id}/consents/{purpose}",
        "/residents/{id}/guardians/{guardianId}",
        "/residents/{id}/erase"
      ]) {
        expect(Object.keys(spec.paths)).toContain(path)
      }
      const get = spec.paths["/residents/{id}"]?.get
      expect(Object.keys(get?.responses["404"]?.content ?? {})).toEqual([PROBLEM_CONTENT_TYPE])
      expect(Object.keys(get?.responses["400"]?.content ?? {})).toEqual([PROBLEM_CONTENT_TYPE])
      expect(spec.paths["/residents"]?.post?.responses["201"]).toBeDefined()
      expect(spec.paths["/residents"]?.post?.responses["422"]).toBeDefined()
      expect(spec.components.schemas.HttpApiDecodeError).toBeUndefined()
      expect(spec.components.schemas.HttpApiSchemaError).toBeUndefined()
      expect(Object.keys(spec.components.securitySchemes)).toContain("bearer")
    })
  )

  it.effect("/docs serves the Swagger UI from bundled assets, with no external URL", () =>
    Effect.gen(function* () {
      const response = yield* raw("/docs")
      expect(response.status).toBe(200)
      expect(response.headers.get("content-type")).toContain("text/html")
      expect(response.text).toContain("SwaggerUIBundle")
      expect(response.text).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i)
      expect(response.text).not.toMatch(/@import\s+url\(["']?https?:/i)
    })
  )
})
