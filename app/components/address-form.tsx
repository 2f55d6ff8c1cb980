// The shipping address fields (/checkout, /account/addresses; decision 048): 收货人, 手机号, a
// 省/市/区县 picker and 详细地址, with 「粘贴地址」 above them. Without JavaScript they are plain
// selects whose choices the server rendered for the names chosen so far; 「更新城市与区县」 and
// 「识别并填写」 submit the form to the page, which answers with the next choices or the
// recognised fields, and the server checks the combination whatever the browser sent. With
// JavaScript the region data (@vant/area-data) is loaded on first use, in a chunk of its own, and
// the choices and the recognition happen in the page.
import { useCallback, useEffect, useState, type MouseEvent } from 'react'
import { Field, Labelled, TextAreaField } from '~/components/field'
import { Button } from '~/components/ui'
import { ADDRESS_FIELDS, ADDRESS_HELPER_INTENTS, type AddressField, type AddressValues } from '~/domain/address'
import { pasteOutcome, recogniseAddress, regionChoices, type AreaList, type PasteOutcome, type RegionChoices } from '~/domain/regions'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { addressesZhCN } from '~/i18n/addresses.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { orders: ordersZhCN, addresses: addressesZhCN }
const a = t.orders.address
const s = t.addresses

export type { AddressValues } from '~/domain/address'

let areaPromise: Promise<AreaList> | null = null

/** The region data, imported once per page load and only when the picker or 粘贴地址 is used. */
function loadAreaList() {
  areaPromise ??= import('@vant/area-data').then((module) => module.areaList)
  return areaPromise
}

