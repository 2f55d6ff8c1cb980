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

// City names in the region data that only group counties, never written on an envelope: 重庆's 「县」,
// 河南/湖北/海南's 「省直辖县」 (济源市 is 「河南省济源市」), 新疆's 自治区直辖县级行政区划.
const GROUPING_CITIES: ReadonlySet<string> = new Set(['县', '省直辖县', '自治区直辖县级行政区划'])

/**
 * The 省/市/区 names as an address is written: the city is left out where it repeats the province
 * (北京、上海、天津、重庆: 「北京市朝阳区」, not 「北京市北京市朝阳区」; also 「北京」 typed before the picker) or
 * only groups counties.
 */
export function addressRegionNames(address: Pick<ShippingAddress, 'province' | 'city' | 'district'>) {
  const repeats = address.city.replace(/市$/, '') === address.province.replace(/市$/, '')
  const city = repeats || GROUPING_CITIES.has(address.city) ? '' : address.city
  return [address.province, city, address.district].filter(Boolean)
}

/**
 * 「浙江省杭州市西湖区文三路 1 号」, 「北京市朝阳区建国路 88 号」: the address on one line, written as on a
 * parcel (and as 有赞 and Taobao print it), for lists, orders, receipts and the shipping export.
 */
export function formatAddressLine(address: Pick<ShippingAddress, 'province' | 'city' | 'district' | 'street'>) {
  return [...addressRegionNames(address), address.street].join('')
}
