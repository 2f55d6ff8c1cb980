// An audit entry as the admin reads it (issue 18): who did what to which thing, with a link to
// it, and what changed in words and in site time — not the stored JSON with UTC instants.
import { formatDateTime, formatFen } from '~/utils/format'

export interface AuditRecord {
  action: string
  targetType: string
  targetId: string
  detail: unknown
}

export interface AuditSentence {
  /** What was done (「修改会员招募」). */
  verb: string
  /** What it was done to, and where the admin sees it (null when no page shows it). */
  target: { label: string; href: string | null }
  /** What changed, one phrase each (「开启时间 1月5日 10:00 → 1月6日 10:00」). */
  details: string[]
}

const TARGETS: Record<string, { noun: string; href?: (id: string) => string }> = {
  order: { noun: '订单', href: (id) => `/admin/orders/${id}` },
  product: { noun: '商品', href: (id) => `/admin/products/${id}` },
  drop: { noun: '会员招募', href: (id) => `/admin/drops/${id}` },
  user: { noun: '用户', href: () => '/admin/users' },
  daily: { noun: '每日', href: (id) => `/admin/posts/${id}` },
  thread: { noun: '主题', href: (id) => `/community/t/${id}` },
  reply: { noun: '回复' },
  report: { noun: '举报', href: () => '/admin/community' },
  board: { noun: '版块', href: () => '/admin/community' },
  daily_comment: { noun: '每日留言' },
  legal: { noun: '协议文本', href: (slug) => `/admin/legal/${slug}` },
  course: { noun: '课程', href: (id) => `/admin/courses/${id}` },
  shipping: { noun: '运费规则', href: () => '/admin/shipping' },
  site: { noun: '网站设置', href: () => '/admin/settings' },
}

/** The words for the keys entries keep; a key not named here is not shown. */
const KEY_LABELS: Record<string, string> = {
  name: '名称',
  title: '标题',
  slug: '链接名',
  opensAt: '开启时间',
  closesAt: '结束时间',
  tiers: '席位',
  capacities: '席位数',
  capacity: '数量',
  priceFen: '价格',
  validUntil: '有效期至',
  published: '上架',
  count: '张数',
  direction: '方向',
  date: '日期',
  flag: '标记',
  note: '备注',
  reason: '原因',
  until: '截止',
  amountFen: '金额',
  totalFen: '金额',
  lastError: '上次失败原因',
  carrier: '快递公司',
  trackingNumber: '运单号',
  readMinRank: '阅读门槛',
  postMinRank: '发帖门槛',
  resolvedReports: '一并处理的举报',
  state: '状态',
  role: '角色',
  length: '字数',
  shippingFeeFen: '运费',
  flatFeeFen: '每单运费',
  freeOverFen: '满额包邮',
  publishTime: '每日发布时间',
  supportContact: '联系客服',
  icpNumber: 'ICP 备案号',
}

const VALUE_WORDS: Record<string, string> = {
  user: '用户',
  editor: '编辑',
  admin: '管理员',
  up: '上移',
  down: '下移',
  pending: '待付款',
  paid: '已付款',
  shipped: '已发货',
  completed: '已完成',
  refunded: '已退款',
  cancelled: '已取消',
  expired: '已过期',
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/

export function describeAudit(entry: AuditRecord, { timeZone, actionLabels }: { timeZone: string; actionLabels: Record<string, string> }): AuditSentence {
  const detail = isRecord(entry.detail) ? entry.detail : {}
  const kind = TARGETS[entry.targetType]
  const named = typeof detail.title === 'string' ? `《${detail.title}》` : typeof detail.name === 'string' ? `「${detail.name}」` : ''
  const target = {
    label: `${kind?.noun ?? entry.targetType} #${entry.targetId}${named}`,
    href: kind?.href ? kind.href(entry.targetId) : null,
  }
  const details: string[] = []
  // A change of role or state: 「从 编辑 改为 管理员」.
  if ('from' in detail && 'to' in detail) details.push(`从 ${word(detail.from)} 改为 ${word(detail.to)}`)
  else if ('from' in detail) details.push(`原状态 ${word(detail.from)}`)
  // A corrected shipment (order.tracking) keeps both versions; a new one (order.ship) its fields.
  if (isRecord(detail.before) && isRecord(detail.after)) details.push(...changes(detail.before, detail.after, timeZone))
  for (const [key, raw] of Object.entries(detail)) {
    if (key === 'title' || key === 'name' || !(key in KEY_LABELS)) continue
    const shown = phrase(key, raw, timeZone)
    if (shown) details.push(`${KEY_LABELS[key]} ${shown}`)
  }
  return { verb: actionLabels[entry.action] ?? entry.action, target, details }
}

/** One value in words, or '' when there is nothing to say. */
function phrase(key: string, raw: unknown, timeZone: string): string {
  if (raw === null || raw === undefined || raw === '') return ''
  if (Array.isArray(raw)) {
    // [before, after]: shown as a change, or not at all when nothing changed.
    if (raw.length === 2 && raw.every((v) => !isRecord(v))) {
      const [before, after] = raw.map((v) => phrase(key, v, timeZone))
      return before === after ? '' : `${before} → ${after}`
    }
    return raw
      .map((item) => (isRecord(item) ? fields(item, timeZone).join('，') : phrase(key, item, timeZone)))
      .filter(Boolean)
      .join('；')
  }
  if (isRecord(raw)) return fields(raw, timeZone).join('，')
  if (typeof raw === 'boolean') return raw ? '是' : '否'
  if (typeof raw === 'number') return key.endsWith('Fen') ? formatFen(raw) : raw.toLocaleString('zh-CN')
  const text = String(raw)
  if (ISO_INSTANT.test(text)) return formatDateTime(text, timeZone)
  return word(text)
}

function fields(record: Record<string, unknown>, timeZone: string) {
  return Object.entries(record).flatMap(([key, raw]) => {
    const shown = key in KEY_LABELS ? phrase(key, raw, timeZone) : ''
    return shown ? [`${KEY_LABELS[key]} ${shown}`] : []
  })
}

/** What changed between two versions of the same fields. */
function changes(before: Record<string, unknown>, after: Record<string, unknown>, timeZone: string) {
  return Object.keys(after).flatMap((key) => {
    if (!(key in KEY_LABELS)) return []
    const was = phrase(key, before[key], timeZone) || '—'
    const now = phrase(key, after[key], timeZone) || '—'
    return was === now ? [] : [`${KEY_LABELS[key]} ${was} → ${now}`]
  })
}

function word(value: unknown) {
  const text = String(value ?? '—')
  return VALUE_WORDS[text] ?? text
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
