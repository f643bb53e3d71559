/**
 * The ledger's pure engine: open and close accounts, apply linked batches of transfers, release
 * expired holds, and compute balances at any point in time from history.
 *
 * Nothing here does I/O or reads the clock: `now` is passed in (a `DateTime.Utc`). Every rule
 * returns a `Result` with a new immutable {@link LedgerState}; a failure leaves the given state as it
 * was (it is never mutated).
 *
 * **Adapter-friendly state.** A {@link LedgerState} need not hold the whole ledger: it must hold the
 * accounts a batch names, the transfers whose ids the batch uses (to detect replays and id
 * conflicts), the holds and pending transfers it posts or voids, the transfers it reverses (with
 * their reversal status in `reversedBy`), and the chain head of the community. {@link footprint}
 * lists those ids; a store loads them (locking the accounts), applies the batch, and writes the
 * {@link BatchApplied} changes: new transfers, changed accounts (optimistic `version`), changed
 * holds, new reversal links and the new chain head.
 *
 * **Limits** are checked as TigerBeetle does, against posted plus pending amounts on the growing
 * side and posted amounts on the other: a hold reserves room, so posting it can never break a limit.
 *
 * @example
 * ```ts
 * import { DateTime, Result } from "effect"
 * import { LedgerRules } from "@commonweal/core"
 *
 * const now = DateTime.makeUnsafe("2026-08-20T02:00:00Z")
 * const opened = LedgerRules.openAccount(LedgerRules.empty, cashInput, now)
 * // … open the other accounts, then:
 * const applied = LedgerRules.applyBatch(state, { communityId, requests: [sale] }, now)
 * if (Result.isFailure(applied)) applied.failure.index // which request, and applied.failure.reason why
 * ```
 *
 * @module
 */
import { DateTime, Result, Schema } from "effect"
import { Conflict, InsufficientFunds, InvalidInput, InvalidTransition, NotFound } from "../kernel/Errors.js"
import type { DomainError } from "../kernel/Errors.js"
import type { CommunityId } from "../kernel/Ids.js"
import * as Text from "../kernel/Text.js"
import { toInvalidInput } from "../kernel/Validation.js"
import type {
  BatchId,
  ChainHead,
  Hold,
  LedgerAccount,
  LedgerAccountId,
  OpenAccountInput,
  Transfer,
  TransferBatch,
  TransferId,
  TransferKind,
  TransferRequest
} from "./Ledger.js"
import {
  GENESIS_HASH,
  MAX_BATCH_SIZE,
  MAX_TIMEOUT_SECONDS,
  OpenAccountInput as OpenAccountInputSchema,
  TransferBatch as TransferBatchSchema
} from "./Ledger.js"
import { fingerprint, hashTransfer } from "./LedgerChain.js"

/**
 * A snapshot of (part of) the ledger. Immutable: rules return a new one.
 *
 * - `accounts`: by id;
 * - `transfers`: by id, immutable once recorded;
 * - `holds`: the status of each pending transfer, by the pending transfer's id;
 * - `reversedBy`: original transfer id → the id of the transfer that reversed it;
 * - `heads`: each community's chain head (a missing one is the empty chain).
 */
export interface LedgerState {
  readonly accounts: ReadonlyMap<LedgerAccountId, LedgerAccount>
  readonly transfers: ReadonlyMap<TransferId, Transfer>
  readonly holds: ReadonlyMap<TransferId, Hold>
  readonly reversedBy: ReadonlyMap<TransferId, TransferId>
  readonly heads: ReadonlyMap<CommunityId, ChainHead>
}

/** The empty ledger. */
export const empty: LedgerState = {
  accounts: new Map(),
  transfers: new Map(),
  holds: new Map(),
  reversedBy: new Map(),
  heads: new Map()
}

/** Why a request of a batch was refused (stable codes; the message says it in English and Chinese). */
export const RejectReason = Schema.Literals([
  "invalid_request",
  "id_conflict",
  "account_not_found",
  "accounts_must_differ",
  "unit_mismatch",
  "account_closed",
  "exceeds_credits",
  "exceeds_debits",
  "exceeds_upper_bound",
  "overflow",
  "pending_not_found",
  "pending_already_posted",
  "pending_already_voided",
  "pending_expired",
  "exceeds_pending_amount",
  "transfer_not_found",
  "not_posted",
  "reversal_not_reversible",
  "already_reversed"
])
/** Why a request of a batch was refused. */
export type RejectReason = typeof RejectReason.Type

