// Placing a shop order (/checkout), and the shop's goods as an order kind of the commerce core:
// the receipt a payment sends and the rule for a payment that arrives after its order lapsed.
// Placing and the late rule decide inside the write transaction: the buyer's tier, the sale
// window, the price, personalisation and the per-member limit are read under the same write lock
// that takes the stock, so nothing can change between the check and the hold (issue 11).
import { eq } from 'drizzle-orm'
import { users, type Order, type OrderLine, type ShippingAddress } from '../../db/schema'
import type { Viewer } from '~/domain/access'
import { variantLabel } from '~/domain/variants'
import type { CartLine, LineProblem } from '~/domain/cart-forms'
import { orderReceiptEmail } from '~/emails/order'
import { executeOn, transaction, type Executor } from '~/utils/db.server'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { addAddress, getAddress, listAddresses } from './address.server'
import { priceCart, removeCartItems, type PricedLine } from './cart.server'
import { defineOrderKind, holdOrder, orderRefusal, type LineRequest, type OrderRefusal, type PaidOrder } from './commerce/index.server'
import { getMembershipPeriods } from './membership.server'
import { cartShippingFee, getShippingRule } from './shipping.server'

/** The viewer checkAccess() takes, read in the caller's transaction (not from the session, which may be stale). */
export async function viewerOf(userId: number, executor: Executor): Promise<Viewer> {
  const [user] = await executor.select({ role: users.role }).from(users).where(eq(users.id, userId))
  if (!user) return null
  return { role: user.role, memberships: await getMembershipPeriods(userId, executor) }
}

export type CheckoutResult =
  | { ok: true; order: Order }
  | { ok: false; reason: 'line'; line: PricedLine; problem: LineProblem }
  | { ok: false; reason: 'address_not_found' }
  | (OrderRefusal & { title: string })

/** Where the order goes: one of the buyer's saved addresses, or a new one (then saved to their book). */
export type CheckoutShipping = { addressId: number } | { address: ShippingAddress }

/** Thrown to roll the checkout back when the chosen saved address is not the buyer's (deleted in another tab). */
class AddressGone extends Error {}

/** Thrown to roll the checkout back when a line cannot be bought. */
class LineRefused extends Error {
  constructor(
    readonly line: PricedLine,
    readonly problem: LineProblem,
  ) {
    super(problem.kind)
  }
}

/**
 * Prices and gates the lines as this buyer would buy them now, decides the shipping fee from the
 * rule and the products as they stand, holds every line (all or nothing), removes the cart lines
 * bought (`cartItemIds`) and saves a new address to the buyer's book — one transaction.
 */
export async function placeCheckout({
  userId,
  lines,
  shipping,
  cartItemIds,
  now,
}: {
  userId: number
  lines: readonly CartLine[]
  shipping: CheckoutShipping
  cartItemIds: readonly number[]
  now: Date
}): Promise<CheckoutResult> {
  let requests: LineRequest[] = []
  try {
    return await transaction(async (tx) => {
      const viewer = await viewerOf(userId, tx)
      const priced = await priceCart({ lines, viewer, userId, now, executor: tx })
      for (const line of priced.lines) if (line.problem) throw new LineRefused(line, line.problem)
      requests = priced.lines.map(({ product, variant, qty, unitPriceFen, personalisation }) => ({
        // A variant is held from its own stock; the product's limit counts across all of them (decision 047).
        stockId: variant ? variant.stock.id : product!.stock.id,
        qty,
        unitPriceFen,
        title: product!.title,
        productId: product!.id,
        variantId: variant?.id ?? null,
        variantLabel: variant ? variantLabel(product!.options, variant.optionValues) : null,
        personalisation: personalisation || null,
        perUserLimit: product!.perMemberLimit,
        limitStockIds: product!.stockIds,
        takesNumbers: product!.limitedEdition,
      }))
      const address = await shippingAddress(tx, { userId, shipping, now })
      // Decided here, from the rule and the prices read under the write lock: never from the form.
      const shippingFeeFen = cartShippingFee(await getShippingRule(tx), priced)
      const { order } = await holdOrder(tx, { userId, kind: 'goods', lines: requests, shipping: address, shippingFeeFen, now })
      await removeCartItems({ userId, ids: cartItemIds }, tx)
      return { ok: true as const, order }
    })
  } catch (error) {
    if (error instanceof LineRefused) return { ok: false, reason: 'line', line: error.line, problem: error.problem }
    if (error instanceof AddressGone) return { ok: false, reason: 'address_not_found' }
    const refused = orderRefusal(error)
    if (!refused) throw error
    const refusedLine = 'stockId' in refused ? requests.find((line) => line.stockId === refused.stockId) : undefined
    // A variant is named with its product: 「知音卫衣（尺码：L）」已售罄.
    const title = refusedLine ? (refusedLine.variantLabel ? `${refusedLine.title}（${refusedLine.variantLabel}）` : refusedLine.title) : ''
    return { ...refused, title }
  }
}

