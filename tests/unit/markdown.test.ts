import { describe, expect, it } from 'vitest'
import { EXTERNAL_REL, renderMarkdown, type MarkdownPolicy } from '~/utils/markdown.server'

describe('renderMarkdown removes everything that could run', () => {
  it('drops <script> elements with their content', () => {
    const html = renderMarkdown('前言\n\n<script>alert("脚本")</script>\n\n后记', 'staff')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toContain('alert')
    expect(html).toContain('前言')
    expect(html).toContain('后记')
  })

  it('drops javascript: links in markdown and in raw HTML, whatever their case', () => {
    const html = renderMarkdown(
      '[点我](javascript:alert(1)) [再点](JaVaScRiPt:alert(2)) <a href="javascript:alert(3)">三</a> <a href=" javascript:alert(4)">四</a>',
      'member',
    )
    expect(html).not.toMatch(/javascript:/i)
    expect(html).toContain('点我')
  })

  it('drops event-handler attributes such as onerror and onclick', () => {
    const html = renderMarkdown('<img src="https://example.com/a.png" onerror="alert(1)">\n\n<a href="https://example.com" onclick="alert(2)">链接</a>', 'staff')
    expect(html).not.toMatch(/onerror|onclick/i)
    expect(html).not.toContain('alert')
  })

  it('drops <iframe>, <object>, <embed> and <style>', () => {
    const html = renderMarkdown(
      '<iframe src="https://evil.example/"></iframe>\n\n<object data="x.swf"></object><embed src="x.swf">\n\n<style>body{display:none}</style>',
      'member',
    )
    expect(html).not.toMatch(/<iframe|<object|<embed|<style/i)
    expect(html).not.toContain('evil.example')
  })

  it('drops data: and javascript: image sources', () => {
    const html = renderMarkdown('![图](data:image/png;base64,iVBORw0KGgo=)\n\n<img src="data:image/svg+xml;base64,PHN2Zz4=">\n\n![x](javascript:alert(1))', 'staff')
    expect(html).not.toMatch(/data:/i)
    expect(html).not.toMatch(/javascript:/i)
  })
})

describe('renderMarkdown keeps the writing', () => {
  it('renders headings, lists, blockquotes and emphasis', () => {
    const html = renderMarkdown('## 小标题\n\n- 第一条\n- 第二条\n\n1. 步骤一\n2. 步骤二\n\n> 学而时习之\n\n**重点** 和 *强调*', 'staff')
    expect(html).toContain('<h2>小标题</h2>')
    expect(html).toMatch(/<ul>\s*<li>第一条<\/li>\s*<li>第二条<\/li>\s*<\/ul>/)
    expect(html).toMatch(/<ol>\s*<li>步骤一<\/li>\s*<li>步骤二<\/li>\s*<\/ol>/)
    expect(html).toMatch(/<blockquote>\s*<p>学而时习之<\/p>\s*<\/blockquote>/)
    expect(html).toContain('<strong>重点</strong>')
    expect(html).toContain('<em>强调</em>')
  })

  it('opens external links in a new tab with rel noopener, and leaves site links alone', () => {
    const html = renderMarkdown('[古登堡](https://www.gutenberg.org/) 和 [每日](/daily)', 'staff')
    expect(html).toContain('<a href="https://www.gutenberg.org/" rel="nofollow noopener noreferrer ugc" target="_blank">古登堡</a>')
    expect(html).toContain('<a href="/daily">每日</a>')
  })

  it('keeps an editor’s https images (lazy, without a Referer) and mailto links', () => {
    const html = renderMarkdown('![封面](https://example.com/cover.png)\n\n[写信](mailto:hi@example.com)', 'staff')
    expect(html).toContain('<img src="https://example.com/cover.png" alt="封面" loading="lazy" referrerpolicy="no-referrer" />')
    expect(html).toContain('href="mailto:hi@example.com"')
  })
})

const POLICIES: MarkdownPolicy[] = ['staff', 'member', 'email']

/** Every <a …> start tag of the HTML, with its attributes. */
function anchors(html: string) {
  return [...html.matchAll(/<a\b([^>]*)>/g)].map((m) => Object.fromEntries([...m[1]!.matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])))
}

/** Every src of an <img> in the HTML. */
function imageSources(html: string) {
  return [...html.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]!)
}

