/**
 * The resident: schemas of the registry a social worker keeps.
 *
 * A resident belongs to one community and one grid (网格), may share a household, carries
 * tags (随迁老人, child, volunteer …), a home province and city (for fellow-townsperson matching,
 * 老乡团), the languages and dialects they speak, skills, weekly availability, a location and a
 * contact phone. Children have guardian links. Consent records say what the resident (or a
 * guardian) agreed to; health data needs its own consent (PIPL sensitive personal information).
 *
 * @module
 */
import { Effect, Schema } from "effect"
import { GridCode } from "../communities/Community.js"
import { CommunityId, HouseholdId, ResidentId } from "../kernel/Ids.js"
import * as Text from "../kernel/Text.js"
import { isMaxItems } from "../kernel/Validation.js"

/** What a resident is to the community. Several may apply. */
export const ResidentTag = Schema.Literals([
  "migrant_elderly", // 随迁老人 / 老漂族
  "child", // 儿童
  "caregiver", // 照护者
  "parent", // 家长
  "retiree", // 退休人员
  "volunteer", // 志愿者
  "community_talent", // 社区能人
  "fellow_townsperson", // 老乡团成员
  "student_volunteer", // 大学生志愿者
  "medical_staff", // 医护人员
  "workshop_member", // 馨工坊成员
  "staff", // 社工 / 工作人员
  "grid_worker" // 网格员
])
/** What a resident is to the community. */
export type ResidentTag = typeof ResidentTag.Type

/** Chinese labels of the tags, for user-facing text. */
export const residentTagLabels: Readonly<Record<ResidentTag, string>> = {
  migrant_elderly: "随迁老人",
  child: "儿童",
  caregiver: "照护者",
  parent: "家长",
  retiree: "退休人员",
  volunteer: "志愿者",
  community_talent: "社区能人",
  fellow_townsperson: "老乡团成员",
  student_volunteer: "大学生志愿者",
  medical_staff: "医护人员",
  workshop_member: "馨工坊成员",
  staff: "社区工作人员",
  grid_worker: "网格员"
}

/**
 * Languages, as ISO 639-3 codes: Mandarin and the Chinese language groups whose dialects the
 * migrant elderly speak, plus a few others. A dialect (南昌话, 宁波话 …) is named in
 * `LanguageSkill.dialect`.
 */
export const languageNames = {
  cmn: "普通话 Mandarin",
  wuu: "吴语 Wu (Shanghainese, Ningbo …)",
  gan: "赣语 Gan (Jiangxi)",
  hak: "客家话 Hakka",
  yue: "粤语 Cantonese",
  nan: "闽南语 Southern Min",
  cdo: "闽东语 Eastern Min",
  hsn: "湘语 Xiang (Hunan)",
  cjy: "晋语 Jin (Shanxi)",
  czh: "徽语 Huizhou",
  cpx: "莆仙话 Pu-Xian",
  zha: "壮语 Zhuang",
  bo: "藏语 Tibetan",
  ug: "维吾尔语 Uyghur",
  mn: "蒙古语 Mongolian",
  eng: "英语 English",
  csl: "中国手语 Chinese Sign Language"
} as const

/** A language code from {@link languageNames}. */
export const LanguageCode = Schema.Literals(
  Object.keys(languageNames) as [keyof typeof languageNames, ...Array<keyof typeof languageNames>]
).annotate({
  message: `must be one of ${Object.keys(languageNames).join(", ")} / 语言代码无效`
})
/** A language code. */
export type LanguageCode = typeof LanguageCode.Type

/** How well someone speaks a language. */
export const Proficiency = Schema.Literals(["native", "fluent", "conversational", "basic"])
/** How well someone speaks a language. */
export type Proficiency = typeof Proficiency.Type

/** A language (and optionally a dialect of it) a resident speaks. */
export const LanguageSkill = Schema.Struct({
  language: LanguageCode,
  /** The dialect, as people name it: 南昌话, 宁波话, 赣州客家话. */
  dialect: Text.optionalLine(40),
  proficiency: Proficiency
})
/** A language (and optionally a dialect of it) a resident speaks. */
export type LanguageSkill = typeof LanguageSkill.Type

