// China's 省 / 市 / 区县 (decision 048): the picker's choices, the check that a county belongs to
// the city and the city to the province, and the recognition of a pasted 「姓名 电话 地址」 line.
// Pure: the region data (@vant/area-data, ≈40 KB gzip) is an argument, so the browser loads it
// only when the picker needs it (a dynamic import) and the server binds it in regions.server.ts.
import type { ShippingAddress } from '../../db/schema'
import { ADDRESS_FIELDS, normalizePhone } from './address'

/** The shape of @vant/area-data's areaList: names keyed by 6-digit codes (省 ab0000, 市 abcd00). */
export interface AreaList {
  province_list: Record<string, string>
  city_list: Record<string, string>
  county_list: Record<string, string>
}

interface Region {
  code: string
  name: string
}

const entries = (list: Record<string, string>, prefix = ''): Region[] =>
  Object.entries(list)
    .filter(([code]) => code.startsWith(prefix))
    .map(([code, name]) => ({ code, name }))

const provincesOf = (area: AreaList) => entries(area.province_list)
const citiesOf = (area: AreaList, provinceCode: string) => entries(area.city_list, provinceCode.slice(0, 2))
const countiesOf = (area: AreaList, cityCode: string) => entries(area.county_list, cityCode.slice(0, 4))

export interface RegionChoices {
  provinces: string[]
  /** The cities of the chosen province (none until one is chosen). */
  cities: string[]
  /** The counties of the chosen city. */
  districts: string[]
}

/** What the three selects offer for the names chosen so far. */
export function regionChoices(area: AreaList, chosen: { province?: string; city?: string }): RegionChoices {
  const province = provincesOf(area).find((p) => p.name === chosen.province)
  const city = province ? citiesOf(area, province.code).find((c) => c.name === chosen.city) : undefined
  return {
    provinces: provincesOf(area).map((p) => p.name),
    cities: province ? citiesOf(area, province.code).map((c) => c.name) : [],
    districts: city ? countiesOf(area, city.code).map((c) => c.name) : [],
  }
}

export type RegionCheck = { ok: true; code: string } | { ok: false; field: 'province' | 'city' | 'district' }

/** Whether the three names form a real 省/市/区县 combination; the first field that does not fit, if not. */
export function checkRegion(area: AreaList, names: Pick<ShippingAddress, 'province' | 'city' | 'district'>): RegionCheck {
  const province = provincesOf(area).find((p) => p.name === names.province)
  if (!province) return { ok: false, field: 'province' }
  const city = citiesOf(area, province.code).find((c) => c.name === names.city)
  if (!city) return { ok: false, field: 'city' }
  const county = countiesOf(area, city.code).find((c) => c.name === names.district)
  if (!county) return { ok: false, field: 'district' }
  return { ok: true, code: county.code }
}

// ---- recognising a pasted address --------------------------------------------------------------

/** The names people write for a region: its full name and, where it stays two characters or more, without its suffix. */
function spellings(name: string, suffix: RegExp): string[] {
  const short = name.replace(suffix, '')
  const names = short.length >= 2 && short !== name ? [name, short] : [name]
  // 「恩施土家族苗族自治州」 is written 「恩施州」 or 「恩施」.
  if (name.endsWith('自治州')) names.push(`${name.slice(0, 2)}州`, name.slice(0, 2))
  return names
}

