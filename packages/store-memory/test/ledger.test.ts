// @commonweal/testing is a Node test kit (it reads `process.env`); the adapter's own sources stay
// free of Node types, so the tests bring them in.
/// <reference types="node" />
// The in-memory ledger against the ledger's contract suite (port and service), on a store of the
// kernel, the communities and the ledger. Once the coordinator registers the ledger in
// `domains.ts`, `storageContract` on `MemoryStore.layer` runs it too.
import { ledgerContract } from "@commonweal/testing"
import { Layer } from "effect"
import { MemoryCommunities, MemoryKernel, MemoryLedger } from "../src/index.js"

ledgerContract({
  name: "memory (kernel, communities and ledger)",
  layer: Layer.provideMerge(Layer.mergeAll(MemoryCommunities.layer, MemoryLedger.layer), MemoryKernel.layer)
})
