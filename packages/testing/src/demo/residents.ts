/**
 * The demo residents of 君馨社区 and 顾里小站, as registration inputs with fixed ids.
 *
 * The people are made up, but they are the people of DOMAIN.md: the migrant elderly (随迁老人)
 * of Junxin who speak only their home dialect, the fellow-townsperson volunteers (老乡团) who
 * translate for them, the Xin Workshop (馨工坊) piece-workers, children and their guardians, the
 * medical staff of the "shared children" team (共享子女), grid workers and social workers; and
 * at Gu Li the community talents (社区能人), the university students who teach smartphones, the
 * elders and the centre staff. Phone numbers are well-formed mainland mobile numbers, but
 * invented. Ages are as of 2026.
 *
 * Realism rules the data keeps:
 *
 * - `location` is where a person **lives** in the community. People who only work in it or
 *   visit it (the hospital's medical staff, the university students, social workers, grid
 *   workers and centre staff) are registered without one; their workplace is not their home.
 * - A married woman keeps her own surname; a child carries the father's. So 周赛群's son and
 *   grandson are 万 (her husband's surname), her daughter-in-law is 熊丽萍, and no
 *   child shares a surname with its mother.
 * - Gu Li volunteers are available only on the station's opening days, Wednesday to Sunday.
 *
 * Guardian and household links cannot be given at registration: see `demoLinks`.
 *
 * @module
 */
import { GridCode, ResidentId } from "@commonweal/core"
import type { ConsentPurpose, RegisterResidentInput } from "@commonweal/core"

/** A registration input with its fixed id, so that seeding it twice finds it the second time. */
export type DemoResident = RegisterResidentInput & { readonly id: ResidentId }

type Fields = Omit<Partial<RegisterResidentInput>, "id" | "displayName" | "consents" | "grid"> & {
  readonly grid?: string
  /** Purposes the resident consented to themself at registration (`registry` is always added). */
  readonly consents?: ReadonlyArray<ConsentPurpose>
}

const resident = (id: string, displayName: string, fields: Fields): DemoResident => {
  const purposes: ReadonlyArray<ConsentPurpose> = fields.consents ?? []
  const { grid, consents: _consents, ...rest } = fields
  return {
    tags: [],
    languages: [],
    skills: [],
    availability: [],
    ...rest,
    id: ResidentId.make(id),
    displayName,
    ...(grid === undefined ? {} : { grid: GridCode.make(grid) }),
    consents: (["registry", ...purposes.filter((p) => p !== "registry")] as ReadonlyArray<ConsentPurpose>).map(
      (purpose) => ({
        purpose,
        grantedBy: { _tag: "Self" as const }
      })
    )
  }
}

/** A child: no consent at registration (a guardian gives it once linked, see `demoLinks`). */
const child = (id: string, displayName: string, fields: Fields): DemoResident => ({
  ...resident(id, displayName, fields),
  consents: []
})

const weekday = (day: number, start: string, end: string) => ({ day, start, end })

// ---------------------------------------------------------------------------------------------
// 君馨社区 (Junxin)
// ---------------------------------------------------------------------------------------------

/**
 * 周赛群, 90, from Jiangxi: speaks only Gan (南昌话). A check-up means a 30-minute bus ride.
 * She lives with her son 万建华 (who works in the city and is not registered here), his wife
 * 熊丽萍 and their son 万子轩.
 */
export const zhouSaiqun = resident("0187d49b-e800-7000-8001-000000000001", "周赛群", {
  grid: "JX-03",
  birthYear: 1936,
  tags: ["migrant_elderly"],
  homePlace: { province: "jiangxi", city: "南昌" },
  languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
  availability: [weekday(3, "09:00", "11:30"), weekday(5, "09:00", "11:30")],
  location: { building: "15幢", unit: "2单元", room: "301" },
  phone: "13857410023",
  consents: ["health_data", "matching"],
  health: { conditions: ["高血压"], notes: "去医院体检要坐半个多小时公交车，需老乡陪同翻译" }
})

