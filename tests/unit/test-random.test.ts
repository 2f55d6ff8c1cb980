// The seeded shuffles the race tests use (tests/support/random.ts): a seed printed by a failing
// run must give the same order again.
import { afterEach, describe, expect, it } from 'vitest'
import { seededRandom, shuffled, testSeed } from '../support/random'

const ITEMS = Array.from({ length: 40 }, (_, i) => i + 1)
const savedSeed = process.env.TEST_SEED

afterEach(() => {
  if (savedSeed === undefined) delete process.env.TEST_SEED
  else process.env.TEST_SEED = savedSeed
})

describe('seeded shuffles', () => {
  it('the same seed gives the same order; another seed another one', () => {
    expect(shuffled(ITEMS, seededRandom(20_261_123))).toEqual(shuffled(ITEMS, seededRandom(20_261_123)))
    expect(shuffled(ITEMS, seededRandom(20_261_123))).not.toEqual(shuffled(ITEMS, seededRandom(20_261_124)))
  })

  it('a shuffle is a new array holding every item once, the original untouched', () => {
    const order = shuffled(ITEMS, seededRandom(7))
    expect(order).not.toBe(ITEMS)
    expect([...order].sort((a, b) => a - b)).toEqual(ITEMS)
    expect(order).not.toEqual(ITEMS)
    expect(ITEMS).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
  })

  it('draws numbers in [0, 1)', () => {
    const random = seededRandom(0)
    const draws = Array.from({ length: 10_000 }, random)
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...draws)).toBeLessThan(1)
    expect(new Set(draws).size).toBeGreaterThan(9_990)
  })

  it('takes TEST_SEED when set, refuses one that is not a 32-bit integer, and otherwise makes one up', () => {
    process.env.TEST_SEED = '3141592653'
    expect(testSeed()).toBe(3_141_592_653)
    for (const bad of ['-1', '4294967296', '1.5', 'abc']) {
      process.env.TEST_SEED = bad
      expect(() => testSeed()).toThrow(/TEST_SEED must be an integer/)
    }
    delete process.env.TEST_SEED
    const seed = testSeed()
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true)
  })
})
