import { describe, expect, it } from 'vitest'
import { loader } from '~/routes/healthz'
import { databaseHandle } from '~/utils/db.server'

describe('/healthz', () => {
  it('answers 200 {status: ok} when the database answers, and is never cached', async () => {
    const response = await loader()
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', writes: { queued: 0, oldestWaitingMs: 0, retries: 0, busyFailures: 0 } })
  })

  it('reports the writes waiting in this process and how long the oldest has waited', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const first = databaseHandle.transaction(() => held)
    const second = databaseHandle.transaction(async () => undefined)
    await new Promise((resolve) => setTimeout(resolve, 30))
    const body = (await (await loader()).json()) as { status: string; writes: { queued: number; oldestWaitingMs: number } }
    release()
    await Promise.all([first, second])
    expect(body.status).toBe('ok')
    expect(body.writes.queued).toBe(2)
    expect(body.writes.oldestWaitingMs).toBeGreaterThanOrEqual(25)
  })
})
