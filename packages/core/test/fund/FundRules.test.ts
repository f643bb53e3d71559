// The fund's round state machine: drafting, public notice and objections, N-of-M sign-off with
// the author and the beneficiaries' households stepping aside, holds, payment and cancellation.
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import type { Actor, AllocationRound, CommunityId, FundSettings, HouseholdId, RoundCandidate } from "../../src/index.js"
import { defaultSettings, FundAccounts, FundRules, ObjectionId, RoundId } from "../../src/index.js"

const junxin = "0190f0a0-0000-7000-8000-000000000001" as CommunityId
const household = (n: number) => `0190f0a0-0000-7000-8000-0000000001${String(n).padStart(2, "0")}` as HouseholdId
const objectionId = (n: number) => ObjectionId.make(`0190f0a0-0000-7000-8000-0000000002${String(n).padStart(2, "0")}`)
const roundId = RoundId.make("0190f0a0-0000-7000-8000-000000000300")
const DAY = FundRules.DAY
const t0 = Date.UTC(2026, 8, 1, 2, 0, 0)

const social = (subject = "social-worker-li"): Actor => ({ subject, communityId: junxin, roles: ["staff"] })

const candidate = (key: string, over: Partial<RoundCandidate> = {}): RoundCandidate => ({
  key,
  kind: "project",
  label: key,
  residentId: null,
  householdId: null,
  request: 100_000,
  weight: 10,
  tier: 1,
  minimum: null,
  cap: null,
  ...over
})

/** ¥5,000 pool: a kite workshop, a reading corner, and a family in difficulty (household 1). */
const candidates: ReadonlyArray<RoundCandidate> = [
  candidate("kites", { label: "风筝制作课 / kite workshop", request: 200_000, weight: 40 }),
  candidate("reading", { label: "老人读报角 / reading corner", request: 150_000, weight: 30 }),
  candidate("family-1", {
    kind: "family",
    label: "困难家庭 A",
    householdId: household(1),
    request: 300_000,
    weight: 90
  })
]

const settings: FundSettings = { ...defaultSettings(junxin), noticeDays: 7 }

const ok = <A, E>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) throw new Error(`expected success, got ${JSON.stringify(r.failure)}`)
  return r.success
}
const err = <A, E>(r: Result.Result<A, E>): E => {
  if (Result.isSuccess(r)) throw new Error("expected a failure")
  return r.failure
}

const drafted = (pool = 500_000, list = candidates): AllocationRound =>
  ok(FundRules.draft(roundId, junxin, { title: "2026 秋季资助", purpose: "社区公益", pool }, list, social(), t0))

/** Drafted, submitted and in notice since t0. */
const inNotice = (pool = 500_000, list = candidates, s = settings) =>
  ok(FundRules.startNotice(ok(FundRules.submit(drafted(pool, list), s, t0)), s, t0))

const afterNotice = t0 + 7 * DAY

describe("drafting and submitting", () => {
  it("a draft is checked by the allocator: a minimum above the cap is refused, naming the candidate", () => {
    const bad = [candidate("a", { minimum: 50_000, cap: 10_000 })]
    const e = err(FundRules.draft(roundId, junxin, { title: "t", purpose: "p", pool: 1000 }, bad, social(), t0))
    expect(e._tag).toBe("InvalidInput")
    expect(JSON.stringify(e)).toContain("candidates")
  })

  it("submitting freezes the allocator's outcome and the approvals the settings ask for", () => {
    const round = ok(FundRules.submit(drafted(), settings, t0))
    expect(round.status).toBe("submitted")
    expect(round.outcome?.allocated).toBe(500_000)
    expect(round.outcome?.shares.map((s) => s.amount).reduce((a, b) => a + b, 0)).toBe(500_000)
    // ¥5,000 allocated: from 500,000 fen the defaults ask for 2 approvers
    expect(round.requiredApprovals).toBe(2)
    expect(ok(FundRules.submit(drafted(499_999), settings, t0)).requiredApprovals).toBe(1)
  })

  it("a round allocating nothing is not submitted", () => {
    expect(err(FundRules.submit(drafted(0), settings, t0))._tag).toBe("InvalidInput")
  })

  it("only a draft is revised or submitted", () => {
    const submitted = ok(FundRules.submit(drafted(), settings, t0))
    expect(err(FundRules.revise(submitted, { pool: 1 }, t0))._tag).toBe("InvalidTransition")
    expect(err(FundRules.submit(submitted, settings, t0))._tag).toBe("InvalidTransition")
  })

  it("sign-off rules start from 0 and rise strictly", () => {
    expect(Result.isSuccess(FundRules.checkSignOff(settings.signOff))).toBe(true)
    expect(Result.isFailure(FundRules.checkSignOff([{ fromFen: 1, approvals: 1 }]))).toBe(true)
    expect(
      Result.isFailure(
        FundRules.checkSignOff([
          { fromFen: 0, approvals: 1 },
          { fromFen: 0, approvals: 2 }
        ])
      )
    ).toBe(true)
  })
})

