// Display names through the forms that set them (sign-up and /account): normalized, refused when
// they hide text direction tricks, control or only invisible characters, and reserved for staff
// when they read as a staff member's name or an official word.
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { users, type User } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { action as accountAction } from '~/routes/account'
import { action as signupAction } from '~/routes/signup'
import { db } from '~/utils/db.server'
import { countRows } from '../factories/db'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const ADMIN_NAME = '知音管理员'
let sequence = 0

beforeAll(async () => {
  await createTestUser({ role: 'admin', displayName: ADMIN_NAME })
  await createTestUser({ role: 'editor', displayName: 'Morning Editor' })
})

function signup(displayName: string) {
  const form = { email: `name${++sequence}@example.com`, displayName, password: 'long enough pass', agree: 'on' }
  return signupAction(routeArgs(requestFor('/signup', { form }), {}, `198.51.100.${sequence}`))
}

async function changeName(user: User, displayName: string) {
  const { cookie } = await signedInCookie(user.id)
  return accountAction(routeArgs(requestFor('/account', { form: { intent: 'profile', displayName }, cookie })))
}

const nameOf = async (id: number) => (await db.query.users.findFirst({ where: eq(users.id, id) }))!.displayName

const REFUSED: [string, string, string][] = [
  ['a right-to-left override', 'resu\u202e', t.errors.displayName.bidi],
  ['an isolate around the admin’s name', `\u2067${ADMIN_NAME}\u2069`, t.errors.displayName.bidi],
  ['a control character', '读者\u0007', t.errors.displayName.control],
  ['zero-width spaces only', '\u200b\u200c\u200b', t.errors.displayName.invisible],
  ['a Hangul filler only', '\u3164', t.errors.displayName.invisible],
  ['the admin’s exact name', ADMIN_NAME, t.errors.nameReserved],
  ['the admin’s name with spaces and a zero-width space', `知 音 管理\u200b员`, t.errors.nameReserved],
  ['the admin’s name in traditional characters', '知音管理員', t.errors.nameReserved],
  ['the editor’s name with a Cyrillic о and other case', 'm\u043erning EDITOR', t.errors.nameReserved],
  ['管理员', '管理员', t.errors.nameReserved],
  ['admin in full-width capitals', 'ＡＤＭＩＮ', t.errors.nameReserved],
  ['编辑', '编辑', t.errors.nameReserved],
  ['知音官方', '知音官方', t.errors.nameReserved],
]

describe('sign-up refuses a bad or reserved name with a field error and creates nobody', () => {
  it.each(REFUSED)('%s (fails without the fix)', async (_name, displayName, message) => {
    const before = await countRows(users)
    const { status, data } = readData(await signup(displayName))
    expect(status).toBe(400)
    expect(data.errors).toEqual({ displayName: message })
    expect(await countRows(users)).toBe(before)
  })

  it('a full-width name with extra spaces is stored normalized (fails without the fix)', async () => {
    const email = `name${sequence + 1}@example.com`
    readRedirect(await signup('  ＺＨＯＵ　　小王 '))
    const user = await db.query.users.findFirst({ where: eq(users.email, email) })
    expect(user?.displayName).toBe('ZHOU 小王')
  })
})

describe('the profile refuses a bad or reserved name and keeps the old one', () => {
  it.each(REFUSED)('%s (fails without the fix)', async (_name, displayName, message) => {
    const { user } = await createTestUser({ displayName: '原来的名字' })
    const { status, data } = readData(await changeName(user, displayName))
    expect(status).toBe(400)
    expect(data).toEqual({ intent: 'profile', errors: { displayName: message } })
    expect(await nameOf(user.id)).toBe('原来的名字')
  })

  it('a member may keep a name that merely contains a reserved word', async () => {
    const { user } = await createTestUser()
    readRedirect(await changeName(user, '编辑部的故事'))
    expect(await nameOf(user.id)).toBe('编辑部的故事')
  })

  it('staff may take a reserved name, and the admin may save their own name again', async () => {
    const { user: editor } = await createTestUser({ role: 'editor' })
    readRedirect(await changeName(editor, '知音编辑'))
    expect(await nameOf(editor.id)).toBe('知音编辑')
    const admin = (await db.query.users.findFirst({ where: eq(users.displayName, ADMIN_NAME) }))!
    readRedirect(await changeName(admin, ADMIN_NAME))
  })
})
