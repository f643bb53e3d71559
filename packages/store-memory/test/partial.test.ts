// @commonweal/testing is a Node test kit (it reads `process.env`); the adapter's own sources stay
// free of Node types (tsconfig `types: []`), vitest 5 no longer brings them in, so the tests do.
/// <reference types="node" />
// Partial stores: the kernel alone, and the kernel with one domain, each pass their domain's
// contract suite, so an adapter can support some domains and be checked for them alone.
import { communitiesContract, kernelContract } from "@commonweal/testing"
import { Layer } from "effect"
import { MemoryCommunities, MemoryKernel } from "../src/index.js"

kernelContract({ name: "memory (kernel only)", layer: MemoryKernel.layer })

communitiesContract({
  name: "memory (kernel and communities)",
  layer: Layer.provideMerge(MemoryCommunities.layer, MemoryKernel.layer)
})
