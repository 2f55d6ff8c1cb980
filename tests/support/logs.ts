// What the process's logger writes, read back as JSON lines instead of going to stdout.
import { redirectLogs } from '~/utils/log.server'

export interface LogLine {
  level: number
  msg: string
  reqId?: string
  req?: { method: string; url: string }
  res?: { statusCode: number }
  err?: { message: string; stack?: string }
  [field: string]: unknown
}

/** Log lines written from now on at `level` and above (info unless said), until `stop()`. */
export function captureLogs(level: Parameters<typeof redirectLogs>[1] = 'info') {
  const raw: string[] = []
  const stop = redirectLogs({ write: (line: string) => void raw.push(line) }, level)
  return {
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as LogLine),
    stop,
  }
}
