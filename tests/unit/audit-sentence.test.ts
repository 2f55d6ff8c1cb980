import { describe, expect, it } from 'vitest'
import { describeAudit } from '~/domain/audit-sentence'
import { t } from '~/i18n/zh-CN'

const options = { timeZone: 'Asia/Shanghai', actionLabels: { 'drop.extend': '延长招募', 'role.set': '修改角色', 'order.tracking': '修改快递信息' } }

describe('describeAudit', () => {
  it('writes a drop’s changed window as a change in site time, with a link to the drop, and leaves out what did not change', () => {
    const sentence = describeAudit(
      {
        action: 'drop.extend',
        targetType: 'drop',
        targetId: '1',
        detail: { opensAt: ['2027-01-05T02:00:00.000Z', '2027-01-05T02:00:00.000Z'], closesAt: ['2027-01-12T02:00:00.000Z', '2027-01-13T02:00:00.000Z'] },
      },
      options,
    )
    expect(sentence).toEqual({
      verb: '延长招募',
      target: { label: '会员招募 #1', href: '/admin/drops/1' },
      details: [expect.stringMatching(/^结束时间 (2027年)?1月12日 10:00 → (2027年)?1月13日 10:00$/)],
    })
    expect(sentence.details.join('')).not.toMatch(/Z|T02|[{}"]/)
  })

  it('writes a change of the shipping rule in yuan, with a link to the rule', () => {
    const sentence = describeAudit({ action: 'shipping.rule', targetType: 'shipping', targetId: '1', detail: { flatFeeFen: 1000, freeOverFen: 19900 } }, { ...options, actionLabels: t.shop.auditActions })
    expect(sentence).toEqual({ verb: '修改运费规则', target: { label: '运费规则 #1', href: '/admin/shipping' }, details: ['每单运费 ¥10', '满额包邮 ¥199'] })
  })

  it('writes a change of the site settings as each setting before and after, with a link to the settings', () => {
    const sentence = describeAudit(
      { action: 'site.settings', targetType: 'site', targetId: '1', detail: { before: { publishTime: null, icpNumber: '京ICP备12345678号-1' }, after: { publishTime: '07:05', icpNumber: null } } },
      { ...options, actionLabels: t.siteSettings.auditActions },
    )
    expect(sentence).toEqual({ verb: '修改网站设置', target: { label: '网站设置 #1', href: '/admin/settings' }, details: ['每日发布时间 — → 07:05', 'ICP 备案号 京ICP备12345678号-1 → —'] })
  })

  it('names roles and states in Chinese', () => {
    const sentence = describeAudit({ action: 'role.set', targetType: 'user', targetId: '7', detail: { from: 'user', to: 'editor' } }, options)
    expect(sentence.details).toEqual(['从 用户 改为 编辑'])
    expect(sentence.target).toEqual({ label: '用户 #7', href: '/admin/users' })
  })

  it('shows a corrected shipment as what changed, and money as yuan', () => {
    const tracking = describeAudit(
      {
        action: 'order.tracking',
        targetType: 'order',
        targetId: '12',
        detail: { before: { carrier: '顺丰速运', trackingNumber: 'SF1' }, after: { carrier: '顺丰速运', trackingNumber: 'SF2' } },
      },
      options,
    )
    expect(tracking.details).toEqual(['运单号 SF1 → SF2'])
    expect(tracking.target.href).toBe('/admin/orders/12')
    const refund = describeAudit({ action: 'order.refund_payment', targetType: 'order', targetId: '12', detail: { paymentEventId: 3, amountFen: 12_000 } }, options)
    expect(refund.details).toEqual(['金额 ¥120'])
    // An action without a label is shown as stored rather than hidden.
    expect(refund.verb).toBe('order.refund_payment')
  })

  it('names the thing when the entry kept its title or name, and lists a drop’s tiers in words', () => {
    const created = describeAudit(
      {
        action: 'drop.create',
        targetType: 'drop',
        targetId: '2',
        detail: { name: '2028 年度招募', tiers: [{ tierId: 1, priceFen: 20_000, capacity: 5_500 }] },
      },
      options,
    )
    expect(created.target.label).toBe('会员招募 #2「2028 年度招募」')
    expect(created.details).toEqual(['席位 价格 ¥200，数量 5,500'])
    expect(describeAudit({ action: 'x', targetType: 'product', targetId: '4', detail: { slug: 'tee', title: '知音 T 恤' } }, options).target.label).toBe('商品 #4《知音 T 恤》')
  })

  it('links an edited legal text to its editor', () => {
    const edited = describeAudit({ action: 'legal.update', targetType: 'legal', targetId: 'terms', detail: { title: '用户协议', length: 1_204 } }, options)
    expect(edited).toMatchObject({ target: { label: '协议文本 #terms《用户协议》', href: '/admin/legal/terms' }, details: ['字数 1,204'] })
  })

  it('links a course edit to the course editor, in the course editor’s words', () => {
    const labels = { ...options, actionLabels: t.courseAdmin.auditActions }
    const created = describeAudit({ action: 'course.create', targetType: 'course', targetId: '7', detail: { title: '商业课', slug: 'biz', priceFen: 9900, published: true } }, labels)
    expect(created).toEqual({ verb: '新建课程', target: { label: '课程 #7《商业课》', href: '/admin/courses/7' }, details: ['链接名 biz', '价格 ¥99', '上架 是'] })
    expect(describeAudit({ action: 'course.lesson.move', targetType: 'course', targetId: '7', detail: { title: '第一讲', lessonId: 3, direction: 'up' } }, labels).details).toEqual(['方向 上移'])
  })

  it('says nothing of keys it has no words for, and copes with a detail that is not an object', () => {
    expect(describeAudit({ action: 'x', targetType: 'thing', targetId: '1', detail: { internalId: 5 } }, options)).toEqual({
      verb: 'x',
      target: { label: 'thing #1', href: null },
      details: [],
    })
    expect(describeAudit({ action: 'x', targetType: 'order', targetId: '1', detail: null }, options).details).toEqual([])
  })
})
