// 省/市/区县 (decision 048): the checks a submitted address passes (a county of that city, a city of
// that province), the picker's choices, and the recognition of a pasted 「姓名 电话 地址」 line.
import { areaList } from '@vant/area-data'
import { describe, expect, it } from 'vitest'
import { addressForm } from '~/domain/address.server'
import { checkRegion, recogniseAddress, regionChoices } from '~/domain/regions'

const GOOD = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路 90 号' }

describe('a region combination', () => {
  it.each([
    ['浙江省 杭州市 西湖区', { province: '浙江省', city: '杭州市', district: '西湖区' }, { ok: true, code: '330106' }],
    ['a 直辖市: 北京市 北京市 朝阳区', { province: '北京市', city: '北京市', district: '朝阳区' }, { ok: true, code: '110105' }],
    ['a province that does not exist', { province: '浙江', city: '杭州市', district: '西湖区' }, { ok: false, field: 'province' }],
    ['a city of another province', { province: '江苏省', city: '杭州市', district: '西湖区' }, { ok: false, field: 'city' }],
    ['a county of another city', { province: '浙江省', city: '宁波市', district: '西湖区' }, { ok: false, field: 'district' }],
    ['朝阳区 of 长春, not of 北京', { province: '吉林省', city: '长春市', district: '朝阳区' }, { ok: true, code: '220104' }],
  ] as const)('%s', (_case, names, expected) => {
    expect(checkRegion(areaList, names)).toEqual(expected)
  })

  it('the form refuses a combination that does not exist, next to the field that does not fit', () => {
    expect(addressForm.safeParse({ ...GOOD, district: '鼓楼区' }).error?.issues).toEqual([
      expect.objectContaining({ path: ['district'], message: '所选区县不属于该城市，请重新选择' }),
    ])
    expect(addressForm.safeParse({ ...GOOD, province: '江苏省' }).error?.issues).toEqual([
      expect.objectContaining({ path: ['city'], message: '所选城市不属于该省份，请重新选择' }),
    ])
    expect(addressForm.safeParse({ ...GOOD, province: '火星' }).error?.issues).toEqual([expect.objectContaining({ path: ['province'], message: '请选择有效的省份' })])
    expect(addressForm.parse(GOOD)).toEqual(GOOD)
  })

  it('the picker offers the cities of the chosen province and the counties of the chosen city', () => {
    const choices = regionChoices(areaList, { province: '浙江省', city: '杭州市' })
    expect(choices.provinces).toHaveLength(34)
    expect(choices.cities).toContain('宁波市')
    expect(choices.cities).not.toContain('南京市')
    expect(choices.districts).toContain('西湖区')
    expect(regionChoices(areaList, {})).toMatchObject({ cities: [], districts: [] })
  })
})

describe('a pasted address', () => {
  it.each([
    ['name, phone, address', '张三 13800138000 浙江省杭州市西湖区文三路 90 号', { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路 90 号' }],
    [
      'a 直辖市 without its city, the name after the address, a spaced number',
      '北京市朝阳区建国路 88 号 李四 139 1234 5678',
      { name: '李四', phone: '13912345678', province: '北京市', city: '北京市', district: '朝阳区', street: '建国路 88 号' },
    ],
    [
      'labels, +86 and full-width commas',
      '收货人：王五，手机：+86 13700001111，地址：广东省 深圳市 南山区 科技园',
      { name: '王五', phone: '13700001111', province: '广东省', city: '深圳市', district: '南山区', street: '科技园' },
    ],
    [
      'without 省 and 市 suffixes',
      '浙江杭州西湖区文三路90号 张三 13800138000',
      { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路90号' },
    ],
    [
      'a city without its province',
      '赵六 13900001111 杭州市西湖区文三路 1 号',
      { name: '赵六', phone: '13900001111', province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路 1 号' },
    ],
    [
      '上海 without 市, a 新区',
      '上海 浦东新区 世纪大道 100 号 钱七 13800138001',
      { name: '钱七', phone: '13800138001', province: '上海市', city: '上海市', district: '浦东新区', street: '世纪大道 100 号' },
    ],
    [
      'an autonomous prefecture written 恩施州',
      '孙八 13800138002 湖北省恩施州利川市东城街道 8 号',
      { name: '孙八', phone: '13800138002', province: '湖北省', city: '恩施土家族苗族自治州', district: '利川市', street: '东城街道 8 号' },
    ],
  ])('%s', (_case, pasted, expected) => {
    expect(recogniseAddress(areaList, pasted)).toEqual({ found: true, ...expected })
    // What it recognises is an address the form accepts.
    expect(addressForm.safeParse(expected).success).toBe(true)
  })

  it('says so when the line names no region', () => {
    expect(recogniseAddress(areaList, '随便写写 13800138000')).toMatchObject({ found: false, phone: '13800138000', province: '', city: '', district: '' })
  })
})
