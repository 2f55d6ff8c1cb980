// The community's pure rules (app/domain/community.ts): one table of every viewer × action with
// the exact answer, then the job-post rules (expiry, renewing once) and who sees hidden posts.
import { describe, expect, it } from 'vitest'
import {
  canDelete,
  canEdit,
  canModerate,
  canReadBoard,
  canRenew,
  canSeeContact,
  canSeeHidden,
  COMMUNITY_LIMITS,
  decidePost,
  isJobExpired,
  jobExpiry,
  type CommunityViewer,
  type PostDecision,
} from '~/domain/community'

const now = new Date('2027-06-01T08:00:00Z')
const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS
const at = (ms: number) => new Date(now.getTime() + ms)

const VIEWER_ID = 7
const SOMEONE_ELSE = 8
const banEnds = at(7 * DAY_MS)

const VIEWERS = {
  visitor: null,
  'user (rank 0)': { userId: VIEWER_ID, role: 'user', rank: 0, bannedUntil: null },
  '亲情会员 (rank 1)': { userId: VIEWER_ID, role: 'user', rank: 1, bannedUntil: null },
  '铁杆会员 (rank 2)': { userId: VIEWER_ID, role: 'user', rank: 2, bannedUntil: null },
  'banned 亲情会员': { userId: VIEWER_ID, role: 'user', rank: 1, bannedUntil: banEnds },
  '亲情会员 whose ban ended': { userId: VIEWER_ID, role: 'user', rank: 1, bannedUntil: at(-DAY_MS) },
  editor: { userId: VIEWER_ID, role: 'editor', rank: 0, bannedUntil: null },
  admin: { userId: VIEWER_ID, role: 'admin', rank: 0, bannedUntil: null },
} satisfies Record<string, CommunityViewer>
type ViewerName = keyof typeof VIEWERS

// The seeded boards: everyone reads, members (rank ≥ 1) post and reply.
const seededBoard = { readMinRank: 0, postMinRank: 1 }
// A board an admin restricted to 铁杆会员 for reading and posting.
const tieganBoard = { readMinRank: 2, postMinRank: 2 }

// Posts by the viewer ("own") and by somebody else; the visitor owns nothing.
const ownPost = (createdAt: Date) => ({ authorId: VIEWER_ID, createdAt })
const othersPost = { authorId: SOMEONE_ELSE, createdAt: at(-MINUTE_MS) }

const ALLOWED: PostDecision = { allowed: true }
const SIGN_IN: PostDecision = { allowed: false, reason: 'sign_in_required' }
const MEMBERSHIP: PostDecision = { allowed: false, reason: 'membership_required' }
const BANNED: PostDecision = { allowed: false, reason: 'banned', until: banEnds }

const ACTIONS = {
  'read a seeded board': (v: CommunityViewer) => canReadBoard(seededBoard, v),
  'read a 铁杆-only board': (v: CommunityViewer) => canReadBoard(tieganBoard, v),
  'post or reply on a seeded board': (v: CommunityViewer) => decidePost(seededBoard, v, now),
  'post or reply on a 铁杆-only board': (v: CommunityViewer) => decidePost(tieganBoard, v, now),
  'edit own post 14 min after posting': (v: CommunityViewer) => canEdit(ownPost(at(-14 * MINUTE_MS)), v, now),
  'edit own post 16 min after posting': (v: CommunityViewer) => canEdit(ownPost(at(-16 * MINUTE_MS)), v, now),
  "edit someone else's fresh post": (v: CommunityViewer) => canEdit(othersPost, v, now),
  'delete own post': (v: CommunityViewer) => canDelete(ownPost(at(-DAY_MS)), v),
  "delete someone else's post": (v: CommunityViewer) => canDelete(othersPost, v),
  moderate: (v: CommunityViewer) => canModerate(v),
  'see a job contact': (v: CommunityViewer) => canSeeContact(v),
} as const
type ActionName = keyof typeof ACTIONS
type Answer = boolean | PostDecision

