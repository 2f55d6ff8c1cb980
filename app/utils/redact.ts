// Request logs must not keep secrets that sit in URLs: podcast feed tokens, emailed sign-in and
// reset links, unsubscribe signatures.
const SECRET_PATHS = [/^(\/podcast\/)[^/?]+(\.xml)/, /^(\/auth\/magic\/)[^/?]+()/, /^(\/reset-password\/)[^/?]+()/, /^(\/email\/unsubscribe\/)[^/?]+()/]

export function redactUrl(url: string) {
  let redacted = url.replace(/([?&]token=)[^&#]*/g, '$1***')
  for (const pattern of SECRET_PATHS) redacted = redacted.replace(pattern, '$1***$2')
  return redacted
}
