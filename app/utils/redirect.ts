const DEFAULT_REDIRECT = '/'

/**
 * A same-site path to go to after sign-in, or the default. Refuses absolute URLs,
 * protocol-relative `//host` and backslash tricks, so `redirectTo` cannot leave the site.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT) {
  if (!to || typeof to !== 'string') return fallback
  if (!to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\') || /[\u0000-\u001f]/.test(to)) {
    return fallback
  }
  return to
}
