/**
 * A real server on a loopback port over the core services and the in-memory store (which also
 * keeps the idempotency keys), seeded with the two neighbourhoods, and helpers to reach it.
 */
import { createServer } from "node:http"
import type { Actor, CommunityId, StoragePorts } from "@commonweal/core"
import {
  Communities,
  CommunityId as CommunityIdSchema,
  Conflict,
  domainServices,
  GridCode,
  IdempotencyKeys,
  IdGenerator,
  Residents
} from "@commonweal/core"
import { MemoryStore } from "@commonweal/store-memory"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Effect, Layer, Logger, Option } from "effect"
import { FetchHttpClient, HttpServer } from "effect/http"
import type { HttpLayerOptions } from "../src/index.js"
import { makeClient, makeHttpLayer, TokenVerifier } from "../src/index.js"

/** 君馨社区 */
export const JUNXIN: CommunityId = CommunityIdSchema.make("01936a1e-7c00-7000-8000-00000000a001")
/** 顾里小站 */
export const GULI: CommunityId = CommunityIdSchema.make("01936a1e-7c00-7000-8000-00000000b002")

const actor = (subject: string, communityId: CommunityId, roles: Actor["roles"]): Actor => ({
  subject,
  communityId,
  roles
})

/** The static tokens of the test server. */
export const tokens = {
  junxinStaff: "tok-junxin-staff",
  junxinGrid: "tok-junxin-grid",
  junxinVolunteer: "tok-junxin-volunteer",
  guliStaff: "tok-guli-staff",
  /** An account whose roles a test may change ({@link setRoles}). */
  junxinShifting: "tok-junxin-shifting",
  /** Maps to an actor whose subject is too long: a broken verifier. */
  broken: "tok-broken"
} as const

const tokenTable: Record<string, Actor> = {
  [tokens.junxinStaff]: actor("staff.chen", JUNXIN, ["staff"]),
  [tokens.junxinGrid]: actor("grid.wang", JUNXIN, ["grid_worker"]),
  [tokens.junxinVolunteer]: actor("volunteer.zhao", JUNXIN, ["volunteer"]),
  [tokens.guliStaff]: actor("staff.gu", GULI, ["staff"]),
  [tokens.junxinShifting]: actor("staff.shifting", JUNXIN, ["staff"]),
  [tokens.broken]: actor("x".repeat(201), JUNXIN, ["staff"])
}

/** Changes the roles of {@link tokens.junxinShifting} (a permission change between two requests). */
export const setRoles = (roles: Actor["roles"]): void => {
  tokenTable[tokens.junxinShifting] = actor("staff.shifting", JUNXIN, roles)
}

/** How many times the token verifier ran, per token. */
export const verifierCalls = new Map<string, number>()

/** A verifier over the (mutable) table that counts its calls. */
const CountingVerifier = TokenVerifier.make((token) =>
  Effect.sync(() => {
    verifierCalls.set(token, (verifierCalls.get(token) ?? 0) + 1)
    return Option.fromUndefinedOr(tokenTable[token])
  })
)

/** Every answer the server asked the idempotency keys to keep, as the store received it (text). */
export const storedResponses: Array<string> = []

/** How many keys the server claimed (whether their transaction then committed or rolled back). */
export const claims = { count: 0 }

/** The in-memory store, its `IdempotencyKeys` recording what they are asked. */
const RecordingStore = Layer.effectContext(
  Effect.map(Effect.context<StoragePorts>(), (ports) => {
    const keys = Context.get(ports, IdempotencyKeys)
    return Context.add(
      ports,
      IdempotencyKeys,
      IdempotencyKeys.of({
        ...keys,
        claim: (request) => {
          claims.count++
          return keys.claim(request)
        },
        complete: (scope, print, response) => {
          storedResponses.push(response)
          return keys.complete(scope, print, response)
        }
      })
    )
  })
).pipe(Layer.provide(MemoryStore.layer))

const Seed = Layer.effectDiscard(
  Effect.gen(function* () {
    const communities = yield* Communities
    yield* communities.provision({
      id: JUNXIN,
      name: "君馨社区",
      nameEn: "Junxin Community",
      timeZone: "Asia/Shanghai",
      grids: [
        { code: GridCode.make("JX-01"), name: "一网格" },
        { code: GridCode.make("JX-02"), name: "二网格" },
        { code: GridCode.make("JX-05"), name: "五网格" }
      ]
    })
    yield* communities.provision({
      id: GULI,
      name: "顾里小站",
      nameEn: "Gu Li Station",
      timeZone: "Asia/Shanghai",
      grids: [{ code: GridCode.make("GL-01"), name: "顾里一网格" }]
    })
  })
)

