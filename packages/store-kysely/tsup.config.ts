import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  external: ["kysely", "better-sqlite3", "pg", "mysql2", "effect", "@commonweal/core"]
})
