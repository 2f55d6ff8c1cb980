// The way in with WeChat on /login and /signup (docs/decisions/021-wechat-sign-in.md): a green
// button in WeChat's browser, the QR login on a desktop, a hint to open the page in WeChat when
// only the Official Account is configured, the simulated one in test mode; nothing when off.
import type { WechatSignInChoice } from '~/domain/wechat-auth'
import { t } from '~/i18n/zh-CN'

const WECHAT_BUTTON =
  'flex w-full items-center justify-center gap-2 rounded-lg bg-[#07c160] px-4 py-3 text-base font-semibold text-white shadow-sm transition hover:bg-[#06ad56] focus:outline-none focus:ring-2 focus:ring-[#07c160]/40'

export function WechatSignIn({ choice, redirectTo }: { choice: WechatSignInChoice; redirectTo: string }) {
  if (!choice) return null
  const href = `/auth/wechat${redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ''}`
  const label = choice.kind === 'test' ? t.wechatAuth.signInTest : choice.kind === 'qr' ? t.wechatAuth.signInQr : t.wechatAuth.signInInWechat
  return (
    <div className="mb-6" data-testid="wechat-sign-in">
      {choice.kind === 'open_in_wechat' ? (
        <p className="rounded-lg border border-[#07c160]/40 bg-[#07c160]/5 p-3 text-sm text-stone-700">{t.wechatAuth.openInWechat}</p>
      ) : (
        // A plain link: the answer is a redirect to WeChat (or the test page), a full navigation.
        <a href={href} className={WECHAT_BUTTON}>
          {label}
        </a>
      )}
      <p className="mt-6 flex items-center gap-3 text-xs text-stone-400" aria-hidden="true">
        <span className="h-px flex-1 bg-stone-200" />
        {t.wechatAuth.or}
        <span className="h-px flex-1 bg-stone-200" />
      </p>
    </div>
  )
}
