// The hot writes of the core as statements sent together in one batch (batchOn), one exchange with
// the database where a libsql server would otherwise take one round trip per statement inside its
// write lock (docs/decisions/038-one-exchange-holds-and-payments.md): how to write one, and how to
// read its rows back as drizzle would.
import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm'
import type { InStatement, InValue, Row } from '~/utils/db.server'

/**
 * A statement with those of `args` that its SQL names (`:name`): a libsql server refuses a
 * statement given an argument it does not use, and the statements of a batch share most of theirs.
 */
export function statement(sql: string, args: Record<string, InValue>): InStatement {
  const used = Object.fromEntries(Object.entries(args).filter(([name]) => new RegExp(`:${name}\\b`).test(sql)))
  return { sql, args: used }
}

/**
 * A row of `table` as a drizzle query gives it (dates, booleans, JSON mapped), from the raw row of
 * a statement drizzle built with `.returning()` (its `toSQL()`), whose columns come in the order
 * of the table's columns.
 */
export function tableRow<T extends Table>(table: T, row: Row): InferSelectModel<T> {
  const mapped: Record<string, unknown> = {}
  Object.entries(getTableColumns(table)).forEach(([key, column], index) => {
    const value = row[index]
    mapped[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value)
  })
  return mapped as InferSelectModel<T>
}