/** 陶桂芳, from Fuyang, Anhui: looks after two grandchildren, speaks 阜阳话. */
export const taoGuifang = resident("0187d49b-e800-7000-8001-000000000002", "陶桂芳", {
  grid: "JX-01",
  birthYear: 1950,
  tags: ["migrant_elderly", "caregiver"],
  homePlace: { province: "anhui", city: "阜阳" },
  languages: [{ language: "cmn", dialect: "阜阳话", proficiency: "native" }],
  availability: [weekday(2, "14:00", "16:00")],
  location: { building: "3幢", unit: "1单元", room: "602" },
  phone: "15067431120",
  consents: ["health_data", "matching"],
  health: { conditions: ["糖尿病"] }
})

/** 李福山, from Zhoukou, Henan: picks up his grandson from the primary school. */
export const liFushan = resident("0187d49b-e800-7000-8001-000000000003", "李福山", {
  grid: "JX-02",
  birthYear: 1951,
  tags: ["migrant_elderly", "caregiver"],
  homePlace: { province: "henan", city: "周口" },
  languages: [{ language: "cmn", dialect: "周口话", proficiency: "native" }],
  location: { building: "9幢", unit: "1单元", room: "1103" },
  phone: "18857492206",
  consents: ["health_data"],
  health: { conditions: ["腰椎间盘突出"] }
})

/** 何玉珍, from Nanchong, Sichuan. */
export const heYuzhen = resident("0187d49b-e800-7000-8001-000000000004", "何玉珍", {
  grid: "JX-02",
  birthYear: 1953,
  tags: ["migrant_elderly", "caregiver"],
  homePlace: { province: "sichuan", city: "南充" },
  languages: [{ language: "cmn", dialect: "四川话", proficiency: "native" }],
  location: { building: "11幢", unit: "2单元", room: "402" },
  consents: ["matching"]
})

/** 谭满秀, from Shaoyang, Hunan: speaks Xiang (邵阳话) and very little Mandarin. */
export const tanManxiu = resident("0187d49b-e800-7000-8001-000000000005", "谭满秀", {
  grid: "JX-04",
  birthYear: 1946,
  tags: ["migrant_elderly"],
  homePlace: { province: "hunan", city: "邵阳" },
  languages: [
    { language: "hsn", dialect: "邵阳话", proficiency: "native" },
    { language: "cmn", proficiency: "basic" }
  ],
  location: { building: "安置房A区", unit: "2单元", room: "201" },
  phone: "13586620471",
  consents: ["health_data"],
  health: { conditions: ["高血压", "白内障术后"] }
})

/** 曾德旺, from Ganzhou, Jiangxi: a younger migrant elder who assembles parts at Xin Workshop. */
export const zengDewang = resident("0187d49b-e800-7000-8001-000000000006", "曾德旺", {
  grid: "JX-01",
  birthYear: 1958,
  tags: ["migrant_elderly", "workshop_member"],
  homePlace: { province: "jiangxi", city: "赣州" },
  languages: [
    { language: "hak", dialect: "赣州客家话", proficiency: "native" },
    { language: "cmn", proficiency: "conversational" }
  ],
  skills: ["assembly"],
  availability: [weekday(1, "08:30", "11:30"), weekday(3, "08:30", "11:30"), weekday(5, "08:30", "11:30")],
  location: { building: "5幢", unit: "1单元", room: "302" },
  phone: "13736058812",
  consents: ["matching"]
})

