// Who may fetch an uploaded file (/media/:id), decided from the dailies and products that use
// it. Pure: the route loads the references and the viewers, this decides (docs/decisions/006).
import { checkAccess, isStaff, type Viewer } from './access'
import { isDailyLive, voiceMinRank } from './daily'

/** A daily that uses a file, as its audio or its cover. */
export interface MediaReference {
  state: string
  publishAt: Date
  minRank: number
  voicePublic: boolean
  audioId: string | null
  coverId: string | null
}

/** A product photo rendition (thumbnail or large) and whether its product is on sale. */
export interface ProductImageReference {
  published: boolean
}

export type MediaAccess =
  | { allowed: true; cache: 'public' | 'private' }
  | { allowed: false; status: 403 | 404 }

/**
 * Who may fetch an uploaded file, from the dailies that use it:
 * - the cover of a live daily, the audio of a live daily whose voice is public (the default,
 *   whatever the article's tier), or a photo of a published product → everyone (`public`; a
 *   photo's random id reveals nothing of a hidden product);
 * - the audio of a live daily whose voice the editor gated → whoever checkAccess lets hear it
 *   (voiceMinRank): the signed-in viewer, or the owner of a podcast token (podcast apps send
 *   no cookies) → `private`;
 * - anything else (drafts, scheduled, unused uploads) → staff signed in, for previews.
 * Refused: 403 when a live daily's gated voice is the file (its existence is public), else 404, so
 * the ids of unpublished uploads do not leak.
 */
export function decideMediaAccess({
  mediaId,
  references,
  productImages = [],
  viewers,
  staffViewer,
  now,
}: {
  mediaId: string
  references: readonly MediaReference[]
  /** The products whose photos this file is a rendition of. */
  productImages?: readonly ProductImageReference[]
  /** Every viewer the request stands for (the session's, the token's); null ones are visitors. */
  viewers: readonly Viewer[]
  /** The signed-in (cookie) viewer: only staff signed in see what is not live. */
  staffViewer: Viewer
  now: Date
}): MediaAccess {
  const liveRefs = references.filter((ref) => isDailyLive(ref, now))
  if (liveRefs.some((ref) => ref.coverId === mediaId)) return { allowed: true, cache: 'public' }
  if (productImages.some((ref) => ref.published)) return { allowed: true, cache: 'public' }
  const liveAudio = liveRefs.filter((ref) => ref.audioId === mediaId)
  const candidates = viewers.length > 0 ? viewers : [null]
  let granted = false
  for (const ref of liveAudio) {
    for (const viewer of candidates) {
      const access = checkAccess({ minRank: voiceMinRank(ref) }, viewer, now)
      if (access.granted && access.via === 'public') return { allowed: true, cache: 'public' }
      if (access.granted) granted = true
    }
  }
  if (granted) return { allowed: true, cache: 'private' }
  if (staffViewer && isStaff(staffViewer.role)) return { allowed: true, cache: 'private' }
  return { allowed: false, status: liveAudio.length > 0 ? 403 : 404 }
}
