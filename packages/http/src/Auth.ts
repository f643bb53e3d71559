/**
 * Authentication: a bearer token becomes the request's {@link CurrentActor}.
 *
 * The transport only *authenticates*; what the actor may do is decided by the policy in
 * `@commonweal/core`. How a token maps to an actor is pluggable through {@link TokenVerifier}:
 * static tokens for the example server and tests ({@link TokenVerifier.static}), or any function
 * an integrator writes (JWT verification, a session table, an SSO introspection call).
 *
 * @module
 */
import { Actor, CurrentActor, formatIssues } from "@commonweal/core"
import type { Exit } from "effect"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { HttpServerRequest } from "effect/http"
import { HttpApiMiddleware, HttpApiSecurity } from "effect/http-api"
import { Unauthorized, UnauthorizedProblem } from "./Problem.js"

/** The longest `Actor.subject` the transport accepts from a {@link TokenVerifier}. */
export const MAX_SUBJECT_LENGTH = 200

/**
 * Core's `Actor` schema with `subject` capped to {@link MAX_SUBJECT_LENGTH} characters: what a
 * {@link TokenVerifier} built with `static` or `make` may hand to the services.
 */
export const VerifiedActor = Schema.Struct({
  ...Actor.fields,
  subject: Actor.fields.subject.check(Schema.isMaxLength(MAX_SUBJECT_LENGTH))
})

const validateActor = Schema.decodeUnknownExit(Schema.toType(VerifiedActor))

/**
 * Why `actor` is not a valid {@link VerifiedActor}: the failing fields and messages, never the
 * values (a subject may be a personal account name), or `undefined` when it is valid.
 */
export const actorProblem = (actor: unknown): string | undefined => {
  const exit = validateActor(actor, { errors: "all" })
  if (exit._tag === "Success") return undefined
  const error = exit.cause.reasons.find((reason) => reason._tag === "Fail")
  if (error === undefined) return "actor: is not valid / 输入无效"
  return formatIssues(error.error.issue, "actor")
    .map((issue) => `${issue.field}: ${issue.message}`)
    .join("; ")
}

/**
 * Turns a bearer token into an actor. `None` means the token is not accepted (401).
 * An implementation should not fail: map its own failures to `None` (and log them).
 */
export class TokenVerifier extends Context.Service<
  TokenVerifier,
  {
    /** The actor the token stands for, or `None` when it is unknown, expired or malformed. */
    readonly verify: (token: string) => Effect.Effect<Option.Option<Actor>>
  }
>()("@commonweal/http/TokenVerifier") {
  /**
   * A fixed table of tokens, for the example server, demos and tests. Compares tokens by exact
   * string equality; use long random tokens, and a real verifier in production.
   *
   * Every actor is checked against {@link VerifiedActor} (core's `Actor`, subject at most
   * {@link MAX_SUBJECT_LENGTH} characters) when this is called: a bad table throws at once,
   * naming the entry by position (never by token) and the failing fields.
   */
  static readonly static = (tokens: Readonly<Record<string, Actor>>): Layer.Layer<TokenVerifier> => {
    const entries = Object.entries(tokens)
    entries.forEach(([, actor], index) => {
      const problem = actorProblem(actor)
      if (problem !== undefined) {
        throw new Error(`TokenVerifier.static: the actor of token #${index + 1} is invalid: ${problem}`)
      }
    })
    const table = new Map(entries)
    return Layer.succeed(TokenVerifier, {
      verify: (token) => Effect.sync(() => Option.fromUndefinedOr(table.get(token)))
    })
  }

  /**
   * A verifier from a function, for integrators (`TokenVerifier.make((token) => …)`).
   *
   * Every actor the function returns is checked against {@link VerifiedActor}; an invalid one
   * is a defect of the verifier (the request is answered 500, and the fields are logged), not
   * a 401: the token was accepted, the mapping to an actor is broken.
   */
  static readonly make = (verify: (token: string) => Effect.Effect<Option.Option<Actor>>): Layer.Layer<TokenVerifier> =>
    Layer.succeed(TokenVerifier, {
      verify: (token) =>
        Effect.flatMap(verify(token), (actor): Effect.Effect<Option.Option<Actor>> => {
          if (Option.isNone(actor)) return Effect.succeed(actor)
          const problem = actorProblem(actor.value)
          return problem === undefined
            ? Effect.succeed(actor)
            : Effect.die(
                new InvalidActorError(`TokenVerifier.make: the verifier returned an invalid actor: ${problem}`)
              )
        })
    })
}

/** The defect raised when a verifier built with {@link TokenVerifier.make} returns an invalid actor. */
export class InvalidActorError extends Error {
  override readonly name = "InvalidActorError"
}

/**
 * The outcome of authenticating the current request, when the API middleware has already
 * done it (for an `Idempotency-Key` POST, which it scopes by actor): the {@link Authentication}
 * middleware reuses it instead of asking the {@link TokenVerifier} a second time.
 */
export class RequestAuthentication extends Context.Service<RequestAuthentication, Exit.Exit<Actor, Unauthorized>>()(
  "@commonweal/http/RequestAuthentication"
) {}

/**
 * The security middleware of the API: reads `Authorization: Bearer <token>`, asks the
 * {@link TokenVerifier}, and provides {@link CurrentActor} to the handlers. A missing or
 * unknown token fails with {@link Unauthorized} (401 problem details, `WWW-Authenticate: Bearer`).
 */
export class Authentication extends HttpApiMiddleware.Service<
  Authentication,
  {
    provides: CurrentActor
  }
>()("@commonweal/http/Authentication", {
  error: UnauthorizedProblem,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

/** Resolves a raw bearer token to an actor, or the matching {@link Unauthorized}. */
export const authenticate = (verifier: TokenVerifier["Service"], token: string): Effect.Effect<Actor, Unauthorized> =>
  token.trim() === ""
    ? Effect.fail(Unauthorized.missing())
    : Effect.flatMap(
        verifier.verify(token.trim()),
        Option.match({ onNone: () => Effect.fail(Unauthorized.invalid()), onSome: Effect.succeed })
      )

/**
 * Extracts the token of an `Authorization` header value: the credentials after a
 * case-insensitive `Bearer` scheme (RFC 6750 §2.1), or `""` when there are none.
 */
export const bearerToken = (authorization: string | undefined): string => {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? "")
  return match?.[1] ?? ""
}

/**
 * The {@link Authentication} middleware, backed by the {@link TokenVerifier} in context. When
 * the request was already authenticated ({@link RequestAuthentication}), that outcome is reused:
 * the verifier runs once per request.
 */
export const AuthenticationLive: Layer.Layer<Authentication, never, TokenVerifier> = Layer.effect(
  Authentication,
  Effect.map(TokenVerifier, (verifier) => {
    const actor = Effect.flatMap(Effect.serviceOption(RequestAuthentication), (done) =>
      Option.isSome(done)
        ? done.value
        : Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
            authenticate(verifier, bearerToken(request.headers.authorization))
          )
    )
    return Authentication.of({
      // The platform hands over the credentials after a case-insensitive `Bearer `; read the
      // raw header instead so that the same parsing (`bearerToken`) serves both paths.
      bearer: (httpEffect) => Effect.provideServiceEffect(httpEffect, CurrentActor, actor)
    })
  })
)
