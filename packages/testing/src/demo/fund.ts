/**
 * The demo fund of 君馨社区: a season of Candy Commune (糖果公社) selling 幸运君 mascot goods, the
 * proceeds moved into the community public-welfare fund, a donation from a co-building bank
 * branch into an earmarked sub-fund, one allocation round paid and one in public notice (公示).
 *
 * The story is written in order, each step at its own time before the seed runs (the clock is
 * set back for it), so the ledger's chain and the statement of any period read as they would
 * have happened: sales from 100 days ago, the first round drafted 60 days ago and paid 45 days
 * ago, the second round's notice started 2 days ago and still running.
 *
 * @module
 */
import { CurrentActor, Fund, TransferId } from "@commonweal/core"
import type { Actor, DomainError } from "@commonweal/core"
import { Clock, Effect } from "effect"
import { shiftedClock } from "../kernel/clock.js"
import { JUNXIN_ID } from "./communities.js"
import * as R from "./residents.js"

const DAY = 86_400_000

/** The fund's demo accounts of 君馨社区: its treasurer and two committee members who approve. */
export const junxinFundActors = {
  treasurer: {
    subject: "demo:junxin-treasurer",
    communityId: JUNXIN_ID,
    roles: ["treasurer"]
  },
  approver: {
    subject: "demo:junxin-approver",
    communityId: JUNXIN_ID,
    roles: ["approver"]
  },
  approver2: {
    subject: "demo:junxin-approver-2",
    communityId: JUNXIN_ID,
    roles: ["approver"]
  }
} as const satisfies Record<string, Actor>

/** The social worker who drafts the rounds (林晓, staff). */
const staff: Actor = {
  subject: "demo:junxin-staff",
  communityId: JUNXIN_ID,
  roles: ["staff"],
  residentId: R.linXiao.id
}
/** The community's admin (products, sub-funds, settings). */
const admin: Actor = { subject: "demo:junxin-admin", communityId: JUNXIN_ID, roles: ["admin"] }
/** A resident who objects during the second round's notice (王秀兰). */
const objector: Actor = {
  subject: "demo:junxin-resident-wang",
  communityId: JUNXIN_ID,
  roles: ["resident"],
  residentId: R.wangXiulan.id
}

/** The entry ids of the demo are fixed, so the seed is the same on every machine. */
const entryId = (n: number): string => TransferId.make(`0190f0a0-0000-7000-8000-${String(n).padStart(12, "0")}`)

/** What the fund seed wrote. */
export interface DemoFundReport {
  readonly entries: number
  readonly rounds: number
}

/**
 * Seeds 君馨社区's fund through the `Fund` service. Call it inside the community's seed
 * transaction (as `seedDemo` does), after its residents and households exist.
 */
