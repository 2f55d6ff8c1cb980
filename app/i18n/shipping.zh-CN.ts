// Shipping fees on the reader's pages (decision 048): the product page's note and the 运费 lines
// of the cart, checkout and orders — part of the zh-CN catalogue (app/i18n/zh-CN.ts).
export const shippingZhCN = {
  fee: '运费',
  free: '包邮',
  /** 「运费 ¥10 · 满 ¥199 包邮」 */
  note: (fee: string, freeOver: string | null) => (freeOver ? `运费 ${fee} · 满 ${freeOver} 包邮` : `运费 ${fee}`),
  goods: '商品金额',
  /** What the order pays for delivery, on a summary line: 「¥10」 or 「包邮」. */
  amount: (fee: string | null) => fee ?? '包邮',
}
