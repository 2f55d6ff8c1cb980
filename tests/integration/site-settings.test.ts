// The site's settings (issue 18, "Consistency"; decision 052): when the daily goes out and the
// footer's 联系客服 and ICP 备案号 are what the admin saved at /admin/settings, else the operator's
// environment, else the built-in default — in every process on the database.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { auditLog, siteSettings } from '../../db/schema'
import { signedIn } from '../factories/dailies'
import { startWithEnvironment } from '../factories/env'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'

// The operator's values. The setup read the environment already (getEnv() caches it): set them,
// then load the app modules again so that they read them. The database lives on globalThis.
const ENVIRONMENT = { DAILY_PUBLISH_TIME: '07:05', SUPPORT_CONTACT: 'help@zhiyin.example', ICP_NUMBER: '京ICP备12345678号-1' }
Object.assign(process.env, ENVIRONMENT)
vi.resetModules()
const { loader: rootLoader } = await import('~/root')
const { loader: homeLoader } = await import('~/routes/_index')
const { loader: newDailyLoader } = await import('~/routes/admin.posts.new')
const { loader: dashboardLoader } = await import('~/routes/admin._index')
const { loader: settingsLoader, action: settingsAction } = await import('~/routes/admin.settings')
const { NO_SITE_SETTINGS } = await import('~/domain/site-settings')
const { saveSiteSettings, SITE_SETTINGS_TTL_MS } = await import('~/models/site-settings.server')
const { db } = await import('~/utils/db.server')

const admin = await signedIn({ role: 'admin' })

type Form = { publishTime: string; supportContact: string; icpNumber: string }
const EMPTY: Form = { publishTime: '', supportContact: '', icpNumber: '' }

function post(form: Partial<Form> & Record<string, string>, cookie = admin.cookie) {
  return settingsAction(routeArgs(requestFor('/admin/settings', { form, cookie })))
}

async function footer() {
  return readData<{ support: { contact: string | null; icp: string | null } }>(await rootLoader(routeArgs(requestFor('/')))).data.support
}

async function homePublishTime() {
  return (await homeLoader(routeArgs(requestFor('/')))).publishTime
}

async function proposedTime() {
  return (await newDailyLoader(routeArgs(requestFor('/admin/posts/new', { cookie: admin.cookie })))).time
}

const storedRows = () => db.select().from(siteSettings)
const auditEntries = () => db.select().from(auditLog)

beforeEach(async () => {
  // Each test starts with nothing saved (this also drops what this process kept).
  await saveSiteSettings({ values: NO_SITE_SETTINGS, actorId: admin.user.id, now: new Date() })
})

describe('where each setting comes from', () => {
  it('with nothing saved, the environment’s values: the home page, the daily editor and the footer', async () => {
    expect(await homePublishTime()).toBe('7:05')
    expect(await proposedTime()).toBe('07:05')
    expect(await footer()).toEqual({ contact: 'help@zhiyin.example', icp: '京ICP备12345678号-1' })
  })

  it('what the admin saves wins over the environment, on the next request', async () => {
    // This process has read the settings already when the change comes.
    expect(await footer()).toEqual({ contact: 'help@zhiyin.example', icp: '京ICP备12345678号-1' })
    readRedirect(await post({ publishTime: '08:15', supportContact: 'zhiyin_kefu', icpNumber: '沪ICP备87654321号' }))
    expect(await homePublishTime()).toBe('8:15')
    expect(await proposedTime()).toBe('08:15')
    expect(await footer()).toEqual({ contact: 'zhiyin_kefu', icp: '沪ICP备87654321号' })
  })

  it('an emptied field goes back to the environment’s value; the others keep theirs', async () => {
    readRedirect(await post({ publishTime: '08:15', supportContact: 'zhiyin_kefu', icpNumber: '沪ICP备87654321号' }))
    readRedirect(await post({ publishTime: '', supportContact: 'zhiyin_kefu', icpNumber: ' ' }))
    const [row] = await storedRows()
    expect(row).toMatchObject({ publishTime: null, supportContact: 'zhiyin_kefu', icpNumber: null })
    expect(await homePublishTime()).toBe('7:05')
    expect(await footer()).toEqual({ contact: 'zhiyin_kefu', icp: '京ICP备12345678号-1' })
  })

  it('the form shows what is saved and, beside each field, what an empty field falls back to', async () => {
    readRedirect(await post({ ...EMPTY, supportContact: 'zhiyin_kefu' }))
    const page = await settingsLoader(routeArgs(requestFor('/admin/settings', { cookie: admin.cookie })))
    expect(page.values).toEqual({ publishTime: '', supportContact: 'zhiyin_kefu', icpNumber: '' })
    expect(page.defaults).toEqual({ publishTime: '07:05', supportContact: 'help@zhiyin.example', icpNumber: '京ICP备12345678号-1' })
  })
})

