// The npm registry reachable from these machines serves only the Linux builds of packages
// that ship one optional package per platform (@tailwindcss/oxide-*, @rollup/rollup-*, …).
// `npm install` then leaves the other platforms out of package-lock.json, and `npm ci`
// refuses the lock ("Missing: … from lock file"). This script records each missing optional
// platform package with the os/cpu its name declares, as the public registry would, so
// `npm ci` skips them on Linux and the lock stays valid elsewhere. Run after `npm install`:
//   node scripts/lock-optional-platforms.mjs
// (docs/decisions/005-lockfile-platform-packages.md)
import { readFileSync, writeFileSync } from 'node:fs'

const LOCK = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(LOCK, 'utf8'))
const packages = lock.packages

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'sunos', 'win32', 'aix', 'netbsd', 'wasm32']
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'wasi', 'universal']

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = parts.find((p) => OS.includes(p))
  const cpu = parts.find((p) => CPU.includes(p) || p === 'armv7' || p === 'gnueabihf' || p === 'musleabihf')
  if (!os) return null
  if (os === 'wasm32') return { cpu: ['wasm32'] }
  const libc = parts.includes('musl') || parts.includes('musleabihf') ? ['musl'] : parts.includes('gnu') || parts.includes('gnueabihf') ? ['glibc'] : undefined
  const cpuName = cpu === 'gnueabihf' || cpu === 'musleabihf' || cpu === 'armv7' ? 'arm' : cpu === 'universal' ? undefined : cpu
  return { os: [os === 'win32' ? 'win32' : os], ...(cpuName ? { cpu: [cpuName] } : {}), ...(libc ? { libc } : {}) }
}

let added = 0
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`
    const hoisted = `node_modules/${dep}`
    if (packages[base] || packages[hoisted]) continue
    const platform = platformOf(dep)
    if (!platform) continue
    const version = range.replace(/^[\^~=]/, '')
    if (!/^\d+\.\d+\.\d+/.test(version)) continue
    packages[hoisted] = { version, ...platform, dev: entry.dev, optional: true }
    if (packages[hoisted].dev === undefined) delete packages[hoisted].dev
    added++
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))))
lock.packages = sorted
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n')
console.log(`lock-optional-platforms: recorded ${added} optional platform packages`)