/**
 * A list of languages names each language (with its dialect, or without one) once: the same
 * language and dialect twice is `InvalidInput` on the repeat, e.g. `languages.1`.
 */
const uniqueLanguages = Schema.makeFilter((languages: ReadonlyArray<LanguageSkill>) => {
  const seen = new Map<string, number>()
  const issues: Array<Schema.FilterIssue> = []
  languages.forEach((l, i) => {
    const key = `${l.language}\u0000${l.dialect ?? ""}`
    const first = seen.get(key)
    if (first === undefined) seen.set(key, i)
    else
      issues.push({ path: [i], issue: `repeats languages.${first}: list a language and dialect once / 语言和方言重复` })
  })
  return issues
})

/** The provinces of China (incl. municipalities, autonomous regions, SARs and Taiwan), by pinyin key. */
export const provinceNames = {
  beijing: "北京",
  tianjin: "天津",
  hebei: "河北",
  shanxi: "山西",
  neimenggu: "内蒙古",
  liaoning: "辽宁",
  jilin: "吉林",
  heilongjiang: "黑龙江",
  shanghai: "上海",
  jiangsu: "江苏",
  zhejiang: "浙江",
  anhui: "安徽",
  fujian: "福建",
  jiangxi: "江西",
  shandong: "山东",
  henan: "河南",
  hubei: "湖北",
  hunan: "湖南",
  guangdong: "广东",
  guangxi: "广西",
  hainan: "海南",
  chongqing: "重庆",
  sichuan: "四川",
  guizhou: "贵州",
  yunnan: "云南",
  xizang: "西藏",
  shaanxi: "陕西",
  gansu: "甘肃",
  qinghai: "青海",
  ningxia: "宁夏",
  xinjiang: "新疆",
  hongkong: "香港",
  macau: "澳门",
  taiwan: "台湾"
} as const

/** A province key from {@link provinceNames}, e.g. `jiangxi`. */
export const Province = Schema.Literals(
  Object.keys(provinceNames) as [keyof typeof provinceNames, ...Array<keyof typeof provinceNames>]
).annotate({ message: "must be a province key such as jiangxi / 省份无效" })
/** A province key. */
export type Province = typeof Province.Type

/** Where a resident comes from: the basis of fellow-townsperson (老乡) matching. */
export const HomePlace = Schema.Struct({
  province: Province,
  /** City or county, as people say it: 赣州, 上饶. */
  city: Text.optionalLine(40)
})
/** Where a resident comes from. */
export type HomePlace = typeof HomePlace.Type

/** A skill, as a short lower-case slug: `translation`, `health_check`, `calligraphy`. */
export const Skill = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9_-]{1,39}$/u, {
    message: "must be a lower-case slug such as health_check / 技能标识须为小写字母、数字或下划线"
  })
)

const HHMM = Schema.String.check(
  Schema.isPattern(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/u, { message: "must be HH:MM / 时间格式须为 HH:MM" })
)

/** A weekly time slot in the community's time zone; `day` is the ISO weekday (1 = Monday). */
export const AvailabilitySlot = Schema.Struct({
  day: Schema.Int.check(
    Schema.isBetween({ minimum: 1, maximum: 7 }, { message: "must be 1 (Monday) to 7 (Sunday) / 星期须为 1 到 7" })
  ),
  start: HHMM,
  end: HHMM
}).check(
  Schema.makeFilter(
    (s: { readonly start: string; readonly end: string }) =>
      s.start < s.end || { path: ["end"], issue: "must be after start / 结束时间须晚于开始时间" }
  )
)
/** A weekly time slot in the community's time zone. */
export type AvailabilitySlot = typeof AvailabilitySlot.Type

/** A coordinate in degrees: a finite number (never NaN or ±Infinity) from `-max` to `max`. */
const degrees = (max: number, english: string, chinese: string) =>
  Schema.Number.check(
    Schema.isFinite({ message: `must be a finite number / ${chinese}须为有限数值` }).abort(),
    Schema.isBetween(
      { minimum: -max, maximum: max },
      { message: `must be a ${english} from -${max} to ${max} / ${chinese}须在 -${max} 到 ${max} 之间` }
    )
  )

