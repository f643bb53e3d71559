/**
 * `pnpm start`: runs the commonweal example server until Ctrl-C (or SIGTERM).
 *
 * Reads the environment (see `config.ts`), opens the database, seeds 君馨社区 and 顾里小站
 * (each whole, and only if it does not exist yet), starts the HTTP API, and prints where the docs are, one demo token per
 * community and role, and a curl command to try.
 *
 * On Ctrl-C or SIGTERM, `NodeRuntime.runMain` interrupts the program: the server stops taking
 * connections, lets the requests in flight finish (see `SHUTDOWN_GRACE`), the database is
 * closed, and the process prints that it stopped and exits with 0: being asked to stop is not a
 * failure (runMain's default is 130, which `pnpm start` reports as `ELIFECYCLE`). A failure to
 * start or a crash still exits non-zero.
 *
 * @module
 */
import { NodeRuntime } from "@effect/platform-node"
import { Cause, Console, Effect, Exit, Runtime } from "effect"
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

/** Exit 0 after a stop asked by a signal (the only way `main` is interrupted); the default otherwise. */
const teardown: Runtime.Teardown = (exit, onExit) => {
  if (Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause)) {
    console.log("commonweal 示例服务器已停止 / stopped")
    onExit(0)
  } else {
    Runtime.defaultTeardown(exit, onExit)
  }
}

NodeRuntime.runMain(main, { teardown })
