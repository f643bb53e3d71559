/**
 * Benchmark: reading one resident over HTTP, against the physical limit of this machine and
 * against minimal Effect 4 servers.
 *
 * In one run:
 *
 * 1. starts, in this process, each on its own loopback port:
 *    - (1) a bare `node:http` server answering every request with a ≈ 600-byte JSON body;
 *    - (2) a minimal Effect 4 `HttpApi`: one GET endpoint with a schema'd path parameter and a
 *      schema'd success body (that same JSON), served with `HttpRouter.serve` with Effect's
 *      default request logger off, once with the per-request tracing span off and once with it on;
 *    - (3) a minimal Effect 4 `HttpRouter` answering one static route with those same bytes
 *      (logger and tracer off);
 *    - (4) the example server (`makeServer` of `@commonweal/example-community-server`) on a
 *      temporary SQLite file seeded with the demo data, read with
 *      `GET /residents/:id` (周赛群, as the Junxin social worker); with `BENCH_CACHES=off`, also
 *      (4b) and (4c), the same server with its read caches switched off;
 * 2. warms every server up once, then loads them in interleaved rounds (round r starts at the
 *    r-th server, so none is always first or last) with the same autocannon settings, and prints
 *    the median requests/s, p50 and p99 latency of each, and its share of the bare server;
 * 3. splits the cost (`BENCH_BREAKDOWN`, on by default): the same read through the service
 *    without HTTP, the JSON encoding of the view, and, each with the exact bytes of (4): a bare
 *    server, an Effect `HttpRouter` static route, and a plain `HttpRouter` route calling the
 *    service without `HttpApi` or authentication.
 *
 * Loopback only; bounded (default 3 rounds of 5 s per server, 10 connections, no pipelining).
 * The load generator runs in a worker thread, so it does not share the servers' event loop.
 * Environment: `BENCH_DURATION` (seconds per measured run, default 5), `BENCH_ROUNDS` (default 3),
 * `BENCH_CONNECTIONS` (default 10), `BENCH_WARMUP` (seconds, default 2), `BENCH_BREAKDOWN=0` to
 * skip step 3, `BENCH_CACHES=off` to add (4b) the example server without its encoded-view cache and
 * (4c) without its decoded-resident cache (which defeats every cache of the read path).
 *
 * Run: `pnpm bench` at the repository root.
 *
 * @module
 */
import { CurrentActor, Residents, ResidentView } from "@commonweal/core"
import type { ServerConfig } from "@commonweal/example-community-server"
import { exampleResidentId, findDemoActor, makeServer, serverUrl } from "@commonweal/example-community-server"
import { NodeHttpServer } from "@effect/platform-node"
import autocannon from "autocannon"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { HttpMiddleware, HttpRouter, HttpServer, HttpServerResponse } from "effect/http"
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { median } from "./common.js"

const positive = (name: string, fallback: number): number => {
  const raw = process.env[name]
  const n = raw === undefined ? Number.NaN : Number(raw)
  return Number.isFinite(n) && n > 0 ? n : fallback
}

const DURATION = positive("BENCH_DURATION", 5)
const WARMUP = positive("BENCH_WARMUP", 2)
const ROUNDS = Math.max(1, Math.round(positive("BENCH_ROUNDS", 3)))
const CONNECTIONS = Math.round(positive("BENCH_CONNECTIONS", 10))
const BREAKDOWN = process.env.BENCH_BREAKDOWN !== "0"
const CACHES_OFF = process.env.BENCH_CACHES === "off"
const TARGET = 0.4
const HOST = "127.0.0.1"

// ---------------------------------------------------------------------------------------------
// load
// ---------------------------------------------------------------------------------------------

/** One measured run of one server. */
interface Run {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly errors: number
  readonly non2xx: number
}

/** Loads `url` with autocannon in a worker thread for `duration` seconds. */
const load = async (url: string, headers: Record<string, string>, duration: number): Promise<Run> => {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, pipelining: 1, workers: 1, duration })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx
  }
}

