import { defineConfig } from "vitest/config"
import projects from "./vitest.workspace.js"

export default defineConfig({
  resolve: {
    // run the workspace packages from source: no build needed before testing
    conditions: ["@commonweal/source"]
  },
  ssr: { resolve: { conditions: ["@commonweal/source"] } },
  test: {
    projects,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    passWithNoTests: false
  }
})
