/**
 * A help request's lifecycle as a pure state machine.
 *
 * ```text
 * open ──propose──▶ proposed ──accept (every place)──▶ accepted ──start──▶ in_progress ──complete──▶ completed
 *   ▲                  │ decline (the place is open again)
 *   └──────────────────┘
 * open | proposed | accepted | in_progress ──cancel──▶ cancelled
 * open | proposed ──expire (at expiresAt)──▶ expired
 * ```
 *
 * The status of a live request follows its places: `open` while a place has nobody, `proposed`
 * once every place is offered or held, `accepted` once every place is accepted. A place is
 * offered to one volunteer at a time; only that volunteer accepts or declines it; one volunteer
 * never holds two places of one request (a team's roles are different people); a volunteer who
 * declined a place is not offered it again. Completing records the minutes each volunteer gave;
 * each side then leaves feedback once.
 *
 * Each change returns the next request with `version + 1`: a store saves it only over the version
 * it was loaded at, so of two volunteers accepting the same place at once exactly one wins.
 *
 * A wrong move is `InvalidTransition` (its message says what the request or place is); a person
 * who may not make it (accepting a place offered to someone else) is `Forbidden`.
 *
 * @module
 */
import { Result } from "effect"
import { Forbidden, InvalidInput, InvalidTransition } from "../kernel/Errors.js"
import type { Feedback, HelpRequest, Place, RequestStatus, ServiceRecord, VolunteerId } from "./HelpRequest.js"

type Outcome = Result.Result<HelpRequest, InvalidTransition | Forbidden | InvalidInput>

const live: ReadonlyArray<RequestStatus> = ["open", "proposed", "accepted"]

const refuse = (request: HelpRequest, action: string, why?: string): Outcome =>
  Result.fail(
    why === undefined
      ? InvalidTransition.of("HelpRequest", request.status, action)
      : new InvalidTransition({ entity: "HelpRequest", from: request.status, action, message: why })
  )

/** The status of a live request from its places. */
export const statusOf = (places: ReadonlyArray<Place>): "open" | "proposed" | "accepted" =>
  places.some((p) => p.status === "open")
    ? "open"
    : places.every((p) => p.status === "accepted")
      ? "accepted"
      : "proposed"

const withPlaces = (request: HelpRequest, places: ReadonlyArray<Place>, now: number): HelpRequest => ({
  ...request,
  places,
  status: statusOf(places),
  version: request.version + 1,
  updatedAt: now
})

const placeAt = (request: HelpRequest, index: number): Place | undefined =>
  Number.isInteger(index) ? request.places[index] : undefined

const noPlace = (request: HelpRequest, index: number): Outcome =>
  Result.fail(
    InvalidInput.of("place", `the request has places 0 to ${request.places.length - 1}, not ${index} / 无此岗位`)
  )

/** Offers place `index` to a volunteer (matching's proposal, or staff's choice). */
export const propose = (request: HelpRequest, index: number, volunteerId: VolunteerId, now: number): Outcome => {
  if (!live.includes(request.status)) return refuse(request, "offer a place of")
  const place = placeAt(request, index)
  if (place === undefined) return noPlace(request, index)
  if (place.status !== "open") {
    return refuse(
      request,
      "offer a place of",
      `Place ${index} (${place.role}) is ${place.status} already / 该岗位已有人`
    )
  }
  if (place.declinedBy.includes(volunteerId)) {
    return refuse(
      request,
      "offer a place of",
      `This volunteer declined place ${index} (${place.role}) / 该志愿者已婉拒此岗位`
    )
  }
  if (request.places.some((p) => p.volunteerId === volunteerId)) {
    return refuse(
      request,
      "offer a place of",
      "This volunteer holds or is offered another place of this request already / 同一志愿者不能担任同一请求的两个岗位"
    )
  }
  return Result.succeed(
    withPlaces(
      request,
      request.places.map((p, i) => (i === index ? { ...p, status: "proposed" as const, volunteerId, since: now } : p)),
      now
    )
  )
}

/** The offered volunteer accepts place `index`. */
export const accept = (request: HelpRequest, index: number, volunteerId: VolunteerId, now: number): Outcome => {
  if (!live.includes(request.status)) return refuse(request, "accept a place of")
  const place = placeAt(request, index)
  if (place === undefined) return noPlace(request, index)
  if (place.status !== "proposed") {
    return refuse(
      request,
      "accept a place of",
      place.status === "accepted"
        ? `Place ${index} (${place.role}) has been taken / 该岗位已被接受`
        : `Place ${index} (${place.role}) is not offered to anyone / 该岗位尚未派给志愿者`
    )
  }
  if (place.volunteerId !== volunteerId) {
    return Result.fail(
      Forbidden.of("mutual-aid:accept", "this place is offered to another volunteer / 该岗位已派给其他志愿者")
    )
  }
  return Result.succeed(
    withPlaces(
      request,
      request.places.map((p, i) => (i === index ? { ...p, status: "accepted" as const, since: now } : p)),
      now
    )
  )
}

