import { describe, expect, it } from "@effect/vitest"
import { createHash } from "node:crypto"
import fc from "fast-check"
import * as Sha256 from "../../src/kernel/Sha256.js"

/** The reference digest from Web Crypto (Node's own crypto implementation behind `crypto.subtle`). */
const reference = async (data: string | Uint8Array): Promise<string> => {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data
  const digest = await globalThis.crypto.subtle.digest("SHA-256", Uint8Array.from(bytes))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")
}

describe("Sha256", () => {
  it("matches the FIPS 180-4 test vectors", () => {
    expect(Sha256.hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(Sha256.hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    expect(Sha256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    )
    expect(
      Sha256.hex(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
      )
    ).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    expect(Sha256.hex("a".repeat(1_000_000))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  })

  it("hashes text as UTF-8, as Web Crypto does, including CJK and long inputs", async () => {
    const cjk = "糖果公社把幸运君周边的收入投入社区公益基金。馨工坊 😀"
    expect(Sha256.hex(cjk)).toBe(await reference(cjk))
    const long = "君馨社区".repeat(25_000)
    expect(Sha256.hex(long)).toBe(await reference(long))
    expect(Sha256.digest(cjk)).toHaveLength(32)
  })

  it("agrees with Web Crypto at every padding boundary and on random bytes", async () => {
    for (let n = 50; n <= 130; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff)
      expect(Sha256.hex(bytes)).toBe(await reference(bytes))
    }
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expect(Sha256.hex(bytes)).toBe(await reference(bytes))
      }),
      { numRuns: 200 }
    )
  })

  it("gives node:crypto's digest for any text (lone surrogates included) and any bytes, call after call", () => {
    const node = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex")
    // strings from every UTF-16 unit, so lone surrogates occur; node:crypto encodes them as
    // TextEncoder does (U+FFFD); lengths cross the 64-byte blocks and the reused buffer's growth
    const text = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 700
    })
    fc.assert(
      fc.property(
        fc.array(fc.oneof(text, fc.string({ unit: "grapheme", maxLength: 200 }), fc.uint8Array({ maxLength: 2_000 })), {
          minLength: 1,
          maxLength: 4
        }),
        (inputs) => {
          for (const input of inputs) {
            expect(Sha256.hex(input)).toBe(node(input))
            expect(Buffer.from(Sha256.digest(input)).toString("hex")).toBe(node(input))
          }
        }
      ),
      { numRuns: 500 }
    )
    // a long input grows the buffer; a short one after it must not see its leftovers
    expect(Sha256.hex("x".repeat(100_000))).toBe(node("x".repeat(100_000)))
    expect(Sha256.hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  })
})
