// The WeChat Official Account message protocol, plaintext (明文) mode only: the signature
// check, reading and parsing a pushed message, and building passive replies.
// https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
import { createHash, timingSafeEqual } from 'node:crypto'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { Daily } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { stripIllegalXmlChars } from './xml.server'

// ---- signature ----------------------------------------------------------------------------

/** SHA-1 (hex) of token, timestamp and nonce, sorted and joined, as WeChat signs its calls. */
export function signatureOf(token: string, timestamp: string, nonce: string) {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex')
}

/** Whether the query string (`signature`, `timestamp`, `nonce`) was signed with our token. */
export function verifySignature(token: string, query: URLSearchParams) {
  const signature = query.get('signature')
  const timestamp = query.get('timestamp')
  const nonce = query.get('nonce')
  if (!signature || !timestamp || !nonce) return false
  const expected = Buffer.from(signatureOf(token, timestamp, nonce))
  const given = Buffer.from(signature.toLowerCase())
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** How far from our clock a signed call's timestamp may be, either way. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000

/**
 * When a call was signed, if its timestamp (Unix seconds) is within the window of `now`; null
 * for a stale, future or unreadable one. A signature proves who signed, not when: without this a
 * captured URL would stay valid for ever.
 */
export function freshSignedAt(timestamp: string, now: Date): Date | null {
  if (!/^\d{1,12}$/.test(timestamp)) return null
  const signedAt = new Date(Number(timestamp) * 1000)
  return Math.abs(now.getTime() - signedAt.getTime()) <= SIGNATURE_WINDOW_MS ? signedAt : null
}

// ---- parsing a message --------------------------------------------------------------------

interface Envelope {
  /** The Official Account's id (gh_…): our reply's FromUserName. */
  toUserName: string
  /** The subscriber's OpenID: our reply's ToUserName. */
  fromUserName: string
  /** Unix seconds, as sent. */
  createTime: string
  /** Present on ordinary messages; events have none. */
  msgId: string | null
}

export type WechatMessage =
  | (Envelope & { type: 'text'; content: string })
  | (Envelope & { type: 'subscribe' })
  | (Envelope & { type: 'other'; msgType: string; event: string | null })

/** The messages Zhiyin answers; every other one gets WeChat's "no reply". */
export type AnsweredMessage = Exclude<WechatMessage, { type: 'other' }>

export type ParseResult = { ok: true; message: WechatMessage } | { ok: false; error: 'entities' | 'malformed' }

// A DTD is how entity bombs ("billion laughs") and external entities get in; WeChat never
// sends one, so a body that has one is refused before any parser sees it.
const DTD_MARKUP = /<!(?:DOCTYPE|ENTITY)/i

// Entities stay as written: no DTD entities, no HTML entities. Tag values stay strings, so a
// 64-bit MsgId keeps every digit.
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
})

class MalformedMessage extends Error {}

/** A field's text: undefined when absent; a repeated or nested field is malformed. */
function readField(root: Record<string, unknown>, name: string) {
  const value = root[name]
  if (value === undefined || typeof value === 'string') return value
  throw new MalformedMessage(name)
}

function requireField(root: Record<string, unknown>, name: string, pattern = /\S/) {
  const value = readField(root, name)
  if (value === undefined || !pattern.test(value)) throw new MalformedMessage(name)
  return value
}

/** Parses a pushed message (`<xml>…</xml>`) into a typed message, or says why it cannot. */
export function parseMessage(xml: string): ParseResult {
  if (DTD_MARKUP.test(xml)) return { ok: false, error: 'entities' }
  if (XMLValidator.validate(xml) !== true) return { ok: false, error: 'malformed' }
  let document: unknown
  try {
    document = parser.parse(xml)
  } catch {
    // The parser refuses, among others, tags nested deeper than it allows and tags named like
    // JavaScript's own properties (<__proto__>, <constructor>): such a message is not WeChat's.
    return { ok: false, error: 'malformed' }
  }
  try {
    const root: unknown = (document as { xml?: unknown } | null)?.xml
    if (typeof root !== 'object' || root === null || Array.isArray(root)) return { ok: false, error: 'malformed' }
    const fields = root as Record<string, unknown>
    const envelope: Envelope = {
      toUserName: requireField(fields, 'ToUserName'),
      fromUserName: requireField(fields, 'FromUserName'),
      createTime: requireField(fields, 'CreateTime', /^\d+$/),
      msgId: readField(fields, 'MsgId') || null,
    }
    const msgType = requireField(fields, 'MsgType').toLowerCase()
    if (msgType === 'text') return { ok: true, message: { ...envelope, type: 'text', content: readField(fields, 'Content') ?? '' } }
    const event = msgType === 'event' ? requireField(fields, 'Event').toLowerCase() : null
    if (event === 'subscribe') return { ok: true, message: { ...envelope, type: 'subscribe' } }
    return { ok: true, message: { ...envelope, type: 'other', msgType, event } }
  } catch (error) {
    if (error instanceof MalformedMessage) return { ok: false, error: 'malformed' }
    throw error
  }
}