/** The offered volunteer declines place `index`: it is open again, and never offered to them again. */
export const decline = (request: HelpRequest, index: number, volunteerId: VolunteerId, now: number): Outcome => {
  if (!live.includes(request.status)) return refuse(request, "decline a place of")
  const place = placeAt(request, index)
  if (place === undefined) return noPlace(request, index)
  if (place.status !== "proposed" || place.volunteerId !== volunteerId) {
    return Result.fail(
      Forbidden.of("mutual-aid:accept", "only the volunteer offered a place declines it / 只有被派的志愿者可以婉拒")
    )
  }
  return Result.succeed(
    withPlaces(
      request,
      request.places.map((p, i) =>
        i === index
          ? {
              ...p,
              status: "open" as const,
              volunteerId: null,
              since: null,
              declinedBy: [...p.declinedBy, volunteerId]
            }
          : p
      ),
      now
    )
  )
}

/** Starts a request whose places are all accepted. */
export const start = (request: HelpRequest, now: number): Outcome =>
  request.status !== "accepted"
    ? refuse(
        request,
        "start",
        `Only a request with every place accepted starts (this one is ${request.status}) / 所有岗位接受后方可开始`
      )
    : Result.succeed({ ...request, status: "in_progress", version: request.version + 1, updatedAt: now })

/**
 * Completes a request in progress with the minutes each volunteer gave: exactly one record per
 * place holder (the minutes are what the time bank credits).
 */
export const complete = (
  request: HelpRequest,
  minutes: ReadonlyArray<{ readonly volunteerId: VolunteerId; readonly minutes: number }>,
  now: number
): Outcome => {
  if (request.status !== "in_progress") return refuse(request, "complete")
  const holders = request.places.map((p) => p.volunteerId)
  const given = new Map(minutes.map((m) => [m.volunteerId as string, m.minutes]))
  if (
    given.size !== minutes.length ||
    given.size !== holders.length ||
    holders.some((v) => v === null || !given.has(v))
  ) {
    return Result.fail(
      InvalidInput.of(
        "minutes",
        "give the minutes of each volunteer who held a place, once each / 须为每位志愿者各填一次服务时长"
      )
    )
  }
  for (const [, m] of given) {
    if (!Number.isInteger(m) || m < 1 || m > 24 * 60) {
      return Result.fail(
        InvalidInput.of("minutes", "must be whole minutes from 1 to 1440 / 服务时长须为 1 到 1440 分钟")
      )
    }
  }
  const services: Array<ServiceRecord> = holders.map((v) => ({
    volunteerId: v as VolunteerId,
    minutes: given.get(v as string) ?? 0,
    fromRequester: null,
    fromVolunteer: null
  }))
  return Result.succeed({ ...request, status: "completed", services, version: request.version + 1, updatedAt: now })
}

/** Records one side's feedback on one volunteer's service, once per side. */
export const feedback = (
  request: HelpRequest,
  volunteerId: VolunteerId,
  side: "requester" | "volunteer",
  given: Feedback,
  now: number
): Outcome => {
  if (request.status !== "completed") return refuse(request, "give feedback on")
  const record = request.services.find((s) => s.volunteerId === volunteerId)
  if (record === undefined)
    return Result.fail(InvalidInput.of("volunteerId", "did not serve this request / 未参与此服务"))
  const key = side === "requester" ? "fromRequester" : "fromVolunteer"
  if (record[key] !== null) {
    return refuse(request, "give feedback on", "This side has given its feedback already / 已评价过")
  }
  return Result.succeed({
    ...request,
    services: request.services.map((s) => (s.volunteerId === volunteerId ? { ...s, [key]: given } : s)),
    version: request.version + 1,
    updatedAt: now
  })
}

/** Cancels a request not yet completed, expired or cancelled. */
export const cancel = (request: HelpRequest, note: string, now: number): Outcome =>
  request.status === "completed" || request.status === "cancelled" || request.status === "expired"
    ? refuse(request, "cancel")
    : Result.succeed({
        ...request,
        status: "cancelled",
        closingNote: note,
        version: request.version + 1,
        updatedAt: now
      })

/** Expires a request nobody accepted in full by its `expiresAt`. */
export const expire = (request: HelpRequest, now: number): Outcome =>
  request.status !== "open" && request.status !== "proposed"
    ? refuse(request, "expire")
    : now < request.expiresAt
      ? refuse(request, "expire", "The request has not reached its expiry / 请求尚未到期")
      : Result.succeed({ ...request, status: "expired", version: request.version + 1, updatedAt: now })
