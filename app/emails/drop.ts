// Emails of the membership drop: the welcome / receipt with the member number, the upgrade
// receipt, the waitlist notice and the "next drop" announcement.
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { formatDateTime, formatFen, formatValidUntil } from '~/utils/format'
import { button, emailLayout, escapeHtml, type RenderedEmail } from './layout'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { drops: dropsZhCN }

const m = t.drops.email

/** 第 0001 号: member numbers are shown with four digits (more when there are more). */
export function memberNumberLabel(n: number) {
  return String(n).padStart(4, '0')
}

function render(subject: string, paragraphs: string[], cta: { url: string; label: string }): RenderedEmail {
  const html = emailLayout({
    title: subject,
    bodyHtml: `${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}\n${button(cta.url, cta.label)}`,
  })
  const text = `${paragraphs.join('\n\n')}\n\n${cta.label}：${cta.url}`
  return { subject, html, text }
}

/** What both membership receipts (a seat, an upgrade) say besides their news. */
interface MembershipReceipt {
  name: string
  validUntil: Date
  amountFen: number
  orderId: number
  cardUrl: string
  timeZone: string
}

function renderReceipt(subject: string, news: string, receipt: MembershipReceipt): RenderedEmail {
  return render(
    subject,
    [m.hello(receipt.name), news, m.validUntil(formatValidUntil(receipt.validUntil, receipt.timeZone)), m.paid(formatFen(receipt.amountFen), receipt.orderId)],
    { url: receipt.cardUrl, label: m.card },
  )
}

/** Sent when a seat is paid: welcome, member number, tier, validity and the amount paid. */
export function membershipWelcomeEmail({
  dropName,
  tierName,
  memberNumber,
  ...receipt
}: MembershipReceipt & { dropName: string; tierName: string; memberNumber: number }): RenderedEmail {
  const n = memberNumberLabel(memberNumber)
  return renderReceipt(m.receiptSubject(n), m.welcome(dropName, tierName, n), receipt)
}

/** Sent when an upgrade is paid: the new tier, the same number. */
export function membershipUpgradeEmail({ tierName, memberNumber, ...receipt }: MembershipReceipt & { tierName: string; memberNumber: number | null }): RenderedEmail {
  return renderReceipt(m.upgradeSubject(tierName), m.upgraded(tierName, memberNumber === null ? '—' : memberNumberLabel(memberNumber)), receipt)
}

/** A seat of a sold-out tier came back: first come, first served. */
export function waitlistNoticeEmail({ name, dropName, tierName, url }: { name: string; dropName: string; tierName: string; url: string }): RenderedEmail {
  return render(m.waitlistSubject(tierName), [m.hello(name), m.waitlistBody(dropName, tierName)], { url, label: m.waitlistCta })
}

/** A new drop was created: for users who asked after the last one closed. */
export function nextDropEmail({
  name,
  drop,
  url,
  timeZone,
}: {
  name: string
  drop: { name: string; opensAt: Date }
  url: string
  timeZone: string
}): RenderedEmail {
  return render(m.nextSubject(drop.name), [m.hello(name), m.nextBody(drop.name, formatDateTime(drop.opensAt, timeZone))], {
    url,
    label: m.nextCta,
  })
}
