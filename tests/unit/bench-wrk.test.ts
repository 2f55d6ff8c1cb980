import { describe, expect, it } from 'vitest'
import { parseWrk } from '../../bench/wrk'

// wrk 4.1.0's report (Debian 12), as it printed it against a server answering 404.
const REPORT = `Running 1s test @ http://127.0.0.1:3311/nonexistent
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.20ms  833.21us   9.69ms   79.44%
    Req/Sec     1.81k   106.38     2.00k    72.73%
  Latency Distribution
     50%    2.10ms
     75%    2.52ms
     90%    3.04ms
     99%    5.27ms
  1983 requests in 1.10s, 0.98MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 1983
Requests/sec:   1803.31
Transfer/sec:      0.89MB
`

describe('parseWrk', () => {
  it('reads the rate, the 99th percentile, socket errors and non-2xx answers', () => {
    expect(parseWrk(REPORT)).toEqual({ rps: 1803.31, p99Ms: 5.27, errors: 5, non2xx: 1983 })
  })

  it('converts microseconds and seconds to milliseconds', () => {
    expect(parseWrk(REPORT.replace('99%    5.27ms', '99%  850.00us')).p99Ms).toBeCloseTo(0.85)
    expect(parseWrk(REPORT.replace('99%    5.27ms', '99%    1.20s')).p99Ms).toBe(1200)
  })

  it('refuses a report without a rate rather than reading 0', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:3311 Connection refused')).toThrow(/no rate/)
  })
})
