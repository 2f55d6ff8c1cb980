// The community routes' loaders and actions against this file's real SQLite database: who sees
// a job post's contact, what the forms refuse (and that nothing is stored then), ownership when
// an id in a form is changed, rate limits with Retry-After, and markup in user text.
import { beforeAll, describe, expect, it } from 'vitest'
import { threads, type Board, type StaffRole, type Thread, type User } from '../../db/schema'
import { loader as boardLoader } from '~/routes/community.$board'
import { loader as indexLoader } from '~/routes/community._index'
import { action as newThreadAction, loader as newThreadLoader } from '~/routes/community.new'
import { action as threadAction, loader as threadLoader } from '~/routes/community.t.$id'
import { action as editAction, loader as editLoader } from '~/routes/community.t.$id_.edit'
import {
  insertBoard,
  insertPostingBan,
  insertReply,
  insertThread,
  jobForm,
  repliesBy,
  replyById,
  seededBoards,
  sharingForm,
  threadById,
  threadsBy,
} from '../factories/community'
import { countRows } from '../factories/db'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, DAY_MS, signedInCookie, type TierSlug } from '../factories/users'

let jobs: Board
let sharing: Board

beforeAll(async () => {
  ;({ jobs, sharing } = await seededBoards())
})

interface Person {
  user: User
  cookie: string
}

async function person({ role = 'user', tier, displayName }: { role?: StaffRole; tier?: TierSlug; displayName?: string } = {}): Promise<Person> {
  const { user } = await createTestUser({ role, tier, displayName })
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}
const member = () => person({ tier: 'qinqing' })

// ---- calling the routes ------------------------------------------------------------------------

function viewThread(id: number, cookie?: string) {
  return threadLoader(routeArgs(requestFor(`/community/t/${id}`, { cookie }), { id: String(id) }))
}

function postToThread(id: number, form: Record<string, string>, cookie?: string) {
  return threadAction(routeArgs(requestFor(`/community/t/${id}`, { form, cookie }), { id: String(id) }))
}

function postNewThread(boardSlug: string, form: Record<string, string>, cookie?: string) {
  return newThreadAction(routeArgs(requestFor(`/community/new?board=${boardSlug}`, { form, cookie })))
}

function postEdit(threadId: number, form: Record<string, string>, cookie?: string, replyId?: number) {
  const path = `/community/t/${threadId}/edit${replyId === undefined ? '' : `?reply=${replyId}`}`
  return editAction(routeArgs(requestFor(path, { form, cookie }), { id: String(threadId) }))
}

/** The id of the thread a successful new-thread action redirected to. */
function createdThreadId(result: unknown) {
  const { location } = readRedirect(result)
  const match = /^\/community\/t\/(\d+)$/.exec(location ?? '')
  expect(match, `redirected to ${location}`).not.toBeNull()
  return Number(match![1])
}

// ---- contact privacy ---------------------------------------------------------------------------

describe('a job post’s contact is sent only to members and staff', () => {
  const CONTACT = '微信 zhiyin-hr-8848'
  let job: Thread
  const cookies: Record<string, string | undefined> = {}

  beforeAll(async () => {
    const author = await member()
    job = await insertThread({
      boardId: jobs.id,
      authorId: author.user.id,
      title: '招聘全栈工程师',
      body: '欢迎投递简历。',
      jobKind: 'hiring',
      city: '深圳',
      contact: CONTACT,
      expiresAt: new Date(Date.now() + 20 * DAY_MS),
      lastActivityAt: new Date(),
    })
    cookies.visitor = undefined
    cookies['user (rank 0)'] = (await person()).cookie
    cookies['亲情会员'] = (await person({ tier: 'qinqing' })).cookie
    cookies['铁杆会员'] = (await person({ tier: 'tiegan' })).cookie
    cookies.editor = (await person({ role: 'editor' })).cookie
    cookies.admin = (await person({ role: 'admin' })).cookie
  })

  it.each([
    ['visitor', false],
    ['user (rank 0)', false],
    ['亲情会员', true],
    ['铁杆会员', true],
    ['editor', true],
    ['admin', true],
  ])('%s viewing the job thread: contact in the page data → %s', async (viewer, sees) => {
    const data = await viewThread(job.id, cookies[viewer])

    expect(data.thread.title).toBe('招聘全栈工程师')
    expect(JSON.stringify(data).includes(CONTACT)).toBe(sees)
    expect(data.thread.job).toMatchObject({ contact: sees ? CONTACT : null, contactVisible: sees, city: '深圳' })
  })

  it('the board listing and the community search never carry the contact, even for a member', async () => {
    for (const cookie of [undefined, cookies['亲情会员']]) {
      const board = await boardLoader(routeArgs(requestFor('/community/jobs', { cookie }), { board: 'jobs' }))
      expect(board.threads.map((t) => t.id)).toContain(job.id)
      expect(JSON.stringify(board)).not.toContain(CONTACT)

      const search = await indexLoader(routeArgs(requestFor(`/community?q=${encodeURIComponent('全栈工程')}`, { cookie })))
      expect(search.results?.map((t) => t.id)).toEqual([job.id])
      expect(JSON.stringify(search)).not.toContain(CONTACT)
    }
  })
})

