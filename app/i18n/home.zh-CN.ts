// home: part of the zh-CN catalogue (app/i18n/zh-CN.ts), in a file of its own so that only
// the pages that read it download it (decision 028).

export const homeZhCN = {
  moreInShop: '去商城看看 →',
  heroTitle: '每天 60 秒，听见知音',
  heroBody: '每天清晨一段不超过 60 秒的语音，说出当天的关键词；回复关键词，读到当天的文章。',
  ctaSignup: '免费注册',
  ctaMembership: '了解会员',
  sections: {
    daily: { icon: '听', title: '每日语音', body: '每天早上 {time} 发布，语音 + 文章，关键词解锁全文。' },
    community: { icon: '聊', title: '会员社群', body: '招聘求职、知识分享，和同频的人交流。' },
    shop: { icon: '购', title: '限量商城', body: '精选书籍与好物，限量编号，会员专享。' },
    membership: { icon: '会', title: '年度会员', body: '一年只开放一次招募，名额有限，先到先得。' },
  },
  tiersTitle: '会员等级',
  welcomeBack: (name: string) => `欢迎回来，${name}`,
} as const
