import { describe, expect, it } from 'vitest'
import { contentRange, ifRangeAllows, isNotModified, parseRange } from '~/domain/range'

const SIZE = 1000

describe('parseRange', () => {
  // [Range header, what is sent for a file of 1000 bytes]
  const table: [header: string | null | undefined, expected: ReturnType<typeof parseRange>][] = [
    // no header: the whole file
    [null, null],
    [undefined, null],
    // valid single ranges
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=0-0', { start: 0, end: 0 }],
    ['bytes=500-999', { start: 500, end: 999 }],
    ['bytes=999-999', { start: 999, end: 999 }],
    ['Bytes=10-19', { start: 10, end: 19 }],
    ['bytes= 10-19 ', { start: 10, end: 19 }],
    // open-ended
    ['bytes=0-', { start: 0, end: 999 }],
    ['bytes=900-', { start: 900, end: 999 }],
    // suffix: the last n bytes, all of them when n is larger than the file
    ['bytes=-10', { start: 990, end: 999 }],
    ['bytes=-1000', { start: 0, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    // an end beyond the file is clamped to its last byte
    ['bytes=900-5000', { start: 900, end: 999 }],
    ['bytes=0-99999999999999999999999', { start: 0, end: 999 }],
    // start at or past the end of the file: unsatisfiable
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=1000-1001', 'unsatisfiable'],
    ['bytes=999999-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    // malformed byte ranges: refused (416), see the note on parseRange
    ['bytes=5-3', 'unsatisfiable'],
    ['bytes=-', 'unsatisfiable'],
    ['bytes=', 'unsatisfiable'],
    ['bytes=abc', 'unsatisfiable'],
    ['bytes=a-b', 'unsatisfiable'],
    ['bytes=1.5-2', 'unsatisfiable'],
    ['bytes=--5', 'unsatisfiable'],
    ['bytes=+1-2', 'unsatisfiable'],
    ['bytes 0-99', 'unsatisfiable'],
    ['garbage', 'unsatisfiable'],
    ['', 'unsatisfiable'],
    ['=0-1', 'unsatisfiable'],
    // another unit is ignored (RFC 9110 §14.2): the whole file
    ['items=0-1', null],
    ['pages=1-', null],
    // several ranges: ignored, the whole file with 200 (no multipart/byteranges)
    ['bytes=0-1,5-6', null],
    ['bytes=0-1, 900-', null],
  ]

  it.each(table)('%j of 1000 bytes → %j', (header, expected) => {
    expect(parseRange(header, SIZE)).toEqual(expected)
  })

  it('nothing of an empty file can be asked for', () => {
    for (const header of ['bytes=0-', 'bytes=0-0', 'bytes=-1']) expect(parseRange(header, 0)).toBe('unsatisfiable')
    expect(parseRange(null, 0)).toBeNull()
  })

  it('a one-byte file', () => {
    expect(parseRange('bytes=0-', 1)).toEqual({ start: 0, end: 0 })
    expect(parseRange('bytes=-5', 1)).toEqual({ start: 0, end: 0 })
    expect(parseRange('bytes=1-', 1)).toBe('unsatisfiable')
  })
})

describe('contentRange', () => {
  it('names the bytes sent and the total, or only the total for 416', () => {
    expect(contentRange(1000, { start: 0, end: 99 })).toBe('bytes 0-99/1000')
    expect(contentRange(1000)).toBe('bytes */1000')
  })
})

describe('conditional requests', () => {
  const etag = '"abc-1000"'
  const lastModified = new Date('2027-06-01T06:30:00.250Z')

  it('If-None-Match matches our tag (weakly), one of a list, or *', () => {
    expect(isNotModified({ ifNoneMatch: '"abc-1000"' }, { etag })).toBe(true)
    expect(isNotModified({ ifNoneMatch: 'W/"abc-1000"' }, { etag })).toBe(true)
    expect(isNotModified({ ifNoneMatch: '"x", "abc-1000"' }, { etag })).toBe(true)
    expect(isNotModified({ ifNoneMatch: '*' }, { etag })).toBe(true)
    expect(isNotModified({ ifNoneMatch: '"abc-999"' }, { etag })).toBe(false)
    expect(isNotModified({}, { etag })).toBe(false)
  })

  it('If-Modified-Since counts in whole seconds, and If-None-Match wins over it', () => {
    const since = lastModified.toUTCString()
    expect(isNotModified({ ifModifiedSince: since }, { etag, lastModified })).toBe(true)
    expect(isNotModified({ ifModifiedSince: new Date('2027-05-31T00:00:00Z').toUTCString() }, { etag, lastModified })).toBe(false)
    expect(isNotModified({ ifModifiedSince: 'not a date' }, { etag, lastModified })).toBe(false)
    expect(isNotModified({ ifNoneMatch: '"other"', ifModifiedSince: since }, { etag, lastModified })).toBe(false)
  })

  it('If-Range allows the range only for our strong tag or our exact date', () => {
    expect(ifRangeAllows(null, { etag, lastModified })).toBe(true)
    expect(ifRangeAllows('"abc-1000"', { etag, lastModified })).toBe(true)
    expect(ifRangeAllows('W/"abc-1000"', { etag, lastModified })).toBe(false)
    expect(ifRangeAllows('"old"', { etag, lastModified })).toBe(false)
    expect(ifRangeAllows(lastModified.toUTCString(), { etag, lastModified })).toBe(true)
    expect(ifRangeAllows(new Date('2020-01-01T00:00:00Z').toUTCString(), { etag, lastModified })).toBe(false)
  })
})
