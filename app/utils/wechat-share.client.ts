// Inside WeChat: sets the page's share card (好友 and 朋友圈) from its og:* tags, the link carrying
// the reader's referral code (docs/decisions/022-share-posters-referral.md). Loads WeChat's JS-SDK
// — the one remote script the CSP allows — or, in WeChat test mode, the site's simulated one.
import { isIosWechat, JSSDK_URL, SIMULATED_JSSDK_PATH } from './share-meta'

interface ShareData {
  title: string
  desc: string
  link: string
  imgUrl: string
}

interface Wx {
  config(options: { debug: boolean; appId: string; timestamp: number; nonceStr: string; signature: string; jsApiList: string[] }): void
  ready(callback: () => void): void
  error(callback: (reason: unknown) => void): void
  updateAppMessageShareData(data: ShareData): void
  updateTimelineShareData(data: Omit<ShareData, 'desc'>): void
}

interface JssdkConfig {
  mode: 'live' | 'test'
  appId: string
  timestamp: number
  nonceStr: string
  signature: string
  refCode: string | null
}

/** The share card of a page from its tags; the link with `?ref=` when the reader has a code. */
export function shareDataFromTags(tag: (property: string) => string | null, refCode: string | null, fallback: { title: string; url: string }): ShareData {
  const link = new URL(tag('og:url') ?? fallback.url)
  if (refCode) link.searchParams.set('ref', refCode)
  return { title: tag('og:title') ?? fallback.title, desc: tag('og:description') ?? '', link: link.toString(), imgUrl: tag('og:image') ?? '' }
}

let sdk: Promise<Wx> | undefined
function loadSdk(src: string) {
  sdk ??= new Promise<Wx>((resolve, reject) => {
    const script = document.createElement('script')
    script.src = src
    script.onload = () => ((window as unknown as { wx?: Wx }).wx ? resolve((window as unknown as { wx: Wx }).wx) : reject(new Error('no wx')))
    script.onerror = () => reject(new Error('JS-SDK did not load'))
    document.head.appendChild(script)
  })
  return sdk
}

/** The URL the reader entered the site by: what WeChat on iOS checks the signature against. */
const landingUrl = typeof window === 'undefined' ? '' : window.location.href.split('#')[0]!

/** The URL `wx.config` must be signed for on this page (WeChat JS-SDK documentation, 常见问题 on single-page apps). */
export function urlToSign({ current, landing, userAgent }: { current: string; landing: string; userAgent: string }) {
  return (isIosWechat(userAgent) ? landing : current).split('#')[0]!
}

/** Signs this page with the server and hands its share card to WeChat. Quiet on any failure: sharing still works, plainly. */
export async function configureWechatShare() {
  const pageUrl = window.location.href.split('#')[0]!
  const signUrl = urlToSign({ current: pageUrl, landing: landingUrl, userAgent: navigator.userAgent })
  const response = await fetch(`/wechat/jssdk-config?${new URLSearchParams({ url: signUrl })}`, { credentials: 'same-origin' })
  if (!response.ok) return
  const config = (await response.json()) as JssdkConfig
  // Test mode talks to no WeChat: the site's simulated SDK takes the same calls.
  const wx = await loadSdk(config.mode === 'live' ? JSSDK_URL : SIMULATED_JSSDK_PATH)
  wx.config({
    debug: false,
    appId: config.appId,
    timestamp: config.timestamp,
    nonceStr: config.nonceStr,
    signature: config.signature,
    jsApiList: ['updateAppMessageShareData', 'updateTimelineShareData'],
  })
  const tag = (property: string) => document.querySelector<HTMLMetaElement>(`meta[property="${property}"]`)?.content || null
  const share = shareDataFromTags(tag, config.refCode, { title: document.title, url: pageUrl })
  wx.ready(() => {
    wx.updateAppMessageShareData(share)
    wx.updateTimelineShareData({ title: share.title, link: share.link, imgUrl: share.imgUrl })
  })
  wx.error(() => {})
}
