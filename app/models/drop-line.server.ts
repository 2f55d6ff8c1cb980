// The drop's waiting room (docs/decisions/031-drop-waiting-room.md). While fewer buyers are deciding
// a seat than the admission window, a seat request goes straight to the reservation core as
// before. Once the window is full, or anyone is already waiting, a request gets a place in line
// instead: arrival order, one place per buyer and drop, a signed ticket. The page asks about the
// place every second or few (checkPlace); the first `window` live places are admitted, in order,
// each admission decided by one conditional UPDATE; an admitted buyer's request (requestSeat with
// the ticket) claims the place once and then holds the seat through placeSeatOrder. A place
// whose page stops asking lapses, and the line moves without it.
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { orders } from '../../db/schema'
import { dropWindow, seatKey } from '~/domain/drop'
import {
  LINE_ADMITTED_LAPSE_MS,
  LINE_RATE_SPAN_MS,
  LINE_SEEN_LAPSE_MS,
  LINE_TOUCH_EVERY_MS,
  isAdmissible,
  isLivePlace,
  lineEtaSeconds,
  lineFullReason,
  linePollMs,
  type LineFullReason,
  type LinePlace,
} from '~/domain/drop-line'
import { LIVE_ORDER_STATES } from '~/domain/order'
import { isSiteSignature, siteSignature } from '~/utils/crypto.server'
import { db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { getDrop, getLiveSeats, listDropTiers, placeSeatOrder, type SeatOrderResult } from './drop.server'

type SeatRefusal = Exclude<SeatOrderResult, { ok: true }>['reason']

/** How many buyers may be deciding a seat at once (DROP_LINE_WINDOW). */
export function lineWindow() {
  return getEnv().DROP_LINE_WINDOW
}

// ---- seats being decided in this process -------------------------------------------------------

// Seat requests inside the reservation core right now, in this process (one process per database
// file, decision 003). They count against the window like admitted places: a burst that arrives
// before anyone waits is what engages the line. On a local file libsql runs each statement
// synchronously, so today's core finishes a hold within one turn of the event loop and this count
// stays at 0–1; it grows when decisions wait on something (a grouped write, a remote database).
let deciding = 0

async function decideSeat<T>(decide: () => Promise<T>): Promise<T> {
  deciding += 1
  try {
    return await decide()
  } finally {
    deciding -= 1
  }
}

/** Seat requests being decided in this process now (the admin's live page, tests). */
export function seatsDeciding() {
  return deciding
}

// ---- tickets ----------------------------------------------------------------------------------

// `<dropId>.<position>.<signature>`: the signature covers the buyer's user id, so a ticket copied
// into another account does not verify, and the position, so a ticket from an earlier place (used,
// or lapsed and replaced) names a place the buyer no longer has.
const TICKET = /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/

function ticketSubject(dropId: number, userId: number, position: number) {
  return `drop-line:${dropId}:${userId}:${position}`
}

/** The ticket of a place: the same every time it is asked for, so a reload or a retry gets the same one. */
export function lineTicket({ dropId, userId, position }: { dropId: number; userId: number; position: number }) {
  return `${dropId}.${position}.${siteSignature(ticketSubject(dropId, userId, position))}`
}

/** The place a ticket names, if the site signed it for this buyer and this drop; null otherwise. */
export function readTicket(ticket: string, { dropId, userId }: { dropId: number; userId: number }): { position: number } | null {
  const match = TICKET.exec(ticket)
  if (!match || Number(match[1]) !== dropId) return null
  const position = Number(match[2])
  return isSiteSignature(ticketSubject(dropId, userId, position), match[3]!) ? { position } : null
}

// ---- SQL fragments ----------------------------------------------------------------------------

/** A place still in play at `now` (the SQL twin of isLivePlace), for the table under `alias`. */
function livePlace(alias: string, now: Date) {
  const t = sql.raw(alias)
  const seenAfter = now.getTime() - LINE_SEEN_LAPSE_MS
  const admittedAfter = now.getTime() - LINE_ADMITTED_LAPSE_MS
  return sql`(${t}.done_at IS NULL AND ((${t}.admitted_at IS NULL AND ${t}.last_seen_at > ${seenAfter}) OR ${t}.admitted_at > ${admittedAfter}))`
}

/** Live places of the drop ahead of `position`: the count that decides admission. */
function unfinishedAheadSql(dropId: number, position: number | SQL, now: Date) {
  return sql`(SELECT count(*) FROM drop_line_entries a WHERE a.drop_id = ${dropId} AND a.done_at IS NULL AND a.position < ${position} AND ${livePlace('a', now)})`
}

// ---- reading a place --------------------------------------------------------------------------

interface PlaceRow {
  id: number
  position: number
  dropTierId: number
  lastSeenAt: Date
  admittedAt: Date | null
  doneAt: Date | null
  /** Live places ahead, admitted or waiting: they may take a seat first. */
  unfinishedAhead: number
  /** Of those, the ones still waiting: the people the buyer sees ahead of them. */
  waitingAhead: number
  /** Of those, the ones that chose the same tier. */
  sameTierAhead: number
}

/** The buyer's place in the drop's line with the counts ahead of it, in one read; null if they never joined. */
async function readPlace({ dropId, userId, now }: { dropId: number; userId: number; now: Date }): Promise<PlaceRow | null> {
  const [row] = await db.all<Record<string, number | null>>(sql`
    SELECT e.id, e.position, e.drop_tier_id, e.last_seen_at, e.admitted_at, e.done_at,
           count(a.id) AS unfinished_ahead,
           coalesce(sum(a.admitted_at IS NULL), 0) AS waiting_ahead,
           coalesce(sum(a.drop_tier_id = e.drop_tier_id), 0) AS same_tier_ahead
    FROM drop_line_entries e
    LEFT JOIN drop_line_entries a
      ON a.drop_id = e.drop_id AND a.done_at IS NULL AND a.position < e.position AND ${livePlace('a', now)}
    WHERE e.drop_id = ${dropId} AND e.user_id = ${userId}
    GROUP BY e.id`)
  if (!row) return null
  const at = (value: number | null | undefined) => (value === null || value === undefined ? null : new Date(Number(value)))
  return {
    id: Number(row.id),
    position: Number(row.position),
    dropTierId: Number(row.drop_tier_id),
    lastSeenAt: new Date(Number(row.last_seen_at)),
    admittedAt: at(row.admitted_at),
    doneAt: at(row.done_at),
    unfinishedAhead: Number(row.unfinished_ahead),
    waitingAhead: Number(row.waiting_ahead),
    sameTierAhead: Number(row.same_tier_ahead),
  }
}

// Admissions of the last LINE_RATE_SPAN_MS per drop, read at most once a second: every page in
// line asks for its ETA, and the pace changes slowly.
const paceReadings = new Map<number, { takenAt: number; value: Promise<number> }>()

function recentAdmissions(dropId: number, now: Date) {
  const at = now.getTime()
  const cached = paceReadings.get(dropId)
  if (cached && at >= cached.takenAt && at - cached.takenAt < 1000) return cached.value
  const value = db
    .all<{ n: number }>(
      sql`SELECT count(*) AS n FROM drop_line_entries WHERE drop_id = ${dropId} AND admitted_at > ${at - LINE_RATE_SPAN_MS} AND admitted_at <= ${at}`,
    )
    .then(([row]) => Number(row?.n ?? 0))
  paceReadings.set(dropId, { takenAt: at, value })
  value.catch(() => paceReadings.delete(dropId))
  return value
}

/** The drop's window and seats left per tier at `now` (the shared reading of /membership/seats when it is this drop). */
async function dropSeats(dropId: number, now: Date) {
  const live = await getLiveSeats(now)
  if (live?.dropId === dropId) return { window: live.window, seats: new Map(live.tiers.map((tier) => [tier.id, tier.available])) }
  const drop = await getDrop(dropId)
  if (!drop) return null
  const tiers = await listDropTiers(dropId, now)
  return { window: dropWindow(drop, now), seats: new Map(tiers.map((tier) => [tier.id, tier.available])) }
}

async function waitingPlace(place: PlaceRow, dropId: number, now: Date, window: number): Promise<LinePlace> {
  const recent = await recentAdmissions(dropId, now)
  return {
    state: 'waiting',
    ahead: place.waitingAhead,
    etaSeconds: lineEtaSeconds({ ahead: place.waitingAhead, recentAdmissions: recent }),
    pollMs: linePollMs({ ahead: place.waitingAhead, window }),
  }
}

// ---- writing a place --------------------------------------------------------------------------

/** Takes a place at the back of the line, or keeps the live one the buyer already has (one per buyer and drop). */
async function joinLine({ dropId, dropTierId, userId, now }: { dropId: number; dropTierId: number; userId: number; now: Date }) {
  const at = now.getTime()
  // The buyer's place stays theirs while live, and once used to buy it stays used while that seat
  // is being decided (a flood of requests from one account finds one place, used once). A buyer
  // whose place lapsed, was told 已满, or was used a while ago starts again at the back.
  const live = sql`(${livePlace('drop_line_entries', now)} OR (drop_line_entries.outcome = 'buy' AND drop_line_entries.done_at > ${at - LINE_ADMITTED_LAPSE_MS}))`
  const [row] = await db.all<{ position: number }>(sql`
    INSERT INTO drop_line_entries (drop_id, user_id, drop_tier_id, position, joined_at, last_seen_at)
    VALUES (${dropId}, ${userId}, ${dropTierId},
            (SELECT coalesce(max(position), 0) + 1 FROM drop_line_entries WHERE drop_id = ${dropId}), ${at}, ${at})
    ON CONFLICT (drop_id, user_id) DO UPDATE SET
      position = CASE WHEN ${live} THEN drop_line_entries.position ELSE excluded.position END,
      joined_at = CASE WHEN ${live} THEN drop_line_entries.joined_at ELSE excluded.joined_at END,
      admitted_at = CASE WHEN ${live} THEN drop_line_entries.admitted_at ELSE NULL END,
      drop_tier_id = excluded.drop_tier_id,
      last_seen_at = excluded.last_seen_at,
      done_at = CASE WHEN ${live} THEN drop_line_entries.done_at ELSE NULL END,
      outcome = CASE WHEN ${live} THEN drop_line_entries.outcome ELSE NULL END
    RETURNING position`)
  return { position: Number(row!.position) }
}

/**
 * The buyer's turn, taken once: the place (named by its position) is marked used if it is
 * admitted, or may be admitted now, while it is still live. Returns the tier chosen when joining,
 * or null if the place cannot buy now. Two requests with one ticket: one claims, one finds it used.
 */
async function claimTurn({ dropId, userId, position, now, window }: { dropId: number; userId: number; position: number; now: Date; window: number }) {
  const at = now.getTime()
  const [row] = await db.all<{ drop_tier_id: number }>(sql`
    UPDATE drop_line_entries
    SET done_at = ${at}, outcome = 'buy', admitted_at = coalesce(admitted_at, ${at}), last_seen_at = ${at}
    WHERE drop_id = ${dropId} AND user_id = ${userId} AND position = ${position} AND ${livePlace('drop_line_entries', now)}
      AND (admitted_at IS NOT NULL OR ${unfinishedAheadSql(dropId, position, now)} + ${deciding} < ${window})
    RETURNING drop_tier_id`)
  return row ? Number(row.drop_tier_id) : null
}

/** Admits a waiting place if fewer than `window` live places are ahead of it, decided in the UPDATE. */
async function admit({ id, dropId, position, now, window }: { id: number; dropId: number; position: number; now: Date; window: number }) {
  const at = now.getTime()
  const rows = await db.all<{ id: number }>(sql`
    UPDATE drop_line_entries SET admitted_at = ${at}, last_seen_at = ${at}
    WHERE id = ${id} AND admitted_at IS NULL AND ${livePlace('drop_line_entries', now)}
      AND ${unfinishedAheadSql(dropId, position, now)} + ${deciding} < ${window}
    RETURNING id`)
  return rows.length > 0
}

/** Keeps a waiting place live; written only when the last mark is older than LINE_TOUCH_EVERY_MS. */
async function touch(place: PlaceRow, now: Date) {
  if (now.getTime() - place.lastSeenAt.getTime() < LINE_TOUCH_EVERY_MS) return
  await db.run(sql`
    UPDATE drop_line_entries SET last_seen_at = ${now.getTime()}
    WHERE id = ${place.id} AND admitted_at IS NULL AND ${livePlace('drop_line_entries', now)}`)
}

/** Ends a waiting place that can no longer get a seat, so it stops counting for those behind it. */
async function endAsFull(place: PlaceRow, now: Date) {
  await db.run(sql`UPDATE drop_line_entries SET done_at = ${now.getTime()}, outcome = 'full' WHERE id = ${place.id} AND done_at IS NULL`)
}

// ---- what the routes call ---------------------------------------------------------------------

/** Whether a request without a ticket must take a place in line: someone is waiting, or the window is full. */
async function isLineEngaged(dropId: number, now: Date, window: number) {
  if (deciding >= window) return true
  const [row] = await db.all<{ waiting: number; admitted: number }>(sql`
    SELECT
      EXISTS (SELECT 1 FROM drop_line_entries a WHERE a.drop_id = ${dropId} AND a.done_at IS NULL AND a.admitted_at IS NULL
              AND a.last_seen_at > ${now.getTime() - LINE_SEEN_LAPSE_MS}) AS waiting,
      (SELECT count(*) FROM drop_line_entries a WHERE a.drop_id = ${dropId} AND a.done_at IS NULL
              AND a.admitted_at > ${now.getTime() - LINE_ADMITTED_LAPSE_MS}) AS admitted`)
  return Boolean(Number(row?.waiting ?? 0)) || Number(row?.admitted ?? 0) + deciding >= window
}

async function hasLiveSeat(dropId: number, userId: number) {
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.exclusiveKey, seatKey(dropId, userId)), inArray(orders.state, [...LIVE_ORDER_STATES])))
    .limit(1)
  return Boolean(row)
}

