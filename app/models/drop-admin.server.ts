// The admin's drops (issue 7, decision 008): creating and editing a drop and its tiers, and the
// window actions 立即开启 / 提前结束 / 延长. Each is one transaction, audited; after opening,
// capacity only changes by a conditional UPDATE that keeps it at or above sold + held.
import { and, eq, gt, lte, ne, sql } from 'drizzle-orm'
import { counters, dropTiers, drops, stock, type Drop } from '../../db/schema'
import { canApplyWindowAction, dropWindow, windowsOverlap, type DropTimes, type WindowAction } from '~/domain/drop'
import type { DropInput, OpenDropEdit } from '~/domain/drop-forms.server'
import { t } from '~/i18n/zh-CN'
import { transaction, type Executor } from '~/utils/db.server'
import type { FieldErrors } from '~/utils/forms'
import { recordAudit } from './audit.server'
import { releaseLapsedHolds } from './commerce/index.server'
import { notifyNextDropWaitlist, notifyWaitlists } from './drop-waitlist.server'

const e = t.drops.errors

export type DropWriteResult = { ok: true; drop: Drop } | { ok: false; errors: FieldErrors }

/** Thrown inside a transaction to roll it back; turned into field errors outside. */
class DropRefused extends Error {
  constructor(readonly errors: FieldErrors) {
    super('drop refused')
  }
}

async function refusedAsErrors(run: () => Promise<Drop>): Promise<DropWriteResult> {
  try {
    return { ok: true, drop: await run() }
  } catch (error) {
    if (error instanceof DropRefused) return { ok: false, errors: error.errors }
    throw error
  }
}

/** An opening time a minute or more in the past is refused (the admin opens early on purpose). */
const OPENS_AT_GRACE_MS = 60_000

async function assertNoOverlap(tx: Executor, window: DropTimes, exceptId: number | null, field: string) {
  const others = await tx
    .select({ id: drops.id, name: drops.name, opensAt: drops.opensAt, closesAt: drops.closesAt })
    .from(drops)
    .where(exceptId === null ? undefined : ne(drops.id, exceptId))
  const clash = others.find((other) => windowsOverlap(window, other))
  if (clash) throw new DropRefused({ [field]: e.overlaps(clash.name) })
}

async function insertDropTier(tx: Executor, drop: Drop, tier: DropInput['tiers'][number]) {
  const [seats] = await tx.insert(stock).values({ capacity: tier.capacity, counterId: drop.counterId }).returning({ id: stock.id })
  await tx.insert(dropTiers).values({ dropId: drop.id, tierId: tier.tierId, priceFen: tier.priceFen, stockId: seats!.id, validUntil: tier.validUntil })
}

function tierAudit(input: DropInput['tiers']) {
  return input.map(({ tierId, priceFen, capacity, validUntil }) => ({ tierId, priceFen, capacity, validUntil: validUntil.toISOString() }))
}

/**
 * Creates a drop with a seat stock per tier (sharing one new member-number counter). Users who
 * asked to hear about the next drop are emailed in the same transaction.
 */
export async function createDrop({ input, actorId, now }: { input: DropInput; actorId: number; now: Date }): Promise<DropWriteResult> {
  if (input.opensAt.getTime() < now.getTime() - OPENS_AT_GRACE_MS) return { ok: false, errors: { opensAt: e.opensInPast } }
  return refusedAsErrors(() =>
    transaction(async (tx) => {
      await assertNoOverlap(tx, input, null, 'opensAt')
      const [counter] = await tx.insert(counters).values({}).returning({ id: counters.id })
      const [drop] = await tx
        .insert(drops)
        .values({
          name: input.name,
          announcement: input.announcement,
          opensAt: input.opensAt,
          closesAt: input.closesAt,
          counterId: counter!.id,
          createdBy: actorId,
          updatedAt: now,
        })
        .returning()
      for (const tier of input.tiers) await insertDropTier(tx, drop!, tier)
      await recordAudit(
        {
          actorId,
          action: 'drop.create',
          targetType: 'drop',
          targetId: drop!.id,
          detail: { name: input.name, opensAt: input.opensAt.toISOString(), closesAt: input.closesAt.toISOString(), tiers: tierAudit(input.tiers) },
        },
        tx,
      )
      await notifyNextDropWaitlist(tx, drop!, now)
      return drop!
    }),
  )
}

