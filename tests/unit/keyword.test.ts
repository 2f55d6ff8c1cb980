import { describe, expect, it } from 'vitest'
import { checkinStats, KEYWORD_REPLY_MAX_LENGTH, normalizeKeyword, parseKeywordReply } from '~/domain/keyword'
import { localDate } from '~/domain/time'

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

describe('normalizeKeyword: what a reader types around the word', () => {
  it.each([
    ['「费曼」', '费曼'],
    ['费曼！', '费曼'],
    ['费曼!', '费曼'],
    ['费曼。', '费曼'],
    ['“费曼”', '费曼'],
    ['《费曼》', '费曼'],
    [' 费曼… ', '费曼'],
    ['Feiman.', 'feiman'],
    ['「ＤＥＥＰ　ＷＯＲＫ」！', 'deep work'],
  ])('%j matches as %j', (typed, key) => {
    expect(normalizeKeyword(typed)).toBe(key)
  })

  it('keeps punctuation inside the word, and symbols that are part of it', () => {
    expect(normalizeKeyword('Deep-Work')).toBe('deep-work')
    expect(normalizeKeyword('C++')).toBe('c++')
    expect(normalizeKeyword('1+1')).toBe('1+1')
  })

  it('a reply of punctuation only is empty', () => {
    expect(normalizeKeyword('！！')).toBe('')
    expect(normalizeKeyword('「」')).toBe('')
  })
})

describe('parseKeywordReply: what counts as a reply', () => {
  it('a word, once normalised', () => {
    expect(parseKeywordReply(' 「费曼」！')).toEqual({ ok: true, key: '费曼' })
  })

  it.each([
    ['nothing', ''],
    ['spaces', '   '],
    ['punctuation only', '。！'],
  ])('%s is empty', (_name, typed) => {
    expect(parseKeywordReply(typed)).toEqual({ ok: false, reason: 'empty' })
  })

  it(`more than ${KEYWORD_REPLY_MAX_LENGTH} characters is too long, not searched`, () => {
    expect(parseKeywordReply('费'.repeat(KEYWORD_REPLY_MAX_LENGTH))).toMatchObject({ ok: true })
    expect(parseKeywordReply('费'.repeat(KEYWORD_REPLY_MAX_LENGTH + 1))).toEqual({ ok: false, reason: 'too_long' })
    expect(parseKeywordReply('a'.repeat(200))).toEqual({ ok: false, reason: 'too_long' })
  })
})

describe('checkinStats: the 打卡 streak', () => {
  it('counts today and each day before it without a gap', () => {
    expect(checkinStats(['2026-11-23', '2026-11-22', '2026-11-21'], '2026-11-23')).toEqual({ current: 3, longest: 3, total: 3, checkedInToday: true })
  })

  it('keeps the streak while today has no 打卡 yet (today is not over)', () => {
    expect(checkinStats(['2026-11-22', '2026-11-21'], '2026-11-23')).toEqual({ current: 2, longest: 2, total: 2, checkedInToday: false })
  })

  it('a missed day starts the count again, and the longest run is kept', () => {
    const days = ['2026-11-23', '2026-11-21', '2026-11-20', '2026-11-19', '2026-11-15']
    expect(checkinStats(days, '2026-11-23')).toEqual({ current: 1, longest: 3, total: 5, checkedInToday: true })
    // Nothing today or yesterday: the streak is broken.
    expect(checkinStats(['2026-11-21', '2026-11-20'], '2026-11-23')).toMatchObject({ current: 0, longest: 2, total: 2 })
  })

  it('is all zero without any 打卡', () => {
    expect(checkinStats([], '2026-11-23')).toEqual({ current: 0, longest: 0, total: 0, checkedInToday: false })
  })

  it('runs across month, year and leap-day boundaries and ignores duplicates and order', () => {
    expect(checkinStats(['2024-02-28', '2024-03-01', '2024-02-29', '2024-03-01'], '2024-03-01')).toMatchObject({ current: 3, longest: 3, total: 3 })
    expect(checkinStats(['2026-12-31', '2027-01-01'], '2027-01-01')).toMatchObject({ current: 2, longest: 2 })
  })

  it('the site time zone’s midnight decides the day: 23:59 and 00:01 in Shanghai are two days in a row', () => {
    // 2026-12-06 23:59 and 2026-12-07 00:01 in Asia/Shanghai, both on 2026-12-06 in UTC.
    const late = localDate(new Date('2026-12-06T15:59:00Z'), 'Asia/Shanghai')
    const early = localDate(new Date('2026-12-06T16:01:00Z'), 'Asia/Shanghai')
    expect([late, early]).toEqual(['2026-12-06', '2026-12-07'])
    expect(checkinStats([late, early], early)).toMatchObject({ current: 2, checkedInToday: true })
    // The next Shanghai morning without a 打卡 yet: the run still stands until that day ends.
    expect(checkinStats([late, early], '2026-12-08')).toMatchObject({ current: 2, checkedInToday: false })
    expect(checkinStats([late, early], '2026-12-09')).toMatchObject({ current: 0, longest: 2 })
  })

  it('days after today (a clock set back) do not count', () => {
    expect(checkinStats(['2026-11-24', '2026-11-23'], '2026-11-23')).toEqual({ current: 1, longest: 1, total: 1, checkedInToday: true })
  })
})
