/**
 * The ledger service: open, close and reopen accounts, apply linked batches of transfers,
 * release expired holds, and read accounts, balances, history, the hash chain and the journal.
 *
 * Every method runs as the {@link CurrentActor}, in the actor's community: a batch or an account
 * naming another community is `NotFound`, as if it did not exist. Commands check the actor's
 * permission ({@link LedgerPermissions}), decode their input (typed or not), then in **one
 * transaction** load what they touch through {@link LedgerRepo} (which locks the community's chain
 * head: one writer per community at a time), apply a pure rule of `LedgerRules`, write the
 * changes and append one domain event to the outbox. The time comes from `Clock`, read after the
 * lock, so transfer timestamps follow the chain's order as long as every server writing to the
 * community agrees about the time; nothing relies on it (balances at a time read the whole
 * history, and the chain is ordered by `sequence`).
 *
 * A refused request of a batch fails the whole batch with the kernel error it amounts to
 * (`LedgerRules.toDomainError`: `InsufficientFunds`, `Conflict`, `NotFound`,
 * `InvalidTransition`, `InvalidInput`); its message names the request's index, the transfer id
 * and the reason code.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { CurrentActor, IdGenerator, Ledger } from "@commonweal/core"
 * import { MemoryStore } from "@commonweal/store-memory"
 *
 * const sale = Effect.gen(function* () {
 *   const ledger = yield* Ledger
 *   return yield* ledger.transfer({
 *     requests: [{
 *       _tag: "Posted",
 *       id: "0190f0a0-0000-7000-8000-00000000a001",
 *       debitAccountId: cashId,
 *       creditAccountId: salesId,
 *       amount: 2_500, // 25.00 元
 *       unit: "CNY",
 *       code: 1,
 *       reason: "幸运君折叠伞 ×1"
 *     }]
 *   })
 * }).pipe(Effect.provideService(CurrentActor, staffActor))
 *
 * Effect.runPromise(sale.pipe(
 *   Effect.provide(Ledger.layer.pipe(Layer.provide(Layer.merge(MemoryStore.layer, IdGenerator.Live))))
 * ))
 * ```
 *
 * @module
 */
import { Clock, Context, DateTime, Effect, Layer, Option, Result, Schema } from "effect"
import type { Actor } from "../kernel/Actor.js"
import { CurrentActor } from "../kernel/Actor.js"
import type { Conflict, DomainError, Forbidden, InsufficientFunds, InvalidTransition } from "../kernel/Errors.js"
import { InvalidInput, NotFound } from "../kernel/Errors.js"
import { makeEvent, Outbox } from "../kernel/Event.js"
import type { CommunityId } from "../kernel/Ids.js"
import { IdGenerator } from "../kernel/Ids.js"
import type { Page, PageRequest } from "../kernel/Paging.js"
import * as Paging from "../kernel/Paging.js"
import { authorize } from "../kernel/Policy.js"
import { Transactor } from "../kernel/Transactor.js"
import { decodeInput } from "../kernel/Validation.js"
import * as Journal from "./Journal.js"
import type { ChainHead, LedgerAccount, Transfer, TransferId } from "./Ledger.js"
import { GENESIS_HASH, LedgerAccountId, OpenAccountInput, TransferBatch } from "./Ledger.js"
import { ChainBroken, verifyChain } from "./LedgerChain.js"
import {
  HoldsExpired,
  LedgerAccountClosed,
  LedgerAccountOpened,
  LedgerAccountReopened,
  LedgerEvent
} from "./LedgerEvent.js"
import type { LedgerChanges, LedgerStorage } from "./LedgerRepo.js"
import { LedgerRepo } from "./LedgerRepo.js"
import * as Rules from "./LedgerRules.js"
import { postWithin } from "./Posting.js"
import { LedgerPermissions as P } from "./permissions.js"

