// The region rules of regions.ts bound to the region data, for server code (forms, loaders). The
// browser imports @vant/area-data itself, lazily (app/components/region-picker.tsx).
import { areaList } from '@vant/area-data'
import type { ShippingAddress } from '../../db/schema'
import { checkRegion, recogniseAddress, regionChoices, type AreaList } from './regions'

const area: AreaList = areaList

export const checkShippingRegion = (names: Pick<ShippingAddress, 'province' | 'city' | 'district'>) => checkRegion(area, names)
export const shippingRegionChoices = (chosen: { province?: string; city?: string }) => regionChoices(area, chosen)
export const recognisePastedAddress = (pasted: string) => recogniseAddress(area, pasted)
