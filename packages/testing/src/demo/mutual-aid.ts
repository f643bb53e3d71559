/**
 * The demo mutual aid of 君馨社区: the 老乡团 fellow-townsperson volunteers (刘英 translating 南昌话,
 * 王秀兰 阜阳话, 张建国 河南话, 罗春梅 四川话, 彭丽娟 邵阳话), a doctor of the community hospital
 * and the grid worker of the 共享子女 team; the walking distances between the buildings they live
 * in; 周赛群's escort to her check-up, done by 刘英 three weeks ago and credited in the time bank;
 * 谭满秀's open request for a home visit in 邵阳话; and 周赛群's monthly home health check as a care
 * plan, its next visits generated.
 *
 * @module
 */
import { CurrentActor, MutualAid } from "@commonweal/core"
import type { Actor, DomainError } from "@commonweal/core"
import { Clock, Effect } from "effect"
import { shiftedClock } from "../kernel/clock.js"
import { JUNXIN_ID } from "./communities.js"
import type { DemoResident } from "./residents.js"
import * as R from "./residents.js"

const DAY = 86_400_000
const HOUR = 3_600_000

const staff: Actor = {
  subject: "demo:junxin-staff",
  communityId: JUNXIN_ID,
  roles: ["staff"],
  residentId: R.linXiao.id
}
const liuYingActor: Actor = {
  subject: "demo:junxin-volunteer",
  communityId: JUNXIN_ID,
  roles: ["volunteer"],
  residentId: R.liuYing.id
}

/** The Wednesday 09:00 (Shanghai) at or before a UTC instant, as UTC epoch ms. */
const wednesdayBefore = (ms: number): number => {
  const day = Math.floor((ms + 8 * HOUR) / DAY)
  const weekday = (((day + 3) % 7) + 7) % 7 // Monday 0
  return (day - ((weekday - 2 + 7) % 7)) * DAY + 9 * HOUR - 8 * HOUR
}

/** What the mutual-aid seed wrote. */
export interface DemoMutualAidReport {
  readonly volunteers: number
  readonly requests: number
  readonly carePlans: number
}

/** A resident volunteer's registration from their demo record. */
const fromResident = (r: DemoResident, roles: ReadonlyArray<string>, maxDistance = 1_500) => ({
  residentId: r.id,
  displayName: r.displayName,
  membership: "resident" as const,
  skills: [...(r.skills ?? []), "escort"].filter((s, i, all) => all.indexOf(s) === i),
  roles: [...roles],
  languages: r.languages ?? [],
  ...(r.homePlace === undefined ? {} : { homePlace: r.homePlace }),
  availability: r.availability ?? [],
  ...(r.location === undefined ? {} : { location: r.location }),
  maxDistance
})

/**
 * Seeds 君馨社区's mutual aid through the `MutualAid` service. Call it inside the community's seed
 * transaction (as `seedDemo` does), after its residents, households and consents exist.
 */
