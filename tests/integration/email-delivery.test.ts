import { eq } from 'drizzle-orm'
import { http, HttpResponse } from 'msw'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { emailOutbox } from '../../db/schema'
import type * as EmailServer from '~/utils/email.server'
import { db } from '~/utils/db.server'
import { clearSentEmails, RESEND_EMAILS_URL, resendServer, sentEmails } from '../mocks/resend'

type EmailModule = typeof EmailServer

/**
 * email.server with a fresh getEnv(): the environment is parsed once per module instance, so
 * a changed RESEND_API_KEY needs new instances. db.server keeps the one handle on globalThis.
 */
async function loadEmailModule(apiKey: string | undefined): Promise<EmailModule> {
  if (apiKey) process.env.RESEND_API_KEY = apiKey
  else delete process.env.RESEND_API_KEY
  vi.resetModules()
  return import('~/utils/email.server')
}

async function queue(email: EmailModule, count: number, { now = new Date() } = {}) {
  const ids: number[] = []
  for (let i = 1; i <= count; i++) {
    ids.push(
      (await email.sendEmail(
        {
          template: 'test',
          to: `reader${i}@example.com`,
          subject: `主题 ${i}`,
          html: `<p>正文 ${i}</p>`,
          text: `正文 ${i}`,
          headers: { 'X-Entity-Ref-ID': `ref-${i}` },
        },
        undefined,
        now,
      ))!,
    )
  }
  return ids
}

const rowOf = async (id: number) => (await db.query.emailOutbox.findFirst({ where: eq(emailOutbox.id, id) }))!

beforeAll(() => resendServer.listen({ onUnhandledRequest: 'error' }))
afterEach(async () => {
  resendServer.resetHandlers()
  clearSentEmails()
  await db.delete(emailOutbox)
})
afterAll(() => {
  resendServer.close()
  delete process.env.RESEND_API_KEY
})

describe('without RESEND_API_KEY', () => {
  it('sends nothing and leaves the mail pending in the outbox', async () => {
    const email = await loadEmailModule(undefined)
    const [id] = await queue(email, 1)
    expect(await email.deliverDueEmails()).toEqual({ sent: 0, failed: 0, retrying: 0 })
    expect(sentEmails).toHaveLength(0)
    expect(await rowOf(id!)).toMatchObject({ state: 'pending', attempts: 0, sentAt: null })
  })
})

