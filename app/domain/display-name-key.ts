// The comparison form of display names, for the reserved-name check (docs/decisions/013). Only the
// server imports this: it carries Unicode's confusables data (unhomoglyph, ~100 KB).
import unhomoglyph from 'unhomoglyph'

// Folded before Unicode's confusables (which leaves them alone): small capitals, «ᴀᴅᴍɪɴ».
const SMALL_CAPITALS: Record<string, string> = Object.fromEntries(
  [...'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ'].map((c, i) => [c, 'abcdefghijklmnopqrstuvwyz'[i]!]),
)

function smallCapitals(text: string) {
  return [...text].map((c) => SMALL_CAPITALS[c] ?? c).join('')
}

// After them: digits read as letters, dotless and barred i/l, and the traditional forms of the
// characters of the reserved words.
const CONFUSABLES: Record<string, string> = {
  ı: 'l', ł: 'l', ɩ: 'l', i: 'l', '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b',
  員: '员', 編: '编', 輯: '辑', 統: '统', 長: '长', 識: '识', 務: '务', 維: '维', 護: '护',
}

// Characters that render as nothing (zero-width ones, joiners, Hangul fillers ㅤ): ignored.
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu

/**
 * The comparison form of a name: NFKC, invisible characters dropped, case-folded, look-alike
 * letters of any script folded to one (Unicode's confusables, UTS #39, plus small capitals and
 * digits), accents and marks removed, and only letters and digits kept — spaces, punctuation,
 * symbols and emoji do not tell two names apart.
 */
export function displayNameKey(name: string) {
  const visible = name.normalize('NFKC').replace(DEFAULT_IGNORABLE, '')
  // Small capitals before (Unicode's data would turn ᴍ into ʍ) and after (it turns some letters,
  // such as Cherokee ꭺ, into small capitals).
  const prototypes = smallCapitals(unhomoglyph(smallCapitals(visible.toLowerCase())).toLowerCase())
  const folded = prototypes.normalize('NFKD').replace(/\p{M}/gu, '')
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