export const seedJunxinMutualAid: Effect.Effect<DemoMutualAidReport, DomainError, MutualAid> = Effect.gen(function* () {
  const service = yield* MutualAid
  const live = yield* Clock.clockWith(Effect.succeed)
  const now = live.currentTimeMillisUnsafe()
  const at =
    (ms: number, actor: Actor) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      effect.pipe(
        Effect.provideService(Clock.Clock, shiftedClock(live, ms - now)),
        Effect.provideService(CurrentActor, actor)
      )
  const start = now - 30 * DAY

  const register = (input: Parameters<MutualAid["Service"]["registerVolunteer"]>[0], minutes: number) =>
    service.registerVolunteer(input).pipe(at(start + minutes * 60_000, staff))
  const liu = yield* register(fromResident(R.liuYing, ["fellow_townsperson", "helper"]), 0)
  yield* register(fromResident(R.wangXiulan, ["fellow_townsperson", "helper"]), 1)
  yield* register(fromResident(R.zhangJianguo, ["fellow_townsperson", "helper"]), 2)
  yield* register(fromResident(R.luoChunmei, ["fellow_townsperson", "helper"]), 3)
  yield* register(fromResident(R.pengLijuan, ["fellow_townsperson", "helper"]), 4)
  yield* register(
    {
      displayName: "社区卫生服务站 陈医生",
      membership: "hospital",
      skills: ["health_check"],
      roles: ["medical"],
      languages: [{ language: "cmn", proficiency: "native" }],
      availability: [
        { day: 3, start: "08:30", end: "12:00" },
        { day: 5, start: "08:30", end: "12:00" }
      ],
      maxDistance: 5_000
    },
    5
  )
  yield* register(
    {
      displayName: "葛琳（网格员）",
      membership: "resident",
      residentId: R.geLin.id,
      skills: ["home_visit", "health_check"],
      roles: ["grid_worker"],
      languages: R.geLin.languages ?? [],
      availability: [
        { day: 3, start: "08:30", end: "17:00" },
        { day: 5, start: "08:30", end: "17:00" }
      ],
      maxDistance: 3_000
    },
    6
  )
  for (const [a, b, metres] of [
    ["15幢", "16幢", 120],
    ["15幢", "2幢", 650],
    ["15幢", "8幢", 480],
    ["15幢", "10幢", 520],
    ["安置房A区", "15幢", 900],
    ["安置房A区", "16幢", 950]
  ] as const) {
    yield* service.setWalking(a, b, metres).pipe(at(start + 10 * 60_000, staff))
  }

  // 周赛群's escort to her check-up: recorded by the social worker, done by 刘英
  const wednesday = wednesdayBefore(now - 21 * DAY)
  const escort = yield* service
    .requestHelp({
      requesterId: R.zhouSaiqun.id,
      evidence: "纸质求助单（老人签字）照片 / photo of the signed paper slip",
      category: "escort",
      description: "陪同去医院体检（坐半小时公交），需要南昌话翻译 / escort to a check-up, Nanchang dialect",
      place: R.zhouSaiqun.location ?? { building: "15幢" },
      windows: [{ start: wednesday, end: wednesday + 3 * HOUR }],
      urgency: "normal",
      expiresAt: wednesday,
      requiredLanguages: ["gan"],
      preferSameHomeTown: true,
      places: [{ role: "helper", skill: "translation" }]
    })
    .pipe(at(wednesday - 3 * DAY, staff))
  yield* service.propose(escort.id, 0, liu.id).pipe(at(wednesday - 3 * DAY + HOUR, staff))
  yield* service.accept(escort.id, 0).pipe(at(wednesday - 3 * DAY + 3 * HOUR, liuYingActor))
  yield* service.start(escort.id).pipe(at(wednesday, staff))
  yield* service.complete(escort.id, [{ volunteerId: liu.id, minutes: 170 }]).pipe(at(wednesday + 3 * HOUR, staff))

  // 谭满秀 asks, through the grid worker, for a home visit in 邵阳话: open, waiting for an offer
  yield* service
    .requestHelp({
      requesterId: R.tanManxiu.id,
      evidence: "网格员走访记录 / the grid worker's visit note",
      category: "home_visit",
      description: "独居，想有人用邵阳话聊聊天、帮忙看药盒 / lives alone, wants a chat in Shaoyang dialect",
      place: R.tanManxiu.location ?? { building: "安置房A区" },
      windows: [{ start: now + 2 * DAY, end: now + 2 * DAY + 3 * HOUR }],
      expiresAt: now + 14 * DAY,
      requiredLanguages: ["hsn"],
      preferSameHomeTown: true
    })
    .pipe(at(now - DAY, staff))

  // the 共享子女 team's monthly home health check for 周赛群, next visits generated
  const plan = yield* service
    .createPlan({
      residentId: R.zhouSaiqun.id,
      title: "共享子女·每月上门健康检查 / monthly home health check",
      category: "home_health_check",
      description: "测血压、问用药，南昌话翻译 / blood pressure and medicines, Nanchang dialect",
      place: R.zhouSaiqun.location ?? { building: "15幢" },
      roles: ["medical", "grid_worker", "fellow_townsperson"],
      requiredLanguages: ["gan"],
      recurrence: { _tag: "Monthly", day: 15, start: "09:00", end: "11:00" },
      startsAt: start,
      healthReadings: true
    })
    .pipe(at(start + HOUR, staff))
  yield* service.generateVisits(plan.id, now + 62 * DAY).pipe(at(now - HOUR, staff))

  return { volunteers: 7, requests: 2, carePlans: 1 }
})
