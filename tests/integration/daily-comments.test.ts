// 留言 under dailies, through the routes a browser calls (the daily page's loader, the 留言 action,
// the editor's pages) against this file's real SQLite database: who sees which 留言, what is
// refused (with the zh-CN words, the 4xx, and nothing stored), the rate limit, featuring and
// order, the editor's reply, likes once (also when two arrive at once), and the new-留言 counts.
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog, dailyCommentLikes, dailyComments, postingBans, type Daily, type StaffRole, type User } from '../../db/schema'
import type { DailyCommentsView } from '~/domain/daily-comments'
import { t } from '~/i18n/zh-CN'
import { action as moderationAction, loader as moderationLoader } from '~/routes/admin.posts.$id_.comments'
import { loader as postsLoader } from '~/routes/admin.posts._index'
import { action as commentsAction } from '~/routes/daily.$date_.comments'
import { action as dailyAction, loader as dailyLoader } from '~/routes/daily.$date'
import { db } from '~/utils/db.server'
import { insertPostingBan } from '../factories/community'
import { countRows } from '../factories/db'
import { insertDaily, serialized } from '../factories/dailies'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, DAY_MS, signedInCookie, type TierSlug } from '../factories/users'

const m = t.comments

interface Person {
  user: User
  cookie: string
}