/**
 * Latitude and longitude (WGS-84), in degrees: finite numbers (NaN and ±Infinity are refused),
 * latitude from -90 to 90, longitude from -180 to 180.
 */
export const Coordinates = Schema.Struct({
  lat: degrees(90, "latitude", "纬度"),
  lng: degrees(180, "longitude", "经度")
})
/** Latitude and longitude (WGS-84). */
export type Coordinates = typeof Coordinates.Type

/** Where a resident lives: building (楼栋), unit (单元), room, optional coordinates. */
export const Location = Schema.Struct({
  building: Text.line(40),
  unit: Text.optionalLine(20),
  room: Text.optionalLine(20),
  coordinates: Schema.optional(Coordinates)
})
/** Where a resident lives. */
export type Location = typeof Location.Type

/** A mainland China mobile number: 11 digits starting with 1. */
export const Phone = Schema.String.check(
  Schema.isPattern(/^1[3-9]\d{9}$/u, { message: "must be an 11-digit mobile number / 手机号码格式无效" })
)

/** Masks a phone for projections: `138****5678`. */
export const maskPhone = (phone: string): string => `${phone.slice(0, 3)}****${phone.slice(-4)}`

/** The purposes a resident can consent to. `health_data` is the separate consent PIPL asks for sensitive data. */
export const ConsentPurpose = Schema.Literals([
  "registry", // 居民登记 — keeping the record at all
  "health_data", // 健康信息 — sensitive: check-ups, conditions
  "contact_sharing", // 向志愿者提供联系方式
  "matching", // 互助匹配
  "photos" // 活动照片
])
/** The purposes a resident can consent to. */
export type ConsentPurpose = typeof ConsentPurpose.Type

/** Who gave a consent: the resident themself, or one of their guardians. */
export const ConsentGiver = Schema.Union([
  Schema.TaggedStruct("Self", {}),
  Schema.TaggedStruct("Guardian", { guardianId: ResidentId })
])
/** Who gave a consent. */
export type ConsentGiver = typeof ConsentGiver.Type

/** One consent: granted when and by whom, withdrawn when (if it was). Kept after withdrawal as evidence. */
export const ConsentRecord = Schema.Struct({
  purpose: ConsentPurpose,
  grantedAt: Schema.DateTimeUtcFromString,
  grantedBy: ConsentGiver,
  /** The staff subject who recorded it. */
  recordedBy: Schema.String,
  withdrawnAt: Schema.NullOr(Schema.DateTimeUtcFromString)
})
/** One consent record. */
export type ConsentRecord = typeof ConsentRecord.Type

/** Health information: kept only while a `health_data` consent is in force. */
export const HealthInfo = Schema.Struct({
  /** Conditions the check-up team should know: 高血压, 糖尿病. */
  conditions: Schema.Array(Text.line(60)).check(isMaxItems(30)),
  /** Free notes: may span lines (line feeds and tabs), at most 500 characters. */
  notes: Schema.optional(Text.multiline(500))
})
/** Health information. */
export type HealthInfo = typeof HealthInfo.Type

/** The resident's lifecycle. `erased` is final: personal fields are gone, the id stays. */
export const ResidentStatus = Schema.Literals(["active", "inactive", "erased"])
/** The resident's lifecycle. */
export type ResidentStatus = typeof ResidentStatus.Type

/**
 * Why a resident was deactivated: a code, never free text, because the reason travels in a
 * domain event that outlives an erasure.
 */
export const DeactivationReason = Schema.Literals(["moved_away", "deceased", "duplicate_record", "other"])
/** Why a resident was deactivated. */
export type DeactivationReason = typeof DeactivationReason.Type

/** Below this age (PIPL art. 31: 14) a consent must come from a guardian. */
export const AGE_OF_CONSENT = 14

/**
 * A display name: one line of 1-40 characters (code points) after trimming, under the kernel
 * text rule (no control or bidi characters, not blank once invisible characters are removed).
 */
export const DisplayName = Text.line(40)

