import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog, memberships, users, type User } from '../../db/schema'
import { checkAccess } from '~/domain/access'
import { endOfValidityDate, localDate } from '~/domain/time'
import { t } from '~/i18n/zh-CN'
import { getMembershipPeriods } from '~/models/membership.server'
import * as adminDashboard from '~/routes/admin._index'
import * as adminLayout from '~/routes/admin'
import * as adminUsers from '~/routes/admin.users'
import { db } from '~/utils/db.server'
import { formatValidUntil } from '~/utils/format'
import { countRows } from '../factories/db'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { addMembership, createTestUser, DAY_MS, signedInCookie, tierIdOf } from '../factories/users'

let admin: User
let adminCookie: string
let member: User
let memberCookie: string
let editorCookie: string

beforeAll(async () => {
  admin = (await createTestUser({ role: 'admin', displayName: '管理员' })).user
  adminCookie = (await signedInCookie(admin.id)).cookie
  member = (await createTestUser({ tier: 'qinqing', displayName: '亲情读者' })).user
  memberCookie = (await signedInCookie(member.id)).cookie
  const editor = (await createTestUser({ role: 'editor' })).user
  editorCookie = (await signedInCookie(editor.id)).cookie
})

function usersAction(cookie: string, form: Record<string, string>) {
  return adminUsers.action(routeArgs(requestFor('/admin/users', { form, cookie })))
}

/** A YYYY-MM-DD date some days from now in the site time zone. */
const dateInDays = (days: number) => localDate(new Date(Date.now() + days * DAY_MS), 'Asia/Shanghai')

async function snapshot() {
  return { memberships: await countRows(memberships), audit: await countRows(auditLog), users: await db.select().from(users) }
}

describe('/admin/users as an admin', () => {
  it('grants a complimentary 铁杆会员 until a date: membership and audit entry are written, and rank-2 content opens', async () => {
    const now = new Date()
    const before = checkAccess({ minRank: 2 }, { role: 'user', memberships: await getMembershipPeriods(member.id) }, now)
    expect(before).toEqual({ granted: false, reason: 'higher_tier_required', requiredRank: 2 })

    const tieganId = await tierIdOf('tiegan')
    const until = dateInDays(90)
    const { location, cookies } = readRedirect(
      await usersAction(adminCookie, { intent: 'grant', userId: String(member.id), tierId: String(tieganId), validUntil: until, note: '活动赠送' }),
    )
    expect(location).toBe('/admin/users')
    expect(cookies.some((c) => c.startsWith('zhiyin_flash='))).toBe(true)

    const granted = await db.query.memberships.findFirst({ where: eq(memberships.tierId, tieganId) })
    expect(granted).toMatchObject({
      userId: member.id,
      source: 'complimentary',
      grantedBy: admin.id,
      note: '活动赠送',
      revokedAt: null,
      validUntil: endOfValidityDate(until, 'Asia/Shanghai'),
    })

    const audit = await db.query.auditLog.findMany({ where: eq(auditLog.action, 'membership.grant') })
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      actorId: admin.id,
      targetType: 'user',
      targetId: String(member.id),
      detail: { membershipId: granted!.id, tierId: tieganId, note: '活动赠送' },
    })

    const after = checkAccess({ minRank: 2 }, { role: 'user', memberships: await getMembershipPeriods(member.id) }, new Date())
    expect(after).toEqual({ granted: true, via: 'membership' })
  })

  it('makes a user an editor, with a role.set audit entry', async () => {
    const { user } = await createTestUser()
    readRedirect(await usersAction(adminCookie, { intent: 'role', userId: String(user.id), role: 'editor' }))

    expect((await db.query.users.findFirst({ where: eq(users.id, user.id) }))?.role).toBe('editor')
    const audit = await db.query.auditLog.findMany({ where: eq(auditLog.targetId, String(user.id)) })
    expect(audit).toEqual([
      expect.objectContaining({ actorId: admin.id, action: 'role.set', targetType: 'user', detail: { from: 'user', to: 'editor' } }),
    ])
    // The dashboard writes it as a sentence (issue 18), not as the stored JSON.
    const dashboard = await adminDashboard.loader(routeArgs(requestFor('/admin', { cookie: adminCookie })))
    const line = dashboard.audit.find((entry) => entry.target.label === `用户 #${user.id}`)
    expect(line).toMatchObject({ verb: '修改角色', target: { href: '/admin/users' }, details: ['从 用户 改为 编辑'] })
    expect(JSON.stringify(dashboard.audit)).not.toContain('{\\"from')
  })

  it.each([
    ['an end date in the past', { validUntil: '2020-01-01' }, 'validUntil', t.errors.dateInPast],
    ['yesterday as the end date', { validUntil: dateInDays(-1) }, 'validUntil', t.errors.dateInPast],
    ['an impossible date', { validUntil: '2031-02-30' }, 'validUntil', t.errors.dateInvalid],
    ['an unknown tier', { tierId: '9999' }, 'tierId', t.errors.invalidChoice],
  ])('%s answers 400 with the field error and writes nothing', async (_name, change, field, message) => {
    const before = await snapshot()
    const form = { intent: 'grant', userId: String(member.id), tierId: String(await tierIdOf('tiegan')), validUntil: dateInDays(30), ...change }
    const { status, data } = readData(await usersAction(adminCookie, form))
    expect(status).toBe(400)
    expect(data.errors).toEqual({ [field]: message })
    expect(await snapshot()).toEqual(before)
  })

  it('the free tier cannot be granted', async () => {
    const before = await snapshot()
    const form = { intent: 'grant', userId: String(member.id), tierId: String(await tierIdOf('free')), validUntil: dateInDays(30) }
    const { status, data } = readData(await usersAction(adminCookie, form))
    expect(status).toBe(400)
    expect(data.errors).toEqual({ tierId: t.errors.invalidChoice })
    expect(await snapshot()).toEqual(before)
  })

  it('an admin cannot change their own role (403), and nothing is written', async () => {
    const before = await snapshot()
    const { status, data } = readData(await usersAction(adminCookie, { intent: 'role', userId: String(admin.id), role: 'user' }))
    expect(status).toBe(403)
    expect(data.errors).toEqual({ role: t.errors.cannotDemoteSelf })
    expect(await snapshot()).toEqual(before)
  })

  it('the list shows the users with their active membership', async () => {
    const result = await adminUsers.loader(routeArgs(requestFor('/admin/users', { cookie: adminCookie })))
    const row = result.users.find((u) => u.id === member.id)
    expect(row?.membership?.rank).toBe(2)
    expect(result.tiers.map((tier) => tier.name)).toEqual(['亲情会员', '铁杆会员'])
  })

  it('a lapsed member reads 「无（亲情会员已于 <last day>到期）」: the membership that ended last, revoked ones left out', async () => {
    const ended = new Date(Date.now() - 35 * DAY_MS)
    const { user: lapsed } = await createTestUser({ displayName: '过期读者', tier: { tier: 'qinqing', validFrom: new Date(Date.now() - 400 * DAY_MS), validUntil: ended } })
    await addMembership(lapsed.id, { tier: 'qinqing', validFrom: new Date(Date.now() - 800 * DAY_MS), validUntil: new Date(Date.now() - 400 * DAY_MS) })
    await addMembership(lapsed.id, { tier: 'tiegan', validFrom: new Date(Date.now() - 30 * DAY_MS), validUntil: new Date(Date.now() - 10 * DAY_MS), revokedAt: new Date(Date.now() - 20 * DAY_MS) })
    const result = await adminUsers.loader(routeArgs(requestFor('/admin/users', { cookie: adminCookie })))
    const row = result.users.find((u) => u.id === lapsed.id)!
    expect(row.membership).toBeNull()
    expect(row.lapsed).toMatchObject({ tierName: '亲情会员', validUntil: ended })
    expect(t.admin.noneSince(row.lapsed!.tierName, formatValidUntil(row.lapsed!.validUntil, 'Asia/Shanghai'))).toBe(
      `无（亲情会员已于 ${formatValidUntil(ended, 'Asia/Shanghai')}到期）`,
    )
    // An active member is not reported as lapsed, and a user who never was a member has neither.
    expect(result.users.find((u) => u.id === member.id)?.lapsed).toBeNull()
    expect(result.users.find((u) => u.id === admin.id)).toMatchObject({ membership: null, lapsed: null })
  })
})

