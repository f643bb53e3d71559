/**
 * The fund, end to end over a storage adapter: the core `Fund` service (with the ledger under it)
 * running on the adapter's ports. What users rely on: a season of Candy Commune (糖果公社) sales
 * reaches the fund and the statement reconciles to the ledger to the fen; an entry recorded twice
 * (also by calls at the same time) posts once; money that is not there is refused and leaves no trace; a round goes through public
 * notice, objections and N-of-M sign-off with the author and the beneficiary's household
 * stepping aside, its allocations are held, paid or released in the ledger; a family sees its
 * own application and the public sees no personal data; other communities see nothing; and
 * concurrent payments of one round pay it once.
 *
 * @module
 */
import { expect } from "@effect/vitest"
import { CurrentActor, Fund, HouseholdId, IdGenerator, Ledger, ResidentRepo, TransferId } from "@commonweal/core"
import type { Actor, AllocationRound, DomainError, ResidentId } from "@commonweal/core"
import { Clock, Effect, Layer } from "effect"
import { makeResident, randomUuid7 } from "../builders.js"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractTarget } from "../kernel/ContractTarget.js"
import { registerContract } from "../kernel/ContractTarget.js"
import { ahead } from "../kernel/clock.js"
import type { FundContractPorts } from "./helpers.js"

/** The ports the fund's service suite runs on (the fund contract's). */
export type FundServicePorts = FundContractPorts

type Services = Fund | Ledger | FundServicePorts

const DAY = 86_400_000

const as =
  (actor: Actor) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.provideService(effect, CurrentActor, actor)

const freshEntryId = (): string => TransferId.make(randomUuid7())

const expectError = (error: DomainError, tag: DomainError["_tag"], ...inMessage: ReadonlyArray<string>) => {
  expect(error._tag).toBe(tag)
  for (const text of inMessage) expect(error.message).toContain(text)
}

/** A fresh community with its people: staff, a treasurer, three approvers (one in the Zhou household) and the Zhou family. */
const setup = Effect.gen(function* () {
  const communityId = yield* freshCommunity
  const residents = yield* ResidentRepo
  const zhouHousehold = HouseholdId.make(randomUuid7())
  const zhou = makeResident({ communityId, displayName: "周赛群", householdId: zhouHousehold })
  const zhouSon = makeResident({ communityId, displayName: "周建国", birthYear: 1962, householdId: zhouHousehold })
  const neighbour = makeResident({ communityId, displayName: "王阿姨", birthYear: 1958 })
  for (const r of [zhou, zhouSon, neighbour]) yield* residents.insert(r)
  const person = (subject: string, roles: ReadonlyArray<string>, residentId?: ResidentId): Actor => ({
    subject,
    communityId,
    roles: [...roles],
    ...(residentId === undefined ? {} : { residentId })
  })
  return {
    communityId,
    zhou,
    staff: person("social-worker-li", ["staff"]),
    treasurer: person("treasurer-xu", ["treasurer"]),
    chen: person("committee-chen", ["approver"]),
    sun: person("committee-sun", ["approver"]),
    zhouSonApprover: person("committee-zhou", ["approver", "resident"], zhouSon.id),
    zhouFamily: person(`resident-${zhou.id}`, ["resident"], zhou.id),
    neighbour: person(`resident-${neighbour.id}`, ["resident"], neighbour.id),
    admin: person("admin", ["admin"])
  }
})

type People = Effect.Success<typeof setup>

