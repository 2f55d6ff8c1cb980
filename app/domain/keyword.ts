// Keyword replies compare what a reader types with the daily's keyword after the same
// normalisation: Unicode NFKC (full-width ＡＢＣ and half-width forms fold together), trimmed,
// inner runs of whitespace collapsed, case-folded. Works for Chinese and Latin alike.
export function normalizeKeyword(input: string) {
  return input.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('und')
}
