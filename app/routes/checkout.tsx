// /checkout: the shipping address and the order summary, priced on the server (the form has no
// price fields, and any sent are ignored). Placing the order prices, gates and holds every line
// in one transaction (placeCheckout, all or nothing) and sends the buyer to /pay/:orderId. With ?buy=…&qty=…&p=… (立即购买)
// the order is that one line, and the cart is left as it is.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GoodsAndShipping } from '~/components/goods-and-shipping'
import { useEffect, useRef } from 'react'
import { AddressFields } from '~/components/address-form'
import { CartLineView } from '~/components/order'
import { StickyBar } from '~/components/sticky-bar'
import { FormError } from '~/components/field'
import { Button, Card, PageTitle } from '~/components/ui'
import { ADDRESS_FIELDS, formatAddressLine, submittedAddressValues, type AddressValues } from '~/domain/address'
import { addressForm, addressFormState, addressHelperAnswer, type AddressFormState } from '~/domain/address.server'
import type { LineProblem } from '~/domain/cart-forms'
import { parseBuyNow } from '~/domain/cart-forms.server'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { paymentsZhCN } from '~/i18n/payments.zh-CN'
import { addressesZhCN } from '~/i18n/addresses.zh-CN'
import { getAddress, listAddresses } from '~/models/address.server'
import { cartLineView, priceCart, type PricedLine } from '~/models/cart.server'
import { placeCheckout, type CheckoutShipping } from '~/models/checkout.server'
import { cartShippingFee, getShippingRule } from '~/models/shipping.server'
import { requireAuth, getViewer } from '~/utils/auth.server'
import { requestCart } from '~/utils/cart-cookie.server'
import { getEnv } from '~/utils/env.server'
import { flashHeader } from '~/utils/flash.server'
import { formatFen } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { paymentsAvailable } from '~/utils/payments.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { addresses: addressesZhCN, orders: ordersZhCN, payments: paymentsZhCN, site: siteZhCN }

const c = t.orders.checkout
const sc = t.addresses.checkout

/** The radio of 「使用新地址」; the others carry a saved address's id. */
const NEW_ADDRESS = 'new'

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
  const [priced, rule, saved] = await Promise.all([priceCart({ lines, viewer: await getViewer(request), userId: user.id, now }), getShippingRule(), listAddresses(user.id)])
  const product = buyNow ? priced.lines[0]?.product : undefined
  const shippingFeeFen = cartShippingFee(rule, priced)
  const defaultAddress = saved.find((address) => address.isDefault) ?? null
  const { id: _id, isDefault: _default, ...address } = defaultAddress ?? { id: 0, isDefault: false }
  return data(
    {
      lines: priced.lines.map(cartLineView),
      // Where 「修改」 leads: the cart, or back to the product bought now.
      buyNow,
      back: product ? { to: `/shop/p/${product.slug}`, label: c.backToProduct } : { to: '/cart', label: c.editCart },
      goodsFen: priced.totalFen,
      shippingFeeFen,
      // What the order will ask for: the goods and their delivery (decision 048).
      totalFen: priced.totalFen + shippingFeeFen,
      units: priced.units,
      blocked: priced.blocked,
      address: defaultAddress ? (address as AddressValues) : null,
      savedAddresses: saved.map(({ id, isDefault, ...rest }) => ({ id, isDefault, name: rest.name, phone: rest.phone, line: formatAddressLine(rest) })),
      chosen: defaultAddress ? String(defaultAddress.id) : NEW_ADDRESS,
      addressForm: addressFormState({}),
      holdMinutes: getEnv().HOLD_MINUTES,
      // Without a payment provider nothing is held: the buyer could never pay for it.
      paymentsReady: paymentsAvailable(),
    },
    { headers },
  )
}

