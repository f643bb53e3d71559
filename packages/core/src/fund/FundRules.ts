/**
 * The fund's pure rules: settings, drafting a round, and a round's way through public notice,
 * sign-off, payment and cancellation, as a state machine over {@link AllocationRound}.
 *
 * ```text
 * draft ──submit──▶ submitted ──startNotice──▶ notice ──signOff × N──▶ approved ──schedule──▶ scheduled ──pay──▶ paid
 *                                               │  ▲ object / answer      │                      └──fail──▶ failed
 *                                               └──signOff(reject)──▶ rejected
 * draft | submitted | notice | approved | scheduled ──cancel──▶ cancelled
 * ```
 *
 * - **Submit** freezes the allocator's outcome and the number of approvals the settings ask for
 *   at the allocated total (N of the community's approvers).
 * - **Public notice** (公示) lasts the configured days; anyone in the community may object while
 *   it runs, and every objection must be answered before anyone signs.
 * - **Sign-off** only after the notice has ended. The round's author never signs it; an approver
 *   whose household is a candidate's must step aside; nobody signs twice. One rejection rejects
 *   the round; the N-th approval approves it.
 * - An approved round's allocations are held in the ledger (the service posts the holds); paying
 *   posts them, failing or cancelling voids them.
 *
 * A wrong move is `InvalidTransition`; a person who may not make it is `Forbidden`.
 *
 * @module
 */
import { DateTime, Result } from "effect"
import type { Actor } from "../kernel/Actor.js"
import { Forbidden, InvalidInput, InvalidTransition } from "../kernel/Errors.js"
import type { CommunityId, HouseholdId } from "../kernel/Ids.js"
import * as Allocation from "./Allocation.js"
import type {
  AllocationRound,
  DraftRoundInput,
  FundSettings,
  Objection,
  ObjectionId,
  RoundCandidate,
  RoundHold,
  RoundId,
  RoundStatus,
  SignOffRule
} from "./Fund.js"
import { roundTransferId } from "./FundAccounts.js"
import * as Text from "../kernel/Text.js"

/** The text of an objection or of its answer: one line, at most 500 characters. */
export const ObjectionText = Text.line(500)

/** The note of a sign-off, a failure or a cancellation: one line, at most 200 characters. */
export const SignOffNote = Text.line(200)

/** A day in milliseconds. */
export const DAY = 86_400_000

const invalid = (round: AllocationRound, action: string) =>
  Result.fail(InvalidTransition.of("AllocationRound", round.status, action))

/** Checks sign-off rules: the first from 0, `fromFen` strictly increasing. */
export const checkSignOff = (rules: ReadonlyArray<SignOffRule>): Result.Result<void, InvalidInput> => {
  if (rules[0]?.fromFen !== 0) {
    return Result.fail(InvalidInput.of("signOff.0.fromFen", "the first rule must start from 0 / 第一条规则须从 0 起"))
  }
  for (let i = 1; i < rules.length; i++) {
    const previous = rules[i - 1]
    const rule = rules[i]
    if (previous !== undefined && rule !== undefined && rule.fromFen <= previous.fromFen) {
      return Result.fail(
        InvalidInput.of(`signOff.${i}.fromFen`, "must be greater than the rule before / 金额须大于上一条规则")
      )
    }
  }
  return Result.void
}

/** How many approvals a round allocating `total` fen needs under these rules. */
export const requiredApprovals = (rules: ReadonlyArray<SignOffRule>, total: number): number => {
  let approvals = 1
  for (const rule of rules) if (rule.fromFen <= total) approvals = rule.approvals
  return approvals
}

/** The allocator's input for a round's pool and candidates. */
export const allocationInput = (
  round: Pick<AllocationRound, "pool" | "reserveBasisPoints" | "candidates">
): Allocation.Input => ({
  pool: round.pool,
  reserveBasisPoints: round.reserveBasisPoints,
  candidates: round.candidates.map((c) => ({
    id: c.key,
    request: c.request,
    weight: c.weight,
    tier: c.tier,
    ...(c.minimum === null ? {} : { minimum: c.minimum }),
    ...(c.cap === null ? {} : { cap: c.cap })
  }))
})

/** The allocator's verdict on a round's candidates (repeated keys, minimums above caps …), fields under `candidates`. */
export const checkCandidates = (
  round: Pick<AllocationRound, "pool" | "reserveBasisPoints" | "candidates">
): Result.Result<Allocation.Outcome, InvalidInput> => Allocation.allocate(allocationInput(round))

