import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { DEFAULT_DEADLINE_MS } from '../../db/busy'
import { ICP_NUMBER_PATTERN, PUBLISH_TIME_PATTERN, SUPPORT_CONTACT_LENGTH, supportContactProblem } from '../domain/site-settings'

/** Requests a process works on at once by default (docs/decisions/041-admission.md). */
export const DEFAULT_REQUEST_CONCURRENCY = 8

const DATABASE_SCHEMES = ['file:', 'libsql:', 'http:', 'https:', 'ws:', 'wss:']

/** pino's levels, most severe first, and 'silent' (nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

function isTimeZone(value: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  } catch {
    return false
  }
}

// An empty variable (`FOO=`) means "not set", as it does in most deploy tools.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional())

const schema = z.object({
  NODE_ENV: optional(z.enum(['development', 'production', 'test'])).transform((v) => v ?? 'development'),
  PORT: optional(z.coerce.number().int().min(1).max(65535)).transform((v) => v ?? 3000),
  DATA_DIR: optional(z.string()).transform((v) => v ?? './data'),
  DATABASE_URL: optional(
    z.string().refine((v) => DATABASE_SCHEMES.some((s) => v.startsWith(s)), {
      message: `must start with one of ${DATABASE_SCHEMES.join(' ')}`,
    }),
  ),
  DATABASE_AUTH_TOKEN: optional(z.string()),
  // Scaling out (docs/decisions/037-write-path-across-processes.md): a local file kept as an
  // embedded replica of the libsql server in DATABASE_URL (reads local, writes to the server);
  // how many server processes share the port (default: one per core); how long a write may
  // wait for a busy database before it is answered 503.
  DATABASE_REPLICA_PATH: optional(z.string()),
  WEB_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64)),
  WRITE_DEADLINE_MS: optional(z.coerce.number().int().min(100).max(120_000)).transform((v) => v ?? DEFAULT_DEADLINE_MS),
  // How many requests each process works on at once; the rest wait their turn in arrival order
  // for at most WRITE_DEADLINE_MS (docs/decisions/041-admission.md). 0: no limit.
  REQUEST_CONCURRENCY: optional(z.coerce.number().int().min(0).max(10_000)).transform((v) => v ?? DEFAULT_REQUEST_CONCURRENCY),
  UPLOAD_DIR: optional(z.string()),
  WECHAT_TOKEN: optional(z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3-32 letters or digits, as the WeChat console requires')),
  // The Official Account (服务号): web authorisation in WeChat's browser, JS-SDK, template messages.
  WECHAT_APPID: optional(z.string().regex(/^wx[0-9a-f]{16}$/, 'must be a WeChat AppID (wx followed by 16 hex digits)')),
  WECHAT_APPSECRET: optional(z.string().regex(/^[0-9a-f]{32}$/, 'must be a WeChat AppSecret (32 hex digits)')),
  // The Open Platform website application: 微信扫码登录 on desktop browsers (optional).
  WECHAT_OPEN_APPID: optional(z.string().regex(/^wx[0-9a-f]{16}$/, 'must be a WeChat AppID (wx followed by 16 hex digits)')),
  WECHAT_OPEN_APPSECRET: optional(z.string().regex(/^[0-9a-f]{32}$/, 'must be a WeChat AppSecret (32 hex digits)')),
  // Without keys outside production, WeChat runs in a marked test mode; in production only with
  // this opt-in (docs/decisions/020-wechat-integration.md).
  WECHAT_TEST_MODE: optional(z.enum(['0', '1', 'false', 'true'], 'must be 1 or 0')).transform((v) => v === '1' || v === 'true'),
  // The template message (模板消息) every WeChat notification uses: one generic 服务提醒 template
  // with first / keyword1 / keyword2 / remark (docs/decisions/023-notifications.md).
  WECHAT_TEMPLATE_ID: optional(z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, 'must be a WeChat template id')),
  SESSION_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  SITE_URL: optional(z.url({ protocol: /^https?$/ }).transform((v) => v.replace(/\/+$/, ''))),
  SITE_TIMEZONE: optional(z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai')).transform(
    (v) => v ?? 'Asia/Shanghai',
  ),
  // The initial values of the site settings an admin edits at /admin/settings: the site uses
  // them until the admin saves its own, and again when a field there is cleared (decision 052).
  // When a daily goes out by default (the editor proposes it; the home page announces it).
  DAILY_PUBLISH_TIME: optional(z.string().regex(PUBLISH_TIME_PATTERN, 'must be a time of day as HH:MM, such as 06:30')),
  // The footer's 联系客服: an email address or a WeChat ID readers may write to.
  SUPPORT_CONTACT: optional(
    z
      .string()
      .trim()
      .refine((v) => supportContactProblem(v) === null, `must be an email address or a WeChat ID of ${SUPPORT_CONTACT_LENGTH.min}-${SUPPORT_CONTACT_LENGTH.max} characters`),
  ),
  // The site's ICP 备案号 (e.g. 京ICP备12345678号-1), shown in the footer and linked to the MIIT
  // register as the rules for sites served in mainland China require.
  ICP_NUMBER: optional(z.string().trim().regex(ICP_NUMBER_PATTERN, 'must be an ICP number such as 京ICP备12345678号-1')),
  RESEND_API_KEY: optional(z.string().startsWith('re_', 'must be a Resend API key (re_…)')),
  // Express `trust proxy`: a hop count, true/false, or addresses ("loopback", "10.0.0.0/8").
  TRUST_PROXY: optional(z.string()).transform((v): boolean | number | string => {
    if (v === undefined) return 'loopback'
    if (v === 'true' || v === 'false') return v === 'true'
    return /^\d+$/.test(v) ? Number(v) : v
  }),
  MAIL_FROM: optional(z.string().min(3)).transform((v) => v ?? '知音 Zhiyin <noreply@zhiyin.local>'),
  // Minutes a checkout holds stock or a seat before it lapses (DESIGN.md §4.2).
  HOLD_MINUTES: optional(z.coerce.number().int().min(1).max(120)).transform((v) => v ?? 10),
  // The drop's waiting room (docs/decisions/031-drop-waiting-room.md): how many buyers may be
  // deciding a seat at once before the next ones are given a place in line.
  DROP_LINE_WINDOW: optional(z.coerce.number().int().min(1).max(100_000)).transform((v) => v ?? 200),
  // Both set: payments go through Stripe Checkout. Neither: the built-in test provider outside
  // production; in production no provider at all unless PAYMENTS_TEST_MODE opts in (decision 011).
  PAYMENTS_TEST_MODE: optional(z.enum(['0', '1', 'false', 'true'], 'must be 1 or 0')).transform((v) => v === '1' || v === 'true'),
  STRIPE_SECRET_KEY: optional(z.string().regex(/^(sk|rk)_(test|live)_/, 'must be a Stripe secret key (sk_test_… / sk_live_…)')),
  STRIPE_WEBHOOK_SECRET: optional(z.string().startsWith('whsec_', 'must be a Stripe webhook signing secret (whsec_…)')),
  // Alipay (docs/decisions/026-alipay.md): the app's id, its RSA2 private key and Alipay's public
  // key (公钥 mode, not certificates), each key as PEM text, a path to a PEM file, or the bare
  // base64 that Alipay's key tool prints; all three or none. ALIPAY_GATEWAY: the sandbox's.
  ALIPAY_APPID: optional(z.string().regex(/^[0-9]{16}$/, 'must be an Alipay APPID (16 digits; sandbox apps start with 90)')),
  ALIPAY_PRIVATE_KEY: optional(z.string().transform((v, ctx) => alipayKey(v, 'private', ctx))),
  ALIPAY_PUBLIC_KEY: optional(z.string().transform((v, ctx) => alipayKey(v, 'public', ctx))),
  ALIPAY_GATEWAY: optional(z.url({ protocol: /^https$/ })),
  // WeChat Pay API v3 (docs/decisions/025-wechat-pay.md): all seven or none; the key files are read at first use.
  WECHATPAY_MCHID: optional(z.string().regex(/^\d{8,12}$/, 'must be a WeChat Pay merchant id (商户号, digits)')),
  WECHATPAY_APPID: optional(z.string().regex(/^wx[0-9a-f]{16}$/, 'must be a WeChat AppID (wx followed by 16 hex digits)')),
  WECHATPAY_SERIAL: optional(z.string().regex(/^[0-9A-Fa-f]{8,64}$/, 'must be the merchant API certificate serial number (hex)')),
  WECHATPAY_PRIVATE_KEY: optional(z.string().min(1)),
  WECHATPAY_APIV3_KEY: optional(z.string().regex(/^[\x21-\x7e]{32}$/, 'must be the 32-character API v3 key')),
  WECHATPAY_PLATFORM_PUBLIC_KEY: optional(z.string().min(1)),
  WECHATPAY_PLATFORM_PUBLIC_KEY_ID: optional(z.string().regex(/^PUB_KEY_ID_[0-9A-Za-z]+$/, 'must be a WeChat Pay public key id (PUB_KEY_ID_…)')),
  // Logs and metrics (docs/decisions/036-logs-and-metrics.md).
  // The least severe log lines written (JSON on stdout); default info, silent under NODE_ENV=test.
  LOG_LEVEL: optional(z.enum(LOG_LEVELS)),
  // Port of the internal /metrics endpoint (Prometheus text); unset: no endpoint.
  METRICS_PORT: optional(z.coerce.number().int().min(1).max(65535)),
  // Address it listens on; anything but loopback requires METRICS_TOKEN.
  METRICS_HOST: optional(z.string()).transform((v) => v ?? '127.0.0.1'),
  // When set, a scrape must send `Authorization: Bearer <token>`.
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
})
  .refine(
    (env) => {
      const set = [env.WECHATPAY_MCHID, env.WECHATPAY_APPID, env.WECHATPAY_SERIAL, env.WECHATPAY_PRIVATE_KEY, env.WECHATPAY_APIV3_KEY, env.WECHATPAY_PLATFORM_PUBLIC_KEY, env.WECHATPAY_PLATFORM_PUBLIC_KEY_ID]
      return set.every(Boolean) || !set.some(Boolean)
    },
    {
      message:
        'WECHATPAY_MCHID, WECHATPAY_APPID, WECHATPAY_SERIAL, WECHATPAY_PRIVATE_KEY (path), WECHATPAY_APIV3_KEY, WECHATPAY_PLATFORM_PUBLIC_KEY (path) and WECHATPAY_PLATFORM_PUBLIC_KEY_ID are set together or not at all',
      path: ['WECHATPAY_MCHID'],
    },
  )
  .refine((env) => Boolean(env.STRIPE_SECRET_KEY) === Boolean(env.STRIPE_WEBHOOK_SECRET), {
    message: 'STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set together or not at all',
    path: ['STRIPE_WEBHOOK_SECRET'],
  })
  .refine((env) => new Set([Boolean(env.ALIPAY_APPID), Boolean(env.ALIPAY_PRIVATE_KEY), Boolean(env.ALIPAY_PUBLIC_KEY)]).size === 1, {
    message: 'ALIPAY_APPID, ALIPAY_PRIVATE_KEY and ALIPAY_PUBLIC_KEY are set together or not at all',
    path: ['ALIPAY_PUBLIC_KEY'],
  })
  .refine((env) => Boolean(env.WECHAT_APPID) === Boolean(env.WECHAT_APPSECRET), {
    message: 'WECHAT_APPID and WECHAT_APPSECRET are set together or not at all',
    path: ['WECHAT_APPSECRET'],
  })
  .refine((env) => Boolean(env.WECHAT_OPEN_APPID) === Boolean(env.WECHAT_OPEN_APPSECRET), {
    message: 'WECHAT_OPEN_APPID and WECHAT_OPEN_APPSECRET are set together or not at all',
    path: ['WECHAT_OPEN_APPSECRET'],
  })
  .refine((env) => env.METRICS_PORT !== env.PORT, { message: 'must differ from PORT: metrics are never served on the public port', path: ['METRICS_PORT'] })

export type Env = Omit<z.infer<typeof schema>, 'DATABASE_URL' | 'SESSION_SECRET' | 'SITE_URL' | 'UPLOAD_DIR'> & {
  DATABASE_URL: string
  UPLOAD_DIR: string
  SESSION_SECRET: string
  SITE_URL: string
}

export class EnvError extends Error {
  name = 'EnvError'
}

/** Parses an environment; throws an EnvError naming every wrong variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new EnvError(`Invalid environment variables:\n${lines.join('\n')}`)
  }
  const env = result.data
  let secret = env.SESSION_SECRET
  if (!secret) {
    if (env.NODE_ENV === 'production') {
      throw new EnvError('Invalid environment variables:\n  SESSION_SECRET: required when NODE_ENV=production')
    }
    secret = readOrCreateSecret(env.DATA_DIR)
  }
  return {
    ...env,
    DATABASE_URL: env.DATABASE_URL ?? `file:${join(env.DATA_DIR, 'zhiyin.db')}`,
    UPLOAD_DIR: env.UPLOAD_DIR ?? join(env.DATA_DIR, 'uploads'),
    SESSION_SECRET: secret,
    SITE_URL: env.SITE_URL ?? `http://localhost:${env.PORT}`,
  }
}

/** Outside production a secret is generated once and kept beside the database. */
function readOrCreateSecret(dataDir: string) {
  const file = join(dataDir, 'session-secret')
  const existing = readSecretFile(file)
  if (existing !== null) return existing
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('hex')
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' })
    return secret
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readSecretFile(file)!
    throw error
  }
}

