/**
 * Shared pieces of the ledger suites: ids, account inputs and requests of Candy Commune
 * (糖果公社) and the community fund, and port-level helpers that open accounts and apply batches
 * through `LedgerRepo` the way the service does.
 *
 * @module
 */
import { LedgerAccountId, LedgerRepo, LedgerRules, Transactor, TransferId } from "@commonweal/core"
import type {
  AccountKind,
  CommunitiesStorage,
  CommunityId,
  Conflict,
  KernelStorage,
  LedgerAccount,
  LedgerState,
  LedgerStorage,
  OpenAccountInput,
  TransferBatch,
  TransferRejected,
  TransferRequest
} from "@commonweal/core"
import { DateTime, Effect, Result } from "effect"
import { randomUuid7 } from "../builders.js"

/** The ports the ledger suites run on: the kernel's, the communities' (a ledger belongs to a provisioned community) and the ledger's own. */
export type LedgerContractPorts = KernelStorage | CommunitiesStorage | LedgerStorage

/** A fresh random account id. */
export const freshAccountId = (): LedgerAccountId => LedgerAccountId.make(randomUuid7())
/** A fresh random transfer id. */
export const freshTransferId = (): TransferId => TransferId.make(randomUuid7())

/** 2026-08-20 10:00 in Shanghai: the time the port-level helpers apply batches at. */
export const t0 = DateTime.makeUnsafe("2026-08-20T02:00:00Z")

/** `t0` plus whole seconds. */
export const later = (seconds: number): DateTime.Utc => DateTime.makeUnsafe(DateTime.toEpochMillis(t0) + seconds * 1000)

/** An account input of the community with a fresh id (CNY unless told otherwise). */
export const accountInput = (
  communityId: CommunityId,
  name: string,
  kind: AccountKind,
  flags: Partial<
    Pick<OpenAccountInput, "debitsMustNotExceedCredits" | "creditsMustNotExceedDebits" | "upperBound">
  > = {},
  unit = "CNY"
): OpenAccountInput => ({
  id: freshAccountId(),
  communityId,
  unit,
  kind,
  owner: { type: "community", id: "junxin" },
  name,
  ...flags
})

/** A posted request with a fresh id (CNY, code 1 unless told otherwise). */
export const posted = (
  debit: LedgerAccountId,
  credit: LedgerAccountId,
  amount: number,
  reason: string,
  code = 1
): Extract<TransferRequest, { _tag: "Posted" }> => ({
  _tag: "Posted",
  id: freshTransferId(),
  debitAccountId: debit,
  creditAccountId: credit,
  amount,
  unit: "CNY",
  code,
  reason
})

/** A pending request (a hold) with a fresh id. */
export const pending = (
  debit: LedgerAccountId,
  credit: LedgerAccountId,
  amount: number,
  timeoutSeconds: number,
  reason: string
): Extract<TransferRequest, { _tag: "Pending" }> => ({
  _tag: "Pending",
  id: freshTransferId(),
  debitAccountId: debit,
  creditAccountId: credit,
  amount,
  unit: "CNY",
  code: 9,
  reason,
  timeoutSeconds
})

/**
 * The changed accounts at one version past the loaded ones, as `LedgerRepo.write` expects (the
 * engine bumps a version once per request that moves the account; the service does the same).
 */
export const oneVersionOn = (
  loaded: LedgerState,
  accounts: ReadonlyArray<LedgerAccount>
): ReadonlyArray<LedgerAccount> =>
  accounts.map((a) => {
    const before = loaded.accounts.get(a.id)
    return before === undefined ? a : { ...a, version: before.version + 1 }
  })

/** Opens accounts through the port in one transaction (load, `LedgerRules.openAccount`, write) and returns them. */
export const openAccounts = (
  communityId: CommunityId,
  inputs: ReadonlyArray<OpenAccountInput>
): Effect.Effect<ReadonlyArray<LedgerAccount>, Conflict, LedgerRepo | Transactor> =>
  Effect.gen(function* () {
    const repo = yield* LedgerRepo
    const tx = yield* Transactor
    return yield* tx.withTransaction(
      Effect.gen(function* () {
        let state = yield* repo.load(communityId, { accountIds: inputs.map((i) => i.id), transferIds: [] })
        const opened: Array<LedgerAccount> = []
        for (const input of inputs) {
          const result = Result.getOrThrow(LedgerRules.openAccount(state, input, t0))
          state = result.state
          opened.push(result.account)
        }
        yield* repo.write({
          communityId,
          created: [],
          accounts: opened,
          holds: [],
          reversals: [],
          head: state.heads.get(communityId) ?? { sequence: 0, hash: "0".repeat(64) }
        })
        return opened
      })
    )
  })

/**
 * Applies a batch through the port in one transaction (load the footprint, `LedgerRules.applyBatch`
 * at `at`, write the changes) and returns what the rule returned.
 */
export const applyBatch = (
  batch: TransferBatch,
  at: DateTime.Utc = t0
): Effect.Effect<LedgerRules.BatchApplied, Conflict | TransferRejected, LedgerRepo | Transactor> =>
  Effect.gen(function* () {
    const repo = yield* LedgerRepo
    const tx = yield* Transactor
    return yield* tx.withTransaction(
      Effect.gen(function* () {
        const state = yield* repo.load(batch.communityId, LedgerRules.footprint(batch))
        const applied = yield* Effect.fromResult(LedgerRules.applyBatch(state, batch, at))
        yield* repo.write({
          communityId: batch.communityId,
          created: applied.created,
          accounts: oneVersionOn(state, applied.accounts),
          holds: applied.holds,
          reversals: applied.reversals,
          head: applied.head
        })
        return applied
      })
    )
  })
