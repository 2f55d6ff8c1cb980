// A reader's saved shipping addresses (decision 048): several per account, one of them the default
// that checkout selects. Every function takes the owner and filters by it in the query, so a
// reader can never read or change another's address by its id. Writes decide inside their write
// transaction (count, default), which the write queue serialises (decision 003).
import { and, count, desc, eq, ne } from 'drizzle-orm'
import { addresses, type ShippingAddress } from '../../db/schema'
import { MAX_SAVED_ADDRESSES } from '~/domain/address'
import { db, transaction, type Executor } from '~/utils/db.server'


export interface SavedAddress extends ShippingAddress {
  id: number
  isDefault: boolean
}

const savedColumns = {
  id: addresses.id,
  name: addresses.name,
  phone: addresses.phone,
  province: addresses.province,
  city: addresses.city,
  district: addresses.district,
  street: addresses.street,
  isDefault: addresses.isDefault,
}

/** The reader's addresses, the default first, then the most recently saved. */
export function listAddresses(userId: number, executor: Executor = db): Promise<SavedAddress[]> {
  return executor
    .select(savedColumns)
    .from(addresses)
    .where(eq(addresses.userId, userId))
    .orderBy(desc(addresses.isDefault), desc(addresses.updatedAt), desc(addresses.id))
}

/** One of the reader's addresses; undefined when it is not theirs or does not exist. */
export async function getAddress({ id, userId }: { id: number; userId: number }, executor: Executor = db): Promise<SavedAddress | undefined> {
  const [row] = await executor
    .select(savedColumns)
    .from(addresses)
    .where(and(eq(addresses.id, id), eq(addresses.userId, userId)))
  return row
}

/** The reader's default address, as checkout fills it in; null when none is saved. */
export async function getSavedAddress(userId: number): Promise<ShippingAddress | null> {
  const [first] = await listAddresses(userId)
  if (!first) return null
  const { id: _id, isDefault: _default, ...address } = first
  return address
}

export type AddAddressResult = { ok: true; id: number } | { ok: false; reason: 'full' }

/**
 * Saves a new address for the reader, in the caller's transaction when given one (checkout saves
 * it with the order). It becomes the default when asked or when it is the reader's first.
 */
export async function addAddress(
  { userId, address, makeDefault = false, now }: { userId: number; address: ShippingAddress; makeDefault?: boolean; now: Date },
  executor?: Executor,
): Promise<AddAddressResult> {
  const add = async (tx: Executor): Promise<AddAddressResult> => {
    const [{ saved } = { saved: 0 }] = await tx.select({ saved: count() }).from(addresses).where(eq(addresses.userId, userId))
    if (saved >= MAX_SAVED_ADDRESSES) return { ok: false, reason: 'full' }
    const isDefault = makeDefault || saved === 0
    if (isDefault) await clearDefault(tx, userId)
    const [row] = await tx
      .insert(addresses)
      .values({ userId, ...address, isDefault, createdAt: now, updatedAt: now })
      .returning({ id: addresses.id })
    return { ok: true, id: row!.id }
  }
  return executor ? add(executor) : transaction(add)
}

/** Changes one of the reader's addresses (and makes it the default when asked); false when it is not theirs. */
export function updateAddress({
  id,
  userId,
  address,
  makeDefault = false,
  now,
}: {
  id: number
  userId: number
  address: ShippingAddress
  makeDefault?: boolean
  now: Date
}): Promise<boolean> {
  return transaction(async (tx) => {
    if (!(await getAddress({ id, userId }, tx))) return false
    if (makeDefault) await clearDefault(tx, userId, id)
    await tx
      .update(addresses)
      .set({ ...address, ...(makeDefault ? { isDefault: true } : {}), updatedAt: now })
      .where(and(eq(addresses.id, id), eq(addresses.userId, userId)))
    return true
  })
}

/** Makes one of the reader's addresses the default; false when it is not theirs. */
export function setDefaultAddress({ id, userId }: { id: number; userId: number }): Promise<boolean> {
  return transaction(async (tx) => {
    if (!(await getAddress({ id, userId }, tx))) return false
    await clearDefault(tx, userId, id)
    await tx
      .update(addresses)
      .set({ isDefault: true })
      .where(and(eq(addresses.id, id), eq(addresses.userId, userId)))
    return true
  })
}

/**
 * Deletes one of the reader's addresses; when it was the default, the most recently saved of the
 * others becomes the default, so a reader with addresses always has one. False when it is not theirs.
 */
export function deleteAddress({ id, userId }: { id: number; userId: number }): Promise<boolean> {
  return transaction(async (tx) => {
    const [deleted] = await tx
      .delete(addresses)
      .where(and(eq(addresses.id, id), eq(addresses.userId, userId)))
      .returning({ isDefault: addresses.isDefault })
    if (!deleted) return false
    if (deleted.isDefault) {
      const [next] = await tx
        .select({ id: addresses.id })
        .from(addresses)
        .where(eq(addresses.userId, userId))
        .orderBy(desc(addresses.updatedAt), desc(addresses.id))
        .limit(1)
      if (next) await tx.update(addresses).set({ isDefault: true }).where(eq(addresses.id, next.id))
    }
    return true
  })
}

/**
 * Unmarks the reader's default (but `keep`) first: the unique index allows one default per
 * reader, and SQLite checks it row by row, so the old default goes before the new one is set.
 */
async function clearDefault(tx: Executor, userId: number, keep?: number) {
  const others = keep === undefined ? eq(addresses.userId, userId) : and(eq(addresses.userId, userId), ne(addresses.id, keep))
  await tx.update(addresses).set({ isDefault: false }).where(and(others, eq(addresses.isDefault, true)))
}
