import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '~/utils/markdown.server'

describe('renderMarkdown removes everything that could run', () => {
  it('drops <script> elements with their content', () => {
    const html = renderMarkdown('前言\n\n<script>alert("脚本")</script>\n\n后记')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toContain('alert')
    expect(html).toContain('前言')
    expect(html).toContain('后记')
  })

  it('drops javascript: links in markdown and in raw HTML, whatever their case', () => {
    const html = renderMarkdown(
      '[点我](javascript:alert(1)) [再点](JaVaScRiPt:alert(2)) <a href="javascript:alert(3)">三</a> <a href=" javascript:alert(4)">四</a>',
    )
    expect(html).not.toMatch(/javascript:/i)
    expect(html).toContain('点我')
  })

  it('drops event-handler attributes such as onerror and onclick', () => {
    const html = renderMarkdown('<img src="https://example.com/a.png" onerror="alert(1)">\n\n<a href="https://example.com" onclick="alert(2)">链接</a>')
    expect(html).not.toMatch(/onerror|onclick/i)
    expect(html).not.toContain('alert')
  })

  it('drops <iframe>, <object>, <embed> and <style>', () => {
    const html = renderMarkdown(
      '<iframe src="https://evil.example/"></iframe>\n\n<object data="x.swf"></object><embed src="x.swf">\n\n<style>body{display:none}</style>',
    )
    expect(html).not.toMatch(/<iframe|<object|<embed|<style/i)
    expect(html).not.toContain('evil.example')
  })

  it('drops data: and javascript: image sources', () => {
    const html = renderMarkdown('![图](data:image/png;base64,iVBORw0KGgo=)\n\n<img src="data:image/svg+xml;base64,PHN2Zz4=">\n\n![x](javascript:alert(1))')
    expect(html).not.toMatch(/data:/i)
    expect(html).not.toMatch(/javascript:/i)
  })
})

describe('renderMarkdown keeps the writing', () => {
  it('renders headings, lists, blockquotes and emphasis', () => {
    const html = renderMarkdown('## 小标题\n\n- 第一条\n- 第二条\n\n1. 步骤一\n2. 步骤二\n\n> 学而时习之\n\n**重点** 和 *强调*')
    expect(html).toContain('<h2>小标题</h2>')
    expect(html).toMatch(/<ul>\s*<li>第一条<\/li>\s*<li>第二条<\/li>\s*<\/ul>/)
    expect(html).toMatch(/<ol>\s*<li>步骤一<\/li>\s*<li>步骤二<\/li>\s*<\/ol>/)
    expect(html).toMatch(/<blockquote>\s*<p>学而时习之<\/p>\s*<\/blockquote>/)
    expect(html).toContain('<strong>重点</strong>')
    expect(html).toContain('<em>强调</em>')
  })

  it('opens external links in a new tab with rel noopener, and leaves site links alone', () => {
    const html = renderMarkdown('[古登堡](https://www.gutenberg.org/) 和 [每日](/daily)')
    expect(html).toContain('<a href="https://www.gutenberg.org/" rel="noopener noreferrer nofollow" target="_blank">古登堡</a>')
    expect(html).toContain('<a href="/daily">每日</a>')
  })

  it('keeps https images and mailto links', () => {
    const html = renderMarkdown('![封面](https://example.com/cover.png)\n\n[写信](mailto:hi@example.com)')
    expect(html).toContain('<img src="https://example.com/cover.png" alt="封面" />')
    expect(html).toContain('href="mailto:hi@example.com"')
  })
})
