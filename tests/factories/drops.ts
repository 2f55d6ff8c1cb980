// What the drop tests share: the seeded tiers' ids and one admin (made once per test file).
import { asc } from 'drizzle-orm'
import { tiers } from '../../db/schema'
import { db } from '~/utils/db.server'
import { createTestUser } from './users'

export async function tierIds() {
  const rows = await db.select().from(tiers).orderBy(asc(tiers.rank))
  return { qinqing: rows.find((t) => t.slug === 'qinqing')!.id, tiegan: rows.find((t) => t.slug === 'tiegan')!.id }
}

let admin: { id: number } | undefined
/** The id of an admin for the drops this file's tests make. */
export async function adminId() {
  admin ??= (await createTestUser({ role: 'admin' })).user
  return admin.id
}