// ---- who may see a thread ------------------------------------------------------------------------

describe('the thread page: hidden, deleted and missing threads', () => {
  it('a hidden thread is 404 for readers and members, shown to its author and to staff with the reason', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id, hiddenAt: new Date(), hiddenReason: '涉嫌广告' })
    const reader = await member()
    const editor = await person({ role: 'editor' })

    expect((await thrownResponse(viewThread(thread.id))).status).toBe(404)
    expect((await thrownResponse(viewThread(thread.id, reader.cookie))).status).toBe(404)
    expect((await viewThread(thread.id, author.cookie)).thread.hiddenReason).toBe('涉嫌广告')
    expect((await viewThread(thread.id, editor.cookie)).thread.hiddenReason).toBe('涉嫌广告')
  })

  it('a deleted thread is 404 for everyone, staff and author included; so are unknown and malformed ids', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id, deletedAt: new Date() })
    const admin = await person({ role: 'admin' })

    for (const cookie of [undefined, author.cookie, admin.cookie]) {
      expect((await thrownResponse(viewThread(thread.id, cookie))).status).toBe(404)
    }
    for (const id of ['999999', '0', '-1', '1e3', 'abc']) {
      const response = await thrownResponse(threadLoader(routeArgs(requestFor(`/community/t/${id}`), { id })))
      expect(response.status, `id ${id}`).toBe(404)
    }
  })

  it('an expired job thread is still readable by its link', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: jobs.id, authorId: author.user.id, jobKind: 'seeking', expiresAt: new Date(Date.now() - DAY_MS) })

    const data = await viewThread(thread.id)

    expect(data.thread.job).toMatchObject({ expired: true })
  })
})

// ---- starting a thread ------------------------------------------------------------------------------

