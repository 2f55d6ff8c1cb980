// Request logs must not keep secrets that sit in URLs: podcast feed tokens, emailed sign-in and
// reset links, unsubscribe signatures, member card share tokens, and WeChat's signed query (a
// signature with its timestamp and nonce is a credential until it goes stale).
const SECRET_PATHS = [
  /^(\/podcast\/)[^/?#]+?((?:\.xml)?(?:[?#]|$))/,
  /^(\/auth\/magic\/)[^/?#]+()/,
  /^(\/reset-password\/)[^/?#]+()/,
  /^(\/email\/unsubscribe\/)[^/?#]+()/,
  // The card's share image: /membership/card/<membershipId>-<hmac>.png
  /^(\/membership\/card\/)[^/?#]+?((?:\.png)?(?:[?#]|$))/,
]

/** Query parameters hidden on every path. */
const SECRET_PARAMS = ['token', 'signature', 'msg_signature', 'timestamp', 'nonce', 'echostr']

/** Query parameters hidden on one page only (or its data URL), where they are a secret: the card's share link. */
const SECRET_PARAMS_ON: [RegExp, string[]][] = [[/^\/membership\/card(?:\.data)?(?:[?#]|$)/, ['s']]]

function hideParams(url: string, names: string[]) {
  return url.replace(new RegExp(`([?&](?:${names.join('|')})=)[^&#]*`, 'g'), '$1***')
}

export function redactUrl(url: string) {
  let redacted = hideParams(url, SECRET_PARAMS)
  for (const [path, names] of SECRET_PARAMS_ON) if (path.test(redacted)) redacted = hideParams(redacted, names)
  for (const pattern of SECRET_PATHS) redacted = redacted.replace(pattern, '$1***$2')
  return redacted
}