describe('a link that leaves the site gets exactly our rel, however its address is written (F6)', () => {
  it.each([
    ['a leading space', '<a href=" https://evil.example/" rel="opener" target="_self">x</a>'],
    ['a leading space in markdown', '[x]( https://evil.example/)'],
    ['backslashes', '<a href="https:\\\\evil.example\\x" rel="opener" target="_top">x</a>'],
    ['backslashes, protocol-relative', '<a href="\\\\evil.example/x" rel="opener">x</a>'],
    ['protocol-relative', '<a href="//evil.example/x" target="_self">x</a>'],
    ['mixed case', '<a href="HtTpS://Evil.Example/" rel="opener">x</a>'],
    ['an entity in the scheme', '<a href="&#x68;ttps://evil.example/" rel="opener">x</a>'],
    ['a tab in the scheme', '<a href="ht&#x09;tps://evil.example/" rel="opener">x</a>'],
    ['a newline before it', '<a href="&#10;https://evil.example/" rel="opener" target="x">x</a>'],
    ['its own rel without nofollow', '<a href="https://evil.example/" rel="noopener">x</a>'],
  ])('%s (fails without the fix)', (_name, markdown) => {
    for (const policy of POLICIES) {
      const [link, ...more] = anchors(renderMarkdown(markdown, policy))
      expect(more).toEqual([])
      expect(link).toEqual({ href: expect.stringMatching(/^https?:\/\/evil\.example\//), rel: EXTERNAL_REL, target: '_blank' })
    }
  })

  it('a link to the site, relative or absolute, stays a plain link: relative on the site, absolute in an email', () => {
    const markdown = '[每日](/daily) [商城](http://localhost:3000/shop?x=1) <a href="/account" rel="opener" target="_blank">账户</a>'
    expect(anchors(renderMarkdown(markdown, 'member'))).toEqual([{ href: '/daily' }, { href: '/shop?x=1' }, { href: '/account' }])
    expect(anchors(renderMarkdown(markdown, 'email'))).toEqual([
      { href: 'http://localhost:3000/daily' },
      { href: 'http://localhost:3000/shop?x=1' },
      { href: 'http://localhost:3000/account' },
    ])
  })
})

describe('images in members’ posts come only from /media/ (F7, F8)', () => {
  it.each([
    ['an admin export', '![](/admin/orders/export)'],
    ['a dot segment', '![](/./admin/orders/export)'],
    ['a climb out of /media/', '![](/media/../admin/orders/export)'],
    ['an encoded climb', '![](/media/%2e%2e/admin/orders/export)'],
    ['an encoded climb in upper case', '<img src="/media/%2E%2E/admin/orders/export">'],
    ['a relative path', '<img src="admin/orders/export">'],
    ['a site URL that is not a file', '<img src="http://localhost:3000/admin/orders/export">'],
    ['a query on a media path', '![](/media/abc?next=/admin)'],
    ['a backslash path', '<img src="\\admin\\orders">'],
  ])('%s loads nothing (fails without the fix)', (_name, markdown) => {
    for (const policy of POLICIES) {
      const html = renderMarkdown(markdown, policy)
      expect(imageSources(html)).toEqual([])
      expect(html).not.toContain('admin')
    }
  })

  it.each([
    ['markdown', '![截图](https://img.example/a.png)'],
    ['protocol-relative HTML', '<img src="//img.example/a.png" alt="截图">'],
    ['a tracking pixel', '<img src="https://img.example/a.png" width="1" height="1" alt="截图">'],
  ])('an external image (%s) becomes a link to it (fails without the fix)', (_name, markdown) => {
    const html = renderMarkdown(markdown, 'member')
    expect(imageSources(html)).toEqual([])
    expect(anchors(html)).toEqual([{ href: expect.stringMatching(/^https?:\/\/img\.example\/a\.png$/), rel: EXTERNAL_REL, target: '_blank' }])
    expect(html).toContain('[图片：截图]')
  })

  it('an uploaded file is shown', () => {
    expect(imageSources(renderMarkdown('![图](/media/abcDEF_-1234)', 'member'))).toEqual(['/media/abcDEF_-1234'])
    expect(imageSources(renderMarkdown('![图](http://localhost:3000/media/abcDEF_-1234)', 'staff'))).toEqual(['/media/abcDEF_-1234'])
  })
})

describe('an email loads no image at all (F8)', () => {
  it('external images and tracking pixels become links; an uploaded file becomes an absolute link (fails without the fix)', () => {
    const html = renderMarkdown(
      '![封面](https://img.example/cover.png)\n\n<img src="https://track.example/open.gif?u=42" width="1" height="1">\n\n![图](/media/abcDEF_-1234)',
      'email',
    )
    expect(html).not.toMatch(/<img/i)
    expect(anchors(html)).toEqual([
      { href: 'https://img.example/cover.png', rel: EXTERNAL_REL, target: '_blank' },
      { href: 'https://track.example/open.gif?u=42', rel: EXTERNAL_REL, target: '_blank' },
      { href: 'http://localhost:3000/media/abcDEF_-1234' },
    ])
  })
})
