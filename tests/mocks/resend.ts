// Intercepts the Resend API so no test reaches the network. Each request lands in `sentEmails`;
// a test can answer differently with `resendServer.use(http.post(RESEND_EMAILS_URL, ...))`.
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'

export const RESEND_EMAILS_URL = 'https://api.resend.com/emails'

export interface RecordedEmail {
  body: {
    from: string
    to: string | string[]
    subject: string
    html?: string
    text?: string
    headers?: Record<string, string>
  }
  headers: Record<string, string>
  idempotencyKey: string | null
  id: string
}

export const sentEmails: RecordedEmail[] = []
let counter = 0

export const resendHandlers = [
  http.post(RESEND_EMAILS_URL, async ({ request }) => {
    // Numbered on arrival, before any await, so concurrent sends get distinct ids.
    const id = `email_${++counter}`
    sentEmails.push({
      body: (await request.json()) as RecordedEmail['body'],
      headers: Object.fromEntries(request.headers.entries()),
      idempotencyKey: request.headers.get('Idempotency-Key'),
      id,
    })
    return HttpResponse.json({ id })
  }),
]

export const resendServer = setupServer(...resendHandlers)

export function clearSentEmails() {
  sentEmails.length = 0
  counter = 0
}
