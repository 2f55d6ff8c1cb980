// The daily-voice player. One <audio> element, owned by PlayerProvider in the root layout, keeps
// playing while the reader moves around the site; a daily's page shows the full player as a view
// onto it (DailyPlayer) and every other page docks a mini player at the bottom (MiniPlayer).
// Without JavaScript, and until hydration, a daily shows the browser's own <audio controls>.
import { Link } from '@remix-run/react'
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import {
  PLAYBACK_RATES,
  SKIP_SECONDS,
  clampTime,
  formatClock,
  formatRate,
  isPlaybackRate,
  knownDuration,
  parsePosition,
  positionKey,
  resumePosition,
  serializePosition,
  skipTarget,
  type PlaybackRate,
} from '~/domain/player'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { playerZhCN } from '~/i18n/player.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN, player: playerZhCN, site: siteZhCN }

/**
 * What the player plays: one daily's voice, or a course lesson's audio. `date` is the track's
 * unique key (a daily's date; `course:<slug>/<lesson>` for a lesson) and names its page unless
 * `href` says otherwise.
 */
export interface PlayerTrack {
  date: string
  title: string
  url: string
  durationMs: number | null
  artworkUrl: string | null
  /** The page of the track (the mini player's way back); a daily's is /daily/:date. */
  href?: string
  /** Where to start when this browser remembers no position (a lesson's, kept on the server). */
  resumeAt?: number
}

interface PlayerState {
  track: PlayerTrack | null
  playing: boolean
  /** The reader played this track during this visit: only then is it docked on other pages. */
  engaged: boolean
  ended: boolean
  /** Seconds into the track (the audio's currentTime, or where it will resume). */
  position: number
  /** The media's own length in seconds; NaN until the browser knows it. */
  duration: number
  rate: PlaybackRate
  failed: boolean
}

interface Player {
  /** False on the server and during hydration: views render the no-JS markup until then. */
  hydrated: boolean
  state: PlayerState
  /** Dates of the dailies whose full player is on screen (the mini player stays away from them). */
  fullViews: readonly string[]
  /** Loads a track, ready at its stored position, without playing it. */
  cue: (track: PlayerTrack) => void
  /** Plays a track: resumes the loaded one, or loads this one first. */
  play: (track: PlayerTrack) => void
  pause: () => void
  seek: (track: PlayerTrack, seconds: number) => void
  skip: (track: PlayerTrack, by: number) => void
  setRate: (rate: PlaybackRate) => void
  /** Stops and unloads the track (the mini player's ×). */
  close: () => void
  /** Marks a daily's full player as on screen; returns the function that unmarks it. */
  showFull: (date: string) => () => void
}

const IDLE: PlayerState = {
  track: null,
  playing: false,
  engaged: false,
  ended: false,
  position: 0,
  duration: Number.NaN,
  rate: 1,
  failed: false,
}

const PlayerContext = createContext<Player | null>(null)

function usePlayer() {
  return useContext(PlayerContext)
}

// localStorage may be missing or refuse writes (private modes, full quota): the player then
// simply does not remember.
function readPosition(date: string) {
  try {
    return parsePosition(window.localStorage.getItem(positionKey(date)))
  } catch {
    return null
  }
}

function writePosition(date: string, seconds: number) {
  try {
    window.localStorage.setItem(positionKey(date), serializePosition(seconds))
  } catch {
    // not remembered
  }
}

function forgetPosition(date: string) {
  try {
    window.localStorage.removeItem(positionKey(date))
  } catch {
    // nothing to forget
  }
}

/** Where a track starts when loaded: its stored position, unless it was heard to the end. */
function startingPosition(track: PlayerTrack) {
  return resumePosition(readPosition(track.date) ?? track.resumeAt ?? null, knownDuration(Number.NaN, track.durationMs))
}

/** How often (in seconds of listening) the position is written while playing. */
const SAVE_EVERY_SECONDS = 2

