// The drop storm's baseline (bench/storm.ts): a bare node:http server that decides a hold with the
// SQL of bench/holds.ts's "bare hold" — one write batch of the conditional UPDATE of the stock and
// an INSERT of the hold when the UPDATE took a unit — on its own SQLite file (WAL, synchronous
// FULL as the app's connections keep it). No framework, no session lookup, no order, no render:
// what a hold costs at the least over HTTP on this machine. Run by storm.ts, not by hand.
import { createServer } from 'node:http'
import { createClient } from '@libsql/client'

const port = Number(process.env.PORT)
const client = createClient({ url: `file:${process.env.BARE_DB}`, timeout: 5000 })
await client.execute('PRAGMA journal_mode = WAL')
await client.execute('CREATE TABLE stock (id INTEGER PRIMARY KEY, capacity INTEGER NOT NULL, held INTEGER NOT NULL DEFAULT 0)')
await client.execute('CREATE TABLE holds (id INTEGER PRIMARY KEY, stock_id INTEGER NOT NULL, user_id INTEGER NOT NULL UNIQUE)')
// Stock ids are the tier numbers storm.ts sends: 1 亲情, 2 铁杆 (or 1 the shop's edition).
for (const capacity of String(process.env.BARE_CAPACITIES).split(',').map(Number)) {
  await client.execute({ sql: 'INSERT INTO stock (capacity) VALUES (?)', args: [capacity] })
}

createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString())
    const stockId = Number(form.get('stock'))
    const userId = Number(form.get('user'))
    client
      .batch(
        [
          { sql: 'UPDATE stock SET held = held + 1 WHERE id = ? AND capacity - held >= 1 RETURNING id', args: [stockId] },
          { sql: 'INSERT INTO holds (stock_id, user_id) SELECT ?, ? WHERE changes() = 1', args: [stockId, userId] },
        ],
        'write',
      )
      .then(([taken]) => {
        const held = (taken?.rows.length ?? 0) > 0
        res.writeHead(held ? 201 : 409, { 'content-type': 'text/plain' })
        res.end(held ? 'held' : 'sold out')
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String(error))
      })
  })
}).listen(port, '127.0.0.1', () => console.log(`bare hold server on ${port}`))
