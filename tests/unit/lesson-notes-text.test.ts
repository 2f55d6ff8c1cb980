import { describe, expect, it } from 'vitest'
import { checkHighlightRange, htmlPlainText, locateHighlight, markHighlights } from '~/domain/lesson-notes'
import { renderMarkdown } from '~/utils/markdown.server'

const TRANSCRIPT = '第一段：价格 & 规模 <不是> "口号"。\n\n第二段，**飞轮**效应。\n\n- 一\n- 二 🙂\n\n| 甲 | 乙 |\n|---|---|\n| 丙 | 丁 |'

describe('the 文稿 plain text', () => {
  it('is the rendered text with tags dropped and entities decoded, as textContent reads it', () => {
    const html = renderMarkdown(TRANSCRIPT, 'staff')
    const text = htmlPlainText(html)
    expect(text).toContain('第一段：价格 & 规模 <不是> "口号"。')
    expect(text).toContain('第二段，飞轮效应。')
    expect(text).toContain('二 🙂')
    expect(text).not.toMatch(/<\/?[a-z]/)
  })

  it('accepts a range whose quote is the text between its offsets, and refuses the others with a code', () => {
    const text = htmlPlainText(renderMarkdown(TRANSCRIPT, 'staff'))
    const start = text.indexOf('飞轮效应')
    expect(checkHighlightRange(text, { startOffset: start, endOffset: start + 4, quote: '飞轮效应' })).toEqual({ ok: true })
    expect(checkHighlightRange(text, { startOffset: start, endOffset: start + 4, quote: '飞轮效果' })).toEqual({ ok: false, reason: 'quote_mismatch' })
    expect(checkHighlightRange(text, { startOffset: text.length - 1, endOffset: text.length + 3, quote: 'x' })).toEqual({ ok: false, reason: 'outside' })
    expect(checkHighlightRange(text, { startOffset: -1, endOffset: 2, quote: 'x' })).toEqual({ ok: false, reason: 'outside' })
    expect(checkHighlightRange(text, { startOffset: 5, endOffset: 5, quote: '' })).toEqual({ ok: false, reason: 'outside' })
    const gap = text.indexOf('\n')
    expect(checkHighlightRange(text, { startOffset: gap, endOffset: gap + 1, quote: '\n' })).toEqual({ ok: false, reason: 'empty' })
    expect(checkHighlightRange('字'.repeat(3000), { startOffset: 0, endOffset: 2001, quote: '字'.repeat(2001) })).toEqual({ ok: false, reason: 'too_long' })
  })
})

describe('drawing highlights into the 文稿', () => {
  it('wraps only text, keeps the textContent, and puts an anchor before each highlight', () => {
    const html = renderMarkdown(TRANSCRIPT, 'staff')
    const text = htmlPlainText(html)
    const a = text.indexOf('价格 & 规模')
    const b = text.indexOf('飞轮')
    // One highlight across two paragraphs (and the whitespace between them), one inside it.
    const marked = markHighlights(html, [
      { id: 7, startOffset: a, endOffset: b + 2 },
      { id: 9, startOffset: b, endOffset: b + 2 },
    ])
    expect(htmlPlainText(marked)).toBe(text)
    expect(marked).toContain('<span id="note-7"')
    expect(marked).toContain('<span id="note-9"')
    expect(marked).toMatch(/<mark [^>]*data-note="7">价格 &amp; 规模 &lt;不是&gt; "口号"。<\/mark>/)
    // The innermost highlight owns the overlap.
    expect(marked).toMatch(/<mark [^>]*data-note="9">飞轮<\/mark>/)
    // The newline between the paragraphs is not wrapped.
    expect(marked).toContain('</mark></p>\n<p>')
  })

  it('leaves the whitespace between table rows bare, so the table is not broken', () => {
    const html = renderMarkdown(TRANSCRIPT, 'staff')
    const text = htmlPlainText(html)
    const marked = markHighlights(html, [{ id: 1, startOffset: text.indexOf('甲'), endOffset: text.indexOf('丁') + 1 }])
    expect(htmlPlainText(marked)).toBe(text)
    expect(marked).not.toMatch(/<mark[^>]*>\s+<\/mark>/)
    expect(marked).toMatch(/<td>\s*<mark [^>]*>丁<\/mark>\s*<\/td>/)
  })

  it('finds a passage again after the 文稿 moved it, and gives up when it is gone', () => {
    const quote = '飞轮效应'
    expect(locateHighlight('前言。飞轮效应。', { startOffset: 0, endOffset: 4, quote })).toEqual({ startOffset: 3, endOffset: 7 })
    expect(locateHighlight('飞轮效应……飞轮效应', { startOffset: 6, endOffset: 10, quote })).toEqual({ startOffset: 6, endOffset: 10 })
    expect(locateHighlight('另一篇文稿', { startOffset: 0, endOffset: 4, quote })).toBeNull()
  })
})
