import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import fc from "fast-check"
import * as FundAccounts from "../../src/fund/FundAccounts.js"
import * as FundRules from "../../src/fund/FundRules.js"
import * as Report from "../../src/fund/Report.js"
import type { FundStatement, PublicReport, PublicRound } from "../../src/fund/Statement.js"
import { publicReport } from "../../src/fund/Statement.js"
import type { AllocationRound, RoundCandidate, SubFund } from "../../src/index.js"
import { HouseholdId, ObjectionId, ResidentId, RoundId } from "../../src/index.js"
import { junxin } from "../ledger/fixtures.js"

const shanghai = (iso: string) => DateTime.toEpochMillis(DateTime.makeUnsafe(`${iso}+08:00`))

/** August 2026 in Junxin community, as the public report shows it. Amounts in fen. */
const august: PublicReport = {
  communityName: "君馨社区",
  from: shanghai("2026-08-01T00:00:00"),
  to: shanghai("2026-09-01T00:00:00"),
  generatedAt: shanghai("2026-09-01T09:30:00"),
  opening: 50_000,
  income: { proceeds: 16_000, donations: 125_000, other: 800 },
  costs: 1_200,
  allocations: 20_000,
  other: -1,
  closing: 170_599,
  committed: 11_000,
  subFunds: [{ name: "长者助餐专项基金", purpose: "随迁老人的助餐与上门体检", closing: 30_001 }],
  enterprise: { sales: 41_000, costs: 25_000, proceedsToFund: 16_000 },
  rounds: [
    {
      title: "2026年中秋困难家庭慰问",
      status: "paid",
      noticeEndsAt: shanghai("2026-08-15T00:00:00"),
      allocated: 95_000,
      projects: [
        { label: "老乡团方言翻译补贴", amount: 30_000 },
        { label: "共享子女上门体检", amount: 20_000 }
      ],
      families: { count: 3, amount: 45_000 },
      objections: { filed: 2, answered: 2 }
    },
    {
      title: "馨工坊工具更新",
      status: "notice",
      noticeEndsAt: shanghai("2026-09-07T18:00:00"),
      allocated: 8_000,
      projects: [{ label: "组装台灯与工具箱", amount: 8_000 }],
      families: { count: 0, amount: 0 },
      objections: { filed: 1, answered: 0 }
    }
  ],
  reconciled: true
}

// ---------------------------------------------------------------------------------------------
// helpers: what a reader sees, and a strict RFC 4180 parser

const entities: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" }
/** The text of a page as a reader sees it: tags dropped, entities decoded, white space collapsed. */
const textOf = (html: string): string =>
  html
    .replace(/<style>[\s\S]*?<\/style>/gu, " ")
    .replace(/<[^>]*>/gu, " ")
    .replace(/&(lt|gt|quot|#39|amp);/gu, (e) => entities[e]!)
    .replace(/\s+/gu, " ")
    .trim()
/** The text of the table row holding `label`. */
const rowText = (html: string, label: string): string => {
  const row = html.split("<tr").find((r) => r.includes(label))
  if (row === undefined) throw new Error(`no row with ${label}`)
  return textOf(`<tr${row.split("</tr>")[0]!}`)
}
/** The tags of a page, in order (what user text must never add to). */
const tagsOf = (html: string): Array<string> => html.match(/<[!/a-zA-Z][^>]*>/gu) ?? []

/**
 * A strict RFC 4180 parser: records end with CRLF (the last one too); a field is either
 * unquoted (no `"`, CR or LF in it) or quoted (`""` for a quote, anything else as it is). Anything
 * else throws.
 */
const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let i = 0
  const fail = (why: string): never => {
    throw new Error(`CSV: ${why} at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))}`)
  }
  while (i < text.length) {
    let field = ""
    if (text[i] === '"') {
      i += 1
      for (;;) {
        if (i >= text.length) fail("unterminated quoted field")
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i += 2
          } else {
            i += 1
            break
          }
        } else {
          field += text[i]
          i += 1
        }
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') fail("quote in an unquoted field")
        field += text[i]
        i += 1
      }
    }
    row.push(field)
    if (text[i] === ",") {
      i += 1
    } else if (text.startsWith("\r\n", i)) {
      rows.push(row)
      row = []
      i += 2
    } else fail(i >= text.length ? "missing CRLF at the end" : "bare CR or LF, or text after a closing quote")
  }
  if (row.length > 0) fail("unterminated record")
  return rows
}

const HEADER = ["section", "item", "amount_fen", "amount_yuan"]

