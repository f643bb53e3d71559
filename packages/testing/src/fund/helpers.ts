/**
 * Shared pieces of the fund suites: the ports they run on, fresh ids, and builders of valid fund
 * records from Junxin community (君馨社区): Candy Commune's (糖果公社) mascot goods of 幸运君, its
 * sales and costs, donations from co-building partners, earmarked sub-funds, and allocation rounds
 * that share the public-welfare fund (公益基金) among community projects and families in difficulty.
 *
 * Every builder returns a schema-valid record with fresh random ids, placed in the community it
 * is given, so a test only spells out the fields it is about.
 *
 * @module
 */
import { expect } from "@effect/vitest"
import {
  Allocation,
  defaultSettings,
  HouseholdId,
  ObjectionId,
  ProductId,
  ResidentId,
  RoundId,
  TransferId
} from "@commonweal/core"
import type {
  AllocationRound,
  CommunitiesStorage,
  CommunityId,
  FundEntry,
  FundSettings,
  FundStorage,
  KernelStorage,
  ResidentsStorage,
  LedgerStorage,
  Product,
  RoundCandidate,
  SubFund
} from "@commonweal/core"
import { Option, Result, Schema } from "effect"
import { randomUuid7 } from "../builders.js"

/**
 * The ports the fund suites run on: the kernel's, the communities' (fund records belong to a
 * provisioned community), the residents' (a family candidate is a resident, and its household
 * decides who steps aside), the ledger's (the fund's money moves through it) and the fund's own.
 */
export type FundContractPorts = KernelStorage | CommunitiesStorage | ResidentsStorage | LedgerStorage | FundStorage

/** A fresh random product id. */
export const freshProductId = (): ProductId => ProductId.make(randomUuid7())
/** A fresh random round id. */
export const freshRoundId = (): RoundId => RoundId.make(randomUuid7())
/** A fresh random objection id. */
export const freshObjectionId = (): ObjectionId => ObjectionId.make(randomUuid7())
/** A fresh random entry id (an entry shares its id with the ledger transfer that moved the money). */
export const freshEntryId = (): TransferId => TransferId.make(randomUuid7())
/** A fresh random household id. */
export const freshHouseholdId = (): HouseholdId => HouseholdId.make(randomUuid7())

/** 2026-08-20 10:00 in Shanghai (UTC epoch ms): Candy Commune's eleventh activity, ten days after it registered. */
export const fundT0 = Date.UTC(2026, 7, 20, 2, 0, 0)

/** {@link fundT0} plus whole days. */
export const daysLater = (days: number): number => fundT0 + days * 86_400_000

/**
 * A community's own fund settings at version 1 (the defaults are version 0): 5 days of public
 * notice (公示); 1 approver, 2 from ¥3,000, 3 from ¥30,000.
 */
export const makeSettings = (communityId: CommunityId, overrides: Partial<FundSettings> = {}): FundSettings => ({
  ...defaultSettings(communityId),
  noticeDays: 5,
  signOff: [
    { fromFen: 0, approvals: 1 },
    { fromFen: 300_000, approvals: 2 },
    { fromFen: 3_000_000, approvals: 3 }
  ],
  version: 1,
  ...overrides
})

/** Candy Commune's mascot goods of 幸运君 (designed by the community's children): SKU, name and list price in fen. */
export const candyGoods = {
  umbrella: { sku: "UMB-01", name: "幸运君折叠伞", unitPrice: 6_800 },
  fan: { sku: "FAN-01", name: "幸运君手持风扇", unitPrice: 2_500 },
  mousePad: { sku: "PAD-01", name: "幸运君鼠标垫", unitPrice: 1_800 },
  blindBoxStand: { sku: "BOX-STAND", name: "幸运君盲盒展示架（儿童设计）", unitPrice: 3_900 }
} as const

/** A product of Candy Commune at version 1, by default the folding umbrella (幸运君折叠伞, UMB-01, ¥68). */
export const makeProduct = (communityId: CommunityId, overrides: Partial<Product> = {}): Product => ({
  id: freshProductId(),
  communityId,
  ...candyGoods.umbrella,
  active: true,
  version: 1,
  createdAt: Date.UTC(2026, 7, 10, 1, 30, 0),
  ...overrides
})

/** A sub-fund (专项基金), by default the one for families in difficulty (困难家庭帮扶). */
export const makeSubFund = (communityId: CommunityId, overrides: Partial<SubFund> = {}): SubFund => ({
  communityId,
  code: "family-aid",
  name: "困难家庭帮扶专项",
  purpose: "帮助社区困难家庭：医疗、助学和临时生活救助 / Help for families in difficulty",
  createdAt: Date.UTC(2026, 7, 12, 6, 0, 0),
  ...overrides
})

/**
 * A money entry with a fresh id, by default a donation from a co-building partner (共建单位):
 * ¥2,000 to the general fund from the bank branch, recorded by the fund treasurer. Override
 * `kind`, `productId`, `quantity` … for a sale or a cost.
 */
export const makeEntry = (communityId: CommunityId, overrides: Partial<FundEntry> = {}): FundEntry => ({
  id: freshEntryId(),
  communityId,
  kind: "donation",
  amount: 200_000,
  productId: null,
  quantity: null,
  subFund: null,
  counterparty: "宁波银行高桥支行（共建单位）",
  note: "共建单位捐赠 / donation from a co-building partner",
  occurredAt: fundT0,
  recordedBy: "treasurer:陈静",
  ...overrides
})

