// The cart's pure rules: what quantities and addresses are accepted, how lines add up, why a
// line cannot be bought, and the order timeline's steps.
import { describe, expect, it } from 'vitest'
import { timelineSteps, type OrderMoments } from '~/components/order-timeline'
import type { Viewer } from '~/domain/access'
import { normalizePhone } from '~/domain/address'
import { addressForm } from '~/domain/address.server'
import { addLine, lineProblem, productQtyInCart, removeLine, setLineQty, type SellableProduct } from '~/domain/cart-forms'
import { cartLineForm } from '~/domain/cart-forms.server'

const QTY_ERROR = '数量须为 1 到 99 的整数'

describe('cart quantity', () => {
  it.each([['1'], ['2'], ['99'], [' 7 ']])('accepts %j', (qty) => {
    const result = cartLineForm.safeParse({ productId: '3', qty })
    expect(result.success).toBe(true)
  })

  it.each([['0'], ['-1'], ['1.5'], ['100'], ['1000000000000'], ['1e2'], ['abc'], [''], ['１'], ['0x10']])('refuses %j with one message', (qty) => {
    const result = cartLineForm.safeParse({ productId: '3', qty })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toBe(QTY_ERROR)
  })

  it('refuses a missing quantity', () => {
    expect(cartLineForm.safeParse({ productId: '3' }).error?.issues[0]?.message).toBe(QTY_ERROR)
  })

  it('reads the product id as a positive integer and trims the personalisation', () => {
    expect(cartLineForm.parse({ productId: '12', qty: '2', personalisation: '  知音  ' })).toEqual({ productId: 12, variantId: null, qty: 2, personalisation: '知音' })
    expect(cartLineForm.parse({ productId: '12', variantId: '7', qty: '1' })).toMatchObject({ variantId: 7 })
    expect(cartLineForm.safeParse({ productId: '12', variantId: '-1', qty: '1' }).success).toBe(false)
    expect(cartLineForm.safeParse({ productId: '0', qty: '1' }).success).toBe(false)
    expect(cartLineForm.safeParse({ productId: 'x', qty: '1' }).success).toBe(false)
  })
})

describe('cart lines', () => {
  const pen = { productId: 1, variantId: null, qty: 1, personalisation: '' }

  it('adds the same product and personalisation up, never past 99', () => {
    expect(addLine([pen], { ...pen, qty: 2 })).toEqual([{ ...pen, qty: 3 }])
    expect(addLine([{ ...pen, qty: 98 }], { ...pen, qty: 5 })).toEqual([{ ...pen, qty: 99 }])
  })

  it('keeps different engravings as separate lines, and counts the product across them', () => {
    const lines = addLine([pen], { ...pen, personalisation: '知音' })
    expect(lines).toHaveLength(2)
    expect(productQtyInCart(lines, 1)).toBe(2)
  })

  it('sets and removes one line by product and personalisation', () => {
    const lines = [pen, { ...pen, personalisation: '知音' }]
    expect(setLineQty(lines, { productId: 1, variantId: null, personalisation: '知音' }, 4)).toEqual([pen, { ...pen, personalisation: '知音', qty: 4 }])
    expect(removeLine(lines, { productId: 1, variantId: null, personalisation: '' })).toEqual([{ ...pen, personalisation: '知音' }])
  })
})

describe('why a cart line cannot be bought', () => {
  const now = new Date('2026-12-01T08:00:00Z')
  const memberOf = (tierRank: number): Viewer => ({
    role: 'user',
    memberships: [{ tierRank, validFrom: new Date('2026-01-01'), validUntil: new Date('2027-01-01'), revokedAt: null }],
  })
  const product = (overrides: Partial<SellableProduct> = {}): SellableProduct => ({
    published: true,
    minRank: 0,
    gatedVisibility: 'visible',
    saleStartsAt: null,
    saleEndsAt: null,
    priceFen: 6800,
    tierPrices: [],
    personalisationLabel: '刻字',
    personalisationMaxLength: 12,
    perMemberLimit: 2,
    stock: { capacity: 10, sold: 5, held: 2 },
    options: [],
    variants: [],
    ...overrides,
  })
  const problem = (p: SellableProduct | undefined, { viewer = memberOf(1), qty = 1, personalisation = '' } = {}) =>
    lineProblem({ product: p, viewer, now, personalisation, productQty: qty, tierName: '铁杆会员' })

  it('is fine when published, on sale, within tier, limit and stock', () => {
    expect(problem(product())).toBeNull()
  })

  it.each([
    ['an unknown product', undefined, {}, { kind: 'unavailable', status: 400 }],
    ['an unpublished product', product({ published: false }), {}, { kind: 'unavailable', status: 400 }],
    ['a product hidden below the tier', product({ minRank: 2, gatedVisibility: 'hidden' }), {}, { kind: 'unavailable', status: 400 }],
    ['a 铁杆-only product for a 亲情 member', product({ minRank: 2 }), {}, { kind: 'blocked', status: 403, message: '本商品仅限铁杆会员购买，升级会员即可购买' }],
    ['a gated product for a visitor', product({ minRank: 1 }), { viewer: null }, { kind: 'blocked', status: 403 }],
    ['a sale not open yet', product({ saleStartsAt: new Date('2026-12-02T00:00:00Z') }), {}, { kind: 'blocked', status: 403, message: '该商品还未开售' }],
    ['an engraving over its length', product(), { personalisation: '一二三四五六七八九十一二三' }, { kind: 'personalisation', status: 400, field: 'personalisation' }],
    ['more than the per-member limit', product(), { qty: 3 }, { kind: 'limit', status: 400, message: '每人限购 2 件' }],
    ['more than is left', product({ perMemberLimit: null }), { qty: 4 }, { kind: 'sold_out', status: 409, message: '仅剩 3 件' }],
    ['a sold-out product', product({ stock: { capacity: 5, sold: 5, held: 0 } }), {}, { kind: 'sold_out', status: 409, message: '已售罄' }],
  ] as const)('refuses %s', (_name, p, options, expected) => {
    expect(problem(p, options)).toMatchObject(expected)
  })

  it('lets staff see an unpublished product but not buy it', () => {
    expect(problem(product({ published: false }), { viewer: { role: 'admin', memberships: [] } })).toMatchObject({ kind: 'unavailable' })
  })

  it('has no stock limit for unlimited stock', () => {
    expect(problem(product({ perMemberLimit: null, stock: { capacity: null, sold: 1000, held: 0 } }), { qty: 99 })).toBeNull()
  })
})

