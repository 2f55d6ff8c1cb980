// /checkout: the shipping address and the order summary, priced on the server (the form has no
// price fields, and any sent are ignored). Placing the order prices, gates and holds every line
// in one transaction (placeCheckout, all or nothing) and sends the buyer to /pay/:orderId. With ?buy=…&qty=…&p=… (立即购买)
// the order is that one line, and the cart is left as it is.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { CartLineView } from '~/components/order'
import { StickyBar } from '~/components/sticky-bar'
import { Field, FormError } from '~/components/field'
import { Button, Card, PageTitle } from '~/components/ui'
import { ADDRESS_FIELDS } from '~/domain/address'
import { addressForm } from '~/domain/address.server'
import type { LineProblem } from '~/domain/cart-forms'
import { parseBuyNow } from '~/domain/cart-forms.server'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { paymentsZhCN } from '~/i18n/payments.zh-CN'
import { getSavedAddress } from '~/models/address.server'
import { cartLineView, priceCart, type PricedLine } from '~/models/cart.server'
import { placeCheckout } from '~/models/checkout.server'
import { requireAuth, getViewer } from '~/utils/auth.server'
import { requestCart } from '~/utils/cart-cookie.server'
import { getEnv } from '~/utils/env.server'
import { flashHeader } from '~/utils/flash.server'
import { formatFen } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { paymentsAvailable } from '~/utils/payments.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { orders: ordersZhCN, payments: paymentsZhCN, site: siteZhCN }

const c = t.orders.checkout
const a = t.orders.address

export const meta: MetaFunction = () => [{ title: `${c.title} · ${t.site.name}` }]

/**
 * The signed-in buyer and what they are checking out: the cart (a visitor cookie still on this
 * browser merged in), or the one 立即购买 line in the URL, which leaves the cart as it is.
 */
async function checkoutLines(request: Request) {
  const auth = await requireAuth(request)
  const cart = await requestCart(request, auth.user.id)
  const headers = new Headers()
  if (cart.setCookie) headers.append('Set-Cookie', cart.setCookie)
  const buyNow = parseBuyNow(new URL(request.url).searchParams)
  if (buyNow && !buyNow.ok) throw new Response(c.errors.badBuyNow, { status: 400, headers })
  const lines = buyNow ? [buyNow.line] : cart.lines
  if (lines.length === 0) throw redirect('/cart', { headers })
  return { user: auth.user, lines, buyNow: buyNow !== null, headers }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date()
  const { user, lines, buyNow, headers } = await checkoutLines(request)
  // What the page shows; placing the order prices and gates again inside its transaction.
  const priced = await priceCart({ lines, viewer: await getViewer(request), userId: user.id, now })
  const product = buyNow ? priced.lines[0]?.product : undefined
  return data(
    {
      lines: priced.lines.map(cartLineView),
      // Where 「修改」 leads: the cart, or back to the product bought now.
      buyNow,
      back: product ? { to: `/shop/p/${product.slug}`, label: c.backToProduct } : { to: '/cart', label: c.editCart },
      totalFen: priced.totalFen,
      units: priced.units,
      blocked: priced.blocked,
      address: await getSavedAddress(user.id),
      holdMinutes: getEnv().HOLD_MINUTES,
      // Without a payment provider nothing is held: the buyer could never pay for it.
      paymentsReady: paymentsAvailable(),
    },
    { headers },
  )
}

type AddressValues = Partial<Record<(typeof ADDRESS_FIELDS)[number], string>>
type ActionData = { errors: FieldErrors; values: AddressValues }

/** What checkout answers for a line that cannot be bought: its status and message. */
function lineRefusal(line: PricedLine, problem: LineProblem) {
  const title = line.product?.title ?? t.orders.cart.errors.unavailable
  switch (problem.kind) {
    case 'sold_out':
      return { status: 409, message: c.errors.soldOut(title) }
    case 'limit':
      return { status: 409, message: c.errors.limit(title, problem.limit) }
    default:
      return { status: problem.status, message: c.errors.line(title, problem.message) }
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const now = new Date()
  const { user, lines, headers } = await checkoutLines(request)
  const formData = await request.formData()
  const values: AddressValues = Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, String(formData.get(field) ?? '')]))
  const fail = (errors: FieldErrors, status: number) => data<ActionData>({ errors, values }, { status, headers })

  const address = parseForm(addressForm, formData)
  if (!address.ok) return fail(address.errors, 400)
  if (!paymentsAvailable()) return fail({ form: t.payments.notSetUp }, 503)

  // Every line again, as it is now (gating, sale window, personalisation, limits, stock, price),
  // decided in the transaction that holds the stock.
  const cartItemIds = lines.flatMap((line) => ('id' in line && typeof line.id === 'number' ? [line.id] : []))
  const result = await placeCheckout({ userId: user.id, lines, shipping: address.data, cartItemIds, now })
  if (!result.ok) {
    switch (result.reason) {
      case 'line': {
        const refusal = lineRefusal(result.line, result.problem)
        return fail({ form: refusal.message }, refusal.status)
      }
      case 'exclusive_taken':
        return fail({ form: c.errors.taken }, 409)
      case 'sold_out':
        return fail({ form: c.errors.soldOut(result.title) }, 409)
      case 'limit_reached':
        return fail({ form: c.errors.limit(result.title, result.limit) }, 409)
    }
  }
  headers.append('Set-Cookie', await flashHeader({ kind: 'success', message: c.placed }))
  return redirect(`/pay/${result.order.id}`, { status: 303, headers })
}

