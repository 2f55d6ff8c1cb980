// The site's Content-Security-Policy, and how a page's inline scripts get allowed
// (docs/decisions/012-csp-for-cached-pages.md): by the request's nonce, or — for a page a shared
// cache may serve to many readers — by the hashes of the scripts it actually holds.
import { createHash } from 'node:crypto'
import { JSSDK_URL } from './share-meta'

/** The policy, with `scriptSources` (a nonce or hashes) allowed beside the site's own files. */
export function contentSecurityPolicy({ scriptSources, production }: { scriptSources: readonly string[]; production: boolean }) {
  const directives: string[][] = [
    ['default-src', "'self'"],
    ['base-uri', "'self'"],
    ['font-src', "'self'", 'https:', 'data:'],
    ['form-action', "'self'"],
    ['frame-ancestors', "'self'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['object-src', "'none'"],
    ['script-src', "'self'", ...scriptSources],
    ['script-src-attr', "'none'"],
    ['style-src', "'self'", 'https:', "'unsafe-inline'"],
    ['media-src', "'self'", 'blob:'],
  ]
  if (production) directives.push(['upgrade-insecure-requests'])
  return directives.map((directive) => directive.join(' ')).join(';')
}

/**
 * WeChat's JS-SDK (share cards), allowed by its exact URL while WeChat is live, never in test mode
 * (decision 022). The same for every browser: a page a shared cache keeps and later serves to a
 * reader inside WeChat must allow it too, so the policy cannot depend on the User-Agent. Only
 * WeChat's browser ever loads it (wechat-share.client.ts).
 */
export function wechatScriptSources({ live }: { live: boolean }): string[] {
  return live ? [JSSDK_URL] : []
}

export function nonceSource(nonce: string) {
  return `'nonce-${nonce}'`
}

// An inline script runs from its tag to the first `</script`, in the browser as here: the
// serialized data Remix and React inline escape every `<`, so none ends early.
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi

/** The `'sha256-…'` source of each distinct inline script of a rendered page. */
export function inlineScriptHashes(html: string) {
  const hashes = new Set<string>()
  for (const [, attributes = '', text = ''] of html.matchAll(SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes)) continue
    // The browser hashes the text as parsed, with line breaks made \n.
    const parsed = text.replace(/\r\n?/g, '\n')
    hashes.add(`'sha256-${createHash('sha256').update(parsed, 'utf8').digest('base64')}'`)
  }
  return [...hashes]
}
