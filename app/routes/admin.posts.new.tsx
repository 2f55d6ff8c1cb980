import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { DailyEditor } from '~/components/daily-editor'
import { PageTitle } from '~/components/ui'
import { DEFAULT_PUBLISH_TIME, todayIn } from '~/domain/daily'
import { addDays } from '~/domain/time'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { listTiers } from '~/models/membership.server'
import { saveDailyFromForm } from '~/utils/daily-editor.server'
import { getEnv } from '~/utils/env.server'
import { requireRole } from '~/utils/permissions.server'
import { skipReadOnlyActions } from '~/utils/revalidation'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN }

// The editor's markdown preview posts as the editor types: no reload of this loader each time.
export const shouldRevalidate = skipReadOnlyActions

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'editor')
  const tiers = await listTiers()
  // A new daily is usually tomorrow morning's.
  const tomorrow = addDays(todayIn(getEnv().SITE_TIMEZONE, new Date()), 1)!
  return { tiers: tiers.map(({ rank, name }) => ({ rank, name })), date: tomorrow }
}

export async function action({ request }: ActionFunctionArgs) {
  const editor = await requireRole(request, 'editor')
  return saveDailyFromForm({ formData: await request.formData(), editor, dailyId: null })
}

export default function NewDaily() {
  const { tiers, date } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>()?.errors ?? {}
  return (
    <div>
      <PageTitle>{t.daily.editor.newTitle}</PageTitle>
      <DailyEditor
        daily={{ id: null, date, time: DEFAULT_PUBLISH_TIME, title: '', keyword: '', teaser: '', body: '', transcript: '', voicePublic: true, minRank: 0, state: 'draft', audio: null, cover: null }}
        tiers={tiers}
        errors={errors}
      />
    </div>
  )
}
