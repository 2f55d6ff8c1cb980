import { describe, expect, it } from 'vitest'
import {
  canApplyWindowAction,
  clockOffsetMs,
  countdownParts,
  decideUpgrade,
  dropTierState,
  dropWindow,
  fenToYuan,
  lastValidDate,
  parseLocalDateTime,
  salesChartRange,
  seatKey,
  seatsAvailable,
  secondsToOpen,
  toLocalDateTimeValue,
  upgradeKey,
  waitlistNoticeCount,
  windowsOverlap,
  yuanToFen,
} from '~/domain/drop'
import { parseDropForm, parseOpenDropEditForm } from '~/domain/drop-forms.server'

const TZ = 'Asia/Shanghai'
const opensAt = new Date('2027-08-09T02:00:00.000Z') // 10:00 in Shanghai
const closesAt = new Date('2027-08-09T08:00:00.000Z')
const drop = { opensAt, closesAt }
const at = (ms: number) => new Date(ms)

describe('the drop window is one function of (drop, now)', () => {
  it.each([
    ['a day before opening', opensAt.getTime() - 86_400_000, 'upcoming'],
    ['one millisecond before opening', opensAt.getTime() - 1, 'upcoming'],
    ['the instant it opens', opensAt.getTime(), 'open'],
    ['one millisecond after opening', opensAt.getTime() + 1, 'open'],
    ['one millisecond before closing', closesAt.getTime() - 1, 'open'],
    ['the instant it closes', closesAt.getTime(), 'closed'],
    ['a year later', closesAt.getTime() + 365 * 86_400_000, 'closed'],
  ] as const)('%s → %s', (_label, ms, expected) => {
    expect(dropWindow(drop, at(ms))).toBe(expected)
  })

  it.each([
    ['upcoming', 0, 'upcoming'],
    ['upcoming', 5, 'upcoming'],
    ['open', 0, 'sold_out'],
    ['open', 1, 'open'],
    ['closed', 0, 'closed'],
    ['closed', 5, 'closed'],
  ] as const)('a tier in an %s window with %i seats left shows %s', (window, available, expected) => {
    expect(dropTierState(window, available)).toBe(expected)
  })

  it('seats available are capacity − paid − held, never below zero', () => {
    expect(seatsAvailable({ capacity: 10, sold: 4, held: 3 })).toBe(3)
    expect(seatsAvailable({ capacity: 10, sold: 7, held: 3 })).toBe(0)
    expect(seatsAvailable({ capacity: 10, sold: 10, held: 2 })).toBe(0)
  })
})

describe('the countdown', () => {
  it('counts whole seconds to opening, rounding up, and 0 once open', () => {
    expect(secondsToOpen(drop, at(opensAt.getTime() - 1))).toBe(1)
    expect(secondsToOpen(drop, at(opensAt.getTime() - 1000))).toBe(1)
    expect(secondsToOpen(drop, at(opensAt.getTime() - 1001))).toBe(2)
    expect(secondsToOpen(drop, opensAt)).toBe(0)
    expect(secondsToOpen(drop, closesAt)).toBe(0)
  })

  it('splits seconds into days, hours, minutes and seconds', () => {
    expect(countdownParts(2 * 86_400 + 3 * 3600 + 4 * 60 + 5)).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5 })
    expect(countdownParts(-5)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 })
  })

  it('estimates the server clock offset from the midpoint of the request', () => {
    // The browser is 90 s behind; the request took 200 ms each way.
    expect(clockOffsetMs({ serverNow: 1_000_090_000, sentAt: 999_999_800, receivedAt: 1_000_000_200 })).toBe(90_000)
    expect(clockOffsetMs({ serverNow: 1000, sentAt: 1000, receivedAt: 1000 })).toBe(0)
  })
})

describe('orders of a drop', () => {
  it('one seat key and one upgrade key per user and drop', () => {
    expect(seatKey(7, 42)).toBe('drop:7:seat:42')
    expect(upgradeKey(7, 42)).toBe('drop:7:upgrade:42')
    expect(seatKey(7, 42)).not.toBe(seatKey(8, 42))
  })

  const qinqing = { dropTierId: 1, rank: 1, priceFen: 200_00 }
  const tiegan = { dropTierId: 2, rank: 2, priceFen: 1200_00 }
  it('an upgrade while open costs the difference of the two prices', () => {
    expect(decideUpgrade(drop, qinqing, tiegan, opensAt)).toEqual({ ok: true, priceFen: 1000_00 })
  })
  it('an upgrade needs the drop open and a higher tier', () => {
    expect(decideUpgrade(drop, qinqing, tiegan, at(opensAt.getTime() - 1))).toEqual({ ok: false, reason: 'not_open' })
    expect(decideUpgrade(drop, qinqing, tiegan, closesAt)).toEqual({ ok: false, reason: 'not_open' })
    expect(decideUpgrade(drop, tiegan, qinqing, opensAt)).toEqual({ ok: false, reason: 'not_higher' })
    expect(decideUpgrade(drop, tiegan, tiegan, opensAt)).toEqual({ ok: false, reason: 'not_higher' })
  })
})

