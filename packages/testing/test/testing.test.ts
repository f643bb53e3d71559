import { describe, expect, it } from "@effect/vitest"
import { Community, Resident } from "@commonweal/core"
import { DateTime, Effect, Schema } from "effect"

/** Checks a value against a schema's type side (Effect 3's `Schema.validate`). */
const validate = <S extends Schema.Top>(schema: S) => Schema.decodeUnknownEffect(Schema.toType(schema))
import { contractMode, databaseUrl, makeCommunity, makeResident, makeVolunteer, randomUuid7 } from "../src/index.js"

describe("builders", () => {
  it.effect("makeResident builds a valid resident: 周赛群, 90 in 2026, from Jiangxi, speaks 南昌话", () =>
    Effect.gen(function* () {
      const zhou = yield* validate(Resident)(makeResident())
      expect(zhou.displayName).toBe("周赛群")
      expect(2026 - (zhou.birthYear ?? 0)).toBe(90)
      expect(zhou.homePlace?.province).toBe("jiangxi")
      expect(zhou.languages[0]).toEqual({ language: "gan", dialect: "南昌话", proficiency: "native" })
      // consents fall within the record's life, health data is kept only with its consent in
      // force, and the stored (JSON) form keeps the times to the millisecond
      for (const consent of zhou.consents) {
        expect(DateTime.toEpochMillis(consent.grantedAt)).toBeGreaterThanOrEqual(DateTime.toEpochMillis(zhou.createdAt))
        expect(DateTime.toEpochMillis(consent.grantedAt)).toBeLessThanOrEqual(DateTime.toEpochMillis(zhou.updatedAt))
      }
      expect(
        zhou.health === null || zhou.consents.some((c) => c.purpose === "health_data" && c.withdrawnAt === null)
      ).toBe(true)
      const stored = yield* Schema.decodeUnknownEffect(Resident)(
        JSON.parse(JSON.stringify(yield* Schema.encodeEffect(Resident)(zhou)))
      )
      expect(stored.consents.map((c) => DateTime.toEpochMillis(c.grantedAt))).toEqual(
        zhou.consents.map((c) => DateTime.toEpochMillis(c.grantedAt))
      )
      expect(DateTime.toEpochMillis(stored.updatedAt) % 1000).toBe(250)
    })
  )

  it.effect("makeVolunteer builds 刘英, and overrides replace whole fields", () =>
    Effect.gen(function* () {
      const liu = yield* validate(Resident)(makeVolunteer({ phone: null }))
      expect(liu.displayName).toBe("刘英")
      expect(liu.tags).toContain("fellow_townsperson")
      expect(liu.phone).toBeNull()
    })
  )

  it("gives every resident and community a fresh UUIDv7 id", () => {
    const ids = new Set(Array.from({ length: 100 }, () => makeResident().id))
    expect(ids.size).toBe(100)
    expect(randomUuid7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(makeCommunity().id).not.toBe(makeCommunity().id)
  })

  it("makeCommunity builds a valid community", () => {
    expect(() => Schema.decodeUnknownSync(Schema.toType(Community))(makeCommunity())).not.toThrow()
  })
})

describe("databaseUrl", () => {
  it("returns the url when the variable is set", () => {
    expect(databaseUrl("PG", { PG: "postgres://postgres@127.0.0.1:5432/commonweal" })).toEqual({
      url: "postgres://postgres@127.0.0.1:5432/commonweal"
    })
  })
  it("returns a skip reason naming the variable when it is unset or blank", () => {
    expect(databaseUrl("COMMONWEAL_TEST_POSTGRES_URL", {})).toEqual({ skip: "COMMONWEAL_TEST_POSTGRES_URL not set" })
    expect(databaseUrl("PG", { PG: "  " })).toEqual({ skip: "PG not set" })
  })
})

describe("contractMode", () => {
  it("runs an available target", () => {
    expect(contractMode({}, { CI: "true" })).toEqual({ _tag: "Run" })
  })
  it("skips an unavailable target outside CI", () => {
    expect(contractMode({ skip: "no db" }, {})).toEqual({ _tag: "Skip", reason: "no db" })
    expect(contractMode({ skip: "no db" }, { CI: "false" })).toEqual({ _tag: "Skip", reason: "no db" })
  })
  it("fails an unavailable target in CI", () => {
    expect(contractMode({ skip: "no db" }, { CI: "true" })).toEqual({ _tag: "Fail", reason: "no db" })
  })
})