describe('starting a thread (/community/new)', () => {
  it('a member’s valid thread is stored and they are sent to it', async () => {
    const poster = await member()

    const id = createdThreadId(await postNewThread('sharing', sharingForm({ title: '我的第一篇分享', body: '今天学到的东西' }), poster.cookie))

    expect(await threadById(id)).toMatchObject({ boardId: sharing.id, authorId: poster.user.id, title: '我的第一篇分享', body: '今天学到的东西' })
  })

  it('a member’s job post stores its job fields and contact', async () => {
    const poster = await member()

    const id = createdThreadId(await postNewThread('jobs', jobForm({ contact: 'jobs@example.com', city: '', remote: 'on' }), poster.cookie))

    expect(await threadById(id)).toMatchObject({ boardId: jobs.id, jobKind: 'hiring', city: null, remote: true, salaryMin: 20000, salaryMax: 30000, contact: 'jobs@example.com' })
  })

  it('a title of exactly 80 characters is accepted', async () => {
    const poster = await member()
    const title = '长'.repeat(80)

    const id = createdThreadId(await postNewThread('sharing', sharingForm({ title }), poster.cookie))

    expect((await threadById(id))?.title).toBe(title)
  })

  it.each([
    ['an empty title', 'sharing', sharingForm({ title: '' }), 'title'],
    ['a title of only spaces', 'sharing', sharingForm({ title: '   ' }), 'title'],
    ['an 81-character title', 'sharing', sharingForm({ title: '长'.repeat(81) }), 'title'],
    ['an empty body', 'sharing', sharingForm({ body: '' }), 'body'],
    ['a body over 20,000 characters', 'sharing', sharingForm({ body: '字'.repeat(20_001) }), 'body'],
    ['a minimum salary above the maximum', 'jobs', jobForm({ salaryMin: '30000', salaryMax: '20000' }), 'salaryMin'],
    ['a salary that is not a number', 'jobs', jobForm({ salaryMin: '两万' }), 'salaryMin'],
    ['an expiry of 91 days', 'jobs', jobForm({ expiresInDays: '91' }), 'expiresInDays'],
    ['an expiry of 0 days', 'jobs', jobForm({ expiresInDays: '0' }), 'expiresInDays'],
    ['a job post without contact', 'jobs', jobForm({ contact: '' }), 'contact'],
    ['a job post with neither city nor remote', 'jobs', jobForm({ city: '' }), 'city'],
    ['a job post without a kind', 'jobs', jobForm({ jobKind: 'freelance' }), 'jobKind'],
  ])('%s → 400 with an error on that field, nothing stored', async (_case, boardSlug, form, field) => {
    const poster = await member()

    const { status, data } = readData<{ errors: Record<string, string>; values: Record<string, unknown> }>(await postNewThread(boardSlug, form, poster.cookie))

    expect(status).toBe(400)
    expect(Object.keys(data.errors)).toEqual([field])
    expect(data.errors[field]).toMatch(/\S/)
    // The form comes back filled in, so the member does not retype it.
    expect(data.values.title).toBe(form.title)
    expect(await threadsBy(poster.user.id)).toEqual([])
  })

  it('a visitor is sent to sign in and nothing is stored', async () => {
    const before = await countRows(threads)

    const response = await thrownResponse(postNewThread('sharing', sharingForm({ title: '游客的帖子' })))

    expect(await countRows(threads)).toBe(before)
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe(`/login?${new URLSearchParams({ redirectTo: '/community/new?board=sharing' })}`)
  })

  it('a signed-in user without membership is refused on the form (403, 「亲情会员及以上可发帖」, their text kept) and nothing is stored', async () => {
    const user = await person()

    const refused = readData<{ errors: Record<string, string>; values: Record<string, string> }>(await postNewThread('sharing', sharingForm({ title: '想发的帖子' }), user.cookie))

    expect(refused.status).toBe(403)
    expect(refused.data.errors).toEqual({ form: '亲情会员及以上可发帖和回复' })
    expect(refused.data.values.title).toBe('想发的帖子')
    expect(await threadsBy(user.user.id)).toEqual([])
    // The page says so before they try, with the way to join, answered 403 (not an error page).
    const page = readData<{ gate: { allowed: boolean; message: string; join: boolean; signIn: boolean } }>(
      await newThreadLoader(routeArgs(requestFor('/community/new?board=sharing', { cookie: user.cookie }))),
    )
    expect(page.status).toBe(403)
    expect(page.data.gate).toEqual({ allowed: false, reason: 'membership_required', message: '亲情会员及以上可发帖和回复', join: true, signIn: false })
  })

  it('a banned member is refused on the form (403) naming the date the ban ends, and nothing is stored', async () => {
    const banned = await member()
    // 2031-02-03 04:05 UTC is 12:05 on 3 February in Shanghai, the site's time zone.
    await insertPostingBan(banned.user.id, new Date('2031-02-03T04:05:00Z'))

    const refused = readData(await postNewThread('sharing', sharingForm(), banned.cookie))

    expect(refused.status).toBe(403)
    expect(refused.data.errors.form).toContain('2031年2月3日 12:05')
    expect(await threadsBy(banned.user.id)).toEqual([])
  })

  it('the board chooser says, for each board, whether this author may post there', async () => {
    const user = await person()
    const poster = await member()
    const boardsFor = async (cookie: string) =>
      ((await newThreadLoader(routeArgs(requestFor('/community/new', { cookie })))) as { boards: { slug: string; gate: { allowed: boolean; message?: string } }[] }).boards
    expect((await boardsFor(user.cookie)).map((b) => [b.slug, b.gate.allowed, b.gate.message])).toEqual([
      ['jobs', false, '亲情会员及以上可发帖和回复'],
      ['sharing', false, '亲情会员及以上可发帖和回复'],
    ])
    expect((await boardsFor(poster.cookie)).every((b) => b.gate.allowed)).toBe(true)
  })

  it('a member whose ban ended posts again', async () => {
    const pardoned = await member()
    await insertPostingBan(pardoned.user.id, new Date(Date.now() - 60_000))

    createdThreadId(await postNewThread('sharing', sharingForm(), pardoned.cookie))

    expect(await threadsBy(pardoned.user.id)).toHaveLength(1)
  })

  it('an unknown board is 404', async () => {
    const poster = await member()

    expect((await thrownResponse(postNewThread('no-such-board', sharingForm(), poster.cookie))).status).toBe(404)
    expect(await threadsBy(poster.user.id)).toEqual([])
  })

  it('a second thread within a minute → 429 with Retry-After, and only the first is stored', async () => {
    const poster = await member()
    createdThreadId(await postNewThread('sharing', sharingForm({ title: '第一帖' }), poster.cookie))

    const { status, data, headers } = readData(await postNewThread('sharing', sharingForm({ title: '第二帖' }), poster.cookie))

    expect(status).toBe(429)
    const retryAfter = Number(headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(data.errors.form).toContain(String(retryAfter))
    expect((await threadsBy(poster.user.id)).map((t) => t.title)).toEqual(['第一帖'])
  })
})

// ---- the thread page's actions --------------------------------------------------------------------

describe('replying on the thread page', () => {
  it('a member’s reply is stored and they are sent to it', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id })
    const replier = await member()

    const { location } = readRedirect(await postToThread(thread.id, { intent: 'reply', body: '写得真好' }, replier.cookie))

    const [reply] = await repliesBy(replier.user.id)
    expect(reply).toMatchObject({ threadId: thread.id, body: '写得真好' })
    expect(location).toBe(`/community/t/${thread.id}#reply-${reply!.id}`)
    expect(await threadById(thread.id)).toMatchObject({ replyCount: 1 })
  })

  it.each([
    ['an empty reply', ''],
    ['a reply over 5,000 characters', '字'.repeat(5_001)],
  ])('%s → 400 with an error on the body, nothing stored', async (_case, body) => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const replier = await member()

    const { status, data } = readData(await postToThread(thread.id, { intent: 'reply', body }, replier.cookie))

    expect(status).toBe(400)
    expect(Object.keys(data.errors)).toEqual(['body'])
    expect(await repliesBy(replier.user.id)).toEqual([])
  })

  it('a signed-in user without membership gets 403 and nothing is stored', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const user = await person()

    const { status, data } = readData(await postToThread(thread.id, { intent: 'reply', body: '我也想说' }, user.cookie))

    expect(status).toBe(403)
    expect(data.errors.form).toMatch(/\S/)
    expect(await repliesBy(user.user.id)).toEqual([])
  })

  it('a banned member gets 403 naming the date the ban ends, and nothing is stored', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const banned = await member()
    await insertPostingBan(banned.user.id, new Date('2031-02-03T04:05:00Z'))

    const { status, data } = readData(await postToThread(thread.id, { intent: 'reply', body: '被禁言了还想说' }, banned.cookie))

    expect(status).toBe(403)
    expect(data.errors.form).toContain('2031年2月3日 12:05')
    expect(await repliesBy(banned.user.id)).toEqual([])
  })

  it('replying to a locked thread → 409 and nothing is stored', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id, locked: true })
    const replier = await member()

    const { status, data } = readData(await postToThread(thread.id, { intent: 'reply', body: '锁了吗' }, replier.cookie))

    expect(status).toBe(409)
    expect(data.errors.form).toMatch(/\S/)
    expect(await repliesBy(replier.user.id)).toEqual([])
    expect(await threadById(thread.id)).toMatchObject({ replyCount: 0 })
  })

  it('replying to a hidden thread → 404 for a member who is not its author, nothing stored', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id, hiddenAt: new Date() })
    const replier = await member()

    const response = await thrownResponse(postToThread(thread.id, { intent: 'reply', body: '看不到' }, replier.cookie))

    expect(response.status).toBe(404)
    expect(await repliesBy(replier.user.id)).toEqual([])
  })

  it('a seventh reply within a minute → 429 with Retry-After, and only six are stored', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const replier = await member()
    for (let i = 0; i < 6; i++) {
      readRedirect(await postToThread(thread.id, { intent: 'reply', body: `第${i + 1}条` }, replier.cookie))
    }

    const { status, data, headers } = readData(await postToThread(thread.id, { intent: 'reply', body: '第七条' }, replier.cookie))

    expect(status).toBe(429)
    const retryAfter = Number(headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(data.errors.form).toContain(String(retryAfter))
    expect(await repliesBy(replier.user.id)).toHaveLength(6)
  })

  it('a quote of a reply from another thread is dropped', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const elsewhere = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const foreign = await insertReply({ threadId: elsewhere.id, authorId: elsewhere.authorId, body: '别处的话' })
    const replier = await member()

    readRedirect(await postToThread(thread.id, { intent: 'reply', body: '引用', quoteReplyId: String(foreign.id) }, replier.cookie))

    const [reply] = await repliesBy(replier.user.id)
    expect(reply).toMatchObject({ threadId: thread.id, quoteReplyId: null })
  })

  it('an unknown intent → 400 and nothing changes', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id })

    const { status } = readData(await postToThread(thread.id, { intent: 'destroy-everything' }, author.cookie))

    expect(status).toBe(400)
    expect(await threadById(thread.id)).toMatchObject({ deletedAt: null })
  })
})

