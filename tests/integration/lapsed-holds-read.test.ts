// A hold whose time is up reads as free everywhere, with no page writing to make it so (issue 15,
// decision 029): the product page, the shelves, the cart's pricing, the admin's list and the
// drop's live seats count it as available while its row is still `held`, and the next buyer's
// write releases it and takes the unit.
import { asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { holds, orders, productCategories, stock, tiers } from '../../db/schema'
import { priceCart } from '~/models/cart.server'
import { createDrop, forgetLiveSeats, listDropTiers, placeSeatOrder } from '~/models/drop.server'
import { placeOrder } from '~/models/commerce.server'
import { loader as adminProductsLoader } from '~/routes/admin.products._index'
import { loader as seatsLoader } from '~/routes/membership.seats'
import { loader as categoryLoader } from '~/routes/shop.c.$category'
import { loader as productLoader } from '~/routes/shop.p.$slug'
import { db } from '~/utils/db.server'
import { createTestProduct } from '../factories/cart'
import { createBuyers, expectConsistent } from '../factories/orders'
import { requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const MINUTE = 60_000

/** Everything a release would write: the stock rows, the holds and the orders, as they are. */
async function commerceRows() {
  const [stocks, holdRows, orderRows] = await Promise.all([
    db.select().from(stock).orderBy(asc(stock.id)),
    db.select().from(holds).orderBy(asc(holds.id)),
    db.select().from(orders).orderBy(asc(orders.id)),
  ])
  return { stocks, holdRows, orderRows }
}

describe('a lapsed hold on a product', () => {
  it('reads as available on the product page, the shelf, the cart and the admin list, without a write; the next buyer takes the unit', async () => {
    const product = await createTestProduct({ capacity: 1 })
    const [first, second] = await createBuyers(2)
    const lapsed = await placeOrder({
      userId: first!.id,
      kind: 'goods',
      lines: [{ stockId: product.stock.id, qty: 1, unitPriceFen: product.priceFen, title: product.title, productId: product.id }],
      now: new Date(Date.now() - 11 * MINUTE),
    })
    expect(lapsed.ok).toBe(true)
    const before = await commerceRows()

    const page = await productLoader(routeArgs(requestFor(`/shop/p/${product.slug}`), { slug: product.slug }))
    expect(page.stock).toEqual({ kind: 'low', left: 1 })
    expect(page.canBuy).toBe(true)
    const [{ slug: categorySlug }] = (await db.select().from(productCategories).where(eq(productCategories.id, product.categoryId))) as unknown as [{ slug: string }]
    const category = await categoryLoader(routeArgs(requestFor(`/shop/c/${categorySlug}`), { category: categorySlug }))
    expect(category.products.find((card) => card.slug === product.slug)?.badges.soldOut).toBe(false)
    const priced = await priceCart({ lines: [{ productId: product.id, variantId: null, qty: 1, personalisation: '' }], viewer: null, userId: second!.id, now: new Date() })
    expect(priced.lines[0]!.problem).toBeNull()
    const { user: admin } = await createTestUser({ role: 'admin' })
    const { cookie } = await signedInCookie(admin.id)
    const adminList = await adminProductsLoader(routeArgs(requestFor('/admin/products', { cookie })))
    expect(adminList.products.find((row) => row.id === product.id)).toMatchObject({ held: 0, available: 1 })

    expect(await commerceRows()).toEqual(before)
    await expectConsistent(product.stock.id, { held: 1, available: 0 })

    const taken = await placeOrder({
      userId: second!.id,
      kind: 'goods',
      lines: [{ stockId: product.stock.id, qty: 1, unitPriceFen: product.priceFen, title: product.title, productId: product.id }],
      now: new Date(),
    })
    expect(taken.ok).toBe(true)
    await expectConsistent(product.stock.id, { held: 1, available: 0 })
    const [firstOrder] = await db.select().from(orders).where(eq(orders.userId, first!.id))
    expect(firstOrder!.state).toBe('expired')
  })
})

describe('a lapsed seat hold', () => {
  it('reads as a free seat in the live seats, without a write; the next buyer takes the seat', async () => {
    const now = Date.now()
    const opensAt = new Date(now - 30 * MINUTE)
    const closesAt = new Date(now + 60 * MINUTE)
    const tierRows = await db.select().from(tiers).orderBy(asc(tiers.rank))
    const validUntil = new Date(now + 365 * 24 * 60 * MINUTE)
    const created = await createDrop({
      input: {
        name: '实时招募 lapsed',
        announcement: '',
        opensAt,
        closesAt,
        tiers: [
          { tierId: tierRows.find((t) => t.slug === 'qinqing')!.id, priceFen: 200_00, capacity: 1, validUntil },
          { tierId: tierRows.find((t) => t.slug === 'tiegan')!.id, priceFen: 1200_00, capacity: 1, validUntil },
        ],
      },
      actorId: (await createTestUser({ role: 'admin' })).user.id,
      now: new Date(opensAt.getTime() - MINUTE),
    })
    if (!created.ok) throw new Error(JSON.stringify(created.errors))
    const drop = created.drop
    const [qinqing] = await listDropTiers(drop.id, new Date())
    const [first, second] = await createBuyers(2)
    const held = await placeSeatOrder({ dropId: drop.id, dropTierId: qinqing!.id, userId: first!.id, now: new Date(now - 11 * MINUTE) })
    expect(held.ok).toBe(true)
    const before = await commerceRows()

    forgetLiveSeats()
    const seats = await (await seatsLoader()).json()
    expect(seats.dropId).toBe(drop.id)
    expect(seats.tiers.find((tier: { id: number }) => tier.id === qinqing!.id)).toMatchObject({ available: 1, capacity: 1 })
    expect((await listDropTiers(drop.id, new Date()))[0]).toMatchObject({ held: 0, available: 1 })

    expect(await commerceRows()).toEqual(before)
    await expectConsistent(qinqing!.stockId, { held: 1, available: 0 })

    const taken = await placeSeatOrder({ dropId: drop.id, dropTierId: qinqing!.id, userId: second!.id, now: new Date() })
    expect(taken).toMatchObject({ ok: true })
    await expectConsistent(qinqing!.stockId, { held: 1, available: 0 })
    forgetLiveSeats()
    expect((await (await seatsLoader()).json()).tiers.find((tier: { id: number }) => tier.id === qinqing!.id)).toMatchObject({ available: 0 })
  })
})
