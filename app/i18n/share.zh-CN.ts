// share: part of the zh-CN catalogue (app/i18n/zh-CN.ts), in a file of its own so that only
// the pages that read it download it (decision 028).

// Share cards, posters (海报) and referrals (issue 13, docs/decisions/022).
export const shareZhCN = {
  posterButton: '生成海报',
  posterHint: '在微信里长按图片即可保存或发送给朋友',
  posterAlt: (title: string) => `「${title}」的分享海报`,
  scanToRead: '长按识别二维码',
  scanToJoin: '长按识别二维码，加入知音',
  invitedBy: (name: string) => `${name} 邀请你一起听`,
  membershipTitle: '知音会员',
  membershipDescription: '每天 60 秒语音、一篇文章，和一群一起听的人。',
  threadDescription: (board: string) => `知音社区 · ${board}`,
  referral: {
    title: '邀请读者',
    count: (n: number) => `你邀请了 ${n} 位读者`,
    body: '把带有你邀请码的链接或海报发给朋友：他们注册并验证邮箱后，这里就会记上一位。',
    link: '你的邀请链接：',
  },
  errors: {
    url: '只能为本站的网页生成微信分享签名',
    off: '本站未启用微信公众号接入',
    wechat: (code: number) => `微信接口暂时不可用（错误码 ${code}），请稍后再试`,
    notFound: '没有找到要生成海报的内容',
    noCard: '你还没有会员卡',
  },
} as const