describe('deleting and renewing on the thread page: only one’s own', () => {
  it('the author deletes their thread and is sent back to the board', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id })

    const { location } = readRedirect(await postToThread(thread.id, { intent: 'delete-thread' }, author.cookie))

    expect(location).toBe('/community/sharing')
    expect((await threadById(thread.id))?.deletedAt).toBeInstanceOf(Date)
  })

  it('someone else deleting the thread → 403 and the thread stays', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id })
    const intruder = await member()

    expect((await thrownResponse(postToThread(thread.id, { intent: 'delete-thread' }, intruder.cookie))).status).toBe(403)
    expect(await threadById(thread.id)).toMatchObject({ deletedAt: null })
    // Not even an editor: staff hide through moderation, they do not delete.
    const editor = await person({ role: 'editor' })
    expect((await thrownResponse(postToThread(thread.id, { intent: 'delete-thread' }, editor.cookie))).status).toBe(403)
    expect(await threadById(thread.id)).toMatchObject({ deletedAt: null })
  })

  it('deleting someone else’s reply by putting its id in the form → 403 and the reply stays', async () => {
    const intruder = await member()
    const ownThread = await insertThread({ boardId: sharing.id, authorId: intruder.user.id })
    const victimThread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id, replyCount: 1 })
    const victimReply = await insertReply({ threadId: victimThread.id, authorId: victimThread.authorId, body: '别人的回复' })

    // On the reply's own thread page, and on the intruder's own thread page with the id swapped in.
    for (const pageId of [victimThread.id, ownThread.id]) {
      const response = await thrownResponse(postToThread(pageId, { intent: 'delete-reply', replyId: String(victimReply.id) }, intruder.cookie))
      expect(response.status).toBe(403)
    }

    expect(await replyById(victimReply.id)).toMatchObject({ deletedAt: null, body: '别人的回复' })
    expect(await threadById(victimThread.id)).toMatchObject({ replyCount: 1 })
  })

  it('the author deletes their reply: it leaves the page and the count', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const replier = await member()
    readRedirect(await postToThread(thread.id, { intent: 'reply', body: '说错了' }, replier.cookie))
    const [reply] = await repliesBy(replier.user.id)

    readRedirect(await postToThread(thread.id, { intent: 'delete-reply', replyId: String(reply!.id) }, replier.cookie))

    expect(await threadById(thread.id)).toMatchObject({ replyCount: 0 })
    const page = await viewThread(thread.id)
    expect(page.replies).toEqual([])
  })

  it('a malformed reply id → 400 and nothing changes', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id })

    const { status, data } = readData(await postToThread(thread.id, { intent: 'delete-reply', replyId: 'abc' }, author.cookie))

    expect(status).toBe(400)
    expect(Object.keys(data.errors)).toEqual(['replyId'])
  })

  it('the author renews a job post once; the second time → 403', async () => {
    const author = await member()
    const job = await insertThread({ boardId: jobs.id, authorId: author.user.id, jobKind: 'hiring', expiresAt: new Date(Date.now() - DAY_MS) })

    readRedirect(await postToThread(job.id, { intent: 'renew' }, author.cookie))
    const renewed = await threadById(job.id)
    expect(renewed?.renewedAt).toBeInstanceOf(Date)
    expect(renewed!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * DAY_MS)

    expect((await thrownResponse(postToThread(job.id, { intent: 'renew' }, author.cookie))).status).toBe(403)
    expect((await threadById(job.id))?.expiresAt).toEqual(renewed!.expiresAt)
  })

  it('someone else renewing a job post → 403 and it stays expired', async () => {
    const author = await member()
    const expiresAt = new Date(Date.now() - DAY_MS)
    const job = await insertThread({ boardId: jobs.id, authorId: author.user.id, jobKind: 'hiring', expiresAt })
    const intruder = await member()

    expect((await thrownResponse(postToThread(job.id, { intent: 'renew' }, intruder.cookie))).status).toBe(403)
    expect(await threadById(job.id)).toMatchObject({ expiresAt, renewedAt: null })
  })

  it('a visitor posting any intent is sent to sign in', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })

    const response = await thrownResponse(postToThread(thread.id, { intent: 'delete-thread' }))

    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toMatch(/^\/login\?/)
    expect(await threadById(thread.id)).toMatchObject({ deletedAt: null })
  })
})

