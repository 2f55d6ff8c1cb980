// What paying for (and refunding) a drop seat or an upgrade does, inside the transaction of
// confirmPayment / requestRefund: the membership order kind's rules (drop.server.ts defines them).
import { and, eq, isNull, sql } from 'drizzle-orm'
import { holds, memberships, orderLines, orders, type Order, type OrderLine } from '../../db/schema'
import { upgradeKey } from '~/domain/drop'
import { membershipUpgradeEmail, membershipWelcomeEmail } from '~/emails/drop'
import type { Executor } from '~/utils/db.server'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { releaseLapsedHolds } from './commerce/index.server'
import { getDropMembership, getDropTier, seatTermsOf } from './drop-seats.server'
import { readPlan, type PlanRead } from './membership-plan.server'
import { notifyWaitlists } from './drop-waitlist.server'
import { raiseFlag } from './order-flags.server'

interface PaidMembershipOrder {
  order: Order
  lines: OrderLine[]
}

type DropTierRow = Awaited<ReturnType<typeof dropTierOf>>

async function dropTierOf(tx: Executor, dropTierId: number) {
  const row = await getDropTier(dropTierId, { executor: tx })
  if (!row) throw new Error(`no drop tier ${dropTierId}`)
  return row
}

/**
 * Moves a sold seat back to available (its hold sold → returned, stock sold − 1), conditional on
 * the hold still being sold, so it happens once. Returns whether it did.
 */
async function giveSeatBack(tx: Executor, { orderId, stockId }: { orderId: number; stockId: number }, now: Date) {
  const [hold] = await tx
    .update(holds)
    .set({ state: 'returned', updatedAt: now })
    .where(and(eq(holds.orderId, orderId), eq(holds.stockId, stockId), eq(holds.state, 'sold')))
    .returning({ id: holds.id, qty: holds.qty })
  if (!hold) return false
  await tx.all(sql`UPDATE stock SET sold = sold - ${hold.qty} WHERE id = ${stockId} AND sold >= ${hold.qty} RETURNING id`)
  return true
}

/**
 * Takes a returned seat again if one is free (one conditional UPDATE), marking its hold sold. A
 * seat held by a checkout that lapsed is free: its hold is released first, in this transaction.
 */
async function retakeSeat(tx: Executor, { orderId, stockId }: { orderId: number; stockId: number }, now: Date) {
  await releaseLapsedHolds(tx, now, [stockId])
  const taken = await tx.all<{ id: number }>(sql`
    UPDATE stock SET sold = sold + 1
    WHERE id = ${stockId} AND capacity - sold - held >= 1
    RETURNING id`)
  if (taken.length === 0) return false
  await tx
    .update(holds)
    .set({ state: 'sold', updatedAt: now })
    .where(and(eq(holds.orderId, orderId), eq(holds.stockId, stockId), eq(holds.state, 'returned')))
  return true
}

/**
 * A paid seat becomes a membership of the drop tier's tier, for the period its terms give at
 * payment (decision 049): a new member from now until the tier's validUntil, with the number
 * payment took; a renewal from the plan's end for a year, or an upgrade from now, keeping the
 * member's number (a member without one takes the number payment took). Every period names the
 * drop that sold it and what it sold it as; only a number this drop's counter issued names the drop
 * as its issuer (numberDropId): member numbers are unique within the drop that issued them. Returns
 * the member number, and the buyer read with the plan (for the welcome email).
 */
function fulfilSeat(
  tx: Executor,
  { order, line, target, plan }: { order: Order; line: OrderLine; target: DropTierRow; plan: PlanRead },
  now: Date,
) {
  const { terms } = seatTermsOf({ tier: target, plan }, now)
  // The plan changed since the order (a gift of a higher tier, say): the buyer gets what they paid for, a seat from now.
  const period = terms.kind === 'downgrade' ? { from: now, until: target.dropTier.validUntil } : terms
  const memberNumber = line.takesNumbers ? line.numbers[0] : terms.kind === 'new' || terms.kind === 'downgrade' ? undefined : terms.memberNumber
  if (line.takesNumbers && memberNumber === undefined) throw new Error(`membership order ${order.id} was paid without a member number`)
  const inserted = tx.insert(memberships).values({
    userId: order.userId,
    tierId: target.tier.id,
    memberNumber: memberNumber ?? null,
    validFrom: period.from,
    validUntil: period.until,
    source: 'drop',
    dropId: target.drop.id,
    dropSale: terms.kind === 'downgrade' ? 'new' : terms.kind,
    orderId: order.id,
    numberDropId: line.takesNumbers ? target.drop.id : null,
  })
  return { inserted, memberNumber: memberNumber ?? null, buyer: plan.buyer, validUntil: period.until }
}

