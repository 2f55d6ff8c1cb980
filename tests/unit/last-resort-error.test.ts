// Anything Remix cannot answer itself reaches Express's last handler: it is logged even when
// NODE_ENV is test (where Express's own handler says nothing) and answered with a Chinese 500.
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, expect, it, vi } from 'vitest'
import { lastResortError } from '../../server/main'

afterEach(() => vi.restoreAllMocks())

it('logs the failure with the redacted URL and answers 500 in Chinese', async () => {
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
  const app = express()
  app.get('/auth/magic/:token', () => {
    throw new Error('broken outside Remix')
  })
  app.use(lastResortError)
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  try {
    const { port } = server.address() as AddressInfo
    const response = await fetch(`http://127.0.0.1:${port}/auth/magic/secret-token`)
    expect(response.status).toBe(500)
    expect(await response.text()).toContain('服务器出错了')
    expect(logged).toHaveBeenCalledWith('GET /auth/magic/*** failed outside Remix:', expect.objectContaining({ message: 'broken outside Remix' }))
  } finally {
    server.close()
  }
})
