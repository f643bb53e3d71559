/**
 * The resident registry, end to end over a storage adapter: the core `Residents` and
 * `Communities` services running on the adapter's ports. Where the storage contract checks the
 * ports one by one, this suite checks what users rely on: authority, tenancy, validation that
 * writes nothing, optimistic concurrency, consent and erasure.
 *
 * @module
 */
import { expect } from "@effect/vitest"
import type { Actor, Community, RegisterResidentInput, ResidentView } from "@commonweal/core"
import { Communities, CurrentActor, GridCode, IdGenerator, Outbox, Residents } from "@commonweal/core"
import { DateTime, Effect, Layer } from "effect"
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import type { ResidentsContractPorts } from "./helpers.js"

type Services = Residents | Communities | Outbox

const as =
  (actor: Actor) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.provideService(effect, CurrentActor, actor)

const bad = (input: Record<string, unknown>) => input as unknown as RegisterResidentInput

/** Two fresh communities and an actor per role in each. */
const setup = Effect.gen(function* () {
  const communities = yield* Communities
  const junxin = yield* communities.provision({
    name: "君馨社区",
    nameEn: "Junxin Community",
    timeZone: "Asia/Shanghai",
    grids: [
      { code: GridCode.make("JX-01"), name: "一网格" },
      { code: GridCode.make("JX-02"), name: "二网格" }
    ]
  })
  const guli = yield* communities.provision({
    name: "顾里小站",
    nameEn: "Gu Li Station",
    timeZone: "Asia/Shanghai",
    grids: [{ code: GridCode.make("GL-01"), name: "顾村一区" }]
  })
  const actor = (c: Community, role: Actor["roles"][number], subject: string): Actor => ({
    subject,
    communityId: c.id,
    roles: [role]
  })
  return {
    junxin,
    guli,
    junxinStaff: actor(junxin, "staff", "junxin-social-worker"),
    junxinGrid: actor(junxin, "grid_worker", "junxin-grid-worker"),
    junxinVolunteer: actor(junxin, "volunteer", "junxin-volunteer"),
    guliStaff: actor(guli, "staff", "guli-staff")
  }
})

const zhouInput: RegisterResidentInput = {
  displayName: "周赛群",
  grid: GridCode.make("JX-01"),
  birthYear: 1936,
  tags: ["migrant_elderly"],
  homePlace: { province: "jiangxi", city: "南昌" },
  languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
  skills: [],
  availability: [{ day: 3, start: "09:00", end: "11:00" }],
  location: { building: "5幢", unit: "2单元", room: "301" },
  phone: "13805741234",
  consents: [
    { purpose: "registry", grantedBy: { _tag: "Self" } },
    { purpose: "health_data", grantedBy: { _tag: "Self" } }
  ],
  health: { conditions: ["高血压"] }
}

const liuYingInput: RegisterResidentInput = {
  displayName: "刘英",
  grid: GridCode.make("JX-01"),
  birthYear: 1968,
  tags: ["volunteer", "fellow_townsperson"],
  homePlace: { province: "jiangxi", city: "上饶" },
  languages: [
    { language: "cmn", proficiency: "fluent" },
    { language: "gan", dialect: "南昌话", proficiency: "fluent" }
  ],
  skills: ["translation", "home_visit"],
  availability: [],
  consents: []
}

const full = (view: ResidentView) => {
  if (view._tag !== "Full") throw new Error(`expected a full view, got ${view._tag}`)
  return view
}

/** The registration of 陈静, a parent, and of her son 乐乐 (born 2017, a child): the guardian tests' family. */
const chenJingInput: RegisterResidentInput = { ...liuYingInput, displayName: "陈静", tags: ["parent"] }
const leleInput: RegisterResidentInput = { ...liuYingInput, displayName: "乐乐", birthYear: 2017, tags: ["child"] }

/**
 * Registers the end-to-end suite of the resident registry for an adapter: the core `Residents`
 * and `Communities` services over `target`'s ports. `residentsContract` runs it after the port
 * contracts; call it alone as `residentsServiceSuite({ name: "sqlite", layer })`.
 */