/**
 * What opening an account takes, in its encoded (plain JSON) form. `communityId` may be left out
 * (it is the actor's); another community's is `NotFound`.
 */
export type OpenAccountRequest = Omit<typeof OpenAccountInput.Encoded, "communityId"> & {
  readonly communityId?: string
}

/**
 * A linked batch, in its encoded (plain JSON) form. `communityId` may be left out (it is the
 * actor's); another community's is `NotFound`.
 */
export type TransferBatchRequest = Omit<typeof TransferBatch.Encoded, "communityId"> & {
  readonly communityId?: string
}

/** The errors a ledger command can fail with. */
export type LedgerCommandError = NotFound | Forbidden | InvalidInput | Conflict | InvalidTransition | InsufficientFunds

/** What {@link Ledger}'s `verifyChain` found: how many transfers it walked and the head they end at. */
export interface ChainVerified {
  readonly transfers: number
  readonly head: ChainHead
}

/** How many records the service reads per call when it walks a whole list (chain, journal, balances). */
const WALK = 1_000

/** The most holds one `expire` call releases. */
export const MAX_EXPIRE_LIMIT = 10_000

const isAccountId = Schema.is(LedgerAccountId)

/** A chain sequence from a history cursor: a non-negative safe integer. */
const sequenceOf = (after: string | undefined): Result.Result<number, InvalidInput> => {
  if (after === undefined) return Result.succeed(0)
  const n = /^(?:0|[1-9]\d{0,15})$/u.test(after) ? Number(after) : Number.NaN
  return Number.isSafeInteger(n)
    ? Result.succeed(n)
    : Result.fail(InvalidInput.of("cursor", "is not a cursor from this list / 分页游标无效"))
}

/**
 * The ledger service. `Ledger.layer` builds it from the storage ports (`LedgerRepo`, `Outbox`,
 * `Transactor`) and `IdGenerator`.
 */
