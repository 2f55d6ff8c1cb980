// WeChat identities and the accounts they sign in to (docs/decisions/021-wechat-sign-in.md): an
// identity (app id, openid) belongs to exactly one account; a unionid joins the identities of the
// Official Account and the website app; an unknown identity makes a new account, never joins an
// existing email account silently.
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import { passwords, users, wechatIdentities, wechatOauthStatesUsed, wechatSignInLinks } from '../../db/schema'
import { DISPLAY_NAME_MAX_LENGTH, displayNameProblem, normalizeDisplayName } from '~/domain/display-name'
import { WECHAT_PLACEHOLDER_EMAIL_DOMAIN } from '~/domain/wechat-auth'
import { t } from '~/i18n/zh-CN'
import { generateToken, hashToken } from '~/utils/crypto.server'
import { db, transaction, uniqueViolation } from '~/utils/db.server'
import { wechatMode } from '~/utils/wechat-api.server'
import { confirmReferral, recordReferral } from './referral.server'
import { forgetOldQrLogins } from './wechat-qr-login.server'
import { isDisplayNameReserved } from './user.server'

export interface WechatProfile {
  appId: string
  openid: string
  unionid?: string | null
  nickname?: string | null
  avatarUrl?: string | null
}

/** Takes a state for good: false when it was already answered (a replay). One conditional INSERT. */
export async function claimOAuthState(stateHash: string, now = new Date()) {
  const rows = await db.insert(wechatOauthStatesUsed).values({ stateHash, usedAt: now }).onConflictDoNothing().returning({ stateHash: wechatOauthStatesUsed.stateHash })
  return rows.length === 1
}

export function findWechatIdentity({ appId, openid }: { appId: string; openid: string }) {
  return db.query.wechatIdentities.findFirst({ where: and(eq(wechatIdentities.appId, appId), eq(wechatIdentities.openid, openid)) })
}

/** The account's WeChat identity to show on /account (the first linked), or undefined. */
export function getWechatIdentityOf(userId: number) {
  return db.query.wechatIdentities.findFirst({ where: eq(wechatIdentities.userId, userId), orderBy: [wechatIdentities.id] })
}

/** The account a follower of the Official Account (or a test identity) is linked to, or null. */
export async function findLinkedUserId({ appId, openid }: { appId: string; openid: string }) {
  return (await findWechatIdentity({ appId, openid }))?.userId ?? null
}

/** The display name a new account takes from a WeChat nickname, through the one name rule. */
async function displayNameFromNickname(nickname: string | null | undefined) {
  const name = [...normalizeDisplayName(nickname ?? '')].slice(0, DISPLAY_NAME_MAX_LENGTH).join('').trim()
  if (!name || displayNameProblem(name) !== null || (await isDisplayNameReserved({ displayName: name }))) return t.wechatAuth.defaultName
  return name
}

function identityValues(userId: number, profile: WechatProfile) {
  return {
    userId,
    appId: profile.appId,
    openid: profile.openid,
    unionid: profile.unionid ?? null,
    nickname: profile.nickname ?? null,
    avatarUrl: profile.avatarUrl ?? null,
  }
}

export type WechatSignIn = { userId: number; created: boolean }

/**
 * The account this identity signs in to: its own; else, by unionid, the account of the same
 * person's identity in the other app (which this identity then joins); else a new account with
 * no password and a placeholder address that is never mailed. A new account brought by
 * `referrerId`'s link (their cookie) is that reader's referral, counted at once (decision 022).
 */
export async function signInWithWechat(profile: WechatProfile, { referrerId = null, now = new Date() }: { referrerId?: number | null; now?: Date } = {}): Promise<WechatSignIn> {
  const known = await findWechatIdentity(profile)
  if (known) return { userId: known.userId, created: false }
  if (profile.unionid) {
    const sibling = await db.query.wechatIdentities.findFirst({ where: eq(wechatIdentities.unionid, profile.unionid) })
    if (sibling) {
      await db.insert(wechatIdentities).values(identityValues(sibling.userId, profile)).onConflictDoNothing()
      const joined = await findWechatIdentity(profile)
      return { userId: joined!.userId, created: false }
    }
  }
  const displayName = await displayNameFromNickname(profile.nickname)
  try {
    return await transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: `wx-${generateToken()}@${WECHAT_PLACEHOLDER_EMAIL_DOMAIN}`, displayName, emailVerified: false })
        .returning({ id: users.id })
      await tx.insert(wechatIdentities).values(identityValues(user!.id, profile))
      if (referrerId !== null && (await recordReferral({ referrerId, referredUserId: user!.id }, tx))) await confirmReferral({ userId: user!.id, now }, tx)
      return { userId: user!.id, created: true }
    })
  } catch (error) {
    // The same reader's other tab got there first: its account is this identity's.
    if (uniqueViolation(error) === null) throw error
    const winner = await findWechatIdentity(profile)
    if (!winner) throw error
    return { userId: winner.userId, created: false }
  }
}

export type WechatLink = { ok: true } | { ok: false; reason: 'taken' | 'has_other' }

