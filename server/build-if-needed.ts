import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const SOURCES = ['app', 'db/schema.ts', 'remix.config.js', 'postcss.config.js', 'package-lock.json']

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

/** Runs `remix build` when the server build is missing or older than its sources. */
export function buildIfNeeded(root: string, serverBuild: string) {
  const built = existsSync(serverBuild) ? statSync(serverBuild).mtimeMs : 0
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))))
  if (built >= sources) return
  console.log(built ? 'build: sources changed, rebuilding…' : 'build: no build yet, building…')
  const result = spawnSync('npx', ['remix', 'build'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new Error('remix build failed')
}
