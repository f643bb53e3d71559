/**
 * SHA-256 (FIPS 180-4), pure and synchronous.
 *
 * Core may not use Node APIs, and Web Crypto's `subtle.digest` is asynchronous; the ledger's hash
 * chain needs a digest inside pure rules. This is the plain algorithm over bytes: text is encoded
 * as UTF-8 first (`TextEncoder`, a web standard), so `"馨"` hashes as its three UTF-8 bytes. It is
 * verified against the FIPS test vectors and against `crypto.subtle` in the tests.
 *
 * @example
 * ```ts
 * import { Sha256 } from "@commonweal/core"
 *
 * Sha256.hex("abc") // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 *
 * @module
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
])

const encoder = new TextEncoder()

/** The message schedule, reused by every call (the function is synchronous, so never shared). */
const W = new Int32Array(64)

/** `00` … `ff`, for the hex form. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

/** The bytes of a text (UTF-8) or the bytes themselves. */
const bytesOf = (data: string | Uint8Array): Uint8Array => (typeof data === "string" ? encoder.encode(data) : data)

/** The eight 32-bit words of the digest of the bytes. */
const words = (input: Uint8Array): Int32Array => {
  const length = input.length
  // message + 0x80 + zero padding + 64-bit big-endian bit length, to a multiple of 64 bytes
  const padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64)
  padded.set(input)
  padded[length] = 0x80
  const end = padded.length
  const bits = length * 8
  const high = Math.floor(bits / 0x1_0000_0000)
  const low = bits >>> 0
  padded[end - 8] = high >>> 24
  padded[end - 7] = high >>> 16
  padded[end - 6] = high >>> 8
  padded[end - 5] = high
  padded[end - 4] = low >>> 24
  padded[end - 3] = low >>> 16
  padded[end - 2] = low >>> 8
  padded[end - 1] = low
  let h0 = 0x6a09e667
  let h1 = 0xbb67ae85 | 0
  let h2 = 0x3c6ef372
  let h3 = 0xa54ff53a | 0
  let h4 = 0x510e527f
  let h5 = 0x9b05688c | 0
  let h6 = 0x1f83d9ab
  let h7 = 0x5be0cd19
  const w = W
  for (let block = 0; block < end; block += 64) {
    for (let t = 0; t < 16; t++) {
      const i = block + t * 4
      w[t] = (padded[i]! << 24) | (padded[i + 1]! << 16) | (padded[i + 2]! << 8) | padded[i + 3]!
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!
      const y = w[t - 2]!
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0
    }
    let a = h0
    let b = h1
    let c = h2
    let d = h3
    let e = h4
    let f = h5
    let g = h6
    let k = h7
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const ch = (e & f) ^ (~e & g)
      const t1 = (k + S1 + ch + K[t]! + w[t]!) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (S0 + maj) | 0
      k = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    h0 = (h0 + a) | 0
    h1 = (h1 + b) | 0
    h2 = (h2 + c) | 0
    h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0
    h5 = (h5 + f) | 0
    h6 = (h6 + g) | 0
    h7 = (h7 + k) | 0
  }
  return Int32Array.of(h0, h1, h2, h3, h4, h5, h6, h7)
}

/** The 32-byte SHA-256 digest of the bytes, or of the UTF-8 encoding of the text. */
export const digest = (data: string | Uint8Array): Uint8Array => {
  const h = words(bytesOf(data))
  const out = new Uint8Array(32)
  for (let i = 0; i < 8; i++) {
    const v = h[i]!
    out[i * 4] = v >>> 24
    out[i * 4 + 1] = v >>> 16
    out[i * 4 + 2] = v >>> 8
    out[i * 4 + 3] = v
  }
  return out
}

/** The SHA-256 digest as 64 lower-case hexadecimal characters. */
export const hex = (data: string | Uint8Array): string => {
  const h = words(bytesOf(data))
  let out = ""
  for (let i = 0; i < 8; i++) {
    const v = h[i]!
    out += HEX[v >>> 24]! + HEX[(v >>> 16) & 0xff]! + HEX[(v >>> 8) & 0xff]! + HEX[v & 0xff]!
  }
  return out
}
