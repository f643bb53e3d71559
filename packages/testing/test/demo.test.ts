/**
 * The demo data stays true to DOMAIN.md and to how people are named and live in China.
 */
import { describe, expect, it } from "vitest"
import {
  demoCommunitySeeds,
  demoGuardianLinks,
  demoResidents,
  guliResidents,
  huangMin,
  junxinResidents,
  shaoZhigang,
  wanZixuan,
  xiongLiping,
  zhouSaiqun
} from "../src/demo/index.js"

const YEAR = 2026
const byId = new Map(demoResidents.map((r) => [r.id, r]))

describe("demo data", () => {
  it("周赛群 is 90, as DOMAIN.md says, and her grandson carries her son's (her husband's) surname", () => {
    expect(YEAR - zhouSaiqun.birthYear!).toBe(90)
    expect(wanZixuan.displayName.startsWith("周")).toBe(false)
    expect(xiongLiping.displayName.startsWith("熊")).toBe(true)
  })

  it("no child is surnamed after the mother who is its guardian", () => {
    for (const link of demoGuardianLinks) {
      const ward = byId.get(link.wardId)!
      const guardian = byId.get(link.guardianId)!
      expect(ward.displayName[0], `${ward.displayName} / ${guardian.displayName}`).not.toBe(guardian.displayName[0])
    }
  })

  it("people who only work in or visit a community have no home location there", () => {
    for (const r of [huangMin, shaoZhigang]) expect(r.location).toBeUndefined()
    for (const r of demoResidents) {
      const visiting =
        r.tags?.some(
          (t) => t === "staff" || t === "grid_worker" || t === "student_volunteer" || t === "medical_staff"
        ) && r.grid === undefined
      if (visiting) expect(r.location, r.displayName).toBeUndefined()
    }
  })

  it("every resident with a location lives in a building of their grid's area", () => {
    const junxinGrid = (building: string) =>
      /^安置房|^沿街/.test(building)
        ? "JX-04"
        : (() => {
            const n = Number(/^(\d+)幢$/.exec(building)?.[1])
            return n <= 6 ? "JX-01" : n <= 12 ? "JX-02" : "JX-03"
          })()
    for (const r of junxinResidents)
      if (r.location !== undefined) expect(r.grid, r.displayName).toBe(junxinGrid(r.location.building))
    const seed = demoCommunitySeeds.find((s) => s.residents === guliResidents)!
    for (const r of guliResidents) {
      if (r.location === undefined) continue
      const grid = seed.community.grids.find((g) => g.code === r.grid)
      expect(grid, r.displayName).toBeDefined()
      expect(r.location.building.startsWith(grid!.name), r.displayName).toBe(true)
    }
  })

  it("phones are mainland mobile numbers, ages are plausible, Gu Li volunteers come on opening days (Wed–Sun)", () => {
    for (const r of demoResidents) {
      if (r.phone !== undefined) expect(r.phone, r.displayName).toMatch(/^1[3-9]\d{9}$/)
      const age = YEAR - r.birthYear!
      expect(age, r.displayName).toBeGreaterThanOrEqual(r.tags?.includes("child") ? 6 : 18)
      expect(age, r.displayName).toBeLessThanOrEqual(r.tags?.includes("child") ? 14 : 95)
    }
    for (const r of guliResidents)
      for (const slot of r.availability ?? []) expect(slot.day, r.displayName).toBeGreaterThanOrEqual(3)
  })
})
