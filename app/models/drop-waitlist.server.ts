// A drop tier's waitlist (issue 7, decision 008): joining it, and the notices sent when seats
// come back (the commerce core calls notifyWaitlists through the listener drop.server.ts
// registers) or when a new drop is announced. A notice is an invitation to try, not a seat.
import { and, asc, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm'
import { dropTiers, dropWaitlist, drops, orders, stock, tiers, users, type Drop } from '../../db/schema'
import { dropWindow, seatKey, seatKeyPrefix, seatsAvailable, WAITLIST_NOTICE_MINUTES, waitlistNoticeCount } from '~/domain/drop'
import { LIVE_ORDER_STATES } from '~/domain/order'
import { nextDropEmail, waitlistNoticeEmail } from '~/emails/drop'
import { db, uniqueViolation, type Executor } from '~/utils/db.server'
import { sendEmails } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { heldAt } from './commerce/index.server'
import { getDropTier, listDropTiers, type DropTierRequest } from './drop-seats.server'

export type WaitlistResult = { ok: true; next: boolean } | { ok: false; reason: 'tier_invalid' | 'not_yet' | 'not_sold_out' | 'already' | 'has_seat' }

/**
 * Joins a drop tier's waitlist, once (the unique index decides): while the drop is open and the
 * tier sold out, or after it closed (then it means "tell me about the next drop").
 */
export async function joinWaitlist({ dropId, dropTierId, userId, now }: DropTierRequest): Promise<WaitlistResult> {
  const found = await getDropTier(dropTierId, { dropId })
  if (!found) return { ok: false, reason: 'tier_invalid' }
  const window = dropWindow(found.drop, now)
  if (window === 'upcoming') return { ok: false, reason: 'not_yet' }
  if (window === 'open') {
    const tierRows = await listDropTiers(dropId, now)
    if ((tierRows.find((row) => row.id === dropTierId)?.available ?? 0) > 0) return { ok: false, reason: 'not_sold_out' }
    const [seat] = await db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.exclusiveKey, seatKey(dropId, userId)), inArray(orders.state, [...LIVE_ORDER_STATES])))
      .limit(1)
    if (seat) return { ok: false, reason: 'has_seat' }
  }
  try {
    await db.insert(dropWaitlist).values({ dropTierId, userId, createdAt: now })
  } catch (error) {
    if (uniqueViolation(error)) return { ok: false, reason: 'already' }
    throw error
  }
  return { ok: true, next: window === 'closed' }
}

/**
 * Seats of these stocks came back (lapsed holds, cancellations, refunds, more capacity): email
 * the earliest waiting users of each open drop tier who have not been told yet — never more
 * than the seats free now minus the notices still outstanding — and mark them notified. Runs in
 * the caller's transaction; returns how many were emailed.
 */
export async function notifyWaitlists(tx: Executor, stockIds: number[], now: Date): Promise<number> {
  const unique = [...new Set(stockIds)]
  if (unique.length === 0) return 0
  const candidates = await tx
    .select({
      dropTierId: dropTiers.id,
      stockId: dropTiers.stockId,
      dropId: drops.id,
      dropName: drops.name,
      opensAt: drops.opensAt,
      closesAt: drops.closesAt,
      tierName: tiers.name,
      capacity: stock.capacity,
      sold: stock.sold,
      held: heldAt(now),
    })
    .from(dropTiers)
    .innerJoin(drops, eq(drops.id, dropTiers.dropId))
    .innerJoin(tiers, eq(tiers.id, dropTiers.tierId))
    .innerJoin(stock, eq(stock.id, dropTiers.stockId))
    .where(inArray(dropTiers.stockId, unique))
  let notified = 0
  const noticeSince = now.getTime() - WAITLIST_NOTICE_MINUTES * 60_000
  for (const tier of candidates) {
    if (dropWindow(tier, now) !== 'open') continue
    const available = seatsAvailable({ capacity: tier.capacity ?? 0, sold: tier.sold, held: tier.held })
    if (available === 0) continue
    // A waiting user "has a seat" once they hold or bought one in this drop: their notice is spent.
    // The prefix is bound as text: a bound number would be concatenated as "1.0".
    const hasSeat = sql`exists (select 1 from orders o where o.exclusive_key = ${seatKeyPrefix(tier.dropId)} || ${dropWaitlist.userId} and o.state in ${[...LIVE_ORDER_STATES]})`
    const [outstanding] = await tx
      .select({ n: sql<number>`count(*)` })
      .from(dropWaitlist)
      .where(and(eq(dropWaitlist.dropTierId, tier.dropTierId), sql`${dropWaitlist.notifiedAt} > ${noticeSince}`, sql`not ${hasSeat}`))
    const queue = await tx
      .select({ id: dropWaitlist.id })
      .from(dropWaitlist)
      .where(and(eq(dropWaitlist.dropTierId, tier.dropTierId), isNull(dropWaitlist.notifiedAt), sql`not ${hasSeat}`))
      .orderBy(asc(dropWaitlist.createdAt), asc(dropWaitlist.id))
      .limit(available)
    const count = waitlistNoticeCount({ available, outstanding: Number(outstanding?.n ?? 0), waiting: queue.length })
    if (count === 0) continue
    const chosen = await tx
      .update(dropWaitlist)
      .set({ notifiedAt: now })
      .where(
        and(
          inArray(
            dropWaitlist.id,
            queue.slice(0, count).map((row) => row.id),
          ),
          isNull(dropWaitlist.notifiedAt),
        ),
      )
      .returning({ userId: dropWaitlist.userId })
    if (chosen.length === 0) continue
    const people = await tx
      .select({ email: users.email, name: users.displayName })
      .from(users)
      .where(
        inArray(
          users.id,
          chosen.map((row) => row.userId),
        ),
      )
    const url = `${getEnv().SITE_URL}/membership`
    await sendEmails(
      people.map((person) => ({
        ...waitlistNoticeEmail({ name: person.name, dropName: tier.dropName, tierName: tier.tierName, url }),
        to: person.email,
        template: 'drop-waitlist',
      })),
      tx,
      now,
    )
    notified += chosen.length
  }
  return notified
}

/** A new drop was announced: everyone who asked after a closed drop hears about it, once. */
export async function notifyNextDropWaitlist(tx: Executor, drop: Drop, now: Date) {
  const waiting = await tx
    .update(dropWaitlist)
    .set({ notifiedAt: now })
    .where(
      and(
        isNull(dropWaitlist.notifiedAt),
        inArray(
          dropWaitlist.dropTierId,
          tx
            .select({ id: dropTiers.id })
            .from(dropTiers)
            .innerJoin(drops, eq(drops.id, dropTiers.dropId))
            .where(and(ne(drops.id, drop.id), lte(drops.closesAt, now))),
        ),
      ),
    )
    .returning({ userId: dropWaitlist.userId })
  const userIds = [...new Set(waiting.map((row) => row.userId))]
  if (userIds.length === 0) return
  const people = await tx.select({ email: users.email, name: users.displayName }).from(users).where(inArray(users.id, userIds))
  const env = getEnv()
  await sendEmails(
    people.map((person) => ({
      ...nextDropEmail({ name: person.name, drop, url: `${env.SITE_URL}/membership`, timeZone: env.SITE_TIMEZONE }),
      to: person.email,
      template: 'drop-next',
    })),
    tx,
    now,
  )
}
