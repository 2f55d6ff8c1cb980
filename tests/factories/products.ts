// Catalogue input for tests that go through createProduct (the admin's model), as opposed to
// cart.ts, which writes products straight to the database.
import type { ProductInput } from '~/domain/product-forms.server'

let sequence = 0

/** A complete, valid product input: published, open to all, ¥68, nothing special; override the rest. */
export function productInput(overrides: Partial<ProductInput> & Pick<ProductInput, 'categoryId'>): ProductInput {
  const n = ++sequence
  return {
    slug: `item-${n}`,
    title: `商品 ${n}`,
    summary: `一句话 ${n}`,
    description: `详情 ${n}`,
    priceFen: 68_00,
    tierPrices: [],
    minRank: 0,
    gatedVisibility: 'visible',
    saleStartsAt: null,
    saleEndsAt: null,
    limitedEdition: false,
    perMemberLimit: null,
    personalisationLabel: null,
    personalisationMaxLength: null,
    mystery: false,
    published: true,
    ...overrides,
  }
}
