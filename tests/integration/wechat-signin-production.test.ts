// WeChat sign-in in production without keys (decisions 020, 021): off — no WeChat button, the
// routes 404 — unless WECHAT_TEST_MODE=1, when the test mode runs and every page says so in red.
import { afterAll, describe, expect, it } from 'vitest'
import { startWithEnvironment } from '../factories/env'
import { readData, requestFor, routeArgs, thrownResponse } from '../factories/requests'

async function appWith(env: Record<string, string | undefined>) {
  await startWithEnvironment(env)
  return {
    login: await import('~/routes/login'),
    start: await import('~/routes/auth.wechat._index'),
    testPage: await import('~/routes/auth.wechat.[test]'),
    callback: await import('~/routes/auth.wechat.callback'),
    qrPage: await import('~/routes/auth.wechat.qr'),
    scanPage: await import('~/routes/auth.wechat.scan'),
    simulatedSdk: await import('~/routes/wechat_.simulated-sdk[.]js'),
    root: await import('~/root'),
  }
}

afterAll(() => {
  process.env.NODE_ENV = 'test'
  delete process.env.WECHAT_TEST_MODE
})

const off = await appWith({ NODE_ENV: 'production', WECHAT_TEST_MODE: undefined })
const optedIn = await appWith({ NODE_ENV: 'production', WECHAT_TEST_MODE: '1' })

describe('production without WeChat keys', () => {
  it('shows no WeChat button, and /auth/wechat, its test page, its callback, the QR pages and the simulated SDK are 404', async () => {
    expect((await off.login.loader(routeArgs(requestFor('/login')))).wechat).toBeNull()
    for (const pending of [
      off.start.loader(routeArgs(requestFor('/auth/wechat'))),
      off.testPage.loader(routeArgs(requestFor('/auth/wechat/test?state=abcdefghijklmnopqrstuvwxyz234567'))),
      off.callback.loader(routeArgs(requestFor('/auth/wechat/callback?code=x&state=abcdefghijklmnopqrstuvwxyz234567'))),
      off.qrPage.loader(routeArgs(requestFor('/auth/wechat/qr'))),
      off.scanPage.loader(routeArgs(requestFor('/auth/wechat/scan?t=0&e=1&s=x'))),
      Promise.resolve().then(() => off.simulatedSdk.loader()),
    ]) {
      expect((await thrownResponse(pending)).status).toBe(404)
    }
  })

  it('with WECHAT_TEST_MODE=1 runs the test mode, and every page says so loudly', async () => {
    expect((await optedIn.login.loader(routeArgs(requestFor('/login')))).wechat).toEqual({ kind: 'test', scan: true })
    const root = readData<{ wechatTestMode: unknown }>(await optedIn.root.loader(routeArgs(requestFor('/'))))
    expect(root.data.wechatTestMode).toEqual({ production: true })
  })
})
