/**
 * Embedding `@commonweal/core` with the in-memory adapter: no server, no database. A social
 * worker of 君馨社区 registers 周赛群, who speaks only Nanchang dialect (南昌话), and 刘英, a
 * fellow-townsperson volunteer (老乡团) who speaks it too; finds who can translate for her; and
 * shows what 刘英, as a volunteer, may see of 周赛群.
 *
 * Run it with `pnpm --filter @commonweal/example-embedding start` (or `pnpm start` in this
 * folder). Swap `MemoryStore.layer` for `SqlStore.layerSqlite({ filename: "centre.sqlite" })`
 * from `@commonweal/store-kysely` and nothing else changes.
 *
 * @module
 */
import { Communities, CurrentActor, GridCode, IdGenerator, Residents } from "@commonweal/core"
import { MemoryStore } from "@commonweal/store-memory"
import { Effect, Layer } from "effect"

const program = Effect.gen(function* () {
  const junxin = yield* (yield* Communities).provision({
    name: "君馨社区",
    timeZone: "Asia/Shanghai",
    grids: [{ code: GridCode.make("JX-03"), name: "三网格" }]
  })
  const residents = yield* Residents

  // a social worker of the centre: staff see and register everything
  const asStaff = Effect.provideService(CurrentActor, {
    subject: "social-worker-wang",
    communityId: junxin.id,
    roles: ["staff"]
  })
  const zhou = yield* residents
    .register({
      displayName: "周赛群",
      grid: "JX-03",
      birthYear: 1936,
      tags: ["migrant_elderly"],
      homePlace: { province: "jiangxi", city: "南昌" },
      languages: [{ language: "gan", dialect: "南昌话", proficiency: "native" }],
      phone: "13857410023",
      consents: [
        { purpose: "registry", grantedBy: { _tag: "Self" } },
        { purpose: "health_data", grantedBy: { _tag: "Self" } }
      ],
      health: { conditions: ["高血压"], notes: "去医院体检要坐半个多小时公交车，需老乡陪同翻译" }
    })
    .pipe(asStaff)
  const liu = yield* residents
    .register({
      displayName: "刘英",
      grid: "JX-03",
      birthYear: 1968,
      tags: ["volunteer", "fellow_townsperson"],
      homePlace: { province: "jiangxi", city: "南昌" },
      languages: [
        { language: "gan", dialect: "南昌话", proficiency: "native" },
        { language: "cmn", proficiency: "fluent" }
      ],
      skills: ["translation", "home_visit"],
      consents: [{ purpose: "registry", grantedBy: { _tag: "Self" } }]
    })
    .pipe(asStaff)
  console.log(`registered ${zhou.displayName} and ${liu.displayName} in ${junxin.name}`)

  // who can translate Nanchang dialect on 周赛群's check-up?
  const translators = yield* residents.search({ tag: "volunteer", dialect: "南昌话" }).pipe(asStaff)
  const names = translators.items.map((resident) => resident.displayName)
  console.log(`volunteers who speak 南昌话: ${names.join(", ")}`)

  // 刘英 as a volunteer sees 周赛群 reduced: an age band, no phone, no health data
  const seen = yield* residents.get(zhou.id).pipe(
    Effect.provideService(CurrentActor, {
      subject: liu.id,
      communityId: junxin.id,
      roles: ["volunteer"],
      residentId: liu.id
    })
  )
  console.log(
    seen._tag === "Reduced"
      ? `${liu.displayName} sees ${seen.displayName} reduced: age ${seen.ageBand}, phone ${seen.maskedPhone ?? "hidden"}, no health data`
      : `${liu.displayName} sees ${seen.displayName} in full`
  )
})

// the services, on the in-memory storage ports and the live id generator
const Live = Layer.mergeAll(Residents.layer, Communities.layer).pipe(
  Layer.provideMerge(Layer.merge(MemoryStore.layer, IdGenerator.Live))
)

Effect.runPromise(program.pipe(Effect.provide(Live)))
