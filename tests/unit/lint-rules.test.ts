// The lint rules that keep a check from passing unread (issue 11), run through the repository's
// own eslint.config.js on a fixture of such checks: each line marked `error: <rule>` there must
// be reported by that rule, and nothing else may be.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const FIXTURE = fileURLToPath(new URL('../fixtures/lint/ignored-checks.ts', import.meta.url))

/** "line rule" for every `// error: rule` marker in the fixture. */
function markedErrors(source: string) {
  return source.split('\n').flatMap((text, i) => [...text.matchAll(/error: (\S+)/g)].map((match) => `${i + 1} ${match[1]}`))
}

describe('lint: checks whose result is ignored', () => {
  it('reports every check in the fixture that cannot fail, and none of the ones that can', { timeout: 60_000 }, async () => {
    // The fixture is in eslint's ignores (npm run lint must pass); linting it here means it on purpose.
    const eslint = new ESLint({ cwd: ROOT, ignore: false })
    const [result] = await eslint.lintFiles([FIXTURE])
    const reported = result!.messages.map((message) => `${message.line} ${message.ruleId}`)
    const source = readFileSync(FIXTURE, 'utf8')
    // The issue's own case: `await expectConsistent(…)` as a statement, its boolean dropped.
    const issueLine = source.split('\n').findIndex((text) => text.includes('  await expectConsistent(stock) //')) + 1
    expect(reported).toContain(`${issueLine} zhiyin/no-ignored-check`)
    expect(reported.sort()).toEqual(markedErrors(source).sort())
  })
})
