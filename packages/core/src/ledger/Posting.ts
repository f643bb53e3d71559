/**
 * Posting to the ledger from another domain's service, inside that service's transaction.
 *
 * The fund, the workshop and mutual aid move money, parts and minutes through the ledger as part
 * of their own commands (approving a round holds its amounts; recording a sale posts it). Those
 * commands check their own domain's permissions, then call {@link postWithin} in the same
 * transaction as their own writes, so a record and the transfers it names commit together or not
 * at all. The ledger's rules are the same as `Ledger.transfer`'s (they are one engine); only the
 * permission check is the calling domain's.
 *
 * `postWithin` checks **no permission**: it is for domain services, which authorize first. It must
 * run inside `Transactor.withTransaction` (its reads lock the community's ledger).
 *
 * @module
 */
import { Clock, DateTime, Effect } from "effect"
import type { Actor } from "../kernel/Actor.js"
import type { DomainError } from "../kernel/Errors.js"
import { makeEvent, Outbox } from "../kernel/Event.js"
import type { IdGenerator } from "../kernel/Ids.js"
import type { BatchId, LedgerAccountId, OpenAccountInput, Transfer, TransferRequest } from "./Ledger.js"
import { GENESIS_HASH } from "./Ledger.js"
import { LedgerAccountOpened, LedgerEvent, TransfersApplied, type UnitTotal } from "./LedgerEvent.js"
import { LedgerRepo } from "./LedgerRepo.js"
import * as Rules from "./LedgerRules.js"

/** What {@link postWithin} takes: accounts to open when missing, then one linked batch. */
export interface Posting {
  /**
   * Accounts the batch may need, opened first when they do not exist (an existing one with the
   * same content is left as it is; with other content the posting fails with `Conflict`). Each
   * must be of the actor's community.
   */
  readonly open?: ReadonlyArray<OpenAccountInput>
  /** The requests of one linked batch (already decoded), applied after the openings. */
  readonly requests: ReadonlyArray<TransferRequest>
  readonly batchId?: BatchId
}

/** A refused request as the kernel error it amounts to, its message naming index, transfer id and reason. */
export const rejectedAsDomainError = (e: Rules.TransferRejected): DomainError =>
  Rules.toDomainError(
    new Rules.TransferRejected({
      index: e.index,
      transferId: e.transferId,
      reason: e.reason,
      accountId: e.accountId,
      message: `${e.message} [${e.reason}]`
    })
  )

/** The batch's per-unit totals, units in code order. */
export const unitTotals = (created: ReadonlyArray<Transfer>): Array<UnitTotal> => {
  const byUnit = new Map<string, number>()
  for (const t of created) byUnit.set(t.unit, (byUnit.get(t.unit) ?? 0) + t.amount)
  return [...byUnit].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([unit, amount]) => ({ unit, amount }))
}

/**
 * Opens the missing accounts of `posting.open`, then applies its batch, in the actor's community,
 * in the current transaction: the same engine, events (`LedgerAccountOpened`, `TransfersApplied`)
 * and errors as `Ledger.openAccount` and `Ledger.transfer`, without their permission checks.
 * Returns one result per request (replays included). An empty batch only opens accounts.
 */
export const postWithin = (
  actor: Actor,
  posting: Posting
): Effect.Effect<ReadonlyArray<Rules.TransferResult>, DomainError, LedgerRepo | Outbox | IdGenerator> =>
  Effect.gen(function* () {
    const repo = yield* LedgerRepo
    const outbox = yield* Outbox
    const communityId = actor.communityId
    const opens = posting.open ?? []
    const batch = {
      communityId,
      requests: posting.requests,
      ...(posting.batchId === undefined ? {} : { batchId: posting.batchId })
    }
    const fp = Rules.footprint(batch)
    const accountIds = new Set<LedgerAccountId>([...fp.accountIds, ...opens.map((o) => o.id)])
    let state = yield* repo.load(communityId, { accountIds: [...accountIds], transferIds: fp.transferIds })
    const at = DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
    const head = state.heads.get(communityId) ?? { sequence: 0, hash: GENESIS_HASH }
    const emit = (aggregateType: string, aggregateId: string, aggregateVersion: number, event: LedgerEvent) =>
      Effect.flatMap(makeEvent(LedgerEvent, { actor, aggregateType, aggregateId, aggregateVersion, event }), (e) =>
        outbox.append([e])
      )

    const opened = []
    for (const input of opens) {
      const result = yield* Effect.fromResult(Rules.openAccount(state, { ...input, communityId }, at))
      state = result.state
      if (!result.replayed) opened.push(result.account)
    }
    if (opened.length > 0) {
      yield* repo.write({ communityId, created: [], accounts: opened, holds: [], reversals: [], head })
      for (const account of opened) {
        yield* emit(
          "LedgerAccount",
          account.id,
          account.version,
          LedgerAccountOpened.make({
            accountId: account.id,
            unit: account.unit,
            kind: account.kind,
            ownerType: account.owner.type
          })
        )
      }
    }
    if (batch.requests.length === 0) return []
    const applied = yield* Effect.fromResult(Rules.applyBatch(state, batch, at)).pipe(
      Effect.mapError(rejectedAsDomainError)
    )
    const first = applied.created[0]
    if (first === undefined) return applied.results
    yield* repo.write({
      communityId,
      created: applied.created,
      accounts: applied.accounts,
      holds: applied.holds,
      reversals: applied.reversals,
      head: applied.head
    })
    yield* emit(
      "LedgerBatch",
      batch.batchId ?? first.id,
      applied.head.sequence,
      TransfersApplied.make({
        batchId: batch.batchId ?? null,
        transferIds: applied.created.map((t) => t.id),
        count: applied.created.length,
        totals: unitTotals(applied.created)
      })
    )
    return applied.results
  })
