// What the core tells the features built on it, without importing them (decision 029): a feature
// registers a listener when its module loads; the core calls every listener in the transaction
// that caused the event, so a listener's writes (a waitlist notice, its email in the outbox)
// commit or roll back with it.
import type { Executor } from '~/utils/db.server'

/** Units of these stocks became available again (lapsed or cancelled holds). */
export type UnitsReturnedListener = (tx: Executor, stockIds: number[], now: Date) => Promise<unknown>

// Keyed by name, so a module evaluated twice (dev reloads, tests) replaces its listener.
const unitsReturnedListeners = new Map<string, UnitsReturnedListener>()

/** `name` hears of every stock whose units come back (the drop's waitlist: 'drop-waitlist'). */
export function onUnitsReturned(name: string, listener: UnitsReturnedListener) {
  unitsReturnedListeners.set(name, listener)
}

/** Tells every listener, in the caller's transaction, that these stocks have units again. */
export async function unitsReturned(tx: Executor, stockIds: readonly number[], now: Date) {
  const unique = [...new Set(stockIds)]
  if (unique.length === 0) return
  for (const listener of unitsReturnedListeners.values()) await listener(tx, unique, now)
}
