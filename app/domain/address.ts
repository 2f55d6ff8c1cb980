// The shipping address form (/checkout): a mainland mobile number and the usual 省 / 市 / 区 /
// 详细地址, each required, trimmed, one line and of a sane length. Pure.
import { z } from 'zod'
import type { ShippingAddress } from '../../db/schema'
import { characterCount } from './product'
import { t } from '~/i18n/zh-CN'

const e = t.orders.address.errors

export const ADDRESS_LIMITS = { name: 20, region: 20, street: 100 } as const

/** A mainland China mobile number: 11 digits, 1 then 3–9. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/

// A newline or control character would break the packing slip and the CSV export.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u

/** The address fields, in form order. The race test and the form use exactly these names. */
export const ADDRESS_FIELDS = ['name', 'phone', 'province', 'city', 'district', 'street'] as const satisfies readonly (keyof ShippingAddress)[]

const line = (required: string, max: number, tooLong: string) =>
  z
    .string({ error: required })
    .trim()
    .min(1, required)
    .refine((v) => characterCount(v) <= max, tooLong)
    .refine((v) => !CONTROL.test(v), e.invalidCharacters)

/**
 * What people type: spaces or hyphens in the number ("138 0013 8000"), and a +86 / 0086
 * prefix, are accepted and dropped.
 */
export function normalizePhone(value: string) {
  const digits = value.replace(/[\s\-()]/g, '')
  return digits.replace(/^(?:\+86|0086)(?=1\d{10}$)/, '')
}

export const addressForm = z.object({
  name: line(e.nameRequired, ADDRESS_LIMITS.name, e.nameTooLong(ADDRESS_LIMITS.name)),
  phone: z
    .string({ error: e.phoneRequired })
    .trim()
    .min(1, e.phoneRequired)
    .transform(normalizePhone)
    .pipe(z.string().regex(MAINLAND_MOBILE, e.phoneInvalid)),
  province: line(e.provinceRequired, ADDRESS_LIMITS.region, e.regionTooLong(ADDRESS_LIMITS.region)),
  city: line(e.cityRequired, ADDRESS_LIMITS.region, e.regionTooLong(ADDRESS_LIMITS.region)),
  district: line(e.districtRequired, ADDRESS_LIMITS.region, e.regionTooLong(ADDRESS_LIMITS.region)),
  street: line(e.streetRequired, ADDRESS_LIMITS.street, e.streetTooLong(ADDRESS_LIMITS.street)),
}) satisfies z.ZodType<ShippingAddress>

/** "浙江省 杭州市 西湖区 文三路 1 号" on one line, for lists and receipts. */
export function formatAddressLine(address: Pick<ShippingAddress, 'province' | 'city' | 'district' | 'street'>) {
  return [address.province, address.city, address.district, address.street].filter(Boolean).join(' ')
}
