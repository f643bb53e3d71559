/**
 * Care plans: a recurring need (the monthly home health check of a migrant elder by the 共享子女
 * team) that generates visit requests on a schedule, the visits' records and outcomes, and flags
 * for visits missed or overdue. Pure rules; times are UTC epoch milliseconds, schedules are read
 * in the community's offset from UTC.
 *
 * Health readings (blood pressure, glucose …) are sensitive personal information under PIPL: a
 * visit record carries them only when the resident has given the separate `health_data` consent,
 * otherwise recording them is refused.
 *
 * @module
 */
import { Result, Schema } from "effect"
import { InvalidInput } from "../kernel/Errors.js"
import { CommunityId, ResidentId, Uuid7 } from "../kernel/Ids.js"
import * as Text from "../kernel/Text.js"
import { LanguageCode, Location } from "../residents/Resident.js"
import { HelpRequestId, RoleCode } from "./HelpRequest.js"

/** Identifies a care plan. */
export const CarePlanId = Uuid7.pipe(Schema.brand("CarePlanId"))
/** Identifies a care plan. */
export type CarePlanId = typeof CarePlanId.Type

const HHMM = Schema.String.check(
  Schema.isPattern(/^([01]\d|2[0-3]):[0-5]\d$/u, { message: "must be HH:MM / 时间格式须为 HH:MM" })
)

/**
 * When visits fall due: every `weeks` weeks on an ISO weekday, or every month on a day of the
 * month (29 to 31 fall on the month's last day when shorter), between `start` and `end` local time.
 */
export const Recurrence = Schema.Union([
  Schema.TaggedStruct("Weekly", {
    weeks: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 8 })),
    weekday: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 7 })),
    start: HHMM,
    end: HHMM
  }),
  Schema.TaggedStruct("Monthly", {
    day: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 31 })),
    start: HHMM,
    end: HHMM
  })
])
/** When visits fall due. */
export type Recurrence = typeof Recurrence.Type

/** A care plan. */
export const CarePlan = Schema.Struct({
  id: CarePlanId,
  communityId: CommunityId,
  residentId: ResidentId,
  title: Text.line(80),
  /** The category of the requests the plan generates (`home_health_check`). */
  category: RoleCode,
  /** The description the generated requests carry. */
  description: Text.line(500),
  /** Where the visits take place (the resident's home). */
  place: Location,
  /** The team each visit needs (`medical`, `grid_worker`, `fellow_townsperson`). */
  roles: Schema.Array(RoleCode).check(Schema.isMinLength(1), Schema.isMaxLength(6)),
  /** Languages the visiting team must speak (the resident's dialect). */
  requiredLanguages: Schema.Array(LanguageCode).check(Schema.isMaxLength(5)),
  recurrence: Recurrence,
  /** The first day visits may fall due (UTC epoch ms). */
  startsAt: Schema.Int,
  /** After this, no visit falls due (`null`: open-ended). */
  endsAt: Schema.NullOr(Schema.Int),
  /** Days after a visit's window before an unvisited visit is overdue. */
  graceDays: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 30 })),
  /** Whether visits take health readings (only ever recorded with the resident's health consent). */
  healthReadings: Schema.Boolean,
  status: Schema.Literals(["active", "paused", "ended"]),
  version: Schema.Int
})
/** A care plan. */
export type CarePlan = typeof CarePlan.Type

/** Health readings of a visit. */
export const HealthReadings = Schema.Struct({
  systolic: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 50, maximum: 260 }))),
  diastolic: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 30, maximum: 160 }))),
  pulse: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 20, maximum: 220 }))),
  /** Blood glucose in tenths of mmol/L (62 is 6.2). */
  glucose: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 10, maximum: 400 })))
})
/** Health readings of a visit. */
export type HealthReadings = typeof HealthReadings.Type

/** A visit: the window it was due in, the request made for it, and how it went. */
export const Visit = Schema.Struct({
  planId: CarePlanId,
  dueStart: Schema.Int,
  dueEnd: Schema.Int,
  requestId: Schema.NullOr(HelpRequestId),
  outcome: Schema.NullOr(Schema.Literals(["done", "refused", "not_home"])),
  readings: Schema.NullOr(HealthReadings),
  note: Schema.NullOr(Text.line(200)),
  recordedAt: Schema.NullOr(Schema.Int)
})
/** A visit. */
export type Visit = typeof Visit.Type