function readSecretFile(file: string) {
  let secret: string
  try {
    secret = readFileSync(file, 'utf8').trim()
  } catch {
    return null
  }
  if (secret.length < 32) {
    throw new EnvError(`Invalid environment variables:\n  SESSION_SECRET: ${file} holds fewer than 32 characters; delete it to generate a new one`)
  }
  return secret
}

let cached: Env | undefined
/** The validated environment of this process (parsed once). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env)
  return cached
}

/** Alipay's settings when all are set (docs/decisions/026-alipay.md), else null. */
export function alipayConfig(env: Pick<Env, 'ALIPAY_APPID' | 'ALIPAY_PRIVATE_KEY' | 'ALIPAY_PUBLIC_KEY' | 'ALIPAY_GATEWAY' | 'SITE_URL'> = getEnv()) {
  if (!env.ALIPAY_APPID || !env.ALIPAY_PRIVATE_KEY || !env.ALIPAY_PUBLIC_KEY) return null
  return {
    appId: env.ALIPAY_APPID,
    privateKey: env.ALIPAY_PRIVATE_KEY,
    alipayPublicKey: env.ALIPAY_PUBLIC_KEY,
    gateway: env.ALIPAY_GATEWAY ?? 'https://openapi.alipay.com/gateway.do',
    notifyUrl: `${env.SITE_URL}/webhooks/alipay`,
  }
}
export type AlipayConfig = NonNullable<ReturnType<typeof alipayConfig>>

