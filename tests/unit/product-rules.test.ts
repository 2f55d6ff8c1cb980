// The catalogue's pure rules as tables: price for every viewer, who sees a product, who may buy it
// at the instants its sale window opens and closes, personalisation counted in characters (CJK,
// emoji), stock left, the site-time week of 本周上新, the product editor's parsing, and product
// photos in the media access rule.
import { describe, expect, it } from 'vitest'
import type { Viewer } from '~/domain/access'
import { decideMediaAccess } from '~/domain/media-access'
import type { MembershipPeriod } from '~/domain/membership'
import {
  availableUnits,
  checkPurchase,
  isProductVisible,
  maxOrderQuantity,
  memberPrices,
  personalisationError,
  priceForViewer,
  purchaseBlockMessage,
  saleWindowState,
  secondShelf,
  stockNote,
  stockState,
  weekBounds,
  type ProductRules,
  type PurchaseCheck,
} from '~/domain/product'
import { parseProductForm, parseYuan, tierPriceField, type ProductFormContext } from '~/domain/product-forms.server'

const now = new Date('2027-06-01T04:00:00Z')
const DAY_MS = 24 * 60 * 60 * 1000
const daysFromNow = (days: number) => new Date(now.getTime() + days * DAY_MS)
const period = (tierRank: number, overrides: Partial<MembershipPeriod> = {}): MembershipPeriod => ({
  tierRank,
  validFrom: daysFromNow(-30),
  validUntil: daysFromNow(335),
  revokedAt: null,
  ...overrides,
})

const viewers = {
  visitor: null,
  user: { role: 'user', memberships: [] },
  qinqing: { role: 'user', memberships: [period(1)] },
  tiegan: { role: 'user', memberships: [period(2)] },
  expiredTiegan: { role: 'user', memberships: [period(2, { validFrom: daysFromNow(-400), validUntil: daysFromNow(-35) })] },
  editor: { role: 'editor', memberships: [] },
  admin: { role: 'admin', memberships: [] },
} satisfies Record<string, Viewer>
type Who = keyof typeof viewers

function product(overrides: Partial<ProductRules> = {}): ProductRules {
  return {
    published: true,
    minRank: 0,
    gatedVisibility: 'visible',
    saleStartsAt: null,
    saleEndsAt: null,
    priceFen: 68_00,
    tierPrices: [],
    personalisationLabel: null,
    personalisationMaxLength: null,
    perMemberLimit: null,
    ...overrides,
  }
}

describe('priceForViewer: the lowest of the base price and the prices of tiers the viewer holds', () => {
  const both = product({ tierPrices: [{ tierRank: 2, priceFen: 52_00 }, { tierRank: 1, priceFen: 58_00 }] })
  const tieganOnly = product({ tierPrices: [{ tierRank: 2, priceFen: 52_00 }] })
  const higherThanBase = product({ tierPrices: [{ tierRank: 1, priceFen: 70_00 }] })
  it.each([
    ['visitor', 68_00, 68_00, 68_00],
    ['user', 68_00, 68_00, 68_00],
    ['qinqing', 58_00, 68_00, 68_00],
    ['tiegan', 52_00, 52_00, 68_00],
    ['expiredTiegan', 68_00, 68_00, 68_00],
    ['editor', 68_00, 68_00, 68_00],
  ] as const)('%s pays %i with both member prices, %i with a 铁杆 price only, %i when the member price is higher', (who, a, b, c) => {
    expect(priceForViewer(both, viewers[who], now)).toBe(a)
    expect(priceForViewer(tieganOnly, viewers[who], now)).toBe(b)
    expect(priceForViewer(higherThanBase, viewers[who], now)).toBe(c)
  })

  it('lists only member prices below the base price, lowest rank first', () => {
    expect(memberPrices(product({ tierPrices: [{ tierRank: 2, priceFen: 52_00 }, { tierRank: 1, priceFen: 70_00 }, { tierRank: 1, priceFen: 58_00 }] }))).toEqual([
      { tierRank: 1, priceFen: 58_00 },
      { tierRank: 2, priceFen: 52_00 },
    ])
  })
})

