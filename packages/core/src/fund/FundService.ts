/**
 * The fund service: Candy Commune's products and money entries, earmarked sub-funds, allocation
 * rounds from draft through public notice and sign-off to payment, and the statement and public
 * report of a period.
 *
 * Every method runs as the {@link CurrentActor} in the actor's community and checks a permission
 * of {@link FundPermissions} first. Money moves only through the ledger: a command that moves money
 * posts its transfers with `postWithin` in the **same transaction** as the fund record that names
 * them (an entry, a round's holds), so both commit or neither does, and the ledger's limits
 * (never overdraw a pool's cash) and idempotency (a transfer id posts once) hold for the fund too.
 *
 * - Recording an entry: the entry's id is the transfer's id and the idempotency key. The same
 *   entry again returns the recorded one; the same id with other content is `Conflict`.
 * - Approving a round holds each allocation as a pending transfer (`fund:grants` ← the pool's
 *   cash): the pool must have the money (else `InsufficientFunds`, and the sign-off is not
 *   recorded). Paying posts the holds, failing or cancelling voids them.
 * - Sign-off: only approvers; never the round's author; an approver whose household is a
 *   candidate's steps aside (`Forbidden`, with the reason).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { CurrentActor, Fund } from "@commonweal/core"
 *
 * const sale = Effect.gen(function* () {
 *   const fund = yield* Fund
 *   return yield* fund.record({
 *     id: "0190f0a0-0000-7000-8000-00000000a001", // chosen by the caller: retrying is safe
 *     kind: "sale",
 *     productId: umbrellaId,
 *     quantity: 3,                                // 3 × ¥25.00 from the product's price
 *     note: "义卖摊位 / charity stall"
 *   })
 * }).pipe(Effect.provideService(CurrentActor, treasurer))
 * ```
 *
 * @module
 */
import { Clock, Context, Effect, Layer, Option, type Result, Schema } from "effect"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import type { Actor } from "../kernel/Actor.js"
import { CurrentActor } from "../kernel/Actor.js"
import { makeAggregateCommands } from "../kernel/Command.js"
import type { DomainError } from "../kernel/Errors.js"
import { Conflict, type Forbidden, InvalidInput, NotFound } from "../kernel/Errors.js"
import { makeEvent, Outbox } from "../kernel/Event.js"
import type { HouseholdId } from "../kernel/Ids.js"
import { IdGenerator } from "../kernel/Ids.js"
import type { Page, PageRequest } from "../kernel/Paging.js"
import * as Paging from "../kernel/Paging.js"
import { authorize, can } from "../kernel/Policy.js"
import { Transactor } from "../kernel/Transactor.js"
import { decodeInput } from "../kernel/Validation.js"
import type { LedgerAccountId, Transfer, TransferRequest } from "../ledger/Ledger.js"
import { TransferId } from "../ledger/Ledger.js"
import { LedgerRepo } from "../ledger/LedgerRepo.js"
import { postWithin } from "../ledger/Posting.js"
import { ResidentRepo } from "../residents/ResidentRepo.js"
import type { Share } from "./Allocation.js"
import type {
  AllocationRound,
  EntryKind,
  FundEntry,
  FundSettings,
  Product,
  RoundCandidate,
  RoundStatus,
  SubFund
} from "./Fund.js"
import {
  AddProductInput,
  AddSubFundInput,
  type CandidateInput,
  Code,
  DraftRoundInput,
  FundCodes,
  ObjectionId,
  ProductId,
  RecordEntryInput,
  ReviseRoundInput,
  RoundId,
  RoundStatus as RoundStatusSchema,
  defaultSettings,
  UpdateProductInput,
  UpdateSettingsInput
} from "./Fund.js"
import * as Accounts from "./FundAccounts.js"
import {
  EntryRecorded,
  FundEvent,
  FundSettingsChanged,
  NoticeStarted,
  ObjectionAnswered,
  ObjectionFiled,
  ProductAdded,
  ProductUpdated,
  RoundCancelled,
  RoundDrafted,
  RoundFailed,
  RoundPaid,
  RoundRevised,
  RoundScheduled,
  RoundSignedOff,
  RoundSubmitted,
  SubFundAdded
} from "./FundEvent.js"
import type { EntryQuery, FundStorage } from "./FundRepo.js"
import { entryKey, FundRepo } from "./FundRepo.js"
import * as Rules from "./FundRules.js"
import { FundPermissions as P } from "./permissions.js"
import type { FundStatement, PublicReport, PublicRound } from "./Statement.js"
import * as Statement from "./Statement.js"

/** The errors a fund command can fail with. */
export type FundCommandError = DomainError

/** A family's view of its own application: its candidate line and where the round stands. */
export interface OwnApplication {
  readonly roundId: RoundId
  readonly title: string
  readonly status: RoundStatus
  readonly candidate: RoundCandidate
  /** The allocator's share for it, once the round was submitted. */
  readonly share: Share | null
  readonly noticeEndsAt: number | null
  readonly scheduledFor: number | null
}

/** A period, `[from, to)` in UTC epoch milliseconds. */
export interface Period {
  readonly from: number
  readonly to: number
}

