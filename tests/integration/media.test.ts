import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { type dailies, media, memberships, productCategories, productImages, products, type MediaKind } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { resetPodcastToken } from '~/models/user.server'
import { loader as mediaLoader } from '~/routes/media.$id'
import { db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { insertDaily } from '../factories/dailies'
import { requestFor, routeArgs } from '../factories/requests'
import { createTestUser, DAY_MS, signedInCookie, type TierSlug } from '../factories/users'

const SIZE = 1000
const PUBLIC_CACHE = 'public, max-age=31536000, immutable'
const PRIVATE_CACHE = 'private, max-age=86400'

// ---- rows and files written straight to the database and the upload directory ----------------


async function insertFile({ kind = 'audio', bytes = SIZE }: { kind?: MediaKind; bytes?: number } = {}) {
  const id = randomBytes(12).toString('base64url')
  const path = `${id}.${kind === 'audio' ? 'mp3' : 'png'}`
  const content = randomBytes(bytes)
  const dir = getEnv().UPLOAD_DIR
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, path), content)
  const mimeType = kind === 'audio' ? 'audio/mpeg' : 'image/png'
  const [row] = await db.insert(media).values({ id, kind, mimeType, bytes, durationMs: kind === 'audio' ? 30_000 : null, path }).returning()
  return { ...row!, content }
}


/**
 * An audio file used by a daily. A voice is public unless the editor gates it; these tests are
 * about gating, so a voice of a gated daily is gated too unless a test says otherwise.
 */
async function dailyAudio(daily: Partial<typeof dailies.$inferInsert> = {}) {
  const file = await insertFile()
  await insertDaily({ audioId: file.id, voicePublic: (daily.minRank ?? 0) === 0, ...daily })
  return file
}

async function signedIn({ tier, role = 'user' }: { tier?: TierSlug; role?: 'user' | 'editor' | 'admin' } = {}) {
  const { user } = await createTestUser({ tier, role })
  return { user, ...(await signedInCookie(user.id)) }
}

function fetchMedia(id: string, { cookie, headers, method, query = '' }: { cookie?: string; headers?: Record<string, string>; method?: string; query?: string } = {}) {
  return mediaLoader(routeArgs(requestFor(`/media/${id}${query}`, { cookie, headers, method }), { id }))
}

async function bodyOf(response: Response) {
  return Buffer.from(await response.arrayBuffer())
}

// ---- serving the bytes -------------------------------------------------------------------------