/** A draft round, checked: candidates valid for the allocator. */
export const draft = (
  id: RoundId,
  communityId: CommunityId,
  input: Omit<DraftRoundInput, "candidates">,
  candidates: ReadonlyArray<RoundCandidate>,
  author: Actor,
  now: number
): Result.Result<AllocationRound, InvalidInput> => {
  const round: AllocationRound = {
    id,
    communityId,
    version: 1,
    status: "draft",
    title: input.title,
    purpose: input.purpose,
    pool: input.pool,
    reserveBasisPoints: input.reserveBasisPoints ?? 0,
    subFund: input.subFund ?? null,
    candidates,
    outcome: null,
    requiredApprovals: null,
    authoredBy: author.subject,
    noticeStartsAt: null,
    noticeEndsAt: null,
    objections: [],
    signOffs: [],
    holds: [],
    scheduledFor: null,
    closingNote: null,
    createdAt: now,
    updatedAt: now
  }
  return Result.map(checkCandidates(round), () => round)
}

const next = (round: AllocationRound, now: number, patch: Partial<AllocationRound>): AllocationRound => ({
  ...round,
  ...patch,
  version: round.version + 1,
  updatedAt: now
})

/** Revises a draft (only a draft). */
export const revise = (
  round: AllocationRound,
  patch: Partial<Pick<AllocationRound, "title" | "purpose" | "pool" | "reserveBasisPoints" | "candidates">>,
  now: number
): Result.Result<AllocationRound, InvalidTransition | InvalidInput> => {
  if (round.status !== "draft") return invalid(round, "revise")
  const revised = next(round, now, patch)
  return Result.map(checkCandidates(revised), () => revised)
}

/** Submits a draft: freezes the allocator's outcome and the approvals needed. */
export const submit = (
  round: AllocationRound,
  settings: FundSettings,
  now: number
): Result.Result<AllocationRound, InvalidTransition | InvalidInput> => {
  if (round.status !== "draft") return invalid(round, "submit")
  return Result.flatMap(checkCandidates(round), (outcome) =>
    outcome.allocated === 0
      ? Result.fail(
          InvalidInput.of("candidates", "the round allocates nothing: add candidates or a pool / 本轮没有可分配的金额")
        )
      : Result.succeed(
          next(round, now, {
            status: "submitted",
            outcome,
            requiredApprovals: requiredApprovals(settings.signOff, outcome.allocated)
          })
        )
  )
}

/** Starts the public notice (公示): it ends `settings.noticeDays` days from `now`. */
export const startNotice = (
  round: AllocationRound,
  settings: FundSettings,
  now: number
): Result.Result<AllocationRound, InvalidTransition> =>
  round.status !== "submitted"
    ? invalid(round, "start the public notice of")
    : Result.succeed(
        next(round, now, { status: "notice", noticeStartsAt: now, noticeEndsAt: now + settings.noticeDays * DAY })
      )

/** Whether the round is in public notice and the notice has not ended at `now`. */
export const noticeOpen = (round: AllocationRound, now: number): boolean =>
  round.status === "notice" && round.noticeEndsAt !== null && now < round.noticeEndsAt

/** Records an objection while the notice runs. */
export const object = (
  round: AllocationRound,
  objection: Objection,
  now: number
): Result.Result<AllocationRound, InvalidTransition> => {
  if (!noticeOpen(round, now)) {
    return Result.fail(
      new InvalidTransition({
        entity: "AllocationRound",
        from: round.status,
        action: "object to",
        message:
          round.status === "notice"
            ? "The public notice has ended: objections are closed / 公示期已结束，不再受理异议"
            : `Only a round in public notice takes objections (this one is ${round.status}) / 仅公示期内可提出异议`
      })
    )
  }
  return Result.succeed(next(round, now, { objections: [...round.objections, objection] }))
}

/** Answers an objection (once), while the round is in notice. */
export const answer = (
  round: AllocationRound,
  objectionId: ObjectionId,
  text: string,
  by: string,
  now: number
): Result.Result<AllocationRound, InvalidTransition | InvalidInput> => {
  if (round.status !== "notice") return invalid(round, "answer an objection to")
  const target = round.objections.find((o) => o.id === objectionId)
  if (target === undefined)
    return Result.fail(InvalidInput.of("objectionId", "no such objection in this round / 本轮无此异议"))
  if (target.answer !== null) {
    return Result.fail(
      new InvalidTransition({
        entity: "Objection",
        from: "answered",
        action: "answer",
        message: "This objection has been answered already / 该异议已答复"
      })
    )
  }
  return Result.succeed(
    next(round, now, {
      objections: round.objections.map((o) => (o.id === objectionId ? { ...o, answer: { text, by, at: now } } : o))
    })
  )
}

/** The households of a round's candidates. */
export const households = (round: AllocationRound): ReadonlySet<HouseholdId> =>
  new Set(round.candidates.flatMap((c) => (c.householdId === null ? [] : [c.householdId])))

/** Who signs: the actor, and the household of the resident the actor is (if any). */
export interface Signer {
  readonly subject: string
  readonly householdId: HouseholdId | null
}

/** What a sign-off came to: the round, and whether it just became `approved` or `rejected`. */
export interface SignedOff {
  readonly round: AllocationRound
  readonly decided: "approved" | "rejected" | null
}

