// The Prometheus endpoint (docs/decisions/036-logs-and-metrics.md): /metrics on an internal port
// of its own, never the public one. In a cluster the primary serves the sum of
// its workers' registries (prom-client's AggregatorRegistry); alone, a process serves its own.
import { createHash, timingSafeEqual } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import { isIP } from 'node:net'
import { AggregatorRegistry } from 'prom-client'
import { logger } from '~/utils/log.server'

export class MetricsConfigError extends Error {
  name = 'MetricsConfigError'
}

export interface MetricsOptions {
  port: number
  host: string
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  token?: string
  /** The caller is a cluster's primary: serve its workers' metrics, summed. */
  cluster: boolean
}

export function isLoopback(host: string) {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))
}

/**
 * Starts the /metrics endpoint; resolves once it listens. Refuses (MetricsConfigError) to
 * listen beyond loopback without a token: the numbers say how busy the shop is and when.
 */
export async function serveMetrics({ port, host, token, cluster }: MetricsOptions): Promise<Server> {
  if (!token && !isLoopback(host)) {
    throw new MetricsConfigError(`METRICS_HOST=${host} is not a loopback address: set METRICS_TOKEN (scrapes then send "Authorization: Bearer <token>") or listen on 127.0.0.1`)
  }
  const source = cluster ? clusterSource() : await processSource()
  const allowed = token === undefined ? () => true : bearerCheck(token)
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
    if (!allowed(req.headers.authorization)) return void res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' }).end('unauthorized')
    source.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': source.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics could not be collected')
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics could not be collected')
      },
    )
  })
  server.listen(port, host)
  await once(server, 'listening')
  return server
}

function clusterSource() {
  const aggregator = new AggregatorRegistry()
  return { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() }
}

async function processSource() {
  // Loaded only here: a cluster's primary serves no app code and opens no database.
  const { metricsRegistry } = await import('~/utils/metrics.server')
  return { contentType: metricsRegistry.contentType, metrics: () => metricsRegistry.metrics() }
}

/** Compares digests, so neither the token's length nor its bytes show in the time taken. */
function bearerCheck(token: string) {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  const expected = digest(`Bearer ${token}`)
  return (header: string | undefined) => header !== undefined && timingSafeEqual(digest(header), expected)
}
