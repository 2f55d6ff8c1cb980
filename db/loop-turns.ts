// Pieces of work spread over turns of the event loop, a few milliseconds of them per turn
// (decision 059). On a local file a request's queries resolve at once, so whatever a request does
// between two real waits — its loader's reads, its action's decision, its render — runs without a
// break. When eight such pieces became ready together (eight requests admitted, or a write group's
// callers told of its COMMIT), one turn ran all eight, and every timer, new connection and payment
// notice of the process waited for the lot: event-loop delay p99 62–142 ms under the storm.
//
// A turn gives each piece a slot of its own, a `setImmediate` callback: Node runs a piece's
// promise reactions (the rest of what its request does until its next real wait) before the next
// slot, which runs its piece only while the turn is within its budget. The last slot schedules the
// pieces left for the next turn: an immediate queued by an immediate runs on the next turn, after
// the loop's timers and I/O.
const pieces: Array<() => void> = []
let scheduled = false
let turnStartedAt: number | null = null

/** A turn runs pieces for this long at most (its first piece always runs), then leaves the rest to the next. */
const TURN_BUDGET_MS = 5
/** Most pieces one turn may run (the admission's eight requests, decision 041). */
const MOST_PER_TURN = 8

/** Runs `piece` on a later turn of the event loop, after the pieces given before it. */
export function onALaterTurn(piece: () => void) {
  pieces.push(piece)
  if (!scheduled) scheduleTurn()
}

/** Resolves once every piece given before it has run (on the next turn when none is waiting). */
export function afterWaitingPieces(): Promise<void> {
  return new Promise((resolve) => onALaterTurn(resolve))
}

function scheduleTurn() {
  scheduled = true
  turnStartedAt = null
  const slots = Math.min(pieces.length, MOST_PER_TURN)
  for (let slot = 1; slot <= slots; slot++) setImmediate(runSlot, slot === slots)
}

function runSlot(last: boolean) {
  turnStartedAt ??= performance.now()
  try {
    if (pieces.length > 0 && performance.now() - turnStartedAt < TURN_BUDGET_MS) pieces.shift()!()
  } finally {
    if (last) {
      scheduled = false
      if (pieces.length > 0) scheduleTurn()
    }
  }
}
