// A request's place among those its process works on at once (server/admission.ts, decision 041),
// given back while the request waits on another service: a payment provider or WeChat taking
// seconds, or down, must not hold the places every other reader needs.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface Turn {
  /** Gives the place back: the next waiting request may start. */
  leave(): void
  /** Takes a place again at once (even past the limit: the request is half done and may hold a write). */
  rejoin(): void
}

declare global {
  var __zhiyinTurn: AsyncLocalStorage<Turn> | undefined
}

// One store for the server (which imports this file) and the Remix build (which bundles its own
// copy of it): the turn the server sets must be the one the app's code reads.
globalThis.__zhiyinTurn ??= new AsyncLocalStorage<Turn>()
const currentTurn = globalThis.__zhiyinTurn

/** Runs a request's work holding `turn`. */
export function runInTurn(turn: Turn, work: () => void) {
  currentTurn.run(turn, work)
}

/** Waits on another service without holding the request's place (outside a request: just waits). */
export async function awayWhile<T>(waitOn: () => Promise<T>): Promise<T> {
  const turn = currentTurn.getStore()
  if (!turn) return waitOn()
  turn.leave()
  try {
    return await waitOn()
  } finally {
    turn.rejoin()
  }
}
