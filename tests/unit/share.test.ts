// Share cards and posters (issue 13, decision 022): the JS-SDK signature against WeChat's own
// worked example, which URLs the site signs, the share tags of a gated daily, and what a poster
// may say.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { jsSdkSignature, signablePageUrl, urlWithoutFragment } from '~/utils/jssdk.server'
import { dailyPosterContent, linkWithReferral, posterSvg, renderPoster, wrapToWidth } from '~/utils/poster.server'
import { contentSecurityPolicy, wechatScriptSources } from '~/utils/csp.server'
import { posterPaths, shareMeta } from '~/utils/share-meta'
import { shareDataFromTags, urlToSign } from '~/utils/wechat-share.client'
import { readQrCode } from '../factories/qr'

// WeChat JS-SDK documentation, appendix 1 (JS-SDK使用权限签名算法), its worked example.
const OFFICIAL = {
  jsapiTicket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
  nonceStr: 'Wm3WZYTPz0wzccnW',
  timestamp: 1414587457,
  url: 'http://mp.weixin.qq.com?params=value',
}

describe('the JS-SDK signature', () => {
  it('is the one in WeChat’s documented example', () => {
    expect(jsSdkSignature(OFFICIAL)).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed')
  })

  it('signs the URL without its #fragment, as WeChat checks it', () => {
    expect(urlWithoutFragment('https://a.example/daily/2026-12-06?x=1#comments')).toBe('https://a.example/daily/2026-12-06?x=1')
    expect(jsSdkSignature({ ...OFFICIAL, url: `${OFFICIAL.url}#section` })).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed')
    expect(jsSdkSignature({ ...OFFICIAL, url: 'http://mp.weixin.qq.com?params=other' })).not.toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed')
  })

  it('is given for pages of the site’s own origin only', () => {
    const site = 'https://zhiyin.example'
    expect(signablePageUrl('https://zhiyin.example/daily/2026-12-06?ref=abc#top', site)).toBe('https://zhiyin.example/daily/2026-12-06?ref=abc')
    expect(signablePageUrl('https://zhiyin.example', site)).toBe('https://zhiyin.example')
    for (const other of [
      'https://evil.example/daily',
      'http://zhiyin.example/daily',
      'https://zhiyin.example:8443/daily',
      'https://zhiyin.example.evil.example/',
      'https://evil.example/@zhiyin.example',
      'javascript:alert(1)//zhiyin.example',
      '/daily/2026-12-06',
      '',
      null,
    ]) {
      expect(signablePageUrl(other, site), String(other)).toBeNull()
    }
  })
})

describe('share tags', () => {
  const gated = { date: '2026-12-06', title: '第一性原理', teaser: '一句公开的导语。', body: '只有铁杆会员才能读到的正文 SECRET-BODY' }

  it('for a gated daily carry its teaser, absolute URLs and a large card — nothing of the body', () => {
    const tags = shareMeta({
      siteUrl: 'https://zhiyin.example',
      path: `/daily/${gated.date}`,
      title: gated.title,
      description: gated.teaser,
      image: posterPaths.daily(gated.date),
      type: 'article',
    })
    const byKey = Object.fromEntries(tags.map((tag) => tag as Record<string, string>).map((tag) => [tag.property ?? tag.name, tag.content]))
    expect(byKey).toMatchObject({
      'og:title': '第一性原理',
      'og:description': '一句公开的导语。',
      'og:url': 'https://zhiyin.example/daily/2026-12-06',
      'og:image': 'https://zhiyin.example/poster/daily/2026-12-06.png',
      'og:type': 'article',
      'twitter:card': 'summary_large_image',
    })
    expect(JSON.stringify(tags)).not.toContain('SECRET-BODY')
  })

  it('keep an absolute image URL as it is', () => {
    const tags = shareMeta({ siteUrl: 'https://zhiyin.example', path: '/', title: 'x', description: 'y', image: 'https://cdn.example/a.png' })
    expect(tags).toContainEqual({ property: 'og:image', content: 'https://cdn.example/a.png' })
  })
})

