import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import fc from "fast-check"
import type { LedgerState, OpenAccountInput, Transfer, TransferRequest } from "../../src/index.js"
import { LedgerChain, LedgerRules } from "../../src/index.js"
import { accountId, guli, junxin, openAll, t0, transferId } from "./fixtures.js"

// The accounts every run starts with: CNY and minutes, with every kind of limit, and one account
// of another community. Index 99 does not exist.
const resident = { type: "resident" as const, id: "0190f0a0-0000-7000-8000-0000000000a1" }
const household = { type: "household" as const, id: "0190f0a0-0000-7000-8000-0000000000b1" }
const owner = { type: "community" as const, id: junxin }
const open = (n: number, unit: string, kind: OpenAccountInput["kind"], extra: Partial<OpenAccountInput> = {}) =>
  ({ id: accountId(n), communityId: junxin, unit, kind, owner, name: `acct-${n}`, ...extra }) as OpenAccountInput
const accounts: ReadonlyArray<OpenAccountInput> = [
  open(1, "CNY", "asset", { creditsMustNotExceedDebits: true }),
  open(2, "CNY", "income"),
  open(3, "CNY", "asset", { creditsMustNotExceedDebits: true, upperBound: 50_000 }),
  open(4, "CNY", "expense"),
  open(5, "CNY", "liability", { debitsMustNotExceedCredits: true, owner: resident }),
  open(11, "MIN", "equity"),
  open(12, "MIN", "liability", { debitsMustNotExceedCredits: true, owner: resident }),
  open(13, "MIN", "liability", { debitsMustNotExceedCredits: true, upperBound: 500, owner: household }),
  { ...open(21, "CNY", "asset"), communityId: guli }
]
const accountNumbers = [1, 2, 3, 4, 5, 11, 12, 13, 21, 99]
/** Opened and funded, so that spending can succeed (these transfers are not among the run's accepted requests). */
const start = Result.getOrThrow(
  LedgerRules.applyBatch(
    openAll(accounts),
    {
      communityId: junxin,
      requests: (
        [
          [1, 2, 100_000, "CNY"],
          [3, 1, 30_000, "CNY"],
          [1, 5, 20_000, "CNY"],
          [11, 12, 300, "MIN"],
          [12, 13, 200, "MIN"]
        ] as const
      ).map(([d, c, amount, unit], i) => ({
        _tag: "Posted" as const,
        id: transferId(900_000 + i),
        debitAccountId: accountId(d),
        creditAccountId: accountId(c),
        amount,
        unit,
        code: 1,
        reason: "期初余额"
      }))
    },
    t0
  )
).state

/** Ordered pairs of distinct accounts of one unit and community: requests that may well succeed. */
const pairs: ReadonlyArray<readonly [number, number, string]> = accounts.flatMap((d) =>
  accounts
    .filter((c) => c.id !== d.id && c.unit === d.unit && c.communityId === junxin && d.communityId === junxin)
    .map((c) => [Number(d.id.slice(-12)), Number(c.id.slice(-12)), d.unit] as const)
)

type Op =
  | {
      readonly t: "posted" | "pending"
      /** `pair` indexes {@link pairs}; `wild` (rare) picks any two accounts and a unit instead. */
      readonly pair: number
      readonly wild: { readonly d: number; readonly c: number; readonly minutes: boolean } | null
      readonly amount: number
      readonly timeout: number
    }
  | { readonly t: "post"; readonly pick: number; readonly amount: number | undefined; readonly open: boolean }
  | { readonly t: "void" | "reverse"; readonly pick: number; readonly open: boolean }
  | { readonly t: "replay" | "conflict"; readonly pick: number }
  | { readonly t: "zero" }

type Step =
  | { readonly s: "batch"; readonly ops: ReadonlyArray<Op> }
  | { readonly s: "advance"; readonly seconds: number }
  | { readonly s: "expire" }
  | { readonly s: "close" | "reopen"; readonly account: number }

