import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result, Schema } from "effect"
import fc from "fast-check"
import type { Actor, Community, RegisterResidentInput } from "../src/index.js"
import {
  CommunityId,
  GridCode,
  RegisterResidentInput as RegisterSchema,
  Resident,
  ResidentId,
  ResidentRules
} from "../src/index.js"

const junxin: Community = {
  id: CommunityId.make("0190f0a0-0000-7000-8000-000000000001"),
  name: "君馨社区",
  nameEn: "Junxin Community",
  timeZone: "Asia/Shanghai",
  grids: [{ code: GridCode.make("JX-01"), name: "一网格" }],
  createdAt: DateTime.makeUnsafe("2023-05-01T00:00:00Z")
}
const staff: Actor = { subject: "sw-wang", communityId: junxin.id, roles: ["staff"] }
// 2026-12-31 20:00 UTC is already 2027 in Shanghai
const newYearsEve = DateTime.makeUnsafe("2026-12-31T20:00:00Z")
const ctx = { now: DateTime.makeUnsafe("2026-11-23T08:00:00Z"), community: junxin, actor: staff }
const id = (n: number) => ResidentId.make(`0190f0a0-0000-7000-8000-${String(n).padStart(12, "0")}`)
const decode = (input: unknown): RegisterResidentInput => Schema.decodeUnknownSync(RegisterSchema)(input)

const zhou = Result.getOrThrow(
  ResidentRules.register(
    id(1),
    decode({
      displayName: "周赛群",
      grid: "JX-01",
      birthYear: 1936,
      tags: ["migrant_elderly"],
      homePlace: { province: "jiangxi", city: "南昌" },
      languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
      phone: "13805741234",
      consents: [
        { purpose: "registry", grantedBy: { _tag: "Self" } },
        { purpose: "health_data", grantedBy: { _tag: "Self" } }
      ],
      health: { conditions: ["高血压"] }
    }),
    ctx
  )
)

describe("register", () => {
  it("builds version 1, active, with consents recorded by the actor", () => {
    expect(zhou.version).toBe(1)
    expect(zhou.status).toBe("active")
    expect(zhou.consents.map((c) => c.purpose)).toEqual(["registry", "health_data"])
    expect(zhou.consents[0]!.recordedBy).toBe("sw-wang")
    expect(zhou.health?.conditions).toEqual(["高血压"])
  })

  it("refuses a future birth year in the community's time zone", () => {
    const r = ResidentRules.register(id(2), decode({ displayName: "小明", birthYear: 2027 }), ctx)
    expect(Result.isFailure(r) && r.failure._tag === "InvalidInput" && r.failure.field).toBe("birthYear")
    // on new year's eve in UTC it is already 2027 in Shanghai: allowed
    expect(
      Result.isSuccess(
        ResidentRules.register(id(2), decode({ displayName: "小明", birthYear: 2027 }), { ...ctx, now: newYearsEve })
      )
    ).toBe(true)
  })

  it("refuses an unknown grid and health data without a health consent", () => {
    const grid = ResidentRules.register(id(3), decode({ displayName: "李", grid: "GL-09" }), ctx)
    expect(Result.isFailure(grid) && grid.failure.field).toBe("grid")
    const health = ResidentRules.register(id(3), decode({ displayName: "李", health: { conditions: ["糖尿病"] } }), ctx)
    expect(Result.isFailure(health) && health.failure.field).toBe("health")
  })
})

