import type { ActionFunctionArgs } from '@remix-run/node'
import { renderMarkdown } from '~/utils/markdown.server'
import { requireRole } from '~/utils/permissions.server'

export { postOnly as loader } from '~/utils/post-only.server'

// Live preview for the editor: the same renderMarkdown that readers get.
export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, 'editor')
  const body = String((await request.formData()).get('body') ?? '').slice(0, 50_000)
  return Response.json({ html: renderMarkdown(body, 'staff') })
}