/** The median of each figure over a server's rounds, and the sum of its errors. */
const summary = (runs: ReadonlyArray<Run>): Run => ({
  rps: median(runs.map((r) => r.rps)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  errors: runs.reduce((n, r) => n + r.errors, 0),
  non2xx: runs.reduce((n, r) => n + r.non2xx, 0)
})

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const pct = (n: number) => `${fmt(n * 100, 1)} %`

const row = (name: string, m: Run, bare: Run, extra = "") =>
  `  ${name.padEnd(58)} ${fmt(m.rps).padStart(8)} req/s   p50 ${fmt(m.p50, 1).padStart(5)} ms   p99 ${fmt(m.p99, 1).padStart(5)} ms   ` +
  `${pct(m.rps / bare.rps).padStart(7)} of bare${extra}${m.errors + m.non2xx > 0 ? `   (${m.errors} errors, ${m.non2xx} non-2xx!)` : ""}`

// ---------------------------------------------------------------------------------------------
// the servers
// ---------------------------------------------------------------------------------------------

/** A server under load: where to send the request, and how to stop it. */
interface Target {
  readonly url: string
  readonly headers: Record<string, string>
  readonly close: () => Promise<void>
}

/** A bare `node:http` server that answers every request with `body`. */
const bareServer = async (body: Uint8Array, contentType: string, path: string): Promise<Target> => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": body.byteLength })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${HOST}:${port}${path}`,
    headers: {},
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** Runs a server layer in its own runtime and returns its base URL, and the runtime. */
const effectServer = async <ROut, E>(
  layer: Layer.Layer<ROut | HttpServer.HttpServer, E>,
  path: string,
  headers: Record<string, string> = {}
) => {
  const runtime = ManagedRuntime.make(layer)
  const base = serverUrl(await runtime.runPromise(Effect.map(HttpServer.HttpServer, (s) => s.address)))
  return { runtime, base, url: `${base}${path}`, headers, close: () => runtime.dispose() }
}

/** Effect's Node HTTP server on a free loopback port (with the Node platform services). */
const nodeServer = () => NodeHttpServer.layer(createServer, { port: 0, host: HOST })

/** Turns the per-request tracing span off. */
const TracingDisabled = Layer.succeed(HttpMiddleware.TracerDisabledWhen)(() => true)

/**
 * The ≈ 600-byte body of the baselines: a resident card as a directory might list it (made-up
 * data in the shape of the demo residents).
 */
const Card = Schema.Struct({
  id: Schema.String,
  communityId: Schema.String,
  displayName: Schema.String,
  grid: Schema.NullOr(Schema.String),
  birthYear: Schema.NullOr(Schema.Int),
  tags: Schema.Array(Schema.String),
  homePlace: Schema.Struct({ province: Schema.String, city: Schema.optionalKey(Schema.String) }),
  languages: Schema.Array(
    Schema.Struct({ language: Schema.String, dialect: Schema.optionalKey(Schema.String), proficiency: Schema.String })
  ),
  skills: Schema.Array(Schema.String),
  availability: Schema.Array(Schema.Struct({ day: Schema.Int, start: Schema.String, end: Schema.String })),
  location: Schema.Struct({ building: Schema.String, unit: Schema.String, room: Schema.String }),
  version: Schema.Int,
  updatedAt: Schema.String
})

const CARD_ID = "0187d49b-e800-7000-8001-000000000002"

const card: typeof Card.Type = {
  id: CARD_ID,
  communityId: "0187d49b-e800-7000-8000-000000000001",
  displayName: "刘英",
  grid: "JX-02",
  birthYear: 1968,
  tags: ["volunteer", "fellow_townsperson"],
  homePlace: { province: "jiangxi", city: "赣州" },
  languages: [
    { language: "cmn", proficiency: "fluent" },
    { language: "hak", dialect: "赣州客家话", proficiency: "native" },
    { language: "gan", proficiency: "conversational" }
  ],
  skills: ["translation", "assembly"],
  availability: [{ day: 3, start: "08:30", end: "12:00" }],
  location: { building: "12幢", unit: "1单元", room: "502" },
  version: 3,
  updatedAt: "2026-03-14T02:30:00.000Z"
}

const cardBody = new TextEncoder().encode(JSON.stringify(Schema.encodeSync(Card)(card)))

/** (2): one schema'd GET in an `HttpApi`, served with the default logger off. */
const CardApi = HttpApi.make("bench").add(
  HttpApiGroup.make("cards").add(
    HttpApiEndpoint.get("get", "/cards/:id", { params: { id: Schema.String }, success: Card })
  )
)

const CardHandlers = HttpApiBuilder.group(CardApi, "cards", (handlers) =>
  handlers.handle("get", ({ params }) => Effect.succeed({ ...card, id: params.id }))
)

const httpApiServer = (tracing: boolean) =>
  effectServer(
    HttpRouter.serve(HttpApiBuilder.layer(CardApi).pipe(Layer.provide(CardHandlers)), {
      disableLogger: true,
      disableListenLog: true
    }).pipe(tracing ? (layer) => layer : Layer.provide(TracingDisabled), Layer.provideMerge(nodeServer())),
    `/cards/${CARD_ID}`
  )

/** (3): one static route on an `HttpRouter`, logger and tracer off. */
const staticRouterServer = (body: Uint8Array, contentType: string) =>
  effectServer(
    HttpRouter.serve(HttpRouter.add("GET", "/static", HttpServerResponse.uint8Array(body, { contentType })), {
      disableLogger: true,
      disableListenLog: true
    }).pipe(Layer.provide(TracingDisabled), Layer.provideMerge(nodeServer())),
    "/static"
  )

/** (4): the example server on a fresh SQLite file in `dir`. */
const exampleConfig = (dir: string, name: string): ServerConfig => ({
  port: 0,
  host: HOST,
  seed: true,
  storage: { _tag: "Sqlite", filename: join(dir, `${name}.sqlite`) }
})

/**
 * The example server with one of its read caches off: the HTTP layer's encoded-view cache, or
 * the store's decoded-resident cache (without which each read makes a new record, so the view
 * and its encoding cannot be reused either: every cache of the read path is off).
 */
const cachesOffConfigs = (dir: string): ReadonlyArray<{ readonly name: string; readonly config: ServerConfig }> => [
  {
    name: "(4b) the same, encoded-view cache off",
    config: { ...exampleConfig(dir, "bench-no-view-cache"), encodedViewCache: false }
  },
  {
    name: "(4c) the same, decoded-resident cache off (so all caches)",
    config: { ...exampleConfig(dir, "bench-no-cache"), decodedResidentCache: false }
  }
]

// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------

/** One server of the interleaved rounds. */
interface Contender {
  readonly name: string
  readonly target: Target
  readonly runs: Array<Run>
}

/**
 * Warms every contender up once, then measures them in `ROUNDS` interleaved rounds of
 * `duration` seconds: round r starts at the r-th contender, so that none is always first or
 * last while the machine's other load comes and goes.
 */
const interleave = async (contenders: ReadonlyArray<Contender>, duration: number, label: string) => {
  for (const c of contenders) await load(c.target.url, c.target.headers, WARMUP)
  for (let round = 0; round < ROUNDS; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!)
    for (const c of order) c.runs.push(await load(c.target.url, c.target.headers, duration))
    process.stdout.write(`  ${label}: round ${round + 1}/${ROUNDS} done\n`)
  }
}

