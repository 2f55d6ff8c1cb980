import { describe, expect, it } from 'vitest'
import { normalizeKeyword } from '~/domain/keyword'

describe('normalizeKeyword: what a reply is matched on', () => {
  it('folds full-width letters, case and surrounding spaces together: ＡＩ, ai and " AI " are one keyword', () => {
    expect(normalizeKeyword('ＡＩ')).toBe('ai')
    expect(normalizeKeyword('ai')).toBe('ai')
    expect(normalizeKeyword(' AI ')).toBe('ai')
    expect(normalizeKeyword('ＦＥＩＭＡＮ')).toBe(normalizeKeyword('Feiman'))
  })

  it('keeps Chinese as typed but trims it and collapses inner spaces, the ideographic space included', () => {
    expect(normalizeKeyword('遗忘曲线')).toBe('遗忘曲线')
    expect(normalizeKeyword('  遗忘曲线 ')).toBe('遗忘曲线')
    expect(normalizeKeyword('深度　 工作')).toBe('深度 工作')
    expect(normalizeKeyword('　深度 工作　')).toBe('深度 工作')
    // Spaces are not dropped: a word split in two is a different keyword.
    expect(normalizeKeyword('深度 工作')).not.toBe(normalizeKeyword('深度工作'))
  })

  it('treats "Deep  Work" and "deep work" as the same keyword', () => {
    expect(normalizeKeyword('Deep  Work')).toBe('deep work')
    expect(normalizeKeyword('deep work')).toBe('deep work')
    expect(normalizeKeyword('Ｄｅｅｐ\tＷｏｒｋ')).toBe('deep work')
  })

  it('turns a blank reply into the empty string, which matches nothing', () => {
    expect(normalizeKeyword('')).toBe('')
    expect(normalizeKeyword('   ')).toBe('')
    expect(normalizeKeyword('　\n')).toBe('')
  })
})
