// /account/notes/export[?course=slug]: the reader's notes and highlights as a markdown file, all
// courses or one (decision 045).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { pagesZhCN } from '~/i18n/core.zh-CN'
import { requireUser } from '~/utils/auth.server'
import { contentDisposition } from '~/utils/csv.server'
import { exportNotesMarkdown } from '~/utils/lesson-notes.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const courseSlug = new URL(request.url).searchParams.get('course') ?? undefined
  const file = await exportNotesMarkdown({ userId: user.id, courseSlug, now: new Date() })
  if (!file) throw new Response(pagesZhCN.notFound.body, { status: 404 })
  return new Response(file.markdown, {
    headers: {
      'Content-Type': 'text/markdown; charset=utf-8',
      'Content-Disposition': contentDisposition(file.fileName),
      'Cache-Control': 'private, no-store',
    },
  })
}
