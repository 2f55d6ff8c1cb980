// The site's settings (decision 052): what an admin saved at /admin/settings, else the operator's
// environment, else the built-in default. Every reader goes through getSiteSettings.
import { eq } from 'drizzle-orm'
import { siteSettings } from '../../db/schema'
import { effectiveSiteSettings, NO_SITE_SETTINGS, type SiteSettings, type SiteSettingValues } from '~/domain/site-settings'
import { db, transaction, type Executor } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { recordAudit } from './audit.server'

const SETTINGS_ID = 1

/**
 * How long a process answers with the settings it last read. Several processes share the
 * database and only the one that saved knows at once; the others read again within this time,
 * the same second that kept pages (033) and replicas (037) already allow.
 */
export const SITE_SETTINGS_TTL_MS = 1000

let kept: { readAt: number; settings: Promise<SiteSettings> } | null = null
/** The last settings this process read, for when the database cannot answer. */
let lastRead: SiteSettings | null = null

/** The settings a request runs with; `now` (ms) is when it asks. */
export function getSiteSettings(now = Date.now()): Promise<SiteSettings> {
  if (kept && now >= kept.readAt && now - kept.readAt < SITE_SETTINGS_TTL_MS) return kept.settings
  const read = { readAt: now, settings: readSiteSettings() }
  kept = read
  // A failed read (a busy database) is not kept: the next request reads again.
  read.settings.catch(() => {
    if (kept === read) kept = null
  })
  return read.settings
}

async function readSiteSettings() {
  try {
    lastRead = effectiveSiteSettings(await readSavedSiteSettings(), environmentSiteSettings())
    return lastRead
  } catch (error) {
    // A footer line is not worth a failed page: a busy database gets the settings read last.
    if (lastRead) return lastRead
    throw error
  }
}

/** What the admin saved; null where a field was cleared or never set. */
export async function readSavedSiteSettings(executor: Executor = db): Promise<SiteSettingValues> {
  const [row] = await executor
    .select({ publishTime: siteSettings.publishTime, supportContact: siteSettings.supportContact, icpNumber: siteSettings.icpNumber })
    .from(siteSettings)
    .where(eq(siteSettings.id, SETTINGS_ID))
  return row ?? NO_SITE_SETTINGS
}

/** What the site uses where the admin saved nothing: the environment's value, else the built-in one. */
export function siteSettingDefaults(): SiteSettings {
  return effectiveSiteSettings(NO_SITE_SETTINGS, environmentSiteSettings())
}

function environmentSiteSettings(): SiteSettingValues {
  const env = getEnv()
  return { publishTime: env.DAILY_PUBLISH_TIME ?? null, supportContact: env.SUPPORT_CONTACT ?? null, icpNumber: env.ICP_NUMBER ?? null }
}

/**
 * Saves validated settings (null clears one) with an audit entry naming what changed; saving
 * the same values writes nothing. This process answers with them from its next request on.
 */
export async function saveSiteSettings({ values, actorId, now }: { values: SiteSettingValues; actorId: number; now: Date }) {
  const changed = await transaction(async (tx) => {
    const before = await readSavedSiteSettings(tx)
    const keys = (Object.keys(values) as (keyof SiteSettingValues)[]).filter((key) => before[key] !== values[key])
    if (keys.length === 0) return false
    await tx
      .insert(siteSettings)
      .values({ id: SETTINGS_ID, ...values, updatedAt: now })
      .onConflictDoUpdate({ target: siteSettings.id, set: { ...values, updatedAt: now } })
    // The entry says what readers saw before and see now: a setting never saved (or cleared) as the
    // default it falls back to, not as a blank.
    const environment = environmentSiteSettings()
    const pick = (source: SiteSettingValues) => {
      const effective = effectiveSiteSettings(source, environment)
      return Object.fromEntries(keys.map((key) => [key, effective[key]]))
    }
    await recordAudit({ actorId, action: 'site.settings', targetType: 'site', targetId: SETTINGS_ID, detail: { before: pick(before), after: pick(values) } }, tx)
    return true
  })
  kept = null
  return { changed }
}
