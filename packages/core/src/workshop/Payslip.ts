/**
 * Renderers of the workshop's papers: a worker's payslip (工资单) as a printable HTML page and as
 * CSV, a pay period's slips as CSV, and a factory's invoice (发票/对账单) as a printable page.
 *
 * Everything here is pure: a record in, a string out, no clock, no I/O. The safety rules are the
 * fund report's (`FundReport`), whose helpers these use:
 *
 * - **HTML** pages are self-contained (inline CSS, no scripts, no fonts, images or links to
 *   fetch, and a Content-Security-Policy that forbids them), print on A4, and carry every label
 *   in Chinese first with English beside or below. Every text from users (names, titles, notes)
 *   is HTML-escaped.
 * - **CSV** follows RFC 4180: CRLF line ends, a header row, fields quoted when they hold `,`,
 *   `"`, CR or LF, quotes doubled; text fields starting with `=`, `+`, `-`, `@`, a tab or a
 *   carriage return get a leading apostrophe so a spreadsheet never runs them as formulas.
 *   Amounts are plain numbers (`1400`, `14.00`, `-200`). Pass `{ bom: true }` for Excel on
 *   Windows.
 * - **Amounts** are integer fen shown as yuan exactly: `¥12.34`, `-¥2.00`.
 * - **Dates** are days in the community's time zone (default `Asia/Shanghai`); a period
 *   `[from, to)` is shown with its last day inclusive.
 *
 * @example
 * ```ts
 * import { Payslips } from "@commonweal/core"
 *
 * const page = Payslips.toHtml(slip)               // print it and hand it to the worker
 * const sheet = Payslips.toCsv(slip, { bom: true }) // the same lines in a spreadsheet
 * const all = Payslips.periodCsv(period, names)     // every worker's totals for the period
 * ```
 *
 * The renderers are the members of the {@link Payslips} object (as the fund's are of the
 * `FundReport` namespace), so that `export * from "./Payslip.js"` adds no bare `toHtml` or
 * `toCsv` to the package's exports.
 *
 * @module
 */
import { DateTime, Option } from "effect"
import { csvField, escapeHtml, yuan } from "../fund/Report.js"
import type {
  Factory,
  Invoice,
  InvoiceStatus,
  PayLine,
  PayLineKind,
  PayLineStatus,
  PayPeriod,
  PayPeriodId,
  PayPeriodStatus,
  PayslipTotals,
  WorkerId,
  WorkOrder,
  WorkOrderId
} from "./Workshop.js"

/**
 * Everything a worker's payslip shows: the community, the period, the worker, the period's lines
 * of that worker, the slip's totals, and the orders the lines refer to (for their titles).
 */
export interface Payslip {
  /** The community's name, printed in the heading. */
  readonly communityName: string
  readonly period: {
    readonly id: PayPeriodId
    readonly from: number
    readonly to: number
    readonly status: PayPeriodStatus
  }
  readonly worker: { readonly id: WorkerId; readonly displayName: string }
  /** The worker's lines in the period. */
  readonly lines: ReadonlyArray<PayLine>
  /** The worker's totals, as the period froze them. */
  readonly totals: PayslipTotals
  /** The orders the lines refer to. */
  readonly orders: ReadonlyArray<{ readonly id: WorkOrderId; readonly title: string; readonly sku: string }>
}

/**
 * Options of the HTML renderers.
 *
 * @example
 * ```ts
 * Payslips.toHtml(slip, { timeZone: "Asia/Shanghai" })
 * ```
 */
export interface PayslipHtmlOptions {
  /** The IANA time zone of the dates shown. Default `Asia/Shanghai`; an unknown zone falls back to it. */
  readonly timeZone?: string
}

/**
 * Options of the CSV renderers.
 *
 * @example
 * ```ts
 * Payslips.toCsv(slip, { bom: true }) // for Excel on Windows
 * ```
 */
export interface PayslipCsvOptions {
  /** The IANA time zone of the dates written. Default `Asia/Shanghai`; an unknown zone falls back to it. */
  readonly timeZone?: string
  /** Start with a UTF-8 byte order mark (U+FEFF), for Excel. Default `false`. */
  readonly bom?: boolean
}

// ---------------------------------------------------------------------------------------------
// dates (as the fund report shows them)

