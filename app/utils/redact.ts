// Request logs must not keep secrets that sit in URLs: podcast feed tokens, emailed sign-in,
// verification and reset links, unsubscribe signatures, member card share tokens, and WeChat's
// signed query (a signature with its timestamp and nonce is a credential until it goes stale).
// Paths and parameter names are compared as the router sees them — percent-decoded and without
// regard to case — so `/%70odcast/…` or `?%73ignature=` are hidden as well.

/** Paths whose next segment is a secret, and the ending of that segment that may stay visible. */
const SECRET_PATHS: { prefix: string[]; keep?: RegExp }[] = [
  { prefix: ['podcast'], keep: /\.xml$/i },
  { prefix: ['auth', 'magic'] },
  { prefix: ['verify-email'] },
  { prefix: ['reset-password'] },
  { prefix: ['email', 'unsubscribe'] },
  // The card's share image: /membership/card/<membershipId>-<hmac>.png
  { prefix: ['membership', 'card'], keep: /\.png$/i },
]

/** Query parameters hidden on every path. */
const SECRET_PARAMS = new Set(['token', 'signature', 'msg_signature', 'timestamp', 'nonce', 'echostr'])

/** Query parameters hidden on one page only (or its data URL), where they are a secret: the card's share link. */
const SECRET_PARAMS_ON: [RegExp, string[]][] = [[/^\/membership\/card(?:\.data)?\/?$/, ['s']]]

function decoded(part: string) {
  try {
    return decodeURIComponent(part).toLowerCase()
  } catch {
    return part.toLowerCase()
  }
}

function redactPath(path: string) {
  const raw = path.split('/')
  const plain = raw.map(decoded)
  for (const { prefix, keep } of SECRET_PATHS) {
    const at = prefix.length + 1
    if (raw.length <= at || raw[at] === '' || !prefix.every((segment, i) => plain[i + 1] === segment)) continue
    raw[at] = `***${keep?.exec(raw[at]!)?.[0] ?? ''}`
  }
  return raw.join('/')
}

function redactQuery(query: string, hidden: Set<string>) {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=')
      return eq !== -1 && hidden.has(decoded(part.slice(0, eq))) ? `${part.slice(0, eq)}=***` : part
    })
    .join('&')
}

export function redactUrl(url: string) {
  const hashAt = url.indexOf('#')
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt)
  const hash = hashAt === -1 ? '' : url.slice(hashAt)
  const queryAt = beforeHash.indexOf('?')
  const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt)
  if (queryAt === -1) return `${redactPath(path)}${hash}`
  const hidden = new Set(SECRET_PARAMS)
  const plainPath = path.split('/').map(decoded).join('/')
  for (const [pattern, names] of SECRET_PARAMS_ON) if (pattern.test(plainPath)) for (const name of names) hidden.add(name)
  return `${redactPath(path)}?${redactQuery(beforeHash.slice(queryAt + 1), hidden)}${hash}`
}
