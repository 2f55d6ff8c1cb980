// Numbering: sold units take numbers from their stock's counter (edition numbers of a product,
// member numbers of a drop: all tiers of a drop share one counter), lowest returned number first
// (decision 007, "Numbers after refunds").
import { eq, sql } from 'drizzle-orm'
import { counters, stock } from '../../../db/schema'
import type { Executor } from '~/utils/db.server'

/**
 * Numbers for `qty` units sold from a stock, in the caller's transaction: the lowest numbers that
 * came back to stock first, then the counter's next ones, so the numbers sold are always exactly
 * 1..N (an edition of 500 never shows No. 501). Empty for a stock that is not numbered.
 */
export async function takeNumbers(tx: Executor, stockId: number, qty: number): Promise<number[]> {
  const [row] = await tx.select({ counterId: stock.counterId }).from(stock).where(eq(stock.id, stockId))
  const counterId = row?.counterId
  if (!counterId) return []
  const reissued = await tx.all<{ number: number }>(sql`
    DELETE FROM returned_numbers
    WHERE counter_id = ${counterId} AND number IN (
      SELECT number FROM returned_numbers WHERE counter_id = ${counterId} ORDER BY number LIMIT ${qty}
    )
    RETURNING number`)
  const numbers = reissued.map((r) => r.number).sort((a, b) => a - b)
  const fresh = qty - numbers.length
  if (fresh > 0) {
    const [taken] = await tx
      .update(counters)
      .set({ value: sql`${counters.value} + ${fresh}` })
      .where(eq(counters.id, counterId))
      .returning({ value: counters.value })
    if (!taken) throw new Error(`no counter ${counterId}`)
    for (let n = taken.value - fresh + 1; n <= taken.value; n++) numbers.push(n)
  }
  return numbers
}

/** Numbers whose units went back to stock (a refund before shipping): the next sales take them again. */
export async function returnNumbers(tx: Executor, stockId: number, numbers: readonly number[]) {
  if (numbers.length === 0) return
  const [row] = await tx.select({ counterId: stock.counterId }).from(stock).where(eq(stock.id, stockId))
  if (!row?.counterId) return
  const counterId = row.counterId
  await tx.run(sql`INSERT OR IGNORE INTO returned_numbers (counter_id, number) VALUES ${sql.join(
    numbers.map((n) => sql`(${counterId}, ${n})`),
    sql`, `,
  )}`)
}
