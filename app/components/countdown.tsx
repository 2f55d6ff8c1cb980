import { useEffect, useState } from 'react'

/** "2 天 03:04:05", "03:04:05" or "04:05" for a number of milliseconds left. */
export function formatRemaining(ms: number) {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const days = Math.floor(total / 86_400)
  const hours = Math.floor((total % 86_400) / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  const clock = hours > 0 || days > 0 ? `${pad(hours)}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`
  return days > 0 ? `${days} 天 ${clock}` : clock
}

/**
 * Time left until `until`, ticking every second. `serverNow` is the server's clock when the
 * page was rendered: the difference to this device's clock is taken off, so a phone whose
 * clock is wrong still counts down to the server's instant. Calls `onDone` once at zero.
 */
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
  const [left, setLeft] = useState(() => target - new Date(serverNow).getTime())
  useEffect(() => {
    const offset = new Date(serverNow).getTime() - Date.now()
    let done = false
    const tick = () => {
      const remaining = target - (Date.now() + offset)
      setLeft(remaining)
      if (remaining <= 0 && !done) {
        done = true
        onDone?.()
      }
    }
    tick()
    const timer = setInterval(tick, 1000)
    return () => clearInterval(timer)
    // serverNow is fixed per render of the loader data; a new one restarts the clock.
  }, [target, serverNow, onDone])
  return (
    <span className={`tabular-nums ${className}`} role="timer" aria-live="off">
      {formatRemaining(left)}
    </span>
  )
}
