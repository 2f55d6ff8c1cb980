// What a display name may be: the one rule for sign-up, the profile and anywhere else a name is
// set (docs/decisions/013-user-content-policy.md). Pure; the reserved-name check that needs the
// staff list lives in app/models/user.server.ts and compares displayNameKey()s.

export const DISPLAY_NAME_MAX_LENGTH = 40

/** Stored form of a name: NFKC (full-width letters, compatibility ideographs), whitespace runs as one space, trimmed. */
export function normalizeDisplayName(raw: string) {
  return raw.normalize('NFKC').replace(/\s+/gu, ' ').trim()
}

export type DisplayNameProblem = 'control' | 'bidi' | 'invisible'

// Characters that reorder text around them (LRE…RLO, LRI…PDI, LRM, RLM, ALM): «‮nimda» shows as «admin‮».
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u
// C0 and C1 controls (tabs and newlines never get here: normalizing made them spaces).
const CONTROL = /\p{Cc}/u
// What renders as nothing: spaces, zero-width characters, joiners, fillers (ㅤ), blank braille.
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu

/** Why a normalized name cannot be used, or null when it can (length is checked by the form). */
export function displayNameProblem(name: string): DisplayNameProblem | null {
  if (BIDI_CONTROL.test(name)) return 'bidi'
  if (CONTROL.test(name)) return 'control'
  if (name.replace(INVISIBLE, '') === '') return 'invisible'
  return null
}

// Letters that look like Latin ones (Cyrillic, Greek, Latin variants) and digits read as
// letters, so «аdmin» (Cyrillic а), «ADM1N» and «Αdmin» compare equal to «admin».
const CONFUSABLES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'l', ї: 'l', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'l', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', ζ: 'z',
  ı: 'l', ł: 'l', ɑ: 'a', ɡ: 'g', ɩ: 'l', ʀ: 'r',
  i: 'l', '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b',
  // Traditional forms of the characters in the reserved words.
  員: '员', 編: '编', 輯: '辑', 統: '统', 長: '长', 識: '识', 務: '务', 維: '维', 護: '护',
}

/**
 * The comparison form of a name: NFKC, case-folded, accents and marks removed, look-alike
 * letters folded together, and only letters and digits kept (spaces, punctuation, symbols,
 * emoji and invisible characters do not tell two names apart).
 */
export function displayNameKey(name: string) {
  const folded = name.normalize('NFKC').toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')
  const mapped = [...folded].map((c) => CONFUSABLES[c] ?? c).join('')
  return mapped.replace(/[^\p{L}\p{N}]/gu, '').replace(/rn/g, 'm').replace(/vv/g, 'w')
}

/** Names only staff may use, whatever the case, spacing or look-alike letters. */
export const RESERVED_DISPLAY_NAMES = [
  '管理员', '管理', '超级管理员', '系统管理员', '站长', '编辑', '主编', '小编', '客服', '官方', '版主', '系统', '系统消息',
  '知音', '知音官方', '知音管理员', '知音编辑', '知音客服', '知音小编', '知音团队',
  'admin', 'administrator', 'root', 'system', 'moderator', 'mod', 'staff', 'editor', 'support', 'official', 'zhiyin',
  'zhiyin official', 'zhiyin admin',
]

const RESERVED_KEYS = new Set(RESERVED_DISPLAY_NAMES.map(displayNameKey))

/** Whether the name is one of the reserved words (staff members' own names are checked by the model). */
export function isReservedWord(name: string) {
  return RESERVED_KEYS.has(displayNameKey(name))
}
