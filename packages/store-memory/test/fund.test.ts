// @commonweal/testing is a Node test kit (it reads `process.env`); the adapter's own sources stay
// free of Node types, so the tests bring them in.
/// <reference types="node" />
// The in-memory fund against the fund's contract suite, on a store of the kernel, the
// communities, the residents (the fund's service looks up an applicant's household), the ledger
// and the fund, composed per domain (`storageContract` on `MemoryStore.layer` runs it too).
import { fundContract } from "@commonweal/testing"
import { Layer } from "effect"
import { MemoryCommunities, MemoryFund, MemoryKernel, MemoryLedger, MemoryResidents } from "../src/index.js"

fundContract({
  name: "memory (kernel, communities, residents, ledger and fund)",
  layer: Layer.provideMerge(
    Layer.mergeAll(MemoryCommunities.layer, MemoryResidents.layer, MemoryLedger.layer, MemoryFund.layer),
    MemoryKernel.layer
  )
})
