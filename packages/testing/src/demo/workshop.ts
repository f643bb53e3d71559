/**
 * The demo workshop of 君馨社区: Xin Workshop (馨工坊) assembling switch parts for a nearby
 * factory, a fortnight of piece-work as DOMAIN.md tells it. A factory short of hands sends tens
 * of thousands of parts; twenty-odd stay-at-home mothers and retirees assemble them at about a
 * dozen seconds a piece, on site or signed out to do at home, and are paid per piece.
 *
 * - The settings: the part-time hourly minimum the rates are checked against. The seeds of
 *   DOMAIN.md give no figure, so the demo takes ¥26.00 an hour (2,600 fen) as a stand-in for
 *   Ningbo's; a real community configures the figure in force.
 * - One partner factory, **fictional** (no real firm is meant): 宁波恒跃电器配件厂, whose contact
 *   signs in as `demo:junxin-factory` ({@link junxinWorkshopActors}).
 * - One product, the rocker-switch kit `RKS-2`: a rocker cap and a copper spring contact, two
 *   parts a piece, 12 standard seconds a piece. One work order of **15,000 pieces, that is
 *   30,000 parts**, at 10 fen a piece to the worker (¥30.00 an hour at standard speed, above the
 *   minimum) and 14 fen a piece to the factory (the margin carries rejects, scrap and the
 *   running costs). A reject is paid half (the parts are as often at fault as the hands); 2 %
 *   scrap is tolerated, beyond it 20 fen a piece is proposed as a deduction.
 * - 25 workers: the six workshop members of the demo residents (孙美华, 曾德旺, 刘英, 王秀兰,
 *   陈晓燕, 吴海霞) and the 19 {@link junxinWorkshopMembers} this seed registers.
 * - Fourteen days of work: the parts arrive in three deliveries; workers sign parts out on site
 *   (handed back at the end of the session) or to take home (brought back over days); returns
 *   are mostly accepted, with a few rejects, some parts handed back unused and a little scrap.
 *   唐静's toddler upsets a box at home: her scrap is beyond the tolerance, and the coordinator
 *   confirms the proposed deduction. 孙美华 gets a bonus for the best week. Four shipments go to
 *   the factory; the first week's pay period is closed and paid; one invoice is issued and paid;
 *   the second week is still open, and parts are still at workers' homes at the end.
 *
 * The story is written in order, each step at its own time of day in Shanghai before the seed
 * runs (the clock is set back for it), so movements, pay lines and the ledger read as they would
 * have happened: the order is set up 16 days ago, the work runs from 14 days ago to yesterday.
 * It is deterministic: every choice comes from a small seeded generator, and every id the caller
 * chooses (movements, pay lines, the period, the invoice, the cash) is fixed.
 *
 * @module
 */
import { CurrentActor, GridCode, ResidentId, Residents, TransferId, Workshop } from "@commonweal/core"
import type { Actor, DomainError, PayLine } from "@commonweal/core"
import { Clock, Effect } from "effect"
import { shiftedClock } from "../kernel/clock.js"
import { JUNXIN_ID } from "./communities.js"
import type { DemoResident } from "./residents.js"
import * as R from "./residents.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI = 8 * HOUR
/** The days of work in the story: day 0 is 14 days before the seed runs, day 13 yesterday. */
const DAYS = 14

/** The workshop's demo accounts of 君馨社区: its coordinator (方婷) and the partner factory's contact. */
export const junxinWorkshopActors = {
  /** 方婷, the social worker who coordinates Xin Workshop (demo token `demo-junxin-coordinator`). */
  coordinator: {
    subject: "demo:junxin-coordinator",
    communityId: JUNXIN_ID,
    roles: ["coordinator"],
    residentId: R.fangTing.id
  },
  /**
   * The contact of the fictional partner factory (demo token `demo-junxin-factory`): the seeded
   * factory lists this subject, so it sees that factory's order, progress and invoices only.
   */
  factory: {
    subject: "demo:junxin-factory",
    communityId: JUNXIN_ID,
    roles: ["factory"]
  }
} as const satisfies Record<string, Actor>

/** The social worker who registers the new members as residents (林晓, staff). */
const staff: Actor = {
  subject: "demo:junxin-staff",
  communityId: JUNXIN_ID,
  roles: ["staff"],
  residentId: R.linXiao.id
}
const coordinator: Actor = junxinWorkshopActors.coordinator

