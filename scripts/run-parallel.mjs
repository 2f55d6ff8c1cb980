#!/usr/bin/env node
// Runs npm scripts at the same time and fails when any of them fails: `npm test`'s checks that
// each use one core (tsc, eslint) or do not depend on each other (the builds), so that a 2-core
// machine is busy on both cores (decision 053). Each line of output is prefixed with its script.
//
//   node scripts/run-parallel.mjs typecheck lint test:bundle
import { spawn } from 'node:child_process'

const names = process.argv.slice(2)
if (names.length === 0) {
  console.error('usage: node scripts/run-parallel.mjs <npm script>…')
  process.exit(2)
}
const width = Math.max(...names.map((name) => name.length))

function prefixed(name, stream, out) {
  let rest = ''
  stream.on('data', (chunk) => {
    const lines = (rest + chunk.toString()).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) out.write(`${name.padEnd(width)} │ ${line}\n`)
  })
  stream.on('end', () => {
    if (rest) out.write(`${name.padEnd(width)} │ ${rest}\n`)
  })
}

const started = Date.now()
const results = await Promise.all(
  names.map(
    (name) =>
      new Promise((resolve) => {
        const child = spawn('npm', ['run', name], { stdio: ['ignore', 'pipe', 'pipe'] })
        prefixed(name, child.stdout, process.stdout)
        prefixed(name, child.stderr, process.stderr)
        child.on('close', (code, signal) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1)
          console.log(`${name.padEnd(width)} │ ${code === 0 ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} after ${seconds} s`)
          resolve({ name, ok: code === 0 })
        })
      }),
  ),
)
const failed = results.filter((result) => !result.ok).map((result) => result.name)
if (failed.length) {
  console.error(`\nfailed: ${failed.join(', ')}`)
  process.exit(1)
}
