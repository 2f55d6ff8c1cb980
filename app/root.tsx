import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { useEffect, useState, type ReactNode } from 'react'
import { CartLink } from '~/components/cart-link'
import { NavigationFeedback } from '~/components/navigation-feedback'
import { NotificationBell } from '~/components/notification-bell'
import { MiniPlayer, PlayerProvider } from '~/components/player'
import { WechatShare } from '~/components/wechat-share'
import { buttonClass } from '~/components/ui'
import { highestActiveMembership } from '~/domain/membership'
import { legalPath } from '~/domain/legal'
import { bannersZhCN, flashZhCN, legalZhCN, navZhCN, pagesZhCN, siteZhCN, tierBadgeZhCN } from '~/i18n/core.zh-CN'
import { countCartLines } from '~/models/cart.server'
import { countUnread } from '~/models/notification.server'
import { getSiteSettings } from '~/models/site-settings.server'
import { clearSessionCookie, getAuth, readSessionToken } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { readFlash, type Flash } from '~/utils/flash.server'
import { readVisitorCart } from '~/utils/cart-cookie.server'
import { captureReferral } from '~/utils/referral-cookie.server'
import { hasRole } from '~/utils/permissions.server'
import { useNonce } from '~/utils/nonce'
import { paymentMode } from '~/utils/payments.server'
import { wechatMode } from '~/utils/wechat-api.server'
import stylesheet from '~/tailwind.css'
import { skipReadOnlyActions } from '~/utils/revalidation'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { banners: bannersZhCN, flash: flashZhCN, legal: legalZhCN, nav: navZhCN, pages: pagesZhCN, site: siteZhCN, tierBadge: tierBadgeZhCN }

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [
  { title: `${t.site.name} · ${t.site.tagline}` },
  { name: 'description', content: t.site.description },
]

// Posts that change nothing (app/utils/revalidation.ts) do not reload the root loader.
export const shouldRevalidate = skipReadOnlyActions

export async function loader({ request, context }: LoaderFunctionArgs) {
  // ?ref=<code>: remembered, and the reader sent on to the page without it (decision 022).
  const referral = await captureReferral(request)
  if (referral) throw referral
  const [auth, { flash, clearHeader }, settings] = await Promise.all([getAuth(request, context), readFlash(request), getSiteSettings()])
  const headers = new Headers()
  if (clearHeader) headers.append('Set-Cookie', clearHeader)
  if (auth?.renewedCookie) headers.append('Set-Cookie', auth.renewedCookie)
  // A cookie that names no live session (forged, expired, revoked) is dropped.
  if (!auth && readSessionToken(request) !== null) headers.append('Set-Cookie', clearSessionCookie())
  const now = new Date()
  // The memberships came with the session: no further query for the header's tier name.
  const membership = auth ? highestActiveMembership(auth.memberships, now) : undefined
  // The header's cart badge: a visitor's lines travel in their signed cookie, a member's in cart_items.
  const cartLines = auth ? await countCartLines(auth.user.id) : (await readVisitorCart(request)).length
  return data(
    {
      user: auth
        ? {
            id: auth.user.id,
            displayName: auth.user.displayName,
            role: auth.user.role,
            isStaff: hasRole(auth.user.role, 'editor'),
            rank: membership?.tierRank ?? 0,
            tierName: membership?.tierName ?? null,
            unreadNotifications: await countUnread(auth.user.id),
          }
        : null,
      flash,
      cartLines,
      timeZone: getEnv().SITE_TIMEZONE,
      // Share tags need absolute URLs (app/utils/share-meta.ts).
      siteUrl: getEnv().SITE_URL,
      payments: paymentsView(),
      wechatTestMode: wechatTestModeView(),
      // The footer's 联系客服 and ICP 备案号, as the admin set them (/admin/settings, decision 052).
      support: { contact: settings.supportContact, icp: settings.icpNumber },
    },
    { headers },
  )
}

/** What every page says about payments: the live mode, so a test mode is never silent. */
function paymentsView() {
  const mode = paymentMode()
  return { mode: mode.kind, testInProduction: mode.kind === 'test' && mode.production }
}

/** WeChat's test mode is never silent either (decisions 020, 021): null unless it is on. */
function wechatTestModeView() {
  const mode = wechatMode()
  return mode.kind === 'test' ? { production: mode.production } : null
}

export type RootData = Awaited<ReturnType<typeof loader>>['data']

export function useRootData() {
  return useRouteLoaderData<typeof loader>('root')
}

const NAV = [
  { to: '/daily', label: t.nav.daily },
  { to: '/community', label: t.nav.community },
  { to: '/courses', label: t.nav.courses },
  { to: '/shop', label: t.nav.shop },
  { to: '/membership', label: t.nav.membership },
] as const

