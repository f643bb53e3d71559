import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import type { LedgerState, TransferBatch, TransferRequest } from "../../src/index.js"
import { BatchId, LedgerChain, LedgerRules } from "../../src/index.js"
import { account, accountId, guli, junxin, later, openAll, pending, posted, t0, transferId } from "./fixtures.js"

const batch = (requests: ReadonlyArray<TransferRequest>, communityId = junxin): TransferBatch => ({
  communityId,
  requests
})
const apply = (state: LedgerState, requests: ReadonlyArray<TransferRequest>, now = t0) =>
  LedgerRules.applyBatch(state, batch(requests), now)
const ok = (state: LedgerState, requests: ReadonlyArray<TransferRequest>, now = t0) =>
  Result.getOrThrow(apply(state, requests, now))
const failure = (state: LedgerState, requests: ReadonlyArray<TransferRequest>, now = t0) => {
  const r = apply(state, requests, now)
  if (Result.isSuccess(r)) throw new Error("expected the batch to fail")
  return r.failure
}

// Candy Commune (糖果公社), Junxin community: CNY fen
const CANDY_CASH = 1
const CANDY_SALES = 2
const DESIGN_FEES = 3
const PRODUCTION = 4
const FUND = 5
const GRANTS = 6
const community = (n: number, name: string, kind: "asset" | "income" | "expense" | "equity" | "liability") => ({
  id: accountId(n),
  communityId: junxin,
  unit: "CNY",
  kind,
  owner: { type: "community" as const, id: junxin },
  name
})
const candy = openAll([
  { ...community(CANDY_CASH, "candy:cash", "asset"), creditsMustNotExceedDebits: true },
  community(CANDY_SALES, "candy:sales", "income"),
  community(DESIGN_FEES, "candy:design-fees", "expense"),
  community(PRODUCTION, "candy:production", "expense"),
  { ...community(FUND, "fund:general", "asset"), creditsMustNotExceedDebits: true },
  community(GRANTS, "fund:grants", "expense")
])

/** A season of sales: 10 folding umbrellas at 25.00 元, 20 fans at 8.00 元; a 50.00 design fee, 200.00 production. */
const season = [
  posted(1, CANDY_CASH, CANDY_SALES, 10 * 2_500, "幸运君折叠伞 ×10"),
  posted(2, CANDY_CASH, CANDY_SALES, 20 * 800, "幸运君扇子 ×20"),
  posted(3, DESIGN_FEES, CANDY_CASH, 5_000, "儿童设计费", "CNY", 2),
  posted(4, PRODUCTION, CANDY_CASH, 20_000, "生产成本", "CNY", 3),
  posted(5, FUND, CANDY_CASH, 16_000, "净收益转入社区公益基金", "CNY", 4)
]

