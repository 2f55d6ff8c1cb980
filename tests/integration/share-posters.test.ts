// Share cards, posters and referrals (issue 13, decision 022), in WeChat's test mode (no keys):
// posters whose QR code opens the page with the sharer's code, share tags on every shareable
// page, the JS-SDK config marked as a test and never signed, and referrals counted once.
import { createHash } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { emailOutbox, productCategories, rateLimitHits, referrals, users } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { createProduct } from '~/models/product.server'
import { countReferrals, recordReferral, referralCodeFor } from '~/models/referral.server'
import { loader as rootLoader } from '~/root'
import * as homeRoute from '~/routes/_index'
import * as threadRoute from '~/routes/community.t.$id'
import * as dailyRoute from '~/routes/daily.$date'
import * as membershipRoute from '~/routes/membership._index'
import * as cardRoute from '~/routes/membership.card'
import { loader as cardPoster } from '~/routes/poster.card[.]png'
import { loader as dailyPoster } from '~/routes/poster.daily.$file'
import { loader as productPoster } from '~/routes/poster.product.$file'
import * as productRoute from '~/routes/shop.p.$slug'
import { action as signupAction } from '~/routes/signup'
import * as accountRoute from '~/routes/account'
import { action as verifyAction } from '~/routes/verify-email.$token'
import { loader as jssdkConfig } from '~/routes/wechat_.jssdk-config'
import { db } from '~/utils/db.server'
import { readReferrer, REFERRAL_COOKIE } from '~/utils/referral-cookie.server'
import { TEST_MODE_JSAPI_TICKET } from '~/utils/share-meta'
import { insertBoard, insertThread } from '../factories/community'
import { dateFromToday, insertDaily } from '../factories/dailies'
import { productInput } from '../factories/products'
import { readQrCode } from '../factories/qr'
import { cookiePairOf, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const SITE = 'http://localhost:3000'

afterEach(async () => {
  await db.delete(emailOutbox)
  await db.delete(rateLimitHits)
})

async function png(response: Response) {
  expect(response.status).toBe(200)
  expect(response.headers.get('Content-Type')).toBe('image/png')
  return new Uint8Array(await response.arrayBuffer())
}

/** A meta export's tags as `{ 'og:title': … }`, with the root's siteUrl as Remix passes it. */
function tagsOf(meta: (args: never) => unknown, data: unknown) {
  const tags = meta({ data, matches: [{ id: 'root', data: { siteUrl: SITE } }] } as never) as Record<string, string>[]
  return Object.fromEntries(tags.filter((tag) => tag.content !== undefined).map((tag) => [tag.property ?? tag.name, tag.content]))
}

function expectShareTags(tags: Record<string, string | undefined>, expected: { url: string; title: string; description: string }) {
  expect(tags).toMatchObject({ 'og:url': expected.url, 'og:title': expected.title, 'og:description': expected.description, 'twitter:card': 'summary_large_image' })
  expect(tags['og:image']).toMatch(/^http:\/\/localhost:3000\/.+/)
  expect(tags['og:type']).toMatch(/^(website|article|product)$/)
}

describe('a daily’s poster', () => {
  it('is a 750×1334 PNG whose QR code opens the daily with the signed-in sharer’s referral code, kept private', async () => {
    const daily = await insertDaily({ date: dateFromToday(-30) })
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const response = await dailyPoster(routeArgs(requestFor(`/poster/daily/${daily.date}.png`, { cookie }), { file: `${daily.date}.png` }))
    expect(response.headers.get('Cache-Control')).toMatch(/^private/)
    const code = await referralCodeFor(user.id)
    expect(await readQrCode(await png(response))).toEqual({ text: `${SITE}/daily/${daily.date}?ref=${code}`, width: 750, height: 1334 })
  })

  it('of a 铁杆 daily, for a visitor, is public and its QR code is the plain page', async () => {
    const daily = await insertDaily({ date: dateFromToday(-31), minRank: 2, body: 'SECRET-BODY' })
    const response = await dailyPoster(routeArgs(requestFor(`/poster/daily/${daily.date}.png`), { file: `${daily.date}.png` }))
    expect(response.headers.get('Cache-Control')).toMatch(/^public/)
    expect((await readQrCode(await png(response))).text).toBe(`${SITE}/daily/${daily.date}`)
  })

  it('does not exist for a draft, a future daily or a malformed name', async () => {
    const draft = await insertDaily({ date: dateFromToday(-32), state: 'draft' })
    const future = await insertDaily({ date: dateFromToday(3) })
    for (const file of [`${draft.date}.png`, `${future.date}.png`, 'nope.png', `${draft.date}.jpg`]) {
      const response = await dailyPoster(routeArgs(requestFor(`/poster/daily/${file}`), { file }))
      expect(response.status, file).toBe(404)
    }
  })
})

describe('a product’s poster', () => {
  async function product(overrides: Parameters<typeof productInput>[0] extends infer P ? Partial<P> : never = {}) {
    const [category] = await db.insert(productCategories).values({ slug: `poster-${Math.random().toString(36).slice(2)}`, name: '海报分类' }).returning()
    const { user: admin } = await createTestUser({ role: 'admin' })
    const saved = await createProduct({ input: productInput({ categoryId: category!.id, ...overrides }), capacity: 10, actorId: admin.id, now: new Date() })
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors))
    return saved.product
  }

  it('carries the product page with the sharer’s code', async () => {
    const item = await product()
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const response = await productPoster(routeArgs(requestFor(`/poster/product/${item.slug}.png`, { cookie }), { file: `${item.slug}.png` }))
    expect((await readQrCode(await png(response))).text).toBe(`${SITE}/shop/p/${item.slug}?ref=${await referralCodeFor(user.id)}`)
  })

  it('of a members-only item shown to all: a visitor gets it; of one hidden below its tier: 404', async () => {
    const shown = await product({ minRank: 2, gatedVisibility: 'visible' })
    const hidden = await product({ minRank: 2, gatedVisibility: 'hidden' })
    const visible = await productPoster(routeArgs(requestFor(`/poster/product/${shown.slug}.png`), { file: `${shown.slug}.png` }))
    expect((await readQrCode(await png(visible))).text).toBe(`${SITE}/shop/p/${shown.slug}`)
    const gone = await productPoster(routeArgs(requestFor(`/poster/product/${hidden.slug}.png`), { file: `${hidden.slug}.png` }))
    expect(gone.status).toBe(404)
  })
})

