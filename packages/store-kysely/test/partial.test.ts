/**
 * Stores with some domains only, built from the kernel's layer and the domains' layers, through
 * the per-domain contract suites of `@commonweal/testing`: the kernel alone (its tables only),
 * the kernel with communities, and the kernel with communities and residents composed by hand
 * (the residents suite provisions communities, so it needs `CommunityRepo` too), with the
 * decoded-resident memory switched off.
 */
import { communitiesContract, kernelContract, residentsContract } from "@commonweal/testing"
import { Layer } from "effect"
import { SqlCommunities, SqlKernel, SqlResidents } from "../src/index.js"
import { tempFile } from "./fixtures/databases.js"

kernelContract({
  name: "sqlite, kernel only",
  layer: SqlKernel.layerSqlite({ filename: tempFile("kernel.sqlite"), domains: [] })
})

communitiesContract({
  name: "sqlite, kernel and communities",
  layer: Layer.provideMerge(
    SqlCommunities.layer,
    SqlKernel.layerSqlite({ filename: tempFile("communities.sqlite"), domains: [SqlCommunities] })
  )
})

residentsContract({
  name: "sqlite, kernel, communities and residents from their layers",
  layer: Layer.provideMerge(
    Layer.mergeAll(SqlCommunities.layer, SqlResidents.layerWith({ decodedResidentCache: 0 })),
    SqlKernel.layerSqlite({ filename: tempFile("residents.sqlite"), domains: [SqlCommunities, SqlResidents] })
  )
})