function Header() {
  const root = useRootData()
  const user = root?.user
  return (
    <header className="sticky top-0 z-20 border-b border-stone-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-3">
        <Link to="/" className="flex items-baseline gap-2 text-brand-700">
          <span className="text-xl font-bold">{t.site.name}</span>
          <span className="hidden text-xs text-stone-500 sm:inline">{t.site.tagline}</span>
        </Link>
        <nav aria-label={t.nav.primary} className="ml-auto hidden sm:block">
          <NavItems />
        </nav>
        <div className="ml-auto flex items-center gap-1 sm:ml-2">
          <CartLink lines={root?.cartLines ?? 0} />
          {user ? <NotificationBell unread={user.unreadNotifications} /> : null}
          {user ? <AccountMenu user={user} /> : <GuestLinks />}
        </div>
      </div>
      <nav aria-label={t.nav.primary} className="border-t border-stone-100 sm:hidden">
        <NavItems />
      </nav>
    </header>
  )
}

function NavItems() {
  return (
    <ul className="flex justify-around sm:justify-end sm:gap-1">
      {NAV.map((item) => (
        <li key={item.to}>
          <NavLink
            to={item.to}
            className={({ isActive }) =>
              `block px-3 py-2.5 text-[15px] font-medium sm:rounded-lg sm:py-2 ${
                isActive ? 'text-brand-700' : 'text-stone-700 hover:text-brand-700'
              }`
            }
          >
            {item.label}
          </NavLink>
        </li>
      ))}
    </ul>
  )
}

function GuestLinks() {
  return (
    <div className="flex items-center gap-1">
      <Link to="/login" className="px-2 py-2 text-sm font-medium text-stone-700 hover:text-brand-700">
        {t.nav.login}
      </Link>
      <Link to="/signup" className={buttonClass('primary', 'px-3 py-1.5')}>
        {t.nav.signup}
      </Link>
    </div>
  )
}

function AccountMenu({ user }: { user: NonNullable<RootData['user']> }) {
  const location = useLocation()
  const [open, setOpen] = useState(false)
  // Close the menu after navigating.
  useEffect(() => setOpen(false), [location.key])
  return (
    <details
      className="relative"
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
      onKeyDown={(e) => {
        // Esc closes the menu and gives focus back to it, as a menu button does.
        if (e.key !== 'Escape' || !open) return
        setOpen(false)
        e.currentTarget.querySelector('summary')?.focus()
      }}
    >
      {/* Named by its own text, the visible name first (an aria-label hid it: axe's label-content-name-mismatch). */}
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-full border border-stone-200 py-1 pl-1 pr-3 text-sm hover:bg-stone-50">
        <span aria-hidden className="flex h-7 w-7 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-800">
          {user.displayName.slice(0, 1)}
        </span>
        <span className="max-w-24 truncate">{user.displayName}</span>
        <span className="sr-only">{t.nav.menuSuffix}</span>
      </summary>
      <div className="absolute right-0 mt-2 w-52 rounded-xl border border-stone-200 bg-white p-2 shadow-lg">
        <p className="px-3 py-2 text-xs text-stone-500">{user.tierName ?? t.tierBadge.free}</p>
        {[
          { to: '/account', label: t.nav.account },
          { to: '/membership/card', label: t.nav.memberCard },
          { to: '/orders', label: t.nav.orders },
          { to: '/cart', label: t.nav.cart },
          ...(user.isStaff ? [{ to: '/admin', label: t.nav.admin }] : []),
        ].map((item) => (
          <Link key={item.to} to={item.to} className="block rounded-lg px-3 py-2 text-sm hover:bg-stone-100">
            {item.label}
          </Link>
        ))}
        <Form method="post" action="/logout">
          <button type="submit" className="block w-full rounded-lg px-3 py-2 text-left text-sm hover:bg-stone-100">
            {t.nav.logout}
          </button>
        </Form>
      </div>
    </details>
  )
}

/**
 * The flash to show on this page. The root loader clears the flash cookie when it reads it, so
 * a later revalidation on the same page (after a fetcher's post, say) brings no flash: the one
 * this page arrived with stays until the reader goes to another page.
 */
function usePageFlash(flash: Flash | null) {
  const { key } = useLocation()
  const [kept, setKept] = useState<{ key: string; flash: Flash } | null>(null)
  useEffect(() => {
    if (flash) setKept({ key, flash })
  }, [flash, key])
  return flash ?? (kept?.key === key ? kept.flash : null)
}

function FlashMessage({ flash }: { flash: Flash }) {
  const [shown, setShown] = useState(true)
  useEffect(() => setShown(true), [flash])
  if (!shown) return null
  const tone = {
    success: 'border-green-200 bg-green-50 text-green-900',
    error: 'border-red-200 bg-red-50 text-red-900',
    info: 'border-sky-200 bg-sky-50 text-sky-900',
  }[flash.kind]
  return (
    <div role="status" className={`mb-4 flex items-start gap-3 rounded-xl border px-4 py-3 text-sm ${tone}`}>
      <p className="flex-1">{flash.message}</p>
      <button type="button" onClick={() => setShown(false)} aria-label={t.flash.close} className="-my-1 px-1 text-lg leading-none">
        ×
      </button>
    </div>
  )
}

