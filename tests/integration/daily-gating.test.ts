// The gating table applied to dailies (DESIGN.md §4.6), with the keyword ritual on top
// (docs/decisions/017): the article needs both the keyword and the tier. Every daily loader goes
// through presentDaily(), so a reader's data never holds the body without both, never holds the
// keyword, and a gated voice's URL reaches only those it is open to. First the loaders against
// this file's database, then the real HTML of the running server.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dailies, type Daily, type Media } from '../../db/schema'
import type { Access } from '~/domain/access'
import type { DailyView } from '~/domain/daily'
import { action as homeAction, loader as homeLoader } from '~/routes/_index'
import { action as dailyAction, loader as dailyLoader } from '~/routes/daily.$date'
import { loader as archiveLoader } from '~/routes/daily._index'
import { db } from '~/utils/db.server'
import { dateFromToday, expiredMembership, insertDaily, nextSequence, serialized, signedIn, uploadDemoAudio } from '../factories/dailies'
import { cookiePairOf, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { DAY_MS } from '../factories/users'

type Blocked = Extract<Access, { granted: false }>
const PUBLIC: Access = { granted: true, via: 'public' }
const MEMBER: Access = { granted: true, via: 'membership' }
const STAFF: Access = { granted: true, via: 'staff' }
const blocked = (reason: Blocked['reason'], requiredRank: number): Access => ({ granted: false, reason, requiredRank })

const VIEWERS = ['visitor', 'user', '亲情会员', '铁杆会员', 'expired 亲情会员', 'editor', 'admin'] as const
type ViewerName = (typeof VIEWERS)[number]

// Rows: viewer → what their tier gives of a daily of minRank 0 (public), 1 (亲情会员) and 2 (铁杆会员).
const TABLE: Record<ViewerName, [Access, Access, Access]> = {
  visitor: [PUBLIC, blocked('sign_in_required', 1), blocked('sign_in_required', 2)],
  user: [PUBLIC, blocked('membership_required', 1), blocked('membership_required', 2)],
  亲情会员: [PUBLIC, MEMBER, blocked('higher_tier_required', 2)],
  铁杆会员: [PUBLIC, MEMBER, MEMBER],
  'expired 亲情会员': [PUBLIC, blocked('membership_expired', 1), blocked('membership_expired', 2)],
  editor: [PUBLIC, STAFF, STAFF],
  admin: [PUBLIC, STAFF, STAFF],
}

const RANKS = [0, 1, 2] as const
const KEYWORD_GIVEN = [false, true] as const

const isStaffViewer = (viewer: ViewerName) => viewer === 'editor' || viewer === 'admin'
/** The article opens with the tier and the keyword; staff read every daily without one. */
const opens = (viewer: ViewerName, rank: number, keywordGiven: boolean) => TABLE[viewer][rank]!.granted && (keywordGiven || isStaffViewer(viewer))

interface GatedDaily {
  daily: Daily
  audio: Media
  sentence: string
}

/** Each viewer's Cookie header: a session, or for the visitor the cookie their replies set. */
const cookies = {} as Record<ViewerName, string | undefined>
/** Per rank: a daily nobody replied to, and one every viewer gave the keyword of. */
const locked = {} as Record<(typeof RANKS)[number], GatedDaily>
const answered = {} as Record<(typeof RANKS)[number], GatedDaily>
let today: GatedDaily

/** A daily whose body carries a sentence found nowhere else, with a real audio clip attached. */
async function gatedDaily(minRank: number, values: Partial<typeof dailies.$inferInsert> = {}): Promise<GatedDaily> {
  const audio = await uploadDemoAudio()
  const n = nextSequence()
  const sentence = `只有等级${minRank}及以上才能读到的第${n}句话`
  const daily = await insertDaily({
    minRank,
    keyword: `暗号${n}号`,
    teaser: `等级 ${minRank} 的导语，人人可见`,
    body: `## 正文\n\n${sentence}\n\n- 第一条`,
    audioId: audio.id,
    ...values,
  })
  return { daily, audio, sentence }
}

/**
 * Replies with a daily's keyword in the box on its page, as this viewer: the answer is a redirect
 * back to the page. A visitor's replies live in the cookie the answer sets.
 */
async function giveKeyword(viewer: ViewerName, daily: Daily, { onHome = false } = {}) {
  const form = { q: daily.keyword }
  const request = requestFor(onHome ? '/?index' : `/daily/${daily.date}`, { form, cookie: cookies[viewer] })
  const answer = onHome ? await homeAction(routeArgs(request)) : await dailyAction(routeArgs(request, { date: daily.date }))
  const { location, cookies: set } = readRedirect(answer)
  expect(location).toBe(onHome ? '/' : `/daily/${daily.date}`)
  if (viewer === 'visitor') cookies.visitor = cookiePairOf(set, 'zhiyin_keys') ?? cookies.visitor
}

beforeAll(async () => {
  cookies.visitor = undefined
  cookies.user = (await signedIn()).cookie
  cookies['亲情会员'] = (await signedIn({ tier: 'qinqing' })).cookie
  cookies['铁杆会员'] = (await signedIn({ tier: 'tiegan' })).cookie
  cookies['expired 亲情会员'] = (await signedIn({ tier: expiredMembership() })).cookie
  cookies.editor = (await signedIn({ role: 'editor' })).cookie
  cookies.admin = (await signedIn({ role: 'admin' })).cookie
  for (const rank of RANKS) {
    locked[rank] = await gatedDaily(rank)
    answered[rank] = await gatedDaily(rank)
    for (const viewer of VIEWERS) await giveKeyword(viewer, answered[rank].daily)
  }
  today = await gatedDaily(0, { date: dateFromToday(0), publishAt: new Date(Date.now() - 60_000) })
})

/**
 * What a reader's data holds of a daily: the voice always (it is public by default), never the
 * keyword, and the body only when the article opens for them.
 */
function expectView(json: string, view: DailyView, gated: GatedDaily, { access, body }: { access: Access; body: boolean }) {
  expect(view.access).toEqual(access)
  expect(view.teaser).toBe(gated.daily.teaser)
  expect(view.audio).toEqual({ url: `/media/${gated.audio.id}`, durationMs: gated.audio.durationMs })
  expect(json).toContain(gated.daily.teaser)
  expect(json).not.toContain(gated.daily.keyword)
  expect(json).not.toContain('keywordKey')
  if (body) {
    expect(view.bodyHtml).toContain(gated.sentence)
    expect(view.bodyHtml).toContain('<h2>正文</h2>')
  } else {
    expect(view.bodyHtml).toBeNull()
    expect(json).not.toContain(gated.sentence)
  }
}

describe('/daily/:date opens the article to a reader with both the keyword and the tier', () => {
  for (const viewer of VIEWERS) {
    for (const rank of RANKS) {
      for (const given of KEYWORD_GIVEN) {
        const access = TABLE[viewer][rank]
        const body = opens(viewer, rank, given)
        it(`${viewer}, ${given ? 'keyword given' : 'no keyword'}, a daily of rank ${rank}: ${body ? 'the article' : 'the teaser'} (${access.granted ? access.via : access.reason})`, async () => {
          const gated = given ? answered[rank] : locked[rank]
          const data = await dailyLoader(routeArgs(requestFor(`/daily/${gated.daily.date}`, { cookie: cookies[viewer] }), { date: gated.daily.date }))
          expect(data.daily).toMatchObject({ date: gated.daily.date, title: gated.daily.title, minRank: rank, isLive: true })
          expect(data.daily.unlocked).toBe(given || isStaffViewer(viewer))
          expectView(serialized(data), data.daily, gated, { access, body })
        })
      }
    }
  }

  it('names the tier a blocked reader needs', async () => {
    const data = await dailyLoader(routeArgs(requestFor(`/daily/${locked[2].daily.date}`), { date: locked[2].daily.date }))
    expect(data.daily.tierName).toBe('铁杆会员')
    const open = await dailyLoader(routeArgs(requestFor(`/daily/${locked[0].daily.date}`), { date: locked[0].daily.date }))
    expect(open.daily.tierName).toBeNull()
  })

  it('a forged visitor cookie opens nothing', async () => {
    const { daily, sentence } = answered[0]
    const genuine = cookies.visitor!
    const [name, value] = genuine.split('=') as [string, string]
    // The same list with another signature, and a list claiming every daily without one.
    const forged = [`${name}=${value.slice(0, -4)}AAAA`, `${name}=${Buffer.from(JSON.stringify([[daily.id, daily.date, 1]])).toString('base64')}`]
    for (const cookie of forged) {
      const data = await dailyLoader(routeArgs(requestFor(`/daily/${daily.date}`, { cookie }), { date: daily.date }))
      expect(data.daily.unlocked, cookie).toBe(false)
      expect(serialized(data)).not.toContain(sentence)
    }
  })
})

describe('a voice the editor gated reaches only readers of the article’s tier', () => {
  let gatedVoice: GatedDaily

  beforeAll(async () => {
    gatedVoice = await gatedDaily(1, { voicePublic: false, transcript: '语音稿：今天的关键词是秘密。' })
  })

  it.each(VIEWERS)('%s', async (viewer) => {
    const { daily, audio } = gatedVoice
    const data = await dailyLoader(routeArgs(requestFor(`/daily/${daily.date}`, { cookie: cookies[viewer] }), { date: daily.date }))
    const json = serialized(data)
    if (TABLE[viewer][1].granted) {
      expect(data.daily.audio?.url).toBe(`/media/${audio.id}`)
      expect(data.daily.transcript).toBe(daily.transcript)
    } else {
      expect(data.daily.audio).toBeNull()
      expect(data.daily.transcript).toBeNull()
      expect(json).not.toContain(audio.id)
      expect(json).not.toContain('语音稿')
    }
  })

  it('a public voice comes with its transcript for everyone', async () => {
    const open = await gatedDaily(2, { transcript: '早上好。今天的关键词是：公开稿。' })
    const data = await dailyLoader(routeArgs(requestFor(`/daily/${open.daily.date}`), { date: open.daily.date }))
    expect(data.daily.transcript).toBe('早上好。今天的关键词是：公开稿。')
    expect(data.daily.audio?.url).toBe(`/media/${open.audio.id}`)
    expect(data.daily.bodyHtml).toBeNull()
  })
})

describe('the home page shows today’s daily through the same gate', () => {
  describe.each(RANKS)('today’s daily of rank %d', (rank) => {
    beforeAll(async () => {
      await db.update(dailies).set({ minRank: rank }).where(eq(dailies.id, today.daily.id))
      today.daily = { ...today.daily, minRank: rank }
    })

    for (const viewer of VIEWERS) {
      const access = TABLE[viewer][rank]
      it(`${viewer}: the teaser before the keyword, ${opens(viewer, rank, true) ? 'the article' : 'still the teaser'} after it`, async () => {
        const before = await homeLoader(routeArgs(requestFor('/', { cookie: cookies[viewer] })))
        expect(before.today).toBe(dateFromToday(0))
        expect(before.daily?.daily).toMatchObject({ date: today.daily.date, isLive: true })
        // Replies are remembered, so the first rank's pass gives the keyword for all three.
        if (rank === 0) expectView(serialized(before), before.daily!.daily, today, { access, body: opens(viewer, rank, false) })
        if (rank === 0) await giveKeyword(viewer, today.daily, { onHome: true })
        const after = await homeLoader(routeArgs(requestFor('/', { cookie: cookies[viewer] })))
        expectView(serialized(after), after.daily!.daily, today, { access, body: opens(viewer, rank, true) })
      })
    }
  })
})

// ---- what is not out yet, and the archive ------------------------------------------------------

describe('a daily readers may not see yet is a 404 for them and a preview for staff', () => {
  let hidden: Record<'draft' | 'scheduled' | 'published for later', Daily>

  beforeAll(async () => {
    const later = new Date(Date.now() + 3 * DAY_MS)
    hidden = {
      draft: (await gatedDaily(2, { date: '2023-06-01', state: 'draft', publishedAt: null })).daily,
      scheduled: (await gatedDaily(2, { date: dateFromToday(3), state: 'scheduled', publishAt: later })).daily,
      'published for later': (await gatedDaily(2, { date: dateFromToday(4), publishAt: later })).daily,
    }
  })

  const NON_STAFF = ['visitor', 'user', '铁杆会员'] as const
  const STATES = ['draft', 'scheduled', 'published for later'] as const

  for (const state of STATES) {
    it.each(NON_STAFF)(`a ${state} daily is a 404 for a %s`, async (viewer) => {
      const { date } = hidden[state]
      const response = await thrownResponse(dailyLoader(routeArgs(requestFor(`/daily/${date}`, { cookie: cookies[viewer] }), { date })))
      expect(response.status).toBe(404)
    })

    it.each(['editor', 'admin'] as const)(`a ${state} daily is shown to an %s, marked as not live`, async (viewer) => {
      const { date, title } = hidden[state]
      const data = await dailyLoader(routeArgs(requestFor(`/daily/${date}`, { cookie: cookies[viewer] }), { date }))
      expect(data.daily).toMatchObject({ date, title, isLive: false, access: STAFF })
    })
  }

  it('the home page never shows them', async () => {
    const data = await homeLoader(routeArgs(requestFor('/', { cookie: cookies.editor })))
    expect(data.daily?.daily.date).toBe(today.daily.date)
  })

  it.each(['2026-13-45', 'abc', '2026-02-30', '2026-1-5', ''])('the date %j is a 404, even for an editor', async (date) => {
    for (const viewer of ['visitor', 'editor'] as const) {
      const response = await thrownResponse(dailyLoader(routeArgs(requestFor(`/daily/${date}`, { cookie: cookies[viewer] }), { date })))
      expect(response.status, viewer).toBe(404)
    }
  })

  it('a date without a daily is a 404', async () => {
    const response = await thrownResponse(dailyLoader(routeArgs(requestFor('/daily/2001-01-01'), { date: '2001-01-01' })))
    expect(response.status).toBe(404)
  })
})

describe('the archive (/daily)', () => {
  const archive: GatedDaily[] = []

  beforeAll(async () => {
    // 25 live dailies in January 2024, newest on the 25th; a draft and a later one among them.
    for (let day = 1; day <= 25; day++) archive.push(await gatedDaily(day % 3, { date: `2024-01-${String(day).padStart(2, '0')}` }))
    await gatedDaily(0, { date: '2024-01-26', state: 'draft' })
    await gatedDaily(0, { date: '2024-01-27', publishAt: new Date(Date.now() + DAY_MS) })
  })

  async function page(n?: string) {
    return archiveLoader(routeArgs(requestFor(n === undefined ? '/daily' : `/daily?page=${n}`)))
  }

  it('lists 20 live dailies a page, newest first, and never what is not out', async () => {
    const first = await page()
    expect(first.page).toBe(1)
    expect(first.dailies).toHaveLength(20)
    // Today's daily, then January 2024 from the 25th down.
    const january = archive.map((a) => a.daily.date).reverse()
    expect(first.dailies.map((d) => d.date)).toEqual([today.daily.date, ...january.slice(0, 19)])

    const second = await page('2')
    expect(second.page).toBe(2)
    expect(second.dailies.map((d) => d.date).slice(0, 6)).toEqual(january.slice(19))
    const all = [...first.dailies, ...second.dailies].map((d) => d.date)
    expect(all).toEqual([...all].sort().reverse())
    expect(all).not.toContain('2024-01-26')
    expect(all).not.toContain('2024-01-27')
    expect(first.pages).toBe(second.pages)
    expect(first.pages).toBe(Math.ceil((first.dailies.length + second.dailies.length) / 20))
  })

  it('holds the teaser and never a body, a keyword or an audio URL', async () => {
    const first = await page()
    const json = serialized(first)
    for (const item of first.dailies) {
      expect(Object.keys(item).sort()).toEqual(['date', 'hasAudio', 'minRank', 'teaser', 'tierName', 'title'])
    }
    for (const { daily, audio, sentence } of archive.slice(-19)) {
      expect(json).toContain(daily.teaser)
      expect(json).not.toContain(sentence)
      expect(json).not.toContain(daily.keyword)
      expect(json).not.toContain(audio.id)
    }
    const jan25 = first.dailies.find((d) => d.date === '2024-01-25')!
    expect(jan25).toMatchObject({ minRank: 1, tierName: '亲情会员', hasAudio: true })
  })

  it('a page number that is not one shows the first page; one past the end is empty', async () => {
    expect((await page('abc')).page).toBe(1)
    expect((await page('-3')).page).toBe(1)
    const beyond = await page('99')
    expect(beyond.dailies).toEqual([])
  })
})

// ---- the real HTML, from the running server ---------------------------------------------------

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function freePort() {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

interface RunningServer {
  child: ChildProcess
  dataDir: string
  origin: string
  /** Settles once the server listens (it builds the app first when build/ is stale). */
  listening: Promise<void>
}

/** Starts `tsx server/main.ts` (what `npm start` runs) on a free port and a fresh data dir. */
async function spawnServer(): Promise<RunningServer> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'zhiyin-gating-server-'))
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'test', SITE_URL: `http://localhost:${port}`, LOG_LEVEL: 'info' }
  for (const name of ['DATABASE_URL', 'UPLOAD_DIR', 'RESEND_API_KEY', 'DATABASE_AUTH_TOKEN', 'SITE_TIMEZONE']) delete env[name]
  // Its own process group, so that stopping it also stops the node process tsx starts.
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('is listening on')) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)))
  })
  // Stopped before it listened (a hook timeout): not an unhandled rejection on top of that.
  listening.catch(() => undefined)
  return { child, dataDir, origin: `http://localhost:${port}`, listening }
}

