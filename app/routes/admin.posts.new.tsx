import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { DailyEditor } from '~/components/daily-editor'
import { PageTitle } from '~/components/ui'
import { DailyCalendar } from '~/components/daily-calendar'
import { EDITOR_CALENDAR_DAYS, editorCalendar, todayIn } from '~/domain/daily'
import { addDays } from '~/domain/time'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { listDailiesBetween } from '~/models/daily.server'
import { listTiers } from '~/models/membership.server'
import { getSiteSettings } from '~/models/site-settings.server'
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
  // A new daily is usually for the first free morning from tomorrow on; the calendar shows the
  // coming weeks with what is written and what is missing.
  const tomorrow = addDays(todayIn(getEnv().SITE_TIMEZONE, new Date()), 1)!
  const [tiers, written, settings] = await Promise.all([listTiers(), listDailiesBetween(tomorrow, addDays(tomorrow, EDITOR_CALENDAR_DAYS - 1)!), getSiteSettings()])
  const { calendar, firstFree } = editorCalendar(tomorrow, written)
  // The site's publish time (/admin/settings) is the one proposed.
  return { tiers: tiers.map(({ rank, name }) => ({ rank, name })), date: firstFree ?? tomorrow, time: settings.publishTime, calendar, proposed: firstFree }
}

export async function action({ request }: ActionFunctionArgs) {
  const editor = await requireRole(request, 'editor')
  return saveDailyFromForm({ formData: await request.formData(), editor, dailyId: null })
}

export default function NewDaily() {
  const { tiers, date, time, calendar, proposed } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>()?.errors ?? {}
  return (
    <div className="space-y-6">
      <PageTitle>{t.daily.editor.newTitle}</PageTitle>
      <DailyCalendar days={calendar} proposed={proposed} />
      <DailyEditor
        daily={{ id: null, date, time, title: '', keyword: '', teaser: '', body: '', transcript: '', voicePublic: true, minRank: 0, state: 'draft', audio: null, cover: null }}
        tiers={tiers}
        errors={errors}
      />
    </div>
  )
}
