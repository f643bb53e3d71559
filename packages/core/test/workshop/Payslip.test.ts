import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { CommunityId } from "../../src/kernel/Ids.js"
import { TransferId } from "../../src/ledger/Ledger.js"
import * as PayslipModule from "../../src/workshop/Payslip.js"
import { type Payslip, Payslips } from "../../src/workshop/Payslip.js"
import type { Factory, Invoice, PayLine, PayPeriod, WorkOrder } from "../../src/workshop/Workshop.js"
import {
  FactoryId,
  InvoiceId,
  PayLineId,
  PayPeriodId,
  WorkerId,
  WorkOrderId,
  WorkProductId
} from "../../src/workshop/Workshop.js"

const junxin = CommunityId.make("0190f0a0-0000-7000-8000-000000000001")
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`)
const o1 = WorkOrderId.make("0190f0b0-0000-7000-8000-000000000001")
const w1 = WorkerId.make("0190f0b1-0000-7000-8000-000000000001")
const w2 = WorkerId.make("0190f0b1-0000-7000-8000-000000000002")
const periodId = PayPeriodId.make("0190f0b5-0000-7000-8000-000000000001")
const lineId = (n: number) => PayLineId.make(`0190f0b6-0000-7000-8000-${String(n).padStart(12, "0")}`)
const transfer = (n: number) => TransferId.make(`0190f0b2-0000-7000-8000-${String(n).padStart(12, "0")}`)

const line = (n: number, patch: Partial<PayLine>): PayLine => ({
  id: lineId(n),
  communityId: junxin,
  workerId: w1,
  orderId: o1,
  kind: "earning",
  status: "confirmed",
  quantity: null,
  rateFen: null,
  amountFen: 0,
  movementId: null,
  transferId: transfer(100 + n),
  periodId,
  note: "",
  occurredAt: shanghai("2026-08-03T10:00:00"),
  recordedBy: "li",
  version: 2,
  ...patch
})

const lines: ReadonlyArray<PayLine> = [
  line(1, {
    quantity: 40,
    rateFen: 35,
    amountFen: 1_400,
    movementId: transfer(1),
    note: "40 accepted at ¥0.35 / 合格 40 件，每件 ¥0.35"
  }),
  line(2, {
    kind: "reject_pay",
    quantity: 3,
    rateFen: 35,
    amountFen: 52,
    movementId: transfer(2),
    note: "3 rejected, paid 50% of ¥0.35 / 不合格 3 件",
    occurredAt: shanghai("2026-08-10T23:30:00")
  }),
  line(3, { kind: "bonus", orderId: null, amountFen: 500, note: "中秋节奖励 Mid-autumn bonus" }),
  line(4, { kind: "deduction", quantity: 4, rateFen: 50, amountFen: -200, note: "超出损耗限额 4 件" })
]

const slip: Payslip = {
  communityName: "君馨社区",
  period: { id: periodId, from: shanghai("2026-08-01T00:00:00"), to: shanghai("2026-09-01T00:00:00"), status: "paid" },
  worker: { id: w1, displayName: "王阿姨" },
  lines,
  totals: {
    workerId: w1,
    earnedFen: 1_452,
    bonusFen: 500,
    deductedFen: 200,
    netFen: 1_752,
    pieces: 40,
    standardHours: 0.5,
    transferId: transfer(9)
  },
  orders: [{ id: o1, title: "文件夹夹子 A3", sku: "CLIP-A3" }]
}

// ---------------------------------------------------------------------------------------------
// helpers: what a reader sees, and a strict RFC 4180 parser (as the fund report's tests)

const entities: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" }
const textOf = (html: string): string =>
  html
    .replace(/<style>[\s\S]*?<\/style>/gu, " ")
    .replace(/<[^>]*>/gu, " ")
    .replace(/&(lt|gt|quot|#39|amp);/gu, (e) => entities[e]!)
    .replace(/\s+/gu, " ")
    .trim()
const rowText = (html: string, label: string): string => {
  const row = html.split("<tr").find((r) => r.includes(label))
  if (row === undefined) throw new Error(`no row with ${label}`)
  return textOf(`<tr${row.split("</tr>")[0]!}`)
}
const tagsOf = (html: string): Array<string> => html.match(/<[!/a-zA-Z][^>]*>/gu) ?? []

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

/** What a spreadsheet shows of a guarded field: the text, with the apostrophe a formula got. */
const guarded = (text: string): string => (/^[=+\-@\t\r]/u.test(text) ? `'${text}` : text)

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
      "王",
      "；",
      "\u2028"
    )
  },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme-composite", minLength: 1, maxLength: 1 }) }
)
const anyText = (maxLength: number) => fc.string({ unit: char, maxLength })

