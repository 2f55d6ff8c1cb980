// Where servers started by tests listen. On a shared machine each engineer (or CI job) owns a range
// of ports: TEST_PORTS=3641-3679 makes every file that starts a server or sqld pick free ports in
// it; without it each file keeps the range it has always used.
import { freePort } from '../../bench/cluster'

export function testPortRange(fallback: [number, number]): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(process.env.TEST_PORTS ?? '')
  return match ? [Number(match[1]), Number(match[2])] : fallback
}

/** A port free now in TEST_PORTS (else in `fallback`), not one of `taken` (which it joins). */
export function testPort(fallback: [number, number], taken: number[] = []): Promise<number> {
  return freePort(testPortRange(fallback), taken)
}
