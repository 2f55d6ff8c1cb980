const DEFAULT_REDIRECT = '/'

/**
 * A same-site path to go to after sign-in, or the default. Refuses absolute URLs,
 * protocol-relative `//host` and backslash tricks, so `redirectTo` cannot leave the site.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT) {
  if (!to || typeof to !== 'string') return fallback
  const hasControlCharacter = [...to].some((c) => c.charCodeAt(0) < 0x20)
  if (!to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\') || hasControlCharacter) {
    return fallback
  }
  return to
}
