/**
 * Problem details (RFC 9457) for every error that crosses the wire.
 *
 * Each tagged error of `@commonweal/core` (and the few of this package) gets a *problem schema*:
 * a transformation (`Schema.decodeTo`) whose type side is the very same error class and whose
 * encoded side is an RFC 9457 document:
 *
 * ```json
 * { "type": "urn:commonweal:problem:not-found", "title": "Not Found", "status": 404,
 *   "detail": "Resident 0193… not found / 未找到该记录", "code": "NotFound",
 *   "instance": "/residents/0193…", "entity": "Resident", "id": "0193…" }
 * ```
 *
 * `type`, `title`, `status` and `detail` are the standard members (`detail` carries the error's
 * bilingual `message`); `code` is the error's stable `_tag`; the error's own fields (`field`,
 * `issues`, `reason`, `entity`, …) are extension members. The schemas carry the HTTP status
 * (`httpApiStatus`) and the `application/problem+json` content type (`HttpApiSchema.asJson`) as
 * annotations, so the same schema drives the server's encoding, the OpenAPI document and the
 * typed client's decoding: the client decodes a problem document back into the tagged class
 * (`_tag === "NotFound"`).
 *
 * Effect 4 has a problem-details helper of its own (`HttpApiSchema.asProblem`), but it only
 * writes `type`, `title` and `status` and decodes by constructing the class without arguments;
 * these schemas also carry `detail`, `code`, `instance` and the error's fields both ways.
 *
 * @module
 */
import {
  CapacityExceeded,
  Conflict,
  Forbidden,
  InsufficientFunds,
  InvalidInput,
  InvalidTransition,
  NotFound
} from "@commonweal/core"
import { Schema, SchemaAST, SchemaTransformation } from "effect"
import { HttpApiSchema } from "effect/http-api"

/** The media type of problem details documents (RFC 9457 §6.1). */
export const PROBLEM_CONTENT_TYPE = "application/problem+json"

/**
 * The prefix of every problem `type` URI. The URIs are identifiers, not links: nothing is
 * served there (RFC 9457 §3.1.1 allows non-resolvable type URIs).
 */
export const PROBLEM_TYPE_BASE = "urn:commonweal:problem:"

/** The RFC 9457 members every commonweal problem document has, plus `code` (the error's `_tag`). */
export interface ProblemDocument {
  /** A URI identifying the problem type: {@link PROBLEM_TYPE_BASE} + a kebab-case slug. */
  readonly type: string
  /** A short, fixed, English summary of the problem type. */
  readonly title: string
  /** The HTTP status code. */
  readonly status: number
  /** The human explanation of this occurrence (English / Chinese). */
  readonly detail: string
  /** The stable error tag, e.g. `NotFound`. */
  readonly code: string
  /** The request path this occurrence concerns, when the server knows it. */
  readonly instance?: string | undefined
}

/** How an error class is presented as a problem. */
export interface ProblemOptions {
  /** The HTTP status code. */
  readonly status: number
  /** The RFC 9457 `title`. */
  readonly title: string
  /** The kebab-case slug of the `type` URI. */
  readonly slug: string
  /** OpenAPI description of the response. */
  readonly description: string
}

/** A `Schema.TaggedError` class whose fields include a `message` string. */
type TaggedErrorWithMessage<Self, Fields extends Schema.Struct.Fields> = Schema.Codec<
  Self,
  Schema.Struct.Encoded<Fields>,
  never,
  never
> & { readonly fields: Fields }

/** The `_tag` literal of a tagged error class, read from its `_tag` field. */
const tagOf = (fields: Schema.Struct.Fields): string => {
  const ast = fields._tag?.ast
  if (ast === undefined || !SchemaAST.isLiteral(ast) || typeof ast.literal !== "string") {
    throw new Error("problem: the error class has no string _tag field")
  }
  return ast.literal
}

/**
 * Builds the problem schema of a tagged error class: type side the class, encoded side the
 * RFC 9457 document. `message` travels as `detail`; the other fields as extension members.
 */
export const problem = <
  Self extends { readonly _tag: string; readonly message: string },
  Fields extends { readonly _tag: Schema.Top; readonly message: typeof Schema.String }
