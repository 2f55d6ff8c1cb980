import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { AuthCard } from '~/components/auth-layout'
import { buttonClass } from '~/components/ui'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { requireAnonymous } from '~/utils/auth.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { auth: authZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.auth.signupSentTitle} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  return null
}

/** What every sign-up sees, new address or not: only the mail says which it was. */
export default function SignupSent() {
  return (
    <AuthCard title={t.auth.signupSentTitle}>
      <div className="space-y-3 text-stone-700">
        <p>{t.auth.signupSentBody}</p>
        <ul className="list-disc space-y-2 pl-5">
          <li>{t.auth.signupSentNew}</li>
          <li>{t.auth.signupSentExisting}</li>
        </ul>
        <p className="text-sm text-stone-500">{t.auth.signupSentSpam}</p>
      </div>
      <Link to="/login" className={buttonClass('secondary', 'mt-6 w-full')}>
        {t.auth.backToLogin}
      </Link>
    </AuthCard>
  )
}