/** Edits a drop that has not opened yet: anything goes (tiers may be added or removed). */
export async function updateUpcomingDrop({
  dropId,
  input,
  actorId,
  now,
}: {
  dropId: number
  input: DropInput
  actorId: number
  now: Date
}): Promise<DropWriteResult> {
  if (input.opensAt.getTime() < now.getTime() - OPENS_AT_GRACE_MS) return { ok: false, errors: { opensAt: e.opensInPast } }
  return refusedAsErrors(() =>
    transaction(async (tx) => {
      // The condition decides "not opened yet", in the statement that changes it.
      const [drop] = await tx
        .update(drops)
        .set({ name: input.name, announcement: input.announcement, opensAt: input.opensAt, closesAt: input.closesAt, updatedAt: now })
        .where(and(eq(drops.id, dropId), gt(drops.opensAt, now)))
        .returning()
      if (!drop) throw new DropRefused({ form: e.windowLocked })
      await assertNoOverlap(tx, input, dropId, 'opensAt')
      const existing = await tx.select().from(dropTiers).where(eq(dropTiers.dropId, dropId))
      for (const tier of input.tiers) {
        const current = existing.find((row) => row.tierId === tier.tierId)
        if (!current) {
          await insertDropTier(tx, drop, tier)
          continue
        }
        await tx.update(dropTiers).set({ priceFen: tier.priceFen, validUntil: tier.validUntil }).where(eq(dropTiers.id, current.id))
        await setCapacity(tx, current.stockId, tier.capacity, `capacity_${tier.tierId}`)
      }
      for (const gone of existing.filter((row) => !input.tiers.some((tier) => tier.tierId === row.tierId))) {
        await tx.delete(dropTiers).where(eq(dropTiers.id, gone.id))
        await tx.delete(stock).where(and(eq(stock.id, gone.stockId), eq(stock.sold, 0), eq(stock.held, 0)))
      }
      await recordAudit(
        {
          actorId,
          action: 'drop.update',
          targetType: 'drop',
          targetId: dropId,
          detail: { name: input.name, opensAt: input.opensAt.toISOString(), closesAt: input.closesAt.toISOString(), tiers: tierAudit(input.tiers) },
        },
        tx,
      )
      return drop
    }),
  )
}

/** Capacity never below paid + held: one conditional UPDATE decides; zero rows is a field error. */
async function setCapacity(tx: Executor, stockId: number, capacity: number, field: string) {
  const rows = await tx.all<{ id: number }>(sql`
    UPDATE stock SET capacity = ${capacity}
    WHERE id = ${stockId} AND sold + held <= ${capacity}
    RETURNING id`)
  if (rows.length > 0) return
  const [seats] = await tx.select({ sold: stock.sold, held: stock.held }).from(stock).where(eq(stock.id, stockId))
  throw new DropRefused({ [field]: e.capacityBelowTaken((seats?.sold ?? 0) + (seats?.held ?? 0)) })
}

/**
 * Edits a drop that has opened (or closed): name, announcement and capacities. A changed price
 * or validity is refused: buyers paid for what the page said.
 */
