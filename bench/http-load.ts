// The load of the storm benchmarks (bench/storm.ts) and the scale-out race test: form posts over
// keep-alive connections as browsers make them, each answer classified (a status, or a reset, a
// timeout, an error: a connection dropped without an answer is what issue 16 counts), a phase
// sent with a fixed number in flight, and the figures of a phase.
import { Agent, request as httpRequest } from 'node:http'

export type Outcome = number | 'reset' | 'timeout' | 'error'

export interface Answer {
  outcome: Outcome
  /** Milliseconds from sending to the last byte of the answer. */
  ms: number
  /** When the answer ended, in ms from the start of the phase. */
  at: number
  location: string | null
  body: string
  /** Milliseconds the TCP handshake took, when this request opened a connection. */
  connectMs: number | null
}

export interface LoadConfig {
  /** Requests in flight at once (and sockets kept alive per agent). */
  concurrency: number
  /** A request without an answer after this long counts as a timeout. */
  timeoutMs: number
  /** A phase stops sending new requests after this long. */
  maxSeconds: number
}

/** The load generator: keep-alive agents, form posts that tell a reset from an answer, a phase of requests. */
export function createLoad(load: LoadConfig) {
  function makeAgent() {
    return new Agent({ keepAlive: true, maxSockets: load.concurrency, maxFreeSockets: load.concurrency })
  }

  function post(agent: Agent, base: string, path: string, headers: Record<string, string>, form: Record<string, string>, t0: number): Promise<Answer> {
    const body = new URLSearchParams(form).toString()
    const url = new URL(path, base)
    const sent = performance.now()
    return new Promise((resolve) => {
      let settled = false
      let connectMs: number | null = null
      const done = (outcome: Outcome, location: string | null, text: string) => {
        if (settled) return
        settled = true
        const end = performance.now()
        resolve({ outcome, ms: end - sent, at: end - t0, location, body: text, connectMs })
      }
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () => {
            const location = res.headers.location ?? (res.headers['x-remix-redirect'] as string | undefined) ?? null
            done(res.statusCode ?? 0, location, Buffer.concat(chunks).toString())
          })
          res.on('error', () => done('reset', null, ''))
        },
      )
      req.once('socket', (socket) => {
        if (!socket.connecting) return
        connectMs = -1
        socket.once('connect', () => (connectMs = performance.now() - sent))
      })
      req.setTimeout(load.timeoutMs, () => {
        done('timeout', null, '')
        req.destroy()
      })
      req.on('error', (error: NodeJS.ErrnoException) => {
        done(error.code === 'ECONNRESET' || error.message === 'socket hang up' ? 'reset' : 'error', null, String(error.code ?? error.message))
      })
      req.end(body)
    })
  }

  /** Sends every item's request with `concurrency` in flight; stops taking new ones after maxSeconds. */
  async function fire<T>(items: T[], send: (item: T, t0: number) => Promise<Answer>) {
    const answers: (Answer | null)[] = items.map(() => null)
    let next = 0
    const t0 = performance.now()
    const deadline = t0 + load.maxSeconds * 1000
    await Promise.all(
      Array.from({ length: Math.min(load.concurrency, items.length) }, async () => {
        while (next < items.length && performance.now() < deadline) {
          const i = next++
          answers[i] = await send(items[i]!, t0)
        }
      }),
    )
    return { answers, seconds: (performance.now() - t0) / 1000, unsent: answers.filter((a) => a === null).length }
  }

  return { makeAgent, post, fire }
}

export type Load = ReturnType<typeof createLoad>

export function percentile(values: number[], q: number) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

export function statusCounts(answers: (Answer | null)[]) {
  // busy: the 5xx that were 503, the answer of a saturated database (decision 037), counted apart.
  const counts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, busy: 0, reset: 0, timeout: 0, error: 0, unsent: 0 }
  for (const a of answers) {
    if (!a) counts.unsent++
    else if (typeof a.outcome === 'number') {
      counts[`${Math.floor(a.outcome / 100)}xx` as '2xx'] += 1
      if (a.outcome === 503) counts.busy++
    }
    else counts[a.outcome]++
  }
  return counts
}

/** The order a hold answered with: the Location of the redirect (document) or single fetch's redirect. */
export function heldOrderId(answer: Answer | null) {
  if (!answer || typeof answer.outcome !== 'number' || answer.outcome >= 400) return null
  const match = /^\/pay\/(\d+)$/.exec(answer.location ?? '') ?? /"\/pay\/(\d+)"/.exec(answer.body)
  return match ? Number(match[1]) : null
}

export interface StormFigures {
  requests: number
  holds: number
  soldOutSeconds: number
  holdsPerSecond: number
  totalSeconds: number
  holdP50: number
  holdP99: number
  refusalP50: number
  refusalP99: number
  refusals: number
  counts: ReturnType<typeof statusCounts>
  /** Requests that had to open a connection; how long its handshake took; how many of them got no answer. */
  connections: { opened: number; connectP50: number; connectP99: number; connectMax: number; unanswered: number }
}

export function stormFigures(answers: (Answer | null)[], isHold: (a: Answer) => boolean, seconds: number): StormFigures {
  const done = answers.filter((a): a is Answer => a !== null)
  const holds = done.filter(isHold)
  const refusals = done.filter((a) => typeof a.outcome === 'number' && a.outcome >= 400 && a.outcome < 500)
  // Sold out: the answer that gave the last seat (or the last hold, if they did not all go).
  const soldOutAt = Math.max(0, ...holds.map((a) => a.at)) / 1000
  return {
    requests: answers.length,
    holds: holds.length,
    soldOutSeconds: soldOutAt,
    holdsPerSecond: soldOutAt > 0 ? holds.length / soldOutAt : 0,
    totalSeconds: seconds,
    holdP50: percentile(holds.map((a) => a.ms), 0.5),
    holdP99: percentile(holds.map((a) => a.ms), 0.99),
    refusalP50: percentile(refusals.map((a) => a.ms), 0.5),
    refusalP99: percentile(refusals.map((a) => a.ms), 0.99),
    refusals: refusals.length,
    counts: statusCounts(answers),
    connections: connectionFigures(done),
  }
}

export function connectionFigures(done: Answer[]) {
  const opened = done.filter((a) => a.connectMs !== null)
  // -1: the handshake never completed before the answer (or the timeout) came.
  const accepted = opened.flatMap((a) => (a.connectMs !== null && a.connectMs >= 0 ? [a.connectMs] : []))
  return {
    opened: opened.length,
    connectP50: percentile(accepted, 0.5),
    connectP99: percentile(accepted, 0.99),
    connectMax: Math.max(0, ...accepted),
    unanswered: opened.filter((a) => typeof a.outcome !== 'number').length,
  }
}
