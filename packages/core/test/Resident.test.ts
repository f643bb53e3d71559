import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import {
  Coordinates,
  decodeInput,
  RegisterResidentInput,
  ResidentPatch,
  UpdateResidentInput,
  validateInput
} from "../src/index.js"

const register = decodeInput(RegisterResidentInput)

describe("resident schemas", () => {
  it.effect("coordinates are finite numbers in range: NaN and ±Infinity are refused", () =>
    Effect.gen(function* () {
      const check = validateInput(Coordinates)
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        const error = yield* Effect.flip(check({ lat: bad, lng: bad }))
        expect(error.issues).toEqual([
          { field: "lat", message: "must be a finite number / 纬度须为有限数值" },
          { field: "lng", message: "must be a finite number / 经度须为有限数值" }
        ])
      }
      const out = yield* Effect.flip(check({ lat: 90.5, lng: -180.5 }))
      expect(out.issues).toEqual([
        { field: "lat", message: "must be a latitude from -90 to 90 / 纬度须在 -90 到 90 之间" },
        { field: "lng", message: "must be a longitude from -180 to 180 / 经度须在 -180 到 180 之间" }
      ])
      for (const edge of [
        { lat: 90, lng: 180 },
        { lat: -90, lng: -180 },
        { lat: 31.2304, lng: 121.4737 }
      ])
        expect(yield* check(edge)).toEqual(edge)
      // the same through a registration's location
      const registered = yield* Effect.flip(
        register({ displayName: "周赛群", location: { building: "3", coordinates: { lat: Number.NaN, lng: 0 } } })
      )
      expect(registered.issues.map((i) => i.field)).toEqual(["location.coordinates.lat"])
    })
  )

  it.effect("a birth year is a whole number from 1900 to 2200, at registration and in a patch", () =>
    Effect.gen(function* () {
      for (const [year, message] of [
        [1899, "must be 1900 or later / 出生年份须不早于 1900"],
        [2201, "must be 2200 or earlier / 出生年份须不晚于 2200"],
        [1e15, "must be 2200 or earlier / 出生年份须不晚于 2200"],
        [1950.5, "must be an integer / 须为整数"]
      ] as const) {
        const error = yield* Effect.flip(register({ displayName: "周赛群", birthYear: year }))
        expect(error.issues).toEqual([{ field: "birthYear", message }])
        const patch = yield* Effect.flip(decodeInput(ResidentPatch)({ birthYear: year }))
        expect(patch.issues).toEqual([{ field: "birthYear", message }])
      }
      expect((yield* register({ displayName: "周赛群", birthYear: 1900 })).birthYear).toBe(1900)
      expect((yield* register({ displayName: "周赛群", birthYear: 2200 })).birthYear).toBe(2200)
      expect((yield* decodeInput(ResidentPatch)({ birthYear: null })).birthYear).toBeNull()
    })
  )

  it.effect("a patch clears a nullable field with null and leaves an absent one unchanged", () =>
    Effect.gen(function* () {
      const patch = yield* decodeInput(UpdateResidentInput)({
        expectedVersion: 1,
        patch: { grid: null, phone: null, location: null, homePlace: null, health: null, birthYear: null }
      })
      expect(patch.patch).toEqual({
        grid: null,
        phone: null,
        location: null,
        homePlace: null,
        health: null,
        birthYear: null
      })
      const empty = yield* decodeInput(ResidentPatch)({})
      expect(Object.keys(empty)).toEqual([])
    })
  )

  it("the JSON Schema of a patch lists null once for each field that may be cleared", () => {
    const properties = Schema.toJsonSchemaDocument(ResidentPatch).schema.properties as Record<
      string,
      { readonly anyOf?: ReadonlyArray<{ readonly type?: unknown }> }
    >
    for (const field of ["grid", "birthYear", "homePlace", "location", "phone", "health"]) {
      const members = properties[field]?.anyOf ?? []
      expect(
        members.filter((m) => m.type === "null"),
        field
      ).toHaveLength(1)
      expect(members, field).toHaveLength(2)
    }
    expect(properties.birthYear?.anyOf?.[0]).toMatchObject({ type: "integer", minimum: 1900, maximum: 2200 })
  })
})