async function person({ role = 'user', tier }: { role?: StaffRole; tier?: TierSlug } = {}): Promise<Person> {
  const { user } = await createTestUser({ role, tier })
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

let editor: Person
let open: Daily

beforeAll(async () => {
  editor = await person({ role: 'editor' })
  open = await insertDaily()
})

// ---- calling the routes ------------------------------------------------------------------------

/** Replies with the daily's keyword in the box under its voice, as a reader does. */
async function giveKeyword(daily: Daily, who: Person) {
  const result = await dailyAction(routeArgs(requestFor(`/daily/${daily.date}`, { form: { q: daily.keyword }, cookie: who.cookie }), { date: daily.date }))
  expect(readRedirect(result).location).toBe(`/daily/${daily.date}`)
}

/** A signed-in reader who has opened the daily with its keyword. */
async function reader(daily: Daily = open, options: { tier?: TierSlug } = {}) {
  const who = await person(options)
  await giveKeyword(daily, who)
  return who
}

function post(date: string, form: Record<string, string>, cookie?: string) {
  return commentsAction(routeArgs(requestFor(`/daily/${date}/comments`, { form, cookie }), { date }))
}

async function comments(daily: Daily, cookie?: string): Promise<DailyCommentsView> {
  const data = await dailyLoader(routeArgs(requestFor(`/daily/${daily.date}`, { cookie }), { date: daily.date }))
  return data.comments
}

function moderate(daily: Daily, form: Record<string, string>, cookie = editor.cookie) {
  return moderationAction(routeArgs(requestFor(`/admin/posts/${daily.id}/comments`, { form, cookie }), { id: String(daily.id) }))
}

/** Posts a 留言 that must be accepted; returns its id. */
async function leaveComment(daily: Daily, who: Person, body = `留言${Math.random()}`) {
  const { location } = readRedirect(await post(daily.date, { intent: 'post', body }, who.cookie))
  const match = /#comment-(\d+)$/.exec(location ?? '')
  expect(match, `redirected to ${location}`).not.toBeNull()
  return Number(match![1])
}

async function feature(daily: Daily, commentId: number) {
  readRedirect(await moderate(daily, { intent: 'feature', commentId: String(commentId) }))
}

function commentsOf(authorId: number) {
  return db.select().from(dailyComments).where(eq(dailyComments.authorId, authorId))
}

/** Expects a refusal: this status and zh-CN message (in `field`), and no 留言 or like stored. */
async function expectRefused(result: Promise<unknown>, status: number, message: string, field = 'form') {
  const [comments, likes] = [await countRows(dailyComments), await countRows(dailyCommentLikes)]
  const { status: actual, data } = readData(await result)
  expect(actual).toBe(status)
  expect(data.errors[field]).toBe(message)
  expect(await countRows(dailyComments)).toBe(comments)
  expect(await countRows(dailyCommentLikes)).toBe(likes)
}

// ---- posting and who sees it -------------------------------------------------------------------

describe('a reader who has opened the daily leaves a 留言', () => {
  it('is stored trimmed, and the redirect goes back to it with a flash', async () => {
    const me = await reader()
    const result = await post(open.date, { intent: 'post', body: '  第一条留言\n第二行  ' }, me.cookie)
    const { location, cookies } = readRedirect(result)
    const [row] = await commentsOf(me.user.id)
    expect(row?.body).toBe('第一条留言\n第二行')
    expect(location).toBe(`/daily/${open.date}#comment-${row!.id}`)
    expect(cookies.some((c) => c.startsWith('zhiyin_flash='))).toBe(true)
  })

  it('shows at once to its author as their own (not public) 留言, and to nobody else', async () => {
    const me = await reader()
    const other = await reader()
    const body = `只有我看得到的留言${Date.now()}`
    const id = await leaveComment(open, me, body)

    const mine = await comments(open, me.cookie)
    expect(mine.mine).toEqual([expect.objectContaining({ id, body, hiddenReason: null })])
    expect(mine.featured.map((c) => c.id)).not.toContain(id)

    expect(serialized(await comments(open, other.cookie))).not.toContain(body)
    expect(serialized(await comments(open))).not.toContain(body)
  })

  it('a visitor sees only featured 留言, and no form', async () => {
    const me = await reader()
    const featured = await leaveComment(open, me, '会被精选的留言')
    const unfeatured = await leaveComment(open, me, '不会被精选的留言')
    await feature(open, featured)
    const view = await comments(open)
    expect(view.featured.map((c) => c.id)).toContain(featured)
    expect(serialized(view)).not.toContain('不会被精选的留言')
    expect(view.featured.map((c) => c.id)).not.toContain(unfeatured)
    expect(view.mine).toEqual([])
    expect(view.gate).toEqual({ allowed: false, reason: 'sign_in_required' })
    expect(view.canLike).toBe(false)
  })

  it('a 留言 of exactly 500 characters is accepted', async () => {
    const me = await reader()
    await leaveComment(open, me, '字'.repeat(500))
    expect((await commentsOf(me.user.id))[0]?.body).toHaveLength(500)
  })

  it('markup is kept as the text it is (the page renders it as text)', async () => {
    const me = await reader()
    const body = '<script>alert(1)</script><b>粗</b>'
    const id = await leaveComment(open, me, body)
    const view = await comments(open, me.cookie)
    expect(view.mine.find((c) => c.id === id)?.body).toBe(body)
  })
})

describe('refusals: the right 4xx with the zh-CN words, and nothing stored', () => {
  it('an empty 留言 (spaces only) → 400', async () => {
    const me = await reader()
    await expectRefused(post(open.date, { intent: 'post', body: '   \n ' }, me.cookie), 400, m.errors.bodyRequired, 'body')
  })

  it('a 留言 of invisible characters only (zero-width spaces, a direction mark) → 400 (fails without the fix)', async () => {
    const me = await reader()
    await expectRefused(post(open.date, { intent: 'post', body: '\u200b\u200b\u200e \ufeff' }, me.cookie), 400, m.errors.bodyRequired, 'body')
  })

  it('a 留言 without a body field → 400', async () => {
    const me = await reader()
    await expectRefused(post(open.date, { intent: 'post' }, me.cookie), 400, m.errors.bodyRequired, 'body')
  })

  it('a 留言 of 501 characters → 400', async () => {
    const me = await reader()
    await expectRefused(post(open.date, { intent: 'post', body: '字'.repeat(501) }, me.cookie), 400, m.errors.bodyTooLong, 'body')
  })

  it('a reader banned from posting → 403', async () => {
    const me = await reader()
    await insertPostingBan(me.user.id, new Date(Date.now() + DAY_MS))
    const { data } = readData(await post(open.date, { intent: 'post', body: '被禁言了' }, me.cookie))
    expect(data.errors.form).toMatch(/^你已被禁止发言至 .+，不能留言$/)
    await expectRefused(post(open.date, { intent: 'post', body: '被禁言了' }, me.cookie), 403, data.errors.form!)
    expect((await comments(open, me.cookie)).gate).toMatchObject({ allowed: false, reason: 'banned' })
  })

  it('a signed-in reader who has not given the keyword → 403, and the page shows no form', async () => {
    const me = await person()
    await expectRefused(post(open.date, { intent: 'post', body: '没回复关键词' }, me.cookie), 403, m.errors.keywordRequired)
    expect((await comments(open, me.cookie)).gate).toEqual({ allowed: false, reason: 'keyword_required' })
  })

  it('the keyword given, but the tier too low for the article → 403', async () => {
    const gated = await insertDaily({ minRank: 2 })
    const member = await reader(gated, { tier: 'qinqing' })
    await expectRefused(post(gated.date, { intent: 'post', body: '等级不够' }, member.cookie), 403, m.errors.tierRequired)
    expect((await comments(gated, member.cookie)).gate).toEqual({ allowed: false, reason: 'tier_required' })
    // The tier that allows it, with the keyword: accepted.
    const enough = await reader(gated, { tier: 'tiegan' })
    await leaveComment(gated, enough)
  })

  it('a visitor’s POST → 401, for a 留言 and for a like', async () => {
    await expectRefused(post(open.date, { intent: 'post', body: '游客留言' }), 401, m.errors.signInRequired)
    await expectRefused(post(open.date, { intent: 'like', commentId: '1' }), 401, m.errors.signInToLike)
  })

  it('a draft, a scheduled-for-later and an unknown daily → 404', async () => {
    const draft = await insertDaily({ state: 'draft' })
    const later = await insertDaily({ publishAt: new Date(Date.now() + DAY_MS) })
    const me = await person({ role: 'admin' })
    for (const date of [draft.date, later.date, '2019-01-01', 'not-a-date']) {
      await expectRefused(post(date, { intent: 'post', body: '草稿下的留言' }, me.cookie), 404, m.errors.dailyMissing)
    }
    // Staff preview a draft: its page offers no form.
    expect((await comments(draft, me.cookie)).gate).toEqual({ allowed: false, reason: 'not_live' })
  })

  it('an unknown intent → 400', async () => {
    const me = await reader()
    await expectRefused(post(open.date, { intent: 'delete', body: 'x' }, me.cookie), 400, t.errors.invalidChoice)
  })
})

describe('the rate limit', () => {
  it('a seventh 留言 within a minute → 429 with Retry-After, and only six are stored', async () => {
    const me = await reader()
    for (let i = 1; i <= 6; i++) await leaveComment(open, me, `第${i}条`)
    const result = await post(open.date, { intent: 'post', body: '第7条' }, me.cookie)
    const { status, data, headers } = readData(result)
    expect(status).toBe(429)
    expect(data.errors.form).toMatch(/^留言太快了，请在 \d+ 秒后再试$/)
    expect(Number(headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(await commentsOf(me.user.id)).toHaveLength(6)
  })
})

// ---- the editor's side -------------------------------------------------------------------------

describe('featuring, order and the editor’s reply', () => {
  it('featured 留言 are public, in the order the editor chose', async () => {
    const daily = await insertDaily()
    const [a, b, c] = [await reader(daily), await reader(daily), await reader(daily)]
    const ids = [await leaveComment(daily, a, '甲'), await leaveComment(daily, b, '乙'), await leaveComment(daily, c, '丙')]
    for (const id of ids) await feature(daily, id)
    expect((await comments(daily)).featured.map((x) => x.body)).toEqual(['甲', '乙', '丙'])

    readRedirect(await moderate(daily, { intent: 'up', commentId: String(ids[2]) }))
    expect((await comments(daily)).featured.map((x) => x.body)).toEqual(['甲', '丙', '乙'])
    readRedirect(await moderate(daily, { intent: 'down', commentId: String(ids[0]) }))
    expect((await comments(daily)).featured.map((x) => x.body)).toEqual(['丙', '甲', '乙'])

    readRedirect(await moderate(daily, { intent: 'unfeature', commentId: String(ids[0]) }))
    const view = await comments(daily)
    expect(view.featured.map((x) => x.body)).toEqual(['丙', '乙'])
    // Unfeatured, it is its author's own again.
    expect((await comments(daily, a.cookie)).mine.map((x) => x.body)).toEqual(['甲'])
  })

  it('moving the first up is refused with 404 and changes nothing', async () => {
    const daily = await insertDaily()
    const id = await leaveComment(daily, await reader(daily))
    await feature(daily, id)
    const { status, data } = readData(await moderate(daily, { intent: 'up', commentId: String(id) }))
    expect(status).toBe(404)
    expect(data.errors.form).toBe(m.errors.commentMissing)
  })

  it('the editor’s reply shows under the 留言 for everyone; editing and deleting it', async () => {
    const daily = await insertDaily()
    const id = await leaveComment(daily, await reader(daily), '请问编辑')
    await feature(daily, id)
    readRedirect(await moderate(daily, { intent: 'reply', commentId: String(id), reply: '  谢谢你的留言  ' }))
    expect((await comments(daily)).featured[0]).toMatchObject({ id, editorReply: '谢谢你的留言' })
    readRedirect(await moderate(daily, { intent: 'reply', commentId: String(id), reply: '改过的回复' }))
    expect((await comments(daily)).featured[0]?.editorReply).toBe('改过的回复')
    readRedirect(await moderate(daily, { intent: 'delete-reply', commentId: String(id) }))
    expect((await comments(daily)).featured[0]?.editorReply).toBeNull()
  })

  it('an editor’s reply over 500 characters, or empty → 400, nothing stored', async () => {
    const daily = await insertDaily()
    const id = await leaveComment(daily, await reader(daily))
    for (const [reply, message] of [
      ['回'.repeat(501), m.errors.replyTooLong],
      ['  ', m.errors.replyRequired],
    ] as const) {
      const { status, data } = readData(await moderate(daily, { intent: 'reply', commentId: String(id), reply }))
      expect(status).toBe(400)
      expect(data.errors.reply).toBe(message)
    }
    const [row] = await db.select().from(dailyComments).where(eq(dailyComments.id, id))
    expect(row?.editorReply).toBeNull()
  })

  it('a 留言 of another daily cannot be moderated through this daily’s page (404)', async () => {
    const daily = await insertDaily()
    const elsewhere = await insertDaily()
    const id = await leaveComment(elsewhere, await reader(elsewhere))
    const { status } = readData(await moderate(daily, { intent: 'feature', commentId: String(id) }))
    expect(status).toBe(404)
    expect((await comments(elsewhere)).featured).toEqual([])
  })

  it('each action is audited', async () => {
    const daily = await insertDaily()
    const id = await leaveComment(daily, await reader(daily))
    await feature(daily, id)
    const entries = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, 'daily_comment'), eq(auditLog.targetId, String(id))))
    expect(entries).toEqual([expect.objectContaining({ actorId: editor.user.id, action: 'daily_comment.feature' })])
  })
})

