import { describe, expect, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import {
  authorize,
  authorizeAny,
  can,
  CommunityPermissions,
  composePolicy,
  domainPermissions,
  EventPermissions,
  CommunityId,
  decodeInput,
  formatUuid7,
  IdGenerator,
  InvalidInput,
  MAX_LISTED_ISSUES,
  nextMonotonic,
  Paging,
  type Permission,
  permissions,
  RegisterResidentInput,
  ResidentId,
  ResidentPatch,
  ResidentPermissions,
  CoreRole,
  declareRoles,
  domainRoles,
  Role,
  rolePermissions,
  Uuid7
} from "../src/index.js"

describe("ids", () => {
  it("formatUuid7 always yields a valid, time-ordered UUIDv7", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (t1, t2, random) => {
          const a = formatUuid7(t1, random)
          const b = formatUuid7(t2, random)
          expect(Schema.is(Uuid7)(a)).toBe(true)
          if (t1 < t2) expect(a < b).toBe(true)
        }
      )
    )
  })

  it.effect("the deterministic generator repeats for the same seed and never collides", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 10, 23))
      const take = (seed: number) =>
        Effect.gen(function* () {
          const ids = yield* IdGenerator
          return yield* Effect.all(Array.from({ length: 500 }, () => ids.next))
        }).pipe(Effect.provide(IdGenerator.Deterministic(seed)))
      const a = yield* take(7)
      const b = yield* take(7)
      expect(a).toEqual(b)
      expect(new Set(a).size).toBe(500)
      expect(a.every(Schema.is(Uuid7))).toBe(true)
    })
  )

  it.effect("the live generator makes valid ids in strictly increasing order, even in one millisecond", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 10, 23))
      const ids = yield* IdGenerator
      // 6000 ids in one (frozen) millisecond overflow the 12-bit counter: order must still hold
      const all = yield* Effect.all(Array.from({ length: 6000 }, () => ids.next))
      expect(all.every(Schema.is(Uuid7))).toBe(true)
      for (let i = 1; i < all.length; i++) expect(all[i]! > all[i - 1]!).toBe(true)
    }).pipe(Effect.provide(IdGenerator.Live))
  )

  it("nextMonotonic never goes backwards, whatever the clock does", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 200 }), (times) => {
        let state = { millis: -1, counter: 0 }
        for (const t of times) {
          const next = nextMonotonic(state, t, new Uint8Array([0xff, 0xff]))
          expect(next.millis * 4096 + next.counter).toBeGreaterThan(state.millis * 4096 + state.counter)
          state = next
        }
      })
    )
  })
})

describe("paging", () => {
  it("cursors round-trip any key, including Chinese text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (key) => {
        expect(Result.getOrThrow(Paging.decodeCursor(Paging.encodeCursor(key)))).toBe(key)
      })
    )
  })

  it("a foreign cursor or a bad limit is InvalidInput naming the field", () => {
    const bad = Paging.window({ cursor: "not-a-cursor!" })
    expect(Result.isFailure(bad) && bad.failure.field).toBe("cursor")
    const big = Paging.window({ limit: 1000 })
    expect(Result.isFailure(big) && big.failure.field).toBe("limit")
    expect(Result.getOrThrow(Paging.window(undefined))).toEqual({ after: undefined, limit: Paging.DEFAULT_LIMIT })
  })

  it("fromItems sets a cursor only when more items exist", () => {
    const items = ["a", "b", "c"]
    expect(Paging.fromItems(items, 3, (x) => x).nextCursor).toBeNull()
    const page = Paging.fromItems(items, 2, (x) => x)
    expect(page.items).toEqual(["a", "b"])
    expect(Result.getOrThrow(Paging.decodeCursor(page.nextCursor!))).toBe("b")
  })
})

