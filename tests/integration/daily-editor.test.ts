// The daily editor: its save actions (/admin/posts/new, /admin/posts/:id), its live preview and
// the upload endpoint (/admin/media), called as Remix calls them, against this file's database
// and upload directory.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { and, eq, inArray } from 'drizzle-orm'
import sharp from 'sharp'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { auditLog, dailies, media, type Media, type User } from '../../db/schema'
import { localDateTime } from '~/domain/daily'
import { t } from '~/i18n/zh-CN'
import { action as editAction, loader as editLoader } from '~/routes/admin.posts.$id'
import { action as newAction, loader as newLoader } from '~/routes/admin.posts.new'
import { action as mediaAction } from '~/routes/admin.media'
import { action as previewAction } from '~/routes/admin.posts.preview'
import { loader as postsLoader } from '~/routes/admin.posts._index'
import { action as dailyAction, loader as dailyLoader } from '~/routes/daily.$date'
import { db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { MAX_IMAGE_BYTES } from '~/domain/media-types'
import { countRows } from '../factories/db'
import { EXIF_MAKER, jpegWithGps, pngDeclaring, pngHtmlPolyglot } from '../factories/images'
import { dateFromToday, DEMO_MP3, editorForm, insertDaily, PNG_1X1, signedIn, silentWav, SITE_TIMEZONE, uploadDemoAudio } from '../factories/dailies'
import { cookiePairOf, readData, readRedirect, requestFor, routeArgs, SITE_ORIGIN, thrownResponse } from '../factories/requests'

let editor: User
let editorCookie: string
let memberCookie: string

beforeAll(async () => {
  ;({ user: editor, cookie: editorCookie } = await signedIn({ role: 'editor' }))
  ;({ cookie: memberCookie } = await signedIn({ tier: 'tiegan' }))
})

function saveNew(form: Record<string, string>, cookie: string | undefined = editorCookie) {
  return newAction(routeArgs(requestFor('/admin/posts/new', { form, cookie })))
}

function saveEdit(id: number | string, form: Record<string, string>, cookie: string | undefined = editorCookie) {
  return editAction(routeArgs(requestFor(`/admin/posts/${id}`, { form, cookie }), { id: String(id) }))
}

/** The daily the editor just saved, found through the redirect to its edit page. */
async function savedDaily(result: unknown) {
  const { location, cookies } = readRedirect(result)
  expect(location).toMatch(/^\/admin\/posts\/\d+$/)
  expect(cookies.some((c) => c.startsWith('zhiyin_flash='))).toBe(true)
  const id = Number(location!.split('/').pop())
  return (await db.query.dailies.findFirst({ where: eq(dailies.id, id) }))!
}

const uploadPath = (file: Media) => join(getEnv().UPLOAD_DIR, file.path)
const mediaRow = (id: string) => db.query.media.findFirst({ where: eq(media.id, id) })

describe('saving a daily from the editor', () => {
  it('a valid draft is stored as a draft and the editor lands on its edit page', async () => {
    const form = editorForm({ keyword: ' Ｄｅｅｐ  Ｗｏｒｋ ', time: '07:15', minRank: '2' })
    const daily = await savedDaily(await saveNew(form))
    expect(daily).toMatchObject({
      date: form.date,
      title: form.title,
      keyword: 'Ｄｅｅｐ  Ｗｏｒｋ',
      keywordKey: 'deep work',
      teaser: form.teaser,
      body: form.body,
      minRank: 2,
      state: 'draft',
      publishedAt: null,
      audioId: null,
      authorId: editor.id,
    })
    expect(daily.publishAt).toEqual(localDateTime(form.date!, '07:15', SITE_TIMEZONE))
  })

  it('keeps the transcript, and the voice public unless the box is unchecked', async () => {
    const form = editorForm({ transcript: `早上好。${'字'.repeat(4980)}` })
    expect(await savedDaily(await saveNew(form))).toMatchObject({ transcript: form.transcript, voicePublic: true })
    const { voicePublic: _checked, ...unchecked } = editorForm()
    const gated = await savedDaily(await saveNew(unchecked))
    expect(gated.voicePublic).toBe(false)
    const reopened = await savedDaily(await saveEdit(gated.id, { ...editorForm({ date: gated.date }), voicePublic: 'on' }))
    expect(reopened.voicePublic).toBe(true)
  })

  it('a new daily is proposed for the first free morning, with the coming four weeks shown (issue 18: it proposed a taken date)', async () => {
    const taken = await Promise.all([1, 2, 4].map((days) => insertDaily({ date: dateFromToday(days), title: `已写好的第 ${days} 天`, state: 'scheduled' })))
    // Other tests write tomorrow's daily: give the dates back afterwards.
    onTestFinished(() => db.delete(dailies).where(inArray(dailies.id, taken.map((daily) => daily.id))).then(() => undefined))
    const { date, calendar, proposed } = await newLoader(routeArgs(requestFor('/admin/posts/new', { cookie: editorCookie })))
    expect(calendar).toHaveLength(28)
    expect(calendar[0]!.date).toBe(dateFromToday(1))
    for (const daily of taken) {
      expect(calendar.find((day) => day.date === daily.date)?.daily).toMatchObject({ id: daily.id, title: daily.title, state: 'scheduled' })
    }
    // Other tests of this file write dailies too: the proposal is the first date nobody took.
    const firstGap = calendar.find((day) => day.daily === null)!
    expect(firstGap.date >= dateFromToday(3)).toBe(true)
    expect(date).toBe(firstGap.date)
    expect(proposed).toBe(firstGap.date)
    expect((await db.select().from(dailies).where(eq(dailies.date, date))).length).toBe(0)
  })

  it('/admin/posts marks a daily with a voice and no transcript 「缺文字稿」', async () => {
    const audio = await uploadDemoAudio(editor.id)
    const without = await insertDaily({ date: '2099-01-01', audioId: audio.id, transcript: '' })
    const withIt = await insertDaily({ date: '2099-01-02', audioId: (await uploadDemoAudio(editor.id)).id, transcript: '早上好。' })
    const { dailies: listed } = await postsLoader(routeArgs(requestFor('/admin/posts', { cookie: editorCookie })))
    expect(listed.find((d) => d.id === without.id)).toMatchObject({ hasAudio: true, hasTranscript: false })
    expect(listed.find((d) => d.id === withIt.id)).toMatchObject({ hasTranscript: true })
    expect(t.daily.editor.transcriptMissing).toBe('缺文字稿')
  })

  it('accepts a title of exactly 80 characters', async () => {
    const daily = await savedDaily(await saveNew(editorForm({ title: '标'.repeat(80) })))
    expect(daily.title).toBe('标'.repeat(80))
  })

  describe('refuses bad input with a message next to the field, and stores nothing', () => {
    it.each([
      ['an empty title', { title: '   ' }, 'title', t.daily.errors.titleRequired],
      ['an 81-character title', { title: '标'.repeat(81) }, 'title', t.daily.errors.titleTooLong],
      ['an impossible date', { date: '2031-02-30' }, 'date', t.daily.errors.dateInvalid],
      ['a date that is not YYYY-MM-DD', { date: '30/01/2031' }, 'date', t.daily.errors.dateInvalid],
      ['a time of 24:00', { time: '24:00' }, 'time', t.daily.errors.timeInvalid],
      ['a time without minutes', { time: '7' }, 'time', t.daily.errors.timeInvalid],
      ['an unknown tier rank 7', { minRank: '7' }, 'minRank', t.daily.errors.tierInvalid],
      ['a negative tier rank', { minRank: '-1' }, 'minRank', t.daily.errors.tierInvalid],
      ['an empty keyword', { keyword: ' ' }, 'keyword', t.daily.errors.keywordRequired],
      ['a keyword of punctuation only', { keyword: '「！」' }, 'keyword', t.daily.errors.keywordBlank],
      ['a transcript of 5,001 characters', { transcript: '字'.repeat(5001) }, 'transcript', t.daily.errors.transcriptTooLong],
      ['an empty body', { body: '' }, 'body', t.daily.errors.bodyRequired],
      ['scheduling without audio', { intent: 'schedule' }, 'audioId', t.daily.errors.audioRequired],
      ['publishing without audio', { intent: 'publish' }, 'audioId', t.daily.errors.audioRequired],
      ['an audio id that was never uploaded', { audioId: 'AAAAAAAAAAAAAAAA' }, 'audioId', t.daily.errors.mediaUnknown],
    ])('%s → 400', async (_name, overrides, field, message) => {
      const before = await countRows(dailies)
      const { status, data } = readData(await saveNew(editorForm(overrides)))
      expect(status).toBe(400)
      expect(data.errors[field]).toBe(message)
      expect(await countRows(dailies)).toBe(before)
    })

    it('an image in place of the audio → 400', async () => {
      const image = await ingestPng()
      const before = await countRows(dailies)
      const { status, data } = readData(await saveNew(editorForm({ intent: 'publish', audioId: image.id })))
      expect(status).toBe(400)
      expect(data.errors.audioId).toBe(t.daily.errors.mediaUnknown)
      expect(await countRows(dailies)).toBe(before)
    })

    it('a date that already has a daily → 409', async () => {
      const existing = await insertDaily({ state: 'draft' })
      const before = await countRows(dailies)
      const { status, data } = readData(await saveNew(editorForm({ date: existing.date })))
      expect(status).toBe(409)
      expect(data.errors.date).toBe(t.daily.errors.dateTaken)
      expect(await countRows(dailies)).toBe(before)
    })

    it('a keyword a published daily already uses, written differently → 409', async () => {
      await insertDaily({ keyword: 'Feiman', state: 'published' })
      const before = await countRows(dailies)
      for (const keyword of ['feiman', 'ＦＥＩＭＡＮ', ' FeiMan ']) {
        const { status, data } = readData(await saveNew(editorForm({ keyword })))
        expect(status, keyword).toBe(409)
        expect(data.errors.keyword).toBe(t.daily.errors.keywordTaken)
      }
      expect(await countRows(dailies)).toBe(before)
    })

    it('a keyword a scheduled daily already uses → 409, also when editing another daily', async () => {
      await insertDaily({ keyword: '排期词', state: 'scheduled' })
      const other = await savedDaily(await saveNew(editorForm()))
      const { status, data } = readData(await saveEdit(other.id, editorForm({ date: other.date, keyword: '排期词' })))
      expect(status).toBe(409)
      expect(data.errors.keyword).toBe(t.daily.errors.keywordTaken)
      expect((await db.query.dailies.findFirst({ where: eq(dailies.id, other.id) }))!.keyword).toBe(other.keyword)
    })
  })

  it('a draft may reuse a keyword of another draft, but only one of them can be published', async () => {
    const audio = await uploadDemoAudio(editor.id)
    const first = await savedDaily(await saveNew(editorForm({ keyword: '草稿同词', audioId: audio.id })))
    const second = await savedDaily(await saveNew(editorForm({ keyword: '草稿同词' })))
    expect(second.keywordKey).toBe(first.keywordKey)

    await savedDaily(await saveEdit(first.id, editorForm({ date: first.date, keyword: '草稿同词', audioId: audio.id, intent: 'publish' })))
    const secondAudio = await uploadDemoAudio(editor.id)
    const { status, data } = readData(
      await saveEdit(second.id, editorForm({ date: second.date, keyword: '草稿同词', audioId: secondAudio.id, intent: 'publish' })),
    )
    expect(status).toBe(409)
    expect(data.errors.keyword).toBe(t.daily.errors.keywordTaken)
    expect((await db.query.dailies.findFirst({ where: eq(dailies.id, second.id) }))!.state).toBe('draft')
  })

  it('schedule and publish move the daily on and leave an audit entry', async () => {
    const audio = await uploadDemoAudio(editor.id)
    const scheduled = await savedDaily(await saveNew(editorForm({ intent: 'schedule', audioId: audio.id })))
    expect(scheduled.state).toBe('scheduled')
    expect(scheduled.audioId).toBe(audio.id)

    const published = await savedDaily(await saveEdit(scheduled.id, editorForm({ date: scheduled.date, intent: 'publish', audioId: audio.id })))
    expect(published).toMatchObject({ state: 'published', publishedAt: expect.any(Date) })
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, 'daily'), eq(auditLog.targetId, String(scheduled.id))))
    expect(audits.map((a) => a.action).sort()).toEqual(['daily.publish', 'daily.schedule'])
    expect(audits.every((a) => a.actorId === editor.id)).toBe(true)
  })

  it('a body with <script>, javascript: links and onerror is stored as written but reaches readers harmless', async () => {
    const audio = await uploadDemoAudio(editor.id)
    const body = [
      '正常的一段话。',
      '<script>alert("偷 cookie")</script>',
      '[点我](javascript:alert(1))',
      '<img src="https://example.com/x.png" onerror="alert(2)">',
      '<a href="javascript:alert(3)" onclick="alert(4)">再点</a>',
    ].join('\n\n')
    const daily = await savedDaily(await saveNew(editorForm({ body, intent: 'publish', audioId: audio.id, date: '2019-06-01' })))
    expect(daily.body).toBe(body)

    // A visitor who gave the keyword reads it.
    const reply = readRedirect(await dailyAction(routeArgs(requestFor(`/daily/${daily.date}`, { form: { q: daily.keyword } }), { date: daily.date })))
    const cookie = cookiePairOf(reply.cookies, 'zhiyin_keys')
    const page = await dailyLoader(routeArgs(requestFor(`/daily/${daily.date}`, { cookie }), { date: daily.date }))
    const html = page.daily.bodyHtml!
    expect(html).toContain('正常的一段话。')
    expect(html).not.toMatch(/<script|javascript:|onerror|onclick|alert/i)
  })

  it('replacing the audio deletes the old media row and its file', async () => {
    const oldAudio = await uploadDemoAudio(editor.id)
    const newAudio = await uploadDemoAudio(editor.id)
    const daily = await savedDaily(await saveNew(editorForm({ audioId: oldAudio.id })))
    expect(existsSync(uploadPath(oldAudio))).toBe(true)

    const updated = await savedDaily(await saveEdit(daily.id, editorForm({ date: daily.date, audioId: newAudio.id })))
    expect(updated.audioId).toBe(newAudio.id)
    expect(await mediaRow(oldAudio.id)).toBeUndefined()
    expect(existsSync(uploadPath(oldAudio))).toBe(false)
    expect(await mediaRow(newAudio.id)).toBeDefined()
    expect(existsSync(uploadPath(newAudio))).toBe(true)
  })

  it('saving the same audio again keeps it', async () => {
    const audio = await uploadDemoAudio(editor.id)
    const daily = await savedDaily(await saveNew(editorForm({ audioId: audio.id })))
    await savedDaily(await saveEdit(daily.id, editorForm({ date: daily.date, audioId: audio.id, title: '改个标题' })))
    expect(await mediaRow(audio.id)).toBeDefined()
    expect(existsSync(uploadPath(audio))).toBe(true)
  })

  it('fixing a typo in a daily published ahead of its date keeps it live for readers', async () => {
    // New dailies default to tomorrow; "publish now" puts one out at once.
    const audio = await uploadDemoAudio(editor.id)
    const tomorrow = dateFromToday(1)
    const form = editorForm({ date: tomorrow, intent: 'publish', audioId: audio.id })
    const published = await savedDaily(await saveNew(form))
    expect(published.state).toBe('published')
    /** What a visitor gets at /daily/<tomorrow>: the page's title, or the error status. */
    const visitorSees = async () => {
      try {
        return (await dailyLoader(routeArgs(requestFor(`/daily/${tomorrow}`), { date: tomorrow }))).daily.title
      } catch (error) {
        if (error instanceof Response) return error.status
        throw error
      }
    }
    expect(await visitorSees()).toBe(form.title)

    // The editor opens the daily and saves it again with a corrected title, as the page posts it.
    const page = await editLoader(routeArgs(requestFor(`/admin/posts/${published.id}`, { cookie: editorCookie }), { id: String(published.id) }))
    const { daily } = page
    await savedDaily(
      await saveEdit(
        published.id,
        editorForm({
          intent: 'save',
          date: daily.date,
          time: daily.time,
          title: '改正了错字的标题',
          keyword: daily.keyword,
          teaser: daily.teaser,
          body: daily.body,
          minRank: String(daily.minRank),
          audioId: daily.audio!.id,
        }),
      ),
    )

    expect(await visitorSees()).toBe('改正了错字的标题')
  })

  it('editing a daily that does not exist is a 404', async () => {
    expect((await thrownResponse(saveEdit(999_999, editorForm()))).status).toBe(404)
    expect((await thrownResponse(saveEdit('abc', editorForm()))).status).toBe(404)
  })

  describe('only staff may save', () => {
    it('a member gets 403 and nothing is stored', async () => {
      const before = await countRows(dailies)
      expect((await thrownResponse(saveNew(editorForm(), memberCookie))).status).toBe(403)
      const existing = await insertDaily({ state: 'draft' })
      expect((await thrownResponse(saveEdit(existing.id, editorForm({ date: existing.date, title: '被改了' }), memberCookie))).status).toBe(403)
      expect(await countRows(dailies)).toBe(before + 1)
      expect((await db.query.dailies.findFirst({ where: eq(dailies.id, existing.id) }))!.title).toBe(existing.title)
    })

    it('a visitor is sent to sign in', async () => {
      const response = await thrownResponse(saveNew(editorForm(), ''))
      expect(response.status).toBe(302)
      expect(response.headers.get('Location')).toBe('/login?redirectTo=%2Fadmin%2Fposts%2Fnew')
    })
  })
})