describe('saving the settings', () => {
  it('writes an audit entry the dashboard shows as a sentence, naming each change', async () => {
    readRedirect(await post({ publishTime: '08:15', supportContact: '', icpNumber: '沪ICP备87654321号' }))
    const dashboard = await dashboardLoader(routeArgs(requestFor('/admin', { cookie: admin.cookie })))
    expect(dashboard.audit[0]).toMatchObject({
      verb: '修改网站设置',
      target: { label: '网站设置 #1', href: '/admin/settings' },
      // Never saved before: what readers saw was the environment's value.
      details: ['每日发布时间 07:05 → 08:15', 'ICP 备案号 京ICP备12345678号-1 → 沪ICP备87654321号'],
    })
  })

  it('saving the same values again writes nothing', async () => {
    readRedirect(await post({ ...EMPTY, publishTime: '08:15' }))
    const before = await auditEntries()
    readRedirect(await post({ ...EMPTY, publishTime: '08:15' }))
    expect(await auditEntries()).toEqual(before)
  })

  const refused: [string, Partial<Form>, string, string][] = [
    ['a time without its leading zero', { publishTime: '6:30' }, 'publishTime', '请按 时:分 填写 24 小时制时间，例如 06:30'],
    ['an hour past 23', { publishTime: '24:00' }, 'publishTime', '请按 时:分 填写 24 小时制时间，例如 06:30'],
    ['words for a time', { publishTime: '早上六点' }, 'publishTime', '请按 时:分 填写 24 小时制时间，例如 06:30'],
    ['a contact of two characters', { supportContact: 'ab' }, 'supportContact', '联系客服须为 3–60 个字'],
    ['a contact of 61 characters', { supportContact: '客'.repeat(61) }, 'supportContact', '联系客服须为 3–60 个字'],
    ['a contact over two lines', { supportContact: 'zhiyin\nkefu' }, 'supportContact', '联系客服不能包含换行或控制字符'],
    ['half an email address', { supportContact: 'help@zhiyin' }, 'supportContact', '含 @ 的联系方式须是完整的邮箱地址，例如 help@zhiyin.cn'],
    ['an ICP number without its province', { icpNumber: 'ICP备12345678号' }, 'icpNumber', '请填写完整的备案号，例如 京ICP备12345678号-1'],
    ['digits alone for an ICP number', { icpNumber: '12345678' }, 'icpNumber', '请填写完整的备案号，例如 京ICP备12345678号-1'],
  ]
  it.each(refused)('refuses %s with a field error and a 400, storing nothing', async (_, bad, field, message) => {
    readRedirect(await post({ publishTime: '08:15', supportContact: 'zhiyin_kefu', icpNumber: '' }))
    const [rowBefore, auditBefore] = [await storedRows(), await auditEntries()]
    // The good fields beside the bad one are not stored either.
    const answer = readData<{ errors: Record<string, string>; values: Form }>(await post({ publishTime: '09:00', supportContact: 'another_id', icpNumber: '', ...bad }))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ [field]: message })
    expect(answer.data.values).toMatchObject(bad)
    expect(await storedRows()).toEqual(rowBefore)
    expect(await auditEntries()).toEqual(auditBefore)
    expect(await homePublishTime()).toBe('8:15')
  })

  it('refuses a form that lacks a field, rather than clearing it', async () => {
    readRedirect(await post({ ...EMPTY, supportContact: 'zhiyin_kefu' }))
    const answer = readData(await post({ publishTime: '09:00', icpNumber: '' }))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ form: '表单不完整，请刷新页面后重试' })
    expect(await footer()).toMatchObject({ contact: 'zhiyin_kefu' })
  })
})