/** The bilingual explanation of each {@link RejectReason}. */
export const rejectMessages: Readonly<Record<RejectReason, string>> = {
  invalid_request: "the request is malformed / 请求格式有误",
  id_conflict: "the id was used before for a different transfer / 该编号已用于另一笔不同的转账",
  account_not_found: "an account does not exist in this community / 账户不存在",
  accounts_must_differ: "the debit and credit accounts must differ / 借方与贷方账户不能相同",
  unit_mismatch: "the unit does not match an account's unit / 计量单位与账户不一致",
  account_closed: "an account is closed / 账户已关闭",
  exceeds_credits: "the debit account would be overdrawn (debits above credits) / 借方账户余额不足",
  exceeds_debits: "the credit account would go below zero (credits above debits) / 贷方账户余额不足",
  exceeds_upper_bound: "an account would exceed its upper bound / 账户将超出余额上限",
  overflow: "a total would exceed the safe integer range / 累计数额超出范围",
  pending_not_found: "the pending transfer does not exist / 待定转账不存在",
  pending_already_posted: "the pending transfer was posted already / 待定转账已入账",
  pending_already_voided: "the pending transfer was voided already / 待定转账已作废",
  pending_expired: "the pending transfer has expired / 待定转账已过期",
  exceeds_pending_amount: "the amount exceeds the pending amount / 数额超过待定金额",
  transfer_not_found: "the transfer to reverse does not exist / 要冲正的转账不存在",
  not_posted: "only posted transfers can be reversed / 只能冲正已入账的转账",
  reversal_not_reversible: "a reversal cannot be reversed; post a new transfer / 冲正转账不能再冲正，请另行转账",
  already_reversed: "the transfer was reversed already / 该转账已被冲正"
}

/**
 * A linked batch failed as a whole: `index` and `transferId` name the request that failed and
 * `reason` why. Nothing of the batch was applied. {@link toDomainError} maps it to the kernel's
 * errors (`Conflict`, `InsufficientFunds`, `NotFound`, `InvalidTransition`, `InvalidInput`).
 */
export class TransferRejected extends Schema.TaggedError<TransferRejected>()("TransferRejected", {
  index: Schema.Int,
  transferId: Schema.String,
  reason: RejectReason,
  /** The account concerned (missing, closed, or whose limit would break), when one is. */
  accountId: Schema.NullOr(Schema.String),
  message: Schema.String
}) {
  /** Builds the error with its bilingual message. */
  static of(
    index: number,
    transferId: string,
    reason: RejectReason,
    accountId: string | null = null,
    detail?: string
  ): TransferRejected {
    const about = detail ?? (accountId === null ? undefined : `account ${accountId}`)
    return new TransferRejected({
      index,
      transferId,
      reason,
      accountId,
      message: `Transfer #${index} (${transferId}): ${about === undefined ? "" : `${about}: `}${rejectMessages[reason]}`
    })
  }
}

/** The kernel error a refused request amounts to, for services and transports. */
export const toDomainError = (e: TransferRejected): DomainError => {
  switch (e.reason) {
    case "id_conflict":
      return new Conflict({ entity: "Transfer", id: e.transferId, reason: "duplicate", message: e.message })
    case "exceeds_credits":
    case "exceeds_debits":
    case "exceeds_upper_bound":
      return new InsufficientFunds({ account: e.accountId ?? e.transferId, message: e.message })
    case "account_not_found":
      return new NotFound({ entity: "LedgerAccount", id: e.accountId ?? e.transferId, message: e.message })
    case "pending_not_found":
    case "transfer_not_found":
      return new NotFound({ entity: "Transfer", id: e.transferId, message: e.message })
    case "account_closed":
    case "pending_already_posted":
    case "pending_already_voided":
    case "pending_expired":
    case "not_posted":
    case "reversal_not_reversible":
    case "already_reversed":
      return new InvalidTransition({ entity: "Transfer", from: e.reason, action: "apply", message: e.message })
    default:
      return InvalidInput.of(`requests.${e.index}`, e.message)
  }
}

/** What one request of a batch came to: the transfer, and whether it was an idempotent replay. */
export interface TransferResult {
  readonly transfer: Transfer
  /** `true` when the id was recorded before with the same content: nothing was applied again. */
  readonly replayed: boolean
}

/**
 * A batch that succeeded: the new state, one result per request (in order), and the changes a
 * store writes: transfers created, accounts changed (final values, each at the version it had in
 * the given state + 1, however many requests moved it), holds changed, reversal links created and
 * the community's new chain head.
 */
export interface BatchApplied {
  readonly state: LedgerState
  readonly results: ReadonlyArray<TransferResult>
  readonly created: ReadonlyArray<Transfer>
  readonly accounts: ReadonlyArray<LedgerAccount>
  readonly holds: ReadonlyArray<readonly [TransferId, Hold]>
  readonly reversals: ReadonlyArray<readonly [TransferId, TransferId]>
  readonly head: ChainHead
}

/** The ids a batch needs loaded; see the module notes. Accounts of held or reversed transfers come with them. */
export interface Footprint {
  readonly accountIds: ReadonlyArray<LedgerAccountId>
  readonly transferIds: ReadonlyArray<TransferId>
}

/**
 * What a store must load to apply a batch: the accounts the requests name, and the transfers they
 * name (their own ids, for replays; the holds they post or void; the transfers they reverse).
 * The accounts of the named transfers are a second lookup.
 */
export const footprint = (batch: TransferBatch): Footprint => {
  const accounts = new Set<LedgerAccountId>()
  const transfers = new Set<TransferId>()
  for (const r of batch.requests) {
    transfers.add(r.id)
    switch (r._tag) {
      case "Posted":
      case "Pending":
        accounts.add(r.debitAccountId)
        accounts.add(r.creditAccountId)
        break
      case "PostPending":
      case "VoidPending":
        transfers.add(r.pendingId)
        break
      case "Reverse":
        transfers.add(r.reverses)
        break
    }
  }
  return { accountIds: [...accounts], transferIds: [...transfers] }
}