/**
 * Records an approver's decision. Refused (`Forbidden`) for the round's author, for an approver of
 * a candidate's household (who must step aside) and for a second decision by the same approver;
 * refused (`InvalidTransition`) before the notice has ended or while an objection is unanswered.
 */
export const signOff = (
  round: AllocationRound,
  signer: Signer,
  decision: "approve" | "reject",
  note: string,
  now: number
): Result.Result<SignedOff, InvalidTransition | Forbidden> => {
  if (round.status !== "notice") return invalid(round, "sign off")
  if (round.noticeEndsAt === null || now < round.noticeEndsAt) {
    return Result.fail(
      new InvalidTransition({
        entity: "AllocationRound",
        from: "notice",
        action: "sign off",
        message: `The public notice runs until ${DateTime.formatIso(DateTime.makeUnsafe(round.noticeEndsAt ?? 0))}: sign-off waits for it to end / 公示期未满，暂不能审批`
      })
    )
  }
  const open = round.objections.filter((o) => o.answer === null).length
  if (open > 0) {
    return Result.fail(
      new InvalidTransition({
        entity: "AllocationRound",
        from: "notice",
        action: "sign off",
        message: `${open} objection(s) are unanswered: answer them first / 尚有 ${open} 条异议未答复，须先答复`
      })
    )
  }
  if (signer.subject === round.authoredBy) {
    return Result.fail(
      Forbidden.of("fund:approve", "the author of a round never signs it off / 申请人（起草人）不得审批本人起草的申请")
    )
  }
  if (signer.householdId !== null && households(round).has(signer.householdId)) {
    return Result.fail(
      Forbidden.of(
        "fund:approve",
        "your household is a beneficiary of this round: step aside / 您与受助家庭同户，须回避审批"
      )
    )
  }
  if (round.signOffs.some((s) => s.by === signer.subject)) {
    return Result.fail(Forbidden.of("fund:approve", "you have signed this round already / 您已审批过本轮"))
  }
  const signOffs = [...round.signOffs, { by: signer.subject, decision, note, at: now }]
  if (decision === "reject") {
    return Result.succeed({
      round: next(round, now, { signOffs, status: "rejected", closingNote: note }),
      decided: "rejected"
    })
  }
  const approvals = signOffs.filter((s) => s.decision === "approve").length
  const approved = approvals >= (round.requiredApprovals ?? 1)
  return Result.succeed({
    round: next(round, now, approved ? { signOffs, status: "approved", holds: holdsOf(round) } : { signOffs }),
    decided: approved ? "approved" : null
  })
}

/** The holds of a round's allocations: one per candidate given more than nothing, with derived transfer ids. */
export const holdsOf = (round: AllocationRound): ReadonlyArray<RoundHold> =>
  (round.outcome?.shares ?? []).flatMap((share) =>
    share.amount > 0
      ? [
          {
            key: share.id,
            amount: share.amount,
            transferId: roundTransferId(round.id, share.id, "hold"),
            status: "pending" as const
          }
        ]
      : []
  )

/** Schedules the payment of an approved round. */
export const schedule = (
  round: AllocationRound,
  at: number,
  now: number
): Result.Result<AllocationRound, InvalidTransition> =>
  round.status !== "approved" && round.status !== "scheduled"
    ? invalid(round, "schedule")
    : Result.succeed(next(round, now, { status: "scheduled", scheduledFor: at }))

/** Marks a scheduled round paid: its holds are posted. */
export const pay = (round: AllocationRound, now: number): Result.Result<AllocationRound, InvalidTransition> =>
  round.status !== "scheduled"
    ? invalid(round, "pay")
    : Result.succeed(
        next(round, now, { status: "paid", holds: round.holds.map((h) => ({ ...h, status: "posted" as const })) })
      )

const endWith = (round: AllocationRound, status: RoundStatus, note: string, now: number): AllocationRound =>
  next(round, now, {
    status,
    closingNote: note,
    holds: round.holds.map((h) => ({ ...h, status: "voided" as const }))
  })

/** Marks a scheduled round's payment failed: its holds are voided (the money is free again). */
export const fail = (
  round: AllocationRound,
  note: string,
  now: number
): Result.Result<AllocationRound, InvalidTransition> =>
  round.status !== "scheduled" ? invalid(round, "mark failed") : Result.succeed(endWith(round, "failed", note, now))

/** The states a round may be cancelled from. */
export const cancellable: ReadonlyArray<RoundStatus> = ["draft", "submitted", "notice", "approved", "scheduled"]

/** Cancels a round not yet paid, rejected or failed; holds, if any, are voided. */
export const cancel = (
  round: AllocationRound,
  note: string,
  now: number
): Result.Result<AllocationRound, InvalidTransition> =>
  cancellable.includes(round.status) ? Result.succeed(endWith(round, "cancelled", note, now)) : invalid(round, "cancel")
