/**
 * The contract of the `FundRepo` port: every record type round trips equal and stays in its
 * community; inserts refuse duplicates and updates stale versions (and changing nothing when
 * they do); lists keep their promised order, filters and cursor paging; writes of a failed
 * transaction leave no trace; and concurrent writers (two approvers signing one round, two
 * products under one SKU) are kept apart.
 *
 * @module
 */
import { describe, expect } from "@effect/vitest"
import {
  AllocationRound,
  Conflict,
  entryKey,
  FundEntry,
  FundRepo,
  FundSettings,
  Product,
  SubFund,
  Transactor
} from "@commonweal/core"
import type { CommunityId, EntryQuery, RoundQuery } from "@commonweal/core"
import { Data, Effect, Option, Result } from "effect"
import { freshCommunity } from "../communities/helpers.js"
import type { ContractIt } from "../kernel/helpers.js"
import { expectConflict, sortedIds } from "../kernel/helpers.js"
import type { FundContractPorts } from "./helpers.js"
import {
  candyGoods,
  daysLater,
  expectFound,
  expectNone,
  familyCandidate,
  freshEntryId,
  freshHouseholdId,
  freshProductId,
  freshRoundId,
  fundT0,
  makeEntry,
  makeProduct,
  makeRound,
  makeSale,
  makeSettings,
  makeSubFund,
  projectCandidate,
  scheduledRound
} from "./helpers.js"

/** A caller's own error, failing a transaction after its writes. */
class Boom extends Data.TaggedError("Boom")<{ readonly step: string }> {}

const all = { after: undefined, limit: 1_000 } as const

/** The ids of the rounds a query lists in one large page, in order. */
const roundIds = (query: RoundQuery, window: { readonly after: string | undefined; readonly limit: number } = all) =>
  FundRepo.use((repo) => Effect.map(repo.listRounds(query, window), (rounds) => rounds.map((r) => r.id)))

/** The ids of the entries a query lists in one large page, in order. */
const entryIds = (query: EntryQuery, window: { readonly after: string | undefined; readonly limit: number } = all) =>
  FundRepo.use((repo) => Effect.map(repo.listEntries(query, window), (entries) => entries.map((e) => e.id)))

/** Ids sorted descending by code unit: the order of `listRounds`. */
const descending = (ids: ReadonlyArray<string>): ReadonlyArray<string> => [...sortedIds(ids)].reverse()