/**
 * While the test provider takes payments every page says so (decision 011): quietly on a demo,
 * loudly when an operator turned it on in production.
 */
function PaymentsTestModeBanner() {
  const payments = useRootData()?.payments
  if (payments?.mode !== 'test') return null
  const loud = payments.testInProduction
  return (
    <div
      role="note"
      className={loud ? 'bg-red-700 px-4 py-2 text-center text-sm font-semibold text-white' : 'bg-amber-100 px-4 py-1.5 text-center text-xs text-amber-900'}
    >
      {loud ? t.banners.paymentsProduction : t.banners.payments}
    </div>
  )
}

/** While WeChat sign-in is simulated every page says so: quietly on a demo, loudly in production. */
function WechatTestModeBanner() {
  const wechat = useRootData()?.wechatTestMode
  if (!wechat) return null
  return (
    <div
      role="note"
      className={wechat.production ? 'bg-red-700 px-4 py-2 text-center text-sm font-semibold text-white' : 'bg-amber-100 px-4 py-1.5 text-center text-xs text-amber-900'}
    >
      {wechat.production ? t.banners.wechatProduction : t.banners.wechat}
    </div>
  )
}

/** The MIIT register an ICP number links to, as sites served in mainland China must. */
const ICP_REGISTER = 'https://beian.miit.gov.cn/'

function Footer() {
  const support = useRootData()?.support
  const contact = support?.contact
  return (
    <footer className="mt-16 border-t border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-col gap-2 px-4 py-6 text-sm text-stone-500 sm:flex-row sm:flex-wrap sm:justify-between">
        <p>{t.site.footer}</p>
        <nav aria-label="页脚导航" className="flex flex-wrap gap-x-4 gap-y-2">
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} className="hover:text-brand-700">
              {item.label}
            </Link>
          ))}
          <Link to={legalPath('terms')} className="hover:text-brand-700">
            {t.legal.terms}
          </Link>
          <Link to={legalPath('privacy')} className="hover:text-brand-700">
            {t.legal.privacy}
          </Link>
          {contact ? (
            contact.includes('@') ? (
              <a href={`mailto:${contact}`} className="hover:text-brand-700">
                {t.site.support}：{contact}
              </a>
            ) : (
              <span>{t.site.supportWechat(contact)}</span>
            )
          ) : null}
        </nav>
        {support?.icp ? (
          <a href={ICP_REGISTER} target="_blank" rel="noreferrer" className="hover:text-brand-700 sm:order-last sm:basis-full">
            {support.icp}
          </a>
        ) : null}
      </div>
    </footer>
  )
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRootData()
  const nonce = useNonce()
  const flash = usePageFlash(root?.flash ?? null)
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="format-detection" content="telephone=no" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        {/* The daily's voice plays on across pages: its one <audio> lives here (player.tsx). */}
        <PlayerProvider>
          <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
            {t.site.skipToContent}
          </a>
          <NavigationFeedback />
          <PaymentsTestModeBanner />
          <WechatTestModeBanner />
          <Header />
          <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 sm:py-10">
            {flash ? <FlashMessage flash={flash} /> : null}
            {children}
          </main>
          <Footer />
          <MiniPlayer />
          <WechatShare />
        </PlayerProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  return <ErrorPage error={error} />
}

export function ErrorPage({ error }: { error: unknown }) {
  const status = isRouteErrorResponse(error) ? error.status : 500
  const page =
    status === 404
      ? t.pages.notFound
      : status === 403
        ? t.pages.forbidden
        : status === 410
          ? t.pages.gone
          : status === 429
            ? t.pages.tooMany
            : status >= 400 && status < 500
              ? t.pages.badRequest
              : t.pages.serverError
  // A Response our code throws may carry a specific zh-CN message as its body; the router's own
  // errors (an unmatched URL, a wrong method) carry English text and are marked internal.
  const ownMessage =
    isRouteErrorResponse(error) && !(error as { internal?: boolean }).internal && typeof error.data === 'string'
      ? error.data
      : ''
  const detail = ownMessage || page.body
  if (!isRouteErrorResponse(error)) console.error(error)
  return (
    <div className="mx-auto max-w-md py-12 text-center">
      <p className="text-5xl font-bold text-brand-700">{status}</p>
      <h1 className="mt-4 text-2xl font-bold text-stone-900">{page.title}</h1>
      <p className="mt-3 text-stone-600">{detail}</p>
      <Link to="/" className={buttonClass('primary', 'mt-8')}>
        {t.pages.backHome}
      </Link>
    </div>
  )
}