const amount = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 1, max: 3_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 60_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 50_000) }
)
const accountPick = fc.constantFrom(...accountNumbers)
const usually = fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      t: fc.constantFrom("posted" as const, "posted" as const, "pending" as const),
      pair: fc.nat(),
      wild: fc.oneof(
        { weight: 8, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.record({ d: accountPick, c: accountPick, minutes: fc.boolean() }) }
      ),
      amount,
      timeout: fc.constantFrom(0, 60, 3_600)
    })
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("post" as const),
      pick: fc.nat(),
      amount: fc.option(amount, { nil: undefined }),
      open: usually
    })
  },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constantFrom("void" as const, "reverse" as const), pick: fc.nat(), open: usually })
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom("replay" as const, "conflict" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ t: "zero" as const }) }
)
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      s: fc.constant("batch" as const),
      ops: fc.oneof(
        { weight: 3, arbitrary: fc.array(op, { minLength: 1, maxLength: 1 }) },
        { weight: 1, arbitrary: fc.array(op, { minLength: 2, maxLength: 4 }) }
      )
    })
  },
  {
    weight: 2,
    arbitrary: fc.record({ s: fc.constant("advance" as const), seconds: fc.integer({ min: 0, max: 7_200 }) })
  },
  { weight: 2, arbitrary: fc.constant({ s: "expire" as const }) },
  { weight: 1, arbitrary: fc.record({ s: fc.constantFrom("close" as const, "reopen" as const), account: accountPick }) }
)

/** Per unit, the posted and the pending totals of all accounts sum to zero; no account breaks a limit. */
const checkInvariants = (state: LedgerState) => {
  // bigint: the sums themselves must not lose precision while checking
  const sums = new Map<string, { posted: bigint; pending: bigint }>()
  for (const a of state.accounts.values()) {
    for (const n of [a.debitsPosted, a.debitsPending, a.creditsPosted, a.creditsPending]) {
      expect(Number.isSafeInteger(n) && n >= 0).toBe(true)
    }
    // the limits, stated here again rather than trusting the engine's own check
    const debits = a.debitsPosted + a.debitsPending
    const credits = a.creditsPosted + a.creditsPending
    if (a.flags.debitsMustNotExceedCredits) expect(debits).toBeLessThanOrEqual(a.creditsPosted)
    if (a.flags.creditsMustNotExceedDebits) expect(credits).toBeLessThanOrEqual(a.debitsPosted)
    if (a.flags.upperBound !== null) {
      const debitNormal = a.kind === "asset" || a.kind === "expense"
      expect(debitNormal ? debits - a.creditsPosted : credits - a.debitsPosted).toBeLessThanOrEqual(a.flags.upperBound)
    }
    const s = sums.get(a.unit) ?? { posted: 0n, pending: 0n }
    sums.set(a.unit, {
      posted: s.posted + BigInt(a.debitsPosted) - BigInt(a.creditsPosted),
      pending: s.pending + BigInt(a.debitsPending) - BigInt(a.creditsPending)
    })
  }
  for (const s of sums.values()) expect(s).toEqual({ posted: 0n, pending: 0n })
}

interface Run {
  state: LedgerState
  now: number
  next: number
  accepted: Array<TransferRequest>
}

