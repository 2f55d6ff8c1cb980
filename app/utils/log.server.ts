// The one logger of the process: JSON lines on stdout (pino), each line about a request carrying
// that request's id, and nothing secret in them (docs/decisions/036-logs-and-metrics.md).
// server/ and the app's modules both log through it; the server bundle and the server's own
// modules each load this file, so what must be one per process is kept on globalThis, as the
// database handle is.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino'
import { LOG_LEVELS, type LogLevel } from './env.server'
import { redactUrl } from './redact'

/** What code running for one request may know of it. */
export interface RequestContext {
  reqId: string
}

interface LogState {
  logger: Logger
  requests: AsyncLocalStorage<RequestContext>
  /** Where lines go: stdout, or what redirectLogs() put instead. */
  destination: DestinationStream
}

declare global {
  var __zhiyinLog: LogState | undefined
}

/**
 * LOG_LEVEL when it names a level; otherwise info, or silent under NODE_ENV=test so that test
 * runs print only what fails. Read from process.env directly: the logger exists before
 * getEnv() validates the environment (and reports a wrong LOG_LEVEL through it).
 */
export function logLevelOf(source: Record<string, string | undefined>): LogLevel {
  const level = source.LOG_LEVEL as LogLevel | undefined
  if (level && LOG_LEVELS.includes(level)) return level
  return source.NODE_ENV === 'test' ? 'silent' : 'info'
}

/** Header values that may be a secret wherever they are logged. */
const SECRET_HEADERS = ['cookie', 'authorization', 'set-cookie', 'proxy-authorization', 'x-wechatpay-signature']

/**
 * A request as a log line shows it: its URL with secrets hidden (redactUrl), never its headers
 * (cookies, Authorization), and only the ones worth reading.
 */
function requestFields(req: IncomingMessage & { originalUrl?: string; ip?: string }) {
  return {
    method: req.method,
    url: redactUrl(req.originalUrl ?? req.url ?? ''),
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    userAgent: req.headers?.['user-agent'],
  }
}

function responseFields(res: ServerResponse) {
  return { statusCode: res.statusCode, contentLength: res.getHeader?.('content-length') }
}

function createLogState(): LogState {
  const requests = new AsyncLocalStorage<RequestContext>()
  const state: LogState = { requests, destination: pino.destination({ dest: 1, sync: true }), logger: undefined as unknown as Logger }
  const lines: DestinationStream = { write: (line) => state.destination.write(line) }
  state.logger = pino(
    {
      level: logLevelOf(process.env),
      // Every line written while a request is being answered says which request it was.
      mixin: () => {
        const context = requests.getStore()
        return context ? { reqId: context.reqId } : {}
      },
      serializers: { req: requestFields, res: responseFields, err: stdSerializers.err },
      // Should anything log headers anyway (an error carrying a request's), their secrets go.
      redact: {
        paths: SECRET_HEADERS.flatMap((name) => [`headers["${name}"]`, `req.headers["${name}"]`, `res.headers["${name}"]`, `err.headers["${name}"]`]),
        censor: '[redacted]',
      },
    },
    lines,
  )
  return state
}

const state = (globalThis.__zhiyinLog ??= createLogState())

/** The process's logger. `logger.error({ err }, 'what failed')` within a request carries its id. */
export const logger: Logger = state.logger

/** Runs `fn` (and everything it starts) as part of the request `context`. */
export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return state.requests.run(context, fn)
}

/** The request the calling code runs for, if any. */
export function currentRequest(): RequestContext | undefined {
  return state.requests.getStore()
}

/**
 * Sends the log's lines to `destination` at `level` instead of stdout, until the returned
 * function is called: how tests read what was logged.
 */
export function redirectLogs(destination: DestinationStream, level: LogLevel = 'info') {
  const previous = { destination: state.destination, level: state.logger.level }
  state.destination = destination
  state.logger.level = level
  return () => {
    state.destination = previous.destination
    state.logger.level = previous.level
  }
}
