// The vocabulary of community moderation that the pages show: the staff's intents on a thread
// page. Their zod schemas are in moderation-forms.server.ts, out of the browser's script
// (decision 028).

export const MODERATION_INTENTS = ['pin', 'unpin', 'feature', 'unfeature', 'lock', 'unlock', 'hide', 'restore'] as const
export type ModerationIntent = (typeof MODERATION_INTENTS)[number]

/** Intents that change a thread flag; they make no sense on a reply. */
export const THREAD_ONLY_INTENTS: readonly ModerationIntent[] = ['pin', 'unpin', 'feature', 'unfeature', 'lock', 'unlock']