/** The side an account of this kind grows on. */
export const normalSide = (account: Pick<LedgerAccount, "kind">): "debit" | "credit" =>
  account.kind === "asset" || account.kind === "expense" ? "debit" : "credit"

/** The posted balance on the account's normal side (debits − credits for assets and expenses, else credits − debits). */
export const balanceOf = (account: LedgerAccount): number =>
  normalSide(account) === "debit"
    ? account.debitsPosted - account.creditsPosted
    : account.creditsPosted - account.debitsPosted

/**
 * What may still leave the account on its normal side: the posted balance less what pending
 * transfers hold against it.
 */
export const availableOf = (account: LedgerAccount): number =>
  normalSide(account) === "debit"
    ? account.debitsPosted - account.creditsPosted - account.creditsPending
    : account.creditsPosted - account.debitsPosted - account.debitsPending

/** The limit an account breaks with these totals, if any. */
export const limitBroken = (
  a: LedgerAccount
): "exceeds_credits" | "exceeds_debits" | "exceeds_upper_bound" | "overflow" | undefined => {
  const debits = a.debitsPosted + a.debitsPending
  const credits = a.creditsPosted + a.creditsPending
  if (!Number.isSafeInteger(debits) || !Number.isSafeInteger(credits)) return "overflow"
  if (a.flags.debitsMustNotExceedCredits && debits > a.creditsPosted) return "exceeds_credits"
  if (a.flags.creditsMustNotExceedDebits && credits > a.debitsPosted) return "exceeds_debits"
  if (a.flags.upperBound !== null) {
    const grown = normalSide(a) === "debit" ? debits - a.creditsPosted : credits - a.debitsPosted
    if (grown > a.flags.upperBound) return "exceeds_upper_bound"
  }
  return undefined
}

const millis = (now: DateTime.Utc): number => DateTime.toEpochMillis(now)

const sameAccount = (a: LedgerAccount, input: OpenAccountInput): boolean =>
  a.communityId === input.communityId &&
  a.unit === input.unit &&
  a.kind === input.kind &&
  a.owner.type === input.owner.type &&
  a.owner.id === input.owner.id &&
  a.name === input.name &&
  a.flags.debitsMustNotExceedCredits === (input.debitsMustNotExceedCredits ?? false) &&
  a.flags.creditsMustNotExceedDebits === (input.creditsMustNotExceedDebits ?? false) &&
  a.flags.upperBound === (input.upperBound ?? null)

/** An account opened, or found opened before with the same content (`replayed`). */
export interface AccountOpened {
  readonly state: LedgerState
  readonly account: LedgerAccount
  readonly replayed: boolean
}

/**
 * Opens an account with zero totals at version 1. The id is the idempotency key: the same id with
 * the same content returns the account as it is now (`replayed`), with other content it is
 * `Conflict` (`duplicate`). The two balance-limit flags are mutually exclusive (`InvalidInput`).
 */
export const openAccount = (
  state: LedgerState,
  input: OpenAccountInput,
  now: DateTime.Utc
): Result.Result<AccountOpened, InvalidInput | Conflict> => {
  const valid = Schema.decodeUnknownResult(Schema.toType(OpenAccountInputSchema))(input)
  if (Result.isFailure(valid)) return Result.fail(toInvalidInput(valid.failure))
  const existing = state.accounts.get(input.id)
  if (existing !== undefined) {
    return sameAccount(existing, input)
      ? Result.succeed({ state, account: existing, replayed: true })
      : Result.fail(Conflict.duplicate("LedgerAccount", input.id))
  }
  const debitsMustNotExceedCredits = input.debitsMustNotExceedCredits ?? false
  const creditsMustNotExceedDebits = input.creditsMustNotExceedDebits ?? false
  if (debitsMustNotExceedCredits && creditsMustNotExceedDebits) {
    return Result.fail(
      InvalidInput.of(
        "creditsMustNotExceedDebits",
        "cannot be set together with debitsMustNotExceedCredits / 两种余额限制不能同时设置"
      )
    )
  }
  const account: LedgerAccount = {
    id: input.id,
    communityId: input.communityId,
    unit: input.unit,
    kind: input.kind,
    owner: input.owner,
    name: input.name,
    flags: {
      debitsMustNotExceedCredits,
      creditsMustNotExceedDebits,
      upperBound: input.upperBound ?? null,
      closed: false
    },
    debitsPosted: 0,
    debitsPending: 0,
    creditsPosted: 0,
    creditsPending: 0,
    version: 1,
    openedAt: millis(now)
  }
  const accounts = new Map(state.accounts)
  accounts.set(account.id, account)
  return Result.succeed({ state: { ...state, accounts }, account, replayed: false })
}

const findAccount = (
  state: LedgerState,
  communityId: CommunityId,
  id: LedgerAccountId
): Result.Result<LedgerAccount, NotFound> => {
  const a = state.accounts.get(id)
  return a === undefined || a.communityId !== communityId
    ? Result.fail(NotFound.of("LedgerAccount", id))
    : Result.succeed(a)
}

