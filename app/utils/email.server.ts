// One way to send email (docs/decisions/004-email-outbox.md): sendEmail() only writes a row to
// the outbox, inside the caller's transaction; deliverDueEmails() sends rows through Resend.
import { and, asc, eq, inArray, isNull, lt, or, lte, sql } from 'drizzle-orm'
import { Resend } from 'resend'
import { emailOutbox, type OutboxEmail } from '../../db/schema'
import type { RenderedEmail } from '~/emails/layout'
import { isWechatPlaceholderEmail } from '~/domain/wechat-auth'
import { db, type Executor } from './db.server'
import { getEnv } from './env.server'

export interface EmailMessage extends RenderedEmail {
  to: string
  /** Template name, for the admin outbox and for tests. */
  template: string
  headers?: Record<string, string>
}

/** Queues one email; its outbox id, or undefined for a placeholder address (never mailed). */
export async function sendEmail(message: EmailMessage, executor: Executor = db, now = new Date()) {
  const [id] = await sendEmails([message], executor, now)
  return id
}

// Rows per INSERT: well under SQLite's limit on bound parameters.
const BATCH = 200

/** Queues many emails (a daily to every opted-in reader) with a few multi-row INSERTs. */
export async function sendEmails(all: readonly EmailMessage[], executor: Executor = db, now = new Date()) {
  // An account made by WeChat sign-in has a placeholder address (decision 021): never mailed.
  const messages = all.filter((message) => !isWechatPlaceholderEmail(message.to))
  const ids: number[] = []
  for (let i = 0; i < messages.length; i += BATCH) {
    const rows = await executor
      .insert(emailOutbox)
      .values(
        messages.slice(i, i + BATCH).map((message) => ({
          template: message.template,
          toAddress: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers: message.headers ?? {},
          nextAttemptAt: now,
        })),
      )
      .returning({ id: emailOutbox.id })
    ids.push(...rows.map((row) => row.id))
  }
  return ids
}

export const MAX_ATTEMPTS = 8
/** How long a claimed row is reserved for one sender before another may retry it. */
const LOCK_MS = 60_000

/** Waiting time before attempt n+1: 30 s, 1 min, 2 min … capped at one hour. */
export function retryDelayMs(attempts: number) {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1))
}

/** Claims one due row atomically (one statement), so two senders never take the same row. */
async function claimNextEmail(now: Date): Promise<OutboxEmail | undefined> {
  const due = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(
      or(
        and(eq(emailOutbox.state, 'pending'), lte(emailOutbox.nextAttemptAt, now)),
        and(eq(emailOutbox.state, 'sending'), lt(emailOutbox.lockedUntil, now)),
      ),
    )
    .orderBy(asc(emailOutbox.id))
    .limit(1)
  const [row] = await db
    .update(emailOutbox)
    .set({
      state: 'sending',
      attempts: sql`${emailOutbox.attempts} + 1`,
      lockedUntil: new Date(now.getTime() + LOCK_MS),
    })
    .where(inArray(emailOutbox.id, due))
    .returning()
  return row
}

export interface DeliveryReport {
  sent: number
  failed: number
  retrying: number
}

/**
 * Sends every due outbox row through Resend. Without RESEND_API_KEY nothing is sent: mail stays
 * in the outbox for /admin/outbox. Each row is marked sent once; Resend's idempotency key
 * makes a retry after a crash between sending and marking harmless.
 */
export async function deliverDueEmails({ now = () => new Date(), limit = 50 } = {}): Promise<DeliveryReport> {
  const env = getEnv()
  const report: DeliveryReport = { sent: 0, failed: 0, retrying: 0 }
  if (!env.RESEND_API_KEY) return report
  const resend = new Resend(env.RESEND_API_KEY)
  for (let i = 0; i < limit; i++) {
    const email = await claimNextEmail(now())
    if (!email) break
    const result = await resend.emails
      .send(
        {
          from: env.MAIL_FROM,
          to: email.toAddress,
          subject: email.subject,
          html: email.html,
          text: email.text,
          headers: email.headers,
        },
        { idempotencyKey: `zhiyin-outbox-${email.id}` },
      )
      .catch((error: unknown) => ({ data: null, error: { message: String(error) } }))
    if (result.data) {
      await db
        .update(emailOutbox)
        .set({ state: 'sent', sentAt: now(), providerMessageId: result.data.id, lockedUntil: null, lastError: null })
        .where(and(eq(emailOutbox.id, email.id), eq(emailOutbox.state, 'sending'), isNull(emailOutbox.sentAt)))
      report.sent++
      continue
    }
    const giveUp = email.attempts >= MAX_ATTEMPTS
    await db
      .update(emailOutbox)
      .set({
        state: giveUp ? 'failed' : 'pending',
        lockedUntil: null,
        lastError: result.error?.message ?? 'unknown error',
        nextAttemptAt: new Date(now().getTime() + retryDelayMs(email.attempts)),
      })
      .where(and(eq(emailOutbox.id, email.id), eq(emailOutbox.state, 'sending')))
    if (giveUp) report.failed++
    else report.retrying++
  }
  return report
}

export const OUTBOX_PAGE_SIZE = 30

export function listOutbox({ page = 1 } = {}) {
  return db.query.emailOutbox.findMany({
    orderBy: (o, { desc }) => [desc(o.id)],
    limit: OUTBOX_PAGE_SIZE,
    offset: (page - 1) * OUTBOX_PAGE_SIZE,
  })
}

export function getOutboxEmail(id: number) {
  return db.query.emailOutbox.findFirst({ where: eq(emailOutbox.id, id) })
}

/** Puts a failed email back in the queue (admin action). */
export async function retryOutboxEmail(id: number, now = new Date()) {
  const [row] = await db
    .update(emailOutbox)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: now, lastError: null })
    .where(and(eq(emailOutbox.id, id), eq(emailOutbox.state, 'failed')))
    .returning({ id: emailOutbox.id })
  return Boolean(row)
}