export function PlayerProvider({ children }: { children: ReactNode }) {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const [state, setState] = useState<PlayerState>(IDLE)
  const [fullViews, setFullViews] = useState<readonly string[]>([])

  const audioRef = useRef<HTMLAudioElement | null>(null)
  const trackRef = useRef<PlayerTrack | null>(null)
  const rateRef = useRef<PlaybackRate>(1)
  // A track chosen before the <audio> element exists waits here for it.
  const pendingRef = useRef<{ autoplay: boolean } | null>(null)
  // Where to go once the browser has the new track's metadata; while set, nothing is saved (the
  // element still reports 0 for the track just loaded).
  const resumeRef = useRef<number | null>(null)
  const savedAtRef = useRef(0)

  const savePosition = useCallback(() => {
    const audio = audioRef.current
    const track = trackRef.current
    if (!audio || !track || resumeRef.current !== null || audio.readyState === 0) return
    if (audio.ended) forgetPosition(track.date)
    else writePosition(track.date, audio.currentTime)
    savedAtRef.current = audio.currentTime
  }, [])

  const startPlayback = useCallback((audio: HTMLAudioElement) => {
    audio.play().catch((error: unknown) => {
      // A newer load interrupting this play() is no failure; a refused autoplay leaves the
      // player paused, which the play button already shows.
      if (error instanceof DOMException && (error.name === 'AbortError' || error.name === 'NotAllowedError')) return
      setState((s) => ({ ...s, playing: false, failed: true }))
    })
  }, [])

  const attach = useCallback(
    (audio: HTMLAudioElement, track: PlayerTrack, autoplay: boolean) => {
      audio.src = track.url
      // A new source resets playbackRate to defaultPlaybackRate: keep the reader's speed.
      audio.defaultPlaybackRate = rateRef.current
      audio.playbackRate = rateRef.current
      if (autoplay) startPlayback(audio)
    },
    [startPlayback],
  )

  const load = useCallback(
    (track: PlayerTrack, autoplay: boolean) => {
      savePosition()
      trackRef.current = track
      const start = startingPosition(track)
      resumeRef.current = start
      savedAtRef.current = start
      setState((s) => ({ ...IDLE, rate: s.rate, track, position: start }))
      const audio = audioRef.current
      if (audio) attach(audio, track, autoplay)
      else pendingRef.current = { autoplay }
    },
    [attach, savePosition],
  )

  // React calls this when the <audio> element appears (a track was chosen) or goes (closed).
  const audioElement = useCallback(
    (audio: HTMLAudioElement | null) => {
      audioRef.current = audio
      const pending = pendingRef.current
      const track = trackRef.current
      if (audio && pending && track) {
        pendingRef.current = null
        attach(audio, track, pending.autoplay)
      }
    },
    [attach],
  )

  const seekTo = useCallback((seconds: number) => {
    if (!trackRef.current) return
    const audio = audioRef.current
    const target = clampTime(seconds, audio?.duration ?? Number.NaN)
    // Before the element exists or has the metadata it cannot seek: go there once it can.
    if (!audio || resumeRef.current !== null || audio.readyState === 0) resumeRef.current = target
    else audio.currentTime = target
    setState((s) => ({ ...s, position: target, ended: false }))
  }, [])

  // The actions stay the same functions for the life of the page: views may depend on them in effects.
  const actions = useMemo<Omit<Player, 'hydrated' | 'state' | 'fullViews'>>(() => {
    const isLoaded = (track: PlayerTrack) => trackRef.current?.date === track.date
    const currentPosition = () => resumeRef.current ?? audioRef.current?.currentTime ?? 0
    return {
      cue: (track) => {
        if (!isLoaded(track)) load(track, false)
      },
      play: (track) => {
        const audio = audioRef.current
        if (isLoaded(track) && audio) startPlayback(audio)
        else load(track, true)
      },
      pause: () => audioRef.current?.pause(),
      seek: (track, seconds) => {
        if (!isLoaded(track)) load(track, false)
        seekTo(seconds)
      },
      skip: (track, by) => {
        if (!isLoaded(track)) load(track, false)
        seekTo(skipTarget(currentPosition(), by, knownDuration(audioRef.current?.duration ?? Number.NaN, track.durationMs)))
      },
      setRate: (rate) => {
        rateRef.current = rate
        const audio = audioRef.current
        if (audio) {
          audio.defaultPlaybackRate = rate
          audio.playbackRate = rate
        }
        setState((s) => ({ ...s, rate }))
      },
      close: () => {
        const audio = audioRef.current
        savePosition()
        audio?.pause()
        trackRef.current = null
        resumeRef.current = null
        pendingRef.current = null
        // Stop fetching: the element goes away with the track.
        audio?.removeAttribute('src')
        audio?.load()
        setState((s) => ({ ...IDLE, rate: s.rate }))
      },
      showFull: (date) => {
        setFullViews((dates) => [...dates, date])
        return () =>
          setFullViews((dates) => {
            const at = dates.indexOf(date)
            return at === -1 ? dates : [...dates.slice(0, at), ...dates.slice(at + 1)]
          })
      },
    }
  }, [load, savePosition, seekTo, startPlayback])
  const player = useMemo<Player>(() => ({ hydrated, state, fullViews, ...actions }), [hydrated, state, fullViews, actions])

  // A reload or a closed tab keeps the position too.
  useEffect(() => {
    window.addEventListener('pagehide', savePosition)
    return () => window.removeEventListener('pagehide', savePosition)
  }, [savePosition])

  useMediaSession(audioRef, state, { hydrated, seekTo, startPlayback })

  const fromAudio = (update: (audio: HTMLAudioElement) => Partial<PlayerState>) => (event: { currentTarget: HTMLAudioElement }) => {
    const patch = update(event.currentTarget)
    setState((s) => ({ ...s, ...patch }))
  }

  return (
    <PlayerContext.Provider value={player}>
      {children}
      {hydrated && state.track ? (
        <audio
          ref={audioElement}
          preload="metadata"
          onLoadedMetadata={fromAudio((audio) => {
            const resume = resumeRef.current
            resumeRef.current = null
            if (resume !== null && resume > 0) audio.currentTime = clampTime(resume, audio.duration)
            return { duration: audio.duration }
          })}
          onDurationChange={fromAudio((audio) => ({ duration: audio.duration }))}
          onPlay={fromAudio(() => ({ playing: true, engaged: true, ended: false, failed: false }))}
          onPause={fromAudio(() => {
            savePosition()
            return { playing: false }
          })}
          onTimeUpdate={fromAudio((audio) => {
            if (Math.abs(audio.currentTime - savedAtRef.current) >= SAVE_EVERY_SECONDS) savePosition()
            return resumeRef.current === null ? { position: audio.currentTime } : {}
          })}
          onSeeked={fromAudio((audio) => {
            savePosition()
            return { position: audio.currentTime }
          })}
          onRateChange={fromAudio((audio) => (isPlaybackRate(audio.playbackRate) ? { rate: audio.playbackRate } : {}))}
          onEnded={fromAudio(() => {
            savePosition()
            return { playing: false, ended: true }
          })}
          onError={fromAudio(() => ({ playing: false, failed: true }))}
        />
      ) : null}
    </PlayerContext.Provider>
  )
}

