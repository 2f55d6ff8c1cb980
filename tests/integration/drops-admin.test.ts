// /admin/drops against the real database: creating a drop with its seats, bad input refused with
// field errors and nothing changed, edits before and after opening (capacity never below paid +
// held, prices locked), opening and closing early, extending, the live numbers, the members CSV
// and the audit log.
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditLog, dropTiers, drops, memberships, stock, type Drop } from '../../db/schema'
import { toLocalDateTimeValue } from '~/domain/drop'
import { createDrop, listDropTiers, placeSeatOrder, placeUpgradeOrder } from '~/models/drop.server'
import { confirmPayment, requestRefund } from '~/models/commerce.server'
import { action as editAction, loader as editLoader } from '~/routes/admin.drops.$id'
import { action as csvAction, loader as csvLoader } from '~/routes/admin.drops.$id.csv'
import { loader as statsLoader } from '~/routes/admin.drops.$id.stats'
import { loader as listLoader } from '~/routes/admin.drops._index'
import { action as newAction } from '~/routes/admin.drops.new'
import { db } from '~/utils/db.server'
import { tierIds } from '../factories/drops'
import { countRows } from '../factories/db'
import { expectConsistent, paidNotice } from '../factories/orders'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const TZ = 'Asia/Shanghai'
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