describe('/media/:id serves the file', () => {
  it('a full GET answers 200 with every byte, its type, length and validators', async () => {
    const file = await dailyAudio()
    const response = await fetchMedia(file.id)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('audio/mpeg')
    expect(response.headers.get('Content-Length')).toBe(String(SIZE))
    expect(response.headers.get('Accept-Ranges')).toBe('bytes')
    expect(response.headers.get('ETag')).toBe(`"${file.id}-${SIZE}"`)
    expect(response.headers.get('Last-Modified')).toBe(file.createdAt.toUTCString())
    expect(response.headers.get('Cache-Control')).toBe(PUBLIC_CACHE)
    expect((await bodyOf(response)).equals(file.content)).toBe(true)
  })

  it('Range bytes=0-99 answers 206 with the first 100 bytes', async () => {
    const file = await dailyAudio()
    const response = await fetchMedia(file.id, { headers: { Range: 'bytes=0-99' } })
    expect(response.status).toBe(206)
    expect(response.headers.get('Content-Range')).toBe(`bytes 0-99/${SIZE}`)
    expect(response.headers.get('Content-Length')).toBe('100')
    const body = await bodyOf(response)
    expect(body.length).toBe(100)
    expect(body.equals(file.content.subarray(0, 100))).toBe(true)
  })

  it('Range bytes=-10 answers 206 with the last 10 bytes; bytes=990- the same', async () => {
    const file = await dailyAudio()
    for (const range of ['bytes=-10', 'bytes=990-', 'bytes=990-5000']) {
      const response = await fetchMedia(file.id, { headers: { Range: range } })
      expect(response.status, range).toBe(206)
      expect(response.headers.get('Content-Range')).toBe(`bytes 990-999/${SIZE}`)
      expect(response.headers.get('Content-Length')).toBe('10')
      expect((await bodyOf(response)).equals(file.content.subarray(990))).toBe(true)
    }
  })

  it('a range from the middle is exact', async () => {
    const file = await dailyAudio()
    const response = await fetchMedia(file.id, { headers: { Range: 'bytes=123-456' } })
    expect(response.status).toBe(206)
    expect(response.headers.get('Content-Range')).toBe(`bytes 123-456/${SIZE}`)
    expect((await bodyOf(response)).equals(file.content.subarray(123, 457))).toBe(true)
  })

  it('a range past the end answers 416 with the size, and no file bytes', async () => {
    const file = await dailyAudio()
    const response = await fetchMedia(file.id, { headers: { Range: 'bytes=999999-' } })
    expect(response.status).toBe(416)
    expect(response.headers.get('Content-Range')).toBe(`bytes */${SIZE}`)
    expect(await response.text()).toBe(t.media.rangeInvalid)
  })

  it('a malformed byte range answers 416 (our documented choice); another unit or several ranges get the whole file', async () => {
    const file = await dailyAudio()
    for (const range of ['bytes=abc', 'bytes=5-3', 'bytes=-', 'nonsense']) {
      const response = await fetchMedia(file.id, { headers: { Range: range } })
      expect(response.status, range).toBe(416)
      expect(response.headers.get('Content-Range')).toBe(`bytes */${SIZE}`)
    }
    for (const range of ['items=0-1', 'bytes=0-1,5-6']) {
      const response = await fetchMedia(file.id, { headers: { Range: range } })
      expect(response.status, range).toBe(200)
      expect(response.headers.get('Content-Range')).toBeNull()
      expect((await bodyOf(response)).equals(file.content)).toBe(true)
    }
  })

  it('If-Range with a stale validator sends the whole file, with ours the range', async () => {
    const file = await dailyAudio()
    const stale = await fetchMedia(file.id, { headers: { Range: 'bytes=0-9', 'If-Range': '"stale"' } })
    expect(stale.status).toBe(200)
    expect((await bodyOf(stale)).length).toBe(SIZE)
    const current = await fetchMedia(file.id, { headers: { Range: 'bytes=0-9', 'If-Range': `"${file.id}-${SIZE}"` } })
    expect(current.status).toBe(206)
    expect((await bodyOf(current)).length).toBe(10)
  })

  it('If-None-Match with the ETag answers 304 with no body', async () => {
    const file = await dailyAudio()
    const etag = (await fetchMedia(file.id, { method: 'HEAD' })).headers.get('ETag')!
    const response = await fetchMedia(file.id, { headers: { 'If-None-Match': etag } })
    expect(response.status).toBe(304)
    expect(response.body).toBeNull()
    expect(response.headers.get('ETag')).toBe(etag)
    expect((await fetchMedia(file.id, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200)
  })

  it('HEAD answers the headers of a GET and opens no file (no body at all)', async () => {
    const file = await dailyAudio()
    const head = await fetchMedia(file.id, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body).toBeNull()
    expect(head.headers.get('Content-Length')).toBe(String(SIZE))
    expect(head.headers.get('Content-Type')).toBe('audio/mpeg')
    expect(head.headers.get('Accept-Ranges')).toBe('bytes')
  })

  it('an unknown id, or a row whose file is gone, answers 404', async () => {
    expect((await fetchMedia('no-such-id')).status).toBe(404)
    const file = await dailyAudio()
    await rm(join(getEnv().UPLOAD_DIR, file.path))
    const response = await fetchMedia(file.id)
    expect(response.status).toBe(404)
    expect(await response.text()).toBe(t.media.notFound)
  })
})

// ---- who may fetch it --------------------------------------------------------------------------

describe('/media/:id of a voice the editor gated is gated like the daily that uses it', () => {
  it('the public voice of a rank-2 daily goes to every visitor, cached publicly', async () => {
    const file = await dailyAudio({ minRank: 2, voicePublic: true })
    const response = await fetchMedia(file.id)
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe(PUBLIC_CACHE)
    expect((await bodyOf(response)).equals(file.content)).toBe(true)
  })

  it('a visitor gets 403 for the audio of a rank-1 daily, and none of its bytes', async () => {
    const file = await dailyAudio({ minRank: 1 })
    for (const headers of [{}, { Range: 'bytes=0-99' }] as Record<string, string>[]) {
      const response = await fetchMedia(file.id, { headers })
      expect(response.status).toBe(403)
      expect(response.headers.get('Cache-Control')).toBe('private, no-store')
      expect(response.headers.get('Content-Range')).toBeNull()
      const body = await bodyOf(response)
      expect(body.toString('utf8')).toBe(t.feeds.audioForbidden)
      expect(body.includes(file.content.subarray(0, 16))).toBe(false)
    }
  })

  it('a signed-in user without a membership, or of a lower tier, gets 403', async () => {
    const rank1 = await dailyAudio({ minRank: 1 })
    const rank2 = await dailyAudio({ minRank: 2 })
    const free = await signedIn()
    expect((await fetchMedia(rank1.id, { cookie: free.cookie })).status).toBe(403)
    const qinqing = await signedIn({ tier: 'qinqing' })
    expect((await fetchMedia(rank2.id, { cookie: qinqing.cookie })).status).toBe(403)
  })

  it('a member with the cookie gets the audio, privately cached', async () => {
    const file = await dailyAudio({ minRank: 1 })
    const member = await signedIn({ tier: 'qinqing' })
    const response = await fetchMedia(file.id, { cookie: member.cookie })
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe(PRIVATE_CACHE)
    expect((await bodyOf(response)).equals(file.content)).toBe(true)

    const ranged = await fetchMedia(file.id, { cookie: member.cookie, headers: { Range: 'bytes=0-99' } })
    expect(ranged.status).toBe(206)
    expect((await bodyOf(ranged)).equals(file.content.subarray(0, 100))).toBe(true)
  })

  it('a podcast app with the subscriber’s ?token= gets the audio without a cookie', async () => {
    const file = await dailyAudio({ minRank: 2 })
    const { user } = await createTestUser({ tier: 'tiegan' })
    const token = await resetPodcastToken(user.id)
    const response = await fetchMedia(file.id, { query: `?token=${token}` })
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe(PRIVATE_CACHE)
    expect((await bodyOf(response)).equals(file.content)).toBe(true)

    // A forged token, a lower tier's token, an old token after a reset and an ended membership: 403.
    expect((await fetchMedia(file.id, { query: '?token=abcdefghijklmnopqrstuvwxyz234567' })).status).toBe(403)
    const { user: lower } = await createTestUser({ tier: 'qinqing' })
    expect((await fetchMedia(file.id, { query: `?token=${await resetPodcastToken(lower.id)}` })).status).toBe(403)
    const newToken = await resetPodcastToken(user.id)
    expect((await fetchMedia(file.id, { query: `?token=${token}` })).status).toBe(403)
    expect((await fetchMedia(file.id, { query: `?token=${newToken}` })).status).toBe(200)
    await db.update(memberships).set({ validUntil: new Date(Date.now() - 60_000) }).where(eq(memberships.userId, user.id))
    expect((await fetchMedia(file.id, { query: `?token=${newToken}` })).status).toBe(403)
  })

  it('the audio of a public daily goes to every visitor, cached publicly', async () => {
    const file = await dailyAudio({ minRank: 0 })
    const response = await fetchMedia(file.id)
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe(PUBLIC_CACHE)
    expect((await bodyOf(response)).equals(file.content)).toBe(true)
  })

  it('the cover of a live gated daily is public', async () => {
    const cover = await insertFile({ kind: 'image', bytes: 300 })
    await insertDaily({ minRank: 2, coverId: cover.id })
    const response = await fetchMedia(cover.id)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('image/png')
    expect(response.headers.get('Cache-Control')).toBe(PUBLIC_CACHE)
    expect((await bodyOf(response)).equals(cover.content)).toBe(true)
  })

  it('photos of a published product are public; of an unpublished one only staff see them', async () => {
    const [category] = await db.insert(productCategories).values({ slug: 'photos', name: '文具精选' }).returning()
    const { createStock } = await import('../factories/orders')
    const photo = async (published: boolean) => {
      const thumb = await insertFile({ kind: 'image', bytes: 200 })
      const large = await insertFile({ kind: 'image', bytes: 400 })
      const [product] = await db
        .insert(products)
        .values({
          slug: `photo-${thumb.id.toLowerCase().replace(/[^a-z0-9]/g, '')}`,
          title: '带照片的商品',
          categoryId: category!.id,
          priceFen: 100,
          stockId: (await createStock({ capacity: 1 })).id,
          published,
          updatedAt: new Date(),
        })
        .returning()
      await db.insert(productImages).values({ productId: product!.id, thumbMediaId: thumb.id, largeMediaId: large.id })
      return { thumb, large }
    }
    const live = await photo(true)
    for (const file of [live.thumb, live.large]) {
      const response = await fetchMedia(file.id)
      expect(response.status).toBe(200)
      expect(response.headers.get('Cache-Control')).toBe(PUBLIC_CACHE)
    }
    const draft = await photo(false)
    expect((await fetchMedia(draft.thumb.id)).status).toBe(404)
    const editor = await signedIn({ role: 'editor' })
    expect((await fetchMedia(draft.thumb.id, { cookie: editor.cookie })).status).toBe(200)
  })

  it('the audio of a draft answers 404 to a member and a visitor, 200 to an editor', async () => {
    const file = await dailyAudio({ minRank: 0, state: 'draft' })
    const member = await signedIn({ tier: 'tiegan' })
    expect((await fetchMedia(file.id)).status).toBe(404)
    const forMember = await fetchMedia(file.id, { cookie: member.cookie })
    expect(forMember.status).toBe(404)
    expect(await forMember.text()).toBe(t.media.notFound)
    const editor = await signedIn({ role: 'editor' })
    const forEditor = await fetchMedia(file.id, { cookie: editor.cookie })
    expect(forEditor.status).toBe(200)
    expect(forEditor.headers.get('Cache-Control')).toBe(PRIVATE_CACHE)
    expect((await bodyOf(forEditor)).equals(file.content)).toBe(true)
  })

  it('the audio of a daily published for later answers 404 until its time, even to a member', async () => {
    const file = await dailyAudio({ minRank: 1, publishAt: new Date(Date.now() + DAY_MS) })
    const member = await signedIn({ tier: 'tiegan' })
    expect((await fetchMedia(file.id, { cookie: member.cookie })).status).toBe(404)
    // A podcast token never reaches unpublished audio, even a staff member's.
    const { user: editor } = await createTestUser({ role: 'editor' })
    expect((await fetchMedia(file.id, { query: `?token=${await resetPodcastToken(editor.id)}` })).status).toBe(404)
  })

  it('an upload no daily uses answers 404 to everyone but staff', async () => {
    const file = await insertFile()
    const member = await signedIn({ tier: 'tiegan' })
    expect((await fetchMedia(file.id)).status).toBe(404)
    expect((await fetchMedia(file.id, { cookie: member.cookie })).status).toBe(404)
    const admin = await signedIn({ role: 'admin' })
    expect((await fetchMedia(file.id, { cookie: admin.cookie })).status).toBe(200)
  })

  it('a gated answer carries the renewed session cookie; a public one never sets a cookie', async () => {
    const { user } = await createTestUser({ tier: 'tiegan' })
    // A session 20 days old is within 15 days of its expiry: reading it slides the expiry.
    const { cookie } = await signedInCookie(user.id, { now: new Date(Date.now() - 20 * DAY_MS) })
    const publicFile = await dailyAudio({ minRank: 0 })
    const publicAnswer = await fetchMedia(publicFile.id, { cookie })
    expect(publicAnswer.status).toBe(200)
    expect(publicAnswer.headers.get('Set-Cookie')).toBeNull()

    const gated = await dailyAudio({ minRank: 2 })
    const gatedAnswer = await fetchMedia(gated.id, { cookie })
    expect(gatedAnswer.status).toBe(200)
    expect(gatedAnswer.headers.get('Set-Cookie')).toMatch(new RegExp(`^${cookie}; Path=/; HttpOnly; SameSite=Lax; Expires=`))
  })

  it('a 304 is only for those who may fetch the file', async () => {
    const file = await dailyAudio({ minRank: 1 })
    const response = await fetchMedia(file.id, { headers: { 'If-None-Match': `"${file.id}-${SIZE}"` } })
    expect(response.status).toBe(403)
  })
})
