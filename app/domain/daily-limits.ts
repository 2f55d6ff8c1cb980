// Limits the daily editor's form and its validation share (kept apart from the zod schema so
// the browser does not load it).

/** The 文字版 of a ≤60 s voice is a few hundred characters; this leaves room for notes. */
export const TRANSCRIPT_MAX_LENGTH = 5_000
