import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { dailies, media, wechatMessages, wechatNonces } from '../../db/schema'
import { normalizeKeyword } from '~/domain/keyword'
import type * as WechatRoute from '~/routes/wechat'
import type * as WechatServer from '~/utils/wechat.server'
import { db } from '~/utils/db.server'
import { countRows } from '../factories/db'
import { routeArgs } from '../factories/requests'

const TOKEN = 'zhiyinTestToken42'
const OFFICIAL_ACCOUNT = 'gh_zhiyin0000001'
const SUBSCRIBER = 'oZhiyinSubscriber0000000001'
const SITE_URL = 'http://localhost:3000'
const HOUR_MS = 60 * 60 * 1000

type Route = typeof WechatRoute
type Server = typeof WechatServer

/**
 * The route and its helpers with WECHAT_TOKEN as given: getEnv() parses the environment once
 * per module instance, so a changed token needs fresh instances (db.server keeps its handle).
 */
async function loadModules(token: string | undefined): Promise<{ route: Route; server: Server }> {
  if (token) process.env.WECHAT_TOKEN = token
  else delete process.env.WECHAT_TOKEN
  vi.resetModules()
  return { route: await import('~/routes/wechat'), server: await import('~/utils/wechat.server') }
}

const { route, server } = await loadModules(TOKEN)

afterEach(async () => {
  await db.delete(wechatMessages)
  await db.delete(wechatNonces)
  await db.delete(dailies)
  await db.delete(media)
})
afterAll(() => {
  delete process.env.WECHAT_TOKEN
})

// ---- requests as WeChat sends them ----------------------------------------------------------

function fixture(name: string) {
  return readFileSync(new URL(`../fixtures/wechat/${name}`, import.meta.url), 'utf8')
}

/** The text-message fixture with another Content and MsgId. */
function textMessage(content: string, msgId = '1234567890123456') {
  return fixture('text.xml')
    .replace('<![CDATA[ＡＩ]]>', `<![CDATA[${content}]]>`)
    .replace('<MsgId>1234567890123456</MsgId>', `<MsgId>${msgId}</MsgId>`)
}

let nonces = 918273645

/**
 * A query string signed the way WeChat signs it, computed here independently of the app: signed
 * now (or at `signedAt`), with a nonce of its own unless one is given.
 */
function signedQuery(
  extra: Record<string, string> = {},
  token = TOKEN,
  { signedAt = new Date(), nonce = String(++nonces) }: { signedAt?: Date; nonce?: string } = {},
) {
  const timestamp = String(Math.floor(signedAt.getTime() / 1000))
  const signature = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex')
  return new URLSearchParams({ signature, timestamp, nonce, ...extra })
}

function getRequest(query: URLSearchParams) {
  return new Request(`${SITE_URL}/wechat?${query}`)
}

function postRequest(body: BodyInit, { query = signedQuery(), headers = {} }: { query?: URLSearchParams; headers?: Record<string, string> } = {}) {
  const init: RequestInit & { duplex?: 'half' } = {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'text/xml', ...headers },
  }
  if (body instanceof ReadableStream) init.duplex = 'half'
  return new Request(`${SITE_URL}/wechat?${query}`, init)
}

async function post(body: BodyInit, options?: Parameters<typeof postRequest>[1], modules = route) {
  return modules.action(routeArgs(postRequest(body, options)))
}

const replyParser = new XMLParser({ parseTagValue: false })

interface Reply {
  ToUserName: string
  FromUserName: string
  CreateTime: string
  MsgType: string
  Content?: string
  ArticleCount?: string
  Articles?: { item: { Title: string; Description: string; PicUrl?: string; Url: string } }
}

/** A 200 XML reply, parsed back with fast-xml-parser. */
async function readReply(response: Response) {
  expect(response.status).toBe(200)
  expect(response.headers.get('Content-Type')).toBe('application/xml; charset=utf-8')
  const text = await response.text()
  return { text, xml: replyParser.parse(text).xml as Reply }
}

// ---- published dailies ----------------------------------------------------------------------

let dayOfMonth = 0