const TABLE: Record<ViewerName, Record<ActionName, Answer>> = {
  visitor: {
    'read a seeded board': true, 'read a 铁杆-only board': false,
    'post or reply on a seeded board': SIGN_IN, 'post or reply on a 铁杆-only board': SIGN_IN,
    'edit own post 14 min after posting': false, 'edit own post 16 min after posting': false, "edit someone else's fresh post": false,
    'delete own post': false, "delete someone else's post": false,
    moderate: false, 'see a job contact': false,
  },
  'user (rank 0)': {
    'read a seeded board': true, 'read a 铁杆-only board': false,
    'post or reply on a seeded board': MEMBERSHIP, 'post or reply on a 铁杆-only board': MEMBERSHIP,
    'edit own post 14 min after posting': true, 'edit own post 16 min after posting': false, "edit someone else's fresh post": false,
    'delete own post': true, "delete someone else's post": false,
    moderate: false, 'see a job contact': false,
  },
  '亲情会员 (rank 1)': {
    'read a seeded board': true, 'read a 铁杆-only board': false,
    'post or reply on a seeded board': ALLOWED, 'post or reply on a 铁杆-only board': MEMBERSHIP,
    'edit own post 14 min after posting': true, 'edit own post 16 min after posting': false, "edit someone else's fresh post": false,
    'delete own post': true, "delete someone else's post": false,
    moderate: false, 'see a job contact': true,
  },
  '铁杆会员 (rank 2)': {
    'read a seeded board': true, 'read a 铁杆-only board': true,
    'post or reply on a seeded board': ALLOWED, 'post or reply on a 铁杆-only board': ALLOWED,
    'edit own post 14 min after posting': true, 'edit own post 16 min after posting': false, "edit someone else's fresh post": false,
    'delete own post': true, "delete someone else's post": false,
    moderate: false, 'see a job contact': true,
  },
  'banned 亲情会员': {
    'read a seeded board': true, 'read a 铁杆-only board': false,
    'post or reply on a seeded board': BANNED, 'post or reply on a 铁杆-only board': BANNED,
    // A ban stops edits too: an edit is new content.
    'edit own post 14 min after posting': false, 'edit own post 16 min after posting': false, "edit someone else's fresh post": false,
    'delete own post': true, "delete someone else's post": false,
    moderate: false, 'see a job contact': true,
  },
  '亲情会员 whose ban ended': {
    'read a seeded board': true, 'read a 铁杆-only board': false,
    'post or reply on a seeded board': ALLOWED, 'post or reply on a 铁杆-only board': MEMBERSHIP,
    'edit own post 14 min after posting': true, 'edit own post 16 min after posting': false, "edit someone else's fresh post": false,
    'delete own post': true, "delete someone else's post": false,
    moderate: false, 'see a job contact': true,
  },
  // Staff moderate others' posts through moderation; edit and delete stay the author's own.
  editor: {
    'read a seeded board': true, 'read a 铁杆-only board': true,
    'post or reply on a seeded board': ALLOWED, 'post or reply on a 铁杆-only board': ALLOWED,
    'edit own post 14 min after posting': true, 'edit own post 16 min after posting': false, "edit someone else's fresh post": false,
    'delete own post': true, "delete someone else's post": false,
    moderate: true, 'see a job contact': true,
  },
  admin: {
    'read a seeded board': true, 'read a 铁杆-only board': true,
    'post or reply on a seeded board': ALLOWED, 'post or reply on a 铁杆-only board': ALLOWED,
    'edit own post 14 min after posting': true, 'edit own post 16 min after posting': false, "edit someone else's fresh post": false,
    'delete own post': true, "delete someone else's post": false,
    moderate: true, 'see a job contact': true,
  },
}

const describeAnswer = (answer: Answer) =>
  typeof answer === 'boolean' ? (answer ? 'yes' : 'no') : answer.allowed ? 'allowed' : `refused: ${answer.reason}`

const cases = Object.entries(TABLE).flatMap(([viewer, row]) =>
  Object.entries(row).map(([action, expected]) => ({ viewer: viewer as ViewerName, action: action as ActionName, expected, outcome: describeAnswer(expected) })),
)

describe('community permissions: every viewer × action', () => {
  it('the table covers every viewer and every action', () => {
    expect(cases).toHaveLength(Object.keys(VIEWERS).length * Object.keys(ACTIONS).length)
  })

  it.each(cases)('$viewer — $action → $outcome', ({ viewer, action, expected }) => {
    expect(ACTIONS[action](VIEWERS[viewer])).toEqual(expected)
  })
})