describe("Candy Commune sales into the fund (CNY fen)", () => {
  const after = ok(candy, season)

  it("posts the season and moves the net proceeds, 160.00 元, into the fund", () => {
    expect(after.results.map((r) => r.replayed)).toEqual([false, false, false, false, false])
    expect(LedgerRules.balanceOf(account(after.state, CANDY_SALES))).toBe(41_000)
    expect(LedgerRules.balanceOf(account(after.state, CANDY_CASH))).toBe(0)
    expect(LedgerRules.balanceOf(account(after.state, FUND))).toBe(16_000)
    // five requests moved the cash account; a store writes it once, so the batch moves it one version on
    expect(account(after.state, CANDY_CASH).version).toBe(2)
    expect(after.created.map((t) => t.sequence)).toEqual([1, 2, 3, 4, 5])
    expect(after.head.sequence).toBe(5)
  })

  it("refuses to spend cash Candy Commune no longer has, and names the request", () => {
    const e = failure(after.state, [
      posted(6, PRODUCTION, CANDY_CASH, 100, "再印一批"),
      posted(7, GRANTS, FUND, 1_000, "困难家庭补助")
    ])
    expect(e._tag).toBe("TransferRejected")
    expect(e.index).toBe(0)
    expect(e.transferId).toBe(transferId(6))
    expect(e.reason).toBe("exceeds_debits")
    expect(e.accountId).toBe(accountId(CANDY_CASH))
    expect(e.message).toContain("贷方账户余额不足")
    expect(LedgerRules.toDomainError(e)).toMatchObject({ _tag: "InsufficientFunds", account: accountId(CANDY_CASH) })
  })

  it("a linked batch fails as a whole: the first good request is not applied either", () => {
    const e = failure(after.state, [
      posted(7, GRANTS, FUND, 1_000, "困难家庭补助"),
      posted(8, GRANTS, FUND, 99_000, "超额补助")
    ])
    expect([e.index, e.reason]).toEqual([1, "exceeds_debits"])
    expect(after.state.transfers.has(transferId(7))).toBe(false)
    expect(LedgerRules.balanceOf(account(after.state, FUND))).toBe(16_000)
  })

  it("replays the same id and content: the first result, nothing posted again", () => {
    const again = ok(after.state, [season[0]!])
    expect(again.results[0]!.replayed).toBe(true)
    expect(again.results[0]!.transfer).toEqual(after.results[0]!.transfer)
    expect(again.created).toEqual([])
    expect(again.state).toEqual(after.state)
  })

  it("inside one batch, a repeated id replays the first request or conflicts with it", () => {
    const twice = ok(candy, [season[0]!, season[0]!])
    expect(twice.results.map((r) => r.replayed)).toEqual([false, true])
    expect(twice.created).toHaveLength(1)
    const e = failure(candy, [season[0]!, { ...season[0]!, reason: "改了理由" }])
    expect([e.index, e.reason]).toEqual([1, "id_conflict"])
  })

  it("records the batch id on every transfer of the batch", () => {
    const batchId = BatchId.make("0190f0a2-0000-7000-8000-000000000001")
    const r = Result.getOrThrow(LedgerRules.applyBatch(candy, { communityId: junxin, batchId, requests: season }, t0))
    expect(r.created.every((t) => t.batchId === batchId)).toBe(true)
    expect(after.created.every((t) => t.batchId === null)).toBe(true)
  })

  it("the same id with other content is a Conflict", () => {
    const e = failure(after.state, [posted(1, CANDY_CASH, CANDY_SALES, 2_501, "幸运君折叠伞 ×10")])
    expect(e.reason).toBe("id_conflict")
    expect(LedgerRules.toDomainError(e)._tag).toBe("Conflict")
    // another community using the same id is a conflict too, not a replay
    expect(LedgerRules.applyBatch(after.state, batch([season[0]!], guli), t0).pipe(Result.isFailure)).toBe(true)
  })

  it("refuses zero and negative amounts, unit mismatches, the same account on both sides", () => {
    expect(failure(candy, [posted(9, CANDY_CASH, CANDY_SALES, 0, "零")]).reason).toBe("invalid_request")
    expect(failure(candy, [posted(9, CANDY_CASH, CANDY_SALES, -5, "负")]).reason).toBe("invalid_request")
    expect(failure(candy, [posted(9, CANDY_CASH, CANDY_SALES, 1.5, "小数")]).reason).toBe("invalid_request")
    expect(failure(candy, [posted(9, CANDY_CASH, CANDY_SALES, 100, "分钟", "MIN")]).reason).toBe("unit_mismatch")
    expect(failure(candy, [posted(9, CANDY_CASH, CANDY_CASH, 100, "自己")]).reason).toBe("accounts_must_differ")
    const missing = failure(candy, [posted(9, CANDY_CASH, 99, 100, "无此账户")])
    expect([missing.reason, missing.accountId]).toEqual(["account_not_found", accountId(99)])
    expect(LedgerRules.toDomainError(missing)._tag).toBe("NotFound")
    const blank = failure(candy, [posted(9, CANDY_CASH, CANDY_SALES, 100, "   ")])
    expect([blank.reason, blank.index, blank.transferId]).toEqual(["invalid_request", 0, transferId(9)])
  })

  it("does not let another community touch Junxin's accounts", () => {
    const e = LedgerRules.applyBatch(candy, batch([posted(9, CANDY_CASH, CANDY_SALES, 100, "越权")], guli), t0)
    expect(Result.isFailure(e) && e.failure.reason).toBe("account_not_found")
  })

  it("reverses a posted transfer once, pointing at it, and keeps history true", () => {
    const reversal: TransferRequest = {
      _tag: "Reverse",
      id: transferId(10),
      reverses: transferId(2),
      reason: "扇子退货冲正"
    }
    const refunded = ok(candy, [season[0]!, season[1]!])
    const corrected = ok(refunded.state, [reversal], later(3_600))
    const r = corrected.results[0]!.transfer
    expect([r.reverses, r.debitAccountId, r.creditAccountId, r.amount]).toEqual([
      transferId(2),
      accountId(CANDY_SALES),
      accountId(CANDY_CASH),
      16_000
    ])
    expect(LedgerRules.balanceOf(account(corrected.state, CANDY_SALES))).toBe(25_000)
    const again: TransferRequest = { ...reversal, id: transferId(11) }
    expect(failure(corrected.state, [again]).reason).toBe("already_reversed")
    const ofReversal: TransferRequest = {
      _tag: "Reverse",
      id: transferId(12),
      reverses: transferId(10),
      reason: "再冲"
    }
    expect(failure(corrected.state, [ofReversal]).reason).toBe("reversal_not_reversible")
    const all = [...corrected.state.transfers.values()]
    const sales = accountId(CANDY_SALES)
    expect(Result.getOrThrow(LedgerRules.balanceAt(all, sales, later(60))).creditsPosted).toBe(41_000)
    expect(Result.getOrThrow(LedgerRules.balanceAt(all, sales, later(3_600))).debitsPosted).toBe(16_000)
  })

  it("closes only settled accounts; a closed account refuses transfers until reopened", () => {
    const unsettled = LedgerRules.closeAccount(after.state, junxin, accountId(FUND))
    expect(Result.isFailure(unsettled) && unsettled.failure._tag).toBe("InvalidTransition")
    const closed = Result.getOrThrow(LedgerRules.closeAccount(after.state, junxin, accountId(CANDY_CASH)))
    expect(closed.account.flags.closed).toBe(true)
    expect(failure(closed.state, [posted(20, CANDY_CASH, CANDY_SALES, 100, "关闭后销售")]).reason).toBe(
      "account_closed"
    )
    const again = LedgerRules.closeAccount(closed.state, junxin, accountId(CANDY_CASH))
    expect(Result.isFailure(again)).toBe(true)
    const reopened = Result.getOrThrow(LedgerRules.reopenAccount(closed.state, junxin, accountId(CANDY_CASH)))
    expect(ok(reopened.state, [posted(20, CANDY_CASH, CANDY_SALES, 100, "重开后销售")]).created).toHaveLength(1)
    const elsewhere = LedgerRules.closeAccount(after.state, guli, accountId(CANDY_CASH))
    expect(Result.isFailure(elsewhere) && elsewhere.failure._tag).toBe("NotFound")
  })

  it("opening is idempotent by id; other content under the same id, or both limit flags, is refused", () => {
    const input = { ...community(CANDY_CASH, "candy:cash", "asset" as const), creditsMustNotExceedDebits: true }
    const replay = Result.getOrThrow(LedgerRules.openAccount(candy, input, t0))
    expect(replay.replayed).toBe(true)
    const other = LedgerRules.openAccount(candy, { ...input, name: "candy:till" }, t0)
    expect(Result.isFailure(other) && other.failure._tag).toBe("Conflict")
    const both = LedgerRules.openAccount(
      candy,
      { ...community(40, "x", "asset"), debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: true },
      t0
    )
    expect(Result.isFailure(both) && both.failure._tag).toBe("InvalidInput")
    const badUnit = LedgerRules.openAccount(candy, { ...community(41, "x", "asset"), unit: "USD" }, t0)
    expect(Result.isFailure(badUnit) && badUnit.failure._tag).toBe("InvalidInput")
  })
})