/** Links a WeChat identity to a signed-in reader's account (from /account, 绑定微信). */
export async function linkWechatIdentity({ userId, profile }: { userId: number; profile: WechatProfile }): Promise<WechatLink> {
  const known = await findWechatIdentity(profile)
  if (known) return known.userId === userId ? { ok: true } : { ok: false, reason: 'taken' }
  if (profile.unionid) {
    const sibling = await db.query.wechatIdentities.findFirst({ where: eq(wechatIdentities.unionid, profile.unionid) })
    if (sibling && sibling.userId !== userId) return { ok: false, reason: 'taken' }
  }
  const own = await db.query.wechatIdentities.findFirst({ where: and(eq(wechatIdentities.userId, userId), eq(wechatIdentities.appId, profile.appId)) })
  if (own) return { ok: false, reason: 'has_other' }
  try {
    await db.insert(wechatIdentities).values(identityValues(userId, profile))
    return { ok: true }
  } catch (error) {
    if (uniqueViolation(error) === null) throw error
    return { ok: false, reason: 'taken' }
  }
}

export type WechatUnlink = { ok: true } | { ok: false; reason: 'not_linked' | 'only_way_in' }

/**
 * Removes every WeChat identity of the account, in one statement that only deletes while the
 * account keeps another way in: a password, or a verified address for emailed sign-in links.
 */
export async function unlinkWechat(userId: number): Promise<WechatUnlink> {
  const otherWayIn = sql`(exists (select 1 from ${passwords} where ${passwords.userId} = ${userId}) or exists (select 1 from ${users} where ${users.id} = ${userId} and ${users.emailVerified} = 1))`
  const removed = await db.delete(wechatIdentities).where(and(eq(wechatIdentities.userId, userId), otherWayIn)).returning({ id: wechatIdentities.id })
  if (removed.length > 0) return { ok: true }
  return (await getWechatIdentityOf(userId)) ? { ok: false, reason: 'only_way_in' } : { ok: false, reason: 'not_linked' }
}

// ---- the signed link in the Official Account's reply ------------------------------------------

export const SIGN_IN_LINK_MINUTES = 10

/** A single-use link for a linked follower that signs them in and opens the daily; only its hash is kept. */
export async function createWechatSignInLink({ userId, dailyId, now = new Date() }: { userId: number; dailyId: number; now?: Date }) {
  const token = generateToken()
  await db.insert(wechatSignInLinks).values({ id: hashToken(token), userId, dailyId, createdAt: now, expiresAt: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000) })
  return token
}

export type WechatSignInLinkUse = { ok: true; userId: number; dailyId: number } | { ok: false; reason: 'unknown' | 'used_or_expired' }

/** Uses a link up: one conditional UPDATE, so two taps cannot both sign in. */
export async function consumeWechatSignInLink({ token, now = new Date() }: { token: string; now?: Date }): Promise<WechatSignInLinkUse> {
  const id = hashToken(token)
  const [row] = await db
    .update(wechatSignInLinks)
    .set({ usedAt: now })
    .where(and(eq(wechatSignInLinks.id, id), isNull(wechatSignInLinks.usedAt), gt(wechatSignInLinks.expiresAt, now)))
    .returning({ userId: wechatSignInLinks.userId, dailyId: wechatSignInLinks.dailyId })
  if (row) return { ok: true, ...row }
  const known = await db.query.wechatSignInLinks.findFirst({ columns: { id: true }, where: eq(wechatSignInLinks.id, id) })
  return { ok: false, reason: known ? 'used_or_expired' : 'unknown' }
}

/**
 * For the Official Account's reply to a keyword: a signed sign-in link to the daily when the
 * follower (its openid, of the Official Account — or of the test mode) is linked to an account.
 */
export async function signedInArticleUrl({ openid, dailyId, siteUrl, now }: { openid: string; dailyId: number; siteUrl: string; now: Date }) {
  const mode = wechatMode()
  const appId = mode.kind === 'live' ? mode.appId : mode.kind === 'test' ? 'test' : null
  if (!appId) return null
  const userId = await findLinkedUserId({ appId, openid })
  if (userId === null) return null
  return `${siteUrl}/auth/wechat/link/${await createWechatSignInLink({ userId, dailyId, now })}`
}

/** Used OAuth states and sign-in links a day old can do nothing any more: the hourly job drops them. */
export async function forgetOldWechatSignIns(now = new Date()) {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000)
  await db.delete(wechatOauthStatesUsed).where(lt(wechatOauthStatesUsed.usedAt, dayAgo))
  await db.delete(wechatSignInLinks).where(lt(wechatSignInLinks.expiresAt, dayAgo))
  await forgetOldQrLogins(now)
}

/** The reader's openid under one app id (WeChat Pay's JSAPI needs it under the pay app's), or null. */
export async function openidOf(userId: number, appId: string) {
  const identity = await db.query.wechatIdentities.findFirst({ where: and(eq(wechatIdentities.userId, userId), eq(wechatIdentities.appId, appId)) })
  return identity?.openid ?? null
}
