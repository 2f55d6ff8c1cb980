// The source of truth for the database. Migrations in db/migrations are generated from this
// file with `npm run db:generate` and committed; never edit them by hand.
import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { LIVE_ORDER_STATES, ORDER_FLAGS, REFUND_REASONS, REFUND_STATES } from '../app/domain/order'
import { GATED_VISIBILITY, JOB_KINDS, LESSON_KINDS, ORDER_KINDS, ORDER_STATES, REPORT_TARGETS, STAFF_ROLES } from '../app/domain/enums'
import { LEGAL_DOCUMENT_SLUGS } from '../app/domain/legal'
import type { ProductOption } from '../app/domain/variants'

export { GATED_VISIBILITY, JOB_KINDS, LESSON_KINDS, ORDER_KINDS, ORDER_STATES, REPORT_TARGETS, STAFF_ROLES }

const createdAt = () =>
  integer({ mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`)

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
    // Whether an emailed link proved the address belongs to the account's owner (bulk mail goes
    // only to verified addresses). Accounts from before sign-up verification existed count as
    // verified (the default); sign-up creates unverified ones (docs/decisions/014).
    emailVerified: integer({ mode: 'boolean' }).notNull().default(true),
    // The versions of 《用户协议》 and 《隐私政策》 (their legal_documents.updated_at) agreed to at
    // sign-up (decision 050); null for accounts made another way or before consent was recorded.
    termsVersionAgreed: integer({ mode: 'timestamp_ms' }),
    privacyVersionAgreed: integer({ mode: 'timestamp_ms' }),
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

export const AUTH_TOKEN_PURPOSES = ['magic_link', 'password_reset', 'verify_email'] as const
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

// Actions limited per key over a sliding window (sign-ups per client address), counted in the
// database so that every server process sees the same count.
export const rateLimitHits = sqliteTable(
  'rate_limit_hits',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    bucket: text().notNull(),
    key: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('rate_limit_hits_key_idx').on(t.bucket, t.key, t.createdAt), index('rate_limit_hits_created_idx').on(t.createdAt)],
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
/** What a drop sold a period as: a new membership, a renewal of the plan, an upgrade from it (decision 049). */
export const DROP_SALES = ['new', 'renewal', 'upgrade'] as const
export type DropSale = (typeof DROP_SALES)[number]

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
    // Periods bought in a drop: the drop that sold the seat, what it sold it as (decision 049) and
    // the order that paid for it.
    dropId: integer(),
    dropSale: text({ enum: DROP_SALES }),
    orderId: integer(),
    // The drop whose counter issued memberNumber: null when the period keeps a number issued before
    // (a renewal, an upgrade) or has none. Numbers are unique per issuing drop.
    numberDropId: integer(),
    grantedBy: integer().references(() => users.id),
    note: text().notNull().default(''),
    revokedAt: integer({ mode: 'timestamp_ms' }),
    // Signed into the member card's share link: raising it (重置分享链接) voids the links out there.
    shareVersion: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('memberships_user_idx').on(t.userId, t.validUntil),
    // Member numbers are unique within the drop that issued them (an upgrade within it keeps its number on the same row).
    uniqueIndex('memberships_number_unique').on(t.numberDropId, t.memberNumber).where(sql`${t.numberDropId} IS NOT NULL`),
    index('memberships_drop_idx').on(t.dropId),
  ],
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

// The settings an admin edits at /admin/settings (one row, id 1; decision 052). A null column is
// a cleared field: the site then uses the environment's value, else the built-in default.
export const siteSettings = sqliteTable(
  'site_settings',
  {
    id: integer().primaryKey(),
    publishTime: text(),
    supportContact: text(),
    icpNumber: text(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    check('site_settings_one_row', sql`${t.id} = 1`),
    check('site_settings_publish_time', sql`${t.publishTime} IS NULL OR ${t.publishTime} GLOB '[0-2][0-9]:[0-5][0-9]'`),
  ],
)

// 《用户协议》 and 《隐私政策》 (decision 040): one row each, seeded with a default text in every
// environment and edited by an admin (markdown, rendered through renderMarkdown).
export const legalDocuments = sqliteTable('legal_documents', {
  slug: text({ enum: LEGAL_DOCUMENT_SLUGS }).primaryKey(),
  title: text().notNull(),
  body: text().notNull(),
  updatedAt: createdAt(),
  updatedBy: integer().references(() => users.id, { onDelete: 'set null' }),
})

export type LegalDocument = typeof legalDocuments.$inferSelect

export const MEDIA_KINDS = ['audio', 'image', 'video'] as const
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
    // What the voice says, keyword included: the 文字版 for readers who cannot listen.
    transcript: text().notNull().default(''),
    // The voice is the free part of a daily (everyone hears it) unless the editor gates it too.
    voicePublic: integer({ mode: 'boolean' }).notNull().default(true),
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
// reply. A reply on the daily's own date is that day's 打卡 (the streak on /account).
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

// Each signed call WeChat makes carries a nonce, accepted once: a captured URL replayed within
// the 5-minute timestamp window is refused by whichever process it reaches. Rows whose signed
// time has left the window are pruned (a call that old is refused as stale anyway).
export const wechatNonces = sqliteTable(
  'wechat_nonces',
  {
    nonce: text().primaryKey(),
    signedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('wechat_nonces_signed_at_idx').on(t.signedAt)],
)

// ---- WeChat accounts and credentials (docs/decisions/020-wechat-integration.md) --------------

export const WECHAT_CREDENTIAL_KINDS = ['access_token', 'jsapi_ticket'] as const

// WeChat's access token and jsapi ticket, per app: one copy shared by every process (WeChat
// invalidates the old token when a new one is fetched). `refreshingUntil` is the lease of the one
// process fetching a new value; the others wait for it.
export const wechatCredentials = sqliteTable(
  'wechat_credentials',
  {
    appId: text().notNull(),
    kind: text({ enum: WECHAT_CREDENTIAL_KINDS }).notNull(),
    value: text(),
    expiresAt: integer({ mode: 'timestamp_ms' }),
    refreshingUntil: integer({ mode: 'timestamp_ms' }),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.kind] })],
)

// A WeChat identity (an openid of one app, with the unionid when WeChat gives it) belongs to at
// most one account. `appId` is the Official Account's or the Open Platform website app's; the
// test mode's simulated identities use the app id 'test'.
export const wechatIdentities = sqliteTable(
  'wechat_identities',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    appId: text().notNull(),
    openid: text().notNull(),
    unionid: text(),
    nickname: text(),
    avatarUrl: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('wechat_identities_app_openid_unique').on(t.appId, t.openid),
    index('wechat_identities_user_idx').on(t.userId),
    index('wechat_identities_unionid_idx').on(t.unionid),
  ],
)

// ---- WeChat sign-in (docs/decisions/021-wechat-sign-in.md) -----------------------------------

// OAuth states already answered (the SHA-256 of the state): a state is good once, so a replayed
// callback or test-mode form is refused. Rows older than a day are of no use and may be deleted.
export const wechatOauthStatesUsed = sqliteTable('wechat_oauth_states_used', {
  stateHash: text().primaryKey(),
  usedAt: integer({ mode: 'timestamp_ms' }).notNull(),
})

// The signed link in the Official Account's news reply to a linked follower: opens the daily
// signed in, once, within 10 minutes. Only the token's SHA-256 is stored.
export const wechatSignInLinks = sqliteTable(
  'wechat_sign_in_links',
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    dailyId: integer()
      .notNull()
      .references(() => dailies.id, { onDelete: 'cascade' }),
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    usedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('wechat_sign_in_links_expires_idx').on(t.expiresAt)],
)

// 扫码登录 through the Official Account (a desktop when the Open Platform is not configured): a
// phone signed in to the site approves the QR code a desktop shows, and the desktop takes the
// approval once. `id` is the first 32 hex digits of the SHA-256 of the secret only the desktop's
// cookie holds; a row exists only once a phone approved (docs/decisions/021-wechat-sign-in.md).
export const wechatQrLogins = sqliteTable(
  'wechat_qr_logins',
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    approvedAt: integer({ mode: 'timestamp_ms' }).notNull(),
    // The desktop must take the approval before then.
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    usedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [index('wechat_qr_logins_expires_idx').on(t.expiresAt)],
)

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

// ---- 留言 under dailies ------------------------------------------------------------------------
// docs/decisions/019-daily-comments.md. A 留言 is seen by its author alone until an editor
// features it; featured ones are public, in the editor's order. "New" = not yet reviewed
// (featured, hidden or marked read set reviewedAt). Hiding always unfeatures (the CHECKs).

export const dailyComments = sqliteTable(
  'daily_comments',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    dailyId: integer()
      .notNull()
      .references(() => dailies.id, { onDelete: 'cascade' }),
    authorId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // Plain text, trimmed, at most 500 characters; rendered as text, never as HTML.
    body: text().notNull(),
    featuredAt: integer({ mode: 'timestamp_ms' }),
    // 1, 2, 3… among the daily's featured 留言; null when not featured.
    featuredOrder: integer(),
    // Kept equal to the rows in daily_comment_likes by the like's own batch.
    likeCount: integer().notNull().default(0),
    editorReply: text(),
    editorReplyBy: integer().references(() => users.id, { onDelete: 'set null' }),
    editorReplyAt: integer({ mode: 'timestamp_ms' }),
    reviewedAt: integer({ mode: 'timestamp_ms' }),
    hiddenAt: integer({ mode: 'timestamp_ms' }),
    hiddenReason: text(),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('daily_comments_featured_idx').on(t.dailyId, t.featuredOrder).where(sql`${t.featuredAt} is not null`),
    index('daily_comments_new_idx').on(t.dailyId).where(sql`${t.reviewedAt} is null`),
    index('daily_comments_daily_author_idx').on(t.dailyId, t.authorId),
    index('daily_comments_author_created_idx').on(t.authorId, t.createdAt),
    check('daily_comments_featured_has_order', sql`(${t.featuredAt} is null) = (${t.featuredOrder} is null)`),
    check('daily_comments_hidden_not_featured', sql`${t.hiddenAt} is null or ${t.featuredAt} is null`),
  ],
)

// A reader likes a featured 留言 once: the primary key decides "already liked".
export const dailyCommentLikes = sqliteTable(
  'daily_comment_likes',
  {
    commentId: integer()
      .notNull()
      .references(() => dailyComments.id, { onDelete: 'cascade' }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] })],
)

// ---- reservations: one mechanism for shop stock and drop seats (DESIGN.md §4) ---------------
// docs/decisions/007-reservations-and-payments.md

// A limited quantity: one per product, one per drop tier. available = capacity - sold - held;
// the CHECK makes overselling impossible even for a statement that forgot its condition.
export const stock = sqliteTable(
  'stock',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    // null = unlimited.
    capacity: integer(),
    sold: integer().notNull().default(0),
    held: integer().notNull().default(0),
    // Units sold here take numbers from this counter (edition numbers of a product, member
    // numbers of a drop: all tiers of a drop share one counter). null = not numbered.
    counterId: integer().references(() => counters.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('stock_within_capacity', sql`${t.sold} >= 0 AND ${t.held} >= 0 AND (${t.capacity} IS NULL OR ${t.sold} + ${t.held} <= ${t.capacity})`),
  ],
)

// Number sequences: `value` is the highest number handed out so far.
export const counters = sqliteTable('counters', {
  id: integer().primaryKey({ autoIncrement: true }),
  value: integer().notNull().default(0),
})

// Numbers whose units came back to stock (a refund before shipping): the next sale takes the
// lowest of them before the counter moves on, so the numbers sold stay exactly 1..N and an
// edition of 500 never shows No. 501 (docs/decisions/007).
export const returnedNumbers = sqliteTable(
  'returned_numbers',
  {
    counterId: integer()
      .notNull()
      .references(() => counters.id),
    number: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.counterId, t.number] })],
)

export type OrderKind = (typeof ORDER_KINDS)[number]

export type OrderState = (typeof ORDER_STATES)[number]

export const PAYMENT_PROVIDERS = ['test', 'stripe', 'wechatpay', 'alipay'] as const
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number]

export interface ShippingAddress {
  name: string
  phone: string
  province: string
  city: string
  district: string
  street: string
}

export const orders = sqliteTable(
  'orders',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id),
    kind: text({ enum: ORDER_KINDS }).notNull(),
    state: text({ enum: ORDER_STATES }).notNull().default('pending'),
    totalFen: integer().notNull(),
    currency: text().notNull().default('CNY'),
    // When the holds of a pending order lapse.
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    // Once paid: the provider that took the payment and its id of it (what a refund needs).
    // Checkouts opened to pay it are rows of `checkouts`.
    provider: text({ enum: PAYMENT_PROVIDERS }),
    providerPaymentId: text(),
    // At most one live order per key (e.g. one seat per user per drop): a unique index decides.
    exclusiveKey: text(),
    dropId: integer(),
    shipping: text({ mode: 'json' }).$type<ShippingAddress>(),
    // The shipping fee charged, decided on the server when the order was placed (decision 048);
    // included in totalFen, so a payment pays it and a refund returns it. Always 0 but for goods.
    shippingFeeFen: integer().notNull().default(0),
    carrier: text(),
    trackingNumber: text(),
    paidAt: integer({ mode: 'timestamp_ms' }),
    shippedAt: integer({ mode: 'timestamp_ms' }),
    completedAt: integer({ mode: 'timestamp_ms' }),
    cancelledAt: integer({ mode: 'timestamp_ms' }),
    expiredAt: integer({ mode: 'timestamp_ms' }),
    refundRequestedAt: integer({ mode: 'timestamp_ms' }),
    refundedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('orders_user_idx').on(t.userId, t.createdAt),
    index('orders_state_idx').on(t.state, t.createdAt),
    index('orders_created_idx').on(t.createdAt),
    index('orders_drop_idx').on(t.dropId, t.state),
    uniqueIndex('orders_exclusive_key_unique')
      .on(t.exclusiveKey)
      .where(sql`${t.exclusiveKey} IS NOT NULL AND ${t.state} IN (${sql.raw(LIVE_ORDER_STATES.map((state) => `'${state}'`).join(', '))})`),
  ],
)

export const orderLines = sqliteTable(
  'order_lines',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    orderId: integer()
      .notNull()
      .references(() => orders.id),
    stockId: integer()
      .notNull()
      .references(() => stock.id),
    productId: integer(),
    dropTierId: integer(),
    // What the buyer saw, kept as it was when the order was placed.
    title: text().notNull(),
    qty: integer().notNull(),
    unitPriceFen: integer().notNull(),
    personalisation: text(),
    // The variant bought (a product with options, decision 047) and its choice as the buyer saw it
    // (「尺码：L」), kept like the title; null for a product without options and for seats.
    variantId: integer(),
    variantLabel: text(),
    // Whether paying takes numbers from the stock's counter (an upgrade keeps its number).
    takesNumbers: integer({ mode: 'boolean' }).notNull().default(true),
    numbers: text({ mode: 'json' }).$type<number[]>().notNull().default([]),
  },
  (t) => [index('order_lines_order_idx').on(t.orderId), index('order_lines_product_idx').on(t.productId)],
)

export const HOLD_STATES = ['held', 'sold', 'released', 'returned'] as const
export type HoldState = (typeof HOLD_STATES)[number]

// Units taken at checkout: held until paid (sold) or lapsed / cancelled (released); a refunded
// sale gives its units back (returned). Sum of `held` holds = stock.held, of `sold` = stock.sold.
export const holds = sqliteTable(
  'holds',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    stockId: integer()
      .notNull()
      .references(() => stock.id),
    orderId: integer()
      .notNull()
      .references(() => orders.id),
    lineId: integer()
      .notNull()
      .references(() => orderLines.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    qty: integer().notNull(),
    state: text({ enum: HOLD_STATES }).notNull().default('held'),
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('holds_due_idx').on(t.state, t.expiresAt),
    index('holds_stock_user_idx').on(t.stockId, t.userId, t.state),
    index('holds_order_idx').on(t.orderId),
    check('holds_qty_positive', sql`${t.qty} > 0`),
  ],
)

// Provider events are delivered at least once: the unique index makes fulfilment happen once.
export const paymentEvents = sqliteTable(
  'payment_events',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    provider: text({ enum: PAYMENT_PROVIDERS }).notNull(),
    eventId: text().notNull(),
    orderId: integer(),
    type: text().notNull(),
    amountFen: integer().notNull(),
    currency: text().notNull(),
    // The provider's id of the money itself (a Stripe PaymentIntent): what a refund of it needs.
    providerPaymentId: text(),
    // What confirming it did (ConfirmOutcome in payment.server.ts); a repeat answers with it.
    outcome: text().notNull(),
    // Why applying it failed, when the outcome is 'error'.
    error: text(),
    receivedAt: createdAt(),
  },
  (t) => [
    uniqueIndex('payment_events_unique').on(t.provider, t.eventId),
    index('payment_events_order_idx').on(t.orderId),
    // Another event for the same money is a repeat (confirmPayment looks it up).
    index('payment_events_payment_idx').on(t.provider, t.providerPaymentId),
  ],
)

// What an admin must look at on an order (ORDER_FLAGS): one row per flag raised, open until an
// admin clears it with a note. Raising a flag that is already open changes nothing.
export const orderFlags = sqliteTable(
  'order_flags',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    orderId: integer()
      .notNull()
      .references(() => orders.id),
    flag: text({ enum: ORDER_FLAGS }).notNull(),
    detail: text({ mode: 'json' }).$type<Record<string, unknown>>(),
    raisedAt: integer({ mode: 'timestamp_ms' }).notNull(),
    clearedAt: integer({ mode: 'timestamp_ms' }),
    clearedBy: integer().references(() => users.id),
    clearNote: text(),
  },
  (t) => [
    uniqueIndex('order_flags_open_unique').on(t.orderId, t.flag).where(sql`${t.clearedAt} IS NULL`),
    index('order_flags_open_idx').on(t.clearedAt, t.raisedAt),
  ],
)

// Money going back: one row per payment returned (the order's own, a late one, an extra one),
// executed after commit by processPendingRefunds, which claims each row with a lease so that
// two processes never call the provider for the same refund.
export const refunds = sqliteTable(
  'refunds',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    // Null only for a payment that named no order we know.
    orderId: integer().references(() => orders.id),
    // The payment returned, when it came with an event (orders paid before events kept payment ids have none).
    paymentEventId: integer().references(() => paymentEvents.id),
    provider: text({ enum: PAYMENT_PROVIDERS }).notNull(),
    providerPaymentId: text(),
    amountFen: integer().notNull(),
    currency: text().notNull().default('CNY'),
    reason: text({ enum: REFUND_REASONS }).notNull(),
    state: text({ enum: REFUND_STATES }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer({ mode: 'timestamp_ms' }).notNull(),
    // A process working on it until then; another may take it over after.
    claimedUntil: integer({ mode: 'timestamp_ms' }),
    lastError: text(),
    providerRefundId: text(),
    requestedBy: integer().references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
    refundedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [
    // A payment is given back once.
    uniqueIndex('refunds_payment_event_unique').on(t.paymentEventId),
    index('refunds_due_idx').on(t.state, t.nextAttemptAt),
    index('refunds_order_idx').on(t.orderId),
  ],
)

export const CHECKOUT_STATES = ['creating', 'open', 'closed'] as const
export type CheckoutState = (typeof CHECKOUT_STATES)[number]

// A provider's payable checkout of an order (a Stripe Checkout Session). At most one is being
// created or open per order (the partial unique index), so however often a reader presses 去支付
// or opens a second tab there is one payable transaction; it is closed at the provider when the
// order is cancelled or lapses. The row's id is the idempotency key of its creation.
export const checkouts = sqliteTable(
  'checkouts',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    orderId: integer()
      .notNull()
      .references(() => orders.id),
    provider: text({ enum: PAYMENT_PROVIDERS }).notNull(),
    state: text({ enum: CHECKOUT_STATES }).notNull().default('creating'),
    providerRef: text(),
    url: text(),
    // How the buyer pays through it (PayMethod); null on rows made before there was a choice.
    method: text(),
    // What the pay page does with it (CheckoutAction as JSON): a redirect, a QR code, JSAPI parameters.
    action: text(),
    // What a repeated creation must send again unchanged: WeChat Pay JSAPI's payer, H5's client address.
    payerOpenid: text(),
    clientIp: text(),
    // When the provider stops taking payment through it by itself.
    expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    // A request creating or closing it until then; after that another may take over.
    claimedUntil: integer({ mode: 'timestamp_ms' }),
    closeAttempts: integer().notNull().default(0),
    lastError: text(),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('checkouts_payable_unique').on(t.orderId).where(sql`${t.state} IN ('creating', 'open')`),
    uniqueIndex('checkouts_provider_ref_unique').on(t.provider, t.providerRef),
    index('checkouts_state_idx').on(t.state, t.expiresAt),
  ],
)

// 对账 (issue 14): each comparison of a provider's bill for one day with the payments recorded. The
// daily job's run of a (provider, day) is made once across processes (partial unique index); an
// admin may run the same day again by hand.
export const RECONCILIATION_STATES = ['running', 'done', 'failed'] as const
export const reconciliationRuns = sqliteTable(
  'reconciliation_runs',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    provider: text({ enum: PAYMENT_PROVIDERS }).notNull(),
    // The bill's day in the site's time zone, YYYY-MM-DD.
    billDate: text().notNull(),
    trigger: text({ enum: ['job', 'admin'] }).notNull(),
    state: text({ enum: RECONCILIATION_STATES }).notNull().default('running'),
    billLines: integer().notNull().default(0),
    matched: integer().notNull().default(0),
    findingCount: integer().notNull().default(0),
    error: text(),
    requestedBy: integer().references(() => users.id),
    startedAt: integer({ mode: 'timestamp_ms' }).notNull(),
    finishedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('reconciliation_runs_job_unique').on(t.provider, t.billDate).where(sql`${t.trigger} = 'job'`),
    index('reconciliation_runs_started_idx').on(t.startedAt),
  ],
)

export const RECONCILIATION_FINDINGS = [
  // In the provider's bill, not recorded here: fulfilled through the normal path (once).
  'missing_ours',
  // Recorded here, not in the provider's bill for its day.
  'missing_theirs',
  // In both, with different amounts.
  'amount_mismatch',
  // A refund in the bill that no refund of ours names, or one we think is not done.
  'refund_unknown',
] as const
export type ReconciliationFinding = (typeof RECONCILIATION_FINDINGS)[number]

export const reconciliationFindings = sqliteTable(
  'reconciliation_findings',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    runId: integer()
      .notNull()
      .references(() => reconciliationRuns.id, { onDelete: 'cascade' }),
    kind: text({ enum: RECONCILIATION_FINDINGS }).notNull(),
    orderId: integer().references(() => orders.id),
    outTradeNo: text(),
    providerPaymentId: text(),
    theirAmountFen: integer(),
    ourAmountFen: integer(),
    // What was done: the outcome of fulfilling a payment we had missed, or 'flagged'.
    resolution: text().notNull(),
  },
  (t) => [index('reconciliation_findings_run_idx').on(t.runId)],
)

// ---- shop -----------------------------------------------------------------------------------

export const productCategories = sqliteTable(
  'product_categories',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    slug: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(''),
    sortOrder: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('product_categories_slug_unique').on(t.slug)],
)

export type GatedVisibility = (typeof GATED_VISIBILITY)[number]

export const products = sqliteTable(
  'products',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    slug: text().notNull(),
    title: text().notNull(),
    categoryId: integer()
      .notNull()
      .references(() => productCategories.id),
    // One line everyone sees (lists, the product page of a mystery item).
    summary: text().notNull().default(''),
    // Markdown; for a mystery item shown only to buyers after payment.
    description: text().notNull().default(''),
    priceFen: integer().notNull(),
    minRank: integer().notNull().default(0),
    gatedVisibility: text({ enum: GATED_VISIBILITY }).notNull().default('visible'),
    saleStartsAt: integer({ mode: 'timestamp_ms' }),
    saleEndsAt: integer({ mode: 'timestamp_ms' }),
    stockId: integer()
      .notNull()
      .references(() => stock.id),
    limitedEdition: integer({ mode: 'boolean' }).notNull().default(false),
    perMemberLimit: integer(),
    // e.g. 刻字, up to personalisationMaxLength characters; null label = not personalised.
    personalisationLabel: text(),
    personalisationMaxLength: integer(),
    mystery: integer({ mode: 'boolean' }).notNull().default(false),
    // This product's shipping fee instead of the shop's flat fee: null = the shop's rule, 0 = 包邮
    // (decision 048).
    shippingFeeFen: integer(),
    // Options a buyer chooses from (尺码 S/M/L/XL, 颜色 …), in order; [] = none. With options the
    // product sells only through its variants, and its own stock row sells nothing (decision 047).
    options: text({ mode: 'json' }).$type<ProductOption[]>().notNull().default([]),
    published: integer({ mode: 'boolean' }).notNull().default(false),
    publishedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('products_slug_unique').on(t.slug),
    uniqueIndex('products_stock_unique').on(t.stockId),
    index('products_category_idx').on(t.categoryId, t.published),
    index('products_published_idx').on(t.published, t.publishedAt),
  ],
)

// Optional member price per tier (the lowest price the viewer's active tiers give applies).
export const productTierPrices = sqliteTable(
  'product_tier_prices',
  {
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    tierId: integer()
      .notNull()
      .references(() => tiers.id),
    priceFen: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.tierId] })],
)

// One combination of a product's option values (decision 047), with its own stock row (sharing
// the product's edition counter, so a numbered edition is numbered across its variants), a price
// offset from the product's price and an optional SKU, unique across the shop.
export const productVariants = sqliteTable(
  'product_variants',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    // One value per option of the product, in the options' order.
    optionValues: text({ mode: 'json' }).$type<string[]>().notNull(),
    stockId: integer()
      .notNull()
      .references(() => stock.id),
    priceOffsetFen: integer().notNull().default(0),
    sku: text(),
    position: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('product_variants_values_unique').on(t.productId, t.optionValues),
    uniqueIndex('product_variants_stock_unique').on(t.stockId),
    uniqueIndex('product_variants_sku_unique').on(t.sku).where(sql`${t.sku} IS NOT NULL`),
  ],
)

// Product photos, each resized once into a thumbnail and a large rendition (media rows).
export const productImages = sqliteTable(
  'product_images',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    position: integer().notNull().default(0),
    thumbMediaId: text()
      .notNull()
      .references(() => media.id),
    largeMediaId: text()
      .notNull()
      .references(() => media.id),
    alt: text().notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('product_images_product_idx').on(t.productId, t.position)],
)

// A signed-in user's cart (a visitor's lives in a cookie and is merged in at sign-in).
export const cartItems = sqliteTable(
  'cart_items',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    // The variant chosen; 0 for a product without options (not null: the unique index below
    // must see two such lines as the same line, as '' does for no personalisation).
    variantId: integer().notNull().default(0),
    qty: integer().notNull(),
    personalisation: text().notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('cart_items_line_unique').on(t.userId, t.productId, t.variantId, t.personalisation)],
)

// The one shipping address per account of before decision 048, copied into `addresses`
// (shipping_addresses) by migration 0030 and read by nothing else; a later migration drops it.
export const legacyAddresses = sqliteTable('addresses', {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  name: text().notNull(),
  phone: text().notNull(),
  province: text().notNull(),
  city: text().notNull(),
  district: text().notNull(),
  street: text().notNull(),
  updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
})

// A reader's saved shipping addresses, one of them the default that checkout proposes (decision
// 048); the partial unique index keeps one default per reader.
export const addresses = sqliteTable(
  'shipping_addresses',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    phone: text().notNull(),
    province: text().notNull(),
    city: text().notNull(),
    district: text().notNull(),
    street: text().notNull(),
    isDefault: integer({ mode: 'boolean' }).notNull(),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('shipping_addresses_user_idx').on(t.userId, t.updatedAt), uniqueIndex('shipping_addresses_one_default').on(t.userId).where(sql`${t.isDefault} = 1`)],
)

// The shop's shipping fee rule (one row, id 1; none = no fee): a flat fee per order, waived when
// the goods come to freeOverFen or more (decision 048). Products may override the flat fee.
export const shippingRules = sqliteTable(
  'shipping_rules',
  {
    id: integer().primaryKey(),
    flatFeeFen: integer().notNull().default(0),
    freeOverFen: integer(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    check('shipping_rules_one_row', sql`${t.id} = 1`),
    check('shipping_rules_not_negative', sql`${t.flatFeeFen} >= 0 AND (${t.freeOverFen} IS NULL OR ${t.freeOverFen} >= 0)`),
  ],
)

// ---- membership drops -----------------------------------------------------------------------

// The once-a-year window. All tiers of a drop share one member-number counter.
export const drops = sqliteTable(
  'drops',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    name: text().notNull(),
    opensAt: integer({ mode: 'timestamp_ms' }).notNull(),
    closesAt: integer({ mode: 'timestamp_ms' }).notNull(),
    // Shown after the drop closes (e.g. when the next one is expected).
    announcement: text().notNull().default(''),
    counterId: integer()
      .notNull()
      .references(() => counters.id),
    createdBy: integer().references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('drops_opens_idx').on(t.opensAt), check('drops_window', sql`${t.closesAt} > ${t.opensAt}`)],
)

export const dropTiers = sqliteTable(
  'drop_tiers',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    dropId: integer()
      .notNull()
      .references(() => drops.id, { onDelete: 'cascade' }),
    tierId: integer()
      .notNull()
      .references(() => tiers.id),
    priceFen: integer().notNull(),
    stockId: integer()
      .notNull()
      .references(() => stock.id),
    // Memberships sold in this drop are valid until this instant.
    validUntil: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('drop_tiers_unique').on(t.dropId, t.tierId), uniqueIndex('drop_tiers_stock_unique').on(t.stockId)],
)

// Waiting for a sold-out drop tier; emailed in order of joining when seats come back.
export const dropWaitlist = sqliteTable(
  'drop_waitlist',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    dropTierId: integer()
      .notNull()
      .references(() => dropTiers.id, { onDelete: 'cascade' }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    notifiedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('drop_waitlist_once_unique').on(t.dropTierId, t.userId), index('drop_waitlist_queue_idx').on(t.dropTierId, t.notifiedAt, t.id)],
)

// The waiting room of an open drop (docs/decisions/031-drop-waiting-room.md): one place per buyer
// and drop, in arrival order. A place is live while its page keeps asking (last_seen_at) and,
// once admitted, for a short while to buy; done_at marks it used (the buy was tried) or told 已满.
export const DROP_LINE_OUTCOMES = ['buy', 'full'] as const

export const dropLineEntries = sqliteTable(
  'drop_line_entries',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    dropId: integer()
      .notNull()
      .references(() => drops.id, { onDelete: 'cascade' }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The tier the buyer chose when joining: bought when admitted.
    dropTierId: integer()
      .notNull()
      .references(() => dropTiers.id, { onDelete: 'cascade' }),
    // Arrival order within the drop; a buyer who comes back after lapsing gets a new one.
    position: integer().notNull(),
    joinedAt: integer({ mode: 'timestamp_ms' }).notNull(),
    lastSeenAt: integer({ mode: 'timestamp_ms' }).notNull(),
    admittedAt: integer({ mode: 'timestamp_ms' }),
    doneAt: integer({ mode: 'timestamp_ms' }),
    outcome: text({ enum: DROP_LINE_OUTCOMES }),
  },
  (t) => [
    uniqueIndex('drop_line_user_unique').on(t.dropId, t.userId),
    uniqueIndex('drop_line_position_unique').on(t.dropId, t.position),
    // Who is still in line: every count of people ahead reads only these.
    index('drop_line_open_idx').on(t.dropId, t.position).where(sql`${t.doneAt} IS NULL`),
    index('drop_line_admitted_idx').on(t.dropId, t.admittedAt),
  ],
)

export type DropLineEntry = typeof dropLineEntries.$inferSelect

// ---- notifications (docs/decisions/023-notifications.md) ------------------------------------

export const NOTIFICATION_KINDS = ['thread_reply', 'comment_reply', 'order_shipped', 'refund_done', 'drop_opening', 'news', 'mention', 'membership_expiring', 'product_back', 'product_on_sale'] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]
export const NOTIFICATION_CHANNELS = ['site', 'email', 'wechat'] as const
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number]

// One row per reader per event: the unique (user, kind, key) makes notify() idempotent. The row is
// also the in-site delivery (the bell).
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: NOTIFICATION_KINDS }).notNull(),
    key: text().notNull(),
    data: text({ mode: 'json' }).$type<Record<string, string | number>>().notNull().default({}),
    readAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('notifications_once_unique').on(t.userId, t.kind, t.key), index('notifications_user_idx').on(t.userId, t.readAt, t.id)],
)

// A reader's choice per kind × channel; without a row the kind's default applies.
export const notificationPreferences = sqliteTable(
  'notification_preferences',
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: NOTIFICATION_KINDS }).notNull(),
    channel: text({ enum: NOTIFICATION_CHANNELS }).notNull(),
    enabled: integer({ mode: 'boolean' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.channel] })],
)

// WeChat template messages waiting to be sent, like email_outbox: written in the notification's
// transaction, claimed with a lease, retried with back-off. `testMode` rows are never sent.
export const wechatOutbox = sqliteTable(
  'wechat_outbox',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    notificationId: integer()
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    openid: text().notNull(),
    templateId: text().notNull(),
    payload: text({ mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    testMode: integer({ mode: 'boolean' }).notNull().default(false),
    state: text({ enum: OUTBOX_STATES }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer({ mode: 'timestamp_ms' }).notNull(),
    lockedUntil: integer({ mode: 'timestamp_ms' }),
    sentAt: integer({ mode: 'timestamp_ms' }),
    msgid: text(),
    lastError: text(),
    createdAt: createdAt(),
  },
  (t) => [index('wechat_outbox_due_idx').on(t.state, t.nextAttemptAt), uniqueIndex('wechat_outbox_notification_unique').on(t.notificationId)],
)

// 「开启提醒」 on /membership: remind this reader shortly before the drop opens.
export const dropReminders = sqliteTable(
  'drop_reminders',
  {
    dropId: integer()
      .notNull()
      .references(() => drops.id, { onDelete: 'cascade' }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    remindedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.dropId, t.userId] }), index('drop_reminders_due_idx').on(t.dropId, t.remindedAt)],
)

export type Notification = typeof notifications.$inferSelect
export type WechatOutboxMessage = typeof wechatOutbox.$inferSelect

export type Stock = typeof stock.$inferSelect
export type Order = typeof orders.$inferSelect
export type OrderLine = typeof orderLines.$inferSelect
export type Hold = typeof holds.$inferSelect
export type PaymentEvent = typeof paymentEvents.$inferSelect
export type Checkout = typeof checkouts.$inferSelect
export type Refund = typeof refunds.$inferSelect
export type OrderFlagRow = typeof orderFlags.$inferSelect
export type ProductCategory = typeof productCategories.$inferSelect
export type Product = typeof products.$inferSelect
export type ProductImage = typeof productImages.$inferSelect
export type ProductVariant = typeof productVariants.$inferSelect
export type CartItem = typeof cartItems.$inferSelect
export type Address = typeof addresses.$inferSelect
export type ShippingRuleRow = typeof shippingRules.$inferSelect
export type Drop = typeof drops.$inferSelect
export type DropTier = typeof dropTiers.$inferSelect

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
export type DailyComment = typeof dailyComments.$inferSelect
export type WechatIdentity = typeof wechatIdentities.$inferSelect

// ---- share cards, posters and referrals (issue 13, docs/decisions/022) ----------------------------

// Each reader's referral code (the `?ref=` of the links and posters they share), made the first
// time it is asked for, so existing accounts need no backfill.
export const referralCodes = sqliteTable(
  'referral_codes',
  {
    userId: integer()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    code: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('referral_codes_code_unique').on(t.code)],
)

// Who brought whom: written when an account is created from a `?ref=` visit, counted once its
// address is verified (`verifiedAt`). One row per referred account, never the referrer itself.
export const referrals = sqliteTable(
  'referrals',
  {
    referredUserId: integer()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    referrerId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    verifiedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('referrals_referrer_idx').on(t.referrerId, t.verifiedAt), check('referrals_not_self', sql`${t.referrerId} <> ${t.referredUserId}`)],
)

// 「到货提醒」/「开售提醒」 (issue 13): one waiting request per reader, product and kind. The job
// deletes the row in the transaction that notifies, so each alert fires once; a new press makes a
// new row, and its id keys the notification (`product_back:<productId>:<alertId>`).
export const PRODUCT_ALERT_KINDS = ['back', 'on_sale'] as const
export type ProductAlertKind = (typeof PRODUCT_ALERT_KINDS)[number]

export const productAlerts = sqliteTable(
  'product_alerts',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    kind: text({ enum: PRODUCT_ALERT_KINDS }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('product_alerts_once_unique').on(t.userId, t.productId, t.kind), index('product_alerts_product_idx').on(t.productId, t.kind)],
)

// ---- 又一课: courses of audio and video lessons (issue 17, docs/decisions/039-courses.md) -------

// 领域 are data (商业, 历史, 科学 …): admins add and reorder them; /courses groups by them.
export const courseFields = sqliteTable(
  'course_fields',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    slug: text().notNull(),
    name: text().notNull(),
    sortOrder: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('course_fields_slug_unique').on(t.slug)],
)

export const courses = sqliteTable(
  'courses',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    slug: text().notNull(),
    title: text().notNull(),
    subtitle: text().notNull().default(''),
    fieldId: integer()
      .notNull()
      .references(() => courseFields.id),
    lecturerName: text().notNull(),
    lecturerBio: text().notNull().default(''),
    coverId: text().references(() => media.id),
    // Markdown, rendered through renderMarkdown('staff').
    introduction: text().notNull().default(''),
    // null = not sold on its own; 0 = free for everyone; otherwise the price of buying it once.
    priceFen: integer(),
    // Included for members of this tier and of every higher rank (the tier rule of checkAccess);
    // null = included in no tier.
    includedTierId: integer().references(() => tiers.id),
    // The unlimited stock its purchases are orders of (kind `course`, decision 044); made by the
    // first purchase, so a course never sold has none.
    stockId: integer().references(() => stock.id),
    published: integer({ mode: 'boolean' }).notNull().default(false),
    publishedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('courses_slug_unique').on(t.slug),
    index('courses_published_idx').on(t.published, t.publishedAt),
    index('courses_field_idx').on(t.fieldId, t.published),
    check('courses_price_not_negative', sql`${t.priceFen} IS NULL OR ${t.priceFen} >= 0`),
  ],
)

export const courseChapters = sqliteTable(
  'course_chapters',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    courseId: integer()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    // Order within the course (reordering rewrites these; not unique so a swap needs no dance).
    position: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('course_chapters_course_idx').on(t.courseId, t.position)],
)

export type LessonKind = (typeof LESSON_KINDS)[number]

export const courseLessons = sqliteTable(
  'course_lessons',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    courseId: integer()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    chapterId: integer()
      .notNull()
      .references(() => courseChapters.id, { onDelete: 'cascade' }),
    // Names the lesson's page: /courses/:courseSlug/:slug.
    slug: text().notNull(),
    title: text().notNull(),
    kind: text({ enum: LESSON_KINDS }).notNull(),
    mediaId: text()
      .notNull()
      .references(() => media.id),
    // The frame a video shows before it plays.
    posterId: text().references(() => media.id),
    durationSeconds: integer().notNull(),
    // 文稿: markdown, rendered through renderMarkdown('staff'); notes and highlights point into it.
    transcript: text().notNull().default(''),
    // 试听: open to everyone, visitors included.
    preview: integer({ mode: 'boolean' }).notNull().default(false),
    // Order within its chapter.
    position: integer().notNull(),
    // A course may release one lesson a week: before this moment the lesson is 404 to readers.
    publishAt: integer({ mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('course_lessons_slug_unique').on(t.courseId, t.slug),
    index('course_lessons_chapter_idx').on(t.chapterId, t.position),
    index('course_lessons_media_idx').on(t.mediaId),
    check('course_lessons_duration_positive', sql`${t.durationSeconds} > 0`),
  ],
)

// Where a reader is in a lesson, and when they finished it (≥ 90 % heard or 「标记为已学」).
// courseId is kept beside lessonId so a course's progress and its learners are one index read.
export const lessonProgress = sqliteTable(
  'lesson_progress',
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lessonId: integer()
      .notNull()
      .references(() => courseLessons.id, { onDelete: 'cascade' }),
    courseId: integer()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    positionSeconds: integer().notNull().default(0),
    completedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.lessonId] }),
    index('lesson_progress_course_idx').on(t.courseId, t.userId),
    check('lesson_progress_position_not_negative', sql`${t.positionSeconds} >= 0`),
  ],
)

// A reader's highlight in a lesson's 文稿, with an optional note (decision 045). The range is in
// UTF-16 code units of the 文稿's rendered plain text (what a browser's textContent gives), and
// the quote is kept beside it: checked against the stored 文稿 when written, and used to find the
// passage again if an editor changes the text later. courseId groups /account/notes by course.
export const lessonNotes = sqliteTable(
  'lesson_notes',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lessonId: integer()
      .notNull()
      .references(() => courseLessons.id, { onDelete: 'cascade' }),
    courseId: integer()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    startOffset: integer().notNull(),
    endOffset: integer().notNull(),
    quote: text().notNull(),
    // '' for a bare highlight (划线); at most 2,000 characters.
    note: text().notNull().default(''),
    createdAt: createdAt(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('lesson_notes_user_course_idx').on(t.userId, t.courseId, t.lessonId, t.startOffset),
    index('lesson_notes_lesson_user_idx').on(t.lessonId, t.userId),
    check('lesson_notes_range_valid', sql`${t.startOffset} >= 0 and ${t.endOffset} > ${t.startOffset}`),
    check('lesson_notes_note_length', sql`length(${t.note}) <= 2000`),
  ],
)

export type CourseField = typeof courseFields.$inferSelect
export type Course = typeof courses.$inferSelect
export type CourseChapter = typeof courseChapters.$inferSelect
export type CourseLesson = typeof courseLessons.$inferSelect
export type LessonProgress = typeof lessonProgress.$inferSelect
export type LessonNote = typeof lessonNotes.$inferSelect
