// sections: part of the zh-CN catalogue (app/i18n/zh-CN.ts), in a file of its own so that only
// the pages that read it download it (decision 028).

export const sectionsZhCN = {
  daily: { title: '每日', body: '每天一段 60 秒语音和一篇文章。', empty: '还没有发布的每日内容。第一篇发布后会出现在这里。' },
  community: { title: '社群', body: '招聘求职与知识分享两个版块。', empty: '社群版块正在筹备，开放后会员即可发帖。' },
  shop: { title: '商城', body: '本周上新、最热商品与精选分类。', empty: '商城还没有上架商品。' },
  membership: {
    title: '会员',
    body: '知音会员一年只招募一次，名额按等级限量。',
    noDrop: '本年度会员招募尚未开启，开启时间会在这里公布。',
    yourMembership: (tier: string, until: string) => `你是${tier}，有效期至 ${until}`,
    perYear: '/ 年',
    free: '免费',
  },
} as const