const withAccount = (state: LedgerState, account: LedgerAccount): LedgerState => {
  const accounts = new Map(state.accounts)
  accounts.set(account.id, account)
  return { ...state, accounts }
}

/**
 * Closes an account so that it refuses new transfers. Only a settled account closes: zero posted
 * balance and nothing pending (`InvalidTransition` otherwise, or if it is closed already). History
 * stays: balances at earlier times are unchanged.
 */
export const closeAccount = (
  state: LedgerState,
  communityId: CommunityId,
  id: LedgerAccountId
): Result.Result<{ readonly state: LedgerState; readonly account: LedgerAccount }, NotFound | InvalidTransition> =>
  Result.flatMap(findAccount(state, communityId, id), (a) => {
    if (a.flags.closed) return Result.fail(InvalidTransition.of("LedgerAccount", "closed", "close"))
    if (a.debitsPosted !== a.creditsPosted || a.debitsPending !== 0 || a.creditsPending !== 0) {
      return Result.fail(
        new InvalidTransition({
          entity: "LedgerAccount",
          from: "unsettled",
          action: "close",
          message: `Account ${id} still has a balance or pending amounts; settle it first / 账户尚有余额或待定金额，须先结清`
        })
      )
    }
    const account: LedgerAccount = { ...a, flags: { ...a.flags, closed: true }, version: a.version + 1 }
    return Result.succeed({ state: withAccount(state, account), account })
  })

/** Reopens a closed account (`InvalidTransition` if it is open). */
export const reopenAccount = (
  state: LedgerState,
  communityId: CommunityId,
  id: LedgerAccountId
): Result.Result<{ readonly state: LedgerState; readonly account: LedgerAccount }, NotFound | InvalidTransition> =>
  Result.flatMap(findAccount(state, communityId, id), (a) => {
    if (!a.flags.closed) return Result.fail(InvalidTransition.of("LedgerAccount", "open", "reopen"))
    const account: LedgerAccount = { ...a, flags: { ...a.flags, closed: false }, version: a.version + 1 }
    return Result.succeed({ state: withAccount(state, account), account })
  })

/** A batch's scratch space: reads fall through to the snapshot, writes stay here until the batch succeeds. */
class Draft {
  readonly accounts = new Map<LedgerAccountId, LedgerAccount>()
  readonly transfers = new Map<TransferId, Transfer>()
  readonly holds = new Map<TransferId, Hold>()
  readonly reversedBy = new Map<TransferId, TransferId>()
  constructor(
    readonly base: LedgerState,
    public head: ChainHead
  ) {}
  account(id: LedgerAccountId): LedgerAccount | undefined {
    return this.accounts.get(id) ?? this.base.accounts.get(id)
  }
  transfer(id: TransferId): Transfer | undefined {
    return this.transfers.get(id) ?? this.base.transfers.get(id)
  }
  hold(id: TransferId): Hold | undefined {
    return this.holds.get(id) ?? this.base.holds.get(id)
  }
  reversal(id: TransferId): TransferId | undefined {
    return this.reversedBy.get(id) ?? this.base.reversedBy.get(id)
  }
}

const merge = <K, V>(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, V>): ReadonlyMap<K, V> => {
  if (changes.size === 0) return base
  const out = new Map(base)
  for (const [k, v] of changes) out.set(k, v)
  return out
}

/**
 * The changed accounts at one version past the state's: the engine bumps an account's version
 * with every movement, but a store writes each changed account once per batch (or expiry run),
 * so what it returns is the loaded version + 1 (`LedgerRepo.write` checks `version - 1`).
 */
const oncePerChange = (
  before: ReadonlyMap<LedgerAccountId, LedgerAccount>,
  changed: Map<LedgerAccountId, LedgerAccount>
): Map<LedgerAccountId, LedgerAccount> => {
  for (const [id, a] of changed) {
    const loaded = before.get(id)
    if (loaded !== undefined && a.version !== loaded.version + 1) changed.set(id, { ...a, version: loaded.version + 1 })
  }
  return changed
}

/** The totals an account moves by: `[debitsPosted, debitsPending, creditsPosted, creditsPending]` deltas. */
type Delta = readonly [number, number, number, number]

const shift = (a: LedgerAccount, d: Delta): LedgerAccount | undefined => {
  const next = {
    ...a,
    debitsPosted: a.debitsPosted + d[0],
    debitsPending: a.debitsPending + d[1],
    creditsPosted: a.creditsPosted + d[2],
    creditsPending: a.creditsPending + d[3],
    version: a.version + 1
  }
  return [next.debitsPosted, next.debitsPending, next.creditsPosted, next.creditsPending].every(
    (n) => Number.isSafeInteger(n) && n >= 0
  )
    ? next
    : undefined
}

/** What a request resolves to before the accounts move. */
interface Planned {
  readonly kind: TransferKind
  readonly debitAccountId: LedgerAccountId
  readonly creditAccountId: LedgerAccountId
  readonly amount: number
  readonly unit: string
  readonly code: number
  readonly pendingId: TransferId | null
  readonly expiresAt: number | null
  readonly reverses: TransferId | null
  readonly debit: Delta
  readonly credit: Delta
  /** New accounts must be open (new movements); resolving a hold may touch a closed one. */
  readonly needsOpen: boolean
}

