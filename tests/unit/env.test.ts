import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from '~/utils/env.server'

const SECRET = 's'.repeat(32)
let dataDir: string

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'zhiyin-env-'))
})
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

function expectEnvError(source: Record<string, string | undefined>, variable: string) {
  let error: unknown
  try {
    parseEnv(source)
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(EnvError)
  expect((error as EnvError).message).toContain(`${variable}:`)
}

describe('parseEnv defaults', () => {
  it('fills in the database, time zone, port and site URL', () => {
    const env = parseEnv({ DATA_DIR: dataDir, SESSION_SECRET: SECRET })
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      DATABASE_URL: `file:${join(dataDir, 'zhiyin.db')}`,
      SITE_TIMEZONE: 'Asia/Shanghai',
      PORT: 3000,
      SITE_URL: 'http://localhost:3000',
      SESSION_SECRET: SECRET,
    })
  })

  it('puts the database at ./data/zhiyin.db when DATA_DIR is not set', () => {
    const env = parseEnv({ SESSION_SECRET: SECRET })
    expect(env.DATABASE_URL.startsWith('file:')).toBe(true)
    expect(resolve(env.DATABASE_URL.slice('file:'.length))).toBe(resolve('./data/zhiyin.db'))
  })

  it('derives the site URL from PORT and strips a trailing slash from a given SITE_URL', () => {
    expect(parseEnv({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, PORT: '8080' }).SITE_URL).toBe('http://localhost:8080')
    expect(parseEnv({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, SITE_URL: 'https://zhiyin.example/' }).SITE_URL).toBe(
      'https://zhiyin.example',
    )
  })

  it('treats an empty variable as unset', () => {
    const env = parseEnv({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, PORT: '', SITE_TIMEZONE: '' })
    expect(env.PORT).toBe(3000)
    expect(env.SITE_TIMEZONE).toBe('Asia/Shanghai')
  })
})

describe('parseEnv refuses a wrong variable and names it', () => {
  it.each([
    ['SITE_TIMEZONE', 'Mars/Olympus_Mons'],
    ['DATABASE_URL', 'postgres://db.example/zhiyin'],
    ['DATABASE_URL', './data/zhiyin.db'],
    ['PORT', 'eighty'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['SESSION_SECRET', 'too-short'],
    ['SITE_URL', 'ftp://zhiyin.example'],
    ['RESEND_API_KEY', 'sk_live_123'],
  ])('%s=%s', (variable, value) => {
    expectEnvError({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, [variable]: value }, variable)
  })

  it('names every wrong variable at once', () => {
    expect(() => parseEnv({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, PORT: 'x', SITE_TIMEZONE: 'Nowhere' })).toThrow(
      /PORT:[\s\S]*SITE_TIMEZONE:|SITE_TIMEZONE:[\s\S]*PORT:/,
    )
  })
})

describe('SESSION_SECRET', () => {
  it('is required in production, and no secret file is written', () => {
    expectEnvError({ NODE_ENV: 'production', DATA_DIR: dataDir }, 'SESSION_SECRET')
    expect(() => statSync(join(dataDir, 'session-secret'))).toThrow()
  })

  it('is generated once under DATA_DIR in development and read back on the next start', () => {
    const first = parseEnv({ NODE_ENV: 'development', DATA_DIR: dataDir })
    expect(first.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/)
    const file = join(dataDir, 'session-secret')
    expect(readFileSync(file, 'utf8')).toBe(first.SESSION_SECRET)
    expect(statSync(file).mode & 0o777).toBe(0o600)

    const second = parseEnv({ NODE_ENV: 'development', DATA_DIR: dataDir })
    expect(second.SESSION_SECRET).toBe(first.SESSION_SECRET)
  })

  it('creates DATA_DIR when it does not exist yet', () => {
    const nested = join(dataDir, 'not', 'yet')
    const env = parseEnv({ DATA_DIR: nested })
    expect(readFileSync(join(nested, 'session-secret'), 'utf8')).toBe(env.SESSION_SECRET)
  })
})

describe('a damaged session-secret file', () => {
  // A crash or a full disk between creating and writing the file leaves it empty; a hand edit
  // can leave it short. Either must not become the secret that signs cookies.
  it.each([
    ['empty', ''],
    ['too short', 'short\n'],
  ])('(%s) is never used as a secret: the start stops, saying to delete the file', (_name, content) => {
    const file = join(dataDir, 'session-secret')
    writeFileSync(file, content)
    expectEnvError({ NODE_ENV: 'development', DATA_DIR: dataDir }, 'SESSION_SECRET')
    expect(() => parseEnv({ NODE_ENV: 'development', DATA_DIR: dataDir })).toThrow(`${file} holds fewer than 32 characters; delete it to generate a new one`)
  })
})

describe('the site settings’ initial values (issue 18, decision 052)', () => {
  it('leave each unset, so the built-in default applies where the admin saved nothing', () => {
    const env = parseEnv({ DATA_DIR: dataDir, SESSION_SECRET: SECRET })
    expect(env.DAILY_PUBLISH_TIME).toBeUndefined()
    expect(env.SUPPORT_CONTACT).toBeUndefined()
    expect(env.ICP_NUMBER).toBeUndefined()
  })

  it('take a publish time, a contact and an ICP number', () => {
    const env = parseEnv({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, DAILY_PUBLISH_TIME: '07:05', SUPPORT_CONTACT: 'help@zhiyin.example', ICP_NUMBER: '京ICP备12345678号-1' })
    expect(env).toMatchObject({ DAILY_PUBLISH_TIME: '07:05', SUPPORT_CONTACT: 'help@zhiyin.example', ICP_NUMBER: '京ICP备12345678号-1' })
  })

  it('refuse a time that is not HH:MM and a number that is not an ICP number', () => {
    expectEnvError({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, DAILY_PUBLISH_TIME: '6:30' }, 'DAILY_PUBLISH_TIME')
    expectEnvError({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, DAILY_PUBLISH_TIME: '24:00' }, 'DAILY_PUBLISH_TIME')
    expectEnvError({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, ICP_NUMBER: '12345678' }, 'ICP_NUMBER')
  })

  it('refuse a contact the admin form would refuse: too short, or half an email address', () => {
    expectEnvError({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, SUPPORT_CONTACT: 'ab' }, 'SUPPORT_CONTACT')
    expectEnvError({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, SUPPORT_CONTACT: 'help@zhiyin' }, 'SUPPORT_CONTACT')
  })
})

