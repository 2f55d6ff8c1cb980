// /admin/orders/ship (批量发货): an admin uploads the order export with 快递 and 单号 filled in,
// or pastes 订单号, 快递公司, 快递单号 lines, and every listed order goes paid → shipped at once,
// each buyer emailed. Any bad line, or any order that cannot ship, ships none (400 / 409 with
// every reason listed).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, MaxPartSizeExceededError, unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, type UploadHandler } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { Field, TextAreaField } from '~/components/field'
import { Button, Card, PageTitle } from '~/components/ui'
import { CARRIERS } from '~/domain/admin-order-forms'
import { decodeSpreadsheetText, MAX_SHIPMENT_FILE_BYTES, readShipments, type LineError } from '~/domain/shipment-import.server'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { adminOrdersZhCN } from '~/i18n/adminOrders.zh-CN'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { markOrdersShipped } from '~/models/admin-orders.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { parseMultipartForm } from '~/utils/multipart.server'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, adminOrders: adminOrdersZhCN, errors: errorsZhCN, orders: ordersZhCN, site: siteZhCN }

const a = t.adminOrders
const b = a.bulkShip

export const meta: MetaFunction = () => [{ title: `${b.title} · ${t.admin.title} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  return null
}

type ActionData = { form?: string; heading?: string; problems: string[] }
const fail = (status: number, answer: ActionData) => data<ActionData>(answer, { status })

/** The uploaded file's bytes (null when none was chosen) and the pasted text, or why not. */
async function readUpload(request: Request): Promise<{ ok: true; file: Uint8Array | null; pasted: string } | { ok: false; error: 'tooLarge' | 'malformed' }> {
  let file: Uint8Array | null = null
  let tooLarge = false
  const csv: UploadHandler = async ({ name, filename, data: chunks }) => {
    if (name !== 'file' || !filename) return undefined
    const parts: Uint8Array[] = []
    let size = 0
    for await (const chunk of chunks) {
      size += chunk.byteLength
      if (size > MAX_SHIPMENT_FILE_BYTES) tooLarge = true
      else parts.push(chunk)
    }
    if (size > 0) file = Buffer.concat(parts)
    return filename
  }
  const form = await parseMultipartForm(
    request,
    unstable_composeUploadHandlers(csv, unstable_createMemoryUploadHandler({ maxPartSize: MAX_SHIPMENT_FILE_BYTES })),
  ).catch((error: unknown) => {
    // What the memory handler throws for pasted text over the cap.
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: 'tooLarge' } as const
    throw error
  })
  if (!form.ok) return form
  if (tooLarge) return { ok: false, error: 'tooLarge' }
  return { ok: true, file: file as Uint8Array | null, pasted: String(form.formData.get('paste') ?? '') }
}

function lineProblems(errors: LineError[]) {
  return errors.map((error) => `${b.line(error.line)}：${error.message}`)
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  // The whole body is capped before it is read (server/request-guards.ts); the file and the
  // pasted text each here.
  const upload = await readUpload(request)
  if (!upload.ok) {
    return upload.error === 'tooLarge' ? fail(413, { form: b.errors.tooLarge, problems: [] }) : fail(400, { form: t.errors.malformedUpload, problems: [] })
  }
  const text = upload.file ? decodeSpreadsheetText(upload.file) : upload.pasted
  if (text.trim() === '') return fail(400, { form: b.errors.noInput, problems: [] })

  const read = readShipments(text)
  if (!read.ok) return fail(400, { heading: b.lineErrors(read.errors.length), problems: lineProblems(read.errors) })

  const shipped = await markOrdersShipped({ shipments: read.shipments, actorId: admin.id, now: new Date() })
  if (!shipped.ok) {
    const problems = shipped.refusals.map((refusal) =>
      refusal.reason === 'not_found' ? b.refusal.not_found(refusal.orderId) : b.refusal.wrong_state(refusal.orderId, t.orders.states[refusal.state]),
    )
    return fail(409, { heading: b.refusedTitle(problems.length), problems })
  }
  return redirectWithFlash('/admin/orders?state=shipped', { kind: 'success', message: b.done(shipped.shipped, read.skipped) })
}

/** Problems shown at most: the first ones say enough to fix the file. */
const SHOWN_PROBLEMS = 50

export default function BulkShip() {
  const answer = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const problems = answer?.problems ?? []
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <p className="text-sm">
        <Link to="/admin/orders" className="text-stone-600 hover:text-brand-700 hover:underline">
          ← {a.detail.back}
        </Link>
      </p>
      <PageTitle subtitle={b.subtitle}>{b.title}</PageTitle>
      <Card>
        <ul className="list-disc space-y-1 pl-5 text-sm text-stone-700">
          {b.howTo.map((line) => (
            <li key={line}>{line}</li>
          ))}
          <li>{b.carriersAre(CARRIERS.join('、'))}</li>
          <li>{b.allOrNothing}</li>
        </ul>
      </Card>
      {answer ? (
        <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          {answer.form ? <p>{answer.form}</p> : null}
          {answer.heading ? <p className="font-medium">{answer.heading}</p> : null}
          {problems.length > 0 ? (
            <ul className="mt-2 list-disc space-y-0.5 pl-5">
              {problems.slice(0, SHOWN_PROBLEMS).map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
              {problems.length > SHOWN_PROBLEMS ? <li>…</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}
      <Card>
        <Form method="post" encType="multipart/form-data" className="space-y-4">
          <Field label={b.file} name="file" type="file" accept=".csv,text/csv,text/plain" hint={b.fileHint} className="[&_input]:py-2 [&_input]:text-sm" />
          <TextAreaField label={b.paste} name="paste" rows={6} hint={b.pasteHint} placeholder={'1024,顺丰速运,SF1234567890\n1025,中通快递,78812345678'} />
          <Button type="submit" disabled={busy} className="w-full sm:w-auto">
            {busy ? b.submitting : b.submit}
          </Button>
        </Form>
      </Card>
    </div>
  )
}
