/**
 * The links made after registration: guardians of the demo children, households, and the
 * consents guardians give for their wards. Registration cannot carry them (a guardian consent
 * needs a linked guardian), so `seedDemo` makes them afterwards, in the same transaction.
 *
 * @module
 */
import type { CommunityId, ConsentPurpose, ResidentId } from "@commonweal/core"
import { GULI_ID, JUNXIN_ID } from "./communities.js"
import * as R from "./residents.js"

/** A guardian link: `guardianId` becomes a guardian of `wardId`, and gives `consents` for the ward. */
export interface DemoGuardianLink {
  readonly communityId: CommunityId
  readonly wardId: ResidentId
  readonly guardianId: ResidentId
  /** Consents the guardian gives for the ward once linked. */
  readonly consents: ReadonlyArray<ConsentPurpose>
}

/** A household: residents who live together. The first member's household is joined by the others. */
export interface DemoHousehold {
  readonly communityId: CommunityId
  readonly memberIds: readonly [ResidentId, ...Array<ResidentId>]
}

/** The guardian links of the demo children. */
export const demoGuardianLinks: ReadonlyArray<DemoGuardianLink> = [
  { communityId: JUNXIN_ID, wardId: R.wanZixuan.id, guardianId: R.xiongLiping.id, consents: ["registry", "photos"] },
  { communityId: JUNXIN_ID, wardId: R.tianYiyi.id, guardianId: R.chenXiaoyan.id, consents: ["registry", "photos"] },
  { communityId: JUNXIN_ID, wardId: R.songHaoran.id, guardianId: R.wuHaixia.id, consents: ["registry"] },
  { communityId: GULI_ID, wardId: R.gaoRui.id, guardianId: R.panXiaoli.id, consents: ["registry", "photos"] }
]

/** The demo households. */
export const demoHouseholds: ReadonlyArray<DemoHousehold> = [
  // 周赛群 lives with her daughter-in-law 熊丽萍 and grandson 万子轩 in 15幢2单元301
  { communityId: JUNXIN_ID, memberIds: [R.zhouSaiqun.id, R.xiongLiping.id, R.wanZixuan.id] },
  { communityId: JUNXIN_ID, memberIds: [R.chenXiaoyan.id, R.tianYiyi.id] },
  { communityId: JUNXIN_ID, memberIds: [R.wuHaixia.id, R.songHaoran.id] },
  { communityId: GULI_ID, memberIds: [R.panXiaoli.id, R.gaoRui.id] }
]