// ---------------------------------------------------------------------------------------------

describe("Payslips", () => {
  it("holds the renderers, and the module exports no bare renderer", () => {
    expect(Object.keys(Payslips).sort()).toEqual(["invoiceHtml", "periodCsv", "toCsv", "toHtml"])
    expect(Object.keys(PayslipModule)).not.toContain("toHtml")
    expect(Object.keys(PayslipModule)).not.toContain("toCsv")
  })
})

describe("Payslips.toHtml", () => {
  const html = Payslips.toHtml(slip)
  const text = textOf(html)

  it("is one self-contained page: no scripts, nothing to load, a policy that forbids both", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(html).toContain('<meta charset="utf-8">')
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|src=|href=|url\(|@import|https?:/iu)
    expect(html).toContain("@page { size: A4;")
  })

  it("carries every label in Chinese and English", () => {
    for (const label of [
      "工资单",
      "Payslip",
      "计件工资",
      "Piece earnings",
      "奖励",
      "Bonus",
      "扣款",
      "Deductions",
      "实发",
      "Net pay",
      "标准工时",
      "Standard hours",
      "有效时薪",
      "Effective hourly",
      "结算期间",
      "Period"
    ]) {
      expect(text).toContain(label)
    }
  })

  it("prints the slip's totals", () => {
    expect(rowText(html, "Net pay")).toContain("¥17.52")
    expect(rowText(html, "Piece earnings")).toContain("¥14.52")
    expect(rowText(html, ">Bonus")).toContain("¥5.00")
    expect(rowText(html, "Deductions")).toContain("-¥2.00")
    expect(rowText(html, "Standard hours")).toContain("0.50")
    // ¥14.52 in half an hour is ¥29.04 an hour
    expect(rowText(html, "Effective hourly")).toContain("¥29.04/h")
    expect(text).toContain("王阿姨")
    expect(text).toContain("2026-08-01 至 2026-08-31")
    expect(text).toContain("已发放")
    expect(text).toContain("The lines add up to the net pay.")
  })

  it("lists every line with its date in the community's time zone", () => {
    expect(rowText(html, "40 accepted at")).toContain("2026-08-03")
    expect(rowText(html, "40 accepted at")).toContain("文件夹夹子 A3 (CLIP-A3)")
    // 23:30 on the 10th in Shanghai is 03:30 on the 11th in Auckland
    expect(rowText(html, "3 rejected")).toContain("2026-08-10")
    expect(rowText(html, "3 rejected")).toContain("不合格品计酬")
    expect(rowText(Payslips.toHtml(slip, { timeZone: "Pacific/Auckland" }), "3 rejected")).toContain("2026-08-11")
  })

  it("warns when the lines do not add up to the net pay", () => {
    const off = Payslips.toHtml({ ...slip, totals: { ...slip.totals, netFen: 1_753 } })
    expect(textOf(off)).toContain("The lines add up to ¥17.52, not the net pay")
    expect(textOf(off)).toContain("明细合计 ¥17.52 与实发金额不一致")
  })

  it("escapes names, titles and notes", () => {
    const evil = `<script>alert("x")</script>`
    const page = Payslips.toHtml({
      ...slip,
      communityName: `君馨<b>`,
      worker: { id: w1, displayName: evil },
      orders: [{ id: o1, title: `<img src=x onerror=alert(1)>`, sku: "CLIP-A3" }],
      lines: lines.map((l) => ({ ...l, note: `</td><script>1</script>` }))
    })
    expect(page).not.toContain("<script")
    expect(page).not.toContain("<img")
    expect(page).not.toContain("<b>")
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    expect(tagsOf(page)).toEqual(tagsOf(html))
    expect(textOf(page)).toContain(evil)
  })

  it("never lets any text add a tag (property)", () => {
    fc.assert(
      fc.property(anyText(30), anyText(30), anyText(30), anyText(30), (community, name, title, note) => {
        const page = Payslips.toHtml({
          ...slip,
          communityName: community,
          worker: { id: w1, displayName: name },
          orders: [{ id: o1, title, sku: "CLIP-A3" }],
          lines: lines.map((l) => ({ ...l, note }))
        })
        expect(tagsOf(page)).toEqual(tagsOf(html))
      }),
      { numRuns: 200 }
    )
  })

  it("says when a slip has no lines or no standard hours", () => {
    const empty = Payslips.toHtml({
      ...slip,
      lines: [],
      totals: { ...slip.totals, earnedFen: 0, bonusFen: 0, deductedFen: 0, netFen: 0, pieces: 0, standardHours: 0 }
    })
    expect(textOf(empty)).toContain("No pay lines in this period.")
    expect(rowText(empty, "Effective hourly")).toContain("—")
  })
})

