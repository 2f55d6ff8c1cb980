// Member card: /membership/card and its share image — part of the zh-CN catalogue (app/i18n/zh-CN.ts).
export const cardZhCN = {
  title: '我的会员卡',
  face: {
    brand: '知音',
    brandLatin: 'ZHIYIN MEMBER',
    number: (n: string) => `第 ${n} 号`,
    complimentary: '赠送会员',
    demo: '体验会员',
    member: '知音会员',
    validUntil: '有效期至',
    expired: '已过期',
  },
  page: {
    subtitle: '一年一次的招募，一个属于你的编号。',
    active: (until: string) => `会员有效期至 ${until}，感谢你的支持。`,
    expired: '这张会员卡已过期，它会作为你的纪念保留在这里。',
    renew: '查看本年度会员招募',
    details: '会员信息',
    number: '会员编号',
    tier: '会员等级',
    name: '昵称',
    drop: '招募',
    validUntil: '有效期至',
    noNumber: '无编号',
  },
  share: {
    title: '分享我的会员卡',
    body: '保存这张卡面图片，发给朋友或分享到朋友圈。',
    wechat: '在微信里：长按图片保存，或点右上角分享。',
    open: '打开分享图片',
    link: '或者分享这个链接（在微信里打开会显示你的卡面）：',
    alt: (name: string, headline: string, tier: string) => `${name}的知音会员卡：${headline} · ${tier}`,
  },
  empty: {
    title: '你还没有会员卡',
    body: '知音每年开放一次会员招募，入会后会按付款顺序获得专属编号，会员卡就会出现在这里。',
    cta: '查看会员招募',
  },
  meta: {
    title: (name: string) => `${name}的知音会员卡`,
    description: (headline: string, tier: string, drop: string | null) => [drop, tier, headline].filter(Boolean).join(' · '),
  },
  shared: {
    body: '知音每天清晨一段 60 秒语音，一年一次会员招募，每位会员按付款顺序获得专属编号。',
    cta: '了解知音会员',
  },
  notFound: '找不到这张会员卡',
} as const
