// The catalogue's areas that nearly every page reads (site, navigation, field names, errors …),
// and the helpers the other areas share. Part of app/i18n/zh-CN.ts (decision 028).

export const siteZhCN = {
  name: '知音',
  tagline: '每天 60 秒，听见知音',
  description: '知音：每日 60 秒语音、会员社群、限量好物，一年一次的会员招募。',
  footer: '知音 Zhiyin · 开源的知识社群会员站',
  support: '联系客服',
  supportWechat: (id: string) => `联系客服：微信 ${id}`,
  skipToContent: '跳到正文',
  loading: '正在加载…',
} as const

export const navZhCN = {
  daily: '每日',
  community: '社群',
  courses: '又一课',
  shop: '商城',
  membership: '会员',
  login: '登录',
  signup: '注册',
  account: '我的账户',
  memberCard: '我的会员卡',
  orders: '我的订单',
  cart: '购物车',
  cartWith: (lines: number) => (lines === 0 ? '购物车（空）' : `购物车（${lines} 件）`),
  admin: '管理后台',
  logout: '退出登录',
  menu: '账户菜单',
  menuSuffix: '（账户菜单）',
  primary: '主导航',
} as const

export const rolesZhCN = { user: '用户', editor: '编辑', admin: '管理员' } as const

export const tierBadgeZhCN = { free: '免费用户' } as const

export const fieldsZhCN = {
  email: '邮箱',
  password: '密码',
  newPassword: '新密码',
  confirmPassword: '确认新密码',
  currentPassword: '当前密码',
  displayName: '昵称',
  search: '搜索用户',
  tier: '会员等级',
  validUntil: '有效期至',
  note: '备注（可选）',
  role: '角色',
} as const

export const errorsZhCN = {
  emailInvalid: '请输入有效的邮箱地址',
  emailTaken: '该邮箱已注册，请直接登录',
  passwordTooShort: '密码至少 8 个字符',
  passwordTooLong: '密码不能超过 128 个字符',
  passwordMismatch: '两次输入的密码不一致',
  nameRequired: '请填写昵称',
  nameTooLong: '昵称不能超过 40 个字符',
  displayName: {
    control: '昵称不能包含控制字符',
    bidi: '昵称不能包含改变文字方向的控制字符',
    invisible: '昵称不能只有空格或看不见的字符',
  },
  nameReserved: '这个昵称是保留的或与工作人员的昵称相同，请换一个',
  loginFailed: '邮箱或密码不正确',
  currentPasswordWrong: '当前密码不正确',
  tooManyAttempts: (seconds: number) => `登录失败次数过多，请 ${formatWait(seconds)}后再试`,
  tooManySignups: (seconds: number) => `注册太频繁，请 ${formatWait(seconds)}后再试`,
  tokenInvalid: '链接无效，请重新获取',
  tokenUsed: '链接已经使用过，请重新获取',
  tokenExpired: '链接已过期，请重新获取',
  required: '此项必填',
  invalidChoice: '无效的选项',
  dateInvalid: '请输入有效的日期',
  dateInPast: '有效期不能早于今天',
  userNotFound: '找不到该用户',
  cannotDemoteSelf: '不能修改自己的角色',
  crossOrigin: '请求来源不受信任',
  malformedUpload: '上传的内容无法解析，请重新选择文件上传',
  exportByPost: '405 请在管理后台的页面上点「导出 CSV」按钮导出（导出只接受表单提交）',
} as const

// What the server answers before a request reaches any page (server/request-guards.ts).
export const httpZhCN = {
  badPath: '400 请求地址无法解析：其中的 % 编码无效',
  badHost: '400 请求的主机名无效',
  unsupportedType: '415 不支持的提交格式：请通过网站上的表单提交',
  tooLarge: (limitBytes: number) => `413 提交的内容过大（上限 ${formatBytes(limitBytes)}），未被处理`,
  unreadableBody: '400 提交的内容无法读取（不是完整的 UTF-8 文本）',
  postOnly: '405 这个地址只接受表单提交（POST）',
} as const

export const pagesZhCN = {
  notFound: { title: '页面不存在', body: '你要找的页面不存在，或已被移走。' },
  forbidden: { title: '没有权限', body: '你没有权限访问此页面。如果你认为这是个错误，请联系管理员。' },
  gone: { title: '链接已失效', body: '这个链接已失效。' },
  tooMany: { title: '请求过于频繁', body: '请稍后再试。' },
  badRequest: { title: '请求无效', body: '请求无法处理，请检查后重试。' },
  serverError: { title: '出错了', body: '服务器遇到了问题，我们已经记录下来。请稍后再试。' },
  backHome: '返回首页',
} as const

export const flashZhCN = { close: '关闭提示' } as const

// The legal texts' names: the footer links to them on every page, and sign-up asks to agree to them.
export const legalZhCN = {
  terms: '用户协议',
  privacy: '隐私政策',
  updatedAt: (date: string) => `更新于 ${date}`,
} as const

// What stands in for an image that is not loaded (in emails, external images in members' posts).
export const markdownZhCN = { imageLink: (alt: string) => (alt.trim() ? `[图片：${alt.trim()}]` : '[图片]') } as const

export const commonZhCN = { save: '保存', cancel: '取消', yes: '是', no: '否' } as const

export function formatBytes(bytes: number) {
  if (bytes < 1024 * 1024) return `${Math.floor(bytes / 1024)} KB`
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`
}

export function formatWait(seconds: number) {
  if (seconds < 60) return `${seconds} 秒`
  return `${Math.ceil(seconds / 60)} 分钟`
}

// The test-mode banners the root shows on every page (decisions 011, 020): here rather than in the
// payments and WeChat areas, so that every page does not download those whole areas for two lines.
export const bannersZhCN = {
  payments: '演示站点：支付为模拟支付，不会真实扣款。',
  paymentsProduction: '⚠ 本站正处于支付测试模式：付款均为模拟，不会真实扣款，订单不会发货。',
  wechat: '微信测试模式：「微信登录」是模拟的，不会连接微信。',
  wechatProduction: '⚠ 本站正处于微信测试模式：任何人都能以模拟的微信用户登录。',
} as const