/** A resident, as stored. Personal fields are `null` once erased. */
export class Resident extends Schema.Class<Resident>("Resident")({
  id: ResidentId,
  communityId: CommunityId,
  /** Increments on every change; pass it back as `expectedVersion` to update. */
  version: Schema.Int,
  status: ResidentStatus,
  /** Checked as {@link DisplayName} when given; as stored it is kept as it is (an erased record's name is fixed). */
  displayName: Schema.String,
  grid: Schema.NullOr(GridCode),
  householdId: Schema.NullOr(HouseholdId),
  birthYear: Schema.NullOr(Schema.Int),
  tags: Schema.Array(ResidentTag),
  homePlace: Schema.NullOr(HomePlace),
  languages: Schema.Array(LanguageSkill),
  skills: Schema.Array(Schema.String),
  availability: Schema.Array(AvailabilitySlot),
  location: Schema.NullOr(Location),
  phone: Schema.NullOr(Schema.String),
  /** The guardians of a child (or of an adult who needs one). */
  guardianIds: Schema.Array(ResidentId),
  consents: Schema.Array(ConsentRecord),
  health: Schema.NullOr(HealthInfo),
  createdAt: Schema.DateTimeUtcFromString,
  updatedAt: Schema.DateTimeUtcFromString,
  deactivatedAt: Schema.NullOr(Schema.DateTimeUtcFromString),
  erasedAt: Schema.NullOr(Schema.DateTimeUtcFromString)
}) {}

/** The full record, as staff and the resident themself (or their guardian) see it. */
export const ResidentFullView = Schema.TaggedStruct("Full", {
  ...Resident.fields
})
/** The full record view. */
export type ResidentFullView = typeof ResidentFullView.Type

/**
 * The reduced record volunteers see for matching: no birth year (an age band instead), no
 * room, no health data, no consents, a masked phone (only with a `contact_sharing` consent).
 */
export const ResidentReducedView = Schema.TaggedStruct("Reduced", {
  id: ResidentId,
  communityId: CommunityId,
  status: ResidentStatus,
  displayName: Schema.String,
  grid: Schema.NullOr(GridCode),
  /** A ten-year band such as `70-79`. */
  ageBand: Schema.NullOr(Schema.String),
  tags: Schema.Array(ResidentTag),
  homePlace: Schema.NullOr(HomePlace),
  languages: Schema.Array(LanguageSkill),
  skills: Schema.Array(Schema.String),
  availability: Schema.Array(AvailabilitySlot),
  building: Schema.NullOr(Schema.String),
  maskedPhone: Schema.NullOr(Schema.String)
})
/** The reduced record view. */
export type ResidentReducedView = typeof ResidentReducedView.Type

/** What a query returns: the full or the reduced view, by the actor's authority (`_tag` tells which). */
export const ResidentView = Schema.Union([ResidentFullView, ResidentReducedView])
/** What a query returns. */
export type ResidentView = typeof ResidentView.Type

/** Each consent purpose once: a repeat is `InvalidInput` on its `purpose`, e.g. `consents.1.purpose`. */
const uniquePurposes = Schema.makeFilter((consents: ReadonlyArray<{ readonly purpose: ConsentPurpose }>) => {
  const seen = new Map<ConsentPurpose, number>()
  const issues: Array<Schema.FilterIssue> = []
  consents.forEach((c, i) => {
    const first = seen.get(c.purpose)
    if (first === undefined) seen.set(c.purpose, i)
    else
      issues.push({
        path: [i, "purpose"],
        issue: `repeats consents.${first}: consent to a purpose once / 同一事项只能同意一次`
      })
  })
  return issues
})

/**
 * A birth year as input: a whole number from 1900 to 2200. The bounds keep absurd numbers out of
 * every store; that the year is not in the future is a rule of the community's calendar
 * (`ResidentRules`, which knows the clock and the time zone).
 */
export const BirthYear = Schema.Int.check(
  Schema.isGreaterThanOrEqualTo(1900, { message: "must be 1900 or later / 出生年份须不早于 1900" }),
  Schema.isLessThanOrEqualTo(2200, { message: "must be 2200 or earlier / 出生年份须不晚于 2200" })
)