describe("Payslips.toCsv", () => {
  const csv = Payslips.toCsv(slip)
  const rows = parseCsv(csv)

  it("is RFC 4180 with a header, one row per line and the totals", () => {
    expect(rows[0]).toEqual([
      "worker",
      "date",
      "order",
      "sku",
      "kind",
      "status",
      "quantity",
      "rate_fen",
      "amount_fen",
      "amount_yuan",
      "note"
    ])
    expect(rows).toHaveLength(1 + lines.length + 4)
    for (const r of rows) expect(r).toHaveLength(11)
    expect(rows[1]).toEqual([
      "王阿姨",
      "2026-08-03",
      "文件夹夹子 A3",
      "CLIP-A3",
      "earning",
      "confirmed",
      "40",
      "35",
      "1400",
      "14.00",
      "40 accepted at ¥0.35 / 合格 40 件，每件 ¥0.35"
    ])
    expect(rows[4]!.slice(4, 10)).toEqual(["deduction", "confirmed", "4", "50", "-200", "-2.00"])
  })

  it("prints the slip's totals, and they are what the lines add up to", () => {
    const totals = Object.fromEntries(rows.slice(-4).map((r) => [r[4], r]))
    expect(totals.total_earned?.[8]).toBe("1452")
    expect(totals.total_earned?.[6]).toBe("40")
    expect(totals.total_bonus?.[8]).toBe("500")
    expect(totals.total_deducted?.[8]).toBe("-200")
    expect(totals.total_net?.[8]).toBe("1752")
    expect(totals.total_net?.[9]).toBe("17.52")
    const sum = rows.slice(1, 1 + lines.length).reduce((s, r) => s + Number(r[8]), 0)
    expect(sum).toBe(Number(totals.total_net?.[8]))
  })

  it("guards a name that starts like a formula, and quotes what needs quoting", () => {
    const evil = Payslips.toCsv({ ...slip, worker: { id: w1, displayName: '=HYPERLINK("http://x","点我")' } })
    expect(evil).toContain(`"'=HYPERLINK(""http://x"",""点我"")"`)
    const parsed = parseCsv(evil)
    for (const r of parsed.slice(1)) expect(r[0]).toBe(`'=HYPERLINK("http://x","点我")`)
    expect(parsed.slice(1).every((r) => !r[0]!.startsWith("="))).toBe(true)
    expect(Payslips.toCsv(slip, { bom: true }).startsWith("\uFEFF")).toBe(true)
    expect(csv.startsWith("worker,")).toBe(true)
  })

  it("reads back every text as written, guarded (property)", () => {
    fc.assert(
      fc.property(anyText(30), anyText(30), anyText(30), (name, title, note) => {
        const parsed = parseCsv(
          Payslips.toCsv({
            ...slip,
            worker: { id: w1, displayName: name },
            orders: [{ id: o1, title, sku: "CLIP-A3" }],
            lines: lines.map((l) => ({ ...l, note }))
          })
        )
        expect(parsed).toHaveLength(1 + lines.length + 4)
        for (const r of parsed.slice(1)) {
          expect(r[0]).toBe(guarded(name))
          for (const field of r) expect(field).not.toMatch(/^[=+@\t\r]/u)
        }
        expect(parsed[1]![2]).toBe(guarded(title))
        expect(parsed[1]![10]).toBe(guarded(note))
      }),
      { numRuns: 200 }
    )
  })
})