describe('isProductVisible: every product kind × viewer', () => {
  const kinds = {
    public: product(),
    'unpublished': product({ published: false }),
    '铁杆, visible to all': product({ minRank: 2 }),
    '铁杆, hidden below tier': product({ minRank: 2, gatedVisibility: 'hidden' }),
    '亲情, hidden below tier': product({ minRank: 1, gatedVisibility: 'hidden' }),
  }
  const table: Record<keyof typeof kinds, Who[]> = {
    public: ['visitor', 'user', 'qinqing', 'tiegan', 'expiredTiegan', 'editor', 'admin'],
    unpublished: ['editor', 'admin'],
    '铁杆, visible to all': ['visitor', 'user', 'qinqing', 'tiegan', 'expiredTiegan', 'editor', 'admin'],
    '铁杆, hidden below tier': ['tiegan', 'editor', 'admin'],
    '亲情, hidden below tier': ['qinqing', 'tiegan', 'editor', 'admin'],
  }
  it.each(Object.entries(table))('%s is seen by exactly %j', (kind, seers) => {
    const seen = (Object.keys(viewers) as Who[]).filter((who) => isProductVisible(kinds[kind as keyof typeof kinds], viewers[who], now))
    expect(seen).toEqual(seers)
  })
})

describe('checkPurchase', () => {
  const startsAt = new Date('2027-06-02T02:00:00Z')
  const endsAt = new Date('2027-06-09T02:00:00Z')
  const windowed = product({ saleStartsAt: startsAt, saleEndsAt: endsAt })
  const at = (ms: number) => new Date(ms)
  const blocked = (reason: Extract<PurchaseCheck, { allowed: false }>['reason'], extra = {}) => ({ allowed: false, reason, ...extra })

  it.each([
    ['one millisecond before the start', at(startsAt.getTime() - 1), blocked('not_on_sale_yet', { startsAt })],
    ['at the start instant', startsAt, { allowed: true }],
    ['one millisecond before the end', at(endsAt.getTime() - 1), { allowed: true }],
    ['at the end instant', endsAt, blocked('sale_ended')],
    ['after the end', at(endsAt.getTime() + DAY_MS), blocked('sale_ended')],
  ])('%s', (_name, instant, expected) => {
    expect(checkPurchase(windowed, viewers.user, instant)).toEqual(expected)
  })

  it('staff follow the same sale window', () => {
    expect(checkPurchase(windowed, viewers.admin, at(startsAt.getTime() - 1))).toEqual(blocked('not_on_sale_yet', { startsAt }))
    expect(checkPurchase(windowed, viewers.admin, endsAt)).toEqual(blocked('sale_ended'))
  })

  it('an unpublished product cannot be bought, not even by an admin', () => {
    expect(checkPurchase(product({ published: false }), viewers.admin, now)).toEqual(blocked('not_published'))
  })

  it.each([
    ['visitor', blocked('sign_in_required', { requiredRank: 2 })],
    ['user', blocked('membership_required', { requiredRank: 2 })],
    ['qinqing', blocked('higher_tier_required', { requiredRank: 2 })],
    ['expiredTiegan', blocked('membership_expired', { requiredRank: 2 })],
    ['tiegan', { allowed: true }],
    ['editor', { allowed: true }],
  ] as const)('a 铁杆-only product for %s', (who, expected) => {
    expect(checkPurchase(product({ minRank: 2 }), viewers[who], now)).toEqual(expected)
  })

  it('a visitor may buy an ungated product (the cart survives signing in)', () => {
    expect(checkPurchase(product(), null, now)).toEqual({ allowed: true })
  })

  it('names the reason in Chinese, with the tier when given', () => {
    expect(purchaseBlockMessage({ allowed: false, reason: 'higher_tier_required', requiredRank: 2 }, '铁杆会员')).toBe('本商品仅限铁杆会员购买，升级会员即可购买')
    expect(purchaseBlockMessage({ allowed: false, reason: 'membership_required', requiredRank: 1 })).toBe('本商品仅限会员购买')
    expect(purchaseBlockMessage({ allowed: false, reason: 'sale_ended' })).toBe('该商品已停止销售')
  })

  it('the window states: upcoming, on sale (start inclusive), ended (end exclusive)', () => {
    expect(saleWindowState(windowed, at(startsAt.getTime() - 1))).toBe('upcoming')
    expect(saleWindowState(windowed, startsAt)).toBe('on_sale')
    expect(saleWindowState(windowed, endsAt)).toBe('ended')
    expect(saleWindowState(product(), now)).toBe('on_sale')
  })
})

