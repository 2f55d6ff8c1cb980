// wechat: part of the zh-CN catalogue (app/i18n/zh-CN.ts), in a file of its own so that only
// the pages that read it download it (decision 028).

export const wechatZhCN = {
  welcome: (siteUrl: string) =>
    `欢迎关注知音！每天一条 60 秒语音，听完回复语音结尾的关键词，就能收到当天的文章。\n网站：${siteUrl}`,
  help: (siteUrl: string) => `请回复今天语音里的关键词，即可收到当天的文章。\n收听今天的语音：${siteUrl}/daily`,
  errors: {
    notEnabled: '本站未启用微信公众号接入',
    signature: '签名校验失败',
    stale: '签名已过期：timestamp 与服务器时间相差超过 5 分钟',
    replayed: '该请求已处理过（nonce 重复），不再处理',
    echostrMissing: '缺少 echostr 参数',
    tooLarge: '消息过大（上限 64 KB）',
    entities: '消息中不允许出现 DOCTYPE 或实体声明',
    malformed: '无法解析的消息 XML',
    safeMode: '暂不支持安全模式（消息加密）：请在公众号后台「基本配置」中把消息加解密方式改为明文模式',
    method: '仅支持 GET 与 POST',
  },
} as const
