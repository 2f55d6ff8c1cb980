// /admin/orders: fulfilment, refunds, CSV export — part of the zh-CN catalogue (app/i18n/zh-CN.ts).
export const adminOrdersZhCN = {} as const