describe('shipping address', () => {
  const good = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路 1 号' }

  it('accepts a complete address and trims it', () => {
    expect(addressForm.parse({ ...good, name: ' 张三 ' })).toEqual(good)
  })

  it.each([['138 0013 8000'], ['138-0013-8000'], ['+8613800138000'], ['008613800138000']])('reads %j as a mainland mobile', (phone) => {
    expect(normalizePhone(phone)).toBe('13800138000')
    expect(addressForm.parse({ ...good, phone }).phone).toBe('13800138000')
  })

  it.each([
    ['a short number', { phone: '1380013800' }, 'phone'],
    ['a number starting 12', { phone: '12800138000' }, 'phone'],
    ['a landline', { phone: '02188888888' }, 'phone'],
    ['letters', { phone: '1380013800a' }, 'phone'],
    ['no phone', { phone: '' }, 'phone'],
    ['no name', { name: '  ' }, 'name'],
    ['a name of 21 characters', { name: '张'.repeat(21) }, 'name'],
    ['no province', { province: '' }, 'province'],
    ['no city', { city: '' }, 'city'],
    ['no district', { district: '' }, 'district'],
    ['no street', { street: '' }, 'street'],
    ['a street of 101 characters', { street: '路'.repeat(101) }, 'street'],
    ['a newline in the street', { street: '文三路\n1 号' }, 'street'],
  ])('refuses %s', (_name, change, field) => {
    const result = addressForm.safeParse({ ...good, ...change })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path[0]).toBe(field)
  })

  it('refuses a missing district field', () => {
    const { district: _district, ...rest } = good
    expect(addressForm.safeParse(rest).error?.issues[0]).toMatchObject({ path: ['district'], message: '请填写区县' })
  })
})

describe('order timeline', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 8, minute))
  const base: OrderMoments = {
    kind: 'goods',
    state: 'pending',
    createdAt: at(0),
    paidAt: null,
    shippedAt: null,
    completedAt: null,
    cancelledAt: null,
    expiredAt: null,
    refundRequestedAt: null,
    refundedAt: null,
  }
  const summary = (order: OrderMoments) => timelineSteps(order).map((s) => `${s.step}:${s.status}`)

  it('shows the road ahead while an order is pending', () => {
    expect(summary(base)).toEqual(['pending:current', 'paid:upcoming', 'shipped:upcoming', 'completed:upcoming'])
  })

  it('marks the steps passed when shipped', () => {
    expect(summary({ ...base, state: 'shipped', paidAt: at(2), shippedAt: at(30) })).toEqual([
      'pending:done',
      'paid:done',
      'shipped:current',
      'completed:upcoming',
    ])
  })

  it('ends at 已过期 or 已取消 with nothing ahead', () => {
    expect(summary({ ...base, state: 'expired', expiredAt: at(10) })).toEqual(['pending:done', 'expired:current'])
    expect(summary({ ...base, state: 'cancelled', cancelledAt: at(3) })).toEqual(['pending:done', 'cancelled:current'])
  })

  it('shows a refund after payment in the order it happened', () => {
    expect(summary({ ...base, state: 'refunded', paidAt: at(2), refundRequestedAt: at(20), refundedAt: at(25) })).toEqual([
      'pending:done',
      'paid:done',
      'refunding:done',
      'refunded:current',
    ])
  })

  // A course or a seat ships nothing (decision 051): it opens at payment and a refund takes it back.
  for (const kind of ['course', 'membership'] as const) {
    const virtual: OrderMoments = { ...base, kind }

    it(`a ${kind} order waiting for payment has 已支付 → 已开通 ahead, and no 发货 or 收货`, () => {
      expect(summary(virtual)).toEqual(['pending:current', 'paid:upcoming', 'opened:upcoming'])
    })

    it(`a paid ${kind} order has opened, at its payment, with nothing ahead`, () => {
      const steps = timelineSteps({ ...virtual, state: 'paid', paidAt: at(2) })
      expect(steps.map((s) => `${s.step}:${s.status}`)).toEqual(['pending:done', 'paid:done', 'opened:current'])
      expect(steps[2]!.at).toEqual(at(2))
    })

    it(`a refunded ${kind} order shows 已开通 then the refund, never a shipping step`, () => {
      expect(summary({ ...virtual, state: 'refunded', paidAt: at(2), refundRequestedAt: at(20), refundedAt: at(25) })).toEqual([
        'pending:done',
        'paid:done',
        'opened:done',
        'refunding:done',
        'refunded:current',
      ])
    })

    it(`a ${kind} order that lapsed ends at 已过期`, () => {
      expect(summary({ ...virtual, state: 'expired', expiredAt: at(10) })).toEqual(['pending:done', 'expired:current'])
    })
  }
})
