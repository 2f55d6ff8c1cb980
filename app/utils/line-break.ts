// Line breaking that CSS cannot decide (issue 18, decision 050): a separator written with a space
// on each side ("铁杆专属 · 黑金笔记本") may break before the dot, which then starts a line. A
// no-break space before it keeps the dot at the end of the line above. Shared by server and browser.

const NBSP = '\u00a0'
// ·, ・ and • between spaces (any run of ordinary spaces or tabs).
const SPACED_SEPARATOR = /[ \t]+([·・•])(?=[ \t])/g

/** The text with every spaced 「·」, 「・」 or 「•」 tied to the word before it. */
export function keepSeparatorsWithPrevious(text: string) {
  return text.replace(SPACED_SEPARATOR, `${NBSP}$1`)
}