/**
 * Text of any kind: the characters HTML and CSV treat specially, Chinese, invisible and separator
 * characters, any grapheme, and any code point (lone surrogates included).
 */
const char = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "<",
      ">",
      "&",
      '"',
      "'",
      ",",
      "\r",
      "\n",
      "\t",
      "=",
      "+",
      "-",
      "@",
      " ",
      "幸",
      "运",
      "君",
      "；",
      "\u2028",
      "\ufeff"
    )
  },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme-composite", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) }
)
const anyText = (maxLength: number) => fc.string({ unit: char, maxLength })

// ---------------------------------------------------------------------------------------------

describe("yuan", () => {
  it("writes fen as yuan with two decimals and thousands separators", () => {
    expect(Report.yuan(1)).toBe("¥0.01")
    expect(Report.yuan(0)).toBe("¥0.00")
    expect(Report.yuan(-0)).toBe("¥0.00")
    expect(Report.yuan(99)).toBe("¥0.99")
    expect(Report.yuan(100)).toBe("¥1.00")
    expect(Report.yuan(123_456)).toBe("¥1,234.56")
    expect(Report.yuan(100_000_000)).toBe("¥1,000,000.00")
    expect(Report.yuan(-1)).toBe("-¥0.01")
    expect(Report.yuan(-5_000)).toBe("-¥50.00")
    expect(Report.yuan(-123_456_789)).toBe("-¥1,234,567.89")
  })

  it("is exact up to the largest safe amount, where dividing by 100 in floating point is not", () => {
    expect(Report.yuan(Number.MAX_SAFE_INTEGER)).toBe("¥90,071,992,547,409.91")
    expect(Report.yuan(-Number.MAX_SAFE_INTEGER)).toBe("-¥90,071,992,547,409.91")
    expect(Report.yuan(9_007_199_254_740_899)).toBe("¥90,071,992,547,408.99")
    expect(Report.yuan(1_000_000_000_000_07)).toBe("¥1,000,000,000,000.07")
  })

  it("marks an amount that is not a whole number of fen instead of rounding it", () => {
    expect(Report.yuan(1.5)).toBe("? 1.5 分 / fen")
    expect(Report.yuan(Number.NaN)).toBe("? NaN 分 / fen")
  })

  it("reads back as the same number of fen, for any safe integer", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.maxSafeInteger(), fc.maxSafeNat()),
        (fen) => {
          const shown = Report.yuan(fen)
          expect(shown).toMatch(/^-?¥\d{1,3}(,\d{3})*\.\d{2}$/u)
          const digits = shown.replace(/[¥,.-]/gu, "")
          expect(BigInt(shown.startsWith("-") ? `-${digits}` : digits)).toBe(BigInt(fen))
        }
      )
    )
  })
})

