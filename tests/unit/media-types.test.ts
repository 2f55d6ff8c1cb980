import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectAudioType, detectImageType } from '~/domain/media-types'

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)))
const padded = (head: Uint8Array, length = 64) => {
  const out = new Uint8Array(Math.max(length, head.length))
  out.set(head)
  return out
}

const DEMO_AUDIO = join(process.cwd(), 'content/dailies/audio')

describe('detectAudioType decides by content, not by name', () => {
  it.each([
    ['an MP3 with an ID3 tag', bytes('ID3', [0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21]), 'audio/mpeg', 'mp3'],
    ['an MP3 starting with a frame (MPEG-1 layer III)', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg', 'mp3'],
    ['an MP3 starting with a frame (MPEG-2 layer III)', bytes([0xff, 0xf3, 0x64, 0xc4]), 'audio/mpeg', 'mp3'],
    ['an M4A (ftyp box)', bytes([0x00, 0x00, 0x00, 0x20], 'ftypM4A ', [0x00, 0x00, 0x00, 0x00]), 'audio/mp4', 'm4a'],
    ['AAC in ADTS frames (MPEG-4)', bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'audio/aac', 'aac'],
    ['AAC in ADTS frames (MPEG-2)', bytes([0xff, 0xf9, 0x50, 0x80]), 'audio/aac', 'aac'],
    ['an Ogg stream', bytes('OggS', [0x00, 0x02]), 'audio/ogg', 'ogg'],
    ['a RIFF WAVE file', bytes('RIFF', [0x24, 0x08, 0x00, 0x00], 'WAVEfmt '), 'audio/wav', 'wav'],
  ])('%s', (_name, head, mimeType, extension) => {
    expect(detectAudioType(padded(head))).toEqual({ mimeType, extension })
  })

  it('recognises every committed demo clip as MP3', () => {
    const clips = readdirSync(DEMO_AUDIO).filter((f) => f.endsWith('.mp3'))
    expect(clips.length).toBeGreaterThan(0)
    for (const clip of clips) {
      const head = readFileSync(join(DEMO_AUDIO, clip)).subarray(0, 64)
      expect(detectAudioType(head), clip).toEqual({ mimeType: 'audio/mpeg', extension: 'mp3' })
    }
  })

  it.each([
    ['plain text', bytes('just some text, renamed to x.mp3')],
    ['an empty file', new Uint8Array(0)],
    ['a PNG image', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a])],
    ['a RIFF file that is WebP, not WAVE', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['0xFF followed by a byte without the sync bits', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['a frame sync with the reserved layer 00 and no ADTS pattern', bytes([0xff, 0xe0, 0x00, 0x00])],
  ])('answers null for %s', (_name, head) => {
    expect(detectAudioType(head)).toBeNull()
  })
})

describe('detectImageType decides by content, not by name', () => {
  it.each([
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF'), 'image/jpeg', 'jpg'],
    ['a PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), 'image/png', 'png'],
    ['a WebP', bytes('RIFF', [0x1a, 0, 0, 0], 'WEBPVP8 '), 'image/webp', 'webp'],
  ])('%s', (_name, head, mimeType, extension) => {
    expect(detectImageType(head)).toEqual({ mimeType, extension })
  })

  it.each([
    ['a GIF (not accepted)', bytes('GIF89a')],
    ['an SVG (not accepted: it can carry script)', bytes('<svg xmlns="http://www.w3.org/2000/svg">')],
    ['a WAVE file', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')],
    ['an MP3', bytes('ID3', [0x04, 0x00])],
    ['an empty file', new Uint8Array(0)],
  ])('answers null for %s', (_name, head) => {
    expect(detectImageType(head)).toBeNull()
  })
})
