import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Field, FormError } from '~/components/field'
import { PasswordField } from '~/components/password-field'
import { NotificationPreferences } from '~/components/notification-preferences'
import { Badge, Button, Card, PageTitle } from '~/components/ui'
import { WECHAT_UNLINK_INTENT, WechatAccountCard } from '~/components/wechat-account'
import { changePasswordForm, emailOnlyForm, emailPreferencesForm, newPasswordForm, profileForm } from '~/domain/account-forms.server'
import { todayIn } from '~/domain/daily'
import { checkinStats } from '~/domain/keyword'
import { isWechatPlaceholderEmail } from '~/domain/wechat-auth'
import { passwordChangedEmail } from '~/emails/auth'
import { accountZhCN } from '~/i18n/account.zh-CN'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { errorsZhCN, fieldsZhCN, rolesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'
import { deleteUserAuthTokens } from '~/models/auth-token.server'
import { getPodcastFeedOf } from '~/models/feed.server'
import { getActiveMembership } from '~/models/membership.server'
import { getNotificationPreferences, saveNotificationPreferences } from '~/models/notification.server'
import {
  invalidateUserSessions,
  listUserSessions,
  revokeOtherSessions,
  revokeUserSession,
} from '~/models/session.server'
import { checkinDays } from '~/models/keyword.server'
import { addEmailAddress, resendVerificationEmail } from '~/models/signup.server'
import {
  checkPassword,
  hasPassword,
  resetPodcastToken,
  setFirstPassword,
  setPasswordHash,
  updateEmailPreferences,
  updateProfile,
} from '~/models/user.server'
import { newSessionCookie, requireAuth, sessionContext } from '~/utils/auth.server'
import { transaction } from '~/utils/db.server'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime, formatValidUntil } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { retryAfterHeaders } from '~/utils/retry-after'
import { hashPassword } from '~/utils/password.server'
import { ReferralCard } from '~/components/referral-card'
import { FinishedCourses } from '~/components/finished-courses'
import { presentFinishedCourses } from '~/utils/certificate-view.server'
import { referralSummary } from '~/models/referral.server'
import { unlinkWechatFromAccount, wechatAccountView } from '~/utils/wechat-signin.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { account: accountZhCN, auth: authZhCN, daily: dailyZhCN, errors: errorsZhCN, fields: fieldsZhCN, notifications: notificationsZhCN, roles: rolesZhCN, site: siteZhCN, wechatAuth: wechatAuthZhCN }

// A 429 (添加邮箱 too often) tells the client when to try again.
export const headers = retryAfterHeaders