/**
 * An Alipay key as PEM (PKCS8 private / SPKI public), read from PEM text, a PEM file's path, or
 * the bare base64 (PKCS8 or PKCS1) that Alipay's key tool prints; a key that does not load is
 * an error at start-up, not at the first payment.
 */
function alipayKey(value: string, kind: 'private' | 'public', ctx: z.RefinementCtx): string {
  const text = value.includes('-----BEGIN') || /^[A-Za-z0-9+/=\s]{200,}$/.test(value) ? value : readKeyFile(value)
  const der = text.includes('-----BEGIN') ? null : Buffer.from(text.replace(/\s+/g, ''), 'base64')
  const attempts: (() => KeyObject)[] =
    kind === 'private'
      ? der
        ? [() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })]
        : [() => createPrivateKey(text)]
      : der
        ? [() => createPublicKey({ key: der, format: 'der', type: 'spki' })]
        : [() => createPublicKey(text)]
  for (const attempt of attempts) {
    try {
      const key = attempt()
      if (key.asymmetricKeyType !== 'rsa') break
      return kind === 'private' ? key.export({ format: 'pem', type: 'pkcs8' }).toString() : key.export({ format: 'pem', type: 'spki' }).toString()
    } catch {
      // The next form, or the message below.
    }
  }
  ctx.addIssue({ code: 'custom', message: `must be an RSA ${kind} key: PEM text, a path to a PEM file, or base64 from Alipay's key tool` })
  return z.NEVER
}

function readKeyFile(path: string) {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}
