// The demo dailies in content/dailies (format: content/README.md), imported when the demo
// accounts are seeded. Dates are relative to today in the site time zone, so the demo always
// has a "today", a week of back catalogue and one daily waiting for the scheduler.
import { createReadStream } from 'node:fs'
import { access, readdir, readFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { and, eq } from 'drizzle-orm'
import { DEFAULT_PUBLISH_TIME, localDateTime, todayIn } from '~/domain/daily'
import { normalizeKeyword } from '~/domain/keyword'
import { dailies, tiers, users, type Daily } from './schema'
import type { DatabaseHandle } from './client'
import { DEMO_ACCOUNTS } from './seed'

export const DEMO_DAILIES_DIR = fileURLToPath(new URL('../content/dailies', import.meta.url))

const FIELDS = ['day', 'time', 'title', 'keyword', 'tier', 'teaser', 'audio'] as const
type Field = (typeof FIELDS)[number]
const REQUIRED: readonly Field[] = ['day', 'title', 'keyword', 'tier', 'teaser', 'audio']
/** `tier: public` is open to everyone; any other value is a slug of the tiers table. */
const PUBLIC_TIER = 'public'

export interface DemoDaily {
  file: string
  /** Days from today in the site time zone: 0 today, -1 yesterday, 1 tomorrow. */
  day: number
  /** Local publish time, HH:MM. */
  time: string
  title: string
  keyword: string
  tier: string
  teaser: string
  /** File name in the audio/ folder beside the markdown files. */
  audio: string
  body: string
  /** What the clip says (audio/<same name>.txt): the daily's 文字版. */
  transcript: string
}

export class DemoContentError extends Error {
  name = 'DemoContentError'
}

const isField = (key: string): key is Field => (FIELDS as readonly string[]).includes(key)

function unquote(value: string) {
  const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]
  return quoted ? value.slice(1, -1) : value
}

/** One demo daily: `key: value` lines between `---` fences, then the markdown body. */
export function parseDemoDaily(source: string, file: string): DemoDaily {
  const fail = (message: string) => new DemoContentError(`${file}: ${message}`)
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const match = /^---\n([\s\S]*?)\n---(?:\n|$)([\s\S]*)$/.exec(text)
  if (!match) throw fail('the front matter (key: value lines between two --- lines) is missing')
  const fields = new Map<Field, string>()
  for (const [index, line] of match[1]!.split('\n').entries()) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue
    const pair = /^([a-z]+):(.*)$/.exec(line)
    if (!pair) throw fail(`front matter line ${index + 1} is not "key: value": ${line}`)
    const key = pair[1]!
    if (!isField(key)) throw fail(`unknown front matter key "${key}" (known: ${FIELDS.join(', ')})`)
    if (fields.has(key)) throw fail(`"${key}" is given twice`)
    fields.set(key, unquote(pair[2]!.trim()))
  }
  for (const key of REQUIRED) if (!fields.get(key)) throw fail(`"${key}" is missing`)
  const get = (key: Field) => fields.get(key) ?? ''

  const day = get('day')
  if (!/^[+-]?\d{1,3}$/.test(day)) throw fail(`day must be a whole number of days from today, got "${day}"`)
  const time = get('time') || DEFAULT_PUBLISH_TIME
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) throw fail(`time must be HH:MM, got "${time}"`)
  const audio = get('audio')
  if (basename(audio) !== audio) throw fail(`audio must be a file name in audio/, got "${audio}"`)
  if (!normalizeKeyword(get('keyword'))) throw fail('the keyword is blank')
  const body = match[2]!.trim()
  if (!body) throw fail('the body is empty')
  return {
    file,
    day: Number(day),
    time,
    title: get('title'),
    keyword: get('keyword'),
    tier: get('tier'),
    teaser: get('teaser'),
    audio,
    body,
    transcript: '',
  }
}

/** Every *.md in `dir`, parsed and checked: one daily per day, unique keywords, audio present. */
export async function readDemoDailies(dir = DEMO_DAILIES_DIR) {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort()
  const entries: DemoDaily[] = []
  for (const file of files) entries.push(parseDemoDaily(await readFile(join(dir, file), 'utf8'), file))
  const seen = { day: new Map<number, string>(), keyword: new Map<string, string>() }
  for (const entry of entries) {
    const key = normalizeKeyword(entry.keyword)
    const sameDay = seen.day.get(entry.day)
    if (sameDay) throw new DemoContentError(`${entry.file}: day ${entry.day} is taken by ${sameDay}`)
    const sameKeyword = seen.keyword.get(key)
    if (sameKeyword) throw new DemoContentError(`${entry.file}: keyword "${entry.keyword}" is taken by ${sameKeyword}`)
    seen.day.set(entry.day, entry.file)
    seen.keyword.set(key, entry.file)
    try {
      await access(demoAudioPath(dir, entry))
    } catch {
      throw new DemoContentError(`${entry.file}: audio file audio/${entry.audio} is missing`)
    }
  }
  for (const entry of entries) entry.transcript = await readTranscript(dir, entry)
  return entries
}

