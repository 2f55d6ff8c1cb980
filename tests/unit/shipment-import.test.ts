// 批量发货 files: CSV as the order export writes it (filled in), or three columns typed or
// pasted from a spreadsheet; UTF-8 or GBK; every line in error reported, nothing shipped then.
import { describe, expect, it } from 'vitest'
import { MAX_SHIPMENTS_PER_FILE, decodeSpreadsheetText, parseCsv, readShipments } from '~/domain/shipment-import.server'
import { t } from '~/i18n/zh-CN'
import { csvLine } from '~/utils/csv.server'

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF or LF, and numbers rows by their first line', () => {
    const text = 'a,"b, c","say ""hi"""\r\n1,"two\nlines",3\n\n x ,y,z'
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b, c', 'say "hi"'] },
      { line: 2, cells: ['1', 'two\nlines', '3'] },
      { line: 5, cells: [' x ', 'y', 'z'] },
    ])
  })

  it('splits a line pasted from a spreadsheet on tabs', () => {
    expect(parseCsv('1024\t顺丰速运\tSF123456\n1025\t中通快递\t7881234567')).toEqual([
      { line: 1, cells: ['1024', '顺丰速运', 'SF123456'] },
      { line: 2, cells: ['1025', '中通快递', '7881234567'] },
    ])
  })
})

describe('decodeSpreadsheetText', () => {
  it('reads UTF-8 with or without a BOM', () => {
    const bytes = new TextEncoder().encode('\uFEFF订单号,快递,单号')
    expect(decodeSpreadsheetText(bytes)).toBe('订单号,快递,单号')
  })

  it('reads GBK, what Excel and WPS save as CSV on a Chinese system', () => {
    // 「1,顺丰速运,SF1」 in GBK.
    const gbk = Uint8Array.from([0x31, 0x2c, 0xcb, 0xb3, 0xb7, 0xe1, 0xcb, 0xd9, 0xd4, 0xcb, 0x2c, 0x53, 0x46, 0x31])
    expect(decodeSpreadsheetText(gbk)).toBe('1,顺丰速运,SF1')
  })
})

describe('readShipments', () => {
  it('reads three columns, with or without a header, commas or tabs; tracking numbers lose spaces and go upper case', () => {
    const expected = [
      { orderId: 1024, carrier: '顺丰速运', trackingNumber: 'SF1234567890' },
      { orderId: 1025, carrier: '中通快递', trackingNumber: '78812345678' },
    ]
    expect(readShipments('1024,顺丰速运,sf 1234 5678 90\n#1025,中通快递,78812345678\n')).toEqual({ ok: true, shipments: expected, skipped: 0 })
    expect(readShipments('订单号\t快递\t单号\n1024\t顺丰速运\tSF1234567890\n1025\t中通快递\t78812345678')).toEqual({ ok: true, shipments: expected, skipped: 0 })
  })

  it('reads the order export filled in: one shipment per order whatever its lines, unfilled rows skipped', () => {
    const row = (id: number, carrier: string, tracking: string, title: string) =>
      csvLine([id, '2026-11-23 10:00', '已支付', '张三', 'a@b.cn', title, '', 1, '368.00', '37', '知音', '368.00', '张三', '13800138000', '北京市朝阳区建国路 88 号，2 号楼', carrier, tracking, '2026-11-23 10:01'])
    const file =
      '\uFEFF' +
      csvLine(t.adminOrders.csvHeader) +
      row(7, '顺丰速运', 'SF1000000007', '纪念钢笔') +
      row(7, '顺丰速运', 'SF1000000007', '书单') +
      row(8, '', '', '纪念钢笔') +
      row(9, 'EMS', 'EA123456789CN', '帆布袋')
    expect(readShipments(decodeSpreadsheetText(new TextEncoder().encode(file)))).toEqual({
      ok: true,
      shipments: [
        { orderId: 7, carrier: '顺丰速运', trackingNumber: 'SF1000000007' },
        { orderId: 9, carrier: 'EMS', trackingNumber: 'EA123456789CN' },
      ],
      skipped: 1,
    })
  })

  it('reports every line in error with its line number, and ships nothing', () => {
    const file = ['1,顺丰速运,SF1234567', 'abc,顺丰速运,SF1234567', '2,顺风快递,SF1234567', '3,EMS,12', '1,EMS,EA123456789CN', '4,EMS,', '5,,SF1234567'].join('\n')
    const read = readShipments(file)
    expect(read.ok).toBe(false)
    if (read.ok) return
    expect(read.errors.map((error) => error.line)).toEqual([2, 3, 4, 5, 6, 7])
    expect(read.errors[0]!.message).toBe('「abc」不是订单号')
    expect(read.errors[1]!.message).toBe('「顺风快递」不是可选的快递公司（见上方列表）')
    expect(read.errors[2]!.message).toBe('快递单号为 6–30 位字母或数字')
    expect(read.errors[3]!.message).toBe('订单 #1 在第 1 行已经填了不同的快递信息')
    expect(read.errors[5]!.message).toBe('请填写快递公司')
  })

  it('refuses an empty file and one where no row has a tracking number', () => {
    expect(readShipments('\n \n')).toEqual({ ok: false, errors: [{ line: 1, message: '文件是空的' }] })
    expect(readShipments(`${csvLine(t.adminOrders.csvHeader)}${csvLine([5, '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', ''])}`)).toEqual({
      ok: false,
      errors: [{ line: 1, message: '没有填写了快递单号的行' }],
    })
  })

  it(`takes at most ${MAX_SHIPMENTS_PER_FILE} orders a file`, () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1},EMS,EA${String(i).padStart(9, '0')}CN`).join('\n')
    expect(readShipments(lines(MAX_SHIPMENTS_PER_FILE)).ok).toBe(true)
    expect(readShipments(lines(MAX_SHIPMENTS_PER_FILE + 1))).toEqual({ ok: false, errors: [{ line: 1, message: '一次最多 1,000 单，请分成几个文件上传' }] })
  })
})
