/**
 * Renderers of the fund's reports: the public transparency report (公益基金收支公示) as one
 * printable HTML page for a community notice board and as CSV, and the committee's full
 * statement as CSV.
 *
 * Everything here is pure: a report in, a string out, no clock, no I/O. The HTML page is
 * self-contained (inline CSS, no scripts, no fonts, images or links to fetch, and a
 * Content-Security-Policy that forbids them), prints on A4, and carries every heading in Chinese
 * first with English below or beside it.
 *
 * - **Amounts** are integer fen shown as yuan, exactly (no floating point): `¥1,234.56`,
 *   `-¥0.01`; see {@link yuan}.
 * - **Dates** are days in the community's time zone (default `Asia/Shanghai`). A period
 *   `[from, to)` is shown with its last day inclusive: `[2026-08-01 00:00, 2026-09-01 00:00)` in
 *   Shanghai is "2026-08-01 至 2026-08-31".
 * - **Text from users** (the community's name, sub-funds, round titles, project labels) is
 *   HTML-escaped in the page ({@link escapeHtml}) and quoted and defended against formula
 *   injection in CSV ({@link csvField}).
 * - **No personal data**: the renderers show only what a {@link PublicReport} holds, and a
 *   `PublicReport` names no family, donor or objector (families are counted: "3 户 / 3 families").
 *
 * CSV follows RFC 4180: CRLF line ends, a header row, fields quoted when they hold `,`, `"`, CR or
 * LF, quotes doubled. Its columns are `section,item,amount_fen,amount_yuan`; the amount columns
 * are plain numbers (`125000`, `1250.00`, `-1`, `-0.01`) or empty for rows that carry no amount
 * (a round's status, a count of objections). Spreadsheet programs on Windows read a CSV without a
 * byte order mark in the local code page: pass `{ bom: true }` for a file that Excel opens with
 * its Chinese intact.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { FundReport } from "@commonweal/core"
 * // `statement` and `publicReport` are the fund's Statement module's
 *
 * const s = Result.getOrThrow(statement(input))                        // reconciled to the ledger
 * const report = publicReport("君馨社区", s, subFunds, rounds, generatedAt)
 * const page = FundReport.toHtml(report)                              // print it for the notice board
 * const sheet = FundReport.toCsv(report, { bom: true })                // open it in a spreadsheet
 * const books = FundReport.statementCsv(s)                             // the committee's full statement
 * ```
 *
 * @module
 */
import { DateTime, Option } from "effect"
import type { RoundStatus } from "./Fund.js"
import type { FundStatement, PoolStatement, PublicReport } from "./Statement.js"

/**
 * Options of {@link toHtml}.
 *
 * @example
 * ```ts
 * FundReport.toHtml(report, { timeZone: "Asia/Shanghai" })
 * ```
 */
export interface HtmlOptions {
  /** The IANA time zone of the dates shown. Default `Asia/Shanghai`; an unknown zone falls back to it. */
  readonly timeZone?: string
}

/**
 * Options of {@link toCsv} and {@link statementCsv}.
 *
 * @example
 * ```ts
 * FundReport.toCsv(report, { bom: true }) // for Excel on Windows
 * ```
 */
export interface CsvOptions {
  /** The IANA time zone of the dates written. Default `Asia/Shanghai`; an unknown zone falls back to it. */
  readonly timeZone?: string
  /** Start with a UTF-8 byte order mark (U+FEFF), for Excel. Default `false`. */
  readonly bom?: boolean
}

// ---------------------------------------------------------------------------------------------
// amounts

/** Sign, whole yuan and the two fen digits of an integer amount of fen, exactly; `undefined` for a non-integer. */
const parts = (
  fen: number
): { readonly negative: boolean; readonly whole: string; readonly cents: string } | undefined => {
  if (!Number.isInteger(fen)) return undefined
  const n = BigInt(fen)
  const abs = n < 0n ? -n : n
  return { negative: n < 0n, whole: (abs / 100n).toString(), cents: (abs % 100n).toString().padStart(2, "0") }
}

const grouped = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/gu, ",")

/**
 * An amount of fen as people read it: `¥` and yuan with thousands separators and two decimals,
 * computed exactly on the integer (no floating point), a minus sign before a negative amount.
 * An amount that is not a whole number of fen (never one from the ledger) is shown as what it
 * is, marked: `? 1.5 分 / fen`.
 *
 * @example
 * ```ts
 * yuan(123_456)    // "¥1,234.56"
 * yuan(1)          // "¥0.01"
 * yuan(0)          // "¥0.00"
 * yuan(-5_000)     // "-¥50.00"
 * ```
 */