async function staff(role: 'admin' | 'editor' | 'user' = 'admin') {
  const { user } = await createTestUser({ role })
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

let futureSlot = 0
/** The create form, valid, for a window `days` ahead (each call further out, so none overlap). */
async function dropForm(overrides: Record<string, string> = {}) {
  const ids = await tierIds()
  const opens = new Date(Date.now() + (30 + ++futureSlot * 3) * DAY)
  return {
    name: '2027 年度会员招募',
    opensAt: toLocalDateTimeValue(opens, TZ),
    closesAt: toLocalDateTimeValue(new Date(opens.getTime() + 6 * HOUR), TZ),
    announcement: '下期招募预计明年八月',
    [`offered_${ids.qinqing}`]: 'on',
    [`price_${ids.qinqing}`]: '200',
    [`capacity_${ids.qinqing}`]: '5500',
    [`validUntil_${ids.qinqing}`]: toLocalDateTimeValue(new Date(opens.getTime() + 365 * DAY), TZ).slice(0, 10),
    [`offered_${ids.tiegan}`]: 'on',
    [`price_${ids.tiegan}`]: '1200',
    [`capacity_${ids.tiegan}`]: '500',
    [`validUntil_${ids.tiegan}`]: toLocalDateTimeValue(new Date(opens.getTime() + 365 * DAY), TZ).slice(0, 10),
    ...overrides,
  }
}

/**
 * A drop open right now (real clock), with seats; drops of this file around now are moved ten
 * years back first, so that windows never overlap.
 */
async function openDrop({ qinqing = 10, tiegan = 5 } = {}) {
  const now = Date.now()
  const opensAt = new Date(now - 30 * MINUTE)
  const closesAt = new Date(now + HOUR)
  const TEN_YEARS = 10 * 365 * DAY
  await db
    .update(drops)
    .set({ opensAt: sql`${drops.opensAt} - ${TEN_YEARS}`, closesAt: sql`${drops.closesAt} - ${TEN_YEARS}` })
    .where(and(lt(drops.opensAt, closesAt), gt(drops.closesAt, opensAt)))
  const ids = await tierIds()
  const validUntil = new Date(now + 365 * DAY)
  const { user: admin } = await staff()
  const result = await createDrop({
    input: {
      name: `进行中的招募 ${now}`,
      announcement: '',
      opensAt,
      closesAt,
      tiers: [
        { tierId: ids.qinqing, priceFen: 200_00, capacity: qinqing, validUntil },
        { tierId: ids.tiegan, priceFen: 1200_00, capacity: tiegan, validUntil },
      ],
    },
    actorId: admin.id,
    now: new Date(opensAt.getTime() - MINUTE),
  })
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  const [q, t] = await listDropTiers(result.drop.id, new Date())
  return { drop: result.drop, qinqing: q!, tiegan: t! }
}

/** A buyer who paid for a seat of `dropTierId` (paid now), or only holds it. */
async function seat(drop: Drop, dropTierId: number, { pay = true, at = new Date() } = {}) {
  const { user } = await createTestUser()
  const result = await placeSeatOrder({ dropId: drop.id, dropTierId, userId: user.id, now: at })
  if (!result.ok) throw new Error(result.reason)
  const order = (await db.query.orders.findFirst({ where: (o, { eq: is }) => is(o.id, result.orderId) }))!
  if (pay) await confirmPayment(paidNotice(order), at)
  return { user, order }
}

async function auditOf(dropId: number) {
  return db.select().from(auditLog).where(and(eq(auditLog.targetType, 'drop'), eq(auditLog.targetId, String(dropId)))).orderBy(asc(auditLog.id))
}

async function dropById(id: number) {
  return (await db.select().from(drops).where(eq(drops.id, id)))[0]!
}

const post = (path: string, cookie: string, form: Record<string, string>) => requestFor(path, { cookie, form })

describe('who may manage drops', () => {
  it('only admins: an editor gets 403 on the list, the form and the CSV', async () => {
    const editor = await staff('editor')
    expect((await thrownResponse(listLoader(routeArgs(requestFor('/admin/drops', { cookie: editor.cookie }))))).status).toBe(403)
    expect((await thrownResponse(newAction(routeArgs(post('/admin/drops/new', editor.cookie, await dropForm()))))).status).toBe(403)
    expect((await thrownResponse(csvAction(routeArgs(post('/admin/drops/1/csv', editor.cookie, {}), { id: '1' })))).status).toBe(403)
    expect(await countRows(drops)).toBe(0)
  })
})

describe('creating a drop', () => {
  it('stores the window in site time and one seat stock per tier sharing the drop’s number counter, audited', async () => {
    const admin = await staff()
    const form = await dropForm()
    const { location } = readRedirect(await newAction(routeArgs(post('/admin/drops/new', admin.cookie, form))))
    const id = Number(/^\/admin\/drops\/(\d+)$/.exec(location ?? '')?.[1])
    const drop = await dropById(id)
    expect(toLocalDateTimeValue(drop.opensAt, TZ)).toBe(form.opensAt)
    expect(drop).toMatchObject({ name: '2027 年度会员招募', announcement: '下期招募预计明年八月', createdBy: admin.user.id })
    const rows = await db.select({ dropTier: dropTiers, stock }).from(dropTiers).innerJoin(stock, eq(stock.id, dropTiers.stockId)).where(eq(dropTiers.dropId, id))
    expect(rows.map((r) => [r.dropTier.priceFen, r.stock.capacity, r.stock.counterId]).sort()).toEqual(
      [
        [1200_00, 500, drop.counterId],
        [200_00, 5500, drop.counterId],
      ].sort(),
    )
    // "Valid until 2028-…" covers that whole day: it ends when the next day begins in Shanghai.
    const ids = await tierIds()
    const until = rows.find((r) => r.dropTier.tierId === ids.qinqing)!.dropTier.validUntil
    expect(toLocalDateTimeValue(until, TZ)).toMatch(/T00:00$/)
    expect(toLocalDateTimeValue(new Date(until.getTime() - 1), TZ).slice(0, 10)).toBe(form[`validUntil_${ids.qinqing}`])
    const [entry] = await auditOf(id)
    expect(entry).toMatchObject({ action: 'drop.create', actorId: admin.user.id })
  })

  it.each([
    ['closes before it opens', async () => dropForm({ closesAt: '2020-01-01T00:00' }), 'closesAt', '结束时间必须晚于开启时间'],
    ['zero seats', async () => dropForm({ [`capacity_${(await tierIds()).qinqing}`]: '0' }), `capacity_q`, '席位数须为 1 到 1,000,000 之间的整数'],
    ['a negative price', async () => dropForm({ [`price_${(await tierIds()).tiegan}`]: '-1200' }), `price_t`, '请输入大于 0 的价格（元，最多两位小数）'],
    ['no tier', async () => dropForm({ [`offered_${(await tierIds()).qinqing}`]: '', [`offered_${(await tierIds()).tiegan}`]: '' }), 'tiers', '至少选择一个会员等级'],
    ['an opening time in the past', async () => dropForm({ opensAt: toLocalDateTimeValue(new Date(Date.now() - DAY), TZ) }), 'opensAt', '开启时间不能早于现在（可以创建后点击「立即开启」）'],
  ])('refuses %s with a field error (400) and creates nothing', async (_label, makeForm, field, message) => {
    const admin = await staff()
    const ids = await tierIds()
    const before = await countRows(drops)
    const result = readData(await newAction(routeArgs(post('/admin/drops/new', admin.cookie, await makeForm()))))
    const key = field === 'capacity_q' ? `capacity_${ids.qinqing}` : field === 'price_t' ? `price_${ids.tiegan}` : field
    expect(result.status).toBe(400)
    expect(result.data.errors[key]).toBe(message)
    expect(await countRows(drops)).toBe(before)
    expect(await countRows(stock)).toBe(await countRows(dropTiers))
  })

  it('refuses a window that overlaps another drop', async () => {
    const admin = await staff()
    const form = await dropForm()
    readRedirect(await newAction(routeArgs(post('/admin/drops/new', admin.cookie, form))))
    const before = await countRows(drops)
    const again = readData(await newAction(routeArgs(post('/admin/drops/new', admin.cookie, { ...form, name: '重叠的招募' }))))
    expect(again).toMatchObject({ status: 400, data: { errors: { opensAt: '与「2027 年度会员招募」的招募时间重叠' } } })
    expect(await countRows(drops)).toBe(before)
  })
})

describe('editing before the drop opens', () => {
  it('changes anything: window, prices, seats, validity, and drops a tier', async () => {
    const admin = await staff()
    const ids = await tierIds()
    const { location } = readRedirect(await newAction(routeArgs(post('/admin/drops/new', admin.cookie, await dropForm()))))
    const id = Number(location!.split('/').pop())
    const form = await dropForm({
      intent: 'edit',
      name: '改过的招募',
      [`price_${ids.qinqing}`]: '199.5',
      [`capacity_${ids.qinqing}`]: '6000',
      [`offered_${ids.tiegan}`]: '',
    })
    readRedirect(await editAction(routeArgs(post(`/admin/drops/${id}`, admin.cookie, form), { id: String(id) })))
    const drop = await dropById(id)
    expect(drop.name).toBe('改过的招募')
    expect(toLocalDateTimeValue(drop.opensAt, TZ)).toBe(form.opensAt)
    const rows = await listDropTiers(id, new Date())
    expect(rows.map((r) => [r.tierId, r.priceFen, r.capacity])).toEqual([[ids.qinqing, 199_50, 6000]])
    expect((await auditOf(id)).map((e) => e.action)).toEqual(['drop.create', 'drop.update'])
  })
})

describe('editing after the drop opened', () => {
  it('lets capacity grow, or shrink down to exactly paid + held, never below (400, nothing changed)', async () => {
    const admin = await staff()
    const { drop, qinqing, tiegan } = await openDrop({ qinqing: 10 })
    const ids = await tierIds()
    await seat(drop, qinqing.id)
    await seat(drop, qinqing.id)
    await seat(drop, qinqing.id, { pay: false })
    const edit = (capacity: string, extra: Record<string, string> = {}) =>
      editAction(
        routeArgs(
          post(`/admin/drops/${drop.id}`, admin.cookie, {
            intent: 'edit',
            name: drop.name,
            announcement: '',
            [`capacity_${ids.qinqing}`]: capacity,
            [`capacity_${ids.tiegan}`]: String(tiegan.capacity),
            ...extra,
          }),
          { id: String(drop.id) },
        ),
      )
    const below = readData(await edit('2'))
    expect(below).toMatchObject({ status: 400, data: { errors: { [`capacity_${ids.qinqing}`]: '已付款和锁定中的席位共 3 个，席位数不能少于它' } } })
    await expectConsistent(qinqing.stockId, { capacity: 10 })

    readRedirect(await edit('3'))
    await expectConsistent(qinqing.stockId, { capacity: 3, sold: 2, held: 1 })
    readRedirect(await edit('50', { name: '扩容后的招募' }))
    await expectConsistent(qinqing.stockId, { capacity: 50 })
    expect((await dropById(drop.id)).name).toBe('扩容后的招募')
    const actions = (await auditOf(drop.id)).map((e) => e.action)
    expect(actions.filter((a) => a === 'drop.update')).toHaveLength(2)
  })

  it('refuses a changed price or validity (400) and changes nothing else in that submit', async () => {
    const admin = await staff()
    const { drop, qinqing, tiegan } = await openDrop()
    const ids = await tierIds()
    const base = {
      intent: 'edit',
      name: '不该保存的名字',
      announcement: '',
      [`capacity_${ids.qinqing}`]: '99',
      [`capacity_${ids.tiegan}`]: String(tiegan.capacity),
    }
    const price = readData(await editAction(routeArgs(post(`/admin/drops/${drop.id}`, admin.cookie, { ...base, [`price_${ids.qinqing}`]: '150' }), { id: String(drop.id) })))
    expect(price).toMatchObject({ status: 400, data: { errors: { [`price_${ids.qinqing}`]: '招募开启后不能修改价格' } } })
    const validity = readData(
      await editAction(routeArgs(post(`/admin/drops/${drop.id}`, admin.cookie, { ...base, [`validUntil_${ids.tiegan}`]: '2099-01-01' }), { id: String(drop.id) })),
    )
    expect(validity).toMatchObject({ status: 400, data: { errors: { [`validUntil_${ids.tiegan}`]: '招募开启后不能修改会员有效期' } } })
    // Nothing of the refused submits was kept: not the capacity, not the name.
    expect((await listDropTiers(drop.id, new Date()))[0]!.capacity).toBe(qinqing.capacity)
    expect((await dropById(drop.id)).name).toBe(drop.name)
    // The same price sent back unchanged is fine.
    readRedirect(await editAction(routeArgs(post(`/admin/drops/${drop.id}`, admin.cookie, { ...base, name: drop.name, [`price_${ids.qinqing}`]: '200' }), { id: String(drop.id) })))
    const after = await listDropTiers(drop.id, new Date())
    expect(after.map((r) => r.priceFen)).toEqual([200_00, 1200_00])
    expect(after[0]!.capacity).toBe(99)
    expect((await dropById(drop.id)).name).toBe(drop.name)
  })

  it('keeps an open drop’s window and tiers, and a closed one’s: new times or an unticked tier sent along change nothing', async () => {
    const admin = await staff()
    const { drop, qinqing, tiegan } = await openDrop()
    const ids = await tierIds()
    const edit = (extra: Record<string, string> = {}) =>
      editAction(
        routeArgs(
          post(`/admin/drops/${drop.id}`, admin.cookie, {
            intent: 'edit',
            name: drop.name,
            announcement: '',
            opensAt: toLocalDateTimeValue(new Date(Date.now() + DAY), TZ),
            closesAt: toLocalDateTimeValue(new Date(Date.now() + 2 * DAY), TZ),
            [`offered_${ids.tiegan}`]: '',
            [`capacity_${ids.qinqing}`]: String(qinqing.capacity),
            [`capacity_${ids.tiegan}`]: String(tiegan.capacity),
            ...extra,
          }),
          { id: String(drop.id) },
        ),
      )
    const unchanged = async (window: Pick<Drop, 'opensAt' | 'closesAt'>) => {
      expect(await dropById(drop.id)).toMatchObject({ opensAt: window.opensAt, closesAt: window.closesAt })
      expect((await listDropTiers(drop.id, new Date())).map((row) => [row.tierId, row.priceFen])).toEqual([
        [ids.qinqing, 200_00],
        [ids.tiegan, 1200_00],
      ])
    }
    readRedirect(await edit())
    await unchanged(drop)

    const closedAt = new Date(Date.now() - MINUTE)
    await db.update(drops).set({ closesAt: closedAt }).where(eq(drops.id, drop.id))
    readRedirect(await edit())
    await unchanged({ opensAt: drop.opensAt, closesAt: closedAt })
    const price = readData(await edit({ [`price_${ids.qinqing}`]: '150' }))
    expect(price).toMatchObject({ status: 400, data: { errors: { [`price_${ids.qinqing}`]: '招募开启后不能修改价格' } } })
    await unchanged({ opensAt: drop.opensAt, closesAt: closedAt })
  })
})

describe('opening early, closing early, extending', () => {
  it('opens an upcoming drop now, closes an open one now, extends a closed one; each audited, wrong ones refused', async () => {
    const admin = await staff()
    const { location } = readRedirect(await newAction(routeArgs(post('/admin/drops/new', admin.cookie, await dropForm()))))
    const id = Number(location!.split('/').pop())
    const act = (form: Record<string, string>) => editAction(routeArgs(post(`/admin/drops/${id}`, admin.cookie, form), { id: String(id) }))

    expect(readData(await act({ intent: 'close_now' }))).toMatchObject({ status: 400, data: { errors: { form: '招募不在进行中，不能提前结束' } } })
    expect(readData(await act({ intent: 'extend', closesAt: '2099-01-01T00:00' }))).toMatchObject({
      status: 400,
      data: { errors: { closesAt: '招募尚未开启：请直接修改结束时间' } },
    })

    // Other open drops of this file step aside first (windows may not overlap).
    await openDrop().then(({ drop }) =>
      db
        .update(drops)
        .set({ opensAt: new Date(drop.opensAt.getTime() - 3650 * DAY), closesAt: new Date(drop.closesAt.getTime() - 3650 * DAY) })
        .where(eq(drops.id, drop.id)),
    )
    const before = Date.now()
    readRedirect(await act({ intent: 'open_now' }))
    const opened = await dropById(id)
    expect(opened.opensAt.getTime()).toBeGreaterThanOrEqual(before)
    expect(opened.opensAt.getTime()).toBeLessThanOrEqual(Date.now())
    expect(readData(await act({ intent: 'open_now' }))).toMatchObject({ status: 400, data: { errors: { form: '招募已开启，不能提前开启' } } })

    readRedirect(await act({ intent: 'close_now' }))
    const closed = await dropById(id)
    expect(closed.closesAt.getTime()).toBeLessThanOrEqual(Date.now())

    const earlier = toLocalDateTimeValue(new Date(closed.closesAt.getTime() - DAY), TZ)
    expect(readData(await act({ intent: 'extend', closesAt: earlier }))).toMatchObject({ status: 400, data: { errors: { closesAt: '新的结束时间须晚于原结束时间和现在' } } })
    const later = toLocalDateTimeValue(new Date(Date.now() + 2 * HOUR), TZ)
    readRedirect(await act({ intent: 'extend', closesAt: later }))
    expect(toLocalDateTimeValue((await dropById(id)).closesAt, TZ)).toBe(later)
    expect((await auditOf(id)).map((e) => e.action)).toEqual(['drop.create', 'drop.open_now', 'drop.close_now', 'drop.extend'])
    // Closing it again so later tests may open drops around now.
    await db.update(drops).set({ opensAt: new Date(0), closesAt: new Date(1000) }).where(eq(drops.id, id))
  })
})

describe('the live page, the stats feed and the members CSV', () => {
  it('counts paid / held / available per tier, revenue from paid orders, seats per minute', async () => {
    const admin = await staff()
    const { drop, qinqing, tiegan } = await openDrop({ qinqing: 10, tiegan: 5 })
    await seat(drop, qinqing.id)
    await seat(drop, qinqing.id)
    await seat(drop, tiegan.id)
    await seat(drop, tiegan.id, { pay: false })
    const response = await statsLoader(routeArgs(requestFor(`/admin/drops/${drop.id}/stats`, { cookie: admin.cookie }), { id: String(drop.id) }))
    const stats = await response.json()
    expect(stats.window).toBe('open')
    expect(stats.revenueFen).toBe(200_00 * 2 + 1200_00)
    expect(stats.members).toBe(3)
    expect(stats.tiers.map((t: { sold: number; held: number; available: number }) => [t.sold, t.held, t.available])).toEqual([
      [2, 0, 8],
      [1, 1, 3],
    ])
    expect(stats.sales.points.reduce((sum: number, p: { seats: number }) => sum + p.seats, 0)).toBe(3)
    expect(stats.sales.to).toBeGreaterThanOrEqual(stats.sales.points.at(-1).minute)

    const page = (await editLoader(routeArgs(requestFor(`/admin/drops/${drop.id}`, { cookie: admin.cookie }), { id: String(drop.id) }))) as Awaited<
      ReturnType<typeof editLoader>
    >
    expect(page.stats.revenueFen).toBe(stats.revenueFen)
    expect(page.form.tiers.map((t) => t.taken)).toEqual([2, 2])
    const list = (await listLoader(routeArgs(requestFor('/admin/drops', { cookie: admin.cookie })))) as Awaited<ReturnType<typeof listLoader>>
    expect(list.drops.find((d) => d.id === drop.id)).toMatchObject({ window: 'open', members: 3, revenueFen: stats.revenueFen })
  })

  it('exports members in number order as UTF-8 CSV with a BOM: number, name, email, tier, how they joined, paid at, amount (upgrades included, refunds left out)', async () => {
    const admin = await staff()
    const { drop, qinqing, tiegan } = await openDrop({ qinqing: 10, tiegan: 5 })
    const first = await seat(drop, qinqing.id)
    const refunded = await seat(drop, qinqing.id)
    const third = await seat(drop, tiegan.id)
    // The first member upgrades: the amount is both payments, the number stays 1.
    const upgrade = await placeUpgradeOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: first.user.id, now: new Date() })
    if (!upgrade.ok) throw new Error(upgrade.reason)
    const upgradeOrder = (await db.query.orders.findFirst({ where: (o, { eq: is }) => is(o.id, upgrade.orderId) }))!
    await confirmPayment(paidNotice(upgradeOrder), new Date())
    await requestRefund({ orderId: refunded.order.id, actorId: admin.user.id })

    const response = await csvAction(routeArgs(post(`/admin/drops/${drop.id}/csv`, admin.cookie, {}), { id: String(drop.id) }))
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toContain(encodeURIComponent('会员名单'))
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '').trimEnd().split('\r\n')
    expect(lines[0]).toBe('会员编号,姓名,邮箱,会员等级,开通方式,付款时间,金额（元）')
    expect(lines.slice(1).map((l) => l.split(',').filter((_, i) => i !== 5))).toEqual([
      ['0001', first.user.displayName, first.user.email, '铁杆会员', '新开', '1200.00'],
      ['0003', third.user.displayName, third.user.email, '铁杆会员', '新开', '1200.00'],
    ])
    expect(lines[1]!.split(',')[5]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    const members = await db.select().from(memberships).where(eq(memberships.dropId, drop.id))
    expect(members).toHaveLength(3)
    expect((await auditOf(drop.id)).at(-1)).toMatchObject({ action: 'drop.export', actorId: admin.user.id })
  })

  it('exports only by a form post: a GET of the CSV (an image in a member’s post) answers 405 and writes no audit entry', async () => {
    const admin = await staff()
    const { drop } = await openDrop({ qinqing: 10, tiegan: 5 })
    const answer = await csvLoader(routeArgs(requestFor(`/admin/drops/${drop.id}/csv`, { cookie: admin.cookie }), { id: String(drop.id) }))
    expect(answer.status).toBe(405)
    expect(answer.headers.get('Allow')).toBe('POST')
    expect(await answer.text()).toContain('导出只接受表单提交')
    expect(await auditOf(drop.id)).not.toContainEqual(expect.objectContaining({ action: 'drop.export' }))
  })

  it('answers 404 for a drop that does not exist', async () => {
    const admin = await staff()
    expect((await thrownResponse(editLoader(routeArgs(requestFor('/admin/drops/99999', { cookie: admin.cookie }), { id: '99999' })))).status).toBe(404)
    expect((await thrownResponse(statsLoader(routeArgs(requestFor('/admin/drops/abc/stats', { cookie: admin.cookie }), { id: 'abc' })))).status).toBe(404)
  })
})