describe("holds: pending, post (full or partial), void, expiry", () => {
  const funded = ok(candy, season).state
  const hold = pending(30, GRANTS, FUND, 10_000, 7 * 24 * 3600, "公示期内的补助")

  it("a hold reserves room: a second spend that would use it is refused", () => {
    const held = ok(funded, [hold])
    expect(account(held.state, FUND).creditsPending).toBe(10_000)
    expect(LedgerRules.availableOf(account(held.state, FUND))).toBe(6_000)
    expect(failure(held.state, [posted(31, GRANTS, FUND, 7_000, "另一笔")]).reason).toBe("exceeds_debits")
    expect(held.holds).toEqual([[transferId(30), { status: "pending", resolvedBy: null }]])
  })

  it("posts part of a hold and releases the rest", () => {
    const held = ok(funded, [hold]).state
    const paid = ok(held, [
      { _tag: "PostPending", id: transferId(32), pendingId: transferId(30), amount: 8_000, reason: "发放" }
    ])
    const fund = account(paid.state, FUND)
    expect([fund.creditsPosted, fund.creditsPending]).toEqual([8_000, 0])
    expect(LedgerRules.balanceOf(fund)).toBe(8_000)
    expect(paid.state.holds.get(transferId(30))).toEqual({ status: "posted", resolvedBy: transferId(32) })
    const twice = failure(paid.state, [
      { _tag: "VoidPending", id: transferId(33), pendingId: transferId(30), reason: "撤销" }
    ])
    expect(twice.reason).toBe("pending_already_posted")
    const tooMuch = failure(held, [
      { _tag: "PostPending", id: transferId(32), pendingId: transferId(30), amount: 10_001, reason: "超额" }
    ])
    expect(tooMuch.reason).toBe("exceeds_pending_amount")
  })

  it("voids a hold: the whole amount is released and it cannot be posted afterwards", () => {
    const held = ok(funded, [hold]).state
    const voided = ok(held, [
      { _tag: "VoidPending", id: transferId(34), pendingId: transferId(30), reason: "申请撤回" }
    ])
    expect(account(voided.state, FUND).creditsPending).toBe(0)
    expect(LedgerRules.balanceOf(account(voided.state, FUND))).toBe(16_000)
    const post = failure(voided.state, [
      { _tag: "PostPending", id: transferId(35), pendingId: transferId(30), reason: "发放" }
    ])
    expect(post.reason).toBe("pending_already_voided")
  })

  it("a hold created and posted in the same linked batch", () => {
    const both = ok(funded, [
      hold,
      { _tag: "PostPending", id: transferId(36), pendingId: transferId(30), reason: "当场发放" }
    ])
    expect(LedgerRules.balanceOf(account(both.state, FUND))).toBe(6_000)
  })

  it("an expired hold cannot be posted, and expire() releases it", () => {
    const held = ok(funded, [hold]).state
    const afterTimeout = later(7 * 24 * 3600)
    const post = failure(
      held,
      [{ _tag: "PostPending", id: transferId(37), pendingId: transferId(30), reason: "迟了" }],
      afterTimeout
    )
    expect(post.reason).toBe("pending_expired")
    const early = LedgerRules.expire(held, later(60))
    expect(early.expired).toEqual([])
    expect(early.state).toEqual(held)
    const expired = LedgerRules.expire(held, afterTimeout)
    expect(expired.expired).toEqual([transferId(30)])
    expect(account(expired.state, FUND).creditsPending).toBe(0)
    expect(expired.state.holds.get(transferId(30))?.status).toBe("expired")
    expect(LedgerRules.expire(expired.state, afterTimeout).state).toEqual(expired.state)
    const all = [...expired.state.transfers.values()]
    expect(Result.getOrThrow(LedgerRules.balanceAt(all, accountId(FUND), later(60))).creditsPending).toBe(10_000)
    expect(Result.getOrThrow(LedgerRules.balanceAt(all, accountId(FUND), afterTimeout)).creditsPending).toBe(0)
  })

  it("expire() skips a hold whose accounts a partial snapshot lacks, rather than half-releasing it", () => {
    const held = ok(funded, [hold]).state
    const accounts = new Map(held.accounts)
    accounts.delete(accountId(GRANTS))
    const partial = { ...held, accounts }
    const result = LedgerRules.expire(partial, later(8 * 24 * 3600))
    expect(result.expired).toEqual([])
    expect(result.state).toEqual(partial)
  })

  it("a hold is not posted: it cannot be reversed, only posted or voided", () => {
    const held = ok(funded, [hold]).state
    const e = failure(held, [{ _tag: "Reverse", id: transferId(38), reverses: transferId(30), reason: "冲正" }])
    expect(e.reason).toBe("not_posted")
  })
})