/** A season of Candy Commune: two products, sales, a design fee, a production run, proceeds into the fund. */
const season = (p: People) =>
  Effect.gen(function* () {
    const fund = yield* Fund
    const umbrella = yield* fund
      .addProduct({ sku: "UMBRELLA-01", name: "幸运君折叠伞 / folding umbrella", unitPrice: 2_500 })
      .pipe(as(p.admin))
    const fan = yield* fund
      .addProduct({ sku: "FAN-01", name: "幸运君手持风扇 / hand fan", unitPrice: 1_500 })
      .pipe(as(p.admin))
    const sale1 = yield* fund
      .record({ id: freshEntryId(), kind: "sale", productId: umbrella.id, quantity: 40, note: "中秋义卖" })
      .pipe(as(p.treasurer))
    yield* fund
      .record({ id: freshEntryId(), kind: "sale", productId: fan.id, quantity: 60, note: "夏季市集" })
      .pipe(as(p.treasurer))
    yield* fund
      .record({
        id: freshEntryId(),
        kind: "design_fee",
        amount: 30_000,
        productId: umbrella.id,
        note: "吉祥物设计费",
        counterparty: "宁波某设计工作室"
      })
      .pipe(as(p.treasurer))
    yield* fund
      .record({ id: freshEntryId(), kind: "production_cost", amount: 60_000, productId: fan.id, note: "风扇生产" })
      .pipe(as(p.treasurer))
    // takings 40 × 25.00 + 60 × 15.00 = 1,900.00; costs 900.00; net proceeds 1,000.00
    yield* fund
      .record({ id: freshEntryId(), kind: "proceeds", amount: 100_000, note: "净收益转入公益基金" })
      .pipe(as(p.treasurer))
    return { umbrella, fan, sale1 }
  })

/** Drafts (as staff) a round of the general fund: two projects and the Zhou family. */
const draftRound = (p: People, pool: number) =>
  Effect.flatMap(Fund, (fund) =>
    fund
      .draftRound({
        title: "2026 秋季社区公益资助",
        purpose: "社区营造与困难家庭帮扶",
        pool,
        candidates: [
          { key: "kites", kind: "project", label: "亲子风筝课 / kite workshop", request: 30_000, weight: 40 },
          { key: "reading", kind: "project", label: "老人读报角 / reading corner", request: 20_000, weight: 30 },
          { key: "zhou", kind: "family", label: "周家（随迁老人）", residentId: p.zhou.id, request: 40_000, weight: 90 }
        ]
      })
      .pipe(as(p.staff))
  )

/** Drafts, submits and starts the notice of a round; returns it in notice. */
const roundInNotice = (p: People, pool: number) =>
  Effect.gen(function* () {
    const fund = yield* Fund
    const round = yield* draftRound(p, pool)
    yield* fund.submitRound(round.id).pipe(as(p.staff))
    return yield* fund.startNotice(round.id).pipe(as(p.staff))
  })

/**
 * Registers the end-to-end suite of the fund for an adapter: the core `Fund` and `Ledger`
 * services over `target`'s ports. `fundContract` runs it after the port contract.
 */
