import type { Actor } from "@commonweal/core"
import { CommunityId } from "@commonweal/core"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import { actorProblem, MAX_SUBJECT_LENGTH, TokenVerifier } from "../src/index.js"

const community = CommunityId.make("01936a1e-7c00-7000-8000-00000000a001")
const actor = (subject: string): Actor => ({ subject, communityId: community, roles: ["staff"] })

const verify = (layer: ReturnType<typeof TokenVerifier.make>, token: string) =>
  Effect.flatMap(TokenVerifier, (verifier) => verifier.verify(token)).pipe(Effect.provide(layer))

describe("TokenVerifier", () => {
  it("static accepts a subject of 200 characters", () => {
    expect(MAX_SUBJECT_LENGTH).toBe(200)
    expect(() => TokenVerifier.static({ t: actor("s".repeat(200)) })).not.toThrow()
  })

  it("static fails fast on an invalid actor, naming the entry by position, never the token", () => {
    expect(() =>
      TokenVerifier.static({ "secret-token-1": actor("ok"), "secret-token-2": actor("s".repeat(201)) })
    ).toThrow(/token #2 is invalid: subject: .*200 character/)
    expect(() => TokenVerifier.static({ "secret-token": actor("s".repeat(201)) })).not.toThrow(/secret-token/)
    expect(() => TokenVerifier.static({ t: { ...actor("ok"), communityId: "not-an-id" as CommunityId } })).toThrow(
      /communityId/
    )
    expect(() => TokenVerifier.static({ t: actor("  ") })).toThrow(/subject/)
  })

  it.effect("make passes valid actors and None through", () =>
    Effect.gen(function* () {
      const layer = TokenVerifier.make((token) =>
        Effect.succeed(token === "a" ? Option.some(actor("s".repeat(200))) : Option.none())
      )
      expect(Option.isSome(yield* verify(layer, "a"))).toBe(true)
      expect(Option.isNone(yield* verify(layer, "b"))).toBe(true)
    })
  )

  it.effect("make turns an invalid actor into a defect (a 500), not None (a 401)", () =>
    Effect.gen(function* () {
      const layer = TokenVerifier.make(() => Effect.succeed(Option.some(actor("s".repeat(201)))))
      const exit = yield* Effect.exit(verify(layer, "a"))
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
      if (Exit.isFailure(exit)) {
        const defect = Cause.squash(exit.cause)
        expect(defect).toBeInstanceOf(Error)
        expect((defect as Error).message).toMatch(/subject: .*200 character/)
        expect((defect as Error).message).not.toContain("s".repeat(201))
      }
    })
  )

  it("actorProblem names every failing field with a bilingual message, never a value", () => {
    const problem = actorProblem({ subject: " 周赛群", communityId: "周赛群", roles: ["周赛群"], residentId: 5 })
    expect(problem).toBe(
      [
        "subject: must not begin or end with white space / 首尾不能有空白字符",
        "communityId: must be a UUIDv7 string / 必须是 UUIDv7 格式的编号",
        "roles.0: must be a role name: lower-case letters, digits and '_' / 角色名须为小写字母、数字和下划线",
        "residentId: must be text / 须为文本"
      ].join("; ")
    )
    expect(actorProblem(actor("s".repeat(201)))).toBe("subject: must be at most 200 characters / 最多 200 个字符")
    expect(actorProblem("周赛群")).toBe("actor: must be an object / 须为对象")
    expect(actorProblem(actor("周赛群"))).toBeUndefined()
  })
})