const isRoundId = Schema.is(RoundId)
const isProductId = Schema.is(ProductId)
const isObjectionId = Schema.is(ObjectionId)
const isCode = Schema.is(Code)
const isStatus = Schema.is(RoundStatusSchema)
const isTransferId = Schema.is(TransferId)

/** How many records the service reads per call when it walks a whole list. */
const WALK = 1_000

/** Where the money of each kind of entry moves: the debited and credited accounts. */
const entryAccounts = (
  kind: EntryKind,
  communityId: Actor["communityId"],
  subFund: string | null
): { debit: LedgerAccountId; credit: LedgerAccountId; open: ReadonlyArray<Accounts.ChartKey> } => {
  const a = (key: Accounts.ChartKey) => Accounts.accountId(communityId, key)
  const pool = Accounts.poolCashId(communityId, subFund)
  switch (kind) {
    case "sale":
      return {
        debit: a("enterprise:cash"),
        credit: a("enterprise:sales"),
        open: ["enterprise:cash", "enterprise:sales"]
      }
    case "design_fee":
      return {
        debit: a("enterprise:costs:design"),
        credit: a("enterprise:cash"),
        open: ["enterprise:costs:design", "enterprise:cash"]
      }
    case "production_cost":
      return {
        debit: a("enterprise:costs:production"),
        credit: a("enterprise:cash"),
        open: ["enterprise:costs:production", "enterprise:cash"]
      }
    case "proceeds":
      return { debit: pool, credit: a("enterprise:cash"), open: ["enterprise:cash"] }
    case "donation":
      return { debit: pool, credit: a("fund:income:donations"), open: ["fund:income:donations"] }
    case "other_income":
      return { debit: pool, credit: a("fund:income:other"), open: ["fund:income:other"] }
    case "cost":
      return { debit: a("fund:costs"), credit: pool, open: ["fund:costs"] }
    case "earmark":
      return { debit: pool, credit: a("fund:cash"), open: ["fund:cash"] }
  }
}

/** Whether a recorded entry is the same as the one asked for again (an idempotent replay). */
const sameEntry = (a: FundEntry, b: FundEntry): boolean =>
  a.kind === b.kind &&
  a.amount === b.amount &&
  a.productId === b.productId &&
  a.quantity === b.quantity &&
  a.subFund === b.subFund &&
  a.counterparty === b.counterparty &&
  a.note === b.note

/**
 * The fund service. `Fund.layer` builds it from the storage ports (`FundRepo`, the ledger's
 * `LedgerRepo`, `ResidentRepo` for households, `CommunityRepo` for the report's name, `Outbox`,
 * `Transactor`) and `IdGenerator`.
 */
