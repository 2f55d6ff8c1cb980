// Agreeing to 《用户协议》 and 《隐私政策》 (decision 040): the box sign-up requires, and the line
// under the WeChat button, whose first sign-in makes an account as well.
import { legalPath } from '~/domain/legal'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { legalZhCN } from '~/i18n/core.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { auth: authZhCN, legal: legalZhCN }

const LINK = 'font-medium text-brand-700 underline underline-offset-2'

/**
 * 《用户协议》和《隐私政策》, each a link that opens beside the form (which keeps what was typed);
 * a title never breaks across lines, and its book-title marks stay outside the underline.
 */
function DocumentLinks() {
  return (
    <>
      <span className="whitespace-nowrap">
        《
        <a href={legalPath('terms')} target="_blank" rel="noopener" className={LINK}>
          {t.legal.terms}
        </a>
        》
      </span>
      {t.auth.agree.and}
      <span className="whitespace-nowrap">
        《
        <a href={legalPath('privacy')} target="_blank" rel="noopener" className={LINK}>
          {t.legal.privacy}
        </a>
        》
      </span>
    </>
  )
}

/** The sign-up form's required box; its error shows under it. */
export function LegalAgreement({ error }: { error?: string }) {
  return (
    <div>
      <label className="flex items-start gap-2 text-sm leading-relaxed text-stone-700">
        <input
          type="checkbox"
          name="agree"
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'agree-error' : undefined}
          className="mt-1 h-4 w-4 shrink-0 accent-brand-700"
        />
        <span>
          {t.auth.agree.before}
          <DocumentLinks />
        </span>
      </label>
      {error ? (
        <p id="agree-error" role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  )
}

/** Under the WeChat button: continuing with WeChat can make an account, so it is agreeing too. */
export function WechatAgreement() {
  return (
    <p className="mt-2 text-center text-xs leading-relaxed text-stone-600">
      {t.auth.agree.wechat}
      <DocumentLinks />
    </p>
  )
}