describe("toHtml", () => {
  const html = Report.toHtml(august)
  const text = textOf(html)

  it("is one self-contained page: no scripts, nothing to load, a policy that forbids both", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(html).toContain('<meta charset="utf-8">')
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|src=|href=|url\(|@import|https?:/iu)
    expect(html).not.toMatch(/\son[a-z]+=/iu)
  })

  it("prints on A4", () => {
    expect(html).toContain("@page { size: A4;")
    expect(html).toContain("@media print")
  })

  it("heads every section in Chinese, with English", () => {
    expect(text).toContain("君馨社区 公益基金收支公示 君馨社区: community public-welfare fund, income and expenditure")
    for (const [zh, en] of [
      ["收支概况", "Summary"],
      ["专项基金", "Earmarked sub-funds"],
      ["糖果公社义卖", "Candy Commune mascot-goods sales"],
      ["分配公示", "Allocation rounds"]
    ]) {
      expect(html).toContain(`<h2>${zh}<span class="en">${en}</span></h2>`)
    }
  })

  it("shows the period as Shanghai days, the last day inclusive", () => {
    expect(text).toContain("公示期间 Period : 2026-08-01 至 2026-08-31 (2026-08-01 to 2026-08-31, Asia/Shanghai)")
  })

  it("shows the balances, income by source, spending and what is committed, in yuan", () => {
    expect(rowText(html, "期初余额")).toBe("期初余额 Opening balance ¥500.00")
    expect(rowText(html, "糖果公社义卖净收益")).toBe("糖果公社义卖净收益 Net proceeds from Candy Commune ¥160.00")
    expect(rowText(html, "社会捐赠")).toBe("社会捐赠 Donations ¥1,250.00")
    expect(rowText(html, "其他收入")).toBe("其他收入 Other income ¥8.00")
    expect(rowText(html, "收入合计")).toBe("收入合计 Total income ¥1,418.00")
    expect(rowText(html, "基金费用")).toBe("基金费用 Fund costs ¥12.00")
    expect(rowText(html, "拨付（已支付的分配）")).toBe("拨付（已支付的分配） Allocations paid ¥200.00")
    expect(rowText(html, "支出合计")).toBe("支出合计 Total spending ¥212.00")
    expect(rowText(html, "其他变动")).toBe("其他变动 Other movements -¥0.01")
    expect(rowText(html, "期末余额 <")).toBe("期末余额 Closing balance ¥1,705.99")
    expect(rowText(html, "已批准待拨付")).toBe("已批准待拨付 Committed to approved rounds ¥110.00")
    expect(rowText(html, "可用于新分配")).toBe("可用于新分配 Available for new rounds ¥1,595.99")
  })

  it("shows the sub-funds and Candy Commune's figures", () => {
    expect(rowText(html, "长者助餐专项基金")).toBe("长者助餐专项基金 随迁老人的助餐与上门体检 ¥300.01")
    expect(rowText(html, "销售收入")).toBe("销售收入 Sales ¥410.00")
    expect(rowText(html, "设计费与生产成本")).toBe("设计费与生产成本 Design fees and production costs ¥250.00")
    expect(rowText(html, "转入公益基金的净收益")).toBe("转入公益基金的净收益 Net proceeds passed to the fund ¥160.00")
  })

  it("shows each round: status in Chinese and English, projects with amounts, families only counted, objections", () => {
    expect(text).toContain(
      "2026年中秋困难家庭慰问 状态 Status : 已拨付 Paid · 公示截止 Public notice ends : 2026-08-15 00:00"
    )
    expect(rowText(html, "老乡团方言翻译补贴")).toBe("老乡团方言翻译补贴 项目 Project ¥300.00")
    expect(rowText(html, "共享子女上门体检")).toBe("共享子女上门体检 项目 Project ¥200.00")
    expect(rowText(html, "3 户")).toBe(
      "3 户 3 families 困难家庭（不公示姓名） Families in difficulty (not named) ¥450.00"
    )
    expect(text).toContain("本轮分配合计 Allocated in this round ¥950.00")
    expect(text).toContain("异议 Objections : 收到 2 件，已答复 2 件 (2 filed, 2 answered)")
    expect(text).toContain(
      "馨工坊工具更新 状态 Status : 公示中 In public notice · 公示截止 Public notice ends : 2026-09-07 18:00"
    )
    expect(rowText(html, "0 户")).toBe(
      "0 户 0 families 困难家庭（不公示姓名） Families in difficulty (not named) ¥0.00"
    )
    expect(text).toContain("收到 1 件，已答复 0 件 (1 filed, 0 answered)")
  })

  it("names every status in both languages", () => {
    for (const [status, [zh, en]] of Object.entries(Report.statusLabels)) {
      const page = textOf(
        Report.toHtml({ ...august, rounds: [{ ...august.rounds[0]!, status: status as PublicRound["status"] }] })
      )
      expect(page).toContain(`状态 Status : ${zh} ${en}`)
    }
    expect(new Set(Object.values(Report.statusLabels).map(([zh]) => zh)).size).toBe(9)
  })

  it("says whether the books reconcile with the ledger", () => {
    expect(text).toContain(
      "✓ 本期账目已与账本逐笔核对，一致。 The books reconcile with the ledger, transfer by transfer."
    )
    expect(text).not.toContain("NOT reconcile")
    const bad = textOf(Report.toHtml({ ...august, reconciled: false }))
    expect(bad).toContain(
      "✗ 本期账目与账本核对不一致，请向基金管理人员查询。 The books do NOT reconcile with the ledger"
    )
    expect(bad).not.toContain("✓")
  })

  it("says when it was made, in the community's time", () => {
    expect(text).toContain("生成时间 Generated : 2026-09-01 09:30 (Asia/Shanghai)")
  })

  it("says so when there are no sub-funds and no rounds", () => {
    const quiet = textOf(Report.toHtml({ ...august, subFunds: [], rounds: [] }))
    expect(quiet).toContain("暂无专项基金。 No earmarked sub-funds.")
    expect(quiet).toContain("本期没有公示或拨付的分配。 No allocation rounds in public notice or later in this period.")
  })

  it("writes dates in another zone when asked, and in Shanghai for a zone it does not know", () => {
    expect(textOf(Report.toHtml(august, { timeZone: "UTC" }))).toContain(
      "2026-07-31 至 2026-08-31 (2026-07-31 to 2026-08-31, UTC)"
    )
    expect(textOf(Report.toHtml(august, { timeZone: "Mars/Olympus" }))).toContain(
      "2026-08-01 至 2026-08-31 (2026-08-01 to 2026-08-31, Asia/Shanghai)"
    )
  })

  const evil = `<script>alert("幸运君")</script>&"'`
  const escaped = "&lt;script&gt;alert(&quot;幸运君&quot;)&lt;/script&gt;&amp;&quot;&#39;"
  const hostile: PublicReport = {
    ...august,
    communityName: evil,
    subFunds: [{ name: evil, purpose: evil, closing: 1 }],
    rounds: [{ ...august.rounds[0]!, title: evil, projects: [{ label: evil, amount: 1 }] }]
  }

  it("escapes every text from the report", () => {
    const page = Report.toHtml(hostile)
    expect(page).not.toMatch(/<script/iu)
    expect(page).not.toContain(evil)
    // the title, the heading (twice), the sub-fund's name and purpose, the round's title and the project
    expect(page.split(escaped).length - 1).toBe(7)
    expect(textOf(page)).toContain(`${evil} 公益基金收支公示`)
  })

  it("lets no text from the report add or change a tag, whatever it holds", () => {
    const plain = tagsOf(
      Report.toHtml({ ...august, rounds: [{ ...august.rounds[0]!, projects: [{ label: "x", amount: 1 }] }] })
    )
    fc.assert(
      fc.property(fc.array(anyText(30), { minLength: 5, maxLength: 5 }), (texts) => {
        const [community, name, purpose, title, label] = texts as [string, string, string, string, string]
        const page = Report.toHtml({
          ...august,
          communityName: community,
          subFunds: [{ name, purpose, closing: 30_001 }],
          rounds: [{ ...august.rounds[0]!, title, projects: [{ label, amount: 1 }] }],
          reconciled: true
        })
        expect(tagsOf(page)).toEqual(plain)
        expect(textOf(page)).toContain(`公示期间`)
        for (const t of texts) expect(textOf(page)).toContain(t.replace(/\s+/gu, " ").trim())
      })
    )
  })

  it("keeps Chinese text as it is", () => {
    const page = Report.toHtml({ ...august, communityName: "顾里小站（顾村）" })
    expect(page).toContain("顾里小站（顾村） 公益基金收支公示")
    expect(page).toContain("老乡团方言翻译补贴")
    // no character references but the apostrophe's: Chinese is written as UTF-8 text
    expect(page.replace(/&#39;/gu, "")).not.toMatch(/&#x?[0-9a-f]+;/iu)
  })
})

describe("toCsv", () => {
  const csv = Report.toCsv(august)
  const rows = parseCsv(csv)
  const find = (section: string, item: string) => rows.find((r) => r[0] === section && r[1] === item)

  it("is RFC 4180: a header row, CRLF line ends, four fields a row", () => {
    expect(csv.startsWith("section,item,amount_fen,amount_yuan\r\n")).toBe(true)
    expect(csv.endsWith("\r\n")).toBe(true)
    expect(csv.replace(/\r\n/gu, "")).not.toMatch(/[\r\n]/u)
    expect(rows[0]).toEqual(HEADER)
    for (const r of rows) expect(r).toHaveLength(4)
  })

  it("writes one row per figure, amounts in fen and yuan as plain numbers", () => {
    expect(csv).toContain("\r\nincome,donations,125000,1250.00\r\n")
    expect(rows.slice(1)).toEqual([
      ["report", "community:君馨社区", "", ""],
      ["report", "from:2026-08-01", "", ""],
      ["report", "to:2026-08-31", "", ""],
      ["report", "time_zone:Asia/Shanghai", "", ""],
      ["report", "generated:2026-09-01T09:30:00.000+08:00", "", ""],
      ["report", "reconciled:true", "", ""],
      ["balance", "opening", "50000", "500.00"],
      ["income", "proceeds", "16000", "160.00"],
      ["income", "donations", "125000", "1250.00"],
      ["income", "other", "800", "8.00"],
      ["spending", "costs", "1200", "12.00"],
      ["spending", "allocations", "20000", "200.00"],
      ["other", "movements", "-1", "-0.01"],
      ["balance", "closing", "170599", "1705.99"],
      ["balance", "committed", "11000", "110.00"],
      ["balance", "available", "159599", "1595.99"],
      ["subfund:长者助餐专项基金", "closing", "30001", "300.01"],
      ["enterprise", "sales", "41000", "410.00"],
      ["enterprise", "costs", "25000", "250.00"],
      ["enterprise", "proceeds_to_fund", "16000", "160.00"],
      ["round:2026年中秋困难家庭慰问", "status:paid", "", ""],
      ["round:2026年中秋困难家庭慰问", "notice_ends:2026-08-15T00:00:00.000+08:00", "", ""],
      ["round:2026年中秋困难家庭慰问", "allocated", "95000", "950.00"],
      ["round:2026年中秋困难家庭慰问", "project:老乡团方言翻译补贴", "30000", "300.00"],
      ["round:2026年中秋困难家庭慰问", "project:共享子女上门体检", "20000", "200.00"],
      ["round:2026年中秋困难家庭慰问", "families:3", "45000", "450.00"],
      ["round:2026年中秋困难家庭慰问", "objections_filed:2", "", ""],
      ["round:2026年中秋困难家庭慰问", "objections_answered:2", "", ""],
      ["round:馨工坊工具更新", "status:notice", "", ""],
      ["round:馨工坊工具更新", "notice_ends:2026-09-07T18:00:00.000+08:00", "", ""],
      ["round:馨工坊工具更新", "allocated", "8000", "80.00"],
      ["round:馨工坊工具更新", "project:组装台灯与工具箱", "8000", "80.00"],
      ["round:馨工坊工具更新", "families:0", "0", "0.00"],
      ["round:馨工坊工具更新", "objections_filed:1", "", ""],
      ["round:馨工坊工具更新", "objections_answered:0", "", ""]
    ])
  })

  it("writes 1 fen, zero, negative and the largest amounts exactly", () => {
    const big = parseCsv(
      Report.toCsv({
        ...august,
        opening: 1,
        costs: 0,
        other: -Number.MAX_SAFE_INTEGER,
        closing: Number.MAX_SAFE_INTEGER
      })
    )
    const at = (section: string, item: string) => big.find((r) => r[0] === section && r[1] === item)!.slice(2)
    expect(at("balance", "opening")).toEqual(["1", "0.01"])
    expect(at("spending", "costs")).toEqual(["0", "0.00"])
    expect(at("other", "movements")).toEqual(["-9007199254740991", "-90071992547409.91"])
    expect(at("balance", "closing")).toEqual(["9007199254740991", "90071992547409.91"])
  })

  it("quotes fields with commas, quotes and line breaks, and reads back the same text", () => {
    const title = '幸运君, "小汤圆"\r\n第二行'
    const label = "line\nfeed, and \r carriage"
    const out = Report.toCsv({ ...august, rounds: [{ ...august.rounds[0]!, title, projects: [{ label, amount: 1 }] }] })
    expect(out).toContain('"round:幸运君, ""小汤圆""\r\n第二行","project:line\nfeed, and \r carriage",1,0.01\r\n')
    const back = parseCsv(out)
    expect(back.find((r) => r[1] === `project:${label}`)).toEqual([`round:${title}`, `project:${label}`, "1", "0.01"])
  })

  it("keeps Chinese text intact", () => {
    expect(find("subfund:长者助餐专项基金", "closing")).toBeDefined()
    expect(csv).toContain("round:2026年中秋困难家庭慰问,project:老乡团方言翻译补贴,30000,300.00")
  })

  it("starts with a byte order mark only when asked", () => {
    expect(csv.charCodeAt(0)).toBe("s".charCodeAt(0))
    const bom = Report.toCsv(august, { bom: true })
    expect(bom.charCodeAt(0)).toBe(0xfeff)
    expect(bom.slice(1)).toBe(csv)
  })

  it("lets no text from the report start a cell a spreadsheet would run, and keeps amounts plain numbers", () => {
    const starters = fc.constantFrom("=", "+", "-", "@", "\t", "\r", "")
    const text = fc.tuple(starters, anyText(20)).map(([a, b]) => a + b)
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 5, maxLength: 5 }),
        fc.array(fc.maxSafeInteger(), { minLength: 4, maxLength: 4 }),
        (texts, amounts) => {
          const [community, name, purpose, title, label] = texts as [string, string, string, string, string]
          const out = Report.toCsv({
            ...august,
            communityName: community,
            other: amounts[0]!,
            subFunds: [{ name, purpose, closing: amounts[1]! }],
            rounds: [{ ...august.rounds[0]!, title, projects: [{ label, amount: amounts[2]! }] }]
          })
          const back = parseCsv(out)
          // the second round (7 rows) and the first round's second project are gone
          expect(back).toHaveLength(rows.length - 8)
          for (const r of back.slice(1)) {
            expect(r).toHaveLength(4)
            expect(r[0]).not.toMatch(/^[=+\-@\t\r]/u)
            expect(r[1]).not.toMatch(/^[=+\-@\t\r]/u)
            if (r[2] !== "") {
              expect(r[2]).toMatch(/^-?\d+$/u)
              expect(r[3]).toMatch(/^-?\d+\.\d\d$/u)
            }
          }
          expect(back).toContainEqual(["report", `community:${community}`, "", ""])
          expect(back).toContainEqual([`subfund:${name}`, "closing", String(amounts[1]), expect.any(String)])
          expect(back).toContainEqual([`round:${title}`, `project:${label}`, String(amounts[2]), expect.any(String)])
          expect(back).toContainEqual(["other", "movements", String(amounts[0]), expect.any(String)])
        }
      )
    )
  })
})