export const meta: MetaFunction = () => [{ title: `${t.account.title} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireAuth(request)
  const [sessions, membership, days, notificationPrefs, wechat, withPassword] = await Promise.all([
    listUserSessions(user.id),
    getActiveMembership(user.id),
    checkinDays(user.id),
    getNotificationPreferences(user.id),
    wechatAccountView(user.id),
    hasPassword(user.id),
  ])
  const env = getEnv()
  // A member's feed, or a buyer's of their courses alone (decision 051): the feed's own rule.
  const feed = await getPodcastFeedOf(user)
  return {
    checkins: checkinStats(days, todayIn(env.SITE_TIMEZONE, new Date())),
    podcast: feed
      ? { url: user.podcastToken ? `${env.SITE_URL}/podcast/${user.podcastToken}.xml` : null, coursesOnly: !feed.dailies }
      : null,
    user: {
      // An account made by WeChat sign-in has only a placeholder address (decision 021).
      email: isWechatPlaceholderEmail(user.email) ? null : user.email,
      emailVerified: user.emailVerified,
      displayName: user.displayName,
      role: user.role,
      emailDaily: user.emailDaily,
      hasPassword: withPassword,
      // A WeChat account without a verified address may add one (decision 021).
      mayAddEmail: Boolean(wechat?.linked) && !user.emailVerified,
    },
    notificationPrefs,
    membership: membership
      ? { tierName: membership.tier.name, memberNumber: membership.membership.memberNumber, validUntil: membership.membership.validUntil }
      : null,
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.id === session.id,
      userAgent: s.userAgent,
      ip: s.ip,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
    })),
    timeZone: getEnv().SITE_TIMEZONE,
    referral: await referralSummary({ userId: user.id, siteUrl: env.SITE_URL }),
    finishedCourses: await presentFinishedCourses({ userId: user.id, now: new Date() }),
    wechat,
  }
}

type Intent = 'profile' | 'preferences' | 'notifications' | 'password' | 'add-email' | 'set-password' | 'revoke' | 'revoke-others' | 'podcast-reset' | 'resend-verification'
type ActionData = { intent: Intent; errors: FieldErrors }
// A session id as the sessions table stores it (hex SHA-256); a plain check keeps zod out of the page's script.
const SESSION_ID = /^[0-9a-f]{64}$/

const fail = (intent: Intent, errors: FieldErrors, status = 400) => data<ActionData>({ intent, errors }, { status })

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, session } = await requireAuth(request)
  const formData = await request.formData()
  const intent = formData.get('intent')
  switch (intent) {
    case 'profile': {
      const form = parseForm(profileForm, formData)
      if (!form.ok) return fail(intent, form.errors)
      const updated = await updateProfile({ user, displayName: form.data.displayName })
      if (!updated.ok) return fail(intent, { displayName: t.errors.nameReserved })
      return redirectWithFlash('/account', { kind: 'success', message: t.account.profileSaved })
    }
    case 'preferences': {
      const form = parseForm(emailPreferencesForm, formData)
      if (!form.ok) return fail(intent, form.errors)
      await updateEmailPreferences({ userId: user.id, ...form.data })
      return redirectWithFlash('/account', { kind: 'success', message: t.account.prefsSaved })
    }
    case 'notifications': {
      // Only the signed-in reader's own switches: the user comes from the session, never the form.
      await saveNotificationPreferences({ userId: user.id, enabled: new Set(formData.keys()) })
      return redirectWithFlash('/account', { kind: 'success', message: t.notifications.prefsSaved })
    }
    case 'password': {
      const form = parseForm(changePasswordForm, formData)
      if (!form.ok) return fail(intent, form.errors)
      if (!(await checkPassword(user.id, form.data.currentPassword))) {
        return fail(intent, { currentPassword: t.errors.currentPasswordWrong })
      }
      const hash = await hashPassword(form.data.password)
      // Every session ends (this one too); this browser gets a fresh one below.
      await transaction(async (tx) => {
        await setPasswordHash({ userId: user.id, hash }, tx)
        await invalidateUserSessions(user.id, tx)
        await deleteUserAuthTokens(user.id, tx)
        await sendEmail({ ...passwordChangedEmail({ name: user.displayName }), to: user.email, template: 'password_changed' }, tx)
      })
      const cookie = await newSessionCookie(user.id, sessionContext(request, context.clientIp))
      return redirectWithFlash('/account', { kind: 'success', message: t.account.passwordChanged }, { headers: { 'Set-Cookie': cookie } })
    }
    case 'add-email': {
      const form = parseForm(emailOnlyForm, formData)
      if (!form.ok) return fail(intent, form.errors)
      const added = await addEmailAddress({ user, email: form.data.email, ip: context.clientIp ?? '' })
      if (added.ok) return redirectWithFlash('/account', { kind: 'success', message: t.wechatAuth.account.emailAddedFlash })
      if (added.reason === 'rate_limited') {
        return data<ActionData>({ intent, errors: { email: t.wechatAuth.account.tooManyEmails(added.waitSeconds) } }, { status: 429, headers: { 'Retry-After': String(added.waitSeconds) } })
      }
      return added.reason === 'taken' ? fail(intent, { email: t.wechatAuth.account.emailTaken }, 409) : fail(intent, { form: t.wechatAuth.account.emailNotAllowed }, 403)
    }
    case 'set-password': {
      const form = parseForm(newPasswordForm, formData)
      if (!form.ok) return fail(intent, form.errors)
      // Only for an account with no password: it never stands in for 修改密码's current-password check.
      if (!(await setFirstPassword({ userId: user.id, hash: await hashPassword(form.data.password) }))) {
        return fail(intent, { form: t.wechatAuth.account.passwordExists }, 409)
      }
      return redirectWithFlash('/account', { kind: 'success', message: t.wechatAuth.account.passwordSetFlash })
    }
    case 'revoke': {
      const sessionId = formData.get('sessionId')
      if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) return fail(intent, { form: t.errors.invalidChoice })
      // The query names this user, so another user's session id does nothing.
      const revoked = await revokeUserSession({ userId: user.id, sessionId })
      if (!revoked) return fail(intent, { form: t.errors.invalidChoice }, 404)
      return redirectWithFlash('/account', { kind: 'success', message: t.account.revoked })
    }
    case 'podcast-reset': {
      if (!(await getPodcastFeedOf(user))) return fail(intent, { form: t.daily.podcastMembersOnly }, 403)
      const hadToken = Boolean(user.podcastToken)
      await resetPodcastToken(user.id)
      return redirectWithFlash('/account', {
        kind: 'success',
        message: hadToken ? t.daily.podcastResetDone : t.daily.podcastCreated,
      })
    }
    case 'resend-verification': {
      const sent = await resendVerificationEmail(user)
      if (!sent.ok && sent.reason === 'too_many') return fail(intent, { form: t.account.verificationTooMany }, 429)
      return redirectWithFlash('/account', { kind: 'success', message: sent.ok ? t.account.verificationSent : t.account.alreadyVerified })
    }
    case WECHAT_UNLINK_INTENT:
      return unlinkWechatFromAccount(user.id)
    case 'revoke-others': {
      await revokeOtherSessions({ userId: user.id, keepSessionId: session.id })
      return redirectWithFlash('/account', { kind: 'success', message: t.account.othersRevoked })
    }
    default:
      return fail('profile', { form: t.errors.invalidChoice })
  }
}

function describeDevice(userAgent: string) {
  if (!userAgent) return t.account.unknownDevice
  const browser = /MicroMessenger/.test(userAgent)
    ? '微信'
    : /Edg\//.test(userAgent)
      ? 'Edge'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Firefox\//.test(userAgent)
          ? 'Firefox'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : null
  const os = /iPhone|iPad/.test(userAgent)
    ? 'iOS'
    : /Android/.test(userAgent)
      ? 'Android'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null
  return [browser, os].filter(Boolean).join(' · ') || userAgent.slice(0, 60)
}

export default function Account() {
  const { user, membership, sessions, timeZone, checkins, podcast, referral, notificationPrefs, wechat, finishedCourses } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errorsFor = (intent: Intent) => (actionData?.intent === intent ? actionData.errors : {})
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="space-y-6">
      <PageTitle
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <span className="break-all">{user.email ? `${t.account.email}：${user.email}` : t.wechatAuth.account.noEmailYet}</span>
            {user.email ? <Badge tone={user.emailVerified ? 'green' : 'amber'}>{user.emailVerified ? t.account.emailVerified : t.account.emailUnverified}</Badge> : null}
          </span>
        }
      >
        {t.account.title}
      </PageTitle>

      {user.emailVerified || !user.email ? null : (
        <Card>
          <h2 className="mb-1 text-lg font-semibold">{t.account.unverifiedTitle}</h2>
          <p className="mb-3 text-sm text-stone-600">{t.account.unverifiedHelp}</p>
          <FormError error={errorsFor('resend-verification').form} />
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="resend-verification" />
            <Button disabled={busy}>{t.account.resendVerification}</Button>
          </Form>
        </Card>
      )}

      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t.account.membership}</h2>
        {membership ? (
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone="brand">{membership.tierName}</Badge>
            <span className="text-stone-700">
              {t.fields.validUntil} {formatValidUntil(membership.validUntil, timeZone)}
            </span>
          </p>
        ) : (
          <p className="text-stone-600">
            {t.account.noMembership}{' '}
            <Link to="/membership" className="font-medium text-brand-700 underline">
              {t.account.seeMembership}
            </Link>
          </p>
        )}
        {user.role !== 'user' ? (
          <p className="mt-3 text-sm text-stone-600">
            {t.account.role}：<Badge tone="amber">{t.roles[user.role]}</Badge>
          </p>
        ) : null}
      </Card>

      <FinishedCourses courses={finishedCourses} />

      <Card>
        <h2 className="mb-1 text-lg font-semibold">
          <Link to="/account/notes" className="text-brand-700 hover:underline">
            {t.account.notes} →
          </Link>
        </h2>
        <p className="text-sm text-stone-600">{t.account.notesHint}</p>
      </Card>

      <Card className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-lg font-semibold">{t.account.addressesTitle}</h2>
        <Link to="/account/addresses" className="font-medium text-brand-700 underline">
          {t.account.addressesManage}
        </Link>
      </Card>

      <WechatAccountCard wechat={wechat} />

      {user.mayAddEmail ? (
        <Card>
          <h2 className="mb-1 text-lg font-semibold">{t.wechatAuth.account.addEmailTitle}</h2>
          <p className="mb-4 text-sm text-stone-600">{t.wechatAuth.account.addEmailHelp}</p>
          <Form method="post" className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="add-email" />
            <FormError error={errorsFor('add-email').form} />
            <Field label={t.fields.email} name="email" type="email" autoComplete="email" required error={errorsFor('add-email').email} />
            <Button disabled={busy}>{t.wechatAuth.account.addEmailSubmit}</Button>
          </Form>
        </Card>
      ) : null}

      {user.hasPassword ? null : (
        <Card>
          <h2 className="mb-1 text-lg font-semibold">{t.wechatAuth.account.setPasswordTitle}</h2>
          <p className="mb-4 text-sm text-stone-600">{t.wechatAuth.account.setPasswordHelp}</p>
          <Form method="post" className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="set-password" />
            <FormError error={errorsFor('set-password').form} />
            <PasswordField label={t.fields.newPassword} name="password" autoComplete="new-password" required minLength={8} hint={t.auth.passwordHint} error={errorsFor('set-password').password} />
            <PasswordField label={t.fields.confirmPassword} name="confirmPassword" autoComplete="new-password" required error={errorsFor('set-password').confirmPassword} />
            <Button variant="secondary" disabled={busy}>
              {t.wechatAuth.account.setPasswordSubmit}
            </Button>
          </Form>
        </Card>
      )}

      <ReferralCard referral={referral} />

      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t.daily.streakTitle}</h2>
        <p className="text-3xl font-bold text-brand-700" data-testid="streak">
          {t.daily.streak(checkins.current)}
        </p>
        <p className="mt-1 text-sm text-stone-700">
          {checkins.checkedInToday ? t.daily.streakToday : t.daily.streakNotToday} · {t.daily.streakStats(checkins.longest, checkins.total)}
        </p>
        <p className="mt-1 text-sm text-stone-600">{t.daily.streakHelp}</p>
      </Card>

      {podcast ? (
        <Card>
          <h2 className="mb-1 text-lg font-semibold">{t.daily.podcastTitle}</h2>
          <p className="mb-3 text-sm text-stone-600">{podcast.coursesOnly ? t.daily.podcastHelpCourses : t.daily.podcastHelp}</p>
          <FormError error={errorsFor('podcast-reset').form} />
          {podcast.url ? (
            <p className="mb-3 break-all rounded-lg bg-stone-50 p-3 font-mono text-sm" data-testid="podcast-url">
              {podcast.url}
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="podcast-reset" />
            <Button variant="secondary" disabled={busy}>
              {podcast.url ? t.daily.podcastReset : t.daily.podcastCreate}
            </Button>
          </Form>
        </Card>
      ) : null}

      <Card>
        <h2 className="mb-4 text-lg font-semibold">{t.account.profile}</h2>
        <Form method="post" className="space-y-4" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <FormError error={errorsFor('profile').form} />
          <Field label={t.fields.displayName} name="displayName" defaultValue={user.displayName} maxLength={40} required error={errorsFor('profile').displayName} />
          <Button disabled={busy}>{t.account.saveProfile}</Button>
        </Form>
      </Card>

      <Card>
        <h2 className="mb-4 text-lg font-semibold">{t.account.prefs}</h2>
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="preferences" />
          <label className="flex items-start gap-3">
            <input type="checkbox" name="emailDaily" defaultChecked={user.emailDaily} className="mt-1 h-4 w-4 accent-brand-700" />
            <span>
              {t.account.prefDaily}
              {user.emailVerified ? null : <span className="text-stone-500">{t.account.prefDailyAfterVerification}</span>}
            </span>
          </label>
          <Button variant="secondary" disabled={busy}>
            {t.account.savePrefs}
          </Button>
        </Form>
      </Card>

      <NotificationPreferences {...notificationPrefs} busy={busy} />

      {user.hasPassword ? (
        <Card>
          <h2 className="mb-4 text-lg font-semibold">{t.account.password}</h2>
          <Form method="post" className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="password" />
            <PasswordField label={t.fields.currentPassword} name="currentPassword" autoComplete="current-password" required error={errorsFor('password').currentPassword} />
            <PasswordField label={t.fields.newPassword} name="password" autoComplete="new-password" required minLength={8} hint={t.auth.passwordHint} error={errorsFor('password').password} />
            <PasswordField label={t.fields.confirmPassword} name="confirmPassword" autoComplete="new-password" required error={errorsFor('password').confirmPassword} />
            <Button variant="secondary" disabled={busy}>
              {t.account.changePassword}
            </Button>
          </Form>
        </Card>
      ) : null}

      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t.account.sessions}</h2>
        <p className="mb-4 text-sm text-stone-600">{t.account.sessionsHelp}</p>
        <FormError error={errorsFor('revoke').form} />
        <ul className="divide-y divide-stone-100">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div>
                <p className="font-medium">
                  {describeDevice(s.userAgent)} {s.current ? <Badge tone="green">{t.account.thisDevice}</Badge> : null}
                </p>
                <p className="text-xs text-stone-500">
                  {t.account.lastSeen} {formatDateTime(s.lastSeenAt, timeZone)} · {t.account.signedInAt} {formatDateTime(s.createdAt, timeZone)}
                  {s.ip ? ` · ${s.ip}` : ''}
                </p>
              </div>
              {s.current ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="sessionId" value={s.id} />
                  <Button variant="danger" className="px-3 py-1.5" disabled={busy}>
                    {t.account.revoke}
                  </Button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {sessions.length > 1 ? (
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="revoke-others" />
            <Button variant="secondary" disabled={busy}>
              {t.account.revokeOthers}
            </Button>
          </Form>
        ) : null}
      </Card>
    </div>
  )
}