async function insertDaily({
  keyword,
  title = '今天聊聊人工智能',
  teaser = '60 秒讲清楚：人工智能到底能做什么。',
  body = '正文：只有会员能读到的全部内容。',
  minRank = 0,
  coverId = null,
  publishAt = new Date(Date.now() - HOUR_MS),
  state = 'published',
}: {
  keyword: string
  title?: string
  teaser?: string
  body?: string
  minRank?: number
  coverId?: string | null
  publishAt?: Date
  state?: 'draft' | 'scheduled' | 'published'
}) {
  const date = `2024-05-${String(++dayOfMonth).padStart(2, '0')}`
  const now = new Date()
  const [daily] = await db
    .insert(dailies)
    .values({
      date,
      title,
      keyword,
      keywordKey: normalizeKeyword(keyword),
      teaser,
      body,
      minRank,
      coverId,
      state,
      publishAt,
      publishedAt: state === 'published' ? publishAt : null,
      updatedAt: now,
    })
    .returning()
  return daily!
}

async function insertCover(id: string) {
  await db.insert(media).values({ id, kind: 'image', mimeType: 'image/jpeg', bytes: 1024, path: `${id}.jpg` })
}

// ---- tests -----------------------------------------------------------------------------------

describe('GET /wechat (the console’s URL check)', () => {
  it('echoes echostr as text/plain when the signature matches', async () => {
    const response = await route.loader(routeArgs(getRequest(signedQuery({ echostr: '5837397749382' }))))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toBe('5837397749382')
  })

  it('answers 403 to a wrong signature, one signed with another token, or none', async () => {
    const wrong = signedQuery({ echostr: 'x' })
    wrong.set('signature', '0'.repeat(40))
    const otherToken = signedQuery({ echostr: 'x' }, 'someoneElsesToken')
    const missing = new URLSearchParams({ timestamp: '1700000000', nonce: '1', echostr: 'x' })
    for (const query of [wrong, otherToken, missing]) {
      const response = await route.loader(routeArgs(getRequest(query)))
      expect(response.status).toBe(403)
      expect(await response.text()).not.toContain('x')
    }
  })
})

describe('without WECHAT_TOKEN', () => {
  it('answers 404 to GET and POST, whatever the signature', async () => {
    const { route: off } = await loadModules(undefined)
    try {
      const get = await off.loader(routeArgs(getRequest(signedQuery({ echostr: 'hello' }))))
      expect(get.status).toBe(404)
      const posted = await post(fixture('text.xml'), {}, off)
      expect(posted.status).toBe(404)
      expect(await countRows(wechatMessages)).toBe(0)
    } finally {
      process.env.WECHAT_TOKEN = TOKEN
    }
  })
})

describe('/wechat: only calls signed just now, each once', () => {
  const MINUTE_MS = 60 * 1000

  it('refuses a URL check and a message signed more than 5 minutes ago or ahead (403), and answers nothing', async () => {
    await insertDaily({ keyword: 'AI' })
    for (const signedAt of [new Date('2023-11-14T22:13:20Z'), new Date(Date.now() - 6 * MINUTE_MS), new Date(Date.now() + 6 * MINUTE_MS)]) {
      const check = await route.loader(routeArgs(getRequest(signedQuery({ echostr: '5837397749382' }, TOKEN, { signedAt }))))
      expect(check.status, signedAt.toISOString()).toBe(403)
      const text = await check.text()
      expect(text).toContain('签名已过期')
      expect(text).not.toContain('5837397749382')
      const message = await post(fixture('text.xml'), { query: signedQuery({}, TOKEN, { signedAt }) })
      expect(message.status).toBe(403)
    }
    expect(await countRows(wechatMessages)).toBe(0)
    expect(await countRows(wechatNonces)).toBe(0)
  })

  it('accepts a call signed 4 minutes ago or ahead (clocks drift)', async () => {
    for (const signedAt of [new Date(Date.now() - 4 * MINUTE_MS), new Date(Date.now() + 4 * MINUTE_MS)]) {
      const check = await route.loader(routeArgs(getRequest(signedQuery({ echostr: 'ok' }, TOKEN, { signedAt }))))
      expect(check.status).toBe(200)
    }
  })

  it('refuses a replayed URL check: the same signed query twice is answered once', async () => {
    const query = signedQuery({ echostr: '5837397749382' })
    expect(await (await route.loader(routeArgs(getRequest(query)))).text()).toBe('5837397749382')
    const replay = await route.loader(routeArgs(getRequest(query)))
    expect(replay.status).toBe(403)
    const text = await replay.text()
    expect(text).toContain('nonce 重复')
    expect(text).not.toContain('5837397749382')
  })

  it('refuses a replayed message (403) before reading it: nothing is stored or answered again', async () => {
    await insertDaily({ keyword: 'AI' })
    const query = signedQuery()
    await readReply(await post(fixture('text.xml'), { query }))
    await db.delete(wechatMessages)
    const replay = postRequest(fixture('text.xml'), { query })
    const response = await route.action(routeArgs(replay))
    expect(response.status).toBe(403)
    expect(replay.bodyUsed).toBe(false)
    expect(await countRows(wechatMessages)).toBe(0)
  })

  it('remembers nonces in the database, and forgets those signed before the window', async () => {
    const now = new Date()
    const { claimWechatNonce } = await import('~/models/wechat.server')
    expect(await claimWechatNonce({ nonce: 'n-old', signedAt: new Date(now.getTime() - 10 * MINUTE_MS), now: new Date(now.getTime() - 10 * MINUTE_MS) })).toBe(true)
    expect(await claimWechatNonce({ nonce: 'n-1', signedAt: now, now })).toBe(true)
    expect(await claimWechatNonce({ nonce: 'n-1', signedAt: now, now })).toBe(false)
    const rows = await db.select().from(wechatNonces)
    expect(rows.map((row) => row.nonce)).toEqual(['n-1'])
  })
})