describe("csvField", () => {
  it("defends against formula injection with a leading apostrophe", () => {
    expect(Report.csvField('=HYPERLINK("http://x","点我")')).toBe(`"'=HYPERLINK(""http://x"",""点我"")"`)
    expect(Report.csvField("+86 574")).toBe("'+86 574")
    expect(Report.csvField("-2+3")).toBe("'-2+3")
    expect(Report.csvField("@SUM(A1:A9)")).toBe("'@SUM(A1:A9)")
    expect(Report.csvField("\t=1")).toBe("'\t=1")
    expect(Report.csvField("\r=1")).toBe(`"'\r=1"`)
    expect(Report.csvField("a=1")).toBe("a=1")
    expect(Report.csvField("幸运君")).toBe("幸运君")
    expect(Report.csvField("")).toBe("")
  })

  it("reads back, through an RFC 4180 parser, as the same text (with the apostrophe where one was due)", () => {
    fc.assert(
      fc.property(fc.array(anyText(40), { minLength: 1, maxLength: 6 }), (cells) => {
        const line = `${cells.map(Report.csvField).join(",")}\r\n`
        const [back, ...rest] = parseCsv(line)
        expect(rest).toEqual([])
        expect(back).toEqual(cells.map((c) => (/^[=+\-@\t\r]/u.test(c) ? `'${c}` : c)))
      }),
      { numRuns: 500 }
    )
  })
})