describe('who may change them', () => {
  it('a visitor is sent to sign in; a member and an editor are refused with 403; nothing changes', async () => {
    const visitor = await thrownResponse(settingsLoader(routeArgs(requestFor('/admin/settings'))))
    expect(visitor.status).toBe(302)
    expect(visitor.headers.get('Location')).toMatch(/^\/login/)
    for (const role of ['user', 'editor'] as const) {
      const { cookie } = await signedIn({ role, tier: role === 'user' ? 'tiegan' : undefined })
      expect((await thrownResponse(settingsLoader(routeArgs(requestFor('/admin/settings', { cookie }))))).status).toBe(403)
      expect((await thrownResponse(post({ ...EMPTY, publishTime: '09:00' }, cookie))).status).toBe(403)
    }
    expect((await thrownResponse(post({ ...EMPTY, publishTime: '09:00' }, '')))).toMatchObject({ status: 302 })
    expect(await storedRows()).toMatchObject([{ publishTime: null }])
    expect(await homePublishTime()).toBe('7:05')
  })
})

describe('several processes on one database', () => {
  const WORKER = fileURLToPath(new URL('../support/site-settings-worker.ts', import.meta.url))
  const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))
  const worker = spawn(TSX, [WORKER], { env: { ...process.env, NODE_ENV: 'test' }, stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: worker.stdout! })[Symbol.asyncIterator]()
  afterAll(() => {
    worker.kill()
  })

  /** The settings the other process answers with at `now`. */
  async function askOtherProcess(now: number) {
    worker.stdin!.write(`${now}\n`)
    const { value } = await lines.next()
    return JSON.parse(String(value).replace(/^settings /, '')) as Record<string, unknown>
  }

  it('a change saved in one process is what every other process answers within a second', async () => {
    expect((await lines.next()).value).toBe('ready')
    const start = Date.now()
    // The other process has read (and kept) the settings before the change.
    expect(await askOtherProcess(start)).toEqual({ publishTime: '07:05', supportContact: 'help@zhiyin.example', icpNumber: '京ICP备12345678号-1' })
    readRedirect(await post({ publishTime: '09:30', supportContact: 'zhiyin_kefu', icpNumber: '粤ICP备2024000001号-2' }))
    // This process answers with them at once, the other once what it kept is a second old.
    expect(await footer()).toEqual({ contact: 'zhiyin_kefu', icp: '粤ICP备2024000001号-2' })
    expect(await askOtherProcess(start + SITE_SETTINGS_TTL_MS)).toEqual({ publishTime: '09:30', supportContact: 'zhiyin_kefu', icpNumber: '粤ICP备2024000001号-2' })
    expect(SITE_SETTINGS_TTL_MS).toBeLessThanOrEqual(1000)
  }, 60_000)
})

describe('without environment values', () => {
  it('the built-in defaults: 06:30, no contact, no ICP number', async () => {
    await startWithEnvironment({ DAILY_PUBLISH_TIME: undefined, SUPPORT_CONTACT: undefined, ICP_NUMBER: undefined })
    const fresh = await import('~/models/site-settings.server')
    expect(await fresh.getSiteSettings()).toEqual({ publishTime: '06:30', supportContact: null, icpNumber: null })
    Object.assign(process.env, ENVIRONMENT)
  })
})
