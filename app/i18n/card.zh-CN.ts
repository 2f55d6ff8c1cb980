// Member card: /membership/card and its share image — part of the zh-CN catalogue (app/i18n/zh-CN.ts).
export const cardZhCN = {
  title: '我的会员卡',
} as const
