/**
 * The communities service: provisioning a tenant and reading it.
 *
 * Provisioning is an installation-level job: the operator of an installation sets up 君馨社区 or
 * 顾里小站 once, from code that holds the database (a setup script, the example server's seed),
 * so it runs as the installation (`subject: "installation"`) rather than as an actor of a
 * community that does not exist yet, and no transport exposes it. It appends a
 * `CommunityProvisioned` event to the new community's outbox in the same transaction. Reading
 * runs as the {@link CurrentActor} and only ever shows the actor's own community.
 *
 * @module
 */
import { Clock, Context, DateTime, Effect, Layer, Option } from "effect"
import { CurrentActor } from "../kernel/Actor.js"
import { authorize } from "../kernel/Policy.js"
import type { Community } from "./Community.js"
import { ProvisionCommunityInput } from "./Community.js"
import { CommunityRepo } from "./CommunityRepo.js"
import { CommunityPermissions } from "./permissions.js"
import type { Conflict, Forbidden, InvalidInput } from "../kernel/Errors.js"
import { NotFound } from "../kernel/Errors.js"
import { makeEvent, Outbox } from "../kernel/Event.js"
import { CommunityId, IdGenerator } from "../kernel/Ids.js"
import { CommunityProvisioned } from "./CommunityEvent.js"
import { Transactor } from "../kernel/Transactor.js"
import { decodeInput } from "../kernel/Validation.js"

/** The communities service. */
export class Communities extends Context.Service<Communities>()("@commonweal/core/Communities", {
  make: Effect.gen(function* () {
    const repo = yield* CommunityRepo
    const transactor = yield* Transactor
    const outbox = yield* Outbox
    const ids = yield* IdGenerator

    /** The new community from a validated input, created now. */
    const build = (id: CommunityId, valid: ProvisionCommunityInput) =>
      Effect.map(
        Clock.currentTimeMillis,
        (now): Community => ({
          id,
          name: valid.name,
          nameEn: valid.nameEn ?? null,
          timeZone: valid.timeZone,
          grids: valid.grids,
          createdAt: DateTime.makeUnsafe(now)
        })
      )

    /** Inserts the community and its event, atomically. */
    const create = (community: Community) =>
      transactor.withTransaction(
        Effect.gen(function* () {
          yield* repo.insert(community)
          const event = yield* makeEvent(CommunityProvisioned, {
            actor: { subject: "installation", communityId: community.id, roles: ["admin"] },
            aggregateType: "Community",
            aggregateId: community.id,
            aggregateVersion: 1,
            event: CommunityProvisioned.make({
              name: community.name,
              timeZone: community.timeZone,
              grids: community.grids.map((g) => g.code)
            })
          }).pipe(Effect.provideService(IdGenerator, ids))
          yield* outbox.append([event])
        })
      )

    const find = (id: CommunityId) =>
      Effect.flatMap(
        repo.findById(id),
        Option.match({
          onNone: () => Effect.fail(NotFound.of("Community", id)),
          onSome: Effect.succeed
        })
      )

    return {
      /**
       * Creates a community. With `id`, provisioning the same id again is `Conflict`
       * (duplicate); use `ensure` for idempotent setup.
       */
      provision: (input: typeof ProvisionCommunityInput.Encoded): Effect.Effect<Community, InvalidInput | Conflict> =>
        Effect.gen(function* () {
          const valid = yield* decodeInput(ProvisionCommunityInput)(input)
          const community = yield* build(valid.id ?? CommunityId.make(yield* ids.next), valid)
          yield* create(community)
          return community
        }),

      /** Returns the community with `input.id` if it exists, else provisions it. For seeding. */
      ensure: (
        input: typeof ProvisionCommunityInput.Encoded & { readonly id: string }
      ): Effect.Effect<Community, InvalidInput | Conflict> =>
        Effect.gen(function* () {
          const valid = yield* decodeInput(ProvisionCommunityInput)(input)
          const id = valid.id ?? CommunityId.make(input.id)
          const existing = yield* repo.findById(id)
          if (Option.isSome(existing)) return existing.value
          const community = yield* build(id, valid)
          // a concurrent ensure may have won: then the community exists, which is what was asked
          return yield* create(community).pipe(
            Effect.as(community),
            Effect.catchTag("Conflict", (conflict) =>
              Effect.flatMap(
                repo.findById(id),
                Option.match({ onNone: () => Effect.fail(conflict), onSome: Effect.succeed })
              )
            )
          )
        }),

      /** The actor's own community. */
      current: Effect.gen(function* () {
        const actor = yield* CurrentActor
        yield* authorize(actor, CommunityPermissions.read)
        return yield* find(actor.communityId)
      }) as Effect.Effect<Community, NotFound | Forbidden, CurrentActor>,

      /** A community by id: only the actor's own; any other id is `NotFound`. */
      get: (id: string): Effect.Effect<Community, NotFound | Forbidden, CurrentActor> =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          yield* authorize(actor, CommunityPermissions.read, {
            communityId: id as CommunityId,
            entity: "Community",
            id
          })
          return yield* find(actor.communityId)
        })
    }
  })
}) {
  /** The service, built from the storage ports and `IdGenerator`. */
  static readonly layer = Layer.effect(this, this.make)
}
