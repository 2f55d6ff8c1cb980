// The lease rules (db/leases.ts) on a real SQLite file, with the clock passed in: who may take,
// renew and release a lease, and withLease's promise to let go whatever its work did.
import { beforeAll, describe, expect, it } from 'vitest'
import { claimLease, ensureLeaseTable, leaseHolder, newHolderId, releaseLease, waitForLease, withLease, LeaseTimeout } from '../../db/leases'
import { databaseHandle } from '~/utils/db.server'

const client = databaseHandle.client
const T = 1_800_000_000_000
const TTL = 30_000
let n = 0
/** A lease name of its own for each test. */
const fresh = () => `test-lease-${++n}`

beforeAll(() => ensureLeaseTable(client))

describe('claimLease', () => {
  it('gives a free lease to the first holder that asks', async () => {
    const name = fresh()
    expect(await claimLease(client, { name, holder: 'a', ttlMs: TTL, now: T })).toBe(true)
    expect(await leaseHolder(client, name)).toEqual({ holder: 'a', expiresAt: T + TTL })
  })

  it('refuses a lease held by another holder until it lapses', async () => {
    const name = fresh()
    await claimLease(client, { name, holder: 'a', ttlMs: TTL, now: T })
    expect(await claimLease(client, { name, holder: 'b', ttlMs: TTL, now: T + TTL - 1 })).toBe(false)
    expect(await leaseHolder(client, name)).toEqual({ holder: 'a', expiresAt: T + TTL })
  })

  it('lets its holder renew it, which pushes the lapse back', async () => {
    const name = fresh()
    await claimLease(client, { name, holder: 'a', ttlMs: TTL, now: T })
    expect(await claimLease(client, { name, holder: 'a', ttlMs: TTL, now: T + 20_000 })).toBe(true)
    expect(await claimLease(client, { name, holder: 'b', ttlMs: TTL, now: T + TTL + 1 })).toBe(false)
    expect(await leaseHolder(client, name)).toEqual({ holder: 'a', expiresAt: T + 20_000 + TTL })
  })

  it('passes a lapsed lease to the next holder that asks', async () => {
    const name = fresh()
    await claimLease(client, { name, holder: 'a', ttlMs: TTL, now: T })
    expect(await claimLease(client, { name, holder: 'b', ttlMs: TTL, now: T + TTL })).toBe(true)
    expect(await leaseHolder(client, name)).toEqual({ holder: 'b', expiresAt: T + 2 * TTL })
    // The old holder, back from a stall, does not get it back by "renewing".
    expect(await claimLease(client, { name, holder: 'a', ttlMs: TTL, now: T + TTL + 1 })).toBe(false)
  })
})

describe('releaseLease', () => {
  it('is done only by the holder, and frees the lease at once', async () => {
    const name = fresh()
    await claimLease(client, { name, holder: 'a', ttlMs: TTL, now: T })
    expect(await releaseLease(client, { name, holder: 'b' })).toBe(false)
    expect((await leaseHolder(client, name))?.holder).toBe('a')
    expect(await releaseLease(client, { name, holder: 'a' })).toBe(true)
    expect(await leaseHolder(client, name)).toBeNull()
    expect(await claimLease(client, { name, holder: 'b', ttlMs: TTL, now: T + 1 })).toBe(true)
  })
})

describe('holder ids', () => {
  it('differ between two ids made in the same process', () => {
    expect(newHolderId()).not.toBe(newHolderId())
    expect(newHolderId()).toContain(`:${process.pid}:`)
  })
})

describe('withLease', () => {
  it('runs one holder at a time and releases the lease when the work fails', async () => {
    const name = fresh()
    const order: string[] = []
    const work = (who: string, fail: boolean) =>
      withLease(client, { name, holder: who, ttlMs: 10_000, timeoutMs: 10_000, log: () => {} }, async () => {
        order.push(`${who} in`)
        await new Promise((resolve) => setTimeout(resolve, 100))
        order.push(`${who} out`)
        if (fail) throw new Error(`${who} failed`)
      })
    const results = await Promise.allSettled([work('a', true), work('b', false)])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    // Never both inside: each "in" is followed by its own "out".
    expect([['a in', 'a out', 'b in', 'b out'], ['b in', 'b out', 'a in', 'a out']]).toContainEqual(order)
    expect(await leaseHolder(client, name)).toBeNull()
  })

  it('gives up with LeaseTimeout while another live holder keeps the lease', async () => {
    const name = fresh()
    await claimLease(client, { name, holder: 'other', ttlMs: 60_000, now: Date.now() })
    await expect(waitForLease(client, { name, holder: 'me', ttlMs: 1000, timeoutMs: 300 })).rejects.toBeInstanceOf(LeaseTimeout)
  })

  it('takes the lease of a holder that stopped renewing once it lapses', async () => {
    const name = fresh()
    await claimLease(client, { name, holder: 'crashed', ttlMs: 400, now: Date.now() })
    const started = Date.now()
    await waitForLease(client, { name, holder: 'me', ttlMs: 1000, timeoutMs: 5000 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect((await leaseHolder(client, name))?.holder).toBe('me')
  })
})