/** Registers the `FundRepo` contract. */
export const fundRepoContract = (it: ContractIt<FundContractPorts>): void => {
  describe("FundRepo settings", () => {
    it.effect("a community without settings has none; stored settings round trip and stay in their community", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        expectNone(yield* repo.settings(junxin), "settings of a fresh community")
        const settings = makeSettings(junxin)
        yield* repo.putSettings(settings)
        expectFound(FundSettings, yield* repo.settings(junxin), settings, "settings")
        expectNone(yield* repo.settings(guli), "settings of another community")
      })
    )

    it.effect("settings are inserted once at version 1 and then replaced one version at a time", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        // replacing settings that were never stored is stale
        expectConflict(yield* Effect.flip(repo.putSettings(makeSettings(junxin, { version: 2 }))), "stale_version")
        expectNone(yield* repo.settings(junxin), "settings after a refused replace")
        const first = makeSettings(junxin)
        yield* repo.putSettings(first)
        // a second insert (version 1) is a duplicate and changes nothing
        expectConflict(yield* Effect.flip(repo.putSettings(makeSettings(junxin, { noticeDays: 10 }))), "duplicate")
        expectFound(FundSettings, yield* repo.settings(junxin), first, "settings")
        // the stored version is 1: version 3 skips one and is stale
        expectConflict(yield* Effect.flip(repo.putSettings({ ...first, noticeDays: 9, version: 3 })), "stale_version")
        const second = makeSettings(junxin, {
          noticeDays: 14,
          signOff: [
            { fromFen: 0, approvals: 2 },
            { fromFen: 1_000_000, approvals: 3 }
          ],
          version: 2
        })
        yield* repo.putSettings(second)
        expectFound(FundSettings, yield* repo.settings(junxin), second, "settings at version 2")
        // version 2 again is stale now
        expectConflict(yield* Effect.flip(repo.putSettings({ ...second, noticeDays: 3 })), "stale_version")
        expectFound(FundSettings, yield* repo.settings(junxin), second, "settings at version 2")
      })
    )

    it.effect("settings of one community are never replaced by another's", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const ours = makeSettings(junxin)
        yield* repo.putSettings(ours)
        // Gu Li at version 2 has nothing to replace, whatever Junxin stored
        expectConflict(yield* Effect.flip(repo.putSettings(makeSettings(guli, { version: 2 }))), "stale_version")
        // and Gu Li may insert its own
        const theirs = makeSettings(guli, { noticeDays: 7 })
        yield* repo.putSettings(theirs)
        expectFound(FundSettings, yield* repo.settings(junxin), ours, "Junxin's settings")
        expectFound(FundSettings, yield* repo.settings(guli), theirs, "Gu Li's settings")
      })
    )
  })

  describe("FundRepo products", () => {
    it.effect("products round trip and are invisible from another community", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const umbrella = makeProduct(junxin)
        const stand = makeProduct(junxin, { ...candyGoods.blindBoxStand, active: false })
        yield* repo.insertProduct(umbrella)
        yield* repo.insertProduct(stand)
        expectFound(Product, yield* repo.findProduct(junxin, umbrella.id), umbrella, "umbrella")
        expectFound(Product, yield* repo.findProduct(junxin, stand.id), stand, "blind-box stand")
        expectNone(yield* repo.findProduct(junxin, freshProductId()), "an unknown product")
        expectNone(yield* repo.findProduct(guli, umbrella.id), "Junxin's product from Gu Li")
        expect(yield* repo.listProducts(guli, all)).toEqual([])
      })
    )

    it.effect("insertProduct refuses an existing id or SKU in the community, and allows the SKU in another", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const fan = makeProduct(junxin, candyGoods.fan)
        yield* repo.insertProduct(fan)
        // the same id again, even with another SKU
        expectConflict(
          yield* Effect.flip(repo.insertProduct({ ...fan, sku: "FAN-02", name: "幸运君风扇（新款）" })),
          "duplicate"
        )
        // the same SKU under a new id
        expectConflict(
          yield* Effect.flip(repo.insertProduct(makeProduct(junxin, { ...candyGoods.fan, name: "另一把风扇" }))),
          "duplicate"
        )
        expectFound(Product, yield* repo.findProduct(junxin, fan.id), fan, "fan")
        expect((yield* repo.listProducts(junxin, all)).map((p) => p.id)).toEqual([fan.id])
        // Gu Li may sell a fan under the same SKU
        const theirs = makeProduct(guli, { ...candyGoods.fan, name: "顾里小站扇子" })
        yield* repo.insertProduct(theirs)
        expectFound(Product, yield* repo.findProduct(guli, theirs.id), theirs, "Gu Li's fan")
        expectFound(Product, yield* repo.findProduct(junxin, fan.id), fan, "Junxin's fan")
      })
    )

    it.effect("updateProduct replaces the product one version at a time, and refuses stale or missing ones", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const pad = makeProduct(junxin, candyGoods.mousePad)
        yield* repo.insertProduct(pad)
        // version 1 again (expects 0 stored) and version 3 (expects 2) are stale
        expectConflict(yield* Effect.flip(repo.updateProduct({ ...pad, unitPrice: 1_500 })), "stale_version")
        expectConflict(
          yield* Effect.flip(repo.updateProduct({ ...pad, unitPrice: 1_500, version: 3 })),
          "stale_version"
        )
        expectFound(Product, yield* repo.findProduct(junxin, pad.id), pad, "mouse pad")
        const cheaper = { ...pad, name: "幸运君鼠标垫（特价）", unitPrice: 1_500, active: false, version: 2 }
        yield* repo.updateProduct(cheaper)
        expectFound(Product, yield* repo.findProduct(junxin, pad.id), cheaper, "mouse pad at version 2")
        expectConflict(yield* Effect.flip(repo.updateProduct({ ...cheaper, unitPrice: 1_200 })), "stale_version")
        // a product that does not exist has no version to follow
        expectConflict(yield* Effect.flip(repo.updateProduct(makeProduct(junxin, { version: 2 }))), "stale_version")
        // nor does this one in another community
        expectConflict(
          yield* Effect.flip(repo.updateProduct({ ...cheaper, communityId: guli, unitPrice: 1, version: 3 })),
          "stale_version"
        )
        expectNone(yield* repo.findProduct(guli, pad.id), "Junxin's product from Gu Li")
        expectFound(Product, yield* repo.findProduct(junxin, pad.id), cheaper, "mouse pad at version 2")
      })
    )

    it.effect("listProducts pages by id: ascending, after the cursor, at most limit", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const products = [
          makeProduct(junxin, candyGoods.umbrella),
          makeProduct(junxin, candyGoods.fan),
          makeProduct(junxin, candyGoods.mousePad),
          makeProduct(junxin, candyGoods.blindBoxStand),
          makeProduct(junxin, { sku: "KITE-01", name: "幸运君风筝", unitPrice: 4_500 })
        ]
        // inserted out of id order, with a product of another community in between
        for (const p of [products[3]!, products[0]!, products[4]!, products[2]!, products[1]!]) {
          yield* repo.insertProduct(p)
        }
        yield* repo.insertProduct(makeProduct(guli))
        const ids = sortedIds(products.map((p) => p.id))
        const listed = yield* repo.listProducts(junxin, all)
        expect(listed.map((p) => p.id)).toEqual(ids)
        for (const p of listed) expect(p).toEqual(products.find((q) => q.id === p.id))
        const first = yield* repo.listProducts(junxin, { after: undefined, limit: 2 })
        expect(first.map((p) => p.id)).toEqual(ids.slice(0, 2))
        const second = yield* repo.listProducts(junxin, { after: first[1]!.id, limit: 2 })
        expect(second.map((p) => p.id)).toEqual(ids.slice(2, 4))
        const third = yield* repo.listProducts(junxin, { after: second[1]!.id, limit: 2 })
        expect(third.map((p) => p.id)).toEqual(ids.slice(4))
        expect(yield* repo.listProducts(junxin, { after: third[0]!.id, limit: 2 })).toEqual([])
      })
    )
  })

  describe("FundRepo sub-funds", () => {
    it.effect("sub-funds round trip, refuse an existing code, and stay in their community", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const aid = makeSubFund(junxin)
        yield* repo.insertSubFund(aid)
        expectFound(SubFund, yield* repo.findSubFund(junxin, "family-aid"), aid, "sub-fund")
        expectNone(yield* repo.findSubFund(junxin, "kite-workshop"), "an unknown sub-fund")
        expectNone(yield* repo.findSubFund(guli, "family-aid"), "Junxin's sub-fund from Gu Li")
        expect(yield* repo.listSubFunds(guli)).toEqual([])
        expectConflict(
          yield* Effect.flip(repo.insertSubFund(makeSubFund(junxin, { name: "另一个帮扶基金" }))),
          "duplicate"
        )
        expectFound(SubFund, yield* repo.findSubFund(junxin, "family-aid"), aid, "sub-fund")
        // Gu Li may use the same code
        const theirs = makeSubFund(guli, { name: "顾里小站互助基金", purpose: "邻里互助 / neighbour mutual aid" })
        yield* repo.insertSubFund(theirs)
        expectFound(SubFund, yield* repo.findSubFund(guli, "family-aid"), theirs, "Gu Li's sub-fund")
        expect(yield* repo.listSubFunds(junxin)).toEqual([aid])
      })
    )

    it.effect(
      "listSubFunds lists every sub-fund of the community in code order (by code unit: '-' < digits < letters)",
      () =>
        Effect.gen(function* () {
          const repo = yield* FundRepo
          const junxin = yield* freshCommunity
          const guli = yield* freshCommunity
          const codes = ["kite-workshop", "family2", "elderly-meals", "family-aid", "familyaid", "1-children"]
          for (const code of codes) yield* repo.insertSubFund(makeSubFund(junxin, { code, name: `专项 ${code}` }))
          yield* repo.insertSubFund(makeSubFund(guli, { code: "aaa" }))
          const listed = yield* repo.listSubFunds(junxin)
          expect(listed.map((s) => s.code)).toEqual([
            "1-children",
            "elderly-meals",
            "family-aid",
            "family2",
            "familyaid",
            "kite-workshop"
          ])
          expect(listed.every((s) => s.communityId === junxin)).toBe(true)
        })
    )
  })

  describe("FundRepo entries", () => {
    it.effect(
      "entries round trip, with and without their optional parts, and are invisible from another community",
      () =>
        Effect.gen(function* () {
          const repo = yield* FundRepo
          const junxin = yield* freshCommunity
          const guli = yield* freshCommunity
          const umbrella = makeProduct(junxin)
          yield* repo.insertProduct(umbrella)
          yield* repo.insertSubFund(makeSubFund(junxin))
          const sale = makeSale(umbrella, 3)
          const anonymous = makeEntry(junxin, { counterparty: null, note: "匿名捐款 / anonymous gift", amount: 5_000 })
          const earmark = makeEntry(junxin, {
            kind: "earmark",
            amount: 100_000,
            subFund: "family-aid",
            counterparty: null,
            note: "划入困难家庭帮扶专项"
          })
          const design = makeEntry(junxin, {
            kind: "design_fee",
            amount: 30_000,
            productId: umbrella.id,
            counterparty: "宁波某设计工作室",
            note: "折叠伞图案设计费"
          })
          for (const e of [sale, anonymous, earmark, design]) yield* repo.insertEntry(e)
          expectFound(FundEntry, yield* repo.findEntry(junxin, sale.id), sale, "sale")
          expectFound(FundEntry, yield* repo.findEntry(junxin, anonymous.id), anonymous, "anonymous donation")
          expectFound(FundEntry, yield* repo.findEntry(junxin, earmark.id), earmark, "earmark")
          expectFound(FundEntry, yield* repo.findEntry(junxin, design.id), design, "design fee")
          expectNone(yield* repo.findEntry(junxin, freshEntryId()), "an unknown entry")
          expectNone(yield* repo.findEntry(guli, sale.id), "Junxin's entry from Gu Li")
          expect(yield* repo.listEntries({ communityId: guli }, all)).toEqual([])
        })
    )

    it.effect("insertEntry refuses an existing id and keeps the first", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const gift = makeEntry(junxin)
        yield* repo.insertEntry(gift)
        expectConflict(
          yield* Effect.flip(repo.insertEntry({ ...gift, amount: 1, occurredAt: daysLater(1), note: "重复提交" })),
          "duplicate"
        )
        expectFound(FundEntry, yield* repo.findEntry(junxin, gift.id), gift, "donation")
        expect(yield* entryIds({ communityId: junxin })).toEqual([gift.id])
      })
    )

    it.effect("listEntries orders by (occurredAt, id), filters by [from, to) and kind, and pages by entryKey", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const fan = makeProduct(junxin, candyGoods.fan)
        yield* repo.insertProduct(fan)
        const day = (n: number) => daysLater(n)
        const entries = [
          makeSale(fan, 4, { occurredAt: day(0) }),
          makeSale(fan, 2, { occurredAt: day(1) }),
          makeEntry(junxin, { occurredAt: day(1) }), // the same instant as the sale before: ordered by id
          makeEntry(junxin, { occurredAt: day(1) }),
          makeEntry(junxin, { kind: "production_cost", amount: 20_000, productId: fan.id, occurredAt: day(2) }),
          makeSale(fan, 1, { occurredAt: day(3) }),
          makeEntry(junxin, { kind: "proceeds", amount: 12_000, counterparty: null, occurredAt: day(3) + 1 }),
          makeEntry(junxin, { kind: "cost", amount: 800, note: "打印公示", occurredAt: day(5) })
        ]
        // inserted in no particular order, with another community's entry at the same times
        for (const i of [5, 2, 7, 0, 3, 6, 1, 4]) yield* repo.insertEntry(entries[i]!)
        yield* repo.insertEntry(makeEntry(guli, { occurredAt: day(1) }))
        const ordered = [...entries].sort((a, b) =>
          entryKey(a) < entryKey(b) ? -1 : entryKey(a) > entryKey(b) ? 1 : 0
        )
        expect(ordered.map((e) => e.occurredAt)).toEqual([...entries.map((e) => e.occurredAt)].sort((a, b) => a - b))
        const ids = (es: ReadonlyArray<{ readonly id: string }>) => es.map((e) => e.id)

        const listed = yield* repo.listEntries({ communityId: junxin }, all)
        expect(listed).toEqual(ordered)
        // from is inclusive, to exclusive
        expect(yield* entryIds({ communityId: junxin, from: day(1), to: day(3) })).toEqual(
          ids(ordered.filter((e) => e.occurredAt >= day(1) && e.occurredAt < day(3)))
        )
        expect(yield* entryIds({ communityId: junxin, from: day(3) })).toEqual(
          ids(ordered.filter((e) => e.occurredAt >= day(3)))
        )
        expect(yield* entryIds({ communityId: junxin, to: day(1) })).toEqual(
          ids(ordered.filter((e) => e.occurredAt < day(1)))
        )
        expect(yield* entryIds({ communityId: junxin, from: day(3), to: day(3) })).toEqual([])
        // by kind, alone and with the times
        expect(yield* entryIds({ communityId: junxin, kind: "sale" })).toEqual(
          ids(ordered.filter((e) => e.kind === "sale"))
        )
        expect(yield* entryIds({ communityId: junxin, kind: "sale", from: day(1), to: day(4) })).toEqual(
          ids(ordered.filter((e) => e.kind === "sale" && e.occurredAt >= day(1) && e.occurredAt < day(4)))
        )
        expect(yield* entryIds({ communityId: junxin, kind: "other_income" })).toEqual([])
        // pages of 3 by cursor, across the tie at day 1, walk the whole list once
        const walked: Array<string> = []
        let after: string | undefined
        for (let page = 0; page < 10; page++) {
          const found = yield* repo.listEntries({ communityId: junxin }, { after, limit: 3 })
          expect(found.length).toBeLessThanOrEqual(3)
          if (found.length === 0) break
          walked.push(...ids(found))
          after = entryKey(found[found.length - 1]!)
        }
        expect(walked).toEqual(ids(ordered))
        // a cursor in the middle of the tie continues after that entry, in id order
        const tied = ordered.filter((e) => e.occurredAt === day(1))
        expect(tied).toHaveLength(3)
        expect(
          yield* entryIds({ communityId: junxin, from: day(1), to: day(2) }, { after: entryKey(tied[0]!), limit: 10 })
        ).toEqual(ids(tied.slice(1)))
        // a cursor and a kind together
        const sales = ordered.filter((e) => e.kind === "sale")
        expect(
          yield* entryIds({ communityId: junxin, kind: "sale" }, { after: entryKey(sales[0]!), limit: 1 })
        ).toEqual([sales[1]!.id])
        // a cursor at the last entry ends the list
        expect(
          yield* entryIds({ communityId: junxin }, { after: entryKey(ordered[ordered.length - 1]!), limit: 100 })
        ).toEqual([])
      })
    )
  })

  describe("FundRepo rounds", () => {
    it.effect("rounds round trip in every state of their life, and are invisible from another community", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        yield* repo.insertSubFund(makeSubFund(junxin))
        const draft = makeRound(junxin)
        const empty = makeRound(junxin, { title: "空白草稿", candidates: [], reserveBasisPoints: 0, pool: 0 })
        const earmarked = makeRound(junxin, {
          subFund: "family-aid",
          candidates: [familyCandidate("family-3", "李家（住院）", 250_000, 5)]
        })
        yield* repo.insertRound(draft)
        yield* repo.insertRound(empty)
        yield* repo.insertRound(earmarked)
        expectFound(AllocationRound, yield* repo.findRound(junxin, draft.id), draft, "draft round")
        expectFound(AllocationRound, yield* repo.findRound(junxin, empty.id), empty, "empty draft")
        expectFound(AllocationRound, yield* repo.findRound(junxin, earmarked.id), earmarked, "earmarked round")
        // a round with every field set, stored as it moves on
        const scheduled = scheduledRound(draft)
        expect(scheduled.outcome).not.toBeNull()
        expect(scheduled.holds.length).toBeGreaterThan(0)
        yield* repo.updateRound({ ...scheduled, version: 2 })
        expectFound(AllocationRound, yield* repo.findRound(junxin, draft.id), { ...scheduled, version: 2 }, "scheduled")
        const paid = {
          ...scheduled,
          version: 3,
          status: "paid" as const,
          holds: scheduled.holds.map((h) => ({ ...h, status: "posted" as const })),
          updatedAt: daysLater(10)
        }
        yield* repo.updateRound(paid)
        expectFound(AllocationRound, yield* repo.findRound(junxin, draft.id), paid, "paid round")
        // a cancelled round keeps its outcome and voided holds, and says why
        const cancelled = {
          ...scheduledRound(earmarked),
          version: 2,
          status: "cancelled" as const,
          holds: scheduledRound(earmarked).holds.map((h) => ({ ...h, status: "voided" as const })),
          closingNote: "家庭情况好转，撤回申请 / the family withdrew"
        }
        yield* repo.updateRound(cancelled)
        expectFound(AllocationRound, yield* repo.findRound(junxin, earmarked.id), cancelled, "cancelled round")
        // none of it from Gu Li
        expectNone(yield* repo.findRound(guli, draft.id), "Junxin's round from Gu Li")
        expectNone(yield* repo.findRound(junxin, freshRoundId()), "an unknown round")
        expect(yield* repo.listRounds({ communityId: guli }, all)).toEqual([])
      })
    )

    it.effect("insertRound refuses an existing id and keeps the first", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const round = makeRound(junxin)
        yield* repo.insertRound(round)
        expectConflict(
          yield* Effect.flip(repo.insertRound({ ...round, title: "重复的草稿", candidates: [] })),
          "duplicate"
        )
        expectFound(AllocationRound, yield* repo.findRound(junxin, round.id), round, "round")
        expect(yield* roundIds({ communityId: junxin })).toEqual([round.id])
      })
    )

    it.effect("updateRound replaces a round one version at a time, and refuses stale, missing and foreign ones", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const round = makeRound(junxin)
        yield* repo.insertRound(round)
        expectConflict(yield* Effect.flip(repo.updateRound({ ...round, title: "改标题" })), "stale_version")
        expectConflict(yield* Effect.flip(repo.updateRound({ ...round, version: 3 })), "stale_version")
        const submitted = {
          ...round,
          version: 2,
          status: "submitted" as const,
          outcome: scheduledRound(round).outcome,
          requiredApprovals: 2,
          updatedAt: daysLater(1)
        }
        yield* repo.updateRound(submitted)
        expectFound(AllocationRound, yield* repo.findRound(junxin, round.id), submitted, "submitted round")
        expectConflict(yield* Effect.flip(repo.updateRound({ ...submitted, status: "cancelled" })), "stale_version")
        expectConflict(yield* Effect.flip(repo.updateRound(makeRound(junxin, { version: 2 }))), "stale_version")
        expectConflict(
          yield* Effect.flip(repo.updateRound({ ...submitted, communityId: guli, status: "notice", version: 3 })),
          "stale_version"
        )
        expectNone(yield* repo.findRound(guli, round.id), "Junxin's round from Gu Li")
        expectFound(AllocationRound, yield* repo.findRound(junxin, round.id), submitted, "submitted round")
      })
    )

    it.effect("lockRound checks the stored version, in the round's own community", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const round = makeRound(junxin)
        yield* repo.insertRound(round)
        yield* repo.updateRound({ ...round, version: 2, title: "2026年秋季公益金分配（修订）" })
        // at the stored version it holds, and the transaction may go on to update the round
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* repo.lockRound(junxin, round.id, 2)
            yield* repo.updateRound({ ...round, version: 3, status: "submitted" })
          })
        )
        const lock = (communityId: CommunityId, id: typeof round.id, version: number) =>
          Effect.flip(tx.withTransaction(repo.lockRound(communityId, id, version)))
        expectConflict(yield* lock(junxin, round.id, 2), "stale_version")
        expectConflict(yield* lock(junxin, round.id, 4), "stale_version")
        expectConflict(yield* lock(junxin, freshRoundId(), 1), "stale_version")
        expectConflict(yield* lock(guli, round.id, 3), "stale_version")
        yield* tx.withTransaction(repo.lockRound(junxin, round.id, 3))
        expect(Option.map(yield* repo.findRound(junxin, round.id), (r) => [r.version, r.status])).toEqual(
          Option.some([3, "submitted"])
        )
      })
    )

    it.effect("listRounds lists newest first (id descending), pages with ids below the cursor, and filters", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const guli = yield* freshCommunity
        const zhouHousehold = freshHouseholdId()
        const huangHousehold = freshHouseholdId()
        const zhou = (key: string) => familyCandidate(key, "周家（随迁老人看病交通）", 200_000, 3, zhouHousehold)
        const huang = (key: string) => familyCandidate(key, "黄家（孩子助学）", 150_000, 2, huangHousehold)
        const kites = projectCandidate("kite-workshop", "儿童风筝制作活动", 150_000, 1)
        const rounds = [
          makeRound(junxin, { title: "春季分配", candidates: [zhou("zhou"), kites] }),
          makeRound(junxin, { title: "夏季分配", status: "notice", candidates: [huang("huang"), kites] }),
          makeRound(junxin, { title: "秋季分配", status: "notice", candidates: [zhou("zhou"), huang("huang")] }),
          makeRound(junxin, { title: "冬季分配", status: "paid", candidates: [kites] }),
          makeRound(junxin, { title: "临时救助", status: "cancelled", candidates: [zhou("zhou-again")] })
        ]
        for (const i of [2, 0, 4, 1, 3]) yield* repo.insertRound(rounds[i]!)
        // another community's round with Zhou's household: never listed for Junxin
        yield* repo.insertRound(makeRound(guli, { status: "notice", candidates: [zhou("zhou")] }))
        const newestFirst = descending(rounds.map((r) => r.id))
        const base = { communityId: junxin }

        const listed = yield* repo.listRounds(base, all)
        expect(listed.map((r) => r.id)).toEqual(newestFirst)
        for (const r of listed) expect(r).toEqual(rounds.find((q) => q.id === r.id))
        // pages of 2: after means "id below"
        const first = yield* roundIds(base, { after: undefined, limit: 2 })
        expect(first).toEqual(newestFirst.slice(0, 2))
        const second = yield* roundIds(base, { after: first[1]!, limit: 2 })
        expect(second).toEqual(newestFirst.slice(2, 4))
        const third = yield* roundIds(base, { after: second[1]!, limit: 2 })
        expect(third).toEqual(newestFirst.slice(4))
        expect(yield* roundIds(base, { after: third[0]!, limit: 2 })).toEqual([])
        // a cursor above every id starts at the newest; one at the newest skips it
        expect(yield* roundIds(base, { after: "ffffffff-ffff-7fff-bfff-ffffffffffff", limit: 10 })).toEqual(newestFirst)
        expect(yield* roundIds(base, { after: newestFirst[0]!, limit: 10 })).toEqual(newestFirst.slice(1))

        const idsWhere = (keep: (r: (typeof rounds)[number]) => boolean) =>
          descending(rounds.filter(keep).map((r) => r.id))
        // by status
        expect(yield* roundIds({ ...base, status: "notice" })).toEqual(idsWhere((r) => r.status === "notice"))
        expect(yield* roundIds({ ...base, status: "draft" })).toEqual(idsWhere((r) => r.status === "draft"))
        expect(yield* roundIds({ ...base, status: "approved" })).toEqual([])
        // by household: rounds with a candidate of that household
        const hasHousehold = (h: string) => (r: (typeof rounds)[number]) =>
          r.candidates.some((c) => c.householdId === h)
        const ofZhou = idsWhere(hasHousehold(zhouHousehold))
        expect(ofZhou).toHaveLength(3)
        expect(yield* roundIds({ ...base, householdId: zhouHousehold })).toEqual(ofZhou)
        expect(yield* roundIds({ ...base, householdId: huangHousehold })).toEqual(
          idsWhere(hasHousehold(huangHousehold))
        )
        expect(yield* roundIds({ ...base, householdId: freshHouseholdId() })).toEqual([])
        // both filters, and paging within them
        expect(yield* roundIds({ ...base, status: "notice", householdId: zhouHousehold })).toEqual(
          idsWhere((r) => r.status === "notice" && hasHousehold(zhouHousehold)(r))
        )
        const zhouFirst = yield* roundIds({ ...base, householdId: zhouHousehold }, { after: undefined, limit: 1 })
        expect(zhouFirst).toEqual(ofZhou.slice(0, 1))
        expect(yield* roundIds({ ...base, householdId: zhouHousehold }, { after: zhouFirst[0]!, limit: 5 })).toEqual(
          ofZhou.slice(1)
        )
        // a household listed in two candidates of one round lists the round once
        const twice = makeRound(junxin, { candidates: [zhou("zhou-a"), zhou("zhou-b")] })
        yield* repo.insertRound(twice)
        expect(yield* roundIds({ ...base, householdId: zhouHousehold })).toEqual(descending([...ofZhou, twice.id]))
      })
    )

    it.effect("listRounds sees a round's household and status as last updated", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const junxin = yield* freshCommunity
        const household = freshHouseholdId()
        const round = makeRound(junxin, {
          candidates: [projectCandidate("kite-workshop", "儿童风筝制作活动", 150_000, 1)]
        })
        yield* repo.insertRound(round)
        expect(yield* roundIds({ communityId: junxin, householdId: household })).toEqual([])
        const revised = {
          ...round,
          version: 2,
          candidates: [familyCandidate("family-1", "陈家", 100_000, 2, household)],
          status: "submitted" as const
        }
        yield* repo.updateRound(revised)
        expect(yield* roundIds({ communityId: junxin, householdId: household })).toEqual([round.id])
        expect(yield* roundIds({ communityId: junxin, status: "draft" })).toEqual([])
        expect(yield* roundIds({ communityId: junxin, status: "submitted" })).toEqual([round.id])
        yield* repo.updateRound({ ...revised, version: 3, candidates: [] })
        expect(yield* roundIds({ communityId: junxin, householdId: household })).toEqual([])
      })
    )
  })

  describe("FundRepo in transactions", () => {
    it.effect("a failed transaction leaves no trace of any fund write", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const settings = makeSettings(junxin)
        const umbrella = makeProduct(junxin)
        const round = makeRound(junxin)
        yield* repo.putSettings(settings)
        yield* repo.insertProduct(umbrella)
        yield* repo.insertRound(round)
        const fan = makeProduct(junxin, candyGoods.fan)
        const subFund = makeSubFund(junxin)
        const sale = makeSale(umbrella, 2)
        const another = makeRound(junxin, { title: "回滚的草稿" })
        const boom = new Boom({ step: "after every fund write" })
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* repo.putSettings({ ...settings, noticeDays: 30, version: 2 })
              yield* repo.insertProduct(fan)
              yield* repo.updateProduct({ ...umbrella, unitPrice: 5_800, version: 2 })
              yield* repo.insertSubFund(subFund)
              yield* repo.insertEntry(sale)
              yield* repo.insertRound(another)
              yield* repo.lockRound(junxin, round.id, 1)
              yield* repo.updateRound({ ...round, version: 2, status: "submitted" })
              // the transaction sees its own writes
              expectFound(Product, yield* repo.findProduct(junxin, fan.id), fan, "fan inside the transaction")
              expect(yield* entryIds({ communityId: junxin })).toEqual([sale.id])
              return yield* Effect.fail(boom)
            })
          )
        )
        expect(error).toBe(boom)
        expectFound(FundSettings, yield* repo.settings(junxin), settings, "settings")
        expectNone(yield* repo.findProduct(junxin, fan.id), "the rolled-back product")
        expectFound(Product, yield* repo.findProduct(junxin, umbrella.id), umbrella, "umbrella")
        expect((yield* repo.listProducts(junxin, all)).map((p) => p.id)).toEqual([umbrella.id])
        expectNone(yield* repo.findSubFund(junxin, subFund.code), "the rolled-back sub-fund")
        expect(yield* repo.listSubFunds(junxin)).toEqual([])
        expectNone(yield* repo.findEntry(junxin, sale.id), "the rolled-back entry")
        expect(yield* repo.listEntries({ communityId: junxin }, all)).toEqual([])
        expectNone(yield* repo.findRound(junxin, another.id), "the rolled-back round")
        expectFound(AllocationRound, yield* repo.findRound(junxin, round.id), round, "round")
        expect(yield* roundIds({ communityId: junxin })).toEqual([round.id])
        // and the same writes go through afterwards: nothing of the failed attempt is in the way
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* repo.insertProduct(fan)
            yield* repo.insertSubFund(subFund)
            yield* repo.insertEntry(sale)
            yield* repo.insertRound(another)
            yield* repo.updateRound({ ...round, version: 2, status: "submitted" })
          })
        )
        expectFound(Product, yield* repo.findProduct(junxin, fan.id), fan, "fan")
        expectFound(FundEntry, yield* repo.findEntry(junxin, sale.id), sale, "sale")
        expect(yield* roundIds({ communityId: junxin })).toEqual(descending([round.id, another.id]))
      })
    )

    it.effect("two approvers signing the same round at once: exactly one wins, the other is stale", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const round = makeRound(junxin, { status: "notice", noticeStartsAt: daysLater(1), noticeEndsAt: daysLater(6) })
        yield* repo.insertRound(round)
        const signed = ["council:张主任", "treasurer:陈静"].map((by) => ({
          ...round,
          version: 2,
          signOffs: [{ by, decision: "approve" as const, note: "同意 / approved", at: daysLater(7) }],
          updatedAt: daysLater(7)
        }))
        const results = yield* Effect.all(
          signed.map((next) =>
            Effect.result(
              tx.withTransaction(
                Effect.gen(function* () {
                  yield* repo.lockRound(junxin, round.id, 1)
                  yield* Effect.yieldNow
                  yield* repo.updateRound(next)
                })
              )
            )
          ),
          { concurrency: "unbounded" }
        )
        const winners = results.flatMap((r, i) => (Result.isSuccess(r) ? [signed[i]!] : []))
        const losers = results.flatMap((r) => (Result.isFailure(r) ? [r.failure] : []))
        expect(winners).toHaveLength(1)
        expect(losers).toHaveLength(1)
        expectConflict(losers[0], "stale_version")
        expectFound(AllocationRound, yield* repo.findRound(junxin, round.id), winners[0]!, "the winner's round")
      })
    )

    it.effect("two products inserted at once under one SKU: exactly one is kept, the other is refused", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const fans = [
          makeProduct(junxin, candyGoods.fan),
          makeProduct(junxin, { ...candyGoods.fan, name: "幸运君风扇" })
        ]
        const results = yield* Effect.all(
          fans.map((fan) =>
            Effect.result(tx.withTransaction(Effect.andThen(Effect.yieldNow, repo.insertProduct(fan))))
          ),
          { concurrency: "unbounded" }
        )
        const kept = results.flatMap((r, i) => (Result.isSuccess(r) ? [fans[i]!] : []))
        const refused = results.flatMap((r) => (Result.isFailure(r) ? [r.failure] : []))
        expect(kept).toHaveLength(1)
        expect(refused).toHaveLength(1)
        expect(refused[0]).toBeInstanceOf(Conflict)
        expect(yield* repo.listProducts(junxin, all)).toEqual(kept)
      })
    )

    it.effect("a refused write inside a transaction fails it and keeps nothing of it", () =>
      Effect.gen(function* () {
        const repo = yield* FundRepo
        const tx = yield* Transactor
        const junxin = yield* freshCommunity
        const fan = makeProduct(junxin, candyGoods.fan)
        yield* repo.insertProduct(fan)
        const pad = makeProduct(junxin, candyGoods.mousePad)
        const gift = makeEntry(junxin, { occurredAt: fundT0 })
        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* repo.insertProduct(pad)
              yield* repo.insertEntry(gift)
              // a second fan under the same SKU
              yield* repo.insertProduct(makeProduct(junxin, candyGoods.fan))
            })
          )
        )
        expectConflict(error, "duplicate")
        expectNone(yield* repo.findProduct(junxin, pad.id), "the rolled-back product")
        expectNone(yield* repo.findEntry(junxin, gift.id), "the rolled-back entry")
        expect((yield* repo.listProducts(junxin, all)).map((p) => p.id)).toEqual([fan.id])
      })
    )
  })
}
