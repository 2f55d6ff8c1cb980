import { describe, expect, it } from 'vitest'
import { displayNameProblem, normalizeDisplayName } from '~/domain/display-name'
import { displayNameKey, isReservedWord } from '~/domain/display-name-key'

describe('a display name is stored normalized', () => {
  it.each([
    ['full-width letters', 'ＺＨＩＹＩＮ 读者', 'ZHIYIN 读者'],
    ['an ideographic space and runs of spaces', '知音　　读者  小王', '知音 读者 小王'],
    ['spaces around it', '  小王 ', '小王'],
    ['a tab and a newline inside', '小\t王\n同学', '小 王 同学'],
    ['a compatibility ideograph', '\uf900读者', '豈读者'],
  ])('%s', (_name, raw, stored) => {
    expect(normalizeDisplayName(raw)).toBe(stored)
  })
})

describe('what a display name may not contain', () => {
  it.each([
    ['a right-to-left override', 'nimda\u202e', 'bidi'],
    ['a right-to-left mark', '\u200f管理员', 'bidi'],
    ['an isolate', '\u2067读者\u2069', 'bidi'],
    ['a NUL', '读\u0000者', 'control'],
    ['an escape character', '\u001b[31m读者', 'control'],
    ['a C1 control', '读者\u0085x', 'control'],
    ['zero-width spaces only', '\u200b\u200b\u200b', 'invisible'],
    ['a zero-width joiner and a BOM', '\u200d\ufeff', 'invisible'],
    ['a Hangul filler', '\u3164', 'invisible'],
    ['a blank braille pattern', '\u2800\u2800', 'invisible'],
    ['soft hyphens', '\u00ad\u00ad', 'invisible'],
  ] as const)('%s is refused (%s)', (_name, raw, problem) => {
    expect(displayNameProblem(normalizeDisplayName(raw))).toBe(problem)
  })

  it.each(['读者小王', 'Zoë', 'Ада', '👩‍💻 程序员', 'ناصر', 'O’Brien', 'می‌خواهم'])('%s is fine', (name) => {
    expect(displayNameProblem(normalizeDisplayName(name))).toBeNull()
  })
})

describe('names that look the same compare equal', () => {
  it.each([
    ['case', 'ADMIN', 'admin'],
    ['full-width', 'ａｄｍｉｎ', 'admin'],
    ['a Cyrillic а', '\u0430dmin', 'admin'],
    ['a Greek capital alpha', '\u0391DMIN', 'admin'],
    ['digits for letters', 'ADM1N', 'admin'],
    ['rn for m', 'adrnin', 'admin'],
    ['punctuation and spaces', ' Admin! ', 'admin'],
    ['an accent', 'ádmin', 'admin'],
    ['zero-width characters inside', 'ad\u200bmin', 'admin'],
    ['spaces between characters', '知 音 管 理 员', '知音管理员'],
    ['a traditional form', '管理員', '管理员'],
    ['a decoration', '★知音管理员★', '知音管理员'],
    // Found by the attacker's probe of issue 11: invisible letters and scripts the first map missed.
    ['a Hangul filler after it', '知音管理员\u3164', '知音管理员'],
    ['a half-width Hangul filler (NFKC makes it U+1160)', 'admin\uffa0', 'admin'],
    ['small capitals', 'ᴀᴅᴍɪɴ', 'admin'],
    ['Lisu letters', 'ꓮꓓꓟꓲꓠ', 'admin'],
    ['a Cherokee A', 'Ꭺdmin', 'admin'],
    ['small capitals and a Latin s', 'ꜱᴛᴀꜰꜰ', 'staff'],
  ])('%s', (_name, a, b) => {
    expect(displayNameKey(a)).toBe(displayNameKey(b))
  })

  it('different names stay different', () => {
    expect(displayNameKey('读者小王')).not.toBe(displayNameKey('读者小李'))
    expect(displayNameKey('badminton')).not.toBe(displayNameKey('admin'))
  })

  it.each(['管理员', 'Admin', 'ＡＤＭＩＮ', '\u0430dmin', '知音官方', '知音 官方', '编辑', '編輯', 'Zhiyin Official', 'root', 'ᴀᴅᴍɪɴ', 'ꓮꓓꓟꓲꓠ', 'adminㅤ', '知音管理员ㅤ'])('%s is a reserved word', (name) => {
    expect(isReservedWord(name)).toBe(true)
  })

  it.each(['管理员小王', 'badminton', '读者', '编辑部的故事'])('%s is not', (name) => {
    expect(isReservedWord(name)).toBe(false)
  })
})