export const seedJunxinFund: Effect.Effect<DemoFundReport, DomainError, Fund> = Effect.gen(function* () {
  const fund = yield* Fund
  const live = yield* Clock.clockWith(Effect.succeed)
  const now = live.currentTimeMillisUnsafe()
  /** Runs `effect` as `actor` with the clock `daysAgo` days (and `minutes` minutes) before the seed. */
  const at =
    (daysAgo: number, actor: Actor, minutes = 0) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      effect.pipe(
        Effect.provideService(Clock.Clock, shiftedClock(live, -daysAgo * DAY + minutes * 60_000)),
        Effect.provideService(CurrentActor, actor)
      )
  let entries = 0
  const record = (daysAgo: number, input: Parameters<Fund["Service"]["record"]>[0]) =>
    Effect.map(fund.record(input).pipe(at(daysAgo, junxinFundActors.treasurer, entries)), (entry) => {
      entries++
      return entry
    })

  // the community's rules: 7 days of notice; two approvers from ¥1,000
  yield* fund
    .updateSettings({
      noticeDays: 7,
      signOff: [
        { fromFen: 0, approvals: 1 },
        { fromFen: 100_000, approvals: 2 }
      ],
      expectedVersion: 0
    })
    .pipe(at(110, admin))
  const fan = yield* fund
    .addProduct({ sku: "FAN-01", name: "幸运君手持风扇 / Lucky Jun hand fan", unitPrice: 1_500 })
    .pipe(at(110, admin, 1))
  const pad = yield* fund
    .addProduct({ sku: "MOUSEPAD-01", name: "幸运君鼠标垫 / Lucky Jun mouse pad", unitPrice: 1_200 })
    .pipe(at(110, admin, 2))
  const umbrella = yield* fund
    .addProduct({ sku: "UMBRELLA-01", name: "幸运君折叠伞 / Lucky Jun folding umbrella", unitPrice: 3_900 })
    .pipe(at(110, admin, 3))
  const stand = yield* fund
    .addProduct({ sku: "BLINDBOX-STAND", name: "儿童设计盲盒展示架 / blind-box stand", unitPrice: 2_800 })
    .pipe(at(110, admin, 4))
  yield* fund
    .addSubFund({
      code: "elderly-care",
      name: "随迁老人关爱专项",
      purpose: "随迁老人陪诊交通、助餐补贴 / care for migrant elders"
    })
    .pipe(at(110, admin, 5))

  // the season: sales at the summer market and the Mid-Autumn stall, then the bills
  yield* record(100, {
    id: entryId(1),
    kind: "sale",
    productId: fan.id,
    quantity: 120,
    note: "夏季邻里市集 / summer market"
  })
  yield* record(100, {
    id: entryId(2),
    kind: "sale",
    productId: pad.id,
    quantity: 45,
    note: "夏季邻里市集 / summer market"
  })
  yield* record(92, {
    id: entryId(3),
    kind: "sale",
    productId: stand.id,
    quantity: 30,
    note: "风筝课家长 / kite-class parents"
  })
  yield* record(80, {
    id: entryId(4),
    kind: "sale",
    productId: umbrella.id,
    quantity: 60,
    note: "中秋义卖 / Mid-Autumn stall"
  })
  yield* record(80, {
    id: entryId(5),
    kind: "sale",
    productId: fan.id,
    quantity: 35,
    note: "中秋义卖 / Mid-Autumn stall"
  })
  yield* record(78, {
    id: entryId(6),
    kind: "design_fee",
    amount: 120_000,
    productId: umbrella.id,
    counterparty: "宁波本地设计工作室",
    note: "吉祥物周边设计与打样 / design and samples"
  })
  yield* record(78, {
    id: entryId(7),
    kind: "production_cost",
    amount: 180_000,
    productId: fan.id,
    counterparty: "义乌小商品加工厂",
    note: "风扇、鼠标垫、雨伞生产 / production run"
  })
  // takings 155 × 15.00 + 45 × 12.00 + 60 × 39.00 + 30 × 28.00 = 6,045.00; costs 3,000.00
  yield* record(75, {
    id: entryId(8),
    kind: "proceeds",
    amount: 304_500,
    note: "第三季度净收益转入公益基金 / Q3 net proceeds"
  })
  yield* record(70, {
    id: entryId(9),
    kind: "donation",
    amount: 200_000,
    subFund: "elderly-care",
    counterparty: "共建单位：某银行支行",
    note: "共建单位捐赠 / co-building bank branch"
  })
  yield* record(70, { id: entryId(10), kind: "donation", amount: 8_800, note: "居民匿名捐赠 / anonymous" })
  yield* record(65, { id: entryId(11), kind: "cost", amount: 3_600, note: "公示栏打印 / printing the notice board" })

  // round 1: drafted 60 days ago, 7 days of notice, two approvals, paid 45 days ago
  const first = yield* fund
    .draftRound({
      title: "2026 年第三季度社区公益金资助",
      purpose: "社区营造项目与困难家庭帮扶 / community projects and families in difficulty",
      pool: 250_000,
      reserveBasisPoints: 1_000,
      candidates: [
        { key: "kites", kind: "project", label: "亲子风筝制作课 / kite workshop", request: 60_000, weight: 40 },
        { key: "escort", kind: "project", label: "老乡团陪诊交通补贴 / escort fares", request: 80_000, weight: 60 },
        {
          key: "zhou",
          kind: "family",
          label: "随迁老人家庭 A / family A",
          residentId: R.zhouSaiqun.id,
          request: 100_000,
          weight: 90,
          minimum: 30_000
        }
      ]
    })
    .pipe(at(60, staff))
  yield* fund.submitRound(first.id).pipe(at(60, staff, 10))
  yield* fund.startNotice(first.id).pipe(at(60, staff, 20))
  yield* fund.signOff(first.id, "approve", "材料齐全，同意 / approved").pipe(at(52, junxinFundActors.approver))
  yield* fund.signOff(first.id, "approve", "同意 / approved").pipe(at(52, junxinFundActors.approver2, 5))
  yield* fund.schedule(first.id, now - 45 * DAY).pipe(at(50, junxinFundActors.treasurer))
  yield* fund.pay(first.id).pipe(at(45, junxinFundActors.treasurer))

  // round 2: in public notice since 2 days ago, with an objection answered
  const second = yield* fund
    .draftRound({
      title: "2026 年冬季困难家庭与长者关爱",
      purpose: "冬季取暖与陪诊 / winter heating and escorts",
      pool: 150_000,
      subFund: "elderly-care",
      candidates: [
        {
          key: "escort-winter",
          kind: "project",
          label: "冬季陪诊志愿服务 / winter escorts",
          request: 50_000,
          weight: 50
        },
        {
          key: "heating",
          kind: "project",
          label: "独居老人取暖包 / heating packs",
          request: 60_000,
          weight: 40,
          cap: 40_000
        },
        {
          key: "zhou",
          kind: "family",
          label: "随迁老人家庭 A / family A",
          residentId: R.zhouSaiqun.id,
          request: 60_000,
          weight: 80
        }
      ]
    })
    .pipe(at(3, staff))
  yield* fund.submitRound(second.id).pipe(at(3, staff, 10))
  yield* fund.startNotice(second.id).pipe(at(2, staff))
  const objection = yield* fund
    .object(second.id, "取暖包的发放名单如何确定？ / how are heating packs assigned?")
    .pipe(at(1, objector))
  yield* fund
    .answerObjection(second.id, objection, "按网格员走访的独居老人名单发放 / by the grid workers' visit list")
    .pipe(at(1, staff, 30))

  return { entries, rounds: 2 }
})
