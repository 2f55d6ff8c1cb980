// /metrics (docs/decisions/036-logs-and-metrics.md): served over real HTTP on its own port, with
// and without a token; the counters moved by real orders and payments against the test
// database; the request histogram labelled by route through the site's own layers.
import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ServerBuild } from '@remix-run/node'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emailOutbox } from '../../db/schema'
import { siteLayers } from '../../server/main'
import { MetricsConfigError, isLoopback, serveMetrics } from '../../server/metrics'
import { remixRouteLabels } from '../../server/request-log'
import { confirmPayment, placeOrder } from '~/models/commerce.server'
import { db } from '~/utils/db.server'
import { getEnv, parseEnv } from '~/utils/env.server'
import { createSiteMetrics, metricsRegistry, readOutboxLag, recordJobPass } from '~/utils/metrics.server'
import { createBuyers, createStock, line, paidNotice } from '../factories/orders'

const TOKEN = 'metrics-test-token-0123456789'

/** The value of one series in the process's registry (0 when it has none yet). */
async function valueOf(name: string, labels: Record<string, string> = {}) {
  const metric = metricsRegistry.getSingleMetric(name)
  if (!metric) throw new Error(`no metric ${name}`)
  const { values } = await metric.get()
  const series = values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label))
  return series?.value ?? 0
}

function address(server: Server) {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function closed(server: Server) {
  return new Promise<void>((resolve) => server.close(() => resolve()))
}

describe('the /metrics endpoint', () => {
  let server: Server
  beforeAll(async () => {
    server = await serveMetrics({ port: 0, host: '127.0.0.1', token: TOKEN, cluster: false })
  })
  afterAll(() => closed(server))

  it('answers 401 without the token or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const response = await fetch(`${address(server)}/metrics`, { headers: authorization ? { Authorization: authorization } : {} })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer')
      expect(await response.text()).not.toContain('zhiyin_')
    }
  })

  it('answers the Prometheus text with the token: the site’s metrics, the event-loop delay among Node’s', async () => {
    recordJobPass('deliver email', true)
    const response = await fetch(`${address(server)}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await response.text()
    for (const name of [
      'zhiyin_http_request_duration_seconds',
      'zhiyin_holds_placed_total',
      'zhiyin_holds_refused_total',
      'zhiyin_payments_confirmed_total',
      'zhiyin_refusals_total',
      'zhiyin_job_passes_total',
      'zhiyin_db_write_groups_total',
      'zhiyin_db_write_transactions_total',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `)
    }
    expect(text).toMatch(/^zhiyin_outbox_lag_seconds\{outbox="email"\} \d/m)
    expect(text).toMatch(/^zhiyin_job_seconds_since_success\{job="deliver email"\} \d/m)
  })

  it('answers only /metrics', async () => {
    const response = await fetch(`${address(server)}/`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    expect(response.status).toBe(404)
  })

  it('needs no token on loopback when none is set', async () => {
    const open = await serveMetrics({ port: 0, host: '127.0.0.1', cluster: false })
    try {
      const response = await fetch(`${address(open)}/metrics`)
      expect(response.status).toBe(200)
      expect(await response.text()).toContain('zhiyin_holds_placed_total')
    } finally {
      await closed(open)
    }
  })
})