// ---- editing ------------------------------------------------------------------------------------

describe('editing a thread or reply (/community/t/:id/edit)', () => {
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000)

  it('the author edits their thread within 15 minutes: stored, marked edited, sent back to it', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id, createdAt: minutesAgo(5) })

    const { location } = readRedirect(await postEdit(thread.id, { title: '改好的标题', body: '改好的正文' }, author.cookie))

    expect(location).toBe(`/community/t/${thread.id}`)
    expect(await threadById(thread.id)).toMatchObject({ title: '改好的标题', body: '改好的正文' })
    expect((await viewThread(thread.id)).thread.edited).toBe(true)
  })

  it.each([
    ['an empty title', { title: '', body: '正文' }, 'title'],
    ['an 81-character title', { title: '长'.repeat(81), body: '正文' }, 'title'],
    ['a body over 20,000 characters', { title: '标题', body: '字'.repeat(20_001) }, 'body'],
  ])('an edit with %s → 400 on that field, the thread unchanged', async (_case, form, field) => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id, createdAt: minutesAgo(5) })

    const { status, data } = readData(await postEdit(thread.id, form, author.cookie))

    expect(status).toBe(400)
    expect(Object.keys(data.errors)).toEqual([field])
    expect(await threadById(thread.id)).toMatchObject({ title: thread.title, body: thread.body, editedAt: null })
  })

  it('a job edit with the minimum salary above the maximum → 400, the post unchanged', async () => {
    const author = await member()
    const job = await insertThread({ boardId: jobs.id, authorId: author.user.id, createdAt: minutesAgo(5), jobKind: 'hiring', city: '上海', salaryMin: 1, salaryMax: 2, contact: 'a@example.com', expiresAt: new Date(Date.now() + DAY_MS) })
    const { expiresInDays: _dropped, ...form } = jobForm({ salaryMin: '50000', salaryMax: '40000' })

    const { status, data } = readData(await postEdit(job.id, form, author.cookie))

    expect(status).toBe(400)
    expect(Object.keys(data.errors)).toEqual(['salaryMin'])
    expect(await threadById(job.id)).toMatchObject({ salaryMin: 1, salaryMax: 2, title: job.title })
  })

  it('someone else editing the thread by its id → 403, the thread unchanged', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id, createdAt: minutesAgo(1) })
    const intruder = await member()
    const editor = await person({ role: 'editor' })

    for (const cookie of [intruder.cookie, editor.cookie]) {
      expect((await thrownResponse(postEdit(thread.id, { title: '被篡改', body: '被篡改' }, cookie))).status).toBe(403)
    }
    expect((await thrownResponse(editLoader(routeArgs(requestFor(`/community/t/${thread.id}/edit`, { cookie: intruder.cookie }), { id: String(thread.id) })))).status).toBe(403)
    expect(await threadById(thread.id)).toMatchObject({ title: thread.title, body: thread.body, editedAt: null })
  })

  it('the author editing after 15 minutes → 403, the thread unchanged', async () => {
    const author = await member()
    const thread = await insertThread({ boardId: sharing.id, authorId: author.user.id, createdAt: minutesAgo(16) })

    expect((await thrownResponse(postEdit(thread.id, { title: '太晚了', body: '太晚了' }, author.cookie))).status).toBe(403)
    expect(await threadById(thread.id)).toMatchObject({ title: thread.title, editedAt: null })
  })

  it('the author edits their reply within 15 minutes', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const replier = await member()
    const reply = await insertReply({ threadId: thread.id, authorId: replier.user.id, body: '原回复', createdAt: minutesAgo(3) })

    const { location } = readRedirect(await postEdit(thread.id, { replyId: String(reply.id), body: '改过的回复' }, replier.cookie, reply.id))

    expect(location).toBe(`/community/t/${thread.id}#reply-${reply.id}`)
    expect(await replyById(reply.id)).toMatchObject({ body: '改过的回复' })
  })

  it('editing someone else’s reply by changing the id → 403 or 404, the reply unchanged', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const victim = await member()
    const victimReply = await insertReply({ threadId: thread.id, authorId: victim.user.id, body: '受害者的回复', createdAt: minutesAgo(2) })
    const intruder = await member()
    const ownReply = await insertReply({ threadId: thread.id, authorId: intruder.user.id, body: '自己的回复', createdAt: minutesAgo(2) })
    const otherThread = await insertThread({ boardId: sharing.id, authorId: intruder.user.id })

    // The victim's id in the address.
    expect((await thrownResponse(postEdit(thread.id, { replyId: String(victimReply.id), body: '篡改' }, intruder.cookie, victimReply.id))).status).toBe(403)
    // The victim's reply reached through another thread's page.
    expect((await thrownResponse(postEdit(otherThread.id, { replyId: String(victimReply.id), body: '篡改' }, intruder.cookie, victimReply.id))).status).toBe(404)
    // The intruder's own reply in the address, the victim's id in the form: only their own changes.
    readRedirect(await postEdit(thread.id, { replyId: String(victimReply.id), body: '只改自己的' }, intruder.cookie, ownReply.id))

    expect(await replyById(victimReply.id)).toMatchObject({ body: '受害者的回复', editedAt: null })
    expect(await replyById(ownReply.id)).toMatchObject({ body: '只改自己的' })
  })

  it('the author editing a reply after 15 minutes → 403, the reply unchanged', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const replier = await member()
    const reply = await insertReply({ threadId: thread.id, authorId: replier.user.id, body: '旧回复', createdAt: minutesAgo(16) })

    expect((await thrownResponse(postEdit(thread.id, { replyId: String(reply.id), body: '太晚了' }, replier.cookie, reply.id))).status).toBe(403)
    expect(await replyById(reply.id)).toMatchObject({ body: '旧回复', editedAt: null })
  })
})

