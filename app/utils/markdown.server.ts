// The one way to turn markdown (editors' dailies, members' posts) into HTML: marked renders,
// sanitize-html removes everything that could run (marked itself does not sanitize).
import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

const marked = new Marked({ gfm: true, breaks: true, async: false })

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== 'iframe'),
    'img',
    'del',
    'ins',
    'sup',
    'sub',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    code: ['class'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    // Links leave the site safely.
    a: (tagName, attribs) => {
      const external = /^https?:\/\//i.test(attribs.href ?? '')
      return { tagName, attribs: external ? { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } : attribs }
    },
  },
}
SANITIZE.allowedAttributes = { ...SANITIZE.allowedAttributes, a: ['href', 'title', 'rel', 'target'] }

// The same few dailies are rendered for every reader all morning; rendering is pure, so the
// latest results are kept (a small map in insertion order, oldest dropped first).
const CACHE_SIZE = 64
const rendered = new Map<string, string>()

export function renderMarkdown(markdown: string) {
  const cached = rendered.get(markdown)
  if (cached !== undefined) return cached
  const html = sanitizeHtml(marked.parse(markdown) as string, SANITIZE)
  if (rendered.size >= CACHE_SIZE) rendered.delete(rendered.keys().next().value!)
  rendered.set(markdown, html)
  return html
}
