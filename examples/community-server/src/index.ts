/**
 * The commonweal example server, as layers: storage (embedded SQLite or a database URL), the
 * core services, the demo seed of 君馨社区 and 顾里小站, and the HTTP API with its docs on a
 * Node HTTP server.
 *
 * Idempotency keys (`Idempotency-Key` on POSTs) live in the same database, claimed in each
 * command's transaction, so a retry is answered once also after a restart or by a second
 * instance; a background fiber deletes the expired ones ({@link purgeExpiredKeysLayer}). Another
 * releases the ledger holds whose timeout has passed ({@link expireHoldsLayer}).
 *
 * `main.ts` runs {@link makeServer} with the configuration from the environment; tests and the
 * benchmark run it on port 0 with a temporary SQLite file.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { HttpServer } from "effect/http"
 * import { makeServer, serverUrl } from "@commonweal/example-community-server"
 *
 * const program = Effect.gen(function* () {
 *   const server = yield* HttpServer.HttpServer
 *   console.log(serverUrl(server.address))      // http://127.0.0.1:54321
 * }).pipe(Effect.provide(makeServer({
 *   port: 0, host: "127.0.0.1", seed: true, storage: { _tag: "Sqlite", filename: "/tmp/demo.sqlite" }
 * })))
 * ```
 *
 * @module
 */
import {
  type Communities,
  CommunityRepo,
  CurrentActor,
  domainServices,
  type Fund,
  IdempotencyKeys,
  IdGenerator,
  Ledger,
  MAX_EXPIRE_LIMIT,
  type MutualAid,
  systemActor,
  type Workshop,
  type Residents
} from "@commonweal/core"
import type { Actor, DomainServices, StoragePorts, Transactor } from "@commonweal/core"
import { makeHttpLayer, TokenVerifier } from "@commonweal/http"
import { SqlStore } from "@commonweal/store-kysely"
import type { SqlStoreOptions } from "@commonweal/store-kysely"
import { demoActors, emptyDemoSeedReport, seedDemo, zhouSaiqun } from "@commonweal/testing/demo"
import type { DemoSeedReport } from "@commonweal/testing/demo"
import { NodeHttpServer } from "@effect/platform-node"
import { Clock, Context, Duration, Effect, Layer, Schedule } from "effect"
import type { HttpServer, HttpServerError } from "effect/http"
import { NetAddress } from "effect/net"
import { mkdirSync } from "node:fs"
import { createServer } from "node:http"
import { dirname } from "node:path"
import type { ServerConfig, StorageConfig } from "./config.js"

export * from "./config.js"
export { demoActors, junxinActors, guliActors, findDemoActor, demoResidents } from "@commonweal/testing/demo"
export type { DemoActor, DemoSeedReport } from "@commonweal/testing/demo"

/** What the seed wrote on this start (all zeros when the data was already there, or seeding was off). */
export class SeedReport extends Context.Service<SeedReport, DemoSeedReport>()(
  "@commonweal/example-community-server/SeedReport"
) {}

/** The storage layer: SQLite in a file (its folder is created) or the database at a URL. */
export const storageLayer = (storage: StorageConfig, options: SqlStoreOptions = {}): Layer.Layer<StoragePorts> =>
  storage._tag === "Sqlite"
    ? Layer.unwrap(
        Effect.sync(() => {
          mkdirSync(dirname(storage.filename), { recursive: true })
          return SqlStore.layerSqlite({ ...options, filename: storage.filename })
        })
      )
    : SqlStore.layerFromUrl(storage.url, options)

/** The core services of every domain over a storage layer; the storage ports stay visible (for tests and tools). */
export const coreLayer = <E, R>(
  storage: Layer.Layer<StoragePorts, E, R>
): Layer.Layer<DomainServices | StoragePorts | IdGenerator, E, R> =>
  domainServices.pipe(Layer.provideMerge(Layer.merge(storage, IdGenerator.Live)))

/**
 * Seeds the demo communities (when `seed`) before anything else starts, and records what it
 * wrote. Each community is written whole in one transaction (the storage layer's `Transactor`)
 * or not at all, and only if it does not exist yet: a restart never touches what users changed.
 */
export const seedLayer = (
  seed: boolean
): Layer.Layer<SeedReport, never, Residents | Communities | Fund | MutualAid | Workshop | Transactor> =>
  Layer.effect(
    SeedReport,
    seed
      ? seedDemo.pipe(
          // the demo data is valid by construction: a failure here is a bug, not a condition to handle
          Effect.mapError((e) => new Error(`demo seed failed / 演示数据初始化失败: ${e.message}`)),
          Effect.orDie
        )
      : Effect.succeed(emptyDemoSeedReport)
  )

/** The static demo token table: `demo-junxin-staff` → the Junxin staff actor, and so on. */
export const demoTokenTable: Readonly<Record<string, Actor>> = Object.fromEntries(
  demoActors.map((a) => [a.token, a.actor])
)