/** What identifies a message across WeChat's retries: its MsgId, or sender and time for events. */
export function messageKey(message: WechatMessage) {
  return message.msgId ? `msg:${message.msgId}` : `user:${message.fromUserName}:${message.createTime}`
}

// ---- building replies ---------------------------------------------------------------------

/**
 * A CDATA section holding any text: a `]]>` inside is split across two sections, and characters
 * XML 1.0 forbids (ill-formed even inside CDATA) are dropped.
 */
export function cdata(value: string) {
  return `<![CDATA[${stripIllegalXmlChars(value).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

/** The head every passive reply shares: addressed back to the sender. */
function replyHead(message: WechatMessage, msgType: string, now: Date) {
  return (
    `<ToUserName>${cdata(message.fromUserName)}</ToUserName>` +
    `<FromUserName>${cdata(message.toUserName)}</FromUserName>` +
    `<CreateTime>${Math.floor(now.getTime() / 1000)}</CreateTime>` +
    `<MsgType>${cdata(msgType)}</MsgType>`
  )
}

export function buildTextReply(message: WechatMessage, content: string, now: Date) {
  return `<xml>${replyHead(message, 'text', now)}<Content>${cdata(content)}</Content></xml>`
}

export interface NewsArticle {
  title: string
  description: string
  picUrl: string | null
  url: string
}

/** A one-article "news" reply (图文消息). */
export function buildNewsReply(message: WechatMessage, article: NewsArticle, now: Date) {
  const picUrl = article.picUrl ? `<PicUrl>${cdata(article.picUrl)}</PicUrl>` : ''
  const item =
    `<item><Title>${cdata(article.title)}</Title><Description>${cdata(article.description)}</Description>` +
    `${picUrl}<Url>${cdata(article.url)}</Url></item>`
  return `<xml>${replyHead(message, 'news', now)}<ArticleCount>1</ArticleCount><Articles>${item}</Articles></xml>`
}

type RepliedDaily = Pick<Daily, 'date' | 'title' | 'teaser' | 'coverId' | 'keyword'>

/**
 * A daily as a news article: title and teaser only (never the body). The link is the keyword
 * reply itself (/keyword?q=…), so tapping it opens the article for the reader in WeChat's
 * browser as if typed into the box, and counts their 打卡.
 */
export function articleOf(daily: RepliedDaily, siteUrl: string): NewsArticle {
  return {
    title: daily.title,
    description: daily.teaser,
    picUrl: daily.coverId ? `${siteUrl}/media/${encodeURIComponent(daily.coverId)}` : null,
    url: `${siteUrl}/keyword?${new URLSearchParams({ q: daily.keyword })}`,
  }
}

/**
 * The reply to an answered message: a keyword that matches a daily gets that daily as news,
 * any other text gets help, a new subscriber gets a welcome.
 */
export function composeReply(
  message: AnsweredMessage,
  { daily, siteUrl, now, signedInUrl = null }: { daily: RepliedDaily | undefined; siteUrl: string; now: Date; signedInUrl?: string | null },
) {
  if (message.type === 'subscribe') return buildTextReply(message, t.wechat.welcome(siteUrl), now)
  // A follower linked to an account gets a link that opens the article signed in (decision 021).
  if (daily) return buildNewsReply(message, { ...articleOf(daily, siteUrl), ...(signedInUrl ? { url: signedInUrl } : {}) }, now)
  return buildTextReply(message, t.wechat.help(siteUrl), now)
}

// ---- responses ----------------------------------------------------------------------------

export function xmlResponse(xml: string) {
  return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'no-store' } })
}

export function textResponse(text: string, status = 200) {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}

/** WeChat's "no reply": it shows nothing to the subscriber and does not retry. */
export function noReplyResponse() {
  return textResponse('success')
}
