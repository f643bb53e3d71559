import { describe, expect, it } from "@effect/vitest"
import { Effect, Result, Schema, SchemaIssue } from "effect"
import type { SchemaAST } from "effect"
import { decodeInput, formatIssues, InvalidInput, toInvalidInput } from "../src/index.js"

/** The issue tree of a failed decoding, decoded as the HTTP layer does: every issue, no reported input. */
const failure = (schema: Schema.Top, input: unknown, options: { readonly reportInput?: boolean } = {}) => {
  const result = Schema.decodeUnknownResult(schema as Schema.Codec<unknown, unknown>)(input, {
    errors: "all",
    onExcessProperty: "error",
    ...options
  })
  if (Result.isSuccess(result)) throw new Error("expected the decoding to fail")
  return result.failure
}

const SECRET = "周赛群"

describe("formatIssues", () => {
  it("says items for a list and characters for a text, from the schema, without the input", () => {
    const schema = Schema.Struct({
      list: Schema.Array(Schema.String).check(Schema.isMaxLength(2)),
      text: Schema.String.check(Schema.isMaxLength(2)),
      few: Schema.Array(Schema.String).check(Schema.isMinLength(3)),
      short: Schema.String.check(Schema.isMinLength(5)),
      empty: Schema.Array(Schema.String).check(Schema.isMinLength(1)),
      blank: Schema.String.check(Schema.isMinLength(1)),
      pair: Schema.Array(Schema.String).check(Schema.isBetweenLength(2, 2)),
      code: Schema.String.check(Schema.isBetweenLength(4, 6)),
      nested: Schema.optional(Schema.NullOr(Schema.Array(Schema.Array(Schema.String).check(Schema.isMaxLength(1)))))
    })
    const input = {
      list: [SECRET, SECRET, SECRET],
      text: SECRET,
      few: [SECRET],
      short: SECRET,
      empty: [],
      blank: "",
      pair: [SECRET],
      code: SECRET,
      nested: [[SECRET, SECRET]]
    }
    expect(formatIssues(failure(schema, input))).toEqual([
      { field: "list", message: "must have at most 2 items / 最多 2 项" },
      { field: "text", message: "must be at most 2 characters / 最多 2 个字符" },
      { field: "few", message: "must have at least 3 items / 至少 3 项" },
      { field: "short", message: "must be at least 5 characters / 至少 5 个字符" },
      { field: "empty", message: "must not be an empty list / 列表不能为空" },
      { field: "blank", message: "must not be empty / 不能为空" },
      { field: "pair", message: "must have exactly 2 items / 须为 2 项" },
      { field: "code", message: "must be 4 to 6 characters / 须为 4 到 6 个字符" },
      { field: "nested.0", message: "must have at most 1 item / 最多 1 项" }
    ])
    // the same with the input reported: the words do not depend on it, and never show it
    const reported = formatIssues(failure(schema, input, { reportInput: true }))
    expect(reported).toEqual(formatIssues(failure(schema, input)))
    expect(JSON.stringify(reported)).not.toContain(SECRET)
  })

  it("collapses a failed choice among literals into one issue listing them", () => {
    const schema = Schema.Struct({
      tag: Schema.optional(Schema.Literals(["elderly", "disabled", "child"])),
      kind: Schema.Literal("resident"),
      level: Schema.NullOr(Schema.Literals([1, 2, 3])),
      giver: Schema.Union([Schema.TaggedStruct("Self", {}), Schema.TaggedStruct("Guardian", {})])
    })
    const issues = formatIssues(failure(schema, { tag: SECRET, kind: SECRET, level: SECRET, giver: { _tag: SECRET } }))
    expect(issues).toEqual([
      {
        field: "tag",
        message: "must be one of elderly, disabled, child / 须为以下之一：elderly、disabled、child"
      },
      { field: "kind", message: "must be resident / 须为 resident" },
      { field: "level", message: "must be one of 1, 2, 3 / 须为以下之一：1、2、3" },
      { field: "giver", message: "must have _tag Self or Guardian / _tag 须为 Self 或 Guardian" }
    ])
    expect(JSON.stringify(issues)).not.toContain(SECRET)
  })

  it("drops the 'expected null' of a nullable field when a real issue names the field or one inside it", () => {
    const union = Schema.NullOr(Schema.String).ast as SchemaAST.Union
    const nullType = new SchemaIssue.InvalidType(Schema.Null.ast)
    const tree = new SchemaIssue.Composite(Schema.Struct({}).ast, [
      new SchemaIssue.Pointer(
        ["phone"],
        new SchemaIssue.AnyOf(union, [nullType, new SchemaIssue.InvalidType(Schema.String.ast)])
      ),
      new SchemaIssue.Pointer(
        ["health"],
        new SchemaIssue.AnyOf(union, [
          nullType,
          new SchemaIssue.Pointer(["conditions"], new SchemaIssue.MissingKey(undefined))
        ])
      ),
      new SchemaIssue.Pointer(["nothing"], nullType)
    ])
    expect(formatIssues(tree)).toEqual([
      { field: "phone", message: "must be text / 须为文本" },
      { field: "health.conditions", message: "is required / 必填项" },
      // alone, it is the issue
      { field: "nothing", message: "must be null / 须为 null" }
    ])
  })

  it("describes the built-in checks from their metadata", () => {
    const schema = Schema.Struct({
      between: Schema.Number.check(Schema.isBetween({ minimum: 1, maximum: 7 })),
      open: Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 1, exclusiveMinimum: true })),
      min: Schema.Number.check(Schema.isGreaterThanOrEqualTo(1900)),
      above: Schema.Number.check(Schema.isGreaterThan(0)),
      max: Schema.Number.check(Schema.isLessThanOrEqualTo(2200)),
      below: Schema.Number.check(Schema.isLessThan(10)),
      int: Schema.Int,
      finite: Schema.Finite,
      multiple: Schema.Number.check(Schema.isMultipleOf(5)),
      pattern: Schema.String.check(Schema.isPattern(/^[a-z]+$/)),
      trimmed: Schema.Trimmed,
      unique: Schema.Array(Schema.String).check(Schema.isUnique())
    })
    const issues = formatIssues(
      failure(schema, {
        between: 8,
        open: 0,
        min: 1899,
        above: 0,
        max: 2201,
        below: 10,
        int: 1.5,
        finite: Number.POSITIVE_INFINITY,
        multiple: 7,
        pattern: SECRET,
        trimmed: ` ${SECRET} `,
        unique: [SECRET, SECRET]
      })
    )
    expect(issues).toEqual([
      { field: "between", message: "must be between 1 and 7 / 须在 1 到 7 之间" },
      { field: "open", message: "must be greater than 0 and at most 1 / 须大于 0且不大于 1" },
      { field: "min", message: "must be at least 1900 / 须不小于 1900" },
      { field: "above", message: "must be greater than 0 / 须大于 0" },
      { field: "max", message: "must be at most 2200 / 须不大于 2200" },
      { field: "below", message: "must be less than 10 / 须小于 10" },
      { field: "int", message: "must be an integer / 须为整数" },
      { field: "finite", message: "must be a finite number / 须为有限数值" },
      { field: "multiple", message: "must be a multiple of 5 / 须为 5 的倍数" },
      { field: "pattern", message: "must match the pattern ^[a-z]+$ / 须符合格式 ^[a-z]+$" },
      { field: "trimmed", message: "must not begin or end with white space / 首尾不能有空白字符" },
      { field: "unique", message: "must not contain duplicates / 不能包含重复项" }
    ])
  })

  it("says what a value of the wrong type should be, and names missing and unknown fields", () => {
    const schema = Schema.Struct({
      name: Schema.String,
      age: Schema.Number,
      active: Schema.Boolean,
      tags: Schema.Array(Schema.String),
      home: Schema.Struct({ city: Schema.String }),
      at: Schema.DateTimeUtcFromString,
      payload: Schema.fromJsonString(Schema.Struct({ a: Schema.Number }))
    })
    const issues = formatIssues(
      failure(schema, { name: 1, age: SECRET, active: SECRET, tags: SECRET, home: SECRET, at: SECRET, [SECRET]: 1 })
    )
    expect(issues).toEqual([
      { field: SECRET, message: "is not a known field / 不认识的字段" },
      { field: "name", message: "must be text / 须为文本" },
      { field: "age", message: "must be a number / 须为数字" },
      { field: "active", message: "must be true or false / 须为 true 或 false" },
      { field: "tags", message: "must be a list / 须为列表" },
      { field: "home", message: "must be an object / 须为对象" },
      { field: "at", message: "must be an ISO 8601 date-time / 须为 ISO 8601 日期时间" },
      { field: "payload", message: "is required / 必填项" }
    ])
    expect(formatIssues(failure(schema.fields.payload, `{${SECRET}`))).toEqual([
      { field: "input", message: "is not valid JSON / 不是有效的 JSON" }
    ])
  })

  it("uses a schema's own message, and gives an English-only one the generic Chinese", () => {
    const schema = Schema.Struct({
      phone: Schema.String.check(Schema.isPattern(/^1\d{10}$/, { message: "must be an 11-digit mobile number" })),
      grid: Schema.String.check(Schema.isPattern(/^[a-z]+$/, { message: "must be a grid code / 网格编号格式无效" })),
      slot: Schema.Struct({ start: Schema.String, end: Schema.String }).check(
        Schema.makeFilter((s: { readonly start: string; readonly end: string }) =>
          s.start < s.end ? undefined : { path: ["end"], issue: "must be after start / 结束时间须晚于开始时间" }
        )
      )
    })
    expect(formatIssues(failure(schema, { phone: "1", grid: "A", slot: { start: "b", end: "a" } }))).toEqual([
      { field: "phone", message: "must be an 11-digit mobile number / 输入无效" },
      { field: "grid", message: "must be a grid code / 网格编号格式无效" },
      { field: "slot.end", message: "must be after start / 结束时间须晚于开始时间" }
    ])
  })

  it("never shows the library's own value messages, which may quote the input", () => {
    const quoting = new SchemaIssue.InvalidValue({ message: `cannot parse "${SECRET}"` })
    const tree = new SchemaIssue.Composite(Schema.Struct({}).ast, [
      new SchemaIssue.Pointer(["count"], new SchemaIssue.Encoding(Schema.Number.ast, quoting)),
      new SchemaIssue.Pointer(["at"], new SchemaIssue.Encoding(Schema.DateTimeUtc.ast, quoting)),
      new SchemaIssue.Pointer(["other"], quoting),
      // outside a check, even a message with Chinese may be the library's quoting the input
      new SchemaIssue.Pointer(["bare"], new SchemaIssue.InvalidValue({ message: `无法解析 ${SECRET}` })),
      new SchemaIssue.Pointer(["forbidden"], new SchemaIssue.Forbidden({ message: `refused ${SECRET}` }))
    ])
    expect(formatIssues(tree)).toEqual([
      { field: "count", message: "must be a number / 须为数字" },
      { field: "at", message: "must be an ISO 8601 date-time / 须为 ISO 8601 日期时间" },
      { field: "other", message: "is invalid / 输入无效" },
      { field: "bare", message: "is invalid / 输入无效" },
      { field: "forbidden", message: "is invalid / 输入无效" }
    ])
  })

  it("names the value itself by the root given, and drops repeats", () => {
    expect(formatIssues(failure(Schema.Struct({ a: Schema.String }), SECRET), "actor")).toEqual([
      { field: "actor", message: "must be an object / 须为对象" }
    ])
    expect(formatIssues(failure(Schema.String, 1))).toEqual([{ field: "input", message: "must be text / 须为文本" }])
    const twice = new SchemaIssue.Composite(Schema.String.ast, [
      new SchemaIssue.InvalidType(Schema.String.ast),
      new SchemaIssue.InvalidType(Schema.String.ast)
    ])
    expect(formatIssues(twice)).toHaveLength(1)
  })

  it.effect("toInvalidInput and decodeInput use it, and cap what they list", () =>
    Effect.gen(function* () {
      const schema = Schema.Struct({ tags: Schema.Array(Schema.String).check(Schema.isMaxLength(1)) })
      const error = yield* Effect.flip(decodeInput(schema)({ tags: [SECRET, SECRET] }))
      expect(error).toBeInstanceOf(InvalidInput)
      expect(error.issues).toEqual([{ field: "tags", message: "must have at most 1 item / 最多 1 项" }])
      expect(error.message).toBe("tags: must have at most 1 item / 最多 1 项")
      expect(JSON.stringify(error)).not.toContain(SECRET)
      const many = toInvalidInput(
        failure(
          Schema.Array(Schema.Number),
          Array.from({ length: 30 }, () => SECRET)
        )
      )
      expect(many.issues).toHaveLength(21)
    })
  )
})
