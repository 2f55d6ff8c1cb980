// @mentions in community posts (issue 13): which names a text mentions. Pure; the model looks the
// names up. A name ends at whitespace or punctuation (「@小明，你好」 mentions 小明), except that `_`
// and `-` may join its parts; a name with a space in it cannot be mentioned.

/** At most this many readers are notified by one post: the first names mentioned. */
export const MAX_MENTIONS_PER_POST = 5

// `@` not glued to what an email address has before its @ (a@b.com mentions nobody; 谢谢@小明 does),
// then the name.
const MENTION = /(?<![A-Za-z0-9_.+-])@([^\s\p{P}]+(?:[_-][^\s\p{P}]+)*)/gu

/**
 * The distinct names mentioned in `text`, in order of first appearance, at most
 * MAX_MENTIONS_PER_POST. NFKC first, as display names are stored (＠ is @, full-width letters fold).
 */
export function parseMentions(text: string): string[] {
  const names: string[] = []
  for (const match of text.normalize('NFKC').matchAll(MENTION)) {
    const name = match[1]!
    if (!names.includes(name)) names.push(name)
    if (names.length === MAX_MENTIONS_PER_POST) break
  }
  return names
}