describe('personalisationError counts characters, not bytes or UTF-16 units', () => {
  const engraved = product({ personalisationLabel: '刻字', personalisationMaxLength: 12 })
  it.each([
    ['twelve Chinese characters', '知音十周年纪念永远平安喜', null],
    ['thirteen Chinese characters', '知音十周年纪念永远平安喜乐', '刻字不能超过 12 个字'],
    ['twelve emoji (24 UTF-16 units)', '😀'.repeat(12), null],
    ['thirteen emoji', '😀'.repeat(13), '刻字不能超过 12 个字'],
    ['a rare CJK character outside the BMP, twelve times', '𠀀'.repeat(12), null],
    ['twelve characters with spaces around (trimmed)', `  ${'知'.repeat(12)}  `, null],
    ['empty (personalisation is optional)', '', null],
    ['only spaces', '   ', null],
    ['a newline inside', '知音\n十年', '刻字不能包含换行或控制字符'],
  ])('%s', (_name, text, expected) => {
    expect(personalisationError(engraved, text)).toBe(expected)
  })

  it('a product without personalisation refuses any text', () => {
    expect(personalisationError(product(), '知音')).toBe('该商品不提供个性化定制')
    expect(personalisationError(product(), '')).toBeNull()
  })
})

describe('stock left', () => {
  it.each([
    [{ capacity: null, sold: 40, held: 3 }, null, { kind: 'unlimited' }],
    [{ capacity: 500, sold: 470, held: 10 }, 20, { kind: 'low', left: 20 }],
    [{ capacity: 500, sold: 470, held: 9 }, 21, { kind: 'plenty', left: 21 }],
    [{ capacity: 3, sold: 2, held: 1 }, 0, { kind: 'sold_out', pending: 1 }],
    [{ capacity: 3, sold: 3, held: 0 }, 0, { kind: 'sold_out', pending: 0 }],
    // A held counter running ahead of capacity − sold never promises more than could come back.
    [{ capacity: 3, sold: 2, held: 4 }, 0, { kind: 'sold_out', pending: 1 }],
  ])('%j → %s left', (levels, left, state) => {
    expect(availableUnits(levels)).toBe(left)
    expect(stockState(levels)).toEqual(state)
  })

  it.each([
    [true, { capacity: 500, sold: 450, held: 13 }, { kind: 'edition', size: 500, left: 37, low: false }],
    [true, { capacity: 500, sold: 470, held: 12 }, { kind: 'edition', size: 500, left: 18, low: true }],
    [true, { capacity: 500, sold: 488, held: 12 }, { kind: 'held_out', pending: 12 }],
    [false, { capacity: 50, sold: 38, held: 12 }, { kind: 'held_out', pending: 12 }],
    [true, { capacity: 500, sold: 500, held: 0 }, { kind: 'sold_out' }],
    [false, { capacity: 50, sold: 10, held: 0 }, null],
    [false, { capacity: null, sold: 10, held: 3 }, null],
  ])('the stock line of a product (limited edition %s, %j) is %j', (limitedEdition, levels, note) => {
    expect(stockNote({ limitedEdition }, levels)).toEqual(note)
  })

  it('one order may take up to the per-member limit and never more than is left', () => {
    expect(maxOrderQuantity({ perMemberLimit: 2 }, { capacity: 500, sold: 0, held: 0 })).toBe(2)
    expect(maxOrderQuantity({ perMemberLimit: 5 }, { capacity: 10, sold: 7, held: 0 })).toBe(3)
    expect(maxOrderQuantity({ perMemberLimit: null }, { capacity: null, sold: 0, held: 0 })).toBe(99)
    expect(maxOrderQuantity({ perMemberLimit: 2 }, { capacity: 3, sold: 3, held: 0 })).toBe(0)
  })

  it('what the buyer already holds or bought comes off the per-member limit', () => {
    expect(maxOrderQuantity({ perMemberLimit: 2 }, { capacity: 500, sold: 0, held: 0 }, 1)).toBe(1)
    expect(maxOrderQuantity({ perMemberLimit: 2 }, { capacity: 500, sold: 0, held: 0 }, 2)).toBe(0)
    expect(maxOrderQuantity({ perMemberLimit: 2 }, { capacity: 500, sold: 0, held: 0 }, 5)).toBe(0)
    expect(maxOrderQuantity({ perMemberLimit: null }, { capacity: 500, sold: 0, held: 0 }, 5)).toBe(99)
  })
})