const plan = (draft: Draft, communityId: CommunityId, r: TransferRequest, now: number): Planned | RejectReason => {
  switch (r._tag) {
    case "Posted":
    case "Pending": {
      const posted = r._tag === "Posted"
      return {
        kind: posted ? "posted" : "pending",
        debitAccountId: r.debitAccountId,
        creditAccountId: r.creditAccountId,
        amount: r.amount,
        unit: r.unit,
        code: r.code,
        pendingId: null,
        expiresAt: r._tag === "Pending" && r.timeoutSeconds > 0 ? now + r.timeoutSeconds * 1000 : null,
        reverses: null,
        debit: posted ? [r.amount, 0, 0, 0] : [0, r.amount, 0, 0],
        credit: posted ? [0, 0, r.amount, 0] : [0, 0, 0, r.amount],
        needsOpen: true
      }
    }
    case "PostPending":
    case "VoidPending": {
      const p = draft.transfer(r.pendingId)
      const hold = draft.hold(r.pendingId)
      if (p === undefined || p.kind !== "pending" || p.communityId !== communityId || hold === undefined) {
        return "pending_not_found"
      }
      if (hold.status === "posted") return "pending_already_posted"
      if (hold.status === "voided") return "pending_already_voided"
      if (hold.status === "expired" || (p.expiresAt !== null && p.expiresAt <= now)) return "pending_expired"
      const amount = r._tag === "PostPending" ? (r.amount ?? p.amount) : p.amount
      if (amount > p.amount) return "exceeds_pending_amount"
      const posted = r._tag === "PostPending" ? amount : 0
      return {
        kind: r._tag === "PostPending" ? "post_pending" : "void_pending",
        debitAccountId: p.debitAccountId,
        creditAccountId: p.creditAccountId,
        amount,
        unit: p.unit,
        code: p.code,
        pendingId: p.id,
        expiresAt: null,
        reverses: null,
        debit: [posted, -p.amount, 0, 0],
        credit: [0, 0, posted, -p.amount],
        needsOpen: false
      }
    }
    case "Reverse": {
      const original = draft.transfer(r.reverses)
      if (original === undefined || original.communityId !== communityId) return "transfer_not_found"
      if (original.kind !== "posted" && original.kind !== "post_pending") return "not_posted"
      if (original.reverses !== null) return "reversal_not_reversible"
      if (draft.reversal(original.id) !== undefined) return "already_reversed"
      return {
        kind: "posted",
        debitAccountId: original.creditAccountId,
        creditAccountId: original.debitAccountId,
        amount: original.amount,
        unit: original.unit,
        code: original.code,
        pendingId: null,
        expiresAt: null,
        reverses: original.id,
        debit: [original.amount, 0, 0, 0],
        credit: [0, 0, original.amount, 0],
        needsOpen: true
      }
    }
  }
}

/** Checks a batch's shape (amounts, units, ids, reasons) against its schema, as a defence for typed callers. */
const validateBatch = Schema.decodeUnknownResult(Schema.toType(TransferBatchSchema))

// The fast path of that check. A batch of `Posted` and `Pending` requests whose every field
// passes the plain tests below is one the schema accepts (the tests are the schema's own rules,
// or stricter: a reason longer than 140 UTF-16 units is left to the schema, which counts code
// points); anything else, and every batch that fails, goes through the schema, which gives the
// error. Same outcome, about a third of the time on a batch of 1,000 (the schema decode was most
// of the engine's time after hashing).

/** `LedgerUuid` of `Ledger.ts`: a lower-case UUID. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u
/** `Uuid7` of the kernel: a lower-case UUIDv7 (a community id). */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u
/** `Unit` of `Ledger.ts`. */
const UNIT = /^(?:CNY|MIN|PCS:[A-Z0-9][A-Z0-9_-]{0,31})$/u

const isId = (value: unknown): boolean => typeof value === "string" && UUID.test(value)

const isIntBetween = (value: unknown, min: number, max: number): boolean =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max

/** `TransferReason` (`Text.line(140)` as a type): trimmed, one line, not blank, at most 140. */
const isReason = (value: unknown): boolean =>
  typeof value === "string" &&
  value.length <= 140 &&
  value.trim() === value &&
  !Text.hasLineControl(value) &&
  !Text.hasBidiControl(value) &&
  Text.isWellFormed(value) &&
  !Text.isBlank(value)

/** Whether the schema surely accepts the batch (see above); `false` means "ask the schema". */
const surelyValid = (batch: TransferBatch): boolean => {
  const b = batch as unknown as Record<string, unknown>
  if (typeof b !== "object" || b === null || typeof b["communityId"] !== "string" || !UUID_V7.test(b["communityId"])) {
    return false
  }
  if ("batchId" in b && !isId(b["batchId"])) return false
  const requests = b["requests"]
  if (!Array.isArray(requests) || requests.length > MAX_BATCH_SIZE) return false
  for (const value of requests) {
    if (typeof value !== "object" || value === null) return false
    const r = value as Record<string, unknown>
    const tag = r["_tag"]
    if (
      !(tag === "Posted" || (tag === "Pending" && isIntBetween(r["timeoutSeconds"], 0, MAX_TIMEOUT_SECONDS))) ||
      !isId(r["id"]) ||
      !isId(r["debitAccountId"]) ||
      !isId(r["creditAccountId"]) ||
      !isIntBetween(r["amount"], 1, Number.MAX_SAFE_INTEGER) ||
      typeof r["unit"] !== "string" ||
      !UNIT.test(r["unit"]) ||
      !isIntBetween(r["code"], 1, 65_535) ||
      !isReason(r["reason"])
    ) {
      return false
    }
  }
  return true
}