/** 刘英, from Jiangxi: the fellow-townsperson who translates for 周赛群 on home visits. */
export const liuYing = resident("0187d49b-e800-7000-8001-000000000007", "刘英", {
  grid: "JX-03",
  birthYear: 1968,
  tags: ["volunteer", "fellow_townsperson", "workshop_member"],
  homePlace: { province: "jiangxi", city: "南昌" },
  languages: [
    { language: "gan", dialect: "南昌话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ],
  skills: ["translation", "home_visit", "assembly"],
  availability: [weekday(3, "08:30", "12:00"), weekday(6, "14:00", "17:00")],
  location: { building: "16幢", unit: "1单元", room: "502", coordinates: { lat: 29.8683, lng: 121.4912 } },
  phone: "13957420187",
  consents: ["contact_sharing", "matching"]
})

/** 王秀兰, from Fuyang, Anhui: fellow-townsperson for the Anhui elders, and a workshop member. */
export const wangXiulan = resident("0187d49b-e800-7000-8001-000000000008", "王秀兰", {
  grid: "JX-01",
  birthYear: 1974,
  tags: ["volunteer", "fellow_townsperson", "workshop_member", "parent"],
  homePlace: { province: "anhui", city: "阜阳" },
  languages: [{ language: "cmn", dialect: "阜阳话", proficiency: "native" }],
  skills: ["translation", "home_visit", "assembly"],
  availability: [weekday(2, "13:30", "17:00"), weekday(4, "13:30", "17:00")],
  location: { building: "2幢", unit: "2单元", room: "101" },
  phone: "15158293364",
  consents: ["contact_sharing", "matching"]
})

/** 张建国, from Zhoukou, Henan: retired, visits the Henan elders. */
export const zhangJianguo = resident("0187d49b-e800-7000-8001-000000000009", "张建国", {
  grid: "JX-02",
  birthYear: 1962,
  tags: ["volunteer", "fellow_townsperson", "retiree"],
  homePlace: { province: "henan", city: "周口" },
  languages: [{ language: "cmn", dialect: "河南话", proficiency: "native" }],
  skills: ["translation", "home_visit", "repair"],
  availability: [weekday(1, "09:00", "11:00"), weekday(6, "09:00", "11:00")],
  location: { building: "8幢", unit: "1单元", room: "701" },
  phone: "13819874450",
  consents: ["contact_sharing", "matching"]
})

/** 罗春梅, from Nanchong, Sichuan: a mother who translates 四川话 at weekends. */
export const luoChunmei = resident("0187d49b-e800-7000-8001-000000000010", "罗春梅", {
  grid: "JX-02",
  birthYear: 1984,
  tags: ["volunteer", "fellow_townsperson", "parent"],
  homePlace: { province: "sichuan", city: "南充" },
  languages: [{ language: "cmn", dialect: "四川话", proficiency: "native" }],
  skills: ["translation"],
  availability: [weekday(6, "09:00", "12:00"), weekday(7, "09:00", "12:00")],
  location: { building: "10幢", unit: "2单元", room: "902" },
  phone: "18268470935",
  consents: ["contact_sharing", "matching"]
})

/** 彭丽娟, from Shaoyang, Hunan: speaks 邵阳话 with 谭满秀. */
export const pengLijuan = resident("0187d49b-e800-7000-8001-000000000011", "彭丽娟", {
  grid: "JX-04",
  birthYear: 1979,
  tags: ["volunteer", "fellow_townsperson"],
  homePlace: { province: "hunan", city: "邵阳" },
  languages: [
    { language: "hsn", dialect: "邵阳话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ],
  skills: ["translation", "home_visit"],
  availability: [weekday(5, "14:00", "17:30")],
  location: { building: "安置房A区", unit: "1单元", room: "502" },
  phone: "13626748851",
  consents: ["contact_sharing", "matching"]
})

/** 陈晓燕, from Zunyi, Guizhou: a stay-at-home mother at Xin Workshop, 田依依's mother. */
export const chenXiaoyan = resident("0187d49b-e800-7000-8001-000000000012", "陈晓燕", {
  grid: "JX-01",
  birthYear: 1988,
  tags: ["workshop_member", "parent"],
  homePlace: { province: "guizhou", city: "遵义" },
  languages: [{ language: "cmn", dialect: "贵州话", proficiency: "native" }],
  skills: ["assembly"],
  availability: [weekday(1, "08:30", "11:00"), weekday(2, "08:30", "11:00"), weekday(4, "08:30", "11:00")],
  location: { building: "4幢", unit: "1单元", room: "1502" },
  phone: "15825563079",
  consents: ["matching"]
})

/** 吴海霞, from Xinyang, Henan: a stay-at-home mother who signs parts out to assemble at home; 宋浩然's mother. */
export const wuHaixia = resident("0187d49b-e800-7000-8001-000000000013", "吴海霞", {
  grid: "JX-02",
  birthYear: 1986,
  tags: ["workshop_member", "parent"],
  homePlace: { province: "henan", city: "信阳" },
  languages: [{ language: "cmn", proficiency: "native" }],
  skills: ["assembly", "quality_check"],
  availability: [weekday(1, "13:00", "16:00"), weekday(3, "13:00", "16:00")],
  location: { building: "7幢", unit: "2单元", room: "802" },
  phone: "15906742218",
  consents: ["matching"]
})

/** 孙美华, a retired Ningbo local: the fastest hands at Xin Workshop. */
export const sunMeihua = resident("0187d49b-e800-7000-8001-000000000014", "孙美华", {
  grid: "JX-04",
  birthYear: 1961,
  tags: ["workshop_member", "retiree"],
  homePlace: { province: "zhejiang", city: "宁波" },
  languages: [
    { language: "wuu", dialect: "宁波话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ],
  skills: ["assembly", "rice_cake_making"],
  availability: [weekday(1, "08:00", "11:30"), weekday(3, "08:00", "11:30"), weekday(5, "08:00", "11:30")],
  location: { building: "沿街18号", room: "201" },
  phone: "13505846617",
  consents: ["matching", "photos"]
})

/** 熊丽萍, from Nanchang, Jiangxi: 周赛群's daughter-in-law (wife of her son 万建华) and 万子轩's mother. */
export const xiongLiping = resident("0187d49b-e800-7000-8001-000000000015", "熊丽萍", {
  grid: "JX-03",
  birthYear: 1987,
  tags: ["parent"],
  homePlace: { province: "jiangxi", city: "南昌" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "gan", dialect: "南昌话", proficiency: "conversational" }
  ],
  location: { building: "15幢", unit: "2单元", room: "301" },
  phone: "18758213390",
  consents: ["contact_sharing"]
})

/** 万子轩, 10: 周赛群's grandson (her son's son, so surnamed 万), at the town's primary school. */
export const wanZixuan = child("0187d49b-e800-7000-8001-000000000016", "万子轩", {
  grid: "JX-03",
  birthYear: 2016,
  tags: ["child"],
  homePlace: { province: "jiangxi", city: "南昌" },
  languages: [{ language: "cmn", proficiency: "native" }],
  location: { building: "15幢", unit: "2单元", room: "301" }
})

/** 田依依, 11: 陈晓燕's daughter (her father is 田), drew the community mascot 幸运君 (a Ningbo tangyuan). */
export const tianYiyi = child("0187d49b-e800-7000-8001-000000000017", "田依依", {
  grid: "JX-01",
  birthYear: 2015,
  tags: ["child"],
  homePlace: { province: "guizhou", city: "遵义" },
  languages: [{ language: "cmn", proficiency: "native" }],
  skills: ["drawing"],
  location: { building: "4幢", unit: "1单元", room: "1502" }
})

/** 宋浩然, 13: 吴海霞's son (his father is 宋), grabs a place in the holiday kite-making class. */
export const songHaoran = child("0187d49b-e800-7000-8001-000000000018", "宋浩然", {
  grid: "JX-02",
  birthYear: 2013,
  tags: ["child"],
  homePlace: { province: "henan", city: "信阳" },
  languages: [{ language: "cmn", proficiency: "native" }],
  location: { building: "7幢", unit: "2单元", room: "802" }
})

/**
 * 黄敏, a nurse of the nearby 高桥镇卫生院 on the "shared children" (共享子女) team. Hospital staff
 * who visit on the team's home check-ups, registered as volunteers: no grid, no location.
 */
export const huangMin = resident("0187d49b-e800-7000-8001-000000000019", "黄敏", {
  birthYear: 1983,
  tags: ["medical_staff", "volunteer"],
  homePlace: { province: "zhejiang", city: "宁波" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", dialect: "宁波话", proficiency: "native" }
  ],
  skills: ["health_check", "blood_pressure", "home_visit"],
  availability: [weekday(3, "14:00", "17:00")],
  phone: "13777085326",
  consents: ["contact_sharing", "matching"]
})

/** 邵志刚, a general practitioner of 高桥镇卫生院 on the "shared children" team: a visiting volunteer like 黄敏. */
export const shaoZhigang = resident("0187d49b-e800-7000-8001-000000000020", "邵志刚", {
  birthYear: 1979,
  tags: ["medical_staff", "volunteer"],
  homePlace: { province: "zhejiang", city: "宁波" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", dialect: "宁波话", proficiency: "native" }
  ],
  skills: ["health_check", "general_practice", "home_visit"],
  availability: [weekday(3, "14:00", "17:00")],
  phone: "13867806614",
  consents: ["contact_sharing", "matching"]
})

/** 葛琳, grid worker (网格员) of JX-01 and JX-02. */
export const geLin = resident("0187d49b-e800-7000-8001-000000000021", "葛琳", {
  grid: "JX-01",
  birthYear: 1991,
  tags: ["grid_worker", "staff"],
  homePlace: { province: "zhejiang", city: "宁波" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", dialect: "宁波话", proficiency: "native" }
  ],
  skills: ["home_visit", "registry"],
  phone: "13819802237",
  consents: ["contact_sharing"]
})

/** 俞佳, grid worker (网格员) of JX-03 and JX-04. */
export const yuJia = resident("0187d49b-e800-7000-8001-000000000022", "俞佳", {
  grid: "JX-03",
  birthYear: 1994,
  tags: ["grid_worker", "staff"],
  homePlace: { province: "zhejiang", city: "宁波" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", dialect: "宁波话", proficiency: "fluent" }
  ],
  skills: ["home_visit", "registry"],
  phone: "15988141706",
  consents: ["contact_sharing"]
})

/** 林晓, social worker (社工) who runs the 馨安君 migrant-elderly peer-support project. */
export const linXiao = resident("0187d49b-e800-7000-8001-000000000023", "林晓", {
  birthYear: 1990,
  tags: ["staff"],
  homePlace: { province: "zhejiang", city: "台州" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", proficiency: "fluent" }
  ],
  skills: ["social_work", "home_visit", "project_management"],
  phone: "13575531842",
  consents: ["contact_sharing"]
})

/** 方婷, social worker (社工) who coordinates Xin Workshop and the Candy Commune (糖果公社) activities. */
export const fangTing = resident("0187d49b-e800-7000-8001-000000000024", "方婷", {
  birthYear: 1996,
  tags: ["staff"],
  homePlace: { province: "anhui", city: "安庆" },
  languages: [{ language: "cmn", proficiency: "native" }],
  skills: ["social_work", "workshop_coordination", "youth_activities"],
  phone: "18815082964",
  consents: ["contact_sharing"]
})

/** Every demo resident of 君馨社区, in registration order. */
export const junxinResidents: ReadonlyArray<DemoResident> = [
  zhouSaiqun,
  taoGuifang,
  liFushan,
  heYuzhen,
  tanManxiu,
  zengDewang,
  liuYing,
  wangXiulan,
  zhangJianguo,
  luoChunmei,
  pengLijuan,
  chenXiaoyan,
  wuHaixia,
  sunMeihua,
  xiongLiping,
  wanZixuan,
  tianYiyi,
  songHaoran,
  huangMin,
  shaoZhigang,
  geLin,
  yuJia,
  linXiao,
  fangTing
]

// ---------------------------------------------------------------------------------------------
// 顾里小站 (Gu Li Station)
// ---------------------------------------------------------------------------------------------

/** 钱淑英, retired teacher: teaches calligraphy (书法) and runs a named studio. */
export const qianShuying = resident("0186389f-2800-7000-8002-000000000001", "钱淑英", {
  grid: "GL-01",
  birthYear: 1956,
  tags: ["community_talent", "volunteer", "retiree"],
  homePlace: { province: "shanghai", city: "宝山" },
  languages: [
    { language: "wuu", dialect: "上海话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ],
  skills: ["calligraphy"],
  availability: [weekday(3, "09:30", "11:30"), weekday(6, "09:30", "11:30")],
  location: { building: "馨清佳苑12号", room: "502" },
  phone: "13901726458",
  consents: ["contact_sharing", "matching", "photos"]
})

/** 朱美凤: teaches knot art (结艺, Chinese knots). */
export const zhuMeifeng = resident("0186389f-2800-7000-8002-000000000002", "朱美凤", {
  grid: "GL-02",
  birthYear: 1960,
  tags: ["community_talent", "volunteer", "retiree"],
  homePlace: { province: "shanghai", city: "宝山" },
  languages: [
    { language: "wuu", dialect: "上海话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ],
  skills: ["knot_art"],
  availability: [weekday(4, "14:00", "16:00")],
  location: { building: "馨佳园一居23号", room: "301" },
  phone: "13816529047",
  consents: ["contact_sharing", "matching"]
})

/** 蒋国平: teaches ballroom dance (交谊舞) on Friday afternoons. */
export const jiangGuoping = resident("0186389f-2800-7000-8002-000000000003", "蒋国平", {
  grid: "GL-03",
  birthYear: 1958,
  tags: ["community_talent", "volunteer", "retiree"],
  homePlace: { province: "jiangsu", city: "南通" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", proficiency: "conversational" }
  ],
  skills: ["ballroom_dance"],
  availability: [weekday(5, "14:00", "16:30")],
  location: { building: "馨佳园二居8号", room: "602" },
  phone: "13761904523",
  consents: ["contact_sharing", "matching"]
})

/** 徐蕾: a fitness instructor (健身) who leads the Sunday morning class. */
export const xuLei = resident("0186389f-2800-7000-8002-000000000004", "徐蕾", {
  grid: "GL-01",
  birthYear: 1983,
  tags: ["community_talent", "volunteer", "parent"],
  homePlace: { province: "shanghai", city: "宝山" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", dialect: "上海话", proficiency: "native" }
  ],
  skills: ["fitness"],
  availability: [weekday(7, "08:00", "09:30")],
  location: { building: "馨清佳苑5号", room: "1101" },
  phone: "18616370982",
  consents: ["contact_sharing", "matching"]
})

/** 沈文斌, a lawyer who gives the regular free legal advice (法律咨询). */
export const shenWenbin = resident("0186389f-2800-7000-8002-000000000005", "沈文斌", {
  grid: "GL-04",
  birthYear: 1975,
  tags: ["community_talent", "volunteer"],
  homePlace: { province: "zhejiang", city: "湖州" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", proficiency: "fluent" }
  ],
  skills: ["legal_advice"],
  availability: [weekday(6, "14:00", "16:00")],
  location: { building: "馨佳园三居2号", room: "702" },
  phone: "13917445806",
  consents: ["contact_sharing", "matching"]
})

/** 顾永康, a retired traditional-medicine (中医) doctor who runs the free clinic. */
export const guYongkang = resident("0186389f-2800-7000-8002-000000000006", "顾永康", {
  grid: "GL-02",
  birthYear: 1954,
  tags: ["community_talent", "medical_staff", "volunteer", "retiree"],
  homePlace: { province: "shanghai", city: "宝山" },
  languages: [
    { language: "wuu", dialect: "上海话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ],
  skills: ["tcm", "health_check", "blood_pressure"],
  availability: [weekday(3, "13:30", "16:00")],
  location: { building: "馨佳园一居17号", room: "201" },
  phone: "13601889274",
  consents: ["contact_sharing", "matching"]
})

/** 杨秋萍: leads the singers who became the community choir (社区合唱队). */
export const yangQiuping = resident("0186389f-2800-7000-8002-000000000007", "杨秋萍", {
  grid: "GL-01",
  birthYear: 1957,
  tags: ["community_talent", "volunteer", "retiree"],
  homePlace: { province: "shanghai", city: "宝山" },
  languages: [
    { language: "wuu", dialect: "上海话", proficiency: "native" },
    { language: "cmn", proficiency: "fluent" }
  ],
  skills: ["singing", "choir"],
  availability: [weekday(4, "09:30", "11:30")],
  location: { building: "馨清佳苑9号", room: "402" },
  phone: "13585722619",
  consents: ["contact_sharing", "matching", "photos"]
})

/** 陆子豪, a student at 上海大学 (Baoshan campus) who comes at weekends to teach elders to use a smartphone. */
export const luZihao = resident("0186389f-2800-7000-8002-000000000008", "陆子豪", {
  birthYear: 2004,
  tags: ["student_volunteer", "volunteer"],
  homePlace: { province: "jiangsu", city: "苏州" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", dialect: "苏州话", proficiency: "conversational" },
    { language: "eng", proficiency: "fluent" }
  ],
  skills: ["smartphone_teaching"],
  availability: [weekday(6, "09:00", "12:00"), weekday(7, "09:00", "12:00")],
  phone: "17821936045",
  consents: ["contact_sharing", "matching"]
})

/** 张雨桐, a student at 上海大学 (Baoshan campus) who teaches smartphones one to one on Saturdays. */
export const zhangYutong = resident("0186389f-2800-7000-8002-000000000009", "张雨桐", {
  birthYear: 2005,
  tags: ["student_volunteer", "volunteer"],
  homePlace: { province: "shandong", city: "青岛" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "eng", proficiency: "fluent" }
  ],
  skills: ["smartphone_teaching"],
  availability: [weekday(6, "13:30", "16:30")],
  phone: "19821547730",
  consents: ["contact_sharing", "matching"]
})

/** 金秀娣, 82, a Shanghai local who comes for the blood-pressure check every opening day. */
export const jinXiudi = resident("0186389f-2800-7000-8002-000000000010", "金秀娣", {
  grid: "GL-01",
  birthYear: 1944,
  tags: ["retiree"],
  homePlace: { province: "shanghai", city: "宝山" },
  languages: [
    { language: "wuu", dialect: "上海话", proficiency: "native" },
    { language: "cmn", proficiency: "conversational" }
  ],
  location: { building: "馨清佳苑3号", room: "101" },
  phone: "13122708519",
  consents: ["health_data", "matching"],
  health: { conditions: ["高血压"], notes: "每个开放日测量血压" }
})

/** 马振华, 79, is learning to use WeChat and mobile payment with the students. */
export const maZhenhua = resident("0186389f-2800-7000-8002-000000000011", "马振华", {
  grid: "GL-03",
  birthYear: 1947,
  tags: ["retiree"],
  homePlace: { province: "shandong", city: "烟台" },
  languages: [{ language: "cmn", dialect: "胶辽官话", proficiency: "native" }],
  location: { building: "馨佳园二居15号", room: "503" },
  phone: "13361922845",
  consents: ["matching"]
})

/** 汪玉兰, 76, from Anqing, Anhui: moved in to look after her grandchildren. */
export const wangYulan = resident("0186389f-2800-7000-8002-000000000012", "汪玉兰", {
  grid: "GL-04",
  birthYear: 1950,
  tags: ["migrant_elderly", "caregiver"],
  homePlace: { province: "anhui", city: "安庆" },
  languages: [{ language: "cmn", dialect: "安庆话", proficiency: "native" }],
  location: { building: "馨佳园三居11号", room: "204" },
  consents: ["health_data"],
  health: { conditions: ["骨质疏松"] }
})

/** 潘晓丽, a mother on the parents' committee (家长委员会). */
export const panXiaoli = resident("0186389f-2800-7000-8002-000000000013", "潘晓丽", {
  grid: "GL-02",
  birthYear: 1987,
  tags: ["parent"],
  homePlace: { province: "shanghai", city: "宝山" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", dialect: "上海话", proficiency: "native" }
  ],
  location: { building: "馨佳园一居6号", room: "1204" },
  phone: "18918263307",
  consents: ["contact_sharing"]
})

/** 高睿, 10: 潘晓丽's son, goes to the weekend calligraphy class. */
export const gaoRui = child("0186389f-2800-7000-8002-000000000014", "高睿", {
  grid: "GL-02",
  birthYear: 2016,
  tags: ["child"],
  homePlace: { province: "shanghai", city: "宝山" },
  languages: [{ language: "cmn", proficiency: "native" }],
  skills: ["calligraphy"],
  location: { building: "馨佳园一居6号", room: "1204" }
})

/** 许静, manager of the station for the community public-benefit service centre. */
export const xuJing = resident("0186389f-2800-7000-8002-000000000015", "许静", {
  birthYear: 1989,
  tags: ["staff"],
  homePlace: { province: "shanghai", city: "宝山" },
  languages: [
    { language: "cmn", proficiency: "native" },
    { language: "wuu", dialect: "上海话", proficiency: "native" }
  ],
  skills: ["social_work", "project_management"],
  phone: "13764420915",
  consents: ["contact_sharing"]
})

/** 邹明, staff who runs the neighbour mutual-aid platform and the WeChat group. */
export const zouMing = resident("0186389f-2800-7000-8002-000000000016", "邹明", {
  birthYear: 1995,
  tags: ["staff"],
  homePlace: { province: "hubei", city: "荆州" },
  languages: [{ language: "cmn", proficiency: "native" }],
  skills: ["social_work", "mutual_aid_matching"],
  phone: "15000873416",
  consents: ["contact_sharing"]
})

/** Every demo resident of 顾里小站, in registration order. */
export const guliResidents: ReadonlyArray<DemoResident> = [
  qianShuying,
  zhuMeifeng,
  jiangGuoping,
  xuLei,
  shenWenbin,
  guYongkang,
  yangQiuping,
  luZihao,
  zhangYutong,
  jinXiudi,
  maZhenhua,
  wangYulan,
  panXiaoli,
  gaoRui,
  xuJing,
  zouMing
]
