/**
 * Tamper evidence: each community's transfers form a hash chain.
 *
 * **Canonical encoding** (version 1). A transfer is encoded as the JSON text of one array, in this
 * order, with no white space: `["cw-transfer/1", communityId, sequence, id, kind, debitAccountId,
 * creditAccountId, amount, unit, code, reason, pendingId, expiresAt, reverses, batchId, timestamp,
 * fingerprint, previousHash]` (absent values are `null`; numbers are integers; strings are
 * escaped as `JSON.stringify` does). Its `hash` is the SHA-256 of the UTF-8 bytes of that text, in
 * lower-case hex. The first transfer of a community has `sequence` 1 and `previousHash`
 * {@link GENESIS_HASH}; each next one has the next sequence and the previous one's `hash`. Changing,
 * removing or reordering any recorded field of any transfer breaks the chain from there on.
 *
 * **Request fingerprint.** A request's fingerprint is the SHA-256 of the JSON text of
 * `["cw-request/1", communityId, tag, …the request's fields in schema order, an omitted amount as
 * null]`; two requests with the same id replay each other exactly when their fingerprints match.
 *
 * @module
 */
import { Result, Schema } from "effect"
import type { CommunityId } from "../kernel/Ids.js"
import * as Sha256 from "../kernel/Sha256.js"
import type { ChainHead, Transfer, TransferId, TransferRequest } from "./Ledger.js"
import { GENESIS_HASH } from "./Ledger.js"

/** The canonical encoding of a transfer (everything but its own `hash`); see the module notes. */
export const encodeTransfer = (t: Omit<Transfer, "hash">): string =>
  JSON.stringify([
    "cw-transfer/1",
    t.communityId,
    t.sequence,
    t.id,
    t.kind,
    t.debitAccountId,
    t.creditAccountId,
    t.amount,
    t.unit,
    t.code,
    t.reason,
    t.pendingId,
    t.expiresAt,
    t.reverses,
    t.batchId,
    t.timestamp,
    t.fingerprint,
    t.previousHash
  ])

/** The hash of a transfer: SHA-256 (hex) of its canonical encoding. */
export const hashTransfer = (t: Omit<Transfer, "hash">): string => Sha256.hex(encodeTransfer(t))

/** The canonical encoding of a request of a community (what its fingerprint hashes). */
export const encodeRequest = (communityId: CommunityId, r: TransferRequest): string => {
  switch (r._tag) {
    case "Posted":
      return JSON.stringify([
        "cw-request/1",
        communityId,
        r._tag,
        r.id,
        r.debitAccountId,
        r.creditAccountId,
        r.amount,
        r.unit,
        r.code,
        r.reason
      ])
    case "Pending":
      return JSON.stringify([
        "cw-request/1",
        communityId,
        r._tag,
        r.id,
        r.debitAccountId,
        r.creditAccountId,
        r.amount,
        r.unit,
        r.code,
        r.reason,
        r.timeoutSeconds
      ])
    case "PostPending":
      return JSON.stringify(["cw-request/1", communityId, r._tag, r.id, r.pendingId, r.amount ?? null, r.reason])
    case "VoidPending":
      return JSON.stringify(["cw-request/1", communityId, r._tag, r.id, r.pendingId, r.reason])
    case "Reverse":
      return JSON.stringify(["cw-request/1", communityId, r._tag, r.id, r.reverses, r.reason])
  }
}

/** The fingerprint of a request: SHA-256 (hex) of {@link encodeRequest}. */
export const fingerprint = (communityId: CommunityId, r: TransferRequest): string =>
  Sha256.hex(encodeRequest(communityId, r))

/** Why a chain is broken at a transfer. */
export const ChainBreakReason = Schema.Literals(["sequence_gap", "previous_hash_mismatch", "hash_mismatch"])
/** Why a chain is broken at a transfer. */
export type ChainBreakReason = typeof ChainBreakReason.Type

const breakMessages: Readonly<Record<ChainBreakReason, string>> = {
  sequence_gap: "a transfer is missing or out of order before this one / 此前有转账缺失或顺序错乱",
  previous_hash_mismatch: "does not point at the hash of the transfer before it / 与前一笔转账的哈希不衔接",
  hash_mismatch: "its content does not match its hash (changed after it was recorded) / 内容与哈希不符（记录后被改动）"
}

/** The first place a community's hash chain is broken: which transfer, at which sequence, and why. */
export class ChainBroken extends Schema.TaggedError<ChainBroken>()("ChainBroken", {
  communityId: Schema.String,
  /** The sequence the walk expected here. */
  sequence: Schema.Int,
  transferId: Schema.String,
  reason: ChainBreakReason,
  message: Schema.String
}) {}

/** What a verified chain ends at, per community. */
export interface VerifiedChain {
  readonly heads: ReadonlyMap<CommunityId, ChainHead & { readonly transferId: TransferId }>
}

/**
 * Walks each community's chain in sequence order and names the first break: a sequence that is
 * not the next one (a transfer removed, added or duplicated), a `previousHash` that is not the hash
 * before it, or a `hash` that does not match the transfer's content. Communities are checked in
 * the order their first transfer appears; the first broken one is reported.
 */
export const verifyChain = (transfers: Iterable<Transfer>): Result.Result<VerifiedChain, ChainBroken> => {
  const byCommunity = new Map<CommunityId, Array<Transfer>>()
  for (const t of transfers) {
    const list = byCommunity.get(t.communityId)
    if (list === undefined) byCommunity.set(t.communityId, [t])
    else list.push(t)
  }
  const heads = new Map<CommunityId, ChainHead & { readonly transferId: TransferId }>()
  for (const [communityId, list] of byCommunity) {
    const sorted = [...list].sort((a, b) => a.sequence - b.sequence)
    let previous = GENESIS_HASH
    for (let i = 0; i < sorted.length; i++) {
      const t = sorted[i]!
      const fail = (reason: ChainBreakReason) =>
        Result.fail(
          new ChainBroken({
            communityId,
            sequence: i + 1,
            transferId: t.id,
            reason,
            message: `Transfer ${t.id} (#${i + 1}): ${breakMessages[reason]}`
          })
        )
      if (t.sequence !== i + 1) return fail("sequence_gap")
      if (t.previousHash !== previous) return fail("previous_hash_mismatch")
      if (hashTransfer(t) !== t.hash) return fail("hash_mismatch")
      previous = t.hash
      heads.set(communityId, { sequence: t.sequence, hash: t.hash, transferId: t.id })
    }
  }
  return Result.succeed({ heads })
}