/**
 * The batch that decoding `input` with the `TransferBatch` schema gives, without running the
 * schema, when `input` is a batch of plain `Posted` and `Pending` requests whose every field
 * surely passes the schema's rules (the fast path of `applyBatch`'s check, above); `undefined`
 * otherwise, and then the caller decodes with the schema, which gives the error when there is
 * one. The result is a fresh object holding only the schema's fields (an excess property is
 * dropped, as the schema drops it).
 *
 * Why: `Ledger.transfer` decodes its input before the engine runs; for a batch of 1,000 plain
 * transfers the schema decode was about a tenth of the call.
 *
 * @example
 * ```ts
 * import { LedgerRules, TransferBatch } from "@commonweal/core"
 * import { Schema } from "effect"
 *
 * const decode = (input: unknown) =>
 *   LedgerRules.plainBatch(input) ?? Schema.decodeUnknownSync(TransferBatch)(input)
 * ```
 */
export const plainBatch = (input: unknown): TransferBatch | undefined => {
  if (!surelyValid(input as TransferBatch)) return undefined
  const b = input as TransferBatch
  const requests: Array<TransferRequest> = new Array(b.requests.length)
  for (let i = 0; i < requests.length; i++) {
    const r = b.requests[i] as Extract<TransferRequest, { readonly _tag: "Posted" | "Pending" }>
    const movement = {
      id: r.id,
      debitAccountId: r.debitAccountId,
      creditAccountId: r.creditAccountId,
      amount: r.amount,
      unit: r.unit,
      code: r.code,
      reason: r.reason
    }
    requests[i] =
      r._tag === "Posted"
        ? { _tag: "Posted", ...movement }
        : { _tag: "Pending", ...movement, timeoutSeconds: r.timeoutSeconds }
  }
  return b.batchId === undefined
    ? { communityId: b.communityId, requests }
    : { communityId: b.communityId, batchId: b.batchId, requests }
}

/**
 * Applies a linked batch of one community at `now`: every request succeeds, in order, or the
 * whole batch fails with a {@link TransferRejected} naming the first request that failed, and the
 * state is unchanged. Later requests see the effects of earlier ones (post a hold created earlier
 * in the same batch, for instance).
 *
 * Per request: an id recorded before with the same content (same fingerprint) is a replay: its
 * first result, nothing applied; with other content it is `id_conflict`. Otherwise the accounts
 * must exist in the community, differ, be open and have the request's unit; the amount moves
 * (posted, or held as pending with an expiry of `now + timeoutSeconds`); a post or void resolves an
 * open, unexpired hold (a post of at most its amount, the rest released); a reversal moves the
 * original's amount back, once, for posted transfers only. Then no account may break a limit, and
 * every total stays a safe integer. Each new transfer is hashed into the community's chain.
 */
