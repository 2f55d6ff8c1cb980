import { useCallback, useEffect, useRef, useState } from 'react'
import { countdownParts } from '~/domain/drop'

/** "2 天 03:04:05", "03:04:05" or "04:05" for a number of milliseconds left. */
export function formatRemaining(ms: number) {
  const { days, hours, minutes, seconds } = countdownParts(Math.ceil(ms / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  const clock = hours > 0 || days > 0 ? `${pad(hours)}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`
  return days > 0 ? `${days} 天 ${clock}` : clock
}

/**
 * The server's time (ms) as this device can tell it, ticking every second. `serverNow` is the
 * server's clock when the page was rendered: the difference to this device's clock is taken
 * off, so a phone whose clock is wrong still counts in the server's time. `refineOffset` puts
 * in a better measurement (the drop page times its polls); a refined offset outlives a new
 * `serverNow`, a loader-based one is taken again from it.
 */
export function useServerClock(serverNow: string | Date | number) {
  const serverMs = new Date(serverNow).getTime()
  const [now, setNow] = useState(serverMs)
  const offset = useRef<{ ms: number; refined: boolean } | null>(null)
  useEffect(() => {
    if (!offset.current?.refined) offset.current = { ms: serverMs - Date.now(), refined: false }
    const tick = () => setNow(Date.now() + (offset.current?.ms ?? 0))
    tick()
    const timer = setInterval(tick, 1000)
    return () => clearInterval(timer)
  }, [serverMs])
  const refineOffset = useCallback((ms: number) => {
    offset.current = { ms, refined: true }
    setNow(Date.now() + ms)
  }, [])
  return { now, refineOffset }
}

/** Time left until `until`, ticking every second in the server's time. Calls `onDone` once at zero. */
export function Countdown({
  until,
  serverNow,
  onDone,
  className = '',
}: {
  until: string | Date
  serverNow: string | Date
  onDone?: () => void
  className?: string
}) {
  const target = new Date(until).getTime()
  const { now } = useServerClock(serverNow)
  const left = target - now
  // Once per target and page load: a new serverNow (revalidation) may call it again.
  const doneFor = useRef<string | null>(null)
  const key = `${target} ${new Date(serverNow).getTime()}`
  useEffect(() => {
    if (left > 0 || doneFor.current === key) return
    doneFor.current = key
    onDone?.()
  }, [left, key, onDone])
  return (
    <span className={`tabular-nums ${className}`} role="timer" aria-live="off">
      {formatRemaining(left)}
    </span>
  )
}
