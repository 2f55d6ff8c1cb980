import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { DailyEditor } from '~/components/daily-editor'
import { Badge, PageTitle } from '~/components/ui'
import { localDate } from '~/domain/time'
import { commentsZhCN } from '~/i18n/comments.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { getDailyById } from '~/models/daily.server'
import { getMedia } from '~/models/media.server'
import { listTiers } from '~/models/membership.server'
import { getSiteSettings } from '~/models/site-settings.server'
import { saveDailyFromForm } from '~/utils/daily-editor.server'
import { getEnv } from '~/utils/env.server'
import { formatClock } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'
import { skipReadOnlyActions } from '~/utils/revalidation'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { comments: commentsZhCN, daily: dailyZhCN }

function dailyId(param: string | undefined) {
  const id = Number(param)
  if (!Number.isInteger(id) || id <= 0) throw new Response(t.daily.errors.notFound, { status: 404 })
  return id
}

// The editor's markdown preview posts as the editor types: no reload of this loader each time.
export const shouldRevalidate = skipReadOnlyActions

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'editor')
  const daily = await getDailyById(dailyId(params.id))
  if (!daily) throw new Response(t.daily.errors.notFound, { status: 404 })
  const [tiers, audio, cover, settings] = await Promise.all([
    listTiers(),
    daily.audioId ? getMedia(daily.audioId) : undefined,
    daily.coverId ? getMedia(daily.coverId) : undefined,
    getSiteSettings(),
  ])
  const timeZone = getEnv().SITE_TIMEZONE
  const time = formatClock(daily.publishAt, timeZone)
  return {
    tiers: tiers.map(({ rank, name }) => ({ rank, name })),
    daily: {
      id: daily.id,
      date: daily.date,
      time: localDate(daily.publishAt, timeZone) === daily.date ? time : settings.publishTime,
      title: daily.title,
      keyword: daily.keyword,
      teaser: daily.teaser,
      transcript: daily.transcript,
      voicePublic: daily.voicePublic,
      body: daily.body,
      minRank: daily.minRank,
      state: daily.state,
      audio: audio ? { id: audio.id, url: `/media/${audio.id}`, durationMs: audio.durationMs } : null,
      cover: cover ? { id: cover.id, url: `/media/${cover.id}` } : null,
    },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const editor = await requireRole(request, 'editor')
  return saveDailyFromForm({ formData: await request.formData(), editor, dailyId: dailyId(params.id) })
}

export default function EditDaily() {
  const { daily, tiers } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>()?.errors ?? {}
  const tone = { draft: 'stone', scheduled: 'amber', published: 'green' } as const
  return (
    <div>
      <PageTitle subtitle={<Badge tone={tone[daily.state]}>{t.daily.editor.states[daily.state]}</Badge>}>{t.daily.editor.editTitle}</PageTitle>
      <p className="mb-4 text-sm">
        <Link to={`/admin/posts/${daily.id}/comments`} className="font-medium text-brand-700 underline">
          {t.comments.admin.linkLabel(daily.date)}
        </Link>
      </p>
      <DailyEditor key={daily.id} daily={daily} tiers={tiers} errors={errors} />
    </div>
  )
}
