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

describe('migrating memberships sold in drops (0033, 0034: decision 049)', () => {
  it('names the drop of every period from its order, what it was sold as, and which drop issued each number', async () => {
    const handle = createDatabase(`file:${join(dir, 'memberships.db')}`)
    try {
      await runMigrations(handle, migrationsUpTo('0031_product_variants'))
      const t = 1_790_000_000_000
      const day = 86_400_000
      await handle.client.executeMultiple(`
        INSERT INTO tiers (id, slug, name, rank) VALUES (901, 'm-qinqing', '亲情', 1), (902, 'm-tiegan', '铁杆', 2);
        INSERT INTO users (id, email, display_name) VALUES (1, 'a@example.com', '甲'), (2, 'b@example.com', '乙'), (3, 'c@example.com', '丙'), (4, 'd@example.com', '丁');
        INSERT INTO counters (id) VALUES (1), (2);
        INSERT INTO drops (id, name, opens_at, closes_at, counter_id, updated_at) VALUES (1, '去年', ${t}, ${t + day}, 1, ${t}), (2, '今年', ${t + 200 * day}, ${t + 201 * day}, 2, ${t});
        INSERT INTO orders (id, user_id, kind, state, total_fen, expires_at, drop_id, paid_at, updated_at) VALUES
          (1, 1, 'membership', 'paid', 20000, ${t}, 1, ${t + 1}, ${t}),
          (2, 2, 'membership', 'paid', 20000, ${t}, 1, ${t + 2}, ${t}),
          (3, 1, 'membership', 'paid', 20000, ${t}, 2, ${t + 200 * day}, ${t}),
          (4, 2, 'membership', 'paid', 110000, ${t}, 2, ${t + 200 * day}, ${t}),
          (5, 3, 'membership', 'paid', 20000, ${t}, 2, ${t + 200 * day}, ${t});
        INSERT INTO memberships (id, user_id, tier_id, member_number, valid_from, valid_until, source, drop_id, order_id) VALUES
          (1, 1, 901, 1, ${t + 1}, ${t + 365 * day}, 'drop', 1, 1),
          (2, 2, 901, 2, ${t + 2}, ${t + 365 * day}, 'drop', 1, 2),
          (3, 1, 901, 1, ${t + 365 * day}, ${t + 730 * day}, 'drop', NULL, 3),
          (4, 2, 902, 2, ${t + 200 * day}, ${t + 565 * day}, 'drop', NULL, 4),
          (5, 3, 901, 1, ${t + 200 * day}, ${t + 565 * day}, 'drop', 2, 5),
          (6, 4, 902, NULL, ${t}, ${t + 365 * day}, 'complimentary', NULL, NULL);
      `)

      await runMigrations(handle)

      const rows = (await handle.client.execute('SELECT id, drop_id, drop_sale, number_drop_id, member_number FROM memberships ORDER BY id')).rows.map((row) => ({ ...row }))
      expect(rows).toEqual([
        { id: 1, drop_id: 1, drop_sale: 'new', number_drop_id: 1, member_number: 1 },
        { id: 2, drop_id: 1, drop_sale: 'new', number_drop_id: 1, member_number: 2 },
        // Last year's No. 1 renewed this year: the period starts after its payment.
        { id: 3, drop_id: 2, drop_sale: 'renewal', number_drop_id: null, member_number: 1 },
        // Last year's No. 2 moved up from 亲情 while it was in force.
        { id: 4, drop_id: 2, drop_sale: 'upgrade', number_drop_id: null, member_number: 2 },
        // This year's own No. 1, beside last year's No. 1 (renewed in this drop): both stay.
        { id: 5, drop_id: 2, drop_sale: 'new', number_drop_id: 2, member_number: 1 },
        // A gift names no drop.
        { id: 6, drop_id: null, drop_sale: null, number_drop_id: null, member_number: null },
      ])
    } finally {
      handle.close()
    }
  })
})
