// @commonweal/testing is a Node test kit (it reads `process.env`); the adapter's own sources stay
// free of Node types (tsconfig `types: []`), vitest 5 no longer brings them in, so the tests do.
/// <reference types="node" />
import { storageContract } from "@commonweal/testing"
import { MemoryStore } from "../src/index.js"

storageContract({ name: "memory", layer: MemoryStore.layer })