// ---- markup in user text -----------------------------------------------------------------------

describe('markup in titles, bodies and names is never live', () => {
  const SCRIPT_TITLE = '<script>alert("title")</script>'
  const SCRIPT_BODY = ['<script>alert("body")</script>', '<img src="x" onerror="alert(1)">', '[点我](javascript:alert(1))', '**加粗**'].join('\n\n')
  const SCRIPT_NAME = '<script>alert("name")</script>'

  it('a thread and a reply full of script render bodies without script, and keep titles and names as plain text', async () => {
    const poster = await person({ tier: 'qinqing', displayName: SCRIPT_NAME })
    const id = createdThreadId(await postNewThread('sharing', sharingForm({ title: SCRIPT_TITLE, body: SCRIPT_BODY }), poster.cookie))
    const replier = await person({ tier: 'qinqing', displayName: SCRIPT_NAME })
    readRedirect(await postToThread(id, { intent: 'reply', body: SCRIPT_BODY }, replier.cookie))

    const page = await viewThread(id)

    for (const html of [page.thread.bodyHtml, page.replies[0]!.bodyHtml]) {
      expect(html).not.toMatch(/<script/i)
      expect(html).not.toMatch(/onerror/i)
      expect(html).not.toMatch(/javascript:/i)
      expect(html).toContain('<strong>加粗</strong>')
    }
    // Titles and names are data that React prints as text (escaped), never HTML fields.
    expect(page.thread.title).toBe(SCRIPT_TITLE)
    expect(page.thread.authorName).toBe(SCRIPT_NAME)
    expect(page.replies[0]!.authorName).toBe(SCRIPT_NAME)
  })
})

