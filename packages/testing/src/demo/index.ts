/**
 * `@commonweal/testing/demo`: the demo data of the two neighbourhoods in DOMAIN.md, and
 * `seedDemo`, which puts it into any storage: each community whole, in one transaction, and
 * only when it does not exist yet (so later runs never touch what users changed).
 *
 * - 君馨社区 (Junxin, Gaoqiao, Haishu, Ningbo): migrant elderly and the fellow-townsperson
 *   volunteers who translate for them, Xin Workshop members, children and guardians, the
 *   "shared children" medical team, grid workers and social workers.
 * - 顾里小站 (Gu Li Station, Gucun, Baoshan, Shanghai): community talents, student volunteers
 *   teaching smartphones, elders and staff.
 *
 * Every id is a fixed UUIDv7, so the same seed always gives the same records. This entry point
 * does not import vitest: servers and scripts may use it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { seedDemo, demoActors } from "@commonweal/testing/demo"
 *
 * const program = Effect.flatMap(seedDemo, (report) => Effect.log(report))
 * ```
 *
 * @packageDocumentation
 */
export * from "./communities.js"
export * from "./residents.js"
export * from "./links.js"
export * from "./actors.js"
export * from "./seed.js"
export * from "./fund.js"
export * from "./mutual-aid.js"
export * from "./workshop.js"
