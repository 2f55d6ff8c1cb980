import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildNeeded } from '../../server/build-if-needed'

let root: string
function project({ build, buildAge, sourceAge }: { build?: string; buildAge: number; sourceAge: number }) {
  root = mkdtempSync(join(tmpdir(), 'zhiyin-build-'))
  mkdirSync(join(root, 'app'))
  mkdirSync(join(root, 'build'))
  const source = join(root, 'app/root.tsx')
  writeFileSync(source, 'export {}')
  const now = Date.now() / 1000
  utimesSync(source, now - sourceAge, now - sourceAge)
  const serverBuild = join(root, 'build/index.js')
  if (build !== undefined) {
    writeFileSync(serverBuild, build)
    utimesSync(serverBuild, now - buildAge, now - buildAge)
  }
  return serverBuild
}

afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('deciding whether npm start must build', () => {
  it('builds when there is no build', () => {
    const serverBuild = project({ buildAge: 0, sourceAge: 10 })
    expect(buildNeeded(root, serverBuild)).toBe('missing')
  })

  it('keeps a production build newer than every source', () => {
    const serverBuild = project({ build: 'import { jsx } from "react/jsx-runtime"', buildAge: 5, sourceAge: 10 })
    expect(buildNeeded(root, serverBuild)).toBeNull()
  })

  it('rebuilds when a source changed after the build', () => {
    const serverBuild = project({ build: 'import { jsx } from "react/jsx-runtime"', buildAge: 10, sourceAge: 5 })
    expect(buildNeeded(root, serverBuild)).toBe('stale')
  })

  it('rebuilds when the database code the app imports changed after the build', () => {
    const serverBuild = project({ build: 'import { jsx } from "react/jsx-runtime"', buildAge: 5, sourceAge: 10 })
    mkdirSync(join(root, 'db'))
    writeFileSync(join(root, 'db/write-queue.ts'), 'export {}')
    expect(buildNeeded(root, serverBuild)).toBe('stale')
  })

  it('replaces a development build even when it is newer than the sources', () => {
    const serverBuild = project({ build: 'import { jsxDEV } from "react/jsx-dev-runtime"', buildAge: 1, sourceAge: 10 })
    expect(buildNeeded(root, serverBuild)).toBe('development')
  })
})