>(
  error: TaggedErrorWithMessage<Self, Fields>,
  options: ProblemOptions
) => {
  const { _tag: _, message: __, ...extensions } = error.fields as Schema.Struct.Fields
  const code = tagOf(error.fields)
  const type = `${PROBLEM_TYPE_BASE}${options.slug}`
  const document = Schema.Struct({
    type: Schema.Literal(type),
    title: Schema.String,
    status: Schema.Literal(options.status),
    detail: Schema.String,
    code: Schema.Literal(code),
    instance: Schema.optionalKey(Schema.String),
    ...extensions
  }).annotate({ identifier: `${code}Problem`, title: options.title })
  return document
    .pipe(
      Schema.decodeTo(
        error,
        SchemaTransformation.transform<Schema.Struct.Encoded<Fields>, typeof document.Type>({
          decode: (doc) => {
            const { type: _type, title: _title, status: _status, detail, code, instance: _instance, ...rest } = doc
            return { ...rest, _tag: code, message: detail } as unknown as Schema.Struct.Encoded<Fields>
          },
          encode: (encoded) => {
            const { _tag, message, ...rest } = encoded as unknown as Readonly<Record<string, unknown>>
            return {
              type,
              title: options.title,
              status: options.status,
              detail: message,
              code: _tag,
              ...rest
            } as typeof document.Type
          }
        })
      ),
      HttpApiSchema.asJson({ contentType: PROBLEM_CONTENT_TYPE })
    )
    .annotate({ httpApiStatus: options.status, description: options.description })
}

/** The request carries no bearer token, or one the server does not accept. Answered with 401 and `WWW-Authenticate: Bearer`. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {
  /** `missing_token` when there was no bearer token, `invalid_token` when it was not accepted. */
  reason: Schema.Literals(["missing_token", "invalid_token"]),
  message: Schema.String
}) {
  /** No `Authorization: Bearer …` header. */
  static missing(): Unauthorized {
    return new Unauthorized({
      reason: "missing_token",
      message: "A bearer token is required / 请先登录（缺少访问令牌）"
    })
  }
  /** A token the verifier does not accept. */
  static invalid(): Unauthorized {
    return new Unauthorized({
      reason: "invalid_token",
      message: "The bearer token is not valid / 访问令牌无效或已过期"
    })
  }
}

/**
 * An `Idempotency-Key` was reused with a different request (another route or another body).
 * Nothing was executed. Answered with 422, as the IETF idempotency-key draft suggests.
 */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  key: Schema.String,
  message: Schema.String
}) {
  /** Builds the error with a bilingual message. */
  static of(key: string): IdempotencyKeyReused {
    return new IdempotencyKeyReused({
      key,
      message: `Idempotency-Key ${key} was already used for a different request / 该幂等键已用于另一个请求`
    })
  }
}

/**
 * An unexpected server failure. The detail never carries internals: the server logs the
 * error's name and message under a correlation id, and the problem's `instance` is that id
 * (`urn:uuid:…`), so an operator can find the log line a client reports.
 * Not part of any endpoint's contract; the server answers with it instead of an empty 500.
 */
export class InternalError extends Schema.TaggedError<InternalError>()("InternalError", {
  message: Schema.String
}) {}

/** No route matches the request's method and path. */
export class RouteNotFound extends Schema.TaggedError<RouteNotFound>()("RouteNotFound", {
  method: Schema.String,
  path: Schema.String,
  message: Schema.String
}) {}

/**
 * The path exists but does not support the request's method. Answered with 405 and an `Allow`
 * header listing the methods the path supports (RFC 9110 §15.5.6).
 */
export class MethodNotAllowed extends Schema.TaggedError<MethodNotAllowed>()("MethodNotAllowed", {
  method: Schema.String,
  path: Schema.String,
  /** The methods the path supports, as in the `Allow` header. */
  allow: Schema.Array(Schema.String),
  message: Schema.String
}) {
  /** Builds the error with a bilingual message. */
  static of(method: string, path: string, allow: ReadonlyArray<string>): MethodNotAllowed {
    return new MethodNotAllowed({
      method,
      path,
      allow: [...allow],
      message: `${method} is not supported on ${path}; use ${allow.join(", ")} / 该接口不支持此请求方法`
    })
  }
}

/**
 * The request body is larger than the server accepts (`makeHttpLayer`'s `maxBodySize`, 1 MB by
 * default). Nothing was executed. Answered with 413.
 */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", {
  /** The largest body the server accepts, in bytes. */
  limit: Schema.Finite,
  message: Schema.String
}) {
  /** Builds the error with a bilingual message. */
  static of(limit: number): PayloadTooLarge {
    return new PayloadTooLarge({
      limit,
      message: `The request body is larger than ${limit} bytes / 请求体过大（上限 ${limit} 字节）`
    })
  }
}

/**
 * The request has a body that is not JSON (`application/json`, `application/json; charset=utf-8`
 * or an `application/*+json` type), e.g. a form. Nothing was executed. Answered with 415.
 */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", {
  message: Schema.String
}) {
  /** Builds the error with a bilingual message. */
  static of(): UnsupportedMediaType {
    return new UnsupportedMediaType({
      message:
        "The request body must be JSON (Content-Type: application/json) / 请求体须为 JSON（Content-Type: application/json）"
    })
  }
}

/** `InvalidInput` as 400 problem details, with `field` and `issues`. Request decoding failures are answered with it too. */
export const InvalidInputProblem = problem(InvalidInput, {
  status: 400,
  title: "Invalid Input",
  slug: "invalid-input",
  description: "The input was malformed or broke a rule; `field` names the first offending field / 输入无效"
})

