/**
 * The community: the tenant every record belongs to.
 *
 * A community (君馨社区, 顾里小站 …) has a name, an IANA time zone (its days, weeks and opening
 * hours are local to it) and its grids (网格): the small areas each grid worker looks after.
 *
 * @module
 */
import { Context, DateTime, Effect, Option, Schema } from "effect"
import type { Conflict } from "./Errors.js"
import { CommunityId } from "./Ids.js"

/** Text with no leading or trailing spaces and at least one character. */
export const NonEmptyTrimmed = Schema.Trimmed.check(Schema.isNonEmpty({ message: "must not be empty / 不能为空" }))

/** An IANA time zone name that this runtime knows, e.g. `Asia/Shanghai`. */
export const TimeZone = Schema.String.check(
  Schema.makeFilter((name: string) =>
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
  name: NonEmptyTrimmed
})
/** A grid (网格). */
export type Grid = typeof Grid.Type

/** A community: the tenant. */
export const Community = Schema.Struct({
  id: CommunityId,
  /** The name residents use, in Chinese: 君馨社区. */
  name: NonEmptyTrimmed,
  /** An English or pinyin name for integrators: Junxin Community. */
  nameEn: Schema.NullOr(Schema.String),
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
  name: NonEmptyTrimmed,
  nameEn: Schema.optional(Schema.String),
  timeZone: TimeZone,
  grids: Schema.Array(Grid).check(
    Schema.makeFilter((grids: ReadonlyArray<Grid>) =>
      new Set(grids.map((g) => g.code)).size === grids.length || "grid codes must be unique / 网格编号不能重复"
    )
  )
})
/** The input to provision a community. */
export type ProvisionCommunityInput = typeof ProvisionCommunityInput.Type

/** The storage port for communities. */
export class CommunityRepo extends Context.Service<
  CommunityRepo,
  {
    /** Stores a new community; `Conflict` (duplicate) when the id exists. */
    readonly insert: (community: Community) => Effect.Effect<void, Conflict>
    /** The community with this id, if any. */
    readonly findById: (id: CommunityId) => Effect.Effect<Option.Option<Community>>
    /** All communities, ordered by id. */
    readonly list: () => Effect.Effect<ReadonlyArray<Community>>
  }
>()("@commonweal/core/CommunityRepo") {}
