// Signing in to buy, one email field on /login, and the legal texts (decision 040), against the
// real database: a visitor's 立即购买 goes to /login with 「登录后继续购买」 and comes back to the
// product as they left it, whichever way they sign in or up; redirectTo never leaves the site; the
// texts readers agree to are seeded in production too and edited by an admin, audit-logged.
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { auditLog, cartItems, emailOutbox, legalDocuments, orders, rateLimitHits, users } from '../../db/schema'
import { seedLegalDocuments, DEFAULT_LEGAL_DOCUMENTS } from '../../db/seed-legal'
import { setupDatabase } from '../../db/setup'
import { productReturnPath, signInPath, signInReturn } from '~/domain/sign-in-return'
import { action as cartAction } from '~/routes/cart'
import { action as loginAction, loader as loginLoader } from '~/routes/login'
import * as magicRoute from '~/routes/auth.magic.$token'
import { action as signupAction, loader as signupLoader } from '~/routes/signup'
import * as verifyRoute from '~/routes/verify-email.$token'
import { loader as legalLoader } from '~/routes/legal.$slug'
import { action as editLegalAction, loader as editLegalLoader } from '~/routes/admin.legal.$slug'
import { loader as legalListLoader } from '~/routes/admin.legal._index'
import { databaseHandle, db } from '~/utils/db.server'
import { createTestProduct } from '../factories/cart'
import { countRows } from '../factories/db'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie, TEST_PASSWORD } from '../factories/users'

let address = 0
const nextIp = () => `198.51.100.${++address}`

afterEach(async () => {
  await db.delete(emailOutbox)
  await db.delete(rateLimitHits)
})

function login(form: Record<string, string>, path = '/login') {
  return loginAction(routeArgs(requestFor(path, { form }), {}, nextIp()))
}

/** The one link of the newest mail to `email`, split into its token and its redirectTo. */
async function linkIn(email: string, kind: 'auth/magic' | 'verify-email') {
  const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email))
  const match = new RegExp(`http://localhost:3000/${kind}/([a-z2-7]{32})(\\?[^\\s"]*)?`).exec(mail!.text)
  expect(match, `a /${kind}/<token> link`).not.toBeNull()
  return { token: match![1]!, query: match![2] ?? '', redirectTo: new URLSearchParams(match![2] ?? '').get('redirectTo') }
}

describe('a visitor who presses 立即购买 signs in and comes back to the purchase', () => {
  it('立即购买 as a visitor goes to /login with 「登录后继续购买」, carrying the quantity and personalisation; nothing is held', async () => {
    const product = await createTestProduct({ personalisation: { label: '刻字', max: 12 } })
    const before = await countRows(orders)
    const answer = readRedirect(await cartAction(routeArgs(requestFor('/cart', { form: { intent: 'buy', productId: String(product.id), qty: '2', personalisation: ' 知音 ' } }))))

    const location = new URL(answer.location!, 'http://x')
    expect(location.pathname).toBe('/login')
    expect(signInReturn(location.searchParams)).toEqual({ redirectTo: `/shop/p/${product.slug}?qty=2&p=${encodeURIComponent('知音')}#buy`, purchase: true })
    expect(await countRows(orders)).toBe(before)
  })

  it('what a visitor could fix first is answered on the form (400), not sent to sign in', async () => {
    const product = await createTestProduct({ personalisation: { label: '刻字', max: 2 } })
    const refused = readData(await cartAction(routeArgs(requestFor('/cart', { form: { intent: 'buy', productId: String(product.id), qty: '1', personalisation: '太长的刻字' } }))))
    expect(refused.status).toBe(400)
    expect(Object.keys(refused.data.errors)).toEqual(['personalisation'])
  })

  it('signing in with the password returns to the product page with the form as it was', async () => {
    const product = await createTestProduct()
    const { user } = await createTestUser()
    const back = productReturnPath(product.slug, { qty: 3 })
    const answer = readRedirect(await login({ intent: 'password', email: user.email, password: TEST_PASSWORD, redirectTo: back }, signInPath({ redirectTo: back, purchase: true })))
    expect(answer.location).toBe(`/shop/p/${product.slug}?qty=3#buy`)
    expect(answer.cookies.some((c) => c.startsWith('zhiyin_session='))).toBe(true)
  })

  it('the emailed sign-in link (the same form, the same one email field) comes back to the product too', async () => {
    const product = await createTestProduct()
    const { user } = await createTestUser({ email: 'linker@example.com' })
    const back = productReturnPath(product.slug, { qty: 2 })

    const sent = readRedirect(await login({ intent: 'magic', email: 'linker@example.com', password: '', redirectTo: back }, signInPath({ redirectTo: back, purchase: true })))
    // Back on /login as it was opened: the note and the way back stay.
    expect(signInReturn(new URL(sent.location!, 'http://x').searchParams)).toEqual({ redirectTo: back, purchase: true })

    const link = await linkIn(user.email, 'auth/magic')
    expect(link.redirectTo).toBe(back)
    const signedIn = readRedirect(await magicRoute.action(routeArgs(requestFor(`/auth/magic/${link.token}${link.query}`, { method: 'POST' }), { token: link.token })))
    expect(signedIn.location).toBe(`/shop/p/${product.slug}?qty=2#buy`)
  })

  it('signing up (email) comes back to the product once the address is verified', async () => {
    const product = await createTestProduct()
    const back = productReturnPath(product.slug, { qty: 1, personalisation: '知音' })
    const form = { email: 'newbuyer@example.com', displayName: '新买家', password: 'long enough pass', agree: 'on', redirectTo: back }
    readRedirect(await signupAction(routeArgs(requestFor(signInPath({ redirectTo: back, purchase: true, page: '/signup' }), { form }), {}, nextIp())))

    const link = await linkIn('newbuyer@example.com', 'verify-email')
    expect(link.redirectTo).toBe(back)
    const verified = readRedirect(await verifyRoute.action(routeArgs(requestFor(`/verify-email/${link.token}${link.query}`, { method: 'POST' }), { token: link.token })))
    expect(verified.location).toBe(back)
  })

  it('a signed-in member’s 立即购买 still goes straight on to /checkout', async () => {
    const product = await createTestProduct()
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    expect(readRedirect(await cartAction(routeArgs(requestFor('/cart', { cookie, form: { intent: 'buy', productId: String(product.id), qty: '1' } })))).location).toBe(
      `/checkout?buy=${product.id}&qty=1`,
    )
    expect(await db.select().from(cartItems).where(eq(cartItems.userId, user.id))).toEqual([])
  })
})

