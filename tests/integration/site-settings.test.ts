// The site's own settings (issue 18, "Consistency"): when the daily goes out is the operator's
// DAILY_PUBLISH_TIME, not a constant — the home page announces it and the editor proposes it —
// and the footer carries 联系客服 and the ICP 备案号 when they are set.
import { describe, expect, it, vi } from 'vitest'
import { signedIn } from '../factories/dailies'
import { readData, requestFor, routeArgs } from '../factories/requests'

// The setup read the environment already (getEnv() caches it): set the operator's values, then
// load the app modules again so that they read them. The database handle lives on globalThis.
process.env.DAILY_PUBLISH_TIME = '07:05'
process.env.SUPPORT_CONTACT = 'help@zhiyin.example'
process.env.ICP_NUMBER = '京ICP备12345678号-1'
vi.resetModules()
const { loader: rootLoader } = await import('~/root')
const { loader: homeLoader } = await import('~/routes/_index')
const { loader: newDailyLoader } = await import('~/routes/admin.posts.new')

describe('the site settings', () => {
  it('the home page says the daily goes out at the site’s time, as readers say it', async () => {
    const home = await homeLoader(routeArgs(requestFor('/')))
    expect(home.publishTime).toBe('7:05')
  })

  it('the daily editor proposes the site’s publish time', async () => {
    const { cookie } = await signedIn({ role: 'editor' })
    const editor = await newDailyLoader(routeArgs(requestFor('/admin/posts/new', { cookie })))
    expect(editor.time).toBe('07:05')
  })

  it('every page’s footer has the contact and the ICP number', async () => {
    const root = readData<{ support: { contact: string | null; icp: string | null } }>(await rootLoader(routeArgs(requestFor('/'))))
    expect(root.data.support).toEqual({ contact: 'help@zhiyin.example', icp: '京ICP备12345678号-1' })
  })
})
