import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { signOut } from '~/utils/auth.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { auth: authZhCN }

// Signing out changes state, so it is a POST (the header's button); a GET just goes home.
export function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  return signOut(request, { kind: 'info', message: t.auth.signedOut })
}