function RegionSelect({
  label,
  name,
  value,
  options,
  error,
  autoComplete,
  onChange,
  onFocus,
}: {
  label: string
  name: AddressField
  value: string
  options: readonly string[]
  error?: string
  autoComplete: string
  onChange: (value: string) => void
  onFocus: () => void
}) {
  // A stored name the data does not know (an address typed before the picker) stays visible and
  // is sent as it is, so the server can say what to change.
  const shown = value && !options.includes(value) ? [value, ...options] : options
  return (
    <Labelled
      label={label}
      error={error}
      control={(p) => (
        <select name={name} autoComplete={autoComplete} value={value} onChange={(e) => onChange(e.target.value)} onFocus={onFocus} {...p}>
          <option value="">{s.picker.choose}</option>
          {shown.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      )}
    />
  )
}

/**
 * 省 / 市 / 区县 as three selects. `choices` are the server's for the initial names; once the data
 * has loaded the page computes them itself, and changing a level clears the levels below it.
 */
function RegionPicker({
  initial,
  choices,
  errors,
  area,
  load,
  hydrated,
}: {
  initial: AddressValues
  choices: RegionChoices
  errors: Partial<Record<string, string>>
  area: AreaList | null
  load: () => void
  hydrated: boolean
}) {
  const [province, setProvince] = useState(initial.province ?? '')
  const [city, setCity] = useState(initial.city ?? '')
  const [district, setDistrict] = useState(initial.district ?? '')
  const shown = area
    ? regionChoices(area, { province, city })
    : {
        provinces: choices.provinces,
        cities: province === initial.province ? choices.cities : [],
        districts: province === initial.province && city === initial.city ? choices.districts : [],
      }
  return (
    <div>
      <div className="grid grid-cols-1 gap-2 min-[400px]:grid-cols-3 sm:gap-4">
        <RegionSelect
          label={a.province}
          name="province"
          autoComplete="address-level1"
          value={province}
          options={shown.provinces}
          error={errors.province}
          onFocus={load}
          onChange={(value) => {
            setProvince(value)
            setCity('')
            setDistrict('')
          }}
        />
        <RegionSelect
          label={a.city}
          name="city"
          autoComplete="address-level2"
          value={city}
          options={shown.cities}
          error={errors.city}
          onFocus={load}
          onChange={(value) => {
            setCity(value)
            setDistrict('')
          }}
        />
        <RegionSelect label={a.district} name="district" autoComplete="address-level3" value={district} options={shown.districts} error={errors.district} onFocus={load} onChange={setDistrict} />
      </div>
      {hydrated ? null : (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <Button type="submit" name="intent" value={ADDRESS_HELPER_INTENTS.regions} variant="secondary" className="py-1.5" formNoValidate>
            {s.picker.refresh}
          </Button>
          <span className="text-xs text-stone-500">{s.picker.refreshHint}</span>
        </div>
      )}
    </div>
  )
}

/**
 * The address fields. `values` are what to show (typed, saved or recognised on the server),
 * `choices` the server's region choices for them, `pasted` the server's outcome of 识别 without
 * JavaScript.
 */
export function AddressFields({
  values,
  choices,
  errors,
  pasted,
}: {
  values: AddressValues
  choices: RegionChoices
  errors: Partial<Record<string, string>>
  pasted?: PasteOutcome | null
}) {
  const [area, setArea] = useState<AreaList | null>(null)
  const load = useCallback(() => {
    void loadAreaList().then(setArea)
  }, [])
  // Recognised in the page: the fields are drawn again (a new key) with the recognised values.
  const [filled, setFilled] = useState<{ values: AddressValues; round: number; outcome: PasteOutcome } | null>(null)
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const shown = filled?.values ?? values
  const round = filled?.round ?? 0
  const outcome = filled?.outcome ?? pasted ?? null

  async function recognise(event: MouseEvent<HTMLButtonElement>) {
    event.preventDefault()
    const form = event.currentTarget.form
    const data = form ? new FormData(form) : new FormData()
    const text = String(data.get('pasted') ?? '')
    const typed = Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, String(data.get(field) ?? '')])) as AddressValues
    if (!text.trim()) {
      setFilled({ values: typed, round: round + 1, outcome: 'empty' })
      return
    }
    const loaded = await loadAreaList()
    setArea(loaded)
    const found = recogniseAddress(loaded, text)
    const merged = Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, found[field] || typed[field] || ''])) as AddressValues
    setFilled({ values: merged, round: round + 1, outcome: pasteOutcome(found, text) })
  }

  return (
    <div className="grid gap-4">
      <div className="rounded-xl border border-dashed border-stone-300 bg-stone-50 p-3">
        <TextAreaField
          label={s.paste.label}
          name="pasted"
          rows={2}
          hint={s.paste.hint}
          placeholder={s.paste.placeholder}
          onFocus={load}
          controlClassName="resize-y text-sm"
        />
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <Button type="submit" name="intent" value={ADDRESS_HELPER_INTENTS.paste} variant="secondary" className="py-1.5" formNoValidate onClick={(event) => void recognise(event)}>
            {s.paste.button}
          </Button>
          <p role="status" className={`text-sm ${outcome === 'filled' ? 'text-emerald-800' : 'text-amber-900'}`}>
            {outcome ? s.paste[outcome] : null}
          </p>
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field key={`name-${round}`} label={a.name} name="name" autoComplete="name" maxLength={40} defaultValue={shown.name ?? ''} error={errors.name} required />
        <Field
          key={`phone-${round}`}
          label={a.phone}
          name="phone"
          type="tel"
          inputMode="numeric"
          autoComplete="tel-national"
          maxLength={20}
          defaultValue={shown.phone ?? ''}
          error={errors.phone}
          hint={a.phoneHint}
          required
        />
      </div>
      <RegionPicker key={`regions-${round}`} initial={shown} choices={choices} errors={errors} area={area} load={load} hydrated={hydrated} />
      <Field
        key={`street-${round}`}
        label={a.street}
        name="street"
        autoComplete="street-address"
        maxLength={200}
        defaultValue={shown.street ?? ''}
        error={errors.street}
        hint={a.streetHint}
        required
      />
    </div>
  )
}
