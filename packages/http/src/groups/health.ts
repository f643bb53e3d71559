/**
 * The `health` group: `GET /health`, liveness and version, without authentication.
 *
 * @module
 */
import { Effect, Schema } from "effect"
import type { Layer } from "effect"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import type { ApiMiddleware } from "../kernel/Endpoints.js"
import { API_VERSION, describe, groupApi } from "../kernel/Endpoints.js"

/** The body of `GET /health`. */
export const Health = Schema.Struct({
  status: Schema.Literal("ok"),
  version: Schema.String
}).annotate({ identifier: "Health" })

/** `GET /health`: liveness, no authentication. */
export class HealthGroup extends HttpApiGroup.make("health")
  .add(
    HttpApiEndpoint.get("check", "/health", { success: Health })
      .annotate(OpenApi.Summary, "Health check")
      .annotate(OpenApi.Description, describe("Liveness and version; needs no token.", "健康检查，无需登录"))
  )
  .annotate(OpenApi.Description, "Service health / 服务状态") {}

/** Handlers of the `health` group. */
export const HealthLive: Layer.Layer<
  HttpApiGroup.Service<"commonweal", "health">,
  never,
  ApiMiddleware
> = HttpApiBuilder.group(groupApi(HealthGroup), "health", (handlers) =>
  handlers.handle("check", () => Effect.succeed({ status: "ok" as const, version: API_VERSION }))
)