describe('where /metrics may listen', () => {
  it('refuses to start beyond loopback without a token, and says what to set', async () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5']) {
      const refused = serveMetrics({ port: 0, host, cluster: false })
      await expect(refused).rejects.toThrow(MetricsConfigError)
      await expect(refused).rejects.toThrow(/METRICS_TOKEN/)
    }
  })

  it('starts on 0.0.0.0 with a token', async () => {
    const server = await serveMetrics({ port: 0, host: '0.0.0.0', token: TOKEN, cluster: false })
    expect((await fetch(`${address(server)}/metrics`)).status).toBe(401)
    await closed(server)
  })

  it('is never the public port, and METRICS_* are checked at start-up like every variable', () => {
    const base = { NODE_ENV: 'test', SESSION_SECRET: 'test-session-secret-0123456789abcdef', PORT: '3000' }
    expect(() => parseEnv({ ...base, METRICS_PORT: '3000' })).toThrow(/METRICS_PORT: must differ from PORT/)
    expect(() => parseEnv({ ...base, METRICS_PORT: '9464', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/)
    expect(() => parseEnv({ ...base, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/)
    expect(parseEnv({ ...base, METRICS_PORT: '9464' })).toMatchObject({ METRICS_PORT: 9464, METRICS_HOST: '127.0.0.1' })
    expect(parseEnv(base).METRICS_PORT).toBeUndefined()
  })

  it('counts only loopback addresses as loopback', () => {
    expect(['127.0.0.1', '127.8.0.1', '::1', 'localhost'].every(isLoopback)).toBe(true)
    expect(['0.0.0.0', '::', '10.0.0.5', '127.0.0.1.example.com', 'localhost.evil'].some(isLoopback)).toBe(false)
  })
})

describe('counters moved by the shop', () => {
  it('counts a hold placed, a refusal by reason, and a payment confirmed once, not its repeat', async () => {
    const before = {
      placed: await valueOf('zhiyin_holds_placed_total', { kind: 'goods' }),
      soldOut: await valueOf('zhiyin_holds_refused_total', { reason: 'sold_out' }),
      refusals: await valueOf('zhiyin_refusals_total', { reason: 'sold_out' }),
      paid: await valueOf('zhiyin_payments_confirmed_total', { provider: 'test', outcome: 'paid' }),
    }
    const stock = await createStock({ capacity: 1 })
    const [first, second] = await createBuyers(2)
    const placed = await placeOrder({ userId: first!.id, kind: 'goods', lines: [line(stock.id)], now: new Date() })
    if (!placed.ok) throw new Error(`expected a hold, got ${placed.reason}`)
    const refused = await placeOrder({ userId: second!.id, kind: 'goods', lines: [line(stock.id)], now: new Date() })
    expect(refused).toMatchObject({ ok: false, reason: 'sold_out' })

    expect(await confirmPayment(paidNotice(placed.order))).toMatchObject({ outcome: 'paid', duplicate: false })
    expect(await confirmPayment(paidNotice(placed.order))).toMatchObject({ outcome: 'paid', duplicate: true })

    expect(await valueOf('zhiyin_holds_placed_total', { kind: 'goods' })).toBe(before.placed + 1)
    expect(await valueOf('zhiyin_holds_refused_total', { reason: 'sold_out' })).toBe(before.soldOut + 1)
    expect(await valueOf('zhiyin_refusals_total', { reason: 'sold_out' })).toBe(before.refusals + 1)
    expect(await valueOf('zhiyin_payments_confirmed_total', { provider: 'test', outcome: 'paid' })).toBe(before.paid + 1)
  })

  it('reads the write path’s group commit counts when scraped', async () => {
    const before = await valueOf('zhiyin_db_write_transactions_total')
    const stock = await createStock({ capacity: null })
    const [buyer] = await createBuyers(1)
    await placeOrder({ userId: buyer!.id, kind: 'goods', lines: [line(stock.id)], now: new Date() })
    expect(await valueOf('zhiyin_db_write_transactions_total')).toBeGreaterThan(before)
  })

  it('shows the write path’s queue and retries as the database handle reports them (writeStats)', async () => {
    const stats = { queued: 3, oldestWaitingMs: 1500, retries: 7, busyFailures: 1, groups: 0, transactions: 0 }
    const reporting = await createSiteMetrics({ groupStats: { groups: 0, transactions: 0, largest: 0 }, writeStats: () => stats }).registry.metrics()
    expect(reporting).toMatch(/^zhiyin_db_writes_queued 3$/m)
    expect(reporting).toMatch(/^zhiyin_db_write_oldest_waiting_seconds 1\.5$/m)
    expect(reporting).toMatch(/^zhiyin_db_write_retries_total 7$/m)
    expect(reporting).toMatch(/^zhiyin_db_write_busy_failures_total 1$/m)
    stats.retries = 9
    expect(await createSiteMetrics({ groupStats: { groups: 0, transactions: 0, largest: 0 }, writeStats: () => stats }).registry.metrics()).toMatch(/^zhiyin_db_write_retries_total 9$/m)
  })
})

describe('lags read when scraped', () => {
  it('says how long the oldest due email has waited, and nothing for mail not yet due or sent', async () => {
    const now = new Date()
    const mail = (state: 'pending' | 'sent', dueMsAgo: number) => ({
      template: 'test',
      toAddress: 'reader@example.com',
      subject: '测试',
      html: '<p>测试</p>',
      text: '测试',
      state,
      nextAttemptAt: new Date(now.getTime() - dueMsAgo),
    })
    // Mail queued by the payment above is due about now; mail sent long ago or due later does not count.
    await db.insert(emailOutbox).values([mail('sent', 600_000), mail('pending', -60_000)])
    const lag = await readOutboxLag({ client: db.$client }, now)
    expect(lag.email).toBeLessThan(5)
    expect(lag.wechat).toBe(0)
    await db.insert(emailOutbox).values([mail('pending', 90_000), mail('pending', 30_000)])
    expect(await readOutboxLag({ client: db.$client }, now)).toEqual({ email: 90, wechat: 0 })
  })

  it('says how long ago each job last passed; a failed pass does not count', async () => {
    recordJobPass('release expired holds', true)
    await new Promise((resolve) => setTimeout(resolve, 30))
    recordJobPass('release expired holds', false)
    const since = await valueOf('zhiyin_job_seconds_since_success', { job: 'release expired holds' })
    // A timer may fire a millisecond before Date.now() says its time is up.
    expect(since).toBeGreaterThanOrEqual(0.025)
    expect(since).toBeLessThan(5)
    expect(await valueOf('zhiyin_job_passes_total', { job: 'release expired holds', outcome: 'failed' })).toBeGreaterThanOrEqual(1)
  })
})

describe('the request histogram', () => {
  // The routes of a build as Remix lists them (ids, parents, paths), enough to rank them as it does.
  const routes = {
    root: { id: 'root', path: '' },
    'routes/_index': { id: 'routes/_index', parentId: 'root', index: true },
    'routes/shop': { id: 'routes/shop', parentId: 'root', path: 'shop' },
    'routes/shop._index': { id: 'routes/shop._index', parentId: 'routes/shop', index: true },
    'routes/shop.p.$slug': { id: 'routes/shop.p.$slug', parentId: 'routes/shop', path: 'p/:slug' },
    'routes/shop.cart': { id: 'routes/shop.cart', parentId: 'routes/shop', path: 'cart' },
    'routes/shop.$category': { id: 'routes/shop.$category', parentId: 'routes/shop', path: ':category' },
    'routes/daily.$date': { id: 'routes/daily.$date', parentId: 'root', path: 'daily/:date' },
  } as unknown as ServerBuild['routes']

  it('names the route Remix would answer with, never the URL', () => {
    const routeOf = remixRouteLabels(routes)
    expect(routeOf('/')).toBe('routes/_index')
    expect(routeOf('/_root.data')).toBe('routes/_index')
    expect(routeOf('/shop')).toBe('routes/shop._index')
    expect(routeOf('/shop/')).toBe('routes/shop._index')
    expect(routeOf('/shop/cart')).toBe('routes/shop.cart')
    expect(routeOf('/SHOP/Cart')).toBe('routes/shop.cart')
    expect(routeOf('/shop/books')).toBe('routes/shop.$category')
    expect(routeOf('/shop/p/tea-cup-42')).toBe('routes/shop.p.$slug')
    expect(routeOf('/shop/p/tea-cup-42.data')).toBe('routes/shop.p.$slug')
    expect(routeOf('/daily/2026-12-06')).toBe('routes/daily.$date')
    expect(routeOf('/wp-admin/setup.php')).toBe('unmatched')
    expect(routeOf('/shop/p/a/b')).toBe('unmatched')
  })

  it('observes each request through Express under its route id and status class', async () => {
    const app = express()
    for (const { path, handler } of siteLayers(getEnv(), { routeOf: remixRouteLabels(routes) })) {
      if (path) app.use(path, handler)
      else app.use(handler)
    }
    app.get('/shop/p/:slug', (req, res) => void res.status(req.params.slug === 'gone' ? 404 : 200).send('商品'))
    const server = app.listen(0, '127.0.0.1')
    await once(server, 'listening')
    // How many requests the histogram holds for the product page with a status class.
    const count = async (statusClass: string) => {
      const { values } = await metricsRegistry.getSingleMetric('zhiyin_http_request_duration_seconds')!.get()
      const series = values.find(
        (v) => (v as { metricName?: string }).metricName === 'zhiyin_http_request_duration_seconds_count' && v.labels.method === 'GET' && v.labels.route === 'routes/shop.p.$slug' && v.labels.status_class === statusClass,
      )
      return series?.value ?? 0
    }
    try {
      const before = { ok: await count('2xx'), missing: await count('4xx') }
      for (const slug of ['tea-cup-1', 'tea-cup-2', 'gone']) expect((await fetch(`${address(server)}/shop/p/${slug}?ref=abc`)).ok).toBe(slug !== 'gone')
      // Observed when the answer is finished, just after the client has it.
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(await count('2xx')).toBe(before.ok + 2)
      expect(await count('4xx')).toBe(before.missing + 1)
      const text = await metricsRegistry.getSingleMetricAsString('zhiyin_http_request_duration_seconds')
      expect(text).toContain('route="routes/shop.p.$slug",status_class="2xx"')
      expect(text).not.toContain('tea-cup')
      expect(text).not.toContain('ref=')
    } finally {
      await closed(server)
    }
  })
})
