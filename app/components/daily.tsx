import { Form, Link, useFetcher } from '@remix-run/react'
import { DailyPlayer, type PlayerTrack } from '~/components/player'
import { Badge, buttonClass } from '~/components/ui'
import type { Access } from '~/domain/access'
import type { DailyView } from '~/domain/daily'
import { KEYWORD_REPLY_MAX_LENGTH, type CheckinStats } from '~/domain/keyword'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { useRootData } from '~/root'
import { formatArticleDate } from '~/utils/format'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN, shop: shopZhCN }

export function TierBadge({ tierName }: { tierName: string | null }) {
  return tierName ? <Badge tone="brand">{t.daily.tierBadge(tierName)}</Badge> : <Badge>{t.daily.publicBadge}</Badge>
}

/** A daily's voice: the shared player (app/components/player.tsx), the native control without JS. */
export function AudioPlayer({ url, durationMs, track }: { url: string; durationMs: number | null; track: Omit<PlayerTrack, 'url' | 'durationMs'> }) {
  return <DailyPlayer {...track} url={url} durationMs={durationMs} />
}

/** What a blocked reader sees in place of the body: the reason and the way in. */
export function BlockedNotice({
  access,
  tierName,
  redirectTo,
  afterKeyword = false,
}: {
  access: Access
  tierName: string | null
  redirectTo: string
  /** The reader gave the right keyword: say so, then why the article stays closed. */
  afterKeyword?: boolean
}) {
  if (access.granted) return null
  const tier = tierName ?? ''
  const message = `${afterKeyword ? t.daily.keywordAccepted : ''}${t.daily.blocked[access.reason](tier)}`
  return (
    <div className="rounded-xl border border-brand-100 bg-brand-50 p-4">
      <p className="font-medium text-brand-800">{message}</p>
      <div className="mt-3 flex flex-wrap gap-2">
        {access.reason === 'sign_in_required' ? (
          <Link to={`/login?redirectTo=${encodeURIComponent(redirectTo)}`} className={buttonClass('secondary', 'px-3 py-1.5')}>
            {t.daily.loginCta}
          </Link>
        ) : null}
        <Link to="/membership" className={buttonClass('primary', 'px-3 py-1.5')}>
          {t.daily.joinCta}
        </Link>
      </div>
    </div>
  )
}

/**
 * The keyword box. Posting (`replyTo`, the page showing the daily) answers in place: with script a
 * fetcher keeps the reader on the page (and in the box) whatever the answer; without it the form
 * posts and the page comes back with the error. Without `replyTo` it is a link to /keyword.
 */
