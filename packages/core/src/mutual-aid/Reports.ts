/**
 * The reports a mutual-aid coordinator asks for, computed from help requests: requests by
 * category, the fulfilment rate, the median time to match, services and minutes per volunteer and
 * per month, and how evenly the load is spread across volunteers. Pure; months are read in the
 * community's offset from UTC.
 *
 * Definitions:
 *
 * - **fulfilled**: completed; **closed**: completed, cancelled or expired. The fulfilment rate is
 *   fulfilled / closed (requests still open do not count either way).
 * - **time to match**: from a request's creation to the acceptance of its last place, for every
 *   request that got all its places accepted (`Place.since` of the accepted places); the median
 *   is the middle value (the mean of the two middle values for an even count), in minutes.
 * - **load spread**: over the volunteers who served in the period, the services per volunteer:
 *   minimum, maximum, mean, and the Gini coefficient (0: everyone served equally; towards 1: a few
 *   did everything), the figure a coordinator watches to keep the willing few from burning out.
 *
 * @module
 */
import type { HelpRequest, VolunteerId } from "./HelpRequest.js"

/** One category's counts. */
export interface CategoryCount {
  readonly category: string
  readonly total: number
  readonly completed: number
  readonly cancelled: number
  readonly expired: number
  readonly open: number
}

/** A volunteer's services and minutes in one month (`YYYY-MM`). */
export interface VolunteerMonth {
  readonly volunteerId: VolunteerId
  readonly month: string
  readonly services: number
  readonly minutes: number
}

/** The load spread across volunteers. */
export interface LoadSpread {
  readonly volunteers: number
  readonly min: number
  readonly max: number
  readonly mean: number
  /** 0 (equal) to 1 (one volunteer did everything). */
  readonly gini: number
}

/** A coordinator's report over a set of requests. */
export interface CoordinatorReport {
  readonly byCategory: ReadonlyArray<CategoryCount>
  readonly fulfilmentRate: number | null
  readonly medianMinutesToMatch: number | null
  readonly perVolunteerMonth: ReadonlyArray<VolunteerMonth>
  readonly loadSpread: LoadSpread
}

/** `YYYY-MM` of a UTC instant in a fixed offset (minutes), without the clock. */
export const monthOf = (ms: number, offsetMinutes: number): string => {
  const days = Math.floor((ms + offsetMinutes * 60_000) / 86_400_000)
  // H. Hinnant's civil-from-days
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`
}

/** The median of numbers (the mean of the middle two for an even count), `null` for none. */
export const median = (xs: ReadonlyArray<number>): number | null => {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** The Gini coefficient of non-negative counts (0 for none or all zero). */
export const gini = (xs: ReadonlyArray<number>): number => {
  const n = xs.length
  const total = xs.reduce((a, b) => a + b, 0)
  if (n === 0 || total === 0) return 0
  const s = [...xs].sort((a, b) => a - b)
  let weighted = 0
  s.forEach((x, i) => {
    weighted += (i + 1) * x
  })
  return (2 * weighted) / (n * total) - (n + 1) / n
}

/** The coordinator's report over `requests` (months in `offsetMinutes` from UTC; Asia/Shanghai is 480). */
export const coordinatorReport = (requests: ReadonlyArray<HelpRequest>, offsetMinutes = 480): CoordinatorReport => {
  const categories = new Map<
    string,
    { total: number; completed: number; cancelled: number; expired: number; open: number }
  >()
  const toMatch: Array<number> = []
  const perMonth = new Map<string, { volunteerId: VolunteerId; month: string; services: number; minutes: number }>()
  const perVolunteer = new Map<string, number>()
  let completed = 0
  let closed = 0
  for (const r of requests) {
    const c = categories.get(r.category) ?? { total: 0, completed: 0, cancelled: 0, expired: 0, open: 0 }
    c.total += 1
    if (r.status === "completed") c.completed += 1
    else if (r.status === "cancelled") c.cancelled += 1
    else if (r.status === "expired") c.expired += 1
    else c.open += 1
    categories.set(r.category, c)
    if (r.status === "completed") completed += 1
    if (r.status === "completed" || r.status === "cancelled" || r.status === "expired") closed += 1
    const accepted = r.places.filter((p) => p.status === "accepted" && p.since !== null)
    if (r.places.length > 0 && accepted.length === r.places.length) {
      toMatch.push((Math.max(...accepted.map((p) => p.since as number)) - r.createdAt) / 60_000)
    }
    if (r.status === "completed") {
      const month = monthOf(r.updatedAt, offsetMinutes)
      for (const s of r.services) {
        const key = `${s.volunteerId}|${month}`
        const row = perMonth.get(key) ?? { volunteerId: s.volunteerId, month, services: 0, minutes: 0 }
        row.services += 1
        row.minutes += s.minutes
        perMonth.set(key, row)
        perVolunteer.set(s.volunteerId, (perVolunteer.get(s.volunteerId) ?? 0) + 1)
      }
    }
  }
  const loads = [...perVolunteer.values()]
  return {
    byCategory: [...categories]
      .map(([category, c]) => ({ category, ...c }))
      .sort((a, b) => b.total - a.total || (a.category < b.category ? -1 : 1)),
    fulfilmentRate: closed === 0 ? null : completed / closed,
    medianMinutesToMatch: median(toMatch),
    perVolunteerMonth: [...perMonth.values()].sort((a, b) =>
      a.month !== b.month
        ? a.month < b.month
          ? -1
          : 1
        : a.volunteerId < b.volunteerId
          ? -1
          : a.volunteerId > b.volunteerId
            ? 1
            : 0
    ),
    loadSpread: {
      volunteers: loads.length,
      min: loads.length === 0 ? 0 : Math.min(...loads),
      max: loads.length === 0 ? 0 : Math.max(...loads),
      mean: loads.length === 0 ? 0 : loads.reduce((a, b) => a + b, 0) / loads.length,
      gini: gini(loads)
    }
  }
}