describe("public notice (公示) and objections", () => {
  it("the notice lasts the configured days; objections are taken only while it runs", () => {
    const round = inNotice()
    expect(round.noticeEndsAt).toBe(t0 + 7 * DAY)
    const objection = {
      id: objectionId(1),
      by: "resident-wang",
      text: "请说明家庭补助标准",
      at: t0 + DAY,
      answer: null
    }
    const objected = ok(FundRules.object(round, objection, t0 + DAY))
    expect(objected.objections).toHaveLength(1)
    expect(err(FundRules.object(round, objection, afterNotice))._tag).toBe("InvalidTransition")
    expect(err(FundRules.object(drafted(), objection, t0))._tag).toBe("InvalidTransition")
  })

  it("an unanswered objection blocks sign-off; answered once, it no longer does", () => {
    const objection = { id: objectionId(1), by: "resident-wang", text: "请说明标准", at: t0 + DAY, answer: null }
    const objected = ok(FundRules.object(inNotice(), objection, t0 + DAY))
    const approver = { subject: "committee-chen", householdId: null }
    expect(err(FundRules.signOff(objected, approver, "approve", "同意", afterNotice))._tag).toBe("InvalidTransition")
    const answered = ok(FundRules.answer(objected, objectionId(1), "按低保标准核定", "social-worker-li", t0 + 2 * DAY))
    expect(err(FundRules.answer(answered, objectionId(1), "again", "x", t0 + 2 * DAY))._tag).toBe("InvalidTransition")
    expect(err(FundRules.answer(answered, objectionId(9), "?", "x", t0 + 2 * DAY))._tag).toBe("InvalidInput")
    expect(ok(FundRules.signOff(answered, approver, "approve", "同意", afterNotice)).round.signOffs).toHaveLength(1)
  })

  it("nobody signs before the notice has ended", () => {
    const e = err(FundRules.signOff(inNotice(), { subject: "a", householdId: null }, "approve", "", afterNotice - 1))
    expect(e._tag).toBe("InvalidTransition")
  })
})