describe('waitlist notices', () => {
  it('never promise more seats than are free, counting notices still outstanding', () => {
    expect(waitlistNoticeCount({ available: 3, outstanding: 0, waiting: 10 })).toBe(3)
    expect(waitlistNoticeCount({ available: 3, outstanding: 2, waiting: 10 })).toBe(1)
    expect(waitlistNoticeCount({ available: 3, outstanding: 5, waiting: 10 })).toBe(0)
    expect(waitlistNoticeCount({ available: 3, outstanding: 0, waiting: 1 })).toBe(1)
    expect(waitlistNoticeCount({ available: 0, outstanding: 0, waiting: 4 })).toBe(0)
  })
})

describe('admin edits by window', () => {
  it('open early only when upcoming, close early only when open, extend only later and in the future', () => {
    const before = at(opensAt.getTime() - 1)
    const during = at(opensAt.getTime() + 1)
    const after = closesAt
    expect(canApplyWindowAction('open_now', drop, before)).toBe(true)
    expect(canApplyWindowAction('open_now', drop, during)).toBe(false)
    expect(canApplyWindowAction('close_now', drop, during)).toBe(true)
    expect(canApplyWindowAction('close_now', drop, before)).toBe(false)
    expect(canApplyWindowAction('close_now', drop, after)).toBe(false)
    const later = at(closesAt.getTime() + 3_600_000)
    expect(canApplyWindowAction('extend', drop, during, later)).toBe(true)
    expect(canApplyWindowAction('extend', drop, after, later)).toBe(true)
    expect(canApplyWindowAction('extend', drop, before, later)).toBe(false)
    expect(canApplyWindowAction('extend', drop, during, closesAt)).toBe(false)
    expect(canApplyWindowAction('extend', drop, at(later.getTime() + 1), later)).toBe(false)
  })

  it('windows overlap when each starts before the other ends (touching is fine)', () => {
    expect(windowsOverlap(drop, { opensAt: at(closesAt.getTime() - 1), closesAt: at(closesAt.getTime() + 10) })).toBe(true)
    expect(windowsOverlap(drop, { opensAt: closesAt, closesAt: at(closesAt.getTime() + 10) })).toBe(false)
  })
})

describe('site time and money in forms', () => {
  it('datetime-local values are wall-clock time in the site zone', () => {
    expect(parseLocalDateTime('2027-08-09T10:00', TZ)).toEqual(opensAt)
    expect(toLocalDateTimeValue(opensAt, TZ)).toBe('2027-08-09T10:00')
    expect(parseLocalDateTime('2027-02-30T10:00', TZ)).toBeNull()
    expect(parseLocalDateTime('tomorrow', TZ)).toBeNull()
  })

  it('a membership valid until a date covers that whole day', () => {
    expect(lastValidDate(new Date('2027-12-31T16:00:00.000Z'), TZ)).toBe('2027-12-31')
  })

  it('元 become fen; anything else is refused', () => {
    expect(yuanToFen('200')).toBe(200_00)
    expect(yuanToFen(' 1200.5 ')).toBe(1200_50)
    expect(yuanToFen('99.99')).toBe(99_99)
    expect(yuanToFen('1.234')).toBeNull()
    expect(yuanToFen('-5')).toBeNull()
    expect(yuanToFen('abc')).toBeNull()
    expect(fenToYuan(1200_00)).toBe('1200')
    expect(fenToYuan(99_90)).toBe('99.9')
    expect(fenToYuan(99_99)).toBe('99.99')
  })
})

function form(values: Record<string, string>) {
  const data = new FormData()
  for (const [key, value] of Object.entries(values)) data.set(key, value)
  return data
}

