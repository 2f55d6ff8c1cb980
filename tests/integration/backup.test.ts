// npm run backup's parts against this test file's real database: the copy and its check,
// rotation, the upload to S3-compatible storage (msw, the signature recomputed), the settings.
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { http, HttpResponse } from 'msw'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { backupDatabase, backupOptionsFrom, describeBackup, rotateBackups, uploadBackup } from '../../scripts/backup'
import { checkDatabaseFile } from '../../scripts/database-file'
import { S3_TEST, s3Server, signatureProblem, storedObjects } from '../mocks/s3'

const LIVE_URL = process.env.DATABASE_URL!
const T = new Date('2026-12-06T03:04:05.678Z')

beforeAll(() => s3Server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  s3Server.resetHandlers()
  storedObjects.length = 0
})
afterAll(() => s3Server.close())

const newDir = (name: string) => mkdtempSync(join(tmpdir(), `zhiyin-${name}-`))
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

describe('backupDatabase', () => {
  it('copies the live database under a timestamped name, checked, and nothing else', async () => {
    const dir = newDir('backups')
    const result = await backupDatabase({ databaseUrl: LIVE_URL, dir, keep: 14, now: T })
    expect(result).toMatchObject({ file: join(dir, 'zhiyin-20261206-030405Z.db'), rotated: [], uploaded: null })
    expect(readdirSync(dir)).toEqual(['zhiyin-20261206-030405Z.db'])
    expect(await checkDatabaseFile(result.file)).toMatchObject({ ok: true })
    expect(describeBackup(result)).toMatch(/^backup: .*zhiyin-20261206-030405Z\.db \(\d+\.\d KB\), integrity ok; nothing rotated out$/)
  })

  it('deletes a copy that fails its check and leaves no file behind', async () => {
    const notOurs = join(newDir('other'), 'other.db')
    const client = createClient({ url: `file:${notOurs}` })
    await client.execute('CREATE TABLE notes (body TEXT)')
    client.close()
    const dir = newDir('backups')
    await expect(backupDatabase({ databaseUrl: `file:${notOurs}`, dir, keep: 14, now: T })).rejects.toThrow(/failed its check and was deleted: not a Zhiyin database/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('keeps the BACKUP_KEEP newest backups, by the time in their names, and leaves other files alone', async () => {
    const dir = newDir('rotation')
    const names = ['zhiyin-20261201-000000Z.db', 'zhiyin-20261203-000000Z.db', 'zhiyin-20261202-120000Z.db', 'notes.txt', 'zhiyin.db']
    for (const name of names) writeFileSync(join(dir, name), '')
    const result = await backupDatabase({ databaseUrl: LIVE_URL, dir, keep: 2, now: T })
    expect(result.rotated).toEqual(['zhiyin-20261201-000000Z.db', 'zhiyin-20261202-120000Z.db'])
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'zhiyin-20261203-000000Z.db', 'zhiyin-20261206-030405Z.db', 'zhiyin.db'])
    expect(describeBackup(result)).toMatch(/; rotated out 2: zhiyin-20261201-000000Z\.db, zhiyin-20261202-120000Z\.db$/)
    expect(rotateBackups(dir, 2)).toEqual([])
  })

  it('refuses a second backup in the same second rather than replace the first', async () => {
    const dir = newDir('backups')
    await backupDatabase({ databaseUrl: LIVE_URL, dir, keep: 14, now: T })
    await expect(backupDatabase({ databaseUrl: LIVE_URL, dir, keep: 14, now: T })).rejects.toThrow(/already exists/)
    expect(readdirSync(dir)).toEqual(['zhiyin-20261206-030405Z.db'])
  })
})

describe('uploading a backup to S3-compatible storage', () => {
  it('PUTs the file to <endpoint>/<bucket>/<name>, signed with SigV4 over the body', async () => {
    const dir = newDir('backups')
    const result = await backupDatabase({ databaseUrl: LIVE_URL, dir, keep: 14, now: T, s3: S3_TEST })
    expect(result.uploaded).toBe(`s3://${S3_TEST.bucket}/zhiyin-20261206-030405Z.db`)
    expect(storedObjects).toHaveLength(1)
    expect(storedObjects[0]!.key).toBe('zhiyin-20261206-030405Z.db')
    expect(storedObjects[0]!.contentType).toBe('application/vnd.sqlite3')
    expect(sha256(storedObjects[0]!.body)).toBe(sha256(readFileSync(result.file)))
    expect(describeBackup(result)).toMatch(/; uploaded to s3:\/\/zhiyin-backups\/zhiyin-20261206-030405Z\.db$/)
  })

  it('is refused by the bucket when signed with another secret: the local copy is kept and the error says so', async () => {
    const dir = newDir('backups')
    const wrongSecret = { ...S3_TEST, secretAccessKey: 'not-the-secret' }
    await expect(backupDatabase({ databaseUrl: LIVE_URL, dir, keep: 14, now: T, s3: wrongSecret })).rejects.toThrow(
      /zhiyin-20261206-030405Z\.db is kept, but upload to https:\/\/s3\.test\.example\/zhiyin-backups\/zhiyin-20261206-030405Z\.db failed: HTTP 403 .*SignatureDoesNotMatch/,
    )
    expect(readdirSync(dir)).toEqual(['zhiyin-20261206-030405Z.db'])
    expect(storedObjects).toEqual([])
  })

  it('the mock bucket itself refuses a body that is not the one signed', async () => {
    // The check the upload tests rely on can fail: a signed request with another body is refused.
    let problem: string | null | undefined
    s3Server.use(
      http.put(`${S3_TEST.endpoint}/:bucket/:key`, async ({ request }) => {
        problem = signatureProblem(request, Buffer.from('another body'), S3_TEST.secretAccessKey)
        return new HttpResponse(null, { status: 400 })
      }),
    )
    const file = join(newDir('one'), 'zhiyin-20261206-030405Z.db')
    writeFileSync(file, 'the backup')
    await expect(uploadBackup(file, S3_TEST)).rejects.toThrow(/HTTP 400/)
    expect(problem).toMatch(/is not the body's SHA-256/)
  })
})

describe('backupOptionsFrom', () => {
  it('defaults to DATA_DIR/backups and 14 copies, without upload', () => {
    expect(backupOptionsFrom({ DATA_DIR: '/srv/zhiyin' })).toEqual({
      databaseUrl: 'file:/srv/zhiyin/zhiyin.db',
      authToken: undefined,
      dir: '/srv/zhiyin/backups',
      keep: 14,
      s3: null,
    })
  })

  it('names a wrong BACKUP_KEEP and an incomplete set of BACKUP_S3_* variables', () => {
    expect(() => backupOptionsFrom({ BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP must be a whole number of at least 1/)
    expect(() => backupOptionsFrom({ BACKUP_KEEP: 'ten' })).toThrow(/BACKUP_KEEP/)
    expect(() => backupOptionsFrom({ BACKUP_S3_ENDPOINT: 'https://s3.test.example', BACKUP_S3_BUCKET: 'b' })).toThrow(
      /missing: BACKUP_S3_ACCESS_KEY_ID, BACKUP_S3_SECRET_ACCESS_KEY/,
    )
  })

  it('reads the S3 target and a libsql server with its token', () => {
    const options = backupOptionsFrom({
      DATABASE_URL: 'http://sqld:8080',
      DATABASE_AUTH_TOKEN: 'token',
      BACKUP_DIR: '/backups',
      BACKUP_KEEP: '30',
      BACKUP_S3_ENDPOINT: S3_TEST.endpoint,
      BACKUP_S3_BUCKET: S3_TEST.bucket,
      BACKUP_S3_REGION: S3_TEST.region,
      BACKUP_S3_ACCESS_KEY_ID: S3_TEST.accessKeyId,
      BACKUP_S3_SECRET_ACCESS_KEY: S3_TEST.secretAccessKey,
    })
    expect(options).toEqual({ databaseUrl: 'http://sqld:8080', authToken: 'token', dir: '/backups', keep: 30, s3: { ...S3_TEST } })
  })
})
