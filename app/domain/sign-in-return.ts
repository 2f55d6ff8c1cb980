// Where a visitor goes to sign in, and where they come back to (decision 040). A purchase begun
// as a visitor — 立即购买 on a product, 抢席位 on /membership — sends them to /login with the
// page of that purchase as `redirectTo` and `for=purchase`, so /login and /signup can say
// 「登录后继续购买」. Every redirect still goes through safeRedirect when it is followed.
// Pure and client-safe: the buy buttons build these links in the browser too.

export const SIGN_IN_FOR_PARAM = 'for'
export const SIGN_IN_FOR_PURCHASE = 'purchase'

export type AuthPage = '/login' | '/signup'

/** /login (or /signup) that comes back to `redirectTo`; `purchase` adds the 「登录后继续购买」 note. */
export function signInPath({ redirectTo, purchase = false, page = '/login' }: { redirectTo?: string | null; purchase?: boolean; page?: AuthPage }) {
  const search = new URLSearchParams()
  if (redirectTo) search.set('redirectTo', redirectTo)
  if (purchase) search.set(SIGN_IN_FOR_PARAM, SIGN_IN_FOR_PURCHASE)
  const query = search.toString()
  return query ? `${page}?${query}` : page
}

/** What /login and /signup were opened for: the way back, and whether it is a purchase. */
export function signInReturn(searchParams: URLSearchParams) {
  return {
    redirectTo: searchParams.get('redirectTo') ?? '',
    purchase: searchParams.get(SIGN_IN_FOR_PARAM) === SIGN_IN_FOR_PURCHASE,
  }
}

/** The id of the product page's buy form, where a returning buyer lands. */
export const BUY_FORM_ID = 'buy'

/** The product page with the buy form filled as the visitor left it (quantity, personalisation). */
export function productReturnPath(slug: string, { qty, personalisation, variantId = null }: { qty: number; personalisation?: string; variantId?: number | null }) {
  const search = new URLSearchParams({ qty: String(qty) })
  if (variantId !== null) search.set('v', String(variantId))
  if (personalisation) search.set('p', personalisation)
  return `/shop/p/${encodeURIComponent(slug)}?${search}#${BUY_FORM_ID}`
}

/** The drop page at the tier the visitor chose. */
export function dropReturnPath(dropTierId: number) {
  return `/membership?tier=${dropTierId}#${dropTierAnchor(dropTierId)}`
}

/** The id DropTierCard gives a tier's heading (components/drop.tsx keeps the same literal, so the
 * card's module — on the home page too — does not import this one). */
export const dropTierAnchor = (dropTierId: number) => `drop-tier-${dropTierId}`

/** The ?tier= of a drop page a buyer came back to, or null. */
export function chosenDropTier(searchParams: URLSearchParams) {
  const value = searchParams.get('tier')
  return value && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null
}