/**
 * A seat line's drop tier and the buyer's plan, read together: on a libsql server the two reads
 * go in one exchange of the payment's write (decision 055). The order names its drop, so the plan
 * need not wait for the tier; an order without one (never written since decision 008) reads in turn.
 */
async function readSeatLine(tx: Executor, order: Order, dropTierId: number, now: Date) {
  if (order.dropId === null) {
    const target = await dropTierOf(tx, dropTierId)
    return { target, plan: await readPlan({ userId: order.userId, dropId: target.drop.id, now }, tx) }
  }
  const [target, plan] = await Promise.all([dropTierOf(tx, dropTierId), readPlan({ userId: order.userId, dropId: order.dropId, now }, tx)])
  if (target.drop.id !== order.dropId) throw new Error(`membership order ${order.id} names drop ${order.dropId}, its line drop ${target.drop.id}`)
  return { target, plan }
}

type DropMembership = NonNullable<Awaited<ReturnType<typeof getDropMembership>>>

/**
 * A paid upgrade within the drop moves the member's seat of it to the higher tier, keeping the
 * number (decision 008). A new membership's row moves, to the higher tier's end. A renewal starts
 * later than today, so the upgrade is a period of its own (decision 049): the higher tier from now to
 * the renewal's end, the renewal underneath, so a refund of either ends exactly what it paid for.
 */
async function upgradeSeat(tx: Executor, { order, current, target }: { order: Order; current: DropMembership; target: DropTierRow }, now: Date) {
  if (current.membership.dropSale === 'renewal') {
    const [period] = await tx
      .insert(memberships)
      .values({
        userId: order.userId,
        tierId: target.tier.id,
        memberNumber: current.membership.memberNumber,
        validFrom: now,
        validUntil: current.membership.validUntil,
        source: 'drop',
        dropId: target.drop.id,
        dropSale: 'upgrade',
        orderId: order.id,
      })
      .returning()
    return period
  }
  const [moved] = await tx
    .update(memberships)
    .set({ tierId: target.tier.id, validUntil: target.dropTier.validUntil })
    .where(and(eq(memberships.id, current.membership.id), eq(memberships.tierId, current.dropTier.tierId), isNull(memberships.revokedAt)))
    .returning()
  return moved
}

/**
 * A paid seat becomes a membership of the drop tier's tier, numbered with the number payment
 * took (line.numbers[0]), valid from now until the tier's validUntil; a paid upgrade moves the
 * buyer's membership of this drop to the higher tier, keeping its number, and gives the old
 * tier's seat back. The welcome / upgrade email goes to the outbox in the same transaction.
 */
export async function fulfilMembershipOrder(tx: Executor, { order, lines }: PaidMembershipOrder, now: Date) {
  const env = getEnv()
  const cardUrl = `${env.SITE_URL}/membership/card`
  for (const line of lines) {
    if (line.dropTierId === null) throw new Error(`membership order ${order.id} has a line without a drop tier`)
    const { target, plan } = await readSeatLine(tx, order, line.dropTierId, now)
    // Seat orders: new memberships, renewals and upgrades from an earlier plan. The upgrade key is the drop's own upgrade.
    if (order.exclusiveKey !== upgradeKey(target.drop.id, order.userId)) {
      // The membership and its welcome email are written together: one exchange on a libsql server.
      const { inserted, memberNumber, buyer, validUntil } = fulfilSeat(tx, { order, line, target, plan }, now)
      const writes: PromiseLike<unknown>[] = [inserted]
      if (buyer && memberNumber !== null) {
        const message = membershipWelcomeEmail({
          name: buyer.name,
          dropName: target.drop.name,
          tierName: target.tier.name,
          memberNumber,
          validUntil,
          amountFen: order.totalFen,
          orderId: order.id,
          cardUrl,
          timeZone: env.SITE_TIMEZONE,
        })
        writes.push(sendEmail({ ...message, to: buyer.email, template: 'drop-welcome' }, tx, now))
      }
      await Promise.all(writes)
      continue
    }

    const buyer = plan.buyer
    const current = await getDropMembership({ dropId: target.drop.id, userId: order.userId }, tx)
    if (!current || current.dropTier.id === target.dropTier.id) {
      await raiseFlag(tx, { orderId: order.id, flag: 'upgrade_without_membership', now })
      continue
    }
    const moved = await upgradeSeat(tx, { order, current, target }, now)
    if (!moved) {
      await raiseFlag(tx, { orderId: order.id, flag: 'upgrade_without_membership', now })
      continue
    }
    if (current.membership.orderId !== null && (await giveSeatBack(tx, { orderId: current.membership.orderId, stockId: current.dropTier.stockId }, now))) {
      await notifyWaitlists(tx, [current.dropTier.stockId], now)
    }
    if (buyer) {
      const message = membershipUpgradeEmail({
        name: buyer.name,
        tierName: target.tier.name,
        memberNumber: moved.memberNumber,
        validUntil: moved.validUntil,
        amountFen: order.totalFen,
        orderId: order.id,
        cardUrl,
        timeZone: env.SITE_TIMEZONE,
      })
      await sendEmail({ ...message, to: buyer.email, template: 'drop-upgrade' }, tx, now)
    }
  }
}

