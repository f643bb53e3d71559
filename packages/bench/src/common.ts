/**
 * What every benchmark script of this package uses: reading a numeric setting, a seeded random
 * generator, UUIDv7-shaped ids, medians and number formatting. Scripts, not a library: nothing
 * here is published.
 *
 * @module
 */
import { loadavg } from "node:os"

/** The environment variable `name` as a positive whole number, or `fallback` when unset or not one. */
export const positive = (name: string, fallback: number): number => {
  const raw = process.env[name]
  const n = raw === undefined ? Number.NaN : Number(raw)
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback
}

/** mulberry32: a small seeded generator of numbers in [0, 1), so every run generates the same data. */
export const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}

/** `n` (its whole part) in lower-case hexadecimal, at least `width` digits. */
export const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, "0")

/**
 * UUIDv7 ids stamped with the clock, from a seeded generator (RFC 9562): 48 bits of Unix
 * milliseconds (`Date.now()`), the version, a 12-bit counter that keeps the ids of one millisecond
 * in order (borrowing the next millisecond when it runs out, so ids never go backwards), the
 * variant and 62 random bits. So ids come in time order, as a client generating them would send
 * them.
 */
export const uuid7Clock = (seed: number) => {
  const random = seeded(seed)
  let lastMillis = -1
  let counter = 0
  return (): string => {
    const millis = Date.now()
    if (millis > lastMillis) {
      lastMillis = millis
      counter = 0
    } else if (++counter > 0xfff) {
      lastMillis++
      counter = 0
    }
    const time = hex(lastMillis, 12)
    const r1 = Math.floor(random() * 0x4000) | 0x8000
    const r2 = Math.floor(random() * 2 ** 24)
    const r3 = Math.floor(random() * 2 ** 24)
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(counter, 3)}-${hex(r1, 4)}-${hex(r2, 6)}${hex(r3, 6)}`
  }
}

/** The median (`NaN` for none). */
export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** A whole number with thousands separators (`12,345`). */
export const fmt = (n: number) => Math.round(n).toLocaleString("en")

/** The machine's load averages over 1, 5 and 15 minutes, for the record. */
export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")
