// The one address line (decision 048): how a saved address reads on /account/addresses, at checkout,
// on orders, the admin's order and the shipping export. A 直辖市's city repeats its province and a
// grouping "city" (重庆's 县, 省直辖县) is no place: both are left out, as on a parcel.
import { areaList } from '@vant/area-data'
import { describe, expect, it } from 'vitest'
import { formatAddressLine } from '~/domain/address'
import { checkRegion } from '~/domain/regions'

const STREET = '建国路 88 号'

describe('an address on one line', () => {
  it.each([
    ['北京市', '北京市', '朝阳区', '北京市朝阳区建国路 88 号'],
    ['上海市', '上海市', '浦东新区', '上海市浦东新区建国路 88 号'],
    ['天津市', '天津市', '和平区', '天津市和平区建国路 88 号'],
    ['重庆市', '重庆市', '渝中区', '重庆市渝中区建国路 88 号'],
    ['重庆市', '县', '城口县', '重庆市城口县建国路 88 号'],
    ['浙江省', '杭州市', '西湖区', '浙江省杭州市西湖区建国路 88 号'],
    ['河南省', '省直辖县', '济源市', '河南省济源市建国路 88 号'],
    ['香港特别行政区', '九龙', '油尖旺区', '香港特别行政区九龙油尖旺区建国路 88 号'],
    ['澳门特别行政区', '澳门半岛', '大堂区', '澳门特别行政区澳门半岛大堂区建国路 88 号'],
  ])('%s %s %s reads 「%s」', (province, city, district, line) => {
    // Each combination is one the picker offers (the region data knows it), not a made-up one.
    expect(checkRegion(areaList, { province, city, district }).ok).toBe(true)
    expect(formatAddressLine({ province, city, district, street: STREET })).toBe(line)
  })

  it('keeps an address typed before the picker as it was written, with nothing doubled', () => {
    expect(formatAddressLine({ province: '北京', city: '北京市', district: '海淀区', street: '中关村' })).toBe('北京海淀区中关村')
    expect(formatAddressLine({ province: '广东省', city: '', district: '', street: '深圳南山' })).toBe('广东省深圳南山')
  })
})
