// Seeded randomness for tests that shuffle (the order payments arrive in, which holds lapse), for
// vitest and Playwright alike. Each such test takes a seed and shows it when it fails; running
// it again with TEST_SEED=<seed> replays the same order.
import { randomInt } from 'node:crypto'

const MAX_SEED = 2 ** 32

/** The seed for a shuffling test: TEST_SEED when it is set (to replay a failure), else a fresh one. */
export function testSeed(): number {
  const given = process.env.TEST_SEED
  if (given === undefined || given === '') return randomInt(MAX_SEED)
  const seed = Number(given)
  if (!Number.isInteger(seed) || seed < 0 || seed >= MAX_SEED) throw new Error(`TEST_SEED must be an integer from 0 to ${MAX_SEED - 1}, got "${given}"`)
  return seed
}

/** Numbers in [0, 1) drawn from `seed` (mulberry32): the same seed, the same numbers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / MAX_SEED
  }
}

/** A copy of `items` in an order drawn from `random`, every order equally likely (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}