// ---------------------------------------------------------------------------------------------
// the committee's statement

const general = FundAccounts.accountId(junxin, "fund:cash")
const meals = FundAccounts.subFundCashId(junxin, "elderly-meals")
const pool = (p: Partial<FundStatement["pools"][number]>): FundStatement["pools"][number] => ({
  pool: "general",
  name: "公益基金",
  accountId: general,
  opening: 0,
  proceeds: 0,
  donations: 0,
  otherIncome: 0,
  earmarked: 0,
  costs: 0,
  allocations: 0,
  other: 0,
  closing: 0,
  committed: 0,
  available: 0,
  ...p
})
const statement: FundStatement = {
  communityId: junxin,
  from: august.from,
  to: august.to,
  pools: [
    pool({
      opening: 50_000,
      proceeds: 16_000,
      donations: 125_100,
      otherIncome: 800,
      earmarked: -30_000,
      costs: 1_200,
      allocations: 20_000,
      closing: 140_700,
      committed: 5_000,
      available: 135_700
    }),
    pool({
      pool: "elderly-meals",
      name: "长者助餐, 专项",
      accountId: meals,
      earmarked: 30_000,
      closing: 30_000,
      committed: 6_000,
      available: 24_000
    })
  ],
  total: {
    opening: 50_000,
    proceeds: 16_000,
    donations: 125_100,
    otherIncome: 800,
    earmarked: 0,
    costs: 1_200,
    allocations: 20_000,
    other: 0,
    closing: 170_700,
    committed: 11_000,
    available: 159_700
  },
  enterprise: {
    opening: 10_000,
    sales: 41_000,
    designFees: 5_000,
    productionCosts: 20_000,
    proceedsToFund: 16_000,
    other: 0,
    closing: 10_000,
    byProduct: [{ productId: "p1", sku: "FAN-01", name: "幸运君扇子", quantity: 20, amount: 16_000 }]
  },
  reconciliation: {
    ok: false,
    checks: [
      {
        check: "pool general: opening + movements = closing / 期初 + 本期变动 = 期末",
        expected: 140_700,
        actual: 140_700,
        ok: true
      },
      {
        check: "money entries = the ledger's fund transfers of the period / 收支记录与账本转账一致",
        expected: 242_101,
        actual: 117_101,
        ok: false
      }
    ]
  }
}

