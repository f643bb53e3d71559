// Time credits: a completed service credits each volunteer's minutes (or their household's) once;
// minutes are shared with a household and spent for an elderly parent, never below zero.
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import type { CommunityId, LedgerState, ResidentId } from "../../src/index.js"
import { LedgerRules, TransferId } from "../../src/index.js"
import type { HelpRequest, VolunteerId } from "../../src/mutual-aid/HelpRequest.js"
import { HelpRequestId } from "../../src/mutual-aid/HelpRequest.js"
import * as Credits from "../../src/mutual-aid/TimeCredits.js"

const junxin = "0190f0a0-0000-7000-8000-000000000001" as CommunityId
const liu = "0190f0a0-0000-7000-8000-000000000801" as VolunteerId
const wang = "0190f0a0-0000-7000-8000-000000000802" as VolunteerId
const household = "0190f0a0-0000-7000-8000-000000000777"
const now = DateTime.makeUnsafe("2026-10-07T03:00:00Z")

const completed: HelpRequest = {
  id: HelpRequestId.make("0190f0a0-0000-7000-8000-000000000400"),
  communityId: junxin,
  version: 6,
  status: "completed",
  requesterId: "0187d49b-e800-7000-8001-000000000001" as ResidentId,
  recordedBy: { _tag: "Requester" },
  category: "escort",
  description: "陪同就医",
  place: { building: "15幢" },
  windows: [{ start: 0, end: 1 }],
  urgency: "normal",
  expiresAt: 1,
  requiredLanguages: [],
  preferSameHomeTown: false,
  preferGender: null,
  places: [],
  visibility: "staff",
  services: [
    { volunteerId: liu, minutes: 90, fromRequester: null, fromVolunteer: null },
    { volunteerId: wang, minutes: 60, fromRequester: null, fromVolunteer: null }
  ],
  closingNote: null,
  createdAt: 0,
  updatedAt: 0
}

/** Opens the posting's accounts and applies its batch, as `postWithin` does. */
const post = (state: LedgerState, posting: ReturnType<typeof Credits.creditsFor>) => {
  let s = state
  for (const input of posting.open) {
    const opened = LedgerRules.openAccount(s, input, now)
    if (Result.isFailure(opened)) throw new Error(JSON.stringify(opened.failure))
    s = opened.success.state
  }
  return LedgerRules.applyBatch(s, { communityId: junxin, requests: posting.requests }, now)
}

const balance = (state: LedgerState, holder: Credits.Holder) => {
  const a = state.accounts.get(Credits.accountIdOf(junxin, holder))
  return a === undefined ? 0 : a.creditsPosted - a.debitsPosted
}

describe("time credits", () => {
  it("credits each volunteer's minutes once: crediting again posts nothing", () => {
    const first = post(LedgerRules.empty, Credits.creditsFor(completed))
    if (Result.isFailure(first)) throw new Error(first.failure.message)
    expect(first.success.created.map((t) => [t.amount, t.unit, t.code])).toEqual([
      [90, "MIN", Credits.CREDIT_CODE],
      [60, "MIN", Credits.CREDIT_CODE]
    ])
    const again = post(first.success.state, Credits.creditsFor(completed))
    if (Result.isFailure(again)) throw new Error(again.failure.message)
    expect(again.success.created).toEqual([])
    expect(again.success.results.every((r) => r.replayed)).toBe(true)
    expect(balance(again.success.state, { type: "volunteer", id: liu })).toBe(90)
    expect(Credits.creditsFor({ ...completed, status: "in_progress" }).requests).toEqual([])
  })

  it("a volunteer saving for the family credits the household; minutes are shared, never below zero", () => {
    const saved = post(
      LedgerRules.empty,
      Credits.creditsFor(completed, (v) => (v === liu ? household : null))
    )
    if (Result.isFailure(saved)) throw new Error(saved.failure.message)
    const state = saved.success.state
    expect(balance(state, { type: "household", id: household })).toBe(90)
    expect(balance(state, { type: "volunteer", id: liu })).toBe(0)
    const parent: Credits.Holder = { type: "volunteer", id: "0190f0a0-0000-7000-8000-000000000803" as VolunteerId }
    const give = (minutes: number, n: number) =>
      post(
        state,
        Credits.share(
          junxin,
          TransferId.make(`0190f0a0-0000-7000-8000-0000000009${n}0`),
          { type: "household", id: household },
          parent,
          minutes,
          "给父母使用 / for the parents"
        )
      )
    const ok = give(60, 1)
    expect(Result.isSuccess(ok)).toBe(true)
    const tooMuch = give(91, 2)
    expect(Result.isFailure(tooMuch) && tooMuch.failure.reason).toBe("exceeds_credits")
  })
})
