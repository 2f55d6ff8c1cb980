// "Units available", stated once (issue 15, docs/decisions/029): capacity − sold − the units of
// holds still running at `now`. A hold whose time is up is as good as released whether or not
// the job (or the next write on the stock) has written it back yet, so no page has to write to
// show the truth, and every reader — product pages, shelves, the cart, checkout, drop seats,
// the admin — counts the same way.
import { sql } from 'drizzle-orm'
import { stock } from '../../../db/schema'

/**
 * Units of a `stock` row held at `now`: its `held` counter less its lapsed holds not yet
 * released. Lapsed holds are few (the job releases them every few seconds) and found through
 * holds_due_idx, so this stays cheap while a drop holds thousands of seats.
 */
export function heldAt(now: Date) {
  return sql<number>`(${stock.held} - coalesce((SELECT sum(h.qty) FROM holds h WHERE h.state = 'held' AND h.expires_at <= ${now.getTime()} AND h.stock_id = ${stock.id}), 0))`.mapWith(
    Number,
  )
}

/** A stock row's levels at `now` (StockLevels of app/domain/product.ts), for a select that joins `stock`. */
export function stockLevelsAt(now: Date) {
  return { capacity: stock.capacity, sold: stock.sold, held: heldAt(now) }
}

/**
 * The size of the sequence a stock's units are numbered in (「No. 37 / 500」): the capacities of
 * every stock sharing its counter — a product's variants are numbered across them (decision
 * 047) — or its own capacity when it is not numbered.
 */
export function numberedCapacity() {
  return sql<number | null>`(CASE WHEN ${stock.counterId} IS NULL THEN ${stock.capacity} ELSE (SELECT sum(s.capacity) FROM stock s WHERE s.counter_id = ${stock.counterId}) END)`.mapWith(
    (value) => (value === null ? null : Number(value)),
  )
}