export const residentsServiceSuite = (target: ContractTarget<ResidentsContractPorts>): void => {
  const services: Layer.Layer<Services, unknown> = Layer.mergeAll(Residents.layer, Communities.layer).pipe(
    Layer.provideMerge(Layer.merge(target.layer, IdGenerator.Live))
  )

  registerContract(
    `residents service over ${target.name}`,
    { name: target.name, layer: services, skip: target.skip },
    (it) => {
      it.effect("staff register and read a resident in full, and the change is in the outbox", () =>
        Effect.gen(function* () {
          const { junxinStaff } = yield* setup
          const residents = yield* Residents
          const zhou = full(yield* residents.register(zhouInput).pipe(as(junxinStaff)))
          expect(zhou.version).toBe(1)
          const read = full(yield* residents.get(zhou.id).pipe(as(junxinStaff)))
          expect(read.displayName).toBe("周赛群")
          expect(read.health?.conditions).toEqual(["高血压"])
          const events = yield* (yield* Outbox).list(junxinStaff.communityId, 0, 100)
          expect(events.map((e) => [e.type, e.aggregateId, e.actor])).toEqual([
            ["CommunityProvisioned", junxinStaff.communityId, "installation"],
            ["ResidentRegistered", zhou.id, "junxin-social-worker"]
          ])
        })
      )

      it.effect("bad input is InvalidInput naming the field, and nothing is written", () =>
        Effect.gen(function* () {
          const { junxinStaff } = yield* setup
          const residents = yield* Residents
          const cases: ReadonlyArray<[string, RegisterResidentInput]> = [
            ["phone", bad({ ...zhouInput, phone: "12345" })],
            ["birthYear", bad({ ...zhouInput, birthYear: 2999 })],
            ["languages.0.language", bad({ ...zhouInput, languages: [{ language: "xx", proficiency: "native" }] })],
            ["displayName", bad({ ...zhouInput, displayName: "   " })],
            ["grid", bad({ ...zhouInput, grid: "NOPE-1" })],
            ["health", bad({ ...zhouInput, consents: [] })]
          ]
          for (const [field, input] of cases) {
            const error = yield* Effect.flip(residents.register(input).pipe(as(junxinStaff)))
            expect(error._tag).toBe("InvalidInput")
            if (error._tag === "InvalidInput") expect(error.field).toBe(field)
          }
          const page = yield* residents.search({}, {}).pipe(as(junxinStaff))
          expect(page.items).toHaveLength(0)
          expect((yield* (yield* Outbox).list(junxinStaff.communityId, 0, 100)).map((e) => e.type)).toEqual([
            "CommunityProvisioned"
          ])
        })
      )

      it.effect(
        "a NUL byte, a bidi override or an invisible-only text is InvalidInput, in a field or a filter, and writes nothing",
        () =>
          Effect.gen(function* () {
            const { junxinStaff } = yield* setup
            const residents = yield* Residents
            const zhou = full(yield* residents.register(zhouInput).pipe(as(junxinStaff)))
            const registrations: ReadonlyArray<[string, RegisterResidentInput]> = [
              ["displayName", { ...zhouInput, displayName: "周\u0000赛群" }],
              ["displayName", { ...zhouInput, displayName: "\u200b\u200b" }],
              ["displayName", { ...zhouInput, displayName: "周赛群\u202e" }],
              [
                "languages.0.dialect",
                { ...zhouInput, languages: [{ language: "gan", dialect: "南昌话\u0000", proficiency: "native" }] }
              ],
              ["location.building", { ...zhouInput, location: { building: "5幢\u0000" } }],
              ["health.notes", { ...zhouInput, health: { conditions: [], notes: "\u0000" } }]
            ]
            for (const [field, input] of registrations) {
              const error = yield* Effect.flip(residents.register(input).pipe(as(junxinStaff)))
              expect(error._tag === "InvalidInput" && error.field).toBe(field)
            }
            const update = yield* Effect.flip(
              residents
                .update(zhou.id, { expectedVersion: 1, patch: { displayName: "周赛群\u0000" } })
                .pipe(as(junxinStaff))
            )
            expect(update._tag === "InvalidInput" && update.field).toBe("patch.displayName")
            // in a filter a NUL must neither fail in the database nor match everything
            for (const filter of [
              { dialect: "\u0000" },
              { dialect: "南昌话\u0000" },
              { nameContains: "\u0000" },
              { nameContains: "周\u0000" }
            ]) {
              const error = yield* Effect.flip(residents.search(filter, {}).pipe(as(junxinStaff)))
              expect(error._tag === "InvalidInput" && error.field).toBe(Object.keys(filter)[0])
            }
            const listed = yield* residents.search({}, {}).pipe(as(junxinStaff))
            expect(listed.items.map((r) => r.id)).toEqual([zhou.id])
            expect(full(yield* residents.get(zhou.id).pipe(as(junxinStaff))).version).toBe(1)
            expect((yield* (yield* Outbox).list(junxinStaff.communityId, 0, 100)).map((e) => e.type)).toEqual([
              "CommunityProvisioned",
              "ResidentRegistered"
            ])
          })
      )

      it.effect("a stale version is Conflict; of two concurrent updates exactly one wins", () =>
        Effect.gen(function* () {
          const { junxinStaff, junxinGrid } = yield* setup
          const residents = yield* Residents
          const zhou = full(yield* residents.register(zhouInput).pipe(as(junxinStaff)))
          const results = yield* Effect.all(
            [
              residents
                .update(zhou.id, { expectedVersion: 1, patch: { phone: "13900000001" } })
                .pipe(as(junxinStaff), Effect.result),
              residents
                .update(zhou.id, { expectedVersion: 1, patch: { phone: "13900000002" } })
                .pipe(as(junxinGrid), Effect.result)
            ],
            { concurrency: "unbounded" }
          )
          const wins = results.filter((r) => r._tag === "Success")
          const losses = results.flatMap((r) => (r._tag === "Failure" ? [r.failure] : []))
          expect(wins).toHaveLength(1)
          expect(losses.map((e) => e._tag)).toEqual(["Conflict"])
          const after = full(yield* residents.get(zhou.id).pipe(as(junxinStaff)))
          expect(after.version).toBe(2)
          const stale = yield* Effect.flip(
            residents.update(zhou.id, { expectedVersion: 1, patch: { phone: "13900000003" } }).pipe(as(junxinStaff))
          )
          expect(stale._tag === "Conflict" && stale.reason).toBe("stale_version")
        })
      )

      it.effect("another community's staff can neither read, change nor find a resident", () =>
        Effect.gen(function* () {
          const { junxinStaff, guliStaff } = yield* setup
          const residents = yield* Residents
          const zhou = full(yield* residents.register(zhouInput).pipe(as(junxinStaff)))
          const attempts = [
            residents.get(zhou.id),
            residents.update(zhou.id, { expectedVersion: 1, patch: { phone: "13900000009" } }),
            residents.recordConsent(zhou.id, { purpose: "photos", grantedBy: { _tag: "Self" } }),
            residents.deactivate(zhou.id, "moved_away"),
            residents.erase(zhou.id)
          ]
          for (const attempt of attempts) {
            const error = yield* Effect.flip(attempt.pipe(as(guliStaff)))
            expect(error._tag).toBe("NotFound")
          }
          const found = yield* residents.search({ nameContains: "周" }, {}).pipe(as(guliStaff))
          expect(found.items).toHaveLength(0)
          const unchanged = full(yield* residents.get(zhou.id).pipe(as(junxinStaff)))
          expect(unchanged.version).toBe(1)
        })
      )

      it.effect("volunteers get reduced views and cannot register; residents see themselves and their wards only", () =>
        Effect.gen(function* () {
          const { junxinStaff, junxinVolunteer } = yield* setup
          const residents = yield* Residents
          const zhou = full(yield* residents.register(zhouInput).pipe(as(junxinStaff)))
          const mother = full(yield* residents.register(chenJingInput).pipe(as(junxinStaff)))
          const child = full(yield* residents.register(leleInput).pipe(as(junxinStaff)))
          yield* residents.linkGuardian(child.id, mother.id).pipe(as(junxinStaff))

          const reduced = yield* residents.get(zhou.id).pipe(as(junxinVolunteer))
          expect(reduced._tag).toBe("Reduced")
          expect(JSON.stringify(reduced)).not.toContain("高血压")
          const forbidden = yield* Effect.flip(residents.register(liuYingInput).pipe(as(junxinVolunteer)))
          expect(forbidden._tag).toBe("Forbidden")

          const asMother: Actor = {
            subject: "chen-jing",
            communityId: junxinStaff.communityId,
            roles: ["resident"],
            residentId: mother.id
          }
          const mine = yield* residents.search({}, {}).pipe(as(asMother))
          expect(mine.items.map((r) => r.id).sort()).toEqual([mother.id, child.id].sort())
          expect(full(yield* residents.get(child.id).pipe(as(asMother))).displayName).toBe("乐乐")
          const hidden = yield* Effect.flip(residents.get(zhou.id).pipe(as(asMother)))
          expect(hidden._tag).toBe("NotFound")
          // a guardian may change the child's self-service fields, not staff fields
          yield* residents
            .update(child.id, {
              expectedVersion: 2,
              patch: { availability: [{ day: 6, start: "09:00", end: "12:00" }] }
            })
            .pipe(as(asMother))
          const notAllowed = yield* Effect.flip(
            residents.update(child.id, { expectedVersion: 3, patch: { grid: null } }).pipe(as(asMother))
          )
          expect(notAllowed._tag).toBe("Forbidden")
          // and give a consent for the ward, as guardian
          const consented = full(
            yield* residents
              .recordConsent(child.id, { purpose: "photos", grantedBy: { _tag: "Guardian", guardianId: mother.id } })
              .pipe(as(asMother))
          )
          expect(consented.consents.map((c) => c.purpose)).toContain("photos")
        })
      )

      it.effect("search filters by language, dialect, province, tag, grid, age and name, and pages without gaps", () =>
        Effect.gen(function* () {
          const { junxinStaff } = yield* setup
          const residents = yield* Residents
          const zhou = full(yield* residents.register(zhouInput).pipe(as(junxinStaff)))
          const liu = full(yield* residents.register(liuYingInput).pipe(as(junxinStaff)))
          const others = yield* Effect.forEach(
            Array.from({ length: 7 }, (_, i) => i),
            (i) =>
              residents
                .register({
                  ...liuYingInput,
                  displayName: `馨工坊成员${i}`,
                  grid: GridCode.make("JX-02"),
                  birthYear: 1975 + i,
                  tags: ["workshop_member"],
                  homePlace: { province: "anhui" },
                  languages: [{ language: "cmn", proficiency: "native" }]
                })
                .pipe(as(junxinStaff))
          )
          const ids = (views: ReadonlyArray<ResidentView>) => views.map((v) => v.id)
          const search = (filter: Parameters<typeof residents.search>[0]) =>
            Effect.map(residents.search(filter, { limit: 50 }).pipe(as(junxinStaff)), (p) => ids(p.items))
          expect(yield* search({ language: "gan" })).toEqual([zhou.id, liu.id])
          expect(yield* search({ language: "gan", dialect: "南昌话" })).toEqual([zhou.id, liu.id])
          expect(yield* search({ homeProvince: "jiangxi", tag: "volunteer" })).toEqual([liu.id])
          expect(yield* search({ grid: GridCode.make("JX-02") })).toHaveLength(7)
          expect(yield* search({ minAge: 80 })).toEqual([zhou.id])
          const now = yield* DateTime.now
          const year = DateTime.getPart(DateTime.makeZonedUnsafe(now, { timeZone: "Asia/Shanghai" }), "year")
          const young = others.filter((o) => full(o).birthYear! >= year - 50).map((o) => o.id)
          expect(yield* search({ nameContains: "馨工坊", maxAge: 50 })).toEqual(young)
          const invalid = yield* Effect.flip(residents.search({ minAge: 70, maxAge: 60 }, {}).pipe(as(junxinStaff)))
          expect(invalid._tag).toBe("InvalidInput")

          const seen: Array<string> = []
          let cursor: string | undefined
          do {
            const page: { items: ReadonlyArray<ResidentView>; nextCursor: string | null } = yield* residents
              .search({}, { limit: 2, ...(cursor ? { cursor } : {}) })
              .pipe(as(junxinStaff))
            seen.push(...ids(page.items))
            cursor = page.nextCursor ?? undefined
          } while (cursor !== undefined)
          expect(seen).toHaveLength(9)
          expect(new Set(seen).size).toBe(9)
          expect([...seen]).toEqual([...seen].sort())
        })
      )

      it.effect("erase pseudonymises the record but keeps the id; withdrawing health consent drops health data", () =>
        Effect.gen(function* () {
          const { junxinStaff } = yield* setup
          const residents = yield* Residents
          const zhou = full(yield* residents.register(zhouInput).pipe(as(junxinStaff)))
          const withdrawn = full(yield* residents.withdrawConsent(zhou.id, "health_data").pipe(as(junxinStaff)))
          expect(withdrawn.health).toBeNull()
          const erased = full(yield* residents.erase(zhou.id).pipe(as(junxinStaff)))
          expect(erased.id).toBe(zhou.id)
          expect(erased.status).toBe("erased")
          expect(JSON.stringify(erased)).not.toMatch(/周赛群|南昌|13805741234/)
          const again = yield* Effect.flip(residents.erase(zhou.id).pipe(as(junxinStaff)))
          expect(again._tag).toBe("InvalidTransition")
          const listed = yield* residents.search({}, {}).pipe(as(junxinStaff))
          expect(listed.items).toHaveLength(0)
          const events = yield* (yield* Outbox).list(junxinStaff.communityId, 0, 100)
          expect(events.map((e) => e.type)).toEqual([
            "CommunityProvisioned",
            "ResidentRegistered",
            "ConsentWithdrawn",
            "ResidentErased"
          ])
          expect(JSON.stringify(events)).not.toMatch(/周赛群|南昌|13805741234|高血压/)
        })
      )

      it.effect("linking a household puts both residents in one new household", () =>
        Effect.gen(function* () {
          const { junxinStaff } = yield* setup
          const residents = yield* Residents
          const zhou = full(yield* residents.register(zhouInput).pipe(as(junxinStaff)))
          const daughter = full(
            yield* residents.register({ ...liuYingInput, displayName: "周丽" }).pipe(as(junxinStaff))
          )
          const linked = full(yield* residents.linkHousehold(zhou.id, daughter.id).pipe(as(junxinStaff)))
          const other = full(yield* residents.get(daughter.id).pipe(as(junxinStaff)))
          expect(linked.householdId).not.toBeNull()
          expect(other.householdId).toBe(linked.householdId)
          const self = yield* Effect.flip(residents.linkHousehold(zhou.id, zhou.id).pipe(as(junxinStaff)))
          expect(self._tag).toBe("InvalidInput")
        })
      )

      it.effect("erasing a guardian unlinks their wards: the erased account sees nothing and consents to nothing", () =>
        Effect.gen(function* () {
          const { junxinStaff } = yield* setup
          const residents = yield* Residents
          const mother = full(yield* residents.register(chenJingInput).pipe(as(junxinStaff)))
          const child = full(yield* residents.register(leleInput).pipe(as(junxinStaff)))
          yield* residents.linkGuardian(child.id, mother.id).pipe(as(junxinStaff))
          yield* residents.erase(mother.id).pipe(as(junxinStaff))
          const after = full(yield* residents.get(child.id).pipe(as(junxinStaff)))
          expect(after.guardianIds).toEqual([])
          const asMother: Actor = {
            subject: "chen-jing",
            communityId: junxinStaff.communityId,
            roles: ["resident"],
            residentId: mother.id
          }
          expect((yield* Effect.flip(residents.get(child.id).pipe(as(asMother))))._tag).toBe("NotFound")
          const consent = yield* Effect.flip(
            residents
              .recordConsent(child.id, { purpose: "photos", grantedBy: { _tag: "Guardian", guardianId: mother.id } })
              .pipe(as(junxinStaff))
          )
          expect(consent._tag).toBe("InvalidInput")
          const types = (yield* (yield* Outbox).list(junxinStaff.communityId, 0, 100)).map((e) => e.type)
          expect(types.slice(-2)).toEqual(["GuardianUnlinked", "ResidentErased"])
        })
      )

      it.effect(
        "unlinking or erasing a guardian withdraws the consents that guardian gave, with events, and no others",
        () =>
          Effect.gen(function* () {
            const { junxinStaff } = yield* setup
            const residents = yield* Residents
            const outbox = yield* Outbox
            const mother = full(yield* residents.register(chenJingInput).pipe(as(junxinStaff)))
            const father = full(
              yield* residents
                .register({ ...liuYingInput, displayName: "王强", tags: ["parent"] })
                .pipe(as(junxinStaff))
            )
            const child = full(yield* residents.register(leleInput).pipe(as(junxinStaff)))
            yield* residents.linkGuardian(child.id, mother.id).pipe(as(junxinStaff))
            yield* residents.linkGuardian(child.id, father.id).pipe(as(junxinStaff))
            // nobody is their own guardian, an adult no more than a child
            const own = yield* Effect.flip(residents.linkGuardian(mother.id, mother.id).pipe(as(junxinStaff)))
            expect(own._tag === "InvalidInput" && own.field).toBe("guardianId")
            const by = (guardianId: string) => ({ _tag: "Guardian" as const, guardianId })
            yield* residents
              .recordConsent(child.id, { purpose: "photos", grantedBy: by(mother.id) })
              .pipe(as(junxinStaff))
            yield* residents
              .recordConsent(child.id, { purpose: "health_data", grantedBy: by(mother.id) })
              .pipe(as(junxinStaff))
            yield* residents
              .recordConsent(child.id, { purpose: "contact_sharing", grantedBy: by(father.id) })
              .pipe(as(junxinStaff))
            const before = full(yield* residents.get(child.id).pipe(as(junxinStaff)))
            yield* residents
              .update(child.id, { expectedVersion: before.version, patch: { health: { conditions: ["哮喘"] } } })
              .pipe(as(junxinStaff))
            const inForce = (view: ResidentView) =>
              full(view)
                .consents.filter((c) => c.withdrawnAt === null)
                .map((c) => c.purpose)
                .sort()
            const sequence = (yield* outbox.list(junxinStaff.communityId, 0, 1000)).length

            const unlinked = full(yield* residents.unlinkGuardian(child.id, mother.id).pipe(as(junxinStaff)))
            expect(unlinked.guardianIds).toEqual([father.id])
            expect(inForce(unlinked)).toEqual(["contact_sharing"])
            expect(unlinked.health).toBeNull() // the health consent went, and the health data with it
            // the withdrawn records stay as evidence
            expect(
              unlinked.consents
                .filter((c) => c.withdrawnAt !== null)
                .map((c) => c.purpose)
                .sort()
            ).toEqual(["health_data", "photos"])
            const stored = full(yield* residents.get(child.id).pipe(as(junxinStaff)))
            expect(stored).toEqual(unlinked)
            const afterUnlink = (yield* outbox.list(junxinStaff.communityId, sequence, 1000)).map((e) => [
              e.type,
              e.aggregateVersion,
              (e.payload as { purpose?: string }).purpose
            ])
            expect(afterUnlink).toEqual([
              ["GuardianUnlinked", before.version + 2, undefined],
              ["ConsentWithdrawn", before.version + 3, "photos"],
              ["ConsentWithdrawn", before.version + 4, "health_data"]
            ])
            expect(unlinked.version).toBe(before.version + 4)

            // erasing the other guardian withdraws theirs, in the erase's transaction
            yield* residents.erase(father.id).pipe(as(junxinStaff))
            const orphan = full(yield* residents.get(child.id).pipe(as(junxinStaff)))
            expect(orphan.guardianIds).toEqual([])
            expect(inForce(orphan)).toEqual([])
            const types = (yield* outbox.list(junxinStaff.communityId, 0, 1000)).map((e) => e.type)
            expect(types.slice(-3)).toEqual(["GuardianUnlinked", "ConsentWithdrawn", "ResidentErased"])
            // nothing of the former guardians' is left in force to withdraw
            const again = yield* Effect.flip(
              residents.withdrawConsent(child.id, "contact_sharing").pipe(as(junxinStaff))
            )
            expect(again._tag).toBe("InvalidInput")
          })
      )

      it.effect("two concurrent opposite guardian links never make residents each other's guardian", () =>
        Effect.gen(function* () {
          const { junxinStaff, junxinGrid } = yield* setup
          const residents = yield* Residents
          for (let round = 0; round < 5; round++) {
            const a = full(
              yield* residents.register({ ...liuYingInput, displayName: `甲${round}` }).pipe(as(junxinStaff))
            )
            const b = full(
              yield* residents.register({ ...liuYingInput, displayName: `乙${round}` }).pipe(as(junxinStaff))
            )
            yield* Effect.all(
              [
                residents.linkGuardian(a.id, b.id).pipe(as(junxinStaff), Effect.result),
                residents.linkGuardian(b.id, a.id).pipe(as(junxinGrid), Effect.result)
              ],
              { concurrency: "unbounded" }
            )
            const a2 = full(yield* residents.get(a.id).pipe(as(junxinStaff)))
            const b2 = full(yield* residents.get(b.id).pipe(as(junxinStaff)))
            const cycle = a2.guardianIds.includes(b.id) && b2.guardianIds.includes(a.id)
            expect(cycle).toBe(false)
            expect(a2.guardianIds.length + b2.guardianIds.length).toBeLessThanOrEqual(1)
          }
        })
      )

      it.effect("volunteers may filter ages only by ten-year bands, which is what their view shows", () =>
        Effect.gen(function* () {
          const { junxinStaff, junxinVolunteer } = yield* setup
          const residents = yield* Residents
          yield* residents.register(zhouInput).pipe(as(junxinStaff))
          const exact = yield* Effect.flip(residents.search({ minAge: 90, maxAge: 90 }, {}).pipe(as(junxinVolunteer)))
          expect(exact._tag === "InvalidInput" && exact.field).toBe("maxAge")
          const band = yield* residents.search({ minAge: 80, maxAge: 99 }, {}).pipe(as(junxinVolunteer))
          expect(band.items.map((v) => v._tag)).toEqual(["Reduced"])
          // staff may filter exactly
          const staffExact = yield* residents.search({ minAge: 85, maxAge: 95 }, {}).pipe(as(junxinStaff))
          expect(staffExact.items).toHaveLength(1)
        })
      )

      it.effect("deactivation takes a reason code, never free text", () =>
        Effect.gen(function* () {
          const { junxinStaff } = yield* setup
          const residents = yield* Residents
          const zhou = full(yield* residents.register(zhouInput).pipe(as(junxinStaff)))
          const free = yield* Effect.flip(
            residents.deactivate(zhou.id, "住院 13805741234" as "other").pipe(as(junxinStaff))
          )
          expect(free._tag === "InvalidInput" && free.field).toBe("reason")
          const done = full(yield* residents.deactivate(zhou.id, "moved_away").pipe(as(junxinStaff)))
          expect(done.status).toBe("inactive")
          const listed = yield* residents.search({}, {}).pipe(as(junxinStaff))
          expect(listed.items).toHaveLength(0)
          const inactive = yield* residents.search({ status: "inactive" }, {}).pipe(as(junxinStaff))
          expect(inactive.items.map((v) => v.id)).toEqual([zhou.id])
          const back = full(yield* residents.reactivate(zhou.id).pipe(as(junxinStaff)))
          expect(back.status).toBe("active")
        })
      )
    },
    { timeout: 60_000 }
  )
}
