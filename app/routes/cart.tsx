// /cart: the cart priced for this viewer, and the cart's actions. The product page's form posts
// here with fields intent (add | buy), productId, qty and personalisation; `buy` (立即购买) checks
// that line alone and goes on to /checkout with it, leaving the cart as it is. Errors come back keyed by field (qty, personalisation, form) with a status:
// 400 bad input or unknown product, 403 gated, 409 sold out.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GoodsAndShipping } from '~/components/goods-and-shipping'
import { CartLineView } from '~/components/order'
import { FormError } from '~/components/field'
import { Button, Card, EmptyState, PageTitle, buttonClass } from '~/components/ui'
import {
  MAX_CART_LINES,
  buyNowPath,
  addLine,
  isCartIntent,
  lineProblem,
  productQtyInCart,
  removeLine,
  sameLine,
  setLineQty,
  lineKeyOf,
  variantQtyInCart,
  type CartLine,
} from '~/domain/cart-forms'
import { cartLineForm, chosenOptionValues, removeFromCartForm } from '~/domain/cart-forms.server'
import { findVariant } from '~/domain/variants'
import { productReturnPath, signInPath } from '~/domain/sign-in-return'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { addCartItem, cartLineView, priceCart, productUnitsOwned, removeCartItem, setCartItemQty } from '~/models/cart.server'
import { listTiers } from '~/models/membership.server'
import { getProductForSale } from '~/models/product.server'
import { cartShippingFee, getShippingRule } from '~/models/shipping.server'
import { getAuth, getViewer } from '~/utils/auth.server'
import { requestCart, visitorCartCookie } from '~/utils/cart-cookie.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatFen } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { orders: ordersZhCN, site: siteZhCN }

const c = t.orders.cart

