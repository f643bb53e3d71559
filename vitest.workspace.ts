/**
 * The test projects, one per package. vitest 3.2 deprecates workspace files as config, so the
 * root `vitest.config.ts` passes this list to `test.projects`.
 */
const project = (name: string, root: string) => ({
  extends: true as const,
  test: { name, root, include: ["test/**/*.test.ts"] }
})

export default [
  project("core", "packages/core"),
  project("store-memory", "packages/store-memory"),
  project("store-kysely", "packages/store-kysely"),
  project("http", "packages/http"),
  project("testing", "packages/testing"),
  project("community-server", "examples/community-server"),
  project("embedding", "examples/embedding")
]