describe('a reader already signed in who opens /login or /signup', () => {
  it.each(['/login', '/signup'])('%s?redirectTo=/x goes on to /x, and without one goes home', async (path) => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const loader = path === '/login' ? loginLoader : signupLoader
    const open = async (url: string) => (await thrownResponse(loader(routeArgs(requestFor(url, { cookie }))))).headers.get('Location')
    expect(await open(`${path}?redirectTo=${encodeURIComponent('/shop/p/pen?qty=2#buy')}`)).toBe('/shop/p/pen?qty=2#buy')
    expect(await open(path)).toBe('/')
    // Never off the site.
    expect(await open(`${path}?redirectTo=${encodeURIComponent('//evil.example/x')}`)).toBe('/')
  })
})

describe('redirectTo never leaves the site', () => {
  it.each([
    ['an absolute URL', 'https://evil.example/shop'],
    ['a protocol-relative URL', '//evil.example/shop'],
    ['a backslash trick', '/\\evil.example'],
    ['dot segments that resolve off-site', '/..//evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
  ])('%s sends the reader home after signing in, and the emailed link carries no redirect', async (_name, redirectTo) => {
    const { user } = await createTestUser()
    expect(readRedirect(await login({ intent: 'password', email: user.email, password: TEST_PASSWORD, redirectTo })).location).toBe('/')

    readRedirect(await login({ intent: 'magic', email: user.email, redirectTo }))
    const link = await linkIn(user.email, 'auth/magic')
    expect(link.query).toBe('')
    // A link edited by hand to carry one is refused at sign-in all the same.
    const tampered = `?${new URLSearchParams({ redirectTo })}`
    const signedIn = readRedirect(await magicRoute.action(routeArgs(requestFor(`/auth/magic/${link.token}${tampered}`, { method: 'POST' }), { token: link.token })))
    expect(signedIn.location).toBe('/')
  })
})

describe('/login has one email field for both ways in', () => {
  it('「发送登录链接」 needs no password, and a bad address is answered on the one 邮箱 field', async () => {
    const refused = readData(await login({ intent: 'magic', email: 'not-an-email', password: '' }))
    expect(refused.status).toBe(400)
    expect(refused.data).toMatchObject({ intent: 'magic', errors: { email: '请输入有效的邮箱地址' } })
  })
})

describe('《用户协议》 and 《隐私政策》', () => {
  it('sign-up stores the versions of both texts the reader agreed to; a later edit does not change them', async () => {
    await seedLegalDocuments(databaseHandle)
    const termsAt = new Date('2026-11-01T00:00:00Z')
    const privacyAt = new Date('2026-11-15T00:00:00Z')
    await db.update(legalDocuments).set({ updatedAt: termsAt }).where(eq(legalDocuments.slug, 'terms'))
    await db.update(legalDocuments).set({ updatedAt: privacyAt }).where(eq(legalDocuments.slug, 'privacy'))
    const form = { email: 'agreed-versions@example.com', displayName: '同意者', password: 'long enough pass', agree: 'on' }
    readRedirect(await signupAction(routeArgs(requestFor('/signup', { form }), {}, nextIp())))
    await db.update(legalDocuments).set({ updatedAt: new Date('2026-12-01T00:00:00Z') }).where(eq(legalDocuments.slug, 'terms'))
    const [user] = await db.select().from(users).where(eq(users.email, 'agreed-versions@example.com'))
    expect(user).toMatchObject({ termsVersionAgreed: termsAt, privacyVersionAgreed: privacyAt })
  })


  it('are seeded by the set-up of a production database, and seeding again keeps an admin’s text', async () => {
    await db.delete(legalDocuments)
    await setupDatabase(databaseHandle, { nodeEnv: 'production', log: () => {} })
    expect((await db.select().from(legalDocuments)).map((d) => [d.slug, d.title]).sort()).toEqual([
      ['privacy', '隐私政策'],
      ['terms', '用户协议'],
    ])
    await db.update(legalDocuments).set({ body: '改过的协议' }).where(eq(legalDocuments.slug, 'terms'))
    expect(await seedLegalDocuments(databaseHandle)).toBe(0)
    expect((await db.query.legalDocuments.findFirst({ where: eq(legalDocuments.slug, 'terms') }))?.body).toBe('改过的协议')
  })

  it('/legal/:slug renders the stored markdown through the sanitiser; any other slug is 404', async () => {
    await seedLegalDocuments(databaseHandle)
    await db.update(legalDocuments).set({ body: '## 第一条\n\n<script>alert(1)</script>\n\n[链接](javascript:void)' }).where(eq(legalDocuments.slug, 'privacy'))
    const page = await legalLoader(routeArgs(requestFor('/legal/privacy'), { slug: 'privacy' }))
    expect(page.title).toBe('隐私政策')
    expect(page.html).toContain('<h2>第一条</h2>')
    expect(page.html).not.toContain('<script')
    expect(page.html).toContain('链接')
    expect(page.html).not.toContain('javascript:')
    expect((await thrownResponse(legalLoader(routeArgs(requestFor('/legal/cookies'), { slug: 'cookies' })))).status).toBe(404)
  })

  it('an admin edits a text: saved with an audit entry; bad input is refused with field errors and changes nothing', async () => {
    await seedLegalDocuments(databaseHandle)
    const { user: admin } = await createTestUser({ role: 'admin' })
    const { cookie } = await signedInCookie(admin.id)
    const edit = (form: Record<string, string>) => editLegalAction(routeArgs(requestFor('/admin/legal/terms', { form, cookie }), { slug: 'terms' }))
    const before = await db.query.legalDocuments.findFirst({ where: eq(legalDocuments.slug, 'terms') })
    const audits = await countRows(auditLog)

    const refused = readData(await edit({ title: ' ', body: '' }))
    expect(refused.status).toBe(400)
    expect(refused.data.errors).toEqual({ title: '请填写标题', body: '请填写正文' })
    expect(await db.query.legalDocuments.findFirst({ where: eq(legalDocuments.slug, 'terms') })).toEqual(before)
    expect(await countRows(auditLog)).toBe(audits)

    readRedirect(await edit({ title: '知音用户协议', body: '## 总则\r\n\r\n新的条款。' }))
    const saved = await db.query.legalDocuments.findFirst({ where: eq(legalDocuments.slug, 'terms') })
    expect(saved).toMatchObject({ title: '知音用户协议', body: '## 总则\n\n新的条款。', updatedBy: admin.id })
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'legal.update'))
    expect(entry).toMatchObject({ actorId: admin.id, targetType: 'legal', targetId: 'terms' })
    expect((await legalLoader(routeArgs(requestFor('/legal/terms'), { slug: 'terms' }))).html).toContain('新的条款。')
  })

  it('only an admin may open or save the editor (an editor or a reader gets 403); an unknown slug is 404', async () => {
    await seedLegalDocuments(databaseHandle)
    for (const role of ['editor', 'user'] as const) {
      const { user } = await createTestUser({ role })
      const { cookie } = await signedInCookie(user.id)
      expect((await thrownResponse(legalListLoader(routeArgs(requestFor('/admin/legal', { cookie }))))).status).toBe(403)
      const save = editLegalAction(routeArgs(requestFor('/admin/legal/terms', { cookie, form: { title: '篡改', body: '篡改' } }), { slug: 'terms' }))
      expect((await thrownResponse(save)).status).toBe(403)
    }
    expect((await db.query.legalDocuments.findFirst({ where: eq(legalDocuments.slug, 'terms') }))?.title).not.toBe('篡改')
    const { user: admin } = await createTestUser({ role: 'admin' })
    const { cookie } = await signedInCookie(admin.id)
    expect((await thrownResponse(editLegalLoader(routeArgs(requestFor('/admin/legal/cookies', { cookie }), { slug: 'cookies' })))).status).toBe(404)
    expect(DEFAULT_LEGAL_DOCUMENTS.map((d) => d.slug)).toEqual(['terms', 'privacy'])
  })
})
