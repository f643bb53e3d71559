/**
 * The community: the tenant every record belongs to.
 *
 * A community (君馨社区, 顾里小站 …) has a name, an IANA time zone (its days, weeks and opening
 * hours are local to it) and its grids (网格): the small areas each grid worker looks after.
 *
 * @module
 */
import { DateTime, Option, Schema } from "effect"
import { CommunityId } from "../kernel/Ids.js"
import * as Text from "../kernel/Text.js"

/** An IANA time zone name that this runtime knows, e.g. `Asia/Shanghai`. */
export const TimeZone = Schema.String.check(
  Schema.makeFilter(
    (name: string) =>
      Option.isSome(DateTime.zoneMakeNamed(name)) || "must be an IANA time zone such as Asia/Shanghai / 时区无效"
  )
)

/** A grid code, unique in its community: letters, digits and dashes, e.g. `JX-03`. */
export const GridCode = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/u, {
    message: "must be 1-32 letters, digits or dashes / 网格编号格式无效"
  })
).pipe(Schema.brand("GridCode"))
/** A grid code, unique in its community. */
export type GridCode = typeof GridCode.Type

/** A grid (网格): a small area of the community with its own grid worker. */
export const Grid = Schema.Struct({
  code: GridCode,
  /** The grid's name: 一网格. One line, at most 40 characters. */
  name: Text.line(40)
})
/** A grid (网格). */
export type Grid = typeof Grid.Type

/** A community: the tenant. */
export const Community = Schema.Struct({
  id: CommunityId,
  /** The name residents use, in Chinese: 君馨社区. One line, at most 60 characters. */
  name: Text.line(60),
  /** An English or pinyin name for integrators: Junxin Community. One line, at most 120 characters. */
  nameEn: Text.nullableLine(120),
  timeZone: TimeZone,
  grids: Schema.Array(Grid),
  createdAt: Schema.DateTimeUtcFromString
})
/** A community: the tenant. */
export type Community = typeof Community.Type

/** The input to provision a community. */
export const ProvisionCommunityInput = Schema.Struct({
  /** Chosen id (for idempotent seeding); a fresh one when omitted. */
  id: Schema.optional(CommunityId),
  name: Text.line(60),
  nameEn: Text.optionalLine(120),
  timeZone: TimeZone,
  grids: Schema.Array(Grid).check(
    Schema.makeFilter(
      (grids: ReadonlyArray<Grid>) =>
        new Set(grids.map((g) => g.code)).size === grids.length || "grid codes must be unique / 网格编号不能重复"
    )
  )
})
/** The input to provision a community. */
export type ProvisionCommunityInput = typeof ProvisionCommunityInput.Type