describe("statementCsv", () => {
  const csv = Report.statementCsv(statement)
  const rows = parseCsv(csv)
  const section = (name: string) => rows.filter((r) => r[0] === name).map((r) => r.slice(1))

  it("opens with the community, the period and whether it reconciles", () => {
    expect(rows[0]).toEqual(HEADER)
    expect(section("statement")).toEqual([
      [`community:${junxin}`, "", ""],
      ["from:2026-08-01T00:00:00.000+08:00", "", ""],
      ["to_exclusive:2026-09-01T00:00:00.000+08:00", "", ""],
      ["time_zone:Asia/Shanghai", "", ""],
      ["reconciled:false", "", ""]
    ])
  })

  it("writes every figure of every pool, then the totals", () => {
    expect(section("pool:general")).toEqual([
      ["name:公益基金", "", ""],
      [`account:${general}`, "", ""],
      ["opening", "50000", "500.00"],
      ["proceeds", "16000", "160.00"],
      ["donations", "125100", "1251.00"],
      ["other_income", "800", "8.00"],
      ["earmarked", "-30000", "-300.00"],
      ["costs", "1200", "12.00"],
      ["allocations", "20000", "200.00"],
      ["other", "0", "0.00"],
      ["closing", "140700", "1407.00"],
      ["committed", "5000", "50.00"],
      ["available", "135700", "1357.00"]
    ])
    expect(section("pool:elderly-meals").slice(0, 1)).toEqual([["name:长者助餐, 专项", "", ""]])
    expect(csv).toContain('pool:elderly-meals,"name:长者助餐, 专项",,\r\n')
    expect(section("pool:elderly-meals")).toContainEqual(["earmarked", "30000", "300.00"])
    expect(section("total")).toContainEqual(["earmarked", "0", "0.00"])
    expect(section("total")).toContainEqual(["closing", "170700", "1707.00"])
    expect(section("total")).toHaveLength(11)
  })

  it("writes Candy Commune's figures and its sales by product", () => {
    expect(section("enterprise")).toEqual([
      ["opening", "10000", "100.00"],
      ["sales", "41000", "410.00"],
      ["design_fees", "5000", "50.00"],
      ["production_costs", "20000", "200.00"],
      ["proceeds_to_fund", "16000", "160.00"],
      ["other", "0", "0.00"],
      ["closing", "10000", "100.00"]
    ])
    expect(section("product:FAN-01")).toEqual([
      ["name:幸运君扇子", "", ""],
      ["quantity:20", "", ""],
      ["sales", "16000", "160.00"]
    ])
  })

  it("writes each reconciliation check with its difference and verdict", () => {
    expect(section("check:money entries = the ledger's fund transfers of the period / 收支记录与账本转账一致")).toEqual(
      [
        ["expected", "242101", "2421.01"],
        ["actual", "117101", "1171.01"],
        ["difference", "-125000", "-1250.00"],
        ["ok:false", "", ""]
      ]
    )
    expect(section("check:pool general: opening + movements = closing / 期初 + 本期变动 = 期末")).toContainEqual([
      "ok:true",
      "",
      ""
    ])
  })
})