/**
 * Lock screens, headphones and the browser's media controls: what is playing (metadata) and the
 * actions they may send. Browsers without the Media Session API just do without.
 */
function useMediaSession(
  audioRef: { current: HTMLAudioElement | null },
  state: PlayerState,
  { hydrated, seekTo, startPlayback }: { hydrated: boolean; seekTo: (seconds: number) => void; startPlayback: (audio: HTMLAudioElement) => void },
) {
  const { track, playing, duration, rate, position } = state

  useEffect(() => {
    if (!hydrated || !('mediaSession' in navigator)) return
    const session = navigator.mediaSession
    const at = () => audioRef.current?.currentTime ?? 0
    const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
      ['play', () => audioRef.current && startPlayback(audioRef.current)],
      ['pause', () => audioRef.current?.pause()],
      ['seekbackward', (details) => seekTo(at() - (details.seekOffset ?? SKIP_SECONDS))],
      ['seekforward', (details) => seekTo(at() + (details.seekOffset ?? SKIP_SECONDS))],
      ['seekto', (details) => (details.seekTime != null ? seekTo(details.seekTime) : undefined)],
    ]
    for (const [action, handler] of handlers) setActionHandler(session, action, handler)
    return () => {
      for (const [action] of handlers) setActionHandler(session, action, null)
    }
  }, [audioRef, hydrated, seekTo, startPlayback])

  useEffect(() => {
    if (!hydrated || !('mediaSession' in navigator)) return
    const session = navigator.mediaSession
    if (!track) {
      session.metadata = null
      return
    }
    if (typeof MediaMetadata === 'undefined') return
    const artwork = track.artworkUrl ? [{ src: track.artworkUrl }] : [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' }]
    session.metadata = new MediaMetadata({ title: track.title, artist: t.site.name, album: t.player.album, artwork })
  }, [hydrated, track])

  useEffect(() => {
    if (!hydrated || !('mediaSession' in navigator)) return
    navigator.mediaSession.playbackState = track ? (playing ? 'playing' : 'paused') : 'none'
  }, [hydrated, track, playing])

  // The lock screen's progress bar: only once the length is known (the API refuses otherwise).
  const seconds = Math.floor(position)
  useEffect(() => {
    if (!hydrated || !('mediaSession' in navigator) || !('setPositionState' in navigator.mediaSession)) return
    if (!track || !Number.isFinite(duration) || duration <= 0) return
    try {
      navigator.mediaSession.setPositionState({ duration, playbackRate: rate, position: clampTime(seconds, duration) })
    } catch {
      // an out-of-range state is skipped, the next update corrects it
    }
  }, [hydrated, track, duration, rate, seconds])
}

