// Stock, buyers and orders for the reservation tests, written straight to the test database.
import { eq, sql } from 'drizzle-orm'
import { expect } from 'vitest'
import { counters, holds, stock, users } from '../../db/schema'
import { placeOrder, type LineRequest } from '~/models/commerce.server'
import { db } from '~/utils/db.server'
import type { PaymentNotice } from '~/utils/payments.server'

let sequence = 0

/** A stock row; `numbered` gives it its own counter (edition numbers). */
export async function createStock({ capacity, numbered = false }: { capacity: number | null; numbered?: boolean }) {
  let counterId: number | null = null
  if (numbered) {
    const [counter] = await db.insert(counters).values({}).returning()
    counterId = counter!.id
  }
  const [row] = await db.insert(stock).values({ capacity, counterId }).returning()
  return row!
}

/** Many users at once, without passwords (the reservation tests never sign in). */
export async function createBuyers(n: number) {
  const rows = Array.from({ length: n }, () => {
    const k = ++sequence
    return { email: `buyer${k}-${Date.now()}@example.com`, displayName: `买家${k}` }
  })
  return db.insert(users).values(rows).returning()
}

export function line(stockId: number, overrides: Partial<LineRequest> = {}): LineRequest {
  return { stockId, qty: 1, unitPriceFen: 6800, title: '测试商品', ...overrides }
}

/** The test provider's word that an order was paid in full; `overrides` bend it (another event, a wrong amount). */
export function paidNotice(order: { id: number; totalFen: number }, overrides: Partial<PaymentNotice> = {}): PaymentNotice {
  return {
    provider: 'test',
    eventId: `evt_${order.id}`,
    orderId: order.id,
    type: 'test.payment_succeeded',
    amountFen: order.totalFen,
    currency: 'CNY',
    providerPaymentId: `pay_${order.id}`,
    ...overrides,
  }
}

/** Places an order that must succeed; returns it. */
export async function placeOk(args: Parameters<typeof placeOrder>[0]) {
  const result = await placeOrder(args)
  if (!result.ok) throw new Error(`expected the order to be placed, got ${result.reason}`)
  return result.order
}

export async function stockRow(id: number) {
  const [row] = await db.select().from(stock).where(eq(stock.id, id))
  return row!
}

export interface StockCounts {
  capacity: number | null
  sold: number
  held: number
  /** capacity − sold − held; null for unlimited stock. */
  available: number | null
}

/**
 * Asserts DESIGN.md §4.1 for one stock: its sold and held counters equal the sums of its sold and
 * held holds, and sold + held never exceeds the capacity; then that its counts are `expected`.
 * Throws (fails the test) otherwise; returns nothing, so a call cannot be mistaken for a check.
 */
export async function expectConsistent(stockId: number, expected: Partial<StockCounts> = {}): Promise<void> {
  const row = await stockRow(stockId)
  const [sums] = await db
    .select({
      held: sql<number>`coalesce(sum(CASE WHEN ${holds.state} = 'held' THEN ${holds.qty} END), 0)`,
      sold: sql<number>`coalesce(sum(CASE WHEN ${holds.state} = 'sold' THEN ${holds.qty} END), 0)`,
    })
    .from(holds)
    .where(eq(holds.stockId, stockId))
  expect({ sold: row.sold, held: row.held }, `stock ${stockId}: its counters must equal the sums of its holds`).toEqual({ sold: sums!.sold, held: sums!.held })
  const counts: StockCounts = {
    capacity: row.capacity,
    sold: row.sold,
    held: row.held,
    available: row.capacity === null ? null : row.capacity - row.sold - row.held,
  }
  // Unlimited stock has no capacity to exceed.
  if (counts.available !== null) expect(counts.available, `stock ${stockId}: sold + held must not exceed the capacity`).toBeGreaterThanOrEqual(0)
  expect(counts, `stock ${stockId}`).toMatchObject(expected)
}