// ---------------------------------------------------------------------------------------------
// The people
// ---------------------------------------------------------------------------------------------

type MemberFields = Pick<DemoResident, "tags" | "homePlace" | "languages" | "birthYear" | "location" | "phone"> & {
  readonly grid: string
}

/** A workshop member registered by this seed: id `0187d49b-e800-7000-8003-<n>`, consents to matching. */
const member = (n: number, displayName: string, fields: MemberFields): DemoResident => {
  const { grid, ...rest } = fields
  return {
    availability: [],
    skills: ["assembly"],
    ...rest,
    id: ResidentId.make(`0187d49b-e800-7000-8003-${String(n).padStart(12, "0")}`),
    displayName,
    grid: GridCode.make(grid),
    consents: [
      { purpose: "registry", grantedBy: { _tag: "Self" } },
      { purpose: "matching", grantedBy: { _tag: "Self" } }
    ]
  }
}

/** A stay-at-home mother who came to Ningbo with her husband's job. */
const mother = (province: NonNullable<DemoResident["homePlace"]>["province"], city: string, dialect?: string) =>
  ({
    tags: ["workshop_member", "parent"],
    homePlace: { province, city },
    languages: [{ language: "cmn", proficiency: "native", ...(dialect === undefined ? {} : { dialect }) }]
  }) as const