const DAY = 86_400_000
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** The local day (days since 1970-01-01 local) of a UTC instant. */
const localDay = (ms: number, offsetMinutes: number): number => Math.floor((ms + offsetMinutes * 60_000) / DAY)

/** The civil date (month 1 to 12) of a day number since 1970-01-01 (H. Hinnant's algorithm). */
const civil = (days: number): { readonly year: number; readonly month: number; readonly day: number } => {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** Days in a month (1 to 12) of a year. */
const daysIn = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31

/** The windows `[start, end)` of the visits that fall due in `[from, to)`, in order (at most 400). */
export const dueWindows = (
  plan: CarePlan,
  from: number,
  to: number,
  offsetMinutes: number
): ReadonlyArray<{ readonly start: number; readonly end: number }> => {
  if (plan.status !== "active") return []
  const lo = Math.max(from, plan.startsAt)
  const hi = plan.endsAt === null ? to : Math.min(to, plan.endsAt)
  const out: Array<{ start: number; end: number }> = []
  const r = plan.recurrence
  const window = (day: number) => {
    const base = day * DAY - offsetMinutes * 60_000
    return { start: base + minutesOf(r.start) * 60_000, end: base + minutesOf(r.end) * 60_000 }
  }
  const firstDay = localDay(plan.startsAt, offsetMinutes)
  for (let day = localDay(lo, offsetMinutes) - 1; day <= localDay(hi, offsetMinutes) && out.length < 400; day++) {
    let due = false
    if (r._tag === "Weekly") {
      const weekday = ((((day + 3) % 7) + 7) % 7) + 1 // 1970-01-01 was a Thursday (4)
      const weekIndex = Math.floor((day - firstDay) / 7)
      due = weekday === r.weekday && day >= firstDay && weekIndex % r.weeks === 0
    } else {
      const date = civil(day)
      due = date.day === Math.min(r.day, daysIn(date.year, date.month))
    }
    if (!due) continue
    const w = window(day)
    if (w.start >= lo && w.start < hi) out.push(w)
  }
  return out
}

/** A flag on a plan: a visit whose window passed without a visit, and for how many days. */
export interface VisitFlag {
  readonly dueStart: number
  readonly kind: "missed" | "overdue"
  readonly daysLate: number
  /** Chinese / English. */
  readonly message: string
}

/**
 * Flags the visits due before `now` that have no `done` visit: `overdue` while within the grace
 * days after their window, `missed` after.
 */
export const flags = (
  plan: CarePlan,
  visits: ReadonlyArray<Visit>,
  now: number,
  offsetMinutes: number,
  since: number = plan.startsAt
): ReadonlyArray<VisitFlag> => {
  const done = new Set(visits.filter((v) => v.outcome === "done").map((v) => v.dueStart))
  return dueWindows(plan, since, now, offsetMinutes)
    .filter((w) => w.end <= now && !done.has(w.start))
    .map((w) => {
      const daysLate = Math.floor((now - w.end) / DAY)
      const missed = daysLate >= plan.graceDays
      return {
        dueStart: w.start,
        kind: missed ? ("missed" as const) : ("overdue" as const),
        daysLate,
        message: missed
          ? `探访已错过（逾期 ${daysLate} 天）/ visit missed (${daysLate} days late)`
          : `探访逾期 ${daysLate} 天 / visit overdue by ${daysLate} days`
      }
    })
}

/**
 * Records how a visit went. Readings are refused unless the plan takes readings and the resident
 * has given the health-data consent (`healthConsent`).
 */
export const recordVisit = (
  plan: CarePlan,
  visit: Visit,
  outcome: NonNullable<Visit["outcome"]>,
  readings: HealthReadings | null,
  note: string | null,
  healthConsent: boolean,
  now: number
): Result.Result<Visit, InvalidInput> => {
  if (readings !== null && !(plan.healthReadings && healthConsent)) {
    return Result.fail(
      InvalidInput.of(
        "readings",
        plan.healthReadings
          ? "the resident has not given the health-data consent: readings are not recorded / 居民未同意健康信息采集，不得记录健康数据"
          : "this plan takes no health readings / 本计划不采集健康数据"
      )
    )
  }
  if (readings !== null && outcome !== "done") {
    return Result.fail(
      InvalidInput.of("readings", "only a visit that took place has readings / 仅已完成的探访可记录数据")
    )
  }
  return Result.succeed({ ...visit, outcome, readings, note, recordedAt: now })
}
