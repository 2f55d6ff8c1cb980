// The commerce core imports none of the features built on it (decision 029): the shop, the drop
// and the coming lectures plug in through defineOrderKind and onUnitsReturned. This reads every
// import of app/models/commerce/ and allows, outside the folder, only the database, utilities,
// the order vocabulary and the three generic order modules the payments use.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const CORE = join(import.meta.dirname, '../../app/models/commerce')

const ALLOWED_OUTSIDE = [
  /^drizzle-orm$/,
  /^\.\.\/\.\.\/\.\.\/db\/schema$/,
  /^~\/utils\//,
  /^~\/domain\/order$/,
  /^\.\.\/(audit|order-flags|payable-checkout)\.server$/,
  // The refund receipt (decision 050) names no order kind: every refunded order gets it.
  /^~\/emails\/order-refunded$/,
]

function importsOf(source: string) {
  return [...source.matchAll(/^(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]!)
}

describe('the commerce core', () => {
  const files = readdirSync(CORE).filter((name) => name.endsWith('.ts'))

  it('has its modules, with one public module', () => {
    expect(files).toContain('index.server.ts')
    expect(files.length).toBeGreaterThan(3)
  })

  it.each(files)('%s imports nothing of the shop, the drop or any other feature', (name) => {
    const outside = importsOf(readFileSync(join(CORE, name), 'utf8')).filter((specifier) => !specifier.startsWith('./'))
    const foreign = outside.filter((specifier) => !ALLOWED_OUTSIDE.some((allowed) => allowed.test(specifier)))
    expect(foreign).toEqual([])
  })

  it('recognises a feature import when one is there', () => {
    const foreign = importsOf("import { notifyWaitlists } from '../drop.server'\nimport '../checkout.server'\n")
    expect(foreign).toEqual(['../drop.server', '../checkout.server'])
  })
})