// Time bank (时间银行), minutes: Liu Ying (刘英) of the fellow-townsperson team visits Zhou Saiqun
// (周赛群) and saves the minutes for her household, where her elderly parents use them.
const ISSUED = 50
const LIU_YING = 51
const LIU_HOUSEHOLD = 52
const timeBank = openAll([
  {
    id: accountId(ISSUED),
    communityId: junxin,
    unit: "MIN",
    kind: "equity",
    owner: { type: "community", id: junxin },
    name: "timebank:issued"
  },
  {
    id: accountId(LIU_YING),
    communityId: junxin,
    unit: "MIN",
    kind: "liability",
    owner: { type: "resident", id: "0190f0a0-0000-7000-8000-0000000000a1" },
    name: "timebank",
    debitsMustNotExceedCredits: true
  },
  {
    id: accountId(LIU_HOUSEHOLD),
    communityId: junxin,
    unit: "MIN",
    kind: "liability",
    owner: { type: "household", id: "0190f0a0-0000-7000-8000-0000000000b1" },
    name: "timebank",
    debitsMustNotExceedCredits: true,
    upperBound: 6_000
  }
])

describe("time-bank minutes for a volunteer's household (MIN)", () => {
  const visits = ok(timeBank, [
    posted(60, ISSUED, LIU_YING, 90, "陪同周赛群体检：往返公交 60 分钟 + 翻译 30 分钟", "MIN", 10),
    posted(61, LIU_YING, LIU_HOUSEHOLD, 60, "存入家庭账户，给父母用", "MIN", 11),
    posted(62, LIU_HOUSEHOLD, ISSUED, 45, "父母：上门理发", "MIN", 12)
  ])

  it("earns, shares and spends minutes", () => {
    expect(LedgerRules.balanceOf(account(visits.state, LIU_YING))).toBe(30)
    expect(LedgerRules.balanceOf(account(visits.state, LIU_HOUSEHOLD))).toBe(15)
    expect(LedgerRules.balanceOf(account(visits.state, ISSUED))).toBe(-45)
  })

  it("the household cannot spend minutes it does not have", () => {
    const e = failure(visits.state, [posted(63, LIU_HOUSEHOLD, ISSUED, 30, "父母：陪诊", "MIN", 12)])
    expect([e.reason, e.transferId]).toEqual(["exceeds_credits", transferId(63)])
  })

  it("the household's saved minutes stop at its upper bound of 100 hours", () => {
    const e = failure(visits.state, [posted(64, ISSUED, LIU_HOUSEHOLD, 6_000, "一次存太多", "MIN", 10)])
    expect(e.reason).toBe("exceeds_upper_bound")
    expect(ok(visits.state, [posted(64, ISSUED, LIU_HOUSEHOLD, 5_985, "存满", "MIN", 10)]).created).toHaveLength(1)
  })

  it("money and minutes do not mix", () => {
    const e = failure(openAll([community(CANDY_CASH, "candy:cash", "asset")], visits.state), [
      posted(65, CANDY_CASH, LIU_YING, 10, "混用", "MIN")
    ])
    expect(e.reason).toBe("unit_mismatch")
  })
})