describe('hiding', () => {
  it('a hidden 留言 leaves the featured list; only its author still sees it, with the reason', async () => {
    const daily = await insertDaily()
    const author = await reader(daily)
    const other = await reader(daily)
    const id = await leaveComment(daily, author, '要被隐藏的留言')
    await feature(daily, id)
    const { status, data } = readData(await moderate(daily, { intent: 'hide', commentId: String(id), reason: '' }))
    expect(status).toBe(400)
    expect(data.errors.reason).toBe(m.errors.reasonRequired)

    readRedirect(await moderate(daily, { intent: 'hide', commentId: String(id), reason: '含广告' }))
    expect(serialized(await comments(daily))).not.toContain('要被隐藏的留言')
    expect(serialized(await comments(daily, other.cookie))).not.toContain('要被隐藏的留言')
    expect((await comments(daily, author.cookie)).mine).toEqual([expect.objectContaining({ id, hiddenReason: '含广告' })])

    // Hidden, it cannot be featured (restore first) nor liked.
    expect(readData(await moderate(daily, { intent: 'feature', commentId: String(id) })).status).toBe(404)
    await expectRefused(post(daily.date, { intent: 'like', commentId: String(id) }, other.cookie), 404, m.errors.notFeatured)

    readRedirect(await moderate(daily, { intent: 'restore', commentId: String(id) }))
    expect((await comments(daily, author.cookie)).mine).toEqual([expect.objectContaining({ id, hiddenReason: null })])
  })
})

