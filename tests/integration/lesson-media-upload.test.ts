import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { media } from '../../db/schema'
import { DEMO_COURSE_MEDIA_DIR } from '../../db/seed-courses'
import { t } from '~/i18n/zh-CN'
import { ingestAudio, ingestLessonAudio, ingestVideo } from '~/models/media.server'
import { countRows } from '../factories/db'
import { silentWav } from '../factories/dailies'
import { bufferChunks } from '~/utils/image-upload.server'

/** A silent mono 8-bit WAV at a low sample rate: an hour of it stays small. */
function longWav(seconds: number, sampleRate = 100) {
  const wav = silentWav(0)
  const dataBytes = sampleRate * seconds
  const buffer = Buffer.concat([wav, Buffer.alloc(dataBytes, 0x80)])
  buffer.writeUInt32LE(36 + dataBytes, 4)
  buffer.writeUInt32LE(sampleRate, 24)
  buffer.writeUInt32LE(sampleRate, 28)
  buffer.writeUInt32LE(dataBytes, 40)
  return buffer
}

const upload = (data: Buffer, originalName = 'lesson.wav') => ({ data: bufferChunks(data), originalName, uploadedBy: null })

describe('lesson media go through the upload checks, without the daily’s 60-second cap', () => {
  it('a 90-second lesson audio is kept (the daily’s clip would be refused)', async () => {
    const wav = longWav(90)
    expect((await ingestAudio(upload(wav))).ok).toBe(false)
    const kept = await ingestLessonAudio(upload(wav))
    expect(kept.ok && kept.media).toMatchObject({ kind: 'audio', durationMs: 90_000 })
  })

  it('audio over 60 minutes is refused with a zh-CN message, nothing stored', async () => {
    const before = await countRows(media)
    const refused = await ingestLessonAudio(upload(longWav(61 * 60)))
    expect(refused).toEqual({ ok: false, status: 400, error: t.media.lessonAudioTooLong(61 * 60 * 1000) })
    expect(await countRows(media)).toBe(before)
  })

  it('an mp4 video is kept with its length; an MP3 offered as a video is refused by its content', async () => {
    const video = await ingestVideo({ data: createReadStream(join(DEMO_COURSE_MEDIA_DIR, 'business-03-moat.mp4')), originalName: 'moat.mp4', uploadedBy: null })
    expect(video.ok && video.media).toMatchObject({ kind: 'video', mimeType: 'video/mp4' })
    expect(video.ok && video.media.durationMs).toBeGreaterThan(2000)
    const before = await countRows(media)
    const mp3 = await ingestVideo({ data: createReadStream(join(DEMO_COURSE_MEDIA_DIR, 'history-02-tea.mp3')), originalName: 'fake.mp4', uploadedBy: null })
    expect(mp3).toEqual({ ok: false, status: 415, error: t.media.videoType })
    expect(await countRows(media)).toBe(before)
  })
})
