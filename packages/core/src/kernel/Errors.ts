/**
 * The tagged errors every commonweal service speaks.
 *
 * Each error has a stable `_tag` (what transports map to a status code), a machine-readable
 * payload, and a human `message` in English and Chinese, because centre staff and residents
 * read them. They are `Schema.TaggedError`s so that they cross the wire unchanged: the HTTP
 * client decodes the very same classes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { NotFound } from "@commonweal/core"
 *
 * const missing = Effect.fail(NotFound.of("Resident", "0193…"))
 * ```
 *
 * @module
 */
import { Schema } from "effect"

/** The record does not exist, or it exists in another community (which is the same to the caller). */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.String,
  id: Schema.String,
  message: Schema.String
}) {
  /** Builds the error with a bilingual message. */
  static of(entity: string, id: string): NotFound {
    return new NotFound({ entity, id, message: `${entity} ${id} not found / 未找到该记录` })
  }
}

/** The actor is known but lacks the authority for this action. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  action: Schema.String,
  message: Schema.String
}) {
  /** Builds the error with a bilingual message naming the refused action. */
  static of(action: string, reason?: string): Forbidden {
    return new Forbidden({
      action,
      message: `Not allowed to ${action}${reason ? `: ${reason}` : ""} / 无权执行此操作`
    })
  }
}

/** One problem found in an input, with the path of the field it concerns. */
export const InputIssue = Schema.Struct({
  field: Schema.String,
  message: Schema.String
})
/** One problem found in an input. */
export type InputIssue = typeof InputIssue.Type

/** The most issues an `InvalidInput` lists; the rest are counted in one more issue. */
export const MAX_LISTED_ISSUES = 20

/** How long a field path in an issue may be, in code points; a longer one is cut there and ends in `…`. */
export const MAX_FIELD_LENGTH = 100

/** A field path cut to {@link MAX_FIELD_LENGTH} code points, then `…` (cutting twice changes nothing). */
export const shortField = (field: string): string => {
  const points = Array.from(field)
  return points.length > MAX_FIELD_LENGTH ? `${points.slice(0, MAX_FIELD_LENGTH).join("")}…` : field
}

const moreIssues = (more: number): string => `and ${more} more issues not listed / 另有 ${more} 个问题未列出`
const MORE_ISSUES = /^and \d+ more issues not listed \/ 另有 \d+ 个问题未列出$/

/**
 * Bounds what an error lists, whatever the input: at most {@link MAX_LISTED_ISSUES} issues, then
 * one issue on `root` (`input`, or a transport's `query`, `body` …) that says how many more there
 * are, and every field path cut by {@link shortField} (an unknown key is named as it was sent).
 * A list capped already (its last issue is the count) is kept as it is, so capping twice changes
 * nothing.
 */
export const capIssues = (issues: ReadonlyArray<InputIssue>, root = "input"): Array<InputIssue> => {
  const capped = issues.length === MAX_LISTED_ISSUES + 1 && MORE_ISSUES.test(issues[MAX_LISTED_ISSUES]?.message ?? "")
  const listed = capped ? issues : issues.slice(0, MAX_LISTED_ISSUES)
  const shown = listed.map((i) => ({ field: shortField(i.field), message: i.message }))
  const more = issues.length - listed.length
  return more === 0 ? shown : [...shown, { field: root, message: moreIssues(more) }]
}

/** The input was malformed or broke a rule. Nothing was written. `field` names the first offending field. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  field: Schema.String,
  message: Schema.String,
  issues: Schema.Array(InputIssue)
}) {
  /** One issue on one field. */
  static of(field: string, message: string): InvalidInput {
    return new InvalidInput({ field, message, issues: [{ field, message }] })
  }
  /**
   * Several issues at once; the first names the error's `field`. At most
   * {@link MAX_LISTED_ISSUES} are listed, then one issue (on `root`, default `input`; see {@link capIssues}) says how many more were
   * left out, so that a request with hundreds of faults gets a short answer. A field path longer
   * than 100 characters (an unknown key is named as it was sent) is cut short.
   */
  static many(issues: ReadonlyArray<InputIssue>, root = "input"): InvalidInput {
    const listed = capIssues(issues, root)
    const first = listed[0] ?? { field: "", message: "invalid input / 输入无效" }
    return new InvalidInput({
      field: first.field,
      message: listed.map((i) => `${i.field}: ${i.message}`).join("; "),
      issues: listed
    })
  }
}

/** Why a write conflicted. */
export const ConflictReason = Schema.Literals(["stale_version", "duplicate"])
/** Why a write conflicted. */
export type ConflictReason = typeof ConflictReason.Type

/**
 * A concurrent write won (`stale_version`: reload and retry with the new version), or the
 * record already exists (`duplicate`).
 */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  entity: Schema.String,
  id: Schema.String,
  reason: ConflictReason,
  message: Schema.String
}) {
  /** The expected version was not the stored one. */
  static stale(entity: string, id: string): Conflict {
    return new Conflict({
      entity,
      id,
      reason: "stale_version",
      message: `${entity} ${id} was changed by someone else; reload and try again / 记录已被他人修改，请刷新后重试`
    })
  }
  /** The record (or a unique key of it) exists already. */
  static duplicate(entity: string, id: string): Conflict {
    return new Conflict({
      entity,
      id,
      reason: "duplicate",
      message: `${entity} ${id} already exists / 记录已存在`
    })
  }
}

/** The command is not allowed in the record's current state (e.g. updating an erased resident). */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>()("InvalidTransition", {
  entity: Schema.String,
  from: Schema.String,
  action: Schema.String,
  message: Schema.String
}) {
  /** Builds the error with a bilingual message. */
  static of(entity: string, from: string, action: string): InvalidTransition {
    return new InvalidTransition({
      entity,
      from,
      action,
      message: `Cannot ${action} a ${entity} that is ${from} / 当前状态（${from}）不允许此操作`
    })
  }
}

/** A debit would take an account below its limit. Used by the ledger. */
export class InsufficientFunds extends Schema.TaggedError<InsufficientFunds>()("InsufficientFunds", {
  account: Schema.String,
  message: Schema.String
}) {}

/** A capacity (places in an activity, parts in a batch) would be exceeded. */
export class CapacityExceeded extends Schema.TaggedError<CapacityExceeded>()("CapacityExceeded", {
  resource: Schema.String,
  message: Schema.String
}) {}

/** Every domain error a command may fail with. */
export type DomainError =
  | NotFound
  | Forbidden
  | InvalidInput
  | Conflict
  | InvalidTransition
  | InsufficientFunds
  | CapacityExceeded
