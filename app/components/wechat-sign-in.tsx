// The way in with WeChat on /login and /signup (docs/decisions/021-wechat-sign-in.md): a green
// button in WeChat's browser, the QR login on a desktop (WeChat's own page with the Open Platform,
// the site's QR page with only the Official Account), the simulated ones in test mode; nothing when off.
import type { WechatSignInChoice } from '~/domain/wechat-auth'
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'
import { WechatAgreement } from './legal-agreement'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { wechatAuth: wechatAuthZhCN }

const WECHAT_BUTTON =
  'flex w-full items-center justify-center gap-2 rounded-lg bg-[#047a3c] px-4 py-3 text-base font-semibold text-white shadow-sm transition hover:bg-[#03662f] focus:outline-none focus:ring-2 focus:ring-[#047a3c]/40'

export function WechatSignIn({ choice, redirectTo }: { choice: WechatSignInChoice; redirectTo: string }) {
  if (!choice) return null
  const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ''
  const href = choice.kind === 'qr_mp' ? `/auth/wechat/qr${query}` : `/auth/wechat${query}`
  const label = choice.kind === 'test' ? t.wechatAuth.signInTest : choice.kind === 'in_wechat' ? t.wechatAuth.signInInWechat : t.wechatAuth.signInQr
  return (
    <div className="mb-6" data-testid="wechat-sign-in">
      {/* A plain link: the answer is a redirect to WeChat (or a page of ours), a full navigation. */}
      <a href={href} className={WECHAT_BUTTON}>
        {label}
      </a>
      <WechatAgreement />
      {choice.kind === 'test' && choice.scan ? (
        <p className="mt-3 text-center text-sm">
          <a href={`/auth/wechat/qr${query}`} className="text-[#047a3c] underline">
            {t.wechatAuth.scanTest}
          </a>
        </p>
      ) : null}
      <p className="mt-6 flex items-center gap-3 text-xs text-stone-400" aria-hidden="true">
        <span className="h-px flex-1 bg-stone-200" />
        {t.wechatAuth.or}
        <span className="h-px flex-1 bg-stone-200" />
      </p>
    </div>
  )
}