/** A retired Gaoqiao local of the resettlement housing (安置房) or the street-front houses (沿街). */
const ningboRetiree = {
  tags: ["workshop_member", "retiree"],
  homePlace: { province: "zhejiang", city: "宁波" },
  languages: [
    { language: "wuu", dialect: "宁波话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ]
} as const

/** 杨晓丽, from Lu'an, Anhui: a mother of two who takes parts home. */
export const yangXiaoli = member(1, "杨晓丽", {
  ...mother("anhui", "六安", "六安话"),
  grid: "JX-01",
  birthYear: 1990,
  location: { building: "3幢", unit: "2单元", room: "401" },
  phone: "15157421836"
})
/** 黄雪梅, from Dazhou, Sichuan: on site in the mornings after the school run. */
export const huangXuemei = member(2, "黄雪梅", {
  ...mother("sichuan", "达州", "四川话"),
  grid: "JX-02",
  birthYear: 1987,
  location: { building: "8幢", unit: "1单元", room: "1202" },
  phone: "18367492215"
})
/** 赵敏, from Zhumadian, Henan: a toddler at home, so she works at home. */
export const zhaoMin = member(3, "赵敏", {
  ...mother("henan", "驻马店"),
  grid: "JX-02",
  birthYear: 1992,
  location: { building: "11幢", unit: "2单元", room: "603" },
  phone: "13486625107"
})
/** 周婷婷, from Shangrao, Jiangxi: works at home. */
export const zhouTingting = member(4, "周婷婷", {
  ...mother("jiangxi", "上饶"),
  grid: "JX-03",
  birthYear: 1993,
  location: { building: "14幢", unit: "1单元", room: "702" },
  phone: "15968831420"
})
/** 徐红霞, from Huanggang, Hubei: on site, quick and steady. */
export const xuHongxia = member(5, "徐红霞", {
  ...mother("hubei", "黄冈"),
  grid: "JX-01",
  birthYear: 1985,
  location: { building: "6幢", unit: "1单元", room: "301" },
  phone: "13777059328"
})
/** 胡丽, from Bijie, Guizhou: on site in the afternoons. */
export const huLi = member(6, "胡丽", {
  ...mother("guizhou", "毕节", "贵州话"),
  grid: "JX-03",
  birthYear: 1989,
  location: { building: "15幢", unit: "1单元", room: "1103" },
  phone: "18758216643"
})
/** 朱晓芳, from Hengyang, Hunan: works at home. */
export const zhuXiaofang = member(7, "朱晓芳", {
  ...mother("hunan", "衡阳"),
  grid: "JX-02",
  birthYear: 1991,
  location: { building: "9幢", unit: "2单元", room: "502" },
  phone: "15257483390"
})
/** 高秀娟, from Linyi, Shandong: on site in the mornings. */
export const gaoXiujuan = member(8, "高秀娟", {
  ...mother("shandong", "临沂"),
  grid: "JX-01",
  birthYear: 1986,
  location: { building: "2幢", unit: "1单元", room: "202" },
  phone: "13567402291"
})
/** 林佳怡, from Ningde, Fujian: a baby at home; takes small batches home. */
export const linJiayi = member(9, "林佳怡", {
  ...mother("fujian", "宁德"),
  grid: "JX-03",
  birthYear: 1994,
  location: { building: "17幢", unit: "2单元", room: "901" },
  phone: "18857367714"
})
/** 郭倩, from Shangqiu, Henan: on site in the afternoons. */
export const guoQian = member(10, "郭倩", {
  ...mother("henan", "商丘"),
  grid: "JX-02",
  birthYear: 1988,
  location: { building: "12幢", unit: "1单元", room: "403" },
  phone: "15088620473"
})
/** 马艳, from Tianshui, Gansu: on site in the mornings. */
export const maYan = member(11, "马艳", {
  ...mother("gansu", "天水"),
  grid: "JX-01",
  birthYear: 1990,
  location: { building: "5幢", unit: "2单元", room: "1001" },
  phone: "13906745582"
})
/** 唐静, from Wanzhou, Chongqing: works at home, with a toddler. */
export const tangJing = member(12, "唐静", {
  ...mother("chongqing", "万州", "重庆话"),
  grid: "JX-03",
  birthYear: 1987,
  location: { building: "13幢", unit: "1单元", room: "602" },
  phone: "17858930261"
})
/** 戚彩娣, a retired Gaoqiao local: on site most mornings. */
export const qiCaidi = member(13, "戚彩娣", {
  ...ningboRetiree,
  grid: "JX-04",
  birthYear: 1959,
  location: { building: "安置房A区", unit: "3单元", room: "201" },
  phone: "13805847716"
})
/** 应秀珍, a retired Gaoqiao local: on site in the afternoons. */
export const yingXiuzhen = member(14, "应秀珍", {
  ...ningboRetiree,
  grid: "JX-04",
  birthYear: 1960,
  location: { building: "安置房B区", unit: "1单元", room: "302" },
  phone: "13958236604"
})
/** 俞月芬, a retired Gaoqiao local: on site in the mornings. */
export const yuYuefen = member(15, "俞月芬", {
  ...ningboRetiree,
  grid: "JX-04",
  birthYear: 1957,
  location: { building: "安置房A区", unit: "2单元", room: "101" },
  phone: "13606612458"
})
/** 邵国平, a retired Gaoqiao local who lives on the street front: on site in the afternoons. */
export const shaoGuoping = member(16, "邵国平", {
  ...ningboRetiree,
  grid: "JX-04",
  birthYear: 1958,
  location: { building: "沿街26号", room: "301" },
  phone: "13732187065"
})
/** 毛雪琴, a retired Gaoqiao local who looks after a grandchild: works at home. */
export const maoXueqin = member(17, "毛雪琴", {
  ...ningboRetiree,
  grid: "JX-04",
  birthYear: 1962,
  location: { building: "安置房B区", unit: "2单元", room: "502" },
  phone: "15958270139"
})
/** 潘桂英, from Anqing, Anhui: a younger migrant elder, on site in the mornings. */
export const panGuiying = member(18, "潘桂英", {
  tags: ["migrant_elderly", "workshop_member"],
  homePlace: { province: "anhui", city: "安庆" },
  languages: [{ language: "cmn", dialect: "安庆话", proficiency: "native" }],
  grid: "JX-02",
  birthYear: 1956,
  location: { building: "10幢", unit: "1单元", room: "801" },
  phone: "15305516928"
})
/** 蒋德福, from Jiujiang, Jiangxi: a younger migrant elder, on site in the afternoons. */
export const jiangDefu = member(19, "蒋德福", {
  tags: ["migrant_elderly", "workshop_member"],
  homePlace: { province: "jiangxi", city: "九江" },
  languages: [
    { language: "gan", dialect: "九江话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ],
  grid: "JX-03",
  birthYear: 1960,
  location: { building: "16幢", unit: "2单元", room: "302" },
  phone: "13879221456"
})

/**
 * The Xin Workshop members this seed registers in 君馨社区, in registration order: stay-at-home
 * mothers who came with their husbands' jobs, retired locals, and two younger migrant elders.
 * Made-up people with invented phone numbers, ids `0187d49b-e800-7000-8003-…`.
 */
export const junxinWorkshopMembers: ReadonlyArray<DemoResident> = [
  yangXiaoli,
  huangXuemei,
  zhaoMin,
  zhouTingting,
  xuHongxia,
  huLi,
  zhuXiaofang,
  gaoXiujuan,
  linJiayi,
  guoQian,
  maYan,
  tangJing,
  qiCaidi,
  yingXiuzhen,
  yuYuefen,
  shaoGuoping,
  maoXueqin,
  panGuiying,
  jiangDefu
]

/**
 * How one worker works: on site (sign out at the start of a session, hand everything back at its
 * end) or at home (take a batch home, bring back what is done every few days); how many pieces a
 * session (or a day at home); how often they come; at what time; and how often a return has a
 * reject.
 */
interface Profile {
  readonly resident: DemoResident
  readonly place: "onsite" | "home"
  /** Pieces a session on site, or a day at home. */
  readonly pace: number
  /** The chance of a session on a given day (on site), or of coming by (home). */
  readonly turnout: number
  /** When the session starts, or when they come by: minutes after midnight, Shanghai time. */
  readonly start: number
  /** The chance that a return has a reject or a few. */
  readonly rejects: number
}

const hm = (h: number, m = 0): number => h * 60 + m
const profile = (
  resident: DemoResident,
  place: Profile["place"],
  pace: number,
  turnout: number,
  start: number,
  rejects: number
): Profile => ({ resident, place, pace, turnout, start, rejects })

/** The 25 workers, in enrolment order. */
const workers: ReadonlyArray<Profile> = [
  profile(R.sunMeihua, "onsite", 190, 0.4, hm(8, 10), 0),
  profile(R.zengDewang, "onsite", 100, 0.3, hm(8, 40), 0.3),
  profile(R.liuYing, "onsite", 100, 0.22, hm(8, 45), 0.2),
  profile(R.wangXiulan, "onsite", 100, 0.25, hm(13, 40), 0.2),
  profile(R.chenXiaoyan, "onsite", 120, 0.3, hm(8, 35), 0.25),
  profile(R.wuHaixia, "home", 50, 0.4, hm(16, 40), 0.15),
  profile(yangXiaoli, "home", 50, 0.35, hm(16, 30), 0.3),
  profile(huangXuemei, "onsite", 110, 0.27, hm(8, 30), 0.25),
  profile(zhaoMin, "home", 40, 0.35, hm(16, 50), 0.35),
  profile(zhouTingting, "home", 40, 0.4, hm(9, 10), 0.3),
  profile(xuHongxia, "onsite", 130, 0.3, hm(8, 35), 0.2),
  profile(huLi, "onsite", 110, 0.25, hm(13, 30), 0.3),
  profile(zhuXiaofang, "home", 50, 0.35, hm(16, 35), 0.25),
  profile(gaoXiujuan, "onsite", 120, 0.27, hm(8, 50), 0.2),
  profile(linJiayi, "home", 40, 0.35, hm(10, 20), 0.4),
  profile(guoQian, "onsite", 100, 0.22, hm(13, 45), 0.25),
  profile(maYan, "onsite", 110, 0.25, hm(8, 40), 0.3),
  profile(tangJing, "home", 40, 0.4, hm(16, 45), 0.3),
  profile(qiCaidi, "onsite", 160, 0.35, hm(8, 15), 0.1),
  profile(yingXiuzhen, "onsite", 140, 0.33, hm(13, 20), 0.15),
  profile(yuYuefen, "onsite", 120, 0.3, hm(8, 20), 0.2),
  profile(shaoGuoping, "onsite", 110, 0.25, hm(13, 35), 0.25),
  profile(maoXueqin, "home", 60, 0.45, hm(15, 30), 0.2),
  profile(panGuiying, "onsite", 90, 0.25, hm(8, 55), 0.3),
  profile(jiangDefu, "onsite", 100, 0.25, hm(14, 0), 0.3)
]

/**
 * A small seeded generator (mulberry32): the same numbers in the same order on every run, so the
 * story is the same every time.
 */
const generator = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Rounds down to a multiple of `step` (parts are counted out in tens, boxed in fifties). */
const floorTo = (n: number, step: number): number => Math.floor(n / step) * step

// ---------------------------------------------------------------------------------------------
// The order
// ---------------------------------------------------------------------------------------------

/** The demo's part-time hourly minimum: 2,600 fen (¥26.00), as the seeds give no figure. */
const MINIMUM_HOURLY_WAGE_FEN = 2_600
/** Pieces ordered: 15,000 kits of two parts, 30,000 parts. */
const ORDERED = 15_000
const RATE_FEN = 10
const PRICE_FEN = 14
const SCRAP_TOLERANCE_PERMILLE = 20
const SCRAP_CHARGE_FEN = 20
/** The parts the factory sends, by day (all 15,000 pieces in three deliveries). */
const partsArriving: ReadonlyMap<number, number> = new Map([
  [0, 6_000],
  [4, 5_000],
  [8, 4_000]
])
/** The days the factory's van collects the assembled switches, whole boxes of 500. */
const shipmentDays: ReadonlySet<number> = new Set([3, 6, 10, 13])
/** The day 唐静 brings back the batch from the box her toddler upset. */
const LOST_BOX_DAY = 5
/** How many pieces she lost beyond the tolerance (each proposes a 20-fen deduction). */
const LOST_BEYOND_TOLERANCE = 30

// ---------------------------------------------------------------------------------------------
// The plan: the fortnight as data
// ---------------------------------------------------------------------------------------------

/** One thing done in the workshop's fortnight (workers by their index in enrolment order). */
export type DemoWorkshopOp =
  | { readonly _tag: "receive"; readonly quantity: number }
  | { readonly _tag: "issue"; readonly worker: number; readonly quantity: number; readonly place: "onsite" | "home" }
  | {
      readonly _tag: "return"
      readonly worker: number
      readonly accepted: number
      readonly rejected: number
      readonly unused: number
      readonly scrapped: number
      /** Pieces of `scrapped` beyond the order's tolerance (a deduction is proposed for them). */
      readonly scrapBeyond: number
      readonly note: string
    }
  | { readonly _tag: "deliver"; readonly quantity: number }
  | { readonly _tag: "confirmLostBoxDeduction" }
  | { readonly _tag: "bonus"; readonly worker: number; readonly amountFen: number; readonly note: string }
  | { readonly _tag: "closeFirstWeek" }
  | { readonly _tag: "payFirstWeek" }
  | { readonly _tag: "invoice" }
  | { readonly _tag: "invoicePaid" }

/** A step of the fortnight: what, on which day (0 is 14 days before the seed), at what time in Shanghai. */
export interface DemoWorkshopStep {
  readonly day: number
  /** Minutes after midnight, Shanghai time. */
  readonly minutes: number
  readonly op: DemoWorkshopOp
}

/**
 * The fortnight of Xin Workshop's demo as data, in the order it happens: worked out once, the
 * same every time (a seeded generator makes every choice), and made within the rules as it goes
 * (nobody signs out more than is in stock or hands back more than she holds; scrap stays within
 * the tolerance except for 唐静's lost box). {@link seedJunxinWorkshop} plays it through the `Workshop` service.
 */
export const junxinWorkshopPlan = (): ReadonlyArray<DemoWorkshopStep> => {
  const random = generator(20_260_901)
  const steps: Array<DemoWorkshopStep> = []
  let stock = 0
  let acceptedOnHand = 0
  const held = workers.map(() => 0)
  const issued = workers.map(() => 0)
  const scrapped = workers.map(() => 0)
  const lastCame = workers.map(() => -1)
  const session = workers.map(() => 0)
  const lostBox = workers.findIndex((w) => w.resident.id === tangJing.id)

  /** Scrap a return may have within the tolerance (what the rules do not charge). */
  const scrapAllowed = (w: number): number =>
    Math.max(0, Math.floor((issued[w]! * SCRAP_TOLERANCE_PERMILLE) / 1000) - scrapped[w]!)

  const issue = (day: number, minutes: number, w: number, wanted: number): number => {
    const quantity = Math.min(wanted, floorTo(stock, 10))
    if (quantity < 10) return 0
    stock -= quantity
    held[w]! += quantity
    issued[w]! += quantity
    steps.push({ day, minutes, op: { _tag: "issue", worker: w, quantity, place: workers[w]!.place } })
    return quantity
  }

  /** A return of `done` pieces (assembled, or lost when `lost`) and `unused` handed back. */
  const giveBack = (day: number, minutes: number, w: number, done: number, unused: number, lost = 0, note?: string) => {
    const rejected = random() < workers[w]!.rejects ? 1 + Math.floor(random() * 4) : 0
    const scrap = lost > 0 ? lost : random() < 0.2 ? Math.min(1 + Math.floor(random() * 2), scrapAllowed(w)) : 0
    const scrapBeyond = Math.max(0, scrap - scrapAllowed(w))
    const accepted = done - rejected - scrap
    held[w]! -= done + unused
    scrapped[w]! += scrap
    stock += unused
    acceptedOnHand += accepted
    lastCame[w] = day
    steps.push({
      day,
      minutes,
      op: {
        _tag: "return",
        worker: w,
        accepted,
        rejected,
        unused,
        scrapped: scrap,
        scrapBeyond,
        note:
          note ??
          (unused > 0 ? "提前离开，余料退回 / left early, the rest handed back" : "交货验收 / returned and inspected")
      }
    })
  }

  for (let day = 0; day < DAYS; day++) {
    const arriving = partsArriving.get(day)
    if (arriving !== undefined) {
      stock += arriving
      steps.push({ day, minutes: hm(7, 50), op: { _tag: "receive", quantity: arriving } })
    }
    if (day === 7) {
      // the first week closed and paid first thing on the eighth day
      steps.push({ day, minutes: hm(7, 30), op: { _tag: "closeFirstWeek" } })
      steps.push({ day, minutes: hm(12), op: { _tag: "payFirstWeek" } })
      steps.push({ day, minutes: hm(16), op: { _tag: "invoice" } })
    }
    if (day === 11) steps.push({ day, minutes: hm(10), op: { _tag: "invoicePaid" } })

    // who comes today is decided in enrolment order; what they do happens in the order of the day
    type Pending = { readonly minutes: number; readonly seq: number; readonly run: () => void }
    const pending: Array<Pending> = []
    let seq = 0
    const later = (minutes: number, run: () => void) => pending.push({ minutes, seq: seq++, run })
    for (const [w, p] of workers.entries()) {
      const comes = random() < p.turnout
      if (p.place === "onsite") {
        if (!comes) continue
        const wanted = floorTo(p.pace * (0.85 + 0.3 * random()), 10)
        const leavesEarly = random() < 0.15
        const end = p.start + 150 + Math.floor(random() * 30)
        later(p.start, () => {
          session[w] = issue(day, p.start, w, wanted)
          if (session[w] === 0) return
          later(end, () => {
            // whoever leaves early (a child to fetch) hands back what she did not start
            const unused = leavesEarly ? floorTo(session[w]! * (0.1 + 0.2 * random()), 10) : 0
            giveBack(day, end, w, session[w]! - unused, unused)
          })
        })
      } else {
        const lostBoxDay = w === lostBox && day === LOST_BOX_DAY
        const firstDay = w === lostBox ? day === 1 : day === 0
        if (!(comes || lostBoxDay || firstDay)) continue
        later(p.start, () => {
          if (held[w]! > 0) {
            const days = Math.max(1, day - lastCame[w]!)
            let done = Math.min(held[w]!, floorTo(p.pace * days * (0.8 + 0.4 * random()), 10))
            if (held[w]! - done < 30) done = held[w]!
            if (lostBoxDay) {
              // the toddler upset a box: more pieces lost than the order tolerates
              const lost = scrapAllowed(w) + LOST_BEYOND_TOLERANCE
              giveBack(
                day,
                p.start,
                w,
                Math.min(held[w]!, Math.max(done, lost + 20)),
                0,
                lost,
                "孩子打翻零件盒，弹片遗失 / a box upset by her toddler, springs lost"
              )
            } else if (done > 0) giveBack(day, p.start, w, done, 0)
          } else lastCame[w] = day
          // a new batch when what is left at home will not last two days
          later(p.start + 5, () => {
            if (held[w]! < p.pace * 2) issue(day, p.start + 5, w, floorTo(p.pace * 3, 50))
          })
        })
      }
    }
    while (pending.length > 0) {
      let first = 0
      for (let i = 1; i < pending.length; i++) {
        const a = pending[i]!
        const b = pending[first]!
        if (a.minutes < b.minutes || (a.minutes === b.minutes && a.seq < b.seq)) first = i
      }
      pending.splice(first, 1)[0]!.run()
    }

    if (day === LOST_BOX_DAY) steps.push({ day, minutes: hm(17, 40), op: { _tag: "confirmLostBoxDeduction" } })
    if (day === 6)
      steps.push({
        day,
        minutes: hm(18),
        op: {
          _tag: "bonus",
          worker: 0,
          amountFen: 2_000,
          note: "本周交货最多且零返工 / most pieces this week, no rework"
        }
      })
    if (shipmentDays.has(day)) {
      const quantity = floorTo(acceptedOnHand, 500)
      if (quantity > 0) {
        acceptedOnHand -= quantity
        steps.push({ day, minutes: hm(17, 30), op: { _tag: "deliver", quantity } })
      }
    }
  }
  // steps of a day were pushed as they happened, the fixed ones first: order them by time
  return steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => a.step.day - b.step.day || a.step.minutes - b.step.minutes || a.i - b.i)
    .map(({ step }) => step)
}

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

const fixed = (group: number, n: number): string => `0190f0a1-0000-7000-800${group}-${String(n).padStart(12, "0")}`
/** The `n`th movement's id (a return's first kind; its other kinds derive from it). */
const movementId = (n: number): string => TransferId.make(fixed(0, n))
const BONUS_ID = fixed(1, 1)
const FIRST_PERIOD_ID = fixed(2, 1)
const INVOICE_ID = fixed(3, 1)
const CASH_ID = fixed(4, 1)

// ---------------------------------------------------------------------------------------------
// The seed
// ---------------------------------------------------------------------------------------------

/** What the workshop seed wrote. */
export interface DemoWorkshopReport {
  /** Partner factories (1, fictional). */
  readonly factories: number
  /** Enrolled workers (25). */
  readonly workers: number
  /** Work orders (1). */
  readonly orders: number
  /** Movements of pieces (receipts, sign-outs, each kind of each return, shipments). */
  readonly movements: number
  /** Pay periods (1, closed and paid; the second week is still open). */
  readonly payPeriods: number
  /** Invoices (1, paid). */
  readonly invoices: number
  /** Residents the seed registered (the 19 {@link junxinWorkshopMembers}). */
  readonly residentsRegistered: number
}

/**
 * Seeds 君馨社区's Xin Workshop through the `Workshop` service: the settings, the fictional partner
 * factory and its product, the 15,000-piece order, 25 workers (registering the 19 new members
 * through `Residents`), and the fortnight of {@link junxinWorkshopPlan}. Call it inside the
 * community's seed transaction, after its residents exist (as `seedDemo` does with the fund).
 *
 * @example
 * ```ts
 * import { seedJunxinWorkshop } from "@commonweal/testing/demo"
 *
 * const report = yield* seedJunxinWorkshop   // needs Workshop | Residents
 * ```
 */
export const seedJunxinWorkshop: Effect.Effect<DemoWorkshopReport, DomainError, Workshop | Residents> = Effect.gen(
  function* () {
    const workshop = yield* Workshop
    const residents = yield* Residents
    const live = yield* Clock.clockWith(Effect.succeed)
    const now = live.currentTimeMillisUnsafe()
    /** Midnight in Shanghai today: the story's days count back from it, so all of it is past. */
    const today = Math.floor((now + SHANGHAI) / DAY) * DAY - SHANGHAI
    /** The instant of `day` (0 is 14 days ago) at `minutes` after midnight, Shanghai time. */
    const instant = (day: number, minutes: number): number => today - (DAYS - day) * DAY + minutes * MINUTE
    /** Runs `effect` as `actor` with the clock at `day`, `minutes` after midnight. */
    const at =
      (day: number, minutes: number, actor: Actor = coordinator) =>
      <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        effect.pipe(
          Effect.provideService(Clock.Clock, shiftedClock(live, instant(day, minutes) - now)),
          Effect.provideService(CurrentActor, actor)
        )

    // two days before the work: the settings, the factory, its product, the order, the cash
    yield* workshop.configure({ minimumHourlyWageFen: MINIMUM_HOURLY_WAGE_FEN }).pipe(at(-2, hm(9)))
    const factory = yield* workshop
      .addFactory({
        name: "宁波恒跃电器配件厂（虚构）",
        contact: "生产部 陈经理 / production office (fictional)",
        subjects: [junxinWorkshopActors.factory.subject]
      })
      .pipe(at(-2, hm(9, 5)))
    const product = yield* workshop
      .addProduct({
        factoryId: factory.id,
        sku: "RKS-2",
        name: "船型开关按键组件 / rocker switch cap kit",
        parts: [
          { name: "按键帽 / rocker cap", perPiece: 1 },
          { name: "铜弹片 / copper spring contact", perPiece: 1 }
        ],
        standardSeconds: 12
      })
      .pipe(at(-2, hm(9, 10)))
    const order = yield* workshop
      .createOrder({
        productId: product.id,
        title: "船型开关按键组装 第一批 / rocker switch caps, batch 1",
        quantity: ORDERED,
        priceFen: PRICE_FEN,
        rateFen: RATE_FEN,
        // three weeks from the order: five days after the seed runs
        deadline: instant(DAYS + 5, hm(18)),
        quality: {
          rejectPolicy: "partly_paid",
          rejectSharePercent: 50,
          rejectChargeFen: 0,
          scrapTolerancePermille: SCRAP_TOLERANCE_PERMILLE,
          scrapChargeFen: SCRAP_CHARGE_FEN
        }
      })
      .pipe(at(-2, hm(9, 15)))
    yield* workshop
      .addCash({
        id: CASH_ID,
        amountFen: 200_000,
        note: "社区共富资金垫付周转金 / working capital advanced by the community"
      })
      .pipe(at(-2, hm(9, 30)))

    // the day before: the new members registered, everyone enrolled, the order started
    for (const [i, person] of junxinWorkshopMembers.entries())
      yield* residents.register(person).pipe(at(-1, hm(9, 30 + i), staff))
    const workerIds: Array<string> = []
    for (const [i, w] of workers.entries()) {
      const worker = yield* workshop
        .enroll({ residentId: w.resident.id, displayName: w.resident.displayName })
        .pipe(at(-1, hm(14, i)))
      workerIds.push(worker.id)
    }
    yield* workshop.startOrder(order.id).pipe(at(-1, hm(16)))

    // the fortnight
    let movements = 0
    let nextMovement = 1
    let lostBoxDeduction: PayLine | undefined
    for (const { day, minutes, op } of junxinWorkshopPlan()) {
      const when = at(day, minutes)
      switch (op._tag) {
        case "receive":
        case "deliver": {
          const input = {
            id: movementId(nextMovement++),
            orderId: order.id,
            quantity: op.quantity,
            note: op._tag === "receive" ? "工厂送料 / parts delivered" : "工厂收货 / collected by the factory"
          }
          yield* (op._tag === "receive" ? workshop.receive(input) : workshop.deliver(input)).pipe(when)
          movements++
          break
        }
        case "issue": {
          yield* workshop
            .issue({
              id: movementId(nextMovement++),
              orderId: order.id,
              workerId: workerIds[op.worker]!,
              quantity: op.quantity,
              place: op.place,
              note: op.place === "home" ? "领料回家做 / signed out to take home" : "现场领料 / signed out on site"
            })
            .pipe(when)
          movements++
          break
        }
        case "return": {
          const recorded = yield* workshop
            .returnPieces({
              id: movementId(nextMovement++),
              orderId: order.id,
              workerId: workerIds[op.worker]!,
              accepted: op.accepted,
              rejected: op.rejected,
              unused: op.unused,
              scrapped: op.scrapped,
              note: op.note
            })
            .pipe(when)
          movements += recorded.movements.length
          if (op.scrapBeyond > 0)
            lostBoxDeduction = recorded.payLines.find((l) => l.kind === "deduction" && l.status === "proposed")
          break
        }
        case "confirmLostBoxDeduction": {
          // the coordinator talks it over with 唐静 and confirms the deduction her scrap proposed
          if (lostBoxDeduction === undefined)
            return yield* Effect.die(
              new Error("唐静's lost box proposed no deduction: the demo and the rules disagree")
            )
          yield* workshop.confirmPayLine(lostBoxDeduction.id).pipe(when)
          break
        }
        case "bonus": {
          yield* workshop
            .addPayLine({
              id: BONUS_ID,
              workerId: workerIds[op.worker]!,
              kind: "bonus",
              amountFen: op.amountFen,
              orderId: order.id,
              note: op.note
            })
            .pipe(when)
          break
        }
        case "closeFirstWeek": {
          yield* workshop.closePeriod({ id: FIRST_PERIOD_ID, from: instant(0, 0), to: instant(7, 0) }).pipe(when)
          break
        }
        case "payFirstWeek": {
          yield* workshop.payPeriod(FIRST_PERIOD_ID).pipe(when)
          break
        }
        case "invoice": {
          yield* workshop.issueInvoice({ id: INVOICE_ID, orderId: order.id }).pipe(when)
          break
        }
        case "invoicePaid": {
          yield* workshop.markInvoicePaid(INVOICE_ID).pipe(when)
          break
        }
      }
    }

    return {
      factories: 1,
      workers: workerIds.length,
      orders: 1,
      movements,
      payPeriods: 1,
      invoices: 1,
      residentsRegistered: junxinWorkshopMembers.length
    }
  }
)
