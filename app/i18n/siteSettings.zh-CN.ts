// The admin's site settings (/admin/settings, decision 052) — part of the zh-CN catalogue
// (app/i18n/zh-CN.ts).
export const siteSettingsZhCN = {
  nav: '网站设置',
  title: '网站设置',
  subtitle: '保存后一秒内全站生效；未登录访客看到的缓存页面最迟一两分钟后更新。',
  publishTime: '每日发布时间',
  publishTimeHint: (fallback: string) => `24 小时制，如 07:00。新建每日时建议此时间，首页「每天早上几点发布」也据此显示。留空即用默认值 ${fallback}`,
  supportContact: '联系客服',
  supportContactHint: (fallback: string | null) =>
    `页脚显示的邮箱或微信号，邮箱会带上链接。${fallback ? `留空即用默认值 ${fallback}` : '留空则不显示'}`,
  icpNumber: 'ICP 备案号',
  icpNumberHint: (fallback: string | null) =>
    `例如 京ICP备12345678号-1，页脚显示并链接到工信部备案查询。${fallback ? `留空即用默认值 ${fallback}` : '留空则不显示'}`,
  save: '保存设置',
  saved: '网站设置已保存',
  auditActions: {
    'site.settings': '修改网站设置',
  } as Record<string, string>,
  errors: {
    incomplete: '表单不完整，请刷新页面后重试',
    publishTime: '请按 时:分 填写 24 小时制时间，例如 06:30',
    supportContactLength: (min: number, max: number) => `联系客服须为 ${min}–${max} 个字`,
    supportContactCharacters: '联系客服不能包含换行或控制字符',
    supportContactEmail: '含 @ 的联系方式须是完整的邮箱地址，例如 help@zhiyin.cn',
    icpNumber: '请填写完整的备案号，例如 京ICP备12345678号-1',
  },
}
