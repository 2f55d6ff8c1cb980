// The vocabularies that both the database and the browser need. db/schema.ts builds its columns
// from these and re-exports them; this module imports nothing, so a component or a domain module
// can use them without pulling drizzle and the schema into a client chunk (decision 028).

export const STAFF_ROLES = ['user', 'editor', 'admin'] as const

export const JOB_KINDS = ['hiring', 'seeking'] as const

export const REPORT_TARGETS = ['thread', 'reply'] as const

// course: a course bought once (decision 044); access lasts while its order is paid.
export const ORDER_KINDS = ['goods', 'membership', 'course'] as const

// pending → paid → shipped → completed, or cancelled / expired (unpaid) / refunding → refunded.
export const ORDER_STATES = ['pending', 'paid', 'shipped', 'completed', 'cancelled', 'expired', 'refunding', 'refunded'] as const

// Below minRank a product is either shown but not buyable, or hidden altogether.
export const GATED_VISIBILITY = ['visible', 'hidden'] as const

// A course lesson is listened to or watched (mp4/H.264).
export const LESSON_KINDS = ['audio', 'video'] as const