function demoAudioPath(dir: string, entry: DemoDaily) {
  return join(dir, 'audio', entry.audio)
}

// What a clip says sits beside it (audio/NN-slug.txt, the input of scripts/make-demo-audio.sh):
// it is the daily's 文字版, and it names the keyword as the voice does.
async function readTranscript(dir: string, entry: DemoDaily) {
  const path = join(dir, 'audio', `${basename(entry.audio, extname(entry.audio))}.txt`)
  try {
    return (await readFile(path, 'utf8')).trim()
  } catch {
    throw new DemoContentError(`${entry.file}: the transcript audio/${basename(path)} is missing`)
  }
}

/**
 * Gives demo dailies imported before transcripts existed their 文字版 (outside production, on
 * every start): a daily with a demo keyword and no transcript gets the demo's. Returns how many.
 */
export async function addDemoTranscripts(handle: DatabaseHandle, dir = DEMO_DAILIES_DIR) {
  let added = 0
  for (const entry of await readDemoDailies(dir)) {
    const updated = await handle.db
      .update(dailies)
      .set({ transcript: entry.transcript })
      .where(and(eq(dailies.keywordKey, normalizeKeyword(entry.keyword)), eq(dailies.transcript, '')))
      .returning({ id: dailies.id })
    added += updated.length
  }
  return added
}

/** The calendar date `days` after `date` (YYYY-MM-DD; negative goes back). */
function addDays(date: string, days: number) {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * Imports the demo dailies. Days up to today are published (and marked as mailed, so seeding
 * never sends the daily email); later days are scheduled for the scheduler. A date that already
 * has a daily is skipped, so importing twice adds nothing. Audio goes through `ingestAudio`,
 * the editor's upload path, into the app's upload directory. Returns the dailies created.
 */
export async function importDemoDailies(
  handle: DatabaseHandle,
  { now = new Date(), timeZone, dir = DEMO_DAILIES_DIR }: { now?: Date; timeZone: string; dir?: string },
): Promise<Daily[]> {
  const { db } = handle
  const entries = await readDemoDailies(dir)
  // Imported here so that the app's modules (and their env check) load only when seeding.
  const { deleteMedia, ingestAudio } = await import('~/models/media.server')

  const rankOf = new Map((await db.select({ slug: tiers.slug, rank: tiers.rank }).from(tiers)).map((t) => [t.slug, t.rank]))
  rankOf.set(PUBLIC_TIER, 0)
  const editorEmail = DEMO_ACCOUNTS.find((account) => account.role === 'editor')!.email
  const editor = await db.query.users.findFirst({ columns: { id: true }, where: eq(users.email, editorEmail) })
  const authorId = editor?.id ?? null
  const today = todayIn(timeZone, now)

  const created: Daily[] = []
  for (const entry of entries) {
    const minRank = rankOf.get(entry.tier)
    if (minRank === undefined) {
      throw new DemoContentError(`${entry.file}: tier "${entry.tier}" is neither "${PUBLIC_TIER}" nor a tier slug (${[...rankOf.keys()].join(', ')})`)
    }
    const date = addDays(today, entry.day)
    const existing = await db.query.dailies.findFirst({ columns: { id: true }, where: eq(dailies.date, date) })
    if (existing) continue
    const scheduledAt = localDateTime(date, entry.time, timeZone)
    if (!scheduledAt) throw new DemoContentError(`${entry.file}: no local time ${entry.time} on ${date} in ${timeZone}`)
    const published = entry.day <= 0
    // Early in the morning today's 06:30 is still ahead; the demo's "today" should be live anyway.
    const publishAt = published && scheduledAt > now ? now : scheduledAt

    const upload = await ingestAudio({
      data: createReadStream(demoAudioPath(dir, entry)),
      originalName: entry.audio,
      uploadedBy: authorId,
    })
    if (!upload.ok) throw new DemoContentError(`${entry.file}: audio/${entry.audio} was refused: ${upload.error}`)

    const [daily] = await db
      .insert(dailies)
      .values({
        date,
        title: entry.title,
        keyword: entry.keyword,
        keywordKey: normalizeKeyword(entry.keyword),
        teaser: entry.teaser,
        body: entry.body,
        transcript: entry.transcript,
        minRank,
        state: published ? 'published' : 'scheduled',
        publishAt,
        publishedAt: published ? publishAt : null,
        emailedAt: published ? publishAt : null,
        audioId: upload.media.id,
        authorId,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning()
    // Another process took the date (or a published daily the keyword) meanwhile: keep theirs.
    if (daily) created.push(daily)
    else await deleteMedia(upload.media.id)
  }
  return created
}