describe("policy", () => {
  const junxin = CommunityId.make("0190f0a0-0000-7000-8000-000000000001")
  const guli = CommunityId.make("0190f0a0-0000-7000-8000-000000000002")

  it.effect("another community's record is NotFound, a missing permission Forbidden", () =>
    Effect.gen(function* () {
      const volunteer = { subject: "v", communityId: junxin, roles: ["volunteer" as const] }
      const forbidden = yield* Effect.flip(authorize(volunteer, ResidentPermissions.register))
      expect(forbidden._tag).toBe("Forbidden")
      const staff = { subject: "s", communityId: guli, roles: ["staff" as const] }
      const id = ResidentId.make("0190f0a0-0000-7000-8000-00000000000a")
      const hidden = yield* Effect.flip(
        authorize(staff, ResidentPermissions["read:full"], { communityId: junxin, entity: "Resident", id })
      )
      expect(hidden._tag).toBe("NotFound")
      yield* authorize(staff, ResidentPermissions["read:full"], { communityId: guli, entity: "Resident", id })
    })
  )

  it("the role map is composed from what each domain declares, and says what the registry always granted", () => {
    expect(composePolicy([EventPermissions, CommunityPermissions, ResidentPermissions])).toEqual({
      admin: [
        "events:read",
        "communities:create",
        "communities:read",
        "residents:register",
        "residents:update",
        "residents:consent",
        "residents:link",
        "residents:deactivate",
        "residents:erase",
        "residents:read:full"
      ],
      staff: [
        "events:read",
        "communities:read",
        "residents:register",
        "residents:update",
        "residents:consent",
        "residents:link",
        "residents:deactivate",
        "residents:erase",
        "residents:read:full"
      ],
      grid_worker: [
        "communities:read",
        "residents:register",
        "residents:update",
        "residents:consent",
        "residents:link",
        "residents:read:full"
      ],
      volunteer: ["communities:read", "residents:read:reduced", "residents:read:own"],
      resident: ["communities:read", "residents:read:own"]
    })
  })

  it("the installation's role map holds exactly what the registered domains declare", () => {
    for (const role of CoreRole.literals) {
      const declared = domainPermissions.flatMap((set) =>
        Object.values(set as Record<string, Permission>)
          .filter((p) => p.roles.includes(role))
          .map((p) => p.name)
      )
      expect(rolePermissions[role]).toEqual(declared)
    }
  })

  it("every role a registered permission names is declared, and the role map lists every declared role", () => {
    const declared = new Set(domainRoles.map((r) => r.name))
    for (const set of domainPermissions) {
      for (const permission of Object.values(set as Record<string, Permission>)) {
        for (const role of permission.roles) expect(declared, `${permission.name} names ${role}`).toContain(role)
      }
    }
    expect(Object.keys(rolePermissions).sort()).toEqual([...declared].sort())
    expect(rolePermissions.treasurer).toContain("fund:pay")
    expect(rolePermissions.approver).toEqual(["fund:approve", "fund:read", "fund:object", "fund:report:public"])
    expect(Schema.is(Role)("treasurer")).toBe(true)
    expect(Schema.is(Role)("Treasurer")).toBe(false)
  })

  it("a domain declares roles of its own; an actor holding one gets exactly its permissions", () => {
    const LibraryRoles = declareRoles("library", { librarian: "lends books / 图书管理员" })
    const Library = permissions("library", { lend: [LibraryRoles.librarian.name] })
    const librarian = { subject: "l", communityId: junxin, roles: ["librarian"] }
    expect(can(librarian, Library.lend)).toBe(true)
    expect(can({ ...librarian, roles: ["staff"] }, Library.lend)).toBe(false)
    expect(composePolicy([Library], Object.values(LibraryRoles)).librarian).toEqual(["library:lend"])
    expect(LibraryRoles.librarian).toEqual({
      name: "librarian",
      domain: "library",
      description: "lends books / 图书管理员"
    })
  })

  it("a domain declares its permissions without touching the kernel: names, roles, and checks", () => {
    const Library = permissions("library", { lend: ["staff"], "read:shelf": ["staff", "resident"] })
    expect(Library.lend.name).toBe("library:lend")
    expect(Library["read:shelf"].name).toBe("library:read:shelf")
    const resident = { subject: "r", communityId: junxin, roles: ["resident" as const] }
    expect(can(resident, Library["read:shelf"])).toBe(true)
    expect(can(resident, Library.lend)).toBe(false)
    expect(composePolicy([Library]).resident).toEqual(["library:read:shelf"])
    expect(composePolicy([Library]).admin).toEqual([])
  })

  it.effect("authorizeAny names every permission it looked for", () =>
    Effect.gen(function* () {
      const resident = { subject: "r", communityId: junxin, roles: ["resident" as const] }
      const refused = yield* Effect.flip(
        authorizeAny(resident, [ResidentPermissions["read:full"], ResidentPermissions["read:reduced"]])
      )
      expect(refused.action).toBe("residents:read:full | residents:read:reduced")
    })
  )
})

