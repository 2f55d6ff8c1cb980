import type { LoaderFunctionArgs } from '@remix-run/node'
import { isCalendarDate, isDailyLive } from '~/domain/daily'
import { getMedia } from '~/models/media.server'
import { getDailyByDate } from '~/models/daily.server'
import { getUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { dailyPosterContent, linkWithReferral, posterNotFound, posterResponse } from '~/utils/poster.server'
import { referralCodeFor } from '~/models/referral.server'
import { storedPath } from '~/utils/storage.server'

// /poster/daily/<date>.png — a published daily's poster: cover, title, teaser (never the body,
// whoever asks) and a QR code of the daily with the signed-in sharer's ?ref= (decision 022).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = params.file ?? ''
  const date = file.endsWith('.png') ? file.slice(0, -'.png'.length) : ''
  const daily = isCalendarDate(date) ? await getDailyByDate(date) : undefined
  if (!daily || !isDailyLive(daily, new Date())) return posterNotFound()
  const user = await getUser(request)
  const code = user ? await referralCodeFor(user.id) : null
  const link = linkWithReferral(`${getEnv().SITE_URL}/daily/${daily.date}`, code)
  const cover = daily.coverId ? await getMedia(daily.coverId) : undefined
  return posterResponse(request, dailyPosterContent(daily, { link, inviter: user?.displayName ?? null }), {
    cover: cover ? storedPath(cover.path) : null,
    coverKey: cover?.id ?? '',
    personal: user !== null,
  })
}