const zoneOf = (timeZone: string | undefined): { readonly zone: DateTime.TimeZone; readonly name: string } => {
  const named = DateTime.zoneMakeNamed(timeZone ?? "Asia/Shanghai")
  return Option.isSome(named)
    ? { zone: named.value, name: timeZone ?? "Asia/Shanghai" }
    : { zone: DateTime.zoneMakeNamedUnsafe("Asia/Shanghai"), name: "Asia/Shanghai" }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** `YYYY-MM-DD` in the zone; `?` for a time that is not one. */
const dayOf = (millis: number, zone: DateTime.TimeZone): string => {
  if (!Number.isFinite(millis)) return "?"
  const p = Option.getOrUndefined(Option.map(DateTime.makeZoned(millis, { timeZone: zone }), DateTime.toParts))
  return p === undefined ? "?" : `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
}

/** The first and the last day (inclusive) of a period `[from, to)`. */
const periodDays = (from: number, to: number, zone: DateTime.TimeZone) =>
  ({ first: dayOf(from, zone), last: dayOf(to - 1, zone) }) as const

// ---------------------------------------------------------------------------------------------
// words

/**
 * A pay line's kind in Chinese and English.
 *
 * @example
 * ```ts
 * payLineKindLabels.earning // ["计件工资", "Piece earnings"]
 * ```
 */
export const payLineKindLabels: Readonly<Record<PayLineKind, readonly [zh: string, en: string]>> = {
  earning: ["计件工资", "Piece earnings"],
  reject_pay: ["不合格品计酬", "Pay for rejected pieces"],
  bonus: ["奖励", "Bonus"],
  deduction: ["扣款", "Deduction"]
}

/**
 * A pay line's status in Chinese and English.
 *
 * @example
 * ```ts
 * payLineStatusLabels.proposed // ["待确认", "Proposed"]
 * ```
 */
export const payLineStatusLabels: Readonly<Record<PayLineStatus, readonly [zh: string, en: string]>> = {
  confirmed: ["已确认", "Confirmed"],
  proposed: ["待确认", "Proposed"],
  dismissed: ["已撤销", "Dismissed"]
}

/**
 * A pay period's status in Chinese and English.
 *
 * @example
 * ```ts
 * payPeriodStatusLabels.paid // ["已发放", "Paid"]
 * ```
 */
export const payPeriodStatusLabels: Readonly<Record<PayPeriodStatus, readonly [zh: string, en: string]>> = {
  closed: ["已结算，待发放", "Closed, not yet paid"],
  paid: ["已发放", "Paid"]
}

/**
 * An invoice's status in Chinese and English.
 *
 * @example
 * ```ts
 * invoiceStatusLabels.issued // ["已开具，待付款", "Issued, awaiting payment"]
 * ```
 */
export const invoiceStatusLabels: Readonly<Record<InvoiceStatus, readonly [zh: string, en: string]>> = {
  issued: ["已开具，待付款", "Issued, awaiting payment"],
  paid: ["已付款", "Paid"]
}

const labelOf = <K extends string>(
  labels: Readonly<Record<K, readonly [string, string]>>,
  key: string
): readonly [string, string] => (Object.hasOwn(labels, key) ? labels[key as K] : [key, key])

/**
 * The pay a slip's earnings come to per standard hour, in fen (rounded down): `earnedFen` over
 * `standardHours`; `null` when the slip has no standard hours.
 */
const effectiveHourlyFen = (totals: PayslipTotals): number | null => {
  const hundredths = Math.round(totals.standardHours * 100)
  return hundredths <= 0 ? null : Math.floor((totals.earnedFen * 100) / hundredths)
}

/** Standard hours with two decimals: `12.50`. */
const hours = (h: number): string => (Number.isFinite(h) ? h.toFixed(2) : "?")

// ---------------------------------------------------------------------------------------------
// HTML

/** Chinese first, English beside in a smaller span. Both are escaped. */
const bi = (zh: string, en: string): string => `${escapeHtml(zh)} <span class="en">${escapeHtml(en)}</span>`

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
h1 .en, h2 .en { display: block; font-size: 0.72em; font-weight: normal; }
.en { font-size: 0.85em; }
p { margin: 3pt 0; }
table { width: 100%; border-collapse: collapse; margin: 4pt 0 8pt; }
th, td { border: 0.75pt solid #000; padding: 2pt 5pt; text-align: left; vertical-align: top; font-weight: normal; }
thead th { font-weight: bold; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: bold; }
.muted { font-style: italic; }
.check { border: 1.5pt solid #000; padding: 4pt 6pt; margin: 12pt 0 6pt; font-weight: bold; }
.sign { margin-top: 24pt; display: flex; gap: 24pt; }
.sign p { flex: 1; border-top: 0.75pt solid #000; padding-top: 2pt; }
footer { margin-top: 10pt; font-size: 9pt; }
@media print {
  body { padding: 0; max-width: none; font-size: 10.5pt; }
  section, tr, .check { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
}
`

const page = (title: string, body: string): string => `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>
`

const totalRow = (zh: string, en: string, value: string, cls = ""): string =>
  `<tr${cls === "" ? "" : ` class="${cls}"`}><th scope="row">${bi(zh, en)}</th><td class="num">${escapeHtml(value)}</td></tr>`

/** The sum of the amounts of a slip's confirmed lines (what its net should be). */
const confirmedSum = (lines: ReadonlyArray<PayLine>): number =>
  lines.reduce((sum, l) => (l.status === "confirmed" ? sum + l.amountFen : sum), 0)

/**
 * A worker's payslip (工资单 Payslip) as one self-contained, printable A4 HTML page: the
 * worker's name, the period (last day inclusive) and its status, the totals (计件工资 Piece
 * earnings, 奖励 Bonus, 扣款 Deductions, 实发 Net pay, 合格件数 Accepted pieces, 标准工时
 * Standard hours, 有效时薪 Effective hourly), every line with its date, order, kind, pieces,
 * rate, amount and note, a check that the confirmed lines add up to the net pay, and lines for
 * signatures. Every text is HTML-escaped; the page loads and runs nothing.
 *
 * @example
 * ```ts
 * const html = Payslips.toHtml(slip) // serve as text/html; charset=utf-8, or print
 * ```
 */
const toHtml = (slip: Payslip, options: PayslipHtmlOptions = {}): string => {
  const { zone, name: zoneName } = zoneOf(options.timeZone)
  const { first, last } = periodDays(slip.period.from, slip.period.to, zone)
  const community = escapeHtml(slip.communityName)
  const name = escapeHtml(slip.worker.displayName)
  const t = slip.totals
  const orders = new Map(slip.orders.map((o) => [o.id as string, o]))
  const [statusZh, statusEn] = labelOf(payPeriodStatusLabels, slip.period.status)
  const hourly = effectiveHourlyFen(t)
  const lineRows = slip.lines.map((l) => {
    const order = l.orderId === null ? undefined : orders.get(l.orderId)
    const [kindZh, kindEn] = labelOf(payLineKindLabels, l.kind)
    const [stZh, stEn] = labelOf(payLineStatusLabels, l.status)
    const orderText = order === undefined ? (l.orderId === null ? "—" : l.orderId) : `${order.title} (${order.sku})`
    return [
      `<tr>`,
      `<td>${escapeHtml(dayOf(l.occurredAt, zone))}</td>`,
      `<td>${escapeHtml(orderText)}</td>`,
      `<td>${bi(kindZh, kindEn)}${l.status === "confirmed" ? "" : ` · ${bi(stZh, stEn)}`}</td>`,
      `<td class="num">${l.quantity === null ? "" : escapeHtml(String(l.quantity))}</td>`,
      `<td class="num">${l.rateFen === null ? "" : escapeHtml(yuan(l.rateFen))}</td>`,
      `<td class="num">${escapeHtml(yuan(l.amountFen))}</td>`,
      `<td>${escapeHtml(l.note)}</td>`,
      `</tr>`
    ].join("")
  })
  const lines =
    slip.lines.length === 0
      ? `<p class="muted">${bi("本期没有工资明细。", "No pay lines in this period.")}</p>`
      : [
          `<table>`,
          `<thead><tr><th scope="col">${bi("日期", "Date")}</th><th scope="col">${bi("工单", "Order")}</th><th scope="col">${bi("类别", "Kind")}</th><th scope="col" class="num">${bi("件数", "Pieces")}</th><th scope="col" class="num">${bi("单价", "Rate")}</th><th scope="col" class="num">${bi("金额", "Amount")}</th><th scope="col">${bi("说明", "Note")}</th></tr></thead>`,
          `<tbody>`,
          ...lineRows,
          `</tbody>`,
          `</table>`
        ].join("\n")
  const sum = confirmedSum(slip.lines)
  const check =
    sum === t.netFen
      ? `<p class="check">✓ ${bi("明细合计与实发金额一致。", "The lines add up to the net pay.")}</p>`
      : `<p class="check">✗ ${bi(
          `明细合计 ${yuan(sum)} 与实发金额不一致，请向工坊协调员查询。`,
          `The lines add up to ${yuan(sum)}, not the net pay: please ask the workshop coordinator.`
        )}</p>`
  const body = `<header>
<h1>${community} 馨工坊 工资单<span class="en">${community}: Xin Workshop payslip</span></h1>
<p>${bi("姓名", "Name")}: <strong>${name}</strong></p>
<p>${bi("结算期间", "Period")}: <strong>${escapeHtml(first)} 至 ${escapeHtml(last)}</strong> <span class="en">(${escapeHtml(first)} to ${escapeHtml(last)}, ${escapeHtml(zoneName)})</span></p>
<p>${bi("状态", "Status")}: <strong>${escapeHtml(statusZh)}</strong> <span class="en">${escapeHtml(statusEn)}</span></p>
</header>
<main>
<section>
<h2>合计<span class="en">Totals</span></h2>
<table>
<tbody>
${totalRow("计件工资", "Piece earnings", yuan(t.earnedFen))}
${totalRow("奖励", "Bonus", yuan(t.bonusFen))}
${totalRow("扣款", "Deductions", yuan(-t.deductedFen))}
${totalRow("实发", "Net pay", yuan(t.netFen), "total")}
${totalRow("合格件数", "Accepted pieces", String(t.pieces))}
${totalRow("标准工时", "Standard hours", hours(t.standardHours))}
${totalRow("有效时薪", "Effective hourly", hourly === null ? "—" : `${yuan(hourly)}/h`)}
</tbody>
</table>
<p class="muted">${bi(
    "计件工资含不合格品计酬；有效时薪 = 计件工资 ÷ 标准工时。",
    "Piece earnings include pay for rejected pieces; effective hourly = piece earnings ÷ standard hours."
  )}</p>
</section>
<section>
<h2>明细<span class="en">Pay lines</span></h2>
${lines}
</section>
${check}
<div class="sign"><p>${bi("工人签收", "Received by the worker")}</p><p>${bi("协调员", "Coordinator")}</p></div>
</main>
<footer>
<p>${bi("工资单编号", "Payslip of period")}: ${escapeHtml(slip.period.id)} · ${escapeHtml(slip.worker.id)}</p>
</footer>`
  return page(`${community} 工资单 / Payslip · ${name} · ${escapeHtml(first)} – ${escapeHtml(last)}`, body)
}

/**
 * A factory's invoice (发票/对账单 Invoice) as one self-contained, printable A4 HTML page: its
 * number, dates and status, the factory billed, the order, pieces, unit price and amount.
 * Every text is HTML-escaped.
 *
 * @example
 * ```ts
 * const html = Payslips.invoiceHtml(invoice, factory, order, "君馨社区")
 * ```
 */
const invoiceHtml = (
  invoice: Invoice,
  factory: Factory,
  order: WorkOrder,
  communityName: string,
  options: PayslipHtmlOptions = {}
): string => {
  const { zone, name: zoneName } = zoneOf(options.timeZone)
  const community = escapeHtml(communityName)
  const [statusZh, statusEn] = labelOf(invoiceStatusLabels, invoice.status)
  const body = `<header>
<h1>${community} 馨工坊 发票/对账单<span class="en">${community}: Xin Workshop invoice</span></h1>
<p>${bi("编号", "Number")}: <strong>${escapeHtml(invoice.number)}</strong></p>
<p>${bi("开具日期", "Issued")}: ${escapeHtml(dayOf(invoice.issuedAt, zone))} <span class="en">(${escapeHtml(zoneName)})</span></p>
<p>${bi("状态", "Status")}: <strong>${escapeHtml(statusZh)}</strong> <span class="en">${escapeHtml(statusEn)}</span>${
    invoice.paidAt === null ? "" : ` · ${bi("付款日期", "Paid")}: ${escapeHtml(dayOf(invoice.paidAt, zone))}`
  }</p>
</header>
<main>
<section>
<h2>付款方<span class="en">Bill to</span></h2>
<p><strong>${escapeHtml(factory.name)}</strong></p>
<p>${bi("联系方式", "Contact")}: ${escapeHtml(factory.contact)}</p>
</section>
<section>
<h2>明细<span class="en">Items</span></h2>
<table>
<thead><tr><th scope="col">${bi("工单", "Order")}</th><th scope="col">${bi("产品编号", "SKU")}</th><th scope="col" class="num">${bi("件数", "Pieces")}</th><th scope="col" class="num">${bi("单价", "Unit price")}</th><th scope="col" class="num">${bi("金额", "Amount")}</th></tr></thead>
<tbody>
<tr><td>${escapeHtml(order.title)}</td><td>${escapeHtml(order.sku)}</td><td class="num">${escapeHtml(String(invoice.pieces))}</td><td class="num">${escapeHtml(yuan(invoice.priceFen))}</td><td class="num">${escapeHtml(yuan(invoice.amountFen))}</td></tr>
<tr class="total"><th scope="row" colspan="4">${bi("合计", "Total")}</th><td class="num">${escapeHtml(yuan(invoice.amountFen))}</td></tr>
</tbody>
</table>
<p class="muted">${bi("已交付并验收合格的组装件，此前未开票部分。", "Assembled items delivered and accepted, not invoiced before.")}</p>
</section>
</main>
<footer>
<p>${bi("开票单位", "Issued by")}: ${community} 馨工坊 <span class="en">Xin Workshop</span></p>
</footer>`
  return page(`${community} 发票/对账单 / Invoice ${escapeHtml(invoice.number)}`, body)
}

// ---------------------------------------------------------------------------------------------
// CSV

const numeral = (n: number): string => (Number.isFinite(n) ? String(n) : "")

/** `14.00`, `-0.01`: the amount of fen as plain yuan, exactly; empty for a non-integer. */
const plainYuan = (fen: number): string => {
  if (!Number.isSafeInteger(fen)) return ""
  const abs = Math.abs(fen)
  return `${fen < 0 ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
}

const csv = (header: string, rows: ReadonlyArray<string>, options: PayslipCsvOptions): string =>
  `${options.bom === true ? "\uFEFF" : ""}${[header, ...rows].join("\r\n")}\r\n`

/**
 * A worker's payslip as CSV (RFC 4180, CRLF), columns
 * `worker,date,order,sku,kind,status,quantity,rate_fen,amount_fen,amount_yuan,note`: one row
 * per line, then the totals rows `total_earned` (with the accepted pieces as its quantity),
 * `total_bonus`, `total_deducted` (negative) and `total_net`. Text fields are quoted as needed
 * and guarded against formula injection.
 *
 * @example
 * ```ts
 * Payslips.toCsv(slip)
 * // worker,date,order,sku,kind,status,quantity,rate_fen,amount_fen,amount_yuan,note
 * // 王阿姨,2026-08-03,文件夹夹子,CLIP-A3,earning,confirmed,40,35,1400,14.00,40 accepted at ¥0.35 / …
 * // …
 * // 王阿姨,,,,total_net,,,,1200,12.00,
 * ```
 */
const toCsv = (slip: Payslip, options: PayslipCsvOptions = {}): string => {
  const { zone } = zoneOf(options.timeZone)
  const orders = new Map(slip.orders.map((o) => [o.id as string, o]))
  const worker = csvField(slip.worker.displayName)
  const rows = slip.lines.map((l) => {
    const order = l.orderId === null ? undefined : orders.get(l.orderId)
    return [
      worker,
      dayOf(l.occurredAt, zone),
      csvField(order?.title ?? l.orderId ?? ""),
      csvField(order?.sku ?? ""),
      l.kind,
      l.status,
      l.quantity === null ? "" : numeral(l.quantity),
      l.rateFen === null ? "" : numeral(l.rateFen),
      numeral(l.amountFen),
      plainYuan(l.amountFen),
      csvField(l.note)
    ].join(",")
  })
  const t = slip.totals
  const total = (kind: string, fen: number, quantity = ""): string =>
    [worker, "", "", "", kind, "", quantity, "", numeral(fen), plainYuan(fen), ""].join(",")
  rows.push(
    total("total_earned", t.earnedFen, numeral(t.pieces)),
    total("total_bonus", t.bonusFen),
    total("total_deducted", -t.deductedFen),
    total("total_net", t.netFen)
  )
  return csv("worker,date,order,sku,kind,status,quantity,rate_fen,amount_fen,amount_yuan,note", rows, options)
}

/**
 * A pay period's slips as CSV (RFC 4180, CRLF), one row per worker, columns
 * `period,from,to,status,worker_id,worker,earned_fen,bonus_fen,deducted_fen,net_fen,net_yuan,pieces,standard_hours,transfer_id`;
 * `names` maps worker ids to the names printed (a missing one is left empty).
 *
 * @example
 * ```ts
 * Payslips.periodCsv(period, new Map(workers.map((w) => [w.id, w.displayName])), { bom: true })
 * ```
 */
const periodCsv = (period: PayPeriod, names: ReadonlyMap<string, string>, options: PayslipCsvOptions = {}): string => {
  const { zone } = zoneOf(options.timeZone)
  const { first, last } = periodDays(period.from, period.to, zone)
  const rows = period.slips.map((s) =>
    [
      period.id,
      first,
      last,
      period.status,
      s.workerId,
      csvField(names.get(s.workerId) ?? ""),
      numeral(s.earnedFen),
      numeral(s.bonusFen),
      numeral(s.deductedFen),
      numeral(s.netFen),
      plainYuan(s.netFen),
      numeral(s.pieces),
      hours(s.standardHours),
      s.transferId ?? ""
    ].join(",")
  )
  return csv(
    "period,from,to,status,worker_id,worker,earned_fen,bonus_fen,deducted_fen,net_fen,net_yuan,pieces,standard_hours,transfer_id",
    rows,
    options
  )
}

/** The renderers {@link Payslips} holds. */
export interface PayslipRenderers {
  /**
   * A worker's payslip (工资单 Payslip) as one self-contained, printable A4 HTML page: the
   * worker's name, the period (last day inclusive) and its status, the totals (计件工资 Piece
   * earnings, 奖励 Bonus, 扣款 Deductions, 实发 Net pay, 合格件数 Accepted pieces, 标准工时
   * Standard hours, 有效时薪 Effective hourly), every line with its date, order, kind, pieces,
   * rate, amount and note, a check that the confirmed lines add up to the net pay, and lines for
   * signatures. Every text is HTML-escaped; the page loads and runs nothing.
   *
   * @example
   * ```ts
   * const html = Payslips.toHtml(slip) // serve as text/html; charset=utf-8, or print
   * ```
   */
  readonly toHtml: (slip: Payslip, options?: PayslipHtmlOptions) => string
  /**
   * A worker's payslip as CSV (RFC 4180, CRLF), columns
   * `worker,date,order,sku,kind,status,quantity,rate_fen,amount_fen,amount_yuan,note`: one row
   * per line, then the totals rows `total_earned` (with the accepted pieces as its quantity),
   * `total_bonus`, `total_deducted` (negative) and `total_net`. Text fields are quoted as needed
   * and guarded against formula injection.
   *
   * @example
   * ```ts
   * Payslips.toCsv(slip)
   * // worker,date,order,sku,kind,status,quantity,rate_fen,amount_fen,amount_yuan,note
   * // 王阿姨,2026-08-03,文件夹夹子,CLIP-A3,earning,confirmed,40,35,1400,14.00,40 accepted at ¥0.35 / …
   * // …
   * // 王阿姨,,,,total_net,,,,1200,12.00,
   * ```
   */
  readonly toCsv: (slip: Payslip, options?: PayslipCsvOptions) => string
  /**
   * A pay period's slips as CSV (RFC 4180, CRLF), one row per worker, columns
   * `period,from,to,status,worker_id,worker,earned_fen,bonus_fen,deducted_fen,net_fen,net_yuan,pieces,standard_hours,transfer_id`;
   * `names` maps worker ids to the names printed (a missing one is left empty).
   *
   * @example
   * ```ts
   * Payslips.periodCsv(period, new Map(workers.map((w) => [w.id, w.displayName])), { bom: true })
   * ```
   */
  readonly periodCsv: (period: PayPeriod, names: ReadonlyMap<string, string>, options?: PayslipCsvOptions) => string
  /**
   * A factory's invoice (发票/对账单 Invoice) as one self-contained, printable A4 HTML page: its
   * number, dates and status, the factory billed, the order, pieces, unit price and amount.
   * Every text is HTML-escaped.
   *
   * @example
   * ```ts
   * const html = Payslips.invoiceHtml(invoice, factory, order, "君馨社区")
   * ```
   */
  readonly invoiceHtml: (
    invoice: Invoice,
    factory: Factory,
    order: WorkOrder,
    communityName: string,
    options?: PayslipHtmlOptions
  ) => string
}

/**
 * The workshop's printable papers: payslips (HTML and CSV), a period's slips (CSV) and invoices
 * (HTML). See the module's documentation for the safety rules they keep.
 *
 * @example
 * ```ts
 * import { Payslips } from "@commonweal/core"
 *
 * Payslips.toHtml(slip)
 * Payslips.toCsv(slip, { bom: true })
 * Payslips.periodCsv(period, names)
 * Payslips.invoiceHtml(invoice, factory, order, "君馨社区")
 * ```
 */
export const Payslips: PayslipRenderers = { toHtml, toCsv, periodCsv, invoiceHtml }