/** How often the server deletes expired idempotency keys. */
export const PURGE_INTERVAL = Duration.minutes(10)

/** The most expired idempotency keys deleted in one round. */
export const PURGE_BATCH = 10_000

/**
 * Deletes the idempotency keys that expired by now (at most {@link PURGE_BATCH}) and logs how
 * many it deleted, if any; returns that number. A failure is logged, not raised: the next round
 * tries again.
 */
export const purgeExpiredKeys: Effect.Effect<number, never, IdempotencyKeys> = Effect.gen(function* () {
  const keys = yield* IdempotencyKeys
  const now = yield* Clock.currentTimeMillis
  const purged = yield* keys.purgeExpired(now, PURGE_BATCH)
  if (purged > 0) {
    yield* Effect.logInfo(`已清理过期幂等键 / purged expired idempotency keys: ${purged}`)
  }
  return purged
}).pipe(
  Effect.catchCause((cause) =>
    Effect.as(Effect.logWarning("清理过期幂等键失败 / purging expired idempotency keys failed", cause), 0)
  )
)

/**
 * A background fiber, for the life of the layer, that runs {@link purgeExpiredKeys} at start and
 * then every {@link PURGE_INTERVAL}: keys are never evicted to make room, so expired ones must be
 * deleted (a busy server otherwise keeps every key of the last day and all earlier ones).
 */
export const purgeExpiredKeysLayer: Layer.Layer<never, never, IdempotencyKeys> = Layer.effectDiscard(
  Effect.forkScoped(Effect.repeat(purgeExpiredKeys, Schedule.spaced(PURGE_INTERVAL)))
)

/** How often the server releases the ledger holds whose timeout has passed. */
export const EXPIRE_INTERVAL = Duration.minutes(1)

/**
 * Releases the ledger holds whose timeout has passed, in every community: `Ledger.expire` as the
 * community's `systemActor`, in rounds of `MAX_EXPIRE_LIMIT` until a round releases fewer. Logs
 * and returns how many it released. A community that fails is logged and skipped; the next round
 * tries again.
 *
 * Why a job: a hold past its timeout can no longer be posted (the engine refuses it by the
 * clock), but until it is released its amount still counts as pending, so it keeps reserving
 * the money of the account that holds it (a limit may refuse a transfer because of it, and the
 * account's pending totals still show it). A program of its own runs the same loop.
 */
export const expireHolds: Effect.Effect<number, never, Ledger | CommunityRepo> = Effect.gen(function* () {
  const ledger = yield* Ledger
  const communities = yield* (yield* CommunityRepo).list()
  let released = 0
  for (const community of communities) {
    const inCommunity = Effect.gen(function* () {
      let count = 0
      for (;;) {
        const expired = yield* ledger.expire(MAX_EXPIRE_LIMIT)
        count += expired.length
        if (expired.length < MAX_EXPIRE_LIMIT) return count
      }
    }).pipe(Effect.provideService(CurrentActor, systemActor(community.id)))
    released += yield* inCommunity.pipe(
      Effect.catchCause((cause) =>
        Effect.as(
          Effect.logWarning(`释放过期冻结款失败 / releasing expired holds failed in community ${community.id}`, cause),
          0
        )
      )
    )
  }
  if (released > 0) yield* Effect.logInfo(`已释放过期冻结款 / released expired ledger holds: ${released}`)
  return released
}).pipe(
  Effect.catchCause((cause) =>
    Effect.as(Effect.logWarning("释放过期冻结款失败 / releasing expired holds failed", cause), 0)
  )
)

/**
 * A background fiber, for the life of the layer, that runs {@link expireHolds} at start and then
 * every {@link EXPIRE_INTERVAL}, so a hold is released at most about a minute after its timeout.
 */
export const expireHoldsLayer: Layer.Layer<never, never, Ledger | CommunityRepo> = Layer.effectDiscard(
  Effect.forkScoped(Effect.repeat(expireHolds, Schedule.spaced(EXPIRE_INTERVAL)))
)

/** How long a shutdown waits for requests in flight before it closes their connections. */
export const SHUTDOWN_GRACE = "10 seconds"

/**
 * The whole server: storage → core services → demo seed → HTTP API (`/docs`, `/openapi.json`)
 * on a Node HTTP server at `config.host:config.port`, authenticating the demo tokens.
 *
 * The server listens only after seeding finished; it fails with `ServeError` when the port is
 * taken. Expired idempotency keys are purged in the background ({@link purgeExpiredKeysLayer}),
 * and ledger holds past their timeout released ({@link expireHoldsLayer}).
 * The layer also provides the core services, the storage ports and the {@link SeedReport}, so a
 * test can look at the data it serves.
 *
 * Closing the layer (Ctrl-C or SIGTERM under `NodeRuntime.runMain`, or disposing a runtime) shuts
 * down gracefully: the server stops accepting connections, lets the requests in flight finish
 * (at most {@link SHUTDOWN_GRACE}), and only then is the database closed.
 */
