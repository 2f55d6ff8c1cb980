// 批量发货: the shipments an admin uploads after a sell-out, read from CSV. The file is either
// the order export (/admin/orders/export) with 快递 and 单号 filled in, or three columns
// 订单号, 快递公司, 快递单号 (header optional), as typed or pasted from a spreadsheet (commas
// or tabs). Pure: the caller decodes the bytes (decodeSpreadsheetText) and ships in SQL.
// .server: it checks each line with a zod schema, which must stay out of the browser (decision 028).
import { t } from '~/i18n/zh-CN'
import { CARRIERS } from './admin-order-forms'
import { shipmentForm, type ShipmentInput } from './admin-order-forms.server'

const e = t.adminOrders.bulkShip.errors

/**
 * Orders one file may ship. They ship in one transaction, which holds SQLite's write lock
 * (checkouts wait) for about 1.3 ms an order: 1,000 keep that near a second.
 */
export const MAX_SHIPMENTS_PER_FILE = 1000

/** The largest file (or pasted text) taken: the export rows of 1,000 orders are well under it. */
export const MAX_SHIPMENT_FILE_BYTES = 2 * 1024 * 1024

export interface Shipment extends ShipmentInput {
  orderId: number
}

export interface LineError {
  /** 1-based line of the file, as a spreadsheet numbers its rows. */
  line: number
  message: string
}

export type ShipmentFile = { ok: true; shipments: Shipment[]; skipped: number } | { ok: false; errors: LineError[] }

/**
 * The text of an uploaded spreadsheet file: UTF-8 (with or without BOM), or GB18030 (which
 * covers GBK), what Excel and WPS write for 「CSV」 on a Chinese system.
 */
export function decodeSpreadsheetText(bytes: Uint8Array) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}

/**
 * Rows of CSV text (RFC 4180: quoted fields may hold commas, quotes as "" and line breaks),
 * each with the line it starts on. A line with a tab and no comma is split on tabs, as text
 * pasted from a spreadsheet is.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = []
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  let separator: ',' | '\t' | null = null
  const endRow = () => {
    cells.push(cell)
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells })
    cells = []
    cell = ''
    separator = null
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else {
        if (ch === '\n') line++
        cell += ch
      }
      continue
    }
    if (separator === null && cells.length === 0 && cell === '') {
      const end = text.indexOf('\n', i)
      const rest = text.slice(i, end === -1 ? undefined : end)
      separator = rest.includes('\t') && !rest.includes(',') ? '\t' : ','
      rowLine = line
    }
    if (ch === '"' && cell === '') quoted = true
    else if (ch === separator) {
      cells.push(cell)
      cell = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      endRow()
      line++
    } else cell += ch
  }
  if (cell !== '' || cells.length > 0) endRow()
  return rows
}

/** A cell as the export wrote it: trimmed, without the guard quote against spreadsheet formulas. */
function clean(cell: string | undefined) {
  return (cell ?? '').trim().replace(/^'/, '')
}

const ORDER_ID = /^#?([1-9]\d{0,11})$/

/** Reads the shipments of a file; every line in error is reported, and then none is shipped. */
export function readShipments(text: string): ShipmentFile {
  const rows = parseCsv(text)
  if (rows.length === 0) return { ok: false, errors: [{ line: 1, message: e.empty }] }

  // The export's header names its columns; otherwise the columns are 订单号, 快递公司, 快递单号.
  const header = rows[0]!.cells.map(clean)
  const named = { order: header.indexOf('订单号'), carrier: header.indexOf('快递'), tracking: header.indexOf('单号') }
  const columns =
    named.order !== -1 && named.carrier !== -1 && named.tracking !== -1
      ? named
      : { order: 0, carrier: 1, tracking: 2 }
  const body = named.order !== -1 ? rows.slice(1) : rows

  const errors: LineError[] = []
  const byOrder = new Map<number, Shipment & { line: number }>()
  let skipped = 0
  for (const { line, cells } of body) {
    const orderCell = clean(cells[columns.order])
    const carrier = clean(cells[columns.carrier])
    const tracking = clean(cells[columns.tracking])
    // A row of the export that nobody filled in: not shipped yet.
    if (carrier === '' && tracking === '') {
      skipped++
      continue
    }
    const id = ORDER_ID.exec(orderCell)
    if (!id) {
      errors.push({ line, message: e.orderId(orderCell) })
      continue
    }
    if (!(CARRIERS as readonly string[]).includes(carrier)) {
      errors.push({ line, message: e.carrier(carrier) })
      continue
    }
    const parsed = shipmentForm.safeParse({ carrier, trackingNumber: tracking })
    if (!parsed.success) {
      errors.push({ line, message: parsed.error.issues.map((issue) => issue.message).join('；') })
      continue
    }
    const orderId = Number(id[1])
    const earlier = byOrder.get(orderId)
    // The export repeats an order on each of its lines: the same shipment on each is one.
    if (earlier) {
      if (earlier.carrier !== parsed.data.carrier || earlier.trackingNumber !== parsed.data.trackingNumber) {
        errors.push({ line, message: e.conflict(orderId, earlier.line) })
      }
      continue
    }
    byOrder.set(orderId, { orderId, ...parsed.data, line })
  }
  if (errors.length > 0) return { ok: false, errors }
  if (byOrder.size === 0) return { ok: false, errors: [{ line: 1, message: e.nothingToShip }] }
  if (byOrder.size > MAX_SHIPMENTS_PER_FILE) return { ok: false, errors: [{ line: 1, message: e.tooMany(MAX_SHIPMENTS_PER_FILE) }] }
  const shipments = [...byOrder.values()].map(({ line: _line, ...shipment }) => shipment)
  return { ok: true, shipments, skipped }
}