// ---------------------------------------------------------------------------------------------
// no personal data

const resident = (n: number) => ResidentId.make(`0190f0a4-0000-7000-8000-${String(n).padStart(12, "0")}`)
const household = (n: number) => HouseholdId.make(`0190f0a5-0000-7000-8000-${String(n).padStart(12, "0")}`)
const candidate = (
  key: string,
  kind: "project" | "family",
  label: string,
  request: number,
  n: number | null
): RoundCandidate => ({
  key,
  kind,
  label,
  residentId: n === null ? null : resident(n),
  householdId: n === null ? null : household(n),
  request,
  weight: 10,
  tier: kind === "family" ? 1 : 2,
  minimum: null,
  cap: null
})

const familyLabels = ["刘家（江西来甬，随迁老人独居）", "周家（孙子住院）", "王家（失业，三口之家）"]
const objectionTexts = ["我认识周家，他们家有车", "王家的收入没说清楚"]
const answerText = "已核实：车辆为借用，情况属实"
const signOffNote = "同意，刘姓家庭情况已上门核实"

const round = (id: number, status: AllocationRound["status"], title: string): AllocationRound => {
  const candidates = [
    candidate("p-translate", "project", "老乡团方言翻译补贴", 30_000, null),
    candidate("p-checkup", "project", "共享子女上门体检", 20_000, null),
    ...familyLabels.map((label, i) => candidate(`f${i + 1}`, "family", label, 15_000, 11 + i))
  ]
  const base = { pool: 100_000, reserveBasisPoints: 0, candidates }
  return {
    id: RoundId.make(`0190f0a6-0000-7000-8000-${String(id).padStart(12, "0")}`),
    communityId: junxin,
    version: 7,
    status,
    title,
    purpose: "中秋慰问困难家庭，刘家与周家优先",
    ...base,
    subFund: null,
    outcome: Result.getOrThrow(FundRules.checkCandidates(base)),
    requiredApprovals: 2,
    authoredBy: "social-worker-liu-ying",
    noticeStartsAt: shanghai("2026-08-08T00:00:00"),
    noticeEndsAt: shanghai("2026-08-15T00:00:00"),
    objections: objectionTexts.map((text, i) => ({
      id: ObjectionId.make(`0190f0a7-0000-7000-8000-${String(id * 10 + i).padStart(12, "0")}`),
      by: resident(90 + i),
      text,
      at: shanghai("2026-08-10T10:00:00"),
      answer: i === 0 ? { text: answerText, by: "council-member-zhou", at: shanghai("2026-08-11T10:00:00") } : null
    })),
    signOffs: [{ by: "approver-chen", decision: "approve", note: signOffNote, at: shanghai("2026-08-16T10:00:00") }],
    holds: [],
    scheduledFor: null,
    closingNote: status === "cancelled" ? "周家已搬离社区" : null,
    createdAt: shanghai("2026-08-01T10:00:00"),
    updatedAt: shanghai("2026-08-20T10:00:00")
  }
}

