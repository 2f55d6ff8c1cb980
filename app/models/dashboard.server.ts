import { count, countDistinct, desc, eq, inArray } from 'drizzle-orm'
import { auditLog, emailOutbox, memberships, users } from '../../db/schema'
import { db } from '~/utils/db.server'
import { membershipActiveAt } from './membership.server'

export async function getDashboardStats(now = new Date()) {
  const [[userCount], [memberCount], [staffCount], [pendingEmails]] = await Promise.all([
    db.select({ n: count() }).from(users),
    db
      .select({ n: countDistinct(memberships.userId) })
      .from(memberships)
      .where(membershipActiveAt(now)),
    db.select({ n: count() }).from(users).where(inArray(users.role, ['editor', 'admin'])),
    db.select({ n: count() }).from(emailOutbox).where(inArray(emailOutbox.state, ['pending', 'sending'])),
  ])
  return {
    users: userCount?.n ?? 0,
    members: memberCount?.n ?? 0,
    staff: staffCount?.n ?? 0,
    pendingEmails: pendingEmails?.n ?? 0,
  }
}

export function listRecentAudit(limit = 10) {
  return db
    .select({ entry: auditLog, actorName: users.displayName })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .orderBy(desc(auditLog.id))
    .limit(limit)
}