const build = (run: Run, o: Op, inBatch: ReadonlyArray<TransferRequest>): TransferRequest => {
  const transfers = [...run.state.transfers.values()]
  const pick = <A>(list: ReadonlyArray<A>, n: number): A | undefined =>
    list.length === 0 ? undefined : list[n % list.length]
  const fresh = () => transferId(run.next++)
  switch (o.t) {
    case "posted":
    case "pending": {
      const [d, c, unit] =
        o.wild === null ? pairs[o.pair % pairs.length]! : [o.wild.d, o.wild.c, o.wild.minutes ? "MIN" : "CNY"]
      const movement = {
        id: fresh(),
        debitAccountId: accountId(d),
        creditAccountId: accountId(c),
        amount: o.amount,
        unit,
        code: 1,
        reason: "随机转账"
      }
      return o.t === "posted"
        ? { _tag: "Posted", ...movement }
        : { _tag: "Pending", ...movement, timeoutSeconds: o.timeout }
    }
    case "post":
    case "void": {
      const open = [...run.state.holds].filter(([, h]) => !o.open || h.status === "pending").map(([id]) => id)
      const holds = [...open, ...inBatch.filter((r) => r._tag === "Pending").map((r) => r.id)]
      const pendingId = pick(holds, o.pick)
      // nothing to resolve (yet): move an amount instead, so that batches keep a chance to succeed
      if (pendingId === undefined)
        return build(run, { t: "posted", pair: o.pick, wild: null, amount: 100, timeout: 0 }, inBatch)
      return o.t === "post"
        ? o.amount === undefined
          ? { _tag: "PostPending", id: fresh(), pendingId, reason: "入账" }
          : { _tag: "PostPending", id: fresh(), pendingId, amount: o.amount, reason: "部分入账" }
        : { _tag: "VoidPending", id: fresh(), pendingId, reason: "作废" }
    }
    case "reverse": {
      const candidates = o.open
        ? transfers.filter((t) => (t.kind === "posted" || t.kind === "post_pending") && !run.state.reversedBy.has(t.id))
        : transfers
      const reverses = pick(candidates, o.pick)?.id
      if (reverses === undefined)
        return build(run, { t: "posted", pair: o.pick, wild: null, amount: 100, timeout: 0 }, inBatch)
      return { _tag: "Reverse", id: fresh(), reverses, reason: "冲正" }
    }
    case "replay":
      return pick(run.accepted, o.pick) ?? { _tag: "Reverse", id: fresh(), reverses: transferId(999_997), reason: "无" }
    case "conflict": {
      const original = pick(run.accepted, o.pick)
      return original === undefined
        ? { _tag: "VoidPending", id: fresh(), pendingId: transferId(999_996), reason: "无" }
        : { ...original, reason: `${original.reason}（改）` }
    }
    case "zero":
      return {
        _tag: "Posted",
        id: fresh(),
        debitAccountId: accountId(1),
        creditAccountId: accountId(2),
        amount: 0,
        unit: "CNY",
        code: 1,
        reason: "零"
      }
  }
}

const at = (millis: number) => DateTime.makeUnsafe(millis)

const runSteps = (steps: ReadonlyArray<Step>): Run => {
  const run: Run = { state: start, now: DateTime.toEpochMillis(t0), next: 1, accepted: [] }
  for (const s of steps) {
    switch (s.s) {
      case "advance":
        run.now += s.seconds * 1000
        break
      case "expire": {
        const expired = LedgerRules.expire(run.state, at(run.now))
        for (const a of expired.accounts) expect(a.version).toBe(run.state.accounts.get(a.id)!.version + 1)
        run.state = expired.state
        break
      }
      case "close":
      case "reopen": {
        const r = (s.s === "close" ? LedgerRules.closeAccount : LedgerRules.reopenAccount)(
          run.state,
          junxin,
          accountId(s.account)
        )
        if (Result.isSuccess(r)) run.state = r.success.state
        break
      }
      case "batch": {
        const requests: Array<TransferRequest> = []
        for (const o of s.ops) requests.push(build(run, o, requests))
        const before = structuredClone(run.state)
        const result = LedgerRules.applyBatch(run.state, { communityId: junxin, requests }, at(run.now))
        const mustFail = s.ops.some((o) => o.t === "zero" || (o.t === "conflict" && run.accepted.length > 0))
        if (Result.isFailure(result)) {
          // a failed batch leaves no trace, and names a request of the batch
          expect(run.state).toEqual(before)
          expect(result.failure.transferId).toBe(requests[result.failure.index]!.id)
        } else {
          expect(mustFail).toBe(false)
          expect(result.success.results).toHaveLength(requests.length)
          for (const [i, r] of result.success.results.entries()) expect(r.transfer.id).toBe(requests[i]!.id)
          // a store writes each changed account once, at one version past the one it loaded
          for (const a of result.success.accounts) expect(a.version).toBe(run.state.accounts.get(a.id)!.version + 1)
          run.state = result.success.state
          for (const r of requests) if (!run.accepted.some((a) => a.id === r.id)) run.accepted.push(r)
        }
        break
      }
    }
    checkInvariants(run.state)
  }
  return run
}

