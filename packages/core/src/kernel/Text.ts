/**
 * The one text rule every free-text field of every schema goes through.
 *
 * Text that people type (names, dialects, cities, building numbers, health notes, search terms)
 * is checked the same way everywhere, so that no field lets through what another refuses:
 *
 * - **No control characters.** NUL and the other C0 controls (U+0000–U+001F), DEL (U+007F), the
 *   C1 controls (U+0080–U+009F) and the line and paragraph separators (U+2028, U+2029) are
 *   refused. A {@link multiline} text (notes) may hold line feeds (`\n`) and tabs (`\t`), and
 *   nothing else of these; a carriage return is refused there too: send `\n` alone. A NUL byte
 *   is refused by PostgreSQL (a 500) and stored or matched as a wildcard by SQLite: it must never
 *   reach a store.
 * - **No bidirectional overrides, embeddings or isolates** (U+202A–U+202E, U+2066–U+2069): they
 *   make a text display differently from what it holds (a name that reads as another).
 * - **Not blank.** After removing white space and the invisible characters (zero-width space,
 *   joiners, word joiner, byte order mark, soft hyphen, Hangul fillers …, see {@link isBlank})
 *   something must remain: a name of two zero-width spaces is empty.
 * - **Well-formed Unicode**: no unpaired UTF-16 surrogate (it cannot be stored as UTF-8).
 * - **Lengths in code points**, as people and databases count them (`周` is one, `😀` is one),
 *   not UTF-16 units.
 *
 * Leading and trailing white space is trimmed when decoding ({@link line}, {@link multiline});
 * {@link trimmedLine} checks the rule on text that must already be trimmed (no transformation).
 * Every message is bilingual and never repeats the value.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Text } from "@commonweal/core"
 *
 * const Dialect = Text.line(40)
 * Schema.decodeUnknownSync(Dialect)(" 南昌话 ")   // "南昌话"
 * Schema.decodeUnknownSync(Dialect)("南昌\u0000") // throws: must not contain control characters
 * Schema.decodeUnknownSync(Dialect)("\u200b\u200b") // throws: must not be empty
 * ```
 *
 * @module
 */
import { Schema } from "effect"

/** Control characters a single line refuses: C0, DEL, C1, and the Unicode line/paragraph separators. */
const LINE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u
/** Control characters a multi-line text refuses: as a line, but `\t` (U+0009) and `\n` (U+000A) are allowed. */
const MULTILINE_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/u
/** Bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/u
/**
 * White space and characters that show nothing: zero-width space, non-joiner and joiner
 * (U+200B–U+200D), LRM/RLM (U+200E, U+200F), word joiner and invisible operators
 * (U+2060–U+2064), byte order mark (U+FEFF), soft hyphen (U+00AD), combining grapheme joiner
 * (U+034F), Mongolian vowel separator (U+180E), Hangul fillers (U+115F, U+1160, U+3164, U+FFA0)
 * and the blank Braille pattern (U+2800).
 */
const INVISIBLE = /[\s\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u2800\u3164\ufeff\uffa0]/gu
/** An unpaired UTF-16 surrogate (no `u` flag: it must see code units). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Whether the text holds a control character a single line may not hold. */
export const hasLineControl = (text: string): boolean => LINE_CONTROLS.test(text)

/** Whether the text holds a control character a multi-line text may not hold (all but `\t` and `\n`). */
export const hasMultilineControl = (text: string): boolean => MULTILINE_CONTROLS.test(text)

/** Whether the text holds a bidirectional override, embedding or isolate. */
export const hasBidiControl = (text: string): boolean => BIDI_CONTROLS.test(text)

/** Whether nothing remains of the text once white space and invisible characters are removed. */
export const isBlank = (text: string): boolean => text.replace(INVISIBLE, "") === ""

/** Whether the text is well-formed Unicode (no unpaired surrogate). */
export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text)

/** The length of the text in Unicode code points (`"😀周"` is 2). */
export const codePoints = (text: string): number => {
  let n = 0
  for (const _ of text) n++
  return n
}

/** The messages of the rule, in English and Chinese. */
export const messages = {
  control: "must not contain control characters / 不能包含控制字符",
  multilineControl:
    "must not contain control characters other than line feeds and tabs / 除换行和制表符外不能包含控制字符",
  bidi: "must not contain bidirectional control characters / 不能包含双向文本控制字符",
  blank: "must not be empty / 不能为空",
  malformed: "must be well-formed Unicode text / 须为有效的 Unicode 文本",
  tooLong: (max: number) => `must be at most ${max} characters / 最多 ${max} 个字符`
} as const

/** Options of the text checks. */
export interface TextOptions {
  /** Allows line feeds and tabs (notes). Default: a single line. */
  readonly multiline?: boolean
}

/**
 * The checks of the rule for a text of at most `max` code points, to pass to `.check(...)` of a
 * string schema: control characters, bidi controls, well-formedness, blankness, length. Use
 * {@link line}, {@link multiline} or {@link trimmedLine} unless you build your own schema.
 */
export const checks = (max: number, options: TextOptions = {}) => {
  const multiline = options.multiline === true
  return [
    Schema.makeFilter<string>(
      (s) =>
        !(multiline ? hasMultilineControl(s) : hasLineControl(s)) ||
        (multiline ? messages.multilineControl : messages.control),
      {
        expected: multiline
          ? "text without control characters other than \\n and \\t"
          : "text without control characters"
      }
    ),
    Schema.makeFilter<string>((s) => !hasBidiControl(s) || messages.bidi, {
      expected: "text without bidirectional controls"
    }),
    Schema.makeFilter<string>((s) => isWellFormed(s) || messages.malformed, { expected: "well-formed Unicode text" }),
    Schema.makeFilter<string>((s) => !isBlank(s) || messages.blank, {
      expected: "a text that is not blank",
      toJsonSchema: () => ({ minLength: 1 })
    }),
    Schema.isMaxCodePoints(max, { message: messages.tooLong(max) })
  ] as const
}

/**
 * A single line of text, at most `max` code points, trimmed when decoded: a name, a dialect, a
 * city, a building number, a search term.
 */
export const line = (max: number) => Schema.Trim.check(...checks(max))

/**
 * A text that may span lines (line feeds and tabs allowed), at most `max` code points, trimmed
 * when decoded: notes.
 */
export const multiline = (max: number) => Schema.Trim.check(...checks(max, { multiline: true }))

/**
 * A single line that must already be trimmed (checked, not transformed): for values that are
 * identifiers as much as text, such as an actor's subject.
 */
export const trimmedLine = (max: number) => Schema.Trimmed.check(...checks(max))

/** An optional single line (`Schema.optional(line(max))`), for optional fields of a struct. */
export const optionalLine = (max: number) => Schema.optional(line(max))

/** A single line or `null` (`Schema.NullOr(line(max))`), for fields that may be cleared. */
export const nullableLine = (max: number) => Schema.NullOr(line(max))