export type SeatRequestResult =
  | { kind: 'held'; orderId: number }
  | { kind: 'refused'; reason: SeatRefusal }
  /** In line (waiting), or the line's verdict on the place (full, lapsed, used, closed). */
  | { kind: 'line'; ticket: string; place: LinePlace }
  | { kind: 'ticket_invalid' }

interface SeatRequest {
  dropId: number
  dropTierId: number
  userId: number
  /** The ticket of the buyer's place, sent back once admitted (or by the no-JavaScript 刷新). */
  ticket: string | null
  now: Date
  /** The admission window; DROP_LINE_WINDOW unless a test sets it. */
  window?: number
}

/**
 * A buyer asks for a seat of a drop tier. Without a ticket and with the line quiet, the seat is
 * decided at once as before (placeSeatOrder). Otherwise the buyer takes (or keeps) a place in line
 * and buys only on their turn: admitted in arrival order, the place claimed once, then the seat
 * decided by the reservation core. A buyer who could only be told 已满 is told so in line.
 */
export async function requestSeat({ dropId, dropTierId, userId, ticket, now, window = lineWindow() }: SeatRequest): Promise<SeatRequestResult> {
  let position: number
  if (ticket === null) {
    if (!(await isLineEngaged(dropId, now, window))) return seatDecided(await decideSeat(() => placeSeatOrder({ dropId, dropTierId, userId, now })))
    // The line is engaged: refuse at once what the core would refuse (and the foreign key would
    // not take), before the buyer waits for nothing.
    const seats = await dropSeats(dropId, now)
    if (!seats || !seats.seats.has(dropTierId)) return { kind: 'refused', reason: 'tier_invalid' }
    if (seats.window !== 'open') return { kind: 'refused', reason: seats.window === 'upcoming' ? 'not_open_yet' : 'closed' }
    if (await hasLiveSeat(dropId, userId)) return { kind: 'refused', reason: 'second_seat' }
    position = (await joinLine({ dropId, dropTierId, userId, now })).position
  } else {
    const read = readTicket(ticket, { dropId, userId })
    if (!read) return { kind: 'ticket_invalid' }
    position = read.position
  }
  const claimed = await claimTurn({ dropId, userId, position, now, window })
  if (claimed !== null) return seatDecided(await decideSeat(() => placeSeatOrder({ dropId, dropTierId: claimed, userId, now })))
  return { kind: 'line', ticket: lineTicket({ dropId, userId, position }), place: await judgePlace({ dropId, userId, position, now, window, mayAdmit: false }) }
}

