/**
 * Cursor paging.
 *
 * Lists are ordered by a stable key (usually the UUIDv7 id, which is time-ordered) and paged
 * by an opaque cursor that encodes the last key returned. Unlike offsets, cursors do not skip
 * or repeat records when others are inserted between two page requests.
 *
 * @example
 * ```ts
 * import { Paging } from "@commonweal/core"
 *
 * const page = Paging.fromItems([a, b, c], 2, (r) => r.id)   // { items: [a, b], nextCursor: "…" }
 * ```
 *
 * @module
 */
import { Result, Schema } from "effect"
import { InvalidInput } from "./Errors.js"

/** Default page size. */
export const DEFAULT_LIMIT = 50
/** Largest page size a caller may ask for. */
export const MAX_LIMIT = 200

/** A page size: an integer from 1 to {@link MAX_LIMIT}. */
export const Limit = Schema.Int.check(
  Schema.isBetween(
    { minimum: 1, maximum: MAX_LIMIT },
    { message: `must be an integer from 1 to ${MAX_LIMIT} / 每页条数须在 1 到 ${MAX_LIMIT} 之间` }
  )
)

/** What a caller asks for: where to continue, and how many. */
export const PageRequest = Schema.Struct({
  cursor: Schema.optional(Schema.String),
  limit: Schema.optional(Limit)
})
/** What a caller asks for: where to continue, and how many. */
export type PageRequest = typeof PageRequest.Type

/** A page of items and the cursor for the next page (`null` on the last page). */
export const Page = <S extends Schema.Top>(item: S) =>
  Schema.Struct({
    items: Schema.Array(item),
    nextCursor: Schema.NullOr(Schema.String)
  })
/** A page of items and the cursor for the next page (`null` on the last page). */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly nextCursor: string | null
}

const toBase64Url = (text: string): string => {
  const bytes = new TextEncoder().encode(text)
  let binary = ""
  for (const b of bytes) binary += String.fromCharCode(b)
  return globalThis.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

const fromBase64Url = (text: string): string | undefined => {
  try {
    const binary = globalThis.atob(text.replace(/-/g, "+").replace(/_/g, "/"))
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
  } catch {
    return undefined
  }
}

/** Encodes the last key of a page as an opaque cursor. */
export const encodeCursor = (key: string): string => toBase64Url(JSON.stringify({ k: key }))

/** Decodes a cursor made by {@link encodeCursor}; a tampered or foreign cursor is `InvalidInput` on `cursor`. */
export const decodeCursor = (cursor: string): Result.Result<string, InvalidInput> => {
  const json = fromBase64Url(cursor)
  if (json !== undefined) {
    try {
      const parsed: unknown = JSON.parse(json)
      if (typeof parsed === "object" && parsed !== null && "k" in parsed && typeof parsed.k === "string") {
        return Result.succeed(parsed.k)
      }
    } catch {
      // fall through
    }
  }
  return Result.fail(InvalidInput.of("cursor", "is not a cursor from this list / 分页游标无效"))
}

/** The resolved request a repository sees: the key to continue after, and the page size. */
export interface Window {
  readonly after: string | undefined
  readonly limit: number
}

/** Resolves a request: decodes the cursor and applies the default limit. */
export const window = (request: PageRequest | undefined): Result.Result<Window, InvalidInput> => {
  const limit = request?.limit ?? DEFAULT_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return Result.fail(
      InvalidInput.of("limit", `must be an integer from 1 to ${MAX_LIMIT} / 每页条数须在 1 到 ${MAX_LIMIT} 之间`)
    )
  }
  if (request?.cursor === undefined || request.cursor === "") return Result.succeed({ after: undefined, limit })
  return Result.map(decodeCursor(request.cursor), (after) => ({ after, limit }))
}

/**
 * Builds a page from up to `limit + 1` items fetched after the cursor: the extra item only
 * tells that there is a next page.
 */
export const fromItems = <A>(fetched: ReadonlyArray<A>, limit: number, key: (a: A) => string): Page<A> => {
  const items = fetched.slice(0, limit)
  const last = items[items.length - 1]
  return {
    items,
    nextCursor: fetched.length > limit && last !== undefined ? encodeCursor(key(last)) : null
  }
}

/**
 * The paging key of a timed record (a fund entry, a workshop movement or pay line): its time
 * zero-padded to 15 digits, a colon and its id, so that keys sort as `(time, id)` and a list can
 * be continued after one. {@link parseTimedKey} reads it back.
 *
 * @example
 * ```ts
 * timedKey({ occurredAt: 1_700_000_000_000, id: "0190…" }) // "001700000000000:0190…"
 * ```
 */
export const timedKey = (record: { readonly occurredAt: number; readonly id: string }): string =>
  `${String(record.occurredAt).padStart(15, "0")}:${record.id}`

/**
 * The `(occurredAt, id)` a {@link timedKey} spells, or `undefined` when `key` is not such a key
 * (a store then lists nothing after it).
 */
export const parseTimedKey = (key: string): { readonly occurredAt: number; readonly id: string } | undefined => {
  const match = /^(\d{15,}):(.*)$/su.exec(key)
  if (match === null) return undefined
  const occurredAt = Number(match[1])
  return Number.isSafeInteger(occurredAt) ? { occurredAt, id: match[2] ?? "" } : undefined
}
