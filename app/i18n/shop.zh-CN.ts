// Catalogue: /shop pages and /admin/products — part of the zh-CN catalogue (app/i18n/zh-CN.ts).
export const shopZhCN = {} as const
