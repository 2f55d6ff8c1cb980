import { Form, Link } from '@remix-run/react'
import { DailyPlayer, type PlayerTrack } from '~/components/player'
import { Badge, buttonClass } from '~/components/ui'
import type { Access } from '~/domain/access'
import type { DailyView } from '~/domain/daily'
import { t } from '~/i18n/zh-CN'

export function TierBadge({ tierName }: { tierName: string | null }) {
  return tierName ? <Badge tone="brand">{t.daily.tierBadge(tierName)}</Badge> : <Badge>{t.daily.publicBadge}</Badge>
}

/** A daily's voice: the shared player (app/components/player.tsx), the native control without JS. */
export function AudioPlayer({ url, durationMs, track }: { url: string; durationMs: number | null; track: Omit<PlayerTrack, 'url' | 'durationMs'> }) {
  return <DailyPlayer {...track} url={url} durationMs={durationMs} />
}

/** What a blocked reader sees in place of the body: the reason and the way in. */
export function BlockedNotice({ access, tierName, redirectTo }: { access: Access; tierName: string | null; redirectTo: string }) {
  if (access.granted) return null
  const tier = tierName ?? ''
  const message = t.daily.blocked[access.reason](tier)
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

export function KeywordBox({ defaultValue = '', error }: { defaultValue?: string; error?: string }) {
  return (
    <Form method="get" action="/keyword" className="flex items-end gap-2" role="search">
      <div className="flex-1">
        <label htmlFor="keyword-q" className="mb-1 block text-sm font-medium text-stone-700">
          {t.daily.keywordBox.label}
        </label>
        <input
          id="keyword-q"
          name="q"
          defaultValue={defaultValue}
          placeholder={t.daily.keywordBox.placeholder}
          maxLength={40}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'keyword-q-error' : undefined}
          className="block w-full rounded-lg border border-stone-300 bg-white px-3 py-2.5 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
        {error ? (
          <p id="keyword-q-error" role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" className={buttonClass('primary')}>
        {t.daily.keywordBox.submit}
      </button>
    </Form>
  )
}

/** The daily itself: title, player, body or teaser with the reason it is hidden. */
export function DailyArticle({ daily, headingLevel = 1 }: { daily: Omit<DailyView, 'id'>; headingLevel?: 1 | 2 }) {
  const Heading = headingLevel === 1 ? 'h1' : 'h2'
  return (
    <article className="space-y-4">
      <header className="space-y-2">
        <p className="flex flex-wrap items-center gap-2 text-sm text-stone-500">
          <time dateTime={daily.date}>{daily.date}</time>
          <TierBadge tierName={daily.tierName} />
          {daily.keyword ? (
            <span>
              {t.daily.keyword}「<strong className="text-brand-700">{daily.keyword}</strong>」
            </span>
          ) : null}
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
      {daily.bodyHtml ? (
        <div className="prose-zhiyin" dangerouslySetInnerHTML={{ __html: daily.bodyHtml }} />
      ) : (
        <>
          <p className="text-lg leading-relaxed text-stone-700">{daily.teaser}</p>
          <BlockedNotice access={daily.access} tierName={daily.tierName} redirectTo={`/daily/${daily.date}`} />
        </>
      )}
    </article>
  )
}
