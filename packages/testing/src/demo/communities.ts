/**
 * The two demo communities, with fixed ids so that seeding is idempotent.
 *
 * - 君馨社区 (Junxin community), Gaoqiao, Haishu district, Ningbo: founded May 2023 on the
 *   urban-rural fringe; most residents are migrants ("new Ningbo people").
 * - 顾里小站 (Gu Li Station), Gucun, Baoshan district, Shanghai: a shared community service space
 *   serving 8 residential areas, open Wednesday to Sunday since 10 February 2023.
 *
 * @module
 */
import { CommunityId, GridCode } from "@commonweal/core"
import type { ProvisionCommunityInput } from "@commonweal/core"

/** The id of 君馨社区 (Junxin). A UUIDv7 whose time part is 2023-05-01, the month it was founded. */
export const JUNXIN_ID: CommunityId = CommunityId.make("0187d49b-e800-7000-8000-000000000001")

/** The id of 顾里小站 (Gu Li Station). A UUIDv7 whose time part is 2023-02-10, its opening day. */
export const GULI_ID: CommunityId = CommunityId.make("0186389f-2800-7000-8000-000000000002")

/** The input that provisions a demo community, always with its fixed id. */
export type DemoCommunity = ProvisionCommunityInput & { readonly id: CommunityId }

/** 君馨社区: four grids (网格), each looked after by a grid worker. */
export const junxin: DemoCommunity = {
  id: JUNXIN_ID,
  name: "君馨社区",
  nameEn: "Junxin Community (Gaoqiao, Haishu, Ningbo)",
  timeZone: "Asia/Shanghai",
  grids: [
    { code: GridCode.make("JX-01"), name: "第一网格（1-6幢）" },
    { code: GridCode.make("JX-02"), name: "第二网格（7-12幢）" },
    { code: GridCode.make("JX-03"), name: "第三网格（13-18幢）" },
    { code: GridCode.make("JX-04"), name: "第四网格（沿街商铺及安置房）" }
  ]
}

/** 顾里小站: one grid per residential area it serves (four of its eight are seeded). */
export const guli: DemoCommunity = {
  id: GULI_ID,
  name: "顾里小站",
  nameEn: "Gu Li Station (Gucun, Baoshan, Shanghai)",
  timeZone: "Asia/Shanghai",
  grids: [
    { code: GridCode.make("GL-01"), name: "馨清佳苑" },
    { code: GridCode.make("GL-02"), name: "馨佳园一居" },
    { code: GridCode.make("GL-03"), name: "馨佳园二居" },
    { code: GridCode.make("GL-04"), name: "馨佳园三居" }
  ]
}

/** Both demo communities, Junxin first. */
export const demoCommunities: ReadonlyArray<DemoCommunity> = [junxin, guli]
