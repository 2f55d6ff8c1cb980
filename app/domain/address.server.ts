// The shipping address form's schema (/checkout, /account/addresses). .server: zod schemas are module-level code the
// client bundle cannot drop (decision 028); the limits and field names the form shows are in address.ts.
import { z } from 'zod'
import type { ShippingAddress } from '../../db/schema'
import { ADDRESS_FIELDS, ADDRESS_HELPER_INTENTS, ADDRESS_LIMITS, MAINLAND_MOBILE, normalizePhone, submittedAddressValues, type AddressValues } from './address'
import { characterCount } from './product'
import { pasteOutcome, type PasteOutcome, type RegionChoices } from './regions'
import { checkShippingRegion, recognisePastedAddress, shippingRegionChoices } from './regions.server'
import { t } from '~/i18n/zh-CN'

const e = t.orders.address.errors
const regionErrors = t.addresses.errors

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
})
  // The 省/市/区县 must exist together (a county of that city, a city of that province): the
  // selects may have been left stale by a browser without JavaScript, or the form forged.
  .superRefine((address, ctx) => {
    const region = checkShippingRegion(address)
    if (!region.ok) ctx.addIssue({ code: 'custom', path: [region.field], message: regionErrors[region.field] })
  }) satisfies z.ZodType<ShippingAddress>

/** The address form as a page shows it: the values, the region choices for them and 识别's outcome. */
export interface AddressFormState {
  values: AddressValues
  choices: RegionChoices
  pasted: PasteOutcome | null
}

export function addressFormState(values: AddressValues, pasted: PasteOutcome | null = null): AddressFormState {
  return { values, choices: shippingRegionChoices(values), pasted }
}

/**
 * The answer to the form's helper buttons, which work without JavaScript and save nothing:
 * 「识别并填写」 fills the fields found in the pasted line over what was typed, 「更新城市与区县」
 * offers the choices for the province and city chosen. Null for any other intent.
 */
export function addressHelperAnswer(formData: FormData): AddressFormState | null {
  const typed = submittedAddressValues(formData)
  switch (formData.get('intent')) {
    case ADDRESS_HELPER_INTENTS.paste: {
      const text = String(formData.get('pasted') ?? '')
      const found = recognisePastedAddress(text)
      const values = Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, found[field] || typed[field] || '']))
      return addressFormState(values, pasteOutcome(found, text))
    }
    case ADDRESS_HELPER_INTENTS.regions:
      return addressFormState(typed)
    default:
      return null
  }
}
