/**
 * Command plumbing shared by every domain service.
 *
 * A command on an aggregate (a resident, an account, a work order …) always has the same shape:
 * read the actor, authorize, decode the input, then in one transaction load the aggregate, apply
 * a pure rule, lock what the rule read but does not change, save with an optimistic version and
 * append the domain event to the outbox. {@link makeAggregateCommands} gives a domain service
 * those steps over its own repository, so a new domain writes its rules and its authorization
 * and nothing of the transaction, version or outbox handling.
 *
 * Events are the domain's own tagged structs, built with their named constructors
 * (`ResidentRegistered.make({ … })`) and encoded with the domain's event union.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeAggregateCommands } from "@commonweal/core"
 *
 * const make = Effect.gen(function* () {
 *   const kit = yield* makeAggregateCommands({
 *     entity: "Book",
 *     events: BookEvent,
 *     repo: yield* BookRepo,
 *     isId: Schema.is(BookId)
 *   })
 *   return {
 *     lend: (id: string, to: string) =>
 *       kit.run({
 *         id,
 *         context: () => Effect.succeed(undefined),
 *         authorize: (actor) => authorize(actor, LibraryPermissions.lend),
 *         transition: (book) => BookRules.lend(book, to),
 *         event: (book) => BookLent.make({ bookId: book.id, to }),
 *         view: (_actor, book) => book
 *       })
 *   }
 * })
 * ```
 *
 * @module
 */
import { Effect, Option, type Result, type Schema } from "effect"
import { type Actor, CurrentActor } from "./Actor.js"
import { type Conflict, NotFound } from "./Errors.js"
import { type DomainEvent, makeEvent, Outbox } from "./Event.js"
import { type CommunityId, IdGenerator } from "./Ids.js"
import { Transactor } from "./Transactor.js"

/** What every aggregate has: an id, the community it belongs to, and a version bumped on every change. */
export interface Aggregate {
  readonly id: string
  readonly communityId: CommunityId
  readonly version: number
}

/**
 * The storage port shape of an aggregate, scoped by community, with optimistic versions:
 * `update` succeeds only when the stored version is `aggregate.version - 1`, and `lock` checks
 * a version and holds the row until the transaction ends. A domain's repository port has these
 * four methods (and whatever queries it needs besides).
 */
export interface AggregateRepo<A extends Aggregate> {
  /** Stores a new aggregate; `Conflict` (duplicate) when the id exists in its community. */
  readonly insert: (aggregate: A) => Effect.Effect<void, Conflict>
  /** Replaces a stored aggregate whose stored version is `aggregate.version - 1`, else `Conflict` (stale_version). */
  readonly update: (aggregate: A) => Effect.Effect<void, Conflict>
  /** Checks the stored version and holds the row until the transaction ends, else `Conflict` (stale_version). */
  readonly lock: (communityId: CommunityId, id: A["id"], version: number) => Effect.Effect<void, Conflict>
  /** The aggregate with this id in this community, if any. */
  readonly findById: (communityId: CommunityId, id: A["id"]) => Effect.Effect<Option.Option<A>>
}

/** What {@link makeAggregateCommands} needs to know of a domain. */
export interface AggregateSpec<A extends Aggregate, Ev extends { readonly _tag: string }> {
  /** The aggregate's name, e.g. `Resident`: the `entity` of `NotFound` and the event's `aggregateType`. */
  readonly entity: string
  /** The domain's event union, which encodes an event's payload. */
  readonly events: Schema.Codec<Ev, unknown>
  /** The domain's repository. */
  readonly repo: AggregateRepo<A>
  /** Whether a string is a well-formed id of the aggregate (a malformed one is `NotFound` without a read). */
  readonly isId: (id: string) => id is A["id"]
}

/** One command on an existing aggregate, as {@link AggregateCommands.run} takes it. */
export interface AggregateCommand<A extends Aggregate, Ev, Ctx, V, EC, EA, ET> {
  /** The id of the aggregate to change. */
  readonly id: string
  /** What the rule needs besides the aggregate (the time, the community …); read before the transaction. */
  readonly context: (actor: Actor) => Effect.Effect<Ctx, EC>
  /** The actor's authority over this aggregate (`Forbidden`, or `NotFound` to reveal nothing). */
  readonly authorize: (actor: Actor, current: A, ctx: Ctx) => Effect.Effect<void, EA>
  /** The pure rule: the next state, or why not. */
  readonly transition: (current: A, ctx: Ctx) => Result.Result<A, ET>
  /** The event that records the change, built with its named constructor. */
  readonly event: (next: A, previous: A) => Ev
  /** What the command returns, from the saved state (the actor's view of it, say). */
  readonly view: (actor: Actor, next: A, ctx: Ctx) => V
}

