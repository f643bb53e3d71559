/**
 * `pnpm start`: runs the commonweal example server until Ctrl-C (or SIGTERM).
 *
 * Reads the environment (see `config.ts`), opens the database, seeds 君馨社区 and 顾里小站
 * (each whole, and only if it does not exist yet), starts the HTTP API, and prints where the docs are, one demo token per
 * community and role, and a curl command to try.
 *
 * On Ctrl-C or SIGTERM, `NodeRuntime.runMain` interrupts the program: the server stops taking
 * connections, lets the requests in flight finish (see `SHUTDOWN_GRACE`), the database is
 * closed, and the process exits.
 *
 * @module
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { HttpServer } from "effect/http"
import { describeStorage, loadConfig } from "./config.js"
import { banner, makeServer, SeedReport } from "./index.js"

const main = Effect.gen(function* () {
  const config = yield* loadConfig
  yield* Console.log(`commonweal 示例服务器启动中 / starting: ${describeStorage(config.storage)} …`)
  yield* Effect.gen(function* () {
    const server = yield* HttpServer.HttpServer
    const report = yield* SeedReport
    yield* Console.log(banner(server.address, report, config.seed))
    return yield* Effect.never
  }).pipe(
    Effect.onInterrupt(() => Console.log("commonweal 示例服务器正在停止 / shutting down …")),
    Effect.provide(makeServer(config))
  )
})

NodeRuntime.runMain(main)