describe('POST /wechat: signature and mode', () => {
  it('answers 403 when the POST query is not signed with our token', async () => {
    await insertDaily({ keyword: 'AI' })
    const query = signedQuery()
    query.set('signature', signedQuery({}, 'someoneElsesToken').get('signature')!)
    const response = await post(fixture('text.xml'), { query })
    expect(response.status).toBe(403)
    expect(await countRows(wechatMessages)).toBe(0)
  })

  it('refuses safe mode (encrypt_type=aes) with 400 and a message saying to use plaintext mode', async () => {
    const response = await post(fixture('text.xml'), { query: signedQuery({ encrypt_type: 'aes', msg_signature: 'abc' }) })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('明文模式')
  })
})

describe('POST /wechat: keyword replies', () => {
  it('answers the keyword of a published daily with a news reply whose link is the keyword reply (it opens the article)', async () => {
    await insertCover('cover-abc123')
    const daily = await insertDaily({ keyword: 'AI', coverId: 'cover-abc123' })
    const { xml } = await readReply(await post(fixture('text.xml')))
    expect(xml).toMatchObject({
      ToUserName: SUBSCRIBER,
      FromUserName: OFFICIAL_ACCOUNT,
      MsgType: 'news',
      ArticleCount: '1',
      Articles: {
        item: {
          Title: daily.title,
          Description: daily.teaser,
          PicUrl: `${SITE_URL}/media/cover-abc123`,
          Url: `${SITE_URL}/keyword?q=AI`,
        },
      },
    })
    expect(Math.abs(Number(xml.CreateTime) - Date.now() / 1000)).toBeLessThan(60)
  })

  it('matches full-width, differently cased and padded replies (ＡＩ, ai, " Ai ") to the same daily', async () => {
    const daily = await insertDaily({ keyword: 'AI' })
    let msgId = 1000
    for (const content of ['ＡＩ', 'ai', ' Ai ', '「AI」！']) {
      const { xml } = await readReply(await post(textMessage(content, String(++msgId))))
      expect(xml.MsgType, content).toBe('news')
      expect(xml.Articles?.item.Url).toBe(`${SITE_URL}/keyword?q=${daily.keyword}`)
    }
  })

  it('leaves PicUrl out when the daily has no cover', async () => {
    await insertDaily({ keyword: '知音' })
    const { xml } = await readReply(await post(textMessage('知音')))
    expect(xml.Articles?.item).not.toHaveProperty('PicUrl')
  })

  it('a rank-2 daily’s news reply carries only its teaser, never the body', async () => {
    const daily = await insertDaily({ keyword: '铁杆', minRank: 2, teaser: '导语：人人可读。', body: '会员正文-SECRET-只给铁杆会员' })
    const { text, xml } = await readReply(await post(textMessage('铁杆')))
    expect(xml.Articles?.item.Description).toBe(daily.teaser)
    expect(text).not.toContain('SECRET')
    expect(text).not.toContain('会员正文')
  })

  it('answers anything else with help text in Chinese and a link to the site', async () => {
    await insertDaily({ keyword: 'AI' })
    const { xml } = await readReply(await post(textMessage('你好')))
    expect(xml.MsgType).toBe('text')
    expect(xml.ToUserName).toBe(SUBSCRIBER)
    expect(xml.Content).toContain('关键词')
    expect(xml.Content).toContain(SITE_URL)
  })

  it('does not match a daily that is scheduled, or published with a publish time still ahead', async () => {
    await insertDaily({ keyword: '明天', state: 'scheduled', publishAt: new Date(Date.now() + HOUR_MS) })
    await insertDaily({ keyword: '稍后', publishAt: new Date(Date.now() + HOUR_MS) })
    for (const [content, msgId] of [['明天', '2001'], ['稍后', '2002']] as const) {
      const { xml } = await readReply(await post(textMessage(content, msgId)))
      expect(xml.MsgType, content).toBe('text')
    }
  })

  it('keeps titles with ]]>, < and & intact through the CDATA sections', async () => {
    const daily = await insertDaily({ keyword: 'cdata', title: 'a]]>b <i>&amp; c]]]]>', teaser: ']]>' })
    const { xml } = await readReply(await post(textMessage('CDATA')))
    expect(xml.Articles?.item.Title).toBe(daily.title)
    expect(xml.Articles?.item.Description).toBe(']]>')
  })
})

