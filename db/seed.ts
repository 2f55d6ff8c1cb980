// Fills a database: the member tiers (always, when there are none) and, outside production,
// demo accounts. The demo accounts and their passwords are listed in README.md.
import { count } from 'drizzle-orm'
import { boards, memberships, tiers, users } from './schema'
import type { DatabaseHandle } from './client'

export const DEFAULT_TIERS = [
  { slug: 'free', name: '免费用户', rank: 0, priceFen: 0, description: '注册即可收听公开的每日内容，浏览社群与商城。' },
  {
    slug: 'qinqing',
    name: '亲情会员',
    rank: 1,
    priceFen: 200_00,
    description: '收听全部会员每日内容，在社群发帖交流，购买会员专享商品。',
  },
  {
    slug: 'tiegan',
    name: '铁杆会员',
    rank: 2,
    priceFen: 1_200_00,
    description: '亲情会员的一切，加上铁杆专属文章与限量商品的优先购买权。',
  },
] as const

// The community's boards are data too (editable by an admin): reading open to everyone, posting
// and replying for members (rank ≥ 1).
export const DEFAULT_BOARDS = [
  { slug: 'jobs', kind: 'jobs', name: '招聘求职', description: '会员之间的招聘与求职：写清城市、薪资和要求，联系方式仅会员可见。', readMinRank: 0, postMinRank: 1, sortOrder: 1 },
  { slug: 'sharing', kind: 'sharing', name: '分享', description: '读书笔记、学习方法、行业见闻，分享你今天学到的东西。', readMinRank: 0, postMinRank: 1, sortOrder: 2 },
] as const

export async function seedBoards({ db }: DatabaseHandle) {
  const [existing] = await db.select({ n: count() }).from(boards)
  if ((existing?.n ?? 0) > 0) return false
  // Another process may have seeded since the count: the unique slugs keep theirs.
  const created = await db.insert(boards).values([...DEFAULT_BOARDS]).onConflictDoNothing().returning({ id: boards.id })
  return created.length > 0
}

export const DEMO_ACCOUNTS = [
  { email: 'admin@zhiyin.local', password: 'zhiyin-admin', displayName: '知音管理员', role: 'admin', tier: null },
  { email: 'editor@zhiyin.local', password: 'zhiyin-editor', displayName: '早报编辑', role: 'editor', tier: null },
  { email: 'tiegan@zhiyin.local', password: 'zhiyin-member', displayName: '铁杆老友', role: 'user', tier: 'tiegan' },
  { email: 'qinqing@zhiyin.local', password: 'zhiyin-member', displayName: '亲情读者', role: 'user', tier: 'qinqing' },
  { email: 'expired@zhiyin.local', password: 'zhiyin-member', displayName: '过期会员', role: 'user', tier: 'expired' },
  { email: 'user@zhiyin.local', password: 'zhiyin-user', displayName: '普通用户', role: 'user', tier: null },
] as const

const DAY_MS = 24 * 60 * 60 * 1000

export async function seedTiers({ db }: DatabaseHandle) {
  const [existing] = await db.select({ n: count() }).from(tiers)
  if ((existing?.n ?? 0) > 0) return false
  // Another process may have seeded since the count: the unique slugs keep theirs.
  const created = await db.insert(tiers).values([...DEFAULT_TIERS]).onConflictDoNothing().returning({ id: tiers.id })
  return created.length > 0
}

/** Demo accounts, only into a database without users. Returns whether it seeded. */
export async function seedDemo(handle: DatabaseHandle, { now = new Date() } = {}) {
  const { db } = handle
  const [existing] = await db.select({ n: count() }).from(users)
  if ((existing?.n ?? 0) > 0) return false
  // Imported here so that the app's modules (and their env check) load only when seeding.
  const { createUser, EmailTakenError } = await import('~/models/user.server')
  const tierRows = await db.select().from(tiers)
  const tierId = (slug: string) => tierRows.find((t) => t.slug === slug)!.id
  let memberNumber = 0
  for (const [index, account] of DEMO_ACCOUNTS.entries()) {
    // Demo addresses cannot receive mail: they count as verified.
    const user = await createUser({ ...account, emailVerified: true }).catch((error: unknown) => {
      // The first account is the claim: another process that created it since the count seeds the rest.
      if (index === 0 && error instanceof EmailTakenError) return null
      throw error
    })
    if (!user) return false
    if (!account.tier) continue
    const expired = account.tier === 'expired'
    await db.insert(memberships).values({
      userId: user.id,
      tierId: tierId(expired ? 'qinqing' : account.tier),
      memberNumber: ++memberNumber,
      validFrom: new Date(now.getTime() - (expired ? 400 : 30) * DAY_MS),
      validUntil: new Date(now.getTime() + (expired ? -35 : 335) * DAY_MS),
      source: 'demo',
      note: '演示数据',
    })
  }
  return true
}