describe("ledger properties over random operation sequences", () => {
  it("balances sum to zero per unit, no limit is ever broken, failed batches leave no trace", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), (steps) => {
        runSteps(steps)
      }),
      { numRuns: 300 }
    )
  })

  it("replaying any prefix of the accepted requests changes nothing and returns the first results", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), fc.nat(), (steps, cut) => {
        const run = runSteps(steps)
        const prefix = run.accepted.slice(0, run.accepted.length === 0 ? 0 : cut % (run.accepted.length + 1))
        for (let i = 0; i < prefix.length; i += 1000) {
          const requests = prefix.slice(i, i + 1000)
          const replayed = Result.getOrThrow(
            LedgerRules.applyBatch(run.state, { communityId: junxin, requests }, at(run.now + 3_600_000))
          )
          expect(replayed.state).toEqual(run.state)
          expect(replayed.created).toEqual([])
          expect(replayed.results.every((r) => r.replayed)).toBe(true)
          expect(replayed.results.map((r) => r.transfer)).toEqual(requests.map((r) => run.state.transfers.get(r.id)))
        }
      }),
      { numRuns: 200 }
    )
  })

  it("balances from history agree with the accounts, and the chain verifies (and breaks where changed)", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), fc.nat(), (steps, n) => {
        const run = runSteps(steps)
        const settled = LedgerRules.expire(run.state, at(run.now)).state
        checkInvariants(settled)
        const history: ReadonlyArray<Transfer> = [...settled.transfers.values()]
        for (const a of settled.accounts.values()) {
          const b = Result.getOrThrow(LedgerRules.balanceAt(history, a.id, at(run.now)))
          expect(b).toEqual({
            debitsPosted: a.debitsPosted,
            debitsPending: a.debitsPending,
            creditsPosted: a.creditsPosted,
            creditsPending: a.creditsPending
          })
        }
        // folded page by page, at any time of the run, the walk gives balanceAt's totals; also when
        // timestamps do not follow the chain (servers that disagree about the time)
        const first = DateTime.toEpochMillis(t0)
        // at every transfer's time and hold's expiry, the millisecond before each, and a time
        // around the run
        const moments = history.flatMap((t) => (t.expiresAt === null ? [t.timestamp] : [t.timestamp, t.expiresAt]))
        const whens = [...new Set(moments.flatMap((m) => [m, m - 1])), first + (n % (run.now - first + 2_000)) - 1_000]
        const size = 1 + (n % 7)
        const skewed = history.map((t, i) => ({ ...t, timestamp: t.timestamp + (((i * 7_919 + n) % 5) - 2) * 1_000 }))
        for (const chain of [history, skewed]) {
          for (const a of settled.accounts.values()) {
            const own = chain.filter((t) => t.debitAccountId === a.id || t.creditAccountId === a.id)
            for (const when of whens) {
              const walk = LedgerRules.balanceWalk(a.id, at(when))
              for (let i = 0; i < own.length; i += size) walk.add(own.slice(i, i + size))
              expect(walk.result()).toEqual(LedgerRules.balanceAt(chain, a.id, at(when)))
            }
          }
        }
        expect(Result.isSuccess(LedgerChain.verifyChain(history))).toBe(true)
        if (history.length > 0) {
          const victim = history[n % history.length]!
          const tampered = history.map((t) => (t.id === victim.id ? { ...t, amount: t.amount + 1 } : t))
          const broken = LedgerChain.verifyChain(tampered)
          expect(Result.isFailure(broken) && broken.failure.transferId).toBe(victim.id)
        }
      }),
      { numRuns: 200 }
    )
  })
})