/** A display name that makes `register` take a while: lets a test overlap two requests. */
export const SLOW_NAME_PREFIX = "慢"

/** A display name that makes `register` die, with the input in the defect: tests defect logging. */
export const DEFECT_NAME_PREFIX = "炸"

/**
 * A display name that makes `register` register the resident and then fail with a duplicate
 * `Conflict` (409): tests that a keyed command's writes roll back with its failure.
 */
export const REGRET_NAME_PREFIX = "悔"

/**
 * `Residents` whose `register` sleeps for names starting with {@link SLOW_NAME_PREFIX}, dies
 * (with the input inside the defect) for names starting with {@link DEFECT_NAME_PREFIX}, and
 * registers then fails for names starting with {@link REGRET_NAME_PREFIX}.
 */
const SlowRegister = Layer.effect(
  Residents,
  Effect.map(Residents, (residents) =>
    Residents.of({
      ...residents,
      register: (input) =>
        input.displayName.startsWith(SLOW_NAME_PREFIX)
          ? Effect.andThen(Effect.sleep("300 millis"), residents.register(input))
          : input.displayName.startsWith(DEFECT_NAME_PREFIX)
            ? Effect.die({ problem: "storage exploded", input })
            : input.displayName.startsWith(REGRET_NAME_PREFIX)
              ? Effect.flatMap(residents.register(input), (view) =>
                  Effect.fail(Conflict.duplicate("Resident", view.id))
                )
              : residents.register(input)
    })
  )
).pipe(Layer.provide(Residents.layer))

// every domain's service (`domainServices`), with `Residents` replaced by the one above (the later layer wins)
const Services = Layer.mergeAll(domainServices, SlowRegister).pipe(
  Layer.provideMerge(Layer.merge(RecordingStore, IdGenerator.Live))
)

/** A server with these options, its `HttpServer` (for the port) and a fetch client. */
export const makeTestServer = (options?: HttpLayerOptions) =>
  makeHttpLayer(options).pipe(
    Layer.provide(Seed),
    Layer.provide(CountingVerifier),
    Layer.provideMerge(Services),
    Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
    Layer.provideMerge(FetchHttpClient.layer)
  )

/**
 * What the servers of {@link TestServer} logged (logfmt lines), instead of printing it: tests
 * that provoke an unexpected failure assert on it, and a green run prints no error lines.
 */
export const serverLog: Array<string> = []

/** A logger that records each line in {@link serverLog} and prints nothing. */
export const CapturedLog = Logger.layer([
  Logger.make((options) => {
    serverLog.push(Logger.formatLogFmt.log(options))
  })
])

/** The server with the defaults, its `HttpServer` (for the port) and a fetch client; its log goes to {@link serverLog}. */
export const TestServer = makeTestServer().pipe(Layer.provide(CapturedLog))

/** The base URL of the running server. */
export const baseUrl: Effect.Effect<string, never, HttpServer.HttpServer> = Effect.map(
  HttpServer.HttpServer,
  (server) => HttpServer.formatAddress(server.address)
)

/** A typed client with the token (none when omitted). */
export const client = (token?: string) => Effect.flatMap(baseUrl, (url) => makeClient(url, token))

/** What {@link raw} returns. */
export interface RawResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: Record<string, unknown>
}

/** A raw `fetch` against the server, returning the status, headers and parsed JSON (or text). */
export const raw = (
  path: string,
  init: {
    readonly method?: string
    readonly token?: string
    readonly body?: unknown
    readonly rawBody?: string
    readonly headers?: Record<string, string>
  } = {}
): Effect.Effect<RawResponse, never, HttpServer.HttpServer> =>
  Effect.flatMap(baseUrl, (url) =>
    Effect.promise(async () => {
      const headers: Record<string, string> = {}
      if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`
      if (init.body !== undefined) headers["content-type"] = "application/json"
      Object.assign(headers, init.headers)
      const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body))
      const response = await fetch(`${url}${path}`, {
        method: init.method ?? "GET",
        headers,
        ...(body === undefined ? {} : { body })
      })
      const text = await response.text()
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        json = undefined
      }
      return { status: response.status, headers: response.headers, text, json: json as Record<string, unknown> }
    })
  )

/** The current year in Asia/Shanghai. */
export const currentYear = (): number =>
  Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Shanghai", year: "numeric" }).format(new Date()))