/**
 * A refunded membership order (its sold holds were already returned by requestRefund): a seat's
 * membership is revoked; an upgrade's membership goes back to the tier it came from, retaking
 * that tier's seat when one is free. Seats that came back reach the waitlist.
 */
export async function returnMembershipOrder(tx: Executor, order: Order, now: Date) {
  if (order.dropId === null) return
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id))
  const freed: number[] = lines.map((line) => line.stockId)
  const isSeat = order.exclusiveKey !== upgradeKey(order.dropId, order.userId)
  for (const line of lines) {
    // A seat's period (new, renewal or upgrade from an earlier plan) is its own row: it ends; the plan under it stays.
    if (isSeat) {
      const [revoked] = await tx
        .update(memberships)
        .set({ revokedAt: now })
        .where(and(eq(memberships.orderId, order.id), isNull(memberships.revokedAt)))
        .returning()
      if (!revoked || line.dropTierId === null) continue
      const seat = await dropTierOf(tx, line.dropTierId)
      if (revoked.tierId === seat.tier.id && revoked.dropSale !== 'renewal') continue
      // The member had upgraded: the upgrade's seat is freed too, and its payment needs an admin.
      const [upgrade] = await tx
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.exclusiveKey, upgradeKey(order.dropId, order.userId)), eq(orders.state, 'paid')))
      if (!upgrade) continue
      // An upgrade of a renewal is a period of its own: it ends with the renewal it stood on.
      await tx
        .update(memberships)
        .set({ revokedAt: now })
        .where(and(eq(memberships.orderId, upgrade.id), isNull(memberships.revokedAt)))
      const [upgradeLine] = await tx.select().from(orderLines).where(eq(orderLines.orderId, upgrade.id))
      if (upgradeLine && (await giveSeatBack(tx, { orderId: upgrade.id, stockId: upgradeLine.stockId }, now))) freed.push(upgradeLine.stockId)
      await raiseFlag(tx, { orderId: upgrade.id, flag: 'seat_refunded_after_upgrade', now })
      continue
    }

    if (line.dropTierId === null) continue
    // An upgrade of a renewal was a period of its own: it ends, and the renewal retakes its seat.
    const [ended] = await tx
      .update(memberships)
      .set({ revokedAt: now })
      .where(and(eq(memberships.orderId, order.id), isNull(memberships.revokedAt)))
      .returning({ id: memberships.id })
    if (ended) {
      const renewal = await getDropMembership({ dropId: order.dropId, userId: order.userId }, tx)
      if (renewal?.membership.orderId && !(await retakeSeat(tx, { orderId: renewal.membership.orderId, stockId: renewal.dropTier.stockId }, now))) {
        await raiseFlag(tx, { orderId: order.id, flag: 'upgrade_refund_over_capacity', now })
      }
      continue
    }
    const upgraded = await getDropMembership({ dropId: order.dropId, userId: order.userId }, tx)
    if (!upgraded || upgraded.dropTier.id !== line.dropTierId || upgraded.membership.orderId === null) continue
    const [seatLine] = await tx.select().from(orderLines).where(eq(orderLines.orderId, upgraded.membership.orderId))
    if (!seatLine?.dropTierId) continue
    const from = await dropTierOf(tx, seatLine.dropTierId)
    await tx
      .update(memberships)
      .set({ tierId: from.tier.id, validUntil: from.dropTier.validUntil })
      .where(eq(memberships.id, upgraded.membership.id))
    if (!(await retakeSeat(tx, { orderId: upgraded.membership.orderId, stockId: from.dropTier.stockId }, now))) {
      await raiseFlag(tx, { orderId: order.id, flag: 'upgrade_refund_over_capacity', now })
    }
  }
  await notifyWaitlists(tx, freed, now)
}