const valid = {
  name: '2027 年度会员招募',
  opensAt: '2027-08-09T10:00',
  closesAt: '2027-08-09T16:00',
  announcement: '',
  offered_2: 'on',
  price_2: '200',
  capacity_2: '5500',
  validUntil_2: '2028-08-08',
  offered_3: 'on',
  price_3: '1200',
  capacity_3: '500',
  validUntil_3: '2028-08-08',
}

describe('the drop form', () => {
  it('reads the window in site time and each offered tier', () => {
    const result = parseDropForm(form(valid), { tierIds: [2, 3], timeZone: TZ })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.data.opensAt).toEqual(opensAt)
    expect(result.data.tiers).toEqual([
      { tierId: 2, priceFen: 200_00, capacity: 5500, validUntil: new Date('2028-08-08T16:00:00.000Z') },
      { tierId: 3, priceFen: 1200_00, capacity: 500, validUntil: new Date('2028-08-08T16:00:00.000Z') },
    ])
  })

  it('leaves out a tier whose checkbox is off', () => {
    const { offered_3: _off, ...rest } = valid
    const result = parseDropForm(form({ ...rest, price_3: 'not checked, not read' }), { tierIds: [2, 3], timeZone: TZ })
    expect(result.ok && result.data.tiers.map((tier) => tier.tierId)).toEqual([2])
  })

  it.each([
    ['closes before it opens', { closesAt: '2027-08-09T09:00' }, 'closesAt', '结束时间必须晚于开启时间'],
    ['closes when it opens', { closesAt: '2027-08-09T10:00' }, 'closesAt', '结束时间必须晚于开启时间'],
    ['no name', { name: '  ' }, 'name', '请填写招募名称'],
    ['a bad date', { opensAt: '2027-13-01T10:00' }, 'opensAt', '请输入有效的日期和时间'],
    ['zero capacity', { capacity_2: '0' }, 'capacity_2', '席位数须为 1 到 1,000,000 之间的整数'],
    ['negative capacity', { capacity_2: '-5' }, 'capacity_2', '席位数须为 1 到 1,000,000 之间的整数'],
    ['fractional capacity', { capacity_3: '1.5' }, 'capacity_3', '席位数须为 1 到 1,000,000 之间的整数'],
    ['zero price', { price_2: '0' }, 'price_2', '请输入大于 0 的价格（元，最多两位小数）'],
    ['negative price', { price_3: '-1200' }, 'price_3', '请输入大于 0 的价格（元，最多两位小数）'],
    ['validity ending before the drop closes', { validUntil_2: '2027-08-08' }, 'validUntil_2', '会员有效期必须晚于招募结束时间'],
    ['no tier offered', { offered_2: 'off', offered_3: 'off' }, 'tiers', '至少选择一个会员等级'],
  ])('refuses %s with a field error', (_label, change, field, message) => {
    const result = parseDropForm(form({ ...valid, ...change }), { tierIds: [2, 3], timeZone: TZ })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors[field]).toBe(message)
  })

  it('once open, reads capacities and parses any price sent along (the model refuses a change)', () => {
    const result = parseOpenDropEditForm(form({ name: '招募', capacity_2: '6000', price_2: '250', capacity_3: '500' }), { tierIds: [2, 3], timeZone: TZ })
    expect(result.ok && result.data.tiers).toEqual([
      { tierId: 2, capacity: 6000, priceFen: 250_00, validUntil: undefined },
      { tierId: 3, capacity: 500, priceFen: undefined, validUntil: undefined },
    ])
    const missing = parseOpenDropEditForm(form({ name: '招募', capacity_2: '6000' }), { tierIds: [2, 3], timeZone: TZ })
    expect(!missing.ok && missing.errors.capacity_3).toBeTruthy()
  })
})

describe('the sales chart range', () => {
  const minute = (n: number) => opensAt.getTime() + n * 60_000
  it('is empty before opening and runs to now while open', () => {
    expect(salesChartRange(drop, at(opensAt.getTime() - 1), null)).toBeNull()
    expect(salesChartRange(drop, at(minute(5) + 30_000), null)).toEqual({ from: minute(0), to: minute(5) })
  })
  it('keeps the latest 240 minutes while open, the first 240 after closing (up to the last sale)', () => {
    const long = { opensAt, closesAt: at(minute(600)) }
    expect(salesChartRange(long, at(minute(300)), null)).toEqual({ from: minute(61), to: minute(300) })
    expect(salesChartRange(long, at(minute(700)), minute(500))).toEqual({ from: minute(0), to: minute(239) })
    expect(salesChartRange(long, at(minute(700)), minute(42))).toEqual({ from: minute(0), to: minute(42) })
  })
})