function stopServer(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve()
    const force = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    process.kill(-child.pid, 'SIGTERM')
  })
}

describe('the running server sends a blocked reader no gated text, in HTML or in data', () => {
  let server: RunningServer | undefined
  const sessionCookies: Record<string, string> = {}

  // The demo seed imports content/dailies relative to today: 03-curiosity (day -4) is for
  // 亲情会员 and up, 01-first-principles (day -6) for 铁杆会员 only.
  const qinqingDaily = { date: dateFromToday(-4), keyword: '好奇心', sentence: '好奇心像一块肌肉，用得越多越强' }
  const tieganDaily = { date: dateFromToday(-6), keyword: '追问', sentence: '对同一个问题连续追问几次“为什么”' }

  async function login(email: string, password: string) {
    const response = await fetch(`${server!.origin}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: server!.origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'password', email, password }),
    })
    expect(response.status, `login of ${email}`).toBe(302)
    const pair = response.headers.getSetCookie().find((c) => c.startsWith('zhiyin_session='))
    expect(pair, `session cookie for ${email}`).toBeDefined()
    return pair!.split(';')[0]!
  }

  async function fetchText(path: string, cookie?: string) {
    const response = await fetch(`${server!.origin}${path}`, { headers: cookie ? { Cookie: cookie } : {} })
    expect(response.status, path).toBe(200)
    return response.text()
  }

  /** Replies in the box on the daily's page, as a browser without script would; returns the cookies to send next. */
  async function replyOnPage(date: string, keyword: string, cookie: string | undefined) {
    const response = await fetch(`${server!.origin}/daily/${date}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: server!.origin, 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
      body: new URLSearchParams({ q: keyword }),
    })
    expect(response.status, `reply ${keyword}`).toBe(302)
    expect(response.headers.get('Location')).toBe(`/daily/${date}`)
    const keys = cookiePairOf(response.headers.getSetCookie(), 'zhiyin_keys')
    return [cookie, keys].filter(Boolean).join('; ') || undefined
  }

  beforeAll(async () => {
    server = await spawnServer()
    await server.listening
    sessionCookies.qinqing = await login('qinqing@zhiyin.local', 'zhiyin-member')
    sessionCookies.tiegan = await login('tiegan@zhiyin.local', 'zhiyin-member')
  }, 180_000)

  afterAll(async () => {
    if (server) {
      await stopServer(server.child)
      rmSync(server.dataDir, { recursive: true, force: true })
    }
  })

  it.each([
    { who: 'a visitor', account: undefined, tier: '亲情会员', daily: qinqingDaily, allowed: false },
    { who: 'a visitor', account: undefined, tier: '铁杆会员', daily: tieganDaily, allowed: false },
    { who: 'a 亲情会员', account: 'qinqing', tier: '亲情会员', daily: qinqingDaily, allowed: true },
    { who: 'a 亲情会员', account: 'qinqing', tier: '铁杆会员', daily: tieganDaily, allowed: false },
    { who: 'a 铁杆会员', account: 'tiegan', tier: '铁杆会员', daily: tieganDaily, allowed: true },
  ] as const)('$who, body of a $tier demo daily in /daily/:date and its .data: never before the keyword, after it $allowed', async ({ account, daily, allowed }) => {
    const session = account ? sessionCookies[account] : undefined
    for (const path of [`/daily/${daily.date}`, `/daily/${daily.date}.data`]) {
      const text = await fetchText(path, session)
      expect(text, path).not.toContain(daily.sentence)
      expect(text, path).not.toContain(`「${daily.keyword}」`)
    }
    const cookie = await replyOnPage(daily.date, daily.keyword, session)
    for (const path of [`/daily/${daily.date}`, `/daily/${daily.date}.data`]) {
      const text = await fetchText(path, cookie)
      if (allowed) expect(text, path).toContain(daily.sentence)
      else expect(text, path).not.toContain(daily.sentence)
    }
  })

  it('a visitor hears the voice of a gated demo daily and sees the teaser and the keyword box, not the keyword', async () => {
    const html = await fetchText(`/daily/${qinqingDaily.date}`)
    expect(html).toContain('好奇心不是天赋，而是一种可以锻炼的习惯。')
    expect(html).toContain('<audio')
    expect(html).toContain('回复关键词，获取文章')
    // The keyword is said at the end of the voice: only the 文字版 (folded away) holds it.
    const transcript = /<details[^>]*>([\s\S]*?)<\/details>/.exec(html)?.[1] ?? ''
    expect(transcript).toContain('文字版')
    expect(transcript).toContain('今天的关键词是：好奇心。')
    // Outside it (and the page's data for scripts, which carries the transcript) it is not shown.
    const shown = html.replace(transcript, '').replace(/<script[^>]*>[\s\S]*?<\/script>/g, '')
    expect(shown).not.toContain('关键词是')
  })

  it('the .data of a daily a reader has opened is private to them, like its HTML: no shared cache may keep the body', async () => {
    for (const session of [sessionCookies.qinqing, undefined]) {
      const daily = session ? qinqingDaily : { date: dateFromToday(-1), sentence: '' }
      const cookie = session ? await replyOnPage(daily.date, qinqingDaily.keyword, session) : undefined
      const response = await fetch(`${server!.origin}/daily/${daily.date}.data`, { headers: cookie ? { Cookie: cookie } : {} })
      expect(response.status).toBe(200)
      if (session) expect(await response.text()).toContain(daily.sentence)
      // A reverse proxy or CDN that caches by URL must not hand this reader's answer to another.
      expect(response.headers.get('Cache-Control') ?? '', `${daily.date}.data, ${session ? 'member' : 'visitor'}`).toMatch(/private/)
      expect(response.headers.get('Vary') ?? '').toMatch(/\bCookie\b/)
    }
  })

  it('with the keyword but not the tier, a visitor gets the reason and the way to /membership', async () => {
    const cookie = await replyOnPage(qinqingDaily.date, qinqingDaily.keyword, undefined)
    const html = await fetchText(`/daily/${qinqingDaily.date}`, cookie)
    expect(html).toContain('本文仅对亲情会员开放，登录后查看你的会员权益')
    expect(html).toContain('href="/membership"')
    expect(html).not.toContain('回复关键词，获取文章')
  })
})