describe('community permissions: edges of the rules', () => {
  const member = VIEWERS['亲情会员 (rank 1)']

  it('the 15-minute edit window includes its last millisecond and not the one after', () => {
    expect(canEdit(ownPost(at(-COMMUNITY_LIMITS.editWindowMs)), member, now)).toBe(true)
    expect(canEdit(ownPost(at(-COMMUNITY_LIMITS.editWindowMs - 1)), member, now)).toBe(false)
  })

  it('a posting ban stops posting until its last instant, and no longer once that instant is reached', () => {
    const bannedUntilNow = { ...member, bannedUntil: now }
    expect(decidePost(seededBoard, bannedUntilNow, at(-1))).toEqual({ allowed: false, reason: 'banned', until: now })
    expect(decidePost(seededBoard, bannedUntilNow, now)).toEqual(ALLOWED)
  })

  it('a banned editor cannot post either: the ban outranks the staff role', () => {
    const bannedEditor = { ...VIEWERS.editor, bannedUntil: banEnds }
    expect(decidePost(seededBoard, bannedEditor, now)).toEqual(BANNED)
  })

  it('a 亲情会员 cannot read a 铁杆-only board, but anyone can read a board open to rank 0', () => {
    expect(canReadBoard({ readMinRank: 2, postMinRank: 2 }, member)).toBe(false)
    expect(canReadBoard({ readMinRank: 0, postMinRank: 2 }, null)).toBe(true)
  })
})

describe('hidden posts', () => {
  const hiddenPost = { authorId: VIEWER_ID }

  it.each([
    ['visitor', null, false],
    ['another 铁杆会员', { userId: SOMEONE_ELSE, role: 'user', rank: 2, bannedUntil: null }, false],
    ['its author', { userId: VIEWER_ID, role: 'user', rank: 1, bannedUntil: null }, true],
    ['an editor', { userId: SOMEONE_ELSE, role: 'editor', rank: 0, bannedUntil: null }, true],
    ['an admin', { userId: SOMEONE_ELSE, role: 'admin', rank: 0, bannedUntil: null }, true],
  ] satisfies [string, CommunityViewer, boolean][])('%s sees a hidden post: %s', (_name, viewer, expected) => {
    expect(canSeeHidden(hiddenPost, viewer)).toBe(expected)
  })
})

describe('job posts: expiry and renewing', () => {
  it('a job post runs 30 days by default, or the number of days its author chose', () => {
    expect(jobExpiry(now)).toEqual(new Date('2027-07-01T08:00:00Z'))
    expect(jobExpiry(now, 7)).toEqual(new Date('2027-06-08T08:00:00Z'))
    expect(jobExpiry(now, COMMUNITY_LIMITS.jobMaxDays)).toEqual(new Date('2027-08-30T08:00:00Z'))
  })

  it('a job post is expired from its expiry instant on; a post without expiry never expires', () => {
    expect(isJobExpired({ expiresAt: at(1) }, now)).toBe(false)
    expect(isJobExpired({ expiresAt: now }, now)).toBe(true)
    expect(isJobExpired({ expiresAt: at(-DAY_MS) }, now)).toBe(true)
    expect(isJobExpired({ expiresAt: null }, now)).toBe(false)
  })

  const author = VIEWERS['亲情会员 (rank 1)']
  const job = { authorId: VIEWER_ID, expiresAt: at(-DAY_MS), renewedAt: null }

  it('the author may renew a job post once, expired or not', () => {
    expect(canRenew(job, author)).toBe(true)
    expect(canRenew({ ...job, expiresAt: at(DAY_MS) }, author)).toBe(true)
  })

  it('a job post already renewed cannot be renewed again', () => {
    expect(canRenew({ ...job, renewedAt: at(-2 * DAY_MS) }, author)).toBe(false)
  })

  it('nobody but the author renews — not another member, not staff, not a visitor', () => {
    expect(canRenew(job, { ...author, userId: SOMEONE_ELSE })).toBe(false)
    expect(canRenew(job, { ...VIEWERS.admin, userId: SOMEONE_ELSE })).toBe(false)
    expect(canRenew(job, null)).toBe(false)
  })

  it('a thread without expiry (not a job post) cannot be renewed', () => {
    expect(canRenew({ ...job, expiresAt: null }, author)).toBe(false)
  })
})