describe('/admin for people who are not admins', () => {
  it('a member gets 403 from every admin loader and action, and nothing is written', async () => {
    const before = await snapshot()
    const request = () => requestFor('/admin/users', { cookie: memberCookie })
    const tieganId = String(await tierIdOf('tiegan'))
    const calls = [
      () => adminLayout.loader(routeArgs(request())),
      () => adminDashboard.loader(routeArgs(request())),
      () => adminUsers.loader(routeArgs(request())),
      () => usersAction(memberCookie, { intent: 'role', userId: String(member.id), role: 'admin' }),
      () => usersAction(memberCookie, { intent: 'grant', userId: String(member.id), tierId: tieganId, validUntil: dateInDays(30) }),
    ]
    for (const call of calls) {
      expect((await thrownResponse(call())).status).toBe(403)
    }
    expect(await snapshot()).toEqual(before)
  })

  it('an editor sees the dashboard but gets 403 on user management', async () => {
    const dashboard = await adminDashboard.loader(routeArgs(requestFor('/admin', { cookie: editorCookie })))
    expect(dashboard.stats.staff).toBeGreaterThanOrEqual(2)
    const before = await snapshot()
    expect((await thrownResponse(adminUsers.loader(routeArgs(requestFor('/admin/users', { cookie: editorCookie }))))).status).toBe(403)
    expect((await thrownResponse(usersAction(editorCookie, { intent: 'role', userId: String(member.id), role: 'admin' }))).status).toBe(
      403,
    )
    expect(await snapshot()).toEqual(before)
  })

  it('a visitor is sent to sign in, and back', async () => {
    const response = await thrownResponse(adminUsers.loader(routeArgs(requestFor('/admin/users?q=x'))))
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/login?redirectTo=%2Fadmin%2Fusers%3Fq%3Dx')
  })
})
