import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { MemberCard } from '~/components/member-card'
import { buttonClass, Card, PageTitle } from '~/components/ui'
import { isCardExpired, memberCardFace } from '~/domain/member-card'
import { cardZhCN } from '~/i18n/card.zh-CN'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import type { MemberCardRecord } from '~/domain/member-card'
import { findMemberCard, findSharedCard, resetCardShare } from '~/models/member-card.server'
import { requireUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { posterPaths, shareMeta, siteUrlOf } from '~/utils/share-meta'
import { PosterButton } from '~/components/poster-button'
import { CARD_IMAGE_HEIGHT, CARD_IMAGE_WIDTH, memberCardImagePath, memberCardShareToken } from '~/utils/member-card-image.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { card: cardZhCN, errors: errorsZhCN, site: siteZhCN }

const c = t.card

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => {
  const title = { title: `${c.title} · ${t.site.name}` }
  const card = loaded?.card
  if (!card || !loaded.share) return [title]
  const ogTitle = c.meta.title(card.name)
  const description = c.meta.description(card.headline, card.tierName, card.dropName)
  return [
    title,
    ...shareMeta({
      siteUrl: siteUrlOf(matches),
      path: loaded.share.pageUrl,
      title: ogTitle,
      description,
      image: loaded.share.imageUrl,
      imageAlt: loaded.share.alt,
      imageSize: { width: CARD_IMAGE_WIDTH, height: CARD_IMAGE_HEIGHT },
    }),
  ]
}

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date()
  // ?s=<membershipId>-<signature>: the link a member shares (WeChat, friends). It shows that
  // card to anyone, crawlers included, so the link preview is the card; unsigned ids, and links
  // from before a 重置分享链接, are 404.
  const shared = new URL(request.url).searchParams.get('s')
  if (shared !== null) {
    const record = await findSharedCard(shared)
    if (!record) throw new Response(c.notFound, { status: 404 })
    return present(record, now, { shared: true })
  }
  const user = await requireUser(request)
  const record = await findMemberCard({ userId: user.id, now })
  if (!record) return { card: null, share: null, shared: false }
  return present(record, now, { shared: false })
}

function present(record: MemberCardRecord, now: Date, { shared }: { shared: boolean }) {
  const { SITE_URL, SITE_TIMEZONE } = getEnv()
  const face = memberCardFace(record, SITE_TIMEZONE)
  const imagePath = memberCardImagePath(record)
  const sharePath = `/membership/card?s=${memberCardShareToken(record)}`
  return {
    card: { ...face, expired: isCardExpired(record, now) },
    share: {
      imagePath,
      imageUrl: `${SITE_URL}${imagePath}`,
      pagePath: sharePath,
      pageUrl: `${SITE_URL}${sharePath}`,
      alt: c.share.alt(face.name, face.headline, face.tierName),
    },
    shared,
  }
}

// 重置分享链接: the holder's own card only; the links shared so far stop opening.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const form = await request.formData()
  if (form.get('intent') !== 'reset-share') throw new Response(t.errors.invalidChoice, { status: 400 })
  const record = await findMemberCard({ userId: user.id, now: new Date() })
  if (!record || !(await resetCardShare({ userId: user.id, membershipId: record.membershipId }))) throw new Response(c.notFound, { status: 404 })
  return redirectWithFlash('/membership/card', { kind: 'success', message: c.share.resetDone })
}

export default function MembershipCard() {
  const { card, share, shared } = useLoaderData<typeof loader>()
  const busy = useNavigation().state === 'submitting'
  if (!card || !share) return <NoCard />
  if (shared) return <SharedCard card={card} />
  return (
    <div className="mx-auto max-w-md lg:grid lg:max-w-none lg:grid-cols-[minmax(0,28rem)_minmax(0,1fr)] lg:items-start lg:gap-10">
      <div>
        <PageTitle subtitle={card.dropName ?? c.page.subtitle}>{c.title}</PageTitle>
        <MemberCard face={card} expired={card.expired} />
        {card.expired ? (
          <Card className="mt-6 border-stone-300 bg-stone-50">
            <p className="text-stone-700">{c.page.expired}</p>
            <Link to="/membership" className={buttonClass('primary', 'mt-4')}>
              {c.page.renew}
            </Link>
          </Card>
        ) : (
          <p className="mt-5 text-center text-sm text-stone-600">{c.page.active(card.validUntil)}</p>
        )}
      </div>
      <Card className="mt-6 lg:mt-[4.5rem]">
        <h2 className="text-lg font-bold text-stone-900">{c.share.title}</h2>
        <p className="mt-1 text-sm text-stone-600">{c.share.body}</p>
        <a href={share.imagePath} target="_blank" rel="noreferrer" className="mt-4 block">
          <img
            src={share.imagePath}
            width={1200}
            height={630}
            alt={share.alt}
            className="h-auto w-full rounded-xl border border-stone-200 shadow-sm"
          />
        </a>
        <p className="mt-3 rounded-lg bg-green-50 px-3 py-2 text-sm text-green-900">{c.share.wechat}</p>
        <p className="mt-4 text-sm text-stone-600">
          {c.share.link}{' '}
          <a href={share.pagePath} className="break-all font-medium text-brand-700 underline">
            {share.pageUrl}
          </a>
        </p>
        <a href={share.imagePath} target="_blank" rel="noreferrer" className={buttonClass('secondary', 'mt-4 w-full')}>
          {c.share.open}
        </a>
        <PosterButton href={posterPaths.card} className="mt-3" />
        <Form method="post" className="mt-6 border-t border-stone-200 pt-4">
          <p className="text-xs leading-relaxed text-stone-500">{c.share.resetHint}</p>
          <button
            type="submit"
            name="intent"
            value="reset-share"
            disabled={busy}
            className="mt-2 text-sm font-medium text-stone-700 underline underline-offset-2 hover:text-brand-700 disabled:opacity-60"
          >
            {c.share.reset}
          </button>
        </Form>
      </Card>
    </div>
  )
}

/** A card someone shared: the card itself and an invitation, nothing of the owner's account. */
function SharedCard({ card }: { card: Parameters<typeof MemberCard>[0]['face'] & { expired: boolean } }) {
  return (
    <div className="mx-auto max-w-md">
      <PageTitle subtitle={card.dropName ?? c.page.subtitle}>{c.meta.title(card.name)}</PageTitle>
      <MemberCard face={card} expired={card.expired} />
      <Card className="mt-6 text-center">
        <p className="text-sm leading-relaxed text-stone-600">{c.shared.body}</p>
        <Link to="/membership" className={buttonClass('primary', 'mt-4')}>
          {c.shared.cta}
        </Link>
      </Card>
    </div>
  )
}

function NoCard() {
  return (
    <div className="mx-auto max-w-md">
      <PageTitle>{c.title}</PageTitle>
      <Card className="text-center">
        <div aria-hidden className="mx-auto flex aspect-[1.6] w-3/4 items-center justify-center rounded-2xl border-2 border-dashed border-stone-300 bg-stone-50">
          <span className="font-serif text-4xl font-bold text-stone-300">{t.site.name}</span>
        </div>
        <h2 className="mt-6 text-lg font-bold text-stone-900">{c.empty.title}</h2>
        <p className="mt-2 text-sm leading-relaxed text-stone-600">{c.empty.body}</p>
        <Link to="/membership" className={buttonClass('primary', 'mt-5')}>
          {c.empty.cta}
        </Link>
      </Card>
    </div>
  )
}