type ActionData = { errors: FieldErrors; values: AddressValues; chosen: string; addressForm: AddressFormState }

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
  const values = submittedAddressValues(formData)
  // An address form posted without a choice (a form of before several addresses) is a new address.
  const chosen = String(formData.get('addressId') ?? NEW_ADDRESS)
  const fail = (errors: FieldErrors, status: number) => data<ActionData>({ errors, values, chosen, addressForm: addressFormState(values) }, { status, headers })

  // 「识别并填写」 and 「更新城市与区县」 without JavaScript: the form comes back filled, nothing is placed.
  const helper = addressHelperAnswer(formData)
  if (helper) return data<ActionData>({ errors: {}, values: helper.values, chosen: NEW_ADDRESS, addressForm: helper }, { headers })

  const shipping = await chosenShipping(user.id, chosen, formData)
  if (!shipping.ok) return fail(shipping.errors, 400)
  if (!paymentsAvailable()) return fail({ form: t.payments.notSetUp }, 503)

  // Every line again, as it is now (gating, sale window, personalisation, limits, stock, price),
  // decided in the transaction that holds the stock.
  const cartItemIds = lines.flatMap((line) => ('id' in line && typeof line.id === 'number' ? [line.id] : []))
  const result = await placeCheckout({ userId: user.id, lines, shipping: shipping.data, cartItemIds, now })
  if (!result.ok) {
    switch (result.reason) {
      case 'address_not_found':
        return fail({ addressId: sc.gone }, 400)
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

/**
 * The address the buyer chose: a saved one (still checked as a whole, since an address typed
 * before the region picker may name a region that does not exist) or the new one typed.
 */
async function chosenShipping(userId: number, chosen: string, formData: FormData): Promise<{ ok: true; data: CheckoutShipping } | { ok: false; errors: FieldErrors }> {
  if (chosen === NEW_ADDRESS) {
    const address = parseForm(addressForm, formData)
    return address.ok ? { ok: true, data: { address: address.data } } : address
  }
  const id = Number(chosen)
  const saved = Number.isSafeInteger(id) && id > 0 ? await getAddress({ id, userId }) : undefined
  if (!saved) return { ok: false, errors: { addressId: sc.gone } }
  if (!addressForm.safeParse(saved).success) return { ok: false, errors: { addressId: sc.savedInvalid } }
  return { ok: true, data: { addressId: id } }
}

export default function Checkout() {
  const { lines, buyNow, back, goodsFen, shippingFeeFen, totalFen, units, blocked, savedAddresses, chosen, addressForm, holdMinutes, paymentsReady } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const errors = actionData?.errors ?? {}
  const form = actionData?.addressForm ?? addressForm
  const checked = actionData?.chosen ?? chosen
  const fieldErrors = ADDRESS_FIELDS.some((field) => errors[field]) || Boolean(errors.addressId)
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
          <div className="mb-4 flex items-baseline justify-between gap-3">
            <h2 className="text-lg font-semibold text-stone-900">{c.addressTitle}</h2>
            {savedAddresses.length > 0 ? (
              <Link to="/account/addresses" className="text-sm text-brand-700 hover:underline">
                {sc.manage}
              </Link>
            ) : null}
          </div>
          {savedAddresses.length > 0 ? (
            // The new address's fields show while 「使用新地址」 is chosen: CSS (:has), so without JavaScript too.
            <fieldset className="group/address grid gap-2">
              <legend className="sr-only">{sc.choose}</legend>
              {savedAddresses.map((saved) => (
                <label
                  key={saved.id}
                  className="flex cursor-pointer items-start gap-3 rounded-xl border border-stone-200 p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
                >
                  <input type="radio" name="addressId" value={saved.id} defaultChecked={checked === String(saved.id)} className="mt-1 size-4 accent-brand-700" />
                  <span className="min-w-0 text-sm">
                    <span className="font-medium text-stone-900">
                      {saved.name} <span className="tabular-nums">{saved.phone}</span>
                    </span>
                    {saved.isDefault ? <span className="ml-2 rounded bg-brand-100 px-1.5 py-0.5 text-xs text-brand-800">{t.addresses.addresses.isDefault}</span> : null}
                    <span className="mt-0.5 block break-words text-stone-600">{saved.line}</span>
                  </span>
                </label>
              ))}
              <label className="flex cursor-pointer items-center gap-3 rounded-xl border border-stone-200 p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
                <input id="address-new" type="radio" name="addressId" value={NEW_ADDRESS} defaultChecked={checked === NEW_ADDRESS} className="size-4 accent-brand-700" />
                <span className="text-sm font-medium text-stone-900">{sc.useNew}</span>
              </label>
              {errors.addressId ? (
                <p role="alert" className="text-sm text-red-700">
                  {errors.addressId}
                </p>
              ) : null}
              <div className="mt-2 hidden group-has-[#address-new:checked]/address:block">
                <AddressFields values={form.values} choices={form.choices} errors={errors} pasted={form.pasted} />
                <p className="mt-4 text-xs text-stone-500">{sc.newSaved}</p>
              </div>
            </fieldset>
          ) : (
            <>
              <AddressFields values={form.values} choices={form.choices} errors={errors} pasted={form.pasted} />
              <p className="mt-4 text-xs text-stone-500">{c.addressSaved}</p>
            </>
          )}
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
          <GoodsAndShipping goodsFen={goodsFen} shippingFeeFen={shippingFeeFen} className="mt-2 border-t border-stone-200 pt-3" />
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