describe("transitions", () => {
  it("every successful transition increments the version by exactly one", () => {
    const steps = [
      (r: Resident) => ResidentRules.update(r, { phone: "13905749999" }, ctx),
      (r: Resident) => ResidentRules.recordConsent(r, { purpose: "contact_sharing", grantedBy: { _tag: "Self" } }, ctx),
      (r: Resident) => ResidentRules.withdrawConsent(r, "contact_sharing", ctx),
      (r: Resident) => ResidentRules.deactivate(r, ctx),
      (r: Resident) => ResidentRules.reactivate(r, ctx)
    ]
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: steps.length - 1 }), { maxLength: 20 }), (plan) => {
        let current = zhou
        for (const step of plan) {
          const next = steps[step]!(current)
          if (Result.isSuccess(next)) {
            expect(next.success.version).toBe(current.version + 1)
            current = next.success
          } else {
            expect(["InvalidInput", "InvalidTransition"]).toContain(next.failure._tag)
          }
        }
      })
    )
  })

  it("withdrawing the health consent deletes the health data", () => {
    const after = Result.getOrThrow(ResidentRules.withdrawConsent(zhou, "health_data", ctx))
    expect(after.health).toBeNull()
    expect(ResidentRules.hasConsent(after, "health_data")).toBe(false)
    // the record of the consent stays, as evidence
    expect(after.consents.find((c) => c.purpose === "health_data")?.withdrawnAt).not.toBeNull()
  })

  it("guardian links: no self, no cycle, adults only, and a guardian consent needs the link", () => {
    const child = Result.getOrThrow(
      ResidentRules.register(id(10), decode({ displayName: "乐乐", birthYear: 2017, tags: ["child"] }), ctx)
    )
    const mother = Result.getOrThrow(
      ResidentRules.register(id(11), decode({ displayName: "陈静", birthYear: 1990, tags: ["parent"] }), ctx)
    )
    expect(Result.isFailure(ResidentRules.linkGuardian(child, child, ctx))).toBe(true)
    // an adult is no more their own guardian: refused for that reason, not for another
    const own = ResidentRules.linkGuardian(mother, mother, ctx)
    expect(Result.isFailure(own) && own.failure).toMatchObject({
      _tag: "InvalidInput",
      field: "guardianId",
      message: expect.stringMatching(/themself/)
    })
    expect(Result.isFailure(ResidentRules.linkGuardian(mother, child, ctx))).toBe(true) // a child cannot be a guardian
    const noLink = ResidentRules.recordConsent(
      child,
      { purpose: "photos", grantedBy: { _tag: "Guardian", guardianId: mother.id } },
      ctx
    )
    expect(Result.isFailure(noLink)).toBe(true)
    const linked = Result.getOrThrow(ResidentRules.linkGuardian(child, mother, ctx))
    expect(linked.guardianIds).toEqual([mother.id])
    expect(Result.isFailure(ResidentRules.linkGuardian(linked, mother, ctx))).toBe(true) // twice
    expect(Result.isFailure(ResidentRules.linkGuardian(mother, linked, ctx))).toBe(true) // cycle
    const byMother = { purpose: "photos" as const, grantedBy: { _tag: "Guardian" as const, guardianId: mother.id } }
    expect(Result.isSuccess(ResidentRules.recordConsent(linked, byMother, ctx, mother))).toBe(true)
    // the guardian must be given as loaded, and active
    expect(Result.isFailure(ResidentRules.recordConsent(linked, byMother, ctx))).toBe(true)
    const away = Result.getOrThrow(ResidentRules.deactivate(mother, ctx))
    const inactive = ResidentRules.recordConsent(linked, byMother, ctx, away)
    expect(Result.isFailure(inactive) && inactive.failure._tag === "InvalidInput" && inactive.failure.field).toBe(
      "grantedBy.guardianId"
    )
  })

  it("unlinking a guardian withdraws the consents in force that guardian gave, and only those", () => {
    const child = Result.getOrThrow(
      ResidentRules.register(id(30), decode({ displayName: "乐乐", birthYear: 2017, tags: ["child"] }), ctx)
    )
    const mother = Result.getOrThrow(
      ResidentRules.register(id(31), decode({ displayName: "陈静", birthYear: 1990 }), ctx)
    )
    const father = Result.getOrThrow(
      ResidentRules.register(id(32), decode({ displayName: "王强", birthYear: 1988 }), ctx)
    )
    const guardian = (g: Resident) => ({ _tag: "Guardian" as const, guardianId: g.id })
    let ward = Result.getOrThrow(ResidentRules.linkGuardian(child, mother, ctx))
    ward = Result.getOrThrow(ResidentRules.linkGuardian(ward, father, ctx))
    ward = Result.getOrThrow(
      ResidentRules.recordConsent(ward, { purpose: "photos", grantedBy: guardian(mother) }, ctx, mother)
    )
    ward = Result.getOrThrow(
      ResidentRules.recordConsent(ward, { purpose: "health_data", grantedBy: guardian(mother) }, ctx, mother)
    )
    ward = Result.getOrThrow(
      ResidentRules.recordConsent(ward, { purpose: "matching", grantedBy: guardian(father) }, ctx, father)
    )
    ward = Result.getOrThrow(ResidentRules.update(ward, { health: { conditions: ["哮喘"] } }, ctx))
    // a withdrawn consent of the mother's stays withdrawn, and is not withdrawn twice
    ward = Result.getOrThrow(ResidentRules.withdrawConsent(ward, "photos", ctx))
    ward = Result.getOrThrow(
      ResidentRules.recordConsent(ward, { purpose: "photos", grantedBy: guardian(father) }, ctx, father)
    )
    expect(ResidentRules.consentsInForceGivenBy(ward, mother.id)).toEqual(["health_data"])

    const changes = Result.getOrThrow(ResidentRules.unlinkGuardian(ward, mother.id, ctx))
    expect(changes.map((c) => [c._tag, c.resident.version])).toEqual([
      ["Unlinked", ward.version + 1],
      ["ConsentWithdrawn", ward.version + 2]
    ])
    const after = changes[changes.length - 1]!.resident
    expect(after.guardianIds).toEqual([father.id])
    expect(after.health).toBeNull()
    expect(ResidentRules.hasConsent(after, "health_data")).toBe(false)
    expect(ResidentRules.hasConsent(after, "matching")).toBe(true)
    expect(ResidentRules.hasConsent(after, "photos")).toBe(true) // the father's
    expect(after.consents).toHaveLength(ward.consents.length)

    // a guardian who gave nothing: the link alone goes
    const plain = Result.getOrThrow(ResidentRules.linkGuardian(child, mother, ctx))
    expect(Result.getOrThrow(ResidentRules.unlinkGuardian(plain, mother.id, ctx)).map((c) => c._tag)).toEqual([
      "Unlinked"
    ])
    const notLinked = ResidentRules.unlinkGuardian(child, mother.id, ctx)
    expect(Result.isFailure(notLinked) && notLinked.failure._tag).toBe("InvalidInput")
  })

  it("a child under 14 cannot consent themself, at registration or later (PIPL art. 31)", () => {
    const self = [{ purpose: "photos", grantedBy: { _tag: "Self" } }]
    const atRegistration = ResidentRules.register(
      id(12),
      decode({ displayName: "乐乐", birthYear: 2013, consents: self }),
      ctx
    )
    expect(Result.isFailure(atRegistration) && atRegistration.failure.field).toBe("consents")
    // 2012 turns 14 in 2026: may consent
    expect(
      Result.isSuccess(
        ResidentRules.register(id(12), decode({ displayName: "小华", birthYear: 2012, consents: self }), ctx)
      )
    ).toBe(true)
    const taggedChild = Result.getOrThrow(
      ResidentRules.register(id(13), decode({ displayName: "豆豆", tags: ["child"] }), ctx)
    )
    const later = ResidentRules.recordConsent(taggedChild, { purpose: "photos", grantedBy: { _tag: "Self" } }, ctx)
    expect(Result.isFailure(later) && later.failure._tag === "InvalidInput" && later.failure.field).toBe("grantedBy")
  })

  it("erase clears every personal field, keeps the id, and is final", () => {
    const erased = Result.getOrThrow(ResidentRules.erase(zhou, ctx))
    expect(erased.id).toBe(zhou.id)
    expect(erased.status).toBe("erased")
    expect(erased.displayName).toBe(ResidentRules.ERASED_NAME)
    for (const field of ["birthYear", "homePlace", "location", "phone", "health", "grid", "householdId"] as const) {
      expect(erased[field]).toBeNull()
    }
    expect(erased.languages).toEqual([])
    expect(erased.consents.every((c) => c.withdrawnAt !== null)).toBe(true)
    expect(JSON.stringify(Schema.encodeSync(Resident)(erased))).not.toMatch(/周赛群|南昌|1380574|高血压/)
    for (const next of [
      ResidentRules.erase(erased, ctx),
      ResidentRules.update(erased, { phone: "13800000000" }, ctx),
      ResidentRules.deactivate(erased, ctx)
    ]) {
      expect(Result.isFailure(next) && next.failure._tag).toBe("InvalidTransition")
    }
  })
})

