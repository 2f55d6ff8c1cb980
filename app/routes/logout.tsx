import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { t } from '~/i18n/zh-CN'
import { signOut } from '~/utils/auth.server'

// Signing out changes state, so it is a POST (the header's button); a GET just goes home.
export function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  return signOut(request, { kind: 'info', message: t.auth.signedOut })
}
