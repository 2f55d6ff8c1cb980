import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { counters, drops, dropTiers, memberships, stock, users } from '../../db/schema'
import { findMemberCard } from '~/models/member-card.server'
import { action as cardAction, loader as cardLoader, meta as cardMeta } from '~/routes/membership.card'
import { loader as imageLoader } from '~/routes/membership.card_.$file'
import { db } from '~/utils/db.server'
import { memberCardShareToken } from '~/utils/member-card-image.server'
import { readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { addMembership, createTestUser, DAY_MS, signedInCookie, tierIdOf, type TierSlug } from '../factories/users'

/** The share image's file name of a membership at a share version. */
function fileOf(membershipId: number, shareVersion = 0) {
  return `${memberCardShareToken({ membershipId, shareVersion })}.png`
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
// Memberships of the drop end at the start of 2100-01-01 in Shanghai: the card shows 2099-12-31.
const VALID_UNTIL = new Date('2100-01-01T00:00:00+08:00')

/** A drop with one tier, as the drop model would have written it (counter, stock, drop tier). */
async function insertDrop({ name = '2027 年度会员招募', tier = 'tiegan' }: { name?: string; tier?: TierSlug } = {}) {
  const [counter] = await db.insert(counters).values({ value: 0 }).returning()
  const now = Date.now()
  const [drop] = await db
    .insert(drops)
    .values({ name, opensAt: new Date(now - 10 * DAY_MS), closesAt: new Date(now - 9 * DAY_MS), counterId: counter!.id, updatedAt: new Date(now) })
    .returning()
  const [seats] = await db.insert(stock).values({ capacity: 100, sold: 0, counterId: counter!.id }).returning()
  const tierId = await tierIdOf(tier)
  await db.insert(dropTiers).values({ dropId: drop!.id, tierId, priceFen: 120_000, stockId: seats!.id, validUntil: VALID_UNTIL })
  return { drop: drop!, tierId }
}

/** A seat bought in a drop: the membership with its member number, as fulfilment writes it. */
async function insertDropMembership(
  userId: number,
  {
    memberNumber,
    tier = 'tiegan',
    validUntil = VALID_UNTIL,
    revokedAt = null,
  }: { memberNumber: number; tier?: TierSlug; validUntil?: Date; revokedAt?: Date | null },
) {
  const { drop, tierId } = await insertDrop({ tier })
  const [row] = await db
    .insert(memberships)
    .values({ userId, tierId, memberNumber, validFrom: new Date(Date.now() - 9 * DAY_MS), validUntil, revokedAt, source: 'drop', dropId: drop.id })
    .returning()
  return row!
}

async function loadCard(cookie: string) {
  return (await cardLoader(routeArgs(requestFor('/membership/card', { cookie })))) as Awaited<ReturnType<typeof cardLoader>>
}

async function fetchImage(file: string, headers: Record<string, string> = {}) {
  return imageLoader(routeArgs(requestFor(`/membership/card/${file}`, { headers }), { file }))
}

describe('/membership/card', () => {
  it('shows a drop member their number padded to four digits, tier, name, drop and last valid day', async () => {
    const { user } = await createTestUser({ displayName: '老朋友' })
    await insertDropMembership(user.id, { memberNumber: 7 })
    const { cookie } = await signedInCookie(user.id)
    const { card, share } = await loadCard(cookie)
    expect(card).toMatchObject({
      headline: '第 0007 号',
      numbered: true,
      tierName: '铁杆会员',
      name: '老朋友',
      dropName: '2027 年度会员招募',
      validUntil: '2099年12月31日',
      expired: false,
    })
    expect(share?.imagePath).toMatch(/^\/membership\/card\/\d+-[A-Za-z0-9_-]{22}\.png$/)
  })

  it('puts the share image in the meta tags as an absolute og:image of 1200×630, with a large Twitter card', async () => {
    const { user } = await createTestUser({ displayName: '分享者' })
    const membership = await insertDropMembership(user.id, { memberNumber: 3 })
    const { cookie } = await signedInCookie(user.id)
    const loaded = await loadCard(cookie)
    const tags = cardMeta({ data: loaded } as Parameters<typeof cardMeta>[0]) as Record<string, string>[]
    const content = (key: string) => tags.find((tag) => tag.property === key || tag.name === key)?.content
    expect(content('og:image')).toBe(`http://localhost:3000/membership/card/${fileOf(membership.id)}`)
    expect(content('og:image:width')).toBe('1200')
    expect(content('og:image:height')).toBe('630')
    expect(content('og:title')).toBe('分享者的知音会员卡')
    expect(content('og:description')).toContain('第 0003 号')
    expect(content('twitter:card')).toBe('summary_large_image')
  })

  it('prefers the highest-ranked membership in force, and a numbered one over a gift of the same rank', async () => {
    const { user } = await createTestUser()
    await addMembership(user.id, { tier: 'qinqing', source: 'complimentary' })
    await insertDropMembership(user.id, { memberNumber: 12, tier: 'qinqing' })
    const { cookie } = await signedInCookie(user.id)
    expect((await loadCard(cookie)).card).toMatchObject({ headline: '第 0012 号', tierName: '亲情会员', tone: 'qinqing' })
    await addMembership(user.id, { tier: 'tiegan', source: 'complimentary' })
    expect((await loadCard(cookie)).card).toMatchObject({ headline: '赠送会员', tierName: '铁杆会员', numbered: false })
  })

  it('shows a seeded or gifted membership without a number, named by where it came from', async () => {
    const demo = await createTestUser({ tier: { tier: 'qinqing', source: 'demo' } })
    const gift = await createTestUser({ tier: { tier: 'tiegan', source: 'complimentary' } })
    expect((await loadCard((await signedInCookie(demo.user.id)).cookie)).card).toMatchObject({ headline: '体验会员', numbered: false, dropName: null })
    expect((await loadCard((await signedInCookie(gift.user.id)).cookie)).card).toMatchObject({ headline: '赠送会员', numbered: false })
  })

  it('keeps an ended or revoked membership as an expired card', async () => {
    const ended = await createTestUser()
    await insertDropMembership(ended.user.id, { memberNumber: 1, validUntil: new Date(Date.now() - DAY_MS) })
    expect((await loadCard((await signedInCookie(ended.user.id)).cookie)).card).toMatchObject({ headline: '第 0001 号', expired: true })

    const revoked = await createTestUser()
    await insertDropMembership(revoked.user.id, { memberNumber: 2, revokedAt: new Date(Date.now() - 1000) })
    expect((await loadCard((await signedInCookie(revoked.user.id)).cookie)).card).toMatchObject({ headline: '第 0002 号', expired: true })
  })

  it('gives a signed-in user without a membership the empty state', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    expect(await loadCard(cookie)).toEqual({ card: null, share: null, shared: false })
  })

  it('sends a visitor to sign in', async () => {
    const thrown = await cardLoader(routeArgs(requestFor('/membership/card'))).catch((error: unknown) => error)
    const { location } = readRedirect(thrown)
    expect(location).toMatch(/^\/login/)
  })

  it('shows a shared card to anyone holding its signed link (the WeChat preview), and nothing for an unsigned one', async () => {
    const { user } = await createTestUser({ displayName: '分享链接' })
    const membership = await insertDropMembership(user.id, { memberNumber: 12 })
    const { cookie } = await signedInCookie(user.id)
    const own = await loadCard(cookie)
    const link = own.share!.pagePath
    expect(link).toBe(`/membership/card?s=${memberCardShareToken({ membershipId: membership.id, shareVersion: 0 })}`)
    const tags = cardMeta({ data: own } as Parameters<typeof cardMeta>[0]) as Record<string, string>[]
    expect(tags.find((tag) => tag.property === 'og:url')?.content).toBe(`http://localhost:3000${link}`)

    // No cookie: a crawler or a friend.
    const shared = (await cardLoader(routeArgs(requestFor(link)))) as Awaited<ReturnType<typeof cardLoader>>
    expect(shared).toMatchObject({ shared: true, card: { name: '分享链接', headline: '第 0012 号' } })
    for (const forged of [`${membership.id}-${'A'.repeat(22)}`, `${membership.id + 1}-${link.split('-')[1]}`, 'nonsense']) {
      const response = await cardLoader(routeArgs(requestFor(`/membership/card?s=${forged}`))).catch((error: unknown) => error)
      expect((response as Response).status).toBe(404)
    }
  })

  it('does not show a membership that starts later, or a free-tier row', async () => {
    const { user } = await createTestUser()
    await addMembership(user.id, { tier: 'tiegan', validFrom: new Date(Date.now() + DAY_MS), validUntil: new Date(Date.now() + 30 * DAY_MS) })
    await db.insert(memberships).values({
      userId: user.id,
      tierId: await tierIdOf('free'),
      validFrom: new Date(Date.now() - DAY_MS),
      validUntil: new Date(Date.now() + DAY_MS),
      source: 'demo',
    })
    expect(await findMemberCard({ userId: user.id, now: new Date() })).toBeUndefined()
  })
})

describe('/membership/card/<id>-<signature>.png', () => {
  it('answers a valid file name without a session: a 1200×630 PNG, publicly cacheable, with an ETag', async () => {
    const { user } = await createTestUser({ displayName: '<b>罗胖</b> & 朋友' })
    const membership = await insertDropMembership(user.id, { memberNumber: 1 })
    const response = await fetchImage(fileOf(membership.id))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('image/png')
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=3600')
    expect(response.headers.get('ETag')).toMatch(/^".+"$/)
    const body = Buffer.from(await response.arrayBuffer())
    expect([...body.subarray(0, 8)]).toEqual(PNG_MAGIC)
    const metadata = await sharp(body).metadata()
    expect(metadata).toMatchObject({ format: 'png', width: 1200, height: 630 })
  })

  it('answers 304 to a matching If-None-Match, and a new tag once the card changes', async () => {
    const { user } = await createTestUser({ displayName: '改名前' })
    const membership = await insertDropMembership(user.id, { memberNumber: 5 })
    const file = fileOf(membership.id)
    const etag = (await fetchImage(file)).headers.get('ETag')!
    const again = await fetchImage(file, { 'If-None-Match': etag })
    expect(again.status).toBe(304)
    expect(again.headers.get('ETag')).toBe(etag)

    await db.update(users).set({ displayName: '改名后' }).where(eq(users.id, user.id))
    const renamed = await fetchImage(file, { 'If-None-Match': etag })
    expect(renamed.status).toBe(200)
    expect(renamed.headers.get('ETag')).not.toBe(etag)
  })

  it('still renders the image of an ended or revoked membership (a record)', async () => {
    const { user } = await createTestUser()
    const membership = await insertDropMembership(user.id, { memberNumber: 9, revokedAt: new Date(Date.now() - 1000) })
    expect((await fetchImage(fileOf(membership.id))).status).toBe(200)
  })

  it('answers 404 to a wrong signature, to another membership’s signature and to a membership that does not exist', async () => {
    const a = await insertDropMembership((await createTestUser()).user.id, { memberNumber: 1 })
    const b = await insertDropMembership((await createTestUser()).user.id, { memberNumber: 2 })
    const signatureOfA = fileOf(a.id).slice(`${a.id}-`.length)
    const signatureOfB = fileOf(b.id).slice(`${b.id}-`.length)

    expect((await fetchImage(`${b.id}-${signatureOfA}`)).status).toBe(404)
    expect((await fetchImage(`${a.id}-${signatureOfB}`)).status).toBe(404)
    expect((await fetchImage(`${a.id}-${'A'.repeat(22)}.png`)).status).toBe(404)
    expect((await fetchImage(`${a.id}.png`)).status).toBe(404)
    expect((await fetchImage(`${a.id}-${signatureOfA.replace('.png', '.jpg')}`)).status).toBe(404)
    // Signed correctly, but there is no such membership.
    expect((await fetchImage(fileOf(999_999))).status).toBe(404)
  })
})

describe('重置分享链接', () => {
  const reset = (cookie?: string, intent = 'reset-share') => cardAction(routeArgs(requestFor('/membership/card', { form: { intent }, cookie })))

  it('voids the links already shared (page and image) and gives the card new ones', async () => {
    const { user } = await createTestUser({ displayName: '换链接' })
    const membership = await insertDropMembership(user.id, { memberNumber: 21 })
    const { cookie } = await signedInCookie(user.id)
    const before = (await loadCard(cookie)).share!

    const { location } = readRedirect(await reset(cookie))
    expect(location).toBe('/membership/card')
    const after = (await loadCard(cookie)).share!
    expect(after.pagePath).not.toBe(before.pagePath)
    expect(after.imagePath).toBe(`/membership/card/${fileOf(membership.id, 1)}`)

    expect((await thrownResponse(cardLoader(routeArgs(requestFor(before.pagePath))))).status).toBe(404)
    expect((await fetchImage(fileOf(membership.id, 0))).status).toBe(404)
    expect(await cardLoader(routeArgs(requestFor(after.pagePath)))).toMatchObject({ shared: true, card: { headline: '第 0021 号' } })
    expect((await fetchImage(fileOf(membership.id, 1))).status).toBe(200)
  })

  it('only touches the reader’s own card: a visitor is sent to sign in, no card is 404, another intent 400', async () => {
    const holder = (await createTestUser()).user
    const membership = await insertDropMembership(holder.id, { memberNumber: 22 })
    expect(readRedirect(await thrownResponse(reset())).location).toMatch(/^\/login/)
    const { cookie: strangerCookie } = await signedInCookie((await createTestUser()).user.id)
    expect((await thrownResponse(reset(strangerCookie))).status).toBe(404)
    const { cookie } = await signedInCookie(holder.id)
    expect((await thrownResponse(reset(cookie, 'steal'))).status).toBe(400)
    const [row] = await db.select({ shareVersion: memberships.shareVersion }).from(memberships).where(eq(memberships.id, membership.id))
    expect(row?.shareVersion).toBe(0)
  })
})