describe('本周上新: the week starts on Monday 00:00 in the site time zone', () => {
  const zone = 'Asia/Shanghai'
  // 2026-11-23 is a Monday.
  const monday = new Date('2026-11-23T00:00:00+08:00')
  it('on Monday at midnight the week is the one starting then', () => {
    expect(weekBounds(monday, zone)).toEqual({ start: monday, end: new Date('2026-11-30T00:00:00+08:00') })
  })

  it('one millisecond earlier (Sunday night) it is the week before', () => {
    expect(weekBounds(new Date(monday.getTime() - 1), zone).start).toEqual(new Date('2026-11-16T00:00:00+08:00'))
  })

  it('Sunday 23:00 in Shanghai is still Monday’s week although it is Sunday 15:00 in UTC', () => {
    expect(weekBounds(new Date('2026-11-29T23:00:00+08:00'), zone).start).toEqual(monday)
  })

  it('Monday 07:00 in Shanghai is already the new week although it is Sunday in UTC', () => {
    expect(weekBounds(new Date('2026-11-23T07:00:00+08:00'), zone).start).toEqual(monday)
  })

  it('follows the zone: the same instant is in different weeks in Shanghai and New York', () => {
    const instant = new Date('2026-11-23T03:00:00Z') // Monday 11:00 Shanghai, Sunday 22:00 New York
    expect(weekBounds(instant, zone).start).toEqual(monday)
    expect(weekBounds(instant, 'America/New_York').start).toEqual(new Date('2026-11-16T00:00:00-05:00'))
  })
})

describe('parseYuan: prices typed in 元 become integer fen', () => {
  it.each([
    ['68', 6800],
    ['68.5', 6850],
    ['68.50', 6850],
    ['0.01', 1],
    ['¥1,200', 120000],
    ['1000000', 100_000_000],
  ])('%j → %i fen', (input, fen) => {
    expect(parseYuan(input)).toEqual({ ok: true, fen })
  })

  it.each([
    ['68.505', '价格最多两位小数（精确到分）'],
    ['-1', '价格不能为负数'],
    ['1000000.01', '价格不能超过 ¥1,000,000'],
    ['abc', '请填写金额，例如 68 或 68.50'],
    ['1e3', '请填写金额，例如 68 或 68.50'],
    ['', '请填写价格'],
  ])('%j is refused: %s', (input, error) => {
    expect(parseYuan(input)).toEqual({ ok: false, error })
  })
})

