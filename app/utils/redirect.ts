const DEFAULT_REDIRECT = '/'
// Any origin would do: paths are resolved against it and must stay on it.
const BASE = 'http://zhiyin.invalid'

/**
 * A same-site path to go to after sign-in, or the default. Refuses absolute URLs,
 * protocol-relative `//host` and backslash tricks, so `redirectTo` cannot leave the site.
 * The path comes back as the browser would resolve it, percent-encoded: a Location header
 * must be ASCII, and `/%E3%80%80` arrives here decoded (`/\u3000`) from the form.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT) {
  if (!to || typeof to !== 'string') return fallback
  const hasControlCharacter = [...to].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  if (!to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\') || hasControlCharacter) {
    return fallback
  }
  let url: URL
  try {
    url = new URL(to, BASE)
  } catch {
    return fallback
  }
  if (url.origin !== BASE) return fallback
  // The resolved path is what the browser gets: dot segments may have made `/..//evil.example`
  // into `//evil.example`, which leaves the site. Check the result, not only the input.
  if (url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}