describe("N-of-M sign-off", () => {
  it("the author never signs; an approver of a beneficiary's household steps aside; nobody signs twice", () => {
    const round = inNotice()
    const author = err(
      FundRules.signOff(round, { subject: "social-worker-li", householdId: null }, "approve", "", afterNotice)
    )
    expect(author._tag).toBe("Forbidden")
    expect(author.message).toContain("申请人")
    const related = err(
      FundRules.signOff(round, { subject: "committee-zhou", householdId: household(1) }, "approve", "", afterNotice)
    )
    expect(related._tag).toBe("Forbidden")
    expect(related.message).toContain("回避")
    const once = ok(
      FundRules.signOff(round, { subject: "committee-chen", householdId: household(2) }, "approve", "", afterNotice)
    )
    expect(once.decided).toBeNull()
    const twice = err(
      FundRules.signOff(
        once.round,
        { subject: "committee-chen", householdId: household(2) },
        "approve",
        "",
        afterNotice
      )
    )
    expect(twice._tag).toBe("Forbidden")
  })

  it("the N-th approval approves and sets one hold per funded candidate, with derived transfer ids", () => {
    const round = inNotice()
    const first = ok(FundRules.signOff(round, { subject: "a1", householdId: null }, "approve", "同意", afterNotice))
    const second = ok(
      FundRules.signOff(first.round, { subject: "a2", householdId: null }, "approve", "同意", afterNotice)
    )
    expect(second.decided).toBe("approved")
    expect(second.round.status).toBe("approved")
    const funded = (round.outcome?.shares ?? []).filter((s) => s.amount > 0)
    expect(second.round.holds.map((h) => [h.key, h.amount, h.status])).toEqual(
      funded.map((s) => [s.id, s.amount, "pending"])
    )
    expect(second.round.holds[0]?.transferId).toBe(FundAccounts.roundTransferId(round.id, funded[0]?.id ?? "", "hold"))
  })

  it("one rejection rejects the round, with its note", () => {
    const rejected = ok(
      FundRules.signOff(inNotice(), { subject: "a1", householdId: null }, "reject", "材料不全", afterNotice)
    )
    expect(rejected.decided).toBe("rejected")
    expect(rejected.round.status).toBe("rejected")
    expect(rejected.round.closingNote).toBe("材料不全")
    expect(err(FundRules.cancel(rejected.round, "x", afterNotice))._tag).toBe("InvalidTransition")
  })

  it("property: a round is approved exactly when N distinct eligible approvers approved and nobody rejected", () => {
    const signers = fc.record({
      subject: fc.constantFrom("social-worker-li", "a1", "a2", "a3", "a4"),
      household: fc.constantFrom(null, 1, 2, 3),
      decision: fc.constantFrom("approve" as const, "approve" as const, "reject" as const)
    })
    fc.assert(
      fc.property(fc.array(signers, { maxLength: 8 }), fc.integer({ min: 1, max: 4 }), (sequence, n) => {
        const s: FundSettings = { ...settings, signOff: [{ fromFen: 0, approvals: n }] }
        let round = inNotice(500_000, candidates, s)
        const eligible = new Set<string>()
        let rejected = false
        for (const x of sequence) {
          const result = FundRules.signOff(
            round,
            { subject: x.subject, householdId: x.household === null ? null : household(x.household) },
            x.decision,
            "",
            afterNotice
          )
          const allowed =
            round.status === "notice" &&
            x.subject !== "social-worker-li" &&
            x.household !== 1 &&
            !round.signOffs.some((o) => o.by === x.subject)
          expect(Result.isSuccess(result)).toBe(allowed)
          if (Result.isSuccess(result)) {
            round = result.success.round
            if (x.decision === "reject") rejected = true
            else eligible.add(x.subject)
          }
        }
        expect(round.status === "approved").toBe(!rejected && eligible.size >= n)
        expect(round.status === "rejected").toBe(rejected)
        expect(round.signOffs.every((o) => o.by !== "social-worker-li")).toBe(true)
        expect(round.holds.length > 0).toBe(round.status === "approved")
      })
    )
  })
})

describe("payment and cancellation", () => {
  const approved = () => {
    const s: FundSettings = { ...settings, signOff: [{ fromFen: 0, approvals: 1 }] }
    return ok(
      FundRules.signOff(
        inNotice(500_000, candidates, s),
        { subject: "a1", householdId: null },
        "approve",
        "",
        afterNotice
      )
    ).round
  }

  it("approved → scheduled → paid posts every hold", () => {
    const scheduled = ok(FundRules.schedule(approved(), afterNotice + DAY, afterNotice))
    expect(scheduled.status).toBe("scheduled")
    expect(err(FundRules.pay(approved(), afterNotice))._tag).toBe("InvalidTransition")
    const paid = ok(FundRules.pay(scheduled, afterNotice + DAY))
    expect(paid.status).toBe("paid")
    expect(paid.holds.every((h) => h.status === "posted")).toBe(true)
    expect(err(FundRules.cancel(paid, "too late", afterNotice + DAY))._tag).toBe("InvalidTransition")
  })

  it("a failed payment or a cancellation voids the holds", () => {
    const scheduled = ok(FundRules.schedule(approved(), afterNotice + DAY, afterNotice))
    const failed = ok(FundRules.fail(scheduled, "银行退票", afterNotice + DAY))
    expect(failed.status).toBe("failed")
    expect(failed.holds.every((h) => h.status === "voided")).toBe(true)
    const cancelled = ok(FundRules.cancel(approved(), "项目取消", afterNotice))
    expect(cancelled.status).toBe("cancelled")
    expect(cancelled.holds.every((h) => h.status === "voided")).toBe(true)
    expect(ok(FundRules.cancel(drafted(), "重新起草", t0)).holds).toEqual([])
  })

  it("every change adds one to the version", () => {
    const d = drafted()
    const s = ok(FundRules.submit(d, settings, t0))
    const n = ok(FundRules.startNotice(s, settings, t0))
    expect([d.version, s.version, n.version]).toEqual([1, 2, 3])
  })
})