export function KeywordBox({ defaultValue = '', error, replyTo }: { defaultValue?: string; error?: string; replyTo?: string }) {
  const fetcher = useFetcher<{ keyword?: { q: string; error: string } }>()
  const failed = fetcher.state === 'idle' ? fetcher.data?.keyword : undefined
  const message = failed?.error ?? error
  const fields = (
    <>
      <div className="flex-1">
        <label htmlFor="keyword-q" className="mb-1 block text-sm font-medium text-stone-700">
          {t.daily.keywordBox.label}
        </label>
        <input
          id="keyword-q"
          name="q"
          defaultValue={defaultValue}
          placeholder={t.daily.keywordBox.placeholder}
          maxLength={KEYWORD_REPLY_MAX_LENGTH}
          autoComplete="off"
          enterKeyHint="go"
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? 'keyword-q-error' : undefined}
          className="block w-full rounded-lg border border-stone-300 bg-white px-3 py-2.5 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
        {message ? (
          <p id="keyword-q-error" role="alert" className="mt-1 text-sm text-red-700">
            {message}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={fetcher.state !== 'idle'} className={buttonClass('primary', 'mt-6')}>
        {t.daily.keywordBox.submit}
      </button>
    </>
  )
  const className = 'flex items-start gap-2'
  if (!replyTo) {
    return (
      <Form method="get" action="/keyword" className={className}>
        {fields}
      </Form>
    )
  }
  return (
    <fetcher.Form method="post" action={replyTo} preventScrollReset className={className}>
      {fields}
    </fetcher.Form>
  )
}

/** The reader's 打卡 today: the streak, the longest run, all days. */
export function CheckinPanel({ stats, signedIn, returnTo }: { stats: CheckinStats; signedIn: boolean; returnTo: string }) {
  if (!stats.checkedInToday) return null
  return (
    <section aria-label={t.daily.streakTitle} className="rounded-xl border border-emerald-200 bg-emerald-50 px-4 py-3">
      <p className="text-base font-semibold text-emerald-900">{t.daily.checkin.done(stats.current)}</p>
      <p className="mt-0.5 text-sm text-emerald-800">{t.daily.checkin.stats(stats.longest, stats.total)}</p>
      {signedIn ? null : (
        <p className="mt-1 text-sm text-emerald-800">
          <Link to={`/login?redirectTo=${encodeURIComponent(returnTo)}`} className="font-medium underline">
            {t.daily.checkin.visitorLogin}
          </Link>
          {t.daily.checkin.visitorHint}
        </p>
      )}
    </section>
  )
}

/** What the voice says, for readers who cannot listen: a native toggle, usable without script. */
function Transcript({ text }: { text: string }) {
  return (
    <details className="group rounded-xl border border-stone-200 bg-white px-4 py-2">
      <summary className="cursor-pointer select-none py-1 text-sm font-medium text-brand-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40">
        {t.daily.transcriptToggle}
        <span className="ml-2 font-normal text-stone-500">{t.daily.transcriptHint}</span>
      </summary>
      <p className="whitespace-pre-line py-2 leading-relaxed text-stone-700">{text}</p>
    </details>
  )
}

export interface DailyReading {
  /** The reader's 打卡 figures when the daily is today's. */
  checkins: CheckinStats | null
  signedIn: boolean
  isToday: boolean
  /** A failed keyword reply on this page: the attempt and why. */
  keyword?: { q: string; error: string } | null
}

/**
 * The daily: title, the voice (free unless the editor gated it) and its 文字版, then the article
 * for a reader with the keyword and the tier — else the teaser and the box for the keyword, or,
 * with the keyword but not the tier, the reason and the way in.
 */
export function DailyArticle({
  daily,
  reading,
  replyTo,
  headingLevel = 1,
}: {
  daily: Omit<DailyView, 'id'>
  reading: DailyReading
  /** Where the keyword box posts: the page showing this daily. */
  replyTo: string
  headingLevel?: 1 | 2
}) {
  const Heading = headingLevel === 1 ? 'h1' : 'h2'
  const page = `/daily/${daily.date}`
  const timeZone = useRootData()?.timeZone
  return (
    <article className="space-y-4">
      <header className="space-y-2">
        <p className="flex flex-wrap items-center gap-2 text-sm text-stone-500">
          <time dateTime={daily.date}>{timeZone ? formatArticleDate(daily.date, timeZone) : daily.date}</time>
          <TierBadge tierName={daily.tierName} />
        </p>
        <Heading className="text-2xl font-bold leading-snug text-stone-900 sm:text-3xl">{daily.title}</Heading>
      </header>
      {daily.coverUrl ? <img src={daily.coverUrl} alt="" className="w-full rounded-xl object-cover" /> : null}
      {daily.audio ? (
        <AudioPlayer
          url={daily.audio.url}
          durationMs={daily.audio.durationMs}
          track={{ date: daily.date, title: daily.title, artworkUrl: daily.coverUrl }}
        />
      ) : null}
      {daily.voiceAccess.granted ? null : (
        <p className="rounded-xl bg-stone-100 px-4 py-3 text-sm text-stone-700">{t.daily.voiceMembersOnly(daily.tierName ?? t.shop.purchaseBlocked.anyMember)}</p>
      )}
      {daily.transcript ? <Transcript text={daily.transcript} /> : null}
      {reading.checkins ? <CheckinPanel stats={reading.checkins} signedIn={reading.signedIn} returnTo={page} /> : null}
      {daily.bodyHtml ? (
        <div className="prose-zhiyin" dangerouslySetInnerHTML={{ __html: daily.bodyHtml }} />
      ) : (
        <>
          <p className="text-lg leading-relaxed text-stone-700">{daily.teaser}</p>
          {daily.unlocked ? (
            <BlockedNotice access={daily.access} tierName={daily.tierName} redirectTo={page} afterKeyword />
          ) : (
            <div className="space-y-3 rounded-xl border border-brand-100 bg-brand-50/60 p-4">
              <p className="text-sm text-stone-700">{reading.isToday ? t.daily.keywordPrompt : t.daily.keywordPromptOld}</p>
              <KeywordBox defaultValue={reading.keyword?.q} error={reading.keyword?.error} replyTo={replyTo} />
            </div>
          )}
        </>
      )}
    </article>
  )
}
