// 会员即将到期 (issue 13): a job notifies readers 30 and 7 days before their membership's last day
// (site time zone), with a link to /membership. Several processes may run it at once: each
// notice's key `membership:<id>:<30|7>` makes a second attempt a no-op (decision 023).
import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm'
import { memberships, notifications, tiers } from '../../db/schema'
import { dueExpiryNotice, daysLeft, expiryNoticeKey, lastDayOf } from '~/domain/membership-expiry'
import { db, transaction } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { notify } from '~/utils/notify.server'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Sends the due notices for memberships in force that end within about 31 days, unless revoked or
 * renewed — another membership of the same or a higher rank, not revoked, that covers the end — or
 * ending together with a higher one (that one's notice says it).
 * Returns how many notifications this pass created.
 */
export async function sendMembershipExpiryNotices(now = new Date(), limit = 500) {
  const timeZone = getEnv().SITE_TIMEZONE
  const noticeSent = (days: number) =>
    sql<number>`exists (select 1 from ${notifications} where ${notifications.userId} = ${memberships.userId}
      and ${notifications.kind} = 'membership_expiring' and ${notifications.key} = 'membership:' || ${memberships.id} || ${`:${days}`})`
  const candidates = await db
    .select({ id: memberships.id, userId: memberships.userId, validUntil: memberships.validUntil, tierName: tiers.name, sent30: noticeSent(30) })
    .from(memberships)
    .innerJoin(tiers, eq(tiers.id, memberships.tierId))
    .where(
      and(
        isNull(memberships.revokedAt),
        lte(memberships.validFrom, now),
        gt(memberships.validUntil, now),
        // 31 days covers "30 calendar days" in any time zone; dueExpiryNotice decides exactly.
        lte(memberships.validUntil, new Date(now.getTime() + 31 * DAY_MS)),
        // Nor one that ends with another of a higher rank (an upgrade over a renewal ends with the
        // renewal, decision 049), or of the same rank made later: the reader hears once, of the
        // highest plan that ends then.
        sql`not exists (select 1 from memberships later join tiers later_tier on later_tier.id = later.tier_id
          where later.user_id = ${memberships.userId} and later.id <> ${memberships.id} and later.revoked_at is null
            and later.valid_from <= ${memberships.validUntil}
            and ((later_tier.rank >= ${tiers.rank} and later.valid_until > ${memberships.validUntil})
              or (later.valid_until = ${memberships.validUntil}
                and (later_tier.rank > ${tiers.rank} or (later_tier.rank = ${tiers.rank} and later.id > ${memberships.id})))))`,
        // Readers who had the last notice are done.
        sql`not ${noticeSent(7)}`,
      ),
    )
    .limit(limit)
  let sent = 0
  for (const membership of candidates) {
    const notice = dueExpiryNotice(membership.validUntil, now, timeZone)
    // Skipping a sent notice spares a write transaction; notify() would not repeat it anyway.
    if (notice === null || (notice === 30 && membership.sent30)) continue
    const data = { path: '/membership', tierName: membership.tierName, endsOn: lastDayOf(membership.validUntil, timeZone), days: daysLeft(membership.validUntil, now, timeZone) }
    const result = await transaction((tx) =>
      notify(tx, { userId: membership.userId, kind: 'membership_expiring', key: expiryNoticeKey(membership.id, notice), data }, now),
    )
    if (result.created) sent++
  }
  return sent
}