export const fundServiceSuite = (target: ContractTarget<FundServicePorts>): void => {
  const services: Layer.Layer<Services, unknown> = Layer.merge(Fund.layer, Ledger.layer).pipe(
    Layer.provideMerge(Layer.merge(target.layer, IdGenerator.Live))
  )

  registerContract(
    `fund service over ${target.name}`,
    { name: target.name, layer: services, skip: target.skip },
    (it) => {
      it.effect("a season of Candy Commune reaches the fund; the statement reconciles to the ledger to the fen", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const fund = yield* Fund
          const { umbrella, sale1 } = yield* season(p)
          expect(sale1.amount).toBe(100_000)
          yield* fund
            .addSubFund({ code: "elderly-meals", name: "长者助餐专项", purpose: "随迁老人助餐补贴" })
            .pipe(as(p.admin))
          yield* fund
            .record({
              id: freshEntryId(),
              kind: "donation",
              amount: 50_000,
              subFund: "elderly-meals",
              note: "爱心捐赠",
              counterparty: "王阿姨"
            })
            .pipe(as(p.treasurer))
          yield* fund
            .record({ id: freshEntryId(), kind: "donation", amount: 20_000, note: "匿名捐赠" })
            .pipe(as(p.treasurer))
          yield* fund
            .record({ id: freshEntryId(), kind: "earmark", amount: 10_000, subFund: "elderly-meals", note: "划拨助餐" })
            .pipe(as(p.treasurer))
          yield* fund
            .record({ id: freshEntryId(), kind: "cost", amount: 1_200, note: "公示栏打印" })
            .pipe(as(p.treasurer))
          const now = yield* Clock.currentTimeMillis
          const s = yield* fund.statement({ from: 0, to: now + DAY }).pipe(as(p.staff))
          expect(s.reconciliation.ok).toBe(true)
          const general = s.pools.find((x) => x.pool === "general")!
          const meals = s.pools.find((x) => x.pool === "elderly-meals")!
          expect([general.proceeds, general.donations, general.earmarked, general.costs, general.closing]).toEqual([
            100_000, 20_000, -10_000, 1_200, 108_800
          ])
          expect([meals.donations, meals.earmarked, meals.closing]).toEqual([50_000, 10_000, 60_000])
          expect(s.total.closing).toBe(168_800)
          expect(s.enterprise).toMatchObject({
            sales: 190_000,
            designFees: 30_000,
            productionCosts: 60_000,
            proceedsToFund: 100_000,
            closing: 0
          })
          expect(s.enterprise.byProduct.map((r) => [r.sku, r.quantity, r.amount])).toEqual([
            ["FAN-01", 60, 90_000],
            ["UMBRELLA-01", 40, 100_000]
          ])
          // a period before everything has nothing in it, and still reconciles
          const before = yield* fund.statement({ from: 0, to: 1 }).pipe(as(p.staff))
          expect([before.total.opening, before.total.closing, before.reconciliation.ok]).toEqual([0, 0, true])
          expect(umbrella.sku).toBe("UMBRELLA-01")
        })
      )

      it.effect("an entry recorded again posts nothing twice; the same id with other content is Conflict", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const fund = yield* Fund
          const entry = { id: freshEntryId(), kind: "donation", amount: 8_800, note: "重阳节捐赠" } as const
          const first = yield* fund.record(entry).pipe(as(p.treasurer))
          const again = yield* fund.record(entry).pipe(as(p.treasurer))
          expect(again).toEqual(first)
          const other = yield* Effect.flip(fund.record({ ...entry, amount: 9_900 }).pipe(as(p.treasurer)))
          expectError(other, "Conflict")
          const s = yield* fund.statement({ from: 0, to: (yield* Clock.currentTimeMillis) + DAY }).pipe(as(p.staff))
          expect(s.total.donations).toBe(8_800)
          const listed = yield* fund.entries({ kind: "donation" }).pipe(as(p.staff))
          expect(listed.items.map((e) => e.id)).toEqual([entry.id])
        })
      )

      it.effect("the same entry sent four times at once is recorded once, and every call gets it", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const fund = yield* Fund
          const entry = { id: freshEntryId(), kind: "donation", amount: 6_600, note: "网络重试的捐赠" } as const
          const results = yield* Effect.all(
            [1, 2, 3, 4].map(() => fund.record(entry).pipe(as(p.treasurer))),
            { concurrency: "unbounded" }
          )
          for (const r of results) expect(r).toEqual(results[0])
          const s = yield* fund.statement({ from: 0, to: (yield* Clock.currentTimeMillis) + DAY }).pipe(as(p.staff))
          expect([s.total.donations, s.reconciliation.ok]).toEqual([6_600, true])
          const listed = yield* fund.entries({ kind: "donation" }).pipe(as(p.staff))
          expect(listed.items.map((e) => e.id)).toEqual([entry.id])
        })
      )

      it.effect("money that is not there is refused and leaves no trace", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const fund = yield* Fund
          const proceeds = { id: freshEntryId(), kind: "proceeds", amount: 1, note: "净收益" } as const
          expectError(yield* Effect.flip(fund.record(proceeds).pipe(as(p.treasurer))), "InsufficientFunds")
          const cost = { id: freshEntryId(), kind: "cost", amount: 500, note: "打印" } as const
          expectError(yield* Effect.flip(fund.record(cost).pipe(as(p.treasurer))), "InsufficientFunds")
          const entries = yield* fund.entries().pipe(as(p.staff))
          expect(entries.items).toEqual([])
          // the same ids work once the money is there
          yield* fund
            .record({ id: freshEntryId(), kind: "other_income", amount: 500, note: "街道拨款" })
            .pipe(as(p.treasurer))
          yield* fund.record(cost).pipe(as(p.treasurer))
          const s = yield* fund.statement({ from: 0, to: (yield* Clock.currentTimeMillis) + DAY }).pipe(as(p.staff))
          expect([s.total.otherIncome, s.total.costs, s.total.closing, s.reconciliation.ok]).toEqual([
            500,
            500,
            0,
            true
          ])
        })
      )

      it.effect("who may do what: residents neither record nor read the books; a sale names its product", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const fund = yield* Fund
          expectError(
            yield* Effect.flip(
              fund.record({ id: freshEntryId(), kind: "donation", amount: 1, note: "x" }).pipe(as(p.neighbour))
            ),
            "Forbidden",
            "fund:record"
          )
          expectError(yield* Effect.flip(fund.statement({ from: 0, to: 1 }).pipe(as(p.neighbour))), "Forbidden")
          expectError(
            yield* Effect.flip(fund.addProduct({ sku: "X", name: "x", unitPrice: 1 }).pipe(as(p.staff))),
            "Forbidden"
          )
          expectError(
            yield* Effect.flip(fund.record({ id: freshEntryId(), kind: "sale", note: "?" }).pipe(as(p.treasurer))),
            "InvalidInput"
          )
          expectError(
            yield* Effect.flip(
              fund.record({ id: "nope", kind: "donation", amount: 1, note: "x" }).pipe(as(p.treasurer))
            ),
            "InvalidInput"
          )
          expectError(
            yield* Effect.flip(
              fund
                .record({ id: freshEntryId(), kind: "donation", amount: 1, subFund: "nope", note: "x" })
                .pipe(as(p.treasurer))
            ),
            "NotFound"
          )
          expectError(
            yield* Effect.flip(fund.addProduct({ sku: "FAN-01", name: "风扇", unitPrice: 0 }).pipe(as(p.admin))),
            "InvalidInput"
          )
          yield* fund.addProduct({ sku: "FAN-01", name: "风扇", unitPrice: 1_500 }).pipe(as(p.admin))
          expectError(
            yield* Effect.flip(fund.addProduct({ sku: "FAN-01", name: "又一个", unitPrice: 1_500 }).pipe(as(p.admin))),
            "Conflict"
          )
        })
      )

      it.effect(
        "a round: notice, objection and answer, author and household step aside, 2 of 3 approve, holds, payment",
        () =>
          Effect.gen(function* () {
            const p = yield* setup
            const fund = yield* Fund
            yield* season(p)
            // the general fund has 1,000.00; the round shares 800.00 (kites 300, reading 200, Zhou family 300 of 400)
            const round = yield* roundInNotice(p, 80_000)
            expect(round.status).toBe("notice")
            expect(round.requiredApprovals).toBe(1)
            // two approvers needed from 500 yuan in this community
            yield* fund
              .updateSettings({
                noticeDays: 5,
                signOff: [
                  { fromFen: 0, approvals: 1 },
                  { fromFen: 50_000, approvals: 2 }
                ],
                expectedVersion: 0
              })
              .pipe(as(p.admin))
            const r2 = yield* roundInNotice(p, 80_000)
            expect(r2.requiredApprovals).toBe(2)
            expect(r2.noticeEndsAt! - r2.noticeStartsAt!).toBe(5 * DAY)
            yield* fund.cancel(round.id, "以第二轮为准").pipe(as(p.staff))

            const objectionId = yield* fund.object(r2.id, "周家的补助标准是什么？").pipe(as(p.neighbour))
            const publicView = yield* fund.publicRound(r2.id).pipe(as(p.neighbour))
            expect(JSON.stringify(publicView)).not.toContain("周家")
            expect(publicView.families).toEqual({
              count: 1,
              amount: r2.outcome!.shares.find((s) => s.id === "zhou")!.amount
            })
            expect(publicView.objections).toEqual({ filed: 1, answered: 0 })

            const later = ahead(6 * DAY)
            expectError(
              yield* Effect.flip(fund.signOff(r2.id, "approve", "同意").pipe(as(p.chen))),
              "InvalidTransition",
              "公示"
            )
            expectError(
              yield* Effect.flip(fund.signOff(r2.id, "approve", "同意").pipe(as(p.chen), later)),
              "InvalidTransition",
              "异议"
            )
            yield* fund.answerObjection(r2.id, objectionId, "按低保边缘家庭标准核定").pipe(as(p.staff), later)
            expectError(
              yield* Effect.flip(fund.signOff(r2.id, "approve", "同意").pipe(as(p.zhouSonApprover), later)),
              "Forbidden",
              "回避"
            )
            expectError(
              yield* Effect.flip(fund.signOff(r2.id, "approve", "同意").pipe(as(p.staff), later)),
              "Forbidden"
            )
            const one = yield* fund.signOff(r2.id, "approve", "同意").pipe(as(p.chen), later)
            expect(one.status).toBe("notice")
            const two = yield* fund.signOff(r2.id, "approve", "同意").pipe(as(p.sun), later)
            expect(two.status).toBe("approved")
            expect(two.holds.reduce((a, h) => a + h.amount, 0)).toBe(80_000)

            const until = (yield* Clock.currentTimeMillis) + 30 * DAY
            const held = yield* fund.statement({ from: 0, to: until }).pipe(as(p.staff))
            const general = held.pools.find((x) => x.pool === "general")!
            expect([general.closing, general.committed, general.available]).toEqual([100_000, 80_000, 20_000])

            // the family sees its own application, nobody else's; a neighbour sees none
            const mine = yield* fund.myApplications().pipe(as(p.zhouFamily))
            expect(mine.items.map((a) => [a.roundId, a.candidate.key])).toContainEqual([r2.id, "zhou"])
            expect(mine.items.every((a) => a.candidate.key === "zhou")).toBe(true)
            expect((yield* fund.myApplications().pipe(as(p.neighbour))).items).toEqual([])
            expectError(yield* Effect.flip(fund.round(r2.id).pipe(as(p.zhouFamily))), "Forbidden")

            const scheduled = yield* fund.schedule(r2.id, until).pipe(as(p.treasurer), later)
            expect(scheduled.status).toBe("scheduled")
            const paid = yield* fund.pay(r2.id).pipe(as(p.treasurer), later)
            expect(paid.status).toBe("paid")
            const after = yield* fund.statement({ from: 0, to: until }).pipe(as(p.staff))
            const g = after.pools.find((x) => x.pool === "general")!
            expect([g.allocations, g.closing, g.committed, after.reconciliation.ok]).toEqual([80_000, 20_000, 0, true])
            const report = yield* fund.publicReport({ from: 0, to: until }).pipe(as(p.neighbour))
            expect(report.reconciled).toBe(true)
            expect(report.allocations).toBe(80_000)
            expect(report.rounds.map((r) => r.status).sort()).toEqual(["cancelled", "paid"])
            expect(JSON.stringify(report)).not.toContain(p.zhou.id)
            const ledger = yield* Ledger
            const chain = yield* ledger.verifyChain().pipe(as(p.admin))
            expect(chain.transfers).toBeGreaterThan(0)
          })
      )

      it.effect(
        "approving more than the pool holds is InsufficientFunds and records nothing; cancelling releases holds",
        () =>
          Effect.gen(function* () {
            const p = yield* setup
            const fund = yield* Fund
            yield* season(p) // 1,000.00 in the general fund
            const tooBig = yield* roundInNotice(p, 90_000)
            yield* fund
              .record({ id: freshEntryId(), kind: "cost", amount: 20_000, note: "活动场地" })
              .pipe(as(p.treasurer))
            const later = ahead(8 * DAY)
            expectError(
              yield* Effect.flip(fund.signOff(tooBig.id, "approve", "同意").pipe(as(p.chen), later)),
              "InsufficientFunds"
            )
            const still = yield* fund.round(tooBig.id).pipe(as(p.staff))
            expect([still.status, still.signOffs.length, still.version]).toEqual(["notice", 0, tooBig.version])

            const fits = yield* roundInNotice(p, 50_000)
            const approved = yield* fund.signOff(fits.id, "approve", "同意").pipe(as(p.chen), ahead(8 * DAY))
            expect(approved.status).toBe("approved")
            const until = (yield* Clock.currentTimeMillis) + 30 * DAY
            const before = (yield* fund.statement({ from: 0, to: until }).pipe(as(p.staff))).pools[0]!
            expect([before.closing, before.committed]).toEqual([80_000, 50_000])
            const cancelled = yield* fund.cancel(fits.id, "项目延期").pipe(as(p.treasurer), ahead(8 * DAY))
            expect(cancelled.holds.every((h) => h.status === "voided")).toBe(true)
            const afterCancel = (yield* fund.statement({ from: 0, to: until }).pipe(as(p.staff))).pools[0]!
            expect([afterCancel.closing, afterCancel.committed, afterCancel.allocations]).toEqual([80_000, 0, 0])
          })
      )

      it.effect("another community's rounds and entries do not exist; a draft is not public", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const q = yield* setup
          const fund = yield* Fund
          yield* season(p)
          const round = yield* draftRound(p, 10_000)
          expectError(yield* Effect.flip(fund.round(round.id).pipe(as(q.staff))), "NotFound")
          expectError(yield* Effect.flip(fund.submitRound(round.id).pipe(as(q.staff))), "NotFound")
          expectError(yield* Effect.flip(fund.publicRound(round.id).pipe(as(p.neighbour))), "NotFound")
          expect((yield* fund.entries().pipe(as(q.staff))).items).toEqual([])
          expect((yield* fund.rounds().pipe(as(q.staff))).items).toEqual([])
          expect((yield* fund.rounds({ status: "draft" }).pipe(as(p.staff))).items.map((r) => r.id)).toEqual([round.id])
        })
      )

      it.effect("four treasurers paying one round at once pay it once", () =>
        Effect.gen(function* () {
          const p = yield* setup
          const fund = yield* Fund
          yield* season(p)
          const round = yield* roundInNotice(p, 60_000)
          const later = ahead(8 * DAY)
          yield* fund.signOff(round.id, "approve", "同意").pipe(as(p.chen), later)
          yield* fund.schedule(round.id, 0).pipe(as(p.treasurer), later)
          const results = yield* Effect.all(
            [1, 2, 3, 4].map(() => Effect.result(fund.pay(round.id).pipe(as(p.treasurer), later))),
            { concurrency: "unbounded" }
          )
          const paid = results.filter((r) => r._tag === "Success")
          expect(paid).toHaveLength(1)
          for (const r of results)
            if (r._tag === "Failure") expect(["Conflict", "InvalidTransition"]).toContain(r.failure._tag)
          const s = yield* fund
            .statement({ from: 0, to: (yield* Clock.currentTimeMillis) + 30 * DAY })
            .pipe(as(p.staff))
          expect([s.total.allocations, s.total.closing, s.total.committed, s.reconciliation.ok]).toEqual([
            60_000,
            40_000,
            0,
            true
          ])
          const final: AllocationRound = yield* fund.round(round.id).pipe(as(p.staff))
          expect(final.status).toBe("paid")
        })
      )
    }
  )
}
