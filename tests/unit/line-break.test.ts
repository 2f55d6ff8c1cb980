import { describe, expect, it } from 'vitest'
import { keepSeparatorsWithPrevious } from '~/utils/line-break'

describe('a spaced separator never starts a line', () => {
  it.each([
    ['铁杆专属 · 黑金笔记本', '铁杆专属\u00a0· 黑金笔记本'],
    ['知音 ・ 文具精选', '知音\u00a0・ 文具精选'],
    ['限量 500 · 剩 37 · 每份独立编号', '限量 500\u00a0· 剩 37\u00a0· 每份独立编号'],
    ['A  •  B', 'A\u00a0•  B'],
  ])('%s', (text, expected) => {
    expect(keepSeparatorsWithPrevious(text)).toBe(expected)
  })

  it('leaves text without a spaced separator as it is', () => {
    for (const text of ['知音·十周年', '价格 ¥99', '', '·开头']) expect(keepSeparatorsWithPrevious(text)).toBe(text)
  })
})
