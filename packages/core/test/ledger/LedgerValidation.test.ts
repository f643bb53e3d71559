import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import fc from "fast-check"
import type { TransferBatch } from "../../src/index.js"
import { LedgerRules, TransferBatch as TransferBatchSchema } from "../../src/index.js"
import { toInvalidInput } from "../../src/kernel/Validation.js"
import { t0 } from "./fixtures.js"

// `applyBatch` checks a batch of plain `Posted` / `Pending` requests with a fast path before
// (instead of) the schema. These properties hold it to the schema: a batch the schema refuses is
// refused as `invalid_request` with the schema's message, and a batch it accepts is never.

const schemaCheck = Schema.decodeUnknownResult(Schema.toType(TransferBatchSchema))

/** Valid values and near misses of each field. */
const ids = [
  "0190f0a0-0000-7000-8000-000000000001",
  "0190f0a0-0000-4000-a000-000000000002",
  "0190F0A0-0000-7000-8000-000000000003",
  "0190f0a0-0000-9000-8000-000000000004",
  "0190f0a0-0000-7000-c000-000000000005",
  "0190f0a0-0000-7000-8000-00000000006",
  "",
  // not text at all: an untyped caller's mistakes, refused as invalid, never thrown
  7,
  null,
  { id: "0190f0a0-0000-7000-8000-000000000001" }
]
const communities = ["0190f0a0-0000-7000-8000-000000000001", "0190f0a0-0000-4000-8000-000000000001", "x"]
const amounts = [1, 50_000, Number.MAX_SAFE_INTEGER, 0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, "5"]
const units = ["CNY", "MIN", "PCS:FAN-01", "PCS:fan", "PCS:", "cny", "CNY ", 1]
const codes = [1, 8, 65_535, 0, 65_536, 2.5, "1"]
const reasons = [
  "时间银行：陪同就医 2 hours",
  "a",
  "x".repeat(140),
  "x".repeat(141),
  "😀".repeat(100),
  " padded",
  "padded ",
  "line\nbreak",
  "tab\there",
  "",
  "   ",
  "\u200b",
  "bidi \u202e text",
  "lone \ud800 surrogate",
  "del \u007f",
  "ls \u2028",
  null
]
const timeouts = [0, 60, 366 * 24 * 60 * 60, 366 * 24 * 60 * 60 + 1, -1, 1.5]

const mostlyValid = <A>(values: ReadonlyArray<A>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(values[0]!) }, { weight: 1, arbitrary: fc.constantFrom(...values) })

const request = fc.record(
  {
    _tag: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom("Posted", "Pending") },
      { weight: 1, arbitrary: fc.constantFrom("VoidPending", "Other") }
    ),
    id: mostlyValid(ids),
    debitAccountId: mostlyValid(ids),
    creditAccountId: mostlyValid(["0190f0a0-0000-7000-8000-000000000009", ...ids]),
    amount: mostlyValid(amounts),
    unit: mostlyValid(units),
    code: mostlyValid(codes),
    reason: mostlyValid(reasons),
    timeoutSeconds: mostlyValid(timeouts),
    extra: fc.constant("an excess property")
  },
  { requiredKeys: ["_tag", "id", "reason"] }
)

const batch = fc.record(
  {
    communityId: mostlyValid(communities),
    batchId: mostlyValid(["0190f0a0-0000-7000-8000-0000000000aa", undefined, "nope"]),
    requests: fc.array(request, { maxLength: 6 })
  },
  { requiredKeys: ["communityId", "requests"] }
)

describe("LedgerRules.applyBatch validation", () => {
  it("refuses exactly the batches the schema refuses, with the schema's message", () => {
    let refused = 0
    let accepted = 0
    fc.assert(
      fc.property(batch, (input) => {
        const expected = schemaCheck(input)
        const applied = LedgerRules.applyBatch(LedgerRules.empty, input as unknown as TransferBatch, t0)
        const invalid = Result.isFailure(applied) && applied.failure.reason === "invalid_request"
        // the refusal names the request's id when it is text, else none
        if (Result.isFailure(applied)) {
          const sent: unknown = input.requests[applied.failure.index]?.id
          expect(applied.failure.transferId).toBe(typeof sent === "string" ? sent : "")
        }
        if (Result.isFailure(expected)) {
          refused++
          expect(invalid).toBe(true)
          if (Result.isFailure(applied)) {
            // the schema's own message (the fast path never decides a refusal)
            expect(applied.failure.message).toContain(toInvalidInput(expected.failure).message)
          }
        } else {
          accepted++
          expect(invalid).toBe(false)
        }
      }),
      { numRuns: 3_000 }
    )
    // both sides were exercised
    expect(refused).toBeGreaterThan(100)
    expect(accepted).toBeGreaterThan(100)
  })
})

// `Ledger.transfer` takes `plainBatch`'s result instead of decoding its input with the schema when
// there is one: it must be exactly what the decode gives (excess properties dropped, nothing else
// changed), and only ever for an input the schema accepts.
const decodeBatch = Schema.decodeUnknownResult(TransferBatchSchema)

describe("LedgerRules.plainBatch", () => {
  it("gives exactly what decoding with the schema gives, and only for inputs the schema accepts", () => {
    let plain = 0
    let decoded = 0
    fc.assert(
      fc.property(batch, (input) => {
        const fast = LedgerRules.plainBatch(input)
        const expected = decodeBatch(input)
        if (fast === undefined) return
        plain++
        expect(Result.isSuccess(expected)).toBe(true)
        if (Result.isSuccess(expected)) {
          decoded++
          expect(fast).toStrictEqual(expected.success)
          // a fresh object: the caller's requests are not handed on
          if (input.requests.length > 0) expect(fast.requests[0]).not.toBe(input.requests[0])
        }
      }),
      { numRuns: 3_000 }
    )
    expect(plain).toBeGreaterThan(100)
    expect(decoded).toBe(plain)
  })

  it("leaves every other request kind, and anything doubtful, to the schema", () => {
    const valid = {
      _tag: "Posted",
      id: "0190f0a0-0000-7000-8000-000000000001",
      debitAccountId: "0190f0a0-0000-7000-8000-000000000002",
      creditAccountId: "0190f0a0-0000-7000-8000-000000000003",
      amount: 100,
      unit: "CNY",
      code: 1,
      reason: "时间银行：陪同就医"
    }
    const community = "0190f0a0-0000-7000-8000-0000000000cc"
    expect(LedgerRules.plainBatch({ communityId: community, requests: [valid] })).toStrictEqual({
      communityId: community,
      requests: [valid]
    })
    for (const requests of [
      [{ _tag: "VoidPending", id: valid.id, pendingId: valid.debitAccountId, reason: "void" }],
      [{ ...valid, reason: " padded" }],
      [{ ...valid, amount: 0 }],
      [{ ...valid, id: 7 }]
    ]) {
      expect(LedgerRules.plainBatch({ communityId: community, requests })).toBeUndefined()
    }
    expect(LedgerRules.plainBatch({ communityId: community, batchId: undefined, requests: [valid] })).toBeUndefined()
    expect(LedgerRules.plainBatch(null)).toBeUndefined()
  })
})
