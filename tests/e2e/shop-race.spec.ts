// Issue 6's concurrency claims, raced over HTTP against the running server and its real
// database: no oversell, per-member limits under parallel orders, edition numbers 1..N when
// payments arrive in random order while some holds lapse, and one fulfilment per payment.
import { randomBytes } from 'node:crypto'
import type { Client } from '@libsql/client'
import { expect, test } from '@playwright/test'
import { seededRandom, shuffled, testSeed } from '../support/random'
import { countStatuses, createBuyers, oneTo, openServerDatabase, payRedirectOrderId, postForm, type RaceBuyer } from './race-support'

const ADDRESS = { name: '张三', phone: '13800138000', province: '北京市', city: '北京市', district: '朝阳区', street: '建国路 88 号' }

let client: Client
test.beforeAll(() => {
  client = openServerDatabase()
})
test.afterAll(() => client.close())

/** A published product with its own stock (numbered when limited), ready to buy. */
async function createProduct({ capacity, perMemberLimit = null }: { capacity: number; perMemberLimit?: number | null }) {
  const slug = `race-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const now = Date.now()
  const counter = await client.execute('INSERT INTO counters (value) VALUES (0) RETURNING id')
  const stock = await client.execute({ sql: 'INSERT INTO stock (capacity, counter_id) VALUES (?, ?) RETURNING id', args: [capacity, Number(counter.rows[0]!.id)] })
  const stockId = Number(stock.rows[0]!.id)
  const category = await client.execute("SELECT id FROM product_categories WHERE slug = 'stationery'")
  const product = await client.execute({
    sql: `INSERT INTO products (slug, title, category_id, summary, price_fen, stock_id, limited_edition, per_member_limit, published, published_at, updated_at)
          VALUES (?, ?, ?, '', 9900, ?, 1, ?, 1, ?, ?) RETURNING id`,
    args: [slug, `竞速限量款 ${slug}`, Number(category.rows[0]!.id), stockId, perMemberLimit, now, now],
  })
  return { productId: Number(product.rows[0]!.id), stockId }
}

async function putInCart(buyers: RaceBuyer[], productId: number) {
  await client.batch(
    // A line still in the cart stays as it is (one of each), so a second call tops a cart up.
    buyers.map((b) => ({ sql: 'INSERT INTO cart_items (user_id, product_id, qty) VALUES (?, ?, 1) ON CONFLICT DO NOTHING', args: [b.userId, productId] })),
    'write',
  )
}

async function stockOf(stockId: number) {
  const { rows } = await client.execute({ sql: 'SELECT capacity, sold, held FROM stock WHERE id = ?', args: [stockId] })
  return { capacity: Number(rows[0]!.capacity), sold: Number(rows[0]!.sold), held: Number(rows[0]!.held) }
}

test.describe.configure({ mode: 'serial' })

test('200 buyers racing for 50 units: exactly 50 are held, the other 150 are told 已售罄 (409)', async () => {
  const { productId, stockId } = await createProduct({ capacity: 50 })
  const buyers = await createBuyers(client, 200, 'race-buyer')
  await putInCart(buyers, productId)

  const responses = await Promise.all(buyers.map((b) => postForm('/checkout', b.cookie, ADDRESS)))
  const held = responses.filter((r) => payRedirectOrderId(r) !== null)
  const refused = responses.filter((r) => r.status === 409)
  const { counts, surprises } = await countStatuses(responses, [303, 409])
  expect(counts, surprises).toEqual({ 303: 50, 409: 150 })
  expect(held).toHaveLength(50)
  expect(refused).toHaveLength(150)
  expect(await refused[0]!.text()).toContain('已售罄')
  expect(await stockOf(stockId)).toEqual({ capacity: 50, sold: 0, held: 50 })
})

test('one member firing 20 parallel orders against a limit of 2 gets 2', async () => {
  const { productId, stockId } = await createProduct({ capacity: 100, perMemberLimit: 2 })
  const [buyer] = await createBuyers(client, 1, 'race-greedy')
  await putInCart([buyer!], productId)

  const responses = await Promise.all(Array.from({ length: 20 }, () => postForm('/checkout', buyer!.cookie, ADDRESS)))
  const placed = responses.filter((r) => payRedirectOrderId(r) !== null)
  // Each order takes the one unit in the cart; the rest are refused (409) or find the cart empty.
  expect(placed.length).toBeLessThanOrEqual(2)
  for (const r of responses) expect([303, 302, 409]).toContain(r.status)
  const { rows } = await client.execute({
    sql: "SELECT coalesce(sum(qty), 0) AS units FROM holds WHERE user_id = ? AND stock_id = ? AND state IN ('held', 'sold')",
    args: [buyer!.userId, stockId],
  })
  expect(Number(rows[0]!.units)).toBe(placed.length)
  // Whatever the interleaving, never more than the limit; and a second wave cannot pass it.
  await putInCart([buyer!], productId)
  const cart = await client.execute({ sql: 'SELECT qty FROM cart_items WHERE user_id = ? AND product_id = ?', args: [buyer!.userId, productId] })
  expect(cart.rows.map((row) => Number(row.qty)), 'the second wave has a unit in the cart to order').toEqual([1])
  const again = await Promise.all(Array.from({ length: 20 }, () => postForm('/checkout', buyer!.cookie, ADDRESS)))
  const total = placed.length + again.filter((r) => payRedirectOrderId(r) !== null).length
  expect(total).toBe(2)
  expect((await stockOf(stockId)).held).toBe(2)
})

test('payments confirmed in random order while some holds lapse: the lapsed find the checkout closed, edition numbers are exactly 1..N, each paid once', async () => {
  const seed = testSeed()
  await test.info().attach('seed', { body: `TEST_SEED=${seed} replays which holds lapse and the payment order`, contentType: 'text/plain' })
  const { productId, stockId } = await createProduct({ capacity: 40 })
  const buyers = await createBuyers(client, 30, 'race-payer')
  await putInCart(buyers, productId)
  const responses = await Promise.all(buyers.map((b) => postForm('/checkout', b.cookie, ADDRESS)))
  const orders = responses.map((r, i) => ({ orderId: payRedirectOrderId(r)!, buyer: buyers[i]! }))
  expect(orders.every((o) => o.orderId !== null)).toBe(true)

  // A third of the holds run out (as if their buyers dawdled); a third of the buyers never pay.
  const inOrder = shuffled(orders, seededRandom(seed))
  const lapsed = inOrder.slice(0, 10)
  await client.execute({
    sql: `UPDATE holds SET expires_at = ? WHERE order_id IN (${lapsed.map(() => '?').join(',')})`,
    args: [Date.now() - 1000, ...lapsed.map((o) => o.orderId)],
  })
  await client.execute({
    sql: `UPDATE orders SET expires_at = ? WHERE id IN (${lapsed.map(() => '?').join(',')})`,
    args: [Date.now() - 1000, ...lapsed.map((o) => o.orderId)],
  })
  const pressing = inOrder.slice(5, 25)
  // Every payer presses 模拟支付成功 twice at once: the second is the replayed event. Those whose
  // hold ran out find the checkout closed (409 订单已超时), as a real one is once the order lapses.
  const payments = await Promise.all(
    pressing.map(async (o) => ({
      order: o,
      answers: await Promise.all([postForm(`/pay/${o.orderId}`, o.buyer.cookie, { intent: 'succeed' }), postForm(`/pay/${o.orderId}`, o.buyer.cookie, { intent: 'succeed' })]),
    })),
  )
  const lapsedIds = new Set(lapsed.map((o) => o.orderId))
  for (const { order, answers } of payments) {
    for (const r of answers) expect(r.status, `order ${order.orderId}`).toBe(lapsedIds.has(order.orderId) ? 409 : 302)
  }
  const payers = pressing.filter((o) => !lapsedIds.has(o.orderId))
  expect(payers).toHaveLength(15)

  const { rows } = await client.execute({
    sql: `SELECT o.id, o.state, l.numbers FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.stock_id = ?`,
    args: [stockId],
  })
  const paid = rows.filter((row) => row.state === 'paid')
  expect(paid).toHaveLength(payers.length)
  const numbers = paid.flatMap((row) => JSON.parse(String(row.numbers)) as number[]).sort((a, b) => a - b)
  expect(numbers).toEqual(oneTo(payers.length))
  const events = await client.execute({
    sql: `SELECT count(*) AS n FROM payment_events WHERE order_id IN (${payers.map(() => '?').join(',')})`,
    args: payers.map((o) => o.orderId),
  })
  expect(Number(events.rows[0]!.n)).toBe(payers.length)
  const stock = await stockOf(stockId)
  expect(stock.sold).toBe(payers.length)
  expect(stock.sold + stock.held).toBeLessThanOrEqual(stock.capacity)
})

/** A published numbered product with options: one variant per size, each with its own stock (decision 047). */
async function createProductWithSizes(sizes: Record<string, number>) {
  const slug = `race-sizes-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const now = Date.now()
  const counter = Number((await client.execute('INSERT INTO counters (value) VALUES (0) RETURNING id')).rows[0]!.id)
  // The product's own stock sells nothing once it has variants.
  const own = await client.execute({ sql: 'INSERT INTO stock (capacity, counter_id) VALUES (0, ?) RETURNING id', args: [counter] })
  const category = await client.execute("SELECT id FROM product_categories WHERE slug = 'stationery'")
  const names = Object.keys(sizes)
  const product = await client.execute({
    sql: `INSERT INTO products (slug, title, category_id, summary, price_fen, stock_id, limited_edition, options, published, published_at, updated_at)
          VALUES (?, ?, ?, '', 9900, ?, 1, ?, 1, ?, ?) RETURNING id`,
    args: [slug, `竞速尺码款 ${slug}`, Number(category.rows[0]!.id), Number(own.rows[0]!.id), JSON.stringify([{ name: '尺码', values: names }]), now, now],
  })
  const productId = Number(product.rows[0]!.id)
  const variants: Record<string, { variantId: number; stockId: number }> = {}
  for (const [position, name] of names.entries()) {
    const stock = await client.execute({ sql: 'INSERT INTO stock (capacity, counter_id) VALUES (?, ?) RETURNING id', args: [sizes[name]!, counter] })
    const stockId = Number(stock.rows[0]!.id)
    const variant = await client.execute({
      sql: 'INSERT INTO product_variants (product_id, option_values, stock_id, position) VALUES (?, ?, ?, ?) RETURNING id',
      args: [productId, JSON.stringify([name]), stockId, position],
    })
    variants[name] = { variantId: Number(variant.rows[0]!.id), stockId }
  }
  return { productId, variants }
}