/** The steps of a command over one domain's aggregates; see {@link makeAggregateCommands}. */
export interface AggregateCommands<A extends Aggregate, Ev extends { readonly _tag: string }> {
  /** Runs `effect` in one transaction (joining an outer one, if any). */
  readonly transaction: <X, E, R>(effect: Effect.Effect<X, E, R>) => Effect.Effect<X, E, R>
  /** The aggregate with this id in the actor's community, else `NotFound` (a malformed id too). */
  readonly load: (actor: Actor, id: string) => Effect.Effect<A, NotFound>
  /**
   * Saves a changed aggregate (inserts it with `isNew`) and appends its event, in the current
   * transaction: `update` checks the optimistic version.
   */
  readonly save: (
    actor: Actor,
    aggregate: A,
    event: Ev,
    options?: { readonly isNew?: boolean }
  ) => Effect.Effect<A, Conflict>
  /** Appends an event about an aggregate without saving it (an event of the domain about another record). */
  readonly append: (actor: Actor, aggregate: A, event: Ev) => Effect.Effect<void>
  /**
   * Locks aggregates a command decides on but does not change, at the versions it read, in id
   * order (so two commands locking the same pair cannot deadlock).
   */
  readonly lockAll: (actor: Actor, aggregates: ReadonlyArray<A>) => Effect.Effect<void, Conflict>
  /**
   * The whole shape of a command on one existing aggregate: read the current actor and the
   * context, then in one transaction load, authorize, apply the rule, save with the event and
   * return the view.
   */
  readonly run: <Ctx, V, EC, EA, ET>(
    command: AggregateCommand<A, Ev, Ctx, V, EC, EA, ET>
  ) => Effect.Effect<V, EC | EA | ET | NotFound | Conflict, CurrentActor>
}

const byId = <A extends Aggregate>(a: A, b: A): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * Builds the command steps of one domain over its repository and the kernel's ports
 * (`Transactor`, `Outbox`, `IdGenerator`). Call it in the service's `make`.
 */
export const makeAggregateCommands = <A extends Aggregate, Ev extends { readonly _tag: string }>(
  spec: AggregateSpec<A, Ev>
): Effect.Effect<AggregateCommands<A, Ev>, never, Transactor | Outbox | IdGenerator> =>
  Effect.gen(function* () {
    const transactor = yield* Transactor
    const outbox = yield* Outbox
    const ids = yield* IdGenerator
    const { entity, events, repo, isId } = spec

    const envelope = (actor: Actor, aggregate: A, event: Ev): Effect.Effect<DomainEvent> =>
      makeEvent(events, {
        actor,
        aggregateType: entity,
        aggregateId: aggregate.id,
        aggregateVersion: aggregate.version,
        event
      }).pipe(Effect.provideService(IdGenerator, ids))

    const append = (actor: Actor, aggregate: A, event: Ev) =>
      Effect.flatMap(envelope(actor, aggregate, event), (e) => outbox.append([e]))

    const load = (actor: Actor, id: string): Effect.Effect<A, NotFound> =>
      Effect.flatMap(isId(id) ? repo.findById(actor.communityId, id) : Effect.succeedNone, (found) =>
        Option.match(found, { onNone: () => Effect.fail(NotFound.of(entity, id)), onSome: Effect.succeed })
      )

    const save = (actor: Actor, aggregate: A, event: Ev, options?: { readonly isNew?: boolean }) =>
      Effect.gen(function* () {
        yield* options?.isNew === true ? repo.insert(aggregate) : repo.update(aggregate)
        yield* append(actor, aggregate, event)
        return aggregate
      })

    const lockAll = (actor: Actor, aggregates: ReadonlyArray<A>) =>
      Effect.forEach([...aggregates].sort(byId), (a) => repo.lock(actor.communityId, a.id, a.version), {
        discard: true
      })

    const run = <Ctx, V, EC, EA, ET>(command: AggregateCommand<A, Ev, Ctx, V, EC, EA, ET>) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const ctx = yield* command.context(actor)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const current = yield* load(actor, command.id)
            yield* command.authorize(actor, current, ctx)
            const next = yield* Effect.fromResult(command.transition(current, ctx))
            yield* save(actor, next, command.event(next, current))
            return command.view(actor, next, ctx)
          })
        )
      })

    return { transaction: transactor.withTransaction, load, save, append, lockAll, run }
  })