const PROVINCE_SUFFIX = /(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/u
const CITY_SUFFIX = /(?:市|地区|盟)$/u
const COUNTY_SUFFIX = /(?:新区|自治县|区|县|市)$/u

/** The region whose name (or short name) the text spells at `from`, spaces before it skipped; the longest spelling wins. */
function regionAt(text: string, from: number, regions: readonly Region[], suffix: RegExp) {
  const start = from + (/^\s*/u.exec(text.slice(from))?.[0].length ?? 0)
  let best: { region: Region; end: number } | null = null
  for (const region of regions) {
    for (const spelling of spellings(region.name, suffix)) {
      if (text.startsWith(spelling, start) && (!best || start + spelling.length > best.end)) best = { region, end: start + spelling.length }
    }
  }
  return best
}

export interface RecognisedRegion {
  province: string
  city: string
  district: string
  /** Where the region ends in the text (the street follows). */
  end: number
}

/**
 * The 省/市/区县 a text starts with, with or without suffixes: 「浙江省杭州市西湖区」, 「浙江 杭州
 * 西湖区」, a 直辖市 whose city is not written (「北京市朝阳区」), or a city without its province
 * (「杭州市西湖区」). Null when it starts with no province or city.
 */
export function recogniseRegion(area: AreaList, text: string): RecognisedRegion | null {
  const province = regionAt(text, 0, provincesOf(area), PROVINCE_SUFFIX)
  const city = province
    ? regionAt(text, province.end, citiesOf(area, province.region.code), CITY_SUFFIX)
    : regionAt(text, 0, entries(area.city_list), CITY_SUFFIX)
  if (!province && !city) return null
  const provinceCode = province?.region.code ?? city!.region.code.slice(0, 2) + '0000'
  // A 直辖市's city is usually left out: look for the county among all of the province's.
  const county = city
    ? regionAt(text, city.end, countiesOf(area, city.region.code), COUNTY_SUFFIX)
    : regionAt(text, province!.end, entries(area.county_list, provinceCode.slice(0, 2)), COUNTY_SUFFIX)
  const cityCode = city?.region.code ?? (county ? county.region.code.slice(0, 4) + '00' : null)
  return {
    province: area.province_list[provinceCode] ?? '',
    city: cityCode ? (area.city_list[cityCode] ?? '') : '',
    district: county?.region.name ?? '',
    end: county?.end ?? city?.end ?? province!.end,
  }
}

const PHONE = /(?:(?:\+|00)86[\s-]?)?(1[3-9]\d(?:[\s-]?\d){8})(?!\d)/u
const LABELS = /(?:收货人|收件人|联系人|姓名|联系电话|手机号码|手机号|手机|电话|所在地区|详细地址|收货地址|地址)\s*[:：]/gu
const SEPARATORS = /[\s,，;；、|]+/u
// A trailing word that ends like a place (路, 号, 楼 …) belongs to the street, not to a name.
const PLACE_ENDING = /[路街道巷弄号楼栋幢室村镇乡园苑院区座层单元门]$/u

export interface RecognisedAddress extends ShippingAddress {
  /** Whether a region was found (without one the line was not an address). */
  found: boolean
}

/**
 * Reads a pasted line such as 「张三 13800138000 浙江省杭州市西湖区文三路 90 号」 (in any order of
 * name, phone and address, with or without 收货人： / 电话： labels) into the address fields; a
 * field it cannot find is ''.
 */
export function recogniseAddress(area: AreaList, pasted: string): RecognisedAddress {
  const phoneMatch = PHONE.exec(pasted)
  const phone = phoneMatch ? normalizePhone(phoneMatch[1]!) : ''
  const text = (phoneMatch ? pasted.replace(phoneMatch[0], ' ') : pasted).replace(LABELS, ' ')
  const tokens = text.split(SEPARATORS).filter(Boolean)
  for (let i = 0; i < tokens.length; i++) {
    const rest = tokens.slice(i).join(' ')
    const region = recogniseRegion(area, rest)
    if (!region) continue
    let street = rest.slice(region.end).trim()
    let name = tokens.slice(0, i).join(' ')
    if (!name) {
      // 「地址 姓名」: a short last word with no digits that does not end like a place is the name.
      const words = street.split(' ')
      const last = words.at(-1) ?? ''
      if (last.length <= (words.length > 1 ? 6 : 4) && !/\d/u.test(last) && !PLACE_ENDING.test(last)) {
        name = last
        street = words.slice(0, -1).join(' ')
      }
    }
    return { found: true, name, phone, province: region.province, city: region.city, district: region.district, street }
  }
  return { found: false, name: tokens.join(' '), phone, province: '', city: '', district: '', street: '' }
}

/** What recognising a pasted line gave: every field, some, none, or there was nothing pasted. */
export type PasteOutcome = 'filled' | 'partial' | 'nothing' | 'empty'

export function pasteOutcome(found: RecognisedAddress, text: string): PasteOutcome {
  if (!text.trim()) return 'empty'
  if (!found.found && !found.phone) return 'nothing'
  return ADDRESS_FIELDS.every((field) => found[field]) ? 'filled' : 'partial'
}
