/**
 * `assign`: the best assignment of a whole batch of open places to volunteers, explained.
 *
 * Every open place of every request is a row; every volunteer is a column, with a capacity of what
 * their load caps still allow (the least of at once, this week and this month). A row's feasible
 * volunteers and their scores come from `Matching.rank` (hard constraints, relaxed in the
 * documented order for that place only when nobody passes, and said); the cost of a pair is
 * `1 − score`, in ten-thousandths, so costs are exact integers. The places of one request form a
 * team: one volunteer never fills two of them, nor one they already hold. The exact solver
 * (`Assignment.solveSparse`) then assigns as many places as possible and, among those
 * assignments, the one of least total cost; its tie-breaks make the result deterministic.
 *
 * Each pair comes with its score, terms and reason; each place left unmatched with why: nobody
 * passes even relaxed, or every volunteer who fits is needed where they fit better (or is full).
 *
 * @module
 */
import { Result } from "effect"
import type { InvalidInput } from "../kernel/Errors.js"
import * as Assignment from "./Assignment.js"
import type { HelpRequest, HelpRequestId, VolunteerId } from "./HelpRequest.js"
import type { MatchCandidate, MatchContext, Ranked, Relaxable } from "./Matching.js"
import { rank } from "./Matching.js"

/** Options of {@link assign}. */
export interface AssignOptions {
  /** The most candidates considered per place (the best by score): 1 to 1,000, default 200. */
  readonly perPlace?: number
}

/** One assigned place, explained. */
export interface AssignedPair {
  readonly requestId: HelpRequestId
  readonly place: number
  readonly role: string
  readonly volunteerId: VolunteerId
  readonly score: number
  readonly terms: Ranked["terms"]
  readonly distance: number | null
  readonly reason: string
  /** What was relaxed to find anyone for this place (empty: nothing). */
  readonly relaxed: ReadonlyArray<Relaxable>
}

/** A place left unmatched, and why (Chinese / English). */
export interface UnmatchedPlace {
  readonly requestId: HelpRequestId
  readonly place: number
  readonly role: string
  readonly reason: string
  readonly relaxed: ReadonlyArray<Relaxable>
}

/** The result of {@link assign}. */
export interface AssignResult {
  readonly pairs: ReadonlyArray<AssignedPair>
  readonly unmatched: ReadonlyArray<UnmatchedPlace>
  /** The sum of the pairs' costs, in ten-thousandths (`Σ (1 − score) × 10 000`). */
  readonly cost: number
}

/** What a volunteer may still take on under their caps. */
const room = (c: MatchCandidate): number =>
  Math.max(
    0,
    Math.min(
      c.volunteer.caps.atOnce - c.stats.openNow,
      c.volunteer.caps.perWeek - c.stats.thisWeek,
      c.volunteer.caps.perMonth - c.stats.thisMonth
    )
  )

/**
 * Assigns the open places of `requests` (in their order; a request that is not live contributes
 * nothing) to `candidates`, optimally, with an explanation per pair and per unmatched place.
 * `context` is one for every request, or a function giving each request's (its requester's
 * languages and home place differ).
 */
export const assign = (
  requests: ReadonlyArray<HelpRequest>,
  candidates: ReadonlyArray<MatchCandidate>,
  context: MatchContext | ((request: HelpRequest) => MatchContext),
  options: AssignOptions = {}
): Result.Result<AssignResult, InvalidInput> => {
  const perPlace = Math.max(1, Math.min(1_000, Math.floor(options.perPlace ?? 200)))
  const column = new Map(candidates.map((c, j) => [c.volunteer.id as string, j]))
  const rows: Array<{
    request: HelpRequest
    place: number
    ranked: ReadonlyArray<Ranked>
    relaxed: ReadonlyArray<Relaxable>
  }> = []
  const team: Array<number> = []
  const lists: Array<Array<readonly [number, number]>> = []
  requests.forEach((request, r) => {
    if (request.status !== "open" && request.status !== "proposed") return
    const holders = new Set(request.places.flatMap((p) => (p.volunteerId === null ? [] : [p.volunteerId as string])))
    request.places.forEach((place, index) => {
      if (place.status !== "open") return
      const declined = new Set(place.declinedBy as ReadonlyArray<string>)
      const eligible = candidates.filter((c) => !holders.has(c.volunteer.id) && !declined.has(c.volunteer.id))
      const result = rank(
        request,
        index,
        eligible,
        typeof context === "function" ? context(request) : context,
        perPlace
      )
      rows.push({ request, place: index, ranked: result.ranked, relaxed: result.relaxed })
      team.push(r)
      lists.push(
        result.ranked.flatMap((x) => {
          const j = column.get(x.volunteerId)
          return j === undefined ? [] : [[j, Math.round((1 - x.score) * 10_000)] as const]
        })
      )
    })
  })
  const compressed = Assignment.sparseRows(lists)
  return Result.map(
    Assignment.solveSparse({
      rows: rows.length,
      cols: candidates.length,
      ...compressed,
      capacity: candidates.map(room),
      team
    }),
    (solution): AssignResult => {
      const pairs: Array<AssignedPair> = []
      const unmatched: Array<UnmatchedPlace> = []
      rows.forEach((row, i) => {
        const place = row.request.places[row.place]
        const role = place?.role ?? "helper"
        const j = solution.assignment[i] ?? -1
        const chosen = j < 0 ? undefined : row.ranked.find((x) => x.volunteerId === candidates[j]?.volunteer.id)
        if (chosen === undefined) {
          unmatched.push({
            requestId: row.request.id,
            place: row.place,
            role,
            relaxed: row.relaxed,
            reason:
              row.ranked.length === 0
                ? "没有志愿者符合条件（已按顺序放宽仍无人）/ nobody passes the constraints, even relaxed"
                : "合适的志愿者已安排到更匹配的请求或已满额 / every volunteer who fits is needed where they fit better, or is full"
          })
          return
        }
        pairs.push({
          requestId: row.request.id,
          place: row.place,
          role,
          volunteerId: chosen.volunteerId,
          score: chosen.score,
          terms: chosen.terms,
          distance: chosen.distance,
          reason: chosen.reason,
          relaxed: row.relaxed
        })
      })
      return { pairs, unmatched, cost: solution.total }
    }
  )
}