describe('images in a thread load only from this site’s files', () => {
  it('an image pointing at an admin page loads nothing and an external one becomes a link, for the admin reading the thread (fails without the fix)', async () => {
    const poster = await member()
    const body = '请看：\n\n![](/admin/orders/export)\n\n<img src="/media/../admin/orders/export">\n\n![外链](https://img.example/a.png)'
    const id = createdThreadId(await postNewThread('sharing', sharingForm({ body }), poster.cookie))
    readRedirect(await postToThread(id, { intent: 'reply', body }, poster.cookie))
    const admin = await person({ role: 'admin' })

    const page = await viewThread(id, admin.cookie)

    for (const html of [page.thread.bodyHtml, page.replies[0]!.bodyHtml]) {
      expect(html).not.toMatch(/<img/i)
      expect(html).not.toContain('/admin/')
      expect(html).toContain('<a href="https://img.example/a.png" rel="nofollow noopener noreferrer ugc" target="_blank">[图片：外链]</a>')
    }
  })
})

// ---- listings through the routes ---------------------------------------------------------------------

describe('the board page and the community page', () => {
  it('a board search finds Chinese text in that board only', async () => {
    const author = await member()
    const here = await insertThread({ boardId: sharing.id, authorId: author.user.id, title: '番茄工作法实践记录', lastActivityAt: new Date() })
    await insertThread({ boardId: jobs.id, authorId: author.user.id, title: '招聘懂番茄工作法的助理', jobKind: 'hiring', expiresAt: new Date(Date.now() + DAY_MS), lastActivityAt: new Date() })

    const data = await boardLoader(routeArgs(requestFor(`/community/sharing?q=${encodeURIComponent('番茄工作')}`), { board: 'sharing' }))

    expect(data.threads.map((t) => t.id)).toEqual([here.id])
    expect(data.total).toBe(1)
  })

  it('staff see hidden threads in a board listing; members do not', async () => {
    const author = await member()
    const hidden = await insertThread({ boardId: sharing.id, authorId: author.user.id, title: '被隐藏的列表帖子', hiddenAt: new Date(), lastActivityAt: new Date() })
    const editor = await person({ role: 'editor' })

    const asMember = await boardLoader(routeArgs(requestFor('/community/sharing', { cookie: author.cookie }), { board: 'sharing' }))
    const asEditor = await boardLoader(routeArgs(requestFor('/community/sharing', { cookie: editor.cookie }), { board: 'sharing' }))

    expect(asMember.threads.map((t) => t.id)).not.toContain(hidden.id)
    expect(asEditor.threads.map((t) => t.id)).toContain(hidden.id)
  })

  it('a board a visitor may not read is 403, and its threads stay out of their community search', async () => {
    const tieganOnly = await insertBoard({ readMinRank: 2, postMinRank: 2 })
    const author = await person({ tier: 'tiegan' })
    await insertThread({ boardId: tieganOnly.id, authorId: author.user.id, title: '铁杆专属的冲浪心得', lastActivityAt: new Date() })

    const response = await thrownResponse(boardLoader(routeArgs(requestFor(`/community/${tieganOnly.slug}`), { board: tieganOnly.slug })))
    expect(response.status).toBe(403)

    const search = await indexLoader(routeArgs(requestFor(`/community?q=${encodeURIComponent('冲浪心得')}`)))
    expect(search.results).toEqual([])
    const asTiegan = await indexLoader(routeArgs(requestFor(`/community?q=${encodeURIComponent('冲浪心得')}`, { cookie: author.cookie })))
    expect(asTiegan.results?.map((t) => t.title)).toEqual(['铁杆专属的冲浪心得'])
  })

  it('a visitor’s community search still finds readable threads when an unreadable board has many newer matches', async () => {
    const tieganOnly = await insertBoard({ readMinRank: 2, postMinRank: 2 })
    const author = await person({ tier: 'tiegan' })
    const readable = await insertThread({ boardId: sharing.id, authorId: author.user.id, title: '公开的滑翔伞入门', lastActivityAt: new Date(Date.now() - DAY_MS) })
    for (let i = 0; i < 20; i++) {
      await insertThread({ boardId: tieganOnly.id, authorId: author.user.id, title: `铁杆的滑翔伞日记${i}`, lastActivityAt: new Date() })
    }

    const search = await indexLoader(routeArgs(requestFor(`/community?q=${encodeURIComponent('滑翔伞')}`)))

    expect(search.results?.map((t) => t.id)).toEqual([readable.id])
  })
})

