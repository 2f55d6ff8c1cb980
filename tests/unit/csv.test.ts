import { describe, expect, it } from 'vitest'
import { contentDisposition, csvCell, csvResponse } from '~/utils/csv.server'

async function* rowsOf(rows: unknown[][]) {
  for (const row of rows) yield row
}

async function bytesOf(response: Response) {
  return new Uint8Array(await response.arrayBuffer())
}

describe('csvCell', () => {
  it('leaves plain text, Chinese and numbers as they are', () => {
    expect(csvCell('知音 限量笔记本')).toBe('知音 限量笔记本')
    expect(csvCell(6800)).toBe('6800')
    expect(csvCell(-12)).toBe('-12')
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
  })

  it('quotes commas, quotes and line breaks (RFC 4180), doubling quotes', () => {
    expect(csvCell('上海市,浦东新区')).toBe('"上海市,浦东新区"')
    expect(csvCell('他说"你好"')).toBe('"他说""你好"""')
    expect(csvCell('第一行\n第二行')).toBe('"第一行\n第二行"')
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"')
  })

  it('prefixes text that a spreadsheet would run as a formula with a single quote', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","点我")')).toBe(`"'=HYPERLINK(""http://evil.example"",""点我"")"`)
    expect(csvCell('+86 138')).toBe("'+86 138")
    expect(csvCell('-1+2')).toBe("'-1+2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\t=1')).toBe("'\t=1")
    // Only the first character matters.
    expect(csvCell('a=1')).toBe('a=1')
  })
})

describe('csvResponse', () => {
  it('starts with a UTF-8 BOM, ends lines with CRLF and keeps Chinese intact', async () => {
    const response = csvResponse('orders.csv', ['订单号', '商品'], rowsOf([[1, '逻辑思维笔记本'], [2, '知音 "限量" 帆布袋, 黑色']]))
    const bytes = await bytesOf(response)
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(text).toBe('\uFEFF订单号,商品\r\n1,逻辑思维笔记本\r\n2,"知音 ""限量"" 帆布袋, 黑色"\r\n')
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
  })

  it('names a Chinese file with an ASCII fallback and an RFC 5987 filename*', () => {
    const response = csvResponse('知音订单-2026-11-23.csv', ['a'], rowsOf([]))
    expect(response.headers.get('Content-Disposition')).toBe(
      `attachment; filename="____-2026-11-23.csv"; filename*=UTF-8''${encodeURIComponent('知音订单')}-2026-11-23.csv`,
    )
    expect(contentDisposition("it's (1).csv")).toBe(`attachment; filename="it's (1).csv"; filename*=UTF-8''it%27s%20%281%29.csv`)
  })

  it('reads rows only as the body is read, in chunks, and stops reading when the client goes away', async () => {
    let produced = 0
    let finished = false
    async function* many() {
      try {
        for (let i = 0; i < 100_000; i++) {
          produced++
          yield [i, '一行示例数据，用来填满块']
        }
      } finally {
        finished = true
      }
    }
    const reader = csvResponse('big.csv', ['n', 'text'], many()).body!.getReader()
    const first = await reader.read()
    expect(first.done).toBe(false)
    // One chunk of about 64 KB plus at most one more buffered: a few thousand rows, not 100,000.
    expect(produced).toBeGreaterThan(100)
    expect(produced).toBeLessThan(10_000)
    await reader.cancel()
    expect(finished).toBe(true)
    expect(produced).toBeLessThan(10_000)
  })

  it('sends a long export as many chunks', async () => {
    async function* rows() {
      for (let i = 0; i < 20_000; i++) yield [i, '上海市浦东新区世纪大道 100 号', 'SF1234567890']
    }
    const reader = csvResponse('big.csv', ['n', 'address', 'tracking'], rows()).body!.getReader()
    let chunks = 0
    let lines = 0
    const decoder = new TextDecoder()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks++
      lines += decoder.decode(value, { stream: true }).split('\r\n').length - 1
    }
    expect(lines).toBe(20_001)
    expect(chunks).toBeGreaterThan(10)
  })
})
