import { describe, expect, it, vi } from 'vitest'
import { hotJson, loader } from '~/routes/healthz'

describe('/healthz', () => {
  it('answers 200 {status: ok} when the database answers, and is never cached', async () => {
    const response = await loader()
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok' })
  })
})

describe('/healthz under many probes', () => {
  it('lets probes that arrive together share one query, and runs a new one for the next probe', async () => {
    const { databaseHandle } = await import('~/utils/db.server')
    const run = vi.spyOn(databaseHandle.db, 'run')
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => hotJson()))
      expect(answers.every((a) => a.status === 200)).toBe(true)
      expect(run).toHaveBeenCalledTimes(1)
      await hotJson()
      expect(run).toHaveBeenCalledTimes(2)
    } finally {
      run.mockRestore()
    }
  })

  it('answers 503 when the database fails, and asks it again on the next probe', async () => {
    const { databaseHandle } = await import('~/utils/db.server')
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const run = vi.spyOn(databaseHandle.db, 'run').mockRejectedValueOnce(new Error('disk gone'))
    try {
      expect(await hotJson()).toEqual({ status: 503, data: { status: 'error', database: 'unreachable' } })
      expect((await hotJson()).status).toBe(200)
      expect(run).toHaveBeenCalledTimes(2)
    } finally {
      vi.restoreAllMocks()
    }
  })
})
