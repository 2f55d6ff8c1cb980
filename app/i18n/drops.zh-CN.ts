// Membership drops: /membership, /membership/card, /admin/drops — part of the zh-CN catalogue (app/i18n/zh-CN.ts).
export const dropsZhCN = {} as const