export default function Checkout() {
  const { lines, buyNow, back, totalFen, units, blocked, address, holdMinutes, paymentsReady } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const errors = actionData?.errors ?? {}
  const value = (field: (typeof ADDRESS_FIELDS)[number]) => actionData?.values[field] ?? address?.[field] ?? ''
  const fieldErrors = ADDRESS_FIELDS.some((field) => errors[field])
  const formRef = useRef<HTMLFormElement>(null)
  // After a refused submit, the first field in error takes the focus (and scrolls into view).
  useEffect(() => {
    if (actionData) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [actionData])

  const submit = (className: string) => (
    <Button className={className} disabled={busy || blocked || !paymentsReady}>
      {busy ? c.submitting : c.submit}
    </Button>
  )

  return (
    <div className="mx-auto max-w-4xl">
      <PageTitle subtitle={c.subtitle}>{c.title}</PageTitle>
      <Form ref={formRef} method="post" noValidate className="grid gap-4 lg:grid-cols-[1fr_22rem] lg:items-start">
        <Card>
          <h2 className="mb-4 text-lg font-semibold text-stone-900">{c.addressTitle}</h2>
          <div className="grid gap-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label={a.name} name="name" autoComplete="name" maxLength={40} defaultValue={value('name')} error={errors.name} required />
              <Field
                label={a.phone}
                name="phone"
                type="tel"
                inputMode="numeric"
                autoComplete="tel-national"
                maxLength={20}
                defaultValue={value('phone')}
                error={errors.phone}
                hint={a.phoneHint}
                required
              />
            </div>
            <div className="grid grid-cols-3 gap-2 sm:gap-4">
              <Field label={a.province} name="province" autoComplete="address-level1" maxLength={40} defaultValue={value('province')} error={errors.province} required />
              <Field label={a.city} name="city" autoComplete="address-level2" maxLength={40} defaultValue={value('city')} error={errors.city} required />
              <Field label={a.district} name="district" autoComplete="address-level3" maxLength={40} defaultValue={value('district')} error={errors.district} required />
            </div>
            <Field
              label={a.street}
              name="street"
              autoComplete="street-address"
              maxLength={200}
              defaultValue={value('street')}
              error={errors.street}
              hint={a.streetHint}
              required
            />
          </div>
          <p className="mt-4 text-xs text-stone-500">{c.addressSaved}</p>
        </Card>

        <Card className="lg:sticky lg:top-24">
          <div className="mb-3 flex items-baseline justify-between">
            <h2 className="text-lg font-semibold text-stone-900">{c.summaryTitle}</h2>
            <Link to={back.to} className="text-sm text-brand-700 hover:underline">
              {back.label}
            </Link>
          </div>
          <ul className="divide-y divide-stone-100">
            {lines.map((line) => (
              <li key={line.key} className="py-3">
                <CartLineView line={line} compact />
              </li>
            ))}
          </ul>
          <p className="mt-2 flex items-baseline justify-between border-t border-stone-200 pt-4">
            <span className="text-stone-600">
              {c.total} <span className="text-sm text-stone-500">（{t.orders.cart.itemCount(units)}）</span>
            </span>
            <span className="text-2xl font-bold text-brand-800">{formatFen(totalFen)}</span>
          </p>
          {!paymentsReady ? (
            <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">{t.payments.notSetUp}</p>
          ) : blocked ? (
            <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">{buyNow ? c.blockedBuyNow : c.blocked}</p>
          ) : (
            <p className="mt-3 text-sm text-stone-500">{c.holdNotice(holdMinutes)}</p>
          )}
          {/* Next to the button, where a phone user's eyes are when the answer comes back. */}
          {errors.form || fieldErrors ? (
            <div className="mt-4">
              <FormError error={errors.form ?? c.fixAddress} />
            </div>
          ) : null}
          {/* One 提交订单 on each screen: here beside the summary from lg up, in the bar below it. */}
          <div className="mt-4 hidden lg:block">{submit('w-full py-3 text-base')}</div>
        </Card>
        {/* On a phone the summary comes after the address form: 合计 and 提交订单 stay on screen (decision 043). */}
        <StickyBar
          label={c.bar}
          hideFrom="lg"
          summary={
            <p className="leading-tight">
              <span className="block text-xs text-stone-500">
                {c.barTotal}（{t.orders.cart.itemCount(units)}）
              </span>
              <span className="text-xl font-bold text-brand-800 tabular-nums">{formatFen(totalFen)}</span>
            </p>
          }
        >
          {submit('px-6 py-3 text-base')}
        </StickyBar>
      </Form>
    </div>
  )
}