function seatDecided(result: SeatOrderResult): SeatRequestResult {
  return result.ok ? { kind: 'held', orderId: result.orderId } : { kind: 'refused', reason: result.reason }
}

/**
 * What the page in line is told when it asks (POST /membership/line): its place, admitted, or the
 * line's verdict. Asking keeps the place live; the first `window` live places are admitted here.
 * Null when the ticket is not the site's for this buyer and drop.
 */
export async function checkPlace({
  dropId,
  userId,
  ticket,
  now,
  window = lineWindow(),
}: {
  dropId: number
  userId: number
  ticket: string
  now: Date
  window?: number
}): Promise<LinePlace | null> {
  const read = readTicket(ticket, { dropId, userId })
  if (!read) return null
  return judgePlace({ dropId, userId, position: read.position, now, window, mayAdmit: true })
}

async function judgePlace({
  dropId,
  userId,
  position,
  now,
  window,
  mayAdmit,
}: {
  dropId: number
  userId: number
  position: number
  now: Date
  window: number
  mayAdmit: boolean
}): Promise<LinePlace> {
  const place = await readPlace({ dropId, userId, now })
  // A ticket of an earlier place names a position the buyer no longer has: that place was used or replaced.
  if (!place || place.position !== position || place.doneAt) return { state: 'used' }
  if (!isLivePlace(place, now)) return { state: 'lapsed' }
  const drop = await dropSeats(dropId, now)
  if (!drop || drop.window !== 'open') return { state: 'closed' }
  if (place.admittedAt) return { state: 'admitted' }
  const full: LineFullReason | null = lineFullReason({ seatsLeft: drop.seats.get(place.dropTierId) ?? 0, sameTierAhead: place.sameTierAhead })
  if (full) {
    await endAsFull(place, now)
    return { state: 'full', reason: full }
  }
  if (mayAdmit && isAdmissible({ unfinishedAhead: place.unfinishedAhead, deciding, window }) && (await admit({ ...place, dropId, now, window }))) {
    return { state: 'admitted' }
  }
  await touch(place, now)
  return waitingPlace(place, dropId, now, window)
}