/** A sale of `quantity` pieces of `product` at its list price, recorded by Candy Commune's volunteer. */
export const makeSale = (product: Product, quantity: number, overrides: Partial<FundEntry> = {}): FundEntry =>
  makeEntry(product.communityId, {
    kind: "sale",
    amount: product.unitPrice * quantity,
    productId: product.id,
    quantity,
    counterparty: null,
    note: `邻里集市义卖 ${product.name} ×${quantity}`,
    recordedBy: "candy-commune:刘英",
    ...overrides
  })

/** A family candidate: the applicant and their household, with a need weight, asking `request` fen. */
export const familyCandidate = (
  key: string,
  label: string,
  request: number,
  weight: number,
  householdId: HouseholdId = freshHouseholdId()
): RoundCandidate => ({
  key,
  kind: "family",
  label,
  residentId: ResidentId.make(randomUuid7()),
  householdId,
  request,
  weight,
  tier: 1,
  minimum: 50_000,
  cap: 300_000
})

/** A community project candidate (no resident, no household). */
export const projectCandidate = (key: string, label: string, request: number, weight: number): RoundCandidate => ({
  key,
  kind: "project",
  label,
  residentId: null,
  householdId: null,
  request,
  weight,
  tier: 2,
  minimum: null,
  cap: null
})

/**
 * A round in draft at version 1, by default the autumn round of 2026: ¥8,000 from the general
 * fund, 10 % kept back, two families in difficulty (tier 1) and a kite-making workshop for the
 * children (tier 2). Nothing decided yet: no outcome, notice, objections, sign-offs or holds.
 */
export const makeRound = (communityId: CommunityId, overrides: Partial<AllocationRound> = {}): AllocationRound => ({
  id: freshRoundId(),
  communityId,
  version: 1,
  status: "draft",
  title: "2026年秋季公益金分配",
  purpose: "糖果公社义卖收益：帮扶困难家庭，支持儿童风筝制作活动 / Candy Commune proceeds for families and children",
  pool: 800_000,
  reserveBasisPoints: 1_000,
  subFund: null,
  candidates: [
    familyCandidate("family-1", "周家（随迁老人看病交通）", 300_000, 3),
    familyCandidate("family-2", "黄家（孩子助学）", 200_000, 2),
    projectCandidate("kite-workshop", "儿童风筝制作活动", 150_000, 1)
  ],
  outcome: null,
  requiredApprovals: null,
  authoredBy: "social-worker:王丽",
  noticeStartsAt: null,
  noticeEndsAt: null,
  objections: [],
  signOffs: [],
  holds: [],
  scheduledFor: null,
  closingNote: null,
  createdAt: fundT0,
  updatedAt: fundT0,
  ...overrides
})

/** The allocator's outcome for a round's pool, reserve and candidates (what submitting freezes). */
export const outcomeOf = (round: AllocationRound): Allocation.Outcome =>
  Result.getOrThrow(
    Allocation.allocate({
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
  )

/**
 * `round` carried through its whole life up to `scheduled`, every field set: the frozen outcome,
 * 2 approvals required, a 5-day public notice with one answered and one open objection, two
 * sign-offs, and one pending hold per candidate that got money (at version `round.version + 4`).
 */
export const scheduledRound = (round: AllocationRound): AllocationRound => {
  const outcome = outcomeOf(round)
  return {
    ...round,
    version: round.version + 4,
    status: "scheduled",
    outcome,
    requiredApprovals: 2,
    noticeStartsAt: daysLater(1),
    noticeEndsAt: daysLater(6),
    objections: [
      {
        id: freshObjectionId(),
        by: ResidentId.make(randomUuid7()),
        text: "风筝活动能否多给些名额？ / Could the kite workshop take more children?",
        at: daysLater(2),
        answer: {
          text: "名额按场地定，下次轮换 / places follow the room size; next time others go first",
          by: "social-worker:王丽",
          at: daysLater(3)
        }
      },
      {
        id: freshObjectionId(),
        by: ResidentId.make(randomUuid7()),
        text: "希望公示时间长一点 / please make the notice longer",
        at: daysLater(4),
        answer: null
      }
    ],
    signOffs: [
      { by: "council:张主任", decision: "approve", note: "同意 / approved", at: daysLater(7) },
      { by: "treasurer:陈静", decision: "approve", note: "账目核对无误", at: daysLater(7) + 3_600_000 }
    ],
    holds: outcome.shares
      .filter((s) => s.amount > 0)
      .map((s) => ({ key: s.id, amount: s.amount, transferId: freshEntryId(), status: "pending" as const })),
    scheduledFor: daysLater(10),
    updatedAt: daysLater(8)
  }
}

/**
 * Asserts that `actual` holds a record equal to `expected`: found, valid under `schema` (decoding
 * it succeeds, so the adapter returned a real record of the schema and no look-alike) and equal
 * in every field.
 */
export const expectFound = <A>(
  schema: Schema.ConstraintDecoder<A>,
  actual: Option.Option<A>,
  expected: A,
  what = "record"
): void => {
  expect(Option.isSome(actual), `${what} should be found`).toBe(true)
  if (Option.isSome(actual)) {
    expect(Schema.decodeUnknownSync(schema)(actual.value), `${what} should decode`).toEqual(expected)
    expect(actual.value).toEqual(expected)
  }
}

/** Asserts that nothing was found. */
export const expectNone = (actual: Option.Option<unknown>, what = "record"): void => {
  expect(Option.isNone(actual), `${what} should not be found`).toBe(true)
}
