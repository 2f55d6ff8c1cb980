// The one way to turn markdown (editors' dailies, product descriptions, members' posts) into
// HTML: marked renders, sanitize-html removes everything that could run (marked itself does not
// sanitize) and applies the user-content policy of docs/decisions/013-user-content-policy.md to
// every link and image, deciding "external" from the URL as a browser would resolve it.
import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'
import { t } from '~/i18n/zh-CN'
import { getEnv } from './env.server'

/**
 * Who wrote the markdown and where it is shown:
 * - `staff`: dailies and product descriptions on the site — images from /media/ or https.
 * - `member`: members' threads and replies on the site — images from /media/ only; an external
 *   image becomes a link to it.
 * - `email`: anything sent by email — no image is loaded (each becomes a link), links are absolute.
 */
export type MarkdownPolicy = 'staff' | 'member' | 'email'

/** Rel of every link that leaves the site, whatever the writer put there. */
export const EXTERNAL_REL = 'nofollow noopener noreferrer ugc'

// Uploaded files only (media ids are base64url): nothing else on the site can be an image
// source, so `![](/admin/orders/export)` never makes a reader's browser call an admin page.
const MEDIA_PATH = /^\/media\/[A-Za-z0-9_-]+$/

const marked = new Marked({ gfm: true, breaks: true, async: false })

/**
 * The URL a browser would load for an attribute value: sanitize-html has decoded entities;
 * the URL parser trims spaces and control characters, drops tabs and newlines, reads
 * backslashes as slashes, resolves `//host`, dot segments and `%2e%2e`, and lower-cases the
 * scheme. null when it does not parse.
 */
function resolve(value: string | undefined, siteOrigin: string) {
  if (value === undefined) return null
  try {
    return new URL(value, `${siteOrigin}/`)
  } catch {
    return null
  }
}

const isWeb = (url: URL) => url.protocol === 'http:' || url.protocol === 'https:'

function optionsFor(policy: MarkdownPolicy, siteOrigin: string): sanitizeHtml.IOptions {
  // A site URL as written in this medium: relative on the site, absolute in an email.
  const sitePath = (url: URL) => `${policy === 'email' ? siteOrigin : ''}${url.pathname}${url.search}${url.hash}`
  const titled = (attribs: sanitizeHtml.Attributes, title: string | undefined): sanitizeHtml.Attributes => (title ? { ...attribs, title } : attribs)
  const externalLink = (href: string, title?: string): sanitizeHtml.Tag => ({
    tagName: 'a',
    attribs: titled({ href, rel: EXTERNAL_REL, target: '_blank' }, title),
  })
  const linkTo = (internal: boolean, href: string) => (internal ? { tagName: 'a', attribs: { href } } : externalLink(href))
  // An image that is not loaded: its alt text stays, nothing points at the refused address.
  const dropped = (alt: string): sanitizeHtml.Tag => ({ tagName: 'span', attribs: {}, text: alt })

  return {
    allowedTags: [...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== 'iframe'), 'img', 'del', 'ins', 'sup', 'sub'],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'referrerpolicy'],
      code: ['class'],
      th: ['align'],
      td: ['align'],
      ol: ['start'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    transformTags: {
      // Attributes are rebuilt from scratch: rel and target are never the writer's.
      a: (_tag, attribs): sanitizeHtml.Tag => {
        const url = resolve(attribs.href, siteOrigin)
        const title = attribs.title
        if (url?.protocol === 'mailto:') return { tagName: 'a', attribs: titled({ href: url.href }, title) }
        if (!url || !isWeb(url)) return { tagName: 'a', attribs: titled({}, title) }
        if (url.origin === siteOrigin) return { tagName: 'a', attribs: titled({ href: sitePath(url) }, title) }
        return externalLink(url.href, title)
      },
      img: (_tag, attribs) => {
        const alt = attribs.alt ?? ''
        const url = resolve(attribs.src, siteOrigin)
        if (!url || !isWeb(url)) return dropped(alt)
        const internal = url.origin === siteOrigin
        if (internal && !(MEDIA_PATH.test(url.pathname) && !url.search)) return dropped(alt)
        const src = internal ? sitePath(url) : url.href
        // Emails load nothing (no tracking of who opened what); members' posts load only files
        // uploaded here; external images become a link a reader may choose to follow.
        if (policy === 'email' || (policy === 'member' && !internal)) {
          return { ...linkTo(internal, src), text: t.markdown.imageLink(alt) }
        }
        const size = Object.fromEntries(['width', 'height', 'title'].flatMap((name) => (attribs[name] ? [[name, attribs[name]]] : [])))
        return {
          tagName: 'img',
          attribs: { src, alt, ...size, loading: 'lazy', ...(internal ? {} : { referrerpolicy: 'no-referrer' }) },
        }
      },
    },
  }
}

// The same few dailies are rendered for every reader all morning; rendering is pure, so the
// latest results are kept (a small map in insertion order, oldest dropped first).
const CACHE_SIZE = 64
const rendered = new Map<string, string>()
const options = new Map<string, sanitizeHtml.IOptions>()

export function renderMarkdown(markdown: string, policy: MarkdownPolicy) {
  const siteOrigin = new URL(getEnv().SITE_URL).origin
  const key = `${policy}\u0000${siteOrigin}\u0000${markdown}`
  const cached = rendered.get(key)
  if (cached !== undefined) return cached
  const optionsKey = `${policy}\u0000${siteOrigin}`
  let sanitizeOptions = options.get(optionsKey)
  if (!sanitizeOptions) {
    sanitizeOptions = optionsFor(policy, siteOrigin)
    options.set(optionsKey, sanitizeOptions)
  }
  const html = sanitizeHtml(marked.parse(markdown) as string, sanitizeOptions)
  if (rendered.size >= CACHE_SIZE) rendered.delete(rendered.keys().next().value!)
  rendered.set(key, html)
  return html
}