export async function updateOpenDrop({
  dropId,
  input,
  actorId,
  now,
}: {
  dropId: number
  input: OpenDropEdit
  actorId: number
  now: Date
}): Promise<DropWriteResult> {
  return refusedAsErrors(() =>
    transaction(async (tx) => {
      const [drop] = await tx
        .update(drops)
        .set({ name: input.name, announcement: input.announcement, updatedAt: now })
        .where(and(eq(drops.id, dropId), lte(drops.opensAt, now)))
        .returning()
      if (!drop) throw new DropRefused({ form: e.dropNotFound })
      const existing = await tx.select().from(dropTiers).where(eq(dropTiers.dropId, dropId))
      const errors: FieldErrors = {}
      for (const tier of input.tiers) {
        const current = existing.find((row) => row.tierId === tier.tierId)
        if (!current) errors[`capacity_${tier.tierId}`] = e.tiersLocked
        else if (tier.priceFen !== undefined && tier.priceFen !== current.priceFen) errors[`price_${tier.tierId}`] = e.priceLocked
        else if (tier.validUntil !== undefined && tier.validUntil.getTime() !== current.validUntil.getTime())
          errors[`validUntil_${tier.tierId}`] = e.validityLocked
      }
      if (Object.keys(errors).length > 0) throw new DropRefused(errors)
      // Lapsed holds are not paid + held any more: give them back before the capacity check.
      await releaseLapsedHolds(
        tx,
        now,
        existing.map((row) => row.stockId),
      )
      const changed: { tierId: number; from: number | null; to: number }[] = []
      for (const tier of input.tiers) {
        const current = existing.find((row) => row.tierId === tier.tierId)!
        const [before] = await tx.select({ capacity: stock.capacity }).from(stock).where(eq(stock.id, current.stockId))
        if (before?.capacity === tier.capacity) continue
        await setCapacity(tx, current.stockId, tier.capacity, `capacity_${tier.tierId}`)
        changed.push({ tierId: tier.tierId, from: before?.capacity ?? null, to: tier.capacity })
      }
      await recordAudit(
        { actorId, action: 'drop.update', targetType: 'drop', targetId: dropId, detail: { name: input.name, capacities: changed } },
        tx,
      )
      // More seats may mean seats for the people waiting.
      const grown = changed.filter((c) => c.from !== null && c.to > c.from).map((c) => existing.find((row) => row.tierId === c.tierId)!.stockId)
      if (grown.length > 0) await notifyWaitlists(tx, grown, now)
      return drop
    }),
  )
}

/** Opens now, closes now, or moves the close later; each one conditional UPDATE, audited. */
export async function applyWindowAction({
  dropId,
  action,
  closesAt,
  actorId,
  now,
}: {
  dropId: number
  action: WindowAction
  closesAt?: Date
  actorId: number
  now: Date
}): Promise<DropWriteResult> {
  return refusedAsErrors(() =>
    transaction(async (tx) => {
      const [before] = await tx.select().from(drops).where(eq(drops.id, dropId))
      if (!before) throw new DropRefused({ form: e.dropNotFound })
      if (!canApplyWindowAction(action, before, now, closesAt)) {
        const message = { open_now: e.notUpcoming, close_now: e.notOpen, extend: dropWindow(before, now) === 'upcoming' ? e.extendUpcoming : e.extendInvalid }[action]
        throw new DropRefused(action === 'extend' ? { closesAt: message } : { form: message })
      }
      const at = now.getTime()
      const change =
        action === 'open_now'
          ? { set: { opensAt: now }, where: gt(drops.opensAt, now) }
          : action === 'close_now'
            ? { set: { closesAt: now }, where: and(sql`${drops.opensAt} < ${at}`, gt(drops.closesAt, now)) }
            : { set: { closesAt: closesAt! }, where: and(lte(drops.opensAt, now), sql`${drops.closesAt} < ${closesAt!.getTime()}`) }
      if (action === 'extend') await assertNoOverlap(tx, { opensAt: before.opensAt, closesAt: closesAt! }, dropId, 'closesAt')
      const [drop] = await tx
        .update(drops)
        .set({ ...change.set, updatedAt: now })
        .where(and(eq(drops.id, dropId), change.where))
        .returning()
      if (!drop) throw new DropRefused({ form: e.dropNotFound })
      await recordAudit(
        {
          actorId,
          action: `drop.${action}`,
          targetType: 'drop',
          targetId: dropId,
          detail: { opensAt: [before.opensAt.toISOString(), drop.opensAt.toISOString()], closesAt: [before.closesAt.toISOString(), drop.closesAt.toISOString()] },
        },
        tx,
      )
      return drop
    }),
  )
}
