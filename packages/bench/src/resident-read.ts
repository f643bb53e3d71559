/**
 * Benchmark: reading one resident over HTTP, against the physical limit of this machine.
 *
 * In one run:
 *
 * 1. starts the example server (`makeServer` of `@commonweal/example-community-server`) on a
 *    temporary SQLite file seeded with the demo data, on a loopback port;
 * 2. reads `GET /residents/:id` (周赛群, as the Junxin social worker) once and keeps the exact
 *    response bytes;
 * 3. starts a bare `node:http` server that answers every request with those bytes;
 * 4. loads both, one after the other, with the same autocannon settings (a warm-up run first),
 *    and prints requests/s, p50 and p99 latency, and the ratio commonweal / bare;
 * 5. splits the cost: the same read through the service without HTTP, an Effect HTTP server
 *    answering the static bytes (platform cost), and an Effect HTTP route calling the service
 *    without `HttpApi` or authentication.
 *
 * Loopback only; bounded (default 10 s per measured run, 10 connections, no pipelining). The
 * load generator runs in a worker thread, so it does not share the servers' event loop.
 * Environment: `BENCH_DURATION` (seconds, default 10), `BENCH_CONNECTIONS` (default 10),
 * `BENCH_WARMUP` (seconds, default 3), `BENCH_BREAKDOWN=0` to skip step 5.
 *
 * Run: `pnpm bench` at the repository root.
 *
 * @module
 */
import { CurrentActor, Residents, ResidentView } from "@commonweal/core"
import { exampleResidentId, findDemoActor, makeServer, serverUrl } from "@commonweal/example-community-server"
import { HttpMiddleware, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import autocannon from "autocannon"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"

const seconds = (name: string, fallback: number): number => {
  const raw = process.env[name]
  const n = raw === undefined ? Number.NaN : Number(raw)
  return Number.isFinite(n) && n > 0 ? n : fallback
}

const DURATION = seconds("BENCH_DURATION", 10)
const WARMUP = seconds("BENCH_WARMUP", 3)
const CONNECTIONS = Math.round(seconds("BENCH_CONNECTIONS", 10))
const BREAKDOWN = process.env.BENCH_BREAKDOWN !== "0"
const TARGET = 0.4

/** One measured run. */
interface Measured {
  readonly name: string
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly errors: number
  readonly non2xx: number
}

/** Loads `url` with autocannon in a worker thread: a warm-up run, then the measured run. */
const load = async (name: string, url: string, headers: Record<string, string>, duration = DURATION): Promise<Measured> => {
  const options = { url, headers, connections: CONNECTIONS, pipelining: 1, workers: 1 }
  await autocannon({ ...options, duration: WARMUP })
  const result = await autocannon({ ...options, duration })
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx
  }
}

/** A bare `node:http` server that answers every request with `body`. */
const bareServer = async (body: Uint8Array, contentType: string) => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": body.byteLength })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const pct = (n: number) => `${fmt(n * 100, 1)} %`

