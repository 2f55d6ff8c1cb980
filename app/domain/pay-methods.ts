// Which ways to pay a browser is offered (issue 14): what mainland readers expect, and what each
// provider allows where. Pure: the pay page's loader decides with it, the tests read it.
//  - Inside WeChat's browser: WeChat Pay only (WeChat blocks Alipay's pages) — JSAPI when the
//    reader's openid under the pay app id is known, otherwise Native's QR code (long-press to pay).
//  - A phone browser: WeChat Pay H5 and Alipay's 手机网站支付.
//  - A desktop: WeChat Pay Native's QR code and Alipay's 电脑网站支付.
// Stripe Checkout (cards) is offered wherever it is configured; the test provider alone in test mode.
import type { PaymentProviderName } from '../../db/schema'

export type PayMethodName = 'test' | 'stripe_checkout' | 'wechat_jsapi' | 'wechat_native' | 'wechat_h5' | 'alipay_wap' | 'alipay_page'

export interface PayMethodChoice {
  method: PayMethodName
  provider: PaymentProviderName
}

export type BrowserKind = 'wechat' | 'phone' | 'desktop'

/** WeChat's browser, a phone's other browsers, or a desktop, from the User-Agent. */
export function browserKind(userAgent: string | null | undefined): BrowserKind {
  const ua = userAgent ?? ''
  if (/MicroMessenger\//i.test(ua)) return 'wechat'
  return /\b(iPhone|iPod|Android.+Mobile|Mobile Safari|HarmonyOS|Windows Phone)\b/i.test(ua) || /\biPad\b/.test(ua) ? 'phone' : 'desktop'
}

export function payMethodsFor({
  providers,
  browser,
  hasWechatPayOpenid,
}: {
  /** The live providers configured, or ['test'] in test mode, [] for none. */
  providers: readonly PaymentProviderName[]
  browser: BrowserKind
  /** The reader's openid under WeChat Pay's app id is known (they signed in with WeChat there). */
  hasWechatPayOpenid: boolean
}): PayMethodChoice[] {
  if (providers.includes('test')) return [{ method: 'test', provider: 'test' }]
  const methods: PayMethodChoice[] = []
  if (providers.includes('wechatpay')) {
    const method = browser === 'wechat' ? (hasWechatPayOpenid ? 'wechat_jsapi' : 'wechat_native') : browser === 'phone' ? 'wechat_h5' : 'wechat_native'
    methods.push({ method, provider: 'wechatpay' })
  }
  if (providers.includes('alipay') && browser !== 'wechat') methods.push({ method: browser === 'phone' ? 'alipay_wap' : 'alipay_page', provider: 'alipay' })
  if (providers.includes('stripe')) methods.push({ method: 'stripe_checkout', provider: 'stripe' })
  return methods
}