export const yuan = (fen: number): string => {
  const p = parts(fen)
  if (p === undefined) return `? ${String(fen)} 分 / fen`
  return `${p.negative ? "-" : ""}¥${grouped(p.whole)}.${p.cents}`
}

/** The `amount_yuan` column: `1250.00`, `-0.01`; empty for a non-integer. */
const plainYuan = (fen: number): string => {
  const p = parts(fen)
  return p === undefined ? "" : `${p.negative ? "-" : ""}${p.whole}.${p.cents}`
}

// ---------------------------------------------------------------------------------------------
// dates

const zoneOf = (timeZone: string | undefined): { readonly zone: DateTime.TimeZone; readonly name: string } => {
  const named = DateTime.zoneMakeNamed(timeZone ?? "Asia/Shanghai")
  return Option.isSome(named)
    ? { zone: named.value, name: timeZone ?? "Asia/Shanghai" }
    : { zone: DateTime.zoneMakeNamedUnsafe("Asia/Shanghai"), name: "Asia/Shanghai" }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** The local parts of an epoch-millisecond time, or `undefined` for a time that is not one. */
const local = (millis: number, zone: DateTime.TimeZone) =>
  Number.isFinite(millis)
    ? Option.getOrUndefined(Option.map(DateTime.makeZoned(millis, { timeZone: zone }), DateTime.toParts))
    : undefined

/** `YYYY-MM-DD` in the zone; `?` for a time that is not one. */
const dayOf = (millis: number, zone: DateTime.TimeZone): string => {
  const p = local(millis, zone)
  return p === undefined ? "?" : `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
}

/** `YYYY-MM-DD HH:mm` in the zone; `?` for a time that is not one. */
const minuteOf = (millis: number, zone: DateTime.TimeZone): string => {
  const p = local(millis, zone)
  return p === undefined ? "?" : `${dayOf(millis, zone)} ${pad(p.hour)}:${pad(p.minute)}`
}

/** The ISO time with the zone's offset (`2026-08-01T00:00:00.000+08:00`); `?` for a time that is not one. */
const isoOf = (millis: number, zone: DateTime.TimeZone): string =>
  Number.isFinite(millis)
    ? Option.getOrElse(Option.map(DateTime.makeZoned(millis, { timeZone: zone }), DateTime.formatIsoOffset), () => "?")
    : "?"

/** The first and the last day (inclusive) of a period `[from, to)`. */
const periodDays = (from: number, to: number, zone: DateTime.TimeZone) =>
  ({ first: dayOf(from, zone), last: dayOf(to - 1, zone) }) as const

// ---------------------------------------------------------------------------------------------
// words

/**
 * A round's status in Chinese and English, as the public page shows it.
 *
 * @example
 * ```ts
 * FundReport.statusLabels.notice // ["公示中", "In public notice"]
 * FundReport.statusLabels.paid   // ["已拨付", "Paid"]
 * ```
 */
export const statusLabels: Readonly<Record<RoundStatus, readonly [zh: string, en: string]>> = {
  draft: ["草稿", "Draft"],
  submitted: ["已提交", "Submitted"],
  notice: ["公示中", "In public notice"],
  approved: ["已批准", "Approved"],
  rejected: ["未通过", "Rejected"],
  scheduled: ["待拨付", "Scheduled for payment"],
  paid: ["已拨付", "Paid"],
  failed: ["拨付失败", "Payment failed"],
  cancelled: ["已取消", "Cancelled"]
}

const statusOf = (status: string): readonly [string, string] =>
  Object.hasOwn(statusLabels, status) ? statusLabels[status as RoundStatus] : [status, status]

// ---------------------------------------------------------------------------------------------
// HTML

const htmlEntities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
}

/**
 * Escapes text for HTML element content and quoted attribute values: `&`, `<`, `>`, `"` and `'`
 * become entities; everything else (Chinese included) is kept as it is.
 *
 * @example
 * ```ts
 * escapeHtml(`<script>alert("幸运君")</script>`) // "&lt;script&gt;alert(&quot;幸运君&quot;)&lt;/script&gt;"
 * ```
 */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/gu, (c) => htmlEntities[c] ?? c)

/** Chinese first, English as a smaller line below (headings) or beside (cells). Both are escaped. */
const bi = (zh: string, en: string): string => `${escapeHtml(zh)} <span class="en">${escapeHtml(en)}</span>`

const row = (zh: string, en: string, fen: number, cls = ""): string =>
  `<tr${cls === "" ? "" : ` class="${cls}"`}><th scope="row">${bi(zh, en)}</th><td class="num">${escapeHtml(yuan(fen))}</td></tr>`

const css = `
@page { size: A4; margin: 15mm 14mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body {
  margin: 0 auto; padding: 12px; max-width: 190mm;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimSun", sans-serif;
  font-size: 11pt; line-height: 1.45;
}
h1 { font-size: 17pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; border-bottom: 1.5pt solid #000; }
h3 { font-size: 11.5pt; margin: 10pt 0 2pt; }
h1 .en, h2 .en, h3 .en { display: block; font-size: 0.72em; font-weight: normal; }
.en { font-size: 0.85em; }
p { margin: 3pt 0; }
table { width: 100%; border-collapse: collapse; margin: 4pt 0 8pt; }
th, td { border: 0.75pt solid #000; padding: 2pt 5pt; text-align: left; vertical-align: top; font-weight: normal; }
thead th { font-weight: bold; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: bold; }
.muted { font-style: italic; }
.check { border: 1.5pt solid #000; padding: 4pt 6pt; margin: 12pt 0 6pt; font-weight: bold; }
footer { margin-top: 10pt; font-size: 9pt; }
@media print {
  body { padding: 0; max-width: none; font-size: 10.5pt; }
  section, tr, .check { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
}
`

const roundHtml = (r: PublicReport["rounds"][number], zone: DateTime.TimeZone): string => {
  const [zh, en] = statusOf(r.status)
  const notice =
    r.noticeEndsAt === null
      ? ""
      : ` · ${bi("公示截止", "Public notice ends")}: ${escapeHtml(minuteOf(r.noticeEndsAt, zone))}`
  const projects = r.projects.map(
    (p) =>
      `<tr><th scope="row">${escapeHtml(p.label)}</th><td>${bi("项目", "Project")}</td><td class="num">${escapeHtml(yuan(p.amount))}</td></tr>`
  )
  const families = `<tr><th scope="row">${escapeHtml(`${r.families.count} 户`)} <span class="en">${escapeHtml(
    `${r.families.count} ${r.families.count === 1 ? "family" : "families"}`
  )}</span></th><td>${bi("困难家庭（不公示姓名）", "Families in difficulty (not named)")}</td><td class="num">${escapeHtml(
    yuan(r.families.amount)
  )}</td></tr>`
  return [
    `<section class="round">`,
    `<h3>${escapeHtml(r.title)}</h3>`,
    `<p>${bi("状态", "Status")}: <strong>${escapeHtml(zh)}</strong> <span class="en">${escapeHtml(en)}</span>${notice}</p>`,
    `<table>`,
    `<thead><tr><th scope="col">${bi("受助对象", "Recipient")}</th><th scope="col">${bi("类别", "Kind")}</th><th scope="col" class="num">${bi("金额", "Amount")}</th></tr></thead>`,
    `<tbody>`,
    ...projects,
    families,
    `<tr class="total"><th scope="row" colspan="2">${bi("本轮分配合计", "Allocated in this round")}</th><td class="num">${escapeHtml(yuan(r.allocated))}</td></tr>`,
    `</tbody>`,
    `</table>`,
    `<p>${bi("异议", "Objections")}: ${bi(
      `收到 ${r.objections.filed} 件，已答复 ${r.objections.answered} 件`,
      `(${r.objections.filed} filed, ${r.objections.answered} answered)`
    )}</p>`,
    `</section>`
  ].join("\n")
}

/**
 * The public report as one self-contained, printable HTML page (公益基金收支公示) for a community
 * notice board: the period, the balances and income by source, the fund's costs and allocations,
 * the sub-funds, what Candy Commune (糖果公社) sold and passed on, each round in public notice or
 * later (projects with their amounts, families only counted), whether the books reconcile with
 * the ledger, and when the page was made. Headings are Chinese with English below; amounts are
 * `¥1,234.56`; dates are days in `options.timeZone` (default `Asia/Shanghai`). Every text from
 * the report is HTML-escaped; the page loads nothing and runs nothing.
 *
 * @example
 * ```ts
 * import { FundReport } from "@commonweal/core"
 *
 * const page = FundReport.toHtml(publicReport("君馨社区", s, subFunds, rounds, generatedAt))
 * // serve it as text/html; charset=utf-8, or save it and print it on A4
 * ```
 */
export const toHtml = (report: PublicReport, options: HtmlOptions = {}): string => {
  const { zone, name: zoneName } = zoneOf(options.timeZone)
  const { first, last } = periodDays(report.from, report.to, zone)
  const community = escapeHtml(report.communityName)
  const income = report.income.proceeds + report.income.donations + report.income.other
  const spending = report.costs + report.allocations
  const subFunds =
    report.subFunds.length === 0
      ? `<p class="muted">${bi("暂无专项基金。", "No earmarked sub-funds.")}</p>`
      : [
          `<table>`,
          `<thead><tr><th scope="col">${bi("专项基金", "Sub-fund")}</th><th scope="col">${bi("用途", "Purpose")}</th><th scope="col" class="num">${bi("期末余额", "Closing balance")}</th></tr></thead>`,
          `<tbody>`,
          ...report.subFunds.map(
            (f) =>
              `<tr><th scope="row">${escapeHtml(f.name)}</th><td>${escapeHtml(f.purpose)}</td><td class="num">${escapeHtml(yuan(f.closing))}</td></tr>`
          ),
          `</tbody>`,
          `</table>`
        ].join("\n")
  const rounds =
    report.rounds.length === 0
      ? `<p class="muted">${bi("本期没有公示或拨付的分配。", "No allocation rounds in public notice or later in this period.")}</p>`
      : report.rounds.map((r) => roundHtml(r, zone)).join("\n")
  const check = report.reconciled
    ? `<p class="check">✓ ${bi(
        "本期账目已与账本逐笔核对，一致。",
        "The books reconcile with the ledger, transfer by transfer."
      )}</p>`
    : `<p class="check">✗ ${bi(
        "本期账目与账本核对不一致，请向基金管理人员查询。",
        "The books do NOT reconcile with the ledger: please ask the fund's treasurer."
      )}</p>`
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${community} 公益基金收支公示 / Public-welfare fund report ${escapeHtml(first)} – ${escapeHtml(last)}</title>
<style>${css}</style>
</head>
<body>
<header>
<h1>${community} 公益基金收支公示<span class="en">${community}: community public-welfare fund, income and expenditure</span></h1>
<p>${bi("公示期间", "Period")}: <strong>${escapeHtml(first)} 至 ${escapeHtml(last)}</strong> <span class="en">(${escapeHtml(first)} to ${escapeHtml(last)}, ${escapeHtml(zoneName)})</span></p>
</header>
<main>
<section>
<h2>收支概况<span class="en">Summary</span></h2>
<table>
<thead><tr><th scope="col">${bi("项目", "Item")}</th><th scope="col" class="num">${bi("金额", "Amount")}</th></tr></thead>
<tbody>
${row("期初余额", "Opening balance", report.opening, "total")}
${row("糖果公社义卖净收益", "Net proceeds from Candy Commune", report.income.proceeds)}
${row("社会捐赠", "Donations", report.income.donations)}
${row("其他收入", "Other income", report.income.other)}
${row("收入合计", "Total income", income, "total")}
${row("基金费用", "Fund costs", report.costs)}
${row("拨付（已支付的分配）", "Allocations paid", report.allocations)}
${row("支出合计", "Total spending", spending, "total")}
${row("其他变动", "Other movements", report.other)}
${row("期末余额", "Closing balance", report.closing, "total")}
${row("已批准待拨付", "Committed to approved rounds", report.committed)}
${row("可用于新分配", "Available for new rounds", report.closing - report.committed)}
</tbody>
</table>
</section>
<section>
<h2>专项基金<span class="en">Earmarked sub-funds</span></h2>
${subFunds}
</section>
<section>
<h2>糖果公社义卖<span class="en">Candy Commune mascot-goods sales</span></h2>
<table>
<tbody>
${row("销售收入", "Sales", report.enterprise.sales)}
${row("设计费与生产成本", "Design fees and production costs", report.enterprise.costs)}
${row("转入公益基金的净收益", "Net proceeds passed to the fund", report.enterprise.proceedsToFund, "total")}
</tbody>
</table>
</section>
<section>
<h2>分配公示<span class="en">Allocation rounds</span></h2>
${rounds}
</section>
${check}
</main>
<footer>
<p>${bi("受助家庭信息依法保护，只公示户数与金额。", "Families in difficulty are not named: only their number and total are shown, to protect their personal information.")}</p>
<p>${bi("生成时间", "Generated")}: ${escapeHtml(minuteOf(report.generatedAt, zone))} (${escapeHtml(zoneName)})</p>
</footer>
</body>
</html>
`
}

// ---------------------------------------------------------------------------------------------
// CSV

const formulaStart = /^[=+\-@\t\r]/u
const needsQuotes = /[",\r\n]/u

/**
 * One CSV text field, RFC 4180: quoted when it holds `,`, `"`, CR or LF, with quotes doubled;
 * and defended against formula injection: a field starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return gets a leading apostrophe, so that a spreadsheet shows it as text instead of
 * running it. (Amount columns are written as plain numbers, never through this.)
 *
 * @example
 * ```ts
 * csvField("幸运君, 折叠伞")      // "\"幸运君, 折叠伞\""
 * csvField('say "hi"')           // "\"say \"\"hi\"\"\""
 * csvField("=HYPERLINK(\"x\")")  // "\"'=HYPERLINK(\"\"x\"\")\""
 * csvField("-2+3")               // "'-2+3"
 * ```
 */
export const csvField = (text: string): string => {
  const safe = formulaStart.test(text) ? `'${text}` : text
  return needsQuotes.test(safe) ? `"${safe.replace(/"/gu, '""')}"` : safe
}

/** A row: section, item, and an amount of fen (or none). */
type Row = readonly [section: string, item: string, fen?: number]

const numeral = (fen: number): string => (Number.isFinite(fen) ? String(fen) : "")

const table = (rows: ReadonlyArray<Row>, options: CsvOptions): string => {
  const lines = ["section,item,amount_fen,amount_yuan"]
  for (const [section, item, fen] of rows) {
    const amounts = fen === undefined ? "," : `${numeral(fen)},${plainYuan(fen)}`
    lines.push(`${csvField(section)},${csvField(item)},${amounts}`)
  }
  return `${options.bom === true ? "\uFEFF" : ""}${lines.join("\r\n")}\r\n`
}

/**
 * The public report as CSV (`section,item,amount_fen,amount_yuan`), one row per figure:
 *
 * | section | items |
 * | --- | --- |
 * | `report` | `community:<name>`, `from:<first day>`, `to:<last day, inclusive>`, `time_zone:<zone>`, `generated:<ISO time>`, `reconciled:true\|false` (no amounts) |
 * | `balance` | `opening`, `closing`, `committed`, `available` |
 * | `income` | `proceeds`, `donations`, `other` |
 * | `spending` | `costs`, `allocations` (positive: money out) |
 * | `other` | `movements` |
 * | `subfund:<name>` | `closing` |
 * | `enterprise` | `sales`, `costs`, `proceeds_to_fund` |
 * | `round:<title>` | `status:<status>`, `notice_ends:<ISO time>` (if any), `allocated`, `project:<label>` each, `families:<count>`, `objections_filed:<n>`, `objections_answered:<n>` |
 *
 * RFC 4180 with CRLF line ends; text fields quoted as needed and defended against formula
 * injection ({@link csvField}); amounts as plain numbers.
 *
 * @example
 * ```ts
 * FundReport.toCsv(report)
 * // section,item,amount_fen,amount_yuan
 * // report,community:君馨社区,,
 * // …
 * // income,donations,125000,1250.00
 * // …
 * // round:重阳节敬老餐,project:老乡团翻译补贴,30000,300.00
 * // round:重阳节敬老餐,families:3,45000,450.00
 * ```
 */
export const toCsv = (report: PublicReport, options: CsvOptions = {}): string => {
  const { zone, name: zoneName } = zoneOf(options.timeZone)
  const { first, last } = periodDays(report.from, report.to, zone)
  const rows: Array<Row> = [
    ["report", `community:${report.communityName}`],
    ["report", `from:${first}`],
    ["report", `to:${last}`],
    ["report", `time_zone:${zoneName}`],
    ["report", `generated:${isoOf(report.generatedAt, zone)}`],
    ["report", `reconciled:${report.reconciled}`],
    ["balance", "opening", report.opening],
    ["income", "proceeds", report.income.proceeds],
    ["income", "donations", report.income.donations],
    ["income", "other", report.income.other],
    ["spending", "costs", report.costs],
    ["spending", "allocations", report.allocations],
    ["other", "movements", report.other],
    ["balance", "closing", report.closing],
    ["balance", "committed", report.committed],
    ["balance", "available", report.closing - report.committed]
  ]
  for (const f of report.subFunds) rows.push([`subfund:${f.name}`, "closing", f.closing])
  rows.push(
    ["enterprise", "sales", report.enterprise.sales],
    ["enterprise", "costs", report.enterprise.costs],
    ["enterprise", "proceeds_to_fund", report.enterprise.proceedsToFund]
  )
  for (const r of report.rounds) {
    const section = `round:${r.title}`
    rows.push([section, `status:${r.status}`])
    if (r.noticeEndsAt !== null) rows.push([section, `notice_ends:${isoOf(r.noticeEndsAt, zone)}`])
    rows.push([section, "allocated", r.allocated])
    for (const p of r.projects) rows.push([section, `project:${p.label}`, p.amount])
    rows.push(
      [section, `families:${r.families.count}`, r.families.amount],
      [section, `objections_filed:${r.objections.filed}`],
      [section, `objections_answered:${r.objections.answered}`]
    )
  }
  return table(rows, options)
}

const poolRows = (section: string, p: Omit<PoolStatement, "pool" | "name" | "accountId">): ReadonlyArray<Row> => [
  [section, "opening", p.opening],
  [section, "proceeds", p.proceeds],
  [section, "donations", p.donations],
  [section, "other_income", p.otherIncome],
  [section, "earmarked", p.earmarked],
  [section, "costs", p.costs],
  [section, "allocations", p.allocations],
  [section, "other", p.other],
  [section, "closing", p.closing],
  [section, "committed", p.committed],
  [section, "available", p.available]
]

/**
 * The committee's full statement as CSV (`section,item,amount_fen,amount_yuan`):
 *
 * | section | items |
 * | --- | --- |
 * | `statement` | `community:<id>`, `from:<ISO time>`, `to_exclusive:<ISO time>`, `time_zone:<zone>`, `reconciled:true\|false` (no amounts) |
 * | `pool:<pool>` | `name:<name>`, `account:<ledger account id>` (no amounts), then `opening`, `proceeds`, `donations`, `other_income`, `earmarked`, `costs`, `allocations`, `other`, `closing`, `committed`, `available` |
 * | `total` | the same figures, the pools summed |
 * | `enterprise` | `opening`, `sales`, `design_fees`, `production_costs`, `proceeds_to_fund`, `other`, `closing` |
 * | `product:<sku>` | `name:<name>`, `quantity:<pieces>` (no amounts), `sales` |
 * | `check:<check>` | `expected`, `actual`, `difference` (actual − expected), `ok:true\|false` |
 *
 * Costs and allocations are positive for money out, as in the statement. Times are ISO with the
 * zone's offset (`options.timeZone`, default `Asia/Shanghai`).
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { FundReport } from "@commonweal/core"
 *
 * const csv = FundReport.statementCsv(Result.getOrThrow(statement(input)))
 * // …
 * // pool:general,donations,125000,1250.00
 * // pool:elderly-meals,earmarked,30000,300.00
 * // …
 * // check:pool general: opening + movements = closing / 期初 + 本期变动 = 期末,ok:true,,
 * ```
 */
export const statementCsv = (s: FundStatement, options: CsvOptions = {}): string => {
  const { zone, name: zoneName } = zoneOf(options.timeZone)
  const rows: Array<Row> = [
    ["statement", `community:${s.communityId}`],
    ["statement", `from:${isoOf(s.from, zone)}`],
    ["statement", `to_exclusive:${isoOf(s.to, zone)}`],
    ["statement", `time_zone:${zoneName}`],
    ["statement", `reconciled:${s.reconciliation.ok}`]
  ]
  for (const p of s.pools) {
    const section = `pool:${p.pool}`
    rows.push([section, `name:${p.name}`], [section, `account:${p.accountId}`], ...poolRows(section, p))
  }
  rows.push(...poolRows("total", s.total))
  const e = s.enterprise
  rows.push(
    ["enterprise", "opening", e.opening],
    ["enterprise", "sales", e.sales],
    ["enterprise", "design_fees", e.designFees],
    ["enterprise", "production_costs", e.productionCosts],
    ["enterprise", "proceeds_to_fund", e.proceedsToFund],
    ["enterprise", "other", e.other],
    ["enterprise", "closing", e.closing]
  )
  for (const p of e.byProduct) {
    const section = `product:${p.sku}`
    rows.push([section, `name:${p.name}`], [section, `quantity:${p.quantity}`], [section, "sales", p.amount])
  }
  for (const c of s.reconciliation.checks) {
    const section = `check:${c.check}`
    rows.push(
      [section, "expected", c.expected],
      [section, "actual", c.actual],
      [section, "difference", c.actual - c.expected],
      [section, `ok:${c.ok}`]
    )
  }
  return table(rows, options)
}