describe("validation", () => {
  it.effect("decodeInput lists every issue, each naming its field", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        decodeInput(RegisterResidentInput)({
          displayName: "周赛群",
          birthYear: "x",
          phone: "123",
          languages: [{ language: "zz", proficiency: "native" }]
        })
      )
      expect(error.field).toBe("birthYear")
      expect(error.issues.map((i) => i.field).sort()).toEqual(["birthYear", "languages.0.language", "phone"])
      // an optional field's union does not add an "Expected undefined" issue next to the real one,
      // a failed choice among literals is one issue, no message echoes a value, all carry Chinese
      expect(error.issues.some((i) => i.message.startsWith("Expected undefined"))).toBe(false)
      expect(error.issues.filter((i) => i.field === "languages.0.language")).toHaveLength(1)
      expect(error.message).not.toMatch(/"x"|"123"|"zz"/)
      expect(error.issues.every((i) => /[\u4e00-\u9fff]/.test(i.message))).toBe(true)
    })
  )

  it.effect("a list over its maximum says items, a text over its maximum says characters", () =>
    Effect.gen(function* () {
      const eleven = Array.from({ length: 11 }, (_, i) => ({
        language: "cmn",
        dialect: `方言${i}`,
        proficiency: "native"
      }))
      for (const error of [
        yield* Effect.flip(decodeInput(RegisterResidentInput)({ displayName: "周赛群", languages: eleven })),
        yield* Effect.flip(decodeInput(ResidentPatch)({ languages: eleven }))
      ]) {
        expect(error.issues).toEqual([{ field: "languages", message: "must have at most 10 items / 最多 10 项" }])
      }
      // a bare length check, declared without a message, is told apart by the schema it is attached to
      const bare = Schema.Struct({
        list: Schema.Array(Schema.String).check(Schema.isMaxLength(2)),
        text: Schema.String.check(Schema.isMaxLength(2))
      })
      const error = yield* Effect.flip(decodeInput(bare)({ list: ["a", "b", "c"], text: "abc" }))
      expect(error.issues).toEqual([
        { field: "list", message: "must have at most 2 items / 最多 2 项" },
        { field: "text", message: "must be at most 2 characters / 最多 2 个字符" }
      ])
      expect(error.message).not.toMatch(/must be a list|abc/)
    })
  )

  it.effect("an error lists at most 20 issues, then says how many more were left out", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(decodeInput(Schema.Array(Schema.Number))(Array.from({ length: 600 }, () => "x")))
      expect(MAX_LISTED_ISSUES).toBe(20)
      expect(error.issues).toHaveLength(21)
      expect(error.issues.slice(0, 20).map((i) => i.field)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)))
      expect(error.issues[20]).toEqual({
        field: "input",
        message: "and 580 more issues not listed / 另有 580 个问题未列出"
      })
      expect(error.message.length).toBeLessThan(2000)
      // exactly 20 are listed without a count; a long field path is cut short
      expect(
        InvalidInput.many(Array.from({ length: 20 }, (_, i) => ({ field: `f${i}`, message: "m" }))).issues
      ).toHaveLength(20)
      expect(
        InvalidInput.many([{ field: "k".repeat(4000), message: "is not a known field" }]).field.length
      ).toBeLessThanOrEqual(101)
    })
  )

  it.effect(
    "a registration naming a consent purpose or a language and dialect twice is InvalidInput on the repeat",
    () =>
      Effect.gen(function* () {
        const self = { _tag: "Self" }
        const consents = yield* Effect.flip(
          decodeInput(RegisterResidentInput)({
            displayName: "周赛群",
            consents: [
              { purpose: "registry", grantedBy: self },
              { purpose: "photos", grantedBy: self },
              { purpose: "registry", grantedBy: self }
            ]
          })
        )
        expect(consents.issues.map((i) => i.field)).toEqual(["consents.2.purpose"])
        const gan = { language: "gan", dialect: "南昌话", proficiency: "native" }
        const languages = yield* Effect.flip(
          decodeInput(RegisterResidentInput)({
            displayName: "周赛群",
            languages: [
              gan,
              { language: "cmn", proficiency: "fluent" },
              { ...gan, proficiency: "basic" },
              { language: "cmn", proficiency: "basic" }
            ]
          })
        )
        expect(languages.issues.map((i) => i.field)).toEqual(["languages.2", "languages.3"])
        expect(languages.message).not.toContain("南昌话")
        // the same language with another dialect, or with and without one, is two languages
        yield* decodeInput(RegisterResidentInput)({
          displayName: "周赛群",
          languages: [gan, { ...gan, dialect: "赣州话" }, { language: "gan", proficiency: "basic" }]
        })
        const patch = yield* Effect.flip(decodeInput(ResidentPatch)({ languages: [gan, gan] }))
        expect(patch.field).toBe("languages.1")
      })
  )
})
