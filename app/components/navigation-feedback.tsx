// What a reader sees and hears between pages (issue 18). WeChat's browser shows no progress for
// an in-app navigation, so readers tapped twice: a bar at the top runs while the next page or a
// submitted form is on its way. Once a new page is in, focus moves to its heading and screen
// readers hear its title, as they would on a full page load.
import { useLocation, useNavigation } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { siteZhCN } from '~/i18n/core.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { site: siteZhCN }

/** A navigation quicker than this shows no bar: it would only flicker. */
const BAR_DELAY_MS = 150

export function NavigationFeedback() {
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  const [showBar, setShowBar] = useState(false)
  useEffect(() => {
    if (!busy) return setShowBar(false)
    const timer = setTimeout(() => setShowBar(true), BAR_DELAY_MS)
    return () => clearTimeout(timer)
  }, [busy])

  const { pathname, key } = useLocation()
  const [announcement, setAnnouncement] = useState('')
  const firstPage = useRef(true)
  const lastPath = useRef(pathname)
  useEffect(() => {
    if (firstPage.current) {
      firstPage.current = false
      return
    }
    // Only a new page moves focus: a form answered on the same page keeps it where it was.
    if (pathname === lastPath.current) return
    lastPath.current = pathname
    const main = document.getElementById('main')
    const heading = document.querySelector<HTMLElement>('main h1') ?? main
    // A page that focused something itself (an autofocus field) keeps it.
    const focusedByPage = main?.contains(document.activeElement) && document.activeElement !== main
    if (heading && !focusedByPage) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
      heading.focus({ preventScroll: true })
    }
    setAnnouncement(document.title)
  }, [pathname, key])

  return (
    <>
      <div
        aria-hidden
        data-navigation-progress={showBar ? 'running' : 'idle'}
        // Fixed at the very top and above everything (banners, the sticky header, the skip link's
        // z-50), 3 px so a phone shows it. With reduced motion it is a still, full-width line.
        className={`pointer-events-none fixed inset-x-0 top-0 z-[60] h-[3px] origin-left bg-brand-600 transition-opacity motion-reduce:transition-none ${showBar ? 'opacity-100 motion-safe:animate-[navigation-progress_8s_cubic-bezier(0.1,0.7,0.2,1)_forwards]' : 'opacity-0'}`}
      />
      <p aria-live="polite" aria-atomic className="sr-only">
        {showBar ? t.site.loading : announcement}
      </p>
    </>
  )
}
