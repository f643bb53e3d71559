/**
 * The server's configuration, read from the environment.
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | `PORT` | `3000` | TCP port (0 picks a free one) |
 * | `HOST` | `127.0.0.1` | interface to listen on (`0.0.0.0` for every interface) |
 * | `DATABASE_URL` | — | a PostgreSQL or MySQL/MariaDB URL; when set, used instead of SQLite |
 * | `COMMONWEAL_DB_FILE` | `./.data/commonweal.sqlite` | the embedded SQLite file, relative to this example's folder |
 * | `COMMONWEAL_SEED` | `true` | seed 君馨社区 and 顾里小站 on start (each only if it does not exist yet) |
 * | `COMMONWEAL_HTTP_TRACING` | `false` | make a tracing span per request (for an OpenTelemetry setup) |
 *
 * @module
 */
import { Config, Effect, Option, Schema } from "effect"
import { isAbsolute, resolve } from "node:path"
import { fileURLToPath } from "node:url"

/** The folder of this example (`examples/community-server`). */
export const exampleRoot: string = fileURLToPath(new URL("..", import.meta.url))

/** Where the data lives: an embedded SQLite file, or a database server by URL. */
export type StorageConfig =
  | { readonly _tag: "Sqlite"; readonly filename: string }
  | { readonly _tag: "Url"; readonly url: string }

/** Everything the server needs to start. */
export interface ServerConfig {
  readonly port: number
  readonly host: string
  readonly storage: StorageConfig
  /** Whether to seed the demo communities on start. */
  readonly seed: boolean
  /** Whether to make a tracing span per HTTP request (`COMMONWEAL_HTTP_TRACING`, default false). */
  readonly tracing?: boolean | undefined
  /**
   * Keep the store's decoded-resident cache (default `true`). `false` is for benchmarks that
   * measure what it saves (see `SqlStoreOptions.decodedResidentCache`).
   */
  readonly decodedResidentCache?: boolean | undefined
  /**
   * Keep the encoded JSON of full resident views (default `true`). `false` is for benchmarks
   * (see `ResidentsLiveOptions.encodedViewCache` of `@commonweal/http`).
   */
  readonly encodedViewCache?: boolean | undefined
}

/** The default SQLite file: `<example>/.data/commonweal.sqlite`. */
export const defaultDbFile: string = resolve(exampleRoot, ".data/commonweal.sqlite")

/** Resolves a SQLite path as `COMMONWEAL_DB_FILE` means it: relative paths are relative to the example folder. */
export const resolveDbFile = (file: string): string => (isAbsolute(file) ? file : resolve(exampleRoot, file))

/** A TCP port to listen on: 1-65535, or 0 for one the system picks (`Config.Port` refuses 0). */
const ListenPort = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 65535 }))

/** Reads the configuration from Effect's `ConfigProvider` (the environment by default). */
export const loadConfig: Effect.Effect<ServerConfig, Config.ConfigError> = Effect.gen(function* () {
  const port = yield* Config.schema(ListenPort, "PORT").pipe(Config.withDefault(3000))
  const host = yield* Config.String("HOST").pipe(Config.withDefault("127.0.0.1"))
  const databaseUrl = yield* Config.option(Config.NonEmptyString("DATABASE_URL"))
  const dbFile = yield* Config.NonEmptyString("COMMONWEAL_DB_FILE").pipe(Config.withDefault(defaultDbFile))
  const seed = yield* Config.Boolean("COMMONWEAL_SEED").pipe(Config.withDefault(true))
  const tracing = yield* Config.Boolean("COMMONWEAL_HTTP_TRACING").pipe(Config.withDefault(false))
  const storage: StorageConfig = Option.match(databaseUrl, {
    onNone: () => ({ _tag: "Sqlite", filename: resolveDbFile(dbFile) }),
    onSome: (url) => ({ _tag: "Url", url })
  })
  return { port, host, storage, seed, tracing }
})

/** Describes the storage for people, without a password from the URL. */
export const describeStorage = (storage: StorageConfig): string => {
  if (storage._tag === "Sqlite") return `SQLite ${storage.filename}`
  try {
    const url = new URL(storage.url)
    if (url.password !== "") url.password = "***"
    return url.toString()
  } catch {
    return "database URL (unparsable)"
  }
}
