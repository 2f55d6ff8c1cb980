// Vitest's global setup: the production build, made once before any test file runs, so that test
// files starting real servers (server/main.ts, as child processes) never build at once.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildIfNeeded } from '../../server/build-if-needed'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')

export default function buildOnce() {
  buildIfNeeded(ROOT, join(ROOT, 'build/index.js'))
}
