// How many requests this process works on at once (docs/decisions/041-admission.md). Each request
// to the app runs on the event loop; on a local database file even its queries do. With 200 in
// flight every turn of the loop took a step of each, so a timer, a new connection or a payment
// notice waited for all of them (event-loop delay p99 64–145 ms under the storm). Past `limit`, a
// request waits here in arrival order, costing nothing, and starts on a later turn of the loop.
import type { ServerResponse } from 'node:http'
import onHeaders from 'on-headers'
import { onALaterTurn } from '../db/loop-turns'
import { runInTurn, type Turn } from '~/utils/request-turn.server'

export interface AdmissionOptions {
  /** Requests worked on at once; 0 for no limit. */
  limit: number
  /** How long a request may wait for its turn before it is answered `refuse` (ms). */
  maxWaitMs: number
  /** Requests that may wait; the next one is answered `refuse` at once. */
  maxWaiting: number
  /** The answer to a request that cannot be taken: 503 with Retry-After. */
  refuse(res: ServerResponse): void
}

export interface AdmissionStats {
  working: number
  waiting: number
  /** Requests answered `refuse` since start: the queue was full or their wait ran out. */
  refused: number
}

interface Waiter {
  res: ServerResponse
  start: () => void
  timer: NodeJS.Timeout
}

export interface Admission {
  /** Runs `start` now if the process has room, else when its turn comes. */
  admit(res: ServerResponse, start: () => void): void
  stats(): AdmissionStats
}

export function createAdmission({ limit, maxWaitMs, maxWaiting, refuse }: AdmissionOptions): Admission {
  let working = 0
  let refused = 0
  const waiting: Waiter[] = []

  // A request stops counting once its headers are out: what is left is sending the body, which a
  // slow phone or a long video may take minutes over without the process doing any work for it.
  // It also gives its place back while it waits on another service (awayWhile).
  function work(res: ServerResponse, start: () => void) {
    working += 1
    let counted = true
    let answered = false
    const turn: Turn = {
      leave() {
        if (!counted) return
        counted = false
        working -= 1
        admitNext()
      },
      rejoin() {
        if (counted || answered) return
        counted = true
        working += 1
      },
    }
    const done = () => {
      answered = true
      turn.leave()
    }
    onHeaders(res, done)
    res.once('close', done)
    runInTurn(turn, start)
  }

  function admitNext() {
    while (working < limit && waiting.length > 0) {
      const next = waiting.shift()!
      clearTimeout(next.timer)
      if (next.res.destroyed) continue
      // Started on a later turn: `done` runs inside another response's writeHead, and a request
      // started there would run before that response is even sent.
      startOnALaterTurn(next.res, next.start)
    }
  }

  // Reserved now, started on a later turn (decision 059): requests admitted together do not
  // run in one turn of the loop.
  function startOnALaterTurn(res: ServerResponse, start: () => void) {
    working += 1
    onALaterTurn(() => {
      working -= 1
      work(res, start)
    })
  }

  function leave(waiter: Waiter) {
    const at = waiting.indexOf(waiter)
    if (at !== -1) waiting.splice(at, 1)
    clearTimeout(waiter.timer)
  }

  return {
    admit(res, start) {
      if (limit === 0) return work(res, start)
      if (working < limit && waiting.length === 0) return startOnALaterTurn(res, start)
      if (waiting.length >= maxWaiting) {
        refused += 1
        return refuse(res)
      }
      const waiter: Waiter = {
        res,
        start,
        timer: setTimeout(() => {
          leave(waiter)
          refused += 1
          refuse(res)
        }, maxWaitMs),
      }
      waiting.push(waiter)
      // A reader who gave up waiting is not worked for.
      res.once('close', () => leave(waiter))
    },
    stats: () => ({ working, waiting: waiting.length, refused }),
  }
}