describe("the public report names no one", () => {
  const subFunds: ReadonlyArray<SubFund> = [
    { communityId: junxin, code: "elderly-meals", name: "长者助餐, 专项", purpose: "随迁老人助餐", createdAt: 0 }
  ]
  const rounds = [
    round(1, "paid", "2026年中秋困难家庭慰问"),
    round(2, "cancelled", "国庆慰问（已取消）"),
    round(3, "draft", "草稿：冬季取暖补贴"),
    round(4, "submitted", "已提交：春节慰问")
  ]
  const report = publicReport("君馨社区", statement, subFunds, rounds, shanghai("2026-09-01T09:30:00"))
  const html = Report.toHtml(report)
  const csv = Report.toCsv(report)

  it("shows families only as a count and a total", () => {
    expect(report.rounds.map((r) => r.title)).toEqual(["2026年中秋困难家庭慰问", "国庆慰问（已取消）"])
    expect(rowText(html, "3 户")).toBe(
      "3 户 3 families 困难家庭（不公示姓名） Families in difficulty (not named) ¥450.00"
    )
    expect(parseCsv(csv)).toContainEqual(["round:2026年中秋困难家庭慰问", "families:3", "45000", "450.00"])
    expect(textOf(html)).toContain("已取消 Cancelled")
    expect(textOf(html)).toContain("收到 2 件，已答复 1 件 (2 filed, 1 answered)")
  })

  it("never shows a family's label, a resident or household id, an objection, a sign-off or who acted", () => {
    const secrets = [
      ...familyLabels,
      ...[11, 12, 13, 90, 91].map((n) => resident(n)),
      ...[11, 12, 13].map((n) => household(n)),
      ...objectionTexts,
      answerText,
      signOffNote,
      "social-worker-liu-ying",
      "council-member-zhou",
      "approver-chen",
      "中秋慰问困难家庭，刘家与周家优先",
      "周家已搬离社区",
      "刘家",
      "周家",
      "王家"
    ]
    for (const secret of secrets) {
      expect(html).not.toContain(secret)
      expect(html).not.toContain(Report.escapeHtml(secret))
      expect(csv).not.toContain(secret)
    }
    // and the drafts and submissions stay with the committee
    for (const page of [html, csv]) {
      expect(page).not.toContain("冬季取暖补贴")
      expect(page).not.toContain("春节慰问")
    }
  })

  it("still shows the projects by name", () => {
    expect(rowText(html, "老乡团方言翻译补贴")).toBe("老乡团方言翻译补贴 项目 Project ¥300.00")
    expect(csv).toContain("round:2026年中秋困难家庭慰问,project:共享子女上门体检,20000,200.00")
    expect(csv).toContain('"subfund:长者助餐, 专项",closing,30000,300.00')
  })
})