export const meta: MetaFunction = () => [{ title: `${c.title} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date()
  const [auth, viewer] = await Promise.all([getAuth(request), getViewer(request)])
  const cart = await requestCart(request, auth?.user.id ?? null)
  const [priced, rule] = await Promise.all([priceCart({ lines: cart.lines, viewer, userId: auth?.user.id ?? null, now }), getShippingRule()])
  const shippingFeeFen = cartShippingFee(rule, priced)
  return data(
    {
      lines: priced.lines.map(cartLineView),
      goodsFen: priced.totalFen,
      shippingFeeFen,
      totalFen: priced.totalFen + shippingFeeFen,
      units: priced.units,
      blocked: priced.blocked,
      signedIn: auth !== null,
    },
    { headers: cart.setCookie ? { 'Set-Cookie': cart.setCookie } : undefined },
  )
}

type ActionData = { errors: FieldErrors; line: string | null; title: string | null }

/** productId errors (absent, malformed) read as "no such product", shown with the form. */
function formErrors(errors: FieldErrors): FieldErrors {
  const { productId, ...rest } = errors
  return productId ? { form: productId, ...rest } : rest
}

export async function action({ request }: ActionFunctionArgs) {
  const now = new Date()
  const [auth, viewer] = await Promise.all([getAuth(request), getViewer(request)])
  const userId = auth?.user.id ?? null
  const formData = await request.formData()
  const intent = formData.get('intent')
  const cart = await requestCart(request, userId)
  const headers = new Headers()
  if (cart.setCookie) headers.append('Set-Cookie', cart.setCookie)
  const fail = (errors: FieldErrors, status: number, extra: Partial<ActionData> = {}) =>
    data<ActionData>({ errors, line: null, title: null, ...extra }, { status, headers })

  /** Writes the visitor's new cart to the cookie; false when it would not fit. */
  const saveVisitorCart = async (lines: CartLine[]) => {
    const cookie = await visitorCartCookie(lines)
    if (!cookie) return false
    headers.append('Set-Cookie', cookie)
    return true
  }

  if (!isCartIntent(intent)) return fail({ form: c.errors.unknownIntent }, 400)

  if (intent === 'remove') {
    const form = parseForm(removeFromCartForm, formData)
    if (!form.ok) return fail(formErrors(form.errors), 400)
    if (userId !== null) await removeCartItem({ userId, ...form.data })
    else await saveVisitorCart(removeLine(cart.lines, form.data))
    return redirectWithFlash('/cart', { kind: 'info', message: c.removed }, { headers, onlyThere: true })
  }

  const form = parseForm(cartLineForm, formData)
  if (!form.ok) return fail(formErrors(form.errors), 400, { line: lineKey(formData) })
  const line = form.data
  const product = await getProductForSale(line.productId)
  // The product page names the variant by its options' values (option0 …), the cart's own forms by id.
  if (line.variantId === null && product && product.variants.length > 0) {
    line.variantId = findVariant(product.variants, chosenOptionValues(formData, product.options.length))?.id ?? null
  }
  const tierName = product ? (await listTiers()).find((tier) => tier.rank === product.minRank)?.name : undefined
  // What the buyer already holds or bought counts towards the per-member limit.
  const owned =
    userId !== null && product && product.perMemberLimit !== null ? await productUnitsOwned({ userId, product }) : 0
  const title = product?.title ?? null
  const inCart = cart.lines.find((existing) => sameLine(existing, line))
  const key = lineKeyOf(line)

  if (intent === 'update') {
    if (!inCart) return fail({ form: c.errors.notInCart }, 400, { line: key })
    const problem = lineProblem({
      product,
      viewer,
      now,
      personalisation: line.personalisation,
      variantId: line.variantId,
      productQty: productQtyInCart(cart.lines, line.productId) - inCart.qty + line.qty,
      variantQty: variantQtyInCart(cart.lines, line.productId, line.variantId) - inCart.qty + line.qty,
      owned,
      tierName,
    })
    // Fewer units are always fine; more must fit the limit and the stock left.
    if (problem && (problem.kind === 'limit' || problem.kind === 'sold_out') && line.qty > inCart.qty) {
      return fail({ [problem.field]: problem.message }, problem.status, { line: key, title })
    }
    if (userId !== null) await setCartItemQty({ userId, ...line })
    else await saveVisitorCart(setLineQty(cart.lines, line, line.qty))
    return redirectWithFlash('/cart', { kind: 'success', message: c.updated }, { headers, onlyThere: true })
  }

  // add or buy: 立即购买 checks this line out alone, so the cart's units of it do not count.
  const problem = lineProblem({
    product,
    viewer,
    now,
    personalisation: line.personalisation,
    variantId: line.variantId,
    productQty: (intent === 'buy' ? 0 : productQtyInCart(cart.lines, line.productId)) + line.qty,
    variantQty: (intent === 'buy' ? 0 : variantQtyInCart(cart.lines, line.productId, line.variantId)) + line.qty,
    owned,
    tierName,
  })
  // A visitor's 立即购买 goes to sign in first, and comes back to this product with the form as
  // they filled it (decision 040); what they could fix as a visitor is answered here first.
  if (intent === 'buy' && userId === null && product && (!problem || problem.kind === 'blocked')) {
    return redirect(signInPath({ redirectTo: productReturnPath(product.slug, line), purchase: true }), { headers })
  }
  if (problem) return fail({ [problem.field]: problem.message }, problem.status, { title })
  if (intent === 'buy') return redirect(buyNowPath(line), { headers })
  if (!inCart && cart.lines.length >= MAX_CART_LINES) return fail({ form: c.errors.full(MAX_CART_LINES) }, 400, { title })
  if (userId !== null) {
    // Checked again in the statement itself, in case another tab added in the meantime.
    const added = await addCartItem({ userId, line, limit: product!.perMemberLimit })
    if (!added) {
      const limit = product!.perMemberLimit
      return limit === null ? fail({ form: c.errors.full(MAX_CART_LINES) }, 400, { title }) : fail({ qty: c.errors.limit(limit) }, 400, { title })
    }
  } else if (!(await saveVisitorCart(addLine(cart.lines, line)))) {
    return fail({ form: c.errors.full(MAX_CART_LINES) }, 400, { title })
  }
  return redirectWithFlash('/cart', { kind: 'success', message: c.added }, { headers, onlyThere: true })
}

function lineKey(formData: FormData) {
  const productId = formData.get('productId')
  if (typeof productId !== 'string') return null
  const variantId = String(formData.get('variantId') ?? '').trim()
  return `${productId}${variantId === '' ? '' : `/${variantId}`}:${String(formData.get('personalisation') ?? '').trim()}`
}

export default function Cart() {
  const { lines, goodsFen, shippingFeeFen, totalFen, units, blocked, signedIn } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const errors = actionData?.errors ?? {}
  // Errors of the add form (from a product page) have no line here: shown at the top.
  const topError = actionData && actionData.line === null ? Object.values(errors)[0] : undefined
  const lineErrors = actionData?.line ? actionData.errors : {}

  return (
    <div className="mx-auto max-w-4xl">
      <PageTitle>{c.title}</PageTitle>
      {topError ? (
        <div className="mb-4">
          <FormError error={actionData?.title ? t.orders.checkout.errors.line(actionData.title, topError) : topError} />
        </div>
      ) : null}
      {lines.length === 0 ? (
        <>
          <EmptyState>{c.empty}</EmptyState>
          <p className="mt-6 text-center">
            <Link to="/shop" className={buttonClass('primary')}>
              {c.goShopping}
            </Link>
          </p>
        </>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[1fr_20rem] lg:items-start">
          <Card className="!p-0">
            <ul className="divide-y divide-stone-100">
              {lines.map((line) => (
                <li key={line.key} className="p-4 sm:p-5">
                  <CartLineView line={line}>
                    <div className="mt-3 flex items-center gap-2">
                      <Form method="post" className="flex items-center gap-2">
                        <input type="hidden" name="productId" value={line.productId} />
                        <input type="hidden" name="variantId" value={line.variantId ?? ''} />
                        <input type="hidden" name="personalisation" value={line.personalisation} />
                        <label className="flex items-center gap-2 text-sm text-stone-600">
                          {c.quantity}
                          <input
                            name="qty"
                            type="number"
                            inputMode="numeric"
                            min={1}
                            max={99}
                            defaultValue={line.qty}
                            aria-invalid={actionData?.line === line.key && lineErrors.qty ? true : undefined}
                            className="block w-16 rounded-lg border border-stone-300 bg-white px-2.5 py-1.5 text-base text-stone-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
                          />
                        </label>
                        <Button name="intent" value="update" variant="secondary" className="px-3 py-1.5" aria-label={c.updateQtyOf(line.title)} disabled={busy}>
                          {c.updateQty}
                        </Button>
                      </Form>
                      <Form method="post" className="ml-auto">
                        <input type="hidden" name="productId" value={line.productId} />
                        <input type="hidden" name="variantId" value={line.variantId ?? ''} />
                        <input type="hidden" name="personalisation" value={line.personalisation} />
                        <button
                          type="submit"
                          name="intent"
                          value="remove"
                          aria-label={c.removeLabel(line.title)}
                          disabled={busy}
                          className="rounded-md px-2 py-1.5 text-sm text-stone-500 hover:bg-red-50 hover:text-red-700 disabled:opacity-60"
                        >
                          {c.remove}
                        </button>
                      </Form>
                    </div>
                    {actionData?.line === line.key ? (
                      <p role="alert" className="mt-2 text-sm text-red-700">
                        {Object.values(lineErrors)[0]}
                      </p>
                    ) : null}
                  </CartLineView>
                </li>
              ))}
            </ul>
          </Card>

          <Card className="lg:sticky lg:top-24">
            <GoodsAndShipping goodsFen={goodsFen} shippingFeeFen={shippingFeeFen} className="mb-3 border-b border-stone-200 pb-3" />
            <p className="flex items-baseline justify-between">
              <span className="text-stone-600">
                {c.total} <span className="text-sm text-stone-500">（{c.itemCount(units)}）</span>
              </span>
              <span className="text-2xl font-bold text-brand-800">{formatFen(totalFen)}</span>
            </p>
            {blocked ? (
              <>
                <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">{c.blockedHint}</p>
                <Button type="button" className="mt-4 w-full" disabled>
                  {c.checkout}
                </Button>
              </>
            ) : (
              <Link to="/checkout" className={buttonClass('primary', 'mt-4 w-full py-3 text-base')}>
                {c.checkout}
              </Link>
            )}
            {signedIn ? null : <p className="mt-3 text-xs text-stone-500">{c.visitorHint}</p>}
            <Link to="/shop" className="mt-3 block text-center text-sm text-stone-600 hover:text-brand-700">
              {c.continueShopping}
            </Link>
          </Card>
        </div>
      )}
    </div>
  )
}
