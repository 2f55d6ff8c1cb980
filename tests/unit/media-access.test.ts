import { describe, expect, it } from 'vitest'
import type { Viewer } from '~/domain/access'
import { decideMediaAccess, type MediaReference } from '~/domain/media-access'

const now = new Date('2026-11-23T00:00:00Z')
const past = new Date('2026-11-22T00:00:00Z')
const future = new Date('2026-11-24T00:00:00Z')
const ID = 'file1234567890ab'
const year = { validFrom: past, validUntil: new Date('2027-11-23T00:00:00Z'), revokedAt: null }

const viewers: Record<string, Viewer> = {
  visitor: null,
  user: { role: 'user', memberships: [] },
  qinqing: { role: 'user', memberships: [{ tierRank: 1, ...year }] },
  tiegan: { role: 'user', memberships: [{ tierRank: 2, ...year }] },
  editor: { role: 'editor', memberships: [] },
}

// Voices are public unless the editor gates them; most rows here test a gated voice.
const audioOf = (minRank: number, state = 'published', publishAt = past, voicePublic = false): MediaReference => ({
  state,
  publishAt,
  minRank,
  voicePublic,
  audioId: ID,
  coverId: null,
})
const publicVoiceOf = (minRank: number) => audioOf(minRank, 'published', past, true)
const coverOf = (minRank: number, state = 'published'): MediaReference => ({ state, publishAt: past, minRank, voicePublic: false, audioId: null, coverId: ID })

function decide(references: MediaReference[], who: keyof typeof viewers) {
  const viewer = viewers[who]!
  return decideMediaAccess({ mediaId: ID, references, viewers: [viewer], staffViewer: viewer, now })
}

describe('who may fetch an uploaded file', () => {
  const pub = { allowed: true, cache: 'public' }
  const priv = { allowed: true, cache: 'private' }
  const forbidden = { allowed: false, status: 403 }
  const missing = { allowed: false, status: 404 }
  it.each([
    ['the public voice of a live 铁杆 daily', [publicVoiceOf(2)], { visitor: pub, user: pub, qinqing: pub, tiegan: pub, editor: pub }],
    ['the public voice of a live public daily', [publicVoiceOf(0)], { visitor: pub, user: pub, qinqing: pub, tiegan: pub, editor: pub }],
    ['the gated voice of a live public daily (members)', [audioOf(0)], { visitor: forbidden, user: forbidden, qinqing: priv, tiegan: priv, editor: priv }],
    ['audio of a live 亲情 daily', [audioOf(1)], { visitor: forbidden, user: forbidden, qinqing: priv, tiegan: priv, editor: priv }],
    ['audio of a live 铁杆 daily', [audioOf(2)], { visitor: forbidden, user: forbidden, qinqing: forbidden, tiegan: priv, editor: priv }],
    ['audio of a draft', [audioOf(0, 'draft')], { visitor: missing, user: missing, qinqing: missing, tiegan: missing, editor: priv }],
    ['audio of a daily scheduled for later', [audioOf(0, 'scheduled', future)], { visitor: missing, user: missing, qinqing: missing, tiegan: missing, editor: priv }],
    ['audio published but not yet due', [audioOf(0, 'published', future)], { visitor: missing, user: missing, qinqing: missing, tiegan: missing, editor: priv }],
    ['cover of a live gated daily', [coverOf(2)], { visitor: pub, user: pub, qinqing: pub, tiegan: pub, editor: pub }],
    ['a file no daily uses', [], { visitor: missing, user: missing, qinqing: missing, tiegan: missing, editor: priv }],
  ] as const)('%s', (_name, references, expected) => {
    for (const [who, outcome] of Object.entries(expected)) {
      expect(decide([...references], who as keyof typeof viewers), who).toEqual(outcome)
    }
  })

  it('a podcast token stands in for a member when the request has no session', () => {
    const access = decideMediaAccess({ mediaId: ID, references: [audioOf(1)], viewers: [null, viewers.qinqing!], staffViewer: null, now })
    expect(access).toEqual({ allowed: true, cache: 'private' })
  })

  it('a podcast token never opens a draft, even a staff member’s', () => {
    const access = decideMediaAccess({ mediaId: ID, references: [audioOf(0, 'draft')], viewers: [viewers.editor!], staffViewer: null, now })
    expect(access).toEqual({ allowed: false, status: 404 })
  })
})
