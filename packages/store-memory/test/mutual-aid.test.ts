// @commonweal/testing is a Node test kit (it reads `process.env`); the adapter's own sources stay
// free of Node types, so the tests bring them in.
/// <reference types="node" />
// The in-memory mutual aid against mutual aid's contract suite, on a store of the kernel, the
// communities, the residents, the ledger (time credits are minutes in it) and mutual aid,
// composed per domain.
import { Layer } from "effect"
import { mutualAidContract } from "@commonweal/testing"
import { MemoryCommunities, MemoryKernel, MemoryLedger, MemoryMutualAid, MemoryResidents } from "../src/index.js"

mutualAidContract({
  name: "memory (kernel, communities, residents, ledger and mutual aid)",
  layer: Layer.provideMerge(
    Layer.mergeAll(MemoryCommunities.layer, MemoryResidents.layer, MemoryLedger.layer, MemoryMutualAid.layer),
    MemoryKernel.layer
  )
})
