// What a display name may be: the one rule for sign-up, the profile and anywhere else a name is
// set (docs/decisions/013-user-content-policy.md). Pure; the reserved-name check compares
// displayNameKey()s (display-name-key.ts, server only: it carries Unicode's confusables data).

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