describe('POST /wechat: events and other messages', () => {
  it('welcomes a new subscriber', async () => {
    const { xml } = await readReply(await post(fixture('subscribe.xml')))
    expect(xml).toMatchObject({ ToUserName: 'oZhiyinSubscriber0000000002', FromUserName: OFFICIAL_ACCOUNT, MsgType: 'text' })
    expect(xml.Content).toContain('欢迎')
    expect(xml.Content).toContain(SITE_URL)
  })

  it('answers an image message and an unsubscribe event with "success" and stores nothing', async () => {
    for (const name of ['image.xml', 'unsubscribe.xml']) {
      const response = await post(fixture(name))
      expect(response.status, name).toBe(200)
      expect(await response.text()).toBe('success')
    }
    expect(await countRows(wechatMessages)).toBe(0)
  })
})

describe('POST /wechat: WeChat’s retries', () => {
  it('answers the same MsgId twice with the identical reply and stores one row', async () => {
    await insertDaily({ keyword: 'AI' })
    const first = await readReply(await post(fixture('text.xml')))
    // Even if the daily changes in between, the retry gets what was sent first.
    await db.update(dailies).set({ title: '改过的标题' })
    const second = await readReply(await post(fixture('text.xml')))
    expect(second.text).toBe(first.text)
    expect(await countRows(wechatMessages)).toBe(1)
  })

  it('gives concurrent retries of one MsgId the identical reply and stores one row', async () => {
    await insertDaily({ keyword: 'AI' })
    const responses = await Promise.all(Array.from({ length: 4 }, () => post(fixture('text.xml'))))
    const texts = await Promise.all(responses.map(async (r) => (await readReply(r)).text))
    expect(new Set(texts).size).toBe(1)
    expect(await countRows(wechatMessages)).toBe(1)
  })

  it('keys events by sender and CreateTime: a repeated subscribe event is answered once', async () => {
    const first = await readReply(await post(fixture('subscribe.xml')))
    const second = await readReply(await post(fixture('subscribe.xml')))
    expect(second.text).toBe(first.text)
    const rows = await db.select().from(wechatMessages)
    expect(rows.map((r) => r.msgKey)).toEqual(['user:oZhiyinSubscriber0000000002:1348831900'])
  })

  it('keeps a 64-bit MsgId exact (no rounding through numbers)', async () => {
    await post(textMessage('hello', '9007199254740993'))
    const rows = await db.select().from(wechatMessages)
    expect(rows.map((r) => r.msgKey)).toEqual(['msg:9007199254740993'])
  })
})