describe("projection", () => {
  const volunteer: Actor = { subject: "liu-ying", communityId: junxin.id, roles: ["volunteer"], residentId: id(20) }
  const self: Actor = { subject: "zhou", communityId: junxin.id, roles: ["resident"], residentId: zhou.id }
  const stranger: Actor = { subject: "other", communityId: junxin.id, roles: ["resident"], residentId: id(21) }

  it("staff and the resident see everything; volunteers a reduced view; others nothing", () => {
    expect(ResidentRules.project(staff, zhou, 2026)?._tag).toBe("Full")
    expect(ResidentRules.project(self, zhou, 2026)?._tag).toBe("Full")
    expect(ResidentRules.project(stranger, zhou, 2026)).toBeUndefined()
    const reduced = ResidentRules.project(volunteer, zhou, 2026)
    expect(reduced?._tag).toBe("Reduced")
    if (reduced?._tag === "Reduced") {
      expect(reduced.ageBand).toBe("90-99")
      expect(reduced.maskedPhone).toBeNull() // no contact_sharing consent
      expect(JSON.stringify(reduced)).not.toMatch(/高血压|13805741234/)
    }
    const sharing = Result.getOrThrow(
      ResidentRules.recordConsent(zhou, { purpose: "contact_sharing", grantedBy: { _tag: "Self" } }, ctx)
    )
    const masked = ResidentRules.project(volunteer, sharing, 2026)
    expect(masked?._tag === "Reduced" && masked.maskedPhone).toBe("138****1234")
  })
})
