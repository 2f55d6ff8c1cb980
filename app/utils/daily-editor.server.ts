// The editor's save action, shared by /admin/posts/new and /admin/posts/:id: validate, save,
// then move the daily to the state the button asked for, with an audit entry.
import { data } from '@remix-run/node'
import type { User } from '../../db/schema'
import { localDateTime } from '~/domain/daily'
import { dailyForm } from '~/domain/daily-forms'
import { t } from '~/i18n/zh-CN'
import { recordAudit } from '~/models/audit.server'
import {
  createDaily,
  getDailyById,
  publishDailyNow,
  scheduleDaily,
  unpublishDaily,
  updateDaily,
  type DailyInput,
} from '~/models/daily.server'
import { getMedia } from '~/models/media.server'
import { listTiers } from '~/models/membership.server'
import { getEnv } from './env.server'
import { redirectWithFlash } from './flash.server'
import { parseForm, type FieldErrors } from './forms'

export type EditorActionData = { errors: FieldErrors }
const fail = (errors: FieldErrors, status = 400) => data<EditorActionData>({ errors }, { status })

export async function saveDailyFromForm({ formData, editor, dailyId }: { formData: FormData; editor: User; dailyId: number | null }) {
  const form = parseForm(dailyForm, formData)
  if (!form.ok) return fail(form.errors)
  const { intent, date, time, title, keyword, teaser, body, transcript, voicePublic, minRank, audioId, coverId } = form.data

  const tiers = await listTiers()
  if (!tiers.some((tier) => tier.rank === minRank)) return fail({ minRank: t.daily.errors.tierInvalid })
  const [audio, cover] = await Promise.all([audioId ? getMedia(audioId) : undefined, coverId ? getMedia(coverId) : undefined])
  if (audioId && audio?.kind !== 'audio') return fail({ audioId: t.daily.errors.mediaUnknown })
  if (coverId && cover?.kind !== 'image') return fail({ coverId: t.daily.errors.mediaUnknown })
  if ((intent === 'schedule' || intent === 'publish') && !audioId) return fail({ audioId: t.daily.errors.audioRequired })
  const publishAt = localDateTime(date, time, getEnv().SITE_TIMEZONE)
  if (!publishAt) return fail({ time: t.daily.errors.timeInvalid })

  const input: DailyInput = {
    date,
    title,
    keyword,
    teaser,
    body,
    transcript,
    voicePublic,
    minRank,
    publishAt,
    audioId: audioId ?? null,
    coverId: coverId ?? null,
  }
  if (dailyId !== null && !(await getDailyById(dailyId))) throw new Response(t.daily.errors.notFound, { status: 404 })
  const saved = dailyId === null ? await createDaily(input, editor.id) : await updateDaily(dailyId, input)
  if (!saved.ok) return fail(saved.errors, 409)
  const daily = saved.daily

  let message: string = t.daily.editor.saved
  if (intent === 'schedule' && daily.state === 'draft') {
    await scheduleDaily(daily.id)
    message = t.daily.editor.scheduled(date, time)
  } else if (intent === 'publish' && daily.state !== 'published') {
    const published = await publishDailyNow(daily.id)
    if (!published.ok) return fail(published.errors, 409)
    message = t.daily.editor.published
  } else if (intent === 'unpublish' && daily.state !== 'draft') {
    await unpublishDaily(daily.id)
    message = t.daily.editor.unpublished
  }
  if (intent !== 'save') {
    await recordAudit({ actorId: editor.id, action: `daily.${intent}`, targetType: 'daily', targetId: daily.id, detail: { date } })
  }
  return redirectWithFlash(`/admin/posts/${daily.id}`, { kind: 'success', message })
}
