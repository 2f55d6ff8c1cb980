// Cart, checkout and the buyer's orders (/cart, /checkout, /orders) — part of the zh-CN catalogue (app/i18n/zh-CN.ts).
export const ordersZhCN = {} as const