describe('likes', () => {
  it('a reader likes a featured 留言 once; a second like → 409 and nothing stored', async () => {
    const daily = await insertDaily()
    const id = await leaveComment(daily, await reader(daily))
    await feature(daily, id)
    const fan = await person()
    readRedirect(await post(daily.date, { intent: 'like', commentId: String(id) }, fan.cookie))
    await expectRefused(post(daily.date, { intent: 'like', commentId: String(id) }, fan.cookie), 409, m.errors.alreadyLiked)

    expect((await comments(daily, fan.cookie)).featured[0]).toMatchObject({ id, likeCount: 1, likedByMe: true })
    const other = await person()
    expect((await comments(daily, other.cookie)).featured[0]).toMatchObject({ likeCount: 1, likedByMe: false })
    readRedirect(await post(daily.date, { intent: 'like', commentId: String(id) }, other.cookie))
    expect((await comments(daily)).featured[0]?.likeCount).toBe(2)

    readRedirect(await post(daily.date, { intent: 'unlike', commentId: String(id) }, fan.cookie))
    expect((await comments(daily, fan.cookie)).featured[0]).toMatchObject({ likeCount: 1, likedByMe: false })
    await expectRefused(post(daily.date, { intent: 'unlike', commentId: String(id) }, fan.cookie), 409, m.errors.notLiked)
  })

  it('liking a 留言 that is not featured, or unknown → 404', async () => {
    const daily = await insertDaily()
    const id = await leaveComment(daily, await reader(daily))
    const fan = await person()
    await expectRefused(post(daily.date, { intent: 'like', commentId: String(id) }, fan.cookie), 404, m.errors.notFeatured)
    await expectRefused(post(daily.date, { intent: 'like', commentId: '999999' }, fan.cookie), 404, m.errors.notFeatured)
    await expectRefused(post(daily.date, { intent: 'like', commentId: 'abc' }, fan.cookie), 400, t.errors.invalidChoice, 'commentId')
  })

  it('two likes at once by the same reader store one like, and the count is 1', async () => {
    const daily = await insertDaily()
    const id = await leaveComment(daily, await reader(daily))
    await feature(daily, id)
    const fan = await person()
    const results = await Promise.all([1, 2].map(() => post(daily.date, { intent: 'like', commentId: String(id) }, fan.cookie)))
    const redirects = results.filter((r) => r instanceof Response)
    expect(redirects).toHaveLength(1)
    const refused = results.find((r) => !(r instanceof Response))
    expect(readData(refused).status).toBe(409)
    expect(await db.select().from(dailyCommentLikes).where(eq(dailyCommentLikes.commentId, id))).toHaveLength(1)
    const [row] = await db.select().from(dailyComments).where(eq(dailyComments.id, id))
    expect(row?.likeCount).toBe(1)
  })
})