export const applyBatch = (
  state: LedgerState,
  batch: TransferBatch,
  now: DateTime.Utc
): Result.Result<BatchApplied, TransferRejected> => {
  const at = millis(now)
  const communityId = batch.communityId
  const reject = (index: number, id: string, reason: RejectReason, accountId: string | null = null, detail?: string) =>
    Result.fail(TransferRejected.of(index, id, reason, accountId, detail))
  const checked = surelyValid(batch) ? undefined : validateBatch(batch)
  if (checked !== undefined && Result.isFailure(checked)) {
    const detail = toInvalidInput(checked.failure)
    const index = Number(/^requests\.(\d+)/u.exec(detail.field)?.[1] ?? 0)
    // the request's id as sent, when it is text at all (an untyped caller may send anything)
    const id: unknown = (batch.requests[index] as { readonly id?: unknown } | undefined)?.id
    return reject(index, typeof id === "string" ? id : "", "invalid_request", null, detail.message)
  }
  const draft = new Draft(state, state.heads.get(communityId) ?? { sequence: 0, hash: GENESIS_HASH })
  const results: Array<TransferResult> = []
  const created: Array<Transfer> = []
  const holds: Array<readonly [TransferId, Hold]> = []
  const reversals: Array<readonly [TransferId, TransferId]> = []
  const batchId: BatchId | null = batch.batchId ?? null
  for (let index = 0; index < batch.requests.length; index++) {
    const r = batch.requests[index]!
    const print = fingerprint(communityId, r)
    const existing = draft.transfer(r.id)
    if (existing !== undefined) {
      if (existing.fingerprint === print && existing.communityId === communityId) {
        results.push({ transfer: existing, replayed: true })
        continue
      }
      return reject(index, r.id, "id_conflict")
    }
    const planned = plan(draft, communityId, r, at)
    if (typeof planned === "string") return reject(index, r.id, planned)
    if (planned.debitAccountId === planned.creditAccountId) return reject(index, r.id, "accounts_must_differ")
    const debit = draft.account(planned.debitAccountId)
    const credit = draft.account(planned.creditAccountId)
    if (debit === undefined || debit.communityId !== communityId) {
      return reject(index, r.id, "account_not_found", planned.debitAccountId)
    }
    if (credit === undefined || credit.communityId !== communityId) {
      return reject(index, r.id, "account_not_found", planned.creditAccountId)
    }
    if (debit.unit !== planned.unit || credit.unit !== planned.unit) return reject(index, r.id, "unit_mismatch")
    if (planned.needsOpen && (debit.flags.closed || credit.flags.closed)) {
      return reject(index, r.id, "account_closed", debit.flags.closed ? debit.id : credit.id)
    }
    const nextDebit = shift(debit, planned.debit)
    const nextCredit = shift(credit, planned.credit)
    if (nextDebit === undefined) return reject(index, r.id, "overflow", debit.id)
    if (nextCredit === undefined) return reject(index, r.id, "overflow", credit.id)
    const brokenDebit = limitBroken(nextDebit)
    if (brokenDebit !== undefined) return reject(index, r.id, brokenDebit, debit.id)
    const brokenCredit = limitBroken(nextCredit)
    if (brokenCredit !== undefined) return reject(index, r.id, brokenCredit, credit.id)
    const unhashed: Omit<Transfer, "hash"> = {
      id: r.id,
      communityId,
      kind: planned.kind,
      debitAccountId: planned.debitAccountId,
      creditAccountId: planned.creditAccountId,
      amount: planned.amount,
      unit: planned.unit,
      code: planned.code,
      reason: r.reason,
      pendingId: planned.pendingId,
      expiresAt: planned.expiresAt,
      reverses: planned.reverses,
      batchId,
      timestamp: at,
      fingerprint: print,
      sequence: draft.head.sequence + 1,
      previousHash: draft.head.hash
    }
    const transfer: Transfer = { ...unhashed, hash: hashTransfer(unhashed) }
    draft.accounts.set(nextDebit.id, nextDebit)
    draft.accounts.set(nextCredit.id, nextCredit)
    draft.transfers.set(transfer.id, transfer)
    draft.head = { sequence: transfer.sequence, hash: transfer.hash }
    if (planned.kind === "pending") {
      const hold: Hold = { status: "pending", resolvedBy: null }
      draft.holds.set(transfer.id, hold)
      holds.push([transfer.id, hold])
    } else if (planned.pendingId !== null) {
      const hold: Hold = { status: planned.kind === "post_pending" ? "posted" : "voided", resolvedBy: transfer.id }
      draft.holds.set(planned.pendingId, hold)
      holds.push([planned.pendingId, hold])
    }
    if (planned.reverses !== null) {
      draft.reversedBy.set(planned.reverses, transfer.id)
      reversals.push([planned.reverses, transfer.id])
    }
    created.push(transfer)
    results.push({ transfer, replayed: false })
  }
  const heads = created.length === 0 ? state.heads : merge(state.heads, new Map([[communityId, draft.head]]))
  oncePerChange(state.accounts, draft.accounts)
  return Result.succeed({
    state: {
      accounts: merge(state.accounts, draft.accounts),
      transfers: merge(state.transfers, draft.transfers),
      holds: merge(state.holds, draft.holds),
      reversedBy: merge(state.reversedBy, draft.reversedBy),
      heads
    },
    results,
    created,
    accounts: [...draft.accounts.values()],
    holds: [...new Map(holds)],
    reversals,
    head: draft.head
  })
}

/** Holds released by {@link expire}: the new state, the expired transfers' ids and the accounts changed. */
export interface Expired {
  readonly state: LedgerState
  readonly expired: ReadonlyArray<TransferId>
  readonly accounts: ReadonlyArray<LedgerAccount>
}

/**
 * Releases every hold whose timeout has passed at `now` (`expiresAt ≤ now`): its pending amounts
 * leave both accounts and its status becomes `expired`. Expiring is not a transfer: the hold's
 * own `expiresAt` says when it ended, so {@link balanceAt} agrees. Holds already resolved, or
 * without a timeout, are left alone; running it twice changes nothing more. A store loads the
 * pending holds with `expiresAt ≤ now` and their two accounts; a hold whose accounts are not in the
 * state is skipped, never half-released.
 */
export const expire = (state: LedgerState, now: DateTime.Utc): Expired => {
  const at = millis(now)
  const accounts = new Map<LedgerAccountId, LedgerAccount>()
  const holds = new Map<TransferId, Hold>()
  const expired: Array<TransferId> = []
  for (const [id, hold] of state.holds) {
    if (hold.status !== "pending") continue
    const p = state.transfers.get(id)
    if (p === undefined || p.expiresAt === null || p.expiresAt > at) continue
    const debit = accounts.get(p.debitAccountId) ?? state.accounts.get(p.debitAccountId)
    const credit = accounts.get(p.creditAccountId) ?? state.accounts.get(p.creditAccountId)
    const nextDebit = debit === undefined ? undefined : shift(debit, [0, -p.amount, 0, 0])
    const nextCredit = credit === undefined ? undefined : shift(credit, [0, 0, 0, -p.amount])
    // a hold whose accounts were not loaded is left for a run that loads them
    if (nextDebit === undefined || nextCredit === undefined) continue
    accounts.set(nextDebit.id, nextDebit)
    accounts.set(nextCredit.id, nextCredit)
    holds.set(id, { status: "expired", resolvedBy: null })
    expired.push(id)
  }
  oncePerChange(state.accounts, accounts)
  return {
    state: { ...state, accounts: merge(state.accounts, accounts), holds: merge(state.holds, holds) },
    expired,
    accounts: [...accounts.values()]
  }
}