/** Every text node of the SVG, as an XML parser reads it back. */
function textsOf(svg: string) {
  expect(XMLValidator.validate(svg)).toBe(true)
  const doc = new XMLParser({ ignoreAttributes: true, isArray: (name) => name === 'text', parseTagValue: false }).parse(svg) as { svg: { text: unknown[] } }
  return doc.svg.text.map(String)
}

describe('a daily’s poster', () => {
  const daily = { date: '2026-12-06', title: '第一性原理 & <思考>', teaser: '把问题拆到不能再拆。', body: 'SECRET-BODY 只给会员的正文' }

  it('says the title and the teaser, never the body, with markup escaped', () => {
    const content = dailyPosterContent(daily, { link: 'http://localhost:3000/daily/2026-12-06?ref=abcdefgh', inviter: '知音一号' })
    const svg = posterSvg(content, { hasCover: false })
    const texts = textsOf(svg).join('\n')
    expect(texts).toContain('第一性原理 & <思考>')
    expect(texts).toContain('把问题拆到不能再拆。')
    expect(texts).toContain('知音一号 邀请你一起听')
    expect(svg).not.toContain('SECRET-BODY')
    expect(JSON.stringify(content)).not.toContain('SECRET-BODY')
  })

  it('is a 750×1334 PNG whose QR code opens the daily with the sharer’s code', async () => {
    const link = linkWithReferral('http://localhost:3000/daily/2026-12-06', 'abcdefgh')
    expect(link).toBe('http://localhost:3000/daily/2026-12-06?ref=abcdefgh')
    const png = await renderPoster(dailyPosterContent(daily, { link, inviter: null }), { cover: null })
    await expect(readQrCode(png)).resolves.toEqual({ text: link, width: 750, height: 1334 })
  })

  it('cuts long text to its lines with an ellipsis', () => {
    expect(wrapToWidth('一二三四五六七八九十', 4, 2)).toEqual(['一二三四', '五六七…'])
    expect(wrapToWidth('短', 4, 2)).toEqual(['短'])
  })
})

describe('WeChat’s JS-SDK in the CSP', () => {

  it('is allowed by its exact URL while WeChat is live, whatever the browser (a cached page may reach WeChat)', () => {
    expect(wechatScriptSources({ live: true })).toEqual(['https://res.wx.qq.com/open/js/jweixin-1.6.0.js'])
    expect(wechatScriptSources({ live: false })).toEqual([])
    const policy = contentSecurityPolicy({ scriptSources: ["'nonce-abc'", ...wechatScriptSources({ live: true })], production: true })
    expect(policy).toContain("script-src 'self' 'nonce-abc' https://res.wx.qq.com/open/js/jweixin-1.6.0.js;")
  })
})

describe('the share card handed to WeChat', () => {
  it('comes from the page’s og tags, its link with the reader’s code', () => {
    const tags: Record<string, string> = { 'og:title': '标题', 'og:description': '导语', 'og:url': 'https://z.example/daily/2026-12-06', 'og:image': 'https://z.example/p.png' }
    expect(shareDataFromTags((key) => tags[key] ?? null, 'abcdefgh', { title: 'x', url: 'https://z.example/' })).toEqual({
      title: '标题',
      desc: '导语',
      link: 'https://z.example/daily/2026-12-06?ref=abcdefgh',
      imgUrl: 'https://z.example/p.png',
    })
    expect(shareDataFromTags(() => null, null, { title: '页', url: 'https://z.example/a' }).link).toBe('https://z.example/a')
  })
})

describe('the URL a page is signed for', () => {
  const IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN'
  const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) NetType/WIFI Language/zh_CN'
  const urls = { current: 'https://z.example/shop/p/tea#top', landing: 'https://z.example/daily/2026-12-06?from=timeline' }

  it('is the entry URL on iOS, where WeChat does not see history.pushState, and the current one elsewhere; never with the fragment', () => {
    expect(urlToSign({ ...urls, userAgent: IOS })).toBe('https://z.example/daily/2026-12-06?from=timeline')
    expect(urlToSign({ ...urls, userAgent: ANDROID })).toBe('https://z.example/shop/p/tea')
  })
})
