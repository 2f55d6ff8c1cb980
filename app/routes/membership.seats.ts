import type { LiveSeatsPayload } from '~/components/drop'
import { getLiveSeats } from '~/models/drop.server'

// Seats left per tier of the current drop and the server's clock, polled by /membership every
// few seconds. The seats come from a reading at most a second old, shared by all polls
// (getLiveSeats); serverNow is this answer's own, as it corrects the page's countdown for the
// device's clock, so HTTP caches must not keep it. A hot route (server/main.ts): the server
// calls hotJson directly, Remix calls the loader.
export async function hotJson() {
  const now = new Date()
  const live = await getLiveSeats(now)
  const data: LiveSeatsPayload = {
    serverNow: now.getTime(),
    dropId: live?.dropId ?? null,
    window: live?.window ?? null,
    tiers: live?.tiers ?? [],
  }
  return { status: 200, data }
}

export async function loader() {
  const { status, data } = await hotJson()
  return Response.json(data, { status, headers: { 'Cache-Control': 'no-store' } })
}