describe('the member card’s poster', () => {
  it('is the signed-in member’s, private, and opens the card’s share page with their code', async () => {
    const { user } = await createTestUser({ tier: 'qinqing' })
    const { cookie } = await signedInCookie(user.id)
    const response = await cardPoster(routeArgs(requestFor('/poster/card.png', { cookie })))
    expect(response.headers.get('Cache-Control')).toMatch(/^private/)
    const { text } = await readQrCode(await png(response))
    expect(text).toMatch(new RegExp(`^${SITE}/membership/card\\?s=\\d+-[A-Za-z0-9_-]{22}&ref=${await referralCodeFor(user.id)}$`))
  })

  it('sends a visitor to sign in, and answers 404 to a reader without a card', async () => {
    const visitor = await thrownResponse(cardPoster(routeArgs(requestFor('/poster/card.png'))))
    expect(readRedirect(visitor).location).toMatch(/^\/login\?/)
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    expect((await cardPoster(routeArgs(requestFor('/poster/card.png', { cookie })))).status).toBe(404)
  })
})

describe('share tags', () => {
  it('today’s daily on / and a gated daily carry the teaser, never the body', async () => {
    const daily = await insertDaily({ date: dateFromToday(0), publishAt: new Date(Date.now() - 60_000), minRank: 2, body: 'SECRET-BODY' })
    const home = await homeRoute.loader(routeArgs(requestFor('/')))
    const homeTags = tagsOf(homeRoute.meta, home)
    expectShareTags(homeTags, { url: `${SITE}/`, title: daily.title, description: daily.teaser })
    const page = await dailyRoute.loader(routeArgs(requestFor(`/daily/${daily.date}`), { date: daily.date }))
    const tags = tagsOf(dailyRoute.meta, page)
    expectShareTags(tags, { url: `${SITE}/daily/${daily.date}`, title: daily.title, description: daily.teaser })
    expect(tags['og:image']).toBe(`${SITE}/poster/daily/${daily.date}.png`)
    expect(JSON.stringify([homeTags, tags])).not.toContain('SECRET-BODY')
  })

  it('a product, a thread, /membership and the member card have theirs', async () => {
    const [category] = await db.insert(productCategories).values({ slug: 'tags-cat', name: '分类' }).returning()
    const { user: admin } = await createTestUser({ role: 'admin' })
    const saved = await createProduct({ input: productInput({ categoryId: category!.id, slug: 'tag-item' }), capacity: 5, actorId: admin.id, now: new Date() })
    if (!saved.ok) throw new Error('product')
    const product = await productRoute.loader(routeArgs(requestFor('/shop/p/tag-item'), { slug: 'tag-item' }))
    expectShareTags(tagsOf(productRoute.meta, product), { url: `${SITE}/shop/p/tag-item`, title: saved.product.title, description: saved.product.summary })

    const board = await insertBoard()
    const thread = await insertThread({ boardId: board.id, authorId: admin.id, body: '帖子正文' })
    const threadData = await threadRoute.loader(routeArgs(requestFor(`/community/t/${thread.id}`), { id: String(thread.id) }))
    expectShareTags(tagsOf(threadRoute.meta, threadData), { url: `${SITE}/community/t/${thread.id}`, title: thread.title, description: t.share.threadDescription(board.name) })

    const membership = await membershipRoute.loader(routeArgs(requestFor('/membership')))
    expectShareTags(tagsOf(membershipRoute.meta, membership), { url: `${SITE}/membership`, title: t.share.membershipTitle, description: t.sections.membership.body })

    const { user } = await createTestUser({ tier: 'qinqing', displayName: '持卡人' })
    const { cookie } = await signedInCookie(user.id)
    const card = await cardRoute.loader(routeArgs(requestFor('/membership/card', { cookie })))
    const cardTags = tagsOf(cardRoute.meta, card)
    expect(cardTags['og:url']).toMatch(/^http:\/\/localhost:3000\/membership\/card\?s=/)
    expect(cardTags['og:title']).toBe(t.card.meta.title('持卡人'))
  })
})