/** An account's four totals at a point in time. */
export interface AccountBalance {
  readonly debitsPosted: number
  readonly debitsPending: number
  readonly creditsPosted: number
  readonly creditsPending: number
}

/**
 * An account's totals at `at` (inclusive), from its history alone: posted transfers and posted
 * parts of holds count as posted; a hold counts as pending from its timestamp until it was posted
 * or voided (by a transfer at or before `at`) or its `expiresAt` passed. Reversals are ordinary
 * posted transfers, so a corrected amount shows before the correction and not after it. Fails
 * with `InvalidInput` if a total leaves the safe integer range.
 */
export const balanceAt = (
  transfers: Iterable<Transfer>,
  accountId: LedgerAccountId,
  at: DateTime.Utc
): Result.Result<AccountBalance, InvalidInput> => {
  const t = millis(at)
  const relevant: Array<Transfer> = []
  const resolvedAt = new Map<TransferId, number>()
  for (const x of transfers) {
    if (x.timestamp > t) continue
    if (x.pendingId !== null) resolvedAt.set(x.pendingId, x.timestamp)
    if (x.debitAccountId === accountId || x.creditAccountId === accountId) relevant.push(x)
  }
  let debitsPosted = 0
  let debitsPending = 0
  let creditsPosted = 0
  let creditsPending = 0
  for (const x of relevant) {
    const isDebit = x.debitAccountId === accountId
    if (x.kind === "posted" || x.kind === "post_pending") {
      if (isDebit) debitsPosted += x.amount
      else creditsPosted += x.amount
    } else if (x.kind === "pending") {
      const open = !resolvedAt.has(x.id) && (x.expiresAt === null || x.expiresAt > t)
      if (open && isDebit) debitsPending += x.amount
      else if (open) creditsPending += x.amount
    }
  }
  const totals = { debitsPosted, debitsPending, creditsPosted, creditsPending }
  return Object.values(totals).every(Number.isSafeInteger)
    ? Result.succeed(totals)
    : Result.fail(InvalidInput.of("transfers", "the totals exceed the safe integer range / 累计数额超出范围"))
}

/**
 * {@link balanceAt} folded over an account's history page by page, for a store that reads it in
 * pages: `add` each page in chain order (`sequence` ascending), then take `result()`. What it
 * keeps between pages is the four sums and the holds still open, never the history itself.
 *
 * Every page is read to the end: a transfer later in the chain may carry an earlier timestamp
 * (the servers of one community may disagree about the time, or a clock may be set back), and it
 * counts when its timestamp is not after `at`, as in `balanceAt`.
 *
 * The same totals as `balanceAt` over the same transfers in chain order, whatever their
 * timestamps (property-tested).
 *
 * @example
 * ```ts
 * const walk = LedgerRules.balanceWalk(accountId, at)
 * for (const page of pages) walk.add(page)
 * const totals = walk.result()
 * ```
 */
export const balanceWalk = (
  accountId: LedgerAccountId,
  at: DateTime.Utc
): {
  readonly add: (transfers: Iterable<Transfer>) => void
  readonly result: () => Result.Result<AccountBalance, InvalidInput>
} => {
  const t = millis(at)
  let debitsPosted = 0
  let creditsPosted = 0
  /** The account's holds seen so far, not after `at`, and not yet posted or voided by then. */
  const open = new Map<TransferId, Transfer>()
  return {
    add: (transfers) => {
      for (const x of transfers) {
        if (x.timestamp > t) continue
        if (x.pendingId !== null) open.delete(x.pendingId)
        const isDebit = x.debitAccountId === accountId
        if (!isDebit && x.creditAccountId !== accountId) continue
        if (x.kind === "posted" || x.kind === "post_pending") {
          if (isDebit) debitsPosted += x.amount
          else creditsPosted += x.amount
        } else if (x.kind === "pending") {
          open.set(x.id, x)
        }
      }
    },
    result: () => {
      let debitsPending = 0
      let creditsPending = 0
      for (const x of open.values()) {
        if (x.expiresAt !== null && x.expiresAt <= t) continue
        if (x.debitAccountId === accountId) debitsPending += x.amount
        else creditsPending += x.amount
      }
      const totals = { debitsPosted, debitsPending, creditsPosted, creditsPending }
      return Object.values(totals).every(Number.isSafeInteger)
        ? Result.succeed(totals)
        : Result.fail(InvalidInput.of("transfers", "the totals exceed the safe integer range / 累计数额超出范围"))
    }
  }
}
