// The shipping fee rule (decision 048) as a table: what an order of goods pays for delivery and
// what a product page says, for a flat fee, a free-over amount, a product's own fee and 包邮 items.
import { describe, expect, it } from 'vitest'
import { NO_SHIPPING_FEE, orderShippingFee, productShippingNote, type ShippingLine } from '~/domain/shipping'

const FLAT_10_FREE_OVER_199 = { flatFeeFen: 1000, freeOverFen: 19900 }
const FLAT_10 = { flatFeeFen: 1000, freeOverFen: null }
const shopRule = (subtotalFen: number): ShippingLine => ({ subtotalFen, productFeeFen: null })
const own = (subtotalFen: number, productFeeFen: number): ShippingLine => ({ subtotalFen, productFeeFen })

describe('what an order of goods pays for delivery', () => {
  it.each([
    ['no rule set: nothing', NO_SHIPPING_FEE, [shopRule(6800)], 0],
    ['a flat fee, once per order whatever the lines', FLAT_10, [shopRule(6800), shopRule(3000)], 1000],
    ['under the free-over amount: the flat fee', FLAT_10_FREE_OVER_199, [shopRule(19899)], 1000],
    ['at the free-over amount: free', FLAT_10_FREE_OVER_199, [shopRule(19900)], 0],
    ['over it across several lines: free', FLAT_10_FREE_OVER_199, [shopRule(10000), shopRule(9900)], 0],
    ['a product with its own higher fee: that fee, once', FLAT_10, [shopRule(6800), own(6800, 2500)], 2500],
    ['a product with its own lower fee alone: its fee', FLAT_10, [own(6800, 500)], 500],
    ['only 包邮 items: free', FLAT_10, [own(6800, 0), own(100, 0)], 0],
    ['a 包邮 item with a flat-fee item: the flat fee', FLAT_10, [own(6800, 0), shopRule(100)], 1000],
    ['a product fee is waived over the free-over amount too', FLAT_10_FREE_OVER_199, [own(30000, 2500)], 0],
    ['no lines: nothing', FLAT_10, [], 0],
  ])('%s', (_case, rule, lines, expected) => {
    expect(orderShippingFee(rule, lines)).toBe(expected)
  })
})

describe('what a product page says about shipping', () => {
  it.each([
    ['the flat fee and the free-over amount', FLAT_10_FREE_OVER_199, null, 6800, { kind: 'fee', feeFen: 1000, freeOverFen: 19900 }],
    ['the flat fee alone', FLAT_10, null, 6800, { kind: 'fee', feeFen: 1000, freeOverFen: null }],
    ['its own fee', FLAT_10_FREE_OVER_199, 2500, 6800, { kind: 'fee', feeFen: 2500, freeOverFen: 19900 }],
    ['包邮 for a 包邮 item', FLAT_10, 0, 6800, { kind: 'free' }],
    ['包邮 when the shop charges nothing', NO_SHIPPING_FEE, null, 6800, { kind: 'free' }],
    ['包邮 when its price alone reaches the free-over amount', FLAT_10_FREE_OVER_199, null, 36800, { kind: 'free' }],
  ] as const)('%s', (_case, rule, productFeeFen, priceFen, expected) => {
    expect(productShippingNote(rule, productFeeFen, priceFen)).toEqual(expected)
  })
})
