/**
 * `pnpm start`: runs the commonweal example server until Ctrl-C.
 *
 * Reads the environment (see `config.ts`), opens the database, seeds 君馨社区 and 顾里小站
 * (each whole, and only if it does not exist yet), starts the HTTP API, and prints where the docs are, one demo token per
 * community and role, and a curl command to try.
 *
 * @module
 */
import { NodeRuntime } from "@effect/platform-node"
import { HttpServer } from "@effect/platform"
import { Console, Effect } from "effect"
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
  }).pipe(Effect.provide(makeServer(config)))
})

NodeRuntime.runMain(main)