/** Prints each contender's medians against the first one's (the bare server). */
const report = (contenders: ReadonlyArray<Contender>) => {
  const bare = summary(contenders[0]!.runs)
  for (const c of contenders) {
    console.log(row(c.name, summary(c.runs), bare, `   [${c.runs.map((r) => fmt(r.rps)).join(" / ")}]`))
  }
}

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), "commonweal-bench-"))
  const staff = findDemoActor("junxin-staff")
  const auth = { authorization: `Bearer ${staff.token}` }
  const path = `/residents/${exampleResidentId}`
  console.log(
    `commonweal bench: GET /residents/:id (周赛群, 君馨社区 social worker / 社工) against bare node:http and minimal Effect servers`
  )
  console.log(`  node ${process.version}, ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ""}`)
  console.log(
    `  autocannon: ${CONNECTIONS} connections, pipelining 1, warm-up ${WARMUP} s per server, ` +
      `${ROUNDS} interleaved round(s) of ${DURATION} s per server, load in a worker thread`
  )

  const contenders: Array<Contender> = []
  const closers: Array<() => Promise<void>> = []
  const add = (name: string, target: Target) => {
    closers.push(target.close)
    contenders.push({ name, target, runs: [] })
  }
  try {
    const example = await effectServer(makeServer(exampleConfig(dir, "bench")), path, auth)
    closers.push(example.close)

    // the real response, once: the breakdown's bare server serves exactly these bytes
    const probe = await fetch(example.url, { headers: auth })
    const body = new Uint8Array(await probe.arrayBuffer())
    const contentType = probe.headers.get("content-type") ?? "application/json"
    if (probe.status !== 200) throw new Error(`probe read failed: HTTP ${probe.status}`)
    const apiProbe = await httpApiServer(false)
    const apiBody = new Uint8Array(await (await fetch(apiProbe.url)).arrayBuffer())
    if (Buffer.compare(apiBody, cardBody) !== 0) throw new Error("the HttpApi baseline does not answer the bare body")
    console.log(
      `  bodies: ${fmt(cardBody.byteLength)} bytes of JSON for (1)-(3), ` +
        `${fmt(body.byteLength)} bytes of ${contentType} for (4) (HTTP ${probe.status})`
    )

    add("(1) bare node:http, static JSON", await bareServer(cardBody, "application/json", "/"))
    add("(2) Effect HttpApi, one schema'd GET (no tracer, no logger)", apiProbe)
    add("(2) the same with the tracer on", await httpApiServer(true))
    add("(3) Effect HttpRouter, static route", await staticRouterServer(cardBody, "application/json"))
    contenders.push({ name: "(4) commonweal GET /residents/:id (auth + SQLite)", target: example, runs: [] })
    if (CACHES_OFF) {
      for (const off of cachesOffConfigs(dir)) {
        const target = await effectServer(makeServer(off.config), path, auth)
        const check = await fetch(target.url, { headers: auth })
        // the same resident, the same bytes but for the times and generated ids of its own seeding
        const mask = (text: string) =>
          text
            .replace(/"\d{4}-\d\d-\d\dT[^"]*"/g, '"<time>"')
            .replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
        if (mask(await check.text()) !== mask(new TextDecoder().decode(body))) {
          throw new Error(`${off.name}: the example server answers other bytes`)
        }
        add(off.name, target)
      }
    }
    console.log("")

    await interleave(contenders, DURATION, "servers (1)-(4)")
    console.log(`\nresults / 结果 (median of ${ROUNDS} round(s); req/s of each round in brackets):`)
    report(contenders)
    const bare = summary(contenders[0]!.runs)
    const commonweal = summary(contenders[4]!.runs)
    const ratio = commonweal.rps / bare.rps
    console.log(
      `\n  ratio commonweal / bare = ${pct(ratio)}  (target ≥ ${pct(TARGET)}: ${ratio >= TARGET ? "met / 达标" : "NOT met / 未达标"})\n`
    )

    if (BREAKDOWN) await breakdown(example, body, contentType, path, staff.actor)
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A server run by {@link effectServer}. */
type Served<R> = Target & { readonly base: string; readonly runtime: ManagedRuntime.ManagedRuntime<R, unknown> }

/** Step 3: where the time of (4) goes, on the example server's own services. */
const breakdown = async (
  example: Served<Residents>,
  body: Uint8Array,
  contentType: string,
  path: string,
  actor: typeof CurrentActor.Service
) => {
  console.log("where the time goes / 耗时分解:")
  const { runtime } = example
  // (a) the service alone, no HTTP: one fiber reading the same resident in a loop
  const read = Effect.flatMap(Residents, (r) => r.get(exampleResidentId)).pipe(
    Effect.provideService(CurrentActor, actor)
  )
  const n = 20_000
  await runtime.runPromise(Effect.repeat(read, { times: 2_000 }))
  const t0 = performance.now()
  await runtime.runPromise(Effect.repeat(read, { times: n - 1 }))
  const perRead = (performance.now() - t0) / n
  const t2 = performance.now()
  await runtime.runPromise(
    Effect.forEach(Array.from({ length: n }), () => read, { concurrency: CONNECTIONS, discard: true })
  )
  const perConcurrentRead = (performance.now() - t2) / n
  const encodeView = Schema.encodeEffect(Schema.toCodecJson(ResidentView))
  const encode = (view: ResidentView) => Effect.map(encodeView(view), (json) => JSON.stringify(json))
  const view = await runtime.runPromise(read)
  const t1 = performance.now()
  // `encode(view)` runs when called: suspend it, or the loop would repeat one finished result
  await runtime.runPromise(
    Effect.repeat(
      Effect.suspend(() => encode(view)),
      { times: n - 1 }
    )
  )
  const perEncode = (performance.now() - t1) / n
  console.log(
    `  service only (Residents.get + SQLite, no HTTP)   ${fmt(perRead * 1000, 1).padStart(7)} µs/read  = ${fmt(1000 / perRead)} reads/s on one fiber`
  )
  console.log(
    `  the same with ${CONNECTIONS} concurrent fibers${" ".repeat(Math.max(0, 19 - String(CONNECTIONS).length))}${fmt(perConcurrentRead * 1000, 1).padStart(7)} µs/read  = ${fmt(1000 / perConcurrentRead)} reads/s`
  )
  console.log(`  JSON encode of the view (Schema, uncached)       ${fmt(perEncode * 1000, 1).padStart(7)} µs/view`)

  // (b) the exact bytes of (4) from a bare server and from a static Effect route, and (c) a
  //     plain route calling the service without HttpApi and without authentication
  // only the Residents service: the runtime's whole context also holds the example server
  const residentsService = await runtime.runPromise(Residents)
  // as `@commonweal/http` does: the encoding of an unchanged (same object) view is reused
  const encoded = new WeakMap<ResidentView, string>()
  const encodeOnce = (found: ResidentView) => {
    const known = encoded.get(found)
    return known !== undefined
      ? Effect.succeed(known)
      : Effect.tap(encode(found), (json) => Effect.sync(() => encoded.set(found, json)))
  }
  const routes = Layer.mergeAll(
    HttpRouter.add("GET", "/static", HttpServerResponse.uint8Array(body, { contentType })),
    HttpRouter.add(
      "GET",
      "/residents/:id",
      Effect.gen(function* () {
        const { id } = yield* HttpRouter.params
        const residents = yield* Residents
        const found = yield* residents.get(id ?? "").pipe(Effect.provideService(CurrentActor, actor))
        return HttpServerResponse.text(yield* encodeOnce(found), { contentType: "application/json" })
      }).pipe(Effect.catch(() => Effect.succeed(HttpServerResponse.empty({ status: 404 }))))
    )
  )
  const bare = await bareServer(body, contentType, path)
  const plain = await effectServer(
    HttpRouter.serve(routes, { disableLogger: true, disableListenLog: true }).pipe(
      Layer.provide(Layer.succeed(Residents, residentsService)),
      Layer.provide(TracingDisabled),
      Layer.provideMerge(nodeServer())
    ),
    path
  )
  try {
    const same: ReadonlyArray<Contender> = [
      { name: `bare node:http, the same ${fmt(body.byteLength)} bytes`, target: bare, runs: [] },
      {
        name: "Effect HttpRouter, static route, the same bytes",
        target: { ...plain, url: `${plain.base}/static` },
        runs: []
      },
      { name: "Effect HttpRouter + service, no HttpApi/auth", target: plain, runs: [] },
      { name: "commonweal (HttpApi + auth + service + SQLite)", target: example, runs: [] }
    ]
    await interleave(same, Math.max(3, Math.round(DURATION / 2)), "breakdown")
    report(same)
    const [bareResult, staticResult, routeResult, commonweal] = same.map((c) => summary(c.runs)) as [Run, Run, Run, Run]
    // the server runs on one thread, saturated by the load: 1 / throughput is its time per request
    const us = (m: Run) => 1e6 / m.rps
    console.log(
      `\n  server time per request (µs, 1 / throughput): bare ${fmt(us(bareResult), 1)}, ` +
        `+ Effect platform ${fmt(us(staticResult) - us(bareResult), 1)}, ` +
        `+ service/SQLite ${fmt(us(routeResult) - us(staticResult), 1)}, ` +
        `+ HttpApi/auth/middleware ${fmt(us(commonweal) - us(routeResult), 1)}`
    )
  } finally {
    await plain.close()
    await bare.close()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("bench failed / 基准测试失败:", error)
    process.exit(1)
  }
)
