// Payments: /pay/:orderId and the provider webhooks — part of the zh-CN catalogue (app/i18n/zh-CN.ts).
export const paymentsZhCN = {} as const
