/**
 * Answers shared by the groups' handlers: a 201 with `Location`, and the narrowing of a service's
 * `DomainError` to the errors an endpoint can really meet.
 *
 * @module
 */
import type { DomainError } from "@commonweal/core"
import { Effect, type Exit } from "effect"
import { HttpServerResponse } from "effect/http"

/**
 * A handler's answer for a created resource: 201 with `Location`, the body encoded with the
 * endpoint's success schema (`encode`); when the value does not encode, the value itself, so the
 * platform reports the encoding failure as it would for any answer.
 */
export const createdWithLocation =
  <A>(encode: (a: A) => Exit.Exit<unknown, unknown>, location: (a: A) => string) =>
  (value: A): A | HttpServerResponse.HttpServerResponse => {
    const encoded = encode(value)
    return encoded._tag === "Failure"
      ? value
      : HttpServerResponse.jsonUnsafe(encoded.value, { status: 201, headers: { location: location(value) } })
  }

/**
 * Narrows a service's `DomainError` for an endpoint: the errors named here cannot happen for this
 * command (a read changes nothing; a command that moves no money never overdraws), so meeting one
 * is a defect (500), and the endpoint declares only the problems it can answer.
 *
 * @example
 * ```ts
 * const noMoney = ruledOut("InsufficientFunds", "CapacityExceeded")
 * handlers.handle("updateSettings", ({ payload }) => noMoney(fund.updateSettings(payload)))
 * ```
 */
export const ruledOut =
  <const Tags extends ReadonlyArray<DomainError["_tag"]>>(...tags: Tags) =>
  <A, R>(
    effect: Effect.Effect<A, DomainError, R>
  ): Effect.Effect<A, Exclude<DomainError, { readonly _tag: Tags[number] }>, R> =>
    Effect.catchIf(
      effect,
      (e): e is Extract<DomainError, { readonly _tag: Tags[number] }> =>
        (tags as ReadonlyArray<string>).includes(e._tag),
      Effect.die
    ) as Effect.Effect<A, Exclude<DomainError, { readonly _tag: Tags[number] }>, R>
