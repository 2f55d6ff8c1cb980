// `remix build` into build/ unless the build there is current: what vitest's global setup and
// Playwright's web server would otherwise do first. `npm test` runs it beside tsc and eslint
// (scripts/run-parallel.mjs, decision 053), so that the unit tests start on a ready build.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildIfNeeded } from '../server/build-if-needed'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
buildIfNeeded(ROOT, join(ROOT, 'build/index.js'))
