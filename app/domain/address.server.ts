// The shipping address form's schema (/checkout). .server: zod schemas are module-level code the
// client bundle cannot drop (decision 028); the limits and field names the form shows are in address.ts.
import { z } from 'zod'
import type { ShippingAddress } from '../../db/schema'
import { ADDRESS_LIMITS, MAINLAND_MOBILE, normalizePhone } from './address'
import { characterCount } from './product'
import { t } from '~/i18n/zh-CN'

const e = t.orders.address.errors

// A newline or control character would break the packing slip and the CSV export.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u

const line = (required: string, max: number, tooLong: string) =>
  z
    .string({ error: required })
    .trim()
    .min(1, required)
    .refine((v) => characterCount(v) <= max, tooLong)
    .refine((v) => !CONTROL.test(v), e.invalidCharacters)

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