describe('only staff reach the moderation page and its actions', () => {
  it('a signed-in member gets 403 from the loader and the action; nothing changes', async () => {
    const daily = await insertDaily()
    const id = await leaveComment(daily, await reader(daily))
    const member = await person({ tier: 'tiegan' })
    const loaderResponse = await thrownResponse(moderationLoader(routeArgs(requestFor(`/admin/posts/${daily.id}/comments`, { cookie: member.cookie }), { id: String(daily.id) })))
    expect(loaderResponse.status).toBe(403)
    const actionResponse = await thrownResponse(moderate(daily, { intent: 'feature', commentId: String(id) }, member.cookie))
    expect(actionResponse.status).toBe(403)
    expect((await comments(daily)).featured).toEqual([])
  })

  it('a visitor is sent to /login', async () => {
    const daily = await insertDaily()
    const response = await thrownResponse(moderate(daily, { intent: 'feature', commentId: '1' }, ''))
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toMatch(/^\/login\?/)
  })
})

describe('banning an author from the 留言 page', () => {
  it('the same ban as the community: their next 留言 is refused with 403', async () => {
    const daily = await insertDaily()
    const author = await reader(daily)
    const id = await leaveComment(daily, author)
    const { status, data } = readData(await moderate(daily, { intent: 'ban', commentId: String(id), reason: '' }))
    expect(status).toBe(400)
    expect(data.errors.reason).toBe(m.errors.reasonRequired)

    readRedirect(await moderate(daily, { intent: 'ban', commentId: String(id), reason: '刷屏' }))
    const [ban] = await db.select().from(postingBans).where(eq(postingBans.userId, author.user.id))
    expect(ban).toMatchObject({ reason: '刷屏', bannedBy: editor.user.id })
    const refused = readData(await post(daily.date, { intent: 'post', body: '再来一条' }, author.cookie))
    expect(refused.status).toBe(403)
    expect(refused.data.errors.form).toMatch(/^你已被禁止发言至/)
  })
})

describe('new 留言 on /admin/posts', () => {
  it('counts the 留言 no editor has reviewed yet (featured, hidden or marked read leave the count)', async () => {
    const daily = await insertDaily({ date: '2031-06-01', state: 'scheduled' })
    // Staff may not post under a daily that is not live; write the rows as readers would have.
    const writers = [await person(), await person(), await person(), await person()]
    const ids: number[] = []
    for (const w of writers) {
      const [row] = await db.insert(dailyComments).values({ dailyId: daily.id, authorId: w.user.id, body: '新留言', updatedAt: new Date() }).returning()
      ids.push(row!.id)
    }
    const countFor = async () => {
      const data = await postsLoader(routeArgs(requestFor('/admin/posts', { cookie: editor.cookie })))
      return data.dailies.find((d) => d.id === daily.id)?.newComments
    }
    expect(await countFor()).toBe(4)
    await feature(daily, ids[0]!)
    readRedirect(await moderate(daily, { intent: 'read', commentId: String(ids[1]) }))
    readRedirect(await moderate(daily, { intent: 'hide', commentId: String(ids[2]), reason: '重复' }))
    expect(await countFor()).toBe(1)

    const page = await moderationLoader(routeArgs(requestFor(`/admin/posts/${daily.id}/comments`, { cookie: editor.cookie }), { id: String(daily.id) }))
    expect(page.fresh.map((c) => c.id)).toEqual([ids[3]])
    expect(page.featured.map((c) => c.id)).toEqual([ids[0]])
    expect(page.others.map((c) => c.id).sort()).toEqual([ids[1], ids[2]].sort())
  })
})