function setActionHandler(session: MediaSession, action: MediaSessionAction, handler: MediaSessionActionHandler | null) {
  try {
    session.setActionHandler(action, handler)
  } catch {
    // this browser does not know the action
  }
}

/**
 * How a track is playing, for a page that follows it (a lesson reports its position to the
 * server): all zero and false while another track, or none, is loaded.
 */
export function useTrackPlayback(key: string) {
  const player = usePlayer()
  const loaded = player?.state.track?.date === key
  const state = loaded ? player!.state : null
  return { playing: Boolean(state?.playing), ended: Boolean(state?.ended), position: state?.position ?? 0 }
}

/** How the full player sees its track: live from the shared audio, or as stored when another plays. */
function useTrackView(player: Player | null, track: PlayerTrack) {
  const loaded = player?.state.track?.date === track.date
  const [stored, setStored] = useState(0)
  useEffect(() => {
    if (player?.hydrated && !loaded) setStored(startingPosition(track))
  }, [player?.hydrated, loaded, track])
  const state = player?.state
  return {
    loaded,
    playing: Boolean(loaded && state?.playing),
    position: loaded && state ? state.position : stored,
    duration: knownDuration(loaded && state ? state.duration : Number.NaN, track.durationMs),
    failed: Boolean(loaded && state?.failed),
  }
}

const FOCUS_RING = 'focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2'

/**
 * A daily's player. On the server and during hydration it is the browser's own <audio controls>
 * (what a reader without JavaScript keeps); once hydrated it is the full player, a view onto the
 * shared audio of PlayerProvider.
 */
