// Development loop: `remix watch` rebuilds on change; the server restarts on every new build.
import { spawn } from 'node:child_process'
import { watch } from 'node:fs'

const run = (cmd, args) => spawn(cmd, args, { stdio: 'inherit', env: process.env })

const watcher = run('npx', ['remix', 'watch'])
let server = run('npx', ['tsx', 'server/main.ts'])
let timer

watch('build', (_event, file) => {
  if (file !== 'version.txt') return
  clearTimeout(timer)
  timer = setTimeout(() => {
    server.once('exit', () => {
      server = run('npx', ['tsx', 'server/main.ts'])
    })
    server.kill('SIGTERM')
  }, 200)
})

const stop = () => {
  watcher.kill('SIGTERM')
  server.kill('SIGTERM')
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
