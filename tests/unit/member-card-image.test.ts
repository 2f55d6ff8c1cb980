import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { cardTone, isCardExpired, memberCardFace, truncateToWidth, type MemberCardRecord } from '~/domain/member-card'
import { createHmac } from 'node:crypto'
import { getEnv } from '~/utils/env.server'
import { isCurrentShareSignature, memberCardShareToken, memberCardSvg, parseShareToken } from '~/utils/member-card-image.server'

function record(overrides: Partial<MemberCardRecord> = {}): MemberCardRecord {
  return {
    membershipId: 7,
    memberNumber: 1,
    source: 'drop',
    tierName: '铁杆会员',
    tierSlug: 'tiegan',
    rank: 2,
    name: '知音一号',
    validFrom: new Date('2027-01-01T00:00:00+08:00'),
    // validUntil is exclusive: the card shows the last day it covers.
    validUntil: new Date('2028-01-01T00:00:00+08:00'),
    revokedAt: null,
    dropName: '2027 年度会员招募',
    shareVersion: 0,
    ...overrides,
  }
}

/** Every text node of the SVG, as an XML parser reads it back (entities decoded). */
function textsOf(svg: string) {
  expect(XMLValidator.validate(svg)).toBe(true)
  const parser = new XMLParser({ ignoreAttributes: true, isArray: (name) => name === 'text', parseTagValue: false })
  const doc = parser.parse(svg) as { svg: { text: (string | number)[] } }
  return doc.svg.text.map(String)
}

describe('the card face', () => {
  it('shows the member number padded to four digits, the tier, the name and the last day in the site time zone', () => {
    const face = memberCardFace(record({ memberNumber: 42 }), 'Asia/Shanghai')
    expect(face).toMatchObject({
      headline: '第 0042 号',
      numbered: true,
      tierName: '铁杆会员',
      name: '知音一号',
      dropName: '2027 年度会员招募',
      validUntil: '2027年12月31日',
      tone: 'tiegan',
    })
  })

  it('names an unnumbered membership by where it came from', () => {
    expect(memberCardFace(record({ memberNumber: null, source: 'complimentary' }), 'Asia/Shanghai')).toMatchObject({ headline: '赠送会员', numbered: false })
    expect(memberCardFace(record({ memberNumber: null, source: 'demo' }), 'Asia/Shanghai').headline).toBe('体验会员')
  })

  it('gives a tier added later the look of its rank', () => {
    expect(cardTone({ tierSlug: 'qinqing', rank: 1 })).toBe('qinqing')
    expect(cardTone({ tierSlug: 'zhizun', rank: 3 })).toBe('tiegan')
    expect(cardTone({ tierSlug: 'xuesheng', rank: 1 })).toBe('qinqing')
  })

  it('is expired once its time has run out or it was revoked, and not before', () => {
    const card = record()
    expect(isCardExpired(card, new Date(card.validUntil.getTime() - 1))).toBe(false)
    expect(isCardExpired(card, card.validUntil)).toBe(true)
    expect(isCardExpired(record({ revokedAt: new Date('2027-03-01') }), new Date('2027-06-01'))).toBe(true)
  })
})

describe('truncateToWidth', () => {
  it('keeps text that fits and cuts longer text with an ellipsis, counting CJK as wide', () => {
    expect(truncateToWidth('知音', 4)).toBe('知音')
    expect(truncateToWidth('一二三四五六', 4)).toBe('一二三…')
    expect(truncateToWidth('abcdefghij', 4)).toBe('abcde…')
  })

  it('never splits an emoji or a combined character', () => {
    const family = '👨‍👩‍👧'
    const cut = truncateToWidth(`${family}${family}${family}${family}`, 3)
    expect(cut).toBe(`${family}${family}…`)
  })
})

describe('memberCardSvg', () => {
  it('escapes the display name: markup in a name is text in the image, and the SVG stays well-formed', () => {
    const name = '<script>&"\'</script>'
    const svg = memberCardSvg(memberCardFace(record({ name, dropName: 'A & B <招募>' }), 'Asia/Shanghai'))
    expect(svg).not.toContain('<script>')
    expect(svg).toContain('&lt;script&gt;&amp;&quot;&apos;&lt;/script&gt;')
    const texts = textsOf(svg)
    expect(texts).toContain('<script>&"\'</script>')
    expect(texts).toContain('A & B <招募>')
  })

  it('drops characters XML cannot carry', () => {
    const svg = memberCardSvg(memberCardFace(record({ name: 'a\u0000b\u001Bc' }), 'Asia/Shanghai'))
    expect(textsOf(svg)).toContain('abc')
  })

  it('shows the number, tier, drop and validity, and cuts a long name with an ellipsis', () => {
    const svg = memberCardSvg(memberCardFace(record({ name: '很'.repeat(40) }), 'Asia/Shanghai'))
    const texts = textsOf(svg)
    expect(texts).toEqual(expect.arrayContaining(['知音', '铁杆会员', '第 0001 号', '2027 年度会员招募', '有效期至 2027年12月31日']))
    const name = texts.find((text) => text.startsWith('很'))
    expect(name).toMatch(/^很+…$/)
    expect(name!.length).toBeLessThan(20)
  })
})

describe('share tokens', () => {
  const v = (membershipId: number, shareVersion = 0) => ({ membershipId, shareVersion })
  /** Whether a token opens this card at this share version. */
  const opens = (token: string, share: { membershipId: number; shareVersion: number }) => {
    const parsed = parseShareToken(token)
    return parsed !== null && parsed.membershipId === share.membershipId && isCurrentShareSignature(share, parsed.signature)
  }

  it('carry the membership id and a signature that only this server can make', () => {
    const token = memberCardShareToken(v(123))
    expect(token).toMatch(/^123-[A-Za-z0-9_-]{22}$/)
    expect(opens(token, v(123))).toBe(true)
    // Version 0 signs what the first share links signed, so those still open.
    const first = createHmac('sha256', getEnv().SESSION_SECRET).update('member-card:123').digest('base64url').slice(0, 22)
    expect(token).toBe(`123-${first}`)
  })

  it('stop opening once the share version moves on (重置分享链接)', () => {
    const before = memberCardShareToken(v(123, 0))
    const after = memberCardShareToken(v(123, 1))
    expect(after).not.toBe(before)
    expect(opens(before, v(123, 1))).toBe(false)
    expect(opens(after, v(123, 1))).toBe(true)
    expect(opens(after, v(123, 2))).toBe(false)
  })

  it('refuse another membership id with a valid signature, a changed signature, and anything malformed', () => {
    const signature = memberCardShareToken(v(123)).slice('123-'.length)
    expect(opens(`124-${signature}`, v(124))).toBe(false)
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`
    expect(opens(`123-${flipped}`, v(123))).toBe(false)
    expect(parseShareToken(`123-${signature}x`)).toBeNull()
    expect(parseShareToken(`123-${signature}.png`)).toBeNull()
    expect(parseShareToken('123')).toBeNull()
    expect(parseShareToken(`0123-${signature}`)).toBeNull()
  })

  it('are not the same for two memberships', () => {
    expect(memberCardShareToken(v(1)).slice(2)).not.toBe(memberCardShareToken(v(2)).slice(2))
  })
})