export class Fund extends Context.Service<Fund>()("@commonweal/core/Fund", {
  make: Effect.gen(function* () {
    const repo = yield* FundRepo
    const ledger = yield* LedgerRepo
    const residents = yield* ResidentRepo
    const communities = yield* CommunityRepo
    const outbox = yield* Outbox
    const transactor = yield* Transactor
    const ids = yield* IdGenerator
    const transaction = transactor.withTransaction
    const nowMs = Clock.currentTimeMillis
    const ledgerPorts = <A, E>(effect: Effect.Effect<A, E, LedgerRepo | Outbox | IdGenerator>) =>
      effect.pipe(
        Effect.provideService(LedgerRepo, ledger),
        Effect.provideService(Outbox, outbox),
        Effect.provideService(IdGenerator, ids)
      )

    const rounds = yield* makeAggregateCommands({
      entity: "AllocationRound",
      events: FundEvent,
      repo: {
        insert: repo.insertRound,
        update: repo.updateRound,
        lock: repo.lockRound,
        findById: repo.findRound
      },
      isId: isRoundId
    })

    /** Appends an event about a record that is not a round. */
    const append = (actor: Actor, aggregateType: string, aggregateId: string, version: number, event: FundEvent) =>
      makeEvent(FundEvent, { actor, aggregateType, aggregateId, aggregateVersion: version, event }).pipe(
        Effect.provideService(IdGenerator, ids),
        Effect.flatMap((e) => outbox.append([e]))
      )

    const settingsOf = (actor: Actor): Effect.Effect<FundSettings> =>
      Effect.map(
        repo.settings(actor.communityId),
        Option.getOrElse(() => defaultSettings(actor.communityId))
      )

    const findProduct = (actor: Actor, id: string): Effect.Effect<Product, NotFound> =>
      Effect.flatMap(isProductId(id) ? repo.findProduct(actor.communityId, id) : Effect.succeedNone, (found) =>
        Option.match(found, { onNone: () => Effect.fail(NotFound.of("Product", id)), onSome: Effect.succeed })
      )

    const findSubFund = (actor: Actor, code: string): Effect.Effect<SubFund, NotFound> =>
      Effect.flatMap(isCode(code) ? repo.findSubFund(actor.communityId, code) : Effect.succeedNone, (found) =>
        Option.match(found, { onNone: () => Effect.fail(NotFound.of("SubFund", code)), onSome: Effect.succeed })
      )

    /** The household of the resident the actor is, if any. */
    const householdOf = (actor: Actor): Effect.Effect<HouseholdId | null> =>
      actor.residentId === undefined
        ? Effect.succeed(null)
        : Effect.map(residents.findById(actor.communityId, actor.residentId), (r) =>
            Option.match(r, { onNone: () => null, onSome: (x) => x.householdId })
          )

    /** Candidates as stored: a family's household looked up from its resident (who must exist). */
    const resolveCandidates = (
      actor: Actor,
      inputs: ReadonlyArray<typeof CandidateInput.Type>
    ): Effect.Effect<ReadonlyArray<RoundCandidate>, InvalidInput> =>
      Effect.forEach(inputs, (c, i) =>
        Effect.gen(function* () {
          let householdId: HouseholdId | null = null
          if (c.residentId !== undefined) {
            const found = yield* residents.findById(actor.communityId, c.residentId)
            if (Option.isNone(found) || found.value.status === "erased") {
              return yield* Effect.fail(
                InvalidInput.of(`candidates.${i}.residentId`, "no such resident in this community / 本社区无此居民")
              )
            }
            householdId = found.value.householdId
          } else if (c.kind === "family") {
            return yield* Effect.fail(
              InvalidInput.of(
                `candidates.${i}.residentId`,
                "a family candidate names the resident who applied / 家庭申请须注明申请居民"
              )
            )
          }
          return {
            key: c.key,
            kind: c.kind,
            label: c.label,
            residentId: c.residentId ?? null,
            householdId,
            request: c.request,
            weight: c.weight,
            tier: c.tier ?? 1,
            minimum: c.minimum ?? null,
            cap: c.cap ?? null
          } satisfies RoundCandidate
        })
      )

    /** Posts the ledger side of a round's change (holds, payouts, voids) in the current transaction. */
    const moveHolds = (actor: Actor, round: AllocationRound, step: "hold" | "pay" | "void") => {
      const communityId = actor.communityId
      const pending = round.holds
      if (pending.length === 0) return Effect.void
      const requests: Array<TransferRequest> = pending.map(
        (h): TransferRequest =>
          step === "hold"
            ? {
                _tag: "Pending",
                id: h.transferId,
                debitAccountId: Accounts.accountId(communityId, "fund:grants"),
                creditAccountId: Accounts.poolCashId(communityId, round.subFund),
                amount: h.amount,
                unit: "CNY",
                code: FundCodes.grant,
                reason: round.title,
                timeoutSeconds: 0
              }
            : step === "pay"
              ? {
                  _tag: "PostPending",
                  id: Accounts.roundTransferId(round.id, h.key, "pay"),
                  pendingId: h.transferId,
                  reason: `paid / 已拨付: ${round.title}`
                }
              : {
                  _tag: "VoidPending",
                  id: Accounts.roundTransferId(round.id, h.key, "void"),
                  pendingId: h.transferId,
                  reason: `released / 已释放: ${round.title}`
                }
      )
      return ledgerPorts(
        postWithin(actor, {
          open:
            step === "hold"
              ? [Accounts.openInput(communityId, "fund:grants"), Accounts.poolOpenInput(communityId, round.subFund)]
              : [],
          requests
        })
      )
    }

    /** A command on a round: load in a transaction, authorize, rule, save, event, and its ledger side. */
    const roundCommand = (
      id: string,
      check: (actor: Actor) => Effect.Effect<void, Forbidden>,
      step: (
        actor: Actor,
        round: AllocationRound,
        now: number
      ) => Effect.Effect<
        { readonly round: AllocationRound; readonly event: FundEvent; readonly ledger?: "hold" | "pay" | "void" },
        DomainError
      >
    ): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        yield* check(actor)
        return yield* transaction(
          Effect.gen(function* () {
            const current = yield* rounds.load(actor, id)
            const now = yield* nowMs
            const changed = yield* step(actor, current, now)
            if (changed.ledger !== undefined) {
              // holds are voided only if the round had any (a draft being cancelled has none)
              const hadHolds = changed.ledger === "hold" ? changed.round : current
              if (hadHolds.holds.length > 0) yield* moveHolds(actor, hadHolds, changed.ledger)
            }
            return yield* rounds.save(actor, changed.round, changed.event)
          })
        )
      })

    const rule = <A, E>(result: Result.Result<A, E>) => Effect.fromResult(result)

    const walkEntries = (actor: Actor) =>
      Effect.gen(function* () {
        const out: Array<FundEntry> = []
        let after: string | undefined
        for (;;) {
          const page = yield* repo.listEntries({ communityId: actor.communityId }, { after, limit: WALK })
          out.push(...page)
          const last = page[page.length - 1]
          if (page.length < WALK || last === undefined) return out
          after = entryKey(last)
        }
      })

    const walkTransfers = (actor: Actor, accountId: LedgerAccountId) =>
      Effect.gen(function* () {
        const out: Array<Transfer> = []
        let after = 0
        for (;;) {
          const page = yield* ledger.transfers(actor.communityId, after, WALK, accountId)
          out.push(...page)
          const last = page[page.length - 1]
          if (page.length < WALK || last === undefined) return out
          after = last.sequence
        }
      })

    const walkRounds = (actor: Actor) =>
      Effect.gen(function* () {
        const out: Array<AllocationRound> = []
        let after: string | undefined
        for (;;) {
          const page = yield* repo.listRounds({ communityId: actor.communityId }, { after, limit: WALK })
          out.push(...page)
          const last = page[page.length - 1]
          if (page.length < WALK || last === undefined) return out
          after = last.id
        }
      })

    const checkPeriod = (period: Period): Effect.Effect<Period, InvalidInput> =>
      Number.isSafeInteger(period.from) &&
      Number.isSafeInteger(period.to) &&
      period.from >= 0 &&
      period.from < period.to
        ? Effect.succeed(period)
        : Effect.fail(
            InvalidInput.of(
              "period",
              "from must be before to, both UTC epoch milliseconds / 起止时间无效（开始须早于结束）"
            )
          )

    /** The statement of a period, read in one transaction holding the community's ledger lock. */
    const statementOf = (actor: Actor, period: Period) =>
      transaction(
        Effect.gen(function* () {
          yield* ledger.lockCommunity(actor.communityId)
          const subFunds = yield* repo.listSubFunds(actor.communityId)
          const pools = [
            {
              pool: "general",
              name: "公益基金（一般） / General fund",
              accountId: Accounts.poolCashId(actor.communityId, null)
            },
            ...subFunds.map((f) => ({
              pool: f.code,
              name: f.name,
              accountId: Accounts.subFundCashId(actor.communityId, f.code)
            }))
          ]
          const enterpriseCash = Accounts.accountId(actor.communityId, "enterprise:cash")
          const seen = new Map<string, Transfer>()
          for (const id of [...pools.map((p) => p.accountId), enterpriseCash]) {
            for (const t of yield* walkTransfers(actor, id)) seen.set(t.id, t)
          }
          const transfers = [...seen.values()].sort((a, b) => a.sequence - b.sequence)
          const accounts = []
          for (const id of [...pools.map((p) => p.accountId), enterpriseCash]) {
            const found = yield* ledger.findAccount(actor.communityId, id)
            if (Option.isSome(found)) accounts.push(found.value)
          }
          const entries = yield* walkEntries(actor)
          const products: Array<Product> = []
          let after: string | undefined
          for (;;) {
            const page = yield* repo.listProducts(actor.communityId, { after, limit: WALK })
            products.push(...page)
            const last = page[page.length - 1]
            if (page.length < WALK || last === undefined) break
            after = last.id
          }
          const statement = yield* rule(
            Statement.statement({
              communityId: actor.communityId,
              from: period.from,
              to: period.to,
              pools,
              enterpriseCash,
              transfers,
              entries,
              products,
              accounts
            })
          )
          return { statement, subFunds }
        })
      )

    return {
      /** The community's fund settings (the defaults until it sets its own). Needs `fund:read`. */
      settings: (): Effect.Effect<FundSettings, Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          return yield* settingsOf(actor)
        }),

      /**
       * Sets the notice days and sign-off rules. Needs `fund:manage`. `expectedVersion` is the
       * version read (0 for the defaults); another is `Conflict`.
       */
      updateSettings: (
        input: typeof UpdateSettingsInput.Encoded
      ): Effect.Effect<FundSettings, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(UpdateSettingsInput)(input)
          yield* rule(Rules.checkSignOff(valid.signOff))
          return yield* transaction(
            Effect.gen(function* () {
              const current = yield* settingsOf(actor)
              if (current.version !== valid.expectedVersion) {
                return yield* Effect.fail(Conflict.stale("FundSettings", actor.communityId))
              }
              const next: FundSettings = {
                communityId: actor.communityId,
                noticeDays: valid.noticeDays,
                signOff: valid.signOff,
                version: current.version + 1
              }
              yield* repo.putSettings(next)
              yield* append(
                actor,
                "FundSettings",
                actor.communityId,
                next.version,
                FundSettingsChanged.make({ noticeDays: next.noticeDays, version: next.version })
              )
              return next
            })
          )
        }),

      /** Adds a product of Candy Commune. Needs `fund:manage`; a SKU already used is `Conflict`. */
      addProduct: (input: typeof AddProductInput.Encoded): Effect.Effect<Product, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(AddProductInput)(input)
          const product: Product = {
            id: ProductId.make(yield* ids.next),
            communityId: actor.communityId,
            sku: valid.sku,
            name: valid.name,
            unitPrice: valid.unitPrice,
            active: true,
            version: 1,
            createdAt: yield* nowMs
          }
          return yield* transaction(
            Effect.gen(function* () {
              yield* repo.insertProduct(product)
              yield* append(
                actor,
                "Product",
                product.id,
                1,
                ProductAdded.make({ productId: product.id, unitPrice: product.unitPrice })
              )
              return product
            })
          )
        }),

      /** Changes a product's name, price or whether it is on sale. Needs `fund:manage`. */
      updateProduct: (
        id: string,
        input: typeof UpdateProductInput.Encoded
      ): Effect.Effect<Product, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(UpdateProductInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              const current = yield* findProduct(actor, id)
              if (current.version !== valid.expectedVersion) return yield* Effect.fail(Conflict.stale("Product", id))
              const next: Product = {
                ...current,
                name: valid.name ?? current.name,
                unitPrice: valid.unitPrice ?? current.unitPrice,
                active: valid.active ?? current.active,
                version: current.version + 1
              }
              yield* repo.updateProduct(next)
              yield* append(
                actor,
                "Product",
                next.id,
                next.version,
                ProductUpdated.make({ productId: next.id, unitPrice: next.unitPrice, active: next.active })
              )
              return next
            })
          )
        }),

      /** One product. Needs `fund:read`; another community's is `NotFound`. */
      product: (id: string): Effect.Effect<Product, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          return yield* findProduct(actor, id)
        }),

      /** One sub-fund, by code. Needs `fund:read`. */
      subFund: (code: string): Effect.Effect<SubFund, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          return yield* findSubFund(actor, code)
        }),

      /** One money entry, by its id (the transfer's). Needs `fund:read`. */
      entry: (id: string): Effect.Effect<FundEntry, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const found = isTransferId(id) ? yield* repo.findEntry(actor.communityId, id) : Option.none()
          return yield* Option.match(found, {
            onNone: () => Effect.fail(NotFound.of("FundEntry", id)),
            onSome: Effect.succeed
          })
        }),

      /** The community's products, by id, cursor-paged. Needs `fund:read`. */
      products: (page?: PageRequest): Effect.Effect<Page<Product>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const window = yield* Effect.fromResult(Paging.window(page))
          const fetched = yield* repo.listProducts(actor.communityId, { after: window.after, limit: window.limit + 1 })
          return Paging.fromItems(fetched, window.limit, (p) => p.id)
        }),

      /** Creates an earmarked sub-fund and opens its cash account. Needs `fund:manage`. */
      addSubFund: (input: typeof AddSubFundInput.Encoded): Effect.Effect<SubFund, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.manage)
          const valid = yield* decodeInput(AddSubFundInput)(input)
          const subFund: SubFund = {
            communityId: actor.communityId,
            code: valid.code,
            name: valid.name,
            purpose: valid.purpose,
            createdAt: yield* nowMs
          }
          return yield* transaction(
            Effect.gen(function* () {
              yield* repo.insertSubFund(subFund)
              yield* ledgerPorts(
                postWithin(actor, { open: [Accounts.subFundOpenInput(actor.communityId, subFund.code)], requests: [] })
              )
              yield* append(actor, "SubFund", subFund.code, 1, SubFundAdded.make({ code: subFund.code }))
              return subFund
            })
          )
        }),

      /** The community's sub-funds, by code. Needs `fund:read`. */
      subFunds: (): Effect.Effect<ReadonlyArray<SubFund>, Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          return yield* repo.listSubFunds(actor.communityId)
        }),

      /**
       * Records a money entry and posts its ledger transfer, in one transaction. Needs
       * `fund:record`. A sale names a product and a quantity (the amount defaults to quantity ×
       * the product's price); proceeds, donations, other income, costs and earmarks name an
       * amount (and a sub-fund, or the general fund; an earmark always names the sub-fund it
       * fills). Money that is not there (a cost above a pool's cash, proceeds above the
       * enterprise's takings) is `InsufficientFunds`. The id is the idempotency key: the same
       * entry recorded again, also by calls running at the same time, returns the first one.
       */
      record: (input: typeof RecordEntryInput.Encoded): Effect.Effect<FundEntry, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.record)
          const valid = yield* decodeInput(RecordEntryInput)(input)
          const communityId = actor.communityId
          return yield* transaction(
            Effect.gen(function* () {
              // the community's ledger lock first: a retry running at the same time waits here and
              // then finds the first call's entry (below) instead of inserting it again
              yield* ledger.lockCommunity(communityId)
              let amount = valid.amount
              let productId: ProductId | null = null
              if (valid.kind === "sale") {
                if (valid.productId === undefined || valid.quantity === undefined) {
                  return yield* Effect.fail(
                    InvalidInput.of("productId", "a sale names its product and quantity / 销售须注明商品和数量")
                  )
                }
                const product = yield* findProduct(actor, valid.productId)
                productId = product.id
                amount ??= product.unitPrice * valid.quantity
                if (!Number.isSafeInteger(amount)) {
                  return yield* Effect.fail(InvalidInput.of("quantity", "the amount is out of range / 金额超出范围"))
                }
              } else if (valid.productId !== undefined) {
                if (valid.kind !== "design_fee" && valid.kind !== "production_cost") {
                  return yield* Effect.fail(
                    InvalidInput.of(
                      "productId",
                      "only sales and product costs name a product / 仅销售和产品成本可注明商品"
                    )
                  )
                }
                productId = (yield* findProduct(actor, valid.productId)).id
              }
              if (amount === undefined) {
                return yield* Effect.fail(
                  InvalidInput.of("amount", "is required for this kind of entry / 此类记录须填写金额")
                )
              }
              const enterprise =
                valid.kind === "sale" || valid.kind === "design_fee" || valid.kind === "production_cost"
              if (enterprise && valid.subFund !== undefined) {
                return yield* Effect.fail(
                  InvalidInput.of("subFund", "Candy Commune's own entries name no sub-fund / 企业收支不涉及专项基金")
                )
              }
              if (valid.kind === "earmark" && valid.subFund === undefined) {
                return yield* Effect.fail(
                  InvalidInput.of("subFund", "an earmark names the sub-fund it fills / 划拨须注明专项基金")
                )
              }
              const subFund = valid.subFund === undefined ? null : (yield* findSubFund(actor, valid.subFund)).code
              const entry: FundEntry = {
                id: valid.id,
                communityId,
                kind: valid.kind,
                amount,
                productId,
                quantity: valid.kind === "sale" ? (valid.quantity ?? null) : null,
                subFund,
                counterparty: valid.counterparty ?? null,
                note: valid.note,
                occurredAt: valid.occurredAt ?? (yield* nowMs),
                recordedBy: actor.subject
              }
              const existing = yield* repo.findEntry(communityId, valid.id)
              if (Option.isSome(existing)) {
                const sameTime = valid.occurredAt === undefined || valid.occurredAt === existing.value.occurredAt
                if (sameTime && sameEntry(existing.value, entry)) return existing.value
                return yield* Effect.fail(Conflict.duplicate("FundEntry", valid.id))
              }
              const route = entryAccounts(valid.kind, communityId, subFund)
              const open = [
                ...route.open.map((key) => Accounts.openInput(communityId, key)),
                ...(subFund === null ? [Accounts.openInput(communityId, "fund:cash")] : [])
              ]
              yield* ledgerPorts(
                postWithin(actor, {
                  open,
                  requests: [
                    {
                      _tag: "Posted",
                      id: entry.id,
                      debitAccountId: route.debit,
                      creditAccountId: route.credit,
                      amount,
                      unit: "CNY",
                      code: FundCodes[valid.kind],
                      reason: entry.note
                    }
                  ]
                })
              )
              yield* repo.insertEntry(entry)
              yield* append(
                actor,
                "FundEntry",
                entry.id,
                1,
                EntryRecorded.make({ entryId: entry.id, kind: entry.kind, amount: entry.amount })
              )
              return entry
            })
          )
        }),

      /**
       * The money entries, ordered by when they happened, cursor-paged; optionally of one kind and
       * within `[from, to)`. Needs `fund:read`.
       */
      entries: (
        filter: { readonly kind?: string; readonly from?: number; readonly to?: number } = {},
        page?: PageRequest
      ): Effect.Effect<Page<FundEntry>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const window = yield* Effect.fromResult(Paging.window(page))
          const kind =
            filter.kind === undefined
              ? undefined
              : yield* decodeInput(Schema.Struct({ kind: RecordEntryInput.fields.kind }))({ kind: filter.kind })
          const query: EntryQuery = {
            communityId: actor.communityId,
            from: filter.from,
            to: filter.to,
            kind: kind?.kind
          }
          const fetched = yield* repo.listEntries(query, { after: window.after, limit: window.limit + 1 })
          return Paging.fromItems(fetched, window.limit, entryKey)
        }),

      /** Drafts an allocation round (its candidates checked by the allocator). Needs `fund:draft`. */
      draftRound: (input: typeof DraftRoundInput.Encoded): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.draft)
          const valid = yield* decodeInput(DraftRoundInput)(input)
          return yield* transaction(
            Effect.gen(function* () {
              if (valid.subFund !== undefined) yield* findSubFund(actor, valid.subFund)
              const candidates = yield* resolveCandidates(actor, valid.candidates)
              const round = yield* rule(
                Rules.draft(RoundId.make(yield* ids.next), actor.communityId, valid, candidates, actor, yield* nowMs)
              )
              return yield* rounds.save(actor, round, RoundDrafted.make({ roundId: round.id, pool: round.pool }), {
                isNew: true
              })
            })
          )
        }),

      /** Revises a draft. Needs `fund:draft`; `expectedVersion` is the version read. */
      reviseRound: (
        id: string,
        input: typeof ReviseRoundInput.Encoded
      ): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.draft)
          const valid = yield* decodeInput(ReviseRoundInput)(input)
          return yield* roundCommand(
            id,
            () => Effect.void,
            (actor, round, now) =>
              Effect.gen(function* () {
                if (round.version !== valid.expectedVersion)
                  return yield* Effect.fail(Conflict.stale("AllocationRound", id))
                const candidates =
                  valid.candidates === undefined ? undefined : yield* resolveCandidates(actor, valid.candidates)
                const { expectedVersion: _, candidates: __, ...rest } = valid
                const next = yield* rule(
                  Rules.revise(round, { ...rest, ...(candidates === undefined ? {} : { candidates }) }, now)
                )
                return { round: next, event: RoundRevised.make({ roundId: next.id, pool: next.pool }) }
              })
          )
        }),

      /** Submits a draft: the allocation is computed and frozen. Needs `fund:draft`. */
      submitRound: (id: string): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        roundCommand(
          id,
          (actor) => authorize(actor, P.draft),
          (actor, round, now) =>
            Effect.gen(function* () {
              const next = yield* rule(Rules.submit(round, yield* settingsOf(actor), now))
              return {
                round: next,
                event: RoundSubmitted.make({
                  roundId: next.id,
                  allocated: next.outcome?.allocated ?? 0,
                  requiredApprovals: next.requiredApprovals ?? 1
                })
              }
            })
        ),

      /** Starts a submitted round's public notice (公示) for the configured days. Needs `fund:draft`. */
      startNotice: (id: string): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        roundCommand(
          id,
          (actor) => authorize(actor, P.draft),
          (actor, round, now) =>
            Effect.gen(function* () {
              const next = yield* rule(Rules.startNotice(round, yield* settingsOf(actor), now))
              return { round: next, event: NoticeStarted.make({ roundId: next.id, endsAt: next.noticeEndsAt ?? now }) }
            })
        ),

      /**
       * Objects to a round in public notice (anyone in the community, `fund:object`). Returns the
       * objection's id; the objector is recorded but never shown publicly.
       */
      object: (id: string, text: string): Effect.Effect<ObjectionId, DomainError, CurrentActor> =>
        Effect.gen(function* () {
          const objectionId = ObjectionId.make(yield* ids.next)
          yield* roundCommand(
            id,
            (actor) => authorize(actor, P.object),
            (actor, round, now) =>
              Effect.gen(function* () {
                const valid = yield* decodeInput(Schema.Struct({ text: Rules.ObjectionText }))({ text })
                const next = yield* rule(
                  Rules.object(
                    round,
                    { id: objectionId, by: actor.subject, text: valid.text, at: now, answer: null },
                    now
                  )
                )
                return { round: next, event: ObjectionFiled.make({ roundId: next.id, objectionId }) }
              })
          )
          return objectionId
        }),

      /** Answers an objection. Needs `fund:draft`. */
      answerObjection: (
        id: string,
        objectionId: string,
        text: string
      ): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        roundCommand(
          id,
          (actor) => authorize(actor, P.draft),
          (actor, round, now) =>
            Effect.gen(function* () {
              if (!isObjectionId(objectionId)) {
                return yield* Effect.fail(
                  InvalidInput.of("objectionId", "no such objection in this round / 本轮无此异议")
                )
              }
              const valid = yield* decodeInput(Schema.Struct({ text: Rules.ObjectionText }))({ text })
              const next = yield* rule(Rules.answer(round, objectionId, valid.text, actor.subject, now))
              return { round: next, event: ObjectionAnswered.make({ roundId: next.id, objectionId }) }
            })
        ),

      /**
       * An approver approves or rejects a round whose notice has ended (see `FundRules.signOff`).
       * Needs `fund:approve`. The approval that completes the N needed holds every allocation in
       * the ledger in the same transaction; if the pool lacks the money it fails with
       * `InsufficientFunds` and nothing is recorded.
       */
      signOff: (
        id: string,
        decision: "approve" | "reject",
        note: string
      ): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        roundCommand(
          id,
          (actor) => authorize(actor, P.approve),
          (actor, round, now) =>
            Effect.gen(function* () {
              const valid = yield* decodeInput(
                Schema.Struct({ decision: Schema.Literals(["approve", "reject"]), note: Rules.SignOffNote })
              )({ decision, note })
              const signer = { subject: actor.subject, householdId: yield* householdOf(actor) }
              const signed = yield* rule(Rules.signOff(round, signer, valid.decision, valid.note, now))
              return {
                round: signed.round,
                event: RoundSignedOff.make({ roundId: round.id, decision: valid.decision, decided: signed.decided }),
                ...(signed.decided === "approved" ? { ledger: "hold" as const } : {})
              }
            })
        ),

      /** Schedules the payment of an approved round (or moves the date). Needs `fund:pay`. */
      schedule: (id: string, at: number): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        roundCommand(
          id,
          (actor) => authorize(actor, P.pay),
          (_actor, round, now) =>
            Effect.gen(function* () {
              if (!Number.isSafeInteger(at) || at < 0) {
                return yield* Effect.fail(InvalidInput.of("at", "must be a time in UTC epoch milliseconds / 时间无效"))
              }
              const next = yield* rule(Rules.schedule(round, at, now))
              return { round: next, event: RoundScheduled.make({ roundId: next.id, at }) }
            })
        ),

      /** Pays a scheduled round: its holds are posted. Needs `fund:pay`. */
      pay: (id: string): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        roundCommand(
          id,
          (actor) => authorize(actor, P.pay),
          (_actor, round, now) =>
            Effect.map(rule(Rules.pay(round, now)), (next) => ({
              round: next,
              event: RoundPaid.make({ roundId: next.id, amount: next.holds.reduce((a, h) => a + h.amount, 0) }),
              ledger: "pay" as const
            }))
        ),

      /** Marks a scheduled round's payment failed: its holds are voided. Needs `fund:pay`. */
      fail: (id: string, note: string): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        roundCommand(
          id,
          (actor) => authorize(actor, P.pay),
          (_actor, round, now) =>
            Effect.gen(function* () {
              const valid = yield* decodeInput(Schema.Struct({ note: Rules.SignOffNote }))({ note })
              const next = yield* rule(Rules.fail(round, valid.note, now))
              return { round: next, event: RoundFailed.make({ roundId: next.id }), ledger: "void" as const }
            })
        ),

      /** Cancels a round not yet paid; its holds, if any, are voided. Needs `fund:cancel`. */
      cancel: (id: string, note: string): Effect.Effect<AllocationRound, DomainError, CurrentActor> =>
        roundCommand(
          id,
          (actor) => authorize(actor, P.cancel),
          (_actor, round, now) =>
            Effect.gen(function* () {
              const valid = yield* decodeInput(Schema.Struct({ note: Rules.SignOffNote }))({ note })
              const next = yield* rule(Rules.cancel(round, valid.note, now))
              return { round: next, event: RoundCancelled.make({ roundId: next.id }), ledger: "void" as const }
            })
        ),

      /** One round in full. Needs `fund:read`. */
      round: (id: string): Effect.Effect<AllocationRound, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          return yield* rounds.load(actor, id)
        }),

      /** The rounds, newest first, cursor-paged, optionally of one status. Needs `fund:read`. */
      rounds: (
        filter: { readonly status?: string } = {},
        page?: PageRequest
      ): Effect.Effect<Page<AllocationRound>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          if (filter.status !== undefined && !isStatus(filter.status)) {
            return yield* Effect.fail(
              InvalidInput.of("status", `is not a round status / 状态无效: ${RoundStatusSchema.literals.join(", ")}`)
            )
          }
          const window = yield* Effect.fromResult(Paging.window(page))
          const fetched = yield* repo.listRounds(
            { communityId: actor.communityId, status: filter.status },
            { after: window.after, limit: window.limit + 1 }
          )
          return Paging.fromItems(fetched, window.limit, (r) => r.id)
        }),

      /**
       * A round from its public notice on, without personal data (projects by name, families only
       * counted). Needs `fund:report:public`; a draft or submitted round is `NotFound` here.
       */
      publicRound: (id: string): Effect.Effect<PublicRound, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P["report:public"])
          const round = yield* rounds.load(actor, id)
          if (!Statement.publicStatuses.includes(round.status))
            return yield* Effect.fail(NotFound.of("AllocationRound", id))
          return Statement.publicRound(round)
        }),

      /**
       * The family's own applications: for a resident actor (`fund:read:own`), each round with a
       * candidate of their household, reduced to that candidate, newest first.
       */
      myApplications: (
        page?: PageRequest
      ): Effect.Effect<Page<OwnApplication>, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P["read:own"])
          const window = yield* Effect.fromResult(Paging.window(page))
          const household = yield* householdOf(actor)
          const fetched =
            household === null
              ? []
              : yield* repo.listRounds(
                  { communityId: actor.communityId, householdId: household },
                  { after: window.after, limit: window.limit + 1 }
                )
          const mine = fetched.flatMap((r) =>
            r.candidates
              .filter((c) => c.householdId === household)
              .map(
                (candidate): OwnApplication => ({
                  roundId: r.id,
                  title: r.title,
                  status: r.status,
                  candidate,
                  share: r.outcome?.shares.find((s) => s.id === candidate.key) ?? null,
                  noticeEndsAt: r.noticeEndsAt,
                  scheduledFor: r.scheduledFor
                })
              )
          )
          const page_ = Paging.fromItems(fetched, window.limit, (r) => r.id)
          const kept = new Set(page_.items.map((r) => r.id))
          return { ...page_, items: mine.filter((m) => kept.has(m.roundId)) }
        }),

      /** The fund statement of a period, reconciled to the ledger (see `Statement`). Needs `fund:read`. */
      statement: (period: Period): Effect.Effect<FundStatement, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P.read)
          const valid = yield* checkPeriod(period)
          return (yield* statementOf(actor, valid)).statement
        }),

      /**
       * The public transparency report of a period (公益基金收支公示): totals, sub-funds, the
       * enterprise's figures and the rounds from notice on, with no personal data. Needs
       * `fund:report:public` (everyone in the community). Render it with `Report.toHtml` / `toCsv`.
       */
      publicReport: (period: Period): Effect.Effect<PublicReport, Forbidden | InvalidInput, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, P["report:public"])
          const valid = yield* checkPeriod(period)
          const { statement, subFunds } = yield* statementOf(actor, valid)
          const community = yield* communities.findById(actor.communityId)
          const all = yield* walkRounds(actor)
          const inPeriod = all.filter(
            (r) => r.noticeStartsAt !== null && r.noticeStartsAt < valid.to && r.updatedAt >= valid.from
          )
          return Statement.publicReport(
            Option.match(community, { onNone: () => "", onSome: (c) => c.name }),
            statement,
            subFunds,
            inPeriod,
            yield* nowMs
          )
        }),

      /** Whether the actor may see the books (`fund:read`): for transports choosing a view. */
      canRead: (actor: Actor): boolean => can(actor, P.read)
    }
  })
}) {
  /** The service, built from the storage ports and `IdGenerator`. */
  static readonly layer: Layer.Layer<
    Fund,
    never,
    FundStorage | LedgerRepo | ResidentRepo | CommunityRepo | Outbox | Transactor | IdGenerator
  > = Layer.effect(this, this.make)
}
