// Dailies, their audio and upload fixtures, written straight to the test database and the
// upload directory (or built in memory) so that each test states only what it is about.
import { createReadStream } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { dailies, type Daily, type Media, type StaffRole } from '../../db/schema'
import { localDateTime, todayIn } from '~/domain/daily'
import { normalizeKeyword } from '~/domain/keyword'
import { ingestAudio } from '~/models/media.server'
import { db } from '~/utils/db.server'
import { createTestUser, DAY_MS, signedInCookie, type TestMembership, type TierSlug } from './users'

export const SITE_TIMEZONE = 'Asia/Shanghai'

/** The committed demo clips: real MP3s of at most 60 s. */
export const DEMO_AUDIO_DIR = fileURLToPath(new URL('../../content/dailies/audio', import.meta.url))
export const DEMO_MP3 = join(DEMO_AUDIO_DIR, '01-first-principles.mp3')

/** YYYY-MM-DD `days` after today in the site time zone (negative goes back). */
export function dateFromToday(days: number, now = new Date()) {
  const today = todayIn(SITE_TIMEZONE, now)
  const d = new Date(`${today}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

let sequence = 0

/** A number no other daily of this test file uses: for dates, keywords and unique sentences. */
export function nextSequence() {
  return ++sequence
}

/**
 * A daily row, published at 06:30 local on its date unless told otherwise. Dates default to
 * distinct days long ago, so dailies of one file never collide and are always live.
 */
export async function insertDaily(values: Partial<typeof dailies.$inferInsert> = {}): Promise<Daily> {
  const n = nextSequence()
  const date = values.date ?? new Date(Date.UTC(2020, 0, 1) + n * DAY_MS).toISOString().slice(0, 10)
  const keyword = values.keyword ?? `关键词${n}号`
  const publishAt = values.publishAt ?? localDateTime(date, '06:30', SITE_TIMEZONE)!
  const [row] = await db
    .insert(dailies)
    .values({
      date,
      title: `第 ${n} 期`,
      teaser: `第 ${n} 期的导语`,
      body: `第 ${n} 期的正文`,
      state: 'published',
      updatedAt: publishAt,
      ...values,
      keyword,
      keywordKey: values.keywordKey ?? normalizeKeyword(keyword),
      publishAt,
    })
    .returning()
  return row!
}

/** A demo MP3 stored through the editor's own upload path (ingestAudio): a real media row and file. */
export async function uploadDemoAudio(uploadedBy: number | null = null, path = DEMO_MP3): Promise<Media> {
  const result = await ingestAudio({ data: createReadStream(path), originalName: 'demo.mp3', uploadedBy })
  if (!result.ok) throw new Error(`demo audio refused: ${result.error}`)
  return result.media
}

/** A signed-in user (optionally staff or a member) and the Cookie header value of their session. */
export async function signedIn({ role = 'user', tier }: { role?: StaffRole; tier?: TierSlug | TestMembership } = {}) {
  const { user } = await createTestUser({ role, tier })
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

/** A 亲情会员 membership that ended 35 days ago. */
export function expiredMembership(now = Date.now()): TestMembership {
  return { tier: 'qinqing', validFrom: new Date(now - 400 * DAY_MS), validUntil: new Date(now - 35 * DAY_MS) }
}

// ---- upload fixtures built in memory ----------------------------------------------------------

/** A playable WAV of silence: 8 kHz mono 8-bit PCM (8,000 bytes per second). */
export function silentWav(seconds: number) {
  const sampleRate = 8000
  const dataBytes = sampleRate * seconds
  const buffer = Buffer.alloc(44 + dataBytes, 0x80) // 0x80 is silence in unsigned 8-bit PCM
  buffer.write('RIFF', 0, 'ascii')
  buffer.writeUInt32LE(36 + dataBytes, 4)
  buffer.write('WAVE', 8, 'ascii')
  buffer.write('fmt ', 12, 'ascii')
  buffer.writeUInt32LE(16, 16) // fmt chunk size
  buffer.writeUInt16LE(1, 20) // PCM
  buffer.writeUInt16LE(1, 22) // mono
  buffer.writeUInt32LE(sampleRate, 24)
  buffer.writeUInt32LE(sampleRate, 28) // byte rate
  buffer.writeUInt16LE(1, 32) // block align
  buffer.writeUInt16LE(8, 34) // bits per sample
  buffer.write('data', 36, 'ascii')
  buffer.writeUInt32LE(dataBytes, 40)
  return buffer
}

/** A valid 1x1 transparent PNG. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

/** The fields the daily editor posts, valid unless overridden. */
export function editorForm(overrides: Record<string, string> = {}): Record<string, string> {
  const n = nextSequence()
  return {
    intent: 'save',
    date: new Date(Date.UTC(2030, 0, 1) + n * DAY_MS).toISOString().slice(0, 10),
    time: '06:30',
    title: `编辑器第 ${n} 篇`,
    keyword: `编辑词${n}`,
    teaser: `编辑器第 ${n} 篇的导语`,
    body: `编辑器第 ${n} 篇的正文`,
    transcript: `早上好。今天的关键词是：编辑词${n}。`,
    // A checked box is sent as "on"; an unchecked one is not sent at all.
    voicePublic: 'on',
    minRank: '0',
    audioId: '',
    coverId: '',
    ...overrides,
  }
}

/** Loader data as the browser would receive it: JSON text, for "is X anywhere in it" checks. */
export function serialized(data: unknown) {
  return JSON.stringify(data)
}
