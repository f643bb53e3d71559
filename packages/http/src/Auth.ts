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
import type { Actor } from "@commonweal/core"
import { CurrentActor } from "@commonweal/core"
import { HttpApiMiddleware, HttpApiSecurity, HttpServerRequest } from "@effect/platform"
import { Context, Effect, Layer, Option } from "effect"
import { Unauthorized, UnauthorizedProblem } from "./Problem.js"

/**
 * Turns a bearer token into an actor. `None` means the token is not accepted (401).
 * An implementation should not fail: map its own failures to `None` (and log them).
 */
export class TokenVerifier extends Context.Tag("@commonweal/http/TokenVerifier")<
  TokenVerifier,
  {
    /** The actor the token stands for, or `None` when it is unknown, expired or malformed. */
    readonly verify: (token: string) => Effect.Effect<Option.Option<Actor>>
  }
>() {
  /**
   * A fixed table of tokens, for the example server, demos and tests. Compares tokens by exact
   * string equality; use long random tokens, and a real verifier in production.
   */
  static readonly static = (tokens: Readonly<Record<string, Actor>>): Layer.Layer<TokenVerifier> => {
    const table = new Map(Object.entries(tokens))
    return Layer.succeed(TokenVerifier, {
      verify: (token) => Effect.sync(() => Option.fromNullable(table.get(token)))
    })
  }

  /** A verifier from a function, for integrators (`TokenVerifier.make((token) => …)`). */
  static readonly make = (
    verify: (token: string) => Effect.Effect<Option.Option<Actor>>
  ): Layer.Layer<TokenVerifier> => Layer.succeed(TokenVerifier, { verify })
}

/**
 * The security middleware of the API: reads `Authorization: Bearer <token>`, asks the
 * {@link TokenVerifier}, and provides {@link CurrentActor} to the handlers. A missing or
 * unknown token fails with {@link Unauthorized} (401 problem details, `WWW-Authenticate: Bearer`).
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("@commonweal/http/Authentication", {
  failure: UnauthorizedProblem,
  provides: CurrentActor,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

/** Resolves a raw bearer token to an actor, or the matching {@link Unauthorized}. */
export const authenticate = (
  verifier: TokenVerifier["Type"],
  token: string
): Effect.Effect<Actor, Unauthorized> =>
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

/** The {@link Authentication} middleware, backed by the {@link TokenVerifier} in context. */
export const AuthenticationLive: Layer.Layer<Authentication, never, TokenVerifier> = Layer.effect(
  Authentication,
  Effect.map(TokenVerifier, (verifier) =>
    Authentication.of({
      // The platform hands over whatever follows the first 7 characters of the header, whatever
      // the scheme; read the raw header instead so that only `Bearer` credentials count.
      bearer: (_token) =>
        Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
          authenticate(verifier, bearerToken(request.headers.authorization)))
    }))
)