describe("Payslips.periodCsv", () => {
  const period: PayPeriod = {
    id: periodId,
    communityId: junxin,
    from: shanghai("2026-08-01T00:00:00"),
    to: shanghai("2026-09-01T00:00:00"),
    status: "closed",
    slips: [
      slip.totals,
      {
        ...slip.totals,
        workerId: w2,
        earnedFen: 700,
        bonusFen: 0,
        deductedFen: 0,
        netFen: 700,
        pieces: 20,
        standardHours: 0.25,
        transferId: null
      }
    ],
    closedBy: "li",
    closedAt: shanghai("2026-09-01T09:00:00"),
    paidAt: null,
    version: 1
  }

  it("writes one row per slip, names guarded", () => {
    const rows = parseCsv(
      Payslips.periodCsv(
        period,
        new Map([
          [w1, "王阿姨"],
          [w2, "@张师傅"]
        ])
      )
    )
    expect(rows[0]).toEqual([
      "period",
      "from",
      "to",
      "status",
      "worker_id",
      "worker",
      "earned_fen",
      "bonus_fen",
      "deducted_fen",
      "net_fen",
      "net_yuan",
      "pieces",
      "standard_hours",
      "transfer_id"
    ])
    expect(rows.slice(1)).toEqual([
      [
        periodId,
        "2026-08-01",
        "2026-08-31",
        "closed",
        w1,
        "王阿姨",
        "1452",
        "500",
        "200",
        "1752",
        "17.52",
        "40",
        "0.50",
        transfer(9)
      ],
      [periodId, "2026-08-01", "2026-08-31", "closed", w2, "'@张师傅", "700", "0", "0", "700", "7.00", "20", "0.25", ""]
    ])
    // Σ net in the file is Σ net of the slips
    expect(rows.slice(1).reduce((s, r) => s + Number(r[9]), 0)).toBe(2_452)
    expect(parseCsv(Payslips.periodCsv(period, new Map()))[1]![5]).toBe("")
  })
})

describe("Payslips.invoiceHtml", () => {
  const factory: Factory = {
    id: FactoryId.make("0190f0b3-0000-7000-8000-000000000001"),
    communityId: junxin,
    name: "宁波<甬>文具厂",
    contact: "陈经理 0574-1234 & co",
    subjects: [],
    version: 1,
    createdAt: 0
  }
  const order = {
    id: o1,
    communityId: junxin,
    factoryId: factory.id,
    productId: WorkProductId.make("0190f0b4-0000-7000-8000-000000000001"),
    sku: "CLIP-A3",
    title: `文件夹夹子 "A3"`,
    quantity: 1_000,
    priceFen: 60,
    rates: [{ effectiveFrom: 0, rateFen: 35, setBy: "li", setAt: 0 }],
    deadline: 0,
    quality: {
      rejectPolicy: "unpaid",
      rejectSharePercent: 0,
      rejectChargeFen: 0,
      scrapTolerancePermille: 0,
      scrapChargeFen: 0
    },
    fairPay: {
      rateFen: 35,
      standardSeconds: 45,
      effectiveHourlyFen: 2_800,
      minimumHourlyWageFen: 2_600,
      belowMinimum: false
    },
    lowRateAcknowledgement: null,
    status: "closed",
    createdBy: "li",
    createdAt: 0,
    startedAt: 0,
    version: 3
  } satisfies WorkOrder
  const invoice: Invoice = {
    id: InvoiceId.make("0190f0b7-0000-7000-8000-000000000001"),
    communityId: junxin,
    factoryId: factory.id,
    orderId: o1,
    number: "2026-0007",
    pieces: 300,
    priceFen: 60,
    amountFen: 18_000,
    status: "paid",
    issuedAt: shanghai("2026-08-25T15:00:00"),
    paidAt: shanghai("2026-09-02T09:00:00"),
    version: 2
  }
  const html = Payslips.invoiceHtml(invoice, factory, order, "君馨社区")
  const text = textOf(html)

  it("is a bilingual, self-contained invoice with its figures", () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`)
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|https?:/iu)
    for (const label of [
      "发票/对账单",
      "Invoice",
      "编号",
      "Number",
      "单价",
      "Unit price",
      "合计",
      "Total",
      "已付款",
      "Paid"
    ]) {
      expect(text).toContain(label)
    }
    expect(text).toContain("2026-0007")
    expect(text).toContain("2026-08-25")
    expect(text).toContain("2026-09-02")
    expect(rowText(html, "CLIP-A3")).toContain("300")
    expect(rowText(html, "CLIP-A3")).toContain("¥0.60")
    expect(rowText(html, "Total")).toContain("¥180.00")
  })

  it("escapes the factory's and the order's text", () => {
    expect(html).toContain("宁波&lt;甬&gt;文具厂")
    expect(html).toContain("陈经理 0574-1234 &amp; co")
    expect(html).toContain("文件夹夹子 &quot;A3&quot;")
    expect(text).toContain("宁波<甬>文具厂")
  })
})
