// Where a request's cart lives. A visitor's cart is a small JSON list in a signed cookie; a
// signed-in user's is cart_items. A visitor's cart survives signing in: the first signed-in
// request that reads the cart merges the cookie into the account and clears it, whichever way
// the visitor signed in (password, magic link, sign-up, password reset).
import { z } from 'zod'
import { MAX_CART_LINES, PERSONALISATION_INPUT_MAX, type CartLine } from '~/domain/cart-forms'
import { MAX_QTY_PER_LINE } from '~/domain/product'
import { listCartItems, mergeIntoCart, type CartItem } from '~/models/cart.server'
import { signedCookie } from './signed-cookie.server'

export const CART_COOKIE = 'zhiyin_cart'

/** Browsers keep about 4 KB per cookie; a cart that would not fit is refused, never cut. */
const MAX_COOKIE_BYTES = 3800

const cartCookie = signedCookie(CART_COOKIE, { maxAgeSeconds: 30 * 24 * 60 * 60 })

const storedLines = z
  .array(
    z.object({
      productId: z.number().int().positive(),
      // Absent in carts saved before variants (decision 047).
      variantId: z.number().int().positive().nullable().default(null),
      qty: z.number().int().min(1).max(MAX_QTY_PER_LINE),
      personalisation: z.string().max(PERSONALISATION_INPUT_MAX),
    }),
  )
  .max(MAX_CART_LINES)

/** The visitor's cart lines; an absent, unsigned or malformed cookie is an empty cart. */
export async function readVisitorCart(request: Request): Promise<CartLine[]> {
  const value: unknown = await cartCookie().parse(request.headers.get('Cookie'))
  const parsed = storedLines.safeParse(value)
  return parsed.success ? parsed.data : []
}

/** Set-Cookie for the visitor's new cart (an empty cart deletes the cookie); null when it would not fit. */
export async function visitorCartCookie(lines: readonly CartLine[]): Promise<string | null> {
  if (lines.length === 0) return cartCookie().serialize('', { maxAge: 0 })
  const header = await cartCookie().serialize(lines.map(({ productId, variantId, qty, personalisation }) => (variantId === null ? { productId, qty, personalisation } : { productId, variantId, qty, personalisation })))
  return header.length > MAX_COOKIE_BYTES ? null : header
}

export interface RequestCart {
  /** Lines of a signed-in user carry their cart_items id. */
  lines: (CartLine & { id?: number })[]
  /** Set-Cookie to send with the answer (the visitor cookie, cleared after merging), or null. */
  setCookie: string | null
}

/**
 * The cart of this request: the visitor's cookie, or the user's cart_items — with the visitor
 * cookie this browser still carries merged in first (and cleared).
 */
export async function requestCart(request: Request, userId: number | null): Promise<RequestCart> {
  const visitorLines = await readVisitorCart(request)
  if (userId === null) return { lines: visitorLines, setCookie: null }
  let setCookie: string | null = null
  if (visitorLines.length > 0 || hasCartCookie(request)) {
    await mergeIntoCart({ userId, lines: visitorLines })
    setCookie = await cartCookie().serialize('', { maxAge: 0 })
  }
  const lines: CartItem[] = await listCartItems(userId)
  return { lines, setCookie }
}

function hasCartCookie(request: Request) {
  return (request.headers.get('Cookie') ?? '').split(';').some((part) => part.trim().startsWith(`${CART_COOKIE}=`))
}
