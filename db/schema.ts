// The source of truth for the database. Migrations in db/migrations are generated from this
// file with `npm run db:generate` and committed; never edit them by hand.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const createdAt = () =>
  integer({ mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`)

export const STAFF_ROLES = ['user', 'editor', 'admin'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export const users = sqliteTable(
  'users',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    // Stored trimmed and lower-cased; the unique index makes sign-up case-insensitive.
    email: text().notNull(),
    displayName: text().notNull(),
    role: text({ enum: STAFF_ROLES }).notNull().default('user'),
    emailDaily: integer({ mode: 'boolean' }).notNull().default(false),
    emailNews: integer({ mode: 'boolean' }).notNull().default(true),
    // The secret in a member's private podcast feed URL; reset from /account.
    podcastToken: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(sql`lower(${t.email})`),
    uniqueIndex('users_podcast_token_unique').on(t.podcastToken),
  ],
)

export const passwords = sqliteTable('passwords', {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  hash: text().notNull(),
  updatedAt: createdAt(),
})

// Lucia's design: the cookie holds a random token, the table holds only its SHA-256 (hex).
export const sessions = sqliteTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
    lastSeenAt: integer({ mode: 'timestamp_ms' }).notNull(),
    userAgent: text().notNull().default(''),
    ip: text().notNull().default(''),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

export const AUTH_TOKEN_PURPOSES = ['magic_link', 'password_reset'] as const
export type AuthTokenPurpose = (typeof AUTH_TOKEN_PURPOSES)[number]

// Single-use emailed tokens (magic sign-in links, password resets); only the hash is stored.
export const authTokens = sqliteTable(
  'auth_tokens',
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text({ enum: AUTH_TOKEN_PURPOSES }).notNull(),
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    usedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('auth_tokens_user_idx').on(t.userId)],
)

// Failed sign-ins, counted per email and per IP over a sliding window (rate limiting).
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    email: text().notNull(),
    ip: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('login_failures_email_idx').on(t.email, t.createdAt),
    index('login_failures_ip_idx').on(t.ip, t.createdAt),
  ],
)

// Member tiers are data: names, prices and ranks are edited, not coded. rank 0 is "free".
export const tiers = sqliteTable(
  'tiers',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    slug: text().notNull(),
    name: text().notNull(),
    rank: integer().notNull(),
    priceFen: integer().notNull().default(0),
    description: text().notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('tiers_slug_unique').on(t.slug), uniqueIndex('tiers_rank_unique').on(t.rank)],
)

export const MEMBERSHIP_SOURCES = ['drop', 'complimentary', 'demo'] as const
export type MembershipSource = (typeof MEMBERSHIP_SOURCES)[number]

export const memberships = sqliteTable(
  'memberships',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tierId: integer()
      .notNull()
      .references(() => tiers.id),
    memberNumber: integer(),
    validFrom: integer({ mode: 'timestamp_ms' }).notNull(),
    validUntil: integer({ mode: 'timestamp_ms' }).notNull(),
    source: text({ enum: MEMBERSHIP_SOURCES }).notNull(),
    grantedBy: integer().references(() => users.id),
    note: text().notNull().default(''),
    revokedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('memberships_user_idx').on(t.userId, t.validUntil)],
)

export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'failed'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

// Every email is a row here first, written in the transaction that causes it; a delivery loop
// sends pending rows (docs/decisions/004-email-outbox.md).
export const emailOutbox = sqliteTable(
  'email_outbox',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    template: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    html: text().notNull(),
    text: text().notNull(),
    headers: text({ mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    state: text({ enum: OUTBOX_STATES }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer({ mode: 'timestamp_ms' }).notNull(),
    lockedUntil: integer({ mode: 'timestamp_ms' }),
    sentAt: integer({ mode: 'timestamp_ms' }),
    providerMessageId: text(),
    lastError: text(),
    createdAt: createdAt(),
  },
  (t) => [index('email_outbox_due_idx').on(t.state, t.nextAttemptAt)],
)

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    actorId: integer().references(() => users.id),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text().notNull(),
    detail: text({ mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt)],
)

export const MEDIA_KINDS = ['audio', 'image'] as const
export type MediaKind = (typeof MEDIA_KINDS)[number]

// Uploaded files. The id is random (it appears in /media/:id); the file lives under the upload
// directory as `path`, written to a temporary name first and renamed.
export const media = sqliteTable('media', {
  id: text().primaryKey(),
  kind: text({ enum: MEDIA_KINDS }).notNull(),
  mimeType: text().notNull(),
  bytes: integer().notNull(),
  durationMs: integer(),
  path: text().notNull(),
  originalName: text().notNull().default(''),
  uploadedBy: integer().references(() => users.id),
  createdAt: createdAt(),
})

export const DAILY_STATES = ['draft', 'scheduled', 'published'] as const
export type DailyState = (typeof DAILY_STATES)[number]

export const dailies = sqliteTable(
  'dailies',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    // The calendar date in the site time zone, YYYY-MM-DD: one daily per date.
    date: text().notNull(),
    title: text().notNull(),
    keyword: text().notNull(),
    // NFKC, trimmed, case-folded (app/domain/keyword.ts): what replies are matched against.
    keywordKey: text().notNull(),
    teaser: text().notNull(),
    body: text().notNull(),
    minRank: integer().notNull().default(0),
    state: text({ enum: DAILY_STATES }).notNull().default('draft'),
    publishAt: integer({ mode: 'timestamp_ms' }).notNull(),
    publishedAt: integer({ mode: 'timestamp_ms' }),
    // Set when the daily email went to the outbox, so a re-publish never mails twice.
    emailedAt: integer({ mode: 'timestamp_ms' }),
    audioId: text().references(() => media.id),
    coverId: text().references(() => media.id),
    authorId: integer().references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('dailies_date_unique').on(t.date),
    uniqueIndex('dailies_published_keyword_unique').on(t.keywordKey).where(sql`${t.state} = 'published'`),
    index('dailies_state_publish_idx').on(t.state, t.publishAt),
  ],
)

// A signed-in reader's keyword replies: one row per reader and daily, with the local day of the
// reply (for the streak on /account).
export const keywordUnlocks = sqliteTable(
  'keyword_unlocks',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    dailyId: integer()
      .notNull()
      .references(() => dailies.id, { onDelete: 'cascade' }),
    day: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('keyword_unlocks_user_daily_unique').on(t.userId, t.dailyId), index('keyword_unlocks_user_day_idx').on(t.userId, t.day)],
)

// WeChat retries a message up to three times: the first reply is kept and sent again.
export const wechatMessages = sqliteTable('wechat_messages', {
  msgKey: text().primaryKey(),
  reply: text().notNull(),
  createdAt: createdAt(),
})

// ---- community ------------------------------------------------------------------------------

export const BOARD_KINDS = ['jobs', 'sharing'] as const
export type BoardKind = (typeof BOARD_KINDS)[number]

// Boards are data: name, description and who may read and post (minimum member rank).
export const boards = sqliteTable(
  'boards',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    slug: text().notNull(),
    kind: text({ enum: BOARD_KINDS }).notNull(),
    name: text().notNull(),
    description: text().notNull().default(''),
    readMinRank: integer().notNull().default(0),
    postMinRank: integer().notNull().default(1),
    sortOrder: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('boards_slug_unique').on(t.slug)],
)

export const JOB_KINDS = ['hiring', 'seeking'] as const
export type JobKind = (typeof JOB_KINDS)[number]

export const threads = sqliteTable(
  'threads',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    boardId: integer()
      .notNull()
      .references(() => boards.id),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    title: text().notNull(),
    body: text().notNull(),
    // Job threads only (boards of kind 'jobs').
    jobKind: text({ enum: JOB_KINDS }),
    city: text(),
    remote: integer({ mode: 'boolean' }).notNull().default(false),
    salaryMin: integer(),
    salaryMax: integer(),
    contact: text(),
    expiresAt: integer({ mode: 'timestamp_ms' }),
    renewedAt: integer({ mode: 'timestamp_ms' }),
    pinned: integer({ mode: 'boolean' }).notNull().default(false),
    featured: integer({ mode: 'boolean' }).notNull().default(false),
    locked: integer({ mode: 'boolean' }).notNull().default(false),
    hiddenAt: integer({ mode: 'timestamp_ms' }),
    hiddenReason: text(),
    deletedAt: integer({ mode: 'timestamp_ms' }),
    replyCount: integer().notNull().default(0),
    lastActivityAt: integer({ mode: 'timestamp_ms' }).notNull(),
    editedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('threads_board_activity_idx').on(t.boardId, t.pinned, t.lastActivityAt),
    index('threads_author_created_idx').on(t.authorId, t.createdAt),
  ],
)

export const replies = sqliteTable(
  'replies',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    threadId: integer()
      .notNull()
      .references(() => threads.id),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    body: text().notNull(),
    quoteReplyId: integer(),
    hiddenAt: integer({ mode: 'timestamp_ms' }),
    hiddenReason: text(),
    deletedAt: integer({ mode: 'timestamp_ms' }),
    editedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('replies_thread_idx').on(t.threadId, t.id), index('replies_author_created_idx').on(t.authorId, t.createdAt)],
)

export const REPORT_TARGETS = ['thread', 'reply'] as const
export type ReportTarget = (typeof REPORT_TARGETS)[number]
export const REPORT_STATES = ['open', 'resolved', 'dismissed'] as const

export const reports = sqliteTable(
  'reports',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    reporterId: integer()
      .notNull()
      .references(() => users.id),
    targetType: text({ enum: REPORT_TARGETS }).notNull(),
    targetId: integer().notNull(),
    reason: text().notNull(),
    state: text({ enum: REPORT_STATES }).notNull().default('open'),
    resolvedBy: integer().references(() => users.id),
    resolvedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    // Report once: one report per user and target, enforced by the database.
    uniqueIndex('reports_once_unique').on(t.reporterId, t.targetType, t.targetId),
    index('reports_state_idx').on(t.state, t.createdAt),
  ],
)

export const postingBans = sqliteTable('posting_bans', {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  until: integer({ mode: 'timestamp_ms' }).notNull(),
  reason: text().notNull(),
  bannedBy: integer().references(() => users.id),
  createdAt: createdAt(),
})

export type User = typeof users.$inferSelect
export type Session = typeof sessions.$inferSelect
export type Tier = typeof tiers.$inferSelect
export type Membership = typeof memberships.$inferSelect
export type OutboxEmail = typeof emailOutbox.$inferSelect
export type Daily = typeof dailies.$inferSelect
export type Media = typeof media.$inferSelect
export type Board = typeof boards.$inferSelect
export type Thread = typeof threads.$inferSelect
export type Reply = typeof replies.$inferSelect