export function DailyPlayer({ date, title, url, durationMs, artworkUrl, href, resumeAt }: PlayerTrack) {
  const player = usePlayer()
  const track = useMemo(() => ({ date, title, url, durationMs, artworkUrl, href, resumeAt }), [date, title, url, durationMs, artworkUrl, href, resumeAt])
  const view = useTrackView(player, track)
  const hydrated = player?.hydrated ?? false
  const current = player?.state.track ?? null
  // Load this daily when nothing else is in the reader's ear: no track, or one only cued or finished.
  const shouldCue = hydrated && current?.date !== date && (!current || !player?.state.engaged || player.state.ended)
  const cue = player?.cue
  const showFull = player?.showFull
  useEffect(() => {
    if (shouldCue && cue) cue(track)
  }, [shouldCue, cue, track])
  useEffect(() => (hydrated && showFull ? showFull(date) : undefined), [hydrated, showFull, date])

  const caption = (
    <figcaption className="mb-2 flex items-center justify-between text-sm font-medium text-brand-800">
      <span>{t.daily.listen}</span>
      {durationMs ? <span>{t.daily.seconds(Math.floor(durationMs / 1000))}</span> : null}
    </figcaption>
  )

  if (!player || !hydrated) {
    return (
      <figure className="rounded-xl bg-brand-50 p-3">
        {caption}
        <audio controls preload="metadata" src={url} className="w-full">
          <a href={url}>{t.daily.listen}</a>
        </audio>
      </figure>
    )
  }

  const elapsed = formatClock(view.position)
  const total = formatClock(view.duration)
  const rate = player.state.rate
  return (
    <figure className="rounded-xl bg-brand-50 p-3 sm:p-4">
      {caption}
      <input
        type="range"
        aria-label={t.player.progress}
        aria-valuetext={t.player.progressText(elapsed, total)}
        min={0}
        max={Math.max(1, Math.floor(view.duration))}
        step={1}
        value={Math.floor(view.position)}
        onChange={(event) => player.seek(track, Number(event.currentTarget.value))}
        className={`block h-11 w-full cursor-pointer rounded accent-brand-700 ${FOCUS_RING} focus-visible:ring-offset-brand-50`}
      />
      <p aria-hidden className="-mt-1 flex justify-between text-xs tabular-nums text-stone-600">
        <span>{elapsed}</span>
        <span>{total}</span>
      </p>
      <div className="mt-2 flex items-center justify-center gap-5 sm:gap-8">
        <SkipButton by={-SKIP_SECONDS} onClick={() => player.skip(track, -SKIP_SECONDS)} />
        <PlayPauseButton
          playing={view.playing}
          size="large"
          onClick={() => (view.playing ? player.pause() : player.play(track))}
        />
        <SkipButton by={SKIP_SECONDS} onClick={() => player.skip(track, SKIP_SECONDS)} />
      </div>
      <div role="group" aria-label={t.player.rate} className="mt-3 flex items-center justify-center gap-1">
        <span aria-hidden className="mr-1 text-xs text-stone-600">
          {t.player.rate}
        </span>
        {PLAYBACK_RATES.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={rate === option}
            aria-label={t.player.rateOption(option)}
            onClick={() => player.setRate(option)}
            className={`h-11 min-w-11 rounded-full px-2 text-sm font-semibold tabular-nums transition ${FOCUS_RING} focus-visible:ring-offset-brand-50 ${
              rate === option ? 'bg-brand-700 text-white' : 'text-brand-800 hover:bg-brand-100'
            }`}
          >
            {formatRate(option)}
          </button>
        ))}
      </div>
      {view.failed ? (
        <p role="alert" className="mt-2 text-center text-sm text-red-700">
          {t.player.loadFailed}
        </p>
      ) : null}
    </figure>
  )
}

/**
 * The track playing (or paused mid-way) while the reader is anywhere but its daily: docked at
 * the bottom of the viewport, with the way back to the daily.
 */