/** The input to register a resident. Everything but the name is optional. */
export const RegisterResidentInput = Schema.Struct({
  /** Chosen id, for idempotent imports and seeding; a fresh UUIDv7 when omitted. */
  id: Schema.optional(ResidentId),
  displayName: DisplayName,
  grid: Schema.optional(GridCode),
  birthYear: Schema.optional(BirthYear),
  tags: Schema.Array(ResidentTag).pipe(Schema.withDecodingDefault(Effect.succeed([]))),
  homePlace: Schema.optional(HomePlace),
  languages: Schema.Array(LanguageSkill)
    .check(isMaxItems(10), uniqueLanguages)
    .pipe(Schema.withDecodingDefault(Effect.succeed([]))),
  skills: Schema.Array(Skill)
    .check(isMaxItems(30))
    .pipe(Schema.withDecodingDefault(Effect.succeed([]))),
  availability: Schema.Array(AvailabilitySlot)
    .check(isMaxItems(28))
    .pipe(Schema.withDecodingDefault(Effect.succeed([]))),
  location: Schema.optional(Location),
  phone: Schema.optional(Phone),
  /**
   * Consents given at registration, each purpose at most once (a repeat is `InvalidInput`, as
   * recording a consent already in force is). `health_data` must be here for `health` to be kept.
   */
  consents: Schema.Array(Schema.Struct({ purpose: ConsentPurpose, grantedBy: ConsentGiver }))
    .check(uniquePurposes)
    .pipe(Schema.withDecodingDefault(Effect.succeed([]))),
  health: Schema.optional(HealthInfo)
})
/** The input to register a resident (decoded form). */
export type RegisterResidentInput = typeof RegisterResidentInput.Type

/**
 * The fields an update may change. Absent means unchanged; `null` clears a field that may be
 * cleared. Those are optional keys of `X | null` (`Schema.optionalKey`), not `X | null |
 * undefined`: the JSON document then lists `null` once, and there is one way to say "unchanged"
 * (leave the key out).
 */
export const ResidentPatch = Schema.Struct({
  displayName: Schema.optional(DisplayName),
  grid: Schema.optionalKey(Schema.NullOr(GridCode)),
  birthYear: Schema.optionalKey(Schema.NullOr(BirthYear)),
  tags: Schema.optional(Schema.Array(ResidentTag)),
  homePlace: Schema.optionalKey(Schema.NullOr(HomePlace)),
  languages: Schema.optional(Schema.Array(LanguageSkill).check(isMaxItems(10), uniqueLanguages)),
  skills: Schema.optional(Schema.Array(Skill).check(isMaxItems(30))),
  availability: Schema.optional(Schema.Array(AvailabilitySlot).check(isMaxItems(28))),
  location: Schema.optionalKey(Schema.NullOr(Location)),
  phone: Schema.optionalKey(Schema.NullOr(Phone)),
  health: Schema.optionalKey(Schema.NullOr(HealthInfo))
})
/** The fields an update may change. */
export type ResidentPatch = typeof ResidentPatch.Type

/** The input to update a resident: the version you read, and the changes. */
export const UpdateResidentInput = Schema.Struct({
  expectedVersion: Schema.Int,
  patch: ResidentPatch
})
/** The input to update a resident. */
export type UpdateResidentInput = typeof UpdateResidentInput.Type

/** The input to record a consent. */
export const RecordConsentInput = Schema.Struct({
  purpose: ConsentPurpose,
  grantedBy: ConsentGiver
})
/** The input to record a consent. */
export type RecordConsentInput = typeof RecordConsentInput.Type

/** Search filters; all optional, combined with AND. */
export const ResidentFilter = Schema.Struct({
  grid: Schema.optional(GridCode),
  tag: Schema.optional(ResidentTag),
  language: Schema.optional(LanguageCode),
  /** Matches a dialect name exactly, e.g. 南昌话. */
  dialect: Text.optionalLine(40),
  homeProvince: Schema.optional(Province),
  /** Matches a skill slug exactly, e.g. `translation`. */
  skill: Schema.optional(Skill),
  /** Age range in whole years, computed in the community's time zone from the birth year. */
  minAge: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 150 }))),
  maxAge: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 150 }))),
  /** Case-insensitive substring of the display name. */
  nameContains: Text.optionalLine(40),
  /** Defaults to `active`; erased residents are never listed. */
  status: Schema.optional(Schema.Literals(["active", "inactive"]))
})
/** Search filters. */
export type ResidentFilter = typeof ResidentFilter.Type