describe('POST /wechat: refused bodies', () => {
  /** A valid text message of exactly `bytes` bytes (UTF-8). */
  function messageOfSize(bytes: number) {
    const base = textMessage('')
    return textMessage('a'.repeat(bytes - Buffer.byteLength(base)))
  }

  it('accepts a body of exactly 64 KB and refuses one byte more with 413', async () => {
    expect(Buffer.byteLength(messageOfSize(65536))).toBe(65536)
    expect((await post(messageOfSize(65536))).status).toBe(200)
    const response = await post(messageOfSize(65537))
    expect(response.status).toBe(413)
    expect(await response.text()).toContain('64 KB')
  })

  it('refuses a declared Content-Length over 64 KB without reading the body', async () => {
    const request = postRequest(fixture('text.xml'), { headers: { 'Content-Length': String(65537) } })
    const response = await route.action(routeArgs(request))
    expect(response.status).toBe(413)
    expect(request.bodyUsed).toBe(false)
  })

  it('stops reading an endless body without Content-Length once it passes 64 KB', async () => {
    const chunk = new Uint8Array(8 * 1024).fill(0x20)
    let pulledBytes = 0
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulledBytes += chunk.byteLength
        controller.enqueue(chunk)
      },
      cancel() {
        cancelled = true
      },
    })
    const response = await post(body)
    expect(response.status).toBe(413)
    expect(pulledBytes).toBeLessThanOrEqual(64 * 1024 + 2 * chunk.byteLength)
    await vi.waitFor(() => expect(cancelled).toBe(true))
  })

  it('refuses a deeply nested message and one with a <__proto__> tag with 400, storing nothing', async () => {
    await insertDaily({ keyword: 'AI' })
    const text = fixture('text.xml')
    const nested = text.replace('</xml>', `${'<a>'.repeat(2000)}${'</a>'.repeat(2000)}</xml>`)
    const polluting = text.replace('</xml>', '<__proto__><polluted>yes</polluted></__proto__></xml>')
    for (const body of [nested, polluting]) {
      const response = await post(body)
      expect(response.status).toBe(400)
      expect(await response.text()).toBe('无法解析的消息 XML')
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(await countRows(wechatMessages)).toBe(0)
  })

  it('refuses malformed XML, an empty body and a message missing its envelope with 400', async () => {
    const withoutSender = fixture('text.xml').replace(/<FromUserName>.*<\/FromUserName>/, '')
    for (const body of [fixture('malformed.xml'), '', 'not xml at all', withoutSender, '<xml><ToUserName>a</ToUserName></xml>']) {
      const response = await post(body)
      expect(response.status, body.slice(0, 40)).toBe(400)
    }
    expect(await countRows(wechatMessages)).toBe(0)
  })

  it('refuses a DOCTYPE/ENTITY ("billion laughs") payload with 400 and expands nothing', async () => {
    await insertDaily({ keyword: 'lol' })
    const started = Date.now()
    const response = await post(fixture('billion-laughs.xml'))
    expect(response.status).toBe(400)
    const text = await response.text()
    expect(text).toContain('DOCTYPE')
    expect(text).not.toContain('lollol')
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await countRows(wechatMessages)).toBe(0)
  })
})

describe('wechat.server protocol pieces', () => {
  it('refuses messages the parser cannot take as malformed: deep nesting, <__proto__>, <constructor>', () => {
    const text = fixture('text.xml')
    for (const xml of [
      text.replace('</xml>', `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</xml>`),
      text.replace('</xml>', '<__proto__><isAdmin>1</isAdmin></__proto__></xml>'),
      text.replace('<xml>', '<xml><constructor>x</constructor>'),
    ]) {
      expect(server.parseMessage(xml)).toEqual({ ok: false, error: 'malformed' })
    }
  })

  it('parses a message without expanding entity references', () => {
    const parsed = server.parseMessage(fixture('text.xml').replace('<![CDATA[ＡＩ]]>', '&lol9;&amp;'))
    expect(parsed).toMatchObject({ ok: true, message: { type: 'text', content: '&lol9;&amp;' } })
  })

  it('refuses DTD markup in any case before parsing', () => {
    for (const xml of [fixture('billion-laughs.xml'), '<!doctype xml><xml/>', '<xml><!ENTITY a "b"></xml>']) {
      expect(server.parseMessage(xml)).toEqual({ ok: false, error: 'entities' })
    }
  })

  it('splits ]]> across CDATA sections so any value round-trips', () => {
    for (const value of ['', 'plain', ']]>', 'a]]>b]]>c', ']]]]>', '<![CDATA[x]]>']) {
      const xml = `<xml><v>${server.cdata(value)}</v></xml>`
      expect(replyParser.parse(xml).xml.v ?? '', value).toBe(value)
    }
  })

  it('drops characters XML 1.0 cannot carry, keeping Chinese, emoji and line breaks', () => {
    expect(server.cdata('知音\u0000\u0008\uFFFF\uD800 🎧\n')).toBe('<![CDATA[知音 🎧\n]]>')
  })

  it('checks signatures of the sorted token, timestamp and nonce, in either hex case', () => {
    const query = signedQuery()
    expect(server.verifySignature(TOKEN, query)).toBe(true)
    query.set('signature', query.get('signature')!.toUpperCase())
    expect(server.verifySignature(TOKEN, query)).toBe(true)
    query.set('signature', query.get('signature')!.slice(1))
    expect(server.verifySignature(TOKEN, query)).toBe(false)
  })
})
