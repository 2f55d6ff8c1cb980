// The site's settings an admin edits at /admin/settings (docs/decisions/052-site-settings-in-the-database.md):
// when the daily goes out, the footer's 联系客服 and its ICP 备案号. The rules here are the only
// statement of what a valid value is; the environment's initial values are checked by them too.
import { DEFAULT_PUBLISH_TIME } from './daily'

/** A time of day as HH:MM (24 h), as `<input type="time">` sends it. */
export const PUBLISH_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/

/** 京ICP备12345678号-1: one to three characters of the province, the number, an optional site number. */
export const ICP_NUMBER_PATTERN = /^\p{Script=Han}{1,3}ICP备\d{6,10}号(-\d{1,3})?$/u

/** 联系客服 is an email address or a WeChat ID, as readers write to it. */
export const SUPPORT_CONTACT_LENGTH = { min: 3, max: 60 } as const

/** A contact with an @ is linked with mailto:, so it must be a whole address. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u

// Line breaks and other control characters have no place in a footer line.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/u

export type SupportContactProblem = 'length' | 'characters' | 'email'

/** Why a 联系客服 value cannot be shown, or null when it can. */
export function supportContactProblem(contact: string): SupportContactProblem | null {
  const length = [...contact].length
  if (length < SUPPORT_CONTACT_LENGTH.min || length > SUPPORT_CONTACT_LENGTH.max) return 'length'
  if (CONTROL_CHARACTERS.test(contact)) return 'characters'
  if (contact.includes('@') && !EMAIL_PATTERN.test(contact)) return 'email'
  return null
}

/** The settings the site runs with. */
export interface SiteSettings {
  publishTime: string
  supportContact: string | null
  icpNumber: string | null
}

/** What one source holds: null where it says nothing (a cleared field, an unset variable). */
export type SiteSettingValues = { [K in keyof SiteSettings]: string | null }

export const NO_SITE_SETTINGS: SiteSettingValues = { publishTime: null, supportContact: null, icpNumber: null }

const BUILT_IN: SiteSettings = { publishTime: DEFAULT_PUBLISH_TIME, supportContact: null, icpNumber: null }

/**
 * Each setting from the first source that has it: what the admin saved, else the operator's
 * environment (the initial value of a deployment), else the built-in default.
 */
export function effectiveSiteSettings(saved: SiteSettingValues, environment: SiteSettingValues): SiteSettings {
  return {
    publishTime: saved.publishTime ?? environment.publishTime ?? BUILT_IN.publishTime,
    supportContact: saved.supportContact ?? environment.supportContact ?? BUILT_IN.supportContact,
    icpNumber: saved.icpNumber ?? environment.icpNumber ?? BUILT_IN.icpNumber,
  }
}

/** 「每天早上 6:30」: the publish time as readers say it, without the hour's leading zero. */
export function spokenTime(time: string) {
  return time.replace(/^0(?=\d:)/, '')
}