describe('the editor’s live preview', () => {
  function preview(body: string, cookie: string | undefined = editorCookie) {
    return previewAction(routeArgs(requestFor('/admin/posts/preview', { form: { body }, cookie })))
  }

  it('renders what readers will get, with script removed', async () => {
    const response = await preview(
      '## 预览\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(2))\n\n<img src="https://example.com/a.png" onerror="alert(3)">',
    )
    const { html } = (await response.json()) as { html: string }
    expect(html).toContain('<h2>预览</h2>')
    expect(html).toContain('点我')
    expect(html).not.toMatch(/<script|javascript:|onerror|alert/)
  })

  it('is for staff only', async () => {
    expect((await thrownResponse(preview('x', memberCookie))).status).toBe(403)
    expect((await thrownResponse(preview('x', ''))).status).toBe(302)
  })
})

// ---- the upload endpoint ----------------------------------------------------------------------

function uploadRequest(
  kind: 'audio' | 'image',
  body: BodyInit,
  { cookie = editorCookie, headers = {} }: { cookie?: string; headers?: Record<string, string> } = {},
) {
  const init: RequestInit & { duplex?: 'half' } = {
    method: 'POST',
    body,
    headers: { Origin: SITE_ORIGIN, ...(cookie ? { Cookie: cookie } : {}), ...headers },
  }
  if (body instanceof ReadableStream) init.duplex = 'half'
  return new Request(`${SITE_ORIGIN}/admin/media?kind=${kind}`, init)
}