/**
 * The viewer's live place in this drop's line, for the page (a reload keeps the place): its ticket,
 * the tier chosen and where it stands. Reads only; the next ask of the page does the rest.
 */
export async function viewerLinePlace({ dropId, userId, now, window = lineWindow() }: { dropId: number; userId: number; now: Date; window?: number }) {
  const place = await readPlace({ dropId, userId, now })
  if (!place || !isLivePlace(place, now)) return null
  return {
    ticket: lineTicket({ dropId, userId, position: place.position }),
    dropTierId: place.dropTierId,
    place: place.admittedAt ? ({ state: 'admitted' } as const) : await waitingPlace(place, dropId, now, window),
  }
}

/** The line's length for the admin: places waiting, and admitted places not yet used. */
export async function lineLength(dropId: number, now: Date) {
  const [row] = await db.all<{ waiting: number; admitted: number }>(sql`
    SELECT coalesce(sum(admitted_at IS NULL), 0) AS waiting, coalesce(sum(admitted_at IS NOT NULL), 0) AS admitted
    FROM drop_line_entries a WHERE a.drop_id = ${dropId} AND a.done_at IS NULL AND ${livePlace('a', now)}`)
  return { waiting: Number(row?.waiting ?? 0), admitted: Number(row?.admitted ?? 0) }
}

