// The shipping address saved to an account (one per user): filled in at checkout, saved again
// each time an order is placed with it.
import { eq } from 'drizzle-orm'
import { addresses, type ShippingAddress } from '../../db/schema'
import { db, type Executor } from '~/utils/db.server'

export async function getSavedAddress(userId: number): Promise<ShippingAddress | null> {
  const [row] = await db
    .select({
      name: addresses.name,
      phone: addresses.phone,
      province: addresses.province,
      city: addresses.city,
      district: addresses.district,
      street: addresses.street,
    })
    .from(addresses)
    .where(eq(addresses.userId, userId))
  return row ?? null
}

/** Saves the user's address, in the caller's transaction (checkout saves it with the order's other writes). */
export async function saveAddress({ userId, address, now }: { userId: number; address: ShippingAddress; now: Date }, tx: Executor) {
  const values = { ...address, updatedAt: now }
  await tx
    .insert(addresses)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: addresses.userId, set: values })
}
