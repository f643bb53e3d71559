import { storageContract } from "@commonweal/testing"
import { MemoryStore } from "../src/index.js"

storageContract({ name: "memory", layer: MemoryStore.layer })