/**
 * The address the order ships to: the saved one chosen (it must still be the buyer's), or the new
 * one typed, which joins the buyer's book unless the same address is already in it (and becomes
 * the default when it is their first). A full book still ships; it just saves nothing more.
 */
async function shippingAddress(tx: Executor, { userId, shipping, now }: { userId: number; shipping: CheckoutShipping; now: Date }): Promise<ShippingAddress> {
  if ('addressId' in shipping) {
    const saved = await getAddress({ id: shipping.addressId, userId }, tx)
    if (!saved) throw new AddressGone()
    const { id: _id, isDefault: _default, ...address } = saved
    return address
  }
  const same = (await listAddresses(userId, tx)).some((saved) => (Object.keys(shipping.address) as (keyof ShippingAddress)[]).every((key) => saved[key] === shipping.address[key]))
  if (!same) await addAddress({ userId, address: shipping.address, now }, tx)
  return shipping.address
}

/**
 * Would this shop order be accepted now, as it stands (same lines, same prices)? Null if so,
 * else why not: a line's problem ('unavailable', 'blocked' by tier or sale window,
 * 'personalisation', 'limit', 'sold_out') or 'price_changed'. In the caller's transaction.
 */
export async function goodsOrderProblem(tx: Executor, order: Order, lines: readonly OrderLine[], now: Date): Promise<string | null> {
  const viewer = await viewerOf(order.userId, tx)
  const wanted = lines.map((line) => ({ productId: line.productId ?? 0, variantId: line.variantId, qty: line.qty, personalisation: line.personalisation ?? '' }))
  const priced = await priceCart({ lines: wanted, viewer, userId: order.userId, now, executor: tx })
  for (const [index, line] of priced.lines.entries()) {
    if (line.problem) return line.problem.kind
    if (line.unitPriceFen !== lines[index]!.unitPriceFen) return 'price_changed'
  }
  // The payment covers the fee stored with the order; a changed rule would charge another.
  if (cartShippingFee(await getShippingRule(tx), priced) !== order.shippingFeeFen) return 'price_changed'
  return null
}

/** A paid shop order: the buyer gets a receipt (shipping is the admin's next step). */
async function sendReceipt(tx: Executor, { order, lines }: PaidOrder, now: Date) {
  // Every goods payment runs this: plain SQL (executeOn, docs/decisions/030).
  const { rows } = await executeOn(tx, { sql: 'SELECT email, display_name FROM users WHERE id = ?', args: [order.userId] })
  const buyer = rows[0]
  if (!buyer) return
  const message = orderReceiptEmail({
    name: String(buyer.display_name),
    order,
    lines,
    url: `${getEnv().SITE_URL}/orders/${order.id}`,
  })
  await sendEmail({ ...message, to: String(buyer.email), template: 'order-receipt' }, tx, now)
}

defineOrderKind('goods', {
  fulfil: sendReceipt,
  lateOrderProblem: goodsOrderProblem,
  // The stock itself is given back by the core's requestRefund(); goods grant nothing else.
  returnUnits: async () => {},
})