async function putVariantInCart(buyers: RaceBuyer[], productId: number, variantId: number) {
  await client.batch(
    buyers.map((b) => ({ sql: 'INSERT INTO cart_items (user_id, product_id, variant_id, qty) VALUES (?, ?, ?, 1) ON CONFLICT DO NOTHING', args: [b.userId, productId, variantId] })),
    'write',
  )
}

test('120 buyers racing for the last 5 of size S while 20 buy M: exactly 5 S are held, M is untouched by S, and paying numbers across sizes 1..N', async () => {
  const { productId, variants } = await createProductWithSizes({ S: 5, M: 30 })
  const forS = await createBuyers(client, 120, 'race-size-s')
  const forM = await createBuyers(client, 20, 'race-size-m')
  await putVariantInCart(forS, productId, variants.S!.variantId)
  await putVariantInCart(forM, productId, variants.M!.variantId)

  const [sAnswers, mAnswers] = await Promise.all([
    Promise.all(forS.map((b) => postForm('/checkout', b.cookie, ADDRESS))),
    Promise.all(forM.map((b) => postForm('/checkout', b.cookie, ADDRESS))),
  ])
  const s = await countStatuses(sAnswers, [303, 409])
  expect(s.counts, s.surprises).toEqual({ 303: 5, 409: 115 })
  const refusal = await sAnswers.find((r) => r.status === 409)!.text()
  expect(refusal).toContain('尺码：S')
  expect(refusal).toContain('已售罄')
  const m = await countStatuses(mAnswers, [303])
  expect(m.counts, m.surprises).toEqual({ 303: 20 })
  expect(await stockOf(variants.S!.stockId)).toEqual({ capacity: 5, sold: 0, held: 5 })
  expect(await stockOf(variants.M!.stockId)).toEqual({ capacity: 30, sold: 0, held: 20 })

  // Each line names its size; paying in a random order numbers the edition once, across sizes.
  const placed = [...sAnswers, ...mAnswers].flatMap((r, i) => {
    const orderId = payRedirectOrderId(r)
    return orderId === null ? [] : [{ orderId, buyer: [...forS, ...forM][i]! }]
  })
  expect(placed).toHaveLength(25)
  const paying = shuffled(placed, seededRandom(testSeed()))
  for (const o of paying) expect((await postForm(`/pay/${o.orderId}`, o.buyer.cookie, { intent: 'succeed' })).status).toBe(302)
  const { rows } = await client.execute({
    sql: `SELECT l.variant_label, l.numbers FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.product_id = ? AND o.state = 'paid'`,
    args: [productId],
  })
  expect(rows.filter((row) => row.variant_label === '尺码：S')).toHaveLength(5)
  expect(rows.filter((row) => row.variant_label === '尺码：M')).toHaveLength(20)
  const numbers = rows.flatMap((row) => JSON.parse(String(row.numbers)) as number[]).sort((a, b) => a - b)
  expect(numbers).toEqual(oneTo(25))
  expect(await stockOf(variants.S!.stockId)).toEqual({ capacity: 5, sold: 5, held: 0 })
  expect(await stockOf(variants.M!.stockId)).toEqual({ capacity: 30, sold: 20, held: 0 })
})
