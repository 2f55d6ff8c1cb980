// The admin's site settings form (/admin/settings, decision 052). Each field is checked by the
// rule in site-settings.ts; an empty field clears the setting, so the site falls back to the
// environment's value and then to the built-in default.
import { siteSettingsZhCN } from '~/i18n/siteSettings.zh-CN'
import type { FieldErrors, FormResult } from '~/utils/forms'
import { ICP_NUMBER_PATTERN, PUBLISH_TIME_PATTERN, SUPPORT_CONTACT_LENGTH, supportContactProblem, NO_SITE_SETTINGS, type SiteSettingValues } from './site-settings'

const e = siteSettingsZhCN.errors

export const SITE_SETTING_FIELDS = ['publishTime', 'supportContact', 'icpNumber'] as const

const CONTACT_ERRORS = {
  length: e.supportContactLength(SUPPORT_CONTACT_LENGTH.min, SUPPORT_CONTACT_LENGTH.max),
  characters: e.supportContactCharacters,
  email: e.supportContactEmail,
}

export function parseSiteSettingsForm(formData: FormData): FormResult<SiteSettingValues> {
  const values: SiteSettingValues = { ...NO_SITE_SETTINGS }
  for (const field of SITE_SETTING_FIELDS) {
    const value = formData.get(field)
    // Every field is on the form; one missing is not "cleared" but a form this page did not send.
    if (typeof value !== 'string') return { ok: false, errors: { form: e.incomplete } }
    values[field] = value.trim() || null
  }
  const { publishTime, supportContact, icpNumber } = values
  const errors: FieldErrors = {}
  if (publishTime !== null && !PUBLISH_TIME_PATTERN.test(publishTime)) errors.publishTime = e.publishTime
  const contactProblem = supportContact === null ? null : supportContactProblem(supportContact)
  if (contactProblem) errors.supportContact = CONTACT_ERRORS[contactProblem]
  if (icpNumber !== null && !ICP_NUMBER_PATTERN.test(icpNumber)) errors.icpNumber = e.icpNumber
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, data: values }
}
