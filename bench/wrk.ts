// wrk (Debian's `wrk` package, C) as the load generator for plain GETs when it is installed.
// autocannon runs in Node and needs about a core of its own to keep 50 connections busy: on a
// 2-core machine it left one core to the servers, so pages could not grow with processes. wrk
// drives the same load with a fraction of that (measured: one process served GET / at 14,500
// req/s under autocannon, 32,500 under wrk, 15:17 UTC).
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'

export interface WrkResult {
  rps: number
  p99Ms: number
  errors: number
  non2xx: number
}

/** Whether `wrk` is on the PATH. */
export function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
    return true
  } catch (error) {
    // wrk --version prints its banner and exits 1; only a missing binary throws ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

/** One wrk thread with `connections` keep-alive connections GETting `url` for `seconds`. */
export async function runWrk(url: string, { connections, seconds, headers }: { connections: number; seconds: number; headers: Record<string, string> }): Promise<WrkResult> {
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const { stdout } = await promisify(execFile)('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...headerArgs, url])
  return parseWrk(stdout)
}

/** The figures of wrk's report (its text output: it has no machine-readable one without Lua). */
export function parseWrk(report: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(report)
  if (!rps) throw new Error(`wrk printed no rate:\n${report}`)
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\b/m.exec(report)
  const unit = { us: 0.001, ms: 1, s: 1000 } as const
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report)
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(report)
  return {
    rps: Number(rps[1]),
    p99Ms: p99 ? Number(p99[1]) * unit[p99[2] as keyof typeof unit] : NaN,
    errors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
  }
}
