// /account/addresses: the reader's saved shipping addresses (decision 048) — add, edit, delete,
// set the default checkout selects. The form is the checkout's (省/市/区 picker, 粘贴地址) and its
// helpers work without JavaScript; the server checks every field and the region combination.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AddressFields } from '~/components/address-form'
import { FormError } from '~/components/field'
import { Badge, Button, Card, PageTitle, buttonClass } from '~/components/ui'
import { MAX_SAVED_ADDRESSES, formatAddressLine, submittedAddressValues, type AddressValues } from '~/domain/address'
import { addressForm, addressFormState, addressHelperAnswer, type AddressFormState } from '~/domain/address.server'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { addressesZhCN } from '~/i18n/addresses.zh-CN'
import { addAddress, deleteAddress, listAddresses, setDefaultAddress, updateAddress } from '~/models/address.server'
import { requireUser } from '~/utils/auth.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { parseForm, type FieldErrors } from '~/utils/forms'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { addresses: addressesZhCN, site: siteZhCN }
const s = t.addresses.addresses

const PATH = '/account/addresses'

export const meta: MetaFunction = () => [{ title: `${s.title} · ${t.site.name}` }]

/** The address being edited (?edit=id), or a new one (?new, or when none is saved yet); null = no form. */
function editing(url: URL, count: number): { id: number | null } | null {
  const edit = Number(url.searchParams.get('edit'))
  if (Number.isSafeInteger(edit) && edit > 0) return { id: edit }
  return url.searchParams.has('new') || count === 0 ? { id: null } : null
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const saved = await listAddresses(user.id)
  const form = editing(new URL(request.url), saved.length)
  const edited = form?.id ? saved.find((address) => address.id === form.id) : undefined
  if (form?.id && !edited) throw new Response(s.notFound, { status: 404 })
  const values: AddressValues = edited ? { name: edited.name, phone: edited.phone, province: edited.province, city: edited.city, district: edited.district, street: edited.street } : {}
  return {
    addresses: saved.map((address) => ({ id: address.id, name: address.name, phone: address.phone, isDefault: address.isDefault, line: formatAddressLine(address) })),
    form: form ? { id: form.id, isDefault: edited?.isDefault ?? false, state: addressFormState(values) } : null,
    full: saved.length >= MAX_SAVED_ADDRESSES,
  }
}

type ActionData = { errors: FieldErrors; state: AddressFormState; makeDefault: boolean }

/** An address id posted by a row's buttons or the edit form; null when absent or malformed. */
function postedId(formData: FormData) {
  const id = Number(formData.get('id'))
  return Number.isSafeInteger(id) && id > 0 ? id : null
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await request.formData()
  const now = new Date()
  const id = postedId(formData)
  const makeDefault = formData.get('makeDefault') === 'on'
  const fail = (errors: FieldErrors, status: number) => data<ActionData>({ errors, state: addressFormState(submittedAddressValues(formData)), makeDefault }, { status })

  const helper = addressHelperAnswer(formData)
  if (helper) return data<ActionData>({ errors: {}, state: helper, makeDefault })

  switch (formData.get('intent')) {
    case 'save': {
      const address = parseForm(addressForm, formData)
      if (!address.ok) return fail(address.errors, 400)
      if (id === null) {
        const added = await addAddress({ userId: user.id, address: address.data, makeDefault, now })
        if (!added.ok) return fail({ form: s.full(MAX_SAVED_ADDRESSES) }, 409)
        return redirectWithFlash(PATH, { kind: 'success', message: s.added })
      }
      if (!(await updateAddress({ id, userId: user.id, address: address.data, makeDefault, now }))) return fail({ form: s.notFound }, 404)
      return redirectWithFlash(PATH, { kind: 'success', message: s.updated })
    }
    case 'default':
      if (id === null || !(await setDefaultAddress({ id, userId: user.id }))) return fail({ form: s.notFound }, 404)
      return redirectWithFlash(PATH, { kind: 'success', message: s.defaultSet })
    case 'delete':
      if (id === null || !(await deleteAddress({ id, userId: user.id }))) return fail({ form: s.notFound }, 404)
      return redirectWithFlash(PATH, { kind: 'success', message: s.removed })
    default:
      return fail({ form: s.unknownIntent }, 400)
  }
}

export default function AccountAddresses() {
  const { addresses, form, full } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const errors = answer?.errors ?? {}
  // A refused row action (an address deleted in another tab) shows its error above the list.
  const state = answer?.state ?? form?.state
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle subtitle={s.subtitle}>{s.title}</PageTitle>
      {errors.form && !form ? (
        <div className="mb-4">
          <FormError error={errors.form} />
        </div>
      ) : null}
      {addresses.length === 0 ? (
        <p className="mb-4 text-stone-600">{s.empty}</p>
      ) : (
        <ul className="mb-6 grid gap-3">
          {addresses.map((address) => (
            <li key={address.id}>
              <Card className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-center">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2 font-medium text-stone-900">
                    <span>{address.name}</span>
                    <span className="tabular-nums text-stone-700">{address.phone}</span>
                    {address.isDefault ? <Badge tone="brand">{s.isDefault}</Badge> : null}
                  </p>
                  <p className="mt-1 break-words text-sm text-stone-600">{address.line}</p>
                </div>
                <div className="flex flex-wrap gap-2">
                  <Link to={`${PATH}?edit=${address.id}#address-form`} className={buttonClass('secondary', 'py-1.5')} aria-label={s.editLabel(address.name)}>
                    {s.edit}
                  </Link>
                  {address.isDefault ? null : (
                    <Form method="post">
                      <input type="hidden" name="id" value={address.id} />
                      <Button name="intent" value="default" variant="ghost" className="py-1.5" aria-label={s.makeDefaultLabel(address.name)}>
                        {s.makeDefault}
                      </Button>
                    </Form>
                  )}
                  <Form method="post">
                    <input type="hidden" name="id" value={address.id} />
                    <Button name="intent" value="delete" variant="danger" className="py-1.5" aria-label={s.removeLabel(address.name)}>
                      {s.remove}
                    </Button>
                  </Form>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}

      {form && state ? (
        <Card>
          <h2 id="address-form" className="mb-4 text-lg font-semibold text-stone-900">
            {form.id ? s.editTitle : s.addTitle}
          </h2>
          <Form method="post" action={form.id ? `${PATH}?edit=${form.id}` : `${PATH}?new`} noValidate className="grid gap-4">
            {form.id ? <input type="hidden" name="id" value={form.id} /> : null}
            <FormError error={errors.form} />
            <AddressFields values={state.values} choices={state.choices} errors={errors} pasted={state.pasted} />
            {form.isDefault ? null : (
              <label className="flex items-center gap-2 text-sm text-stone-800">
                <input type="checkbox" name="makeDefault" defaultChecked={answer?.makeDefault ?? false} className="size-4 accent-brand-700" />
                {s.setDefaultField}
              </label>
            )}
            <div className="flex flex-wrap gap-2">
              <Button name="intent" value="save">
                {s.save}
              </Button>
              {addresses.length > 0 ? (
                <Link to={PATH} className={buttonClass('ghost')}>
                  {s.cancel}
                </Link>
              ) : null}
            </div>
          </Form>
        </Card>
      ) : full ? (
        <p className="text-sm text-stone-500">{s.full(MAX_SAVED_ADDRESSES)}</p>
      ) : (
        <Link to={`${PATH}?new#address-form`} className={buttonClass('primary')}>
          {s.add}
        </Link>
      )}
    </div>
  )
}
