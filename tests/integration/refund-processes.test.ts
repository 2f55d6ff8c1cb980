// Three processes run the refund job on one database file at the same time, as three server
// instances would: every refund is executed by exactly one of them (each is claimed by one
// UPDATE … RETURNING before the provider is called).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { refunds } from '../../db/schema'
import { confirmPayment, requestRefund } from '~/models/commerce.server'
import { db } from '~/utils/db.server'
import { createTestProduct, productLine } from '../factories/cart'
import { createBuyers, paidNotice, placeOk } from '../factories/orders'
import { startLineEnv } from '../support/start-together'

const run = promisify(execFile)
const WORKER = fileURLToPath(new URL('../support/refund-worker.ts', import.meta.url))
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))

describe('the refund job in several processes', () => {
  it('refunds each of 40 payments exactly once between three processes', async () => {
    const product = await createTestProduct({ capacity: 100 })
    const buyers = await createBuyers(40)
    const ids: number[] = []
    for (const buyer of buyers) {
      const order = await placeOk({ userId: buyer.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
      await confirmPayment(paidNotice(order))
      await requestRefund({ orderId: order.id, actorId: null })
      ids.push(order.id)
    }
    // Each process needs a few seconds to load; they all begin once all three have.
    const startLine = startLineEnv(3)
    const workers = await Promise.all(
      [1, 2, 3].map(() => run(TSX, [WORKER], { env: { ...process.env, NODE_ENV: 'test', ...startLine }, timeout: 90_000 })),
    )
    const executed = workers.map(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!) as number[])
    const all = executed.flat().sort((a, b) => a - b)
    const rows = await db.select({ id: refunds.id, state: refunds.state, attempts: refunds.attempts }).from(refunds).where(eq(refunds.reason, 'order'))
    expect(all).toEqual(rows.map((row) => row.id).sort((a, b) => a - b))
    expect(new Set(all).size).toBe(40)
    // All three began together (the start line), so their passes overlapped; which of them wins
    // each claim is the scheduler's choice (one sometimes takes all 40), so the claim tested is
    // exactly once, not a share of the work.
    expect(rows.every((row) => row.state === 'succeeded' && row.attempts === 1)).toBe(true)
    expect(ids).toHaveLength(40)
  }, 90_000)
})
