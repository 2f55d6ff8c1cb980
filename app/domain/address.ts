// The shipping address form (/checkout): a mainland mobile number and the usual 省 / 市 / 区 /
// 详细地址, each required, trimmed, one line and of a sane length. Pure; its zod schema is in
// address.server.ts, out of the browser's script (decision 028).
import type { ShippingAddress } from '../../db/schema'

export const ADDRESS_LIMITS = { name: 20, region: 20, street: 100 } as const

/** Saved addresses per reader: enough for home, work and family; more is a list nobody picks from. */
export const MAX_SAVED_ADDRESSES = 20

/** A mainland China mobile number: 11 digits, 1 then 3–9. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/

/** The address fields, in form order. The race test and the form use exactly these names. */
export const ADDRESS_FIELDS = ['name', 'phone', 'province', 'city', 'district', 'street'] as const satisfies readonly (keyof ShippingAddress)[]

export type AddressField = (typeof ADDRESS_FIELDS)[number]
export type AddressValues = Partial<Record<AddressField, string>>

/** The intents of the address form's two helpers (识别 a pasted line, 更新 the region choices), which save nothing. */
export const ADDRESS_HELPER_INTENTS = { paste: 'paste-address', regions: 'update-regions' } as const

/** The address fields as submitted, for the form to show again. */
export function submittedAddressValues(formData: FormData): AddressValues {
  return Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, String(formData.get(field) ?? '')]))
}

/**
 * What people type: spaces or hyphens in the number ("138 0013 8000"), and a +86 / 0086
 * prefix, are accepted and dropped.
 */
export function normalizePhone(value: string) {
  const digits = value.replace(/[\s\-()]/g, '')
  return digits.replace(/^(?:\+86|0086)(?=1\d{10}$)/, '')
}

/** "浙江省 杭州市 西湖区 文三路 1 号" on one line, for lists and receipts. */
export function formatAddressLine(address: Pick<ShippingAddress, 'province' | 'city' | 'district' | 'street'>) {
  return [address.province, address.city, address.district, address.street].filter(Boolean).join(' ')
}
