import type { LiveSeatsPayload } from '~/components/drop'
import { getLiveSeats } from '~/models/drop.server'

// Seats left per tier of the current drop and the server's clock, polled by /membership every
// few seconds. The seats come from a reading at most a second old, shared by all polls
// (getLiveSeats); serverNow is this answer's own, as it corrects the page's countdown for the
// device's clock, so HTTP caches must not keep it.
export async function loader() {
  const now = new Date()
  const live = await getLiveSeats(now)
  const payload: LiveSeatsPayload = {
    serverNow: now.getTime(),
    dropId: live?.dropId ?? null,
    window: live?.window ?? null,
    tiers: live?.tiers ?? [],
  }
  return Response.json(payload, { headers: { 'Cache-Control': 'no-store' } })
}