/** `Unauthorized` as 401 problem details. */
export const UnauthorizedProblem = problem(Unauthorized, {
  status: 401,
  title: "Unauthorized",
  slug: "unauthorized",
  description: "Missing or invalid bearer token / 未登录或令牌无效"
})

/** `Forbidden` as 403 problem details. */
export const ForbiddenProblem = problem(Forbidden, {
  status: 403,
  title: "Forbidden",
  slug: "forbidden",
  description: "The actor lacks the authority for this action / 无权执行此操作"
})

/** `NotFound` as 404 problem details (also for records of another community). */
export const NotFoundProblem = problem(NotFound, {
  status: 404,
  title: "Not Found",
  slug: "not-found",
  description: "No such record in the actor's community / 未找到该记录"
})

/** `Conflict` (stale version or duplicate) as 409 problem details, with `reason`. */
export const ConflictProblem = problem(Conflict, {
  status: 409,
  title: "Conflict",
  slug: "conflict",
  description:
    "A concurrent write won (reason stale_version: reload and retry) or the record exists (duplicate) / 数据冲突"
})

/**
 * `InvalidTransition` as 409 problem details: the request conflicts with the current state of
 * the resource (RFC 9110 §15.5.10), e.g. updating an erased resident.
 */
export const InvalidTransitionProblem = problem(InvalidTransition, {
  status: 409,
  title: "Invalid Transition",
  slug: "invalid-transition",
  description: "The command is not allowed in the record's current state / 当前状态不允许此操作"
})

/** `InsufficientFunds` as 409 problem details (a state conflict, like `InvalidTransition`). */
export const InsufficientFundsProblem = problem(InsufficientFunds, {
  status: 409,
  title: "Insufficient Funds",
  slug: "insufficient-funds",
  description: "A debit would take an account below its limit / 余额不足"
})

/** `CapacityExceeded` as 409 problem details (a state conflict, like `InvalidTransition`). */
export const CapacityExceededProblem = problem(CapacityExceeded, {
  status: 409,
  title: "Capacity Exceeded",
  slug: "capacity-exceeded",
  description: "A capacity would be exceeded / 名额或数量不足"
})

/** `IdempotencyKeyReused` as 422 problem details. */
export const IdempotencyKeyReusedProblem = problem(IdempotencyKeyReused, {
  status: 422,
  title: "Idempotency Key Reused",
  slug: "idempotency-key-reused",
  description: "The Idempotency-Key was already used for a different request / 幂等键已用于另一个请求"
})

/** `PayloadTooLarge` as 413 problem details, with `limit`. */
export const PayloadTooLargeProblem = problem(PayloadTooLarge, {
  status: 413,
  title: "Payload Too Large",
  slug: "payload-too-large",
  description: "The request body exceeds the server's limit; `limit` is the limit in bytes / 请求体过大"
})

/** `UnsupportedMediaType` as 415 problem details. */
export const UnsupportedMediaTypeProblem = problem(UnsupportedMediaType, {
  status: 415,
  title: "Unsupported Media Type",
  slug: "unsupported-media-type",
  description: "The request body is not JSON (application/json) / 请求体须为 JSON"
})

/** `RouteNotFound` as 404 problem details. */
export const RouteNotFoundProblem = problem(RouteNotFound, {
  status: 404,
  title: "Not Found",
  slug: "route-not-found",
  description: "No such route / 接口不存在"
})

/** `MethodNotAllowed` as 405 problem details (the server also sets `Allow`). */
export const MethodNotAllowedProblem = problem(MethodNotAllowed, {
  status: 405,
  title: "Method Not Allowed",
  slug: "method-not-allowed",
  description:
    "The path does not support this method; `allow` (and the Allow header) lists those it does / 该接口不支持此请求方法"
})

/** `InternalError` as 500 problem details. */
export const InternalErrorProblem = problem(InternalError, {
  status: 500,
  title: "Internal Server Error",
  slug: "internal-error",
  description: "An unexpected failure / 服务器内部错误"
})

/** Every problem schema, by the `_tag` of its error. */
export const problemSchemas = {
  InvalidInput: InvalidInputProblem,
  Unauthorized: UnauthorizedProblem,
  Forbidden: ForbiddenProblem,
  NotFound: NotFoundProblem,
  Conflict: ConflictProblem,
  InvalidTransition: InvalidTransitionProblem,
  InsufficientFunds: InsufficientFundsProblem,
  CapacityExceeded: CapacityExceededProblem,
  IdempotencyKeyReused: IdempotencyKeyReusedProblem,
  PayloadTooLarge: PayloadTooLargeProblem,
  UnsupportedMediaType: UnsupportedMediaTypeProblem,
  RouteNotFound: RouteNotFoundProblem,
  MethodNotAllowed: MethodNotAllowedProblem,
  InternalError: InternalErrorProblem
} as const

/** An error that has a problem schema. */
export type ProblemError = (typeof problemSchemas)[keyof typeof problemSchemas]["Type"]
