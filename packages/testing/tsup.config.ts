import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts", "src/demo/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  // the contract suites run inside the adapter's own vitest: never bundle a second copy
  external: ["vitest", "@effect/vitest", "effect", "@commonweal/core"]
})
