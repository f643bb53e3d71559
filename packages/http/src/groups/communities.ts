/**
 * The `communities` group: the actor's community (tenant), and a community by id (only the
 * actor's own; any other is 404).
 *
 * @module
 */
import { Communities, Community, CommunityId } from "@commonweal/core"
import { Effect } from "effect"
import type { Layer } from "effect"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { Authentication } from "../Auth.js"
import type { ApiMiddleware } from "../kernel/Endpoints.js"
import { describe, groupApi } from "../kernel/Endpoints.js"
import { ForbiddenProblem, NotFoundProblem } from "../Problem.js"

/** The errors of every `communities` endpoint. */
const communityErrors = [NotFoundProblem, ForbiddenProblem] as const

/** The actor's community (tenant). */
export class CommunitiesGroup extends HttpApiGroup.make("communities")
  .add(
    HttpApiEndpoint.get("current", "/communities/current", { success: Community, error: communityErrors })
      .annotate(OpenApi.Summary, "Current community")
      .annotate(OpenApi.Description, describe("The community the caller acts in.", "当前登录账号所属的社区"))
  )
  .add(
    HttpApiEndpoint.get("get", "/communities/:id", {
      params: { id: CommunityId },
      success: Community,
      error: communityErrors
    })
      .annotate(OpenApi.Summary, "Get a community")
      .annotate(
        OpenApi.Description,
        describe("A community by id: only the caller's own; any other id is 404.", "按编号查询社区（仅限本社区）")
      )
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Communities (tenants) / 社区") {}

/** Handlers of the `communities` group, over the core `Communities` service. */
export const CommunitiesLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "communities">,
  never,
  Communities | Authentication | ApiMiddleware
> = HttpApiBuilder.group(groupApi(CommunitiesGroup), "communities", (handlers) =>
  Effect.map(Communities, (communities) =>
    handlers.handle("current", () => communities.current).handle("get", ({ params }) => communities.get(params.id))
  )
)