describe('parseProductForm', () => {
  const context: ProductFormContext = {
    tiers: [
      { id: 1, rank: 0 },
      { id: 2, rank: 1 },
      { id: 3, rank: 2 },
    ],
    categoryIds: [10, 11],
    timeZone: 'Asia/Shanghai',
    mode: { kind: 'create' },
  }
  const valid = {
    slug: 'zhiyin-pen',
    title: '知音钢笔',
    categoryId: '10',
    summary: '一支好笔',
    description: '## 详情',
    price: '268',
    minRank: '0',
    gatedVisibility: 'visible',
    saleStartsAt: '',
    saleEndsAt: '',
    capacity: '',
    perMemberLimit: '',
    personalisationLabel: '',
    personalisationMaxLength: '',
  }
  const parse = (overrides: Record<string, string | undefined> = {}, ctx = context) => {
    const form = new FormData()
    for (const [key, value] of Object.entries({ ...valid, ...overrides })) if (value !== undefined) form.set(key, value)
    return parseProductForm(form, ctx)
  }

  it('reads a complete form: fen, member prices by tier id, site-time window, capacity', () => {
    const result = parse({
      [tierPriceField(1)]: '248',
      [tierPriceField(2)]: '228.5',
      minRank: '2',
      gatedVisibility: 'hidden',
      saleStartsAt: '2027-06-02T10:00',
      saleEndsAt: '2027-06-09T10:00',
      capacity: '500',
      limitedEdition: 'on',
      perMemberLimit: '2',
      personalisationLabel: '刻字',
      personalisationMaxLength: '12',
      published: 'on',
    })
    expect(result).toEqual({
      ok: true,
      data: expect.objectContaining({
        priceFen: 26800,
        tierPrices: [
          { tierId: 2, priceFen: 24800 },
          { tierId: 3, priceFen: 22850 },
        ],
        minRank: 2,
        gatedVisibility: 'hidden',
        saleStartsAt: new Date('2027-06-02T02:00:00Z'),
        saleEndsAt: new Date('2027-06-09T02:00:00Z'),
        capacity: 500,
        limitedEdition: true,
        perMemberLimit: 2,
        personalisationLabel: '刻字',
        personalisationMaxLength: 12,
        mystery: false,
        published: true,
      }),
    })
  })

  it('a public product is always visible (the gated choice only applies with a tier)', () => {
    expect(parse({ gatedVisibility: 'hidden' })).toMatchObject({ ok: true, data: { gatedVisibility: 'visible' } })
  })

  it.each([
    [{ slug: 'Zhiyin Pen' }, 'slug', '网址标识只能包含小写字母、数字和连字符（不能以连字符开头或结尾）'],
    [{ slug: '-pen' }, 'slug', '网址标识只能包含小写字母、数字和连字符（不能以连字符开头或结尾）'],
    [{ title: '  ' }, 'title', '请填写商品名称'],
    [{ categoryId: '99' }, 'categoryId', '请选择分类'],
    [{ price: '68.505' }, 'price', '价格最多两位小数（精确到分）'],
    [{ price: '-5' }, 'price', '价格不能为负数'],
    [{ price: '2000000' }, 'price', '价格不能超过 ¥1,000,000'],
    [{ price: '0' }, 'price', '价格须大于 0'],
    [{ [tierPriceField(1)]: '300' }, tierPriceField(1), '会员价须低于原价'],
    [{ minRank: '7' }, 'minRank', '无效的会员等级'],
    [{ saleStartsAt: '2027-06-09T10:00', saleEndsAt: '2027-06-09T10:00' }, 'saleEndsAt', '停售时间须晚于开售时间'],
    [{ saleStartsAt: '2027-02-30T10:00' }, 'saleStartsAt', '请输入有效的日期'],
    [{ capacity: '1.5' }, 'capacity', '库存总量须为 0 到 1,000,000 之间的整数'],
    [{ capacity: '0' }, 'capacity', '库存总量须为 0 到 1,000,000 之间的整数'],
    [{ limitedEdition: 'on' }, 'capacity', '限量编号的商品需要填写库存总量'],
    [{ perMemberLimit: '0' }, 'perMemberLimit', '每人限购须为 1 到 99 之间的整数'],
    [{ personalisationLabel: '刻字' }, 'personalisationMaxLength', '请填写定制内容最多字数'],
    [{ personalisationLabel: '刻字', personalisationMaxLength: '51' }, 'personalisationMaxLength', '最多字数须为 1 到 50 之间的整数'],
    [{ personalisationMaxLength: '12' }, 'personalisationLabel', '填写了最多字数，请同时填写定制项名称'],
    [{ mystery: 'on', summary: '' }, 'summary', '盲盒需要一句话介绍（顾客只能看到这一句）'],
  ])('%j → %s: %s', (overrides, field, message) => {
    const result = parse(overrides)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.errors[field]).toBe(message)
  })

  it('reports every bad field at once', () => {
    const result = parse({ slug: '', title: '', price: 'abc' })
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(['price', 'slug', 'title'])
  })

  it('editing ignores a capacity field and checks a limited edition against the current capacity', () => {
    expect(parse({ capacity: '7', limitedEdition: 'on' }, { ...context, mode: { kind: 'edit', capacity: null } })).toEqual({
      ok: false,
      errors: { limitedEdition: '限量编号的商品需要填写库存总量' },
    })
    expect(parse({ capacity: '7', limitedEdition: 'on' }, { ...context, mode: { kind: 'edit', capacity: 500 } })).toMatchObject({
      ok: true,
      data: { capacity: 500, limitedEdition: true },
    })
  })
})

describe('product photos in the media access rule', () => {
  const decide = (published: boolean, viewer: Viewer) =>
    decideMediaAccess({ mediaId: 'photo1234567890a', references: [], productImages: [{ published }], viewers: [viewer], staffViewer: viewer, now })

  it('a photo of a published product is public, cached as such', () => {
    expect(decide(true, null)).toEqual({ allowed: true, cache: 'public' })
  })

  it('a photo of an unpublished product is for staff only (404 to anyone else)', () => {
    expect(decide(false, null)).toEqual({ allowed: false, status: 404 })
    expect(decide(false, viewers.tiegan)).toEqual({ allowed: false, status: 404 })
    expect(decide(false, viewers.editor)).toEqual({ allowed: true, cache: 'private' })
  })
})

describe('the second shelf of /shop', () => {
  const items = (...ids: number[]) => ids.map((id) => ({ id }))
  it('is the hottest items not already under 本周上新, up to the count', () => {
    expect(secondShelf({ newThisWeek: items(1, 2), hottest: items(2, 3, 1, 4, 5), newest: items(9), count: 2 })).toEqual({ kind: 'hottest', items: items(3, 4) })
  })
  it('falls back to the newest not already shown when every hot item is new this week', () => {
    expect(secondShelf({ newThisWeek: items(1, 2), hottest: items(2, 1), newest: items(2, 7, 1, 6), count: 8 })).toEqual({ kind: 'newest', items: items(7, 6) })
  })
  it('is empty when there is nothing else to show', () => {
    expect(secondShelf({ newThisWeek: items(1), hottest: [], newest: items(1), count: 8 })).toEqual({ kind: 'newest', items: [] })
  })
})
