import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { and, asc, eq, notInArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../db/client'
import { courseLessons, dailies, emailOutbox, media, users, type Daily, type Media } from '../../db/schema'
import { DEMO_DAILIES_DIR, DemoContentError, importDemoDailies, parseDemoDaily, readDemoDailies } from '../../db/seed-content'
import { setupDatabase } from '../../db/setup'
import { normalizeKeyword } from '~/domain/keyword'
import { publishDueDailies } from '~/models/daily.server'
import { databaseHandle, db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { countRows } from '../factories/db'

const TIME_ZONE = 'Asia/Shanghai'
// 05:00 in Shanghai: before the usual 06:30, when today's daily would not be out yet.
const NOW = new Date('2026-03-10T05:00:00+08:00')
const shanghai = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`)

describe('the demo dailies in content/dailies', () => {
  it('are eight, one a day from six days ago to tomorrow, with unique keywords and a clip each', async () => {
    const entries = await readDemoDailies()
    expect(entries.map((e) => e.day).sort((a, b) => a - b)).toEqual([-6, -5, -4, -3, -2, -1, 0, 1])
    expect(new Set(entries.map((e) => normalizeKeyword(e.keyword))).size).toBe(8)
    for (const entry of entries) {
      expect(entry.file).toMatch(/^\d\d-[a-z-]+\.md$/)
      expect(entry.audio).toBe(entry.file.replace(/\.md$/, '.mp3'))
      expect(statSync(join(DEMO_DAILIES_DIR, 'audio', entry.audio)).size).toBeLessThan(300 * 1024)
    }
  })

  it('are short articles, each with a heading, a list, a quote and one link', async () => {
    for (const { file, body, teaser } of await readDemoDailies()) {
      expect([...body].length, file).toBeGreaterThanOrEqual(400)
      expect([...body].length, file).toBeLessThanOrEqual(800)
      expect(body, file).toMatch(/^## \S/m)
      expect(body, file).toMatch(/^(- |\d+\. )\S/m)
      expect(body, file).toMatch(/^> \S/m)
      expect(body.match(/\]\(https:\/\/[^)\s]+\)/g), file).toHaveLength(1)
      expect(teaser.length, file).toBeLessThanOrEqual(80)
    }
  })
})

describe('the front matter', () => {
  const daily = (frontMatter: string, body = '正文。') => `---\n${frontMatter}\n---\n\n${body}\n`
  const complete = 'day: -1\ntitle: 标题\nkeyword: 关键词\ntier: public\nteaser: 一句话。\naudio: 01-a.mp3'

  it('is key: value lines; a value may hold colons and quotes around it are dropped', () => {
    const parsed = parseDemoDaily(daily(`${complete}\ntime: 07:15`.replace('标题', '"标题：副题"')), '01-a.md')
    expect(parsed).toMatchObject({ day: -1, time: '07:15', title: '标题：副题', keyword: '关键词', tier: 'public', body: '正文。' })
  })

  it('publishes at 06:30 local time unless a time is given', () => {
    expect(parseDemoDaily(daily(complete), '01-a.md').time).toBe('06:30')
  })

  it.each([
    ['a missing keyword', complete.replace('keyword: 关键词\n', ''), /"keyword" is missing/],
    ['an unknown key', `${complete}\nminrank: 2`, /unknown front matter key "minrank"/],
    ['a day that is not a number', complete.replace('day: -1', 'day: yesterday'), /day must be a whole number/],
    ['a time that is not HH:MM', `${complete}\ntime: 6:30`, /time must be HH:MM/],
    ['an audio path outside audio/', complete.replace('01-a.mp3', '../secret.mp3'), /audio must be a file name/],
  ])('refuses %s, naming the file', (_case, frontMatter, message) => {
    expect(() => parseDemoDaily(daily(frontMatter), '01-a.md')).toThrow(DemoContentError)
    expect(() => parseDemoDaily(daily(frontMatter), '01-a.md')).toThrow(message)
  })

  it('refuses a file without front matter or without a body', () => {
    expect(() => parseDemoDaily('# 只有正文\n', '01-a.md')).toThrow(/01-a\.md: the front matter/)
    expect(() => parseDemoDaily(daily(complete, ''), '01-a.md')).toThrow(/the body is empty/)
  })

  it('refuses two files for the same day or with the same keyword', async () => {
    const dir = mkdtempSync(join(getEnv().DATA_DIR, 'content-'))
    await mkdir(join(dir, 'audio'))
    writeFileSync(join(dir, 'audio', '01-a.mp3'), '')
    writeFileSync(join(dir, '01-a.md'), daily(complete.replace('关键词', 'Deep Work')))
    writeFileSync(join(dir, '02-b.md'), daily(complete.replace('day: -1', 'day: -2').replace('关键词', 'ＤＥＥＰ  work')))
    await expect(readDemoDailies(dir)).rejects.toThrow(/02-b\.md: keyword "ＤＥＥＰ {2}work" is taken by 01-a\.md/)
    writeFileSync(join(dir, '02-b.md'), daily(complete.replace('关键词', '另一个')))
    await expect(readDemoDailies(dir)).rejects.toThrow(/02-b\.md: day -1 is taken by 01-a\.md/)
    rmSync(dir, { recursive: true })
  })

  it('refuses a clip without its transcript (audio/<name>.txt), and reads one that is there', async () => {
    const dir = mkdtempSync(join(getEnv().DATA_DIR, 'content-'))
    await mkdir(join(dir, 'audio'))
    writeFileSync(join(dir, 'audio', '01-a.mp3'), '')
    writeFileSync(join(dir, '01-a.md'), daily(complete))
    await expect(readDemoDailies(dir)).rejects.toThrow('01-a.md: the transcript audio/01-a.txt is missing')
    writeFileSync(join(dir, 'audio', '01-a.txt'), '早上好。今天的关键词是：关键词。\n')
    expect((await readDemoDailies(dir))[0]!.transcript).toBe('早上好。今天的关键词是：关键词。')
    rmSync(dir, { recursive: true })
  })
})

describe('seeding an empty database outside production', () => {
  const log: string[] = []
  let rows: Daily[]
  let clips: Map<string, Media>
  let editorId: number

  beforeAll(async () => {
    await setupDatabase(databaseHandle, { nodeEnv: 'test', now: NOW, log: (line) => log.push(line) })
    rows = await db.select().from(dailies).orderBy(asc(dailies.date))
    clips = new Map((await db.select().from(media)).map((m) => [m.id, m]))
    editorId = (await db.query.users.findFirst({ where: eq(users.email, 'editor@zhiyin.local') }))!.id
  })

  it('imports eight dailies after the demo accounts and says so', () => {
    expect(rows).toHaveLength(8)
    expect(log).toContain('seed: demo accounts created (see README.md)')
    expect(log).toContain('seed: 8 demo dailies imported from content/dailies (1 scheduled)')
  })

  it('publishes today and the six days before in the site time zone, and schedules tomorrow', () => {
    expect(rows.map((d) => [d.date, d.state])).toEqual([
      ['2026-03-04', 'published'],
      ['2026-03-05', 'published'],
      ['2026-03-06', 'published'],
      ['2026-03-07', 'published'],
      ['2026-03-08', 'published'],
      ['2026-03-09', 'published'],
      ['2026-03-10', 'published'],
      ['2026-03-11', 'scheduled'],
    ])
  })

  it('makes today’s daily live at once, even before its 06:30', () => {
    const today = rows.find((d) => d.date === '2026-03-10')!
    expect(today.publishAt).toEqual(NOW)
    expect(today.publishedAt).toEqual(NOW)
  })

  it('dates the back catalogue at 06:30 local time and tomorrow’s at the time its file gives', () => {
    const backCatalogue = rows.filter((d) => d.date < '2026-03-10')
    expect(backCatalogue).toHaveLength(6)
    for (const daily of backCatalogue) {
      expect(daily.publishAt).toEqual(shanghai(daily.date, '06:30'))
      expect(daily.publishedAt).toEqual(daily.publishAt)
    }
    const tomorrow = rows.find((d) => d.date === '2026-03-11')!
    expect(tomorrow.publishAt).toEqual(shanghai('2026-03-11', '07:00'))
    expect(tomorrow.publishedAt).toBeNull()
  })

  it('marks the published dailies as mailed and sends no email', async () => {
    for (const daily of rows) expect(daily.emailedAt).toEqual(daily.state === 'published' ? daily.publishAt : null)
    expect(await countRows(emailOutbox)).toBe(0)
  })

  it('gives every daily its own audio clip, stored in UPLOAD_DIR, under a minute long', () => {
    expect(new Set(rows.map((d) => d.audioId)).size).toBe(8)
    for (const daily of rows) {
      const clip = clips.get(daily.audioId!)!
      expect(clip, daily.date).toMatchObject({ kind: 'audio', mimeType: 'audio/mpeg', uploadedBy: editorId })
      expect(clip.durationMs).toBeGreaterThanOrEqual(1)
      expect(clip.durationMs).toBeLessThanOrEqual(60_000)
      const stored = join(getEnv().UPLOAD_DIR, clip.path)
      expect(existsSync(stored), stored).toBe(true)
      const committed = readFileSync(join(DEMO_DAILIES_DIR, 'audio', clip.originalName))
      expect(readFileSync(stored).equals(committed), `${stored} holds ${clip.originalName}`).toBe(true)
      expect(clip.bytes).toBe(committed.length)
    }
  })

  it('gives every demo daily its transcript, which names the keyword as the voice does', () => {
    for (const row of rows) {
      expect(row.transcript.length, row.date).toBeGreaterThan(40)
      expect(row.transcript, row.date).toContain(`关键词是：${row.keyword}`)
      expect(row.voicePublic, row.date).toBe(true)
    }
  })

  it('uses keywords that stay unique after normalisation', () => {
    expect(rows.every((d) => d.keywordKey === normalizeKeyword(d.keyword))).toBe(true)
    expect(new Set(rows.map((d) => d.keywordKey)).size).toBe(8)
  })

  it('mixes public dailies with two for 亲情会员 and two for 铁杆会员', () => {
    expect(rows.map((d) => d.minRank).sort()).toEqual([0, 0, 0, 0, 1, 1, 2, 2])
  })

  it('credits the demo editor as the author', () => {
    expect(rows.every((d) => d.authorId === editorId)).toBe(true)
  })

  it('adds nothing when the content is imported again', async () => {
    expect(await importDemoDailies(databaseHandle, { now: NOW, timeZone: TIME_ZONE })).toEqual([])
    expect(await countRows(dailies)).toBe(8)
    // The dailies' audio only: the demo shop adds product photos, the demo courses their lessons.
    expect(await db.$count(media, and(eq(media.kind, 'audio'), notInArray(media.id, db.select({ id: courseLessons.mediaId }).from(courseLessons))))).toBe(8)
  })

  it('imports nothing when the server starts again on the seeded database', async () => {
    const again: string[] = []
    await setupDatabase(databaseHandle, { nodeEnv: 'test', log: (line) => again.push(line) })
    expect(again).toEqual([])
    expect(await countRows(dailies)).toBe(8)
  })

  it('leaves tomorrow’s daily to the scheduler, which publishes it at 07:00 and nothing else', async () => {
    expect(await publishDueDailies(shanghai('2026-03-11', '06:59'))).toEqual([])
    const published = await publishDueDailies(shanghai('2026-03-11', '07:00'))
    expect(published.map((d) => d.date)).toEqual(['2026-03-11'])
  })
})

describe('seeding in production', () => {
  const dir = mkdtempSync(join(getEnv().DATA_DIR, 'production-'))
  const handle = createDatabase(`file:${join(dir, 'zhiyin.db')}`)
  afterAll(() => {
    handle.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('imports no demo dailies, as it seeds no demo accounts', async () => {
    await setupDatabase(handle, { nodeEnv: 'production', log: () => {} })
    expect(await handle.db.$count(users)).toBe(0)
    expect(await handle.db.$count(dailies)).toBe(0)
  })
})
