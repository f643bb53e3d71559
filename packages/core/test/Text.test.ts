import { describe, expect, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import fc from "fast-check"
import {
  Actor,
  Community,
  decodeInput,
  ProvisionCommunityInput,
  RegisterResidentInput,
  ResidentFilter,
  ResidentPatch,
  Text
} from "../src/index.js"

const decode =
  <S extends Schema.Top>(schema: S) =>
  (value: unknown) =>
    Result.mapError(Schema.decodeUnknownResult(schema as unknown as Schema.Codec<S["Type"], unknown>)(value), String)

const LINE_CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  "\u2028",
  "\u2029"
]
const BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
const INVISIBLE = [" ", "\u3000", "\u00a0", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u3164"]

/** Text a person could type: letters, digits, CJK, emoji and inner spaces, never blank. */
const typed = fc
  .array(fc.constantFrom("周", "赛", "群", "南", "昌", "话", "a", "Z", "7", "😀", "é", " ", "-", "·"), {
    minLength: 1,
    maxLength: 40
  })
  .map((parts) => parts.join(""))
  .filter((s) => s.trim() !== "")
const inserting = (chars: ReadonlyArray<string>) =>
  fc.tuple(typed, fc.constantFrom(...chars), fc.nat()).map(([text, c, at]) => {
    const i = at % (text.length + 1)
    return text.slice(0, i) + c + text.slice(i)
  })

describe("the kernel text rule", () => {
  const line = decode(Text.line(40))
  const multiline = decode(Text.multiline(500))

  it("accepts what a person types, trimmed, when it fits in code points", () => {
    fc.assert(
      fc.property(typed, fc.constantFrom("", " ", "  ", "\u3000"), (text, pad) => {
        const fits = Text.codePoints(text.trim()) <= 40
        const r = line(pad + text + pad)
        expect(Result.isSuccess(r)).toBe(fits)
        if (Result.isSuccess(r)) expect(r.success).toBe(text.trim())
      })
    )
  })

  it("refuses any control character, anywhere, in a line (NUL included)", () => {
    fc.assert(
      fc.property(
        inserting(LINE_CONTROLS).filter((s) => s.trim().length > 0),
        (text) => {
          // a control at either end is not trimmed away unless it is white space: test the inner ones too
          const r = line(`周${text}群`)
          expect(Result.isFailure(r)).toBe(true)
          expect(Result.isFailure(r) && r.failure).toMatch(/control characters/)
        }
      )
    )
  })

  it("refuses bidirectional overrides, embeddings and isolates", () => {
    fc.assert(
      fc.property(inserting(BIDI), (text) => {
        const r = line(`周${text}`)
        expect(Result.isFailure(r) && r.failure).toMatch(/bidirectional/)
      })
    )
  })

  it("refuses text that is only white space and invisible characters, however long", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...INVISIBLE), { minLength: 0, maxLength: 30 }), (parts) => {
        const r = line(parts.join(""))
        expect(Result.isFailure(r) && r.failure).toMatch(/must not be empty/)
        expect(Text.isBlank(parts.join(""))).toBe(true)
      })
    )
    expect(Result.isFailure(line("\u200b\u200b"))).toBe(true)
    // a zero-width joiner inside real text (emoji sequences, some scripts) is fine
    expect(Result.isSuccess(line("👩\u200d👧"))).toBe(true)
  })

  it("counts code points, not UTF-16 units, and refuses an unpaired surrogate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (n) => {
        expect(Result.isSuccess(line("😀".repeat(n)))).toBe(n <= 40)
      })
    )
    expect(Text.codePoints("😀周a")).toBe(3)
    expect(Result.isFailure(line("周\ud800群"))).toBe(true)
    expect(Result.isFailure(line("周\udc00群"))).toBe(true)
  })

  it("a multi-line text allows line feeds and tabs, and nothing else of the controls", () => {
    expect(Result.getOrThrow(multiline("服药：\n\t早晚各一次"))).toBe("服药：\n\t早晚各一次")
    fc.assert(
      fc.property(inserting(LINE_CONTROLS.filter((c) => c !== "\n" && c !== "\t")), (text) => {
        expect(Result.isFailure(multiline(`周${text}群`))).toBe(true)
      })
    )
    expect(Result.isFailure(line("一\n二"))).toBe(true)
    expect(Result.isFailure(multiline("\n\t\u200b"))).toBe(true)
  })

  it.effect("messages are bilingual and never repeat the text", () =>
    Effect.gen(function* () {
      for (const displayName of ["周赛群\u0000", "周赛群\u202e", "周赛群".repeat(20)]) {
        const error = yield* Effect.flip(decodeInput(RegisterResidentInput)({ displayName }))
        expect(error.field).toBe("displayName")
        expect(error.message).toMatch(/[\u4e00-\u9fff]/)
        expect(error.message).not.toContain("周赛群")
      }
    })
  )

  it("every free-text field of core's schemas goes through the rule", () => {
    const nul = "南\u0000昌"
    const blank = "\u200b\u200b"
    const base = { displayName: "周赛群" }
    const refused = (schema: Schema.Top, value: unknown) => expect(Result.isFailure(decode(schema)(value))).toBe(true)
    for (const bad of [nul, blank]) {
      refused(RegisterResidentInput, { displayName: bad })
      refused(RegisterResidentInput, { ...base, languages: [{ language: "gan", dialect: bad, proficiency: "native" }] })
      refused(RegisterResidentInput, { ...base, homePlace: { province: "jiangxi", city: bad } })
      refused(RegisterResidentInput, { ...base, location: { building: bad } })
      refused(RegisterResidentInput, { ...base, location: { building: "5幢", unit: bad } })
      refused(RegisterResidentInput, { ...base, location: { building: "5幢", room: bad } })
      refused(RegisterResidentInput, { ...base, health: { conditions: [bad] } })
      refused(RegisterResidentInput, { ...base, health: { conditions: [], notes: bad } })
      refused(ResidentPatch, { displayName: bad })
      refused(ResidentFilter, { dialect: bad })
      refused(ResidentFilter, { skill: bad })
      refused(ResidentFilter, { nameContains: bad })
      const community = { name: "君馨社区", timeZone: "Asia/Shanghai", grids: [] }
      refused(ProvisionCommunityInput, { ...community, name: bad })
      refused(ProvisionCommunityInput, { ...community, nameEn: bad })
      refused(ProvisionCommunityInput, { ...community, grids: [{ code: "JX-01", name: bad }] })
      refused(Community, {
        id: "0190f0a0-0000-7000-8000-000000000001",
        ...community,
        nameEn: bad,
        createdAt: "2026-01-01T00:00:00Z"
      })
      refused(Actor, { subject: bad, communityId: "0190f0a0-0000-7000-8000-000000000001", roles: [] })
    }
  })
})
