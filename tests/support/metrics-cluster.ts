// A cluster as WEB_CONCURRENCY will run one (docs/decisions/036): a primary serving /metrics for
// two forked workers. Worker n counts n holds placed; both pass the job 'deliver email', worker 2
// half a second after worker 1, just before the primary scrapes itself once, prints the text as
// JSON and stops.
import cluster from 'node:cluster'
import type { AddressInfo } from 'node:net'

const reply = (worker: { once: (event: 'message', listener: (message: unknown) => void) => unknown }) => new Promise((resolve) => worker.once('message', resolve))

if (cluster.isPrimary) {
  const { serveMetrics } = await import('../../server/metrics')
  const workers = [1, 2].map((n) => cluster.fork({ WORKER_N: String(n) }))
  await Promise.all(workers.map(reply))
  await new Promise((resolve) => setTimeout(resolve, 500))
  workers[1]!.send('pass')
  await reply(workers[1]!)
  const server = await serveMetrics({ port: 0, host: '127.0.0.1', cluster: true })
  const { port } = server.address() as AddressInfo
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  process.stdout.write(JSON.stringify({ text }))
  server.close()
  for (const worker of workers) worker.kill()
} else {
  const n = Number(process.env.WORKER_N)
  const { countHoldPlaced, recordJobPass } = await import('~/utils/metrics.server')
  for (let i = 0; i < n; i++) countHoldPlaced('goods')
  if (n === 1) recordJobPass('deliver email', true)
  process.on('message', (message) => {
    if (message !== 'pass') return
    recordJobPass('deliver email', true)
    process.send!('passed')
  })
  process.send!('ready')
}