export class Ledger extends Context.Service<Ledger>()("@commonweal/core/Ledger", {
  make: Effect.gen(function* () {
    const repo = yield* LedgerRepo
    const outbox = yield* Outbox
    const transactor = yield* Transactor
    const ids = yield* IdGenerator

    const now = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.makeUnsafe(ms))
    const transaction = transactor.withTransaction

    const append = (
      actor: Actor,
      aggregateType: "LedgerAccount" | "LedgerBatch",
      aggregateId: string,
      aggregateVersion: number,
      event: LedgerEvent
    ) =>
      makeEvent(LedgerEvent, { actor, aggregateType, aggregateId, aggregateVersion, event }).pipe(
        Effect.provideService(IdGenerator, ids),
        Effect.flatMap((e) => outbox.append([e]))
      )

    /** The actor's community, or `NotFound` when the input names another one. */
    const sameCommunity = (actor: Actor, named: string | undefined): Effect.Effect<CommunityId, NotFound> =>
      named === undefined || named === actor.communityId
        ? Effect.succeed(actor.communityId)
        : Effect.fail(NotFound.of("Community", named))

    const headOf = (state: Rules.LedgerState, communityId: CommunityId): ChainHead =>
      state.heads.get(communityId) ?? { sequence: 0, hash: GENESIS_HASH }

    /** Writes an account change (no transfers) at the head the state was loaded with. */
    const writeAccount = (communityId: CommunityId, state: Rules.LedgerState, account: LedgerAccount) => {
      const changes: LedgerChanges = {
        communityId,
        created: [],
        accounts: [account],
        holds: [],
        reversals: [],
        head: headOf(state, communityId)
      }
      return repo.write(changes)
    }

    /** Loads one account of the actor's community (a malformed id is `NotFound` without a read). */
    const findAccount = (actor: Actor, id: string): Effect.Effect<LedgerAccount, NotFound> =>
      Effect.flatMap(
        isAccountId(id) ? repo.findAccount(actor.communityId, id) : Effect.succeedNone,
        Option.match({ onNone: () => Effect.fail(NotFound.of("LedgerAccount", id)), onSome: Effect.succeed })
      )

    /** Every transfer of the community in chain order (of one account, with `accountId`), in pages. */
    const allTransfers = (communityId: CommunityId, accountId?: LedgerAccountId) =>
      Effect.gen(function* () {
        const out: Array<Transfer> = []
        let after = 0
        for (;;) {
          const page =
            accountId === undefined
              ? yield* repo.transfers(communityId, after, WALK)
              : yield* repo.transfers(communityId, after, WALK, accountId)
          out.push(...page)
          const last = page[page.length - 1]
          if (page.length < WALK || last === undefined) return out
          after = last.sequence
        }
      })

    /** Closes or reopens an account: one transaction, one event. */
    const toggle = (id: string, close: boolean): Effect.Effect<LedgerAccount, LedgerCommandError, CurrentActor> =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        yield* authorize(actor, P["accounts:close"])
        if (!isAccountId(id)) return yield* Effect.fail(NotFound.of("LedgerAccount", id))
        const communityId = actor.communityId
        return yield* transaction(
          Effect.gen(function* () {
            const state = yield* repo.load(communityId, { accountIds: [id], transferIds: [] })
            const rule = close ? Rules.closeAccount : Rules.reopenAccount
            const { account } = yield* Effect.fromResult(rule(state, communityId, id))
            yield* writeAccount(communityId, state, account)
            yield* append(
              actor,
              "LedgerAccount",
              account.id,
              account.version,
              close
                ? LedgerAccountClosed.make({ accountId: account.id })
                : LedgerAccountReopened.make({ accountId: account.id })
            )
            return account
          })
        )
      })

    return {
      /**
       * Opens an account in the actor's community, with zero totals at version 1. Needs
       * `ledger:accounts:open`. The id is chosen by the caller and is the idempotency key: the same
       * id with the same content returns the account as it is now (no event); with other content
       * it is `Conflict` (duplicate).
       */
      openAccount: (input: OpenAccountRequest): Effect.Effect<LedgerAccount, LedgerCommandError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P["accounts:open"])
          const communityId = yield* sameCommunity(actor, input.communityId)
          const valid = yield* decodeInput(OpenAccountInput)({ ...input, communityId })
          return yield* transaction(
            Effect.gen(function* () {
              const state = yield* repo.load(communityId, { accountIds: [valid.id], transferIds: [] })
              const opened = yield* Effect.fromResult(Rules.openAccount(state, valid, yield* now))
              if (opened.replayed) return opened.account
              yield* writeAccount(communityId, state, opened.account)
              yield* append(
                actor,
                "LedgerAccount",
                opened.account.id,
                opened.account.version,
                LedgerAccountOpened.make({
                  accountId: opened.account.id,
                  unit: opened.account.unit,
                  kind: opened.account.kind,
                  ownerType: opened.account.owner.type
                })
              )
              return opened.account
            })
          )
        }),

      /**
       * Closes a settled account (zero balance, nothing pending) so that it refuses new transfers;
       * holds on it may still be posted or voided. Needs `ledger:accounts:close`.
       */
      closeAccount: (id: string): Effect.Effect<LedgerAccount, LedgerCommandError, CurrentActor> => toggle(id, true),

      /** Reopens a closed account. Needs `ledger:accounts:close`. */
      reopenAccount: (id: string): Effect.Effect<LedgerAccount, LedgerCommandError, CurrentActor> => toggle(id, false),

      /**
       * Applies a linked batch in the actor's community: every request succeeds, in order, or
       * none does. Needs `ledger:transfer`. Returns one result per request; a request whose id was
       * recorded before with the same content is a replay (`replayed: true`, nothing posted
       * again). A batch that creates transfers appends one `TransfersApplied` event. Fails with
       * the error `LedgerRules.toDomainError` maps the refusal to (typed as the kernel's
       * `DomainError`; never `CapacityExceeded`).
       */
      transfer: (
        input: TransferBatchRequest
      ): Effect.Effect<ReadonlyArray<Rules.TransferResult>, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.transfer)
          const communityId = yield* sameCommunity(actor, input.communityId)
          const candidate = { ...input, communityId }
          // a batch of plain transfers that surely passes the schema skips its decode
          const batch = Rules.plainBatch(candidate) ?? (yield* decodeInput(TransferBatch)(candidate))
          // the engine, the write and the event are `postWithin`'s, in this transaction
          return yield* transaction(
            postWithin(actor, {
              requests: batch.requests,
              ...(batch.batchId === undefined ? {} : { batchId: batch.batchId })
            }).pipe(
              Effect.provideService(LedgerRepo, repo),
              Effect.provideService(Outbox, outbox),
              Effect.provideService(IdGenerator, ids)
            )
          )
        }),

      /**
       * Maintenance: releases the holds of the actor's community whose timeout has passed, at most
       * `limit` (1 to {@link MAX_EXPIRE_LIMIT}, earliest expiry first), and returns their ids. Needs
       * `ledger:transfer` (a job runs it as `systemActor`). Appends one `HoldsExpired` event when
       * any hold was released; run it again until it returns fewer than `limit`.
       */
      expire: (limit: number): Effect.Effect<ReadonlyArray<TransferId>, LedgerCommandError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.transfer)
          if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_EXPIRE_LIMIT) {
            return yield* Effect.fail(
              InvalidInput.of(
                "limit",
                `must be an integer from 1 to ${MAX_EXPIRE_LIMIT} / 数量须为 1 到 ${MAX_EXPIRE_LIMIT} 之间的整数`
              )
            )
          }
          const communityId = actor.communityId
          return yield* transaction(
            Effect.gen(function* () {
              const at = yield* now
              const state = yield* repo.loadExpiring(communityId, DateTime.toEpochMillis(at), limit)
              const expired = Rules.expire(state, at)
              const first = expired.expired[0]
              if (first === undefined) return expired.expired
              const head = headOf(state, communityId)
              yield* repo.write({
                communityId,
                created: [],
                accounts: expired.accounts,
                holds: expired.expired.map((id) => [id, { status: "expired", resolvedBy: null }] as const),
                reversals: [],
                head
              })
              yield* append(
                actor,
                "LedgerBatch",
                first,
                head.sequence,
                HoldsExpired.make({ transferIds: expired.expired })
              )
              return expired.expired
            })
          )
        }),

      /** One account of the actor's community. Needs `ledger:read`; another community's is `NotFound`. */
      account: (id: string): Effect.Effect<LedgerAccount, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          return yield* findAccount(actor, id)
        }),

      /** The accounts of the actor's community, ordered by id, cursor-paged. Needs `ledger:read`. */
      accounts: (page?: PageRequest): Effect.Effect<Page<LedgerAccount>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const window = yield* Effect.fromResult(Paging.window(page))
          const fetched = yield* repo.listAccounts(actor.communityId, { after: window.after, limit: window.limit + 1 })
          return Paging.fromItems(fetched, window.limit, (a) => a.id)
        }),

      /**
       * An account's four totals at `at` (inclusive), computed from its history: holds count as
       * pending until posted, voided or expired, reversals as the posted transfers they are. Reads
       * the history in pages, keeping the sums and the open holds, not the history
       * (`LedgerRules.balanceWalk`). Needs `ledger:read`.
       */
      balanceAt: (
        accountId: string,
        at: DateTime.Utc
      ): Effect.Effect<Rules.AccountBalance, NotFound | Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const account = yield* findAccount(actor, accountId)
          // the history in pages, folded as it comes
          const walk = Rules.balanceWalk(account.id, at)
          let after = 0
          for (;;) {
            const page = yield* repo.transfers(actor.communityId, after, WALK, account.id)
            walk.add(page)
            const last = page[page.length - 1]
            if (page.length < WALK || last === undefined) break
            after = last.sequence
          }
          return yield* Effect.fromResult(walk.result())
        }),

      /**
       * The transfers that debit or credit an account, in chain order (oldest first), cursor-paged
       * by chain sequence. Needs `ledger:read`.
       */
      history: (
        accountId: string,
        page?: PageRequest
      ): Effect.Effect<Page<Transfer>, NotFound | Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const window = yield* Effect.fromResult(Paging.window(page))
          const after = yield* Effect.fromResult(sequenceOf(window.after))
          const account = yield* findAccount(actor, accountId)
          const fetched = yield* repo.transfers(actor.communityId, after, window.limit + 1, account.id)
          return Paging.fromItems(fetched, window.limit, (t) => String(t.sequence))
        }),

      /**
       * Walks the actor's community's hash chain from the first transfer to the head and fails
       * with `ChainBroken` naming the first break (a transfer missing, added, reordered or changed,
       * or a head that is not the last transfer). Needs `ledger:verify`. Runs in one transaction
       * holding the community's lock, so it sees one consistent chain (writers wait meanwhile).
       */
      verifyChain: (): Effect.Effect<ChainVerified, ChainBroken | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.verify)
          const communityId = actor.communityId
          return yield* transaction(
            Effect.gen(function* () {
              const head = yield* repo.lockCommunity(communityId)
              const transfers = yield* allTransfers(communityId)
              const verified = yield* Effect.fromResult(verifyChain(transfers))
              const last = verified.heads.get(communityId)
              const end: ChainHead = last === undefined ? { sequence: 0, hash: GENESIS_HASH } : last
              if (end.sequence !== head.sequence || end.hash !== head.hash) {
                return yield* Effect.fail(
                  new ChainBroken({
                    communityId,
                    sequence: end.sequence + 1,
                    transferId: last?.transferId ?? "",
                    reason: "sequence_gap",
                    message: `The chain ends at #${end.sequence} but its head is #${head.sequence}: transfers are missing or the head was changed / 链尾与链头不符：转账缺失或链头被改动`
                  })
                )
              }
              return { transfers: transfers.length, head }
            })
          )
        }),

      /**
       * The actor's community's accounts and transfers as an hledger journal (see `Journal`),
       * holds open as of now, dates in `timeZone` (default `Asia/Shanghai`). Needs `ledger:read`.
       * Reads in one transaction holding the community's lock, so the journal is of one moment.
       */
      exportJournal: (options?: {
        readonly timeZone?: string
      }): Effect.Effect<string, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const timeZone = options?.timeZone ?? "Asia/Shanghai"
          if (Option.isNone(DateTime.zoneMakeNamed(timeZone))) {
            return yield* Effect.fail(InvalidInput.of("timeZone", "is not an IANA time zone / 不是有效的时区名称"))
          }
          const communityId = actor.communityId
          // one transaction holding the community's lock: accounts and transfers of one moment
          return yield* transaction(
            Effect.gen(function* () {
              yield* repo.lockCommunity(communityId)
              const accounts: Array<LedgerAccount> = []
              let after: string | undefined
              for (;;) {
                const page = yield* repo.listAccounts(communityId, { after, limit: WALK })
                accounts.push(...page)
                const last = page[page.length - 1]
                if (page.length < WALK || last === undefined) break
                after = last.id
              }
              const transfers = yield* allTransfers(communityId)
              return Journal.toJournal(accounts, transfers, { asOf: yield* now, timeZone })
            })
          )
        })
    }
  })
}) {
  /** The service, built from the storage ports (`LedgerRepo`, `Outbox`, `Transactor`) and `IdGenerator`. */
  static readonly layer: Layer.Layer<Ledger, never, LedgerStorage | Outbox | Transactor | IdGenerator> = Layer.effect(
    this,
    this.make
  )
}
