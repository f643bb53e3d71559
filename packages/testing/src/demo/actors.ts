/**
 * The demo accounts: one actor per community and role, each with a fixed subject and an
 * obviously fake bearer token, for the example server and its docs.
 *
 * **Never use these tokens outside a demo**: they are published in the source code.
 *
 * @module
 */
import type { Actor, CommunityId, ResidentId, Role } from "@commonweal/core"
import { GULI_ID, JUNXIN_ID } from "./communities.js"
import * as R from "./residents.js"

/** A demo account: the actor it authenticates as, its static demo token and who it is. */
export interface DemoActor {
  /** Short key: `junxin-staff`, `guli-volunteer` … */
  readonly key: string
  /** The static bearer token of the demo. Starts with `demo-`. */
  readonly token: string
  /** Who this account is, in Chinese, for the start-up banner. */
  readonly label: string
  readonly actor: Actor
}

const make = (
  community: "junxin" | "guli",
  role: Role,
  label: string,
  residentId?: ResidentId,
  suffix = ""
): DemoActor => {
  const communityId: CommunityId = community === "junxin" ? JUNXIN_ID : GULI_ID
  const key = `${community}-${role.replace("_", "-")}${suffix}`
  return {
    key,
    token: `demo-${key}`,
    label,
    actor: {
      subject: `demo:${key}`,
      communityId,
      roles: [role],
      ...(residentId === undefined ? {} : { residentId })
    }
  }
}

/** The demo accounts of 君馨社区. */
export const junxinActors: ReadonlyArray<DemoActor> = [
  make("junxin", "admin", "君馨社区 管理员"),
  make("junxin", "staff", "君馨社区 社工（林晓）", R.linXiao.id),
  make("junxin", "grid_worker", "君馨社区 网格员（葛琳）", R.geLin.id),
  make("junxin", "volunteer", "君馨社区 老乡团志愿者（刘英）", R.liuYing.id),
  make("junxin", "resident", "君馨社区 居民/监护人（熊丽萍）", R.xiongLiping.id),
  make("junxin", "treasurer", "君馨社区 公益基金出纳"),
  make("junxin", "approver", "君馨社区 公益基金审批人（居委会委员）"),
  make("junxin", "approver", "君馨社区 公益基金审批人（议事会代表）", undefined, "-2"),
  make("junxin", "coordinator", "君馨社区 馨工坊协调员（方婷）", R.fangTing.id),
  make("junxin", "factory", "君馨社区 合作工厂联系人（恒跃电器配件厂，虚构）")
]

/** The demo accounts of 顾里小站. */
export const guliActors: ReadonlyArray<DemoActor> = [
  make("guli", "admin", "顾里小站 管理员"),
  make("guli", "staff", "顾里小站 工作人员（许静）", R.xuJing.id),
  make("guli", "grid_worker", "顾里小站 网格员"),
  make("guli", "volunteer", "顾里小站 大学生志愿者（陆子豪）", R.luZihao.id),
  make("guli", "resident", "顾里小站 居民/监护人（潘晓丽）", R.panXiaoli.id)
]

/** Every demo account, Junxin first. */
export const demoActors: ReadonlyArray<DemoActor> = [...junxinActors, ...guliActors]

/** The demo account with this key (`junxin-staff` …); throws on an unknown key (a programming error in a demo). */
export const findDemoActor = (key: string): DemoActor => {
  const found = demoActors.find((a) => a.key === key)
  if (found === undefined) throw new Error(`unknown demo account ${key}`)
  return found
}

/** The static token table of the demo: bearer token → actor. */
export const demoTokens: ReadonlyMap<string, Actor> = new Map(demoActors.map((a) => [a.token, a.actor]))
