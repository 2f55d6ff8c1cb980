// A database made before issue 11 (migrations up to 0005) with orders in every money state is
// migrated forward: its flags, refunds under way, refunds done and open Stripe sessions move to
// the new tables (0007, a hand-written data migration), and nothing is lost on the way.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../db/client'
import { MIGRATIONS_FOLDER, runMigrations } from '../../db/migrate'

const dir = mkdtempSync(join(tmpdir(), 'zhiyin-migrations-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The committed migrations up to and including `lastTag`, as a folder of their own. */
function migrationsUpTo(lastTag: string) {
  const folder = join(dir, lastTag)
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true })
  const journalFile = join(folder, 'meta/_journal.json')
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] }
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag)
  expect(last, `no migration ${lastTag}`).toBeGreaterThanOrEqual(0)
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }))
  return folder
}

describe('migrating a database from before issue 11', () => {
  it('moves flags, refunds and Stripe sessions to their tables and drops the old columns', async () => {
    const handle = createDatabase(`file:${join(dir, 'old.db')}`)
    try {
      await runMigrations(handle, migrationsUpTo('0005_card_share_version'))
      const t = 1_790_000_000_000
      await handle.client.executeMultiple(`
        INSERT INTO users (id, email, display_name) VALUES (1, 'old@example.com', '老读者');
        INSERT INTO orders (id, user_id, kind, state, total_fen, expires_at, provider, provider_ref, provider_payment_id, flag, flagged_at, refund_attempts, refund_error, refund_requested_at, refunded_at, updated_at) VALUES
          (1, 1, 'goods', 'paid',      6800, ${t}, 'stripe', 'cs_paid',    'pi_paid',    'reseated',          ${t + 1}, 0, NULL, NULL, NULL, ${t}),
          (2, 1, 'goods', 'refunding', 6800, ${t}, 'stripe', 'cs_late',    'pi_late',    'paid_after_expiry', ${t + 2}, 3, 'api down', ${t + 3}, NULL, ${t}),
          (3, 1, 'goods', 'refunded',  9900, ${t}, 'test',   'test_checkout_3', 'test_payment_3', NULL, NULL, 1, NULL, ${t + 4}, ${t + 5}, ${t}),
          (4, 1, 'goods', 'pending',   6800, ${t + 600000}, 'stripe', 'cs_open', NULL, NULL, NULL, 0, NULL, NULL, NULL, ${t}),
          (5, 1, 'goods', 'refunding', 6800, ${t}, 'stripe', 'cs_stuck',   'pi_stuck',   'amount_mismatch',   ${t + 6}, 8, 'card declined', ${t + 7}, NULL, ${t});
        INSERT INTO payment_events (provider, event_id, order_id, type, amount_fen, currency, outcome) VALUES
          ('stripe', 'evt_paid', 1, 'checkout.session.completed', 6800, 'CNY', 'paid'),
          ('stripe', 'evt_short', 5, 'checkout.session.completed', 1, 'CNY', 'amount_mismatch');
      `)

      await runMigrations(handle)

      const rows = async (sql: string) => (await handle.client.execute(sql)).rows.map((row) => ({ ...row }))
      expect(await rows('SELECT order_id, flag, raised_at FROM order_flags ORDER BY order_id')).toEqual([
        { order_id: 1, flag: 'reseated', raised_at: t + 1 },
        { order_id: 2, flag: 'paid_after_expiry', raised_at: t + 2 },
        { order_id: 5, flag: 'amount_mismatch', raised_at: t + 6 },
      ])
      expect(await rows('SELECT order_id, provider, provider_payment_id, amount_fen, reason, state, attempts, last_error, refunded_at FROM refunds ORDER BY order_id')).toEqual([
        { order_id: 2, provider: 'stripe', provider_payment_id: 'pi_late', amount_fen: 6800, reason: 'late_payment', state: 'pending', attempts: 3, last_error: 'api down', refunded_at: null },
        { order_id: 3, provider: 'test', provider_payment_id: 'test_payment_3', amount_fen: 9900, reason: 'order', state: 'succeeded', attempts: 1, last_error: null, refunded_at: t + 5 },
        { order_id: 5, provider: 'stripe', provider_payment_id: 'pi_stuck', amount_fen: 6800, reason: 'order', state: 'failed', attempts: 8, last_error: 'card declined', refunded_at: null },
      ])
      // Only the open session of a pending order stays payable (to be closed when it lapses).
      expect(await rows('SELECT order_id, provider, state, provider_ref FROM checkouts')).toEqual([{ order_id: 4, provider: 'stripe', state: 'open', provider_ref: 'cs_open' }])
      // The payment that paid an order learns its payment id; an extra one keeps none it never had.
      expect(await rows('SELECT event_id, provider_payment_id FROM payment_events ORDER BY id')).toEqual([
        { event_id: 'evt_paid', provider_payment_id: 'pi_paid' },
        { event_id: 'evt_short', provider_payment_id: null },
      ])
      const columns = (await rows('PRAGMA table_info(orders)')).map((column) => column.name)
      expect(columns).not.toContain('flag')
      expect(columns).not.toContain('provider_ref')
      expect(columns).not.toContain('refund_attempts')
      expect(columns).toContain('provider_payment_id')
      expect(await rows('SELECT count(*) AS n FROM orders')).toEqual([{ n: 5 }])
    } finally {
      handle.close()
    }
  })
})
