import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { logger } from '~/utils/log.server'

// What the server build is made of: the app, and db/ (the app imports its client, write queue and
// schema; a change there made after a build was served stale until something in app/ changed).
const SOURCES = ['app', 'db', 'remix.config.js', 'postcss.config.js', 'package-lock.json']

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

/** Why the server build must be (re)made, or null when it is current. */
export function buildNeeded(root: string, serverBuild: string): 'missing' | 'development' | 'stale' | null {
  if (!existsSync(serverBuild)) return 'missing'
  // `npm run dev` (remix watch) leaves a development build behind: never serve that.
  if (readFileSync(serverBuild, 'utf8').includes('react/jsx-dev-runtime')) return 'development'
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))))
  return statSync(serverBuild).mtimeMs >= sources ? null : 'stale'
}

const MESSAGES = {
  missing: 'build: no build yet, building…',
  development: 'build: replacing a development build…',
  stale: 'build: sources changed, rebuilding…',
}

/** Runs `remix build` when the server build is missing, a development build, or stale. */
export function buildIfNeeded(root: string, serverBuild: string) {
  const reason = buildNeeded(root, serverBuild)
  if (!reason) return
  logger.info(MESSAGES[reason])
  // Always a production build: one made under NODE_ENV=development uses React's dev JSX
  // runtime and fails to render at all in a production server.
  const result = spawnSync('npx', ['remix', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (result.status !== 0) throw new Error('remix build failed')
}
