// The drop's waiting room on /membership (docs/decisions/031-drop-waiting-room.md) — part of the
// zh-CN catalogue (app/i18n/zh-CN.ts); its own area, so pages that only mention the drop do not
// download it (decision 028).
export const dropLineZhCN = {
  title: '排队中',
  chosen: (tier: string) => `你选择的是${tier}，排到你时会自动为你锁定席位。`,
  ahead: (n: number) => `前面还有 ${n.toLocaleString('zh-CN')} 人`,
  next: '马上轮到你',
  eta: (seconds: number) => `预计 ${seconds.toLocaleString('zh-CN')} 秒`,
  etaUnknown: '正在估算等待时间',
  keepOpen: '请保持本页打开：离开本页超过 15 秒，排队位置会让给后面的人。',
  noScript: '浏览器未开启 JavaScript：请每隔几秒点一次「刷新」保持排队，轮到你时会直接锁定席位。',
  refresh: '刷新',
  admitted: '轮到你了，正在锁定席位…',
  outnumbered: '已满：前面排队的人已多于剩余席位。席位全部售出后可以登记候补，有席位退回时按登记顺序通知。',
  lapsed: '你的排队位置已失效（页面关闭或太久没有响应），可以重新排队。',
  used: '这个排队位置已经用过了：每个位置只能下单一次。',
  invalid: '排队凭证无效，请刷新页面后重新排队。',
  closed: '本期招募已结束',
  busy: '抢的人太多了，这一下没能处理，请等几秒再点一次（排队位置仍然保留）。',
}
