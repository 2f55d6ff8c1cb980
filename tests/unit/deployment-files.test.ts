// The deployment files agree with the project and with each other (docs/decisions/035): no
// Docker daemon runs where the tests do, so what can be read is checked here.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts)
const compose = read('compose.yaml')
const nginx = read('deploy/nginx.conf')

/** The top-level keys under `services:` in compose.yaml. */
function composeServices() {
  const block = compose.slice(compose.indexOf('\nservices:\n'), compose.indexOf('\nvolumes:\n'))
  return [...block.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((match) => match[1]!)
}

/** One service's lines in compose.yaml. */
function composeService(name: string) {
  const start = compose.indexOf(`\n  ${name}:\n`)
  const next = compose.slice(start + 1).search(/\n {2}[a-z0-9-]+:\n|\n[a-z]/)
  return compose.slice(start, next === -1 ? undefined : start + 1 + next)
}

describe('the deployment files', () => {
  it('name only npm scripts that exist, in the README, compose.yaml and the Dockerfile', () => {
    const named = new Set(
      [read('README.md'), compose, read('Dockerfile')].flatMap((text) => [
        ...[...text.matchAll(/npm run (?:-s )?([a-z][a-z0-9:-]*)/g)].map((match) => match[1]!),
        ...[...text.matchAll(/"npm", "run", "([a-z][a-z0-9:-]*)"/g)].map((match) => match[1]!),
      ]),
    )
    expect([...named].filter((name) => !scripts.includes(name))).toEqual([])
    expect(named).toContain('backup')
    expect(named).toContain('restore')
  })

  it('balance nginx over exactly the app containers of compose.yaml', () => {
    const apps = composeServices().filter((name) => /^app\d+$/.test(name))
    expect(apps).toEqual(['app1', 'app2', 'app3'])
    const upstream = [...nginx.matchAll(/^\s*server (app\d+):3000\b/gm)].map((match) => match[1]!)
    expect(upstream).toEqual(apps)
  })

  it('give each app container a replica volume of its own and publish no port but nginx', () => {
    const replicas = ['app1', 'app2', 'app3'].map((name) => /- (replica\d+):\/replica\b/.exec(composeService(name))?.[1])
    expect(new Set(replicas).size).toBe(3)
    const publishing = composeServices().filter((name) => /\n {4}ports:\n/.test(composeService(name)))
    expect(publishing).toEqual(['nginx'])
    expect(compose).toMatch(/DATABASE_URL: http:\/\/sqld:8080/)
    expect(compose).toMatch(/TRUST_PROXY: "1"/)
  })

  it('keep shared copies in nginx only as decision 010 allows', () => {
    expect(nginx).toMatch(/proxy_cache_bypass \$http_cookie/)
    expect(nginx).toMatch(/proxy_no_cache \$http_cookie/)
    expect(nginx).toMatch(/proxy_cache_use_stale updating/)
    // Honouring the app's Cache-Control and Vary: nothing overrides or ignores them.
    expect(nginx).not.toMatch(/proxy_ignore_headers|proxy_cache_valid/)
  })
})