describe('with RESEND_API_KEY', () => {
  let email: EmailModule
  beforeAll(async () => {
    email = await loadEmailModule('re_test_123')
  })

  it('sends each pending row once, with its idempotency key, and marks it sent with the provider id', async () => {
    const ids = await queue(email, 3)
    expect(await email.deliverDueEmails()).toEqual({ sent: 3, failed: 0, retrying: 0 })

    expect(sentEmails.map((m) => m.idempotencyKey)).toEqual(ids.map((id) => `zhiyin-outbox-${id}`))
    const first = sentEmails[0]!
    expect(first.headers.authorization).toBe('Bearer re_test_123')
    expect(first.body).toMatchObject({
      from: '知音 Zhiyin <noreply@zhiyin.local>',
      to: 'reader1@example.com',
      subject: '主题 1',
      html: '<p>正文 1</p>',
      text: '正文 1',
      headers: { 'X-Entity-Ref-ID': 'ref-1' },
    })

    for (const [i, id] of ids.entries()) {
      const row = await rowOf(id)
      const recorded = sentEmails.find((m) => m.idempotencyKey === `zhiyin-outbox-${id}`)!
      expect(row).toMatchObject({ state: 'sent', attempts: 1, providerMessageId: recorded.id, lockedUntil: null, lastError: null })
      expect(row.sentAt).toBeInstanceOf(Date)
      expect(recorded.body.to).toBe(`reader${i + 1}@example.com`)
    }

    // A second pass finds nothing left to send.
    expect(await email.deliverDueEmails()).toEqual({ sent: 0, failed: 0, retrying: 0 })
    expect(sentEmails).toHaveLength(3)
  })

  it('two delivery passes running at once still send each row exactly once', async () => {
    const ids = await queue(email, 6)
    const reports = await Promise.all([email.deliverDueEmails(), email.deliverDueEmails()])
    // Both passes really ran side by side (each claimed some rows), and together sent all.
    expect(reports.map((r) => r.sent > 0)).toEqual([true, true])
    expect(reports[0].sent + reports[1].sent).toBe(6)

    const keys = sentEmails.map((m) => m.idempotencyKey).sort()
    expect(keys).toEqual(ids.map((id) => `zhiyin-outbox-${id}`).sort())
    for (const id of ids) expect(await rowOf(id)).toMatchObject({ state: 'sent', attempts: 1 })
  })

  it('does not send mail that is not due yet', async () => {
    const later = new Date(Date.now() + 60_000)
    const [id] = await queue(email, 1, { now: later })
    expect(await email.deliverDueEmails()).toEqual({ sent: 0, failed: 0, retrying: 0 })
    expect(await rowOf(id!)).toMatchObject({ state: 'pending', attempts: 0 })
    expect(await email.deliverDueEmails({ now: () => later })).toEqual({ sent: 1, failed: 0, retrying: 0 })
  })

  it('a 500 from Resend leaves the row pending with the attempt counted, the error kept and a later retry', async () => {
    resendServer.use(
      http.post(RESEND_EMAILS_URL, () =>
        HttpResponse.json({ statusCode: 500, name: 'internal_server_error', message: 'Resend is down' }, { status: 500 }),
      ),
    )
    const [id] = await queue(email, 1)
    const now = new Date()
    expect(await email.deliverDueEmails({ now: () => now })).toEqual({ sent: 0, failed: 0, retrying: 1 })

    const row = await rowOf(id!)
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastError: 'Resend is down', lockedUntil: null, sentAt: null })
    expect(row.nextAttemptAt.getTime()).toBe(now.getTime() + email.retryDelayMs(1))
    // Not retried before its time.
    expect(await email.deliverDueEmails({ now: () => now })).toEqual({ sent: 0, failed: 0, retrying: 0 })
  })

  it('after MAX_ATTEMPTS failures the row is marked failed and never tried again', async () => {
    let calls = 0
    resendServer.use(
      http.post(RESEND_EMAILS_URL, () => {
        calls++
        return HttpResponse.json({ statusCode: 500, name: 'internal_server_error', message: 'still down' }, { status: 500 })
      }),
    )
    const [id] = await queue(email, 1)
    let clock = Date.now()
    for (let attempt = 1; attempt <= email.MAX_ATTEMPTS; attempt++) {
      const report = await email.deliverDueEmails({ now: () => new Date(clock) })
      const last = attempt === email.MAX_ATTEMPTS
      expect(report).toEqual({ sent: 0, failed: last ? 1 : 0, retrying: last ? 0 : 1 })
      expect(await rowOf(id!)).toMatchObject({ state: last ? 'failed' : 'pending', attempts: attempt })
      clock += 2 * 60 * 60_000
    }
    expect(calls).toBe(email.MAX_ATTEMPTS)

    expect(await email.deliverDueEmails({ now: () => new Date(clock + 365 * 24 * 60 * 60_000) })).toEqual({
      sent: 0,
      failed: 0,
      retrying: 0,
    })
    expect(calls).toBe(email.MAX_ATTEMPTS)
  })

  it('a row left "sending" by a crashed sender is sent again once its lock runs out, with the same idempotency key', async () => {
    const [id] = await queue(email, 1)
    const now = new Date()
    await db
      .update(emailOutbox)
      .set({ state: 'sending', attempts: 1, lockedUntil: new Date(now.getTime() + 30_000) })
      .where(eq(emailOutbox.id, id!))

    expect(await email.deliverDueEmails({ now: () => now })).toEqual({ sent: 0, failed: 0, retrying: 0 })
    expect(await email.deliverDueEmails({ now: () => new Date(now.getTime() + 61_000) })).toEqual({ sent: 1, failed: 0, retrying: 0 })
    expect(sentEmails.map((m) => m.idempotencyKey)).toEqual([`zhiyin-outbox-${id}`])
    expect(await rowOf(id!)).toMatchObject({ state: 'sent', attempts: 2 })
  })
})
