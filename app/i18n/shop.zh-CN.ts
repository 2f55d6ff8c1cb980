// Catalogue: /shop pages and /admin/products — part of the zh-CN catalogue (app/i18n/zh-CN.ts).
export const shopZhCN = {
  purchaseBlocked: {
    not_published: '该商品尚未上架',
    not_on_sale_yet: '该商品还未开售',
    sale_ended: '该商品已停止销售',
    sign_in_required: (tier: string) => `本商品仅限${tier}购买，请先登录`,
    membership_required: (tier: string) => `本商品仅限${tier}购买`,
    membership_expired: (tier: string) => `你的会员已过期，本商品仅限${tier}购买`,
    higher_tier_required: (tier: string) => `本商品仅限${tier}购买，升级会员即可购买`,
    /** Used when the caller does not pass the tier's name. */
    anyMember: '会员',
  },
  personalisation: {
    notOffered: '该商品不提供个性化定制',
    tooLong: (label: string, max: number) => `${label}不能超过 ${max} 个字`,
    invalidCharacters: (label: string) => `${label}不能包含换行或控制字符`,
  },
} as const