export const makeServer = (
  config: ServerConfig
): Layer.Layer<
  HttpServer.HttpServer | SeedReport | DomainServices | StoragePorts | IdGenerator,
  HttpServerError.ServeError
> => {
  const seeded = seedLayer(config.seed).pipe(
    Layer.provideMerge(
      coreLayer(
        storageLayer(config.storage, { decodedResidentCache: config.decodedResidentCache === false ? 0 : undefined })
      )
    )
  )
  // A span per request costs a good share of a short request's time, and the spans would carry
  // query strings with personal data; the example exports no traces, so it only makes them
  // when asked to (COMMONWEAL_HTTP_TRACING=true).
  const http = makeHttpLayer({
    tracing: config.tracing === true,
    encodedViewCache: config.encodedViewCache !== false
  }).pipe(
    Layer.provide(TokenVerifier.static(demoTokenTable)),
    Layer.provideMerge(
      NodeHttpServer.layer(createServer, {
        port: config.port,
        host: config.host,
        gracefulShutdownTimeout: SHUTDOWN_GRACE
      })
    )
  )
  return Layer.mergeAll(http, purgeExpiredKeysLayer, expireHoldsLayer).pipe(Layer.provideMerge(seeded))
}

/** `http://host:port` of a listening server (IPv6 hosts bracketed). */
export const serverUrl = (address: NetAddress.SocketAddress): string => {
  if (address._tag === "UnixPathAddress") return `unix:${address.path}`
  const host = NetAddress.isUnspecified(address.address) ? "127.0.0.1" : NetAddress.formatIp(address.address)
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`
}

/** The resident the banner's curl example reads: 周赛群 of 君馨社区. */
export const exampleResidentId = zhouSaiqun.id

/**
 * The start-up text: where the docs are, the demo tokens, and a curl to paste. Chinese and
 * English. It says what the seed wrote, or that nothing was written (and why: the demo
 * communities existed already, or seeding was off).
 */
export const banner = (address: NetAddress.SocketAddress, report: DemoSeedReport, seedEnabled = true): string => {
  const base = serverUrl(address)
  const staff = demoActors.find((a) => a.key === "junxin-staff")
  const width = Math.max(...demoActors.map((a) => a.token.length))
  const seeded =
    report.communitiesCreated +
      report.residentsRegistered +
      report.householdLinks +
      report.guardianLinks +
      report.consentsRecorded +
      report.fundEntries >
    0
      ? `已写入演示数据 / seeded: ${report.communitiesCreated} 个社区 communities, ${report.residentsRegistered} 位居民 residents, ` +
        `${report.householdLinks + report.guardianLinks} 条家庭/监护关系 links, ${report.consentsRecorded} 项监护人同意 guardian consents, ` +
        `${report.fundEntries} 笔公益基金收支 fund entries, ${report.fundRounds} 轮资助 allocation rounds, ` +
        `${report.volunteers} 位志愿者 volunteers, ${report.helpRequests} 个求助 help requests, ${report.carePlans} 个关爱计划 care plans, ` +
        `${report.workshopWorkers} 位馨工坊工人 workshop workers, ${report.workshopMovements} 笔物料流转 piece movements`
      : seedEnabled
        ? "演示社区已存在，未写入任何数据 / demo communities already present, nothing written"
        : "未写入演示数据（COMMONWEAL_SEED=false）/ demo seeding off, nothing written"
  return [
    "",
    "commonweal 社区服务示例服务器已启动 / example server is running",
    `  ${seeded}`,
    "",
    `  接口文档 API docs (Swagger UI): ${base}/docs`,
    `  OpenAPI 文档:                   ${base}/openapi.json`,
    `  健康检查 health:                ${base}/health`,
    "",
    "  演示令牌 demo bearer tokens (仅供演示，切勿用于生产 / demo only, never in production):",
    ...demoActors.map((a) => `    ${a.token.padEnd(width)}  ${a.actor.roles.join(",").padEnd(11)}  ${a.label}`),
    "",
    "  试一试 try it (以社工身份查看周赛群的档案 / read 周赛群's record as a social worker):",
    `    curl -H "Authorization: Bearer ${staff?.token ?? "demo-junxin-staff"}" ${base}/residents/${exampleResidentId}`,
    `    curl -H "Authorization: Bearer ${staff?.token ?? "demo-junxin-staff"}" "${base}/residents?tag=migrant_elderly"`,
    "  公益基金收支公示（可打印）/ the fund's public report, printable:",
    `    curl -H "Authorization: Bearer demo-junxin-resident" "${base}/fund/report.html" -o report.html`,
    "",
    "  按 Ctrl-C 停止 / press Ctrl-C to stop",
    ""
  ].join("\n")
}