const row = (m: Measured, bare: Measured) =>
  `  ${m.name.padEnd(44)} ${fmt(m.rps).padStart(8)} req/s   p50 ${fmt(m.p50, 1).padStart(5)} ms   p99 ${fmt(m.p99, 1).padStart(5)} ms   ` +
  `${pct(m.rps / bare.rps).padStart(7)} of bare${m.errors + m.non2xx > 0 ? `   (${m.errors} errors, ${m.non2xx} non-2xx!)` : ""}`

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), "commonweal-bench-"))
  const staff = findDemoActor("junxin-staff")
  const headers = { authorization: `Bearer ${staff.token}` }
  const path = `/residents/${exampleResidentId}`
  console.log(`commonweal bench: GET /residents/:id (周赛群, 君馨社区 social worker / 社工)`)
  console.log(`  node ${process.version}, ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ""}`)
  console.log(`  autocannon: ${CONNECTIONS} connections, pipelining 1, warm-up ${WARMUP} s, measured ${DURATION} s, load in a worker thread`)

  const runtime = ManagedRuntime.make(
    makeServer({ port: 0, host: "127.0.0.1", seed: true, storage: { _tag: "Sqlite", filename: join(dir, "bench.sqlite") } })
  )
  try {
    const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (s) => s.address))
    const base = serverUrl(address)

    // the real response, once: the bare server serves exactly these bytes
    const probe = await fetch(`${base}${path}`, { headers })
    const body = new Uint8Array(await probe.arrayBuffer())
    const contentType = probe.headers.get("content-type") ?? "application/json"
    if (probe.status !== 200 && probe.status !== 201) throw new Error(`probe read failed: HTTP ${probe.status}`)
    console.log(`  response: HTTP ${probe.status}, ${body.byteLength} bytes of ${contentType}\n`)

    const commonweal = await load("commonweal (HttpApi + auth + service + SQLite)", `${base}${path}`, headers)
    const bare = await bareServer(body, contentType)
    const bareResult = await load("bare node:http, same bytes", `${bare.url}${path}`, {}).finally(bare.close)

    console.log("results / 结果:")
    console.log(row(bareResult, bareResult))
    console.log(row(commonweal, bareResult))
    const ratio = commonweal.rps / bareResult.rps
    console.log(
      `\n  ratio commonweal / bare = ${pct(ratio)}  (target ≥ ${pct(TARGET)}: ${ratio >= TARGET ? "met / 达标" : "NOT met / 未达标"})\n`
    )

    if (BREAKDOWN) {
      console.log("where the time goes / 耗时分解:")
      // (a) the service alone, no HTTP: one fiber reading the same resident in a loop
      const read = Effect.flatMap(Residents, (r) => r.get(exampleResidentId)).pipe(Effect.provideService(CurrentActor, staff.actor))
      const n = 20_000
      await runtime.runPromise(Effect.repeatN(read, 2_000))
      const t0 = performance.now()
      await runtime.runPromise(Effect.repeatN(read, n - 1))
      const perRead = (performance.now() - t0) / n
      const t2 = performance.now()
      await runtime.runPromise(Effect.forEach(Array.from({ length: n }), () => read, { concurrency: CONNECTIONS, discard: true }))
      const perConcurrentRead = (performance.now() - t2) / n
      const encode = Schema.encode(Schema.parseJson(ResidentView))
      const view = await runtime.runPromise(read)
      const t1 = performance.now()
      // `encode(view)` runs when called: suspend it, or the loop would repeat one finished result
      await runtime.runPromise(Effect.repeatN(Effect.suspend(() => encode(view)), n - 1))
      const perEncode = (performance.now() - t1) / n
      console.log(`  service only (Residents.get + SQLite, no HTTP)   ${fmt(perRead * 1000, 1).padStart(7)} µs/read  = ${fmt(1000 / perRead)} reads/s on one fiber`)
      console.log(`  the same with ${CONNECTIONS} concurrent fibers${" ".repeat(Math.max(0, 19 - String(CONNECTIONS).length))}${fmt(perConcurrentRead * 1000, 1).padStart(7)} µs/read  = ${fmt(1000 / perConcurrentRead)} reads/s`)
      console.log(`  JSON encode of the view (Schema, uncached)       ${fmt(perEncode * 1000, 1).padStart(7)} µs/view`)

      // (b) Effect's Node HTTP server with the static bytes, and (c) a plain route calling the
      //     service without HttpApi and without authentication
      // only the Residents service: the runtime's whole context also holds the first server
      const residentsService = await runtime.runPromise(Residents)
      // as `@commonweal/http` does: the encoding of an unchanged (same object) view is reused
      const encoded = new WeakMap<ResidentView, string>()
      const encodeOnce = (found: ResidentView) => {
        const known = encoded.get(found)
        return known !== undefined ? Effect.succeed(known) : Effect.tap(encode(found), (json) => Effect.sync(() => encoded.set(found, json)))
      }
      const router = HttpRouter.empty.pipe(
        HttpRouter.get("/static", HttpServerResponse.uint8Array(body, { contentType })),
        HttpRouter.get(
          "/residents/:id",
          Effect.gen(function* () {
            const { id } = yield* HttpRouter.params
            const residents = yield* Residents
            const found = yield* residents.get(id ?? "").pipe(Effect.provideService(CurrentActor, staff.actor))
            return yield* HttpServerResponse.text(yield* encodeOnce(found), { contentType: "application/json" })
          }).pipe(Effect.catchAll(() => HttpServerResponse.empty({ status: 404 })))
        )
      )
      const plain = ManagedRuntime.make(
        HttpServer.serve(router).pipe(
          Layer.provide(Layer.succeed(Residents, residentsService)),
          Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
          // as in the example server: no tracing span per request
          HttpMiddleware.withTracerDisabledWhen(() => true)
        )
      )
      try {
        const plainBase = serverUrl(await plain.runPromise(Effect.map(HttpServer.HttpServer, (s) => s.address)))
        const short = Math.max(3, Math.round(DURATION / 2))
        const staticResult = await load("Effect HttpServer, static bytes", `${plainBase}/static`, {}, short)
        const routeResult = await load("Effect HttpRouter + service, no HttpApi/auth", `${plainBase}${path}`, {}, short)
        console.log(row(staticResult, bareResult))
        console.log(row(routeResult, bareResult))
        console.log(row(commonweal, bareResult))
        const us = (m: Measured) => (CONNECTIONS / m.rps) * 1e6
        console.log(
          `\n  per request at ${CONNECTIONS} connections (µs, ≈ 1 / throughput): bare ${fmt(us(bareResult))}, ` +
            `+ Effect platform ${fmt(us(staticResult) - us(bareResult))}, ` +
            `+ service/SQLite/encode ${fmt(us(routeResult) - us(staticResult))}, ` +
            `+ HttpApi/auth/middleware ${fmt(us(commonweal) - us(routeResult))}`
        )
      } finally {
        await plain.dispose()
      }
    }
  } finally {
    await runtime.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("bench failed / 基准测试失败:", error)
    process.exit(1)
  }
)