// ---- who may post, said before anyone tries (decision 040) ----------------------------------------

describe('who may post is said on /community, the board pages and the thread, before anyone tries', () => {
  const TIER_ONLY = '亲情会员及以上可发帖和回复'

  it('a visitor reads 「亲情会员及以上可发帖」 with 开通会员 and 登录, not 「登录后即可发帖」', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const expected = { allowed: false, reason: 'sign_in_required', message: TIER_ONLY, join: true, signIn: true }

    expect((await indexLoader(routeArgs(requestFor('/community')))).postGate).toEqual(expected)
    expect((await boardLoader(routeArgs(requestFor('/community/sharing'), { board: 'sharing' }))).gate).toEqual(expected)
    const page = await viewThread(thread.id)
    expect(page.gate).toEqual(expected)
    expect(page.replyState).toBe('gated')
  })

  it('a signed-in user without membership is offered 开通会员 (no reply box); a member gets the 发帖 button and the box', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const user = await person()
    const expected = { allowed: false, reason: 'membership_required', message: TIER_ONLY, join: true, signIn: false }

    expect((await indexLoader(routeArgs(requestFor('/community', { cookie: user.cookie })))).postGate).toEqual(expected)
    expect((await boardLoader(routeArgs(requestFor('/community/sharing', { cookie: user.cookie }), { board: 'sharing' }))).gate).toEqual(expected)
    expect((await viewThread(thread.id, user.cookie)).replyState).toBe('gated')

    const poster = await member()
    expect((await indexLoader(routeArgs(requestFor('/community', { cookie: poster.cookie })))).postGate).toEqual({ allowed: true })
    expect((await viewThread(thread.id, poster.cookie)).replyState).toBe('open')
  })

  it('a reply sent anyway by a user without membership is refused with the same words on the reply form (403)', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: (await member()).user.id })
    const user = await person()

    const { status, data } = readData(await postToThread(thread.id, { intent: 'reply', body: '我也想说' }, user.cookie))

    expect(status).toBe(403)
    expect(data.errors).toEqual({ form: TIER_ONLY })
  })
})