describe('/wechat/jssdk-config in test mode', () => {
  it('answers a marked test config for a page of this site, asking nobody (msw is not even listening)', async () => {
    const response = await jssdkConfig(routeArgs(requestFor(`/wechat/jssdk-config?url=${encodeURIComponent(`${SITE}/daily/2026-12-06#x`)}`)))
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toContain('no-store')
    const config = (await response.json()) as { nonceStr: string; timestamp: number; signature: string }
    expect(config).toMatchObject({ mode: 'test', test: true, url: `${SITE}/daily/2026-12-06`, refCode: null })
    // Signed as WeChat signs, with the test mode's ticket.
    const plain = `jsapi_ticket=${TEST_MODE_JSAPI_TICKET}&noncestr=${config.nonceStr}&timestamp=${config.timestamp}&url=${SITE}/daily/2026-12-06`
    expect(config.signature).toBe(createHash('sha1').update(plain).digest('hex'))
  })

  it('refuses another origin with a 400 in Chinese', async () => {
    const response = await jssdkConfig(routeArgs(requestFor(`/wechat/jssdk-config?url=${encodeURIComponent('https://evil.example/')}`)))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: t.share.errors.url })
  })
})

describe('referrals', () => {
  /** Opens `path` with `?ref=` as a visitor: the redirect, and the cookie it sets (if any). */
  async function visitWithRef(path: string, code: string, cookie?: string) {
    const response = await thrownResponse(rootLoader(routeArgs(requestFor(`${path}?ref=${code}`, { cookie }))))
    const { location, cookies } = readRedirect(response)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    return { location, refCookie: cookiePairOf(cookies, REFERRAL_COOKIE) }
  }

  async function signUpAndVerify(email: string, cookie?: string) {
    const form = { email, displayName: `新人${Math.random().toString(36).slice(2, 7)}`, password: 'long enough pass', agree: 'on' }
    readRedirect(await signupAction(routeArgs(requestFor('/signup', { form, cookie }), {}, `198.51.100.${Math.floor(Math.random() * 250)}`)))
    const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email))
    const token = /\/verify-email\/([a-z2-7]{32})/.exec(mail?.text ?? '')?.[1]
    if (token) readRedirect(await verifyAction(routeArgs(requestFor(`/verify-email/${token}`, { method: 'POST' }), { token })))
    await db.delete(emailOutbox)
    return db.query.users.findFirst({ where: eq(users.email, email) })
  }

  it('a visit with ?ref= then a completed sign-up counts one reader, shown on /account; signing up again counts nothing more', async () => {
    const { user: sharer } = await createTestUser()
    const code = await referralCodeFor(sharer.id)
    expect(await referralCodeFor(sharer.id)).toBe(code)
    const { location, refCookie } = await visitWithRef('/daily/2026-12-01', code)
    expect(location).toBe('/daily/2026-12-01')
    expect(refCookie).toBeDefined()

    const friend = await signUpAndVerify('friend@example.com', refCookie)
    expect(friend?.emailVerified).toBe(true)
    expect(await countReferrals(sharer.id)).toBe(1)

    // The same address again (no new account), from the same cookie: still one.
    await signUpAndVerify('friend@example.com', refCookie)
    expect(await countReferrals(sharer.id)).toBe(1)
    expect(await db.select().from(referrals).where(eq(referrals.referrerId, sharer.id))).toHaveLength(1)

    const { cookie } = await signedInCookie(sharer.id)
    const account = (await accountRoute.loader(routeArgs(requestFor('/account', { cookie })))) as { referral: { invited: number; link: string } }
    expect(account.referral).toEqual({ invited: 1, link: `${SITE}/?ref=${code}` })
    expect(t.share.referral.count(account.referral.invited)).toBe('你邀请了 1 位读者')
  })

  it('counts nobody until the address is verified, and keeps the first referrer (first touch)', async () => {
    const { user: first } = await createTestUser()
    const { user: second } = await createTestUser()
    const { refCookie } = await visitWithRef('/', await referralCodeFor(first.id))
    const again = await visitWithRef('/', await referralCodeFor(second.id), refCookie)
    expect(again.refCookie).toBeUndefined()
    const form = { email: 'slow@example.com', displayName: '慢慢来', password: 'long enough pass', agree: 'on' }
    readRedirect(await signupAction(routeArgs(requestFor('/signup', { form, cookie: refCookie }), {}, '198.51.100.251')))
    expect(await countReferrals(first.id)).toBe(0)
    const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, 'slow@example.com'))
    const token = /\/verify-email\/([a-z2-7]{32})/.exec(mail!.text)![1]!
    readRedirect(await verifyAction(routeArgs(requestFor(`/verify-email/${token}`, { method: 'POST' }), { token })))
    expect(await countReferrals(first.id)).toBe(1)
    expect(await countReferrals(second.id)).toBe(0)
  })

  it('ignores self-referral: a reader opening their own link gets no cookie, and the model refuses it', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const { location, refCookie } = await visitWithRef('/shop', await referralCodeFor(user.id), cookie)
    expect(location).toBe('/shop')
    expect(refCookie).toBeUndefined()
    expect(await recordReferral({ referrerId: user.id, referredUserId: user.id })).toBe(false)
    expect(await countReferrals(user.id)).toBe(0)
  })

  it('an unknown code sets nothing, and a forged cookie names no referrer', async () => {
    const { location, refCookie } = await visitWithRef('/membership', 'zzzzzzzz')
    expect(location).toBe('/membership')
    expect(refCookie).toBeUndefined()
    const { user: sharer } = await createTestUser()
    // The cookie's value without a valid signature (what a reader could write themselves).
    const forged = `${REFERRAL_COOKIE}=${encodeURIComponent(Buffer.from(JSON.stringify({ r: sharer.id, at: Date.now() })).toString('base64'))}`
    expect(await readReferrer(requestFor('/', { cookie: forged }))).toBeNull()
    await signUpAndVerify('forger@example.com', forged)
    expect(await countReferrals(sharer.id)).toBe(0)
  })
})
