// Numbering: sold units take numbers from their stock's counter (edition numbers of a product,
// member numbers of a drop: all tiers of a drop share one counter), lowest returned number first
// (decision 007, "Numbers after refunds").
import { eq, sql } from 'drizzle-orm'
import { stock } from '../../../db/schema'
import { batchOn, type Executor, type InStatement, type ResultSet } from '~/utils/db.server'
import { statement } from './statements.server'

/**
 * Numbers for `qty` units sold from a stock, in the caller's transaction: the lowest numbers that
 * came back to stock first, then the counter's next ones, so the numbers sold are always exactly
 * 1..N (an edition of 500 never shows No. 501). Empty for a stock that is not numbered.
 */
export async function takeNumbers(tx: Executor, stockId: number, qty: number): Promise<number[]> {
  return numbersTaken(qty, await batchOn(tx, takeNumbersStatements(stockId, qty)))
}

/**
 * takeNumbers as two statements of the caller's batch (docs/decisions/038): the returned numbers
 * it reissues, then the counter advanced by the rest — changes() is how many the DELETE took. A
 * stock without a counter matches neither. Read their results with numbersTaken.
 */
export function takeNumbersStatements(stockId: number, qty: number): InStatement[] {
  const args = { stock_id: stockId, qty }
  const counter = '(SELECT counter_id FROM stock WHERE id = :stock_id)'
  return [
    statement(
      `DELETE FROM returned_numbers
       WHERE counter_id = ${counter} AND number IN (
         SELECT number FROM returned_numbers WHERE counter_id = ${counter} ORDER BY number LIMIT :qty
       )
       RETURNING number`,
      args,
    ),
    statement(`UPDATE counters SET value = value + (:qty - changes()) WHERE id = ${counter} RETURNING value`, args),
  ]
}

/** The numbers takeNumbersStatements gave `qty` units, from their two results: reissued ones first, then the counter's. */
export function numbersTaken(qty: number, [reissued, counter]: ResultSet[]): number[] {
  const numbers = reissued!.rows.map((row) => Number(row.number)).sort((a, b) => a - b)
  const advanced = counter!.rows[0]
  if (!advanced) return numbers
  const value = Number(advanced.value)
  for (let n = value - (qty - numbers.length) + 1; n <= value; n++) numbers.push(n)
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
