// The WeChat JS-SDK's page signature (WeChat JS-SDK documentation, appendix 1): what `wx.config`
// needs so a page inside WeChat may set its share card. Signed only for pages of this site
// (docs/decisions/022-share-posters-referral.md).
import { createHash, randomBytes } from 'node:crypto'

/** A page URL as WeChat signs it: everything before the `#`. */
export function urlWithoutFragment(url: string) {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}

/** SHA-1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`, keys in that (ASCII) order, hex. */
export function jsSdkSignature({ jsapiTicket, nonceStr, timestamp, url }: { jsapiTicket: string; nonceStr: string; timestamp: number; url: string }) {
  const plain = `jsapi_ticket=${jsapiTicket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${urlWithoutFragment(url)}`
  return createHash('sha1').update(plain, 'utf8').digest('hex')
}

/**
 * The page URL to sign when it is an http(s) URL of `siteUrl`'s origin, else null: the site signs
 * its own pages only, so nobody can borrow its Official Account for another site's share cards.
 */
export function signablePageUrl(candidate: string | null, siteUrl: string) {
  if (!candidate) return null
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.origin !== new URL(siteUrl).origin) return null
  return urlWithoutFragment(candidate)
}

/** 16 random letters and digits for `nonceStr` (WeChat allows up to 32). */
export function newNonceStr() {
  return randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16)
}
