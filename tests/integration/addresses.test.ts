// Several saved addresses with one default (decision 048), against the real database: added,
// edited, deleted and made default at /account/addresses, chosen at checkout; a bad phone or a
// region combination that does not exist is refused with 400 and stores nothing; the one address
// each account had before is copied by the migration as its default.
import { readFile } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { addresses, legacyAddresses, orders } from '../../db/schema'
import { listAddresses } from '~/models/address.server'
import { action, loader } from '~/routes/account_.addresses'
import { action as checkoutAction } from '~/routes/checkout'
import { databaseHandle, db } from '~/utils/db.server'
import { GOOD_ADDRESS, createTestProduct, putInCart } from '../factories/cart'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const OFFICE = { name: '李四', phone: '13912345678', province: '北京市', city: '北京市', district: '朝阳区', street: '建国路 88 号' }

async function reader() {
  const { user } = await createTestUser()
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

function post(cookie: string, form: Record<string, string>) {
  return action(routeArgs(requestFor('/account/addresses', { form, cookie })))
}

const summary = (userId: number) => listAddresses(userId).then((list) => list.map(({ name, isDefault }) => ({ name, isDefault })))

describe('the address book', () => {
  it('the first address becomes the default; another can be made default, edited and deleted', async () => {
    const { user, cookie } = await reader()
    readRedirect(await post(cookie, { intent: 'save', ...GOOD_ADDRESS }))
    readRedirect(await post(cookie, { intent: 'save', ...OFFICE }))
    expect(await summary(user.id)).toEqual([
      { name: '张三', isDefault: true },
      { name: '李四', isDefault: false },
    ])

    const office = (await listAddresses(user.id)).find((a) => a.name === '李四')!
    readRedirect(await post(cookie, { intent: 'default', id: String(office.id) }))
    expect(await summary(user.id)).toEqual([
      { name: '李四', isDefault: true },
      { name: '张三', isDefault: false },
    ])

    readRedirect(await post(cookie, { intent: 'save', id: String(office.id), ...OFFICE, street: '建国路 99 号' }))
    expect((await listAddresses(user.id))[0]).toMatchObject({ id: office.id, street: '建国路 99 号', isDefault: true })

    // Deleting the default makes the other one the default.
    readRedirect(await post(cookie, { intent: 'delete', id: String(office.id) }))
    expect(await summary(user.id)).toEqual([{ name: '张三', isDefault: true }])
  })

  it('a new address saved as default takes the default from the old one', async () => {
    const { user, cookie } = await reader()
    readRedirect(await post(cookie, { intent: 'save', ...GOOD_ADDRESS }))
    readRedirect(await post(cookie, { intent: 'save', ...OFFICE, makeDefault: 'on' }))
    expect(await summary(user.id)).toEqual([
      { name: '李四', isDefault: true },
      { name: '张三', isDefault: false },
    ])
  })

  it.each([
    ['a phone that is not a mainland mobile', { phone: '0571-88886666' }, 'phone', '请填写有效的中国大陆手机号（11 位，以 1 开头）'],
    ['a county of another city', { district: '朝阳区' }, 'district', '所选区县不属于该城市，请重新选择'],
    ['a city of another province', { province: '江苏省' }, 'city', '所选城市不属于该省份，请重新选择'],
  ])('refuses %s with 400 next to the field, storing nothing', async (_case, change, field, message) => {
    const { user, cookie } = await reader()
    const answer = readData<{ errors: Record<string, string> }>(await post(cookie, { intent: 'save', ...GOOD_ADDRESS, ...change }))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ [field]: message })
    expect(await listAddresses(user.id)).toEqual([])
  })

  it("cannot see, change or delete another reader's address", async () => {
    const owner = await reader()
    const other = await reader()
    readRedirect(await post(owner.cookie, { intent: 'save', ...GOOD_ADDRESS }))
    const [mine] = await listAddresses(owner.user.id)
    expect((await thrownResponse(loader(routeArgs(requestFor(`/account/addresses?edit=${mine!.id}`, { cookie: other.cookie }))))).status).toBe(404)
    for (const intent of ['delete', 'default']) expect(readData(await post(other.cookie, { intent, id: String(mine!.id) })).status).toBe(404)
    expect(readData(await post(other.cookie, { intent: 'save', id: String(mine!.id), ...OFFICE })).status).toBe(404)
    expect(await listAddresses(owner.user.id)).toEqual([expect.objectContaining({ ...GOOD_ADDRESS, isDefault: true })])
  })

  it('识别 without JavaScript fills the form from a pasted line and saves nothing', async () => {
    const { user, cookie } = await reader()
    const answer = readData<{ state: { values: Record<string, string>; choices: { districts: string[] }; pasted: string } }>(
      await post(cookie, { intent: 'paste-address', pasted: '张三 13800138000 浙江省杭州市西湖区文三路 90 号' }),
    )
    expect(answer.status).toBe(200)
    expect(answer.data.state.values).toEqual({ name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路 90 号' })
    expect(answer.data.state.choices.districts).toContain('滨江区')
    expect(answer.data.state.pasted).toBe('filled')
    expect(await listAddresses(user.id)).toEqual([])
  })
})

describe('at checkout', () => {
  it('the buyer picks a saved address; a new one typed joins the book once', async () => {
    const { user, cookie } = await reader()
    readRedirect(await post(cookie, { intent: 'save', ...GOOD_ADDRESS }))
    readRedirect(await post(cookie, { intent: 'save', ...OFFICE }))
    const office = (await listAddresses(user.id)).find((a) => a.name === '李四')!
    const product = await createTestProduct()
    const checkout = (form: Record<string, string>) => checkoutAction(routeArgs(requestFor('/checkout', { form, cookie })))

    await putInCart(user.id, product.id, 1)
    readRedirect(await checkout({ addressId: String(office.id) }))
    await putInCart(user.id, product.id, 1)
    const newOne = { ...OFFICE, name: '王五', street: '建国路 1 号' }
    readRedirect(await checkout({ addressId: 'new', ...newOne }))
    await putInCart(user.id, product.id, 1)
    readRedirect(await checkout({ addressId: 'new', ...newOne }))

    const shipped = await db.select({ shipping: orders.shipping }).from(orders).where(eq(orders.userId, user.id)).orderBy(orders.id)
    expect(shipped.map((o) => o.shipping)).toEqual([OFFICE, newOne, newOne])
    expect(await summary(user.id)).toEqual([
      { name: '张三', isDefault: true },
      { name: '王五', isDefault: false },
      { name: '李四', isDefault: false },
    ])
  })

  it("refuses another reader's address id with 400, placing nothing", async () => {
    const owner = await reader()
    const buyer = await reader()
    readRedirect(await post(owner.cookie, { intent: 'save', ...GOOD_ADDRESS }))
    const [theirs] = await listAddresses(owner.user.id)
    const product = await createTestProduct()
    await putInCart(buyer.user.id, product.id, 1)
    const answer = readData(await checkoutAction(routeArgs(requestFor('/checkout', { form: { addressId: String(theirs!.id) }, cookie: buyer.cookie }))))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ addressId: '这个地址已不在你的地址簿里，请重新选择' })
    expect(await db.select().from(orders).where(eq(orders.userId, buyer.user.id))).toEqual([])
  })
})

describe('the migration of the one saved address of before', () => {
  it('copies each account’s address as its default, nothing lost', async () => {
    const { user } = await createTestUser()
    const updatedAt = new Date('2026-11-01T08:00:00Z')
    await db.insert(legacyAddresses).values({ userId: user.id, ...GOOD_ADDRESS, updatedAt })
    const sql = await readFile(new URL('../../db/migrations/0030_copy_saved_addresses.sql', import.meta.url), 'utf8')
    await databaseHandle.client.executeMultiple(sql)
    expect(await db.select().from(addresses).where(eq(addresses.userId, user.id))).toEqual([
      expect.objectContaining({ ...GOOD_ADDRESS, userId: user.id, isDefault: true, createdAt: updatedAt, updatedAt }),
    ])
  })
})
