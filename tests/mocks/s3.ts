// An S3-compatible bucket for the backup upload tests: accepts a PUT of an object only when its
// AWS Signature V4 is right, recomputed here from the request with node:crypto (independently of
// aws4fetch, which signs it), and when the body hashes to the signed x-amz-content-sha256 — what
// S3 itself checks. Objects land in `storedObjects`.
import { createHash, createHmac } from 'node:crypto'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'

export const S3_TEST = {
  endpoint: 'https://s3.test.example',
  bucket: 'zhiyin-backups',
  region: 'eu-central-1',
  accessKeyId: 'AKIAZHIYINTEST000001',
  secretAccessKey: 'zhiyin/test+secret/0123456789abcdefghijklmn',
} as const

export interface StoredObject {
  key: string
  body: Buffer
  contentType: string | null
}

export const storedObjects: StoredObject[] = []

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest()

/** Why S3 would refuse this request's signature, or null when it would accept it. */
export function signatureProblem(request: Request, body: Buffer, secretAccessKey: string): string | null {
  const authorization = request.headers.get('authorization') ?? ''
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(authorization)
  if (!match) return `malformed Authorization: ${authorization}`
  const [, accessKeyId, date, region, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string]
  if (accessKeyId !== S3_TEST.accessKeyId) return `unknown access key ${accessKeyId}`
  const amzDate = request.headers.get('x-amz-date') ?? ''
  if (!amzDate.startsWith(date)) return `x-amz-date ${amzDate} is not of the credential's day ${date}`
  const payloadHash = request.headers.get('x-amz-content-sha256')
  if (payloadHash !== sha256Hex(body)) return `x-amz-content-sha256 ${payloadHash} is not the body's SHA-256`
  const names = signedHeaders.split(';')
  for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date']) {
    if (!names.includes(required)) return `${required} is not signed`
  }
  const url = new URL(request.url)
  const canonicalRequest = [
    request.method,
    url.pathname,
    url.search.slice(1),
    names.map((name) => `${name}:${name === 'host' ? url.host : (request.headers.get(name) ?? '').trim()}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n')
  const scope = `${date}/${region}/s3/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n')
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), 's3'), 'aws4_request')
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest('hex')
  return expected === signature ? null : 'SignatureDoesNotMatch'
}

export const s3Handlers = [
  http.put(`${S3_TEST.endpoint}/:bucket/:key`, async ({ request, params }) => {
    const body = Buffer.from(await request.arrayBuffer())
    const problem = signatureProblem(request, body, S3_TEST.secretAccessKey)
    if (problem) return new HttpResponse(`<Error><Code>SignatureDoesNotMatch</Code><Message>${problem}</Message></Error>`, { status: 403 })
    if (params.bucket !== S3_TEST.bucket) return new HttpResponse('<Error><Code>NoSuchBucket</Code></Error>', { status: 404 })
    storedObjects.push({ key: String(params.key), body, contentType: request.headers.get('content-type') })
    return new HttpResponse(null, { status: 200, headers: { ETag: `"${createHash('md5').update(body).digest('hex')}"` } })
  }),
]

export const s3Server = setupServer(...s3Handlers)