function fileForm(bytes: Uint8Array, name: string, type: string) {
  const form = new FormData()
  // A copy on a plain ArrayBuffer: Blob does not take views of shared memory (Buffer's type allows it).
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name)
  return form
}

async function upload(kind: 'audio' | 'image', bytes: Uint8Array, name: string, type = 'application/octet-stream', cookie?: string) {
  const response = await mediaAction(routeArgs(uploadRequest(kind, fileForm(bytes, name, type), { cookie })))
  return { status: response.status, body: (await response.json()) as { id?: string; durationMs?: number | null; url?: string; error?: string } }
}

async function ingestPng() {
  const { status, body } = await upload('image', PNG_1X1, 'cover.png', 'image/png')
  expect(status).toBe(201)
  return (await mediaRow(body.id!))!
}

const uploadDir = () => getEnv().UPLOAD_DIR
const leftoverParts = () => (existsSync(join(uploadDir(), 'tmp')) ? readdirSync(join(uploadDir(), 'tmp')).filter((f) => f.endsWith('.part')) : [])

describe('uploading to /admin/media', () => {
  it('a demo MP3 is stored: 201 with its id and duration, the file in place and no temporary file left', async () => {
    const bytes = readFileSync(DEMO_MP3)
    const before = await countRows(media)
    const { status, body } = await upload('audio', bytes, '01-first-principles.mp3', 'audio/mpeg')
    expect(status).toBe(201)
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect(body.url).toBe(`/media/${body.id}`)
    expect(body.durationMs).toBeGreaterThan(1000)
    expect(body.durationMs).toBeLessThanOrEqual(60_000)

    const row = (await mediaRow(body.id!))!
    expect(row).toMatchObject({ kind: 'audio', mimeType: 'audio/mpeg', bytes: bytes.length, durationMs: body.durationMs, uploadedBy: editor.id })
    expect(row.path).toBe(`${body.id}.mp3`)
    expect(readFileSync(join(uploadDir(), row.path)).equals(bytes)).toBe(true)
    expect(leftoverParts()).toEqual([])
    expect(await countRows(media)).toBe(before + 1)
  })

  it('a text file named x.mp3 is refused as 415, and nothing is kept', async () => {
    const before = await countRows(media)
    const { status, body } = await upload('audio', new TextEncoder().encode('这不是音频，只是改了名字的文本。\n'.repeat(50)), 'x.mp3', 'audio/mpeg')
    expect(status).toBe(415)
    expect(body.error).toBe(t.media.audioType)
    expect(await countRows(media)).toBe(before)
    expect(leftoverParts()).toEqual([])
  })

  it('a 61-second WAV is refused as 400 with the 60-second message, and nothing is kept', async () => {
    const before = await countRows(media)
    const files = readdirSync(uploadDir()).length
    const { status, body } = await upload('audio', silentWav(61), 'long.wav', 'audio/wav')
    expect(status).toBe(400)
    expect(body.error).toBe(t.media.audioTooLong(61_000))
    expect(body.error).toContain('超过 60 秒上限')
    expect(await countRows(media)).toBe(before)
    expect(readdirSync(uploadDir()).length).toBe(files)
    expect(leftoverParts()).toEqual([])
  })

  it('a 59-second WAV is accepted with its measured duration', async () => {
    const { status, body } = await upload('audio', silentWav(59), 'short.wav', 'audio/wav')
    expect(status).toBe(201)
    expect(body.durationMs).toBe(59_000)
  })

  it('a request declaring 50 MB is refused as 413 before any of its body is read', async () => {
    let pulls = 0
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++
          controller.enqueue(new Uint8Array(64 * 1024))
        },
      },
      { highWaterMark: 0 },
    )
    const request = uploadRequest('audio', endless, {
      headers: { 'Content-Type': 'multipart/form-data; boundary=----zhiyin', 'Content-Length': String(50 * 1024 * 1024) },
    })
    expect(request.headers.get('Content-Length')).toBe('52428800')
    const before = await countRows(media)
    const response = await mediaAction(routeArgs(request))
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: t.media.audioTooLarge })
    expect(pulls).toBe(0)
    expect(await countRows(media)).toBe(before)
  })

  it('a 6 MB image is refused as 413 while it streams in, and nothing is kept', async () => {
    const big = new Uint8Array(6 * 1024 * 1024)
    big.set(PNG_1X1)
    const before = await countRows(media)
    const { status, body } = await upload('image', big, 'big.png', 'image/png')
    expect(status).toBe(413)
    expect(body.error).toBe(t.media.imageTooLarge)
    expect(await countRows(media)).toBe(before)
    expect(leftoverParts()).toEqual([])
  })

  it('a 1x1 PNG cover is stored as an image', async () => {
    const row = await ingestPng()
    expect(row).toMatchObject({ kind: 'image', mimeType: 'image/png', durationMs: null })
    const stored = readFileSync(join(uploadDir(), row.path))
    expect(row.bytes).toBe(stored.length)
    expect(await sharp(stored).metadata()).toMatchObject({ format: 'png', width: 1, height: 1 })
  })

  it('a PNG declaring 30000×30000 pixels is refused with 400 before it is decoded, and nothing is kept (fails without the fix)', async () => {
    const bomb = pngDeclaring(30_000, 30_000)
    expect(bomb.length).toBeLessThan(MAX_IMAGE_BYTES)
    const before = await countRows(media)
    const files = readdirSync(uploadDir()).length
    const { status, body } = await upload('image', bomb, 'bomb.png', 'image/png')
    expect(status).toBe(400)
    expect(body.error).toBe(t.media.imageTooManyPixels)
    expect(await countRows(media)).toBe(before)
    expect(readdirSync(uploadDir()).length).toBe(files)
    expect(leftoverParts()).toEqual([])
  })

  it('a PNG with an HTML page appended is stored as a fresh encode: the page is gone (fails without the fix)', async () => {
    const polyglot = await pngHtmlPolyglot()
    const { status, body } = await upload('image', polyglot, 'cover.png', 'image/png')
    expect(status).toBe(201)
    const row = (await mediaRow(body.id!))!
    const stored = readFileSync(join(uploadDir(), row.path))
    expect(stored.equals(polyglot)).toBe(false)
    expect(stored.toString('latin1')).not.toContain('<script')
    expect(stored.toString('latin1')).not.toContain('<html')
    expect(row).toMatchObject({ mimeType: 'image/png', bytes: stored.length })
    expect(await sharp(stored).metadata()).toMatchObject({ format: 'png', width: 16, height: 16 })
  })

  it('a JPEG whose EXIF holds a GPS position is stored without any of its metadata (fails without the fix)', async () => {
    const photo = await jpegWithGps()
    const sent = await sharp(photo).metadata()
    expect(sent.exif?.length).toBeGreaterThan(0)
    expect(photo.toString('latin1')).toContain(EXIF_MAKER)

    const { status, body } = await upload('image', photo, 'cover.jpg', 'image/jpeg')
    expect(status).toBe(201)
    const row = (await mediaRow(body.id!))!
    const stored = readFileSync(join(uploadDir(), row.path))
    const kept = await sharp(stored).metadata()
    expect(kept).toMatchObject({ format: 'jpeg', width: 32, height: 24 })
    expect(kept.exif).toBeUndefined()
    expect(stored.toString('latin1')).not.toContain(EXIF_MAKER)
    expect(row).toMatchObject({ mimeType: 'image/jpeg', bytes: stored.length })
  })

  it('a file that only starts like a PNG is refused as unreadable (400), and nothing is kept', async () => {
    const before = await countRows(media)
    const { status, body } = await upload('image', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]), 'broken.png', 'image/png')
    expect(status).toBe(400)
    expect(body.error).toBe(t.media.imageUnreadable)
    expect(await countRows(media)).toBe(before)
    expect(leftoverParts()).toEqual([])
  })

  it('only the first file of a request is stored', async () => {
    const before = await countRows(media)
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(readFileSync(DEMO_MP3))], { type: 'audio/mpeg' }), 'first.mp3')
    form.append('file', new Blob([new Uint8Array(silentWav(2))], { type: 'audio/wav' }), 'second.wav')
    const response = await mediaAction(routeArgs(uploadRequest('audio', form)))
    expect(response.status).toBe(201)
    const { id } = (await response.json()) as { id: string }
    expect((await mediaRow(id))!.originalName).toBe('first.mp3')
    expect(await countRows(media)).toBe(before + 1)
    expect(leftoverParts()).toEqual([])
  })

  it('a request without a file part is a 400', async () => {
    const form = new FormData()
    form.append('other', 'x')
    const response = await mediaAction(routeArgs(uploadRequest('audio', form)))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: t.media.noFile })
  })

  it('a visitor is sent to sign in and a member gets 403; nothing is stored', async () => {
    const before = await countRows(media)
    const bytes = readFileSync(DEMO_MP3)
    const visitor = await thrownResponse(mediaAction(routeArgs(uploadRequest('audio', fileForm(bytes, 'a.mp3', 'audio/mpeg'), { cookie: '' }))))
    expect(visitor.status).toBe(302)
    expect(visitor.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
    const member = await thrownResponse(mediaAction(routeArgs(uploadRequest('audio', fileForm(bytes, 'a.mp3', 'audio/mpeg'), { cookie: memberCookie }))))
    expect(member.status).toBe(403)
    expect(await countRows(media)).toBe(before)
  })
})