describe("the hash chain", () => {
  const after = ok(candy, season)
  const transfers = [...after.state.transfers.values()]

  it("verifies an untouched chain", () => {
    const verified = Result.getOrThrow(LedgerChain.verifyChain(transfers))
    expect(verified.heads.get(junxin)).toEqual({ sequence: 5, hash: after.head.hash, transferId: transferId(5) })
  })

  it("names the first changed, removed or reordered transfer", () => {
    const changed = transfers.map((t) => (t.sequence === 3 ? { ...t, amount: 500 } : t))
    const broken = LedgerChain.verifyChain(changed)
    expect(Result.isFailure(broken) && [broken.failure.transferId, broken.failure.reason]).toEqual([
      transferId(3),
      "hash_mismatch"
    ])
    const removed = LedgerChain.verifyChain(transfers.filter((t) => t.sequence !== 2))
    expect(Result.isFailure(removed) && [removed.failure.sequence, removed.failure.reason]).toEqual([2, "sequence_gap"])
    // a rewritten transfer with a fresh hash still breaks the link of the next one
    const rehashed = transfers.map((t) => {
      if (t.sequence !== 4) return t
      const { hash: _, ...rest } = { ...t, reason: "改过的理由" }
      return { ...rest, hash: LedgerChain.hashTransfer(rest) }
    })
    const relinked = LedgerChain.verifyChain(rehashed)
    expect(Result.isFailure(relinked) && [relinked.failure.transferId, relinked.failure.reason]).toEqual([
      transferId(5),
      "previous_hash_mismatch"
    ])
  })

  it("keeps separate chains per community", () => {
    const guliAccounts = openAll(
      [
        { ...community(70, "cash", "asset"), communityId: guli },
        { ...community(71, "donations", "income"), communityId: guli }
      ],
      after.state
    )
    const both = Result.getOrThrow(
      LedgerRules.applyBatch(guliAccounts, batch([posted(72, 70, 71, 500, "顾里小站捐赠")], guli), t0)
    )
    expect(both.created[0]!.sequence).toBe(1)
    expect(Result.isSuccess(LedgerChain.verifyChain(both.state.transfers.values()))).toBe(true)
  })
})

describe("footprint", () => {
  it("lists the accounts and transfers a batch needs loaded", () => {
    const f = LedgerRules.footprint(
      batch([
        posted(1, CANDY_CASH, CANDY_SALES, 100, "a"),
        { _tag: "VoidPending", id: transferId(2), pendingId: transferId(30), reason: "b" },
        { _tag: "Reverse", id: transferId(3), reverses: transferId(1), reason: "c" }
      ])
    )
    expect(f.accountIds).toEqual([accountId(CANDY_CASH), accountId(CANDY_SALES)])
    expect(f.transferIds).toEqual([transferId(1), transferId(2), transferId(30), transferId(3)])
  })
})