export function MiniPlayer() {
  const player = usePlayer()
  const track = player?.state.track ?? null
  const shown = Boolean(player && track && player.state.engaged && !player.state.ended && !player.fullViews.includes(track.date))

  // The page keeps its last lines above the docked player.
  useEffect(() => {
    if (!shown) return
    const body = document.body
    const before = body.style.paddingBottom
    body.style.paddingBottom = MINI_PLAYER_SPACE
    return () => {
      body.style.paddingBottom = before
    }
  }, [shown])

  if (!player || !track || !shown) return null
  const { state } = player
  const duration = knownDuration(state.duration, track.durationMs)
  const progress = duration > 0 ? Math.min(100, (state.position / duration) * 100) : 0
  return (
    <section
      aria-label={t.player.nowPlaying}
      className="fixed inset-x-0 bottom-0 z-30 border-t border-stone-200 bg-white/95 pb-[env(safe-area-inset-bottom)] shadow-[0_-4px_16px_rgba(0,0,0,0.08)] backdrop-blur"
    >
      <div aria-hidden className="absolute inset-x-0 top-0 h-0.5 bg-brand-100">
        <div className="h-full bg-brand-700" style={{ width: `${progress}%` }} />
      </div>
      <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-2.5">
        <PlayPauseButton playing={state.playing} size="small" onClick={() => (state.playing ? player.pause() : player.play(track))} />
        <Link
          to={track.href ?? `/daily/${track.date}`}
          aria-label={t.player.backToDaily(track.title)}
          className={`min-w-0 flex-1 rounded-lg py-0.5 ${FOCUS_RING}`}
        >
          <span className="block text-xs text-brand-700">
            {t.player.nowPlaying} · <span className="tabular-nums">{`${formatClock(state.position)} / ${formatClock(duration)}`}</span>
          </span>
          <span className="block truncate text-[15px] font-medium text-stone-900">{track.title}</span>
        </Link>
        <button
          type="button"
          aria-label={t.player.close}
          onClick={player.close}
          className={`flex h-11 w-11 shrink-0 items-center justify-center rounded-full text-stone-500 hover:bg-stone-100 hover:text-stone-800 ${FOCUS_RING}`}
        >
          <svg aria-hidden viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </div>
    </section>
  )
}

/** The room the docked player takes (its height and the home-indicator inset). */
const MINI_PLAYER_SPACE = 'calc(4.5rem + env(safe-area-inset-bottom))'

function PlayPauseButton({ playing, size, onClick }: { playing: boolean; size: 'large' | 'small'; onClick: () => void }) {
  const box = size === 'large' ? 'h-16 w-16 shadow-md' : 'h-11 w-11 shadow-sm'
  const icon = size === 'large' ? 'h-8 w-8' : 'h-5 w-5'
  return (
    <button
      type="button"
      aria-label={playing ? t.player.pause : t.player.play}
      onClick={onClick}
      className={`flex shrink-0 items-center justify-center rounded-full bg-brand-700 text-white transition hover:bg-brand-800 ${box} ${FOCUS_RING}`}
    >
      <svg aria-hidden viewBox="0 0 24 24" className={icon} fill="currentColor">
        {playing ? <path d="M6 5h4v14H6zM14 5h4v14h-4z" /> : <path d="M8 5.5v13a1 1 0 0 0 1.5.86l10.2-6.5a1 1 0 0 0 0-1.72L9.5 4.64A1 1 0 0 0 8 5.5z" />}
      </svg>
    </button>
  )
}

function SkipButton({ by, onClick }: { by: number; onClick: () => void }) {
  const back = by < 0
  const seconds = Math.abs(by)
  return (
    <button
      type="button"
      aria-label={back ? t.player.skipBack(seconds) : t.player.skipForward(seconds)}
      onClick={onClick}
      className={`relative flex h-12 w-12 items-center justify-center rounded-full text-brand-800 transition hover:bg-brand-100 ${FOCUS_RING} focus-visible:ring-offset-brand-50`}
    >
      <svg aria-hidden viewBox="0 0 24 24" className="h-9 w-9" fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round">
        {back ? <path d="M4.5 12a7.5 7.5 0 1 0 2.2-5.3M4.5 3.5v3.7h3.7" /> : <path d="M19.5 12a7.5 7.5 0 1 1-2.2-5.3M19.5 3.5v3.7h-3.7" />}
      </svg>
      <span aria-hidden className="absolute text-[11px] font-bold tabular-nums">
        {seconds}
      </span>
    </button>
  )
}
